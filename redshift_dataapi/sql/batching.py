"""executemany planning: never one round trip per row.

* ``INSERT INTO t (...) VALUES (<one row>)`` is rewritten into multi-row
  ``VALUES (...), (...), ...`` statements, each row's parameters renamed with a
  ``_<row>`` suffix (``:a`` -> ``:a_0``, ``:a_1``...; the suffix makes every
  name unique because it is always ``_`` + digits), cut so that each statement
  stays under :data:`~redshift_dataapi._core.limits.CLIENT_SQL_BYTES` of SQL
  text (a margin below the service's limit for what binding adds) and
  :data:`~redshift_dataapi._core.limits.CLIENT_MAX_PARAMETERS` parameters.
* Any other statement becomes BatchExecuteStatement calls of up to
  :data:`~redshift_dataapi._core.limits.MAX_BATCH_SQLS` statements; the
  Parameters list of a call is shared by its statements, so each statement's
  names get its position as suffix and binds only its own.

The INSERT's parts are found on the SQL with its literals, quoted identifiers
and comments blanked out (the lexer's :func:`~redshift_dataapi.sql.lexer.quoted_spans`),
so a ``VALUES (`` inside a string never counts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .._core.limits import CLIENT_MAX_PARAMETERS, CLIENT_SQL_BYTES, MAX_BATCH_SQLS
from .lexer import placeholder_spans, quoted_spans
from .params import bind

__all__ = ["Plan", "mask_quoted", "plan", "split_insert"]

_INSERT = re.compile(r"\s*INSERT\s+INTO\s.*?\bVALUES\s*\(", re.IGNORECASE | re.DOTALL)

_Params = list[dict[str, str]]


@dataclass
class Plan:
    """What executemany sends: ``statements`` (one ExecuteStatement each) or
    ``batches`` (one BatchExecuteStatement each), with the rows each covers."""

    statements: list[tuple[str, _Params | None, int]]
    batches: list[tuple[list[str], _Params | None, int]]


def mask_quoted(sql: str) -> str:
    """``sql`` with literals, quoted identifiers and comments blanked out (same length)."""
    out = list(sql)
    for start, end in quoted_spans(sql):
        out[start:end] = " " * (end - start)
    return "".join(out)


def split_insert(sql: str) -> tuple[str, str] | None:
    """(prefix, values tuple) of a one-row ``INSERT ... VALUES (...)``, else None."""
    masked = mask_quoted(sql)
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
    if placeholder_spans(prefix):
        return None
    return prefix, sql[open_at : close_at + 1]


def plan(sql: str, rows: Sequence[Mapping[str, Any]]) -> Plan:
    """How to run ``sql`` once per parameter set in ``rows``."""
    parts = split_insert(sql) if rows and rows[0] else None
    if parts is not None:
        return Plan(_multirow_inserts(*parts, rows), [])
    return Plan([], _batches(sql, rows))


def _multirow_inserts(
    prefix: str, values: str, rows: Sequence[Mapping[str, Any]]
) -> list[tuple[str, _Params | None, int]]:
    """``prefix`` + as many bound ``values`` tuples per statement as the limits allow."""
    spans = placeholder_spans(values)
    overhead = len(prefix.encode())
    statements: list[tuple[str, _Params | None, int]] = []
    tuples: list[str] = []
    params: _Params = []
    size = overhead
    for row in rows:
        bound = bind(values, row, suffix=f"_{len(tuples)}", placeholders=spans)
        row_params = bound.parameters or []
        row_size = len(bound.sql.encode()) + 2  # and ", "
        if tuples and (
            size + row_size > CLIENT_SQL_BYTES
            or len(params) + len(row_params) > CLIENT_MAX_PARAMETERS
        ):
            statements.append((prefix + ", ".join(tuples), params or None, len(tuples)))
            tuples, params, size = [], [], overhead
            bound = bind(values, row, suffix="_0", placeholders=spans)
            row_params = bound.parameters or []
        tuples.append(bound.sql)
        params.extend(row_params)
        size += row_size
    if tuples:
        statements.append((prefix + ", ".join(tuples), params or None, len(tuples)))
    return statements


def _batches(
    sql: str, rows: Sequence[Mapping[str, Any]]
) -> list[tuple[list[str], _Params | None, int]]:
    """``sql`` bound once per row, grouped into BatchExecuteStatement calls."""
    spans = placeholder_spans(sql)
    batches: list[tuple[list[str], _Params | None, int]] = []
    sqls: list[str] = []
    params: _Params = []
    for row in rows:
        bound = bind(sql, row or None, suffix=f"_{len(sqls)}", placeholders=spans)
        row_params = bound.parameters or []
        if sqls and (
            len(sqls) >= MAX_BATCH_SQLS or len(params) + len(row_params) > CLIENT_MAX_PARAMETERS
        ):
            batches.append((sqls, params or None, len(sqls)))
            sqls, params = [], []
            bound = bind(sql, row or None, suffix="_0", placeholders=spans)
            row_params = bound.parameters or []
        sqls.append(bound.sql)
        params.extend(row_params)
    if sqls:
        batches.append((sqls, params or None, len(sqls)))
    return batches
