"""Redshift typeNames and metadata for DuckDB result types."""

from __future__ import annotations

import duckdb
import pytest

from redshift_dataapi.local.engines.duckdb.types import (
    apply_declared,
    column_info,
    declared_comment,
    parse_declared,
)
from redshift_dataapi.local.translate.core import DeclaredColumn


@pytest.mark.parametrize(
    ("duck_type", "type_name", "precision", "scale", "signed"),
    [
        ("SMALLINT", "int2", 5, 0, True),
        ("INTEGER", "int4", 10, 0, True),
        ("BIGINT", "int8", 19, 0, True),
        ("HUGEINT", "numeric", 38, 0, True),
        ("REAL", "float4", 8, 0, True),
        ("DOUBLE", "float8", 17, 0, True),
        ("DECIMAL(12,4)", "numeric", 12, 4, True),
        ("BOOLEAN", "bool", 1, 0, False),
        ("VARCHAR", "varchar", 65535, 0, False),
        ("DATE", "date", 13, 0, False),
        ("TIME", "time", 15, 0, False),
        ("TIME WITH TIME ZONE", "timetz", 21, 0, False),
        ("TIMESTAMP", "timestamp", 29, 0, False),
        ("TIMESTAMP WITH TIME ZONE", "timestamptz", 35, 0, False),
        ("INTERVAL", "interval", 49, 0, False),
        ("JSON", "super", 65535, 0, False),
        ("BLOB", "varbyte", 64000, 0, False),
        ("UUID", "varchar", 36, 0, False),
        ("INTEGER[]", "super", 65535, 0, False),
        ("BIT", "bit", 0, 0, False),
    ],
)
def test_type_names(
    duck_type: str, type_name: str, precision: int, scale: int, signed: bool
) -> None:
    info, _ = column_info("c", duckdb.sqltype(duck_type))
    assert (info.type_name, info.precision, info.scale, info.is_signed) == (
        type_name,
        precision,
        scale,
        signed,
    )
    assert info.is_case_sensitive == (type_name in ("varchar", "super"))
    assert info.is_currency is False
    assert (info.name, info.label) == ("c", "c")


@pytest.mark.parametrize(
    "col",
    [
        DeclaredColumn("a", "varchar", length=12),
        DeclaredColumn("b", "bpchar", length=3),
        DeclaredColumn("c", "numeric", precision=10, scale=2),
        DeclaredColumn("d", "geometry"),
        DeclaredColumn("e", "varbyte", length=64000),
    ],
)
def test_declared_types_round_trip_through_the_comment(col: DeclaredColumn) -> None:
    parsed = parse_declared(declared_comment(col))
    assert parsed == (col.type_name, col.length, col.precision, col.scale)


@pytest.mark.parametrize("comment", [None, "", "a user's own comment", "redshift:"])
def test_foreign_comments_are_ignored(comment: str | None) -> None:
    assert parse_declared(comment) is None


def test_declared_type_overrides_what_duckdb_reports() -> None:
    info, _ = column_info("c", duckdb.sqltype("VARCHAR"))
    apply_declared(info, ("bpchar", 3, 0, 0))
    assert (info.type_name, info.length, info.precision) == ("bpchar", 3, 3)
    geometry, _ = column_info("g", duckdb.sqltype("VARCHAR"))
    apply_declared(geometry, ("geometry", 0, 0, 0))
    assert geometry.type_name == "geometry"
    computed, _ = column_info("x", duckdb.sqltype("VARCHAR"))
    apply_declared(computed, None)
    assert (computed.length, computed.precision) == (0, 65535)
