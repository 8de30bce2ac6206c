"""Redshift SQL -> the SQL of the engine behind the local endpoint: :func:`translate`.

:func:`translate` takes one Redshift statement as a Data API client sends it
and returns SQL for DuckDB or PostgreSQL (psycopg), with:

* the Data API's named parameters (``:name``, as the project's one lexer
  reads them) turned into the target's placeholders: DuckDB positional
  ``$1``, ``$2``... (one number per distinct name) and psycopg ``%(name)s``.
  Values are always bound by the engine, never pasted into the text.  For
  psycopg every literal ``%`` is doubled, so the engine must always execute
  with a mapping (``{}`` when there is no parameter), never with ``None``;
* Redshift-only syntax removed or rewritten (DISTKEY, SORTKEY, DISTSTYLE,
  ENCODE, BACKUP, IDENTITY, Redshift types such as SUPER, VARBYTE, GEOMETRY),
  by sqlglot (``read="redshift"``) plus small targeted fixes where it goes
  wrong;
* the statement's ``kind`` ("query", "dml", "ddl", "transaction" or
  "utility"), which the engines use to decide HasResultSet.

The work is a named list of passes (:data:`.passes.PASSES`: token passes,
then sqlglot AST passes, then text fixes), each in a module named for what
it does; the module docstrings hold the decisions (kinds in ``statements``,
settings in ``settings``, GETDATE/SYSDATE, LISTAGG, FROM_HEX/TO_HEX and ROUND
in ``functions``, result column names in ``columns``, types in ``types``,
DATEDIFF in ``datediff``).  Statements sqlglot cannot parse pass through with
only the placeholder rewrite and the Redshift table attributes removed: the
engine may still run them, and if not, its own error message is the one the
user sees.

The Data API runs exactly one statement per ExecuteStatement (several are a
ValidationException there), so more than one raises :class:`ValueError`.

Bulk ``INSERT ... VALUES`` of parameters and literals (SQLAlchemy's
insertmanyvalues, pandas ``to_sql``) skips the passes: ``insert`` rewrites
it in one regular-expression pass, CASTs included, and gives DuckDB a
column-wise form (``Translated.bulk``).
"""

from __future__ import annotations

import copy
import dataclasses
import functools

from .insert import translate_insert_values
from .passes import run_passes
from .target import Target
from .work import BulkValues, DeclaredColumn, Translated

__all__ = ["BulkValues", "DeclaredColumn", "Target", "Translated", "translate"]

_CACHEABLE_LENGTH = 20_000  # longer texts (bulk INSERT ... VALUES) are rarely repeated


def translate(sql: str, target: Target) -> Translated:
    """Translate one Redshift statement for ``target`` ("duckdb" or "postgres").

    Raises :class:`ValueError` for an empty text, for more than one statement
    (the Data API runs one statement per ExecuteStatement) and for an unknown
    target.  Results are cached by text (clients repeat the same statements
    with new parameters; sqlglot costs milliseconds); each call returns its
    own copy.
    """
    if target not in ("duckdb", "postgres"):
        raise ValueError(f"unknown translation target {target!r}: use 'duckdb' or 'postgres'")
    if not isinstance(sql, str):
        raise ValueError(f"SQL must be a string, not {type(sql).__name__}")
    fast = translate_insert_values(sql, target)
    if fast is not None:
        # Bulk INSERT ... VALUES (SQLAlchemy, pandas): a single regex pass instead of
        # the passes, which cost seconds on a 100 KB statement.
        return Translated(
            sql=fast.sql,
            kind="dml",
            param_names=fast.param_names,
            command="INSERT",
            bulk=fast.bulk,
        )
    if len(sql) > _CACHEABLE_LENGTH:
        return run_passes(sql, target)
    return _copy(_translate_cached(sql, target))


def _copy(tr: Translated) -> Translated:
    """A copy of a cached translation that callers may change freely.

    Cheaper than ``copy.deepcopy``: only the mutable containers are copied.
    """
    return dataclasses.replace(
        tr,
        param_names=list(tr.param_names),
        pre_sql=list(tr.pre_sql),
        columns=copy.deepcopy(tr.columns) if tr.columns else [],
        source_columns=dict(tr.source_columns),
        numeric_params=list(tr.numeric_params),
        keys=copy.deepcopy(tr.keys) if tr.keys else [],
        design=copy.deepcopy(tr.design),
        derived=copy.deepcopy(tr.derived) if tr.derived else [],
        derived_sources=list(tr.derived_sources),
        alter_type=copy.deepcopy(tr.alter_type),
        quotients=dict(tr.quotients),
    )


@functools.lru_cache(maxsize=512)
def _translate_cached(sql: str, target: Target) -> Translated:
    return run_passes(sql, target)
