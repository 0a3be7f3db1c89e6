"""Viktigaste resultat: the edition's main points, computed from the published table by
one rule that is balanced by construction (report.md, *Answers the reader finds first*).

:func:`main_points` gives, in this order:

1. one point per headline area (:data:`HEADLINE_AREAS`): the city's value, its change
   since the year before and where it stands against the first published year;
2. every measure of the city (``alla``) with a known direction
   (:attr:`uppfoljning.catalog.Indicator.higher_is_worse`) that moved the wrong way in
   each of the last :data:`STREAK_YEARS` years or more, up to the edition year, in one
   point (none: no point);
3. the largest change since the year before among the key measures
   (:data:`KEY_MEASURES`), relative to the year before's value, either way;
4. the stadsdelsförvaltning furthest from the city on a key measure that is a rate
   (a count of a unit cannot be set against the city's total).

Every comparison uses the values as displayed (:func:`formatting.displayed_value`): a
change the reader cannot see is no change, ties in the display are ties in the words.
A hidden (``..``) or missing value never enters a comparison; the sentence says which
value is hidden or missing instead. Each point carries the direction claims its words
make (:class:`Stated`), which :func:`uppfoljning.claims.check_stated` holds against the
table like a researcher's sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from . import catalog, formatting, labels, templating
from .units import CITY_ID

UP, DOWN, FLAT = "up", "down", "flat"
ALL = catalog.ALL
DISTRICT = "stadsdelsforvaltning"

# The areas the politicians ask about first, one point each: (indicator, ...) of the
# city; a second indicator is a second sentence of the same point (consultants and
# their cost).
HEADLINE_AREAS: tuple[tuple[str, ...], ...] = (
    ("turnover_rate",),
    ("consultants", "consultant_cost_sek"),
    ("job_ads",),
    ("wait_days_mean",),
)
# The key measures of the start page: the largest change is sought among them, and the
# district furthest from the city among those that are rates with a direction.
KEY_MEASURES: tuple[str, ...] = (
    "turnover_rate",
    "consultants",
    "consultant_cost_sek",
    "job_ads",
    "cases_per_worker",
    "wait_days_mean",
    "survey_response_rate",
    "incidents_per_100",
    "reinforcement_staff_weeks",
    "staff_per_manager",
)
STREAK_YEARS = 3  # changes the wrong way in a row, up to the edition year
HUNDRED = Decimal(100)

Cells = dict[tuple[str, str, str, int], tuple[float | None, bool]]


@dataclass(frozen=True)
class Stated:
    """A direction a point's words give a series: from ``since`` to ``year`` it went
    ``direction`` (UP, DOWN, FLAT), and with ``every_year`` in each year between."""

    unit_id: str
    indicator: str
    occupation: str
    since: int
    year: int
    direction: str
    every_year: bool = False


@dataclass(frozen=True)
class MainPoint:
    kind: str  # "headline", "streak", "largest_change" or "furthest"
    text: str  # Swedish, one or two sentences (a lead ending in a colon with ``items``)
    stated: tuple[Stated, ...] = ()
    items: tuple[str, ...] = ()  # a list under the lead, one measure each

    @property
    def full_text(self) -> str:
        """The point as one sentence (the items joined as a Swedish list)."""
        if not self.items:
            return self.text
        return f"{self.text} {formatting.join_list(self.items)}."


# ---------------------------------------------------------------------------
# Cells as displayed


def cells_of(indicators: pd.DataFrame) -> Cells:
    """(unit_id, indicator, occupation, year) -> (value or None, suppressed)."""
    values = indicators["value"].to_numpy(dtype=float, na_value=float("nan"))
    return {
        (u, i, o, int(y)): (None if v != v else float(v), bool(s))
        for u, i, o, y, v, s in zip(
            indicators["unit_id"],
            indicators["indicator"],
            indicators["occupation"],
            indicators["year"],
            values.tolist(),
            indicators["suppressed"],
            strict=True,
        )
    }


def published(cell: tuple[float | None, bool] | None) -> bool:
    return cell is not None and not cell[1] and cell[0] is not None


def shown(indicator: str, cell: tuple[float | None, bool] | None) -> str:
    """The text a reader sees: the value, ``..`` or "uppgift saknas"."""
    if cell is None:
        return formatting.MISSING
    return formatting.format_indicator(indicator, cell[0], suppressed=cell[1])


def direction(indicator: str, before: float, now: float) -> str:
    """UP, DOWN or FLAT between two values as displayed."""
    change = formatting.displayed_value(indicator, now) - formatting.displayed_value(
        indicator, before
    )
    return FLAT if change == 0 else (UP if change > 0 else DOWN)


def relative_change(indicator: str, before: float, now: float) -> Decimal | None:
    """(now - before) / |before| of the displayed values, in whole percent (half up);
    None where the displayed ``before`` is 0."""
    start = formatting.displayed_value(indicator, before)
    if start == 0:
        return None
    end = formatting.displayed_value(indicator, now)
    return ((end - start) / abs(start) * HUNDRED).quantize(Decimal(1), ROUND_HALF_UP)


def _reason(cell: tuple[float | None, bool] | None) -> str:
    return labels.REASON_HIDDEN if cell is not None and cell[1] else labels.REASON_MISSING


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _subject(indicator: str) -> str:
    return labels.MAIN_POINT_SUBJECTS.get(indicator) or labels.sentence_subject(indicator)


def _listed(indicator: str) -> str:
    """The subject as an item of a list (shorter where the long one is unwieldy)."""
    return labels.MAIN_POINT_LISTED.get(indicator) or _lower(_subject(indicator))


def _relative_text(value: Decimal) -> str:
    return formatting.format_change(value, 0, unit="%")


# ---------------------------------------------------------------------------
# The four kinds of point


def first_published(
    cells: Cells, indicator: str, first_year: int, before: int
) -> tuple[int, float] | None:
    """The first year from ``first_year`` up to (not including) ``before`` with a
    published city value, and the value."""
    for year in range(first_year, before):
        cell = cells.get((CITY_ID, indicator, ALL, year))
        if published(cell):
            return year, cell[0]
    return None


def headline_sentence(
    cells: Cells, indicator: str, edition: int, first_year: int
) -> tuple[str, tuple[Stated, ...]] | None:
    """One sentence on the city's ``indicator``: this year, the change since the year
    before, and above, below or level with the first published year. None when the
    table has no row of it for the edition or the year before."""
    now = cells.get((CITY_ID, indicator, ALL, edition))
    before = cells.get((CITY_ID, indicator, ALL, edition - 1))
    if now is None and before is None:
        return None
    subject = _subject(indicator)
    if not published(now):
        return labels.MAIN_POINT_NOT_SHOWN.format(
            subject=subject, year=edition, reason=_reason(now)
        ), ()
    stated: list[Stated] = []
    text = labels.MAIN_POINT_VALUE.format(subject=subject, now=shown(indicator, now), year=edition)
    if published(before):
        text += labels.MAIN_POINT_CHANGE.format(
            before=shown(indicator, before),
            previous_year=edition - 1,
            change=formatting.format_displayed_change(indicator, now[0], before[0]),
        )
    first = first_published(
        cells, indicator, first_year, edition - 1 if published(before) else edition
    )
    if first is not None:
        year, value = first
        way = direction(indicator, value, now[0])
        text += labels.MAIN_POINT_AND[0 if published(before) else 1]
        text += labels.MAIN_POINT_SINCE_FIRST[way].format(
            first_year=year, first=formatting.format_indicator(indicator, value)
        )
        stated.append(Stated(CITY_ID, indicator, ALL, year, edition, way))
    text += "."
    if not published(before) and edition - 1 >= first_year:
        text += " " + labels.MAIN_POINT_PREVIOUS_NOT_SHOWN.format(
            previous_year=edition - 1, reason=_reason(before)
        )
    return text, tuple(stated)


def headline_points(cells: Cells, edition: int, first_year: int) -> list[MainPoint]:
    points = []
    for area in HEADLINE_AREAS:
        sentences = [headline_sentence(cells, indicator, edition, first_year) for indicator in area]
        found = [s for s in sentences if s is not None]
        if found:
            points.append(
                MainPoint(
                    "headline",
                    " ".join(text for text, _ in found),
                    tuple(c for _, claims in found for c in claims),
                )
            )
    return points


@dataclass(frozen=True)
class Streak:
    indicator: str
    start: int  # the year the wrong-way run started from
    start_value: float
    end_value: float
    way: str  # UP or DOWN


def wrong_way(indicator: str) -> str | None:
    """The direction that is worse for ``indicator`` (UP or DOWN), None without one."""
    worse = catalog.indicator(indicator).higher_is_worse
    if worse is None:
        return None
    return UP if worse else DOWN


def streak(cells: Cells, indicator: str, edition: int, first_year: int) -> Streak | None:
    """The run of changes the wrong way of the city's ``indicator`` (``alla``) ending in
    the edition year, if it is :data:`STREAK_YEARS` changes or longer. A change is
    between consecutive years, both published; a hidden, missing or level year ends
    the run."""
    bad = wrong_way(indicator)
    if bad is None:
        return None
    year = edition
    while year - 1 >= first_year:
        now = cells.get((CITY_ID, indicator, ALL, year))
        before = cells.get((CITY_ID, indicator, ALL, year - 1))
        if not (published(now) and published(before)):
            break
        if direction(indicator, before[0], now[0]) != bad:
            break
        year -= 1
    if edition - year < STREAK_YEARS:
        return None
    return Streak(
        indicator,
        year,
        cells[(CITY_ID, indicator, ALL, year)][0],
        cells[(CITY_ID, indicator, ALL, edition)][0],
        bad,
    )


def streak_point(
    cells: Cells, indicators: Iterable[str], edition: int, first_year: int
) -> MainPoint | None:
    """Every measure that moved the wrong way :data:`STREAK_YEARS` years or more in a
    row, in one point; None if none did."""
    found = [
        s for s in (streak(cells, i, edition, first_year) for i in indicators) if s is not None
    ]
    if not found:
        return None
    items = tuple(
        labels.MAIN_POINT_STREAK_ITEM[s.way].format(
            subject=_listed(s.indicator),
            start=s.start,
            first=formatting.format_indicator(s.indicator, s.start_value),
            now=formatting.format_indicator(s.indicator, s.end_value),
        )
        for s in found
    )
    text = labels.MAIN_POINT_STREAK.format(
        count=labels.count_words(len(found), labels.NOUN_MEASURE).capitalize(),
        years=labels.count_words(STREAK_YEARS),
        year=edition,
    )
    return MainPoint(
        "streak",
        text,
        tuple(
            Stated(CITY_ID, s.indicator, ALL, s.start, edition, s.way, every_year=True)
            for s in found
        ),
        items,
    )


def largest_change_point(cells: Cells, measures: Iterable[str], edition: int) -> MainPoint | None:
    """The key measure(s) of the city whose displayed value changed most since the year
    before, relative to that year's value (every measure sharing the largest change, in
    whole percent, is named); None if none changed or none can be compared."""
    changes = []
    for indicator in measures:
        now = cells.get((CITY_ID, indicator, ALL, edition))
        before = cells.get((CITY_ID, indicator, ALL, edition - 1))
        if not (published(now) and published(before)):
            continue
        relative = relative_change(indicator, before[0], now[0])
        if relative is None or relative == 0:
            continue
        changes.append((abs(relative), indicator, relative, before[0], now[0]))
    if not changes:
        return None
    largest = max(c[0] for c in changes)
    items, stated = [], []
    for _, indicator, relative, before, now in (c for c in changes if c[0] == largest):
        way = direction(indicator, before, now)
        items.append(
            labels.MAIN_POINT_LARGEST_ITEM[way].format(
                subject=_listed(indicator),
                before=formatting.format_indicator(indicator, before),
                now=formatting.format_indicator(indicator, now),
                change=formatting.format_displayed_change(indicator, now, before),
                relative=_relative_text(relative),
            )
        )
        stated.append(Stated(CITY_ID, indicator, ALL, edition - 1, edition, way))
    text = labels.MAIN_POINT_LARGEST.format(
        previous_year=edition - 1, year=edition, items=formatting.join_list(items)
    )
    return MainPoint("largest_change", text, tuple(stated))


def compared_measures(measures: Iterable[str]) -> list[str]:
    """The key measures a district can be set against the city on: rates (not counts
    or sums, whose city value is the total) with a direction."""
    return [
        i
        for i in measures
        if not catalog.indicator(i).additive and catalog.indicator(i).higher_is_worse is not None
    ]


def furthest_point(
    cells: Cells, units: pd.DataFrame, measures: Iterable[str], edition: int
) -> MainPoint | None:
    """The stadsdelsförvaltning(ar) furthest from the city in the edition year on one of
    ``measures`` (:func:`compared_measures`), as the distance of the displayed values in
    whole percent of the city's; every district and measure sharing it is named. None
    without a published district value and city value to compare."""
    districts = units[units["kind"] == DISTRICT]
    found = []
    for indicator in compared_measures(measures):
        city = cells.get((CITY_ID, indicator, ALL, edition))
        if not published(city):
            continue
        for unit in districts.itertuples():
            cell = cells.get((unit.unit_id, indicator, ALL, edition))
            if not published(cell):
                continue
            relative = relative_change(indicator, city[0], cell[0])
            if relative is None:
                continue
            found.append((abs(relative), unit.name, indicator, relative, cell[0], city[0]))
    if not found:
        return None
    furthest = max(f[0] for f in found)
    if furthest == 0:
        return None
    items = [
        labels.MAIN_POINT_FURTHEST_ITEM.format(
            unit=name,
            measure=_listed(indicator),
            value=formatting.format_indicator(indicator, value),
            city=formatting.format_indicator(indicator, city),
            relative=_relative_text(relative),
        )
        for distance, name, indicator, relative, value, city in found
        if distance == furthest
    ]
    return MainPoint(
        "furthest",
        labels.MAIN_POINT_FURTHEST.format(year=edition, items=formatting.join_list(items)),
    )


def main_points(
    indicators: pd.DataFrame, units: pd.DataFrame, edition: int, first_year: int
) -> tuple[MainPoint, ...]:
    """The edition's main points (see the module's description), from the published
    table ``indicators`` (suppression applied) and the edition's ``units`` (unit_id,
    name, kind). Pure: the inputs are not changed."""
    cells = cells_of(indicators)
    present = set(indicators["indicator"])
    points = headline_points(cells, edition, first_year)
    known = sorted(i for i in present if catalog.find(i) is not None)
    ordered = [i for i in KEY_MEASURES if i in present] + [
        i for i in known if i not in KEY_MEASURES
    ]
    extra = [
        streak_point(cells, ordered, edition, first_year),
        largest_change_point(cells, [i for i in KEY_MEASURES if i in present], edition),
        furthest_point(cells, units, [i for i in KEY_MEASURES if i in present], edition),
    ]
    return tuple(points + [p for p in extra if p is not None])


# ---------------------------------------------------------------------------
# On the page


@dataclass(frozen=True, eq=False)
class MainPoints:
    """The points as a bulleted list (HTML through the autoescaped template; glued by
    the city notebook and inserted with the ``{glue}`` directive)."""

    points: tuple[MainPoint, ...]

    def to_html(self) -> str:
        return templating.render(
            "main_points.html",
            points=[(p.text, p.items) for p in self.points],
            empty=labels.MAIN_POINTS_NONE,
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return "\n".join(f"- {p.full_text}" for p in self.points)
