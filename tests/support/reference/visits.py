"""wait_days_mean and wait_days_median: days from request to visit of the visits
requested in a year that have one (D1, D3, D10); ``alla`` only."""

from __future__ import annotations

import statistics

from .common import ALLA, Output, date, rows
from .employments import Staff


def visits(out: Output, frame, staff: Staff) -> None:
    waits, years = {}, set()
    for r in rows(frame):
        req = date(r["requested_on"])
        if req.year not in out.year_range:
            continue
        years.add(req.year)
        vis = date(r["visit_on"])
        if vis is None:
            continue
        for t in out.units.targets(r["unit_id"]):
            waits.setdefault((req.year, t, ALLA), []).append((vis - req).days)
    for ind, f in (
        ("wait_days_mean", statistics.fmean),
        ("wait_days_median", statistics.median),
    ):
        num = {k: f(v) for k, v in waits.items()}
        base = {k: len(v) for k, v in waits.items()}
        ones = {k: 1 for k in waits}
        out.emit_ratio(ind, years, [ALLA], num, ones, base=base)
