"""No person-level data in any published file.

Plants unique markers in every person-level column (``person_id`` in employments and
exit interviews, the free-text ``comment``) of a copy of the demo delivery, builds the
whole site, and searches every file the build wrote -- HTML, chart specs, CSV
downloads, search index, executed notebooks -- for them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from uppfoljning.build import build_edition
from uppfoljning.config import ReportConfig

ROOT = Path(__file__).resolve().parents[1]
PID_MARK = "qzxpid"
COMMENT_MARK = "QZXKOMMENTAR"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("build")]


def _plant(delivery: Path) -> set[str]:
    planted = set()
    employments = pd.read_csv(delivery / "employments.csv", dtype=str, keep_default_na=False)
    persons = sorted(employments.person_id.unique())
    ids = {pid: f"{PID_MARK}{i:05d}" for i, pid in enumerate(persons)}
    employments["person_id"] = employments["person_id"].map(ids)
    employments.to_csv(delivery / "employments.csv", index=False)
    interviews = pd.read_csv(delivery / "exit_interviews.csv", dtype=str, keep_default_na=False)
    interviews["person_id"] = interviews["person_id"].map(ids)
    interviews["comment"] = [f"{COMMENT_MARK}{i:05d} lämnade" for i in range(len(interviews))]
    interviews.to_csv(delivery / "exit_interviews.csv", index=False)
    planted.update(ids.values())
    planted.update(interviews["comment"])
    return planted


def test_planted_person_level_values_reach_no_published_file(tmp_path):
    delivery = tmp_path / "delivery"
    shutil.copytree(ROOT / "data" / "demo", delivery)
    planted = _plant(delivery)
    assert len(planted) > 1000
    out = tmp_path / "site"
    # Keep the work folder (executed notebooks, results the notebooks read) and search
    # it too: nothing person-level may reach even the intermediate files.
    build_edition(data_dir=delivery, edition=2024, out_dir=out, jobs=2, only=None,
                  config=ReportConfig(), project_root=ROOT, keep_work=True,
                  work_root=tmp_path / "work")
    written = [p for p in tmp_path.rglob("*") if p.is_file() and delivery not in p.parents]
    assert any(p.suffix == ".html" for p in written)
    assert any(p.suffix == ".ipynb" for p in written)
    leaks = []
    for path in written:
        data = path.read_bytes()
        # Markers are ASCII: a match in any encoding of the text (JSON, HTML, JS) shows.
        if PID_MARK.encode() in data or COMMENT_MARK.encode() in data:
            leaks.append(str(path.relative_to(tmp_path)))
    assert not leaks, f"person-level values found in: {leaks[:10]}"
