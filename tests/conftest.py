"""Fixtures shared by every suite.

``engine_spec`` is parametrized over the two engines of the local endpoint, so
every test that asks for ``local_service`` (directly or through a client)
runs on DuckDB and on PostgreSQL.  The PostgreSQL server comes from
``tests/pg_server.py`` (a DSN from the environment, testcontainers, or a
throwaway cluster from the system's binaries) and the PostgreSQL variants are
skipped, saying how to get a server, only when none of those is available.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# Dummy credentials so that boto3 never looks for real ones (and never finds a
# developer's own): nothing in the test suite talks to AWS.
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.pop("AWS_PROFILE", None)

ENGINES = ["duckdb", "postgresql"]


@pytest.fixture(scope="session")
def pg_dsn() -> Iterator[str]:
    """A PostgreSQL server's DSN (superuser), or a skip that says how to get one."""
    from tests.pg_server import postgres_server

    with postgres_server() as dsn:
        yield dsn


@pytest.fixture(params=ENGINES)
def engine_spec(request: pytest.FixtureRequest) -> str:
    """The engine spec for ``redshift_dataapi.local`` ("duckdb" or a postgresql:// DSN)."""
    if request.param == "duckdb":
        return "duckdb"
    return str(request.getfixturevalue("pg_dsn"))


@pytest.fixture
def local_service(engine_spec: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh local Data API service on ``engine_spec`` (a clean ``dev`` database)."""
    from tests.engines import make_service

    service = make_service(engine_spec, request.node.nodeid)
    try:
        yield service
    finally:
        service.close()


@pytest.fixture
def dataapi_client(local_service: Any) -> Any:
    """A real boto3 ``redshift-data`` client answered in-process by ``local_service``."""
    from redshift_dataapi.local import inprocess_client

    return inprocess_client(local_service)


@pytest.fixture
def http_endpoint(local_service: Any) -> Iterator[str]:
    """``local_service`` served over real HTTP on 127.0.0.1; yields the endpoint URL."""
    from redshift_dataapi.local import LocalServer

    with LocalServer(local_service, host="127.0.0.1", port=0) as server:
        yield server.endpoint_url


@pytest.fixture
def http_client(http_endpoint: str) -> Any:
    """A real boto3 ``redshift-data`` client talking HTTP to ``http_endpoint``."""
    from tests.engines import http_client as make_http_client

    return make_http_client(http_endpoint)


@pytest.fixture(params=["inprocess", "http"])
def any_client(request: pytest.FixtureRequest, local_service: Any) -> Any:
    """The same service through each transport: in-process and HTTP."""
    name = "dataapi_client" if request.param == "inprocess" else "http_client"
    return request.getfixturevalue(name)
