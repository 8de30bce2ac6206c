"""Redshift column types: what a CREATE TABLE declared, and what each target gets.

* :func:`declared_column`: a column's Redshift type (typeName, length,
  precision, scale) as declared, with Redshift's defaults for omitted
  lengths, which the engines record because they lose it;
* :func:`rewrite_types`: Redshift types the targets lack (SUPER, VARBYTE,
  GEOMETRY, HLLSKETCH, VARCHAR(MAX), DECIMAL without precision) rewritten in
  a sqlglot tree;
* :func:`identity_to_sequence` and :func:`length_checks`: DuckDB's
  stand-ins for IDENTITY columns and for CHAR/VARCHAR length limits.

The AST passes :func:`target_types`, :func:`identity_sequences` and
:func:`length_limits` apply them to a statement.
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from .target import Target
from .work import DeclaredColumn, Work

__all__ = [
    "REDSHIFT_TYPE_NAMES",
    "column_name",
    "declared_column",
    "identity_sequences",
    "identity_to_sequence",
    "length_checks",
    "length_limits",
    "rewrite_types",
    "target_types",
]


_DT = exp.DataType.Type
_DTType = Any  # sqlglot's DataType.Type enum (not usable as an annotation)

_STRING_TYPES = {_DT.VARCHAR, _DT.NVARCHAR, _DT.TEXT, _DT.CHAR, _DT.NCHAR, _DT.BPCHAR}
_BINARY_TYPES = {_DT.VARBINARY, _DT.BINARY}

#: sqlglot type -> Redshift typeName (the one the Data API reports).
REDSHIFT_TYPE_NAMES: dict[_DTType, str] = {
    _DT.SMALLINT: "int2",
    _DT.INT: "int4",
    _DT.BIGINT: "int8",
    _DT.FLOAT: "float4",
    _DT.DOUBLE: "float8",
    _DT.DECIMAL: "numeric",
    _DT.BOOLEAN: "bool",
    _DT.VARCHAR: "varchar",
    _DT.NVARCHAR: "varchar",
    _DT.TEXT: "varchar",
    _DT.CHAR: "bpchar",
    _DT.NCHAR: "bpchar",
    _DT.BPCHAR: "bpchar",
    _DT.DATE: "date",
    _DT.TIME: "time",
    _DT.TIMETZ: "timetz",
    _DT.TIMESTAMP: "timestamp",
    _DT.TIMESTAMPTZ: "timestamptz",
    _DT.SUPER: "super",
    _DT.VARBINARY: "varbyte",
    _DT.BINARY: "varbyte",
    _DT.GEOMETRY: "geometry",
    _DT.GEOGRAPHY: "geography",
    _DT.HLLSKETCH: "hllsketch",
    _DT.INTERVAL: "interval",
}


def _type_params(dtype: exp.DataType) -> list[str]:
    return [p.name.upper() for p in dtype.expressions]


def declared_column(name: str, dtype: exp.DataType) -> DeclaredColumn:
    """A Redshift column type, with Redshift's defaults for omitted lengths."""
    type_name = REDSHIFT_TYPE_NAMES.get(dtype.this, dtype.sql("redshift").lower())
    params = _type_params(dtype)
    col = DeclaredColumn(name=name, type_name=type_name)
    if dtype.this in _STRING_TYPES:
        if params and params[0] == "MAX":
            col.length = 65535
        elif params and params[0].isdigit():
            col.length = int(params[0])
        elif dtype.this in (_DT.CHAR, _DT.NCHAR):
            col.length = 1
        else:
            col.length = 256  # Redshift's VARCHAR/TEXT/BPCHAR without a length
    elif dtype.this in _BINARY_TYPES:
        col.length = int(params[0]) if params and params[0].isdigit() else 64000
    elif dtype.this == _DT.DECIMAL:
        col.precision = int(params[0]) if params and params[0].isdigit() else 18
        col.scale = int(params[1]) if len(params) > 1 and params[1].isdigit() else 0
    return col


def _rewrite_type(dtype: exp.DataType, target: Target) -> exp.DataType | None:
    """The target's type for a Redshift type, or None to keep it."""
    kind = dtype.this
    params = _type_params(dtype)
    if kind in _STRING_TYPES:
        if target == "duckdb":
            # DuckDB ignores lengths (and rejects TEXT(MAX)); the engine records them.
            return exp.DataType.build("VARCHAR")
        if params and params[0] == "MAX":
            size = exp.DataTypeParam(this=exp.Literal.number(65535))
            return exp.DataType(this=kind, expressions=[size])
        return None
    if kind == _DT.SUPER:
        return exp.DataType.build("JSON")
    if kind in (_DT.GEOMETRY, _DT.GEOGRAPHY, _DT.HLLSKETCH):
        return exp.DataType.build("VARCHAR" if target == "duckdb" else "TEXT")
    if kind in _BINARY_TYPES:
        return exp.DataType.build("BLOB" if target == "duckdb" else "BYTEA", dialect=target)
    if kind == _DT.DECIMAL and not params:
        # Redshift's DECIMAL is DECIMAL(18,0); DuckDB's is (18,3), PostgreSQL's unbounded.
        return exp.DataType.build("DECIMAL(18, 0)")
    return None


def rewrite_types(tree: exp.Expression, target: Target) -> exp.Expression:
    """Rewrite every Redshift type in ``tree`` that ``target`` lacks (in place; returns it)."""

    def transform(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.DataType):
            replacement = _rewrite_type(node, target)
            if replacement is not None:
                return replacement
        return node

    return tree.transform(transform, copy=False)


def identity_to_sequence(tree: exp.Create, target: Target) -> list[str]:
    """DuckDB has no identity columns: back each one by a sequence.

    Returns the CREATE SEQUENCE statements to run before the CREATE TABLE.
    """
    if target != "duckdb" or not isinstance(tree.this, exp.Schema):
        return []
    table = tree.this.this
    if not isinstance(table, exp.Table):
        return []
    pre: list[str] = []
    for coldef in tree.this.expressions:
        if not isinstance(coldef, exp.ColumnDef):
            continue
        for constraint in list(coldef.args.get("constraints") or []):
            kind = constraint.args.get("kind")
            if not isinstance(kind, exp.GeneratedAsIdentityColumnConstraint):
                continue
            start = kind.args.get("start")
            step = kind.args.get("increment")
            seq_name = f"{table.name}_{coldef.name}_seq"
            seq = exp.Table(this=exp.to_identifier(seq_name), db=table.args.get("db"))
            seq_sql = seq.sql("duckdb")
            exists = " IF NOT EXISTS" if tree.args.get("exists") else ""
            replace = "" if exists else " OR REPLACE"
            pre.append(
                f"CREATE{replace} SEQUENCE{exists} {seq_sql}"
                f" START WITH {start.sql('duckdb') if start else 1}"
                f" INCREMENT BY {step.sql('duckdb') if step else 1}"
            )
            default = exp.DefaultColumnConstraint(
                this=exp.func("nextval", exp.Literal.string(seq_sql))
            )
            constraint.set("kind", default)
    return pre


def length_checks(tree: exp.Create, target: Target) -> None:
    """Make DuckDB refuse over-long CHAR/VARCHAR values, as Redshift does.

    DuckDB ignores declared lengths; a CHECK on the byte length (Redshift
    counts bytes) gives the same refusal.  The engine turns the CHECK failure
    into Redshift's "value too long for type character varying(n)" (22001).
    Only CREATE TABLE gets them (DuckDB cannot add a CHECK to an existing table:
    the engine rebuilds the table for ADD COLUMN and ALTER COLUMN TYPE).
    """
    if target != "duckdb" or not isinstance(tree.this, exp.Schema):
        return
    for coldef in tree.this.expressions:
        dtype = coldef.args.get("kind") if isinstance(coldef, exp.ColumnDef) else None
        if not isinstance(dtype, exp.DataType) or dtype.this not in _STRING_TYPES:
            continue
        declared = declared_column(column_name(coldef), dtype)
        if declared.length >= 65535:
            continue
        check = exp.CheckColumnConstraint(
            this=exp.LTE(
                # strlen counts bytes (VARCHAR); CHAR holds single-byte characters only.
                this=exp.func(
                    "strlen" if declared.type_name == "varchar" else "length",
                    exp.column(declared.name, quoted=True),
                ),
                expression=exp.Literal.number(declared.length),
            )
        )
        constraints = list(coldef.args.get("constraints") or [])
        constraints.append(exp.ColumnConstraint(kind=check))
        coldef.set("constraints", constraints)


def column_name(coldef: exp.ColumnDef) -> str:
    """A column definition's name as Redshift stores it (unquoted names lower-cased)."""
    ident = coldef.this
    if isinstance(ident, exp.Identifier) and ident.quoted:
        return ident.name
    return coldef.name.lower()


def target_types(work: Work) -> None:
    """Every Redshift type the target lacks, rewritten (see :func:`rewrite_types`)."""
    rewrite_types(work.ast, work.target)


def identity_sequences(work: Work) -> None:
    """DuckDB: a sequence behind each IDENTITY column of a CREATE TABLE, created first."""
    if isinstance(work.ast, exp.Create):
        work.result.pre_sql = identity_to_sequence(work.ast, work.target)


def length_limits(work: Work) -> None:
    """DuckDB: CHAR/VARCHAR length limits of a CREATE TABLE as CHECKs."""
    if isinstance(work.ast, exp.Create):
        length_checks(work.ast, work.target)
