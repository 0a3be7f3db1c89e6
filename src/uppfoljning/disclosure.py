"""Disclosure control (röjandekontroll): the one place an edition's suppression pattern
is decided (indicators.md, *Disclosure control*).

:func:`protect` takes the whole table of cells of an edition (every unit, the city,
every occupation, year and indicator, unsuppressed, with the ``base`` each rule looks
at) plus the cells published by the other editions in the same archive, and returns
the pattern: which cells are hidden and why. Everything displayed reads its result.

1. **Primary suppression**: a cell that is small by itself (:func:`primary_reasons`).
2. **Secondary suppression**: extra cells hidden so that no hidden cell can be worked
   out from published ones. Only headcount (``H``) and incidents (``I``) are published
   as counts; every rate on them is hidden together with its count
   (:data:`TIED`), so protecting the count protects its rates' denominator
   (turnover) or numerator (incidents per 100). The other rates, means and shares have
   neither numerator nor denominator published anywhere, so no published relation can
   pin them and primary suppression is all they need.
   The cells to hide are chosen per year by a mixed-integer model (HiGHS through
   :func:`scipy.optimize.milp`): no relation may contain exactly one hidden cell, the
   hidden cells of a relation must leave room for 2 persons, small unit cells are
   cheaper to hide than ``alla`` and city cells, zeros and cells another edition
   published are never hidden. The pattern is then audited (step 3); a hidden cell
   that fails adds a constraint (hide one more of its neighbours) and the model is
   solved again, until the audit passes.
3. **Audit** (:func:`audit_year`): for every hidden count, the least and the largest
   value that agree with everything published (linear programming over the source
   units and occupations, so `alla` = the two occupations, the city = its units and a
   restated unit = its predecessors hold by construction; ``H`` <= ``H_all``; zeros
   published so a hidden count is at least 1) must be at least 2 persons apart.
"""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .catalog import (
    ALL,
    BASE,
    BH,
    BY_OCCUPATION,
    COUNT,
    EXIT_SHARE_PREFIX,
    OCCUPATION_PARTS,
    SS,
    SURVEY_RESPONSE_RATE,
    is_survey_index,
    published_decimals,
    tied_rates,
)
from .catalog import indicator as catalog_indicator
from .errors import UppfoljningError
from .formatting import round_published
from .persons import (
    INDEX_POINTS,
    MIN_RANGE,
    WEIGHT_ALL,
    WEIGHT_CITY,
    LinearProgramme,
    PatternError,
    audit_persons,
    protect_persons,
    without_cell,
)
from .persons import Inconsistent as PersonsInconsistent
from .persons import relations as _equations
from .persons import solve_pattern as _solve_pattern
from .units import CITY_ID, UnitRegistry

HEADCOUNT, INCIDENTS, INCIDENTS_PER_100 = "headcount", "incidents", "incidents_per_100"
# Rates hidden whenever the count they are computed on is hidden (the catalogue's).
TIED = tied_rates()
PROTECTED_COUNTS = (HEADCOUNT, INCIDENTS)
_TOL = 1e-6

# Reasons (column ``reason``); Swedish wording for readers lives in labels.
PRIMARY = "primary"  # the cell's own base is above 0 and below min_n
PRIMARY_SHARE = "primary_share"  # exit-reason share given by 1..min_n-1 or by everyone
SECONDARY = "secondary"  # hidden so that another hidden cell cannot be worked out
TIED_REASON = "tied"  # a rate hidden with the count it is computed on
_KEY = ["year", "unit_id", "occupation"]


class DisclosureError(UppfoljningError):
    """The suppression pattern fails its own audit; nothing is published."""


class _Inconsistent(DisclosureError):
    """The published figures of a year contradict each other (another edition's are of
    a revised delivery)."""


@dataclass(frozen=True)
class PublishedEdition:
    """The published table (``indikatorer.csv``) of another edition in the archive."""

    edition: int
    table: pd.DataFrame  # columns of indikatorer.csv
    digest: str = ""  # of the file as published (cache keys)


PUBLISHED_TABLE = Path("data") / "indikatorer.csv"  # inside an edition folder


def read_archive(out_dir: Path | str, exclude: int | None = None) -> list[PublishedEdition]:
    """The published tables of the editions in ``out_dir`` (``OUT/<year>/data/
    indikatorer.csv``), oldest first, except ``exclude``."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return []
    found = []
    for folder in sorted(out_dir.iterdir()):
        path = folder / PUBLISHED_TABLE
        if not (folder.name.isdigit() and len(folder.name) == 4 and path.is_file()):
            continue
        if exclude is not None and int(folder.name) == exclude:
            continue
        found.append(published_edition(int(folder.name), path.read_bytes()))
    return found


def published_edition(edition: int, data: bytes) -> PublishedEdition:
    """An edition's published table from the bytes of its ``indikatorer.csv`` (read
    from ``OUT``, or about to be written there by the same run)."""
    table = pd.read_csv(
        io.BytesIO(data),
        dtype={"unit_id": str, "occupation": str, "indicator": str, "suppressed": str},
    )
    return PublishedEdition(edition, table, hashlib.sha256(data).hexdigest())


@dataclass
class Summary:
    primary: int = 0
    secondary: int = 0
    tied: int = 0
    audited: int = 0
    archive_editions: tuple[int, ...] = ()
    seconds: float = 0.0
    mip_rounds: int = 0
    skipped_archive: list[str] = field(default_factory=list)
    given_away: list[str] = field(default_factory=list)  # by other editions, not this one

    def line(self) -> str:
        archive = (
            f"; other editions taken into account: {', '.join(map(str, self.archive_editions))}"
            if self.archive_editions
            else ""
        )
        revised = "".join(f"\n  {note}" for note in self.skipped_archive)
        revised += "".join(
            f"\n  already given away by other editions: {note}" for note in self.given_away
        )
        return (
            f"disclosure control: {self.primary} cells hidden as small, "
            f"{self.secondary} as protection (+{self.tied} rates with their counts); "
            f"audit of {self.audited} hidden counts passed{archive} "
            f"({self.seconds:.1f} s){revised}"
        )


# ---------------------------------------------------------------------------
# Primary suppression


def primary_reasons(results: pd.DataFrame, min_n: int) -> pd.Series:
    """Reason of each cell that is small by itself ('' when it is not).

    - rules ``count`` and ``base``: the base (the persons or events behind the value)
      is above 0 and below ``min_n``;
    - an exit-reason share whose number of interviews giving the reason (``count``) is
      above 0 and below ``min_n``, or equals every interview.
    """
    base = results["base"].astype("float64").fillna(0.0)
    small = (base > 0) & (base < min_n) & results["rule"].isin([COUNT, BASE])
    reasons = pd.Series(np.where(small, PRIMARY, ""), index=results.index, dtype=object)
    if "count" in results:
        count = results["count"].astype("float64")
        share = results["indicator"].astype(str).str.startswith(EXIT_SHARE_PREFIX)
        telling = share & (((count > 0) & (count < min_n)) | ((count > 0) & (count == base)))
        reasons = reasons.where(~(telling & (reasons == "")), PRIMARY_SHARE)
    return reasons


# ---------------------------------------------------------------------------
# Atoms: source unit x occupation, the finest level every published count sums over


class Atoms:
    """Source units valid in ``year`` x the two occupations; every published count of
    any edition is a sum over a set of atoms."""

    def __init__(
        self,
        registry: UnitRegistry,
        year: int,
        edition_maps: dict[int, dict[str, str]] | None = None,
    ):
        frame = registry.frame
        start = pd.Timestamp(year=year, month=1, day=1)
        end = pd.Timestamp(year=year, month=12, day=31)
        valid = frame[
            (frame["valid_from"] <= end) & (frame["valid_to"].isna() | (frame["valid_to"] >= start))
        ]
        self.units = sorted(valid["unit_id"].astype(str))
        self.index = {
            (u, o): i for i, (u, o) in enumerate((u, o) for u in self.units for o in (SS, BH))
        }
        self.registry = registry
        self._valid = set(self.units)
        self._maps: dict[int, dict[str, list[str]]] = {}
        # edition -> (source unit -> edition unit), shared between years
        self._edition_maps = edition_maps if edition_maps is not None else {}

    def __len__(self) -> int:
        return len(self.index)

    def _members(self, edition: int) -> dict[str, list[str]]:
        """Edition unit -> its source units valid in the year (every edition unit a
        key, possibly with no source unit)."""
        if edition not in self._maps:
            if edition not in self._edition_maps:
                self._edition_maps[edition] = self.registry.edition_map(edition)
            mapping = self._edition_maps[edition]
            members: dict[str, list[str]] = {u: [] for u in set(mapping.values())}
            for src, target in mapping.items():
                if src in self._valid:
                    members.setdefault(target, []).append(src)
            self._maps[edition] = members
        return self._maps[edition]

    def of(self, edition: int, unit_id: str, occupation: str) -> list[int] | None:
        """Atoms of one cell of ``edition``; None when the unit is not one of its units."""
        if unit_id == CITY_ID:
            sources = self.units
        else:
            members = self._members(edition)
            if unit_id not in members:  # not a unit of that edition
                return None
            sources = members[unit_id]
        parts = OCCUPATION_PARTS.get(occupation)
        if parts is None:
            return None
        return [self.index[(s, o)] for s in sources for o in parts]


# ---------------------------------------------------------------------------
# The audit: a linear programme per year


@dataclass
class _Cell:
    """One count cell of one edition, as a sum over atoms."""

    edition: int
    unit_id: str
    occupation: str
    indicator: str  # headcount or incidents
    atoms: list[int]
    value: float | None  # the published (rounded) value
    hidden: bool
    lower: float = 0.0  # least value a reader knows a hidden count has
    half: float = 0.0  # the published value stands for [value - half, value + top]
    top: float = 0.0  # (its rounding, half up: a mean headcount of 12 months shown
    #                   as 20 is one of 19.5, 19 7/12 ... 20 5/12)

    @property
    def key(self) -> tuple:
        """What the cell counts, whichever edition shows it: indicator and atoms."""
        return (self.indicator, tuple(sorted(self.atoms)))


@dataclass
class _Rate:
    """A published incidents_per_100: 100 I - p H_all = 0 over the same atoms."""

    atoms: list[int]
    value: float | None  # None: published empty (H_all = 0)
    count: int | None = None  # this edition's incidents cell it is shown with
    half: float = 0.0  # the published rate stands for value +- half (its rounding)


@dataclass
class Range:
    """Least and largest value of a hidden cell, and the published cells (positions
    in :attr:`YearModel.cells`) that bound it."""

    low: float
    high: float
    binding: set[int]

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass
class YearModel:
    """What a reader knows of one year: published counts and rates of every edition."""

    year: int
    n_atoms: int
    cells: list[_Cell]
    rates: list[_Rate]

    def _system(self, hidden: set[int]):
        """The rows each published figure gives over the variables [H, H_all, I] x
        atoms (a range: the interval the figure's rounding allows), the cell each of
        them publishes, and the inequality rows every reader knows."""
        n = self.n_atoms
        offset = {HEADCOUNT: 0, "H_all": n, INCIDENTS: 2 * n}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        low: list[float] = []
        high: list[float] = []
        owner: list[int | None] = []
        for i, cell in enumerate(self.cells):
            if i in hidden or cell.value is None:
                continue
            r = len(low)
            rows.extend([r] * len(cell.atoms))
            cols.extend(offset[cell.indicator] + a for a in cell.atoms)
            vals.extend([1.0] * len(cell.atoms))
            low.append(float(cell.value) - cell.half)
            high.append(float(cell.value) + cell.top)
            owner.append(i)
        for rate in self.rates:
            if rate.count is not None and rate.count in hidden:
                continue  # hidden with its count
            # 100 I - p H_all = 0 for the shown p; rounded, p lies in [p - h, p + h]:
            # 100 I - (p + h) H_all <= 0 <= 100 I - (p - h) H_all
            ends = (
                [(None, 0.0, 0.0)]
                if rate.value is None
                else [
                    (float(rate.value) + rate.half, -np.inf, 0.0),
                    (float(rate.value) - rate.half, 0.0, np.inf),
                ]
                if rate.half > 0
                else [(float(rate.value), 0.0, 0.0)]
            )
            for p, row_low, row_high in ends:
                r = len(low)
                for a in rate.atoms:
                    if p is None:
                        rows.append(r)
                        cols.append(offset["H_all"] + a)
                        vals.append(1.0)
                    else:
                        rows.extend([r, r])
                        cols.extend([offset[INCIDENTS] + a, offset["H_all"] + a])
                        vals.extend([100.0, -p])
                low.append(row_low)
                high.append(row_high)
                owner.append(rate.count)
        from scipy import sparse

        a_eq = sparse.csr_array((vals, (rows, cols)), shape=(len(low), 3 * n))
        # H <= H_all per atom; hidden counts at least their known lower bound.
        up_rows = list(range(n)) * 2
        up_cols = list(range(n)) + [n + a for a in range(n)]
        up_vals = [1.0] * n + [-1.0] * n
        up_rhs = [0.0] * n
        for i in sorted(hidden):
            cell = self.cells[i]
            if cell.lower <= 0:
                continue
            k = len(up_rhs)
            up_rows.extend([k] * len(cell.atoms))
            up_cols.extend(offset[cell.indicator] + a for a in cell.atoms)
            up_vals.extend([-1.0] * len(cell.atoms))
            up_rhs.append(-cell.lower)
        a_ub = sparse.csr_array((up_vals, (up_rows, up_cols)), shape=(len(up_rhs), 3 * n))
        return a_eq, (np.array(low), np.array(high)), a_ub, np.array(up_rhs), offset, owner

    def hidden(self) -> set[int]:
        return {i for i, c in enumerate(self.cells) if c.hidden}

    def ranges(self) -> dict[int, Range]:
        """The :class:`Range` of every hidden cell given what is published: two linear
        programmes per cell on one HiGHS model, only the objective changing between
        them (so each solve starts from the last basis). Cells of the same measure and
        units (one figure as each edition of the archive published it) share one pair
        of programmes: their objective is the same sum of columns."""
        hidden = self.hidden()
        a_eq, b_eq, a_ub, b_ub, offset, owner = self._system(hidden)
        solver = _LinearProgramme(a_eq, b_eq, a_ub, b_ub)
        result: dict[int, Range] = {}
        solved: dict[tuple[int, ...], Range] = {}
        for i in sorted(hidden):
            cell = self.cells[i]
            if not cell.atoms:
                continue
            same = tuple(sorted(offset[cell.indicator] + a for a in cell.atoms))
            if same in solved:
                result[i] = solved[same]
                continue
            columns = np.array(same)
            ends: list[float] = []
            binding: set[int] = set()
            for maximise in (False, True):
                outcome = solver.solve(columns, maximise)
                if outcome is None:  # unbounded: only the largest value can be
                    ends.append(np.inf)
                    continue
                value, duals, _col_duals = outcome
                ends.append(value)
                binding.update(
                    owner[r] for r in np.flatnonzero(np.abs(duals) > 1e-9) if owner[r] is not None
                )
            result[i] = solved[same] = Range(ends[0], ends[1], binding)
        return result


class _LinearProgramme(LinearProgramme):
    """min or max of a sum of columns subject to ``low <= a_eq x <= high`` (``b_eq`` =
    (low, high)), ``a_ub x <= b_ub``, ``x >= 0``, on one HiGHS instance kept between
    objectives."""

    def __init__(self, a_eq, b_eq: tuple[np.ndarray, np.ndarray], a_ub, b_ub: np.ndarray):
        from scipy import sparse

        eq_low, eq_high = b_eq
        self.n_eq = len(eq_low)
        super().__init__(
            sparse.vstack([a_eq, a_ub]),
            np.concatenate([eq_low, np.full(len(b_ub), -np.inf)]),
            np.concatenate([eq_high, b_ub]),
        )

    def solve(
        self, columns: np.ndarray, maximise: bool, costs: np.ndarray | None = None
    ) -> tuple[float, np.ndarray, np.ndarray] | None:
        """(optimum, duals of the equality rows, column duals), or None when
        unbounded."""
        try:
            outcome = super().solve(columns, maximise, costs)
        except PersonsInconsistent as exc:
            raise _Inconsistent(str(exc)) from None
        if outcome is None:
            return None
        value, row_duals, col_duals = outcome
        return value, row_duals[: self.n_eq], col_duals


# ---------------------------------------------------------------------------
# Building the model of one year


def _archive_cells(
    archive: Sequence[PublishedEdition],
    atoms: Atoms,
    year: int,
) -> tuple[list[_Cell], list[_Rate]]:
    cells, rates = [], []
    for published in archive:
        table = published.table
        rows = table[
            (table["year"].astype(int) == year)
            & table["indicator"].isin([HEADCOUNT, INCIDENTS, INCIDENTS_PER_100])
        ]
        for row in rows.itertuples(index=False):
            ids = atoms.of(published.edition, str(row.unit_id), str(row.occupation))
            if ids is None:
                continue
            suppressed = _truthy(row.suppressed)
            value = None if pd.isna(row.value) else float(row.value)
            half = 0.0 if value is None else _printed_half(str(row.indicator), value)
            if row.indicator == INCIDENTS_PER_100:
                if not suppressed:
                    rates.append(_Rate(ids, value, half=half))
                continue
            cells.append(
                _Cell(
                    published.edition,
                    str(row.unit_id),
                    str(row.occupation),
                    str(row.indicator),
                    ids,
                    value,
                    suppressed,
                    half=half,
                    top=_top(str(row.indicator), half),
                )
            )
    return cells, rates


def _published(indicator: str, value: float) -> tuple[float, float]:
    """A value of this edition as it is published (rounded as displayed) and the
    half-width of the interval its rounding allows (0 for a whole count)."""
    decimals = published_decimals(indicator)
    if decimals is None:
        return value, 0.0
    shown = round_published(value, decimals)
    return shown, 0.0 if catalog_indicator(indicator).whole else 0.5 * 10.0**-decimals


def _top(indicator: str, half: float) -> float:
    """How far above the shown value the truth can lie: rounding half up leaves the
    upper end out, and a mean headcount over 12 month-ends moves in twelfths."""
    return half - 1.0 / 12 if indicator == HEADCOUNT and half >= 0.5 else half


def _printed_half(indicator: str, value: float) -> float:
    """Half-width of the interval a value read from a published table stands for: its
    rounding as displayed, or 0 where the file prints it at more precision than that
    (a table published before values were rounded: the value is exact)."""
    shown, half = _published(indicator, value)
    return half if abs(shown - value) <= 1e-12 * max(1.0, abs(value)) else 0.0


def _same_published(indicator: str, current: float, published: float) -> bool:
    """This edition's value and another edition's published one are the same figure:
    equal once both are rounded as displayed."""
    decimals = published_decimals(indicator)
    if decimals is None:
        return abs(current - published) <= _TOL
    return abs(round_published(current, decimals) - round_published(published, decimals)) <= _TOL


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


# ---------------------------------------------------------------------------
# Secondary suppression


@dataclass
class _Table:
    """The current edition's cells of one year that can take part in the pattern."""

    rows: pd.DataFrame  # year, unit_id, occupation, indicator, value, primary, forced
    model_index: list[int]  # position of each row in the YearModel's cells


def protect(
    results: pd.DataFrame,
    min_n: int,
    registry: UnitRegistry,
    edition: int,
    archive: Sequence[PublishedEdition] = (),
) -> tuple[pd.DataFrame, Summary]:
    """The edition's suppression pattern applied to ``results`` (columns year,
    unit_id, occupation, indicator, value, base, rule and, for exit-reason shares,
    count). Adds ``suppressed`` and ``reason`` and empties hidden values and values
    without data. Raises :class:`DisclosureError` if the pattern fails the audit."""
    started = time.perf_counter()
    archive = [a for a in archive if a.edition != edition]
    reasons = primary_reasons(results, min_n)
    summary = Summary(archive_editions=tuple(sorted(a.edition for a in archive)))
    counts = results[results["indicator"].isin(PROTECTED_COUNTS)]
    rates = results[results["indicator"] == INCIDENTS_PER_100]
    units = registry.edition_unit_ids(edition)
    edition_maps: dict[int, dict[str, str]] = {}
    for year in sorted(counts["year"].unique()):
        secondary = _protect_year(
            int(year),
            counts[counts["year"] == year],
            rates[rates["year"] == year],
            reasons,
            registry,
            edition,
            units,
            archive,
            summary,
            edition_maps,
        )
        reasons.loc[secondary] = SECONDARY
    # rates follow their counts
    key = ["year", "unit_id", "occupation"]
    hidden_counts = results.loc[
        (reasons != "") & results["indicator"].isin(PROTECTED_COUNTS), ["indicator", *key]
    ].rename(columns={"indicator": "_count"})
    tied_to = results["indicator"].map(TIED).rename("_count")
    follows = (
        pd.concat([results[key], tied_to], axis=1)
        .reset_index()
        .merge(hidden_counts.assign(_hidden=True), on=["_count", *key], how="inner")
    )
    tied = pd.Series(False, index=results.index)
    tied.loc[follows["index"].to_numpy()] = True
    tied &= reasons == ""
    reasons = reasons.where(~tied, TIED_REASON)
    # the persons behind rates and shares: leavers, interviews giving a reason
    try:
        added, audited, rounds = protect_persons(
            results,
            reasons,
            min_n,
            units,
            (PRIMARY, PRIMARY_SHARE),
            edition,
            lambda year: Atoms(registry, year, edition_maps),
            [(a.edition, a.table) for a in archive],
            summary.given_away,
            summary.skipped_archive,
        )
    except (PatternError, PersonsInconsistent) as exc:
        raise DisclosureError(str(exc)) from None
    reasons.loc[added] = SECONDARY
    reasons.loc[_respondents_behind_hidden_rates(results, reasons)] = SECONDARY
    summary.audited += audited
    summary.mip_rounds += rounds
    suppressed = reasons != ""
    base = results["base"].astype("float64").fillna(0.0)
    no_data = (results["rule"] == BASE) & (base <= 0)
    out = results.assign(
        suppressed=suppressed.to_numpy(dtype=bool),
        reason=reasons.to_numpy(dtype=object),
        value=results["value"].where(~(suppressed | no_data)),
    )
    summary.primary = int(reasons.isin([PRIMARY, PRIMARY_SHARE]).sum())
    summary.secondary = int((reasons == SECONDARY).sum())
    summary.tied = int((reasons == TIED_REASON).sum())
    summary.seconds = time.perf_counter() - started
    return out, summary


def _respondents_behind_hidden_rates(results: pd.DataFrame, reasons: pd.Series) -> pd.Index:
    """Survey indices to hide with a hidden response rate: an index published empty
    for want of respondents would tell that none of the few invited answered."""
    indicator = results["indicator"].astype(str)
    key = ["year", "unit_id", "occupation"]
    hidden_rates = results.loc[(indicator == SURVEY_RESPONSE_RATE) & (reasons != ""), key]
    if hidden_rates.empty:
        return results.index[:0]
    base = results["base"].astype("float64").fillna(0.0)
    empty = results[indicator.map(is_survey_index) & (base <= 0) & (reasons == "")]
    found = empty[key].reset_index().merge(hidden_rates.drop_duplicates(), on=key)
    return pd.Index(found["index"])


def _protect_year(
    year: int,
    rows: pd.DataFrame,
    rate_rows: pd.DataFrame,
    reasons: pd.Series,
    registry: UnitRegistry,
    edition: int,
    units: list[str],
    archive: Sequence[PublishedEdition],
    summary: Summary,
    edition_maps: dict[int, dict[str, str]],
) -> list:
    """Index labels of the cells of ``rows`` to hide as protection in ``year``."""
    atoms = Atoms(registry, year, edition_maps)
    archive_cells, archive_rates = _archive_cells(archive, atoms, year)
    archive_cells, archive_rates = _drop_revised(
        archive_cells, archive_rates, rows, atoms, edition, year, summary
    )
    # Cells another edition published with the same atoms and value: nothing to hide.
    published_elsewhere = {}
    for cell in archive_cells:
        if not cell.hidden and cell.value is not None:
            published_elsewhere[cell.key] = cell.value
    try:
        return _choose(
            year,
            rows,
            rate_rows,
            reasons,
            atoms,
            edition,
            units,
            archive_cells,
            archive_rates,
            published_elsewhere,
            summary,
        )
    except _Inconsistent:
        # A revised figure of another edition that no cell of this one shows (a merged
        # unit's predecessor, say) contradicts this delivery: those editions' figures
        # of the year are of another delivery and cannot be combined with these.
        editions = ", ".join(map(str, sorted({c.edition for c in archive_cells})))
        summary.skipped_archive.append(
            f"{year}: figures of edition(s) {editions} do not agree with this delivery "
            "(revised) and were left out of the audit"
        )
        return _choose(year, rows, rate_rows, reasons, atoms, edition, units, [], [], {}, summary)


def _drop_revised(
    cells: list[_Cell],
    rates: list[_Rate],
    rows: pd.DataFrame,
    atoms: Atoms,
    edition: int,
    year: int,
    summary: Summary,
) -> tuple[list[_Cell], list[_Rate]]:
    """Another edition's published figures that this delivery has revised (same unit
    set, occupation and indicator, another value) say nothing about the figures now
    published: leave them, and the incidents rates on the same units, out."""
    current: dict[tuple, float] = {}
    for unit, occupation, indicator, value in zip(
        rows["unit_id"].astype(str),
        rows["occupation"].astype(str),
        rows["indicator"].astype(str),
        rows["value"].astype("float64").fillna(0.0),
        strict=True,
    ):
        ids = atoms.of(edition, unit, occupation)
        if ids is not None:
            current[(indicator, tuple(sorted(ids)))] = value
    revised = set()
    for cell in cells:
        key = cell.key
        if (
            cell.value is not None
            and key in current
            and not _same_published(cell.indicator, current[key], cell.value)
        ):
            revised.add(id(cell))
    if not revised:
        return cells, rates
    stale_atoms = {tuple(sorted(c.atoms)) for c in cells if id(c) in revised}
    summary.skipped_archive.append(
        f"{year}: {len(revised)} figure(s) of other editions differ from this delivery "
        "(revised) and were left out of the audit"
    )
    return (
        [c for c in cells if id(c) not in revised],
        [r for r in rates if tuple(sorted(r.atoms)) not in stale_atoms],
    )


def _choose(
    year: int,
    rows: pd.DataFrame,
    rate_rows: pd.DataFrame,
    reasons: pd.Series,
    atoms: Atoms,
    edition: int,
    units: list[str],
    archive_cells: list[_Cell],
    archive_rates: list[_Rate],
    published_elsewhere: dict,
    summary: Summary,
) -> list:
    """The secondary cells of one year: the MILP, audited, with cuts until it passes."""
    table_cells: list[_Cell] = []
    labels, values, lower, weight, fixed_on, fixed_off = [], [], [], [], [], []
    primaries = (reasons.loc[rows.index] != "").tolist()
    for label, unit, occupation, indicator, raw, primary in zip(
        rows.index.tolist(),
        rows["unit_id"].astype(str).tolist(),
        rows["occupation"].astype(str).tolist(),
        rows["indicator"].astype(str).tolist(),
        rows["value"].astype("float64").tolist(),
        primaries,
        strict=True,
    ):
        ids = atoms.of(edition, unit, occupation) or []
        value = 0.0 if raw != raw else raw  # NaN: no value
        elsewhere = published_elsewhere.get((indicator, tuple(sorted(ids))))
        same_elsewhere = elsewhere is not None and _same_published(indicator, value, elsewhere)
        low = min(1.0, value) if value > 0 else 0.0
        shown, half = _published(indicator, value)
        table_cells.append(
            _Cell(
                edition,
                unit,
                occupation,
                indicator,
                ids,
                shown,
                primary,
                lower=low,
                half=half,
                top=_top(indicator, half),
            )
        )
        labels.append(label)
        values.append(value)
        lower.append(low)
        scale = WEIGHT_CITY if unit == CITY_ID else WEIGHT_ALL if occupation == ALL else 1.0
        weight.append(scale * (1.0 + value))
        fixed_on.append(primary)
        fixed_off.append((value <= 0 or same_elsewhere) and not primary)
    values_a, lower_a = np.array(values), np.array(lower)
    fixed_on_a, fixed_off_a = np.array(fixed_on, bool), np.array(fixed_off, bool)
    n_table = len(table_cells)
    model = YearModel(year, len(atoms), table_cells + archive_cells, archive_rates)
    # incidents_per_100 of this edition: published where incidents are published
    frame = rows.reset_index(drop=True)
    equations = _equations(frame, units)
    cuts: list[list[int]] = []
    if not fixed_on_a.any() and not any(c.hidden for c in archive_cells):
        return []
    rates_now = _current_rates(rate_rows, frame, atoms, edition)
    model.rates = archive_rates + [rate for rate, _ in rates_now]
    implications = _tight_headcounts(frame, rates_now, values_a, lower_a, fixed_off_a)
    given_away: set[int] = set()  # hidden cells what must stay published pins anyway
    checked: dict[tuple, bool] = {}

    def solve(with_cuts: list[list[int]]) -> np.ndarray | None:
        return _solve_pattern(
            values_a,
            lower_a,
            np.array(weight),
            fixed_on_a,
            fixed_off_a,
            equations,
            with_cuts,
            implications,
        )

    def possible(cut: list[int]) -> bool:
        """Can a pattern hide one of ``cut`` as well (every rule and cut kept)?"""
        key = (tuple(cut), tuple(map(tuple, cuts)), tuple(fixed_off_a.nonzero()[0]))
        if key not in checked:
            checked[key] = solve([*cuts, cut]) is not None
        return checked[key]

    while True:
        summary.mip_rounds += 1
        pattern = solve(cuts)
        if pattern is None:
            first = frame[fixed_on_a].iloc[0]
            raise DisclosureError(
                f"disclosure control: no pattern protects {first['indicator']} of "
                f"{first['unit_id']} ({first['occupation']}) {year}"
            )
        for i in range(n_table):
            model.cells[i].hidden = bool(pattern[i])
        ranges = model.ranges()
        failing = {
            i: r
            for i, r in ranges.items()
            if r.width < MIN_RANGE - _TOL
            and i not in given_away
            and not _known_elsewhere(model.cells[i], published_elsewhere)
        }
        if not failing:
            summary.audited += len(ranges)
            break
        for i, found in failing.items():
            # Some published cell that bounds it must be hidden too (the LP's dual
            # certificate holds as long as those cells stay published).
            cut = sorted(
                j for j in found.binding if j < n_table and not pattern[j] and not fixed_off_a[j]
            )
            if cut and possible(cut):
                cuts.append(cut)
                continue
            # Only cells that must stay published (other editions' figures, zeros) bound
            # it, or cells no pattern can hide as well: no choice of this edition hides
            # it. A cell hidden only as protection protects nothing then and is
            # published (it is public already); a small cell stays hidden and is
            # reported.
            cell = model.cells[i]
            if i < n_table and not fixed_on_a[i]:
                fixed_off_a[i] = True
                cuts = without_cell(cuts, i)
                # nor can it be what a headcount's hiding needs hidden: it is public
                # whatever this edition does, so hiding it would tell nothing more
                implications = [(c, [j for j in ds if j != i]) for c, ds in implications]
                implications = [(c, ds) for c, ds in implications if ds]
            else:
                given_away.add(i)
                summary.given_away.append(
                    f"{cell.indicator} of {cell.unit_id} ({cell.occupation}) {year} "
                    f"(edition {cell.edition}) lies between {found.low:g} and "
                    f"{found.high:g} given what other editions published"
                )
        # A cell published above can leave no pattern for the cuts of this round: drop
        # the newest until one exists (their cells fail again and are judged then).
        while cuts:
            last = cuts.pop()
            if possible(last):
                cuts.append(last)
                break
    return [labels[i] for i in range(n_table) if pattern[i] and not fixed_on_a[i]]


def _tight_headcounts(
    frame: pd.DataFrame,
    rates: list[tuple[_Rate, int]],
    values: np.ndarray,
    lower: np.ndarray,
    fixed_off: np.ndarray,
) -> list[tuple[int, list[int]]]:
    """(headcount, incidents of its unit) positions where the shown incidents rates
    would give away ``H_all`` = 100 x incidents / rate (directly, or as alla less the
    other occupation), an upper bound of the headcount that leaves it less than twice
    the required room: hiding that headcount needs an incidents cell of its unit (and
    so its rate) hidden as well."""
    key = frame[["indicator", "unit_id", "occupation"]].itertuples(index=False)
    position = {(ind, u, o): i for i, (ind, u, o) in enumerate(key)}
    h_all: dict[tuple[str, str], float] = {}
    for rate, j in rates:
        if rate.value is not None and rate.value > 0:
            h_all[(frame.at[j, "unit_id"], frame.at[j, "occupation"])] = (
                100.0 * values[j] / rate.value
            )
    for unit in frame["unit_id"].unique():
        known = {o: h_all[(unit, o)] for o in BY_OCCUPATION if (unit, o) in h_all}
        if ALL in known:
            for part, other in ((SS, BH), (BH, SS)):
                if part not in known and other in known:
                    h_all[(unit, part)] = known[ALL] - known[other]
    pairs = []
    for (unit, occupation), bound in h_all.items():
        i = position.get((HEADCOUNT, unit, occupation))
        if i is None or bound - lower[i] >= 2 * MIN_RANGE:
            continue
        found = [position.get((INCIDENTS, unit, o)) for o in BY_OCCUPATION]
        row = [j for j in found if j is not None and not fixed_off[j]]
        if row:
            pairs.append((i, row))
    return pairs


def _known_elsewhere(cell: _Cell, published_elsewhere: dict) -> bool:
    """A cell another edition published is public whatever this edition does."""
    return cell.key in published_elsewhere


def _current_rates(
    rates: pd.DataFrame, frame: pd.DataFrame, atoms: Atoms, edition: int
) -> list[tuple[_Rate, int]]:
    """(rate, position of its incidents cell in ``frame``) of this edition's
    incidents_per_100: the rate is published exactly when its count is."""
    position = {
        (u, o): i
        for i, (ind, u, o) in enumerate(
            frame[["indicator", "unit_id", "occupation"]].itertuples(index=False)
        )
        if ind == INCIDENTS
    }
    result = []
    for row in rates.itertuples(index=False):
        i = position.get((str(row.unit_id), str(row.occupation)))
        ids = atoms.of(edition, str(row.unit_id), str(row.occupation))
        if i is None or ids is None:
            continue
        if pd.isna(row.value):
            result.append((_Rate(ids, None, i), i))
            continue
        shown, half = _published(INCIDENTS_PER_100, float(row.value))
        result.append((_Rate(ids, shown, i, half=half), i))
    return result


# ---------------------------------------------------------------------------
# Auditing a published archive (``uppfoljning audit``)


@dataclass
class Finding:
    edition: int
    year: int
    unit_id: str
    occupation: str
    indicator: str
    low: float
    high: float

    def line(self) -> str:
        return (
            f"{self.edition}: {self.indicator} of {self.unit_id} ({self.occupation}) "
            f"{self.year} is hidden but lies between {self.low:g} and {self.high:g} "
            f"given the published figures"
        )


@dataclass
class ArchiveAudit:
    hidden: dict[int, int] = field(default_factory=dict)  # edition -> hidden counts audited
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def lines(self) -> list[str]:
        lines = [
            f"{edition}: {n} hidden counts (headcount, incidents, and the persons "
            f"behind hidden turnover rates, exit shares and survey values) audited, "
            f"{sum(f.edition == edition for f in self.findings)} can be worked out "
            f"to within {MIN_RANGE:g} (a survey index to within {INDEX_POINTS:g} points)"
            for edition, n in sorted(self.hidden.items())
        ]
        return lines + self.notes + [f.line() for f in self.findings]


def _audit_year(
    archive: Sequence[PublishedEdition],
    atoms: Atoms,
    year: int,
    wanted: set[int],
    report: ArchiveAudit,
) -> None:
    cells, rates = _archive_cells(archive, atoms, year)
    for cell in cells:  # a reader knows a hidden count is above 0
        if cell.hidden:
            cell.lower = 1.0 if cell.indicator == INCIDENTS else 1.0 / 12
    public = {c.key for c in cells if not c.hidden and c.value is not None}
    model = YearModel(year, len(atoms), cells, rates)
    if not model.hidden():
        return
    for i, found in model.ranges().items():
        cell = cells[i]
        if cell.edition not in wanted:
            continue
        if cell.key in public:
            continue
        report.hidden[cell.edition] = report.hidden.get(cell.edition, 0) + 1
        if found.width < MIN_RANGE - _TOL:
            report.findings.append(
                Finding(
                    cell.edition,
                    year,
                    cell.unit_id,
                    cell.occupation,
                    cell.indicator,
                    found.low,
                    found.high,
                )
            )


def audit_archive(
    archive: Sequence[PublishedEdition],
    registry: UnitRegistry,
    editions: Iterable[int] | None = None,
    min_n: int = 5,
) -> ArchiveAudit:
    """Audit published tables as a reader would, from nothing but what every edition of
    ``archive`` published and the unit history: for each hidden headcount and incidents
    cell of ``editions`` (default all), the least and largest value consistent with
    everything published must be at least ``MIN_RANGE`` apart, and so must the leavers
    behind each hidden turnover rate and the interviews behind each hidden exit-reason
    share (``min_n``: the published rule a reader knows). A cell another edition
    published is public already and not counted against the edition that hid it."""
    wanted = set(editions) if editions is not None else {a.edition for a in archive}
    report = ArchiveAudit()
    years = sorted({int(y) for a in archive for y in a.table["year"].unique()})
    for year in years:
        atoms = Atoms(registry, year)
        try:
            _audit_year(archive, atoms, year, wanted, report)
        except _Inconsistent:
            # editions of different deliveries (a revision between them): each edition
            # is audited alone for this year
            report.notes.append(
                f"{year}: the editions' figures disagree (a revised "
                "delivery); each edition audited on its own"
            )
            for published in archive:
                if published.edition in wanted:
                    _audit_year([published], atoms, year, wanted, report)
    # the persons behind hidden turnover rates, exit shares and survey values
    tables = [(a.edition, a.table) for a in archive]
    audited, found, notes = audit_persons(tables, lambda year: Atoms(registry, year), min_n)
    report.notes += notes
    for other, year, low, high in found:
        if other.edition in wanted:
            report.findings.append(
                Finding(
                    other.edition, year, other.unit, other.occupation, other.indicator, low, high
                )
            )
    for edition in wanted:
        report.hidden[edition] = report.hidden.get(edition, 0) + audited.get(edition, 0)
    return report
