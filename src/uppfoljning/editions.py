"""Which edition years a delivery supports (indicators.md, *Edition, units and restated
series*): from the year of the first dated row to the last complete year, the year of
the latest day any dated row reaches, less one unless that day is 31 December. The
validity dates of ``units`` are not observations and do not count."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from .contract import DATE, MONTH, TABLES, YEAR
from .errors import UsageError
from .loading import Delivery


def _period_bounds(values: pd.Series, kind: str) -> tuple[pd.Series, pd.Series]:
    """The first and the last day each cell's date, month or year covers (raw text or
    typed values alike; cells that do not parse are left out)."""
    text = values.dropna().astype(str)
    if kind == DATE:
        days = pd.to_datetime(text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
        return days, days
    if kind == MONTH:
        months = pd.to_datetime(text.str.slice(0, 7), format="%Y-%m", errors="coerce")
        return months, months + pd.offsets.MonthEnd(0)
    years = pd.to_numeric(text, errors="coerce").dropna()
    years = years[(years >= 1) & (years <= 9999) & (years == years.round())].astype(int)
    first = pd.to_datetime(years.astype(str).str.zfill(4) + "-01-01", errors="coerce")
    return first, first + pd.offsets.YearEnd(0)


@dataclass(frozen=True)
class DataSpan:
    """The first and the last day any dated row of a delivery reaches."""

    first_day: pd.Timestamp
    last_day: pd.Timestamp

    @property
    def first_year(self) -> int:
        return int(self.first_day.year)

    @property
    def last_complete_year(self) -> int:
        last = self.last_day
        return int(last.year) if (last.month, last.day) == (12, 31) else int(last.year) - 1

    def supported(self) -> range:
        """The edition years this delivery supports (may be empty)."""
        return range(self.first_year, self.last_complete_year + 1)


def data_span(frames: Mapping[str, pd.DataFrame]) -> DataSpan | None:
    """The span of the dated rows of ``frames`` (table name -> frame), or None if no
    dated cell can be read."""
    first = last = None
    for table, frame in frames.items():
        if table == "units" or table not in TABLES:
            continue  # validity dates are not observations
        for column in TABLES[table].columns:
            if column.kind not in (DATE, MONTH, YEAR) or column.name not in frame:
                continue
            starts, ends = _period_bounds(frame[column.name], column.kind)
            low, high = starts.min(), ends.max()
            if pd.notna(low) and (first is None or low < first):
                first = low
            if pd.notna(high) and (last is None or high > last):
                last = high
    if first is None or last is None:
        return None
    return DataSpan(first, last)


def _years_text(years: range) -> str:
    if not years:
        return "none"
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def check_year_in_span(span: DataSpan | None, edition: int) -> None:
    """Raise UsageError (exit 2) unless the delivery supports edition ``edition``."""
    if span is None:
        raise UsageError(
            f"--year {edition}: the delivery has no dated rows, so it supports no edition"
        )
    years = span.supported()
    if edition in years:
        return
    if edition > span.last_complete_year:
        why = (
            f"its data end on {span.last_day:%Y-%m-%d}, so {span.last_complete_year} is "
            "its last complete year"
        )
    else:
        why = f"its data begin on {span.first_day:%Y-%m-%d}"
    raise UsageError(
        f"--year {edition} is outside the editions this delivery supports "
        f"({_years_text(years)}): {why}"
    )


def check_edition_year(delivery: Delivery, edition: int) -> None:
    """Refuse an edition before the delivery's first data or after its last complete
    year (an open spell says nothing about the years after the delivery)."""
    check_year_in_span(data_span(delivery.tables), edition)
