"""Sphinx extension: an incremental book build writes only the pages it read again,
unless what the other pages show of them changed.

Every page of the book carries its navigation (each page's title and sections), its
neighbours' titles and the link texts of references into other pages. Sphinx writes the
pages it read again, and those whose section or figure numbers changed; but a page read
again with another title, other sections or other reference targets would leave the old
ones on every page not written. The build therefore asks Sphinx to write only what
changed (``force_all`` off, :mod:`uppfoljning.site`), and this extension makes it write
every page when the outline of a page read again changed (a renamed chapter heading, a
section added). A corrected delivery or a prose edit then rewrites its own pages, not
the whole book.
"""

from __future__ import annotations

from typing import Any

_BEFORE = "uppfoljning_outlines_before"


def outline(env: Any, docname: str) -> tuple:
    """What other pages show of ``docname``: its title, its sections (in order) and
    the reference targets (labels) it defines, with their titles."""
    title = env.titles.get(docname)
    toc = env.tocs.get(docname)
    labels = sorted(
        (name, section)
        for name, (doc, _anchor, section) in env.get_domain("std").labels.items()
        if doc == docname
    )
    return (
        title.astext() if title is not None else None,
        toc.astext() if toc is not None else None,
        labels,
    )


def remember_outlines(app: Any, env: Any, docnames: list[str]) -> None:
    """Before Sphinx reads pages again: the outlines they had."""
    setattr(env, _BEFORE, {name: outline(env, name) for name in docnames if name in env.all_docs})


def pages_to_rewrite(app: Any, env: Any) -> list[str]:
    """After reading: every page when the outline of a page read again changed."""
    before = getattr(env, _BEFORE, {})
    setattr(env, _BEFORE, {})  # not pickled with the environment
    if any(name not in env.all_docs or outline(env, name) != old for name, old in before.items()):
        return sorted(env.found_docs)
    return []


def setup(app: Any) -> dict[str, Any]:
    app.connect("env-before-read-docs", remember_outlines)
    app.connect("env-get-updated", pages_to_rewrite)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
