"""Review before publishing (cli.md, *Review and drafts*; report.md, *A release the city
can sign*).

A plausibility warning of the results checks is a question for the analyst, not a note
to the public. The analyst records the outcome of each warning in ``granskning.yml`` at
the project root, per edition year, under the warning's key as the build prints it::

    2024:
      farsta/incidents/alla/2023-2024: >-
        Kontrollerat med Farsta: ny rutin för rapportering från 2024, uppgiften stämmer.

The sentence is what the edition shows where the figure appears and in Datakvalitet. A
final build with a warning that has no outcome stops before any notebook runs
(:class:`ReviewError`, exit 1, nothing published); a draft (``build --draft``) is
published with the warnings still open, as questions. An outcome for a warning that no
longer occurs is a warning, not an error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import UppfoljningError, UsageError
from .project import REVIEW_FILE

# UNIT/INDICATOR/OCCUPATION/FROM-TO (results_check.warning_key)
WARNING_KEY = re.compile(r"[^/\s]+/[^/\s]+/[^/\s]+/\d{4}-\d{4}")

RECORD_LINE = f"record the outcome of each warning in {REVIEW_FILE}, or build with --draft"


class ReviewError(UppfoljningError):
    """A final build met plausibility warnings without a recorded outcome. ``lines``:
    one ``unreviewed: KEY: TEXT`` line per warning, then what to do; the command line
    prints them as they are."""

    exit_code = 1

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Outcomes:
    """``granskning.yml`` as read: edition year -> warning key -> Swedish sentence."""

    path: Path
    by_edition: dict[int, dict[str, str]] = field(default_factory=dict)

    def of(self, edition: int) -> dict[str, str]:
        return dict(self.by_edition.get(int(edition), {}))


def read_outcomes(path: Path | str) -> Outcomes:
    """The analyst's outcomes in ``path``; none when there is no such file (a project
    whose deliveries never warned needs none). A malformed file is a
    :class:`~uppfoljning.errors.UsageError` of one line naming the file and the place."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Outcomes(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read ({exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise UsageError(f"{path}: not valid YAML{where} ({problem})") from None
    if data is None:
        return Outcomes(path)
    if not isinstance(data, dict):
        raise UsageError(
            f"{path}: expected edition years (2024:) with warning keys and sentences under them"
        )
    by_edition: dict[int, dict[str, str]] = {}
    for year, outcomes in data.items():
        if isinstance(year, str) and year.strip().isdigit():
            year = int(year)  # "2024": quoted
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 < year < 2200:
            raise UsageError(f"{path}: {year!r} is not an edition year (write 2024:)")
        if outcomes is None:
            by_edition[year] = {}
            continue
        if not isinstance(outcomes, dict):
            raise UsageError(
                f"{path}: {year}: expected warning keys with a sentence each (KEY: sentence)"
            )
        edition: dict[str, str] = {}
        for key, sentence in outcomes.items():
            if not isinstance(key, str) or not WARNING_KEY.fullmatch(key.strip()):
                raise UsageError(
                    f"{path}: {year}: {key!r} is not a warning key "
                    "(UNIT/INDICATOR/OCCUPATION/FROM-TO, as the build prints it; "
                    "one year's value: 2024-2024)"
                )
            if (
                isinstance(sentence, dt.date | int | float)
                or not isinstance(sentence, str)
                or not sentence.strip()
            ):
                raise UsageError(
                    f"{path}: {year}: {key}: the outcome must be a sentence (what the review found)"
                )
            edition[key.strip()] = " ".join(sentence.split())
        by_edition[year] = edition
    return Outcomes(path, by_edition)


@dataclass(frozen=True)
class Review:
    """One edition's warnings against the analyst's outcomes."""

    edition: int
    outcomes: dict[str, str]  # key -> sentence, for the warnings that occur
    unreviewed: list[tuple[str, str]]  # (key, text) of the warnings without an outcome
    stale: list[str]  # keys with an outcome but no warning in this edition

    @property
    def key(self) -> str:
        """What the published pages show of the review (for the build's cache key)."""
        return repr((sorted(self.outcomes.items()), self.unreviewed))


def review_warnings(warnings: Iterable, outcomes: Outcomes, edition: int) -> Review:
    """``warnings`` (``ResultsProblem`` of warning severity: ``key`` and ``rule``) of
    edition ``edition`` against the outcomes recorded for it."""
    recorded = outcomes.of(edition)
    texts: dict[str, list[str]] = {}
    for warning in warnings:
        texts.setdefault(warning.key, []).append(warning.rule)
    found = {key: recorded[key] for key in texts if key in recorded}
    unreviewed = [(key, "; ".join(rules)) for key, rules in texts.items() if key not in recorded]
    stale = [key for key in recorded if key not in texts]
    return Review(int(edition), found, unreviewed, stale)


def unreviewed_lines(review: Review) -> list[str]:
    return [f"unreviewed: {key}: {text}" for key, text in review.unreviewed]


def stale_lines(review: Review, path: Path) -> list[str]:
    return [
        f"warning: {path.name}: {review.edition}: {key}: no such warning in the "
        f"{review.edition} edition; its outcome is not used"
        for key in review.stale
    ]


def check_review(review: Review, outcomes: Outcomes, *, draft: bool, warn=print) -> None:
    """Say what the review of ``review.edition`` lacks: an outcome for a warning that no
    longer occurs is a warning (``warn``); unreviewed warnings stop a final build
    (:class:`ReviewError`) and are listed as warnings in a draft."""
    for line in stale_lines(review, outcomes.path):
        warn(line)
    if not review.unreviewed:
        return
    if not draft:
        raise ReviewError([*unreviewed_lines(review), RECORD_LINE])
    for line in unreviewed_lines(review):
        warn(line)
