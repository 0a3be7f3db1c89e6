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
from functools import cached_property

import numpy as np
import pandas as pd

from .catalog import (
    ALL,
    BH,
    EXIT_SHARE_PREFIX,
    SS,
    SURVEY_PREFIX,
    SURVEY_RESPONSE_RATE,
    published_decimals,
)
from .errors import UppfoljningError
from .formatting import round_published
from .units import CITY_ID

MIN_RANGE = 2.0  # a hidden count must range over at least 2 persons
_TOL = 1e-6
# Cost of hiding a cell: small unit cells first, then ``alla``, the city last; a zero
# only when nothing else protects.
WEIGHT_ALL, WEIGHT_CITY, WEIGHT_ZERO = 4.0, 25.0, 50.0
LEAVER_KINDS = ("turnover_rate", "turnover_rate_external", "turnover_rate_voluntary")
INDEX_POINTS = 10.0  # a hidden survey index must range over at least 10 points
INDEX_TOP = 100.0  # survey values are 0..100
MOST_RESPONDENTS = 100_000.0  # more than any survey cell has
HEADCOUNT = "headcount"


# The families of persons, by the indicators each holds.
FAMILIES = {
    "leavers": lambda k: k in LEAVER_KINDS,
    "exit": lambda k: k.startswith(EXIT_SHARE_PREFIX),
    "survey": lambda k: k.startswith(SURVEY_PREFIX),
}


class PatternError(UppfoljningError):
    """No pattern protects a cell; the message names it."""


# ---------------------------------------------------------------------------
# The optimisation every family shares


def relations(table: pd.DataFrame, units: list[str]) -> list[list[int]]:
    """Row positions tied by one relation, the total first: a unit's ``alla`` = ss +
    bh, and for each occupation the city = the sum of the units, per indicator."""
    position = {
        (r.indicator, r.unit_id, r.occupation): i
        for i, r in enumerate(table[["indicator", "unit_id", "occupation"]].itertuples(index=False))
    }
    found = []
    for indicator in table["indicator"].unique():
        for unit in [*units, CITY_ID]:
            cells = [position.get((indicator, unit, o)) for o in (ALL, SS, BH)]
            tied = [p for p in cells if p is not None]
            if len(tied) == len(cells):
                found.append(tied)
        for occupation in (ALL, SS, BH):
            eq = [position.get((indicator, u, occupation)) for u in [CITY_ID, *units]]
            parts = [p for p in eq if p is not None]
            if eq[0] is not None and len(parts) > 1:
                found.append(parts)
    return found


def solve_pattern(
    values: np.ndarray,
    lower: np.ndarray,
    weight: np.ndarray,
    fixed_on: np.ndarray,
    fixed_off: np.ndarray,
    equations: list[list[int]],
    cuts: list[list[int]],
    implications: Sequence[tuple[int, list[int]]] = (),
) -> np.ndarray | None:
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
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
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
    solved = milp(
        cost,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(lb, ub),
        options={"time_limit": 600, "mip_rel_gap": 0.02},
    )
    if solved.x is None:
        return None
    return solved.x[:n] > 0.5


def without_cell(cuts: list[list[int]], cell: int) -> list[list[int]]:
    """The cuts once ``cell`` is published: it leaves every cut, and a cut left empty
    goes (what it asked is met, or no longer asked)."""
    kept = [[j for j in cut if j != cell] for cut in cuts]
    return [cut for cut in kept if cut]


class Inconsistent(UppfoljningError):
    """Published figures that contradict each other."""


class LinearProgramme:
    """min or max of a sum of columns subject to ``row_low <= A x <= row_high`` and
    ``col_low <= x <= col_high``, on one HiGHS instance kept between objectives (each
    solve starts from the last basis)."""

    def __init__(
        self,
        matrix,
        row_low: np.ndarray,
        row_high: np.ndarray,
        col_low: np.ndarray | None = None,
        col_high: np.ndarray | None = None,
    ):
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
        lp.col_upper_ = (
            np.full(n_cols, inf)
            if col_high is None
            else np.minimum(np.asarray(col_high, float), inf)
        )
        lp.row_lower_ = np.maximum(np.asarray(row_low, float), -inf)
        lp.row_upper_ = np.minimum(np.asarray(row_high, float), inf)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
        lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
        lp.a_matrix_.value_ = matrix.data.astype(np.float64)
        self.highs = new_highs()
        self.highs.passModel(lp)
        self._costed = np.zeros(0, dtype=np.int32)

    def solve(
        self,
        columns: np.ndarray,
        maximise: bool,
        costs: np.ndarray | None = None,
    ) -> tuple[float, np.ndarray, np.ndarray] | None:
        """(optimum, row duals, column duals) of the sum of ``columns`` (each weighted
        by ``costs`` where given), or None when unbounded."""
        highspy, highs = self._highspy, self.highs
        if self._costed.size:
            highs.changeColsCost(self._costed.size, self._costed, np.zeros(self._costed.size))
        columns = np.asarray(columns, dtype=np.int32)
        weights = np.ones(columns.size) if costs is None else np.asarray(costs, float)
        highs.changeColsCost(columns.size, columns, weights)
        self._costed = columns
        highs.changeObjectiveSense(
            highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
        )
        highs.run()
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise Inconsistent(
                f"disclosure audit: the published figures are not "
                f"consistent ({highs.modelStatusToString(status)})"
            )
        solution = highs.getSolution()
        self.last_point = np.asarray(solution.col_value)
        return (
            highs.getInfo().objective_function_value,
            np.asarray(solution.row_dual),
            np.asarray(solution.col_dual),
        )


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
        return pd.DataFrame(
            {"indicator": self.indicator, "unit_id": self.unit, "occupation": self.occupation}
        )

    def weights(self) -> np.ndarray:
        scale = np.array(
            [
                WEIGHT_CITY if u == CITY_ID else WEIGHT_ALL if o == ALL else 1.0
                for u, o in zip(self.unit, self.occupation, strict=True)
            ]
        )
        return np.where(self.truth > 0, scale * (1.0 + self.truth), WEIGHT_ZERO * scale)

    def name_of(self, i: int, year: int) -> str:
        return f"{self.indicator[i]} of {self.unit[i]} ({self.occupation[i]}) {year}"


def _family(
    name: str,
    rows: pd.DataFrame,
    reasons: pd.Series,
    truth: np.ndarray,
    base: np.ndarray,
    primary: Sequence[str],
) -> Family:
    decimals = {i: published_decimals(i) for i in rows["indicator"].unique()}
    shown = np.array(
        [
            round_published(v, decimals[i])
            for i, v in zip(
                rows["indicator"].tolist(), rows["value"].astype("float64").tolist(), strict=True
            )
        ],
        dtype=float,
    )
    reason = reasons.loc[rows.index].astype(str)
    return Family(
        name,
        rows.index.tolist(),
        rows["unit_id"].astype(str).tolist(),
        rows["occupation"].astype(str).tolist(),
        rows["indicator"].astype(str).tolist(),
        truth,
        base,
        shown,
        (reason != "").to_numpy(),
        reason.isin(list(primary)).to_numpy(),
    )


# ---------------------------------------------------------------------------
# Other editions' cells and the model every family builds


@dataclass
class Other:
    """A cell another edition of the archive published or hid, as a sum over atoms."""

    edition: int
    unit: str
    occupation: str
    indicator: str
    atoms: list[int]
    shown: float  # NaN: published empty, or hidden
    hidden: bool
    headcount: float = float("nan")  # leavers: the headcount that edition showed with it

    def name(self, year: int) -> str:
        return (
            f"{self.indicator} of {self.unit} ({self.occupation}) {year} (edition {self.edition})"
        )


def other_cells(
    archive: Sequence[tuple[int, pd.DataFrame]], atoms, year: int, wanted
) -> list[Other]:
    """The cells of ``year`` that the archive's editions published or hid, for the
    indicators ``wanted`` accepts, with the headcount each showed beside them. A
    figure several editions published or hid alike is taken once (the earliest)."""
    found = []
    seen: set[tuple] = set()
    for edition, table in archive:
        rows = table[(table["year"].astype(int) == year)]
        heads = rows[rows["indicator"] == HEADCOUNT]
        head = {
            (str(u), str(o)): float(v)
            for u, o, v in zip(heads["unit_id"], heads["occupation"], heads["value"], strict=True)
        }
        rows = rows[rows["indicator"].astype(str).map(wanted).astype(bool).to_numpy()]
        for unit, occupation, indicator, value, suppressed in zip(
            rows["unit_id"].astype(str),
            rows["occupation"].astype(str),
            rows["indicator"].astype(str),
            rows["value"].astype("float64"),
            rows["suppressed"],
            strict=True,
        ):
            ids = atoms.of(edition, unit, occupation)
            if ids is None:
                continue
            hidden = str(suppressed).strip().lower() == "true" or suppressed is True
            headcount = head.get((unit, occupation), float("nan"))
            key = (indicator, tuple(sorted(ids)), hidden, repr(float(value)), repr(headcount))
            if key in seen:
                continue
            seen.add(key)
            found.append(
                Other(
                    edition,
                    unit,
                    occupation,
                    indicator,
                    ids,
                    float(value),
                    hidden,
                    headcount,
                )
            )
    return found


class _Model:
    """Ranged rows over named variables, with the published cell behind each row."""

    def __init__(self) -> None:
        self.columns: dict[tuple, int] = {}
        self.low: list[float] = []
        self.high: list[float] = []
        self.integer: list[float] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []
        self.owner: list[int | None] = []

    def var(self, key: tuple, low: float = 0.0, high: float = np.inf) -> int:
        if key not in self.columns:
            self.columns[key] = len(self.low)
            self.low.append(low)
            self.high.append(high)
        return self.columns[key]

    def add(
        self, entries: dict[int, float], low: float, high: float, owner: int | None = None
    ) -> None:
        self.rows.append((entries, low, high))
        self.owner.append(owner)

    def arrays(self) -> tuple:
        from scipy import sparse

        r, c, v = [], [], []
        for k, (entries, _lo, _hi) in enumerate(self.rows):
            for col, coef in entries.items():
                r.append(k)
                c.append(col)
                v.append(coef)
        matrix = sparse.csr_array((v, (r, c)), shape=(len(self.rows), len(self.low)))
        return (
            matrix,
            np.array([row[1] for row in self.rows], dtype=float),
            np.array([row[2] for row in self.rows], dtype=float),
            np.array(self.low, dtype=float),
            np.array(self.high, dtype=float),
        )


def integer_range(
    arrays: tuple,
    objective: dict[int, float],
    on_point=None,
    relaxed=None,
    integral: np.ndarray | None = None,
) -> tuple[float, float]:
    """Least and largest value of a sum of columns (each counted once) over the
    integer points; ``on_point`` is shown every integer point found on the way, and
    ``relaxed`` is :func:`_relaxed_ends` of the same sum where the caller has it."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    matrix, row_low, row_high, low, high = arrays
    cost = np.zeros(len(low))
    for column, coefficient in objective.items():
        cost[column] = coefficient
    # The linear relaxation first: where its optimum is an integer point, that is the
    # integer optimum too (every integer point lies in the relaxation).
    integral = np.ones(len(low)) if integral is None else integral
    relaxed_low, relaxed_high, points = relaxed or _relaxed_ends(arrays, objective, integral)
    ends = []
    for sign, relaxed_end, point in (
        (1.0, relaxed_low, points[0]),
        (-1.0, relaxed_high, points[1]),
    ):
        if np.isinf(relaxed_end):  # unbounded
            ends.append(relaxed_end)
            continue
        if point is not None:
            ends.append(float(cost @ point))
            if on_point is not None:
                on_point(point)
            continue
        solved = milp(
            sign * cost,
            constraints=[LinearConstraint(matrix, row_low, row_high)],
            integrality=integral,
            bounds=Bounds(low, high),
            options={"time_limit": 60},
        )
        if solved.status == 2:
            raise Inconsistent("disclosure audit: the published figures are not consistent")
        if solved.x is None and solved.status != 1:
            # unbounded (HiGHS may say only "unbounded or infeasible" of an integer
            # programme): the linear relaxation tells, as the model is feasible
            relaxed = linear_range(arrays, cost)[0 if sign > 0 else 1]
            if np.isinf(relaxed):
                ends.append(relaxed)
                continue
        if solved.x is None:  # no answer in time: not shown to be wide
            return 0.0, 0.0
        ends.append(float(cost @ solved.x))
        if on_point is not None:
            on_point(np.where(integral > 0, np.rint(solved.x), solved.x))
    return ends[0], ends[1]


class _Seen:
    """The least and largest value of several sums over the integer points found so
    far: a sum seen at two values MIN_RANGE apart ranges at least that wide, with no
    programme of its own."""

    def __init__(self, sums: dict[tuple, list[int]]):
        self.keys = list(sums)
        self.columns = [np.array(sums[k], dtype=np.int64) for k in self.keys]
        self.low = np.full(len(self.keys), np.inf)
        self.high = np.full(len(self.keys), -np.inf)
        self.position = {k: j for j, k in enumerate(self.keys)}

    def add(self, point: np.ndarray) -> None:
        values = np.array([point[c].sum() for c in self.columns])
        self.low = np.minimum(self.low, values)
        self.high = np.maximum(self.high, values)

    def wide(self, key: tuple) -> tuple[float, float] | None:
        j = self.position[key]
        if self.high[j] - self.low[j] >= MIN_RANGE - _TOL:
            return float(self.low[j]), float(self.high[j])
        return None


def moves(
    arrays: tuple,
    objective: dict[int, float],
    truth: float,
    integral: np.ndarray | None = None,
    relaxed=None,
) -> tuple[bool, float, float]:
    """Is there an integer point where the sum is 2 from ``truth``, or one on each
    side 1 from it? Then its range is at least 2 (feasibility problems, which stop at
    the first point found, where ranging needs two optimisations). With the linear
    relaxation's range, which holds the integer one (``relaxed``: its
    :func:`_relaxed_ends`, where the caller has them)."""
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    matrix, row_low, row_high, low, high = arrays
    integral = np.ones(len(low)) if integral is None else integral
    extra = np.zeros(len(low))
    for column, coefficient in objective.items():
        extra[column] = coefficient
    stacked = sparse.vstack([matrix, sparse.csr_array(extra.reshape(1, -1))]).tocsr()

    def feasible(at_least: float, at_most: float) -> bool:
        constraint = LinearConstraint(
            stacked, np.append(row_low, at_least), np.append(row_high, at_most)
        )
        solved = milp(
            np.zeros(len(low)),
            constraints=[constraint],
            integrality=integral,
            bounds=Bounds(low, high),
            options={"time_limit": 60},
        )
        return solved.x is not None  # no answer in time: not shown to move

    # the linear relaxation's range first: what it rules out needs no integer proof
    low_lp, high_lp, points = relaxed or _relaxed_ends(arrays, objective, integral)
    # an end of the relaxation at an integer point is an integer point
    at_low = points[0] is not None and low_lp <= truth - 1 + _TOL
    at_high = points[1] is not None and high_lp >= truth + 1 - _TOL
    if at_low and low_lp <= truth - 2 + _TOL or at_high and high_lp >= truth + 2 - _TOL:
        return True, low_lp, high_lp
    if at_low and at_high:
        return True, low_lp, high_lp
    up2, down2 = high_lp >= truth + 2 - _TOL, low_lp <= truth - 2 + _TOL
    if up2 and feasible(truth + 2, np.inf) or down2 and feasible(-np.inf, truth - 2):
        return True, low_lp, high_lp
    up1, down1 = high_lp >= truth + 1 - _TOL, low_lp <= truth - 1 + _TOL
    moved = up1 and down1 and feasible(truth + 1, np.inf) and feasible(-np.inf, truth - 1)
    return moved, low_lp, high_lp


def _relaxed_ends(
    arrays: tuple, objective: dict[int, float], integral: np.ndarray | None = None
) -> tuple[float, float, tuple[np.ndarray | None, np.ndarray | None]]:
    """Least and largest value of the sum over the linear relaxation, each with the
    integer point it is reached at (None where it is not; whole in the ``integral``
    columns, all by default)."""
    matrix, row_low, row_high, low, high = arrays
    lp = LinearProgramme(matrix, row_low, row_high, low, high)
    columns = np.array(sorted(objective), dtype=np.int32)
    ends: list[float] = []
    points: list[np.ndarray | None] = []
    for maximise in (False, True):
        outcome = lp.solve(columns, maximise)
        if outcome is None:
            ends.append(np.inf if maximise else -np.inf)
            points.append(None)
            continue
        ends.append(outcome[0])
        points.append(_on_grid(lp.last_point, integral))
    return ends[0], ends[1], (points[0], points[1])


def _on_grid(point: np.ndarray, integral: np.ndarray | None) -> np.ndarray | None:
    """The point, if it is whole in the ``integral`` columns (all by default)."""
    whole = np.ones(len(point), bool) if integral is None else integral > 0
    if np.all(np.abs(point - np.rint(point))[whole] <= 1e-7):
        return np.where(whole, np.rint(point), point)
    return None


def linear_range(arrays: tuple, cost: np.ndarray) -> tuple[float, float]:
    """Least and largest value of ``cost @ x`` over the linear relaxation."""
    matrix, row_low, row_high, low, high = arrays
    lp = LinearProgramme(matrix, row_low, row_high, low, high)
    columns = np.flatnonzero(cost)
    ends = []
    for maximise in (False, True):
        outcome = lp.solve(columns, maximise)
        ends.append(np.inf if outcome is None else outcome[0])
    return ends[0], ends[1]


def _ranges(
    model: _Model,
    targets: list[dict[int, float]],
    truths: list[float | None],
    integral: np.ndarray | None = None,
) -> list[tuple[float, float, set[int]]]:
    """(least, largest, binding published cells) of each target sum: linear programmes
    on one warm HiGHS model, and where the linear range is narrow, integer ones (a
    target whose truth is known is only moved 2 from it, or 1 each way); whole in the
    ``integral`` columns (all by default)."""
    arrays = model.arrays()
    matrix, row_low, row_high, low, high = arrays
    lp = LinearProgramme(matrix, row_low, row_high, low, high)
    solved: dict[tuple, tuple[float, float, set[int]]] = {}
    found = []
    for objective, truth in zip(targets, truths, strict=True):
        key = tuple(sorted(objective.items()))
        if key in solved:
            found.append(solved[key])
            continue
        columns = np.array(sorted(objective), dtype=np.int32)
        ends: list[float] = []
        points: list[np.ndarray | None] = []
        binding: set[int] = set()
        for maximise in (False, True):
            outcome = lp.solve(columns, maximise)
            if outcome is None:
                ends.append(np.inf if maximise else -np.inf)
                points.append(None)
                continue
            value, row_duals, _cols = outcome
            ends.append(value)
            points.append(_on_grid(lp.last_point, integral))
            owners = (model.owner[r] for r in np.flatnonzero(np.abs(row_duals) > 1e-9))
            binding.update(o for o in owners if o is not None)
        width = ends[1] - ends[0]
        if MIN_RANGE - _TOL <= width < 2 * MIN_RANGE:  # the LP may hide an integer pin
            relaxed = (ends[0], ends[1], (points[0], points[1]))
            if truth is not None and moves(arrays, objective, truth, integral, relaxed)[0]:
                pass
            else:
                ends = list(integer_range(arrays, objective, None, relaxed, integral))
        solved[key] = (ends[0], ends[1], binding)
        found.append(solved[key])
    return found


def _rounding_half(indicator: str, shown: float) -> float:
    """How far the truth behind a shown value can lie from it: half its last
    published decimal, or 0 where it is printed at full precision (an older table:
    exact) or as delivered (kronor)."""
    decimals = published_decimals(indicator)
    if decimals is None or round_published(shown, decimals) != shown:
        return 0.0
    return 0.5 * 10.0**-decimals


def _interval(indicator: str, shown: float, base: float) -> tuple[float, float]:
    """The persons a shown rate or share stands for on a base shown as ``base``: a
    rate r (half its last decimal d) on a mean headcount h shown whole holds the
    integers in [(r - d)(h - 1/2), (r + d)(h + 1/2)]."""
    half = _rounding_half(indicator, shown)
    return (
        max(math.ceil((shown - half) * max(base - 0.5, 0.0) - 1e-9), 0.0),
        math.floor((shown + half) * (base + 0.5) + 1e-9),
    )


# ---------------------------------------------------------------------------
# Leavers


class _Leavers:
    """The leavers of one year on atoms (source unit x occupation), per kind:
    this edition's cells and the other editions', voluntary <= external <= all."""

    additive = True  # counts: alla = ss + bh and the city = its units, as relations

    def __init__(
        self,
        cells: Family,
        headcount_shown: dict[tuple[str, str], float],
        atoms,
        edition: int,
        others: list[Other],
    ):
        self.cells = cells
        self.others = others
        self.n_atoms = len(atoms)
        self.atoms = [
            atoms.of(edition, u, o) or [] for u, o in zip(cells.unit, cells.occupation, strict=True)
        ]
        n = len(cells)
        self.low, self.high = np.zeros(n), np.full(n, np.inf)
        for i in range(n):
            h = headcount_shown.get((cells.unit[i], cells.occupation[i]))
            if h is None or np.isnan(cells.shown[i]) or cells.base[i] <= 0:
                continue  # published empty (no headcount): nothing about the leavers
            low, high = _interval(cells.indicator[i], cells.shown[i], h)
            self.low[i], self.high[i] = min(low, cells.truth[i]), max(high, cells.truth[i])

    def _sum(self, kind: str, atoms: list[int]) -> dict[int, float]:
        offset = LEAVER_KINDS.index(kind) * self.n_atoms
        return {offset + a: 1.0 for a in atoms}

    def model(self, hidden: np.ndarray) -> _Model:
        m = _Model()
        for k in range(len(LEAVER_KINDS) * self.n_atoms):
            m.var(("x", k))
        for a in range(self.n_atoms):  # voluntary <= external <= all, per atom
            for larger in range(len(LEAVER_KINDS) - 1):
                m.add(
                    {(larger + 1) * self.n_atoms + a: 1.0, larger * self.n_atoms + a: -1.0},
                    -np.inf,
                    0.0,
                )
        cells = self.cells
        for i in np.flatnonzero(~hidden):
            if self.atoms[i]:
                m.add(
                    self._sum(cells.indicator[i], self.atoms[i]), self.low[i], self.high[i], int(i)
                )
        for other in self.others:
            if other.hidden or np.isnan(other.shown) or np.isnan(other.headcount):
                continue
            low, high = _interval(other.indicator, other.shown, other.headcount)
            m.add(self._sum(other.indicator, other.atoms), low, high)
        return m

    def targets(self, hidden: np.ndarray, check: Sequence[int]) -> list[dict[int, float]]:
        return [
            self._sum(self.cells.indicator[i], self.atoms[i])
            if i < len(self.cells)
            else self._sum(
                self.others[i - len(self.cells)].indicator, self.others[i - len(self.cells)].atoms
            )
            for i in check
        ]

    def failing(
        self, hidden: np.ndarray, check: Sequence[int]
    ) -> list[tuple[int, float, float, set[int]]]:
        """(cell, least, largest, published cells that bound it) of the hidden cells in
        ``check`` (past ``len(cells)``: other editions' hidden cells) whose leavers
        range over less than MIN_RANGE."""
        check = [i for i in check if i >= len(self.cells) or self.atoms[i]]
        if not check:
            return []
        truths = [float(self.cells.truth[i]) if i < len(self.cells) else None for i in check]
        found = _ranges(self.model(hidden), self.targets(hidden, check), truths)
        return [
            (i, low, high, binding)
            for i, (low, high, binding) in zip(check, found, strict=True)
            if high - low < MIN_RANGE - _TOL
        ]


# ---------------------------------------------------------------------------
# Exit interviews


class _Exits:
    """The exit-reason shares of one year on atoms: the interviews ``n`` and per
    reason the interviews giving it ``c``; this edition's cells and the other
    editions'."""

    additive = True  # counts: the city = its units, as relations

    def __init__(self, cells: Family, atoms, edition: int, min_n: int, others: list[Other]):
        self.cells = cells
        self.others = others
        self.min_n = min_n
        # exit shares are of both occupations: an atom here is a source unit
        self.n_atoms = (len(atoms) + 1) // 2
        self.reasons = sorted(set(cells.indicator) | {o.indicator for o in others})
        self.atoms = [
            _units_of(atoms.of(edition, u, o) or [])
            for u, o in zip(cells.unit, cells.occupation, strict=True)
        ]
        for other in others:
            other.atoms = _units_of(other.atoms)
        self.index = {
            (k, u): i for i, (k, u) in enumerate(zip(cells.indicator, cells.unit, strict=True))
        }
        self.interviews = {u: float(b) for u, b in zip(cells.unit, cells.base, strict=True)}
        # a unit with interviews few by the rule: every share of it hidden as small
        self.few = {u: 0 < n < min_n for u, n in self.interviews.items()}

    def _caps(self, i: int) -> tuple[float, float]:
        """How far a hidden cell can move down and up, every interview count kept,
        within the branch of what the rule lets a reader know that holds it."""
        c, n = self.cells.truth[i], self.interviews[self.cells.unit[i]]
        if self.cells.small[i] and not self.few[self.cells.unit[i]]:
            if c >= self.min_n:  # given by everyone: c = n, no room in that branch
                return 0.0, 0.0
            return c - 1.0, min(self.min_n - 1.0, n) - c
        return c, n - c

    def _city_caps(self, j: int, hidden: np.ndarray) -> tuple[float, float]:
        """How far the city's count of a reason can move down and up, its interviews
        kept: within its rule when hidden, within its share's rounding when shown."""
        if hidden[j]:
            return self._caps(j)
        shown, n, c = self.cells.shown[j], self.cells.base[j], self.cells.truth[j]
        if np.isnan(shown):
            return 0.0, 0.0
        half = _rounding_half(self.cells.indicator[j], shown)
        low = max(math.ceil((shown - half) * n - 1e-9), 0)
        high = min(math.floor((shown + half) * n + 1e-9), n)
        return max(c - low, 0.0), max(high - c, 0.0)

    def _room(self, hidden: np.ndarray) -> dict[str, tuple[float, float]]:
        """Per reason, how far its hidden unit cells together can move down and up,
        and the city with them (which moves against them): worked out once per
        pattern."""
        key = hidden.tobytes()
        if getattr(self, "_room_key", None) != key:
            cells = self.cells
            room = {k: [0.0, 0.0] for k in set(cells.indicator)}
            for j in range(len(cells)):
                if cells.unit[j] == CITY_ID:  # the city moves with the cell, not against
                    d, p = self._city_caps(j, hidden)
                    room[cells.indicator[j]][0] += p
                    room[cells.indicator[j]][1] += d
                elif hidden[j]:
                    d, p = self._caps(j)
                    room[cells.indicator[j]][0] += d
                    room[cells.indicator[j]][1] += p
            self._room_key, self._room_value = key, {k: (v[0], v[1]) for k, v in room.items()}
        return self._room_value

    def _signature(self, i: int) -> tuple[int, ...] | None:
        """The other editions' published cells of the reason of cell ``i`` that hold
        its units (by position), or None where one holds some of them only. Moving
        interviews between two cells of one signature keeps every such figure."""
        atoms = set(self.atoms[i])
        kind = self.cells.indicator[i]
        inside = []
        for k, other in enumerate(self.others):
            if other.hidden or other.indicator != kind:
                continue
            common = atoms.intersection(other.atoms)
            if common and common != atoms:
                return None
            if common:
                inside.append(k)
        return tuple(inside)

    def _signature_room(self, hidden: np.ndarray) -> dict[tuple, tuple[float, float]]:
        """Per reason and signature, how far its hidden unit cells together can move
        down and up (where other editions published the reason): worked out once per
        pattern."""
        key = hidden.tobytes()
        if getattr(self, "_sig_key", None) != key:
            cells = self.cells
            room: dict[tuple, list[float]] = {}
            for j in range(len(cells)):
                if not hidden[j] or cells.unit[j] == CITY_ID or not self.atoms[j]:
                    continue
                signature = self._signatures[j]
                if signature is None:
                    continue
                d, p = self._caps(j)
                entry = room.setdefault((cells.indicator[j], signature), [0.0, 0.0])
                entry[0] += d
                entry[1] += p
            self._sig_key, self._sig_value = key, {k: (v[0], v[1]) for k, v in room.items()}
        return self._sig_value

    @cached_property
    def _own(self) -> dict[tuple[str, tuple[int, ...]], int]:
        """This edition's cells by reason and units."""
        return {
            (self.cells.indicator[i], tuple(sorted(self.atoms[i]))): i
            for i in range(len(self.cells))
            if self.atoms[i]
        }

    @cached_property
    def _signatures(self) -> list[tuple[int, ...] | None]:
        return [self._signature(i) for i in range(len(self.cells))]

    def certified(self, i: int, hidden: np.ndarray) -> bool:
        """Another assignment of the hidden counts of the cell's reason among the
        units keeps every published figure and moves this one by 2 (or by 1 each
        way): it is safe. Where other editions published the year's reason, only
        among hidden units inside the same of their cells (the city left as it is)."""
        cells = self.cells
        if i >= len(cells) or cells.unit[i] == CITY_ID:
            return False
        kind = cells.indicator[i]
        down, up = self._caps(i)
        if any(o.indicator == kind and not o.hidden for o in self.others):
            signature = self._signatures[i]
            if signature is None:
                return False
            total_down, total_up = self._signature_room(hidden)[(kind, signature)]
        else:
            total_down, total_up = self._room(hidden)[kind]
        # the others: every hidden unit cell of the reason but this one (and the city)
        others_down, others_up = total_down - down, total_up - up
        if up >= 2 and others_down >= 2 or down >= 2 and others_up >= 2:
            return True
        if up >= 1 and others_down >= 1 and down >= 1 and others_up >= 1:
            return True
        return self._grows(i, others_down, others_up)

    def _grows(self, i: int, others_down: float, others_up: float) -> bool:
        """The exchange with the interviews moving too, for a unit with few: its count
        of the reason rises past its interviews, which rise as another unit with few
        gives up interviews it can spare (the city's interviews kept). Only where no
        other edition published anything of the year, as their figures hold the
        interviews of every reason."""
        cells = self.cells
        unit = cells.unit[i]
        if not self.few[unit] or any(not o.hidden for o in self.others):
            return False
        c, n = float(cells.truth[i]), self.interviews[unit]
        spare = sum(s for u, s in self._spare_interviews.items() if u != unit)

        def grows(k: float) -> bool:  # its count up by k, its interviews as needed
            return c + k <= self.min_n - 1 and max(c + k - n, 0.0) <= spare

        if grows(2.0) and others_down >= 2:
            return True
        return grows(1.0) and c >= 1 and others_down >= 1 and others_up >= 1

    @cached_property
    def _spare_interviews(self) -> dict[str, float]:
        """Per unit with few interviews, how many it can give up with every count of
        a reason kept and one interview left."""
        cells = self.cells
        top: dict[str, float] = {}
        for i in range(len(cells)):
            unit = cells.unit[i]
            if unit != CITY_ID and self.few.get(unit) and self.atoms[i]:
                top[unit] = max(top.get(unit, 0.0), float(cells.truth[i]))
        return {u: self.interviews[u] - max(t, 1.0) for u, t in top.items()}

    def _n(self, atoms: list[int]) -> dict[int, float]:
        return {a: 1.0 for a in atoms}

    def _c(self, kind: str, atoms: list[int]) -> dict[int, float]:
        offset = (1 + self.reasons.index(kind)) * self.n_atoms
        return {offset + a: 1.0 for a in atoms}

    def model(self, hidden: np.ndarray) -> _Model:
        cells, min_n = self.cells, self.min_n
        m = _Model()
        for k in range((1 + len(self.reasons)) * self.n_atoms):
            m.var(("x", k))
        for r in range(len(self.reasons)):  # c <= n, per atom
            for a in range(self.n_atoms):
                m.add({(1 + r) * self.n_atoms + a: 1.0, a: -1.0}, -np.inf, 0.0)
        big = float(sum(self.interviews.values()) + min_n + 1)
        shows: dict[tuple[int, ...], bool] = {}
        for i in range(len(cells)):
            atoms = self.atoms[i]
            if not atoms:
                continue
            n, c = self._n(atoms), self._c(cells.indicator[i], atoms)
            if hidden[i]:
                if self.few[cells.unit[i]]:
                    m.add(n, 1.0, min_n - 1.0)
                elif cells.small[i]:  # given by 1..min_n-1 (z = 0) or by everyone (z = 1)
                    z = m.var(("z", i), 0.0, 1.0)
                    m.add(c, 1.0, np.inf)
                    m.add({**c, z: -big}, -np.inf, min_n - 1.0)
                    m.add({**c, **{a: -1.0 for a in n}, z: -big}, -big, np.inf)
                continue
            self._shown(m, cells.indicator[i], cells.shown[i], n, c, int(i), shows)
        for other in self.others:
            if not other.hidden:
                self._shown(
                    m,
                    other.indicator,
                    other.shown,
                    self._n(other.atoms),
                    self._c(other.indicator, other.atoms),
                    None,
                    shows,
                )
        return m

    def _shown(
        self, m: _Model, kind: str, shown: float, n: dict, c: dict, owner: int | None, shows: dict
    ) -> None:
        key = tuple(sorted(n))
        if np.isnan(shown):
            m.add(n, 0.0, 0.0, owner)  # published empty: no interviews
            return
        if key not in shows:  # a shown share: not few by the rule
            m.add(n, float(self.min_n), np.inf)
            shows[key] = True
        half = _rounding_half(kind, shown)
        m.add({**c, **{a: -(shown + half) for a in n}}, -np.inf, 0.0, owner)
        m.add({**c, **{a: -(shown - half) for a in n}}, 0.0, np.inf, owner)

    def failing(
        self, hidden: np.ndarray, check: Sequence[int]
    ) -> list[tuple[int, float, float, set[int]]]:
        """(cell, least, largest, published cells that could free it) of the hidden
        cells in ``check`` whose interviews giving the reason range over less than
        MIN_RANGE: a certificate first, else integer programmes."""
        cells = self.cells
        check = [
            i for i in check if (i >= len(cells) or self.atoms[i]) and not self.certified(i, hidden)
        ]
        if not check:
            return []
        arrays = self.model(hidden).arrays()
        found = []
        ranged: dict[tuple, tuple[float, float]] = {}
        seen = _Seen(
            {
                (o.indicator, tuple(sorted(o.atoms))): sorted(self._c(o.indicator, o.atoms))
                for o in (self.others[i - len(cells)] for i in check if i >= len(cells))
            }
        )
        for i in check:
            unit = None
            if i < len(cells):
                kind, atoms, unit = cells.indicator[i], self.atoms[i], cells.unit[i]
                objective = self._c(kind, atoms)
                moved, low, high = moves(arrays, objective, float(cells.truth[i]))
                if moved:
                    continue
                # narrow: (low, high) is the linear relaxation's range, which holds
                # the integer one (only the messages read it)
            else:
                other = self.others[i - len(cells)]
                kind, atoms = other.indicator, other.atoms
                own = self._own.get((kind, tuple(sorted(atoms))))
                if own is not None and hidden[own]:
                    continue  # the same sum as this edition's hidden cell, audited as it
                key = (kind, tuple(sorted(atoms)))
                if key not in ranged:  # several editions hid the same sum
                    objective = self._c(kind, atoms)
                    wide = seen.wide(key)  # points found for other sums may show it
                    if wide is not None:
                        ranged[key] = wide
                    else:
                        relaxed = _relaxed_ends(arrays, objective)
                        low, high = relaxed[0], relaxed[1]
                        # narrow in the relaxation: narrow in integers (the
                        # relaxation's range, which holds the integer one, is what
                        # the messages read)
                        ranged[key] = (
                            (low, high)
                            if high - low < MIN_RANGE - _TOL
                            else integer_range(arrays, objective, seen.add, relaxed)
                        )
                low, high = ranged[key]
                if high - low >= MIN_RANGE - _TOL:
                    continue
            found.append((i, low, high, self._partners(kind, unit, hidden)))
        return found

    def _partners(self, kind: str, unit: str | None, hidden: np.ndarray) -> set[int]:
        """This edition's published cells of the same reason, of the same unit and of
        the city (those tell the interviews): hiding one of them lets a failing cell
        move."""
        cells = self.cells
        return {
            i
            for i in range(len(cells))
            if (cells.indicator[i] == kind or cells.unit[i] in (unit, CITY_ID))
            and not hidden[i]
            and self.atoms[i]
            and cells.base[i] > 0
        }


class _Survey:
    """The staff survey of one year on atoms (unit x occupation). Per atom: ``M``,
    the invitations summed over the indices (the response rate's denominator), and
    per index the respondents ``R`` and the score sum ``S`` (index x respondents,
    0..100 each). A shown response rate r holds (r - d) M <= sum of R <= (r + d) M, a
    shown index v holds (v - d) R <= S <= (v + d) R. A hidden cell's respondents
    (every index's, for a response rate) must range over MIN_RANGE, a hidden index
    over INDEX_POINTS. Ratios, not sums: no relation between the cells is required
    beforehand; the audit's cuts decide."""

    additive = False

    def __init__(
        self,
        cells: Family,
        atoms,
        edition: int,
        min_n: int,
        others: list[Other],
        values: np.ndarray | None = None,
    ):
        self.cells = cells
        self.others = others
        self.min_n = min_n
        self.n_atoms = len(atoms)
        kinds = {*cells.indicator, *(o.indicator for o in others)}
        self.indices = sorted(kinds - {SURVEY_RESPONSE_RATE})
        self.atoms = [
            atoms.of(edition, u, o) or [] for u, o in zip(cells.unit, cells.occupation, strict=True)
        ]
        self.by_unit = _atoms_by_unit(cells.unit, self.atoms)
        self._columns: dict[str, np.ndarray] = {}
        self._ranked: dict[str, list[str]] = {}
        # the delivered survey on atoms, where this edition's cells tell it
        self.truth = None if values is None else self._truth_point(values)

    def _truth_point(self, values: np.ndarray) -> np.ndarray | None:
        """Invitations, respondents and score sums per atom as delivered, from this
        edition's cells of one atom each (full precision): an index's respondents are
        its base; a response rate's invitations its respondents over its rate (the
        most invited times the indices where nobody answered). None where an atom has
        no such cells."""
        cells, n = self.cells, self.n_atoms
        point = np.full((1 + 2 * len(self.indices)) * n, np.nan)
        rates: dict[int, tuple[float, float]] = {}
        for i in range(len(cells)):
            if len(self.atoms[i]) != 1:
                continue
            atom, kind = self.atoms[i][0], cells.indicator[i]
            if kind == SURVEY_RESPONSE_RATE:
                rates[atom] = (float(values[i]), float(cells.base[i]))
                continue
            answered = float(cells.base[i])
            (respondents,) = self._respondents(kind, [atom])
            (scores,) = self._scores(kind, [atom])
            point[respondents] = answered
            point[scores] = float(values[i]) * answered if answered > 0 else 0.0
        for atom, (rate, persons) in rates.items():
            answered = sum(point[c] for c in self._answers([atom]))
            if rate > 0:
                point[atom] = round(answered / rate)
            elif not np.isnan(answered):
                point[atom] = persons * len(self.indices)
        return None if np.isnan(point).any() else point

    def _invited(self, atoms: list[int]) -> dict[int, float]:
        return {a: 1.0 for a in atoms}

    def _respondents(self, kind: str, atoms: list[int]) -> dict[int, float]:
        offset = (1 + 2 * self.indices.index(kind)) * self.n_atoms
        return {offset + a: 1.0 for a in atoms}

    def _scores(self, kind: str, atoms: list[int]) -> dict[int, float]:
        offset = (2 + 2 * self.indices.index(kind)) * self.n_atoms
        return {offset + a: 1.0 for a in atoms}

    def _answers(self, atoms: list[int]) -> dict[int, float]:
        """The respondents summed over the indices (the response rate's numerator)."""
        return {c: 1.0 for kind in self.indices for c in self._respondents(kind, atoms)}

    @cached_property
    def whole(self) -> np.ndarray:
        """The columns ranged whole: invitations and respondents (persons), not the
        score sums. Respondents are ranged in integers, on the cell's own unit first
        (:class:`_Slices`), over the year where that does not show them wide; an index
        is ranged over the linear relaxation, which holds its integer range (a narrow
        one is a sure pin). Taken whole, HiGHS' programmes of a ratio over a year of
        many units take minutes each."""
        n = self.n_atoms
        return np.array(
            [float(k < n or (k // n) % 2 == 1) for k in range((1 + 2 * len(self.indices)) * n)]
        )

    def _with_partners(self, own: np.ndarray, unit: str, kind: str, most: int = 3):
        """The unit's columns, then with those of each of the ``most`` units with the
        most respondents to the index ``kind`` (the city's rounding gives them the
        most room to trade with it): the slices a cell is tried on, smallest first."""
        yield own
        if self.truth is None or not own.size:
            return
        partners = [other for other in self._most_respondents(kind) if other != unit]
        for other in partners[:most]:
            yield np.union1d(own, self._unit_columns(other))

    def _most_respondents(self, kind: str) -> list[str]:
        """The units (not the city) by their delivered respondents to ``kind``, most
        first (worked out once per index)."""
        if kind not in self._ranked:
            truth = self.truth
            assert truth is not None
            respondents = {
                other: sum(truth[c] for c in self._respondents(kind, atoms))
                for other, atoms in self.by_unit.items()
                if other != CITY_ID and atoms
            }
            self._ranked[kind] = sorted(respondents, key=lambda u: -respondents[u])
        return self._ranked[kind]

    def _unit_columns(self, unit: str) -> np.ndarray:
        """Every column of the atoms of one unit of this edition (worked out once)."""
        if unit not in self._columns:
            n, atoms = self.n_atoms, self.by_unit[unit]
            self._columns[unit] = np.array(
                [block * n + a for block in range(1 + 2 * len(self.indices)) for a in atoms],
                dtype=np.int64,
            )
        return self._columns[unit]

    def model(self, hidden: np.ndarray) -> _Model:
        m = _Model()
        n = self.n_atoms
        # bounded, so that no linear programme of a ratio is unbounded: more persons
        # than any survey cell has, and 100 points each
        for k in range((1 + 2 * len(self.indices)) * n):
            is_score = k >= n and (k // n) % 2 == 0
            m.var(("x", k), high=MOST_RESPONDENTS * (INDEX_TOP if is_score else 1.0))
        for a in range(n):  # respondents were invited; a score is 0..100 per respondent
            m.add({**self._answers([a]), a: -1.0}, -np.inf, 0.0)
            for kind in self.indices:
                scores, respondents = self._scores(kind, [a]), self._respondents(kind, [a])
                m.add({**scores, **{c: -INDEX_TOP for c in respondents}}, -np.inf, 0.0)
        cells = self.cells
        for i in range(len(cells)):
            atoms = self.atoms[i]
            if not atoms:
                continue
            kind = cells.indicator[i]
            if hidden[i]:
                if cells.small[i]:  # its base was 1..min_n-1 by the rule
                    self._small(m, kind, atoms)
                continue
            self._shown(m, kind, cells.shown[i], atoms, int(i))
        for other in self.others:
            if not other.hidden:
                self._shown(m, other.indicator, other.shown, other.atoms, None)
        return m

    def _small(self, m: _Model, kind: str, atoms: list[int]) -> None:
        """A cell hidden as small: an index had respondents, a response rate invited
        persons. Only that lower bound, as for hidden headcounts in
        :mod:`uppfoljning.disclosure`: a page shows a hidden cell as ``..`` whether it
        is small or protection, so a reader cannot tell that one holds at most
        min_n - 1. (With that bound a tiny year has no pattern at all: four units'
        single respondents under a city cell hidden as small are pinned at 1 each,
        whatever else is hidden.)"""
        if kind != SURVEY_RESPONSE_RATE:
            m.add(self._respondents(kind, atoms), 1.0, np.inf)
            return
        m.add(self._invited(atoms), 1.0, np.inf)

    def _shown(self, m: _Model, kind: str, shown: float, atoms: list[int], owner) -> None:
        if kind == SURVEY_RESPONSE_RATE:
            base, part = self._invited(atoms), self._answers(atoms)
        else:
            base, part = self._respondents(kind, atoms), self._scores(kind, atoms)
        if np.isnan(shown):
            m.add(base, 0.0, 0.0, owner)  # published empty: nobody invited, or answered
            return
        if kind != SURVEY_RESPONSE_RATE:
            m.add(base, float(self.min_n), np.inf)  # shown: not few respondents
        half = _rounding_half(kind, shown)
        m.add({**part, **{c: -(shown + half) for c in base}}, -np.inf, 0.0, owner)
        m.add({**part, **{c: -(shown - half) for c in base}}, 0.0, np.inf, owner)

    def failing(
        self, hidden: np.ndarray, check: Sequence[int]
    ) -> list[tuple[int, float, float, set[int]]]:
        """(cell, least, largest, published cells that could free it) of the hidden
        cells in ``check`` whose respondents range over less than MIN_RANGE persons
        or whose index ranges over less than INDEX_POINTS."""
        cells = self.cells
        check = [i for i in check if i >= len(cells) or self.atoms[i]]
        if not check or not self.indices:
            return []
        model = self.model(hidden)
        arrays = model.arrays()
        lp = LinearProgramme(*arrays)
        slices = _Slices(arrays, self.truth, self.whole)

        def on_unit(i: int) -> np.ndarray:
            """The columns of the unit of cell i (none for the city and other
            editions' cells: those are ranged over the year)."""
            if i >= len(cells) or cells.unit[i] == CITY_ID:
                return np.zeros(0, dtype=np.int64)
            return self._unit_columns(cells.unit[i])

        # every cell's respondents: an index's, and each index's behind a response
        # rate; those that move in integers on their own unit need no more
        asked = [
            (i, index)
            for i in check
            for index in (
                self.indices if self._cell(i)[0] == SURVEY_RESPONSE_RATE else [self._cell(i)[0]]
            )
            if not slices.moves(on_unit(i), self._respondents(index, self._cell(i)[1]))
        ]
        sums = [self._respondents(index, self._cell(i)[1]) for i, index in asked]
        truths = [
            float(cells.truth[i]) if i < len(cells) and index == cells.indicator[i] else None
            for i, index in asked
        ]
        failed: dict[int, tuple[float, float, set[int]]] = {}
        for (i, _index), (low, high, binding) in zip(
            asked, _ranges(model, sums, truths, self.whole), strict=True
        ):
            if high - low < MIN_RANGE - _TOL and i not in failed:
                kind, _atoms, unit = self._cell(i)
                failed[i] = (low, high, binding or self._partners(kind, unit, hidden))
        for i in check:
            kind, atoms, unit = self._cell(i)
            if i in failed or kind == SURVEY_RESPONSE_RATE:
                continue
            index = cells.shown[i] if i < len(cells) else float("nan")
            scores, respondents = self._scores(kind, atoms), self._respondents(kind, atoms)
            # An index is ranged over the linear relaxation, which holds the integer
            # range: a narrow one is a sure pin. (Taken whole, HiGHS' programmes of a
            # ratio are slow and not always answered.)
            known = not np.isnan(index)
            if known and (
                any(
                    slices.ratio_moves(free, scores, respondents, index)
                    for free in self._with_partners(on_unit(i), unit, kind)
                )
                or _ratio_moves(lp, scores, respondents, index)
            ):
                continue
            ends = _warm_ratio_range(lp, scores, respondents, index) if known else None
            least, largest = ends or _ratio_range(
                arrays, np.zeros(len(arrays[3])), scores, respondents
            )
            if largest - least < INDEX_POINTS - _TOL:
                failed[i] = (least, largest, self._partners(kind, unit, hidden))
        return [(i, *failed[i]) for i in check if i in failed]

    def _cell(self, i: int) -> tuple[str, list[int], str]:
        """(indicator, atoms, unit) of a cell of this edition or another's."""
        if i < len(self.cells):
            return self.cells.indicator[i], self.atoms[i], self.cells.unit[i]
        other = self.others[i - len(self.cells)]
        return other.indicator, other.atoms, other.unit

    def _partners(self, kind: str, unit: str, hidden: np.ndarray) -> set[int]:
        """This edition's published cells of the unit and of the city, of the same
        index or the response rate: hiding one of them lets a failing cell move."""
        cells = self.cells
        return {
            i
            for i in range(len(cells))
            if cells.unit[i] in (unit, CITY_ID)
            and cells.indicator[i] in (kind, SURVEY_RESPONSE_RATE)
            and not hidden[i]
            and self.atoms[i]
        }


def _atoms_by_unit(units: list[str], atoms: list[list[int]]) -> dict[str, list[int]]:
    """The atoms of each unit, from its cells' atoms."""
    found: dict[str, set[int]] = {}
    for unit, of_cell in zip(units, atoms, strict=True):
        found.setdefault(unit, set()).update(of_cell)
    return {unit: sorted(of_unit) for unit, of_unit in found.items()}


class _Slices:
    """Certificates on one unit at a time: the model with every column outside the
    unit held at a point of it (the delivered one), so that only the unit's rows and
    the city's (less what the other units give) remain, a programme of a few columns.
    Whatever moves there moves in the whole model, the same point outside the unit
    completing it: a cell shown wide on its unit needs no programme over the year,
    which grows with the square of the units. The point must be a whole point of the
    model (checked); where it is not, nothing is certified."""

    def __init__(self, arrays: tuple, point: np.ndarray | None, whole: np.ndarray):
        self.arrays, self.point, self.whole = arrays, point, whole
        self._cache: dict[bytes, tuple] = {}
        self._by_column = self._by_row = None  # the matrix as CSC and CSR, made once
        if point is not None and not _holds(arrays, point, whole):
            self.point = None

    def _of(self, free: np.ndarray, point: np.ndarray) -> tuple:
        key = free.tobytes()
        if key not in self._cache:
            if self._by_column is None:
                self._by_column, self._by_row = self.arrays[0].tocsc(), self.arrays[0].tocsr()
            sliced = _slice(self.arrays, free, point, self._by_column, self._by_row)
            try:
                lp = LinearProgramme(*sliced)
            except Inconsistent:  # pragma: no cover - the point holds every row
                lp = None
            place = {int(c): k for k, c in enumerate(free)}
            self._cache[key] = (sliced, lp, place)
        return self._cache[key]

    def moves(self, free: np.ndarray, objective: dict[int, float]) -> bool:
        """Does the sum range over MIN_RANGE in integers with only ``free`` moving?"""
        point = self.point
        if point is None or not objective.keys() <= set(free.tolist()):
            return False
        sliced, _lp, place = self._of(free, point)
        truth = float(sum(point[c] * w for c, w in objective.items()))
        local = {place[c]: w for c, w in objective.items()}
        try:
            return moves(sliced, local, truth, self.whole[free])[0]
        except Inconsistent:
            return False

    def ratio_moves(self, free: np.ndarray, scores: dict, respondents: dict, index: float) -> bool:
        """Does the index range over INDEX_POINTS with only ``free`` moving (over the
        linear relaxation: 5 points each way from ``index``, as :func:`_ratio_moves`,
        else its range, as :func:`_warm_ratio_range`)?"""
        if self.point is None or not {*scores, *respondents} <= set(free.tolist()):
            return False
        _sliced, lp, place = self._of(free, self.point)
        if lp is None:
            return False
        scores = {place[c]: w for c, w in scores.items()}
        respondents = {place[c]: w for c, w in respondents.items()}
        try:
            if _ratio_moves(lp, scores, respondents, index):
                return True
            ends = _warm_ratio_range(lp, scores, respondents, index)
        except Inconsistent:
            return False
        return ends is not None and ends[1] - ends[0] >= INDEX_POINTS - _TOL


def _holds(arrays: tuple, point: np.ndarray, whole: np.ndarray) -> bool:
    """Is ``point`` a point of the model, whole in the ``whole`` columns?"""
    matrix, row_low, row_high, low, high = arrays
    values = matrix @ point
    scale = 1e-7 * np.maximum(1.0, np.abs(values))
    return bool(
        np.all(values >= row_low - scale)
        and np.all(values <= row_high + scale)
        and np.all(point >= low - 1e-9)
        and np.all(point <= high + 1e-9)
        and np.all(np.abs(point - np.rint(point))[whole > 0] <= 1e-9)
    )


def _slice(
    arrays: tuple, free: np.ndarray, point: np.ndarray, by_column=None, by_row=None
) -> tuple:
    """The model over the ``free`` columns, every other column held at ``point``: the
    rows that touch a free column, their bounds less what the held columns give
    (``by_column``, ``by_row``: the matrix as CSC and CSR, where the caller has them)."""
    matrix, row_low, row_high, low, high = arrays
    by_column = matrix.tocsc() if by_column is None else by_column
    by_row = matrix.tocsr() if by_row is None else by_row
    touched = np.unique(by_column[:, free].tocoo().row)
    rows = by_row[touched]
    held = point.copy()
    held[free] = 0.0
    given = rows @ held
    return (
        rows.tocsc()[:, free],
        row_low[touched] - given,
        row_high[touched] - given,
        low[free],
        high[free],
    )


def _with_row(arrays: tuple, row: dict[int, float], low: float, high: float) -> tuple:
    """The model with one more ranged row."""
    from scipy import sparse

    matrix, row_low, row_high, col_low, col_high = arrays
    extra = np.zeros(len(col_low))
    for column, coefficient in row.items():
        extra[column] = coefficient
    stacked = sparse.vstack([matrix, sparse.csr_array(extra.reshape(1, -1))]).tocsr()
    return stacked, np.append(row_low, low), np.append(row_high, high), col_low, col_high


def _integer_point(
    arrays: tuple, integral: np.ndarray, cost: np.ndarray | None = None
) -> np.ndarray | None:
    """A point of the model whole in the ``integral`` columns (the least ``cost`` one
    where given), or None (none, or none found in time)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    matrix, row_low, row_high, low, high = arrays
    solved = milp(
        np.zeros(len(low)) if cost is None else cost,
        constraints=[LinearConstraint(matrix, row_low, row_high)],
        integrality=integral,
        bounds=Bounds(low, high),
        options={"time_limit": 20},
    )
    return None if solved.x is None else np.where(integral > 0, np.rint(solved.x), solved.x)


def _ratio_moves(lp: LinearProgramme, scores: dict, respondents: dict, index: float) -> bool:
    """Are there points of the linear relaxation with the index above ``index`` +
    INDEX_POINTS / 2 and below ``index`` - INDEX_POINTS / 2? Then it ranges over
    INDEX_POINTS. A point where S - c R > 0 has respondents (S <= 100 R) and an index
    above c: one warm linear programme per side, no row added."""
    columns = np.array(sorted([*scores, *respondents]), dtype=np.int32)
    for sign in (1.0, -1.0):
        bound = index + sign * INDEX_POINTS / 2
        costs = np.array([1.0 if c in scores else -bound for c in columns])
        outcome = lp.solve(columns, sign > 0, costs)
        if outcome is None:  # unbounded: S - c R grows past any value
            continue
        if sign * outcome[0] <= 1e-7:
            return False
    return True


def _ratio_range(
    arrays: tuple, integral: np.ndarray, scores: dict, respondents: dict
) -> tuple[float, float]:
    """Least and largest index S / R over the integer points with R >= 1 (Dinkelbach's
    method: each step an integer programme of S - lambda R); (0, 0) where no point has
    a respondent."""
    # at least one respondent, and a bound no cell reaches, as S - lambda R is
    # unbounded where the respondents are (the ratio is not)
    arrays = _with_row(arrays, respondents, 1.0, MOST_RESPONDENTS)
    n = len(arrays[3])
    s_vec, r_vec = np.zeros(n), np.zeros(n)
    for column in scores:
        s_vec[column] = 1.0
    for column in respondents:
        r_vec[column] = 1.0
    start = _integer_point(arrays, integral)
    if start is None:
        return 0.0, 0.0
    ends = []
    for sign in (-1.0, 1.0):  # least, then largest
        ratio = float(s_vec @ start / (r_vec @ start))
        for _step in range(50):
            point = _integer_point(arrays, integral, -sign * (s_vec - ratio * r_vec))
            if point is None:
                return 0.0, 0.0  # no answer in time: not shown to be wide
            gain = sign * float(s_vec @ point - ratio * (r_vec @ point))
            if gain <= 1e-9:
                break
            ratio = float(s_vec @ point / (r_vec @ point))
        ends.append(ratio)
    return ends[0], ends[1]


def _warm_ratio_range(
    lp: LinearProgramme, scores: dict, respondents: dict, index: float
) -> tuple[float, float] | None:
    """Least and largest index S / R over the linear relaxation by Dinkelbach's
    method on the warm programme, from the shown ``index`` less or more half its last
    decimal (reached by the truth, so an end is never overstated); None where a step
    is unbounded."""
    columns = np.array(sorted([*scores, *respondents]), dtype=np.int32)
    is_score = np.array([c in scores for c in columns])
    half = 0.5 * 10.0 ** -(published_decimals(f"{SURVEY_PREFIX}index") or 1)
    ends = []
    for sign in (-1.0, 1.0):  # least, then largest
        ratio = index - sign * half
        for _step in range(50):
            outcome = lp.solve(columns, sign > 0, np.where(is_score, 1.0, -ratio))
            if outcome is None:
                return None
            if sign * outcome[0] <= 1e-9:
                break
            point = lp.last_point
            answered = float(point[columns[~is_score]].sum())
            if answered <= 1e-12:
                return None
            ratio = float(point[columns[is_score]].sum()) / answered
        ends.append(ratio)
    return ends[0], ends[1]


class EditionAtoms:
    """Atoms of one edition alone: its units (and, where the unit history has any,
    one for the units closed without a successor, which only the city counts) x the
    two occupations, numbered as :class:`uppfoljning.disclosure.Atoms` numbers source
    units."""

    def __init__(self, units: list[str], closed: bool = True):
        self.units = {u: k for k, u in enumerate(units)}
        # the last: units closed without successor, where the unit history has any
        self.n_units = len(units) + int(closed)

    def __len__(self) -> int:
        return 2 * self.n_units

    def of(self, edition: int, unit_id: str, occupation: str) -> list[int] | None:
        places = (
            range(self.n_units)
            if unit_id == CITY_ID
            else [self.units[unit_id]]
            if unit_id in self.units
            else None
        )
        if places is None:
            return None
        parts = {SS: (0,), BH: (1,), ALL: (0, 1)}.get(occupation)
        if parts is None:
            return None
        return [2 * p + k for p in places for k in parts]


def _units_of(atoms: list[int]) -> list[int]:
    """The source units of atoms numbered unit x (socialsekreterare,
    biståndshandläggare), as :class:`uppfoljning.disclosure.Atoms` numbers them."""
    return sorted({a // 2 for a in atoms})


# ---------------------------------------------------------------------------
# Protecting one family of one year


def _protect_family(
    family: Family,
    audit,
    year: int,
    units: list[str],
    fixed_on: np.ndarray,
    fixed_off: np.ndarray,
    given_away: list[str],
    public: np.ndarray | None = None,
) -> tuple[np.ndarray, int, int]:
    """(hidden after protection, cells audited, rounds): the pattern of the family,
    audited, with cuts until every hidden cell ranges over MIN_RANGE persons. A
    ``fixed_off`` cell is never hidden (one without data is published empty, one
    another edition published is public); a ``fixed_on`` one always (another edition
    hid it). Another edition's hidden cell that only its own published cells pin is
    reported in ``given_away``."""
    others = [o for o in audit.others if o.hidden]
    n = len(family)
    start = family.hidden | fixed_on
    must = start.copy()  # hidden whatever the pattern: by rule, tied, or elsewhere
    fixed_off = fixed_off.copy()
    if not start.any() and not others:
        return start, 0, 0
    equations = relations(family.frame(), units) if audit.additive else []
    lower = np.zeros(n)
    weight = family.weights()
    cuts: list[list[int]] = []
    rounds = 0
    hidden = start
    passed = np.zeros(n + len(audit.others), bool)
    passed[n:] = [not o.hidden for o in audit.others]
    if public is not None:  # another edition published the same figure
        passed[:n] = public
    while True:
        rounds += 1
        pattern = solve_pattern(
            family.truth.astype(float), lower, weight, start, fixed_off, equations, cuts
        )
        if pattern is None:
            i = int(np.flatnonzero(start)[0])
            raise PatternError(
                f"disclosure control: no pattern protects the persons "
                f"behind {family.name_of(i, year)}"
            )
        # Hiding more only widens ranges: what passed stays passed as long as every cell
        # hidden now stays hidden, so the next round keeps them and checks only the
        # cells that failed and the cells it adds.
        known = np.concatenate([pattern, np.ones(len(audit.others), bool)])
        check = np.flatnonzero(known & ~passed).tolist()
        hidden = pattern
        failing = audit.failing(hidden, check)
        passed[check] = True
        if not failing:
            return hidden, int(hidden.sum()) + len(others), rounds
        start = hidden.copy()
        new_cuts = 0
        for i, low, high, binding in failing:
            cut = sorted(j for j in binding if j < n and not hidden[j] and not fixed_off[j])
            if not cut and i < n:
                # nothing named binds it (what the published rules say of hidden cells
                # pins it): one more of the year's published cells, the cheapest
                cut = sorted(j for j in range(n) if not hidden[j] and not fixed_off[j])
            if cut:
                cuts.append(cut)
                new_cuts += 1
                passed[i] = False
            elif i >= n:  # only what must stay published pins it: not this edition's
                given_away.append(
                    f"{audit.others[i - n].name(year)} lies between "
                    f"{low:g} and {high:g} given what other editions published"
                )
            elif not must[i]:
                # hidden only as protection, and what other editions published pins it:
                # it protects nothing, so it is published (it is public already)
                fixed_off[i], start[i] = True, False
                cuts = without_cell(cuts, i)
                new_cuts += 1
            elif audit.others:
                given_away.append(
                    f"{family.name_of(i, year)} lies between {low:g} and {high:g} "
                    "given what other editions published"
                )
            else:
                raise PatternError(
                    f"disclosure control: no pattern protects the persons behind "
                    f"{family.name_of(i, year)} (they lie between {low:g} and {high:g})"
                )
        if not new_cuts:
            return hidden, int(hidden.sum()) + len(others), rounds


def protect_persons(
    results: pd.DataFrame,
    reasons: pd.Series,
    min_n: int,
    units: list[str],
    primary: Sequence[str],
    edition: int,
    atoms_for,
    archive: Sequence[tuple[int, pd.DataFrame]] = (),
    given_away: list[str] | None = None,
    notes: list[str] | None = None,
) -> tuple[list, int, int]:
    """Index labels of the further cells to hide so that the leavers behind every hidden
    turnover rate, the interviews behind every hidden exit-reason share and the
    respondents behind every hidden survey value (of this edition and of the other
    editions in ``archive``) range over at least MIN_RANGE persons, and every hidden
    survey index over INDEX_POINTS; with the number of cells audited and of rounds.
    ``atoms_for(year)`` gives the atoms of a year (``len`` and ``of(edition, unit,
    occupation)``). Raises :class:`PatternError` naming a cell nothing can protect."""
    added: list = []
    audited = rounds = 0
    given_away = given_away if given_away is not None else []
    notes = notes if notes is not None else []
    indicator = results["indicator"].astype(str)
    masks = {name: indicator.map(wanted).to_numpy(dtype=bool) for name, wanted in FAMILIES.items()}
    heads = results[indicator == HEADCOUNT]
    for year in sorted(results["year"].unique()):
        year = int(year)
        in_year = (results["year"] == year).to_numpy()
        for name, wanted in FAMILIES.items():
            rows = results[in_year & masks[name]]
            if not len(rows):
                continue
            atoms = atoms_for(year)
            others = other_cells(archive, atoms, year, wanted)
            if not others:  # this edition alone: its units are the finest level needed
                covered = {a for u in units for a in (atoms.of(edition, u, ALL) or [])}
                closed = bool(set(atoms.of(edition, CITY_ID, ALL) or []) - covered)
                atoms = EditionAtoms(units, closed)
            if not (reasons.loc[rows.index] != "").any() and not any(o.hidden for o in others):
                continue
            try:
                hidden, family, n, k = _protect_year(
                    name,
                    rows,
                    reasons,
                    heads,
                    year,
                    atoms,
                    others,
                    units,
                    primary,
                    edition,
                    min_n,
                    given_away,
                )
            except Inconsistent:
                # another edition's figures of the year are of a revised delivery: they
                # cannot be combined with these, and this edition is protected alone
                notes.append(
                    f"{year}: other editions' {name} figures do not agree with "
                    "this delivery (revised) and were left out of the audit"
                )
                hidden, family, n, k = _protect_year(
                    name,
                    rows,
                    reasons,
                    heads,
                    year,
                    atoms,
                    [],
                    units,
                    primary,
                    edition,
                    min_n,
                    given_away,
                )
            added += [family.labels[i] for i in np.flatnonzero(hidden & ~family.hidden)]
            audited, rounds = audited + n, rounds + k
    return added, audited, rounds


def _protect_year(
    name: str,
    rows: pd.DataFrame,
    reasons: pd.Series,
    heads: pd.DataFrame,
    year: int,
    atoms,
    others: list[Other],
    units: list[str],
    primary: Sequence[str],
    edition: int,
    min_n: int,
    given_away: list[str],
) -> tuple[np.ndarray, Family, int, int]:
    """One family of one year: (hidden, the family, cells audited, rounds)."""
    base = rows["base"].astype("float64").fillna(0.0).to_numpy()
    if name == "leavers":
        family = _family(name, rows, reasons, _leavers(rows), base, primary)
        h = heads[heads["year"] == year]
        shown = {
            (str(u), str(o)): round_published(float(v), 0)
            for u, o, v in zip(
                h["unit_id"], h["occupation"], h["value"].astype("float64").fillna(0.0), strict=True
            )
        }
        audit: _Leavers | _Exits | _Survey = _Leavers(family, shown, atoms, edition, others)
    elif name == "survey":
        family = _family(name, rows, reasons, _survey_respondents(rows), base, primary)
        values = rows["value"].astype("float64").to_numpy()
        audit = _Survey(family, atoms, edition, min_n, others, values)
    else:
        truth = rows["count"].astype("float64").fillna(0.0).to_numpy()
        family = _family(name, rows, reasons, truth, base, primary)
        audit = _Exits(family, atoms, edition, min_n, others)
    fixed_on, fixed_off, public = _fixed(family, audit, others)
    if name == "survey":
        # an index published empty tells that nobody answered: beside a hidden response
        # rate it is hidden too, and any other may be hidden to protect (a zero)
        fixed_on |= _empty_beside_hidden_rates(family, base)
    else:
        fixed_off |= base <= 0
    hidden, n, k = _protect_family(
        family, audit, year, units, fixed_on, fixed_off, given_away, public
    )
    return hidden, family, n, k


def _survey_respondents(rows: pd.DataFrame) -> np.ndarray:
    """The respondents behind each survey cell: an index's base, and for a response
    rate the most respondents of any index of its unit and occupation."""
    key = [rows["unit_id"].astype(str), rows["occupation"].astype(str)]
    base = rows["base"].astype("float64").fillna(0.0)
    index = (rows["indicator"] != SURVEY_RESPONSE_RATE).to_numpy()
    most = base[index].groupby([k[index] for k in key]).max()
    answered = pd.Series(
        [most.get((u, o), 0.0) for u, o in zip(key[0], key[1], strict=True)], index=rows.index
    )
    return np.where(index, base, answered.to_numpy())


def _empty_beside_hidden_rates(family: Family, base: np.ndarray) -> np.ndarray:
    """Survey indices published empty (nobody answered) beside a hidden response rate
    of the same unit and occupation."""
    hidden_rates = {
        (family.unit[i], family.occupation[i])
        for i in np.flatnonzero(family.hidden)
        if family.indicator[i] == SURVEY_RESPONSE_RATE
    }
    return np.array(
        [
            family.indicator[i] != SURVEY_RESPONSE_RATE
            and base[i] <= 0
            and (family.unit[i], family.occupation[i]) in hidden_rates
            for i in range(len(family))
        ],
        dtype=bool,
    )


def _fixed(family: Family, audit, others: list[Other]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """This edition's cells another edition hid (hidden again), published with the
    same figure (public already, never hidden as protection), and hidden here though
    another edition published the same figure (public: nothing to audit)."""
    n = len(family)
    fixed_on, fixed_off, public = np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, bool)
    by_key = {(o.indicator, tuple(sorted(o.atoms))): o for o in others}
    for i in range(n):
        other = by_key.get((family.indicator[i], tuple(sorted(audit.atoms[i]))))
        if other is None:
            continue
        if other.hidden:
            fixed_on[i] = True
        elif (
            not np.isnan(other.shown)
            and not np.isnan(family.shown[i])
            and abs(other.shown - family.shown[i]) <= _TOL
        ):
            fixed_off[i] = not family.hidden[i]
            public[i] = family.hidden[i]
    return fixed_on, fixed_off, public


def _leavers(rows: pd.DataFrame) -> np.ndarray:
    """The leavers behind each turnover cell: its ``count``, else rate x headcount."""
    value = rows["value"].astype("float64").fillna(0.0) * rows["base"].astype("float64")
    counted = rows["count"].astype("float64") if "count" in rows else value * np.nan
    return np.rint(counted.fillna(value).fillna(0.0)).to_numpy()


def audit_persons(
    archive: Sequence[tuple[int, pd.DataFrame]],
    atoms_for,
    min_n: int,
) -> tuple[dict[int, int], list[tuple[Other, int, float, float]], list[str]]:
    """Audit published tables as a reader would, from nothing but what they publish:
    (hidden turnover rates and exit shares audited, per edition; each one whose leavers or
    interviews giving the reason range over less than MIN_RANGE, as (cell, year,
    least, largest); notes)."""
    years = sorted({int(y) for _e, table in archive for y in table["year"].unique()})
    audited: dict[int, int] = {}
    findings: list[tuple[Other, int, float, float]] = []
    notes: list[str] = []
    for year in years:
        atoms = atoms_for(year)
        for name, wanted in FAMILIES.items():
            others = other_cells(archive, atoms, year, wanted)
            if not any(o.hidden for o in others):
                continue
            try:
                found = _audit_family(name, others, atoms, min_n)
            except Inconsistent:  # editions of different deliveries: each on its own
                notes.append(
                    f"{year}: the editions' {name} figures disagree (a revised "
                    "delivery); each edition audited on its own"
                )
                found = [
                    f
                    for edition, _table in archive
                    for f in _audit_family(
                        name, [o for o in others if o.edition == edition], atoms, min_n
                    )
                ]
            for other in others:
                if other.hidden:
                    audited[other.edition] = audited.get(other.edition, 0) + 1
            findings += [(other, year, low, high) for other, low, high in found]
    return audited, findings, notes


def _audit_family(
    name: str,
    others: list[Other],
    atoms,
    min_n: int,
) -> list[tuple[Other, float, float]]:
    nothing = np.zeros(0)
    empty = Family(
        name, [], [], [], [], nothing, nothing, nothing, np.zeros(0, bool), np.zeros(0, bool)
    )
    audit = (
        _Leavers(empty, {}, atoms, 0, others)
        if name == "leavers"
        else _Survey(empty, atoms, 0, min_n, others)
        if name == "survey"
        else _Exits(empty, atoms, 0, min_n, others)
    )
    check = [i for i, o in enumerate(others) if o.hidden]
    return [
        (others[i], low, high) for i, low, high, _binding in audit.failing(np.zeros(0, bool), check)
    ]
