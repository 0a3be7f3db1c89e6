"""The validation gate: Great Expectations enforces the whole data contract.

One Expectation Suite per table lives as reviewed JSON in the project's ``validation/``,
generated from the declarative contract (:mod:`uppfoljning.contract`); the gate runs
exactly those files, which the caller loads and passes in
(:meth:`uppfoljning.project.Project.load_suites`). :func:`validate_delivery` reads the
delivery as strings (:func:`uppfoljning.loading.read_delivery`), adds the columns that
rules across rows and tables need, and runs every suite in an ephemeral GX context. GX
reports the offending spreadsheet rows; they become one :class:`Problem` line each, and
every rule becomes a :class:`RuleResult` for the data-quality appendix. :func:`gate`
raises :class:`~uppfoljning.errors.DeliveryError` when any error-level rule failed. Given
an outcome store (the build's cache), a suite whose check frame GX has already seen is
not run again: its stored outcome gives the same rule results and problems.

The subpackage, one job per module:

- :mod:`~uppfoljning.validation.suites`: the suites generated from the contract (and
  written as the reviewed JSON: ``python -m uppfoljning.validation FOLDER``);
- :mod:`~uppfoljning.validation.derived`: the derived columns (parsed values, unit
  validity, overlapping spells, row rules), vectorised in pandas;
- :mod:`~uppfoljning.validation.runner`: running a suite with GX (shared with
  :mod:`uppfoljning.results_check`);
- :mod:`~uppfoljning.validation.report`: rule results, problems and the printed report.

Why the check frame has an *unnamed* index equal to the spreadsheet row and results are
requested as SUMMARY: with a named index (or COMPLETE) GX builds one dict per failing
row in Python, which takes minutes when a whole column of a million rows is wrong. With
an unnamed index GX returns the index labels (our spreadsheet rows) of the first
``partial_unexpected_count`` failures plus the total count: exactly what a message needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..contract import TABLES
from ..errors import DeliveryError, Problem
from ..loading import Delivery, read_delivery, type_delivery
from .derived import (
    CheckData,
    UnitPeriods,
    check_frame,
    parse_time_bounds,
    reference_values,
    spells_do_not_overlap,
    units_valid,
)
from .report import (
    ERROR,
    WARNING,
    RuleResult,
    ValidationReport,
    format_report,
    interpret,
    is_checked,
    table_results,
)
from .runner import (
    OutcomeStore,
    SuiteRunner,
    exception_message,
    gx_module,
    new_context,
    run_suite,
    steady_expectations,
)
from .suites import (
    EXCEL_ERRORS,
    FORMATS,
    codes_pattern,
    suite_document,
    suite_documents,
    suite_json,
    write_suite_files,
    write_suites,
)

__all__ = [
    "ERROR",
    "EXCEL_ERRORS",
    "FORMATS",
    "WARNING",
    "CheckData",
    "OutcomeStore",
    "Problem",
    "RuleResult",
    "SuiteRunner",
    "UnitPeriods",
    "ValidationReport",
    "codes_pattern",
    "exception_message",
    "format_report",
    "gate",
    "gx_module",
    "new_context",
    "parse_time_bounds",
    "run_suite",
    "spells_do_not_overlap",
    "steady_expectations",
    "suite_document",
    "suite_documents",
    "suite_json",
    "units_valid",
    "validate_delivery",
    "write_suite_files",
    "write_suites",
]


def validate_table(
    runner: SuiteRunner,
    table: str,
    suite: dict[str, Any],
    data: CheckData,
    parameters: dict[str, list[str]],
) -> tuple[list[RuleResult], list[Problem]]:
    raw = data.raw
    frame = raw.frames[table]
    file = raw.file_of(table)
    outcomes = runner.run(suite, check_frame(table, data, suite), parameters)
    results, problems = [], []
    for expectation in suite["expectations"]:
        meta = expectation["meta"]
        outcome = outcomes[meta["rule_id"]]
        result, found = interpret(table, file, frame, meta, outcome, is_checked(meta, frame, raw))
        results.append(result)
        problems += found
    return results, problems


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def validate_delivery(
    data_dir: Path | str, suites: Mapping[str, dict[str, Any]], *, store: OutcomeStore | None = None
) -> ValidationReport:
    """Check a delivery against the whole data contract with ``suites`` (the reviewed
    suites of the project's ``validation/``, by table: :meth:`Project.load_suites
    <uppfoljning.project.Project.load_suites>`); never raises for bad data. ``store``:
    outcomes of earlier suite runs (:meth:`uppfoljning.cache.BuildCache.suite_outcomes`);
    without it every suite runs."""
    raw = read_delivery(data_dir)
    report = ValidationReport(raw=raw)
    if not raw.frames:
        report.problems = list(raw.problems)
        report.results = [r for t in TABLES for r in table_results(raw, t)]
        return report
    runner = SuiteRunner(store)
    data = CheckData(raw)
    parameters = reference_values(raw)
    found: list[Problem] = []
    for table in TABLES:
        report.results += table_results(raw, table)
        if table in raw.frames:
            results, problems = validate_table(runner, table, suites[table], data, parameters)
            report.results += results
            found += problems
    report.problems = _unique([*raw.problems, *found])
    return report


def gate(
    data_dir: Path | str, suites: Mapping[str, dict[str, Any]], *, store: OutcomeStore | None = None
) -> tuple[Delivery, ValidationReport]:
    """Validate with ``suites`` (and ``store``: see :func:`validate_delivery`), then type
    the delivery; raise DeliveryError if any rule failed."""
    report = validate_delivery(data_dir, suites, store=store)
    if not report.ok:
        raise DeliveryError(report.problems)
    return type_delivery(report.raw), report
