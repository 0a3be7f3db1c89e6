"""Swedish number and date formatting for everything a reader sees.

One module, used by tables, glued text and (through :data:`VEGA_NUMBER_LOCALE` and
:data:`VEGA_TIME_LOCALE`) the chart theme, so a number looks the same everywhere:

- grouping with a no-break space (U+00A0), decimal comma: ``12 345,6``
- percent with a no-break space before the sign: ``12,5 %``
- minus sign U+2212 (as the charts' d3-format writes it)
- ``..`` for a suppressed value, "uppgift saknas" where there is no data

Rounding is half up on the decimal representation of the value (``0.125`` -> ``13 %``
with no decimals), as readers and spreadsheets expect; Babel alone rounds half to even.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from babel import dates as babel_dates
from babel import lists as babel_lists
from babel import numbers as babel_numbers

from . import catalog, labels, templating

LOCALE = "sv_SE"
GROUP = "\u00a0"  # no-break space, also the charts' thousands separator
DECIMAL = ","
MINUS = "\u2212"
PERCENT_SUFFIX = "\u00a0%"
SUPPRESSED = ".."
MISSING = "uppgift saknas"

MONTHS = tuple(babel_dates.get_month_names("wide", locale=LOCALE)[m] for m in range(1, 13))
SHORT_MONTHS = tuple(name[:3] for name in MONTHS)
# Babel numbers weekdays from Monday = 0; d3 wants Sunday first.
_DAYS = babel_dates.get_day_names("wide", locale=LOCALE)
DAYS = tuple(_DAYS[i] for i in (6, 0, 1, 2, 3, 4, 5))
SHORT_DAYS = tuple(name[:3] for name in DAYS)

# d3-format / d3-time-format locales for Vega-Lite's config.locale.
VEGA_NUMBER_LOCALE = {
    "decimal": DECIMAL,
    "thousands": GROUP,
    "grouping": [3],
    "currency": ["", "\u00a0kr"],
    "minus": MINUS,
    "percent": PERCENT_SUFFIX,
}
VEGA_TIME_LOCALE = {
    "dateTime": "%A %e %B %Y %X",
    "date": "%Y-%m-%d",
    "time": "%H:%M:%S",
    "periods": ["fm", "em"],
    "days": list(DAYS),
    "shortDays": list(SHORT_DAYS),
    "months": list(MONTHS),
    "shortMonths": list(SHORT_MONTHS),
}


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pandas' NA (:func:`pandas.isna` on one value);
    False for anything that is not a single value."""
    return pd.api.types.is_scalar(value) and bool(pd.isna(value))


def _round_half_up(value: float, decimals: int, shift: int = 0) -> Decimal:
    exact = Decimal(repr(float(value))).scaleb(shift)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def round_published(value: float, decimals: int | None) -> float:
    """``value`` rounded half up to ``decimals`` as published (None: as it is).

    Rounding works on the decimal digits of the value, read to 12 significant digits
    first, so that a ratio whose float lies a hair below a tie (``12.45 / 100`` is
    ``0.12449999999999999``) rounds like the tie it stands for: ``0.1245`` -> ``0.125``.
    A genuine ratio of counts is never that close to a tie without being one."""
    if decimals is None or is_missing(value):
        return value
    exact = Decimal(f"{float(value):.12g}")
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return float(rounded) + 0.0  # no -0.0


def round_indicator_values(indicators: pd.Series, values: pd.Series) -> pd.Series:
    """Each value rounded as its indicator is published (:func:`round_published` with
    :func:`uppfoljning.catalog.published_decimals`): the one rounding of an edition."""
    decimals = {name: catalog.published_decimals(name) for name in indicators.unique()}
    return pd.Series(
        [
            round_published(v, decimals[i])
            for i, v in zip(indicators.tolist(), values.astype("float64").tolist(), strict=True)
        ],
        index=values.index,
        dtype="float64",
    )


def _format_decimal(number: Decimal, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = babel_numbers.format_decimal(
        number, format=pattern, locale=LOCALE, decimal_quantization=True
    )
    text = text.replace("\u202f", GROUP).replace(" ", GROUP)
    if number.is_zero():  # no "-0,0"
        text = text.lstrip("-" + MINUS)
    return text.replace("-", MINUS)


def format_number(value: float | int | None, decimals: int = 0, *, suppressed: bool = False) -> str:
    """``12345.6`` -> ``"12 345,6"`` (no-break space); ``..`` or "uppgift saknas"."""
    if suppressed:
        return SUPPRESSED
    if value is None or is_missing(value):
        return MISSING
    return _format_decimal(_round_half_up(value, decimals), decimals)


def format_percent(rate: float | None, decimals: int = 1, *, suppressed: bool = False) -> str:
    """A fraction as percent: ``0.125`` -> ``"12,5 %"``."""
    if suppressed:
        return SUPPRESSED
    if rate is None or is_missing(rate):
        return MISSING
    return _format_decimal(_round_half_up(rate, decimals, shift=2), decimals) + PERCENT_SUFFIX


def format_sek(value: float | None, *, suppressed: bool = False) -> str:
    """Kronor in millions for large sums: ``111_000_000`` -> ``"111,0 mnkr"``."""
    if suppressed:
        return SUPPRESSED
    if value is None or is_missing(value):
        return MISSING
    if abs(value) >= 1_000_000:
        return format_number(value / 1_000_000, 1) + "\u00a0mnkr"
    return format_number(value, 0) + "\u00a0kr"


# Units of a change whose singular differs: "1 procentenhet", "1 dag".
SINGULAR_UNITS = {"procentenheter": "procentenhet", "dagar": "dag"}


def format_change(value: float | Decimal | None, decimals: int = 1, *, unit: str = "") -> str:
    """A signed change: ``+1,2``, ``−0,5``, ``±0,0``; ``unit`` is appended after a
    space (no-break before a short unit such as "dagar"), in the singular after a whole
    one ("−1 procentenhet")."""
    if value is None or is_missing(value):
        return MISSING
    rounded = (
        value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if isinstance(value, Decimal)
        else _round_half_up(value, decimals)
    )
    body = _format_decimal(abs(rounded), decimals)
    sign = "\u00b1" if rounded.is_zero() else ("+" if rounded > 0 else MINUS)
    if not unit:
        return sign + body
    if body == "1":
        unit = SINGULAR_UNITS.get(unit, unit)
    # no-break space before a short unit ("dagar"); a long one may wrap to the next line
    return sign + body + ("\u00a0" if len(unit) <= 5 else " ") + unit


def format_percentage_points(change: float | None, decimals: int = 1) -> str:
    """A change between two fractions in percentage points: ``0.012`` -> ``+1,2
    procentenheter``."""
    if change is None or is_missing(change):
        return MISSING
    return format_change(float(change) * 100, decimals, unit="procentenheter")


def format_date(value: dt.date, *, long: bool = False) -> str:
    """``2020-07-01`` (ISO, as Swedish official texts write it) or ``1 juli 2020``."""
    if long:
        return babel_dates.format_date(value, format="long", locale=LOCALE)
    return value.isoformat()


def publication_facts(facts) -> list[tuple[str, str]]:
    """The publication facts of ``report.yml`` (:class:`uppfoljning.config.PublicationFacts`)
    as (Swedish label, text) pairs in reading order: "Publicerad" "31 mars 2025",
    "Ansvarig" ..., "Kontakt" "name, e-mail, phone", "Nästa utgåva" ... A fact left out
    (only a draft may) is left out here too."""

    def date_text(value: object) -> str:
        return format_date(value, long=True) if isinstance(value, dt.date) else str(value)

    contact = [
        part for part in (facts.contact.name, facts.contact.email, facts.contact.phone) if part
    ]
    rows = [
        (labels.FACT_PUBLISHED, date_text(facts.published) if facts.published else None),
        (labels.FACT_RESPONSIBLE, facts.responsible),
        (labels.FACT_CONTACT, ", ".join(contact) if contact else None),
        (labels.FACT_NEXT_RELEASE, date_text(facts.next_release) if facts.next_release else None),
    ]
    return [(label, text) for label, text in rows if text]


def format_datetime(value: dt.datetime) -> str:
    """``2025-01-31 14:05`` in the given time zone of ``value``."""
    return value.strftime("%Y-%m-%d %H:%M")


def format_indicator(indicator: str, value: float | None, *, suppressed: bool = False) -> str:
    """A value of the published table as the page shows it (display kind and decimals
    from :mod:`uppfoljning.catalog`)."""
    shown = catalog.indicator(indicator)
    if shown.display == catalog.PERCENT:
        return format_percent(value, shown.decimals, suppressed=suppressed)
    if shown.display == catalog.SEK:
        return format_sek(value, suppressed=suppressed)
    text = format_number(value, shown.decimals, suppressed=suppressed)
    if shown.display == catalog.DAYS and text not in (SUPPRESSED, MISSING):
        text += "\u00a0dagar"
    return text


def displayed_value(indicator: str, value: float) -> Decimal:
    """A value of an indicator as the reader sees it, rounded as displayed, in the unit
    it is displayed in: percent for rates (``0.3449`` -> ``34`` at no decimals), mnkr for
    sums of a million kronor or more, else the indicator's own unit."""
    shown = catalog.indicator(indicator)
    if shown.display == catalog.PERCENT:
        return _round_half_up(value, shown.decimals, shift=2)
    if shown.display == catalog.SEK and abs(value) >= 1_000_000:
        return _round_half_up(value / 1_000_000, 1)
    return _round_half_up(value, shown.decimals)


def format_download_number(indicator: str, value: float) -> str:
    """A value of an indicator as a chart's download writes it for Swedish Excel: rounded
    as the page shows it, in the chart's unit (percent for rates: ``0.1684`` ->
    ``16,8``; mnkr for costs: ``5_066_000`` -> ``5,1``), decimal comma, no thousands
    separator and a plain '-' (so the spreadsheet reads a number, not text)."""
    shown = catalog.indicator(indicator)
    if shown.display == catalog.PERCENT:
        number = _round_half_up(value, shown.decimals, shift=2)
    elif shown.display == catalog.SEK:
        number = _round_half_up(value / 1_000_000, 1)
    else:
        number = _round_half_up(value, shown.decimals)
    if number.is_zero():  # no "-0,0"
        number = abs(number)
    return format(number, "f").replace(".", DECIMAL)


def format_displayed_change(indicator: str, now: float | None, before: float | None) -> str:
    """The change between two values of an indicator, computed from the values as they
    are displayed, so "34 % … 42 % (−8 procentenheter)" always agrees with itself.
    Percentage points for rates, mnkr for large sums; "uppgift saknas" if either value
    is missing (hidden values are the caller's to mark with ``..``)."""
    if now is None or before is None or is_missing(now) or is_missing(before):
        return MISSING
    shown = catalog.indicator(indicator)
    if shown.display == catalog.SEK and max(abs(now), abs(before)) >= 1_000_000:
        change = _round_half_up(now / 1_000_000, 1) - _round_half_up(before / 1_000_000, 1)
        return format_change(change, 1, unit="mnkr")
    change = displayed_value(indicator, now) - displayed_value(indicator, before)
    if shown.display == catalog.PERCENT:
        return format_change(change, shown.decimals, unit="procentenheter")
    if shown.display == catalog.SEK:
        return format_change(change, 0, unit="kr")
    unit = "dagar" if shown.display == catalog.DAYS else ""
    return format_change(change, shown.decimals, unit=unit)


def format_indicator_change(indicator: str, change: float | None) -> str:
    """A change of an indicator between two years: percentage points for rates."""
    shown = catalog.indicator(indicator)
    if shown.display == catalog.PERCENT:
        return format_percentage_points(change, shown.decimals)
    if shown.display == catalog.SEK:
        if change is None or is_missing(change):
            return MISSING
        return format_change(change / 1_000_000, 1, unit="mnkr")
    unit = "dagar" if shown.display == catalog.DAYS else ""
    return format_change(change, shown.decimals, unit=unit)


# ---------------------------------------------------------------------------
# Display tables


def no_data_html(text: str) -> str:
    """The sentence a page shows instead of an empty table or chart."""
    return str(templating.Markup('<p class="uppf-no-data">{}</p>').format(text))


# A cell that reads as a number (right-aligned): digits, signed changes, `..`.
_NUMERIC_CELL = re.compile(r"^(?:[+\u2212\u00b1]?\d(?![\d\u00a0 ]*:)|\.\.$)")


def is_numeric_cell(text: str) -> bool:
    """True for ``12,5 %``, ``+1,2``, ``−0,5 dagar``, ``..``; False for words, also
    those starting with an ordinal ("3:e högst av 11")."""
    return bool(_NUMERIC_CELL.match(text))


@dataclass(frozen=True, eq=False)
class Table:
    """A table of Swedish strings as the page shows it: plain HTML, no truncation of
    long cells (pandas' own HTML cuts them at 50 characters), the index as row headers
    and ``columns.name`` as the corner heading. Cells equal to ``highlight`` are marked
    (bold, and a class the stylesheet shades) so they stand out in greyscale print too;
    ``highlight`` is one text or a tuple of texts."""

    frame: pd.DataFrame
    highlight: str | tuple[str, ...] | None = None
    label: str | None = None  # of the scrolling region; default the corner heading
    empty_text: str | None = None  # shown for an empty frame ("" nothing); default no data

    def to_html(self) -> str:
        frame = self.frame
        if frame.empty:
            if self.empty_text == "":
                return ""
            return no_data_html(
                labels.TABLE_NO_DATA if self.empty_text is None else self.empty_text
            )
        row_headers = not isinstance(frame.index, pd.RangeIndex)
        rows = []
        for index, values in zip(frame.index, frame.itertuples(index=False), strict=True):
            cells = []
            for value in values:
                text = MISSING if is_missing(value) else str(value)
                strong = text in _highlighted(self.highlight)
                classes = [
                    name
                    for name, wanted in (
                        ("uppf-num", is_numeric_cell(text)),
                        ("uppf-highlight", strong),
                    )
                    if wanted
                ]
                cells.append((text, " ".join(classes), strong))
            rows.append((str(index) if row_headers else None, cells))
        return templating.render(
            "words_table.html",
            rows=rows,
            label=str(self.label or frame.columns.name or labels.TABLE_REGION),
            corner=str(frame.columns.name or "") if row_headers else None,
            columns=[str(c) for c in frame.columns],
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return self.frame.to_string()


def _highlighted(highlight: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if highlight is None:
        return ()
    return (highlight,) if isinstance(highlight, str) else tuple(highlight)


def table(
    frame: pd.DataFrame,
    highlight: str | tuple[str, ...] | None = None,
    *,
    empty_text: str | None = None,
) -> Table:
    """Wrap a display frame (Swedish strings) for the page; see :class:`Table`.
    ``empty_text`` replaces the no-data sentence of an empty frame ("" shows nothing,
    where the page says in words why there are no rows)."""
    return Table(frame, highlight, empty_text=empty_text)


def column_groups(count: int, most: int) -> list[range]:
    """Positions ``0 .. count-1`` in as few consecutive groups of at most ``most`` as
    possible, of sizes differing by at most one, the larger first: 9 columns at most 5
    -> 5 + 4, 10 at most 4 -> 4 + 3 + 3."""
    if most < 1:
        raise ValueError("a group needs room for at least one column")
    parts = max(1, -(-count // most))
    size, extra = divmod(count, parts)
    groups, start = [], 0
    for part in range(parts):
        stop = start + size + (1 if part < extra else 0)
        groups.append(range(start, stop))
        start = stop
    return groups


@dataclass(frozen=True, eq=False)
class Tables:
    """Several tables shown one after the other (a wide table split by columns)."""

    parts: tuple[Table, ...]

    def to_html(self) -> str:
        return "\n".join(part.to_html() for part in self.parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return "\n\n".join(repr(part) for part in self.parts)


def split_table(
    frame: pd.DataFrame, most_columns: int, highlight: str | tuple[str, ...] | None = None
) -> Tables:
    """A display frame too wide for the text column as consecutive tables of at most
    ``most_columns`` columns each (:func:`column_groups`), every one with the row
    headers and the corner heading, so each reads on its own and none needs sideways
    scrolling on a desktop. The columns keep their order (a table of years with the
    newest first shows the newest years first)."""
    if frame.empty:
        return Tables((Table(frame, highlight),))
    parts = []
    for group in column_groups(len(frame.columns), most_columns):
        part = frame.iloc[:, list(group)]
        first, last = str(part.columns[0]), str(part.columns[-1])
        span = first if first == last else f"{first}\u2013{last}"
        parts.append(
            Table(part, highlight, label=f"{frame.columns.name or ''}: {span}".lstrip(": "))
        )
    return Tables(tuple(parts))


@dataclass(frozen=True, eq=False)
class Notes:
    """Caveats under a chart or table (a note element, each note a paragraph after a
    bold lead word); nothing at all when there are none."""

    notes: tuple[str, ...]
    heading: str = labels.PLAUSIBILITY_HEADING

    def to_html(self) -> str:
        if not self.notes:
            return ""
        return templating.render("notes.html", heading=self.heading, notes=self.notes)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return "\n".join(self.notes)


def notes(texts: tuple[str, ...] | list[str]) -> Notes:
    """Render caveats (e.g. ``ctx.plausibility_notes``) for the page; see :class:`Notes`."""
    return Notes(tuple(texts))


# ---------------------------------------------------------------------------
# Downloads: text a spreadsheet would run as a formula

# The leading characters that make Excel, LibreOffice or Google Sheets read a CSV cell as
# a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: object) -> object:
    """``text`` with an apostrophe in front if a spreadsheet would take it for a formula
    (the apostrophe is how a spreadsheet marks a cell as text); anything else as it is."""
    if isinstance(text, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def spreadsheet_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are :func:`spreadsheet_safe` (numbers, even
    negative ones, are left alone: only text columns are touched)."""
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype):
            safe[column] = values.map(spreadsheet_safe)
    return safe


def join_list(items: Iterable[str]) -> str:
    """ "a", "a och b", "a, b och c": Babel's Swedish list pattern."""
    return babel_lists.format_list(list(items), locale="sv")
