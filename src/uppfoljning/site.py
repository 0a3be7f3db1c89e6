"""The static site around the notebooks: book staging, table of contents, the vendored
chart JavaScript, generated appendix fragments, the Jupyter Book run, publishing and the
edition list ``OUT/index.html``.

``_toc.yml`` at the project root is a *template*: besides ordinary ``file:`` entries it
may hold

- ``notebook: NAME`` with ``file: PATH`` — run ``notebooks/NAME.ipynb`` once per edition
  (city-wide parameters) and place the executed notebook at ``PATH``;
- ``units: KIND`` — replaced by one chapter per unit of that kind in the edition
  (``stadsdelar/<unit_id>`` or ``fackforvaltningar/<unit_id>``), in the registry's order.
"""

from __future__ import annotations

import copy
import ctypes
import ctypes.util
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from . import catalog, labels, lifeline, templating
from .cache import BookMirror, BookPlan, BuildCache
from .errors import UppfoljningError, UsageError
from .units import CITY_ID

VEGA_BUNDLE = "uppfoljning-vega.js"
EDITION_DIR = re.compile(r"^\d{4}$")
GENERATED_DIR = "_generated"
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


class BookBuildError(UppfoljningError):
    """Jupyter Book failed or warned (warnings are errors)."""


# ---------------------------------------------------------------------------
# Table of contents


@dataclass(frozen=True)
class CityNotebook:
    name: str  # template stem in notebooks/
    file: str  # page path in the book, without suffix
    area: str | None = None  # the `area` parameter of a chapter template (notebooks/omrade)


def read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def write_yaml(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _expand_entries(
    entries: list[dict], units: pd.DataFrame, city: list[CityNotebook]
) -> list[dict]:
    expanded: list[dict] = []
    for entry in entries:
        if "units" in entry:
            kind = entry["units"]
            for row in units[units["kind"] == kind].itertuples():
                expanded.append({"file": row.page})
            continue
        entry = dict(entry)
        if "notebook" in entry:
            city.append(CityNotebook(entry.pop("notebook"), entry["file"], entry.pop("area", None)))
        for key in ("sections", "chapters"):
            if key in entry:
                entry[key] = _expand_entries(entry[key], units, city)
        expanded.append(entry)
    return expanded


def expand_toc(template: dict, units: pd.DataFrame) -> tuple[dict, list[CityNotebook]]:
    """The edition's ``_toc.yml`` and the city notebooks it needs. ``units`` has
    unit_id, kind and page columns, in page order. Parts left empty are dropped."""
    toc = copy.deepcopy(template)
    city: list[CityNotebook] = []
    if "parts" in toc:
        parts = []
        for part in toc["parts"]:
            part = dict(part)
            part["chapters"] = _expand_entries(part.get("chapters", []), units, city)
            if part["chapters"]:
                parts.append(part)
        toc["parts"] = parts
    for key in ("chapters", "sections"):
        if key in toc:
            toc[key] = _expand_entries(toc[key], units, city)
    return toc, city


# ---------------------------------------------------------------------------
# The researcher's chapters (book/ and book/utgavor/<E>/)

EDITIONS_DIR = "utgavor"  # book/utgavor/<E>/<chapter>.md replaces book/<chapter>.md


def stage_chapters(book_source: Path, book_dir: Path, edition: int) -> dict[str, str]:
    """Copy ``book/`` into ``book_dir`` and lay the edition's own chapters
    (``book/utgavor/<E>/``, any subset of the files) over the default ones, so every
    edition has a full set and a year without its own text gets the default.

    Returns where each staged Markdown file came from (staged path -> source path
    relative to the project, e.g. ``sammanfattning.md`` ->
    ``book/utgavor/2024/sammanfattning.md``) for error messages."""
    shutil.copytree(
        book_source,
        book_dir,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(".*", "_build", "__pycache__", EDITIONS_DIR, "*.mo"),
    )
    compile_catalogues(book_dir)
    origin = {
        path.relative_to(
            book_dir
        ).as_posix(): f"{book_source.name}/{path.relative_to(book_dir).as_posix()}"
        for path in book_dir.rglob("*.md")
        if (book_source / path.relative_to(book_dir)).is_file()
    }
    own = book_source / EDITIONS_DIR / str(edition)
    if own.is_dir():
        shutil.copytree(
            own, book_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*", "__pycache__")
        )
        for path in own.rglob("*.md"):
            relative = path.relative_to(own).as_posix()
            origin[relative] = f"{book_source.name}/{EDITIONS_DIR}/{edition}/{relative}"
    return origin


def substitute_results(book_dir: Path, values: dict[str, str]) -> list[str]:
    """Write the edition's computed figures (``{{ dolda_sma }}`` ...) into the staged
    Markdown chapters that use them, instead of passing them as MyST substitutions in
    ``_config.yml``: a changed figure then changes only the chapters that show it, and
    a corrected delivery's book stays incremental (any change to ``_config.yml`` makes
    Sphinx read every page again). Returns the staged files it changed."""
    if not values:
        return []
    pattern = re.compile(r"\{\{\s*(" + "|".join(map(re.escape, values)) + r")\s*\}\}")
    changed = []
    for path in sorted(book_dir.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        new = pattern.sub(lambda match: values[match.group(1)], text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path.relative_to(book_dir).as_posix())
    return changed


def compile_catalogues(book_dir: Path) -> None:
    """Write each message catalogue (``.po``, ``<lang>/LC_MESSAGES/``) of the staged
    book as the ``.mo`` Sphinx reads, with the very bytes Sphinx itself would write.
    Left to Sphinx, the ``.mo`` appears in the source folder during a build, so the
    next build's staged copy differs from the incremental mirror and every build,
    prose edits too, would start afresh; and Sphinx rewrites a ``.mo`` older than its
    ``.po`` (as a freshly synced mirror's may be), so the bytes must be the same."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(book_dir.rglob("*.po")):
        with po.open("rb") as source:
            catalogue = read_po(source, po.parent.parent.name)
        with po.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalogue)


# `{glue:text}`path::key:fmt`` (and {glue}, {glue:md}, {glue:any}) roles and the
# ```{glue} key / ```{glue:figure} key directives of myst-nb.
_GLUE_ROLE = re.compile(r"\{glue(?::(?:text|md|any|figure|math))?\}`([^`]+)`")
# A directive's options follow its first line; `:doc: path` names the notebook.
_GLUE_DIRECTIVE = re.compile(
    r"^(?:`{3,}|:{3,})\{glue(?::[a-z]+)?\}[ \t]+(\S+)"
    r"((?:\n[ \t]*:[a-z_-]+:[^\n]*)*)",
    re.MULTILINE,
)
_DOC_OPTION = re.compile(r"^[ \t]*:doc:[ \t]*(\S+)", re.MULTILINE)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


class GlueReferenceError(BookBuildError):
    """A chapter refers to a glued result that no notebook of the edition provides."""


def notebook_glue_values(path: Path) -> dict[str, str]:
    """Name -> text of every result glued (``myst_nb.glue``) in an executed notebook."""
    import ast

    import nbformat

    values = {}
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            scrapbook = output.get("metadata", {}).get("scrapbook", {})
            name = scrapbook.get("name")
            if name:
                prefix = scrapbook.get("mime_prefix", "")
                text = output.get("data", {}).get(f"{prefix}text/plain", "")
                try:
                    value = ast.literal_eval(text)
                except (ValueError, SyntaxError):
                    value = text
                values[name] = str(value)
    return values


GlueReader = Callable[[Path], dict[str, str]]  # notebook -> its glued name -> text


def glue_index(book_dir: Path, edition: int, read: GlueReader = notebook_glue_values) -> str:
    """The researcher's list of every result a chapter can insert: per city notebook
    (and one unit page as the example of all), each key with its value this edition
    and the line to paste. Written by the build to ``_build/logs/glue-keys-<E>.md``."""
    notebooks = sorted((book_dir / "stad").glob("*.ipynb"))
    units = sorted(book_dir.glob("stadsdelar/*.ipynb"))
    lines = [
        f"# Resultat att infoga i kapitlen, utgåva {edition}",
        "",
        "Klistra in raden i högerkolumnen i ett kapitel i `book/` eller "
        f"`book/utgavor/{edition}/`. Värdet är utgåvans; texten följer med när "
        "siffrorna ändras.",
        "",
    ]
    for notebook in notebooks + units[:1]:
        doc = notebook.relative_to(book_dir).as_posix()
        lines += [f"## {doc}", "", "| nyckel | värde | att skriva |", "|---|---|---|"]
        if notebook in units:
            lines[-4] += " (samma nycklar för varje stadsdelsförvaltning)"
        for key, value in sorted(read(notebook).items()):
            value = value.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| `{key}` | {value} | ``{{glue:text}}`{doc}::{key}:s` `` |")
        lines.append("")
    return "\n".join(lines)


def glue_references(text: str) -> list[tuple[int, str | None, str]]:
    """(line, document path or None for the page itself, key) of every glue reference
    in a MyST Markdown text; HTML comments are skipped as MyST skips them."""
    blanked = _HTML_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    found = []
    for match in [*_GLUE_ROLE.finditer(blanked), *_GLUE_DIRECTIVE.finditer(blanked)]:
        content = match.group(1).strip()
        path: str | None = None
        if "::" in content:
            path, content = content.split("::", 1)
        elif match.re is _GLUE_DIRECTIVE and (doc := _DOC_OPTION.search(match.group(2))):
            path = doc.group(1)
        key = content.split(":", 1)[0]  # drop a format spec (keys never hold a colon)
        found.append((match.start(), blanked.count("\n", 0, match.start()) + 1, path, key))
    return [(line, path, key) for _, line, path, key in sorted(found, key=lambda f: f[0])]


def glue_citers(book_dir: Path, notebooks: list[str]) -> list[str]:
    """The Markdown pages of ``book_dir`` that glue a result from one of ``notebooks``
    (paths relative to ``book_dir``). Sphinx's incremental build does not know that
    such a page depends on the notebook (:meth:`uppfoljning.cache.BookMirror.plan`)."""
    wanted = {(book_dir / n).resolve() for n in notebooks}
    return [
        page.relative_to(book_dir).as_posix()
        for page in sorted(book_dir.rglob("*.md"))
        if page.relative_to(book_dir).parts[0] != "_build"
        and any(
            doc is not None and (page.parent / doc).resolve() in wanted
            for _, doc, _ in glue_references(page.read_text(encoding="utf-8"))
        )
    ]


def check_glue_references(
    book_dir: Path, origin: dict[str, str] | None = None, read: GlueReader = notebook_glue_values
) -> int:
    """Check every glue reference of the staged Markdown chapters against the executed
    notebooks before Jupyter Book runs, and fail with one line per missing result naming
    the chapter (its source file) and the key. Returns how many references were checked.

    (Jupyter Book alone reports it as a myst-nb warning deep in its log, with the staged
    path, and only after the whole build.)"""
    import difflib

    read = functools.cache(read)  # a notebook is read once, however often it is cited
    origin = origin or {}
    problems: list[str] = []
    checked = 0
    for page in sorted(book_dir.rglob("*.md")):
        relative = page.relative_to(book_dir)
        if relative.parts[0] in (GENERATED_DIR, "_static", "_build"):
            continue
        chapter = origin.get(relative.as_posix(), relative.as_posix())
        for line, doc, key in glue_references(page.read_text(encoding="utf-8")):
            checked += 1
            where = f"chapter {chapter}, line {line}"
            if doc is None:
                problems.append(
                    f"{where}: glue key {key!r} has no document; a Markdown "
                    f"chapter has no results of its own, write "
                    f"`{{glue:text}}`stad/<kapitel>.ipynb::{key}:s``"
                )
                continue
            notebook = (page.parent / doc).resolve()
            if not notebook.is_file():
                problems.append(
                    f"{where}: glue key {key!r} refers to {doc}, which is "
                    f"not a notebook of this edition"
                )
                continue
            glued = read(notebook)
            if key not in glued:
                near = difflib.get_close_matches(key, sorted(glued), n=3)
                hint = f"; did you mean {', '.join(near)}?" if near else ""
                problems.append(f"{where}: glue key {key!r} is not a result of {doc}{hint}")
    if problems:
        raise GlueReferenceError(
            f"{len(problems)} missing glue reference(s) in the book's chapters: "
            + "; ".join(problems)
        )
    return checked


# ---------------------------------------------------------------------------
# Configuration


def stage_config(
    root_config: dict,
    *,
    edition: int,
    title: str,
    synthetic: bool,
    substitutions: dict[str, str],
    facts: list[tuple[str, str]] = (),
    draft: bool = False,
) -> dict:
    """The edition's ``_config.yml``: root config plus title, footer and MyST
    substitutions (``{{ utgava }}`` etc. in ``book/`` chapters). ``facts``: the
    publication facts as (label, text) pairs (:func:`formatting.publication_facts`),
    escaped into every page's footer. A ``draft`` turns on the draft marks
    (:mod:`uppfoljning.page_marks`)."""
    config = copy.deepcopy(root_config)
    config["title"] = f"{title} {edition}"
    # no copyright line: the theme writes it in English ("© Copyright 2024."), and the
    # footer already names the publisher (author)
    config["copyright"] = ""
    html_config = config.setdefault("html", {})
    footer = [html_config.get("extra_footer", "")]
    if facts:
        footer.append(facts_html(facts, "uppf-facts-footer"))
    if synthetic:
        footer.append(
            str(templating.Markup('<p class="uppf-synthetic">{}</p>').format(labels.SYNTHETIC_NOTE))
        )
    html_config["extra_footer"] = "\n".join(f for f in footer if f)
    parse = config.setdefault("parse", {})
    parse["myst_substitutions"] = {**parse.get("myst_substitutions", {}), **substitutions}
    sphinx = config.setdefault("sphinx", {})
    sphinx_config = sphinx.setdefault("config", {})
    # the project's own list of extensions replaces Jupyter Book's (and its extras)
    listed = "extensions" if "extensions" in sphinx_config else None
    extensions = sphinx_config if listed else sphinx
    key = listed or "extra_extensions"
    extensions[key] = [*extensions.get(key, []), "uppfoljning.page_marks"]
    sphinx_config["uppfoljning_start_title"] = labels.START_PAGE_TITLE
    if draft:
        sphinx_config["uppfoljning_draft_mark"] = labels.DRAFT_MARK
    return config


def facts_html(facts: list[tuple[str, str]], css_class: str) -> str:
    """The publication facts as one paragraph, "Publicerad: 31 mars 2025 · Ansvarig: …"
    (every text escaped)."""
    return templating.render("facts.html", facts=facts, css_class=css_class)


def facts_fragment(facts: list[tuple[str, str]]) -> str:
    """The start page's publication facts (``_generated/publicering.md``): a list of
    label and text, every text escaped; nothing when no fact is given (a draft)."""
    if not facts:
        return ""
    return templating.render("facts_list.html", heading=labels.FACTS_HEADING, facts=facts)


# ---------------------------------------------------------------------------
# Vendored JavaScript


def vega_bundle_text() -> str:
    """vega, vega-lite and vega-embed as one classic script that sets
    ``window.vegaEmbed`` (vl-convert's bundle is an ES module without imports)."""
    import vl_convert

    bundle = vl_convert.javascript_bundle()
    header = (
        f"/* vega + vega-lite + vega-embed, bundled by vl-convert-python "
        f"{getattr(vl_convert, '__version__', '')}; BSD-3-Clause licences. */\n"
    )
    return header + "(function () {\n" + bundle + "\n})();\n"


def _bundle_name() -> str:
    import vl_convert

    version = re.sub(r"[^0-9A-Za-z.]+", "_", getattr(vl_convert, "__version__", "x"))
    return f"vega-bundle-{version}.js"


def installed_vega_bundle() -> Path:
    """Where ``make install`` puts the bundle: in the environment, next to the locked
    package it comes from (``<venv>/share/uppfoljning/``)."""
    return Path(sys.prefix) / "share" / "uppfoljning" / _bundle_name()


def install_vega_bundle() -> Path:
    """Bundle vega once per environment (vl-convert takes ~2 s), as ``make install``
    compiles bytecode once: every build then only copies the file."""
    target = installed_vega_bundle()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(vega_bundle_text(), encoding="utf-8")
    os.replace(temporary, target)
    return target


def write_vega_bundle(static_dir: Path, cache_dir: Path | None = None) -> Path:
    """Write the bundle into ``static_dir``: the environment's (``make install``), else
    the build cache's, else bundled now (and cached per vl-convert version)."""
    static_dir.mkdir(parents=True, exist_ok=True)
    target = static_dir / VEGA_BUNDLE
    if installed_vega_bundle().is_file():
        shutil.copyfile(installed_vega_bundle(), target)
        return target
    cached = None
    if cache_dir is not None:
        cached = cache_dir / _bundle_name()
        if cached.is_file():
            shutil.copyfile(cached, target)
            return target
    target.write_text(vega_bundle_text(), encoding="utf-8")
    if cached is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(target, temporary)
        os.replace(temporary, cached)
    return target


# ---------------------------------------------------------------------------
# Generated appendix fragments (HTML tables: nothing in them is parsed as MyST)


def html_table(
    frame: pd.DataFrame,
    caption: str | None = None,
    outcome: str | None = None,
    *,
    words: bool = False,
) -> str:
    """``frame`` as an HTML table. With ``outcome`` (a column name), rows whose outcome
    is "godkänd" get the class ``uppf-passed``: print shows only the others. With
    ``words`` (a table of Swedish words and numbers, no file names, identifiers or
    checksums) no word is broken in the middle ("Socialsekreterar/e")."""
    passed = (frame[outcome] == labels.OUTCOME_PASSED).tolist() if outcome else [False] * len(frame)
    rows = [
        (ok, ["" if pd.isna(v) else str(v) for v in row])
        for row, ok in zip(frame.itertuples(index=False), passed, strict=True)
    ]
    return templating.render(
        "table.html",
        rows=rows,
        columns=[str(c) for c in frame.columns],
        caption=caption,
        label=caption or labels.TABLE_REGION,
        classes="table uppf-table uppf-words" if words else "table uppf-table",
    )


def definitions_fragment(present: Iterable[str] = ()) -> str:
    """Metod's table of definitions: every catalogue measure, then every survey index
    and exit reason of the edition's results (``present``), each with its scale and
    direction or what its share means."""
    generated = sorted(
        i for i in set(present) if catalog.is_survey_index(i) or catalog.is_exit_share(i)
    )
    rows = [(label.name, key, label.definition) for key, label in labels.INDICATORS.items()]
    rows += [
        (labels.indicator_label(i).name, i, labels.indicator_label(i).definition) for i in generated
    ]
    frame = pd.DataFrame(rows, columns=["Mått", "Variabel i indikatorer.csv", "Definition"])
    return html_table(frame)


def sources_fragment(sources: pd.DataFrame, code_version: str, built_at: str) -> str:
    """``sources``: Fil, Tabell, Rader, SHA-256 (Swedish column names)."""
    facts = pd.DataFrame(
        {"Uppgift": ["Programversion", "Byggd"], "Värde": [code_version, built_at]}
    )
    return templating.render(
        "sources.html",
        sources=templating.Markup(html_table(sources)),
        facts=templating.Markup(html_table(facts)),
    )


def validation_fragment(report: pd.DataFrame | None) -> str:
    if report is None:
        return _paragraph("Ingen valideringsrapport finns för den här utgåvan.")
    if report.empty:
        return _paragraph("Valideringen fann inga regler att redovisa.")
    return attention_first(report)


def attention_first(report: pd.DataFrame) -> str:
    """The rules or checks that did not pass first (a reader must see them), then every
    rule in a collapsed list under a summary that counts the passed ones."""
    passed = report[labels.COL_OUTCOME] == labels.OUTCOME_PASSED
    summary = labels.RULES_PASSED_SUMMARY.format(passed=int(passed.sum()), total=len(report))
    failing = templating.Markup(html_table(report.loc[~passed])) if (~passed).any() else None
    return templating.render(
        "rules.html",
        print_note=templating.Markup(print_summary(report)),
        failing=failing,
        failing_intro=labels.RULES_NOT_PASSED_INTRO,
        all_passed=labels.RULES_ALL_PASSED,
        summary=summary,
        every_rule=templating.Markup(html_table(report, outcome=labels.COL_OUTCOME)),
    )


def print_summary(report: pd.DataFrame) -> str:
    """The sentence that stands for the passed rules in print (hidden on screen)."""
    passed = int((report[labels.COL_OUTCOME] == labels.OUTCOME_PASSED).sum())
    text = labels.PRINT_PASSED_NOTE.format(passed=passed, total=len(report))
    return str(templating.Markup('<p class="uppf-print-only">{}</p>').format(text))


def _paragraph(text: str) -> str:
    """An appendix fragment that is one paragraph."""
    return str(templating.Markup("<p>{}</p>").format(text))


def results_checks_fragment(
    checks: pd.DataFrame | None,
    warnings: tuple,
    units: pd.DataFrame,
    outcomes: dict[str, str] | None = None,
    *,
    draft: bool = False,
) -> str:
    """The plausibility warnings with the review's outcome of each (``outcomes``: warning
    key -> the analyst's sentence from ``granskning.yml``; in a draft a warning without
    one stands as a question), then the results checks, in Swedish. ``warnings`` are
    :class:`~uppfoljning.results_check.ResultsProblem` of warning severity."""
    if checks is None or checks.empty:
        return _paragraph("Inga kontroller av resultaten finns för den här utgåvan.")
    rules = templating.Markup(attention_first(checks))
    if not warnings:
        return templating.render(
            "results_checks.html", intro=labels.RESULTS_NO_WARNINGS, warnings=None, rules=rules
        )
    outcomes = outcomes or {}
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    names[CITY_ID] = labels.CITY_NAME
    rows = [
        (
            names.get(w.unit_id, w.unit_id),
            labels.indicator_label(w.indicator).name,
            labels.OCCUPATIONS.get(w.occupation, w.occupation),
            f"{w.previous_year}–{w.year}" if w.previous_year is not None else str(w.year),
            outcomes.get(w.key) or labels.REVIEW_PENDING,
        )
        for w in warnings
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            labels.COL_UNIT,
            labels.COL_INDICATOR,
            labels.COL_OCCUPATION,
            labels.COL_YEAR,
            labels.COL_REVIEW_OUTCOME,
        ],
    )
    pending = any(not outcomes.get(w.key) for w in warnings)
    # the review's outcomes first: they are what the reader must see
    return templating.render(
        "results_checks.html",
        intro=labels.RESULTS_WARNINGS_INTRO_DRAFT
        if draft and pending
        else labels.RESULTS_WARNINGS_INTRO,
        warnings=templating.Markup(html_table(frame, words=True)),
        rules=rules,
    )


def statistics_sources_fragment(sources: pd.DataFrame) -> str:
    """Om statistiken: each delivered table, what it is, the years its rows cover and
    its rows (``sources``: :func:`uppfoljning.prepare.sources_frame`)."""
    frame = pd.DataFrame(
        {
            labels.SOURCE_COLUMNS[0]: [
                labels.TABLE_DESCRIPTIONS.get(t, t) for t in sources["Tabell"]
            ],
            labels.SOURCE_COLUMNS[1]: sources["Fil"].to_numpy(),
            labels.SOURCE_COLUMNS[2]: (
                sources["Period"] if "Period" in sources else pd.Series([""] * len(sources))
            ).to_numpy(),
            labels.SOURCE_COLUMNS[3]: sources["Rader"].to_numpy(),
        }
    )
    return html_table(frame)


def review_list_fragment(warnings: tuple, units: pd.DataFrame, outcomes: dict[str, str]) -> str:
    """Om statistiken: what the review found about each plausibility warning, one list
    item each (``outcomes``: key -> sentence; a draft's open ones are questions)."""
    if not warnings:
        return _paragraph(labels.REVIEW_NONE)
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    names[CITY_ID] = labels.CITY_NAME
    items = []
    for w in warnings:
        measure = labels.indicator_label(w.indicator).name
        items.append(
            labels.REVIEW_ITEM.format(
                unit=names.get(w.unit_id, w.unit_id),
                measure_lower=measure[0].lower() + measure[1:],
                occupation_lower=labels.OCCUPATIONS.get(w.occupation, w.occupation).lower(),
                years=f"{w.previous_year}–{w.year}" if w.previous_year is not None else w.year,
                outcome=outcomes.get(w.key) or labels.REVIEW_PENDING,
            )
        )
    return templating.render("list.html", items=items)


def editions_fragment(editions: list[int], current: int) -> str:
    """Links from ``bilagor/tidigare-utgavor`` (two levels below the site root)."""
    years = sorted(set(editions) | {current}, reverse=True)
    return templating.render(
        "editions.html",
        all_editions=labels.ALL_EDITIONS,
        editions=[(year, labels.EDITION.format(year=year), year == current) for year in years],
    )


# ---------------------------------------------------------------------------
# Jupyter Book


def run_jupyter_book(
    source_dir: Path, output_dir: Path, log_path: Path, builder: str = "html"
) -> Path:
    """``jupyter-book build --all -W -n --keep-going`` in a subprocess; the HTML ends up
    in ``output_dir/_build/<builder>`` (returned). Any warning fails the build."""
    return run_book_command(
        book_command(source_dir, output_dir, builder),
        source_dir,
        output_dir / "_build" / builder,
        log_path,
    )


def book_command(source_dir: Path, output_dir: Path, builder: str = "html") -> list[str]:
    """The command of :func:`run_jupyter_book` (pdf.py starts it without waiting)."""
    return [
        sys.executable,
        "-c",
        "from jupyter_book.cli.main import main; main()",
        "build",
        str(source_dir),
        "--path-output",
        str(output_dir),
        "--all",
        "-W",
        "-n",
        "--keep-going",
        "--builder",
        builder,
    ]


def run_book_command(command: list[str], source_dir: Path, html_dir: Path, log_path: Path) -> Path:
    """Run a Jupyter Book build ``command`` in ``source_dir`` with its output in
    ``log_path``; return ``html_dir``, or raise :class:`BookBuildError` with the first
    warnings (paths relative to the book) when it failed or wrote no start page."""
    with log_path.open("w", encoding="utf-8") as log:
        completed = subprocess.run(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=_book_environment(),
            cwd=source_dir,
            check=False,
            preexec_fn=lifeline.preexec_die_with_parent,
        )
    return checked_book_output(completed.returncode, source_dir, html_dir, log_path)


def _book_environment() -> dict[str, str]:
    return dict(os.environ, PYTHONHASHSEED="0")


def checked_book_output(returncode: int, source_dir: Path, html_dir: Path, log_path: Path) -> Path:
    """``html_dir``, or :class:`BookBuildError` with the first warnings of the log
    (paths relative to the book) when the build failed or wrote no start page."""
    if returncode != 0 or not (html_dir / "index.html").is_file():
        text = ANSI_ESCAPE.sub("", log_path.read_text(encoding="utf-8", errors="replace"))
        text = text.replace(f"{source_dir}/", "")
        problems = [
            line.strip()
            for line in text.splitlines()
            if "WARNING" in line or "ERROR" in line or "Error" in line
        ]
        lines = problems[:5] or text.strip().splitlines()[-1:] or ["no output"]
        raise BookBuildError(
            f"Jupyter Book failed (exit {returncode}): {'; '.join(lines)} (full log: {log_path})"
        )
    return html_dir


def run_singlehtml(source_dir: Path, output_dir: Path, log_path: Path) -> Path:
    """The whole staged book as one page (``--builder singlehtml``, for the PDF):
    ``output_dir/_build/singlehtml/index.html``'s folder is returned."""
    return run_jupyter_book(source_dir, output_dir, log_path, builder="singlehtml")


# ---------------------------------------------------------------------------
# Publishing


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE); False if the
    platform can't."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


# ---------------------------------------------------------------------------
# The archive is ours alone: what the tool replaces in OUT, it made
#
# An edition folder the tool publishes carries EDITION_MANIFEST, the list of every path
# in it, written into the new folder before the exchange (so the mark and the folder
# arrive together); OUT/index.html carries <meta name="generator" content="uppfoljning">.
# The tool replaces an OUT/<E>/ or OUT/index.html only when it is marked so (or is what
# earlier versions of the tool wrote, see LEGACY_EDITION_FILES): anything else there is
# the user's, and a build that would replace it stops (exit 2) before it starts.

EDITION_MANIFEST = ".uppfoljning.json"
INDEX_GENERATOR = "uppfoljning"
# every edition folder published before the manifest existed holds these three
LEGACY_EDITION_FILES = ("index.html", "data/indikatorer.csv", f"_static/{VEGA_BUNDLE}")


class ForeignOutputError(UsageError):
    """A build would replace something in ``OUT`` that the tool did not make, or ``OUT``
    is not a folder it can write in."""


def _tree(folder: Path) -> list[str]:
    """Every path under ``folder``, relative, folders ending in ``/``; sorted, so a
    folder comes before what it holds."""
    paths = []
    for top, folders, files in os.walk(folder):
        base = Path(top).relative_to(folder)
        paths += [(base / name).as_posix() + "/" for name in folders]
        paths += [(base / name).as_posix() for name in files]
    return sorted(paths)


def write_edition_manifest(folder: Path) -> Path:
    """Mark ``folder`` (an edition about to be published) as the tool's: its manifest
    lists every path in it."""
    manifest = folder / EDITION_MANIFEST
    paths = [p for p in _tree(folder) if p != EDITION_MANIFEST]
    manifest.write_text(
        json.dumps(
            {
                "made_by": "uppfoljning",
                "note": "uppfoljning build replaces this folder whole; it refuses when the folder "
                "holds a path not listed here",
                "paths": paths,
            },
            ensure_ascii=False,
            indent=0,
        )
        + "\n",
        encoding="utf-8",
    )
    return manifest


def foreign_edition(target: Path) -> str | None:
    """Why the tool may not replace the edition folder ``target`` (a one-line error
    message), or None: absent, empty, marked as the tool's with nothing added, or an
    edition published by an earlier version of the tool (no manifest, but the files
    every edition has held)."""
    move = f"move it out of {target.parent} or build into another --out"
    if target.is_symlink():
        return f"{target} is a symbolic link, not an edition folder uppfoljning made: {move}"
    if not target.exists():
        return None
    if not target.is_dir():
        return f"{target} is not a folder, not an edition folder uppfoljning made: {move}"
    manifest = target / EDITION_MANIFEST
    if manifest.is_file() and not manifest.is_symlink():
        try:
            made = set(json.loads(manifest.read_text(encoding="utf-8"))["paths"])
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            made = None
        if made is not None:
            extra = [p for p in _tree(target) if p != EDITION_MANIFEST and p not in made]
            if not extra:
                return None
            return (
                f"{target / extra[0].rstrip('/')} was not made by uppfoljning, and a "
                f"build replaces {target} whole: move it out of {target} or build "
                "into another --out"
            )
    elif not any(target.iterdir()) or all(
        (target / name).is_file() for name in LEGACY_EDITION_FILES
    ):
        return None  # nothing to lose, or an edition of an earlier version of the tool
    return f"{target} was not made by uppfoljning, and a build replaces that folder whole: {move}"


def foreign_index(index: Path) -> str | None:
    """Why the tool may not rewrite ``OUT/index.html`` (a one-line error message), or
    None: absent, or written by the tool (its generator mark, or the title every
    earlier version wrote)."""
    move = f"move it out of {index.parent} or build into another --out"
    if index.is_symlink() or (index.exists() and not index.is_file()):
        return f"{index} is not a file uppfoljning made, and a build rewrites it: {move}"
    if not index.exists():
        return None
    with index.open("rb") as handle:
        head = handle.read(1 << 16).decode("utf-8", errors="replace")
    marks = (
        f'<meta name="generator" content="{INDEX_GENERATOR}">',
        f"<title>{templating.Markup.escape(labels.SITE_INDEX_TITLE)}</title>",
    )
    if any(mark in head for mark in marks):
        return None
    return f"{index} was not made by uppfoljning, and a build rewrites it: {move}"


def check_writable_folder(out_dir: Path) -> None:
    """``OUT`` is a folder the tool can write in, or can be made one (its nearest
    existing ancestor is): a file written and removed there says so, as root too.
    Nothing is created."""
    existing = Path(out_dir)
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if existing == Path(out_dir) and not existing.is_dir():
        raise ForeignOutputError(
            f"--out {out_dir} is not a folder: give the folder the "
            "site goes in (it is created when missing)"
        )
    if not existing.is_dir():
        raise ForeignOutputError(
            f"--out {out_dir} cannot be created: {existing} is not a "
            "folder; give the folder the site goes in"
        )
    try:
        descriptor, probe = tempfile.mkstemp(prefix=".uppfoljning-probe-", dir=existing)
    except OSError as exc:
        raise ForeignOutputError(
            f"--out {out_dir}: cannot write in {existing} ({exc.strerror}); give a folder "
            "you can write in"
        ) from None
    os.close(descriptor)
    os.unlink(probe)


def check_out_dir(out_dir: Path, editions: Iterable[int] = ()) -> None:
    """Before any work: ``OUT`` can be written, and neither ``OUT/index.html`` nor the
    folders of ``editions`` are something the tool did not make
    (:class:`ForeignOutputError`, exit 2)."""
    out_dir = Path(out_dir)
    check_writable_folder(out_dir)
    check_ours(out_dir, editions)


def check_ours(out_dir: Path, editions: Iterable[int] = ()) -> None:
    """Neither ``OUT/index.html`` nor the folders of ``editions`` are something the tool
    did not make (:class:`ForeignOutputError`)."""
    problem = foreign_index(out_dir / "index.html") or next(
        (p for p in (foreign_edition(out_dir / str(e)) for e in editions) if p), None
    )
    if problem:
        raise ForeignOutputError(problem)


def publish(new_dir: Path, target: Path) -> None:
    """Replace ``target`` by ``new_dir`` (same file system), marked as the tool's
    (:func:`write_edition_manifest`). With an existing target the two are exchanged
    atomically where the OS allows it; the old copy is deleted. A target the tool did
    not make is left as it is (:class:`ForeignOutputError`)."""
    problem = foreign_edition(target)
    if problem:
        raise ForeignOutputError(problem)
    write_edition_manifest(new_dir)
    if not target.exists():
        os.rename(new_dir, target)
        return
    if _exchange(new_dir, target):
        shutil.rmtree(new_dir)  # new_dir now holds the old edition
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, old)
    try:
        os.rename(new_dir, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old)


def editions_in(out_dir: Path) -> list[int]:
    """Edition folders (``OUT/<year>/index.html``) present, newest first."""
    if not out_dir.is_dir():
        return []
    years = [
        int(p.name)
        for p in out_dir.iterdir()
        if p.is_dir() and EDITION_DIR.match(p.name) and (p / "index.html").is_file()
    ]
    return sorted(years, reverse=True)


DRAFT_MARKER = ".utkast"  # OUT/<E>/.utkast: the edition was published as a draft


def is_draft(edition_dir: Path) -> bool:
    """Whether the edition in ``edition_dir`` was published with ``build --draft``."""
    return (edition_dir / DRAFT_MARKER).is_file()


def site_index_html(
    editions: list[int], title: str, drafts: frozenset[int] | set[int] = frozenset()
) -> str:
    return templating.render(
        "site_index.html",
        page_title=labels.SITE_INDEX_TITLE,
        title=title,
        intro=labels.SITE_INDEX_INTRO,
        generator=INDEX_GENERATOR,
        draft_label=labels.DRAFT_MARK,
        editions=[
            (year, labels.EDITION.format(year=year), year in drafts)
            for year in sorted(editions, reverse=True)
        ],
    )


def write_site_index(out_dir: Path, title: str) -> Path:
    """(Re)write ``OUT/index.html`` listing every edition folder present, atomically;
    an ``index.html`` the tool did not make is left as it is
    (:class:`ForeignOutputError`)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "index.html"
    problem = foreign_index(target)
    if problem:
        raise ForeignOutputError(problem)
    fd, temporary = tempfile.mkstemp(prefix=".index-", suffix=".html", dir=out_dir)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        editions = editions_in(out_dir)
        drafts = {year for year in editions if is_draft(out_dir / str(year))}
        handle.write(site_index_html(editions, title, drafts) + "\n")  # ends in a line break
    os.chmod(temporary, 0o644)
    os.replace(temporary, target)
    return target


# ---------------------------------------------------------------------------
# Building the book, incrementally from the cache's mirror when that is safe


# The process itself is :mod:`uppfoljning.book_worker` (``python -m``): its protocol
# (one JSON line per book on stdin, the exit status on stdout) is described there.
BOOK_WORKER = "uppfoljning.book_worker"


class BookProcess:
    """A Jupyter Book process started before its book is staged: the build starts it
    when the notebooks are done, so the imports overlap with finishing the notebooks and
    staging the book, then :meth:`build` hands it the book. A run of several editions
    keeps one for all its books (``books=None``); by default it builds one and exits.
    Its start-up output goes to ``log_path``, each book's to the log :meth:`build` is
    given. :meth:`close` ends it (at once with ``kill``)."""

    def __init__(self, log_path: Path, books: int | None = 1):
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path = log_path
        self.books_left = books
        with log_path.open("w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", BOOK_WORKER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=_book_environment(),
                text=True,
                preexec_fn=lifeline.preexec_die_with_parent,
            )

    def build(
        self, source: Path, output: Path, *, fresh: bool, log_path: Path | None = None
    ) -> Path:
        """Build the book in ``source`` into ``output/_build/html`` (returned), its
        output in ``log_path`` (default: the process's log); any warning fails it
        (:class:`BookBuildError`)."""
        log_path = log_path or self.log_path
        if log_path != self.log_path:
            log_path.write_text("", encoding="utf-8")  # not the last run's (it appends)
        if self.books_left is not None:
            self.books_left -= 1
        request = json.dumps(
            {
                "source": str(source),
                "output": str(output),
                "fresh": fresh,
                "log": str(log_path),
                "last": self.books_left == 0,
            }
        )
        try:
            self.process.stdin.write(request + "\n")
            self.process.stdin.flush()
            if self.books_left == 0:
                self.process.stdin.close()  # its last book: it exits after it
            reply = self.process.stdout.readline().strip()
        except (BrokenPipeError, ValueError):
            reply = ""  # it ended before it was asked: its exit status and log say why
        if reply.isdigit():
            returncode = int(reply)
            if self.books_left == 0:
                self.process.wait()
        else:  # it died: what it wrote before it is in its own log or the book's
            returncode = self.process.wait() or 1
            if not log_path.exists():
                log_path = self.log_path
        return checked_book_output(returncode, source, output / "_build" / "html", log_path)

    def close(self, kill: bool = False) -> None:
        """End the process: told it has no (more) books, it exits; with ``kill``, or
        when it does not exit within 10 s, it is killed."""
        if self.process.poll() is None and not kill:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


def build_book(
    staged: Path,
    output: Path,
    log_path: Path,
    cache: BuildCache,
    name: str,
    base_key: str,
    process: BookProcess | None = None,
) -> tuple[Path, BookPlan]:
    """Build the staged book into ``output/_build/html`` (returned with the plan),
    incrementally from the cache's mirror when that is safe (see
    :class:`uppfoljning.cache.BookMirror`). Without a cache, or while another build
    holds the mirror, a fresh build in ``output``. The book's output goes to
    ``log_path``. ``process``: a :class:`BookProcess` started earlier, which its owner
    closes (default: one started and closed here)."""
    own = process is None
    process = process or BookProcess(log_path)
    try:
        mirror = BookMirror(cache.root / "book" / name) if cache.enabled else None
        if mirror is None or not mirror.acquire():
            return (
                process.build(staged, output, fresh=True, log_path=log_path),
                BookPlan("fresh", "no cache"),
            )
        try:
            plan = mirror.plan(staged, base_key, citers=glue_citers)
            html_dir = process.build(
                mirror.source, mirror.output, fresh=plan.mode == "fresh", log_path=log_path
            )
            target = output / "_build" / "html"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(html_dir, target)
            mirror.succeeded(base_key)
            return target, plan
        finally:
            mirror.release()
    finally:
        if own:
            process.close()
