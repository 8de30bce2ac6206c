"""Reflection through ListSchemas / ListTables / DescribeTable and catalog SQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sqlalchemy_dialect import DOUBLE_PRECISION, GEOMETRY, SUPER, TIMESTAMPTZ, TIMETZ
from sqlalchemy_dialect.compat import SA2

from .conftest import CallCounter


@pytest.fixture
def schema(engine: sa.Engine) -> sa.MetaData:
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA shop")
    md = sa.MetaData(schema="shop")
    sa.Table(
        "customer",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("email", sa.String(120), nullable=False, unique=True),
        sa.Column("balance", sa.Numeric(12, 2), server_default=sa.text("0")),
        sa.Column("joined", sa.DateTime),
        sa.Column("vip", sa.Boolean),
    )
    sa.Table(
        "orders",
        md,
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("line", sa.SmallInteger, primary_key=True, autoincrement=False),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("shop.customer.id"), nullable=False),
        sa.Column("code", sa.CHAR(3)),
        sa.Column("amount", sa.Float),
        sa.Column("day", sa.Date),
        sa.Column("note", sa.Text),
    )
    md.create_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE VIEW shop.big_orders AS SELECT id, amount FROM shop.orders WHERE amount > 100"
        )
    return md


def test_names(engine: sa.Engine, schema: sa.MetaData) -> None:
    insp = sa.inspect(engine)
    assert "shop" in insp.get_schema_names()
    assert "pg_catalog" not in insp.get_schema_names()
    assert insp.get_table_names("shop") == ["customer", "orders"]
    assert insp.get_view_names("shop") == ["big_orders"]
    assert insp.has_table("orders", schema="shop")
    assert not insp.has_table("nope", schema="shop")
    if hasattr(insp, "has_schema"):  # Inspector.has_schema is new in SQLAlchemy 2.0
        assert insp.has_schema("shop") and not insp.has_schema("sh_p")


def test_columns_types_nullability_defaults(engine: sa.Engine, schema: sa.MetaData) -> None:
    cols = {c["name"]: c for c in sa.inspect(engine).get_columns("customer", schema="shop")}
    assert list(cols) == ["id", "email", "balance", "joined", "vip"]
    assert isinstance(cols["id"]["type"], sa.INTEGER)
    assert isinstance(cols["email"]["type"], sa.VARCHAR) and cols["email"]["type"].length == 120
    assert cols["email"]["nullable"] is False and cols["vip"]["nullable"] is True
    bal = cols["balance"]["type"]
    assert isinstance(bal, sa.NUMERIC) and (bal.precision, bal.scale) == (12, 2)
    assert "0" in str(cols["balance"]["default"])
    assert isinstance(cols["joined"]["type"], sa.TIMESTAMP)
    assert isinstance(cols["vip"]["type"], sa.BOOLEAN)
    ocols = {c["name"]: c for c in sa.inspect(engine).get_columns("orders", schema="shop")}
    assert isinstance(ocols["line"]["type"], sa.SMALLINT)
    assert isinstance(ocols["id"]["type"], sa.BIGINT)
    assert isinstance(ocols["code"]["type"], sa.CHAR) and ocols["code"]["type"].length == 3
    assert isinstance(ocols["amount"]["type"], DOUBLE_PRECISION)
    assert isinstance(ocols["day"]["type"], sa.DATE)


def test_keys(engine: sa.Engine, schema: sa.MetaData) -> None:
    insp = sa.inspect(engine)
    assert insp.get_pk_constraint("orders", schema="shop")["constrained_columns"] == ["id", "line"]
    fks = insp.get_foreign_keys("orders", schema="shop")
    assert [
        (f["constrained_columns"], f["referred_schema"], f["referred_table"], f["referred_columns"])
        for f in fks
    ] == [(["customer_id"], "shop", "customer", ["id"])]
    uqs = insp.get_unique_constraints("customer", schema="shop")
    assert [u["column_names"] for u in uqs] == [["email"]]
    assert insp.get_indexes("customer", schema="shop") == []


def test_missing_table_raises(engine: sa.Engine, schema: sa.MetaData) -> None:
    insp = sa.inspect(engine)
    with pytest.raises(sa.exc.NoSuchTableError):
        insp.get_columns("nope", schema="shop")
    with pytest.raises(sa.exc.NoSuchTableError):
        insp.get_pk_constraint("nope", schema="shop")


def test_autoload_and_metadata_reflect(engine: sa.Engine, schema: sa.MetaData) -> None:
    orders = sa.Table("orders", sa.MetaData(), schema="shop", autoload_with=engine)
    assert [c.name for c in orders.primary_key] == ["id", "line"]
    md = sa.MetaData()
    md.reflect(engine, schema="shop", views=True)
    assert set(md.tables) == {"shop.customer", "shop.orders", "shop.big_orders"}
    fk = next(iter(md.tables["shop.orders"].foreign_keys))
    assert fk.column is md.tables["shop.customer"].c.id


def test_view_definition_and_comment(engine: sa.Engine, schema: sa.MetaData) -> None:
    insp = sa.inspect(engine)
    assert "amount" in insp.get_view_definition("big_orders", schema="shop").lower()
    assert insp.get_table_comment("customer", schema="shop") == {"text": None}


def test_redshift_types_reflect_back(engine: sa.Engine) -> None:
    md = sa.MetaData()
    sa.Table(
        "rt",
        md,
        sa.Column("s", SUPER),
        sa.Column("g", GEOMETRY),
        sa.Column("tt", TIMETZ),
        sa.Column("ts", TIMESTAMPTZ),
    )
    md.create_all(engine)
    types = {c["name"]: c["type"] for c in sa.inspect(engine).get_columns("rt")}
    assert isinstance(types["s"], SUPER)
    assert isinstance(types["g"], GEOMETRY)
    assert isinstance(types["tt"], TIMETZ)
    assert isinstance(types["ts"], TIMESTAMPTZ)


def test_reflecting_many_tables_costs_a_handful_of_calls(
    engine: sa.Engine, calls: CallCounter
) -> None:
    md = sa.MetaData(schema="wide")
    for i in range(30):
        sa.Table(
            f"t{i:02d}",
            md,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("v", sa.String(10)),
        )
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA wide")
    md.create_all(engine)
    calls.reset()
    reflected = sa.MetaData()
    reflected.reflect(engine, schema="wide")
    assert len(reflected.tables) == 30
    assert all(len(t.primary_key) == 1 for t in reflected.tables.values())
    if SA2:
        # far below one call per table per method
        assert calls.total < 30, calls.ops
    else:
        # SQLAlchemy 1.4 has no get_multi_* reflection: one DescribeTable per table,
        # keys and comments still one query per schema
        assert calls.ops["DescribeTable"] == 30 and calls.total < 50, calls.ops


def test_table_and_column_comments(engine: sa.Engine) -> None:
    md = sa.MetaData()
    sa.Table(
        "commented",
        md,
        sa.Column("id", sa.Integer, comment="the key"),
        sa.Column("v", sa.Integer),
        comment="a table with comments",
    )
    md.create_all(engine)
    insp = sa.inspect(engine)
    assert insp.get_table_comment("commented") == {"text": "a table with comments"}
    comments = {c["name"]: c["comment"] for c in insp.get_columns("commented")}
    assert comments == {"id": "the key", "v": None}
    reflected = sa.Table("commented", sa.MetaData(), autoload_with=engine)
    assert reflected.comment == "a table with comments" and reflected.c.id.comment == "the key"


def _column_facts(conn: sa.Connection, table: str) -> list[tuple[str, str, bool]]:
    return [
        (c["name"], repr(c["type"]), c["nullable"]) for c in sa.inspect(conn).get_columns(table)
    ]


def test_the_same_columns_inside_and_outside_a_transaction(engine: sa.Engine) -> None:
    md = sa.MetaData()
    sa.Table(
        "same",
        md,
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(40)),
        sa.Column("code", sa.CHAR(3)),
        sa.Column("amount", sa.Numeric(12, 2)),
        sa.Column("ratio", sa.REAL),
        sa.Column("doc", SUPER),
        sa.Column("seen", TIMESTAMPTZ),
    )
    md.create_all(engine)
    with engine.connect() as conn:
        outside = _column_facts(conn, "same")
    with engine.begin() as conn:
        # A write opens the transaction (and Data API session); a plain read would not.
        conn.exec_driver_sql("CREATE TEMP TABLE opener (x INT)")
        assert conn.connection.dbapi_connection.in_transaction
        inside = _column_facts(conn, "same")
        # reflecting does not break the open transaction
        assert conn.exec_driver_sql("SELECT 2").scalar() == 2
    assert inside == outside
    assert ("name", "VARCHAR(length=40)", True) in inside


def test_table_options_reflect_from_the_system_views(engine: sa.Engine) -> None:
    """DISTSTYLE / DISTKEY / SORTKEY from SVV_TABLE_INFO and PG_TABLE_DEF, on both engines.

    The same inside an open transaction, which stays usable.
    """
    md = sa.MetaData()
    sa.Table(
        "laid_out",
        md,
        sa.Column("id", sa.Integer),
        sa.Column("seller", sa.Integer),
        sa.Column("sold_at", sa.DateTime),
        redshift_diststyle="KEY",
        redshift_distkey="seller",
        redshift_sortkey=["sold_at", "id"],
    )
    md.create_all(engine)
    with engine.connect() as conn:
        outside = sa.inspect(conn).get_table_options("laid_out")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TEMP TABLE opener (x INT)")  # opens the transaction
        assert conn.connection.dbapi_connection.in_transaction
        inside = sa.inspect(conn).get_table_options("laid_out")
        assert conn.exec_driver_sql("SELECT 2").scalar() == 2
    assert inside == outside
    assert outside == {
        "redshift_diststyle": "KEY",
        "redshift_distkey": "seller",
        "redshift_sortkey": ["sold_at", "id"],
    }
    reflected = sa.Table("laid_out", sa.MetaData(), autoload_with=engine)
    assert [c.name for c in reflected.columns] == ["id", "seller", "sold_at"]


def test_temp_table_names_are_the_sessions_own(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TEMP TABLE scratch (x INTEGER)")
        conn.exec_driver_sql("CREATE TABLE lasting (x INTEGER)")
        insp = sa.inspect(conn)
        assert insp.get_temp_table_names() == ["scratch"]
        assert "scratch" not in insp.get_table_names()
    with engine.connect() as other:
        assert sa.inspect(other).get_temp_table_names() == []
