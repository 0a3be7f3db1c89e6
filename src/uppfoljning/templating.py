"""HTML from Jinja2 templates: every page and table the package writes itself.

The templates live in ``uppfoljning/templates/`` (package data). Autoescaping is on for
all of them: a value is HTML-escaped unless it is :class:`markupsafe.Markup`, which is
how a fragment made by another template (a table inside an appendix) is passed in.
Whitespace: a block tag's own line break is dropped (``trim_blocks``, ``lstrip_blocks``)
and a template's final newline is not part of its output, so a template file reads like
the HTML it makes.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

__all__ = ["Markup", "environment", "render", "render_markup"]


@functools.cache
def environment() -> Environment:
    """The one Jinja2 environment (autoescaping, undefined names are errors)."""
    from . import labels

    env = Environment(
        loader=PackageLoader("uppfoljning", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.globals["scroll_hint"] = labels.TABLE_SCROLL_HINT  # macros.html
    return env


def render(name: str, /, **values: object) -> str:
    """Template ``name`` (in ``uppfoljning/templates/``) filled with ``values``."""
    return environment().get_template(name).render(**values)


def render_markup(name: str, /, **values: object) -> Markup:
    """:func:`render` as :class:`~markupsafe.Markup`, to go into another template."""
    return Markup(render(name, **values))
