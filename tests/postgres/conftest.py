"""Fixtures for the PostgreSQL engine's own tests.

``pg_dsn`` (tests/conftest.py) provides the server.  Each test module gets one
engine with its own database prefix, so the modules never see each other's
tables and the databases are dropped when the module is done.  Roles such as
``alice`` are cluster-wide: tests create tables whose names are unique to the
test, never assume a role is new, and grant explicitly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest

from redshift_dataapi.local.engines import create_engine
from redshift_dataapi.local.engines.postgres.engine import PostgresConnection, PostgresEngine


def prefix_for(node_id: str) -> str:
    """A database prefix unique to a test node."""
    return "p" + hashlib.sha1(node_id.encode()).hexdigest()[:10] + "_"


@pytest.fixture(scope="module")
def engine(pg_dsn: str, request: pytest.FixtureRequest) -> Iterator[PostgresEngine]:
    """A PostgreSQL engine shared by the tests of one module (databases dropped at the end)."""
    made = create_engine(
        pg_dsn, database_prefix=prefix_for(request.node.nodeid), drop_on_close=True
    )
    assert isinstance(made, PostgresEngine)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def conn(engine: PostgresEngine) -> Iterator[PostgresConnection]:
    """A superuser connection to ``dev``, given back to the pool after the test."""
    connection = engine.connect("dev")
    try:
        yield connection
    finally:
        engine.release(connection)


@pytest.fixture
def table_name(request: pytest.FixtureRequest) -> str:
    """A table name unique to the test (tests of a module share one database)."""
    return "t_" + hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:8]
