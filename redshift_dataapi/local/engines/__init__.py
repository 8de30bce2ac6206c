"""SQL engines behind the local Data API endpoint (see ``base`` for the contract)."""

from .base import (
    ColumnInfo,
    Engine,
    EngineConnection,
    EngineError,
    ExecResult,
    StatementCancelled,
    TableInfo,
    UnknownDatabase,
    create_engine,
)

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
