"""The Great Expectations gate: every rule of the data contract, its messages and the
appendix. GX is imported once (module fixture); each delivery is validated once."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from support.deliveries import minimal_tables, write_minimal_delivery
from support.projects import ROOT
from uppfoljning import validation
from uppfoljning.contract import ROW_RULES, TABLES
from uppfoljning.errors import DeliveryError, Problem
from uppfoljning.loading import Delivery
from uppfoljning.project import Project, read_suites

SUITES = Project.at(ROOT).load_suites().inputs  # the reviewed validation/*.json


@pytest.fixture(scope="module", autouse=True)
def gx():
    return validation.gx_module()


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    data_dir = write_minimal_delivery(tmp_path_factory.mktemp("good"))
    return validation.validate_delivery(data_dir, SUITES)


# ---------------------------------------------------------------------------
# Suites


def test_committed_suites_equal_the_generated_ones():
    """Regenerate with: python -m uppfoljning.validation validation"""
    committed = {
        p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "validation").glob("*.json")
    }
    generated = {
        name: validation.suite_json(doc) for name, doc in validation.suite_documents().items()
    }
    assert committed == generated


def test_write_suites(tmp_path):
    paths = validation.write_suites(tmp_path)
    assert sorted(p.name for p in paths) == sorted(f"{t}.json" for t in TABLES)
    assert read_suites(tmp_path, TABLES) == validation.suite_documents()


def test_suites_cover_every_column_and_rule():
    for name, table in TABLES.items():
        suite = validation.suite_document(table)
        rule_ids = [e["meta"]["rule_id"] for e in suite["expectations"]]
        assert len(rule_ids) == len(set(rule_ids)), name
        checked = {c for e in suite["expectations"] for c in e["meta"]["columns"]}
        # free text too: it may not be a spreadsheet error value
        assert checked == set(table.column_names), name
        for rule in table.rules:
            assert rule in rule_ids
        assert ("unit_id.valid_in_period" in rule_ids) == (table.has_unit and bool(table.period))
        for column in table.columns:
            ids = {r for r in rule_ids if r.startswith(column.name + ".")}
            assert (f"{column.name}.not_null" in ids) == (not column.nullable)
            assert (f"{column.name}.unique" in ids) == column.unique
        for expectation in suite["expectations"]:
            meta = expectation["meta"]
            assert meta["rule"] and meta["rule_en"]
            assert json.dumps(expectation, ensure_ascii=False)  # plain JSON


def test_gx_accepts_every_expectation(good):
    n_expectations = sum(len(d["expectations"]) for d in validation.suite_documents().values())
    gx_results = [r for r in good.results if r.rule_id not in ("file", "extra_columns")]
    assert len(gx_results) == n_expectations


# ---------------------------------------------------------------------------
# A valid delivery


def test_minimal_delivery_is_valid(good):
    assert good.problems == []
    assert good.ok
    assert all(r.success and r.checked for r in good.results)


def test_appendix_frame(good):
    frame = good.to_frame()
    assert list(frame.columns) == [
        "Tabell",
        "Fil",
        "Kolumn",
        "Regel",
        "Rader kontrollerade",
        "Avvikande rader",
        "Resultat",
    ]
    assert set(frame["Resultat"]) == {"godkänd"}
    assert set(frame["Tabell"]) == set(TABLES)
    row = frame[
        (frame["Tabell"] == "employments")
        & (frame["Kolumn"] == "start_date")
        & (frame["Regel"] == "Datum i formatet ÅÅÅÅ-MM-DD")
    ]
    assert row[["Fil", "Rader kontrollerade", "Avvikande rader"]].values.tolist() == [
        ["employments.csv", 5, 0]
    ]


def test_gate_returns_the_typed_delivery(good, monkeypatch):
    monkeypatch.setattr(validation, "validate_delivery", lambda data_dir, suites, **_: good)
    delivery, report = validation.gate("anywhere", SUITES)
    assert isinstance(delivery, Delivery) and report is good
    assert str(delivery.tables["employments"]["start_date"].dtype).startswith("datetime64")


def test_swedish_excel_csv_without_optional_tables_is_valid(tmp_path):
    """Windows-1252, ';' and decimal comma; warnings alone pass the gate."""
    data_dir = write_minimal_delivery(
        tmp_path, fmt="csv-excel-sv", visits=None, focus_areas=None, focus_status=None
    )
    report = validation.validate_delivery(data_dir, SUITES)
    assert report.ok and report.errors == []
    assert [p.table for p in report.warnings] == ["visits", "focus_areas", "focus_status"]
    assert all(r.success for r in report.results if r.rule_id not in ("file",))


# ---------------------------------------------------------------------------
# A delivery that breaks every row rule once (each on its own row)


def broken_tables() -> dict[str, list[dict[str, str]]]:
    t = minimal_tables()

    def add(table: str, **cells: str) -> None:
        row = dict(t[table][0])
        row.update(cells)
        t[table].append(row)

    # units: rows 2-4 are valid
    add(
        "units",
        unit_id="norrmalm",
        name="Norrmalm",
        kind="stadsdel",
        region="Innerstaden",
        valid_from="2016-01-01",
        valid_to="2015-12-31",
        successor_id="",
    )  # 5
    add(
        "units",
        unit_id="Östermalm",
        name="",
        kind="fackforvaltning",
        region="",
        valid_from="2016-01-01",
        valid_to="",
        successor_id="okand-enhet",
    )  # 6
    add("units", unit_id="alvsjo", successor_id="")  # 7: duplicate of row 2
    add(
        "units",
        unit_id="kungsholmen",
        name="Kungsholmen",
        valid_to="2019-12-31",
        successor_id="hagersten-alvsjo",
    )  # 8: successor starts 2020-07-01
    # employments: rows 2-6 are valid
    spell = dict(
        person_id="p010",
        unit_id="socialforvaltningen",
        occupation="socialsekreterare",
        area="vuxna",
        employment_type="tillsvidare",
        start_date="2019-01-01",
        end_date="2019-06-30",
        end_reason="egen_begaran",
    )
    add("employments", **{**spell, "start_date": "2021-03-01", "end_date": "2021-02-01"})  # 7
    add("employments", **{**spell, "person_id": "p011", "unit_id": "okand"})  # 8
    add(
        "employments",
        **{
            **spell,
            "person_id": "p012",
            "unit_id": "alvsjo",
            "start_date": "2020-01-01",
            "end_date": "",
            "end_reason": "",
        },
    )  # 9
    add(
        "employments",
        **{**spell, "person_id": "p013", "unit_id": "alvsjo", "end_date": "2020-12-31"},
    )  # 10
    add(
        "employments", **{**spell, "person_id": "p014", "end_date": "", "end_reason": "pension"}
    )  # 11
    add("employments", **{**spell, "person_id": "p015", "end_reason": ""})  # 12
    add("employments", **{**spell, "person_id": "p016", "end_date": "2019-12-31"})  # 13
    add(
        "employments",
        **{**spell, "person_id": "p016", "start_date": "2019-12-31", "end_date": "2020-03-31"},
    )  # 14: overlaps 13 on 2019-12-31
    add("employments", **{**spell, "person_id": "p017"})  # 15
    add(
        "employments",
        **{
            **spell,
            "person_id": "p017",
            "start_date": "2019-07-01",
            "end_date": "",
            "end_reason": "",
        },
    )  # 16: adjacent, fine
    add(
        "employments",
        **{
            **spell,
            "person_id": "p018",
            "occupation": "Socialsekreterare",
            "area": "barn",
            "employment_type": "fast",
            "end_reason": "slutat",
        },
    )  # 17
    add(
        "employments",
        **{
            **spell,
            "person_id": "p019",
            "start_date": "2021-02-30",
            "end_date": "",
            "end_reason": "",
        },
    )  # 18
    add("employments", **{**spell, "person_id": ""})  # 19
    add(
        "employments",
        **{**spell, "person_id": "p020", "start_date": "2020-02-29", "end_date": "2020-03-01"},
    )  # 20: leap day, fine
    # point-in-time and period tables
    add("consultants", consultants="-1")  # 5
    add("consultants", consultants="2.5")  # 6
    add("consultants", measured_on="2021-11-01")  # 7: alvsjo ended 2020-06-30
    add("consultant_costs", year="21")  # 6
    add("consultant_costs", year="2021")  # 7: alvsjo not valid in 2021
    add("consultant_costs", cost_sek="1,5")  # 8: decimal comma in a ',' CSV
    add("job_ads", month="2021-13")  # 4
    add("job_ads", month="2020-07")  # 5: alvsjo ended in June
    for _ in range(12):
        add("job_ads", ads="many")  # 6-17
    add("visits", request_id="v1")  # 5: duplicate of row 2
    add("visits", request_id="v9", requested_on="2019-05-10", visit_on="2019-05-01")  # 6
    add("caseload", open_cases="-3", case_workers_fte="0")  # 4
    add("staff_survey", invited="25", respondents="30", value="101", index_id="AMI")  # 4
    add("incidents", incident_id="i9", category="hot och våld")  # 4
    add("reinforcement", assignment_id="a9", staff="0", end_date="")  # 4
    add("managers", managers="0")  # 4
    add("admin_support", administrators_fte="-0.5")  # 4
    add("exit_interviews", interview_id="e7", reasons="lon;okand")  # 4
    add("exit_interviews", interview_id="e8", reasons="")  # 5
    add("exit_interviews", interview_id="e9", reasons="lon; ledarskap")  # 6: fine
    add("focus_areas", area_id="fa4", plan_version="2017")  # 5
    add("focus_status", area_id="okant", status="klart")  # 4
    return t


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    data_dir = write_minimal_delivery(tmp_path_factory.mktemp("broken"), **broken_tables())
    return validation.validate_delivery(data_dir, SUITES)


def find(report, file: str, column: str | None, rule: str) -> Problem:
    found = [p for p in report.problems if p.file == file and p.column == column and rule in p.rule]
    assert len(found) == 1, (
        file,
        column,
        rule,
        [p.format() for p in report.problems if p.file == file],
    )
    return found[0]


# (file, column, words of the rule, rows, one of the values shown)
BROKEN = [
    ("units.csv", "kind", "one of the codes", (5,), "stadsdel"),
    ("units.csv", "region", "one of the codes", (5,), "Innerstaden"),
    (
        "units.csv",
        "valid_to",
        "valid_to must be on or after valid_from",
        (5,),
        "valid_from=2016-01-01, valid_to=2015-12-31",
    ),
    ("units.csv", "unit_id", "only a-z, 0-9 and '-'", (6,), "Östermalm"),
    ("units.csv", "name", "must not be empty", (6,), None),
    ("units.csv", "successor_id", "must exist in column unit_id of units", (6,), "okand-enhet"),
    (
        "units.csv",
        "successor_id",
        "needs valid_to",
        (6, 8),
        "valid_to=2019-12-31, successor_id=hagersten-alvsjo",
    ),
    ("units.csv", "unit_id", "must be unique", (2, 7), "alvsjo"),
    (
        "employments.csv",
        "end_date",
        "end_date must be on or after start_date",
        (7,),
        "start_date=2021-03-01, end_date=2021-02-01",
    ),
    ("employments.csv", "unit_id", "must exist in column unit_id of units", (8,), "okand"),
    (
        "employments.csv",
        "unit_id",
        "valid (valid_from to valid_to in units) on every day",
        (9, 10),
        "unit_id=alvsjo, start_date=2020-01-01, end_date=",
    ),
    (
        "employments.csv",
        "end_reason",
        "exactly when end_date",
        (11, 12),
        "end_date=, end_reason=pension",
    ),
    (
        "employments.csv",
        "start_date",
        "must not overlap",
        (13, 14),
        "person_id=p016, start_date=2019-12-31, end_date=2020-03-31",
    ),
    ("employments.csv", "occupation", "one of the codes", (17,), "Socialsekreterare"),
    ("employments.csv", "area", "one of the codes", (17,), "barn"),
    ("employments.csv", "employment_type", "one of the codes", (17,), "fast"),
    ("employments.csv", "end_reason", "one of the codes", (17,), "slutat"),
    ("employments.csv", "start_date", "must be a date YYYY-MM-DD", (18,), "2021-02-30"),
    ("employments.csv", "person_id", "must not be empty", (19,), None),
    ("consultants.csv", "consultants", "must be at least 0", (5,), "-1"),
    ("consultants.csv", "consultants", "must be a whole number", (6,), "2.5"),
    (
        "consultants.csv",
        "unit_id",
        "unit valid on measured_on",
        (7,),
        "unit_id=alvsjo, measured_on=2021-11-01",
    ),
    ("consultant_costs.csv", "year", "must be a year YYYY", (6,), "21"),
    (
        "consultant_costs.csv",
        "unit_id",
        "at least one day of the year",
        (7,),
        "unit_id=alvsjo, year=2021",
    ),
    ("consultant_costs.csv", "cost_sek", "must be a number", (8,), "1,5"),
    ("job_ads.csv", "month", "must be a month YYYY-MM", (4,), "2021-13"),
    (
        "job_ads.csv",
        "unit_id",
        "at least one day of the month",
        (5,),
        "unit_id=alvsjo, month=2020-07",
    ),
    ("job_ads.csv", "ads", "must be a whole number", tuple(range(6, 16)), "many"),
    ("visits.csv", "request_id", "must be unique", (2, 5), "v1"),
    (
        "visits.csv",
        "visit_on",
        "visit_on must be on or after requested_on",
        (6,),
        "requested_on=2019-05-10, visit_on=2019-05-01",
    ),
    ("caseload.csv", "open_cases", "must be at least 0", (4,), "-3"),
    ("caseload.csv", "case_workers_fte", "must be greater than 0", (4,), "0"),
    (
        "staff_survey.csv",
        "respondents",
        "respondents must not exceed invited",
        (4,),
        "invited=25, respondents=30",
    ),
    ("staff_survey.csv", "value", "must be between 0 and 100", (4,), "101"),
    ("staff_survey.csv", "index_id", "only a-z, 0-9, '_' and '-'", (4,), "AMI"),
    (
        "incidents.csv",
        "category",
        "one of the codes hot, vald, otillaten_paverkan",
        (4,),
        "hot och våld",
    ),
    ("reinforcement.csv", "staff", "must be at least 1", (4,), "0"),
    ("reinforcement.csv", "end_date", "must not be empty", (4,), None),
    ("managers.csv", "managers", "must be at least 1", (4,), "0"),
    ("admin_support.csv", "administrators_fte", "must be at least 0", (4,), "-0.5"),
    ("exit_interviews.csv", "reasons", "one or more of the codes", (4,), "lon;okand"),
    ("exit_interviews.csv", "reasons", "must not be empty", (5,), None),
    ("focus_areas.csv", "plan_version", "one of the codes 2016, 2018, 2019", (5,), "2017"),
    ("focus_status.csv", "area_id", "must exist in column area_id of focus_areas", (4,), "okant"),
    ("focus_status.csv", "status", "one of the codes", (4,), "klart"),
]


@pytest.mark.parametrize(
    ("file", "column", "rule", "rows", "value"),
    BROKEN,
    ids=[f"{b[0]}:{b[1]}:{b[2][:30]}" for b in BROKEN],
)
def test_broken_rule_names_file_column_rows_and_values(broken, file, column, rule, rows, value):
    problem = find(broken, file, column, rule)
    assert problem.rows == rows
    assert problem.severity == "error"
    line = problem.format()
    assert line.startswith(f"{file}: column {column}: rows {rows[0]}")
    if value is None:
        assert "(values:" not in line
    else:
        assert repr(value) in line


def test_broken_delivery_has_no_other_problems(broken):
    expected = {(f, c, r) for f, c, r, _, _ in BROKEN}
    unexpected = [
        p.format()
        for p in broken.problems
        if not any(p.file == f and p.column == c and r in p.rule for f, c, r in expected)
    ]
    assert unexpected == []
    assert not broken.ok and broken.warnings == []


def test_more_than_ten_rows_are_counted(broken):
    problem = find(broken, "job_ads.csv", "ads", "whole number")
    assert problem.n_rows == 12
    assert "rows 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 and 2 more:" in problem.format()


def test_failed_rules_in_the_appendix(broken):
    frame = broken.to_frame()
    row = frame[
        (frame["Tabell"] == "job_ads") & (frame["Kolumn"] == "ads") & (frame["Regel"] == "Heltal")
    ].iloc[0]
    assert (row["Rader kontrollerade"], row["Avvikande rader"], row["Resultat"]) == (
        16,
        12,
        "underkänd",
    )
    overlap = [r for r in broken.results if r.rule_id == "spells_do_not_overlap"]
    assert [(r.failed_rows, r.success) for r in overlap] == [(2, False)]


def test_every_row_rule_is_broken_once():
    broken_rules = [rule for _, _, rule, _, _ in BROKEN]
    for rule in ROW_RULES.values():
        assert sum(words in rule.description for words in broken_rules) == 1, rule.id


def test_gate_raises_with_every_error(broken, monkeypatch):
    monkeypatch.setattr(validation, "validate_delivery", lambda data_dir, suites, **_: broken)
    with pytest.raises(DeliveryError) as raised:
        validation.gate("anywhere", SUITES)
    assert raised.value.problems == broken.problems
    assert str(raised.value).count("\n") == len(broken.errors) - 1


def test_steady_expectations_change_no_result(broken, monkeypatch):
    """GX with its configuration property memoised (validation.steady_expectations)
    reports exactly what plain GX reports, on a delivery breaking every row rule."""
    from great_expectations.expectations.expectation import Expectation

    plain_property = Expectation.__dict__["configuration"]
    monkeypatch.setattr(validation.runner, "steady_expectations", contextlib.nullcontext)
    plain = validation.validate_delivery(broken.raw.data_dir, SUITES)
    assert plain.problems == broken.problems
    assert plain.results == broken.results
    assert Expectation.__dict__["configuration"] is plain_property  # restored after use


def test_format_report(broken):
    lines = validation.format_report(broken).splitlines()
    assert len(lines) == len(broken.problems) + 1
    assert "delivery is invalid" in lines[-1]
    assert f"{len(broken.errors)} error(s)" in lines[-1]


# ---------------------------------------------------------------------------
# Table-level problems: missing tables and columns, warnings


def test_missing_units_is_one_error_without_follow_up_noise(tmp_path):
    report = validation.validate_delivery(write_minimal_delivery(tmp_path, units=None), SUITES)
    assert [p.format() for p in report.problems] == [
        "units.csv: required table units is missing (expected .csv, .xlsx or .parquet)"
    ]
    unchecked = [r for r in report.results if not r.checked]
    assert unchecked and all("units" in r.rule_en or "unit" in r.rule_en for r in unchecked)
    assert all(r.outcome == "underkänd" for r in unchecked)


def test_table_level_problems_and_warnings(tmp_path):
    tables = minimal_tables()
    for row in tables["employments"]:
        del row["end_reason"]
    for row in tables["visits"]:
        row["kommentar"] = "fri text"
    data_dir = write_minimal_delivery(
        tmp_path,
        focus_areas=None,
        job_ads=None,
        **{"employments": tables["employments"], "visits": tables["visits"]},
    )
    report = validation.validate_delivery(data_dir, SUITES)
    assert [p.format() for p in report.errors] == [
        "employments.csv: column end_reason: required column is missing",
        "focus_status.csv: column area_id: rows 2, 3: must exist in column area_id of "
        "focus_areas (values: 'introduktion', 'arbetsbelastning')",
    ]
    assert sorted(p.format() for p in report.warnings) == [
        "warning: focus_areas.csv: optional table focus_areas is absent; its chapter will "
        "say 'uppgift saknas'",
        "warning: job_ads.csv: optional table job_ads is absent; its chapter will say "
        "'uppgift saknas'",
        "warning: visits.csv: column kommentar: column is not in the data contract; ignored",
    ]
    outcomes = {(r.table, r.rule_id): r.outcome for r in report.results}
    assert outcomes[("focus_areas", "file")] == "varning"
    assert outcomes[("visits", "extra_columns")] == "varning"
    assert outcomes[("employments", "required_columns")] == "underkänd"
    assert outcomes[("employments", "end_reason_iff_end_date")] == "underkänd"
    assert outcomes[("employments", "end_after_start")] == "godkänd"
    lines = validation.format_report(report).splitlines()
    assert lines[0].startswith("employments.csv") and lines[2].startswith("warning:")


def test_bad_files_never_raise(tmp_path):
    write_minimal_delivery(tmp_path)
    (tmp_path / "employments.csv").write_bytes(b"\x00\x01binary" * 50)
    (tmp_path / "visits.csv").write_bytes(b"")
    (tmp_path / "job_ads.csv").write_text("month,unit_id,occupation,ads\n")
    (tmp_path / "caseload.csv").write_bytes(b"month,unit_id\n\x81\x8d\n")
    (tmp_path / "incidents.xlsx").write_bytes((tmp_path / "units.csv").read_bytes())
    (tmp_path / "managers.csv").write_bytes(b"PK\x03\x04...")
    (tmp_path / "reinforcement.csv").write_text(
        "assignment_id,team,unit_id,start_date,end_date,staff\na1,T,alvsjo,2019-01-01,"
        "2019-02-01,1,9\n"
    )
    report = validation.validate_delivery(tmp_path, SUITES)
    lines = [p.format() for p in report.problems]
    assert (
        "employments.csv: rows 1: file contains NUL bytes: it is binary or damaged, not "
        "a CSV text file"
    ) in lines
    assert "visits.csv: file is empty" in lines
    assert "warning: job_ads.csv: file has a header but no data rows" in lines
    assert any(line.startswith("caseload.csv: cannot decode file") for line in lines)
    assert any(
        line.startswith("incidents.csv: table incidents is delivered twice") for line in lines
    )
    assert any(line.startswith("managers.csv: file is a zip/XLSX workbook") for line in lines)
    assert any(line.startswith("reinforcement.csv: rows 2: row has more cells") for line in lines)
    assert not report.ok
    # The readable tables were still checked, and found valid.
    assert all(r.success for r in report.results if r.table == "units")


def test_missing_folder_is_a_problem(tmp_path):
    report = validation.validate_delivery(tmp_path / "nowhere", SUITES)
    assert not report.ok
    assert report.problems[0].rule == "delivery folder does not exist"


def test_great_expectations_is_imported_lazily():
    code = (
        "import sys, uppfoljning.validation, uppfoljning.loading; "
        "print('great_expectations' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(validation.__file__).parents[2])}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------------------
# Pure helpers


def test_spells_do_not_overlap():
    keys = pd.DataFrame({"person_id": ["a", "a", "b", "a", None, "b"]})
    inf = float("inf")
    start = pd.Series([10, 20, 10, 31, 15, 40], dtype="float64").to_numpy()
    end = pd.Series([19, 30, inf, inf, 16, 41], dtype="float64").to_numpy()
    # a: 10-19, 20-30, 31- (adjacent: fine); b: 10-open overlaps 40-41.
    assert validation.spells_do_not_overlap(keys, start, end).tolist() == [
        True,
        True,
        False,
        True,
        True,
        False,
    ]


def test_units_valid_every_day_or_some_day():
    units = pd.DataFrame(
        {"unit_id": ["a"], "valid_from": ["2020-01-01"], "valid_to": ["2020-06-30"]}
    )
    periods = validation.UnitPeriods.from_units(units)
    ids = pd.Series(["a", "a", "x"])
    first, _ = validation.parse_time_bounds(
        pd.Series(["2020-06-01", "2020-06-01", "2020-06-01"]), "date"
    )
    last, _ = validation.parse_time_bounds(
        pd.Series(["2020-06-30", "2020-07-01", "2030-01-01"]), "date"
    )
    assert validation.units_valid(periods, ids, first, last, True).tolist() == [True, False, True]
    assert validation.units_valid(periods, ids, first, last, False).tolist() == [True, True, True]


def test_date_pattern_knows_the_calendar():
    values = pd.Series(
        [
            "2020-02-29",
            "2021-02-29",
            "2000-02-29",
            "1900-02-29",
            "2021-04-31",
            "2021-12-31",
            "2021-1-05",
            "2021-01-05 00:00",
        ]
    )
    first, _ = validation.parse_time_bounds(values, "date")
    assert (~pd.isna(first)).tolist() == [True, False, True, False, False, True, False, False]


def test_codes_pattern():
    import re

    pattern = re.compile(validation.codes_pattern(["lon", "ledarskap"]))
    assert pattern.search("lon") and pattern.search("lon;ledarskap")
    assert pattern.search("lon ; ledarskap")
    assert not pattern.search("lon;") and not pattern.search("lonx") and not pattern.search("")
