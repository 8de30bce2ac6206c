"""executemany planning: never one round trip per row.

* ``INSERT INTO t (...) VALUES (<one row>)`` is rewritten into multi-row
  ``VALUES (...), (...), ...`` statements, each row's parameters renamed with a
  ``_<row>`` suffix (``:a`` -> ``:a_0``, ``:a_1``...; the suffix makes every
  name unique because it is always ``_`` + digits), cut so that each statement
  stays under :data:`MAX_SQL_BYTES` of SQL text and :data:`MAX_PARAMETERS`
  parameters.
* Any other statement becomes BatchExecuteStatement calls of up to
  :data:`MAX_BATCH_SQLS` statements; the Parameters list of a call is shared by
  its statements, so each statement's names get its position as suffix and
  binds only its own.

The Data API documents a 100 KB limit on SQL text and no parameter-count limit
in the model; :data:`MAX_PARAMETERS` is our conservative cap.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .params import bind, find_placeholders, literal_spans

__all__ = ["MAX_BATCH_SQLS", "MAX_PARAMETERS", "MAX_SQL_BYTES", "Plan", "plan"]

MAX_SQL_BYTES = 100_000
MAX_PARAMETERS = 1000
MAX_BATCH_SQLS = 40

_INSERT = re.compile(r"\s*INSERT\s+INTO\s.*?\bVALUES\s*\(", re.IGNORECASE | re.DOTALL)


@dataclass
class Plan:
    """What executemany sends: ``statements`` (one ExecuteStatement each) or
    ``batches`` (one BatchExecuteStatement each), with the rows each covers."""

    statements: list[tuple[str, list[dict[str, str]] | None, int]]
    batches: list[tuple[list[str], list[dict[str, str]] | None, int]]


def mask_literals(sql: str) -> str:
    """``sql`` with string literals, quoted identifiers and comments blanked out
    (same length), so that keywords and parentheses can be found by position."""
    out = list(sql)
    for start, end in literal_spans(sql):
        out[start:end] = " " * (end - start)
    return "".join(out)


def split_insert(sql: str) -> tuple[str, str, str] | None:
    """(prefix, values tuple, suffix) of a one-row ``INSERT ... VALUES (...)``, else None."""
    masked = mask_literals(sql)
    match = _INSERT.match(masked)
    if not match:
        return None
    open_at = match.end() - 1
    depth = 0
    close_at = -1
    for k in range(open_at, len(masked)):
        if masked[k] == "(":
            depth += 1
        elif masked[k] == ")":
            depth -= 1
            if depth == 0:
                close_at = k
                break
    if close_at < 0:
        return None
    rest = masked[close_at + 1 :].strip()
    if rest not in ("", ";"):
        return None  # a second row, ON CONFLICT, RETURNING...: leave it alone
    prefix = sql[:open_at]
    if find_placeholders(prefix):
        return None
    return prefix, sql[open_at : close_at + 1], ""


def plan(sql: str, rows: Sequence[Mapping[str, Any]]) -> Plan:
    """How to run ``sql`` once per parameter set in ``rows``."""
    result = Plan([], [])
    parts = split_insert(sql) if rows and rows[0] else None
    if parts is not None:
        prefix, values, suffix = parts
        placeholders = find_placeholders(values)
        overhead = len(prefix.encode()) + len(suffix.encode())
        tuples: list[str] = []
        params: list[dict[str, str]] = []
        size = overhead
        for row in rows:
            bound = bind(values, row, suffix=f"_{len(tuples)}", placeholders=placeholders)
            text = bound.sql
            row_params = bound.parameters or []
            row_size = len(text.encode()) + 2
            if tuples and (
                size + row_size > MAX_SQL_BYTES or len(params) + len(row_params) > MAX_PARAMETERS
            ):
                result.statements.append(
                    (prefix + ", ".join(tuples) + suffix, params or None, len(tuples))
                )
                tuples, params, size = [], [], overhead
                bound = bind(values, row, suffix="_0", placeholders=placeholders)
                text = bound.sql
                row_params = bound.parameters or []
            tuples.append(text)
            params.extend(row_params)
            size += row_size
        if tuples:
            result.statements.append(
                (prefix + ", ".join(tuples) + suffix, params or None, len(tuples))
            )
        return result

    placeholders = find_placeholders(sql)
    sqls: list[str] = []
    batch_params: list[dict[str, str]] = []
    for row in rows:
        bound = bind(sql, row if row else None, suffix=f"_{len(sqls)}", placeholders=placeholders)
        row_params = bound.parameters or []
        if sqls and (
            len(sqls) >= MAX_BATCH_SQLS or len(batch_params) + len(row_params) > MAX_PARAMETERS
        ):
            result.batches.append((sqls, batch_params or None, len(sqls)))
            sqls, batch_params = [], []
            bound = bind(sql, row if row else None, suffix="_0", placeholders=placeholders)
            row_params = bound.parameters or []
        sqls.append(bound.sql)
        batch_params.extend(row_params)
    if sqls:
        result.batches.append((sqls, batch_params or None, len(sqls)))
    return result
