"""No person-level data in any published file.

Plants unique markers in every person-level column (``person_id`` in employments and
exit interviews, the free-text ``comment``) of a copy of the demo delivery, builds the
whole site in a copy of the project, and searches every file the build wrote -- HTML,
chart specs, CSV downloads, search index, executed notebooks, the results the notebooks
read, logs and the build cache -- for them. Parquet files and zip containers (XLSX) are
searched in their decoded content, since compression would hide a marker.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from support.projects import PROJECT_INPUTS, copy_inputs
from uppfoljning.build import build_edition
from uppfoljning.config import ReportConfig
from uppfoljning.project import Project

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


def _searchable(path: Path) -> bytes:
    """The bytes to search: decoded content for Parquet and zip files, else the file."""
    data = path.read_bytes()
    if data[:4] == b"PAR1":
        return pd.read_parquet(io.BytesIO(data)).to_csv(index=False).encode()
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return b"\n".join(archive.read(name) for name in archive.namelist())
    return data


def test_planted_person_level_values_reach_no_written_file(tmp_path):
    delivery = tmp_path / "delivery"
    shutil.copytree(ROOT / "data" / "demo", delivery)
    planted = _plant(delivery)
    assert len(planted) > 1000
    # A project of its own: the build's cache, logs, run and work folders all land
    # under tmp_path, never in the repository's _build/.
    project = copy_inputs(tmp_path / "project", (*PROJECT_INPUTS, "requirements.lock"))
    inputs = {project / name for name in (*PROJECT_INPUTS, "requirements.lock")}
    out = tmp_path / "site"
    build_edition(
        data_dir=delivery,
        edition=2024,
        out_dir=out,
        jobs=2,
        only=None,
        config=ReportConfig(),
        project=Project.at(project),
        keep_work=True,
        draft=True,
    )  # the planted values may warn: a draft needs no review
    written = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file() and delivery not in p.parents and not inputs & {p, *p.parents}
    ]
    folders = {p.relative_to(tmp_path).parts[:3] for p in written}
    assert ("project", "_build", "cache") in folders  # the cache is searched too
    assert any(p.suffix == ".html" for p in written)
    assert any(p.suffix == ".ipynb" for p in written)
    assert any(p.suffix == ".log" for p in written)
    assert any(p.suffix == ".parquet" for p in written)
    leaks = []
    for path in written:
        data = _searchable(path)
        # Markers are ASCII: a match in any encoding of the text (JSON, HTML, JS) shows.
        if PID_MARK.encode() in data or COMMENT_MARK.encode() in data:
            leaks.append(str(path.relative_to(tmp_path)))
    assert not leaks, f"person-level values found in: {leaks[:10]}"
