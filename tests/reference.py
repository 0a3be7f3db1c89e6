"""Independent reference implementation of /work/shared/spec/indicators.md.

This module assembles it: one module per family of indicators (by source table, as the
package's ``indicators.FAMILIES``) in ``tests/support/reference/``, each named below with
the decisions it follows.

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

import pandas as pd

from support.reference.caseload import caseload
from support.reference.common import Output
from support.reference.consultant_costs import consultant_costs
from support.reference.consultants import consultants
from support.reference.employments import employments
from support.reference.exit_interviews import exit_interviews
from support.reference.incidents import incidents
from support.reference.job_ads import job_ads
from support.reference.reinforcement import reinforcement
from support.reference.staff_ratios import admin_support, managers
from support.reference.staff_survey import staff_survey
from support.reference.visits import visits

# Every family but the employments', by source table in the order they are written;
# each gets the output of the edition, its table and the employment spells (Staff:
# the incidents and the staff ratios read them).
FAMILIES = {
    "consultants": consultants,
    "consultant_costs": consultant_costs,
    "job_ads": job_ads,
    "visits": visits,
    "caseload": caseload,
    "staff_survey": staff_survey,
    "incidents": incidents,
    "reinforcement": reinforcement,
    "managers": managers,
    "admin_support": admin_support,
    "exit_interviews": exit_interviews,
}


def reference_indicators(
    delivery, edition: int, min_n: int = 5, first_year: int = 2016
) -> pd.DataFrame:
    """The published table of ``edition`` from the tables of ``delivery`` (as
    support.reference_reader reads them): every family whose table is delivered."""
    tables = delivery.tables
    out = Output(tables, edition, min_n, first_year)
    staff = employments(out, tables["employments"])
    for name, family in FAMILIES.items():
        if name in tables:
            family(out, tables[name], staff)
    return out.frame()
