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
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import formatting, labels, wording
from .units import CITY_ID

INDICATORS_FILE = "indikatorer.parquet"
UNITS_FILE = "units.csv"
FOCUS_FILE = "focus_status.csv"
META_FILE = "meta.json"
WARNINGS_FILE = "plausibility_warnings.csv"
WARNING_COLUMNS = ("check_name", "unit_id", "indicator", "occupation", "previous_year", "year",
                   "outcome")
OCCUPATION_ORDER = ("socialsekreterare", "bistandshandlaggare", "alla")
Cell = tuple[float | None, bool]  # (value, suppressed) of one row of the published table

# Key figures of a unit page and of the city page: (indicator, occupation).
KEY_FIGURES: tuple[tuple[str, str], ...] = (
    ("turnover_rate", "socialsekreterare"),
    ("turnover_rate", "bistandshandlaggare"),
    ("turnover_rate", "alla"),
    ("headcount", "alla"),
    ("consultants", "alla"),
    ("job_ads", "alla"),
    ("wait_days_mean", "alla"),
    ("cases_per_worker", "alla"),
    ("incidents_per_100", "alla"),
    ("staff_per_manager", "alla"),
)


# Rows of a unit page's table of every year per occupation: (indicator, occupation).
UNIT_TREND_ROWS: tuple[tuple[str, str], ...] = (
    ("turnover_rate", "socialsekreterare"),
    ("turnover_rate", "bistandshandlaggare"),
    ("headcount", "socialsekreterare"),
    ("headcount", "bistandshandlaggare"),
    ("consultants", "socialsekreterare"),
    ("consultants", "bistandshandlaggare"),
    ("job_ads", "socialsekreterare"),
    ("job_ads", "bistandshandlaggare"),
    ("cases_per_worker", "socialsekreterare"),
    ("cases_per_worker", "bistandshandlaggare"),
)


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

    @property
    def previous_year(self) -> int:
        return self.edition - 1


def unit_page(unit_id: str, kind: str) -> str:
    """Stable ASCII page path (without suffix) of a unit's page in the book."""
    folder = "fackforvaltningar" if kind == "fackforvaltning" else "stadsdelar"
    return f"{folder}/{unit_id}"


# ---------------------------------------------------------------------------
# Writing (build process)


def write_results(results_dir: Path, *, indicators: pd.DataFrame, units: pd.DataFrame,
                  focus_status: pd.DataFrame, meta: EditionMeta) -> Path:
    """Write the results folder the notebooks read. ``units`` needs unit_id, name, kind,
    region, reorganisation_note; ``focus_status`` year, unit_id, area_id, area_name,
    status, note."""
    results_dir.mkdir(parents=True, exist_ok=True)
    indicators.to_parquet(results_dir / INDICATORS_FILE, index=False)
    units = units.assign(page=[unit_page(u, k) for u, k in zip(units["unit_id"], units["kind"],
                                                                strict=True)])
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

    keys = [warning_key(w.unit_id, w.indicator, w.occupation, int(w.year),
                        None if formatting.is_missing(w.previous_year) else int(w.previous_year))
            for w in warnings.itertuples(index=False)]
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
        previous_year=pd.to_numeric(frame["previous_year"].replace("", None)).astype("Int64"))


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
    rows = indicators[(indicators["unit_id"] == unit_id)
                      & (indicators["indicator"] == indicator)]
    rank = {o: i for i, o in enumerate(OCCUPATION_ORDER)}
    return (rows.assign(_o=rows["occupation"].map(rank))
            .sort_values(["_o", "year"])[["year", "occupation", "value", "suppressed"]]
            .reset_index(drop=True))


_CELLS: list = [None, {}]  # [the last frame looked up in, its cells by key]


def cells_by_key(indicators: pd.DataFrame) -> dict[tuple[str, str, str, int], Cell]:
    """(unit_id, indicator, occupation, year) -> (value, suppressed) of every row. The
    dict of the frame last asked about is kept (by identity: frames here are never
    changed in place), so a page's hundreds of look-ups cost one pass over the table."""
    if _CELLS[0] is indicators:
        return _CELLS[1]
    values = indicators["value"].to_numpy(dtype=float, na_value=float("nan"))
    table = {
        (unit, indicator, occupation, int(year)): (None if missing else float(value),
                                                   bool(suppressed))
        for unit, indicator, occupation, year, value, missing, suppressed in zip(
            indicators["unit_id"].tolist(), indicators["indicator"].tolist(),
            indicators["occupation"].tolist(), indicators["year"].tolist(), values.tolist(),
            pd.isna(values).tolist(), indicators["suppressed"].tolist(), strict=True)
    }
    _CELLS[:] = [indicators, table]
    return table


def lookup(indicators: pd.DataFrame, unit_id: str, indicator: str, occupation: str,
           year: int) -> Cell | None:
    """(value, suppressed) of one cell of the table, or None if the row is absent."""
    return cells_by_key(indicators).get((unit_id, indicator, occupation, int(year)))


def row_name(indicator: str, occupation: str) -> str:
    name = labels.indicator_label(indicator).name
    return name if occupation == "alla" else f"{name}, {labels.OCCUPATIONS[occupation].lower()}"


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


def format_cell_change(indicator: str, now: tuple[float | None, bool] | None,
                       before: tuple[float | None, bool] | None) -> str:
    """Change between two cells, from the values as displayed; ``..`` if either is
    suppressed."""
    if now is None or before is None:
        return formatting.MISSING
    if now[1] or before[1]:
        return formatting.SUPPRESSED
    if now[0] is None or before[0] is None:
        return formatting.MISSING
    return formatting.format_displayed_change(indicator, now[0], before[0])


def key_figures_table(indicators: pd.DataFrame, unit_id: str, edition: int,
                      with_city: bool = True) -> pd.DataFrame:
    """Swedish key-figure table: this year, change since last year, the city's value."""
    rows = []
    present = set(indicators["indicator"].unique())
    for indicator, occupation in KEY_FIGURES:
        if indicator not in present:
            continue
        now = lookup(indicators, unit_id, indicator, occupation, edition)
        before = lookup(indicators, unit_id, indicator, occupation, edition - 1)
        name = labels.indicator_label(indicator).name
        if occupation != "alla" or indicator.startswith("turnover"):
            name = f"{name}, {labels.OCCUPATIONS[occupation].lower()}"
        row = {
            labels.COL_INDICATOR: name,
            labels.COL_THIS_YEAR.format(year=edition): format_cell(indicator, now),
            labels.COL_CHANGE.format(year=edition - 1): format_cell_change(indicator, now,
                                                                          before),
        }
        if with_city:
            city = lookup(indicators, CITY_ID, indicator, occupation, edition)
            row[labels.COL_CITY.format(year=edition)] = format_cell(indicator, city)
        rows.append(row)
    return as_display_table(pd.DataFrame(rows, columns=None), labels.COL_INDICATOR)


def occupation_trend_table(indicators: pd.DataFrame, unit_id: str,
                           rows: tuple[tuple[str, str], ...], first_year: int,
                           edition: int) -> pd.DataFrame:
    """Every year from ``edition`` back to ``first_year`` (columns, the newest first, so
    the year that matters most is in view without scrolling) of each (indicator,
    occupation) row, as Swedish strings; rows without any data are left out."""
    years = list(range(edition, first_year - 1, -1))
    table = []
    for indicator, occupation in rows:
        cells = [lookup(indicators, unit_id, indicator, occupation, y) for y in years]
        if all(cell is None for cell in cells):
            continue
        table.append({labels.COL_SERIES: row_name(indicator, occupation),
                      **{str(y): format_cell(indicator, c)
                         for y, c in zip(years, cells, strict=True)}})
    if not table:
        return pd.DataFrame()
    return as_display_table(pd.DataFrame(table), labels.COL_SERIES)


def turnover_glue(indicators: pd.DataFrame, unit_id: str, edition: int,
                  prefix: str = "") -> dict[str, str]:
    """Glue keys for personalrörlighet: ``turnover_<occ>``, ``turnover_<occ>_prev``,
    ``turnover_<occ>_change``, the whole sentence ``turnover_<occ>_sentence`` (reads
    whatever is hidden) and, for a unit, ``city_turnover_<occ>``."""
    values: dict[str, str] = {}
    whose = labels.WHOSE_CITY if unit_id == CITY_ID else labels.WHOSE_UNIT
    for occupation in OCCUPATION_ORDER:
        now = lookup(indicators, unit_id, "turnover_rate", occupation, edition)
        before = lookup(indicators, unit_id, "turnover_rate", occupation, edition - 1)
        values[f"{prefix}turnover_{occupation}"] = format_cell("turnover_rate", now)
        values[f"{prefix}turnover_{occupation}_prev"] = format_cell("turnover_rate", before)
        values[f"{prefix}turnover_{occupation}_change"] = format_cell_change(
            "turnover_rate", now, before)
        values[f"{prefix}turnover_{occupation}_sentence"] = wording.change_sentence(
            labels.TURNOVER_SUBJECTS[occupation].format(whose=whose), "turnover_rate", now,
            before, edition)
    return values


def city_turnover_sentence(indicators: pd.DataFrame, edition: int) -> str:
    """"I hela staden var den 15,5 %." for a unit page, or why it cannot be given."""
    cell = lookup(indicators, CITY_ID, "turnover_rate", "alla", edition)
    if cell is None or (not cell[1] and cell[0] is None):
        return labels.CITY_TURNOVER_SENTENCE_MISSING.format(year=edition)
    if cell[1]:
        return labels.CITY_TURNOVER_SENTENCE_HIDDEN.format(year=edition)
    return labels.CITY_TURNOVER_SENTENCE.format(value=format_cell("turnover_rate", cell))


def comparison_frame(indicators: pd.DataFrame, units: pd.DataFrame, indicator: str,
                     occupation: str, year: int) -> pd.DataFrame:
    """unit_name, value, suppressed per edition unit (city excluded) for one year."""
    rows = indicators[(indicators["indicator"] == indicator)
                      & (indicators["occupation"] == occupation)
                      & (indicators["year"] == year)
                      & (indicators["unit_id"].isin(units["unit_id"]))]
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    kinds = (dict(zip(units["unit_id"], units["kind"], strict=True)) if "kind" in units
             else {})
    return pd.DataFrame({
        "unit_id": rows["unit_id"].to_numpy(),
        "unit_name": rows["unit_id"].map(names).to_numpy(),
        "kind": rows["unit_id"].map(kinds).to_numpy(),
        "value": rows["value"].to_numpy(),
        "suppressed": rows["suppressed"].to_numpy(),
    })


def focus_table(focus_status: pd.DataFrame, unit_id: str, edition: int) -> pd.DataFrame:
    """Swedish table of a unit's focus areas in the edition year (status and note)."""
    rows = focus_status[(focus_status["unit_id"] == unit_id)
                        & (focus_status["year"] == edition)]
    table = pd.DataFrame({
        labels.COL_FOCUS_AREA: rows["area_name"].to_numpy(),
        labels.COL_STATUS: rows["status"].map(labels.FOCUS_STATUSES).to_numpy(),
        labels.COL_NOTE: rows["note"].to_numpy(),
    })
    return as_display_table(table, labels.COL_FOCUS_AREA)


def focus_matrix(focus_status: pd.DataFrame, units: pd.DataFrame, edition: int) -> pd.DataFrame:
    """Unit x focus-area matrix of Swedish status names for the edition year: one row
    per edition unit (in ``units`` order), one column per focus area reported that year
    (in the order first seen); ``–`` where a unit has no status for an area."""
    rows = focus_status[focus_status["year"] == edition]
    if rows.empty:
        return pd.DataFrame()
    areas = list(dict.fromkeys(rows["area_name"]))
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    matrix = (rows.assign(status_text=rows["status"].map(labels.FOCUS_STATUSES))
              .pivot_table(index="unit_id", columns="area_name", values="status_text",
                           aggfunc="first")
              .reindex(index=list(units["unit_id"]), columns=areas)
              .fillna(labels.FOCUS_NOT_REPORTED))
    matrix.index = [names[u] for u in matrix.index]
    return as_display_table(matrix.rename_axis(labels.COL_UNIT).reset_index(),
                             labels.COL_UNIT)


def focus_stalled_sentence(focus_status: pd.DataFrame, units: pd.DataFrame,
                           edition: int) -> str:
    """Where the work has stalled: how many unit x area pairs are ``ej_paborjat`` and
    which units have the most of them."""
    rows = focus_status[(focus_status["year"] == edition)
                        & focus_status["unit_id"].isin(units["unit_id"])]
    if rows.empty:
        return labels.FOCUS_MATRIX_EMPTY.format(year=edition)
    stalled = rows[rows["status"] == "ej_paborjat"]
    if stalled.empty:
        return labels.FOCUS_STALLED_NONE.format(year=edition)
    counts = stalled["unit_id"].value_counts()
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    most = sorted(names[u] for u in counts[counts == counts.max()].index)
    return labels.FOCUS_STALLED_SENTENCE.format(
        year=edition, stalled=len(stalled), total=len(rows),
        units=f"{formatting.join_list(most)} ({counts.max()} st.)")


def focus_stalled_by_year(focus_status: pd.DataFrame, units: pd.DataFrame,
                          edition: int) -> pd.DataFrame:
    """Per year up to the edition: how many unit x area pairs of the edition's units were
    ``ej_paborjat``, of how many assessed (Swedish table, one row per year)."""
    rows = focus_status[(focus_status["year"] <= edition)
                        & focus_status["unit_id"].isin(units["unit_id"])]
    table = [{labels.COL_YEAR: str(year),
              labels.COL_STALLED: formatting.format_number(
                  int((group["status"] == "ej_paborjat").sum())),
              labels.COL_PAIRS: formatting.format_number(len(group))}
             for year, group in rows.groupby("year", sort=True)]
    return as_display_table(pd.DataFrame(table), labels.COL_YEAR) if table else pd.DataFrame()


def focus_stalled_table(focus_status: pd.DataFrame, units: pd.DataFrame,
                        edition: int) -> pd.DataFrame:
    """The unit x area pairs of the edition's units whose work was not started
    (``ej_paborjat``) in the edition year, with the follow-up researcher's published
    comment (``focus_status.note``; "uppgift saknas" where there is none): one row per
    pair, units in ``units`` order, areas in the order first seen. Empty without any."""
    rows = focus_status[(focus_status["year"] == edition)
                        & (focus_status["status"] == "ej_paborjat")
                        & focus_status["unit_id"].isin(units["unit_id"])]
    if rows.empty:
        return pd.DataFrame()
    unit_rank = {u: i for i, u in enumerate(units["unit_id"])}
    areas = list(dict.fromkeys(focus_status.loc[focus_status["year"] == edition,
                                                "area_name"]))
    area_rank = {a: i for i, a in enumerate(areas)}
    rows = rows.assign(_u=rows["unit_id"].map(unit_rank), _a=rows["area_name"].map(area_rank)
                       ).sort_values(["_u", "_a"], kind="stable")
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    notes = rows["note"].fillna("").astype(str).str.strip() if "note" in rows else None
    table = pd.DataFrame({
        labels.COL_UNIT: rows["unit_id"].map(names).to_numpy(),
        labels.COL_FOCUS_AREA: rows["area_name"].to_numpy(),
        labels.COL_NOTE: ([n or formatting.MISSING for n in notes] if notes is not None
                          else [formatting.MISSING] * len(rows)),
    })
    return as_display_table(table, labels.COL_UNIT)


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
    highlight: str = labels.FOCUS_STATUSES["ej_paborjat"]  # marked in the matrix
    matrix_columns: int = FOCUS_MATRIX_COLUMNS  # areas per table (formatting.split_table)
    glue_values: dict[str, str] = field(default_factory=dict)


def for_focus_areas(edition: int, results_dir: str | Path) -> FocusContext:
    """The city's focus-area chapter: the unit x area status matrix of the edition."""
    results_dir, meta = open_results(results_dir, edition)
    units = read_units(results_dir)
    status = read_focus_status(results_dir)
    glue_values = common_glue(meta)
    glue_values["focus_stalled"] = focus_stalled_sentence(status, units, meta.edition)
    stalled = focus_stalled_table(status, units, meta.edition)
    glue_values["focus_stalled_comments"] = (
        labels.FOCUS_STALLED_COMMENTS if not stalled.empty
        else labels.FOCUS_STALLED_COMMENTS_NONE.format(year=meta.edition))
    return FocusContext(edition=meta.edition,
                        matrix=focus_matrix(status, units, meta.edition),
                        stalled_by_year=focus_stalled_by_year(status, units, meta.edition),
                        stalled=stalled,
                        glue_values=glue_values)


# A warning about a count is also about the rate the page shows from it (a halved count
# of incidents is why "per 100 anställda" halved).
RATE_OF_COUNT = {"incidents": "incidents_per_100"}
ShownCell = tuple[str, str, str, int]  # unit_id, indicator, occupation, year


def plausibility_notes(warnings: pd.DataFrame, indicators: pd.DataFrame,
                       units: pd.DataFrame, shown: set[ShownCell]) -> list[str]:
    """A Swedish note for every plausibility warning (:func:`read_plausibility_warnings`)
    about a figure the page shows: ``shown`` holds the (unit_id, indicator, occupation,
    year) of every cell of the page, and a warning about a count also concerns the rate
    made from it (:data:`RATE_OF_COUNT`). The note names the unit, the measure, the years
    and the values as the page displays them (``..`` if hidden), then the review's
    outcome (``granskning.yml``), or in a draft the open question with the check that
    warned."""
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    names[CITY_ID] = labels.CITY_NAME
    notes = []
    for warning in warnings.itertuples(index=False):
        year = int(warning.year)
        concerned = [warning.indicator, RATE_OF_COUNT.get(warning.indicator)]
        if not any((warning.unit_id, indicator, warning.occupation, year) in shown
                   for indicator in concerned if indicator):
            continue
        measure = labels.indicator_label(warning.indicator).name
        occupation = labels.OCCUPATIONS.get(warning.occupation, warning.occupation)
        now = format_cell(warning.indicator, lookup(indicators, warning.unit_id,
                                                    warning.indicator, warning.occupation,
                                                    year))
        fields = {"unit": names.get(warning.unit_id, warning.unit_id),
                  "measure_lower": measure[0].lower() + measure[1:],
                  "occupation_lower": occupation.lower(), "year": year, "now": now,
                  "outcome": (getattr(warning, "outcome", "") or
                              labels.PLAUSIBILITY_QUESTION.format(check=warning.check_name))}
        if formatting.is_missing(warning.previous_year):
            notes.append(labels.PLAUSIBILITY_NOTE_YEAR.format(**fields))
            continue
        before_year = int(warning.previous_year)
        before = format_cell(warning.indicator, lookup(indicators, warning.unit_id,
                                                       warning.indicator, warning.occupation,
                                                       before_year))
        notes.append(labels.PLAUSIBILITY_NOTE.format(previous_year=before_year,
                                                     before=before, **fields))
    return notes


def unit_page_cells(unit_id: str, first_year: int, edition: int) -> set[ShownCell]:
    """Every cell a unit page shows: the key figures this year and last year (the
    change), the turnover chart and the table of every year per occupation."""
    years = range(first_year, edition + 1)
    shown = {(unit_id, indicator, occupation, year)
             for indicator, occupation in KEY_FIGURES for year in (edition - 1, edition)}
    shown |= {(unit_id, indicator, occupation, year)
              for indicator, occupation in UNIT_TREND_ROWS for year in years}
    shown |= {(unit_id, "turnover_rate", occupation, year)
              for occupation in OCCUPATION_ORDER for year in years}
    return shown


def area_page_cells(declared: list[tuple[str, tuple[str, ...]]], unit_indicators: list[str],
                    unit_ids: list[str], first_year: int, edition: int) -> set[ShownCell]:
    """Every cell an area chapter shows: the city's every declared indicator and
    occupation from the first year (figures, trend and detail charts), and the units'
    ``unit_indicators`` (alla) this year and last year (comparison chart and tables)."""
    shown = {(CITY_ID, indicator, occupation, year)
             for indicator, occupations in declared for occupation in occupations
             for year in range(first_year, edition + 1)}
    shown |= {(unit_id, indicator, "alla", year) for unit_id in unit_ids
              for indicator in unit_indicators for year in (edition - 1, edition)}
    return shown


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
    focus_highlight: str = labels.FOCUS_STATUSES["ej_paborjat"]  # marked in the focus table
    glue_values: dict[str, str] = field(default_factory=dict)
    download_prefix: str = ""
    occupation_trend_columns: int = UNIT_TREND_COLUMNS  # years per table (split_table)
    plausibility_notes: tuple[str, ...] = ()  # Swedish, one per warned figure shown


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
        raise ValueError("no results folder given (a template opened by hand asks "
                         "uppfoljning.demo_results.results_folder for the demo's)")
    folder = Path(results_dir)
    meta = read_meta(folder)
    if meta.edition != int(edition):
        raise ValueError(f"results in {folder} are for edition {meta.edition}, "
                         f"not {edition}")
    return folder, meta


def for_unit(unit_id: str, edition: int, results_dir: str | Path) -> UnitContext:
    """Everything the unit template shows, for one edition unit."""
    results_dir, meta = open_results(results_dir, edition)
    units = read_units(results_dir)
    matches = units[units["unit_id"] == unit_id]
    if matches.empty:
        raise ValueError(f"unit {unit_id!r} is not a unit of the {edition} edition; "
                         f"choose one of: {', '.join(units['unit_id'])}")
    unit = matches.iloc[0]
    indicators = read_indicators(results_dir)
    notes = plausibility_notes(read_plausibility_warnings(results_dir),
                               indicators[indicators["unit_id"] == unit_id], units,
                               unit_page_cells(unit_id, meta.first_year, meta.edition))
    shown = {i for i, _ in KEY_FIGURES + UNIT_TREND_ROWS} | {"turnover_rate"}
    indicators = indicators[indicators["indicator"].isin(shown)
                            & indicators["unit_id"].isin([unit_id, CITY_ID])]
    glue_values = common_glue(meta)
    glue_values.update(turnover_glue(indicators, unit_id, meta.edition))
    glue_values.update(turnover_glue(indicators, CITY_ID, meta.edition, prefix="city_"))
    glue_values["city_turnover_sentence"] = city_turnover_sentence(indicators, meta.edition)
    glue_values["unit_name"] = str(unit["name"])
    glue_values["reorganisation_note"] = str(unit["reorganisation_note"])
    return UnitContext(
        unit_id=unit_id,
        unit_name=str(unit["name"]),
        kind=str(unit["kind"]),
        edition=meta.edition,
        first_year=meta.first_year,
        turnover_by_year=select_series(indicators, unit_id, "turnover_rate"),
        key_figures=key_figures_table(indicators, unit_id, meta.edition),
        focus=focus_table(read_focus_status(results_dir), unit_id, meta.edition),
        occupation_trends=occupation_trend_table(indicators, unit_id, UNIT_TREND_ROWS,
                                                 meta.first_year, meta.edition),
        glue_values=glue_values,
        download_prefix=f"{unit_id}-{meta.edition}",
        plausibility_notes=tuple(notes),
    )


def for_city(edition: int, results_dir: str | Path) -> CityContext:
    """Everything the city template shows."""
    results_dir, meta = open_results(results_dir, edition)
    units = read_units(results_dir)
    indicators = read_indicators(results_dir)
    city = lookup(indicators, CITY_ID, "turnover_rate", "alla", meta.edition)
    glue_values = common_glue(meta)
    glue_values.update(turnover_glue(indicators, CITY_ID, meta.edition))
    for indicator in ("headcount", "consultants"):
        glue_values[indicator] = format_cell(
            indicator, lookup(indicators, CITY_ID, indicator, "alla", meta.edition))
        glue_values[f"{indicator}_first"] = format_cell(
            indicator, lookup(indicators, CITY_ID, indicator, "alla", meta.first_year))
    by_unit = comparison_frame(indicators, units, "turnover_rate", "alla", meta.edition)
    found = wording.extremes(zip(by_unit["unit_name"], by_unit["value"],
                                 by_unit["suppressed"].astype(bool), strict=True),
                             "turnover_rate")
    if found is not None:
        glue_values["turnover_comparison"] = labels.COMPARISON_SENTENCE.format(
            highest=wording.name_units(found.highest),
            highest_value=formatting.format_percent(found.highest_value),
            lowest=wording.name_units(found.lowest),
            lowest_value=formatting.format_percent(found.lowest_value))
    else:
        glue_values["turnover_comparison"] = labels.COMPARISON_SENTENCE_NONE.format(
            year=meta.edition)
    return CityContext(
        edition=meta.edition,
        first_year=meta.first_year,
        turnover_by_year=select_series(indicators, CITY_ID, "turnover_rate"),
        turnover_by_unit=by_unit,
        city_turnover=city[0] if city and not city[1] else None,
        key_figures=key_figures_table(indicators, CITY_ID, meta.edition, with_city=False),
        glue_values=glue_values,
        download_prefix=f"stockholm-{meta.edition}",
    )
