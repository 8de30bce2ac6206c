"""The engines the translator writes SQL for."""

from __future__ import annotations

from typing import Literal

__all__ = ["TARGETS", "Target"]

#: An engine behind the local endpoint: DuckDB, or PostgreSQL through psycopg.
Target = Literal["duckdb", "postgres"]
#: Every target, in the order passes list them.
TARGETS: tuple[Target, ...] = ("duckdb", "postgres")
