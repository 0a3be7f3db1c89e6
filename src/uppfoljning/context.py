"""What a notebook gets: the computed results of one build, shaped for one page.

The build computes the published indicator table once and writes it, with a few small
aggregated inputs, into a results folder (:func:`write_results`). A notebook then calls
:func:`for_unit` or :func:`for_city` with three primitive parameters and receives a
frozen context holding frames ready to plot and Swedish strings ready to glue. Nothing
here reads person-level data: the results folder holds aggregates only.

Results folder layout (all written by :func:`write_results`):

- ``indikatorer.parquet`` — the published table (indicators.md), suppression applied
- ``units.csv`` — the edition's units: unit_id, name, kind, region, page, reorganisation_note
- ``focus_status.csv`` — focus-area status per edition unit and year (aggregated codes and
  the researcher's published note)
- ``meta.json`` — edition, first_year, min_n, title, synthetic, built_at, code_version
- ``plausibility_warnings.csv`` — the results checks' plausibility warnings (check_name in
  Swedish, unit_id, indicator, occupation, previous_year, year) with the analyst's
  outcome (``granskning.yml``; empty while unreviewed, in a draft), so the page that shows
  a flagged figure carries the outcome (:func:`plausibility_notes`)
"""

from __future__ import annotations

import json
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import catalog, formatting, labels, wording
from .catalog import ALL, BH, BY_OCCUPATION, SS
from .layout import (
    CITY_TURNOVER_FIGURES,
    KEY_FIGURES,
    UNIT_TREND_ROWS,
    ShownCell,
    unit_page_cells,
)
from .main_points import MainPoints, main_points
from .units import CITY_ID

INDICATORS_FILE = "indikatorer.parquet"
UNITS_FILE = "units.csv"
FOCUS_FILE = "focus_status.csv"
META_FILE = "meta.json"
WARNINGS_FILE = "plausibility_warnings.csv"
WARNING_COLUMNS = (
    "check_name",
    "unit_id",
    "indicator",
    "occupation",
    "previous_year",
    "year",
    "outcome",
)
Cell = tuple[float | None, bool]  # (value, suppressed) of one row of the published table

# Years per table of a unit's "Utvecklingen per yrkesgrupp" (formatting.split_table): the
# row headings and five years fit the text column at 1280 px, so 2016-2024 is two tables,
# the newest years first.
UNIT_TREND_COLUMNS = 5


@dataclass(frozen=True)
class EditionMeta:
    edition: int
    first_year: int
    min_n: int
    title: str
    synthetic: bool
    built_at: str
    code_version: str
    # The city's exit interviews and tillsvidare leavers per year ({"2024": [67, 237]}):
    # the base and coverage of the exit-reason shares (city level only).
    exit_bases: dict[str, list[int]] = field(default_factory=dict)

    @property
    def previous_year(self) -> int:
        return self.edition - 1


def unit_page(unit_id: str, kind: str) -> str:
    """Stable ASCII page path (without suffix) of a unit's page in the book."""
    folder = "fackforvaltningar" if kind == "fackforvaltning" else "stadsdelar"
    return f"{folder}/{unit_id}"


# ---------------------------------------------------------------------------
# Writing (build process)


def write_results(
    results_dir: Path,
    *,
    indicators: pd.DataFrame,
    units: pd.DataFrame,
    focus_status: pd.DataFrame,
    meta: EditionMeta,
) -> Path:
    """Write the results folder the notebooks read. ``units`` needs unit_id, name, kind,
    region, reorganisation_note; ``focus_status`` year, unit_id, area_id, area_name,
    status, note."""
    results_dir.mkdir(parents=True, exist_ok=True)
    indicators.to_parquet(results_dir / INDICATORS_FILE, index=False)
    units = units.assign(
        page=[unit_page(u, k) for u, k in zip(units["unit_id"], units["kind"], strict=True)]
    )
    units.to_csv(results_dir / UNITS_FILE, index=False)
    focus_status.to_csv(results_dir / FOCUS_FILE, index=False)
    write_meta(results_dir, meta)
    return results_dir


def write_meta(results_dir: Path, meta: EditionMeta) -> Path:
    path = results_dir / META_FILE
    path.write_text(json.dumps(meta.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_plausibility_warnings(results_dir: Path, warnings: pd.DataFrame) -> Path:
    """Write the plausibility warnings of the results checks (:data:`WARNING_COLUMNS`;
    ``previous_year`` empty for a warning about one year) into the results folder."""
    path = Path(results_dir) / WARNINGS_FILE
    warnings.reindex(columns=list(WARNING_COLUMNS)).to_csv(path, index=False)
    return path


def with_outcomes(warnings: pd.DataFrame, outcomes: dict[str, str]) -> pd.DataFrame:
    """``warnings`` (:func:`read_plausibility_warnings`) with each one's outcome from
    ``outcomes`` (warning key -> sentence; "" where none is recorded)."""
    from .results_check import warning_key

    keys = [
        warning_key(
            w.unit_id,
            w.indicator,
            w.occupation,
            int(w.year),
            None if formatting.is_missing(w.previous_year) else int(w.previous_year),
        )
        for w in warnings.itertuples(index=False)
    ]
    return warnings.assign(outcome=[outcomes.get(key, "") for key in keys])


def read_plausibility_warnings(results_dir: Path | str) -> pd.DataFrame:
    """The warnings :func:`write_plausibility_warnings` wrote; none if the folder has no
    such file (a results folder written by hand)."""
    path = Path(results_dir) / WARNINGS_FILE
    if not path.is_file():
        return pd.DataFrame(columns=list(WARNING_COLUMNS))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "outcome" not in frame:
        frame["outcome"] = ""
    return frame.assign(
        year=pd.to_numeric(frame["year"]).astype("Int64"),
        previous_year=pd.to_numeric(frame["previous_year"].replace("", None)).astype("Int64"),
    )


def read_meta(results_dir: Path | str) -> EditionMeta:
    data = json.loads((Path(results_dir) / META_FILE).read_text(encoding="utf-8"))
    return EditionMeta(**data)


def read_units(results_dir: Path | str) -> pd.DataFrame:
    return pd.read_csv(Path(results_dir) / UNITS_FILE, dtype=str, keep_default_na=False)


def read_indicators(results_dir: Path | str) -> pd.DataFrame:
    return pd.read_parquet(Path(results_dir) / INDICATORS_FILE)


def read_focus_status(results_dir: Path | str) -> pd.DataFrame:
    frame = pd.read_csv(Path(results_dir) / FOCUS_FILE, dtype=str, keep_default_na=False)
    return frame.assign(year=pd.to_numeric(frame["year"]).astype("Int64"))


# ---------------------------------------------------------------------------
# Shaping (pure functions on the published table)


def select_series(indicators: pd.DataFrame, unit_id: str, indicator: str) -> pd.DataFrame:
    """year, occupation, value, suppressed of one unit's indicator, sorted."""
    rows = indicators[(indicators["unit_id"] == unit_id) & (indicators["indicator"] == indicator)]
    rank = {o: i for i, o in enumerate(BY_OCCUPATION)}
    return (
        rows.assign(_o=rows["occupation"].map(rank))
        .sort_values(["_o", "year"])[["year", "occupation", "value", "suppressed"]]
        .reset_index(drop=True)
    )


_CELLS: list = [None, {}]  # [the last frame looked up in, its cells by key]


def cells_by_key(indicators: pd.DataFrame) -> dict[tuple[str, str, str, int], Cell]:
    """(unit_id, indicator, occupation, year) -> (value, suppressed) of every row. The
    dict of the frame last asked about is kept (by identity: frames here are never
    changed in place), so a page's hundreds of look-ups cost one pass over the table."""
    if _CELLS[0] is indicators:
        return _CELLS[1]
    values = indicators["value"].to_numpy(dtype=float, na_value=float("nan"))
    table = {
        (unit, indicator, occupation, int(year)): (
            None if missing else float(value),
            bool(suppressed),
        )
        for unit, indicator, occupation, year, value, missing, suppressed in zip(
            indicators["unit_id"].tolist(),
            indicators["indicator"].tolist(),
            indicators["occupation"].tolist(),
            indicators["year"].tolist(),
            values.tolist(),
            pd.isna(values).tolist(),
            indicators["suppressed"].tolist(),
            strict=True,
        )
    }
    _CELLS[:] = [indicators, table]
    return table


def lookup(
    indicators: pd.DataFrame, unit_id: str, indicator: str, occupation: str, year: int
) -> Cell | None:
    """(value, suppressed) of one cell of the table, or None if the row is absent."""
    return cells_by_key(indicators).get((unit_id, indicator, occupation, int(year)))


def row_name(indicator: str, occupation: str) -> str:
    name = labels.indicator_label(indicator).name
    return name if occupation == ALL else f"{name}, {labels.OCCUPATIONS[occupation].lower()}"


def as_display_table(table: pd.DataFrame, first_column: str) -> pd.DataFrame:
    """Index by the first column and name the header row after it, so the rendered
    table has one header row with the first column's heading in the corner."""
    table = table.set_index(first_column) if first_column in table else table
    table.index.name = None
    table.columns.name = first_column
    return table


def format_cell(indicator: str, cell: tuple[float | None, bool] | None) -> str:
    if cell is None:
        return formatting.MISSING
    value, suppressed = cell
    return formatting.format_indicator(indicator, value, suppressed=suppressed)


def format_cell_change(
    indicator: str, now: tuple[float | None, bool] | None, before: tuple[float | None, bool] | None
) -> str:
    """Change between two cells, from the values as displayed; ``..`` if either is
    suppressed."""
    return _unchangeable(now, before) or formatting.format_displayed_change(
        indicator, now[0], before[0]
    )


def _unchangeable(
    now: tuple[float | None, bool] | None, before: tuple[float | None, bool] | None
) -> str | None:
    """What a change between two cells reads when it cannot be computed: ``..`` if
    either is hidden, "uppgift saknas" if either is missing; None when both are shown."""
    if now is None or before is None:
        return formatting.MISSING
    if now[1] or before[1]:
        return formatting.SUPPRESSED
    if now[0] is None or before[0] is None:
        return formatting.MISSING
    return None


def key_figures_table(
    indicators: pd.DataFrame,
    unit_id: str,
    edition: int,
    with_city: bool = True,
    figures: tuple[tuple[str, str], ...] = KEY_FIGURES,
) -> pd.DataFrame:
    """Swedish key-figure table of ``figures`` (indicator, occupation): this year, the
    city's value, change since last year. The columns that matter most come first
    (measure, newest year, the city): on a phone they are what shows before the table
    scrolls."""
    rows = []
    present = set(indicators["indicator"].unique())
    for indicator, occupation in figures:
        if indicator not in present:
            continue
        now = lookup(indicators, unit_id, indicator, occupation, edition)
        before = lookup(indicators, unit_id, indicator, occupation, edition - 1)
        name = labels.indicator_label(indicator).name
        if occupation != ALL or indicator.startswith("turnover"):
            name = f"{name}, {labels.OCCUPATIONS[occupation].lower()}"
        row = {
            labels.COL_INDICATOR: name,
            labels.COL_THIS_YEAR.format(year=edition): format_cell(indicator, now),
        }
        if with_city:
            city = lookup(indicators, CITY_ID, indicator, occupation, edition)
            row[labels.COL_CITY.format(year=edition)] = format_cell(indicator, city)
        row[labels.COL_CHANGE.format(year=edition - 1)] = format_cell_change(indicator, now, before)
        rows.append(row)
    return as_display_table(pd.DataFrame(rows, columns=None), labels.COL_INDICATOR)


def occupation_trend_table(
    indicators: pd.DataFrame,
    unit_id: str,
    rows: tuple[tuple[str, str], ...],
    first_year: int,
    edition: int,
) -> pd.DataFrame:
    """Every year from ``edition`` back to ``first_year`` (columns, the newest first, so
    the year that matters most is in view without scrolling) of each (indicator,
    occupation) row, as Swedish strings; rows without any data are left out."""
    years = list(range(edition, first_year - 1, -1))
    table = []
    for indicator, occupation in rows:
        cells = [lookup(indicators, unit_id, indicator, occupation, y) for y in years]
        if all(cell is None for cell in cells):
            continue
        table.append(
            {
                labels.COL_SERIES: row_name(indicator, occupation),
                **{str(y): format_cell(indicator, c) for y, c in zip(years, cells, strict=True)},
            }
        )
    if not table:
        return pd.DataFrame()
    return as_display_table(pd.DataFrame(table), labels.COL_SERIES)


def turnover_glue(
    indicators: pd.DataFrame, unit_id: str, edition: int, prefix: str = ""
) -> dict[str, str]:
    """Glue keys for personalrörlighet: ``turnover_<occ>``, ``turnover_<occ>_prev``,
    ``turnover_<occ>_change``, the whole sentence ``turnover_<occ>_sentence`` (reads
    whatever is hidden) and, for a unit, ``city_turnover_<occ>``."""
    values: dict[str, str] = {}
    whose = labels.WHOSE_CITY if unit_id == CITY_ID else labels.WHOSE_UNIT
    for occupation in BY_OCCUPATION:
        now = lookup(indicators, unit_id, "turnover_rate", occupation, edition)
        before = lookup(indicators, unit_id, "turnover_rate", occupation, edition - 1)
        values[f"{prefix}turnover_{occupation}"] = format_cell("turnover_rate", now)
        values[f"{prefix}turnover_{occupation}_prev"] = format_cell("turnover_rate", before)
        values[f"{prefix}turnover_{occupation}_change"] = format_cell_change(
            "turnover_rate", now, before
        )
        values[f"{prefix}turnover_{occupation}_sentence"] = wording.change_sentence(
            labels.TURNOVER_SUBJECTS[occupation].format(whose=whose),
            "turnover_rate",
            now,
            before,
            edition,
        )
    return values


def city_turnover_sentence(indicators: pd.DataFrame, edition: int) -> str:
    """ "I hela staden var den 15,5 %." for a unit page, or why it cannot be given."""
    cell = lookup(indicators, CITY_ID, "turnover_rate", ALL, edition)
    if cell is None or (not cell[1] and cell[0] is None):
        return labels.CITY_TURNOVER_SENTENCE_MISSING.format(year=edition)
    if cell[1]:
        return labels.CITY_TURNOVER_SENTENCE_HIDDEN.format(year=edition)
    return labels.CITY_TURNOVER_SENTENCE.format(value=format_cell("turnover_rate", cell))


def format_cell_difference(indicator: str, now: Cell | None, before: Cell | None) -> str:
    """The change between two cells as a bare signed number in the unit the values are
    displayed in (percentage points for rates), from the values as displayed: for a
    table whose heading names the unit (not for sums in kronor, shown in kr or mnkr).
    ``..`` if either is hidden, "uppgift saknas" if either is missing."""
    unchangeable = _unchangeable(now, before)
    if unchangeable:
        return unchangeable
    change = formatting.displayed_value(indicator, now[0]) - formatting.displayed_value(
        indicator, before[0]
    )
    return formatting.format_change(change, catalog.indicator(indicator).decimals)


# Columns per table of the city's turnover per unit and year (formatting.split_table):
# the unit, the edition year, the change and three more years fit the text column at
# 1280 px; 2016-2024 with the change is two tables, the newest years first.
UNIT_YEARS_COLUMNS = 5


def units_by_year_table(
    indicators: pd.DataFrame,
    units: pd.DataFrame,
    indicator: str,
    occupation: str,
    first_year: int,
    edition: int,
) -> pd.DataFrame:
    """The city (first row) and every edition unit (in ``units`` order) by year, from
    the edition back to ``first_year`` (the newest first), with the change since the
    year before the edition after the edition's column, as Swedish strings: ``..``
    where hidden, "uppgift saknas" where the table has no value. Empty if the table
    has no row of ``indicator`` for ``occupation``."""
    rows = indicators[
        (indicators["indicator"] == indicator) & (indicators["occupation"] == occupation)
    ]
    if rows.empty:
        return pd.DataFrame()
    years = list(range(edition, first_year - 1, -1))
    change = labels.COL_CHANGE.format(year=edition - 1)  # the unit is in the lead
    table = []
    for unit_id, name in [
        (CITY_ID, labels.CITY_NAME),
        *zip(units["unit_id"], units["name"], strict=True),
    ]:
        cells = {y: lookup(indicators, unit_id, indicator, occupation, y) for y in years}
        row = {labels.COL_UNIT: name, str(edition): format_cell(indicator, cells[edition])}
        if edition > first_year:  # a first edition has no year before to compare with
            row[change] = format_cell_difference(indicator, cells[edition], cells[edition - 1])
        row.update({str(y): format_cell(indicator, cells[y]) for y in years[1:]})
        table.append(row)
    return as_display_table(pd.DataFrame(table), labels.COL_UNIT)


def comparison_frame(
    indicators: pd.DataFrame, units: pd.DataFrame, indicator: str, occupation: str, year: int
) -> pd.DataFrame:
    """unit_name, value, suppressed per edition unit (city excluded) for one year."""
    rows = indicators[
        (indicators["indicator"] == indicator)
        & (indicators["occupation"] == occupation)
        & (indicators["year"] == year)
        & (indicators["unit_id"].isin(units["unit_id"]))
    ]
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    kinds = dict(zip(units["unit_id"], units["kind"], strict=True)) if "kind" in units else {}
    return pd.DataFrame(
        {
            "unit_id": rows["unit_id"].to_numpy(),
            "unit_name": rows["unit_id"].map(names).to_numpy(),
            "kind": rows["unit_id"].map(kinds).to_numpy(),
            "value": rows["value"].to_numpy(),
            "suppressed": rows["suppressed"].to_numpy(),
        }
    )


def focus_table(focus_status: pd.DataFrame, unit_id: str, edition: int) -> pd.DataFrame:
    """Swedish table of a unit's focus areas in the edition year (status and note)."""
    rows = focus_status[(focus_status["unit_id"] == unit_id) & (focus_status["year"] == edition)]
    planned = rows.index.isin(in_plan(rows).index)
    table = pd.DataFrame(
        {
            labels.COL_FOCUS_AREA: rows["area_name"].to_numpy(),
            labels.COL_STATUS: [
                labels.FOCUS_STATUSES.get(status, status) if inside else labels.FOCUS_NOT_IN_PLAN
                for status, inside in zip(rows["status"], planned, strict=True)
            ],
            labels.COL_NOTE: rows["note"].to_numpy(),
        }
    )
    return as_display_table(table, labels.COL_FOCUS_AREA)


def focus_matrix(focus_status: pd.DataFrame, units: pd.DataFrame, edition: int) -> pd.DataFrame:
    """Unit x focus-area matrix of Swedish status names for the edition year: one row
    per edition unit (in ``units`` order), one column per focus area reported that year
    (in the order first seen); ``–`` where a unit has no status for an area or the
    area was not yet part of the plan."""
    rows = focus_status[focus_status["year"] == edition]
    if rows.empty:
        return pd.DataFrame()
    areas = list(dict.fromkeys(rows["area_name"]))
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    rows = in_plan(rows)
    matrix = (
        rows.assign(status_text=rows["status"].map(labels.FOCUS_STATUSES))
        .pivot_table(index="unit_id", columns="area_name", values="status_text", aggfunc="first")
        .reindex(index=list(units["unit_id"]), columns=areas)
        .astype(object)
        .fillna(labels.FOCUS_NOT_REPORTED)
    )
    matrix.index = [names[u] for u in matrix.index]
    return as_display_table(matrix.rename_axis(labels.COL_UNIT).reset_index(), labels.COL_UNIT)


STALLED, NOT_BEGUN = "avstannat", "ej_paborjat"


def in_plan(focus_status: pd.DataFrame) -> pd.DataFrame:
    """The assessments of areas that were part of the action plan that year: an area
    added to the plan later (``plan_version`` after the year) is not counted as
    ``ej_paborjat`` in the years before it existed. Rows without a plan version count."""
    if "plan_version" not in focus_status:
        return focus_status
    version = pd.to_numeric(focus_status["plan_version"], errors="coerce")
    return focus_status[version.isna() | (focus_status["year"].astype(int) >= version)]


def _edition_rows(focus_status: pd.DataFrame, units: pd.DataFrame, year: int) -> pd.DataFrame:
    rows = in_plan(focus_status)
    return rows[(rows["year"] == year) & rows["unit_id"].isin(units["unit_id"])]


def units_with_status(
    focus_status: pd.DataFrame, units: pd.DataFrame, year: int, status: str
) -> list[tuple[str, int]]:
    """(unit name, number of areas) of every edition unit with ``status`` in ``year``,
    the most first, then in ``units`` order (areas outside the plan that year skipped)."""
    rows = _edition_rows(focus_status, units, year)
    counts = rows.loc[rows["status"] == status, "unit_id"].value_counts()
    order = {u: i for i, u in enumerate(units["unit_id"])}
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    ranked = sorted(counts.items(), key=lambda item: (-int(item[1]), order[item[0]]))
    return [(names[u], int(n)) for u, n in ranked]


def count_places(counted: list[tuple[str, int]]) -> str:
    """ "tre i Södermalm, två i Skärholmen och en vardera i Bromma och Farsta": how many
    per unit, small numbers in words (:func:`wording.number_word`), units sharing a
    count together."""
    groups: dict[int, list[str]] = {}
    for name, n in counted:
        groups.setdefault(n, []).append(name)
    parts = []
    for n, names in groups.items():
        word = wording.number_word(n)
        if len(names) == 1:
            parts.append(labels.FOCUS_COUNT_PLACE.format(n=word, place=names[0]))
        else:
            parts.append(
                labels.FOCUS_COUNT_PLACES.format(n=word, places=formatting.join_list(names))
            )
    return formatting.join_list(parts)


def focus_stalled_sentence(focus_status: pd.DataFrame, units: pd.DataFrame, edition: int) -> str:
    """Where the work has stalled and where it has not begun, for the city: how many
    of the assessed unit x area pairs were ``avstannat`` and ``ej_paborjat`` in the
    edition year and in which units. Says that all had begun only when none had
    stalled and none was not begun."""
    rows = _edition_rows(focus_status, units, edition)
    if rows.empty:
        return labels.FOCUS_MATRIX_EMPTY.format(year=edition)
    stalled = units_with_status(focus_status, units, edition, STALLED)
    not_begun = units_with_status(focus_status, units, edition, NOT_BEGUN)
    n_stalled = sum(n for _, n in stalled)
    n_not_begun = sum(n for _, n in not_begun)
    total = formatting.format_number(len(rows))
    if n_stalled:
        text = labels.FOCUS_STALLED_SENTENCE.format(
            year=edition,
            stalled=formatting.format_number(n_stalled),
            total=total,
            places=count_places(stalled),
        )
        if n_not_begun:
            also = (
                labels.FOCUS_NOT_BEGUN_ALSO_ONE if n_not_begun == 1 else labels.FOCUS_NOT_BEGUN_ALSO
            )
            text += " " + also.format(
                n=wording.number_word(n_not_begun), places=count_places(not_begun)
            )
        elif len(rows) - n_stalled == 1:
            text += " " + labels.FOCUS_OTHER_BEGUN
        elif len(rows) > n_stalled:
            text += " " + labels.FOCUS_OTHERS_BEGUN.format(
                n=formatting.format_number(len(rows) - n_stalled)
            )
        return text
    if n_not_begun:
        return (
            labels.FOCUS_NOT_BEGUN_SENTENCE.format(
                year=edition,
                n=formatting.format_number(n_not_begun),
                total=total,
                places=count_places(not_begun),
            )
            + " "
            + labels.FOCUS_NONE_STALLED
        )
    return labels.FOCUS_ALL_BEGUN.format(year=edition, total=total)


def focus_stalled_glue(
    focus_status: pd.DataFrame, units: pd.DataFrame, edition: int
) -> dict[str, str]:
    """The start page's card: ``focus_stalled_value`` ("10 av 108"), where most have
    stalled (``focus_stalled_where``) and the previous year's count
    (``focus_stalled_prev``, "uppgift saknas" without assessments that year)."""

    def value(year: int) -> str:
        rows = _edition_rows(focus_status, units, year)
        if rows.empty:
            return formatting.MISSING
        return labels.FOCUS_STALLED_VALUE.format(
            n=formatting.format_number(int((rows["status"] == STALLED).sum())),
            total=formatting.format_number(len(rows)),
        )

    stalled = units_with_status(focus_status, units, edition, STALLED)
    if stalled:
        most = [name for name, n in stalled if n == stalled[0][1]]
        where = labels.FOCUS_STALLED_MOST.format(
            places=formatting.join_list(most), n=wording.number_word(stalled[0][1])
        )
    else:
        where = labels.FOCUS_NONE_STALLED
    return {
        "focus_stalled_value": value(edition),
        "focus_stalled_where": where,
        "focus_stalled_prev": value(edition - 1),
    }


def focus_counts_by_year(
    focus_status: pd.DataFrame, units: pd.DataFrame, edition: int
) -> pd.DataFrame:
    """year, status (``avstannat``, ``ej_paborjat``), count, assessed: per year up to
    the edition, how many of the edition units' assessed pairs had each status (areas
    outside the plan that year not counted). Numbers, for the chart and the table."""
    rows = in_plan(focus_status)
    rows = rows[(rows["year"] <= edition) & rows["unit_id"].isin(units["unit_id"])]
    out = [
        {
            "year": int(year),
            "status": status,
            "count": int((group["status"] == status).sum()),
            "assessed": len(group),
        }
        for year, group in rows.groupby("year", sort=True)
        for status in (STALLED, NOT_BEGUN)
    ]
    return pd.DataFrame(out, columns=["year", "status", "count", "assessed"])


def focus_stalled_by_year(
    focus_status: pd.DataFrame, units: pd.DataFrame, edition: int
) -> pd.DataFrame:
    """Per year up to the edition: how many unit x area pairs of the edition's units
    had stalled and how many were not begun, of how many assessed (Swedish table, one
    row per year)."""
    counts = focus_counts_by_year(focus_status, units, edition)
    table = []
    for year, group in counts.groupby("year", sort=True):
        by_status = dict(zip(group["status"], group["count"], strict=True))
        table.append(
            {
                labels.COL_YEAR: str(year),
                labels.COL_FOCUS_STALLED: formatting.format_number(by_status[STALLED]),
                labels.COL_NOT_BEGUN: formatting.format_number(by_status[NOT_BEGUN]),
                labels.COL_PAIRS: formatting.format_number(int(group["assessed"].iloc[0])),
            }
        )
    return as_display_table(pd.DataFrame(table), labels.COL_YEAR) if table else pd.DataFrame()


def focus_stalled_by_area(
    focus_status: pd.DataFrame, units: pd.DataFrame, edition: int
) -> pd.DataFrame:
    """Focus area x year: how many of the edition's units had stalled (``avstannat``)
    in the area that year, from the first year any had stalled to the edition (newest
    first); ``–`` where the area was not part of the plan that year. Empty when no work
    has stalled in any year."""
    rows = in_plan(focus_status)
    rows = rows[(rows["year"] <= edition) & rows["unit_id"].isin(units["unit_id"])]
    stalled_years = rows.loc[rows["status"] == STALLED, "year"]
    if stalled_years.empty:
        return pd.DataFrame()
    years = list(range(edition, int(stalled_years.min()) - 1, -1))
    areas = list(dict.fromkeys(focus_status.sort_values("year", kind="stable")["area_name"]))
    counts = rows.assign(_s=rows["status"] == STALLED).groupby(["area_name", "year"])["_s"].sum()
    table = pd.DataFrame(
        [
            [
                formatting.format_number(int(counts[(area, year)]))
                if (area, year) in counts.index
                else labels.FOCUS_NOT_REPORTED
                for year in years
            ]
            for area in areas
        ],
        index=areas,
        columns=[str(y) for y in years],
    )
    table.columns.name = labels.COL_FOCUS_AREA
    return table


def focus_status_table(
    focus_status: pd.DataFrame, units: pd.DataFrame, edition: int, status: str
) -> pd.DataFrame:
    """The unit x area pairs of the edition's units with ``status`` in the edition year
    (``avstannat``: where the work has stalled; ``ej_paborjat``: not begun, areas outside
    the plan skipped), with the follow-up researcher's published comment
    (``focus_status.note``; "uppgift saknas" where there is none): one row per pair,
    units in ``units`` order, areas in the order first seen. Empty without any."""
    rows = _edition_rows(focus_status, units, edition)
    rows = rows[rows["status"] == status]
    if rows.empty:
        return pd.DataFrame()
    unit_rank = {u: i for i, u in enumerate(units["unit_id"])}
    areas = list(dict.fromkeys(focus_status.loc[focus_status["year"] == edition, "area_name"]))
    area_rank = {a: i for i, a in enumerate(areas)}
    rows = rows.assign(
        _u=rows["unit_id"].map(unit_rank), _a=rows["area_name"].map(area_rank)
    ).sort_values(["_u", "_a"], kind="stable")
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    notes = rows["note"].fillna("").astype(str).str.strip() if "note" in rows else None
    table = pd.DataFrame(
        {
            labels.COL_UNIT: rows["unit_id"].map(names).to_numpy(),
            labels.COL_FOCUS_AREA: rows["area_name"].to_numpy(),
            labels.COL_NOTE: (
                [n or formatting.MISSING for n in notes]
                if notes is not None
                else [formatting.MISSING] * len(rows)
            ),
        }
    )
    return as_display_table(table, labels.COL_UNIT)


def focus_stalled_table(
    focus_status: pd.DataFrame, units: pd.DataFrame, edition: int
) -> pd.DataFrame:
    """:func:`focus_status_table` of the pairs whose work has stalled."""
    return focus_status_table(focus_status, units, edition, STALLED)


def focus_not_begun_table(
    focus_status: pd.DataFrame, units: pd.DataFrame, edition: int
) -> pd.DataFrame:
    """:func:`focus_status_table` of the pairs whose work was not begun."""
    return focus_status_table(focus_status, units, edition, NOT_BEGUN)


def focus_matrix_notes(matrix: pd.DataFrame) -> dict[str, str]:
    """The notes under the status matrix, each only where the matrix has what it
    explains: ``focus_matrix_marked`` (stalled or not begun in bold) and
    ``focus_matrix_dash`` (a dash for no assessment)."""
    cells = set(matrix.to_numpy().ravel()) if not matrix.empty else set()
    marked = [
        labels.FOCUS_STATUSES[s] for s in (STALLED, NOT_BEGUN) if labels.FOCUS_STATUSES[s] in cells
    ]
    return {
        "focus_matrix_marked": labels.FOCUS_MATRIX_MARKED.format(
            statuses=formatting.join_list([f"”{m}”" for m in marked]),
            words=labels.FOCUS_MARKED_WORDS[len(marked)],
        )
        if marked
        else "",
        "focus_matrix_dash": labels.FOCUS_MATRIX_DASH if labels.FOCUS_NOT_REPORTED in cells else "",
    }


def unit_focus_sentence(focus_status: pd.DataFrame, unit_id: str, edition: int) -> str:
    """The unit page's focus areas in words: where the unit's work has stalled and
    where it has not begun in the edition year (areas outside the plan skipped)."""
    rows = in_plan(focus_status)
    rows = rows[(rows["unit_id"] == unit_id) & (rows["year"] == edition)]
    if rows.empty:
        return labels.NO_FOCUS_STATUS.format(year=edition)
    parts: list[str] = []
    templates = {
        STALLED: ((labels.UNIT_FOCUS_STALLED_ONE, labels.UNIT_FOCUS_STALLED),) * 2,
        NOT_BEGUN: (
            (labels.UNIT_FOCUS_NOT_BEGUN_FIRST_ONE, labels.UNIT_FOCUS_NOT_BEGUN_FIRST),
            (labels.UNIT_FOCUS_NOT_BEGUN_ONE, labels.UNIT_FOCUS_NOT_BEGUN),
        ),
    }
    for status in (STALLED, NOT_BEGUN):
        areas = list(rows.loc[rows["status"] == status, "area_name"])
        if areas:
            one, many = templates[status][1 if parts else 0]
            parts.append(
                (one if len(areas) == 1 else many).format(
                    year=edition,
                    n=wording.number_word(len(areas), neuter=True),
                    areas=formatting.join_list(areas),
                )
            )
    if not parts:
        return labels.UNIT_FOCUS_ALL_GOING.format(year=edition)
    return " ".join(parts)


# Focus areas per table of the city's matrix: the unit column and three areas fit the
# text column at 1280 px with the area names wrapping at spaces (measured: the demo's
# names need 824 px for five areas, 754 px for four, in a 688 px column).
FOCUS_MATRIX_COLUMNS = 3


@dataclass(frozen=True)
class FocusContext:
    edition: int
    matrix: pd.DataFrame  # Swedish strings, index = unit names
    stalled_by_year: pd.DataFrame = field(default_factory=pd.DataFrame)
    stalled: pd.DataFrame = field(default_factory=pd.DataFrame)  # unit, area, comment
    not_begun: pd.DataFrame = field(default_factory=pd.DataFrame)  # unit, area, comment
    stalled_by_area: pd.DataFrame = field(default_factory=pd.DataFrame)  # area x year
    counts_by_year: pd.DataFrame = field(default_factory=pd.DataFrame)  # for the chart
    highlight: tuple[str, ...] = (
        labels.FOCUS_STATUSES[STALLED],
        labels.FOCUS_STATUSES[NOT_BEGUN],
    )  # marked in the matrix
    matrix_columns: int = FOCUS_MATRIX_COLUMNS  # areas per table (formatting.split_table)
    glue_values: dict[str, str] = field(default_factory=dict)
    download_name: str = "fokusomraden"


def for_focus_areas(edition: int, results_dir: str | Path) -> FocusContext:
    """The city's focus-area chapter: the unit x area status matrix of the edition."""
    results_dir, meta = open_results(results_dir, edition)
    units = read_units(results_dir)
    status = read_focus_status(results_dir)
    glue_values = common_glue(meta)
    glue_values["focus_stalled"] = focus_stalled_sentence(status, units, meta.edition)
    glue_values.update(focus_stalled_glue(status, units, meta.edition))
    stalled = focus_stalled_table(status, units, meta.edition)
    not_begun = focus_not_begun_table(status, units, meta.edition)
    glue_values["focus_stalled_comments"] = (
        labels.FOCUS_STALLED_COMMENTS
        if not stalled.empty
        else labels.FOCUS_STALLED_COMMENTS_NONE.format(year=meta.edition)
    )
    glue_values["focus_not_begun_comments"] = (
        labels.FOCUS_NOT_BEGUN_COMMENTS
        if not not_begun.empty
        else labels.FOCUS_NOT_BEGUN_COMMENTS_NONE.format(year=meta.edition)
    )
    matrix = focus_matrix(status, units, meta.edition)
    glue_values.update(focus_matrix_notes(matrix))
    by_area = focus_stalled_by_area(status, units, meta.edition)
    glue_values["focus_by_area_dash"] = (
        labels.FOCUS_BY_AREA_DASH
        if not by_area.empty and labels.FOCUS_NOT_REPORTED in set(by_area.to_numpy().ravel())
        else ""
    )
    return FocusContext(
        edition=meta.edition,
        matrix=matrix,
        stalled_by_year=focus_stalled_by_year(status, units, meta.edition),
        stalled=stalled,
        not_begun=not_begun,
        stalled_by_area=by_area,
        counts_by_year=focus_counts_by_year(status, units, meta.edition),
        glue_values=glue_values,
        download_name=f"fokusomraden-{meta.edition}",
    )


# A warning about a count is also about the rate the page shows from it (a halved count
# of incidents is why "per 100 anställda" halved).
RATE_OF_COUNT = {"incidents": "incidents_per_100"}


def plausibility_notes(
    warnings: pd.DataFrame,
    indicators: pd.DataFrame,
    units: pd.DataFrame,
    shown: AbstractSet[ShownCell],
) -> list[str]:
    """A Swedish note for every plausibility warning (:func:`read_plausibility_warnings`)
    about a figure the page shows: ``shown`` holds the (unit_id, indicator, occupation,
    year) of every cell of the page (its context's ``shown_cells``), and a warning about
    a count also concerns the rate made from it (:data:`RATE_OF_COUNT`). The note names
    the unit, the measure, the years and the values as the page displays them (``..`` if
    hidden), then the review's outcome (``granskning.yml``), or in a draft the open
    question with the check that warned."""
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    names[CITY_ID] = labels.CITY_NAME
    notes = []
    for warning in warnings.itertuples(index=False):
        year = int(warning.year)
        concerned = [warning.indicator, RATE_OF_COUNT.get(warning.indicator)]
        if not any(
            (warning.unit_id, indicator, warning.occupation, year) in shown
            for indicator in concerned
            if indicator
        ):
            continue
        measure = labels.indicator_label(warning.indicator).name
        occupation = labels.OCCUPATIONS.get(warning.occupation, warning.occupation)
        now = format_cell(
            warning.indicator,
            lookup(indicators, warning.unit_id, warning.indicator, warning.occupation, year),
        )
        fields = {
            "unit": names.get(warning.unit_id, warning.unit_id),
            "measure_lower": measure[0].lower() + measure[1:],
            "occupation_lower": occupation.lower(),
            "year": year,
            "now": now,
            "outcome": (
                getattr(warning, "outcome", "")
                or labels.PLAUSIBILITY_QUESTION.format(check=warning.check_name)
            ),
        }
        if formatting.is_missing(warning.previous_year):
            notes.append(labels.PLAUSIBILITY_NOTE_YEAR.format(**fields))
            continue
        before_year = int(warning.previous_year)
        before = format_cell(
            warning.indicator,
            lookup(indicators, warning.unit_id, warning.indicator, warning.occupation, before_year),
        )
        notes.append(
            labels.PLAUSIBILITY_NOTE.format(previous_year=before_year, before=before, **fields)
        )
    return notes


# ---------------------------------------------------------------------------
# Contexts (what a notebook receives)


@dataclass(frozen=True)
class UnitContext:
    unit_id: str
    unit_name: str
    kind: str
    edition: int
    first_year: int
    turnover_by_year: pd.DataFrame  # year, occupation, value, suppressed
    key_figures: pd.DataFrame  # Swedish strings, index = indicator label
    focus: pd.DataFrame  # Swedish strings
    occupation_trends: pd.DataFrame = field(default_factory=pd.DataFrame)  # Swedish strings
    focus_highlight: tuple[str, ...] = (
        labels.FOCUS_STATUSES["avstannat"],
        labels.FOCUS_STATUSES["ej_paborjat"],
    )  # marked
    glue_values: dict[str, str] = field(default_factory=dict)
    download_prefix: str = ""
    occupation_trend_columns: int = UNIT_TREND_COLUMNS  # years per table (split_table)
    plausibility_notes: tuple[str, ...] = ()  # Swedish, one per warned figure shown
    # the unit's own cells the page shows (layout.unit_page_cells): its notes are about these
    shown_cells: frozenset[ShownCell] = frozenset()


@dataclass(frozen=True)
class CityContext:
    edition: int
    first_year: int
    turnover_by_year: pd.DataFrame
    turnover_by_unit: pd.DataFrame  # unit_name, value, suppressed (edition year, 'alla')
    city_turnover: float | None
    key_figures: pd.DataFrame
    glue_values: dict[str, str] = field(default_factory=dict)
    download_prefix: str = ""
    # turnover per unit and year: alla, socialsekreterare, bistandshandlaggare
    turnover_units: pd.DataFrame = field(default_factory=pd.DataFrame)
    turnover_units_socialsekreterare: pd.DataFrame = field(default_factory=pd.DataFrame)
    turnover_units_bistandshandlaggare: pd.DataFrame = field(default_factory=pd.DataFrame)
    unit_years_columns: int = UNIT_YEARS_COLUMNS  # columns per table (split_table)
    # Viktigaste resultat (glued as ``main_points`` for the start page and Sammanfattning)
    points: MainPoints = field(default_factory=lambda: MainPoints(()))


def common_glue(meta: EditionMeta) -> dict[str, str]:
    return {
        "edition": str(meta.edition),
        "previous_year": str(meta.previous_year),
        "first_year": str(meta.first_year),
        "suppression_note": labels.SUPPRESSION_NOTE.format(min_n=meta.min_n),
        "missing_note": labels.MISSING_NOTE,
    }


def open_results(results_dir: str | Path, edition: int) -> tuple[Path, EditionMeta]:
    """The results folder and its metadata, checked to be the edition's. (A template
    opened by hand gets the demo delivery's folder from :mod:`uppfoljning.demo_results`.)"""
    if not str(results_dir):
        raise ValueError(
            "no results folder given (a template opened by hand asks "
            "uppfoljning.demo_results.results_folder for the demo's)"
        )
    folder = Path(results_dir)
    meta = read_meta(folder)
    if meta.edition != int(edition):
        raise ValueError(f"results in {folder} are for edition {meta.edition}, not {edition}")
    return folder, meta


def for_unit(unit_id: str, edition: int, results_dir: str | Path) -> UnitContext:
    """Everything the unit template shows, for one edition unit."""
    results_dir, meta = open_results(results_dir, edition)
    units = read_units(results_dir)
    matches = units[units["unit_id"] == unit_id]
    if matches.empty:
        raise ValueError(
            f"unit {unit_id!r} is not a unit of the {edition} edition; "
            f"choose one of: {', '.join(units['unit_id'])}"
        )
    unit = matches.iloc[0]
    indicators = read_indicators(results_dir)
    shown_cells = frozenset(unit_page_cells(unit_id, meta.first_year, meta.edition))
    notes = plausibility_notes(
        read_plausibility_warnings(results_dir),
        indicators[indicators["unit_id"] == unit_id],
        units,
        shown_cells,
    )
    read = {i for i, _ in KEY_FIGURES + UNIT_TREND_ROWS} | {"turnover_rate"}
    indicators = indicators[
        indicators["indicator"].isin(read) & indicators["unit_id"].isin([unit_id, CITY_ID])
    ]
    glue_values = common_glue(meta)
    glue_values.update(turnover_glue(indicators, unit_id, meta.edition))
    glue_values.update(turnover_glue(indicators, CITY_ID, meta.edition, prefix="city_"))
    glue_values["city_turnover_sentence"] = city_turnover_sentence(indicators, meta.edition)
    glue_values["unit_name"] = str(unit["name"])
    glue_values["reorganisation_note"] = str(unit["reorganisation_note"])
    focus_status = read_focus_status(results_dir)
    glue_values["unit_focus_sentence"] = unit_focus_sentence(focus_status, unit_id, meta.edition)
    return UnitContext(
        unit_id=unit_id,
        unit_name=str(unit["name"]),
        kind=str(unit["kind"]),
        edition=meta.edition,
        first_year=meta.first_year,
        turnover_by_year=select_series(indicators, unit_id, "turnover_rate"),
        key_figures=key_figures_table(indicators, unit_id, meta.edition),
        focus=focus_table(focus_status, unit_id, meta.edition),
        occupation_trends=occupation_trend_table(
            indicators, unit_id, UNIT_TREND_ROWS, meta.first_year, meta.edition
        ),
        glue_values=glue_values,
        download_prefix=f"{unit_id}-{meta.edition}",
        plausibility_notes=tuple(notes),
        shown_cells=shown_cells,
    )


def for_city(edition: int, results_dir: str | Path) -> CityContext:
    """Everything the city template shows."""
    results_dir, meta = open_results(results_dir, edition)
    units = read_units(results_dir)
    indicators = read_indicators(results_dir)
    city = lookup(indicators, CITY_ID, "turnover_rate", ALL, meta.edition)
    glue_values = common_glue(meta)
    glue_values.update(turnover_glue(indicators, CITY_ID, meta.edition))
    for indicator in ("headcount", "consultants"):
        glue_values[indicator] = format_cell(
            indicator, lookup(indicators, CITY_ID, indicator, ALL, meta.edition)
        )
        glue_values[f"{indicator}_first"] = format_cell(
            indicator, lookup(indicators, CITY_ID, indicator, ALL, meta.first_year)
        )
    glue_values["turnover_units_intro"] = labels.TURNOVER_UNITS_INTRO.format(
        previous_year=meta.previous_year
    )
    by_unit = comparison_frame(indicators, units, "turnover_rate", ALL, meta.edition)
    found = wording.extremes(
        zip(
            by_unit["unit_name"], by_unit["value"], by_unit["suppressed"].astype(bool), strict=True
        ),
        "turnover_rate",
    )
    if found is not None:
        glue_values["turnover_comparison"] = labels.COMPARISON_SENTENCE.format(
            highest=wording.name_units(found.highest),
            highest_value=formatting.format_percent(found.highest_value),
            lowest=wording.name_units(found.lowest),
            lowest_value=formatting.format_percent(found.lowest_value),
        )
    else:
        glue_values["turnover_comparison"] = labels.COMPARISON_SENTENCE_NONE.format(
            year=meta.edition
        )
    return CityContext(
        edition=meta.edition,
        first_year=meta.first_year,
        turnover_by_year=select_series(indicators, CITY_ID, "turnover_rate"),
        turnover_by_unit=by_unit,
        city_turnover=city[0] if city and not city[1] else None,
        key_figures=key_figures_table(
            indicators, CITY_ID, meta.edition, with_city=False, figures=CITY_TURNOVER_FIGURES
        ),
        glue_values=glue_values,
        download_prefix=f"stockholm-{meta.edition}",
        turnover_units=units_by_year_table(
            indicators, units, "turnover_rate", ALL, meta.first_year, meta.edition
        ),
        turnover_units_socialsekreterare=units_by_year_table(
            indicators, units, "turnover_rate", SS, meta.first_year, meta.edition
        ),
        turnover_units_bistandshandlaggare=units_by_year_table(
            indicators, units, "turnover_rate", BH, meta.first_year, meta.edition
        ),
        points=MainPoints(main_points(indicators, units, meta.edition, meta.first_year)),
    )
