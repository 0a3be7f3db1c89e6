"""exit_reason_share_<code>: interviews giving the code at least once over interviews
held in the year, for every code of the contract (D6); ``alla`` only, a numerator of
1..min_n-1 or everyone is hidden too."""

from __future__ import annotations

from .common import ALLA, Output, date, rows
from .employments import Staff

EXIT_REASONS = (
    "arbetsbelastning",
    "lon",
    "ledarskap",
    "arbetsmiljo",
    "karriar",
    "hot_och_vald",
    "privata_skal",
    "ovrigt",
)


def exit_interviews(out: Output, frame, staff: Staff) -> None:
    n_int, given, years = {}, {c: {} for c in EXIT_REASONS}, set()
    for r in rows(frame):
        d = date(r["held_on"])
        if d.year not in out.year_range:
            continue
        years.add(d.year)
        out.bump(n_int, d.year, r["unit_id"], None, 1)
        codes = {c.strip() for c in str(r["reasons"]).split(";") if c.strip()}
        for c in codes:
            if c in given:
                out.bump(given[c], d.year, r["unit_id"], None, 1)
    for c in EXIT_REASONS:
        out.emit_ratio(
            f"exit_reason_share_{c}", years, [ALLA], given[c], n_int, telling_numerator=True
        )
