"""Great Expectations checks of the computed results before anything is published.

The input gate (:mod:`uppfoljning.validation`) checks the delivery; this module checks what the
package computed from it (issue 7): the edition's indicator results from
:func:`uppfoljning.indicators.compute_results`, with their internal ``base`` and
``rule`` columns. It runs in three steps:

1. :func:`build_check_frames` (plain pandas, pure) turns the results into four frames,
   one per suite: ``values`` (one row per result row), ``coverage`` (one row per
   expected or present key), ``sums`` (city and occupation totals, restated series)
   and ``changes`` (year-on-year pairs). Each check reads one derived column that is
   empty where the check does not apply.
2. :func:`run_suites` validates each frame with its Great Expectations suite in an
   ephemeral context. The suites are described declaratively in :data:`CHECKS`; the
   reviewed copies in ``validation/results/*.json`` are generated from it
   (:func:`write_suites`, and a test keeps them equal), and those reviewed files are
   what runs (the caller passes them in:
   :meth:`uppfoljning.project.Project.load_suites`).
3. :func:`check_results` turns the failing rows into one line each, naming the unit,
   the indicator, the year and the occupation, and returns a :class:`ResultsReport`
   for the data-quality appendix. :func:`gate_results` raises :class:`ResultsError`
   when any error-level check failed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from . import catalog, disclosure, formatting, labels
from .catalog import ALL, AMOUNT, BASE, BY_OCCUPATION, COUNT, COUNT_KIND, INDEX, RATE, SHARE
from .config import ReportConfig
from .contract import TABLES
from .errors import UppfoljningError
from .indicators import LEAVER_REASONS, compute_pattern_with_internal, row_years
from .loading import Delivery
from .units import CITY_ID, UnitRegistry
from .validation.runner import OutcomeStore, SuiteRunner, exception_message

KEY = ["indicator", "year", "unit_id", "occupation"]
REQUIRED_COLUMNS = ["edition", *KEY, "value", "base", "rule", "suppressed", "reason"]

ERROR, WARNING = "error", "warning"
_GX_SEVERITY = {ERROR: "critical", WARNING: "warning"}
PASSED, FAILED, WARNED = labels.OUTCOME_PASSED, labels.OUTCOME_FAILED, labels.OUTCOME_WARNED

# Tolerances: sums are compared relative to the larger side; leavers = rate x headcount
# must come out whole up to floating-point error.
SUM_TOLERANCE = 1e-9
WHOLE_TOLERANCE = 1e-9
LEAVERS_TOLERANCE = 1e-6
# Plausibility thresholds (warnings).
TURNOVER_CHANGE_PP = 15
COUNT_RATIO = 2
COUNT_RATIO_FLOOR = 10


# ---------------------------------------------------------------------------
# What indicators.md says about each indicator


# The facts about each indicator are the catalogue's (uppfoljning.catalog), also which
# change warns (Indicator.watch_change: the turnover check, the count check or neither).
_NOUNS = {
    COUNT_KIND: "count",
    AMOUNT: "amount",
    RATE: "rate",
    SHARE: "share",
    INDEX: "survey index",
}


# ---------------------------------------------------------------------------
# The suites, declaratively


@dataclass(frozen=True)
class Check:
    """One expectation of a results suite.

    ``name`` is the Swedish name the data-quality appendix shows; ``rule`` is the
    English text of an error line, formatted with the failing row's fields (and
    ``min_n``, ``edition``).
    """

    id: str
    suite: str  # values, coverage, sums or changes
    name: str
    expectation: str
    kwargs: dict
    rule: str
    severity: str = ERROR


def _between(column: str, min_value=None, max_value=None, **extra) -> dict:
    kwargs: dict = {"column": column}
    if min_value is not None:
        kwargs["min_value"] = min_value
    if max_value is not None:
        kwargs["max_value"] = max_value
    return {**kwargs, **extra}


def _true(column: str) -> dict:
    return {"column": column, "value_set": [True]}


BETWEEN = "expect_column_values_to_be_between"
IN_SET = "expect_column_values_to_be_in_set"
MIN_N = {"$PARAMETER": "min_n"}
EDITION = {"$PARAMETER": "edition"}

CHECKS: tuple[Check, ...] = (
    # --- values: one row per result row --------------------------------------------
    Check(
        "edition",
        "values",
        "Raderna hör till utgåvan",
        BETWEEN,
        _between("edition", EDITION, EDITION),
        "row belongs to edition {edition_found}, not {edition}",
    ),
    Check(
        "known_indicator",
        "values",
        "Måttet är definierat i indikatorbeskrivningen",
        IN_SET,
        _true("indicator_known"),
        "indicator is not defined in indicators.md",
    ),
    Check(
        "disclosure_rule",
        "values",
        "Röjandekontrollen följer måttets regel",
        IN_SET,
        _true("rule_as_defined"),
        "disclosure rule is '{rule}', but indicators.md gives '{expected_rule}'",
    ),
    Check(
        "finite",
        "values",
        "Värdena är ändliga tal",
        IN_SET,
        _true("value_finite"),
        "value is not a finite number (value: {value})",
    ),
    Check(
        "rate_not_negative",
        "values",
        "Kvoter och medelvärden är inte negativa",
        BETWEEN,
        _between("rate_value", 0),
        "rate is negative (value: {value})",
    ),
    Check(
        "share_range",
        "values",
        "Andelar ligger mellan 0 och 1",
        BETWEEN,
        _between("share_value", 0, 1),
        "share is not between 0 and 1 (value: {value})",
    ),
    Check(
        "index_range",
        "values",
        "Enkätindex ligger mellan 0 och 100",
        BETWEEN,
        _between("index_value", 0, 100),
        "survey index is not between 0 and 100 (value: {value})",
    ),
    Check(
        "count_not_negative",
        "values",
        "Antal och belopp är inte negativa",
        BETWEEN,
        _between("count_value", 0),
        "{noun} is negative (value: {value})",
    ),
    Check(
        "count_whole",
        "values",
        "Antal konsulter, annonser och händelser är heltal",
        BETWEEN,
        _between("count_fraction", 0, WHOLE_TOLERANCE),
        "count is not a whole number (value: {value})",
    ),
    Check(
        "count_present",
        "values",
        "Antal och belopp saknas bara när de är skyddade",
        IN_SET,
        _true("count_has_value"),
        "{noun} has no value but is not suppressed",
    ),
    Check(
        "suppressed_empty",
        "values",
        "Skyddade värden redovisas inte",
        IN_SET,
        _true("suppressed_is_empty"),
        "suppressed row has a value (value: {value})",
    ),
    Check(
        "small_cells",
        "values",
        "Inga redovisade värden bygger på färre personer än röjandegränsen",
        BETWEEN,
        _between("shown_base", MIN_N),
        "value is shown although its base is below {min_n} (base: {base}, value: {value})",
    ),
    Check(
        "suppression_justified",
        "values",
        "Värden döljs som för små bara när underlaget är under röjandegränsen",
        BETWEEN,
        _between("suppressed_base", 0, MIN_N, strict_min=True, strict_max=True),
        "value is suppressed as small but its base is {base} and its rule '{rule}' "
        "(suppress only a base above 0 and below {min_n} under rule count or base)",
    ),
    Check(
        "protection_justified",
        "values",
        "Värden döljs som skydd bara när de annars går att räkna fram, aldrig en nolla",
        BETWEEN,
        _between("protection_base", 0, strict_min=True),
        "value is suppressed as protection ({reason}) but its base is {base} and its "
        "rule '{rule}' (protect only a cell above 0 under rule count or base)",
    ),
    Check(
        "leavers_whole",
        "values",
        "Personalrörlighet gånger antal anställda ger ett helt antal avgångar",
        BETWEEN,
        _between("leavers_fraction", 0, LEAVERS_TOLERANCE),
        "rate x mean headcount is not a whole number of leavers "
        "(value: {value}, headcount: {base}, leavers: {leavers})",
    ),
    Check(
        "turnover_plausible",
        "values",
        "Personalrörligheten är högst 100 procent",
        BETWEEN,
        _between("turnover_value", None, 1),
        "turnover rate is above 1: more leavers than mean headcount (value: {value})",
        WARNING,
    ),
    # --- coverage: one row per expected or delivered key -----------------------------
    Check(
        "rows_present",
        "coverage",
        "Varje förvaltning och staden har en rad för varje mått, år och yrkesgrupp",
        BETWEEN,
        _between("rows_if_expected", 1),
        "row is missing",
    ),
    Check(
        "rows_unique",
        "coverage",
        "Ingen rad förekommer mer än en gång",
        BETWEEN,
        _between("rows", None, 1),
        "row occurs {rows} times",
    ),
    Check(
        "rows_in_edition",
        "coverage",
        "Inga rader utanför utgåvans förvaltningar, år och yrkesgrupper",
        IN_SET,
        _true("in_grid"),
        "row is not part of the edition: {reason}",
    ),
    # --- sums: totals that must add up ------------------------------------------------
    Check(
        "city_equals_units",
        "sums",
        "Staden är summan av förvaltningarna",
        BETWEEN,
        _between("city_deviation", None, SUM_TOLERANCE),
        "city {what} does not equal the sum over units (city: {total}, units: {parts})",
    ),
    Check(
        "city_at_least_units",
        "sums",
        "Staden är minst summan av förvaltningarna (när enheter saknar efterträdare)",
        BETWEEN,
        _between("city_shortfall", None, SUM_TOLERANCE),
        "city {what} is below the sum over units (city: {total}, units: {parts})",
    ),
    Check(
        "occupations_add_up",
        "sums",
        "Alla yrkesgrupper är summan av socialsekreterare och biståndshandläggare",
        BETWEEN,
        _between("occupation_deviation", None, SUM_TOLERANCE),
        "{what} for alla does not equal socialsekreterare + bistandshandlaggare "
        "(alla: {total}, sum: {parts})",
    ),
    Check(
        "restated_equals_predecessors",
        "sums",
        "Omräknade serier är summan av föregångarna",
        BETWEEN,
        _between("restatement_deviation", None, SUM_TOLERANCE),
        "restated {what} does not equal the sum of {parts_units} in the "
        "{prior_edition} edition (restated: {total}, sum: {parts})",
    ),
    # --- changes: year-on-year plausibility (warnings) --------------------------------
    Check(
        "turnover_change",
        "changes",
        f"Personalrörligheten ändras högst {TURNOVER_CHANGE_PP} procentenheter på ett år",
        BETWEEN,
        _between("turnover_change_pp", None, TURNOVER_CHANGE_PP),
        "turnover rate changes by {change} percentage points ({previous} to {current})",
        WARNING,
    ),
    Check(
        "count_change",
        "changes",
        "Antal fördubblas eller halveras inte på ett år",
        BETWEEN,
        _between("count_ratio", None, COUNT_RATIO, strict_max=True),
        "count changes by a factor of {ratio} ({previous} to {current})",
        WARNING,
    ),
)
SUITES = ("values", "coverage", "sums", "changes")
CHECK_NAMES = {check.id: check.name for check in CHECKS}  # Swedish, by check id
_SUITE_DESCRIPTIONS = {
    "values": "One row per computed result row: ranges, whole counts, disclosure control.",
    "coverage": "One row per expected or delivered key (indicator, year, unit, occupation).",
    "sums": "City and occupation totals of counts and leavers; restated series of merged "
    "units against their predecessors in the edition before the merger.",
    "changes": "Year-on-year pairs of shown values: plausibility warnings.",
}


def suite_documents() -> dict[str, dict]:
    """Each results suite as the JSON document kept in ``validation/results/``."""
    documents = {}
    for suite in SUITES:
        documents[suite] = {
            "name": f"results_{suite}",
            "meta": {"description": _SUITE_DESCRIPTIONS[suite], "parameters": ["min_n", "edition"]},
            "expectations": [
                {
                    "type": check.expectation,
                    "kwargs": check.kwargs,
                    "severity": _GX_SEVERITY[check.severity],
                    "meta": {"check": check.id, "name": check.name, "rule": check.rule},
                }
                for check in CHECKS
                if check.suite == suite
            ],
        }
    return documents


def write_suites(directory: Path | str) -> list[Path]:
    """Write the suites as reviewed JSON files (``validation/results/<suite>.json``)."""
    from .validation.suites import write_suite_files

    return write_suite_files(suite_documents(), directory)


# ---------------------------------------------------------------------------
# Report


def warning_key(
    unit_id: str, indicator: str, occupation: str, year: int, previous_year: int | None = None
) -> str:
    """The key of a plausibility warning (cli.md, *Review and drafts*), as the build
    prints it and ``granskning.yml`` records its outcome:
    ``UNIT/INDICATOR/OCCUPATION/FROM-TO`` (``farsta/incidents/alla/2023-2024``;
    ``stockholm`` for the city). A warning about one year's value has that year at both
    ends (``farsta/incidents_per_100/alla/2020-2020``): every key has the same form."""
    first = int(previous_year) if previous_year is not None else int(year)
    years = f"{first}-{int(year)}"
    return f"{unit_id}/{indicator}/{occupation}/{years}"


@dataclass(frozen=True)
class ResultsProblem:
    """One failing row of one check."""

    check: str
    severity: str
    unit_id: str
    indicator: str
    year: int
    occupation: str
    rule: str
    previous_year: int | None = None

    @property
    def check_name(self) -> str:
        """The Swedish name of the check, as the Datakvalitet appendix lists it."""
        return CHECK_NAMES.get(self.check, self.check)

    @property
    def key(self) -> str:
        """The warning's key (:func:`warning_key`)."""
        return warning_key(
            self.unit_id, self.indicator, self.occupation, self.year, self.previous_year
        )

    def format(self) -> str:
        if self.severity == WARNING:  # printed with its key, for granskning.yml
            return f"warning: results: {self.key}: {self.rule}"
        years = (
            f"years {self.previous_year}-{self.year}"
            if self.previous_year is not None
            else f"year {self.year}"
        )
        return (
            f"results: unit {self.unit_id}: indicator {self.indicator}: "
            f"{years} ({self.occupation}): {self.rule}"
        )


@dataclass(frozen=True)
class CheckResult:
    """One check as the data-quality appendix lists it."""

    id: str
    name: str  # Swedish
    rows_checked: int
    failed_rows: int
    success: bool
    severity: str  # ERROR or WARNING

    @property
    def outcome(self) -> str:
        if self.success:
            return PASSED
        return WARNED if self.severity == WARNING else FAILED


@dataclass
class ResultsReport:
    edition: int
    checks: list[CheckResult] = field(default_factory=list)
    problems: list[ResultsProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [p.format() for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[str]:
        return [p.format() for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return all(c.success or c.severity == WARNING for c in self.checks)

    def to_frame(self) -> pd.DataFrame:
        """The checks with Swedish headers, for the data-quality appendix."""
        return pd.DataFrame(
            {
                "Kontroll": [c.name for c in self.checks],
                "Rader kontrollerade": [c.rows_checked for c in self.checks],
                "Avvikande rader": [c.failed_rows for c in self.checks],
                "Resultat": [c.outcome for c in self.checks],
            }
        )


class ResultsError(UppfoljningError):
    """The computed results failed an error-level check; lists every error."""

    def __init__(self, report: ResultsReport | None = None, message: str | None = None):
        self.report = report
        lines = report.errors if report is not None else []
        super().__init__(message or "\n".join(lines) or "results check failed")


# ---------------------------------------------------------------------------
# Helpers


def _number(value: object) -> str:
    """A number for an error line: up to 10 significant digits, no trailing '.0'."""
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return "empty"
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isinf(number):
            return "inf" if number > 0 else "-inf"
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return f"{number:.10g}"
    return str(value)


def _relative_gap(total: pd.Series, parts: pd.Series) -> pd.Series:
    """(parts - total) relative to the larger magnitude (at least 1)."""
    scale = np.maximum(np.maximum(total.abs(), parts.abs()), 1.0)
    return (parts - total) / scale


def _flag(condition: pd.Series, applies: pd.Series) -> pd.Series:
    """True/False where the check applies, None (skipped by GX) elsewhere."""
    out = pd.Series(None, index=condition.index, dtype=object)
    out[applies] = condition[applies].astype(bool)
    return out


def _reduced_delivery(delivery: Delivery, sources: Iterable[str]) -> Delivery:
    """The units and the given source tables only (faster to recompute)."""
    wanted = {"units", *sources}
    tables = {name: frame for name, frame in delivery.tables.items() if name in wanted}
    return Delivery(data_dir=delivery.data_dir, tables=tables, sources={})


ADDITIVE_SOURCES = tuple(sorted({spec.source for spec in catalog.KNOWN.values() if spec.additive}))


def internal_results(
    delivery: Delivery,
    edition: int,
    config: ReportConfig,
    sources: Iterable[str] = ADDITIVE_SOURCES,
) -> pd.DataFrame:
    """Unsuppressed results computed from ``sources`` (never published).

    Reconciliation needs the values behind suppressed cells: a city total is the sum
    of every unit, shown or not.
    """
    unsuppressed = replace(config, min_n=0)
    # the unrounded results (the published ones are rounded as displayed)
    return compute_pattern_with_internal(
        _reduced_delivery(delivery, sources), edition, unsuppressed
    )[2]


# ---------------------------------------------------------------------------
# Years each source table covers (indicators.md: "an indicator has rows for the years
# its source table covers")


def source_unit_years(source: str, table: pd.DataFrame, edition: int) -> pd.DataFrame:
    """Columns unit_id, year: the years each row of ``table`` falls in, by its period
    column (``contract.Table.period``; spells and assignments span every year from start
    to end; an open end runs to the edition)."""
    period = TABLES[source].period
    if len(period) == 2:
        start_column, end_column = period
        start = table[start_column].dt.year.to_numpy(dtype="int64")
        end = table[end_column].dt.year.fillna(edition).to_numpy(dtype="int64")
        end = np.minimum(end, edition)
        span = np.maximum(end - start + 1, 0)
        rows = np.repeat(np.arange(len(table)), span)
        offsets = np.arange(len(rows)) - np.repeat(np.cumsum(span) - span, span)
        return pd.DataFrame(
            {
                "unit_id": table["unit_id"].to_numpy()[rows],
                "year": start[rows] + offsets,
            }
        )
    frame = pd.DataFrame(
        {
            "unit_id": table["unit_id"].to_numpy(),
            "year": pd.to_numeric(row_years(source, table), errors="coerce").to_numpy(),
        }
    )
    return frame.dropna(subset=["year"]).astype({"year": "int64"})


def delivered_unit_years(delivery: Delivery, edition: int) -> dict[str, pd.DataFrame]:
    """:func:`source_unit_years` of every non-empty source table of the delivery."""
    result = {}
    for source in sorted({spec.source for spec in catalog.KNOWN.values()}):
        table = delivery.table(source)
        if table is not None and len(table):
            result[source] = source_unit_years(source, table, edition)
    return result


def expected_indicators(
    delivery: Delivery,
    edition: int,
    config: ReportConfig,
    unit_years: dict[str, pd.DataFrame] | None = None,
) -> dict[str, list[int]]:
    """Every indicator the edition must have, with the years its source covers."""
    if unit_years is None:
        unit_years = delivered_unit_years(delivery, edition)
    covered: dict[str, list[int]] = {}
    for source, frame in unit_years.items():
        covered[source] = sorted(
            int(y) for y in frame["year"].unique() if config.first_year <= y <= edition
        )
    expected = {}
    for indicator, spec in catalog.KNOWN.items():
        if covered.get(spec.source):
            expected[indicator] = covered[spec.source]
    if covered.get("staff_survey"):
        survey = delivery.tables["staff_survey"]
        in_range = survey[survey["year"].isin(covered["staff_survey"])]
        for index_id in sorted(in_range["index_id"].dropna().unique()):
            expected[catalog.survey_id(index_id)] = covered["staff_survey"]
    return expected


def unmapped_source_years(
    unit_years: dict[str, pd.DataFrame], edition: int, registry: UnitRegistry
) -> dict[str, set[int]]:
    """Per source table, the years in which a unit that restates into no edition unit
    has rows: there the city (which counts every unit) exceeds the sum of the units."""
    unit_map = registry.edition_map(edition)
    result: dict[str, set[int]] = {}
    for source, years in unit_years.items():
        orphan = years[~years["unit_id"].isin(list(unit_map))]
        result[source] = {int(y) for y in orphan["year"].unique()}
    return result


# ---------------------------------------------------------------------------
# Check frames


def _spec_columns(indicators: pd.Series) -> pd.DataFrame:
    specs = {name: catalog.find(name) for name in indicators.unique()}
    known = indicators.map(lambda name: specs[name] is not None)

    def attribute(name: str, default):
        return indicators.map(lambda i: getattr(specs[i], name) if specs[i] else default)

    return pd.DataFrame(
        {
            "known": known.astype(bool),
            "kind": attribute("kind", None),
            "expected_rule": attribute("rule", None),
            "whole": attribute("whole", False).astype(bool),
        },
        index=indicators.index,
    )


def _values_frame(results: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "unit_id": results["unit_id"].astype(str).to_numpy(),
            "indicator": results["indicator"].astype(str).to_numpy(),
            "year": results["year"].astype("int64").to_numpy(),
            "occupation": results["occupation"].astype(str).to_numpy(),
            "edition_found": results["edition"].astype("int64").to_numpy(),
            "value": results["value"].astype("float64").to_numpy(),
            "base": results["base"].astype("float64").to_numpy(),
            "rule": results["rule"].astype(str).to_numpy(),
            "suppressed": results["suppressed"].fillna(False).astype(bool).to_numpy(),
            "reason": results["reason"].fillna("").astype(str).to_numpy(),
            "count": (
                results["count"].astype("float64").to_numpy() if "count" in results else np.nan
            ),
        }
    )
    spec = _spec_columns(frame["indicator"])
    value, base, kind = frame["value"], frame["base"], spec["kind"]
    has_value = value.notna()
    shown = has_value & ~frame["suppressed"]
    finite = has_value & np.isfinite(value.fillna(0.0))
    frame["noun"] = kind.map(_NOUNS).fillna("value")
    frame["expected_rule"] = spec["expected_rule"]
    frame["edition"] = frame["edition_found"]
    frame["indicator_known"] = spec["known"]
    frame["rule_as_defined"] = _flag(frame["rule"] == spec["expected_rule"], spec["known"])
    frame["value_finite"] = _flag(finite, has_value)
    frame["rate_value"] = value.where(kind == RATE)
    frame["share_value"] = value.where(kind == SHARE)
    frame["index_value"] = value.where(kind == INDEX)
    counts = kind.isin([COUNT_KIND, AMOUNT])
    frame["count_value"] = value.where(counts)
    whole = spec["whole"] & finite
    frame["count_fraction"] = (value - value.round()).abs().where(whole)
    frame["count_has_value"] = _flag(has_value, counts & ~frame["suppressed"])
    frame["suppressed_is_empty"] = _flag(~has_value, frame["suppressed"])
    rule = frame["rule"]
    small_cell_rule = (rule == BASE) | ((rule == COUNT) & (base != 0))
    frame["shown_base"] = base.where(shown & small_cell_rule)
    # A suppressed row under rule none can never be justified: give it an infinite base.
    suppressible = rule.isin([COUNT, BASE])
    # Small cells (primary): the base, or for an exit-reason share hidden because few or
    # all interviews gave the reason, that number of interviews. Protection (secondary,
    # and rates hidden with their counts): any cell above 0 under rule count or base.
    reason = frame["reason"]
    small = frame["suppressed"] & reason.isin([disclosure.PRIMARY, disclosure.PRIMARY_SHARE])
    small_base = base.where(reason == disclosure.PRIMARY, frame["count"])
    small_base = small_base.where(suppressible, np.inf).where(
        small | (frame["suppressed"] & (reason == ""))
    )
    # a share given by every interview tells why each one left, whatever their number
    everyone = (reason == disclosure.PRIMARY_SHARE) & (frame["count"] == base) & (base > 0)
    frame["suppressed_base"] = small_base.where(~everyone)
    protection = frame["suppressed"] & reason.isin([disclosure.SECONDARY, disclosure.TIED_REASON])
    frame["protection_base"] = base.fillna(0.0).where(suppressible, -np.inf).where(protection)
    is_turnover = frame["indicator"].isin(list(LEAVER_REASONS))
    leavers = value * base
    frame["leavers"] = leavers.where(is_turnover)
    frame["leavers_fraction"] = (
        (leavers - leavers.round()).abs().where(is_turnover & shown & finite)
    )
    frame["turnover_value"] = value.where(is_turnover)
    frame = frame.drop(columns=["suppressed", "count"])
    frame.index = pd.RangeIndex(len(frame), name="row")
    return frame


def _coverage_frame(
    results: pd.DataFrame, expected: dict[str, list[int]], grid_units: list[str], edition: int
) -> pd.DataFrame:
    parts = []
    for indicator, years in expected.items():
        occupations = catalog.indicator(indicator).occupations
        index = pd.MultiIndex.from_product([[indicator], years, grid_units, occupations], names=KEY)
        parts.append(index.to_frame(index=False))
    grid = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame({c: pd.Series(dtype=object) for c in KEY})
    )
    grid = grid.astype({"year": "int64"}).assign(expected=True)
    keys = results[KEY].astype({"year": "int64"}).astype({c: str for c in KEY if c != "year"})
    known = keys["indicator"].map(lambda name: catalog.find(name) is not None)
    present = keys[known].groupby(KEY, as_index=False, sort=False).size()
    present = present.rename(columns={"size": "rows"})
    frame = grid.merge(present, on=KEY, how="outer", sort=False)
    frame["expected"] = frame["expected"].fillna(False).astype(bool)
    frame["rows"] = frame["rows"].fillna(0).astype("int64")
    frame["rows_if_expected"] = frame["rows"].where(frame["expected"])
    frame["in_grid"] = frame["expected"]
    frame["reason"] = _unexpected_reasons(frame, expected, grid_units, edition)
    frame.index = pd.RangeIndex(len(frame), name="row")
    return frame


def _unexpected_reasons(
    frame: pd.DataFrame, expected: dict[str, list[int]], grid_units: list[str], edition: int
) -> pd.Series:
    reasons = pd.Series("", index=frame.index, dtype=object)
    for i in frame.index[~frame["expected"]]:
        indicator, year = frame.at[i, "indicator"], frame.at[i, "year"]
        unit, occupation = frame.at[i, "unit_id"], frame.at[i, "occupation"]
        if unit not in grid_units:
            reasons[i] = f"{unit} is not a unit of the {edition} edition"
        elif indicator not in expected:
            reasons[i] = f"the delivery has no data for {indicator}"
        elif year not in expected[indicator]:
            reasons[i] = f"{catalog.indicator(indicator).source} covers no such year"
        elif occupation not in catalog.indicator(indicator).occupations:
            reasons[i] = f"{indicator} has no occupation {occupation}"
        else:
            reasons[i] = "unexpected key"
    return reasons


def _amounts(frame: pd.DataFrame, value: pd.Series, base: pd.Series) -> pd.DataFrame:
    """Additive amounts per key: counts as they are, turnover rates as leavers."""
    is_turnover = frame["indicator"].isin(list(LEAVER_REASONS))
    leavers = (value * base).where(base != 0, 0.0)
    amount = value.where(~is_turnover, leavers)
    what = np.where(is_turnover, "leavers (rate x mean headcount)", "total")
    return pd.DataFrame(
        {**{c: frame[c].to_numpy() for c in KEY}, "amount": amount.to_numpy(), "what": what}
    )


def _additive(frame: pd.DataFrame) -> pd.Series:
    names = [n for n, s in catalog.KNOWN.items() if s.additive] + list(LEAVER_REASONS)
    return frame["indicator"].isin(names)


def effective_amounts(results: pd.DataFrame, internal: pd.DataFrame) -> pd.DataFrame:
    """Additive amounts of the edition at full precision: the internal (unsuppressed,
    unrounded) value of each hidden cell and of each shown one whose published value is
    it rounded as displayed, the published value otherwise. Rounded parts need not add
    up to their rounded total; the sums are checked before rounding."""
    rows = results[_additive(results)]
    keys = rows[KEY].astype({"year": "int64"})
    hidden = internal[KEY + ["value"]].astype({"year": "int64"})
    merged = keys.merge(hidden.rename(columns={"value": "internal"}), on=KEY, how="left")
    suppressed = rows["suppressed"].fillna(False).astype(bool).to_numpy()
    shown = rows["value"].astype("float64").to_numpy()
    full = merged["internal"].to_numpy(dtype="float64")
    rounded = _as_published(rows["indicator"], full)
    # the full value where the published one is it rounded as displayed (a published
    # value that is not, a corrupted table, is checked as it stands)
    known = (~np.isnan(full) & (np.abs(rounded - shown) <= 1e-9)) | suppressed
    value = pd.Series(np.where(known, full, shown))
    base = pd.Series(rows["base"].astype("float64").to_numpy())
    return _amounts(keys.reset_index(drop=True), value, base)


def _internal_amounts(internal: pd.DataFrame) -> pd.DataFrame:
    rows = internal[_additive(internal)].reset_index(drop=True)
    return _amounts(
        rows.astype({"year": "int64"}),
        rows["value"].astype("float64"),
        rows["base"].astype("float64"),
    )


def _sum_rows(total: pd.DataFrame, parts: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    merged = total.merge(parts, on=on, how="left")
    merged["parts"] = merged["parts"].fillna(0.0)
    return merged


def _sums_frame(
    amounts: pd.DataFrame,
    edition_units: list[str],
    orphan_years: dict[str, set[int]],
    restated: pd.DataFrame,
) -> pd.DataFrame:
    group = ["indicator", "year", "occupation"]
    # City against the sum over edition units.
    units = amounts[amounts["unit_id"].isin(edition_units)]
    unit_sum = (
        units.groupby(group, as_index=False)["amount"].sum().rename(columns={"amount": "parts"})
    )
    city = amounts[amounts["unit_id"] == CITY_ID].rename(columns={"amount": "total"})
    city_rows = _sum_rows(city, unit_sum, group)
    source = city_rows["indicator"].map(lambda i: catalog.indicator(i).source)
    orphaned = pd.Series(
        [
            int(y) in orphan_years.get(s, set())
            for s, y in zip(source, city_rows["year"], strict=True)
        ],
        index=city_rows.index,
        dtype=bool,
    )
    gap = _relative_gap(city_rows["total"], city_rows["parts"])
    city_rows["city_deviation"] = gap.abs().where(~orphaned)
    city_rows["city_shortfall"] = gap.where(orphaned)
    # alla against socialsekreterare + bistandshandlaggare.
    by_occupation = amounts[
        amounts["indicator"].map(lambda i: catalog.indicator(i).occupations == BY_OCCUPATION)
    ]
    split = by_occupation[by_occupation["occupation"] != ALL]
    split_sum = split.groupby(["indicator", "year", "unit_id"], as_index=False)["amount"].sum()
    split_sum = split_sum.rename(columns={"amount": "parts"})
    alla = by_occupation[by_occupation["occupation"] == ALL].rename(columns={"amount": "total"})
    occupation_rows = _sum_rows(alla, split_sum, ["indicator", "year", "unit_id"])
    occupation_rows["occupation_deviation"] = _relative_gap(
        occupation_rows["total"], occupation_rows["parts"]
    ).abs()
    # Restated series against the predecessors in the edition before the merger.
    restated = restated.copy()
    if len(restated):
        restated["restatement_deviation"] = _relative_gap(
            restated["total"], restated["parts"]
        ).abs()
    frame = pd.concat([city_rows, occupation_rows, restated], ignore_index=True)
    for column in (
        "city_deviation",
        "city_shortfall",
        "occupation_deviation",
        "restatement_deviation",
    ):
        if column not in frame:
            frame[column] = np.nan
        frame[column] = frame[column].astype("float64")
    for column in ("parts_units", "prior_edition"):
        if column not in frame:
            frame[column] = None
    frame.index = pd.RangeIndex(len(frame), name="row")
    return frame


def merger_editions(
    registry: UnitRegistry, edition: int, config: ReportConfig
) -> dict[int, dict[str, list[str]]]:
    """For each edition before a merger (merger year - 1, not before ``first_year``):
    the edition units whose series restate into more than one unit of that edition,
    with those units: {prior edition: {successor: [units of the prior edition]}}."""
    unit_map = registry.edition_map(edition)
    frame = registry.frame
    merged_years = set()
    for row in frame.itertuples(index=False):
        if (
            pd.notna(row.valid_to)
            and row.unit_id in unit_map
            and unit_map[row.unit_id] != row.unit_id
        ):
            merged_years.add((row.valid_to + pd.Timedelta(days=1)).year)
    result: dict[int, dict[str, list[str]]] = {}
    for year in sorted(merged_years):
        prior = year - 1
        if prior < config.first_year or prior >= edition:
            continue
        groups: dict[str, list[str]] = {}
        for unit in registry.edition_unit_ids(prior):
            successor = unit_map.get(unit)
            if successor is not None:
                groups.setdefault(successor, []).append(unit)
        groups = {s: units for s, units in groups.items() if units != [s]}
        if groups:
            result[prior] = groups
    return result


def _restated_rows(
    amounts: pd.DataFrame,
    prior_amounts: dict[int, pd.DataFrame],
    mergers: dict[int, dict[str, list[str]]],
) -> pd.DataFrame:
    parts = []
    for prior, groups in mergers.items():
        successor_of = {unit: s for s, units in groups.items() for unit in units}
        prior_frame = prior_amounts[prior]
        predecessors = prior_frame[prior_frame["unit_id"].isin(list(successor_of))]
        summed = (
            predecessors.assign(unit_id=predecessors["unit_id"].map(successor_of))
            .groupby(KEY, as_index=False)["amount"]
            .sum()
            .rename(columns={"amount": "parts"})
        )
        own = amounts[amounts["unit_id"].isin(list(groups)) & (amounts["year"] <= prior)]
        rows = own.rename(columns={"amount": "total"}).merge(summed, on=KEY, how="inner")
        rows["parts_units"] = rows["unit_id"].map({s: ", ".join(u) for s, u in groups.items()})
        rows["prior_edition"] = prior
        parts.append(rows)
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, ignore_index=True)


def _changes_frame(values: pd.DataFrame) -> pd.DataFrame:
    watch = values["indicator"].map(
        {name: catalog.watched_change(name) for name in values["indicator"].unique()}
    )
    watched = watch != catalog.NO_WATCH
    shown = values[watched & values["value"].notna() & ~values["suppressed"]]
    current = shown[["indicator", "unit_id", "occupation", "year", "value"]]
    previous = current.assign(year=current["year"] + 1).rename(columns={"value": "previous"})
    pairs = current.rename(columns={"value": "current"}).merge(
        previous, on=["indicator", "unit_id", "occupation", "year"], how="inner"
    )
    pairs["previous_year"] = pairs["year"] - 1
    is_turnover = pairs["indicator"].map(catalog.watched_change) == catalog.WATCH_POINTS
    change = ((pairs["current"] - pairs["previous"]).abs() * 100).round(9)
    pairs["change"] = change
    pairs["turnover_change_pp"] = change.where(is_turnover)
    low = np.minimum(pairs["current"], pairs["previous"])
    high = np.maximum(pairs["current"], pairs["previous"])
    ratio = (high / low.where(low > 0)).where(~is_turnover & (low >= COUNT_RATIO_FLOOR))
    pairs["ratio"] = ratio.round(9)
    pairs["count_ratio"] = pairs["ratio"]
    pairs = pairs.astype({"turnover_change_pp": "float64", "count_ratio": "float64"})
    pairs.index = pd.RangeIndex(len(pairs), name="row")
    return pairs


def _as_published(indicators: pd.Series, values: np.ndarray) -> np.ndarray:
    """``values`` rounded as their indicators are published; NaN for an indicator the
    catalogue does not know (its row fails its own check)."""
    known = (
        indicators.astype(str)
        .map(lambda name: catalog.find(name) is not None or catalog.is_exit_share(name))
        .to_numpy(dtype=bool)
    )
    rounded = np.full(len(values), np.nan)
    if known.any():
        rounded[known] = formatting.round_indicator_values(
            indicators[known].reset_index(drop=True), pd.Series(values[known])
        ).to_numpy()
    return rounded


def _unrounded(results: pd.DataFrame, internal: pd.DataFrame) -> pd.DataFrame:
    """``results`` with each shown value at full precision where ``internal`` has it:
    the values checks test the computation; the published values are those rounded as
    displayed (formatting.round_published)."""
    if "value" not in internal or internal.empty:
        return results
    full = (
        internal[KEY + ["value"]]
        .astype({"year": "int64"})
        .rename(columns={"value": "_full"})
        .drop_duplicates(KEY)
    )
    merged = results[KEY].astype({"year": "int64"}).merge(full, on=KEY, how="left")
    value = results["value"].astype("float64").to_numpy()
    exact = merged["_full"].to_numpy(dtype="float64")
    # only where the published value is the full one rounded as displayed: a published
    # value that is not (a corrupted table) is checked as it stands
    rounded = _as_published(results["indicator"], exact)
    use = ~np.isnan(value) & ~np.isnan(exact) & (np.abs(rounded - value) <= 1e-9)
    return results.assign(value=np.where(use, exact, value))


def build_check_frames(
    results: pd.DataFrame,
    delivery: Delivery,
    edition: int,
    config: ReportConfig,
    internal: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The four frames the suites validate (pure: ``results`` is not modified).
    ``internal``: the edition's unsuppressed results if already computed
    (:func:`uppfoljning.indicators.compute_pattern_with_internal`)."""
    registry = UnitRegistry.from_frame(delivery.tables["units"])
    edition_units = registry.edition_unit_ids(edition)
    if internal is None:
        # every source: published values are rounded, so the checks read the full
        # value of every cell, not only of the suppressible amounts
        internal = internal_results(delivery, edition, config, delivery.tables)
    values = _values_frame(_unrounded(results, internal))
    unit_years = delivered_unit_years(delivery, edition)
    expected = expected_indicators(delivery, edition, config, unit_years)
    coverage = _coverage_frame(results, expected, [*edition_units, CITY_ID], edition)
    amounts = effective_amounts(results, internal)
    mergers = merger_editions(registry, edition, config)
    prior_amounts = {
        prior: _internal_amounts(internal_results(delivery, prior, config)) for prior in mergers
    }
    restated = _restated_rows(amounts, prior_amounts, mergers)
    sums = _sums_frame(
        amounts, edition_units, unmapped_source_years(unit_years, edition, registry), restated
    )
    changes = _changes_frame(
        values.assign(suppressed=results["suppressed"].fillna(False).astype(bool).to_numpy())
    )
    return {"values": values, "coverage": coverage, "sums": sums, "changes": changes}


# ---------------------------------------------------------------------------
# Running the suites with Great Expectations


@dataclass(frozen=True)
class Outcome:
    """What GX reported for one expectation."""

    check: str
    success: bool
    rows_checked: int
    failed_rows: list[int]  # index labels ("row") of the check frame
    exception: str | None = None


def run_suites(
    frames: dict[str, pd.DataFrame],
    parameters: dict,
    suites: Mapping[str, dict],
    store: OutcomeStore | None = None,
) -> dict[str, Outcome]:
    """Validate each frame with its suite (``suites``: the reviewed documents of
    ``validation/results/``, by suite name) in an ephemeral GX context; with ``store``
    (the build's cache) a frame GX has already checked with the same suite is not
    checked again."""
    runner = SuiteRunner(store)
    outcomes: dict[str, Outcome] = {}
    for name in SUITES:
        document = suites[name]
        results = runner.run(
            document,
            frames[name],
            parameters,
            key="check",
            result_format={"result_format": "COMPLETE"},
        )
        for check, result in results.items():
            details = result.result or {}
            elements = int(details.get("element_count") or 0)
            missing = int(details.get("missing_count") or 0)
            failed = [int(entry["row"]) for entry in details.get("unexpected_index_list") or []]
            outcomes[check] = Outcome(
                check,
                bool(result.success),
                elements - missing,
                failed,
                exception_message(result.exception_info),
            )
    return outcomes


# ---------------------------------------------------------------------------
# Public API


def _require_columns(results: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in results.columns]
    if missing:
        raise ResultsError(
            message="results: columns missing from the results table: "
            + ", ".join(missing)
            + " (pass the output of compute_results)"
        )


def _problems(
    check: Check, frame: pd.DataFrame, rows: Iterable[int], parameters: dict
) -> list[ResultsProblem]:
    problems = []
    for row in rows:
        fields = {k: _number(v) for k, v in frame.loc[row].items()}
        previous = frame.at[row, "previous_year"] if "previous_year" in frame else None
        problems.append(
            ResultsProblem(
                check=check.id,
                severity=check.severity,
                unit_id=str(frame.at[row, "unit_id"]),
                indicator=str(frame.at[row, "indicator"]),
                year=int(frame.at[row, "year"]),
                occupation=str(frame.at[row, "occupation"]),
                rule=check.rule.format(**{**fields, **parameters}),
                previous_year=None if previous is None else int(previous),
            )
        )
    return problems


def check_results(
    results: pd.DataFrame,
    delivery: Delivery,
    edition: int,
    config: ReportConfig,
    internal: pd.DataFrame | None = None,
    *,
    suites: Mapping[str, dict],
    store: OutcomeStore | None = None,
) -> ResultsReport:
    """Run the results suites on the edition's computed results.

    ``results`` is the frame of :func:`compute_results` (with ``base`` and ``rule``);
    ``delivery`` is the typed delivery it was computed from; ``suites`` are the reviewed
    suites of ``validation/results/`` by name (:data:`SUITES`); ``store``: outcomes of
    earlier suite runs (see :func:`run_suites`). Never raises for failed checks: see
    :func:`gate_results`.
    """
    _require_columns(results)
    frames = build_check_frames(results, delivery, edition, config, internal)
    parameters = {"min_n": config.min_n, "edition": edition}
    outcomes = run_suites(frames, parameters, suites, store)
    report = ResultsReport(edition=edition)
    for check in CHECKS:
        outcome = outcomes.get(check.id)
        if outcome is None:
            raise ResultsError(
                message=f"results: check {check.id} is missing from the "
                f"reviewed suite results/{check.suite}.json"
            )
        if outcome.exception is not None:
            raise ResultsError(
                message=f"results: check {check.id} could not be run by "
                f"Great Expectations: {outcome.exception}"
            )
        report.checks.append(
            CheckResult(
                check.id,
                check.name,
                outcome.rows_checked,
                len(outcome.failed_rows),
                outcome.success,
                check.severity,
            )
        )
        report.problems.extend(
            _problems(check, frames[check.suite], outcome.failed_rows, parameters)
        )
    return report


def gate_results(
    results: pd.DataFrame,
    delivery: Delivery,
    edition: int,
    config: ReportConfig,
    internal: pd.DataFrame | None = None,
    *,
    suites: Mapping[str, dict],
    store: OutcomeStore | None = None,
) -> ResultsReport:
    """Check the results; raise :class:`ResultsError` listing every error, else return
    the report (warnings included) for the data-quality appendix."""
    report = check_results(results, delivery, edition, config, internal, suites=suites, store=store)
    if not report.ok:
        raise ResultsError(report)
    return report
