"""Great Expectations only where the data changed: the outcome cache of the gates.

A suite run is keyed on exactly what GX sees (validation.runner.run_key); a stored
outcome must give the gates the very report a real run gives, a changed frame must run
again, and a damaged entry must never stand in for a run. Suite runs are counted by
wrapping ``validation.runner.run_suite``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from support.deliveries import minimal_tables, write_minimal_delivery
from support.frames import delivery, spell
from support.projects import ROOT
from uppfoljning import validation
from uppfoljning.cache import BuildCache, OutcomeStore
from uppfoljning.config import ReportConfig
from uppfoljning.errors import DeliveryError
from uppfoljning.indicators import compute_results
from uppfoljning.project import Project
from uppfoljning.results_check import ResultsError, check_results, gate_results
from uppfoljning.validation import runner

PROJECT = Project.at(ROOT)
SUITES = PROJECT.load_suites()
CONFIG = ReportConfig()


@pytest.fixture
def runs(monkeypatch):
    """The names of the suites GX really runs, in order."""
    names: list[str] = []
    real = runner.run_suite

    def counting(context, suite, frame, parameters, **options):
        names.append(suite["name"])
        return real(context, suite, frame, parameters, **options)

    monkeypatch.setattr(runner, "run_suite", counting)
    return names


def same_report(a, b) -> None:
    assert [p.format() for p in a.problems] == [p.format() for p in b.problems]
    assert a.problems == b.problems
    assert a.results == b.results


# ---------------------------------------------------------------------------
# The key: what GX sees


FRAME = pd.DataFrame({"a": ["x", None, "z"], "b": [1, 2, 3]}, index=[2, 3, 4])


@pytest.mark.parametrize(
    "change",
    [
        lambda f: f.assign(a=["x", None, "y"]),  # a value
        lambda f: f.assign(a=["x", "None", "z"]),  # the text "None" is not an empty cell
        lambda f: f.assign(a=["x", "nan", "z"]),
        lambda f: f.assign(a=["x", None, 1]),  # a number is not its text
        lambda f: f.set_axis([2, 3, 5]),  # a spreadsheet row
        lambda f: f.rename_axis("row"),  # a named index changes what GX returns
        lambda f: f.rename(columns={"b": "c"}),
        lambda f: f.astype({"b": "float64"}),  # same numbers, another dtype
        lambda f: f[["b", "a"]],
        lambda f: f.iloc[:2],
    ],
    ids=[
        "value",
        "none-text",
        "nan-text",
        "type",
        "row",
        "index-name",
        "column-name",
        "dtype",
        "column-order",
        "fewer-rows",
    ],
)
def test_frame_digest_sees_every_change(change):
    assert runner.frame_digest(change(FRAME)) != runner.frame_digest(FRAME)


def test_frame_digest_of_equal_frames_is_equal():
    copy = pd.DataFrame({"a": ["x", None, "z"], "b": [1, 2, 3]}, index=[2, 3, 4])
    assert runner.frame_digest(copy) == runner.frame_digest(FRAME)


def test_run_key_covers_suite_parameters_format_and_gx_version(monkeypatch):
    suite = {
        "name": "t",
        "expectations": [
            {
                "type": "expect_column_values_to_be_in_set",
                "kwargs": {"column": "a", "value_set": {"$PARAMETER": "values"}},
                "meta": {"rule_id": "a.in"},
            }
        ],
    }
    parameters = {"values": ["x", "z"], "other": [1]}
    key = runner.run_key(suite, FRAME, parameters)
    assert key == runner.run_key(suite, FRAME.copy(), dict(parameters))
    # a parameter the suite does not refer to changes nothing GX does
    assert runner.run_key(suite, FRAME, {**parameters, "other": [2]}) == key
    assert runner.run_key(suite, FRAME, {**parameters, "values": ["x"]}) != key
    assert (
        runner.run_key(suite, FRAME, parameters, result_format={"result_format": "COMPLETE"}) != key
    )
    other_suite = json.loads(json.dumps(suite))
    other_suite["expectations"][0]["kwargs"]["column"] = "b"
    assert runner.run_key(other_suite, FRAME, parameters) != key
    monkeypatch.setattr(runner, "gx_version", lambda: "0.0.0")
    assert runner.run_key(suite, FRAME, parameters) != key


def test_a_frame_that_cannot_be_hashed_is_not_cached():
    frame = pd.DataFrame({"a": [{"a": 1}, {"b": 2}]})
    assert runner.run_key({"name": "t", "expectations": []}, frame, {}) is None


# ---------------------------------------------------------------------------
# The input gate


@pytest.fixture(scope="module")
def good_dir(tmp_path_factory):
    return write_minimal_delivery(tmp_path_factory.mktemp("good"))


def test_a_warm_cache_gives_the_same_report_without_running_a_suite(good_dir, tmp_path, runs):
    store = OutcomeStore(tmp_path / "gx")
    first = validation.validate_delivery(good_dir, SUITES.inputs, store=store)
    assert len(runs) == len(first.raw.frames) > 0
    runs.clear()
    second = validation.validate_delivery(good_dir, SUITES.inputs, store=store)
    assert runs == []
    same_report(second, first)
    same_report(second, validation.validate_delivery(good_dir, SUITES.inputs))


def test_one_changed_cell_runs_only_the_suites_whose_frame_changed(good_dir, tmp_path, runs):
    store = OutcomeStore(tmp_path / "gx")
    validation.validate_delivery(good_dir, SUITES.inputs, store=store)
    tables = minimal_tables()
    tables["incidents"][0]["category"] = "vald"  # nothing refers to incidents
    changed = write_minimal_delivery(tmp_path / "changed", incidents=tables["incidents"])
    runs.clear()
    report = validation.validate_delivery(changed, SUITES.inputs, store=store)
    assert runs == ["incidents"]
    same_report(report, validation.validate_delivery(changed, SUITES.inputs))


def test_a_changed_reference_table_reruns_the_tables_that_refer_to_it(good_dir, tmp_path, runs):
    """A new unit changes the reference values and unit validity every table with a
    unit_id is checked against, though their own rows are unchanged."""
    store = OutcomeStore(tmp_path / "gx")
    validation.validate_delivery(good_dir, SUITES.inputs, store=store)
    tables = minimal_tables()
    tables["units"].append({**tables["units"][-1], "unit_id": "ny-enhet", "name": "Ny"})
    changed = write_minimal_delivery(tmp_path / "changed", units=tables["units"])
    runs.clear()
    report = validation.validate_delivery(changed, SUITES.inputs, store=store)
    assert "units" in runs and "employments" in runs and "focus_areas" not in runs
    same_report(report, validation.validate_delivery(changed, SUITES.inputs))


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"\x00not json"),
        lambda path: path.write_text('{"version": "1", "outcomes": {"x": 1}}'),
        lambda path: path.write_text("[]"),
        lambda path: path.unlink() or path.mkdir(),  # unreadable, and cannot be replaced
    ],
    ids=["garbage", "foreign", "list", "unreadable"],
)
def test_a_damaged_entry_is_ignored_and_the_suite_runs(good_dir, tmp_path, runs, damage):
    store = OutcomeStore(tmp_path / "gx")
    first = validation.validate_delivery(good_dir, SUITES.inputs, store=store)
    entries = sorted((tmp_path / "gx").rglob("*.json"))
    assert len(entries) == len(runs)
    for path in entries:
        damage(path)
    runs.clear()
    again = validation.validate_delivery(good_dir, SUITES.inputs, store=store)
    assert len(runs) == len(entries)
    same_report(again, first)


def test_a_bad_delivery_is_refused_identically_with_a_warm_cache(tmp_path, runs):
    tables = minimal_tables()
    tables["employments"][0]["start_date"] = "2019-13-01"
    tables["incidents"][0]["unit_id"] = "okand"
    bad = write_minimal_delivery(
        tmp_path / "bad", employments=tables["employments"], incidents=tables["incidents"]
    )
    store = OutcomeStore(tmp_path / "gx")
    with pytest.raises(DeliveryError) as cold:
        validation.gate(bad, SUITES.inputs, store=store)
    runs.clear()
    with pytest.raises(DeliveryError) as warm:
        validation.gate(bad, SUITES.inputs, store=store)
    assert runs == []
    assert warm.value.problems == cold.value.problems
    assert str(warm.value) == str(cold.value)
    lines = str(warm.value).splitlines()
    assert any(line.startswith("employments.csv: column start_date: rows 2") for line in lines)
    assert any(line.startswith("incidents.csv: column unit_id: rows 2") for line in lines)


def test_without_a_store_every_suite_runs(good_dir, runs):
    report = validation.validate_delivery(good_dir, SUITES.inputs)
    validation.validate_delivery(good_dir, SUITES.inputs)
    assert len(runs) == 2 * len(report.raw.frames)


def test_a_disabled_build_cache_gives_no_store(tmp_path):
    assert BuildCache(tmp_path, enabled=False).suite_outcomes() is None
    assert isinstance(BuildCache(tmp_path).suite_outcomes(), OutcomeStore)


# ---------------------------------------------------------------------------
# The results checks


def small_results():
    """Delta's 8 socialsekreterare and one who left in 2019, for the 2021 edition."""
    d = delivery(
        [spell("delta", "2015-01-01", person=f"d{i}") for i in range(8)]
        + [spell("delta", "2015-01-01", "2019-06-30", "egen_begaran", person="q")]
    )
    return d, compute_results(d, 2021, CONFIG)


@pytest.fixture(scope="module")
def small():
    return small_results()


def test_results_checks_with_a_warm_cache_run_no_suite(small, tmp_path, runs):
    d, results = small
    store = OutcomeStore(tmp_path / "gx")
    first = check_results(results, d, 2021, CONFIG, suites=SUITES.results, store=store)
    assert runs == ["results_values", "results_coverage", "results_sums", "results_changes"]
    runs.clear()
    second = check_results(results, d, 2021, CONFIG, suites=SUITES.results, store=store)
    assert runs == []
    assert second == first
    assert second == check_results(results, d, 2021, CONFIG, suites=SUITES.results)


def test_failing_results_are_refused_identically_with_a_warm_cache(small, tmp_path, runs):
    d, results = small
    corrupt = results.copy()
    row = corrupt.index[
        (corrupt.indicator == "headcount")
        & (corrupt.year == 2017)
        & (corrupt.unit_id == "delta")
        & (corrupt.occupation == "alla")
    ][0]
    corrupt.loc[row, "edition"] = 2020
    store = OutcomeStore(tmp_path / "gx")
    check_results(results, d, 2021, CONFIG, suites=SUITES.results, store=store)
    runs.clear()
    with pytest.raises(ResultsError) as cold:
        gate_results(corrupt, d, 2021, CONFIG, suites=SUITES.results, store=store)
    assert "results_values" in runs and "results_sums" not in runs  # the frames it reaches
    runs.clear()
    with pytest.raises(ResultsError) as warm:
        gate_results(corrupt, d, 2021, CONFIG, suites=SUITES.results, store=store)
    assert runs == []
    assert warm.value.report == cold.value.report
    assert (
        "results: unit delta: indicator headcount: year 2017 (alla): row belongs to "
        "edition 2020, not 2021"
    ) in warm.value.report.errors


# ---------------------------------------------------------------------------
# Great Expectations is imported only when a suite has to run


def test_a_run_where_every_suite_hits_never_imports_great_expectations(good_dir, small, tmp_path):
    """The input gate and the results checks of ``small`` with a warm store."""
    store = tmp_path / "gx"
    validation.validate_delivery(good_dir, SUITES.inputs, store=OutcomeStore(store))
    d, results = small
    check_results(results, d, 2021, CONFIG, suites=SUITES.results, store=OutcomeStore(store))
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from test_gx_outcomes import CONFIG, SUITES, check_results, small_results\n"
        "from uppfoljning import validation\n"
        "from uppfoljning.cache import OutcomeStore\n"
        f"store = OutcomeStore(Path({str(store)!r}))\n"
        f"report = validation.validate_delivery({str(good_dir)!r}, SUITES.inputs,\n"
        "                                     store=store)\n"
        "d, results = small_results()\n"
        "checks = check_results(results, d, 2021, CONFIG, suites=SUITES.results,\n"
        "                       store=store)\n"
        "print(report.ok and checks.ok, 'great_expectations' in sys.modules)\n"
    )
    assert in_fresh_python(code).split() == ["True", "False"]
    # and a cold store does import it: the check above can fail
    cold = code.replace(repr(str(store)), repr(str(tmp_path / "empty")))
    assert in_fresh_python(cold).split() == ["True", "True"]


def in_fresh_python(code: str) -> str:
    """What ``code`` prints, run by a new Python process that imports the package and
    these tests' modules."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(Path(validation.__file__).parents[2]), str(Path(__file__).parent)]
        ),
    }
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout


def test_great_expectations_is_imported_without_sqlalchemy(tmp_path):
    """SQLAlchemy is installed (for jupyter-cache, in the Jupyter Book process) and GX
    would import it (~0.3 s of every build that validates); the build's process leaves
    it out, and GX still gates a delivery."""
    bad = minimal_tables()
    bad["employments"][1]["occupation"] = "socionom"
    code = (
        "import importlib.util, sys\n"
        "print(importlib.util.find_spec('sqlalchemy') is not None)\n"
        "from uppfoljning import validation\n"
        "from uppfoljning.errors import DeliveryError\n"
        "from uppfoljning.project import Project\n"
        f"suites = Project.at({str(ROOT)!r}).load_suites().inputs\n"
        f"validation.gate({str(write_minimal_delivery(tmp_path / 'good'))!r}, suites)\n"
        "try:\n"
        f"    validation.gate({str(write_minimal_delivery(tmp_path / 'bad', **bad))!r}, "
        "suites)\n"
        "except DeliveryError as exc:\n"
        "    print(exc.problems[0].format())\n"
        "print(sys.modules['sqlalchemy'])\n"
    )
    installed, refused, sqlalchemy = in_fresh_python(code).strip().splitlines()
    assert installed == "True"  # else this proves nothing
    assert refused.startswith("employments.csv: column occupation: rows 3:")
    assert sqlalchemy == "None"


# ---------------------------------------------------------------------------
# The runner on its own (a stand-in for GX)


class FakeResult:
    """What the runner reads of a GX ExpectationValidationResult."""

    def __init__(self, success, result, exception_info=None, kwargs=None):
        self.success, self.result, self.exception_info = success, result, exception_info
        self.expectation_config = type("Config", (), {"kwargs": kwargs or {}})()


def fake_gx(monkeypatch, outcome: FakeResult) -> list[str]:
    calls: list[str] = []

    def run_suite(context, suite, frame, parameters, **options):
        calls.append(suite["name"])
        return {e["meta"]["rule_id"]: outcome for e in suite["expectations"]}

    monkeypatch.setattr(runner, "new_context", lambda: "context")
    monkeypatch.setattr(runner, "run_suite", run_suite)
    return calls


SUITE = {
    "name": "t",
    "expectations": [
        {
            "type": "expect_column_values_to_not_be_null",
            "kwargs": {"column": "a"},
            "meta": {"rule_id": "a.not_null"},
        }
    ],
}


def test_outcomes_are_plain_json_and_replayed_equal(monkeypatch, tmp_path):
    calls = fake_gx(
        monkeypatch,
        FakeResult(
            np.bool_(False),
            {
                "element_count": np.int64(3),
                "unexpected_count": 1,
                "partial_unexpected_index_list": [np.int64(3)],
                "partial_unexpected_list": [None],
                "ratio": float("nan"),
            },
            {"raised_exception": False},
            {"column": "a"},
        ),
    )
    store = OutcomeStore(tmp_path)
    fresh = runner.SuiteRunner(store).run(SUITE, FRAME, {})
    replayed = runner.SuiteRunner(store).run(SUITE, FRAME, {})
    assert calls == ["t"]
    outcome = fresh["a.not_null"]
    assert outcome.success is False
    assert outcome.result["partial_unexpected_index_list"] == [3]
    assert type(outcome.result["element_count"]) is int
    assert replayed["a.not_null"].result["partial_unexpected_index_list"] == [3]
    assert replayed["a.not_null"].exception_info == outcome.exception_info
    assert replayed["a.not_null"].success is False


def test_an_expectation_gx_could_not_evaluate_is_not_stored(monkeypatch, tmp_path):
    calls = fake_gx(
        monkeypatch, FakeResult(False, {}, {"raised_exception": True, "exception_message": "boom"})
    )
    store = OutcomeStore(tmp_path)
    for _ in range(2):
        outcome = runner.SuiteRunner(store).run(SUITE, FRAME, {})["a.not_null"]
        assert runner.exception_message(outcome.exception_info) == "boom"
    assert calls == ["t", "t"]
    assert list(tmp_path.rglob("*.json")) == []
