"""A gate no byte can crash (issue 18, point 2): reader errors, spreadsheet error values
and formula-like text each become one line naming the file (and column and rows where
there are any); delivered text that reaches a download can't run as a formula."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from support.deliveries import minimal_tables, write_minimal_delivery
from uppfoljning import charts, formatting, loading, validation
from uppfoljning.cli import main
from uppfoljning.contract import STR, TABLES
from uppfoljning.errors import MAX_QUOTED_CHARS, Problem
from uppfoljning.project import Project

ROOT = Path(__file__).resolve().parents[1]
SUITES = Project.at(ROOT).load_suites().inputs  # the reviewed validation/*.json


def problem_lines(delivery: Path) -> list[str]:
    return [p.format() for p in validation.validate_delivery(delivery, SUITES).errors]


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))


# ---------------------------------------------------------------------------
# Reader errors


def test_a_200000_character_cell_is_one_line_naming_file_column_and_row(
    tmp_path, capsys, in_project
):
    rows = minimal_tables()["focus_areas"]
    rows[1]["name"] = "x" * 200_000
    delivery = write_minimal_delivery(tmp_path / "d", focus_areas=rows)
    assert main(["validate", "--data", str(delivery)]) == 1
    err = capsys.readouterr().err
    assert (
        "focus_areas.csv: column name: rows 3: cell is longer than 131072 characters "
        "(200000); check for an unclosed quote"
    ) in err.splitlines()
    assert "Traceback" not in err


def test_a_long_cell_in_a_ragged_file_does_not_crash_the_row_count(tmp_path):
    """Python's csv module (used to name ragged rows) stops at 131072 characters."""
    delivery = write_minimal_delivery(tmp_path / "d")
    path = delivery / "focus_areas.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",", "," + "y" * 200_000 + ",", 1)  # one cell too many
    write_lines(path, lines)
    assert (
        "focus_areas.csv: rows 2: row has more cells than the header (up to 4); check "
        "delimiters and quotes"
    ) in problem_lines(delivery)


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
    assert (
        "units.csv: rows 3: file contains NUL bytes: it is binary or damaged, not a CSV text file"
    ) in lines
    assert (
        "incidents.csv: rows 3002: file contains NUL bytes: it is binary or damaged, not "
        "a CSV text file"
    ) in lines


def test_an_unclosed_quote_names_the_row_it_opens(tmp_path):
    delivery = write_minimal_delivery(tmp_path / "d")
    path = delivery / "focus_areas.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",", ',"', 1)
    write_lines(path, lines)
    assert (
        "focus_areas.csv: rows 3: a quoted cell is never closed: a '\"' opens a cell "
        "that runs to the end of the file"
    ) in problem_lines(delivery)


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
    assert lines == [
        "visits.csv: cannot read file: ValueError: something no one foresaw second line"
    ]


def test_the_console_shows_no_traceback_for_a_huge_unclosed_cell(tmp_path):
    delivery = write_minimal_delivery(tmp_path / "d")
    (delivery / "units.csv").write_bytes(
        (delivery / "units.csv").read_bytes() + b'x,"' + b"z" * 300_000 + b"\r\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "uppfoljning.cli", "validate", "--data", str(delivery)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
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
        f"(values: {value!r})"
    ]


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
    assert line.startswith(
        "units.csv: column name: rows 4: must not start like a "
        "spreadsheet formula (=, +, -, @, tab, carriage return)"
    )


def test_formula_rule_covers_names_and_ids_but_not_free_text():
    covered = {
        (t, c.name)
        for t, spec in TABLES.items()
        for c in spec.columns
        if any(
            e["meta"]["rule_id"] == f"{c.name}.no_formula"
            for e in validation.suite_document(spec)["expectations"]
        )
    }
    text_columns = {
        (t, c.name) for t, spec in TABLES.items() for c in spec.columns if c.kind == STR
    }
    assert covered == text_columns - {("exit_interviews", "comment"), ("focus_status", "note")}
    assert ("units", "name") in covered and ("focus_areas", "name") in covered


def test_free_text_may_start_like_a_formula(tmp_path):
    rows = minimal_tables()["focus_status"]
    rows[0]["note"] = "-Arbetet har startat"
    delivery = write_minimal_delivery(tmp_path / "d", focus_status=rows)
    assert problem_lines(delivery) == []


# ---------------------------------------------------------------------------
# Downloads


@pytest.mark.parametrize(
    "text, safe",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+46 8 123", "'+46 8 123"),
        ("-Bromma", "'-Bromma"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Bromma", "Bromma"),
        ("a=b", "a=b"),
        ("", ""),
        (-3.5, -3.5),
        (None, None),
    ],
)
def test_spreadsheet_safe(text, safe):
    assert formatting.spreadsheet_safe(text) == safe


def test_chart_download_neutralises_text_but_not_negative_numbers():
    spec = {
        "data": {
            "values": [
                {"unit_name": '=HYPERLINK("http://x","Bromma")', "year": 2024, "change": -0.5},
                {"unit_name": "Bromma", "year": 2023, "change": 0.25},
            ]
        }
    }
    lines = charts.spec_to_csv(spec).splitlines()
    # for Swedish Excel: ';' between fields, decimal comma (the text is quoted for its '"')
    assert lines[0] == "unit_name;year;change"
    assert lines[1] == '"\'=HYPERLINK(""http://x"",""Bromma"")";2024;-0,5'
    assert lines[2] == "Bromma;2023;0,25"


def test_published_table_neutralises_delivered_names():
    from uppfoljning.build import published_table_text
    from uppfoljning.indicators import PUBLISHED_COLUMNS

    table = pd.DataFrame(
        [[2024, 2024, "bromma", "@Bromma", "alla", "headcount", -1.0, False]],
        columns=PUBLISHED_COLUMNS,
    )
    assert published_table_text(table).splitlines()[1] == (
        "2024,2024,bromma,'@Bromma,alla,headcount,-1,false"
    )
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
        "(values: '#REF!')"
    ]


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
    assert any(
        line.startswith("employments.xlsx: column end_date: rows 2: must be a date")
        and "'#N/A'" in line
        for line in lines
    ), lines


# ---------------------------------------------------------------------------
# Text that reaches a reader is one line of plain text (issue 26, point 2)

RULES = {
    e["meta"]["rule_id"].split(".", 1)[1]: e["meta"]["rule_en"]  # by rule, e.g. one_line
    for e in SUITES["units"]["expectations"]
    if e["meta"]["column"] == "name"
}
LINE, MARKUP, SEPARATOR = "one_line", "no_markup", "no_formula_after_separator"

# payload -> the rules it breaks (and no other)
PAYLOADS = {
    "Has {{ lipsum.__globals__['os'].popen('id > /tmp/x').read() }}": {MARKUP},
    "Kun<script>alert(9)</script>": {MARKUP},
    "Bro<img src=x onerror=alert(2)>": {MARKUP},
    "Namn\n```{literalinclude} /etc/passwd\n```": {LINE, MARKUP},
    "Namn\n:::{include} /etc/hostname\n:::": {LINE},
    "{% for x in range(9) %}x{% endfor %}": {MARKUP},
    "Norr {# kommentar #}": {MARKUP},
    "Se {download}`fil`": {MARKUP},
    "Bro\u2028mma": {LINE},
    "Bro\u2029mma": {LINE},
    "Bro\u0085mma": {LINE},
    "Bro\tmma": {LINE},
    "\u202eammorB": {LINE},
    "Nor;=1+1;x": {SEPARATOR},
    "Nor,=1+1": {SEPARATOR},
    "Nor;-2+3": {SEPARATOR},
    "Nor;@SUM(1)": {SEPARATOR},
}
# Text that looks odd but is none of these: it passes and is shown as text.
HARMLESS = [
    "Hägersten-Älvsjö",
    "Kultur & fritid",
    "Barn och unga (0–17 år)",
    'Citat "så här"',
    "50 %; 2 av 4 klara",
    "e-post: namn@exempel.se",
    "a = b",
    "Plan 2019–2021, del 2",
    "O'Brien",
    "{inte en mall}",
    "Pågår, se plan 1+1",
    "Kostar 500,- kr",
    "Färre ärenden, -3 jämfört med 2023",
    "Nor, +1+1",
]


def _with_payloads(values: list[str]) -> dict[str, list[dict[str, str]]]:
    """The minimal tables with one extra row per value in each free-text column that
    reaches a reader (unit names, focus-area names, notes, team names); the value of
    row R is ``values[R - FIRST]`` where FIRST is the table's first added row."""
    tables = minimal_tables()
    unit, area, status, team = (
        tables[t][0] for t in ("units", "focus_areas", "focus_status", "reinforcement")
    )
    for n, value in enumerate(values):
        tables["units"].append(
            {**unit, "unit_id": f"enhet-{n}", "name": value, "valid_to": "", "successor_id": ""}
        )
        tables["focus_areas"].append({**area, "area_id": f"omrade-{n}", "name": value})
        tables["focus_status"].append({**status, "note": value})
        tables["reinforcement"].append({**team, "assignment_id": f"x{n}", "team": value})
    return tables


HOSTILE_COLUMNS = [
    ("units", "name"),
    ("focus_areas", "name"),
    ("focus_status", "note"),
    ("reinforcement", "team"),
]


@pytest.fixture(scope="module", params=["csv", "xlsx"])
def hostile_report(request, tmp_path_factory):
    """The payloads delivered as CSV and as a workbook: (report, first added row by
    table, file suffix)."""
    tables = _with_payloads(list(PAYLOADS))
    delivery = write_minimal_delivery(
        tmp_path_factory.mktemp("hostile") / "d", fmt=request.param, **tables
    )
    return (
        validation.validate_delivery(delivery, SUITES),
        {t: len(minimal_tables()[t]) + 2 for t, _ in HOSTILE_COLUMNS},
        request.param,
    )


@pytest.mark.parametrize("table, column", HOSTILE_COLUMNS)
def test_every_payload_is_refused_with_file_column_and_row(hostile_report, table, column):
    report, first, suffix = hostile_report
    found: dict[int, set[str]] = {}
    for problem in report.errors:
        if (problem.file, problem.column) == (f"{table}.{suffix}", column):
            rule = next(r for r, text in RULES.items() if text == problem.rule)
            for row in problem.rows:
                found.setdefault(row, set()).add(rule)
    expected = {first[table] + n: rules for n, rules in enumerate(PAYLOADS.values())}
    assert found == expected


def test_a_refused_payload_is_one_line_in_the_projects_format(hostile_report):
    report, first, suffix = hostile_report
    lines = [p.format() for p in report.errors]
    row = first["units"] + list(PAYLOADS).index("Nor;=1+1;x")
    rows = [first["units"] + n for n, rules in enumerate(PAYLOADS.values()) if SEPARATOR in rules]
    assert row in rows
    assert (
        f"units.{suffix}: column name: rows {', '.join(map(str, rows))}: "
        f"{RULES[SEPARATOR]} (values: 'Nor;=1+1;x', 'Nor,=1+1', 'Nor;-2+3', "
        "'Nor;@SUM(1)')"
    ) in lines
    assert all("\n" not in line and "\u2028" not in line for line in lines)
    assert not [
        p for p in report.errors if p.file not in {f"{t}.{suffix}" for t, _ in HOSTILE_COLUMNS}
    ]


def test_harmless_text_that_looks_odd_passes(tmp_path):
    delivery = write_minimal_delivery(tmp_path / "d", **_with_payloads(HARMLESS))
    assert problem_lines(delivery) == []


def test_a_leading_formula_in_a_note_is_left_to_the_writers():
    """Free text may start with '-' (written with a leading apostrophe in downloads);
    after a separator nothing would neutralise it, so that is refused everywhere."""
    from uppfoljning.validation.suites import SEPARATOR_FORMULA_PATTERN

    assert formatting.spreadsheet_safe("-Arbetet pågår") == "'-Arbetet pågår"
    assert formatting.spreadsheet_safe("Nor;=1+1") == "Nor;=1+1"
    assert re.search(SEPARATOR_FORMULA_PATTERN, "Nor;=1+1")


def test_plain_text_rules_cover_every_published_text_column():
    """Names, notes, team names and ids; never person-level text (never published)."""
    covered = {}
    for table, spec in TABLES.items():
        for e in validation.suite_document(spec)["expectations"]:
            rule = e["meta"]["rule_id"].split(".", 1)[-1]
            if rule in (LINE, MARKUP, SEPARATOR):
                covered.setdefault((table, e["meta"]["column"]), set()).add(rule)
    text_columns = {
        (t, c.name) for t, spec in TABLES.items() for c in spec.columns if c.kind == STR
    }
    assert set(covered) == text_columns - {
        ("exit_interviews", "comment"),
        ("employments", "person_id"),
        ("exit_interviews", "person_id"),
    }
    assert all(rules == {LINE, MARKUP, SEPARATOR} for rules in covered.values())
    assert {
        ("units", "name"),
        ("focus_areas", "name"),
        ("focus_status", "note"),
        ("reinforcement", "team"),
    } <= set(covered)


def test_the_reviewed_suites_hold_the_plain_text_rules():
    """The gate runs validation/*.json: the rules must be there, not only generated."""
    for table, column in HOSTILE_COLUMNS:
        ids = {e["meta"]["rule_id"] for e in SUITES[table]["expectations"]}
        assert {f"{column}.{rule}" for rule in (LINE, MARKUP, SEPARATOR)} <= ids


def test_an_error_line_quotes_a_long_value_cut_short(tmp_path):
    rows = minimal_tables()["focus_status"]
    rows[0]["note"] = "<" + "x" * 30_000
    delivery = write_minimal_delivery(tmp_path / "d", focus_status=rows)
    (line,) = problem_lines(delivery)
    assert line == (
        f"focus_status.csv: column note: rows 2: {RULES[MARKUP]} "
        f"(values: '<{'x' * (MAX_QUOTED_CHARS - 1)}…')"
    )


def test_problem_lines_cut_long_values_and_column_names():
    problem = Problem(
        "a.csv", "rule", column="k\n" + "c" * 1000, rows=(2,), values=("v" * 30_000, "kort")
    )
    line = problem.format()
    assert line == (
        f"a.csv: column k\\n{'c' * (MAX_QUOTED_CHARS - 2)}…: rows 2: rule "
        f"(values: '{'v' * MAX_QUOTED_CHARS}…', 'kort')"
    )


# ---------------------------------------------------------------------------
# Bounded reading (issue 26, point 3)


def rewrite_zip(path: Path, change) -> Path:
    """Rewrite a workbook, each part through ``change(name, data) -> data``."""
    with zipfile.ZipFile(path) as source:
        parts = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            target.writestr(name, change(name, data))
    return path


def declare_dimension(ref: str):
    def change(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        changed = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
        assert changed != data
        return changed

    return change


def pad_sheet(size: int):
    """A sheet made large (``size`` bytes unpacked) with blanks between its rows."""

    def change(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        return data.replace(b"<sheetData>", b"<sheetData>" + b" " * size, 1)

    return change


@pytest.fixture(scope="module")
def oversized_run(tmp_path_factory):
    """``uppfoljning validate`` in a fresh Python limited to 2 GiB of address space, on a
    delivery with one oversized file of each kind."""
    root = tmp_path_factory.mktemp("oversized")
    xlsx = write_minimal_delivery(root / "xlsx", fmt="xlsx")
    delivery = write_minimal_delivery(
        root / "d", visits=None, caseload=None, job_ads=None, managers=None
    )
    huge = rewrite_zip(
        Path(shutil.copy(xlsx / "visits.xlsx", delivery)), declare_dimension("A1:XFD1048576")
    )
    bomb = rewrite_zip(Path(shutil.copy(xlsx / "caseload.xlsx", delivery)), pad_sheet(64 << 20))
    header = ",".join(
        ["month", "unit_id", "occupation", "ads"] + [f"extra_{n}" for n in range(100_000)]
    )
    (delivery / "job_ads.csv").write_text(
        header + "\r\n" + "2019-05,alvsjo,socialsekreterare,3" + ",x" * 100_000 + "\r\n",
        encoding="utf-8",
    )
    (delivery / "managers.csv").symlink_to(root / "nowhere.csv")
    code = (
        "import resource, sys\n"
        "hard = resource.getrlimit(resource.RLIMIT_AS)[1]\n"
        "limit = 2 << 30 if hard == resource.RLIM_INFINITY else min(2 << 30, hard)\n"
        "resource.setrlimit(resource.RLIMIT_AS, (limit, hard))\n"
        "from uppfoljning.cli import main\n"
        f"sys.exit(main(['validate', '--data', {str(delivery)!r}]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    return done, huge, bomb


def test_declared_huge_workbook_is_refused_in_one_line(oversized_run):
    done, huge, _ = oversized_run
    assert huge.stat().st_size < 8_000
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("visits.xlsx")]
    assert lines == [
        "visits.xlsx: first sheet declares 16384 columns; a visits file may have "
        "at most 105 (the contract's 5 and 100 others)"
    ]


def test_a_zip_bomb_workbook_is_refused_in_one_line(oversized_run):
    done, _, bomb = oversized_run
    assert bomb.stat().st_size < 1 << 20
    lines = [line for line in done.stderr.splitlines() if line.startswith("caseload.xlsx")]
    assert len(lines) == 1
    assert lines[0].startswith("caseload.xlsx: workbook part xl/worksheets/sheet1.xml unpacks ")
    assert lines[0].endswith(
        "a workbook's parts may be compressed at most 100 to 1 (is it a zip bomb?)"
    )


def test_a_csv_with_100000_extra_columns_is_refused_in_one_line(oversized_run):
    done, _, _ = oversized_run
    lines = [line for line in done.stderr.splitlines() if "job_ads.csv" in line]
    assert lines == [
        "job_ads.csv: header has 100004 columns; a job_ads file may have at "
        "most 104 (the contract's 4 and 100 others)"
    ]


def test_a_dangling_symlink_table_is_an_error_not_absent(oversized_run):
    done, _, _ = oversized_run
    lines = [line for line in done.stderr.splitlines() if "managers.csv" in line]
    assert lines == [
        f"managers.csv: is a symbolic link to {oversized_run[1].parents[1]}/"
        "nowhere.csv, which leads to no file (No such file or directory)"
    ]


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    delivery = write_minimal_delivery(tmp_path / "d", fmt="xlsx")
    unpacked = sum(i.file_size for i in zipfile.ZipFile(delivery / "units.xlsx").infolist())
    monkeypatch.setattr(loading, "MAX_UNPACKED_BYTES", unpacked - 1)
    raw = loading.read_delivery(delivery)
    lines = [p.format() for p in raw.problems if p.file == "units.xlsx"]
    assert lines == [
        f"units.xlsx: workbook unpacks to {unpacked} bytes; a workbook may "
        f"unpack to at most {unpacked - 1} bytes"
    ]


def test_too_many_sheets_are_refused(tmp_path, monkeypatch):
    from openpyxl import load_workbook

    delivery = write_minimal_delivery(tmp_path / "d", fmt="xlsx")
    book = load_workbook(delivery / "managers.xlsx")
    for n in range(3):
        book.create_sheet(f"blad {n}")
    book.save(delivery / "managers.xlsx")
    monkeypatch.setattr(loading, "MAX_SHEETS", 3)
    raw = loading.read_delivery(delivery)
    assert [p.format() for p in raw.problems] == [
        "managers.xlsx: workbook has 4 sheets; a workbook may have at most 3 (only the first "
        "is read)"
    ]


def test_a_sheet_that_declares_too_little_is_read_whole(tmp_path):
    """openpyxl would cut the rows and columns to the declared size; the reader reads
    what the sheet holds (within the limits)."""
    honest = write_minimal_delivery(tmp_path / "honest", fmt="xlsx")
    lying = write_minimal_delivery(tmp_path / "lying", fmt="xlsx")
    rewrite_zip(lying / "visits.xlsx", declare_dimension("A1:B2"))
    frames = [loading.read_delivery(d).frames["visits"] for d in (honest, lying)]
    assert len(frames[0]) == len(minimal_tables()["visits"])
    pd.testing.assert_frame_equal(frames[1], frames[0])


def test_a_row_wider_than_the_table_may_be_is_refused_while_reading(tmp_path):
    """The sheet declares five columns and holds a row of 300 (cells past the 106th are
    not even read)."""
    from openpyxl import load_workbook

    delivery = write_minimal_delivery(tmp_path / "d", fmt="xlsx")
    path = delivery / "visits.xlsx"
    book = load_workbook(path)
    for column in range(6, 301):
        book.active.cell(row=3, column=column, value="x")
    book.save(path)
    rewrite_zip(path, declare_dimension("A1:E4"))
    raw = loading.read_delivery(delivery)
    assert [p.format() for p in raw.problems] == [
        "visits.xlsx: row 3 has at least 106 columns; a visits file may have at most 105 "
        "(the contract's 5 and 100 others)"
    ]


def test_a_sheet_holding_more_cells_than_it_declares_is_capped_while_reading(tmp_path, monkeypatch):
    delivery = write_minimal_delivery(tmp_path / "d", fmt="xlsx")
    rewrite_zip(delivery / "visits.xlsx", declare_dimension("A1:B2"))
    monkeypatch.setattr(loading, "SHEET_MAX_CELLS", 10)
    raw = loading.read_delivery(delivery)
    assert [p.format() for p in raw.problems if p.file == "visits.xlsx"] == [
        "visits.xlsx: first sheet has 15 cells (3 rows of 5 columns); a sheet may have at most 10"
    ]


def test_a_sheet_that_declares_too_many_rows_is_refused(tmp_path):
    delivery = write_minimal_delivery(tmp_path / "d", fmt="xlsx")
    rewrite_zip(delivery / "visits.xlsx", declare_dimension("A1:E99999999"))
    raw = loading.read_delivery(delivery)
    assert [p.format() for p in raw.problems] == [
        "visits.xlsx: first sheet declares 99999999 rows; a sheet has at most 1048576"
    ]


def test_a_wide_parquet_file_is_refused_from_its_metadata(tmp_path):
    delivery = write_minimal_delivery(tmp_path / "d", fmt="parquet")
    frame = pd.read_parquet(delivery / "managers.parquet")
    for n in range(110):
        frame[f"extra_{n}"] = "x"
    frame.to_parquet(delivery / "managers.parquet", index=False)
    raw = loading.read_delivery(delivery)
    assert [p.format() for p in raw.problems] == [
        "managers.parquet: file has 113 columns; a managers file may have at most 103 (the "
        "contract's 3 and 100 others)"
    ]


def test_a_parquet_file_that_unpacks_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    delivery = write_minimal_delivery(tmp_path / "d", fmt="parquet")
    metadata = pq.ParquetFile(delivery / "units.parquet").metadata
    unpacked = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    monkeypatch.setattr(loading, "MAX_UNPACKED_BYTES", unpacked - 1)
    raw = loading.read_delivery(delivery)
    assert [p.format() for p in raw.problems if p.file == "units.parquet"] == [
        f"units.parquet: file unpacks to {unpacked} bytes; a Parquet file may unpack to at "
        f"most {unpacked - 1} bytes"
    ]


def test_extra_columns_are_one_warning_per_table(tmp_path):
    rows = minimal_tables()["visits"]
    for row in rows:
        row.update({f"extra_{n}": "x" for n in range(30)})
    delivery = write_minimal_delivery(tmp_path / "d", visits=rows)
    raw = loading.read_delivery(delivery)
    assert [p.format() for p in raw.problems] == [
        "warning: visits.csv: 30 columns are not in the data contract; ignored: extra_0, "
        "extra_1, extra_2, extra_3, extra_4 and 25 more"
    ]
    assert len(raw.extra_columns["visits"]) == 30


def test_sizes_name_whole_gib():
    assert loading.size_text(loading.MAX_FILE_BYTES) == "1073741824 bytes (1 GiB)"
    assert loading.size_text(1000) == "1000 bytes"


def test_a_file_larger_than_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    delivery = write_minimal_delivery(tmp_path / "d")
    size = (delivery / "units.csv").stat().st_size
    monkeypatch.setattr(loading, "MAX_FILE_BYTES", size - 1)
    read_bytes = Path.read_bytes
    monkeypatch.setattr(
        Path,
        "read_bytes",
        lambda self: pytest.fail(f"read {self}") if self.name == "units.csv" else read_bytes(self),
    )
    raw = loading.read_delivery(delivery)
    units = [p.format() for p in raw.problems if p.file == "units.csv"]
    assert units == [
        f"units.csv: file is {size} bytes; a delivered file may be at most {size - 1} bytes"
    ]


def test_more_rows_than_a_table_may_have_are_refused(tmp_path, monkeypatch):
    delivery = write_minimal_delivery(tmp_path / "d")
    monkeypatch.setattr(loading, "MAX_DATA_ROWS", 2)
    raw = loading.read_delivery(delivery)
    lines = [p.format() for p in raw.problems if p.file == "units.csv"]
    assert lines == ["units.csv: file has 3 data rows; a table may have at most 2"]


# ---------------------------------------------------------------------------
# A table that is not a regular file (issue 26, point 4)


@pytest.mark.parametrize(
    "make, says",
    [
        (lambda p, root: p.mkdir(), "is a folder, not a regular file; deliver the table as a file"),
        (
            lambda p, root: os.mkfifo(p),
            "is a named pipe (FIFO), not a regular file; deliver the table as a file",
        ),
        (
            lambda p, root: p.symlink_to("/dev/zero"),
            "is a device (a symbolic link to /dev/zero), not a regular file; deliver the table as "
            "a file",
        ),
        (
            lambda p, root: p.symlink_to(p.name),
            "is a symbolic link to focus_areas.csv, which leads to no file (Too many levels of "
            "symbolic links)",
        ),
    ],
)
def test_a_table_that_is_not_a_regular_file_is_an_error(tmp_path, make, says):
    delivery = write_minimal_delivery(tmp_path / "d", focus_areas=None)
    make(delivery / "focus_areas.csv", tmp_path)
    raw = loading.read_delivery(delivery)
    assert [p.format() for p in raw.problems if p.file == "focus_areas.csv"] == [
        f"focus_areas.csv: {says}"
    ]
    assert raw.has_error("focus_areas")
