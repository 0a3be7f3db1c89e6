"""Nothing dead stays in the package: every top-level UPPERCASE constant of
``src/uppfoljning`` is named somewhere besides its own definition, in ``src/`` (code and
templates), ``notebooks/`` or ``book/``. Tests do not count: a constant only a test reads
is dead to a reader of the published edition.

A dead constant is worse than none: the decoy trend titles once in ``labels`` were the
first hits of a grep for the real headline, and editing them changed nothing.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "uppfoljning"
# Where a constant may be named: the package's code and templates (Jinja reads
# ``labels.X``), the notebook templates, the book's pages and the project's files that
# name modules (``_config.yml`` loads the Sphinx extension by name).
SEARCHED = [
    *sorted((ROOT / "src").rglob("*.py")),
    *sorted((ROOT / "src").rglob("*.html")),
    *sorted((ROOT / "src").rglob("*.css")),
    *sorted((ROOT / "notebooks").glob("*.ipynb")),
    *sorted(
        p
        for p in (ROOT / "book").rglob("*")
        if p.is_file() and p.suffix in {".md", ".ipynb", ".py", ".html", ".yml"}
    ),
    ROOT / "_config.yml",
    ROOT / "_toc.yml",
]
# constant -> why it stays although nothing else names it (keep this list short)
ALLOWED: dict[str, str] = {}
UPPERCASE = re.compile(r"_?[A-Z][A-Z0-9_]*")
WORD = re.compile(r"\w+")


def top_level_constants(source: str) -> list[tuple[str, int]]:
    """The UPPERCASE names a module's ``source`` assigns at its top level, with their
    lines."""
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            targets = [
                e for t in node.targets for e in (t.elts if isinstance(t, ast.Tuple) else [t])
            ]
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            continue
        found += [
            (t.id, node.lineno)
            for t in targets
            if isinstance(t, ast.Name) and UPPERCASE.fullmatch(t.id)
        ]
    return found


def test_every_top_level_constant_is_named_somewhere_else():
    words = Counter(
        word for path in SEARCHED for word in WORD.findall(path.read_text(encoding="utf-8"))
    )
    dead = []
    for module in sorted(PACKAGE.rglob("*.py")):
        for name, line in top_level_constants(module.read_text(encoding="utf-8")):
            # the definition itself is one of the words
            if words[name] <= 1 and name not in ALLOWED:
                dead.append(f"{module.relative_to(ROOT)}:{line} {name}")
    assert not dead, (
        "constants nothing names (delete them, or add them to ALLOWED "
        "with a reason):\n" + "\n".join(dead)
    )


def test_the_allowed_are_still_defined():
    """An entry of ALLOWED whose constant is gone is itself stale."""
    defined = {
        name
        for module in PACKAGE.rglob("*.py")
        for name, _ in top_level_constants(module.read_text(encoding="utf-8"))
    }
    assert set(ALLOWED) <= defined


def test_the_scan_finds_constants_in_every_form():
    source = "A = 1\nB: int = 2\nC, D = 3, 4\n_E = 5\nlower = 6\nF = G = 7\nH.x = 8\n"
    assert [n for n, _ in top_level_constants(source)] == ["A", "B", "C", "D", "_E", "F", "G"]
