"""The district's own report: ranks among the districts, trends against the city and
the unit page's context, on small hand-made tables (answers worked by hand)."""

from __future__ import annotations

import pandas as pd
import pytest

from uppfoljning import catalog, charts, context, labels, unit_charts, unit_report
from uppfoljning.unit_report import Rank, format_rank, rank_among

NBSP = "\u00a0"


def _rows(*rows: tuple[str, str, str, int, float | None, bool]) -> pd.DataFrame:
    """unit_id, indicator, occupation, year, value, suppressed -> published rows."""
    return pd.DataFrame(
        [
            {
                "edition": 2024,
                "year": y,
                "unit_id": u,
                "unit_name": u,
                "occupation": o,
                "indicator": i,
                "value": v,
                "suppressed": s,
            }
            for u, i, o, y, v, s in rows
        ]
    )


UNITS = pd.DataFrame(
    {
        "unit_id": ["a", "b", "c", "d", "f"],
        "name": ["Alfa", "Beta", "Ceta", "Delta", "Facket"],
        "kind": ["stadsdelsforvaltning"] * 4 + ["fackforvaltning"],
        "region": [""] * 5,
        "reorganisation_note": [""] * 5,
    }
)


# ---------------------------------------------------------------------------
# Ranks


def test_rank_is_by_displayed_value_highest_first():
    values = [("a", 0.20, False), ("b", 0.10, False), ("c", 0.30, False)]
    assert rank_among(values, "a", "turnover_rate") == Rank("ranked", 2, 3, False, 0, 2)
    assert format_rank(rank_among(values, "c", "turnover_rate")) == "högst av 3"
    assert format_rank(rank_among(values, "b", "turnover_rate")) == "lägst av 3"


def test_units_sharing_a_displayed_value_share_the_place_and_the_next_skips():
    # 0.2004 and 0.1996 both read 20,0 %: shared 1st, the next is 3rd (competition rank)
    values = [("a", 0.2004, False), ("b", 0.1996, False), ("c", 0.10, False)]
    assert format_rank(rank_among(values, "a", "turnover_rate")) == "delad högst av 3"
    assert format_rank(rank_among(values, "b", "turnover_rate")) == "delad högst av 3"
    assert format_rank(rank_among(values, "c", "turnover_rate")) == "lägst av 3"


def test_ranks_in_words_from_the_top_and_the_lower_half_from_the_bottom():
    # eleven values 11, 10, ..., 1 for units k .. a
    values = [(chr(ord("a") + i), float(i + 1), False) for i in range(11)]
    words = {u: format_rank(rank_among(values, u, "consultants")) for u, _, _ in values}
    assert words["k"] == "högst av 11"
    assert words["j"] == "näst högst av 11"
    assert words["i"] == "3:e högst av 11"
    assert words["f"] == "6:e högst av 11"  # the middle of eleven, from the top
    assert words["e"] == "5:e lägst av 11"
    assert words["c"] == "3:e lägst av 11"
    assert words["b"] == "näst lägst av 11"
    assert words["a"] == "lägst av 11"
    assert not any("plats" in w for w in words.values())


def test_shared_ranks_say_delad_at_either_end():
    # 9, 9, 5, 1, 1 as displayed: two share the highest, two share the lowest
    values = [("a", 9, False), ("b", 9, False), ("c", 5, False), ("d", 1, False), ("e", 1.2, False)]
    assert format_rank(rank_among(values, "a", "consultants")) == "delad högst av 5"
    assert format_rank(rank_among(values, "c", "consultants")) == "3:e högst av 5"
    assert format_rank(rank_among(values, "d", "consultants")) == "delad lägst av 5"
    assert rank_among(values, "e", "consultants").lowest
    assert rank_among(values, "b", "consultants").highest
    # 2, 1, 1, 1: the three sharing the lowest are the 2nd highest from the top too
    tied = [("a", 2, False), ("b", 1, False), ("c", 1, False), ("d", 1, False)]
    assert format_rank(rank_among(tied, "b", "consultants")) == "delad lägst av 4"
    assert labels.RANK_NOTE.count("plats") == 0


def test_ordinals():
    from uppfoljning.unit_report import ordinal

    assert [ordinal(n) for n in (1, 2, 3, 11, 12, 21, 22, 23)] == [
        "1:a",
        "2:a",
        "3:e",
        "11:e",
        "12:e",
        "21:a",
        "22:a",
        "23:e",
    ]


def test_hidden_units_are_not_ranked_and_are_counted():
    values = [("a", 0.2, False), ("b", None, True), ("c", 0.3, False), ("d", None, False)]
    assert format_rank(rank_among(values, "a", "turnover_rate")) == "lägst av 2 (2 redovisas inte)"
    assert format_rank(rank_among(values, "b", "turnover_rate")) == ".."
    assert format_rank(rank_among(values, "d", "turnover_rate")) == "uppgift saknas"
    assert rank_among(values, "b", "turnover_rate").place is None


def test_a_unit_outside_the_comparison_is_not_ranked():
    values = [("a", 1.0, False)]
    assert format_rank(rank_among(values, "f", "cases_per_worker")) == labels.RANK_NOT_RANKED


def test_key_figures_rank_among_the_districts_only():
    table = _rows(
        ("a", "cases_per_worker", "alla", 2024, 40.0, False),
        ("b", "cases_per_worker", "alla", 2024, 42.0, False),
        ("c", "cases_per_worker", "alla", 2024, None, True),
        ("d", "cases_per_worker", "alla", 2024, 41.0, False),
        ("f", "cases_per_worker", "alla", 2024, 99.0, False),  # fackförvaltning: not ranked
        ("stockholm", "cases_per_worker", "alla", 2024, 41.5, False),
    )
    figures = unit_report.key_figures_with_rank(table, UNITS, "a", 2024)
    row = figures.loc["Ärenden per handläggare"]
    assert row[labels.COL_RANK] == "lägst av 3 (1 redovisas inte)"
    assert row["Hela staden 2024"] == "41,5"
    other = unit_report.key_figures_with_rank(table, UNITS, "f", 2024)
    assert other.loc["Ärenden per handläggare", labels.COL_RANK] == labels.RANK_NOT_RANKED


def test_a_district_without_staff_is_not_ranked():
    # Delta was formed on the last day of the year: no staff, no consultants
    table = _rows(
        *[
            (u, "headcount", "alla", 2024, v, s)
            for u, v, s in [
                ("a", 50.0, False),
                ("b", 60.0, False),
                ("c", None, True),
                ("d", 0.0, False),
            ]
        ],
        ("a", "consultants", "alla", 2024, 2.0, False),
        ("b", "consultants", "alla", 2024, 1.0, False),
        ("c", "consultants", "alla", 2024, 0.0, False),  # 1-4 staff, hidden: has staff
        ("d", "consultants", "alla", 2024, 0.0, False),
    )
    assert unit_report.has_staff(table, "c", 2024) and not unit_report.has_staff(table, "d", 2024)
    own = unit_report.unit_rank(table, UNITS, "d", "consultants", "alla", 2024)
    assert own.state == "missing"
    other = unit_report.unit_rank(table, UNITS, "c", "consultants", "alla", 2024)
    assert (other.place, other.of, other.hidden) == (3, 3, 1)


# ---------------------------------------------------------------------------
# Trends against the city


def test_line_segments_break_at_a_gap():
    assert unit_charts.line_segments([2016, 2017, 2019, 2020, 2022]) == [0, 0, 1, 1, 2]
    assert unit_charts.line_segments([]) == []


def _trend(indicator: str, unit_values: dict, city_values: dict) -> unit_report.UnitTrend:
    rows = [("a", indicator, "alla", y, v, v is None) for y, v in unit_values.items()]
    rows += [("stockholm", indicator, "alla", y, v, False) for y, v in city_values.items()]
    rows += [("a", indicator, "socialsekreterare", 2024, 0.9, False)]  # not the 'alla' line
    return unit_report.unit_trend(_rows(*rows), "x", indicator, "a", "Alfa", 2020, 2024)


def test_unit_trend_against_the_city_with_a_hidden_year():
    trend = _trend(
        "turnover_rate",
        {2020: 0.20, 2021: 0.18, 2022: None, 2023: 0.15, 2024: 0.14},
        {y: 0.15 for y in range(2020, 2025)},
    )
    assert trend.has_data and trend.hidden_years == [2022]
    assert list(trend.unit_series["occupation"].unique()) == ["alla"]
    spec = unit_charts.plot_unit_trend(trend, "alfa.csv").to_dict()
    assert spec["usermeta"]["download_name"] == "alfa.csv"
    # the download: the unit first, its hidden year as '..', then the city
    assert charts.spec_to_csv(spec).split("\r\n") == [
        "Förvaltning;År;Personalrörlighet (%)",
        "Alfa;2020;20,0",
        "Alfa;2021;18,0",
        "Alfa;2022;..",
        "Alfa;2023;15,0",
        "Alfa;2024;14,0",
        *[f"Hela staden;{y};15,0" for y in range(2020, 2025)],
        "",
    ]
    assert spec["title"]["text"] == charts.wrap_title(
        "Personalrörligheten i Alfa har minskat sedan 2020"
    )
    # text alternative: the unit's first and last value, the city's, the hidden year
    assert spec["description"] == (
        f"Linjediagram över personalrörligheten i Alfa per år 2020–2024, med hela staden som "
        f"jämförelse. Värdet gick från 20,0{NBSP}% år 2020 till 14,0{NBSP}% år 2024. Hela "
        f"staden 2024: 15,0{NBSP}%. Redovisas inte (..) för Alfa: 2022."
    )
    plotted = pd.concat([pd.DataFrame(d) for d in spec["datasets"].values()], sort=False)
    unit = plotted[plotted["series"] == "Alfa"].dropna(subset=["value"])
    assert list(unit["year"]) == [2020, 2021, 2023, 2024]  # the hidden year is no point
    assert list(unit["segment"]) == [0, 0, 1, 1]  # ... and breaks the line
    assert len(plotted[plotted["series"] == labels.LEGEND_CITY]) == 5
    marks = plotted[plotted.get("note", pd.Series(dtype=str)) == ".."]
    assert list(marks["year"]) == [2022]


def test_counts_name_the_city_total_instead_of_drawing_it():
    trend = _trend("job_ads", {2023: 10.0, 2024: 12.0}, {2023: 100.0, 2024: 120.0})
    spec = unit_charts.plot_unit_trend(trend, "x.csv").to_dict()
    plotted = pd.concat([pd.DataFrame(d) for d in spec["datasets"].values()])
    assert set(plotted["series"]) == {"Alfa"}
    assert spec["title"]["subtitle"] == charts.wrap_title(
        "Per år 2020–2024; hela staden totalt 2024: 120", charts.SUBTITLE_LINE
    )


def test_a_unit_without_published_values_gets_a_sentence_not_a_chart():
    trend = _trend("wait_days_mean", {2023: None, 2024: None}, {2024: 10.0})  # hidden
    assert not trend.has_data
    shown = unit_charts.plot_unit_trend(trend, "x.csv")
    # hidden values are said to be hidden (both reasons), not missing
    assert isinstance(shown, charts.NoData) and shown.message == labels.UNIT_AREA_HIDDEN
    assert "få personer" in shown.message and "räkna fram" in shown.message
    missing = _trend("wait_days_mean", {}, {2024: 10.0})  # no row: not delivered
    assert unit_charts.plot_unit_trend(missing, "x.csv").message == labels.UNIT_AREA_NO_DATA


def test_an_all_zero_series_gets_a_sentence_and_a_single_year_says_so():
    zero = _trend("reinforcement_staff_weeks", {2020: 0.0, 2022: 0.0, 2024: 0.0}, {2024: 443.0})
    shown = unit_charts.plot_unit_trend(zero, "x.csv")
    assert isinstance(shown, charts.NoData)
    assert shown.message == (
        "Förstärkningsteamens insatser i personveckor i Alfa var 0 alla "
        "redovisade år 2020–2024, så inget diagram visas."
    )
    one = _trend(
        "exit_reason_share_arbetsbelastning", {2020: 0.6, 2021: None, 2024: None}, {2024: 0.34}
    )
    spec = unit_charts.plot_unit_trend(one, "x.csv").to_dict()
    title = spec["title"]["text"]
    assert (" ".join(title) if isinstance(title, list) else title) == (
        "Andelen avslutningssamtal där arbetsbelastning nämns som skäl att sluta i Alfa "
        "redovisas bara för 2020"
    )


def test_for_unit_reads_the_results_folder(tmp_path):
    rows = [
        (u, "turnover_rate", o, y, 0.1 + 0.01 * i, False)
        for i, u in enumerate(["a", "b", "c", "d", "f", "stockholm"])
        for o in catalog.BY_OCCUPATION
        for y in (2023, 2024)
    ]
    meta = context.EditionMeta(
        edition=2024,
        first_year=2023,
        min_n=5,
        title="T",
        synthetic=True,
        built_at="",
        code_version="",
    )
    focus = pd.DataFrame(
        {
            "year": [2024],
            "unit_id": ["a"],
            "area_id": ["x"],
            "area_name": ["Introduktion"],
            "status": ["paborjat"],
            "note": ["=SUMMA(A1)"],
        }
    )
    folder = context.write_results(
        tmp_path / "r", indicators=_rows(*rows), units=UNITS, focus_status=focus, meta=meta
    )
    ctx = unit_report.for_unit("a", 2024, folder)
    assert ctx.unit_name == "Alfa" and set(ctx.trends) == {i for _, i in unit_report.UNIT_TRENDS}
    assert [t.area for t in ctx.trends.values() if t.has_data] == ["personalrorlighet"]
    assert (
        ctx.key_figures.loc["Personalrörlighet, båda yrkesgrupperna", labels.COL_RANK]
        == "lägst av 4"
    )
    assert ctx.glue_values["rank_note"] == labels.RANK_NOTE
    assert ctx.base.focus.iloc[0][labels.COL_NOTE] == "=SUMMA(A1)"
    facket = unit_report.for_unit("f", 2024, folder)
    assert facket.glue_values["rank_note"].endswith(labels.RANK_NOTE_NOT_RANKED)
    with pytest.raises(ValueError, match="not a unit"):
        unit_report.for_unit("zz", 2024, folder)


def test_unit_trends_pick_each_series_as_a_selection_of_its_own_would():
    """One pass over the table gives, per indicator, the unit's and the city's 'alla'
    rows in the years, sorted by year, as context.select_series (filtered) gives them."""
    rows = _rows(
        ("a", "turnover_rate", "alla", 2024, 0.14, False),
        ("a", "turnover_rate", "alla", 2019, 0.30, False),  # before the first year
        ("a", "turnover_rate", "alla", 2021, None, True),
        ("stockholm", "turnover_rate", "alla", 2022, 0.15, False),
        ("a", "turnover_rate", "socialsekreterare", 2022, 0.9, False),
        ("b", "turnover_rate", "alla", 2022, 0.5, False),  # another unit
        ("a", "consultants", "alla", 2023, 3.0, False),
        ("stockholm", "turnover_rate", "alla", 2020, 0.16, False),
        ("a", "turnover_rate", "alla", 2020, 0.20, False),
        ("a", "incidents_per_100", "alla", 2025, 1.0, False),  # after the edition
    )
    before = rows.copy()
    wanted = (
        ("personalrorlighet", "turnover_rate"),
        ("konsulter", "consultants"),
        ("hot-och-vald", "incidents_per_100"),
        ("chefer", "staff_per_manager"),
    )
    trends = unit_report.unit_trends(rows, wanted, "a", "Alfa", 2020, 2024)
    assert list(trends) == [
        "turnover_rate",
        "consultants",
        "incidents_per_100",
        "staff_per_manager",
    ]
    pd.testing.assert_frame_equal(rows, before)  # the input is unchanged

    def expected(unit: str, indicator: str) -> pd.DataFrame:
        series = context.select_series(rows, unit, indicator)
        keep = (series["occupation"] == "alla") & series["year"].between(2020, 2024)
        return series[keep].reset_index(drop=True)

    for area, indicator in wanted:
        trend = trends[indicator]
        assert (trend.area, trend.place, trend.first_year, trend.edition) == (
            area,
            "Alfa",
            2020,
            2024,
        )
        pd.testing.assert_frame_equal(trend.unit_series, expected("a", indicator))
        pd.testing.assert_frame_equal(trend.city_series, expected("stockholm", indicator))
        single = unit_report.unit_trend(rows, area, indicator, "a", "Alfa", 2020, 2024)
        pd.testing.assert_frame_equal(single.unit_series, trend.unit_series)
    assert list(trends["turnover_rate"].unit_series["year"]) == [2020, 2021, 2024]
    assert list(trends["turnover_rate"].city_series["year"]) == [2020, 2022]
    assert trends["incidents_per_100"].unit_series.empty
    assert trends["staff_per_manager"].city_series.empty
    assert list(trends["staff_per_manager"].unit_series.columns) == [
        "year",
        "occupation",
        "value",
        "suppressed",
    ]


def _standing_units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": ["a", "b", "c", "f"],
            "name": ["Alfa", "Beta", "Ceta", "Facket"],
            "kind": ["stadsdelsforvaltning"] * 3 + ["fackforvaltning"],
        }
    )


def _cells(*rows):
    return pd.DataFrame(
        rows, columns=["unit_id", "indicator", "occupation", "year", "value", "suppressed"]
    )


def test_standing_sentence_names_the_measures_where_the_district_is_highest_or_lowest():
    table = _cells(
        # turnover: Alfa 20,0 % highest; wait: Alfa 5,0 lowest, shared with Ceta (5,04)
        ("a", "turnover_rate", "alla", 2024, 0.20, False),
        ("b", "turnover_rate", "alla", 2024, 0.10, False),
        ("c", "turnover_rate", "alla", 2024, 0.15, False),
        ("f", "turnover_rate", "alla", 2024, 0.50, False),  # a fackförvaltning: not compared
        ("a", "wait_days_mean", "alla", 2024, 5.0, False),
        ("b", "wait_days_mean", "alla", 2024, 9.0, False),
        ("c", "wait_days_mean", "alla", 2024, 5.04, False),
        # cases: Alfa in the middle
        ("a", "cases_per_worker", "alla", 2024, 30.0, False),
        ("b", "cases_per_worker", "alla", 2024, 40.0, False),
        ("c", "cases_per_worker", "alla", 2024, 20.0, False),
        # incidents: Alfa hidden, not ranked
        ("a", "incidents_per_100", "alla", 2024, 99.0, True),
        ("b", "incidents_per_100", "alla", 2024, 1.0, False),
    )
    assert unit_report.standing_sentence(table, _standing_units(), "a", 2024) == (
        "Bland de 3 stadsdelsförvaltningarna hade Alfa det högsta värdet år 2024 för "
        "personalrörligheten, och det lägsta för den genomsnittliga väntetiden till bokat "
        "besök (delat med Ceta)."
    )
    assert unit_report.standing_sentence(table, _standing_units(), "b", 2024) == (
        "Bland de 3 stadsdelsförvaltningarna hade Beta det högsta värdet år 2024 för den "
        "genomsnittliga väntetiden till bokat besök och antalet ärenden per handläggare, och "
        "det lägsta för personalrörligheten."
    )  # alone with a published incident rate: no end
    assert unit_report.standing_sentence(table, _standing_units(), "f", 2024) == ""
    middle = table[table["indicator"] == "cases_per_worker"]
    assert unit_report.standing_sentence(middle, _standing_units(), "a", 2024) == (
        "Bland de 3 stadsdelsförvaltningarna hade Alfa varken det högsta eller det lägsta "
        "värdet år 2024 för något av måtten i tabellen nedan."
    )


def test_largest_change_is_relative_and_skips_counts_and_hidden_values():
    table = _cells(
        # wait 10,0 -> 12,0 is +20 %; turnover 20,0 -> 22,0 % is +10 %
        ("a", "wait_days_mean", "alla", 2023, 10.0, False),
        ("a", "wait_days_mean", "alla", 2024, 12.0, False),
        ("a", "turnover_rate", "alla", 2023, 0.20, False),
        ("a", "turnover_rate", "alla", 2024, 0.22, False),
        # consultants 2 -> 3 is +50 % but a count: not compared
        ("a", "consultants", "alla", 2023, 2, False),
        ("a", "consultants", "alla", 2024, 3, False),
        # cases 10 -> 20 would be +100 %, but 2023 is hidden
        ("a", "cases_per_worker", "alla", 2023, 10.0, True),
        ("a", "cases_per_worker", "alla", 2024, 20.0, False),
    )
    assert unit_report.largest_change_sentence(table, "a", 2024) == (
        "Av måtten som inte beror på förvaltningens storlek förändrades den genomsnittliga "
        "väntetiden till bokat besök mest sedan 2023, räknat i förhållande till värdet 2023: "
        f"12,0{NBSP}dagar år 2024, jämfört med 10,0{NBSP}dagar år 2023 (+2,0{NBSP}dagar)."
    )
    unchanged = table.assign(value=[10.0, 10.0, 0.2, 0.2, 2, 2, 1.0, 1.0])
    assert unit_report.largest_change_sentence(unchanged, "a", 2024) == ""
