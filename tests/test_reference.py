"""Compare the production indicators with the independent reference (tests/reference.py).

Same rows (year, unit_id, occupation, indicator), values equal within 1e-9 (absolute or
relative), same ``suppressed`` and ``unit_name``, on the demo delivery and on small
random deliveries. Production reads a delivery with ``uppfoljning.loading``; the
reference reads the same raw files with its own reader (tests/support/reference_reader.py), so a
loader bug shows as a discrepancy. Each random delivery is written in every file format
data-contract.md allows (see FORMATS) and compared in each.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from audit import audit_tables
from reference import reference_indicators
from support.deliveries import write_csv, write_parquet, write_xlsx
from support.reference_reader import read_delivery
from uppfoljning.config import ReportConfig
from uppfoljning.indicators import compute_indicators
from uppfoljning.loading import load_delivery

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
KEY = ["year", "unit_id", "occupation", "indicator"]
TOL = 1e-9


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["year"] = frame["year"].astype(int)
    frame["edition"] = frame["edition"].astype(int)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    frame["suppressed"] = frame["suppressed"].map(
        lambda v: v if isinstance(v, bool) else str(v).strip().lower() == "true"
    )
    for col in ("unit_id", "occupation", "indicator", "unit_name"):
        frame[col] = frame[col].astype(str)
    return frame


def _close(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= TOL or abs(a - b) <= TOL * max(abs(a), abs(b))


def discrepancies(prod: pd.DataFrame, ref: pd.DataFrame) -> list[str]:
    prod, ref = _normalise(prod), _normalise(ref)
    problems: list[str] = []
    assert list(prod.columns) == [
        "edition",
        "year",
        "unit_id",
        "unit_name",
        "occupation",
        "indicator",
        "value",
        "suppressed",
    ], list(prod.columns)
    for name, frame in (("production", prod), ("reference", ref)):
        dup = frame[frame.duplicated(KEY, keep=False)]
        if len(dup):
            problems.append(
                f"{name} has {len(dup)} duplicated keys, e.g. {dup.head(3)[KEY].values.tolist()}"
            )
    merged = prod.merge(ref, on=KEY, how="outer", suffixes=("_prod", "_ref"), indicator=True)
    only_prod = merged[merged["_merge"] == "left_only"]
    only_ref = merged[merged["_merge"] == "right_only"]
    for label, part in (("only in production", only_prod), ("only in reference", only_ref)):
        if len(part):
            summary = part.groupby("indicator").agg(
                n=("year", "size"),
                years=("year", lambda s: sorted(set(s))),
                units=("unit_id", lambda s: sorted(set(s))[:4]),
                occupations=("occupation", lambda s: sorted(set(s))),
            )
            problems.append(f"{len(part)} rows {label}:\n{summary.to_string()}")
    both = merged[merged["_merge"] == "both"]
    for r in both.itertuples(index=False):
        bad = []
        # Production hides every cell the reference finds small (primary suppression)
        # and may hide more as protection (secondary); where both publish, the values
        # agree. That the extra cells protect the small ones is tests/audit.py's job.
        if bool(r.suppressed_ref) and not bool(r.suppressed_prod):
            bad.append(f"small cell published: prod={r.value_prod!r}")
        elif not bool(r.suppressed_prod) and not _close(r.value_prod, r.value_ref):
            bad.append(f"value prod={r.value_prod!r} ref={r.value_ref!r}")
        if r.unit_name_prod != r.unit_name_ref:
            bad.append(f"unit_name prod={r.unit_name_prod!r} ref={r.unit_name_ref!r}")
        if r.edition_prod != r.edition_ref:
            bad.append(f"edition prod={r.edition_prod} ref={r.edition_ref}")
        if bad:
            problems.append(f"{r.year} {r.unit_id} {r.occupation} {r.indicator}: " + "; ".join(bad))
    return problems


def closed_without_successor(units: pd.DataFrame) -> set[int]:
    """Years in which a unit that closed without a successor was valid (public, by the
    unit history)."""
    closed = units[units["valid_to"].notna() & units["successor_id"].isna()]
    return {
        y
        for start, end in zip(closed["valid_from"], closed["valid_to"], strict=True)
        for y in range(pd.Timestamp(start).year, pd.Timestamp(end).year + 1)
    }


def compare_results(
    data_dir: Path, edition: int, config: ReportConfig, audit: bool = True
) -> tuple[list[str], pd.DataFrame]:
    """Discrepancies between production and the reference on one delivery folder, each
    reading the raw files its own way; also the reference's results."""
    prod = compute_indicators(load_delivery(data_dir), edition, config)
    ref = reference_indicators(
        read_delivery(data_dir), edition, min_n=config.min_n, first_year=config.first_year
    )
    problems = discrepancies(prod, ref)
    if audit:
        units = load_delivery(data_dir).tables["units"]
        _audited, leaks = audit_tables(
            [prod], min_n=config.min_n, closed_years=closed_without_successor(units)
        )
        # With min_n below 4 the published rule itself says a share hidden as small was
        # given by 1..min_n-1 persons, fewer than 2 apart: no pattern can widen that, and
        # a range no narrower than the rule's tells nothing the rule does not.
        rule = (1.0, config.min_n - 1.0)
        problems += [
            f"recoverable: {leak}"
            for leak in leaks
            if not (
                leak.indicator.startswith("exit_reason_share_")
                and leak.low <= rule[0]
                and leak.high >= rule[1]
            )
        ]
    return problems, ref


def fail_on(problems: list[str], what: str) -> None:
    if problems:
        shown = "\n".join(problems[:60])
        more = f"\n... and {len(problems) - 60} more" if len(problems) > 60 else ""
        pytest.fail(f"{what}: {len(problems)} discrepancies\n{shown}{more}")


def compare(data_dir: Path, edition: int, config: ReportConfig | None = None) -> None:
    problems, _ref = compare_results(data_dir, edition, config or ReportConfig())
    fail_on(problems, f"edition {edition}")


# ---------------------------------------------------------------------------
# Demo delivery


@pytest.mark.parametrize("edition", [2019, 2021, 2024])
def test_demo_matches_reference(edition):
    compare(DEMO, edition)


# ---------------------------------------------------------------------------
# Random small deliveries

OCCS = ("socialsekreterare", "bistandshandlaggare")
REASONS = ("egen_begaran", "pension", "ovrigt", "intern_rorlighet", "omorganisation")
EXIT_CODES = (
    "arbetsbelastning",
    "lon",
    "ledarskap",
    "arbetsmiljo",
    "karriar",
    "hot_och_vald",
    "privata_skal",
    "ovrigt",
)
D = dt.date
DATA_FROM, DATA_TO = D(2014, 1, 1), D(2024, 6, 30)

# unit_id, name, kind, region, valid_from, valid_to, successor_id
RANDOM_UNITS = [
    ("alfa", "Alfa", "stadsdelsforvaltning", "Söderort", D(2010, 1, 1), D(2018, 6, 30), "ceta"),
    ("beta", "Beta", "stadsdelsforvaltning", "Söderort", D(2010, 1, 1), D(2018, 6, 30), "ceta"),
    ("ceta", "Ceta", "stadsdelsforvaltning", "Söderort", D(2018, 7, 1), D(2021, 3, 31), "eta"),
    ("delta", "Delta", "stadsdelsforvaltning", "Västerort", D(2010, 1, 1), D(2021, 3, 31), "eta"),
    ("eta", "Eta", "stadsdelsforvaltning", "Västerort", D(2021, 4, 1), None, None),
    ("liten", "Lilla förvaltningen", "fackforvaltning", None, D(2010, 1, 1), None, None),
    ("gamma", "Gamma", "stadsdelsforvaltning", "Inre staden", D(2010, 1, 1), None, None),
    # closed without a successor: counted only in the city total
    ("zeta", "Zeta", "fackforvaltning", None, D(2010, 1, 1), D(2019, 8, 31), None),
    # no employment spells at all (headcount 0 beside managers, incidents, ...)
    ("tom", "Tom", "fackforvaltning", None, D(2016, 1, 1), None, None),
]


def _iso(d):
    return "" if d is None else d.isoformat()


def _rand_date(rng, lo, hi):
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def _month_end(d):
    nxt = D(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _valid_span(u):
    return max(u[4], DATA_FROM), min(u[5] or DATA_TO, DATA_TO)


def _valid_on(u, day):
    return u[4] <= day and (u[5] is None or u[5] >= day)


def _valid_in_year(u, year):
    return u[4] <= D(year, 12, 31) and (u[5] is None or u[5] >= D(year, 1, 1))


def random_tables(seed: int) -> dict[str, list[dict]]:
    """Every table of a small random delivery: rows of str (dates as ISO text, '' for
    empty), int and float values."""
    rng = random.Random(seed)
    units = {u[0]: u for u in RANDOM_UNITS}
    tables: dict[str, list[dict]] = {}
    tables["units"] = [
        dict(
            unit_id=u[0],
            name=u[1],
            kind=u[2],
            region=u[3] or "",
            valid_from=_iso(u[4]),
            valid_to=_iso(u[5]),
            successor_id=u[6] or "",
        )
        for u in RANDOM_UNITS
    ]
    size = {
        "alfa": 9,
        "beta": 6,
        "ceta": 5,
        "delta": 8,
        "eta": 6,
        "liten": 4,
        "gamma": 12,
        "zeta": 5,
        "tom": 0,
    }

    # employments: spells inside unit validity; at a merger ongoing spells end on
    # valid_to (omorganisation) and continue at the successor.
    emp = []
    pid = 0

    def add_spell(person, unit_id, occ, etype, start, carry_depth=0):
        u = units[unit_id]
        lo, hi = _valid_span(u)
        roll = rng.random()
        end, reason = None, None
        if roll < 0.45:
            end = _rand_date(rng, start, hi)
            if rng.random() < 0.4:
                end = min(_month_end(end), hi)
            reason = rng.choice(REASONS[:4] + ("omorganisation",) * (rng.random() < 0.1))
        elif u[5] is not None:
            end, reason = u[5], "omorganisation"
        emp.append(
            dict(
                person_id=person,
                unit_id=unit_id,
                occupation=occ,
                area=rng.choice(["barn_och_unga", "vuxna", "aldre"]),
                employment_type=etype,
                start_date=_iso(start),
                end_date=_iso(end),
                end_reason=reason or "",
            )
        )
        if reason == "omorganisation" and end == u[5] and u[6] and carry_depth < 3:
            # continue at the successor (zeta has none: the spell just ends)
            add_spell(person, u[6], occ, etype, u[5] + dt.timedelta(days=1), carry_depth + 1)

    for u in RANDOM_UNITS:
        lo, hi = _valid_span(u)
        for _ in range(size[u[0]] + (rng.randint(0, 4) if size[u[0]] else 0)):
            pid += 1
            start = lo if rng.random() < 0.4 else _rand_date(rng, lo, hi)
            if rng.random() < 0.3:  # start on the first of a month
                start = max(lo, start.replace(day=1))
            etype = "tillsvidare" if rng.random() < 0.8 else "visstid"
            add_spell(f"p{seed}{pid:05d}", u[0], rng.choice(OCCS), etype, start)
    tables["employments"] = emp

    years = range(2015, 2025)
    # consultants: two measuring dates a year; at the last one sometimes only one
    # occupation is measured (per-unit vs per-unit-and-occupation "last date").
    rows = []
    for y in years:
        for u in RANDOM_UNITS:
            dates = [
                d
                for d in (D(y, 4, 15), D(y, 11, 15))
                if _valid_on(u, d) and DATA_FROM <= d <= DATA_TO
            ]
            for i, d in enumerate(dates):
                occs = OCCS if (i == 0 or rng.random() < 0.6) else (rng.choice(OCCS),)
                for o in occs:
                    rows.append(
                        dict(
                            measured_on=_iso(d),
                            unit_id=u[0],
                            occupation=o,
                            consultants=rng.randint(0, 6),
                        )
                    )
    tables["consultants"] = rows

    tables["consultant_costs"] = [
        dict(year=y, unit_id=u[0], cost_sek=rng.randint(0, 900) * 1000)
        for y in years
        for u in RANDOM_UNITS
        if _valid_in_year(u, y) and rng.random() < 0.8
    ]

    rows = []
    for y in years:
        for m in range(1, 13):
            for u in RANDOM_UNITS:
                if not (_valid_on(u, D(y, m, 1)) or _valid_on(u, _month_end(D(y, m, 1)))):
                    continue
                for o in OCCS:
                    if rng.random() < 0.3:
                        rows.append(
                            dict(
                                month=f"{y}-{m:02d}",
                                unit_id=u[0],
                                occupation=o,
                                ads=rng.randint(0, 3),
                            )
                        )
    tables["job_ads"] = rows

    rows = []
    for u in RANDOM_UNITS:
        lo, hi = _valid_span(u)
        for i in range(rng.randint(10, 60)):
            req = _rand_date(rng, lo, hi)
            visit = None if rng.random() < 0.2 else req + dt.timedelta(days=rng.randint(0, 40))
            rows.append(
                dict(
                    request_id=f"v{u[0]}{i}",
                    unit_id=u[0],
                    area="vuxna",
                    requested_on=_iso(req),
                    visit_on=_iso(visit),
                )
            )
    tables["visits"] = rows

    rows = []
    for y in years:
        for m in range(1, 13):
            for u in RANDOM_UNITS:
                if not _valid_on(u, D(y, m, 1)):
                    continue
                for o in OCCS:
                    if rng.random() < 0.7:
                        rows.append(
                            dict(
                                month=f"{y}-{m:02d}",
                                unit_id=u[0],
                                occupation=o,
                                area="barn_och_unga",
                                open_cases=rng.randint(0, 90),
                                case_workers_fte=round(rng.uniform(0.5, 6), 1),
                            )
                        )
    tables["caseload"] = rows

    rows = []
    for y in years:
        for u in RANDOM_UNITS:
            if not _valid_in_year(u, y):
                continue
            for o in OCCS:
                if rng.random() < 0.2:
                    continue
                invited = rng.randint(0, 12)
                respondents = rng.randint(0, invited)
                for index_id in ("ami", "ledarskap"):
                    rows.append(
                        dict(
                            year=y,
                            unit_id=u[0],
                            occupation=o,
                            index_id=index_id,
                            invited=invited,
                            respondents=respondents,
                            value=round(rng.uniform(30, 90), 1),
                        )
                    )
    tables["staff_survey"] = rows

    rows = []
    for u in RANDOM_UNITS:
        lo, hi = _valid_span(u)
        for i in range(rng.randint(3, 40)):
            rows.append(
                dict(
                    incident_id=f"i{u[0]}{i}",
                    reported_on=_iso(_rand_date(rng, lo, hi)),
                    unit_id=u[0],
                    occupation=rng.choice(OCCS),
                    category=rng.choice(["hot", "vald", "otillaten_paverkan"]),
                )
            )
    tables["incidents"] = rows

    rows = []
    for u in RANDOM_UNITS:
        lo, hi = _valid_span(u)
        for i in range(rng.randint(0, 4)):
            start = _rand_date(rng, lo, hi)
            end = min(start + dt.timedelta(days=rng.randint(0, 200)), hi)
            rows.append(
                dict(
                    assignment_id=f"f{u[0]}{i}",
                    team="Förstärkningsteam",
                    unit_id=u[0],
                    start_date=_iso(start),
                    end_date=_iso(end),
                    staff=rng.randint(1, 4),
                )
            )
    tables["reinforcement"] = rows

    for table, column in (("managers", "managers"), ("admin_support", "administrators_fte")):
        rows = []
        for y in years:
            for u in RANDOM_UNITS:
                dates = [
                    d
                    for d in (D(y, 3, 31), D(y, 12, 31))
                    if _valid_on(u, d) and DATA_FROM <= d <= DATA_TO
                ]
                if len(dates) == 2 and rng.random() < 0.6:
                    dates = dates[1:]
                for d in dates:
                    value = (
                        rng.randint(1, 3) if column == "managers" else round(rng.uniform(0, 2.5), 1)
                    )
                    rows.append({"measured_on": _iso(d), "unit_id": u[0], column: value})
        tables[table] = rows

    rows = []
    for u in RANDOM_UNITS:
        lo, hi = _valid_span(u)
        for i in range(rng.randint(2, 25)):
            codes = rng.sample(EXIT_CODES, rng.randint(1, 3))
            if rng.random() < 0.1:
                codes.append(codes[0])  # a reason given twice in one interview
            rows.append(
                dict(
                    interview_id=f"e{u[0]}{i}",
                    person_id=f"x{i}",
                    unit_id=u[0],
                    occupation=rng.choice(OCCS),
                    held_on=_iso(_rand_date(rng, lo, hi)),
                    reasons=";".join(codes),
                    comment=COMMENT,
                )
            )
    tables["exit_interviews"] = rows
    return tables


# Free text that a CSV writer must quote in either delimiter (never published).
COMMENT = 'Fritext, med "citat"; två rader\noch å ä ö'


def _cell_text(value: object) -> str:
    return value if isinstance(value, str) else repr(value)


def _swedish_excel_text(column: str, value: object) -> str:
    """A number as Swedish Excel saves it: decimal comma, thousands grouped with no-break
    spaces (900000.5 -> "900 000,5"); years and text stay as they are."""
    if isinstance(value, str) or column == "year":
        return _cell_text(value)
    whole, _, decimals = repr(value).partition(".")
    grouped = f"{int(whole):,}".replace(",", "\u00a0")
    return grouped + ("," + decimals if decimals else "")


# Every way data-contract.md allows a table to be written: CSV in UTF-8 with or without
# BOM or in Windows-1252, delimited by ',' or ';' (with ';' a decimal comma), XLSX with
# date and number cells, Parquet with typed columns.
FORMATS = ("csv", "csv-semicolon-bom", "csv-excel-sv", "xlsx", "parquet")


def write_delivery(
    path: Path, tables: dict[str, list[dict]], fmt: str = "csv", omit: tuple[str, ...] = ()
) -> Path:
    """Write ``tables`` as a delivery folder in one of FORMATS."""
    path.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        if name in omit:
            continue
        text_rows = [{k: _cell_text(v) for k, v in row.items()} for row in rows]
        if fmt == "csv":
            write_csv(path / f"{name}.csv", name, text_rows)
        elif fmt == "csv-semicolon-bom":  # ';' with a decimal point
            write_csv(path / f"{name}.csv", name, text_rows, encoding="utf-8-sig", delimiter=";")
        elif fmt == "csv-excel-sv":
            sv_rows = [{k: _swedish_excel_text(k, v) for k, v in row.items()} for row in rows]
            write_csv(path / f"{name}.csv", name, sv_rows, encoding="cp1252", delimiter=";")
        elif fmt == "xlsx":
            swap_every_other_xlsx_cell(write_xlsx(path / f"{name}.xlsx", name, text_rows))
        elif fmt == "parquet":
            write_parquet(path / f"{name}.parquet", name, text_rows)
        else:
            raise ValueError(f"unknown format {fmt}")
    return path


def swap_every_other_xlsx_cell(path: Path) -> None:
    """On every other row, a date cell becomes ISO text and a month typed as text
    becomes a date cell (what Excel makes of "2019-05"): both are valid in XLSX."""
    book = load_workbook(path)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].row % 2:
            continue
        for name, cell in zip(header, row, strict=True):
            if isinstance(cell.value, dt.datetime):
                cell.value, cell.number_format = cell.value.date().isoformat(), "@"
            elif name == "month" and cell.value:
                year, month = map(int, cell.value.split("-"))
                cell.value, cell.number_format = dt.datetime(year, month, 1), "yyyy-mm"
    book.save(path)


def compare_in_formats(
    tmp_path: Path,
    seed: int,
    edition: int,
    config: ReportConfig | None = None,
    omit: tuple[str, ...] = (),
    formats: tuple[str, ...] = FORMATS,
) -> None:
    """The same random delivery in each of ``formats``: production equals the reference
    in each (the disclosure audit, which does not depend on the format, runs on the
    first), and the reference reads every format alike."""
    config = config or ReportConfig()
    tables = random_tables(seed)
    problems: list[str] = []
    first = None
    for fmt in formats:
        data_dir = write_delivery(tmp_path / fmt, tables, fmt, omit)
        found, ref = compare_results(data_dir, edition, config, audit=first is None)
        problems += [f"[{fmt}] {problem}" for problem in found]
        if first is None:
            first = ref
        else:
            try:
                pd.testing.assert_frame_equal(ref, first, check_exact=True)
            except AssertionError as error:
                problems.append(f"[{fmt}] the reference read it unlike {formats[0]}: {error}")
    fail_on(problems, f"seed {seed}, edition {edition}")


@pytest.mark.parametrize(
    "seed,edition,omit,formats",
    [
        (1, 2017, (), FORMATS),
        (2, 2019, (), FORMATS),
        # the same files as the case above (only the edition differs): one format is enough
        (2, 2021, (), FORMATS[:1]),
        (3, 2022, ("reinforcement", "exit_interviews"), FORMATS),
        (4, 2024, (), FORMATS),
    ],
)
def test_random_delivery_matches_reference(tmp_path, seed, edition, omit, formats):
    compare_in_formats(tmp_path, seed, edition, omit=omit, formats=formats)


def test_random_delivery_other_config(tmp_path):
    compare_in_formats(tmp_path, 5, 2022, ReportConfig(min_n=3, first_year=2018))
