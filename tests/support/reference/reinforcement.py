"""reinforcement_staff_weeks: days of each assignment in the year times its staff, over
7 (D11); ``alla`` only, no disclosure rule."""

from __future__ import annotations

import datetime as dt

from .common import ALLA, Output, date, rows
from .employments import Staff


def reinforcement(out: Output, frame, staff: Staff) -> None:
    acc, years = {}, set()
    for r in rows(frame):
        start, end = date(r["start_date"]), date(r["end_date"])
        for y in out.year_range:
            lo = max(start, dt.date(y, 1, 1))
            hi = min(end, dt.date(y, 12, 31))
            days = (hi - lo).days + 1
            if days > 0:
                years.add(y)
                out.bump(acc, y, r["unit_id"], None, int(r["staff"]) * days / 7)
    out.emit_count("reinforcement_staff_weeks", years, [ALLA], acc, suppress=False)
