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


def _calls_the_cli(function: ast.FunctionDef) -> bool:
    """``main([...])`` or ``cli.main([...])``: the CLI in this process."""
    return any(
        isinstance(node, ast.Call)
        and _decorator_name(node) == "main"
        and node.args
        and isinstance(node.args[0], ast.List)
        for node in ast.walk(function)
    )


def test_cli_tests_do_not_depend_on_where_pytest_starts():
    """The CLI finds its project from the working folder: a test that runs it asks for
    ``in_project`` (conftest), or chdirs itself, or its module marks every test so;
    else it passes from the project's root and fails from anywhere else."""
    loose = []
    for path in sorted(TESTS.rglob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        if 'usefixtures("in_project")' in source:
            continue
        for node in ast.parse(source).body:
            if (
                isinstance(node, ast.FunctionDef)
                and node.name.startswith("test_")
                and _calls_the_cli(node)
                and "in_project" not in [a.arg for a in node.args.args]
                and "chdir" not in ast.unparse(node)
            ):
                loose.append(f"{path.relative_to(TESTS)}:{node.lineno} {node.name}")
    assert not loose, "CLI tests that depend on the working folder:\n" + "\n".join(loose)


def test_the_session_build_does_not_share_the_developers_cache(tmp_path, monkeypatch):
    """By default a test run leaves ``_build/cache`` alone (opt in with
    ``UPPFOLJNING_TEST_SHARED_CACHE=1``)."""
    from conftest import copy_project

    monkeypatch.delenv("UPPFOLJNING_TEST_SHARED_CACHE", raising=False)
    project = copy_project(tmp_path / "project")
    assert not (project / "_build" / "cache").exists()


# Beside the tests until issue 27 lands: the two oracles the lead is rewriting, and the
# old names of the moved helpers that its test files still import (each a one-line
# re-export of tests/support/).
BESIDE_THE_TESTS = {
    "conftest.py",
    "audit.py",
    "reference.py",
}


def test_shared_helpers_live_in_support():
    """A newcomer tells helpers from tests by the folder: a module of tests/ that is no
    test goes in tests/support/ (imported as ``support.X``)."""
    helpers = {p.name for p in TESTS.glob("*.py") if not p.name.startswith("test_")}
    assert helpers <= BESIDE_THE_TESTS


def test_the_reference_implementation_shares_no_code_with_the_package():
    """tests/reference.py and its families in tests/support/reference/ are written from
    the specification: an import of ``uppfoljning`` would make the oracle agree with the
    code it checks."""
    sources = [TESTS / "reference.py", *sorted((TESTS / "support" / "reference").glob("*.py"))]
    imported = []
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            imported += [
                f"{path.relative_to(TESTS)}:{node.lineno} {name}"
                for name in names
                if name.split(".")[0] == "uppfoljning"
            ]
    assert len(sources) > 2
    assert not imported, "the reference imports the package:\n" + "\n".join(imported)
