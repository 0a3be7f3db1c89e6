"""Build an edition: validate once, compute once, run the notebooks, assemble the book,
publish all or nothing.

Stages of :func:`build_edition` (each timed in the log):

1. **gate** and 2. **results** (:func:`uppfoljning.prepare.prepare_results`) — the
   Great Expectations gate with the project's reviewed suites runs once in this
   process (bad data raises :class:`~uppfoljning.errors.DeliveryError`); the published
   indicator table and the small aggregated inputs of the notebooks are written into a
   private work folder (:mod:`uppfoljning.context`).
   Then the **review** (:mod:`uppfoljning.review`): a final build stops when a
   plausibility warning has no outcome in ``granskning.yml`` (a draft goes on), and
   each outcome is written next to its warning for the pages to show.
3. **notebooks** — the unit template once per edition unit and the city notebooks named
   in ``_toc.yml``, with Papermill in ``jobs`` worker processes
   (:mod:`uppfoljning.execution`). A failure raises
   :class:`~uppfoljning.errors.NotebookError` and keeps the executed notebook in
   ``_build/failed/<E>/`` (and the build's work folder, until a newer build fails).
4. **book** — a book source folder is staged (``_config.yml``, the edition's
   ``_toc.yml``, ``book/`` chapters, executed notebooks under stable slugs, the vendored
   chart JavaScript, generated appendix fragments) and Jupyter Book builds it with
   warnings as errors.
5. **publish** — ``data/indikatorer.csv`` is added, the new folder (built next to
   ``OUT/<E>``) replaces ``OUT/<E>`` in one rename, and ``OUT/index.html`` is rewritten;
   only what the tool made is replaced (:func:`uppfoljning.site.check_out_dir`, checked
   before any work too).

Every path comes from the :class:`~uppfoljning.project.Project` the caller resolved
(the CLI, once); the build never looks for the project itself.

Until the last step nothing under ``OUT`` is touched except the hidden temporary folder,
which is removed on any failure or interrupt. A stopped build ends its workers and
kernels, and the next build removes what a killed one left (:mod:`uppfoljning.lifeline`).
Builds publishing into the same ``OUT`` take turns for the last step.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import (
    areas,
    context,
    disclosure,
    execution,
    formatting,
    interface_check,
    labels,
    layout,
    lifeline,
    main_points,
    site,
    templating,
)
from . import cache as cache_mod
from . import review as review_mod
from . import revisions as revisions_mod
from .config import ReportConfig
from .errors import NotebookError, UsageError
from .prepare import Prepared, environment_key, is_synthetic, prepare_results, results_key, warn
from .progress import BuildReport, NotebookProgress, format_seconds
from .progress import summary as build_summary
from .project import Project

log = logging.getLogger(__name__)

UNIT_PDF_CELL = "pdf-link"  # the unit template's cell that shows the PDF link (with --pdf)


@dataclass
class Timings:
    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = time.perf_counter() - started
            log.info("stage %s: %.1f s", name, self.stages[name])


# ---------------------------------------------------------------------------
# Small helpers


def select_units(units: pd.DataFrame, only: Iterable[str] | None, edition: int) -> pd.DataFrame:
    if not only:
        return units
    only = list(dict.fromkeys(only))
    unknown = [u for u in only if u not in set(units["unit_id"])]
    if unknown:
        raise UsageError(
            f"unit(s) {', '.join(unknown)} are not units of the {edition} "
            f"edition; choose from: {', '.join(units['unit_id'])}"
        )
    return units[units["unit_id"].isin(only)].reset_index(drop=True)


def notebook_jobs(
    prepared: Prepared,
    units: pd.DataFrame,
    city_notebooks: list[site.CityNotebook],
    notebooks_dir: Path,
    book_dir: Path,
    cwd: Path,
) -> list[execution.NotebookJob]:
    edition = prepared.meta.edition
    results = str(prepared.results_dir)
    jobs = [
        execution.NotebookJob(
            unit=row.unit_id,
            template=notebooks_dir / f"{layout.UNIT_PAGE}.ipynb",
            output=book_dir / f"{row.page}.ipynb",
            parameters={"unit_id": row.unit_id, "edition": edition, "results_dir": results},
            cwd=cwd,
        )
        for row in units.itertuples()
    ]
    jobs += [
        execution.NotebookJob(
            unit=f"{context.CITY_ID}/{city.area}" if city.area else context.CITY_ID,
            template=notebooks_dir / f"{city.name}.ipynb",
            output=book_dir / f"{city.file}.ipynb",
            parameters={
                "edition": edition,
                "results_dir": results,
                **({"area": city.area} if city.area else {}),
            },
            cwd=cwd,
        )
        for city in city_notebooks
    ]
    return jobs


def unit_pdf_link(unit_id: str, pdf: bool) -> str:
    """The unit page's link to its own PDF (``pdf/<unit_id>.pdf`` next to the unit
    folders; hidden in print), or nothing without ``--pdf``."""
    if not pdf:
        return ""
    from .pdf import unit_pdf_path

    return templating.render(
        "pdf_link.html", href=f"../{unit_pdf_path(unit_id)}", text=labels.PDF_UNIT_LINK
    )


def notebook_outputs(job: execution.NotebookJob, pdf: bool = False) -> dict[str, str]:
    """The HTML outputs the build gives a unit notebook's cells after execution
    (:func:`execution.finish_notebook`): its PDF link, or none."""
    if "unit_id" not in job.parameters:
        return {}
    return {UNIT_PDF_CELL: unit_pdf_link(job.unit, pdf)}


def published_table_text(indicators: pd.DataFrame) -> str:
    """``data/indikatorer.csv`` of the published indicator table."""
    from .indicators import to_csv_text

    # delivered names are in it: no cell may run as a spreadsheet formula
    return to_csv_text(formatting.spreadsheet_safe_frame(indicators))


def write_spreadsheet(prepared: Prepared, path: Path, facts: list[tuple[str, str]] = ()) -> Path:
    """``data/indikatorer.xlsx``: the published table for people (see
    :mod:`uppfoljning.spreadsheet`), with the publication ``facts`` in "Om filen"."""
    from . import spreadsheet

    return spreadsheet.write_workbook(
        spreadsheet.workbook_sheets(
            prepared.indicators,
            context.read_focus_status(prepared.results_dir),
            prepared.meta.edition,
            prepared.meta.min_n,
            facts=facts,
        ),
        path,
        title=labels.XLSX_TITLE.format(title=prepared.meta.title, edition=prepared.meta.edition),
    )


def unit_pdf_jobs(units: pd.DataFrame, html_dir: Path, title: str, edition: int) -> list:
    """What :func:`uppfoljning.pdf.write_unit_pdfs` prints: each unit's built page."""
    from .pdf import UnitPdf

    heading = labels.PDF_UNIT_TITLE.format(title=title, edition=edition)
    return [
        UnitPdf(
            row.unit_id, html_dir / f"{row.page}.html", f"{heading} – {row.name}", heading, row.name
        )
        for row in units.itertuples()
    ]


def stage_book(
    prepared: Prepared,
    units: pd.DataFrame,
    project: Project,
    book_dir: Path,
    toc: dict,
    editions: list[int],
    cache_dir: Path,
    *,
    pdf: bool = False,
    facts: list[tuple[str, str]] = (),
    draft: bool = False,
    outcomes: dict[str, str] | None = None,
) -> str:
    """Copy ``book/`` and write the edition's config, toc, JS bundle and fragments into
    ``book_dir`` (which already holds the executed notebooks). With ``pdf`` the start
    page links to the edition's PDF (hidden in print: the PDF is made of these pages).
    ``facts``: the publication facts (:func:`formatting.publication_facts`), on the start
    page and in every footer; ``draft``: the draft marks on every page; ``outcomes``: the
    review's outcome of each plausibility warning (Datakvalitet).

    Returns the researcher's list of insertable results (:func:`site.glue_index`), made
    from the same reading of the notebooks as the glue check."""
    meta = prepared.meta
    pdf_link = ""
    if pdf:
        from .pdf import pdf_name

        pdf_link = templating.render(
            "pdf_link.html", href=pdf_name(meta.edition), text=labels.PDF_LINK
        )
    # the default chapters of book/, with the edition's own (book/utgavor/<E>/) laid over
    chapter_origin = site.stage_chapters(project.book_dir, book_dir, meta.edition)
    root_config = site.read_yaml(project.book_config)
    substitutions = {
        "utgava": str(meta.edition),
        "forra_aret": str(meta.previous_year),
        "forsta_aret": str(meta.first_year),
        "rapport_titel": meta.title,
        "min_n": str(meta.min_n),
        "pdf_lank": pdf_link,
        "syntetiska_data": (
            f":::{{admonition}} Syntetiska data\n:class: warning\n\n"
            f"{site.labels.SYNTHETIC_NOTE}\n:::"
            if meta.synthetic
            else ""
        ),
    }
    # figures computed from the delivery go into the chapters, not into _config.yml
    site.substitute_results(
        book_dir,
        {
            "dolda_sma": formatting.format_number(
                prepared.disclosure.primary if prepared.disclosure else 0
            ),
            "dolda_skydd": formatting.format_number(
                (prepared.disclosure.secondary + prepared.disclosure.tied)
                if prepared.disclosure
                else 0
            ),
            "antal_enheter": str(len(units)),
        },
    )
    config = site.stage_config(
        root_config,
        edition=meta.edition,
        title=meta.title,
        synthetic=meta.synthetic,
        substitutions=substitutions,
        facts=list(facts),
        draft=draft,
    )
    site.write_yaml(book_dir / "_config.yml", config)
    site.write_yaml(book_dir / "_toc.yml", toc)
    site.write_vega_bundle(book_dir / "_static", cache_dir)
    generated = book_dir / site.GENERATED_DIR
    generated.mkdir(exist_ok=True)
    fragments = {
        "definitioner.md": site.definitions_fragment(prepared.indicators["indicator"]),
        "underlag.md": site.sources_fragment(prepared.sources, meta.code_version, meta.built_at),
        "datakvalitet.md": site.validation_fragment(prepared.validation),
        "resultatkontroller.md": site.results_checks_fragment(
            prepared.results_checks, prepared.results_warnings, units, outcomes, draft=draft
        ),
        "publicering.md": site.facts_fragment(list(facts)),
        "om-kallor.md": site.statistics_sources_fragment(prepared.sources),
        "om-granskning.md": site.review_list_fragment(
            prepared.results_warnings, units, outcomes or {}
        ),
        "utgavor.md": site.editions_fragment(editions, meta.edition),
    }
    for name, text in fragments.items():
        (generated / name).write_text(text, encoding="utf-8")
    # a chapter citing a result no notebook glued fails here, naming chapter and key
    read = functools.cache(site.notebook_glue_values)
    site.check_glue_references(book_dir, chapter_origin, read)
    return site.glue_index(book_dir, meta.edition, read)


def check_chapter_claims(book_dir: Path, prepared: Prepared, *, strict: bool) -> list:
    """Warn (or with ``strict`` fail) where a researcher's chapter says a figure went
    the other way than the published table (:mod:`uppfoljning.claims`)."""
    from . import claims

    meta = prepared.meta
    problems = claims.check_claims(
        claims.researcher_chapters(book_dir, meta.edition),
        prepared.indicators,
        meta.edition,
        {
            "utgava": str(meta.edition),
            "forra_aret": str(meta.previous_year),
            "forsta_aret": str(meta.first_year),
        },
    )
    if problems and strict:
        raise claims.ClaimsError(
            f"{len(problems)} claim(s) in the chapters disagree with the figures "
            "(--strict); nothing was published: "
            + "; ".join(problem.format() for problem in problems)
        )
    for problem in problems:
        warn(problem.format())
    return problems


def check_main_points(prepared: Prepared) -> None:
    """Hold the generated main points (Viktigaste resultat) to the claims check: a point
    the published table contradicts is a bug and is never published."""
    from . import claims

    meta = prepared.meta
    problems = claims.check_stated(
        main_points.main_points(prepared.indicators, prepared.units, meta.edition, meta.first_year),
        prepared.indicators,
    )
    if problems:
        raise claims.ClaimsError("; ".join(problem.format() for problem in problems))


# ---------------------------------------------------------------------------
# The build


def notebook_key_parts(
    job: execution.NotebookJob, data_key: str | dict[str, str], environment: str
) -> tuple[str, dict[str, str]]:
    """(identity, key parts) of a notebook job: what its output depends on. ``data_key``
    is one digest of the results it reads, or several by part (:class:`PageInputs`)."""
    parameters = {k: v for k, v in job.parameters.items() if k != "results_dir"}
    params_text = json.dumps(parameters, sort_keys=True, default=str)
    identity = f"{job.template.name}:{params_text}"
    data = {"data": data_key} if isinstance(data_key, str) else dict(data_key)
    return identity, {
        "template": cache_mod.file_digest(job.template),
        "parameters": params_text,
        **data,
        "environment": environment,
    }


class PageInputs:
    """What each notebook reads from a results folder, as digests (the notebook's
    cache key): a corrected delivery re-runs only the pages whose own inputs changed.

    A unit page reads its unit's rows, the city's rows of the indicators the page shows
    (its reference lines and key figures) and every unit's key figures of the edition
    year (its ranks); a city area chapter the rows of its area's indicators; the city
    page the turnover of every unit, every city row and the units' key measures of
    the edition year (its main points, :mod:`uppfoljning.main_points`);
    the overview the edition year; the focus chapter no indicator at all. Every page
    also reads the edition's units, the metadata and which indicators exist. A template
    not named here reads the whole folder. ``tests/test_cache.py`` checks, against the
    page contexts themselves, that changing anything outside a page's rows leaves the
    page as it was."""

    def __init__(self, results_dir: Path):
        self.results_dir = Path(results_dir)
        self.meta = context.read_meta(self.results_dir)
        indicators = context.read_indicators(self.results_dir)
        self.indicators = indicators
        self.row_hashes = pd.util.hash_pandas_object(indicators, index=False).to_numpy()
        self.present = set(indicators["indicator"].unique())
        self._by_unit = indicators.groupby("unit_id", sort=False).indices
        self._focus = context.read_focus_status(self.results_dir)
        self._warnings = context.read_plausibility_warnings(self.results_dir)
        meta = json.loads((self.results_dir / context.META_FILE).read_text(encoding="utf-8"))
        for name in cache_mod.VOLATILE_META:
            meta.pop(name, None)
        self.common = {
            "meta": json.dumps(meta, sort_keys=True),
            "units": cache_mod.file_digest(self.results_dir / context.UNITS_FILE),
            "present": ",".join(sorted(self.present)),
        }
        key_indicators = {i for i, _ in layout.KEY_FIGURES}
        self.unit_shown = layout.unit_page_indicators()
        is_city = (indicators["unit_id"] == context.CITY_ID).to_numpy()
        indicator = indicators["indicator"]
        edition_year = (indicators["year"] == self.meta.edition).to_numpy()
        self._city_unit_rows = np.flatnonzero(is_city & indicator.isin(self.unit_shown))
        self._ranked_rows = np.flatnonzero(edition_year & indicator.isin(key_indicators) & ~is_city)
        # the city page: every unit's turnover, and for its main points (main_points)
        # every city row and the units' key measures of the edition year
        self._city_page_rows = np.flatnonzero(
            (indicator == "turnover_rate").to_numpy()
            | is_city
            | (edition_year & indicator.isin(main_points.KEY_MEASURES).to_numpy())
        )
        # every measure of the edition year (a superset of the overview's measures that
        # spares the build process importing Altair with uppfoljning.overview)
        self._overview_rows = np.flatnonzero(edition_year)
        self._digests: dict[str, str] = {}

    def _digest(self, name: str, rows: np.ndarray) -> str:
        if name not in self._digests:
            self._digests[name] = hashlib.sha256(
                np.ascontiguousarray(self.row_hashes[np.sort(rows)]).tobytes()
            ).hexdigest()
        return self._digests[name]

    @staticmethod
    def _frame_digest(frame: pd.DataFrame) -> str:
        return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()

    def area_indicators(self, area: str) -> set[str]:
        return {i for i, _ in areas.declared_indicators(area, self.present)}

    def rows_read(self, job: execution.NotebookJob) -> np.ndarray | None:
        """Positions of the indicator rows the job's page reads (None: every row)."""
        kind, parameters = job.template.stem, job.parameters
        if kind == layout.UNIT_PAGE:
            own = self._by_unit.get(str(parameters["unit_id"]), np.array([], dtype=int))
            return np.union1d(np.union1d(own, self._city_unit_rows), self._ranked_rows)
        if kind == layout.CITY_PAGE:
            return self._city_page_rows
        if kind == layout.AREA_PAGE:
            names = self.area_indicators(str(parameters["area"]))
            return np.flatnonzero(self.indicators["indicator"].isin(names).to_numpy())
        if kind == layout.OVERVIEW_PAGE:
            return self._overview_rows
        if kind == layout.FOCUS_PAGE:
            return np.array([], dtype=int)
        return None

    def parts(self, job: execution.NotebookJob) -> dict[str, str]:
        """The digests of what ``job`` reads, by part (the names say why it re-runs)."""
        kind, parameters = job.template.stem, job.parameters
        if self.rows_read(job) is None:
            return {"data": cache_mod.results_data_key(self.results_dir)}
        parts = dict(self.common)
        if kind == layout.UNIT_PAGE:
            unit_id = str(parameters["unit_id"])
            own = self._by_unit.get(unit_id, np.array([], dtype=int))
            parts["indicators"] = cache_mod.hash_bytes(
                self._digest(f"unit:{unit_id}", own),
                self._digest("city:unit-pages", self._city_unit_rows),
                self._digest("ranks", self._ranked_rows),
            )
            parts["focus"] = self._frame_digest(self._focus[self._focus["unit_id"] == unit_id])
            parts["warnings"] = self._frame_digest(
                self._warnings[self._warnings["unit_id"] == unit_id]
            )
        elif kind == layout.AREA_PAGE:
            area = str(parameters["area"])
            names = self.area_indicators(area)
            parts["indicators"] = self._digest(f"area:{area}", self.rows_read(job))
            counts = {c for c, rate in context.RATE_OF_COUNT.items() if rate in names}
            parts["warnings"] = self._frame_digest(
                self._warnings[self._warnings["indicator"].isin(names | counts)]
            )
        elif kind == layout.FOCUS_PAGE:
            parts["focus"] = self._frame_digest(self._focus)
        else:
            parts["indicators"] = self._digest(kind, self.rows_read(job))
        return parts


def edition_key(
    results: str,
    notebook_keys: list[str],
    project: Project,
    units: pd.DataFrame,
    editions: list[int],
    pdf: bool,
    revisions: str = "",
    release: str = "",
) -> str:
    """Everything a published edition is made of (see :mod:`uppfoljning.cache`);
    ``revisions`` is the text of its ``data/revideringar.csv``, ``release`` what it
    shows of the publication facts, the review and whether it is a draft."""
    return cache_mod.hash_bytes(
        "edition",
        results,
        *sorted(notebook_keys),
        revisions,
        release,
        cache_mod.tree_digest(project.book_dir),
        cache_mod.file_digest(project.book_config),
        cache_mod.file_digest(project.toc),
        ",".join(units["unit_id"]),
        ",".join(map(str, sorted(editions))),
        str(pdf),
    )


class EditionBuild:
    """One edition's build in two halves, so that :func:`build_editions` can overlap
    them across editions: :meth:`compute` (gate, results, notebooks: the warm kernels'
    work) and :meth:`finish` (book, PDF, publish: Jupyter Book's). :func:`build_edition`
    runs both in turn; :meth:`close` always ends it (work folder, pool).

    ``earlier``: the published tables (``indikatorer.csv`` as bytes, by edition) of the
    editions of the same run computed before this one and not yet published. They stand
    in for their folders in ``OUT``, so this edition's disclosure control, revisions and
    list of editions are exactly what they would be had those editions been published
    first."""

    def __init__(
        self,
        data_dir: Path | str,
        edition: int,
        out_dir: Path | str | None,
        jobs: int | None,
        only: Iterable[str] | None,
        config: ReportConfig | None,
        *,
        project: Project,
        synthetic: bool | None = None,
        pdf: bool = False,
        keep_work: bool = False,
        work_root: Path | None = None,
        timings: Timings | None = None,
        use_cache: bool = True,
        strict: bool = False,
        shared_pool=None,
        gate: Callable[[], tuple] | None = None,
        earlier: dict[int, bytes] | None = None,
        shared_book: Callable[[], site.BookProcess] | None = None,
        draft: bool = False,
    ):
        self.out_dir = Path(out_dir).resolve() if out_dir else project.site_dir
        # OUT can be written and what this build replaces there is the tool's: before work
        site.check_out_dir(self.out_dir, [edition])
        self.draft = draft
        self.config = config or project.load_config()
        # a final edition needs every publication fact and a readable review file:
        # both are checked before the long part of the build
        self.config.check_publication_facts(draft=draft)
        self.facts = formatting.publication_facts(self.config.facts)
        self.outcomes = review_mod.read_outcomes(project.review_file)
        if pdf:
            from . import pdf as pdf_mod

            pdf_mod.check_available()  # before the long part of the build
        self.started = time.perf_counter()
        self.project = project
        self.data_dir = Path(data_dir).resolve()
        self.jobs = jobs or os.cpu_count() or 1
        self.only = only
        self.timings = timings if timings is not None else Timings()
        self.edition = int(edition)
        self.synthetic, self.pdf, self.strict = synthetic, pdf, strict
        self.keep_work = keep_work
        self.shared_pool, self.gate = shared_pool, gate
        self.shared_book = shared_book  # the run's Jupyter Book process (its own closes it)
        self.earlier = dict(earlier or {})
        self.cache = cache_mod.BuildCache(project.cache_dir, enabled=use_cache)
        self._kernel_environment: dict[str, str] | None = None
        self.work_root = Path(work_root) if work_root else project.work_dir
        self.work_root.mkdir(parents=True, exist_ok=True)
        # what stopped or killed builds left: work folders, kernel sockets, staging copies
        lifeline.remove_stale_work(self.work_root)
        lifeline.remove_stale_sockets()
        lifeline.remove_stale_staging(self.out_dir)
        self.work = Path(tempfile.mkdtemp(prefix=f"{self.edition}-", dir=self.work_root))
        lifeline.claim(self.work)
        self.target = self.out_dir / str(self.edition)
        self.pool = None
        self.book_process: site.BookProcess | None = None
        # work of this build's own that needs no core of the notebooks' (a thread)
        self.side_work = ThreadPoolExecutor(max_workers=1, thread_name_prefix="side")
        self.spreadsheet: Future | None = None
        self.book_log = project.logs_dir / f"jupyter-book-{self.edition}.log"
        self.failed = False
        self.up_to_date = False

    # -- the first half: gate, results, notebooks --------------------------------

    @property
    def kernel_environment(self) -> dict[str, str]:
        """What the kernels are told (:meth:`BuildCache.kernel_environment`, which
        prunes the pictures folder: once a build)."""
        if self._kernel_environment is None:
            self._kernel_environment = self.cache.kernel_environment()
        return self._kernel_environment

    def archive(self) -> list[disclosure.PublishedEdition]:
        """The other editions' published tables: ``OUT``'s, with this run's earlier
        editions in place of their folders."""
        found = {a.edition: a for a in disclosure.read_archive(self.out_dir, exclude=self.edition)}
        for year, data in self.earlier.items():
            if year != self.edition:
                found[year] = disclosure.published_edition(year, data)
        return [found[year] for year in sorted(found)]

    def compute(self) -> bool:
        """Gate, results and notebooks; False when the published edition is up to date
        (nothing left to do)."""
        edition, project, cache, timings = self.edition, self.project, self.cache, self.timings
        with timings.stage("gate+results"):
            if self.synthetic is None:
                self.synthetic = is_synthetic(self.data_dir, project.demo_data)
            archive = self.archive()
            stage_key = results_key(
                self.data_dir, edition, self.config, self.synthetic, project, archive
            )
            self.report = BuildReport(
                results="from the cache (delivery, configuration and code unchanged)"
                if cache.has_results(stage_key)
                else "computed (data gate, indicators, results checks)"
            )
            if self.shared_pool is None and not cache.has_results(stage_key):
                # new data or code: notebooks will run, so warm their kernels meanwhile
                self.pool = execution.start_pool(self.jobs, self.work, self.kernel_environment)
            prepared = prepare_results(
                self.data_dir,
                edition,
                self.config,
                self.work / "results",
                project=project,
                synthetic=self.synthetic,
                cache=cache,
                key=stage_key,
                archive=archive,
                gate=self.gate,
            )
        self.prepared = prepared
        # the review (granskning.yml): a final build stops here, before any notebook
        # runs, when a plausibility warning has no recorded outcome
        self.review = review_mod.review_warnings(prepared.results_warnings, self.outcomes, edition)
        review_mod.check_review(self.review, self.outcomes, draft=self.draft, warn=warn)
        context.write_plausibility_warnings(
            prepared.results_dir,
            context.with_outcomes(
                context.read_plausibility_warnings(prepared.results_dir), self.review.outcomes
            ),
        )
        lifeline.give_back_memory()  # the delivery is gone; the kernels need the room
        check_chapter_claims(project.book_dir, prepared, strict=self.strict)
        check_main_points(prepared)
        # figures of earlier years that changed since the newest earlier edition
        self.revisions = revisions_mod.find_revisions(
            self.out_dir, edition, prepared.indicators, prepared.units, earlier=self.earlier
        )
        self.revisions_csv = revisions_mod.to_csv_text(self.revisions)
        if revisions_mod.summary(self.revisions):
            print(revisions_mod.summary(self.revisions), file=sys.stderr)
        self.units = units = select_units(prepared.units, self.only, edition)
        self.toc, city_notebooks = site.expand_toc(site.read_yaml(project.toc), units)
        self.book_dir = self.work / "book"
        self.book_dir.mkdir()
        self.job_list = notebook_jobs(
            prepared, units, city_notebooks, project.notebooks_dir, self.book_dir, cwd=self.work
        )
        self.environment = environment_key(project)
        page_inputs = PageInputs(prepared.results_dir)
        keyed = []
        for job in self.job_list:
            identity, parts = notebook_key_parts(job, page_inputs.parts(job), self.environment)
            keyed.append((job, identity, parts, cache_mod.hash_bytes(*parts.values())))
        self.editions = sorted(set(site.editions_in(self.out_dir)) | set(self.earlier) | {edition})
        release = repr((self.facts, self.draft, self.review.key))
        self.whole = edition_key(
            stage_key,
            [k for *_, k in keyed],
            project,
            units,
            self.editions,
            self.pdf,
            self.revisions_csv,
            release,
        )
        if cache.published_key(self.target) == self.whole:
            self.up_to_date = True
            print(
                f"{self.target} is up to date: no input, notebook or chapter changed "
                f"({format_seconds(time.perf_counter() - self.started)})",
                file=sys.stderr,
            )
            return False
        # the spreadsheet (~0.8 s of openpyxl) is written while the kernels work
        self.spreadsheet = self.side_work.submit(
            write_spreadsheet, prepared, self.work / "data" / "indikatorer.xlsx", self.facts
        )
        self.run_notebooks(keyed)
        return True

    def run_notebooks(self, keyed: list) -> None:
        cache, report = self.cache, self.report
        with self.timings.stage("notebooks"):
            to_run = []
            for job, identity, parts, key in keyed:
                if cache.load_notebook(key, job.output):
                    report.cached.append(f"{job.unit} ({job.template.stem})")
                else:
                    to_run.append(
                        (job, identity, parts, key, cache.notebook_reason(identity, parts))
                    )
            report.ran = [
                (f"{job.unit} ({job.template.stem})", reason) for job, *_, reason in to_run
            ]
            print(
                f"notebooks: {len(self.job_list) - len(to_run)} of {len(self.job_list)} "
                f"unchanged (from the cache), {len(to_run)} to run",
                file=sys.stderr,
            )
            progress = NotebookProgress(
                len(to_run), reasons={job.output: reason for job, *_, reason in to_run}
            )
            execution.run_jobs(
                [item[0] for item in to_run],
                self.jobs,
                keep_dir=self.project.failed_dir / str(self.edition),
                on_done=progress,
                executor=self.pool or self.shared_pool,
                environment=self.kernel_environment,
            )
            for job, _, _, key, _ in to_run:
                cache.store_notebook(key, job.output)
            cache.remember_notebooks({identity: parts for _, identity, parts, _, _ in to_run})
        if self.pool is not None:
            # the warm kernels (~300 MiB each) and their workers are done: they exit
            # (~0.2 s) before Jupyter Book starts, so the two never hold memory together
            self.pool.shutdown(wait=True)
            self.pool = None
        # Jupyter Book imports while the notebooks are finished and the book is staged
        self.book_process = (
            self.shared_book() if self.shared_book is not None else site.BookProcess(self.book_log)
        )
        for job in self.job_list:
            execution.finish_notebook(job.output, notebook_outputs(job, self.pdf))

    @property
    def published_table(self) -> bytes:
        """This edition's ``indikatorer.csv`` as it will be published."""
        return published_table_text(self.prepared.indicators).encode("utf-8")

    # -- the second half: book, PDF, publish --------------------------------------

    def finish(self, stopping: Callable[[], bool] = lambda: False) -> Path:
        """Book, PDF and publish; then print the summary. ``stopping``: asked just before
        anything under ``OUT`` changes (a run that is being stopped publishes nothing
        more)."""
        prepared, project, timings, edition = (
            self.prepared,
            self.project,
            self.timings,
            self.edition,
        )
        book_dir, out_dir = self.book_dir, self.out_dir
        with timings.stage("book"):
            glue_keys = stage_book(
                prepared,
                self.units,
                project,
                book_dir,
                self.toc,
                self.editions,
                project.cache_dir,
                pdf=self.pdf,
                facts=self.facts,
                draft=self.draft,
                outcomes=self.review.outcomes,
            )
            (book_dir / site.GENERATED_DIR / "revideringar.md").write_text(
                revisions_mod.fragment(self.revisions, edition), encoding="utf-8"
            )
            project.logs_dir.mkdir(exist_ok=True)
            (project.logs_dir / f"glue-keys-{edition}.md").write_text(glue_keys, encoding="utf-8")
            # a prose-only change re-reads just the edited pages (cache.BookMirror)
            html_dir, book_plan = site.build_book(
                book_dir,
                self.work / "jb",
                self.book_log,
                self.cache,
                name=str(edition),
                base_key=self.environment,
                process=self.book_process,
            )
            self.report.book = f"{book_plan.mode}: {book_plan.reason}"
            interface_check.check_swedish_interface(html_dir)  # no English theme text
        if self.pdf:
            from . import pdf as pdf_mod

            with timings.stage("pdf"):
                # the cover's publication facts come from report.yml (pdf.cover_for)
                cover = pdf_mod.cover_for(
                    self.config, edition, prepared.meta.synthetic, draft=self.draft
                )
                unit_jobs = unit_pdf_jobs(self.units, html_dir, self.config.title, edition)
                pdf_mod.write_pdfs(
                    book_dir,
                    self.work / "pdf",
                    html_dir / pdf_mod.pdf_name(edition),
                    f"{self.config.title} {edition}",
                    project.logs_dir / f"jupyter-book-{edition}-pdf.log",
                    unit_jobs,
                    cover=cover,
                    cache_dir=project.cache_dir / "pdf",
                )
        staging = None
        try:
            with timings.stage("publish"):
                (html_dir / "data").mkdir(parents=True, exist_ok=True)
                (html_dir / "data" / "indikatorer.csv").write_bytes(self.published_table)
                (html_dir / revisions_mod.REVISIONS_TABLE).write_text(
                    self.revisions_csv, encoding="utf-8"
                )
                shutil.move(self.spreadsheet.result(), html_dir / "data" / "indikatorer.xlsx")
                # the archive index marks a draft; a final build of the year replaces it
                if self.draft:
                    (html_dir / site.DRAFT_MARKER).write_text(
                        labels.DRAFT_MARK + "\n", encoding="utf-8"
                    )
                out_dir.mkdir(parents=True, exist_ok=True)
                staging = out_dir / f".{edition}.new-{os.getpid()}"
                try:
                    os.rename(html_dir, staging)
                except OSError as exc:  # OUT on another file system than _build
                    if exc.errno != errno.EXDEV:
                        raise
                    shutil.copytree(html_dir, staging)
                # builds publishing into the same OUT take turns: each edition is
                # replaced whole, and the index lists what is there when the last ends
                with lifeline.exclusive(
                    out_dir,
                    waiting=lambda: warn(f"waiting for another build publishing into {out_dir}"),
                ):
                    if stopping():
                        raise KeyboardInterrupt  # the run is being stopped
                    # neither the edition nor the index is replaced when either is not
                    # the tool's (checked before the build too; a user may have been quick)
                    site.check_ours(out_dir, [edition])
                    site.publish(staging, self.target)
                    staging = None
                    site.write_site_index(out_dir, self.config.title)
                    self.cache.remember_published(self.target, self.whole)
            self.cache.prune()  # the entries this build used were just renewed
        finally:
            if staging is not None and staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        print(
            build_summary(
                str(self.target), time.perf_counter() - self.started, timings.stages, self.report
            ),
            file=sys.stderr,
        )
        return self.target

    # -- the end --------------------------------------------------------------------

    def fail(self, exc: BaseException) -> None:
        """The build failed or was stopped: end its own pool at once; a failed notebook
        keeps the work folder for inspection (until a newer build fails)."""
        if self.pool is not None:
            execution.stop_pool(self.pool)  # don't wait for notebooks nobody will read
            self.pool = None
        if isinstance(exc, NotebookError):
            self.keep_work = self.failed = True
            lifeline.mark_failed(self.work)

    def close(self) -> None:
        self.side_work.shutdown(wait=True, cancel_futures=True)  # before the folder goes
        if self.book_process is not None and self.shared_book is None:
            self.book_process.close()  # one never handed its book (a failed build)
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        if not self.keep_work:
            shutil.rmtree(self.work, ignore_errors=True)
        lifeline.release(self.work)
        if self.failed:  # only the newest failed build's folder is kept
            lifeline.remove_stale_work(self.work_root)


def build_edition(
    data_dir: Path | str,
    edition: int,
    out_dir: Path | str | None = None,
    jobs: int | None = None,
    only: Iterable[str] | None = None,
    config: ReportConfig | None = None,
    *,
    project: Project,
    synthetic: bool | None = None,
    pdf: bool = False,
    keep_work: bool = False,
    work_root: Path | None = None,
    timings: Timings | None = None,
    use_cache: bool = True,
    strict: bool = False,
    draft: bool = False,
) -> Path:
    """Build edition ``edition`` of the delivery in ``data_dir`` into ``OUT/<edition>``
    (default ``OUT`` = ``<project>/_build/site``) and return that folder. ``config``
    defaults to the project's report configuration.

    Unchanged work is taken from the cache (``<project>/_build/cache``): see
    :mod:`uppfoljning.cache`. Progress and a summary go to stderr. With ``strict`` a
    chapter's false claim (:mod:`uppfoljning.claims`) is an error, not a warning. A
    ``draft`` is published with the draft marks and may lack publication facts and
    review outcomes (:mod:`uppfoljning.review`); a final build may not."""
    run = EditionBuild(
        data_dir,
        edition,
        out_dir,
        jobs,
        only,
        config,
        project=project,
        synthetic=synthetic,
        pdf=pdf,
        keep_work=keep_work,
        work_root=work_root,
        timings=timings,
        use_cache=use_cache,
        strict=strict,
        draft=draft,
    )
    try:
        if run.compute():
            run.finish()
    except BaseException as exc:
        run.fail(exc)
        raise
    finally:
        run.close()
    return run.target


def build_editions(
    data_dir: Path | str,
    editions: Iterable[int],
    out_dir: Path | str | None = None,
    jobs: int | None = None,
    config: ReportConfig | None = None,
    *,
    project: Project,
    **options,
) -> list[Path]:
    """Build several editions of one delivery in one run (``build --year 2018-2024``)
    and return their folders.

    The delivery is validated once (lazily: not at all when every edition's results
    are cached), the notebooks of every edition run on one pool of warm kernels, and
    each edition is computed and published all or nothing, the earliest first: a later
    edition's disclosure control, revisions and list of editions see the earlier ones
    exactly as when they are built one by one (:class:`EditionBuild`, ``earlier``).

    The editions overlap: while Jupyter Book builds and publishes one edition (in a
    thread of this process, which waits on its subprocess), the next one is computed
    and its notebooks run. One Jupyter Book process builds every edition's book, in
    turn (:class:`site.BookProcess`).

    A failure stops the run: the edition that failed and every later one are not
    published; the earlier ones are, in order. The exception raised then carries the
    editions that were published, oldest first, as ``published_editions`` (the command
    line says which). ``options`` are :func:`build_edition`'s keyword options."""
    import threading

    from . import validation

    editions = sorted(set(int(e) for e in editions))
    # OUT can be written and no edition folder there is another's: before any work
    site.check_out_dir(Path(out_dir).resolve() if out_dir else project.site_dir, editions)
    config = config or project.load_config()
    data_dir = Path(data_dir).resolve()
    jobs = jobs or os.cpu_count() or 1
    work_root = Path(options.get("work_root") or project.work_dir)
    work_root.mkdir(parents=True, exist_ok=True)
    pool_dir = Path(tempfile.mkdtemp(prefix="editions-", dir=work_root))
    lifeline.claim(pool_dir)
    cache = cache_mod.BuildCache(project.cache_dir, enabled=options.get("use_cache", True))
    gate = functools.cache(
        lambda: validation.gate(
            data_dir, project.load_suites().inputs, store=cache.suite_outcomes()
        )
    )
    only = options.pop("only", None)
    stopping = threading.Event()  # the run was stopped: publish nothing more
    broken = threading.Event()  # an edition failed: publish no later one
    finishing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish")
    pending = []  # (edition build, future of its finish), oldest first
    earlier: dict[int, bytes] = {}
    pool = None
    book_process: site.BookProcess | None = None
    published: list[int] = []  # editions this run has published, in order

    def shared_book() -> site.BookProcess:
        # started when the first edition's notebooks are done, as a single build's is
        nonlocal book_process
        if book_process is None:
            book_process = site.BookProcess(
                project.logs_dir / "jupyter-book-editions.log", books=None
            )
        return book_process

    def finish(run: EditionBuild) -> Path | None:
        try:
            if broken.is_set():
                return None  # an earlier edition failed: this one is not published
            target = run.finish(stopping=lambda: stopping.is_set() or broken.is_set())
            published.append(run.edition)
            return target
        except BaseException as exc:
            broken.set()
            run.fail(exc)
            raise
        finally:
            run.close()

    def raise_first_failure() -> None:
        for _, future in pending:
            if future is not None and future.done() and future.exception() is not None:
                raise future.exception()

    try:
        pool = execution.start_pool(jobs, pool_dir, cache.kernel_environment())
        for edition in editions:
            raise_first_failure()  # a failed book stops the run before the next edition
            run = EditionBuild(
                data_dir,
                edition,
                out_dir,
                jobs,
                only,
                config,
                project=project,
                shared_pool=pool,
                gate=gate,
                earlier=earlier,
                shared_book=shared_book,
                **options,
            )
            try:
                ready = run.compute()
            except BaseException as exc:
                run.fail(exc)
                run.close()
                raise
            earlier[edition] = run.published_table
            if ready:
                pending.append((run, finishing.submit(finish, run)))
            else:
                run.close()
                pending.append((run, None))
        return [future.result() if future is not None else run.target for run, future in pending]
    except BaseException as exc:
        if not isinstance(exc, Exception):
            stopping.set()  # stopped: what is still being finished is not published
        # complete once the clean-up below has waited for the editions being finished
        exc.published_editions = published
        raise
    finally:
        # the editions computed before a failure are still finished and published, in
        # order (a stopped run publishes none more); the first failure is raised
        finishing.shutdown(wait=True, cancel_futures=stopping.is_set())
        for run, future in pending:
            if future is not None and future.cancelled():
                run.close()  # never started: its work folder goes now
        if pool is not None:
            execution.stop_pool(pool)  # the kernels end with their workers
        if book_process is not None:
            book_process.close(kill=stopping.is_set())
        shutil.rmtree(pool_dir, ignore_errors=True)
        lifeline.release(pool_dir)


def run_unit(
    unit_id: str,
    data_dir: Path | str,
    edition: int,
    config: ReportConfig | None = None,
    *,
    project: Project,
) -> Path:
    """Execute one unit's notebook (``uppfoljning run --unit``) into
    ``<project>/_build/run/<edition>/<unit_id>.ipynb`` and return its path."""
    config = config or project.load_config()
    edition = int(edition)
    run_dir = project.run_dir / str(edition)
    prepared = prepare_results(
        Path(data_dir).resolve(), edition, config, run_dir / "results", project=project
    )
    select_units(prepared.units, [unit_id], edition)  # a unit of the edition, or an error
    output = run_dir / f"{unit_id}.ipynb"
    job = execution.NotebookJob(
        unit=unit_id,
        template=project.notebooks_dir / f"{layout.UNIT_PAGE}.ipynb",
        output=output,
        parameters={
            "unit_id": unit_id,
            "edition": edition,
            "results_dir": str(prepared.results_dir),
        },
        cwd=run_dir,
    )
    execution.run_jobs([job], 1, keep_dir=project.failed_dir / str(edition))
    execution.finish_notebook(output, notebook_outputs(job))
    return output
