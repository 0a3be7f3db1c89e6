"""Tests of the synthetic demo delivery generator.

The calibration tests compute their figures from the generated CSV files with plain
pandas, independently of the rest of the package, so that a change in the generator
that breaks the story the demo tells (the 2019 break in turnover, the consultant figures,
...) is caught here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from uppfoljning.demo import write_demo_delivery

# Columns of every table, as in data-contract.md (order as written by the generator).
CONTRACT_COLUMNS = {
    "units": ["unit_id", "name", "kind", "region", "valid_from", "valid_to", "successor_id"],
    "employments": [
        "person_id",
        "unit_id",
        "occupation",
        "area",
        "employment_type",
        "start_date",
        "end_date",
        "end_reason",
    ],
    "consultants": ["measured_on", "unit_id", "occupation", "consultants"],
    "consultant_costs": ["year", "unit_id", "cost_sek"],
    "job_ads": ["month", "unit_id", "occupation", "ads"],
    "visits": ["request_id", "unit_id", "area", "requested_on", "visit_on"],
    "caseload": ["month", "unit_id", "occupation", "area", "open_cases", "case_workers_fte"],
    "staff_survey": [
        "year",
        "unit_id",
        "occupation",
        "index_id",
        "invited",
        "respondents",
        "value",
    ],
    "incidents": ["incident_id", "reported_on", "unit_id", "occupation", "category"],
    "reinforcement": ["assignment_id", "team", "unit_id", "start_date", "end_date", "staff"],
    "managers": ["measured_on", "unit_id", "managers"],
    "admin_support": ["measured_on", "unit_id", "administrators_fte"],
    "exit_interviews": [
        "interview_id",
        "person_id",
        "unit_id",
        "occupation",
        "held_on",
        "reasons",
        "comment",
    ],
    "focus_areas": ["area_id", "name", "plan_version"],
    "focus_status": ["year", "unit_id", "area_id", "status", "note"],
}
DEPARTURES = {"egen_begaran", "pension", "ovrigt", "intern_rorlighet"}
LAST_DAY = pd.Timestamp("2024-12-31")


@pytest.fixture(scope="module")
def delivery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write_demo_delivery(out)
    return out


@pytest.fixture(scope="module")
def tables(delivery: Path) -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_csv(delivery / f"{name}.csv", dtype=str, keep_default_na=False).replace(
            "", None
        )
        for name in CONTRACT_COLUMNS
    }


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))
    }


# ---------------------------------------------------------------- determinism, shape


def test_same_seed_gives_identical_bytes(tmp_path: Path, delivery: Path) -> None:
    write_demo_delivery(tmp_path / "again", seed=2024)
    assert _digests(tmp_path / "again") == _digests(delivery)


def test_different_seed_differs(tmp_path: Path, delivery: Path) -> None:
    write_demo_delivery(tmp_path / "other", seed=7)
    other, default = _digests(tmp_path / "other"), _digests(delivery)
    assert other.keys() == default.keys()
    assert other["employments.csv"] != default["employments.csv"]
    assert other["visits.csv"] != default["visits.csv"]


def test_committed_demo_data_is_current(delivery: Path) -> None:
    """data/demo/ is exactly what the generator writes with the default seed."""
    committed = Path(__file__).resolve().parents[1] / "data" / "demo"
    assert _digests(committed) == _digests(delivery), (
        "regenerate with: uppfoljning demo-data --out data/demo"
    )


def test_every_table_present_with_contract_columns(delivery: Path) -> None:
    assert sorted(p.name for p in delivery.iterdir()) == sorted(
        f"{name}.csv" for name in CONTRACT_COLUMNS
    )
    for name, columns in CONTRACT_COLUMNS.items():
        raw = (delivery / f"{name}.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        assert b"\r" not in raw, name
        header = raw.split(b"\n", 1)[0].decode("utf-8")
        assert header.split(",") == columns, name
        assert len(pd.read_csv(delivery / f"{name}.csv")) > 0, name


def test_no_date_after_2024(tables: dict[str, pd.DataFrame]) -> None:
    date_columns = {
        "employments": ["start_date", "end_date"],
        "consultants": ["measured_on"],
        "visits": ["requested_on", "visit_on"],
        "incidents": ["reported_on"],
        "reinforcement": ["start_date", "end_date"],
        "managers": ["measured_on"],
        "admin_support": ["measured_on"],
        "exit_interviews": ["held_on"],
    }
    for name, columns in date_columns.items():
        for column in columns:
            values = pd.to_datetime(tables[name][column], format="%Y-%m-%d")
            assert values.max() <= LAST_DAY, (name, column)
    assert tables["job_ads"]["month"].max() == "2024-12"
    assert tables["caseload"]["month"].max() <= "2024-12"
    starts = pd.to_datetime(tables["employments"]["start_date"])
    assert starts.min() >= pd.Timestamp("2007-01-01")


# ------------------------------------------------------------------------ employments


def _spells(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    spells = tables["employments"].copy()
    spells["start"] = pd.to_datetime(spells["start_date"], format="%Y-%m-%d")
    spells["end"] = pd.to_datetime(spells["end_date"], format="%Y-%m-%d")
    return spells


def _month_ends(year: int) -> list[pd.Timestamp]:
    return [pd.Timestamp(year, m, 1) + pd.offsets.MonthEnd(0) for m in range(1, 13)]


def _mean_headcount(spells: pd.DataFrame, year: int) -> float:
    counts = [
        ((spells["start"] <= d) & (spells["end"].isna() | (spells["end"] >= d))).sum()
        for d in _month_ends(year)
    ]
    return sum(counts) / 12


def _turnover(spells: pd.DataFrame, year: int, reasons: set[str] = DEPARTURES) -> float:
    permanent = spells[spells["employment_type"] == "tillsvidare"]
    leavers = permanent[(permanent["end"].dt.year == year) & permanent["end_reason"].isin(reasons)]
    return len(leavers) / _mean_headcount(permanent, year)


def test_end_reason_exactly_when_end_date(tables: dict[str, pd.DataFrame]) -> None:
    spells = _spells(tables)
    assert (spells["end_date"].isna() == spells["end_reason"].isna()).all()
    ended = spells.dropna(subset=["end"])
    assert (ended["end"] >= ended["start"]).all()


def test_person_spells_never_overlap(tables: dict[str, pd.DataFrame]) -> None:
    spells = _spells(tables).sort_values(["person_id", "start"])
    same_person = spells["person_id"].eq(spells["person_id"].shift())
    previous_end = spells["end"].shift()
    overlapping = same_person & (previous_end.isna() | (spells["start"] <= previous_end))
    assert not overlapping.any(), spells[overlapping].head()


def test_merger_transfers_every_active_spell(tables: dict[str, pd.DataFrame]) -> None:
    units = tables["units"].dropna(subset=["successor_id"])
    spells = _spells(tables)
    for unit in units.itertuples():
        last = pd.Timestamp(unit.valid_to)
        active = spells[
            (spells["unit_id"] == unit.unit_id)
            & (spells["start"] <= last)
            & (spells["end"] >= last)
        ]
        assert len(active) > 0
        assert (active["end"] == last).all()
        assert (active["end_reason"] == "omorganisation").all()
        moved = spells[
            (spells["unit_id"] == unit.successor_id)
            & (spells["start"] == last + pd.Timedelta(days=1))
        ]
        assert set(active["person_id"]) <= set(moved["person_id"])


def test_every_unit_valid_on_its_dates(tables: dict[str, pd.DataFrame]) -> None:
    units = tables["units"].set_index("unit_id")
    valid_from = pd.to_datetime(units["valid_from"])
    valid_to = pd.to_datetime(units["valid_to"]).fillna(pd.Timestamp("2099-12-31"))

    def check(name: str, first: pd.Series, last: pd.Series) -> None:
        unit = tables[name]["unit_id"]
        assert unit.isin(units.index).all(), name
        ok = (first <= unit.map(valid_to).to_numpy()) & (last >= unit.map(valid_from).to_numpy())
        assert ok.all(), (name, tables[name][~ok].head())

    def day(name: str, column: str) -> pd.Series:
        return pd.to_datetime(tables[name][column], format="%Y-%m-%d")

    # Spells: valid on every day from start to end (ongoing: until the end of the data).
    spells = _spells(tables)
    end = spells["end"].fillna(LAST_DAY)
    assert (spells["start"] >= spells["unit_id"].map(valid_from)).all()
    assert (end <= spells["unit_id"].map(valid_to)).all()
    reinf = tables["reinforcement"]
    assert (day("reinforcement", "start_date") >= reinf["unit_id"].map(valid_from)).all()
    assert (day("reinforcement", "end_date") <= reinf["unit_id"].map(valid_to)).all()
    # Point-in-time rows: valid on that date.
    for name, column in [
        ("consultants", "measured_on"),
        ("visits", "requested_on"),
        ("incidents", "reported_on"),
        ("managers", "measured_on"),
        ("admin_support", "measured_on"),
        ("exit_interviews", "held_on"),
    ]:
        check(name, day(name, column), day(name, column))
    # Month and year rows: valid on at least one day of the period.
    for name in ("job_ads", "caseload"):
        first = pd.to_datetime(tables[name]["month"], format="%Y-%m")
        check(name, first, first + pd.offsets.MonthEnd(0))
    for name in ("consultant_costs", "staff_survey", "focus_status"):
        first = pd.to_datetime(tables[name]["year"], format="%Y")
        check(name, first, first + pd.offsets.YearEnd(0))


def test_exit_interviews_belong_to_leavers(tables: dict[str, pd.DataFrame]) -> None:
    spells = _spells(tables)
    resigned = spells[spells["end_reason"] == "egen_begaran"]
    interviews = tables["exit_interviews"]
    assert interviews["person_id"].isin(resigned["person_id"]).all()
    assert 0.4 <= len(interviews) / len(resigned) <= 0.6
    assert interviews["reasons"].str.split(";").map(len).between(1, 3).all()


# ------------------------------------------------------------------------ calibration


def test_calibration_headcount_and_resignations(tables: dict[str, pd.DataFrame]) -> None:
    spells = _spells(tables)
    ss = spells[spells["occupation"] == "socialsekreterare"]
    ss_permanent = ss[ss["employment_type"] == "tillsvidare"]
    assert 1000 <= _mean_headcount(ss_permanent, 2016) <= 1100
    # Voluntary turnover of socialsekreterare in 2016: about 10 %.
    assert 0.08 <= _turnover(ss, 2016, {"egen_begaran"}) <= 0.12
    # About 8 % of spells are fixed-term.
    assert 0.05 <= (spells["employment_type"] == "visstid").mean() <= 0.11


def test_calibration_turnover_breaks_in_2019(tables: dict[str, pd.DataFrame]) -> None:
    spells = _spells(tables)
    rate = {year: _turnover(spells, year) for year in range(2016, 2025)}
    # Falling 2016 -> 2020; 2020 may be about level with 2019 (within 0.5 pp).
    assert rate[2016] > rate[2017] > rate[2018] > rate[2019]
    assert rate[2020] < rate[2019] + 0.005
    drops = {year: rate[year - 1] - rate[year] for year in range(2017, 2025)}
    assert drops[2019] >= 0.02
    assert all(drops[2019] > drop for year, drop in drops.items() if year != 2019)
    # Rising again after 2021.
    assert rate[2022] < rate[2023] < rate[2024]
    assert rate[2024] > rate[2021]


def test_calibration_units_differ(tables: dict[str, pd.DataFrame]) -> None:
    """District turnover levels differ clearly (2018: all 14 districts of that year)."""
    spells = _spells(tables)
    units = tables["units"]
    districts = units[
        (units["kind"] == "stadsdelsforvaltning")
        & (units["valid_from"] <= "2018-01-01")
        & (units["valid_to"].isna() | (units["valid_to"] >= "2018-12-31"))
    ]["unit_id"]
    assert len(districts) == 14
    rates = [_turnover(spells[spells["unit_id"] == u], 2018) for u in districts]
    assert max(rates) - min(rates) >= 0.08


def test_calibration_consultants(tables: dict[str, pd.DataFrame]) -> None:
    consultants = tables["consultants"].astype({"consultants": int})
    total = consultants.groupby("measured_on")["consultants"].sum()
    assert total["2016-11-15"] == 100
    assert total["2018-11-15"] == 34
    assert 27 <= total["2021-04-15"] <= 33
    assert sorted(total.index) == sorted([f"{y}-11-15" for y in range(2016, 2025)] + ["2021-04-15"])
    costs = tables["consultant_costs"].astype({"cost_sek": float})
    by_year = costs.groupby("year")["cost_sek"].sum()
    assert by_year["2016"] == 111_000_000
    assert by_year["2018"] < by_year["2017"] < by_year["2016"]


def test_calibration_job_ads(tables: dict[str, pd.DataFrame]) -> None:
    ads = tables["job_ads"].astype({"ads": int})
    total = ads.groupby(["month", "occupation"])["ads"].sum()
    assert total[("2023-12", "socialsekreterare")] == 29
    assert total[("2023-12", "bistandshandlaggare")] == 5
    assert total[("2024-01", "socialsekreterare")] == 56
    assert total[("2024-01", "bistandshandlaggare")] == 16
    months = pd.period_range("2016-01", "2024-12", freq="M").strftime("%Y-%m")
    assert sorted(ads["month"].unique()) == list(months)


def test_calibration_visits_wait_differs(tables: dict[str, pd.DataFrame]) -> None:
    visits = tables["visits"]
    assert visits["request_id"].is_unique
    booked = visits.dropna(subset=["visit_on"])
    wait = (pd.to_datetime(booked["visit_on"]) - pd.to_datetime(booked["requested_on"])).dt.days
    assert (wait >= 0).all()
    year = booked["requested_on"].str[:4]
    mean = wait.groupby([year, booked["unit_id"]]).mean().loc["2024"]
    assert mean.max() - mean.min() >= 15
    assert 0.005 <= visits["visit_on"].isna().mean() <= 0.05


def test_small_cells_exist(tables: dict[str, pd.DataFrame]) -> None:
    survey = tables["staff_survey"].astype({"invited": int, "respondents": int, "value": float})
    assert (survey["respondents"] <= survey["invited"]).all()
    assert survey["value"].between(0, 100).all()
    small = survey[
        (survey["unit_id"] == "socialforvaltningen")
        & (survey["occupation"] == "bistandshandlaggare")
    ]
    assert (small["invited"] == 3).all() and len(small) > 0
    spells = _spells(tables)
    sf_bh = spells[
        (spells["unit_id"] == "socialforvaltningen")
        & (spells["occupation"] == "bistandshandlaggare")
    ]
    assert 0 < _mean_headcount(sf_bh, 2024) < 5


def test_focus_status_covers_every_unit_year(tables: dict[str, pd.DataFrame]) -> None:
    status = tables["focus_status"]
    areas = set(tables["focus_areas"]["area_id"])
    assert set(status["area_id"]) == areas
    units = tables["units"]
    for year in range(2018, 2025):
        first, last = f"{year}-01-01", f"{year}-12-31"
        valid = units[
            (units["valid_from"] <= last)
            & (units["valid_to"].isna() | (units["valid_to"] >= first))
        ]
        rows = status[status["year"] == str(year)]
        assert set(rows["unit_id"]) == set(valid["unit_id"])
        assert len(rows) == len(valid) * len(areas)
