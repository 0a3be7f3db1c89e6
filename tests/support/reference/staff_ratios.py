"""staff_per_manager (managers) and admin_fte_per_10 (admin_support): the headcount on
each source unit's last measuring date against its managers or administrators (D4, D5);
``alla`` only, the headcount is the base."""

from __future__ import annotations

from .common import ALLA, Output, date, last_dates, rows
from .employments import Staff


def _measured(out: Output, frame, staff: Staff, value) -> tuple[set[int], dict, dict]:
    """(years, the summed ``value(row)`` at each unit's last date, the headcount then)."""
    last = last_dates(out, frame)
    years = {y for (y, _u) in last}
    measured, headcount = {}, {}
    for r in rows(frame):
        d = date(r["measured_on"])
        if last.get((d.year, r["unit_id"])) == d:
            out.bump(measured, d.year, r["unit_id"], None, value(r))
    for (y, unit_id), d in last.items():
        out.bump(headcount, y, unit_id, None, staff.headcount_on(unit_id, d))
    return years, measured, headcount


def managers(out: Output, frame, staff: Staff) -> None:
    years, mgr, headcount = _measured(out, frame, staff, lambda r: int(r["managers"]))
    out.emit_ratio("staff_per_manager", years, [ALLA], headcount, mgr, base=headcount)


def admin_support(out: Output, frame, staff: Staff) -> None:
    years, fte10, headcount = _measured(
        out, frame, staff, lambda r: 10 * float(r["administrators_fte"])
    )
    out.emit_ratio("admin_fte_per_10", years, [ALLA], fte10, headcount)
