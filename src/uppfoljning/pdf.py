"""The edition and every unit as PDF documents (``uppfoljning build --pdf``).

The staged book is built once more with Jupyter Book's ``singlehtml`` builder (every
chapter on one page, same notebooks); each unit's own built page is printed too. Every
page prints without JavaScript: its charts are their static vector pictures, drawn at
build time (the live charts cost seconds of Vega drawing and look the same on paper).
The singlehtml build runs while the unit pages print, and the edition page is printed
next once it is built (:func:`write_pdfs`). Two Chromiums print side by side (each
in a thread with a Playwright of its own), each loading its next page while it prints
one, in pages that are used again (a navigation costs a fraction of a new context).
A unit PDF printed before from the same page and cover is copied from the build cache
instead (:class:`UnitPdfCache`).
Each page is opened from the file system in Debian's Chromium through Playwright and,
once every chart is there, made a document (report.md, *The site*):

- web-only controls and instructions go (drop-downs, download links, "Välj …"
  sentences, a chart whose point is its drop-downs: its spec binds a parameter);
- in the edition, a unit's chapter keeps its opening and key figures and points to the
  unit's own PDF (the edition is the report; the districts have their own);
- a cover (title, year, publisher, publication facts, the synthetic-data notice) and a
  contents list are put in front (``templates/pdf_front.html``), and the PDF style sheet
  (``templates/pdf_print.css``) keeps headings with what follows and cards, rows and
  charts whole;
- the page is printed twice on A4: the first print only finds the page of every heading
  in the contents (Chromium writes a named destination for each link target; poppler's
  ``pdfinfo -dests`` lists them), the second prints the contents with those numbers, the
  running footer (``templates/pdf_footer.html``: title, "sida N av M", the notice), PDF
  bookmarks for every heading and tags. The second print's destinations are checked
  against the numbers it shows.

The browser gets no network: every request that is not ``file:`` is aborted, and host
names resolve nowhere. A chart that does not render within the time limit fails the PDF
(and with it the build: the edition is published all or nothing).

Notes: ../shared/stack-notes.md ("PDF", "Chromium from Debian, offline", "Chromium
prints CSS page margin boxes").
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import functools
import glob
import hashlib
import html
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import formatting, labels, lifeline, site, templating
from .errors import UppfoljningError, UsageError

log = logging.getLogger(__name__)

CHROMIUM = Path(os.environ.get("UPPFOLJNING_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # nothing resolves but this machine (IP literals go through the rules too)
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
CHART_TIMEOUT_MS = 60_000
PDF_NAME = "uppfoljning-{edition}.pdf"
UNIT_PDF_DIR = "pdf"  # OUT/E/pdf/<unit_id>.pdf
UNIT_PDF_MAX_PAGES = 24  # a district committee's papers (report.md, item 4)
PAGE_FORMAT = "A4"
MARGIN = {"top": "16mm", "bottom": "20mm", "left": "16mm", "right": "16mm"}
# the printed column (A4 less the side margins) in CSS pixels: the page is laid out at
# this width before the charts render, so they are drawn for the column they print in
PRINT_VIEWPORT = {"width": round((210 - 32) / 25.4 * 96), "height": 1000}
MIN_CHART_TEXT_PT = 7.0  # the smallest chart text on paper (report.md, *The site*)
UNIT_FOLDERS = ("stadsdelar", "fackforvaltningar")  # site.py: a unit's page
PLACEHOLDER_PAGE = "00"  # the contents' page numbers in the first print
LOADING_AHEAD = 3  # unit pages loading at once (write_unit_pdfs on one browser)
PRINT_LANES = int(os.environ.get("UPPFOLJNING_PDF_LANES", "2"))  # Chromiums printing side by side
PRINT_TRIES = 3  # prints of the final document until the contents' numbers hold
WHOLE_TABLE_ROWS = 6  # a table of at most this many rows is not split across pages
PRINT_CSS = Path(__file__).parent / "templates" / "pdf_print.css"  # the PDFs' style sheet

# True once every chart container holds a rendered view (vega-embed's svg/canvas) or a
# message from our renderer (text, no view): then the page can be judged and printed.
CHARTS_SETTLED_JS = """() => Array.from(document.querySelectorAll('.uppf-chart-view'))
  .every(el => el.querySelector('svg, canvas') || el.textContent.trim().length > 0)"""
# Without JavaScript every chart must have its static picture.
STATIC_STATE_JS = """() => Array.from(document.querySelectorAll('.uppf-chart-view')).map(el => ({
  id: el.id, rendered: !!el.querySelector('img.uppf-chart-fallback, svg'),
  text: el.textContent.trim()}))"""
CHART_STATE_JS = """() => Array.from(document.querySelectorAll('.uppf-chart-view')).map(el => ({
  id: el.id, rendered: !!el.querySelector('svg, canvas'), text: el.textContent.trim()}))"""


# Make the loaded page a document's body and return its contents entries. ``opts``:
# kind ("edition" or "unit"), webOnly (a selector), instruction (a RegExp source: a
# web-only sentence).
PREPARE_JS = r"""opts => {
  document.documentElement.classList.add('uppf-pdf');
  const article = document.querySelector('article.bd-article')
    || document.querySelector('main') || document.body;
  // a chart whose point is its drop-downs: with its section when that holds nothing else
  // (drawn: its drop-downs are there; a static picture: its spec binds a parameter)
  const bound = /"bind"\s*:/;
  for (const chart of document.querySelectorAll('.uppf-chart')) {
    const script = chart.querySelector('script');
    if (!chart.querySelector('.vega-bindings select, .vega-bindings input')
        && !(script && bound.test(script.textContent))) continue;
    const section = chart.closest('section');
    if (section && section.querySelectorAll('.uppf-chart, table').length === 1) section.remove();
    else chart.remove();
  }
  document.querySelectorAll(opts.webOnly).forEach(el => el.remove());
  // instructions for the screen ("Välj ett kort ..."): the sentence goes
  const instruction = new RegExp(opts.instruction, 'gu');
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) texts.push(walker.currentNode);
  for (const node of texts) {
    if (node.parentElement.closest('script, style')) continue;
    const text = node.nodeValue.replace(instruction, '');
    if (text !== node.nodeValue) node.nodeValue = text;
  }
  article.querySelectorAll('p').forEach(p => {
    if (!p.textContent.trim() && !p.querySelector('img, svg')) p.remove();
  });
  // a short table stays whole on paper; a long one breaks between rows (pdf_print.css)
  article.querySelectorAll('table').forEach(table => {
    if (table.querySelectorAll(':scope > tbody > tr').length <= opts.wholeRows)
      table.classList.add('uppf-pdf-whole');
  });
  const headingOf = el => el && el.querySelector('h1, h2, h3');
  const entries = [];
  const mark = (heading, level) => {
    if (!heading) return;
    if (!heading.id) heading.id = 'uppf-pdf-h' + entries.length;
    const text = heading.textContent.replace(/\s+/g, ' ').trim();
    entries.push({level: level, text: text, id: heading.id});
  };
  if (opts.kind === 'edition') {
    // the start page's title is the cover's
    const first = article.querySelector('section');
    const title = first && first.querySelector(':scope > h1');
    if (title) title.remove();
    if (first) first.querySelectorAll(':scope > section > h2').forEach(h => mark(h, 1));
    // the book's own contents: part captions and chapters
    const toc = document.getElementById('jb-print-toc');
    if (toc) for (const el of toc.querySelectorAll('.caption-text, li.toctree-l1 > a')) {
      if (el.matches('.caption-text')) {
        entries.push({level: 0, text: el.textContent.trim(), id: ''});
        continue;
      }
      const span = document.getElementById(decodeURIComponent(el.getAttribute('href').slice(1)));
      mark(headingOf(span && span.nextElementSibling), 1);
    }
  } else {
    const first = article.querySelector('section');
    if (first) first.querySelectorAll(':scope > section > h2').forEach(h => mark(h, 1));
  }
  document.querySelectorAll('#jb-print-docs-body').forEach(el => el.remove());
  return entries;
}"""
# Add the PDFs' style sheet (page.add_style_tag waits for an event that a page without
# JavaScript never sends).
STYLE_JS = """css => {
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
}"""
# Put (or replace) the cover and contents in front of the document.
FRONT_JS = """html => {
  let front = document.getElementById('uppf-pdf-front');
  if (!front) {
    front = document.createElement('div');
    front.id = 'uppf-pdf-front';
    const article = document.querySelector('article.bd-article')
      || document.querySelector('main') || document.body;
    article.insertBefore(front, article.firstChild);
  }
  front.innerHTML = html;
}"""
# Size every chart picture (a drawn chart's svg, or without JavaScript the static picture)
# for paper: as small as the site's print rule wants, but never so small that its
# smallest text is under ``minPt`` points; never wider than its column. Returns the
# smallest chart text as printed, in points (``minPt`` null: only measures).
FIT_CHARTS_JS = """minPt => {
  const sizes = picture => {  // drawn width, height and smallest font size (px)
    if (picture.tagName.toLowerCase() === 'img') {
      const source = decodeURIComponent(picture.getAttribute('src') || '');
      const fonts = Array.from(source.matchAll(/font-size(?:=|:)\\s*["']?([\\d.]+)/g),
                               m => parseFloat(m[1]));
      return [picture.naturalWidth, picture.naturalHeight,
              fonts.length ? Math.min(...fonts) : null];
    }
    const box = picture.viewBox.baseVal;
    let smallest = null;
    for (const text of picture.querySelectorAll('text')) {
      if (!text.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(text).fontSize);
      if (smallest === null || size < smallest) smallest = size;
    }
    return [box && box.width || picture.width.baseVal.value,
            box && box.height || picture.height.baseVal.value, smallest];
  };
  let printed = null;
  for (const picture of document.querySelectorAll(
      '.uppf-chart-view svg, .uppf-chart-view img.uppf-chart-fallback')) {
    if (picture.parentElement.closest('svg')) continue;
    if (getComputedStyle(picture).display === 'none') continue;
    const [drawn, tall, smallest] = sizes(picture);
    const column = picture.parentElement.getBoundingClientRect().width;
    if (!drawn || !tall || !column || smallest === null) continue;
    if (minPt !== null) {
      // the site's print rule: at most 8.3 cm high (two charts a page)
      const wanted = Math.min(picture.getBoundingClientRect().width / drawn,
                              8.3 / 2.54 * 96 / tall);
      const needed = minPt / (0.75 * smallest);
      const scale = Math.min(Math.max(wanted, needed), column / drawn);
      picture.style.maxHeight = 'none';
      picture.style.maxWidth = 'none';
      picture.style.width = (drawn * scale) + 'px';
      picture.style.height = (tall * scale) + 'px';
    }
    const size = smallest * picture.getBoundingClientRect().width / drawn * 0.75;
    if (printed === null || size < printed) printed = size;
  }
  return printed;
}"""
# The smallest chart text as printed, in points (every chart picture's smallest font
# size times the picture's scale; CSS px are 0.75 pt on paper).
CHART_TEXT_JS = "() => (" + FIT_CHARTS_JS + ")(null)"
# The first print's switch: every box laid out as printed, nothing painted.
MEASURING_JS = """on => document.documentElement.classList.toggle('uppf-pdf-measuring', on)"""
# Web-only things that are removed before printing (report.md: no controls in print).
WEB_ONLY = (
    ".headerlink, .vega-bindings, .vega-actions, .uppf-chart-download, "
    ".uppf-pdf-link, select, input, button, form, .sidebar-toggle, "
    "details.uppf-all-rules"
)
# A sentence that tells the screen reader what to do ("Välj ett kort för att läsa
# kapitlet.", "Välj två förvaltningar i listorna …"): removed from the printed text.
INSTRUCTION = r"(^|\s)Välj\s[^.!?]*[.!?]?"


# Sphinx's singlehtml builder links MathJax from a CDN on every book (the HTML pages only
# where there is math; the report has none): it is removed before printing.
MATHJAX_SCRIPT = re.compile(
    r'<script[^>]*src="https?://[^"]*mathjax[^"]*"[^>]*></script>\s*', re.IGNORECASE
)


class PdfError(UppfoljningError):
    """The PDF could not be made (charts did not render, Chromium failed)."""


def pdf_name(edition: int) -> str:
    return PDF_NAME.format(edition=edition)


def check_available() -> None:
    """Fail fast (before a long build) when the PDF can't be made on this machine."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise UsageError(
            "--pdf needs the Python package playwright "
            "(pip install playwright; no browser download needed)"
        ) from exc
    if not CHROMIUM.is_file():
        raise UsageError(
            f"--pdf needs Chromium at {CHROMIUM} (make browser-deps, or "
            "apt-get install chromium; or set UPPFOLJNING_CHROMIUM)"
        )


def launch_chromium(playwright, **options):
    """Debian's Chromium, headless, with the offline flags of this machine kind and a
    fresh profile (Playwright makes a new temporary user-data-dir per launch)."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, **options
    )


def block_network(context, blocked: list[str] | None = None) -> None:
    """Abort every request of ``context`` (or of one page) that is not to ``file:``,
    ``data:`` or this machine; record the aborted URLs in ``blocked``."""
    local = ("file:", "data:", "blob:", "about:", "http://127.0.0.1", "http://localhost")

    def handle(route) -> None:
        url = route.request.url
        if url.startswith(local):
            route.continue_()
        else:
            if blocked is not None:
                blocked.append(url)
            route.abort()

    context.route("**/*", handle)


def wait_for_charts(page, timeout_ms: int = CHART_TIMEOUT_MS) -> list[dict]:
    """Wait until every chart on ``page`` has rendered or failed; return the charts
    that did not render (``id``, ``text``)."""
    try:
        page.wait_for_function(CHARTS_SETTLED_JS, timeout=timeout_ms)
    except Exception as exc:  # playwright's TimeoutError
        if "Timeout" not in type(exc).__name__:
            raise
    return [c for c in page.evaluate(CHART_STATE_JS) if not c["rendered"]]


@dataclass(frozen=True)
class Cover:
    """What a PDF's cover and footer say. Every value is text (it reaches the PDF through
    autoescaped templates); an empty publication fact is left out."""

    title: str  # the report's title, without the year
    edition: int | None = None  # the year (none: the title has it)
    subtitle: str = ""  # a unit's PDF: the unit's name
    publisher: str = labels.CITY_NAME
    published: str = ""  # "6 december 2026"
    responsible: str = ""  # the unit that answers for the report
    contact: tuple[str, ...] = ()  # name, e-mail, phone
    next_release: str = ""
    notice: str = ""  # the synthetic-data notice (demo data), else empty
    draft: bool = False  # "Utkast – inte fastställd" on the cover and every page

    @property
    def full_title(self) -> str:
        """The title with the year (and a unit's name): the footer's and the PDF's."""
        title = (
            self.title
            if self.edition is None
            else labels.PDF_UNIT_TITLE.format(title=self.title, edition=self.edition)
        )
        return f"{title} – {self.subtitle}" if self.subtitle else title

    def for_unit(self, name: str) -> Cover:
        return replace(self, subtitle=name)


def _fact_text(value: object) -> str:
    """A publication fact as the cover shows it: a date in words ("6 december 2026"),
    anything else as its text."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return formatting.format_date(value, long=True)
    text = str(value).strip()
    try:
        return formatting.format_date(dt.date.fromisoformat(text), long=True)
    except ValueError:
        return text


def _contact_lines(contact: object) -> tuple[str, ...]:
    """``contact`` of report.yml (a mapping or an object with name, email, phone)."""
    if contact is None:
        return ()
    if isinstance(contact, str):
        return (contact.strip(),) if contact.strip() else ()
    get = contact.get if isinstance(contact, Mapping) else (lambda key: getattr(contact, key, None))
    return tuple(
        str(value).strip()
        for value in (get("name"), get("email"), get("phone"))
        if value is not None and str(value).strip()
    )


def cover_for(config, edition: int, synthetic: bool, *, draft: bool = False) -> Cover:
    """The edition's cover from the report configuration. The publication facts
    (``published``, ``responsible``, ``contact``, ``next_release``: the configuration's
    ``facts``, :class:`uppfoljning.config.PublicationFacts`, or the configuration
    itself) are read where it has them and left out where it has not: report.yml's
    validation says which are required."""
    facts = getattr(config, "facts", config)
    return Cover(
        title=config.title,
        edition=edition,
        published=_fact_text(getattr(facts, "published", None)),
        responsible=_fact_text(getattr(facts, "responsible", None)),
        contact=_contact_lines(getattr(facts, "contact", None)),
        next_release=_fact_text(getattr(facts, "next_release", None)),
        notice=labels.SYNTHETIC_NOTE if synthetic else "",
        draft=draft,
    )


def render_front(cover: Cover, entries: Sequence[Mapping], pages: Mapping[str, int]) -> str:
    """The cover and contents (HTML); a heading without a known page shows the
    placeholder (the first print's)."""
    rows = [{**entry, "page": pages.get(entry["id"]) if entry["id"] else None} for entry in entries]
    return templating.render(
        "pdf_front.html", cover=cover, entries=rows, labels=labels, placeholder=PLACEHOLDER_PAGE
    )


def render_footer(cover: Cover) -> str:
    return templating.render(
        "pdf_footer.html",
        title=cover.full_title,
        page=labels.PDF_PAGE,
        published=cover.published,
        published_label=labels.FACT_PUBLISHED.lower(),
        page_of=labels.PDF_PAGE_OF,
        draft=labels.PDF_DRAFT if cover.draft else "",
        notice=labels.PDF_SYNTHETIC_FOOTER if cover.notice else "",
    )


DEST_LINE = re.compile(r'^\s*(\d+)\s+\[.*\]\s+"(.*)"\s*$')


def parse_destinations(listing: str) -> dict[str, int]:
    """Name -> page of ``pdfinfo -dests`` output (a header line, then ``page [view]
    "name"`` per destination)."""
    found: dict[str, int] = {}
    for line in listing.splitlines():
        match = DEST_LINE.match(line)
        if match:
            found.setdefault(match.group(2), int(match.group(1)))
    return found


def destinations(pdf_file: Path) -> dict[str, int]:
    """The named destinations of a PDF (Chromium writes one per link target) and their
    pages, read with poppler's pdfinfo."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        raise UsageError(
            "--pdf needs pdfinfo (poppler-utils: make browser-deps, or "
            "apt-get install poppler-utils) for the contents' page numbers"
        )
    done = subprocess.run(
        [pdfinfo, "-dests", str(pdf_file)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    if done.returncode != 0:
        raise PdfError(f"pdfinfo could not read {pdf_file}: {done.stderr.strip()}")
    return parse_destinations(done.stdout)


def _print(page, path: Path, footer: str | None) -> None:
    options = dict(path=str(path), format=PAGE_FORMAT, margin=MARGIN, print_background=True)
    if footer is None:  # the first print: only where the headings land
        page.pdf(**options)
    else:
        page.pdf(
            **options,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=footer,
            outline=True,
            tagged=True,
        )


@dataclass
class Printed:
    charts: int
    pages: int
    chart_text_pt: float | None  # the smallest chart text on paper
    contents: dict[str, int] = field(default_factory=dict)  # heading id -> its page


@dataclass
class _Opened:
    """A page loading in its own browser context (several load at once), or in a page
    that is used again for the next (``reuse``: takes the page back once printed)."""

    html_file: Path
    context: object
    page: object
    blocked: list[str]
    started: float
    javascript: bool = True
    reuse: Callable[[object], None] | None = None

    def close(self) -> None:
        if self.reuse is None:
            self.context.close()
        else:
            self.reuse(self.page)


def _open(browser, html_file: Path, javascript: bool = True) -> _Opened:
    """Start loading ``html_file`` in a fresh context laid out at the printed column's
    width; the charts render while other pages are printed. Without ``javascript`` the
    page prints its charts' static pictures (vector, drawn at build time) and loads in
    a fraction of the time."""
    context = browser.new_context(
        locale="sv-SE", viewport=PRINT_VIEWPORT, java_script_enabled=javascript
    )
    try:
        blocked: list[str] = []
        block_network(context, blocked)
        page = context.new_page()
        started = time.perf_counter()
        page.goto(html_file.resolve().as_uri(), wait_until="commit")
    except BaseException:
        context.close()
        raise
    return _Opened(html_file, context, page, blocked, started, javascript)


def _reopen(page, html_file: Path, reuse: Callable[[object], None]) -> _Opened:
    """Start loading ``html_file`` (without JavaScript) in ``page``, a page of
    :func:`_reusable_page` that printed before: a navigation costs a fraction of a new
    context (no new renderer process)."""
    blocked = page.uppf_blocked
    blocked.clear()
    page.emulate_media(media="screen")  # as a fresh page loads: the print rules come later
    started = time.perf_counter()
    page.goto(html_file.resolve().as_uri(), wait_until="commit")
    return _Opened(html_file, page.context, page, blocked, started, False, reuse)


def _reusable_page(context):
    """A page for :func:`_reopen` in ``context`` (without JavaScript, laid out at the
    printed column's width), its own requests blocked."""
    page = context.new_page()
    page.uppf_blocked = []
    block_network(page, page.uppf_blocked)
    return page


def _print_document(opened: _Opened, pdf_file: Path, cover: Cover, kind: str) -> Printed:
    """Wait for ``opened``'s charts, make it a document and print it (twice: the first
    print finds the contents' pages). Closes its context (or gives its page back)."""
    page, html_file = opened.page, opened.html_file
    try:
        page.wait_for_load_state("load", timeout=CHART_TIMEOUT_MS)
        if opened.javascript:
            failed = wait_for_charts(page)
        else:
            failed = [c for c in page.evaluate(STATIC_STATE_JS) if not c["rendered"]]
        loaded = time.perf_counter()
        charts = page.locator(".uppf-chart-view").count()
        if failed:
            names = ", ".join(f"{c['id']} ({c['text'] or 'ingen bild'})" for c in failed[:5])
            raise PdfError(
                f"{len(failed)} of {charts} charts did not render in the PDF "
                f"page {html_file}: {names}"
            )
        if opened.blocked:
            log.warning("PDF: blocked requests to %s", ", ".join(sorted(set(opened.blocked))))
        page.emulate_media(media="print")
        # the PDF's document title (its metadata) is the report's, not the page's tab
        page.evaluate("title => { document.title = title; }", cover.full_title)
        page.evaluate(STYLE_JS, PRINT_CSS.read_text(encoding="utf-8"))
        page.evaluate(FIT_CHARTS_JS, MIN_CHART_TEXT_PT + 0.2)
        entries = page.evaluate(
            PREPARE_JS,
            {
                "kind": kind,
                "webOnly": WEB_ONLY,
                "instruction": INSTRUCTION,
                "wholeRows": WHOLE_TABLE_ROWS,
            },
        )
        footer = render_footer(cover)
        ids = [entry["id"] for entry in entries if entry["id"]]
        pdf_file.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="uppf-pdf-") as tmp:
            first = Path(tmp) / "first.pdf"
            page.evaluate(FRONT_JS, render_front(cover, entries, {}))
            # the first print only lays out: nothing painted (the same boxes, a fraction
            # of the time), the destinations are still written
            page.evaluate(MEASURING_JS, True)
            try:
                _print(page, first, None)
            finally:
                page.evaluate(MEASURING_JS, False)
            found = destinations(first)
            paged = time.perf_counter()
            for _ in range(PRINT_TRIES):
                shown = {key: found[key] for key in ids if key in found}
                page.evaluate(FRONT_JS, render_front(cover, entries, shown))
                _print(page, pdf_file, footer)
                found = destinations(pdf_file)
                if all(found.get(key) == shown.get(key) for key in ids):
                    break
            else:
                raise PdfError(
                    f"{pdf_file}: the contents' page numbers did not settle "
                    f"after {PRINT_TRIES} prints"
                )
        missing = [entry["text"] for entry in entries if entry["id"] and entry["id"] not in shown]
        if missing:
            raise PdfError(f"{pdf_file}: no page found for the headings {', '.join(missing[:5])}")
        smallest = page.evaluate(CHART_TEXT_JS)
        log.debug(
            "PDF %s: load and charts %.1f s, first print %.1f s, final %.1f s",
            pdf_file.name,
            loaded - opened.started,
            paged - loaded,
            time.perf_counter() - paged,
        )
    finally:
        opened.close()
    return Printed(
        charts=charts, pages=count_pages(pdf_file), chart_text_pt=smallest, contents=shown
    )


def print_pdf(
    html_file: Path,
    pdf_file: Path,
    title: str,
    browser=None,
    *,
    cover: Cover | None = None,
    kind: str = "unit",
) -> Printed:
    """Print ``html_file`` (opened from the file system) to ``pdf_file`` on A4 as a
    document once every chart has rendered (see the module's description). ``title``:
    the report's title when there is no ``cover``. ``browser``: a Playwright Chromium
    to use (default: launch one; a process can run only one sync Playwright). ``kind``:
    "edition" (contents from the book's parts and chapters) or "unit" (contents from
    the page's sections)."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            chromium = launch_chromium(playwright)
            try:
                return print_pdf(html_file, pdf_file, title, chromium, cover=cover, kind=kind)
            finally:
                chromium.close()
    return _print_document(
        _open(browser, html_file),
        pdf_file,
        cover if cover is not None else Cover(title=title),
        kind,
    )


SECTION_TAG = re.compile(r"<section\b|</section>")


def cut_unit_chapters(page: str, units: Mapping[str, str], note: str) -> str:
    """The singlehtml page with each unit chapter (``units``: its document name, as in
    ``<span id="document-stadsdelar/farsta">``, -> its PDF's path) cut to its opening
    and first section (the key figures), followed by ``note`` and a link to the unit's
    PDF. The charts of what is cut are never rendered. (Every ``<`` in the page's
    scripts and attributes is escaped: section tags are the page's own.)"""
    for doc, href in units.items():
        marker = f'<span id="document-{html.escape(doc)}"></span>'
        start = page.find(marker)
        if start < 0:
            continue
        depth, first_child_end, chapter_end = 0, None, None
        for tag in SECTION_TAG.finditer(page, start + len(marker)):
            depth += 1 if tag.group(0) == "<section" else -1
            if depth == 1 and tag.group(0) == "</section>" and first_child_end is None:
                first_child_end = tag.end()
            if depth == 0:
                chapter_end = tag.start()
                break
        if chapter_end is None:
            raise PdfError(f"the edition page has no end for the chapter {doc}")
        keep_to = first_child_end if first_child_end is not None else chapter_end
        pointer = (
            f'\n<p class="uppf-pdf-unit-note">{html.escape(note)} '
            f'<a href="{html.escape(href)}">{html.escape(href)}</a></p>\n'
        )
        page = page[:keep_to] + pointer + page[chapter_end:]
    return page


def _edition_page(single: Path, html_dir: Path, units: Sequence[UnitPdf]) -> Path:
    """The singlehtml page made printable: no MathJax link, unit chapters cut."""
    cut = {
        job.html_file.relative_to(html_dir).with_suffix("").as_posix(): unit_pdf_path(job.unit_id)
        for job in units
    }
    text = MATHJAX_SCRIPT.sub("", single.read_text(encoding="utf-8"))
    single.write_text(cut_unit_chapters(text, cut, labels.PDF_UNIT_ELSEWHERE), encoding="utf-8")
    return single


class _Queue:
    """The prints still to do, for :data:`PRINT_LANES` lanes: the unit pages at once,
    the edition page first in line once Jupyter Book has built it. A lane ends when the
    queue is closed and empty, or at once when a print failed."""

    def __init__(self, tasks: Sequence[_Task]) -> None:
        self._tasks = list(tasks)
        self._open = True
        self.failed = False
        self._changed = threading.Condition()

    def put_first(self, task: _Task) -> None:
        with self._changed:
            self._tasks.insert(0, task)
            self._changed.notify()

    def close(self, failed: bool = False) -> None:
        with self._changed:
            self._open = False
            self.failed = self.failed or failed
            self._changed.notify_all()

    def get(self, wait: bool = True) -> _Task | None:
        """The next task; None when there is none (yet, without ``wait``)."""
        with self._changed:
            while wait and not self._tasks and self._open and not self.failed:
                self._changed.wait()
            return None if self.failed or not self._tasks else self._tasks.pop(0)


@dataclass(frozen=True)
class _Task:
    """One PDF to print: its page, and what prints the opened page."""

    html_file: Path
    javascript: bool
    finish: Callable[[_Opened], object]


def _lane(queue: _Queue) -> list:
    """Print from ``queue`` until it is done, with a Playwright and a Chromium of this
    thread's own (a sync Playwright serves one thread); the next page loads while one
    prints. Returns what each task's ``finish`` returned."""
    from playwright.sync_api import sync_playwright

    done = []
    try:
        with sync_playwright() as playwright:
            chromium = launch_chromium(playwright)
            try:
                context, free = None, []  # pages for the pages without JavaScript

                def open_task(task: _Task) -> _Opened:
                    nonlocal context
                    if task.javascript:
                        return _open(chromium, task.html_file, True)
                    if not free:
                        if context is None:
                            context = chromium.new_context(
                                locale="sv-SE", viewport=PRINT_VIEWPORT, java_script_enabled=False
                            )
                        free.append(_reusable_page(context))
                    return _reopen(free.pop(), task.html_file, free.append)

                task, opened = queue.get(), None
                while task is not None:
                    opened = opened or open_task(task)
                    following = queue.get(wait=False)
                    ahead = open_task(following) if following is not None else None
                    try:
                        done.append(task.finish(opened))
                    except BaseException:
                        if ahead is not None:
                            ahead.close()
                        raise
                    task, opened = following, ahead
                    if task is None:
                        task = queue.get()
            finally:
                chromium.close()
    except BaseException:
        queue.close(failed=True)  # the other lanes stop after their current print
        raise
    return done


def write_pdfs(
    book_dir: Path,
    work_dir: Path,
    pdf_file: Path,
    title: str,
    log_path: Path,
    units: Sequence[UnitPdf],
    *,
    cover: Cover | None = None,
    cache_dir: Path | None = None,
) -> list[Path]:
    """The edition's PDF (``pdf_file``) and every unit's (next to it, ``pdf/``). The
    staged ``book_dir`` is built as one HTML page (into ``work_dir``) by Jupyter Book in
    the background while the unit pages print; then the edition page is printed next.
    :data:`PRINT_LANES` Chromiums print side by side. A unit PDF printed before from
    the same page and cover is taken from ``cache_dir`` (:class:`UnitPdfCache`), not
    printed again. Returns the PDFs."""
    check_available()
    started = time.perf_counter()
    work_dir.mkdir(parents=True, exist_ok=True)
    edition_dir = pdf_file.parent
    cache = UnitPdfCache(cache_dir, edition_dir) if cache_dir is not None else None
    reused, to_print = [], []
    for job in units:
        target = edition_dir / unit_pdf_path(job.unit_id)
        if cache is not None and cache.fetch(job, _unit_cover(job, cover), target):
            reused.append(target)
        else:
            to_print.append(job)
    if reused:
        log.info("PDF: %d unit PDFs from the cache (page and cover unchanged)", len(reused))

    def finish_unit(job: UnitPdf, opened: _Opened) -> Path:
        target = _finish_unit(edition_dir, job, cover, opened)
        if cache is not None:
            cache.store(job, _unit_cover(job, cover), target)
        return target

    queue = _Queue(
        [_Task(job.html_file, False, functools.partial(finish_unit, job)) for job in to_print]
    )
    edition: dict[str, object] = {}

    def finish_edition(opened: _Opened) -> Printed:
        began = time.perf_counter()
        edition["printed"] = _print_document(
            opened, pdf_file, cover if cover is not None else Cover(title=title), "edition"
        )
        edition["seconds"] = time.perf_counter() - began
        return edition["printed"]

    with log_path.open("w", encoding="utf-8") as book_log:
        singlehtml = subprocess.Popen(
            site.book_command(book_dir, work_dir, "singlehtml"),
            stdout=book_log,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, PYTHONHASHSEED="0"),
            cwd=book_dir,
            preexec_fn=lifeline.preexec_die_with_parent,
        )
    try:
        with concurrent.futures.ThreadPoolExecutor(
            PRINT_LANES, thread_name_prefix="uppf-pdf"
        ) as lanes:
            running = [lanes.submit(_lane, queue) for _ in range(PRINT_LANES)]
            try:
                single = (
                    site.checked_book_output(
                        singlehtml.wait(), book_dir, work_dir / "_build" / "singlehtml", log_path
                    )
                    / "index.html"
                )
                built = time.perf_counter()
                queue.put_first(
                    _Task(_edition_page(single, edition_dir, units), False, finish_edition)
                )
                queue.close()
            except BaseException:
                queue.close(failed=True)
                raise
            written = reused + [
                path for lane in running for path in lane.result() if isinstance(path, Path)
            ]
    finally:
        if singlehtml.poll() is None:
            singlehtml.kill()
            singlehtml.wait()
    printed = edition["printed"]
    log.info(
        "PDF: %.1f s in all (singlehtml built after %.1f s; edition %.1f s, %d "
        "charts, %d pages, smallest chart text %s pt)",
        time.perf_counter() - started,
        built - started,
        edition["seconds"],
        printed.charts,
        printed.pages,
        printed.chart_text_pt,
    )
    shutil.rmtree(work_dir, ignore_errors=True)
    order = {job.unit_id: i for i, job in enumerate(units)}
    return [pdf_file, *sorted(written, key=lambda path: order.get(path.stem, len(order)))]


def write_edition_pdf(
    book_dir: Path,
    work_dir: Path,
    pdf_file: Path,
    title: str,
    log_path: Path,
    *,
    cover: Cover | None = None,
    units: Sequence[UnitPdf] = (),
) -> Path:
    """Build the staged ``book_dir`` as one HTML page (into ``work_dir``) and print it
    to ``pdf_file``; ``units``: the unit PDFs printed next to it (their chapters in the
    edition keep the key figures and point to their PDF). Returns ``pdf_file``.
    (:func:`write_pdfs` makes both at once.)"""
    check_available()
    started = time.perf_counter()
    single = site.run_singlehtml(book_dir, work_dir, log_path) / "index.html"
    built = time.perf_counter()
    printed = print_pdf(
        _edition_page(single, pdf_file.parent, units), pdf_file, title, cover=cover, kind="edition"
    )
    log.info(
        "PDF: singlehtml %.1f s, print %.1f s, %d charts, %d pages, smallest chart "
        "text %s pt, %d bytes",
        built - started,
        time.perf_counter() - built,
        printed.charts,
        printed.pages,
        printed.chart_text_pt,
        pdf_file.stat().st_size,
    )
    shutil.rmtree(work_dir, ignore_errors=True)
    return pdf_file


def unit_pdf_path(unit_id: str) -> str:
    """A unit's PDF relative to the edition folder: ``pdf/<unit_id>.pdf``."""
    return f"{UNIT_PDF_DIR}/{unit_id}.pdf"


def count_pages(pdf_file: Path) -> int:
    """Pages of a PDF that Chromium wrote (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page\b", pdf_file.read_bytes()))


@dataclass(frozen=True)
class UnitPdf:
    unit_id: str
    html_file: Path  # the unit's built page
    title: str  # "<report title> <edition> – <unit name>"
    heading: str  # the edition's title ("<report title> <edition>")
    name: str = ""  # the unit's name (the cover's subtitle)


def write_unit_pdfs(
    edition_dir: Path, jobs: list[UnitPdf], browser=None, *, cover: Cover | None = None
) -> list[Path]:
    """Print every unit's own page to ``edition_dir/pdf/<unit_id>.pdf`` with one
    browser; a PDF over :data:`UNIT_PDF_MAX_PAGES` pages fails (the committee's papers
    need a short document). ``cover``: the edition's (the unit's name is added)."""
    if browser is None:
        check_available()
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            chromium = launch_chromium(playwright)
            try:
                return write_unit_pdfs(edition_dir, jobs, chromium, cover=cover)
            finally:
                chromium.close()
    written = []
    opened: list[_Opened] = []
    try:
        for index, job in enumerate(jobs):
            # the next pages load (and draw their charts) while this one prints
            while len(opened) < LOADING_AHEAD and index + len(opened) < len(jobs):
                # a unit's page has no interactive chart: its static pictures print
                opened.append(_open(browser, jobs[index + len(opened)].html_file, javascript=False))
            written.append(_finish_unit(edition_dir, job, cover, opened.pop(0)))
    finally:
        for waiting in opened:
            waiting.close()
    return written


def _finish_unit(edition_dir: Path, job: UnitPdf, cover: Cover | None, opened: _Opened) -> Path:
    """Print a unit's opened page to ``edition_dir/pdf/<unit_id>.pdf``; a PDF over
    :data:`UNIT_PDF_MAX_PAGES` pages fails."""
    started = time.perf_counter()
    target = edition_dir / unit_pdf_path(job.unit_id)
    printed = _print_document(opened, target, _unit_cover(job, cover), "unit")
    if printed.pages > UNIT_PDF_MAX_PAGES:
        raise PdfError(
            f"the PDF of {job.unit_id} has {printed.pages} pages, more than {UNIT_PDF_MAX_PAGES}"
        )
    log.info(
        "PDF %s: %d pages, %d charts, smallest chart text %s pt, %.1f s",
        job.unit_id,
        printed.pages,
        printed.charts,
        printed.chart_text_pt,
        time.perf_counter() - started,
    )
    return target


def _unit_cover(job: UnitPdf, cover: Cover | None) -> Cover:
    """A unit PDF's cover: the edition's with the unit's name."""
    return (
        cover.for_unit(job.name or job.title)
        if cover is not None
        else Cover(title=job.heading, subtitle=job.name)
    )


class UnitPdfCache:
    """Unit PDFs printed before, in ``folder`` (``<project>/_build/cache/pdf``): a
    rebuild whose unit page is unchanged does not print it again. A PDF is looked up by
    a hash of everything that makes it: the unit's built page (its text, figures and
    static chart pictures are in it), its cover and footer, the style sheets of the
    edition (``_static/**/*.css``), the PDFs' style sheet and this module, and the
    browser. One PDF is kept per unit (the newest)."""

    def __init__(self, folder: Path, edition_dir: Path) -> None:
        self.folder = folder
        digest = hashlib.sha256()
        for path in sorted((edition_dir / "_static").rglob("*.css")):
            digest.update(path.relative_to(edition_dir).as_posix().encode())
            digest.update(path.read_bytes())
        digest.update(PRINT_CSS.read_bytes())
        digest.update(Path(__file__).read_bytes())
        browser = CHROMIUM.stat() if CHROMIUM.is_file() else None
        digest.update(
            f"{CHROMIUM}:{browser and browser.st_size}:{browser and browser.st_mtime_ns}".encode()
        )
        self._base = digest.hexdigest()

    def key(self, job: UnitPdf, cover: Cover) -> str:
        digest = hashlib.sha256(self._base.encode())
        digest.update(job.html_file.read_bytes())
        digest.update(repr(cover).encode())
        return digest.hexdigest()[:24]

    def _path(self, job: UnitPdf, cover: Cover) -> Path:
        return self.folder / f"{job.unit_id}--{self.key(job, cover)}.pdf"

    def fetch(self, job: UnitPdf, cover: Cover, target: Path) -> bool:
        """Copy the unit's PDF printed before to ``target``; False if there is none."""
        cached = self._path(job, cover)
        if not cached.is_file():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)
        return True

    def store(self, job: UnitPdf, cover: Cover, printed: Path) -> None:
        """Keep ``printed`` for the next build (and no older PDF of the unit)."""
        cached = self._path(job, cover)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f".{cached.name}.{os.getpid()}.{threading.get_ident()}")
        shutil.copyfile(printed, partial)
        os.replace(partial, cached)
        for older in self.folder.glob(f"{glob.escape(job.unit_id)}--*.pdf"):
            if older != cached:
                older.unlink(missing_ok=True)
