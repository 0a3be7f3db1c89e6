"""The district's own report: ranks among the districts, trends against the city and
the unit page's context, on small hand-made tables (answers worked by hand)."""

from __future__ import annotations

import pandas as pd
import pytest

from uppfoljning import charts, context, labels, unit_charts, unit_report
from uppfoljning.unit_report import Rank, format_rank, rank_among

NBSP = "\u00a0"


def _rows(*rows: tuple[str, str, str, int, float | None, bool]) -> pd.DataFrame:
    """unit_id, indicator, occupation, year, value, suppressed -> published rows."""
    return pd.DataFrame([{"edition": 2024, "year": y, "unit_id": u, "unit_name": u,
                          "occupation": o, "indicator": i, "value": v, "suppressed": s}
                         for u, i, o, y, v, s in rows])


UNITS = pd.DataFrame({
    "unit_id": ["a", "b", "c", "d", "f"],
    "name": ["Alfa", "Beta", "Ceta", "Delta", "Facket"],
    "kind": ["stadsdelsforvaltning"] * 4 + ["fackforvaltning"],
    "region": [""] * 5, "reorganisation_note": [""] * 5})


# ---------------------------------------------------------------------------
# Ranks


def test_rank_is_by_displayed_value_highest_first():
    values = [("a", 0.20, False), ("b", 0.10, False), ("c", 0.30, False)]
    assert rank_among(values, "a", "turnover_rate") == Rank("ranked", 2, 3, False, 0)
    assert format_rank(rank_among(values, "c", "turnover_rate")) == "plats 1 av 3"
    assert format_rank(rank_among(values, "b", "turnover_rate")) == "plats 3 av 3"


def test_units_sharing_a_displayed_value_share_the_place_and_the_next_skips():
    # 0.2004 and 0.1996 both read 20,0 %: shared 1st, the next is 3rd (competition rank)
    values = [("a", 0.2004, False), ("b", 0.1996, False), ("c", 0.10, False)]
    assert format_rank(rank_among(values, "a", "turnover_rate")) == "delad plats 1 av 3"
    assert format_rank(rank_among(values, "b", "turnover_rate")) == "delad plats 1 av 3"
    assert format_rank(rank_among(values, "c", "turnover_rate")) == "plats 3 av 3"


def test_hidden_units_are_not_ranked_and_are_counted():
    values = [("a", 0.2, False), ("b", None, True), ("c", 0.3, False), ("d", None, False)]
    assert format_rank(rank_among(values, "a", "turnover_rate")) == \
        "plats 2 av 2 (2 redovisas inte)"
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
        ("stockholm", "cases_per_worker", "alla", 2024, 41.5, False))
    figures = unit_report.key_figures_with_rank(table, UNITS, "a", 2024)
    row = figures.loc["Ärenden per handläggare"]
    assert row[labels.COL_RANK] == "plats 3 av 3 (1 redovisas inte)"
    assert row["Hela staden 2024"] == "41,5"
    other = unit_report.key_figures_with_rank(table, UNITS, "f", 2024)
    assert other.loc["Ärenden per handläggare", labels.COL_RANK] == labels.RANK_NOT_RANKED


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
    trend = _trend("turnover_rate", {2020: 0.20, 2021: 0.18, 2022: None, 2023: 0.15,
                                     2024: 0.14},
                   {y: 0.15 for y in range(2020, 2025)})
    assert trend.has_data and trend.hidden_years == [2022]
    assert list(trend.unit_series["occupation"].unique()) == ["alla"]
    spec = unit_charts.plot_unit_trend(trend, "alfa.csv").to_dict()
    assert spec["usermeta"]["download_name"] == "alfa.csv"
    # the download: the unit first, its hidden year as '..', then the city
    assert charts.spec_to_csv(spec).split("\r\n") == [
        "Förvaltning;År;Personalrörlighet (%)", "Alfa;2020;20,0", "Alfa;2021;18,0",
        "Alfa;2022;..", "Alfa;2023;15,0", "Alfa;2024;14,0",
        *[f"Hela staden;{y};15,0" for y in range(2020, 2025)], ""]
    assert spec["title"]["text"] == charts.wrap_title(
        "Personalrörlighet i Alfa har minskat sedan 2020")
    # text alternative: the unit's first and last value, the city's, the hidden year
    assert spec["description"] == (
        f"Linjediagram över personalrörlighet i Alfa per år 2020–2024, med hela staden som "
        f"jämförelse. Värdet gick från 20,0{NBSP}% år 2020 till 14,0{NBSP}% år 2024. Hela "
        f"staden 2024: 15,0{NBSP}%. Redovisas inte (..) för Alfa: 2022.")
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
        "Per år 2020–2024; hela staden totalt 2024: 120", charts.SUBTITLE_LINE)


def test_a_unit_without_published_values_gets_a_sentence_not_a_chart():
    trend = _trend("wait_days_mean", {2023: None, 2024: None}, {2024: 10.0})
    assert not trend.has_data
    shown = unit_charts.plot_unit_trend(trend, "x.csv")
    assert isinstance(shown, charts.NoData) and shown.message == labels.UNIT_AREA_NO_DATA


def test_for_unit_reads_the_results_folder(tmp_path):
    rows = [(u, "turnover_rate", o, y, 0.1 + 0.01 * i, False)
            for i, u in enumerate(["a", "b", "c", "d", "f", "stockholm"])
            for o in context.OCCUPATION_ORDER for y in (2023, 2024)]
    meta = context.EditionMeta(edition=2024, first_year=2023, min_n=5, title="T",
                               synthetic=True, built_at="", code_version="")
    focus = pd.DataFrame({"year": [2024], "unit_id": ["a"], "area_id": ["x"],
                          "area_name": ["Introduktion"], "status": ["paborjat"],
                          "note": ["=SUMMA(A1)"]})
    folder = context.write_results(tmp_path / "r", indicators=_rows(*rows), units=UNITS,
                                   focus_status=focus, meta=meta)
    ctx = unit_report.for_unit("a", 2024, folder)
    assert ctx.unit_name == "Alfa" and set(ctx.trends) == {i for _, i in
                                                            unit_report.UNIT_TRENDS}
    assert ctx.areas_with_data() == ["personalrorlighet"]
    assert ctx.key_figures.loc["Personalrörlighet, båda yrkesgrupperna",
                               labels.COL_RANK] == "plats 4 av 4"
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
    wanted = (("personalrorlighet", "turnover_rate"), ("konsulter", "consultants"),
              ("hot-och-vald", "incidents_per_100"), ("chefer", "staff_per_manager"))
    trends = unit_report.unit_trends(rows, wanted, "a", "Alfa", 2020, 2024)
    assert list(trends) == ["turnover_rate", "consultants", "incidents_per_100",
                            "staff_per_manager"]
    pd.testing.assert_frame_equal(rows, before)  # the input is unchanged

    def expected(unit: str, indicator: str) -> pd.DataFrame:
        series = context.select_series(rows, unit, indicator)
        keep = (series["occupation"] == "alla") & series["year"].between(2020, 2024)
        return series[keep].reset_index(drop=True)

    for area, indicator in wanted:
        trend = trends[indicator]
        assert (trend.area, trend.place, trend.first_year, trend.edition) == (
            area, "Alfa", 2020, 2024)
        pd.testing.assert_frame_equal(trend.unit_series, expected("a", indicator))
        pd.testing.assert_frame_equal(trend.city_series, expected("stockholm", indicator))
        single = unit_report.unit_trend(rows, area, indicator, "a", "Alfa", 2020, 2024)
        pd.testing.assert_frame_equal(single.unit_series, trend.unit_series)
    assert list(trends["turnover_rate"].unit_series["year"]) == [2020, 2021, 2024]
    assert list(trends["turnover_rate"].city_series["year"]) == [2020, 2022]
    assert trends["incidents_per_100"].unit_series.empty
    assert trends["staff_per_manager"].city_series.empty
    assert list(trends["staff_per_manager"].unit_series.columns) == [
        "year", "occupation", "value", "suppressed"]
