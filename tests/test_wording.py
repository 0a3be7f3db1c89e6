"""Words computed like numbers: trend directions, highest and lowest, change sentences.
Every expected answer below was worked out by hand from the series beside it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from uppfoljning import wording as w

MINUS = "\u2212"
NBSP = "\u00a0"
YEARS = range(2016, 2025)


def _series(*values):
    return list(zip(YEARS, values, strict=False))


def test_rising_and_falling_series():
    rising = w.describe_trend(
        _series(0.10, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17, 0.18), "turnover_rate"
    )
    assert (rising.direction, rising.recent_direction) == ("up", None)
    assert (rising.first, rising.last) == (Decimal("10.0"), Decimal("18.0"))
    falling = w.describe_trend(
        _series(0.18, 0.17, 0.16, 0.15, 0.14, 0.13, 0.12, 0.11, 0.10), "turnover_rate"
    )
    assert (falling.direction, falling.recent_direction) == ("down", None)
    assert w.trend_phrase(falling, 2024) == "har minskat sedan 2016"


def test_v_shape_names_the_recent_rise():
    # 18 % in 2016 down to 10,8 % in 2021, then up every year to 15,5 % in 2024:
    # down since 2016 (−2,5 points), up since 2021 by 4,7 points, more than a tenth of 10,8
    trend = w.describe_trend(
        _series(0.18, 0.17, 0.15, 0.13, 0.12, 0.108, 0.12, 0.14, 0.155), "turnover_rate"
    )
    assert trend.direction == "down"
    assert (trend.recent_year, trend.recent, trend.recent_direction) == (
        2021,
        Decimal("10.8"),
        "up",
    )
    assert w.trend_phrase(trend, 2024) == "har minskat sedan 2016 men ökat sedan 2021"


def test_inverted_v_names_the_recent_fall():
    # 100 → 300 (2021) → 150: up since 2016, down by half since 2021
    trend = w.describe_trend(_series(100, 150, 200, 250, 280, 300, 250, 200, 150), "consultants")
    assert (trend.direction, trend.recent_direction, trend.recent_year) == ("up", "down", 2021)
    assert w.trend_phrase(trend, 2024) == "har ökat sedan 2016 men minskat sedan 2021"


def test_the_largest_recent_counter_movement_is_named():
    # up since 2016 (100 → 160), but 2023 had 290: the fall from 2023 (−130) is larger
    # than from 2021 (240 → 160, −80)
    trend = w.describe_trend(_series(100, 120, 140, 160, 200, 240, 260, 290, 160), "consultants")
    assert (trend.direction, trend.recent_year, trend.recent) == ("up", 2023, Decimal(290))


def test_small_recent_counter_movement_is_not_named():
    # down since 2016; 2021 → 2024 rises 100 → 110, exactly a tenth: not more than a tenth
    trend = w.describe_trend(_series(200, 180, 160, 140, 120, 100, 104, 108, 110), "consultants")
    assert (trend.direction, trend.recent_direction) == ("down", None)


def test_flat_series_and_flat_then_recent_rise():
    flat = w.describe_trend(
        _series(0.14, 0.14, 0.14, 0.14, 0.14, 0.14, 0.14, 0.14, 0.14), "turnover_rate"
    )
    assert flat.direction == "flat" and flat.recent_direction is None
    assert w.trend_phrase(flat, 2024) == "är ungefär som 2016"
    # 20 % in 2016 and 20,5 % in 2024 (within a point) but 13 % in 2021: +7,5 points
    back = w.describe_trend(
        _series(0.20, 0.18, 0.16, 0.15, 0.14, 0.13, 0.15, 0.18, 0.205), "turnover_rate"
    )
    assert (back.direction, back.recent_direction) == ("flat", "up")
    assert w.trend_phrase(back, 2024) == "är ungefär som 2016 men har ökat sedan 2021"


def test_values_tied_in_the_display_are_flat():
    # 14,04 % and 14,01 % both show as 14,0 %; counts 12 and 12 are equal
    assert w.describe_trend([(2016, 0.1404), (2024, 0.1401)], "turnover_rate").direction == "flat"
    assert w.describe_trend([(2016, 12), (2024, 12)], "consultants").direction == "flat"
    # a count from 0 to 0 is flat, from 0 to 3 up
    assert w.describe_trend([(2016, 0), (2024, 0)], "consultants").direction == "flat"
    assert w.describe_trend([(2016, 0), (2024, 3)], "consultants").direction == "up"


def test_hidden_values_are_skipped():
    # 2021 hidden: the recent movement starts at 2022, the lowest published year after it
    points = _series(0.18, 0.17, 0.15, 0.13, 0.12, None, 0.11, 0.14, 0.155)
    trend = w.describe_trend(points, "turnover_rate")
    assert (trend.direction, trend.recent_year, trend.recent_direction) == ("down", 2022, "up")
    assert w.trend_phrase(trend, 2024) == "har minskat sedan 2016 men ökat sedan 2022"
    # the edition's own value hidden: the title names the years it speaks of
    hidden_last = w.describe_trend(
        _series(0.10, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17, None), "turnover_rate"
    )
    assert hidden_last.last_year == 2023
    assert w.trend_phrase(hidden_last, 2024) == "ökade 2016–2023"
    assert "Värdet för 2024 redovisas inte (..)." in w.trend_summary(
        hidden_last,
        "turnover_rate",
        _series(0.10, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17, None),
        2024,
    )
    # only one published value: no trend to state
    assert w.describe_trend(_series(None, None, 0.1), "turnover_rate") is None


def test_series_starting_late():
    # first published in 2023: no year between the first and the last to start from
    short = w.describe_trend([(2023, 50), (2024, 80)], "consultants")
    assert (short.first_year, short.direction, short.recent_direction) == (2023, "up", None)
    assert w.trend_phrase(short, 2024) == "har ökat sedan 2023"
    # first published in 2022; 80 in 2023 to 60 in 2024 is a fall of a quarter
    trend = w.describe_trend([(2022, 50), (2023, 80), (2024, 60)], "consultants")
    assert (trend.direction, trend.recent_year, trend.recent_direction) == ("up", 2023, "down")
    assert w.trend_phrase(trend, 2024) == "har ökat sedan 2022 men minskat sedan 2023"
    # first published in 2020: of 2021 (200) and 2022 (150) the larger fall is from 2021
    late = w.describe_trend([(2020, 100), (2021, 200), (2022, 150), (2024, 150)], "consultants")
    assert (late.direction, late.recent_year, late.recent_direction) == ("up", 2021, "down")


def test_extremes_name_every_unit_sharing_the_value():
    values = [
        ("Södermalm", 0, False),
        ("Bromma", 0.0, False),
        ("Farsta", 5, False),
        ("Kista", 5.4, False),
        ("Enskede", None, True),
        ("Norrmalm", None, False),
    ]
    result = w.extremes(values, "consultants")  # 5 and 5,4 both show as 5
    assert result.highest == ("Farsta", "Kista")
    assert result.lowest == ("Bromma", "Södermalm")
    assert result.hidden == ("Enskede", "Norrmalm")
    many = [(name, 0, False) for name in "ABCDEFG"] + [("H", 3, False)]
    low = w.extremes(many, "consultants")
    assert w.name_units(low.lowest) == "sju förvaltningar"
    assert w.name_units(("A", "B")) == "A och B"
    assert w.extremes([("A", None, True)], "consultants") is None


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [
        (
            (0.3449, False),
            (0.4151, False),
            f"X var 34{NBSP}% år 2024, jämfört med 42{NBSP}% år 2023 ({MINUS}8 procentenheter).",
        ),
        (
            (0.34, False),
            (None, True),
            f"X var 34{NBSP}% år 2024; värdet för 2023 redovisas inte (..).",
        ),
        (
            (None, True),
            (0.42, False),
            f"X var 42{NBSP}% år 2023; värdet för 2024 redovisas inte (..).",
        ),
        ((0.34, False), None, f"X var 34{NBSP}% år 2024; värdet för 2023 saknas i underlaget."),
        ((None, True), (None, True), "X: värdena för 2023 och 2024 redovisas inte (..)."),
        (None, (None, False), "X: värdena för 2023 och 2024 saknas i underlaget."),
        (
            (None, True),
            None,
            "X: värdet för 2024 redovisas inte (..) och värdet för 2023 saknas i underlaget.",
        ),
    ],
)
def test_change_sentence_reads_whatever_is_hidden(now, before, expected):
    sentence = w.change_sentence("X", "exit_reason_share_lon", now, before, 2024)
    assert sentence == expected
    assert ".. (..)" not in sentence


def test_the_turning_point_is_the_low_point_itself_not_a_later_year_on_the_way_up():
    # 14 % (2016) down to the low of 10,5 % in 2020, then 10,8, 12, 13,8 and 15,5 % (2024):
    # up since 2020 by 5 points, more than a tenth of 10,5; 2021 is on the way up
    points = _series(0.14, 0.13, 0.12, 0.11, 0.105, 0.108, 0.12, 0.138, 0.155)
    trend = w.describe_trend(points, "turnover_rate")
    # 14,0 → 15,5 is +1,5 points: up since 2016 overall
    assert trend.direction == "up" and trend.recent_year is None
    falling = _series(0.20, 0.17, 0.15, 0.12, 0.105, 0.108, 0.12, 0.138, 0.155)
    trend = w.describe_trend(falling, "turnover_rate")
    assert (trend.direction, trend.recent_year, trend.recent) == ("down", 2020, Decimal("10.5"))
    assert w.trend_phrase(trend, 2024) == "har minskat sedan 2016 men ökat sedan 2020"
    assert "År 2020 var värdet 10,5" in w.trend_summary(trend, "turnover_rate", falling, 2024)
    # consultants 100 (2016) → 25 (2020) → 27, 29, 31, 33: the turn is 2020, six years back
    counts = w.describe_trend(_series(100, 80, 60, 40, 25, 27, 29, 31, 33), "consultants")
    assert (counts.direction, counts.recent_year, counts.recent_direction) == ("down", 2020, "up")


def test_a_shared_low_point_turns_at_its_latest_year():
    # 50 in 2017 and in 2019, then 70: the series went up after 2019
    trend = w.describe_trend(
        [(2016, 100), (2017, 50), (2018, 60), (2019, 50), (2020, 70)], "consultants"
    )
    assert (trend.direction, trend.recent_year, trend.recent) == ("down", 2019, Decimal(50))


def test_a_flat_series_names_the_larger_turn():
    # 100 → 100: flat; high 130 (2018) fell back by 30, low 80 (2020) rose by 20
    trend = w.describe_trend([(2016, 100), (2018, 130), (2020, 80), (2024, 100)], "consultants")
    assert (trend.direction, trend.recent_year, trend.recent_direction) == ("flat", 2018, "down")
    assert w.trend_phrase(trend, 2024) == "är ungefär som 2016 men har minskat sedan 2018"


def test_a_missing_last_value_is_not_called_hidden():
    points = [(2016, 0.10), (2020, 0.12), (2024, float("nan"))]  # 2024 not delivered
    trend = w.describe_trend(points, "turnover_rate")
    assert w.trend_summary(trend, "turnover_rate", points, 2024).endswith(
        "Värdet för 2024 saknas i underlaget."
    )
    absent = [(2016, 0.10), (2020, 0.12)]
    assert w.trend_summary(
        w.describe_trend(absent, "turnover_rate"), "turnover_rate", iter(absent), 2024
    ).endswith("Värdet för 2024 saknas i underlaget.")
