"""The researcher's chapters: per-edition sets over a default set, and glue references
checked against the executed notebooks with errors that name the chapter and the key."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from support.projects import copy_inputs
from uppfoljning import areas, context, site
from uppfoljning.project import Project

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ("sammanfattning", "inledning", "diskussion")


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _glued_notebook(path: Path, *keys: str, values: dict[str, str] | None = None) -> Path:
    """An executed notebook as myst_nb.glue leaves it (scrapbook output metadata)."""
    values = values or {}
    cell = nbformat.v4.new_code_cell("glue(...)")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"application/papermill.record/text/plain": repr(values.get(key, "x"))},
            metadata={"scrapbook": {"name": key, "mime_prefix": "application/papermill.record/"}},
        )
        for key in keys
    ]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def test_edition_chapters_replace_the_default_ones(tmp_path):
    source = tmp_path / "book"
    _write(source / "sammanfattning.md", "# Sammanfattning\n\ndefault")
    _write(source / "inledning.md", "# Inledning\n\ndefault")
    _write(source / "bilagor" / "metod.md", "# Metod")
    _write(source / "utgavor" / "2024" / "sammanfattning.md", "# Sammanfattning\n\n2024")
    _write(source / "utgavor" / "2023" / "inledning.md", "# Inledning\n\n2023")
    staged = tmp_path / "staged"
    origin = site.stage_chapters(source, staged, 2024)
    assert (staged / "sammanfattning.md").read_text(encoding="utf-8").endswith("2024")
    assert (staged / "inledning.md").read_text(encoding="utf-8").endswith("default")
    assert not (staged / "utgavor").exists()  # other editions' texts are not staged
    assert origin == {
        "sammanfattning.md": "book/utgavor/2024/sammanfattning.md",
        "inledning.md": "book/inledning.md",
        "bilagor/metod.md": "book/bilagor/metod.md",
    }
    other = site.stage_chapters(source, tmp_path / "staged-2022", 2022)  # no own set
    assert other["sammanfattning.md"] == "book/sammanfattning.md"


def test_every_edition_set_in_the_book_is_a_subset_of_the_default_chapters():
    for folder in (ROOT / "book" / site.EDITIONS_DIR).iterdir():
        assert re.fullmatch(r"\d{4}", folder.name), folder
        for chapter in folder.rglob("*.md"):
            relative = chapter.relative_to(folder)
            assert (ROOT / "book" / relative).is_file(), f"{chapter}: no default {relative}"
            first = chapter.read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith("# "), f"{chapter}: title is the first heading"
    for name in CHAPTERS:
        assert (ROOT / "book" / f"{name}.md").is_file()


def test_glue_references_are_parsed_with_lines():
    text = (
        "# T\n"
        "<!-- {glue:text}`stad/a.ipynb::in_comment:s` -->\n"
        "Värdet {glue:text}`stad/a.ipynb::one:s` och {glue}`two`.\n"
        "\n"
        "```{glue:figure} stad/b.ipynb::three\n"
        "```\n"
        "\n"
        "```{glue} four\n"
        ":name: x\n"
        ":doc: stad/c.ipynb\n"
        "```\n"
    )
    assert site.glue_references(text) == [
        (3, "stad/a.ipynb", "one"),
        (3, None, "two"),
        (5, "stad/b.ipynb", "three"),
        (8, "stad/c.ipynb", "four"),
    ]


def test_check_glue_references_names_chapter_and_key(tmp_path):
    book = tmp_path / "book"
    _glued_notebook(book / "stad" / "vantetider.ipynb", "wait_difference", "main_value")
    _write(book / "index.md", "# Start\n\n{glue:text}`stad/vantetider.ipynb::main_value:s`\n")
    _write(
        book / "sammanfattning.md",
        "# Sammanfattning\n\n"
        "Skillnaden var {glue:text}`stad/vantetider.ipynb::wait_diference:s`.\n"
        "Konsulter {glue:text}`stad/konsulter.ipynb::main_value:s`.\n"
        "Lokalt {glue:text}`main_value`.\n",
    )
    _write(book / "_generated" / "x.md", "{glue:text}`ignored`")
    with pytest.raises(site.GlueReferenceError) as caught:
        site.check_glue_references(
            book, {"sammanfattning.md": "book/utgavor/2024/sammanfattning.md"}
        )
    message = str(caught.value)
    assert message.startswith("3 missing glue reference(s) in the book's chapters: ")
    assert (
        "chapter book/utgavor/2024/sammanfattning.md, line 3: glue key "
        "'wait_diference' is not a result of stad/vantetider.ipynb; did you mean "
        "wait_difference?"
    ) in message
    assert (
        "line 4: glue key 'main_value' refers to stad/konsulter.ipynb, which is not a "
        "notebook of this edition"
    ) in message
    assert "line 5: glue key 'main_value' has no document" in message
    assert "index.md" not in message


def test_check_glue_references_passes_and_counts(tmp_path):
    book = tmp_path / "book"
    _glued_notebook(book / "stad" / "a.ipynb", "k")
    _write(book / "bilagor" / "x.md", "{glue:text}`../stad/a.ipynb::k:s`")  # relative path
    _write(book / "index.md", "{glue:text}`stad/a.ipynb::k:s` {glue:text}`stad/a.ipynb::k:s`")
    assert site.check_glue_references(book) == 3


def _named_glue(template: str) -> set[str]:
    """Keys a template glues with a literal name: ``glue("main_points", …)``."""
    notebook = nbformat.read(ROOT / "notebooks" / f"{template}.ipynb", as_version=4)
    return {
        node.args[0].value
        for cell in notebook.cells
        if cell.cell_type == "code"
        for node in ast.walk(ast.parse(cell.source))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "glue"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def _context_keys(doc: str, edition: int) -> set[str]:
    """The glue keys the notebook at ``doc`` writes (each template glues exactly its
    context's ``glue_values``)."""
    from uppfoljning.demo_results import results_folder

    name = doc.removeprefix("stad/").removesuffix(".ipynb")
    results = results_folder("", edition)
    if name == "personalrorlighet":
        # plus what the city template glues by name (Viktigaste resultat, a list)
        return set(context.for_city(edition, results).glue_values) | _named_glue("stockholm")
    if name == "fokusomraden":
        return set(context.for_focus_areas(edition, results).glue_values)
    return set(areas.for_area(name, edition, results).glue_values)


@pytest.mark.slow
def test_book_chapters_cite_only_results_the_notebooks_glue():
    """Every chapter of book/ (the default set, every edition's own set and the start
    page) against the contexts of the bundled demo data. The default set must also
    hold for any edition, so it may only cite keys every delivery glues."""
    pages = [p for p in (ROOT / "book").rglob("*.md") if "_generated" not in p.parts]
    keys: dict[str, set[str]] = {}
    problems = []
    for page in pages:
        for line, doc, key in site.glue_references(page.read_text(encoding="utf-8")):
            if doc is None:
                problems.append(f"{page.name}:{line}: {key} without a document")
                continue
            doc = doc.removeprefix("../")
            if doc not in keys:
                keys[doc] = _context_keys(doc, 2024)
            if key not in keys[doc]:
                problems.append(f"{page.relative_to(ROOT)}:{line}: {doc}::{key}")
    assert not problems


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_build_fails_on_a_missing_glue_key_naming_chapter_and_key(tmp_path):

    from support.deliveries import write_minimal_delivery
    from uppfoljning import build

    project = copy_inputs(tmp_path / "project")
    _write(
        project / "book" / "utgavor" / "2021" / "diskussion.md",
        "# Diskussion\n\nVärdet {glue:text}`stad/chefer.ipynb::no_such_key:s`.\n",
    )
    delivery = write_minimal_delivery(tmp_path / "delivery") or tmp_path / "delivery"
    out = tmp_path / "site"
    with pytest.raises(
        site.GlueReferenceError,
        match=re.escape(
            "chapter book/utgavor/2021/diskussion.md, line 3: glue key 'no_such_key' is "
            "not a result of stad/chefer.ipynb"
        ),
    ):
        build.build_edition(
            delivery, 2021, out_dir=out, jobs=2, project=Project.at(project), synthetic=True
        )
    assert not (out / "2021").exists()


def test_glue_index_lists_every_key_with_its_value_and_the_line_to_paste(tmp_path):
    book = tmp_path / "book"
    _glued_notebook(
        book / "stad" / "konsulter.ipynb",
        "main_value",
        "note",
        values={"main_value": "1 234", "note": "a | b"},
    )
    _glued_notebook(
        book / "stadsdelar" / "bromma.ipynb", "turnover_alla", values={"turnover_alla": "12,5 %"}
    )
    _glued_notebook(book / "stadsdelar" / "farsta.ipynb", "turnover_alla")
    index = site.glue_index(book, 2024)
    assert (
        "| `main_value` | 1 234 | ``{glue:text}`stad/konsulter.ipynb::main_value:s` `` |"
        in index.splitlines()
    )
    assert "| a \\| b |" in index  # a | in a value never breaks the table's columns
    assert "## stadsdelar/bromma.ipynb (samma nycklar" in index
    assert "farsta" not in index  # one unit page stands for all
    assert index.index("stad/konsulter") < index.index("stadsdelar/bromma")


def test_computed_figures_are_written_into_the_chapters_that_use_them(tmp_path):
    """``{{ dolda_sma }}`` and the like go into the staged chapters themselves (not into
    _config.yml), so a changed figure changes only those chapters; other substitutions
    are left to MyST."""
    (tmp_path / "bilagor").mkdir()
    metod = tmp_path / "bilagor" / "metod.md"
    metod.write_text(
        "Dolda: {{ dolda_sma }} och {{dolda_skydd}} år {{ utgava }}.\n", encoding="utf-8"
    )
    (tmp_path / "index.md").write_text("# Start {{ utgava }}\n", encoding="utf-8")
    changed = site.substitute_results(tmp_path, {"dolda_sma": "1 234", "dolda_skydd": "56"})
    assert changed == ["bilagor/metod.md"]
    assert metod.read_text(encoding="utf-8") == "Dolda: 1 234 och 56 år {{ utgava }}.\n"
    assert (tmp_path / "index.md").read_text(encoding="utf-8") == "# Start {{ utgava }}\n"
    assert site.substitute_results(tmp_path, {}) == []


def test_survey_scales_name_every_index_with_its_direction():
    from uppfoljning import areas

    assert areas.survey_scales_sentence(
        ["survey_ami", "survey_arbetsbelastning", "survey_trivsel"]
    ) == (
        "Medarbetarenkätens index går från 0 till 100. För Aktivt medskapandeindex (AMI) "
        "gäller att högre är bättre, för arbetsbelastning att högre betyder en rimligare "
        "arbetsbelastning (alltså bättre) och för trivsel att det inte är angivet om högre "
        "är bättre eller sämre."
    )
    assert areas.survey_scales_sentence([]) == ""


def test_exit_base_gives_the_interviews_and_their_coverage_and_names_no_cause():
    from uppfoljning import areas

    # 67 interviews of 237 leavers: 28,27 % shows as 28 %
    text = areas.exit_base_sentence({"2024": [67, 237], "2023": [60, 200]}, 2024)
    assert text.startswith(
        "Andelarna bygger på stadens 67 avslutningssamtal år 2024. Samma "
        "år slutade 237 tillsvidareanställda socialsekreterare och "
        "biståndshandläggare, så 28\u00a0% av dem hade ett "
        "avslutningssamtal."
    )
    assert "inte nödvändigtvis orsaken" in text
    assert areas.exit_base_sentence({"2024": [5, 0]}, 2024).startswith(
        "Andelarna bygger på stadens 5 avslutningssamtal år 2024. Den som slutar"
    )
    assert areas.exit_base_sentence({"2023": [60, 200]}, 2024) == ""


def test_city_exit_bases_come_from_the_unsuppressed_bases_at_city_level_only():
    from uppfoljning import prepare

    internal = pd.DataFrame(
        [
            # city: 40 interviews in 2024; turnover 12,5 % of a mean headcount of 160 = 20
            ("stockholm", "alla", "exit_reason_share_lon", 2024, 0.25, 40.0),
            ("stockholm", "alla", "exit_reason_share_ovrigt", 2024, 0.1, 40.0),
            ("stockholm", "alla", "turnover_rate", 2024, 0.125, 160.0),
            ("stockholm", "socialsekreterare", "exit_reason_share_lon", 2024, 0.3, 30.0),
            ("a", "alla", "exit_reason_share_lon", 2024, 0.5, 4.0),  # a unit: never
            ("stockholm", "alla", "exit_reason_share_lon", 2023, None, 0.0),  # none that year
        ],
        columns=["unit_id", "occupation", "indicator", "year", "value", "base"],
    )
    assert prepare.city_exit_bases(internal) == {"2024": [40, 20]}


def test_exit_base_short_for_the_start_page_card():
    assert areas.exit_base_short({"2024": [67, 237]}, 2024) == (
        "av stadens 67 avslutningssamtal, som 28\u00a0% av de 237 som slutade hade"
    )
    assert areas.exit_base_short({}, 2024) == "av avslutningssamtalen"
