"""What every part of the demo shares: the period it covers, the two occupations, the
column order of every table, and calendar helpers."""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..contract import OCCUPATIONS, TABLES

FIRST_DAY = dt.date(2016, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
EARLIEST_START = dt.date(2007, 1, 1)
YEARS = tuple(range(2016, 2025))

SS, BH = OCCUPATIONS  # socialsekreterare, bistandshandlaggare

# Column order of every table as written: the contract's order (data-contract.md).
DEMO_TABLES: dict[str, tuple[str, ...]] = {
    name: tuple(column.name for column in table.columns) for name, table in TABLES.items()
}


def month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def months() -> list[tuple[int, int]]:
    return [(y, m) for y in YEARS for m in range(1, 13)]


def random_day(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    span = (last - first).days
    return first + dt.timedelta(days=int(rng.integers(0, span + 1)))


def iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
