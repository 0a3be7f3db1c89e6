"""Words computed like numbers: the direction of a series, who is highest and lowest,
and sentences built around values that may be hidden.

Every rule works on the values as the reader sees them (rounded as displayed, see
:func:`uppfoljning.formatting.displayed_value`), so a title never claims a change the
chart's labels do not show, and a tie in the display is a tie in the words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from . import catalog, formatting, labels

UP, DOWN, FLAT = "up", "down", "flat"
FLAT_POINTS = Decimal(1)  # a rate within ±1 percentage point since the first year: flat
FLAT_SHARE = Decimal("0.05")  # another value within ±5 % of the first year's: flat
RECENT_SHARE = Decimal("0.1")  # a turn is named when the series moved back by more than a tenth
NAMES_IN_FULL = 3  # more units than this sharing a value are counted, not listed


@dataclass(frozen=True)
class Trend:
    """The direction of a series since its first published year, and where it has since
    turned, the turning point (the year of its lowest or highest value)."""

    first_year: int
    first: Decimal  # as displayed
    last_year: int
    last: Decimal
    direction: str  # UP, DOWN or FLAT
    recent_year: int | None = None  # start of the recent, opposite movement
    recent: Decimal | None = None
    recent_direction: str | None = None


def _published(points: Iterable[tuple[int, float | None]]) -> list[tuple[int, float]]:
    return sorted(
        (int(year), float(value)) for year, value in points if not formatting.is_missing(value)
    )


def _direction(indicator: str, start: Decimal, end: Decimal) -> str:
    """UP, DOWN or FLAT between two displayed values (rates within a percentage point,
    others within 5 % of the start count as flat)."""
    change = end - start
    if catalog.indicator(indicator).display == catalog.PERCENT:
        margin = FLAT_POINTS
    elif start == 0:
        return FLAT if end == 0 else (UP if end > 0 else DOWN)
    else:
        margin = abs(start) * FLAT_SHARE
    if change >= margin and change != 0:
        return UP
    if change <= -margin and change != 0:
        return DOWN
    return FLAT


def describe_trend(points: Iterable[tuple[int, float | None]], indicator: str) -> Trend | None:
    """The trend of (year, value) points; hidden or missing values are None and skipped
    (a series may start late or have gaps). None with fewer than two published years.

    The direction compares the first and the last published value as displayed. Where
    the series has since turned, the turning point is named: the year of the lowest
    value after the first year (of the highest for a rising series; either for a flat
    one), after which the series went the other way, to the last value, by more than a
    tenth of that value (:data:`RECENT_SHARE`). Of years sharing the lowest (highest)
    value the latest is the turning point; for a flat series the larger movement wins."""
    published = _published(points)
    if len(published) < 2:
        return None
    first_year, first_raw = published[0]
    last_year, last_raw = published[-1]
    first = formatting.displayed_value(indicator, first_raw)
    last = formatting.displayed_value(indicator, last_raw)
    direction = _direction(indicator, first, last)
    trend = Trend(first_year, first, last_year, last, direction)
    between = [(year, formatting.displayed_value(indicator, raw)) for year, raw in published[1:-1]]
    if not between:
        return trend
    candidates: list[tuple[Decimal, int, Decimal, str]] = []  # (|change|, year, value, way)
    if direction in (DOWN, FLAT):  # the low point, if it rose again since
        low = min(value for _, value in between)
        year = max(y for y, value in between if value == low)
        candidates.append((last - low, year, low, UP))
    if direction in (UP, FLAT):  # the high point, if it fell again since
        high = max(value for _, value in between)
        year = max(y for y, value in between if value == high)
        candidates.append((high - last, year, high, DOWN))
    turned = [c for c in candidates if c[0] > 0 and c[0] > abs(c[2]) * RECENT_SHARE]
    if not turned:
        return trend
    _, recent_year, recent, recent_direction = max(turned, key=lambda c: c[0])
    return Trend(
        first_year, first, last_year, last, direction, recent_year, recent, recent_direction
    )


def trend_phrase(trend: Trend, edition: int) -> str:
    """The predicate of a trend title: "har minskat sedan 2016 men ökat sedan 2021";
    "minskade 2016–2023" when the last published year is not the edition's."""
    now = trend.last_year >= edition
    values = {
        "first_year": trend.first_year,
        "last_year": trend.last_year,
        "recent_year": trend.recent_year,
    }
    phrases = labels.TREND_PHRASES if now else labels.TREND_PHRASES_PAST
    text = phrases[trend.direction].format(**values)
    if trend.recent_direction is not None:
        recent = labels.TREND_RECENT if now else labels.TREND_RECENT_PAST
        key = (trend.direction, trend.recent_direction)
        text += recent[key].format(**values)
    return text


def trend_summary(
    trend: Trend, indicator: str, points: Iterable[tuple[int, float | None]], edition: int
) -> str:
    """One sentence for the text alternative: the first and last values (and the value
    the recent movement started from), and whether the edition's value is hidden
    (``None`` among ``points``) or missing (NaN, or no point)."""
    points = list(points)
    fmt = {year: value for year, value in _published(points)}

    def shown(year: int) -> str:
        return formatting.format_indicator(indicator, fmt[year])

    text = labels.TREND_SUMMARY.format(
        first=shown(trend.first_year),
        first_year=trend.first_year,
        last=shown(trend.last_year),
        last_year=trend.last_year,
    )
    if trend.recent_year is not None:
        text += " " + labels.TREND_SUMMARY_RECENT.format(
            recent=shown(trend.recent_year), recent_year=trend.recent_year
        )
    if trend.last_year < edition:
        by_year = dict(points)
        hidden = edition in by_year and by_year[edition] is None
        text += " " + (
            labels.TREND_SUMMARY_LAST_HIDDEN if hidden else labels.TREND_SUMMARY_LAST_MISSING
        ).format(year=edition)
    return text


# the common-gender forms: "en" where labels.NUMBER_WORDS has the neuter "ett"
_NUMBER_WORDS = ("noll", "en", *labels.NUMBER_WORDS[2:])


def number_word(n: int, neuter: bool = False) -> str:
    """A count as Swedish style writes it: in words up to twelve ("två", "tolv"; "ett"
    for a neuter noun), in digits above ("13", "1 529")."""
    n = int(n)
    if 0 <= n < len(_NUMBER_WORDS):
        return "ett" if neuter and n == 1 else _NUMBER_WORDS[n]
    return formatting.format_number(n)


@dataclass(frozen=True)
class Extremes:
    """Who has the highest and the lowest displayed value (every unit sharing it)."""

    highest: tuple[str, ...]
    highest_value: float
    lowest: tuple[str, ...]
    lowest_value: float
    hidden: tuple[str, ...]  # units with the measure whose value is hidden or missing

    @property
    def all_equal(self) -> bool:
        return self.highest == self.lowest


def extremes(values: Iterable[tuple[str, float | None, bool]], indicator: str) -> Extremes | None:
    """Highest and lowest among (name, value, suppressed), comparing the values as
    displayed: every name sharing the top or bottom value is named, in alphabetical
    order. None when no value is published."""
    shown: list[tuple[str, float, Decimal]] = []
    hidden: list[str] = []
    for name, value, suppressed in values:
        if suppressed or formatting.is_missing(value):
            hidden.append(str(name))
        else:
            shown.append(
                (str(name), float(value), formatting.displayed_value(indicator, float(value)))
            )
    if not shown:
        return None
    top = max(d for _, _, d in shown)
    bottom = min(d for _, _, d in shown)
    highest = sorted(n for n, _, d in shown if d == top)
    lowest = sorted(n for n, _, d in shown if d == bottom)
    top_value = next(v for n, v, d in shown if d == top)
    bottom_value = next(v for n, v, d in shown if d == bottom)
    return Extremes(tuple(highest), top_value, tuple(lowest), bottom_value, tuple(sorted(hidden)))


def name_units(names: tuple[str, ...] | list[str], noun: str = labels.NOUN_UNITS) -> str:
    """ "Bromma", "Bromma och Kungsholmen", or "sju förvaltningar" for many."""
    names = list(names)
    if len(names) > NAMES_IN_FULL:
        return f"{number_word(len(names))} {noun}"
    return formatting.join_list(names)


def change_sentence(
    subject: str,
    indicator: str,
    now: tuple[float | None, bool] | None,
    before: tuple[float | None, bool] | None,
    year: int,
) -> str:
    """ "{subject} var 34 % år 2024, jämfört med 42 % år 2023 (−8 procentenheter)." with
    Swedish wording when either value is hidden (``..``) or missing, never "..
    (..)". ``now`` and ``before`` are (value, suppressed) cells or None (no row)."""
    previous_year = year - 1

    def state(cell: tuple[float | None, bool] | None) -> str:
        if cell is None or (not cell[1] and formatting.is_missing(cell[0])):
            return "missing"
        return "hidden" if cell[1] else "shown"

    def text(cell: tuple[float | None, bool]) -> str:
        return formatting.format_indicator(indicator, cell[0])

    reasons = {"hidden": labels.REASON_HIDDEN, "missing": labels.REASON_MISSING}
    s_now, s_before = state(now), state(before)
    values = {"subject": subject, "year": year, "previous_year": previous_year}
    if s_now == "shown" and s_before == "shown":
        return labels.CHANGE_SENTENCE.format(
            **values,
            value=text(now),
            previous=text(before),
            change=formatting.format_displayed_change(indicator, now[0], before[0]),
        )
    if s_now == "shown":
        return labels.CHANGE_SENTENCE_NO_PREVIOUS.format(
            **values, value=text(now), reason=reasons[s_before]
        )
    if s_before == "shown":
        return labels.CHANGE_SENTENCE_NO_CURRENT.format(
            **values, previous=text(before), reason=reasons[s_now]
        )
    if s_now == s_before:
        return labels.CHANGE_SENTENCE_NONE.format(**values, reason=reasons[s_now])
    return labels.CHANGE_SENTENCE_NEITHER.format(
        **values, reason_now=reasons[s_now], reason_before=reasons[s_before]
    )
