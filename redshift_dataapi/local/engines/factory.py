"""Which engine an engine spec names, and building it.

A spec is what ``local serve --engine``, ``LocalDataAPI(engine=...)`` and the
driver's ``endpoint_url="local:<spec>"`` take:

* ``duckdb`` (or None): DuckDB in memory;
* ``duckdb:PATH``: DuckDB in files (``dev`` is PATH, other databases beside it);
* ``postgresql://user[:password]@host:port/`` (also ``postgres://`` and
  ``postgresql+psycopg://``): PostgreSQL through psycopg.

Engines are imported on first use, so that DuckDB users never import psycopg
and the reverse.
"""

from __future__ import annotations

from typing import Any

from .base import Engine

__all__ = ["DUCKDB_PREFIX", "DUCKDB_SPEC", "POSTGRES_SCHEMES", "create_engine", "is_engine_spec"]

#: The spec of in-memory DuckDB, and the prefix of a DuckDB file spec.
DUCKDB_SPEC = "duckdb"
DUCKDB_PREFIX = "duckdb:"
#: URL schemes of a PostgreSQL DSN.
POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")

_SPEC_HELP = "use 'duckdb', 'duckdb:PATH' or 'postgresql://user@host:port/'"


def is_engine_spec(spec: str) -> bool:
    """True when ``spec`` names an engine (the engine may still fail to start)."""
    return spec == DUCKDB_SPEC or spec.startswith((DUCKDB_PREFIX, *POSTGRES_SCHEMES))


def create_engine(spec: str | None = None, **options: Any) -> Engine:
    """Build an engine from a spec string (see the module docstring).

    ``options`` go to the engine's constructor (DuckDB: ``threads``,
    ``memory_limit``; PostgreSQL: ``database_prefix``, ``drop_on_close``,
    ``max_idle``, ``connect_timeout``).  Raises ValueError naming a bad spec.
    """
    if spec is None or spec == DUCKDB_SPEC or spec.startswith(DUCKDB_PREFIX):
        from .duckdb.engine import DuckDBEngine

        path = None if spec in (None, DUCKDB_SPEC) else spec[len(DUCKDB_PREFIX) :]
        return DuckDBEngine(path or None, **options)
    if spec.startswith(POSTGRES_SCHEMES):
        from .postgres.engine import PostgresEngine

        return PostgresEngine(spec, **options)
    raise ValueError(f"unknown engine {spec!r}: {_SPEC_HELP}")
