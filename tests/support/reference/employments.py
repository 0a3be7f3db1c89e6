"""headcount and turnover_rate(_external, _voluntary) from the employment spells (D1,
D3, D12); also what other families read of the spells: ``H_all`` (every employment
type; incidents_per_100) and the headcount on a day (D5; the staff ratios)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .common import ALL_OCCS, Output, active, date, missing, month_ends, rows

TURNOVER = {
    "turnover_rate": {"egen_begaran", "pension", "ovrigt", "intern_rorlighet"},
    "turnover_rate_external": {"egen_begaran", "pension", "ovrigt"},
    "turnover_rate_voluntary": {"egen_begaran"},
}


@dataclass
class Staff:
    """The spells, and the mean headcount of every employment type (``H_all``)."""

    spells: list[dict]
    h_all: dict

    def headcount_on(self, unit_id: str, day: dt.date) -> int:
        """Spells of source unit ``unit_id`` active on ``day`` (both occupations, every
        employment type; D5)."""
        return sum(
            1 for s in self.spells if s["unit"] == unit_id and active(s["start"], s["end"], day)
        )


def read_spells(frame) -> list[dict]:
    return [
        dict(
            unit=r["unit_id"],
            occ=r["occupation"],
            type=r["employment_type"],
            start=date(r["start_date"]),
            end=date(r["end_date"]),
            reason=None if missing(r["end_reason"]) else r["end_reason"],
        )
        for r in rows(frame)
    ]


def covered_years(out: Output, spells: list[dict]) -> set[int]:
    """Years in which some spell of any type and occupation is active on a day (D1)."""
    years = set()
    for y in out.year_range:
        for s in spells:
            if s["start"] <= dt.date(y, 12, 31) and (
                s["end"] is None or s["end"] >= dt.date(y, 1, 1)
            ):
                years.add(y)
                break
    return years


def mean_headcounts(out: Output, spells: list[dict]) -> tuple[dict, dict]:
    """(H, H_all): mean over the 12 month-ends of active tillsvidare spells, and of
    spells of every type."""
    h, h_all = {}, {}
    for y in out.year_range:
        ends = month_ends(y)
        for s in spells:
            if s["start"] > ends[-1] or (s["end"] is not None and s["end"] < dt.date(y, 1, 1)):
                continue
            n_active = sum(1 for d in ends if active(s["start"], s["end"], d))
            if n_active == 0:
                continue
            out.bump(h_all, y, s["unit"], s["occ"], n_active / 12)
            if s["type"] == "tillsvidare":
                out.bump(h, y, s["unit"], s["occ"], n_active / 12)
    return h, h_all


def leavers(out: Output, spells: list[dict]) -> dict[str, dict]:
    """Per turnover indicator: tillsvidare spells ending in a year for one of its
    reasons (D12)."""
    found = {k: {} for k in TURNOVER}
    for s in spells:
        if s["type"] != "tillsvidare" or s["end"] is None:
            continue
        y = s["end"].year
        if y not in out.year_range:
            continue
        for ind, reasons in TURNOVER.items():
            if s["reason"] in reasons:
                out.bump(found[ind], y, s["unit"], s["occ"], 1)
    return found


def employments(out: Output, frame) -> Staff:
    spells = read_spells(frame)
    years = covered_years(out, spells)
    h, h_all = mean_headcounts(out, spells)
    left = leavers(out, spells)
    out.emit_count("headcount", years, ALL_OCCS, h, suppress=True)
    for ind in TURNOVER:
        out.emit_ratio(ind, years, ALL_OCCS, left[ind], h)
    return Staff(spells, h_all)
