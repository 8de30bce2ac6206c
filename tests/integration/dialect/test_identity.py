"""IDENTITY columns reflect as SQLAlchemy ``identity`` on both local engines.

Redshift writes an IDENTITY column's default as ``"identity"(oid, col, 'seed,step'::text)``
in DescribeTable and in ``information_schema.columns``; the local endpoint answers the
same way, so reflection gives the seed and step, inside and outside a transaction.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa


def _columns(conn: Any, table: str) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in sa.inspect(conn).get_columns(table)}


def _identity_facts(column: dict[str, Any]) -> tuple[Any, Any, Any]:
    identity = column.get("identity") or {}
    return column["default"], identity.get("start"), identity.get("increment")


@pytest.fixture
def identity_table(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE ids (id BIGINT IDENTITY(1,1), odd INT IDENTITY(5, 2), x INT)"
        )


def test_identity_reflects_with_seed_and_step(engine: sa.Engine, identity_table: None) -> None:
    with engine.connect() as conn:
        cols = _columns(conn, "ids")
    assert cols["id"]["identity"] == {"always": True, "start": 1, "increment": 1}
    assert cols["id"]["default"] is None
    assert cols["id"]["autoincrement"] is True
    assert _identity_facts(cols["odd"]) == (None, 5, 2)
    assert "identity" not in cols["x"] and cols["x"]["default"] is None


def test_identity_reflects_the_same_inside_a_transaction(
    engine: sa.Engine, identity_table: None
) -> None:
    with engine.connect() as conn:
        outside = {name: _identity_facts(c) for name, c in _columns(conn, "ids").items()}
    with engine.begin() as conn:
        # A write opens the transaction; reflection then reads information_schema.
        conn.exec_driver_sql("CREATE TEMP TABLE opener (x INT)")
        assert conn.connection.dbapi_connection.in_transaction
        inside = {name: _identity_facts(c) for name, c in _columns(conn, "ids").items()}
    assert inside == outside == {"id": (None, 1, 1), "odd": (None, 5, 2), "x": (None, None, None)}


def test_identity_of_a_table_made_inside_the_transaction(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE fresh (id BIGINT IDENTITY(10,3), x INT)")
        assert conn.connection.dbapi_connection.in_transaction
        cols = _columns(conn, "fresh")
    assert cols["id"]["identity"] == {"always": True, "start": 10, "increment": 3}
    assert cols["id"]["default"] is None


def test_identity_column_from_sqlalchemy_metadata(engine: sa.Engine) -> None:
    md = sa.MetaData()
    sa.Table(
        "made",
        md,
        sa.Column("id", sa.BigInteger, sa.Identity(start=100, increment=10), primary_key=True),
        sa.Column("x", sa.Integer),
    )
    md.create_all(engine)
    with engine.connect() as conn:
        conn.execute(md.tables["made"].insert(), [{"x": 1}, {"x": 2}])
        ids = sorted(conn.exec_driver_sql("SELECT id FROM made").scalars())
        cols = _columns(conn, "made")
    assert cols["id"]["identity"]["start"] == 100
    assert cols["id"]["identity"]["increment"] == 10
    assert cols["id"]["default"] is None
    assert ids[0] == 100 and ids[1] - ids[0] == 10


def test_alembic_sees_no_change_in_unchanged_identity_columns(engine: sa.Engine) -> None:
    """Reflected identities match the model's, so autogenerate stays empty."""
    pytest.importorskip("alembic", reason="alembic is in the test extra")
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    md = sa.MetaData()
    sa.Table(
        "by_default",
        md,
        sa.Column("id", sa.BigInteger, sa.Identity(start=1, increment=1), primary_key=True),
        sa.Column("x", sa.Integer),
    )
    sa.Table(
        "always",
        md,
        sa.Column("id", sa.BigInteger, sa.Identity(always=True, start=5, increment=2)),
        sa.Column("x", sa.Integer),
    )
    sa.Table("option", md, sa.Column("id", sa.BigInteger, redshift_identity=(1, 1)))
    md.create_all(engine)
    with engine.connect() as conn:
        assert sa.inspect(conn).get_columns("always")[0]["identity"]["start"] == 5
        assert compare_metadata(MigrationContext.configure(conn), md) == []
