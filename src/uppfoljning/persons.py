"""The persons behind published rates and shares (indicators.md, *Disclosure control*):
secondary suppression and its audit for the leavers behind turnover rates and the
interviews behind exit-reason shares, in integers, every published value taken as the
interval its rounding allows. Called by :func:`uppfoljning.disclosure.protect`, which
decides the whole pattern; this module also holds the optimisation both share.

Each family of one year is a small table of its own:

- **Leavers**, per kind (all, external, voluntary): the units and the city x the two
  occupations and ``alla``; ``alla`` = ss + bh and the city = its units (and what units
  closed without successor left, known). A shown rate r on a shown headcount h holds the
  integers in [(r - d)(h - 1/2), (r + d)(h + 1/2)], d half the rate's last decimal; a
  published voluntary <= external <= all bounds a hidden sibling. A two-way table with its
  margins is totally unimodular: its linear programme's range is the integer range.
- **Exit interviews**: per unit and the city, the interviews ``n`` and per reason the
  interviews giving it ``c``; a shown share s gives (s - d) n <= c <= (s + d) n; c <= n;
  the city = its units. A share hidden as small was given by 1..min_n-1 interviews or by
  every one (a binary per such cell); a unit hidden for its few interviews had 1..min_n-1.
  Ranges are integer programmes, after a cheap certificate -- another assignment of the
  hidden counts of the same reason that keeps every published figure -- proves a cell
  safe.

A pattern is chosen by :func:`solve_pattern` (no relation with exactly one hidden cell,
hidden parts under a shown total leaving room for 2 persons, small unit cells cheapest),
audited, and cut where a cell fails (one of the published cells that bound it must be
hidden too) until the audit passes.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .catalog import EXIT_SHARE_PREFIX, published_decimals
from .errors import UppfoljningError
from .formatting import round_published
from .units import CITY_ID

SS, BH, ALL = "socialsekreterare", "bistandshandlaggare", "alla"
MIN_RANGE = 2.0  # a hidden count must range over at least 2 persons
_TOL = 1e-6
# Cost of hiding a cell: small unit cells first, then ``alla``, the city last; a zero
# only when nothing else protects.
WEIGHT_ALL, WEIGHT_CITY, WEIGHT_ZERO = 4.0, 25.0, 50.0
LEAVER_KINDS = ("turnover_rate", "turnover_rate_external", "turnover_rate_voluntary")
HEADCOUNT = "headcount"


class PatternError(UppfoljningError):
    """No pattern protects a cell; the message names it."""


# ---------------------------------------------------------------------------
# The optimisation every family shares


def relations(table: pd.DataFrame, units: list[str]) -> list[list[int]]:
    """Row positions tied by one relation, the total first: a unit's ``alla`` = ss +
    bh, and for each occupation the city = the sum of the units, per indicator."""
    position = {(r.indicator, r.unit_id, r.occupation): i
                for i, r in enumerate(table[["indicator", "unit_id", "occupation"]]
                                      .itertuples(index=False))}
    found = []
    for indicator in table["indicator"].unique():
        for unit in [*units, CITY_ID]:
            eq = [position.get((indicator, unit, o)) for o in (ALL, SS, BH)]
            if all(p is not None for p in eq):
                found.append(eq)
        for occupation in (ALL, SS, BH):
            eq = [position.get((indicator, u, occupation)) for u in [CITY_ID, *units]]
            if eq[0] is not None and sum(p is not None for p in eq) > 1:
                found.append([p for p in eq if p is not None])
    return found


def solve_pattern(values: np.ndarray, lower: np.ndarray, weight: np.ndarray,
                  fixed_on: np.ndarray, fixed_off: np.ndarray,
                  equations: list[list[int]], cuts: list[list[int]],
                  implications: Sequence[tuple[int, list[int]]] = ()) -> np.ndarray | None:
    """Minimum-cost set of hidden cells: every fixed-on cell hidden, no fixed-off cell
    hidden, no relation with exactly one hidden cell, and at least one cell of every
    cut hidden. Where a relation's total is shown, its hidden parts must leave room
    for ``MIN_RANGE`` (each part is at least its lower bound).

    Per relation ``e`` two helper variables keep the model linear in size: ``t_e``,
    the number of its hidden cells (each hidden cell needs ``t_e >= 2``), and ``u_e``,
    the room its hidden parts leave."""
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(values)
    n_eq = len(equations)
    t0, u0 = n, n + n_eq  # columns of t_e and u_e
    n_vars = n + 2 * n_eq
    rows, cols, vals, lo, hi = [], [], [], [], []
    slack = np.maximum(values - lower, 0.0)

    def add(entries: list[tuple[int, float]], low: float, high: float = np.inf) -> None:
        r = len(lo)
        for c, v in entries:
            rows.append(r)
            cols.append(c)
            vals.append(v)
        lo.append(low)
        hi.append(high)

    for k, eq in enumerate(equations):
        total, parts = eq[0], eq[1:]
        add([(t0 + k, 1.0), *((d, -1.0) for d in eq)], 0.0, 0.0)
        add([(u0 + k, 1.0), *((d, -slack[d]) for d in parts if slack[d] > 0)], 0.0, 0.0)
        for c in eq:
            if not fixed_off[c]:  # never the only hidden cell of a relation
                add([(t0 + k, 1.0), (c, -2.0)], 0.0)
        for c in parts:
            if not fixed_off[c]:  # total shown: room of the hidden parts >= MIN_RANGE
                add([(u0 + k, 1.0), (c, -MIN_RANGE), (total, MIN_RANGE)], 0.0)
    for cut in cuts:
        add([(c, 1.0) for c in cut], 1.0)
    for c, ds in implications:  # c hidden => one of ds hidden
        add([*((d, 1.0) for d in ds), (c, -1.0)], 0.0)
    lb = np.concatenate([np.where(fixed_on, 1.0, 0.0), np.zeros(2 * n_eq)])
    ub = np.concatenate([np.where(fixed_off, 0.0, 1.0), np.full(2 * n_eq, np.inf)])
    integrality = np.concatenate([np.ones(n), np.ones(n_eq), np.zeros(n_eq)])
    cost = np.concatenate([weight, np.zeros(2 * n_eq)])
    constraints = []
    if lo:
        matrix = sparse.csr_array((vals, (rows, cols)), shape=(len(lo), n_vars))
        constraints.append(LinearConstraint(matrix, np.array(lo), np.array(hi)))
    solved = milp(cost, constraints=constraints, integrality=integrality,
                  bounds=Bounds(lb, ub), options={"time_limit": 600, "mip_rel_gap": 0.02})
    if solved.x is None:
        return None
    return solved.x[:n] > 0.5


class Inconsistent(UppfoljningError):
    """Published figures that contradict each other."""


class LinearProgramme:
    """min or max of a sum of columns subject to ``row_low <= A x <= row_high`` and
    ``col_low <= x <= col_high``, on one HiGHS instance kept between objectives (each
    solve starts from the last basis)."""

    def __init__(self, matrix, row_low: np.ndarray, row_high: np.ndarray,
                 col_low: np.ndarray | None = None, col_high: np.ndarray | None = None):
        import highspy

        self._highspy = highspy
        matrix = matrix.tocsc()
        n_rows, n_cols = matrix.shape
        self.n_rows = n_rows
        inf = highspy.kHighsInf
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n_cols, n_rows
        lp.col_cost_ = np.zeros(n_cols)
        lp.col_lower_ = np.zeros(n_cols) if col_low is None else np.asarray(col_low, float)
        lp.col_upper_ = (np.full(n_cols, inf) if col_high is None
                         else np.minimum(np.asarray(col_high, float), inf))
        lp.row_lower_ = np.maximum(np.asarray(row_low, float), -inf)
        lp.row_upper_ = np.minimum(np.asarray(row_high, float), inf)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
        lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
        lp.a_matrix_.value_ = matrix.data.astype(np.float64)
        self.highs = new_highs()
        self.highs.passModel(lp)
        self._costed = np.zeros(0, dtype=np.int32)

    def solve(self, columns: np.ndarray, maximise: bool,
              ) -> tuple[float, np.ndarray, np.ndarray] | None:
        """(optimum, row duals, column duals), or None when unbounded."""
        highspy, highs = self._highspy, self.highs
        if self._costed.size:
            highs.changeColsCost(self._costed.size, self._costed, np.zeros(self._costed.size))
        columns = np.asarray(columns, dtype=np.int32)
        highs.changeColsCost(columns.size, columns, np.ones(columns.size))
        self._costed = columns
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise
                                   else highspy.ObjSense.kMinimize)
        highs.run()
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise Inconsistent(f"disclosure audit: the published figures are not "
                               f"consistent ({highs.modelStatusToString(status)})")
        solution = highs.getSolution()
        return (highs.getInfo().objective_function_value, np.asarray(solution.row_dual),
                np.asarray(solution.col_dual))


_banner_shown = False


def new_highs():
    """A silent HiGHS instance. The first one a process makes prints HiGHS' banner
    straight to file descriptor 1 before any option can be set, so that one is made
    with standard output pointed at the null device."""
    global _banner_shown
    import highspy

    if _banner_shown:
        highs = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 1)
                highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_shown = True
    highs.setOptionValue("output_flag", False)
    return highs


# ---------------------------------------------------------------------------
# Cells of one family of one year


@dataclass
class Family:
    """One year's cells of one family: position i of every array is one cell."""

    name: str  # "leavers" or "exit"
    labels: list  # index labels in the results
    unit: list[str]
    occupation: list[str]
    indicator: list[str]
    truth: np.ndarray  # the persons behind each cell (leavers, interviews giving it)
    base: np.ndarray  # headcount H (leavers) or interviews n (exit), unrounded
    shown: np.ndarray  # the value as published (rounded), NaN when empty
    hidden: np.ndarray  # bool, hidden before this family is protected
    small: np.ndarray  # bool, hidden as small by its own rule (primary)

    def __len__(self) -> int:
        return len(self.labels)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"indicator": self.indicator, "unit_id": self.unit,
                             "occupation": self.occupation})

    def weights(self) -> np.ndarray:
        scale = np.array([WEIGHT_CITY if u == CITY_ID else WEIGHT_ALL if o == ALL else 1.0
                          for u, o in zip(self.unit, self.occupation, strict=True)])
        return np.where(self.truth > 0, scale * (1.0 + self.truth), WEIGHT_ZERO * scale)

    def name_of(self, i: int, year: int) -> str:
        return f"{self.indicator[i]} of {self.unit[i]} ({self.occupation[i]}) {year}"


def _family(name: str, rows: pd.DataFrame, reasons: pd.Series, truth: np.ndarray,
            base: np.ndarray, primary: Sequence[str]) -> Family:
    decimals = {i: published_decimals(i) for i in rows["indicator"].unique()}
    shown = np.array([round_published(v, decimals[i]) for i, v in
                      zip(rows["indicator"].tolist(), rows["value"].astype("float64").tolist(),
                          strict=True)], dtype=float)
    reason = reasons.loc[rows.index].astype(str)
    return Family(name, rows.index.tolist(), rows["unit_id"].astype(str).tolist(),
                  rows["occupation"].astype(str).tolist(),
                  rows["indicator"].astype(str).tolist(), truth, base, shown,
                  (reason != "").to_numpy(), reason.isin(list(primary)).to_numpy())


# ---------------------------------------------------------------------------
# Leavers


class _Leavers:
    """The leaver tables of one year (one per kind), with what every reader knows."""

    def __init__(self, cells: Family, headcount_shown: dict[tuple[str, str], float],
                 units: list[str]):
        self.cells = cells
        self.units = units
        self.index = {(k, u, o): i for i, (k, u, o) in enumerate(
            zip(cells.indicator, cells.unit, cells.occupation, strict=True))}
        n = len(cells)
        self.low, self.high = np.zeros(n), np.full(n, np.inf)
        for i in range(n):
            h = headcount_shown.get((cells.unit[i], cells.occupation[i]))
            r = cells.shown[i]
            if h is None or np.isnan(r) or cells.base[i] <= 0:
                continue  # published empty (no headcount): nothing about the leavers
            half = 0.5 * 10.0 ** -published_decimals(cells.indicator[i])
            low = math.ceil((r - half) * max(h - 0.5, 0.0) - 1e-9)
            high = math.floor((r + half) * (h + 0.5) + 1e-9)
            truth = cells.truth[i]
            self.low[i], self.high[i] = min(max(low, 0), truth), max(high, truth)
        # what closed units without a successor left: the city less its units, known
        self.rest: dict[tuple[str, str], float] = {}
        for kind in LEAVER_KINDS:
            for o in (SS, BH, ALL):
                city = self.index.get((kind, CITY_ID, o))
                if city is None:
                    continue
                parts = sum(cells.truth[self.index[(kind, u, o)]] for u in units
                            if (kind, u, o) in self.index)
                self.rest[(kind, o)] = cells.truth[city] - parts

    def programme(self, hidden: np.ndarray) -> tuple[LinearProgramme, tuple]:
        """The linear programme of the year: every cell a column (a published one within
        its interval, a hidden one at least 0), the relations of each kind and
        voluntary <= external <= all for every cell as rows; and the same as arrays for
        an integer programme."""
        from scipy import sparse

        cells = self.cells
        rows, cols, vals, row_low, row_high = [], [], [], [], []

        def row(entries: list[tuple[int, float]], low: float, high: float) -> None:
            r = len(row_low)
            for c, v in entries:
                rows.append(r)
                cols.append(c)
                vals.append(v)
            row_low.append(low)
            row_high.append(high)

        for kind in LEAVER_KINDS:
            for u in [*self.units, CITY_ID]:
                parts = [self.index.get((kind, u, o)) for o in (SS, BH)]
                total = self.index.get((kind, u, ALL))
                if total is not None and all(p is not None for p in parts):
                    row([(total, 1.0), *((p, -1.0) for p in parts)], 0.0, 0.0)
            for o in (SS, BH, ALL):
                total = self.index.get((kind, CITY_ID, o))
                parts = [self.index[(kind, u, o)] for u in self.units
                         if (kind, u, o) in self.index]
                if total is not None and parts:
                    rest = self.rest.get((kind, o), 0.0)
                    row([(total, 1.0), *((p, -1.0) for p in parts)], rest, rest)
        for u in [*self.units, CITY_ID]:
            for o in (SS, BH, ALL):
                chain = [self.index.get((kind, u, o)) for kind in LEAVER_KINDS]
                for larger, smaller in zip(chain, chain[1:], strict=False):
                    if larger is not None and smaller is not None:
                        row([(smaller, 1.0), (larger, -1.0)], -np.inf, 0.0)
        low = np.where(hidden, 0.0, self.low)
        high = np.where(hidden, np.inf, self.high)
        matrix = sparse.csr_array((vals, (rows, cols)), shape=(len(row_low), len(cells)))
        arrays = (matrix, np.array(row_low), np.array(row_high), low, high)
        return LinearProgramme(matrix, np.array(row_low), np.array(row_high), low, high), arrays

    def failing(self, hidden: np.ndarray, check: Sequence[int]
                ) -> list[tuple[int, float, float, set[int]]]:
        """(cell, least, largest, published cells that bound it) of the hidden cells in
        ``check`` whose leavers range over less than MIN_RANGE: the linear programme's
        range, checked in integers where it is under twice that."""
        if not check:
            return []
        lp, arrays = self.programme(hidden)
        found = []
        for i in check:
            ends, binding = [], set()
            for maximise in (False, True):
                outcome = lp.solve(np.array([i]), maximise)
                if outcome is None:
                    ends.append(np.inf)
                    continue
                value, _rows, col_duals = outcome
                ends.append(value)
                binding.update(int(j) for j in np.flatnonzero(np.abs(col_duals) > 1e-9)
                               if not hidden[j])
            width = ends[1] - ends[0]
            if width >= 2 * MIN_RANGE or (width >= MIN_RANGE - _TOL and
                                          integer_range_ok(arrays, i, self.cells.truth[i])):
                continue
            found.append((i, ends[0], ends[1], binding))
        return found


def integer_range_ok(arrays: tuple, column: int, truth: float) -> bool:
    """Can an integer solution move ``column`` 2 from ``truth``, or 1 each way?"""
    from scipy.optimize import Bounds, LinearConstraint, milp

    matrix, row_low, row_high, low, high = arrays
    constraint = LinearConstraint(matrix, row_low, row_high)
    integer = np.ones(len(low))

    def feasible(at_least: float, at_most: float) -> bool:
        lo, hi = low.copy(), high.copy()
        lo[column], hi[column] = max(lo[column], at_least), min(hi[column], at_most)
        if lo[column] > hi[column]:
            return False
        solved = milp(np.zeros(len(low)), constraints=[constraint], integrality=integer,
                      bounds=Bounds(lo, hi), options={"time_limit": 60})
        return solved.x is not None or solved.status not in (0, 2)  # no answer: wide

    if feasible(truth + 2, np.inf) or feasible(-np.inf, truth - 2):
        return True
    return feasible(truth + 1, np.inf) and feasible(-np.inf, truth - 1)


# ---------------------------------------------------------------------------
# Exit interviews


class _Exits:
    """The exit-reason shares of one year: interviews per unit and the city, and the
    interviews giving each reason."""

    def __init__(self, cells: Family, units: list[str], min_n: int):
        self.cells = cells
        self.units = units
        self.min_n = min_n
        self.places = [*units, CITY_ID]
        self.reasons = sorted(set(cells.indicator))
        self.index = {(k, u): i for i, (k, u) in
                      enumerate(zip(cells.indicator, cells.unit, strict=True))}
        self.interviews = {u: 0.0 for u in self.places}
        for i, u in enumerate(cells.unit):
            self.interviews[u] = float(cells.base[i])
        city = self.interviews[CITY_ID]
        self.rest_n = city - sum(self.interviews[u] for u in units)
        self.rest = {k: cells.truth[self.index[(k, CITY_ID)]]
                     - sum(cells.truth[self.index[(k, u)]] for u in units
                           if (k, u) in self.index)
                     for k in self.reasons if (k, CITY_ID) in self.index}
        # a place whose interviews are few by the rule: every share of it hidden as small
        self.few = {u: 0 < self.interviews[u] < min_n for u in self.places}

    def _caps(self, i: int, hidden: np.ndarray) -> tuple[float, float]:
        """How far a hidden cell can move down and up, every interview count kept,
        within the branch of what the rule lets a reader know that holds it."""
        c, n = self.cells.truth[i], self.interviews[self.cells.unit[i]]
        if self.cells.small[i] and not self.few[self.cells.unit[i]]:
            if c >= self.min_n:  # given by everyone: c = n, no room in that branch
                return 0.0, 0.0
            return c - 1.0, min(self.min_n - 1.0, n) - c
        return c, n - c

    def certified(self, i: int, hidden: np.ndarray) -> bool:
        """Another assignment of the hidden counts of the cell's reason keeps every
        published figure and moves this one by 2 (or by 1 each way): it is safe."""
        cells = self.cells
        if cells.unit[i] == CITY_ID:
            return False
        kind = cells.indicator[i]
        down, up = self._caps(i, hidden)
        others_down = others_up = 0.0
        for u in self.units:
            j = self.index.get((kind, u))
            if j is None or j == i or not hidden[j]:
                continue
            d, p = self._caps(j, hidden)
            others_down += d
            others_up += p
        if up >= 2 and others_down >= 2 or down >= 2 and others_up >= 2:
            return True
        return up >= 1 and others_down >= 1 and down >= 1 and others_up >= 1

    def _shows(self, place: str, hidden: np.ndarray) -> bool:
        return any(not hidden[i] for k in self.reasons
                   if (i := self.index.get((k, place))) is not None)

    def _model(self, hidden: np.ndarray):
        """Variables, bounds, rows and integrality of the integer programme."""
        cells, min_n = self.cells, self.min_n
        var: dict[tuple, int] = {}
        low: list[float] = []
        high: list[float] = []

        def new(key: tuple, lo: float = 0.0, hi: float = np.inf) -> int:
            var[key] = len(low)
            low.append(lo)
            high.append(hi)
            return var[key]

        for u in self.places:
            n = self.interviews[u]
            if u != CITY_ID and self.few[u] and all(
                    hidden[self.index[(k, u)]] for k in self.reasons if (k, u) in self.index):
                new(("n", u), 1.0, min_n - 1.0)
            elif n > 0:  # shows a share: not few by the rule
                new(("n", u), float(min_n) if self._shows(u, hidden) else 1.0, np.inf)
            else:
                new(("n", u), 0.0, 0.0)
        rows: list[tuple[dict[int, float], float, float]] = []
        big = float(max(self.interviews.values()) + min_n + 1)
        for i in range(len(cells)):
            k, u = cells.indicator[i], cells.unit[i]
            c = new(("c", k, u))
            n = var[("n", u)]
            rows.append(({c: 1.0, n: -1.0}, -np.inf, 0.0))  # c <= n
            if hidden[i]:
                if cells.small[i] and not self.few[u]:
                    # given by 1..min_n-1 (z = 0) or by everyone (z = 1)
                    z = new(("z", k, u), 0.0, 1.0)
                    rows.append(({c: 1.0}, 1.0, np.inf))
                    rows.append(({c: 1.0, z: -big}, -np.inf, min_n - 1.0))
                    rows.append(({c: 1.0, n: -1.0, z: -big}, -big, np.inf))
                continue
            s = cells.shown[i]
            if np.isnan(s):
                continue  # published empty: no interviews (its n is 0)
            half = 0.5 * 10.0 ** -published_decimals(k)
            rows.append(({c: 1.0, n: -(s + half)}, -np.inf, 0.0))
            rows.append(({c: 1.0, n: -(s - half)}, 0.0, np.inf))
        city_n = var[("n", CITY_ID)]
        rows.append(({city_n: 1.0, **{var[("n", u)]: -1.0 for u in self.units}},
                     self.rest_n, self.rest_n))
        for k in self.reasons:
            if (k, CITY_ID) not in self.index:
                continue
            entries = {var[("c", k, CITY_ID)]: 1.0}
            for u in self.units:
                if ("c", k, u) in var:
                    entries[var[("c", k, u)]] = -1.0
            rows.append((entries, self.rest[k], self.rest[k]))
        return var, np.array(low), np.array(high), rows

    def failing(self, hidden: np.ndarray, check: Sequence[int]
                ) -> list[tuple[int, float, float, set[int]]]:
        """(cell, least, largest, published cells that could free it) of the hidden
        cells in ``check`` whose interviews giving the reason range over less than
        MIN_RANGE: a certificate first, else integer programmes."""
        from scipy import sparse

        check = [i for i in check if not self.certified(i, hidden)]
        if not check:
            return []
        var, low, high, rows = self._model(hidden)
        r, c, v = [], [], []
        for k, (entries, _lo, _hi) in enumerate(rows):
            for col, coef in entries.items():
                r.append(k)
                c.append(col)
                v.append(coef)
        matrix = sparse.csr_array((v, (r, c)), shape=(len(rows), len(low)))
        arrays = (matrix, np.array([row[1] for row in rows]),
                  np.array([row[2] for row in rows]), low, high)
        cells = self.cells
        return [(i, cells.truth[i], cells.truth[i], self._partners(i, hidden))
                for i in check
                if not integer_range_ok(arrays, var[("c", cells.indicator[i], cells.unit[i])],
                                        float(cells.truth[i]))]

    def _partners(self, i: int, hidden: np.ndarray) -> set[int]:
        """Published cells of the same reason (the city's total among them): hiding one
        of them lets the failing cell move."""
        kind = self.cells.indicator[i]
        return {j for u in self.places if (j := self.index.get((kind, u))) is not None
                and not hidden[j]}


# ---------------------------------------------------------------------------
# Protecting one family of one year


def _protect_family(family: Family, audit, year: int, units: list[str],
                    fixed_off: np.ndarray) -> tuple[np.ndarray, int, int]:
    """(hidden after protection, cells audited, rounds): the pattern of the family,
    audited, with cuts until every hidden cell ranges over MIN_RANGE persons. A
    ``fixed_off`` cell is never hidden (one without data is published empty)."""
    start = family.hidden.copy()
    if not start.any():
        return start, 0, 0
    equations = relations(family.frame(), units)
    lower = np.zeros(len(family))
    weight = family.weights()
    cuts: list[list[int]] = []
    rounds = 0
    hidden = start
    passed = np.zeros(len(family), bool)
    while True:
        rounds += 1
        pattern = solve_pattern(family.truth.astype(float), lower, weight, start, fixed_off,
                                equations, cuts)
        if pattern is None:
            i = int(np.flatnonzero(start)[0])
            raise PatternError(f"disclosure control: no pattern protects the persons "
                               f"behind {family.name_of(i, year)}")
        # Hiding more only widens ranges: what passed stays passed as long as every cell
        # hidden now stays hidden, so the next round keeps them and checks only the
        # cells that failed and the cells it adds.
        check = np.flatnonzero(pattern & ~(hidden & passed)).tolist()
        hidden = pattern
        failing = audit.failing(hidden, check)
        passed = hidden.copy()
        if not failing:
            return hidden, int(hidden.sum()), rounds
        start = hidden.copy()
        for i, *_rest in failing:
            passed[i] = False
        for i, low, high, binding in failing:
            cut = sorted(j for j in binding if not hidden[j] and not fixed_off[j])
            if not cut:
                raise PatternError(
                    f"disclosure control: no pattern protects the persons behind "
                    f"{family.name_of(i, year)} (they lie between {low:g} and {high:g})")
            cuts.append(cut)


def protect_persons(results: pd.DataFrame, reasons: pd.Series, min_n: int,
                    units: list[str], primary: Sequence[str]) -> tuple[list, int, int]:
    """Index labels of the further cells to hide so that the leavers behind every hidden
    turnover rate and the interviews behind every hidden exit-reason share range over
    at least MIN_RANGE persons; with the number of cells audited and of rounds.
    Raises :class:`PatternError` naming a cell nothing can protect."""
    added: list = []
    audited = rounds = 0
    indicator = results["indicator"].astype(str)
    leaver_rows = indicator.isin(LEAVER_KINDS)
    exit_rows = indicator.str.startswith(EXIT_SHARE_PREFIX)
    heads = results[indicator == HEADCOUNT]
    for year in sorted(results["year"].unique()):
        in_year = (results["year"] == year).to_numpy()
        rows = results[in_year & leaver_rows.to_numpy()]
        if len(rows) and (reasons.loc[rows.index] != "").any():
            truth = _leavers(rows)
            family = _family("leavers", rows, reasons, truth,
                             rows["base"].astype("float64").fillna(0.0).to_numpy(), primary)
            h = heads[heads["year"] == year]
            shown = {(str(u), str(o)): round_published(float(v), 0) for u, o, v in
                     zip(h["unit_id"], h["occupation"], h["value"].astype("float64").fillna(0.0),
                         strict=True)}
            hidden, n, k = _protect_family(family, _Leavers(family, shown, units), int(year),
                                           units, family.base <= 0)
            added += [family.labels[i] for i in np.flatnonzero(hidden & ~family.hidden)]
            audited, rounds = audited + n, rounds + k
        rows = results[in_year & exit_rows.to_numpy()]
        if len(rows) and (reasons.loc[rows.index] != "").any():
            truth = rows["count"].astype("float64").fillna(0.0).to_numpy()
            family = _family("exit", rows, reasons, truth,
                             rows["base"].astype("float64").fillna(0.0).to_numpy(), primary)
            hidden, n, k = _protect_family(family, _Exits(family, units, min_n), int(year),
                                           units, family.base <= 0)
            added += [family.labels[i] for i in np.flatnonzero(hidden & ~family.hidden)]
            audited, rounds = audited + n, rounds + k
    return added, audited, rounds


def _leavers(rows: pd.DataFrame) -> np.ndarray:
    """The leavers behind each turnover cell: its ``count``, else rate x headcount."""
    value = rows["value"].astype("float64").fillna(0.0) * rows["base"].astype("float64")
    counted = rows["count"].astype("float64") if "count" in rows else value * np.nan
    return np.rint(counted.fillna(value).fillna(0.0)).to_numpy()
