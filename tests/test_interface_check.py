"""The build's check for English interface text, on small hand-written pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from uppfoljning import interface_check as ic

ROOT = Path(__file__).resolve().parents[1]


def test_finds_english_in_text_and_announced_attributes():
    page = (
        '<html><body><a class="skip-link" href="#main">Skip to main content</a>'
        '<h2>Resultat<a class="headerlink" href="#r" title="Link to this heading">#</a></h2>'
        '<button aria-label="Color mode" title="Light"></button>'
        '<script>var t = "Back to top";</script>'
        "<p>Nästa steg är att läsa On this page-listan</p></body></html>"
    )
    found = ic.english_in_page(page)
    assert ("Skip to main content", "text") in found
    assert ("Link to this heading", "title") in found
    assert ("Color mode", "aria-label") in found
    assert ("Light", "title") in found
    assert "On this page-listan" not in {t for t, _ in found}  # only known texts
    assert not any("Back to top" in t for t, _ in found)  # scripts are not read
    assert len(found) == 5  # the paragraph holds the phrase "on this page"


def test_finds_the_themes_english_copyright_line():
    page = '<footer><p class="copyright">\n    © Copyright 2024.\n  </p></footer>'
    assert [t for t, _ in ic.english_in_page(page)] == ["© Copyright 2024."]


def test_swedish_page_passes_and_words_inside_sentences_are_not_flagged():
    page = (
        '<html lang="sv"><a href="#main">Hoppa till huvudinnehållet</a>'
        "<p>Index för ledarskap ökade; Light-versionen.</p>"
        '<button title="Ljust">Ljust</button></html>'
    )
    assert ic.english_in_page(page) == []


def test_check_names_pages_and_fails(tmp_path):
    (tmp_path / "stad").mkdir()
    (tmp_path / "stad" / "a.html").write_text("<p>Back to top</p>", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>Till början</p>", encoding="utf-8")
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "x.html").write_text("<p>Search</p>", encoding="utf-8")
    with pytest.raises(ic.EnglishInterfaceError, match=r"stad/a\.html: 'Back to top'"):
        ic.check_swedish_interface(tmp_path)
    (tmp_path / "stad" / "a.html").write_text("<p>Till början</p>", encoding="utf-8")
    ic.check_swedish_interface(tmp_path)  # _static is not a page


def test_project_catalogue_translates_every_theme_text_the_check_knows():
    path = ROOT / "book" / "_locale" / "sv" / "LC_MESSAGES" / "sphinx.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="sv")
    translated = {m.id.lower(): m.string for m in catalogue if m.id and m.string}
    for text in (
        "Skip to main content",
        "Back to top",
        "Link to this heading",
        "Color mode",
        "Light",
        "Dark",
        "System Settings",
        "On this page",
        "Site navigation",
        "previous page",
        "next page",
    ):
        assert text.lower() in translated, text
        assert not ic.is_english(translated[text.lower()]), text


def test_finds_the_book_themes_untranslated_labels():
    page = (
        '<button class="primary-toggle" title="Toggle primary sidebar"></button>'
        '<nav aria-label="Main"></nav><nav aria-label="Page"></nav>'
        '<nav aria-label="Rapportens avsnitt"></nav>'
    )
    assert ic.english_in_page(page) == [
        ("Toggle primary sidebar", "title"),
        ("Main", "aria-label"),
        ("Page", "aria-label"),
    ]


def test_finds_vegas_english_descriptions_and_field_names():
    found = ic.unannounceable(
        [
            ("aria-label", "X-axis titled 'År' for a discrete scale with 9 values: 2016"),
            ("aria-roledescription", "visualization"),
            ("aria-roledescription", "line mark container"),
            ("aria-label", "År: 2016; Personalrörlighet: 17 %; occupation_label: Båda"),
            ("aria-label", "År: 2016; Socionomkonsulter: 30; series: Järva; segment: 0"),
            ("aria-label", "Title text 'Personalrörlighet i Järva'"),
            # Swedish, with colons and numbers: nothing to flag
            ("aria-label", "Järva 2024: 24,2 dagar"),
            ("aria-label", "Förvaltning: Kompetensutveckling och karriärvägar–Konkurrens"),
            ("img", "Linjediagram över personalrörlighet i Järva per år 2016–2024."),
        ]
    )
    assert [text[:20] for _, text in found] == [
        "X-axis titled 'År' f",
        "visualization",
        "line mark container",
        "År: 2016; Personalrö",
        "År: 2016; Socionomko",
        "Title text 'Personal",
    ]


def test_field_names_in_an_attribute_of_a_built_page_are_found():
    page = '<div role="img" aria-label="series: Järva; value: 3"></div><p>series: text</p>'
    assert ic.english_in_page(page) == [("series: Järva; value: 3", "aria-label")]


def test_snapshot_names_are_the_quoted_accessible_names():
    snapshot = (
        '- navigation "Rapportens avsnitt":\n'
        '  - img "Linjediagram \\"A\\" över år"\n'
        "  - text: Linjediagram\n"
        '- button "Toggle primary sidebar"\n'
    )
    assert ic.snapshot_names(snapshot) == [
        "Rapportens avsnitt",
        'Linjediagram "A" över år',
        "Toggle primary sidebar",
    ]
