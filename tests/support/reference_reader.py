"""The reference implementation's own reader of a delivery folder (tests/reference.py).

Written from /work/shared/spec/data-contract.md only, without the package: it neither
imports ``uppfoljning`` nor follows ``uppfoljning.loading``, so a loader bug in one file
format makes the production results differ from the reference's. It reads valid
deliveries only and raises on anything it does not understand; it checks no rule.

What the contract allows, and how each is read here:

- one file per table, ``<table>.csv``, ``<table>.xlsx`` (first sheet) or
  ``<table>.parquet``; a header row; extra columns are ignored;
- CSV in UTF-8 with or without BOM, or Windows-1252 (UTF-8 is tried first: Swedish
  letters saved as Windows-1252 are not valid UTF-8); delimiter ``,`` or ``;`` (the
  header holds only lower-case identifiers, so whichever of the two it contains is the
  delimiter); with ``;`` numbers may have a decimal comma; Swedish Excel may group
  thousands with (no-break) spaces;
- dates ``YYYY-MM-DD``, months ``YYYY-MM``, years ``YYYY``; in XLSX dates may be date
  cells and numbers number cells.

Every cell becomes a plain Python value: ``str``, ``int``, ``float``, ``datetime.date``
or ``None`` for an empty cell. Each table is a DataFrame of dtype ``object`` holding the
contract's columns in the contract's order.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

DATE, MONTH, YEAR, INT, NUMBER = "date", "month", "year", "int", "number"

# Every table's columns in the contract's order; a column without a kind is text.
TABLES: dict[str, dict[str, str | None]] = {
    "units": {
        "unit_id": None,
        "name": None,
        "kind": None,
        "region": None,
        "valid_from": DATE,
        "valid_to": DATE,
        "successor_id": None,
    },
    "employments": {
        "person_id": None,
        "unit_id": None,
        "occupation": None,
        "area": None,
        "employment_type": None,
        "start_date": DATE,
        "end_date": DATE,
        "end_reason": None,
    },
    "consultants": {"measured_on": DATE, "unit_id": None, "occupation": None, "consultants": INT},
    "consultant_costs": {"year": YEAR, "unit_id": None, "cost_sek": NUMBER},
    "job_ads": {"month": MONTH, "unit_id": None, "occupation": None, "ads": INT},
    "visits": {
        "request_id": None,
        "unit_id": None,
        "area": None,
        "requested_on": DATE,
        "visit_on": DATE,
    },
    "caseload": {
        "month": MONTH,
        "unit_id": None,
        "occupation": None,
        "area": None,
        "open_cases": INT,
        "case_workers_fte": NUMBER,
    },
    "staff_survey": {
        "year": YEAR,
        "unit_id": None,
        "occupation": None,
        "index_id": None,
        "invited": INT,
        "respondents": INT,
        "value": NUMBER,
    },
    "incidents": {
        "incident_id": None,
        "reported_on": DATE,
        "unit_id": None,
        "occupation": None,
        "category": None,
    },
    "reinforcement": {
        "assignment_id": None,
        "team": None,
        "unit_id": None,
        "start_date": DATE,
        "end_date": DATE,
        "staff": INT,
    },
    "managers": {"measured_on": DATE, "unit_id": None, "managers": INT},
    "admin_support": {"measured_on": DATE, "unit_id": None, "administrators_fte": NUMBER},
    "exit_interviews": {
        "interview_id": None,
        "person_id": None,
        "unit_id": None,
        "occupation": None,
        "held_on": DATE,
        "reasons": None,
        "comment": None,
    },
    "focus_areas": {"area_id": None, "name": None, "plan_version": None},
    "focus_status": {"year": YEAR, "unit_id": None, "area_id": None, "status": None, "note": None},
}
SUFFIXES = (".csv", ".xlsx", ".parquet")  # the readers are READERS, below
# Spaces Swedish Excel may put between groups of thousands.
GROUPING = str.maketrans("", "", " \u00a0\u202f")
DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
MONTH_TEXT = re.compile(r"\d{4}-\d{2}")


@dataclass
class RawDelivery:
    """What ``reference_indicators`` needs: the tables present, by name."""

    data_dir: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def read_delivery(data_dir: Path | str) -> RawDelivery:
    data_dir = Path(data_dir)
    delivery = RawDelivery(data_dir)
    for table, kinds in TABLES.items():
        files = [
            data_dir / f"{table}{suffix}"
            for suffix in SUFFIXES
            if (data_dir / f"{table}{suffix}").is_file()
        ]
        if not files:
            continue
        if len(files) > 1:
            raise ValueError(f"{table}: more than one file: {[f.name for f in files]}")
        path = files[0]
        header, rows, decimal_comma = READERS[path.suffix](path)
        missing = [name for name in kinds if name not in header]
        if missing:
            raise ValueError(f"{path.name}: missing columns {missing}")
        where = {name: header.index(name) for name in kinds}
        records = []
        for row in rows:
            records.append(
                {
                    name: _value(row[where[name]], kind, decimal_comma, path, name)
                    for name, kind in kinds.items()
                }
            )
        delivery.tables[table] = pd.DataFrame(records, columns=list(kinds), dtype=object)
    return delivery


# --- one reader per file format: (header, rows of raw cells, decimal comma allowed) ---


def _csv_rows(path: Path) -> tuple[list[str], list[list[object]], bool]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line else ","
    lines = [
        row
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        if any(cell.strip() for cell in row)
    ]
    header = [name.strip() for name in lines[0]]
    rows = [row + [""] * (len(header) - len(row)) for row in lines[1:]]
    return header, rows, delimiter == ";"


def _xlsx_rows(path: Path) -> tuple[list[str], list[list[object]], bool]:
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        lines = [
            list(row)
            for row in sheet.iter_rows(values_only=True)
            if any(cell is not None and str(cell).strip() for cell in row)
        ]
    finally:
        book.close()
    header = ["" if name is None else str(name).strip() for name in lines[0]]
    rows = [row + [None] * (len(header) - len(row)) for row in lines[1:]]
    return header, rows, False


def _parquet_rows(path: Path) -> tuple[list[str], list[list[object]], bool]:
    frame = pd.read_parquet(path)
    header = [str(name) for name in frame.columns]
    rows = [list(row) for row in frame.itertuples(index=False, name=None)]
    return header, rows, False


# --- one cell -------------------------------------------------------------------------


READERS = {".csv": _csv_rows, ".xlsx": _xlsx_rows, ".parquet": _parquet_rows}


def _is_empty(cell: object) -> bool:
    if cell is None or cell is pd.NA or cell is pd.NaT:
        return True
    if isinstance(cell, float):
        return math.isnan(cell)
    if isinstance(cell, str):
        return cell.strip() == ""
    return False


def _value(cell: object, kind: str | None, decimal_comma: bool, path: Path, column: str):
    if _is_empty(cell):
        return None
    try:
        if kind == DATE:
            return _date(cell)
        if kind == MONTH:
            return _month(cell)
        if kind in (YEAR, INT):
            number = _number(cell, decimal_comma)
            if number != int(number):
                raise ValueError("not a whole number")
            return int(number)
        if kind == NUMBER:
            return float(_number(cell, decimal_comma))
        return _text(cell)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{path.name}, {column}: cannot read {cell!r} ({error})") from None


def _date(cell: object) -> dt.date:
    if isinstance(cell, dt.datetime):  # an Excel date cell, a Parquet timestamp
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = str(cell).strip()
    if not DATE_TEXT.fullmatch(text):
        raise ValueError("not YYYY-MM-DD")
    return dt.date.fromisoformat(text)


def _month(cell: object) -> str:
    if isinstance(cell, dt.date):  # Excel turns a typed "2019-05" into a date cell
        return f"{cell.year:04d}-{cell.month:02d}"
    text = str(cell).strip()
    if not MONTH_TEXT.fullmatch(text):
        raise ValueError("not YYYY-MM")
    return text


def _number(cell: object, decimal_comma: bool) -> float:
    if isinstance(cell, bool):
        raise ValueError("a truth value")
    if isinstance(cell, int | float) or hasattr(cell, "dtype"):  # numpy scalars too
        return float(cell)
    text = str(cell).strip().translate(GROUPING)
    if decimal_comma:
        text = text.replace(",", ".")
    return float(text)


def _text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():  # a code like 2016 typed in Excel
        return str(int(cell))
    return str(cell)
