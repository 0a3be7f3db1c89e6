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
