"""Which edition years a delivery supports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .contract import DATE, MONTH, TABLES, YEAR
from .errors import UsageError
from .loading import Delivery, read_delivery


def _period_ends(values: pd.Series, kind: str) -> pd.Series:
    """The last day each cell's date, month or year reaches."""
    text = values.dropna().astype(str)
    if kind == DATE:
        return pd.to_datetime(text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    if kind == MONTH:
        months = pd.to_datetime(text.str.slice(0, 7), format="%Y-%m", errors="coerce")
        return months + pd.offsets.MonthEnd(0)
    years = pd.to_numeric(text, errors="coerce").dropna().astype(int)
    return pd.to_datetime(years.astype(str) + "-12-31", errors="coerce")


def last_complete_year(data_dir: Path | str) -> int:
    """The last complete calendar year in the data: the year of the latest day any dated
    row reaches (a month row reaches its last day, a year row 31 December), minus one
    unless that day is 31 December."""
    raw = read_delivery(data_dir)
    latest = None
    for table, frame in raw.frames.items():
        for column in TABLES[table].columns:
            if column.kind not in (DATE, MONTH, YEAR) or column.name not in frame:
                continue
            if table == "units":
                continue  # validity dates are not observations
            ends = _period_ends(frame[column.name], column.kind).max()
            if pd.notna(ends) and (latest is None or ends > latest):
                latest = ends
    if latest is None:
        raise UsageError(f"cannot tell the edition year from {data_dir}; give --year")
    return int(latest.year) if (latest.month, latest.day) == (12, 31) else int(latest.year) - 1


def check_edition_year(delivery: Delivery, edition: int) -> None:
    spells = delivery.tables["employments"]
    first = spells["start_date"].min()
    if pd.isna(first) or edition < first.year:
        raise UsageError(f"--year {edition} is before the first data in the delivery")
