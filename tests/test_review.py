"""Review before publishing and publication facts (cli.md, *Review and drafts*;
report.md, *A release the city can sign*): warning keys, ``granskning.yml``, drafts,
the facts of ``report.yml`` on the pages and in the spreadsheet."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from support.projects import copy_inputs
from uppfoljning import formatting, labels, page_marks, review, site, spreadsheet
from uppfoljning.config import ReportConfig
from uppfoljning.errors import UsageError
from uppfoljning.results_check import ResultsProblem, warning_key

FACTS = """
published: 2025-03-31
responsible: Socialförvaltningen
contact:
  name: Kim Exempelsson
  email: kim@exempel.stockholm.se
  phone: 08-123 456 78
next_release: 2026-03-31
"""


def _warning(
    unit="farsta",
    indicator="incidents",
    occupation="alla",
    year=2024,
    previous_year=2023,
    rule="count changes by a factor of 2.1 (27 to 13)",
):
    return ResultsProblem(
        "count_change", "warning", unit, indicator, year, occupation, rule, previous_year
    )


# ---------------------------------------------------------------------------
# Keys and granskning.yml


def test_warning_keys_are_unit_indicator_occupation_and_years():
    assert _warning().key == "farsta/incidents/alla/2023-2024"
    assert _warning(unit="stockholm").key == "stockholm/incidents/alla/2023-2024"
    # a warning about one year's value: that year at both ends (cli.md: FROM-TO)
    assert (
        warning_key("b", "turnover_rate", "socialsekreterare", 2024)
        == "b/turnover_rate/socialsekreterare/2024-2024"
    )
    assert (
        warning_key("farsta", "incidents_per_100", "alla", 2020)
        == "farsta/incidents_per_100/alla/2020-2020"
    )
    assert _warning().format() == (
        "warning: results: farsta/incidents/alla/2023-2024: "
        "count changes by a factor of 2.1 (27 to 13)"
    )


def test_granskning_yml_is_read_per_edition(tmp_path):
    path = tmp_path / "granskning.yml"
    path.write_text(
        "2024:\n  farsta/incidents/alla/2023-2024: >-\n    Kontrollerat med "
        "Farsta:\n    uppgiften stämmer.\n2023:\n",
        encoding="utf-8",
    )
    outcomes = review.read_outcomes(path)
    assert outcomes.of(2024) == {
        "farsta/incidents/alla/2023-2024": "Kontrollerat med Farsta: uppgiften stämmer."
    }
    assert outcomes.of(2023) == {} and outcomes.of(2022) == {}
    assert review.read_outcomes(tmp_path / "none.yml").of(2024) == {}  # no file: no outcome
    path.write_text('"2024":\n  a/b/c/2024-2024: Ja.\n', encoding="utf-8")  # a quoted year
    assert review.read_outcomes(path).of(2024) == {"a/b/c/2024-2024": "Ja."}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024:\n  a/b/c/2023-2024: [unclosed\n", "not valid YAML at line"),
        ("- 2024\n", "expected edition years"),
        ("tjugo:\n  a/b/c/2024-2024: Ja.\n", "'tjugo' is not an edition year"),
        ("2024: Kontrollerat.\n", "2024: expected warning keys"),
        ("2024:\n  farsta: Kontrollerat.\n", "2024: 'farsta' is not a warning key"),
        # one year's value is FROM-TO too (cli.md): the old single-year form is refused
        ("2024:\n  a/b/c/2024: Ja.\n", "2024: 'a/b/c/2024' is not a warning key"),
        ("2024:\n  a/b/c/2023-2024:\n", "2024: a/b/c/2023-2024: the outcome must be a sentence"),
        ("2024:\n  a/b/c/2023-2024: 12\n", "the outcome must be a sentence"),
    ],
)
def test_a_malformed_granskning_yml_is_one_line(tmp_path, text, message):
    path = tmp_path / "granskning.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        review.read_outcomes(path)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_review_lists_unreviewed_and_stale_keys(tmp_path):
    outcomes = review.Outcomes(
        tmp_path / "granskning.yml",
        {
            2024: {
                "farsta/incidents/alla/2023-2024": "Kontrollerat.",
                "bromma/job_ads/alla/2022-2023": "Gammal.",
            }
        },
    )
    warnings = [_warning(), _warning(unit="stockholm", rule="count x2 (1 to 2)")]
    result = review.review_warnings(warnings, outcomes, 2024)
    assert result.outcomes == {"farsta/incidents/alla/2023-2024": "Kontrollerat."}
    assert result.unreviewed == [("stockholm/incidents/alla/2023-2024", "count x2 (1 to 2)")]
    assert result.stale == ["bromma/job_ads/alla/2022-2023"]
    # another edition's outcomes do not answer this one's warnings
    assert review.review_warnings(warnings, outcomes, 2023).unreviewed == [
        ("farsta/incidents/alla/2023-2024", "count changes by a factor of 2.1 (27 to 13)"),
        ("stockholm/incidents/alla/2023-2024", "count x2 (1 to 2)"),
    ]


def test_a_final_build_refuses_unreviewed_warnings_and_a_draft_lists_them(tmp_path):
    outcomes = review.Outcomes(
        tmp_path / "granskning.yml", {2024: {"bromma/job_ads/alla/2022-2023": "Gammal."}}
    )
    result = review.review_warnings([_warning()], outcomes, 2024)
    printed: list[str] = []
    with pytest.raises(review.ReviewError) as caught:
        review.check_review(result, outcomes, draft=False, warn=printed.append)
    assert caught.value.exit_code == 1
    assert caught.value.lines == [
        "unreviewed: farsta/incidents/alla/2023-2024: count changes by a factor of 2.1 (27 to 13)",
        "record the outcome of each warning in granskning.yml, or build with --draft",
    ]
    # the stale outcome is a warning, not an error
    assert printed == [
        "warning: granskning.yml: 2024: bromma/job_ads/alla/2022-2023: no "
        "such warning in the 2024 edition; its outcome is not used"
    ]
    printed.clear()
    review.check_review(result, outcomes, draft=True, warn=printed.append)
    assert printed[1] == caught.value.lines[0]
    answered = review.review_warnings(
        [_warning()],
        review.Outcomes(tmp_path, {2024: {"farsta/incidents/alla/2023-2024": "Ja."}}),
        2024,
    )
    review.check_review(answered, outcomes, draft=False, warn=printed.append)  # no error


# ---------------------------------------------------------------------------
# Publication facts


def test_report_yml_publication_facts(tmp_path):
    path = tmp_path / "report.yml"
    path.write_text("min_n: 5\n" + FACTS, encoding="utf-8")
    config = ReportConfig.load(path)
    assert config.facts.published == dt.date(2025, 3, 31)
    assert config.facts.contact.email == "kim@exempel.stockholm.se"
    assert config.facts.missing() == []
    config.check_publication_facts(draft=False)
    # the facts are not part of what the computation depends on (its cache key)
    assert repr(config) == repr(ReportConfig(min_n=5))
    assert formatting.publication_facts(config.facts) == [
        ("Publicerad", "31 mars 2025"),
        ("Ansvarig", "Socialförvaltningen"),
        ("Kontakt", "Kim Exempelsson, kim@exempel.stockholm.se, 08-123 456 78"),
        ("Nästa utgåva", "31 mars 2026"),
    ]


def test_a_missing_fact_is_one_line_naming_report_yml_and_the_key(tmp_path):
    path = tmp_path / "report.yml"
    path.write_text(
        FACTS.replace("  phone: 08-123 456 78\n", "").replace("published: 2025-03-31\n", ""),
        encoding="utf-8",
    )
    config = ReportConfig.load(path)
    with pytest.raises(UsageError) as caught:
        config.check_publication_facts(draft=False)
    assert str(caught.value) == (
        f"{path}: publication fact(s) missing: published, "
        "contact.phone (required for a final build; add them, or "
        "build with --draft)"
    )
    config.check_publication_facts(draft=True)  # a draft may go without


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("published: 31/3 2025\n", "published must be a date written YYYY-MM-DD"),
        ("contact: Kim\n", "contact must have name, email and phone"),
        ("contact:\n  name: Kim\n  email: kim.stockholm.se\n", "contact.email is not an e-mail"),
        ("contact:\n  fax: 1\n", "contact: unknown key(s) fax"),
        ("publisher: x\n", "unknown settings: publisher"),
    ],
)
def test_malformed_facts_are_one_line(tmp_path, text, message):
    path = tmp_path / "report.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        ReportConfig.load(path)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)


def test_a_missing_report_yml_is_an_error(tmp_path):
    with pytest.raises(UsageError, match="report configuration missing"):
        ReportConfig.load(tmp_path / "report.yml")


HOSTILE = [
    ("Publicerad", "31 mars 2025"),
    ("Ansvarig", "<script>alert(1)</script>"),
    ("Kontakt", "{{ utgava }} & *Kim*"),
]


def test_facts_reach_the_footer_and_start_page_escaped():
    config = site.stage_config(
        {"html": {"extra_footer": ""}},
        edition=2024,
        title="T",
        synthetic=False,
        substitutions={},
        facts=HOSTILE,
    )
    footer = config["html"]["extra_footer"]
    assert "&lt;script&gt;" in footer and "<script>" not in footer
    assert "Publicerad: 31 mars 2025 · Ansvarig:" in footer
    fragment = site.facts_fragment(HOSTILE)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment and "<script>" not in fragment
    assert "<dt>Kontakt</dt><dd>{{ utgava }} &amp; *Kim*</dd>" in fragment
    assert "\n\n" not in fragment  # one HTML block: nothing in it is read as Markdown
    assert site.facts_fragment([]) == ""


def test_facts_in_the_spreadsheet_about_sheet(tmp_path):
    indicators = pd.DataFrame(
        columns=[
            "edition",
            "year",
            "unit_id",
            "unit_name",
            "occupation",
            "indicator",
            "value",
            "suppressed",
        ]
    )
    focus = pd.DataFrame(columns=["year", "unit_id", "area_id", "area_name", "status", "note"])
    sheets = spreadsheet.workbook_sheets(indicators, focus, 2024, 5, facts=HOSTILE[:2])
    about = sheets[labels.XLSX_SHEET_ABOUT][labels.XLSX_SHEET_ABOUT].tolist()
    assert about[-2:] == ["Publicerad: 31 mars 2025", "Ansvarig: <script>alert(1)</script>"]
    path = spreadsheet.write_workbook(sheets, tmp_path / "x.xlsx")
    cells = [c.value for c in openpyxl.load_workbook(path)[labels.XLSX_SHEET_ABOUT]["A"]]
    assert "Publicerad: 31 mars 2025" in cells


# ---------------------------------------------------------------------------
# Draft marks


def test_draft_config_and_page_marks():
    root = {"sphinx": {"config": {"extensions": ["myst_nb"]}}}
    final = site.stage_config(root, edition=2024, title="T", synthetic=False, substitutions={})
    draft = site.stage_config(
        root, edition=2024, title="T", synthetic=False, substitutions={}, draft=True
    )
    assert final["sphinx"]["config"]["extensions"] == ["myst_nb", "uppfoljning.page_marks"]
    assert "uppfoljning_draft_mark" not in final["sphinx"]["config"]
    assert draft["sphinx"]["config"]["uppfoljning_draft_mark"] == "Utkast – inte fastställd"
    app = SimpleNamespace(
        config=SimpleNamespace(
            root_doc="index",
            uppfoljning_draft_mark=labels.DRAFT_MARK,
            uppfoljning_start_title="Startsida",
        )
    )
    context = {"metatags": "", "body": "<h1>Farsta</h1>", "title": "Farsta"}
    page_marks.mark_page(app, "stadsdelar/farsta", "page.html", context, None)
    assert context["body"].startswith(
        '<p class="uppf-draft" role="note">Utkast – inte fastställd</p>'
    )
    assert '<meta name="robots" content="noindex">' in context["metatags"]
    assert '@top-center{content:"Utkast – inte fastställd"' in context["metatags"]
    assert context["title"] == "Farsta"
    start = {"metatags": "", "body": "<h1>T</h1>", "title": "T 2024"}
    app.config.uppfoljning_draft_mark = ""  # a final edition: no mark
    page_marks.mark_page(app, "index", "page.html", start, None)
    assert start == {"metatags": "", "body": "<h1>T</h1>", "title": "Startsida"}
    assert page_marks.css_string('a"b\\</style>') == '"a\\22 b\\5c \\3c /style\\3e "'


def test_the_archive_index_marks_a_draft(tmp_path):
    for year in (2023, 2024):
        (tmp_path / str(year)).mkdir()
        (tmp_path / str(year) / "index.html").write_text("x", encoding="utf-8")
    (tmp_path / "2024" / site.DRAFT_MARKER).write_text("x", encoding="utf-8")
    text = site.write_site_index(tmp_path, "T").read_text(encoding="utf-8")
    assert (
        '<a href="2024/index.html">Utgåva 2024</a> <strong class="draft">(Utkast – '
        "inte fastställd)</strong>"
    ) in text
    assert '<a href="2023/index.html">Utgåva 2023</a></li>' in text


# ---------------------------------------------------------------------------
# A delivery with warnings, built final, as a draft, and reviewed


def _delivery_with_a_warning(folder: Path) -> Path:
    """The minimal delivery with Socialförvaltningen's job ads going from 12 (2020) to
    30 (2021): the plausibility check warns for the unit and the city."""
    from support.deliveries import minimal_tables, write_minimal_delivery

    ads = minimal_tables()["job_ads"] + [
        {
            "month": "2020-03",
            "unit_id": "socialforvaltningen",
            "occupation": "socialsekreterare",
            "ads": "12",
        },
        {
            "month": "2021-03",
            "unit_id": "socialforvaltningen",
            "occupation": "socialsekreterare",
            "ads": "30",
        },
    ]
    return write_minimal_delivery(folder, job_ads=ads)


TWELVE_TO_THIRTY = "count changes by a factor of 2.5 (12 to 30)"
WARNED = {  # key -> the rule's text, as worked out by hand: 12 -> 30 is a factor of 2.5
    "socialforvaltningen/job_ads/socialsekreterare/2020-2021": TWELVE_TO_THIRTY,
    "socialforvaltningen/job_ads/alla/2020-2021": TWELVE_TO_THIRTY,
    "stockholm/job_ads/socialsekreterare/2020-2021": TWELVE_TO_THIRTY,
    # the city's alla adds Hägersten-Älvsjö's one ad of 2021
    "stockholm/job_ads/alla/2020-2021": "count changes by a factor of 2.583333333 (12 to 31)",
}


def _pages(edition: Path) -> list[Path]:
    return [p for p in edition.rglob("*.html") if "_static" not in p.parts]


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_unreviewed_warnings_stop_a_final_build_until_reviewed(tmp_path, monkeypatch, capsys):
    from uppfoljning.cli import main

    delivery = _delivery_with_a_warning(tmp_path / "delivery")
    project = copy_inputs(tmp_path / "project")
    (project / "granskning.yml").unlink()
    out = tmp_path / "site"
    monkeypatch.chdir(project)
    command = ["build", "--data", str(delivery), "--year", "2021", "--out", str(out), "--jobs", "2"]

    # final: refused before any notebook runs, with the exact lines; nothing published
    assert main(command) == 1
    err = capsys.readouterr().err.splitlines()
    expected = [f"unreviewed: {key}: {text}" for key, text in WARNED.items()]
    assert err[-5:] == [
        *expected,
        "record the outcome of each warning in granskning.yml, or build with --draft",
    ]
    assert not any(line.startswith("notebooks:") for line in err)
    assert not out.exists() or not any(out.iterdir())

    # draft: published with the marks on every page, the warnings listed as questions
    assert main([*command, "--draft"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert set(expected) <= set(err)
    edition = out / "2021"
    pages = _pages(edition)
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex">' in html, page
        if page.name not in ("search.html",):
            assert '<p class="uppf-draft" role="note">Utkast – inte fastställd</p>' in html, page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'Utgåva 2021</a> <strong class="draft">(Utkast – inte fastställd)' in index
    unit = (edition / "fackforvaltningar" / "socialforvaltningen.html").read_text("utf-8")
    assert "uppgiften är ännu inte granskad" in unit

    # reviewed (and one outcome for a warning that does not occur): a final edition
    sentence = "Kontrollerat med Socialförvaltningen: fler vakanser 2021, uppgiften stämmer."
    lines = ["2021:"] + [f"  {key}: >-\n    {sentence}" for key in WARNED]
    lines.append("  farsta/incidents/alla/2020-2021: Gammal uppgift.")
    (project / "granskning.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(command) == 0
    err = capsys.readouterr().err.splitlines()
    assert (
        "warning: granskning.yml: 2021: farsta/incidents/alla/2020-2021: no such "
        "warning in the 2021 edition; its outcome is not used"
    ) in err
    assert not any(line.startswith("unreviewed:") for line in err)
    unit = (edition / "fackforvaltningar" / "socialforvaltningen.html").read_text("utf-8")
    assert sentence in unit and "ännu inte granskad" not in unit
    quality = (edition / "bilagor" / "datakvalitet.html").read_text(encoding="utf-8")
    assert sentence in quality and "bör granskas" not in quality
    assert labels.COL_REVIEW_OUTCOME in quality
    for page in _pages(edition):
        html = page.read_text(encoding="utf-8")
        assert "noindex" not in html and "uppf-draft" not in html, page
    assert not (edition / site.DRAFT_MARKER).exists()
    assert "Utkast" not in (out / "index.html").read_text(encoding="utf-8")
    # the publication facts of the project's report.yml: start page, footer, spreadsheet
    facts = formatting.publication_facts(ReportConfig.load(project / "report.yml").facts)
    start = (edition / "index.html").read_text(encoding="utf-8")
    assert f"<dt>Publicerad</dt><dd>{facts[0][1]}</dd>" in start
    assert start.count(f"Kontakt: {facts[2][1]}") == 1  # the footer
    assert f"Kontakt: {facts[2][1]}" in unit
    assert "<title>Startsida &#8212; " in start
    workbook = openpyxl.load_workbook(edition / "data" / "indikatorer.xlsx")
    about = [c.value for c in workbook[labels.XLSX_SHEET_ABOUT]["A"]]
    assert f"Ansvarig: {facts[1][1]}" in about


@pytest.mark.slow
def test_a_final_build_without_publication_facts_is_one_line(tmp_path, monkeypatch, capsys):
    from support.deliveries import write_minimal_delivery
    from uppfoljning.cli import main

    project = copy_inputs(tmp_path / "project")
    report = project / "report.yml"
    report.write_text(
        report.read_text(encoding="utf-8").replace("next_release:", "# next_release:"),
        encoding="utf-8",
    )
    monkeypatch.chdir(project)
    delivery = write_minimal_delivery(tmp_path / "delivery")
    out = tmp_path / "site"
    assert main(["build", "--data", str(delivery), "--year", "2021", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"uppfoljning: {report}: publication fact(s) missing: next_release "
        "(required for a final build; add them, or build with --draft)"
    ]
    assert not out.exists()
    shutil.rmtree(project / "_build", ignore_errors=True)


# ---------------------------------------------------------------------------
# Om statistiken (a first version of the quality declaration)


def test_table_years_span_the_rows_periods():
    from uppfoljning.prepare import table_years

    spells = pd.DataFrame(
        {
            "start_date": pd.to_datetime(["2015-03-01", "2019-01-01"]),
            "end_date": pd.to_datetime(["2021-06-30", None]),
        }
    )
    assert table_years(spells, "employments") == (2015, 2021)
    ads = pd.DataFrame({"month": ["2019-05", "2016-01"]})
    assert table_years(ads, "job_ads") == (2016, 2019)
    assert table_years(pd.DataFrame({"area_id": ["x"]}), "focus_areas") is None
    assert table_years(None, "job_ads") is None


def test_om_statistiken_fragments():
    sources = pd.DataFrame(
        {"Fil": ["job_ads.csv"], "Tabell": ["job_ads"], "Period": ["2016–2024"], "Rader": ["3 060"]}
    )
    table = site.statistics_sources_fragment(sources)
    assert "Publicerade platsannonser per månad" in table and "2016–2024" in table
    units = pd.DataFrame({"unit_id": ["farsta"], "name": ["Farsta <b>"]})
    text = site.review_list_fragment(
        (_warning(),), units, {"farsta/incidents/alla/2023-2024": "Kontrollerat."}
    )
    assert (
        "<li>Farsta &lt;b&gt;, rapporterade hot och våld (båda yrkesgrupperna), "
        "2023–2024: Kontrollerat.</li>"
    ) in text
    pending = site.review_list_fragment((_warning(),), units, {})
    assert labels.REVIEW_PENDING in pending
    assert site.review_list_fragment((), units, {}) == f"<p>{labels.REVIEW_NONE}</p>"


def test_serve_previews_a_draft(tmp_path, monkeypatch, in_project):
    """``serve`` builds with the draft marks: a preview is never a final edition."""
    import uppfoljning.serve
    from support.deliveries import write_minimal_delivery
    from uppfoljning import cli

    seen = {}
    monkeypatch.setattr(cli, "cmd_build", lambda args: seen.setdefault("draft", args.draft))
    monkeypatch.setattr(uppfoljning.serve, "serve", lambda **kw: kw["build"]())
    delivery = write_minimal_delivery(tmp_path / "delivery")
    assert (
        cli.main(
            ["serve", "--data", str(delivery), "--year", "2021", "--out", str(tmp_path / "site")]
        )
        is True
    )
    assert seen == {"draft": True}
