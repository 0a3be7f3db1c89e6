"""Revisions between two editions in one archive, on hand-made published tables.

Previous edition 2023 published (unit, occupation alla):
- alfa incidents 2022: 7; this edition: 9 (a corrected delivery) -> listed, 7 -> 9
- beta incidents 2022: 6 in both -> not listed
- alfa incidents 2023: 8 in both -> not listed (a year after 2023 is never compared)
- beta headcount 2022: suppressed in 2023, 12 now -> listed without either value
- beta turnover_rate 2022: suppressed in both -> not listed
- ceta (merged into by a unit the 2023 edition still published: gone) headcount 2022:
  40 -> 55 -> reason restated
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from uppfoljning import revisions
from uppfoljning.project import Project

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"

NAN = math.nan


def _table(edition: int, rows) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "edition": edition,
                "year": y,
                "unit_id": u,
                "unit_name": u.capitalize(),
                "occupation": "alla",
                "indicator": i,
                "value": v,
                "suppressed": s,
            }
            for u, i, y, v, s in rows
        ]
    )


PREVIOUS = _table(
    2023,
    [
        ("alfa", "incidents", 2022, 7, False),
        ("beta", "incidents", 2022, 6, False),
        ("alfa", "incidents", 2023, 8, False),
        ("beta", "headcount", 2022, NAN, True),
        ("beta", "turnover_rate", 2022, NAN, True),
        ("ceta", "headcount", 2022, 40, False),
        ("gone", "headcount", 2022, 15, False),
    ],
)
CURRENT = _table(
    2024,
    [
        ("alfa", "incidents", 2022, 9, False),
        ("beta", "incidents", 2022, 6, False),
        ("alfa", "incidents", 2023, 8, False),
        ("alfa", "incidents", 2024, 3, False),
        ("beta", "headcount", 2022, 12, False),
        ("beta", "turnover_rate", 2022, NAN, True),
        ("ceta", "headcount", 2022, 55, False),
    ],
)


def test_changed_figures_are_listed_with_old_and_new_value_and_reason():
    before, now = PREVIOUS.copy(), CURRENT.copy()
    table = revisions.compare(PREVIOUS, CURRENT, 2023, restated_units={"ceta"})
    pd.testing.assert_frame_equal(PREVIOUS, before)  # inputs unchanged
    pd.testing.assert_frame_equal(CURRENT, now)
    listed = {(r.unit_id, r.indicator, r.year): r for r in table.itertuples()}
    assert set(listed) == {
        ("alfa", "incidents", 2022),
        ("beta", "headcount", 2022),
        ("ceta", "headcount", 2022),
    }
    alfa = listed["alfa", "incidents", 2022]
    assert (
        alfa.previous_value,
        alfa.value,
        alfa.previous_edition,
        alfa.edition,
        alfa.reason,
        alfa.suppressed,
    ) == (7, 9, 2023, 2024, "delivery", False)
    assert listed["ceta", "headcount", 2022].reason == "restated"


def test_a_figure_hidden_in_either_edition_is_listed_without_values():
    table = revisions.compare(PREVIOUS, CURRENT, 2023)
    beta = table[(table["unit_id"] == "beta") & (table["indicator"] == "headcount")].iloc[0]
    assert math.isnan(beta["value"]) and math.isnan(beta["previous_value"])
    assert bool(beta["suppressed"]) is True
    text = revisions.to_csv_text(revisions.Revisions(2023, table))
    assert "12" not in text.split("beta,Beta,alla,headcount", 1)[1].splitlines()[0]
    assert text.splitlines()[0] == (
        "edition,year,unit_id,unit_name,occupation,indicator,"
        "value,suppressed,previous_edition,previous_value"
    )
    assert "2024,2022,alfa,Alfa,alla,incidents,9,false,2023,7" in text.splitlines()


def test_an_indicator_that_changed_everywhere_changed_its_definition():
    previous = _table(
        2023, [(u, "job_ads", y, 10, False) for u in ("a", "b") for y in (2021, 2022)]
    )
    current = _table(2024, [(u, "job_ads", y, 12, False) for u in ("a", "b") for y in (2021, 2022)])
    table = revisions.compare(previous, current, 2023)
    assert len(table) == 4 and set(table["reason"]) == {"definition"}


def test_the_newest_earlier_edition_in_out_is_compared(tmp_path):
    units = pd.DataFrame(
        {
            "unit_id": ["alfa", "beta", "ceta"],
            "reorganisation_note": ["", "", "Ceta bildades 2023-07-01 av …"],
        }
    )
    assert revisions.find_revisions(tmp_path, 2024, CURRENT, units).previous_edition is None
    for year, table in (
        (2022, _table(2022, [("alfa", "incidents", 2022, 1, False)])),
        (2023, PREVIOUS),
    ):
        (tmp_path / str(year) / "data").mkdir(parents=True)
        text = table.assign(
            suppressed=table["suppressed"].map(lambda s: "true" if s else "false")
        ).to_csv(index=False)
        (tmp_path / str(year) / "data" / "indikatorer.csv").write_text(text, encoding="utf-8")
    found = revisions.find_revisions(tmp_path, 2024, CURRENT, units)
    assert found.previous_edition == 2023
    assert len(found) == 3
    assert dict(zip(found.table["unit_id"], found.table["reason"], strict=True)) == {
        "alfa": "delivery",
        "beta": "delivery",
        "ceta": "restated",
    }
    assert revisions.summary(found).startswith(
        "revisions: 3 published figure(s) of earlier years changed since the 2023 edition"
    )
    page = revisions.fragment(found, 2024)
    assert "3 publicerade värden för tidigare år" in page and "rättad leverans" in page
    assert "Utgåva 2023" in page and "../data/revideringar.csv" in page


def test_an_edition_of_the_same_run_stands_in_for_its_folder(tmp_path):
    """``build --year``: the run's own earlier edition, not yet published, is compared
    as if its folder were there, and a newer one than any in OUT wins."""
    units = pd.DataFrame({"unit_id": ["alfa", "beta", "ceta"], "reorganisation_note": ["", "", ""]})

    def csv_bytes(table):
        return (
            table.assign(suppressed=table["suppressed"].map(lambda s: "true" if s else "false"))
            .to_csv(index=False)
            .encode("utf-8")
        )

    older = _table(2022, [("alfa", "incidents", 2022, 1, False)])
    (tmp_path / "2022" / "data").mkdir(parents=True)
    (tmp_path / "2022" / "data" / "indikatorer.csv").write_bytes(csv_bytes(older))
    found = revisions.find_revisions(
        tmp_path, 2024, CURRENT, units, earlier={2023: csv_bytes(PREVIOUS)}
    )
    assert found.previous_edition == 2023
    assert len(found) == 3  # as when 2023 is read from OUT (the test above)
    later = revisions.find_revisions(
        tmp_path, 2024, CURRENT, units, earlier={2025: csv_bytes(PREVIOUS)}
    )
    assert later.previous_edition == 2022  # a later edition is never the previous one


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_a_corrected_delivery_between_two_editions_is_listed(tmp_path):
    """Build 2023, then 2024 from a delivery in which Skärholmen's 2022 incidents were
    corrected (two reports withdrawn): the 2024 edition lists Skärholmen's 2022
    incidents with the 2023 edition's value and the new one, two fewer."""
    from conftest import copy_project
    from uppfoljning.build import build_edition
    from uppfoljning.config import ReportConfig

    # in a copy of the project: its build cache is the copy's, never the developer's
    project = copy_project(tmp_path / "project")
    delivery = tmp_path / "delivery"
    shutil.copytree(DEMO, delivery)
    out = tmp_path / "site"
    common = dict(
        out_dir=out,
        jobs=2,
        config=ReportConfig.load(project / "report.yml"),
        project=Project.at(project),
        work_root=tmp_path / "work",
        only=["skarholmen"],
        synthetic=True,
    )
    build_edition(delivery, 2023, **common)
    incidents = pd.read_csv(delivery / "incidents.csv", dtype=str)
    withdrawn = incidents.index[
        (incidents["unit_id"] == "skarholmen") & incidents["reported_on"].str.startswith("2022")
    ][:2]
    assert len(withdrawn) == 2
    incidents.drop(index=withdrawn).to_csv(delivery / "incidents.csv", index=False)
    build_edition(delivery, 2024, **common)

    published = revisions.read_published(out / "2024" / "data" / "revideringar.csv")
    row = published[
        (published["unit_id"] == "skarholmen")
        & (published["year"] == 2022)
        & (published["indicator"] == "incidents")
        & (published["occupation"] == "alla")
    ]
    assert len(row) == 1
    row = row.iloc[0]
    assert (row["edition"], row["previous_edition"]) == (2024, 2023)
    assert not row["suppressed"]
    assert row["previous_value"] - row["value"] == 2
    before = revisions.read_published(out / "2023" / "data" / "indikatorer.csv")
    assert (
        before.query(
            "unit_id == 'skarholmen' and year == 2022 and indicator == "
            "'incidents' and occupation == 'alla'"
        )["value"].item()
        == row["previous_value"]
    )
    assert set(published["year"]) <= {2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023}
    page = (out / "2024" / "bilagor" / "revideringar.html").read_text(encoding="utf-8")
    assert "rättad leverans" in page and "Skärholmen" in page
