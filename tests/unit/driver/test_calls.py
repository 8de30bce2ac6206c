"""Exact Data API call sequences of the driver, on a real boto3 client with botocore's Stubber."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.stub import ANY, Stubber

import redshift_dataapi
from redshift_dataapi._core import runner as statement

from .conftest import SESSION_ID, STATEMENT_ID, Recorder

TARGET = {"ClusterIdentifier": "cl", "Database": "dev"}


def connect(client: Any, **kwargs: Any) -> redshift_dataapi.Connection:
    kwargs.setdefault("autocommit", True)
    return redshift_dataapi.connect("dev", cluster_identifier="cl", client=client, **kwargs)


def page(
    records: list[list[dict[str, Any]]], columns: list[tuple[str, str]], token: str | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Records": records,
        "ColumnMetadata": [{"name": n, "label": n, "typeName": t} for n, t in columns],
        "TotalNumRows": len(records),
    }
    if token:
        out["NextToken"] = token
    return out


def finished(has_result: bool = True, **extra: Any) -> dict[str, Any]:
    return {"Id": STATEMENT_ID, "Status": "FINISHED", "HasResultSet": has_result, **extra}


def test_short_query_is_one_execute_and_one_result_call(client: Any, stub: Stubber) -> None:
    stub.add_response(
        "execute_statement",
        finished(),
        {"Sql": "SELECT 1", "ClientToken": ANY, "WaitTimeSeconds": 20, **TARGET},
    )
    stub.add_response(
        "get_statement_result",
        page([[{"longValue": 1}]], [("one", "int4")]),
        {"Id": STATEMENT_ID},
    )
    cur = connect(client).cursor()
    assert cur.execute("SELECT 1").fetchall() == [(1,)]
    assert cur.statement_id == STATEMENT_ID
    assert cur.rowcount == 1
    assert cur.description is not None and cur.description[0][:2] == ("one", "int4")


def test_dml_makes_one_call_and_describes_only_when_rowcount_is_read(
    client: Any, stub: Stubber
) -> None:
    stub.add_response(
        "execute_statement",
        finished(False),
        {"Sql": "DELETE FROM t", "ClientToken": ANY, "WaitTimeSeconds": 20, **TARGET},
    )
    cur = connect(client).cursor()
    cur.execute("DELETE FROM t")
    assert cur.description is None
    stub.assert_no_pending_responses()
    stub.add_response(
        "describe_statement", {**finished(False), "ResultRows": 7}, {"Id": STATEMENT_ID}
    )
    assert cur.rowcount == 7


def test_long_statement_waits_with_long_polled_describe(client: Any, stub: Stubber) -> None:
    stub.add_response(
        "execute_statement",
        {"Id": STATEMENT_ID, "Status": "STARTED"},
        {"Sql": "VACUUM", "ClientToken": ANY, "WaitTimeSeconds": 20, **TARGET},
    )
    stub.add_response(
        "describe_statement",
        {"Id": STATEMENT_ID, "Status": "STARTED"},
        {"Id": STATEMENT_ID, "WaitTimeSeconds": 20},
    )
    stub.add_response(
        "describe_statement",
        {"Id": STATEMENT_ID, "Status": "FINISHED", "HasResultSet": False, "ResultRows": 0},
        {"Id": STATEMENT_ID, "WaitTimeSeconds": 20},
    )
    conn = connect(client)
    conn.runner.sleep = lambda seconds: None  # an early answer backs off; don't wait here
    cur = conn.cursor()
    cur.execute("VACUUM")
    assert cur.rowcount == 0


def test_without_long_polling_backoff_starts_at_most_20ms(client: Any, stub: Stubber) -> None:
    stub.add_response(
        "execute_statement", {"Id": STATEMENT_ID}, {"Sql": "SELECT 1", "ClientToken": ANY, **TARGET}
    )
    for status in ("SUBMITTED", "STARTED", "STARTED"):
        stub.add_response(
            "describe_statement", {"Id": STATEMENT_ID, "Status": status}, {"Id": STATEMENT_ID}
        )
    stub.add_response("describe_statement", finished(False), {"Id": STATEMENT_ID})
    conn = connect(client)
    sleeps: list[float] = []
    conn.runner.sleep = sleeps.append
    conn.runner.long_polling = False
    conn.cursor().execute("SELECT 1")
    # No pause before the first DescribeStatement, then one before each later
    # one: 10 ms doubling, each within its +-20 % jitter.
    assert len(sleeps) == 3
    for index, pause in enumerate(sleeps):
        nominal = min(statement.POLL_FIRST_DELAY * 2**index, statement.POLL_MAX_DELAY)
        assert nominal * 0.8 <= pause <= nominal * 1.2


def test_failed_statement_raises_mapped_error_with_message_and_id(
    client: Any, stub: Stubber
) -> None:
    stub.add_response("execute_statement", {"Id": STATEMENT_ID, "Status": "FAILED"})
    stub.add_response(
        "describe_statement",
        {
            "Id": STATEMENT_ID,
            "Status": "FAILED",
            "Error": "ERROR: duplicate key value violates unique constraint (SQLSTATE 23505)",
        },
    )
    with pytest.raises(redshift_dataapi.IntegrityError) as info:
        connect(client).cursor().execute("INSERT INTO t VALUES (1)")
    assert STATEMENT_ID in str(info.value)
    assert "duplicate key" in str(info.value)
    assert info.value.sqlstate == "23505"


def test_aborted_statement_raises_operational_error(client: Any, stub: Stubber) -> None:
    stub.add_response("execute_statement", {"Id": STATEMENT_ID, "Status": "ABORTED"})
    with pytest.raises(redshift_dataapi.OperationalError, match=STATEMENT_ID):
        connect(client).cursor().execute("SELECT 1")


def test_throttled_submission_is_retried_with_the_same_client_token(
    client: Any, stub: Stubber, recorder: Recorder
) -> None:
    stub.add_client_error("execute_statement", "ThrottlingException", "slow down")
    stub.add_client_error("execute_statement", "ActiveStatementsExceededException", "busy")
    stub.add_response("execute_statement", finished(False))
    connect(client).cursor().execute("DELETE FROM t")
    tokens = [
        params["ClientToken"] for name, params in recorder.calls if name == "ExecuteStatement"
    ]
    assert len(tokens) == 3 and len(set(tokens)) == 1


def test_each_submission_gets_its_own_client_token(
    client: Any, stub: Stubber, recorder: Recorder
) -> None:
    stub.add_response("execute_statement", finished(False))
    stub.add_response("execute_statement", finished(False))
    cur = connect(client).cursor()
    cur.execute("DELETE FROM t")
    cur.execute("DELETE FROM t")
    tokens = [params["ClientToken"] for _, params in recorder.calls]
    assert len(set(tokens)) == 2


def test_retries_are_bounded_then_operational_error_keeps_the_cause(
    client: Any, stub: Stubber
) -> None:
    for _ in range(3):
        stub.add_client_error("execute_statement", "InternalServerException", "oops")
    conn = connect(client, max_retries=2)
    with pytest.raises(redshift_dataapi.OperationalError) as info:
        conn.cursor().execute("SELECT 1")
    assert isinstance(info.value.__cause__, ClientError)
    assert info.value.code == "InternalServerException"


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        ("ValidationException", "Sql is too long", redshift_dataapi.ProgrammingError),
        ("ValidationException", "invalid value for parameter x", redshift_dataapi.DataError),
        ("ResourceNotFoundException", "cluster not found", redshift_dataapi.ProgrammingError),
    ],
)
def test_modeled_errors_map_to_pep249(
    client: Any, stub: Stubber, code: str, message: str, expected: type[Exception]
) -> None:
    stub.add_client_error("execute_statement", code, message)
    with pytest.raises(expected) as info:
        connect(client).cursor().execute("SELECT 1")
    assert isinstance(info.value.__cause__, ClientError)


def test_keyboard_interrupt_during_wait_cancels_then_propagates(client: Any, stub: Stubber) -> None:
    stub.add_response("execute_statement", {"Id": STATEMENT_ID, "Status": "STARTED"})
    stub.add_response("describe_statement", {"Id": STATEMENT_ID, "Status": "STARTED"})
    stub.add_response("cancel_statement", {"Status": True}, {"Id": STATEMENT_ID})
    conn = connect(client)
    conn.runner.long_polling = False

    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    conn.runner.sleep = interrupt
    with pytest.raises(KeyboardInterrupt):
        conn.cursor().execute("SELECT 1")


def test_without_prefetch_result_pages_are_fetched_lazily(client: Any, stub: Stubber) -> None:
    stub.add_response("execute_statement", finished())
    stub.add_response(
        "get_statement_result",
        {
            **page([[{"longValue": 1}], [{"longValue": 2}]], [("a", "int8")], "t1"),
            "TotalNumRows": 3,
        },
        {"Id": STATEMENT_ID},
    )
    cur = connect(client, prefetch=False).cursor()
    cur.execute("SELECT a FROM t")
    assert cur.fetchmany(2) == [(1,), (2,)]
    stub.assert_no_pending_responses()  # the second page was not asked for yet
    stub.add_response(
        "get_statement_result",
        {**page([[{"longValue": 3}]], [("a", "int8")]), "TotalNumRows": 3},
        {"Id": STATEMENT_ID, "NextToken": "t1"},
    )
    assert cur.fetchone() == (3,)
    assert cur.fetchone() is None


def test_csv_connection_uses_result_format_and_v2(client: Any, stub: Stubber) -> None:
    stub.add_response(
        "execute_statement",
        finished(),
        {
            "Sql": "SELECT 1",
            "ResultFormat": "CSV",
            "ClientToken": ANY,
            "WaitTimeSeconds": 20,
            **TARGET,
        },
    )
    stub.add_response(
        "get_statement_result_v2",
        {
            "Records": [{"CSVRecords": '1,"a,b"\n2,""\n,\n'}],
            "ColumnMetadata": [
                {"name": "n", "typeName": "int4"},
                {"name": "s", "typeName": "varchar"},
            ],
            "TotalNumRows": 3,
            "ResultFormat": "CSV",
        },
        {"Id": STATEMENT_ID},
    )
    rows = connect(client, result_format="csv").cursor().execute("SELECT 1").fetchall()
    assert rows == [(1, "a,b"), (2, ""), (None, None)]


class TestTransactions:
    def test_unused_connection_makes_no_call(self, client: Any, stub: Stubber) -> None:
        conn = connect(client, autocommit=False)
        conn.cursor()
        conn.commit()
        conn.rollback()
        conn.close()  # Stubber raises on any call it has no response for

    def test_transaction_costs_begin_and_commit(
        self, client: Any, stub: Stubber, recorder: Recorder
    ) -> None:
        stub.add_response(
            "execute_statement",
            {"Id": "b", "Status": "FINISHED", "SessionId": SESSION_ID},
            {
                "Sql": "BEGIN",
                "SessionKeepAliveSeconds": 600,
                "ClientToken": ANY,
                "WaitTimeSeconds": 20,
                **TARGET,
            },
        )
        stub.add_response(
            "execute_statement",
            finished(False),
            {
                "Sql": "DELETE FROM t",
                "SessionId": SESSION_ID,
                "SessionKeepAliveSeconds": 600,
                "ClientToken": ANY,
                "WaitTimeSeconds": 20,
            },
        )
        stub.add_response(
            "execute_statement",
            finished(False),
            {
                "Sql": "DELETE FROM u",
                "SessionId": SESSION_ID,
                "SessionKeepAliveSeconds": 600,
                "ClientToken": ANY,
                "WaitTimeSeconds": 20,
            },
        )
        stub.add_response(
            "execute_statement",
            {"Id": "c", "Status": "FINISHED"},
            {
                "Sql": "COMMIT",
                "SessionId": SESSION_ID,
                "SessionKeepAliveSeconds": 600,
                "ClientToken": ANY,
                "WaitTimeSeconds": 20,
            },
        )
        conn = connect(client, autocommit=False)
        cur = conn.cursor()
        cur.execute("DELETE FROM t")
        cur.execute("DELETE FROM u")
        assert conn.in_transaction and conn.session_id == SESSION_ID
        conn.commit()
        assert not conn.in_transaction
        conn.commit()  # nothing pending: no call
        assert recorder.names() == ["ExecuteStatement"] * 4

    def test_close_with_open_transaction_rolls_back_and_ends_session(
        self, client: Any, stub: Stubber
    ) -> None:
        stub.add_response(
            "execute_statement", {"Id": "b", "Status": "FINISHED", "SessionId": SESSION_ID}
        )
        stub.add_response("execute_statement", finished(False))
        stub.add_response(
            "execute_statement",
            {"Id": "r", "Status": "FINISHED"},
            {
                "Sql": "ROLLBACK",
                "SessionId": SESSION_ID,
                "SessionKeepAliveSeconds": 0,
                "ClientToken": ANY,
                "WaitTimeSeconds": 20,
            },
        )
        conn = connect(client, autocommit=False)
        conn.cursor().execute("DELETE FROM t")
        conn.close()
        with pytest.raises(redshift_dataapi.InterfaceError):
            conn.cursor()

    def test_lost_session_inside_transaction_is_never_silently_replaced(
        self, client: Any, stub: Stubber, recorder: Recorder
    ) -> None:
        stub.add_response(
            "execute_statement", {"Id": "b", "Status": "FINISHED", "SessionId": SESSION_ID}
        )
        stub.add_response("execute_statement", finished(False))
        stub.add_client_error(
            "execute_statement",
            "ValidationException",
            f"Session {SESSION_ID} is not available: it expired",
        )
        conn = connect(client, autocommit=False)
        cur = conn.cursor()
        cur.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(redshift_dataapi.OperationalError, match="session"):
            cur.execute("INSERT INTO t VALUES (2)")
        calls_before = len(recorder.calls)
        with pytest.raises(redshift_dataapi.OperationalError, match="session"):
            cur.execute("INSERT INTO t VALUES (3)")
        assert len(recorder.calls) == calls_before  # refused without a new session
        with pytest.raises(redshift_dataapi.OperationalError, match="nothing was committed"):
            conn.commit()
        # After that, a new transaction opens a new session with the target.
        stub.add_response(
            "execute_statement",
            {"Id": "b", "Status": "FINISHED", "SessionId": SESSION_ID},
            {
                "Sql": "BEGIN",
                "SessionKeepAliveSeconds": 600,
                "ClientToken": ANY,
                "WaitTimeSeconds": 20,
                **TARGET,
            },
        )
        stub.add_response("execute_statement", finished(False))
        cur.execute("INSERT INTO t VALUES (4)")

    def test_autocommit_cannot_change_inside_a_transaction(
        self, client: Any, stub: Stubber
    ) -> None:
        stub.add_response(
            "execute_statement", {"Id": "b", "Status": "FINISHED", "SessionId": SESSION_ID}
        )
        stub.add_response("execute_statement", finished(False))
        conn = connect(client, autocommit=False)
        conn.cursor().execute("DELETE FROM t")
        with pytest.raises(redshift_dataapi.ProgrammingError, match="autocommit"):
            conn.autocommit = True


class TestExecutemany:
    def test_insert_rows_become_one_multirow_statement(
        self, client: Any, stub: Stubber, recorder: Recorder
    ) -> None:
        stub.add_response("execute_statement", finished(False))
        cur = connect(client).cursor()
        cur.executemany(
            "INSERT INTO t (a, b) VALUES (:a, :b)",
            [{"a": 1, "b": "x"}, {"a": 2, "b": None}, {"a": 3, "b": ""}],
        )
        assert cur.rowcount == 3
        ((_, params),) = recorder.calls
        assert params["Sql"] == (
            "INSERT INTO t (a, b) VALUES (:a_0, :b_0), (:a_1, NULL), (:a_2, '')"
        )
        assert params["Parameters"] == [
            {"name": "a_0", "value": "1"},
            {"name": "b_0", "value": "x"},
            {"name": "a_1", "value": "2"},
            {"name": "a_2", "value": "3"},
        ]

    def test_other_statements_go_in_batches_of_40(
        self, client: Any, stub: Stubber, recorder: Recorder
    ) -> None:
        for count in (40, 5):
            stub.add_response("batch_execute_statement", finished(False))
            stub.add_response(
                "describe_statement",
                {
                    **finished(False),
                    "SubStatements": [
                        {"Id": f"{STATEMENT_ID}:{i + 1}", "ResultRows": 1} for i in range(count)
                    ],
                },
            )
        cur = connect(client).cursor()
        cur.executemany(
            "UPDATE t SET b = :b WHERE a = :a", [{"a": i, "b": f"v{i}"} for i in range(45)]
        )
        assert cur.rowcount == 45
        batches = [params for name, params in recorder.calls if name == "BatchExecuteStatement"]
        assert [len(b["Sqls"]) for b in batches] == [40, 5]
        assert batches[0]["Sqls"][1] == "UPDATE t SET b = :b_1 WHERE a = :a_1"
        assert batches[0]["ExecutionMode"] == "TRANSACTION"


def test_metadata_follows_every_next_token(client: Any, stub: Stubber) -> None:
    stub.add_response(
        "list_schemas", {"Schemas": ["a"], "NextToken": "n"}, {"SchemaPattern": "%", **TARGET}
    )
    stub.add_response(
        "list_schemas", {"Schemas": ["b"]}, {"SchemaPattern": "%", "NextToken": "n", **TARGET}
    )
    stub.add_response(
        "list_tables",
        {"Tables": [{"name": "t", "schema": "a", "type": "TABLE"}], "NextToken": "m"},
        {"SchemaPattern": "a", "TablePattern": "t%", **TARGET},
    )
    stub.add_response(
        "list_tables",
        {"Tables": [{"name": "u", "schema": "a", "type": "VIEW"}]},
        {"SchemaPattern": "a", "TablePattern": "t%", "NextToken": "m", **TARGET},
    )
    stub.add_response(
        "describe_table",
        {"ColumnList": [{"name": "x", "typeName": "int4"}], "NextToken": "k"},
        {"Table": "t", "Schema": "a", **TARGET},
    )
    stub.add_response(
        "describe_table",
        {"ColumnList": [{"name": "y", "typeName": "text"}]},
        {"Table": "t", "Schema": "a", "NextToken": "k", **TARGET},
    )
    stub.add_response("list_databases", {"Databases": ["dev", "prod"]}, TARGET)
    conn = connect(client)
    assert conn.list_schemas("%") == ["a", "b"]
    assert [t["name"] for t in conn.list_tables("a", "t%")] == ["t", "u"]
    assert [c["name"] for c in conn.describe_table("t", "a")] == ["x", "y"]
    assert conn.list_databases() == ["dev", "prod"]


def test_statement_figures_come_from_describe_statement(client: Any, stub: Stubber) -> None:
    stub.add_response("execute_statement", finished(False))
    stub.add_response(
        "describe_statement",
        {
            **finished(False),
            "Duration": 1_500_000,
            "ResultRows": 3,
            "ResultSize": 10,
            "RedshiftQueryId": 42,
            "RedshiftPid": 7,
            "SessionId": SESSION_ID,
        },
    )
    cur = connect(client).cursor()
    cur.execute("DELETE FROM t")
    assert cur.duration is not None and cur.duration.total_seconds() == pytest.approx(0.0015)
    assert (
        cur.result_rows,
        cur.result_size,
        cur.redshift_query_id,
        cur.redshift_pid,
        cur.session_id,
        cur.status,
    ) == (3, 10, 42, 7, SESSION_ID, "FINISHED")
    assert cur.rowcount == 3  # no further call: the describe is reused


def test_submit_returns_at_once_and_fetch_waits(
    client: Any, stub: Stubber, recorder: Recorder
) -> None:
    stub.add_response(
        "execute_statement", {"Id": STATEMENT_ID}, {"Sql": "SELECT 1", "ClientToken": ANY, **TARGET}
    )
    cur = connect(client).cursor()
    assert cur.submit("SELECT 1") == STATEMENT_ID == cur.statement_id
    stub.add_response("describe_statement", finished(), {"Id": STATEMENT_ID, "WaitTimeSeconds": 20})
    stub.add_response("get_statement_result", page([[{"longValue": 1}]], [("a", "int4")]))
    assert cur.fetchall() == [(1,)]


def test_statement_name_and_with_event_reach_every_user_statement(
    client: Any, stub: Stubber
) -> None:
    stub.add_response(
        "execute_statement",
        finished(False),
        {
            "Sql": "DELETE FROM t",
            "StatementName": "nightly",
            "WithEvent": True,
            "ClientToken": ANY,
            "WaitTimeSeconds": 20,
            **TARGET,
        },
    )
    connect(client, statement_name="nightly", with_event=True).cursor().execute("DELETE FROM t")


def test_secret_arn_and_db_user_are_the_auth_members(client: Any, stub: Stubber) -> None:
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:analyst-AbCdEf"
    stub.add_response(
        "execute_statement",
        finished(False),
        {"Sql": "SELECT 1", "SecretArn": arn, "ClientToken": ANY, "WaitTimeSeconds": 20, **TARGET},
    )
    stub.add_response(
        "execute_statement",
        finished(False),
        {"Sql": "SELECT 1", "DbUser": "alice", "ClientToken": ANY, "WaitTimeSeconds": 20, **TARGET},
    )
    connect(client, secret_arn=arn).cursor().execute("SELECT 1")
    connect(client, db_user="alice").cursor().execute("SELECT 1")


def test_cursor_basics_without_calls(client: Any, stub: Stubber) -> None:
    cur = connect(client).cursor()
    assert cur.rowcount == -1 and cur.description is None and cur.statement_id is None
    cur.executemany("INSERT INTO t VALUES (:a)", [])
    assert cur.rowcount == 0
    with pytest.raises(redshift_dataapi.ProgrammingError, match="mapping"):
        cur.executemany("INSERT INTO t VALUES (:a)", [(1,)])
    with pytest.raises(redshift_dataapi.ProgrammingError, match="no statement"):
        cur.fetchall()


def test_callproc_runs_call_with_bound_parameters(
    client: Any, stub: Stubber, recorder: Recorder
) -> None:
    stub.add_response("execute_statement", finished(False))
    cur = connect(client).cursor()
    assert cur.callproc("refresh_stats", [1, None, "x"]) == [1, None, "x"]
    ((_, params),) = recorder.calls
    assert params["Sql"] == "CALL refresh_stats(:p0, NULL, :p2)"
    assert params["Parameters"] == [{"name": "p0", "value": "1"}, {"name": "p2", "value": "x"}]


def test_callproc_refuses_a_name_that_is_not_an_identifier(client: Any) -> None:
    cur = connect(client).cursor()
    for bad in ("", "x(); DROP TABLE t; --", "a b", "a.b.c.d", 'bad"quote'):
        with pytest.raises(redshift_dataapi.ProgrammingError, match="procedure name"):
            cur.callproc(bad)


def test_per_connection_converters(client: Any, stub: Stubber) -> None:
    stub.add_response("execute_statement", finished())
    stub.add_response(
        "get_statement_result",
        page(
            [[{"stringValue": "1.50"}, {"stringValue": "?"}]],
            [("n", "numeric"), ("g", "geography")],
        ),
    )
    conn = connect(client, converters={"numeric": float, "GEOGRAPHY": lambda s: ("geo", s)})
    assert conn.cursor().execute("SELECT 1").fetchall() == [(1.5, ("geo", "?"))]


@pytest.mark.parametrize("submit", ["execute", "submit"])
def test_keyboard_interrupt_during_a_submission_recovers_the_id_and_cancels(
    client: Any, stub: Stubber, recorder: Recorder, submit: str
) -> None:
    interrupted: list[bool] = []

    def interrupt_first(**_: Any) -> None:
        if not interrupted:
            interrupted.append(True)
            raise KeyboardInterrupt

    client.meta.events.register(
        "provide-client-params.redshift-data.ExecuteStatement", interrupt_first
    )
    stub.add_response(
        "execute_statement",
        {"Id": STATEMENT_ID, "Status": "SUBMITTED"},
        {"Sql": "SELECT 1", "ClientToken": ANY, **TARGET},
    )
    stub.add_response("cancel_statement", {"Status": True}, {"Id": STATEMENT_ID})
    cursor = connect(client).cursor()
    with pytest.raises(KeyboardInterrupt):
        getattr(cursor, submit)("SELECT 1")
    first, second = (params for name, params in recorder.calls if name == "ExecuteStatement")
    # The same request again, with the same ClientToken, never held by a long poll.
    assert first["ClientToken"] == second["ClientToken"]
    assert ("WaitTimeSeconds" in first) is (submit == "execute")
    assert "WaitTimeSeconds" not in second
