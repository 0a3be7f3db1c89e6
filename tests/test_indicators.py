"""Indicators on hand-made data. Each expected number is worked out in the comments."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from support.frames import UNITS, delivery, spell, units_frame
from uppfoljning.config import ReportConfig
from uppfoljning.disclosure import primary_reasons
from uppfoljning.indicators import (
    PUBLISHED_COLUMNS,
    apply_disclosure,
    compute_indicators,
    compute_pattern_with_internal,
    compute_results,
    to_csv_text,
)

NO_SUPPRESSION = ReportConfig(min_n=1, first_year=2016)


def exact_indicators(d, edition: int, config: ReportConfig):
    """The computation before it is rounded as displayed (and unsuppressed): the
    definitions are tested at full precision, the published rounding beside them."""
    return compute_pattern_with_internal(d, edition, config)[2]


def value(table, indicator, year, unit, occupation="alla"):
    rows = table[
        (table.indicator == indicator)
        & (table.year == year)
        & (table.unit_id == unit)
        & (table.occupation == occupation)
    ]
    assert len(rows) == 1, (indicator, year, unit, occupation, len(rows))
    return rows.iloc[0]["value"]


def row(table, indicator, year, unit, occupation="alla"):
    rows = table[
        (table.indicator == indicator)
        & (table.year == year)
        & (table.unit_id == unit)
        & (table.occupation == occupation)
    ]
    assert len(rows) == 1
    return rows.iloc[0]


# --- headcount and turnover -------------------------------------------------------


def test_headcount_counts_month_ends_with_inclusive_end_dates():
    spells = [
        spell("delta", "2019-06-15"),  # active Jun..Dec 2019: 7 month-ends
        spell("delta", "2018-01-01", "2019-03-31", "egen_begaran"),  # Jan, Feb, Mar: 3
        spell("delta", "2018-01-01", "2019-03-30", "pension"),  # Jan, Feb (Mar 30 < Mar 31): 2
        spell("delta", "2019-12-31"),  # starts on the last month-end: 1
    ]
    table = exact_indicators(delivery(spells), 2019, NO_SUPPRESSION)
    # (7 + 3 + 2 + 1) / 12
    assert value(table, "headcount", 2019, "delta", "socialsekreterare") == pytest.approx(13 / 12)
    assert value(table, "headcount", 2019, "delta", "bistandshandlaggare") == 0
    # 2018: two spells active all 12 month-ends -> 24 / 12
    assert value(table, "headcount", 2018, "delta") == pytest.approx(2.0)


def test_turnover_rates_count_reasons_and_ignore_omorganisation_and_visstid():
    base = [spell("delta", "2015-01-01", person=f"stay{i}") for i in range(8)]
    leavers = [
        spell("delta", "2015-01-01", "2019-12-31", "egen_begaran"),
        spell("delta", "2015-01-01", "2019-12-31", "pension"),
        spell("delta", "2015-01-01", "2019-12-31", "ovrigt"),
        spell("delta", "2015-01-01", "2019-12-31", "intern_rorlighet"),
        spell("delta", "2015-01-01", "2019-12-31", "omorganisation"),
        spell("delta", "2015-01-01", "2019-12-31", "egen_begaran", employment_type="visstid"),
    ]
    table = exact_indicators(delivery(base + leavers), 2019, NO_SUPPRESSION)
    # H: 8 + 5 tillsvidare active at every month-end of 2019 = 13
    assert value(table, "headcount", 2019, "delta") == pytest.approx(13.0)
    assert value(table, "turnover_rate", 2019, "delta") == pytest.approx(4 / 13)
    assert value(table, "turnover_rate_external", 2019, "delta") == pytest.approx(3 / 13)
    assert value(table, "turnover_rate_voluntary", 2019, "delta") == pytest.approx(1 / 13)
    # A unit without leavers has rate 0 when it has staff, empty when it has none.
    assert math.isnan(value(table, "turnover_rate", 2019, "facket"))
    assert value(table, "headcount", 2019, "facket") == 0


def test_mid_year_merger_is_restated_to_the_successor():
    # Alfa has 6 and Beta 4 permanent staff until 2020-06-30, when all move to Ceta
    # (omorganisation). One Alfa worker resigned on 2020-03-31.
    spells = []
    for i in range(6):
        spells.append(spell("alfa", "2015-01-01", "2020-06-30", "omorganisation", person=f"a{i}"))
        spells.append(spell("ceta", "2020-07-01", person=f"a{i}"))
    for i in range(4):
        spells.append(spell("beta", "2015-01-01", "2020-06-30", "omorganisation", person=f"b{i}"))
        spells.append(spell("ceta", "2020-07-01", person=f"b{i}"))
    spells.append(spell("alfa", "2015-01-01", "2020-03-31", "egen_begaran", person="q"))
    edition_2021 = exact_indicators(delivery(spells), 2021, NO_SUPPRESSION)
    # Ceta in 2020: Jan-Mar 11, Apr-Jun 10 (Alfa+Beta), Jul-Dec 10 -> (33 + 30 + 60) / 12
    assert value(edition_2021, "headcount", 2020, "ceta") == pytest.approx(123 / 12)
    assert value(edition_2021, "turnover_rate", 2020, "ceta") == pytest.approx(1 / (123 / 12))
    # 2019 restated: 6 + 4 + 1
    assert value(edition_2021, "headcount", 2019, "ceta") == pytest.approx(11.0)
    assert set(edition_2021.unit_id) == {"ceta", "delta", "facket", "stockholm"}
    # published as displayed: a mean headcount whole, a rate to 0.1 percentage point
    published = compute_indicators(delivery(spells), 2021, NO_SUPPRESSION)
    assert value(published, "headcount", 2020, "ceta") == 10.0  # 10.25
    assert value(published, "turnover_rate", 2020, "ceta") == 0.098  # 0.09756...
    # The 2019 edition still has Alfa and Beta apart.
    edition_2019 = compute_indicators(delivery(spells), 2019, NO_SUPPRESSION)
    assert set(edition_2019.unit_id) == {"alfa", "beta", "delta", "facket", "stockholm"}
    assert value(edition_2019, "headcount", 2019, "alfa") == pytest.approx(7.0)


def test_city_counts_every_unit():
    spells = [
        spell("delta", "2015-01-01", person="d"),
        spell("facket", "2015-01-01", person="f"),
        spell("alfa", "2015-01-01", "2020-06-30", "omorganisation", person="a"),
        spell("ceta", "2020-07-01", person="a"),
    ]
    table = compute_indicators(delivery(spells), 2021, NO_SUPPRESSION)
    assert value(table, "headcount", 2021, "stockholm") == pytest.approx(3.0)
    assert value(table, "headcount", 2020, "stockholm") == pytest.approx(3.0)
    assert row(table, "headcount", 2020, "stockholm")["unit_name"] == "Stockholms stad"


def test_rows_for_every_unit_and_occupation_in_covered_years_only():
    spells = [spell("delta", "2018-03-01", "2019-05-31", "pension")]
    table = compute_indicators(delivery(spells), 2021, NO_SUPPRESSION)
    # Spells are active in 2018 and 2019 only; no rows for 2016, 2017, 2020, 2021.
    assert sorted(table[table.indicator == "headcount"].year.unique()) == [2018, 2019]
    headcount = table[(table.indicator == "headcount") & (table.year == 2018)]
    assert len(headcount) == 4 * 3  # (ceta, delta, facket, stockholm) x 3 occupations


def test_a_unit_has_no_figures_for_years_before_it_or_its_predecessors_existed():
    # Epsilon is formed on 2021-12-31 without predecessors and has no staff; Ceta was
    # formed in 2020 from Alfa and Beta, which existed from 2010.
    units = [*UNITS, ("epsilon", "Epsilon", "stadsdelsforvaltning", "2021-12-31", None, None)]
    spells = [spell("delta", "2018-01-01", person="d"), spell("alfa", "2018-01-01", person="a")]
    data = delivery(spells)
    data.tables["units"] = units_frame(units)
    table = compute_indicators(data, 2021, NO_SUPPRESSION)
    epsilon = table[(table.unit_id == "epsilon") & (table.indicator == "headcount")]
    assert epsilon[epsilon.year < 2021].value.isna().all()  # not 0: it did not exist
    assert not epsilon.suppressed.any()  # "uppgift saknas", not ".."
    assert epsilon[epsilon.year == 2021].value.tolist() == [0.0, 0.0, 0.0]
    # a restated unit keeps its predecessors' years, the city every year
    assert value(table, "headcount", 2018, "ceta") == pytest.approx(1.0)
    assert value(table, "headcount", 2018, "stockholm") == pytest.approx(2.0)


# --- disclosure control ------------------------------------------------------------


def test_suppression_at_the_threshold():
    five = [spell("delta", "2015-01-01", person=f"d{i}") for i in range(5)]
    four = [spell("facket", "2015-01-01", person=f"f{i}") for i in range(4)]
    half = [
        spell("ceta", "2020-07-01", person="c1"),  # 6 month-ends in 2020 -> H 0.5 ... x9
        *[spell("ceta", "2020-07-01", person=f"c{i}") for i in range(2, 10)],
    ]
    table = compute_indicators(delivery(five + four + half), 2020, ReportConfig(min_n=5))
    delta = row(table, "headcount", 2020, "delta", "socialsekreterare")
    assert delta["value"] == 5 and not delta["suppressed"]  # exactly 5 is shown
    facket = row(table, "headcount", 2020, "facket", "socialsekreterare")
    assert math.isnan(facket["value"]) and facket["suppressed"]
    ceta = row(table, "headcount", 2020, "ceta", "socialsekreterare")  # 9 x 6 / 12 = 4.5
    assert math.isnan(ceta["value"]) and ceta["suppressed"]
    zero = row(table, "headcount", 2020, "delta", "bistandshandlaggare")
    assert zero["value"] == 0 and not zero["suppressed"]  # 0 is shown
    rate = row(table, "turnover_rate", 2020, "facket", "socialsekreterare")
    assert rate["suppressed"] and math.isnan(rate["value"])
    no_base = row(table, "turnover_rate", 2020, "delta", "bistandshandlaggare")
    assert not no_base["suppressed"] and math.isnan(no_base["value"])  # no data, not hidden


def test_primary_suppression_rules_and_purity():
    results = pd.DataFrame(
        {
            "indicator": ["x"] * 9,
            "value": [3.0, 0.0, 7.0, 0.4, 0.4, float("nan"), 12.0, 0.0, float("nan")],
            "base": [3.0, 0.0, 7.0, 4.99, 5.0, 0.0, 2.0, 0.0, 3.0],
            "rule": ["count", "count", "count", "base", "base", "base", "none", "base", "count"],
        }
    )
    before = results.copy()
    small = primary_reasons(results, 5) != ""
    # A count of 3 and a rate tied to 3 events are small even when the rate itself is
    # empty; a rate over a base of 0 is not small (it has no data).
    assert small.tolist() == [True, False, False, True, False, False, False, False, True]
    pd.testing.assert_frame_equal(results, before)


def test_no_suppression_config_blanks_only_rates_without_data():
    results = pd.DataFrame(
        {
            "value": [3.0, float("nan")],
            "base": [3.0, 0.0],
            "rule": ["count", "base"],
        }
    )
    out, summary = apply_disclosure(results, 0, registry=None, edition=2021)
    assert out["suppressed"].tolist() == [False, False]
    assert out["value"].isna().tolist() == [False, True]
    assert summary.primary == summary.secondary == 0


# --- other sources ------------------------------------------------------------------


def test_consultants_take_each_source_units_last_measuring_point():
    consultants = [
        dict(
            measured_on="2019-04-15", unit_id="alfa", occupation="socialsekreterare", consultants=9
        ),
        dict(
            measured_on="2019-11-15", unit_id="alfa", occupation="socialsekreterare", consultants=4
        ),
        dict(
            measured_on="2019-11-15",
            unit_id="alfa",
            occupation="bistandshandlaggare",
            consultants=1,
        ),
        dict(
            measured_on="2019-10-01", unit_id="beta", occupation="socialsekreterare", consultants=2
        ),
        dict(
            measured_on="2019-11-15", unit_id="delta", occupation="socialsekreterare", consultants=0
        ),
    ]
    table = compute_indicators(delivery([], consultants=consultants), 2021, NO_SUPPRESSION)
    # Ceta (restated from Alfa and Beta): Alfa at 11-15 (4) + Beta at 10-01 (2)
    assert value(table, "consultants", 2019, "ceta", "socialsekreterare") == 6
    assert value(table, "consultants", 2019, "ceta", "bistandshandlaggare") == 1
    assert value(table, "consultants", 2019, "ceta") == 7
    assert value(table, "consultants", 2019, "stockholm") == 7
    assert value(table, "consultants", 2019, "facket") == 0  # no row: 0 for a count
    assert sorted(table[table.indicator == "consultants"].year.unique()) == [2019]


def test_consultants_use_one_last_date_per_unit_for_every_occupation():
    consultants = [
        dict(
            measured_on="2017-04-15",
            unit_id="delta",
            occupation="bistandshandlaggare",
            consultants=2,
        ),
        dict(
            measured_on="2017-11-15", unit_id="delta", occupation="socialsekreterare", consultants=4
        ),
    ]
    table = compute_indicators(delivery([], consultants=consultants), 2017, NO_SUPPRESSION)
    # Delta's last measuring date in 2017 is 11-15; it has no biståndshandläggare row then.
    assert value(table, "consultants", 2017, "delta", "socialsekreterare") == 4
    assert value(table, "consultants", 2017, "delta", "bistandshandlaggare") == 0
    assert value(table, "consultants", 2017, "delta") == 4


def test_costs_job_ads_and_wait_times():
    costs = [
        dict(year=2020, unit_id="alfa", cost_sek=1000.5),
        dict(year=2020, unit_id="ceta", cost_sek=2000.0),
    ]
    ads = [
        dict(month="2020-01", unit_id="delta", occupation="socialsekreterare", ads=3),
        dict(month="2020-12", unit_id="delta", occupation="socialsekreterare", ads=4),
        dict(month="2020-12", unit_id="delta", occupation="bistandshandlaggare", ads=2),
        dict(month="2021-01", unit_id="delta", occupation="socialsekreterare", ads=50),
    ]
    visits = [
        dict(
            request_id="v1",
            unit_id="delta",
            area="vuxna",
            requested_on="2020-01-01",
            visit_on="2020-01-11",
        ),
        dict(
            request_id="v2",
            unit_id="delta",
            area="vuxna",
            requested_on="2020-02-01",
            visit_on="2020-02-03",
        ),
        dict(
            request_id="v3",
            unit_id="delta",
            area="vuxna",
            requested_on="2020-12-30",
            visit_on="2021-01-02",
        ),
        dict(
            request_id="v4", unit_id="delta", area="vuxna", requested_on="2020-12-31", visit_on=None
        ),
        dict(
            request_id="v5",
            unit_id="delta",
            area="vuxna",
            requested_on="2019-12-31",
            visit_on="2020-01-30",
        ),
    ]
    table = compute_indicators(
        delivery([], consultant_costs=costs, job_ads=ads, visits=visits), 2020, NO_SUPPRESSION
    )
    assert value(table, "consultant_cost_sek", 2020, "ceta") == pytest.approx(3000.5)
    assert value(table, "job_ads", 2020, "delta", "socialsekreterare") == 7
    assert value(table, "job_ads", 2020, "delta") == 9
    assert 2021 not in set(table.year)
    # requested in 2020 and booked: 10, 2, 3 days -> mean 5, median 3
    assert value(table, "wait_days_mean", 2020, "delta") == pytest.approx(5.0)
    assert value(table, "wait_days_median", 2020, "delta") == pytest.approx(3.0)
    assert value(table, "wait_days_mean", 2019, "delta") == pytest.approx(30.0)
    assert set(table[table.indicator == "wait_days_mean"].occupation) == {"alla"}


def test_caseload_survey_and_incidents():
    caseload = [
        dict(
            month="2020-01",
            unit_id="delta",
            occupation="socialsekreterare",
            area="vuxna",
            open_cases=30,
            case_workers_fte=1.0,
        ),
        dict(
            month="2020-02",
            unit_id="delta",
            occupation="socialsekreterare",
            area="vuxna",
            open_cases=50,
            case_workers_fte=1.5,
        ),
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
        ),
        dict(
            year=2020,
            unit_id="facket",
            occupation="socialsekreterare",
            index_id="ami",
            invited=10,
            respondents=2,
            value=40.0,
        ),
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
    staff = [spell("delta", "2015-01-01", person=f"d{i}") for i in range(8)]
    staff += [
        spell("delta", "2015-01-01", person=f"v{i}", employment_type="visstid") for i in range(4)
    ]
    table = compute_indicators(
        delivery(staff, caseload=caseload, staff_survey=survey, incidents=incidents),
        2020,
        NO_SUPPRESSION,
    )
    cases = value(table, "cases_per_worker", 2020, "delta", "socialsekreterare")
    assert cases == pytest.approx(80 / 2.5)
    # city ami weighted by respondents: (70*8 + 40*2) / 10 = 64
    assert value(table, "survey_ami", 2020, "stockholm") == pytest.approx(64.0)
    assert value(table, "survey_response_rate", 2020, "stockholm") == pytest.approx(10 / 20)
    assert value(table, "incidents", 2020, "delta", "socialsekreterare") == 6
    # H_all counts visstid too: 12 -> 100 * 6 / 12
    assert value(table, "incidents_per_100", 2020, "delta") == pytest.approx(50.0)
    suppressed = compute_indicators(
        delivery(staff, staff_survey=survey, incidents=incidents[:4]), 2020, ReportConfig()
    )
    assert row(suppressed, "survey_ami", 2020, "facket", "socialsekreterare")["suppressed"]
    assert row(suppressed, "incidents", 2020, "delta")["suppressed"]
    assert row(suppressed, "incidents_per_100", 2020, "delta")["suppressed"]
    assert not row(suppressed, "survey_ami", 2020, "delta", "socialsekreterare")["suppressed"]


def test_response_rate_base_is_invited_persons_not_person_indices():
    survey = [
        dict(
            year=2020,
            unit_id="facket",
            occupation="bistandshandlaggare",
            index_id=i,
            invited=3,
            respondents=2,
            value=50.0,
        )
        for i in ("ami", "ledarskap", "lon")
    ]
    survey += [
        dict(
            year=2020,
            unit_id="delta",
            occupation="socialsekreterare",
            index_id=i,
            invited=10,
            respondents=0,
            value=0.0,
        )
        for i in ("ami", "ledarskap")
    ]
    table = compute_indicators(delivery([], staff_survey=survey), 2020, ReportConfig())
    # 3 invited persons (not 9 person-indices) is below 5
    assert row(table, "survey_response_rate", 2020, "facket", "bistandshandlaggare")["suppressed"]
    # 0 of 10 invited answered: a real 0 %, while the index itself has no data
    assert value(table, "survey_response_rate", 2020, "delta", "socialsekreterare") == 0
    ami = row(table, "survey_ami", 2020, "delta", "socialsekreterare")
    assert math.isnan(ami["value"]) and not ami["suppressed"]


def test_reinforcement_staff_weeks_split_across_years_inclusively():
    assignments = [
        dict(
            assignment_id="r1",
            team="T",
            unit_id="delta",
            start_date="2019-12-25",
            end_date="2020-01-07",
            staff=2,
        )
    ]
    table = compute_indicators(delivery([], reinforcement=assignments), 2020, NO_SUPPRESSION)
    # 2019-12-25..31 = 7 days -> 2 * 7 / 7 = 2; 2020-01-01..07 = 7 days -> 2
    assert value(table, "reinforcement_staff_weeks", 2019, "delta") == pytest.approx(2.0)
    assert value(table, "reinforcement_staff_weeks", 2020, "delta") == pytest.approx(2.0)
    assert value(table, "reinforcement_staff_weeks", 2020, "stockholm") == pytest.approx(2.0)


def test_staff_per_manager_and_admin_support_on_the_last_measuring_date():
    staff = [spell("delta", "2015-01-01", person=f"d{i}") for i in range(10)]
    staff += [
        spell(
            "delta",
            "2015-01-01",
            "2020-06-30",
            "pension",
            person=f"x{i}",
            occupation="bistandshandlaggare",
            employment_type="visstid",
        )
        for i in range(2)
    ]
    managers = [
        dict(measured_on="2020-03-31", unit_id="delta", managers=4),
        dict(measured_on="2020-12-31", unit_id="delta", managers=2),
    ]
    admin = [dict(measured_on="2020-06-30", unit_id="delta", administrators_fte=3.0)]
    table = compute_indicators(
        delivery(staff, managers=managers, admin_support=admin), 2020, NO_SUPPRESSION
    )
    # 2020-12-31: 10 active (the two visstid ended 06-30) / 2 managers
    assert value(table, "staff_per_manager", 2020, "delta") == pytest.approx(5.0)
    # 2020-06-30: 12 active (end date inclusive) -> 10 * 3 / 12
    assert value(table, "admin_fte_per_10", 2020, "delta") == pytest.approx(2.5)


def test_exit_reason_shares():
    interviews = [
        dict(
            interview_id="e1",
            person_id="p1",
            unit_id="delta",
            occupation="socialsekreterare",
            held_on="2020-02-01",
            reasons="lon;arbetsbelastning",
            comment="x",
        ),
        dict(
            interview_id="e2",
            person_id="p2",
            unit_id="delta",
            occupation="bistandshandlaggare",
            held_on="2020-03-01",
            reasons="lon",
            comment=None,
        ),
        dict(
            interview_id="e3",
            person_id="p3",
            unit_id="delta",
            occupation="socialsekreterare",
            held_on="2020-04-01",
            reasons="ledarskap; lon;lon",
            comment="y",
        ),
        dict(
            interview_id="e4",
            person_id="p4",
            unit_id="delta",
            occupation="socialsekreterare",
            held_on="2020-05-01",
            reasons="karriar",
            comment=None,
        ),
    ]
    table = compute_indicators(delivery([], exit_interviews=interviews), 2020, NO_SUPPRESSION)
    assert value(table, "exit_reason_share_lon", 2020, "delta") == pytest.approx(3 / 4)
    assert value(table, "exit_reason_share_arbetsbelastning", 2020, "delta") == pytest.approx(1 / 4)
    assert value(table, "exit_reason_share_hot_och_vald", 2020, "delta") == 0
    suppressed = compute_indicators(delivery([], exit_interviews=interviews), 2020, ReportConfig())
    assert row(suppressed, "exit_reason_share_lon", 2020, "delta")["suppressed"]  # 4 interviews


# --- the published table ------------------------------------------------------------


def test_published_table_shape_and_csv_format():
    spells = [spell("delta", "2015-01-01", person=f"d{i}") for i in range(6)]
    table = compute_indicators(delivery(spells), 2020, ReportConfig())
    assert list(table.columns) == PUBLISHED_COLUMNS
    assert set(table.edition) == {2020}
    text = to_csv_text(table)
    header, first = text.splitlines()[:2]
    assert header == "edition,year,unit_id,unit_name,occupation,indicator,value,suppressed"
    assert first.startswith("2020,2016,ceta,Ceta,socialsekreterare,headcount,0,false")
    assert "2020,2020,delta,Delta,socialsekreterare,headcount,6,false" in text


def test_inputs_are_not_modified():
    spells = [spell("delta", "2015-01-01", "2019-03-31", "egen_begaran")]
    d = delivery(
        spells,
        consultants=[
            dict(
                measured_on="2019-11-15",
                unit_id="alfa",
                occupation="socialsekreterare",
                consultants=3,
            )
        ],
    )
    before = {name: frame.copy() for name, frame in d.tables.items()}
    compute_results(d, 2021, ReportConfig())
    for name, frame in d.tables.items():
        pd.testing.assert_frame_equal(frame, before[name])


def test_headcount_on_counts_spells_active_on_the_day_inclusively():
    from uppfoljning.indicators import headcount_on

    spells = pd.DataFrame(
        {
            "unit_id": ["a", "a", "a", "b"],
            "start_date": pd.to_datetime(["2020-01-01", "2020-06-30", "2020-07-01", "2020-01-01"]),
            "end_date": pd.to_datetime(["2020-06-30", None, None, None]),
        }
    )
    days = pd.DataFrame(
        {
            "source_unit": ["a", "a", "a", "b", "c"],
            "day": pd.to_datetime(
                ["2020-06-30", "2020-07-01", "2019-12-31", "2020-06-30", "2020-06-30"]
            ),
        }
    )
    # 06-30: first (ends that day) + second (starts that day); 07-01: second + third
    assert headcount_on(spells, days).tolist() == [2, 2, 0, 1, 0]
