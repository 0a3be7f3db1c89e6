"""Small hand-made deliveries for tests: every table of the contract, a few rows each.

Three units and one merger: Älvsjö (until 2020-06-30) was merged into
Hägersten-Älvsjö (from 2020-07-01); Socialförvaltningen exists throughout. The data
run from 2017 to 2021-12-31.

``write_minimal_delivery(tmp_path)`` writes it as UTF-8 CSV; pass ``table=None`` to
leave a table out, or ``table=[{...}, ...]`` (or a DataFrame) to replace its rows:

    rows = minimal_tables()["employments"]
    rows[0]["end_date"] = "2020-13-01"
    write_minimal_delivery(tmp_path, employments=rows)
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
from pathlib import Path

import pandas as pd

from uppfoljning.contract import DATE, INT, NUMBER, TABLES, YEAR

Rows = list[dict[str, str]]


def _rows(columns: str, *lines: tuple[str, ...]) -> Rows:
    names = columns.split()
    return [dict(zip(names, line, strict=True)) for line in lines]


MINIMAL: dict[str, Rows] = {
    "units": _rows(
        "unit_id name kind region valid_from valid_to successor_id",
        (
            "alvsjo",
            "Älvsjö",
            "stadsdelsforvaltning",
            "Söderort",
            "2016-01-01",
            "2020-06-30",
            "hagersten-alvsjo",
        ),
        (
            "hagersten-alvsjo",
            "Hägersten-Älvsjö",
            "stadsdelsforvaltning",
            "Söderort",
            "2020-07-01",
            "",
            "",
        ),
        ("socialforvaltningen", "Socialförvaltningen", "fackforvaltning", "", "2016-01-01", "", ""),
    ),
    "employments": _rows(
        "person_id unit_id occupation area employment_type start_date end_date end_reason",
        (
            "p001",
            "alvsjo",
            "socialsekreterare",
            "barn_och_unga",
            "tillsvidare",
            "2018-03-01",
            "2020-06-30",
            "omorganisation",
        ),
        (
            "p001",
            "hagersten-alvsjo",
            "socialsekreterare",
            "barn_och_unga",
            "tillsvidare",
            "2020-07-01",
            "",
            "",
        ),
        (
            "p002",
            "socialforvaltningen",
            "bistandshandlaggare",
            "vuxna",
            "tillsvidare",
            "2017-01-01",
            "2021-05-31",
            "egen_begaran",
        ),
        (
            "p003",
            "hagersten-alvsjo",
            "bistandshandlaggare",
            "ekonomiskt_bistand",
            "visstid",
            "2021-01-01",
            "2021-12-31",
            "ovrigt",
        ),
        (
            "p004",
            "alvsjo",
            "socialsekreterare",
            "aldre",
            "tillsvidare",
            "2019-02-01",
            "2020-03-15",
            "pension",
        ),
    ),
    "consultants": _rows(
        "measured_on unit_id occupation consultants",
        ("2019-11-01", "alvsjo", "socialsekreterare", "2"),
        ("2021-11-01", "hagersten-alvsjo", "socialsekreterare", "1"),
        ("2021-11-01", "socialforvaltningen", "bistandshandlaggare", "0"),
    ),
    "consultant_costs": _rows(
        "year unit_id cost_sek",
        ("2019", "alvsjo", "125000.5"),
        ("2020", "alvsjo", "98000"),
        ("2020", "hagersten-alvsjo", "50000"),
        ("2021", "socialforvaltningen", "0"),
    ),
    "job_ads": _rows(
        "month unit_id occupation ads",
        ("2019-05", "alvsjo", "socialsekreterare", "3"),
        ("2021-09", "hagersten-alvsjo", "bistandshandlaggare", "1"),
    ),
    "visits": _rows(
        "request_id unit_id area requested_on visit_on",
        ("v1", "alvsjo", "ekonomiskt_bistand", "2019-03-04", "2019-03-18"),
        ("v2", "hagersten-alvsjo", "ekonomiskt_bistand", "2021-10-01", "2021-10-01"),
        ("v3", "hagersten-alvsjo", "vuxna", "2021-12-20", ""),
    ),
    "caseload": _rows(
        "month unit_id occupation area open_cases case_workers_fte",
        ("2019-01", "alvsjo", "socialsekreterare", "barn_och_unga", "40", "2.5"),
        ("2021-06", "hagersten-alvsjo", "bistandshandlaggare", "ekonomiskt_bistand", "55", "3"),
    ),
    "staff_survey": _rows(
        "year unit_id occupation index_id invited respondents value",
        ("2019", "alvsjo", "socialsekreterare", "ami", "20", "15", "72.5"),
        ("2021", "hagersten-alvsjo", "socialsekreterare", "arbetsbelastning", "25", "25", "55"),
    ),
    "incidents": _rows(
        "incident_id reported_on unit_id occupation category",
        ("i1", "2019-06-10", "alvsjo", "socialsekreterare", "hot"),
        ("i2", "2021-02-03", "socialforvaltningen", "bistandshandlaggare", "otillaten_paverkan"),
    ),
    "reinforcement": _rows(
        "assignment_id team unit_id start_date end_date staff",
        ("a1", "Förstärkningsteam barn", "alvsjo", "2019-09-02", "2019-12-20", "2"),
        ("a2", "Förstärkningsteam barn", "hagersten-alvsjo", "2021-01-11", "2021-03-31", "1"),
    ),
    "managers": _rows(
        "measured_on unit_id managers",
        ("2019-12-31", "alvsjo", "3"),
        ("2021-12-31", "hagersten-alvsjo", "5"),
    ),
    "admin_support": _rows(
        "measured_on unit_id administrators_fte",
        ("2019-12-31", "alvsjo", "1.5"),
        ("2021-12-31", "hagersten-alvsjo", "2"),
    ),
    "exit_interviews": _rows(
        "interview_id person_id unit_id occupation held_on reasons comment",
        (
            "e1",
            "p002",
            "socialforvaltningen",
            "bistandshandlaggare",
            "2021-05-20",
            "arbetsbelastning;lon",
            "Hög arbetsbelastning, bra kollegor",
        ),
        ("e2", "p004", "alvsjo", "socialsekreterare", "2020-03-10", "privata_skal", ""),
    ),
    "focus_areas": _rows(
        "area_id name plan_version",
        ("introduktion", "Introduktion för nyanställda", "2016"),
        ("lonebildning", "Lönebildning", "2018"),
        ("arbetsbelastning", "Rimlig arbetsbelastning", "2019"),
    ),
    "focus_status": _rows(
        "year unit_id area_id status note",
        ("2019", "alvsjo", "introduktion", "genomfort", "Introduktionsprogram infört"),
        ("2021", "hagersten-alvsjo", "arbetsbelastning", "paborjat", ""),
    ),
}


def minimal_tables() -> dict[str, Rows]:
    """A fresh copy of the minimal delivery's rows (all cells as text, '' = empty)."""
    return copy.deepcopy(MINIMAL)


def _header(table: str, rows: Rows) -> list[str]:
    if not rows:
        return list(TABLES[table].column_names)
    return list(dict.fromkeys(name for row in rows for name in row))


def _as_rows(content: Rows | pd.DataFrame) -> Rows:
    if isinstance(content, pd.DataFrame):
        return content.fillna("").astype(str).to_dict("records")
    return content


def _kind(table: str, column: str) -> str | None:
    spec = TABLES[table]
    return spec.column(column).kind if column in spec.column_names else None


def write_csv(
    path: Path,
    table: str,
    rows: Rows,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    decimal_comma: bool = False,
) -> Path:
    """CSV as a spreadsheet program writes it; numbers with ',' if ``decimal_comma``."""
    header = _header(table, rows)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            cells = [row.get(name, "") for name in header]
            if decimal_comma:
                cells = [
                    c.replace(".", ",") if _kind(table, name) in (NUMBER, INT) else c
                    for name, c in zip(header, cells, strict=True)
                ]
            writer.writerow(cells)
    return path


def typed_cell(table: str, column: str, text: str) -> object:
    """The value a spreadsheet or Parquet file would hold for a text cell."""
    kind = _kind(table, column)
    if text == "":
        return None
    if kind == DATE:
        return dt.datetime.strptime(text, "%Y-%m-%d")
    if kind in (INT, YEAR):
        return int(text)
    if kind == NUMBER:
        return float(text)
    return text


def write_xlsx(path: Path, table: str, rows: Rows) -> Path:
    """XLSX with real Excel date and number cells."""
    from openpyxl import Workbook

    header = _header(table, rows)
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([typed_cell(table, name, row.get(name, "")) for name in header])
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd"
    book.save(path)
    return path


def write_parquet(path: Path, table: str, rows: Rows) -> Path:
    """Parquet with typed columns (dates, nullable integers, floats, strings)."""
    header = _header(table, rows)
    data = {}
    for name in header:
        values = [typed_cell(table, name, row.get(name, "")) for row in rows]
        kind = _kind(table, name)
        if kind == DATE:
            data[name] = pd.to_datetime(pd.Series(values, dtype=object))
        elif kind in (INT, YEAR):
            data[name] = pd.Series(values, dtype="Int64")
        elif kind == NUMBER:
            data[name] = pd.Series(values, dtype="float64")
        else:
            data[name] = pd.Series(values, dtype="str")
    pd.DataFrame(data).to_parquet(path, index=False)
    return path


def write_minimal_delivery(
    directory: Path | str, fmt: str = "csv", **overrides: Rows | pd.DataFrame | None
) -> Path:
    """Write the minimal valid delivery into ``directory``; see the module docstring.

    ``fmt`` is 'csv' (UTF-8, ','), 'csv-excel-sv' (Windows-1252, ';', decimal comma),
    'csv-bom' (UTF-8 with BOM), 'xlsx' or 'parquet'.
    """
    unknown = set(overrides) - set(TABLES)
    if unknown:
        raise KeyError(f"not tables of the contract: {sorted(unknown)}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tables = minimal_tables()
    tables.update(overrides)
    for table, content in tables.items():
        if content is None:
            continue
        rows = _as_rows(content)
        if fmt == "csv":
            write_csv(directory / f"{table}.csv", table, rows)
        elif fmt == "csv-bom":
            write_csv(directory / f"{table}.csv", table, rows, encoding="utf-8-sig")
        elif fmt == "csv-excel-sv":
            write_csv(
                directory / f"{table}.csv",
                table,
                rows,
                encoding="cp1252",
                delimiter=";",
                decimal_comma=True,
            )
        elif fmt == "xlsx":
            write_xlsx(directory / f"{table}.xlsx", table, rows)
        elif fmt == "parquet":
            write_parquet(directory / f"{table}.parquet", table, rows)
        else:
            raise ValueError(f"unknown format {fmt}")
    return directory
