"""The project: where a build finds its inputs and writes its outputs.

A project is the folder holding ``_config.yml`` and ``notebooks/`` (with ``book/``, the
report configuration ``report.yml``, the reviewed Great Expectations suites in
``validation/`` and ``validation/results/``, and the build folders under ``_build/``).
The CLI resolves it once (:meth:`Project.find`) and passes it down; library code takes
the paths and suites it needs from it as arguments and never looks for them itself
(neither next to the package file nor in the working directory).

The suites the gates run are the reviewed JSON files only (:meth:`Project.load_suites`):
a missing or unreadable file is a :class:`~uppfoljning.errors.UsageError` naming it,
never a silent fallback to suites generated from code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import ReportConfig
from .contract import TABLES
from .errors import UsageError

REVIEW_FILE = "granskning.yml"  # the analyst's review of the plausibility warnings
MARKERS = ("_config.yml", "notebooks")  # a folder holding both is a project
NOT_FOUND = (
    "cannot find the project folder (with _config.yml and notebooks/) in {start} "
    "or above it; run uppfoljning from inside it"
)


@dataclass(frozen=True)
class Suites:
    """The reviewed Great Expectations suites: the input gate's (one per table of the
    data contract) and the results checks' (one per check frame), by name."""

    inputs: Mapping[str, dict[str, Any]]
    results: Mapping[str, dict[str, Any]]


@dataclass(frozen=True)
class Project:
    """A project folder and the report configuration chosen for this run."""

    root: Path
    config_file: Path  # report.yml in the project, or the CLI's --config

    @classmethod
    def at(cls, root: Path | str, config_file: Path | str | None = None) -> Project:
        """The project whose folder is ``root`` (no search upwards)."""
        root = Path(root).resolve()
        if not is_project(root):
            raise UsageError(NOT_FOUND.format(start=root))
        config = Path(config_file) if config_file is not None else root / "report.yml"
        return cls(root=root, config_file=config)

    @classmethod
    def find(cls, start: Path | str, config_file: Path | str | None = None) -> Project:
        """The project at ``start`` or at the nearest folder above it."""
        start = Path(start).resolve()
        for candidate in (start, *start.parents):
            if is_project(candidate):
                return cls.at(candidate, config_file)
        raise UsageError(NOT_FOUND.format(start=start))

    # inputs
    @property
    def suites_dir(self) -> Path:
        """The input gate's suites, one ``<table>.json`` per table."""
        return self.root / "validation"

    @property
    def results_suites_dir(self) -> Path:
        """The results checks' suites, one ``<suite>.json`` per check frame."""
        return self.suites_dir / "results"

    @property
    def review_file(self) -> Path:
        """``granskning.yml``: the analyst's outcome of each plausibility warning
        (:mod:`uppfoljning.review`)."""
        return self.root / REVIEW_FILE

    @property
    def notebooks_dir(self) -> Path:
        return self.root / "notebooks"

    @property
    def book_dir(self) -> Path:
        """The researchers' chapters (``book/``, with ``book/utgavor/<E>/``)."""
        return self.root / "book"

    @property
    def book_config(self) -> Path:
        return self.root / "_config.yml"

    @property
    def toc(self) -> Path:
        return self.root / "_toc.yml"

    @property
    def lockfile(self) -> Path:
        return self.root / "requirements.lock"

    @property
    def demo_data(self) -> Path:
        """The bundled synthetic demo delivery."""
        return self.root / "data" / "demo"

    # outputs (never in git)
    @property
    def build_dir(self) -> Path:
        return self.root / "_build"

    @property
    def site_dir(self) -> Path:
        """The default ``OUT``."""
        return self.build_dir / "site"

    @property
    def cache_dir(self) -> Path:
        return self.build_dir / "cache"

    @property
    def work_dir(self) -> Path:
        return self.build_dir / "work"

    @property
    def logs_dir(self) -> Path:
        return self.build_dir / "logs"

    @property
    def failed_dir(self) -> Path:
        """Executed notebooks that failed, by edition."""
        return self.build_dir / "failed"

    @property
    def run_dir(self) -> Path:
        """What ``uppfoljning run`` and templates opened by hand execute into."""
        return self.build_dir / "run"

    def load_config(self) -> ReportConfig:
        return ReportConfig.load(self.config_file)

    def load_suites(self) -> Suites:
        """The reviewed suites of ``validation/`` and ``validation/results/``."""
        from .results_check import SUITES as RESULTS_SUITES

        return Suites(
            inputs=read_suites(self.suites_dir, TABLES),
            results=read_suites(self.results_suites_dir, RESULTS_SUITES),
        )


def is_project(folder: Path) -> bool:
    return (folder / MARKERS[0]).is_file() and (folder / MARKERS[1]).is_dir()


def read_suite(path: Path) -> dict[str, Any]:
    """One reviewed suite; a missing or unreadable file is a UsageError naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: validation suite missing") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: validation suite cannot be read ({exc})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}: validation suite is not valid JSON ({exc})") from None
    if not isinstance(document, dict) or not isinstance(document.get("expectations"), list):
        raise UsageError(f"{path}: validation suite has no list of expectations")
    return document


def read_suites(directory: Path, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``<directory>/<name>.json`` for every name."""
    return {name: read_suite(directory / f"{name}.json") for name in names}
