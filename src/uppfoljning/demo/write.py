"""Writing the demo delivery: every table as a CSV file in the contract's column order."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .common import DEMO_TABLES
from .tables import (
    FOCUS_AREAS,
    draw_caseload,
    draw_consultant_costs,
    draw_consultants,
    draw_exit_interviews,
    draw_focus_status,
    draw_incidents,
    draw_job_ads,
    draw_managers_and_admin,
    draw_reinforcement,
    draw_staff_survey,
    draw_visits,
    employments_frame,
    units_frame,
)
from .workforce import Workforce, month_end_counts, spells_frame, unit_year_headcount


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

    workforce = Workforce(rng)
    workforce.run()
    spells = spells_frame(workforce, rng)
    month_counts = month_end_counts(spells)
    unit_hc = unit_year_headcount(month_counts)

    consultants = draw_consultants(rng, spells)
    managers, admin = draw_managers_and_admin(rng, spells)
    tables: dict[str, pd.DataFrame] = {
        "units": units_frame(),
        "employments": employments_frame(spells),
        "consultants": consultants,
        "consultant_costs": draw_consultant_costs(rng, consultants),
        "job_ads": draw_job_ads(rng, month_counts),
        "visits": draw_visits(rng, unit_hc, month_counts),
        "caseload": draw_caseload(rng, month_counts),
        "staff_survey": draw_staff_survey(rng, spells),
        "incidents": draw_incidents(rng, spells, unit_hc),
        "reinforcement": draw_reinforcement(rng),
        "managers": managers,
        "admin_support": admin,
        "exit_interviews": draw_exit_interviews(rng, spells),
        "focus_areas": pd.DataFrame(list(FOCUS_AREAS), columns=list(DEMO_TABLES["focus_areas"])),
        "focus_status": draw_focus_status(rng),
    }
    for name, columns in DEMO_TABLES.items():
        _write_csv(tables[name], out_dir / f"{name}.csv", columns)
