"""Swedish formatting, pinned: what a reader sees in tables, glued text and charts."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from uppfoljning import formatting
from uppfoljning import formatting as f

NBSP = "\u00a0"
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (12345.6, 1, f"12{NBSP}345,6"),
        (12345.6, 0, f"12{NBSP}346"),
        (1234567, 0, f"1{NBSP}234{NBSP}567"),
        (999, 0, "999"),
        (0, 1, "0,0"),
        (-3.45, 1, f"{MINUS}3,5"),  # half up, away from zero
        (2.5, 0, "3"),  # not banker's rounding
        (0.125, 2, "0,13"),
        (-0.04, 1, "0,0"),  # no negative zero
    ],
)
def test_format_number(value, decimals, expected):
    assert f.format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("rate", "decimals", "expected"),
    [
        (0.125, 1, f"12,5{NBSP}%"),
        (0.125, 0, f"13{NBSP}%"),
        (0.1235, 1, f"12,4{NBSP}%"),  # 0.1235 is 0.12349999… in binary, repr says 0.1235
        (0.12345, 1, f"12,3{NBSP}%"),
        (1.0, 0, f"100{NBSP}%"),
        (0.0, 1, f"0,0{NBSP}%"),
    ],
)
def test_format_percent(rate, decimals, expected):
    assert f.format_percent(rate, decimals) == expected


def test_suppressed_and_missing():
    assert f.format_number(7, suppressed=True) == ".."
    assert f.format_percent(0.5, suppressed=True) == ".."
    assert f.format_number(None) == "uppgift saknas"
    assert f.format_number(math.nan) == "uppgift saknas"
    assert f.format_percent(float("nan")) == "uppgift saknas"
    # suppression wins over a missing value
    assert f.format_percent(None, suppressed=True) == ".."


def test_changes():
    assert f.format_change(1.25, 1) == "+1,3"
    assert f.format_change(-0.04, 1) == "\u00b10,0"
    assert f.format_change(-2, 0) == f"{MINUS}2"
    assert f.format_percentage_points(0.0123) == "+1,2 procentenheter"
    assert f.format_percentage_points(-0.004) == f"{MINUS}0,4 procentenheter"
    assert f.format_change(4.9, 1, unit="dagar") == f"+4,9{NBSP}dagar"
    assert f.format_change(None) == "uppgift saknas"


def test_sek():
    assert f.format_sek(111_000_000) == f"111,0{NBSP}mnkr"
    assert f.format_sek(4500) == f"4{NBSP}500{NBSP}kr"


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("turnover_rate", 0.2093, f"20,9{NBSP}%"),
        ("headcount", 1529.25, f"1{NBSP}529"),
        ("wait_days_mean", 42.64, f"42,6{NBSP}dagar"),
        ("consultant_cost_sek", 111e6, f"111,0{NBSP}mnkr"),
        ("survey_ami", 71.6, "71,6"),  # indices to 1 decimal (indicators.md)
        ("exit_reason_share_lon", 0.25, f"25{NBSP}%"),
        ("incidents_per_100", 11.04, "11,0"),
    ],
)
def test_format_indicator(indicator, value, expected):
    assert f.format_indicator(indicator, value) == expected


def test_format_indicator_change_uses_points_for_rates():
    assert f.format_indicator_change("turnover_rate", 0.004) == "+0,4 procentenheter"
    assert f.format_indicator_change("headcount", -2.4) == f"{MINUS}2"
    assert f.format_indicator_change("wait_days_mean", 4.9) == f"+4,9{NBSP}dagar"


def test_dates():
    assert f.format_date(dt.date(2020, 7, 1)) == "2020-07-01"
    assert f.format_date(dt.date(2020, 7, 1), long=True) == "1 juli 2020"


def test_chart_locale_matches_text_formatting():
    """The charts' d3 locale uses the same separators as the text."""
    assert f.VEGA_NUMBER_LOCALE["decimal"] == ","
    assert f.VEGA_NUMBER_LOCALE["thousands"] == NBSP == f.GROUP
    assert f.VEGA_NUMBER_LOCALE["grouping"] == [3]
    assert f.VEGA_NUMBER_LOCALE["minus"] == MINUS
    assert f.VEGA_NUMBER_LOCALE["percent"] == f.PERCENT_SUFFIX
    assert f.VEGA_TIME_LOCALE["months"][0] == "januari"
    assert f.VEGA_TIME_LOCALE["shortMonths"] == [
        "jan",
        "feb",
        "mar",
        "apr",
        "maj",
        "jun",
        "jul",
        "aug",
        "sep",
        "okt",
        "nov",
        "dec",
    ]
    assert f.VEGA_TIME_LOCALE["days"][:2] == ["söndag", "måndag"]
    assert all(name == name.lower() for name in f.VEGA_TIME_LOCALE["months"])


# ---------------------------------------------------------------------------
# Display tables


def test_numeric_cells():
    for text in ("12,5\u00a0%", "+1,2", "\u22120,5\u00a0dagar", "\u00b10", "..", "1\u00a0529"):
        assert f.is_numeric_cell(text), text
    for text in ("uppgift saknas", "Ej påbörjat", "Bromma", "–", "", ".x"):
        assert not f.is_numeric_cell(text), text


def test_table_html_keeps_long_cells_and_marks_numbers_and_highlight():
    import pandas as pd

    long_note = "Arbetet är genomfört och ingår nu i ordinarie verksamhet sedan flera år."
    frame = pd.DataFrame(
        {
            "Status": ["Ej påbörjat", "Genomfört"],
            "Andel": ["12,5\u00a0%", ".."],
            "Kommentar": [long_note, "<b>"],
        },
        index=["Bromma", "Farsta"],
    )
    frame.columns.name = "Förvaltning"
    html = f.table(frame, highlight="Ej påbörjat").to_html()
    assert '<th scope="col">Förvaltning</th><th scope="col">Status</th>' in html
    assert '<th scope="row">Bromma</th>' in html
    assert '<td class="uppf-highlight"><strong>Ej påbörjat</strong></td>' in html
    assert '<td class="uppf-num">12,5\u00a0%</td>' in html
    assert '<td class="uppf-num">..</td>' in html
    assert long_note in html  # pandas' own HTML would cut it at 50 characters
    assert "<td>&lt;b&gt;</td>" in html


def test_table_without_row_headers_and_empty_table():
    import pandas as pd

    html = f.table(pd.DataFrame({"A": ["x"]})).to_html()
    assert '<th scope="row">' not in html and "<td>x</td>" in html
    assert f.table(pd.DataFrame())._repr_html_() == '<p class="uppf-no-data">Uppgift saknas.</p>'


def test_change_is_the_difference_of_the_displayed_values():
    # 34,49 % and 41,51 % show as "34 %" and "42 %": the change is −8 procentenheter,
    # although the raw difference (−7,02) would round to −7
    assert f.format_indicator("exit_reason_share_lon", 0.3449) == "34\u00a0%"
    assert f.format_indicator("exit_reason_share_lon", 0.4151) == "42\u00a0%"
    assert f.format_displayed_change("exit_reason_share_lon", 0.3449, 0.4151) == (
        f"{MINUS}8 procentenheter"
    )
    # 14,04 % against 14,06 %: shown as 14,0 and 14,1, so −0,1 (the raw change is ±0,0)
    assert f.format_displayed_change("turnover_rate", 0.14040, 0.14060) == (
        f"{MINUS}0,1 procentenheter"
    )
    # 20,94 % against 20,56 %: shown 20,9 and 20,6 → +0,3 (raw +0,38 would say +0,4)
    assert f.format_displayed_change("turnover_rate", 0.2094, 0.2056) == ("+0,3 procentenheter")
    # counts and days
    assert f.format_displayed_change("cases_per_worker", 14.04, 14.06) == f"{MINUS}0,1"
    assert f.format_displayed_change("job_ads", 10.4, 9.6) == "\u00b10"
    assert f.format_displayed_change("wait_days_mean", 5.06, 4.04) == f"+1,1{NBSP}dagar"
    # sums of money in mnkr from the displayed mnkr
    assert f.format_displayed_change("consultant_cost_sek", 120_040_000, 111_060_000) == (
        f"+8,9{NBSP}mnkr"
    )
    assert f.format_displayed_change("turnover_rate", None, 0.1) == "uppgift saknas"


def test_change_units_in_the_singular_after_one():
    assert f.format_displayed_change("exit_reason_share_lon", 0.33, 0.34) == (
        f"{MINUS}1 procentenhet"
    )
    assert f.format_displayed_change("exit_reason_share_lon", 0.35, 0.34) == "+1 procentenhet"
    assert f.format_displayed_change("exit_reason_share_lon", 0.34, 0.34) == (
        "\u00b10 procentenheter"
    )
    assert f.format_change(1, 0, unit="dagar") == f"+1{NBSP}dag"
    # a decimal one keeps the plural, as Swedish writes it
    assert f.format_displayed_change("turnover_rate", 0.11, 0.10) == "+1,0 procentenheter"


def test_column_groups_split_evenly_the_larger_first():
    assert formatting.column_groups(9, 5) == [range(0, 5), range(5, 9)]
    assert formatting.column_groups(10, 4) == [range(0, 4), range(4, 7), range(7, 10)]
    assert formatting.column_groups(3, 5) == [range(0, 3)]
    with pytest.raises(ValueError):
        formatting.column_groups(3, 0)


def test_split_table_repeats_row_headers_and_keeps_column_order():
    frame = pd.DataFrame({str(y): [f"{y},0"] for y in range(2024, 2017, -1)}, index=["Mått A"])
    frame.columns.name = "Mått"
    before = frame.copy()
    tables = formatting.split_table(frame, 4)
    pd.testing.assert_frame_equal(frame, before)
    assert [t.frame.columns.tolist() for t in tables.parts] == [
        ["2024", "2023", "2022", "2021"],
        ["2020", "2019", "2018"],
    ]
    html = tables.to_html()
    assert html.count("<table") == 2 and html.count('<th scope="row">Mått A</th>') == 2
    assert html.count('<th scope="col">Mått</th>') == 2  # the corner heading in each
    assert 'aria-label="Mått: 2024\u20132021"' in html
    assert 'aria-label="Mått: 2020\u20132018"' in html
    assert (
        formatting.split_table(pd.DataFrame(), 4).to_html()
        == formatting.table(pd.DataFrame()).to_html()
    )


def test_empty_table_text_and_notes():
    assert formatting.table(pd.DataFrame(), empty_text="").to_html() == ""
    assert "Inga rader." in formatting.table(pd.DataFrame(), empty_text="Inga rader.").to_html()
    assert formatting.notes([]).to_html() == "" and repr(formatting.notes([])) == ""
    html = formatting.notes(["Farsta: 45 → 20 <obs>."]).to_html()
    assert html.startswith('<div class="uppf-caveat" role="note">')
    assert "<strong>Granskning:</strong> Farsta: 45 → 20 &lt;obs&gt;.</p>" in html


def test_a_rank_starting_with_an_ordinal_is_words_not_a_number():
    from uppfoljning.formatting import is_numeric_cell

    assert not is_numeric_cell("3:e lägst av 11")
    assert not is_numeric_cell("21:a högst av 30")
    assert is_numeric_cell("1\u00a0529") and is_numeric_cell("−0,5 dagar")
