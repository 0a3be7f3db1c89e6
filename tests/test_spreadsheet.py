"""data/indikatorer.xlsx: Swedish sheets of the published table, on a hand-made table
(answers worked by hand), written and read back with openpyxl."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from uppfoljning import catalog, labels, layout, spreadsheet


def _rows(*rows: tuple[str, str, str, int, float | None, bool]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "edition": 2024,
                "year": y,
                "unit_id": u,
                "unit_name": {"a": "Älvsjö", "stockholm": "Stockholms stad"}[u],
                "occupation": o,
                "indicator": i,
                "value": v,
                "suppressed": s,
            }
            for u, i, o, y, v, s in rows
        ]
    )


TABLE = _rows(
    ("a", "turnover_rate", "socialsekreterare", 2024, 0.1234, False),
    ("a", "turnover_rate", "alla", 2024, None, True),
    ("stockholm", "turnover_rate", "alla", 2024, 0.155, False),
    ("a", "wait_days_mean", "alla", 2024, None, False),
    ("a", "survey_ami", "alla", 2024, 71.5, False),
    ("a", "exit_reason_share_lon", "alla", 2024, 0.25, False),
    ("a", "consultant_cost_sek", "alla", 2024, 1_500_000.0, False),
)
FOCUS = pd.DataFrame(
    {
        "year": [2024],
        "unit_id": ["a"],
        "area_id": ["intro"],
        "area_name": ["Introduktion"],
        "status": ["ej_paborjat"],
        "note": ['=HYPERLINK("http://x")'],
    }
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("=1+1", "'=1+1"),
        ("+46 8", "'+46 8"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Älvsjö", "Älvsjö"),
        ("..", ".."),
        ("", ""),
    ],
)
def test_text_that_could_start_a_formula_is_neutralised(text, expected):
    assert spreadsheet.neutralise(text) == expected


def test_every_indicator_has_a_sheet():
    assert spreadsheet.sheet_of("turnover_rate_voluntary") == "Personalrörlighet"
    assert spreadsheet.sheet_of("headcount") == "Personalrörlighet"
    assert spreadsheet.sheet_of("survey_ami") == "Medarbetarenkät"
    assert spreadsheet.sheet_of("exit_reason_share_lon") == "Avslutningssamtal"
    assert spreadsheet.sheet_of("consultant_cost_sek") == "Konsulter och kostnader"
    assert spreadsheet.sheet_of("something_new") == labels.XLSX_SHEET_OTHER
    assert all(len(name) <= 31 for name in spreadsheet.sheet_order())


def test_the_sheets_are_the_city_chapters_of_the_layout():
    """A sheet per city chapter in book order, holding what its key figures show: the
    Personalrörlighet chapter's figures, then each area's (uppfoljning.layout)."""
    assert spreadsheet.sheet_order() == [
        labels.XLSX_SHEET_TURNOVER,
        *(labels.AREAS[a].title for a in layout.AREA_SPECS),
        labels.XLSX_SHEET_OTHER,
    ]
    for indicator, _ in layout.CITY_TURNOVER_FIGURES:
        assert spreadsheet.sheet_of(indicator) == labels.XLSX_SHEET_TURNOVER
    for area, spec in layout.AREA_SPECS.items():
        for indicator, _ in spec.indicators:
            if indicator not in catalog.FAMILIES:
                assert spreadsheet.sheet_of(indicator) == labels.AREAS[area].title


def test_sheets_in_swedish_with_percent_and_notes():
    sheets = spreadsheet.workbook_sheets(TABLE, FOCUS, 2024, 5)
    assert list(sheets) == [
        "Om filen",
        "Personalrörlighet",
        "Konsulter och kostnader",
        "Väntetider",
        "Medarbetarenkät",
        "Avslutningssamtal",
        "Fokusområden",
    ]
    turnover = sheets["Personalrörlighet"]
    assert list(turnover.columns[:6]) == [
        "År",
        "Förvaltning",
        "Yrkesgrupp",
        "Mått",
        "Värde",
        "Anmärkning",
    ]
    assert turnover.iloc[:, [0, 1, 2, 3, 5]].values.tolist() == [
        # the table's unit order, then occupation order (socialsekreterare before alla)
        [2024, "Älvsjö", "Socialsekreterare", "Personalrörlighet (procent)", ""],
        [2024, "Älvsjö", "Båda yrkesgrupperna", "Personalrörlighet (procent)", ".."],
        [2024, "Stockholms stad", "Båda yrkesgrupperna", "Personalrörlighet (procent)", ""],
    ]
    assert turnover["Värde"].tolist()[0] == pytest.approx(12.3)  # percent, as displayed
    assert pd.isna(turnover["Värde"].tolist()[1])  # hidden: empty
    assert turnover["Värde"].tolist()[2] == pytest.approx(15.5)
    wait = sheets["Väntetider"].iloc[0]
    assert wait["Mått"] == "Väntetid till bokat besök, medelvärde (dagar)"
    assert pd.isna(wait["Värde"]) and wait["Anmärkning"] == "uppgift saknas"
    assert sheets["Medarbetarenkät"].iloc[0]["Värde"] == 71.5  # an index is not a rate
    assert (
        sheets["Konsulter och kostnader"].iloc[0]["Mått"]
        == "Kostnad för socionomkonsulter (kronor)"
    )
    assert sheets["Fokusområden"].values.tolist() == [
        [2024, "Älvsjö", "Introduktion", "Ej påbörjat", '=HYPERLINK("http://x")']
    ]
    assert sum(len(s) for n, s in sheets.items() if n not in ("Om filen", "Fokusområden")) == len(
        TABLE
    )


def test_written_workbook_reads_back_without_formulas(tmp_path):
    path = spreadsheet.write_workbook(
        spreadsheet.workbook_sheets(TABLE, FOCUS, 2024, 5), tmp_path / "indikatorer.xlsx"
    )
    book = openpyxl.load_workbook(path)
    sheet = book["Personalrörlighet"]
    assert [c.value for c in sheet[1]] == list(labels.XLSX_COLUMNS)
    assert sheet["E2"].value == pytest.approx(12.3) and sheet["E2"].number_format == "#,##0.0"
    assert sheet["E3"].value is None and sheet["F3"].value == ".."
    focus = book["Fokusområden"]
    assert focus["E2"].value == '\'=HYPERLINK("http://x")' and focus["E2"].data_type == "s"
    assert all(c.data_type != "f" for ws in book for row in ws.iter_rows() for c in row)
    assert "5 personer" in book["Om filen"]["A3"].value


def test_focus_sheet_says_stalled_and_not_yet_in_the_plan_in_words():
    focus = pd.DataFrame(
        {
            "year": [2018, 2019, 2024],
            "unit_id": ["a"] * 3,
            "area_id": ["team"] * 3,
            "area_name": ["Förstärkningsteam"] * 3,
            "plan_version": ["2019"] * 3,
            "status": ["ej_paborjat", "ej_paborjat", "avstannat"],
            "note": ["Ingår från 2019.", "", "Behöver nya beslut."],
        }
    )
    sheet = spreadsheet.focus_sheet(focus, {"a": "Alfa"})
    assert sheet["Status"].tolist() == ["Ingick inte i handlingsplanen", "Ej påbörjat", "Avstannat"]


def test_workbook_names_its_title_and_the_city_as_author(tmp_path):
    path = spreadsheet.write_workbook(
        spreadsheet.workbook_sheets(TABLE, FOCUS, 2024, 5),
        tmp_path / "indikatorer.xlsx",
        title="Rapport 2024",
    )
    properties = openpyxl.load_workbook(path).properties
    assert properties.title == "Rapport 2024"
    assert properties.creator == "Stockholms stad" and properties.lastModifiedBy == (
        "Stockholms stad"
    )
