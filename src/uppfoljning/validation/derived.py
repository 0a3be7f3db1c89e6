"""Derived columns: what rules across rows and tables check, computed in pandas.

The suites (:mod:`uppfoljning.validation.suites`) check columns that are not in the
delivery: parsed numbers and dates (range rules), whether a row's unit is valid over
its period, whether spells overlap, and the row rules of the contract. :class:`CheckData`
computes them, vectorised, from the raw text delivery; :func:`check_frame` assembles
the frame GX validates for one table.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..contract import DATE, INT, MONTH, NUMBER, ROW_RULES, SUCCESSOR, TABLES, TIME_KINDS, TOGETHER
from ..loading import RawDelivery, normalise_number_text
from .suites import (
    FORMATS,
    NO_OVERLAP,
    PARSED_PREFIX,
    RULE_PREFIX,
    UNIT_VALID,
    reference_parameter,
)


def _days(values: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 as float (NaN where missing)."""
    stamps = pd.to_datetime(values).to_numpy(dtype="datetime64[D]")
    days = stamps.astype("int64").astype("float64")
    days[np.isnat(stamps)] = np.nan
    return days


def _matches(values: pd.Series, pattern: str) -> pd.Series:
    return values.astype("str").str.contains(pattern, regex=True).fillna(False).astype(bool)


def parse_time_bounds(values: pd.Series, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """First and last day (days since epoch, NaN where missing or malformed) of each
    date, month or year cell."""
    pattern = FORMATS[kind][0]
    valid = values.where(_matches(values, pattern))
    if kind == DATE:
        first = pd.to_datetime(valid, format="%Y-%m-%d", errors="coerce")
        last = first
    elif kind == MONTH:
        first = pd.to_datetime(valid, format="%Y-%m", errors="coerce")
        last = first + pd.offsets.MonthEnd(0)
    else:
        first = pd.to_datetime(valid, format="%Y", errors="coerce")
        last = first + pd.offsets.YearEnd(0)
    return _days(first), _days(last)


def parse_number_values(values: pd.Series, kind: str, decimal_comma: bool) -> pd.Series:
    text = normalise_number_text(values, decimal_comma)
    return pd.to_numeric(text.where(_matches(text, FORMATS[kind][0])), errors="coerce")


@dataclass(frozen=True)
class UnitPeriods:
    """Each unit's validity in days since epoch (valid_to = +inf while it exists)."""

    ids: pd.Index
    first: np.ndarray
    last: np.ndarray

    @classmethod
    def from_units(cls, units: pd.DataFrame | None) -> UnitPeriods:
        if units is None or not {"unit_id", "valid_from", "valid_to"} <= set(units.columns):
            return cls(pd.Index([], dtype="str"), np.array([]), np.array([]))
        units = units[units["unit_id"].notna()].drop_duplicates("unit_id")
        first, _ = parse_time_bounds(units["valid_from"], DATE)
        last, _ = parse_time_bounds(units["valid_to"], DATE)
        last[units["valid_to"].isna().to_numpy()] = np.inf
        return cls(pd.Index(units["unit_id"].astype("str")), first, last)

    def lookup(self, unit_ids: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(known, first, last) per row; first/last NaN for unknown units."""
        position = self.ids.get_indexer(unit_ids.astype("str"))
        known = position >= 0
        first = np.full(len(position), np.nan)
        last = np.full(len(position), np.nan)
        first[known] = self.first[position[known]]
        last[known] = self.last[position[known]]
        return known, first, last


def units_valid(
    periods: UnitPeriods, unit_ids: pd.Series, first: np.ndarray, last: np.ndarray, every_day: bool
) -> np.ndarray:
    """True where the unit is valid on every day (or at least one day) of first..last.

    Rows whose unit is unknown or whose period is missing or malformed pass: other
    rules report them.
    """
    known, valid_from, valid_to = periods.lookup(unit_ids)
    with np.errstate(invalid="ignore"):
        if every_day:
            ok = (valid_from <= first) & (last <= valid_to)
        else:
            ok = (valid_from <= last) & (first <= valid_to)
    applicable = known & ~np.isnan(first) & ~np.isnan(last) & ~np.isnan(valid_from)
    return ~applicable | ok


def spells_do_not_overlap(keys: pd.DataFrame, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """False for every spell that overlaps another spell with the same keys.

    ``start``/``end`` are inclusive days (end +inf for an open spell). Rows with a
    missing key or a missing/malformed date pass: other rules report them.
    """
    result = np.ones(len(start), dtype=bool)
    applicable = keys.notna().all(axis=1).to_numpy() & ~np.isnan(start) & ~np.isnan(end)
    rows = np.flatnonzero(applicable)
    if len(rows) < 2:
        return result
    groups = keys.iloc[rows].groupby(list(keys.columns), sort=False).ngroup().to_numpy()
    order = np.lexsort((start[rows], groups))
    group, first, last = groups[order], start[rows][order], end[rows][order]
    same_as_previous = group[1:] == group[:-1]
    latest_end = pd.Series(last).groupby(group).cummax().to_numpy()
    overlaps = np.zeros(len(order), dtype=bool)
    overlaps[1:] |= same_as_previous & (first[1:] <= latest_end[:-1])
    overlaps[:-1] |= same_as_previous & (first[1:] <= last[:-1])
    result[rows[order[overlaps]]] = False
    return result


def present_together(values: pd.Series, other: pd.Series) -> np.ndarray:
    return (values.isna() == other.isna()).to_numpy()


def successors_valid(periods: UnitPeriods, successor: pd.Series, valid_to: pd.Series) -> np.ndarray:
    """A successor needs valid_to and must be valid on valid_to + 1 day."""
    given = successor.notna().to_numpy()
    end, _ = parse_time_bounds(valid_to, DATE)
    malformed_end = valid_to.notna().to_numpy() & np.isnan(end)
    next_day = end + 1
    known, _, _ = periods.lookup(successor)
    valid = units_valid(periods, successor, next_day, next_day, every_day=True)
    missing_end = valid_to.isna().to_numpy()
    return ~given | (~missing_end & (malformed_end | ~known | valid))


class CheckData:
    """The raw delivery plus cached parses, for computing derived columns."""

    def __init__(self, raw: RawDelivery):
        self.raw = raw
        self._bounds: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}

    def bounds(self, table: str, column: str) -> tuple[np.ndarray, np.ndarray]:
        key = (table, column)
        if key not in self._bounds:
            kind = TABLES[table].column(column).kind
            self._bounds[key] = parse_time_bounds(self.raw.frames[table][column], kind)
        return self._bounds[key]

    @functools.cached_property
    def units(self) -> UnitPeriods:
        return UnitPeriods.from_units(self.raw.frames.get("units"))

    @functools.cached_property
    def data_end(self) -> float:
        """Last day covered by any dated row outside units (open spells run to it)."""
        ends = [
            np.nanmax(last)
            for table, frame in self.raw.frames.items()
            if table != "units"
            for column in TABLES[table].columns
            if column.kind in TIME_KINDS and column.name in frame and len(frame)
            for last in [self.bounds(table, column.name)[1]]
            if not np.isnan(last).all()
        ]
        return max(ends) if ends else np.nan

    def period(self, table: str) -> tuple[np.ndarray, np.ndarray, bool]:
        """(first day, last day, every_day) of each row's period."""
        spec = TABLES[table]
        if len(spec.period) == 2:
            start_column, end_column = spec.period
            start, _ = self.bounds(table, start_column)
            end, _ = self.bounds(table, end_column)
            open_end = self.open_ends(table)
            end = np.where(open_end, np.fmax(start, self.data_end), end)
            return start, end, True
        (column,) = spec.period
        first, last = self.bounds(table, column)
        return first, last, spec.column(column).kind == DATE

    def spells(self, table: str) -> tuple[np.ndarray, np.ndarray]:
        """(start, end) days; an open spell ends at +inf."""
        start_column, end_column = TABLES[table].period
        start, _ = self.bounds(table, start_column)
        end, _ = self.bounds(table, end_column)
        return start, np.where(self.open_ends(table), np.inf, end)

    def open_ends(self, table: str) -> np.ndarray:
        """Spells without an end where the contract allows one (ongoing); a missing
        required end is reported by its own rule and checks nothing else."""
        end_column = TABLES[table].period[1]
        if not TABLES[table].column(end_column).nullable:
            return np.zeros(len(self.raw.frames[table]), dtype=bool)
        return self.raw.frames[table][end_column].isna().to_numpy()

    def derive(self, table: str, name: str) -> np.ndarray | pd.Series:
        """The derived column ``name`` of ``table``."""
        frame = self.raw.frames[table]
        spec = TABLES[table]
        if name.startswith(PARSED_PREFIX):
            column = spec.column(name[len(PARSED_PREFIX) :])
            if column.kind in TIME_KINDS:
                return self.bounds(table, column.name)[0]
            source = self.raw.sources.get(table)
            return parse_number_values(
                frame[column.name], column.kind, source is not None and source.decimal_comma
            )
        if name == UNIT_VALID:
            first, last, every_day = self.period(table)
            return units_valid(self.units, frame["unit_id"], first, last, every_day)
        if name == NO_OVERLAP:
            start, end = self.spells(table)
            return spells_do_not_overlap(frame[list(spec.non_overlapping)], start, end)
        if name.startswith(RULE_PREFIX):
            rule = ROW_RULES[name[len(RULE_PREFIX) :]]
            if rule.kind == TOGETHER:
                return present_together(frame[rule.column], frame[rule.other])
            if rule.kind == SUCCESSOR:
                return successors_valid(self.units, frame[rule.column], frame[rule.other])
        raise ValueError(f"no derivation for column {name} of {table}")


def expectation_columns(expectation: dict[str, Any]) -> list[str]:
    kwargs = expectation["kwargs"]
    return [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]


def check_frame(table: str, data: CheckData, suite: dict[str, Any]) -> pd.DataFrame:
    """The frame GX validates: the raw text columns (numbers with '.' decimals) plus the
    derived columns the suite mentions, indexed by spreadsheet row (unnamed index)."""
    frame = data.raw.frames[table]
    spec = TABLES[table]
    source = data.raw.sources.get(table)
    decimal_comma = source is not None and source.decimal_comma
    columns: dict[str, Any] = {}
    for name in frame.columns:
        kind = spec.column(name).kind
        values = frame[name]
        columns[name] = (
            normalise_number_text(values, decimal_comma) if kind in (INT, NUMBER) else values
        )
    available = set(frame.columns)
    for expectation in suite["expectations"]:
        if not set(expectation["meta"]["columns"]) <= available:
            continue  # a required column is missing: reported as such, not checked here
        for name in expectation_columns(expectation):
            if name.startswith("_") and name not in columns:
                columns[name] = data.derive(table, name)
    index = frame.index.rename(None)
    return pd.DataFrame(
        {
            name: (v.set_axis(index) if isinstance(v, pd.Series) else v)
            for name, v in columns.items()
        },
        index=index,
    )


def referenced_columns() -> set[tuple[str, str]]:
    """(table, column) pairs other tables refer to."""
    targets = {("units", "unit_id")}
    targets |= {(r.table, r.target) for t in TABLES.values() for r in t.references}
    return targets


def reference_values(raw: RawDelivery) -> dict[str, list[str]]:
    """Runtime parameters of the suites: the values other tables may refer to (none
    when the table or column was not delivered)."""
    parameters = {}
    for table, column in sorted(referenced_columns()):
        frame = raw.frames.get(table)
        values = frame[column] if frame is not None and column in frame else pd.Series([])
        parameters[reference_parameter(table, column)] = values.dropna().unique().tolist()
    return parameters
