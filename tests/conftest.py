"""Shared fixtures: the 2024 demo edition built once per test session (for the browser,
PDF and serve tests), a local web server for it, and Debian's Chromium via Playwright.

The session build runs in a copy of the project (``_config.yml``, ``_toc.yml``,
``report.yml``, ``book/``, ``notebooks/``, the lockfile and ``data/demo``) so that edits
made while the tests run can't mix into it, with a build cache of its own in the
session's temporary folder: a test run never reads or writes the developer's
``_build/cache``. Set ``UPPFOLJNING_TEST_SHARED_CACHE=1`` to share it instead (it is
content-addressed and written atomically), so that an unchanged tree builds in seconds
instead of a minute.
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.projects import PROJECT_INPUTS, copy_inputs
from uppfoljning.project import Project

ROOT = Path(__file__).resolve().parents[1]
DEMO_EDITION = 2024
CHROMIUM = Path("/usr/bin/chromium")
PROJECT_FILES = (*PROJECT_INPUTS, "requirements.lock")


def chromium_missing_reason() -> str | None:
    """Why the browser tests can't run here, or None."""
    if not CHROMIUM.is_file():
        return (
            f"Debian's Chromium is not installed at {CHROMIUM} "
            "(make browser-deps installs it; make test runs it first)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[dev]')"
    return None


def copy_project(base: Path) -> Path:
    """A copy of the project's inputs at ``base`` (with ``data/demo``)."""
    base.mkdir(parents=True)
    copy_inputs(base, PROJECT_FILES)
    shutil.copytree(ROOT / "data" / "demo", base / "data" / "demo")
    shared_cache = ROOT / "_build" / "cache"
    if shared_cache.is_dir() and os.environ.get("UPPFOLJNING_TEST_SHARED_CACHE") == "1":
        (base / "_build").mkdir()
        (base / "_build" / "cache").symlink_to(shared_cache, target_is_directory=True)
    return base


# The tests that take a minute or more on their own (measured on two cores, see
# `make test --durations`), longest first. `make test` hands them out first (pytest-xdist
# gives out ungrouped tests in collection order once the largest group has a worker), so
# that no long test starts last while the other worker has nothing left to do. Only the
# order changes; a name here that no longer matches a test is ignored.
LONG_TESTS = (
    "test_editions.py::test_every_demo_edition_built_in_turn_into_one_archive_gives_nothing_away",
    "test_editions.py::test_2023_and_2024_in_one_archive_give_nothing_away",
    "test_fuzz.py::test_fuzz_the_gate_on_the_demo_delivery",
    "test_reference.py::test_demo_matches_reference",
    "test_editions.py::test_two_editions_build_into_one_archive",
    "test_cli.py::test_audit_passes_the_builds_pattern_and_names_a_leak",
    "test_reference.py::test_random_delivery",
)


def _long_rank(item: pytest.Item) -> int:
    name = item.nodeid.rpartition("tests/")[2]
    for rank, prefix in enumerate(LONG_TESTS):
        if name.startswith(prefix):
            return rank
    return len(LONG_TESTS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests first, in the order of LONG_TESTS (the rest as collected)."""
    items.sort(key=_long_rank)


@pytest.fixture
def in_project(monkeypatch) -> Path:
    """Run from the project's root, wherever pytest was started: the CLI finds its
    project from the working folder. (What a CLI test runs there only reads the
    project; a test that builds chdirs into a copy of it instead.)"""
    monkeypatch.chdir(ROOT)
    return ROOT


@dataclass(frozen=True)
class DemoSite:
    project: Path  # the project copy it was built from
    out: Path  # OUT (holds index.html and the edition folder)
    edition: int
    pdf: bool  # built with --pdf

    @property
    def edition_dir(self) -> Path:
        return self.out / str(self.edition)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> DemoSite:
    """The 2024 demo edition, built once per session (with its PDF when Chromium is
    there). Use it only from tests in ``xdist_group("build")``."""
    from uppfoljning import build

    base = tmp_path_factory.mktemp("demo-site")
    project = copy_project(base / "project")
    out = base / "site"
    pdf = chromium_missing_reason() is None
    build.build_edition(
        project / "data" / "demo",
        DEMO_EDITION,
        out_dir=out,
        jobs=2,
        project=Project.at(project),
        pdf=pdf,
    )
    return DemoSite(project=project, out=out, edition=DEMO_EDITION, pdf=pdf)


@pytest.fixture(scope="session")
def site_server(demo_site):
    """``OUT`` of the demo site on http://127.0.0.1:PORT/ (returns the base URL)."""
    from uppfoljning.serve import make_server

    server = make_server(demo_site.out, 0)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium(demo_site):
    """Debian's Chromium (headless, offline flags) for the whole session. (It needs the
    demo site first: the build prints its PDF with a Playwright of its own, and one
    process can run only one sync Playwright at a time.)"""
    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    from uppfoljning.pdf import launch_chromium

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()
