"""Conventions of the test suite itself, checked by reading the tests (as
``test_notebooks`` reads the templates)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _decorator_name(node: ast.expr) -> str:
    """``given`` for ``@given(...)``, ``SETTINGS`` for ``@SETTINGS``, ``settings`` for
    ``@settings(...)`` or ``@hypothesis.settings(...)``."""
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else ""


def test_every_hypothesis_test_has_its_settings():
    """A property test without settings gets hypothesis's 200 ms deadline, which a
    shared machine misses now and then (a FlakyFailure, not a bug). The module's
    settings (or an explicit ``@settings``) say how many examples and no deadline."""
    bare = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            names = [_decorator_name(d) for d in node.decorator_list]
            if "given" in names and not any(n == "settings" or n.isupper() for n in names):
                bare.append(f"{path.relative_to(TESTS)}:{node.lineno} {node.name}")
    assert not bare, "hypothesis tests without settings:\n" + "\n".join(bare)
