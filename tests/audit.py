"""An outsider's audit of published ``indikatorer.csv`` tables, written apart from
``uppfoljning.disclosure`` (it shares no code with it) from indicators.md alone.

It attacks a published table the way an intruder with a solver would, and reports every
hidden figure it can pin to within 1 person (or a hidden survey index to within 10
points). What the reader knows, per year:

- additivity: ``alla`` = socialsekreterare + bistandshandlaggare and the city = the sum
  of the units, for every count and for the numerators and denominators of rates:
  mean headcount ``H`` and ``H_all`` (in twelfths: a mean over 12 month-ends), incidents,
  leavers (all, external, voluntary; voluntary <= external <= all), survey respondents,
  invited and score sums (index x respondents, per index; every index is asked of the
  same persons, and where the table contradicts that, of any), exit interviews and the
  interviews giving each reason (units make the city);
- every published value: exactly the fraction it is where the file prints it at full
  precision (:func:`fractions.Fraction.limit_denominator`: numerator x q = p x
  denominator in integers), otherwise the interval its rounding allows (the decimals
  indicators.md says the pages display, half up);
- the published rules: a hidden cell has a base above 0 (an empty value that is not
  suppressed has base 0); a hidden count is above 0 (zeros are published; where that
  contradicts the table, a zero was hidden); a hidden exit-reason share was given by
  1..min_n-1 persons or by everyone (tried as a hypothesis: where the table allows it,
  the range is taken under it).

Ranges are integer ranges (mixed-integer programmes, HiGHS through scipy): a linear
programme first, and the integer programme where the LP range is narrow. Ratios (an
index) are ranged by Dinkelbach's method over the integer model.

Every integer point a solver returns is checked against the model (integers rounded,
every row within 1e-6) and kept: two points of the model whose values of a hidden figure
lie far enough apart show that its range is wide, so no programme is solved for it. A
range that is narrow, or that nothing shows wide yet, is solved exactly as above.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

CITY = "stockholm"
ALLA = "alla"
PARTS = ("socialsekreterare", "bistandshandlaggare")
OCCUPATIONS = (*PARTS, ALLA)
TURNOVER = ("turnover_rate", "turnover_rate_external", "turnover_rate_voluntary")
EXIT = "exit_reason_share_"
SURVEY = "survey_"
RESPONSE = "survey_response_rate"
# decimals of the published value (indicators.md, *The published table*)
DECIMALS = {
    "headcount": 0,
    "incidents": 0,
    "turnover_rate": 3,
    "turnover_rate_external": 3,
    "turnover_rate_voluntary": 3,
    "incidents_per_100": 1,
    RESPONSE: 2,
}
INDEX_DECIMALS, SHARE_DECIMALS = 1, 2
MIN_INDEX_RANGE = 10.0
BIG = 1e6
NARROW_LP = 4.0  # an LP range narrower than this is checked in integers
TIME_LIMIT = 3.0  # seconds per integer programme


@dataclass
class Leak:
    year: int
    unit_id: str
    occupation: str
    indicator: str
    low: float
    high: float
    what: str = ""  # the quantity pinned: headcount, leavers, respondents, index ...


def _truthy(value) -> bool:
    return value is True or str(value).strip().lower() == "true"


# The published values the spec puts no countable persons behind (indicators.md,
# "Disclosure control": only headcounts, incidents, leavers, survey respondents and the
# interviews behind exit shares are audited). An indicator in neither list stops the
# audit: a new one must be placed here or in DECIMALS (with its relations), never
# skipped unseen.
NOT_AUDITED = {
    "admin_fte_per_10",
    "cases_per_worker",
    "consultant_cost_sek",
    "consultants",
    "job_ads",
    "reinforcement_staff_weeks",
    "staff_per_manager",
    "wait_days_mean",
    "wait_days_median",
}


def _audited(indicator: str) -> bool:
    if indicator in DECIMALS or indicator.startswith(EXIT) or indicator.startswith(SURVEY):
        return True
    if indicator in NOT_AUDITED:
        return False
    raise ValueError(
        f"the outsider's audit does not know {indicator!r}: add it to DECIMALS (persons "
        "behind it a reader could count) or to NOT_AUDITED"
    )


def audit_tables(
    tables: list[pd.DataFrame],
    min_range: float = 2.0,
    min_n: int = 5,
    closed_years: set[int] | None = None,
) -> tuple[int, list[Leak]]:
    """(number of hidden cells audited, leaks) over the given published tables.
    ``closed_years``: the years in which, by the unit history, a unit closed without a
    successor counted in the city only (else taken as none where the tables agree)."""
    table = pd.concat(tables, ignore_index=True)
    table = table[table["indicator"].astype(str).map(_audited)]
    audited, leaks = 0, []
    family = table["indicator"].astype(str).map(_family)
    # the three families share no figure: each is its own (smaller) model
    for (year, _family_name), rows in table.groupby([table["year"], family]):
        audit = _YearAudit(int(year), rows, min_range, min_n)
        n, found = audit.run(closed=int(year) in (closed_years or set()))
        audited += n
        leaks += found
    return audited, leaks


def _family(indicator: str) -> str:
    if indicator.startswith(EXIT):
        return "exit"
    if indicator.startswith(SURVEY):
        return "survey"
    return "staff"


# ---------------------------------------------------------------------------
# What a printed value says


def _printed(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def _interval(value: float, decimals: int) -> tuple[float, float, Fraction | None]:
    """(low, high, exact): the interval a published value stands for, and the exact
    fraction where the file prints more decimals than the page shows."""
    digits = max(0, -_printed(value).normalize().as_tuple().exponent)  # "56.0": 0
    if digits > decimals:  # printed at more precision than shown: the exact fraction
        exact = Fraction(repr(float(value))).limit_denominator(10**7)
        return float(exact), float(exact), exact
    half = 0.5 * 10.0**-decimals
    return value - half, value + half, None


# ---------------------------------------------------------------------------
# The model of one year


class _Model:
    def __init__(self):
        self.index: dict[tuple, int] = {}
        self.integer: list[bool] = []
        self.upper: list[float] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []

    def var(self, key: tuple, integer: bool = True, upper: float = math.inf) -> int:
        if key not in self.index:
            self.index[key] = len(self.integer)
            self.integer.append(integer)
            self.upper.append(upper)
        return self.index[key]

    def add(self, entries: dict[int, float], low: float, high: float) -> None:
        self.rows.append((entries, low, high))

    def freeze(self) -> None:
        n = len(self.integer)
        r, c, v, lo, hi = [], [], [], [], []
        for k, (entries, low, high) in enumerate(self.rows):
            for col, coef in entries.items():
                r.append(k)
                c.append(col)
                v.append(coef)
            lo.append(low)
            hi.append(high)
        self.matrix = sparse.csr_array((v, (r, c)), shape=(len(self.rows), n))
        self.lo, self.hi = np.array(lo), np.array(hi)

    def rows_matrix(self, rows) -> tuple[sparse.csr_array, np.ndarray, np.ndarray]:
        """Rows (entries, low, high) as a matrix and its bounds."""
        r, c, v = [], [], []
        for k, (entries, _lo, _hi) in enumerate(rows):
            for col, coef in entries.items():
                r.append(k)
                c.append(col)
                v.append(coef)
        matrix = sparse.csr_array((v, (r, c)), shape=(len(rows), len(self.integer)))
        return matrix, np.array([e[1] for e in rows]), np.array([e[2] for e in rows])

    def points(self, xs: np.ndarray, checks=()) -> np.ndarray:
        """Which rows of ``xs`` (points, integer variables already whole) are points of
        the model and of the rows ``checks`` (from :meth:`rows_matrix`): every row
        within 1e-6, every bound within 1e-9."""
        ok = np.all(xs >= -1e-9, axis=1) & np.all(xs <= np.array(self.upper) + 1e-9, axis=1)
        for matrix, lo, hi in ((self.matrix, self.lo, self.hi), *checks):
            ax = (matrix @ xs.T).T
            ok &= np.all(ax >= lo - 1e-6, axis=1) & np.all(ax <= hi + 1e-6, axis=1)
        return ok

    def rounded(self, x: np.ndarray) -> np.ndarray:
        return np.where(self.integer, np.round(x), x)

    def solve(
        self,
        objective: dict[int, float],
        maximise: bool,
        integer: bool = True,
        extra: list[tuple[dict[int, float], float, float]] = (),
    ) -> float | None:
        """Optimum of the linear objective; inf/-inf when unbounded; None if infeasible."""
        found = self.solve_at(objective, maximise, integer, extra)
        return None if found is None else found[0]

    def solve_at(
        self,
        objective: dict[int, float],
        maximise: bool,
        integer: bool = True,
        extra: list[tuple[dict[int, float], float, float]] = (),
        incumbent: bool = False,
    ) -> tuple[float, np.ndarray | None] | None:
        """(optimum, solution) as :meth:`solve`; with ``incumbent``, the best solution
        found when the time limit ends it."""
        n = len(self.integer)
        cost = np.zeros(n)
        for col, coef in objective.items():
            cost[col] = -coef if maximise else coef
        constraints = [LinearConstraint(self.matrix, self.lo, self.hi)]
        if extra:
            r, c, v = [], [], []
            for k, (entries, _lo, _hi) in enumerate(extra):
                for col, coef in entries.items():
                    r.append(k)
                    c.append(col)
                    v.append(coef)
            constraints.append(
                LinearConstraint(
                    sparse.csr_array((v, (r, c)), shape=(len(extra), n)),
                    [e[1] for e in extra],
                    [e[2] for e in extra],
                )
            )
        result = milp(
            cost,
            constraints=constraints,
            integrality=np.array(self.integer, dtype=int) if integer else None,
            bounds=Bounds(np.zeros(n), np.array(self.upper)),
            options={"time_limit": TIME_LIMIT},
        )
        if result.status == 2:
            return None
        if result.status == 1 and not (incumbent and result.x is not None):
            raise _Timeout
        if result.status == 3 or (result.status == 4 and "unbounded" in result.message):
            return (math.inf if maximise else -math.inf), None
        assert result.status in (0, 1), result.message
        value = float(cost @ result.x)
        return (-value if maximise else value), result.x


class _Timeout(Exception):
    """The solver gave up: the range is taken as unknown (wide)."""


class _YearAudit:
    """One year of the published tables: build the model under the strongest
    knowledge the tables agree with, then range every hidden cell."""

    def __init__(self, year: int, rows: pd.DataFrame, min_range: float, min_n: int):
        self.year = year
        self.rows = rows
        self.min_range = min_range
        self.min_n = min_n
        self.indices = sorted(
            {
                i[len(SURVEY) :]
                for i in rows["indicator"].astype(str)
                if i.startswith(SURVEY) and i != RESPONSE
            }
        )
        self.reasons = sorted(
            {i[len(EXIT) :] for i in rows["indicator"].astype(str) if i.startswith(EXIT)}
        )
        self.editions = {}
        for edition, part in rows.groupby(rows["edition"] if "edition" in rows else 0):
            self.editions[edition] = sorted(set(part["unit_id"].astype(str)) - {CITY})

    # -- building

    def _build(self, remainder: bool, floors: bool, same_people: bool) -> _Model:
        m = _Model()
        self.m = m
        self.hidden: list[tuple[str, str, str]] = []
        self.fractions: list[tuple[tuple[int, ...], int, int]] = []  # (den, q, t)
        self.guessable: set[tuple[int, ...]] = set()  # denominators nothing publishes
        units = sorted({u for us in self.editions.values() for u in us})
        rests = [("(rest)", e) for e in self.editions] if remainder else []
        every = [*units, CITY, *[f"(rest {e})" for _r, e in rests]]
        staff = any(_family(i) == "staff" for i in self.rows["indicator"].astype(str))
        q_occ = [
            *(["H", "A", "I", "L0", "L1", "L2"] if staff else []),
            *[f"R:{k}" for k in self.indices],
            *[f"N:{k}" for k in self.indices],
        ]
        for u in every:
            for o in OCCUPATIONS:
                for q in q_occ:
                    if same_people and q[:2] in ("R:", "N:") and self.indices:
                        # one variable for every index: the same persons are asked
                        m.index[(q, u, o)] = m.var((q[:2] + self.indices[0], u, o))
                    m.var((q, u, o))
                for k in self.indices:
                    m.var((f"S:{k}", u, o), integer=False)
            if self.reasons:
                m.var(("X", u, ALLA))
            for c in self.reasons:
                m.var((f"C:{c}", u, ALLA))
        v = m.index
        additive_occ = [
            *(
                q
                for q in q_occ
                if not (same_people and q[:2] in ("R:", "N:") and q[2:] != self.indices[0])
            ),
            *[f"S:{k}" for k in self.indices],
        ]
        for u in every:
            for q in additive_occ:  # alla = ss + bh
                m.add({v[(q, u, ALLA)]: 1, v[(q, u, PARTS[0])]: -1, v[(q, u, PARTS[1])]: -1}, 0, 0)
            for o in OCCUPATIONS:
                if staff:
                    m.add({v[("H", u, o)]: 1, v[("A", u, o)]: -1}, -np.inf, 0)  # H <= H_all
                    m.add({v[("L2", u, o)]: 1, v[("L1", u, o)]: -1}, -np.inf, 0)
                    m.add({v[("L1", u, o)]: 1, v[("L0", u, o)]: -1}, -np.inf, 0)
                for k in self.indices:
                    r, s = v[(f"R:{k}", u, o)], v[(f"S:{k}", u, o)]
                    m.add({r: 1, v[(f"N:{k}", u, o)]: -1}, -np.inf, 0)  # R <= N
                    m.add({s: 1, r: -100}, -np.inf, 0)  # index 0..100
            for c in self.reasons:
                m.add({v[(f"C:{c}", u, ALLA)]: 1, v[("X", u, ALLA)]: -1}, -np.inf, 0)
        city_q = [(q, o) for q in additive_occ for o in OCCUPATIONS]
        if self.reasons:
            city_q += [("X", ALLA), *[(f"C:{c}", ALLA) for c in self.reasons]]
        for edition, members in self.editions.items():  # city = its units (+ the rest)
            rest = [f"(rest {edition})"] if remainder else []
            for q, o in city_q:
                entries = {v[(q, CITY, o)]: 1.0}
                for u in [*members, *rest]:
                    entries[v[(q, u, o)]] = entries.get(v[(q, u, o)], 0) - 1.0
                m.add(entries, 0, 0)
        seen = set()
        for r in self.rows.itertuples(index=False):
            key = (str(r.indicator), str(r.unit_id), str(r.occupation))
            value = None if pd.isna(r.value) or r.value == "" else float(r.value)
            if _truthy(r.suppressed):
                if key not in seen:
                    seen.add(key)
                    self.hidden.append(key)
                self._hidden_knowledge(*key, floors)
            else:
                self._published(*key, value)
        self.guesses = self._lowest_terms()
        self.switches = [m.var(("guess", i), upper=1.0) for i in range(len(self.guesses))]
        m.freeze()
        return m

    def _v(self, q: str, u: str, o: str) -> int:
        return self.m.index[(q, u, o)]

    def _ratio(
        self,
        num: dict[int, float],
        den: dict[int, float],
        value: float,
        decimals: int,
        scale: float = 1.0,
    ) -> None:
        """num / (den / scale) is the published value: exact or within its rounding.
        A value is published only where its base is above 0."""
        low, high, exact = _interval(value, decimals)
        m = self.m
        m.add(dict(den), 1, np.inf)
        if exact is not None:
            # scale x num / den = p / q in lowest terms: scale x num = p t, den = q t for
            # a whole t (the form that keeps the integer programme easy)
            p, q = exact.numerator, exact.denominator
            t = m.var(("t", len(m.rows)))
            m.add({**{c: scale * a for c, a in num.items()}, t: -p}, 0, 0)
            m.add({**den, t: -q}, 0, 0)
            self.fractions.append((tuple(sorted(den)), q, t))
            return
        for bound, lo, hi in ((high, -np.inf, 0), (low, 0, np.inf)):
            entries = {c: scale * a for c, a in num.items()}
            for c, a in den.items():
                entries[c] = entries.get(c, 0) - bound * a
            m.add(entries, lo, hi)

    def _published(self, indicator: str, u: str, o: str, value: float | None) -> None:
        m, v = self.m, self._v
        if indicator == "headcount" and value is not None:
            low, high, exact = _interval(value, 0)
            if exact is not None:
                m.add({v("H", u, o): 1}, round(12 * value), round(12 * value))
            else:  # half up: 19.5 .. 20 5/12 shows as 20
                m.add(
                    {v("H", u, o): 1}, math.ceil(12 * low - 1e-9), math.ceil(12 * high - 1e-9) - 1
                )
        elif indicator == "incidents" and value is not None:
            m.add({v("I", u, o): 1}, round(value), round(value))
        elif indicator in TURNOVER:
            leavers = f"L{TURNOVER.index(indicator)}"
            if value is None:
                m.add({v("H", u, o): 1}, 0, 0)
            else:
                self._ratio({v(leavers, u, o): 1}, {v("H", u, o): 1}, value, 3, scale=12)
        elif indicator == "incidents_per_100":
            if value is None:
                m.add({v("A", u, o): 1}, 0, 0)
            else:
                self._ratio({v("I", u, o): 1}, {v("A", u, o): 1}, value, 1, scale=1200)
        elif indicator == RESPONSE:
            num = {v(f"R:{k}", u, o): 1 for k in self.indices}
            den = {v(f"N:{k}", u, o): 1 for k in self.indices}
            if value is None:
                m.add(den, 0, 0)
            elif den:
                self.guessable.add(tuple(sorted(den)))
                self._ratio(num, den, value, DECIMALS[RESPONSE])
        elif indicator.startswith(SURVEY):
            k = indicator[len(SURVEY) :]
            if value is None:
                m.add({v(f"R:{k}", u, o): 1}, 0, 0)
            else:
                # A score sum is no whole number, so an index printed at full precision
                # is no fraction of integers: it is taken as rounded to 1 decimal (what
                # the pages show), a relaxation that keeps the integer programme
                # solvable; its respondents come from the response rates.
                half = 0.5 * 10.0**-INDEX_DECIMALS
                s, r = v(f"S:{k}", u, o), v(f"R:{k}", u, o)
                m.add({r: 1}, 1, np.inf)  # published: there were respondents
                m.add({s: 1, r: -(value + half)}, -np.inf, 0)
                m.add({s: 1, r: -(value - half)}, 0, np.inf)
        elif indicator.startswith(EXIT) and o == ALLA:
            c = indicator[len(EXIT) :]
            if value is None:
                m.add({v("X", u, ALLA): 1}, 0, 0)
            else:
                self.guessable.add((v("X", u, ALLA),))
                self._ratio({v(f"C:{c}", u, ALLA): 1}, {v("X", u, ALLA): 1}, value, SHARE_DECIMALS)

    def _hidden_knowledge(self, indicator: str, u: str, o: str, floors: bool) -> None:
        """A hidden cell's base is above 0; a hidden count is above 0 (``floors``).
        (incidents_per_100 is hidden with its incidents: its base is theirs.)"""
        m, v = self.m, self._v
        if indicator == "headcount":
            m.add({v("H", u, o): 1}, 1 if floors else 0, np.inf)
        elif indicator == "incidents":
            m.add({v("I", u, o): 1}, 1 if floors else 0, np.inf)
        elif indicator in TURNOVER:
            m.add({v("H", u, o): 1}, 1, np.inf)
        elif indicator == RESPONSE:
            m.add({v(f"N:{k}", u, o): 1 for k in self.indices}, 1, np.inf)
        elif indicator.startswith(SURVEY):
            m.add({v(f"R:{indicator[len(SURVEY) :]}", u, o): 1}, 1, np.inf)
        elif indicator.startswith(EXIT) and o == ALLA:
            m.add({v("X", u, ALLA): 1}, 1, np.inf)
            m.var((f"z:{indicator[len(EXIT) :]}", u, ALLA), upper=1.0)  # see _exit_hypothesis

    # -- ranging

    def _lowest_terms(self) -> list:
        """The attacker's first guess for the fractions printed at full precision
        whose denominator nothing publishes (survey invited, exit interviews): the
        smallest denominator all of its fractions allow (the lowest terms; for a unit's
        exit shares, the least common multiple of theirs)."""
        wanted: dict[tuple[int, ...], int] = {}  # one guess each, tried one by one
        for den, q, _t in self.fractions:
            if den in self.guessable:
                wanted[den] = math.lcm(wanted.get(den, 1), q)
        return [({c: 1.0 for c in den}, float(n), float(n)) for den, n in wanted.items()]

    def _feasible(self, extra) -> bool | None:
        """Do the tables allow the rows ``extra``? None when the solver cannot tell."""
        if self.m.solve({}, False, integer=False, extra=extra) is None:
            return False
        try:
            return self.m.solve({}, False, extra=extra) is not None
        except _Timeout:
            return None

    def _consistent(self) -> list:
        """The largest set of guesses the tables allow together: one integer
        programme with a switch per guess (on: the denominator is the guess),
        maximising the switches on; a solution found within the time limit is kept
        (it proves those guesses consistent)."""
        if not self.guesses:
            return []
        if self._feasible(self.guesses):
            return list(self.guesses)
        rows = []
        for (den, n, _n), y in zip(self.guesses, self.switches, strict=True):
            rows.append(({**den, y: BIG}, -np.inf, n + BIG))
            rows.append(({**den, y: -BIG}, n - BIG, np.inf))
        found = self.m.solve_at({y: 1.0 for y in self.switches}, True, extra=rows, incumbent=True)
        if found is None or found[1] is None:
            return []
        x = found[1]
        return [g for g, y in zip(self.guesses, self.switches, strict=True) if x[y] > 0.5]

    # -- integer points that show a range wide

    def _start_pool(self) -> None:
        """An empty pool of points of the model under the final guess."""
        self.pool: list[np.ndarray] = []
        self.seen_lo = self.seen_hi = None
        self.guess_check = [self.m.rows_matrix(self.guess)] if self.guess else []

    def _keep(self, x: np.ndarray | None) -> None:
        """Keep a solver's solution if, rounded, it is a point of the model under the
        guess and it takes some variable beyond the values the pool has seen."""
        if x is None or not hasattr(self, "pool"):
            return
        x = self.m.rounded(x)
        if not self.m.points(x[None, :], self.guess_check)[0]:
            return
        if self.seen_lo is None:
            self.seen_lo, self.seen_hi = x.copy(), x.copy()
        elif not (np.any(x < self.seen_lo) or np.any(x > self.seen_hi)):
            return
        self.seen_lo = np.minimum(self.seen_lo, x)
        self.seen_hi = np.maximum(self.seen_hi, x)
        self.pool.append(x)

    def _shown_wide(
        self, var: int, wide: float, extra=(), adjust=None
    ) -> tuple[float, float] | None:
        """(least, largest) value of ``var`` over the kept points that also satisfy
        ``extra`` (after ``adjust``), if they are at least ``wide`` apart; else None."""
        if not getattr(self, "pool", None):
            return None
        if not extra:
            low, high = self.seen_lo[var], self.seen_hi[var]
        else:
            xs = np.array(self.pool)
            if adjust is not None:
                xs = adjust(xs)
            ok = self.m.points(xs, [*self.guess_check, self.m.rows_matrix(extra)])
            if not ok.any():
                return None
            low, high = xs[ok, var].min(), xs[ok, var].max()
        return (float(low), float(high)) if high - low >= wide else None

    def _range(
        self, objective: dict[int, float], extra=(), shown=None
    ) -> tuple[float, float] | None:
        """Integer range of a sum of variables: LP first, integers where narrow
        (unknown, so wide, where the solver gives up). With ``shown`` (a width and a
        variable's test ``(width, var, adjust)``, see :meth:`_shown_wide`), the least
        value and a point of the pool may stand for the range where they are that wide
        apart."""
        try:
            return self._range_of(objective, [*self.guess, *extra], extra, shown)
        except _Timeout:
            return -math.inf, math.inf

    def _range_of(
        self, objective: dict[int, float], extra, own=(), shown=None
    ) -> tuple[float, float] | None:
        m = self.m
        if self.fractions or extra:
            # an exact fraction or a rule (a switch the LP relaxes away): always
            # integers (the LP range only where the solver gives up: it holds theirs)
            try:
                return self._integer_range(objective, extra, own, shown)
            except _Timeout:
                pass
        low = m.solve(objective, False, integer=False, extra=extra)
        if low is None:
            return None
        high = m.solve(objective, True, integer=False, extra=extra)
        if high - low < NARROW_LP and not (self.fractions or extra):
            try:
                return self._integer_range(objective, extra, own, shown)
            except _Timeout:  # the LP range holds the integer one
                return low, high
        return low, high

    def _integer_range(
        self, objective: dict[int, float], extra, own=(), shown=None
    ) -> tuple[float, float] | None:
        found = self.m.solve_at(objective, False, extra=extra)
        if found is None:
            return None
        self._keep(found[1])
        if shown is not None:
            width, var, adjust = shown
            wide = self._shown_wide(var, width, own, adjust)
            if wide is not None:
                return wide
            # A point that far above the least value, if there is one, shows the range
            # wide (the solver stops at the first point it finds); the largest value
            # is solved for where there is none.
            try:
                far = self.m.solve_at(
                    {},
                    False,
                    extra=[*extra, ({var: 1.0}, math.ceil(found[0] + width - 1e-9), np.inf)],
                )
            except _Timeout:
                far = None
            if far is not None:
                self._keep(far[1])
                wide = self._shown_wide(var, width, own, adjust)
                if wide is not None:
                    return wide
        top = self.m.solve_at(objective, True, extra=extra)
        if top is None:
            return found[0], None
        self._keep(top[1])
        return found[0], top[0]

    def _ratio_range(self, s: int, r: int, most: float) -> tuple[float, float]:
        """Least and largest S/R over the integer model, 1 <= R <= ``most``
        (Dinkelbach: optimise S - lam R, set lam to S/R at the optimum, until the
        optimum is 0)."""
        ends = []
        bound = [({r: 1.0}, 1, most)]
        for maximise in (False, True):
            lam = 100.0 if not maximise else 0.0
            for _ in range(40):
                try:
                    found = self.m.solve_at(
                        {s: 1.0, r: -lam}, maximise, extra=[*self.guess, *bound]
                    )
                except _Timeout:
                    lam = 100.0 if maximise else 0.0
                    break
                if found is None or found[1] is None:
                    break
                best, x = found
                if (best <= 1e-9) if maximise else (best >= -1e-9):
                    break
                lam = x[s] / x[r]
            ends.append(lam)
        return ends[0], ends[1]

    def _exit_hypothesis(self, u: str, c: str) -> list:
        """The published rule as a hypothesis: the count is 1..min_n-1 or everyone."""
        z = self._v(f"z:{c}", u, ALLA)
        count, total = self._v(f"C:{c}", u, ALLA), self._v("X", u, ALLA)
        return [
            ({count: 1.0}, 1, np.inf),
            ({count: 1.0, z: -BIG}, -np.inf, self.min_n - 1),
            ({count: 1.0, total: -1.0, z: -BIG}, -BIG, np.inf),
            ({z: 1.0}, 0, 1),
        ]

    def _exit_switch(self, u: str, c: str):
        """Points with the switch of :meth:`_exit_hypothesis` set the way that holds
        where any way does (on where the count is everyone's)."""
        z = self._v(f"z:{c}", u, ALLA)
        count, total = self._v(f"C:{c}", u, ALLA), self._v("X", u, ALLA)

        def adjust(xs: np.ndarray) -> np.ndarray:
            xs = xs.copy()
            xs[:, z] = (xs[:, count] >= xs[:, total]).astype(float)
            return xs

        return adjust

    def run(self, closed: bool = False) -> tuple[int, list[Leak]]:
        tries = [
            (False, True, True),
            (False, True, False),
            (True, True, True),
            (True, True, False),
            (True, False, False),
        ]
        for remainder, floors, same in tries[2:] if closed else tries:
            self._build(remainder, floors, same)
            self.guess = self._consistent()
            if self.guess or self._feasible([]) is not False:
                break  # (a solver that cannot tell has not shown a contradiction)
        else:
            raise AssertionError(f"{self.year}: the published tables contradict each other")
        # The published rule for every hidden share of a unit that publishes a share
        # (so it had min_n interviews or more): given by 1..min_n-1 or by everyone.
        # Taken for all of them at once where the tables allow it, else cell by cell.
        shown = {
            u
            for r in self.rows.itertuples(index=False)
            if str(r.indicator).startswith(EXIT)
            and not _truthy(r.suppressed)
            and not pd.isna(r.value)
            and r.value != ""
            for u in [str(r.unit_id)]
        }
        rules = [
            row
            for indicator, u, o in self.hidden
            if indicator.startswith(EXIT) and o == ALLA and u in shown
            for row in self._exit_hypothesis(u, indicator[len(EXIT) :])
        ]
        if rules and self._feasible([*self.guess, *rules]):
            self.guess = [*self.guess, *rules]
        leaks = []
        cache: dict[tuple, tuple[float, float] | None] = {}
        self._start_pool()
        wide = self.min_range - 1e-6  # a range this wide gives nothing away

        def span(
            q: str, u: str, o: str, extra=(), tag=(), shown=None, adjust=None
        ) -> tuple[float, float]:
            """The range of a figure; with ``shown`` (the width that tells nothing), two
            points of the model that far apart may stand for it."""
            key = (q, u, o, *tag)
            if key in cache:
                return cache[key]
            var = self._v(q, u, o)
            if shown is None:
                cache[key] = self._range({var: 1.0}, extra)
                return cache[key]
            found = self._shown_wide(var, shown, extra, adjust)
            if found is None:
                found = self._range({var: 1.0}, extra, (shown, var, adjust))
                if found is None or found[1] is None or found[1] - found[0] < shown:
                    cache[key] = found  # a range solved for in full
            return found

        for indicator, u, o in self.hidden:
            pinned = []  # (what, low, high) narrower than allowed
            if indicator == "headcount":
                low, high = span("H", u, o, shown=12 * self.min_range - 1e-6)
                if high - low < 12 * self.min_range - 1e-6:
                    pinned.append(("headcount", low / 12, high / 12))
            elif indicator in ("incidents", "incidents_per_100"):
                low, high = span("I", u, o, shown=wide)
                if high - low < self.min_range - 1e-6:
                    pinned.append(("incidents", low, high))
            elif indicator in TURNOVER:
                # the leavers; its headcount is audited as a cell of its own where
                # it is hidden too (where it is published, it is public)
                low, high = span(f"L{TURNOVER.index(indicator)}", u, o, shown=wide)
                if high - low < self.min_range - 1e-6:
                    pinned.append(("leavers", low, high))
            elif indicator == RESPONSE or indicator.startswith(SURVEY):
                ks = self.indices if indicator == RESPONSE else [indicator[len(SURVEY) :]]
                for k in ks:
                    low, high = span(f"R:{k}", u, o, shown=wide)
                    if high - low < self.min_range - 1e-6:
                        pinned.append((f"respondents ({k})", low, high))
                        break
                if indicator != RESPONSE and not pinned:
                    k = ks[0]
                    key = ("index", k, u, o)
                    most = span(f"R:{k}", u, o)[1]
                    if key not in cache:
                        cache[key] = (
                            (0.0, 100.0)
                            if not math.isfinite(most)
                            else self._ratio_range(
                                self._v(f"S:{k}", u, o), self._v(f"R:{k}", u, o), most
                            )
                        )
                    low, high = cache[key]
                    if high - low < MIN_INDEX_RANGE - 1e-6:
                        pinned.append((f"index ({k})", low, high))
            elif indicator.startswith(EXIT) and o == ALLA:
                c = indicator[len(EXIT) :]
                found = span(
                    f"C:{c}",
                    u,
                    ALLA,
                    self._exit_hypothesis(u, c),
                    ("rule",),
                    shown=wide,
                    adjust=self._exit_switch(u, c),
                )
                if found is None:  # hidden as protection: no rule applies
                    found = span(f"C:{c}", u, ALLA, shown=wide)
                if found is None:  # nor the guess made for all cells at once
                    found = self._range_of({self._v(f"C:{c}", u, ALLA): 1.0}, []) or (
                        -math.inf,
                        math.inf,
                    )
                low = -math.inf if found[0] is None else found[0]
                high = math.inf if found[1] is None else found[1]
                if high - low < self.min_range - 1e-6:
                    pinned.append(("interviews giving the reason", low, high))
            for what, low, high in pinned[:1]:
                leaks.append(Leak(self.year, u, o, indicator, low, high, what))
        return len(self.hidden), leaks
