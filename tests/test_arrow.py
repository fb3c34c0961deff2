"""Arrow tables and polars DataFrames: real types, counts, DuckDB, and the missing extras."""

from __future__ import annotations

import subprocess
import sys

import pytest

import tokyotech_partners as ttp

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")

DS = ttp.load()


def test_agreements_as_arrow_have_real_types() -> None:
    table = ttp.to_arrow(DS.agreements)
    schema = table.schema
    assert table.num_rows == len(DS.agreements)
    assert schema.names == list(ttp.to_records(DS.agreements[:1])[0])
    assert schema.field("concluded").type == pa.int64()
    assert schema.field("counterparts_uncertain").type == pa.bool_()
    assert pa.types.is_dictionary(schema.field("level").type)
    assert schema.field("partners").type == pa.list_(pa.string())
    exchange = schema.field("exchange_types").type
    assert pa.types.is_list(exchange)
    assert pa.types.is_dictionary(exchange.value_type)
    # the dictionary is every member in declared order, whether present or not
    levels = table.column("level").combine_chunks().dictionary.to_pylist()
    assert levels == [m.value for m in ttp.AgreementLevel]
    first = table.slice(0, 1).to_pylist()[0]
    assert first["exchange_types"] == ["F", "S", "I"]
    assert first["partners"] == ["harbin-institute-of-technology"]
    assert first["partner_unit"] is None
    assert first["counterparts"] == []
    missing = sum(a.partner_unit is None for a in DS.agreements)
    assert table.column("partner_unit").null_count == missing


def test_dates_decimals_and_optional_integers_keep_their_types() -> None:
    offices = ttp.to_arrow(DS.offices)
    assert offices.schema.field("succeeds_established").type == pa.int64()
    assert offices.column("succeeds_established").null_count == sum(
        o.succeeds_established is None for o in DS.offices
    )
    budget = ttp.to_arrow(DS.budget_lines)
    assert budget.schema.field("percent").type == pa.float64()
    assert budget.column("percent").to_pylist()[0] == 100.0
    assert budget.column("percent").null_count == sum(b.percent is None for b in DS.budget_lines)


def test_a_count_is_a_key_column_and_agreements() -> None:
    counts = ttp.count_by(DS.agreements, "counterpart")
    table = ttp.to_arrow(counts)
    assert table.schema.names == ["counterpart", "agreements"]
    assert pa.types.is_dictionary(table.schema.field("counterpart").type)
    assert dict(zip(*table.to_pydict().values(), strict=True)) == counts
    decades = ttp.to_arrow(ttp.count_by(DS.agreements, "decade"))
    assert decades.schema.field("decade").type == pa.int64()
    assert decades.to_pydict() == {
        "decade": [1970, 1980, 1990, 2000, 2010, 2020],
        "agreements": [2, 7, 41, 55, 120, 12],
    }


def test_a_crosstab_is_long_one_row_per_cell() -> None:
    grid = ttp.crosstab(DS.agreements, "level", "decade")
    table = ttp.to_arrow(grid)
    assert table.schema.names == ["level", "decade", "agreements"]
    cells = {(r["level"], r["decade"]): r["agreements"] for r in table.to_pylist()}
    assert cells == {(r, c): n for r, row in grid.items() for c, n in row.items()}


def test_polars_has_the_same_columns_in_its_types() -> None:
    frame = ttp.to_polars(DS.agreements)
    assert frame.columns == ttp.to_arrow(DS.agreements).schema.names
    assert frame.schema["level"] == pl.Enum([m.value for m in ttp.AgreementLevel])
    assert frame.schema["concluded"] == pl.Int64
    assert frame.schema["exchange_types"] == pl.List(pl.Enum([t.value for t in ttp.ExchangeType]))
    assert frame.schema["partners"] == pl.List(pl.String)
    assert frame["partner_unit"].null_count() == sum(a.partner_unit is None for a in DS.agreements)
    per_country = frame.explode("countries").group_by("countries").len()
    got = {row[0]: row[1] for row in per_country.iter_rows() if row[0] is not None}
    expected = {k: v for k, v in ttp.count_by(DS.agreements, "country").items() if k is not None}
    assert got == expected
    counts = ttp.to_polars(ttp.count_by(DS.agreements, "level"))
    assert counts.rows() == [("school", 128), ("institutional", 109)]


def test_wrong_input_is_a_type_error() -> None:
    for function in (ttp.to_arrow, ttp.to_polars):
        with pytest.raises(TypeError, match="not the whole dataset"):
            function(DS)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="count_by or crosstab"):
            function({"a": "b"})
    assert ttp.to_arrow([]).num_columns == 0
    assert ttp.to_polars([]).shape == (0, 0)


def test_duckdb_queries_the_arrow_table_by_name() -> None:
    duckdb = pytest.importorskip("duckdb")
    agreements = ttp.to_arrow(DS.agreements)  # noqa: F841 -- DuckDB finds it by its name
    rows = duckdb.sql(
        "SELECT country, COUNT(*) FROM (SELECT unnest(countries) AS country FROM agreements) GROUP BY country"
    ).fetchall()
    expected = {k: v for k, v in ttp.count_by(DS.agreements, "country").items() if k is not None}
    assert dict(rows) == expected


def _missing(blocked: str, call: str) -> subprocess.CompletedProcess[str]:
    code = (
        f"import sys; sys.modules[{blocked!r}] = None\n"
        "import tokyotech_partners as ttp\n"
        "try:\n"
        f"    result = {call}\n"
        "    print('built', type(result).__module__.split('.')[0])\n"
        "except ttp.MissingExtraError as exc:\n"
        "    print(exc)\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)


@pytest.mark.parametrize(
    ("module", "function", "extra"), [("pyarrow", "to_arrow", "arrow"), ("polars", "to_polars", "polars")]
)
def test_a_missing_extra_gives_one_clear_message(module: str, function: str, extra: str) -> None:
    done = _missing(module, f"ttp.{function}(ttp.load().offices)")
    assert done.stdout.strip() == (
        f"{function} needs {module}, which is not installed: "
        f"pip install '.[{extra}]' in a clone of the repository (the package is not on an index)"
    )


def test_polars_does_not_need_pyarrow() -> None:
    assert _missing("pyarrow", "ttp.to_polars(ttp.load().agreements)").stdout.strip() == "built polars"
