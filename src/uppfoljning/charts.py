"""Charts: one Altair theme, one offline renderer, and the plotting functions.

Importing this module registers and enables

- the theme ``uppfoljning``: Swedish number and time locale carried *in the spec*
  (``config.locale``), a palette that survives colour blindness and greyscale print
  (lines also differ by dash and point shape), titles anchored left, axis titles;
- the renderer ``uppfoljning``: HTML that calls the page's global ``vegaEmbed`` (the
  site ships vega, vega-lite and vega-embed as one file in ``_static/``, see
  :mod:`uppfoljning.site`) and shows a Swedish message when it is missing. It also
  writes the chart's text alternative and a "Ladda ner data (CSV)" link holding exactly
  the plotted data, and a static SVG picture of the chart (vl-convert) inside the
  chart's container: vega-embed empties the container when it draws, so a reader
  without JavaScript (or a print of such a page) sees the picture and everyone else the
  live chart.
  No CDN is referenced.

Drawing the static picture is most of a chart's cost (~25–50 ms; see
:data:`NO_SYSTEM_FONTS` for the fonts it measures text with). A build names to its
kernels a folder of pictures drawn before, ``<project>/_build/cache/charts`` (the
environment variable :data:`uppfoljning.cache.PICTURES_ENV`): a picture is looked up by
a digest of the vl-convert version and the spec's canonical JSON, so a chart whose spec
is unchanged since any earlier build (eleven of a unit page's twelve after a
one-district correction) is not drawn again. Without the variable (a notebook opened by
hand, ``uppfoljning run``) every picture is drawn. The build keeps the folder bounded
(:func:`uppfoljning.cache.prune_pictures`).

In an IPython kernel a chart is displayed by :func:`chart_mimebundle` instead of
Altair's ``_repr_mimebundle_``: the same renderer and the same HTML, without
validating the spec against the Vega-Lite JSON schema on every display (a third of
the time of the spec itself). The plotting functions' specs are validated by the tests;
a spec that fails to render is validated then, so its schema error is what one sees.

Plotting functions take aggregated frames (never person-level rows) and return a chart;
suppressed and missing values are dropped before plotting, so they are absent from the
chart and its download alike.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import json
import os
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from . import cache, catalog, formatting, labels, templating, wording
from .catalog import ALL, BH, SS
from .layout import ALL_FIRST

THEME = "uppfoljning"
RENDERER = "uppfoljning"

# Okabe-Ito based; ordered so neighbours differ in lightness as well as hue.
NAVY, ORANGE, SKY, VERMILLION, GREEN, PURPLE, GREY = (
    "#0b3c68",
    "#e69f00",
    "#56b4e9",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#595959",
)
PALETTE = [NAVY, ORANGE, SKY, VERMILLION, GREEN, PURPLE]
OCCUPATION_STYLES = {  # occupation -> (colour, dash, point shape)
    SS: (NAVY, [1, 0], "circle"),
    BH: (ORANGE, [6, 3], "square"),
    ALL: (GREY, [2, 2], "triangle-up"),
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
WIDTH, HEIGHT = 520, 280
BAR_WIDTH = 420
EMBED_OPTIONS = {"actions": False, "renderer": "svg"}


@alt.theme.register(THEME, enable=True)
def theme() -> alt.theme.ThemeConfig:
    """The report's Vega-Lite config (Swedish locale, palette, typography)."""
    return {
        "config": {
            "locale": {
                "number": formatting.VEGA_NUMBER_LOCALE,
                "time": formatting.VEGA_TIME_LOCALE,
            },
            "font": FONT,
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "range": {"category": PALETTE},
            "title": {
                "anchor": "start",
                "fontSize": 15,
                "subtitleFontSize": 12,
                "subtitleColor": GREY,
                "offset": 12,
            },
            "axis": {
                "titleFontSize": 12,
                "labelFontSize": 11,
                "gridColor": "#dddddd",
                "titleFontWeight": "normal",
            },
            # a narrow (phone) chart drops every other year label rather than overlap them
            # ... and ends a long axis title at the axis' end, over the empty space under
            # the bars' labels, instead of letting it run off the right edge
            "axisX": {"labelAngle": 0, "labelOverlap": "parity", "titleAnchor": "end"},
            # two entries a row: the legend of three series fits a phone's width
            "legend": {
                "orient": "bottom",
                "titleFontWeight": "normal",
                "labelFontSize": 11,
                "columns": 2,
            },
            "line": {"strokeWidth": 2.5},
            "point": {"size": 60, "filled": True},
            "bar": {"color": NAVY},
        }
    }


# ---------------------------------------------------------------------------
# Renderer

_chart_counter = itertools.count(1)


def restart_numbering() -> None:
    """Number the next page's charts from 1 again (a warm kernel calls it before each
    notebook), so a page's HTML does not depend on which pages its kernel ran before."""
    global _chart_counter
    _chart_counter = itertools.count(1)


def spec_rows(spec: dict) -> pd.DataFrame:
    """Every row of a spec's inline data (its datasets, then its top-level values)."""
    frames = [pd.DataFrame(rows) for rows in spec.get("datasets", {}).values()]
    data = spec.get("data", {})
    if isinstance(data, dict) and "values" in data:
        frames.append(pd.DataFrame(data["values"]))
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


# The chart downloads are for people opening them in Swedish Excel with a double click:
# ';' between fields (',' is the decimal sign), decimal comma, and (render_html) a
# UTF-8 byte order mark. ``indikatorer.csv`` is the machine table; these are not.
CSV_SEPARATOR = ";"


def download_meta(
    columns: list[tuple[str, str]],
    indicator: str | None = None,
    *,
    value: str = "value",
    hidden: list[dict] | None = None,
    sort: list[str] | None = None,
    categories: dict[str, list] | None = None,
) -> dict:
    """What a chart's "Ladda ner data (CSV)" holds (the spec's ``usermeta.download``,
    read by :func:`spec_to_csv`): the plotted fields in order with their Swedish
    headers, the indicator whose display rounds the ``value`` field, rows the chart
    leaves out but the table names (a hidden year: ``value`` None and ``note`` "..")
    and the fields the rows are sorted by (``categories``: a field's values in the order
    they sort in, else they sort as they are)."""
    meta: dict = {"columns": [list(c) for c in columns], "value": value}
    if indicator is not None:
        meta["indicator"] = indicator
    if hidden:
        meta["hidden"] = hidden
    if sort:
        meta["sort"] = sort
    if categories:
        meta["categories"] = categories
    return meta


def not_shown_rows(values: pd.DataFrame, keys: dict[str, list]) -> list[dict]:
    """Rows of the download for every combination of ``keys`` (field -> values, in
    ``values``' columns) without a published value: ``note`` ".." if hidden, else
    "uppgift saknas" (no row or no value)."""
    names = list(keys)
    rows = []
    for combination in itertools.product(*keys.values()):
        match = values
        for name, key in zip(names, combination, strict=True):
            match = match[match[name] == key]
        hidden = "suppressed" in match and match["suppressed"].astype(bool).any()
        if not hidden and not match.empty and match["value"].notna().any():
            continue
        rows.append(
            {
                **{n: _plain(k) for n, k in zip(names, combination, strict=True)},
                "value": None,
                "note": formatting.SUPPRESSED if hidden else formatting.MISSING,
            }
        )
    return rows


def _plain(value: object) -> object:
    """A numpy scalar as the Python value JSON can hold."""
    return value.item() if hasattr(value, "item") else value


def value_header(title: str, indicator: str) -> str:
    """The download's header of a value: the chart's axis title, with "(%)" for a
    rate (written in percent, as the page shows it)."""
    if catalog.indicator(indicator).display == catalog.PERCENT:
        return f"{title} (%)"
    return title


def _download_cell(value: object) -> str:
    """A label cell: text neutralised for spreadsheets, whole numbers without '.0',
    truth values in Swedish."""
    if formatting.is_missing(value):
        return ""
    if pd.api.types.is_bool(value):
        return "Ja" if value else "Nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return str(value).replace(".", formatting.DECIMAL)
    return str(formatting.spreadsheet_safe(str(value)))


def spec_to_csv(spec: dict) -> str:
    """The rows a spec plots, for people: with the spec's ``usermeta.download``
    (:func:`download_meta`) its fields under Swedish headers, values rounded and in the
    unit the page shows them (:func:`uppfoljning.formatting.format_download_number`),
    ``..`` or "uppgift saknas" where a value is not shown; ';' between fields, decimal
    comma. Without it every column as it is. Text that a spreadsheet would run as a
    formula is neutralised (delivered names reach here)."""
    rows = spec_rows(spec)
    meta = (spec.get("usermeta") or {}).get("download")
    if meta and meta.get("hidden"):
        rows = pd.concat([rows, pd.DataFrame(meta["hidden"])], ignore_index=True)
    if rows.empty:
        return ""
    if meta and meta.get("sort"):
        keys = rows[meta["sort"]].copy()
        for field, order in (meta.get("categories") or {}).items():
            keys[field] = keys[field].map({v: i for i, v in enumerate(order)})
        rows = rows.loc[keys.sort_values(meta["sort"], kind="stable").index].reset_index(drop=True)
    columns = meta["columns"] if meta else [(c, c) for c in rows.columns]
    value_field, indicator = (meta or {}).get("value"), (meta or {}).get("indicator")
    notes = rows["note"] if "note" in rows else pd.Series(None, index=rows.index)
    table = {}
    for field, header in columns:
        values = rows[field] if field in rows else pd.Series(None, index=rows.index)
        if field == value_field and indicator is not None:
            table[header] = [
                (note if isinstance(note, str) and note else formatting.SUPPRESSED)
                if formatting.is_missing(v)
                else formatting.format_download_number(indicator, float(v))
                for v, note in zip(values, notes, strict=True)
            ]
        else:
            table[header] = [_download_cell(v) for v in values]
    buffer = io.StringIO()
    pd.DataFrame(table).to_csv(buffer, index=False, sep=CSV_SEPARATOR, lineterminator="\r\n")
    return buffer.getvalue()


# vl-convert measures every text of a picture (titles, labels: the layout depends on
# their widths) with the fonts it loads once per process. It carries Liberation Sans in
# memory, which is what the charts' font list comes down to; but when the system has
# Liberation Sans as well (Debian's fonts-liberation, which Chromium brings), it takes
# the system's file, and opens and maps that file again for every character measured:
# half the time of a picture, as system time. Loading its fonts under this
# configuration, which names one folder without fonts, leaves it its own copy: the
# same metrics (the demo edition's 165 pictures are byte-identical), twice as fast,
# and pictures that no longer depend on the fonts of the machine that builds. The
# variable is set only while vl-convert loads its fonts, so nothing the process starts
# later (Chromium) sees it.
NO_SYSTEM_FONTS = Path(__file__).resolve().parent / "chart_fonts" / "fonts.conf"
_FONT_CONFIG_ENV = "FONTCONFIG_FILE"


@functools.cache
def _drawer():
    """vl-convert, its fonts loaded as above (~1.5 s once per process: its renderer
    starts and draws one tiny chart with text)."""
    import vl_convert

    before = os.environ.get(_FONT_CONFIG_ENV)
    os.environ[_FONT_CONFIG_ENV] = str(NO_SYSTEM_FONTS)
    try:
        vl_convert.vegalite_to_svg(
            {
                "title": "Åå",
                "mark": "point",
                "data": {"values": [{"a": 1}]},
                "encoding": {"x": {"field": "a", "type": "quantitative"}},
            }
        )
    finally:
        if before is None:
            os.environ.pop(_FONT_CONFIG_ENV, None)
        else:
            os.environ[_FONT_CONFIG_ENV] = before
    return vl_convert


def warm_up() -> None:
    """Load vl-convert (:func:`_drawer`), so the first real chart of a notebook costs
    what every later one does (~25–50 ms)."""
    _drawer()


# The text of a picture names the font it was laid out with, and its metric twins,
# first. vl-convert measures with Liberation Sans whatever the spec asks for (see
# above), but a browser draws the SVG's text in the font the text names: the live
# charts' system-ui is DejaVu Sans on Debian, which is wider, and a long axis label
# ("Enskede-Årsta-Vantör") ran out of the picture's left edge. Liberation Sans, Arial
# and Helvetica share their widths, so on nearly every machine the picture's text now
# takes the room it was measured for.
PICTURE_FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"


def picture_spec(spec: dict) -> dict:
    """``spec`` with its text in :data:`PICTURE_FONT` (config only: a text that names
    a font of its own keeps it)."""
    return {**spec, "config": {**spec.get("config", {}), "font": PICTURE_FONT}}


def spec_to_svg(spec: dict) -> str:
    """The chart as SVG (vl-convert draws it with the spec's own Swedish locale), its
    text in :data:`PICTURE_FONT`. SVG, not PNG: half the time to draw, a sixth of the
    size, and sharp in print."""
    return _drawer().vegalite_to_svg(picture_spec(spec))


# ---------------------------------------------------------------------------
# Pictures drawn before (content-addressed)


def pictures_folder() -> Path | None:
    """The folder of pictures drawn before that the build named
    (:data:`uppfoljning.cache.PICTURES_ENV`), or None outside a build."""
    folder = os.environ.get(cache.PICTURES_ENV, "")
    return Path(folder) if folder else None


@functools.cache
def _drawer_version() -> str:
    import vl_convert

    # the fonts it measures with are part of how it draws (its own Liberation Sans), and
    # the font its text names is part of the picture
    return f"{vl_convert.__version__} own fonts, text in {PICTURE_FONT}"


def picture_key(spec_json: str) -> str:
    """Name of a spec's picture: a digest of the vl-convert version and fonts (another
    may draw differently) and the spec's canonical JSON."""
    return hashlib.sha256(f"vl-convert {_drawer_version()}\n{spec_json}".encode()).hexdigest()


def _is_svg(text: str) -> bool:
    return text.startswith("<svg") and text.rstrip().endswith("</svg>")


def cached_svg(spec: dict, spec_json: str, folder: Path | None) -> str:
    """:func:`spec_to_svg` of ``spec`` (whose canonical JSON is ``spec_json``), taken
    from ``folder`` when drawn before and stored there when not. An entry that cannot
    be read or is not a whole SVG is drawn again. Kernels of one build share the
    folder: an entry is written to a temporary file and renamed into place, so a
    reader sees a whole picture or none. A hit renews the entry's modification time,
    which :func:`uppfoljning.cache.prune_pictures` keeps the most recent by."""
    if folder is None:
        return spec_to_svg(spec)
    path = folder / f"{picture_key(spec_json)}.svg"
    try:
        svg = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        svg = ""
    if _is_svg(svg):
        cache.renew(path)  # pruned meanwhile or not: the picture read is whole
        return svg
    svg = spec_to_svg(spec)
    # ".tmp": what prune_pictures removes when a stopped kernel left it half-written
    cache.atomic_write(path, svg.encode("utf-8"), suffix=".tmp")
    return svg


# Characters left as they are in the picture's data URL: its text stays readable in the
# page source (so the privacy tests' search of the built site sees it, unlike base64).
_DATA_URL_SAFE = " !$&'()*+,-./:;=?@[]^_`{|}~"


def svg_data_url(svg: str) -> str:
    """``data:`` URL of an SVG image, percent-encoding only what a URL cannot hold."""
    return "data:image/svg+xml;charset=utf-8," + urllib.parse.quote(svg, safe=_DATA_URL_SAFE)


# Characters escaped in JSON written into an inline <script>: "<" and ">" so that no
# text can end the script or open a comment ("</script>", "<!--"), "&" for good
# measure, and the line separators that older JavaScript parsers reject in strings.
_SCRIPT_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}


def script_json(value: object, **options: object) -> templating.Markup:
    """``value`` as JSON to write into an inline ``<script>``: ``<``, ``>``, ``&``,
    U+2028 and U+2029 are written as ``\\uXXXX`` escapes (the same string to
    JavaScript), so no text in it can end the script."""
    return templating.Markup(json.dumps(value, **options).translate(_SCRIPT_ESCAPES))


def screen_reader_spec(spec: dict) -> dict:
    """The spec the page draws, for screen readers: Vega's own texts off. Vega-Lite
    writes English descriptions naming fields into the drawing ("X-axis titled 'År' for
    a discrete scale …", "series: Järva; segment: 0"); with ``config.aria`` false its
    axes, legends and marks are hidden from the accessibility tree and the chart is one
    image whose name is the Swedish text alternative (the spec's ``description``; the
    template removes what Vega still writes, see ``templates/chart.html``)."""
    return {**spec, "config": {**spec.get("config", {}), "aria": False}}


def render_html(spec: dict, *, picture: bool = True, pictures: Path | None = None) -> str:
    """HTML for one chart: container (holding the static picture), text alternative,
    CSV link and embed call (``templates/chart.html``). ``pictures``: a folder of
    pictures drawn before (:func:`cached_svg`); the HTML is the same either way."""
    spec_json = json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha1(spec_json.encode("utf-8")).hexdigest()[:10]
    element_id = f"uppf-chart-{digest}-{next(_chart_counter)}"
    usermeta = spec.get("usermeta") or {}
    csv_href = "data:text/csv;charset=utf-8," + urllib.parse.quote("\ufeff" + spec_to_csv(spec))
    return templating.render(
        "chart.html",
        element_id=element_id,
        element_id_json=script_json(element_id),
        description=spec.get("description", ""),
        # alt="" on the picture: the container is named by the caption (aria-labelledby)
        picture=svg_data_url(cached_svg(spec, spec_json, pictures)) if picture else None,
        download_name=usermeta.get("download_name", f"diagram-{digest}.csv"),
        csv_href=csv_href,
        download_label=labels.DOWNLOAD_CSV,
        spec=script_json(
            screen_reader_spec(responsive(spec)),
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        ),
        options=script_json(EMBED_OPTIONS),
        missing=script_json(labels.CHART_SCRIPT_MISSING, ensure_ascii=False),
    )


def render_mimebundle(spec: dict, **metadata) -> dict:
    """Altair renderer: only ``text/html`` (myst-nb picks it for the HTML build)."""
    return {"text/html": render_html(spec, pictures=pictures_folder())}


alt.renderers.register(RENDERER, render_mimebundle)
alt.renderers.enable(RENDERER)


def chart_mimebundle(chart: alt.TopLevelMixin) -> dict | None:
    """What a chart displays as in IPython: Altair's ``_repr_mimebundle_`` (the spec,
    then the enabled renderer) without validating the spec against the JSON schema.
    When the spec cannot be made or drawn it is validated, so a schema error says
    what is wrong with it."""
    context = {"pre_transform": False}
    try:
        spec = chart.to_dict(validate=False, context=context)
        renderer = alt.renderers.get()
        return renderer(spec) if renderer else None
    except Exception:
        chart.to_dict(context=context)  # raises the schema's error, if there is one
        raise


def register_display(display_formatter) -> None:
    """Display charts with :func:`chart_mimebundle` through ``display_formatter`` (an
    IPython ``DisplayFormatter``)."""
    display_formatter.mimebundle_formatter.for_type(alt.TopLevelMixin, chart_mimebundle)


def _register_in_kernel() -> None:
    """:func:`register_display` with the running IPython shell's formatter, if any (a
    notebook's kernel); outside IPython nothing changes."""
    if "IPython" not in sys.modules:
        return
    shell = sys.modules["IPython"].get_ipython()
    if shell is not None:
        register_display(shell.display_formatter)


_register_in_kernel()


@dataclass(frozen=True)
class NoData:
    """What a chart cell shows when there is nothing publishable to plot (an optional
    table not delivered, every value suppressed): one Swedish sentence, no chart."""

    message: str = labels.CHART_NO_DATA

    def to_html(self) -> str:
        return formatting.no_data_html(self.message)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return self.message


# ---------------------------------------------------------------------------
# Helpers


# Characters per line of a title and a subtitle: a longer one wraps instead of being cut,
# and a line fits the narrowest phone column (about 340 px) at the theme's font sizes.
TITLE_LINE = 34
SUBTITLE_LINE = 50


def wrap_title(text: str, width: int = TITLE_LINE) -> str | list[str]:
    """A chart title as one line, or as lines of at most ``width`` characters broken
    at spaces (Vega draws a list as lines); a single long word is kept whole."""
    if len(text) <= width:
        return text
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines


def chart_title(title: str, subtitle: str) -> alt.TitleParams:
    """A chart's title (its message) and subtitle, each wrapped to fit a phone."""
    return alt.TitleParams(wrap_title(title), subtitle=wrap_title(subtitle, SUBTITLE_LINE))


def responsive(spec: dict) -> dict:
    """The spec the page draws: as wide as the text column, axes and legend included,
    so labels keep their size on a phone instead of shrinking with the whole drawing.
    Only single and layered views can follow their container; the static picture and
    the CSV keep the spec's fixed width."""
    if not isinstance(spec.get("width"), (int, float)) or any(
        key in spec for key in ("hconcat", "vconcat", "concat", "facet", "repeat")
    ):
        return spec
    return {**spec, "width": "container", "autosize": {"type": "fit-x", "contains": "padding"}}


def _plottable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with a published value only (suppressed and missing values dropped)."""
    keep = frame["value"].notna()
    if "suppressed" in frame:
        keep &= ~frame["suppressed"].astype(bool)
    return frame.loc[keep].copy()


def no_data(frame: pd.DataFrame) -> NoData:
    """What shows instead of a chart of ``frame`` (value, suppressed) with nothing
    published: that the values are hidden to protect individuals where any is hidden
    (``..``), else that they are missing from the delivery ("uppgift saknas")."""
    if "suppressed" in frame and frame["suppressed"].astype(bool).any():
        return NoData(labels.CHART_ALL_HIDDEN)
    return NoData(labels.CHART_NO_DATA)


def nothing_to_plot(frame: pd.DataFrame, indicator: str, place: str) -> NoData | None:
    """A sentence instead of a chart where a chart would show nothing: no published
    value (:func:`no_data`), or every published value zero as displayed (a flat line at
    0 is not a trend). None where there is something to draw."""
    plotted = _plottable(frame)
    if plotted.empty:
        return no_data(frame)
    shown = {formatting.displayed_value(indicator, float(v)) for v in plotted["value"]}
    if shown == {0}:
        years = sorted(int(y) for y in plotted["year"].unique()) if "year" in plotted else []
        if len(years) > 1:
            return NoData(
                labels.CHART_ALL_ZERO.format(
                    subject=labels.sentence_subject(indicator),
                    place=place,
                    years=f"{years[0]}\u2013{years[-1]}",
                )
            )
        return NoData(
            labels.CHART_ALL_ZERO_ONE.format(
                subject=labels.sentence_subject(indicator), place=place
            )
        )
    return None


def one_year_title(series: pd.DataFrame, indicator: str, place: str) -> str | None:
    """ "… i X redovisas bara för 2020" for a series with a published value in one year
    only (no trend to state, but a point is drawn); None otherwise."""
    years = _plottable(series)["year"].unique() if not series.empty else []
    if len(years) != 1:
        return None
    return labels.TREND_TITLE_ONE_YEAR.format(
        subject=labels.sentence_subject(indicator), place=place, year=int(years[0])
    )


def _headline_series(series: pd.DataFrame) -> tuple[str, list[tuple[int, float | None]]]:
    """(occupation, [(year, value or None if hidden)]) of the series a title speaks of:
    'alla', else the first occupation published in two or more years."""
    plotted = _plottable(series)
    for occupation in ALL_FIRST:
        rows = plotted[plotted["occupation"] == occupation]
        if rows["year"].nunique() >= 2:
            rows = series[series["occupation"] == occupation]
            hidden = (
                rows["suppressed"].astype(bool)
                if "suppressed" in rows
                else pd.Series(False, index=rows.index)
            )
            # None: hidden (..); NaN: not delivered (uppgift saknas)
            values = [None if h else float(v) for v, h in zip(rows["value"], hidden, strict=True)]
            return occupation, list(zip(rows["year"].astype(int), values, strict=True))
    return "", []


def headline_trend(
    series: pd.DataFrame, indicator: str
) -> tuple[str, wording.Trend | None, list[tuple[int, float | None]]]:
    """The occupation, trend and points a trend title speaks of (see
    :func:`uppfoljning.wording.describe_trend`)."""
    occupation, points = _headline_series(series)
    return occupation, wording.describe_trend(points, indicator), points


def turnover_title(
    turnover_by_year: pd.DataFrame, place: str, edition: int | None = None
) -> tuple[str, str]:
    """Chart title stating the message, and a one-sentence summary for the text
    alternative, from the 'alla' series (else the first occupation with data)."""
    occupation, trend, points = headline_trend(turnover_by_year, "turnover_rate")
    if trend is None:
        one = one_year_title(turnover_by_year, "turnover_rate", place)
        return one or labels.TURNOVER_TITLE_NONE.format(place=place), ""
    edition = edition if edition is not None else trend.last_year
    title = labels.TREND_TITLE.format(
        subject="Personalrörligheten", place=place, phrase=wording.trend_phrase(trend, edition)
    )
    summary = wording.trend_summary(trend, "turnover_rate", points, edition)
    if occupation != ALL:
        summary = f"{labels.OCCUPATIONS[occupation]}: {summary}"
    return title, summary


# ---------------------------------------------------------------------------
# Charts


def _occupation_lines(
    series: pd.DataFrame, first_year: int, last_year: int, y_title: str, indicator: str
) -> tuple[list[alt.Chart], pd.DataFrame, list[str]]:
    """Lines with points per occupation (colour, dash and shape differ, so the series
    survive colour blindness and greyscale print), published values only; returns the
    layers, the data they share and the occupations' display names."""
    plotted = _plottable(series)
    plotted = plotted.assign(
        year=plotted["year"].astype(int),
        occupation_label=plotted["occupation"].map(labels.OCCUPATIONS),
    )[["year", "occupation", "occupation_label", "value"]].sort_values(
        ["occupation", "year"], ignore_index=True
    )
    present = [o for o in OCCUPATION_STYLES if o in set(plotted["occupation"])]
    domain = [labels.OCCUPATIONS[o] for o in present]
    legend = alt.Legend(title=labels.AXIS_OCCUPATION)

    def scale(position: int) -> alt.Scale:
        return alt.Scale(domain=domain, range=[OCCUPATION_STYLES[o][position] for o in present])

    axis_format, tooltip_format = _value_formats(indicator)
    base, field = _cost_in_mnkr(alt.Chart(), indicator)
    base = base.encode(
        x=alt.X(
            "year:O",
            title=labels.AXIS_YEAR,
            scale=alt.Scale(domain=list(range(first_year, last_year + 1))),
        ),
        y=alt.Y(
            f"{field}:Q",
            title=y_title,
            scale=alt.Scale(zero=True),
            axis=alt.Axis(format=axis_format),
        ),
        color=alt.Color("occupation_label:N", scale=scale(0), legend=legend),
        strokeDash=alt.StrokeDash("occupation_label:N", scale=scale(1), legend=legend),
        shape=alt.Shape("occupation_label:N", scale=scale(2), legend=legend),
        tooltip=[
            alt.Tooltip("occupation_label:N", title=labels.AXIS_OCCUPATION),
            alt.Tooltip("year:O", title=labels.AXIS_YEAR),
            alt.Tooltip(f"{field}:Q", title=y_title, format=tooltip_format),
        ],
    )
    return [base.mark_line(), base.mark_point()], plotted, domain


def _occupation_download(
    series: pd.DataFrame, first_year: int, last_year: int, y_title: str, indicator: str
) -> dict:
    """The download of an occupation trend: occupation, year and value, and a row with
    ``..`` or "uppgift saknas" for every year of a drawn occupation without a value."""
    drawn = [o for o in OCCUPATION_STYLES if o in set(series["occupation"])]
    series = series.assign(year=series["year"].astype(int))
    hidden = not_shown_rows(
        series, {"occupation": drawn, "year": list(range(first_year, last_year + 1))}
    )
    for row in hidden:
        row["occupation_label"] = labels.OCCUPATIONS[row["occupation"]]
    return download_meta(
        [
            ("occupation_label", labels.AXIS_OCCUPATION),
            ("year", labels.AXIS_YEAR),
            ("value", value_header(y_title, indicator)),
        ],
        indicator,
        hidden=hidden,
        sort=["occupation", "year"],
        categories={"occupation": drawn},
    )


def plot_turnover_trend(
    turnover_by_year: pd.DataFrame, place: str, first_year: int, last_year: int, download_name: str
) -> alt.Chart | NoData:
    """Line chart of personalrörlighet per year and occupation.

    ``turnover_by_year``: columns year, occupation, value (fraction), suppressed.
    """
    empty = nothing_to_plot(turnover_by_year, "turnover_rate", place)
    if empty is not None:
        return empty
    layers, data, domain = _occupation_lines(
        turnover_by_year, first_year, last_year, labels.AXIS_TURNOVER, "turnover_rate"
    )
    title, summary = turnover_title(turnover_by_year, place, last_year)
    groups = formatting.join_list([d.lower() for d in domain]) or "inga yrkesgrupper"
    description = labels.TURNOVER_DESCRIPTION.format(
        place=place, first_year=first_year, last_year=last_year, groups=groups, summary=summary
    ).strip()
    return _trend_chart(
        layers,
        data,
        title,
        labels.TURNOVER_SUBTITLE.format(first_year=first_year, last_year=last_year),
        description,
        download_name,
        download=_occupation_download(
            turnover_by_year, first_year, last_year, labels.AXIS_TURNOVER, "turnover_rate"
        ),
    )


# What a layer may hold for :func:`layer_chart` to take it as it is: Altair's
# LayerChart moves these to the top (parameters, size) and removes the top's data from
# a layer.
_LIFTED_FROM_LAYERS = ("params", "width", "height", "view")


class PlainLayerChart(alt.LayerChart):
    """A LayerChart whose layers hold nothing to merge into the top level (see
    :func:`layer_chart`): made without Altair's merging, which copies every layer twice,
    deeply. Altair makes a chart again each time it copies one (``to_dict`` does), so
    the saving counts twice."""

    def __init__(self, data=alt.Undefined, layer=(), **kwargs) -> None:
        super(alt.LayerChart, self).__init__(data=data, layer=list(layer), **kwargs)


def layer_chart(layers: list[alt.Chart], data: pd.DataFrame, **properties) -> alt.LayerChart:
    """``alt.LayerChart(layer=layers, data=data, **properties)``: the same spec, at about
    half the cost of making it and of its ``to_dict`` (~50 ms of a unit page's ~130 ms
    of Altair).

    The report's layers are made for their chart alone and have nothing for Altair's
    constructor to merge: no parameters, no size, and data of their own or none. Such
    layers make a :class:`PlainLayerChart`; any other goes through the constructor."""
    plain = all(
        type(layer) is alt.Chart
        and layer.data is not data
        and all(alt.utils.is_undefined(layer[name]) for name in _LIFTED_FROM_LAYERS)
        for layer in layers
    )
    chart_class = PlainLayerChart if plain else alt.LayerChart
    return chart_class(layer=layers, data=data, **properties)


def _trend_chart(
    layers: list[alt.Chart],
    data: pd.DataFrame,
    title: str,
    subtitle: str,
    description: str,
    download_name: str,
    download: dict | None = None,
) -> alt.LayerChart:
    """A trend chart of ``layers`` sharing ``data``, with title, text alternative,
    download name and size.

    The charts of this module are built as one ``LayerChart`` holding the shared data and
    the properties: the same spec as layering charts that each carry the data and then
    setting properties, at about half the cost (Altair hashes every layer's data to merge
    it, and copies and validates the whole chart for each property call)."""
    usermeta = {"download_name": download_name}
    if download is not None:
        usermeta["download"] = download
    return layer_chart(
        layers,
        data,
        title=chart_title(title, subtitle),
        description=description,
        usermeta=usermeta,
        width=WIDTH,
        height=HEIGHT,
    )


def axis_title(indicator: str) -> str:
    """The indicator's name with its unit where the number has one: "… (dagar)"."""
    label = labels.indicator_label(indicator)
    unit = labels.AXIS_UNITS.get(catalog.indicator(indicator).display)
    return f"{label.name} ({unit})" if unit else label.name


def _value_formats(indicator: str) -> tuple[str, str]:
    """(axis format, tooltip format) in d3-format for an indicator's kind."""
    shown = catalog.indicator(indicator)
    if shown.display == catalog.PERCENT:
        return ".0%", f".{shown.decimals}%"
    if shown.display == catalog.SEK:  # plotted in mnkr (see _cost_in_mnkr)
        return ",.0f", ",.1f"
    return ",.0f", (",.0f" if shown.decimals == 0 else f",.{shown.decimals}f")


def _cost_in_mnkr(chart: alt.Chart, indicator: str) -> tuple[alt.Chart, str]:
    """(chart, field) where the value is plotted: a cost in mnkr (as the text writes it;
    the data and its CSV keep kronor), anything else as it is."""
    if catalog.indicator(indicator).display == catalog.SEK:
        return chart.transform_calculate(value_mnkr="datum.value / 1000000"), "value_mnkr"
    return chart, "value"


def comparison_title(
    values_by_unit: pd.DataFrame, indicator: str, year: int, noun: str = labels.NOUN_UNITS
) -> tuple[str, wording.Extremes | None]:
    """ "Personalrörlighet 2024: Bromma högst, Kungsholmen och Kista lägst", naming every
    unit that shares the highest or lowest value as displayed (or how many, when many
    do); ``values_by_unit``: unit_name, value, suppressed."""
    label = labels.indicator_label(indicator)
    found = wording.extremes(
        zip(
            values_by_unit["unit_name"],
            values_by_unit["value"],
            values_by_unit["suppressed"].astype(bool),
            strict=True,
        ),
        indicator,
    )
    if found is None:
        return labels.TREND_TITLE_NONE.format(indicator=label.name, place=str(year)), None
    if found.all_equal and len(found.highest) > 1:
        return labels.COMPARISON_TITLE_ALL_EQUAL.format(
            indicator=label.name,
            year=year,
            value=formatting.format_indicator(indicator, found.highest_value),
            n=len(found.highest),
            noun=noun,
        ), found

    def named(names: tuple[str, ...], value: float, end: str) -> str:
        if len(names) > wording.NAMES_IN_FULL:  # "lägst (0) i sju förvaltningar"
            return labels.COMPARISON_END_MANY.format(
                end=end,
                value=formatting.format_indicator(indicator, value),
                units=wording.name_units(names, noun),
            )
        return labels.COMPARISON_END.format(end=end, units=wording.name_units(names, noun))

    return labels.COMPARISON_TITLE.format(
        indicator=label.name,
        year=year,
        highest=named(found.highest, found.highest_value, labels.RANK_HIGHEST),
        lowest=named(found.lowest, found.lowest_value, labels.RANK_LOWEST),
    ), found


def plot_unit_comparison(
    values_by_unit: pd.DataFrame,
    indicator: str,
    year: int,
    city_value: float | None,
    download_name: str,
) -> alt.Chart | NoData:
    """Sorted horizontal bars, one per unit, with the city's value as a reference line.
    For a count or sum (``additive`` indicators) the city's value is the units' total,
    not a level to compare with: no line, the total is named in the subtitle. A unit
    whose value is hidden or missing keeps its row, marked ``..`` or "uppgift saknas",
    so no unit disappears silently; a chart of stadsdelsförvaltningar alone says so.

    ``values_by_unit``: columns unit_name, value, suppressed (and optionally kind).
    """
    label = labels.indicator_label(indicator)
    plotted = _plottable(values_by_unit)[["unit_name", "value"]].sort_values(
        ["value", "unit_name"], ascending=[False, True], ignore_index=True
    )
    if plotted.empty:
        return no_data(values_by_unit)
    hidden = values_by_unit[~values_by_unit["unit_name"].isin(plotted["unit_name"])]
    hidden = pd.DataFrame(
        {
            "unit_name": hidden["unit_name"].to_numpy(),
            "value": None,
            "note": [
                formatting.SUPPRESSED if s else formatting.MISSING
                for s in hidden["suppressed"].astype(bool)
            ],
        }
    ).sort_values("unit_name", ignore_index=True)
    districts = "kind" in values_by_unit and set(values_by_unit["kind"]) == {"stadsdelsforvaltning"}
    noun = labels.NOUN_DISTRICTS if districts else labels.NOUN_UNITS
    axis_format, tooltip_format = _value_formats(indicator)

    def fmt(value: float | None) -> str:
        return formatting.format_indicator(indicator, value)

    city_text = fmt(city_value)
    title, found = comparison_title(values_by_unit, indicator, year, noun)
    description = labels.COMPARISON_DESCRIPTION.format(
        indicator_lower=label.name.lower(),
        year=year,
        highest=wording.name_units(found.highest, noun),
        highest_value=fmt(found.highest_value),
        lowest=wording.name_units(found.lowest, noun),
        lowest_value=fmt(found.lowest_value),
        city=city_text,
    )
    if districts:
        description = description.replace("per förvaltning", "per stadsdelsförvaltning")
    for note, template in (
        (formatting.SUPPRESSED, labels.COMPARISON_HIDDEN),
        (formatting.MISSING, labels.COMPARISON_MISSING),
    ):
        names = list(hidden.loc[hidden["note"] == note, "unit_name"])
        if names:
            description += " " + template.format(units=formatting.join_list(names))
    reference = (
        not catalog.indicator(indicator).additive
        and city_value is not None
        and not formatting.is_missing(city_value)
    )
    if reference:
        plotted["city_value"] = float(city_value)
        subtitle = (
            labels.COMPARISON_SUBTITLE_DISTRICTS if districts else labels.COMPARISON_SUBTITLE
        ).format(city=city_text)
    else:
        subtitle = (
            labels.COMPARISON_SUBTITLE_TOTAL_DISTRICTS
            if districts
            else labels.COMPARISON_SUBTITLE_TOTAL
        ).format(city=city_text)
    order = list(plotted["unit_name"]) + list(hidden["unit_name"])
    y = alt.Y("unit_name:N", title=None, sort=order, scale=alt.Scale(domain=order))
    bars, field = _cost_in_mnkr(alt.Chart(), indicator)
    bars = bars.mark_bar().encode(
        x=alt.X(f"{field}:Q", title=axis_title(indicator), axis=alt.Axis(format=axis_format)),
        y=y,
        tooltip=[
            alt.Tooltip("unit_name:N", title=labels.COL_UNIT),
            alt.Tooltip(f"{field}:Q", title=label.name, format=tooltip_format),
        ],
    )
    layers = [bars]
    if reference:
        layers.append(
            alt.Chart()
            .mark_rule(color=ORANGE, strokeDash=[6, 3], strokeWidth=2)
            .encode(x=alt.X("max(city_value):Q"))
        )
    if len(hidden):
        layers.append(
            alt.Chart(hidden)
            .mark_text(align="left", dx=4, color=GREY)
            .encode(y=y, x=alt.XDatum(0), text=alt.Text("note:N"))
        )
    city_row = (
        [{"unit_name": labels.LEGEND_CITY, "value": float(city_value)}]
        if city_value is not None and not formatting.is_missing(city_value)
        else []
    )
    download = download_meta(
        [("unit_name", labels.COL_UNIT), ("value", value_header(axis_title(indicator), indicator))],
        indicator,
        hidden=city_row,
    )
    return layer_chart(  # one spec, built once (see _trend_chart)
        layers,
        plotted,
        title=chart_title(title, subtitle),
        description=description,
        usermeta={"download_name": download_name, "download": download},
        width=BAR_WIDTH,
        height=max(120, 22 * len(order)),
    )


def two_years_title(
    plotted: pd.DataFrame, measure: str, noun: str, indicator: str, year: int
) -> tuple[str, str]:
    """Title stating the message of a two-year dot plot, and its text alternative.
    ``plotted``: category, year, value (published values only). The title counts the
    categories with both years that went up or down (a change that rounds to zero in
    the indicator's display counts as unchanged)."""
    previous_year = year - 1
    now = plotted[plotted["year"] == year].set_index("category")["value"]
    before = plotted[plotted["year"] == previous_year].set_index("category")["value"]
    both = now.index.intersection(before.index)

    def shown(value: float) -> str:
        return formatting.format_indicator(indicator, value)

    up = sum(shown(now[c]) != shown(before[c]) and now[c] > before[c] for c in both)
    down = sum(shown(now[c]) != shown(before[c]) and now[c] < before[c] for c in both)
    found = wording.extremes(((c, now[c], False) for c in now.index), indicator)
    highest = wording.name_units(found.highest, noun)
    lowest = wording.name_units(found.lowest, noun)
    values = {
        "measure": measure,
        "year": year,
        "previous_year": previous_year,
        "n": wording.number_word(len(both)),
        "noun": noun,
        "up": wording.number_word(up),
        "down": wording.number_word(down),
        "highest": highest,
        "lowest": lowest,
    }
    if len(both) == 0:
        title = labels.TWO_YEARS_TITLE_ONE.format(**values)
    elif up == 0 and down == 0:
        title = labels.TWO_YEARS_TITLE_SAME.format(**values)
    elif up == down:
        title = labels.TWO_YEARS_TITLE_MIXED.format(**values)
    elif up > down:
        title = labels.TWO_YEARS_TITLE_UP.format(**values)
    else:
        title = labels.TWO_YEARS_TITLE_DOWN.format(**values)
    description = labels.TWO_YEARS_DESCRIPTION.format(
        measure_lower=measure[0].lower() + measure[1:],
        previous_year=previous_year,
        year=year,
        n=wording.number_word(now.index.union(before.index).size),
        noun=noun,
        highest=highest,
        highest_value=shown(found.highest_value),
        lowest=lowest,
        lowest_value=shown(found.lowest_value),
    )
    return title, description


def two_years_hidden(values: pd.DataFrame, year: int) -> str:
    """What a two-year dot plot leaves out, for its text alternative: every category of
    ``values`` (category, year, value, suppressed) without a published value last year
    or this year, with ``..`` (hidden) or "uppgift saknas" (no row or no value):
    "Visas inte i diagrammet: Kista 2024 (..); Årsta 2023 (uppgift saknas)." Empty if
    nothing is left out."""
    items = []
    for category in dict.fromkeys(values["category"]):
        rows = values[values["category"] == category]
        missing = []
        for shown_year in (year - 1, year):
            row = rows[rows["year"] == shown_year]
            hidden = "suppressed" in row and row["suppressed"].astype(bool).any()
            if hidden:
                missing.append(f"{shown_year} ({formatting.SUPPRESSED})")
            elif row.empty or row["value"].isna().all():
                missing.append(f"{shown_year} ({formatting.MISSING})")
        if missing:
            items.append(f"{category} {formatting.join_list(missing)}")
    return labels.TWO_YEARS_HIDDEN.format(items="; ".join(items)) if items else ""


def plot_two_years(
    values: pd.DataFrame,
    indicator: str,
    year: int,
    download_name: str,
    *,
    measure: str | None = None,
    noun: str = labels.NOUN_UNITS,
    category_title: str = labels.COL_UNIT,
) -> alt.Chart | NoData:
    """Dot plot of last year and this year per category (unit, occupation, survey index,
    exit reason), sorted by this year's value: last year a ring, this year a filled
    square, joined by a grey line, so colour is never the only difference.

    ``values``: category, year, value, suppressed (``indicator`` gives the number format;
    ``measure`` the name in the title, default the indicator's).
    """
    previous_year = year - 1
    plotted = _plottable(values[values["year"].isin([previous_year, year])])
    plotted = plotted.assign(year=plotted["year"].astype(int))[["category", "year", "value"]]
    plotted = plotted.sort_values(["category", "year"], ignore_index=True)
    if (plotted["year"] == year).sum() == 0:
        return NoData()
    x_title = measure or axis_title(indicator)
    measure = measure or labels.indicator_label(indicator).name
    title, description = two_years_title(plotted, measure, noun, indicator, year)
    left_out = two_years_hidden(values, year)
    if left_out:
        description += " " + left_out
    order = (
        plotted[plotted["year"] == year]
        .sort_values(["value", "category"], ascending=[False, True])["category"]
        .tolist()
    )
    order += sorted(set(plotted["category"]) - set(order))
    axis_format, tooltip_format = _value_formats(indicator)
    years = [str(previous_year), str(year)]
    plotted = plotted.assign(year_label=plotted["year"].astype(str))
    legend = alt.Legend(title=labels.AXIS_YEAR_SERIES)
    y = alt.Y("category:N", title=None, sort=order)
    line = (
        alt.Chart()
        .mark_rule(color="#9a9a9a", strokeWidth=2)
        .encode(y=y, x=alt.X("min(value):Q"), x2=alt.X2("max(value):Q"))
    )
    points = (
        alt.Chart()
        .mark_point(size=90, strokeWidth=2, filled=False, opacity=1)
        .encode(
            y=y,
            x=alt.X(
                "value:Q",
                title=x_title,
                axis=alt.Axis(format=axis_format),
                scale=alt.Scale(zero=True),
            ),
            color=alt.Color(
                "year_label:N", scale=alt.Scale(domain=years, range=[GREY, NAVY]), legend=legend
            ),
            shape=alt.Shape(
                "year_label:N",
                scale=alt.Scale(domain=years, range=["circle", "square"]),
                legend=legend,
            ),
            fill=alt.Fill(
                "year_label:N",
                scale=alt.Scale(domain=years, range=["#ffffff", NAVY]),
                legend=legend,
            ),
            tooltip=[
                alt.Tooltip("category:N", title=category_title),
                alt.Tooltip("year_label:N", title=labels.AXIS_YEAR),
                alt.Tooltip("value:Q", title=measure, format=tooltip_format),
            ],
        )
    )
    shown = values.assign(year=values["year"].astype(int))
    download = download_meta(
        [
            ("category", category_title),
            ("year", labels.AXIS_YEAR),
            ("value", value_header(x_title, indicator)),
        ],
        indicator,
        hidden=not_shown_rows(
            shown,
            {"category": list(dict.fromkeys(shown["category"])), "year": [previous_year, year]},
        ),
        sort=["category", "year"],
        categories={"category": order},
    )
    return layer_chart(  # one spec, built once (see _trend_chart)
        [line, points],
        plotted[["category", "year", "year_label", "value"]],
        title=chart_title(
            title, labels.TWO_YEARS_SUBTITLE.format(previous_year=previous_year, year=year)
        ),
        description=description,
        usermeta={"download_name": download_name, "download": download},
        width=BAR_WIDTH,
        height=max(100, 24 * len(order)),
    )


def trend_title(
    series: pd.DataFrame, indicator: str, place: str, edition: int | None = None
) -> tuple[str, str]:
    """Title stating the direction since the first year (and the recent direction where
    it went the other way, :mod:`uppfoljning.wording`), and a summary sentence, from the
    'alla' series (else the first occupation with two or more values)."""
    label = labels.indicator_label(indicator)
    occupation, trend, points = headline_trend(series, indicator)
    if trend is None:
        one = one_year_title(series, indicator, place)
        return one or labels.TREND_TITLE_NONE.format(indicator=label.name, place=place), ""
    edition = edition if edition is not None else trend.last_year
    title = labels.TREND_TITLE.format(
        subject=labels.sentence_subject(indicator),
        place=place,
        phrase=wording.trend_phrase(trend, edition),
    )
    summary = wording.trend_summary(trend, indicator, points, edition)
    if occupation != ALL:
        summary = f"{labels.OCCUPATIONS[occupation]}: {summary}"
    return title, summary


def plot_indicator_trend(
    series: pd.DataFrame,
    indicator: str,
    place: str,
    first_year: int,
    last_year: int,
    download_name: str,
) -> alt.Chart | NoData:
    """Line chart of any indicator per year and occupation (one theme with
    :func:`plot_turnover_trend`). ``series``: year, occupation, value, suppressed."""
    label = labels.indicator_label(indicator)
    empty = nothing_to_plot(series, indicator, place)
    if empty is not None:
        return empty
    layers, data, domain = _occupation_lines(
        series, first_year, last_year, axis_title(indicator), indicator
    )
    title, summary = trend_title(series, indicator, place, last_year)
    groups = formatting.join_list([d.lower() for d in domain]) or "inga yrkesgrupper"
    description = labels.TREND_DESCRIPTION.format(
        indicator_lower=label.name.lower(),
        place=place,
        first_year=first_year,
        last_year=last_year,
        groups=groups,
        summary=summary,
    ).strip()
    return _trend_chart(
        layers,
        data,
        title,
        labels.TREND_SUBTITLE.format(first_year=first_year, last_year=last_year),
        description,
        download_name,
        download=_occupation_download(
            series, first_year, last_year, axis_title(indicator), indicator
        ),
    )


def plot_detail(
    detail, place: str, first_year: int, last_year: int, download_name: str
) -> alt.Chart | NoData | None:
    """An area chapter's deepening chart (:class:`uppfoljning.areas.DetailChart`): a
    second trend or a two-year dot plot; None (nothing shown) for an area without one."""
    if detail is None:
        return None
    if detail.kind == "trend":
        return plot_indicator_trend(
            detail.data, detail.indicator, place, first_year, last_year, download_name
        )
    if detail.kind == "two_years":
        return plot_two_years(
            detail.data,
            detail.indicator,
            last_year,
            download_name,
            measure=detail.measure,
            noun=detail.noun,
            category_title=detail.category_title,
        )
    raise ValueError(f"unknown detail chart kind {detail.kind!r}")


# Focus areas: where the work has stalled, year by year.
FOCUS_STYLES = {  # status -> (colour, dash, point shape)
    "avstannat": (VERMILLION, [1, 0], "circle"),
    "ej_paborjat": (NAVY, [6, 3], "square"),
}


def focus_counts_title(counts: pd.DataFrame, edition: int) -> str:
    """The chart's message: how many pairs had stalled in the edition year."""
    rows = counts[(counts["year"] == edition) & (counts["status"] == "avstannat")]
    n = int(rows["count"].iloc[0]) if not rows.empty else 0
    if n == 0:
        return labels.FOCUS_CHART_TITLE_NONE.format(year=edition)
    return labels.FOCUS_CHART_TITLE.format(n=formatting.format_number(n), year=edition)


def plot_focus_counts(
    counts: pd.DataFrame, edition: int, download_name: str
) -> alt.LayerChart | NoData:
    """Line chart of how many unit x focus-area pairs had stalled (``avstannat``) and
    were not begun (``ej_paborjat``) per year: ``counts`` as made by
    :func:`uppfoljning.context.focus_counts_by_year` (year, status, count, assessed)."""
    if counts.empty:
        return NoData()
    data = counts.assign(
        year=counts["year"].astype(int), status_label=counts["status"].map(labels.FOCUS_STATUSES)
    )[["year", "status", "status_label", "count"]]
    present = [s for s in FOCUS_STYLES if s in set(data["status"])]
    domain = [labels.FOCUS_STATUSES[s] for s in present]
    legend = alt.Legend(title=labels.FOCUS_CHART_LEGEND)

    def scale(position: int) -> alt.Scale:
        return alt.Scale(domain=domain, range=[FOCUS_STYLES[s][position] for s in present])

    first, last = int(data["year"].min()), int(data["year"].max())
    base = alt.Chart().encode(
        x=alt.X(
            "year:O", title=labels.AXIS_YEAR, scale=alt.Scale(domain=list(range(first, last + 1)))
        ),
        y=alt.Y(
            "count:Q",
            title=labels.FOCUS_CHART_AXIS,
            scale=alt.Scale(zero=True),
            axis=alt.Axis(format=",.0f", tickMinStep=1),
        ),
        color=alt.Color("status_label:N", scale=scale(0), legend=legend),
        strokeDash=alt.StrokeDash("status_label:N", scale=scale(1), legend=legend),
        shape=alt.Shape("status_label:N", scale=scale(2), legend=legend),
        tooltip=[
            alt.Tooltip("status_label:N", title=labels.FOCUS_CHART_LEGEND),
            alt.Tooltip("year:O", title=labels.AXIS_YEAR),
            alt.Tooltip("count:Q", title=labels.FOCUS_CHART_AXIS, format=",.0f"),
        ],
    )

    def series(status: str) -> str:
        rows = data[data["status"] == status].sort_values("year")
        return ", ".join(
            f"{int(y)}: {formatting.format_number(int(c))}"
            for y, c in zip(rows["year"], rows["count"], strict=True)
        )

    description = labels.FOCUS_CHART_DESCRIPTION.format(
        first=first, last=last, stalled=series("avstannat"), not_begun=series("ej_paborjat")
    )
    return _trend_chart(
        [base.mark_line(), base.mark_point()],
        data,
        focus_counts_title(counts, edition),
        labels.FOCUS_CHART_SUBTITLE.format(first=first, last=last),
        description,
        download_name,
    )
