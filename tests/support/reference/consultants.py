"""consultants: a point-in-time count, each source unit at its own last measuring date
in the year (D4); no disclosure rule (D3)."""

from __future__ import annotations

from .common import ALL_OCCS, Output, date, last_dates, rows
from .employments import Staff


def consultants(out: Output, frame, staff: Staff) -> None:
    last = last_dates(out, frame)
    years = {y for (y, _u) in last}
    acc = {}
    for r in rows(frame):
        d = date(r["measured_on"])
        if last.get((d.year, r["unit_id"])) == d:
            out.bump(acc, d.year, r["unit_id"], r["occupation"], int(r["consultants"]))
    out.emit_count("consultants", years, ALL_OCCS, acc, suppress=False)
