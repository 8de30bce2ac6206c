"""The physical design and the keys the translator reads out of CREATE TABLE."""

from __future__ import annotations

import pytest

from redshift_dataapi.local.translate import translate
from redshift_dataapi.local.translate.design import TableDesign, table_design
from redshift_dataapi.local.translate.tokens import tokenize


@pytest.mark.parametrize(
    ("sql", "expected", "diststyle"),
    [
        (
            "CREATE TABLE s.t (v VARCHAR(4) ENCODE lzo, p TIMESTAMP) DISTKEY(v) SORTKEY(p)",
            TableDesign(None, "v", ["p"], False, {"v": "lzo"}),
            "KEY(v)",
        ),
        (
            "create table t (a int distkey sortkey encode az64, b varchar(10) sortkey)"
            " diststyle key",
            TableDesign("KEY", "a", ["a", "b"], False, {"a": "az64"}),
            "KEY(a)",
        ),
        (
            "CREATE TABLE t (a INT, b INT) DISTSTYLE ALL INTERLEAVED SORTKEY (b, a)",
            TableDesign("ALL", None, ["b", "a"], True, {}),
            "ALL",
        ),
        ("CREATE TABLE t (sortkey INT, a NUMERIC(8,2))", TableDesign(), "AUTO(EVEN)"),
        ("CREATE TABLE t DISTSTYLE EVEN AS SELECT 1 AS sortkey", TableDesign("EVEN"), "EVEN"),
    ],
)
def test_table_design(sql: str, expected: TableDesign, diststyle: str) -> None:
    design = table_design(tokenize(sql))
    assert design == expected
    assert design.effective_diststyle == diststyle
    assert translate(sql, "duckdb").design == expected


def test_duckdb_gets_the_table_without_its_keys() -> None:
    tr = translate(
        "CREATE TABLE sales (id INT PRIMARY KEY, buyer INT REFERENCES users, code CHAR(2),"
        " CONSTRAINT u UNIQUE (code, buyer), FOREIGN KEY (code) REFERENCES codes (code))",
        "duckdb",
    )
    assert "PRIMARY" not in tr.sql.upper() and "REFERENCES" not in tr.sql.upper()
    assert "UNIQUE" not in tr.sql.upper() and "NOT NULL" in tr.sql.upper()
    assert [(k.name, k.kind, k.columns, k.ref_table, k.ref_columns) for k in tr.keys] == [
        (None, "PRIMARY KEY", ["id"], None, []),
        (None, "FOREIGN KEY", ["buyer"], "users", []),
        ("u", "UNIQUE", ["code", "buyer"], None, []),
        (None, "FOREIGN KEY", ["code"], "codes", ["code"]),
    ]


def test_postgresql_keeps_its_keys() -> None:
    tr = translate("CREATE TABLE t (id INT PRIMARY KEY)", "postgres")
    assert "PRIMARY KEY" in tr.sql.upper() and tr.keys == []


def test_duckdb_reads_key_views_from_the_recorded_keys() -> None:
    sql = translate(
        "SELECT constraint_name FROM information_schema.table_constraints", "duckdb"
    ).sql
    assert "main.redshift_table_constraints" in sql


@pytest.mark.parametrize("target", ["duckdb", "postgres"])
def test_ratio_to_report_is_a_share_of_the_window_sum(target: str) -> None:
    sql = translate(
        "SELECT RATIO_TO_REPORT(qty) OVER (PARTITION BY k) FROM t",
        target,  # type: ignore[arg-type]
    ).sql
    assert "RATIO_TO_REPORT(" not in sql.upper()  # the result column keeps the name
    assert "SUM(qty) OVER (PARTITION BY k) AS ratio_to_report" in sql


def test_postgresql_names_derived_tables() -> None:
    sql = translate("SELECT x FROM (SELECT 1 AS x) WHERE x = 1", "postgres").sql
    assert "AS _subquery_1" in sql
