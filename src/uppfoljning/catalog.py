"""The catalogue of indicators: every fact indicators.md gives about an indicator, once.

One :class:`Indicator` record per id says which delivery table it is computed from, what
kind of value it is, which occupations it has rows for, whether the city is the sum of
the units, which disclosure rule applies, and how it is shown (display kind and
decimals); and, asked of every entry, its direction, the published count a rate is
hidden with (:func:`tied_rates`, disclosure's ``TIED``) and which year-on-year change
warns (``watch_change``, results_check). The family computing it registers by its source
table (``indicators.FAMILIES``), which places its rows in time by the contract's period
column. The Swedish words live in :mod:`uppfoljning.labels`, keyed by the same id.

Two families of ids are generated from codes: ``survey_<index_id>`` (one per index of
the staff survey, open-ended) and ``exit_reason_share_<code>`` (one per exit reason of
the contract). :func:`find` and :func:`indicator` resolve those too; the prefix rules
live only here.

The occupation rows (:data:`ALL`, :data:`BY_OCCUPATION`, :data:`OCCUPATION_PARTS`) are
declared here once, on the contract's occupation codes; every module reads them from here.

This module sits at the bottom of the package: it imports only the data contract.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass

from .contract import EXIT_REASONS, OCCUPATIONS

# The occupation rows of the published table, declared once: the contract's two
# occupation codes (socialsekreterare, bistandshandlaggare) and ``alla`` for both
# together. BY_OCCUPATION is the order indikatorer.csv and a page's tables list them in.
SS, BH = OCCUPATIONS
ALL = "alla"
BY_OCCUPATION = (*OCCUPATIONS, ALL)
ONLY_ALL = (ALL,)
# The occupations each row counts: an occupation itself, ``alla`` both.
OCCUPATION_PARTS: dict[str, tuple[str, ...]] = {**{o: (o,) for o in OCCUPATIONS}, ALL: OCCUPATIONS}

# What kind of value an indicator is (its admissible range follows from it).
COUNT_KIND, AMOUNT, RATE, SHARE, INDEX = "count", "amount", "rate", "share", "index"
# How a value is displayed (see formatting.py); an index is shown as an index.
PERCENT, NUMBER, SEK, DAYS = "percent", "number", "sek", "days"
# Disclosure rules: "count" = suppress a count above 0 and below min_n; "base" = suppress
# when the base (persons/events behind a rate, mean or index) is below min_n; "none".
COUNT, BASE, NONE = "count", "base", "none"

SURVEY_PREFIX = "survey_"
SURVEY_RESPONSE_RATE = "survey_response_rate"  # starts like a survey index but is not one
EXIT_SHARE_PREFIX = "exit_reason_share_"
SURVEY, EXIT_REASON = "survey", "exit_reason"  # the generated families


# Which year-on-year change of an indicator is worth a second look (results_check's
# plausibility warnings): WATCH_POINTS, a change of the turnover rate by more than so many
# percentage points; WATCH_RATIO, a count that doubles or halves; NO_WATCH, neither.
WATCH_POINTS, WATCH_RATIO, NO_WATCH = "points", "ratio", ""
NOT_TIED = ""  # a rate hidden only by its own base (tied_to)


@dataclass(frozen=True)
class Indicator:
    id: str
    source: str  # the delivery table it is computed from (its family: indicators.FAMILIES)
    kind: str  # COUNT_KIND, AMOUNT, RATE, SHARE or INDEX
    display: str  # PERCENT, NUMBER, SEK, DAYS or INDEX
    decimals: int  # shown with this many decimals (of the percentage for PERCENT)
    rule: str  # the disclosure rule: COUNT, BASE or NONE
    occupations: tuple[str, ...]  # BY_OCCUPATION or ONLY_ALL
    # Every entry answers the next three (no default: an entry without them fails at
    # import).
    _: KW_ONLY
    # Direction: True, a higher value is worse for the social workers or their clients
    # (turnover, waits); False, higher is better (response rate); None, neither (job
    # ads, staff weeks of the reinforcement teams: more can mean more need or more help).
    # The overview colours by it and the main points name what moved the wrong way.
    higher_is_worse: bool | None
    # A rate over a published count (a COUNT-rule indicator): hidden whenever that count
    # is hidden, so protecting the count protects the rate's denominator (disclosure);
    # NOT_TIED for any other.
    tied_to: str
    # WATCH_POINTS, WATCH_RATIO or NO_WATCH: the plausibility warning of its change.
    watch_change: str
    additive: bool = False  # a count or amount: the city is the sum of the units
    whole: bool = False  # a whole count (consultants, job ads, incidents)
    family: str = ""  # SURVEY or EXIT_REASON for a generated id, else ""
    code: str = ""  # the survey index or exit reason code of a generated id

    @property
    def label_key(self) -> str:
        """The key of its Swedish words in labels: the id, or the code of a family."""
        return self.code if self.family else self.id


def _fixed(*records: Indicator) -> dict[str, Indicator]:
    return {record.id: record for record in records}


# The indicators with a fixed id, in the order of indicators.md (and of every table).
FIXED: dict[str, Indicator] = _fixed(
    Indicator(
        "headcount",
        "employments",
        COUNT_KIND,
        NUMBER,
        0,
        COUNT,
        BY_OCCUPATION,
        higher_is_worse=None,
        tied_to=NOT_TIED,
        watch_change=WATCH_RATIO,
        additive=True,
    ),
    Indicator(
        "turnover_rate",
        "employments",
        RATE,
        PERCENT,
        1,
        BASE,
        BY_OCCUPATION,
        higher_is_worse=True,
        tied_to="headcount",
        watch_change=WATCH_POINTS,
    ),
    Indicator(
        "turnover_rate_external",
        "employments",
        RATE,
        PERCENT,
        1,
        BASE,
        BY_OCCUPATION,
        higher_is_worse=True,
        tied_to="headcount",
        watch_change=NO_WATCH,
    ),
    Indicator(
        "turnover_rate_voluntary",
        "employments",
        RATE,
        PERCENT,
        1,
        BASE,
        BY_OCCUPATION,
        higher_is_worse=True,
        tied_to="headcount",
        watch_change=NO_WATCH,
    ),
    Indicator(
        "consultants",
        "consultants",
        COUNT_KIND,
        NUMBER,
        0,
        NONE,
        BY_OCCUPATION,
        higher_is_worse=True,
        tied_to=NOT_TIED,
        watch_change=WATCH_RATIO,
        additive=True,
        whole=True,
    ),
    Indicator(
        "consultant_cost_sek",
        "consultant_costs",
        AMOUNT,
        SEK,
        0,
        NONE,
        ONLY_ALL,
        higher_is_worse=True,
        tied_to=NOT_TIED,
        watch_change=NO_WATCH,
        additive=True,
    ),
    Indicator(
        "job_ads",
        "job_ads",
        COUNT_KIND,
        NUMBER,
        0,
        NONE,
        BY_OCCUPATION,
        higher_is_worse=None,
        tied_to=NOT_TIED,
        watch_change=WATCH_RATIO,
        additive=True,
        whole=True,
    ),
    Indicator(
        "wait_days_mean",
        "visits",
        RATE,
        DAYS,
        1,
        BASE,
        ONLY_ALL,
        higher_is_worse=True,
        tied_to=NOT_TIED,
        watch_change=NO_WATCH,
    ),
    Indicator(
        "wait_days_median",
        "visits",
        RATE,
        DAYS,
        1,
        BASE,
        ONLY_ALL,
        higher_is_worse=True,
        tied_to=NOT_TIED,
        watch_change=NO_WATCH,
    ),
    Indicator(
        "cases_per_worker",
        "caseload",
        RATE,
        NUMBER,
        1,
        NONE,
        BY_OCCUPATION,
        higher_is_worse=True,
        tied_to=NOT_TIED,
        watch_change=NO_WATCH,
    ),
    Indicator(
        SURVEY_RESPONSE_RATE,
        "staff_survey",
        SHARE,
        PERCENT,
        0,
        BASE,
        BY_OCCUPATION,
        higher_is_worse=False,
        tied_to=NOT_TIED,
        watch_change=NO_WATCH,
    ),
    Indicator(
        "incidents",
        "incidents",
        COUNT_KIND,
        NUMBER,
        0,
        COUNT,
        BY_OCCUPATION,
        higher_is_worse=True,
        tied_to=NOT_TIED,
        watch_change=WATCH_RATIO,
        additive=True,
        whole=True,
    ),
    Indicator(
        "incidents_per_100",
        "incidents",
        RATE,
        NUMBER,
        1,
        COUNT,
        BY_OCCUPATION,
        higher_is_worse=True,
        tied_to="incidents",
        watch_change=NO_WATCH,
    ),
    Indicator(
        "reinforcement_staff_weeks",
        "reinforcement",
        AMOUNT,
        NUMBER,
        0,
        NONE,
        ONLY_ALL,
        higher_is_worse=None,
        tied_to=NOT_TIED,
        watch_change=NO_WATCH,
        additive=True,
    ),
    Indicator(
        "staff_per_manager",
        "managers",
        RATE,
        NUMBER,
        1,
        BASE,
        ONLY_ALL,
        higher_is_worse=True,
        tied_to=NOT_TIED,
        watch_change=NO_WATCH,
    ),
    Indicator(
        "admin_fte_per_10",
        "admin_support",
        RATE,
        NUMBER,
        1,
        BASE,
        ONLY_ALL,
        higher_is_worse=False,
        tied_to=NOT_TIED,
        watch_change=NO_WATCH,
    ),
)


def tied_rates() -> dict[str, str]:
    """Rate id -> the published count it is computed on and hidden with (disclosure's
    TIED), from the catalogue's ``tied_to``."""
    return {record.id: record.tied_to for record in KNOWN.values() if record.tied_to}


def watched_change(indicator_id: str) -> str:
    """The plausibility watch of an indicator's year-on-year change (WATCH_POINTS,
    WATCH_RATIO or NO_WATCH); NO_WATCH for an id the catalogue does not know."""
    found = find(indicator_id)
    return found.watch_change if found is not None else NO_WATCH


def survey_id(index_id: str) -> str:
    return SURVEY_PREFIX + index_id


def exit_share_id(code: str) -> str:
    return EXIT_SHARE_PREFIX + code


def is_survey_index(indicator: str) -> bool:
    """``survey_<index_id>`` (not the response rate)."""
    return (
        indicator.startswith(SURVEY_PREFIX)
        and indicator != SURVEY_RESPONSE_RATE
        and len(indicator) > len(SURVEY_PREFIX)
    )


def is_exit_share(indicator: str) -> bool:
    return indicator.startswith(EXIT_SHARE_PREFIX) and len(indicator) > len(EXIT_SHARE_PREFIX)


# Survey indices whose direction is known (an index of the delivery not named here has
# none): AMI, aktivt medskapandeindex, is higher the better.
SURVEY_HIGHER_IS_WORSE: dict[str, bool] = {"ami": False}


def _survey_index(index_id: str) -> Indicator:
    return Indicator(
        survey_id(index_id),
        "staff_survey",
        INDEX,
        INDEX,
        1,
        BASE,
        BY_OCCUPATION,
        higher_is_worse=SURVEY_HIGHER_IS_WORSE.get(index_id),
        tied_to=NOT_TIED,
        watch_change=NO_WATCH,
        family=SURVEY,
        code=index_id,
    )


def _exit_share(code: str) -> Indicator:
    return Indicator(
        exit_share_id(code),
        "exit_interviews",
        SHARE,
        PERCENT,
        0,
        BASE,
        ONLY_ALL,
        higher_is_worse=None,
        tied_to=NOT_TIED,
        watch_change=NO_WATCH,
        family=EXIT_REASON,
        code=code,
    )


# Every indicator whose id is known without a delivery: the fixed ones, then one share per
# exit reason of the contract (survey indices depend on the delivery).
KNOWN: dict[str, Indicator] = {
    **FIXED,
    **{exit_share_id(code): _exit_share(code) for code in EXIT_REASONS},
}


def source_occupations(source: str) -> tuple[str, ...]:
    """The occupation rows of the indicators computed from the delivery table ``source``
    (its family computes them on one grid, so they must agree; a survey index has the
    response rate's)."""
    found = {record.occupations for record in KNOWN.values() if record.source == source}
    if len(found) != 1:
        raise KeyError(f"the catalogue's indicators of {source!r} have occupations {found}")
    return found.pop()


def find(indicator: str) -> Indicator | None:
    """The record of an indicator id of indicators.md, or None for an unknown id."""
    if indicator in KNOWN:
        return KNOWN[indicator]
    if is_survey_index(indicator):
        return _survey_index(indicator.removeprefix(SURVEY_PREFIX))
    return None


def indicator(indicator_id: str) -> Indicator:
    """The record of an indicator id; an exit reason code outside the contract is shown
    like one of the contract (labels name it from its code)."""
    found = find(indicator_id)
    if found is not None:
        return found
    if is_exit_share(indicator_id):
        return _exit_share(indicator_id.removeprefix(EXIT_SHARE_PREFIX))
    raise KeyError(f"unknown indicator {indicator_id!r}")


def published_decimals(indicator_id: str) -> int | None:
    """Decimals a value of ``indicator_id`` is published with (indikatorer.csv and every
    path that reads it): exactly what its pages display, counted on the fraction for a
    percentage (0.1 percentage point = 3 decimals); None for kronor, published as
    delivered (indicators.md, *The published table*)."""
    shown = indicator(indicator_id)
    if shown.display == SEK:
        return None
    if shown.display == PERCENT:
        return shown.decimals + 2
    return shown.decimals


FAMILIES = (SURVEY, EXIT_REASON)


def family_of(indicator: str) -> str:
    """SURVEY or EXIT_REASON for a generated id, else ""."""
    if is_survey_index(indicator):
        return SURVEY
    if is_exit_share(indicator):
        return EXIT_REASON
    return ""


def family_id(family: str, code: str) -> str:
    """The id of the member ``code`` of a generated family."""
    return survey_id(code) if family == SURVEY else exit_share_id(code)
