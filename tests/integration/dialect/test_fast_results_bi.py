"""A BI read through SQLAlchemy costs ExecuteStatement + GetStatementResult, no more."""

from __future__ import annotations

import decimal

import pandas as pd
import pytest
import sqlalchemy as sa

from sqlalchemy_dialect.reflecting import could_be_table_name

from .conftest import CallCounter

QUERY = "SELECT 1 AS a, CAST(12.34 AS NUMERIC(6, 2)) AS d"


def test_read_sql_of_a_query_string_costs_two_calls(engine: sa.Engine, calls: CallCounter) -> None:
    pd.read_sql(QUERY, engine)  # the engine's first connect reads the server once
    calls.reset()
    frame = pd.read_sql(QUERY, engine)
    assert dict(calls.ops) == {"ExecuteStatement": 1, "GetStatementResult": 1}
    assert frame["a"].tolist() == [1]
    assert frame["d"].tolist() == [12.34]  # pandas' coerce_float=True, its default
    exact = pd.read_sql(QUERY, engine, coerce_float=False)
    assert exact["d"].tolist() == [decimal.Decimal("12.34")]


def test_a_read_then_a_write_in_one_transaction(engine: sa.Engine, calls: CallCounter) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (n INTEGER)"))
    calls.reset()
    with pytest.raises(RuntimeError), engine.begin() as conn:
        conn.execute(sa.text("SELECT COUNT(*) FROM t")).scalar()
        conn.execute(sa.text("INSERT INTO t VALUES (1)"))
        raise RuntimeError("roll it back")
    # SELECT (no BEGIN), BEGIN + INSERT, ROLLBACK: the write was never outside a transaction.
    assert calls.statements == 4
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM t")).scalar() == 0


def test_polars_read_database_works_and_fetch_polars_keeps_decimals(engine: sa.Engine) -> None:
    polars = pytest.importorskip("polars", reason="polars is not installed")
    frame = polars.read_database(QUERY, connection=engine)
    # type_code "numeric(6,2)": polars reads an exact decimal, as fetch_polars does.
    assert frame["d"].dtype == polars.Decimal(6, 2)
    assert frame["d"].to_list() == [decimal.Decimal("12.34")]
    with engine.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(QUERY)
        exact = cursor.fetch_polars()
    assert exact["d"].dtype == polars.Decimal(6, 2)
    assert exact["d"].to_list() == [decimal.Decimal("12.34")]


@pytest.mark.parametrize(
    "name, could_be",
    [
        ("orders", True),
        ("my table", True),  # a delimited identifier with a blank: looked up
        ("selection", True),
        ("SELECT 1 AS a", False),
        ("  (select * from t)", False),
        ("WITH x AS (SELECT 1) SELECT * FROM x", False),
        ("x" * 128, False),  # past Redshift's 127-byte identifiers
        ("\u00e9" * 63, True),  # 126 bytes
        ("\u00e9" * 64, False),  # 128 bytes
    ],
)
def test_the_has_table_rule(name: str, could_be: bool) -> None:
    assert could_be_table_name(name) is could_be


def test_has_table_of_query_text_makes_no_call(engine: sa.Engine, calls: CallCounter) -> None:
    with engine.connect() as conn:
        calls.reset()
        assert not engine.dialect.has_table(conn, QUERY)
        assert calls.total == 0
        assert not engine.dialect.has_table(conn, "no_such_table")
        assert calls.total == 1
