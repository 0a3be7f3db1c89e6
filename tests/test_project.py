"""Project conventions: dependencies in one place, mirrored and locked."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec, maxsplit=1)[0].lower()


def _pyproject_specs() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + project["optional-dependencies"]["dev"]


def test_environment_yml_mirrors_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    mirrored = [spec for spec in pip if not spec.startswith("-e")]
    assert sorted(mirrored) == sorted(_pyproject_specs())
    assert "python=3.11" in env["dependencies"]


def test_lockfile_pins_every_dependency():
    locked = {
        _name(line)
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if line and not line.startswith((" ", "#"))
    }
    missing = {_name(spec) for spec in _pyproject_specs()} - locked
    assert not missing, f"not in requirements.lock: {missing}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme.split("\n## ", 2)[1]  # in the first section
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def _recipe(target: str) -> list[str]:
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_make_test_lints_before_it_runs_the_tests():
    recipe = _recipe("test")
    pytest_step = next(i for i, step in enumerate(recipe) if "pytest" in step)
    assert {"$(RUFF)", "$(FORMAT)", "$(MYPY)"} <= set(recipe[:pytest_step])
    assert _recipe("lint") == ["$(RUFF)", "$(FORMAT)", "$(MYPY)"]


def test_make_test_prints_its_slowest_tests():
    """So that a test slow for no reason stays visible."""
    (pytest_step,) = [step for step in _recipe("test") if "pytest" in step]
    assert "--durations=15" in pytest_step


def _layered_modules() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    return {name.strip() for layer in layers for name in re.split(r"[|:]", layer)}


def test_every_module_has_a_layer():
    package = ROOT / "src" / "uppfoljning"
    modules = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    modules |= {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert modules == _layered_modules()


def test_the_readme_layout_names_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("\n## Layout", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([a-z_]+)/?`", layout))
    assert _layered_modules() - named == set()


def test_architecture_md_names_every_module_and_only_what_exists():
    """The recipes stay true: every module has an owner row, and every file, test and
    ``module.NAME`` the text points to exists."""
    import importlib

    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    owners = text.split("## Who owns what", 1)[1].split("\n## ", 1)[0]
    assert _layered_modules() - set(re.findall(r"`([a-z_]+)/?`", owners)) == set()
    for path in re.findall(r"`((?:src|tests|notebooks|book)/[^`\s:]+)", text):
        if "<" not in path:
            assert (ROOT / path).exists(), path
    for path, name in re.findall(r"`(tests/[a-z_/]+\.py)::([a-z_]+)`", text):
        assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), (path, name)
    modules = _layered_modules()
    for module, name in set(re.findall(r"`([a-z_]+)\.([A-Za-z_]+)", text)):
        if module in modules and name != "py":
            imported = importlib.import_module(f"uppfoljning.{module}")
            assert hasattr(imported, name), f"{module}.{name}"


def test_the_sphinx_extensions_are_named_and_layered_as_such():
    """A module Sphinx loads by name (``_config.yml``, or added by ``site``) is found by
    no grep for an import: it sits in the bottom layer and says what it is."""
    import importlib

    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    listed = [e for e in config["sphinx"]["config"]["extensions"] if e.startswith("uppfoljning.")]
    names = {e.removeprefix("uppfoljning.") for e in [*listed, "uppfoljning.page_marks"]}
    assert names == {"sphinx_outline", "swedish_theme", "page_marks"}
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    assert names <= {n.strip() for n in layers[-1].split("|")}
    for name in names:
        module = importlib.import_module(f"uppfoljning.{name}")
        assert callable(module.setup)
        assert module.__doc__.startswith("Sphinx extension:")


def test_imports_point_down_the_layers():
    """The import-linter contract in pyproject.toml (contract -> ... -> cli)."""
    linter = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


# ---------------------------------------------------------------------------
# The project folder (uppfoljning.project): found once, from where the CLI runs


def test_the_project_is_found_from_a_subfolder(tmp_path):
    from support.projects import copy_inputs
    from uppfoljning.project import Project

    project = copy_inputs(tmp_path / "project", ("_config.yml", "notebooks", "validation"))
    subfolder = project / "book" / "utgavor" / "2024"
    subfolder.mkdir(parents=True)
    found = Project.find(subfolder)
    root = project.resolve()
    assert found == Project.find(project) == Project.at(project)
    assert found.root == root
    assert found.config_file == root / "report.yml"
    assert (found.suites_dir, found.results_suites_dir) == (
        root / "validation",
        root / "validation" / "results",
    )
    assert (found.notebooks_dir, found.book_dir, found.book_config, found.toc) == (
        root / "notebooks",
        root / "book",
        root / "_config.yml",
        root / "_toc.yml",
    )
    assert (found.site_dir, found.cache_dir, found.work_dir) == (
        root / "_build" / "site",
        root / "_build" / "cache",
        root / "_build" / "work",
    )
    assert Project.find(subfolder, tmp_path / "other.yml").config_file == tmp_path / "other.yml"
    suites = found.load_suites()  # the reviewed JSON, as committed
    assert set(suites.inputs) == {p.stem for p in (ROOT / "validation").glob("*.json")}
    assert set(suites.results) == {p.stem for p in (ROOT / "validation" / "results").glob("*.json")}


def test_outside_a_project_the_cli_message_is_given(tmp_path):
    """No search beyond the working directory's ancestors, no fallback to the package's
    own checkout: the one-line message the CLI prints (exit 2)."""
    import pytest

    from uppfoljning.errors import UsageError
    from uppfoljning.project import Project

    (tmp_path / "notebooks").mkdir()  # half a project is no project
    with pytest.raises(UsageError) as raised:
        Project.find(tmp_path / "notebooks")
    assert str(raised.value) == (
        f"cannot find the project folder (with _config.yml and notebooks/) in "
        f"{(tmp_path / 'notebooks').resolve()} or above it; run uppfoljning from inside it"
    )
    assert raised.value.exit_code == 2
    with pytest.raises(UsageError):
        Project.at(tmp_path)


def test_a_suite_that_cannot_be_read_is_named(tmp_path):
    import pytest

    from support.projects import copy_inputs
    from uppfoljning.errors import UsageError
    from uppfoljning.project import Project

    project = Project.at(copy_inputs(tmp_path / "p", ("_config.yml", "notebooks", "validation")))
    (project.results_suites_dir / "sums.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(
        UsageError,
        match=r"validation/results/sums\.json: validation suite "
        r"is not valid JSON",
    ):
        project.load_suites()
