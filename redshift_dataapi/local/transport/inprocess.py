"""A real boto3 ``redshift-data`` client answered in-process, without a socket.

botocore emits ``before-send`` just before it would send a request over HTTP;
a handler that returns a response short-circuits the network.  The handler
runs the request through :func:`.protocol.dispatch` (the same code the HTTP
server runs) and hands back the JSON bytes, which botocore parses with its real
parser: modeled exceptions, timestamps and pagination behave as over HTTP.

Injected faults (:mod:`.faults`) reach the client as they would over HTTP: a
dropped answer raises botocore's ``ConnectionClosedError``, a cut one is a
truncated body under the full Content-Length (botocore reads HTTP bodies with
``enforce_content_length=False``, so it sees exactly that).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.session
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.config import Config
from botocore.exceptions import ConnectionClosedError

from ..service.api import LocalDataAPI, shared_service
from .faults import FaultPlan
from .protocol import Delivery, answer

__all__ = ["INPROCESS_ENDPOINT", "inprocess_client"]

#: The endpoint URL the in-process client pretends to talk to (never resolved).
INPROCESS_ENDPOINT = "http://redshift-data.local.invalid"

_session: boto3.session.Session | None = None
_session_lock = threading.Lock()


class _RawBody:
    """The minimal ``raw`` object AWSResponse reads content from."""

    def __init__(self, payload: bytes) -> None:
        self._payload = payload

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._payload


def _header(request: AWSPreparedRequest, name: str) -> str | None:
    value = request.headers.get(name)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


def inprocess_client(
    svc: LocalDataAPI | None = None,
    *,
    region_name: str = "us-east-1",
    latency_seconds: float = 0.0,
    faults: FaultPlan | None = None,
) -> Any:
    """A boto3 ``redshift-data`` client whose requests ``svc`` answers in this process.

    ``svc`` None uses :func:`shared_service` ("duckdb").  ``latency_seconds``
    sleeps before each answer to simulate a network round trip (benchmarks).
    Dummy credentials are used, so no credential lookup ever happens.
    ``faults``: the faults to inject into this client's answers (None: the
    service's :attr:`~LocalDataAPI.faults`).
    """
    if latency_seconds < 0:
        raise ValueError(f"latency_seconds must be >= 0, got {latency_seconds!r}")
    service = svc if svc is not None else shared_service()
    with _session_lock:
        # One boto3 session for every in-process client: it caches the loaded
        # service model, which makes a new client several times cheaper.
        global _session
        if _session is None:
            # Ignore AWS_PROFILE: the in-process client needs nothing from the
            # user's AWS configuration, and a missing profile must not break it.
            core = botocore.session.Session(session_vars={"profile": (None, None, None, None)})
            _session = boto3.session.Session(botocore_session=core)
        client: Any = _session.client(
            "redshift-data",
            region_name=region_name,
            endpoint_url=INPROCESS_ENDPOINT,
            aws_access_key_id="local",
            aws_secret_access_key="local",
            config=Config(retries={"total_max_attempts": 1}),
        )

    def respond(request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        if latency_seconds:
            time.sleep(latency_seconds)
        body = request.body
        if body is not None and not isinstance(body, (bytes, str)):
            body = body.read() if hasattr(body, "read") else bytes(body)
        reply = answer(
            service,
            _header(request, "X-Amz-Target"),
            body,
            _header(request, "Content-Type"),
            faults,
        )
        if reply.delivery is Delivery.NONE:
            # What botocore raises when the server closes the socket unanswered.
            raise ConnectionClosedError(endpoint_url=request.url)
        payload = reply.payload
        headers: Any = {
            "Content-Type": reply.content_type,
            "Content-Length": str(len(payload)),
            "x-amzn-RequestId": str(uuid.uuid4()),
        }
        if reply.delivery is Delivery.CUT:
            payload = payload[: reply.cut_at]
        return AWSResponse(request.url, reply.status, headers, _RawBody(payload))

    client.meta.events.register("before-send.redshift-data", respond)
    client._local_service = service  # lets callers find the service behind a client
    return client
