"""Sphinx extension: the theme's English labels in Swedish.

sphinx-book-theme 1.x writes a few labels into every page without a translation call,
so no catalogue (book/_locale) can reach them: the sidebar buttons' titles ("Toggle
primary sidebar", "Toggle secondary sidebar"), the navigation's label ("Main") and the
print contents' label ("Page"), which screen readers announce. This extension puts
``theme_templates`` first on the template path; it holds those templates, copied from
the theme with the labels in Swedish. :mod:`uppfoljning.interface_check` fails a build
whose pages still hold one of the English labels (after a theme upgrade, say).

Two of them also escape what the theme prints raw: the print header's ``pagetitle`` and
the sidebar's ``root_title`` are plain text (``title.astext()``), and a page title is a
unit's name from the delivery, so ``&lt;script&gt;`` would come back as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).parent / "theme_templates"


def put_templates_first(app: Any, config: Any) -> None:
    """Our templates before the themes' (an absolute path: Sphinx joins it to the
    configuration folder, which leaves it as it is)."""
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.insert(0, str(TEMPLATES))


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", put_templates_first)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
