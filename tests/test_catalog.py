"""The catalogue holds each indicator fact once; labels hold only its Swedish words."""

from __future__ import annotations

import pytest

from uppfoljning import catalog, contract, formatting, labels


def test_every_fixed_indicator_has_words_and_nothing_else_does():
    assert list(labels.INDICATORS) == list(catalog.FIXED)


def test_labels_hold_only_words():
    assert set(labels.IndicatorLabel.__dataclass_fields__) == {"name", "definition"}


def test_every_known_indicator_has_a_label():
    for indicator in catalog.KNOWN:
        assert labels.indicator_label(indicator).name


@pytest.mark.parametrize(
    ("indicator", "family", "code"),
    [
        ("survey_ami", catalog.SURVEY, "ami"),
        ("survey_new_index", catalog.SURVEY, "new_index"),
        ("exit_reason_share_lon", catalog.EXIT_REASON, "lon"),
        ("survey_response_rate", "", ""),
        ("turnover_rate", "", ""),
    ],
)
def test_generated_families_are_told_apart_by_one_rule(indicator, family, code):
    record = catalog.indicator(indicator)
    assert catalog.family_of(indicator) == record.family == family
    assert record.code == code
    if family:
        assert catalog.family_id(family, code) == indicator


def test_unknown_ids_are_not_in_the_catalogue():
    assert catalog.find("survey_") is None
    assert catalog.find("exit_reason_share_not_a_contract_code") is None
    assert catalog.find("made_up") is None
    with pytest.raises(KeyError):
        catalog.indicator("made_up")


def test_exit_shares_follow_the_contract_codes():
    shares = [i for i in catalog.KNOWN if catalog.is_exit_share(i)]
    assert shares == [catalog.exit_share_id(code) for code in contract.EXIT_REASONS]


def test_additive_indicators_are_counts_or_amounts_shown_on_every_occupation_they_have():
    for record in catalog.KNOWN.values():
        if record.additive:
            assert record.kind in (catalog.COUNT_KIND, catalog.AMOUNT)
        if record.whole:
            assert record.kind == catalog.COUNT_KIND


@pytest.mark.parametrize(
    ("items", "joined"),
    [([], ""), (["A"], "A"), (["A", "B"], "A och B"), (["A", "B", "C"], "A, B och C")],
)
def test_one_swedish_list_joiner(items, joined):
    assert formatting.join_list(items) == joined


def test_the_occupation_rows_are_declared_once():
    """``alla`` and the occupation codes are written in the catalogue (and the codes in
    the contract) only; every other module reads catalog.ALL, SS, BH, BY_OCCUPATION."""
    import ast
    from pathlib import Path

    package = Path(catalog.__file__).parent
    codes = {catalog.ALL, *contract.OCCUPATIONS}
    declared = {"catalog.py", "contract.py"}
    restated = [
        f"{path.relative_to(package)}:{node.lineno} {node.value!r}"
        for path in sorted(package.rglob("*.py"))
        if path.name not in declared and "demo" not in path.relative_to(package).parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value in codes
    ]
    assert not restated, "occupation codes restated (read them from catalog):\n" + "\n".join(
        restated
    )


def test_the_published_order_lists_each_occupation_then_alla():
    assert catalog.BY_OCCUPATION == (*contract.OCCUPATIONS, catalog.ALL)
    assert (catalog.SS, catalog.BH) == contract.OCCUPATIONS
    assert catalog.OCCUPATION_PARTS[catalog.ALL] == contract.OCCUPATIONS
    assert all(catalog.OCCUPATION_PARTS[o] == (o,) for o in contract.OCCUPATIONS)


def test_every_source_table_has_its_family_and_its_facts():
    """A family registers by its source table (indicators.FAMILIES); it reads the table's
    years from the contract's period column and the occupation rows from here, so each
    source named by the catalogue is a contract table with a period, one family and one
    set of occupation rows."""
    from uppfoljning import indicators

    sources = list(dict.fromkeys(record.source for record in catalog.KNOWN.values()))
    assert list(indicators.FAMILIES) == sources
    for source in sources:
        assert contract.TABLES[source].period, source
        assert catalog.source_occupations(source)
    survey_index = catalog.indicator("survey_any_index")
    assert survey_index.occupations == catalog.source_occupations(survey_index.source)


def test_every_entry_answers_direction_tied_rate_and_change_watch():
    """Direction, the tied count and the change watch have no default: a new entry
    that forgets one fails when the catalogue is imported, so the question is asked
    where the indicator is added."""
    import dataclasses

    fields = {f.name: f for f in dataclasses.fields(catalog.Indicator)}
    for name in ("higher_is_worse", "tied_to", "watch_change"):
        assert fields[name].default is dataclasses.MISSING, name
        assert fields[name].kw_only, name
    with pytest.raises(TypeError, match="higher_is_worse"):
        catalog.Indicator(  # type: ignore[call-arg]
            "x", "employments", catalog.RATE, catalog.PERCENT, 1, catalog.BASE, catalog.ONLY_ALL
        )
    for record in catalog.KNOWN.values():
        assert record.higher_is_worse in (True, False, None), record.id
        assert record.watch_change in (catalog.WATCH_POINTS, catalog.WATCH_RATIO, catalog.NO_WATCH)


def test_a_tied_rate_is_tied_to_a_published_count_of_its_own_table():
    from uppfoljning import disclosure

    tied = catalog.tied_rates()
    assert tied, "no rate is tied to its count"
    for rate, count in tied.items():
        record, counted = catalog.indicator(rate), catalog.indicator(count)
        assert record.kind == catalog.RATE, rate
        assert (counted.kind, counted.rule) == (catalog.COUNT_KIND, catalog.COUNT), rate
        assert (counted.source, counted.occupations) == (record.source, record.occupations)
    # disclosure hides the rates of its TIED with their counts: the catalogue's
    assert disclosure.TIED == tied


def test_the_change_watch_fits_the_check_that_reads_it():
    """WATCH_RATIO is the count check ("Antal fördubblas eller halveras inte"),
    WATCH_POINTS the turnover check (percentage points of a percentage)."""
    for record in catalog.KNOWN.values():
        if record.watch_change == catalog.WATCH_RATIO:
            assert record.kind == catalog.COUNT_KIND, record.id
        if record.watch_change == catalog.WATCH_POINTS:
            assert (record.kind, record.display) == (catalog.RATE, catalog.PERCENT), record.id
    assert catalog.watched_change("made_up") == catalog.NO_WATCH
