"""polars.read_database on an engine and on a DB-API connection: the column types users get.

polars reads a DB-API cursor's ``description`` (type_code = the Data API typeName, with
``(p,s)`` for a numeric; precision, scale) and SQLAlchemy's result types to choose its dtypes.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest
import sqlalchemy as sa

import redshift_dataapi

pl = pytest.importorskip("polars", reason="polars is in the test extra")

QUERY = "SELECT id, amount, sold_at, day, paid, note FROM sales ORDER BY id"


@pytest.fixture
def sales(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE sales (id INTEGER, amount NUMERIC(12,2), sold_at TIMESTAMPTZ,"
            " day DATE, paid BOOLEAN, note VARCHAR(20))"
        )
        conn.exec_driver_sql(
            "INSERT INTO sales VALUES"
            " (1, 10.50, '2024-01-02 03:04:05+00', '2024-01-02', true, 'a'),"
            " (2, 7.25, '2024-02-03 04:05:06+00', '2024-02-03', false, NULL)"
        )


def _check(frame: Any) -> None:
    sold_at = frame.schema["sold_at"]
    assert isinstance(sold_at, pl.Datetime) and sold_at.time_zone is not None
    assert frame["sold_at"].to_list()[0] == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert frame.schema["day"] == pl.Date
    assert frame.schema["paid"] == pl.Boolean
    assert frame["paid"].to_list() == [True, False]
    assert frame.schema["id"].is_integer()
    assert frame["note"].to_list() == ["a", None]


def test_read_database_on_an_engine(engine: sa.Engine, sales: None) -> None:
    _check(pl.read_database(QUERY, connection=engine))


# polars turns a type_code of plain "NUMERIC" into Float64 and only "DECIMAL" or
# "NUMERIC(p,s)" into Decimal: the driver's type_code carries precision and scale.
@pytest.mark.parametrize("via", ["engine", "dbapi"])
def test_read_database_numeric_is_decimal(engine: sa.Engine, sales: None, via: str) -> None:
    raw = engine.raw_connection()
    try:
        connection = engine if via == "engine" else raw.dbapi_connection
        frame = pl.read_database("SELECT amount FROM sales ORDER BY id", connection=connection)
    finally:
        raw.close()
    assert frame.schema["amount"] == pl.Decimal(12, 2)
    assert frame["amount"].to_list() == [decimal.Decimal("10.50"), decimal.Decimal("7.25")]


def test_read_database_on_a_dbapi_connection(engine: sa.Engine, sales: None) -> None:
    raw = engine.raw_connection()
    try:
        _check(pl.read_database(QUERY, connection=raw.dbapi_connection))
    finally:
        raw.close()


def test_description_carries_type_precision_and_scale(engine: sa.Engine, sales: None) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.dbapi_connection.cursor()
        cursor.execute(QUERY)
        described = {d[0]: d for d in cursor.description}
    finally:
        raw.close()
    assert described["amount"][1] == "numeric(12,2)" and described["amount"][4:6] == (12, 2)
    assert described["amount"][1] == redshift_dataapi.NUMBER
    assert described["sold_at"][1] == "timestamptz"
    assert described["paid"][1] == "bool" and described["day"][1] == "date"
