"""DescribeTable ColumnMetadata -> SQLAlchemy column dicts.  No endpoint needed."""

from __future__ import annotations

import warnings

import pytest
import sqlalchemy as sa

from sqlalchemy_dialect import (
    DOUBLE_PRECISION,
    GEOMETRY,
    HLLSKETCH,
    SUPER,
    TIMESTAMPTZ,
    TIMETZ,
    VARBYTE,
)
from sqlalchemy_dialect.reflection import column_type, like_escape, reflected_column


@pytest.mark.parametrize(
    ("meta", "cls", "attrs"),
    [
        ({"typeName": "int2"}, sa.SMALLINT, {}),
        ({"typeName": "int4"}, sa.INTEGER, {}),
        ({"typeName": "int8"}, sa.BIGINT, {}),
        ({"typeName": "float4"}, sa.REAL, {}),
        ({"typeName": "float8"}, DOUBLE_PRECISION, {}),
        (
            {"typeName": "numeric", "precision": 12, "scale": 3},
            sa.NUMERIC,
            {"precision": 12, "scale": 3},
        ),
        ({"typeName": "varchar", "length": 40}, sa.VARCHAR, {"length": 40}),
        ({"typeName": "character varying", "length": 65535}, sa.VARCHAR, {"length": None}),
        ({"typeName": "bpchar", "length": 3}, sa.CHAR, {"length": 3}),
        ({"typeName": "bool"}, sa.BOOLEAN, {}),
        ({"typeName": "date"}, sa.DATE, {}),
        ({"typeName": "timestamp"}, sa.TIMESTAMP, {}),
        ({"typeName": "timestamptz"}, TIMESTAMPTZ, {"timezone": True}),
        ({"typeName": "timetz"}, TIMETZ, {"timezone": True}),
        ({"typeName": "super"}, SUPER, {}),
        ({"typeName": "geometry"}, GEOMETRY, {}),
        ({"typeName": "hllsketch"}, HLLSKETCH, {}),
        ({"typeName": "varbyte", "length": 16}, VARBYTE, {"length": 16}),
        (
            {"typeName": "DECIMAL(10,2)", "precision": 10, "scale": 2},
            sa.NUMERIC,
            {"precision": 10, "scale": 2},
        ),
    ],
)
def test_type_names(meta: dict, cls: type, attrs: dict) -> None:
    type_ = column_type(meta)
    assert isinstance(type_, cls)
    for name, value in attrs.items():
        assert getattr(type_, name) == value


def test_unknown_type_warns_and_is_nulltype() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        type_ = column_type({"typeName": "mystery", "name": "c"})
    assert isinstance(type_, sa.types.NullType)
    assert any("mystery" in str(w.message) for w in caught)


def test_nullability_default_and_identity() -> None:
    col = reflected_column(
        {
            "name": "id",
            "typeName": "int8",
            "nullable": 0,
            "columnDefault": "\"identity\"(101507, 0, '5,2'::text)",
        }
    )
    assert col["nullable"] is False and col["autoincrement"] is True and col["default"] is None
    assert col["identity"] == {"always": True, "start": 5, "increment": 2}
    gen = reflected_column(
        {
            "name": "id",
            "typeName": "int4",
            "nullable": 0,
            "columnDefault": "\"default_identity\"(1, 0, '1,1'::text)",
        }
    )
    assert gen["identity"]["always"] is False
    plain = reflected_column({"name": "n", "typeName": "int4", "nullable": 1, "columnDefault": "0"})
    assert plain["default"] == "0" and plain["nullable"] is True and not plain["autoincrement"]
    unknown = reflected_column({"name": "n", "typeName": "int4", "nullable": 2})
    assert unknown["nullable"] is True


def test_like_escape_matches_only_the_name() -> None:
    assert like_escape("a_b%c\\d") == "a\\_b\\%c\\\\d"
