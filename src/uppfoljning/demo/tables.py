"""The demo's other tables, drawn from the simulated workforce: consultants and their
costs, job ads, visits, caseloads, the staff survey, incidents, reinforcement teams,
managers and administrative support, exit interviews and the focus areas."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..contract import EXIT_REASONS
from .common import (
    BH,
    DEMO_TABLES,
    LAST_DAY,
    OCCUPATIONS,
    SS,
    YEARS,
    iso,
    month_end,
    month_start,
    months,
    random_day,
)
from .organisation import UNITS, units_valid_in, units_valid_on
from .workforce import TURNOVER_TARGET, headcount_on


def _allocate(rng: np.random.Generator, total: int, weights: np.ndarray) -> np.ndarray:
    """Split an exact integer total over cells in proportion to ``weights``."""
    p = np.asarray(weights, dtype=float)
    if total == 0 or p.sum() <= 0:
        return np.zeros(len(p), dtype=int)
    return rng.multinomial(total, p / p.sum())


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    raw = total * p / p.sum()
    out = np.floor(raw).astype(int)
    rest = total - int(out.sum())
    order = np.argsort(-(raw - out), kind="stable")
    out[order[:rest]] += 1
    return out


CONSULTANT_POINTS: dict[dt.date, int] = {
    dt.date(2016, 11, 15): 100,
    dt.date(2017, 11, 15): 60,
    dt.date(2018, 11, 15): 34,
    dt.date(2019, 11, 15): 28,
    dt.date(2020, 11, 15): 25,
    dt.date(2021, 4, 15): 30,
    dt.date(2021, 11, 15): 27,
    dt.date(2022, 11, 15): 29,
    dt.date(2023, 11, 15): 31,
    dt.date(2024, 11, 15): 33,
}


def draw_consultants(rng: np.random.Generator, spells: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for day in sorted(CONSULTANT_POINTS):
        counts = headcount_on(spells, day, ["unit_id", "occupation"])
        cells, weights = [], []
        for unit in units_valid_on(day):
            for occupation in OCCUPATIONS:
                staff = float(counts.get((unit.unit_id, occupation), 0))
                factor = unit.consultant_factor**1.5 if occupation == SS else 0.06
                cells.append((unit.unit_id, occupation))
                weights.append(staff * factor * float(np.exp(rng.normal(0.0, 0.25))))
        numbers = _allocate(rng, CONSULTANT_POINTS[day], np.array(weights))
        for (unit_id, occupation), n in zip(cells, numbers, strict=True):
            rows.append((day.isoformat(), unit_id, occupation, int(n)))
    frame = pd.DataFrame(rows, columns=list(DEMO_TABLES["consultants"]))
    return frame.sort_values(["measured_on", "unit_id", "occupation"], kind="mergesort")


# City-wide consultant costs in thousands of kronor.
CONSULTANT_COST_KSEK = {
    2016: 111_000,
    2017: 79_400,
    2018: 46_200,
    2019: 33_800,
    2020: 29_100,
    2021: 31_600,
    2022: 33_300,
    2023: 36_500,
    2024: 39_900,
}


def draw_consultant_costs(rng: np.random.Generator, consultants: pd.DataFrame) -> pd.DataFrame:
    per_unit = consultants.assign(year=consultants["measured_on"].str[:4].astype(int))
    per_unit = per_unit.groupby(["year", "unit_id"])["consultants"].sum()
    rows = []
    for year in YEARS:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        units = units_valid_in(first, last)
        weights = []
        for unit in units:
            lo, hi = unit.valid_days_in(first, last)  # type: ignore[misc]
            share = ((hi - lo).days + 1) / ((last - first).days + 1)
            measured = float(per_unit.get((year, unit.unit_id), 0))
            size = sum(unit.ss_positions.values()) or 60
            base = 0.04 * size * unit.consultant_factor
            weights.append(share * (measured + base) * float(np.exp(rng.normal(0.0, 0.15))))
        amounts = _largest_remainder(CONSULTANT_COST_KSEK[year], np.array(weights))
        for unit, ksek in zip(units, amounts, strict=True):
            rows.append((year, unit.unit_id, int(ksek) * 1000))
    frame = pd.DataFrame(rows, columns=list(DEMO_TABLES["consultant_costs"]))
    return frame.sort_values(["year", "unit_id"], kind="mergesort")


JOB_AD_TOTALS: dict[tuple[str, str], int] = {
    ("2023-12", SS): 29,
    ("2023-12", BH): 5,
    ("2024-01", SS): 56,
    ("2024-01", BH): 16,
}
_AD_SEASON = (1.25, 1.15, 1.1, 1.0, 1.05, 0.9, 0.55, 1.0, 1.15, 1.1, 1.0, 0.6)


def draw_job_ads(rng: np.random.Generator, month_counts: pd.DataFrame) -> pd.DataFrame:
    staff = month_counts.groupby(["month", "unit_id", "occupation"])["headcount"].sum()
    rows = []
    for year, month in months():
        key = f"{year:04d}-{month:02d}"
        units = units_valid_in(month_start(year, month), month_end(year, month))
        level = TURNOVER_TARGET[year] / 0.15 * _AD_SEASON[month - 1]
        for occupation, base in ((SS, 44.0), (BH, 13.0)):
            total = JOB_AD_TOTALS.get((key, occupation))
            if total is None:
                total = int(rng.poisson(base * level))
            weights = np.array(
                [
                    max(float(staff.get((key, u.unit_id, occupation), 0)), 0.0) * u.turnover_factor
                    for u in units
                ]
            )
            if weights.sum() <= 0:
                weights = np.ones(len(units))
            ads = _allocate(rng, total, weights)
            rows.extend(
                (key, u.unit_id, occupation, int(n)) for u, n in zip(units, ads, strict=True)
            )
    frame = pd.DataFrame(rows, columns=list(DEMO_TABLES["job_ads"]))
    return frame.sort_values(["month", "unit_id", "occupation"], kind="mergesort")


def draw_visits(
    rng: np.random.Generator, unit_hc: dict[tuple[str, int], float], month_counts: pd.DataFrame
) -> pd.DataFrame:
    area_staff = month_counts.groupby(["unit_id", "area"])["headcount"].sum()
    year_factor = {
        2016: 1.15,
        2017: 1.12,
        2018: 1.08,
        2019: 0.98,
        2020: 0.95,
        2021: 0.93,
        2022: 0.96,
        2023: 1.0,
        2024: 1.03,
    }
    rows = []
    for year in YEARS:
        for unit in units_valid_in(dt.date(year, 1, 1), dt.date(year, 12, 31)):
            lo, hi = unit.valid_days_in(dt.date(year, 1, 1), dt.date(year, 12, 31))  # type: ignore[misc]
            hc = unit_hc.get((unit.unit_id, year), 0.0)
            if hc <= 0:
                continue
            share = ((hi - lo).days + 1) / 365.0
            per_staff = 1.6 if unit.kind == "fackforvaltning" else 2.6
            n = int(rng.poisson(hc * per_staff * share))
            areas = area_staff.loc[unit.unit_id]
            area_names = list(areas.index)
            area_p = areas.to_numpy(dtype=float) / areas.sum()
            mean = unit.wait_mean * year_factor[year] * float(np.exp(rng.normal(0.0, 0.08)))
            shape = 1.6
            span = (hi - lo).days
            offsets = rng.integers(0, span + 1, size=n)
            waits = np.round(rng.gamma(shape, mean / shape, size=n)).astype(int)
            area_idx = rng.choice(len(area_names), size=n, p=area_p)
            chance = rng.random(n)
            for off, wait, a, u in zip(offsets, waits, area_idx, chance, strict=True):
                requested = lo + dt.timedelta(days=int(off))
                visit = requested + dt.timedelta(days=int(wait))
                # Not yet booked: a few requests at any time, and many of those made in
                # the last weeks of the data (booking lags behind the request).
                recent = (LAST_DAY - requested).days < 45
                if u < (0.45 if recent else 0.012) or visit > LAST_DAY:
                    visit_on = None
                else:
                    visit_on = visit.isoformat()
                rows.append((unit.unit_id, area_names[int(a)], requested.isoformat(), visit_on))
    frame = pd.DataFrame(rows, columns=["unit_id", "area", "requested_on", "visit_on"])
    frame = frame.sort_values(
        ["requested_on", "unit_id", "area", "visit_on"], kind="mergesort", na_position="last"
    ).reset_index(drop=True)
    frame.insert(0, "request_id", [f"v{i + 1:06d}" for i in range(len(frame))])
    return frame


_CASES_PER_FTE = {
    "barn_och_unga": 29.0,
    "vuxna": 33.0,
    "ekonomiskt_bistand": 40.0,
    "stadsovergripande": 26.0,
    "aldre": 62.0,
    "funktionsnedsattning": 45.0,
}
_CASELOAD_YEAR = {
    2016: 1.10,
    2017: 1.09,
    2018: 1.06,
    2019: 0.98,
    2020: 0.95,
    2021: 0.94,
    2022: 0.96,
    2023: 0.99,
    2024: 1.01,
}


def draw_caseload(rng: np.random.Generator, month_counts: pd.DataFrame) -> pd.DataFrame:
    frame = month_counts[month_counts["headcount"] > 0].copy()
    frame = frame.sort_values(["month", "unit_id", "occupation", "area"], kind="mergesort")
    n = len(frame)
    fte = frame["headcount"].to_numpy(dtype=float) * rng.uniform(0.86, 0.97, size=n)
    fte = np.maximum(np.round(fte, 1), 0.5)
    unit_factor = (
        frame["unit_id"]
        .map({u.unit_id: 0.85 + 0.15 * u.turnover_factor for u in UNITS})
        .to_numpy(dtype=float)
    )
    base = frame["area"].map(_CASES_PER_FTE).to_numpy(dtype=float)
    year = frame["year"].map(_CASELOAD_YEAR).to_numpy(dtype=float)
    per_fte = base * unit_factor * year * np.exp(rng.normal(0.0, 0.05, size=n))
    cases = np.round(fte * per_fte).astype(int)
    out = pd.DataFrame(
        {
            "month": frame["month"].to_numpy(),
            "unit_id": frame["unit_id"].to_numpy(),
            "occupation": frame["occupation"].to_numpy(),
            "area": frame["area"].to_numpy(),
            "open_cases": cases,
            "case_workers_fte": fte,
        }
    )
    return out.reset_index(drop=True)


_SURVEY_BASE = {"ami": 72.0, "arbetsbelastning": 52.0, "ledarskap": 70.0}
_SURVEY_TREND = {
    2016: -4.0,
    2017: -3.5,
    2018: -2.0,
    2019: 1.0,
    2020: 2.0,
    2021: 2.5,
    2022: 1.5,
    2023: 0.5,
    2024: 0.0,
}


def draw_staff_survey(rng: np.random.Generator, spells: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for year in YEARS:
        day = dt.date(year, 9, 15)
        counts = headcount_on(spells, day, ["unit_id", "occupation"])
        for unit in units_valid_on(day):
            unit_shift = 6.0 * (1.0 - unit.turnover_factor)
            rate = float(np.clip(rng.normal(0.74, 0.06), 0.60, 0.85))
            for occupation in OCCUPATIONS:
                invited = int(counts.get((unit.unit_id, occupation), 0))
                if unit.kind == "fackforvaltning" and occupation == BH:
                    invited = 3
                if invited == 0:
                    continue
                respondents = int(np.clip(round(invited * rate), 1, invited))
                for index_id, base in _SURVEY_BASE.items():
                    trend = _SURVEY_TREND[year] * (1.5 if index_id == "arbetsbelastning" else 1)
                    value = base + unit_shift + trend + rng.normal(0.0, 2.5)
                    value = float(np.clip(round(value, 1), 0.0, 100.0))
                    rows.append(
                        (year, unit.unit_id, occupation, index_id, invited, respondents, value)
                    )
    frame = pd.DataFrame(rows, columns=list(DEMO_TABLES["staff_survey"]))
    return frame.sort_values(["year", "unit_id", "occupation", "index_id"], kind="mergesort")


def draw_incidents(
    rng: np.random.Generator, spells: pd.DataFrame, unit_hc: dict[tuple[str, int], float]
) -> pd.DataFrame:
    occ_mix = spells.groupby(["unit_id", "occupation"]).size()
    categories = ("hot", "vald", "otillaten_paverkan")
    category_p = np.array([0.62, 0.13, 0.25])
    rows = []
    for year in YEARS:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        for unit in units_valid_in(first, last):
            hc = unit_hc.get((unit.unit_id, year), 0.0)
            if hc <= 0:
                continue
            lo, hi = unit.valid_days_in(first, last)  # type: ignore[misc]
            share = ((hi - lo).days + 1) / 365.0
            per_100 = 9.0 * unit.turnover_factor**1.5 * (1.0 + 0.03 * (year - 2016))
            n = int(rng.poisson(hc * share * per_100 / 100.0))
            ss = float(occ_mix.get((unit.unit_id, SS), 0))
            bh = 0.35 * float(occ_mix.get((unit.unit_id, BH), 0))
            for _ in range(n):
                day = random_day(rng, lo, hi)
                occupation = SS if rng.random() < ss / (ss + bh) else BH
                category = categories[int(rng.choice(3, p=category_p))]
                rows.append((day.isoformat(), unit.unit_id, occupation, category))
    frame = pd.DataFrame(rows, columns=["reported_on", "unit_id", "occupation", "category"])
    frame = frame.sort_values(
        ["reported_on", "unit_id", "occupation", "category"], kind="mergesort"
    ).reset_index(drop=True)
    frame.insert(0, "incident_id", [f"i{i + 1:06d}" for i in range(len(frame))])
    return frame


_TEAMS = (
    ("Förstärkningsteam barn och unga", 2016),
    ("Förstärkningsteam ekonomiskt bistånd", 2017),
    ("Förstärkningsteam vuxna", 2019),
)


def draw_reinforcement(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for team, since in _TEAMS:
        for year in YEARS:
            if year < since:
                continue
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            units = [u for u in units_valid_in(first, last) if u.kind == "stadsdelsforvaltning"]
            weights = np.array([u.turnover_factor**3 for u in units])
            for _ in range(int(rng.integers(4, 9))):
                unit = units[int(rng.choice(len(units), p=weights / weights.sum()))]
                lo, hi = unit.valid_days_in(first, last)  # type: ignore[misc]
                start = random_day(rng, lo, hi)
                weeks = int(rng.integers(3, 27))
                end = start + dt.timedelta(days=7 * weeks - 1)
                limit = LAST_DAY if unit.valid_to is None else min(LAST_DAY, unit.valid_to)
                end = min(end, limit)
                staff = int(rng.integers(1, 6))
                rows.append((team, unit.unit_id, start.isoformat(), end.isoformat(), staff))
    frame = pd.DataFrame(rows, columns=["team", "unit_id", "start_date", "end_date", "staff"])
    frame = frame.sort_values(
        ["start_date", "unit_id", "team", "end_date"], kind="mergesort"
    ).reset_index(drop=True)
    frame.insert(0, "assignment_id", [f"f{i + 1:04d}" for i in range(len(frame))])
    return frame


def draw_managers_and_admin(
    rng: np.random.Generator, spells: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    managers, admin = [], []
    for year in YEARS:
        day = dt.date(year, 12, 31)
        counts = headcount_on(spells, day, ["unit_id"])
        for unit in units_valid_on(day):
            hc = int(counts.get(unit.unit_id, 0))
            ratio = 17.5 - 0.45 * (year - 2016) + rng.normal(0.0, 1.0)
            ratio = float(np.clip(ratio * (0.9 + 0.1 * unit.turnover_factor), 11.5, 19.0))
            managers.append((day.isoformat(), unit.unit_id, max(1, round(hc / ratio))))
            per_10 = 0.45 + 0.07 * (year - 2016) + rng.normal(0.0, 0.08)
            fte = max(0.0, round(hc / 10.0 * per_10, 1))
            admin.append((day.isoformat(), unit.unit_id, fte))
    return (
        pd.DataFrame(managers, columns=list(DEMO_TABLES["managers"])).sort_values(
            ["measured_on", "unit_id"], kind="mergesort"
        ),
        pd.DataFrame(admin, columns=list(DEMO_TABLES["admin_support"])).sort_values(
            ["measured_on", "unit_id"], kind="mergesort"
        ),
    )


_EXIT_REASONS = EXIT_REASONS
_EXIT_COMMENTS = {
    "arbetsbelastning": (
        "För hög arbetsbelastning under lång tid.",
        "Alldeles för många ärenden per handläggare.",
        "Hann inte göra ett ordentligt arbete med mina ärenden.",
    ),
    "lon": (
        "Fick högre lön hos en annan arbetsgivare.",
        "Lönen motsvarar inte ansvaret i tjänsten.",
    ),
    "ledarskap": (
        "Saknade stöd från närmaste chef.",
        "Många chefsbyten under kort tid.",
    ),
    "arbetsmiljo": (
        "Stressig arbetsmiljö och hög personalomsättning i gruppen.",
        "Bristande introduktion och för lite kollegialt stöd.",
    ),
    "karriar": (
        "Vill utvecklas vidare i en ny roll.",
        "Har fått en tjänst med specialistinriktning.",
    ),
    "hot_och_vald": (
        "Upplevde hot från klienter som tyngde mig.",
        "Kände mig otrygg i mötet med klienter.",
    ),
    "privata_skal": (
        "Flyttar till annan ort.",
        "Familjeskäl.",
    ),
    "ovrigt": (
        "Vill prova något helt annat.",
        "Studier.",
    ),
}


def _exit_weights(year: int) -> np.ndarray:
    workload = 3.0 if year <= 2018 else 2.0
    return np.array([workload, 1.4, 1.0, 1.1, 1.2, 0.4, 0.9, 0.5])


def draw_exit_interviews(rng: np.random.Generator, spells: pd.DataFrame) -> pd.DataFrame:
    leavers = spells[spells["end_reason"] == "egen_begaran"]
    rows = []
    for spell in leavers.itertuples(index=False):
        if rng.random() >= 0.5:
            continue
        end = spell.end.date()
        start = spell.start.date()
        held = max(start, end - dt.timedelta(days=int(rng.integers(0, 15))))
        weights = _exit_weights(held.year)
        k = int(rng.choice([1, 2, 3], p=[0.35, 0.4, 0.25]))
        picked = rng.choice(len(_EXIT_REASONS), size=k, replace=False, p=weights / weights.sum())
        main = _EXIT_REASONS[int(picked[0])]
        options = _EXIT_COMMENTS[main]
        comment = options[int(rng.integers(0, len(options)))]
        reasons = ";".join(_EXIT_REASONS[i] for i in sorted(int(x) for x in picked))
        rows.append(
            (spell.person_id, spell.unit_id, spell.occupation, held.isoformat(), reasons, comment)
        )
    frame = pd.DataFrame(
        rows, columns=["person_id", "unit_id", "occupation", "held_on", "reasons", "comment"]
    )
    frame = frame.sort_values(["held_on", "person_id"], kind="mergesort").reset_index(drop=True)
    frame.insert(0, "interview_id", [f"e{i + 1:05d}" for i in range(len(frame))])
    return frame


FOCUS_AREAS: tuple[tuple[str, str, str], ...] = (
    ("introduktion", "Introduktion av nyanställda", "2016"),
    ("konsultberoende", "Minskat beroende av konsulter", "2016"),
    ("arbetsbelastning", "Rimlig arbetsbelastning", "2016"),
    ("hot-och-vald", "Skydd mot hot och våld", "2016"),
    ("kompetensutveckling", "Kompetensutveckling och karriärvägar", "2016"),
    ("lon", "Konkurrenskraftiga löner", "2018"),
    ("chefsstod", "Stöd till första linjens chefer", "2018"),
    ("administrativt-stod", "Administrativt stöd", "2018"),
    ("forstarkningsteam", "Förstärkningsteam", "2019"),
)
_FOCUS_NOTES = {
    "ej_paborjat": (
        "Arbetet har inte påbörjats.",
        "Arbetet är planerat men inte påbörjat.",
        "Inga åtgärder har genomförts ännu.",
    ),
    "paborjat": (
        "Arbetet pågår enligt plan.",
        "Arbetet har påbörjats men går långsamt.",
        "Åtgärder är beslutade och delvis genomförda.",
    ),
    "genomfort": (
        "Åtgärderna är genomförda och följs upp årligen.",
        "Arbetet är genomfört och ingår nu i ordinarie verksamhet.",
    ),
    "avstannat": (
        "Arbetet har stannat av och behöver nya beslut.",
        "Arbetet har stannat av i väntan på en ny enhetschef.",
        "Arbetet har stannat av eftersom medel saknas i budgeten.",
        "Arbetet har stannat av efter omorganisationen och behöver nya beslut.",
    ),
}
_STATUS_ORDER = ("ej_paborjat", "paborjat", "genomfort")
_RESUMED_NOTE = "Arbetet har kommit i gång igen efter nya beslut."


def draw_focus_status(rng: np.random.Generator) -> pd.DataFrame:
    """The researcher's yearly assessment of every unit's work per focus area, 2018 on.

    Work under way (``paborjat``) can stall (``avstannat``, with a note saying why) from
    2020 on; a stalled item stays stalled or gets going again after new decisions. An
    area added to the plan later is reported as ``ej_paborjat`` with a note in the years
    before it existed, as researchers do (the report does not count those years)."""
    rows = []
    state: dict[tuple[str, str], int] = {}
    stall_from: dict[tuple[str, str], int | None] = {}
    resumed: dict[tuple[str, str], bool] = {}
    for year in range(2018, 2025):
        for unit in units_valid_in(dt.date(year, 1, 1), dt.date(year, 12, 31)):
            for area_id, _name, version in FOCUS_AREAS:
                key = (unit.unit_id, area_id)
                if int(version) > year:
                    rows.append(
                        (
                            year,
                            unit.unit_id,
                            area_id,
                            "ej_paborjat",
                            f"Fokusområdet ingår i handlingsplanen från {version}.",
                        )
                    )
                    continue
                if key not in state:
                    predecessors = [
                        (u.unit_id, area_id)
                        for u in UNITS
                        if u.successor_id == unit.unit_id and (u.unit_id, area_id) in state
                    ]
                    if predecessors:
                        state[key] = min(state[p] for p in predecessors)
                        starts = [stall_from[p] for p in predecessors if stall_from[p]]
                        stall_from[key] = min(starts) if starts else None
                    else:
                        state[key] = int(rng.choice(3, p=[0.45, 0.45, 0.10]))
                        stall_from[key] = (
                            2020 + int(rng.integers(0, 5)) if rng.random() < 0.15 else None
                        )
                    resumed[key] = False
                else:
                    current = state[key]
                    stalls = stall_from[key] is not None and not resumed[key]
                    if current == 0 and rng.random() < 0.5:
                        state[key] = 1
                    elif current == 1 and not stalls and rng.random() < 0.35:
                        state[key] = 2
                    if stalls and year >= stall_from[key] + 2 and rng.random() < 0.3:
                        resumed[key] = True
                status = _STATUS_ORDER[state[key]]
                first = stall_from[key]
                if status == "paborjat" and first is not None and year >= first:
                    if resumed[key]:
                        note = _RESUMED_NOTE
                    else:
                        status = "avstannat"
                        options = _FOCUS_NOTES[status]
                        note = options[int(rng.integers(0, len(options)))]
                else:
                    options = _FOCUS_NOTES[status]
                    note = options[int(rng.integers(0, len(options)))]
                rows.append((year, unit.unit_id, area_id, status, note))
    frame = pd.DataFrame(rows, columns=list(DEMO_TABLES["focus_status"]))
    return frame.sort_values(["year", "unit_id", "area_id"], kind="mergesort")


def units_frame() -> pd.DataFrame:
    rows = [
        (
            u.unit_id,
            u.name,
            u.kind,
            u.region or None,
            u.valid_from.isoformat(),
            iso(u.valid_to),
            u.successor_id,
        )
        for u in UNITS
    ]
    frame = pd.DataFrame(rows, columns=list(DEMO_TABLES["units"]))
    return frame.sort_values("unit_id", kind="mergesort")


def employments_frame(spells: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "person_id": spells["person_id"],
            "unit_id": spells["unit_id"],
            "occupation": spells["occupation"],
            "area": spells["area"],
            "employment_type": spells["employment_type"],
            "start_date": spells["start"].dt.strftime("%Y-%m-%d"),
            "end_date": spells["end"].dt.strftime("%Y-%m-%d"),
            "end_reason": spells["end_reason"],
        }
    )
    return out
