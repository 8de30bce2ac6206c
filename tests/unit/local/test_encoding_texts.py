"""The endpoint's column-wise text forms are exactly its per-value ones."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from typing import Any

import pytest

from redshift_dataapi.local.runtime import encoding

UTC = dt.timezone.utc


class LaterDate(dt.date):
    """A date subclass: not the engines' plain value, so it takes the per-value path."""


TIMESTAMPS: list[Any] = [
    dt.datetime(2024, 1, 1),
    dt.datetime(2024, 1, 1, 0, 0, 1),
    dt.datetime(2024, 1, 1, 0, 0, 1, 500_000),
    dt.datetime(2024, 1, 1, 0, 0, 1, 120),
    dt.datetime(2024, 1, 1, 0, 0, 1, 1),
    dt.datetime(1, 1, 1),
    dt.datetime(9999, 12, 31, 23, 59, 59, 999_999),
    dt.datetime(2024, 6, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    dt.datetime(2024, 6, 1, 12, 0, 0, 100_000, tzinfo=UTC),
    dt.date(2024, 2, 29),
    None,
    "infinity",
]
DATES: list[Any] = [
    dt.date(2024, 2, 29),
    dt.date(1, 1, 1),
    dt.datetime(2024, 3, 1, 23, 59),
    LaterDate(2024, 3, 2),
    None,
    "-infinity",
]
NUMERICS: list[Any] = [
    decimal.Decimal("0.1429"),
    decimal.Decimal("-12.50"),
    decimal.Decimal("1E+3"),
    decimal.Decimal("1E-10"),
    decimal.Decimal("0"),
    decimal.Decimal("NaN"),
    decimal.Decimal("Infinity"),
    decimal.Decimal("-Infinity"),
    0.1,
    12345678901234567890,
    None,
]


@pytest.mark.parametrize(
    ("type_name", "values", "per_value"),
    [
        ("timestamp", TIMESTAMPS, encoding.timestamp_text),
        ("date", DATES, encoding.date_text),
        ("numeric", NUMERICS, encoding.numeric_text),
        ("decimal", NUMERICS, encoding.numeric_text),
    ],
)
def test_column_texts_are_the_per_value_texts(
    type_name: str, values: list[Any], per_value: Callable[[Any], str]
) -> None:
    expected = [None if v is None else per_value(v) for v in values]
    assert encoding._texts(type_name, values) == expected
    assert encoding._texts(type_name.upper(), values) == expected


def test_the_texts_are_redshifts() -> None:
    assert encoding._texts("timestamp", TIMESTAMPS[:5]) == [
        "2024-01-01 00:00:00",
        "2024-01-01 00:00:01",
        "2024-01-01 00:00:01.5",
        "2024-01-01 00:00:01.00012",
        "2024-01-01 00:00:01.000001",
    ]
    assert encoding._texts("numeric", NUMERICS[:4]) == ["0.1429", "-12.50", "1000", "0.0000000001"]
