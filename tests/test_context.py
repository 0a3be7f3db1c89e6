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
