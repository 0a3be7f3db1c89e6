"""Fault injection (issue 18, point 3): a real build of the demo delivery stopped with
SIGTERM, SIGINT, SIGHUP or SIGKILL during the gate or the notebooks leaves the published
site byte for byte as it was, none of its processes alive 15 s later, and the next
build succeeds with at most one work folder left.

Every process of a build is found by a token in its environment (kernels inherit it
too), so nothing else running on the machine is counted."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from support.projects import PROJECT_INPUTS, copy_inputs

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
EDITION = 2024
UNIT = "skarholmen"  # one unit page and the city pages keep each build short
TOKEN_VARIABLE = "UPPFOLJNING_TEST_STOP_TOKEN"
GONE_WITHIN_S = 15
RANDOM = random.Random(18)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("build")]


def snapshot(out: Path) -> dict[str, str]:
    """Every file and folder under ``out`` with the SHA-256 of its bytes."""
    return {
        str(path.relative_to(out)): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
        )
        for path in sorted(out.rglob("*"))
    }


def processes_with(token: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if token.encode() in environ and state != "Z":
            found.append(int(entry.name))
    return found


def start_build(project: Path, out: Path, token: str, *, cache: bool) -> subprocess.Popen:
    env = dict(os.environ, **{TOKEN_VARIABLE: token})
    if not cache:
        env["UPPFOLJNING_NO_CACHE"] = "1"  # the gate and every notebook really run
    command = [
        sys.executable,
        "-m",
        "uppfoljning.cli",
        "build",
        "--data",
        str(DEMO),
        "--year",
        str(EDITION),
        "--out",
        str(out),
        "--only",
        UNIT,
        "--jobs",
        "2",
    ]
    return subprocess.Popen(
        command,
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A project copy with one good edition published; its snapshot."""
    base = tmp_path_factory.mktemp("stops")
    project = copy_inputs(base / "project", (*PROJECT_INPUTS, "requirements.lock"))
    out = base / "site"
    build = start_build(project, out, uuid.uuid4().hex, cache=True)
    _, err = build.communicate(timeout=600)
    assert build.returncode == 0, err
    return project, out, snapshot(out)


def wait_for_stage(build: subprocess.Popen, stage: str) -> None:
    """Return at a random moment within ``stage``: the gate (a few seconds after the
    start: Great Expectations is imported and run; the workers warm their kernels) or
    the notebooks (after the build said how many it runs)."""
    if stage == "gate":
        time.sleep(RANDOM.uniform(1.5, 3.5))
        return
    for line in build.stderr:
        if line.startswith("notebooks:"):
            time.sleep(RANDOM.uniform(0.5, 3.0))
            return
    raise AssertionError("the build ended before its notebook stage")


@pytest.mark.parametrize(
    "signame, stage",
    [
        ("SIGTERM", "gate"),
        ("SIGTERM", "notebooks"),
        ("SIGINT", "notebooks"),
        ("SIGHUP", "gate"),
        ("SIGKILL", "gate"),
        ("SIGKILL", "notebooks"),
    ],
)
def test_a_stopped_build_leaves_the_site_and_no_process(site, signame, stage):
    project, out, before = site
    token = uuid.uuid4().hex
    build = start_build(project, out, token, cache=False)
    try:
        wait_for_stage(build, stage)
        assert build.poll() is None, "the build ended before it could be stopped"
        assert len(processes_with(token)) >= 3  # the build, its workers, their kernels
        signum = getattr(signal, signame)
        if signum == signal.SIGINT:
            os.killpg(build.pid, signum)  # Ctrl-C reaches the terminal's process group
        else:
            build.send_signal(signum)
        stopped_at = time.monotonic()
        _, err = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
    if signum == signal.SIGKILL:
        assert build.returncode == -signal.SIGKILL
    else:
        assert build.returncode == 128 + signum
        assert err.splitlines()[-1] == (
            f"uppfoljning: interrupted ({signame}); nothing was published"
        )
    assert "Traceback" not in err
    while processes_with(token) and time.monotonic() - stopped_at < GONE_WITHIN_S:
        time.sleep(0.2)
    assert processes_with(token) == []
    assert snapshot(out) == before


def test_the_next_build_succeeds_and_removes_what_stopped_builds_left(site):
    project, out, before = site
    work = project / "_build" / "work"
    build = start_build(project, out, uuid.uuid4().hex, cache=False)
    _, err = build.communicate(timeout=600)
    assert build.returncode == 0, err
    assert "Traceback" not in err
    assert len(list(work.iterdir())) <= 1  # only a failed build's folder may stay
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert set(snapshot(out)) == set(before)  # the same files, rebuilt


def test_two_builds_at_once_publish_whole_editions(site):
    """Builds of 2023 and 2024 into the same OUT at the same time: both succeed, each
    edition is whole and the index lists both (issue 18, point 5)."""
    project, out, before = site
    builds = {2023: None, 2024: None}
    for edition in builds:
        env = dict(os.environ, UPPFOLJNING_NO_CACHE="1")
        builds[edition] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uppfoljning.cli",
                "build",
                "--data",
                str(DEMO),
                "--year",
                str(edition),
                "--out",
                str(out),
                "--only",
                UNIT,
                "--jobs",
                "1",
            ],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    for build in builds.values():
        _, err = build.communicate(timeout=900)
        assert build.returncode == 0, err
    after = snapshot(out)
    for edition in builds:
        pages = {name.split("/", 1)[1] for name in after if name.startswith(f"{edition}/")}
        assert pages == {
            name.split("/", 1)[1] for name in before if name.startswith(f"{EDITION}/")
        }, edition
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2023/index.html"' in index and 'href="2024/index.html"' in index
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
