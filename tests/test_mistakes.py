"""The mistakes a person really makes get a message that says what to do."""

from __future__ import annotations

import pytest

import tokyotech_partners as ttp

DS = ttp.load()


def test_a_chart_given_agreements_first_says_to_pass_the_dataset_first() -> None:
    pytest.importorskip("matplotlib")
    with pytest.raises(TypeError, match=r"plot_map takes the dataset first"):
        ttp.plot_map(DS.agreements)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"plot_agreements_per_year takes the dataset first"):
        ttp.plot_agreements_per_year(DS.agreements_where(country="DE"))  # type: ignore[arg-type]


def test_counting_something_else_than_agreements_says_what_to_count() -> None:
    with pytest.raises(
        TypeError, match=r"count_by counts agreements, such as ds.agreements, not Institution"
    ):
        ttp.count_by(DS.institutions, "country")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"count_by takes agreements.*not the dataset"):
        ttp.count_by(DS, "country")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"crosstab takes agreements"):
        ttp.crosstab(DS, "level", "region")  # type: ignore[arg-type]
    assert ttp.count_by([], "level") == {}


def test_a_whole_dataset_given_for_a_table_names_the_tables() -> None:
    with pytest.raises(TypeError, match=r"not the whole dataset: pass ds.agreements"):
        ttp.to_csv(DS)  # type: ignore[arg-type]


def test_a_value_with_no_close_match_lists_the_values() -> None:
    with pytest.raises(ttp.UnknownValueError, match=r"the level values are 'institutional', 'school'"):
        DS.agreements_where(level="university")
