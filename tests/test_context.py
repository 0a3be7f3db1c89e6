"""Shaping the results for a page: pure functions on hand-made frames."""

from __future__ import annotations

import pandas as pd

from uppfoljning import context

UNITS = pd.DataFrame({"unit_id": ["b", "a", "c"], "name": ["Bromma", "Älvsjö", "Farsta"]})


def _status(*rows: tuple[int, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["year", "unit_id", "area_name", "status"])


def test_focus_matrix_has_every_unit_and_marks_missing_status():
    status = _status((2024, "a", "Introduktion", "genomfort"),
                     (2024, "a", "Hot och våld", "ej_paborjat"),
                     (2024, "b", "Introduktion", "paborjat"),
                     (2023, "c", "Introduktion", "ej_paborjat"))
    before = status.copy()
    matrix = context.focus_matrix(status, UNITS, 2024)
    assert list(matrix.index) == ["Bromma", "Älvsjö", "Farsta"]  # the units' order
    assert list(matrix.columns) == ["Introduktion", "Hot och våld"]
    assert matrix.loc["Älvsjö"].tolist() == ["Genomfört", "Ej påbörjat"]
    assert matrix.loc["Bromma"].tolist() == ["Påbörjat", "–"]
    assert matrix.loc["Farsta"].tolist() == ["–", "–"]  # 2023 status is not shown
    pd.testing.assert_frame_equal(status, before)


def test_focus_matrix_without_status_is_empty():
    assert context.focus_matrix(_status((2023, "a", "X", "paborjat")), UNITS, 2024).empty


def test_focus_stalled_sentence_counts_pairs_and_names_the_units():
    status = _status((2024, "a", "X", "ej_paborjat"), (2024, "a", "Y", "ej_paborjat"),
                     (2024, "b", "X", "ej_paborjat"), (2024, "b", "Y", "genomfort"),
                     (2024, "c", "X", "ej_paborjat"), (2024, "c", "Y", "ej_paborjat"))
    assert context.focus_stalled_sentence(status, UNITS, 2024) == (
        "År 2024 var arbetet inte påbörjat i 5 av 6 kombinationer av förvaltning och "
        "fokusområde. Flest ej påbörjade fokusområden hade Farsta och Älvsjö (2 st.).")
    done = _status((2024, "a", "X", "genomfort"))
    assert context.focus_stalled_sentence(done, UNITS, 2024) == (
        "År 2024 hade alla förvaltningar påbörjat arbetet i alla fokusområden.")
    assert context.focus_stalled_sentence(done, UNITS, 2025).startswith("Uppgift saknas")


def _wait(*rows: tuple[str, float | None, bool]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit_name", "value", "suppressed"])


def test_wait_spread_names_shortest_and_longest_and_the_gap():
    by_unit = _wait(("Bromma", 8.5, False), ("Farsta", 20.25, False),
                    ("Kista", 3.0, True), ("Skärholmen", None, False))
    assert context.wait_spread_sentence(by_unit, 2024) == (
        "Bland stadsdelsförvaltningarna var den genomsnittliga väntetiden kortast i Bromma "
        "(8,5\u00a0dagar) och längst i Farsta (20,3\u00a0dagar) år 2024, en skillnad på "
        "11,8\u00a0dagar.")  # the suppressed 3.0 days of Kista is not used
    assert context.wait_spread_sentence(_wait(("Bromma", 8.5, False)), 2024).startswith(
        "Väntetiderna per stadsdelsförvaltning kan inte jämföras")


def test_area_rows_expand_prefixes_and_skip_absent_indicators():
    present = {"survey_response_rate", "survey_ami", "survey_ledarskap", "headcount"}
    rows = context.area_rows("medarbetarenkat", present)
    assert rows[:3] == [("survey_response_rate", "alla"),
                        ("survey_response_rate", "socialsekreterare"),
                        ("survey_response_rate", "bistandshandlaggare")]
    assert rows[3:] == [("survey_ami", "alla"), ("survey_ledarskap", "alla")]
    assert context.area_rows("vantetider", present) == []  # no visits table delivered


def _table(rows: list[tuple[str, int, float | None, bool]]) -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": u, "indicator": "wait_days_mean", "occupation": "alla",
                          "year": y, "value": v, "suppressed": s} for u, y, v, s in rows])


def test_area_figures_and_unit_year_tables():
    indicators = _table([("stockholm", 2022, 20.0, False), ("stockholm", 2023, 18.0, False),
                         ("stockholm", 2024, 17.25, False), ("b", 2023, None, True),
                         ("b", 2024, 9.0, False)])
    figures = context.area_figures_table(indicators, [("wait_days_mean", "alla")],
                                         "stockholm", 2024, 2016)
    assert figures.loc["Väntetid till bokat besök, medelvärde"].tolist() == [
        "17,3\u00a0dagar", "\u22120,8\u00a0dagar", "20,0\u00a0dagar"]
    table = context.unit_year_table(indicators, UNITS.iloc[:2], "wait_days_mean", 2024)
    assert table.loc["Bromma"].tolist() == ["..", "9,0\u00a0dagar"]
    assert table.loc["Älvsjö"].tolist() == ["uppgift saknas", "uppgift saknas"]
