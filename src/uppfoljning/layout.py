"""What every page kind shows, declared once (style.md, habit 17: "a page says what it
shows, once").

The page kinds are the templates ``notebooks/<kind>.ipynb`` (:data:`PAGE_KINDS`); the
build keys each kind's cache by what it reads (``build.PageInputs``).

- **Unit page** (``notebooks/unit.ipynb``): its key figures (:data:`KEY_FIGURES`), a
  trend chart per section (:data:`UNIT_TRENDS`), the table of every year per occupation
  (:data:`UNIT_TREND_ROWS`); :func:`unit_page_cells` derives from them every cell the
  page shows, which its plausibility notes look at.
- **City page** (``notebooks/stockholm.ipynb``): its key figures
  (:data:`CITY_TURNOVER_FIGURES`).
- **City chapter per area** (``notebooks/omrade.ipynb``): :data:`AREA_SPECS`, with the
  chapter's main indicator first (:data:`AREA_MAIN`, which the claims check reads);
  :func:`area_page_cells` derives from it every cell a chapter shows.
- **Overview** (``notebooks/overblick.ipynb``): its columns (:data:`OVERVIEW_COLUMNS`).
- **The spreadsheet** (``data/indikatorer.xlsx``): a sheet per city chapter, of the
  indicators its key figures show (:func:`city_chapter_indicators`).

The modules that build the pages read these (``context``, ``unit_report``, ``areas``,
``claims``, ``overview``, and ``build.PageInputs`` for the cache keys) and keep no list of
their own. ``tests/test_layout.py`` holds the notebooks to the declaration: the unit
template's trend cells and their sections, the area chapters of ``_toc.yml``.

This module sits below every page module: it imports only the catalogue, the words and
the city's id.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import catalog, labels
from .catalog import ALL, BH, ONLY_ALL, SS
from .units import CITY_ID

# The occupation rows (catalog) in the order a page lists them: a table in the published
# order (catalog.BY_OCCUPATION), an area chapter and a chart's headline both first.
ALL_FIRST = (ALL, SS, BH)
ShownCell = tuple[str, str, str, int]  # unit_id, indicator, occupation, year

# ---------------------------------------------------------------------------
# The page kinds: each is a template notebooks/<kind>.ipynb. The unit page is made once
# per unit of the edition (the `units:` entries of _toc.yml), the others once per edition
# (a `notebook:` entry each; the area chapter once per area). build.PageInputs keys a
# page's cache by the rows its kind reads; tests/test_cache.py holds every kind to that.
UNIT_PAGE = "unit"
CITY_PAGE = "stockholm"  # Hela staden: Personalrörlighet
AREA_PAGE = "omrade"  # a city chapter per area of AREA_SPECS
FOCUS_PAGE = "fokusomraden"
OVERVIEW_PAGE = "overblick"  # Förvaltningarna i överblick
PAGE_KINDS = (UNIT_PAGE, CITY_PAGE, AREA_PAGE, FOCUS_PAGE, OVERVIEW_PAGE)

# ---------------------------------------------------------------------------
# The unit page

# Key figures of a unit page and of the city page: (indicator, occupation), this year and
# last year (the change).
KEY_FIGURES: tuple[tuple[str, str], ...] = (
    ("turnover_rate", SS),
    ("turnover_rate", BH),
    ("turnover_rate", ALL),
    ("headcount", ALL),
    ("consultants", ALL),
    ("job_ads", ALL),
    ("wait_days_mean", ALL),
    ("cases_per_worker", ALL),
    ("incidents_per_100", ALL),
    ("staff_per_manager", ALL),
)

# (section, indicator) of every trend chart on a unit page, in page order; the section
# is the slug of the ``##`` heading the chart stands under. The series is the unit's
# 'alla' from the first year; the city is drawn as a reference line, except for counts
# and sums (``additive``), where the city's total is named instead.
UNIT_TRENDS: tuple[tuple[str, str], ...] = (
    ("personalrorlighet", "turnover_rate"),
    ("konsulter", "consultants"),
    ("rekrytering", "job_ads"),
    ("arbetsbelastning", "cases_per_worker"),
    ("vantetider", "wait_days_mean"),
    ("medarbetarenkat", "survey_response_rate"),
    ("medarbetarenkat", "survey_ami"),
    ("hot-och-vald", "incidents_per_100"),
    ("forstarkningsteam", "reinforcement_staff_weeks"),
    ("chefer", "staff_per_manager"),
    ("avslutningssamtal", "exit_reason_share_arbetsbelastning"),
)

# The turnover sentences of the Personalrörlighet section: every occupation row.
UNIT_TURNOVER = ("turnover_rate", catalog.BY_OCCUPATION)

# Rows of a unit page's table of every year per occupation: (indicator, occupation).
UNIT_TREND_ROWS: tuple[tuple[str, str], ...] = (
    ("turnover_rate", SS),
    ("turnover_rate", BH),
    ("headcount", SS),
    ("headcount", BH),
    ("consultants", SS),
    ("consultants", BH),
    ("job_ads", SS),
    ("job_ads", BH),
    ("cases_per_worker", SS),
    ("cases_per_worker", BH),
)


def unit_page_cells(unit_id: str, first_year: int, edition: int) -> set[ShownCell]:
    """Every cell of the unit's own that a unit page shows: the key figures this year and
    last year, the turnover of every occupation row, every trend chart's series and the table
    of every year per occupation, from the first year."""
    years = range(first_year, edition + 1)
    shown = {
        (unit_id, indicator, occupation, year)
        for indicator, occupation in KEY_FIGURES
        for year in (edition - 1, edition)
    }
    rows = [
        *UNIT_TREND_ROWS,
        *((UNIT_TURNOVER[0], occupation) for occupation in UNIT_TURNOVER[1]),
        *((indicator, ALL) for _, indicator in UNIT_TRENDS),
    ]
    shown |= {
        (unit_id, indicator, occupation, year) for indicator, occupation in rows for year in years
    }
    return shown


def unit_page_indicators() -> set[str]:
    """The indicators a unit page reads (its cache key follows them)."""
    return (
        {i for i, _ in KEY_FIGURES}
        | {i for _, i in UNIT_TRENDS}
        | {i for i, _ in UNIT_TREND_ROWS}
        | {UNIT_TURNOVER[0]}
    )


# ---------------------------------------------------------------------------
# The city page (Hela staden: Personalrörlighet)

# Its key figures: turnover and what it is made of. Their indicators are the chapter's,
# and the spreadsheet's first sheet (city_chapter_indicators).
CITY_TURNOVER_FIGURES: tuple[tuple[str, str], ...] = (
    ("turnover_rate", ALL),
    ("turnover_rate", SS),
    ("turnover_rate", BH),
    ("turnover_rate_external", ALL),
    ("turnover_rate_voluntary", ALL),
    ("headcount", ALL),
    ("headcount", SS),
    ("headcount", BH),
)

# ---------------------------------------------------------------------------
# The city chapter per area

# How an area chapter's second chart ("fördjupning") compares: the city's trend of
# another indicator, last year against this year per unit, per occupation, or per
# member of a generated family (survey index, exit reason).
TREND, BY_UNIT, BY_OCCUPATION, BY_MEMBER = "trend", "by_unit", "by_occupation", "by_member"
# An area's own sentence (glue key area_extra).
CONSULTANTS_SENTENCE, WAIT_SPREAD = "consultants", "wait_spread"


@dataclass(frozen=True)
class Detail:
    compare: str  # TREND, BY_UNIT, BY_OCCUPATION or BY_MEMBER
    indicator: str = ""  # for TREND, BY_UNIT and BY_OCCUPATION
    family: str = ""  # for BY_MEMBER: catalog.SURVEY or catalog.EXIT_REASON
    measure: str | None = None  # for BY_MEMBER: the chart's measure and noun
    noun: str = ""


@dataclass(frozen=True)
class Area:
    """What a city chapter shows, described once; :func:`uppfoljning.areas.for_area`
    reads it."""

    # (indicator or a generated family of the catalogue, occupations); the first entry
    # is the chapter's main indicator
    indicators: tuple[tuple[str, tuple[str, ...]], ...]
    detail: Detail
    districts_only: bool = False  # units compared: the stadsdelsförvaltningar only
    sentence: str = ""  # CONSULTANTS_SENTENCE, WAIT_SPREAD or none
    mean_and_median: bool = False  # the unit table shows wait_days_mean and _median
    with_cost: bool = False  # the unit table shows the consultants' cost too
    unit_table_note: str = ""  # a note under the unit table (labels)

    @property
    def main(self) -> str:
        """The chapter's main indicator (or generated family)."""
        return self.indicators[0][0]


AREA_SPECS: dict[str, Area] = {
    "konsulter": Area(
        (("consultants", ALL_FIRST), ("consultant_cost_sek", ONLY_ALL)),
        Detail(TREND, "consultant_cost_sek"),
        sentence=CONSULTANTS_SENTENCE,
        with_cost=True,
        unit_table_note=labels.CONSULTANTS_TABLE_NOTE,
    ),
    "rekrytering": Area((("job_ads", ALL_FIRST),), Detail(BY_OCCUPATION, "job_ads")),
    "arbetsbelastning": Area(
        (("cases_per_worker", ALL_FIRST),), Detail(BY_UNIT, "cases_per_worker")
    ),
    "vantetider": Area(
        (("wait_days_mean", ONLY_ALL), ("wait_days_median", ONLY_ALL)),
        Detail(BY_UNIT, "wait_days_mean"),
        districts_only=True,
        sentence=WAIT_SPREAD,
        mean_and_median=True,
    ),
    "medarbetarenkat": Area(
        (("survey_response_rate", ALL_FIRST), (catalog.SURVEY, ONLY_ALL)),
        Detail(
            BY_MEMBER,
            family=catalog.SURVEY,
            measure=labels.MEASURE_SURVEY,
            noun=labels.NOUN_INDICES,
        ),
    ),
    "hot-och-vald": Area(
        (("incidents_per_100", ALL_FIRST), ("incidents", ALL_FIRST)),
        Detail(TREND, "incidents"),
    ),
    "forstarkningsteam": Area(
        (("reinforcement_staff_weeks", ONLY_ALL),), Detail(BY_UNIT, "reinforcement_staff_weeks")
    ),
    "chefer": Area(
        (("staff_per_manager", ONLY_ALL), ("admin_fte_per_10", ONLY_ALL)),
        Detail(TREND, "admin_fte_per_10"),
    ),
    "avslutningssamtal": Area(
        ((catalog.EXIT_REASON, ONLY_ALL),),
        Detail(
            BY_MEMBER,
            family=catalog.EXIT_REASON,
            measure=labels.MEASURE_EXIT_REASONS,
            noun=labels.NOUN_REASONS,
        ),
    ),
}

# Each area chapter's main indicator, whose "_alla" glue keys a chapter's prose cites
# (a generated family has no single series to check a claim against).
AREA_MAIN: dict[str, str] = {
    name: area.main
    for name, area in AREA_SPECS.items()
    if area.main not in (catalog.SURVEY, catalog.EXIT_REASON)
}


def area_page_cells(
    area: str,
    declared: list[tuple[str, tuple[str, ...]]],
    main: str,
    unit_kinds: dict[str, str],
    first_year: int,
    edition: int,
    main_first_year: int | None = None,
) -> set[ShownCell]:
    """Every cell the chapter of ``area`` (:data:`AREA_SPECS`) shows: the city's every
    ``declared`` indicator and occupation (the chapter's indicators, a family expanded to
    its members) from the first year (figures, trend and detail charts); the compared
    units' ``main`` indicator (alla) this year and last year (comparison chart and unit
    table), with the median wait and the consultants' cost where the unit table shows
    them and the detail chart's indicator where it compares units; and the units' main
    indicator in ``main_first_year`` (the unit table's first-year column), if any.
    ``unit_kinds`` maps the edition's unit ids to their kind; a chapter of the districts
    only compares the ``stadsdelsforvaltning`` ones."""
    spec = AREA_SPECS[area]
    shown = {
        (CITY_ID, indicator, occupation, year)
        for indicator, occupations in declared
        for occupation in occupations
        for year in range(first_year, edition + 1)
    }
    unit_ids = [
        unit_id
        for unit_id, kind in unit_kinds.items()
        if not spec.districts_only or kind == "stadsdelsforvaltning"
    ]
    unit_indicators = (
        [main]
        + (["wait_days_median"] if spec.mean_and_median else [])
        + (["consultant_cost_sek"] if spec.with_cost else [])
        + ([spec.detail.indicator] if spec.detail.compare == BY_UNIT else [])
    )
    shown |= {
        (unit_id, indicator, ALL, year)
        for unit_id in unit_ids
        for indicator in unit_indicators
        for year in (edition - 1, edition)
    }
    if main_first_year is not None:
        shown |= {(unit_id, main, ALL, main_first_year) for unit_id in unit_ids}
    return shown


def city_chapter_indicators() -> dict[str, tuple[str, ...]]:
    """The indicators (or generated families) of every city chapter's key figures, by
    chapter in book order: the Personalrörlighet chapter (:data:`CITY_PAGE`), then each
    area of :data:`AREA_SPECS`. The spreadsheet has a sheet per chapter."""
    return {
        CITY_PAGE: tuple(dict.fromkeys(i for i, _ in CITY_TURNOVER_FIGURES)),
        **{name: tuple(i for i, _ in area.indicators) for name, area in AREA_SPECS.items()},
    }


# ---------------------------------------------------------------------------
# Förvaltningarna i överblick

# The overview's columns, for both occupations this year; their direction is the
# catalogue's. Seven: the table fits the text column at 1280 px. Exit-reason shares are
# left out: a unit has too few interviews a year, so nearly every unit's share is
# hidden (..).
OVERVIEW_COLUMNS = (
    "turnover_rate",
    "cases_per_worker",
    "wait_days_mean",
    "incidents_per_100",
    "staff_per_manager",
    "survey_response_rate",
    "survey_ami",
)
