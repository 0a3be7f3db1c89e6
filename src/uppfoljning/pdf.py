"""The whole edition as one PDF for the nämnd's papers (``uppfoljning build --pdf``).

The staged book is built once more with Jupyter Book's ``singlehtml`` builder (every
chapter on one page, same notebooks, same JavaScript), opened from the file system in
Debian's Chromium through Playwright, and printed with ``page.pdf()`` on A4 after every
chart has rendered (vector charts, Swedish labels, page numbers "Sida 3 av 40").

The browser gets no network: every request that is not ``file:`` is aborted, and host
names resolve nowhere. A chart that does not render within the time limit fails the PDF
(and with it the build: the edition is published all or nothing).

Notes: ../shared/stack-notes.md ("PDF", "Chromium from Debian, offline").
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from . import site, templating
from .errors import UppfoljningError, UsageError

log = logging.getLogger(__name__)

CHROMIUM = Path(os.environ.get("UPPFOLJNING_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # nothing resolves but this machine (IP literals go through the rules too)
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
CHART_TIMEOUT_MS = 60_000
PDF_NAME = "uppfoljning-{edition}.pdf"
UNIT_PDF_DIR = "pdf"  # OUT/E/pdf/<unit_id>.pdf
UNIT_PDF_MAX_PAGES = 24  # a district committee's papers (report.md, item 4)
PAGE_FORMAT = "A4"
MARGIN = {"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}

# True once every chart container holds a rendered view (vega-embed's svg/canvas) or a
# message from our renderer (text, no view): then the page can be judged and printed.
CHARTS_SETTLED_JS = """() => Array.from(document.querySelectorAll('.uppf-chart-view'))
  .every(el => el.querySelector('svg, canvas') || el.textContent.trim().length > 0)"""
# A unit's PDF: the edition's title above the page's own (its first heading).
PREPEND_HEADING_JS = """text => {
  const main = document.querySelector('main article, article, main, body');
  const line = document.createElement('p');
  line.className = 'uppf-pdf-heading';
  line.textContent = text;
  main.insertBefore(line, main.firstChild);
}"""
CHART_STATE_JS = """() => Array.from(document.querySelectorAll('.uppf-chart-view')).map(el => ({
  id: el.id, rendered: !!el.querySelector('svg, canvas'), text: el.textContent.trim()}))"""


# Sphinx's singlehtml builder links MathJax from a CDN on every book (the HTML pages only
# where there is math; the report has none): it is removed before printing.
MATHJAX_SCRIPT = re.compile(r'<script[^>]*src="https?://[^"]*mathjax[^"]*"[^>]*></script>\s*',
                            re.IGNORECASE)


class PdfError(UppfoljningError):
    """The PDF could not be made (charts did not render, Chromium failed)."""


def pdf_name(edition: int) -> str:
    return PDF_NAME.format(edition=edition)


def check_available() -> None:
    """Fail fast (before a long build) when the PDF can't be made on this machine."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise UsageError("--pdf needs the Python package playwright "
                         "(pip install playwright; no browser download needed)") from exc
    if not CHROMIUM.is_file():
        raise UsageError(f"--pdf needs Chromium at {CHROMIUM} (make browser-deps, or "
                         "apt-get install chromium; or set UPPFOLJNING_CHROMIUM)")


def launch_chromium(playwright, **options):
    """Debian's Chromium, headless, with the offline flags of this machine kind and a
    fresh profile (Playwright makes a new temporary user-data-dir per launch)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=CHROMIUM_ARGS, **options)


def block_network(context, blocked: list[str] | None = None) -> None:
    """Abort every request that is not to ``file:``, ``data:`` or this machine; record
    the aborted URLs in ``blocked``."""
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


def print_pdf(html_file: Path, pdf_file: Path, title: str, browser=None, *,
              heading: str | None = None) -> int:
    """Print ``html_file`` (opened from the file system) to ``pdf_file`` on A4 once
    every chart has rendered; return the number of charts. ``browser``: a Playwright
    Chromium to use (default: launch one; a process can run only one sync Playwright).
    ``heading``: a line of text printed above the page's own title (a unit's PDF names
    the edition it belongs to)."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            chromium = launch_chromium(playwright)
            try:
                return print_pdf(html_file, pdf_file, title, chromium, heading=heading)
            finally:
                chromium.close()
    pdf_file.parent.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="sv-SE")
    try:
        blocked: list[str] = []
        block_network(context, blocked)
        page = context.new_page()
        page.goto(html_file.resolve().as_uri(), wait_until="load")
        failed = wait_for_charts(page)
        charts = page.locator(".uppf-chart-view").count()
        if failed:
            names = ", ".join(f"{c['id']} ({c['text'] or 'ingen bild'})" for c in failed[:5])
            raise PdfError(f"{len(failed)} of {charts} charts did not render in the PDF "
                           f"page {html_file}: {names}")
        if blocked:
            log.warning("PDF: blocked requests to %s", ", ".join(sorted(set(blocked))))
        if heading:
            page.evaluate(PREPEND_HEADING_JS, heading)
        page.emulate_media(media="print")
        footer = templating.render("pdf_footer.html", title=title)
        page.pdf(path=str(pdf_file), format=PAGE_FORMAT, margin=MARGIN,
                 print_background=True, display_header_footer=True,
                 header_template="<span></span>", footer_template=footer,
                 outline=True, tagged=True)
    finally:
        context.close()
    return charts


def write_edition_pdf(book_dir: Path, work_dir: Path, pdf_file: Path, title: str,
                      log_path: Path) -> Path:
    """Build the staged ``book_dir`` as one HTML page (into ``work_dir``) and print it
    to ``pdf_file``. Returns ``pdf_file``."""
    check_available()
    started = time.perf_counter()
    single = site.run_singlehtml(book_dir, work_dir, log_path) / "index.html"
    single.write_text(MATHJAX_SCRIPT.sub("", single.read_text(encoding="utf-8")),
                      encoding="utf-8")
    built = time.perf_counter()
    charts = print_pdf(single, pdf_file, title)
    log.info("PDF: singlehtml %.1f s, print %.1f s, %d charts, %d bytes",
             built - started, time.perf_counter() - built, charts, pdf_file.stat().st_size)
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
    title: str  # footer: "<report title> <edition> – <unit name>"
    heading: str  # printed above the unit's name: the edition's title


def write_unit_pdfs(edition_dir: Path, jobs: list[UnitPdf], browser=None) -> list[Path]:
    """Print every unit's own page to ``edition_dir/pdf/<unit_id>.pdf`` with one
    browser; a PDF over :data:`UNIT_PDF_MAX_PAGES` pages fails (the committee's papers
    need a short document)."""
    if browser is None:
        check_available()
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            chromium = launch_chromium(playwright)
            try:
                return write_unit_pdfs(edition_dir, jobs, chromium)
            finally:
                chromium.close()
    written = []
    for job in jobs:
        started = time.perf_counter()
        target = edition_dir / unit_pdf_path(job.unit_id)
        charts = print_pdf(job.html_file, target, job.title, browser, heading=job.heading)
        pages = count_pages(target)
        if pages > UNIT_PDF_MAX_PAGES:
            raise PdfError(f"the PDF of {job.unit_id} has {pages} pages, more than "
                           f"{UNIT_PDF_MAX_PAGES}")
        log.info("PDF %s: %d pages, %d charts, %.1f s", job.unit_id, pages, charts,
                 time.perf_counter() - started)
        written.append(target)
    return written
