"""Deferred BEGIN: plain reads before a transaction's first write cost no BEGIN/ROLLBACK."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import redshift_dataapi

from .conftest import ConnFactory


class Statements:
    """The SQL of every ExecuteStatement a client sends, and every call's operation."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.sql: list[str] = []
        self.ops: list[str] = []
        client.meta.events.register("provide-client-params.redshift-data.*", self._seen)

    def _seen(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.ops.append(model.name)
        if model.name == "ExecuteStatement":
            self.sql.append(params["Sql"])

    def close(self) -> None:
        self.client.meta.events.unregister("provide-client-params.redshift-data.*", self._seen)


@pytest.fixture
def seen(any_client: Any) -> Iterator[Statements]:
    statements = Statements(any_client)
    yield statements
    statements.close()


@pytest.fixture
def table(connect: ConnFactory) -> None:
    connect().cursor().execute("CREATE TABLE items (n INTEGER)")


@pytest.mark.usefixtures("table")
def test_a_read_costs_its_own_calls_only(connect: ConnFactory, seen: Statements) -> None:
    conn = connect(autocommit=False)
    cur = conn.cursor()
    cur.execute("SELECT 1 AS a")
    assert cur.fetchall() == [(1,)]
    conn.rollback()
    conn.commit()
    assert seen.ops == ["ExecuteStatement", "GetStatementResult"]
    assert not conn.in_transaction


@pytest.mark.usefixtures("table")
def test_the_first_write_opens_the_transaction(connect: ConnFactory, seen: Statements) -> None:
    conn = connect(autocommit=False)
    cur = conn.cursor()
    cur.execute("SELECT COUNT(*) FROM items")
    cur.execute("INSERT INTO items VALUES (1)")
    assert conn.in_transaction
    cur.execute("SELECT COUNT(*) FROM items")  # inside the transaction: sees its write
    assert cur.fetchall() == [(1,)]
    conn.rollback()
    assert seen.sql == [
        "SELECT COUNT(*) FROM items",
        "BEGIN",
        "INSERT INTO items VALUES (1)",
        "SELECT COUNT(*) FROM items",
        "ROLLBACK",
    ]
    cur.execute("SELECT COUNT(*) FROM items")
    assert cur.fetchall() == [(0,)]  # the rollback undid the write


@pytest.mark.usefixtures("table")
def test_reads_share_the_session_of_the_transactions(connect: ConnFactory) -> None:
    """A read before BEGIN runs in the connection's session: it sees its temp tables."""
    conn = connect(autocommit=False)
    cur = conn.cursor()
    cur.execute("SELECT 1")
    first_session = conn.session_id
    assert first_session is not None
    cur.execute("CREATE TEMP TABLE scratch (n INTEGER)")
    cur.execute("INSERT INTO scratch VALUES (7)")
    conn.commit()
    cur.execute("SELECT n FROM scratch")  # a read after the commit: no BEGIN, same session
    assert cur.fetchall() == [(7,)]
    assert conn.session_id == first_session and not conn.in_transaction


@pytest.mark.usefixtures("table")
def test_defer_begin_off_sends_begin_first(connect: ConnFactory, seen: Statements) -> None:
    conn = connect(autocommit=False)
    conn.defer_begin = False
    cur = conn.cursor()
    cur.execute("SELECT 1")
    conn.rollback()
    assert seen.sql == ["BEGIN", "SELECT 1", "ROLLBACK"]


@pytest.mark.usefixtures("table")
def test_select_into_is_a_write(connect: ConnFactory, seen: Statements) -> None:
    conn = connect(autocommit=False)
    conn.cursor().execute("SELECT * INTO copied FROM items")
    conn.rollback()
    assert seen.sql[0] == "BEGIN"
    with pytest.raises(redshift_dataapi.ProgrammingError):
        conn.cursor().execute("SELECT * FROM copied")
