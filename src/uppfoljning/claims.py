"""Claims check: the words around an inserted figure must agree with the figure.

A researcher's chapter (``book/*.md``, with the edition's own ``book/utgavor/<E>/*.md``
laid over them, as the build stages them) may say that a figure went one way
("Svarsfrekvensen ökade till {glue:text}`...::survey_response_rate_alla:s`"). This module
finds every sentence that pairs a direction word (the Swedish word lists below, the one
place they are kept) with an inserted result, finds the series the result comes from
(unit, indicator, occupation, through the glue key), and compares the claim with the
series' change as the reader sees it (values rounded as displayed): since the year the
sentence names, else since the year before the edition. A sentence that is wrong gets a
warning naming the chapter, the line, the word and the actual change
(``../shared/spec/cli.md``, *Warnings the researcher reads*); ``--strict`` makes them
errors.

Only published cells are compared: a claim next to a suppressed or missing value is not
checked (and a warning never shows a hidden value).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import formatting, labels
from .catalog import ALL
from .errors import UppfoljningError
from .layout import AREA_MAIN  # a chapter's main_* keys stand for its main indicator
from .units import CITY_ID

# ---------------------------------------------------------------------------
# The Swedish words (one place)

UP, DOWN, FLAT = "upp", "ned", "oförändrad"

DIRECTION_WORDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "ökade",
            "ökat",
            "ökar",
            "ökning",
            "ökningen",
            "steg",
            "stigit",
            "stiger",
            "höjdes",
            "höjts",
            "höjs",
            "växte",
            "vuxit",
            "växer",
            "högre",
        ),
        UP,
    ),
    **dict.fromkeys(
        (
            "minskade",
            "minskat",
            "minskar",
            "minskning",
            "minskningen",
            "sjönk",
            "sjunkit",
            "sjunker",
            "föll",
            "fallit",
            "faller",
            "sänktes",
            "sänkts",
            "sänks",
            "lägre",
        ),
        DOWN,
    ),
    **dict.fromkeys(("oförändrad", "oförändrat", "oförändrade"), FLAT),
}
# Comparatives also compare units or groups ("högre bland socialsekreterarna"): they are a
# claim about time only in a sentence that also says "than when".
COMPARATIVES = frozenset({"högre", "lägre"})
TIME_COMPARISON = re.compile(
    r"\b(?:året innan|förra året|föregående år|i fjol|tidigare år|sedan|jämfört med"
    r"|(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
NEGATIONS = frozenset({"inte", "ej", "icke", "aldrig"})
NEGATION_BEFORE = 2  # "har inte ökat", "inte längre ökat"
NEGATION_AFTER = 1  # "minskade inte"

ALL_DIRECTIONS = frozenset({UP, DOWN, FLAT})

# ---------------------------------------------------------------------------
# Glue keys -> series

KEY_SUFFIXES = ("_first_year", "_first", "_prev", "_change")
KEY_ALIASES = {"turnover": "turnover_rate"}  # personalrörlighet's keys (context.turnover_glue)
CITY_PREFIX = "city_"  # a unit page's city figures (context.for_unit)
UNIT_FOLDERS = ("stadsdelar", "fackforvaltningar")


@dataclass(frozen=True)
class Series:
    unit_id: str
    indicator: str
    occupation: str
    since_first: bool = False  # the key is a first-measurement key (``_first``)


def resolve_key(doc: str, key: str, indicator_ids: Iterable[str]) -> Series | None:
    """The series behind glue key ``key`` of notebook ``doc`` (a book path such as
    ``stad/medarbetarenkat.ipynb`` or ``stadsdelar/skarholmen.ipynb``), or None for a
    key that is not one figure of a series (a sentence, a unit name, the spread)."""
    known = set(indicator_ids)
    path = Path(doc)
    unit = path.stem if path.parent.name in UNIT_FOLDERS else CITY_ID
    base, since_first = key, False
    for suffix in KEY_SUFFIXES:
        if base.endswith(suffix):
            if suffix == "_first_year":
                return None  # a year, not a figure
            since_first = suffix == "_first"
            base = base[: -len(suffix)]
            break
    if base.startswith(CITY_PREFIX):
        unit, base = CITY_ID, base[len(CITY_PREFIX) :]
    if base == "main_value" or base == "main":
        indicator = AREA_MAIN.get(path.stem)
        return Series(unit, indicator, ALL, since_first) if indicator in known else None
    if KEY_ALIASES.get(base, base) in known:
        return Series(unit, KEY_ALIASES.get(base, base), ALL, since_first)
    for occupation in labels.OCCUPATIONS:
        if base.endswith(f"_{occupation}"):
            indicator = base[: -len(occupation) - 1]
            indicator = KEY_ALIASES.get(indicator, indicator)
            if indicator in known:
                return Series(unit, indicator, occupation, since_first)
    return None


# ---------------------------------------------------------------------------
# Finding claims in a chapter

_GLUE_ROLE = re.compile(r"\{glue(?::(?:text|md|any))?\}`([^`]+)`")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SUBSTITUTION = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# a sentence ends at . ! ? followed by white space, at a blank line and at a heading
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n[ \t]*\n|\n(?=#)")


@dataclass(frozen=True)
class Reference:
    start: int
    doc: str
    key: str


@dataclass(frozen=True)
class Claim:
    """A direction word with the figure it is said of."""

    line: int
    word: str  # as written, with its negation ("minskade inte")
    allowed: frozenset[str]  # directions that make the sentence true
    reference: Reference
    since: int | None  # the year the sentence names, if any


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def find_claims(
    text: str, edition: int, substitutions: Mapping[str, str] | None = None
) -> list[Claim]:
    """Every direction word of ``text`` (MyST Markdown) paired with the nearest inserted
    result of its sentence. ``{{ name }}`` substitutions are read as the reader sees them
    ("sedan {{ forsta_aret }}" names a year); HTML comments are skipped."""
    text = _HTML_COMMENT.sub(_blank, text)
    references: list[Reference] = []

    def protect(match: re.Match) -> str:  # the role's dots and colons end no sentence
        content = match.group(1).strip()
        if "::" in content:
            doc, rest = content.split("::", 1)
            references.append(Reference(match.start(), doc, rest.split(":", 1)[0]))
        return "§" * len(match.group(0))

    plain = _GLUE_ROLE.sub(protect, text)
    claims: list[Claim] = []
    start = 0
    for end in [m.end() for m in _SENTENCE_END.finditer(plain)] + [len(plain)]:
        claims += _sentence_claims(
            text, plain, start, end, references, edition, substitutions or {}
        )
        start = end
    return claims


def _sentence_claims(
    text: str,
    plain: str,
    start: int,
    end: int,
    references: list[Reference],
    edition: int,
    substitutions: Mapping[str, str],
) -> list[Claim]:
    refs = [r for r in references if start <= r.start < end]
    if not refs:
        return []
    sentence = plain[start:end]
    readable = _SUBSTITUTION.sub(lambda m: substitutions.get(m.group(1), m.group(0)), sentence)
    years = sorted({int(y) for y in _YEAR.findall(readable)} - {edition})
    since = years[0] if years and years[0] < edition else None
    words = [(m.start() + start, m.group(0)) for m in _WORD.finditer(sentence)]
    claims = []
    for index, (position, word) in enumerate(words):
        direction = DIRECTION_WORDS.get(word.lower())
        if direction is None:
            continue
        if word.lower() in COMPARATIVES and not TIME_COMPARISON.search(readable):
            continue
        before = [w.lower() for _, w in words[max(0, index - NEGATION_BEFORE) : index]]
        after = [w.lower() for _, w in words[index + 1 : index + 1 + NEGATION_AFTER]]
        negated = bool(NEGATIONS & set(before + after))
        allowed = ALL_DIRECTIONS - {direction} if negated else frozenset({direction})
        shown = word
        if negated:  # quote the words as written: "minskade inte", "inte ökat"
            if NEGATIONS & set(after):
                shown = f"{word} {words[index + 1][1]}"
            else:
                first = next(
                    i
                    for i in range(max(0, index - NEGATION_BEFORE), index)
                    if words[i][1].lower() in NEGATIONS
                )
                shown = " ".join(w for _, w in words[first : index + 1])
        nearest = min(refs, key=lambda r: (abs(r.start - position), r.start < position))
        claims.append(
            Claim(text.count("\n", 0, position) + 1, shown, frozenset(allowed), nearest, since)
        )
    return claims


# ---------------------------------------------------------------------------
# Checking claims against the published table


@dataclass(frozen=True)
class ClaimProblem:
    chapter: str  # the source file, e.g. book/utgavor/2024/sammanfattning.md
    line: int
    word: str
    key: str
    from_year: int
    to_year: int
    from_text: str  # as displayed
    to_text: str

    def format(self) -> str:
        return (
            f'{self.chapter}, line {self.line}: "{self.word}" but {self.key} went from '
            f"{self.from_text} ({self.from_year}) to {self.to_text} ({self.to_year})"
        )


class ClaimsError(UppfoljningError):
    """``--strict``: a chapter says a figure went the other way."""


def _cells(indicators: pd.DataFrame) -> dict[tuple[str, str, str, int], tuple[float, bool]]:
    values = indicators["value"].to_numpy(dtype=float, na_value=float("nan"))
    return {
        (u, i, o, int(y)): (v, bool(s))
        for u, i, o, y, v, s in zip(
            indicators["unit_id"],
            indicators["indicator"],
            indicators["occupation"],
            indicators["year"],
            values.tolist(),
            indicators["suppressed"],
            strict=True,
        )
    }


def shown(cell: tuple[float, bool] | None, indicator: str) -> str | None:
    """The text a reader sees for a published cell; None for a suppressed or empty one."""
    if cell is None or cell[1] or cell[0] != cell[0]:
        return None
    return formatting.format_indicator(indicator, cell[0])


def actual_direction(before: tuple[float, bool], now: tuple[float, bool], indicator: str) -> str:
    """UP, DOWN or FLAT, as the reader sees the two values (rounded as displayed)."""
    if shown(before, indicator) == shown(now, indicator):
        return FLAT
    return UP if now[0] > before[0] else DOWN


def check_claims(
    chapters: Mapping[str, tuple[str, str]],
    indicators: pd.DataFrame,
    edition: int,
    substitutions: Mapping[str, str] | None = None,
) -> list[ClaimProblem]:
    """The false claims of ``chapters`` (staged path -> (source path, text); glue paths
    are relative to the staged page) against the published table ``indicators``."""
    cells = _cells(indicators)
    ids = set(indicators["indicator"])
    problems: list[ClaimProblem] = []
    for staged, (source, text) in chapters.items():
        folder = Path(staged).parent
        for claim in find_claims(text, edition, substitutions):
            doc = (folder / claim.reference.doc).as_posix()
            series = resolve_key(doc, claim.reference.key, ids)
            if series is None:
                continue
            key = (series.unit_id, series.indicator, series.occupation)
            now = cells.get((*key, edition))
            since = claim.since
            if since is None and series.since_first:
                published = sorted(
                    y
                    for (u, i, o, y), c in cells.items()
                    if (u, i, o) == key and y < edition and shown(c, series.indicator) is not None
                )
                since = published[0] if published else None
            since = since if since is not None else edition - 1
            before = cells.get((*key, since))
            now_text, before_text = shown(now, series.indicator), shown(before, series.indicator)
            if now_text is None or before_text is None:
                continue  # hidden or missing: nothing to compare, nothing to reveal
            if actual_direction(before, now, series.indicator) in claim.allowed:
                continue
            problems.append(
                ClaimProblem(
                    source,
                    claim.line,
                    claim.word,
                    claim.reference.key,
                    since,
                    edition,
                    before_text,
                    now_text,
                )
            )
    return problems


def researcher_chapters(
    book_source: Path, edition: int, editions_dir: str = "utgavor"
) -> dict[str, tuple[str, str]]:
    """The chapters as the build stages them (``site.stage_chapters``): every Markdown
    file of ``book/`` outside ``utgavor/``, with ``book/utgavor/<E>/``'s own laid over.
    Staged path -> (source path relative to the project, text)."""
    chapters: dict[str, tuple[str, str]] = {}
    for path in sorted(book_source.rglob("*.md")):
        relative = path.relative_to(book_source)
        if relative.parts[0] in (editions_dir, "_build") or any(
            p.startswith(".") for p in relative.parts
        ):
            continue
        chapters[relative.as_posix()] = (f"{book_source.name}/{relative.as_posix()}", path)
    own = book_source / editions_dir / str(edition)
    if own.is_dir():
        for path in sorted(own.rglob("*.md")):
            relative = path.relative_to(own).as_posix()
            chapters[relative] = (f"{book_source.name}/{editions_dir}/{edition}/{relative}", path)
    return {
        staged: (source, path.read_text(encoding="utf-8"))
        for staged, (source, path) in chapters.items()
    }


# ---------------------------------------------------------------------------
# Generated sentences (uppfoljning.main_points): the directions their words state

STATED_DIRECTIONS = {"up": UP, "down": DOWN, "flat": FLAT}


@dataclass(frozen=True)
class StatedProblem:
    text: str  # the generated sentence
    indicator: str
    from_year: int
    to_year: int
    from_text: str
    to_text: str
    said: str

    def format(self) -> str:
        return (
            f'generated main point says {self.indicator} went "{self.said}" but it went '
            f"from {self.from_text} ({self.from_year}) to {self.to_text} "
            f"({self.to_year}): {self.text}"
        )


def check_stated(points: Iterable, indicators: pd.DataFrame) -> list[StatedProblem]:
    """The directions stated by generated points (each with ``text`` and ``stated``,
    see :class:`uppfoljning.main_points.Stated`) that the published table contradicts,
    compared as a researcher's claim is (:func:`actual_direction`, values as displayed):
    from ``since`` to ``year``, and with ``every_year`` in each year between too. A
    statement about a hidden or missing cell is a problem: generated words never speak
    of a value the reader cannot see."""
    cells = _cells(indicators)
    problems = []
    for point in points:
        for stated in point.stated:
            key = (stated.unit_id, stated.indicator, stated.occupation)
            said = STATED_DIRECTIONS[stated.direction]
            spans = (
                [(y, y + 1) for y in range(stated.since, stated.year)]
                if stated.every_year
                else [(stated.since, stated.year)]
            )
            for start, end in spans + ([(stated.since, stated.year)] if stated.every_year else []):
                before, now = cells.get((*key, start)), cells.get((*key, end))
                before_text = shown(before, stated.indicator)
                now_text = shown(now, stated.indicator)
                if (
                    before_text is not None
                    and now_text is not None
                    and actual_direction(before, now, stated.indicator) == said
                ):
                    continue
                problems.append(
                    StatedProblem(
                        point.text,
                        stated.indicator,
                        start,
                        end,
                        before_text or "..",
                        now_text or "..",
                        said,
                    )
                )
    return problems
