"""Deterministic synthetic demo delivery.

``write_demo_delivery`` writes the 14 tables of the data contract as CSV files into a
folder. Everything is drawn from ``numpy.random.default_rng(seed)`` in a fixed order, so
the same seed always gives byte-identical files.

The data are invented but calibrated to the figures the follow-up of Stockholm's action
plan is known for: a break in personnel turnover in 2019, 100 consultants in November
2016 and 34 in November 2018, consultant costs of 111 mnkr in 2016, and so on. The
organisation follows the city's real history of district mergers (2020 and 2023).

The employment spells are simulated month by month: tillsvidare leavers are drawn so that
the city-wide turnover follows a target series, every departure opens a vacancy that is
filled by a new hire (or by an internal mover) after a gap, and on each merger every
active spell of the old unit is transferred to the successor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .contract import EXIT_REASONS, TABLES

__all__ = ["write_demo_delivery", "DEMO_TABLES"]

FIRST_DAY = dt.date(2016, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
EARLIEST_START = dt.date(2007, 1, 1)
YEARS = tuple(range(2016, 2025))

SS = "socialsekreterare"
BH = "bistandshandlaggare"
OCCUPATIONS = (SS, BH)

# Column order of every table as written: the contract's order (data-contract.md).
DEMO_TABLES: dict[str, tuple[str, ...]] = {
    name: tuple(column.name for column in table.columns) for name, table in TABLES.items()
}


# --------------------------------------------------------------------------- units


@dataclass(frozen=True)
class _Unit:
    unit_id: str
    name: str
    kind: str
    region: str
    valid_from: dt.date
    valid_to: dt.date | None
    successor_id: str | None
    # Generator parameters (not written): budgeted positions per area, relative turnover,
    # relative consultant dependence and mean wait for a booked visit in days.
    ss_positions: dict[str, int]
    bh_positions: dict[str, int]
    turnover_factor: float
    consultant_factor: float
    wait_mean: float

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def valid_days_in(self, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date] | None:
        lo = max(first, self.valid_from)
        hi = last if self.valid_to is None else min(last, self.valid_to)
        return (lo, hi) if lo <= hi else None


_D2007 = dt.date(2007, 1, 1)
_MERGE_2020 = dt.date(2020, 7, 1)
_MERGE_2023 = dt.date(2023, 7, 1)


def _district(
    unit_id: str,
    name: str,
    region: str,
    ss: int,
    bh: int,
    turnover: float,
    consultants: float,
    wait: float,
    valid_from: dt.date = _D2007,
    valid_to: dt.date | None = None,
    successor: str | None = None,
) -> _Unit:
    """A stadsdelsförvaltning with ``ss`` socialsekreterare and ``bh`` handläggare posts."""
    bou = round(ss * 0.45)
    eb = round(ss * 0.35)
    ss_pos = {"barn_och_unga": bou, "vuxna": ss - bou - eb, "ekonomiskt_bistand": eb}
    aldre = round(bh * 0.7)
    bh_pos = {"aldre": aldre, "funktionsnedsattning": bh - aldre}
    return _Unit(
        unit_id,
        name,
        "stadsdelsforvaltning",
        region,
        valid_from,
        valid_to,
        successor,
        ss_pos if ss else {},
        bh_pos if bh else {},
        turnover,
        consultants,
        wait,
    )


_V, _I, _S = "Västerort", "Inre staden", "Söderort"
_END_2020 = _MERGE_2020 - dt.timedelta(days=1)
_END_2023 = _MERGE_2023 - dt.timedelta(days=1)

UNITS: tuple[_Unit, ...] = (
    _district(
        "rinkeby-kista",
        "Rinkeby-Kista",
        _V,
        98,
        30,
        1.45,
        1.9,
        30.0,
        valid_to=_END_2023,
        successor="jarva",
    ),
    _district(
        "spanga-tensta",
        "Spånga-Tensta",
        _V,
        60,
        22,
        1.35,
        1.6,
        26.0,
        valid_to=_END_2023,
        successor="jarva",
    ),
    _district("hasselby-vallingby", "Hässelby-Vällingby", _V, 84, 40, 1.05, 1.0, 16.0),
    _district("bromma", "Bromma", _V, 58, 46, 0.80, 0.6, 9.0),
    _district("kungsholmen", "Kungsholmen", _I, 50, 32, 0.75, 0.5, 8.0),
    _district(
        "norrmalm",
        "Norrmalm",
        _I,
        42,
        26,
        0.85,
        0.7,
        10.0,
        valid_to=_END_2023,
        successor="norra-innerstaden",
    ),
    _district(
        "ostermalm",
        "Östermalm",
        _I,
        40,
        36,
        0.70,
        0.5,
        7.0,
        valid_to=_END_2023,
        successor="norra-innerstaden",
    ),
    _district("sodermalm", "Södermalm", _I, 90, 46, 0.95, 0.9, 13.0),
    _district("enskede-arsta-vantor", "Enskede-Årsta-Vantör", _S, 98, 46, 1.10, 1.2, 19.0),
    _district("skarholmen", "Skärholmen", _S, 68, 22, 1.35, 1.7, 35.0),
    _district(
        "hagersten-liljeholmen",
        "Hägersten-Liljeholmen",
        _S,
        68,
        36,
        0.90,
        0.9,
        14.0,
        valid_to=_END_2020,
        successor="hagersten-alvsjo",
    ),
    _district(
        "alvsjo",
        "Älvsjö",
        _S,
        30,
        17,
        0.85,
        0.7,
        11.0,
        valid_to=_END_2020,
        successor="hagersten-alvsjo",
    ),
    _district("farsta", "Farsta", _S, 78, 36, 1.15, 1.3, 22.0),
    _district("skarpnack", "Skarpnäck", _S, 60, 26, 1.00, 1.0, 17.0),
    _district(
        "hagersten-alvsjo", "Hägersten-Älvsjö", _S, 0, 0, 0.90, 0.85, 13.0, valid_from=_MERGE_2020
    ),
    _district("jarva", "Järva", _V, 0, 0, 1.30, 1.6, 25.0, valid_from=_MERGE_2023),
    _district(
        "norra-innerstaden", "Norra innerstaden", _I, 0, 0, 0.78, 0.6, 9.0, valid_from=_MERGE_2023
    ),
    _Unit(
        "socialforvaltningen",
        "Socialförvaltningen",
        "fackforvaltning",
        "",
        _D2007,
        None,
        None,
        {"stadsovergripande": 72, "barn_och_unga": 62, "vuxna": 46},
        {"funktionsnedsattning": 3},
        0.90,
        0.8,
        12.0,
    ),
)
_UNIT_BY_ID = {u.unit_id: u for u in UNITS}


def _resolve_unit(unit_id: str, day: dt.date) -> str:
    """Follow successors until a unit valid on ``day``."""
    unit = _UNIT_BY_ID[unit_id]
    while unit.valid_to is not None and day > unit.valid_to:
        if unit.successor_id is None:
            raise ValueError(f"unit {unit.unit_id} has no successor on {day}")
        unit = _UNIT_BY_ID[unit.successor_id]
    return unit.unit_id


def _units_valid_on(day: dt.date) -> list[_Unit]:
    return [u for u in UNITS if u.valid_on(day)]


def _units_valid_in(first: dt.date, last: dt.date) -> list[_Unit]:
    return [u for u in UNITS if u.valid_days_in(first, last) is not None]


# ------------------------------------------------------------------ calendar helpers


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def _months() -> list[tuple[int, int]]:
    return [(y, m) for y in YEARS for m in range(1, 13)]


def _random_day(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    span = (last - first).days
    return first + dt.timedelta(days=int(rng.integers(0, span + 1)))


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


# ------------------------------------------------------------ employment simulation

# City-wide target turnover (tillsvidare leavers excluding omorganisation / mean H).
TURNOVER_TARGET = {
    2016: 0.171,
    2017: 0.160,
    2018: 0.150,
    2019: 0.112,
    2020: 0.106,
    2021: 0.110,
    2022: 0.125,
    2023: 0.140,
    2024: 0.155,
}
# Share of tillsvidare leavers per end reason (egen_begaran, pension, ovrigt, intern).
_REASONS = ("egen_begaran", "pension", "ovrigt", "intern_rorlighet")
_REASON_SHARES = {
    2016: (0.55, 0.17, 0.09, 0.19),
    2017: (0.56, 0.17, 0.09, 0.18),
    2018: (0.56, 0.17, 0.09, 0.18),
    2019: (0.50, 0.20, 0.09, 0.21),
    2020: (0.48, 0.21, 0.09, 0.22),
    2021: (0.50, 0.20, 0.09, 0.21),
    2022: (0.54, 0.18, 0.08, 0.20),
    2023: (0.57, 0.17, 0.08, 0.18),
    2024: (0.59, 0.16, 0.08, 0.17),
}
_OCCUPATION_TURNOVER = {SS: 1.05, BH: 0.85}
_DISTRICT_AREAS = {
    SS: ("barn_och_unga", "vuxna", "ekonomiskt_bistand"),
    BH: ("aldre", "funktionsnedsattning"),
}
_VISSTID_SHARE_INITIAL = 0.05
_VISSTID_SHARE_HIRES = 0.11
_INITIAL_VACANCY_SHARE = 0.025


@dataclass
class _Spell:
    person: int
    unit_id: str
    occupation: str
    area: str
    employment_type: str
    start: dt.date
    end: dt.date | None = None
    end_reason: str | None = None
    planned_end: dt.date | None = None  # scheduled end of a visstid spell (internal)


@dataclass
class _Vacancy:
    unit_id: str
    occupation: str
    area: str
    fill_on: dt.date


class _Workforce:
    """Month-by-month simulation of employment spells."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.spells: list[_Spell] = []
        self.vacancies: list[_Vacancy] = []
        self.next_person = 0
        self.leaver_carry: dict[tuple[str, str], float] = {}
        # Unit × year turnover noise, so that unit levels move a little between years.
        self.unit_year_factor = {
            (u.unit_id, y): float(np.exp(rng.normal(0.0, 0.12))) for u in UNITS for y in YEARS
        }

    # -- helpers ---------------------------------------------------------------
    def _new_person(self) -> int:
        self.next_person += 1
        return self.next_person

    def _end_spell(self, spell: _Spell, end: dt.date, reason: str) -> None:
        unit = _UNIT_BY_ID[spell.unit_id]
        # The last day of a merging unit belongs to the reorganisation: an ordinary
        # departure on that day is moved one day earlier.
        if reason != "omorganisation" and unit.valid_to is not None and end >= unit.valid_to:
            end = unit.valid_to - dt.timedelta(days=1)
        end = max(end, spell.start)
        spell.end = end
        spell.end_reason = reason

    def _hire_gap(self, year: int) -> int:
        base = 40.0 if year <= 2018 else 30.0
        return int(7 + self.rng.gamma(2.0, base / 2.0))

    def _open_vacancy(self, spell: _Spell) -> None:
        assert spell.end is not None
        fill_on = spell.end + dt.timedelta(days=1 + self._hire_gap(spell.end.year))
        self.vacancies.append(_Vacancy(spell.unit_id, spell.occupation, spell.area, fill_on))

    def _visstid_end(self, start: dt.date) -> dt.date:
        return start + dt.timedelta(days=int(self.rng.integers(90, 366)))

    # -- initial state ----------------------------------------------------------
    def populate(self) -> None:
        """Persons employed on 2016-01-01, with start dates back to 2007."""
        rng = self.rng
        for unit in UNITS:
            if not unit.valid_on(FIRST_DAY):
                continue
            for occupation, positions in ((SS, unit.ss_positions), (BH, unit.bh_positions)):
                for area, n in positions.items():
                    for _ in range(n):
                        if rng.random() < _INITIAL_VACANCY_SHARE:
                            fill_on = FIRST_DAY + dt.timedelta(days=int(rng.integers(0, 60)))
                            self.vacancies.append(_Vacancy(unit.unit_id, occupation, area, fill_on))
                            continue
                        if rng.random() < _VISSTID_SHARE_INITIAL:
                            start = FIRST_DAY - dt.timedelta(days=int(rng.integers(1, 300)))
                            spell = _Spell(
                                self._new_person(), unit.unit_id, occupation, area, "visstid", start
                            )
                            spell.planned_end = self._visstid_end(start)
                            if spell.planned_end < FIRST_DAY:
                                spell.planned_end = FIRST_DAY + dt.timedelta(
                                    days=int(rng.integers(0, 200))
                                )
                        else:
                            # Tenure: exponential, the tail beyond 2007 spread evenly.
                            longest = (FIRST_DAY - EARLIEST_START).days
                            tenure = int(rng.exponential(4.5 * 365)) + 1
                            if tenure > longest:
                                tenure = int(rng.integers(1, longest + 1))
                            start = FIRST_DAY - dt.timedelta(days=tenure)
                            spell = _Spell(
                                self._new_person(),
                                unit.unit_id,
                                occupation,
                                area,
                                "tillsvidare",
                                start,
                            )
                        self.spells.append(spell)

    # -- monthly steps ------------------------------------------------------------
    def merge(self, day: dt.date) -> None:
        """Transfer every active spell of units ending the day before ``day``."""
        last = day - dt.timedelta(days=1)
        old = {u.unit_id for u in UNITS if u.valid_to == last}
        for spell in list(self.spells):
            if spell.unit_id in old and spell.end is None and spell.start <= last:
                self._end_spell(spell, last, "omorganisation")
                successor = _resolve_unit(spell.unit_id, day)
                self.spells.append(
                    _Spell(
                        spell.person,
                        successor,
                        spell.occupation,
                        spell.area,
                        spell.employment_type,
                        day,
                        planned_end=spell.planned_end,
                    )
                )
        for vacancy in self.vacancies:
            vacancy.unit_id = _resolve_unit(vacancy.unit_id, max(vacancy.fill_on, day))

    def end_fixed_terms(self, first: dt.date, last: dt.date) -> None:
        for spell in list(self.spells):
            if (
                spell.end is None
                and spell.employment_type == "visstid"
                and spell.planned_end is not None
                and spell.planned_end <= last
            ):
                reason = "egen_begaran" if self.rng.random() < 0.15 else "ovrigt"
                self._end_spell(spell, max(spell.planned_end, first), reason)
                self._open_vacancy(spell)

    def draw_leavers(self, year: int, first: dt.date, last: dt.date) -> None:
        rng = self.rng
        candidates = [
            s
            for s in self.spells
            if s.end is None and s.employment_type == "tillsvidare" and s.start < first
        ]
        if not candidates:
            return
        # The city-wide number of leavers follows the target; it is split over the
        # unit × occupation groups by their relative turnover. Each group keeps the
        # fraction it did not use this month, so its yearly count is close to expected.
        groups: dict[tuple[str, str], list[int]] = {}
        for i, s in enumerate(candidates):
            groups.setdefault((s.unit_id, s.occupation), []).append(i)
        keys = sorted(groups)
        weight = np.array(
            [
                len(groups[key])
                * _UNIT_BY_ID[key[0]].turnover_factor
                * self.unit_year_factor[(key[0], year)]
                * _OCCUPATION_TURNOVER[key[1]]
                for key in keys
            ]
        )
        total = TURNOVER_TARGET[year] / 12.0 * len(candidates)
        chosen: list[int] = []
        for key, w in zip(keys, weight, strict=True):
            if key not in self.leaver_carry:
                self.leaver_carry[key] = float(rng.random())
            expected = total * w / weight.sum() + self.leaver_carry[key]
            k = min(int(np.floor(expected)), len(groups[key]))
            self.leaver_carry[key] = expected - k
            picked = rng.choice(len(groups[key]), size=k, replace=False)
            chosen.extend(groups[key][int(j)] for j in picked)
        shares = np.array(_REASON_SHARES[year])
        for idx in sorted(int(i) for i in chosen):
            spell = candidates[idx]
            reason = _REASONS[int(rng.choice(len(_REASONS), p=shares))]
            end = _random_day(rng, first, last)
            if reason == "intern_rorlighet" and end >= LAST_DAY:
                reason = "egen_begaran"
            self._end_spell(spell, end, reason)
            self._open_vacancy(spell)
            if reason == "intern_rorlighet":
                self._move_internally(spell)

    def _move_internally(self, old: _Spell) -> None:
        """The leaver starts in another unit, filling one of its open vacancies."""
        rng = self.rng
        assert old.end is not None
        gap = 0 if rng.random() < 0.7 else int(rng.integers(1, 21))
        start = min(old.end + dt.timedelta(days=1 + gap), LAST_DAY)
        options = [
            i
            for i, v in enumerate(self.vacancies)
            if v.occupation == old.occupation
            and _resolve_unit(v.unit_id, start) != _resolve_unit(old.unit_id, start)
        ]
        if options:
            vacancy = self.vacancies.pop(options[int(rng.integers(0, len(options)))])
            unit_id, area = _resolve_unit(vacancy.unit_id, start), vacancy.area
        else:
            # No open post of the occupation elsewhere: a new post in a district.
            units = [
                u
                for u in _units_valid_on(start)
                if u.kind == "stadsdelsforvaltning"
                and u.unit_id != _resolve_unit(old.unit_id, start)
            ]
            unit_id = units[int(rng.integers(0, len(units)))].unit_id
            areas = _DISTRICT_AREAS[old.occupation]
            area = areas[int(rng.integers(0, len(areas)))]
        self.spells.append(_Spell(old.person, unit_id, old.occupation, area, "tillsvidare", start))

    def fill_vacancies(self, last: dt.date) -> None:
        due = [v for v in self.vacancies if v.fill_on <= last]
        self.vacancies = [v for v in self.vacancies if v.fill_on > last]
        for vacancy in due:
            start = vacancy.fill_on
            unit_id = _resolve_unit(vacancy.unit_id, start)
            if self.rng.random() < _VISSTID_SHARE_HIRES:
                spell = _Spell(
                    self._new_person(), unit_id, vacancy.occupation, vacancy.area, "visstid", start
                )
                spell.planned_end = self._visstid_end(start)
            else:
                spell = _Spell(
                    self._new_person(),
                    unit_id,
                    vacancy.occupation,
                    vacancy.area,
                    "tillsvidare",
                    start,
                )
            self.spells.append(spell)

    def run(self) -> None:
        self.populate()
        for year, month in _months():
            first, last = _month_start(year, month), _month_end(year, month)
            if first in (_MERGE_2020, _MERGE_2023):
                self.merge(first)
            self.end_fixed_terms(first, last)
            self.draw_leavers(year, first, last)
            self.fill_vacancies(last)


def _person_ids(rng: np.random.Generator, n: int) -> list[str]:
    """Unique pseudonyms ``p0001234`` in increasing order with random gaps."""
    numbers = 1000 + np.cumsum(rng.integers(1, 400, size=n))
    return [f"p{int(x):07d}" for x in numbers]


def _spells_frame(workforce: _Workforce, rng: np.random.Generator) -> pd.DataFrame:
    persons = sorted({s.person for s in workforce.spells})
    # Pseudonyms are assigned in a random order so they don't reveal hiring order.
    order = rng.permutation(len(persons))
    ids = _person_ids(rng, len(persons))
    pseudonym = {persons[int(i)]: ids[k] for k, i in enumerate(order)}
    frame = pd.DataFrame(
        {
            "person_id": [pseudonym[s.person] for s in workforce.spells],
            "unit_id": [s.unit_id for s in workforce.spells],
            "occupation": [s.occupation for s in workforce.spells],
            "area": [s.area for s in workforce.spells],
            "employment_type": [s.employment_type for s in workforce.spells],
            "start": pd.to_datetime([s.start for s in workforce.spells]),
            "end": pd.to_datetime([s.end for s in workforce.spells]),
            "end_reason": [s.end_reason for s in workforce.spells],
        }
    )
    return frame.sort_values(["person_id", "start"], kind="mergesort").reset_index(drop=True)


def _active_on(spells: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    ts = pd.Timestamp(day)
    mask = (spells["start"] <= ts) & (spells["end"].isna() | (spells["end"] >= ts))
    return spells[mask]


def _headcount_on(spells: pd.DataFrame, day: dt.date, by: Sequence[str]) -> pd.Series:
    return _active_on(spells, day).groupby(list(by)).size()


def _month_end_counts(spells: pd.DataFrame) -> pd.DataFrame:
    """Headcount (all employment types) per month-end × unit × occupation × area."""
    parts = []
    for year, month in _months():
        day = _month_end(year, month)
        counts = _headcount_on(spells, day, ["unit_id", "occupation", "area"])
        part = counts.rename("headcount").reset_index()
        part.insert(0, "month", f"{year:04d}-{month:02d}")
        part.insert(1, "year", year)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _unit_year_headcount(month_counts: pd.DataFrame) -> dict[tuple[str, int], float]:
    """Mean headcount per unit-year over the month-ends where the unit has staff."""
    per_month = month_counts.groupby(["unit_id", "year", "month"])["headcount"].sum()
    mean = per_month.groupby(level=["unit_id", "year"]).mean()
    return {(str(u), int(y)): float(v) for (u, y), v in mean.items()}


# ------------------------------------------------------------------ other tables


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


def _consultants(rng: np.random.Generator, spells: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for day in sorted(CONSULTANT_POINTS):
        counts = _headcount_on(spells, day, ["unit_id", "occupation"])
        cells, weights = [], []
        for unit in _units_valid_on(day):
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


def _consultant_costs(rng: np.random.Generator, consultants: pd.DataFrame) -> pd.DataFrame:
    per_unit = consultants.assign(year=consultants["measured_on"].str[:4].astype(int))
    per_unit = per_unit.groupby(["year", "unit_id"])["consultants"].sum()
    rows = []
    for year in YEARS:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        units = _units_valid_in(first, last)
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


def _job_ads(rng: np.random.Generator, month_counts: pd.DataFrame) -> pd.DataFrame:
    staff = month_counts.groupby(["month", "unit_id", "occupation"])["headcount"].sum()
    rows = []
    for year, month in _months():
        key = f"{year:04d}-{month:02d}"
        units = _units_valid_in(_month_start(year, month), _month_end(year, month))
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


def _visits(
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
        for unit in _units_valid_in(dt.date(year, 1, 1), dt.date(year, 12, 31)):
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


def _caseload(rng: np.random.Generator, month_counts: pd.DataFrame) -> pd.DataFrame:
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


def _staff_survey(rng: np.random.Generator, spells: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for year in YEARS:
        day = dt.date(year, 9, 15)
        counts = _headcount_on(spells, day, ["unit_id", "occupation"])
        for unit in _units_valid_on(day):
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


def _incidents(
    rng: np.random.Generator, spells: pd.DataFrame, unit_hc: dict[tuple[str, int], float]
) -> pd.DataFrame:
    occ_mix = spells.groupby(["unit_id", "occupation"]).size()
    categories = ("hot", "vald", "otillaten_paverkan")
    category_p = np.array([0.62, 0.13, 0.25])
    rows = []
    for year in YEARS:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        for unit in _units_valid_in(first, last):
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
                day = _random_day(rng, lo, hi)
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


def _reinforcement(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for team, since in _TEAMS:
        for year in YEARS:
            if year < since:
                continue
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            units = [u for u in _units_valid_in(first, last) if u.kind == "stadsdelsforvaltning"]
            weights = np.array([u.turnover_factor**3 for u in units])
            for _ in range(int(rng.integers(4, 9))):
                unit = units[int(rng.choice(len(units), p=weights / weights.sum()))]
                lo, hi = unit.valid_days_in(first, last)  # type: ignore[misc]
                start = _random_day(rng, lo, hi)
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


def _managers_and_admin(
    rng: np.random.Generator, spells: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    managers, admin = [], []
    for year in YEARS:
        day = dt.date(year, 12, 31)
        counts = _headcount_on(spells, day, ["unit_id"])
        for unit in _units_valid_on(day):
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


def _exit_interviews(rng: np.random.Generator, spells: pd.DataFrame) -> pd.DataFrame:
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
}
_STATUS_ORDER = ("ej_paborjat", "paborjat", "genomfort")


def _focus_status(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    state: dict[tuple[str, str], int] = {}
    stalled: dict[tuple[str, str], bool] = {}
    for year in range(2018, 2025):
        for unit in _units_valid_in(dt.date(year, 1, 1), dt.date(year, 12, 31)):
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
                        state[(u.unit_id, area_id)]
                        for u in UNITS
                        if u.successor_id == unit.unit_id and (u.unit_id, area_id) in state
                    ]
                    if predecessors:
                        state[key] = min(predecessors)
                    else:
                        state[key] = int(rng.choice(3, p=[0.45, 0.45, 0.10]))
                    stalled[key] = bool(rng.random() < 0.15)
                else:
                    current = state[key]
                    if current == 0 and rng.random() < 0.5:
                        state[key] = 1
                    elif current == 1 and not stalled[key] and rng.random() < 0.35:
                        state[key] = 2
                status = _STATUS_ORDER[state[key]]
                if stalled[key] and status == "paborjat" and year >= 2021:
                    note = "Arbetet har stannat av och behöver nya beslut."
                else:
                    options = _FOCUS_NOTES[status]
                    note = options[int(rng.integers(0, len(options)))]
                rows.append((year, unit.unit_id, area_id, status, note))
    frame = pd.DataFrame(rows, columns=list(DEMO_TABLES["focus_status"]))
    return frame.sort_values(["year", "unit_id", "area_id"], kind="mergesort")


def _units_frame() -> pd.DataFrame:
    rows = [
        (
            u.unit_id,
            u.name,
            u.kind,
            u.region or None,
            u.valid_from.isoformat(),
            _iso(u.valid_to),
            u.successor_id,
        )
        for u in UNITS
    ]
    frame = pd.DataFrame(rows, columns=list(DEMO_TABLES["units"]))
    return frame.sort_values("unit_id", kind="mergesort")


def _employments_frame(spells: pd.DataFrame) -> pd.DataFrame:
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


# ------------------------------------------------------------------------ writing


def _write_csv(frame: pd.DataFrame, path: Path, columns: Sequence[str]) -> None:
    frame = frame.loc[:, list(columns)].reset_index(drop=True)
    text = frame.to_csv(index=False, lineterminator="\n", na_rep="")
    path.write_bytes(text.encode("utf-8"))


def write_demo_delivery(out_dir: Path, seed: int = 2024) -> None:
    """Write the synthetic demo delivery (14 CSV tables) into ``out_dir``.

    The same ``seed`` always produces byte-identical files.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)

    workforce = _Workforce(rng)
    workforce.run()
    spells = _spells_frame(workforce, rng)
    month_counts = _month_end_counts(spells)
    unit_hc = _unit_year_headcount(month_counts)

    consultants = _consultants(rng, spells)
    managers, admin = _managers_and_admin(rng, spells)
    tables: dict[str, pd.DataFrame] = {
        "units": _units_frame(),
        "employments": _employments_frame(spells),
        "consultants": consultants,
        "consultant_costs": _consultant_costs(rng, consultants),
        "job_ads": _job_ads(rng, month_counts),
        "visits": _visits(rng, unit_hc, month_counts),
        "caseload": _caseload(rng, month_counts),
        "staff_survey": _staff_survey(rng, spells),
        "incidents": _incidents(rng, spells, unit_hc),
        "reinforcement": _reinforcement(rng),
        "managers": managers,
        "admin_support": admin,
        "exit_interviews": _exit_interviews(rng, spells),
        "focus_areas": pd.DataFrame(list(FOCUS_AREAS), columns=list(DEMO_TABLES["focus_areas"])),
        "focus_status": _focus_status(rng),
    }
    for name, columns in DEMO_TABLES.items():
        _write_csv(tables[name], out_dir / f"{name}.csv", columns)
