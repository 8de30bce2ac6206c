"""Result pages of a large result written by Arrow kernels, from the engine's columns.

A :class:`~redshift_dataapi.local.engines.base.ColumnarRows` result's tail is
Arrow.  Its values are written by Arrow's string kernels for a whole column:
JSON Field pieces (``{"longValue":1}``...) or CSV fields.  A row is one more
join, and a page is a slice of the rows' joined bytes.  No Python object is
made per value, except for doubles (their text is Python's ``repr``, which
Arrow's casts do not write), for text that needs JSON escaping (a quote, a
backslash, a control character) or CSV quoting (a comma, a quote, CR, LF),
and for types Arrow does not write; those take the row path's writers.  The
pages are byte for byte the row path's (JSON with orjson);
``tests/unit/local/duckdb_engine/test_columnar.py`` compares them.

pyarrow is imported by the caller's engine already (the ``local`` extra);
this module is only imported for such a result.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Sequence
from itertools import accumulate
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..engines.base import ColumnarRows, ColumnInfo
from ..response_json import RawJSON
from .encoding import (
    _BOOL_TYPES,
    _FLOAT_TYPES,
    _INT_TYPES,
    _PLAIN_STRING_TYPES,
    _UNQUOTED_TYPES,
    CSV_FIELD_FRAMING,
    JSON_FIELD_FRAMING,
    NULL_SIZE,
    EncodedResult,
    ResultLimits,
    _by_column,
    _csv_column,
    _cut_pages,
    _json_column,
    _row_sizes,
)
from .json_fields import NULL_FIELD

__all__ = [
    "bool_pieces",
    "csv_bools",
    "csv_ints",
    "csv_pages",
    "csv_strings",
    "csv_texts",
    "encode_columnar",
    "json_pages",
    "long_pieces",
    "sizes_of",
    "string_pieces",
    "to_pieces",
    "to_text_pieces",
]

#: A character that JSON text must escape (orjson and the standard module agree on these).
_NEEDS_ESCAPE = r'["\\\x00-\x1f]'
#: A character that makes a CSV field quoted (see ``runtime.encoding``).
_NEEDS_QUOTES = r'[,"\r\n]'


# Scalars are taken from one-value arrays built on buffers: pa.scalar() and
# pa.array() of Python objects import pandas when it is installed (pyarrow
# checks for its types), 0.25 s on an endpoint's first large result.
def _bytes_literal(value: bytes) -> pa.Scalar:
    offsets = pa.py_buffer(struct.pack("<qq", 0, len(value)))
    return pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(value)])[0]


def _int_literal(value: int) -> pa.Scalar:
    return pa.Array.from_buffers(pa.int64(), 1, [None, pa.py_buffer(struct.pack("<q", value))])[0]


_NULL = _bytes_literal(NULL_FIELD)
_EMPTY = _bytes_literal(b"")
_TRUE = _bytes_literal(b"true")
_FALSE = _bytes_literal(b"false")


def _filled(pieces: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    return pc.cast(pieces, pa.large_binary()).fill_null(_NULL)


def _joined(prefix: bytes, texts: pa.ChunkedArray, suffix: bytes) -> pa.ChunkedArray:
    """``prefix + text + suffix`` per text (NULL stays NULL)."""
    binary = pc.cast(texts, pa.large_binary())
    return pc.binary_join_element_wise(
        _bytes_literal(prefix), binary, _bytes_literal(suffix), _EMPTY
    )


def to_pieces(pieces: Sequence[bytes]) -> pa.Array:
    """Pieces written by the row path (:mod:`.json_fields`) as an Arrow column."""
    offsets = array("q", accumulate(map(len, pieces), initial=0))
    data = b"".join(pieces)
    buffers = [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data)]
    return pa.Array.from_buffers(pa.large_binary(), len(pieces), buffers)


def to_text_pieces(fields: Sequence[str]) -> pa.Array:
    """CSV fields written by the row path as an Arrow column of their UTF-8 bytes."""
    joined = "".join(fields)
    if joined.isascii():
        return to_pieces([field.encode("ascii") for field in fields])
    return to_pieces([field.encode("utf-8") for field in fields])


def long_pieces(array: pa.ChunkedArray) -> pa.ChunkedArray:
    """``{"longValue":n}`` for an integer column (Arrow's decimal digits are ``str(int)``)."""
    return _filled(_joined(b'{"longValue":', pc.cast(array, pa.string()), b"}"))


def bool_pieces(array: pa.ChunkedArray) -> pa.ChunkedArray:
    """``{"booleanValue":true|false}`` for a boolean column."""
    true = _bytes_literal(b'{"booleanValue":true}')
    false = _bytes_literal(b'{"booleanValue":false}')
    return _filled(pc.if_else(array, true, false))


def string_pieces(texts: pa.ChunkedArray, *, plain: bool = False) -> pa.ChunkedArray | None:
    """``{"stringValue":"..."}`` per text; None when a text needs escaping.

    ``plain``: the texts are known to hold nothing to escape (the text forms of
    numbers, dates and times), so they are not searched.
    """
    if not plain and pc.any(pc.match_substring_regex(texts, _NEEDS_ESCAPE)).as_py():
        return None
    return _filled(_joined(b'{"stringValue":"', texts, b'"}'))


def sizes_of(array: pa.ChunkedArray, size: int | None, null_size: int) -> list[int] | int:
    """Each value's size: ``size`` (or, when None, the text's UTF-8 length); NULLs ``null_size``.

    One int when every value has the same size.
    """
    nulls = array.null_count
    if size is not None and not nulls:
        return size
    fill = _int_literal(null_size)
    if size is not None:
        sizes = pc.if_else(pc.is_null(array), fill, _int_literal(size))
    else:
        sizes = pc.fill_null(pc.cast(pc.binary_length(array), pa.int64()), fill)
    return sizes.to_pylist()  # type: ignore[no-any-return]


def _rows(field_columns: Sequence[pa.ChunkedArray | pa.Array], separator: bytes,
          prefix: bytes, suffix: bytes) -> pa.Array:  # fmt: skip
    """Each row's fields joined by ``separator``, between ``prefix`` and ``suffix``."""
    joined = pc.binary_join_element_wise(*field_columns, _bytes_literal(separator))
    rows = pc.binary_join_element_wise(
        _bytes_literal(prefix), joined, _bytes_literal(suffix), _EMPTY
    )
    return rows.combine_chunks() if isinstance(rows, pa.ChunkedArray) else rows


def _slices(rows: pa.Array, bounds: Sequence[tuple[int, int]]) -> list[memoryview]:
    """The joined bytes of rows ``[start, end)`` for each range."""
    offsets_buffer, data = rows.buffers()[1], rows.buffers()[2]
    offsets = memoryview(offsets_buffer).cast("q" if pa.types.is_large_binary(rows.type) else "i")
    view = memoryview(data) if data is not None else memoryview(b"")
    base = rows.offset
    return [view[offsets[base + start] : offsets[base + max(start, end)]] for start, end in bounds]


def json_pages(
    field_columns: Sequence[pa.ChunkedArray | pa.Array], bounds: Sequence[tuple[int, int]]
) -> list[RawJSON]:
    """The Records array of each ``[start, end)`` row range, from the columns' pieces."""
    rows = _rows(field_columns, b",", b"[", b"],")
    # Each row ends with "],"; a page drops its last comma.
    return [
        RawJSON(b"[" + piece[:-1] + b"]" if len(piece) else b"[]")
        for piece in _slices(rows, bounds)
    ]


def csv_pages(
    field_columns: Sequence[pa.ChunkedArray | pa.Array], bounds: Sequence[tuple[int, int]]
) -> list[str]:
    """The CSV text of each ``[start, end)`` row range, from the columns' fields."""
    rows = _rows(field_columns, b",", b"", b"\n")
    return [bytes(piece).decode("utf-8") for piece in _slices(rows, bounds)]


# -- CSV fields (the text forms of runtime.encoding; NULL an empty unquoted field) --


def csv_ints(array: pa.ChunkedArray) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """An integer column's fields and texts (Arrow's decimal digits are ``str(int)``)."""
    texts = pc.cast(array, pa.string())
    return pc.cast(texts, pa.large_binary()).fill_null(_EMPTY), texts


def csv_bools(array: pa.ChunkedArray) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """A boolean column's fields and texts (``true`` / ``false``)."""
    texts = pc.if_else(array, _TRUE, _FALSE)
    return texts.fill_null(_EMPTY), texts


def csv_texts(texts: pa.ChunkedArray) -> pa.ChunkedArray:
    """Fields of texts known to need no quoting and never to be empty (numbers, dates)."""
    return pc.cast(texts, pa.large_binary()).fill_null(_EMPTY)


def csv_strings(texts: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """Fields of any texts: the empty string ``""``; None when a text needs quoting."""
    if pc.any(pc.match_substring_regex(texts, _NEEDS_QUOTES)).as_py():
        return None
    binary = pc.cast(texts, pa.large_binary())
    empty = pc.equal(pc.binary_length(binary), _int_literal(0))
    return pc.if_else(empty, _bytes_literal(b'""'), binary).fill_null(_EMPTY)


# -- a columnar result's pages ----------------------------------------------------


def encode_columnar(
    columns: Sequence[ColumnInfo],
    rows: ColumnarRows,
    result_format: str,
    metadata: list[dict[str, Any]],
    limits: ResultLimits,
) -> EncodedResult:
    """The pages of a columnar result: the head's values written by the row path's
    writers, the tail's by Arrow kernels where they write the same text."""
    csv = result_format == "CSV"
    head = _by_column(list(rows.head), len(columns))
    head_count, tail_count = len(rows.head), rows.tail_length()
    fields: list[pa.ChunkedArray] = []
    size_columns: list[list[int] | int] = []
    for index, column in enumerate(columns):
        name = column.type_name.lower()
        head_sizes: list[int] | int
        if csv:
            head_fields, head_sizes = _csv_column(name, head[index])
            head_array = to_text_pieces(head_fields)
            tail_fields, tail_sizes = _tail_csv(index, name, rows)
        else:
            head_json, head_sizes = _json_column(name, head[index])
            head_array = to_pieces(head_json)
            tail_fields, tail_sizes = _tail_json(index, name, rows)
        chunks = tail_fields.chunks if isinstance(tail_fields, pa.ChunkedArray) else [tail_fields]
        fields.append(pa.chunked_array([head_array, *chunks], pa.large_binary()))
        if isinstance(head_sizes, int) and head_sizes == tail_sizes:
            size_columns.append(head_sizes)
        else:
            size_columns.append(
                ([head_sizes] * head_count if isinstance(head_sizes, int) else head_sizes)
                + ([tail_sizes] * tail_count if isinstance(tail_sizes, int) else tail_sizes)
            )
    row_sizes = _row_sizes(size_columns, head_count + tail_count)
    framing = (CSV_FIELD_FRAMING if csv else JSON_FIELD_FRAMING) * len(columns)
    bounds, total = _cut_pages(row_sizes, framing, limits)
    pages: list[RawJSON | str] = []
    pages.extend(csv_pages(fields, bounds) if csv else json_pages(fields, bounds))
    return EncodedResult(metadata, result_format, pages, len(row_sizes), total)


def _text_array(index: int, name: str, rows: ColumnarRows) -> pa.ChunkedArray | None:
    """Column ``index``'s tail text forms as Arrow, when the engine or the column has them."""
    if name in _INT_TYPES or name in _FLOAT_TYPES or name in _BOOL_TYPES:
        return None
    texts = rows.tail_text_array(index, name)
    array = rows.tail_array(index)
    if texts is None and name in _PLAIN_STRING_TYPES and pa.types.is_string(array.type):
        return array
    return texts


def _tail_json(index: int, name: str, rows: ColumnarRows) -> tuple[Any, list[int] | int]:
    """Field pieces (Arrow) and value sizes of column ``index`` after the head."""
    array = rows.tail_array(index)
    if name in _INT_TYPES and pa.types.is_integer(array.type):
        return long_pieces(array), sizes_of(array, 8, NULL_SIZE)
    if name in _BOOL_TYPES and pa.types.is_boolean(array.type):
        return bool_pieces(array), sizes_of(array, 1, NULL_SIZE)
    texts = _text_array(index, name, rows)
    if texts is not None:
        pieces = string_pieces(texts, plain=name in _UNQUOTED_TYPES)
        if pieces is not None:
            return pieces, sizes_of(texts, None, NULL_SIZE)
        written, sizes = _json_column(name, (), texts.to_pylist())
        return to_pieces(written), sizes
    # Doubles (Python's repr is their JSON text) and anything else: value by value.
    written, sizes = _json_column(name, rows.tail_values(index))
    return to_pieces(written), sizes


def _tail_csv(index: int, name: str, rows: ColumnarRows) -> tuple[Any, list[int] | int]:
    """CSV fields (Arrow) and value sizes of column ``index`` after the head."""
    array = rows.tail_array(index)
    if name in _INT_TYPES and pa.types.is_integer(array.type):
        fields, texts = csv_ints(array)
        return fields, sizes_of(texts, None, NULL_SIZE)
    if name in _BOOL_TYPES and pa.types.is_boolean(array.type):
        fields, texts = csv_bools(array)
        return fields, sizes_of(texts, None, NULL_SIZE)
    texts = _text_array(index, name, rows)
    if texts is not None:
        written = csv_texts(texts) if name in _UNQUOTED_TYPES else csv_strings(texts)
        if written is not None:
            return written, sizes_of(texts, None, NULL_SIZE)
        quoted, sizes = _csv_column(name, (), texts.to_pylist())
        return to_text_pieces(quoted), sizes
    quoted, sizes = _csv_column(name, rows.tail_values(index))
    return to_text_pieces(quoted), sizes
