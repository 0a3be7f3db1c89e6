"""Viktigaste resultat (uppfoljning.main_points) on small published tables whose answers
were worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from uppfoljning import claims, labels
from uppfoljning.main_points import (
    MainPoints,
    Stated,
    cells_of,
    furthest_point,
    headline_sentence,
    largest_change_point,
    main_points,
    streak,
    streak_point,
)

NBSP = "\u00a0"
CITY = "stockholm"
UNITS = pd.DataFrame(
    {
        "unit_id": ["alfa", "beta", "gamma", "facket"],
        "name": ["Alfa", "Beta", "Gamma", "Facket"],
        "kind": ["stadsdelsforvaltning"] * 3 + ["fackforvaltning"],
    }
)


def table(*rows) -> pd.DataFrame:
    """rows: (unit_id, indicator, year, value) or (..., value, suppressed); occupation
    alla."""
    full = [(*r, False) if len(r) == 4 else r for r in rows]
    return pd.DataFrame(
        {
            "unit_id": [r[0] for r in full],
            "indicator": [r[1] for r in full],
            "occupation": "alla",
            "year": [r[2] for r in full],
            "value": [r[3] for r in full],
            "suppressed": [r[4] for r in full],
        }
    )


def series(unit, indicator, values: dict[int, float | None], hidden=()) -> list[tuple]:
    return [
        (unit, indicator, y, None if y in hidden else v, y in hidden) for y, v in values.items()
    ]


def test_headline_sentence_gives_value_change_and_first_year():
    cells = cells_of(
        table(
            *series(
                CITY,
                "turnover_rate",
                {2020: 0.17, 2021: 0.16, 2022: 0.15, 2023: 0.138, 2024: 0.155},
            )
        )
    )
    text, stated = headline_sentence(cells, "turnover_rate", 2024, 2020)
    assert text == (
        "Personalrörligheten bland stadens socialsekreterare och "
        f"biståndshandläggare var 15,5{NBSP}% år 2024, jämfört med 13,8{NBSP}% "
        f"år 2023 (+1,7 procentenheter), och lägre än år 2020 (17,0{NBSP}%)."
    )
    assert stated == (Stated(CITY, "turnover_rate", "alla", 2020, 2024, "down"),)


def test_headline_change_is_that_of_the_displayed_values_and_singular():
    # 72,4 % -> 73 %, 73,4 % -> 73 % ... response rate shown as whole percent
    cells = cells_of(
        table(*series(CITY, "survey_response_rate", {2022: 0.734, 2023: 0.724, 2024: 0.735}))
    )
    text, stated = headline_sentence(cells, "survey_response_rate", 2024, 2022)
    # 72 % (0.724) to 74 % (0.735, half up): +2; 2022 shows 73 %: higher
    assert f"74{NBSP}% år 2024, jämfört med 72{NBSP}% år 2023 (+2 procentenheter)" in text
    assert text.endswith(f"och högre än år 2022 (73{NBSP}%).")
    cells = cells_of(table(*series(CITY, "survey_response_rate", {2023: 0.72, 2024: 0.73})))
    text, stated = headline_sentence(cells, "survey_response_rate", 2024, 2022)
    assert "(+1 procentenhet)" in text and stated == ()  # no year before 2023


def test_headline_level_with_the_first_year_as_displayed():
    cells = cells_of(table(*series(CITY, "job_ads", {2020: 100.4, 2023: 90, 2024: 99.6})))
    text, stated = headline_sentence(cells, "job_ads", 2024, 2020)
    assert text.endswith("och på samma nivå som år 2020 (100).")
    assert stated[0].direction == "flat"


@pytest.mark.parametrize(
    "hidden,expected",
    [
        (
            (2024,),
            "Personalrörligheten bland stadens socialsekreterare och biståndshandläggare "
            "för år 2024 redovisas inte (..).",
        ),
        (
            (2023,),
            "Personalrörligheten bland stadens socialsekreterare och biståndshandläggare "
            f"var 15,5{NBSP}% år 2024 och lägre än år 2020 (17,0{NBSP}%). Värdet för 2023 "
            "redovisas inte (..).",
        ),
        (
            (2020, 2023),
            "Personalrörligheten bland stadens socialsekreterare och "
            f"biståndshandläggare var 15,5{NBSP}% år 2024 och högre än år 2021 "
            f"(15,0{NBSP}%). Värdet för 2023 redovisas inte (..).",
        ),
    ],
)
def test_a_hidden_value_never_breaks_the_sentence(hidden, expected):
    cells = cells_of(
        table(
            *series(
                CITY,
                "turnover_rate",
                {2020: 0.17, 2021: 0.15, 2023: 0.138, 2024: 0.155},
                hidden=hidden,
            )
        )
    )
    text, stated = headline_sentence(cells, "turnover_rate", 2024, 2020)
    assert text == expected
    assert all(s.since not in hidden for s in stated)
    for broken in ("var ..", "med ..", "(..)  ", "än år 2020 (..)"):
        assert broken not in text


def test_a_missing_edition_value_says_so():
    cells = cells_of(table(*series(CITY, "job_ads", {2023: 90})))
    text, stated = headline_sentence(cells, "job_ads", 2024, 2020)
    assert text == "Antalet publicerade platsannonser för år 2024 saknas i underlaget."
    assert headline_sentence(cells, "wait_days_mean", 2024, 2020) is None


def test_a_measure_rising_three_years_in_a_row_appears():
    rows = (
        series(CITY, "consultants", {2020: 30, 2021: 25, 2022: 27, 2023: 29, 2024: 31})
        # two years up only: not a streak
        + series(CITY, "wait_days_mean", {2021: 20.0, 2022: 19.0, 2023: 19.5, 2024: 20.0})
        # rising is good here: not the wrong way
        + series(
            CITY, "survey_response_rate", {2020: 0.6, 2021: 0.62, 2022: 0.64, 2023: 0.66, 2024: 0.7}
        )
        # no direction: job ads rising say nothing by themselves
        + series(CITY, "job_ads", {2020: 1, 2021: 2, 2022: 3, 2023: 4, 2024: 5})
        # falling the wrong way four years
        + series(CITY, "admin_fte_per_10", {2020: 2.0, 2021: 1.9, 2022: 1.8, 2023: 1.7, 2024: 1.6})
    )
    cells = cells_of(table(*rows))
    point = streak_point(
        cells,
        ["consultants", "wait_days_mean", "survey_response_rate", "job_ads", "admin_fte_per_10"],
        2024,
        2016,
    )
    assert point.text == (
        "Två mått har utvecklats åt det sämre hållet varje år i minst tre år i rad fram till 2024:"
    )
    assert point.items == (
        "antalet socionomkonsulter har ökat varje år sedan 2021, från 25 till 31",
        "det administrativa stödet per 10 medarbetare har minskat varje år sedan 2020, "
        "från 2,0 till 1,6",
    )
    assert point.full_text.endswith(
        "från 25 till 31 och det administrativa stödet per 10 "
        "medarbetare har minskat varje år sedan 2020, från 2,0 "
        "till 1,6."
    )
    assert [s.since for s in point.stated] == [2021, 2020]
    assert all(s.every_year for s in point.stated)


def test_a_streak_ends_at_a_hidden_or_displayed_level_year():
    rising = {2019: 0.10, 2020: 0.11, 2021: 0.12, 2022: 0.13, 2023: 0.14, 2024: 0.15}
    # 2021 hidden: the run is 2022-2024, two changes
    cells = cells_of(table(*series(CITY, "turnover_rate", rising, hidden=(2021,))))
    assert streak(cells, "turnover_rate", 2024, 2016) is None
    cells = cells_of(table(*series(CITY, "turnover_rate", rising, hidden=(2020,))))
    assert streak(cells, "turnover_rate", 2024, 2016).start == 2021
    # 14,04 % and 14,01 % both show 14,0 %: no change in 2023, the run starts there
    level = {**rising, 2022: 0.1401, 2023: 0.1404}
    cells = cells_of(table(*series(CITY, "turnover_rate", level)))
    assert streak(cells, "turnover_rate", 2024, 2016) is None
    # the run never goes back before the first year of the series
    cells = cells_of(table(*series(CITY, "turnover_rate", rising)))
    assert streak(cells, "turnover_rate", 2024, 2021).start == 2021
    assert streak(cells, "turnover_rate", 2024, 2022) is None


def test_no_streak_no_point():
    cells = cells_of(table(*series(CITY, "turnover_rate", {2023: 0.2, 2024: 0.1})))
    assert streak_point(cells, ["turnover_rate"], 2024, 2016) is None


def test_largest_change_either_way_and_ties():
    rows = (
        series(CITY, "reinforcement_staff_weeks", {2023: 800, 2024: 440})  # -45 %
        + series(CITY, "job_ads", {2023: 200, 2024: 290})  # +45 %
        + series(CITY, "turnover_rate", {2023: 0.10, 2024: 0.14})  # +40 %
        + series(CITY, "consultants", {2023: 0, 2024: 5})  # from 0: no relative change
        + series(CITY, "cases_per_worker", {2023: 10.0, 2024: 30.0}, hidden=(2023,))
    )
    point = largest_change_point(
        cells_of(table(*rows)),
        [
            "turnover_rate",
            "consultants",
            "job_ads",
            "cases_per_worker",
            "reinforcement_staff_weeks",
        ],
        2024,
    )
    assert point.text == (
        "Störst förändring sedan 2023, räknat i procent av värdet år 2023, hade antalet "
        f"publicerade platsannonser, som ökade från 200 till 290 (+90, +45{NBSP}%) och "
        "förstärkningsteamens insatser i personveckor, som minskade från 800 till 440 "
        f"(−360, −45{NBSP}%)."
    )
    assert [(s.indicator, s.direction) for s in point.stated] == [
        ("job_ads", "up"),
        ("reinforcement_staff_weeks", "down"),
    ]


def test_largest_change_none_when_nothing_changed():
    rows = series(CITY, "job_ads", {2023: 200, 2024: 200})
    assert largest_change_point(cells_of(table(*rows)), ["job_ads"], 2024) is None


def test_furthest_district_ties_and_counts_left_out():
    rows = (
        series(CITY, "turnover_rate", {2024: 0.15})
        + series("alfa", "turnover_rate", {2024: 0.18})  # +20 %
        + series("beta", "turnover_rate", {2024: 0.12})  # -20 %
        + series("gamma", "turnover_rate", {2024: 0.16}, hidden=(2024,))
        + series("facket", "turnover_rate", {2024: 0.30})  # not a district
        + series(CITY, "consultants", {2024: 30})  # a count: the city is the total
        + series("alfa", "consultants", {2024: 1})
        + series(CITY, "wait_days_mean", {2024: 10.0})
        + series("gamma", "wait_days_mean", {2024: 11.0})
    )  # +10 %
    point = furthest_point(
        cells_of(table(*rows)), UNITS, ["turnover_rate", "consultants", "wait_days_mean"], 2024
    )
    assert point.text == (
        "Längst från hela staden år 2024, räknat i procent av stadens värde, låg Alfa när "
        f"det gäller personalrörligheten (18,0{NBSP}% mot 15,0{NBSP}% i hela staden, "
        f"+20{NBSP}%) och Beta när det gäller personalrörligheten (12,0{NBSP}% mot "
        f"15,0{NBSP}% i hela staden, −20{NBSP}%)."
    )


def test_furthest_none_without_a_city_value():
    rows = series(CITY, "turnover_rate", {2024: 0.15}, hidden=(2024,)) + series(
        "alfa", "turnover_rate", {2024: 0.18}
    )
    assert furthest_point(cells_of(table(*rows)), UNITS, ["turnover_rate"], 2024) is None


def _edition_table() -> pd.DataFrame:
    return table(
        *(
            series(
                CITY,
                "turnover_rate",
                {2020: 0.105, 2021: 0.108, 2022: 0.12, 2023: 0.138, 2024: 0.155},
            )
            + series("alfa", "turnover_rate", {2023: 0.2, 2024: 0.209})
            + series("beta", "turnover_rate", {2023: 0.1, 2024: 0.09})
            + series(CITY, "consultants", {2020: 25, 2021: 27, 2022: 29, 2023: 31, 2024: 33})
            + series(
                CITY, "consultant_cost_sek", {2020: 29_100_000, 2023: 36_500_000, 2024: 39_900_000}
            )
            + series(CITY, "job_ads", {2023: 615, 2024: 663}, hidden=(2023,))
            + series(CITY, "reinforcement_staff_weeks", {2023: 798, 2024: 443})
        )
    )


def test_main_points_of_an_edition_are_balanced_and_true():
    indicators = _edition_table()
    copy = indicators.copy()
    points = main_points(indicators, UNITS, 2024, 2020)
    pd.testing.assert_frame_equal(indicators, copy)  # pure
    kinds = [p.kind for p in points]
    assert kinds == ["headline"] * 3 + ["streak", "largest_change", "furthest"]
    assert 5 <= len(points) <= 8
    streak_text = points[3].full_text
    assert "personalrörligheten har ökat varje år sedan 2020" in streak_text
    assert "antalet socionomkonsulter har ökat varje år sedan 2020" in streak_text
    # cost: 2021 and 2022 missing, so no run of three published changes
    assert "kostnaden" not in streak_text
    assert (
        "Antalet publicerade platsannonser var 663 år 2024. Värdet för 2023 redovisas "
        "inte (..)." in points[2].text
    )
    assert "förstärkningsteamens insatser" in points[4].text
    # Alfa 20,9 % is 35 % above the city's 15,5 %, Beta 9,0 % 42 % below it
    assert "låg Beta när det gäller personalrörligheten (9,0" in points[5].text
    assert claims.check_stated(points, indicators) == []


def test_the_claims_check_catches_a_wrong_statement():
    indicators = _edition_table()
    wrong = MainPoints(()).points + (
        type(
            "P",
            (),
            {
                "text": "x",
                "stated": (
                    Stated(CITY, "consultants", "alla", 2020, 2024, "down"),
                    Stated(CITY, "job_ads", "alla", 2023, 2024, "up"),
                    Stated(CITY, "turnover_rate", "alla", 2020, 2024, "up", every_year=True),
                ),
            },
        )(),
    )
    problems = claims.check_stated(wrong, indicators)
    # consultants rose; the 2023 job ads are hidden; turnover rose every year: fine
    assert [(p.indicator, p.from_year, p.to_year) for p in problems] == [
        ("consultants", 2020, 2024),
        ("job_ads", 2023, 2024),
    ]


def test_points_render_as_an_escaped_list():
    units = UNITS.assign(name=["Alfa", "<b>Beta</b>", "Gamma", "Facket"])
    points = main_points(_edition_table(), units, 2024, 2020)
    html = MainPoints(points).to_html()
    assert html.count("<li>") == len(points) + sum(len(p.items) for p in points)
    assert "&lt;b&gt;Beta&lt;/b&gt;" in html and "<b>" not in html
    assert labels.MAIN_POINTS_NONE in MainPoints(()).to_html()


def test_count_words():
    assert labels.count_words(1, "mått") == "ett mått"
    assert labels.count_words(3) == "tre"
    assert labels.count_words(14, "mått") == "14 mått"


def test_a_first_edition_has_no_year_before_to_speak_of():
    cells = cells_of(table(*series(CITY, "job_ads", {2016: 90})))
    text, stated = headline_sentence(cells, "job_ads", 2016, 2016)
    assert text == "Antalet publicerade platsannonser var 90 år 2016." and stated == ()


def test_nothing_published_nothing_to_sum_up():
    indicators = table(*series(CITY, "turnover_rate", {2024: None}, hidden=(2024,)))
    points = main_points(indicators, UNITS, 2024, 2016)
    assert [p.text for p in points] == [
        "Personalrörligheten bland stadens socialsekreterare och biståndshandläggare för "
        "år 2024 redovisas inte (..)."
    ]
    assert (
        labels.MAIN_POINTS_NONE
        in MainPoints(
            main_points(table(("alfa", "job_ads", 2024, 3.0)), UNITS, 2024, 2016)
        ).to_html()
    )
