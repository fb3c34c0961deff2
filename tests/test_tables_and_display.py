"""Tidy tables, DataFrames that equal their CSV, labelled counts, short reprs and HTML displays."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import attrs
import pytest

import tokyotech_partners as ttp

pd = pytest.importorskip("pandas")

DS = ttp.load()
BASE_TABLES = ["agreements", "institutions", "offices", "budget_lines", "countries", "corrections"]
TIDY = {
    "agreement_partners": lambda ds: ttp.agreement_partners(ds.agreements),
    "agreement_counterparts": lambda ds: ttp.agreement_counterparts(ds.agreements),
    "agreement_exchange_types": lambda ds: ttp.agreement_exchange_types(ds.agreements),
    "institution_summary": ttp.institution_summary,
}
ALL_TABLES = {
    **{name: (lambda ds, name=name: getattr(ds, name)) for name in BASE_TABLES},
    **TIDY,
    "budget_shares": lambda ds: ttp.budget_shares(ds.budget_lines),
    "reconcile_budget": lambda ds: ttp.reconcile_budget(ds.budget_lines),
    "school_agreements": lambda ds: ds.agreements_where(level="school"),
}


# ------------------------------------------------------------------ missing values are missing


@pytest.mark.parametrize("name", sorted(ALL_TABLES))
def test_dataframe_equals_its_csv_read_back(name: str) -> None:
    items = ALL_TABLES[name](DS)
    frame = ttp.to_dataframe(items)
    text = ttp.to_csv(items)
    typed = pd.read_csv(io.StringIO(text), dtype=frame.dtypes.to_dict())
    pd.testing.assert_frame_equal(frame, typed)
    plain = pd.read_csv(io.StringIO(text))  # what a user gets without dtype=: the same gaps
    pd.testing.assert_frame_equal(frame.isna(), plain.isna())
    for column in frame.select_dtypes(include="object").columns:
        assert not (frame[column] == "").any(), column


def test_a_missing_value_is_never_an_empty_string() -> None:
    frame = ttp.to_dataframe(DS.agreements)
    counts = frame["counterparts"].str.split(";").explode().value_counts()
    assert "" not in counts.index
    assert frame["counterparts"].isna().sum() == sum(not a.counterparts for a in DS.agreements)
    assert frame["notes"].dtype == object
    assert frame["concluded"].dtype == "int64"
    assert ttp.to_dataframe(DS.offices)["succeeds_established"].dtype == "Int64"
    assert all(
        r["counterparts"] is None for r in ttp.to_records(DS.agreements) if r["level"] == "institutional"
    )


def test_json_has_arrays_for_several_values_and_null_for_none() -> None:
    records = json.loads(ttp.to_json(DS.agreements))
    for record, agreement in zip(records, DS.agreements, strict=True):
        assert record["partners"] == [p.id for p in agreement.partners]
        assert sorted(record["exchange_types"]) == sorted(t.value for t in agreement.exchange_types)
        assert sorted(record["counterparts"]) == sorted(c.value for c in agreement.counterparts)
        assert record["partner_unit"] == agreement.partner_unit
        assert record["counterpart_doubt"] == agreement.counterpart_doubt
    assert all(v != "" for r in records for v in r.values())


# ------------------------------------------------------------------ tidy tables


def test_agreement_partners_follow_the_agreements() -> None:
    rows = ttp.agreement_partners(DS.agreements)
    expected = [(a.id, k, p.id, p.country) for a in DS.agreements for k, p in enumerate(a.partners, 1)]
    assert [(r.agreement_id, r.position, r.institution_id, r.country) for r in rows] == expected


def test_counterpart_and_exchange_tables_follow_the_agreements() -> None:
    counterparts = ttp.agreement_counterparts(DS.agreements)
    assert {(r.agreement_id, r.counterpart) for r in counterparts} == {
        (a.id, c) for a in DS.agreements for c in a.counterparts
    }
    by_id = {a.id: a for a in DS.agreements}
    assert all(r.uncertain is by_id[r.agreement_id].counterparts_uncertain for r in counterparts)
    exchange = ttp.agreement_exchange_types(DS.agreements)
    assert len(exchange) == sum(len(a.exchange_types) for a in DS.agreements)
    assert {(r.agreement_id, r.exchange_type) for r in exchange} == {
        (a.id, t) for a in DS.agreements for t in a.exchange_types
    }


def test_institution_summary_adds_up() -> None:
    rows = ttp.institution_summary(DS)
    assert [r.id for r in rows] == [i.id for i in DS.institutions]
    for row in rows:
        mine = DS.agreements_of(row.id)
        assert row.agreements == len(mine) == row.institutional + row.school
        assert row.school == sum(a.level is ttp.AgreementLevel.SCHOOL for a in mine)
        assert row.first_year == min(a.concluded for a in mine)
        assert row.latest_year == max(a.concluded for a in mine)
        assert row.country == DS.institution(row.id).country
    german = ttp.institution_summary(DS, DS.agreements_where(country="DE"))
    assert sum(r.agreements for r in german if r.country == "DE") >= len(DS.agreements_where(country="DE"))
    assert any(r.agreements == 0 and r.first_year is None for r in german)


def test_the_data_package_holds_the_tidy_tables(tmp_path: Path) -> None:
    path = ttp.export_datapackage(DS, tmp_path)
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    names = [r["name"] for r in descriptor["resources"]]
    for name, build in TIDY.items():
        assert name in names
        assert (tmp_path / f"{name}.csv").read_text(encoding="utf-8") == ttp.to_csv(build(DS))
        schema = next(r["schema"] for r in descriptor["resources"] if r["name"] == name)
        header = next(csv.reader(io.StringIO(ttp.to_csv(build(DS)))))
        assert [f["name"] for f in schema["fields"]] == header


def test_the_tidy_tables_are_in_the_data_dictionary() -> None:
    ttp_docs = pytest.importorskip("ttp_docs")
    text = ttp_docs.data_dictionary()
    for cls in (
        ttp.AgreementPartner,
        ttp.AgreementCounterpart,
        ttp.AgreementExchange,
        ttp.InstitutionSummary,
    ):
        assert f"### {cls.__name__}" in text
        for field in attrs.fields(cls):
            assert f"`{field.name}`" in text


# ------------------------------------------------------------------ counts as tables


def test_count_by_decade_is_in_decade_order_and_labelled() -> None:
    counts = ttp.count_by(DS.agreements, "decade")
    assert list(counts) == sorted(counts)
    series = ttp.to_dataframe(counts)
    assert series.index.name == "decade"
    assert series.name == "agreements"
    assert series.index.is_monotonic_increasing
    assert series.to_dict() == dict(counts)
    by_level = ttp.count_by(DS.agreements, "level")
    assert list(by_level.values()) == sorted(by_level.values(), reverse=True)


def test_country_counts_with_names_and_crosstab_labels() -> None:
    counts = ttp.count_by(DS.agreements, "country")
    series = ttp.to_dataframe(counts, names=True)
    assert series.index.names == ["country", "country_name"]
    assert series.loc[("JP", "Japan")] == counts["JP"]
    table = ttp.to_dataframe(ttp.crosstab(DS.agreements, "region", "level"))
    assert (table.index.name, table.columns.name) == ("region", "level")
    assert int(table.to_numpy().sum()) == len(DS.agreements)
    named = ttp.to_dataframe(ttp.crosstab(DS.agreements, "country", "level"), names=True)
    assert "Germany" in named.index.get_level_values("country_name")


@pytest.mark.parametrize(
    ("call", "function"),
    [
        (lambda: ttp.to_dataframe("agreements"), "to_dataframe"),
        (lambda: ttp.to_dataframe(DS), "to_dataframe"),
        (lambda: ttp.to_dataframe(DS.agreements[0]), "to_dataframe"),
        (lambda: ttp.to_dataframe([1, 2]), "to_dataframe"),
        (lambda: ttp.to_dataframe({"a": "b"}), "to_dataframe"),
        (lambda: ttp.to_csv(["x"]), "to_csv"),
        (lambda: ttp.to_json(DS), "to_json"),
    ],
)
def test_a_wrong_argument_names_the_function_called(call: object, function: str) -> None:
    with pytest.raises(TypeError) as info:
        call()  # type: ignore[operator]
    assert str(info.value).startswith(function)


# ------------------------------------------------------------------ reprs and HTML


def test_reprs_are_short_and_name_the_record() -> None:
    assert len(repr(DS)) < 200
    assert "\n" not in repr(DS)
    assert str(len(DS.agreements)) in repr(DS)
    assert DS.as_of.isoformat() in repr(DS)
    for table in BASE_TABLES:
        for record in getattr(DS, table):
            text = repr(record)
            assert len(text) < 200, text
            key = getattr(record, "id", None) or getattr(record, "code", None) or record.record
            assert repr(key) in text
    reprs = {repr(a) for a in DS.agreements}
    assert len(reprs) == len(DS.agreements)  # unambiguous


def test_query_results_stay_tuples() -> None:
    chosen = DS.agreements_where(country="DE")
    plain = tuple(a for a in DS.agreements if "DE" in a.countries)
    assert isinstance(chosen, tuple)
    assert chosen == plain
    assert plain == chosen
    assert chosen[1:3] == plain[1:3]
    assert chosen[0] is plain[0]
    assert hash(chosen) == hash(plain)
    assert isinstance(DS.search_institutions("tokyo"), tuple)
    assert isinstance(DS.agreements_of("mit"), tuple)


def test_html_is_escaped_and_short() -> None:
    odd = ttp.Institution(id="x<y>", name="<script>alert(1)</script> & Co", country=None)
    html = odd._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp; Co" in html
    agreement = attrs.evolve(DS.agreements[0], partners=(odd,))
    assert "<script>" not in ttp.agreement_partners([agreement])._repr_html_()  # type: ignore[attr-defined]
    big = ttp.agreement_partners(DS.agreements)._repr_html_()  # type: ignore[attr-defined]
    total = sum(len(a.partners) for a in DS.agreements)
    assert big.count("<tr>") <= 21
    assert f"... {total - 20} more rows" in big
    for shown in (
        DS,
        DS.agreements[0],
        DS.offices[0],
        DS.budget_lines[0],
        DS.countries[0],
        DS.corrections[0],
    ):
        assert shown._repr_html_().startswith("<table")
    counts = ttp.count_by(DS.agreements, "partner")
    assert f"... {len(counts) - 20} more rows" in counts._repr_html_()  # type: ignore[attr-defined]
