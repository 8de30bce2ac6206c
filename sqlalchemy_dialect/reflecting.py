"""Reflection of names and columns: the Inspector's questions answered with few calls.

Names and columns come from the Data API's metadata calls: ListSchemas, ListTables,
DescribeTable (all of a schema's columns in one paginated call for
``get_multi_columns``); comments and, where the catalog has PG_TABLE_DEF, each
column's ENCODE come from one catalog query per schema (bound parameters, run in
autocommit mode so reflecting opens no transaction).  Keys, table comments, views and
table options are in :mod:`sqlalchemy_dialect.catalog_reflection`.
``MetaData.reflect(schema=...)`` of a 100-table schema costs about 10 calls on
SQLAlchemy 2.x (ListTables, one DescribeTable, and the catalog queries for keys and
comments), plus, once per engine, two ListTables asking whether SVV_TABLE_INFO and
PG_TABLE_DEF exist (and their two queries where they do).  ``get_columns(table)`` alone
is one DescribeTable; SQLAlchemy 1.4, which has no ``get_multi_*`` methods, reflects
table by table.

The metadata calls run outside the connection's Data API session, so they cannot see
DDL of a transaction that is still open.  While the driver connection has a
transaction open, the columns come from catalog SQL on that connection
(``information_schema.columns``), which sees it, and their types from DescribeTable
wherever it knows the column, so the types are the same inside and outside a
transaction.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import exc, text

from redshift_dataapi.sql.lexer import tokenize

from . import reflection as refl
from .base import RedshiftDialect
from .compat import ObjectKind, ObjectScope, reflection_cache

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import ReflectedColumn

logger = logging.getLogger(__name__)

# ListTables types -> the SQLAlchemy object kind they belong to
_TABLE_TYPES = {"TABLE", "BASE TABLE"}
_VIEW_TYPES = {"VIEW"}
_MATVIEW_TYPES = {"MATERIALIZED VIEW"}

# At most this many names in filter_names: DescribeTable per table; above it, one
# DescribeTable for the whole schema (then filtered) is cheaper.
_PER_TABLE_DESCRIBE_LIMIT = 2


#: Redshift's longest identifier, in bytes.
MAX_IDENTIFIER_BYTES = 127
_QUERY_VERBS = frozenset(("SELECT", "WITH", "SHOW", "EXPLAIN", "VALUES"))


def could_be_table_name(name: str) -> bool:
    """False for a ``has_table`` name that cannot be a table's: no call is made for it.

    The rule: a name longer than 127 bytes in UTF-8 (Redshift's identifier
    limit), or one that reads as query text, i.e. starts (after blanks and
    opening parentheses) with SELECT, WITH, SHOW, EXPLAIN or VALUES followed
    by a blank or a parenthesis.  ``pandas.read_sql(query, engine)`` asks
    ``has_table(query)`` first; this answers it without a ListTables call.
    A table really named like a query (a delimited identifier such as
    ``"select 1"``) is then reported missing by ``has_table``; the inspector's
    ``get_table_names()`` still lists it.
    """
    if len(name.encode("utf-8")) > MAX_IDENTIFIER_BYTES:
        return False
    # Read with the project's one lexer (redshift_dataapi.sql.lexer).
    tokens = tokenize(name)
    start = next((i for i, t in enumerate(tokens) if t.kind not in ("ws", "lparen")), len(tokens))
    if start + 1 >= len(tokens):
        return True
    verb, after = tokens[start], tokens[start + 1]
    reads_as_query = verb.kind == "word" and verb.text.upper() in _QUERY_VERBS
    return not (reads_as_query and after.kind in ("ws", "lparen"))


class ObjectReflection(RedshiftDialect):
    """Names and columns from the driver's metadata calls, and the catalog helpers."""

    # --- reflection helpers ---------------------------------------------------------

    @staticmethod
    def _driver(connection: Any) -> Any:
        """The driver connection behind a SQLAlchemy Connection."""
        return connection.connection.dbapi_connection

    def _schema(self, schema: str | None) -> str:
        return schema or self.default_schema_name or self.default_schema_name_static

    @staticmethod
    def _in_transaction(connection: Any) -> bool:
        """True while the driver connection has a transaction (and session) open."""
        return bool(getattr(ObjectReflection._driver(connection), "in_transaction", False))

    @reflection_cache
    def _tables(self, connection: Any, schema: str, **kw: Any) -> dict[str, str]:
        """name -> ListTables type for every table and view of ``schema``."""
        if self._in_transaction(connection):
            rows = self._catalog(connection, refl.TABLES_SQL, schema=schema)
            return {r.table_name: str(r.table_type).upper() for r in rows}
        listed = self._driver(connection).list_tables(
            schema_pattern=refl.like_escape(schema), table_pattern="%"
        )
        return {
            r["name"]: str(r.get("type") or "").upper() for r in listed if r["schema"] == schema
        }

    def _names_of_kind(
        self, connection: Any, schema: str, kind: ObjectKind, info_cache: Any
    ) -> list[str]:
        wanted: set[str] = set()
        if ObjectKind.TABLE in kind:
            wanted |= _TABLE_TYPES
        if ObjectKind.VIEW in kind:
            wanted |= _VIEW_TYPES
        if ObjectKind.MATERIALIZED_VIEW in kind:
            wanted |= _MATVIEW_TYPES
        tables = self._tables(connection, schema, info_cache=info_cache)
        return sorted(name for name, kind_ in tables.items() if kind_ in wanted)

    @reflection_cache
    def _schema_columns(
        self, connection: Any, schema: str, **kw: Any
    ) -> dict[str, list[dict[str, Any]]]:
        """table -> ColumnMetadata list, from one (paginated) DescribeTable of the schema."""
        if self._in_transaction(connection):
            return self._catalog_columns(connection, schema)
        driver = self._driver(connection)
        rows: list[dict[str, Any]] = driver.describe_table(None, schema)
        if any(not row.get("tableName") for row in rows):
            # No schema-wide DescribeTable, or one that does not name each column's
            # table: one DescribeTable per table.
            logger.debug("describing the tables of %s one by one", schema)
            return {
                name: self._table_columns(connection, name, schema, **kw)
                for name in self._tables(connection, schema, **kw)
            }
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            out[row.get("tableName") or ""].append(row)
        return dict(out)

    @reflection_cache
    def _table_columns(
        self, connection: Any, table: str, schema: str, **kw: Any
    ) -> list[dict[str, Any]]:
        if self._in_transaction(connection):
            return self._catalog_columns(connection, schema).get(table, [])
        rows = self._driver(connection).describe_table(table, schema)
        # Table is matched as a pattern by some servers: keep exact matches only.
        return [r for r in rows if r.get("tableName") in (None, "", table)]

    @reflection_cache
    def _catalog_columns(
        self, connection: Any, schema: str, **kw: Any
    ) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self._catalog(connection, refl.COLUMNS_SQL, schema=schema):
            out[row.table_name].append(refl.catalog_column(row))
        described = self._committed_types(connection, schema)
        for table, columns in out.items():
            committed = described.get(table, {})
            for column in columns:
                found = committed.get(column["name"])
                if found is not None:
                    for key in ("typeName", "length", "precision", "scale"):
                        column[key] = found.get(key)
        return dict(out)

    def _committed_types(self, connection: Any, schema: str) -> dict[str, dict[str, Any]]:
        """table -> column -> DescribeTable's ColumnMetadata (committed columns only).

        Inside a transaction the columns come from information_schema, which sees
        the transaction's own DDL; their types come from DescribeTable wherever it
        knows the column, so reflection gives the same types inside and outside a
        transaction (an engine's information_schema may lack lengths or use its own
        type names, as the local endpoint's DuckDB does).  One metadata call per
        schema.
        """
        out: dict[str, dict[str, Any]] = defaultdict(dict)
        for row in self._driver(connection).describe_table(None, schema):
            if row.get("tableName"):
                out[row["tableName"]][row.get("name")] = row
        return dict(out)

    def _catalog(self, connection: Any, sql: str, **params: Any) -> list[Any]:
        """Catalog SQL with bound parameters, on the connection.

        Inside an open transaction it runs there (and sees the transaction's own
        DDL).  Outside one it runs in autocommit mode, so reflecting does not open a
        transaction: no BEGIN and ROLLBACK round trips.
        """
        driver = self._driver(connection)
        flip = not driver.autocommit and not getattr(driver, "in_transaction", True)
        if flip:
            driver.autocommit = True
        try:
            return list(connection.execute(text(sql), params))
        finally:
            if flip:
                driver.autocommit = False

    def _scoped(
        self,
        connection: Any,
        schema: str | None,
        filter_names: Iterable[str] | None,
        kind: ObjectKind,
        scope: ObjectScope,
        info_cache: Any,
    ) -> list[str]:
        """Names the get_multi_* methods answer for (no temporary tables here)."""
        if ObjectScope.DEFAULT not in scope:
            return []
        names = self._names_of_kind(connection, self._schema(schema), kind, info_cache)
        if filter_names is not None:
            wanted = set(filter_names)
            names = [n for n in names if n in wanted]
        return names

    # --- reflection: names ----------------------------------------------------------

    @reflection_cache
    def get_schema_names(self, connection: Any, **kw: Any) -> list[str]:
        if self._in_transaction(connection):
            names = [r.schema_name for r in self._catalog(connection, refl.SCHEMAS_SQL)]
        else:
            names = self._driver(connection).list_schemas()
        return [n for n in names if not n.startswith("pg_") and n != "information_schema"]

    @reflection_cache
    def get_table_names(self, connection: Any, schema: str | None = None, **kw: Any) -> list[str]:
        return self._names_of_kind(
            connection, self._schema(schema), ObjectKind.TABLE, kw.get("info_cache")
        )

    @reflection_cache
    def get_view_names(self, connection: Any, schema: str | None = None, **kw: Any) -> list[str]:
        return self._names_of_kind(
            connection, self._schema(schema), ObjectKind.VIEW, kw.get("info_cache")
        )

    @reflection_cache
    def get_materialized_view_names(
        self, connection: Any, schema: str | None = None, **kw: Any
    ) -> list[str]:
        return self._names_of_kind(
            connection, self._schema(schema), ObjectKind.MATERIALIZED_VIEW, kw.get("info_cache")
        )

    def get_temp_table_names(
        self, connection: Any, schema: str | None = None, **kw: Any
    ) -> list[str]:
        """The connection's temporary tables (catalog SQL in its Data API session).

        Temporary tables live in a session: a transactional connection (the default)
        has one while its transaction is open; ListTables, outside any session,
        never lists them.
        """
        return [r.table_name for r in self._catalog(connection, refl.TEMP_TABLES_SQL)]

    def get_temp_view_names(self, connection: Any, schema: str | None = None, **kw: Any) -> Any:
        raise NotImplementedError("temporary views are not listed by the Data API's ListTables")

    def get_sequence_names(self, connection: Any, schema: str | None = None, **kw: Any) -> Any:
        return []

    def has_sequence(
        self, connection: Any, sequence_name: str, schema: Any = None, **kw: Any
    ) -> bool:
        return False

    @reflection_cache
    def has_table(
        self, connection: Any, table_name: str, schema: str | None = None, **kw: Any
    ) -> bool:
        self._ensure_has_table_connection(connection)
        if not could_be_table_name(table_name):
            return False  # e.g. pandas.read_sql asking about its query text: no call
        schema = self._schema(schema)
        if self._in_transaction(connection):
            return table_name in self._tables(connection, schema)
        rows = self._driver(connection).list_tables(
            schema_pattern=refl.like_escape(schema), table_pattern=refl.like_escape(table_name)
        )
        return any(r["name"] == table_name and r["schema"] == schema for r in rows)

    def has_multi_table(
        self, connection: Any, table_names: Any, schema: str | None = None, **kw: Any
    ) -> Any:
        """One ListTables call for every table MetaData.create_all/drop_all checks."""
        existing = set(self._tables(connection, self._schema(schema)))
        return [((schema, name), name in existing) for name in table_names]

    def has_type(self, connection: Any, type_name: str, schema: Any = None, **kw: Any) -> bool:
        return False  # Redshift has no user-defined types

    def get_enums(self, connection: Any, schema: Any = None, **kw: Any) -> list[Any]:
        return []

    def get_domains(self, connection: Any, schema: Any = None, **kw: Any) -> list[Any]:
        return []

    def has_schema(self, connection: Any, schema: str, **kw: Any) -> bool:  # type: ignore[override]
        schema_name = schema
        if self._in_transaction(connection):
            return schema_name in self.get_schema_names(connection)
        names = self._driver(connection).list_schemas(refl.like_escape(schema_name))
        return schema_name in names

    def _require_table(
        self, connection: Any, table_name: str, schema: str, info_cache: Any
    ) -> None:
        if table_name not in self._tables(connection, schema, info_cache=info_cache):
            raise exc.NoSuchTableError(f"{schema}.{table_name}")

    # --- reflection: columns --------------------------------------------------------

    @reflection_cache
    def get_columns(
        self, connection: Any, table_name: str, schema: str | None = None, **kw: Any
    ) -> list[ReflectedColumn]:
        schema_ = self._schema(schema)
        rows = self._table_columns(connection, table_name, schema_, info_cache=kw.get("info_cache"))
        if not rows:
            self._require_table(connection, table_name, schema_, kw.get("info_cache"))
        info_cache = kw.get("info_cache")
        comments = self._comments(connection, schema_, info_cache=info_cache)
        table_def = self._table_def(connection, schema_, info_cache=info_cache)
        return self._finished(rows, comments.get(table_name, {}), table_def.get(table_name, []))

    def get_multi_columns(
        self,
        connection: Any,
        schema: str | None = None,
        filter_names: Any = None,
        scope: ObjectScope = ObjectScope.DEFAULT,
        kind: ObjectKind = ObjectKind.TABLE,
        **kw: Any,
    ) -> Iterable[tuple[tuple[str | None, str], list[ReflectedColumn]]]:
        info_cache = kw.get("info_cache")
        names = self._scoped(connection, schema, filter_names, kind, scope, info_cache)
        schema_ = self._schema(schema)
        if len(names) <= _PER_TABLE_DESCRIBE_LIMIT:
            by_table = {
                n: self._table_columns(connection, n, schema_, info_cache=info_cache) for n in names
            }
        else:
            by_table = self._schema_columns(connection, schema_, info_cache=info_cache)
        comments = self._comments(connection, schema_, info_cache=info_cache) if names else {}
        table_def = self._table_def(connection, schema_, info_cache=info_cache) if names else {}
        return [
            (
                (schema, n),
                self._finished(by_table.get(n, []), comments.get(n, {}), table_def.get(n, [])),
            )
            for n in names
        ]

    @staticmethod
    def _finished(
        rows: list[dict[str, Any]], comments: dict[str | None, str], table_def: list[Any]
    ) -> list[ReflectedColumn]:
        """ReflectedColumns with their comments and (from PG_TABLE_DEF) ENCODE options."""
        encodings = refl.column_encodings(table_def)
        out: list[Any] = []
        for row in rows:
            column = refl.reflected_column(row)
            column["comment"] = comments.get(column["name"])
            if column["name"] in encodings:
                column["dialect_options"] = {"redshift_encode": encodings[column["name"]]}
            out.append(column)
        return out

    # --- catalog facts the columns need ------------------------------------------

    @reflection_cache
    def _comments(
        self, connection: Any, schema: str, **kw: Any
    ) -> dict[str, dict[str | None, str]]:
        """table -> {None: table comment, column name: column comment} (one query)."""
        rows = self._catalog(connection, refl.COMMENTS_SQL, schema=schema)
        return refl.comments_by_table(rows)

    @reflection_cache
    def _table_def(self, connection: Any, schema: str, **kw: Any) -> dict[str, list[Any]]:
        """table -> its PG_TABLE_DEF rows (distkey, sortkey, encoding per column).

        Empty where the engine has no such view (see _has_system_views).
        """
        if not self._has_system_views(connection):
            return {}
        try:
            rows = self._catalog(connection, refl.TABLE_DEF_SQL, schema=schema)
        except exc.DBAPIError as error:
            logger.debug("no PG_TABLE_DEF for schema %s: %s", schema, error)
            return {}
        by_table: dict[str, list[Any]] = defaultdict(list)
        for row in rows:
            by_table[row.table_name].append(row)
        return dict(by_table)

    _system_views: bool | None = None

    def _has_system_views(self, connection: Any) -> bool:
        """Whether SVV_TABLE_INFO and PG_TABLE_DEF exist (ListTables, once per engine).

        Asked through the metadata call, not by trying the query: a failed query
        inside a transaction would abort the transaction.
        """
        if self._system_views is None:
            wanted = {"svv_table_info", "pg_table_def"}
            try:
                found = {
                    str(r.get("name", "")).lower()
                    for name in wanted
                    for r in self._driver(connection).list_tables(
                        schema_pattern="pg_catalog", table_pattern=name
                    )
                }
            except Exception as error:  # no answer: treat as absent
                logger.debug("cannot list Redshift system views: %s", error)
                found = set()
            self._system_views = wanted <= found
        return self._system_views
