"""SQL engines behind the local Data API endpoint.

``base`` holds the contract (what the service asks of an engine), ``factory``
turns a spec string into an engine, and ``duckdb/`` and ``postgres/`` are the
two engines.
"""

from .base import (
    ColumnInfo,
    Engine,
    EngineConnection,
    EngineError,
    ExecResult,
    StatementCancelled,
    TableInfo,
    UnknownDatabase,
)
from .factory import create_engine

__all__ = [
    "ColumnInfo",
    "Engine",
    "EngineConnection",
    "EngineError",
    "ExecResult",
    "StatementCancelled",
    "TableInfo",
    "UnknownDatabase",
    "create_engine",
]
