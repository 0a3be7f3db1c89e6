"""The data-aware build cache: keys change exactly when what a step reads changes."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from support.projects import copy_inputs
from uppfoljning import build, cache, execution, prepare, progress, site
from uppfoljning.config import ReportConfig
from uppfoljning.project import Project

ROOT = Path(__file__).resolve().parents[1]


def _results(folder: Path, built_at: str = "2024-01-01 10:00", value: float = 0.1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"value": [value]}).to_csv(folder / "units.csv", index=False)
    (folder / "meta.json").write_text(
        json.dumps({"edition": 2024, "built_at": built_at, "code_version": "0.1 (git abc)"})
    )
    return folder


def test_results_data_key_ignores_build_time_and_code_version(tmp_path):
    first = cache.results_data_key(_results(tmp_path / "a"))
    same = cache.results_data_key(_results(tmp_path / "b", built_at="2025-06-01 08:00"))
    changed = cache.results_data_key(_results(tmp_path / "c", value=0.2))
    assert first == same
    assert first != changed


def test_tree_digest_sees_content_and_names_not_times(tmp_path):
    (tmp_path / "a.md").write_text("Hej")
    first = cache.tree_digest(tmp_path)
    (tmp_path / "a.md").write_text("Hej")  # rewritten, same content
    assert cache.tree_digest(tmp_path) == first
    (tmp_path / "a.md").write_text("Hej då")
    assert cache.tree_digest(tmp_path) != first
    (tmp_path / "a.md").write_text("Hej")
    (tmp_path / "b.md").write_text("")
    assert cache.tree_digest(tmp_path) != first
    (tmp_path / "b.md").unlink()
    (tmp_path / ".hidden").write_text("x")  # editor files don't count
    assert cache.tree_digest(tmp_path) == first


def test_hash_bytes_separates_parts():
    assert cache.hash_bytes("ab", "c") != cache.hash_bytes("a", "bc")


def _job(tmp_path: Path, template: Path, **parameters) -> execution.NotebookJob:
    params = {"unit_id": "skarholmen", "edition": 2024, "results_dir": str(tmp_path / "r")}
    params.update(parameters)
    return execution.NotebookJob("skarholmen", template, tmp_path / "out.ipynb", params, tmp_path)


def test_notebook_key_parts(tmp_path):
    template = tmp_path / "unit.ipynb"
    shutil.copyfile(ROOT / "notebooks" / "unit.ipynb", template)
    identity, parts = build.notebook_key_parts(_job(tmp_path, template), "data1", "env1")
    key = cache.hash_bytes(*parts.values())
    # the results folder's path is not part of the key (it differs every build)
    moved = _job(tmp_path, template, results_dir="/elsewhere")
    assert build.notebook_key_parts(moved, "data1", "env1") == (identity, parts)
    for changed in (
        build.notebook_key_parts(_job(tmp_path, template, unit_id="farsta"), "data1", "env1"),
        build.notebook_key_parts(_job(tmp_path, template), "data2", "env1"),
        build.notebook_key_parts(_job(tmp_path, template), "data1", "env2"),
    ):
        assert cache.hash_bytes(*changed[1].values()) != key
    template.write_text(template.read_text().replace("Nyckeltal", "Nyckeltalen"))
    _, edited = build.notebook_key_parts(_job(tmp_path, template), "data1", "env1")
    assert cache.hash_bytes(*edited.values()) != key


def test_notebook_cache_round_trip_and_reasons(tmp_path):
    store = cache.BuildCache(tmp_path / "cache")
    executed = tmp_path / "executed.ipynb"
    executed.write_text('{"cells": []}')
    parts = {"template": "t1", "parameters": "p", "data": "d1", "environment": "e"}
    assert store.notebook_reason("unit:x", parts) == "not run before"
    assert not store.load_notebook("k1", tmp_path / "copy.ipynb")
    store.store_notebook("k1", executed)
    store.remember_notebooks({"unit:x": parts})
    assert store.load_notebook("k1", tmp_path / "copy.ipynb")
    assert (tmp_path / "copy.ipynb").read_text() == '{"cells": []}'
    changed = dict(parts, data="d2", template="t2")
    assert store.notebook_reason("unit:x", changed) == "template changed, results data changed"


def test_disabled_cache_never_hits(tmp_path, monkeypatch):
    store = cache.BuildCache(tmp_path / "cache")
    executed = tmp_path / "executed.ipynb"
    executed.write_text("{}")
    store.store_notebook("k", executed)
    monkeypatch.setenv("UPPFOLJNING_NO_CACHE", "1")
    assert not cache.BuildCache(tmp_path / "cache").load_notebook("k", tmp_path / "c.ipynb")
    assert not cache.BuildCache(tmp_path / "cache", enabled=False).enabled


def test_published_key_needs_the_same_published_files(tmp_path):
    store = cache.BuildCache(tmp_path / "cache")
    target = tmp_path / "site" / "2024"
    target.mkdir(parents=True)
    (target / "index.html").write_text("<html></html>")
    assert store.published_key(target) is None
    store.remember_published(target, "k")
    assert store.published_key(target) == "k"
    (target / "index.html").write_text("<html>changed by hand</html>")
    assert store.published_key(target) is None
    shutil.rmtree(target)
    assert store.published_key(target) is None


def test_results_key_follows_delivery_config_and_edition(tmp_path):
    delivery = tmp_path / "d"
    shutil.copytree(ROOT / "data" / "demo", delivery)
    key = prepare.results_key(delivery, 2024, ReportConfig(), True, Project.at(ROOT))
    assert prepare.results_key(delivery, 2024, ReportConfig(), True, Project.at(ROOT)) == key
    assert prepare.results_key(delivery, 2023, ReportConfig(), True, Project.at(ROOT)) != key
    assert prepare.results_key(delivery, 2024, ReportConfig(min_n=3), True, Project.at(ROOT)) != key
    with (delivery / "job_ads.csv").open("a", encoding="utf-8") as handle:
        handle.write("2024-12,farsta,socialsekreterare,1\n")
    assert prepare.results_key(delivery, 2024, ReportConfig(), True, Project.at(ROOT)) != key


def test_eta_and_bar():
    assert progress.eta(10.0, 0, 5) is None
    assert progress.eta(10.0, 2, 6) == pytest.approx(20.0)
    assert progress.bar(1, 4, width=8) == "[##......]"
    assert progress.format_seconds(75) == "1 min 15 s"
    assert progress.format_seconds(4.4) == "4 s"


# ---------------------------------------------------------------------------
# The book mirror (incremental Jupyter Book builds)


def _staged(folder: Path, files: dict[str, str]) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_sync_tree_writes_only_what_differs(tmp_path):
    mirror = tmp_path / "mirror"
    first = _staged(tmp_path / "a", {"index.md": "# Start", "stad/x.ipynb": "{}", "old.md": "x"})
    changes = cache.sync_tree(first, mirror)
    assert sorted(changes.added) == ["index.md", "old.md", "stad/x.ipynb"]
    kept_mtime = (mirror / "stad" / "x.ipynb").stat().st_mtime_ns
    second = _staged(tmp_path / "b", {"index.md": "# Start!", "stad/x.ipynb": "{}", "new.md": "y"})
    changes = cache.sync_tree(second, mirror)
    assert (changes.changed, changes.added, changes.removed) == (
        ["index.md"],
        ["new.md"],
        ["old.md"],
    )
    assert (mirror / "stad" / "x.ipynb").stat().st_mtime_ns == kept_mtime
    assert sorted(p.relative_to(mirror).as_posix() for p in mirror.rglob("*") if p.is_file()) == [
        "index.md",
        "new.md",
        "stad/x.ipynb",
    ]
    assert not cache.sync_tree(second, mirror).any


def test_sync_tree_keeps_the_catalogue_sphinx_compiled(tmp_path):
    """Sphinx writes sphinx.mo beside sphinx.po in the mirrored source: it is not a
    removed page (that made every rebuild after a prose edit a fresh one)."""
    mirror = tmp_path / "mirror"
    staged = _staged(
        tmp_path / "a", {"index.md": "# Start", "_locale/sv/LC_MESSAGES/sphinx.po": "msgid"}
    )
    cache.sync_tree(staged, mirror)
    (mirror / "_locale" / "sv" / "LC_MESSAGES" / "sphinx.mo").write_bytes(b"\x00")
    assert not cache.sync_tree(staged, mirror).any
    (staged / "_locale" / "sv" / "LC_MESSAGES" / "sphinx.po").unlink()
    assert sorted(cache.sync_tree(staged, mirror).removed) == [
        "_locale/sv/LC_MESSAGES/sphinx.mo",
        "_locale/sv/LC_MESSAGES/sphinx.po",
    ]


def test_compiled_catalogue_does_not_depend_on_the_clock(tmp_path, monkeypatch):
    """The .mo compiled from the project's .po has the same bytes at any time: a .mo
    stamped with the minute it was compiled made every rebuild a fresh book build."""
    import datetime as real
    import types

    import babel.messages.catalog as catalog_module

    compiled = []
    for stamp in (real.datetime(2026, 1, 1, 8, 0), real.datetime(2027, 6, 30, 23, 59)):

        class Clock(real.datetime):
            @classmethod
            def now(cls, tz=None, stamp=stamp):
                return stamp.replace(tzinfo=tz)

        clock = types.ModuleType("datetime")
        clock.__dict__.update(vars(real), datetime=Clock)
        monkeypatch.setattr(catalog_module, "datetime", clock)
        book = tmp_path / str(len(compiled))
        shutil.copytree(ROOT / "book" / "_locale", book / "_locale")
        site.compile_catalogues(book)
        compiled.append({p.relative_to(book): p.read_bytes() for p in book.rglob("*.mo")})
    assert compiled[0] and compiled[0] == compiled[1]


def test_book_mirror_is_incremental_only_for_edited_pages(tmp_path):
    """Edited Markdown pages and notebook outputs: incremental, with the chapters that
    glue a changed notebook's results read again. The config or toc, an added or
    removed page, other code, a failed previous build: fresh."""
    mirror = cache.BookMirror(tmp_path / "cache" / "book" / "2024")
    files = {
        "_config.yml": "title: x",
        "_toc.yml": "root: index",
        "index.md": "# Start",
        "stad/x.ipynb": '{"cells": []}',
        "_generated/underlag.md": "built 10:00",
        "diskussion.md": "Andelen var {glue:text}`stad/x.ipynb::andel:s`.",
        "stad/y.ipynb": '{"cells": []}',
    }

    def plan(base="env1", **edits):
        staged = _staged(tmp_path / "staged", {**files, **edits})
        result = mirror.plan(staged, base, citers=site.glue_citers)
        (mirror.output / "_build" / "html").mkdir(parents=True, exist_ok=True)
        return result

    assert plan().mode == "fresh"  # nothing built before
    assert plan().reason == "no earlier book build to update"  # the first never succeeded
    mirror.succeeded("env1")
    same = plan()
    assert (same.mode, same.changed) == ("incremental", ())
    mirror.succeeded("env1")
    prose = plan(**{"index.md": "# Start\n\nNy text.", "_generated/underlag.md": "11:00"})
    assert prose.mode == "incremental"
    assert prose.changed == ("_generated/underlag.md", "index.md")
    mirror.succeeded("env1")
    citing = mirror.source / "diskussion.md"
    os.utime(citing, (1_000_000, 1_000_000))
    output = plan(**{"stad/x.ipynb": '{"cells": [1]}'})
    assert output.mode == "incremental"
    assert "stad/x.ipynb" in output.changed and output.changed[-1] == "diskussion.md"
    assert "re-read for their glued results: diskussion.md" in output.reason
    assert citing.stat().st_mtime > 1_000_000  # so Sphinx reads it again
    mirror.succeeded("env1")
    other = plan(**{"stad/x.ipynb": '{"cells": [1]}', "stad/y.ipynb": '{"cells": [2]}'})
    assert (other.mode, other.changed) == ("incremental", ("stad/y.ipynb",))  # x as before
    mirror.succeeded("env1")
    for edits in ({"_config.yml": "title: y"}, {"_toc.yml": "root: start"}, {"ny.md": "# Ny"}):
        result = plan(**edits)
        assert result.mode == "fresh", edits
        assert next(iter(edits)) in result.reason
        assert not (mirror.output / "_build" / "html" / "stale.html").exists()
        mirror.succeeded("env1")
    assert plan(base="env2").reason == "environment or code changed"
    mirror.succeeded("env2")
    plan(base="env2", **{"index.md": "# Broken"})  # ... and that build fails
    assert plan(base="env2").mode == "fresh"


def test_book_mirror_serves_one_build_at_a_time(tmp_path):
    first = cache.BookMirror(tmp_path / "book" / "2024")
    second = cache.BookMirror(tmp_path / "book" / "2024")
    assert first.acquire()
    try:
        assert not second.acquire()
    finally:
        first.release()
    assert second.acquire()
    second.release()


# ---------------------------------------------------------------------------
# Progress and the summary


def _result(unit: str, ok: bool = True, seconds: float = 1.25):
    job = execution.NotebookJob(
        unit, Path("notebooks/unit.ipynb"), Path(f"/b/{unit}.ipynb"), {}, Path("/w")
    )
    return execution.JobResult(job, ok, seconds=seconds)


def test_progress_prints_one_line_per_notebook_when_not_a_terminal():
    import io

    stream = io.StringIO()
    report = progress.NotebookProgress(
        2, stream=stream, reasons={Path("/b/farsta.ipynb"): "template changed"}
    )
    report(_result("farsta"))
    report(_result("bromma", ok=False))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        "[############............] 1/2 ok farsta (unit) 1.2 s: template changed, about "
    )
    assert lines[1] == "[########################] 2/2 FAILED bromma (unit) 1.2 s"


def test_summary_names_stages_what_ran_and_why():
    report = progress.BuildReport(
        results="from the cache",
        ran=[("farsta (unit)", "results data changed"), ("bromma (unit)", "results data changed")],
        cached=["stockholm (stockholm)"],
        book="incremental: pages changed: inledning.md",
    )
    text = progress.summary(
        "/site/2024",
        12.4,
        {"gate+results": 0.1, "notebooks": 3.0, "book": 4.2, "publish": 0.1},
        report,
    )
    assert text.splitlines()[0] == "built /site/2024 in 12 s"
    assert "gate+results    0.1 s  from the cache" in text
    assert "2 ran (results data changed: 2), 1 from the cache" in text
    assert "book            4.2 s  incremental: pages changed: inledning.md" in text
    assert "ran farsta (unit): results data changed" in text


# ---------------------------------------------------------------------------
# Whole builds (slow)


def _search_terms(path: Path) -> dict:
    """The search index without terms that match no page (an incremental build keeps a
    pruned term with an empty list; it finds nothing either way)."""
    text = path.read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    for name in ("terms", "titleterms"):
        index[name] = {term: pages for term, pages in index[name].items() if pages != []}
    return index


def _pages(folder: Path) -> dict[str, object]:
    """The HTML pages and the search index. Sphinx adds a cache-busting ``?v=`` to a
    stylesheet link only when the file is already in the output (as in an incremental
    build): that is left out of the comparison."""
    import re

    pages: dict[str, object] = {
        p.relative_to(folder).as_posix(): re.sub(
            r'\.css\?v=[0-9a-f]+"', '.css"', p.read_text(encoding="utf-8")
        )
        for p in sorted(folder.rglob("*.html"))
    }
    pages["searchindex.js"] = _search_terms(folder / "searchindex.js")
    return pages


def _minimal_project(tmp_path: Path) -> tuple[Path, Path]:
    """(delivery, project) under ``tmp_path``: the minimal delivery and a copy of the
    project's inputs."""
    from support.deliveries import write_minimal_delivery

    delivery = tmp_path / "delivery"
    delivery.mkdir()
    write_minimal_delivery(delivery)
    return delivery, copy_inputs(tmp_path / "project")


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_prose_edit_runs_no_notebook_and_equals_a_full_book_build(tmp_path, capfd):
    """A prose-only edit executes no notebook and rebuilds the book incrementally, and
    the pages it publishes are exactly those of a full Jupyter Book build of the same
    staged book."""
    delivery, project = _minimal_project(tmp_path)
    out = tmp_path / "site"
    edition = 2021
    build.build_edition(
        delivery, edition, out_dir=out, jobs=2, project=Project.at(project), synthetic=True
    )
    assert "fresh: no earlier book build" in capfd.readouterr().err

    chapter = project / "book" / "inledning.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\nEn mening qzxinkrement.\n", encoding="utf-8"
    )
    build.build_edition(
        delivery,
        edition,
        out_dir=out,
        jobs=2,
        project=Project.at(project),
        synthetic=True,
        keep_work=True,
    )
    err = capfd.readouterr().err
    assert "0 to run" in err and "0 ran" in err
    assert "incremental: pages changed:" in err and "inledning.md" in err
    published = _pages(out / str(edition))
    assert "qzxinkrement" in published["inledning.html"]

    [work] = list((project / "_build" / "work").iterdir())
    full = site.run_jupyter_book(work / "book", tmp_path / "full", tmp_path / "full.log")
    assert _pages(full) == published


def _written_pages(log: Path) -> list[str]:
    """The pages Sphinx wrote, from a Jupyter Book log."""
    import re

    text = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text(encoding="utf-8"))
    return re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", text)


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_an_incremental_book_rewrites_every_page_only_when_an_outline_changes(tmp_path, capfd):
    """A prose edit writes only its own page (and the root); a renamed heading and a
    new section (which every page's navigation shows) write every page. Either way the
    pages equal a full Jupyter Book build of the same staged book."""
    delivery, project = _minimal_project(tmp_path)
    out = tmp_path / "site"
    edition = 2021
    chapter = project / "book" / "inledning.md"
    log = project / "_build" / "logs" / f"jupyter-book-{edition}.log"
    original = chapter.read_text(encoding="utf-8")
    assert original.startswith("# Inledning\n")
    build.build_edition(
        delivery, edition, out_dir=out, jobs=2, project=Project.at(project), synthetic=True
    )

    chapter.write_text(original + "\nEn mening qzxprosa.\n", encoding="utf-8")
    build.build_edition(
        delivery, edition, out_dir=out, jobs=2, project=Project.at(project), synthetic=True
    )
    # its own page, the root page, whose table of contents Sphinx renews, and the
    # appendix stating the build's time when its minute has moved on
    written = _written_pages(log)
    assert "inledning" in written
    assert set(written) <= {"index", "inledning", "bilagor/underlag"}
    assert "qzxprosa" in _pages(out / str(edition))["inledning.html"]

    chapter.write_text(
        original.replace("# Inledning\n", "# Inledning qzxrubrik\n", 1)
        + "\n## Ny del qzxdel\n\nText.\n",
        encoding="utf-8",
    )
    capfd.readouterr()
    build.build_edition(
        delivery,
        edition,
        out_dir=out,
        jobs=2,
        project=Project.at(project),
        synthetic=True,
        keep_work=True,
    )
    # the chapter alone changed (and the appendix stating the build's time, when its
    # minute has moved on since the build before)
    changed = re.search(r"incremental: pages changed: (.*)", capfd.readouterr().err)
    assert changed and set(changed.group(1).split(", ")) - {"_generated/underlag.md"} == {
        "inledning.md"
    }, changed
    assert len(_written_pages(log)) > 10
    published = _pages(out / str(edition))
    assert "qzxrubrik" in published["index.html"]  # another page's navigation
    [work] = list((project / "_build" / "work").iterdir())
    full = site.run_jupyter_book(work / "book", tmp_path / "full", tmp_path / "full.log")
    assert _pages(full) == published


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_a_corrected_count_reaches_the_chapter_that_glues_it(tmp_path, capfd):
    """A corrected delivery re-runs the notebook showing the count; the book is then
    updated incrementally, the chapter gluing that count from the notebook is read again
    and shows the new value, and every page equals a full Jupyter Book build of the same
    staged book (Sphinx alone keeps a chapter's old glued value)."""
    import re

    delivery, project = _minimal_project(tmp_path)
    chapter = project / "book" / "inledning.md"
    cited = "stad/hot-och-vald.ipynb::incidents_socialsekreterare:s"
    chapter.write_text(
        chapter.read_text(encoding="utf-8")
        + f"\nHändelser qzxhot {{glue:text}}`{cited}` qzxslut.\n",
        encoding="utf-8",
    )
    out = tmp_path / "site"
    edition = 2021

    def glued(pages: dict) -> str:
        found = re.search(r"qzxhot (.*?) qzxslut", pages["inledning.html"]).group(1)
        return re.sub(r"<[^>]+>", "", found)

    build.build_edition(
        delivery, edition, out_dir=out, jobs=2, project=Project.at(project), synthetic=True
    )
    before = glued(_pages(out / str(edition)))
    incidents = delivery / "incidents.csv"
    text = incidents.read_text(encoding="utf-8")
    incidents.write_text(
        text
        + ("" if text.endswith("\n") else "\n")
        + "".join(
            f"ikorr{n},2021-05-1{n},hagersten-alvsjo,socialsekreterare,hot\n" for n in range(6)
        ),
        encoding="utf-8",
    )
    capfd.readouterr()
    build.build_edition(
        delivery,
        edition,
        out_dir=out,
        jobs=2,
        project=Project.at(project),
        synthetic=True,
        keep_work=True,
    )
    err = capfd.readouterr().err
    assert "stockholm/hot-och-vald (omrade)" in err, err
    assert "incremental: pages changed:" in err, err
    assert re.search(r"re-read for their glued results: [^\n]*inledning\.md", err), err
    published = _pages(out / str(edition))
    assert (before, glued(published)) == ("0", "..")  # the city's count, now hidden

    [work] = list((project / "_build" / "work").iterdir())
    full = site.run_jupyter_book(work / "book", tmp_path / "full", tmp_path / "full.log")
    assert _pages(full) == published


# ---------------------------------------------------------------------------
# Finer notebook keys: a page's key covers exactly the results it reads


def _page_jobs(results_dir: Path, unit_ids: list[str]) -> list[execution.NotebookJob]:
    """A job of every page kind of the layout: the given units' pages, every area
    chapter, the other kinds once (a new kind fails here until it is added)."""
    from uppfoljning import layout

    notebooks = ROOT / "notebooks"

    def job(name: str, **parameters) -> execution.NotebookJob:
        parameters = {"edition": 2024, "results_dir": str(results_dir), **parameters}
        return execution.NotebookJob(
            name, notebooks / f"{name}.ipynb", results_dir / "out.ipynb", parameters, results_dir
        )

    per_kind = {
        layout.UNIT_PAGE: [{"unit_id": u} for u in unit_ids],
        layout.AREA_PAGE: [{"area": a} for a in layout.AREA_SPECS],
    }
    return [
        job(kind, **parameters)
        for kind in layout.PAGE_KINDS
        for parameters in per_kind.get(kind, [{}])
    ]


def _page_context(job: execution.NotebookJob):
    from uppfoljning import areas, context, layout, overview, unit_report

    p = job.parameters
    return {
        layout.UNIT_PAGE: lambda: unit_report.for_unit(p["unit_id"], 2024, p["results_dir"]),
        layout.CITY_PAGE: lambda: context.for_city(2024, p["results_dir"]),
        layout.OVERVIEW_PAGE: lambda: overview.for_overview(2024, p["results_dir"]),
        layout.FOCUS_PAGE: lambda: context.for_focus_areas(2024, p["results_dir"]),
        layout.AREA_PAGE: lambda: areas.for_area(p.get("area", ""), 2024, p["results_dir"]),
    }[job.template.stem]()


def _comparable(value):
    """A page context as plain text, frames as CSV, to compare two of them."""
    if isinstance(value, pd.DataFrame):
        return value.to_csv()
    if hasattr(value, "__dataclass_fields__"):
        return {name: _comparable(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {str(k): _comparable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_comparable(v) for v in value]
    if hasattr(value, "to_html"):
        return value.to_html()
    return repr(value)


@pytest.fixture(scope="module")
def demo_results(tmp_path_factory):
    """The demo delivery's 2024 results folder (computed once per test run)."""
    folder = tmp_path_factory.mktemp("results") / "results"
    prepare.prepare_results(
        ROOT / "data" / "demo",
        2024,
        ReportConfig.load(ROOT / "report.yml"),
        folder,
        project=Project.at(ROOT),
        synthetic=True,
    )
    return folder


@pytest.mark.slow
def test_a_page_reads_nothing_outside_its_key(demo_results, tmp_path):
    """Changing every indicator row outside a page's key (values moved, hidden cells
    shown and shown cells hidden) leaves the page's context exactly as it was."""
    from uppfoljning import context

    units = context.read_units(demo_results)
    unit_ids = ["skarholmen", units["unit_id"].iloc[-1]]
    inputs = build.PageInputs(demo_results)
    for job in _page_jobs(demo_results, unit_ids):
        rows = inputs.rows_read(job)
        assert rows is not None, job.template.stem
        before = _comparable(_page_context(job))
        name = job.parameters.get("unit_id") or job.parameters.get("area") or ""
        changed = tmp_path / job.template.stem / name
        shutil.copytree(demo_results, changed)
        indicators = context.read_indicators(demo_results)
        outside = ~indicators.index.isin(rows)
        flip = outside & (indicators.index % 3 == 0)
        indicators.loc[outside, "value"] = indicators.loc[outside, "value"] * 1.7 + 3
        indicators.loc[flip, "suppressed"] = ~indicators.loc[flip, "suppressed"].astype(bool)
        indicators.to_parquet(changed / context.INDICATORS_FILE, index=False)
        moved = dataclasses.replace(job, parameters={**job.parameters, "results_dir": str(changed)})
        assert _comparable(_page_context(moved)) == before, job.template.stem
        assert build.PageInputs(changed).parts(moved) == inputs.parts(job)


@pytest.mark.slow
def test_a_corrected_district_reruns_only_its_pages(demo_results, tmp_path):
    """A hand-made correction of one district's incidents in 2022 (its own rows; the
    city's stay) changes the keys of that district's page and of the chapter on threats
    and violence only."""
    from uppfoljning import context

    corrected = tmp_path / "corrected"
    shutil.copytree(demo_results, corrected)
    indicators = context.read_indicators(corrected)
    rows = (
        (indicators["unit_id"] == "skarholmen")
        & (indicators["year"] == 2022)
        & indicators["indicator"].isin(["incidents", "incidents_per_100"])
        & ~indicators["suppressed"].astype(bool)
    )
    assert rows.any()
    indicators.loc[rows, "value"] = indicators.loc[rows, "value"] + 1
    indicators.to_parquet(corrected / context.INDICATORS_FILE, index=False)
    unit_ids = list(context.read_units(demo_results)["unit_id"])
    before, after = build.PageInputs(demo_results), build.PageInputs(corrected)
    reran = set()
    store = cache.BuildCache(tmp_path / "cache")
    for job in _page_jobs(demo_results, unit_ids):
        identity, parts = build.notebook_key_parts(job, before.parts(job), "env")
        store.remember_notebooks({identity: parts})
        _, new_parts = build.notebook_key_parts(job, after.parts(job), "env")
        if new_parts != parts:
            reran.add(job.parameters.get("unit_id") or job.parameters.get("area"))
            assert store.notebook_reason(identity, new_parts) == "its indicator rows changed"
    assert reran == {"skarholmen", "hot-och-vald"}


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_a_corrected_delivery_reruns_its_pages_and_publishes_the_same_numbers(
    tmp_path, capfd, monkeypatch
):
    """After a supplier corrects one district's incidents in 2022, a cached rebuild runs
    the pages showing them (the district, and every unit page: the city's rate is their
    reference line; the chapter on threats and violence), keeps the rest, runs only the
    incidents suite of the input gate, and publishes exactly the table a build from
    scratch computes."""
    from uppfoljning.indicators import compute_results, to_csv_text
    from uppfoljning.loading import load_delivery
    from uppfoljning.validation import runner

    delivery = tmp_path / "delivery"
    shutil.copytree(ROOT / "data" / "demo", delivery)
    project = copy_inputs(tmp_path / "project")
    out = tmp_path / "site"
    only = ["skarholmen", "farsta"]
    build.build_edition(
        delivery, 2024, out_dir=out, jobs=2, project=Project.at(project), synthetic=True, only=only
    )
    capfd.readouterr()

    incidents = delivery / "incidents.csv"
    text = incidents.read_text(encoding="utf-8")
    added = "".join(
        f"ikorr{n},2022-05-{10 + n},skarholmen,socialsekreterare,hot\n" for n in range(5)
    )
    incidents.write_text(text + ("" if text.endswith("\n") else "\n") + added, encoding="utf-8")
    suites_run, real_run_suite = [], runner.run_suite
    monkeypatch.setattr(
        runner,
        "run_suite",
        lambda context, suite, *args, **kwargs: (
            suites_run.append(suite["name"]) or real_run_suite(context, suite, *args, **kwargs)
        ),
    )
    build.build_edition(
        delivery, 2024, out_dir=out, jobs=2, project=Project.at(project), synthetic=True, only=only
    )
    assert [name for name in suites_run if not name.startswith("results_")] == ["incidents"]
    err = capfd.readouterr().err
    assert "ran skarholmen (unit): its indicator rows changed" in err
    assert "ran farsta (unit): its indicator rows changed" in err
    assert "ran stockholm/hot-och-vald (omrade)" in err
    # the city page re-runs: its main points read the city's incidents of every year
    assert "ran stockholm (stockholm)" in err
    assert "ran stockholm/konsulter" not in err
    assert "ran stockholm (overblick)" not in err

    config = ReportConfig.load(project / "report.yml")
    scratch = compute_results(load_delivery(delivery), 2024, config)
    published = (out / "2024" / "data" / "indikatorer.csv").read_text(encoding="utf-8")
    from uppfoljning import formatting
    from uppfoljning.indicators import PUBLISHED_COLUMNS

    assert published == to_csv_text(
        formatting.spreadsheet_safe_frame(scratch[PUBLISHED_COLUMNS].reset_index(drop=True))
    )


# ---------------------------------------------------------------------------
# Chart pictures


def test_pruning_keeps_the_most_recently_used_pictures(tmp_path):
    folder = tmp_path / "charts"
    folder.mkdir()
    now = time.time()
    for age, name in enumerate(["new.svg", "mid.svg", "old.svg", "older.svg"]):
        (folder / name).write_text("<svg></svg>")
        os.utime(folder / name, (now - 60 * age, now - 60 * age))
    (folder / ".abandoned.tmp").write_text("<svg")
    os.utime(folder / ".abandoned.tmp", (now - 2 * cache.STALE_TEMPORARY_S,) * 2)
    (folder / ".writing.tmp").write_text("<svg")  # a kernel is writing it now
    assert cache.prune_pictures(folder, keep=2) == 3
    assert sorted(p.name for p in folder.iterdir()) == [".writing.tmp", "mid.svg", "new.svg"]
    assert cache.prune_pictures(folder, keep=2) == 0
    assert cache.prune_pictures(tmp_path / "none") == 0


def test_kernels_are_told_the_pictures_folder_only_with_the_cache_on(tmp_path, monkeypatch):
    monkeypatch.delenv("UPPFOLJNING_NO_CACHE", raising=False)
    folder = tmp_path / "cache" / "charts"
    folder.mkdir(parents=True)
    for number in range(cache.MAX_PICTURES + 2):
        (folder / f"{number:05}.svg").write_text("<svg></svg>")
    environment = cache.BuildCache(tmp_path / "cache").kernel_environment()
    assert environment == {cache.PICTURES_ENV: str(folder)}
    assert len(list(folder.iterdir())) == cache.MAX_PICTURES  # pruned on the way
    off = cache.BuildCache(tmp_path / "cache", enabled=False)
    assert off.pictures_dir is None
    assert off.kernel_environment() == {cache.PICTURES_ENV: ""}  # every one drawn
    monkeypatch.setenv("UPPFOLJNING_NO_CACHE", "1")
    assert cache.BuildCache(tmp_path / "cache").kernel_environment() == {cache.PICTURES_ENV: ""}


# ---------------------------------------------------------------------------
# Size: the least recently used entries go


def _aged(path: Path, seconds: float, now: float) -> Path:
    os.utime(path, (now - seconds, now - seconds))
    return path


def test_pruning_keeps_the_most_recently_used_and_spares_the_recent(tmp_path):
    now = time.time()
    hour = cache.RECENT_S
    entries = []
    for number, age in enumerate([2, 3, 4, 5]):  # hours since last used
        entry = tmp_path / f"e{number}.json"
        entry.write_text("{}")
        entries.append(_aged(entry, age * hour, now))
    folder = tmp_path / "results-entry"
    (folder / "results").mkdir(parents=True)
    entries.append(_aged(folder, 6 * hour, now))
    (tmp_path / "f0.json").write_text("{}")  # used just now
    entries.append(tmp_path / "f0.json")
    # keep 2: f0 and e0 stay; e1..e3 and the folder go; one removed meanwhile is skipped
    assert cache.prune_least_recent(entries + [tmp_path / "gone.json"], keep=2, now=now) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e0.json", "f0.json"]
    # keep 1 of two used just now (a build alongside uses the other): only e0 goes
    (tmp_path / "f1.json").write_text("{}")
    assert cache.prune_least_recent(list(tmp_path.iterdir()), keep=1, now=now) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f0.json", "f1.json"]
    assert cache.prune_least_recent([], keep=0) == 0


def test_a_build_cache_prunes_each_level_and_a_hit_renews_its_entry(tmp_path, monkeypatch):
    monkeypatch.delenv("UPPFOLJNING_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "KEEP", {"results": 1, "notebooks": 1, "gx": 1})
    build_cache = cache.BuildCache(tmp_path / "cache")
    now, hour = time.time(), cache.RECENT_S
    results_dir = tmp_path / "results"
    results_dir.mkdir()
    (results_dir / "indikatorer.csv").write_text("x")
    executed = tmp_path / "executed.ipynb"
    executed.write_text("{}")
    store = build_cache.suite_outcomes()
    for name, hours in (("a", 4), ("b", 3)):  # "a" was used longer ago than "b"
        build_cache.store_results(name, results_dir, {"stage": name})
        _aged(build_cache._results_entry(name), hours * hour, now)
        build_cache.store_notebook(name, executed)
        _aged(build_cache.notebook_path(name), hours * hour, now)
        store.store(name * 4, {"outcome": name})
        _aged(store.path(name * 4), hours * hour, now)
    # "a" is used now: each level keeps it and removes "b"
    assert build_cache.load_results("a", tmp_path / "copy") == {"stage": "a"}
    assert build_cache.load_notebook("a", tmp_path / "a.ipynb")
    assert store.load("aaaa") == {"outcome": "a"}
    assert build_cache.prune() == 3
    assert build_cache.has_results("a") and not build_cache.has_results("b")
    assert build_cache.notebook_path("a").is_file()
    assert not build_cache.notebook_path("b").exists()
    assert store.load("aaaa") is not None and store.load("bbbb") is None
    assert cache.BuildCache(tmp_path / "cache", enabled=False).prune() == 0


def test_a_notebook_entry_that_vanishes_while_copied_is_a_miss(tmp_path, monkeypatch):
    monkeypatch.delenv("UPPFOLJNING_NO_CACHE", raising=False)
    build_cache = cache.BuildCache(tmp_path / "cache")
    executed = tmp_path / "executed.ipynb"
    executed.write_text("{}")
    build_cache.store_notebook("k", executed)

    def vanished(source, target):
        Path(target).write_text("{")  # half a copy
        raise FileNotFoundError(source)

    monkeypatch.setattr(cache.shutil, "copyfile", vanished)
    output = tmp_path / "out" / "page.ipynb"
    assert not build_cache.load_notebook("k", output)
    assert not output.exists()
