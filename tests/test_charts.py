"""Charts through ``chart.to_dict()``: theme, locale, message titles, suppression, and
the offline renderer's HTML."""

from __future__ import annotations

import json
import re
import urllib.parse

import altair as alt
import pandas as pd
import pytest

from uppfoljning import charts, labels


@pytest.fixture
def turnover_by_year() -> pd.DataFrame:
    rows = []
    for occupation, values in {
        "socialsekreterare": [0.25, 0.20, None],
        "bistandshandlaggare": [0.10, 0.12, 0.11],
        "alla": [0.20, 0.18, 0.15],
    }.items():
        for year, value in zip((2016, 2017, 2018), values, strict=True):
            rows.append({"year": year, "occupation": occupation, "value": value,
                         "suppressed": value is None})
    return pd.DataFrame(rows)


def _datasets(spec: dict) -> list[dict]:
    return [row for rows in spec["datasets"].values() for row in rows]


def test_theme_is_registered_and_enabled():
    assert charts.THEME in alt.theme.names()
    assert alt.theme.active == charts.THEME
    assert alt.renderers.active == charts.RENDERER


def test_spec_carries_swedish_locale_and_palette(turnover_by_year):
    spec = charts.plot_turnover_trend(turnover_by_year, "Skärholmen", 2016, 2018,
                                      "x.csv").to_dict()
    locale = spec["config"]["locale"]
    assert locale["number"]["decimal"] == ","
    assert locale["number"]["thousands"] == "\u00a0"
    assert locale["number"]["grouping"] == [3]
    assert locale["time"]["shortMonths"][0] == "jan"
    assert locale["time"]["months"][11] == "december"
    assert spec["config"]["range"]["category"] == charts.PALETTE


def test_turnover_title_states_the_message(turnover_by_year):
    spec = charts.plot_turnover_trend(turnover_by_year, "Skärholmen", 2016, 2018,
                                      "x.csv").to_dict()
    assert spec["title"]["text"] == "Personalrörligheten i Skärholmen har minskat sedan 2016"
    assert "2016–2018" in spec["title"]["subtitle"]
    assert "20,0\u00a0%" in spec["description"] and "15,0\u00a0%" in spec["description"]


def test_turnover_title_up_and_flat(turnover_by_year):
    rising = turnover_by_year.assign(value=turnover_by_year["value"].iloc[::-1].to_numpy())
    rising["suppressed"] = rising["value"].isna()
    title, _ = charts.turnover_title(rising, "X")
    assert "ökat" in title
    flat = turnover_by_year.assign(value=0.2, suppressed=False)
    assert "ungefär som" in charts.turnover_title(flat, "X")[0]
    nothing = turnover_by_year.assign(value=None, suppressed=True)
    assert charts.turnover_title(nothing, "X")[0] == labels.TURNOVER_TITLE_NONE.format(
        place="X")


def test_axes_have_titles_and_percent_format(turnover_by_year):
    spec = charts.plot_turnover_trend(turnover_by_year, "S", 2016, 2018, "x.csv").to_dict()
    encoding = spec["layer"][0]["encoding"]
    assert encoding["x"]["title"] == labels.AXIS_YEAR
    assert encoding["y"]["title"] == labels.AXIS_TURNOVER
    assert encoding["y"]["axis"]["format"] == ".0%"
    # lines differ by dash and point shape too, so greyscale print keeps them apart
    assert "strokeDash" in encoding and "shape" in encoding
    assert len(set(map(str, encoding["strokeDash"]["scale"]["range"]))) == 3


def test_suppressed_values_are_absent_from_chart_data(turnover_by_year):
    spec = charts.plot_turnover_trend(turnover_by_year, "S", 2016, 2018, "x.csv").to_dict()
    rows = _datasets(spec)
    assert len(rows) == 8
    assert not any(r["occupation"] == "socialsekreterare" and r["year"] == 2018 for r in rows)
    assert "suppressed" not in rows[0]


def test_plotting_does_not_change_its_input(turnover_by_year):
    before = turnover_by_year.copy()
    charts.plot_turnover_trend(turnover_by_year, "S", 2016, 2018, "x.csv").to_dict()
    pd.testing.assert_frame_equal(turnover_by_year, before)


def test_unit_comparison_sorted_with_city_reference():
    values = pd.DataFrame({"unit_name": ["A", "B", "C", "D"],
                           "value": [0.10, 0.20, None, 0.15],
                           "suppressed": [False, False, True, False]})
    spec = charts.plot_unit_comparison(values, "turnover_rate", 2024, 0.14, "y.csv").to_dict()
    assert spec["title"]["text"] == "Personalrörlighet 2024: B högst, A lägst"
    assert "14,0\u00a0%" in spec["title"]["subtitle"]
    rows = spec["datasets"][spec["data"]["name"]]
    assert [r["unit_name"] for r in rows] == ["B", "D", "A"]  # C suppressed
    assert {r["city_value"] for r in rows} == {0.14}
    bar, rule = spec["layer"]
    assert bar["encoding"]["y"]["sort"] == "-x"
    assert rule["mark"]["type"] == "rule"


def test_renderer_html_is_offline_and_accessible(turnover_by_year):
    chart = charts.plot_turnover_trend(turnover_by_year, "S", 2016, 2018, "s.csv")
    bundle = chart._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    assert set(bundle) == {"text/html"}
    html = bundle["text/html"]
    assert "window.vegaEmbed(el, spec, " in html
    assert '"actions": false' in html
    assert json.dumps(labels.CHART_SCRIPT_MISSING, ensure_ascii=False) in html
    assert not re.search(r"<script[^>]+src=", html)
    assert "cdn.jsdelivr" not in html and "require(" not in html
    assert 'role="img"' in html and "aria-label=" in html
    assert labels.DOWNLOAD_CSV in html and 'download="s.csv"' in html


def test_download_link_holds_exactly_the_plotted_rows(turnover_by_year):
    spec = charts.plot_turnover_trend(turnover_by_year, "S", 2016, 2018, "s.csv").to_dict()
    html = charts.render_html(spec)
    href = re.search(r'href="data:text/csv;charset=utf-8,([^"]+)"', html).group(1)
    text = urllib.parse.unquote(href.replace("&amp;", "&")).lstrip("\ufeff")
    lines = text.strip().split("\n")
    assert lines[0] == "year,occupation,occupation_label,value"
    assert len(lines) == 1 + 8


def test_spec_cannot_close_its_script_tag():
    spec = alt.Chart(pd.DataFrame({"a": ["</script><script>alert(1)</script>"]})).mark_text(
    ).encode(text="a").to_dict()
    html = charts.render_html(spec)
    assert html.count("</script>") == 1


def test_indicator_trend_states_direction_and_keeps_suppressed_out():
    from uppfoljning import charts as ch

    series = pd.DataFrame({"year": [2016, 2017, 2018, 2018],
                           "occupation": ["alla", "alla", "alla", "socialsekreterare"],
                           "value": [100.0, 50.0, 90.0, 4.0],
                           "suppressed": [False, True, False, False]})
    chart = ch.plot_indicator_trend(series, "consultants", "Stockholms stad", 2016, 2018,
                                    "k.csv").to_dict()
    # 100 -> 90 is a fall of 10 % (more than 5 %): "minskat"
    assert chart["title"]["text"] == "Socionomkonsulter i Stockholms stad har minskat sedan 2016"
    data = next(iter(chart["datasets"].values()))
    assert sorted(row["value"] for row in data) == [4.0, 90.0, 100.0]  # 50 was suppressed
    assert chart["usermeta"]["download_name"] == "k.csv"
    assert "Värdet gick från 100 år 2016 till 90 år 2018." in chart["description"]
    flat = series.assign(value=[100.0, 50.0, 103.0, 4.0])
    assert ch.trend_title(flat, "consultants", "X")[0] == "Socionomkonsulter i X är ungefär som 2016"
