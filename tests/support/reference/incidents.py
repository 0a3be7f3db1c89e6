"""incidents (a count with the count rule) and incidents_per_100 over ``H_all``,
suppressed exactly when incidents is (D3)."""

from __future__ import annotations

from .common import ALL_OCCS, Output, date, rows
from .employments import Staff


def incidents(out: Output, frame, staff: Staff) -> None:
    acc, years = {}, set()
    for r in rows(frame):
        d = date(r["reported_on"])
        if d.year in out.year_range:
            years.add(d.year)
            out.bump(acc, d.year, r["unit_id"], r["occupation"], 1)
    out.emit_count("incidents", years, ALL_OCCS, acc, suppress=True)
    for y in sorted(years):
        for u in out.all_units:
            for o in ALL_OCCS:
                n = acc.get((y, u, o), 0)
                h = staff.h_all.get((y, u, o), 0)
                if 0 < n < out.min_n:
                    out.add("incidents_per_100", y, u, o, None, True)
                elif h == 0:
                    out.add("incidents_per_100", y, u, o, None, False)
                else:
                    out.add("incidents_per_100", y, u, o, 100 * n / h, False)
