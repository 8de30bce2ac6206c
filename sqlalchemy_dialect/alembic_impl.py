"""Alembic support: the migration implementation Alembic looks up for the ``redshift`` dialect.

Imported by :mod:`sqlalchemy_dialect.dataapi` when Alembic is installed, so
``alembic revision --autogenerate`` works with a ``redshift+dataapi://`` URL and
no extra configuration.  sqlalchemy-redshift registers an implementation under the
same dialect name (``redshift``); :func:`install` puts a dispatcher there instead,
which gives this dialect's connections :class:`RedshiftDataAPIImpl` and every other
``redshift`` dialect the implementation registered before.

* Transactional DDL: Redshift runs CREATE/ALTER/DROP TABLE inside transactions, so a
  migration is all or nothing.
* Type comparison through this dialect's spelling of both types, with Redshift's
  synonyms folded together (TIMESTAMPTZ = TIMESTAMP WITH TIME ZONE, FLOAT8 = DOUBLE
  PRECISION = FLOAT, BOOL = BOOLEAN, VARCHAR(65535) = VARCHAR(MAX) = TEXT, VARBYTE =
  VARBYTE(64000)...), so an unchanged model autogenerates an empty migration.  A
  reflected VARBYTE without a length (an engine that does not report it) matches
  any VARBYTE.
* Rendering: this dialect's types are written as ``sqlalchemy_dialect.SUPER()``
  with ``import sqlalchemy_dialect`` added to the migration's imports.
* Column comments (COMMENT ON COLUMN) and renames (RENAME COLUMN) in Redshift's syntax.
* ALTER COLUMN ... TYPE: Redshift changes the type of a VARCHAR column (its
  length) only; any other type change raises before reaching the server, naming
  the usual recipe (add a column, copy, drop, rename).
"""

from __future__ import annotations

import logging
import re
from typing import Any, Literal

from alembic.ddl.base import (
    ColumnComment,
    ColumnName,
    alter_table,
    format_column_name,
    format_table_name,
)
from alembic.ddl.impl import DefaultImpl
from alembic.util import CommandError
from sqlalchemy import types as sqltypes
from sqlalchemy.ext.compiler import compiles

from .compat import type_compiler

logger = logging.getLogger(__name__)

#: Redshift's default VARBYTE length (bytes) and its longest VARCHAR.
_VARBYTE_DEFAULT = 64000
_VARCHAR_MAX = 65535

# spelling (lower case, without arguments) -> canonical spelling
_SYNONYMS = {
    "timestamp with time zone": "timestamptz",
    "timestamp without time zone": "timestamp",
    "time with time zone": "timetz",
    "time without time zone": "time",
    "float8": "double precision",
    "float": "double precision",
    "double": "double precision",
    "float4": "real",
    "bool": "boolean",
    "int": "integer",
    "int4": "integer",
    "int2": "smallint",
    "int8": "bigint",
    "decimal": "numeric",
    "character varying": "varchar",
    "nvarchar": "varchar",
    "text": "varchar",
    "character": "char",
    "bpchar": "char",
    "nchar": "char",
    "varbinary": "varbyte",
    "binary varying": "varbyte",
}


def canonical_type(spelled: str) -> str:
    """One spelling per Redshift type: ``"TIMESTAMP WITH TIME ZONE"`` -> ``"timestamptz"``.

    Arguments are normalized too: ``VARCHAR`` / ``TEXT`` / ``VARCHAR(65535)`` all
    read ``varchar(max)``, ``VARBYTE`` reads ``varbyte(64000)``, ``NUMERIC(12, 2)``
    reads ``numeric(12,2)``.
    """
    text = " ".join(spelled.strip().lower().split())
    match = re.match(r"^([a-z ]+?)\s*(?:\((.*)\))?$", text)
    if match is None:
        return text
    name, args = match.group(1).strip(), (match.group(2) or "").replace(" ", "")
    name = _SYNONYMS.get(name, name)
    if name == "varchar":
        if not args or args == str(_VARCHAR_MAX):
            args = "max"
    elif name == "char" and not args:
        args = "1"
    elif name == "varbyte" and not args:
        args = str(_VARBYTE_DEFAULT)
    return f"{name}({args})" if args else name


class RedshiftDataAPIImpl(DefaultImpl):
    """Alembic's implementation for the ``redshift`` dialect name (see the module docstring)."""

    __dialect__ = "redshift"
    transactional_ddl = True
    type_synonyms = (
        *DefaultImpl.type_synonyms,
        {"TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"},
        {"TIMETZ", "TIME WITH TIME ZONE"},
        {"DOUBLE PRECISION", "FLOAT8", "FLOAT", "DOUBLE"},
        {"BOOL", "BOOLEAN"},
        {"VARCHAR", "CHARACTER VARYING", "TEXT", "NVARCHAR"},
        {"VARBYTE", "VARBINARY", "BINARY VARYING"},
    )

    def _spelled(self, type_: Any) -> str:
        return str(type_compiler(self.dialect).process(sqltypes.to_instance(type_)))

    def compare_type(self, inspector_column: Any, metadata_column: Any) -> bool:
        """True when the reflected and the model's column types really differ."""
        if isinstance(metadata_column.type, sqltypes.NullType):
            return False
        try:
            reflected = canonical_type(self._spelled(inspector_column.type))
            declared = canonical_type(self._spelled(metadata_column.type))
        except Exception as error:  # a type this dialect cannot compile: Alembic's rule
            logger.debug("comparing types with Alembic's rule: %s", error)
            return bool(super().compare_type(inspector_column, metadata_column))
        if reflected == declared:
            return False
        # A reflected VARBYTE without a length: the server did not report one (Redshift
        # always does); compare the type, not a length nobody knows.
        unreported = isinstance(inspector_column.type, sqltypes.LargeBinary) and not getattr(
            inspector_column.type, "length", None
        )
        return not (unreported and declared.startswith("varbyte"))

    def render_type(self, type_obj: Any, autogen_context: Any) -> str | Literal[False]:
        """``sqlalchemy_dialect.TIMESTAMPTZ()`` (with its import) for this dialect's types."""
        module = type(type_obj).__module__
        if module == "sqlalchemy_dialect.types" or module.startswith("sqlalchemy_dialect."):
            imports = getattr(autogen_context, "imports", None)
            if imports is not None:
                imports.add("import sqlalchemy_dialect")
            return f"sqlalchemy_dialect.{type_obj!r}"
        return False

    def alter_column(self, table_name: str, column_name: str, **kw: Any) -> None:
        """As Alembic's, refusing type changes Redshift cannot make in place."""
        new_type = kw.get("type_")
        if new_type is not None:
            spelled = canonical_type(self._spelled(new_type))
            if not spelled.startswith("varchar"):
                raise CommandError(
                    f"Redshift can change only a VARCHAR column's length in place, not "
                    f"{column_name!r} to {spelled.upper()}: add a new column, copy the "
                    "values (UPDATE), drop the old column and rename the new one"
                )
        # Redshift cannot change IDENTITY in place: autoincrement is not an option
        # here (Alembic warns about it for any dialect but MySQL).
        kw.pop("autoincrement", None)
        kw.pop("existing_autoincrement", None)
        super().alter_column(table_name, column_name, **kw)


@compiles(ColumnComment, "redshift")
def _column_comment(element: Any, compiler: Any, **kw: Any) -> str:
    """``COMMENT ON COLUMN t.c IS '...'`` (Alembic has no generic form of it)."""
    comment = (
        compiler.sql_compiler.render_literal_value(element.comment, sqltypes.String())
        if element.comment is not None
        else "NULL"
    )
    table = format_table_name(compiler, element.table_name, element.schema)
    column = format_column_name(compiler, element.column_name)
    return f"COMMENT ON COLUMN {table}.{column} IS {comment}"


@compiles(ColumnName, "redshift")
def _column_name(element: Any, compiler: Any, **kw: Any) -> str:
    """``ALTER TABLE t RENAME COLUMN a TO b``: Redshift needs the COLUMN keyword."""
    table = alter_table(compiler, element.table_name, element.schema)
    old = format_column_name(compiler, element.column_name)
    new = format_column_name(compiler, element.newname)
    return f"{table} RENAME COLUMN {old} TO {new}"


#: Alembic implementations other packages registered for the ``redshift`` name.
_OTHERS: dict[str, Any] = {}


def _dispatch(dialect: Any, *args: Any, **kw: Any) -> Any:
    """Alembic's implementation factory for the ``redshift`` name (see :func:`install`)."""
    from .base import RedshiftDialect

    other = _OTHERS.get("redshift")
    if other is None or isinstance(dialect, RedshiftDialect):
        return RedshiftDataAPIImpl(dialect, *args, **kw)
    return other(dialect, *args, **kw)


def install() -> None:
    """Make Alembic use :class:`RedshiftDataAPIImpl` for this dialect's connections.

    Alembic keeps one implementation per dialect name; sqlalchemy-redshift's
    (PostgresqlImpl-based, whose ALTER COLUMN does not suit Redshift) registers
    under the same ``redshift`` on import.  Called on import of this module and
    again after sqlalchemy-redshift's dialect is loaded (redshift_options).
    """
    from alembic.ddl import impl as alembic_ddl

    registry: dict[str, Any] = alembic_ddl._impls
    current = registry.get("redshift")
    if current is not None and current not in (RedshiftDataAPIImpl, _dispatch):
        _OTHERS["redshift"] = current
    registry["redshift"] = _dispatch


install()
