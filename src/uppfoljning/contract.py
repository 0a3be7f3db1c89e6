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
FOCUS_STATUSES = ("ej_paborjat", "paborjat", "genomfort")
PLAN_VERSIONS = ("2016", "2018", "2019")

# Column kinds understood by the loader and the validation suites.
STR, SLUG, CODE, DATE, MONTH, YEAR, INT, NUMBER, CODES = (
    "str",
    "slug",
    "code",
    "date",
    "month",
    "year",
    "int",
    "number",
    "codes",  # ';'-separated list of codes, at least one
)


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


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    person_level: bool = False
    # Which date/month/year column places a row in time, for unit validity checks:
    # a (start, end) pair for spells, or a single column.
    period: tuple[str, ...] = ()
    has_unit: bool = True
    rules: tuple[str, ...] = field(default=())  # row-level rules, see ROW_RULES

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _unit() -> Column:
    return Column("unit_id", SLUG)


def _occupation() -> Column:
    return Column("occupation", CODE, codes=OCCUPATIONS)


# Row-level rules across columns of one table: id -> (description, columns involved).
ROW_RULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "end_after_start": ("end_date must be on or after start_date", ("start_date", "end_date")),
    "end_reason_iff_end_date": (
        "end_reason must be given exactly when end_date is",
        ("end_date", "end_reason"),
    ),
    "respondents_le_invited": ("respondents must not exceed invited", ("invited", "respondents")),
    "visit_after_request": (
        "visit_on must be on or after requested_on",
        ("requested_on", "visit_on"),
    ),
    "valid_to_after_from": ("valid_to must be on or after valid_from", ("valid_from", "valid_to")),
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
                Column("region", STR, required=False, nullable=True),
                Column("valid_from", DATE),
                Column("valid_to", DATE, nullable=True),
                Column("successor_id", SLUG, required=False, nullable=True),
            ),
            required=True,
            has_unit=False,
            rules=("valid_to_after_from",),
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
                Column("index_id", SLUG),
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
                Column("comment", STR, nullable=True, person_level=True),
            ),
            person_level=True,
            period=("held_on",),
        ),
        Table(
            "focus_areas",
            (
                Column("area_id", SLUG, unique=True),
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
                Column("area_id", SLUG),
                Column("status", CODE, codes=FOCUS_STATUSES),
                Column("note", STR, nullable=True),
            ),
            period=("year",),
        ),
    )
}

REQUIRED_TABLES = tuple(name for name, t in TABLES.items() if t.required)
PERSON_LEVEL_COLUMNS = frozenset(
    c.name for t in TABLES.values() for c in t.columns if c.person_level
)
