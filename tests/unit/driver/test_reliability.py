"""Lost, cut and failed answers under a real boto3 client: retries, checks, transactions.

A scripted wire (botocore's ``before-send`` hook) answers each HTTP request
with what a hostile network or a failing service would: HTML 5xx pages,
modeled 500s, throttling, dropped connections, bodies cut mid-way or empty.
botocore parses each answer as it would off a socket, so these tests cover
the driver's reading of the real failure, not of a stubbed exception.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from unittest.mock import ANY

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ConnectionClosedError, EndpointConnectionError
from urllib3.exceptions import ProtocolError

import redshift_dataapi
from redshift_dataapi._core import runner as runner_module
from redshift_dataapi._core.client import client_config
from redshift_dataapi._core.retries import OutcomeUnknownError
from redshift_dataapi._core.runner import RETRY_MAX_DELAY, StatementRunner

from .conftest import SESSION_ID, STATEMENT_ID

COMMIT_ID = "c0c0c0c0-0000-0000-0000-000000000000"


class _Raw:
    """The urllib3 response botocore reads: ``body`` then, optionally, a broken connection."""

    def __init__(self, body: bytes, broken: bool) -> None:
        self.body = body
        self.broken = broken

    def stream(self, *args: Any, **kwargs: Any) -> Iterator[bytes]:
        yield self.body
        if self.broken:
            raise ProtocolError(
                "Connection broken: IncompleteRead(12 bytes read, 80 more expected)"
            )


Reply = Callable[[], AWSResponse]


def reply(status: int, body: bytes, *, broken: bool = False) -> Reply:
    def make() -> AWSResponse:
        headers = {"Content-Type": "application/x-amz-json-1.1"}
        return AWSResponse("https://local/", status, headers, _Raw(body, broken))

    return make


def ok(payload: dict[str, Any]) -> Reply:
    return reply(200, json.dumps(payload).encode())


def raising(exc: Exception) -> Reply:
    def make() -> AWSResponse:
        raise exc

    return make


def error(status: int, code: str, message: str = "try again") -> Reply:
    return reply(status, json.dumps({"__type": code, "message": message}).encode())


def html(status: int) -> Reply:
    return reply(status, f"<html><body><h1>{status} Bad Gateway</h1></body></html>".encode())


def cut(payload: dict[str, Any]) -> Reply:
    """The answer cut mid-body: the connection breaks (urllib3 notices the short read)."""
    return reply(200, json.dumps(payload).encode()[:12], broken=True)


def truncated(payload: dict[str, Any]) -> Reply:
    """The answer cut mid-body and nobody noticed: half a JSON document."""
    return reply(200, json.dumps(payload).encode()[:15])


#: Every kind of transient fault, each followed in the tests by a good answer.
FAULTS: dict[str, Callable[[dict[str, Any]], Reply]] = {
    "html 502": lambda p: html(502),
    "html 503": lambda p: html(503),
    "html 504": lambda p: html(504),
    "InternalFailure 500": lambda p: error(500, "InternalFailure"),
    "InternalServerException 500": lambda p: error(500, "InternalServerException"),
    "ServiceUnavailable 503": lambda p: error(503, "ServiceUnavailable"),
    "ThrottlingException 400": lambda p: error(400, "ThrottlingException"),
    "bare 429": lambda p: reply(429, b""),
    "connection closed": lambda p: raising(ConnectionClosedError(endpoint_url="https://local/")),
    "connection refused": lambda p: raising(EndpointConnectionError(endpoint_url="https://local/")),
    "connection reset": lambda p: raising(ConnectionResetError(104, "reset by peer")),
    "body cut, noticed": cut,
    "body cut, unnoticed": truncated,
    "empty 200": lambda p: reply(200, b""),
}


class Wire:
    """Answers each request of ``client`` with the next scripted reply; records the requests."""

    def __init__(self, client: Any) -> None:
        self.replies: list[Reply] = []
        self.requests: list[tuple[str, dict[str, Any]]] = []
        client.meta.events.register("before-send.redshift-data", self._send)

    def _send(self, request: Any, **_: Any) -> AWSResponse:
        target = request.headers["X-Amz-Target"]
        target = target.decode() if isinstance(target, bytes) else target
        self.requests.append((target.split(".", 1)[1], json.loads(request.body or b"{}")))
        assert self.replies, f"unscripted request {self.requests[-1]}"
        return self.replies.pop(0)()

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def names(self) -> list[str]:
        return [name for name, _ in self.requests]

    def sqls(self) -> list[str]:
        return [params.get("Sql", "") for _, params in self.requests]


@pytest.fixture
def client() -> Any:
    """A client as the project builds them: botocore's own retries off."""
    return boto3.client(
        "redshift-data",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=client_config(),
    )


@pytest.fixture
def wire(client: Any) -> Iterator[Wire]:
    w = Wire(client)
    yield w
    assert not w.replies, "scripted replies left unused"


class Sleeps:
    """The runner's injected clock and random source: records every pause's bound."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self.bounds: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)

    def uniform(self, low: float, high: float) -> float:
        self.bounds.append(high)
        return high


def connect(
    client: Any, sleeps: Sleeps | None = None, **kwargs: Any
) -> redshift_dataapi.Connection:
    kwargs.setdefault("autocommit", True)
    conn = redshift_dataapi.connect("dev", cluster_identifier="cl", client=client, **kwargs)
    sleeps = sleeps or Sleeps()
    conn.runner.sleep = sleeps.sleep
    conn.runner.uniform = sleeps.uniform
    return conn


FINISHED_DML = {"Id": STATEMENT_ID, "Status": "FINISHED", "HasResultSet": False, "ResultRows": 1}


# -- point 3: transient failures -------------------------------------------------


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_transient_fault_is_retried_with_the_same_client_token(
    client: Any, wire: Wire, fault: str
) -> None:
    wire.script(FAULTS[fault](FINISHED_DML), ok(FINISHED_DML))
    sleeps = Sleeps()
    cur = connect(client, sleeps).cursor()
    cur.execute("DELETE FROM t")
    assert cur.statement_id == STATEMENT_ID
    assert wire.names() == ["ExecuteStatement", "ExecuteStatement"]
    tokens = {params["ClientToken"] for _, params in wire.requests}
    assert len(tokens) == 1  # the retry cannot run the statement twice
    assert len(sleeps.pauses) == 1


@pytest.mark.parametrize(
    "fault", ["html 502", "connection reset", "empty 200", "body cut, noticed"]
)
def test_exhausted_retries_raise_operational_error_keeping_the_cause(
    client: Any, wire: Wire, fault: str
) -> None:
    conn = connect(client, max_retries=2)
    wire.script(*(FAULTS[fault](FINISHED_DML) for _ in range(3)))
    with pytest.raises(redshift_dataapi.OperationalError, match="after 3 attempts") as info:
        conn.cursor().execute("DELETE FROM t")
    assert info.value.__cause__ is not None
    assert len(wire.requests) == 3


def test_backoff_is_full_jitter_doubling_up_to_the_cap(
    client: Any, wire: Wire, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner_module, "RETRY_BASE_DELAY", 0.1)  # the conftest zeroes it
    sleeps = Sleeps()
    conn = connect(client, sleeps, max_retries=8)
    wire.script(*(html(503) for _ in range(8)), ok(FINISHED_DML))
    conn.cursor().execute("DELETE FROM t")
    assert sleeps.bounds == [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, RETRY_MAX_DELAY, RETRY_MAX_DELAY]
    assert sleeps.pauses == sleeps.bounds  # each pause is the injected draw


def test_a_refusal_is_not_retried(client: Any, wire: Wire) -> None:
    wire.script(error(400, "ValidationException", "Sql is too long"))
    with pytest.raises(redshift_dataapi.ProgrammingError, match="too long"):
        connect(client).cursor().execute("DELETE FROM t")
    assert len(wire.requests) == 1


def test_a_5xx_page_that_outlasts_the_retries_is_operational_not_database_error(
    client: Any, wire: Wire
) -> None:
    wire.script(html(502))
    with pytest.raises(redshift_dataapi.OperationalError, match="502") as info:
        connect(client, max_retries=0).cursor().execute("SELECT 1")
    assert isinstance(info.value, OutcomeUnknownError)


# -- point 2: incomplete answers -------------------------------------------------


def _page(rows: list[int], token: str | None = None, total: int | None = None) -> dict[str, Any]:
    page: dict[str, Any] = {
        "Records": [[{"longValue": r}] for r in rows],
        "ColumnMetadata": [{"name": "a", "label": "a", "typeName": "int8"}],
        "TotalNumRows": len(rows) if total is None else total,
    }
    if token:
        page["NextToken"] = token
    return page


FINISHED_QUERY = {"Id": STATEMENT_ID, "Status": "FINISHED", "HasResultSet": True}


@pytest.mark.parametrize(
    "lost",
    [
        {"Status": "FINISHED", "HasResultSet": True},  # no Id
        {"Id": STATEMENT_ID},  # no Status
        {},
    ],
)
def test_a_describe_without_its_fields_is_a_lost_answer(
    client: Any, wire: Wire, lost: dict[str, Any]
) -> None:
    runner = StatementRunner(client, sleep=lambda s: None)
    wire.script(ok(lost), ok({"Id": STATEMENT_ID, "Status": "FINISHED"}))
    assert runner.describe(STATEMENT_ID)["Status"] == "FINISHED"
    assert wire.names() == ["DescribeStatement"] * 2


def test_a_submit_without_an_id_raises_operational_error_not_key_error(
    client: Any, wire: Wire
) -> None:
    wire.script(ok({"Status": "FINISHED"}), ok({"Status": "FINISHED"}))
    with pytest.raises(redshift_dataapi.OperationalError, match="no Id"):
        connect(client, max_retries=1).cursor().execute("DELETE FROM t")


def test_a_first_page_without_metadata_is_fetched_again(client: Any, wire: Wire) -> None:
    first = _page([1, 2])
    del first["ColumnMetadata"]
    wire.script(ok(FINISHED_QUERY), ok(first), ok(_page([1, 2])))
    cur = connect(client).cursor()
    assert cur.execute("SELECT a FROM t").fetchall() == [(1,), (2,)]
    assert cur.description is not None and cur.description[0][0] == "a"


def test_a_page_cut_in_transit_is_fetched_again_never_ending_the_result(
    client: Any, wire: Wire
) -> None:
    wire.script(
        ok(FINISHED_QUERY),
        ok(_page([1, 2], "p2", total=4)),
        truncated(_page([3, 4], total=4)),
        reply(200, b""),
        ok(_page([3, 4], total=4)),
    )
    cur = connect(client).cursor()
    assert cur.execute("SELECT a FROM t").fetchall() == [(1,), (2,), (3,), (4,)]
    assert [p.get("NextToken") for _, p in wire.requests[1:]] == [None, "p2", "p2", "p2"]


def test_a_page_lost_for_good_raises_instead_of_a_short_result(client: Any, wire: Wire) -> None:
    wire.script(ok(FINISHED_QUERY), ok(_page([1, 2], "p2", total=4)), reply(200, b""))
    cur = connect(client, max_retries=0).cursor()
    cur.execute("SELECT a FROM t")
    with pytest.raises(redshift_dataapi.OperationalError, match="GetStatementResult"):
        cur.fetchall()


def test_rows_short_of_total_num_rows_raise(client: Any, wire: Wire) -> None:
    wire.script(ok(FINISHED_QUERY), ok(_page([1, 2], "p2", total=5)), ok(_page([3], total=5)))
    cur = connect(client).cursor()
    cur.execute("SELECT a FROM t")
    with pytest.raises(redshift_dataapi.OperationalError, match="3 rows received of the 5"):
        cur.fetchall()


@pytest.mark.parametrize("fetch", ["fetchall", "fetchone", "fetch_arrow_table"])
def test_a_short_single_page_never_reads_as_a_result(client: Any, wire: Wire, fetch: str) -> None:
    # The first page is converted when first read, so the check comes with the first fetch.
    wire.script(ok(FINISHED_QUERY), ok(_page([], total=2000)))
    cur = connect(client).cursor()
    cur.execute("SELECT a FROM t")
    with pytest.raises(redshift_dataapi.OperationalError, match="0 rows received of the 2000"):
        getattr(cur, fetch)()


def _batch(rows: list[int]) -> dict[str, Any]:
    subs = [
        {"Id": f"{STATEMENT_ID}:{i + 1}", "Status": "FINISHED", "ResultRows": n}
        for i, n in enumerate(rows)
    ]
    return {"Id": STATEMENT_ID, "Status": "FINISHED", "SubStatements": subs}


def test_executemany_never_sums_an_empty_describe(client: Any, wire: Wire) -> None:
    params = [{"a": i, "b": i} for i in range(3)]
    wire.script(
        ok({"Id": STATEMENT_ID, "Status": "FINISHED"}),  # the long-polled submit
        reply(200, b""),  # DescribeStatement emptied on the way
        ok(_batch([2, 1, 1])),
    )
    cur = connect(client).cursor()
    cur.executemany("UPDATE t SET a = :a WHERE b = :b", params)
    assert cur.rowcount == 4
    assert wire.names() == ["BatchExecuteStatement", "DescribeStatement", "DescribeStatement"]


def test_executemany_refuses_a_batch_describe_without_sub_statements(
    client: Any, wire: Wire
) -> None:
    wire.script(
        ok({"Id": STATEMENT_ID, "Status": "FINISHED"}),
        ok({"Id": STATEMENT_ID, "Status": "FINISHED"}),
    )
    with pytest.raises(redshift_dataapi.OperationalError, match="row count is unknown"):
        connect(client).cursor().executemany("UPDATE t SET a = :a", [{"a": 1}, {"a": 2}])


# -- point 4: transactions -------------------------------------------------------


def _submitted(statement_id: str = STATEMENT_ID, **extra: Any) -> dict[str, Any]:
    return {
        "Id": statement_id,
        "Status": "FINISHED",
        "HasResultSet": False,
        "SessionId": SESSION_ID,
        **extra,
    }


def _open_transaction(client: Any, wire: Wire, **kwargs: Any) -> redshift_dataapi.Connection:
    """A transactional connection whose transaction holds one INSERT."""
    conn = connect(client, autocommit=False, **kwargs)
    wire.script(ok(_submitted("b")), ok(_submitted()))
    conn.cursor().execute("INSERT INTO t VALUES (1)")
    assert conn.in_transaction and conn.session_id == SESSION_ID
    return conn


def test_a_lost_commit_answer_is_recovered_by_its_client_token(client: Any, wire: Wire) -> None:
    conn = _open_transaction(client, wire)
    wire.script(cut(_submitted(COMMIT_ID)), ok(_submitted(COMMIT_ID)))
    conn.commit()
    commits = [p for name, p in wire.requests if p.get("Sql") == "COMMIT"]
    assert len(commits) == 2 and commits[0]["ClientToken"] == commits[1]["ClientToken"]
    assert not conn.in_transaction
    # The next transaction starts with BEGIN: its INSERT cannot autocommit.
    wire.script(ok(_submitted("b2")), ok(_submitted("i2")))
    conn.cursor().execute("INSERT INTO t VALUES (2)")
    assert wire.sqls()[-2:] == ["BEGIN", "INSERT INTO t VALUES (2)"]


def test_a_commit_whose_outcome_stays_unknown_raises_and_ends_the_session(
    client: Any, wire: Wire
) -> None:
    conn = _open_transaction(client, wire, max_retries=1)
    wire.script(
        raising(ConnectionClosedError(endpoint_url="https://local/")),
        html(504),
        ok(_submitted("rb")),  # the best-effort ROLLBACK that ends the session
    )
    with pytest.raises(redshift_dataapi.OperationalError, match="outcome of COMMIT is unknown"):
        conn.commit()
    ending = wire.requests[-1][1]
    assert ending["Sql"] == "ROLLBACK" and ending["SessionKeepAliveSeconds"] == 0
    assert not conn.in_transaction and conn.session_id is None
    # Usable: the next statement opens a new session and transaction.
    wire.script(ok(_submitted("b2")), ok(_submitted("i2")))
    conn.cursor().execute("INSERT INTO t VALUES (2)")
    begin = wire.requests[-2][1]
    assert begin["Sql"] == "BEGIN" and "SessionId" not in begin


def test_a_commit_answered_then_lost_while_waiting_is_settled_by_describe(
    client: Any, wire: Wire
) -> None:
    conn = _open_transaction(client, wire, max_retries=0)
    conn.runner.long_polling = False
    wire.script(
        ok({"Id": COMMIT_ID, "SessionId": SESSION_ID}),  # accepted; status unknown
        html(502),  # the wait's DescribeStatement fails
        ok({"Id": COMMIT_ID, "Status": "FINISHED"}),  # one more describe settles it
    )
    conn.commit()
    assert not conn.in_transaction and conn.session_id == SESSION_ID


def test_a_commit_found_failed_by_describe_says_nothing_was_committed(
    client: Any, wire: Wire
) -> None:
    conn = _open_transaction(client, wire, max_retries=0)
    conn.runner.long_polling = False
    wire.script(
        ok({"Id": COMMIT_ID, "SessionId": SESSION_ID}),
        html(502),
        ok({"Id": COMMIT_ID, "Status": "FAILED", "Error": "serializable isolation violation"}),
    )
    with pytest.raises(redshift_dataapi.OperationalError, match="ended FAILED: nothing was"):
        conn.commit()
    assert not conn.in_transaction and conn.session_id == SESSION_ID


def test_rollback_with_an_unknown_outcome_abandons_the_session_quietly(
    client: Any, wire: Wire
) -> None:
    conn = _open_transaction(client, wire, max_retries=0)
    wire.script(html(503), html(503))  # ROLLBACK, then the session-ending ROLLBACK
    conn.rollback()
    assert not conn.in_transaction and conn.session_id is None


def test_commit_after_a_failed_statement_raises_and_rolls_back(client: Any, wire: Wire) -> None:
    conn = _open_transaction(client, wire)
    wire.script(
        ok({"Id": "bad", "Status": "FAILED", "SessionId": SESSION_ID}),
        ok({"Id": "bad", "Status": "FAILED", "Error": "ERROR: division by zero (SQLSTATE 22012)"}),
    )
    with pytest.raises(redshift_dataapi.DataError):
        conn.cursor().execute("INSERT INTO t VALUES (1 / 0)")
    wire.script(ok(_submitted("rb")))
    with pytest.raises(
        redshift_dataapi.OperationalError, match=r"nothing was committed.*statement bad failed"
    ) as info:
        conn.commit()
    assert isinstance(info.value.__cause__, redshift_dataapi.DataError)
    assert wire.sqls()[-1] == "ROLLBACK" and "COMMIT" not in wire.sqls()
    assert not conn.in_transaction
    # Usable, and the next commit commits.
    wire.script(ok(_submitted("b2")), ok(_submitted("i2")), ok(_submitted("c2")))
    conn.cursor().execute("INSERT INTO t VALUES (2)")
    conn.commit()
    assert wire.sqls()[-3:] == ["BEGIN", "INSERT INTO t VALUES (2)", "COMMIT"]


def test_rollback_after_a_failed_statement_is_silent(client: Any, wire: Wire) -> None:
    conn = _open_transaction(client, wire)
    wire.script(error(400, "ExecuteStatementException", "ERROR: boom (SQLSTATE 42601)"))
    with pytest.raises(redshift_dataapi.ProgrammingError):
        conn.cursor().execute("INSERT INTO t VALUES (")
    wire.script(ok(_submitted("rb")))
    conn.rollback()
    assert not conn.in_transaction and wire.sqls()[-1] == "ROLLBACK"


def test_an_interrupted_commit_forgets_the_session(client: Any, wire: Wire) -> None:
    conn = _open_transaction(client, wire)
    wire.script(raising(KeyboardInterrupt()), ok(_submitted(COMMIT_ID)), ok({"Status": True}))
    with pytest.raises(KeyboardInterrupt):
        conn.commit()
    assert not conn.in_transaction and conn.session_id is None


def test_a_listing_with_nothing_in_it_is_lost_but_an_empty_list_is_an_answer(
    client: Any, wire: Wire
) -> None:
    runner = StatementRunner(client, sleep=lambda s: None)
    wire.script(reply(200, b""), ok({"Databases": []}))
    assert runner.call("ListDatabases", ClusterIdentifier="cl", Database="dev") == {
        "Databases": [],
        "ResponseMetadata": ANY,
    }
    assert wire.names() == ["ListDatabases"] * 2
