"""executemany planning: multi-row INSERTs and batches cut at the client's limits."""

from __future__ import annotations

import pytest

from redshift_dataapi._core import limits
from redshift_dataapi.sql import batching


@pytest.mark.parametrize(
    ("sql", "values"),
    [
        ("INSERT INTO t (a, b) VALUES (:a, 'x) VALUES (')", "(:a, 'x) VALUES (')"),
        # Redshift literals read backslash escapes; comments nest.
        ("INSERT INTO t VALUES (:a, 'it\\'s )')", "(:a, 'it\\'s )')"),
        ("INSERT INTO t VALUES (:a /* ) /* ) */ ) */, :b);", "(:a /* ) /* ) */ ) */, :b)"),
        ('INSERT INTO "VALUES (" VALUES (:a)', "(:a)"),
    ],
)
def test_insert_split_reads_literals_and_comments_as_the_lexer_does(sql: str, values: str) -> None:
    parts = batching.split_insert(sql)
    assert parts is not None
    prefix, found = parts
    assert found == values and sql.startswith(prefix + values)


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO t VALUES (:a), (:b)",
        "INSERT INTO t VALUES (:a) RETURNING a",
        "INSERT INTO t SELECT :a",
        "UPDATE t SET a = :a",
        "INSERT INTO t (:c) VALUES (:a)",
    ],
)
def test_other_statements_are_not_split(sql: str) -> None:
    assert batching.split_insert(sql) is None


def test_multirow_insert_is_cut_by_parameter_and_size_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = [{"a": i, "b": i} for i in range(5)]
    monkeypatch.setattr(batching, "CLIENT_MAX_PARAMETERS", 4)
    plan = batching.plan("INSERT INTO t VALUES (:a, :b)", rows)
    assert [count for _, _, count in plan.statements] == [2, 2, 1]
    for sql, params, _ in plan.statements:
        assert params is not None and len(params) <= 4
        assert sql.startswith("INSERT INTO t VALUES (:a_0, :b_0)")
    monkeypatch.setattr(batching, "CLIENT_MAX_PARAMETERS", limits.CLIENT_MAX_PARAMETERS)
    monkeypatch.setattr(batching, "CLIENT_SQL_BYTES", 60)
    plan = batching.plan("INSERT INTO t VALUES (:a, :b)", rows)
    assert all(len(sql.encode()) <= 60 for sql, _, _ in plan.statements)
    assert sum(count for _, _, count in plan.statements) == 5


def test_other_statements_become_batches_of_at_most_max_batch_sqls() -> None:
    rows = [{"a": i} for i in range(limits.MAX_BATCH_SQLS + 3)]
    plan = batching.plan("UPDATE t SET a = :a WHERE id = 1", rows)
    assert [count for _, _, count in plan.batches] == [limits.MAX_BATCH_SQLS, 3]
    sqls, params, _ = plan.batches[1]
    assert sqls == [f"UPDATE t SET a = :a_{i} WHERE id = 1" for i in range(3)]
    assert params == [{"name": f"a_{i}", "value": str(limits.MAX_BATCH_SQLS + i)} for i in range(3)]
