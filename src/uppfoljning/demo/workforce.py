"""The demo's employment spells, simulated month by month: tillsvidare leavers drawn so
that the city-wide turnover follows a target series, every departure opening a vacancy
filled by a new hire or an internal mover, spells moved to the successor on a merger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .common import (
    BH,
    EARLIEST_START,
    FIRST_DAY,
    LAST_DAY,
    SS,
    YEARS,
    month_end,
    month_start,
    months,
    random_day,
)
from .organisation import MERGE_2020, MERGE_2023, UNIT_BY_ID, UNITS, resolve_unit, units_valid_on

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


class Workforce:
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
        unit = UNIT_BY_ID[spell.unit_id]
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
                successor = resolve_unit(spell.unit_id, day)
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
            vacancy.unit_id = resolve_unit(vacancy.unit_id, max(vacancy.fill_on, day))

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
                * UNIT_BY_ID[key[0]].turnover_factor
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
            end = random_day(rng, first, last)
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
            and resolve_unit(v.unit_id, start) != resolve_unit(old.unit_id, start)
        ]
        if options:
            vacancy = self.vacancies.pop(options[int(rng.integers(0, len(options)))])
            unit_id, area = resolve_unit(vacancy.unit_id, start), vacancy.area
        else:
            # No open post of the occupation elsewhere: a new post in a district.
            units = [
                u
                for u in units_valid_on(start)
                if u.kind == "stadsdelsforvaltning"
                and u.unit_id != resolve_unit(old.unit_id, start)
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
            unit_id = resolve_unit(vacancy.unit_id, start)
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
        for year, month in months():
            first, last = month_start(year, month), month_end(year, month)
            if first in (MERGE_2020, MERGE_2023):
                self.merge(first)
            self.end_fixed_terms(first, last)
            self.draw_leavers(year, first, last)
            self.fill_vacancies(last)


def _person_ids(rng: np.random.Generator, n: int) -> list[str]:
    """Unique pseudonyms ``p0001234`` in increasing order with random gaps."""
    numbers = 1000 + np.cumsum(rng.integers(1, 400, size=n))
    return [f"p{int(x):07d}" for x in numbers]


def spells_frame(workforce: Workforce, rng: np.random.Generator) -> pd.DataFrame:
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


def headcount_on(spells: pd.DataFrame, day: dt.date, by: Sequence[str]) -> pd.Series:
    return _active_on(spells, day).groupby(list(by)).size()


def month_end_counts(spells: pd.DataFrame) -> pd.DataFrame:
    """Headcount (all employment types) per month-end × unit × occupation × area."""
    parts = []
    for year, month in months():
        day = month_end(year, month)
        counts = headcount_on(spells, day, ["unit_id", "occupation", "area"])
        part = counts.rename("headcount").reset_index()
        part.insert(0, "month", f"{year:04d}-{month:02d}")
        part.insert(1, "year", year)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def unit_year_headcount(month_counts: pd.DataFrame) -> dict[tuple[str, int], float]:
    """Mean headcount per unit-year over the month-ends where the unit has staff."""
    per_month = month_counts.groupby(["unit_id", "year", "month"])["headcount"].sum()
    mean = per_month.groupby(level=["unit_id", "year"]).mean()
    return {(str(u), int(y)): float(v) for (u, y), v in mean.items()}
