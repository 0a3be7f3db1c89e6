"""The PDF step: its fast parts, then (marked browser and slow) the PDFs themselves."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from conftest import chromium_missing_reason
from uppfoljning import build, labels, pdf
from uppfoljning.config import ReportConfig
from uppfoljning.errors import UsageError
from uppfoljning.project import Project

ROOT = Path(__file__).resolve().parents[1]


def test_missing_chromium_is_a_usage_error_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(UsageError, match="no-chromium"):
        pdf.check_available()
    out = tmp_path / "site"
    with pytest.raises(UsageError, match="--pdf needs Chromium"):
        build.build_edition(
            tmp_path / "no-delivery",
            2024,
            out_dir=out,
            pdf=True,
            project=Project.at(ROOT),
            work_root=tmp_path / "work",
        )
    assert not out.exists() and not (tmp_path / "work").exists()


def test_singlehtml_mathjax_link_is_removed():
    page = (
        '<head><script src="_static/x.js"></script>\n'
        '<script async="async" src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/'
        'tex-mml-chtml.js"></script>\n</head>'
    )
    assert pdf.MATHJAX_SCRIPT.sub("", page) == '<head><script src="_static/x.js"></script>\n</head>'


def test_pdf_name():
    assert pdf.pdf_name(2024) == "uppfoljning-2024.pdf"
    assert Path(pdf.pdf_name(2024)).suffix == ".pdf"


# ---------------------------------------------------------------------------
# The PDFs as documents (report.md, *The site*): cover, contents, footer


def test_publication_facts_are_read_where_the_configuration_has_them():
    from types import SimpleNamespace

    bare = pdf.cover_for(SimpleNamespace(title="Rapport"), 2024, synthetic=False)
    assert (bare.published, bare.responsible, bare.contact, bare.next_release, bare.notice) == (
        "",
        "",
        (),
        "",
        "",
    )
    assert bare.publisher == "Stockholms stad" and bare.full_title == "Rapport 2024"
    config = SimpleNamespace(
        title="Rapport",
        published=dt.date(2025, 3, 14),
        responsible="Socialförvaltningen",
        contact={"name": "Anna Berg", "email": "anna.berg@example.se", "phone": ""},
        next_release="2026-03-13",
    )
    cover = pdf.cover_for(config, 2024, synthetic=True, draft=True)
    assert cover.published == "14 mars 2025" and cover.next_release == "13 mars 2026"
    assert cover.contact == ("Anna Berg", "anna.berg@example.se")  # an empty phone is left out
    assert cover.notice == labels.SYNTHETIC_NOTE and cover.draft
    assert cover.for_unit("Farsta").full_title == "Rapport 2024 – Farsta"
    # the report configuration's facts (report.yml)
    from uppfoljning.config import Contact, PublicationFacts

    facts = PublicationFacts(
        published=dt.date(2025, 3, 31),
        responsible="Socialförvaltningen",
        contact=Contact("Anna Berg", "anna@example.se", "08-1"),
        next_release=dt.date(2026, 3, 31),
    )
    from_facts = pdf.cover_for(SimpleNamespace(title="Rapport", facts=facts), 2024, False)
    assert (from_facts.published, from_facts.contact, from_facts.next_release) == (
        "31 mars 2025",
        ("Anna Berg", "anna@example.se", "08-1"),
        "31 mars 2026",
    )
    # a contact given as an object, a fact that is not a date stays as written
    person = SimpleNamespace(name="Bo", email=None, phone="08-508 000 00")
    assert pdf._contact_lines(person) == ("Bo", "08-508 000 00")
    assert pdf._fact_text("våren 2026") == "våren 2026"


def test_cover_and_contents_are_escaped_text_with_their_pages():
    cover = pdf.Cover(
        title="<b>Rapport</b>",
        edition=2024,
        subtitle="A & B",
        contact=("Anna <anna@example.se>",),
        notice="Påhittat.",
    )
    entries = [
        {"level": 0, "text": "Del <1>", "id": ""},
        {"level": 1, "text": "Kapitel <i>ett</i>", "id": "h1"},
        {"level": 1, "text": "Två", "id": "h2"},
    ]
    html = pdf.render_front(cover, entries, {"h1": 3})
    assert "<b>" not in html and "&lt;b&gt;Rapport&lt;/b&gt;" in html
    assert "A &amp; B" in html and "Anna &lt;anna@example.se&gt;" in html
    assert "Kapitel &lt;i&gt;ett&lt;/i&gt;" in html and "Del &lt;1&gt;" in html
    assert re.search(r'href="#h1".*?>3</span>', html)
    assert re.search(r'href="#h2".*?>' + pdf.PLACEHOLDER_PAGE + "</span>", html)  # not found yet
    assert labels.PDF_CONTENTS in html and "Påhittat." in html
    footer = pdf.render_footer(cover)
    assert "&lt;b&gt;Rapport&lt;/b&gt; 2024 – A &amp; B – sida" in footer
    assert 'class="pageNumber"' in footer and 'class="totalPages"' in footer
    assert labels.PDF_SYNTHETIC_FOOTER in footer and labels.PDF_DRAFT not in footer
    real = pdf.render_footer(pdf.Cover(title="R", edition=2024, draft=True))
    assert labels.PDF_SYNTHETIC_FOOTER not in real and labels.PDF_DRAFT in real
    dated = pdf.render_footer(pdf.Cover(title="R", edition=2024, published="31 mars 2025"))
    assert "R 2024 · publicerad 31 mars 2025 – sida" in dated


def test_destinations_are_read_from_pdfinfo_output():
    listing = (
        "Page  Destination                 Name\n"
        '   2 [ XYZ    6  826 null      ] "uppf-pdf-h0"\n'
        '  13 [ XYZ   57  700 null      ] "document-stad/konsulter"\n'
        '   4 [ XYZ    6  826 null      ] "uppf-pdf-h0"\n'
    )
    assert pdf.parse_destinations(listing) == {"uppf-pdf-h0": 2, "document-stad/konsulter": 13}


def test_a_unit_pdf_printed_before_is_taken_from_the_cache(tmp_path):
    edition = tmp_path / "2024"
    (edition / "_static").mkdir(parents=True)
    (edition / "_static" / "theme.css").write_text("p {}", encoding="utf-8")
    page = edition / "stadsdelar" / "farsta.html"
    page.parent.mkdir()
    page.write_text("<p>Farsta 1</p>", encoding="utf-8")
    job = pdf.UnitPdf("farsta", page, "Rapport 2024 – Farsta", "Rapport 2024", "Farsta")
    cover = pdf.Cover(title="Rapport", edition=2024, subtitle="Farsta")
    folder = tmp_path / "cache"
    cache = pdf.UnitPdfCache(folder, edition)
    target = edition / "pdf" / "farsta.pdf"
    assert not cache.fetch(job, cover, target) and not target.exists()
    printed = tmp_path / "printed.pdf"
    printed.write_bytes(b"%PDF first")
    cache.store(job, cover, printed)
    assert cache.fetch(job, cover, target) and target.read_bytes() == b"%PDF first"
    # a changed cover, page or style sheet is printed again; one PDF is kept per unit
    assert not cache.fetch(job, replace(cover, published="1 april 2025"), target)
    page.write_text("<p>Farsta 2</p>", encoding="utf-8")
    assert not cache.fetch(job, cover, target)
    printed.write_bytes(b"%PDF second")
    cache.store(job, cover, printed)
    assert [p.read_bytes() for p in folder.glob("farsta--*.pdf")] == [b"%PDF second"]
    (edition / "_static" / "theme.css").write_text("p { color: red }", encoding="utf-8")
    assert not pdf.UnitPdfCache(folder, edition).fetch(job, cover, target)


def test_screen_instructions_are_cut_from_the_printed_text():
    # the same pattern runs in the browser (PREPARE_JS, a JavaScript RegExp)
    cut = re.compile(pdf.INSTRUCTION)
    assert cut.sub("", "Värden år 2024. Välj ett kort\nför att läsa kapitlet.") == "Värden år 2024."
    assert cut.sub("", "Välj två förvaltningar i listorna. Hela staden står till höger.") == (
        " Hela staden står till höger."
    )
    assert cut.sub("", "Urvalet gjordes av staden.") == "Urvalet gjordes av staden."


# ---------------------------------------------------------------------------
# The printed PDFs (Chromium, poppler-utils)

BROWSER = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group("build"),
    pytest.mark.skipif(
        chromium_missing_reason() is not None, reason=str(chromium_missing_reason())
    ),
    pytest.mark.skipif(
        shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
        reason="poppler-utils (pdftotext, pdfinfo) is not installed",
    ),
]


def printed(test):
    """A test of a printed PDF: needs Chromium and poppler-utils; shares the demo build."""
    for mark in reversed(BROWSER):
        test = mark(test)
    return test


def page_texts(path: Path) -> list[str]:
    """The text of every page (pdftotext keeps the layout: a contents line is its
    heading, spaces, its page number)."""
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout.split("\f")[:-1]  # every page ends with a form feed


def flowing(text: str) -> str:
    return " ".join(text.split())


CONTENTS_LINE = re.compile(r"^\s*(\S.*?\S)\s{2,}(\d+)\s*$")


def contents_of(pages: list[str]) -> list[tuple[str, int]]:
    """The contents on the second page: (heading, page) per line. The list is one block
    of lines; the report may go on below it, after an empty line."""
    assert flowing(pages[1]).startswith(labels.PDF_CONTENTS), pages[1][:200]
    block = pages[1].strip("\n").split("\n\n", 1)[0]
    return [
        (m.group(1), int(m.group(2))) for m in map(CONTENTS_LINE.match, block.splitlines()) if m
    ]


def assert_document(path: Path, cover: list[str]) -> list[str]:
    """A PDF that is a document: ``cover`` texts on page 1, the footer "sida N av M" on
    every page, every contents line's heading on the page it names, bookmarks and tags.
    Returns the pages' texts."""
    pages = page_texts(path)
    total = len(pages)
    first = flowing(pages[0])
    for text in cover:
        assert text in first, (path.name, text)
    for number, text in enumerate(pages, start=1):
        assert f"{labels.PDF_PAGE} {number} {labels.PDF_PAGE_OF} {total}" in flowing(text), (
            path.name,
            number,
        )
    contents = contents_of(pages)
    assert len(contents) >= 3, contents
    for heading, number in contents:  # the report may begin below the contents
        assert 2 <= number <= total, (heading, number)
        assert heading in flowing(pages[number - 1]), (path.name, heading, number)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.MULTILINE), info
    outline = subprocess.run(
        ["pdftohtml", "-xml", "-stdout", "-i", "-q", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    bookmarks = [
        html.unescape(text) for text in re.findall(r'<item page="\d+">(.*?)</item>', outline)
    ]
    assert len(bookmarks) > len(contents), "every heading a bookmark"
    for heading, _ in contents:  # once each, as written ("Konsulter", not "KonsulterKonsulter")
        assert heading in bookmarks, (path.name, heading, bookmarks)
    doubled = [
        text
        for text in bookmarks
        if len(text) % 2 == 0 and text[: len(text) // 2] == text[len(text) // 2 :]
    ]
    assert not doubled, (path.name, doubled)
    assert not re.search(r"\bVälj\b", "\n".join(pages)), "a screen instruction printed"
    return pages


# the theme's heading rule (pydata-sphinx-theme): a heading line lower than its glyphs
HANDMADE = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><style>
h1, h2 {{ font-family: system-ui, sans-serif; line-height: 1.15; }}</style></head><body>
<main><article class="bd-article"><section id="enhet"><h1>Enheten</h1>
<p>Inledning. Välj ett år i listan för att se det.</p>
<section id="alfa"><h2>Alfa</h2>{long}</section>
<section id="beta"><h2>Beta</h2><figure class="uppf-chart"><div class="uppf-chart-view"
 id="c1" role="img" aria-label="Ett diagram"><svg xmlns="http://www.w3.org/2000/svg"
 width="625" height="466" viewBox="0 0 625 466"><text x="10" y="20"
 style="font-size: 11px">Etikett</text><text x="10" y="60" style="font-size: 15px">Rubrik</text>
 </svg></div><select><option>Farsta</option></select></figure>
 <p>Diagramtext.</p></section>
<section id="gamma"><h2>Gamma &lt;3&gt;</h2>{long}</section>
</section></article></main></body></html>"""


@printed
def test_a_page_prints_as_a_document(tmp_path, chromium):
    page = tmp_path / "enhet.html"
    long = "".join(f"<p>Stycke {i} med text som fyller sidan.</p>" for i in range(40))
    page.write_text(HANDMADE.format(long=long), encoding="utf-8")
    cover = pdf.Cover(
        title="Uppföljningen",
        edition=2031,
        subtitle="Enheten",
        published="1 april 2032",
        contact=("Anna Berg",),
        notice=labels.SYNTHETIC_NOTE,
    )
    printed = pdf.print_pdf(page, tmp_path / "enhet.pdf", "x", chromium, cover=cover)
    pages = assert_document(
        tmp_path / "enhet.pdf",
        [
            "Uppföljningen",
            "2031",
            "Enheten",
            labels.CITY_NAME,
            "1 april 2032",
            "Anna Berg",
            labels.SYNTHETIC_NOTE,
        ],
    )
    assert [h for h, _ in contents_of(pages)] == ["Alfa", "Beta", "Gamma <3>"]
    assert printed.pages == len(pages) >= 5 and printed.charts == 1
    assert printed.chart_text_pt >= pdf.MIN_CHART_TEXT_PT  # 11 px drawn, never shrunk below
    text = "\n".join(pages)
    assert "Farsta" not in text  # the drop-down is not printed
    assert "Inledning." in flowing(text) and "Diagramtext." in text
    assert labels.PDF_SYNTHETIC_FOOTER in flowing(pages[-1])


@printed
def test_the_edition_pdf_is_the_report(demo_site):
    if not demo_site.pdf:
        pytest.skip("built without --pdf (no Chromium)")
    config = ReportConfig.load(demo_site.project / "report.yml")
    edition = demo_site.edition
    path = demo_site.edition_dir / pdf.pdf_name(edition)
    pages = assert_document(
        path, [config.title, str(edition), labels.CITY_NAME, labels.SYNTHETIC_NOTE]
    )
    assert len(pages) <= 100  # the report, not the site on paper (it was 166)
    contents = [heading for heading, _ in contents_of(pages)]
    units = sorted(
        (demo_site.edition_dir / folder / f"{unit}.html")
        for folder in pdf.UNIT_FOLDERS
        for unit in [p.stem for p in (demo_site.edition_dir / folder).glob("*.html")]
    )
    assert len(units) >= 2
    chapters = len(list(demo_site.edition_dir.glob("*/*.html")))  # stad/, units, bilagor/
    assert len(contents) >= chapters  # every chapter (and the parts) in the contents
    text = "\n".join(pages)
    for unit in units:  # a unit's chapter points to its own PDF
        assert pdf.unit_pdf_path(unit.stem) in text, unit.stem
    assert labels.PDF_LINK not in text
    assert all(labels.PDF_SYNTHETIC_FOOTER in flowing(page) for page in pages)


@printed
def test_every_unit_pdf_is_a_short_document_with_the_notice(demo_site):
    if not demo_site.pdf:
        pytest.skip("built without --pdf (no Chromium)")
    config = ReportConfig.load(demo_site.project / "report.yml")
    edition = demo_site.edition
    published = pd.read_csv(demo_site.edition_dir / "data" / "indikatorer.csv")
    names = dict(zip(published["unit_id"], published["unit_name"], strict=False))
    pdfs = sorted((demo_site.edition_dir / pdf.UNIT_PDF_DIR).glob("*.pdf"))
    assert len(pdfs) == len(names) - 1  # every unit but the city
    for path in pdfs:
        name = names[path.stem]
        pages = assert_document(
            path, [config.title, str(edition), labels.CITY_NAME, labels.SYNTHETIC_NOTE]
        )
        assert len(pages) <= pdf.UNIT_PDF_MAX_PAGES, path.name
        assert name in flowing(pages[0]), path.name
        assert all(labels.PDF_SYNTHETIC_FOOTER in flowing(p) for p in pages), path.name


def test_a_unit_chapter_in_the_edition_keeps_its_key_figures_and_points_to_its_pdf():
    page = (
        '<span id="document-stad/a"></span><section id="a"><h1>A</h1>'
        '<section id="x"><h2>X</h2></section></section>'
        '<span id="document-stadsdelar/f"></span><section id="f"><h1>F</h1><p>Intro</p>'
        '<section id="nyckeltal"><h2>Nyckeltal</h2><table></table></section>'
        '<section id="konsulter"><h2>Konsulter</h2>'
        '<section id="djup"><h3>Djup</h3></section><script>var s = "\\u003csection";'
        "</script></section></section>"
        '<span id="document-bilagor/b"></span><section id="b"><h1>B</h1></section>'
    )
    cut = pdf.cut_unit_chapters(
        page, {"stadsdelar/f": "pdf/f&g.pdf", "stadsdelar/saknas": "x"}, "Hela rapporten:"
    )
    assert cut == (
        '<span id="document-stad/a"></span><section id="a"><h1>A</h1>'
        '<section id="x"><h2>X</h2></section></section>'
        '<span id="document-stadsdelar/f"></span><section id="f"><h1>F</h1><p>Intro</p>'
        '<section id="nyckeltal"><h2>Nyckeltal</h2><table></table></section>\n'
        '<p class="uppf-pdf-unit-note">Hela rapporten: '
        '<a href="pdf/f&amp;g.pdf">pdf/f&amp;g.pdf</a></p>\n</section>'
        '<span id="document-bilagor/b"></span><section id="b"><h1>B</h1></section>'
    )
