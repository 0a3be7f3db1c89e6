"""The unit registry: validity periods, successors and restatement to an edition's units.

An edition ``E`` shows the units valid on ``E-12-31``. A row of a unit that no longer
exists then is counted for its successor (followed until a unit valid on ``E-12-31``),
so a merged unit carries a series from the first year (indicators.md, "Restatement").
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .formatting import join_list

CITY_ID = "stockholm"
CITY_NAME = "Stockholms stad"
KIND_ORDER = {"stadsdelsforvaltning": 0, "fackforvaltning": 1}
_SWEDISH_ORDER = str.maketrans({"å": "{a", "ä": "{b", "ö": "{c", "é": "e", "ü": "y"})


def swedish_sort_key(text: str) -> str:
    """Collate as a Swedish reader expects: ... x y z å ä ö."""
    return text.lower().translate(_SWEDISH_ORDER)


def edition_end(edition: int) -> pd.Timestamp:
    return pd.Timestamp(year=edition, month=12, day=31)


@dataclass(frozen=True)
class Predecessor:
    unit_id: str
    name: str
    merged_on: pd.Timestamp  # first day of the successor's responsibility


class UnitRegistry:
    """Read-only view of the ``units`` table."""

    def __init__(self, units: pd.DataFrame):
        frame = units.copy()
        frame["valid_to"] = pd.to_datetime(frame["valid_to"])
        frame["valid_from"] = pd.to_datetime(frame["valid_from"])
        if "successor_id" not in frame:
            frame["successor_id"] = None
        self._frame = frame.set_index("unit_id", drop=False)

    @classmethod
    def from_frame(cls, units: pd.DataFrame) -> UnitRegistry:
        return cls(units)

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame.reset_index(drop=True)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._frame.index

    def name(self, unit_id: str) -> str:
        if unit_id == CITY_ID:
            return CITY_NAME
        return str(self._frame.at[unit_id, "name"])

    def kind(self, unit_id: str) -> str:
        return str(self._frame.at[unit_id, "kind"])

    def is_valid_on(self, unit_id: str, day: pd.Timestamp) -> bool:
        row = self._frame.loc[unit_id]
        return row["valid_from"] <= day and (pd.isna(row["valid_to"]) or row["valid_to"] >= day)

    def edition_units(self, edition: int) -> pd.DataFrame:
        """Units valid on E-12-31: stadsdelsförvaltningar by name, then fackförvaltningar."""
        day = edition_end(edition)
        frame = self._frame
        valid = frame[
            (frame["valid_from"] <= day) & (frame["valid_to"].isna() | (frame["valid_to"] >= day))
        ]
        order = sorted(
            valid.index,
            key=lambda u: (
                KIND_ORDER.get(valid.at[u, "kind"], 9),
                swedish_sort_key(str(valid.at[u, "name"])),
            ),
        )
        columns = ["unit_id", "name", "kind", "region"]
        result = valid.loc[order, [c for c in columns if c in valid.columns]]
        return result.reset_index(drop=True)

    def edition_unit_ids(self, edition: int) -> list[str]:
        return self.edition_units(edition)["unit_id"].tolist()

    def edition_unit_of(self, unit_id: str, edition: int) -> str | None:
        """Follow successors from ``unit_id`` to the unit valid on E-12-31, if any."""
        day = edition_end(edition)
        seen: set[str] = set()
        current: str | None = unit_id
        while current is not None and current in self._frame.index and current not in seen:
            if self.is_valid_on(current, day):
                return current
            seen.add(current)
            successor = self._frame.at[current, "successor_id"]
            current = successor if isinstance(successor, str) and successor else None
        return None

    def edition_map(self, edition: int) -> dict[str, str]:
        """Every unit that restates into an edition unit -> that edition unit."""
        mapping = {}
        for unit_id in self._frame.index:
            target = self.edition_unit_of(unit_id, edition)
            if target is not None:
                mapping[unit_id] = target
        return mapping

    def years_existing(self, edition: int) -> dict[str, set[int]]:
        """Per edition unit, the years (up to ``edition``) in which it or a unit restated
        into it was valid on at least one day: before its first such year a unit has no
        figures ("uppgift saknas"), not zeros."""
        years: dict[str, set[int]] = {}
        for unit_id, target in self.edition_map(edition).items():
            first = self._frame.at[unit_id, "valid_from"].year
            last = self._frame.at[unit_id, "valid_to"]
            last = edition if pd.isna(last) else min(last.year, edition)
            years.setdefault(target, set()).update(range(first, last + 1))
        return years

    def predecessors(self, unit_id: str, edition: int) -> list[Predecessor]:
        """Units merged into ``unit_id`` (directly) before the end of the edition year."""
        frame = self._frame
        merged = frame[(frame["successor_id"] == unit_id) & frame["valid_to"].notna()]
        merged = merged[merged["valid_to"] < edition_end(edition)]
        result = [
            Predecessor(
                u, str(merged.at[u, "name"]), merged.at[u, "valid_to"] + pd.Timedelta(days=1)
            )
            for u in merged.index
        ]
        return sorted(result, key=lambda p: (p.merged_on, swedish_sort_key(p.name)))

    def reorganisation_note(self, unit_id: str, edition: int) -> str | None:
        """Swedish footnote for a unit formed by a merger, or None."""
        predecessors = self.predecessors(unit_id, edition)
        if not predecessors:
            return None
        by_date: dict[pd.Timestamp, list[str]] = {}
        for p in predecessors:
            by_date.setdefault(p.merged_on, []).append(p.name)
        parts = [
            f"{self.name(unit_id)} bildades {day.date().isoformat()} av {join_list(names)}"
            for day, names in sorted(by_date.items())
        ]
        return "; ".join(parts) + "; tidigare år är omräknade."
