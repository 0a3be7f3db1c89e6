"""A check of the built site: no English interface text in any page.

Sphinx and the themes write their own texts into every page (skip links, permalinks,
the colour-mode switch, previous/next). Their Swedish comes from catalogues that may lack
a string after an upgrade (book/_locale fills what the pinned versions lack; the labels
the theme writes without a translation come from :mod:`uppfoljning.swedish_theme`); this
check reads every built page, its text and the attributes a screen reader announces, and
names every known English interface text it finds, so an upgrade cannot bring English
back unnoticed.

What the browser adds is checked the same way: :data:`ANNOUNCED_JS` collects the
announced attributes of a page after its charts are drawn (Vega writes English
descriptions such as "X-axis titled 'År' …" and field names such as
"occupation_label: …" unless they are turned off, :mod:`uppfoljning.charts`), and
:func:`unannounceable` names the English texts and field names among them or among the
names of an accessibility tree.
"""

from __future__ import annotations

import html.parser
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UppfoljningError

# Texts of Sphinx 7, pydata-sphinx-theme 0.15-0.17, sphinx-book-theme 1.x and the
# extensions Jupyter Book 1 loads, compared with whole texts and attribute values
# (case-insensitive): "Light" is English as a button's whole text, not inside a word.
ENGLISH_TEXTS = frozenset(
    t.lower()
    for t in (
        "Skip to main content",
        "Back to top",
        "Color mode",
        "Light",
        "Dark",
        "System Settings",
        "On this page",
        "Site navigation",
        "Section Navigation",
        "Section navigation",
        "previous page",
        "next page",
        "previous",
        "next",
        "Search",
        "Search...",
        "Search this book...",
        "Breadcrumb",
        "Home",
        "Toggle navigation",
        "Contents",
        "Download this page",
        "Fullscreen mode",
        "Print to PDF",
        "Source repository",
        "Open an issue",
        "Suggest edit",
        "Launch",
        "Index",
        "General Index",
        "Expand Sidebar",
        "Collapse Sidebar",
        "Show Source",
        "Announcement",
        "Navigation",
        "Copy to clipboard",
        "Copied!",
        "By",
        "Last updated on",
        "Theme",
        "Hide Search Matches",
        "Search Results",
        "Version warning",
        # sphinx-book-theme's labels without a translation (uppfoljning.swedish_theme)
        "Toggle primary sidebar",
        "Toggle secondary sidebar",
        "Main",
        "Page",
        # Vega's name for a chart's container
        "visualization",
    )
)
# Phrases found anywhere in a text or attribute ("Link to this heading", "Permalink to").
ENGLISH_PHRASES = (
    "link to this ",
    "permalink to ",
    "skip to main",
    "back to top",
    "color mode",
    "system settings",
    "on this page",
    "site navigation",
    "previous page",
    "next page",
    "search the docs",
    "ctrl+k to search",
    "© copyright",
    "toggle primary",
    "toggle secondary",
    # Vega's generated descriptions of axes, legends, titles and marks
    "axis titled",
    "legend titled",
    "legend for",
    "title text '",
    "subtitle text '",
    "mark container",
    "discrete scale",
    "continuous scale",
    "ending with ",
)
ANNOUNCED = (
    "aria-label",
    "title",
    "alt",
    "placeholder",
    "data-tooltip",
    "aria-description",
    "aria-roledescription",
)
# A field name in an announced text: a snake_case identifier ("occupation_label") or
# one of the charts' plain field names before a colon, as Vega writes a mark's fields
# ("series: Järva; segment: 0").
FIELD_NAME = re.compile(
    r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b"
    r"|(?:^|[;,]\s*)(?:series|segment|value|year|category|occupation|unit|measure|class"
    r"|order|note|text|column|datum|is_city)\s*:",
    re.ASCII,
)
SKIPPED_ELEMENTS = {"script", "style", "svg", "code", "pre"}


@dataclass(frozen=True)
class EnglishText:
    page: str
    text: str
    where: str  # "text" or the attribute's name

    def __str__(self) -> str:
        return f"{self.page}: {self.text!r} ({self.where})"


class EnglishInterfaceError(UppfoljningError):
    """A built page holds English interface text."""


def names_a_field(text: str) -> bool:
    """True if ``text`` shows a data field's name (see :data:`FIELD_NAME`)."""
    return FIELD_NAME.search(text) is not None


def is_english(text: str) -> bool:
    """True for a known English interface text (whole, or a known phrase within)."""
    lowered = " ".join(text.split()).lower()
    if not lowered:
        return False
    return lowered in ENGLISH_TEXTS or any(p in lowered for p in ENGLISH_PHRASES)


class _Reader(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_ELEMENTS:
            self._skip += 1
        for name, value in attrs:
            if name in ANNOUNCED and value and (is_english(value) or names_a_field(value)):
                self.found.append((value, name))

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_ELEMENTS and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and is_english(data):
            self.found.append((" ".join(data.split()), "text"))


def english_in_page(page_html: str) -> list[tuple[str, str]]:
    """(text, where) of every English interface text in one page."""
    reader = _Reader()
    reader.feed(page_html)
    reader.close()
    return reader.found


# Every announced attribute of the page as the browser holds it (after its scripts ran),
# as [name, value] pairs: what english_in_page reads from the built file, plus what
# scripts added (Vega's drawing, the theme's buttons).
ANNOUNCED_JS = """() => {
  const names = NAMES;
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const name of names) {
      const value = element.getAttribute(name);
      if (value) found.push([name, value]);
    }
  }
  return found;
}""".replace("NAMES", json.dumps(list(ANNOUNCED)))

# "- role "name"" in Playwright's ARIA snapshot (YAML): the accessible names.
_SNAPSHOT_NAME = re.compile(r'^\s*- [a-z]+ "((?:[^"\\]|\\.)*)"', re.MULTILINE)


def snapshot_names(snapshot: str) -> list[str]:
    """The accessible names in an ARIA snapshot (Playwright's ``aria_snapshot``)."""
    return [json.loads(f'"{m}"') for m in _SNAPSHOT_NAME.findall(snapshot)]


def unannounceable(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (where, text) pairs among ``texts`` that are English interface text or name
    a data field: what a screen reader must not announce."""
    return [(where, text) for where, text in texts if is_english(text) or names_a_field(text)]


def find_english(site_dir: Path) -> list[EnglishText]:
    """Every English interface text in the built pages under ``site_dir``."""
    found = []
    for page in sorted(site_dir.rglob("*.html")):
        if "_static" in page.relative_to(site_dir).parts:
            continue
        relative = page.relative_to(site_dir).as_posix()
        for text, where in english_in_page(page.read_text(encoding="utf-8")):
            found.append(EnglishText(relative, text, where))
    return found


def check_swedish_interface(site_dir: Path, limit: int = 20) -> None:
    """Raise :class:`EnglishInterfaceError` naming the English texts (at most ``limit``
    lines) if any built page holds one."""
    found = find_english(site_dir)
    if found:
        lines = [str(f) for f in found[:limit]]
        more = len(found) - len(lines)
        if more:
            lines.append(f"... and {more} more")
        raise EnglishInterfaceError(
            "English interface text in the built site (add its Swedish to "
            "book/_locale/sv/LC_MESSAGES/sphinx.po or override the template):\n  "
            + "\n  ".join(lines)
        )
