"""Quotients of two DECIMAL columns typed as Redshift types them, on PostgreSQL.

PostgreSQL divides ``numeric(8,2)`` by ``numeric(8,2)`` into an unbounded
numeric of its own scale (ColumnMetadata precision 0, scale 0, some twenty
digits).  Redshift's quotient is DECIMAL(17,9) (``translate.casts``).  For
a one-table query whose result column divides one column by another
(``Translated.quotients``), :func:`type_quotients` reads the two columns'
declared precision and scale from ``pg_attribute`` and gives the column
Redshift's type, its values rounded (half up) to that scale.
"""

from __future__ import annotations

import decimal
from typing import Any

import psycopg

from ...translate.casts import division_type
from ...translate.core import translate
from ...translate.tokens import quote_identifier
from ..base import ExecResult
from .types import numeric_modifier

__all__ = ["type_quotients"]

#: Room for any DECIMAL(38, s) while rounding.
_WIDE = decimal.Context(prec=80)
_NUMERIC_OID = 1700


def _unbounded_numerics(result: ExecResult) -> bool:
    return any(c.type_name == "numeric" and c.precision == 0 for c in result.columns or [])


def type_quotients(conn: psycopg.Connection[Any], sql: str, result: ExecResult) -> ExecResult:
    """``result`` with its column-by-column DECIMAL quotients typed as on Redshift."""
    if not _unbounded_numerics(result):
        return result
    tr = translate(sql, "postgres")  # cached: the text the connection just ran
    if tr.source is None or not tr.quotients:
        return result
    schema, table = tr.source
    name = quote_identifier(table) if schema is None else f"{quote_identifier(schema)}."
    if schema is not None:
        name += quote_identifier(table)
    typmods = dict(
        conn.execute(
            "SELECT attname, atttypmod FROM pg_attribute WHERE attrelid = to_regclass(%s)"
            f" AND atttypid = {_NUMERIC_OID} AND attnum > 0",
            [name],
            prepare=False,
        ).fetchall()
    )
    scales: dict[int, int] = {}
    for index, column in enumerate(result.columns or []):
        pair = tr.quotients.get(column.name)
        if pair is None or column.type_name != "numeric" or column.precision != 0:
            continue
        if pair[0] not in typmods or pair[1] not in typmods:
            continue
        left, right = (numeric_modifier(typmods[c]) for c in pair)
        typed = division_type(left, right)
        if typed is not None:
            column.precision, column.scale = typed
            scales[index] = column.scale
    if scales:
        result.rows = [_rounded(row, scales) for row in result.rows]
    return result


def _rounded(row: tuple[Any, ...], scales: dict[int, int]) -> tuple[Any, ...]:
    values = list(row)
    for index, scale in scales.items():
        if values[index] is not None:
            values[index] = decimal.Decimal(values[index]).quantize(
                decimal.Decimal(1).scaleb(-scale), rounding=decimal.ROUND_HALF_UP, context=_WIDE
            )
    return tuple(values)
