"""Redshift SQL, DDL and type compilation on SQLAlchemy's PostgreSQL dialect.

Redshift speaks a PostgreSQL 8.0.2 dialect with its own storage clauses and without
RETURNING, sequences, arrays, ON CONFLICT or native enums.  :class:`RedshiftDialect`
holds what is true of Redshift whatever the transport; the Data API driver dialect
(:mod:`sqlalchemy_dialect.dataapi`) adds connecting, isolation and reflection.

Table options (the names sqlalchemy-redshift uses, so models move over unchanged)::

    Table("sales", metadata, ...,
          redshift_diststyle="KEY",            # AUTO | EVEN | KEY | ALL
          redshift_distkey="seller_id",
          redshift_sortkey=["sold_at", "id"],  # COMPOUND SORTKEY; or "AUTO"
          redshift_interleaved_sortkey=...)    # INTERLEAVED SORTKEY

Column options: ``redshift_encode="zstd"``, ``redshift_distkey=True``,
``redshift_sortkey=True``, ``redshift_identity=(seed, step)``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import exc, schema
from sqlalchemy import types as sqltypes
from sqlalchemy.dialects.postgresql import base as pgbase
from sqlalchemy.engine import default
from sqlalchemy.sql import sqltypes as sa_sqltypes

from redshift_dataapi.sql.lexer import placeholder_spans

from . import types as rstypes

logger = logging.getLogger(__name__)

#: Longest SQL text the Data API accepts (bytes).  Multi-row INSERT pages are sized to
#: stay under a fraction of it.
MAX_SQL_BYTES = 100_000
_INSERT_SQL_BUDGET = int(MAX_SQL_BYTES * 0.9)

_DISTSTYLES = ("AUTO", "EVEN", "KEY", "ALL")


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


# --- statement compiler -----------------------------------------------------------


class RedshiftCompiler(pgbase.PGCompiler):
    """SELECT/INSERT/UPDATE/DELETE for Redshift."""

    @classmethod
    def _init_bind_translate(cls) -> None:
        cls._bind_translate_re = re.compile(r"[^0-9A-Za-z_]")
        cls._bind_translate_chars = _BIND_ESCAPES

    _in_insert = False

    def visit_insert(self, insert_stmt: Any, **kw: Any) -> str:  # type: ignore[override]
        # Values assigned to columns need no cast: the column's type converts the
        # string parameter.  Leaving casts out keeps multi-row INSERTs (to_sql, bulk
        # inserts) short, so more rows fit in each 100 KB statement.
        self._in_insert = insert_stmt.select is None  # INSERT ... SELECT keeps its casts
        try:
            return str(super().visit_insert(insert_stmt, **kw))
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
        type_sql = self.dialect.type_compiler_instance.process(
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


# --- DDL compiler -----------------------------------------------------------------


def _names(value: Any) -> list[str]:
    """Column names from a string, a Column, or a list of either."""
    if value is None:
        return []
    if isinstance(value, (str, schema.Column)):
        value = [value]
    out: list[str] = []
    for item in value:
        if isinstance(item, schema.Column):
            out.append(item.name)
        elif isinstance(item, str):
            out.append(item)
        else:
            raise exc.ArgumentError(
                f"expected column names or Column objects, got {item!r} ({type(item).__name__})"
            )
    return out


def _option(obj: Any, name: str) -> Any:
    """A ``redshift_<name>`` option of a Table/Column, None when absent."""
    try:
        return obj.dialect_options["redshift"].get(name)
    except exc.NoSuchModuleError:  # pragma: no cover - options registered at import
        return obj.kwargs.get(f"redshift_{name}")


class RedshiftDDLCompiler(pgbase.PGDDLCompiler):
    """CREATE TABLE with DISTSTYLE / DISTKEY / SORTKEY / ENCODE / IDENTITY."""

    def get_column_specification(self, column: Any, **kwargs: Any) -> str:
        colspec = self.preparer.format_column(column)
        colspec += " " + self.dialect.type_compiler_instance.process(
            column.type, type_expression=column, identifier_preparer=self.preparer
        )
        identity = _option(column, "identity")
        if identity is not None:
            seed, step = _identity_pair(identity, column)
            colspec += f" IDENTITY({seed},{step})"
        elif column.identity is not None:
            ident = column.identity
            seed = ident.start if ident.start is not None else 1
            step = ident.increment if ident.increment is not None else 1
            # GENERATED BY DEFAULT accepts explicit values; plain IDENTITY (ALWAYS) not.
            prefix = "" if ident.always else "GENERATED BY DEFAULT AS "
            colspec += f" {prefix}IDENTITY({seed},{step})"
        elif self._is_auto_identity(column):
            # The analogue of PostgreSQL's SERIAL: values generated when omitted,
            # explicit values still accepted.
            colspec += " GENERATED BY DEFAULT AS IDENTITY(1,1)"
        else:
            default = self.get_column_default_string(column)
            if default is not None:
                colspec += " DEFAULT " + default
        if column.computed is not None:
            raise exc.CompileError("Redshift does not support computed (generated) columns")
        encode = _option(column, "encode")
        if encode:
            if not re.match(r"^[A-Za-z0-9_]+$", str(encode)):
                raise exc.CompileError(f"invalid redshift_encode {encode!r} on {column.name}")
            colspec += f" ENCODE {str(encode).upper()}"
        if _option(column, "distkey"):
            colspec += " DISTKEY"
        if _option(column, "sortkey"):
            colspec += " SORTKEY"
        if not column.nullable:
            colspec += " NOT NULL"
        return colspec

    def _is_auto_identity(self, column: Any) -> bool:
        if not (column.primary_key and column is column.table._autoincrement_column):
            return False
        if column.default is not None or column.server_default is not None:
            return False
        impl = column.type.dialect_impl(self.dialect)
        if isinstance(impl, sqltypes.TypeDecorator):
            impl = impl.impl
        return isinstance(impl, sqltypes.Integer)

    def post_create_table(self, table: Any) -> str:
        text = ""
        diststyle = _option(table, "diststyle")
        distkey = _option(table, "distkey")
        sortkey = _option(table, "sortkey")
        interleaved = _option(table, "interleaved_sortkey")
        if diststyle:
            style = str(diststyle).upper()
            if style not in _DISTSTYLES:
                raise exc.ArgumentError(
                    f"redshift_diststyle must be one of {', '.join(_DISTSTYLES)}, got {diststyle!r}"
                )
            if distkey is not None and style != "KEY":
                raise exc.ArgumentError(
                    f"redshift_distkey needs redshift_diststyle KEY, got {diststyle!r}"
                )
            text += f" DISTSTYLE {style}"
        if distkey is not None:
            keys = _names(distkey)
            if len(keys) != 1:
                raise exc.ArgumentError(f"redshift_distkey takes one column, got {keys!r}")
            text += f" DISTKEY ({self.preparer.quote(keys[0])})"
        if sortkey is not None and interleaved is not None:
            raise exc.ArgumentError(
                "use either redshift_sortkey or redshift_interleaved_sortkey, not both"
            )
        if isinstance(sortkey, str) and sortkey.upper() == "AUTO":
            text += " SORTKEY AUTO"
        elif sortkey is not None:
            text += f" COMPOUND SORTKEY ({self._quoted(sortkey)})"
        elif interleaved is not None:
            text += f" INTERLEAVED SORTKEY ({self._quoted(interleaved)})"
        return text

    def _quoted(self, value: Any) -> str:
        keys = _names(value)
        if not keys:
            raise exc.ArgumentError("a sort key needs at least one column")
        return ", ".join(self.preparer.quote(k) for k in keys)

    def visit_create_sequence(self, create: Any, **kw: Any) -> str:  # type: ignore[override]
        raise exc.CompileError("Redshift has no sequences; use an IDENTITY column")

    def visit_drop_sequence(self, drop: Any, **kw: Any) -> str:
        raise exc.CompileError("Redshift has no sequences")

    def visit_create_index(self, create: Any, **kw: Any) -> str:  # type: ignore[override]
        # Redshift has no indexes.  Models written for PostgreSQL often declare some
        # (index=True); rather than fail create_all, the index is skipped: an empty
        # DDL string, which the dialect does not send (see RedshiftDialect.do_execute).
        logger.info(
            "Redshift has no indexes: not creating %s (use redshift_sortkey / redshift_distkey)",
            create.element.name,
        )
        return ""

    def visit_drop_index(self, drop: Any, **kw: Any) -> str:
        return ""


def _identity_pair(value: Any, column: Any) -> tuple[int, int]:
    if isinstance(value, Mapping):
        value = (value.get("seed", 1), value.get("step", 1))
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        pair = list(value)
        if len(pair) == 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in pair):
            return pair[0], pair[1]
    raise exc.ArgumentError(
        f"redshift_identity on column {column.name!r} must be (seed, step) integers, got {value!r}"
    )


# --- type compiler ----------------------------------------------------------------


class RedshiftTypeCompiler(pgbase.PGTypeCompiler):
    """Column types as Redshift spells them."""

    def visit_SUPER(self, type_: Any, **kw: Any) -> str:
        return "SUPER"

    def visit_GEOMETRY(self, type_: Any, **kw: Any) -> str:
        return "GEOMETRY"

    def visit_HLLSKETCH(self, type_: Any, **kw: Any) -> str:
        return "HLLSKETCH"

    def visit_VARBYTE(self, type_: Any, **kw: Any) -> str:
        return f"VARBYTE({type_.length})" if type_.length else "VARBYTE"

    def visit_TIMETZ(self, type_: Any, **kw: Any) -> str:
        return "TIMETZ"

    def visit_TIMESTAMPTZ(self, type_: Any, **kw: Any) -> str:
        return "TIMESTAMPTZ"

    def visit_large_binary(self, type_: Any, **kw: Any) -> str:
        return self.visit_VARBYTE(type_, **kw)

    def visit_BYTEA(self, type_: Any, **kw: Any) -> str:
        return self.visit_VARBYTE(type_, **kw)

    def visit_BLOB(self, type_: Any, **kw: Any) -> str:
        return self.visit_VARBYTE(type_, **kw)

    def visit_TEXT(self, type_: Any, **kw: Any) -> str:
        # Redshift's TEXT is VARCHAR(256); an unbounded text column must be VARCHAR(MAX).
        return "VARCHAR(MAX)"

    def visit_VARCHAR(self, type_: Any, **kw: Any) -> str:
        # Redshift's bare VARCHAR is VARCHAR(256) (bytes); PostgreSQL's is unbounded.
        return f"VARCHAR({type_.length})" if type_.length else "VARCHAR(MAX)"

    def visit_NVARCHAR(self, type_: Any, **kw: Any) -> str:
        return self.visit_VARCHAR(type_, **kw)

    def visit_string(self, type_: Any, **kw: Any) -> str:
        return self.visit_VARCHAR(type_, **kw)

    def visit_unicode(self, type_: Any, **kw: Any) -> str:
        return self.visit_VARCHAR(type_, **kw)

    def visit_unicode_text(self, type_: Any, **kw: Any) -> str:
        return self.visit_TEXT(type_, **kw)

    def visit_FLOAT(self, type_: Any, **kw: Any) -> str:
        # FLOAT(p): p <= 24 is REAL, otherwise DOUBLE PRECISION, as in PostgreSQL.
        if type_.precision is not None and type_.precision <= 24:
            return "REAL"
        return "DOUBLE PRECISION"

    def visit_NUMERIC(self, type_: Any, **kw: Any) -> str:
        if type_.precision is None:
            # NUMERIC alone is NUMERIC(18,0) on Redshift: keep fractions by default.
            return "NUMERIC(38, 10)" if type_.scale is None else f"NUMERIC(38, {type_.scale})"
        return super().visit_NUMERIC(type_, **kw)

    def visit_DECIMAL(self, type_: Any, **kw: Any) -> str:
        return self.visit_NUMERIC(type_, **kw)

    def visit_uuid(self, type_: Any, **kw: Any) -> str:
        # No UUID type: SQLAlchemy stores the 32 hex digits (as on other such databases).
        return "CHAR(32)"

    def visit_enum(self, type_: Any, **kw: Any) -> str:
        # Redshift VARCHAR lengths count bytes, not characters.
        longest = max((len(str(e).encode("utf-8")) for e in type_.enums), default=0)
        return f"VARCHAR({max(longest, type_.length or 0) or 1})"

    def _unsupported(self, what: str) -> str:
        raise exc.CompileError(f"Redshift has no {what} type")

    def visit_ARRAY(self, type_: Any, **kw: Any) -> str:
        return self._unsupported("ARRAY (use SUPER)")

    def visit_JSON(self, type_: Any, **kw: Any) -> str:
        return self._unsupported("JSON (use SUPER)")

    def visit_JSONB(self, type_: Any, **kw: Any) -> str:
        return self._unsupported("JSONB (use SUPER)")

    def visit_HSTORE(self, type_: Any, **kw: Any) -> str:
        return self._unsupported("HSTORE (use SUPER)")


class RedshiftIdentifierPreparer(pgbase.PGIdentifierPreparer):
    """Quoting rules: as PostgreSQL (Redshift folds unquoted names to lower case)."""


_NO_ROWCOUNT_SQL = re.compile(
    r"^\s*(CREATE|DROP|ALTER|GRANT|REVOKE|COMMENT|SET|RESET|ANALYZE|VACUUM|TRUNCATE|"
    r"BEGIN|START|COMMIT|END|ROLLBACK|ABORT|SAVEPOINT|RELEASE|LOCK)\b",
    re.IGNORECASE,
)


class RedshiftExecutionContext(pgbase.PGExecutionContext):
    """No sequences to pre-execute, no RETURNING to read, no needless rowcounts."""

    def get_insert_default(self, column: Any) -> Any:
        # PostgreSQL's context would SELECT nextval() for a SERIAL column; Redshift
        # generates IDENTITY values itself and has no nextval().
        return default.DefaultExecutionContext.get_insert_default(self, column)

    def post_exec(self) -> None:
        super().post_exec()
        # SQLAlchemy reads cursor.rowcount after every statement that returns no
        # rows; over the Data API that is a DescribeStatement round trip.  DDL and
        # transaction control have no meaningful row count, so skip the call.
        if self._rowcount is None and (
            self.isddl or (self.statement and _NO_ROWCOUNT_SQL.match(self.statement))
        ):
            self._rowcount = -1
        # INSERT ... SELECT keeps its count unread: SQLAlchemy closes an INSERT's
        # cursor at once, and the driver's rowcount stays readable after close(),
        # so the DescribeStatement call is made only if someone asks.

    @property
    def rowcount(self) -> int:
        if self._rowcount is None and self.isinsert:
            # INSERT ... VALUES inserts every row or fails: the count is known without
            # a DescribeStatement call (and without the cursor, closed by now).
            rows = self._values_rows()
            if rows is not None:
                self._rowcount = rows
        return super().rowcount

    def _values_rows(self) -> int | None:
        """Rows an INSERT ... VALUES statement inserts, None for INSERT ... SELECT."""
        if self._is_insertmanyvalues():
            return len(self.compiled_parameters)
        compiled = self.compiled
        stmt = getattr(compiled, "statement", None)
        if stmt is None or getattr(stmt, "select", None) is not None:
            return None
        multi = getattr(stmt, "_multi_values", ())
        rows = len(multi[0]) if multi else 1
        return rows * (len(self.compiled_parameters) if self.executemany else 1)

    def _is_insertmanyvalues(self) -> bool:
        compiled = self.compiled
        return bool(
            self.executemany
            and self.isinsert
            and compiled is not None
            and getattr(compiled, "_insertmanyvalues", None) is not None
        )


#: Generic SQLAlchemy type -> implementation used by this dialect.
colspecs: dict[Any, Any] = {
    sqltypes.Integer: rstypes._CastInteger,
    sqltypes.BigInteger: rstypes._CastBigInteger,
    sqltypes.SmallInteger: rstypes._CastSmallInteger,
    sqltypes.Float: rstypes._CastFloat,
    sqltypes.Double: rstypes._CastDouble,
    sqltypes.Numeric: rstypes._CastNumeric,
    sqltypes.Boolean: rstypes._CastBoolean,
    sqltypes.Date: rstypes._CastDate,
    sqltypes.DateTime: rstypes._CastDateTime,
    sqltypes.Time: rstypes._CastTime,
    sqltypes.Interval: pgbase.INTERVAL,
    sa_sqltypes.JSON: sa_sqltypes.JSON,
}


class RedshiftDialect(pgbase.PGDialect):
    """What Redshift is, independent of how SQL reaches it.

    Flags: no RETURNING (inserted keys come from the client or IDENTITY), no
    sequences, arrays, native enums, ON CONFLICT or server-side cursors; multi-row
    INSERTs (``insertmanyvalues``) carry batched inserts in few statements.
    """

    name = "redshift"
    supports_statement_cache = True

    max_identifier_length = 127
    # Reported statically (see initialize in the driver dialect): Redshift's fork point.
    server_version_info_static = (8, 0, 2)
    default_schema_name_static = "public"

    implicit_returning = False
    insert_returning = False
    update_returning = False
    delete_returning = False
    update_returning_multifrom = False
    delete_returning_multifrom = False
    insert_executemany_returning = False
    insert_executemany_returning_sort_by_parameter_order = False
    supports_sequences = False
    sequences_optional = False
    preexecute_autoincrement_sequences = False
    postfetch_lastrowid = False
    supports_native_enum = False
    supports_native_uuid = False
    supports_smallserial = False
    supports_identity_columns = False  # Redshift's IDENTITY is rendered by the DDL compiler
    supports_virtual_generated_columns = False
    supports_server_side_cursors = False
    supports_native_decimal = True
    supports_native_boolean = True
    supports_default_values = True
    supports_default_metavalue = True
    supports_empty_insert = False
    supports_multivalues_insert = True
    supports_comments = True
    supports_constraint_comments = False
    supports_is_distinct_from = True
    returns_native_bytes = True

    use_insertmanyvalues = True
    use_insertmanyvalues_wo_returning = True
    # Rows per multi-row INSERT; RedshiftCompiler shrinks pages further so the SQL
    # text stays under the Data API's 100 KB limit.
    insertmanyvalues_page_size = 1000
    insertmanyvalues_max_parameters = 20000
    insertmanyvalues_implicit_sentinel = pgbase.InsertmanyvaluesSentinelOpts.NOT_SUPPORTED

    statement_compiler = RedshiftCompiler
    ddl_compiler = RedshiftDDLCompiler
    type_compiler_cls = RedshiftTypeCompiler
    preparer = RedshiftIdentifierPreparer
    execution_ctx_cls = RedshiftExecutionContext
    colspecs = colspecs

    construct_arguments = [
        (
            schema.Table,
            {
                "diststyle": None,
                "distkey": None,
                "sortkey": None,
                "interleaved_sortkey": None,
            },
        ),
        (
            schema.Column,
            {"encode": None, "distkey": None, "sortkey": None, "identity": None},
        ),
    ]

    _backslash_escapes = True  # Redshift treats backslash as an escape in literals

    def do_execute(self, cursor: Any, statement: str, parameters: Any, context: Any = None) -> None:
        if _skip_empty_ddl(context, statement):
            return  # an index Redshift cannot have (see visit_create_index)
        super().do_execute(cursor, statement, parameters, context)

    def do_execute_no_params(self, cursor: Any, statement: str, context: Any = None) -> None:
        if _skip_empty_ddl(context, statement):
            return
        super().do_execute_no_params(cursor, statement, context)

    _supports_create_index_concurrently = False
    _supports_drop_index_concurrently = False
    _supports_jsonb_subscripting = False


def _skip_empty_ddl(context: Any, statement: str) -> bool:
    return bool(context is not None and context.isddl and not statement.strip())


def register_option_names() -> None:
    """Make ``redshift_*`` keyword arguments valid on Table and Column.

    SQLAlchemy validates ``<dialect>_<option>`` keywords by loading the dialect
    registered under that name.  ``redshift`` belongs to sqlalchemy-redshift; when it is
    installed its dialect validates the same option names.  When it is not, this
    registers our option table under ``redshift`` for validation only, without
    claiming the ``redshift://`` URL.
    """
    from importlib.metadata import entry_points

    from sqlalchemy.sql.base import DialectKWArgs

    if entry_points(group="sqlalchemy.dialects", name="redshift"):
        return
    registry = DialectKWArgs._kw_registry
    if "redshift" not in registry:
        registry["redshift"] = dict(RedshiftDialect.construct_arguments)
