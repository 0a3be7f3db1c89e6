"""Förvaltningarna i överblick (``stad/overblick``): every unit against every key
indicator of the edition year, coloured by how far it is from the city.

The distance is taken between the values as displayed, relative to the city's, and
turned so that a positive distance is better for the social workers (higher turnover
is worse, a higher response rate better: the catalogue's direction,
:func:`higher_is_worse`). Five classes, from
"mycket sämre" to "mycket bättre", with a colour-blind-safe diverging palette (PuOr);
hidden (``..``) and missing values are a class of their own and never coloured as a
distance. Units are sorted with the hardest-hit first: most measures worse than the
city, then most much worse, then the lowest mean distance.

Two units side by side: a Vega-Lite chart whose two selection parameters are bound to
drop-down lists, so the comparison works in the static page, offline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import altair as alt
import pandas as pd

from . import catalog, charts, context, formatting, labels, templating, wording
from .catalog import ALL
from .layout import OVERVIEW_COLUMNS

NEAR, FAR = Decimal("0.05"), Decimal("0.20")  # relative distance: within 5 %, over 20 %
WORSE_CLASSES = ("much_worse", "worse")
# PuOr (ColorBrewer, colour-blind safe): orange is worse than the city, purple better.
CLASS_COLOURS = {
    "much_worse": ("#b35806", "#ffffff"),
    "worse": ("#fdb863", "#000000"),
    "near": ("#f7f7f7", "#000000"),
    "better": ("#b2abd2", "#000000"),
    "much_better": ("#542788", "#ffffff"),
    "uncompared": ("#ffffff", "#000000"),
    "hidden": ("#ffffff", "#4d4d4d"),
    "missing": ("#ffffff", "#4d4d4d"),
    "city": ("#e6e6e6", "#000000"),
}
CHART_CLASSES = (
    "much_worse",
    "worse",
    "near",
    "better",
    "much_better",
    "hidden",
    "missing",
    "uncompared",
    "city",
)


def distance(indicator: str, value: float, city: float) -> Decimal | None:
    """Relative distance from the city between displayed values, positive = better;
    None when the city's displayed value is 0 (no relative distance)."""
    shown = formatting.displayed_value(indicator, value)
    base = formatting.displayed_value(indicator, city)
    if base == 0:
        return None
    relative = (shown - base) / abs(base)
    return -relative if higher_is_worse(indicator) else relative


def higher_is_worse(indicator: str) -> bool:
    """The direction of an overview column (:data:`uppfoljning.layout.OVERVIEW_COLUMNS`),
    the catalogue's: a column must have one, or it could not be coloured better or
    worse."""
    worse = catalog.indicator(indicator).higher_is_worse
    if worse is None:
        raise ValueError(f"the overview's column {indicator!r} has no direction in the catalogue")
    return worse


def classify(score: Decimal | None) -> str:
    """much_worse (more than 20 % worse), worse (over 5 %), near (within 5 %), better,
    much_better; uncompared without a score."""
    if score is None:
        return "uncompared"
    if score < -FAR:
        return "much_worse"
    if score < -NEAR:
        return "worse"
    if score <= NEAR:
        return "near"
    return "better" if score <= FAR else "much_better"


@dataclass(frozen=True)
class OverviewCell:
    text: str  # as displayed: "16,8 %", "..", "uppgift saknas"
    kind: str  # a class of CHART_CLASSES
    score: Decimal | None = None


def cell_text(indicator: str, cell: context.Cell | None) -> str:
    """A cell as the overview prints it: as on every page, but days without the word
    "dagar" (the column's heading names the unit, so the table fits the column)."""
    shown = catalog.indicator(indicator)
    if shown.display == catalog.DAYS and cell is not None and not cell[1]:
        return formatting.format_number(cell[0], shown.decimals)
    return context.format_cell(indicator, cell)


def overview_cells(
    indicators: pd.DataFrame, units: pd.DataFrame, edition: int, measures: tuple[str, ...]
) -> dict[tuple[str, str], OverviewCell]:
    """(unit_id, indicator) -> cell of every edition unit and the city ('alla')."""
    cells: dict[tuple[str, str], OverviewCell] = {}
    for indicator in measures:
        city = context.lookup(indicators, context.CITY_ID, indicator, ALL, edition)
        city_shown = city is not None and not city[1] and city[0] is not None
        cells[(context.CITY_ID, indicator)] = OverviewCell(cell_text(indicator, city), "city")
        for unit_id in units["unit_id"]:
            cell = context.lookup(indicators, unit_id, indicator, ALL, edition)
            text = cell_text(indicator, cell)
            if cell is not None and cell[1]:
                cells[(unit_id, indicator)] = OverviewCell(text, "hidden")
            elif cell is None or cell[0] is None:
                cells[(unit_id, indicator)] = OverviewCell(text, "missing")
            elif not city_shown:
                cells[(unit_id, indicator)] = OverviewCell(text, "uncompared")
            else:
                score = distance(indicator, cell[0], city[0])
                cells[(unit_id, indicator)] = OverviewCell(text, classify(score), score)
    return cells


@dataclass(frozen=True)
class UnitStanding:
    unit_id: str
    name: str
    worse: int  # measures worse than the city (either worse class)
    much_worse: int
    shown: int  # measures compared with the city
    mean_score: Decimal | None


def standings(
    cells: dict[tuple[str, str], OverviewCell], units: pd.DataFrame, measures: tuple[str, ...]
) -> list[UnitStanding]:
    """Every edition unit, the hardest-hit first (most measures worse than the city,
    then most much worse, then the lowest mean distance, then by name); a unit whose
    values are all hidden keeps its row, last."""
    result = []
    for unit_id, name in zip(units["unit_id"], units["name"], strict=True):
        own = [cells[(unit_id, m)] for m in measures]
        scores = [c.score for c in own if c.score is not None]
        result.append(
            UnitStanding(
                unit_id,
                name,
                sum(c.kind in WORSE_CLASSES for c in own),
                sum(c.kind == "much_worse" for c in own),
                len(scores),
                sum(scores) / len(scores) if scores else None,
            )
        )
    return sorted(
        result,
        key=lambda s: (
            -s.worse,
            -s.much_worse,
            s.shown == 0,
            s.mean_score if s.mean_score is not None else 0,
            s.name,
        ),
    )


def hardest_sentence(ranked: list[UnitStanding], edition: int) -> str:
    """Who has the most measures worse than the city (every unit sharing it named)."""
    if not ranked or ranked[0].worse == 0:
        return labels.OVERVIEW_HARDEST_NONE.format(year=edition)
    top = [s for s in ranked if s.worse == ranked[0].worse]
    shown = {s.shown for s in top}
    return labels.OVERVIEW_HARDEST.format(
        year=edition,
        units=wording.name_units(sorted(s.name for s in top)),
        worse=ranked[0].worse,
        shown=shown.pop() if len(shown) == 1 else max(shown),
    )


# ---------------------------------------------------------------------------
# The table (HTML: works without JavaScript, prints, scrolls sideways on a phone)


def _header(indicator: str) -> dict[str, str]:
    """A measure's column heading: short name, full name (title) and direction."""
    direction = (
        labels.OVERVIEW_HIGHER_WORSE
        if higher_is_worse(indicator)
        else labels.OVERVIEW_HIGHER_BETTER
    )
    return {
        "short": labels.OVERVIEW_SHORT[indicator],
        "direction": direction,
        "title": labels.indicator_label(indicator).name,
    }


@dataclass(frozen=True, eq=False)
class OverviewTable:
    """Rows: the city, then the units hardest-hit first; a cell's class colours it, a
    visually hidden text says the same to a screen reader."""

    rows: list[tuple[str, str, list[OverviewCell], str]]  # (unit_id, name, cells, worse)
    measures: tuple[str, ...]

    def to_html(self) -> str:
        rows = [
            {
                "unit_id": unit_id,
                "name": name,
                "worse": worse,
                "city": unit_id == context.CITY_ID,
                "cells": [
                    {
                        "kind": cell.kind,
                        "text": cell.text,
                        "said": (
                            None
                            if cell.kind in ("city", "hidden", "missing")
                            else labels.OVERVIEW_CLASSES[cell.kind]
                        ),
                    }
                    for cell in cells
                ],
            }
            for unit_id, name, cells, worse in self.rows
        ]
        legend = [
            (kind, labels.OVERVIEW_CLASSES[kind])
            for kind in ("much_worse", "worse", "near", "better", "much_better")
        ]
        return templating.render(
            "overview.html",
            unit_heading=labels.COL_UNIT,
            worse_heading=labels.OVERVIEW_COL_WORSE,
            measures=[_header(m) for m in self.measures],
            rows=rows,
            legend=legend,
        )

    def _repr_html_(self) -> str:
        return self.to_html()


def overview_table(
    cells: dict[tuple[str, str], OverviewCell],
    ranked: list[UnitStanding],
    measures: tuple[str, ...],
) -> OverviewTable:
    rows = [
        (context.CITY_ID, labels.LEGEND_CITY, [cells[(context.CITY_ID, m)] for m in measures], "")
    ]
    rows += [
        (
            s.unit_id,
            s.name,
            [cells[(s.unit_id, m)] for m in measures],
            labels.OVERVIEW_WORSE_COUNT.format(worse=s.worse, shown=s.shown),
        )
        for s in ranked
    ]
    return OverviewTable(rows, measures)


# ---------------------------------------------------------------------------
# Two units side by side (Vega-Lite parameters bound to drop-down lists)


def comparison_rows(
    cells: dict[tuple[str, str], OverviewCell],
    ranked: list[UnitStanding],
    measures: tuple[str, ...],
) -> pd.DataFrame:
    """unit, measure, order, text, class (Swedish) of every unit and the city."""
    rows = []
    for unit_id, name in [(s.unit_id, s.name) for s in ranked] + [
        (context.CITY_ID, labels.LEGEND_CITY)
    ]:
        for order, measure in enumerate(measures):
            cell = cells[(unit_id, measure)]
            rows.append(
                {
                    "unit": name,
                    "is_city": unit_id == context.CITY_ID,
                    "measure": labels.OVERVIEW_SHORT[measure],
                    "order": order,
                    "text": cell.text,
                    "class": labels.OVERVIEW_CLASSES[cell.kind],
                }
            )
    return pd.DataFrame(rows)


SWEDISH_LAST = str.maketrans(
    {"Å": "ZZ1", "Ä": "ZZ2", "Ö": "ZZ3", "å": "zz1", "ä": "zz2", "ö": "zz3"}
)


def swedish_order(name: str) -> str:
    """Sort key putting å, ä, ö after z, as a Swedish list does."""
    return name.translate(SWEDISH_LAST).casefold()


def plot_two_units(
    rows: pd.DataFrame, first: str, second: str, year: int, download_name: str
) -> alt.LayerChart:
    """Two units chosen in drop-down lists and the city, one column each, a row per
    measure: the value printed in a cell coloured by its distance from the city."""
    names = sorted(dict.fromkeys(rows.loc[~rows["is_city"], "unit"]), key=swedish_order)
    pick1 = alt.param(
        name="forvaltning1",
        value=first,
        bind=alt.binding_select(options=names, name=labels.OVERVIEW_PICK_FIRST),
    )
    pick2 = alt.param(
        name="forvaltning2",
        value=second,
        bind=alt.binding_select(options=names, name=labels.OVERVIEW_PICK_SECOND),
    )
    present = set(rows["class"])
    kinds = [k for k in CHART_CLASSES if labels.OVERVIEW_CLASSES[k] in present]
    domain = [labels.OVERVIEW_CLASSES[k] for k in kinds]
    colours = [CLASS_COLOURS[k][0] for k in kinds]
    dark = [labels.OVERVIEW_CLASSES[k] for k in CHART_CLASSES if CLASS_COLOURS[k][1] == "#ffffff"]
    measures = list(dict.fromkeys(rows.sort_values("order")["measure"]))
    base = (
        alt.Chart(rows)
        .transform_filter(
            "datum.is_city || datum.unit == forvaltning1 || datum.unit == forvaltning2"
        )
        .transform_calculate(column="datum.is_city ? 2 : (datum.unit == forvaltning1 ? 0 : 1)")
        .encode(
            x=alt.X(
                "unit:N",
                title=None,
                sort=alt.EncodingSortField("column"),
                axis=alt.Axis(orient="top", labelAngle=0, labelLimit=150, labelFontWeight="bold"),
            ),
            y=alt.Y("measure:N", title=None, sort=measures, axis=alt.Axis(labelLimit=220)),
        )
    )
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=2).encode(
        color=alt.Color(
            "class:N",
            scale=alt.Scale(domain=domain, range=colours),
            legend=alt.Legend(
                title=None,
                orient="bottom",
                columns=1,
                labelLimit=400,
                symbolStrokeColor="#8c8c8c",
                symbolStrokeWidth=1,
            ),
        ),
        tooltip=[
            alt.Tooltip("unit:N", title=labels.COL_UNIT),
            alt.Tooltip("measure:N", title=labels.OVERVIEW_AXIS_MEASURE),
            alt.Tooltip("text:N", title=labels.COL_VALUE),
            alt.Tooltip("class:N", title=labels.OVERVIEW_AXIS_MEASURE_CLASS),
        ],
    )
    text = base.mark_text(fontSize=12).encode(
        text=alt.Text("text:N"),
        color=alt.Color(
            condition={
                "test": alt.FieldOneOfPredicate(field="class", oneOf=dark),
                "value": "#ffffff",
            },
            value="#000000",
        ),
    )
    description = labels.OVERVIEW_COMPARE_DESCRIPTION.format(
        n=len(measures), year=year, first=first, second=second
    )
    return (
        alt.layer(cells, text)
        .add_params(pick1, pick2)
        .properties(
            title=charts.chart_title(
                labels.OVERVIEW_COMPARE_TITLE, labels.OVERVIEW_COMPARE_SUBTITLE.format(year=year)
            ),
            description=description,
            usermeta={
                "download_name": download_name,
                "download": charts.download_meta(
                    [
                        ("unit", labels.COL_UNIT),
                        ("measure", labels.OVERVIEW_AXIS_MEASURE),
                        ("text", labels.COL_VALUE),
                        ("class", labels.OVERVIEW_AXIS_MEASURE_CLASS),
                    ],
                    value="text",
                ),
            },
            width=charts.BAR_WIDTH,
            height=32 * len(measures),
        )
    )


# ---------------------------------------------------------------------------
# The page's context


@dataclass(frozen=True)
class OverviewContext:
    edition: int
    table: OverviewTable
    comparison: pd.DataFrame  # comparison_rows
    first: str  # the units the comparison opens with (the two hardest-hit)
    second: str
    unit_count: int
    glue_values: dict[str, str] = field(default_factory=dict)
    download_prefix: str = ""


def for_overview(edition: int, results_dir: str | Path) -> OverviewContext:
    """Förvaltningarna i överblick. Glue keys: ``overview_hardest`` (who has the most
    measures worse than the city), ``overview_units`` (how many units)."""
    results_dir, meta = context.open_results(results_dir, edition)
    units = context.read_units(results_dir)
    indicators = context.read_indicators(results_dir)
    present = set(indicators["indicator"])
    measures = tuple(m for m in OVERVIEW_COLUMNS if m in present)
    indicators = indicators[
        indicators["indicator"].isin(measures) & (indicators["year"] == meta.edition)
    ].reset_index(drop=True)
    cells = overview_cells(indicators, units, meta.edition, measures)
    ranked = standings(cells, units, measures)
    glue_values = {
        "edition": str(meta.edition),
        "overview_hardest": hardest_sentence(ranked, meta.edition),
        "overview_units": str(len(units)),
        "overview_columns": labels.OVERVIEW_COLUMNS_NOTE.format(
            year=meta.edition,
            columns="; ".join(
                f"{labels.OVERVIEW_SHORT[m]} = {lower_first(labels.indicator_label(m).name)}"
                for m in measures
            ),
        ),
        "suppression_note": labels.SUPPRESSION_NOTE.format(min_n=meta.min_n),
        "missing_note": labels.MISSING_NOTE,
    }
    names = [s.name for s in ranked]
    return OverviewContext(
        edition=meta.edition,
        table=overview_table(cells, ranked, measures),
        comparison=comparison_rows(cells, ranked, measures),
        first=names[0],
        second=names[1] if len(names) > 1 else names[0],
        unit_count=len(units),
        glue_values=glue_values,
        download_prefix=f"overblick-{meta.edition}",
    )


def lower_first(text: str) -> str:
    """ "Medarbetarenkät: aktivt medskapandeindex (AMI)" keeps its abbreviation."""
    return text[:1].lower() + text[1:]
