"""Every edition 2018-2024 of the demo delivery: its units, restated series and footnotes
(issue 4, point 4), and a real build of two editions into one site."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from audit import audit_tables
from uppfoljning.build import build_edition
from uppfoljning.config import ReportConfig
from uppfoljning.disclosure import PublishedEdition, audit_archive, read_archive
from uppfoljning.indicators import PUBLISHED_COLUMNS, compute_indicators, compute_results
from uppfoljning.loading import load_delivery
from uppfoljning.prepare import edition_units_frame
from uppfoljning.project import Project
from uppfoljning.units import UnitRegistry

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"

FOURTEEN = {
    "alvsjo",
    "bromma",
    "enskede-arsta-vantor",
    "farsta",
    "hagersten-liljeholmen",
    "hasselby-vallingby",
    "kungsholmen",
    "norrmalm",
    "ostermalm",
    "rinkeby-kista",
    "skarholmen",
    "skarpnack",
    "sodermalm",
    "spanga-tensta",
}
THIRTEEN = (FOURTEEN - {"alvsjo", "hagersten-liljeholmen"}) | {"hagersten-alvsjo"}
ELEVEN = (THIRTEEN - {"rinkeby-kista", "spanga-tensta", "norrmalm", "ostermalm"}) | {
    "jarva",
    "norra-innerstaden",
}
DISTRICTS = {
    2018: FOURTEEN,
    2019: FOURTEEN,
    2020: THIRTEEN,
    2021: THIRTEEN,
    2022: THIRTEEN,
    2023: ELEVEN,
    2024: ELEVEN,
}


@pytest.fixture(scope="module")
def demo():
    return load_delivery(DEMO)


@pytest.mark.parametrize("edition", sorted(DISTRICTS))
def test_edition_units_are_those_valid_on_its_last_day(demo, edition):
    units = edition_units_frame(demo, edition)
    districts = set(units.loc[units["kind"] == "stadsdelsforvaltning", "unit_id"])
    assert districts == DISTRICTS[edition]
    assert set(units.loc[units["kind"] == "fackforvaltning", "unit_id"]) == {"socialforvaltningen"}


@pytest.mark.parametrize(
    "edition, unit, note",
    [
        (
            2020,
            "hagersten-alvsjo",
            "Hägersten-Älvsjö bildades 2020-07-01 av "
            "Hägersten-Liljeholmen och Älvsjö; tidigare år är omräknade.",
        ),
        (
            2024,
            "jarva",
            "Järva bildades 2023-07-01 av Rinkeby-Kista och Spånga-Tensta; "
            "tidigare år är omräknade.",
        ),
        (
            2023,
            "norra-innerstaden",
            "Norra innerstaden bildades 2023-07-01 av Norrmalm och "
            "Östermalm; tidigare år är omräknade.",
        ),
    ],
)
def test_merged_units_carry_a_footnote(demo, edition, unit, note):
    units = edition_units_frame(demo, edition).set_index("unit_id")
    assert units.loc[unit, "reorganisation_note"] == note
    assert units.loc["skarholmen", "reorganisation_note"] == ""


def test_merged_unit_series_reach_back_to_the_first_year(demo):
    """The 2021 edition shows Hägersten-Älvsjö from 2016: its headcount is the sum of
    Hägersten-Liljeholmen and Älvsjö in the 2019 edition, year by year."""
    config = ReportConfig()
    table_2021 = compute_indicators(demo, 2021, config)
    table_2019 = compute_indicators(demo, 2019, config)

    def headcount(table: pd.DataFrame, unit: str) -> pd.Series:
        rows = table[
            (table["unit_id"] == unit)
            & (table["indicator"] == "headcount")
            & (table["occupation"] == "alla")
        ]
        return rows.set_index("year")["value"]

    merged = headcount(table_2021, "hagersten-alvsjo")
    assert merged.index.min() == 2016 and merged.index.max() == 2021
    parts = headcount(table_2019, "hagersten-liljeholmen") + headcount(table_2019, "alvsjo")
    pd.testing.assert_series_equal(merged.loc[2016:2019], parts, check_names=False, rtol=1e-12)
    assert "alvsjo" not in set(table_2021["unit_id"])


@pytest.mark.slow
def test_two_editions_build_into_one_archive(tmp_path):
    # in a copy of the project: its build cache is the copy's, never the developer's
    # _build/cache (and it shares no session fixture, so it needs no xdist group)
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    for edition in (2019, 2021):
        build_edition(
            project / "data" / "demo",
            edition,
            out_dir=out,
            jobs=2,
            config=ReportConfig.load(project / "report.yml"),
            project=Project.at(project),
            work_root=tmp_path / "work",
        )
    for edition in (2019, 2021):
        pages = {p.stem for p in (out / str(edition) / "stadsdelar").glob("*.html")}
        assert pages == DISTRICTS[edition]
        assert (out / str(edition) / "fackforvaltningar" / "socialforvaltningen.html").is_file()
    page = (out / "2021" / "stadsdelar" / "hagersten-alvsjo.html").read_text(encoding="utf-8")
    assert "bildades 2020-07-01 av Hägersten-Liljeholmen och Älvsjö" in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2019/index.html"' in index and 'href="2021/index.html"' in index
    archive = (out / "2021" / "bilagor" / "tidigare-utgavor.html").read_text(encoding="utf-8")
    assert "../../2019/index.html" in archive
    # The 2021 edition was built knowing what 2019 published (Hägersten-Liljeholmen and
    # Älvsjö separately): the archive as a whole gives no hidden count away.
    registry = UnitRegistry.from_frame(load_delivery(DEMO).tables["units"])
    report = audit_archive(read_archive(out), registry)
    assert report.ok, "\n".join(report.lines())
    assert report.hidden[2019] > 0 and report.hidden[2021] > 0


def test_2023_and_2024_in_one_archive_give_nothing_away(demo):
    """Demo 2024 built after 2023 into the same archive (the same eleven districts):
    the outsider's audit of both published tables together recovers no hidden cell."""
    config = ReportConfig()
    first = compute_results(demo, 2023, config)[PUBLISHED_COLUMNS]
    second = compute_results(demo, 2024, config, [PublishedEdition(2023, first)])
    assert not (
        second.merge(
            first[~first["suppressed"]], on=["year", "unit_id", "occupation", "indicator"]
        )["suppressed_x"]
    ).any(), "a cell 2023 published is hidden in 2024"
    audited, leaks = audit_tables([first, second[PUBLISHED_COLUMNS]])
    assert audited > 200 and leaks == []


# ---------------------------------------------------------------------------
# Which editions a delivery supports (issue 18, point 4)


def _frames(**columns: list[str]) -> dict[str, pd.DataFrame]:
    """One-column frames: table=[values] for the table's first dated column."""
    from uppfoljning.contract import TABLES, TIME_KINDS

    frames = {}
    for table, values in columns.items():
        dated = next(c.name for c in TABLES[table].columns if c.kind in TIME_KINDS)
        frames[table] = pd.DataFrame({dated: pd.Series(values, dtype="str")})
    return frames


@pytest.mark.parametrize(
    "frames, first, last",
    [
        # a spell ending on 31 December completes that year
        (_frames(employments=["2017-03-01", "2021-12-31"]), 2017, 2021),
        # one day short of the year's end: the year before is the last complete one
        (_frames(employments=["2017-03-01", "2021-12-30"]), 2017, 2020),
        # a month row reaches its last day; a year row reaches 31 December
        (_frames(job_ads=["2019-12"], consultant_costs=["2018"]), 2018, 2019),
        (_frames(job_ads=["2019-11"], consultant_costs=["2018"]), 2018, 2018),
        # units' validity dates are not observations
        (_frames(units=["2030-12-31"], employments=["2016-05-01", "2020-12-31"]), 2016, 2020),
        # cells that do not parse count for nothing (the gate reports them)
        (_frames(employments=["2016-05-01", "2099-13-45", "", "x"]), 2016, 2015),
    ],
)
def test_data_span_first_and_last_complete_year(frames, first, last):
    from uppfoljning.editions import data_span

    span = data_span(frames)
    assert (span.first_year, span.last_complete_year) == (first, last)


def test_no_dated_rows_give_no_span():
    from uppfoljning.editions import data_span

    assert data_span(_frames(units=["2020-01-01"])) is None


@pytest.mark.parametrize(
    "edition, message",
    [
        (
            2025,
            "--year 2025 is outside the editions this delivery supports (2007-2024): its "
            "data end on 2024-12-31, so 2024 is its last complete year",
        ),
        (2031, "--year 2031 is outside the editions this delivery supports (2007-2024)"),
        (
            2006,
            "--year 2006 is outside the editions this delivery supports (2007-2024): its "
            "data begin on 2007-01-13",
        ),
    ],
)
def test_demo_refuses_editions_beyond_its_data(demo, edition, message):
    from uppfoljning.editions import check_edition_year
    from uppfoljning.errors import UsageError

    with pytest.raises(UsageError) as caught:
        check_edition_year(demo, edition)
    assert str(caught.value).startswith(message)
    assert caught.value.exit_code == 2
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("edition", [2007, 2016, 2024])
def test_demo_supports_its_complete_years(demo, edition):
    from uppfoljning.editions import check_edition_year

    check_edition_year(demo, edition)  # does not raise


def test_every_demo_edition_built_in_turn_into_one_archive_gives_nothing_away(demo):
    """2018-2024 built oldest first into one archive, as `make editions` does: every
    edition's pattern passes its own audit with the earlier ones published (2023's
    merged districts restate units 2022 published separately), and an audit of the
    whole archive finds no hidden count that can be worked out."""
    config = ReportConfig()
    archive: list[PublishedEdition] = []
    for edition in sorted(DISTRICTS):
        results = compute_results(demo, edition, config, archive)
        published = results[PUBLISHED_COLUMNS]
        shown = {
            tuple(r)
            for r in published.loc[
                ~published["suppressed"], ["year", "unit_id", "occupation", "indicator"]
            ].itertuples(index=False)
        }
        for earlier in archive:  # what an earlier edition showed stays shown
            before = earlier.table
            before_shown = before.loc[~before["suppressed"].astype(bool)]
            same = before_shown.merge(published, on=["year", "unit_id", "occupation", "indicator"])
            assert not same["suppressed_y"].any(), (edition, earlier.edition)
        assert shown
        archive.append(PublishedEdition(edition, published))
    registry = UnitRegistry.from_frame(demo.tables["units"])
    report = audit_archive(archive, registry)
    assert report.ok, "\n".join(report.lines())
