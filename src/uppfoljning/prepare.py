"""Results preparation: from a delivery to the results folder the notebooks read.

:func:`prepare_results` runs the Great Expectations gate with the project's reviewed
suites (or takes a gated delivery shared by the editions of one run), computes the
edition's indicators with disclosure control (:mod:`uppfoljning.indicators`,
:mod:`uppfoljning.disclosure`), runs the results checks (:mod:`uppfoljning.results_check`)
and writes the folder :mod:`uppfoljning.context` reads: the published indicator table,
the edition's units, the focus-area status, the plausibility warnings and
``meta.json``. With a cache and a key, an unchanged delivery skips all of it.

:func:`demo_results_dir` gives the demo delivery's results to a template opened by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import __version__, context, formatting
from . import cache as cache_mod
from .catalog import ALL
from .config import ReportConfig
from .project import Project, Suites

SYNTHETIC_MARKERS = ("SYNTETISKA_DATA", "SYNTHETIC")  # a file of this name marks demo data


@dataclass(frozen=True)
class Prepared:
    """What the results stage produced."""

    results_dir: Path
    indicators: pd.DataFrame
    units: pd.DataFrame  # unit_id, name, kind, region, reorganisation_note, page
    meta: context.EditionMeta
    sources: pd.DataFrame
    validation: pd.DataFrame | None
    results_checks: pd.DataFrame | None = None
    results_warnings: tuple = ()  # ResultsProblem of warning severity
    disclosure: object = None  # disclosure.Summary of the edition's pattern


def code_version(project_root: Path) -> str:
    """``<package version> (git <short sha>[, ändrad])`` or just the package version."""
    try:
        sha = subprocess.run(
            ["git", "-C", str(project_root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(project_root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return __version__
    return f"{__version__} (git {sha}{', ej incheckade ändringar' if dirty else ''})"


def is_synthetic(data_dir: Path, demo_data: Path) -> bool:
    """The bundled demo delivery (``demo_data``) or one carrying a marker file is
    synthetic."""
    if data_dir.resolve() == demo_data.resolve():
        return True
    return any((data_dir / marker).exists() for marker in SYNTHETIC_MARKERS)


def warn(message: str) -> None:
    """A warning the person running the build must see (not only the log)."""
    print(message, file=sys.stderr)


def table_years(frame: pd.DataFrame | None, table: str) -> tuple[int, int] | None:
    """The first and last year a delivered table's rows cover, by the columns that place
    a row in time (the contract's ``period``: a date, a month or a year; a spell's start
    and end); None when it has no such column or no value in it."""
    from .contract import TABLES, YEAR

    if frame is None or table not in TABLES:
        return None
    years: list[int] = []
    for name in TABLES[table].period:
        if name not in frame:
            continue
        values = frame[name].dropna()
        if values.empty:
            continue
        if TABLES[table].column(name).kind == YEAR:
            found = pd.to_numeric(values, errors="coerce").dropna().astype(int)
        else:
            found = pd.to_datetime(values.astype(str), errors="coerce").dropna().dt.year
        years += [int(found.min()), int(found.max())] if len(found) else []
    return (min(years), max(years)) if years else None


def sources_frame(delivery) -> pd.DataFrame:
    """The delivered files: name, table, the years its rows cover, rows, checksum."""
    rows = []
    for s in sorted(delivery.sources.values(), key=lambda s: s.table):
        span = table_years(delivery.tables.get(s.table), s.table)
        period = (
            ""
            if span is None
            else (str(span[0]) if span[0] == span[1] else f"{span[0]}\u2013{span[1]}")
        )
        rows.append(
            {
                "Fil": s.name,
                "Tabell": s.table,
                "Period": period,
                "Rader": formatting.format_number(s.rows),
                "SHA-256": s.sha256,
            }
        )
    return pd.DataFrame(rows, columns=["Fil", "Tabell", "Period", "Rader", "SHA-256"])


def focus_frame(delivery, unit_ids: Iterable[str]) -> pd.DataFrame:
    """Focus-area status of the edition's units with the area names and the plan
    version that added each area (aggregated codes and the researcher's published note;
    no person-level data)."""
    columns = ["year", "unit_id", "area_id", "area_name", "plan_version", "status", "note"]
    status = delivery.tables.get("focus_status")
    if status is None:
        return pd.DataFrame(columns=columns)
    areas = delivery.tables.get("focus_areas")
    names = dict(zip(areas["area_id"], areas["name"], strict=True)) if areas is not None else {}
    versions = (
        dict(zip(areas["area_id"], areas["plan_version"].astype(str), strict=True))
        if areas is not None and "plan_version" in areas
        else {}
    )
    rows = status[status["unit_id"].isin(list(unit_ids))]
    return pd.DataFrame(
        {
            "year": rows["year"].to_numpy(),
            "unit_id": rows["unit_id"].to_numpy(),
            "area_id": rows["area_id"].to_numpy(),
            "area_name": rows["area_id"].map(lambda a: names.get(a, a)).to_numpy(),
            "plan_version": rows["area_id"].map(lambda a: versions.get(a, "")).to_numpy(),
            "status": rows["status"].to_numpy(),
            "note": rows["note"].fillna("").to_numpy(),
        },
        columns=columns,
    )


def edition_units_frame(delivery, edition: int) -> pd.DataFrame:
    from .units import UnitRegistry

    registry = UnitRegistry.from_frame(delivery.tables["units"])
    units = registry.edition_units(edition).copy()
    if "region" not in units:
        units["region"] = ""
    units["region"] = units["region"].fillna("")
    units["reorganisation_note"] = [
        registry.reorganisation_note(u, edition) or "" for u in units["unit_id"]
    ]
    units["page"] = [
        context.unit_page(u, k) for u, k in zip(units["unit_id"], units["kind"], strict=True)
    ]
    return units.reset_index(drop=True)


def environment_key(project: Project) -> str:
    """The cache's environment key (:func:`uppfoljning.cache.environment_key`) of the
    project: its lockfile and the very suites folder the gates read."""
    return cache_mod.environment_key(project.lockfile, project.suites_dir)


def results_key(
    data_dir: Path,
    edition: int,
    config: ReportConfig,
    synthetic: bool,
    project: Project,
    archive: Iterable = (),
) -> str:
    """Cache key of the gate + results stage (see :mod:`uppfoljning.cache`): the other
    editions' published tables count too, since disclosure control reads them."""
    return cache_mod.hash_bytes(
        "results",
        environment_key(project),
        cache_mod.delivery_key(data_dir),
        str(edition),
        repr(config),
        str(synthetic),
        *(a.digest for a in archive),
    )


def prepare_results(
    data_dir: Path,
    edition: int,
    config: ReportConfig,
    results_dir: Path,
    *,
    project: Project,
    synthetic: bool | None = None,
    cache: cache_mod.BuildCache | None = None,
    key: str | None = None,
    archive: Iterable = (),
    gate: Callable[[], tuple] | None = None,
) -> Prepared:
    """Gate the delivery and write the results folder the notebooks read. With a cache
    and a key, an unchanged delivery skips Great Expectations and the computation.
    ``archive``: the other editions already published (:func:`disclosure.read_archive`);
    ``gate``: returns the gated (delivery, report), shared by the editions of one run
    (default: :func:`uppfoljning.validation.gate` of ``data_dir`` with the project's
    suites). The results checks run the project's ``validation/results/`` suites. With a
    cache, both gates reuse the outcome of any suite whose check frame is unchanged
    (:class:`uppfoljning.cache.OutcomeStore`), so a corrected delivery re-runs only the
    suites its correction reaches."""
    synthetic = is_synthetic(data_dir, project.demo_data) if synthetic is None else synthetic
    meta_now = {
        "built_at": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
        "code_version": code_version(project.root),
    }
    if cache is not None and key is not None:
        cached = cache.load_results(key, results_dir)
        if cached is not None:
            prepared, warnings = cached
            for line in warnings:
                warn(line)
            if prepared.disclosure is not None:
                print(prepared.disclosure.line(), file=sys.stderr)
            meta = dataclasses.replace(prepared.meta, **meta_now)
            context.write_meta(results_dir, meta)
            return dataclasses.replace(prepared, results_dir=results_dir, meta=meta)
    prepared, warnings = _compute_results(
        data_dir,
        edition,
        config,
        results_dir,
        synthetic=synthetic,
        meta_now=meta_now,
        archive=list(archive),
        gate=gate,
        suites=project.load_suites(),
        store=cache.suite_outcomes() if cache else None,
    )
    if cache is not None and key is not None:
        cache.store_results(key, results_dir, (prepared, warnings))
    return prepared


def _compute_results(
    data_dir: Path,
    edition: int,
    config: ReportConfig,
    results_dir: Path,
    *,
    synthetic: bool,
    meta_now: dict,
    archive: list,
    suites: Suites,
    gate: Callable[[], tuple] | None = None,
    store: cache_mod.OutcomeStore | None = None,
) -> tuple[Prepared, list[str]]:
    from . import validation
    from .editions import check_edition_year
    from .indicators import PUBLISHED_COLUMNS, compute_pattern_with_internal
    from .results_check import gate_results

    delivery, report = (
        gate() if gate is not None else validation.gate(data_dir, suites.inputs, store=store)
    )
    warnings = [problem.format() for problem in report.warnings]
    for line in warnings:
        warn(line)
    check_edition_year(delivery, edition)
    results, disclosure_summary, internal = compute_pattern_with_internal(
        delivery, edition, config, archive
    )
    print(disclosure_summary.line(), file=sys.stderr)
    # the unsuppressed values come with the computation: the checks don't recompute them
    results_report = gate_results(
        results, delivery, edition, config, internal, suites=suites.results, store=store
    )
    for line in results_report.warnings:
        warn(line)
    warnings += results_report.warnings
    indicators = results[PUBLISHED_COLUMNS].reset_index(drop=True)
    units = edition_units_frame(delivery, edition)
    meta = context.EditionMeta(
        edition=edition,
        first_year=config.first_year,
        min_n=config.min_n,
        title=config.title,
        synthetic=synthetic,
        exit_bases=city_exit_bases(internal),
        **meta_now,
    )
    context.write_results(
        results_dir,
        indicators=indicators,
        units=units.drop(columns=["page"]),
        focus_status=focus_frame(delivery, units["unit_id"]),
        meta=meta,
    )
    plausibility = tuple(p for p in results_report.problems if p.severity == "warning")
    context.write_plausibility_warnings(results_dir, warnings_frame(plausibility))
    prepared = Prepared(
        results_dir,
        indicators,
        units,
        meta,
        sources_frame(delivery),
        report.to_frame(),
        results_report.to_frame(),
        plausibility,
        disclosure_summary,
    )
    return prepared, warnings


def city_exit_bases(internal: pd.DataFrame) -> dict[str, list[int]]:
    """The city's number of exit interviews and of tillsvidare leavers (the
    personalrörlighet's numerator) per year with interviews, from the unsuppressed
    results (their ``base``: the interviews of an exit-reason share, the headcount of
    the turnover rate): {"2024": [interviews, leavers]}. City level only: a unit's base
    would turn a share into a small count."""
    from . import catalog

    city = internal[(internal["unit_id"] == context.CITY_ID) & (internal["occupation"] == ALL)]
    shares = city[city["indicator"].map(catalog.is_exit_share)]
    interviews = shares.groupby("year")["base"].max()
    turnover = city[city["indicator"] == "turnover_rate"].set_index("year")
    bases = {}
    for year, count in interviews.items():
        if pd.isna(count) or count <= 0:
            continue
        leavers = 0
        if year in turnover.index:
            row = turnover.loc[year]
            if not pd.isna(row["value"]) and not pd.isna(row["base"]):
                leavers = int(round(float(row["value"]) * float(row["base"])))
        bases[str(int(year))] = [int(round(float(count))), leavers]
    return bases


def warnings_frame(problems: Iterable) -> pd.DataFrame:
    """The results checks' warnings (``ResultsProblem``) as the rows the pages read
    (:data:`context.WARNING_COLUMNS`), each with its check's Swedish name."""
    rows = [
        {
            "check_name": p.check_name,
            "unit_id": p.unit_id,
            "indicator": p.indicator,
            "occupation": p.occupation,
            "previous_year": p.previous_year,
            "year": p.year,
        }
        for p in problems
    ]
    return pd.DataFrame(rows, columns=list(context.WARNING_COLUMNS)).astype(
        {"previous_year": "Int64", "year": "Int64"}
    )


def demo_results_dir(edition: int, project: Project) -> Path:
    """Results of the project's demo delivery for ``edition`` (computed once, then
    reused)."""
    results_dir = project.run_dir / str(edition) / "demo-results"
    meta_file = results_dir / context.META_FILE
    if not meta_file.is_file() or context.read_meta(results_dir).edition != edition:
        prepare_results(
            project.demo_data, edition, project.load_config(), results_dir, project=project
        )
    return results_dir
