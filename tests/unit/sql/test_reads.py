"""Which statements a connection may run before BEGIN (sql/reads.py)."""

from __future__ import annotations

import pytest

from redshift_dataapi.sql.reads import is_plain_read

READS = [
    "SELECT 1",
    "select a, b from t where x = 'INSERT INTO t VALUES (1)'",
    "  -- a comment\n SELECT 1;",
    "SELECT 1;;",
    "WITH x AS (SELECT 1 AS a) SELECT * FROM x",
    "(SELECT 1) UNION (SELECT 2)",
    "SHOW search_path",
    "EXPLAIN SELECT * FROM t",
    'SELECT "into" FROM t',  # quoted identifier: not the keyword
    "SELECT /* DELETE */ 1",
    "SELECT :a + 1",
    "SELECT $$ UPDATE $$",
]
NOT_READS = [
    "",
    "   ",
    "-- only a comment",
    "INSERT INTO t VALUES (1)",
    "SELECT * INTO new_t FROM t",
    "select 1; delete from t",
    "SELECT 1; SELECT 2",
    "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
    "SELECT * FROM t FOR UPDATE",
    "SELECT * FROM t FOR SHARE",
    "EXPLAIN ANALYZE DELETE FROM t",
    "CREATE TABLE t AS SELECT 1",
    "UNLOAD ('SELECT 1') TO 's3://b/p' IAM_ROLE default",
    "CALL proc()",
    "BEGIN",
    "COMMIT",
    "SET search_path TO x",
    "VALUES (1)",  # harmless, but not in the list: costs only a BEGIN
    "SELECT lock FROM t",  # a bare column named like a write word: a BEGIN, never a lost write
]


@pytest.mark.parametrize("sql", READS)
def test_plain_reads(sql: str) -> None:
    assert is_plain_read(sql)


@pytest.mark.parametrize("sql", NOT_READS)
def test_statements_that_need_the_transaction(sql: str) -> None:
    assert not is_plain_read(sql)
