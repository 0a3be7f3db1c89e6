"""Conventions of the notebook templates in notebooks/, checked by reading them.

Templates are thin: a ``parameters`` cell of few primitive parameters, one call that
builds the context, then presentation. No ``def``, no ``try``, no file reads, no
reader-facing Swedish literals in code, committed without outputs, every code cell
hidden from readers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from uppfoljning import execution

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "notebooks").glob("*.ipynb"))
ALLOWED_IMPORTS = {"uppfoljning", "myst_nb"}
FORBIDDEN_CALLS = {
    "open",
    "read_csv",
    "read_parquet",
    "read_excel",
    "read_json",
    "Path",
    "exec",
    "eval",
    "display",
    "Markdown",
    "print",
}
HIDDEN = {"remove-input", "remove-cell"}


def _cells(path: Path):
    return nbformat.read(path, as_version=4).cells


def _code(path: Path) -> list[tuple[nbformat.NotebookNode, ast.Module]]:
    return [(cell, ast.parse(cell.source)) for cell in _cells(path) if cell.cell_type == "code"]


def test_templates_exist():
    names = {p.stem for p in TEMPLATES}
    assert {"unit", "stockholm"} <= names


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    for cell in _cells(path):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {cell.get('id')} has outputs"
            assert cell.execution_count is None
        assert "papermill" not in cell.get("metadata", {})
    assert "papermill" not in nbformat.read(path, as_version=4).metadata


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_title_is_first_markdown_heading(path):
    first = _cells(path)[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_parameters_cell(path):
    cells = [c for c in _cells(path) if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    cell = cells[0]
    assert "remove-cell" in cell.metadata["tags"]
    tree = ast.parse(cell.source)
    names = []
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign), f"{path.name}: parameters are annotated"
        assert isinstance(node.value, ast.Constant), f"{path.name}: defaults are literals"
        assert node.annotation.id in {"str", "int"}, f"{path.name}: primitive parameters"
        assert isinstance(node.value.value, int | str)
        names.append(node.target.id)
    assert "edition" in names and "results_dir" in names
    assert len(names) <= 4
    assert set(execution.template_parameters(path)) == set(names)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_no_def_try_or_file_reads(path):
    for cell, tree in _code(path):
        for node in ast.walk(tree):
            assert not isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
            ), f"{path.name}: definition in {cell.id}"
            assert not isinstance(node, ast.Try), f"{path.name}: try in {cell.id}"
            assert not isinstance(node, ast.With), f"{path.name}: with in {cell.id}"
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                assert name not in FORBIDDEN_CALLS, f"{path.name}: {name}() in {cell.id}"
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                for module in modules:
                    assert module.split(".")[0] in ALLOWED_IMPORTS, f"{path.name}: {module}"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_one_context_call(path):
    calls = [
        node
        for _, tree in _code(path)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr
        in {"for_unit", "for_city", "for_focus_areas", "for_area", "for_overview"}
    ]
    assert len(calls) == 1


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_code_is_hidden_from_readers(path):
    for cell in _cells(path):
        if cell.cell_type == "code":
            assert HIDDEN & set(cell.metadata.get("tags", [])), f"{path.name}: {cell.id}"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_no_reader_text_in_code(path):
    """Swedish reader-facing text lives in labels.py, not in code cells."""
    for cell, tree in _code(path):
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert node.value.isascii(), f"{path.name}: {node.value!r} in {cell.id}"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_cells_have_stable_ids_and_markdown_is_the_templates_own(path):
    """Markdown cells are MyST source: nothing is substituted into them after execution
    (delivered text reaches a page through glue), and no ``{{ }}`` substitution."""
    cells = _cells(path)
    ids = [c.get("id") for c in cells]
    assert all(ids) and len(set(ids)) == len(ids)
    for cell in cells:
        if cell.cell_type == "markdown":
            assert "@@" not in cell.source and "{{" not in cell.source


def test_the_cells_the_build_fills_are_not_empty():
    """The build writes the unit's PDF link as a cell's output after execution; MyST-NB
    drops a code cell whose source is empty, outputs and all."""
    from uppfoljning.build import UNIT_PDF_CELL

    cells = {c.get("id"): c for c in _cells(ROOT / "notebooks" / "unit.ipynb")}
    assert cells[UNIT_PDF_CELL].source.strip()
