"""The SQLite export: tables, keys, types, views, questions answered in SQL, and safe writing."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import tokyotech_partners as ttp
from tokyotech_partners import _sqlite
from tokyotech_partners._cli import main
from tokyotech_partners._export import columns
from tokyotech_partners._schema import schemas

DS = ttp.load()


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ttp.to_sqlite(DS, tmp_path_factory.mktemp("sqlite") / "partners.sqlite")


@pytest.fixture
def db(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    yield connection
    connection.close()


def _count(db: sqlite3.Connection, sql: str) -> dict[object, int]:
    return dict(db.execute(sql).fetchall())


def test_foreign_keys_and_integrity_hold(db: sqlite3.Connection) -> None:
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_every_table_of_the_data_package_is_there_with_its_rows(db: sqlite3.Connection) -> None:
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(schemas(columns)) <= tables
    for table in ("countries", "institutions", "agreements", "offices", "budget_lines", "corrections"):
        assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (len(getattr(DS, table)),)
    partners = sum(len(a.partners) for a in DS.agreements)
    assert db.execute("SELECT COUNT(*) FROM agreement_partners").fetchone() == (partners,)
    assert db.execute("SELECT as_of, fiscal_year FROM edition").fetchall() == [
        (DS.edition.as_of.isoformat(), DS.edition.fiscal_year)
    ]


def test_primary_and_foreign_keys_are_declared(db: sqlite3.Connection) -> None:
    def primary_key(table: str) -> list[str]:
        info = db.execute(f"PRAGMA table_info({table})").fetchall()
        return [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]

    assert primary_key("agreements") == ["id"]
    assert primary_key("agreement_partners") == ["agreement_id", "position"]
    assert primary_key("agreement_exchange_types") == ["agreement_id", "exchange_type"]
    assert primary_key("institution_aliases") == ["institution_id", "position"]
    references = {(row[2], row[3]) for row in db.execute("PRAGMA foreign_key_list(agreement_partners)")}
    assert references == {
        ("agreements", "agreement_id"),
        ("institutions", "institution_id"),
        ("countries", "country"),
    }
    indexed = {row[1] for row in db.execute("PRAGMA index_list(agreement_partners)")}
    assert {"agreement_partners_institution_id", "agreement_partners_country"} <= indexed


def test_a_broken_reference_is_refused_by_the_keys(db_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(db_path, copy)
    connection = sqlite3.connect(copy)
    connection.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute("INSERT INTO agreement_exchange_types VALUES ('no-such-agreement', 'F')")
    with pytest.raises(sqlite3.IntegrityError):  # an enum value the model does not have
        connection.execute("UPDATE agreements SET level = 'faculty' WHERE id = 'I-001'")
    connection.close()


def test_scalar_columns_keep_their_types(db: sqlite3.Connection) -> None:
    assert _count(db, "SELECT typeof(concluded), COUNT(*) FROM agreements GROUP BY 1") == {"integer": 237}
    missing_units = sum(a.partner_unit is None for a in DS.agreements)
    assert db.execute("SELECT COUNT(*) FROM agreements WHERE partner_unit IS NULL").fetchone() == (
        missing_units,
    )
    assert db.execute("SELECT COUNT(*) FROM agreements WHERE partner_unit = ''").fetchone() == (0,)
    kinds = _count(db, "SELECT typeof(percent), COUNT(*) FROM budget_lines GROUP BY 1")
    assert set(kinds) <= {"real", "null"}
    assert kinds["real"] == sum(b.percent is not None for b in DS.budget_lines)
    uncertain = sum(a.counterparts_uncertain for a in DS.agreements)
    assert db.execute("SELECT SUM(counterparts_uncertain) FROM agreements").fetchone() == (uncertain,)


def test_text_lists_are_link_tables_in_order(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT institution_id, alias FROM institution_aliases ORDER BY institution_id, position"
    )
    expected = [(i.id, alias) for i in DS.institutions for alias in i.aliases]
    assert rows.fetchall() == expected
    assert expected  # the check compares something


def test_agreements_per_country_in_sql_match_count_by(db: sqlite3.Connection) -> None:
    expected = ttp.count_by(DS.agreements, "country")
    assert _count(db, "SELECT country, COUNT(*) FROM agreement_countries GROUP BY country") == expected
    view = db.execute("SELECT country, agreements FROM agreements_per_country").fetchall()
    assert view == list(expected.items())  # the same order too: most first, ties by code


def test_agreements_per_counterpart_in_sql_match_count_by(db: sqlite3.Connection) -> None:
    sql = """SELECT counterpart, COUNT(*) FROM agreement_counterparts GROUP BY counterpart
             UNION ALL
             SELECT NULL, COUNT(*) FROM agreements
              WHERE id NOT IN (SELECT agreement_id FROM agreement_counterparts)"""
    assert _count(db, sql) == ttp.count_by(DS.agreements, "counterpart")


def test_agreements_per_decade_and_exchange_type_in_sql_match_count_by(db: sqlite3.Connection) -> None:
    expected = ttp.count_by(DS.agreements, "decade")
    assert _count(db, "SELECT concluded / 10 * 10, COUNT(*) FROM agreements GROUP BY 1") == expected
    view = db.execute("SELECT decade, agreements FROM agreements_per_decade").fetchall()
    assert view == list(expected.items())
    school = ttp.count_by(DS.agreements_where(level="school"), "decade")
    assert _count(db, "SELECT decade, school FROM agreements_per_decade WHERE school > 0") == school
    by_type = _count(db, "SELECT exchange_type, COUNT(*) FROM agreement_exchange_types GROUP BY 1")
    assert by_type == ttp.count_by(DS.agreements, "exchange_type")


def test_the_partner_view_joins_names_and_countries(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT institution_name, country_name, world_region FROM agreements_with_partners "
        "WHERE agreement_id = 'I-001'"
    ).fetchall()
    assert rows == [("Harbin Institute of Technology", "China", "Asia")]
    assert db.execute("SELECT COUNT(*) FROM agreements_with_partners").fetchone() == (
        sum(len(a.partners) for a in DS.agreements),
    )
    documented = (Path(__file__).parent.parent / "docs" / "sqlite.md").read_text(encoding="utf-8")
    assert all(f"`{view}`" in documented for view in _sqlite.VIEWS)


def test_an_existing_file_is_replaced_only_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "out.sqlite"
    target.write_bytes(b"keep me")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        ttp.to_sqlite(DS, target)
    assert target.read_bytes() == b"keep me"
    ttp.to_sqlite(DS, target, overwrite=True)
    with sqlite3.connect(target) as connection:
        assert connection.execute("SELECT COUNT(*) FROM agreements").fetchone() == (237,)
    connection.close()
    assert [p.name for p in tmp_path.iterdir()] == ["out.sqlite"]  # no temporary file left


def test_a_symbolic_link_is_never_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("untouched", encoding="utf-8")
    link = tmp_path / "link.sqlite"
    link.symlink_to(elsewhere)
    with pytest.raises(FileExistsError, match="symbolic link"):
        ttp.to_sqlite(DS, link, overwrite=True)
    assert link.is_symlink()
    assert elsewhere.read_text(encoding="utf-8") == "untouched"


def test_a_failure_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.sqlite"
    target.write_bytes(b"old")

    def fail(connection: sqlite3.Connection, ds: ttp.Dataset) -> None:
        connection.execute("CREATE TABLE half (x)")
        raise RuntimeError("disk full")

    monkeypatch.setattr(_sqlite, "_fill", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        ttp.to_sqlite(DS, target, overwrite=True)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.sqlite"]


def test_the_cli_exports_sqlite_and_asks_before_replacing(tmp_path: Path) -> None:
    import io

    target = tmp_path / "partners.sqlite"

    def run(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()

    assert run("export", "--format", "sqlite", str(target)) == (0, f"wrote {target}\n", "")
    status, _, err = run("export", "--format", "sqlite", str(target))
    assert status == 1
    assert "already exists" in err
    assert "--force" in err
    assert run("export", "--format", "sqlite", "--force", str(target))[0] == 0
    assert run("export", "--format", "sqlite", "")[0] == 2


def test_the_sqlite_shell_reads_a_view(db_path: Path) -> None:
    shell = shutil.which("sqlite3")
    if shell is None:
        pytest.skip("the sqlite3 shell is not installed")
    done = subprocess.run(
        [shell, "-readonly", str(db_path), "SELECT country, agreements FROM agreements_per_country LIMIT 2"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "CN|23\nFR|22\n"
