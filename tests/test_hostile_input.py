"""A gate no byte can crash (issue 18, point 2): reader errors, spreadsheet error values
and formula-like text each become one line naming the file (and column and rows where
there are any); delivered text that reaches a download can't run as a formula."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from deliveries import minimal_tables, write_minimal_delivery
from uppfoljning import charts, formatting, loading, validation
from uppfoljning.cli import main
from uppfoljning.contract import STR, TABLES
from uppfoljning.project import Project

ROOT = Path(__file__).resolve().parents[1]
SUITES = Project.at(ROOT).load_suites().inputs  # the reviewed validation/*.json


def problem_lines(delivery: Path) -> list[str]:
    return [p.format() for p in validation.validate_delivery(delivery, SUITES).errors]


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))


# ---------------------------------------------------------------------------
# Reader errors


def test_a_200000_character_cell_is_one_line_naming_file_column_and_row(tmp_path, capsys):
    rows = minimal_tables()["focus_areas"]
    rows[1]["name"] = "x" * 200_000
    delivery = write_minimal_delivery(tmp_path / "d", focus_areas=rows)
    assert main(["validate", "--data", str(delivery)]) == 1
    err = capsys.readouterr().err
    assert ("focus_areas.csv: column name: rows 3: cell is longer than 131072 characters "
            "(200000); check for an unclosed quote") in err.splitlines()
    assert "Traceback" not in err


def test_a_long_cell_in_a_ragged_file_does_not_crash_the_row_count(tmp_path):
    """Python's csv module (used to name ragged rows) stops at 131072 characters."""
    delivery = write_minimal_delivery(tmp_path / "d")
    path = delivery / "focus_areas.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",", "," + "y" * 200_000 + ",", 1)  # one cell too many
    write_lines(path, lines)
    assert ("focus_areas.csv: rows 2: row has more cells than the header (up to 4); check "
            "delimiters and quotes") in problem_lines(delivery)


def test_nul_bytes_anywhere_name_their_rows(tmp_path):
    delivery = write_minimal_delivery(tmp_path / "d")
    path = delivery / "units.csv"
    path.write_bytes(path.read_bytes().replace("Hägersten".encode(), b"H\x00gersten", 1))
    # far beyond the first 64 KiB (once the only part looked at)
    incidents = delivery / "incidents.csv"
    lines = incidents.read_bytes().splitlines()
    header, row = lines[0], lines[1]
    body = [row.replace(row.split(b",")[0], b"i%d" % n) for n in range(3000)]
    incidents.write_bytes(b"\r\n".join([header, *body, b"i\x00,2020-01-01"]) + b"\r\n")
    assert len(incidents.read_bytes()) > 65536
    lines = problem_lines(delivery)
    assert ("units.csv: rows 3: file contains NUL bytes: it is binary or damaged, not a CSV "
            "text file") in lines
    assert ("incidents.csv: rows 3002: file contains NUL bytes: it is binary or damaged, not "
            "a CSV text file") in lines


def test_an_unclosed_quote_names_the_row_it_opens(tmp_path):
    delivery = write_minimal_delivery(tmp_path / "d")
    path = delivery / "focus_areas.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",", ',"', 1)
    write_lines(path, lines)
    assert ("focus_areas.csv: rows 3: a quoted cell is never closed: a '\"' opens a cell "
            "that runs to the end of the file") in problem_lines(delivery)


def test_any_other_reader_error_is_one_line_naming_the_file(tmp_path, monkeypatch):
    delivery = write_minimal_delivery(tmp_path / "d")
    original = loading.read_table_file

    def broken(table, path):
        if table == "visits":
            raise ValueError("something no one foresaw\nsecond line")
        return original(table, path)

    monkeypatch.setattr(loading, "read_table_file", broken)
    raw = loading.read_delivery(delivery)
    lines = [p.format() for p in raw.problems if p.severity == "error"]
    assert lines == ["visits.csv: cannot read file: ValueError: something no one foresaw "
                     "second line"]


def test_the_console_shows_no_traceback_for_a_huge_unclosed_cell(tmp_path):
    delivery = write_minimal_delivery(tmp_path / "d")
    (delivery / "units.csv").write_bytes(
        (delivery / "units.csv").read_bytes() + b'x,"' + b"z" * 300_000 + b"\r\n")
    done = subprocess.run([sys.executable, "-m", "uppfoljning.cli", "validate", "--data",
                           str(delivery)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1
    assert "units.csv: rows 5: a quoted cell is never closed" in done.stderr
    assert "Traceback" not in done.stderr


# ---------------------------------------------------------------------------
# Spreadsheet error values and formula-like text


@pytest.mark.parametrize("value", validation.EXCEL_ERRORS)
def test_every_excel_error_value_is_refused_in_a_name(tmp_path, value):
    rows = minimal_tables()["focus_areas"]
    rows[0]["name"] = value
    delivery = write_minimal_delivery(tmp_path / "d", focus_areas=rows)
    assert problem_lines(delivery) == [
        "focus_areas.csv: column name: rows 2: must not be a spreadsheet error value "
        f"({', '.join(validation.EXCEL_ERRORS)}); fix the formula behind it "
        f"(values: {value!r})"]


def test_an_error_value_is_refused_in_every_column_of_every_table(tmp_path):
    """The first data row of every table has #N/A in every cell: each column is named
    with row 2 by some rule (its format, its code list or the error-value rule)."""
    tables = minimal_tables()
    for rows in tables.values():
        rows[0] = dict.fromkeys(rows[0], "#N/A")
    delivery = write_minimal_delivery(tmp_path / "d", **tables)
    report = validation.validate_delivery(delivery, SUITES)
    named = {(p.file, p.column) for p in report.errors if 2 in p.rows}
    for table, spec in TABLES.items():
        for column in spec.columns:
            assert (f"{table}.csv", column.name) in named, (table, column.name)


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_formula_like_unit_name_is_refused(tmp_path, start):
    rows = minimal_tables()["units"]
    rows[2]["name"] = start + 'HYPERLINK("http://example.invalid","Socialförvaltningen")'
    delivery = write_minimal_delivery(tmp_path / "d", units=rows)
    (line,) = problem_lines(delivery)
    assert line.startswith("units.csv: column name: rows 4: must not start like a "
                           "spreadsheet formula (=, +, -, @, tab, carriage return)")


def test_formula_rule_covers_names_and_ids_but_not_free_text():
    covered = {(t, c.name) for t, spec in TABLES.items() for c in spec.columns
               if any(e["meta"]["rule_id"] == f"{c.name}.no_formula"
                      for e in validation.suite_document(spec)["expectations"])}
    text_columns = {(t, c.name) for t, spec in TABLES.items() for c in spec.columns
                    if c.kind == STR}
    assert covered == text_columns - {("exit_interviews", "comment"), ("focus_status", "note")}
    assert ("units", "name") in covered and ("focus_areas", "name") in covered


def test_free_text_may_start_like_a_formula(tmp_path):
    rows = minimal_tables()["focus_status"]
    rows[0]["note"] = "-Arbetet har startat"
    delivery = write_minimal_delivery(tmp_path / "d", focus_status=rows)
    assert problem_lines(delivery) == []


# ---------------------------------------------------------------------------
# Downloads


@pytest.mark.parametrize("text, safe", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+46 8 123", "'+46 8 123"), ("-Bromma", "'-Bromma"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Bromma", "Bromma"), ("a=b", "a=b"), ("", ""), (-3.5, -3.5), (None, None),
])
def test_spreadsheet_safe(text, safe):
    assert formatting.spreadsheet_safe(text) == safe


def test_chart_download_neutralises_text_but_not_negative_numbers():
    spec = {"data": {"values": [
        {"unit_name": "=HYPERLINK(\"http://x\",\"Bromma\")", "year": 2024, "change": -0.5},
        {"unit_name": "Bromma", "year": 2023, "change": 0.25},
    ]}}
    lines = charts.spec_to_csv(spec).splitlines()
    assert lines[0] == "unit_name,year,change"
    assert lines[1] == "\"'=HYPERLINK(\"\"http://x\"\",\"\"Bromma\"\")\",2024,-0.5"
    assert lines[2] == "Bromma,2023,0.25"


def test_published_table_neutralises_delivered_names(tmp_path):
    from uppfoljning.build import write_published_table
    from uppfoljning.indicators import PUBLISHED_COLUMNS

    table = pd.DataFrame([[2024, 2024, "bromma", "@Bromma", "alla", "headcount", -1.0, False]],
                         columns=PUBLISHED_COLUMNS)
    path = write_published_table(table, tmp_path / "indikatorer.csv")
    assert path.read_text(encoding="utf-8").splitlines()[1] == (
        "2024,2024,bromma,'@Bromma,alla,headcount,-1,false")
    assert table.loc[0, "unit_name"] == "@Bromma"  # the input is unchanged


def test_an_error_cell_of_a_workbook_is_refused(tmp_path):
    """openpyxl stores '#REF!' as a real error cell (type 'e'), as Excel does."""
    from openpyxl import load_workbook

    rows = minimal_tables()["focus_areas"]
    rows[1]["name"] = "#REF!"
    delivery = write_minimal_delivery(tmp_path / "d", fmt="xlsx", focus_areas=rows)
    sheet = load_workbook(delivery / "focus_areas.xlsx").active
    assert sheet.cell(row=3, column=2).data_type == "e"
    assert problem_lines(delivery) == [
        "focus_areas.xlsx: column name: rows 3: must not be a spreadsheet error value "
        f"({', '.join(validation.EXCEL_ERRORS)}); fix the formula behind it "
        "(values: '#REF!')"]


def test_an_error_cell_in_an_optional_workbook_column_is_not_taken_for_empty(tmp_path):
    """An empty end_date is an ongoing spell: a failed formula must not pass as one."""
    from openpyxl import load_workbook

    delivery = write_minimal_delivery(tmp_path / "d", fmt="xlsx")
    path = delivery / "employments.xlsx"
    book = load_workbook(path)
    header = [cell.value for cell in book.active[1]]
    cell = book.active.cell(row=2, column=header.index("end_date") + 1)
    cell.value = "#N/A"
    assert cell.data_type == "e"
    book.save(path)
    lines = problem_lines(delivery)
    assert any(line.startswith("employments.xlsx: column end_date: rows 2: must be a date")
               and "'#N/A'" in line for line in lines), lines
