"""Reflection of keys, comments, views and table options: catalog SQL, one query per schema.

Completes :class:`sqlalchemy_dialect.reflecting.ObjectReflection` (names and columns
from the Data API's metadata calls) into :class:`ReflectingDialect`.  Every query binds
its parameters and runs through ``ObjectReflection._catalog`` (autocommit outside a
transaction, on the connection inside one).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import exc

from . import reflection as refl
from .compat import ObjectKind, ObjectScope, reflection_cache
from .reflecting import ObjectReflection

logger = logging.getLogger(__name__)


class ReflectingDialect(ObjectReflection):
    """ObjectReflection plus keys, comments, view definitions and table options."""

    # --- reflection: keys (catalog SQL, one query per schema) ----------------------

    @reflection_cache
    def _keys(self, connection: Any, schema: str, kind: str, **kw: Any) -> dict[str, list[Any]]:
        rows = self._catalog(connection, refl.PK_OR_UNIQUE_SQL, schema=schema, kind=kind)
        out: dict[str, list[Any]] = defaultdict(list)
        for row in rows:
            out[row.table_name].append(row)
        return dict(out)

    @reflection_cache
    def _foreign_keys(self, connection: Any, schema: str, **kw: Any) -> dict[str, list[Any]]:
        rows = self._catalog(connection, refl.FOREIGN_KEYS_SQL, schema=schema)
        out: dict[str, list[Any]] = defaultdict(list)
        for row in rows:
            out[row.table_name].append(row)
        return dict(out)

    def _pk_of(self, rows: list[Any]) -> dict[str, Any]:
        if not rows:
            return {"constrained_columns": [], "name": None}
        return {
            "constrained_columns": [r.column_name for r in rows],
            "name": rows[0].constraint_name,
        }

    def _uniques_of(self, rows: list[Any]) -> list[dict[str, Any]]:
        grouped: dict[str, list[str]] = {}
        for r in rows:
            grouped.setdefault(r.constraint_name, []).append(r.column_name)
        return [{"name": name, "column_names": cols} for name, cols in grouped.items()]

    def _fks_of(self, rows: list[Any], schema: str | None) -> list[dict[str, Any]]:
        grouped: dict[str, dict[str, Any]] = {}
        for r in rows:
            fk = grouped.get(r.constraint_name)
            if fk is None:
                referred_schema = r.referred_schema
                if schema is None and referred_schema == self._schema(None):
                    referred_schema = None
                options = {}
                for option, rule in (("onupdate", r.update_rule), ("ondelete", r.delete_rule)):
                    if rule and rule.upper() != "NO ACTION":
                        options[option] = rule.upper()
                fk = grouped[r.constraint_name] = {
                    "name": r.constraint_name,
                    "constrained_columns": [],
                    "referred_schema": referred_schema,
                    "referred_table": r.referred_table,
                    "referred_columns": [],
                    "options": options,
                }
            fk["constrained_columns"].append(r.column_name)
            fk["referred_columns"].append(r.referred_column)
        return list(grouped.values())

    def _one_table_keys(
        self,
        connection: Any,
        table_name: str,
        schema: str | None,
        constraint: str,
        shape: Callable[[list[Any]], Any],
        kw: dict[str, Any],
    ) -> Any:
        """``shape`` of one table's ``constraint`` rows (one cached query per schema)."""
        schema_ = self._schema(schema)
        rows = self._keys(connection, schema_, constraint, info_cache=kw.get("info_cache"))
        if table_name not in rows:
            self._require_table(connection, table_name, schema_, kw.get("info_cache"))
        return shape(rows.get(table_name, []))

    def _multi_table_keys(
        self,
        connection: Any,
        schema: str | None,
        filter_names: Any,
        scope: ObjectScope,
        kind: ObjectKind,
        constraint: str,
        shape: Callable[[list[Any]], Any],
        kw: dict[str, Any],
    ) -> Any:
        """The bulk form: one query for the whole schema, shaped per table."""
        info_cache = kw.get("info_cache")
        names = self._scoped(connection, schema, filter_names, kind, scope, info_cache)
        if not names:
            return []
        rows = self._keys(connection, self._schema(schema), constraint, info_cache=info_cache)
        return [((schema, n), shape(rows.get(n, []))) for n in names]

    def get_pk_constraint(
        self, connection: Any, table_name: str, schema: str | None = None, **kw: Any
    ) -> Any:
        return self._one_table_keys(connection, table_name, schema, "PRIMARY KEY", self._pk_of, kw)

    def get_multi_pk_constraint(
        self,
        connection: Any,
        schema: str | None = None,
        filter_names: Any = None,
        scope: ObjectScope = ObjectScope.DEFAULT,
        kind: ObjectKind = ObjectKind.TABLE,
        **kw: Any,
    ) -> Any:
        return self._multi_table_keys(
            connection, schema, filter_names, scope, kind, "PRIMARY KEY", self._pk_of, kw
        )

    def get_unique_constraints(
        self, connection: Any, table_name: str, schema: str | None = None, **kw: Any
    ) -> Any:
        return self._one_table_keys(connection, table_name, schema, "UNIQUE", self._uniques_of, kw)

    def get_multi_unique_constraints(
        self,
        connection: Any,
        schema: str | None = None,
        filter_names: Any = None,
        scope: ObjectScope = ObjectScope.DEFAULT,
        kind: ObjectKind = ObjectKind.TABLE,
        **kw: Any,
    ) -> Any:
        return self._multi_table_keys(
            connection, schema, filter_names, scope, kind, "UNIQUE", self._uniques_of, kw
        )

    def get_foreign_keys(
        self, connection: Any, table_name: str, schema: str | None = None, **kw: Any
    ) -> Any:
        schema_ = self._schema(schema)
        rows = self._foreign_keys(connection, schema_, info_cache=kw.get("info_cache"))
        if table_name not in rows:
            self._require_table(connection, table_name, schema_, kw.get("info_cache"))
        return self._fks_of(rows.get(table_name, []), schema)

    def get_multi_foreign_keys(
        self,
        connection: Any,
        schema: str | None = None,
        filter_names: Any = None,
        scope: ObjectScope = ObjectScope.DEFAULT,
        kind: ObjectKind = ObjectKind.TABLE,
        postgresql_ignore_search_path: Any = False,
        **kw: Any,
    ) -> Any:
        info_cache = kw.get("info_cache")
        names = self._scoped(connection, schema, filter_names, kind, scope, info_cache)
        if not names:
            return []
        rows = self._foreign_keys(connection, self._schema(schema), info_cache=info_cache)
        return [((schema, n), self._fks_of(rows.get(n, []), schema)) for n in names]

    # --- reflection: what Redshift has none of ------------------------------------

    def get_indexes(
        self, connection: Any, table_name: str, schema: str | None = None, **kw: Any
    ) -> list[Any]:
        self._require_table(connection, table_name, self._schema(schema), kw.get("info_cache"))
        return []

    def get_multi_indexes(
        self,
        connection: Any,
        schema: str | None = None,
        filter_names: Any = None,
        scope: ObjectScope = ObjectScope.DEFAULT,
        kind: ObjectKind = ObjectKind.TABLE,
        **kw: Any,
    ) -> Any:
        names = self._scoped(connection, schema, filter_names, kind, scope, kw.get("info_cache"))
        return [((schema, n), []) for n in names]

    def get_check_constraints(
        self, connection: Any, table_name: str, schema: str | None = None, **kw: Any
    ) -> list[Any]:
        self._require_table(connection, table_name, self._schema(schema), kw.get("info_cache"))
        return []

    def get_multi_check_constraints(
        self,
        connection: Any,
        schema: str | None = None,
        filter_names: Any = None,
        scope: ObjectScope = ObjectScope.DEFAULT,
        kind: ObjectKind = ObjectKind.TABLE,
        **kw: Any,
    ) -> Any:
        names = self._scoped(connection, schema, filter_names, kind, scope, kw.get("info_cache"))
        return [((schema, n), []) for n in names]

    # --- reflection: comments and views ---------------------------------------------

    @reflection_cache
    def _table_comments(self, connection: Any, schema: str, **kw: Any) -> dict[str, str]:
        comments = self._comments(connection, schema, **kw)
        return {t: c[None] for t, c in comments.items() if None in c}

    def get_table_comment(
        self, connection: Any, table_name: str, schema: str | None = None, **kw: Any
    ) -> Any:
        schema_ = self._schema(schema)
        self._require_table(connection, table_name, schema_, kw.get("info_cache"))
        comments = self._table_comments(connection, schema_, info_cache=kw.get("info_cache"))
        return {"text": comments.get(table_name)}

    def get_multi_table_comment(
        self,
        connection: Any,
        schema: str | None = None,
        filter_names: Any = None,
        scope: ObjectScope = ObjectScope.DEFAULT,
        kind: ObjectKind = ObjectKind.TABLE,
        **kw: Any,
    ) -> Any:
        info_cache = kw.get("info_cache")
        names = self._scoped(connection, schema, filter_names, kind, scope, info_cache)
        if not names:
            return []
        comments = self._table_comments(connection, self._schema(schema), info_cache=info_cache)
        return [((schema, n), {"text": comments.get(n)}) for n in names]

    @reflection_cache
    def get_view_definition(
        self, connection: Any, view_name: str, schema: str | None = None, **kw: Any
    ) -> str:
        rows = self._catalog(
            connection, refl.VIEW_DEFINITION_SQL, schema=self._schema(schema), view=view_name
        )
        if not rows or rows[0].view_definition is None:
            raise exc.NoSuchTableError(f"{self._schema(schema)}.{view_name}")
        return str(rows[0].view_definition)

    @reflection_cache
    def _table_options(self, connection: Any, schema: str, **kw: Any) -> dict[str, dict[str, Any]]:
        """table -> ``redshift_*`` options, from SVV_TABLE_INFO and PG_TABLE_DEF (two queries).

        An engine without these Redshift system views (a plain PostgreSQL, an older
        local endpoint) reflects no options rather than failing the reflection.
        """
        by_table = self._table_def(connection, schema, **kw)
        if not self._has_system_views(connection):
            return {}
        try:
            styles = self._catalog(connection, refl.DISTSTYLE_SQL, schema=schema)
        except exc.DBAPIError as error:
            logger.debug("no SVV_TABLE_INFO for schema %s: %s", schema, error)
            styles = []
        style_of = {r.table_name: r.diststyle for r in styles}
        return {
            name: refl.table_options(style_of.get(name), by_table.get(name, []))
            for name in set(style_of) | set(by_table)
        }

    def get_table_options(
        self, connection: Any, table_name: str, schema: str | None = None, **kw: Any
    ) -> dict[str, Any]:
        """DISTSTYLE, DISTKEY and SORTKEY as ``redshift_*`` options (see _table_options)."""
        schema_ = self._schema(schema)
        self._require_table(connection, table_name, schema_, kw.get("info_cache"))
        options = self._table_options(connection, schema_, info_cache=kw.get("info_cache"))
        return options.get(table_name, {})

    def get_multi_table_options(
        self,
        connection: Any,
        schema: str | None = None,
        filter_names: Any = None,
        scope: ObjectScope = ObjectScope.DEFAULT,
        kind: ObjectKind = ObjectKind.TABLE,
        **kw: Any,
    ) -> Any:
        info_cache = kw.get("info_cache")
        names = self._scoped(connection, schema, filter_names, kind, scope, info_cache)
        if not names:
            return []
        options = self._table_options(connection, self._schema(schema), info_cache=info_cache)
        return [((schema, n), options.get(n, {})) for n in names]
