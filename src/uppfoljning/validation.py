"""The validation gate: Great Expectations enforces the whole data contract.

One Expectation Suite per table lives as plain JSON in ``validation/``, generated from
the declarative contract (:mod:`uppfoljning.contract`) by :func:`write_suites`; a test
keeps the committed files equal to the generated ones. :func:`validate_delivery` reads
the delivery as strings (:func:`uppfoljning.loading.read_delivery`), adds the columns
that rules across rows and tables need (parsed values, unit validity, overlapping
spells; computed vectorised in pandas), and runs every suite in an ephemeral GX context.
GX reports the offending spreadsheet rows; they become one :class:`Problem` line each,
and every rule becomes a :class:`RuleResult` for the data-quality appendix.

``great_expectations`` is imported lazily, once per process (it takes seconds).

Why the check frame has an *unnamed* index equal to the spreadsheet row and results are
requested as SUMMARY: with a named index (or COMPLETE) GX builds one dict per failing
row in Python, which takes minutes when a whole column of a million rows is wrong. With
an unnamed index GX returns the index labels (our spreadsheet rows) of the first
``partial_unexpected_count`` failures plus the total count: exactly what a message needs.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import labels
from .contract import (
    AT_LEAST,
    AT_MOST,
    CODE,
    CODES,
    DATE,
    IDENT,
    INT,
    MONTH,
    NUMBER,
    ROW_RULES,
    SLUG,
    STR,
    SUCCESSOR,
    TABLES,
    TIME_KINDS,
    TOGETHER,
    YEAR,
    Column,
    RowRule,
    Table,
)
from .errors import MAX_ROWS_LISTED, MAX_VALUES_LISTED, DeliveryError, Problem
from .loading import (
    MISSING_COLUMN,
    Delivery,
    RawDelivery,
    normalise_number_text,
    read_delivery,
    type_delivery,
)

SUITES_DIR = Path(__file__).resolve().parents[2] / "validation"
ERROR, WARNING = "error", "warning"

# Formats of the text kinds. Dates are checked against the calendar (leap years too).
DATE_PATTERN = (
    r"^(?:\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)"
    r"|02-(?:0[1-9]|1\d|2[0-8]))"
    r"|(?:\d{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)$"
)
MONTH_PATTERN = r"^\d{4}-(?:0[1-9]|1[0-2])$"
YEAR_PATTERN = r"^\d{4}$"
INT_PATTERN = r"^[+-]?\d+$"
NUMBER_PATTERN = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
SLUG_PATTERN = r"^[a-z0-9-]+$"
IDENT_PATTERN = r"^[a-z0-9_-]+$"

# What Excel writes in a cell whose formula failed; refused in every column (a column
# with a format or a code list refuses them by that rule, free text by its own).
EXCEL_ERRORS = ("#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!",
                "#GETTING_DATA")
EXCEL_ERROR_PATTERN = r"^#(?:REF!|N/A|VALUE!|DIV/0!|NAME\?|NULL!|NUM!|GETTING_DATA)$"
# Text a spreadsheet would take for a formula (OWASP's list of leading characters).
FORMULA_PATTERN = r"^[=+\-@\t\r]"

# kind -> (pattern, English rule, Swedish rule)
FORMATS: dict[str, tuple[str, str, str]] = {
    DATE: (DATE_PATTERN, "must be a date YYYY-MM-DD", "Datum i formatet ÅÅÅÅ-MM-DD"),
    MONTH: (MONTH_PATTERN, "must be a month YYYY-MM", "Månad i formatet ÅÅÅÅ-MM"),
    YEAR: (YEAR_PATTERN, "must be a year YYYY", "År i formatet ÅÅÅÅ"),
    INT: (INT_PATTERN, "must be a whole number", "Heltal"),
    NUMBER: (
        NUMBER_PATTERN,
        "must be a number (decimal point; decimal comma only in ';'-separated CSV)",
        "Tal (decimalpunkt, eller decimalkomma i semikolonseparerad CSV)",
    ),
    SLUG: (
        SLUG_PATTERN,
        "must contain only a-z, 0-9 and '-'",
        "Endast a–z, 0–9 och bindestreck",
    ),
    IDENT: (
        IDENT_PATTERN,
        "must contain only a-z, 0-9, '_' and '-'",
        "Endast a–z, 0–9, understreck och bindestreck",
    ),
}

# Names of derived columns in the frame GX checks. Contract columns never start with "_".
PARSED_PREFIX = "_parsed_"
RULE_PREFIX = "_rule_"
UNIT_VALID = "_unit_valid"
NO_OVERLAP = "_no_overlap"

COLUMNS_RULE = "required_columns"
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_ROWS_LISTED}


# ---------------------------------------------------------------------------
# Suites: generated from the contract


def codes_pattern(codes: Iterable[str]) -> str:
    """Regex for a ';'-separated list of at least one of ``codes``."""
    alternatives = "|".join(re.escape(c) for c in codes)
    return rf"^(?:{alternatives})(?:\s*;\s*(?:{alternatives}))*$"


def parsed(column: str) -> str:
    return PARSED_PREFIX + column


def reference_parameter(table: str, column: str) -> str:
    return f"values_of_{table}_{column}"


def _expectation(
    type_: str,
    kwargs: dict[str, Any],
    *,
    rule_id: str,
    column: str | None,
    columns: Iterable[str],
    rule: str,
    rule_en: str,
    depends_on: Iterable[str] = (),
) -> dict[str, Any]:
    return {
        "type": type_,
        "kwargs": kwargs,
        "meta": {
            "rule_id": rule_id,
            "column": column,
            "columns": list(columns),
            "depends_on": list(depends_on),
            "rule": rule,
            "rule_en": rule_en,
        },
    }


def _range_texts(column: Column) -> tuple[str, str]:
    def number(value: float) -> str:
        return str(int(value)) if float(value).is_integer() else str(value)

    low, high = column.min, column.max
    if low is not None and high is not None:
        return (f"must be between {number(low)} and {number(high)}",
                f"Mellan {number(low)} och {number(high)}")
    if low is not None and column.min_exclusive:
        return f"must be greater than {number(low)}", f"Större än {number(low)}"
    if low is not None:
        return f"must be at least {number(low)}", f"Minst {number(low)}"
    return f"must be at most {number(high)}", f"Högst {number(high)}"


def column_expectations(column: Column) -> list[dict[str, Any]]:
    """Expectations about one column on its own: emptiness, format, codes, range and
    uniqueness."""
    name = column.name
    common = {"column": name, "columns": [name]}
    found: list[dict[str, Any]] = []
    if not column.nullable:
        found.append(_expectation(
            "expect_column_values_to_not_be_null", {"column": name},
            rule_id=f"{name}.not_null", rule="Cellen är inte tom",
            rule_en="must not be empty", **common))
    if column.kind in FORMATS:
        pattern, rule_en, rule = FORMATS[column.kind]
        found.append(_expectation(
            "expect_column_values_to_match_regex", {"column": name, "regex": pattern},
            rule_id=f"{name}.format", rule=rule, rule_en=rule_en, **common))
    if column.kind == CODE:
        listed = ", ".join(column.codes)
        found.append(_expectation(
            "expect_column_values_to_be_in_set",
            {"column": name, "value_set": list(column.codes)},
            rule_id=f"{name}.code", rule=f"En av koderna {listed}",
            rule_en=f"must be one of the codes {listed}", **common))
    if column.kind == CODES:
        listed = ", ".join(column.codes)
        found.append(_expectation(
            "expect_column_values_to_match_regex",
            {"column": name, "regex": codes_pattern(column.codes)},
            rule_id=f"{name}.codes",
            rule=f"En eller flera av koderna {listed}, åtskilda med semikolon",
            rule_en=f"must be one or more of the codes {listed}, separated by ';'",
            **common))
    if column.kind == STR:
        listed = ", ".join(EXCEL_ERRORS)
        found.append(_expectation(
            "expect_column_values_to_not_match_regex",
            {"column": name, "regex": EXCEL_ERROR_PATTERN},
            rule_id=f"{name}.no_error_value",
            rule=f"Inte ett felvärde från kalkylbladet ({listed})",
            rule_en=f"must not be a spreadsheet error value ({listed}); fix the formula "
                    "behind it", **common))
    if column.kind == STR and not column.free_text:
        found.append(_expectation(
            "expect_column_values_to_not_match_regex",
            {"column": name, "regex": FORMULA_PATTERN},
            rule_id=f"{name}.no_formula",
            rule="Börjar inte som en formel (=, +, -, @, tabb, vagnretur)",
            rule_en="must not start like a spreadsheet formula (=, +, -, @, tab, carriage "
                    "return)", **common))
    if column.min is not None or column.max is not None:
        rule_en, rule = _range_texts(column)
        kwargs: dict[str, Any] = {"column": parsed(name), "min_value": column.min,
                                  "max_value": column.max}
        if column.min_exclusive:
            kwargs["strict_min"] = True
        found.append(_expectation(
            "expect_column_values_to_be_between", kwargs, rule_id=f"{name}.range",
            rule=rule, rule_en=rule_en, **common))
    if column.unique:
        found.append(_expectation(
            "expect_column_values_to_be_unique", {"column": name},
            rule_id=f"{name}.unique", rule="Unikt värde (förekommer bara en gång)",
            rule_en="must be unique (the value occurs more than once)", **common))
    return found


def columns_expectation(table: Table) -> dict[str, Any]:
    required = [c.name for c in table.columns if c.required]
    return _expectation(
        "expect_table_columns_to_match_set", {"column_set": required, "exact_match": False},
        rule_id=COLUMNS_RULE, column=None, columns=[],
        rule="Obligatoriska kolumner finns: " + ", ".join(required),
        rule_en="required columns must be present: " + ", ".join(required))


def reference_expectations(table: Table) -> list[dict[str, Any]]:
    """Values that must exist in another table (unit_id in units, ...)."""
    references = [(r.column, r.table, r.target) for r in table.references]
    if table.has_unit:
        references.insert(0, ("unit_id", "units", "unit_id"))
    return [
        _expectation(
            "expect_column_values_to_be_in_set",
            {"column": column, "value_set": {"$PARAMETER": reference_parameter(other, target)}},
            rule_id=f"{column}.in_{other}", column=column, columns=[column],
            depends_on=[other],
            rule=f"Finns i kolumnen {target} i tabellen {other}",
            rule_en=f"must exist in column {target} of {other}",
        )
        for column, other, target in references
    ]


def _period_texts(table: Table) -> tuple[str, str]:
    kinds = [table.column(c).kind for c in table.period]
    if len(table.period) == 2:
        start, end = table.period
        open_en = open_sv = ""
        if table.column(end).nullable:
            open_en = f" (an empty {end}: to the end of the data)"
            open_sv = f" (tomt {end}: till datamaterialets slut)"
        return (
            f"unit_id must be a unit valid (valid_from to valid_to in units) on every day "
            f"from {start} to {end}{open_en}",
            f"Enheten är giltig (valid_from–valid_to i units) varje dag från {start} till "
            f"{end}{open_sv}",
        )
    (column,) = table.period
    if kinds[0] == MONTH:
        return ("unit_id must be a unit valid on at least one day of the month",
                "Enheten är giltig minst en dag under månaden")
    if kinds[0] == YEAR:
        return ("unit_id must be a unit valid on at least one day of the year",
                "Enheten är giltig minst en dag under året")
    return (f"unit_id must be a unit valid on {column}",
            f"Enheten är giltig den dag som anges i {column}")


def unit_validity_expectations(table: Table) -> list[dict[str, Any]]:
    if not (table.has_unit and table.period):
        return []
    rule_en, rule = _period_texts(table)
    return [_expectation(
        "expect_column_values_to_be_in_set", {"column": UNIT_VALID, "value_set": [True]},
        rule_id="unit_id.valid_in_period", column="unit_id",
        columns=["unit_id", *table.period], depends_on=["units"], rule=rule, rule_en=rule_en)]


def row_rule_expectation(rule: RowRule) -> dict[str, Any]:
    common = {"rule_id": rule.id, "column": rule.column, "columns": list(rule.columns),
              "rule": rule.description_sv, "rule_en": rule.description}
    if rule.kind in (AT_LEAST, AT_MOST):
        high, low = (rule.column, rule.other) if rule.kind == AT_LEAST else (
            rule.other, rule.column)
        return _expectation(
            "expect_column_pair_values_a_to_be_greater_than_b",
            {"column_A": parsed(high), "column_B": parsed(low), "or_equal": True,
             "ignore_row_if": "either_value_is_missing"},
            **common)
    depends_on = ["units"] if rule.kind == SUCCESSOR else []
    return _expectation(
        "expect_column_values_to_be_in_set",
        {"column": RULE_PREFIX + rule.id, "value_set": [True]}, depends_on=depends_on,
        **common)


def overlap_expectations(table: Table) -> list[dict[str, Any]]:
    if not table.non_overlapping:
        return []
    keys = ", ".join(table.non_overlapping)
    start, end = table.period
    return [_expectation(
        "expect_column_values_to_be_in_set", {"column": NO_OVERLAP, "value_set": [True]},
        rule_id="spells_do_not_overlap", column=start,
        columns=[*table.non_overlapping, start, end],
        rule=f"Perioder ({start}–{end}) med samma {keys} överlappar inte",
        rule_en=f"periods ({start} to {end}) with the same {keys} must not overlap")]


def suite_document(table: Table) -> dict[str, Any]:
    """The Expectation Suite of one table, as the JSON GX reads."""
    expectations = [columns_expectation(table)]
    expectations += [e for c in table.columns for e in column_expectations(c)]
    expectations += reference_expectations(table)
    expectations += unit_validity_expectations(table)
    expectations += [row_rule_expectation(ROW_RULES[r]) for r in table.rules]
    expectations += overlap_expectations(table)
    return {
        "name": table.name,
        "expectations": expectations,
        "meta": {
            "table": table.name,
            "required": table.required,
            "generated_from": "src/uppfoljning/contract.py by uppfoljning.validation."
                              "write_suites(); do not edit by hand",
        },
        "notes": None,
    }


def suite_documents() -> dict[str, dict[str, Any]]:
    return {name: suite_document(table) for name, table in TABLES.items()}


def suite_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_suite_files(documents: dict[str, dict[str, Any]], directory: Path | str) -> list[Path]:
    """Write each suite document as reviewed JSON ``<directory>/<name>.json``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, document in documents.items():
        path = directory / f"{name}.json"
        path.write_text(suite_json(document), encoding="utf-8")
        written.append(path)
    return written


def write_suites(directory: Path | str = SUITES_DIR) -> list[Path]:
    """(Re)generate ``validation/<table>.json`` from the contract."""
    return write_suite_files(suite_documents(), directory)


def load_suites(directory: Path | str | None = None) -> dict[str, dict[str, Any]]:
    """The suites GX runs: the committed JSON files (generated ones when the package
    runs without its repository, e.g. installed as a wheel)."""
    directory = Path(directory) if directory is not None else SUITES_DIR
    if not directory.is_dir():
        return suite_documents()
    return {
        name: json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        for name in TABLES
    }


# ---------------------------------------------------------------------------
# Derived columns: parsed values and rules across rows and tables, vectorised

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


def units_valid(periods: UnitPeriods, unit_ids: pd.Series, first: np.ndarray,
                last: np.ndarray, every_day: bool) -> np.ndarray:
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
            column = spec.column(name[len(PARSED_PREFIX):])
            if column.kind in TIME_KINDS:
                return self.bounds(table, column.name)[0]
            source = self.raw.sources.get(table)
            return parse_number_values(frame[column.name], column.kind,
                                       source is not None and source.decimal_comma)
        if name == UNIT_VALID:
            first, last, every_day = self.period(table)
            return units_valid(self.units, frame["unit_id"], first, last, every_day)
        if name == NO_OVERLAP:
            start, end = self.spells(table)
            return spells_do_not_overlap(frame[list(spec.non_overlapping)], start, end)
        if name.startswith(RULE_PREFIX):
            rule = ROW_RULES[name[len(RULE_PREFIX):]]
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
        {name: (v.set_axis(index) if isinstance(v, pd.Series) else v)
         for name, v in columns.items()},
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


# ---------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class RuleResult:
    """One rule checked on one table, as the data-quality appendix lists it."""

    table: str
    file: str
    column: str | None
    rule: str  # plain Swedish
    rule_en: str
    rows_checked: int
    failed_rows: int
    success: bool
    severity: str = ERROR
    rule_id: str = ""
    checked: bool = True  # False when a missing file or column prevented the check

    @property
    def outcome(self) -> str:
        if self.success:
            return labels.OUTCOME_PASSED
        return labels.OUTCOME_WARNED if self.severity == WARNING else labels.OUTCOME_FAILED


APPENDIX_COLUMNS = {
    "table": "Tabell",
    "file": "Fil",
    "column": "Kolumn",
    "rule": "Regel",
    "rows_checked": "Rader kontrollerade",
    "failed_rows": "Avvikande rader",
    "outcome": "Resultat",
}


@dataclass
class ValidationReport:
    raw: RawDelivery
    problems: list[Problem] = field(default_factory=list)
    results: list[RuleResult] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_frame(self) -> pd.DataFrame:
        """The appendix table, with Swedish column headers."""
        rows = [
            {key: getattr(result, key) for key in APPENDIX_COLUMNS} for result in self.results
        ]
        frame = pd.DataFrame(rows, columns=list(APPENDIX_COLUMNS))
        frame["column"] = frame["column"].fillna("")
        frame = frame.astype({"rows_checked": "int64", "failed_rows": "int64"})
        return frame.rename(columns=APPENDIX_COLUMNS)


def _cell(value: object) -> str:
    return "" if pd.isna(value) else str(value)


def offending_values(frame: pd.DataFrame, rows: list[int], columns: list[str]) -> tuple[str, ...]:
    """A few delivered values at the failing rows: distinct cells of one column, or
    'a=…, b=…' per row for a rule over several columns."""
    columns = [c for c in columns if c in frame.columns]
    if not rows or not columns:
        return ()
    cells = frame.loc[rows, columns]
    if len(columns) == 1:
        values = [_cell(v) for v in cells.iloc[:, 0].tolist() if not pd.isna(v)]
    else:
        values = [
            ", ".join(f"{c}={_cell(v)}" for c, v in zip(columns, record, strict=True))
            for record in cells.itertuples(index=False)
        ]
    return tuple(dict.fromkeys(values))[:MAX_VALUES_LISTED]


def exception_message(info: Any) -> str | None:
    """The first line of the exception GX met evaluating an expectation, if any.

    GX gives either one {raised_exception, exception_message, ...} dict or a dict of
    them keyed by metric.
    """
    if not isinstance(info, dict):
        return None
    found = [info] if "raised_exception" in info else [
        v for v in info.values() if isinstance(v, dict)]
    for entry in found:
        if entry.get("raised_exception"):
            text = str(entry.get("exception_message") or "unknown error").strip()
            return text.splitlines()[0] if text else "unknown error"
    return None


def _failed_rows(result: dict[str, Any]) -> list[int]:
    return [int(r) for r in result.get("partial_unexpected_index_list") or []]


def interpret_columns(table: str, file: str, frame: pd.DataFrame, meta: dict[str, Any],
                      outcome: Any) -> tuple[RuleResult, list[Problem]]:
    """The required-columns rule: one problem per missing column (as the loader words
    it, so the two are reported once)."""
    observed = set((outcome.result or {}).get("observed_value") or [])
    required = outcome.expectation_config.kwargs["column_set"]
    missing = [c for c in required if c not in observed]
    result = RuleResult(table, file, None, meta["rule"], meta["rule_en"],
                        rows_checked=len(frame), failed_rows=0,
                        success=bool(outcome.success), rule_id=meta["rule_id"])
    problems = [Problem(file, MISSING_COLUMN, column=c, table=table) for c in missing]
    return result, problems


def interpret(table: str, file: str, frame: pd.DataFrame, meta: dict[str, Any],
              outcome: Any, checked: bool) -> tuple[RuleResult, list[Problem]]:
    """RuleResult and problems (if any) from one GX expectation result."""
    base = {"table": table, "file": file, "column": meta["column"], "rule": meta["rule"],
            "rule_en": meta["rule_en"], "rule_id": meta["rule_id"]}
    if not checked:
        return RuleResult(**base, rows_checked=0, failed_rows=0, success=False,
                          checked=False), []
    message = exception_message(outcome.exception_info)
    if message is not None:
        problem = Problem(file, f"rule could not be checked ({meta['rule_en']}): {message}",
                          column=meta["column"], table=table)
        return RuleResult(**base, rows_checked=0, failed_rows=0, success=False), [problem]
    result = outcome.result or {}
    if meta["rule_id"] == COLUMNS_RULE:
        return interpret_columns(table, file, frame, meta, outcome)
    failed = int(result.get("unexpected_count") or 0)
    rule_result = RuleResult(**base, rows_checked=int(result.get("element_count", len(frame))),
                             failed_rows=failed, success=bool(outcome.success))
    if outcome.success:
        return rule_result, []
    rows = _failed_rows(result)
    values = () if meta["rule_id"].endswith(".not_null") else offending_values(
        frame, rows, meta["columns"])
    problem = Problem(file, meta["rule_en"], column=meta["column"], rows=tuple(rows),
                      values=values, table=table, n_rows=failed or None)
    return rule_result, [problem]


# ---------------------------------------------------------------------------
# Great Expectations


@functools.cache
def gx_module() -> Any:
    """The ``great_expectations`` module, imported once per process."""
    import great_expectations as gx

    return gx


def new_context() -> Any:
    """A fresh ephemeral GX context without progress bars or analytics (nothing is
    written to disk)."""
    gx = gx_module()
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    # No analytics: the machine is offline and a build must never wait on the network.
    return gx.get_context(mode="ephemeral", project_config=DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    ))


@contextlib.contextmanager
def steady_expectations() -> Any:
    """Let GX build each expectation's configuration once per run instead of on every
    access.

    ``Expectation.configuration`` is a property that serialises the pydantic model
    afresh each time it is read, and a validation run reads it about 70 times per
    expectation: two thirds of GX's time on our suites went there (about 6 s a build).
    An expectation is not changed after GX builds it for a run (it builds a new one from
    the configuration for each step), so within this block the first configuration of
    an instance is returned again. The original property is restored on exit;
    ``tests/test_validation.py`` checks that the results are the same either way."""
    from great_expectations.expectations.expectation import Expectation

    original = Expectation.__dict__["configuration"]
    built: dict[int, tuple[Any, Any]] = {}

    def configuration(self: Any) -> Any:
        entry = built.get(id(self))
        if entry is None or entry[0] is not self:  # the instance is kept: ids stay unique
            entry = built[id(self)] = (self, original.fget(self))
        return entry[1]

    Expectation.configuration = property(configuration, doc=original.__doc__)
    try:
        yield
    finally:
        Expectation.configuration = original


def run_suite(context: Any, suite: dict[str, Any], frame: pd.DataFrame,
              parameters: dict[str, Any], *, key: str = "rule_id",
              result_format: dict[str, Any] = RESULT_FORMAT) -> dict[str, Any]:
    """Run one suite (a JSON document of ``validation/``) on one frame; the GX result of
    each expectation by its ``meta[key]``. The suite is validated on a batch directly,
    not stored in the context (storing it only serialised it once more)."""
    from great_expectations.core.expectation_suite import ExpectationSuite

    name = suite["name"]
    batch = (context.data_sources.add_pandas(f"data_{name}").add_dataframe_asset(name)
             .add_batch_definition_whole_dataframe(name)
             .get_batch(batch_parameters={"dataframe": frame}))
    gx_suite = ExpectationSuite(**copy.deepcopy(suite))
    if len(gx_suite.expectations) != len(suite["expectations"]):
        # GX logs and drops an expectation it cannot build; never run a partial suite.
        raise RuntimeError(f"suite {name}: GX accepted {len(gx_suite.expectations)} of "
                           f"{len(suite['expectations'])} expectations")
    with steady_expectations():
        run = batch.validate(gx_suite, expectation_parameters=parameters,
                             result_format=result_format)
    return {r.expectation_config.meta[key]: r for r in run.results}


# ---------------------------------------------------------------------------
# The report


def table_results(raw: RawDelivery, table: str) -> list[RuleResult]:
    """Rules about a table's file: delivered and readable; no columns beyond the contract."""
    spec = TABLES[table]
    file = raw.file_of(table)
    source = raw.sources.get(table)
    rows = source.rows if source else 0
    file_problems = [p for p in raw.problems if p.table == table and p.column is None]
    severity = ERROR if any(p.severity == ERROR for p in file_problems) else WARNING
    if not file_problems:
        severity = ERROR if spec.required else WARNING
    needed = "obligatorisk" if spec.required else "valfri"
    results = [RuleResult(
        table, file, None, f"Filen finns en gång, kan läsas och har datarader ({needed} tabell)",
        f"file is delivered once, readable and has data rows ({needed} table)",
        rows_checked=rows, failed_rows=0, success=not file_problems, severity=severity,
        rule_id="file")]
    if table in raw.frames:
        extra = raw.extra_columns.get(table, [])
        results.append(RuleResult(
            table, file, None, "Inga kolumner utöver datakontraktet",
            "no columns beyond the data contract", rows_checked=rows, failed_rows=0,
            success=not extra, severity=WARNING, rule_id="extra_columns"))
    return results


def is_checked(meta: dict[str, Any], frame: pd.DataFrame, raw: RawDelivery) -> bool:
    """False when a missing column or an unreadable table it depends on prevents a rule
    from being checked (that problem is already reported)."""
    if not set(meta["columns"]) <= set(frame.columns):
        return False
    return not any(t not in raw.frames and raw.has_error(t) for t in meta["depends_on"])


def validate_table(context: Any, table: str, suite: dict[str, Any], data: CheckData,
                   parameters: dict[str, list[str]]) -> tuple[list[RuleResult], list[Problem]]:
    raw = data.raw
    frame = raw.frames[table]
    file = raw.file_of(table)
    outcomes = run_suite(context, suite, check_frame(table, data, suite), parameters)
    results, problems = [], []
    for expectation in suite["expectations"]:
        meta = expectation["meta"]
        outcome = outcomes[meta["rule_id"]]
        result, found = interpret(table, file, frame, meta, outcome,
                                  is_checked(meta, frame, raw))
        results.append(result)
        problems += found
    return results, problems


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def validate_delivery(data_dir: Path | str, suites_dir: Path | str | None = None
                      ) -> ValidationReport:
    """Check a delivery against the whole data contract; never raises for bad data."""
    raw = read_delivery(data_dir)
    report = ValidationReport(raw=raw)
    if not raw.frames:
        report.problems = list(raw.problems)
        report.results = [r for t in TABLES for r in table_results(raw, t)]
        return report
    suites = load_suites(suites_dir)
    context = new_context()
    data = CheckData(raw)
    parameters = reference_values(raw)
    found: list[Problem] = []
    for table in TABLES:
        report.results += table_results(raw, table)
        if table in raw.frames:
            results, problems = validate_table(context, table, suites[table], data, parameters)
            report.results += results
            found += problems
    report.problems = _unique([*raw.problems, *found])
    return report


def format_report(report: ValidationReport) -> str:
    """Every problem on its own line (errors first), then a one-line summary."""
    lines = [p.format() for p in report.errors] + [p.format() for p in report.warnings]
    verdict = "valid" if report.ok else "invalid"
    lines.append(
        f"{report.raw.data_dir}: delivery is {verdict}: {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s), {len(report.results)} rules checked"
    )
    return "\n".join(lines)


def gate(data_dir: Path | str) -> tuple[Delivery, ValidationReport]:
    """Validate, then type the delivery; raise DeliveryError if any rule failed."""
    report = validate_delivery(data_dir)
    if not report.ok:
        raise DeliveryError(report.problems)
    return type_delivery(report.raw), report


if __name__ == "__main__":  # python -m uppfoljning.validation: regenerate validation/*.json
    for written in write_suites():
        print(written)
