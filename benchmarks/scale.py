"""A synthetic delivery scaled up for benchmarks: N units, ~1,500 spells per unit over
10 years, with the other tables in proportion. Built directly as typed frames (the
benchmark times indicator computation, not CSV parsing). Vectorised: building the
full-size delivery takes a few seconds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from uppfoljning.contract import AREAS, EXIT_REASONS, INCIDENT_CATEGORIES, OCCUPATIONS
from uppfoljning.loading import Delivery

FIRST, LAST = 2015, 2024
DAY0 = pd.Timestamp(f"{FIRST}-01-01")
N_DAYS = (pd.Timestamp(f"{LAST}-12-31") - DAY0).days + 1


def _days(rng: np.random.Generator, n: int) -> pd.Series:
    return DAY0 + pd.to_timedelta(rng.integers(0, N_DAYS, n), unit="D")


def scaled_delivery(n_units: int = 200, spells_per_unit: int = 1500, seed: int = 1) -> Delivery:
    rng = np.random.default_rng(seed)
    unit_ids = np.array([f"u{i:03d}" for i in range(n_units)])
    # Every tenth unit merges into the next one mid-2020, so restatement is exercised.
    merged = np.arange(n_units) % 10 == 0
    merged[-1] = False
    units = pd.DataFrame(
        {
            "unit_id": unit_ids,
            "name": [f"Enhet {i}" for i in range(n_units)],
            "kind": "stadsdelsforvaltning",
            "region": None,
            "valid_from": pd.Timestamp("2007-01-01"),
            "valid_to": np.where(merged, pd.Timestamp("2020-06-30"), pd.NaT),
            "successor_id": np.where(merged, np.roll(unit_ids, -1), None),
        }
    )
    n = n_units * spells_per_unit
    start = _days(rng, n) - pd.to_timedelta(rng.integers(0, 3000, n), unit="D")
    length = pd.to_timedelta(rng.integers(30, 4000, n), unit="D")
    end = (start + length).where(rng.random(n) < 0.7)
    end = end.where(end <= pd.Timestamp(f"{LAST}-12-31"))
    unit_of_spell = rng.integers(0, n_units, n)
    # Spells of merged units stop at the merger.
    cut = merged[unit_of_spell] & (end.isna() | (end > pd.Timestamp("2020-06-30")))
    end = end.where(~cut, pd.Timestamp("2020-06-30"))
    start = start.where(start <= end.fillna(pd.Timestamp("2100-01-01")), end)
    reasons = np.array(["egen_begaran", "pension", "ovrigt", "intern_rorlighet"])
    end_reason = np.where(end.isna(), None, reasons[rng.integers(0, 4, n)])
    end_reason = np.where(cut, "omorganisation", end_reason)
    employments = pd.DataFrame(
        {
            "person_id": [f"p{i:07d}" for i in range(n)],
            "unit_id": unit_ids[unit_of_spell],
            "occupation": np.array(OCCUPATIONS)[rng.integers(0, 2, n)],
            "area": np.array(AREAS)[rng.integers(0, len(AREAS), n)],
            "employment_type": np.where(rng.random(n) < 0.9, "tillsvidare", "visstid"),
            "start_date": start.to_numpy(),
            "end_date": end.to_numpy(),
            "end_reason": end_reason,
        }
    )
    live = unit_ids[~merged]
    years = np.arange(FIRST, LAST + 1)
    grid = pd.MultiIndex.from_product(
        [years, live, OCCUPATIONS], names=["y", "unit_id", "occupation"]
    ).to_frame(index=False)
    consultants = grid.assign(
        measured_on=pd.to_datetime(grid["y"].astype(str) + "-11-15"),
        consultants=rng.integers(0, 5, len(grid)),
    ).drop(columns="y")
    months = pd.period_range(f"{FIRST}-01", f"{LAST}-12", freq="M").astype(str)
    monthly = pd.MultiIndex.from_product(
        [months, live, OCCUPATIONS], names=["month", "unit_id", "occupation"]
    ).to_frame(index=False)
    job_ads = monthly.assign(ads=rng.integers(0, 4, len(monthly)))
    caseload = monthly.assign(
        area="vuxna",
        open_cases=rng.integers(20, 60, len(monthly)),
        case_workers_fte=rng.uniform(1, 10, len(monthly)).round(1),
    )
    n_visits = 300 * len(live) * len(years) // 10
    requested = _days(rng, n_visits)
    visits = pd.DataFrame(
        {
            "request_id": [f"v{i}" for i in range(n_visits)],
            "unit_id": live[rng.integers(0, len(live), n_visits)],
            "area": "vuxna",
            "requested_on": requested,
            "visit_on": requested + pd.to_timedelta(rng.integers(0, 60, n_visits), unit="D"),
        }
    )
    yearly = pd.MultiIndex.from_product([years, live], names=["year", "unit_id"]).to_frame(
        index=False
    )
    survey = pd.concat(
        [grid.rename(columns={"y": "year"}).assign(index_id=i) for i in ("ami", "ledarskap")],
        ignore_index=True,
    )
    survey["invited"] = rng.integers(5, 40, len(survey))
    survey["respondents"] = (survey["invited"] * rng.uniform(0.5, 1, len(survey))).astype(int)
    survey["value"] = rng.uniform(40, 90, len(survey)).round(1)
    n_inc = 20 * len(live) * len(years)
    incidents = pd.DataFrame(
        {
            "incident_id": [f"i{i}" for i in range(n_inc)],
            "reported_on": _days(rng, n_inc),
            "unit_id": live[rng.integers(0, len(live), n_inc)],
            "occupation": np.array(OCCUPATIONS)[rng.integers(0, 2, n_inc)],
            "category": np.array(INCIDENT_CATEGORIES)[rng.integers(0, 3, n_inc)],
        }
    )
    n_assign = 2 * len(live) * len(years)
    a_start = _days(rng, n_assign)
    reinforcement = pd.DataFrame(
        {
            "assignment_id": [f"r{i}" for i in range(n_assign)],
            "team": "T",
            "unit_id": live[rng.integers(0, len(live), n_assign)],
            "start_date": a_start,
            "end_date": a_start + pd.to_timedelta(rng.integers(0, 120, n_assign), unit="D"),
            "staff": rng.integers(1, 5, n_assign),
        }
    )
    measured = pd.to_datetime(yearly["year"].astype(str) + "-12-31")
    managers = pd.DataFrame(
        {
            "measured_on": measured,
            "unit_id": yearly["unit_id"],
            "managers": rng.integers(1, 10, len(yearly)),
        }
    )
    admin = pd.DataFrame(
        {
            "measured_on": measured,
            "unit_id": yearly["unit_id"],
            "administrators_fte": rng.uniform(0, 5, len(yearly)).round(1),
        }
    )
    n_int = 50 * len(live) * len(years) // 10
    codes = np.array(EXIT_REASONS)
    exit_interviews = pd.DataFrame(
        {
            "interview_id": [f"e{i}" for i in range(n_int)],
            "person_id": "p",
            "unit_id": live[rng.integers(0, len(live), n_int)],
            "occupation": np.array(OCCUPATIONS)[rng.integers(0, 2, n_int)],
            "held_on": _days(rng, n_int),
            "reasons": [
                ";".join(codes[rng.choice(8, k, replace=False)]) for k in rng.integers(1, 4, n_int)
            ],
            "comment": None,
        }
    )
    costs = yearly.assign(cost_sek=rng.uniform(0, 1e6, len(yearly)).round())
    tables = dict(
        units=units,
        employments=employments,
        consultants=consultants,
        consultant_costs=costs,
        job_ads=job_ads,
        visits=visits,
        caseload=caseload,
        staff_survey=survey,
        incidents=incidents,
        reinforcement=reinforcement,
        managers=managers,
        admin_support=admin,
        exit_interviews=exit_interviews,
    )
    for name in ("job_ads", "caseload"):
        tables[name]["month"] = tables[name]["month"].astype(object)
    return Delivery(data_dir=Path("<scaled>"), tables=tables, sources={})


class DisclosureProfile:
    """Where disclosure control spends its time, measured by wrapping its two solvers
    for the length of a ``with`` block (nothing in :mod:`uppfoljning.disclosure` is
    changed): the per-year MILP that chooses the pattern and the LP audit of every
    hidden cell (two LPs each), with their counts."""

    def __init__(self):
        self.milp_s = self.audit_s = 0.0
        self.milp_calls = self.audit_calls = self.audited_cells = 0
        self.years: dict[int, dict] = {}
        self.milps: list[dict] = []  # size, wall time and outcome of every MILP

    def __enter__(self):
        import time

        import scipy.optimize

        from uppfoljning import disclosure

        self._saved = (disclosure._solve_pattern, disclosure.YearModel.ranges)
        self._milp = scipy.optimize.milp
        solve, ranges, milp = *self._saved, self._milp
        profile = self

        def recorded_milp(c, *args, **kwargs):
            started = time.perf_counter()
            solved = milp(c, *args, **kwargs)
            constraints = kwargs.get("constraints") or []
            rows = sum(getattr(k, "A", np.empty((0, 0))).shape[0] for k in constraints)
            profile.milps.append(
                {
                    "vars": len(c),
                    "rows": int(rows),
                    "wall_s": round(time.perf_counter() - started, 2),
                    "status": int(solved.status),
                    "found": solved.x is not None,
                    "gap": getattr(solved, "mip_gap", None),
                }
            )
            return solved

        def timed_solve(*args, **kwargs):
            started = time.process_time()
            try:
                return solve(*args, **kwargs)
            finally:
                profile.milp_s += time.process_time() - started
                profile.milp_calls += 1

        def timed_ranges(model):
            started = time.process_time()
            try:
                found = ranges(model)
            finally:
                seconds = time.process_time() - started
                profile.audit_s += seconds
                profile.audit_calls += 1
            year = profile.years.setdefault(
                model.year, {"rounds": 0, "audit_s": 0.0, "hidden": 0, "cells": 0}
            )
            year["rounds"] += 1
            year["audit_s"] += seconds
            year["hidden"] = len(found)
            year["cells"] = len(model.cells)
            profile.audited_cells += len(found)
            return found

        disclosure._solve_pattern = timed_solve
        disclosure.YearModel.ranges = timed_ranges
        scipy.optimize.milp = recorded_milp  # _solve_pattern imports it when it runs
        return self

    def __exit__(self, *exc):
        import scipy.optimize

        from uppfoljning import disclosure

        disclosure._solve_pattern, disclosure.YearModel.ranges = self._saved
        scipy.optimize.milp = self._milp
        return False

    def as_dict(self) -> dict:
        return {
            "milp_cpu_s": round(self.milp_s, 2),
            "milp_calls": self.milp_calls,
            "audit_cpu_s": round(self.audit_s, 2),
            "audit_rounds": self.audit_calls,
            "lp_solves": 2 * self.audited_cells,
            "milps": self.milps,
            "years": {
                y: {k: round(v, 2) if isinstance(v, float) else v for k, v in d.items()}
                for y, d in sorted(self.years.items())
            },
        }
