"""The build: table of contents, configuration, publishing, notebook running, contexts,
and (slow) whole-site builds of a small delivery, including failed and interrupted
builds that must leave OUT exactly as it was."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from support.projects import copy_inputs
from uppfoljning import areas, build, context, execution, lifeline, site
from uppfoljning.errors import NotebookError, UsageError
from uppfoljning.project import Project

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------------------
# Table of contents and configuration


def _units(*rows: tuple[str, str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["unit_id", "name", "kind"])
    frame["page"] = [
        context.unit_page(u, k) for u, k in zip(frame["unit_id"], frame["kind"], strict=True)
    ]
    return frame


def test_expand_toc_matches_saved_copy():
    template = site.read_yaml(ROOT / "_toc.yml")
    units = _units(
        ("bromma", "Bromma", "stadsdelsforvaltning"),
        ("farsta", "Farsta", "stadsdelsforvaltning"),
        ("socialforvaltningen", "Socialförvaltningen", "fackforvaltning"),
    )
    toc, city = site.expand_toc(template, units)
    assert toc == {
        "format": "jb-book",
        "root": "index",
        "parts": [
            {
                "caption": "Rapporten",
                "chapters": [{"file": "sammanfattning"}, {"file": "inledning"}],
            },
            {
                "caption": "Hela staden",
                "chapters": [
                    {"file": "stad/personalrorlighet"},
                    *({"file": f"stad/{area}"} for area in areas.AREA_INDICATORS),
                    {"file": "stad/fokusomraden"},
                    {"file": "stad/overblick"},
                ],
            },
            {"caption": "Slutsatser", "chapters": [{"file": "diskussion"}]},
            {
                "caption": "Förvaltningarna",
                "chapters": [
                    {"file": "stadsdelar/bromma"},
                    {"file": "stadsdelar/farsta"},
                    {"file": "fackforvaltningar/socialforvaltningen"},
                ],
            },
            {
                "caption": "Bilagor",
                "chapters": [
                    {"file": "bilagor/om-statistiken"},
                    {"file": "bilagor/metod"},
                    {"file": "bilagor/ordlista"},
                    {"file": "bilagor/datakvalitet"},
                    {"file": "bilagor/underlag"},
                    {"file": "bilagor/revideringar"},
                    {"file": "bilagor/tidigare-utgavor"},
                ],
            },
        ],
    }
    assert city == [
        site.CityNotebook("stockholm", "stad/personalrorlighet"),
        *(site.CityNotebook("omrade", f"stad/{area}", area) for area in areas.AREA_INDICATORS),
        site.CityNotebook("fokusomraden", "stad/fokusomraden"),
        site.CityNotebook("overblick", "stad/overblick"),
    ]
    assert template == site.read_yaml(ROOT / "_toc.yml")  # input unchanged


def test_toc_files_exist():
    toc, city = site.expand_toc(site.read_yaml(ROOT / "_toc.yml"), _units())
    generated = {c.file for c in city}
    files = [toc["root"]] + [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    for file in files:
        if file not in generated:
            assert (ROOT / "book" / f"{file}.md").is_file(), file
    for notebook in city:
        assert (ROOT / "notebooks" / f"{notebook.name}.ipynb").is_file()


def test_expand_toc_drops_empty_parts():
    toc, _ = site.expand_toc(
        site.read_yaml(ROOT / "_toc.yml"), _units(("x", "X", "stadsdelsforvaltning"))
    )
    captions = [p["caption"] for p in toc["parts"]]
    assert "Förvaltningarna" in captions
    assert toc["parts"][captions.index("Förvaltningarna")]["chapters"] == [{"file": "stadsdelar/x"}]


def test_root_config_follows_the_stack_notes():
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert re.search(r'execute_notebooks:\s*"off"', text)
    config = yaml.safe_load(text)
    assert config["execute"]["execute_notebooks"] == "off"
    assert config["only_build_toc_files"] is True
    assert {".*", "**/.*", "_build"} <= set(config["exclude_patterns"])
    sphinx = config["sphinx"]["config"]
    assert "language" not in config and sphinx["language"] == "sv"
    assert sphinx["html_copy_source"] is False
    assert sphinx["html_theme_options"]["use_download_button"] is False
    assert sphinx["html_theme_options"]["search_bar_text"].startswith("Sök")
    assert sphinx["numfig_format"]["figure"] == "Figur %s"
    assert "sphinx_thebe" not in sphinx["extensions"]  # it writes a CDN URL into pages
    assert config["sphinx"]["recursive_update"] is True


def test_stage_config_sets_title_footer_and_substitutions():
    root = site.read_yaml(ROOT / "_config.yml")
    staged = site.stage_config(
        root, edition=2024, title="Uppföljning", synthetic=True, substitutions={"utgava": "2024"}
    )
    assert staged["title"] == "Uppföljning 2024"
    assert "syntetiska data" in staged["html"]["extra_footer"]
    assert staged["parse"]["myst_substitutions"] == {"utgava": "2024"}
    assert staged["copyright"] == ""  # the theme would write "© Copyright 2024." in English
    real = site.stage_config(root, edition=2024, title="U", synthetic=False, substitutions={})
    assert "syntetiska" not in real["html"]["extra_footer"]
    assert root == site.read_yaml(ROOT / "_config.yml")


# ---------------------------------------------------------------------------
# Site index and publishing


def _edition(out: Path, year: str, text: str = "x") -> Path:
    folder = out / year
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    return folder


def test_site_index_lists_editions_newest_first(tmp_path):
    for year in ("2019", "2024", "2021"):
        _edition(tmp_path, year)
    (tmp_path / "2020").mkdir()  # no index.html: not an edition
    _edition(tmp_path, ".2023.new-1")  # a hidden temporary folder
    index = site.write_site_index(tmp_path, "Uppföljning").read_text(encoding="utf-8")
    assert '<html lang="sv">' in index
    links = re.findall(r'href="(\d{4})/index.html"', index)
    assert links == ["2024", "2021", "2019"]
    assert not list(tmp_path.glob(".index-*"))


def _published_edition(out: Path, year: str, files: dict[str, str]) -> Path:
    """An edition the tool published into ``out``, holding ``files``."""
    staging = out / f".{year}.new-1"
    for name, text in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_text(text, encoding="utf-8")
    site.publish(staging, out / year)
    return out / year


def test_publish_replaces_an_edition_it_published(tmp_path):
    target = _published_edition(tmp_path, "2024", {"index.html": "old", "stale.html": "stale"})
    new = _edition(tmp_path, ".2024.new", "new")
    site.publish(new, target)
    assert (target / "index.html").read_text() == "new"
    assert not (target / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024"]


def test_publish_into_empty_out_marks_the_folder(tmp_path):
    new = _edition(tmp_path, ".2024.new", "new")
    (new / "data").mkdir()
    (new / "data" / "indikatorer.csv").write_text("edition\n")
    site.publish(new, tmp_path / "2024")
    assert (tmp_path / "2024" / "index.html").read_text() == "new"
    manifest = json.loads((tmp_path / "2024" / site.EDITION_MANIFEST).read_text())
    assert manifest["paths"] == ["data/", "data/indikatorer.csv", "index.html"]
    assert site.foreign_edition(tmp_path / "2024") is None


def _bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(
    "layout",
    [
        {"anteckningar.txt": "mina anteckningar"},  # a folder the user made
        {"index.html": "<p>min egen sida</p>", "data/indikatorer.csv": "egen"},  # looks alike
    ],
)
def test_an_edition_folder_the_tool_did_not_make_is_refused_and_kept(tmp_path, layout):
    out = tmp_path / "site"
    for name, text in layout.items():
        (out / "2024" / name).parent.mkdir(parents=True, exist_ok=True)
        (out / "2024" / name).write_text(text, encoding="utf-8")
    before = _bytes(out)
    with pytest.raises(site.ForeignOutputError) as refused:
        site.check_out_dir(out, [2024])
    message = str(refused.value)
    assert message.startswith(f"{out / '2024'} was not made by uppfoljning")
    assert "--out" in message and "\n" not in message
    assert refused.value.exit_code == 2
    new = _edition(out, ".2024.new-1", "new")
    with pytest.raises(site.ForeignOutputError):
        site.publish(new, out / "2024")
    shutil.rmtree(new)
    assert _bytes(out) == before
    site.check_out_dir(out, [2023])  # another edition's folder is no concern of 2024's


def test_a_file_added_to_a_published_edition_is_refused_and_kept(tmp_path):
    target = _published_edition(
        tmp_path, "2024", {"index.html": "old", "data/indikatorer.csv": "x"}
    )
    (target / "data" / "mina").mkdir()
    (target / "data" / "mina" / "anteckningar.txt").write_text("mina")
    before = _bytes(tmp_path)
    with pytest.raises(
        site.ForeignOutputError,
        match=r"/2024/data/mina was not made by uppfoljning, and a build "
        r"replaces .*/2024 whole",
    ):
        site.publish(_edition(tmp_path, ".2024.new-2", "new"), target)
    shutil.rmtree(tmp_path / ".2024.new-2")
    assert _bytes(tmp_path) == before


@pytest.mark.parametrize("kind", ["file", "symlink"])
def test_an_edition_path_that_is_no_folder_is_refused(tmp_path, kind):
    elsewhere = _edition(tmp_path, "elsewhere", "someone else's")
    if kind == "file":
        (tmp_path / "2024").write_text("a file")
    else:
        (tmp_path / "2024").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(site.ForeignOutputError, match="/2024 is (not a folder|a symbolic)"):
        site.check_ours(tmp_path, [2024])
    assert (elsewhere / "index.html").read_text() == "someone else's"


def test_an_edition_of_an_earlier_version_of_the_tool_is_adopted(tmp_path):
    """Editions published before the manifest hold these files (and an empty folder
    holds nothing to lose)."""
    old = _edition(tmp_path, "2023", "2023")
    (old / "data").mkdir()
    (old / "data" / "indikatorer.csv").write_text("edition\n")
    (old / "_static").mkdir()
    (old / "_static" / site.VEGA_BUNDLE).write_text("/* vega */")
    (tmp_path / "2024").mkdir()
    site.check_ours(tmp_path, [2023, 2024])
    site.publish(_edition(tmp_path, ".2023.new-1", "new"), old)
    assert (old / "index.html").read_text() == "new"
    assert site.foreign_edition(old) is None


def test_an_index_the_tool_did_not_make_is_refused_and_kept(tmp_path):
    index = tmp_path / "index.html"
    index.write_bytes(b"<html><body>Min startsida</body></html>\n")
    _edition(tmp_path, "2024")
    with pytest.raises(site.ForeignOutputError) as refused:
        site.write_site_index(tmp_path, "Uppföljning")
    assert str(refused.value).startswith(f"{index} was not made by uppfoljning")
    with pytest.raises(site.ForeignOutputError):
        site.check_out_dir(tmp_path)
    assert index.read_bytes() == b"<html><body>Min startsida</body></html>\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024", "index.html"]


def test_an_index_the_tool_wrote_is_rewritten_and_so_is_an_earlier_versions(tmp_path):
    _edition(tmp_path, "2024")
    index = site.write_site_index(tmp_path, "Uppföljning")
    assert '<meta name="generator" content="uppfoljning">' in index.read_text()
    site.write_site_index(tmp_path, "Uppföljning")
    # what the tool wrote before the generator mark (commit b850562 on): its title
    index.write_text(
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n  <title>Uppföljning av '
        "handlingsplanen – alla utgåvor</title>\n</head>\n</html>\n"
    )
    site.check_out_dir(tmp_path)
    assert 'href="2024/index.html"' in site.write_site_index(tmp_path, "U").read_text()


def test_out_must_be_a_folder_this_run_can_write_in(tmp_path):
    afile = tmp_path / "site.txt"
    afile.write_text("not a folder")
    with pytest.raises(site.ForeignOutputError, match=r"^--out .*site.txt is not a folder"):
        site.check_out_dir(afile)
    with pytest.raises(
        site.ForeignOutputError,
        match=r"^--out .*site.txt/site cannot be created: .*site.txt is not",
    ):
        site.check_out_dir(afile / "site")
    site.check_out_dir(tmp_path / "new" / "site")  # a folder that can be made: fine ...
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site.txt"]  # ... and not made


def test_editions_fragment_links_relative_to_appendix_page():
    text = site.editions_fragment([2023, 2021], current=2024)
    assert text.index("2024") < text.index("2023") < text.index("2021")
    assert 'href="../../2023/index.html"' in text
    assert 'href="../../index.html"' in text


def test_html_table_escapes_cells():
    text = site.html_table(pd.DataFrame({"a": ["<b>&"], "b": [None]}))
    assert "&lt;b&gt;&amp;" in text and "<td></td>" in text


def test_results_warnings_table_never_breaks_a_word():
    from uppfoljning.results_check import ResultsProblem

    checks = pd.DataFrame(
        {
            "Kontroll": ["Antal"],
            "Rader kontrollerade": [9],
            "Avvikande rader": [1],
            "Resultat": ["varning"],
        }
    )
    warning = ResultsProblem(
        "count_change", "warning", "a", "incidents", 2024, "socialsekreterare", "x", 2023
    )
    units = pd.DataFrame({"unit_id": ["a"], "name": ["Farsta"]})
    text = site.results_checks_fragment(checks, (warning,), units)
    # the warnings table holds words only: the class that keeps words whole
    warnings_table = text[: text.index("</table>")]
    assert 'class="table uppf-table uppf-words"' in warnings_table
    assert "Farsta" in warnings_table and "2023–2024" in warnings_table
    assert "uppf-words" not in site.html_table(pd.DataFrame({"SHA-256": ["ab" * 32]}))


# ---------------------------------------------------------------------------
# Running notebooks


def _template(tmp_path: Path, source: str = 'unit_id: str = "x"\nedition: int = 2024') -> Path:
    notebook = nbformat.v4.new_notebook()
    title = nbformat.v4.new_markdown_cell("# {glue:text}`unit_name`")
    title["id"] = "title"
    params = nbformat.v4.new_code_cell(source)
    params.metadata["tags"] = ["parameters", "remove-cell"]
    params["id"] = "parameters"
    link = nbformat.v4.new_code_cell("# the build writes this cell's output")
    link["id"] = "pdf-link"
    notebook.cells = [title, params, link]
    path = tmp_path / "unit.ipynb"
    nbformat.write(notebook, path)
    return path


def test_check_parameters(tmp_path):
    template = _template(tmp_path)
    assert execution.template_parameters(template) == {"unit_id": "'x'", "edition": "2024"}
    execution.check_parameters(template, {"unit_id": "a", "edition": 2024})
    with pytest.raises(ValueError, match="unknown parameters colour"):
        execution.check_parameters(template, {"unit_id": "a", "edition": 1, "colour": 1})
    with pytest.raises(ValueError, match="missing parameters edition"):
        execution.check_parameters(template, {"unit_id": "a"})


def test_finish_notebook_tags_injected_cell_and_writes_outputs_never_source(tmp_path):
    path = _template(tmp_path)
    notebook = nbformat.read(path, as_version=4)
    injected = nbformat.v4.new_code_cell('unit_id = "Sk\\xe4rholmen"')
    injected.metadata["tags"] = ["injected-parameters"]
    notebook.cells.insert(2, injected)
    nbformat.write(notebook, path)
    before = [cell.source for cell in notebook.cells]
    execution.finish_notebook(path, {"pdf-link": '<p class="x">PDF</p>'})
    cells = nbformat.read(path, as_version=4).cells
    assert [cell.source for cell in cells] == before  # no source is ever rewritten
    assert "remove-cell" in cells[2].metadata["tags"]
    assert cells[3].outputs[0]["data"] == {"text/html": '<p class="x">PDF</p>'}
    # without a PDF the cell shows nothing
    execution.finish_notebook(path, {"pdf-link": ""})
    assert nbformat.read(path, as_version=4).cells[3].outputs == []


def test_finish_notebook_rejects_an_unknown_cell(tmp_path):
    path = _template(tmp_path)
    with pytest.raises(ValueError, match="no cell with id summary"):
        execution.finish_notebook(path, {"summary": "<p>x</p>"})


def test_unit_pdf_link_is_an_output_of_the_unit_notebook_only():
    unit = execution.NotebookJob(
        unit="farsta",
        template=Path("unit.ipynb"),
        output=Path("/tmp/farsta.ipynb"),
        parameters={"unit_id": "farsta", "edition": 2024},
        cwd=Path("/tmp"),
    )
    city = execution.NotebookJob(
        unit="stockholm",
        template=Path("stockholm.ipynb"),
        output=Path("/tmp/stockholm.ipynb"),
        parameters={"edition": 2024},
        cwd=Path("/tmp"),
    )
    assert build.notebook_outputs(unit, pdf=False) == {build.UNIT_PDF_CELL: ""}
    assert 'href="../pdf/farsta.pdf"' in build.notebook_outputs(unit, pdf=True)[build.UNIT_PDF_CELL]
    assert build.notebook_outputs(city, pdf=True) == {}


def test_failed_job_names_unit_notebook_and_cell(tmp_path):
    template = _template(tmp_path)
    jobs = [
        execution.NotebookJob(
            u, template, tmp_path / "out" / f"{u}.ipynb", {"unit_id": u, "edition": 2024}, tmp_path
        )
        for u in ("bromma", "farsta")
    ]

    def runner(job):
        job.output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(job.template, job.output)
        if job.unit == "farsta":
            return execution.JobResult(job, False, "5 (id turnover-chart)", "KeyError: 'x'")
        return execution.JobResult(job, True)

    with ThreadPoolExecutor(max_workers=1) as executor, pytest.raises(NotebookError) as raised:
        execution.run_jobs(jobs, 1, keep_dir=tmp_path / "failed", runner=runner, executor=executor)
    error = raised.value
    assert (error.unit, error.notebook, error.cell) == (
        "farsta",
        "unit.ipynb",
        "5 (id turnover-chart)",
    )
    assert "farsta" in str(error) and "KeyError" in str(error)
    assert Path(error.kept_at).is_file() and Path(error.kept_at).parent == tmp_path / "failed"


def test_jobs_need_absolute_cwd_and_unique_outputs(tmp_path):
    template = _template(tmp_path)
    params = {"unit_id": "a", "edition": 2024}
    relative = execution.NotebookJob("a", template, tmp_path / "a.ipynb", params, Path("x"))
    with pytest.raises(ValueError, match="absolute"):
        execution.run_jobs([relative], 1, tmp_path)
    same = execution.NotebookJob("a", template, tmp_path / "a.ipynb", params, tmp_path)
    with pytest.raises(ValueError, match="output path"):
        execution.run_jobs([same, same], 1, tmp_path)


def test_select_units():
    units = _units(("a", "A", "stadsdelsforvaltning"), ("b", "B", "fackforvaltning"))
    assert build.select_units(units, None, 2024) is units
    assert build.select_units(units, ["b"], 2024)["unit_id"].tolist() == ["b"]
    with pytest.raises(UsageError, match="nowhere"):
        build.select_units(units, ["nowhere"], 2024)


# ---------------------------------------------------------------------------
# Contexts on a hand-made published table


def _published() -> pd.DataFrame:
    rows = []
    for unit in ("bromma", "stockholm"):
        for year, value, suppressed in ((2023, 0.206, False), (2024, 0.2093, False)):
            for occupation in ("socialsekreterare", "bistandshandlaggare", "alla"):
                hidden = unit == "bromma" and occupation == "bistandshandlaggare" and year == 2023
                rows.append(
                    {
                        "edition": 2024,
                        "year": year,
                        "unit_id": unit,
                        "unit_name": unit,
                        "occupation": occupation,
                        "indicator": "turnover_rate",
                        "value": None if hidden else value,
                        "suppressed": hidden or suppressed,
                    }
                )
        rows.append(
            {
                "edition": 2024,
                "year": 2024,
                "unit_id": unit,
                "unit_name": unit,
                "occupation": "alla",
                "indicator": "headcount",
                "value": 1529.25,
                "suppressed": False,
            }
        )
    return pd.DataFrame(rows)


def test_turnover_glue_formats_and_suppresses():
    published = _published()
    before = published.copy()
    values = context.turnover_glue(published, "bromma", 2024)
    assert values["turnover_alla"] == "20,9\u00a0%"
    assert values["turnover_alla_prev"] == "20,6\u00a0%"
    assert values["turnover_alla_change"] == "+0,3 procentenheter"
    assert values["turnover_bistandshandlaggare_prev"] == ".."
    assert values["turnover_bistandshandlaggare_change"] == ".."
    pd.testing.assert_frame_equal(published, before)


def test_key_figures_table():
    table = context.key_figures_table(_published(), "bromma", 2024)
    # the newest year and the city first: what a phone shows before the table scrolls
    assert table.columns.tolist() == ["2024", "Hela staden 2024", "Förändring sedan 2023"]
    assert table.columns.name == "Mått"
    row = table.loc["Antal tillsvidareanställda"]
    assert row.tolist() == ["1\u00a0529", "1\u00a0529", "uppgift saknas"]
    assert "Socionomkonsulter" not in " ".join(table.index)  # absent indicator: no row


# ---------------------------------------------------------------------------
# Whole builds (slow)


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def small_delivery(tmp_path_factory) -> Path:
    from support.deliveries import write_minimal_delivery

    folder = tmp_path_factory.mktemp("delivery")
    write_minimal_delivery(folder)
    return folder


SMALL_EDITION = 2021
SMALL_UNITS = {"hagersten-alvsjo": "stadsdelar", "socialforvaltningen": "fackforvaltningar"}


@pytest.fixture(scope="module")
def built(tmp_path_factory, small_delivery):
    """One small edition built into an OUT that already holds an older edition."""
    base = tmp_path_factory.mktemp("build")
    project = copy_inputs(base / "project")
    out = base / "site"
    _edition(out, "2019", "<html lang='sv'>older edition</html>")
    build.build_edition(
        small_delivery,
        SMALL_EDITION,
        out_dir=out,
        jobs=2,
        project=Project.at(project),
        synthetic=True,
    )
    return project, out


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_site_has_swedish_pages_for_every_unit(built):
    project, out = built
    edition = out / str(SMALL_EDITION)
    start = (edition / "index.html").read_text(encoding="utf-8")
    assert '<html lang="sv"' in start
    assert "syntetiska data" in start  # start page and footer
    assert f"{SMALL_EDITION}</title>" in start
    for unit_id, folder in SMALL_UNITS.items():
        page = (edition / folder / f"{unit_id}.html").read_text(encoding="utf-8")
        assert '<html lang="sv"' in page
    title = re.search(
        r"<title>([^<]*)", (edition / "stadsdelar" / "hagersten-alvsjo.html").read_text()
    ).group(1)
    assert title.startswith("Hägersten-Älvsjö")
    unit_pages = sorted(p.stem for p in edition.glob("*forvaltningar/*.html")) + sorted(
        p.stem for p in edition.glob("stadsdelar/*.html")
    )
    assert sorted(unit_pages) == sorted(SMALL_UNITS)
    assert (edition / "stad" / "personalrorlighet.html").is_file()
    for page in edition.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "@@" not in text, page
        assert "Traceback" not in text, page
    assert not list(edition.rglob("*.ipynb"))  # no copied notebooks


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_published_table_equals_compute_indicators(built, small_delivery):
    from uppfoljning.config import ReportConfig
    from uppfoljning.indicators import compute_indicators, to_csv_text

    project, out = built
    from uppfoljning.loading import load_delivery

    delivery = load_delivery(small_delivery)
    expected = compute_indicators(
        delivery, SMALL_EDITION, ReportConfig.load(project / "report.yml")
    )
    text = (out / str(SMALL_EDITION) / "data" / "indikatorer.csv").read_text(encoding="utf-8")
    assert text == to_csv_text(expected)
    published = pd.read_csv(
        out / str(SMALL_EDITION) / "data" / "indikatorer.csv", keep_default_na=False, dtype=str
    )
    assert published.columns.tolist() == [
        "edition",
        "year",
        "unit_id",
        "unit_name",
        "occupation",
        "indicator",
        "value",
        "suppressed",
    ]
    assert set(published["suppressed"]) <= {"true", "false"}
    assert (published.loc[published["suppressed"] == "true", "value"] == "").all()
    assert set(published["unit_id"]) == set(SMALL_UNITS) | {"stockholm"}


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_site_is_offline(built):
    _, out = built
    edition = out / str(SMALL_EDITION)
    bundles = list(edition.rglob("*vega*.js"))
    assert [b.name for b in bundles] == [site.VEGA_BUNDLE]
    assert "window.vegaEmbed" in bundles[0].read_text(encoding="utf-8")
    for path in edition.rglob("*"):
        if path.suffix not in {".html", ".js", ".css"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "cdn.jsdelivr" not in text and "unpkg.com" not in text, path
        if path.suffix == ".html":
            assert not re.search(r"<script[^>]+src=[\"'](https?:)?//", text), path
            assert not re.search(r"<link[^>]+href=[\"'](https?:)?//[^\"']+\.css", text), path
    # the small delivery's turnover is all suppressed (an empty chart says "uppgift
    # saknas"); its job ads are published, so the recruitment chapter draws charts
    # built without --pdf: no link to a PDF that does not exist
    assert "uppf-pdf-link" not in (edition / "index.html").read_text(encoding="utf-8")
    chapter = (edition / "stad" / "rekrytering.html").read_text(encoding="utf-8")
    assert "window.vegaEmbed(el, spec" in chapter and "Ladda ner data (CSV)" in chapter


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_site_index_and_work_folders(built):
    project, out = built
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in index
    assert re.findall(r'href="(\d{4})/index.html"', index) == [str(SMALL_EDITION), "2019"]
    assert sorted(p.name for p in out.iterdir()) == ["2019", str(SMALL_EDITION), "index.html"]
    assert list((project / "_build" / "work").iterdir()) == []


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_person_ids_never_published(built, small_delivery):
    """(The data-quality appendix names the column person_id; no value may appear.)"""
    _, out = built
    ids = set(pd.read_csv(small_delivery / "employments.csv", dtype=str)["person_id"])
    for path in (out / str(SMALL_EDITION)).rglob("*"):
        if (
            path.is_file()
            and path.suffix in {".html", ".csv", ".js"}
            and path.name != site.VEGA_BUNDLE
        ):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not any(re.search(rf"\b{re.escape(i)}\b", text) for i in ids), path


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_failing_notebook_leaves_out_unchanged(built, small_delivery, tmp_path):
    _, out = built
    project = copy_inputs(tmp_path / "broken")
    template = project / "notebooks" / "unit.ipynb"
    notebook = nbformat.read(template, as_version=4)
    boom = nbformat.v4.new_code_cell('assert unit_id != "socialforvaltningen", "boom"')
    boom.metadata["tags"] = ["remove-cell"]
    boom["id"] = "boom"
    notebook.cells.insert(3, boom)
    nbformat.write(notebook, template)
    before = _snapshot(out)
    with pytest.raises(NotebookError) as raised:
        build.build_edition(
            small_delivery,
            SMALL_EDITION,
            out_dir=out,
            jobs=2,
            project=Project.at(project),
            synthetic=True,
        )
    error = raised.value
    assert error.unit == "socialforvaltningen" and error.notebook == "unit.ipynb"
    assert "boom" in str(error.cell) and "AssertionError: boom" in str(error)
    kept = Path(error.kept_at)
    assert kept.is_file() and out not in kept.parents
    assert _snapshot(out) == before
    # the failed build's work folder stays for inspection (issue 18) ...
    (work,) = (project / "_build" / "work").iterdir()
    assert (work / lifeline.FAILED_FILE).is_file() and (work / "book").is_dir()
    # ... until a later build finds a newer failed one
    with pytest.raises(NotebookError):
        build.build_edition(
            small_delivery,
            SMALL_EDITION,
            out_dir=out,
            jobs=2,
            project=Project.at(project),
            synthetic=True,
        )
    (newer,) = (project / "_build" / "work").iterdir()
    assert newer != work


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_interrupted_publish_leaves_out_unchanged(built, small_delivery, tmp_path, monkeypatch):
    _, out = built
    project = copy_inputs(tmp_path / "project")
    before = _snapshot(out)

    def interrupt(new_dir, target):
        assert new_dir.parent == out and new_dir.name.startswith(".")
        raise KeyboardInterrupt

    monkeypatch.setattr(site, "publish", interrupt)
    with pytest.raises(KeyboardInterrupt):
        build.build_edition(
            small_delivery,
            SMALL_EDITION,
            out_dir=out,
            jobs=2,
            project=Project.at(project),
            synthetic=True,
            only=["hagersten-alvsjo"],
        )
    assert _snapshot(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert list((project / "_build" / "work").iterdir()) == []


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_invalid_data_builds_nothing(tmp_path, small_delivery):
    from uppfoljning.errors import DeliveryError

    broken = tmp_path / "delivery"
    shutil.copytree(small_delivery, broken)
    (broken / "units.csv").unlink()
    out = tmp_path / "site"
    with pytest.raises(DeliveryError):
        build.build_edition(
            broken,
            SMALL_EDITION,
            out_dir=out,
            jobs=1,
            project=Project.at(copy_inputs(tmp_path / "project")),
        )
    assert not out.exists()


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_run_unit_executes_one_notebook(small_delivery, tmp_path):
    project = copy_inputs(tmp_path / "project")
    path = build.run_unit(
        "hagersten-alvsjo", small_delivery, SMALL_EDITION, project=Project.at(project)
    )
    assert path == project / "_build" / "run" / str(SMALL_EDITION) / "hagersten-alvsjo.ipynb"
    notebook = nbformat.read(path, as_version=4)
    # the title is glued (delivered text is data), so the name is an output, not source
    assert notebook.cells[0].source == "# {glue:text}`unit_name`"
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert any(
        o.get("metadata", {}).get("scrapbook", {}).get("name") == "unit_name"
        and "Hägersten-Älvsjö" in str(o.get("data"))
        for o in outputs
    )
    assert outputs and not [o for o in outputs if o.get("output_type") == "error"]
    with pytest.raises(UsageError):
        build.run_unit("alvsjo", small_delivery, SMALL_EDITION, project=Project.at(project))


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_jupyter_book_warnings_fail_the_build(tmp_path):
    """A glue reference to a missing result (or any other warning) is an error."""
    book = tmp_path / "book"
    book.mkdir()
    site.write_yaml(book / "_config.yml", site.read_yaml(ROOT / "_config.yml"))
    site.write_yaml(book / "_toc.yml", {"format": "jb-book", "root": "index"})
    (book / "index.md").write_text(
        "# Start\n\n{glue:text}`stad/x.ipynb::nothing:s`\n", encoding="utf-8"
    )
    with pytest.raises(site.BookBuildError, match="index.md.*glue"):
        site.run_jupyter_book(book, tmp_path / "jb", tmp_path / "jb.log")
    # the same from the Jupyter Book process the build starts before its book is staged
    process = site.BookProcess(tmp_path / "warm.log")
    with pytest.raises(site.BookBuildError, match="index.md.*glue"):
        process.build(book, tmp_path / "warm", fresh=True)
    (book / "index.md").write_text("# Start\n\nInget att klistra in.\n", encoding="utf-8")
    html = site.BookProcess(tmp_path / "warm.log").build(book, tmp_path / "warm", fresh=False)
    assert "Inget att klistra in." in (html / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_one_book_process_builds_books_in_turn(tmp_path):
    """A run of several editions hands all its books to one Jupyter Book process: each
    book's output goes to its own log, a failed book fails alone, and a book is built
    the same as the first one (the themes' additions to Sphinx's settings do not pile
    up from one book to the next)."""
    book = tmp_path / "book"
    book.mkdir()
    site.write_yaml(book / "_config.yml", site.read_yaml(ROOT / "_config.yml"))
    site.write_yaml(book / "_toc.yml", {"format": "jb-book", "root": "index"})
    index = book / "index.md"
    process = site.BookProcess(tmp_path / "start.log", books=None)
    try:
        index.write_text("# Start\n\nFörsta boken.\n", encoding="utf-8")
        first = process.build(book, tmp_path / "a", fresh=True, log_path=tmp_path / "a.log")
        index.write_text("# Start\n\n{glue:text}`stad/x.ipynb::nothing:s`\n", encoding="utf-8")
        with pytest.raises(site.BookBuildError, match="index.md.*glue"):
            process.build(book, tmp_path / "b", fresh=True, log_path=tmp_path / "b.log")
        assert "glue" in (tmp_path / "b.log").read_text(encoding="utf-8")
        assert "glue" not in (tmp_path / "a.log").read_text(encoding="utf-8")
        index.write_text("# Start\n\nFörsta boken.\n", encoding="utf-8")
        again = process.build(book, tmp_path / "c", fresh=True, log_path=tmp_path / "c.log")
        assert process.process.poll() is None  # still there for a next book
    finally:
        process.close()
    assert process.process.returncode == 0
    assert "Första boken." in (again / "index.html").read_text(encoding="utf-8")
    # Sphinx's digest of its settings: a setting that grew would change it
    assert (again / ".buildinfo").read_text() == (first / ".buildinfo").read_text()


def test_a_book_process_never_given_its_book_ends_cleanly(tmp_path):
    """A build that fails after its notebooks ends the Jupyter Book process it started
    early: it exits on its own, having built nothing."""
    process = site.BookProcess(tmp_path / "logs" / "jb.log")
    process.close()
    assert process.process.returncode == 0
    assert list(tmp_path.iterdir()) == [tmp_path / "logs"]


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_cache_reruns_only_what_changed(tmp_path, small_delivery, capfd):
    """No change: nothing runs and OUT is kept. Prose edit: no notebook runs, the page
    changes. Changed delivery: the pages whose results changed run again."""
    project = copy_inputs(tmp_path / "project")
    delivery = tmp_path / "delivery"
    shutil.copytree(small_delivery, delivery)
    out = tmp_path / "site"

    def run() -> str:
        build.build_edition(
            delivery,
            SMALL_EDITION,
            out_dir=out,
            jobs=2,
            project=Project.at(project),
            synthetic=True,
        )
        return capfd.readouterr().err

    first = run()
    assert "0 of 14 unchanged (from the cache), 14 to run" in first
    before = _snapshot(out / str(SMALL_EDITION))
    assert "is up to date" in run()
    assert _snapshot(out / str(SMALL_EDITION)) == before

    chapter = project / "book" / "inledning.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\nEn ny mening qzxprosa.\n", encoding="utf-8"
    )
    (out / "anteckningar.txt").write_text("mina")  # a user's file next to the editions
    prose = run()
    assert "14 of 14 unchanged (from the cache), 0 to run" in prose
    page = (out / str(SMALL_EDITION) / "inledning.html").read_text(encoding="utf-8")
    assert "qzxprosa" in page
    # the edition the tool published was replaced, marked as the tool's again
    manifest = json.loads((out / str(SMALL_EDITION) / site.EDITION_MANIFEST).read_text())
    assert "inledning.html" in manifest["paths"] and "data/indikatorer.csv" in manifest["paths"]
    assert site.foreign_edition(out / str(SMALL_EDITION)) is None
    assert (out / "anteckningar.txt").read_text() == "mina"

    with (delivery / "job_ads.csv").open("a", encoding="utf-8") as handle:
        handle.write("2021-12,hagersten-alvsjo,socialsekreterare,3\n")
    changed = run()
    # A notebook's key covers only the results its page reads: job ads of one unit
    # re-run the pages that show job ads (the city page's key figures do), not the
    # threats-and-violence or focus-area chapters.
    assert "ran stockholm/rekrytering (omrade): its indicator rows changed" in changed
    assert "ran stockholm/hot-och-vald (omrade)" not in changed
    assert "ran stockholm (fokusomraden)" not in changed
    assert "0 of 14 unchanged" not in changed


def test_vega_bundle_is_made_once_per_environment(tmp_path, monkeypatch):
    """make install bundles vega into the environment; builds copy that file."""
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "env"))
    assert not site.installed_vega_bundle().exists()
    installed = site.install_vega_bundle()
    text = installed.read_text(encoding="utf-8")
    assert installed.parent == tmp_path / "env" / "share" / "uppfoljning"
    assert text.startswith("/* vega") and "vegaEmbed" in text
    copied = site.write_vega_bundle(tmp_path / "static", cache_dir=tmp_path / "cache")
    assert copied.read_text(encoding="utf-8") == text
    assert not (tmp_path / "cache").exists()  # nothing bundled again, nothing cached
    installed.write_text("/* the environment's copy */", encoding="utf-8")
    site.write_vega_bundle(tmp_path / "static")
    assert copied.read_text(encoding="utf-8") == "/* the environment's copy */"


def test_print_shows_only_the_rules_that_did_not_pass():
    report = pd.DataFrame(
        {
            "Tabell": ["units", "units", "visits"],
            "Regel": ["a", "b", "c"],
            "Resultat": ["godkänd", "underkänd", "varning"],
        }
    )
    fragment = site.validation_fragment(report)
    rows = re.findall(r"<tr( class=\"uppf-passed\")?><td>(\w+)</td><td>(\w)</td>", fragment)
    # the rules that did not pass lead; every rule follows in a collapsed list
    assert [(bool(passed), rule) for passed, _, rule in rows] == [
        (False, "b"),
        (False, "c"),
        (True, "a"),
        (False, "b"),
        (False, "c"),
    ]
    assert fragment.index("<details") > fragment.index(">b<")
    assert "<summary>Alla regler (1 av 3 godkända)</summary>" in fragment
    note = re.search(r'<p class="uppf-print-only">([^<]+)</p>', fragment).group(1)
    assert "1 av 3 regler var godkända" in note


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_two_editions_in_one_run_share_the_gate_and_the_kernels(
    tmp_path, small_delivery, monkeypatch
):
    """``build --year 2020-2021``: one gate, one pool of kernels, one Jupyter Book
    process, each edition published whole, the earlier first, so the later one is
    computed against it (disclosure control, revisions) as if built after it."""
    from uppfoljning import disclosure, validation
    from uppfoljning.config import ReportConfig
    from uppfoljning.formatting import spreadsheet_safe_frame
    from uppfoljning.indicators import PUBLISHED_COLUMNS, compute_results, to_csv_text

    calls = {"gate": 0, "pool": 0, "book": 0}
    real_gate, real_pool, real_book = validation.gate, execution.start_pool, site.BookProcess

    def counted_gate(*args, **kwargs):
        calls["gate"] += 1
        return real_gate(*args, **kwargs)

    def counted_pool(*args, **kwargs):
        calls["pool"] += 1
        return real_pool(*args, **kwargs)

    def counted_book(*args, **kwargs):
        calls["book"] += 1
        return real_book(*args, **kwargs)

    monkeypatch.setattr(validation, "gate", counted_gate)
    monkeypatch.setattr(execution, "start_pool", counted_pool)
    monkeypatch.setattr(site, "BookProcess", counted_book)
    project = copy_inputs(tmp_path / "project")
    out = tmp_path / "site"
    targets = build.build_editions(
        small_delivery,
        [2021, 2020],
        out_dir=out,
        jobs=2,
        project=Project.at(project),
        synthetic=True,
    )
    assert targets == [out / "2020", out / "2021"]
    assert calls == {"gate": 1, "pool": 1, "book": 1}  # one Jupyter Book for both books
    earlier = out / "2021" / "bilagor" / "tidigare-utgavor.html"
    assert "2020" in earlier.read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2020/index.html" in index and "2021/index.html" in index
    config = ReportConfig.load(project / "report.yml")
    delivery, _ = real_gate(small_delivery, Project.at(project).load_suites().inputs)
    later = compute_results(delivery, 2021, config, disclosure.read_archive(out, exclude=2021))
    assert (out / "2021" / "data" / "indikatorer.csv").read_text(encoding="utf-8") == to_csv_text(
        spreadsheet_safe_frame(later[PUBLISHED_COLUMNS].reset_index(drop=True))
    )
    assert not list((project / "_build" / "work").glob("editions-*"))  # the pool's folder


def test_build_year_takes_a_range_of_editions():
    from uppfoljning.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["build", "--year", "2018-2024"]).year == range(2018, 2025)
    assert parser.parse_args(["build", "--year", "2024"]).year == 2024
    assert parser.parse_args(["indicators", "--year", "2024"]).year == 2024
    for wrong in ("2024-2018", "2018-", "tjugo"):
        with pytest.raises(SystemExit):
            parser.parse_args(["build", "--year", wrong])


class FakeEditionBuild:
    """Stands in for :class:`build.EditionBuild` in :func:`build.build_editions`: records
    what the run asked of each edition, and fails where a test says."""

    log: list = []
    fail_compute: set = set()
    fail_finish: set = set()
    up_to_date: set = set()

    def __init__(
        self,
        data_dir,
        edition,
        out_dir,
        jobs,
        only,
        config,
        *,
        project,
        shared_pool,
        gate,
        earlier,
        **options,
    ):
        self.edition = edition
        self.target = Path(out_dir) / str(edition)
        self.log.append(("start", edition, tuple(sorted(earlier))))

    def compute(self) -> bool:
        if self.edition in self.fail_compute:
            raise UsageError(f"compute {self.edition}")
        return self.edition not in self.up_to_date

    @property
    def published_table(self) -> bytes:
        return f"table {self.edition}".encode()

    def finish(self, stopping) -> Path:
        if self.edition in self.fail_finish:
            raise RuntimeError(f"book {self.edition}")
        if stopping():
            raise KeyboardInterrupt
        self.log.append(("published", self.edition))
        return self.target

    def fail(self, exc) -> None:
        pass

    def close(self) -> None:
        self.log.append(("closed", self.edition))


@pytest.fixture
def fake_editions(tmp_path, monkeypatch):
    FakeEditionBuild.log = []
    FakeEditionBuild.fail_compute, FakeEditionBuild.fail_finish = set(), set()
    FakeEditionBuild.up_to_date = set()
    monkeypatch.setattr(build, "EditionBuild", FakeEditionBuild)
    monkeypatch.setattr(
        execution, "start_pool", lambda jobs, cwd, environment=None: ThreadPoolExecutor(1)
    )
    project = copy_inputs(tmp_path / "project")

    def run(editions):
        from uppfoljning.config import ReportConfig

        return build.build_editions(
            tmp_path / "data",
            editions,
            out_dir=tmp_path / "site",
            jobs=1,
            config=ReportConfig(),
            project=Project.at(project),
        )

    return run


def test_editions_of_one_run_see_the_earlier_ones_and_publish_in_order(fake_editions, tmp_path):
    targets = fake_editions([2021, 2019, 2020])
    assert targets == [tmp_path / "site" / str(e) for e in (2019, 2020, 2021)]
    log = FakeEditionBuild.log
    # each edition is computed against the tables of the run's earlier editions
    assert [entry for entry in log if entry[0] == "start"] == [
        ("start", 2019, ()),
        ("start", 2020, (2019,)),
        ("start", 2021, (2019, 2020)),
    ]
    assert [entry for entry in log if entry[0] == "published"] == [
        ("published", 2019),
        ("published", 2020),
        ("published", 2021),
    ]
    assert sorted(entry[1] for entry in log if entry[0] == "closed") == [2019, 2020, 2021]


def test_a_failed_book_stops_the_editions_after_it(fake_editions):
    FakeEditionBuild.fail_finish = {2020}
    with pytest.raises(RuntimeError, match="book 2020") as failure:
        fake_editions([2019, 2020, 2021, 2022])
    published = [entry[1] for entry in FakeEditionBuild.log if entry[0] == "published"]
    assert published == [2019]  # 2021 and 2022 may have been computed, never published
    assert failure.value.published_editions == [2019]  # what the command line says
    closed = sorted(entry[1] for entry in FakeEditionBuild.log if entry[0] == "closed")
    assert closed == sorted(
        {entry[1] for entry in FakeEditionBuild.log if entry[0] == "start"}
    )  # every work folder is ended


def test_a_failed_edition_still_publishes_the_earlier_ones(fake_editions):
    FakeEditionBuild.fail_compute = {2021}
    with pytest.raises(UsageError, match="compute 2021") as failure:
        fake_editions([2019, 2020, 2021, 2022])
    log = FakeEditionBuild.log
    assert [entry[1] for entry in log if entry[0] == "published"] == [2019, 2020]
    assert failure.value.published_editions == [2019, 2020]
    assert 2022 not in {entry[1] for entry in log}  # never started


def test_an_edition_already_up_to_date_is_kept_and_the_run_goes_on(fake_editions, tmp_path):
    FakeEditionBuild.up_to_date = {2020}
    targets = fake_editions([2019, 2020, 2021])
    assert targets == [tmp_path / "site" / str(e) for e in (2019, 2020, 2021)]
    log = FakeEditionBuild.log
    assert [entry[1] for entry in log if entry[0] == "published"] == [2019, 2021]
    assert ("start", 2021, (2019, 2020)) in log  # 2020's table still counts for 2021
    assert sorted(entry[1] for entry in log if entry[0] == "closed") == [2019, 2020, 2021]


def test_a_run_of_editions_refuses_a_foreign_folder_before_any_work(fake_editions, tmp_path):
    (tmp_path / "site" / "2020").mkdir(parents=True)
    (tmp_path / "site" / "2020" / "egen.html").write_text("min sida")
    with pytest.raises(site.ForeignOutputError, match="2020 was not made by uppfoljning"):
        fake_editions([2019, 2020, 2021])
    assert FakeEditionBuild.log == []  # no edition started, none published
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["2020"]
