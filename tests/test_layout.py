"""The page layout has one owner (uppfoljning.layout): the notebooks and the modules
that build the pages follow it, and what a page shows is what its notes look at."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from uppfoljning import areas, claims, context, layout, overview, unit_report

ROOT = Path(__file__).resolve().parents[1]


def _slug(heading: str) -> str:
    """``## Hot och våld`` -> ``hot-och-vald`` (the section keys of the layout)."""
    text = unicodedata.normalize("NFKD", heading.lstrip("#").strip().lower())
    return re.sub(r"\s+", "-", "".join(c for c in text if not unicodedata.combining(c)))


def _unit_template_trends() -> list[tuple[str, str]]:
    """(section, indicator) of every ``ctx.trends["…"]`` cell of the unit template, the
    section being the ``##`` heading the cell stands under."""
    notebook = json.loads((ROOT / "notebooks" / "unit.ipynb").read_text(encoding="utf-8"))
    section, found = "", []
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            for line in source.splitlines():
                if line.startswith("## "):
                    section = _slug(line)
        else:
            found += [(section, key) for key in re.findall(r'ctx\.trends\["([^"]+)"\]', source)]
    return found


def test_the_unit_template_draws_the_layouts_trends_under_their_sections():
    assert _unit_template_trends() == list(layout.UNIT_TRENDS)


def test_the_templates_are_the_layouts_page_kinds():
    """Every template is a page kind of the layout (whose cache key build.PageInputs
    makes, guided by tests/test_cache.py), and the toc names only page kinds."""
    templates = {path.stem for path in (ROOT / "notebooks").glob("*.ipynb")}
    assert templates == set(layout.PAGE_KINDS)
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    named = {
        entry["notebook"]
        for part in toc["parts"]
        for entry in part.get("chapters", [])
        if "notebook" in entry
    }
    assert named == set(layout.PAGE_KINDS) - {layout.UNIT_PAGE}


def test_the_area_chapters_of_the_toc_are_the_layouts():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    chapters = [
        entry["area"]
        for part in toc["parts"]
        for entry in part.get("chapters", [])
        if entry.get("notebook") == layout.AREA_PAGE
    ]
    assert chapters == list(layout.AREA_SPECS)


def test_the_page_modules_keep_no_list_of_their_own():
    assert unit_report.UNIT_TRENDS is layout.UNIT_TRENDS
    assert context.KEY_FIGURES is layout.KEY_FIGURES
    assert context.UNIT_TREND_ROWS is layout.UNIT_TREND_ROWS
    assert context.CITY_TURNOVER_FIGURES is layout.CITY_TURNOVER_FIGURES
    assert areas.AREA_SPECS is layout.AREA_SPECS
    assert claims.AREA_MAIN is layout.AREA_MAIN


def test_every_overview_column_has_a_direction():
    """The overview colours a column better or worse by the catalogue's direction: a
    column without one fails here (and in overview.higher_is_worse), never silently
    as "higher is better"."""
    for indicator in layout.OVERVIEW_COLUMNS:
        assert isinstance(overview.higher_is_worse(indicator), bool)
    with pytest.raises(ValueError, match="no direction"):
        overview.higher_is_worse("job_ads")


def test_every_area_but_the_families_has_its_main_indicator_for_the_claims():
    assert layout.AREA_MAIN == {
        "konsulter": "consultants",
        "rekrytering": "job_ads",
        "arbetsbelastning": "cases_per_worker",
        "vantetider": "wait_days_mean",
        "medarbetarenkat": "survey_response_rate",
        "hot-och-vald": "incidents_per_100",
        "forstarkningsteam": "reinforcement_staff_weeks",
        "chefer": "staff_per_manager",
    }


def test_a_unit_pages_notes_cover_every_trend_chart_from_the_first_year():
    """A warned figure shown only in a unit trend chart (job ads for both occupations in
    the first year, say) gets its note: the cells the notes look at follow the trends."""
    shown = layout.unit_page_cells("farsta", 2016, 2024)
    for _, indicator in layout.UNIT_TRENDS:
        for year in range(2016, 2025):
            assert ("farsta", indicator, "alla", year) in shown
    assert ("farsta", "job_ads", "alla", 2016) in shown
    assert ("farsta", "job_ads", "alla", 2015) not in shown
    assert not {cell for cell in shown if cell[0] != "farsta"}


def test_a_warning_shown_only_in_a_trend_chart_gets_its_note():
    import pandas as pd

    warnings = pd.DataFrame(
        [
            {
                "check_name": "Antal ändras kraftigt",
                "unit_id": "farsta",
                "indicator": "job_ads",
                "occupation": "alla",
                "previous_year": 2016,
                "year": 2017,
                "outcome": "Kontrollerat.",
            }
        ]
    )
    indicators = pd.DataFrame(
        [
            {
                "year": y,
                "unit_id": "farsta",
                "indicator": "job_ads",
                "occupation": "alla",
                "value": v,
                "suppressed": False,
            }
            for y, v in ((2016, 72.0), (2017, 36.0))
        ]
    )
    units = pd.DataFrame({"unit_id": ["farsta"], "name": ["Farsta"]})
    notes = context.plausibility_notes(
        warnings, indicators, units, layout.unit_page_cells("farsta", 2016, 2024)
    )
    assert len(notes) == 1 and "Farsta" in notes[0] and "Kontrollerat." in notes[0]


def test_an_area_chapters_cells_follow_its_declaration():
    """The waiting-times chapter compares the districts only, with mean and median in
    its unit table and the mean per district as its detail chart; the first-year column
    shows the mean alone."""
    kinds = {"a": "stadsdelsforvaltning", "f": "fackforvaltning"}
    declared = [("wait_days_mean", ("alla",)), ("wait_days_median", ("alla",))]
    shown = layout.area_page_cells(
        "vantetider", declared, "wait_days_mean", kinds, 2022, 2024, main_first_year=2022
    )
    city = {
        ("stockholm", indicator, "alla", year)
        for indicator in ("wait_days_mean", "wait_days_median")
        for year in (2022, 2023, 2024)
    }
    units = {
        ("a", indicator, "alla", year)
        for indicator in ("wait_days_mean", "wait_days_median")
        for year in (2023, 2024)
    }
    assert shown == city | units | {("a", "wait_days_mean", "alla", 2022)}
    # a chapter of every unit, comparing its units in the detail chart too
    shown = layout.area_page_cells(
        "arbetsbelastning", [("cases_per_worker", ("alla",))], "cases_per_worker", kinds, 2024, 2024
    )
    assert {c for c in shown if c[0] == "f"} == {
        ("f", "cases_per_worker", "alla", 2023),
        ("f", "cases_per_worker", "alla", 2024),
    }


def test_every_catalogue_indicator_has_a_city_chapter():
    """A new indicator left out of every chapter's key figures would land in the
    spreadsheet's "Övriga mått" with no chapter, silently: every catalogue entry is in
    the Personalrörlighet chapter's figures or an area's (layout.AREA_SPECS)."""
    from uppfoljning import catalog

    shown = {i for chapter in layout.city_chapter_indicators().values() for i in chapter}
    assert set(catalog.FIXED) - shown == set()
