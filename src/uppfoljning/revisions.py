"""Revisions: published figures of earlier years that changed since the previous edition.

When ``OUT`` holds an earlier edition, its published ``data/indikatorer.csv`` is compared
with this edition's table for the same unit, occupation, indicator and year
(``../shared/spec/report.md``, the Revideringar appendix). Every difference is listed in
the appendix and in ``data/revideringar.csv`` (the columns of ``indikatorer.csv`` plus
``previous_edition`` and ``previous_value``), with the reason where it can be told from
the two tables:

- ``restated`` — the unit took over a unit that the previous edition still published on
  its own (a merger between the editions: its earlier years are counted anew);
- ``definition`` — (nearly) every comparable figure of the indicator changed: the
  definition or its computation changed, not a few delivered rows;
- ``delivery`` — otherwise: the supplier's delivery for that year was corrected.

Hidden cells are never revealed: a figure suppressed in either edition is listed without
values (``value`` and ``previous_value`` empty, ``suppressed`` true) and only when its
suppression changed; a figure suppressed in both is not compared at all.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import formatting, labels, templating
from .indicators import PUBLISHED_COLUMNS
from .units import CITY_ID

PUBLISHED_TABLE = Path("data") / "indikatorer.csv"
REVISIONS_TABLE = Path("data") / "revideringar.csv"
TABLE_COLUMNS = PUBLISHED_COLUMNS  # indikatorer.csv
COLUMNS = [*TABLE_COLUMNS, "previous_edition", "previous_value"]
KEY = ["unit_id", "occupation", "indicator", "year"]
RESTATED, DEFINITION, DELIVERY = "restated", "definition", "delivery"
DEFINITION_SHARE = 0.9  # this share of an indicator's comparable figures changed ...
DEFINITION_MIN = 3  # ... and at least this many: a changed definition


@dataclass(frozen=True)
class Revisions:
    previous_edition: int | None  # None: no earlier edition in OUT
    table: pd.DataFrame  # COLUMNS + "reason"

    def __len__(self) -> int:
        return len(self.table)


def previous_edition(out_dir: Path, edition: int) -> int | None:
    """The newest edition before ``edition`` that ``OUT`` holds with its published table."""
    if not out_dir.is_dir():
        return None
    years = [
        int(p.name)
        for p in out_dir.iterdir()
        if p.is_dir()
        and p.name.isdigit()
        and len(p.name) == 4
        and int(p.name) < edition
        and (p / PUBLISHED_TABLE).is_file()
    ]
    return max(years, default=None)


def read_published(path: Path | io.BytesIO) -> pd.DataFrame:
    """An edition's ``indikatorer.csv`` (a path or its bytes) as typed columns
    (suppressed as bool)."""
    table = pd.read_csv(
        path,
        dtype={
            "unit_id": str,
            "occupation": str,
            "indicator": str,
            "unit_name": str,
            "suppressed": str,
        },
        keep_default_na=False,
        na_values={"value": [""]},
    )
    table["suppressed"] = table["suppressed"].str.lower().eq("true")
    table["value"] = pd.to_numeric(table["value"], errors="coerce")
    return table


def _same(a: float, b: float) -> bool:
    if pd.isna(a) or pd.isna(b):
        return pd.isna(a) and pd.isna(b)
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def compare(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    previous_edition: int,
    restated_units: frozenset[str] | set[str] = frozenset(),
) -> pd.DataFrame:
    """The figures of years up to ``previous_edition`` that differ between the previous
    edition's published table and this one's (both with the columns of
    ``indikatorer.csv``), with a ``reason``. Inputs are not changed."""
    old = previous[previous["year"] <= previous_edition][[*KEY, "value", "suppressed"]]
    # An earlier edition may have printed full precision: compare (and show) its values
    # rounded as this edition displays them, so rounding alone is no revision and no
    # full-precision value is published again.
    old = old.assign(value=formatting.round_indicator_values(old["indicator"], old["value"]))
    new = current[current["year"] <= previous_edition]
    new = new.assign(value=formatting.round_indicator_values(new["indicator"], new["value"]))
    both = new[TABLE_COLUMNS].merge(
        old.rename(columns={"value": "previous_value", "suppressed": "previous_suppressed"}),
        on=KEY,
        how="inner",
    )
    rows = []
    for row in both.itertuples(index=False):
        hidden_now, hidden_before = bool(row.suppressed), bool(row.previous_suppressed)
        now = math.nan if hidden_now else float(row.value)
        before = math.nan if hidden_before else float(row.previous_value)
        if hidden_now or hidden_before:
            if hidden_now and hidden_before:
                continue
            values = (math.nan, math.nan)  # never show what either edition hid
        elif _same(now, before):
            continue
        else:
            values = (now, before)
        rows.append(
            {
                **{c: getattr(row, c) for c in TABLE_COLUMNS},
                "value": values[0],
                "suppressed": hidden_now or hidden_before,
                "previous_edition": previous_edition,
                "previous_value": values[1],
                "_comparable": not (hidden_now or hidden_before),
            }
        )
    changed = pd.DataFrame(rows, columns=[*COLUMNS, "_comparable"])
    if changed.empty:
        return changed.drop(columns="_comparable").assign(reason=pd.Series(dtype=str))
    # how many comparable figures each indicator has in both editions
    published = both[~both["suppressed"].astype(bool) & ~both["previous_suppressed"].astype(bool)]
    totals = published.groupby("indicator").size()
    changes = changed[changed["_comparable"]].groupby("indicator").size()
    by_definition = {
        i
        for i, n in changes.items()
        if n >= DEFINITION_MIN and n >= DEFINITION_SHARE * totals.get(i, n)
    }
    changed["reason"] = [
        RESTATED
        if unit in restated_units
        else DEFINITION
        if indicator in by_definition
        else DELIVERY
        for unit, indicator in zip(changed["unit_id"], changed["indicator"], strict=True)
    ]
    return (
        changed.drop(columns="_comparable")
        .sort_values(["year", "indicator", "unit_id", "occupation"], kind="stable")
        .reset_index(drop=True)
    )


def restated_units(previous: pd.DataFrame, units: pd.DataFrame) -> set[str]:
    """This edition's units that took over a unit the previous edition published: a unit
    with a reorganisation note while some unit of the previous edition is gone."""
    gone = set(previous["unit_id"]) - set(units["unit_id"]) - {CITY_ID}
    if not gone:
        return set()
    notes = units.set_index("unit_id")["reorganisation_note"].fillna("")
    return {unit for unit, note in notes.items() if note}


def find_revisions(
    out_dir: Path,
    edition: int,
    current: pd.DataFrame,
    units: pd.DataFrame,
    earlier: Mapping[int, bytes] | None = None,
) -> Revisions:
    """The revisions of this edition's table ``current`` against the newest earlier
    edition in ``out_dir`` (``units``: the edition's units with reorganisation_note).
    ``earlier``: published tables (``indikatorer.csv`` bytes, by edition) of the same
    run's editions, standing in for their folders in ``out_dir``."""
    earlier = earlier or {}
    candidates = [
        year
        for year in (previous_edition(out_dir, edition), *earlier)
        if year is not None and year < edition
    ]
    previous_year = max(candidates, default=None)
    if previous_year is None:
        return Revisions(None, pd.DataFrame(columns=[*COLUMNS, "reason"]))
    previous = read_published(
        io.BytesIO(earlier[previous_year])
        if previous_year in earlier
        else out_dir / str(previous_year) / PUBLISHED_TABLE
    )
    return Revisions(
        previous_year, compare(previous, current, previous_year, restated_units(previous, units))
    )


def to_csv_text(revisions: Revisions) -> str:
    """``data/revideringar.csv``: UTF-8, comma-separated, full precision, the columns of
    ``indikatorer.csv`` plus previous_edition and previous_value."""
    from .indicators import format_value

    out = revisions.table[COLUMNS].copy()
    out["value"] = out["value"].map(format_value)
    out["previous_value"] = out["previous_value"].map(format_value)
    out["suppressed"] = out["suppressed"].map(lambda s: "true" if s else "false")
    return out.to_csv(index=False, lineterminator="\n")


def summary(revisions: Revisions) -> str | None:
    """The line the build prints (English, for the person running it)."""
    if revisions.previous_edition is None:
        return None
    return (
        f"revisions: {len(revisions)} published figure(s) of earlier years changed since "
        f"the {revisions.previous_edition} edition (bilagor/revideringar.html, "
        f"{REVISIONS_TABLE.as_posix()})"
    )


def fragment(revisions: Revisions, edition: int) -> str:
    """The Revideringar appendix's generated part (HTML, in Swedish)."""
    from .site import html_table

    download = {"download": REVISIONS_TABLE.as_posix(), "download_label": labels.REVISIONS_DOWNLOAD}
    if revisions.previous_edition is None:
        return templating.render(
            "revisions.html", intro=labels.REVISIONS_NONE_EARLIER, table=None, download=None
        )
    previous = revisions.previous_edition
    if not len(revisions):
        return templating.render(
            "revisions.html",
            table=None,
            **download,
            intro=labels.REVISIONS_NONE.format(previous=previous),
        )
    table = revisions.table

    def shown(indicator: str, value: float, hidden: bool) -> str:
        if hidden:
            return formatting.SUPPRESSED
        return formatting.format_indicator(indicator, value)

    frame = pd.DataFrame(
        {
            labels.COL_YEAR: table["year"].astype(int).astype(str),
            labels.COL_UNIT: table["unit_name"],
            labels.COL_OCCUPATION: table["occupation"].map(lambda o: labels.OCCUPATIONS.get(o, o)),
            labels.COL_INDICATOR: table["indicator"].map(lambda i: labels.indicator_label(i).name),
            labels.REVISIONS_COL_PREVIOUS.format(previous=previous): [
                shown(i, v, h)
                for i, v, h in zip(
                    table["indicator"], table["previous_value"], table["suppressed"], strict=True
                )
            ],
            labels.REVISIONS_COL_NOW.format(edition=edition): [
                shown(i, v, h)
                for i, v, h in zip(
                    table["indicator"], table["value"], table["suppressed"], strict=True
                )
            ],
            labels.REVISIONS_COL_REASON: table["reason"].map(labels.REVISION_REASONS),
        }
    )
    intro = labels.REVISIONS_INTRO.format(
        count=formatting.format_number(len(table)), previous=previous
    )
    return templating.render(
        "revisions.html", intro=intro, table=templating.Markup(html_table(frame)), **download
    )
