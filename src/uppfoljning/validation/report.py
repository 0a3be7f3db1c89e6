"""The gate's report: each rule's result and each problem, one line each.

A GX result (:class:`~uppfoljning.validation.runner.ExpectationOutcome`) becomes a
:class:`RuleResult` (for the data-quality appendix) and, when
rows failed, a :class:`~uppfoljning.errors.Problem` naming the file, the column, the
spreadsheet rows and a few offending values (:func:`interpret`).
:class:`ValidationReport` collects them; :func:`format_report` prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import labels
from ..contract import TABLES
from ..errors import MAX_VALUES_LISTED, Problem
from ..loading import MISSING_COLUMN, RawDelivery
from .runner import exception_message
from .suites import COLUMNS_RULE

ERROR, WARNING = "error", "warning"


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
        rows = [{key: getattr(result, key) for key in APPENDIX_COLUMNS} for result in self.results]
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


def _failed_rows(result: dict[str, Any]) -> list[int]:
    return [int(r) for r in result.get("partial_unexpected_index_list") or []]


def interpret_columns(
    table: str, file: str, frame: pd.DataFrame, meta: dict[str, Any], outcome: Any
) -> tuple[RuleResult, list[Problem]]:
    """The required-columns rule: one problem per missing column (as the loader words
    it, so the two are reported once)."""
    observed = set((outcome.result or {}).get("observed_value") or [])
    required = outcome.kwargs["column_set"]
    missing = [c for c in required if c not in observed]
    result = RuleResult(
        table,
        file,
        None,
        meta["rule"],
        meta["rule_en"],
        rows_checked=len(frame),
        failed_rows=0,
        success=bool(outcome.success),
        rule_id=meta["rule_id"],
    )
    problems = [Problem(file, MISSING_COLUMN, column=c, table=table) for c in missing]
    return result, problems


def interpret(
    table: str, file: str, frame: pd.DataFrame, meta: dict[str, Any], outcome: Any, checked: bool
) -> tuple[RuleResult, list[Problem]]:
    """RuleResult and problems (if any) from one GX expectation result."""
    base = {
        "table": table,
        "file": file,
        "column": meta["column"],
        "rule": meta["rule"],
        "rule_en": meta["rule_en"],
        "rule_id": meta["rule_id"],
    }
    if not checked:
        return RuleResult(**base, rows_checked=0, failed_rows=0, success=False, checked=False), []
    message = exception_message(outcome.exception_info)
    if message is not None:
        problem = Problem(
            file,
            f"rule could not be checked ({meta['rule_en']}): {message}",
            column=meta["column"],
            table=table,
        )
        return RuleResult(**base, rows_checked=0, failed_rows=0, success=False), [problem]
    result = outcome.result or {}
    if meta["rule_id"] == COLUMNS_RULE:
        return interpret_columns(table, file, frame, meta, outcome)
    failed = int(result.get("unexpected_count") or 0)
    rule_result = RuleResult(
        **base,
        rows_checked=int(result.get("element_count", len(frame))),
        failed_rows=failed,
        success=bool(outcome.success),
    )
    if outcome.success:
        return rule_result, []
    rows = _failed_rows(result)
    values = (
        ()
        if meta["rule_id"].endswith(".not_null")
        else offending_values(frame, rows, meta["columns"])
    )
    problem = Problem(
        file,
        meta["rule_en"],
        column=meta["column"],
        rows=tuple(rows),
        values=values,
        table=table,
        n_rows=failed or None,
    )
    return rule_result, [problem]


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
    results = [
        RuleResult(
            table,
            file,
            None,
            f"Filen finns en gång, kan läsas och har datarader ({needed} tabell)",
            f"file is delivered once, readable and has data rows ({needed} table)",
            rows_checked=rows,
            failed_rows=0,
            success=not file_problems,
            severity=severity,
            rule_id="file",
        )
    ]
    if table in raw.frames:
        extra = raw.extra_columns.get(table, [])
        results.append(
            RuleResult(
                table,
                file,
                None,
                "Inga kolumner utöver datakontraktet",
                "no columns beyond the data contract",
                rows_checked=rows,
                failed_rows=0,
                success=not extra,
                severity=WARNING,
                rule_id="extra_columns",
            )
        )
    return results


def is_checked(meta: dict[str, Any], frame: pd.DataFrame, raw: RawDelivery) -> bool:
    """False when a missing column or an unreadable table it depends on prevents a rule
    from being checked (that problem is already reported)."""
    if not set(meta["columns"]) <= set(frame.columns):
        return False
    return not any(t not in raw.frames and raw.has_error(t) for t in meta["depends_on"])


def format_report(report: ValidationReport) -> str:
    """Every problem on its own line (errors first), then a one-line summary."""
    lines = [p.format() for p in report.errors] + [p.format() for p in report.warnings]
    verdict = "valid" if report.ok else "invalid"
    lines.append(
        f"{report.raw.data_dir}: delivery is {verdict}: {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s), {len(report.results)} rules checked"
    )
    return "\n".join(lines)
