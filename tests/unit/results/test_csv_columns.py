"""CSV chunks converted column by column through pyarrow give the Python path's values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import pytest

from redshift_dataapi.results import csv_columns
from redshift_dataapi.results.csv_columns import ColumnwiseChunks
from redshift_dataapi.results.csv_pages import convert_chunk, parse_chunk
from redshift_dataapi.types import csv_converters

pytest.importorskip("pyarrow", reason="the column-wise CSV path needs the arrow extra")

TYPES = ["int4", "int8", "float8", "numeric", "bool", "date", "time", "timestamp", "timestamptz",
         "varchar", "super", "varbyte", "interval", "float4"]  # fmt: skip

ROW = (
    "{i},{big},2.5,123456789012345678901234567890.00000{d},{flag},2024-02-29,13:14:15.5,"
    '2024-02-29 13:14:15.123456789,2024-02-29 13:14:15+00,"say ""hi"", then\nbye",'
    '"{{""a"": [1, null]}}",00ff,1 day,0.1'
)


def _rows(count: int, **overrides: str) -> str:
    lines = []
    for i in range(count):
        values = {"i": str(i), "big": str(2**62 + i), "d": str(i % 10), "flag": "tf"[i % 2]}
        values.update(overrides)
        lines.append(ROW.format(**values))
    return "\n".join(lines) + "\n"


def _reference(chunk: str, convs: Sequence[Callable[[str], Any]]) -> list[tuple[Any, ...]]:
    """Value by value: NULL stays None, everything else goes through its converter."""
    return [
        tuple(None if text is None else conv(text) for conv, text in zip(convs, row, strict=True))
        for row in parse_chunk(chunk)
    ]


NULLS = ",".join([""] * len(TYPES))
EMPTY_STRINGS = '7,8,9.5,1,true,,,,,"",,,"",'
CHUNKS = {
    "plain": _rows(50),
    "nulls-and-empty-strings": _rows(5) + NULLS + "\n" + EMPTY_STRINGS + "\n" + _rows(5),
    "odd-values": _rows(3)
    + "1,2,NaN,-0.00,maybe,infinity,24:00:00,-infinity,infinity,x,[],zz,x,inf\n",
    "hex-text-keeps-int-exact": _rows(3).replace("1 day", "0x1f"),
    "crlf": _rows(20).replace("\n", "\r\n").replace("then\r\nbye", "then\nbye"),
    "no-final-newline": _rows(4).rstrip("\n"),
}


@pytest.fixture(autouse=True)
def every_chunk_is_large_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_columns, "MIN_CHARS", 0)


@pytest.mark.parametrize("name", list(CHUNKS))
@pytest.mark.parametrize(
    "options",
    [{}, {"parse_super": True}, {"overrides": {"numeric": float, "int4": lambda t: f"<{t}>"}}],
    ids=["builtin", "parse_super", "user"],
)
def test_columnwise_equals_value_by_value(name: str, options: dict[str, Any]) -> None:
    convs = csv_converters(TYPES, **options)
    chunk = CHUNKS[name]
    got = ColumnwiseChunks(convs).convert(chunk)
    assert got is not None, "pyarrow should read this chunk"
    want = _reference(chunk, convs)
    assert repr(got) == repr(want)  # repr: NaN != NaN, and 1 == 1.0 == True
    assert [[type(v) for v in row] for row in got] == [[type(v) for v in row] for row in want]
    assert repr(convert_chunk(chunk, convs)) == repr(want)


def test_values_users_rely_on() -> None:
    chunk = CHUNKS["nulls-and-empty-strings"]
    rows = ColumnwiseChunks(csv_converters(TYPES)).convert(chunk)
    assert rows is not None
    first = rows[0]
    assert first[1] == 2**62 and first[3] == Decimal("123456789012345678901234567890.000000")
    assert first[4] is True and rows[1][4] is False
    assert first[7] == dt.datetime(2024, 2, 29, 13, 14, 15, 123456)
    assert first[8] == dt.datetime(2024, 2, 29, 13, 14, 15, tzinfo=dt.timezone.utc)
    assert first[9] == 'say "hi", then\nbye' and first[10] == '{"a": [1, null]}'
    assert first[11] == b"\x00\xff" and first[13] == 0.1  # float4 text read as a double
    assert rows[5] == (None,) * len(TYPES)
    assert rows[6][9] == "" and rows[6][12] == "" and rows[6][5] is None


def test_a_blank_line_is_a_one_column_null() -> None:
    convs = csv_converters(["int4"])
    chunk = "1\n\n3\n"
    assert ColumnwiseChunks(convs).convert(chunk) == [(1,), (None,), (3,)]
    assert convert_chunk(chunk, convs) == [(1,), (None,), (3,)]


@pytest.mark.parametrize(
    "chunk",
    ["1,2\n" + _rows(2), "1,2,\ud800\n", 'x,"unclosed\n'],
    ids=["another-width", "not-utf8-encodable", "unclosed-quote"],
)
def test_chunks_pyarrow_refuses_go_the_python_way(chunk: str) -> None:
    convs = csv_converters(TYPES if chunk.startswith("1,2\n") else ["varchar"] * 3)
    assert ColumnwiseChunks(convs).convert(chunk) is None


def test_a_value_an_int_column_cannot_parse_sends_the_chunk_the_python_way() -> None:
    convs = csv_converters(["int4", "varchar"])
    assert ColumnwiseChunks(convs).convert("1,a\n1.5,b\n") is None
    with pytest.raises(ValueError):
        convert_chunk("1,a\n1.5,b\n", convs)  # the fetch fails as it always has


def test_small_chunks_keep_the_python_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_columns, "MIN_CHARS", 1000)
    assert ColumnwiseChunks(csv_converters(["int4"])).convert("1\n2\n") is None


@pytest.mark.parametrize("hex_text", ["0x10", "0X10"])
def test_hex_in_an_int_column_fails_as_on_the_python_path(hex_text: str) -> None:
    # pyarrow's int parser reads 0x10 as 16; Python's int() refuses it.
    convs = csv_converters(["int4", "varchar"])
    chunk = f"1,x\n{hex_text},X\n"
    with pytest.raises(ValueError):
        ColumnwiseChunks(convs).convert(chunk)
    with pytest.raises(ValueError):
        convert_chunk(chunk, convs)


# Bool, date and timestamp text columns are converted by Arrow compute when it
# can vouch for every value, else value by value; either way the values are
# the converter's.
# "\u212a" (KELVIN SIGN) lowers to "k"; "\uff54" is a fullwidth "t".
BOOLS = ["t", "f", "true", "FALSE", "True", "yEs", "on", "1", "0", "maybe",
         "\u212a", "\uff54", "", None]  # fmt: skip
DATES = ["2024-02-29", "0001-01-01", "9999-12-31", "1970-01-01", None]
STAMPS = ["2024-02-29 13:14:15", "2024-02-29T13:14:15.5", "2024-02-29 13:14:15.123456",
          "2024-02-29", "2024-02-29 13", "2024-02-29 13:14", "0001-01-01 00:00:00",
          "9999-12-31 23:59:59.999999", None]  # fmt: skip
#: Values Arrow's casts read differently from Python or not at all.
ODD_DATES = ["0000-01-01", "20240229", "2024-W09-4", "infinity", " 2024-02-29", "2024-02-30"]
ODD_STAMPS = ["0000-01-01 00:00:00", "2024-02-29 13:14:15+00", "2024-02-29 13:14:15Z",
              "2024-02-29 13:14:15.1234567", "2024-02-29 24:00:00", "20240229T131415"]  # fmt: skip


def _column_chunk(values: Sequence[str | None]) -> str:
    return "".join(("" if v is None else f'"{v}"' if v == "" else v) + "\n" for v in values)


def _arrow_column(values: Sequence[str | None]) -> Any:
    import pyarrow as pa

    return pa.chunked_array([pa.array(values, pa.string())])


@pytest.mark.parametrize(
    ("type_name", "values"),
    [("bool", BOOLS), ("date", DATES), ("timestamp", STAMPS)]
    + [("date", [*DATES, odd]) for odd in ODD_DATES]
    + [("timestamp", [*STAMPS, odd]) for odd in ODD_STAMPS],
)
def test_vectorized_columns_give_the_converters_values(
    type_name: str, values: list[str | None]
) -> None:
    (conv,) = csv_converters([type_name])
    want = [None if v is None else conv(v) for v in values]
    # A one-column chunk: a blank line is the NULL, '""' the empty string.
    got = ColumnwiseChunks([conv]).convert(_column_chunk(values))
    assert got is not None
    assert repr([row[0] for row in got]) == repr(want)
    assert [type(row[0]) for row in got] == [type(v) for v in want]


@pytest.mark.parametrize(
    ("type_name", "values", "vouched"),
    [("bool", BOOLS, True), ("date", DATES, True), ("timestamp", STAMPS, True)]
    + [("date", [*DATES, odd], False) for odd in ODD_DATES]
    + [("timestamp", [*STAMPS, odd], False) for odd in ODD_STAMPS],
)
def test_arrow_vouches_only_for_values_it_reads_as_python_does(
    type_name: str, values: list[str | None], vouched: bool
) -> None:
    (conv,) = csv_converters([type_name])
    got = csv_columns._VECTORIZED[conv](_arrow_column(values))
    assert (got is not None) == vouched
    if got is not None:
        assert got == [None if v is None else conv(v) for v in values]
