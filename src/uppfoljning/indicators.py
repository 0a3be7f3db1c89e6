"""Every indicator of indicators.md, restated to an edition's units, with disclosure
control applied once.

The pipeline is: each family function returns *components* per edition unit (and the
city ``stockholm``), year and occupation — the value plus the ``base`` that disclosure
control looks at and the rule to apply. :func:`compute_results` assembles them on a
complete grid and applies the pattern of :mod:`uppfoljning.disclosure`;
:func:`compute_indicators` drops the internal columns and gives the published table
``indikatorer.csv``.

All functions are pure: frames in, new frames out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import catalog, disclosure, formatting
from .catalog import ALL, BASE, BY_OCCUPATION, OCCUPATION_PARTS
from .config import ReportConfig
from .contract import DATE, EXIT_REASONS, MONTH, TABLES
from .loading import Delivery
from .units import CITY_ID, UnitRegistry

LEAVER_REASONS = {
    "turnover_rate": ("egen_begaran", "pension", "ovrigt", "intern_rorlighet"),
    "turnover_rate_external": ("egen_begaran", "pension", "ovrigt"),
    "turnover_rate_voluntary": ("egen_begaran",),
}
PUBLISHED_COLUMNS = [
    "edition",
    "year",
    "unit_id",
    "unit_name",
    "occupation",
    "indicator",
    "value",
    "suppressed",
]
_KEY = ["year", "unit_id", "occupation"]


# ---------------------------------------------------------------------------
# Restatement and grids


def attach_edition_unit(frame: pd.DataFrame, unit_map: dict[str, str]) -> pd.DataFrame:
    """Copy of ``frame`` with ``unit_id`` restated to edition units, plus a copy of every
    row as the city ``stockholm``. The source unit is kept as ``source_unit``."""
    restated = frame.assign(source_unit=frame["unit_id"], unit_id=frame["unit_id"].map(unit_map))
    restated = restated[restated["unit_id"].notna()]
    city = frame.assign(source_unit=frame["unit_id"], unit_id=CITY_ID)
    return pd.concat([restated, city], ignore_index=True)


def with_occupation_groups(frame: pd.DataFrame, groups: tuple[str, ...]) -> pd.DataFrame:
    """Duplicate rows so each carries the occupation group it belongs to (ss, bh, alla)."""
    if "occupation" not in frame:
        return frame.assign(occupation=ALL)
    parts = []
    for group in groups:
        members = OCCUPATION_PARTS[group]
        parts.append(frame[frame["occupation"].isin(members)].assign(occupation=group))
    return pd.concat(parts, ignore_index=True)


def full_grid(years: list[int], units: list[str], occupations: tuple[str, ...]) -> pd.DataFrame:
    index = pd.MultiIndex.from_product([years, units, occupations], names=_KEY)
    return index.to_frame(index=False)


def years_in_range(years: pd.Series | list[int], config: ReportConfig, edition: int) -> list[int]:
    present = {int(y) for y in pd.Series(years).dropna().unique()}
    return sorted(y for y in present if config.first_year <= y <= edition)


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    num = numerator.astype("float64")
    den = denominator.astype("float64")
    return (num / den.where(den != 0)).astype("float64")


def _on_grid(parts: pd.DataFrame, grid: pd.DataFrame, fill: dict[str, float]) -> pd.DataFrame:
    merged = grid.merge(parts, on=_KEY, how="left")
    return merged.fillna(fill) if fill else merged


def _components(
    frame: pd.DataFrame,
    indicator: str,
    value: pd.Series,
    base: pd.Series,
    count: pd.Series | None = None,
) -> pd.DataFrame:
    """One indicator's cells: value, the ``base`` disclosure control looks at, the rule
    the catalogue gives the indicator, and for exit-reason shares the ``count`` of
    interviews giving the reason."""
    return pd.DataFrame(
        {
            "year": frame["year"].astype(int).to_numpy(),
            "unit_id": frame["unit_id"].to_numpy(),
            "occupation": frame["occupation"].to_numpy(),
            "indicator": indicator,
            "value": value.astype("float64").to_numpy(),
            "base": base.astype("float64").to_numpy(),
            "rule": catalog.indicator(indicator).rule,
            "count": (np.nan if count is None else count.astype("float64").to_numpy()),
        }
    )


# ---------------------------------------------------------------------------
# Spells: month-end counts


def _month_index(dates: pd.Series) -> np.ndarray:
    return (dates.dt.year * 12 + dates.dt.month - 1).to_numpy(dtype="int64")


def monthly_spell_counts(
    spells: pd.DataFrame, first_year: int, last_year: int, keys: list[str]
) -> pd.DataFrame:
    """Number of spells active on each month-end date, per group of ``keys``.

    A spell is active on month-end ``d`` when ``start_date <= d`` and its ``end_date``
    is empty or ``>= d`` (the end date is inclusive). Returns columns ``keys + [year,
    month, active]`` for every month of ``first_year..last_year``.
    """
    m0, m1 = first_year * 12, last_year * 12 + 11
    n_months = m1 - m0 + 1
    if spells.empty:
        return pd.DataFrame(columns=[*keys, "year", "month", "active"])
    groups = spells.groupby(keys, sort=True, observed=True).ngroup().to_numpy()
    n_groups = int(groups.max()) + 1
    first = _month_index(spells["start_date"])
    end = spells["end_date"]
    last = np.where(
        end.isna(),
        m1,
        _month_index(end.fillna(pd.Timestamp("1900-01-31"))) - (~end.dt.is_month_end).to_numpy(),
    )
    first = np.clip(first, m0, m1 + 1) - m0
    last = np.clip(last, m0 - 1, m1) - m0
    keep = last >= first
    diff = np.zeros((n_groups, n_months + 1), dtype="int64")
    np.add.at(diff, (groups[keep], first[keep]), 1)
    np.add.at(diff, (groups[keep], last[keep] + 1), -1)
    active = diff.cumsum(axis=1)[:, :n_months]
    labels = (
        spells.assign(_g=groups)
        .drop_duplicates("_g")
        .sort_values("_g")[keys]
        .reset_index(drop=True)
    )
    months = np.arange(n_months) + m0
    result = labels.loc[np.repeat(np.arange(n_groups), n_months)].reset_index(drop=True)
    result["year"] = np.tile(months // 12, n_groups)
    result["month"] = np.tile(months % 12 + 1, n_groups)
    result["active"] = active.reshape(-1)
    return result


def mean_headcount(spells: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Mean over the 12 month-ends of each year of active spells, per unit × occupation.

    ``spells`` must already carry the restated ``unit_id`` and the occupation group.
    """
    if not years:
        return pd.DataFrame(columns=[*_KEY, "H"])
    counts = monthly_spell_counts(spells, min(years), max(years), ["unit_id", "occupation"])
    counts = counts[counts["year"].isin(years)]
    mean = counts.groupby(_KEY, as_index=False)["active"].sum()
    mean["H"] = mean.pop("active") / 12.0
    return mean


# ---------------------------------------------------------------------------
# What a family reads of its source table: the years (the contract's period column) and
# the occupation rows (the catalogue's)


def row_years(source: str, table: pd.DataFrame) -> pd.Series:
    """The year each row of the delivery table ``source`` falls in: the year of its
    period column (``contract.Table.period``, the one place that names it), a date, a
    month ``YYYY-MM`` or a year. A spell table has a (start, end) period and no single
    year: see :func:`covered_years`."""
    (column,) = TABLES[source].period
    kind = TABLES[source].column(column).kind
    if kind == DATE:
        return table[column].dt.year
    if kind == MONTH:
        return _month_year(table[column])
    return table[column]


def covered_years(
    source: str, table: pd.DataFrame, config: ReportConfig, edition: int
) -> list[int]:
    """The years of ``first_year``..``edition`` the source table covers (indicators.md:
    "an indicator has rows for the years its source table covers"): a year some row
    falls in, or, for a spell table, a year some spell is active in (an open end runs to
    the edition)."""
    period = TABLES[source].period
    if len(period) == 1:
        return years_in_range(row_years(source, table), config, edition)
    if table.empty:
        return []
    start, end = period
    start_year = table[start].dt.year
    end_year = table[end].dt.year.fillna(edition).astype(int)
    return [
        y
        for y in range(config.first_year, edition + 1)
        if ((start_year <= y) & (end_year >= y)).any()
    ]


@dataclass(frozen=True)
class Scope:
    """What every family computes on: the edition's units and the city (its grid), the
    edition unit each source unit counts for, the report's years, and the employment
    spells (the headcount behind several rates)."""

    grid_units: list[str]
    unit_map: dict[str, str]
    config: ReportConfig
    edition: int
    spells: pd.DataFrame

    def years(self, source: str, table: pd.DataFrame) -> list[int]:
        return covered_years(source, table, self.config, self.edition)

    def grid(self, years: list[int], source: str) -> pd.DataFrame:
        """Every year x unit x occupation row the catalogue gives ``source``'s indicators."""
        return full_grid(years, self.grid_units, catalog.source_occupations(source))


# ---------------------------------------------------------------------------
# Employment spells: headcount and turnover


def compute_employment_indicators(source: str, spells: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """headcount, turnover_rate(_external, _voluntary)."""
    years = scope.years(source, spells)
    grid = scope.grid(years, source)
    if not years:
        return pd.DataFrame()
    groups = catalog.source_occupations(source)
    restated = with_occupation_groups(attach_edition_unit(spells, scope.unit_map), groups)
    permanent = restated[restated["employment_type"] == "tillsvidare"]
    h = _on_grid(mean_headcount(permanent, years), grid, {"H": 0.0})
    parts = [_components(h, "headcount", h["H"], h["H"])]
    ended = permanent[permanent["end_date"].notna()]
    ended = ended.assign(year=ended["end_date"].dt.year)
    for indicator, reasons in LEAVER_REASONS.items():
        leavers = (
            ended[ended["end_reason"].isin(reasons)]
            .groupby(_KEY, as_index=False)
            .size()
            .rename(columns={"size": "leavers"})
        )
        rate = _on_grid(leavers, h, {"leavers": 0.0})
        parts.append(
            _components(
                rate,
                indicator,
                _ratio(rate["leavers"], rate["H"]),
                rate["H"],
                count=rate["leavers"],
            )
        )
    return pd.concat(parts, ignore_index=True)


def mean_headcount_all_types(
    scope: Scope, years: list[int], groups: tuple[str, ...]
) -> pd.DataFrame:
    """``H_all``: mean month-end headcount over spells of every employment type."""
    grid = full_grid(years, scope.grid_units, groups)
    if not years or scope.spells.empty:
        return grid.assign(H_all=0.0)
    restated = with_occupation_groups(attach_edition_unit(scope.spells, scope.unit_map), groups)
    h = mean_headcount(restated, years).rename(columns={"H": "H_all"})
    return _on_grid(h, grid, {"H_all": 0.0})


def headcount_on(spells: pd.DataFrame, unit_days: pd.DataFrame) -> pd.Series:
    """Spells (every occupation and type) of ``source_unit`` active on ``day``, per row of
    ``unit_days`` (columns ``source_unit``, ``day``).

    Active on ``d`` means ``start_date <= d`` and (no end or ``end_date >= d``), so the
    count is (spells started by ``d``) - (spells ended before ``d``): two binary
    searches on (unit, date) keys instead of a scan per row.
    """
    units = pd.Index(pd.unique(pd.concat([spells["unit_id"], unit_days["source_unit"]])))
    span = np.int64(1) << 40  # room for any day number

    def keys(unit_ids: pd.Series, days: pd.Series) -> np.ndarray:
        codes = units.get_indexer(unit_ids).astype("int64")
        day_numbers = days.to_numpy(dtype="datetime64[D]").astype("int64") + (span >> 1)
        return codes * span + day_numbers

    started = np.sort(keys(spells["unit_id"], spells["start_date"]))
    ended_spells = spells[spells["end_date"].notna()]
    ended = np.sort(keys(ended_spells["unit_id"], ended_spells["end_date"]))
    query = keys(unit_days["source_unit"], unit_days["day"])
    unit_start = units.get_indexer(unit_days["source_unit"]).astype("int64") * span
    started_by = np.searchsorted(started, query, side="right") - np.searchsorted(
        started, unit_start, side="left"
    )
    ended_before = np.searchsorted(ended, query, side="left") - np.searchsorted(
        ended, unit_start, side="left"
    )
    counts = started_by - ended_before
    return pd.Series(counts, index=unit_days.index)


# ---------------------------------------------------------------------------
# Point-in-time, monthly and event tables


def last_measurements(
    source: str,
    table: pd.DataFrame,
    value_column: str,
    groups: tuple[str, ...],
    unit_map: dict[str, str],
) -> pd.DataFrame:
    """Per source unit, the rows at the unit's own last measuring date in each year (one
    date for every occupation, so ``alla`` is the sum of the two), split into occupation
    groups and restated: columns year, unit_id, occupation, source_unit, day, value."""
    (measured_on,) = TABLES[source].period
    frame = table.assign(year=row_years(source, table))
    last = frame.groupby(["year", "unit_id"])[measured_on].transform("max")
    at_last = with_occupation_groups(frame[frame[measured_on] == last], groups)
    summed = at_last.groupby(["year", "unit_id", "occupation"], as_index=False).agg(
        value=(value_column, "sum"), day=(measured_on, "first")
    )
    return attach_edition_unit(summed, unit_map)


def compute_point_in_time(
    source: str, table: pd.DataFrame, indicator: str, value_column: str, scope: Scope
) -> pd.DataFrame:
    years = scope.years(source, table)
    grid = scope.grid(years, source)
    if not years:
        return pd.DataFrame()
    groups = catalog.source_occupations(source)
    rows = last_measurements(source, table, value_column, groups, scope.unit_map)
    total = rows.groupby(_KEY, as_index=False)["value"].sum()
    result = _on_grid(total, grid, {"value": 0.0})
    return _components(result, indicator, result["value"], result["value"])


def sum_by_year(
    source: str, table: pd.DataFrame, value_column: str | None, indicator: str, scope: Scope
) -> pd.DataFrame:
    """Sum (or count rows, when ``value_column`` is None) per year, unit and occupation."""
    years = scope.years(source, table)
    grid = scope.grid(years, source)
    if not years:
        return pd.DataFrame()
    frame = table.assign(
        year=row_years(source, table).astype("Int64"),
        _v=1.0 if value_column is None else table[value_column].astype(float),
    )
    groups = catalog.source_occupations(source)
    frame = with_occupation_groups(attach_edition_unit(frame, scope.unit_map), groups)
    total = frame.groupby(_KEY, as_index=False)["_v"].sum().rename(columns={"_v": "value"})
    result = _on_grid(total, grid, {"value": 0.0})
    return _components(result, indicator, result["value"], result["value"])


def _month_year(months: pd.Series) -> pd.Series:
    return pd.to_numeric(months.astype(str).str.slice(0, 4), errors="coerce")


def compute_consultants(source: str, table: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    return compute_point_in_time(source, table, "consultants", "consultants", scope)


def compute_consultant_costs(source: str, table: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    return sum_by_year(source, table, "cost_sek", "consultant_cost_sek", scope)


def compute_job_ads(source: str, table: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    return sum_by_year(source, table, "ads", "job_ads", scope)


def compute_wait_days(source: str, visits: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    years = scope.years(source, visits)
    grid = scope.grid(years, source)
    if not years:
        return pd.DataFrame()
    booked = visits[visits["visit_on"].notna()]
    booked = booked.assign(
        year=row_years(source, booked),
        days=(booked["visit_on"] - booked["requested_on"]).dt.days.astype(float),
    )
    groups = catalog.source_occupations(source)
    booked = with_occupation_groups(attach_edition_unit(booked, scope.unit_map), groups)
    stats = booked.groupby(_KEY, as_index=False)["days"].agg(["mean", "median", "size"])
    result = _on_grid(stats, grid, {"size": 0.0})
    return pd.concat(
        [
            _components(result, "wait_days_mean", result["mean"], result["size"]),
            _components(result, "wait_days_median", result["median"], result["size"]),
        ],
        ignore_index=True,
    )


def compute_cases_per_worker(source: str, caseload: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    years = scope.years(source, caseload)
    grid = scope.grid(years, source)
    if not years:
        return pd.DataFrame()
    frame = caseload.assign(year=row_years(source, caseload).astype("Int64"))
    groups = catalog.source_occupations(source)
    frame = with_occupation_groups(attach_edition_unit(frame, scope.unit_map), groups)
    sums = frame.groupby(_KEY, as_index=False)[["open_cases", "case_workers_fte"]].sum()
    result = _on_grid(sums, grid, {"open_cases": 0.0, "case_workers_fte": 0.0})
    value = _ratio(result["open_cases"], result["case_workers_fte"])
    return _components(result, "cases_per_worker", value, result["case_workers_fte"])


def compute_survey(source: str, survey: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    years = scope.years(source, survey)
    grid = scope.grid(years, source)
    if not years:
        return pd.DataFrame()
    frame = survey.assign(year=row_years(source, survey))
    frame = frame[frame["year"].isin(years)]
    frame = frame.assign(
        weighted=frame["value"].astype(float) * frame["respondents"].astype(float),
        respondents=frame["respondents"].astype(float),
        invited=frame["invited"].astype(float),
    )
    groups = catalog.source_occupations(source)
    frame = with_occupation_groups(attach_edition_unit(frame, scope.unit_map), groups)
    parts = []
    for index_id in sorted(frame["index_id"].unique()):
        sums = (
            frame[frame["index_id"] == index_id]
            .groupby(_KEY, as_index=False)[["weighted", "respondents"]]
            .sum()
        )
        result = _on_grid(sums, grid, {"weighted": 0.0, "respondents": 0.0})
        parts.append(
            _components(
                result,
                catalog.survey_id(index_id),
                _ratio(result["weighted"], result["respondents"]),
                result["respondents"],
            )
        )
    # Value: sum of respondents / sum of invited over all rows (indicators.md). Base for
    # disclosure: the rate's denominator counted in persons -- every index is asked of the
    # same people, so summing invited over indices would count each person once per index
    # and let a 2-person cell through; take the largest per-index sum instead.
    per_index = frame.groupby([*_KEY, "index_id"], as_index=False)[["respondents", "invited"]].sum()
    sums = per_index.groupby(_KEY, as_index=False).agg(
        respondents=("respondents", "sum"),
        invited=("invited", "sum"),
        persons=("invited", "max"),
    )
    result = _on_grid(sums, grid, {"respondents": 0.0, "invited": 0.0, "persons": 0.0})
    parts.append(
        _components(
            result,
            catalog.SURVEY_RESPONSE_RATE,
            _ratio(result["respondents"], result["invited"]),
            result["persons"],
        )
    )
    return pd.concat(parts, ignore_index=True)


def compute_incidents(source: str, incidents: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """incidents, and incidents_per_100 over ``H_all`` (every employment type)."""
    counts = sum_by_year(source, incidents, None, "incidents", scope)
    if counts.empty:
        return counts
    years = scope.years(source, incidents)
    h_all = mean_headcount_all_types(scope, years, catalog.source_occupations(source))
    merged = counts.merge(h_all, on=_KEY, how="left").fillna({"H_all": 0.0})
    per_100 = 100.0 * _ratio(merged["value"], merged["H_all"])
    rate = _components(merged, "incidents_per_100", per_100, merged["value"])
    return pd.concat([counts, rate], ignore_index=True)


def assignment_days_in_year(start: pd.Series, end: pd.Series, year: int) -> pd.Series:
    """Days of each inclusive [start, end] interval that fall in ``year``."""
    lo = start.clip(lower=pd.Timestamp(year=year, month=1, day=1))
    hi = end.clip(upper=pd.Timestamp(year=year, month=12, day=31))
    return ((hi - lo).dt.days + 1).clip(lower=0)


def compute_reinforcement(source: str, assignments: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    years = scope.years(source, assignments)
    grid = scope.grid(years, source)
    if not years:
        return pd.DataFrame()
    start, end = TABLES[source].period
    parts = []
    for y in years:
        days = assignment_days_in_year(assignments[start], assignments[end], y)
        parts.append(
            assignments.assign(
                year=y,
                staff_weeks=assignments["staff"].astype(float) * days.astype(float) / 7.0,
            )
        )
    frame = attach_edition_unit(pd.concat(parts, ignore_index=True), scope.unit_map)
    frame = with_occupation_groups(frame, catalog.source_occupations(source))
    total = frame.groupby(_KEY, as_index=False)["staff_weeks"].sum()
    result = _on_grid(total, grid, {"staff_weeks": 0.0})
    return _components(
        result, "reinforcement_staff_weeks", result["staff_weeks"], result["staff_weeks"]
    )


def compute_staff_ratio(
    source: str, table: pd.DataFrame, value_column: str, indicator: str, scope: Scope
) -> pd.DataFrame:
    """staff_per_manager (headcount / managers) or admin_fte_per_10 (10 × fte / headcount),
    each source unit taken at its own last measuring date in the year."""
    years = scope.years(source, table)
    grid = scope.grid(years, source)
    if not years:
        return pd.DataFrame()
    groups = catalog.source_occupations(source)
    rows = last_measurements(source, table, value_column, groups, scope.unit_map)
    rows = rows[rows["year"].isin(years)].reset_index(drop=True)
    rows["staff"] = headcount_on(scope.spells, rows).astype(float)
    sums = rows.groupby(_KEY, as_index=False)[["value", "staff"]].sum()
    result = _on_grid(sums, grid, {"value": 0.0, "staff": 0.0})
    if indicator == "staff_per_manager":
        value = _ratio(result["staff"], result["value"])
    else:
        value = 10.0 * _ratio(result["value"], result["staff"])
    return _components(result, indicator, value, result["staff"])


def compute_staff_per_manager(source: str, table: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    return compute_staff_ratio(source, table, "managers", "staff_per_manager", scope)


def compute_admin_support(source: str, table: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    return compute_staff_ratio(source, table, "administrators_fte", "admin_fte_per_10", scope)


def split_reasons(reasons: pd.Series) -> pd.Series:
    """Set of distinct exit-reason codes of each interview."""
    return (
        reasons.fillna("")
        .astype(str)
        .map(lambda text: frozenset(code.strip() for code in text.split(";") if code.strip()))
    )


def compute_exit_reasons(source: str, interviews: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    years = scope.years(source, interviews)
    grid = scope.grid(years, source)
    if not years:
        return pd.DataFrame()
    codes = split_reasons(interviews["reasons"])
    frame = pd.DataFrame(
        {
            "unit_id": interviews["unit_id"].to_numpy(),
            "year": row_years(source, interviews).to_numpy(),
            "interviews": 1.0,
            **{
                code: codes.map(lambda s, c=code: float(c in s)).to_numpy() for code in EXIT_REASONS
            },
        }
    )
    # the shares are of every interview: the catalogue's occupation rows (alla) only
    frame = with_occupation_groups(
        attach_edition_unit(frame, scope.unit_map), catalog.source_occupations(source)
    )
    sums = frame.groupby(_KEY, as_index=False)[["interviews", *EXIT_REASONS]].sum()
    result = _on_grid(sums, grid, {c: 0.0 for c in ["interviews", *EXIT_REASONS]})
    return pd.concat(
        [
            _components(
                result,
                catalog.exit_share_id(code),
                _ratio(result[code], result["interviews"]),
                result["interviews"],
                count=result[code],
            )
            for code in EXIT_REASONS
        ],
        ignore_index=True,
    )


# The family that computes the indicators of each source table (catalog.Indicator.source),
# in the order they are computed. A family is called with the table's name, its rows
# (when the delivery has any) and the scope of the edition.
Family = Callable[[str, pd.DataFrame, Scope], pd.DataFrame]
FAMILIES: dict[str, Family] = {
    "employments": compute_employment_indicators,
    "consultants": compute_consultants,
    "consultant_costs": compute_consultant_costs,
    "job_ads": compute_job_ads,
    "visits": compute_wait_days,
    "caseload": compute_cases_per_worker,
    "staff_survey": compute_survey,
    "incidents": compute_incidents,
    "reinforcement": compute_reinforcement,
    "managers": compute_staff_per_manager,
    "admin_support": compute_admin_support,
    "exit_interviews": compute_exit_reasons,
}


# ---------------------------------------------------------------------------
# Disclosure control and assembly


def apply_disclosure(
    results: pd.DataFrame,
    min_n: int,
    registry: UnitRegistry,
    edition: int,
    archive: Sequence[disclosure.PublishedEdition] = (),
) -> tuple[pd.DataFrame, disclosure.Summary]:
    """Set ``suppressed`` and ``reason`` and blank hidden values: the pattern of
    :func:`uppfoljning.disclosure.protect`, the one place it is decided. With
    ``min_n`` 0 nothing is hidden (the unsuppressed results of the checks)."""
    if min_n <= 0:
        base = results["base"].fillna(0.0)
        no_data = (results["rule"] == BASE) & (base <= 0)
        return (
            results.assign(suppressed=False, reason="", value=results["value"].where(~no_data)),
            disclosure.Summary(),
        )
    return disclosure.protect(results, min_n, registry, edition, archive)


INDICATOR_ORDER = list(catalog.FIXED)


def blank_years_before_units_existed(
    results: pd.DataFrame, existing: dict[str, set[int]]
) -> pd.DataFrame:
    """Empty values ("uppgift saknas", not suppressed) for a unit's years in which
    neither it nor a unit restated into it existed: a district formed in 2024 without
    predecessors had no headcount of 0 in 2016, it had none at all. The city keeps
    every year. Done after disclosure control, which sees those cells as the zeros
    they sum as; an empty cell publishes less than a zero."""
    pairs = {(unit, year) for unit, years in existing.items() for year in years}
    before = pd.Series(
        [
            unit != CITY_ID and (unit, year) not in pairs
            for unit, year in zip(results["unit_id"], results["year"], strict=True)
        ],
        index=results.index,
    )
    if not before.any():
        return results
    results = results.copy()
    results.loc[before, "value"] = np.nan
    results.loc[before, "suppressed"] = False
    if "reason" in results.columns:
        results.loc[before, "reason"] = ""
    return results


def _indicator_rank(name: str) -> tuple[int, str]:
    if name in INDICATOR_ORDER:
        return (INDICATOR_ORDER.index(name), name)
    if catalog.is_survey_index(name):
        return (INDICATOR_ORDER.index(catalog.SURVEY_RESPONSE_RATE), name)
    return (len(INDICATOR_ORDER), name)


def compute_results(
    delivery: Delivery,
    edition: int,
    config: ReportConfig,
    archive: Sequence[disclosure.PublishedEdition] = (),
) -> pd.DataFrame:
    """All indicators with their disclosure base, suppression applied.

    Columns: edition, year, unit_id, unit_name, occupation, indicator, value, base, rule,
    count, suppressed, reason.
    """
    return compute_pattern(delivery, edition, config, archive)[0]


def compute_pattern(
    delivery: Delivery,
    edition: int,
    config: ReportConfig,
    archive: Sequence[disclosure.PublishedEdition] = (),
) -> tuple[pd.DataFrame, disclosure.Summary]:
    """:func:`compute_results` and the summary of its disclosure control."""
    return compute_pattern_with_internal(delivery, edition, config, archive)[:2]


def compute_pattern_with_internal(
    delivery: Delivery,
    edition: int,
    config: ReportConfig,
    archive: Sequence[disclosure.PublishedEdition] = (),
) -> tuple[pd.DataFrame, disclosure.Summary, pd.DataFrame]:
    """:func:`compute_pattern` plus the same results unsuppressed (never published):
    what the results checks need behind hidden cells, without computing it again."""
    registry = UnitRegistry.from_frame(delivery.tables["units"])
    unit_map = registry.edition_map(edition)
    grid_units = [*registry.edition_unit_ids(edition), CITY_ID]
    scope = Scope(grid_units, unit_map, config, edition, delivery.tables["employments"])
    parts = [
        family(source, frame, scope)
        for source, family in FAMILIES.items()
        if (frame := delivery.table(source)) is not None and len(frame)
    ]
    results = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    internal = apply_disclosure(results, 0, registry, edition)[0]
    results, summary = apply_disclosure(results, config.min_n, registry, edition, archive)
    # Published as displayed: rounded once, here, after disclosure is decided and
    # before anything reads the table (indicators.md, *The published table*).
    results = results.assign(
        value=formatting.round_indicator_values(results["indicator"], results["value"])
    )
    results = blank_years_before_units_existed(results, registry.years_existing(edition))
    unit_rank = {u: i for i, u in enumerate(grid_units)}
    occupation_rank = {o: i for i, o in enumerate(BY_OCCUPATION)}
    order = pd.DataFrame(
        {
            "i": results["indicator"].map(_indicator_rank),
            "u": results["unit_id"].map(unit_rank),
            "o": results["occupation"].map(occupation_rank),
        }
    )
    results = results.assign(
        _i=order["i"].map(lambda r: r[0]), _n=results["indicator"], _u=order["u"], _o=order["o"]
    )
    results = results.sort_values(["_i", "_n", "year", "_u", "_o"], kind="stable")
    results = results.drop(columns=["_i", "_n", "_u", "_o"]).reset_index(drop=True)
    results.insert(0, "edition", edition)
    names = {unit_id: registry.name(unit_id) for unit_id in grid_units}
    results.insert(3, "unit_name", results["unit_id"].map(names))
    return results, summary, internal


def compute_indicators(delivery: Delivery, edition: int, config: ReportConfig) -> pd.DataFrame:
    """The published table ``indikatorer.csv`` (indicators.md), suppression applied."""
    results = compute_results(delivery, edition, config)
    return results[PUBLISHED_COLUMNS].reset_index(drop=True)


def format_value(value: float) -> str:
    """The value as it is (already rounded as displayed), '.' decimals; whole numbers
    without a trailing '.0'."""
    if pd.isna(value):
        return ""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def to_csv_text(table: pd.DataFrame) -> str:
    """``indikatorer.csv`` as text: UTF-8, comma-separated, values rounded as displayed."""
    out = table[PUBLISHED_COLUMNS].copy()
    out["value"] = out["value"].map(format_value)
    out["suppressed"] = out["suppressed"].map(lambda s: "true" if s else "false")
    return out.to_csv(index=False, lineterminator="\n")
