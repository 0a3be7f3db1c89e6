"""Sphinx extension: what the build adds to every page of an edition.

**The start page's tab title** names the book's title once: Sphinx writes a page's title
and then the book's (``title — html_title``), and the start page's heading is the book's
title, so its tab read the title twice. With ``uppfoljning_start_title`` set ("Startsida")
the start page's tab reads "Startsida — <the book's title>".

**The marks of a draft edition** (``build --draft``, report.md *Drafts*). With the
configuration value ``uppfoljning_draft_mark`` set (the Swedish text, "Utkast –
inte fastställd"), every page gets

- a visible banner with the text at the top of its content,
- ``<meta name="robots" content="noindex">`` for search engines, and
- a print style that repeats the text at the top of every printed page (a CSS page
  margin box, which Chromium prints since version 131), so every PDF page carries it.

Left empty (a final edition) the extension does nothing. The text is the package's own
label; it is escaped for HTML and for the CSS string all the same.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

CONFIG = "uppfoljning_draft_mark"
START_TITLE = "uppfoljning_start_title"
NOINDEX = Markup('<meta name="robots" content="noindex">')


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes and line breaks escaped;
    ``<`` too, so the style element cannot be closed from inside it)."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>\n\r' else c for c in text)
    return f'"{escaped}"'


def head_html(mark: str) -> Markup:
    """What a draft page adds to ``<head>``: noindex and the draft's print style."""
    style = (
        ".uppf-draft{border:2px dashed #a4000f;color:#a4000f;background:#fff5f5;"
        "font-weight:700;text-align:center;padding:.5rem 1rem;margin:0 0 1.5rem}"
        "@media print{.uppf-draft{display:block!important}}"
        "@page{@top-center{content:" + css_string(mark) + ";color:#a4000f;"
        "font:700 10pt sans-serif}}"
    )
    return NOINDEX + Markup("\n<style>") + Markup(style) + Markup("</style>")


def banner_html(mark: str) -> Markup:
    return Markup('<p class="uppf-draft" role="note">{}</p>\n').format(escape(mark))


def mark_page(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    start_title = getattr(app.config, START_TITLE, "")
    if start_title and pagename == app.config.root_doc:
        context["title"] = str(escape(start_title))  # its heading is the book's title
    mark = getattr(app.config, CONFIG, "")
    if not mark:
        return
    context["metatags"] = Markup(context.get("metatags", "")) + head_html(mark)
    if context.get("body"):
        context["body"] = banner_html(mark) + Markup(context["body"])


def setup(app: Any) -> dict:
    app.add_config_value(CONFIG, "", "html")
    app.add_config_value(START_TITLE, "", "html")
    app.connect("html-page-context", mark_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
