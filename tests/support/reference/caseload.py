"""cases_per_worker: open cases over case workers (FTE) of a year's months; no
disclosure rule, an empty value without FTE (D2, D3)."""

from __future__ import annotations

from .common import ALL_OCCS, Output, rows
from .employments import Staff


def caseload(out: Output, frame, staff: Staff) -> None:
    cases, fte, years = {}, {}, set()
    for r in rows(frame):
        y = int(r["month"][:4])
        if y in out.year_range:
            years.add(y)
            out.bump(cases, y, r["unit_id"], r["occupation"], int(r["open_cases"]))
            out.bump(fte, y, r["unit_id"], r["occupation"], float(r["case_workers_fte"]))
    out.emit_ratio("cases_per_worker", years, ALL_OCCS, cases, fte, suppress=False)
