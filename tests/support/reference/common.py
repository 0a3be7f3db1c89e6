"""What every family of the reference shares: the edition's units (D9, D13), the rows
written out for every year x unit x occupation (D1, D2) and the published rounding."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

CITY = "stockholm"
CITY_NAME = "Stockholms stad"
OCCUPATIONS = ("socialsekreterare", "bistandshandlaggare")
ALLA = "alla"
ALL_OCCS = [*OCCUPATIONS, ALLA]
COLUMNS = [
    "edition",
    "year",
    "unit_id",
    "unit_name",
    "occupation",
    "indicator",
    "value",
    "suppressed",
]


# indicators.md, *The published table*: values are published rounded half up as the
# pages display them (a percentage's decimals counted on the fraction); kronor as
# delivered.
PUBLISHED_DECIMALS = {
    "headcount": 0,
    "reinforcement_staff_weeks": 0,
    "consultants": 0,
    "job_ads": 0,
    "incidents": 0,
    "turnover_rate": 3,
    "turnover_rate_external": 3,
    "turnover_rate_voluntary": 3,
    "survey_response_rate": 2,
    "wait_days_mean": 1,
    "wait_days_median": 1,
    "cases_per_worker": 1,
    "incidents_per_100": 1,
    "staff_per_manager": 1,
    "admin_fte_per_10": 1,
}


def as_published(indicator: str, value: float) -> float:
    """``value`` rounded half up to the decimals its indicator is published with."""
    if indicator.startswith("exit_reason_share_"):
        decimals = 2
    elif indicator == "consultant_cost_sek":
        return value
    elif indicator.startswith("survey_") and indicator not in PUBLISHED_DECIMALS:
        decimals = 1  # an index
    else:
        decimals = PUBLISHED_DECIMALS[indicator]
    if math.isnan(value):
        return value
    exact = Decimal(format(value, ".12g"))  # 12.45 / 100 is 0.12449999999999999
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def missing(x) -> bool:
    return x is None or x is pd.NaT or (isinstance(x, float) and math.isnan(x)) or pd.isna(x)


def date(x) -> dt.date | None:
    if missing(x):
        return None
    return pd.Timestamp(x).date()


def month_ends(year: int) -> list[dt.date]:
    ends = []
    for m in range(1, 13):
        first_next = dt.date(year + (m == 12), m % 12 + 1, 1)
        ends.append(first_next - dt.timedelta(days=1))
    return ends


def active(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    return start <= day and (end is None or end >= day)


def rows(frame):
    """Plain dicts, one per row."""
    return frame.to_dict("records")


class Units:
    def __init__(self, units: pd.DataFrame, edition: int):
        self.end = dt.date(edition, 12, 31)
        self.info = {}
        for r in rows(units):
            self.info[r["unit_id"]] = dict(
                name=r["name"],
                valid_from=date(r["valid_from"]),
                valid_to=date(r["valid_to"]),
                successor=None if missing(r["successor_id"]) else r["successor_id"],
            )
        self.edition_units = [u for u in self.info if self.valid_at_end(u)]

    def valid_at_end(self, u: str) -> bool:
        i = self.info[u]
        return i["valid_from"] <= self.end and (i["valid_to"] is None or i["valid_to"] >= self.end)

    def edition_unit(self, u: str) -> str | None:
        seen = set()
        while u is not None and u in self.info and u not in seen:
            if self.valid_at_end(u):
                return u
            seen.add(u)
            u = self.info[u]["successor"]
        return None

    def targets(self, u: str) -> list[str]:
        """Edition unit (if any) plus the city: where a row of source unit u counts."""
        e = self.edition_unit(u)
        return ([e] if e else []) + [CITY]

    def name(self, u: str) -> str:
        return CITY_NAME if u == CITY else self.info[u]["name"]


class Output:
    """The rows of one edition, as the families write them: accumulators keyed by
    ``(year, edition unit or city, occupation)`` (:meth:`bump`) written out for every
    year x unit x occupation (:meth:`emit_count`, :meth:`emit_ratio`)."""

    def __init__(self, tables, edition: int, min_n: int, first_year: int):
        self.edition = edition
        self.min_n = min_n
        self.units = Units(tables["units"], edition)
        self.all_units = self.units.edition_units + [CITY]
        self.year_range = range(first_year, edition + 1)
        self.out: list[dict] = []

    def add(self, indicator, year, unit, occ, value, suppressed=False):
        if suppressed:
            value = float("nan")
        self.out.append(
            dict(
                edition=self.edition,
                year=year,
                unit_id=unit,
                unit_name=self.units.name(unit),
                occupation=occ,
                indicator=indicator,
                value=float("nan") if value is None else float(value),
                suppressed=bool(suppressed),
            )
        )

    def emit_count(self, indicator, years, occs, acc, suppress):
        for y in sorted(years):
            for u in self.all_units:
                for o in occs:
                    n = acc.get((y, u, o), 0)
                    hide = suppress and 0 < n < self.min_n
                    self.add(indicator, y, u, o, n, hide)

    def emit_ratio(
        self, indicator, years, occs, num, den, base=None, suppress=True, telling_numerator=False
    ):
        """num/den; base (default den) drives 'empty when 0' and suppression. With
        ``telling_numerator`` a numerator of 1..min_n-1, or equal to the denominator,
        is suppressed too (exit-reason shares)."""
        base = den if base is None else base
        for y in sorted(years):
            for u in self.all_units:
                for o in occs:
                    b = base.get((y, u, o), 0)
                    d = den.get((y, u, o), 0)
                    if b == 0 or d == 0:
                        self.add(indicator, y, u, o, None, False)
                    elif suppress and b < self.min_n:
                        self.add(indicator, y, u, o, None, True)
                    elif telling_numerator and (
                        0 < num.get((y, u, o), 0) < self.min_n or num.get((y, u, o), 0) == d
                    ):
                        self.add(indicator, y, u, o, None, True)
                    else:
                        self.add(indicator, y, u, o, num.get((y, u, o), 0) / d, False)

    def bump(self, acc, y, unit_id, occ, amount):
        """Add ``amount`` of source unit ``unit_id`` to its edition unit and the city, for
        its occupation and ``alla`` (``occ`` None: ``alla`` only)."""
        for t in self.units.targets(unit_id):
            for o in [ALLA] if occ is None else [occ, ALLA]:
                acc[(y, t, o)] = acc.get((y, t, o), 0) + amount

    def frame(self) -> pd.DataFrame:
        """The published table: every row written, rounded as published."""
        result = pd.DataFrame(self.out, columns=COLUMNS)
        result["edition"] = result["edition"].astype(int)
        result["year"] = result["year"].astype(int)
        result["value"] = [
            as_published(i, v)
            for i, v in zip(result["indicator"], result["value"].astype(float), strict=True)
        ]
        result["suppressed"] = result["suppressed"].astype(bool)
        return result


def last_dates(out: Output, frame) -> dict:
    """{(year, source unit): last measured_on in year} of a point-in-time table (D4)."""
    last = {}
    for r in rows(frame):
        d = date(r["measured_on"])
        if d.year not in out.year_range:
            continue
        k = (d.year, r["unit_id"])
        if k not in last or d > last[k]:
            last[k] = d
    return last
