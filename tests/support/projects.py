"""Copies of the project's inputs for tests that build in a folder of their own."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# what a build reads besides the delivery (validation/: the suites the gates run)
PROJECT_INPUTS = (
    "_config.yml",
    "_toc.yml",
    "report.yml",
    "granskning.yml",
    "book",
    "notebooks",
    "validation",
)


def copy_inputs(base: Path, names: tuple[str, ...] = PROJECT_INPUTS) -> Path:
    """Copy ``names`` (files or folders at the project root) to ``base``; return it."""
    base.mkdir(parents=True, exist_ok=True)
    for name in names:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source,
                base / name,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
            )
        elif source.is_file():
            shutil.copyfile(source, base / name)
    return base
