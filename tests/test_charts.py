"""Charts through ``chart.to_dict()``: theme, locale, message titles, suppression, and
the offline renderer's HTML."""

from __future__ import annotations

import itertools
import json
import re
import urllib.parse
from pathlib import Path

import altair as alt
import markupsafe
import pandas as pd
import pytest

from uppfoljning import cache, charts, formatting, labels


@pytest.fixture
def turnover_by_year() -> pd.DataFrame:
    rows = []
    for occupation, values in {
        "socialsekreterare": [0.25, 0.20, None],
        "bistandshandlaggare": [0.10, 0.12, 0.11],
        "alla": [0.20, 0.18, 0.15],
    }.items():
        for year, value in zip((2016, 2017, 2018), values, strict=True):
            rows.append(
                {
                    "year": year,
                    "occupation": occupation,
                    "value": value,
                    "suppressed": value is None,
                }
            )
    return pd.DataFrame(rows)


def _datasets(spec: dict) -> list[dict]:
    return [row for rows in spec["datasets"].values() for row in rows]


def test_theme_is_registered_and_enabled():
    assert charts.THEME in alt.theme.names()
    assert alt.theme.active == charts.THEME
    assert alt.renderers.active == charts.RENDERER


def test_spec_carries_swedish_locale_and_palette(turnover_by_year):
    spec = charts.plot_turnover_trend(turnover_by_year, "Skärholmen", 2016, 2018, "x.csv").to_dict()
    locale = spec["config"]["locale"]
    assert locale["number"]["decimal"] == ","
    assert locale["number"]["thousands"] == "\u00a0"
    assert locale["number"]["grouping"] == [3]
    assert locale["time"]["shortMonths"][0] == "jan"
    assert locale["time"]["months"][11] == "december"
    assert spec["config"]["range"]["category"] == charts.PALETTE


def test_turnover_title_states_the_message(turnover_by_year):
    spec = charts.plot_turnover_trend(turnover_by_year, "Skärholmen", 2016, 2018, "x.csv").to_dict()
    assert _text(spec["title"]["text"]) == "Personalrörligheten i Skärholmen har minskat sedan 2016"
    assert "2016–2018" in _text(spec["title"]["subtitle"])
    assert "20,0\u00a0%" in spec["description"] and "15,0\u00a0%" in spec["description"]


def test_turnover_title_up_and_flat(turnover_by_year):
    rising = turnover_by_year.assign(value=turnover_by_year["value"].iloc[::-1].to_numpy())
    rising["suppressed"] = rising["value"].isna()
    title, _ = charts.turnover_title(rising, "X")
    assert "ökat" in title
    flat = turnover_by_year.assign(value=0.2, suppressed=False)
    assert "ungefär som" in charts.turnover_title(flat, "X")[0]
    nothing = turnover_by_year.assign(value=None, suppressed=True)
    assert charts.turnover_title(nothing, "X")[0] == labels.TURNOVER_TITLE_NONE.format(place="X")


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
    values = pd.DataFrame(
        {
            "unit_name": ["A", "B", "C", "D"],
            "value": [0.10, 0.20, None, 0.15],
            "suppressed": [False, False, True, False],
        }
    )
    spec = charts.plot_unit_comparison(values, "turnover_rate", 2024, 0.14, "y.csv").to_dict()
    assert _text(spec["title"]["text"]) == "Personalrörlighet 2024: B högst, A lägst"
    assert "14,0\u00a0%" in _text(spec["title"]["subtitle"])
    bar, rule, note = spec["layer"]
    rows = spec["datasets"][bar.get("data", spec.get("data"))["name"]]  # its own or shared
    assert [r["unit_name"] for r in rows] == ["B", "D", "A"]  # C suppressed
    assert {r["city_value"] for r in rows} == {0.14}
    # C keeps its row, marked "..", below the published values
    assert bar["encoding"]["y"]["sort"] == ["B", "D", "A", "C"]
    assert rule["mark"]["type"] == "rule"
    assert spec["datasets"][note["data"]["name"]] == [
        {"unit_name": "C", "value": None, "note": ".."}
    ]
    assert "Redovisas inte (..): C." in spec["description"]
    assert "saknas" not in spec["description"]  # hidden is not missing
    missing = values.assign(suppressed=False)  # C not delivered
    described = charts.plot_unit_comparison(
        missing, "turnover_rate", 2024, 0.14, "y.csv"
    ).to_dict()["description"]
    assert "Uppgift saknas: C." in described and "(..)" not in described


def test_comparison_names_ties_and_says_when_it_shows_districts_alone():
    values = pd.DataFrame(
        {
            "unit_name": list("ABCDEFGH"),
            "kind": "stadsdelsforvaltning",
            "value": [0, 0, 0, 0, 0, 0, 0, 3.0],
            "suppressed": False,
        }
    )
    spec = charts.plot_unit_comparison(values, "consultants", 2024, 3.0, "c.csv").to_dict()
    assert _text(spec["title"]["text"]) == (
        "Socionomkonsulter 2024: H högst, lägst (0) i sju stadsdelsförvaltningar"
    )
    assert _text(spec["title"]["subtitle"]).startswith("Stadsdelsförvaltningarna sorterade")
    # two units tied in the display (14,04 % and 13,96 % both show 14,0 %)
    tied = pd.DataFrame(
        {
            "unit_name": ["Kungsholmen", "Bromma", "Kista"],
            "value": [0.1404, 0.1396, 0.20],
            "suppressed": False,
        }
    )
    title, found = charts.comparison_title(tied, "turnover_rate", 2024)
    assert title == "Personalrörlighet 2024: Kista högst, Bromma och Kungsholmen lägst"
    same = pd.DataFrame({"unit_name": ["A", "B"], "value": [0.0, 0.0], "suppressed": False})
    assert charts.comparison_title(same, "consultants", 2024)[0] == (
        "Socionomkonsulter 2024: 0 i alla 2 förvaltningar"
    )


def test_cost_is_plotted_in_mnkr_and_counts_have_no_decimals_in_tooltips():
    values = pd.DataFrame({"unit_name": ["A"], "value": [120_000_000.0], "suppressed": False})
    spec = charts.plot_unit_comparison(values, "consultant_cost_sek", 2024, None, "k.csv").to_dict()
    bar = spec["layer"][0]
    assert bar["transform"] == [{"calculate": "datum.value / 1000000", "as": "value_mnkr"}]
    assert bar["encoding"]["x"]["field"] == "value_mnkr"
    assert bar["encoding"]["x"]["title"].endswith("(mnkr)")
    series = pd.DataFrame(
        {"year": [2023, 2024], "occupation": "alla", "value": [33.0, 40.0], "suppressed": False}
    )
    trend = charts.plot_indicator_trend(series, "incidents", "X", 2023, 2024, "t.csv").to_dict()
    formats = {
        t.get("format")
        for layer in trend["layer"]
        for t in layer["encoding"]["tooltip"]
        if t["field"] == "value"
    }
    assert formats == {",.0f"}


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
    assert 'role="img"' in html and "aria-labelledby=" in html
    assert labels.DOWNLOAD_CSV in html and 'download="s.csv"' in html


def test_download_link_holds_exactly_the_plotted_rows(turnover_by_year):
    spec = charts.plot_turnover_trend(turnover_by_year, "S", 2016, 2018, "s.csv").to_dict()
    html = charts.render_html(spec)
    href = re.search(r'href="data:text/csv;charset=utf-8,([^"]+)"', html).group(1)
    text = urllib.parse.unquote(href.replace("&amp;", "&"))
    # for Swedish Excel: a byte order mark, ';' and decimal comma, Swedish headers and
    # labels, rates in percent rounded as shown, '..' for the hidden 2018 value
    assert text.startswith("\ufeff")
    assert text.lstrip("\ufeff").split("\r\n") == [
        "Yrkesgrupp;År;Personalrörlighet (%)",
        "Socialsekreterare;2016;25,0",
        "Socialsekreterare;2017;20,0",
        "Socialsekreterare;2018;..",
        "Biståndshandläggare;2016;10,0",
        "Biståndshandläggare;2017;12,0",
        "Biståndshandläggare;2018;11,0",
        "Båda yrkesgrupperna;2016;20,0",
        "Båda yrkesgrupperna;2017;18,0",
        "Båda yrkesgrupperna;2018;15,0",
        "",
    ]


def test_comparison_download_names_hidden_units_and_the_city():
    values = pd.DataFrame(
        {
            "unit_name": ["Bromma", "Kista", "Farsta", "=Evil"],
            "value": [1_234_567.0, None, 850_000.0, 2_000_000.0],
            "suppressed": [False, True, False, False],
        }
    )
    spec = charts.plot_unit_comparison(
        values, "consultant_cost_sek", 2024, 4_084_567.0, "c.csv"
    ).to_dict()
    lines = charts.spec_to_csv(spec).split("\r\n")
    # costs in mnkr with one decimal, as the chart's axis; a formula-like name neutralised
    name = labels.indicator_label("consultant_cost_sek").name
    assert lines[0] == f"Förvaltning;{name} (mnkr)"
    assert sorted(lines[1:-1]) == sorted(
        ["'=Evil;2,0", "Bromma;1,2", "Farsta;0,9", "Kista;..", "Hela staden;4,1"]
    )


def test_two_years_download_has_a_row_for_each_category_and_year():
    frame = pd.DataFrame(
        {
            "category": ["A", "A", "B", "B"],
            "year": [2023, 2024, 2023, 2024],
            "value": [10.04, 12.06, None, 8.0],
            "suppressed": [False, False, True, False],
        }
    )
    spec = charts.plot_two_years(
        frame, "wait_days_mean", 2024, "v.csv", category_title="Förvaltning"
    ).to_dict()
    assert charts.spec_to_csv(spec).split("\r\n") == [
        "Förvaltning;År;Väntetid till bokat besök, medelvärde (dagar)",
        "A;2023;10,0",
        "A;2024;12,1",
        "B;2023;..",
        "B;2024;8,0",
        "",
    ]


def test_download_number_is_what_the_page_shows_in_the_charts_unit():
    assert formatting.format_download_number("turnover_rate", 0.16849) == "16,8"
    assert formatting.format_download_number("turnover_rate", 0.16851) == "16,9"
    assert formatting.format_download_number("consultant_cost_sek", 5_066_000) == "5,1"
    assert formatting.format_download_number("headcount", 1529.5) == "1530"  # no spaces
    assert formatting.format_download_number("wait_days_mean", -0.04) == "0,0"  # no -0,0
    assert formatting.format_download_number("cases_per_worker", -1.25) == "-1,3"


def test_spec_without_download_meta_writes_its_columns_as_they_are():
    spec = {"data": {"values": [{"a": 1.5, "b": "x", "c": True}]}}
    assert charts.spec_to_csv(spec) == "a;b;c\r\n1,5;x;Ja\r\n"


def test_page_spec_turns_vegas_own_accessibility_texts_off(turnover_by_year):
    spec = charts.plot_turnover_trend(turnover_by_year, "S", 2016, 2018, "s.csv").to_dict()
    html = charts.render_html(spec, picture=False)
    page_spec = json.loads(re.search(r"var spec = (\{.*\});\n", html).group(1))
    assert page_spec["config"]["aria"] is False
    assert page_spec["description"] == spec["description"]
    assert "aria" not in spec["config"]  # the static picture's spec is unchanged
    # the container is an image named by the Swedish text alternative, its caption,
    # which screen readers do not read a second time where it stands
    found = re.search(
        r'<div id="([^"]+)" class="uppf-chart-view" role="img" '
        r'aria-labelledby="([^"]+)">',
        html,
    )
    assert found and found.group(2) == found.group(1) + "-text"
    assert (
        f'<span id="{found.group(2)}" class="uppf-chart-description" aria-hidden="true">'
        f"{markupsafe.escape(spec['description'])}</span>"
    ) in html
    assert "aria-label=" not in html
    assert '<figure class="uppf-chart" role="none">' in html  # not named by the caption again


def test_spec_cannot_close_its_script_tag():
    spec = (
        alt.Chart(pd.DataFrame({"a": ["</script><script>alert(1)</script>"]}))
        .mark_text()
        .encode(text="a")
        .to_dict()
    )
    html = charts.render_html(spec)
    assert html.count("</script>") == 1


def test_indicator_trend_states_direction_and_keeps_suppressed_out():
    from uppfoljning import charts as ch

    series = pd.DataFrame(
        {
            "year": [2016, 2017, 2018, 2018],
            "occupation": ["alla", "alla", "alla", "socialsekreterare"],
            "value": [100.0, 50.0, 90.0, 4.0],
            "suppressed": [False, True, False, False],
        }
    )
    chart = ch.plot_indicator_trend(
        series, "consultants", "Stockholms stad", 2016, 2018, "k.csv"
    ).to_dict()
    # 100 -> 90 is a fall of 10 % (more than 5 %): "minskat"
    assert _text(chart["title"]["text"]) == (
        "Antalet socionomkonsulter i Stockholms stad har minskat sedan 2016"
    )
    data = next(iter(chart["datasets"].values()))
    assert sorted(row["value"] for row in data) == [4.0, 90.0, 100.0]  # 50 was suppressed
    assert chart["usermeta"]["download_name"] == "k.csv"
    assert "Värdet gick från 100 år 2016 till 90 år 2018." in chart["description"]
    flat = series.assign(value=[100.0, 50.0, 103.0, 4.0])
    assert ch.trend_title(flat, "consultants", "X")[0] == (
        "Antalet socionomkonsulter i X är ungefär som 2016"
    )


# ---------------------------------------------------------------------------
# Static picture, empty charts, sums, two-year dot plots


def test_renderer_embeds_a_static_picture_inside_the_chart_container(turnover_by_year):
    import html as html_lib
    import urllib.parse

    spec = charts.plot_turnover_trend(turnover_by_year, "S", 2016, 2018, "s.csv").to_dict()
    html = charts.render_html(spec)
    view = re.search(
        r'<div id="[^"]+" class="uppf-chart-view"[^>]*>(.*?)</div>', html, re.DOTALL
    ).group(1)
    source = re.search(
        r'<img class="uppf-chart-fallback" alt="" '
        r'src="data:image/svg\+xml;charset=utf-8,([^"]+)">',
        view,
    ).group(1)
    svg = urllib.parse.unquote(html_lib.unescape(source))
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "Personalrörlighet" in svg  # the axis title, drawn with the Swedish spec
    assert "Personalr" in source  # plain text in the page (searchable), not base64
    assert "uppf-chart-fallback" not in charts.render_html(spec, picture=False)


def test_empty_charts_say_uppgift_saknas():
    empty = pd.DataFrame(
        {"year": [2024], "occupation": ["alla"], "value": [3.0], "suppressed": [True]}
    )
    trend = charts.plot_indicator_trend(empty, "incidents", "X", 2016, 2024, "x.csv")
    assert isinstance(trend, charts.NoData)
    # every value hidden: said to be hidden, with both reasons, never "uppgift saknas"
    assert trend._repr_html_() == (
        '<p class="uppf-no-data">Värdena redovisas inte (..) för att skydda enskilda '
        "personer: de bygger på för få personer eller skulle annars gå att räkna fram. "
        "Därför visas inget diagram.</p>"
    )
    assert isinstance(charts.plot_turnover_trend(empty, "X", 2016, 2024, "x.csv"), charts.NoData)
    no_units = pd.DataFrame({"unit_name": ["A"], "value": [None], "suppressed": [False]})
    missing = charts.plot_unit_comparison(no_units, "job_ads", 2024, 3.0, "x.csv")
    assert missing.message == (
        "Uppgift saknas: underlaget innehåller inga värden att visa i diagrammet."
    )
    zeros = pd.DataFrame(
        {
            "year": [2016, 2024],
            "occupation": ["alla"] * 2,
            "value": [0.0, 0.0],
            "suppressed": [False] * 2,
        }
    )
    assert charts.plot_indicator_trend(zeros, "consultants", "X", 2016, 2024, "x.csv").message == (
        "Antalet socionomkonsulter i X var 0 alla redovisade år 2016–2024, så inget diagram visas."
    )
    assert charts.plot_detail(None, "X", 2016, 2024, "x.csv") is None


def test_comparison_of_a_sum_has_no_city_line_but_names_the_total():
    values = pd.DataFrame(
        {"unit_name": ["A", "B"], "value": [178.0, 40.0], "suppressed": [False, False]}
    )
    spec = charts.plot_unit_comparison(
        values, "reinforcement_staff_weeks", 2024, 443.0, "f.csv"
    ).to_dict()
    assert len(spec["layer"]) == 1  # bars only: 443 is the total, not a level
    assert _text(spec["title"]["subtitle"]) == (
        "Förvaltningarna sorterade efter värde; hela staden totalt: 443"
    )
    rows = spec["datasets"][spec["data"]["name"]]
    assert rows == [{"unit_name": "A", "value": 178.0}, {"unit_name": "B", "value": 40.0}]


def test_axis_titles_carry_the_unit():
    assert charts.axis_title("wait_days_mean") == ("Väntetid till bokat besök, medelvärde (dagar)")
    assert charts.axis_title("consultant_cost_sek") == ("Kostnad för socionomkonsulter (mnkr)")
    assert charts.axis_title("job_ads") == "Publicerade platsannonser"


def _text(title: str | list[str]) -> str:
    """A chart title as one line (long titles are wrapped into a list of lines)."""
    return " ".join(title) if isinstance(title, list) else title


def test_long_titles_wrap_at_spaces():
    assert charts.wrap_title("kort titel") == "kort titel"
    assert charts.wrap_title("aaa bbb ccc ddd", width=7) == ["aaa bbb", "ccc ddd"]
    assert charts.wrap_title("abcdefghij kl", width=5) == ["abcdefghij", "kl"]
    spec = charts.plot_turnover_trend(
        pd.DataFrame(
            {
                "year": [2016, 2024],
                "occupation": ["alla", "alla"],
                "value": [0.2, 0.1],
                "suppressed": [False, False],
            }
        ),
        "Enskede-Årsta-Vantör",
        2016,
        2024,
        "x.csv",
    ).to_dict()
    title, subtitle = spec["title"]["text"], spec["title"]["subtitle"]  # both wrapped
    assert len(title) > 1 and all(len(line) <= charts.TITLE_LINE for line in title)
    assert len(subtitle) == 2 and all(len(line) <= charts.SUBTITLE_LINE for line in subtitle)


def test_page_draws_the_chart_as_wide_as_its_column():
    spec = {"width": 520, "height": 280, "mark": "bar"}
    assert charts.responsive(spec) == {
        "width": "container",
        "height": 280,
        "mark": "bar",
        "autosize": {"type": "fit-x", "contains": "padding"},
    }
    assert spec["width"] == 520  # the picture and the CSV keep the fixed size
    assert charts.responsive({"hconcat": [], "width": 300}) == {"hconcat": [], "width": 300}
    html = charts.render_html({**spec, "data": {"values": [{"a": 1}]}}, picture=False)
    assert '"width":"container"' in html and '"width":520' not in html


def _two_years() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "category": ["Bromma", "Bromma", "Farsta", "Farsta", "Kista", "Kista", "Årsta"],
            "year": [2023, 2024, 2023, 2024, 2023, 2024, 2024],
            "value": [8.5, 8.8, 22.3, 20.7, 5.0, 3.0, 12.0],
            "suppressed": [False, False, False, False, False, True, False],
        }
    )


def test_two_years_dot_plot():
    frame = _two_years()
    before = frame.copy()
    spec = charts.plot_two_years(
        frame, "wait_days_mean", 2024, "v.csv", noun="stadsdelsförvaltningar"
    ).to_dict()
    pd.testing.assert_frame_equal(frame, before)
    # both years: Bromma up (8,5 -> 8,8), Farsta down; Kista 2024 is suppressed
    assert _text(spec["title"]["text"]) == (
        "Väntetid till bokat besök, medelvärde: högre 2024 än 2023 "
        "för en och lägre för en av två stadsdelsförvaltningar"
    )
    assert spec["description"] == (
        "Punktdiagram som jämför väntetid till bokat besök, medelvärde 2023 och 2024 för fyra "
        "stadsdelsförvaltningar. Högst 2024: Farsta (20,7\u00a0dagar); lägst: Bromma "
        "(8,8\u00a0dagar). Visas inte i diagrammet: Kista 2024 (..); Årsta 2023 "
        "(uppgift saknas)."
    )
    rows = spec["datasets"][spec["data"]["name"]]
    assert len(rows) == 6 and not any(r["category"] == "Kista" and r["year"] == 2024 for r in rows)
    points = spec["layer"][1]
    # sorted by this year's value, categories without a value this year last
    assert points["encoding"]["y"]["sort"] == ["Farsta", "Årsta", "Bromma", "Kista"]
    # years differ in shape and fill, not only in colour
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "square"]
    assert points["encoding"]["fill"]["scale"]["range"][0] == "#ffffff"
    assert points["encoding"]["x"]["title"] == "Väntetid till bokat besök, medelvärde (dagar)"


def test_two_years_text_alternative_lists_what_is_left_out():
    frame = pd.DataFrame(
        {
            "category": ["A", "A", "B", "B", "C", "D"],
            "year": [2023, 2024, 2023, 2024, 2024, 2023],
            "value": [1.0, 2.0, None, None, 3.0, None],
            "suppressed": [False, False, True, False, False, True],
        }
    )
    # A is plotted in both years; B hidden 2023 and no value 2024; C has no 2023 row;
    # D hidden 2023 and no 2024 row
    assert charts.two_years_hidden(frame, 2024) == (
        "Visas inte i diagrammet: B 2023 (..) och 2024 (uppgift saknas); "
        "C 2023 (uppgift saknas); D 2023 (..) och 2024 (uppgift saknas)."
    )
    assert charts.two_years_hidden(frame[frame["category"] == "A"], 2024) == ""
    spec = charts.plot_two_years(frame, "cases_per_worker", 2024, "v.csv").to_dict()
    assert spec["description"].endswith(charts.two_years_hidden(frame, 2024))


def test_two_years_title_counts_only_visible_changes():
    plotted = pd.DataFrame(
        {
            "category": ["A", "A", "B", "B"],
            "year": [2023, 2024] * 2,
            "value": [0.201, 0.2049, 0.30, 0.10],
        }
    )
    # A: 20 % -> 20 % at 0 decimals is no visible change; B went down
    title, _ = charts.two_years_title(plotted, "Andel", "skäl", "exit_reason_share_lon", 2024)
    assert title == "Andel: lägre 2024 än 2023 för en av två skäl"
    same = plotted.assign(value=[0.2, 0.2, 0.3, 0.3])
    assert (
        charts.two_years_title(same, "Andel", "skäl", "exit_reason_share_lon", 2024)[0]
        == "Andel: oförändrat 2024 jämfört med 2023"
    )
    only_now = plotted[plotted["year"] == 2024]
    assert (
        charts.two_years_title(only_now, "Andel", "skäl", "exit_reason_share_lon", 2024)[0]
        == "Andel 2024: högst för A, lägst för B"
    )
    nothing = _two_years().assign(suppressed=True)
    assert isinstance(
        charts.plot_two_years(nothing, "wait_days_mean", 2024, "v.csv"), charts.NoData
    )


def test_plot_detail_dispatches():
    from uppfoljning.areas import DetailChart

    detail = DetailChart("two_years", "wait_days_mean", _two_years())
    assert (
        charts.plot_detail(detail, "X", 2016, 2024, "d.csv").to_dict()["usermeta"]["download_name"]
        == "d.csv"
    )
    series = pd.DataFrame(
        {
            "year": [2016, 2024],
            "occupation": ["alla", "alla"],
            "value": [2.0, 4.0],
            "suppressed": [False, False],
        }
    )
    trend = charts.plot_detail(
        DetailChart("trend", "incidents", series), "X", 2016, 2024, "t.csv"
    ).to_dict()
    assert _text(trend["title"]["text"]) == (
        "Antalet rapporterade händelser av hot och våld i X har ökat sedan 2016"
    )
    with pytest.raises(ValueError, match="kind"):
        charts.plot_detail(DetailChart("pie", "incidents", series), "X", 2016, 2024, "p.csv")


# ---------------------------------------------------------------------------
# Pictures drawn before, and display without schema validation


@pytest.fixture
def drawn(monkeypatch) -> list[dict]:
    """The specs vl-convert is asked to draw (it still draws them)."""
    calls: list[dict] = []
    draw = charts.spec_to_svg

    def counting(spec: dict) -> str:
        calls.append(spec)
        return draw(spec)

    monkeypatch.setattr(charts, "spec_to_svg", counting)
    return calls


def _html(spec: dict, monkeypatch, **options) -> str:
    """render_html with the chart counter at 1 (element ids equal between renders)."""
    monkeypatch.setattr(charts, "_chart_counter", itertools.count(1))
    return charts.render_html(spec, **options)


def test_a_picture_drawn_before_is_not_drawn_again(turnover_by_year, drawn, monkeypatch, tmp_path):
    spec = charts.plot_turnover_trend(turnover_by_year, "S", 2016, 2018, "s.csv").to_dict()
    fresh = _html(spec, monkeypatch)
    assert len(drawn) == 1
    first = _html(spec, monkeypatch, pictures=tmp_path / "charts")
    again = _html(spec, monkeypatch, pictures=tmp_path / "charts")
    assert len(drawn) == 2  # drawn once without the folder, once into it, then read
    assert fresh == first == again  # byte for byte the same page
    assert [p.suffix for p in (tmp_path / "charts").iterdir()] == [".svg"]
    changed = {**spec, "description": spec["description"] + " Ändrad."}
    assert _html(changed, monkeypatch, pictures=tmp_path / "charts") != again
    assert len(drawn) == 3 and drawn[-1] == changed
    assert len(list((tmp_path / "charts").iterdir())) == 2


def test_a_picture_is_named_by_spec_and_drawing_library(monkeypatch):
    spec_json = json.dumps({"mark": "point"})
    key = charts.picture_key(spec_json)
    assert key == charts.picture_key(spec_json) != charts.picture_key(spec_json + " ")
    monkeypatch.setattr(charts, "_drawer_version", lambda: "0.0.0-other")
    assert charts.picture_key(spec_json) != key


def test_an_unreadable_picture_is_drawn_again(turnover_by_year, drawn, monkeypatch, tmp_path):
    spec = charts.plot_turnover_trend(turnover_by_year, "S", 2016, 2018, "s.csv").to_dict()
    fresh = _html(spec, monkeypatch)
    spec_json = json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    entry = tmp_path / f"{charts.picture_key(spec_json)}.svg"
    for broken in (b'<svg xmlns="http://www.w3.org/2000/svg"><g>', b"\xff\xfe<svg", b""):
        entry.write_bytes(broken)
        drawn.clear()
        assert _html(spec, monkeypatch, pictures=tmp_path) == fresh
        assert len(drawn) == 1
        assert charts._is_svg(entry.read_text(encoding="utf-8"))  # whole again
    assert [p.name for p in tmp_path.iterdir()] == [entry.name]  # no temporary file left


def test_renderer_uses_the_folder_the_build_names_and_none_without(
    turnover_by_year, drawn, monkeypatch, tmp_path
):
    chart = charts.plot_turnover_trend(turnover_by_year, "S", 2016, 2018, "s.csv")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(cache.PICTURES_ENV, raising=False)
    assert charts.pictures_folder() is None
    chart._repr_mimebundle_()
    chart._repr_mimebundle_()
    assert len(drawn) == 2 and list(tmp_path.iterdir()) == []  # no variable, no files
    monkeypatch.setenv(cache.PICTURES_ENV, "")
    assert charts.pictures_folder() is None
    monkeypatch.setenv(cache.PICTURES_ENV, str(tmp_path / "charts"))
    chart._repr_mimebundle_()
    chart._repr_mimebundle_()
    assert len(drawn) == 3
    assert len(list((tmp_path / "charts").glob("*.svg"))) == 1


def test_display_skips_schema_validation_and_gives_the_same_html(turnover_by_year, monkeypatch):
    from IPython.core.formatters import DisplayFormatter

    from uppfoljning import unit_charts

    shown = [
        charts.plot_turnover_trend(turnover_by_year, "S", 2016, 2018, "s.csv"),
        unit_charts.plot_unit_trend(_unit_trend(), "u.csv"),
    ]
    expected = []
    for chart in shown:  # Altair's own display: validated
        monkeypatch.setattr(charts, "_chart_counter", itertools.count(1))
        expected.append(chart._repr_mimebundle_()["text/html"])
    formatter = DisplayFormatter()
    charts.register_display(formatter)
    validated: list[dict] = []  # the schemas specs were validated against
    monkeypatch.setattr(
        alt.utils.schemapi,
        "validate_jsonschema",
        lambda instance, schema, **kwargs: validated.append(schema),
    )
    for chart, html in zip(shown, expected, strict=True):
        monkeypatch.setattr(charts, "_chart_counter", itertools.count(1))
        data, _ = formatter.format(chart)
        assert data["text/html"] == html
    # only the inline data's small name check is left, never the whole spec's schema
    assert validated and all(s == {"$ref": "#/definitions/NamedData"} for s in validated)


def test_display_reports_the_schema_error_of_a_spec_it_cannot_draw(monkeypatch):
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q")
    chart.width = "very wide"  # not a number, nor "container" (set unchecked)
    monkeypatch.setattr(charts, "spec_to_svg", lambda spec: 1 / 0)
    with pytest.raises(alt.utils.schemapi.SchemaValidationError):
        charts.chart_mimebundle(chart)


def _unit_trend():
    from uppfoljning import unit_report

    rows = pd.DataFrame(
        {
            "edition": 2024,
            "year": [2022, 2023, 2024] * 2,
            "unit_id": ["a"] * 3 + ["stockholm"] * 3,
            "unit_name": "x",
            "occupation": "alla",
            "indicator": "turnover_rate",
            "value": [0.2, None, 0.15, 0.12, 0.13, 0.14],
            "suppressed": [False, True, False, False, False, False],
        }
    )  # a hidden year too
    return unit_report.unit_trend(
        rows, "personalrorlighet", "turnover_rate", "a", "Alfa", 2022, 2024
    )


def _chart_factories() -> dict[str, object]:
    """Every plotting function of the report, on small hand-made data."""
    from uppfoljning import overview, unit_charts
    from uppfoljning.areas import DetailChart

    series = pd.DataFrame(
        {
            "year": [2016, 2017, 2018, 2018],
            "occupation": ["alla", "alla", "alla", "socialsekreterare"],
            "value": [0.2, 0.25, 0.18, 0.3],
            "suppressed": False,
        }
    )
    by_unit = pd.DataFrame(
        {
            "unit_name": ["Alfa", "Beta", "Ceta"],
            "value": [0.2, 0.1, 0.3],
            "suppressed": [False, False, True],
            "kind": "stadsdelsforvaltning",
        }
    )
    overview_rows = pd.DataFrame(
        {
            "unit": ["Alfa", "Alfa", "Beta", "Beta", labels.LEGEND_CITY, labels.LEGEND_CITY],
            "is_city": [False, False, False, False, True, True],
            "measure": ["M1", "M2"] * 3,
            "order": [0, 1] * 3,
            "text": ["1", "2"] * 3,
            "class": [labels.OVERVIEW_CLASSES[k] for k in overview.CHART_CLASSES[:2]] * 3,
        }
    )
    return {
        "charts.plot_turnover_trend": lambda: charts.plot_turnover_trend(
            series, "S", 2016, 2018, "a.csv"
        ),
        "charts.plot_indicator_trend": lambda: charts.plot_indicator_trend(
            series.assign(value=[3.0, 4.0, 5.0, 1.0]), "consultants", "S", 2016, 2018, "b.csv"
        ),
        "charts.plot_unit_comparison": lambda: charts.plot_unit_comparison(
            by_unit, "turnover_rate", 2018, 0.2, "c.csv"
        ),
        "charts.plot_two_years": lambda: charts.plot_two_years(
            _two_years(), "wait_days_mean", 2024, "d.csv"
        ),
        "charts.plot_detail": lambda: charts.plot_detail(
            DetailChart("two_years", "wait_days_mean", _two_years()), "S", 2016, 2024, "e.csv"
        ),
        "unit_charts.plot_unit_trend": lambda: unit_charts.plot_unit_trend(_unit_trend(), "f.csv"),
        "overview.plot_two_units": lambda: overview.plot_two_units(
            overview_rows, "Alfa", "Beta", 2024, "g.csv"
        ),
        "charts.plot_focus_counts": lambda: charts.plot_focus_counts(
            pd.DataFrame(
                [(2023, "avstannat", 1, 4), (2023, "ej_paborjat", 2, 4)],
                columns=["year", "status", "count", "assessed"],
            ),
            2023,
            "h.csv",
        ),
    }


def test_every_plotting_function_is_validated_here():
    """Charts are displayed without schema validation (chart_mimebundle): this list
    must name every plotting function, so each spec is validated by the next test."""
    from uppfoljning import overview, unit_charts

    found = {
        f"{module.__name__.rsplit('.', 1)[1]}.{name}"
        for module in (charts, unit_charts, overview)
        for name, value in vars(module).items()
        if name.startswith("plot_") and callable(value) and value.__module__ == module.__name__
    }
    assert found == set(_chart_factories())


@pytest.mark.parametrize("name", sorted(_chart_factories()))
def test_every_plotting_function_makes_a_valid_vega_lite_spec(name):
    chart = _chart_factories()[name]()
    assert isinstance(chart, alt.TopLevelMixin)
    spec = chart.to_dict(validate=True)  # raises SchemaValidationError if invalid
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


@pytest.mark.parametrize("name", sorted(_chart_factories()))
def test_every_plotting_function_names_its_channels(name, monkeypatch):
    """A channel given as a shorthand string or a dict (``detail="x:N"``,
    ``alt.datum(0)``) makes Altair index its whole schema to find the channel's class,
    about 3 ms each time, several times a page: the report names the channel classes."""

    def no_lookup(self, *args):
        raise AssertionError("a channel was given as a shorthand string or a dict")

    monkeypatch.setattr(alt.utils.schemapi._FromDict, "__init__", no_lookup)
    chart = _chart_factories()[name]()
    chart.to_dict(validate=False)


@pytest.mark.parametrize("name", sorted(_chart_factories()))
def test_every_plotting_function_gives_the_spec_altairs_own_layer_chart_gives(name, monkeypatch):
    """charts.layer_chart skips what Altair's LayerChart does to merge layers: for the
    report's layers that must change nothing in the spec."""
    ours = _chart_factories()[name]()
    monkeypatch.setattr(charts, "PlainLayerChart", alt.LayerChart)
    altairs = _chart_factories()[name]()
    assert ours.to_dict(validate=False) == altairs.to_dict(validate=False)


def test_layers_with_something_to_merge_go_through_altairs_layer_chart():
    data = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    line = alt.Chart().mark_line().encode(x=alt.X("x:Q"), y=alt.Y("y:Q"))
    assert type(charts.layer_chart([line], data)) is charts.PlainLayerChart
    assert (
        type(
            charts.plot_turnover_trend(  # the report's charts are such charts
                pd.DataFrame(
                    {
                        "year": [2016, 2017],
                        "occupation": "alla",
                        "value": [0.2, 0.3],
                        "suppressed": False,
                    }
                ),
                "S",
                2016,
                2017,
                "a.csv",
            )
        )
        is charts.PlainLayerChart
    )
    with_data = alt.Chart(data).mark_point().encode(x=alt.X("x:Q"), y=alt.Y("y:Q"))
    sized = alt.Chart().mark_point().encode(x=alt.X("x:Q")).properties(width=100)
    selecting = (
        alt.Chart().mark_point().encode(x=alt.X("x:Q")).add_params(alt.selection_point(name="pick"))
    )
    for other in (with_data, sized, selecting):
        chart = charts.layer_chart([line, other], data, title="T")
        assert type(chart) is alt.LayerChart
        assert (
            chart.to_dict() == alt.LayerChart(layer=[line, other], data=data, title="T").to_dict()
        )


def test_a_pictures_text_names_the_font_it_was_measured_with():
    """The picture is laid out as before (vl-convert measures with its Liberation Sans
    either way); only the font its text names changes, to Liberation Sans and its metric
    twins, so that a browser draws it in the widths it was laid out for."""
    chart = charts.plot_unit_comparison(
        pd.DataFrame(
            {
                "unit_name": ["Enskede-Årsta-Vantör", "Bromma"],
                "value": [0.2, 0.1],
                "suppressed": False,
                "kind": "stadsdelsforvaltning",
            }
        ),
        "turnover_rate",
        2024,
        0.15,
        "a.csv",
    )
    spec = chart.to_dict()
    assert spec["config"]["font"] == charts.FONT  # the live chart keeps the site's font
    ours = charts.spec_to_svg(spec)
    as_the_spec_says = charts._drawer().vegalite_to_svg(spec)  # the same fonts loaded
    assert f'font-family="{charts.FONT}"' in as_the_spec_says.replace("&apos;", "'")
    assert charts.FONT not in ours.replace("&apos;", "'")
    assert f'font-family="{charts.PICTURE_FONT}"' in ours.replace("&apos;", "'")

    def without_fonts(svg: str) -> str:
        return re.sub(r'font-family="[^"]*"', "", svg)

    assert without_fonts(ours) == without_fonts(as_the_spec_says)


_DRAW_IN_FRESH_PROCESS = """
import json, os, sys
spec = json.loads(sys.argv[2])
if sys.argv[1] == "ours":
    from uppfoljning import charts
    os.environ["FONTCONFIG_FILE"] = "/the/builder's/own.conf"
    svg = charts.spec_to_svg(spec)
    assert os.environ["FONTCONFIG_FILE"] == "/the/builder's/own.conf", "not restored"
else:
    import vl_convert
    svg = vl_convert.vegalite_to_svg(spec)
print(svg)
"""


def test_pictures_are_measured_with_vl_converts_own_fonts_only(tmp_path):
    """vl-convert alone measures a title in a font the system has (DejaVu Sans); our
    drawer does not see the system's fonts, so its picture is laid out with vl-convert's
    Liberation Sans and differs. The process's own font setting is left as it was."""
    import subprocess
    import sys

    if not list(Path("/usr/share/fonts").rglob("DejaVuSans.ttf")):
        pytest.skip("needs DejaVu Sans among the system's fonts")
    spec = {
        "title": {"text": "Personalrörlighet " * 6, "font": "DejaVu Sans"},
        "width": 100,
        "mark": "point",
        "data": {"values": [{"a": 1}]},
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }
    pictures = {}
    for drawer in ("ours", "vl-convert"):
        done = subprocess.run(
            [sys.executable, "-c", _DRAW_IN_FRESH_PROCESS, drawer, json.dumps(spec)],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        )
        pictures[drawer] = done.stdout
    widths = {
        drawer: re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1)
        for drawer, svg in pictures.items()
    }
    assert widths["ours"] != widths["vl-convert"]  # the title's measured width decides
    assert charts.NO_SYSTEM_FONTS.is_file()
    assert not [
        p
        for p in charts.NO_SYSTEM_FONTS.parent.iterdir()
        if p.suffix.lower() in {".ttf", ".otf", ".ttc", ".otc"}
    ]


def test_focus_counts_chart_titles_the_stalled_count_and_describes_both_series():
    counts = pd.DataFrame(
        [
            (2023, "avstannat", 1, 4),
            (2023, "ej_paborjat", 2, 4),
            (2024, "avstannat", 3, 4),
            (2024, "ej_paborjat", 0, 4),
        ],
        columns=["year", "status", "count", "assessed"],
    )
    spec = charts.plot_focus_counts(counts, 2024, "fokus-2024").to_dict()
    assert spec["title"]["text"] == ["Arbetet har stannat av i 3", "kombinationer år 2024"]
    assert "Avstannat: 2023: 1, 2024: 3. Ej påbörjat: 2023: 2, 2024: 0." in spec["description"]
    none = counts.assign(count=0)
    assert charts.focus_counts_title(none, 2024) == "Inget arbete har stannat av år 2024"
    assert isinstance(charts.plot_focus_counts(counts.iloc[:0], 2024, "x"), charts.NoData)
