"""Disclosure control on hand-made tables: the pattern stops every subtraction a reader
could make, never hides a zero or a cell another edition published, and the audits
(the package's own and the outsider's in tests/audit.py) find planted leaks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import audit_tables
from uppfoljning import disclosure
from uppfoljning.disclosure import PublishedEdition, audit_archive, protect
from uppfoljning.units import UnitRegistry

SS, BH, ALL, CITY = "socialsekreterare", "bistandshandlaggare", "alla", "stockholm"


def registry(*units, merged=()) -> UnitRegistry:
    """Units valid since 2010; ``merged``: (old, new, day) - old ends the day before."""
    rows = {
        u: dict(
            unit_id=u,
            name=u.title(),
            kind="stadsdelsforvaltning",
            valid_from="2010-01-01",
            valid_to=None,
            successor_id=None,
        )
        for u in units
    }
    for old, new, day in merged:
        rows[old]["valid_to"] = str((pd.Timestamp(day) - pd.Timedelta(days=1)).date())
        rows[old]["successor_id"] = new
        rows[new]["valid_from"] = day
    return UnitRegistry.from_frame(pd.DataFrame(rows.values()))


def results(
    year: int,
    headcount: dict,
    incidents: dict | None = None,
    leavers: dict | None = None,
    h_all: dict | None = None,
) -> pd.DataFrame:
    """Cells of one year from per-unit (ss, bh) figures: alla and the city summed."""
    rows = []

    def expand(table: dict) -> dict:
        full = {}
        for unit, (ss, bh) in table.items():
            full[(unit, SS)], full[(unit, BH)], full[(unit, ALL)] = ss, bh, ss + bh
        for o in (SS, BH, ALL):
            full[(CITY, o)] = sum(v for (u, occ), v in full.items() if occ == o and u != CITY)
        return full

    h = expand(headcount)
    for (u, o), v in h.items():
        rows.append(
            dict(
                year=year,
                unit_id=u,
                occupation=o,
                indicator="headcount",
                value=float(v),
                base=float(v),
                rule="count",
            )
        )
    if leavers is not None:
        lv = expand(leavers)
        for (u, o), v in lv.items():
            rows.append(
                dict(
                    year=year,
                    unit_id=u,
                    occupation=o,
                    indicator="turnover_rate",
                    value=v / h[(u, o)] if h[(u, o)] else math.nan,
                    base=float(h[(u, o)]),
                    rule="base",
                )
            )
    if incidents is not None:
        i = expand(incidents)
        ha = expand(h_all) if h_all is not None else h
        for (u, o), v in i.items():
            rows.append(
                dict(
                    year=year,
                    unit_id=u,
                    occupation=o,
                    indicator="incidents",
                    value=float(v),
                    base=float(v),
                    rule="count",
                )
            )
            rows.append(
                dict(
                    year=year,
                    unit_id=u,
                    occupation=o,
                    indicator="incidents_per_100",
                    value=100 * v / ha[(u, o)] if ha[(u, o)] else math.nan,
                    base=float(v),
                    rule="count",
                )
            )
    return pd.DataFrame(rows).assign(count=math.nan)


def published(out: pd.DataFrame, edition: int) -> pd.DataFrame:
    """The cells as indikatorer.csv has them."""
    return out.assign(edition=edition)[
        ["edition", "year", "unit_id", "occupation", "indicator", "value", "suppressed"]
    ]


def hidden(out: pd.DataFrame, indicator: str = "headcount") -> set[tuple[str, str]]:
    rows = out[(out["indicator"] == indicator) & out["suppressed"]]
    return set(zip(rows["unit_id"], rows["occupation"], strict=True))


def outsider_leaks(*tables: pd.DataFrame) -> list:
    return audit_tables(list(tables))[1]


# --- subtraction a reader would try ---------------------------------------------------


def test_occupation_complement_and_city_remainder_are_protected():
    # Alfa has 3 biståndshandläggare among 23: alla - ss and city - other units would
    # give it away; the pattern hides a second cell in its row and in its column.
    cells = results(2020, {"alfa": (20, 3), "beta": (30, 12), "gamma": (25, 9)})
    out, summary = protect(cells, 5, registry("alfa", "beta", "gamma"), 2020)
    hide = hidden(out)
    assert ("alfa", BH) in hide
    assert {("alfa", SS), ("alfa", ALL)} & hide  # row
    assert {("beta", BH), ("gamma", BH), (CITY, BH)} & hide  # column
    assert summary.primary == 1 and summary.secondary >= 2
    assert outsider_leaks(published(out, 2020)) == []
    # the values that are shown are exactly the inputs
    shown = out[~out["suppressed"]]
    merged = shown.merge(cells, on=["year", "unit_id", "occupation", "indicator"])
    assert (merged["value_x"] == merged["value_y"]).all()


def test_small_unit_cells_are_preferred_over_alla_and_the_city():
    cells = results(2020, {"alfa": (20, 3), "beta": (30, 12), "gamma": (25, 9)})
    out, _ = protect(cells, 5, registry("alfa", "beta", "gamma"), 2020)
    hide = hidden(out)
    assert not {(CITY, SS), (CITY, BH), (CITY, ALL)} & hide
    # the cheapest protection: alfa ss (20) in the row, gamma bh (9) in the column,
    # and gamma ss to close the rectangle
    assert hide == {("alfa", BH), ("alfa", SS), ("gamma", BH), ("gamma", SS)}


def test_zeros_are_never_hidden_and_a_lone_small_cell_is_protected_by_others():
    cells = results(2020, {"alfa": (0, 3), "beta": (0, 12), "gamma": (14, 0)})
    out, _ = protect(cells, 5, registry("alfa", "beta", "gamma"), 2020)
    zeros = out[(out["indicator"] == "headcount") & (out["value"].isna() & out["suppressed"])]
    truth = cells.set_index(["unit_id", "occupation", "indicator"])["value"]
    for r in zeros.itertuples():
        assert truth[(r.unit_id, r.occupation, r.indicator)] > 0
    assert outsider_leaks(published(out, 2020)) == []


def test_rates_are_hidden_with_their_count():
    cells = results(
        2020,
        {"alfa": (20, 3), "beta": (30, 12), "gamma": (25, 9)},
        leavers={"alfa": (4, 1), "beta": (6, 2), "gamma": (5, 3)},
    )
    out, summary = protect(cells, 5, registry("alfa", "beta", "gamma"), 2020)
    assert hidden(out, "turnover_rate") == hidden(out)
    reasons = out.set_index(["indicator", "unit_id", "occupation"])["reason"]
    assert reasons[("turnover_rate", "alfa", BH)] == disclosure.PRIMARY  # its base is 3
    assert reasons[("turnover_rate", "alfa", SS)] == disclosure.TIED_REASON
    assert outsider_leaks(published(out, 2020)) == []


def test_incidents_rate_that_gives_away_h_all_is_hidden_too():
    # Delta has 3 biståndshandläggare and no temporary staff: with every incidents rate
    # shown, H_all(bh) = H_all(alla) - H_all(ss) = 3 caps the hidden headcount at 3.
    cells = results(
        2020,
        {"alfa": (40, 30), "delta": (175, 3), "beta": (50, 20)},
        incidents={"alfa": (4, 6), "delta": (22, 0), "beta": (7, 5)},
    )
    out, _ = protect(cells, 5, registry("alfa", "delta", "beta"), 2020)
    assert ("delta", BH) in hidden(out)
    assert {("delta", SS), ("delta", ALL)} & hidden(out, "incidents")
    assert outsider_leaks(published(out, 2020)) == []


# --- earlier editions in the same archive --------------------------------------------


def test_an_earlier_editions_published_cells_stay_published_and_protect_nothing_it_hid():
    reg = registry("alfa", "beta", "gamma")
    first, _ = protect(
        results(2020, {"alfa": (20, 3), "beta": (30, 12), "gamma": (25, 9)}), 5, reg, 2021
    )
    archive = [PublishedEdition(2021, published(first, 2021))]
    second, summary = protect(
        results(2020, {"alfa": (20, 3), "beta": (30, 12), "gamma": (25, 9)}), 5, reg, 2022, archive
    )
    assert summary.archive_editions == (2021,)
    shown_before = set(
        zip(
            *[first.loc[~first["suppressed"], c] for c in ("indicator", "unit_id", "occupation")],
            strict=True,
        )
    )
    hidden_now = set(
        zip(
            *[second.loc[second["suppressed"], c] for c in ("indicator", "unit_id", "occupation")],
            strict=True,
        )
    )
    assert not shown_before & hidden_now
    assert outsider_leaks(published(first, 2021), published(second, 2022)) == []
    assert audit_archive([*archive, PublishedEdition(2022, published(second, 2022))], reg).ok


def test_a_restated_unit_is_hidden_when_its_predecessors_would_give_one_away():
    # 2021 edition: Alfa (3 bh, hidden) and Beta (12 bh, shown) are separate. In 2022 they
    # merged into Ceta: Ceta's 2020 (15) less Beta's published 12 would give Alfa's 3.
    reg = registry(
        "alfa",
        "beta",
        "ceta",
        "delta",
        "eta",
        merged=[("alfa", "ceta", "2022-01-01"), ("beta", "ceta", "2022-01-01")],
    )
    before = results(2020, {"alfa": (20, 3), "beta": (30, 12), "delta": (25, 9), "eta": (28, 11)})
    first, _ = protect(before, 5, reg, 2021)
    archive = [PublishedEdition(2021, published(first, 2021))]
    after = results(2020, {"ceta": (50, 15), "delta": (25, 9), "eta": (28, 11)})
    second, _ = protect(after, 5, reg, 2022, archive)
    # in 2021 the cheapest partner of Alfa's 3 in its column is Delta's 9: Beta's 12 shown
    assert ("delta", BH) in hidden(first) and ("beta", BH) not in hidden(first)
    assert ("ceta", BH) in hidden(second)
    report = audit_archive([*archive, PublishedEdition(2022, published(second, 2022))], reg)
    assert report.ok, report.lines()


# --- the audit finds planted leaks ----------------------------------------------------


def test_audits_find_a_cell_hidden_alone():
    cells = results(2020, {"alfa": (20, 3), "beta": (30, 12), "gamma": (25, 9)})
    naive = cells.assign(suppressed=(cells["base"] > 0) & (cells["base"] < 5))
    naive["value"] = naive["value"].where(~naive["suppressed"])
    leaks = outsider_leaks(published(naive, 2020))
    # whole headcounts read as rounded: 23 and 20 leave 2 1/12 .. 3 11/12 for the 3
    assert [(leak.unit_id, leak.occupation) for leak in leaks] == [("alfa", BH)]
    assert leaks[0].low <= 3.0 <= leaks[0].high and leaks[0].high - leaks[0].low < 2
    report = audit_archive(
        [PublishedEdition(2020, published(naive, 2020))], registry("alfa", "beta", "gamma")
    )
    assert not report.ok
    # published whole, a mean headcount of 23 and one of 20 leave 2 1/12 .. 3 11/12
    found = report.findings[0]
    assert found.unit_id == "alfa" and found.low <= 3.0 <= found.high
    assert found.high - found.low < 2
    assert "headcount of alfa (bistandshandlaggare) 2020" in report.lines()[-1]


def test_two_hidden_cells_that_sum_to_two_are_not_protection():
    # alfa bh 1 and beta bh 1 hidden: the column gives their sum 2, and each is at least
    # 1, so each is exactly 1. The pattern must hide more.
    cells = results(2020, {"alfa": (20, 1), "beta": (30, 1), "gamma": (25, 9)})
    out, _ = protect(cells, 5, registry("alfa", "beta", "gamma"), 2020)
    assert len(hidden(out)) > 2
    assert outsider_leaks(published(out, 2020)) == []


# --- property: after suppression the audits find nothing -----------------------------

counts = st.integers(min_value=0, max_value=14)
tables = st.lists(st.tuples(counts, counts), min_size=2, max_size=5)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables, st.lists(st.tuples(counts, counts), min_size=5, max_size=5))
def test_random_tables_are_protected(headcounts, incident_counts):
    units = [f"u{i}" for i in range(len(headcounts))]
    cells = results(
        2020,
        dict(zip(units, headcounts, strict=True)),
        incidents=dict(zip(units, incident_counts, strict=False)),
    )
    try:
        out, _ = protect(cells, 5, registry(*units), 2020)
    except disclosure.DisclosureError as exc:  # only when no pattern can exist
        pytest.fail(str(exc))
    table = published(out, 2020)
    assert outsider_leaks(table) == []
    assert audit_archive([PublishedEdition(2020, table)], registry(*units)).ok
    truth = cells.set_index(["indicator", "unit_id", "occupation"])["value"]
    small = cells[(cells["rule"] == "count") & (cells["base"] > 0) & (cells["base"] < 5)]
    flags = out.set_index(["indicator", "unit_id", "occupation"])["suppressed"]
    for r in small.itertuples():
        assert flags[(r.indicator, r.unit_id, r.occupation)]
    for key, flag in flags.items():
        if flag and key[0] in ("headcount", "incidents"):
            assert truth[key] > 0  # never a zero


def test_an_earlier_edition_of_a_revised_delivery_is_left_out_where_it_disagrees():
    # 2021 published Alfa's 12 biståndshandläggare; the corrected delivery says 13.
    reg = registry("alfa", "beta", "gamma")
    first, _ = protect(
        results(2020, {"alfa": (20, 12), "beta": (30, 3), "gamma": (25, 9)}), 5, reg, 2021
    )
    archive = [PublishedEdition(2021, published(first, 2021))]
    second, summary = protect(
        results(2020, {"alfa": (20, 13), "beta": (30, 3), "gamma": (25, 9)}), 5, reg, 2022, archive
    )
    assert any("differ from this delivery" in note for note in summary.skipped_archive)
    assert "revised" in summary.line()
    assert ("beta", BH) in hidden(second)
    assert outsider_leaks(published(second, 2022)) == []


def test_a_figure_hidden_in_several_editions_is_audited_once(monkeypatch):
    # city = a + b is published (12); a and b are hidden in this edition and in the
    # archive's edition of the same year: two figures, so two pairs of programmes
    cells = [
        disclosure._Cell(2024, "stockholm", "alla", "headcount", [0, 1], 12.0, False),
        disclosure._Cell(2024, "a", "alla", "headcount", [0], 4.0, True),
        disclosure._Cell(2024, "b", "alla", "headcount", [1], 8.0, True),
        disclosure._Cell(2023, "a", "alla", "headcount", [0], None, True),
        disclosure._Cell(2023, "b", "alla", "headcount", [1], None, True),
    ]
    solves = []
    solve = disclosure._LinearProgramme.solve
    monkeypatch.setattr(
        disclosure._LinearProgramme,
        "solve",
        lambda self, columns, maximise: solves.append(maximise) or solve(self, columns, maximise),
    )
    ranges = disclosure.YearModel(2023, 2, cells, []).ranges()
    assert len(solves) == 4
    assert (ranges[1].low, ranges[1].high) == (0.0, 12.0)
    assert ranges[3] == ranges[1] and ranges[4] == ranges[2]
    assert ranges[1].binding == {0}


# --- issue 27: the persons behind rates and shares ----------------------------------


def _without_persons(monkeypatch) -> None:
    """The pattern as it was before issue 27: headcounts and incidents only."""
    monkeypatch.setattr(disclosure, "protect_persons", lambda *args, **kwargs: ([], 0, 0))


def _as_published(out: pd.DataFrame, edition: int) -> pd.DataFrame:
    """published(), values rounded as indikatorer.csv prints them."""
    from uppfoljning.formatting import round_indicator_values

    table = published(out, edition)
    return table.assign(value=round_indicator_values(table["indicator"], table["value"]))


def test_a_leaver_count_pinned_at_zero_by_the_city_total_is_protected(monkeypatch):
    # Alfa's 3 biståndshandläggare (hidden as small) and Gamma's 9 (hidden with them)
    # lost no one; every other district's rate x headcount is one whole number and the
    # city's sum is theirs: without more hiding, both are pinned at 0 leavers.
    reg = registry("alfa", "beta", "gamma", "delta")
    cells = results(
        2020,
        {"alfa": (20, 3), "beta": (30, 12), "gamma": (25, 9), "delta": (28, 11)},
        leavers={"alfa": (2, 0), "beta": (3, 2), "gamma": (1, 0), "delta": (4, 3)},
    )
    with monkeypatch.context() as patched:
        _without_persons(patched)
        before, _ = protect(cells, 5, reg, 2020)
    leaks = outsider_leaks(_as_published(before, 2020))
    assert ("alfa", BH, "turnover_rate") in {(x.unit_id, x.occupation, x.indicator) for x in leaks}
    after, summary = protect(cells, 5, reg, 2020)
    assert outsider_leaks(_as_published(after, 2020)) == []
    assert hidden(after, "turnover_rate") > hidden(before, "turnover_rate")
    assert hidden(after) == hidden(before)  # headcounts are not touched
    assert summary.secondary > 0


def exit_cells(year: int, interviews: dict, given: dict) -> pd.DataFrame:
    """Exit-reason shares of one year: per unit its interviews and, per reason, the
    interviews giving it; the city summed."""
    units = list(interviews)
    x = {**interviews, CITY: sum(interviews.values())}
    rows = []
    for reason, counts in given.items():
        counts = {**counts, CITY: sum(counts.values())}
        for u in [*units, CITY]:
            rows.append(
                dict(
                    year=year,
                    unit_id=u,
                    occupation=ALL,
                    indicator=f"exit_reason_share_{reason}",
                    value=counts[u] / x[u],
                    base=float(x[u]),
                    rule="base",
                    count=float(counts[u]),
                )
            )
    return pd.DataFrame(rows)


def test_an_exit_count_narrowed_by_the_published_rule_is_protected(monkeypatch):
    # Four districts of 20 interviews each hide their 'ovrigt' share (1 each) and the
    # city hides its 4: each is 1..4 by the rule, and four of them make at most 4, so
    # each is exactly 1. Only hiding Zeta's published 0 protects them.
    units = ["beta", "gamma", "delta", "eta", "zeta"]
    cells = exit_cells(
        2020,
        dict.fromkeys(units, 20),
        {
            "ovrigt": {"beta": 1, "gamma": 1, "delta": 1, "eta": 1, "zeta": 0},
            # shares no district of under 5 interviews can show
            "lon": {"beta": 7, "gamma": 9, "delta": 11, "eta": 13, "zeta": 9},
        },
    )
    reg = registry(*units)
    with monkeypatch.context() as patched:
        _without_persons(patched)
        before, _ = protect(cells, 5, reg, 2020)
    leaks = outsider_leaks(_as_published(before, 2020))
    assert {x.unit_id for x in leaks} >= {"beta", "gamma", "delta", "eta"}
    after, _ = protect(cells, 5, reg, 2020)
    assert outsider_leaks(_as_published(after, 2020)) == []
    assert ("zeta", ALL) in hidden(after, "exit_reason_share_ovrigt")  # a zero, hidden


def survey_cells(rates: dict, index: dict) -> pd.DataFrame:
    """One unit 'alfa' (the city is the same figures): respondents/invited and an index
    per occupation; alla summed."""
    r = {o: rates[o][0] for o in (SS, BH)}
    n = {o: rates[o][1] for o in (SS, BH)}
    r[ALL], n[ALL] = r[SS] + r[BH], n[SS] + n[BH]
    value = {**index, ALL: (index[SS] * r[SS] + index[BH] * r[BH]) / r[ALL]}
    rows = []
    for u in ("alfa", CITY):
        for o in (SS, BH, ALL):
            rows.append(
                dict(
                    edition=2024,
                    year=2016,
                    unit_id=u,
                    occupation=o,
                    indicator="survey_response_rate",
                    value=r[o] / n[o],
                    suppressed=False,
                )
            )
            rows.append(
                dict(
                    edition=2024,
                    year=2016,
                    unit_id=u,
                    occupation=o,
                    indicator="survey_ami",
                    value=value[o],
                    suppressed=False,
                )
            )
    table = pd.DataFrame(rows)
    hide = table["occupation"] == BH
    return table.assign(suppressed=hide, value=table["value"].where(~hide))


def test_a_hidden_survey_occupation_from_two_exact_rates_is_protected_by_rounding():
    # 136 of 175 and 139 of 179 printed in full give the hidden 3 of 4 away; rounded
    # to whole percent (78 %, 78 %) and the index to 1 decimal, they do not.
    table = survey_cells({SS: (136, 175), BH: (3, 4)}, {SS: 67.3, BH: 66.3})
    leaks = outsider_leaks(table)
    assert {
        (x.unit_id, x.occupation, x.low, x.high)
        for x in leaks
        if x.indicator == "survey_response_rate"
    } == {("alfa", BH, 3.0, 3.0), (CITY, BH, 3.0, 3.0)}
    from uppfoljning.formatting import round_indicator_values

    rounded = table.assign(value=round_indicator_values(table["indicator"], table["value"]))
    assert outsider_leaks(rounded) == []


def test_rounding_alone_protects_without_hiding_more(monkeypatch):
    # Beta's 4000 biståndshandläggare shown at 0.1 percentage point leave the city's
    # leavers 8 persons of play: Alfa's hidden 0 leavers need no further cell hidden.
    reg = registry("alfa", "beta")
    cells = results(
        2020, {"alfa": (20, 3), "beta": (3000, 4000)}, leavers={"alfa": (2, 0), "beta": (300, 400)}
    )
    with monkeypatch.context() as patched:
        _without_persons(patched)
        before, _ = protect(cells, 5, reg, 2020)
    after, _ = protect(cells, 5, reg, 2020)
    assert before["suppressed"].tolist() == after["suppressed"].tolist()
    assert outsider_leaks(_as_published(after, 2020)) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), min_size=2, max_size=5), st.data()
)
def test_random_tables_with_leavers_give_no_one_away(headcounts, data):
    """After suppression the outsider's audit pins no hidden headcount and no leavers
    behind a hidden turnover rate, on the values as published (rounded)."""
    units = [f"u{i}" for i in range(len(headcounts))]
    leavers = [
        (data.draw(st.integers(0, ss)), data.draw(st.integers(0, bh))) for ss, bh in headcounts
    ]
    cells = results(
        2020,
        dict(zip(units, headcounts, strict=True)),
        leavers=dict(zip(units, leavers, strict=True)),
    )
    try:
        out, _ = protect(cells, 5, registry(*units), 2020)
    except disclosure.DisclosureError as exc:  # only when no pattern can exist
        pytest.fail(str(exc))
    assert outsider_leaks(_as_published(out, 2020)) == []


def test_an_exit_share_an_earlier_edition_hid_stays_protected_beside_its_figures():
    # The 2021 edition hid Beta's and Gamma's 'ovrigt' shares (1 and 2 of 20) and
    # published the rest. The 2022 edition shows the same year again: moving one
    # interview between the two hidden shares keeps every figure both editions show,
    # so the pattern needs nothing more, and neither edition pins a hidden count.
    units = ["beta", "gamma", "delta", "eta"]
    cells = exit_cells(
        2020,
        dict.fromkeys(units, 20),
        {
            "ovrigt": {"beta": 1, "gamma": 2, "delta": 6, "eta": 7},
            "lon": {"beta": 7, "gamma": 9, "delta": 11, "eta": 13},
        },
    )
    reg = registry(*units)
    first, _ = protect(cells, 5, reg, 2021)
    archive = [PublishedEdition(2021, _as_published(first, 2021))]
    second, _ = protect(cells, 5, reg, 2022, archive)
    ovrigt = "exit_reason_share_ovrigt"
    assert hidden(second, ovrigt) == hidden(first, ovrigt) >= {("beta", ALL), ("gamma", ALL)}
    tables = [_as_published(first, 2021), _as_published(second, 2022)]
    assert outsider_leaks(*tables) == []
    assert audit_archive([*archive, PublishedEdition(2022, tables[1])], reg).ok


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=3, max_size=5))
def test_random_exit_shares_shown_by_two_editions_give_no_one_away(given_pairs):
    """An edition built on an earlier one of the same year pins no interviews behind a
    hidden exit-reason share of either, on the values as published (rounded)."""
    units = [f"u{i}" for i in range(len(given_pairs))]
    interviews = {u: a + b + 3 for u, (a, b) in zip(units, given_pairs, strict=True)}
    cells = exit_cells(
        2020,
        interviews,
        {
            "ovrigt": {u: a for u, (a, _) in zip(units, given_pairs, strict=True)},
            "lon": {u: b for u, (_, b) in zip(units, given_pairs, strict=True)},
        },
    )
    reg = registry(*units)
    try:
        first, _ = protect(cells, 5, reg, 2021)
        archive = [PublishedEdition(2021, _as_published(first, 2021))]
        second, _ = protect(cells, 5, reg, 2022, archive)
    except disclosure.DisclosureError as exc:  # only when no pattern can exist
        pytest.fail(str(exc))
    assert outsider_leaks(_as_published(first, 2021), _as_published(second, 2022)) == []


def _certificate_and_programme(monkeypatch, cells: pd.DataFrame) -> list[tuple]:
    """(unit, reason, certified, moves) of every hidden exit-reason cell the build
    asks the exchange certificate about: the certificate's answer beside the integer
    programme's."""
    from uppfoljning import persons

    asked = []
    certified = persons._Exits.certified

    def both(self, i, hidden):
        said = bool(certified(self, i, hidden))
        objective = self._c(self.cells.indicator[i], self.atoms[i])
        truth = float(self.cells.truth[i])
        moved = persons.moves(self.model(hidden).arrays(), objective, truth)[0]
        asked.append((self.cells.unit[i], self.cells.indicator[i], said, bool(moved)))
        return said

    monkeypatch.setattr(persons._Exits, "certified", both)
    units = sorted(set(cells["unit_id"]) - {CITY})
    protect(cells, 5, registry(*units), 2020)
    return asked


def test_a_few_interviews_count_grows_with_its_interviews_as_the_programme_agrees(monkeypatch):
    # Alfa had 1 interview, which gave 'lon' and not 'ovrigt'; Beta (4) and Gamma (3)
    # are few too and could each spare 2 interviews. Alfa's 'ovrigt' can rise by 2 only
    # if its interviews rise with it: the certificate says so without an integer
    # programme, and the programme agrees.
    cells = exit_cells(
        2020,
        {"alfa": 1, "beta": 4, "gamma": 3, "delta": 20, "eta": 20},
        {
            "ovrigt": {"alfa": 0, "beta": 2, "gamma": 1, "delta": 6, "eta": 7},
            "lon": {"alfa": 1, "beta": 1, "gamma": 0, "delta": 9, "eta": 11},
        },
    )
    asked = _certificate_and_programme(monkeypatch, cells)
    assert ("alfa", "exit_reason_share_ovrigt", True, True) in asked
    assert all(moved for *_, said, moved in asked if said)


def test_a_count_of_every_interview_is_not_certified_where_it_cannot_grow(monkeypatch):
    # U0's 3 interviews all gave 'lon': its count cannot rise without more interviews,
    # and no other unit has few to spare, so only the integer programme may decide.
    cells = exit_cells(
        2020, {"u0": 3, "u1": 10}, {"ovrigt": {"u0": 2, "u1": 7}, "lon": {"u0": 3, "u1": 4}}
    )
    asked = _certificate_and_programme(monkeypatch, cells)
    assert asked and all(moved for *_, said, moved in asked if said)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.integers(1, 25).flatmap(
            lambda n: st.tuples(st.just(n), st.integers(0, n), st.integers(0, n))
        ),
        min_size=2,
        max_size=6,
    )
)
def test_the_exchange_certificate_never_passes_a_cell_the_programme_pins(units):
    """Every hidden exit-reason count the certificate calls safe moves 2 (or 1 each way)
    in the integer programme, on random years with districts of few interviews."""
    names = [f"u{i}" for i in range(len(units))]
    cells = exit_cells(
        2020,
        {u: n for u, (n, _, _) in zip(names, units, strict=True)},
        {
            "ovrigt": {u: a for u, (_, a, _) in zip(names, units, strict=True)},
            "lon": {u: b for u, (_, _, b) in zip(names, units, strict=True)},
        },
    )
    with pytest.MonkeyPatch.context() as patched:
        try:
            asked = _certificate_and_programme(patched, cells)
        except disclosure.DisclosureError:
            return  # no pattern exists: the build says so, and the certificate is moot
    assert all(moved for *_, said, moved in asked if said)


def survey_results(year: int, groups: dict) -> pd.DataFrame:
    """Survey cells of one year as the build computes them, from per-unit
    (invited, respondents, index) of each occupation: alla and the city summed."""
    full = {}
    for unit, by_occupation in groups.items():
        full.update({(unit, o): v for o, v in by_occupation.items()})
    for key in [*groups, CITY]:
        parts = (
            [full[(key, o)] for o in (SS, BH)]
            if key != CITY
            else [full[(u, o)] for u in groups for o in (SS, BH)]
        )
        for occupation, chosen in ((ALL, parts), (SS, parts[0::2]), (BH, parts[1::2])):
            if key != CITY and occupation != ALL:
                continue
            invited = sum(p[0] for p in chosen)
            answered = sum(p[1] for p in chosen)
            scores = sum(p[1] * p[2] for p in chosen if p[1])
            full[(key, occupation)] = (
                invited,
                answered,
                scores / answered if answered else math.nan,
            )
    rows = []
    for (unit, occupation), (invited, answered, index) in full.items():
        common = dict(year=year, unit_id=unit, occupation=occupation, rule="base")
        rate = answered / invited if invited else math.nan
        rows.append(dict(common, indicator="survey_response_rate", value=rate, base=float(invited)))
        rows.append(dict(common, indicator="survey_ami", value=index, base=float(answered)))
    return pd.DataFrame(rows).assign(count=math.nan)


def test_survey_respondents_pinned_at_zero_by_published_rates_are_protected(monkeypatch):
    # None of Alfa's 10 socialsekreterare and 3 biståndshandläggare answered. The 3 are
    # hidden as few, but Alfa's empty index for alla tells that none of them answered
    # either. The build hides until the package's own audit and the outsider's find no
    # hidden respondent count pinned: here the empty indices (zeros), as nothing else
    # frees the 3.
    cells = survey_results(
        2016,
        {
            "alfa": {SS: (10, 0, math.nan), BH: (3, 0, math.nan)},
            "beta": {SS: (20, 15, 70.0), BH: (10, 8, 60.0)},
            "gamma": {SS: (30, 21, 65.0), BH: (12, 9, 55.0)},
        },
    )
    reg = registry("alfa", "beta", "gamma")
    with monkeypatch.context() as patched:
        _without_persons(patched)
        before, _ = protect(cells, 5, reg, 2024)
    assert hidden(before, "survey_response_rate") == {("alfa", BH)}
    assert not audit_archive([PublishedEdition(2024, _as_published(before, 2024))], reg).ok
    after, _ = protect(cells, 5, reg, 2024)
    assert hidden(after, "survey_ami") > hidden(before, "survey_ami")
    assert ("alfa", ALL) in hidden(after, "survey_ami")  # the index that told
    assert audit_archive([PublishedEdition(2024, _as_published(after, 2024))], reg).ok
    assert outsider_leaks(_as_published(after, 2024)) == []


_survey_group = st.one_of(st.integers(1, 6), st.integers(5, 40)).flatmap(
    lambda invited: st.tuples(
        st.just(invited),
        st.integers(0, invited),
        st.floats(40, 90, allow_nan=False).map(lambda v: round(v, 3)),
    )
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_survey_group, _survey_group), min_size=2, max_size=4))
def test_random_survey_years_give_no_one_away(units):
    """The build publishes every survey year (hiding everything leaves every hidden
    count free above its lower bound, so a pattern always exists), and the outsider's
    audit pins no hidden respondent count and no hidden index."""
    groups = {
        f"u{i}": {
            o: (n, r, index if r else math.nan)
            for o, (n, r, index) in zip((SS, BH), pair, strict=True)
        }
        for i, pair in enumerate(units)
    }
    out, _ = protect(survey_results(2016, groups), 5, registry(*groups), 2024)
    assert outsider_leaks(_as_published(out, 2024)) == []


def _slices_and_year(monkeypatch, cells: pd.DataFrame) -> list[tuple]:
    """(what, certified on the unit, moves over the year) of every survey sum the
    build asks its unit certificate about (respondents: 'respondents'; an index:
    'index'): the certificate beside the programme over the whole year."""
    from uppfoljning import persons

    asked = []
    on_unit, ratio_on_unit = persons._Slices.moves, persons._Slices.ratio_moves

    def moves(self, free, objective):
        said = bool(on_unit(self, free, objective))
        if self.point is not None and free.size:
            truth = float(sum(self.point[c] * w for c, w in objective.items()))
            moved = persons.moves(self.arrays, objective, truth, self.whole)[0]
            asked.append(("respondents", said, bool(moved)))
        return said

    def ratio_moves(self, free, scores, respondents, index):
        said = bool(ratio_on_unit(self, free, scores, respondents, index))
        if self.point is not None and free.size:
            lp = persons.LinearProgramme(*self.arrays)
            ends = persons._warm_ratio_range(lp, scores, respondents, index)
            wide = ends is not None and ends[1] - ends[0] >= persons.INDEX_POINTS - 1e-6
            asked.append(("index", said, wide))
        return said

    monkeypatch.setattr(persons._Slices, "moves", moves)
    monkeypatch.setattr(persons._Slices, "ratio_moves", ratio_moves)
    units = sorted(set(cells["unit_id"]) - {CITY})
    protect(cells, 5, registry(*units), 2024)
    return asked


def test_survey_cells_shown_wide_on_their_unit_are_wide_over_the_year(monkeypatch):
    # Alfa's 3 biståndshandläggare (2 answered) are hidden as few. On Alfa alone, the
    # large districts held as delivered, their respondents and index move (the city's
    # whole-percent rates leave room for a few persons): the certificate says so
    # without a programme over the year, and that programme agrees.
    cells = survey_results(
        2016,
        {
            "alfa": {SS: (200, 120, 61.0), BH: (3, 2, 74.5)},
            "beta": {SS: (250, 180, 70.0), BH: (100, 80, 60.0)},
            "gamma": {SS: (300, 210, 65.0), BH: (120, 90, 55.0)},
        },
    )
    asked = _slices_and_year(monkeypatch, cells)
    assert ("respondents", True, True) in asked
    assert ("index", True, True) in asked
    assert all(moved for _what, said, moved in asked if said)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_survey_group, _survey_group), min_size=2, max_size=4))
def test_the_unit_certificate_never_passes_a_survey_cell_the_year_pins(units):
    """Every hidden survey sum the unit certificate calls wide is wide over the whole
    year too (in integers for respondents, over the relaxation for an index)."""
    groups = {
        f"u{i}": {
            o: (n, r, index if r else math.nan)
            for o, (n, r, index) in zip((SS, BH), pair, strict=True)
        }
        for i, pair in enumerate(units)
    }
    with pytest.MonkeyPatch.context() as patched:
        asked = _slices_and_year(patched, survey_results(2016, groups))
    assert all(moved for _what, said, moved in asked if said)


def test_a_point_off_the_model_certifies_nothing():
    # x0 + x1 = 3 with both whole: (1, 1) is not a point of it, (1.5, 1.5) not whole
    from scipy import sparse

    from uppfoljning import persons

    arrays = (
        sparse.csr_array(np.array([[1.0, 1.0]])),
        np.array([3.0]),
        np.array([3.0]),
        np.zeros(2),
        np.full(2, 10.0),
    )
    whole = np.ones(2)
    free = np.array([0])
    for point in (np.array([1.0, 1.0]), np.array([1.5, 1.5])):
        assert persons._Slices(arrays, point, whole).point is None
    held = persons._Slices(arrays, np.array([1.0, 2.0]), whole)
    # x1 held at 2 pins x0 at 1: not wide on its own, though wide over the model
    assert not held.moves(free, {0: 1.0})
    assert persons.moves(arrays, {0: 1.0}, 1.0)[0]
