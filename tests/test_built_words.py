"""Every chart title and change sentence of a built edition, read against the edition's
own ``data/indikatorer.csv``: a direction, a "högst"/"lägst" or a change that the
published numbers contradict fails. The checks parse the Swedish words independently of
the rules that wrote them (uppfoljning.wording)."""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from uppfoljning import formatting

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("build")]

SPEC = re.compile(r"var spec = (\{.*?\});\n")
NUMBER = r"\u2212?\d{1,3}(?:[\u00a0 ]\d{3})*(?:,\d+)?(?:[\u00a0 ](?:%|dagar|mnkr|kr))?"
CHANGE = re.compile(
    rf"var (?P<now>{NUMBER}) år (?P<year>\d{{4}}), jämfört med "
    rf"(?P<before>{NUMBER}) år (?P<previous>\d{{4}}) \((?P<change>[^)]+)\)"
)
TREND = re.compile(
    r"^Personalrörligheten i (?P<place>.+?) (?:har (?P<way>ökat|minskat) sedan "
    r"(?P<first>\d{4})|är ungefär som (?P<flat>\d{4}))"
    r"(?: men (?:har )?(?P<recent_way>ökat|minskat) sedan (?P<recent>\d{4}))?$"
)


def swedish_number(text: str) -> Decimal:
    """ "−1 234,5 %" -> Decimal("-1234.5"); "±0" -> 0."""
    digits = re.sub(r"[^\d,\u2212+\-±]", "", text).replace(",", ".")
    return Decimal(digits.replace("\u2212", "-").replace("±", "").replace("+", ""))


def page_texts(edition_dir: Path):
    for page in sorted(edition_dir.rglob("*.html")):
        if "_static" in page.parts:
            continue
        source = page.read_text(encoding="utf-8")
        titles = []
        for match in SPEC.finditer(source):
            title = json.loads(match.group(1)).get("title", {}).get("text", "")
            titles.append(" ".join(title) if isinstance(title, list) else title)
        text = html.unescape(
            re.sub(r"<[^>]+>", "", re.sub(r"<script.*?</script>", "", source, flags=re.S))
        )
        yield page.relative_to(edition_dir).as_posix(), titles, " ".join(text.split())


def check_change_sentences(text: str) -> list[str]:
    """Every "var X år Y, jämfört med Z år Y−1 (C)" where C is not X − Z as displayed."""
    wrong = []
    for m in CHANGE.finditer(text):
        now, before = swedish_number(m["now"]), swedish_number(m["before"])
        if swedish_number(m["change"]) != now - before:
            wrong.append(m.group(0))
        if "procentenhet" in m["change"] and (abs(now - before) == 1) != (
            "procentenheter" not in m["change"]
        ):
            wrong.append(m.group(0))  # "1 procentenhet", "2 procentenheter"
    return wrong


def check_turnover_title(title: str, table: pd.DataFrame) -> str | None:
    """A unit's turnover title against its published 'alla' series."""
    m = TREND.match(title)
    if m is None:
        return None
    rows = table[
        (table["unit_name"] == m["place"])
        & (table["indicator"] == "turnover_rate")
        & (table["occupation"] == "alla")
        & ~table["suppressed"]
        & table["value"].notna()
    ]
    if rows.empty:
        rows = table[
            (table["unit_id"] == "stockholm")
            & (table["indicator"] == "turnover_rate")
            & (table["occupation"] == "alla")
            & ~table["suppressed"]
        ]
    shown = {
        int(y): formatting.displayed_value("turnover_rate", v)
        for y, v in zip(rows["year"], rows["value"], strict=True)
    }
    last = shown[max(shown)]
    if m["way"]:
        first = shown[int(m["first"])]
        if (m["way"] == "ökat") != (last > first):
            return title
    if m["flat"] and abs(last - shown[int(m["flat"])]) >= 1:
        return title
    if m["recent"]:
        recent = shown[int(m["recent"])]
        if (m["recent_way"] == "ökat") != (last > recent):
            return title
    elif max(shown) - 3 >= min(shown):
        # no recent clause: no year of the last three may be more than a tenth the other way
        way = m["way"]
        for year in range(max(shown) - 3, max(shown)):
            if year in shown and year > min(shown):
                change = last - shown[year]
                if (
                    abs(change) > abs(shown[year]) / 10
                    and way
                    and ((change > 0) != (way == "ökat"))
                ):
                    return title
    return None


def test_titles_and_sentences_agree_with_the_published_table(demo_site):
    edition_dir = demo_site.edition_dir
    table = pd.read_csv(edition_dir / "data" / "indikatorer.csv")
    table["suppressed"] = table["suppressed"].astype(str).str.lower() == "true"
    wrong = []
    for page, titles, text in page_texts(edition_dir):
        wrong += [f"{page}: {s}" for s in check_change_sentences(text)]
        assert ".. (..)" not in text, page
        for title in titles:
            problem = check_turnover_title(title, table)
            if problem:
                wrong.append(f"{page}: {problem}")
    assert wrong == []


def test_the_checks_catch_what_the_issue_reported():
    assert (
        check_change_sentences("var 34 % år 2024, jämfört med 42 % år 2023 (−7 procentenheter)")
        != []
    )
    assert (
        check_change_sentences("var 33 % år 2024, jämfört med 34 % år 2023 (−1 procentenheter)")
        != []
    )
    assert (
        check_change_sentences("var 34 % år 2024, jämfört med 42 % år 2023 (−8 procentenheter)")
        == []
    )
    table = pd.DataFrame(
        {
            "unit_id": "x",
            "unit_name": "X",
            "indicator": "turnover_rate",
            "occupation": "alla",
            "year": [2016, 2021, 2024],
            "value": [0.18, 0.108, 0.155],
            "suppressed": False,
        }
    )
    assert check_turnover_title("Personalrörligheten i X har minskat sedan 2016", table)
    assert (
        check_turnover_title(
            "Personalrörligheten i X har minskat sedan 2016 men ökat sedan 2021", table
        )
        is None
    )
