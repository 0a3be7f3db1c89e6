"""The demo's organisation: Stockholm's districts and specialist units with their
real history of mergers (2020 and 2023), and which unit is valid when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


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
MERGE_2020 = dt.date(2020, 7, 1)
MERGE_2023 = dt.date(2023, 7, 1)


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
_END_2020 = MERGE_2020 - dt.timedelta(days=1)
_END_2023 = MERGE_2023 - dt.timedelta(days=1)

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
        "hagersten-alvsjo", "Hägersten-Älvsjö", _S, 0, 0, 0.90, 0.85, 13.0, valid_from=MERGE_2020
    ),
    _district("jarva", "Järva", _V, 0, 0, 1.30, 1.6, 25.0, valid_from=MERGE_2023),
    _district(
        "norra-innerstaden", "Norra innerstaden", _I, 0, 0, 0.78, 0.6, 9.0, valid_from=MERGE_2023
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
UNIT_BY_ID = {u.unit_id: u for u in UNITS}


def resolve_unit(unit_id: str, day: dt.date) -> str:
    """Follow successors until a unit valid on ``day``."""
    unit = UNIT_BY_ID[unit_id]
    while unit.valid_to is not None and day > unit.valid_to:
        if unit.successor_id is None:
            raise ValueError(f"unit {unit.unit_id} has no successor on {day}")
        unit = UNIT_BY_ID[unit.successor_id]
    return unit.unit_id


def units_valid_on(day: dt.date) -> list[_Unit]:
    return [u for u in UNITS if u.valid_on(day)]


def units_valid_in(first: dt.date, last: dt.date) -> list[_Unit]:
    return [u for u in UNITS if u.valid_days_in(first, last) is not None]
