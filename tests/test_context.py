"""Shaping the results for a page: pure functions on hand-made frames."""

from __future__ import annotations

import pandas as pd
import pytest

from uppfoljning import areas, catalog, context, demo_results, labels

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
    assert areas.wait_spread_sentence(by_unit, 2024) == (
        "Bland stadsdelsförvaltningarna var den genomsnittliga väntetiden kortast i Bromma "
        "(8,5\u00a0dagar) och längst i Farsta (20,3\u00a0dagar) år 2024, en skillnad på "
        "11,8\u00a0dagar.")  # the suppressed 3.0 days of Kista is not used
    assert areas.wait_spread_sentence(_wait(("Bromma", 8.5, False)), 2024).startswith(
        "Väntetiderna per stadsdelsförvaltning kan inte jämföras")


def test_area_rows_expand_prefixes_and_skip_absent_indicators():
    present = {"survey_response_rate", "survey_ami", "survey_ledarskap", "headcount"}
    rows = areas.area_rows("medarbetarenkat", present)
    assert rows[:3] == [("survey_response_rate", "alla"),
                        ("survey_response_rate", "socialsekreterare"),
                        ("survey_response_rate", "bistandshandlaggare")]
    assert rows[3:] == [("survey_ami", "alla"), ("survey_ledarskap", "alla")]
    assert areas.area_rows("vantetider", present) == []  # no visits table delivered


def _table(rows: list[tuple[str, int, float | None, bool]]) -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": u, "indicator": "wait_days_mean", "occupation": "alla",
                          "year": y, "value": v, "suppressed": s} for u, y, v, s in rows])


def test_area_figures_and_unit_year_tables():
    indicators = _table([("stockholm", 2022, 20.0, False), ("stockholm", 2023, 18.0, False),
                         ("stockholm", 2024, 17.25, False), ("b", 2023, None, True),
                         ("b", 2024, 9.0, False)])
    figures = areas.area_figures_table(indicators, [("wait_days_mean", "alla")],
                                         "stockholm", 2024, 2016)
    # the change is that of the displayed values: 17,3 − 18,0 = −0,7 (not −0,75 → −0,8)
    assert figures.loc["Väntetid till bokat besök, medelvärde"].tolist() == [
        "17,3\u00a0dagar", "\u22120,7\u00a0dagar", "20,0\u00a0dagar"]
    table = areas.unit_year_table(indicators, UNITS.iloc[:2], "wait_days_mean", 2024)
    assert table.columns.tolist() == ["2024", "2023"]  # the newest year first
    assert table.loc["Bromma"].tolist() == ["9,0\u00a0dagar", ".."]
    assert table.loc["Älvsjö"].tolist() == ["uppgift saknas", "uppgift saknas"]


# ---------------------------------------------------------------------------
# Area chapters, unit pages and the results folder (hand-made frames, answers by hand)

NBSP = "\u00a0"
MINUS = "\u2212"


def _rows(*rows: tuple[str, str, str, int, float | None, bool]) -> pd.DataFrame:
    """unit_id, indicator, occupation, year, value, suppressed -> published rows."""
    return pd.DataFrame([{"edition": 2024, "year": y, "unit_id": u, "unit_name": u,
                          "occupation": o, "indicator": i, "value": v, "suppressed": s}
                         for u, i, o, y, v, s in rows])


def test_lookup_answers_for_the_frame_it_is_given():
    first = _rows(("a", "job_ads", "alla", 2024, 10.0, False))
    second = _rows(("a", "job_ads", "alla", 2024, 20.0, False),
                   ("a", "job_ads", "alla", 2023, None, True))
    assert context.lookup(first, "a", "job_ads", "alla", 2024) == (10.0, False)
    assert context.lookup(second, "a", "job_ads", "alla", 2024) == (20.0, False)
    assert context.lookup(second, "a", "job_ads", "alla", 2023) == (None, True)
    assert context.lookup(first, "a", "job_ads", "alla", 2023) is None  # no row
    assert context.lookup(first, "a", "job_ads", "alla", 2024) == (10.0, False)


def test_first_cell_is_the_first_year_with_a_row():
    table = _rows(("stockholm", "consultants", "alla", 2017, 100.0, False),
                  ("stockholm", "consultants", "alla", 2018, 90.0, False))
    assert areas.first_cell(table, "stockholm", "consultants", "alla", 2016, 2024) == (
        (100.0, False), 2017)
    assert areas.first_cell(table, "b", "consultants", "alla", 2016, 2024) == (None, None)


def test_indicator_glue_keys_with_values_worked_by_hand():
    table = _rows(("stockholm", "consultants", "alla", 2016, 100.0, False),
                  ("stockholm", "consultants", "alla", 2023, 40.0, False),
                  ("stockholm", "consultants", "alla", 2024, 33.0, False),
                  ("stockholm", "consultants", "socialsekreterare", 2024, 3.0, True))
    before = table.copy()
    values = areas.indicator_glue(
        table, [("consultants", ("alla", "socialsekreterare"))], "stockholm", 2024, 2016)
    assert values["consultants_alla"] == "33"
    assert values["consultants_alla_prev"] == "40"
    assert values["consultants_alla_change"] == f"{MINUS}7"
    assert values["consultants_alla_first"] == "100"
    assert values["consultants_alla_first_year"] == "2016"
    assert values["consultants_socialsekreterare"] == ".."
    assert values["consultants_socialsekreterare_prev"] == "uppgift saknas"
    assert values["consultants_socialsekreterare_first_year"] == "uppgift saknas"
    pd.testing.assert_frame_equal(table, before)


def test_declared_indicators_are_the_same_whatever_was_delivered():
    nothing = areas.declared_indicators("medarbetarenkat", set())
    names = [name for name, _ in nothing]
    assert names[0] == "survey_response_rate"
    assert {"survey_ami", "survey_arbetsbelastning", "survey_ledarskap"} <= set(names)
    extra = areas.declared_indicators("medarbetarenkat", {"survey_trygghet"})
    assert ("survey_trygghet", ("alla",)) in extra
    reasons = [n for n, _ in areas.declared_indicators("avslutningssamtal", set())]
    assert "exit_reason_share_lon" in reasons and len(reasons) == 8


def test_consultants_against_the_first_measuring_point():
    table = _rows(("stockholm", "consultants", "alla", 2016, 100.0, False),
                  ("stockholm", "consultants", "alla", 2024, 33.0, False),
                  ("stockholm", "consultant_cost_sek", "alla", 2016, 111_000_000.0, False),
                  ("stockholm", "consultant_cost_sek", "alla", 2024, 39_940_000.0, False))
    assert areas.consultants_sentence(table, 2024, 2016) == (
        "Vid det första mättillfället 2016 hyrde staden 100 socionomkonsulter; vid det "
        f"senaste mättillfället 2024 var de 33 ({MINUS}67). Kostnaden för konsulterna var "
        f"39,9{NBSP}mnkr år 2024, jämfört med 111,0{NBSP}mnkr år 2016.")


def test_wait_spread_ties_and_glue_for_both_years():
    now = _wait(("Farsta", 20.0, False), ("Bromma", 8.0, False), ("Årsta", 8.0, False),
                ("Kista", 30.0, True))
    spread = areas.wait_spread(now, 2024)
    # both units sharing the shortest wait are named; Kista's suppressed 30 days are not used
    assert (spread.shortest, spread.longest, spread.difference) == (
        "Bromma och Årsta", "Farsta", 12.0)
    before = _wait(("Farsta", 9.5, False))
    values = areas.wait_spread_glue(now, before, 2024)
    assert values["wait_shortest"] == f"8,0{NBSP}dagar"
    assert values["wait_shortest_unit"] == "Bromma och Årsta"
    assert values["wait_longest_unit"] == "Farsta"
    assert values["wait_difference"] == f"12,0{NBSP}dagar"
    assert values["wait_difference_prev"] == "uppgift saknas"  # one district only in 2023
    assert values["wait_spread_prev"].startswith("Väntetiderna per stadsdelsförvaltning")


def test_wait_table_has_mean_and_median_for_both_years():
    table = _rows(("a", "wait_days_mean", "alla", 2023, 10.25, False),
                  ("a", "wait_days_mean", "alla", 2024, 12.0, False),
                  ("a", "wait_days_median", "alla", 2024, None, True))
    frame = areas.wait_table(table, UNITS[UNITS["unit_id"] == "a"], 2024)
    assert frame.columns.tolist() == ["Medelvärde 2024", "Medelvärde 2023", "Median 2024",
                                      "Median 2023"]  # each measure's newest year first
    assert frame.loc["Älvsjö"].tolist() == [f"12,0{NBSP}dagar", f"10,3{NBSP}dagar", "..",
                                            "uppgift saknas"]


def test_two_year_frames():
    table = _rows(("stockholm", "job_ads", "socialsekreterare", 2023, 300.0, False),
                  ("stockholm", "job_ads", "socialsekreterare", 2024, 350.0, False),
                  ("stockholm", "job_ads", "bistandshandlaggare", 2024, 4.0, True),
                  ("b", "cases_per_worker", "alla", 2024, 41.5, False),
                  ("a", "cases_per_worker", "alla", 2023, 39.0, False))
    frame = areas.two_years_frame(
        table, [("Socialsekreterare", "job_ads", "socialsekreterare"),
                ("Biståndshandläggare", "job_ads", "bistandshandlaggare")], "stockholm", 2024)
    assert frame.to_dict("records") == [
        {"category": "Socialsekreterare", "year": 2023, "value": 300.0, "suppressed": False},
        {"category": "Socialsekreterare", "year": 2024, "value": 350.0, "suppressed": False},
        {"category": "Biståndshandläggare", "year": 2024, "value": 4.0, "suppressed": True}]
    by_unit = areas.units_two_years(table, UNITS, "cases_per_worker", 2024)
    assert sorted(zip(by_unit["category"], by_unit["year"], by_unit["value"],
                      strict=True)) == [("Bromma", 2024, 41.5), ("Älvsjö", 2023, 39.0)]


def test_area_detail_kinds():
    table = _rows(("stockholm", "survey_ami", "alla", 2024, 78.0, False),
                  ("stockholm", "survey_ledarskap", "alla", 2024, 70.0, False),
                  ("stockholm", "survey_response_rate", "alla", 2024, 0.7, False))
    units = UNITS.assign(kind=["stadsdelsforvaltning", "stadsdelsforvaltning",
                               "fackforvaltning"])
    survey = areas.area_detail("medarbetarenkat", table, units, 2024)
    assert survey.kind == "two_years" and survey.noun == "index"
    assert survey.data["category"].tolist() == ["Aktivt medskapandeindex (AMI)", "Ledarskap"]
    assert areas.area_detail("konsulter", table, units, 2024).indicator == (
        "consultant_cost_sek")
    waits = areas.area_detail("vantetider", table, units, 2024)
    assert waits.noun == "stadsdelsförvaltningar" and waits.data.empty
    assert areas.area_detail("no-such-area", table, units, 2024) is None


def test_occupation_trend_table_drops_rows_without_data():
    table = _rows(("a", "turnover_rate", "socialsekreterare", 2023, 0.125, False),
                  ("a", "turnover_rate", "socialsekreterare", 2024, None, True),
                  ("a", "job_ads", "bistandshandlaggare", 2024, 12.0, False))
    frame = context.occupation_trend_table(table, "a", context.UNIT_TREND_ROWS, 2023, 2024)
    assert frame.columns.name == "Mått och yrkesgrupp"
    assert frame.columns.tolist() == ["2024", "2023"]  # the newest year first
    assert frame.loc["Personalrörlighet, socialsekreterare"].tolist() == ["..", f"12,5{NBSP}%"]
    assert frame.loc["Publicerade platsannonser, biståndshandläggare"].tolist() == [
        "12", "uppgift saknas"]
    assert len(frame) == 2
    assert context.occupation_trend_table(table, "zz", context.UNIT_TREND_ROWS, 2023,
                                          2024).empty


def test_focus_stalled_by_year_counts_pairs():
    status = _status((2023, "a", "X", "ej_paborjat"), (2023, "b", "X", "paborjat"),
                     (2024, "a", "X", "genomfort"), (2024, "b", "X", "ej_paborjat"),
                     (2024, "gone", "X", "ej_paborjat"), (2025, "a", "X", "ej_paborjat"))
    frame = context.focus_stalled_by_year(status, UNITS, 2024)
    assert frame.index.tolist() == ["2023", "2024"]  # 2025 is after the edition
    assert frame.loc["2024"].tolist() == ["1", "2"]  # "gone" is no unit of the edition
    assert context.focus_stalled_by_year(status.iloc[:0], UNITS, 2024).empty


def _results_folder(tmp_path, indicators: pd.DataFrame):
    units = pd.DataFrame({"unit_id": ["a", "b"], "name": ["Älvsjö", "Bromma"],
                          "kind": ["stadsdelsforvaltning", "stadsdelsforvaltning"],
                          "region": ["", ""], "reorganisation_note": ["", ""]})
    meta = context.EditionMeta(edition=2024, first_year=2022, min_n=5, title="T",
                               synthetic=True, built_at="", code_version="")
    focus = pd.DataFrame(columns=["year", "unit_id", "area_id", "area_name", "status",
                                  "note"])
    return context.write_results(tmp_path / "results", indicators=indicators, units=units,
                                 focus_status=focus, meta=meta)


def test_area_without_its_table_says_uppgift_saknas(tmp_path):
    """No visits delivered: the chapter renders with "uppgift saknas", keys still glued."""
    from uppfoljning import charts

    folder = _results_folder(tmp_path, _rows(
        ("stockholm", "turnover_rate", "alla", 2024, 0.1, False)))
    ctx = areas.for_area("vantetider", 2024, folder)
    assert ctx.glue_values["area_main"].startswith("Uppgift saknas")
    assert ctx.glue_values["area_extra"] == ""
    for key in ("main_value", "main_change", "wait_days_mean_alla", "wait_days_median_alla",
                "wait_shortest_unit", "wait_difference", "wait_difference_prev"):
        assert ctx.glue_values[key] == "uppgift saknas", key
    assert ctx.figures.empty and ctx.unit_table.empty
    assert isinstance(charts.plot_indicator_trend(ctx.trend, ctx.main_indicator, "X", 2022,
                                                  2024, "x.csv"), charts.NoData)
    assert isinstance(charts.plot_unit_comparison(ctx.by_unit, ctx.main_indicator, 2024,
                                                  ctx.city_value, "x.csv"), charts.NoData)
    assert isinstance(charts.plot_detail(ctx.detail, "X", 2022, 2024, "x.csv"), charts.NoData)


def test_area_context_main_figures(tmp_path):
    folder = _results_folder(tmp_path, _rows(
        ("stockholm", "wait_days_mean", "alla", 2023, 17.2, False),
        ("stockholm", "wait_days_mean", "alla", 2024, 17.25, False),
        ("a", "wait_days_mean", "alla", 2024, 7.1, False),
        ("b", "wait_days_mean", "alla", 2024, 42.6, False)))
    ctx = areas.for_area("vantetider", 2024, folder)
    assert ctx.glue_values["main_value"] == f"17,3{NBSP}dagar"
    assert ctx.glue_values["main_change"] == f"+0,1{NBSP}dagar"
    assert ctx.glue_values["wait_difference"] == f"35,5{NBSP}dagar"
    assert ctx.glue_values["area_extra"] == ctx.glue_values["wait_spread"]
    assert ctx.city_value == 17.25
    assert sorted(ctx.by_unit["unit_name"]) == ["Bromma", "Älvsjö"]


# ---------------------------------------------------------------------------
# Stalled focus areas with their comments; plausibility notes where a figure is shown


def test_focus_stalled_table_lists_stalled_pairs_with_their_comments():
    status = pd.DataFrame([
        (2024, "a", "Introduktion", "genomfort", "Klart."),
        (2024, "c", "Hot och våld", "ej_paborjat", "Planeras till hösten."),
        (2024, "b", "Introduktion", "ej_paborjat", ""),
        (2024, "c", "Introduktion", "ej_paborjat", "Väntar på ny chef."),
        (2023, "a", "Introduktion", "ej_paborjat", "Förra året."),
        (2024, "gone", "Introduktion", "ej_paborjat", "Inte i utgåvan."),
    ], columns=["year", "unit_id", "area_name", "status", "note"])
    before = status.copy()
    table = context.focus_stalled_table(status, UNITS, 2024)
    pd.testing.assert_frame_equal(status, before)
    assert table.columns.name == "Förvaltning"
    # units in the edition's order (Bromma, Älvsjö, Farsta), areas as first seen that year
    assert table.index.tolist() == ["Bromma", "Farsta", "Farsta"]
    assert table.values.tolist() == [["Introduktion", "uppgift saknas"],
                                     ["Introduktion", "Väntar på ny chef."],
                                     ["Hot och våld", "Planeras till hösten."]]
    assert context.focus_stalled_table(status[status["status"] != "ej_paborjat"], UNITS,
                                       2024).empty


def test_focus_chapter_shows_the_stalled_comments(tmp_path):
    folder = _results_folder(tmp_path, _rows(("a", "turnover_rate", "alla", 2024, 0.1, False)))
    pd.DataFrame([(2024, "a", "x", "Introduktion", "ej_paborjat", "Planeras."),
                  (2024, "b", "x", "Introduktion", "genomfort", "Klart.")],
                 columns=["year", "unit_id", "area_id", "area_name", "status", "note"]
                 ).to_csv(folder / context.FOCUS_FILE, index=False)
    ctx = context.for_focus_areas(2024, folder)
    assert ctx.stalled.values.tolist() == [["Introduktion", "Planeras."]]
    assert ctx.glue_values["focus_stalled_comments"].startswith("Varje fokusområde")
    html = context.formatting.split_table(ctx.matrix, ctx.matrix_columns,
                                          highlight=ctx.highlight).to_html()
    assert "<strong>Ej påbörjat</strong>" in html


WARNINGS = pd.DataFrame({
    "check_name": ["Antal fördubblas eller halveras inte på ett år",
                   "Antal fördubblas eller halveras inte på ett år",
                   "Personalrörligheten är högst 100 procent"],
    "unit_id": ["a", "a", "b"], "indicator": ["incidents", "job_ads", "turnover_rate"],
    "occupation": ["alla", "socialsekreterare", "alla"],
    "previous_year": pd.array([2023, 2017, None], dtype="Int64"),
    "year": pd.array([2024, 2018, 2024], dtype="Int64")})


def test_plausibility_notes_name_unit_years_values_and_check():
    table = _rows(("a", "incidents", "alla", 2023, 45.0, False),
                  ("a", "incidents", "alla", 2024, 20.0, False),
                  ("a", "job_ads", "socialsekreterare", 2017, 3.0, True),
                  ("a", "job_ads", "socialsekreterare", 2018, 12.0, False),
                  ("b", "turnover_rate", "alla", 2024, 1.04, False))
    # the page shows a's incidents per 100 (made from the count) and b's turnover
    shown = {("a", "incidents_per_100", "alla", 2024), ("b", "turnover_rate", "alla", 2024)}
    notes = context.plausibility_notes(WARNINGS, table, UNITS, shown)
    # unreviewed (a draft): the open question, with the check that warned
    assert notes == [
        "Älvsjö, rapporterade hot och våld (båda yrkesgrupperna): 45 år 2023 och 20 år "
        "2024. Rimlighetskontrollen av resultaten varnade (regeln: ”Antal fördubblas "
        "eller halveras inte på ett år”); uppgiften är ännu inte granskad.",
        f"Bromma, personalrörlighet (båda yrkesgrupperna) år 2024: 104,0{NBSP}%. "
        "Rimlighetskontrollen av resultaten varnade (regeln: ”Personalrörligheten är "
        "högst 100 procent”); uppgiften är ännu inte granskad."]
    assert not any("försiktighet" in note for note in notes)
    # reviewed: the figure and the analyst's outcome, by the warning's key
    reviewed = context.with_outcomes(WARNINGS, {
        "a/incidents/alla/2023-2024": "Kontrollerat med Älvsjö: ny rutin, uppgiften stämmer.",
        "b/turnover_rate/alla/2024": "Kontrollerat: en omorganisation, uppgiften stämmer."})
    assert context.plausibility_notes(reviewed, table, UNITS, shown) == [
        "Älvsjö, rapporterade hot och våld (båda yrkesgrupperna): 45 år 2023 och 20 år "
        "2024. Kontrollerat med Älvsjö: ny rutin, uppgiften stämmer.",
        f"Bromma, personalrörlighet (båda yrkesgrupperna) år 2024: 104,0{NBSP}%. "
        "Kontrollerat: en omorganisation, uppgiften stämmer."]
    assert reviewed["outcome"].tolist()[1] == ""  # job_ads 2017-2018 has none
    # a page that does not show the figures gets no note; a hidden value reads ".."
    assert context.plausibility_notes(WARNINGS, table, UNITS, set()) == []
    job_ads = context.plausibility_notes(WARNINGS, table, UNITS,
                                         {("a", "job_ads", "socialsekreterare", 2018)})
    assert job_ads and ": .. år 2017 och 12 år 2018." in job_ads[0]


def test_warnings_reach_the_pages_that_show_the_figures(tmp_path):
    folder = _results_folder(tmp_path, _rows(
        ("stockholm", "incidents_per_100", "alla", 2024, 11.0, False),
        ("stockholm", "incidents", "alla", 2024, 300.0, False),
        ("a", "incidents_per_100", "alla", 2023, 24.1, False),
        ("a", "incidents_per_100", "alla", 2024, 11.6, False),
        ("a", "incidents", "alla", 2023, 45.0, False),
        ("a", "incidents", "alla", 2024, 20.0, False),
        ("a", "job_ads", "socialsekreterare", 2017, 3.0, False),
        ("a", "job_ads", "socialsekreterare", 2018, 12.0, False)))
    assert areas.for_area("hot-och-vald", 2024, folder).plausibility_notes == ()  # no file
    context.write_plausibility_warnings(folder, WARNINGS)
    assert context.read_plausibility_warnings(folder)["previous_year"].tolist()[:2] == [
        2023, 2017]
    violence = areas.for_area("hot-och-vald", 2024, folder).plausibility_notes
    assert len(violence) == 1 and violence[0].startswith("Älvsjö, rapporterade hot och våld")
    assert areas.for_area("rekrytering", 2024, folder).plausibility_notes == ()  # 2018
    unit = context.for_unit("a", 2024, folder).plausibility_notes
    # the key figure (incidents per 100, 2024) and the year table (job ads from 2022:
    # 2017-2018 is before the edition's first year, so not on the page)
    assert len(unit) == 1 and "hot och våld" in unit[0]
    other = context.for_unit("b", 2024, folder).plausibility_notes  # its turnover chart
    assert len(other) == 1 and other[0].startswith("Bromma, personalrörlighet")


def test_page_contexts_read_only_the_folder_they_are_given(tmp_path):
    assert demo_results.results_folder(str(tmp_path), 2024) == str(tmp_path)
    with pytest.raises(ValueError, match="no results folder"):
        context.open_results("", 2024)


def test_every_area_is_described_with_known_indicators_and_words():
    assert list(areas.AREA_SPECS) == list(labels.AREAS)
    for area in areas.AREA_SPECS.values():
        for indicator, occupations in area.indicators:
            assert indicator in catalog.FAMILIES or catalog.find(indicator) is not None
            assert occupations
        detail = area.detail
        assert detail.compare in (areas.TREND, areas.BY_UNIT, areas.BY_OCCUPATION,
                                  areas.BY_MEMBER)
        if detail.compare == areas.BY_MEMBER:
            assert detail.family in catalog.FAMILIES and detail.measure and detail.noun
        else:
            assert catalog.find(detail.indicator) is not None
