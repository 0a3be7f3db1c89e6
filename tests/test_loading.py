"""The loader: every input format gives the same frames, and bad files become problems
(never tracebacks)."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest

from support.deliveries import minimal_tables, write_csv, write_minimal_delivery, write_xlsx
from uppfoljning.contract import TABLES
from uppfoljning.errors import DeliveryError
from uppfoljning.loading import (
    ROW_INDEX,
    cell_to_text,
    load_delivery,
    read_delivery,
    type_delivery,
)

FORMATS = ["csv", "csv-bom", "csv-excel-sv", "xlsx", "parquet"]


@pytest.fixture(scope="module")
def deliveries(tmp_path_factory):
    """The minimal delivery written in every supported format."""
    root = tmp_path_factory.mktemp("formats")
    return {fmt: write_minimal_delivery(root / fmt, fmt=fmt) for fmt in FORMATS}


def problems_of(raw, severity=None):
    return [p for p in raw.problems if severity is None or p.severity == severity]


def test_minimal_delivery_reads_without_problems(deliveries):
    raw = read_delivery(deliveries["csv"])
    assert raw.problems == []
    assert set(raw.frames) == set(TABLES)
    employments = raw.frames["employments"]
    assert employments.index.name == ROW_INDEX
    assert list(employments.index) == [2, 3, 4, 5, 6]
    assert pd.isna(employments.loc[3, "end_date"])  # empty cell = missing


@pytest.mark.parametrize("fmt", FORMATS[1:])
def test_every_format_gives_the_same_typed_frames(deliveries, fmt):
    expected = type_delivery(read_delivery(deliveries["csv"]))
    raw = read_delivery(deliveries[fmt])
    assert raw.problems == []
    typed = type_delivery(raw)
    for table in TABLES:
        pd.testing.assert_frame_equal(
            typed.tables[table], expected.tables[table], obj=f"{fmt}: {table}"
        )


@pytest.mark.parametrize("fmt", ["csv-bom", "xlsx", "parquet"])
def test_formats_without_decimal_comma_give_the_same_text(deliveries, fmt):
    expected = read_delivery(deliveries["csv"])
    raw = read_delivery(deliveries[fmt])
    for table in TABLES:
        pd.testing.assert_frame_equal(
            raw.frames[table], expected.frames[table], obj=f"{fmt}: {table}"
        )


def test_csv_dialects_are_detected(deliveries):
    sources = {fmt: read_delivery(deliveries[fmt]).sources["units"] for fmt in FORMATS}
    assert (sources["csv"].encoding, sources["csv"].delimiter) == ("utf-8", ",")
    assert sources["csv-bom"].encoding == "utf-8-sig"
    assert (sources["csv-excel-sv"].encoding, sources["csv-excel-sv"].delimiter) == ("cp1252", ";")
    assert sources["csv-excel-sv"].decimal_comma and not sources["csv"].decimal_comma
    assert sources["xlsx"].format == "xlsx" and sources["xlsx"].encoding is None
    assert sources["parquet"].format == "parquet"


def test_swedish_excel_csv_keeps_letters_and_decimal_comma(deliveries):
    raw = read_delivery(deliveries["csv-excel-sv"])
    assert raw.frames["units"].loc[3, "name"] == "Hägersten-Älvsjö"
    assert raw.frames["caseload"].loc[2, "case_workers_fte"] == "2,5"
    typed = type_delivery(raw)
    assert typed.tables["caseload"].loc[2, "case_workers_fte"] == 2.5
    assert typed.tables["consultant_costs"].loc[2, "cost_sek"] == 125000.5


def test_typed_frames_have_the_contract_types(deliveries):
    tables = load_delivery(deliveries["csv"]).tables
    employments = tables["employments"]
    assert str(employments["start_date"].dtype).startswith("datetime64")
    assert employments.loc[2, "start_date"] == pd.Timestamp("2018-03-01")
    assert pd.isna(employments.loc[3, "end_date"])
    assert str(tables["consultants"]["consultants"].dtype) == "Int64"
    assert str(tables["staff_survey"]["year"].dtype) == "Int64"
    assert tables["staff_survey"]["value"].dtype == "float64"
    assert tables["job_ads"].loc[2, "month"] == "2019-05"
    assert list(tables["units"].columns) == list(TABLES["units"].column_names)


def test_thousands_spaces_and_spaced_code_lists(tmp_path):
    rows = minimal_tables()
    rows["consultant_costs"][0]["cost_sek"] = "125\u00a0000.5"  # becomes '125 000,5'
    rows["exit_interviews"][0]["reasons"] = "arbetsbelastning ; lon"
    write_minimal_delivery(tmp_path, fmt="csv-excel-sv", **rows)
    typed = load_delivery(tmp_path).tables
    assert typed["consultant_costs"].loc[2, "cost_sek"] == 125000.5
    assert typed["exit_interviews"].loc[2, "reasons"] == "arbetsbelastning;lon"


def test_xlsx_date_cell_in_a_month_column_is_a_month(tmp_path):
    path = tmp_path / "job_ads.xlsx"
    write_xlsx(path, "job_ads", minimal_tables()["job_ads"])
    from openpyxl import load_workbook

    book = load_workbook(path)
    book.active["A2"].value = dt.datetime(2019, 5, 1)
    book.save(path)
    write_minimal_delivery(tmp_path, job_ads=None)
    raw = read_delivery(tmp_path)
    assert raw.frames["job_ads"].loc[2, "month"] == "2019-05"


def test_cell_to_text():
    assert cell_to_text(3.0) == "3"
    assert cell_to_text(2.5) == "2.5"
    assert cell_to_text(float("nan")) is None
    assert cell_to_text(dt.datetime(2020, 1, 5)) == "2020-01-05"
    assert cell_to_text(dt.datetime(2020, 1, 5, 12, 30)) == "2020-01-05 12:30:00"
    assert cell_to_text(dt.date(2020, 1, 1), "month") == "2020-01"
    assert cell_to_text(True) == "true"
    assert cell_to_text(pd.NA) is None


# ---------------------------------------------------------------------------
# Bad files: a problem naming the file, never an exception


def only_problem(raw, file):
    found = [p for p in raw.problems if p.file == file]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary\x00junk" * 10, "binary"),
        (b"", "empty"),
        (b"   \r\n\r\n", "empty"),
        (b"PK\x03\x04 renamed workbook", "XLSX"),
        (b"PAR1 parquet", "Parquet"),
        (b"\xff\xfeu\x00n\x00", "UTF-16"),
        (b"unit_id,name\n\x81\x8d\x8f,x\n", "cannot decode"),
        (b"\xef\xbb\xbfunit_id\n\xe4\n", "BOM"),
    ],
    ids=[
        "binary",
        "empty",
        "blank",
        "xlsx-renamed",
        "parquet-renamed",
        "utf16",
        "undecodable",
        "bad-bom",
    ],
)
def test_unreadable_csv_is_a_problem(tmp_path, content, message):
    write_minimal_delivery(tmp_path)
    (tmp_path / "units.csv").write_bytes(content)
    raw = read_delivery(tmp_path)
    problem = only_problem(raw, "units.csv")
    assert message in problem.rule
    assert problem.severity == "error" and problem.table == "units"
    assert "units" not in raw.frames
    with pytest.raises(DeliveryError, match="units.csv"):
        load_delivery(tmp_path)


def test_real_xlsx_renamed_csv(tmp_path):
    write_minimal_delivery(tmp_path)
    write_xlsx(tmp_path / "units.csv", "units", minimal_tables()["units"])
    assert "XLSX" in only_problem(read_delivery(tmp_path), "units.csv").rule


@pytest.mark.parametrize("suffix", ["xlsx", "parquet"])
def test_broken_workbook_or_parquet_is_a_problem(tmp_path, suffix):
    write_minimal_delivery(tmp_path, visits=None)
    (tmp_path / f"visits.{suffix}").write_bytes(b"id,unit\n1,x\n")
    problem = only_problem(read_delivery(tmp_path), f"visits.{suffix}")
    assert problem.rule.startswith("cannot read")


def test_header_only_file(tmp_path):
    write_minimal_delivery(tmp_path, employments=[], visits=[])
    raw = read_delivery(tmp_path)
    required = only_problem(raw, "employments.csv")
    optional = only_problem(raw, "visits.csv")
    assert "no data rows" in required.rule and required.severity == "error"
    assert "no data rows" in optional.rule and optional.severity == "warning"
    assert len(raw.frames["employments"]) == 0


def test_two_files_for_one_table(tmp_path):
    write_minimal_delivery(tmp_path)
    write_xlsx(tmp_path / "visits.xlsx", "visits", minimal_tables()["visits"])
    problem = only_problem(read_delivery(tmp_path), "visits.csv")
    assert "delivered twice" in problem.rule and "visits.xlsx" in problem.rule
    assert problem.severity == "error"


def test_ragged_rows_are_named(tmp_path):
    write_minimal_delivery(tmp_path)
    path = tmp_path / "managers.csv"
    lines = path.read_text().splitlines()
    lines[2] += ",extra"  # spreadsheet row 3
    lines.append("2021-12-31,alvsjo,1,x,y")  # row 4
    path.write_text("\n".join(lines) + "\n")
    problem = only_problem(read_delivery(tmp_path), "managers.csv")
    assert problem.rows == (3, 4)
    assert "more cells than the header" in problem.format()
    assert problem.format().startswith("managers.csv: rows 3, 4: ")


def test_short_rows_and_blank_lines_keep_spreadsheet_rows(tmp_path):
    write_minimal_delivery(tmp_path)
    path = tmp_path / "managers.csv"
    path.write_text(
        "measured_on,unit_id,managers\n2019-12-31,alvsjo,3\n\n,,\n2021-12-31,hagersten-alvsjo\n"
    )
    raw = read_delivery(tmp_path)
    assert raw.problems == []
    frame = raw.frames["managers"]
    assert list(frame.index) == [2, 5]
    assert pd.isna(frame.loc[5, "managers"])


def test_header_is_normalised_and_empty_trailing_columns_dropped(tmp_path):
    write_minimal_delivery(tmp_path)
    (tmp_path / "managers.csv").write_text(
        " Measured_On ,UNIT_ID,managers,,\n2019-12-31,alvsjo,3,,\n"
    )
    raw = read_delivery(tmp_path)
    assert raw.problems == []
    assert list(raw.frames["managers"].columns) == ["measured_on", "unit_id", "managers"]


def test_duplicate_column_names(tmp_path):
    write_minimal_delivery(tmp_path)
    (tmp_path / "managers.csv").write_text(
        "measured_on,unit_id,managers,unit_id\n2019-12-31,alvsjo,3,alvsjo\n"
    )
    problem = only_problem(read_delivery(tmp_path), "managers.csv")
    assert problem.rule == "column names occur twice: unit_id"


def test_missing_and_extra_columns(tmp_path):
    rows = minimal_tables()["managers"]
    for row in rows:
        del row["managers"]
        row["kommentar"] = "x"
    write_minimal_delivery(tmp_path, managers=rows)
    raw = read_delivery(tmp_path)
    missing, extra = [p for p in raw.problems if p.file == "managers.csv"]
    assert (missing.column, missing.severity) == ("managers", "error")
    assert missing.format() == "managers.csv: column managers: required column is missing"
    assert (extra.column, extra.severity) == ("kommentar", "warning")
    assert raw.extra_columns == {"managers": ["kommentar"]}
    assert "kommentar" not in raw.frames["managers"].columns


def test_optional_column_may_be_left_out(tmp_path):
    rows = minimal_tables()["units"]
    for row in rows:
        del row["region"]
    write_minimal_delivery(tmp_path, units=rows)
    raw = read_delivery(tmp_path)
    assert raw.problems == []
    assert raw.frames["units"]["region"].isna().all()


def test_missing_tables_and_unknown_files(tmp_path):
    write_minimal_delivery(tmp_path, employments=None, visits=None)
    (tmp_path / "notes.csv").write_text("a\n1\n")
    (tmp_path / "README.txt").write_text("ignored without a word")
    raw = read_delivery(tmp_path)
    by_file = {p.file: p for p in raw.problems}
    assert by_file["employments.csv"].severity == "error"
    assert "required table employments is missing" in by_file["employments.csv"].rule
    assert by_file["visits.csv"].severity == "warning"
    assert by_file["notes.csv"].severity == "warning"
    assert "README.txt" not in by_file


def test_missing_folder(tmp_path):
    raw = read_delivery(tmp_path / "nowhere")
    assert [p.rule for p in raw.problems] == ["delivery folder does not exist"]


def test_cp1252_file_with_comma_delimiter(tmp_path):
    write_minimal_delivery(tmp_path, units=None)
    write_csv(tmp_path / "units.csv", "units", minimal_tables()["units"], encoding="cp1252")
    raw = read_delivery(tmp_path)
    assert raw.sources["units"].encoding == "cp1252"
    assert raw.frames["units"].loc[2, "name"] == "Älvsjö"


def test_reading_does_not_touch_the_delivery(tmp_path):
    original = write_minimal_delivery(tmp_path / "d")
    copy = shutil.copytree(original, tmp_path / "copy")
    read_delivery(original)
    for path in original.iterdir():
        assert path.read_bytes() == (copy / path.name).read_bytes()
