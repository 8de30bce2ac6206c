"""JSON result pages of a large result written by Arrow kernels, from the engine's columns.

A :class:`~redshift_dataapi.local.engines.base.ColumnarRows` result's tail is
Arrow: its Field pieces (``{"longValue":1}``...) are built by Arrow's string
kernels for a whole column, a row is one more join, and a page is a slice of
the rows' joined bytes.  No Python object is made per value, except for
doubles (their JSON text is Python's ``repr``, which Arrow's casts do not
write) and for text that needs JSON escaping (a quote, a backslash, a control
character), which take :mod:`.json_fields`.  The pieces are byte for byte the
ones :mod:`.json_fields` writes with orjson; ``tests/unit/local/duckdb_engine/
test_columnar.py`` compares the pages.

pyarrow is imported by the caller's engine already (the ``local`` extra);
this module is only imported for such a result.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Sequence
from itertools import accumulate

import pyarrow as pa
import pyarrow.compute as pc

from ..response_json import RawJSON
from .json_fields import NULL_FIELD

__all__ = ["bool_pieces", "json_pages", "long_pieces", "sizes_of", "string_pieces", "to_pieces"]

#: A character that JSON text must escape (orjson and the standard module agree on these).
_NEEDS_ESCAPE = r'["\\\x00-\x1f]'


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


def _filled(pieces: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    return pc.cast(pieces, pa.large_binary()).fill_null(_NULL)


def _joined(prefix: bytes, texts: pa.ChunkedArray, suffix: bytes) -> pa.ChunkedArray:
    """``prefix + text + suffix`` per text (NULL stays NULL)."""
    binary = pc.cast(texts, pa.large_binary())
    return pc.binary_join_element_wise(
        _bytes_literal(prefix), binary, _bytes_literal(suffix), _EMPTY
    )


def to_pieces(pieces: Sequence[bytes]) -> pa.Array:
    """Pieces written by :mod:`.json_fields` as an Arrow column."""
    offsets = array("q", accumulate(map(len, pieces), initial=0))
    data = b"".join(pieces)
    buffers = [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data)]
    return pa.Array.from_buffers(pa.large_binary(), len(pieces), buffers)


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


def json_pages(
    field_columns: Sequence[pa.ChunkedArray | pa.Array], bounds: Sequence[tuple[int, int]]
) -> list[RawJSON]:
    """The Records array of each ``[start, end)`` row range, from the columns' pieces."""
    joined = pc.binary_join_element_wise(*field_columns, _bytes_literal(b","))
    rows = pc.binary_join_element_wise(_bytes_literal(b"["), joined, _bytes_literal(b"],"), _EMPTY)
    if isinstance(rows, pa.ChunkedArray):
        rows = rows.combine_chunks()
    offsets_buffer, data = rows.buffers()[1], rows.buffers()[2]
    offsets = memoryview(offsets_buffer).cast("q" if pa.types.is_large_binary(rows.type) else "i")
    view = memoryview(data) if data is not None else memoryview(b"")
    pages = []
    for start, end in bounds:
        if end <= start:
            pages.append(RawJSON(b"[]"))
            continue
        low, high = offsets[rows.offset + start], offsets[rows.offset + end]
        # Each row ends with "],"; the page drops the last comma.
        pages.append(RawJSON(b"[" + view[low : high - 1] + b"]"))
    return pages
