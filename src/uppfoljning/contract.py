"""The data contract (../shared/spec/data-contract.md) as one declarative description.

The loader uses it to type columns, the Great Expectations suites in ``validation/``
are generated from it, and the data-quality appendix lists its rules. Nothing else
should hard-code a table's columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OCCUPATIONS = ("socialsekreterare", "bistandshandlaggare")
AREAS = (
    "barn_och_unga",
    "vuxna",
    "ekonomiskt_bistand",
    "funktionsnedsattning",
    "aldre",
    "stadsovergripande",
)
EMPLOYMENT_TYPES = ("tillsvidare", "visstid")
END_REASONS = ("egen_begaran", "pension", "ovrigt", "intern_rorlighet", "omorganisation")
UNIT_KINDS = ("stadsdelsforvaltning", "fackforvaltning")
INCIDENT_CATEGORIES = ("hot", "vald", "otillaten_paverkan")
EXIT_REASONS = (
    "arbetsbelastning",
    "lon",
    "ledarskap",
    "arbetsmiljo",
    "karriar",
    "hot_och_vald",
    "privata_skal",
    "ovrigt",
)
FOCUS_STATUSES = ("ej_paborjat", "paborjat", "avstannat", "genomfort")
PLAN_VERSIONS = ("2016", "2018", "2019")
REGIONS = ("Västerort", "Inre staden", "Söderort")

# Size limits of a delivered file, checked before its cells are read (see
# uppfoljning.loading). Extra columns are allowed (an export often carries some) but not
# without end; the largest table (visits) has some 100,000 rows a year for the whole city,
# so a few million rows is ample room, and rows x columns bounds what a reader holds.
EXTRA_COLUMNS_ALLOWED = 100
MAX_DATA_ROWS = 5_000_000
MAX_CELLS = 50_000_000

# Column kinds understood by the loader and the validation suites.
STR, SLUG, IDENT, CODE, DATE, MONTH, YEAR, INT, NUMBER, CODES = (
    "str",
    "slug",  # unit ids: [a-z0-9-]+
    "ident",  # other identifiers used in indicator ids: [a-z0-9_-]+
    "code",
    "date",
    "month",
    "year",
    "int",
    "number",
    "codes",  # ';'-separated list of codes, at least one
)
# Kinds that place a row in time (see Table.period).
TIME_KINDS = (DATE, MONTH, YEAR)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = True  # the column must be present
    nullable: bool = False  # empty cells allowed
    codes: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    unique: bool = False
    person_level: bool = False  # never published (person_id, free text)
    # Free text (a comment, a note): may start like a spreadsheet formula; such text is
    # neutralised wherever it reaches a download. Names and ids may not.
    free_text: bool = False

    @property
    def plain_text(self) -> bool:
        """Text that may reach a reader (names, notes, team names; ids too): it must be
        one line of plain text, never markup, template or formula (the gate's
        ``.one_line``, ``.no_markup`` and ``.no_formula_after_separator`` rules).
        Person-level text (``person_id``, comments) is never published and exempt."""
        return self.kind == STR and not self.person_level


@dataclass(frozen=True)
class Reference:
    """Every non-empty value of ``column`` must occur in ``table.target``."""

    column: str
    table: str
    target: str


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    person_level: bool = False
    # Which date/month/year column places a row in time, for unit validity checks:
    # a (start, end) pair for spells, or a single column.
    period: tuple[str, ...] = ()
    has_unit: bool = True  # unit_id refers to units and must be valid in the period
    rules: tuple[str, ...] = field(default=())  # row-level rules, see ROW_RULES
    references: tuple[Reference, ...] = ()  # besides unit_id (see has_unit)
    # Spells (period start, end) that share these columns' values must not overlap.
    non_overlapping: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def max_columns(self) -> int:
        """The most columns a file of this table may have: the contract's, plus
        :data:`EXTRA_COLUMNS_ALLOWED` others (ignored with a warning). A reader refuses
        a wider file before reading its cells."""
        return len(self.columns) + EXTRA_COLUMNS_ALLOWED


def _unit() -> Column:
    return Column("unit_id", SLUG)


def _occupation() -> Column:
    return Column("occupation", CODE, codes=OCCUPATIONS)


# Kinds of row rule (a rule across columns of one row).
AT_LEAST = "at_least"  # column >= other, when both are given
AT_MOST = "at_most"  # column <= other, when both are given
TOGETHER = "together"  # column is given exactly when other is
SUCCESSOR = "successor"  # column (a unit) is valid on the day after other (a date)


@dataclass(frozen=True)
class RowRule:
    """A rule across two columns of one row; ``column`` is the one reported."""

    id: str
    kind: str
    column: str
    other: str
    description: str  # English, for error messages
    description_sv: str  # Swedish, for the data-quality appendix

    @property
    def columns(self) -> tuple[str, str]:
        return (self.other, self.column)


ROW_RULES: dict[str, RowRule] = {
    r.id: r
    for r in (
        RowRule(
            "end_after_start",
            AT_LEAST,
            "end_date",
            "start_date",
            "end_date must be on or after start_date",
            "end_date är samma dag som eller senare än start_date",
        ),
        RowRule(
            "end_reason_iff_end_date",
            TOGETHER,
            "end_reason",
            "end_date",
            "end_reason must be given exactly when end_date is",
            "end_reason anges om och endast om end_date anges",
        ),
        RowRule(
            "respondents_le_invited",
            AT_MOST,
            "respondents",
            "invited",
            "respondents must not exceed invited",
            "respondents är högst invited",
        ),
        RowRule(
            "visit_after_request",
            AT_LEAST,
            "visit_on",
            "requested_on",
            "visit_on must be on or after requested_on",
            "visit_on är samma dag som eller senare än requested_on",
        ),
        RowRule(
            "valid_to_after_from",
            AT_LEAST,
            "valid_to",
            "valid_from",
            "valid_to must be on or after valid_from",
            "valid_to är samma dag som eller senare än valid_from",
        ),
        RowRule(
            "successor_valid_after",
            SUCCESSOR,
            "successor_id",
            "valid_to",
            "successor_id needs valid_to and must be a unit valid on the day after valid_to",
            "successor_id kräver valid_to och är en enhet som är giltig dagen efter valid_to",
        ),
    )
}

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "units",
            (
                Column("unit_id", SLUG, unique=True),
                Column("name", STR),
                Column("kind", CODE, codes=UNIT_KINDS),
                Column("region", CODE, required=False, nullable=True, codes=REGIONS),
                Column("valid_from", DATE),
                Column("valid_to", DATE, nullable=True),
                Column("successor_id", SLUG, required=False, nullable=True),
            ),
            required=True,
            has_unit=False,
            rules=("valid_to_after_from", "successor_valid_after"),
            references=(Reference("successor_id", "units", "unit_id"),),
        ),
        Table(
            "employments",
            (
                Column("person_id", STR, person_level=True),
                _unit(),
                _occupation(),
                Column("area", CODE, codes=AREAS),
                Column("employment_type", CODE, codes=EMPLOYMENT_TYPES),
                Column("start_date", DATE),
                Column("end_date", DATE, nullable=True),
                Column("end_reason", CODE, nullable=True, codes=END_REASONS),
            ),
            required=True,
            person_level=True,
            period=("start_date", "end_date"),
            rules=("end_after_start", "end_reason_iff_end_date"),
            non_overlapping=("person_id",),
        ),
        Table(
            "consultants",
            (
                Column("measured_on", DATE),
                _unit(),
                _occupation(),
                Column("consultants", INT, min=0),
            ),
            required=True,
            period=("measured_on",),
        ),
        Table(
            "consultant_costs",
            (Column("year", YEAR), _unit(), Column("cost_sek", NUMBER, min=0)),
            period=("year",),
        ),
        Table(
            "job_ads",
            (Column("month", MONTH), _unit(), _occupation(), Column("ads", INT, min=0)),
            period=("month",),
        ),
        Table(
            "visits",
            (
                Column("request_id", STR, unique=True),
                _unit(),
                Column("area", CODE, codes=AREAS),
                Column("requested_on", DATE),
                Column("visit_on", DATE, nullable=True),
            ),
            period=("requested_on",),
            rules=("visit_after_request",),
        ),
        Table(
            "caseload",
            (
                Column("month", MONTH),
                _unit(),
                _occupation(),
                Column("area", CODE, codes=AREAS),
                Column("open_cases", INT, min=0),
                Column("case_workers_fte", NUMBER, min=0, min_exclusive=True),
            ),
            period=("month",),
        ),
        Table(
            "staff_survey",
            (
                Column("year", YEAR),
                _unit(),
                _occupation(),
                Column("index_id", IDENT),
                Column("invited", INT, min=0),
                Column("respondents", INT, min=0),
                Column("value", NUMBER, min=0, max=100),
            ),
            period=("year",),
            rules=("respondents_le_invited",),
        ),
        Table(
            "incidents",
            (
                Column("incident_id", STR, unique=True),
                Column("reported_on", DATE),
                _unit(),
                _occupation(),
                Column("category", CODE, codes=INCIDENT_CATEGORIES),
            ),
            period=("reported_on",),
        ),
        Table(
            "reinforcement",
            (
                Column("assignment_id", STR, unique=True),
                Column("team", STR),
                _unit(),
                Column("start_date", DATE),
                Column("end_date", DATE),
                Column("staff", INT, min=1),
            ),
            period=("start_date", "end_date"),
            rules=("end_after_start",),
        ),
        Table(
            "managers",
            (Column("measured_on", DATE), _unit(), Column("managers", INT, min=1)),
            period=("measured_on",),
        ),
        Table(
            "admin_support",
            (Column("measured_on", DATE), _unit(), Column("administrators_fte", NUMBER, min=0)),
            period=("measured_on",),
        ),
        Table(
            "exit_interviews",
            (
                Column("interview_id", STR, unique=True),
                Column("person_id", STR, person_level=True),
                _unit(),
                _occupation(),
                Column("held_on", DATE),
                Column("reasons", CODES, codes=EXIT_REASONS),
                Column("comment", STR, nullable=True, person_level=True, free_text=True),
            ),
            person_level=True,
            period=("held_on",),
        ),
        Table(
            "focus_areas",
            (
                Column("area_id", IDENT, unique=True),
                Column("name", STR),
                Column("plan_version", CODE, codes=PLAN_VERSIONS),
            ),
            has_unit=False,
        ),
        Table(
            "focus_status",
            (
                Column("year", YEAR),
                _unit(),
                Column("area_id", IDENT),
                Column("status", CODE, codes=FOCUS_STATUSES),
                Column("note", STR, nullable=True, free_text=True),
            ),
            period=("year",),
            references=(Reference("area_id", "focus_areas", "area_id"),),
        ),
    )
}
