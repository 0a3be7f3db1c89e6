"""Charts of the district's own report (unit pages), in the theme of :mod:`charts`.

A unit's trend is drawn against the city's: the unit a solid navy line with circles,
the city a dashed grey line with triangles (colour is never the only difference). A
year whose value is hidden breaks the line and is marked ``..`` on the axis line, so a
gap never reads as a straight change; counts and sums name the city's total instead of
drawing it on the unit's scale.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from . import charts, context, formatting, labels

if TYPE_CHECKING:
    from .unit_report import UnitTrend

UNIT_STYLE = (charts.NAVY, [1, 0], "circle")
CITY_STYLE = (charts.GREY, [6, 3], "triangle-up")


def line_segments(years: list[int]) -> list[int]:
    """A segment number per year of a sorted list of published years: consecutive
    years share one, a gap (hidden or missing year) starts the next."""
    segments: list[int] = []
    for index, year in enumerate(years):
        if index == 0:
            segments.append(0)
        else:
            segments.append(segments[-1] + (year != years[index - 1] + 1))
    return segments


def trend_rows(series: pd.DataFrame, label: str) -> pd.DataFrame:
    """year, series, segment, value of the published values of one series."""
    plotted = charts._plottable(series).sort_values("year")
    years = [int(y) for y in plotted["year"]]
    return pd.DataFrame(
        {
            "year": years,
            "series": label,
            "segment": line_segments(years),
            "value": plotted["value"].astype(float).to_numpy(),
        },
        columns=["year", "series", "segment", "value"],
    )


def plot_unit_trend(trend: UnitTrend, download_name: str) -> alt.LayerChart | charts.NoData:
    """The unit's series from the first year with the city's as reference (see the
    module's docstring); NoData when the unit has no published value."""
    if not trend.has_data:
        hidden = trend.unit_series["suppressed"].astype(bool).any()
        return charts.NoData(labels.UNIT_AREA_HIDDEN if hidden else labels.UNIT_AREA_NO_DATA)
    empty = charts.nothing_to_plot(trend.unit_series, trend.indicator, trend.place)
    if empty is not None:
        return empty
    indicator = trend.indicator
    city = trend.city_cell()
    city_text = context.format_cell(indicator, city)
    rows = [trend_rows(trend.unit_series, trend.place)]
    names = [trend.place]
    if not trend.additive:
        rows.append(trend_rows(trend.city_series, labels.LEGEND_CITY))
        names.append(labels.LEGEND_CITY)
    data = pd.concat(rows, ignore_index=True)
    styles = [UNIT_STYLE, CITY_STYLE][: len(names)]

    def scale(position: int) -> alt.Scale:
        return alt.Scale(domain=names, range=[s[position] for s in styles])

    legend = alt.Legend(title=None)
    axis_format, tooltip_format = charts._value_formats(indicator)
    y_title = charts.axis_title(indicator)
    years = list(range(trend.first_year, trend.edition + 1))
    x = alt.X("year:O", title=labels.AXIS_YEAR, scale=alt.Scale(domain=years))
    base, value_field = charts._cost_in_mnkr(alt.Chart(), indicator)
    base = base.encode(
        x=x,
        y=alt.Y(
            f"{value_field}:Q",
            title=y_title,
            scale=alt.Scale(zero=True),
            axis=alt.Axis(format=axis_format),
        ),
        color=alt.Color("series:N", scale=scale(0), legend=legend),
        strokeDash=alt.StrokeDash("series:N", scale=scale(1), legend=legend),
        shape=alt.Shape("series:N", scale=scale(2), legend=legend),
        detail=alt.Detail("segment:N"),
        tooltip=[
            alt.Tooltip("series:N", title=labels.COL_UNIT),
            alt.Tooltip("year:O", title=labels.AXIS_YEAR),
            alt.Tooltip(f"{value_field}:Q", title=y_title, format=tooltip_format),
        ],
    )
    layers = [base.mark_line(), base.mark_point()]
    hidden = trend.hidden_years
    if hidden:
        marks = pd.DataFrame({"year": hidden, "series": trend.place, "note": formatting.SUPPRESSED})
        layers.append(
            alt.Chart(marks)
            .mark_text(color=charts.GREY, dy=-8, fontSize=13)
            .encode(x=x, y=alt.YDatum(0), text=alt.Text("note:N"))
        )
    title, summary = charts.trend_title(trend.unit_series, indicator, trend.place, trend.edition)
    subject = labels.sentence_subject(indicator)
    values = {
        "indicator_lower": subject[0].lower() + subject[1:],
        "place": trend.place,
        "first_year": trend.first_year,
        "last_year": trend.edition,
        "summary": summary,
        "year": trend.edition,
        "city": city_text,
    }
    if trend.additive:
        subtitle = labels.UNIT_TREND_SUBTITLE_TOTAL.format(**values)
        description = labels.UNIT_TREND_DESCRIPTION_TOTAL.format(**values)
    else:
        subtitle = labels.UNIT_TREND_SUBTITLE.format(**values)
        description = labels.UNIT_TREND_DESCRIPTION.format(**values)
    description = re.sub(" +", " ", description).strip()  # an empty summary; keeps NBSP
    if hidden:
        description += " " + labels.UNIT_TREND_HIDDEN.format(
            place=trend.place, years=formatting.join_list([str(y) for y in hidden])
        )
    download = charts.download_meta(
        [
            ("series", labels.COL_UNIT),
            ("year", labels.AXIS_YEAR),
            ("value", charts.value_header(y_title, indicator)),
        ],
        indicator,
        sort=["series", "year"],
        categories={"series": names},
    )
    return charts.layer_chart(  # one spec, built once (see charts._trend_chart)
        layers,
        data,
        title=charts.chart_title(title, subtitle),
        description=description,
        usermeta={"download_name": download_name, "download": download},
        width=charts.WIDTH,
        height=charts.HEIGHT,
    )
