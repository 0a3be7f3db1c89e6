"""Sphinx extension: the theme's plain-text titles reach the HTML escaped.

sphinx-book-theme puts two titles into every page's template context as plain text
(``title.astext()``): ``pagetitle``, printed raw as the print header's ``<h1>``, and
``root_title``, printed raw in the sidebar. A page title is a unit's name from the
delivery, so text such as ``<img onerror=…>`` or ``&lt;script&gt;`` (which ``astext``
gives back as markup) would run in every reader's browser. This extension runs after
the theme's handler and HTML-escapes both; everything else in the templates is
escaped by Sphinx already.
"""

from __future__ import annotations

from typing import Any

from markupsafe import escape

PLAIN_TEXT_TITLES = ("pagetitle", "root_title")
# after sphinx-book-theme's own html-page-context handlers (priority 500 and 501)
PRIORITY = 900


def escape_titles(app: Any, pagename: str, templatename: str, context: dict,
                  doctree: Any) -> None:
    """Escape the plain-text titles the theme put into ``context`` (once: a
    ``Markup`` value is already HTML)."""
    for key in PLAIN_TEXT_TITLES:
        value = context.get(key)
        if isinstance(value, str):
            context[key] = escape(value)


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", escape_titles, priority=PRIORITY)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
