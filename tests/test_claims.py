"""Claims check: a direction word next to an inserted figure must agree with the figure.

The published table below is made by hand; every expected change is read off it:

- city survey_response_rate (0 decimals): 2016 70 %, 2023 74 %, 2024 73 % (down 1 since
  last year, up 3 since 2016)
- city turnover_rate (1 decimal): 2016 20,0 %, 2023 15,0 %, 2024 17,0 % (up since last
  year, down since 2016)
- city job_ads: 2023 100, 2024 100 (unchanged)
- city incidents_per_100: 2023 suppressed, 2024 3,0
- skarholmen turnover_rate alla: 2023 10,0 %, 2024 8,0 % (down)
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from uppfoljning import claims
from uppfoljning.build import check_chapter_claims

NBSP = "\u00a0"
EDITION = 2024
SUBSTITUTIONS = {"utgava": "2024", "forra_aret": "2023", "forsta_aret": "2016"}
CHAPTER = "book/utgavor/2024/sammanfattning.md"
SURVEY = "{glue:text}`stad/medarbetarenkat.ipynb::survey_response_rate_alla:s`"
TURNOVER = "{glue:text}`stad/personalrorlighet.ipynb::turnover_alla:s`"
TURNOVER_PREV = "{glue:text}`stad/personalrorlighet.ipynb::turnover_alla_prev:s`"
ADS = "{glue:text}`stad/rekrytering.ipynb::job_ads_alla:s`"
INCIDENTS = "{glue:text}`stad/hot-och-vald.ipynb::incidents_per_100_alla:s`"


def _table() -> pd.DataFrame:
    rows = [
        ("stockholm", "survey_response_rate", 2016, 0.70, False),
        ("stockholm", "survey_response_rate", 2023, 0.74, False),
        ("stockholm", "survey_response_rate", 2024, 0.73, False),
        ("stockholm", "turnover_rate", 2016, 0.20, False),
        ("stockholm", "turnover_rate", 2023, 0.15, False),
        ("stockholm", "turnover_rate", 2024, 0.17, False),
        ("stockholm", "job_ads", 2023, 100.0, False),
        ("stockholm", "job_ads", 2024, 100.0, False),
        ("stockholm", "incidents_per_100", 2023, None, True),
        ("stockholm", "incidents_per_100", 2024, 3.0, False),
        ("skarholmen", "turnover_rate", 2023, 0.10, False),
        ("skarholmen", "turnover_rate", 2024, 0.08, False),
    ]
    return pd.DataFrame(
        [
            {
                "edition": EDITION,
                "year": y,
                "unit_id": u,
                "unit_name": u,
                "occupation": "alla",
                "indicator": i,
                "value": v,
                "suppressed": s,
            }
            for u, i, y, v, s in rows
        ]
    )


def _check(text: str, staged: str = "sammanfattning.md") -> list[str]:
    return [
        p.format()
        for p in claims.check_claims({staged: (CHAPTER, text)}, _table(), EDITION, SUBSTITUTIONS)
    ]


def test_false_increase_since_last_year_is_named_with_line_word_and_change():
    text = f"# Sammanfattning\n\nSvarsfrekvensen ökade till\n{SURVEY}.\n"
    assert _check(text) == [
        f'{CHAPTER}, line 3: "ökade" but survey_response_rate_alla went from '
        f"74{NBSP}% (2023) to 73{NBSP}% (2024)"
    ]


def test_true_decrease_since_last_year_passes():
    assert _check(f"Svarsfrekvensen minskade till {SURVEY}.") == []


def test_false_decrease_and_true_increase_since_last_year():
    assert _check(f"Personalrörligheten sjönk till {TURNOVER}.") == [
        f'{CHAPTER}, line 1: "sjönk" but turnover_alla went from 15,0{NBSP}% (2023) '
        f"to 17,0{NBSP}% (2024)"
    ]
    assert _check(f"Personalrörligheten steg till {TURNOVER} från {TURNOVER_PREV}.") == []


def test_a_year_named_in_the_sentence_is_the_base_of_the_change():
    # survey: 70 % (2016) -> 73 % (2024) is up although it fell since 2023
    assert _check(f"Sedan 2016 har svarsfrekvensen ökat till {SURVEY}.") == []
    assert _check(f"Sedan 2016 har svarsfrekvensen minskat till {SURVEY}.") == [
        f'{CHAPTER}, line 1: "minskat" but survey_response_rate_alla went from '
        f"70{NBSP}% (2016) to 73{NBSP}% (2024)"
    ]
    # turnover: 20,0 % (2016) -> 17,0 % (2024) is down although it rose since 2023; the
    # year comes through the substitution the reader sees
    assert _check(f"Sedan {{{{ forsta_aret }}}} har rörligheten minskat till {TURNOVER}.") == []
    assert _check(f"Jämfört med 2016 ökade rörligheten till {TURNOVER}.") == [
        f'{CHAPTER}, line 1: "ökade" but turnover_alla went from 20,0{NBSP}% (2016) '
        f"to 17,0{NBSP}% (2024)"
    ]


def test_the_edition_year_named_in_the_sentence_is_not_a_base():
    assert _check(f"År {{{{ utgava }}}} ökade svarsfrekvensen till {SURVEY}.") != []
    assert _check(f"År 2024 minskade svarsfrekvensen till {SURVEY}.") == []


def test_negation_turns_the_claim_around():
    # survey fell: "minskade inte" is false, "har inte ökat" is true
    assert _check(f"Svarsfrekvensen, {SURVEY}, minskade inte.") == [
        f'{CHAPTER}, line 1: "minskade inte" but survey_response_rate_alla went from '
        f"74{NBSP}% (2023) to 73{NBSP}% (2024)"
    ]
    assert _check(f"Svarsfrekvensen har inte ökat: den var {SURVEY}.") == []
    # turnover rose: "har inte ökat" is false
    assert _check(f"Personalrörligheten har inte ökat, den är {TURNOVER}.") == [
        f'{CHAPTER}, line 1: "inte ökat" but turnover_alla went from 15,0{NBSP}% (2023) '
        f"to 17,0{NBSP}% (2024)"
    ]


def test_unchanged_as_displayed():
    assert _check(f"Antalet annonser var oförändrat, {ADS}.") == []
    assert _check(f"Antalet annonser ökade till {ADS}.") == [
        f'{CHAPTER}, line 1: "ökade" but job_ads_alla went from 100 (2023) to 100 (2024)'
    ]
    assert _check(f"Svarsfrekvensen var oförändrad, {SURVEY}.") != []


def test_a_hidden_value_is_never_compared_or_shown():
    assert _check(f"Antalet händelser per 100 anställda minskade till {INCIDENTS}.") == []


def test_the_word_goes_with_the_nearest_figure_of_its_own_sentence():
    text = f"Svarsfrekvensen minskade till {SURVEY}. Personalrörligheten ökade\ntill {TURNOVER}."
    assert _check(text) == []
    # a direction word in a sentence without an inserted figure is not a claim
    assert _check(f"Arbetet ökade i omfattning.\n\nSvarsfrekvensen var {SURVEY}.") == []


def test_comparatives_are_claims_only_when_the_sentence_compares_in_time():
    assert _check(f"Svarsfrekvensen var högre bland socialsekreterarna, {SURVEY}.") == []
    assert _check(f"Svarsfrekvensen, {SURVEY}, var högre än året innan.") != []


def test_comments_are_not_read():
    assert _check(f"<!-- Svarsfrekvensen ökade till {SURVEY}. -->\nText.") == []


def test_unit_pages_and_city_prefixes_resolve_to_their_unit():
    ids = {"turnover_rate", "survey_response_rate", "incidents"}
    assert claims.resolve_key(
        "stadsdelar/skarholmen.ipynb", "turnover_alla_prev", ids
    ) == claims.Series("skarholmen", "turnover_rate", "alla")
    assert claims.resolve_key(
        "stadsdelar/skarholmen.ipynb", "city_turnover_alla", ids
    ) == claims.Series("stockholm", "turnover_rate", "alla")
    assert claims.resolve_key(
        "stad/hot-och-vald.ipynb", "incidents_socialsekreterare_first", ids
    ) == claims.Series("stockholm", "incidents", "socialsekreterare", since_first=True)
    assert claims.resolve_key("stad/medarbetarenkat.ipynb", "main_value", ids) == claims.Series(
        "stockholm", "survey_response_rate", "alla"
    )
    assert claims.resolve_key("stad/vantetider.ipynb", "wait_shortest_unit", ids) is None
    unit = "{glue:text}`../stadsdelar/skarholmen.ipynb::turnover_alla:s`"
    assert _check(f"I Skärholmen ökade rörligheten till {unit}.", "kapitel/x.md") == [
        f'{CHAPTER}, line 1: "ökade" but turnover_alla went from 10,0{NBSP}% (2023) '
        f"to 8,0{NBSP}% (2024)"
    ]


def _project(tmp_path, text: str):
    (tmp_path / "book" / "utgavor" / "2024").mkdir(parents=True)
    (tmp_path / "book" / "sammanfattning.md").write_text("Allmän text.\n", encoding="utf-8")
    (tmp_path / "book" / "utgavor" / "2024" / "sammanfattning.md").write_text(
        text, encoding="utf-8"
    )
    meta = SimpleNamespace(edition=EDITION, previous_year=2023, first_year=2016)
    return SimpleNamespace(meta=meta, indicators=_table())


def test_the_build_warns_with_the_edition_chapter_and_strict_fails(tmp_path, capsys):
    prepared = _project(tmp_path, f"# Sammanfattning\n\nSvarsfrekvensen ökade till {SURVEY}.\n")
    problems = check_chapter_claims(tmp_path / "book", prepared, strict=False)
    assert len(problems) == 1
    assert (
        'book/utgavor/2024/sammanfattning.md, line 3: "ökade" but '
        "survey_response_rate_alla went from"
    ) in capsys.readouterr().err
    with pytest.raises(claims.ClaimsError, match="1 claim.*--strict.*line 3"):
        check_chapter_claims(tmp_path / "book", prepared, strict=True)


def test_the_edition_chapter_replaces_the_default_one(tmp_path):
    _project(tmp_path, "Egen text.\n")
    (tmp_path / "book" / "inledning.md").write_text("Inledning.\n", encoding="utf-8")
    chapters = claims.researcher_chapters(tmp_path / "book", EDITION)
    assert chapters == {
        "inledning.md": ("book/inledning.md", "Inledning.\n"),
        "sammanfattning.md": ("book/utgavor/2024/sammanfattning.md", "Egen text.\n"),
    }
