"""job_ads: the ads of a year's months, summed (no disclosure rule, D3)."""

from __future__ import annotations

from .common import ALL_OCCS, Output, rows
from .employments import Staff


def job_ads(out: Output, frame, staff: Staff) -> None:
    acc, years = {}, set()
    for r in rows(frame):
        y = int(r["month"][:4])
        if y in out.year_range:
            years.add(y)
            out.bump(acc, y, r["unit_id"], r["occupation"], int(r["ads"]))
    out.emit_count("job_ads", years, ALL_OCCS, acc, suppress=False)
