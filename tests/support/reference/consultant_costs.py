"""consultant_cost_sek: the kronor of a year, summed (``alla`` only; no disclosure
rule, D3)."""

from __future__ import annotations

from .common import ALLA, Output, rows
from .employments import Staff


def consultant_costs(out: Output, frame, staff: Staff) -> None:
    acc, years = {}, set()
    for r in rows(frame):
        y = int(r["year"])
        if y in out.year_range:
            years.add(y)
            out.bump(acc, y, r["unit_id"], None, float(r["cost_sek"]))
    out.emit_count("consultant_cost_sek", years, [ALLA], acc, suppress=False)
