"""Förvaltningarna i överblick: distance from the city, classes, order, the table and
the two-unit comparison, on hand-made tables (answers worked by hand)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from uppfoljning import charts, context, labels, overview

UNITS = pd.DataFrame(
    {
        "unit_id": ["a", "b", "c"],
        "name": ["Alfa", "Beta", "Ceta"],
        "kind": ["stadsdelsforvaltning"] * 3,
    }
)
MEASURES = ("turnover_rate", "survey_response_rate")


def _rows(*rows: tuple[str, str, float | None, bool]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "edition": 2024,
                "year": 2024,
                "unit_id": u,
                "unit_name": u,
                "occupation": "alla",
                "indicator": i,
                "value": v,
                "suppressed": s,
            }
            for u, i, v, s in rows
        ]
    )


def test_distance_is_direction_aware_and_on_displayed_values():
    # turnover 12 % against 10 %: 20 % higher, and higher is worse -> -0.2
    assert overview.distance("turnover_rate", 0.12, 0.10) == Decimal("-0.2")
    # response rate 80 % against 64 %: 25 % higher, and higher is better -> +0.25
    assert overview.distance("survey_response_rate", 0.80, 0.64) == Decimal("0.25")
    # 10,04 % and 9,96 % both display as 10,0 %: no distance
    assert overview.distance("turnover_rate", 0.1004, 0.0996) == 0
    assert overview.distance("turnover_rate", 0.1, 0.0) is None


def test_classes_at_their_bounds():
    classify = overview.classify
    assert classify(Decimal("-0.21")) == "much_worse"
    assert classify(Decimal("-0.20")) == "worse"  # "mer än 20 %" is strictly more
    assert classify(Decimal("-0.051")) == "worse"
    assert classify(Decimal("-0.05")) == "near"
    assert classify(Decimal("0.05")) == "near"
    assert classify(Decimal("0.2")) == "better"
    assert classify(Decimal("0.25")) == "much_better"
    assert classify(None) == "uncompared"


def _table() -> pd.DataFrame:
    return _rows(
        ("stockholm", "turnover_rate", 0.10, False),
        ("stockholm", "survey_response_rate", 0.50, False),
        ("a", "turnover_rate", 0.13, False),  # 30 % higher: much worse
        ("a", "survey_response_rate", 0.45, False),  # 10 % lower: worse
        ("b", "turnover_rate", None, True),  # hidden
        ("b", "survey_response_rate", 0.60, False),  # 20 % higher: better
        ("c", "turnover_rate", 0.11, False),  # 10 % higher: worse
        # c has no response rate row at all: missing
    )


def test_cells_keep_hidden_and_missing_values_and_the_hardest_come_first():
    cells = overview.overview_cells(_table(), UNITS, 2024, MEASURES)
    assert cells[("a", "turnover_rate")] == overview.OverviewCell(
        "13,0\u00a0%", "much_worse", Decimal("-0.3")
    )
    assert cells[("b", "turnover_rate")].kind == "hidden"
    assert cells[("b", "turnover_rate")].text == ".."
    assert cells[("c", "survey_response_rate")].kind == "missing"
    assert cells[("c", "survey_response_rate")].text == "uppgift saknas"
    assert cells[("stockholm", "turnover_rate")].kind == "city"
    ranked = overview.standings(cells, UNITS, MEASURES)
    assert [s.name for s in ranked] == ["Alfa", "Ceta", "Beta"]  # 2 worse, 1, 0
    assert [(s.worse, s.much_worse, s.shown) for s in ranked] == [(2, 1, 2), (1, 0, 1), (0, 0, 1)]
    assert overview.hardest_sentence(ranked, 2024) == labels.OVERVIEW_HARDEST.format(
        year=2024, units="Alfa", worse=2, shown=2
    )


def test_the_city_hidden_leaves_the_units_uncompared():
    table = _rows(("stockholm", "turnover_rate", None, True), ("a", "turnover_rate", 0.2, False))
    cells = overview.overview_cells(table, UNITS.iloc[:1], 2024, ("turnover_rate",))
    assert cells[("a", "turnover_rate")].kind == "uncompared"
    assert cells[("stockholm", "turnover_rate")].text == ".."


def test_table_lists_the_city_and_every_unit_with_a_marked_class():
    cells = overview.overview_cells(_table(), UNITS, 2024, MEASURES)
    ranked = overview.standings(cells, UNITS, MEASURES)
    page = overview.overview_table(cells, ranked, MEASURES).to_html()
    for name in ["Hela staden", "Alfa", "Beta", "Ceta"]:
        assert f'<th scope="row">{name}</th>' in page
    assert page.index("Alfa") < page.index("Ceta") < page.index("Beta")
    assert 'class="uppf-num uppf-ov-much_worse"' in page
    assert labels.OVERVIEW_CLASSES["much_worse"] in page  # said to a screen reader too
    assert "2 av 2" in page and "0 av 1" in page


def test_comparison_chart_has_two_bound_parameters_and_all_the_data():
    cells = overview.overview_cells(_table(), UNITS, 2024, MEASURES)
    ranked = overview.standings(cells, UNITS, MEASURES)
    rows = overview.comparison_rows(cells, ranked, MEASURES)
    assert len(rows) == 4 * len(MEASURES)  # three units and the city
    spec = overview.plot_two_units(rows, "Alfa", "Ceta", 2024, "x.csv").to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert params["forvaltning1"]["value"] == "Alfa"
    assert params["forvaltning2"]["value"] == "Ceta"
    assert params["forvaltning1"]["bind"]["input"] == "select"
    assert params["forvaltning1"]["bind"]["options"] == ["Alfa", "Beta", "Ceta"]
    assert spec["description"] and spec["usermeta"]["download_name"] == "x.csv"
    data = pd.concat([pd.DataFrame(d) for d in spec["datasets"].values()])
    assert set(data["unit"]) == {"Alfa", "Beta", "Ceta", labels.LEGEND_CITY}
    # the download: Swedish headers, every unit's cells as the table shows them
    lines = charts.spec_to_csv(spec).split("\r\n")
    assert lines[0] == "Förvaltning;Mått;Värde;Jämfört med staden"
    assert len(lines) == 1 + len(rows) + 1
    first = rows.iloc[0]
    assert lines[1] == ";".join([first["unit"], first["measure"], first["text"], first["class"]])


def test_swedish_order_puts_a_ring_after_z():
    names = ["Östermalm", "Älvsjö", "Årsta", "Bromma", "Zeta"]
    assert sorted(names, key=overview.swedish_order) == [
        "Bromma",
        "Zeta",
        "Årsta",
        "Älvsjö",
        "Östermalm",
    ]


def test_for_overview_reads_the_results_folder(tmp_path):
    units = UNITS.assign(region="", reorganisation_note="")
    meta = context.EditionMeta(
        edition=2024,
        first_year=2023,
        min_n=5,
        title="T",
        synthetic=True,
        built_at="",
        code_version="",
    )
    focus = pd.DataFrame(columns=["year", "unit_id", "area_id", "area_name", "status", "note"])
    folder = context.write_results(
        tmp_path / "r", indicators=_table(), units=units, focus_status=focus, meta=meta
    )
    ctx = overview.for_overview(2024, folder)
    assert ctx.unit_count == 3 and (ctx.first, ctx.second) == ("Alfa", "Ceta")
    assert [r[1] for r in ctx.table.rows] == ["Hela staden", "Alfa", "Ceta", "Beta"]
    assert ctx.table.measures == MEASURES  # only the measures the results hold
