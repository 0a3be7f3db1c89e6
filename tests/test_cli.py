"""The command line as cli.md specifies it: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from support.deliveries import minimal_tables, write_minimal_delivery
from support.projects import copy_inputs
from uppfoljning.cli import main
from uppfoljning.config import ReportConfig
from uppfoljning.formatting import round_published
from uppfoljning.indicators import (
    PUBLISHED_COLUMNS,
    compute_indicators,
    compute_pattern_with_internal,
)
from uppfoljning.loading import load_delivery

ROOT = Path(__file__).resolve().parents[1]
# The CLI finds its project from the working folder: every test starts in the project's
# root, wherever pytest was started (a test may chdir elsewhere itself).
pytestmark = pytest.mark.usefixtures("in_project")


def test_validate_good_delivery_exits_0(tmp_path, capsys):
    delivery = write_minimal_delivery(tmp_path / "d")
    assert main(["validate", "--data", str(delivery)]) == 0


def test_validate_bad_delivery_names_file_column_rows_and_exits_1(tmp_path, capsys):
    rows = minimal_tables()["employments"]
    rows[2]["occupation"] = "socionom"
    delivery = write_minimal_delivery(tmp_path / "d", employments=rows)
    assert main(["validate", "--data", str(delivery)]) == 1
    err = capsys.readouterr().err
    # header = row 1, so the third data row is spreadsheet row 4
    assert "employments.csv: column occupation: rows 4:" in err
    assert "'socionom'" in err
    assert "Traceback" not in err


def test_indicators_prints_the_published_table(tmp_path, capsys):
    delivery = write_minimal_delivery(tmp_path / "d")
    assert main(["indicators", "--data", str(delivery), "--year", "2021"]) == 0
    out = capsys.readouterr().out
    printed = pd.read_csv(
        io.StringIO(out), dtype={"value": float}, keep_default_na=False, na_values={"value": [""]}
    )
    assert printed.columns.tolist() == PUBLISHED_COLUMNS
    expected = compute_indicators(load_delivery(delivery), 2021, ReportConfig())
    assert len(printed) == len(expected)
    assert {line.rsplit(",", 1)[1] for line in out.splitlines()[1:]} <= {"true", "false"}


def test_indicators_default_year_is_the_last_complete_year(tmp_path, capsys):
    delivery = write_minimal_delivery(tmp_path / "d")  # data run to 2021-12-31
    assert main(["indicators", "--data", str(delivery)]) == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert set(out["edition"]) == {2021}


def test_indicators_to_file(tmp_path, capsys):
    delivery = write_minimal_delivery(tmp_path / "d")
    target = tmp_path / "out" / "indikatorer.csv"
    assert main(["indicators", "--data", str(delivery), "--out", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith(",".join(PUBLISHED_COLUMNS))


@pytest.mark.parametrize(
    "argv",
    [
        ["indicators", "--year", "1990"],
        ["run", "--unit", "no-such-unit", "--year", "2021"],
        ["build", "--jobs", "0"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(tmp_path, capsys, argv):
    delivery = write_minimal_delivery(tmp_path / "d")
    with_data = [*argv, "--data", str(delivery)] if argv[0] != "frobnicate" else argv
    try:
        code = main(with_data)
    except SystemExit as exc:  # argparse errors
        code = exc.code
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_missing_folder_is_one_line_exit_1(tmp_path, capsys):
    assert main(["validate", "--data", str(tmp_path / "nowhere")]) == 1
    assert "nowhere" in capsys.readouterr().err


def test_binary_file_from_the_console_has_no_traceback(tmp_path):
    delivery = write_minimal_delivery(tmp_path / "d")
    (delivery / "units.csv").write_bytes(bytes(range(256)) * 8)
    done = subprocess.run(
        [sys.executable, "-m", "uppfoljning.cli", "indicators", "--data", str(delivery)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 1
    assert "units.csv" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_outside_a_project_is_a_usage_error(tmp_path, monkeypatch, capsys):
    delivery = write_minimal_delivery(tmp_path / "d")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--data", str(delivery)]) == 2
    assert capsys.readouterr().err == (
        f"uppfoljning: cannot find the project folder (with _config.yml and notebooks/) in "
        f"{tmp_path.resolve()} or above it; run uppfoljning from inside it\n"
    )


@pytest.mark.parametrize("command", ["validate", "indicators"])
def test_a_missing_suite_is_a_usage_error_naming_the_file(tmp_path, monkeypatch, capsys, command):
    """The gate runs the reviewed suites of the project it is run in, and only those: no
    suites generated from code in their place, and no traceback."""
    project = copy_inputs(tmp_path / "project", ("_config.yml", "notebooks", "validation"))
    (project / "validation" / "units.json").unlink()
    delivery = write_minimal_delivery(tmp_path / "d")
    monkeypatch.chdir(project / "notebooks")  # found from a subfolder too
    assert main([command, "--data", str(delivery)]) == 2
    captured = capsys.readouterr()
    missing = (project / "validation" / "units.json").resolve()
    assert captured.err == f"uppfoljning: {missing}: validation suite missing\n"
    assert captured.out == ""


def test_demo_data_is_deterministic(tmp_path, capsys):
    assert main(["demo-data", "--out", str(tmp_path / "a"), "--seed", "7"]) == 0
    assert main(["demo-data", "--out", str(tmp_path / "b"), "--seed", "7"]) == 0
    for path in sorted((tmp_path / "a").glob("*.csv")):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


@pytest.mark.parametrize("command", ["build", "indicators", "run"])
def test_an_edition_after_the_data_is_refused_in_one_line(tmp_path, capsys, command):
    """The minimal delivery's data end on 2021-12-31 (issue 18): no 2022 edition, and
    nothing is built or computed for it."""
    delivery = write_minimal_delivery(tmp_path / "d")
    argv = [command, "--data", str(delivery), "--year", "2022"]
    if command == "build":
        argv += ["--out", str(tmp_path / "site")]
    if command == "run":
        argv += ["--unit", "socialforvaltningen"]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        "uppfoljning: --year 2022 is outside the editions this delivery "
        "supports (2017-2021): its data end on 2021-12-31, so 2021 is "
        "its last complete year\n"
    )
    assert captured.out == ""
    assert not (tmp_path / "site").exists()


def test_no_dated_rows_report_the_delivery_problems_first(tmp_path, capsys):
    """Without a readable date the edition can't be told; the gate says why (exit 1),
    rather than a usage error hiding the delivery's problems."""
    from uppfoljning.contract import TABLES

    rows = minimal_tables()["employments"]
    for row in rows:
        row["start_date"] = "01/03/2018"
    absent = {t: None for t in TABLES if t not in ("units", "employments")}
    delivery = write_minimal_delivery(tmp_path / "d", employments=rows, **absent)
    assert main(["build", "--data", str(delivery), "--out", str(tmp_path / "s")]) == 1
    err = capsys.readouterr().err
    assert "consultants.csv: required table consultants is missing" in err
    assert "employments.csv: column start_date: rows 2, 3, 4, 5, 6: must be a date" in err
    assert "Traceback" not in err


def test_audit_passes_the_builds_pattern_and_names_a_leak(tmp_path, capsys):
    demo = ROOT / "data" / "demo"
    # one build: the published table, and the true figures behind it (never published)
    results, _summary, truth = compute_pattern_with_internal(
        load_delivery(demo), 2024, ReportConfig()
    )
    table = results[PUBLISHED_COLUMNS].reset_index(drop=True)
    from uppfoljning.indicators import to_csv_text

    site = tmp_path / "site"
    (site / "2024" / "data").mkdir(parents=True)
    (site / "2024" / "data" / "indikatorer.csv").write_text(to_csv_text(table), encoding="utf-8")
    assert main(["audit", "--out", str(site), "--data", str(demo)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2024: ") and ", 0 can be worked out" in out

    # Publish Socialförvaltningen's hidden 2024 socialsekreterare headcount: its
    # biståndshandläggare (3) is then alla less that.
    def headcount(frame: pd.DataFrame, occupation: str) -> pd.Series:
        return (
            (frame["unit_id"] == "socialforvaltningen")
            & (frame["year"] == 2024)
            & (frame["indicator"] == "headcount")
            & (frame["occupation"] == occupation)
        )

    leaked = table.copy()
    for occupation in ("socialsekreterare", "alla"):
        value = truth.loc[headcount(truth, occupation), "value"].iloc[0]  # rounded as shown
        leaked.loc[headcount(leaked, occupation), ["value", "suppressed"]] = [
            round_published(value, 0),
            False,
        ]
    (site / "2024" / "data" / "indikatorer.csv").write_text(to_csv_text(leaked), encoding="utf-8")
    assert main(["audit", "--out", str(site), "--year", "2024", "--data", str(demo)]) == 1
    out = capsys.readouterr().out
    assert "headcount of socialforvaltningen (bistandshandlaggare) 2024" in out
    assert main(["audit", "--out", str(tmp_path / "nothing"), "--data", str(demo)]) == 2


@pytest.mark.parametrize(
    "published, last_line",
    [
        ([], "uppfoljning: interrupted (SIGTERM); nothing was published"),
        (
            [2018],
            "uppfoljning: interrupted (SIGTERM); published 2018 before the stop; every "
            "other edition in the site folder is as it was",
        ),
    ],
)
def test_a_stopped_run_of_editions_says_what_it_published(
    tmp_path, monkeypatch, capsys, published, last_line
):
    """A run of several editions publishes each one as it is done: stopped after the
    first, it must not claim that nothing was published."""
    from uppfoljning import build
    from uppfoljning.lifeline import Stopped

    def stopped(**kwargs):
        exc = Stopped(signal.SIGTERM)
        exc.published_editions = list(published)
        raise exc

    project = copy_inputs(tmp_path / "project")
    monkeypatch.setattr(build, "build_editions", stopped)
    monkeypatch.chdir(project)
    assert (
        main(
            ["build", "--data", str(write_minimal_delivery(tmp_path / "d")), "--year", "2019-2021"]
        )
        == 128 + signal.SIGTERM
    )
    assert capsys.readouterr().err.splitlines()[-1] == last_line


def test_a_failed_run_of_editions_says_what_it_published_before(tmp_path, monkeypatch, capsys):
    from uppfoljning import build
    from uppfoljning.errors import NotebookError

    def failed(**kwargs):
        exc = NotebookError("farsta", "unit.ipynb", "3", "ValueError: x", "kept.ipynb")
        exc.published_editions = [2019, 2020]
        raise exc

    project = copy_inputs(tmp_path / "project")
    monkeypatch.setattr(build, "build_editions", failed)
    monkeypatch.chdir(project)
    assert (
        main(
            ["build", "--data", str(write_minimal_delivery(tmp_path / "d")), "--year", "2019-2021"]
        )
        == 1
    )
    err = capsys.readouterr().err.splitlines()
    assert "farsta" in err[-2]
    assert err[-1] == (
        "uppfoljning: published 2019 and 2020 before the failure; every "
        "other edition in the site folder is as it was"
    )


# ---------------------------------------------------------------------------
# OUT: a folder this run can write in, and what it replaces there is the tool's


def _refused_at_once(argv: list[str], capsys) -> str:
    """Run ``argv`` with a delivery folder that does not exist: a refusal of ``--out``
    that comes first (before the delivery is read) is exit 2; return its one line."""
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert captured.err.count("\n") == 1 and captured.err.startswith("uppfoljning: ")
    assert "Traceback" not in captured.err and captured.out == ""
    return captured.err


@contextlib.contextmanager
def _read_only(folder: Path):
    """``folder`` made unwritable for this process, as root too (root ignores the mode
    bits: the immutable attribute stops it), or the test is skipped."""
    as_root = os.geteuid() == 0
    command = ["chattr", "+i", str(folder)]
    if as_root:
        if (
            shutil.which("chattr") is None
            or subprocess.run(command, capture_output=True).returncode
        ):
            pytest.skip("cannot make a folder read-only for root here (no chattr +i)")
    else:
        folder.chmod(0o555)
    try:
        try:
            (folder / "probe").touch()
        except OSError:
            pass  # unwritable, as wanted
        else:
            pytest.skip(f"{folder} stays writable here")
        yield folder
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


@pytest.mark.parametrize("command", ["build", "serve"])
def test_out_on_a_file_is_one_line_before_any_work(tmp_path, capsys, command):
    afile = tmp_path / "site"
    afile.write_bytes(b"not a folder\n")
    base = [command, "--data", str(tmp_path / "nowhere"), "--year", "2024"]
    err = _refused_at_once([*base, "--out", str(afile)], capsys)
    assert err == (
        f"uppfoljning: --out {afile} is not a folder: give the folder the site "
        "goes in (it is created when missing)\n"
    )
    err = _refused_at_once([*base, "--out", str(afile / "2024")], capsys)
    assert f"--out {afile / '2024'} cannot be created: {afile} is not a folder" in err
    assert afile.read_bytes() == b"not a folder\n"


def test_out_in_a_read_only_folder_is_one_line_before_any_work(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    with _read_only(locked):
        for out in (locked, locked / "site"):
            err = _refused_at_once(
                ["build", "--data", str(tmp_path / "nowhere"), "--out", str(out)], capsys
            )
            assert err.startswith(f"uppfoljning: --out {out}: cannot write in {locked} (")
            assert "give a folder you can write in" in err
        assert list(locked.iterdir()) == []


def test_a_foreign_edition_folder_and_index_are_refused_and_kept(tmp_path, capsys):
    out = tmp_path / "site"
    (out / "2024").mkdir(parents=True)
    (out / "2024" / "anteckningar.txt").write_bytes(b"mina anteckningar\n")
    argv = ["build", "--data", str(tmp_path / "nowhere"), "--year", "2024", "--out", str(out)]
    err = _refused_at_once(argv, capsys)
    assert err.startswith(
        f"uppfoljning: {out / '2024'} was not made by uppfoljning, and "
        "a build replaces that folder whole: move it out of "
    )
    (out / "2024" / "anteckningar.txt").rename(out / "anteckningar.txt")
    (out / "2024").rmdir()
    (out / "index.html").write_bytes(b"<h1>Min sida</h1>\n")
    err = _refused_at_once(argv, capsys)
    assert err.startswith(f"uppfoljning: {out / 'index.html'} was not made by uppfoljning")
    assert (out / "index.html").read_bytes() == b"<h1>Min sida</h1>\n"
    assert (out / "anteckningar.txt").read_bytes() == b"mina anteckningar\n"
    assert sorted(p.name for p in out.iterdir()) == ["anteckningar.txt", "index.html"]
