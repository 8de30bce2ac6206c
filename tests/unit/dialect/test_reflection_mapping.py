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


def _def_row(column: str, distkey: object = False, sortkey: int = 0) -> object:
    from types import SimpleNamespace

    return SimpleNamespace(column_name=column, distkey=distkey, sortkey=sortkey)


@pytest.mark.parametrize(
    ("diststyle", "rows", "expected"),
    [
        (
            "KEY(seller)",
            [
                _def_row("id", sortkey=2),
                _def_row("seller", distkey=True),
                _def_row("at", sortkey=1),
            ],
            {
                "redshift_diststyle": "KEY",
                "redshift_distkey": "seller",
                "redshift_sortkey": ["at", "id"],
            },
        ),
        ("EVEN", [_def_row("a"), _def_row("b")], {"redshift_diststyle": "EVEN"}),
        ("AUTO(ALL)", [], {"redshift_diststyle": "AUTO"}),
        (
            "ALL",
            [_def_row("a", sortkey=-1), _def_row("b", sortkey=-2), _def_row("c", distkey="t")],
            {
                "redshift_diststyle": "ALL",
                "redshift_distkey": "c",
                "redshift_interleaved_sortkey": ["a", "b"],
            },
        ),
        (None, [], {}),
    ],
)
def test_table_options_from_svv_table_info_and_pg_table_def(
    diststyle: str | None, rows: list[object], expected: dict[str, object]
) -> None:
    from sqlalchemy_dialect.reflection import table_options

    assert table_options(diststyle, rows) == expected


def test_table_options_sql_reads_redshifts_documented_columns() -> None:
    from sqlalchemy_dialect import reflection

    for column in ('"table"', "diststyle", '"schema"', "svv_table_info"):
        assert column in reflection.DISTSTYLE_SQL
    for column in ("tablename", '"column"', "distkey", "sortkey", "schemaname", "pg_table_def"):
        assert column in reflection.TABLE_DEF_SQL


def test_column_encodings_from_pg_table_def() -> None:
    from types import SimpleNamespace

    from sqlalchemy_dialect.reflection import column_encodings

    rows = [
        SimpleNamespace(column_name="a", encoding="az64"),
        SimpleNamespace(column_name="b", encoding="none"),
        SimpleNamespace(column_name="c", encoding="ZSTD"),
        SimpleNamespace(column_name="d", encoding=None),
    ]
    assert column_encodings(rows) == {"a": "az64", "c": "zstd"}
