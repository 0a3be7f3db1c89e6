"""The built 2024 demo edition in a real browser (Debian's Chromium through Playwright),
with no network: pages load cleanly, every chart renders, the CSV download holds the
chart's data, search works, the site works from file://, axe-core finds no serious or
critical accessibility problem, every page is Swedish and loads nothing from outside,
and the PDF of the edition has its charts.

One build for all of them (the session fixture ``demo_site`` in conftest.py). Pages
named here: the start page, one city chapter and one unit page; every other check
walks all pages of the edition.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote

import pandas as pd
import pytest

from conftest import ROOT, chromium_missing_reason
from uppfoljning import catalog, interface_check, labels, pdf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group("build"),
    pytest.mark.skipif(
        chromium_missing_reason() is not None, reason=str(chromium_missing_reason())
    ),
]

START, CITY, UNIT = "index.html", "stad/personalrorlighet.html", "stadsdelar/skarholmen.html"
# pages of wide tables in sideways-scrolling boxes (keyboard access) and no charts
QUALITY, FOCUS = "bilagor/datakvalitet.html", "stad/fokusomraden.html"
UNIT_NAME, UNIT_PAGE = "Skärholmen", "stadsdelar/skarholmen"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BAD_IMPACTS = ("serious", "critical")


# ---------------------------------------------------------------------------
# Helpers


class Visit:
    """A fresh page in a new browser context with the network blocked; records console
    errors, page errors, aborted (external) and failed requests, HTTP errors."""

    def __init__(self, chromium, javascript: bool = True):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.http_errors: list[str] = []
        self.context = chromium.new_context(
            locale="sv-SE",
            accept_downloads=True,
            viewport={"width": 1280, "height": 900},
            java_script_enabled=javascript,
        )
        pdf.block_network(self.context, self.blocked)
        self.page = self.context.new_page()
        page = self.page
        page.on(
            "console",
            lambda m: (
                m.type == "error"
                and self.console_errors.append(f"{m.text} ({m.location.get('url', '')})")
            ),
        )
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        page.on(
            "response", lambda r: r.status >= 400 and self.http_errors.append(f"{r.status} {r.url}")
        )

    def open(self, url: str) -> Visit:
        self.page.goto(url, wait_until="load")
        return self

    def charts(self) -> list[dict]:
        """Every chart on the page once all have settled: id, rendered, text."""
        pdf.wait_for_charts(self.page, timeout_ms=30_000)
        return self.page.evaluate(pdf.CHART_STATE_JS)

    def problems(self) -> list[str]:
        return (
            [f"console: {e}" for e in self.console_errors]
            + [f"page error: {e}" for e in self.page_errors]
            + [f"external request: {u}" for u in self.blocked]
            + [f"failed request: {u}" for u in self.failed]
            + [f"HTTP {u}" for u in self.http_errors]
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(chromium):
    visits: list[Visit] = []

    def make(javascript: bool = True) -> Visit:
        visits.append(Visit(chromium, javascript))
        return visits[-1]

    yield make
    for v in visits:
        v.close()


def assert_charts_rendered(charts: list[dict], page: str) -> None:
    broken = [c for c in charts if not c["rendered"]]
    assert not broken, f"{page}: charts that did not render: {broken}"
    messages = [c for c in charts if labels.CHART_SCRIPT_MISSING in c["text"]]
    assert not messages, f"{page}: renderer error message shown: {messages}"


LOADING_ATTRIBUTES = {  # tag -> attributes whose URL the browser loads
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "track": ("src",),
}
LOADED_LINK_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "manifest",
    "prefetch",
}
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(
    r"""(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?//[^'")\s]+)""", re.IGNORECASE
)


class _UrlScanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.loaded: list[str] = []  # external resources the page would load
        self.outbound: list[str] = []  # plain external links (allowed, listed)
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        if tag == "style":
            self._in_style = True
        urls = [values.get(a) or "" for a in LOADING_ATTRIBUTES.get(tag, ())]
        if tag == "link" and LOADED_LINK_RELS & set((values.get("rel") or "").lower().split()):
            urls.append(values.get("href") or "")
        for url in urls:
            for part in url.split(","):  # srcset
                if EXTERNAL.match(part):
                    self.loaded.append(f"<{tag}> {part.strip()}")
        self.loaded += [f"style attribute {u}" for u in CSS_URL.findall(values.get("style") or "")]
        if tag == "a" and EXTERNAL.match(values.get("href") or ""):
            self.outbound.append(values["href"])

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.loaded += [f"<style> {u}" for u in CSS_URL.findall(data)]


def scan_html(text: str) -> _UrlScanner:
    scanner = _UrlScanner()
    scanner.feed(text)
    scanner.close()
    return scanner


def chart_specs(page) -> list[dict]:
    """The Vega-Lite specs of the page's charts, in page order (from their scripts)."""
    sources = page.evaluate("""() => Array.from(
        document.querySelectorAll('figure.uppf-chart script')).map(s => s.textContent)""")
    specs = []
    for source in sources:
        found = re.search(r"var spec = (\{.*\});\n", source)
        assert found, source[:200]
        specs.append(json.loads(found.group(1)))
    return specs


def spec_rows(spec: dict) -> pd.DataFrame:
    frames = [pd.DataFrame(rows) for rows in spec.get("datasets", {}).values()]
    if isinstance(spec.get("data"), dict) and "values" in spec["data"]:
        frames.append(pd.DataFrame(spec["data"]["values"]))
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------
# Pages load cleanly and their charts render


@pytest.mark.parametrize("path", [START, CITY, UNIT])
def test_page_loads_cleanly_and_charts_render(demo_site, site_server, visit, path):
    v = visit().open(f"{site_server}/{demo_site.edition}/{path}")
    charts = v.charts()
    v.page.wait_for_timeout(500)  # late requests (networkidle is flaky on a busy machine)
    assert v.problems() == [], path
    assert_charts_rendered(charts, path)
    if path != START:
        assert charts, f"{path}: no charts"
    assert v.page.locator("html").get_attribute("lang") == "sv"
    assert v.page.title().strip()


def test_every_page_is_swedish_and_loads_nothing_external(demo_site, capsys):
    pages = sorted(demo_site.edition_dir.rglob("*.html")) + [demo_site.out / "index.html"]
    assert len(pages) > 10
    loaded, outbound = {}, {}
    for page in pages:
        scanner = scan_html(page.read_text(encoding="utf-8"))
        name = str(page.relative_to(demo_site.out))
        if "_static" not in page.parts:  # theme templates copied there are no pages
            assert scanner.lang == "sv", f"{name}: <html lang={scanner.lang!r}>"
        if scanner.loaded:
            loaded[name] = scanner.loaded
        if scanner.outbound:
            outbound[name] = sorted(set(scanner.outbound))
    for css in demo_site.edition_dir.rglob("*.css"):
        found = CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace"))
        if found:
            loaded[str(css.relative_to(demo_site.out))] = found
    assert loaded == {}, "pages load external resources"
    with capsys.disabled():  # plain outbound links are allowed; list them
        links = sorted({u for urls in outbound.values() for u in urls})
        if links:
            print(f"\noutbound links in {len(outbound)} pages: {', '.join(links)}")


# ---------------------------------------------------------------------------
# Search, CSV download, file://


def test_search_finds_a_unit_by_name(demo_site, site_server, visit):
    v = visit().open(f"{site_server}/{demo_site.edition}/search.html?q={quote(UNIT_NAME)}")
    link = v.page.locator(f'#search-results a[href*="{UNIT_PAGE}"]').first
    link.wait_for(timeout=20_000)
    assert UNIT_NAME in link.inner_text()
    link.click()
    v.page.wait_for_load_state("load")
    assert v.page.url.split("?")[0].endswith(f"{UNIT_PAGE}.html")
    assert v.problems() == []


@pytest.mark.parametrize("path", [CITY, UNIT])
def test_charts_fit_the_column_on_a_phone_and_in_print(demo_site, site_server, visit, path):
    """Charts are drawn at their column's width: on a phone the labels keep their size
    (not shrunk with the drawing), in print a chart drawn for the screen fits the page."""
    v = visit()
    v.page.set_viewport_size({"width": 390, "height": 844})
    v.open(f"{site_server}/{demo_site.edition}/{path}")
    assert_charts_rendered(v.charts(), path)
    measure = """() => [...document.querySelectorAll('.uppf-chart-view')].map(view => {
        const svg = view.querySelector('svg');
        const drawn = svg.viewBox.baseVal.width || svg.getBoundingClientRect().width;
        const scale = svg.getBoundingClientRect().width / drawn;
        const sizes = [...svg.querySelectorAll('text')].map(
            t => parseFloat(getComputedStyle(t).fontSize) * scale);
        return {view: view.getBoundingClientRect().width,
                svg: svg.getBoundingClientRect().width, smallest: Math.min(...sizes)};
    })"""
    for chart in v.page.evaluate(measure):
        assert chart["svg"] <= chart["view"] + 1 and chart["smallest"] >= 10, (path, chart)
    v.page.set_viewport_size({"width": 1280, "height": 900})
    v.page.wait_for_timeout(500)
    v.page.emulate_media(media="print")
    for chart in v.page.evaluate(measure):
        assert chart["svg"] <= chart["view"] + 1, (path, "print", chart)


@pytest.mark.parametrize("path", [CITY, UNIT])
def test_charts_read_without_javascript(demo_site, path, visit):
    """With JavaScript off every chart container shows its static picture (drawn), its
    text alternative and its CSV link."""
    page = (
        visit(javascript=False).open((demo_site.out / str(demo_site.edition) / path).as_uri()).page
    )
    state = page.evaluate("""() => [...document.querySelectorAll('.uppf-chart')].map(f => {
        const img = f.querySelector('.uppf-chart-view > img.uppf-chart-fallback');
        return {picture: !!img && img.complete && img.naturalWidth > 100,
                width: img ? img.getBoundingClientRect().width : 0,
                label: (document.getElementById(f.querySelector('.uppf-chart-view')
                    .getAttribute('aria-labelledby') || '') || {textContent: ''}).textContent,
                csv: !!f.querySelector('a.uppf-chart-download[href^="data:text/csv"]')};
    })""")
    assert state, f"{path}: no charts"
    for chart in state:
        assert chart["picture"] and chart["width"] > 100 and chart["label"], (path, chart)
        assert chart["csv"], (path, chart)


# the text of an inline SVG that reaches outside the SVG's own box, by how far
TEXT_OUTSIDE_JS = """() => {
  const box = document.querySelector('svg').getBoundingClientRect();
  return [...document.querySelectorAll('svg text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left - box.left, right: box.right - r.right,
            top: r.top - box.top, bottom: box.bottom - r.bottom};
  }).filter(t => t.text.trim() && Math.min(t.left, t.right, t.top, t.bottom) < -0.5);
}"""


@pytest.mark.parametrize("path", [CITY, UNIT])
def test_static_pictures_keep_their_text_inside(demo_site, path, visit):
    """The static pictures are laid out with vl-convert's Liberation Sans; drawn by the
    browser in a wider font their long labels ran out of the picture
    ("nskede-Årsta-Vantör")."""
    page_html = (demo_site.out / str(demo_site.edition) / path).read_text(encoding="utf-8")
    urls = re.findall(r'src="data:image/svg\+xml;charset=utf-8,([^"]+)"', page_html)
    assert urls, f"{path}: no pictures"
    page = visit().page
    for url in urls:
        svg = unquote(unescape(url))
        page.set_content(f"<body style='margin:0'>{svg}</body>")
        assert page.evaluate(TEXT_OUTSIDE_JS) == [], path


# Chromium lets one tab start ten downloads in a row and then holds the next ones back
# (its "download multiple files" permission, which a reader grants with a click and a
# test cannot): a fresh tab after every few downloads keeps every click honest.
DOWNLOADS_PER_TAB = 5


@pytest.mark.parametrize("path", [CITY, UNIT])
def test_csv_download_holds_the_charted_data(demo_site, site_server, visit, tmp_path, path):
    """Each chart's download is for people in Swedish Excel: a byte order mark, ';'
    between fields, Swedish headers, labels instead of codes, numbers with a decimal
    comma, '..' where a value is hidden; one row per drawn point or bar (and a row for
    each value the chart leaves out)."""
    url = f"{site_server}/{demo_site.edition}/{path}"
    v = visit().open(url)
    charts = v.charts()
    assert_charts_rendered(charts, path)
    specs = chart_specs(v.page)
    figures = v.page.locator("figure.uppf-chart")
    assert figures.count() == len(specs) == len(charts) > 0
    codes = set(catalog.KNOWN) | set(labels.OCCUPATIONS)
    for index, spec in enumerate(specs):
        if index and index % DOWNLOADS_PER_TAB == 0:
            assert v.problems() == []
            v = visit().open(url)
            assert_charts_rendered(v.charts(), path)
            figures = v.page.locator("figure.uppf-chart")
        figure = figures.nth(index)
        link = figure.locator("a.uppf-chart-download")
        assert link.inner_text().strip() == labels.DOWNLOAD_CSV
        with v.page.expect_download() as info:
            link.click()
        download = info.value
        name = download.suggested_filename
        assert name.endswith(".csv")
        target = tmp_path / f"{index}-{name}"
        download.save_as(target)
        raw = target.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name  # UTF-8 with BOM
        csv = pd.read_csv(
            io.StringIO(raw.decode("utf-8-sig")), sep=";", dtype=str, keep_default_na=False
        )
        assert len(csv.columns) >= 2, (name, list(csv.columns))
        for header in csv.columns:  # Swedish headers, no field names
            assert not interface_check.names_a_field(header) and header not in (
                "year",
                "value",
                "series",
                "segment",
                "unit_name",
                "occupation",
            ), name
        values = csv[csv.columns[-1]]
        assert values.str.fullmatch(r"-?\d+(,\d+)?|\.\.|uppgift saknas").all(), (
            name,
            values.tolist(),
        )
        assert not set(csv.stack()) & codes, name  # labels, not codes
        plotted = spec_rows(spec)
        shown = (values != "..") & (values != "uppgift saknas")
        svg = figure.locator(".uppf-chart-view svg")
        if "unit_name" in plotted:  # sorted bars with the unit names on the axis
            bars = svg.locator("g.mark-rect.role-mark path").count()
            assert bars == plotted["value"].notna().sum()
            assert shown.sum() == bars + 1  # ... and the city's value (the line)
            axis = svg.locator("g.role-axis-label text").all_text_contents()
            assert set(csv[csv.columns[0]]) - {labels.LEGEND_CITY} <= set(axis)
        elif "year" in plotted:  # trend lines with a point per year and series
            points = svg.evaluate("""svg => Array.from(svg.querySelectorAll(
                'g.mark-symbol.role-mark')).map(g => g.querySelectorAll('path').length)""")
            assert points and set(points) == {shown.sum()}, (name, points)
    assert v.problems() == []


def test_site_works_from_the_file_system(demo_site, visit):
    edition = demo_site.edition_dir
    for path in (START, UNIT):
        v = visit().open((edition / path).as_uri())
        assert_charts_rendered(v.charts(), path)
        assert v.page_errors == [] and v.blocked == []
    v = visit().open((edition / "search.html").as_uri() + f"?q={quote(UNIT_NAME)}")
    v.page.locator(f'#search-results a[href*="{UNIT_PAGE}"]').first.wait_for(timeout=20_000)
    assert (demo_site.out / "index.html").is_file()


# ---------------------------------------------------------------------------
# Accessibility (axe-core)


@pytest.mark.parametrize("path", [START, CITY, UNIT, QUALITY, FOCUS, "stad/overblick.html"])
def test_no_serious_accessibility_problems(demo_site, site_server, visit, path):
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run npm ci (make browser-deps)")
    v = visit().open(f"{site_server}/{demo_site.edition}/{path}")
    assert_charts_rendered(v.charts(), path)
    v.page.add_script_tag(path=str(AXE))
    violations = v.page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: '
                                           + n.html.slice(0, 160))}));
    }""")
    bad = [x for x in violations if x["impact"] in BAD_IMPACTS]
    assert bad == [], f"{path}: {json.dumps(bad, ensure_ascii=False, indent=1)}"


# What a screen reader announces, after the charts are drawn: Swedish only, and no
# field name (Vega writes "X-axis titled 'År' …" and "series: Järva; segment: 0" unless
# its own texts are off; the theme wrote "Toggle primary sidebar", "Main", "Page").
def _announced(page) -> list[tuple[str, str]]:
    attributes = [(n, v) for n, v in page.evaluate(interface_check.ANNOUNCED_JS)]
    names = interface_check.snapshot_names(page.locator("body").aria_snapshot())
    return attributes + [("accessible name", n) for n in names]


@pytest.mark.parametrize("path", [START, CITY, UNIT, "stad/overblick.html"])
def test_screen_readers_hear_swedish_and_no_field_names(demo_site, site_server, visit, path):
    v = visit().open(f"{site_server}/{demo_site.edition}/{path}")
    charts = v.charts()
    assert_charts_rendered(charts, path)
    # the template relabels a chart once vega-embed has drawn it
    v.page.wait_for_function(
        """() => [...document.querySelectorAll('.uppf-chart-view')]
        .every(el => !el.hasAttribute('aria-roledescription'))""",
        timeout=10_000,
    )
    assert interface_check.unannounceable(_announced(v.page)) == [], path
    # every chart is one image (a group when it holds drop-down lists) named by its
    # Swedish text alternative, the caption; Vega's drawing is hidden from the tree
    views = v.page.evaluate("""() => [...document.querySelectorAll('.uppf-chart-view')]
        .map(el => ({role: el.getAttribute('role'), label: el.getAttribute('aria-label'),
                     name: (document.getElementById(el.getAttribute('aria-labelledby') || '')
                            || {textContent: null}).textContent,
                     roledescription: el.getAttribute('aria-roledescription'),
                     caption: el.closest('figure').querySelector(
                         '.uppf-chart-description').textContent,
                     lists: el.querySelectorAll('select').length,
                     svgHidden: [...el.querySelectorAll('svg')].every(
                         s => s.getAttribute('aria-hidden') === 'true')}))""")
    assert len(views) == len(charts)
    # the text alternative is heard once: as the chart's name, not again as the caption
    heard = " ".join(v.page.locator("body").aria_snapshot().split())
    for view in views:
        assert view["role"] == ("group" if view["lists"] else "img"), view
        assert view["name"] == view["caption"] and view["name"], view
        assert view["label"] is None, view  # no second name beside the caption's
        assert view["roledescription"] is None and view["svgHidden"], view
        same = sum(other["caption"] == view["caption"] for other in views)
        assert heard.count(" ".join(view["caption"].split())) == same, view
    if path == "stad/overblick.html":  # the drawing changes: still nothing English
        select = v.page.locator(".uppf-chart .vega-bind select").first
        options = select.locator("option").all_inner_texts()
        select.select_option(label=options[-1])
        v.page.wait_for_timeout(300)
        assert interface_check.unannounceable(_announced(v.page)) == []
    assert v.problems() == []


# ---------------------------------------------------------------------------
# Phones: a table wider than the screen shows that it scrolls

SCROLL_CUE_JS = """() => [...document.querySelectorAll('article .uppf-table-wrap')]
  .filter(box => box.getClientRects().length).map(box => {
    const before = getComputedStyle(box, '::before');
    const right = box.getBoundingClientRect().right;
    return {label: box.getAttribute('aria-label'), wide: box.scrollWidth > box.clientWidth,
            marked: box.classList.contains('uppf-scrolls'),
            hint: before.content, hintShown: before.display !== 'none',
            mask: getComputedStyle(box).maskImage || getComputedStyle(box).webkitMaskImage,
            visibleHeaders: [...box.querySelectorAll('thead th')]
              .filter(th => th.getBoundingClientRect().right <= right + 1)
              .map(th => th.textContent.trim())};
  })"""


def test_wide_tables_show_on_a_phone_that_they_scroll(demo_site, site_server, visit):
    """At 390 px a table wider than the screen has a hint above it and a fade at its
    right edge (phones hide scroll bars); a table that fits has neither. The unit's key
    figures show the measure, the newest year and the city's value before scrolling."""
    v = visit()
    v.page.set_viewport_size({"width": 390, "height": 844})
    v.open(f"{site_server}/{demo_site.edition}/{UNIT}")
    v.page.wait_for_timeout(200)
    boxes = v.page.evaluate(SCROLL_CUE_JS)
    assert any(b["wide"] for b in boxes), boxes
    for box in boxes:
        assert box["marked"] == box["wide"], box
        if box["wide"]:
            assert labels.TABLE_SCROLL_HINT in box["hint"] and box["hintShown"], box
            assert "gradient" in box["mask"], box
    key_figures = boxes[0]
    assert key_figures["visibleHeaders"][:3] == [
        labels.COL_INDICATOR,
        str(demo_site.edition),
        labels.COL_CITY.format(year=demo_site.edition),
    ], key_figures
    # scrolled to its end, the fade is gone
    v.page.evaluate("""() => { const box = document.querySelector(
        'article .uppf-table-wrap.uppf-scrolls'); box.scrollLeft = box.scrollWidth; }""")
    v.page.wait_for_timeout(200)
    end = v.page.evaluate("""() => getComputedStyle(document.querySelector(
        'article .uppf-table-wrap.uppf-scrolls')).maskImage""")
    assert end == "none"
    v.page.set_viewport_size({"width": 1280, "height": 900})
    v.page.wait_for_timeout(200)
    assert not any(b["marked"] for b in v.page.evaluate(SCROLL_CUE_JS))


# ---------------------------------------------------------------------------
# Tables: no sideways scrolling on a desktop, no word broken in the middle

# Every visible table of the page's article: the width of its scroll container (the
# nearest ancestor that clips or scrolls sideways, else the article) and what it needs,
# and the words of the report's own tables (.uppf-words) whose letters are drawn on more
# than one line. A word ends at white space or a hyphen ("Enskede-Årsta-" may end a line).
TABLES_JS = """() => {
  const article = document.querySelector('article') || document.body;
  const brokenWords = (table) => {
    const broken = [];
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/[^\\s\\-\u2010\u2013]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                             .map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
    return broken;
  };
  return [...article.querySelectorAll('table')].filter(t => t.getClientRects().length)
    .map(t => {
      let box = t.parentElement;
      while (box !== article && getComputedStyle(box).overflowX === 'visible') {
        box = box.parentElement;
      }
      return {label: (t.closest('[aria-label]') || t).getAttribute('aria-label') || '',
              needs: box.scrollWidth, has: box.clientWidth,
              broken: t.classList.contains('uppf-words') ? brokenWords(t) : []};
    });
}"""


def test_tables_fit_the_column_at_1280_and_never_break_a_word(demo_site, site_server, visit):
    """At 1280 px no table of the start page, a city chapter, a unit page, Fokusområden
    or Datakvalitet needs sideways scrolling; on a phone the report's tables may scroll
    but still break no word in the middle ("Genomfö/rt")."""
    v = visit()
    counted = {}
    for width in (1280, 390):
        v.page.set_viewport_size({"width": width, "height": 900})
        for path in (START, CITY, UNIT, FOCUS, QUALITY):
            v.open(f"{site_server}/{demo_site.edition}/{path}")
            tables = v.page.evaluate(TABLES_JS)
            counted[path] = len(tables)
            for table in tables:
                assert table["broken"] == [], (path, width, table)
                if width == 1280:
                    assert table["needs"] <= table["has"], (path, table)
            if width == 1280:
                wide = v.page.evaluate(
                    "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
                )
                assert wide <= 0, (path, "the page scrolls sideways", wide)
    assert all(counted[p] > 0 for p in (CITY, UNIT, FOCUS, QUALITY)), counted
    # the overview of every unit fits at 1280 px too (its cells are numbers)
    v.page.set_viewport_size({"width": 1280, "height": 900})
    v.open(f"{site_server}/{demo_site.edition}/stad/overblick.html")
    tables = v.page.evaluate(TABLES_JS)
    assert tables and all(t["needs"] <= t["has"] for t in tables), tables


# ---------------------------------------------------------------------------
# The PDF


def _pdf_text(path: Path) -> str | None:
    if not shutil.which("pdftotext"):
        return None
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_of_the_edition_has_its_chapters_and_charts(demo_site):
    from uppfoljning.config import ReportConfig

    path = demo_site.edition_dir / pdf.pdf_name(demo_site.edition)
    assert path.is_file()
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    chapters = list(demo_site.edition_dir.glob("*/*.html"))  # stad/, stadsdelar/, bilagor/
    assert pages > len(chapters) > 5  # each chapter starts a page
    units = len([p for p in chapters if p.parent.name in ("stadsdelar", "fackforvaltningar")])
    assert re.search(rb"/MediaBox\s*\[0 0 59[45]\.\d+ 84[12]\.\d+\]", data), "not A4"
    text = _pdf_text(path)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: text not checked")
    first_year = ReportConfig.load(demo_site.project / "report.yml").first_year
    subtitle = labels.TURNOVER_SUBTITLE.format(first_year=first_year, last_year=demo_site.edition)
    flowing = " ".join(text.split())  # chart titles and subtitles wrap into lines
    # the city's trend chart; a unit's chapter keeps its key figures (its charts are in
    # the unit's own PDF, test_pdf.py)
    assert flowing.count(subtitle) >= 1 and units >= 1
    assert labels.AXIS_OCCUPATION in text and UNIT_NAME in text
    assert "sida 1 av" in text
    assert labels.PDF_LINK not in text  # the start page's link to the PDF is not printed
    assert labels.PRINT_PASSED_NOTE.split(":")[0] in " ".join(text.split())  # Datakvalitet


def test_start_page_links_to_the_pdf(demo_site, site_server, visit):
    v = visit().open(f"{site_server}/{demo_site.edition}/index.html")
    link = v.page.locator("a.uppf-pdf-link")
    assert link.inner_text() == labels.PDF_LINK
    with v.page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == pdf.pdf_name(demo_site.edition)
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")


def test_pdf_fails_when_a_chart_does_not_render(tmp_path, chromium):
    page = tmp_path / "index.html"
    page.write_text(
        '<!DOCTYPE html><html lang="sv"><body><figure class="uppf-chart">'
        '<div class="uppf-chart-view" id="c1"></div><script>'
        f'document.getElementById("c1").textContent = {json.dumps(labels.CHART_SCRIPT_MISSING)};'
        "</script></figure></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(pdf.PdfError, match="1 of 1 charts did not render"):
        pdf.print_pdf(page, tmp_path / "out.pdf", "Test", chromium)
    assert not (tmp_path / "out.pdf").exists()


# ---------------------------------------------------------------------------
# The district's own report (issue 14): unit pages, overview, unit PDFs, spreadsheet

OVERVIEW = "stad/overblick.html"
MIN_UNIT_CHARTS = 6


def _unit_pages(demo_site) -> list[Path]:
    edition = demo_site.edition_dir
    pages = sorted(edition.glob("stadsdelar/*.html")) + sorted(
        edition.glob("fackforvaltningar/*.html")
    )
    published = pd.read_csv(edition / "data" / "indikatorer.csv")
    assert len(pages) == published.loc[published["unit_id"] != "stockholm", "unit_id"].nunique()
    return pages


def test_every_unit_page_draws_its_charts_offline_with_a_csv_each(demo_site, visit):
    """Opened from the file system with the network blocked, as a district manager's
    saved copy would be: at least six charts drawn, each with its CSV."""
    for page_file in _unit_pages(demo_site):
        v = visit().open(page_file.as_uri())
        charts = v.charts()
        name = page_file.stem
        assert len(charts) >= MIN_UNIT_CHARTS, f"{name}: {len(charts)} charts"
        assert_charts_rendered(charts, name)
        csv = v.page.evaluate("""() => [...document.querySelectorAll('figure.uppf-chart')]
            .map(f => { const a = f.querySelector('a.uppf-chart-download');
                        return a ? decodeURIComponent(a.href.split(',')[1]) : ''; })""")
        assert len(csv) == len(charts) and all(c.count("\n") >= 2 for c in csv), name
        assert v.page_errors == [] and v.blocked == [], name


def test_overview_covers_every_unit_and_compares_two(demo_site, site_server, visit):
    published = pd.read_csv(demo_site.edition_dir / "data" / "indikatorer.csv")
    names = set(published.loc[published["unit_id"] != "stockholm", "unit_name"])
    v = visit().open(f"{site_server}/{demo_site.edition}/{OVERVIEW}")
    assert_charts_rendered(v.charts(), OVERVIEW)
    rows = v.page.locator("table.uppf-overview tbody th").all_inner_texts()
    assert rows[0] == labels.LEGEND_CITY and set(rows[1:]) == names and len(rows) == 13
    # two drop-down lists choose the units; the chart's columns follow the choice
    selects = v.page.locator(".uppf-chart .vega-bind select")
    assert selects.count() == 2
    selects.nth(0).select_option(UNIT_NAME)
    v.page.wait_for_timeout(300)
    columns = v.page.locator(".uppf-chart svg g.role-axis-label text").all_text_contents()
    assert UNIT_NAME in columns and labels.LEGEND_CITY in columns
    assert v.problems() == []
    # and the overview is in the table of contents (every page's navigation)
    start = (demo_site.edition_dir / START).read_text(encoding="utf-8")
    assert f'href="{OVERVIEW}"' in start


def test_each_unit_has_its_own_pdf_linked_from_its_page(demo_site, visit):
    if not demo_site.pdf:
        pytest.skip("built without --pdf (no Chromium)")
    from uppfoljning.config import ReportConfig

    config = ReportConfig.load(demo_site.project / "report.yml")
    title = labels.PDF_UNIT_TITLE.format(title=config.title, edition=demo_site.edition)
    published = pd.read_csv(demo_site.edition_dir / "data" / "indikatorer.csv")
    names = dict(zip(published["unit_id"], published["unit_name"], strict=False))
    for page_file in _unit_pages(demo_site):
        unit_id = page_file.stem
        path = demo_site.edition_dir / pdf.unit_pdf_path(unit_id)
        assert path.is_file(), unit_id
        pages = pdf.count_pages(path)
        assert 1 <= pages <= pdf.UNIT_PDF_MAX_PAGES, (unit_id, pages)
        link = visit().open(page_file.as_uri()).page.locator("a.uppf-pdf-link")
        assert link.get_attribute("href") == f"../{pdf.unit_pdf_path(unit_id)}"
        text = _pdf_text(path)
        if text is None:
            continue
        flowing = " ".join(text.split())
        assert names[unit_id] in flowing and title in flowing, unit_id
        assert "sida 1 av" in flowing and labels.PDF_UNIT_LINK not in flowing


def test_spreadsheet_agrees_with_indikatorer_csv(demo_site):
    import openpyxl

    from uppfoljning import spreadsheet

    data = demo_site.edition_dir / "data"
    published = pd.read_csv(data / "indikatorer.csv", keep_default_na=False, dtype={"value": str})
    book = openpyxl.load_workbook(data / "indikatorer.xlsx", read_only=True)
    cells = {}
    for name in book.sheetnames:
        rows = list(book[name].iter_rows(values_only=True))
        if name not in (labels.XLSX_SHEET_ABOUT, labels.XLSX_SHEET_FOCUS):
            assert rows[0] == labels.XLSX_COLUMNS, name
            for year, unit, occupation, measure, value, note in rows[1:]:
                cells[(year, unit, occupation, measure)] = (value, note)
    assert len(cells) == len(published)  # every row of the CSV, once
    checked = {"value": 0, "..": 0}
    for row in published.itertuples():
        key = (
            row.year,
            row.unit_name,
            labels.OCCUPATIONS[row.occupation],
            spreadsheet.measure_name(row.indicator),
        )
        value, note = cells[key]
        if row.suppressed == "true" or row.suppressed is True:
            assert value is None and note == "..", key
            checked[".."] += 1
        elif row.value == "":
            assert value is None and note == "uppgift saknas", key
        else:
            rate = catalog.indicator(row.indicator).display == catalog.PERCENT
            assert value == pytest.approx(float(row.value) * (100 if rate else 1)), key
            checked["value"] += 1
    assert checked["value"] > 1000 and checked[".."] > 0
    assert labels.XLSX_SHEET_FOCUS in book.sheetnames
    assert "indikatorer.xlsx" in (demo_site.edition_dir / "bilagor" / "underlag.html").read_text(
        encoding="utf-8"
    )
