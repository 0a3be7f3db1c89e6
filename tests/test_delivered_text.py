"""Delivered text is data, never code (issue 26): a hostile delivery puts template,
markup, directive and link payloads into every free-text column that reaches a reader.
Each payload is either refused at the gate with its file, column and row, or built and
shown as text: no command runs, no local file is published, no build path leaks and no
page runs a script (checked in Chromium with a dialog listener)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from support.deliveries import minimal_tables, write_minimal_delivery
from support.projects import copy_inputs
from uppfoljning import build
from uppfoljning.errors import DeliveryError
from uppfoljning.project import Project

EDITION = 2021  # the minimal delivery's edition
UNIT_PAGE = Path("stadsdelar") / "hagersten-alvsjo.html"

# Payloads the gate lets through: none of them may become markup, a directive, a link
# or a substitution anywhere (HTML entities stay entities, Markdown stays literal).
UNIT_NAME = (
    "Häg &#60;img src=x onerror=alert(1)&#62; ![i](/etc/hostname) "
    "[x](javascript:alert(2)) *f* {download}/etc/passwd $$x$$ %(x)s {0}"
)
MERGED_NAME = "Älv &lt;script&gt;alert(3)&lt;/script&gt; :::{include} /etc/passwd"
AREA_NAME = "Intro &lt;svg onload=alert(5)&gt; {literalinclude} /etc/passwd"
NOTE = "Not ![n](../../../../etc/hostname) &#x3C;img src=x onerror=alert(6)&#x3E;"
TEAM = "Team [t](javascript:alert(7)) &lt;b&gt;fet&lt;/b&gt;"
COMMENT = "CANARY-COMMENT-26"  # exit-interview comments are never published


def hostile_tables() -> dict:
    """The minimal delivery with a payload the gate lets through in every free-text
    column that reaches a reader, and a canary in an exit-interview comment."""
    tables = minimal_tables()
    units = tables["units"]
    units[0]["name"] = MERGED_NAME
    units[1]["name"] = UNIT_NAME
    tables["focus_areas"][0]["name"] = AREA_NAME
    for row in tables["focus_status"]:
        row["note"] = NOTE
    for row in tables["reinforcement"]:
        row["team"] = TEAM
    tables["exit_interviews"][0]["comment"] = COMMENT
    return tables


def site_text(out: Path) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.suffix in {".html", ".js", ".csv", ".json", ".txt", ".svg"}
    )


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    project = copy_inputs(base / "project")
    delivery = write_minimal_delivery(base / "delivery", **hostile_tables())
    out = base / "site"
    build.build_edition(
        delivery, EDITION, out_dir=out, jobs=2, project=Project.at(project), synthetic=True
    )
    return base, out / str(EDITION)


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_hostile_text_is_published_as_text_only(hostile_site):
    base, edition = hostile_site
    text = site_text(edition)
    assert COMMENT not in text
    assert "root:x:0:" not in text  # /etc/passwd was not included anywhere
    assert str(base) not in text  # no build path ({{ env.srcdir }} and the like)
    copied = [p.name for p in edition.rglob("*") if p.name in {"passwd", "hostname"}]
    assert copied == []  # nor copied as a download or an image
    page = (edition / UNIT_PAGE).read_text(encoding="utf-8")
    # the print header and the sidebar are escaped too (the theme prints them raw)
    assert "<img src=x" not in page and "<script>alert" not in page
    assert f"<h1>{html.escape(UNIT_NAME)}</h1>" in page  # the print header, as text
    assert 'href="javascript:alert' not in text


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.xdist_group("build")
def test_no_page_of_a_hostile_delivery_runs_a_script(hostile_site, chromium):
    _, edition = hostile_site
    dialogs: list[str] = []
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in sorted(edition.rglob("*.html")):
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            page.wait_for_timeout(100)
            made = page.evaluate("""() => document.querySelectorAll(
                'img[src="x"], svg[onload], a[href^="javascript:"]').length""")
            assert made == 0, path
        page.goto((edition / UNIT_PAGE).as_uri())
        heading = page.evaluate("() => document.querySelector('main h1').textContent")
        assert heading.strip().rstrip("#").strip() == UNIT_NAME
        nav = page.evaluate(
            "() => Array.from(document.querySelectorAll('nav a')).map(a => a.textContent.trim())"
        )
        assert UNIT_NAME in nav
    finally:
        context.close()
    assert dialogs == []


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_code_in_a_name_is_refused_or_inert(tmp_path):
    """Template, markup and multi-line directive payloads: the gate may refuse them
    (naming units.csv, column name and the rows); if one ever passes, it is text."""
    canary = tmp_path / "rce-canary"
    tables = minimal_tables()
    units = tables["units"]
    units[0]["name"] = (
        "Älv {{ lipsum.__globals__['os'].popen('touch " + str(canary) + "').read() }}"
    )
    units[1]["name"] = "Häg<img src=x onerror=alert(1)><script>alert(2)</script>"
    units[2]["name"] = "Soc\n```{literalinclude} /etc/passwd\n```"
    delivery = write_minimal_delivery(tmp_path / "delivery", **tables)
    out = tmp_path / "site"
    try:
        build.build_edition(
            delivery,
            EDITION,
            out_dir=out,
            jobs=2,
            project=Project.at(copy_inputs(tmp_path / "project")),
            synthetic=True,
        )
    except DeliveryError as error:
        lines = "\n".join(problem.format() for problem in error.problems)
        assert "units.csv: column name: rows 2, 3, 4" in lines or all(
            f"units.csv: column name: rows {row}" in lines for row in (2, 3, 4)
        ), lines
        assert not out.exists() or not any(out.iterdir())
    else:
        text = site_text(out / str(EDITION))
        assert "root:x:0:" not in text
        pages = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
        assert "<script>alert(2)" not in pages and "<img src=x" not in pages
    assert not canary.exists()
