"""Property tests (hypothesis): each compares the package with an obvious reference
written here from the definition, on many generated inputs.

- the loaders: a table written as CSV (UTF-8, ','), as CSV the way Swedish Excel saves
  it (Windows-1252, ';', decimal comma, sometimes thousands spaces), as XLSX and as
  Parquet loads into the frame built directly from the generated values;
- spell overlap (the gate's rule) against pairwise comparison;
- monthly counts of active spells against counting at each month-end date;
- half-up rounding of displayed values against Decimal arithmetic on the shortest
  decimal text of the value.
"""

from __future__ import annotations

import calendar
import datetime as dt
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.deliveries import write_csv, write_parquet, write_xlsx
from uppfoljning import formatting
from uppfoljning.indicators import monthly_spell_counts
from uppfoljning.loading import read_table_file, type_table
from uppfoljning.validation import spells_do_not_overlap

# Every property here runs with one of these (tests/test_conventions.py holds it): no
# deadline, since on a shared machine hypothesis's 200 ms deadline is flaky; few examples
# where each example writes files.
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# cheap properties (no files, no frames of size): hypothesis's default number of examples
QUICK = settings(SETTINGS, max_examples=100)
DAY0 = dt.date(2015, 1, 1)

# --- the loaders ------------------------------------------------------------------------

TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöÅÄÖé", min_size=1, max_size=10)
DATES = st.integers(0, 4000).map(lambda n: DAY0 + dt.timedelta(days=n))
SLUGS = st.sampled_from(["alvsjo", "hagersten-alvsjo", "socialforvaltningen"])


@st.composite
def reinforcement_rows(draw) -> list[dict]:
    """Text, dates and whole numbers (the values, not yet text)."""
    n = draw(st.integers(1, 8))
    rows = []
    for i in range(n):
        start = draw(DATES)
        rows.append(
            {
                "assignment_id": f"a{i}",
                "team": draw(TEXT),
                "unit_id": draw(SLUGS),
                "start_date": start,
                "end_date": start + dt.timedelta(days=draw(st.integers(0, 400))),
                "staff": draw(st.integers(1, 50_000)),
            }
        )
    return rows


@st.composite
def caseload_rows(draw) -> list[dict]:
    """Months, codes, whole numbers and decimals (hundredths, up to millions)."""
    n = draw(st.integers(1, 8))
    return [
        {
            "month": f"{draw(st.integers(2016, 2024))}-{draw(st.integers(1, 12)):02d}",
            "unit_id": draw(SLUGS),
            "occupation": draw(st.sampled_from(["socialsekreterare", "bistandshandlaggare"])),
            "area": draw(st.sampled_from(["barn_och_unga", "vuxna"])),
            "open_cases": draw(st.integers(0, 2_000_000)),
            "case_workers_fte": draw(st.integers(1, 500_000_000)) / 100,
        }
        for _ in range(n)
    ]


def _text(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value) if isinstance(value, float) else str(value)


def _swedish_number(text: str, group: bool) -> str:
    """ "1234567.5" as Swedish Excel may save it: "1 234 567,5" (no-break spaces)."""
    whole, _, decimals = text.partition(".")
    if group:
        whole = f"{int(whole):,}".replace(",", "\u00a0")
    return whole + ("," + decimals if decimals else "")


def _expected(table: str, rows: list[dict]) -> pd.DataFrame:
    """The typed frame, built from the generated values (no loader involved)."""
    columns = {}
    for name in rows[0]:
        values = [row[name] for row in rows]
        if isinstance(values[0], dt.date):
            columns[name] = pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[us]")
        elif isinstance(values[0], float):
            columns[name] = pd.Series(values, dtype="float64")
        elif isinstance(values[0], int):
            columns[name] = pd.Series(values, dtype="Int64")
        else:
            columns[name] = pd.Series(values, dtype="str")
    return pd.DataFrame(columns)


def _load(table: str, path: Path) -> pd.DataFrame:
    frame, source = read_table_file(table, path)
    return type_table(table, frame, source).reset_index(drop=True)


def _every_format_loads_the_values(table: str, rows: list[dict], group: bool) -> None:
    text_rows = [{k: _text(v) for k, v in row.items()} for row in rows]
    numeric = {k for k, v in rows[0].items() if isinstance(v, int | float)}
    sv_rows = [
        {k: _swedish_number(v, group) if k in numeric else v for k, v in row.items()}
        for row in text_rows
    ]
    expected = _expected(table, rows)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        files = {
            "csv": write_csv(base / "plain.csv", table, text_rows),
            # write_csv's decimal_comma only swaps the point; the grouping is done above
            "csv-excel-sv": write_csv(
                base / "excel.csv", table, sv_rows, encoding="cp1252", delimiter=";"
            ),
            "xlsx": write_xlsx(base / "book.xlsx", table, text_rows),
            "parquet": write_parquet(base / "table.parquet", table, text_rows),
        }
        for fmt, path in files.items():
            loaded = _load(table, path)
            pd.testing.assert_frame_equal(
                loaded, expected, check_index_type=False, obj=f"{table} as {fmt}"
            )


@SETTINGS
@given(rows=reinforcement_rows(), group=st.booleans())
def test_every_format_loads_text_dates_and_whole_numbers_alike(rows, group):
    _every_format_loads_the_values("reinforcement", rows, group)


@SETTINGS
@given(rows=caseload_rows(), group=st.booleans())
def test_every_format_loads_decimals_alike(rows, group):
    _every_format_loads_the_values("caseload", rows, group)


# --- spells -----------------------------------------------------------------------------

SPELLS = st.lists(
    st.tuples(
        st.sampled_from(["p1", "p2", "p3"]),
        st.integers(0, 60),
        st.one_of(st.none(), st.integers(0, 60)),
    ),
    min_size=0,
    max_size=12,
)


@SETTINGS
@given(spells=SPELLS)
def test_a_spell_overlaps_exactly_when_it_shares_a_day_with_another(spells):
    spells = [(p, s, s + length if length is not None else None) for p, s, length in spells]
    keys = pd.DataFrame({"person_id": [p for p, _, _ in spells]}, dtype=object)
    start = np.array([s for _, s, _ in spells], dtype=float)
    end = np.array([np.inf if e is None else e for _, _, e in spells], dtype=float)
    ok = spells_do_not_overlap(keys, start, end)
    for i, (person, first, last) in enumerate(spells):
        last = float("inf") if last is None else last
        shares_a_day = any(
            other == person and first <= (float("inf") if b is None else b) and a <= last
            for j, (other, a, b) in enumerate(spells)
            if j != i
        )
        assert ok[i] == (not shares_a_day)


def _month_ends(first_year: int, last_year: int) -> list[dt.date]:
    return [
        dt.date(y, m, calendar.monthrange(y, m)[1])
        for y in range(first_year, last_year + 1)
        for m in range(1, 13)
    ]


@SETTINGS
@given(
    spells=st.lists(
        st.tuples(
            st.sampled_from(["alfa", "beta"]), DATES, st.one_of(st.none(), st.integers(0, 900))
        ),
        max_size=15,
    )
)
def test_monthly_counts_count_the_spells_active_on_each_month_end(spells):
    rows = [
        {
            "unit_id": unit,
            "start_date": start,
            "end_date": None if length is None else start + dt.timedelta(days=length),
        }
        for unit, start, length in spells
    ]
    frame = pd.DataFrame(rows, columns=["unit_id", "start_date", "end_date"])
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    counts = monthly_spell_counts(frame, 2016, 2018, ["unit_id"])
    got = {(r.unit_id, r.year, r.month): r.active for r in counts.itertuples()}
    for unit in sorted({row["unit_id"] for row in rows}):
        for day in _month_ends(2016, 2018):
            active = sum(
                1
                for row in rows
                if row["unit_id"] == unit
                and row["start_date"] <= day
                and (row["end_date"] is None or row["end_date"] >= day)
            )
            assert got[(unit, day.year, day.month)] == active, (unit, day)


# --- half-up rounding -------------------------------------------------------------------


@QUICK
@given(value=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), decimals=st.integers(0, 3))
def test_numbers_round_half_up_on_their_shortest_decimal_text(value, decimals):
    exact = Decimal(repr(value))
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    assert formatting.displayed_value("cases_per_worker", value) == exact.quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    text = formatting.format_number(value, decimals)
    assert Decimal(text.replace("\u00a0", "").replace("\u2212", "-").replace(",", ".")) == (rounded)


@QUICK
@given(hundredths=st.integers(-(10**6), 10**6))
def test_a_half_always_rounds_away_from_zero(hundredths):
    value = (hundredths * 10 + 5) / 1000  # x.xx5 exactly as written
    shown = formatting.format_number(value, 2)
    expected = (Decimal(hundredths * 10 + 5) / 1000).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    assert Decimal(shown.replace("\u00a0", "").replace("\u2212", "-").replace(",", ".")) == (
        expected
    )


@QUICK
@given(share=st.integers(0, 10**5))
def test_percentages_round_half_up_after_scaling(share):
    value = share / 10**5  # a share with five decimals, e.g. 0.12345 = 12.345 %
    expected = (Decimal(share) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert formatting.displayed_value("turnover_rate", value) == expected
