"""The statement compiler: SELECT/INSERT/UPDATE/DELETE as Redshift over the Data API takes them.

Two Data API facts shape it: parameter names must match ``[0-9a-zA-Z_]+`` (bind
names are escaped), and every parameter arrives as a string (typed parameters are
wrapped in ``CAST(:p AS type)``).  Multi-row INSERT pages are sized to the SQL
text limit.
"""

from __future__ import annotations

import logging
import re
import zlib
from typing import Any

from sqlalchemy import exc
from sqlalchemy.dialects.postgresql import base as pgbase

from redshift_dataapi._core.limits import CLIENT_SQL_BYTES
from redshift_dataapi.sql.lexer import placeholder_spans

from .compat import SA2, type_compiler

logger = logging.getLogger(__name__)

#: Multi-row INSERT pages stay under this share of the client's SQL budget (room for
#: what the driver's binding adds).
_INSERT_SQL_BUDGET = int(CLIENT_SQL_BYTES * 0.9)


class _BindNameEscapes(dict[str, str]):
    """Every character outside ``[0-9A-Za-z_]`` maps to a Data API-safe replacement.

    The Data API only accepts parameter names matching ``[0-9a-zA-Z_]+``, so column
    names with spaces, dots, percent signs or non-ASCII letters need bind names that
    are not derived from them verbatim.  Collisions are resolved by SQLAlchemy, which
    uniquifies escaped names.
    """

    def __missing__(self, key: str) -> str:
        return "_"


_BIND_ESCAPES = _BindNameEscapes({"%": "P", "(": "A", ")": "Z", ":": "C"})
_BIND_NAME_RE = re.compile(r"[^0-9A-Za-z_]")


# --- statement compiler -----------------------------------------------------------


class RedshiftCompiler(pgbase.PGCompiler):
    """SELECT/INSERT/UPDATE/DELETE for Redshift."""

    @classmethod
    def _init_bind_translate(cls) -> None:
        cls._bind_translate_re = _BIND_NAME_RE
        cls._bind_translate_chars = _BIND_ESCAPES

    if not SA2:
        # SQLAlchemy 1.4 has neither the per-class bind name escapes above nor bind
        # casts (render_bind_cast): both are done here on that line only.

        def bindparam_string(self, name: str, **kw: Any) -> str:  # type: ignore[override]
            if not kw.get("escaped_from") and _BIND_NAME_RE.search(name):
                kw["escaped_from"] = name
                name = self._data_api_bind_name(name)
            return str(super().bindparam_string(name, **kw))

        def _data_api_bind_name(self, name: str) -> str:
            # 1.4 does not make escaped names unique, and a plain name rendered later
            # ("a_b" after "a b") is not known yet: a checksum of the original name
            # keeps the escaped one apart.
            known = self.escaped_bind_names.get(name)
            if known:
                return str(known)
            escaped = _BIND_NAME_RE.sub(lambda m: _BIND_ESCAPES[m.group(0)], name)
            escaped = base = f"{escaped}_{zlib.crc32(name.encode('utf-8')) & 0xFFFF:04x}"
            taken = set(self.escaped_bind_names.values()) | set(self.binds)
            suffix = 0
            while escaped in taken:
                suffix += 1
                escaped = f"{base}_{suffix}"
            return escaped

        def visit_bindparam(self, bindparam: Any, **kw: Any) -> str:  # type: ignore[override]
            parent: Any = super()
            sql = str(parent.visit_bindparam(bindparam, **kw))
            if (
                kw.get("literal_binds")
                or kw.get("literal_execute")
                or bindparam.expanding
                or bindparam.literal_execute
                or "POSTCOMPILE" in sql
                or not sql.startswith(":")
            ):
                return sql
            impl = bindparam.type.dialect_impl(self.dialect)
            if getattr(impl, "render_bind_cast", False):
                return self.render_bind_cast(bindparam.type, impl, sql)
            return sql

    _in_insert = False

    def visit_insert(self, insert_stmt: Any, **kw: Any) -> str:  # type: ignore[override]
        # Values assigned to columns need no cast: the column's type converts the
        # string parameter.  Leaving casts out keeps multi-row INSERTs (to_sql, bulk
        # inserts) short, so more rows fit in each 100 KB statement.
        self._in_insert = insert_stmt.select is None  # INSERT ... SELECT keeps its casts
        try:
            parent: Any = super()
            return str(parent.visit_insert(insert_stmt, **kw))
        finally:
            self._in_insert = False

    def _with_casts(self, visit: Any, element: Any, **kw: Any) -> str:
        # A parameter inside an expression (``2 + :p``, ``f(:p)``) needs its cast
        # even in VALUES: only bare column values are typed by their column.
        saved, self._in_insert = self._in_insert, False
        try:
            return str(visit(element, **kw))
        finally:
            self._in_insert = saved

    def visit_binary(self, binary: Any, **kw: Any) -> str:  # type: ignore[override]
        return self._with_casts(super().visit_binary, binary, **kw)

    def visit_function(self, func: Any, **kw: Any) -> str:  # type: ignore[override]
        return self._with_casts(super().visit_function, func, **kw)

    def returning_clause(self, stmt: Any, returning_cols: Any, **kw: Any) -> str:
        raise exc.CompileError("Redshift does not support RETURNING")

    def render_bind_cast(self, type_: Any, dbapi_type: Any, sqltext: str) -> str:
        if self._in_insert:
            return sqltext
        # CAST(... AS ...) rather than PostgreSQL's ``::``: every Data API parameter is
        # a string, and the standard spelling survives any SQL rewriting on the way.
        type_sql = type_compiler(self.dialect).process(
            dbapi_type, identifier_preparer=self.preparer
        )
        return f"CAST({sqltext} AS {type_sql})"

    def visit_on_conflict_do_nothing(self, on_conflict: Any, **kw: Any) -> str:
        raise exc.CompileError("Redshift does not support ON CONFLICT; use MERGE instead")

    def visit_on_conflict_do_update(self, on_conflict: Any, **kw: Any) -> str:
        raise exc.CompileError("Redshift does not support ON CONFLICT; use MERGE instead")

    def get_select_precolumns(self, select: Any, **kw: Any) -> str:
        # PostgreSQL's compiler renders DISTINCT ON, which Redshift lacks: use the
        # generic one, which warns about DISTINCT ON and renders plain DISTINCT.
        from sqlalchemy.sql.compiler import SQLCompiler

        return SQLCompiler.get_select_precolumns(self, select, **kw)

    def visit_sequence(self, seq: Any, **kw: Any) -> str:  # type: ignore[override]
        raise exc.CompileError("Redshift has no sequences; use an IDENTITY column")

    def for_update_clause(self, select: Any, **kw: Any) -> str:
        raise exc.CompileError(
            "Redshift does not support SELECT ... FOR UPDATE / FOR SHARE "
            "(it serializes concurrent writes itself)"
        )

    def _deliver_insertmanyvalues_batches(  # type: ignore[no-untyped-def]
        self,
        statement,
        parameters,
        compiled_parameters,
        generic_setinputsizes,
        batch_size,
        sort_by_parameter_order,
        schema_translate_map,
    ):
        # SQLAlchemy sizes multi-row INSERT pages by rows and parameters; the Data API
        # also caps the SQL text at 100 KB, so shrink the page until one fits.
        imv = self._insertmanyvalues
        if imv is not None:
            row_sql = imv.single_values_expr
            # each ":name" gains a "__NNNNN" suffix per row, and rows are joined by ", "
            placeholders = len(placeholder_spans(row_sql))
            per_row = len(row_sql.encode("utf-8")) + 7 * placeholders + 2
            fixed = len(statement.encode("utf-8"))
            fits = max(1, (_INSERT_SQL_BUDGET - fixed) // per_row)
            batch_size = max(1, min(batch_size, fits))
        yield from super()._deliver_insertmanyvalues_batches(
            statement,
            parameters,
            compiled_parameters,
            generic_setinputsizes,
            batch_size,
            sort_by_parameter_order,
            schema_translate_map,
        )
