"""Fixtures of the DuckDB engine's tests: a fresh in-memory engine and a connection to dev."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from redshift_dataapi.local.engines import create_engine
from redshift_dataapi.local.engines.duckdb.engine import DuckDBConnection, DuckDBEngine


@pytest.fixture
def engine() -> Iterator[DuckDBEngine]:
    eng = create_engine("duckdb")
    assert isinstance(eng, DuckDBEngine)
    yield eng
    eng.close()


@pytest.fixture
def conn(engine: DuckDBEngine) -> Iterator[DuckDBConnection]:
    c = engine.connect("dev")
    yield c
    engine.release(c)
