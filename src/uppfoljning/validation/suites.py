"""Input suites: one Great Expectations suite per table, generated from the contract.

:func:`suite_documents` turns the declarative data contract
(:mod:`uppfoljning.contract`) into one Expectation Suite per table, as the JSON GX
reads; :func:`write_suites` writes them as the reviewed files of a project's
``validation/`` (``python -m uppfoljning.validation FOLDER``), and a test keeps the
committed files equal to the generated ones. The gate runs the reviewed files, never
these generated documents directly (:meth:`uppfoljning.project.Project.load_suites`).

Rules across rows and tables check *derived* columns (parsed values, unit validity,
overlapping spells; :mod:`uppfoljning.validation.derived`), named here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..contract import (
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
    YEAR,
    Column,
    RowRule,
    Table,
)

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
EXCEL_ERRORS = ("#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#GETTING_DATA")
EXCEL_ERROR_PATTERN = r"^#(?:REF!|N/A|VALUE!|DIV/0!|NAME\?|NULL!|NUM!|GETTING_DATA)$"
# Text a spreadsheet would take for a formula (OWASP's list of leading characters).
FORMULA_PATTERN = r"^[=+\-@\t\r]"
# What text that reaches a reader (Column.plain_text) can never hold. Line breaks and
# other control characters: C0 and C1 controls (tab, CR, LF, U+0085 ...), DEL, the line
# and paragraph separators U+2028/U+2029 (a line break to JavaScript and Vega) and the
# bidirectional marks, embeddings, overrides and isolates (which make text display in
# another order than it is stored).
CONTROL_PATTERN = r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]"
# Markup and template code: HTML tags, Markdown/MyST code and roles (a backtick), and
# the openings of Jinja2 (and MyST substitution) expressions, statements and comments.
MARKUP_PATTERN = r"[<>`]|\{[{%#]"
# A formula trigger after a cell separator: once a spreadsheet splits the text at the
# ';' (Swedish Excel's list separator) or ',' the next cell starts like a formula, and
# no leading apostrophe written in front of the whole text (formatting.spreadsheet_safe)
# reaches it. Spaces between are allowed for: some programs trim them. (A tab is a
# separator too; the control rule refuses it.)
# A spreadsheet that splits a cell at ';' (Swedish Excel opening a comma-separated
# file) takes a part starting with =, +, - or @ for a formula. After ',' only = and @:
# every CSV writer quotes a field holding ',', and Swedish notes write "500,- kr" and
# "2, -1 jämfört med 2023".
SEPARATOR_FORMULA_PATTERN = r";\s*[=+\-@]|,\s*[=@]"

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
        return (
            f"must be between {number(low)} and {number(high)}",
            f"Mellan {number(low)} och {number(high)}",
        )
    if low is not None and column.min_exclusive:
        return f"must be greater than {number(low)}", f"Större än {number(low)}"
    if low is not None:
        return f"must be at least {number(low)}", f"Minst {number(low)}"
    assert high is not None  # a column with a range has a bound
    return f"must be at most {number(high)}", f"Högst {number(high)}"


def column_expectations(column: Column) -> list[dict[str, Any]]:
    """Expectations about one column on its own: emptiness, format, codes, range and
    uniqueness."""
    name = column.name
    common: dict[str, Any] = {"column": name, "columns": [name]}
    found: list[dict[str, Any]] = []
    if not column.nullable:
        found.append(
            _expectation(
                "expect_column_values_to_not_be_null",
                {"column": name},
                rule_id=f"{name}.not_null",
                rule="Cellen är inte tom",
                rule_en="must not be empty",
                **common,
            )
        )
    if column.kind in FORMATS:
        pattern, rule_en, rule = FORMATS[column.kind]
        found.append(
            _expectation(
                "expect_column_values_to_match_regex",
                {"column": name, "regex": pattern},
                rule_id=f"{name}.format",
                rule=rule,
                rule_en=rule_en,
                **common,
            )
        )
    if column.kind == CODE:
        listed = ", ".join(column.codes)
        found.append(
            _expectation(
                "expect_column_values_to_be_in_set",
                {"column": name, "value_set": list(column.codes)},
                rule_id=f"{name}.code",
                rule=f"En av koderna {listed}",
                rule_en=f"must be one of the codes {listed}",
                **common,
            )
        )
    if column.kind == CODES:
        listed = ", ".join(column.codes)
        found.append(
            _expectation(
                "expect_column_values_to_match_regex",
                {"column": name, "regex": codes_pattern(column.codes)},
                rule_id=f"{name}.codes",
                rule=f"En eller flera av koderna {listed}, åtskilda med semikolon",
                rule_en=f"must be one or more of the codes {listed}, separated by ';'",
                **common,
            )
        )
    if column.kind == STR:
        listed = ", ".join(EXCEL_ERRORS)
        found.append(
            _expectation(
                "expect_column_values_to_not_match_regex",
                {"column": name, "regex": EXCEL_ERROR_PATTERN},
                rule_id=f"{name}.no_error_value",
                rule=f"Inte ett felvärde från kalkylbladet ({listed})",
                rule_en=f"must not be a spreadsheet error value ({listed}); fix the formula "
                "behind it",
                **common,
            )
        )
    if column.kind == STR and not column.free_text:
        found.append(
            _expectation(
                "expect_column_values_to_not_match_regex",
                {"column": name, "regex": FORMULA_PATTERN},
                rule_id=f"{name}.no_formula",
                rule="Börjar inte som en formel (=, +, -, @, tabb, vagnretur)",
                rule_en="must not start like a spreadsheet formula (=, +, -, @, tab, carriage "
                "return)",
                **common,
            )
        )
    if column.plain_text:
        found += plain_text_expectations(column)
    if column.min is not None or column.max is not None:
        rule_en, rule = _range_texts(column)
        kwargs: dict[str, Any] = {
            "column": parsed(name),
            "min_value": column.min,
            "max_value": column.max,
        }
        if column.min_exclusive:
            kwargs["strict_min"] = True
        found.append(
            _expectation(
                "expect_column_values_to_be_between",
                kwargs,
                rule_id=f"{name}.range",
                rule=rule,
                rule_en=rule_en,
                **common,
            )
        )
    if column.unique:
        found.append(
            _expectation(
                "expect_column_values_to_be_unique",
                {"column": name},
                rule_id=f"{name}.unique",
                rule="Unikt värde (förekommer bara en gång)",
                rule_en="must be unique (the value occurs more than once)",
                **common,
            )
        )
    return found


def plain_text_expectations(column: Column) -> list[dict[str, Any]]:
    """What text that reaches a reader can never be (:attr:`Column.plain_text`): more
    than one line, markup or template code, or a formula once a spreadsheet splits it.
    The Swedish rules name no template opening literally: they are shown in the
    data-quality appendix."""
    name = column.name
    common: dict[str, Any] = {"column": name, "columns": [name]}
    return [
        _expectation(
            "expect_column_values_to_not_match_regex",
            {"column": name, "regex": CONTROL_PATTERN},
            rule_id=f"{name}.one_line",
            rule="En rad text utan radbrytningar, tabbar eller andra styrtecken (även "
            "U+2028, U+2029 och tecken som vänder textriktningen)",
            rule_en="must be one line of text without line breaks, tabs or other control "
            "characters (U+2028, U+2029 and bidirectional controls included)",
            **common,
        ),
        _expectation(
            "expect_column_values_to_not_match_regex",
            {"column": name, "regex": MARKUP_PATTERN},
            rule_id=f"{name}.no_markup",
            rule="Ingen kod: inga tecken <, > eller ` och ingen { direkt följd av {, % eller #",
            rule_en="must not contain code: no <, > or ` and no '{' followed by '{', '%' or '#'",
            **common,
        ),
        _expectation(
            "expect_column_values_to_not_match_regex",
            {"column": name, "regex": SEPARATOR_FORMULA_PATTERN},
            rule_id=f"{name}.no_formula_after_separator",
            rule="Inget =, +, - eller @ direkt efter ; och inget = eller @ direkt efter , "
            "(ett kalkylprogram som delar texten där tar resten för en formel)",
            rule_en="must not have =, +, - or @ right after ';', nor = or @ right after "
            "',' (a spreadsheet that splits the text there takes the rest for a "
            "formula)",
            **common,
        ),
    ]


def columns_expectation(table: Table) -> dict[str, Any]:
    required = [c.name for c in table.columns if c.required]
    return _expectation(
        "expect_table_columns_to_match_set",
        {"column_set": required, "exact_match": False},
        rule_id=COLUMNS_RULE,
        column=None,
        columns=[],
        rule="Obligatoriska kolumner finns: " + ", ".join(required),
        rule_en="required columns must be present: " + ", ".join(required),
    )


def reference_expectations(table: Table) -> list[dict[str, Any]]:
    """Values that must exist in another table (unit_id in units, ...)."""
    references = [(r.column, r.table, r.target) for r in table.references]
    if table.has_unit:
        references.insert(0, ("unit_id", "units", "unit_id"))
    return [
        _expectation(
            "expect_column_values_to_be_in_set",
            {"column": column, "value_set": {"$PARAMETER": reference_parameter(other, target)}},
            rule_id=f"{column}.in_{other}",
            column=column,
            columns=[column],
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
        return (
            "unit_id must be a unit valid on at least one day of the month",
            "Enheten är giltig minst en dag under månaden",
        )
    if kinds[0] == YEAR:
        return (
            "unit_id must be a unit valid on at least one day of the year",
            "Enheten är giltig minst en dag under året",
        )
    return (
        f"unit_id must be a unit valid on {column}",
        f"Enheten är giltig den dag som anges i {column}",
    )


def unit_validity_expectations(table: Table) -> list[dict[str, Any]]:
    if not (table.has_unit and table.period):
        return []
    rule_en, rule = _period_texts(table)
    return [
        _expectation(
            "expect_column_values_to_be_in_set",
            {"column": UNIT_VALID, "value_set": [True]},
            rule_id="unit_id.valid_in_period",
            column="unit_id",
            columns=["unit_id", *table.period],
            depends_on=["units"],
            rule=rule,
            rule_en=rule_en,
        )
    ]


def row_rule_expectation(rule: RowRule) -> dict[str, Any]:
    common: dict[str, Any] = {
        "rule_id": rule.id,
        "column": rule.column,
        "columns": list(rule.columns),
        "rule": rule.description_sv,
        "rule_en": rule.description,
    }
    if rule.kind in (AT_LEAST, AT_MOST):
        high, low = (
            (rule.column, rule.other) if rule.kind == AT_LEAST else (rule.other, rule.column)
        )
        return _expectation(
            "expect_column_pair_values_a_to_be_greater_than_b",
            {
                "column_A": parsed(high),
                "column_B": parsed(low),
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            **common,
        )
    depends_on = ["units"] if rule.kind == SUCCESSOR else []
    return _expectation(
        "expect_column_values_to_be_in_set",
        {"column": RULE_PREFIX + rule.id, "value_set": [True]},
        depends_on=depends_on,
        **common,
    )


def overlap_expectations(table: Table) -> list[dict[str, Any]]:
    if not table.non_overlapping:
        return []
    keys = ", ".join(table.non_overlapping)
    start, end = table.period
    return [
        _expectation(
            "expect_column_values_to_be_in_set",
            {"column": NO_OVERLAP, "value_set": [True]},
            rule_id="spells_do_not_overlap",
            column=start,
            columns=[*table.non_overlapping, start, end],
            rule=f"Perioder ({start}–{end}) med samma {keys} överlappar inte",
            rule_en=f"periods ({start} to {end}) with the same {keys} must not overlap",
        )
    ]


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


def write_suites(directory: Path | str) -> list[Path]:
    """(Re)generate ``<directory>/<table>.json`` (a project's ``validation/``) from the
    contract."""
    return write_suite_files(suite_documents(), directory)
