"""What the translator traces for derived columns and reads out of ALTER COLUMN ... TYPE."""

from __future__ import annotations

import pytest

from redshift_dataapi.local.translate import translate
from redshift_dataapi.local.translate.alter_type import static_refusal
from redshift_dataapi.local.translate.work import AlterColumnType, DeclaredColumn, DerivedColumn


def test_ctas_columns_are_traced_through_aliases_and_joins() -> None:
    tr = translate(
        'CREATE TABLE s.out AS SELECT e.name AS title, "City", v.*, CAST(id AS VARCHAR(5)),'
        " UPPER(name) AS shout FROM events AS e JOIN public.venue v ON v.id = e.id",
        "duckdb",
    )
    assert tr.table == ("s", "out")
    assert tr.derived_sources == [(None, "events"), ("public", "venue")]
    assert tr.derived == [
        DerivedColumn("title", source=(None, "events"), source_column="name"),
        DerivedColumn("City", source_column="City"),
        DerivedColumn("*", source=("public", "venue")),
        DerivedColumn("id", declared=DeclaredColumn("id", "varchar", length=5)),
    ]


def test_select_into_and_views_are_traced() -> None:
    into = translate("SELECT a, b INTO TEMP t2 FROM t", "duckdb")
    assert (into.table, [d.name for d in into.derived]) == ((None, "t2"), ["a", "b"])
    view = translate("CREATE VIEW v AS SELECT * FROM t WITH NO SCHEMA BINDING", "duckdb")
    assert (view.view, view.table, view.derived) == ((None, "v"), None, [DerivedColumn("*")])


def test_like_takes_the_source_and_its_not_nulls() -> None:
    tr = translate("CREATE TABLE t (LIKE s.src)", "duckdb")
    assert (tr.table, tr.derived, tr.not_null_like) == (
        (None, "t"),
        [DerivedColumn("*", source=("s", "src"))],
        True,
    )


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE t AS SELECT a FROM (SELECT a FROM s) AS x",  # a derived table
        "CREATE TABLE t AS SELECT a FROM s UNION SELECT a FROM u",  # a set operation
        "CREATE TABLE t (a VARCHAR(5))",  # not derived at all
    ],
)
def test_what_is_not_traced(sql: str) -> None:
    assert translate(sql, "duckdb").derived == []


def test_alter_column_type_is_read() -> None:
    tr = translate('ALTER TABLE s."T" ALTER COLUMN Name TYPE VARCHAR(MAX)', "duckdb")
    assert tr.alter_type == AlterColumnType(
        ("s", "T"), "name", DeclaredColumn("name", "varchar", length=65535)
    )
    assert translate("ALTER TABLE t ADD COLUMN c INT", "duckdb").alter_type is None


@pytest.mark.parametrize(
    ("sql", "in_transaction", "expected"),
    [
        ("ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(9)", False, None),
        ("ALTER TABLE t ALTER COLUMN c TYPE VARBYTE(9)", False, None),
        ("ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(9)", True, "25001"),
        ("ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(9) USING c", False, "0A000"),
        ("ALTER TABLE t ALTER COLUMN c TYPE NUMERIC(20,2)", False, "0A000"),
        ("ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(65536)", False, "42601"),
    ],
)
def test_static_refusals(sql: str, in_transaction: bool, expected: str | None) -> None:
    alter = translate(sql, "duckdb").alter_type
    assert alter is not None
    refusal = static_refusal(alter, in_transaction)
    assert (refusal[1] if refusal else None) == expected


def test_postgres_runs_a_guard_first() -> None:
    tr = translate("ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(9)", "postgres")
    assert len(tr.pre_sql) == 1 and tr.pre_sql[0].startswith("DO $guard$")
    assert translate("ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(9)", "duckdb").pre_sql == []
