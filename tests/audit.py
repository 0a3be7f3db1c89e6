"""An outsider's audit of published ``indikatorer.csv`` tables, written apart from
``uppfoljning.disclosure`` (it shares no code with it) from indicators.md alone.

The reader knows, per year: ``alla`` = socialsekreterare + bistandshandlaggare and the
city = the sum of the units (for every count and for the numerators and denominators
of rates); turnover rates = leavers / H with voluntary <= external <= all leavers;
incidents_per_100 = 100 x incidents / H_all with H <= H_all; a hidden count is above 0
(zeros are published). Cells of several editions of one archive with the same unit,
occupation, year and indicator are the same number (the editions here share their
units). For each hidden count the least and the largest value that agree with all of
that are computed by linear programming; for each hidden rate, those of its numerator
and denominator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

CITY = "stockholm"
PARTS = ("socialsekreterare", "bistandshandlaggare")
OCCUPATIONS = (*PARTS, "alla")
TURNOVER = ("turnover_rate", "turnover_rate_external", "turnover_rate_voluntary")
AUDITED = ("headcount", "incidents", *TURNOVER, "incidents_per_100")


@dataclass
class Leak:
    year: int
    unit_id: str
    occupation: str
    indicator: str
    low: float
    high: float


def _truthy(value) -> bool:
    return str(value).strip().lower() == "true"


def audit_tables(tables: list[pd.DataFrame], min_range: float = 2.0) -> tuple[int, list[Leak]]:
    """(number of hidden cells audited, leaks) over the given published tables."""
    table = pd.concat(tables, ignore_index=True)
    table = table[table["indicator"].isin(AUDITED)]
    audited, leaks = 0, []
    for year, rows in table.groupby("year"):
        n, found = _audit_year(int(year), rows, min_range)
        audited += n
        leaks += found
    return audited, leaks


def _audit_year(year: int, rows: pd.DataFrame, min_range: float) -> tuple[int, list[Leak]]:
    """The city is taken as exactly the sum of the units; where the published figures
    contradict that (a unit closed without a successor still counts in the city), as
    the units plus a remainder of at least 0."""
    try:
        return _audit_year_with(year, rows, min_range, remainder=False)
    except _Inconsistent:
        return _audit_year_with(year, rows, min_range, remainder=True)


class _Inconsistent(Exception):
    pass


def _audit_year_with(year: int, rows: pd.DataFrame, min_range: float,
                     remainder: bool) -> tuple[int, list[Leak]]:
    units = sorted(set(rows["unit_id"]) - {CITY})
    quantities = ("H", "Hall", "I", "L0", "L1", "L2")
    index = {}
    for q in quantities:
        for u in [*units, CITY, *(["(rest)"] if remainder else [])]:
            for o in OCCUPATIONS:
                index[(q, u, o)] = len(index)
    members = [*units, *(["(rest)"] if remainder else [])]
    n = len(index)
    eq_rows, eq_rhs, ub_rows, ub_rhs = [], [], [], []

    def row(entries: dict[int, float]) -> np.ndarray:
        vector = np.zeros(n)
        for i, v in entries.items():
            vector[i] += v
        return vector

    for q in quantities:
        for u in [*members, CITY]:  # alla = ss + bh
            eq_rows.append(row({index[(q, u, "alla")]: 1.0, index[(q, u, PARTS[0])]: -1.0,
                                index[(q, u, PARTS[1])]: -1.0}))
            eq_rhs.append(0.0)
        for o in OCCUPATIONS:  # city = sum of units
            entries = {index[(q, CITY, o)]: 1.0}
            for u in members:
                entries[index[(q, u, o)]] = -1.0
            eq_rows.append(row(entries))
            eq_rhs.append(0.0)
    for u in [*units, CITY]:
        for o in OCCUPATIONS:
            ub_rows.append(row({index[("H", u, o)]: 1.0, index[("Hall", u, o)]: -1.0}))
            ub_rhs.append(0.0)
            ub_rows.append(row({index[("L2", u, o)]: 1.0, index[("L1", u, o)]: -1.0}))
            ub_rhs.append(0.0)
            ub_rows.append(row({index[("L1", u, o)]: 1.0, index[("L0", u, o)]: -1.0}))
            ub_rhs.append(0.0)
    hidden = []
    seen = set()
    for r in rows.itertuples(index=False):
        key = (r.indicator, r.unit_id, r.occupation)
        suppressed = _truthy(r.suppressed)
        value = None if pd.isna(r.value) or r.value == "" else float(r.value)
        if suppressed:
            if key not in seen:
                hidden.append(key)
                seen.add(key)
            if r.indicator == "headcount":
                ub_rows.append(row({index[("H", r.unit_id, r.occupation)]: -1.0}))
                ub_rhs.append(-1.0 / 12)
            elif r.indicator == "incidents":
                ub_rows.append(row({index[("I", r.unit_id, r.occupation)]: -1.0}))
                ub_rhs.append(-1.0)
            continue
        if r.indicator == "headcount" and value is not None:
            eq_rows.append(row({index[("H", r.unit_id, r.occupation)]: 1.0}))
            eq_rhs.append(value)
        elif r.indicator == "incidents" and value is not None:
            eq_rows.append(row({index[("I", r.unit_id, r.occupation)]: 1.0}))
            eq_rhs.append(value)
        elif r.indicator in TURNOVER and value is not None:
            leavers = f"L{TURNOVER.index(r.indicator)}"
            eq_rows.append(row({index[(leavers, r.unit_id, r.occupation)]: 1.0,
                                index[("H", r.unit_id, r.occupation)]: -value}))
            eq_rhs.append(0.0)
        elif r.indicator == "incidents_per_100" and value is not None:
            eq_rows.append(row({index[("I", r.unit_id, r.occupation)]: 100.0,
                                index[("Hall", r.unit_id, r.occupation)]: -value}))
            eq_rhs.append(0.0)
    a_eq, b_eq = np.array(eq_rows), np.array(eq_rhs)
    a_ub, b_ub = np.array(ub_rows), np.array(ub_rhs)

    def width(q: str, u: str, o: str) -> tuple[float, float]:
        c = np.zeros(n)
        c[index[(q, u, o)]] = 1.0
        low = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None),
                      method="highs")
        high = linprog(-c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None),
                       method="highs")
        if low.status == 2:
            raise _Inconsistent(year)
        assert low.status == 0, f"{year}: {low.message}"
        top = np.inf if high.status == 3 else -high.fun
        return low.fun, top

    leaks = []
    for indicator, unit, occupation in hidden:
        if indicator == "headcount":
            candidates = [("H",)]
        elif indicator == "incidents":
            candidates = [("I",)]
        elif indicator in TURNOVER:
            candidates = [(f"L{TURNOVER.index(indicator)}",), ("H",)]
        else:
            candidates = [("I",), ("Hall",)]
        spans = [width(q, unit, occupation) for (q,) in candidates]
        if all(high - low < min_range - 1e-6 for low, high in spans):
            low, high = spans[0]
            leaks.append(Leak(year, unit, occupation, indicator, low, high))
    return len(hidden), leaks
