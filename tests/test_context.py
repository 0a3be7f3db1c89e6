"""Shaping the results for a page: pure functions on hand-made frames."""

from __future__ import annotations

import pandas as pd
import pytest

from uppfoljning import areas, catalog, context, demo_results, labels

UNITS = pd.DataFrame({"unit_id": ["b", "a", "c"], "name": ["Bromma", "Älvsjö", "Farsta"]})


def _status(*rows: tuple[int, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["year", "unit_id", "area_name", "status"])


def test_focus_matrix_has_every_unit_and_marks_missing_status():
    status = _status(
        (2024, "a", "Introduktion", "genomfort"),
        (2024, "a", "Hot och våld", "ej_paborjat"),
        (2024, "b", "Introduktion", "paborjat"),
        (2023, "c", "Introduktion", "ej_paborjat"),
    )
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


def test_focus_stalled_sentence_counts_stalled_and_not_begun_pairs_per_unit():
    status = _status(
        (2024, "a", "X", "avstannat"),
        (2024, "a", "Y", "avstannat"),
        (2024, "b", "X", "avstannat"),
        (2024, "b", "Y", "genomfort"),
        (2024, "c", "X", "avstannat"),
        (2024, "c", "Y", "ej_paborjat"),
        (2023, "c", "Y", "avstannat"),
    )
    before = status.copy()
    # 4 stalled of 6: Älvsjö 2, then Bromma and Farsta 1 each (units' order); 1 not begun
    assert context.focus_stalled_sentence(status, UNITS, 2024) == (
        "År 2024 hade arbetet stannat av i 4 av 6 bedömda kombinationer av förvaltning och "
        "fokusområde: två i Älvsjö och en vardera i Bromma och Farsta. Arbetet hade inte "
        "påbörjats i en kombination: en i Farsta."
    )
    pd.testing.assert_frame_equal(status, before)


def test_focus_stalled_sentence_never_says_all_begun_while_work_has_stalled():
    stalled = _status(
        (2024, "a", "X", "avstannat"), (2024, "a", "Y", "paborjat"), (2024, "b", "X", "genomfort")
    )
    text = context.focus_stalled_sentence(stalled, UNITS, 2024)
    assert text == (
        "År 2024 hade arbetet stannat av i 1 av 3 bedömda kombinationer av "
        "förvaltning och fokusområde: en i Älvsjö. I de övriga 2 var arbetet "
        "påbörjat eller genomfört."
    )
    assert "alla" not in text
    not_begun = _status(
        (2024, "a", "X", "ej_paborjat"),
        (2024, "b", "X", "ej_paborjat"),
        (2024, "c", "X", "paborjat"),
    )
    assert context.focus_stalled_sentence(not_begun, UNITS, 2024) == (
        "År 2024 hade arbetet inte påbörjats i 2 av 3 bedömda kombinationer av förvaltning "
        "och fokusområde: en vardera i Bromma och Älvsjö. Ingen bedömning angav att arbetet "
        "hade stannat av."
    )
    done = _status((2024, "a", "X", "genomfort"), (2024, "b", "X", "paborjat"))
    assert context.focus_stalled_sentence(done, UNITS, 2024) == (
        "År 2024 var arbetet påbörjat eller genomfört i alla 2 bedömda kombinationer av "
        "förvaltning och fokusområde, och ingen bedömning angav att arbetet hade stannat av."
    )
    assert context.focus_stalled_sentence(done, UNITS, 2025).startswith("Uppgift saknas")


def _planned(*rows: tuple[int, str, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["year", "unit_id", "area_name", "status", "plan_version"])


def test_an_area_added_to_the_plan_later_is_not_counted_as_not_begun_before_it_existed():
    status = _planned(
        (2018, "a", "Gammalt", "paborjat", "2016"),
        (2018, "a", "Nytt", "ej_paborjat", "2019"),  # not yet in the plan
        (2019, "a", "Gammalt", "paborjat", "2016"),
        (2019, "a", "Nytt", "ej_paborjat", "2019"),
        (2019, "b", "Nytt", "avstannat", ""),
    )  # no version: counted
    frame = context.focus_stalled_by_year(status, UNITS, 2019)
    # År | Avstannat | Ej påbörjat | Bedömda
    assert frame.loc["2018"].tolist() == ["0", "0", "1"]
    assert frame.loc["2019"].tolist() == ["1", "1", "3"]
    assert context.focus_stalled_sentence(status, UNITS, 2018) == (
        "År 2018 var arbetet påbörjat eller genomfört i alla 1 bedömda kombinationer av "
        "förvaltning och fokusområde, och ingen bedömning angav att arbetet hade stannat av."
    )
    matrix = context.focus_matrix(status, UNITS, 2018)
    assert matrix.loc["Älvsjö"].tolist() == ["Påbörjat", "–"]
    assert context.focus_not_begun_table(status, UNITS, 2018).empty
    assert context.focus_table(status.assign(note=""), "a", 2018)["Status"].tolist() == [
        "Påbörjat",
        "Ingick inte i handlingsplanen",
    ]


def test_focus_stalled_by_area_counts_units_per_area_and_year_newest_first():
    status = _planned(
        (2022, "a", "X", "paborjat", "2016"),
        (2023, "a", "X", "avstannat", "2016"),
        (2023, "b", "X", "avstannat", "2016"),
        (2023, "a", "Y", "ej_paborjat", "2024"),  # before the plan had Y
        (2024, "a", "X", "paborjat", "2016"),
        (2024, "b", "X", "avstannat", "2016"),
        (2024, "a", "Y", "avstannat", "2024"),
        (2024, "gone", "Y", "avstannat", "2024"),
    )
    table = context.focus_stalled_by_area(status, UNITS, 2024)
    assert table.columns.tolist() == ["2024", "2023"]  # from the first stalled year
    assert table.loc["X"].tolist() == ["1", "2"]
    assert table.loc["Y"].tolist() == ["1", "–"]  # Y was not in the plan in 2023
    assert context.focus_stalled_by_area(status[status["status"] != "avstannat"], UNITS, 2024).empty


def test_focus_stalled_glue_for_the_start_page():
    status = _status(
        (2023, "a", "X", "avstannat"),
        (2023, "a", "Y", "paborjat"),
        (2024, "a", "X", "avstannat"),
        (2024, "b", "X", "avstannat"),
        (2024, "b", "Y", "avstannat"),
        (2024, "c", "X", "genomfort"),
    )
    glue = context.focus_stalled_glue(status, UNITS, 2024)
    assert glue == {
        "focus_stalled_value": "3 av 4",
        "focus_stalled_where": "Flest i Bromma (två).",
        "focus_stalled_prev": "1 av 2",
    }
    assert context.focus_stalled_glue(status, UNITS, 2023)["focus_stalled_prev"] == (
        "uppgift saknas"
    )


def test_unit_focus_sentence_says_the_status_in_words():
    status = _status(
        (2024, "a", "X", "avstannat"),
        (2024, "a", "Y", "avstannat"),
        (2024, "a", "Z", "ej_paborjat"),
        (2024, "b", "X", "genomfort"),
        (2024, "c", "X", "ej_paborjat"),
    )
    assert context.unit_focus_sentence(status, "a", 2024) == (
        "År 2024 hade arbetet stannat av i två fokusområden: X och Y. Arbetet hade inte "
        "påbörjats i fokusområdet Z."
    )
    assert context.unit_focus_sentence(status, "b", 2024) == (
        "År 2024 var arbetet påbörjat eller genomfört i alla fokusområden, och inget hade "
        "stannat av."
    )
    assert context.unit_focus_sentence(status, "c", 2024) == (
        "År 2024 hade arbetet inte påbörjats i fokusområdet X."
    )
    assert context.unit_focus_sentence(status, "c", 2023) == (
        "Inga uppgifter om fokusområden för 2023."
    )


def _wait(*rows: tuple[str, float | None, bool]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit_name", "value", "suppressed"])


def test_wait_spread_names_shortest_and_longest_and_the_gap():
    by_unit = _wait(
        ("Bromma", 8.5, False),
        ("Farsta", 20.25, False),
        ("Kista", 3.0, True),
        ("Skärholmen", None, False),
    )
    assert areas.wait_spread_sentence(by_unit, 2024) == (
        "Bland stadsdelsförvaltningarna var den genomsnittliga väntetiden kortast i Bromma "
        "(8,5\u00a0dagar) och längst i Farsta (20,3\u00a0dagar) år 2024, en skillnad på "
        "11,8\u00a0dagar."
    )  # the suppressed 3.0 days of Kista is not used
    assert areas.wait_spread_sentence(_wait(("Bromma", 8.5, False)), 2024).startswith(
        "Väntetiderna per stadsdelsförvaltning kan inte jämföras"
    )


def test_area_rows_expand_prefixes_and_skip_absent_indicators():
    present = {"survey_response_rate", "survey_ami", "survey_ledarskap", "headcount"}
    rows = areas.area_rows("medarbetarenkat", present)
    assert rows[:3] == [
        ("survey_response_rate", "alla"),
        ("survey_response_rate", "socialsekreterare"),
        ("survey_response_rate", "bistandshandlaggare"),
    ]
    assert rows[3:] == [("survey_ami", "alla"), ("survey_ledarskap", "alla")]
    assert areas.area_rows("vantetider", present) == []  # no visits table delivered


def _table(rows: list[tuple[str, int, float | None, bool]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "unit_id": u,
                "indicator": "wait_days_mean",
                "occupation": "alla",
                "year": y,
                "value": v,
                "suppressed": s,
            }
            for u, y, v, s in rows
        ]
    )


def test_area_figures_and_unit_year_tables():
    indicators = _table(
        [
            ("stockholm", 2022, 20.0, False),
            ("stockholm", 2023, 18.0, False),
            ("stockholm", 2024, 17.25, False),
            ("b", 2023, None, True),
            ("b", 2024, 9.0, False),
        ]
    )
    figures = areas.area_figures_table(
        indicators, [("wait_days_mean", "alla")], "stockholm", 2024, 2016
    )
    # the change is that of the displayed values: 17,3 − 18,0 = −0,7 (not −0,75 → −0,8)
    assert figures.loc["Väntetid till bokat besök, medelvärde"].tolist() == [
        "17,3\u00a0dagar",
        "\u22120,7\u00a0dagar",
        "20,0\u00a0dagar",
    ]
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
    return pd.DataFrame(
        [
            {
                "edition": 2024,
                "year": y,
                "unit_id": u,
                "unit_name": u,
                "occupation": o,
                "indicator": i,
                "value": v,
                "suppressed": s,
            }
            for u, i, o, y, v, s in rows
        ]
    )


def test_lookup_answers_for_the_frame_it_is_given():
    first = _rows(("a", "job_ads", "alla", 2024, 10.0, False))
    second = _rows(
        ("a", "job_ads", "alla", 2024, 20.0, False), ("a", "job_ads", "alla", 2023, None, True)
    )
    assert context.lookup(first, "a", "job_ads", "alla", 2024) == (10.0, False)
    assert context.lookup(second, "a", "job_ads", "alla", 2024) == (20.0, False)
    assert context.lookup(second, "a", "job_ads", "alla", 2023) == (None, True)
    assert context.lookup(first, "a", "job_ads", "alla", 2023) is None  # no row
    assert context.lookup(first, "a", "job_ads", "alla", 2024) == (10.0, False)


def test_first_cell_is_the_first_year_with_a_row():
    table = _rows(
        ("stockholm", "consultants", "alla", 2017, 100.0, False),
        ("stockholm", "consultants", "alla", 2018, 90.0, False),
    )
    assert areas.first_cell(table, "stockholm", "consultants", "alla", 2016, 2024) == (
        (100.0, False),
        2017,
    )
    assert areas.first_cell(table, "b", "consultants", "alla", 2016, 2024) == (None, None)


def test_indicator_glue_keys_with_values_worked_by_hand():
    table = _rows(
        ("stockholm", "consultants", "alla", 2016, 100.0, False),
        ("stockholm", "consultants", "alla", 2023, 40.0, False),
        ("stockholm", "consultants", "alla", 2024, 33.0, False),
        ("stockholm", "consultants", "socialsekreterare", 2024, 3.0, True),
    )
    before = table.copy()
    values = areas.indicator_glue(
        table, [("consultants", ("alla", "socialsekreterare"))], "stockholm", 2024, 2016
    )
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
    table = _rows(
        ("stockholm", "consultants", "alla", 2016, 100.0, False),
        ("stockholm", "consultants", "alla", 2024, 33.0, False),
        ("stockholm", "consultant_cost_sek", "alla", 2016, 111_000_000.0, False),
        ("stockholm", "consultant_cost_sek", "alla", 2024, 39_940_000.0, False),
    )
    assert areas.consultants_sentence(table, 2024, 2016) == (
        "Vid det första mättillfället 2016 hyrde staden 100 socionomkonsulter, och "
        f"förändringen fram till 2024 är {MINUS}67. Kostnaden för konsulterna var "
        f"39,9{NBSP}mnkr år 2024, jämfört med 111,0{NBSP}mnkr år 2016."
    )


def test_wait_spread_ties_and_glue_for_both_years():
    now = _wait(
        ("Farsta", 20.0, False),
        ("Bromma", 8.0, False),
        ("Årsta", 8.0, False),
        ("Kista", 30.0, True),
    )
    spread = areas.wait_spread(now, 2024)
    # both units sharing the shortest wait are named; Kista's suppressed 30 days are not used
    assert (spread.shortest, spread.longest, spread.difference) == (
        "Bromma och Årsta",
        "Farsta",
        12.0,
    )
    before = _wait(("Farsta", 9.5, False))
    values = areas.wait_spread_glue(now, before, 2024)
    assert values["wait_shortest"] == f"8,0{NBSP}dagar"
    assert values["wait_shortest_unit"] == "Bromma och Årsta"
    assert values["wait_longest_unit"] == "Farsta"
    assert values["wait_difference"] == f"12,0{NBSP}dagar"
    assert values["wait_difference_prev"] == "uppgift saknas"  # one district only in 2023
    assert values["wait_spread_prev"].startswith("Väntetiderna per stadsdelsförvaltning")


def test_wait_table_has_mean_and_median_for_both_years():
    table = _rows(
        ("a", "wait_days_mean", "alla", 2023, 10.25, False),
        ("a", "wait_days_mean", "alla", 2024, 12.0, False),
        ("a", "wait_days_median", "alla", 2024, None, True),
    )
    frame = areas.wait_table(table, UNITS[UNITS["unit_id"] == "a"], 2024)
    assert frame.columns.tolist() == [
        "Medelvärde 2024",
        "Medelvärde 2023",
        "Median 2024",
        "Median 2023",
    ]  # each measure's newest year first
    assert frame.loc["Älvsjö"].tolist() == [
        f"12,0{NBSP}dagar",
        f"10,3{NBSP}dagar",
        "..",
        "uppgift saknas",
    ]


def test_two_year_frames():
    table = _rows(
        ("stockholm", "job_ads", "socialsekreterare", 2023, 300.0, False),
        ("stockholm", "job_ads", "socialsekreterare", 2024, 350.0, False),
        ("stockholm", "job_ads", "bistandshandlaggare", 2024, 4.0, True),
        ("b", "cases_per_worker", "alla", 2024, 41.5, False),
        ("a", "cases_per_worker", "alla", 2023, 39.0, False),
    )
    frame = areas.two_years_frame(
        table,
        [
            ("Socialsekreterare", "job_ads", "socialsekreterare"),
            ("Biståndshandläggare", "job_ads", "bistandshandlaggare"),
        ],
        "stockholm",
        2024,
    )
    assert frame.to_dict("records") == [
        {"category": "Socialsekreterare", "year": 2023, "value": 300.0, "suppressed": False},
        {"category": "Socialsekreterare", "year": 2024, "value": 350.0, "suppressed": False},
        {"category": "Biståndshandläggare", "year": 2024, "value": 4.0, "suppressed": True},
    ]
    by_unit = areas.units_two_years(table, UNITS, "cases_per_worker", 2024)
    assert sorted(zip(by_unit["category"], by_unit["year"], by_unit["value"], strict=True)) == [
        ("Bromma", 2024, 41.5),
        ("Älvsjö", 2023, 39.0),
    ]


def test_area_detail_kinds():
    table = _rows(
        ("stockholm", "survey_ami", "alla", 2024, 78.0, False),
        ("stockholm", "survey_ledarskap", "alla", 2024, 70.0, False),
        ("stockholm", "survey_response_rate", "alla", 2024, 0.7, False),
    )
    units = UNITS.assign(kind=["stadsdelsforvaltning", "stadsdelsforvaltning", "fackforvaltning"])
    survey = areas.area_detail("medarbetarenkat", table, units, 2024)
    assert survey.kind == "two_years" and survey.noun == "index"
    assert survey.data["category"].tolist() == ["Aktivt medskapandeindex (AMI)", "Ledarskap"]
    assert areas.area_detail("konsulter", table, units, 2024).indicator == ("consultant_cost_sek")
    waits = areas.area_detail("vantetider", table, units, 2024)
    assert waits.noun == "stadsdelsförvaltningar" and waits.data.empty
    assert areas.area_detail("no-such-area", table, units, 2024) is None


def test_occupation_trend_table_drops_rows_without_data():
    table = _rows(
        ("a", "turnover_rate", "socialsekreterare", 2023, 0.125, False),
        ("a", "turnover_rate", "socialsekreterare", 2024, None, True),
        ("a", "job_ads", "bistandshandlaggare", 2024, 12.0, False),
    )
    frame = context.occupation_trend_table(table, "a", context.UNIT_TREND_ROWS, 2023, 2024)
    assert frame.columns.name == "Mått och yrkesgrupp"
    assert frame.columns.tolist() == ["2024", "2023"]  # the newest year first
    assert frame.loc["Personalrörlighet, socialsekreterare"].tolist() == ["..", f"12,5{NBSP}%"]
    assert frame.loc["Publicerade platsannonser, biståndshandläggare"].tolist() == [
        "12",
        "uppgift saknas",
    ]
    assert len(frame) == 2
    assert context.occupation_trend_table(table, "zz", context.UNIT_TREND_ROWS, 2023, 2024).empty


def test_focus_stalled_by_year_counts_pairs():
    status = _status(
        (2023, "a", "X", "ej_paborjat"),
        (2023, "b", "X", "avstannat"),
        (2024, "a", "X", "genomfort"),
        (2024, "b", "X", "ej_paborjat"),
        (2024, "gone", "X", "ej_paborjat"),
        (2025, "a", "X", "ej_paborjat"),
    )
    frame = context.focus_stalled_by_year(status, UNITS, 2024)
    assert frame.index.tolist() == ["2023", "2024"]  # 2025 is after the edition
    assert frame.loc["2023"].tolist() == ["1", "1", "2"]  # avstannat, ej påbörjat, all
    assert frame.loc["2024"].tolist() == ["0", "1", "2"]  # "gone" is no unit of the edition
    assert context.focus_stalled_by_year(status.iloc[:0], UNITS, 2024).empty


def _results_folder(tmp_path, indicators: pd.DataFrame):
    units = pd.DataFrame(
        {
            "unit_id": ["a", "b"],
            "name": ["Älvsjö", "Bromma"],
            "kind": ["stadsdelsforvaltning", "stadsdelsforvaltning"],
            "region": ["", ""],
            "reorganisation_note": ["", ""],
        }
    )
    meta = context.EditionMeta(
        edition=2024,
        first_year=2022,
        min_n=5,
        title="T",
        synthetic=True,
        built_at="",
        code_version="",
    )
    focus = pd.DataFrame(columns=["year", "unit_id", "area_id", "area_name", "status", "note"])
    return context.write_results(
        tmp_path / "results", indicators=indicators, units=units, focus_status=focus, meta=meta
    )


def test_area_without_its_table_says_uppgift_saknas(tmp_path):
    """No visits delivered: the chapter renders with "uppgift saknas", keys still glued."""
    from uppfoljning import charts

    folder = _results_folder(
        tmp_path, _rows(("stockholm", "turnover_rate", "alla", 2024, 0.1, False))
    )
    ctx = areas.for_area("vantetider", 2024, folder)
    assert ctx.glue_values["area_main"].startswith("Uppgift saknas")
    assert ctx.glue_values["area_extra"] == ""
    for key in (
        "main_value",
        "main_change",
        "wait_days_mean_alla",
        "wait_days_median_alla",
        "wait_shortest_unit",
        "wait_difference",
        "wait_difference_prev",
    ):
        assert ctx.glue_values[key] == "uppgift saknas", key
    assert ctx.figures.empty and ctx.unit_table.empty
    assert isinstance(
        charts.plot_indicator_trend(ctx.trend, ctx.main_indicator, "X", 2022, 2024, "x.csv"),
        charts.NoData,
    )
    assert isinstance(
        charts.plot_unit_comparison(ctx.by_unit, ctx.main_indicator, 2024, ctx.city_value, "x.csv"),
        charts.NoData,
    )
    assert isinstance(charts.plot_detail(ctx.detail, "X", 2022, 2024, "x.csv"), charts.NoData)


def test_area_context_main_figures(tmp_path):
    folder = _results_folder(
        tmp_path,
        _rows(
            ("stockholm", "wait_days_mean", "alla", 2023, 17.2, False),
            ("stockholm", "wait_days_mean", "alla", 2024, 17.25, False),
            ("a", "wait_days_mean", "alla", 2024, 7.1, False),
            ("b", "wait_days_mean", "alla", 2024, 42.6, False),
        ),
    )
    ctx = areas.for_area("vantetider", 2024, folder)
    assert ctx.glue_values["main_value"] == f"17,3{NBSP}dagar"
    assert ctx.glue_values["main_change"] == f"+0,1{NBSP}dagar"
    assert ctx.glue_values["wait_difference"] == f"35,5{NBSP}dagar"
    assert ctx.glue_values["area_extra"] == ctx.glue_values["wait_spread"]
    assert ctx.city_value == 17.25
    assert sorted(ctx.by_unit["unit_name"]) == ["Bromma", "Älvsjö"]


# ---------------------------------------------------------------------------
# Stalled focus areas with their comments; plausibility notes where a figure is shown


def test_focus_tables_list_stalled_and_not_begun_pairs_with_their_comments():
    status = pd.DataFrame(
        [
            (2024, "a", "Introduktion", "genomfort", "Klart."),
            (2024, "c", "Hot och våld", "avstannat", "Väntar på beslut."),
            (2024, "b", "Introduktion", "avstannat", ""),
            (2024, "c", "Introduktion", "avstannat", "Väntar på ny chef."),
            (2024, "a", "Hot och våld", "ej_paborjat", "Planeras."),
            (2023, "a", "Introduktion", "avstannat", "Förra året."),
            (2024, "gone", "Introduktion", "avstannat", "Inte i utgåvan."),
        ],
        columns=["year", "unit_id", "area_name", "status", "note"],
    )
    before = status.copy()
    table = context.focus_stalled_table(status, UNITS, 2024)
    pd.testing.assert_frame_equal(status, before)
    assert table.columns.name == "Förvaltning"
    # units in the edition's order (Bromma, Älvsjö, Farsta), areas as first seen that year
    assert table.index.tolist() == ["Bromma", "Farsta", "Farsta"]
    assert table.values.tolist() == [
        ["Introduktion", "uppgift saknas"],
        ["Introduktion", "Väntar på ny chef."],
        ["Hot och våld", "Väntar på beslut."],
    ]
    not_begun = context.focus_not_begun_table(status, UNITS, 2024)
    assert not_begun.index.tolist() == ["Älvsjö"]
    assert not_begun.values.tolist() == [["Hot och våld", "Planeras."]]
    assert context.focus_stalled_table(status[status["status"] != "avstannat"], UNITS, 2024).empty


def test_focus_chapter_shows_the_stalled_comments(tmp_path):
    folder = _results_folder(tmp_path, _rows(("a", "turnover_rate", "alla", 2024, 0.1, False)))
    pd.DataFrame(
        [
            (2024, "a", "x", "Introduktion", "avstannat", "Behöver nya beslut."),
            (2024, "b", "x", "Introduktion", "ej_paborjat", "Planeras."),
            (2024, "a", "y", "Hot", "genomfort", "Klart."),
        ],
        columns=["year", "unit_id", "area_id", "area_name", "status", "note"],
    ).to_csv(folder / context.FOCUS_FILE, index=False)
    ctx = context.for_focus_areas(2024, folder)
    assert ctx.glue_values["focus_by_area_dash"] == ""  # every area in the plan
    assert ctx.stalled.values.tolist() == [["Introduktion", "Behöver nya beslut."]]
    assert ctx.not_begun.values.tolist() == [["Introduktion", "Planeras."]]
    assert ctx.glue_values["focus_stalled_comments"].startswith("Varje fokusområde")
    assert ctx.glue_values["focus_stalled_value"] == "1 av 3"
    html = context.formatting.split_table(
        ctx.matrix, ctx.matrix_columns, highlight=ctx.highlight
    ).to_html()
    assert "<strong>Ej påbörjat</strong>" in html and "<strong>Avstannat</strong>" in html
    assert "<strong>Genomfört</strong>" not in html


WARNINGS = pd.DataFrame(
    {
        "check_name": [
            "Antal fördubblas eller halveras inte på ett år",
            "Antal fördubblas eller halveras inte på ett år",
            "Personalrörligheten är högst 100 procent",
        ],
        "unit_id": ["a", "a", "b"],
        "indicator": ["incidents", "job_ads", "turnover_rate"],
        "occupation": ["alla", "socialsekreterare", "alla"],
        "previous_year": pd.array([2023, 2017, None], dtype="Int64"),
        "year": pd.array([2024, 2018, 2024], dtype="Int64"),
    }
)


def test_plausibility_notes_name_unit_years_values_and_check():
    table = _rows(
        ("a", "incidents", "alla", 2023, 45.0, False),
        ("a", "incidents", "alla", 2024, 20.0, False),
        ("a", "job_ads", "socialsekreterare", 2017, 3.0, True),
        ("a", "job_ads", "socialsekreterare", 2018, 12.0, False),
        ("b", "turnover_rate", "alla", 2024, 1.04, False),
    )
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
        "högst 100 procent”); uppgiften är ännu inte granskad.",
    ]
    assert not any("försiktighet" in note for note in notes)
    # reviewed: the figure and the analyst's outcome, by the warning's key
    reviewed = context.with_outcomes(
        WARNINGS,
        {
            "a/incidents/alla/2023-2024": "Kontrollerat med Älvsjö: ny rutin, uppgiften stämmer.",
            "b/turnover_rate/alla/2024-2024": "Kontrollerat: en omorganisation, uppgiften stämmer.",
        },
    )
    assert context.plausibility_notes(reviewed, table, UNITS, shown) == [
        "Älvsjö, rapporterade hot och våld (båda yrkesgrupperna): 45 år 2023 och 20 år "
        "2024. Kontrollerat med Älvsjö: ny rutin, uppgiften stämmer.",
        f"Bromma, personalrörlighet (båda yrkesgrupperna) år 2024: 104,0{NBSP}%. "
        "Kontrollerat: en omorganisation, uppgiften stämmer.",
    ]
    assert reviewed["outcome"].tolist()[1] == ""  # job_ads 2017-2018 has none
    # a page that does not show the figures gets no note; a hidden value reads ".."
    assert context.plausibility_notes(WARNINGS, table, UNITS, set()) == []
    job_ads = context.plausibility_notes(
        WARNINGS, table, UNITS, {("a", "job_ads", "socialsekreterare", 2018)}
    )
    assert job_ads and ": .. år 2017 och 12 år 2018." in job_ads[0]


def test_warnings_reach_the_pages_that_show_the_figures(tmp_path):
    folder = _results_folder(
        tmp_path,
        _rows(
            ("stockholm", "incidents_per_100", "alla", 2024, 11.0, False),
            ("stockholm", "incidents", "alla", 2024, 300.0, False),
            ("a", "incidents_per_100", "alla", 2023, 24.1, False),
            ("a", "incidents_per_100", "alla", 2024, 11.6, False),
            ("a", "incidents", "alla", 2023, 45.0, False),
            ("a", "incidents", "alla", 2024, 20.0, False),
            ("a", "job_ads", "socialsekreterare", 2017, 3.0, False),
            ("a", "job_ads", "socialsekreterare", 2018, 12.0, False),
        ),
    )
    assert areas.for_area("hot-och-vald", 2024, folder).plausibility_notes == ()  # no file
    context.write_plausibility_warnings(folder, WARNINGS)
    assert context.read_plausibility_warnings(folder)["previous_year"].tolist()[:2] == [2023, 2017]
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
        assert detail.compare in (areas.TREND, areas.BY_UNIT, areas.BY_OCCUPATION, areas.BY_MEMBER)
        if detail.compare == areas.BY_MEMBER:
            assert detail.family in catalog.FAMILIES and detail.measure and detail.noun
        else:
            assert catalog.find(detail.indicator) is not None


# ---------------------------------------------------------------------------
# Tables per unit over time (answers worked by hand)


def test_unit_year_table_has_the_first_year_of_the_city_series():
    table = _rows(
        ("stockholm", "job_ads", "alla", 2018, 50.0, False),
        ("stockholm", "job_ads", "alla", 2024, 60.0, False),
        ("b", "job_ads", "alla", 2018, 4.0, False),
        ("b", "job_ads", "alla", 2023, 7.0, False),
        ("b", "job_ads", "alla", 2024, 9.0, False),
        ("a", "job_ads", "alla", 2018, None, True),
    )
    before = table.copy()
    frame = areas.unit_year_table(table, UNITS.iloc[:2], "job_ads", 2024, 2016)
    # the city's series starts in 2018 (job ads added later): that is the first year
    assert frame.columns.tolist() == ["2024", "2023", "2018"]
    assert frame.loc["Bromma"].tolist() == ["9", "7", "4"]
    assert frame.loc["Älvsjö"].tolist() == ["uppgift saknas", "uppgift saknas", ".."]
    # a series that starts the year before: no separate first-year column
    assert areas.unit_year_table(table, UNITS.iloc[:2], "job_ads", 2019, 2018).columns.tolist() == [
        "2019",
        "2018",
    ]
    pd.testing.assert_frame_equal(table, before)


def test_consultants_table_has_count_and_cost_per_unit():
    table = _rows(
        ("stockholm", "consultants", "alla", 2016, 10.0, False),
        ("b", "consultants", "alla", 2016, 2.0, False),
        ("b", "consultants", "alla", 2023, 0.0, False),
        ("b", "consultants", "alla", 2024, 0.0, False),
        ("b", "consultant_cost_sek", "alla", 2023, 606_000.0, False),
        ("b", "consultant_cost_sek", "alla", 2024, 4_317_000.0, False),
    )
    frame = areas.consultants_table(table, UNITS.iloc[:1], 2024, 2016)
    assert frame.columns.tolist() == [
        "Konsulter 2024",
        "Konsulter 2023",
        "Konsulter 2016",
        "Kostnad 2024",
        "Kostnad 2023",
    ]
    # no consultant at the measuring point, a cost for the year
    assert frame.loc["Bromma"].tolist() == [
        "0",
        "0",
        "2",
        f"4,3{NBSP}mnkr",
        f"606{NBSP}000{NBSP}kr",
    ]


def test_konsulter_chapter_notes_why_a_cost_can_come_without_consultants(tmp_path):
    folder = _results_folder(
        tmp_path,
        _rows(
            ("stockholm", "consultants", "alla", 2022, 3.0, False),
            ("stockholm", "consultants", "alla", 2024, 2.0, False),
            ("b", "consultants", "alla", 2024, 0.0, False),
            ("b", "consultant_cost_sek", "alla", 2024, 864_000.0, False),
        ),
    )
    ctx = areas.for_area("konsulter", 2024, folder)
    assert ctx.unit_table.columns.tolist() == [
        "Konsulter 2024",
        "Konsulter 2023",
        "Konsulter 2022",
        "Kostnad 2024",
        "Kostnad 2023",
    ]
    assert ctx.unit_table_note.notes == (labels.CONSULTANTS_TABLE_NOTE,)
    assert "mättillfälle" in ctx.unit_table_note.to_html()
    assert areas.for_area("rekrytering", 2024, folder).unit_table_note.to_html() == ""


def test_wait_table_with_the_first_year_of_the_mean():
    table = _rows(
        ("stockholm", "wait_days_mean", "alla", 2020, 20.0, False),
        ("a", "wait_days_mean", "alla", 2020, 15.0, False),
    )
    frame = areas.wait_table(table, UNITS[UNITS["unit_id"] == "a"], 2024, 2016)
    assert frame.columns.tolist() == [
        "Medelvärde 2024",
        "Medelvärde 2023",
        "Medelvärde 2020",
        "Median 2024",
        "Median 2023",
    ]
    assert frame.loc["Älvsjö"].tolist()[2] == f"15,0{NBSP}dagar"


def test_units_by_year_table_every_year_and_the_change():
    rows = [
        ("stockholm", "turnover_rate", "alla", y, v, False)
        for y, v in ((2022, 0.12), (2023, 0.138), (2024, 0.155))
    ]
    rows += [
        ("b", "turnover_rate", "alla", 2022, 0.1, False),
        ("b", "turnover_rate", "alla", 2023, 0.2, False),
        ("b", "turnover_rate", "alla", 2024, 0.209, False),
        ("a", "turnover_rate", "alla", 2023, None, True),
        ("a", "turnover_rate", "alla", 2024, 0.1, False),
        ("c", "turnover_rate", "alla", 2024, 0.1, False),
        ("c", "turnover_rate", "alla", 2023, 0.10049, False),
    ]  # 10,0 % both years
    table = _rows(*rows)
    frame = context.units_by_year_table(table, UNITS, "turnover_rate", "alla", 2022, 2024)
    assert frame.columns.tolist() == ["2024", "Förändring sedan 2023", "2023", "2022"]
    assert frame.index.tolist() == ["Stockholms stad", "Bromma", "Älvsjö", "Farsta"]
    assert frame.loc["Stockholms stad"].tolist() == [
        f"15,5{NBSP}%",
        "+1,7",
        f"13,8{NBSP}%",
        f"12,0{NBSP}%",
    ]
    assert frame.loc["Bromma"].tolist() == [f"20,9{NBSP}%", "+0,9", f"20,0{NBSP}%", f"10,0{NBSP}%"]
    # hidden last year: the change is hidden too; no row for 2022: uppgift saknas
    assert frame.loc["Älvsjö"].tolist() == [f"10,0{NBSP}%", "..", "..", "uppgift saknas"]
    assert frame.loc["Farsta"].tolist()[1] == "±0,0"  # the change of the displayed values
    assert context.units_by_year_table(
        table, UNITS, "turnover_rate", "socialsekreterare", 2022, 2024
    ).empty


def test_city_context_has_turnover_per_unit_and_main_points(tmp_path):
    rows = [
        (u, "turnover_rate", o, y, v, False)
        for u in ("stockholm", "a", "b")
        for o in ("alla", "socialsekreterare", "bistandshandlaggare")
        for y, v in ((2022, 0.1), (2023, 0.12), (2024, 0.15))
    ]
    folder = _results_folder(tmp_path, _rows(*rows))
    ctx = context.for_city(2024, folder)
    for frame in (
        ctx.turnover_units,
        ctx.turnover_units_socialsekreterare,
        ctx.turnover_units_bistandshandlaggare,
    ):
        assert frame.index.tolist() == ["Stockholms stad", "Älvsjö", "Bromma"]
        assert frame.columns.tolist() == ["2024", "Förändring sedan 2023", "2023", "2022"]
    assert ctx.points.points[0].text.startswith("Personalrörligheten bland stadens")
    assert "<ul" in ctx.points.to_html()
    assert "2023" in ctx.glue_values["turnover_units_intro"]


def test_unit_tables_of_a_first_edition_and_without_costs(tmp_path):
    table = _rows(
        ("stockholm", "turnover_rate", "alla", 2016, 0.1, False),
        ("b", "consultants", "alla", 2016, 1.0, False),
    )
    frame = context.units_by_year_table(table, UNITS, "turnover_rate", "alla", 2016, 2016)
    assert frame.columns.tolist() == ["2016"]  # no change column, no year before
    consultants = areas.consultants_table(table, UNITS.iloc[:1], 2016, 2016)
    assert consultants.columns.tolist() == ["Konsulter 2016", "Konsulter 2015"]
    folder = _results_folder(
        tmp_path, _rows(("stockholm", "consultants", "alla", 2024, 2.0, False))
    )
    ctx = areas.for_area("konsulter", 2024, folder)  # no consultant_costs delivered
    assert "Kostnad 2024" not in ctx.unit_table.columns
    assert ctx.unit_table_note.notes == ()


def test_city_turnover_figures_are_about_turnover(tmp_path):
    rows = [
        ("stockholm", i, "alla", y, v, False)
        for y in (2023, 2024)
        for i, v in (
            ("turnover_rate", 0.15),
            ("turnover_rate_external", 0.12),
            ("turnover_rate_voluntary", 0.09),
            ("headcount", 1000.0),
            ("consultants", 33.0),
            ("job_ads", 600.0),
        )
    ]
    ctx = context.for_city(2024, _results_folder(tmp_path, _rows(*rows)))
    names = ctx.key_figures.index.tolist()
    assert names == [
        "Personalrörlighet, båda yrkesgrupperna",
        "Personalrörlighet, socialsekreterare",
        "Personalrörlighet, biståndshandläggare",
        "Extern personalrörlighet, båda yrkesgrupperna",
        "Personalrörlighet på egen begäran, båda yrkesgrupperna",
        "Antal tillsvidareanställda",
        "Antal tillsvidareanställda, socialsekreterare",
        "Antal tillsvidareanställda, biståndshandläggare",
    ]  # no consultants
    assert ctx.key_figures.loc["Extern personalrörlighet, båda yrkesgrupperna"].tolist() == [
        f"12,0{NBSP}%",
        "±0,0 procentenheter",
    ]


def test_focus_matrix_notes_explain_only_what_the_matrix_shows():
    status = _status((2024, "a", "X", "avstannat"), (2024, "b", "X", "genomfort"))
    notes = context.focus_matrix_notes(context.focus_matrix(status, UNITS, 2024))
    # Farsta (c) has no assessment: a dash; only "Avstannat" is marked
    assert notes["focus_matrix_marked"] == (
        "Det som behöver uppmärksammas står ”Avstannat” i fetstil."
    )
    assert notes["focus_matrix_dash"].startswith("Ett streck (–)")
    done = _status(
        (2024, "a", "X", "genomfort"), (2024, "b", "X", "paborjat"), (2024, "c", "X", "genomfort")
    )
    assert context.focus_matrix_notes(context.focus_matrix(done, UNITS, 2024)) == {
        "focus_matrix_marked": "",
        "focus_matrix_dash": "",
    }


def test_focus_chapter_explains_the_dash_only_where_an_area_was_not_yet_in_the_plan(tmp_path):
    folder = _results_folder(tmp_path, _rows(("a", "turnover_rate", "alla", 2024, 0.1, False)))
    pd.DataFrame(
        [
            (2023, "a", "x", "X", "2016", "avstannat", ""),
            (2023, "a", "y", "Y", "2024", "ej_paborjat", "Ingår från 2024."),
            (2024, "a", "x", "X", "2016", "paborjat", ""),
            (2024, "a", "y", "Y", "2024", "avstannat", ""),
        ],
        columns=["year", "unit_id", "area_id", "area_name", "plan_version", "status", "note"],
    ).to_csv(folder / context.FOCUS_FILE, index=False)
    ctx = context.for_focus_areas(2024, folder)
    assert ctx.stalled_by_area.loc["Y"].tolist() == ["1", "–"]
    assert ctx.glue_values["focus_by_area_dash"].startswith("Ett streck (–)")
    # 2023: one assessed pair in the plan (X, stalled), Y not counted as not begun
    assert ctx.stalled_by_year.loc["2023"].tolist() == ["1", "0", "1"]


def test_a_pages_notes_cover_exactly_the_warned_cells_it_shows(tmp_path):
    """Each page context reports the cells it shows, and its notes are about exactly the
    warnings on those cells (a count's warning also reaches the rate made from it): a
    unit page notes its own figures only, a chapter its city's and compared units'."""
    from uppfoljning import unit_report

    folder = _results_folder(
        tmp_path,
        _rows(
            *(("a", "job_ads", "alla", y, 10.0 + y % 10, False) for y in (2022, 2023, 2024)),
            ("a", "job_ads", "socialsekreterare", 2020, 3.0, False),
            ("a", "job_ads", "socialsekreterare", 2021, 9.0, False),
            ("a", "incidents", "alla", 2023, 45.0, False),
            ("a", "incidents", "alla", 2024, 20.0, False),
            ("a", "incidents_per_100", "alla", 2023, 24.1, False),
            ("a", "incidents_per_100", "alla", 2024, 11.6, False),
            ("a", "wait_days_mean", "alla", 2024, 12.0, False),
            ("a", "wait_days_median", "alla", 2023, 4.0, False),
            ("a", "wait_days_median", "alla", 2024, 9.0, False),
            ("b", "turnover_rate", "alla", 2024, 1.04, False),
            ("stockholm", "incidents_per_100", "alla", 2023, 20.0, False),
            ("stockholm", "incidents_per_100", "alla", 2024, 11.0, False),
            ("stockholm", "job_ads", "alla", 2024, 40.0, False),
            ("stockholm", "wait_days_mean", "alla", 2024, 11.0, False),
        ),
    )
    warned = [  # (unit_id, indicator, occupation, previous_year, year)
        ("a", "job_ads", "alla", 2023, 2024),  # a's trend chart; the units' job ads
        ("a", "job_ads", "socialsekreterare", 2020, 2021),  # before the first year: nowhere
        ("a", "incidents", "alla", 2023, 2024),  # a's key figure (per 100); the chapter's
        ("b", "turnover_rate", "alla", None, 2024),  # b's own page only
        ("stockholm", "incidents_per_100", "alla", 2023, 2024),  # the chapter's city figure
        ("a", "wait_days_median", "alla", 2023, 2024),  # the wait chapter's unit table
    ]
    context.write_plausibility_warnings(
        folder,
        pd.DataFrame(
            {
                "check_name": ["Regel"] * len(warned),
                "unit_id": [w[0] for w in warned],
                "indicator": [w[1] for w in warned],
                "occupation": [w[2] for w in warned],
                "previous_year": pd.array([w[3] for w in warned], dtype="Int64"),
                "year": pd.array([w[4] for w in warned], dtype="Int64"),
            }
        ),
    )
    pages = {
        "unit a": (unit_report.for_unit("a", 2024, folder), [0, 2]),
        "unit b": (unit_report.for_unit("b", 2024, folder), [3]),
        "hot-och-vald": (areas.for_area("hot-och-vald", 2024, folder), [2, 4]),
        "rekrytering": (areas.for_area("rekrytering", 2024, folder), [0]),
        "vantetider": (areas.for_area("vantetider", 2024, folder), [5]),
    }
    names = {"a": "Älvsjö", "b": "Bromma", "stockholm": labels.CITY_NAME}
    for page, (ctx, expected) in pages.items():
        on_page = [
            n
            for n, (unit_id, indicator, occupation, _, year) in enumerate(warned)
            if (unit_id, indicator, occupation, year) in ctx.shown_cells
            or (unit_id, context.RATE_OF_COUNT.get(indicator), occupation, year) in ctx.shown_cells
        ]
        assert on_page == expected, page
        notes = ctx.base.plausibility_notes if page.startswith("unit") else ctx.plausibility_notes
        measures = [(warned[n][0], labels.indicator_label(warned[n][1]).name) for n in expected]
        assert [note.split(" (")[0] for note in notes] == [
            f"{names[unit_id]}, {m[0].lower()}{m[1:]}" for unit_id, m in measures
        ], page


def test_a_page_context_shows_no_cell_it_does_not_report(tmp_path):
    """The series a unit page and a chapter draw lie within their ``shown_cells``."""
    from uppfoljning import unit_report

    folder = _results_folder(
        tmp_path,
        _rows(
            *(
                (u, i, o, y, 10.0 + y % 10, False)
                for u in ("a", "stockholm")
                for i in ("job_ads", "turnover_rate", "incidents_per_100")
                for o in ("alla", "socialsekreterare")
                for y in (2022, 2023, 2024)
            )
        ),
    )
    report = unit_report.for_unit("a", 2024, folder)
    drawn = [*report.trends.values()]
    assert {t.indicator for t in drawn} >= {"job_ads", "turnover_rate", "incidents_per_100"}
    for trend in drawn:
        for row in trend.unit_series.itertuples():
            assert ("a", trend.indicator, row.occupation, row.year) in report.shown_cells
    for row in report.base.turnover_by_year.itertuples():
        assert ("a", "turnover_rate", row.occupation, row.year) in report.shown_cells
    chapter = areas.for_area("rekrytering", 2024, folder)
    assert len(chapter.trend) == 6
    for row in chapter.trend.itertuples():
        assert ("stockholm", "job_ads", row.occupation, row.year) in chapter.shown_cells
    assert ("a", "job_ads", "alla", 2024) in chapter.shown_cells
    assert ("a", "job_ads", "socialsekreterare", 2024) not in chapter.shown_cells
