"""The results suites (issue 7): Great Expectations checks the computed results.

Hand-made deliveries (tests/frames.py) give results whose numbers are worked out in the
comments; each corruption test breaks one result row and expects the error line that
names its unit, indicator, year and occupation. Great Expectations is imported once
per test session (the first check imports it, ~4-10 s).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from support.frames import UNITS, delivery, spell, units_frame
from uppfoljning.config import ReportConfig
from uppfoljning.indicators import (
    compute_indicators,
    compute_pattern_with_internal,
    compute_results,
)
from uppfoljning.project import Project
from uppfoljning.results_check import (
    CHECKS,
    FAILED,
    PASSED,
    WARNED,
    ResultsError,
    check_results,
    expected_indicators,
    gate_results,
    merger_editions,
    source_unit_years,
    suite_documents,
)
from uppfoljning.units import UnitRegistry
from uppfoljning.validation import suite_json

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
PROJECT = Project.at(ROOT)
SUITE_DIR = PROJECT.results_suites_dir
SUITES = PROJECT.load_suites().results  # the reviewed validation/results/*.json
CONFIG = ReportConfig()  # min_n 5, first_year 2016
# min_n 1: nothing is small, so no cell is hidden and every corruption stays visible
OPEN = ReportConfig(min_n=1)


def staff(
    unit, n, start="2015-01-01", end=None, reason=None, occupation="socialsekreterare", prefix=None
):
    return [
        spell(
            unit,
            start,
            end,
            reason,
            occupation=occupation,
            person=f"{prefix or unit}-{occupation}-{i}",
        )
        for i in range(n)
    ]


def merger_delivery():
    """Alfa (6 socialsekreterare) and Beta (4 biståndshandläggare) merge into Ceta on
    2020-07-01; Delta and Facket (3 people: always suppressed) go on."""
    spells = []
    for i in range(6):
        spells.append(spell("alfa", "2015-01-01", "2020-06-30", "omorganisation", person=f"a{i}"))
        spells.append(spell("ceta", "2020-07-01", person=f"a{i}"))
    for i in range(4):
        spells.append(
            spell(
                "beta",
                "2015-01-01",
                "2020-06-30",
                "omorganisation",
                occupation="bistandshandlaggare",
                person=f"b{i}",
            )
        )
        spells.append(spell("ceta", "2020-07-01", occupation="bistandshandlaggare", person=f"b{i}"))
    spells.append(spell("alfa", "2015-01-01", "2019-03-31", "egen_begaran", person="q"))
    spells += staff("delta", 8)
    spells.append(spell("delta", "2015-01-01", "2021-12-31", "pension", person="d-pension"))
    spells += staff("delta", 6, occupation="bistandshandlaggare")
    spells += staff("facket", 3)
    consultants = [
        dict(
            measured_on="2019-11-15", unit_id="alfa", occupation="socialsekreterare", consultants=2
        ),
        dict(
            measured_on="2019-11-15",
            unit_id="beta",
            occupation="bistandshandlaggare",
            consultants=1,
        ),
        dict(
            measured_on="2019-11-15", unit_id="delta", occupation="socialsekreterare", consultants=3
        ),
        dict(
            measured_on="2021-11-15", unit_id="ceta", occupation="socialsekreterare", consultants=2
        ),
    ]
    costs = [
        dict(year=2019, unit_id="alfa", cost_sek=1000.0),
        dict(year=2021, unit_id="ceta", cost_sek=2000.5),
    ]
    ads = [
        dict(month="2020-03", unit_id="delta", occupation="socialsekreterare", ads=7),
        dict(month="2021-05", unit_id="ceta", occupation="bistandshandlaggare", ads=4),
    ]
    incidents = [
        dict(
            incident_id=f"i{i}",
            reported_on="2020-05-05",
            unit_id="delta",
            occupation="socialsekreterare",
            category="hot",
        )
        for i in range(6)
    ]
    interviews = [
        dict(
            interview_id=f"e{i}",
            person_id=f"p{i}",
            unit_id="delta",
            occupation="socialsekreterare",
            held_on="2020-02-01",
            reasons="lon" if i % 2 else "lon;arbetsbelastning",
            comment=None,
        )
        for i in range(6)
    ]
    survey = [
        dict(
            year=2020,
            unit_id="delta",
            occupation="socialsekreterare",
            index_id="ami",
            invited=10,
            respondents=8,
            value=70.0,
        )
    ]
    visits = [
        dict(
            request_id=f"v{i}",
            unit_id="delta",
            area="vuxna",
            requested_on="2020-01-01",
            visit_on="2020-01-11",
        )
        for i in range(5)
    ]
    reinforcement = [
        dict(
            assignment_id="r1",
            team="T",
            unit_id="beta",
            start_date="2019-12-25",
            end_date="2020-01-07",
            staff=2,
        )
    ]
    managers = [dict(measured_on="2020-12-31", unit_id="delta", managers=3)]
    admin = [dict(measured_on="2020-12-31", unit_id="delta", administrators_fte=2.0)]
    caseload = [
        dict(
            month="2020-01",
            unit_id="delta",
            occupation="socialsekreterare",
            area="vuxna",
            open_cases=30,
            case_workers_fte=1.5,
        )
    ]
    return delivery(
        spells,
        consultants=consultants,
        consultant_costs=costs,
        job_ads=ads,
        incidents=incidents,
        exit_interviews=interviews,
        staff_survey=survey,
        visits=visits,
        reinforcement=reinforcement,
        managers=managers,
        admin_support=admin,
        caseload=caseload,
    )


@pytest.fixture(scope="module")
def merged():
    d = merger_delivery()
    return d, compute_results(d, 2021, CONFIG)


def locate(results, indicator, year, unit, occupation="alla"):
    mask = (
        (results.indicator == indicator)
        & (results.year == year)
        & (results.unit_id == unit)
        & (results.occupation == occupation)
    )
    assert mask.sum() == 1, (indicator, year, unit, occupation)
    return results.index[mask][0]


# --- passing -------------------------------------------------------------------------


def test_hand_made_results_pass_every_check(merged):
    d, results = merged
    report = check_results(results, d, 2021, CONFIG, suites=SUITES)
    assert report.errors == []
    assert report.ok
    assert [c.id for c in report.checks] == [c.id for c in CHECKS]
    by_id = {c.id: c for c in report.checks}
    # 2016-2021 x (ceta, delta, facket, stockholm) x 3 occupations for headcount alone.
    assert by_id["rows_present"].rows_checked == len(results)
    # Facket's 3 people are suppressed in every year and occupation group.
    assert by_id["suppressed_empty"].rows_checked > 0
    # Ceta's series 2016-2019 is compared with Alfa + Beta in the 2019 edition.
    assert by_id["restated_equals_predecessors"].rows_checked > 0
    assert by_id["city_at_least_units"].rows_checked == 0  # every unit has a successor


def test_edition_before_the_merger_passes(merged):
    d, _ = merged
    results = compute_results(d, 2019, CONFIG)
    report = check_results(results, d, 2019, CONFIG, suites=SUITES)
    assert report.errors == []
    assert {c.id: c for c in report.checks}["restated_equals_predecessors"].rows_checked == 0


def test_unit_without_successor_makes_the_city_exceed_the_units():
    # Gamma closes 2019-12-31 without a successor: its staff count for the city only.
    d = delivery(staff("delta", 6) + staff("gamma", 5, end="2019-12-31", reason="ovrigt"))
    d.tables["units"] = units_frame(
        [*UNITS, ("gamma", "Gamma", "fackforvaltning", "2010-01-01", "2019-12-31", None)]
    )
    results = compute_results(d, 2021, CONFIG)
    report = check_results(results, d, 2021, CONFIG, suites=SUITES)
    assert report.errors == []
    by_id = {c.id: c for c in report.checks}
    assert by_id["city_at_least_units"].rows_checked > 0  # 2016-2019
    assert by_id["city_equals_units"].rows_checked > 0  # 2020-2021
    # ...but the city may never fall below the units.
    corrupt = results.copy()
    corrupt.loc[locate(corrupt, "headcount", 2018, "stockholm"), "value"] = 5.0
    errors = check_results(corrupt, d, 2021, CONFIG, suites=SUITES).errors
    assert (
        "results: unit stockholm: indicator headcount: year 2018 (alla): city total is "
        "below the sum over units (city: 5, units: 6)"
    ) in errors


# --- corrupted results ---------------------------------------------------------------


def _negative_rate(r):
    r.loc[locate(r, "turnover_rate", 2021, "delta", "socialsekreterare"), "value"] = -0.1
    return r


def _missing_row(r):
    return r.drop(index=locate(r, "headcount", 2020, "delta"))


def _city_off(r):
    # 2020: Ceta 6 + 4, Delta 9 + 6, Facket 3 -> the city has 28
    r.loc[locate(r, "headcount", 2020, "stockholm"), "value"] = 29.0
    return r


def _small_cell(r):
    i = locate(r, "headcount", 2020, "facket", "socialsekreterare")
    r.loc[i, ["value", "suppressed"]] = [3.0, False]
    return r


def _share_above_one(r):
    r.loc[locate(r, "exit_reason_share_lon", 2020, "delta"), "value"] = 1.2
    return r


def _fractional_count(r):
    r.loc[locate(r, "job_ads", 2020, "delta", "socialsekreterare"), "value"] = 7.5
    return r


def _suppressed_with_value(r):
    r.loc[locate(r, "headcount", 2020, "facket", "socialsekreterare"), "value"] = 3.0
    return r


def _needless_suppression(r):
    i = locate(r, "headcount", 2020, "delta", "socialsekreterare")  # 9 people
    r.loc[i, ["value", "suppressed", "reason"]] = [float("nan"), True, "primary"]
    return r


def _wrong_rule(r):
    r.loc[locate(r, "incidents", 2020, "delta"), "rule"] = "none"
    return r


def _unknown_indicator(r):
    r.loc[locate(r, "job_ads", 2021, "ceta"), "indicator"] = "job_adverts"
    return r


def _duplicate_row(r):
    return pd.concat([r, r.loc[[locate(r, "consultants", 2021, "ceta")]]], ignore_index=True)


def _unit_of_another_edition(r):
    row = r.loc[[locate(r, "consultants", 2021, "ceta")]].assign(unit_id="alfa")
    return pd.concat([r, row], ignore_index=True)


def _index_out_of_range(r):
    r.loc[locate(r, "survey_ami", 2020, "delta", "socialsekreterare"), "value"] = 170.0
    return r


def _other_edition(r):
    r.loc[locate(r, "headcount", 2017, "ceta"), "edition"] = 2020
    return r


PREFIX = "results: unit {}: indicator {}: year {} ({}): "
CORRUPTIONS = {
    "negative rate": (
        _negative_rate,
        PREFIX.format("delta", "turnover_rate", 2021, "socialsekreterare")
        + "rate is negative (value: -0.1)",
    ),
    "missing unit row": (
        _missing_row,
        PREFIX.format("delta", "headcount", 2020, "alla") + "row is missing",
    ),
    "city total": (
        _city_off,
        PREFIX.format("stockholm", "headcount", 2020, "alla")
        + "city total does not equal the sum over units (city: 29, units: 28)",
    ),
    "unsuppressed small cell": (
        _small_cell,
        PREFIX.format("facket", "headcount", 2020, "socialsekreterare")
        + "value is shown although its base is below 5 (base: 3, value: 3)",
    ),
    "share above 1": (
        _share_above_one,
        PREFIX.format("delta", "exit_reason_share_lon", 2020, "alla")
        + "share is not between 0 and 1 (value: 1.2)",
    ),
    "non-whole count": (
        _fractional_count,
        PREFIX.format("delta", "job_ads", 2020, "socialsekreterare")
        + "count is not a whole number (value: 7.5)",
    ),
    "suppressed row with a value": (
        _suppressed_with_value,
        PREFIX.format("facket", "headcount", 2020, "socialsekreterare")
        + "suppressed row has a value (value: 3)",
    ),
    "needless suppression": (
        _needless_suppression,
        PREFIX.format("delta", "headcount", 2020, "socialsekreterare")
        + "value is suppressed as small but its base is 9 and its rule 'count' (suppress only "
        "a base above 0 and below 5 under rule count or base)",
    ),
    "wrong disclosure rule": (
        _wrong_rule,
        PREFIX.format("delta", "incidents", 2020, "alla")
        + "disclosure rule is 'none', but indicators.md gives 'count'",
    ),
    "unknown indicator": (
        _unknown_indicator,
        PREFIX.format("ceta", "job_adverts", 2021, "alla")
        + "indicator is not defined in indicators.md",
    ),
    "duplicate row": (
        _duplicate_row,
        PREFIX.format("ceta", "consultants", 2021, "alla") + "row occurs 2 times",
    ),
    "unit of another edition": (
        _unit_of_another_edition,
        PREFIX.format("alfa", "consultants", 2021, "alla")
        + "row is not part of the edition: alfa is not a unit of the 2021 edition",
    ),
    "survey index out of range": (
        _index_out_of_range,
        PREFIX.format("delta", "survey_ami", 2020, "socialsekreterare")
        + "survey index is not between 0 and 100 (value: 170)",
    ),
    "row of another edition": (
        _other_edition,
        PREFIX.format("ceta", "headcount", 2017, "alla") + "row belongs to edition 2020, not 2021",
    ),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_corrupted_results_fail_naming_unit_indicator_and_year(merged, name):
    d, results = merged
    corrupt_fn, expected = CORRUPTIONS[name]
    corrupt = corrupt_fn(results.copy())
    with pytest.raises(ResultsError) as raised:
        gate_results(corrupt, d, 2021, CONFIG, suites=SUITES)
    report = raised.value.report
    assert not report.ok
    assert expected in report.errors, "\n".join(report.errors)
    assert str(raised.value).splitlines() == report.errors  # the message lists every error


def test_restated_series_must_equal_the_predecessors(merged):
    # Move Alfa's 2019 staff from Ceta to Delta: the city and the occupation sums still
    # add up, but Ceta's restated 2019 no longer equals Alfa + Beta in the 2019 edition
    # (Alfa: 6 + 0.25 for the person who left on 2019-03-31, Beta: 4).
    # Moved at full precision (the published values are rounded), so that the sums of
    # the year still hold exactly.
    d, _ = merged
    corrupt, _summary, full = compute_pattern_with_internal(d, 2021, OPEN)
    for occupation in ("socialsekreterare", "alla"):
        for unit, move in (("ceta", -6.25), ("delta", 6.25)):
            exact = full.loc[locate(full, "headcount", 2019, unit, occupation), "value"]
            corrupt.loc[locate(corrupt, "headcount", 2019, unit, occupation), "value"] = (
                float(exact) + move
            )
    errors = check_results(corrupt, d, 2021, OPEN, suites=SUITES).errors
    prefix = PREFIX.format("ceta", "headcount", 2019, "{}")
    assert errors == [
        prefix.format("socialsekreterare") + "restated total does not equal the sum of alfa, "
        "beta in the 2019 edition (restated: 0, sum: 6.25)",
        prefix.format("alla") + "restated total does not equal the sum of alfa, beta in the "
        "2019 edition (restated: 4, sum: 10.25)",
    ]


def test_leavers_must_be_whole_and_add_up(merged):
    d, _ = merged
    corrupt = compute_results(d, 2021, OPEN)
    # Delta 2021: 9 socialsekreterare, 1 leaver -> 1/9; 0.15 x 9 = 1.35 leavers.
    corrupt.loc[locate(corrupt, "turnover_rate", 2021, "delta", "socialsekreterare"), "value"] = (
        0.15
    )
    errors = check_results(corrupt, d, 2021, OPEN, suites=SUITES).errors
    assert (
        PREFIX.format("delta", "turnover_rate", 2021, "socialsekreterare")
        + "rate x mean headcount is not a whole number of leavers (value: 0.15, "
        "headcount: 9, leavers: 1.35)"
    ) in errors
    assert (
        PREFIX.format("delta", "turnover_rate", 2021, "alla")
        + "leavers (rate x mean headcount) for alla does not equal socialsekreterare + "
        "bistandshandlaggare (alla: 1, sum: 1.35)"
    ) in errors


# --- warnings ------------------------------------------------------------------------


def test_plausibility_warnings_do_not_fail_the_gate():
    # Delta: 20 socialsekreterare; 2019 one more leaves on 12-31 (H 21, rate 1/21);
    # 2020 six leave on 12-31 (H 20, rate 0.3): +25.2 percentage points.
    # Facket: 10 biståndshandläggare, 10 more from 2020 (10 -> 20: doubling).
    # Ceta (2021): 6 stay all year, 8 start 2021-01-01 and leave 01-15 (H 6, rate 8/6).
    spells = staff("delta", 14) + staff(
        "delta", 6, end="2020-12-31", reason="egen_begaran", prefix="d6"
    )
    spells.append(spell("delta", "2015-01-01", "2019-12-31", "egen_begaran", person="d-one"))
    spells += staff("facket", 10, occupation="bistandshandlaggare")
    spells += staff("facket", 10, start="2020-01-01", occupation="bistandshandlaggare", prefix="f2")
    spells += staff("ceta", 6, start="2020-07-01")
    spells += staff(
        "ceta", 8, start="2021-01-01", end="2021-01-15", reason="egen_begaran", prefix="c8"
    )
    d = delivery(spells)
    results = compute_results(d, 2021, OPEN)
    report = gate_results(results, d, 2021, OPEN, suites=SUITES)
    assert report.ok and report.errors == []
    warnings = report.warnings
    # each warning is printed with its key (cli.md, Review and drafts)
    assert (
        "warning: results: delta/turnover_rate/socialsekreterare/2019-2020: turnover "
        "rate changes by 25.23809524 percentage points (0.04761904762 to 0.3)"
    ) in warnings
    assert (
        "warning: results: facket/headcount/bistandshandlaggare/2019-2020: count "
        "changes by a factor of 2 (10 to 20)"
    ) in warnings
    assert (
        "warning: results: ceta/turnover_rate/socialsekreterare/2021-2021: turnover rate is "
        "above 1: more leavers than mean headcount (value: 1.333333333)"
    ) in warnings
    table = report.to_frame()
    assert list(table.columns) == ["Kontroll", "Rader kontrollerade", "Avvikande rader", "Resultat"]
    outcomes = dict(zip(table["Kontroll"], table["Resultat"], strict=True))
    assert outcomes["Antal fördubblas eller halveras inte på ett år"] == WARNED
    assert outcomes["Staden är summan av förvaltningarna"] == PASSED


def test_appendix_table_marks_failed_checks(merged):
    d, results = merged
    corrupt = results.copy()
    _negative_rate(corrupt)
    table = check_results(corrupt, d, 2021, CONFIG, suites=SUITES).to_frame()
    row = table[table["Kontroll"] == "Kvoter och medelvärden är inte negativa"].iloc[0]
    assert row["Resultat"] == FAILED and row["Avvikande rader"] == 1
    assert row["Rader kontrollerade"] > 1


# --- API, purity, suites -------------------------------------------------------------


def test_published_table_without_internal_columns_is_refused(merged):
    d, _ = merged
    published = compute_indicators(d, 2021, CONFIG)
    with pytest.raises(ResultsError, match="base, rule"):
        check_results(published, d, 2021, CONFIG, suites=SUITES)


def test_inputs_are_not_modified(merged):
    d, results = merged
    before = results.copy()
    tables = {name: frame.copy() for name, frame in d.tables.items()}
    check_results(results, d, 2021, CONFIG, suites=SUITES)
    pd.testing.assert_frame_equal(results, before)
    for name, frame in d.tables.items():
        pd.testing.assert_frame_equal(frame, tables[name])


def test_committed_suites_match_the_declarative_description():
    documents = suite_documents()
    committed = sorted(p.name for p in SUITE_DIR.glob("*.json"))
    assert committed == sorted(f"{name}.json" for name in documents)
    for name, document in documents.items():
        text = (SUITE_DIR / f"{name}.json").read_text(encoding="utf-8")
        assert text == suite_json(document), (
            f"regenerate {SUITE_DIR}/{name}.json (results_check.write_suites)"
        )


def test_every_check_has_a_swedish_name_and_a_rule():
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids))
    for check in CHECKS:
        assert check.name and check.rule and check.severity in ("error", "warning")


def test_merger_editions_and_covered_years(merged):
    d, _ = merged
    registry = UnitRegistry.from_frame(d.tables["units"])
    assert merger_editions(registry, 2021, CONFIG) == {2019: {"ceta": ["alfa", "beta"]}}
    assert merger_editions(registry, 2020, CONFIG) == {2019: {"ceta": ["alfa", "beta"]}}
    assert merger_editions(registry, 2019, CONFIG) == {}
    expected = expected_indicators(d, 2021, CONFIG)
    assert expected["headcount"] == [2016, 2017, 2018, 2019, 2020, 2021]
    assert expected["reinforcement_staff_weeks"] == [2019, 2020]
    assert expected["consultants"] == [2019, 2021]
    assert expected["survey_ami"] == [2020]
    years = source_unit_years("employments", d.tables["employments"].head(2), 2021)
    # a0 (alfa 2015-2020) and its Ceta spell from 2020-07-01, open (to the edition)
    assert years["year"].tolist() == [2015, 2016, 2017, 2018, 2019, 2020, 2020, 2021]


# --- the demo delivery ---------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    if not (DEMO / "units.csv").exists():
        pytest.skip("no demo delivery in data/demo")
    from uppfoljning.loading import load_delivery

    return load_delivery(DEMO)


@pytest.mark.parametrize("edition", range(2018, 2025))
def test_demo_editions_pass(demo, edition):
    results = compute_results(demo, edition, CONFIG)
    report = gate_results(results, demo, edition, CONFIG, suites=SUITES)
    assert report.errors == []
    checked = {c.id: c.rows_checked for c in report.checks}
    assert checked["rows_present"] == len(results)
    assert checked["city_equals_units"] > 0
    if edition >= 2020:  # Hägersten-Älvsjö restated from 2016
        assert checked["restated_equals_predecessors"] > 0
    assert all(not math.isnan(v) for v in checked.values())


@pytest.mark.parametrize("which", ["merged", "demo"])
def test_unsuppressed_values_of_the_computation_give_the_same_checks(which, request):
    """The unsuppressed values :func:`compute_pattern_with_internal` returns with the
    results make exactly the check frames of computing them again."""
    from uppfoljning.indicators import compute_pattern_with_internal
    from uppfoljning.results_check import build_check_frames

    delivery, edition = (
        (request.getfixturevalue("merged")[0], 2021)
        if which == "merged"
        else (request.getfixturevalue("demo"), 2024)
    )
    results, _, internal = compute_pattern_with_internal(delivery, edition, CONFIG)
    pd.testing.assert_frame_equal(results, compute_results(delivery, edition, CONFIG))
    again = build_check_frames(results, delivery, edition, CONFIG)
    reused = build_check_frames(results, delivery, edition, CONFIG, internal)
    assert again.keys() == reused.keys()
    for name in again:
        pd.testing.assert_frame_equal(reused[name], again[name])


# ---------------------------------------------------------------------------
# The reviewed suites are what runs


def _edition_check_fails_always(suites: dict) -> dict:
    """``suites`` with the edition check of ``values`` asking for edition 1900."""
    import copy

    edited = copy.deepcopy(dict(suites))
    (edition,) = [e for e in edited["values"]["expectations"] if e["meta"]["check"] == "edition"]
    edition["kwargs"].update(min_value=1900, max_value=1900)
    return edited


def test_the_checks_run_the_suites_they_are_given(demo):
    results = compute_results(demo, 2024, CONFIG)
    assert gate_results(results, demo, 2024, CONFIG, suites=SUITES).ok
    report = check_results(results, demo, 2024, CONFIG, suites=_edition_check_fails_always(SUITES))
    failed = {p.check for p in report.problems if p.severity == "error"}
    assert failed == {"edition"}
    assert all("row belongs to edition" in line for line in report.errors)
    without = {**SUITES, "sums": {**SUITES["sums"], "expectations": []}}
    with pytest.raises(ResultsError, match="missing from the reviewed suite results/sums"):
        check_results(results, demo, 2024, CONFIG, suites=without)


@pytest.mark.slow
def test_a_build_reads_the_projects_results_suites(tmp_path):
    """A copied project whose ``validation/results/values.json`` is edited to refuse the
    demo results makes the build refuse them (before any notebook runs)."""
    import json

    from support.projects import copy_inputs
    from uppfoljning import context, prepare

    project = Project.at(copy_inputs(tmp_path / "project"))
    path = project.results_suites_dir / "values.json"
    edited = _edition_check_fails_always(project.load_suites().results)["values"]
    path.write_text(json.dumps(edited, indent=2), encoding="utf-8")
    with pytest.raises(ResultsError, match="row belongs to edition 2024"):
        prepare.prepare_results(DEMO, 2024, CONFIG, tmp_path / "results", project=project)
    assert not (tmp_path / "results" / context.INDICATORS_FILE).exists()
