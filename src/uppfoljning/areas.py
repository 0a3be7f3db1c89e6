"""The city chapters per area (*Hela staden*): what each chapter shows, described once
(:data:`uppfoljning.layout.AREA_SPECS`), and the context :func:`for_area` gives its notebook
(``notebooks/omrade.ipynb``): the key figures, the trend and comparison charts' frames,
the chapter's sentences and glue. The shaping it shares with the unit and city pages
(looking a cell up, formatting it, the results folder) lives in :mod:`uppfoljning.context`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import catalog, formatting, labels, wording
from .catalog import ALL, BH, SS
from .context import (
    Cell,
    as_display_table,
    common_glue,
    comparison_frame,
    format_cell,
    format_cell_change,
    lookup,
    open_results,
    plausibility_notes,
    read_indicators,
    read_plausibility_warnings,
    read_units,
    row_name,
    select_series,
)
from .layout import (
    AREA_SPECS,
    BY_MEMBER,
    BY_OCCUPATION,
    BY_UNIT,
    CONSULTANTS_SENTENCE,
    TREND,
    WAIT_SPREAD,
    ShownCell,
    area_page_cells,
)
from .units import CITY_ID

# What each chapter shows is declared in uppfoljning.layout (AREA_SPECS); by area, the
# (indicator, occupations) it shows.
AREA_INDICATORS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    name: area.indicators for name, area in AREA_SPECS.items()
}


def survey_scales_sentence(indices: list[str]) -> str:
    """The scale and the direction of every survey index of the chapter, in one
    sentence ("" without any)."""
    if not indices:
        return ""
    items = []
    for indicator in indices:
        record = catalog.indicator(indicator)
        name = labels.indicator_label(indicator).name.split(": ", 1)[-1]
        name = name if "(" in name else name.lower()
        template = labels.SURVEY_SCALE_ITEM if items else labels.SURVEY_SCALE_FIRST
        items.append(
            template.format(
                name=name,
                direction=labels.SURVEY_DIRECTIONS.get(
                    record.code, labels.SURVEY_DIRECTION_UNKNOWN
                ),
            )
        )
    return labels.SURVEY_SCALES_SENTENCE.format(items=formatting.join_list(items))


def exit_base_sentence(bases: dict[str, list[int]], edition: int) -> str:
    """The base of the city's exit-reason shares: its number of exit interviews in the
    edition year and their coverage (interviews / tillsvidare leavers of the year), and
    that a reason named is not a cause. "" without interviews that year."""
    base = bases.get(str(edition))
    if not base or base[0] <= 0:
        return ""
    interviews, leavers = int(base[0]), int(base[1])
    if leavers <= 0:
        return labels.EXIT_BASE_SENTENCE_NO_LEAVERS.format(
            interviews=formatting.format_number(interviews), year=edition
        )
    return labels.EXIT_BASE_SENTENCE.format(
        interviews=formatting.format_number(interviews),
        year=edition,
        leavers=formatting.format_number(leavers),
        coverage=formatting.format_percent(interviews / leavers, 0),
    )


def exit_base_short(bases: dict[str, list[int]], edition: int) -> str:
    """The start page card's base: "av stadens 67 avslutningssamtal, som 28 % av de 237
    som slutade hade" ("av avslutningssamtalen" without a base for the year)."""
    base = bases.get(str(edition))
    if not base or base[0] <= 0:
        return labels.EXIT_BASE_SHORT_NONE
    interviews, leavers = int(base[0]), int(base[1])
    if leavers <= 0:
        return labels.EXIT_BASE_SHORT_NO_LEAVERS.format(
            interviews=formatting.format_number(interviews)
        )
    return labels.EXIT_BASE_SHORT.format(
        interviews=formatting.format_number(interviews),
        leavers=formatting.format_number(leavers),
        coverage=formatting.format_percent(interviews / leavers, 0),
    )


def area_rows(area: str, present: set[str]) -> list[tuple[str, str]]:
    """(indicator, occupation) pairs of an area's chapter that the results contain;
    a family entry expands to every such indicator (e.g. each survey index)."""
    rows: list[tuple[str, str]] = []
    for indicator, occupations in AREA_INDICATORS[area]:
        if indicator in catalog.FAMILIES:
            names = sorted(i for i in present if catalog.family_of(i) == indicator)
        else:
            names = [indicator] if indicator in present else []
        rows += [(name, occupation) for name in names for occupation in occupations]
    return rows


def first_cell(
    indicators: pd.DataFrame,
    unit_id: str,
    indicator: str,
    occupation: str,
    first_year: int,
    edition: int,
) -> tuple[Cell | None, int | None]:
    """The cell of the first year from ``first_year`` up to ``edition`` that has a row
    (the first measurement), and that year; (None, None) if there is none."""
    for year in range(first_year, edition + 1):
        cell = lookup(indicators, unit_id, indicator, occupation, year)
        if cell is not None:
            return cell, year
    return None, None


def area_figures_table(
    indicators: pd.DataFrame,
    rows: list[tuple[str, str]],
    unit_id: str,
    edition: int,
    first_year: int,
) -> pd.DataFrame:
    """This year, the change since last year and the first year's value, per row."""
    table = []
    for indicator, occupation in rows:
        now = lookup(indicators, unit_id, indicator, occupation, edition)
        before = lookup(indicators, unit_id, indicator, occupation, edition - 1)
        first, _ = first_cell(indicators, unit_id, indicator, occupation, first_year, edition - 1)
        table.append(
            {
                labels.COL_INDICATOR: row_name(indicator, occupation),
                labels.COL_THIS_YEAR.format(year=edition): format_cell(indicator, now),
                labels.COL_CHANGE.format(year=edition - 1): format_cell_change(
                    indicator, now, before
                ),
                labels.COL_FIRST_MEASURE: format_cell(indicator, first),
            }
        )
    return as_display_table(pd.DataFrame(table), labels.COL_INDICATOR)


def first_year_column(
    indicators: pd.DataFrame, indicator: str, first_year: int | None, edition: int
) -> int | None:
    """The year of a unit table's first-year column: the first year from ``first_year``
    in which the city has a row of ``indicator`` (a measure added later starts later),
    if it is before the year before the edition; else None (no such column)."""
    if first_year is None:
        return None
    _, year = first_cell(indicators, CITY_ID, indicator, ALL, first_year, edition - 2)
    return year


def units_table(
    indicators: pd.DataFrame, units: pd.DataFrame, columns: list[tuple[str, str, int]]
) -> pd.DataFrame:
    """Each edition unit (rows, in ``units`` order) by ``columns`` = (heading,
    indicator, year) of the ``alla`` values, as Swedish strings: ``..`` where hidden,
    "uppgift saknas" where the table has no value."""
    table = []
    for unit in units.itertuples():
        row = {labels.COL_UNIT: unit.name}
        for heading, indicator, year in columns:
            row[heading] = format_cell(
                indicator, lookup(indicators, unit.unit_id, indicator, ALL, year)
            )
        table.append(row)
    return as_display_table(
        pd.DataFrame(table, columns=[labels.COL_UNIT] + [c[0] for c in columns]), labels.COL_UNIT
    )


def unit_year_table(
    indicators: pd.DataFrame,
    units: pd.DataFrame,
    indicator: str,
    edition: int,
    first_year: int | None = None,
) -> pd.DataFrame:
    """Each edition unit's value of ``indicator`` (alla) this year, last year and, with
    ``first_year``, the first year of the series (:func:`first_year_column`): the newest
    year first, so on a phone it is in view beside the unit."""
    years = [edition, edition - 1]
    first = first_year_column(indicators, indicator, first_year, edition)
    years += [first] if first is not None else []
    return units_table(indicators, units, [(str(y), indicator, y) for y in years])


def wait_table(
    indicators: pd.DataFrame, districts: pd.DataFrame, edition: int, first_year: int | None = None
) -> pd.DataFrame:
    """Mean and median wait per stadsdelsförvaltning, this year and last year (each
    measure's newest year first), and with ``first_year`` the mean of the first year."""
    columns = []
    for indicator, heading in (
        ("wait_days_mean", labels.WAIT_TABLE_MEAN),
        ("wait_days_median", labels.WAIT_TABLE_MEDIAN),
    ):
        years = [edition, edition - 1]
        first = (
            first_year_column(indicators, indicator, first_year, edition)
            if indicator == "wait_days_mean"
            else None
        )
        years += [first] if first is not None else []
        columns += [(heading.format(year=y), indicator, y) for y in years]
    return units_table(indicators, districts, columns)


def consultants_table(
    indicators: pd.DataFrame, units: pd.DataFrame, edition: int, first_year: int | None = None
) -> pd.DataFrame:
    """Consultants per unit this year, last year and (with ``first_year``) the first
    year, and their cost this year and last year."""
    years = [edition, edition - 1]
    first = first_year_column(indicators, "consultants", first_year, edition)
    columns = [
        (labels.CONSULTANTS_TABLE_COUNT.format(year=y), "consultants", y)
        for y in years + ([first] if first is not None else [])
    ]
    if (indicators["indicator"] == "consultant_cost_sek").any():  # an optional table
        columns += [
            (labels.CONSULTANTS_TABLE_COST.format(year=y), "consultant_cost_sek", y) for y in years
        ]
    return units_table(indicators, units, columns)


@dataclass(frozen=True)
class WaitSpread:
    year: int
    shortest: str  # unit name
    shortest_value: float
    longest: str
    longest_value: float

    @property
    def difference(self) -> float:
        return self.longest_value - self.shortest_value


def wait_spread(by_unit: pd.DataFrame, year: int) -> WaitSpread | None:
    """Shortest and longest published wait among ``by_unit`` (unit_name, value,
    suppressed), as displayed: every unit sharing the shortest or the longest wait is
    named ("Bromma och Årsta"). The difference is that of the displayed values. None
    with fewer than two published values."""
    shown = by_unit[by_unit["value"].notna() & ~by_unit["suppressed"].astype(bool)]
    if len(shown) < 2:
        return None
    found = wording.extremes(
        zip(shown["unit_name"], shown["value"], shown["suppressed"], strict=True), "wait_days_mean"
    )
    return WaitSpread(
        year,
        wording.name_units(found.lowest, labels.NOUN_DISTRICTS),
        float(formatting.displayed_value("wait_days_mean", found.lowest_value)),
        wording.name_units(found.highest, labels.NOUN_DISTRICTS),
        float(formatting.displayed_value("wait_days_mean", found.highest_value)),
    )


def wait_spread_sentence(by_unit: pd.DataFrame, year: int) -> str:
    """Shortest and longest mean wait among the stadsdelsförvaltningar and the gap."""
    spread = wait_spread(by_unit, year)
    if spread is None:
        return labels.WAIT_SPREAD_NONE.format(year=year)
    fmt = formatting.format_indicator
    return labels.WAIT_SPREAD_SENTENCE.format(
        shortest=spread.shortest,
        shortest_value=fmt("wait_days_mean", spread.shortest_value),
        longest=spread.longest,
        longest_value=fmt("wait_days_mean", spread.longest_value),
        year=year,
        difference=fmt("wait_days_mean", spread.difference),
    )


def wait_spread_glue(
    by_unit_now: pd.DataFrame, by_unit_before: pd.DataFrame, edition: int
) -> dict[str, str]:
    """Glue keys of the spread, this year (``wait_*``) and last year (``wait_*_prev``):
    shortest, shortest_unit, longest, longest_unit, difference, and the sentences
    ``wait_spread`` / ``wait_spread_prev``."""
    values: dict[str, str] = {}
    for suffix, frame, year in (("", by_unit_now, edition), ("_prev", by_unit_before, edition - 1)):
        spread = wait_spread(frame, year)
        fmt = formatting.format_indicator
        if spread is None:
            parts = dict.fromkeys(
                ("shortest", "shortest_unit", "longest", "longest_unit", "difference"),
                formatting.MISSING,
            )
        else:
            parts = {
                "shortest": fmt("wait_days_mean", spread.shortest_value),
                "shortest_unit": spread.shortest,
                "longest": fmt("wait_days_mean", spread.longest_value),
                "longest_unit": spread.longest,
                "difference": fmt("wait_days_mean", spread.difference),
            }
        values.update({f"wait_{k}{suffix}": v for k, v in parts.items()})
        values[f"wait_spread{suffix}"] = wait_spread_sentence(frame, year)
    return values


def declared_indicators(area: str, present: set[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Every (indicator, occupations) an area's chapter glues, whether delivered or not:
    the declared ids, and for a family entry the known codes of ``labels`` plus any
    other present id of the family. Glue keys stay the same for every delivery, so a
    chapter referring to them never breaks because an optional table is missing."""
    known = {catalog.SURVEY: labels.SURVEY_INDICES, catalog.EXIT_REASON: labels.EXIT_REASONS}
    declared: list[tuple[str, tuple[str, ...]]] = []
    for indicator, occupations in AREA_INDICATORS[area]:
        if indicator in catalog.FAMILIES:
            names = {catalog.family_id(indicator, code) for code in known[indicator]} | {
                i for i in present if catalog.family_of(i) == indicator
            }
            declared += [(name, occupations) for name in sorted(names)]
        else:
            declared.append((indicator, occupations))
    return declared


def indicator_glue(
    indicators: pd.DataFrame,
    declared: list[tuple[str, tuple[str, ...]]],
    unit_id: str,
    edition: int,
    first_year: int,
) -> dict[str, str]:
    """Glue keys ``<indicator>_<occupation>`` (this year) with ``_prev``, ``_change``,
    ``_first`` (first measurement) and ``_first_year``, as Swedish text; "uppgift
    saknas" where the results have no row."""
    values: dict[str, str] = {}
    for indicator, occupations in declared:
        for occupation in occupations:
            key = f"{indicator}_{occupation}"
            now = lookup(indicators, unit_id, indicator, occupation, edition)
            before = lookup(indicators, unit_id, indicator, occupation, edition - 1)
            first, year = first_cell(
                indicators, unit_id, indicator, occupation, first_year, edition - 1
            )
            values[key] = format_cell(indicator, now)
            values[f"{key}_prev"] = format_cell(indicator, before)
            values[f"{key}_change"] = format_cell_change(indicator, now, before)
            values[f"{key}_first"] = format_cell(indicator, first)
            values[f"{key}_first_year"] = str(year) if year is not None else formatting.MISSING
    return values


def consultants_sentence(indicators: pd.DataFrame, edition: int, first_year: int) -> str:
    """The city's consultants at the latest measuring point against the first one
    (indicators.md: November 2016 in Stockholm's series), and their cost."""
    now = lookup(indicators, CITY_ID, "consultants", ALL, edition)
    first, year = first_cell(indicators, CITY_ID, "consultants", ALL, first_year, edition - 1)
    cost = lookup(indicators, CITY_ID, "consultant_cost_sek", ALL, edition)
    cost_first = lookup(
        indicators, CITY_ID, "consultant_cost_sek", ALL, year if year is not None else first_year
    )
    return labels.CONSULTANTS_FIRST_SENTENCE.format(
        first_year=year if year is not None else first_year,
        first=format_cell("consultants", first),
        year=edition,
        now=format_cell("consultants", now),
        change=format_cell_change("consultants", now, first),
        cost=format_cell("consultant_cost_sek", cost),
        cost_first=format_cell("consultant_cost_sek", cost_first),
    )


def two_years_frame(
    indicators: pd.DataFrame, rows: list[tuple[str, str, str]], unit_id: str, edition: int
) -> pd.DataFrame:
    """category, year, value, suppressed of ``rows`` = (category name, indicator,
    occupation) for last year and this year (absent rows left out)."""
    table = []
    for category, indicator, occupation in rows:
        for year in (edition - 1, edition):
            cell = lookup(indicators, unit_id, indicator, occupation, year)
            if cell is not None:
                table.append(
                    {"category": category, "year": year, "value": cell[0], "suppressed": cell[1]}
                )
    return pd.DataFrame(table, columns=["category", "year", "value", "suppressed"])


def units_two_years(
    indicators: pd.DataFrame, units: pd.DataFrame, indicator: str, edition: int
) -> pd.DataFrame:
    """category (unit name), year, value, suppressed of ``indicator`` (alla) per unit."""
    frames = [
        comparison_frame(indicators, units, indicator, ALL, year).assign(year=year)
        for year in (edition - 1, edition)
    ]
    both = pd.concat(frames, ignore_index=True)
    return pd.DataFrame(
        {
            "category": both["unit_name"],
            "year": both["year"],
            "value": both["value"],
            "suppressed": both["suppressed"],
        }
    )


@dataclass(frozen=True)
class DetailChart:
    """The deepening chart of an area chapter (``charts.plot_detail`` draws it)."""

    kind: str  # "trend" (data: year, occupation, value, suppressed) or "two_years"
    indicator: str  # number format (and name, unless ``measure``)
    data: pd.DataFrame
    measure: str | None = None
    noun: str = labels.NOUN_UNITS
    category_title: str = labels.COL_UNIT


def area_detail(
    area: str, indicators: pd.DataFrame, units: pd.DataFrame, edition: int
) -> DetailChart | None:
    """Each area's second chart: a second trend, or last year against this year per
    unit, occupation, survey index or exit reason. None for an area without one."""
    if area not in AREA_SPECS:
        return None
    spec = AREA_SPECS[area].detail
    if spec.compare == TREND:
        return DetailChart(
            "trend", spec.indicator, select_series(indicators, CITY_ID, spec.indicator)
        )
    if spec.compare == BY_UNIT:
        districts_only = AREA_SPECS[area].districts_only
        compared = units[units["kind"] == "stadsdelsforvaltning"] if districts_only else units
        noun = labels.NOUN_DISTRICTS if districts_only else labels.NOUN_UNITS
        return DetailChart(
            "two_years",
            spec.indicator,
            units_two_years(indicators, compared, spec.indicator, edition),
            noun=noun,
        )
    if spec.compare == BY_OCCUPATION:
        rows = [(labels.OCCUPATIONS[o], spec.indicator, o) for o in (SS, BH)]
        return DetailChart(
            "two_years",
            spec.indicator,
            two_years_frame(indicators, rows, CITY_ID, edition),
            noun=labels.NOUN_OCCUPATIONS,
            category_title=labels.AXIS_OCCUPATION,
        )
    if spec.compare == BY_MEMBER:
        names = sorted(
            i for i in set(indicators["indicator"]) if catalog.family_of(i) == spec.family
        )
        rows = [(labels.indicator_label(i).name.split(": ", 1)[-1], i, ALL) for i in names]
        indicator = names[0] if names else catalog.family_id(spec.family, "x")
        return DetailChart(
            "two_years",
            indicator,
            two_years_frame(indicators, rows, CITY_ID, edition),
            measure=spec.measure,
            noun=spec.noun,
            category_title=spec.measure,
        )
    return None


@dataclass(frozen=True)
class AreaContext:
    area: str
    title: str
    edition: int
    first_year: int
    main_indicator: str
    trend: pd.DataFrame  # year, occupation, value, suppressed (the city)
    by_unit: pd.DataFrame  # unit_name, value, suppressed (edition year, alla)
    city_value: float | None
    figures: pd.DataFrame  # Swedish strings
    unit_table: pd.DataFrame  # Swedish strings
    unit_table_note: formatting.Notes = field(default_factory=lambda: formatting.Notes(()))
    detail: DetailChart | None = None
    glue_values: dict[str, str] = field(default_factory=dict)
    download_prefix: str = ""
    plausibility_notes: tuple[str, ...] = ()  # Swedish, one per warned figure shown
    # every cell the chapter shows (layout.area_page_cells): its notes are about these
    shown_cells: frozenset[ShownCell] = frozenset()


def for_area(area: str, edition: int, results_dir: str | Path) -> AreaContext:
    """A city chapter of one area of the action plan (``AREA_INDICATORS``).

    Glue keys (the same for every delivery; "uppgift saknas" where a table is missing):
    ``area_intro``, ``area_main`` (sentence), ``area_extra`` (the area's own sentence:
    consultants against the first measuring point, the spread of waits), ``main_label``,
    ``main_value``, ``main_prev``, ``main_change``, ``main_first``, and
    :func:`indicator_glue`'s ``<indicator>_<occupation>[_prev|_change|_first]`` for every
    indicator of the area; ``vantetider`` adds :func:`wait_spread_glue`'s keys."""
    if area not in AREA_SPECS:
        raise ValueError(f"unknown area {area!r}; choose one of: {', '.join(AREA_SPECS)}")
    spec = AREA_SPECS[area]
    results_dir, meta = open_results(results_dir, edition)
    units = read_units(results_dir)
    indicators = read_indicators(results_dir)
    present = set(indicators["indicator"])
    rows = area_rows(area, present)
    declared = declared_indicators(area, present)
    # the area's rows only: every lookup below scans a few hundred rows, not thousands
    indicators = indicators[indicators["indicator"].isin([i for i, _ in declared])]
    main = rows[0][0] if rows else declared[0][0]
    label = labels.AREAS[area]
    glue_values = common_glue(meta)
    glue_values["area_title"] = label.title
    glue_values["area_intro"] = label.intro.format(
        year=meta.edition, previous_year=meta.previous_year
    )
    glue_values.update(indicator_glue(indicators, declared, CITY_ID, meta.edition, meta.first_year))
    city = lookup(indicators, CITY_ID, main, ALL, meta.edition) if rows else None
    glue_values["main_label"] = labels.indicator_label(main).name
    glue_values["main_value"] = glue_values[f"{main}_{ALL}"]
    for suffix in ("prev", "change", "first"):
        glue_values[f"main_{suffix}"] = glue_values[f"{main}_alla_{suffix}"]
    if rows:
        glue_values["area_main"] = wording.change_sentence(
            labels.AREA_MAIN_SUBJECT.format(subject=labels.sentence_subject(main)),
            main,
            city,
            lookup(indicators, CITY_ID, main, ALL, meta.previous_year),
            meta.edition,
        )
    else:
        glue_values["area_main"] = labels.AREA_NO_DATA.format(indicator_lower=label.title.lower())
    districts = units[units["kind"] == "stadsdelsforvaltning"]
    compared = districts if spec.districts_only else units
    by_unit = comparison_frame(indicators, compared, main, ALL, meta.edition)
    glue_values["area_extra"] = ""
    if spec.sentence == WAIT_SPREAD:
        glue_values.update(
            wait_spread_glue(
                by_unit,
                comparison_frame(indicators, compared, main, ALL, meta.previous_year),
                meta.edition,
            )
        )
        glue_values["area_extra"] = glue_values["wait_spread"] if rows else ""
    if spec.sentence == CONSULTANTS_SENTENCE and rows:
        glue_values["area_extra"] = consultants_sentence(indicators, meta.edition, meta.first_year)
    if area == "medarbetarenkat":
        glue_values["area_extra"] = survey_scales_sentence(
            [i for i, _ in declared if catalog.is_survey_index(i)]
        )
    if area == "avslutningssamtal":
        glue_values["area_extra"] = exit_base_sentence(meta.exit_bases, meta.edition)
        glue_values["exit_base_short"] = exit_base_short(meta.exit_bases, meta.edition)
    if spec.mean_and_median:
        unit_table = wait_table(indicators, compared, meta.edition, meta.first_year)
    elif spec.with_cost:
        unit_table = consultants_table(indicators, compared, meta.edition, meta.first_year)
    else:
        unit_table = unit_year_table(indicators, compared, main, meta.edition, meta.first_year)
    detail = area_detail(area, indicators, units, meta.edition)
    shown_cells = frozenset(
        area_page_cells(
            area,
            declared,
            main,
            dict(zip(units["unit_id"], units["kind"], strict=True)),
            meta.first_year,
            meta.edition,
            main_first_year=first_year_column(indicators, main, meta.first_year, meta.edition),
        )
        if rows
        else ()
    )
    notes = plausibility_notes(
        read_plausibility_warnings(results_dir), indicators, units, shown_cells
    )
    return AreaContext(
        area=area,
        title=label.title,
        edition=meta.edition,
        first_year=meta.first_year,
        main_indicator=main,
        trend=select_series(indicators, CITY_ID, main),
        by_unit=by_unit,
        city_value=city[0] if city and not city[1] else None,
        figures=area_figures_table(indicators, rows, CITY_ID, meta.edition, meta.first_year),
        unit_table=unit_table if rows else pd.DataFrame(),
        unit_table_note=formatting.Notes(
            (spec.unit_table_note,)
            if rows
            and spec.unit_table_note
            and not (spec.with_cost and "consultant_cost_sek" not in present)
            else (),
            heading=labels.TABLE_NOTE_HEADING,
        ),
        detail=detail,
        glue_values=glue_values,
        download_prefix=f"{area}-{meta.edition}",
        plausibility_notes=tuple(notes),
        shown_cells=shown_cells,
    )
