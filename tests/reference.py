"""Independent reference implementation of /work/shared/spec/indicators.md.

Written from the specification only (indicators.md + data-contract.md), without
looking at ``uppfoljning.indicators``. It does not use ``uppfoljning.loading`` either:
``reference_indicators`` takes the tables as tests/support/reference_reader.py reads them from
the raw files (plain values: str, int, float, datetime.date, None). Deliberately simple
and loop-based: every indicator is accumulated row by row into plain dicts keyed by
``(year, edition_unit, occupation)`` and then written out for every
year x unit x occupation the spec says gets a row.

Decisions where the specification leaves room (each is the reading I think the spec
author most plausibly meant):

D1  Years. Only ``first_year <= y <= E``. An indicator has rows for year ``y`` when its
    *source table* covers ``y``:
      - employments (headcount, turnover_*): some spell of ANY employment type and
        occupation is active on at least one day of ``y``
        (start <= y-12-31 and (end empty or end >= y-01-01));
      - point-in-time tables (consultants, managers, admin_support): a row with
        ``measured_on`` in ``y``;
      - monthly tables (job_ads, caseload): a row with ``month`` in ``y``;
      - year tables (consultant_costs, staff_survey): a row with ``year == y``;
      - event tables: visits by ``requested_on``, incidents by ``reported_on``,
        exit_interviews by ``held_on`` (a row in ``y``, booked or not for visits);
      - reinforcement: some assignment has at least one day in ``y``;
      - incidents_per_100 follows the incidents table's years (its numerator's table).
    In such a year EVERY edition unit and the city get a row for every occupation of
    that indicator, even a unit without source rows.
D2  Base 0 vs suppressed. "0 is shown" for counts and "an empty value where a rate's
    base is 0" + the `value` column being "empty when suppressed OR when there is no
    data": a base of exactly 0 gives value empty with suppressed=false (no data, nothing
    to protect); suppression (suppressed=true, value empty) only for 0 < base < min_n.
    Likewise counts: 0 shown, 0 < n < min_n suppressed (also fractional, 4.5).
    A ratio whose denominator is 0 (cases_per_worker without FTE, staff_per_manager
    without managers) is empty, not suppressed.
D3  Bases:
      - turnover_rate, turnover_rate_external, turnover_rate_voluntary: base H
        (the tillsvidare mean headcount, the denominator);
      - survey_<index_id>: base = sum of respondents of that index;
      - survey_response_rate: it is a rate, so its base is its denominator, the
        number INVITED (counted once per year x source unit x occupation, see D7);
        suppressed when 0 < invited < min_n;
      - wait_days_mean/_median: base = number of visits requested in y WITH a visit_on;
      - exit_reason_share_*: base = number of interviews held in y;
      - staff_per_manager, admin_fte_per_10: base = the point-in-time headcount
        (numerator resp. denominator);
      - incidents_per_100: suppressed exactly when `incidents` is (spec); otherwise
        empty (not suppressed) when H_all = 0;
      - cases_per_worker, consultants, consultant_cost_sek, job_ads,
        reinforcement_staff_weeks: no disclosure rule applies (the count rule lists
        only headcount and incidents; consultants are not employees).
D4  Point-in-time tables: the "last measuring date" is per SOURCE UNIT (over both
    occupations), as the spec says "sums its source units, each taken at its own last
    measuring date in y". For consultants the occupation value is the sum of that
    source unit's rows of that occupation on that date (0 if it has none), `alla` the
    sum of both. A source unit with no measuring row in y contributes nothing (no
    consultants, no managers/administrators and no headcount).
D5  staff_per_manager / admin_fte_per_10 headcount of a source unit s with last date
    d_s: spells with unit_id = s, both occupations, every employment type, with
    start <= d_s and (end empty or end >= d_s). Managers / administrators_fte: sum of
    s's rows on d_s. Restated unit and city: sum headcounts and sum managers/FTE over
    their source units, then divide.
D6  Exit reasons: a row for every code of the contract's exit-reason code list (8
    codes), in every covered year; share = interviews giving the code at least once
    (a code listed twice in one interview counts once) / interviews held in y.
    Occupation `alla` only (spec), although the table has an occupation.
D7  survey_response_rate: the survey is delivered per index, with invited/respondents
    repeated on each index row of the same year x unit x occupation. Summing every row
    would count the same persons once per index, so each year x source unit x
    occupation is counted once (the maximum over its index rows; in the demo they are
    identical). survey_<index_id>: one indicator per index_id occurring in the table
    within first_year..E; each gets rows in every survey year.
D8  City (`stockholm`) "counts every unit": every source row, also a row of a unit whose
    successor chain never reaches an edition unit.
D9  Restatement: a unit valid on E-12-31 (valid_from <= E-12-31 and valid_to empty or
    >= E-12-31) maps to itself; otherwise follow successor_id until such a unit; no
    such unit -> only the city.
D10 Wait days: (visit_on - requested_on) in whole days; median of an even number of
    values is the mean of the two middle ones. Visits without visit_on are ignored.
D11 Reinforcement: days of [start_date, end_date] (inclusive) that fall in y, times
    staff, / 7, summed over assignments.
D12 Leavers: tillsvidare spells with end_date in y (any occupation filter applied by
    the spell's occupation), counted for the spell's unit (restated); omorganisation
    never counts. H: tillsvidare spells active on each of the 12 month-ends of y.
D13 Edition units are both kinds (stadsdelsförvaltningar and fackförvaltningar);
    unit_name from units.name; the city's name "Stockholms stad".

Comparison with production (tests/test_reference.py), after this file was written:
the demo editions 2019/2021/2024 agree row for row. On random deliveries four
divergences remain; each was judged against the spec and this reference was kept:
  1. consultants: production takes the last date per source unit AND occupation for
     the occupation rows but per source unit for `alla`, so alla != ss + bh when a unit's
     last measuring date lacks one occupation. Spec: "sums its source units, each taken
     at its own last measuring date in y" (D4), and `alla` is "both".
  2. survey_response_rate: production's disclosure base is respondents (and suppresses
     0 respondents of >0 invited); here the base is the rate's denominator, invited (D3).
  3. staff_per_manager with point-in-time headcount 0 but managers > 0: production marks
     suppressed=true; spec "an empty value where a rate's base is 0" -> empty, not
     suppressed (D2).
  4. incidents_per_100 when 0 < incidents < min_n and H_all = 0: production marks
     suppressed=false; spec "incidents_per_100 is suppressed when incidents is".
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

CITY = "stockholm"
CITY_NAME = "Stockholms stad"
OCCUPATIONS = ("socialsekreterare", "bistandshandlaggare")
ALLA = "alla"
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
TURNOVER = {
    "turnover_rate": {"egen_begaran", "pension", "ovrigt", "intern_rorlighet"},
    "turnover_rate_external": {"egen_begaran", "pension", "ovrigt"},
    "turnover_rate_voluntary": {"egen_begaran"},
}
COLUMNS = [
    "edition",
    "year",
    "unit_id",
    "unit_name",
    "occupation",
    "indicator",
    "value",
    "suppressed",
]


# indicators.md, *The published table*: values are published rounded half up as the
# pages display them (a percentage's decimals counted on the fraction); kronor as
# delivered.
PUBLISHED_DECIMALS = {
    "headcount": 0,
    "reinforcement_staff_weeks": 0,
    "consultants": 0,
    "job_ads": 0,
    "incidents": 0,
    "turnover_rate": 3,
    "turnover_rate_external": 3,
    "turnover_rate_voluntary": 3,
    "survey_response_rate": 2,
    "wait_days_mean": 1,
    "wait_days_median": 1,
    "cases_per_worker": 1,
    "incidents_per_100": 1,
    "staff_per_manager": 1,
    "admin_fte_per_10": 1,
}


def as_published(indicator: str, value: float) -> float:
    """``value`` rounded half up to the decimals its indicator is published with."""
    if indicator.startswith("exit_reason_share_"):
        decimals = 2
    elif indicator == "consultant_cost_sek":
        return value
    elif indicator.startswith("survey_") and indicator not in PUBLISHED_DECIMALS:
        decimals = 1  # an index
    else:
        decimals = PUBLISHED_DECIMALS[indicator]
    if math.isnan(value):
        return value
    exact = Decimal(format(value, ".12g"))  # 12.45 / 100 is 0.12449999999999999
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _missing(x) -> bool:
    return x is None or x is pd.NaT or (isinstance(x, float) and math.isnan(x)) or pd.isna(x)


def _date(x) -> dt.date | None:
    if _missing(x):
        return None
    return pd.Timestamp(x).date()


def _month_ends(year: int) -> list[dt.date]:
    ends = []
    for m in range(1, 13):
        first_next = dt.date(year + (m == 12), m % 12 + 1, 1)
        ends.append(first_next - dt.timedelta(days=1))
    return ends


def _active(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    return start <= day and (end is None or end >= day)


def _rows(frame):
    """Plain dicts, one per row."""
    return frame.to_dict("records")


class Units:
    def __init__(self, units: pd.DataFrame, edition: int):
        self.end = dt.date(edition, 12, 31)
        self.info = {}
        for r in _rows(units):
            self.info[r["unit_id"]] = dict(
                name=r["name"],
                valid_from=_date(r["valid_from"]),
                valid_to=_date(r["valid_to"]),
                successor=None if _missing(r["successor_id"]) else r["successor_id"],
            )
        self.edition_units = [u for u in self.info if self.valid_at_end(u)]

    def valid_at_end(self, u: str) -> bool:
        i = self.info[u]
        return i["valid_from"] <= self.end and (i["valid_to"] is None or i["valid_to"] >= self.end)

    def edition_unit(self, u: str) -> str | None:
        seen = set()
        while u is not None and u in self.info and u not in seen:
            if self.valid_at_end(u):
                return u
            seen.add(u)
            u = self.info[u]["successor"]
        return None

    def targets(self, u: str) -> list[str]:
        """Edition unit (if any) plus the city: where a row of source unit u counts."""
        e = self.edition_unit(u)
        return ([e] if e else []) + [CITY]

    def name(self, u: str) -> str:
        return CITY_NAME if u == CITY else self.info[u]["name"]


def reference_indicators(
    delivery, edition: int, min_n: int = 5, first_year: int = 2016
) -> pd.DataFrame:
    tables = delivery.tables
    units = Units(tables["units"], edition)
    all_units = units.edition_units + [CITY]
    year_range = range(first_year, edition + 1)
    out: list[dict] = []

    def add(indicator, year, unit, occ, value, suppressed=False):
        if suppressed:
            value = float("nan")
        out.append(
            dict(
                edition=edition,
                year=year,
                unit_id=unit,
                unit_name=units.name(unit),
                occupation=occ,
                indicator=indicator,
                value=float("nan") if value is None else float(value),
                suppressed=bool(suppressed),
            )
        )

    def occs_of(occ):
        return [occ, ALLA]

    def emit_count(indicator, years, occs, acc, suppress):
        for y in sorted(years):
            for u in all_units:
                for o in occs:
                    n = acc.get((y, u, o), 0)
                    hide = suppress and 0 < n < min_n
                    add(indicator, y, u, o, n, hide)

    def emit_ratio(
        indicator, years, occs, num, den, base=None, suppress=True, telling_numerator=False
    ):
        """num/den; base (default den) drives 'empty when 0' and suppression. With
        ``telling_numerator`` a numerator of 1..min_n-1, or equal to the denominator,
        is suppressed too (exit-reason shares)."""
        base = den if base is None else base
        for y in sorted(years):
            for u in all_units:
                for o in occs:
                    b = base.get((y, u, o), 0)
                    d = den.get((y, u, o), 0)
                    if b == 0 or d == 0:
                        add(indicator, y, u, o, None, False)
                    elif suppress and b < min_n:
                        add(indicator, y, u, o, None, True)
                    elif telling_numerator and (
                        0 < num.get((y, u, o), 0) < min_n or num.get((y, u, o), 0) == d
                    ):
                        add(indicator, y, u, o, None, True)
                    else:
                        add(indicator, y, u, o, num.get((y, u, o), 0) / d, False)

    def bump(acc, y, unit_id, occ, amount):
        for t in units.targets(unit_id):
            for o in [ALLA] if occ is None else occs_of(occ):
                acc[(y, t, o)] = acc.get((y, t, o), 0) + amount

    all_occs = list(OCCUPATIONS) + [ALLA]

    # ------------------------------------------------------------ employments
    spells = []
    for r in _rows(tables["employments"]):
        spells.append(
            dict(
                unit=r["unit_id"],
                occ=r["occupation"],
                type=r["employment_type"],
                start=_date(r["start_date"]),
                end=_date(r["end_date"]),
                reason=None if _missing(r["end_reason"]) else r["end_reason"],
            )
        )
    emp_years = set()
    for y in year_range:
        for s in spells:
            if s["start"] <= dt.date(y, 12, 31) and (
                s["end"] is None or s["end"] >= dt.date(y, 1, 1)
            ):
                emp_years.add(y)
                break

    H = {}  # tillsvidare mean headcount
    H_all = {}  # every employment type
    for y in year_range:
        ends = _month_ends(y)
        for s in spells:
            if s["start"] > ends[-1] or (s["end"] is not None and s["end"] < dt.date(y, 1, 1)):
                continue
            n_active = sum(1 for d in ends if _active(s["start"], s["end"], d))
            if n_active == 0:
                continue
            bump(H_all, y, s["unit"], s["occ"], n_active / 12)
            if s["type"] == "tillsvidare":
                bump(H, y, s["unit"], s["occ"], n_active / 12)

    leavers = {k: {} for k in TURNOVER}
    for s in spells:
        if s["type"] != "tillsvidare" or s["end"] is None:
            continue
        y = s["end"].year
        if y not in year_range:
            continue
        for ind, reasons in TURNOVER.items():
            if s["reason"] in reasons:
                bump(leavers[ind], y, s["unit"], s["occ"], 1)

    emit_count("headcount", emp_years, all_occs, H, suppress=True)
    for ind in TURNOVER:
        emit_ratio(ind, emp_years, all_occs, leavers[ind], H)

    # ------------------------------------------------------------ point-in-time helpers
    def last_dates(frame):
        """{(year, source unit): last measured_on in year}"""
        last = {}
        for r in _rows(frame):
            d = _date(r["measured_on"])
            if d.year not in year_range:
                continue
            k = (d.year, r["unit_id"])
            if k not in last or d > last[k]:
                last[k] = d
        return last

    def headcount_on(unit_id, day):
        return sum(1 for s in spells if s["unit"] == unit_id and _active(s["start"], s["end"], day))

    # ------------------------------------------------------------ consultants
    if "consultants" in tables:
        frame = tables["consultants"]
        last = last_dates(frame)
        years = {y for (y, _u) in last}
        acc = {}
        for r in _rows(frame):
            d = _date(r["measured_on"])
            if last.get((d.year, r["unit_id"])) == d:
                bump(acc, d.year, r["unit_id"], r["occupation"], int(r["consultants"]))
        emit_count("consultants", years, all_occs, acc, suppress=False)

    # ------------------------------------------------------------ consultant costs
    if "consultant_costs" in tables:
        acc, years = {}, set()
        for r in _rows(tables["consultant_costs"]):
            y = int(r["year"])
            if y in year_range:
                years.add(y)
                bump(acc, y, r["unit_id"], None, float(r["cost_sek"]))
        emit_count("consultant_cost_sek", years, [ALLA], acc, suppress=False)

    # ------------------------------------------------------------ job ads
    if "job_ads" in tables:
        acc, years = {}, set()
        for r in _rows(tables["job_ads"]):
            y = int(r["month"][:4])
            if y in year_range:
                years.add(y)
                bump(acc, y, r["unit_id"], r["occupation"], int(r["ads"]))
        emit_count("job_ads", years, all_occs, acc, suppress=False)

    # ------------------------------------------------------------ visits
    if "visits" in tables:
        waits, years = {}, set()
        for r in _rows(tables["visits"]):
            req = _date(r["requested_on"])
            if req.year not in year_range:
                continue
            years.add(req.year)
            vis = _date(r["visit_on"])
            if vis is None:
                continue
            for t in units.targets(r["unit_id"]):
                waits.setdefault((req.year, t, ALLA), []).append((vis - req).days)
        for ind, f in (
            ("wait_days_mean", statistics.fmean),
            ("wait_days_median", statistics.median),
        ):
            num = {k: f(v) for k, v in waits.items()}
            base = {k: len(v) for k, v in waits.items()}
            ones = {k: 1 for k in waits}
            emit_ratio(ind, years, [ALLA], num, ones, base=base)

    # ------------------------------------------------------------ caseload
    if "caseload" in tables:
        cases, fte, years = {}, {}, set()
        for r in _rows(tables["caseload"]):
            y = int(r["month"][:4])
            if y in year_range:
                years.add(y)
                bump(cases, y, r["unit_id"], r["occupation"], int(r["open_cases"]))
                bump(fte, y, r["unit_id"], r["occupation"], float(r["case_workers_fte"]))
        emit_ratio("cases_per_worker", years, all_occs, cases, fte, suppress=False)

    # ------------------------------------------------------------ staff survey
    if "staff_survey" in tables:
        rows = [r for r in _rows(tables["staff_survey"]) if int(r["year"]) in year_range]
        years = {int(r["year"]) for r in rows}
        index_ids = sorted({r["index_id"] for r in rows})
        for index_id in index_ids:
            weighted, resp = {}, {}
            for r in rows:
                if r["index_id"] == index_id:
                    y = int(r["year"])
                    bump(
                        weighted,
                        y,
                        r["unit_id"],
                        r["occupation"],
                        int(r["respondents"]) * float(r["value"]),
                    )
                    bump(resp, y, r["unit_id"], r["occupation"], int(r["respondents"]))
            emit_ratio(f"survey_{index_id}", years, all_occs, weighted, resp)
        once = {}
        for r in rows:
            k = (int(r["year"]), r["unit_id"], r["occupation"])
            inv, res = once.get(k, (0, 0))
            once[k] = (max(inv, int(r["invited"])), max(res, int(r["respondents"])))
        invited, respondents = {}, {}
        for (y, unit_id, occ), (inv, res) in once.items():
            bump(invited, y, unit_id, occ, inv)
            bump(respondents, y, unit_id, occ, res)
        emit_ratio("survey_response_rate", years, all_occs, respondents, invited)

    # ------------------------------------------------------------ incidents
    if "incidents" in tables:
        acc, years = {}, set()
        for r in _rows(tables["incidents"]):
            d = _date(r["reported_on"])
            if d.year in year_range:
                years.add(d.year)
                bump(acc, d.year, r["unit_id"], r["occupation"], 1)
        emit_count("incidents", years, all_occs, acc, suppress=True)
        for y in sorted(years):
            for u in all_units:
                for o in all_occs:
                    n = acc.get((y, u, o), 0)
                    h = H_all.get((y, u, o), 0)
                    if 0 < n < min_n:
                        add("incidents_per_100", y, u, o, None, True)
                    elif h == 0:
                        add("incidents_per_100", y, u, o, None, False)
                    else:
                        add("incidents_per_100", y, u, o, 100 * n / h, False)

    # ------------------------------------------------------------ reinforcement
    if "reinforcement" in tables:
        acc, years = {}, set()
        for r in _rows(tables["reinforcement"]):
            start, end = _date(r["start_date"]), _date(r["end_date"])
            for y in year_range:
                lo = max(start, dt.date(y, 1, 1))
                hi = min(end, dt.date(y, 12, 31))
                days = (hi - lo).days + 1
                if days > 0:
                    years.add(y)
                    bump(acc, y, r["unit_id"], None, int(r["staff"]) * days / 7)
        emit_count("reinforcement_staff_weeks", years, [ALLA], acc, suppress=False)

    # ------------------------------------------------------------ managers
    if "managers" in tables:
        frame = tables["managers"]
        last = last_dates(frame)
        years = {y for (y, _u) in last}
        mgr, staff = {}, {}
        for r in _rows(frame):
            d = _date(r["measured_on"])
            if last.get((d.year, r["unit_id"])) == d:
                bump(mgr, d.year, r["unit_id"], None, int(r["managers"]))
        for (y, unit_id), d in last.items():
            bump(staff, y, unit_id, None, headcount_on(unit_id, d))
        emit_ratio("staff_per_manager", years, [ALLA], staff, mgr, base=staff)

    # ------------------------------------------------------------ admin support
    if "admin_support" in tables:
        frame = tables["admin_support"]
        last = last_dates(frame)
        years = {y for (y, _u) in last}
        fte10, staff = {}, {}
        for r in _rows(frame):
            d = _date(r["measured_on"])
            if last.get((d.year, r["unit_id"])) == d:
                bump(fte10, d.year, r["unit_id"], None, 10 * float(r["administrators_fte"]))
        for (y, unit_id), d in last.items():
            bump(staff, y, unit_id, None, headcount_on(unit_id, d))
        emit_ratio("admin_fte_per_10", years, [ALLA], fte10, staff)

    # ------------------------------------------------------------ exit interviews
    if "exit_interviews" in tables:
        n_int, given, years = {}, {c: {} for c in EXIT_REASONS}, set()
        for r in _rows(tables["exit_interviews"]):
            d = _date(r["held_on"])
            if d.year not in year_range:
                continue
            years.add(d.year)
            bump(n_int, d.year, r["unit_id"], None, 1)
            codes = {c.strip() for c in str(r["reasons"]).split(";") if c.strip()}
            for c in codes:
                if c in given:
                    bump(given[c], d.year, r["unit_id"], None, 1)
        for c in EXIT_REASONS:
            emit_ratio(
                f"exit_reason_share_{c}", years, [ALLA], given[c], n_int, telling_numerator=True
            )

    result = pd.DataFrame(out, columns=COLUMNS)
    result["edition"] = result["edition"].astype(int)
    result["year"] = result["year"].astype(int)
    result["value"] = [
        as_published(i, v)
        for i, v in zip(result["indicator"], result["value"].astype(float), strict=True)
    ]
    result["suppressed"] = result["suppressed"].astype(bool)
    return result
