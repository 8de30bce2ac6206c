"""Connections, pings, transactions and isolation against the local endpoint."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from .conftest import CallCounter


def test_first_connection_costs_at_most_one_statement_and_checkouts_none(
    engine: sa.Engine, calls: CallCounter
) -> None:
    with engine.connect() as conn:
        assert calls.statements <= 1
        conn.exec_driver_sql("SELECT 1").fetchall()
    calls.reset()
    for _ in range(3):
        with engine.connect():
            pass
    assert calls.total == 0


def test_static_server_facts(engine: sa.Engine) -> None:
    with engine.connect():
        pass
    assert engine.dialect.server_version_info == (8, 0, 2)
    assert engine.dialect.default_schema_name == "public"


def _checkout_and_query(eng: sa.Engine, calls: CallCounter) -> int:
    with eng.connect():
        pass
    calls.reset()
    with eng.connect() as conn:
        assert conn.execute(sa.text("SELECT 2")).scalar() == 2
    return calls.statements


def test_pool_pre_ping_costs_one_statement(dataapi_client: object, calls: CallCounter) -> None:
    plain = sa.create_engine(
        "redshift+dataapi://local/dev", connect_args={"client": dataapi_client}
    )
    pinged = sa.create_engine(
        "redshift+dataapi://local/dev", pool_pre_ping=True, connect_args={"client": dataapi_client}
    )
    try:
        assert _checkout_and_query(pinged, calls) == _checkout_and_query(plain, calls) + 1
    finally:
        plain.dispose()
        pinged.dispose()


def test_pre_ping_replaces_a_dead_connection(dataapi_client: object) -> None:
    eng = sa.create_engine(
        "redshift+dataapi://local/dev", pool_pre_ping=True, connect_args={"client": dataapi_client}
    )
    with eng.connect() as conn:
        first = conn.connection.dbapi_connection
    first.close()  # what a dead connection looks like to the pool
    with eng.connect() as conn:
        assert conn.execute(sa.text("SELECT 3")).scalar() == 3
        assert conn.connection.dbapi_connection is not first
    eng.dispose()


def _table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "tx", metadata, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False)
    )


def _count(engine: sa.Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_begin_block_commits_and_an_exception_rolls_back(engine: sa.Engine) -> None:
    md = sa.MetaData()
    t = _table(md)
    md.create_all(engine)
    with engine.begin() as conn:
        conn.execute(t.insert(), [{"id": 1}, {"id": 2}])
    assert _count(engine, t) == 2
    with pytest.raises(RuntimeError), engine.begin() as conn:
        conn.execute(t.insert(), [{"id": 3}])
        conn.execute(t.delete().where(t.c.id == 1))
        raise RuntimeError("undo")
    assert _count(engine, t) == 2
    with engine.connect() as conn:
        assert sorted(conn.execute(sa.select(t.c.id)).scalars()) == [1, 2]


def test_uncommitted_work_is_invisible_to_other_connections(engine: sa.Engine) -> None:
    md = sa.MetaData()
    t = _table(md)
    md.create_all(engine)
    with engine.connect() as writer:
        writer.execute(t.insert(), [{"id": 7}])
        assert _count(engine, t) == 0
        writer.commit()
    assert _count(engine, t) == 1


@pytest.mark.parametrize("where", ["engine", "connection"])
def test_autocommit_isolation_level(engine: sa.Engine, where: str) -> None:
    md = sa.MetaData()
    t = _table(md)
    md.create_all(engine)
    eng = engine.execution_options(isolation_level="AUTOCOMMIT") if where == "engine" else engine
    with eng.connect() as conn:
        if where == "connection":
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        assert conn.get_isolation_level() == "AUTOCOMMIT"
        assert conn.connection.dbapi_connection.autocommit is True
        conn.execute(t.insert(), [{"id": 1}])
        conn.rollback()  # nothing to undo: the insert is already committed
    assert _count(engine, t) == 1
    with engine.connect() as conn:  # back in the pool, the connection is transactional again
        assert conn.get_isolation_level() == "SERIALIZABLE"
        assert conn.connection.dbapi_connection.autocommit is False


def test_unknown_isolation_level_is_rejected(engine: sa.Engine) -> None:
    with engine.connect() as conn, pytest.raises(sa.exc.ArgumentError, match="READ COMMITTED"):
        conn.execution_options(isolation_level="READ COMMITTED")


def test_batched_insert_never_costs_a_statement_per_row(
    engine: sa.Engine, calls: CallCounter
) -> None:
    md = sa.MetaData()
    t = sa.Table(
        "b",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(20)),
    )
    md.create_all(engine)
    rows = [{"id": i, "name": f"n{i}" if i % 3 else None} for i in range(2000)]
    calls.reset()
    with engine.begin() as conn:
        conn.execute(t.insert(), rows)
    assert calls.statements < 20
    with engine.connect() as conn:
        got = conn.execute(sa.select(t).order_by(t.c.id)).all()
    assert [tuple(r) for r in got] == [(r["id"], r["name"]) for r in rows]


def test_executemany_update_is_batched(engine: sa.Engine, calls: CallCounter) -> None:
    md = sa.MetaData()
    t = sa.Table(
        "u",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("v", sa.Integer),
    )
    md.create_all(engine)
    with engine.begin() as conn:
        conn.execute(t.insert(), [{"id": i, "v": 0} for i in range(200)])
    calls.reset()
    with engine.begin() as conn:
        conn.execute(
            t.update().where(t.c.id == sa.bindparam("k")).values(v=sa.bindparam("nv")),
            [{"k": i, "nv": i * 2} for i in range(200)],
        )
    assert calls.statements < 200
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.sum(t.c.v))).scalar()
    assert total == sum(i * 2 for i in range(200))


def test_identity_generates_keys_when_omitted(engine: sa.Engine) -> None:
    md = sa.MetaData()
    t = sa.Table(
        "auto", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.String(5))
    )
    md.create_all(engine)
    with engine.begin() as conn:
        conn.execute(t.insert(), [{"x": "a"}, {"x": "b"}])
    with engine.connect() as conn:
        ids = conn.execute(sa.select(t.c.id)).scalars().all()
    assert len(set(ids)) == 2 and all(isinstance(i, int) for i in ids)


def test_typed_parameters_come_back_typed(engine: sa.Engine) -> None:
    import datetime
    import decimal

    stmt = sa.select(
        sa.literal(5),
        sa.literal(2.5),
        sa.literal(True),
        sa.literal(datetime.date(2024, 2, 29)),
        sa.bindparam("n", decimal.Decimal("12.34"), type_=sa.Numeric(10, 2)),
    )
    with engine.connect() as conn:
        row = conn.execute(stmt).one()
    assert tuple(row) == (5, 2.5, True, datetime.date(2024, 2, 29), decimal.Decimal("12.34"))
    assert [type(v) for v in row] == [int, float, bool, datetime.date, decimal.Decimal]


def test_insert_from_select_counts_rows_and_describes_only_when_asked(
    engine: sa.Engine, calls: CallCounter
) -> None:
    md = sa.MetaData()
    src = sa.Table("src", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False))
    dst = sa.Table("dst", md, sa.Column("id", sa.Integer))
    md.create_all(engine)
    with engine.begin() as conn:
        conn.execute(src.insert(), [{"id": i} for i in range(7)])
    copy = dst.insert().from_select(["id"], sa.select(src.c.id).where(src.c.id < 5))
    with engine.connect() as conn:
        calls.reset()
        conn.execute(copy)
        assert calls.ops["DescribeStatement"] == 0, calls.ops  # nobody asked for the count
        result = conn.execute(copy)
        assert result.rowcount == 5  # read after SQLAlchemy closed the cursor
        assert calls.ops["DescribeStatement"] == 1, calls.ops
        conn.rollback()
