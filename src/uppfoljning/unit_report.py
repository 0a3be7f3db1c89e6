"""A unit's own report (spec: "the district's own report", for every unit of the
edition): what a unit page shows beyond :func:`context.for_unit`.

For every area of the action plan, the unit's series from the first year with the city
as reference (:class:`UnitTrend`, drawn by :func:`uppfoljning.unit_charts.plot_unit_trend`);
key figures with the unit's place among the stadsdelsförvaltningar (:func:`rank_among`);
the focus areas with their comments. Everything is read from the published table, so
hidden values stay hidden: a hidden unit is never ranked, and a hidden year is a gap
marked ``..`` in the chart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import catalog, context, formatting, labels, wording
from .catalog import ALL
from .layout import UNIT_TRENDS, ShownCell

DISTRICT = "stadsdelsforvaltning"

# ---------------------------------------------------------------------------
# Rank among the districts


@dataclass(frozen=True)
class Rank:
    """A unit's place by value (1 = highest as displayed) among the units with a
    published value; ``place`` is None when the unit itself is not ranked. ``from_bottom``
    is the place counted from the lowest (1 = lowest)."""

    state: str  # "ranked", "hidden", "missing" or "not_ranked"
    place: int | None = None
    of: int = 0  # units ranked (published values)
    shared: bool = False  # another unit has the same displayed value
    hidden: int = 0  # other units of the comparison whose value is hidden or missing
    from_bottom: int | None = None

    @property
    def highest(self) -> bool:
        return self.state == "ranked" and self.place == 1 and self.of > 1

    @property
    def lowest(self) -> bool:
        return self.state == "ranked" and self.from_bottom == 1 and self.of > 1


def rank_among(
    values: Iterable[tuple[str, float | None, bool]], unit_id: str, indicator: str
) -> Rank:
    """The place of ``unit_id`` among ``values`` = (unit_id, value, suppressed) of the
    units compared, comparing values as displayed (competition ranking: two units
    sharing the 2nd highest value are both "delad näst högst", the next is 4th), from
    the top and from the bottom. A unit not among ``values`` is ``not_ranked``; hidden
    (``..``) or missing values are never ranked and are counted in ``hidden``."""
    shown: dict[str, object] = {}
    others_hidden = 0
    own: str | None = None
    for unit, value, suppressed in values:
        published = not suppressed and not formatting.is_missing(value)
        if unit == unit_id:
            own = "ranked" if published else ("hidden" if suppressed else "missing")
        if published:
            shown[unit] = formatting.displayed_value(indicator, float(value))
        elif unit != unit_id:
            others_hidden += 1
    if own is None:
        return Rank("not_ranked")
    if own != "ranked":
        return Rank(own, None, len(shown), False, others_hidden)
    mine = shown[unit_id]
    place = 1 + sum(v > mine for v in shown.values())
    from_bottom = 1 + sum(v < mine for v in shown.values())
    shared = sum(v == mine for v in shown.values()) > 1
    return Rank("ranked", place, len(shown), shared, others_hidden, from_bottom)


def ordinal(n: int) -> str:
    """Swedish ordinal in digits: "3:e", "21:a", "11:e"."""
    return f"{n}:a" if n % 10 in (1, 2) and n % 100 not in (11, 12) else f"{n}:e"


def rank_words(place: int, end: str) -> str:
    """ "högst", "näst högst", "3:e högst" (``end`` "högst" or "lägst")."""
    if place == 1:
        return end
    if place == 2:
        return f"{labels.RANK_SECOND} {end}"
    return f"{ordinal(place)} {end}"


def format_rank(rank: Rank) -> str:
    """Where the unit stands in words a reader cannot take for a prize: "högst av 11",
    "näst högst av 11", "3:e högst av 11", "lägst av 11", "näst lägst av 11" (counted
    from the nearer end, so the lower half from the bottom), "delad …" for a shared
    value, "… (1 redovisas inte)"; ``..`` (own value hidden), "uppgift saknas" or "–"
    (not ranked)."""
    if rank.state == "not_ranked":
        return labels.RANK_NOT_RANKED
    if rank.state == "hidden":
        return formatting.SUPPRESSED
    if rank.state == "missing":
        return formatting.MISSING
    assert rank.place is not None and rank.from_bottom is not None
    if rank.place <= rank.from_bottom:  # the nearer end; the middle from the top
        words = rank_words(rank.place, labels.RANK_HIGHEST)
    else:
        words = rank_words(rank.from_bottom, labels.RANK_LOWEST)
    text = labels.RANK_TEXT.format(words=words, of=rank.of)
    if rank.shared:
        text = labels.RANK_SHARED.format(text=text)
    if rank.hidden:
        text += labels.RANK_HIDDEN_OTHERS.format(hidden=rank.hidden)
    return text


def has_staff(indicators: pd.DataFrame, unit_id: str, year: int) -> bool:
    """Whether the unit had tillsvidareanställda in ``year``: a headcount above 0 or
    hidden as small. A unit without (formed on the last day of the year, or before
    it existed) has nothing to rank; a year without a headcount row says nothing."""
    cell = context.lookup(indicators, unit_id, "headcount", ALL, year)
    if cell is None:
        return True
    value, suppressed = cell
    return bool(suppressed) or (not formatting.is_missing(value) and float(value) > 0)


def district_cells(
    indicators: pd.DataFrame, units: pd.DataFrame, indicator: str, occupation: str, year: int
) -> dict[str, tuple[object, bool]]:
    """(value, suppressed) of every stadsdelsförvaltning for one cell, the values the
    districts are compared on. A district without staff that year has no value to
    compare ("uppgift saknas")."""
    districts = units[units["kind"] == DISTRICT]["unit_id"]
    return {
        u: (
            context.lookup(indicators, u, indicator, occupation, year)
            if has_staff(indicators, u, year)
            else None
        )
        or (None, False)
        for u in districts
    }


def unit_rank(
    indicators: pd.DataFrame,
    units: pd.DataFrame,
    unit_id: str,
    indicator: str,
    occupation: str,
    year: int,
) -> Rank:
    """The unit's place among the edition's stadsdelsförvaltningar for one cell."""
    cells = district_cells(indicators, units, indicator, occupation, year)
    return rank_among([(u, *c) for u, c in cells.items()], unit_id, indicator)


def key_figures_with_rank(
    indicators: pd.DataFrame, units: pd.DataFrame, unit_id: str, edition: int
) -> pd.DataFrame:
    """:func:`context.key_figures_table` plus the unit's place among the districts."""
    table = context.key_figures_table(indicators, unit_id, edition)
    present = set(indicators["indicator"].unique())
    rows = [(i, o) for i, o in context.KEY_FIGURES if i in present]
    table[labels.COL_RANK] = [
        format_rank(unit_rank(indicators, units, unit_id, i, o, edition)) for i, o in rows
    ]
    return table


# Measures a district's lead paragraph compares among the districts (headcount is size,
# not standing), in the key-figure table's order.
STANDING_MEASURES: tuple[str, ...] = (
    "turnover_rate",
    "consultants",
    "job_ads",
    "wait_days_mean",
    "cases_per_worker",
    "incidents_per_100",
    "staff_per_manager",
)


def _lower_subject(indicator: str) -> str:
    subject = labels.sentence_subject(indicator)
    return subject[0].lower() + subject[1:]


def standing_sentence(
    indicators: pd.DataFrame, units: pd.DataFrame, unit_id: str, edition: int
) -> str:
    """Where a stadsdelsförvaltning stands among the districts in the edition year, in
    words: the measures (:data:`STANDING_MEASURES`, ``alla``) on which its displayed value
    is the highest or the lowest (shared values say with whom), or that it is highest or
    lowest on none. Empty for a unit that is not a district."""
    districts = units[units["kind"] == DISTRICT]
    if unit_id not in set(districts["unit_id"]):
        return ""
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    present = set(indicators["indicator"].unique())
    ends: dict[str, list[str]] = {"high": [], "low": []}
    for indicator in STANDING_MEASURES:
        if indicator not in present:
            continue
        cells = district_cells(indicators, units, indicator, ALL, edition)
        rank = rank_among([(u, *c) for u, c in cells.items()], unit_id, indicator)
        for end, hit in (("high", rank.highest), ("low", rank.lowest)):
            if not hit:
                continue
            mine = formatting.displayed_value(indicator, float(cells[unit_id][0]))
            sharing = sorted(
                names[u]
                for u, (value, hidden) in cells.items()
                if u != unit_id
                and not hidden
                and not formatting.is_missing(value)
                and formatting.displayed_value(indicator, float(value)) == mine
            )
            text = _lower_subject(indicator)
            if sharing:
                text += labels.STANDING_SHARED.format(units=wording.name_units(sharing))
            ends[end].append(text)
    values = {
        "n": formatting.format_number(len(districts)),
        "place": names[unit_id],
        "year": edition,
        "high": formatting.join_list(ends["high"]),
        "low": formatting.join_list(ends["low"]),
    }
    if ends["high"] and ends["low"]:
        return labels.STANDING_BOTH.format(**values)
    if ends["high"]:
        return labels.STANDING_HIGH.format(**values)
    if ends["low"]:
        return labels.STANDING_LOW.format(**values)
    return labels.STANDING_NEITHER.format(**values)


def largest_change_sentence(indicators: pd.DataFrame, unit_id: str, edition: int) -> str:
    """The unit's largest change since the year before among the
    :data:`STANDING_MEASURES` that do not grow with the unit's size (rates and averages,
    not counts: one consultant more is +50 % of two), by its size relative to the year
    before, both values as displayed and published; the change in the measure's own
    unit. Empty when no measure can be compared (hidden, missing or zero the year
    before) or none changed."""
    best: tuple[float, str] | None = None
    present = set(indicators["indicator"].unique())
    for indicator in STANDING_MEASURES:
        if indicator not in present or catalog.indicator(indicator).additive:
            continue
        now = context.lookup(indicators, unit_id, indicator, ALL, edition)
        before = context.lookup(indicators, unit_id, indicator, ALL, edition - 1)
        if (
            not now
            or not before
            or now[1]
            or before[1]
            or formatting.is_missing(now[0])
            or formatting.is_missing(before[0])
        ):
            continue
        shown_now = formatting.displayed_value(indicator, float(now[0]))
        shown_before = formatting.displayed_value(indicator, float(before[0]))
        if shown_before == 0 or shown_now == shown_before:
            continue
        size = abs(float((shown_now - shown_before) / shown_before))
        if best is None or size > best[0]:
            best = (size, indicator)
    if best is None:
        return ""
    indicator = best[1]
    now = context.lookup(indicators, unit_id, indicator, ALL, edition)
    before = context.lookup(indicators, unit_id, indicator, ALL, edition - 1)
    return labels.LARGEST_CHANGE.format(
        previous_year=edition - 1,
        year=edition,
        measure=_lower_subject(indicator),
        value=formatting.format_indicator(indicator, now[0]),
        previous=formatting.format_indicator(indicator, before[0]),
        change=formatting.format_displayed_change(indicator, now[0], before[0]),
    )


# ---------------------------------------------------------------------------
# Trends against the city


@dataclass(frozen=True)
class UnitTrend:
    """One area's series of a unit with the city's as reference."""

    area: str
    indicator: str
    place: str  # the unit's name
    unit_series: pd.DataFrame  # year, occupation ('alla'), value, suppressed
    city_series: pd.DataFrame  # the same for the city
    first_year: int
    edition: int

    @property
    def additive(self) -> bool:
        return catalog.indicator(self.indicator).additive

    @property
    def has_data(self) -> bool:
        """True when the unit has at least one published value of the indicator."""
        frame = self.unit_series
        return bool((frame["value"].notna() & ~frame["suppressed"].astype(bool)).any())

    @property
    def hidden_years(self) -> list[int]:
        frame = self.unit_series
        return sorted(int(y) for y in frame.loc[frame["suppressed"].astype(bool), "year"])

    def city_cell(self) -> context.Cell | None:
        rows = self.city_series[self.city_series["year"] == self.edition]
        if rows.empty:
            return None
        row = rows.iloc[0]
        value = None if formatting.is_missing(row["value"]) else float(row["value"])
        return value, bool(row["suppressed"])


def unit_trend(
    indicators: pd.DataFrame,
    area: str,
    indicator: str,
    unit_id: str,
    place: str,
    first_year: int,
    edition: int,
) -> UnitTrend:
    """The unit's and the city's 'alla' series of ``indicator`` from ``first_year`` to
    ``edition``."""
    return unit_trends(indicators, ((area, indicator),), unit_id, place, first_year, edition)[
        indicator
    ]


SERIES_COLUMNS = ["year", "occupation", "value", "suppressed"]


def unit_trends(
    indicators: pd.DataFrame,
    trends: Iterable[tuple[str, str]],
    unit_id: str,
    place: str,
    first_year: int,
    edition: int,
) -> dict[str, UnitTrend]:
    """:func:`unit_trend` of every (area, indicator) of ``trends``, by indicator. The
    unit's and the city's 'alla' rows in the years are picked from the table once and
    split by indicator, instead of a pass over the whole table per series."""
    trends = list(trends)
    wanted = {indicator for _, indicator in trends}
    keep = (
        indicators["unit_id"].isin([unit_id, context.CITY_ID])
        & (indicators["occupation"] == ALL)
        & indicators["year"].between(first_year, edition)
        & indicators["indicator"].isin(wanted)
    )
    rows = indicators.loc[keep].sort_values("year", kind="stable")
    positions: dict[tuple[str, str], list[int]] = {}
    for position, key in enumerate(
        zip(rows["unit_id"].tolist(), rows["indicator"].tolist(), strict=True)
    ):
        positions.setdefault(key, []).append(position)
    rows = rows[SERIES_COLUMNS]

    def series(unit: str, indicator: str) -> pd.DataFrame:
        return rows.iloc[positions.get((unit, indicator), [])].reset_index(drop=True)

    return {
        indicator: UnitTrend(
            area,
            indicator,
            place,
            series(unit_id, indicator),
            series(context.CITY_ID, indicator),
            first_year,
            edition,
        )
        for area, indicator in trends
    }


# ---------------------------------------------------------------------------
# The unit page's context


@dataclass(frozen=True)
class UnitReport:
    unit_id: str
    unit_name: str
    kind: str
    edition: int
    first_year: int
    base: context.UnitContext  # the turnover chart, tables and glue of context.for_unit
    key_figures: pd.DataFrame  # Swedish strings, with the place among the districts
    trends: dict[str, UnitTrend]  # by indicator
    glue_values: dict[str, str] = field(default_factory=dict)

    @property
    def download_prefix(self) -> str:
        return self.base.download_prefix

    @property
    def shown_cells(self) -> frozenset[ShownCell]:
        """The unit's own cells the page shows, its trend charts' included (the base
        context's: its notes are about these)."""
        return self.base.shown_cells


def for_unit(unit_id: str, edition: int, results_dir: str | Path) -> UnitReport:
    """Everything the unit template shows, for one edition unit.

    Glue keys: those of :func:`context.for_unit`, plus ``rank_note`` (what the place
    means, and for a fackförvaltning that it is not ranked)."""
    base = context.for_unit(unit_id, edition, results_dir)
    results_dir, meta = context.open_results(results_dir, edition)
    units = context.read_units(results_dir)
    wanted = {i for _, i in UNIT_TRENDS} | {i for i, _ in context.KEY_FIGURES}
    indicators = context.read_indicators(results_dir)
    indicators = indicators[indicators["indicator"].isin(wanted)].reset_index(drop=True)
    trends = unit_trends(
        indicators, UNIT_TRENDS, unit_id, base.unit_name, meta.first_year, meta.edition
    )
    glue_values = dict(base.glue_values)
    glue_values["rank_note"] = labels.RANK_NOTE + (
        " " + labels.RANK_NOTE_NOT_RANKED if base.kind != DISTRICT else ""
    )
    glue_values["standing_sentence"] = " ".join(
        part
        for part in (
            standing_sentence(indicators, units, unit_id, meta.edition),
            largest_change_sentence(indicators, unit_id, meta.edition),
        )
        if part
    )
    return UnitReport(
        unit_id=unit_id,
        unit_name=base.unit_name,
        kind=base.kind,
        edition=meta.edition,
        first_year=meta.first_year,
        base=base,
        key_figures=key_figures_with_rank(indicators, units, unit_id, meta.edition),
        trends=trends,
        glue_values=glue_values,
    )
