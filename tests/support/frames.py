"""Build small typed deliveries in memory for indicator tests (answers worked by hand)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from uppfoljning.contract import DATE, TABLES
from uppfoljning.loading import Delivery

UNITS = [
    # unit_id, name, kind, valid_from, valid_to, successor_id
    ("alfa", "Alfa", "stadsdelsforvaltning", "2010-01-01", "2020-06-30", "ceta"),
    ("beta", "Beta", "stadsdelsforvaltning", "2010-01-01", "2020-06-30", "ceta"),
    ("ceta", "Ceta", "stadsdelsforvaltning", "2020-07-01", None, None),
    ("delta", "Delta", "stadsdelsforvaltning", "2010-01-01", None, None),
    ("facket", "Facket", "fackforvaltning", "2010-01-01", None, None),
]


def typed(table: str, rows: list[dict]) -> pd.DataFrame:
    spec = TABLES[table]
    frame = pd.DataFrame(rows, columns=list(spec.column_names))
    for column in spec.columns:
        if column.kind == DATE:
            frame[column.name] = pd.to_datetime(frame[column.name])
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    return frame


def units_frame(rows=UNITS) -> pd.DataFrame:
    return typed(
        "units",
        [
            dict(unit_id=u, name=n, kind=k, region=None, valid_from=f, valid_to=t, successor_id=s)
            for u, n, k, f, t, s in rows
        ],
    )


def spell(
    unit,
    start,
    end=None,
    reason=None,
    occupation="socialsekreterare",
    employment_type="tillsvidare",
    person=None,
    area="barn_och_unga",
):
    return dict(
        person_id=person or f"p-{unit}-{start}-{end}-{reason}",
        unit_id=unit,
        occupation=occupation,
        area=area,
        employment_type=employment_type,
        start_date=start,
        end_date=end,
        end_reason=reason,
    )


def delivery(employments: list[dict] | None = None, **tables: list[dict]) -> Delivery:
    frames = {
        "units": units_frame(),
        "employments": typed("employments", employments or []),
    }
    for name, rows in tables.items():
        frames[name] = typed(name, rows)
    if "consultants" not in frames:
        frames["consultants"] = typed("consultants", [])
    return Delivery(data_dir=Path("."), tables=frames, sources={})
