"""CSV chunks converted on the fast path give the values of value-by-value conversion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import pytest

from redshift_dataapi.results.csv_pages import convert_chunk, parse_chunk
from redshift_dataapi.types import csv_converters

TYPES = ["int4", "int8", "float8", "numeric", "bool", "date", "time", "timestamp", "timestamptz",
         "varchar", "super", "varbyte", "interval"]  # fmt: skip

ROW = '1,{big},2.5,123456789012345678901234567890.000001,{flag},2024-02-29,13:14:15.5,' \
      '2024-02-29 13:14:15.123456789,2024-02-29 13:14:15+00,"say ""hi"", then",' \
      '"{{""a"": 1}}",00ff,1 day'  # fmt: skip


def _reference(chunk: str, convs: Sequence[Callable[[str], Any]]) -> list[tuple[Any, ...]]:
    """The value-by-value conversion: NULL stays None, everything else its converter."""
    return [
        tuple(None if text is None else conv(text) for conv, text in zip(convs, row, strict=False))
        for row in parse_chunk(chunk)
    ]


CHUNKS = {
    "no-nulls": "".join(
        ROW.format(big=2**62 + i, flag="t" if i % 2 else "f") + "\n" for i in range(20)
    ),
    "nulls": ROW.format(big=1, flag="true") + "\n" + ",".join([""] * len(TYPES)) + "\n",
    "empty-strings": ROW.format(big=1, flag="false") + "\n" + '2,3,4,5,t,,,,,"",,,\n',
    "odd-values": "1,2,NaN,-0.00,maybe,infinity,24:00:00,-infinity,infinity,x,[],zz,x\n",
    "widths": "1,2\n" + ROW.format(big=3, flag="TRUE") + "\r\n",
}


@pytest.mark.parametrize("name", list(CHUNKS))
@pytest.mark.parametrize(
    "options",
    [{}, {"parse_super": True}, {"overrides": {"numeric": float, "int4": lambda t: f"<{t}>"}}],
    ids=["builtin", "parse_super", "user"],
)
def test_fast_path_equals_value_by_value(name: str, options: dict[str, Any]) -> None:
    convs = csv_converters(TYPES, **options)
    chunk = CHUNKS[name]
    got = convert_chunk(chunk, convs)
    want = _reference(chunk, convs)
    assert repr(got) == repr(want)  # repr: NaN != NaN, and 1 == 1.0 == True
    assert [[type(v) for v in row] for row in got] == [[type(v) for v in row] for row in want]


def test_values_users_rely_on() -> None:
    rows = convert_chunk(CHUNKS["nulls"] + CHUNKS["empty-strings"], csv_converters(TYPES))
    first = rows[0]
    assert first[3] == Decimal("123456789012345678901234567890.000001")
    assert first[4] is True
    assert first[8] == dt.datetime(2024, 2, 29, 13, 14, 15, tzinfo=dt.timezone.utc)
    assert first[9] == 'say "hi", then'
    assert first[11] == b"\x00\xff"
    assert rows[1] == (None,) * len(TYPES)
    assert rows[3][9] == "" and rows[3][5] is None
