"""The data-aware build cache: keys change exactly when what a step reads changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from uppfoljning import build, cache, execution, progress
from uppfoljning.config import ReportConfig

ROOT = Path(__file__).resolve().parents[1]


def _results(folder: Path, built_at: str = "2024-01-01 10:00", value: float = 0.1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"value": [value]}).to_csv(folder / "units.csv", index=False)
    (folder / "meta.json").write_text(json.dumps(
        {"edition": 2024, "built_at": built_at, "code_version": "0.1 (git abc)"}))
    return folder


def test_results_data_key_ignores_build_time_and_code_version(tmp_path):
    first = cache.results_data_key(_results(tmp_path / "a"))
    same = cache.results_data_key(_results(tmp_path / "b", built_at="2025-06-01 08:00"))
    changed = cache.results_data_key(_results(tmp_path / "c", value=0.2))
    assert first == same
    assert first != changed


def test_tree_digest_sees_content_and_names_not_times(tmp_path):
    (tmp_path / "a.md").write_text("Hej")
    first = cache.tree_digest(tmp_path)
    (tmp_path / "a.md").write_text("Hej")  # rewritten, same content
    assert cache.tree_digest(tmp_path) == first
    (tmp_path / "a.md").write_text("Hej då")
    assert cache.tree_digest(tmp_path) != first
    (tmp_path / "a.md").write_text("Hej")
    (tmp_path / "b.md").write_text("")
    assert cache.tree_digest(tmp_path) != first
    (tmp_path / "b.md").unlink()
    (tmp_path / ".hidden").write_text("x")  # editor files don't count
    assert cache.tree_digest(tmp_path) == first


def test_hash_bytes_separates_parts():
    assert cache.hash_bytes("ab", "c") != cache.hash_bytes("a", "bc")


def _job(tmp_path: Path, template: Path, **parameters) -> execution.NotebookJob:
    params = {"unit_id": "skarholmen", "edition": 2024, "results_dir": str(tmp_path / "r")}
    params.update(parameters)
    return execution.NotebookJob("skarholmen", template, tmp_path / "out.ipynb", params,
                                 tmp_path)


def test_notebook_key_parts(tmp_path):
    template = tmp_path / "unit.ipynb"
    shutil.copyfile(ROOT / "notebooks" / "unit.ipynb", template)
    identity, parts = build.notebook_key_parts(_job(tmp_path, template), "data1", "env1")
    key = cache.hash_bytes(*parts.values())
    # the results folder's path is not part of the key (it differs every build)
    moved = _job(tmp_path, template, results_dir="/elsewhere")
    assert build.notebook_key_parts(moved, "data1", "env1") == (identity, parts)
    for changed in (build.notebook_key_parts(_job(tmp_path, template, unit_id="farsta"),
                                             "data1", "env1"),
                    build.notebook_key_parts(_job(tmp_path, template), "data2", "env1"),
                    build.notebook_key_parts(_job(tmp_path, template), "data1", "env2")):
        assert cache.hash_bytes(*changed[1].values()) != key
    template.write_text(template.read_text().replace("Nyckeltal", "Nyckeltalen"))
    _, edited = build.notebook_key_parts(_job(tmp_path, template), "data1", "env1")
    assert cache.hash_bytes(*edited.values()) != key


def test_notebook_cache_round_trip_and_reasons(tmp_path):
    store = cache.BuildCache(tmp_path / "cache")
    executed = tmp_path / "executed.ipynb"
    executed.write_text('{"cells": []}')
    parts = {"template": "t1", "parameters": "p", "data": "d1", "environment": "e"}
    assert store.notebook_reason("unit:x", parts) == "not run before"
    assert not store.load_notebook("k1", tmp_path / "copy.ipynb")
    store.store_notebook("k1", executed)
    store.remember_notebooks({"unit:x": parts})
    assert store.load_notebook("k1", tmp_path / "copy.ipynb")
    assert (tmp_path / "copy.ipynb").read_text() == '{"cells": []}'
    changed = dict(parts, data="d2", template="t2")
    assert store.notebook_reason("unit:x", changed) == "template changed, results data changed"


def test_disabled_cache_never_hits(tmp_path, monkeypatch):
    store = cache.BuildCache(tmp_path / "cache")
    executed = tmp_path / "executed.ipynb"
    executed.write_text("{}")
    store.store_notebook("k", executed)
    monkeypatch.setenv("UPPFOLJNING_NO_CACHE", "1")
    assert not cache.BuildCache(tmp_path / "cache").load_notebook("k", tmp_path / "c.ipynb")
    assert not cache.BuildCache(tmp_path / "cache", enabled=False).enabled


def test_published_key_needs_the_same_published_files(tmp_path):
    store = cache.BuildCache(tmp_path / "cache")
    target = tmp_path / "site" / "2024"
    target.mkdir(parents=True)
    (target / "index.html").write_text("<html></html>")
    assert store.published_key(target) is None
    store.remember_published(target, "k")
    assert store.published_key(target) == "k"
    (target / "index.html").write_text("<html>changed by hand</html>")
    assert store.published_key(target) is None
    shutil.rmtree(target)
    assert store.published_key(target) is None


def test_results_key_follows_delivery_config_and_edition(tmp_path):
    delivery = tmp_path / "d"
    shutil.copytree(ROOT / "data" / "demo", delivery)
    key = build.results_key(delivery, 2024, ReportConfig(), True, ROOT)
    assert build.results_key(delivery, 2024, ReportConfig(), True, ROOT) == key
    assert build.results_key(delivery, 2023, ReportConfig(), True, ROOT) != key
    assert build.results_key(delivery, 2024, ReportConfig(min_n=3), True, ROOT) != key
    with (delivery / "job_ads.csv").open("a", encoding="utf-8") as handle:
        handle.write("2024-12,farsta,socialsekreterare,1\n")
    assert build.results_key(delivery, 2024, ReportConfig(), True, ROOT) != key


def test_eta_and_bar():
    assert progress.eta(10.0, 0, 5) is None
    assert progress.eta(10.0, 2, 6) == pytest.approx(20.0)
    assert progress.bar(1, 4, width=8) == "[##......]"
    assert progress.format_seconds(75) == "1 min 15 s"
    assert progress.format_seconds(4.4) == "4 s"
