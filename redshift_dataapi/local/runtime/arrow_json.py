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

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from ..response_json import RawJSON
from .json_fields import NULL_FIELD

__all__ = ["bool_pieces", "json_pages", "long_pieces", "sizes_of", "string_pieces", "to_pieces"]

#: A character that JSON text must escape (orjson and the standard module agree on these).
_NEEDS_ESCAPE = r'["\\\x00-\x1f]'


def _filled(pieces: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    return pc.cast(pieces, pa.binary()).fill_null(pa.scalar(NULL_FIELD, pa.binary()))


def to_pieces(pieces: Sequence[bytes]) -> pa.Array:
    """Pieces written by :mod:`.json_fields` as an Arrow column."""
    return pa.array(pieces, pa.binary())


def long_pieces(array: pa.ChunkedArray) -> pa.ChunkedArray:
    """``{"longValue":n}`` for an integer column (Arrow's decimal digits are ``str(int)``)."""
    digits = pc.cast(array, pa.string())
    return _filled(pc.binary_join_element_wise('{"longValue":', digits, "}", ""))


def bool_pieces(array: pa.ChunkedArray) -> pa.ChunkedArray:
    """``{"booleanValue":true|false}`` for a boolean column."""
    true = pa.scalar(b'{"booleanValue":true}', pa.binary())
    false = pa.scalar(b'{"booleanValue":false}', pa.binary())
    return _filled(pc.if_else(array, true, false))


def string_pieces(texts: pa.ChunkedArray, *, plain: bool = False) -> pa.ChunkedArray | None:
    """``{"stringValue":"..."}`` per text; None when a text needs escaping.

    ``plain``: the texts are known to hold nothing to escape (the text forms of
    numbers, dates and times), so they are not searched.
    """
    if not plain and pc.any(pc.match_substring_regex(texts, _NEEDS_ESCAPE)).as_py():
        return None
    return _filled(pc.binary_join_element_wise('{"stringValue":"', texts, '"}', ""))


def sizes_of(array: pa.ChunkedArray, size: int | None, null_size: int) -> list[int] | int:
    """Each value's size: ``size`` (or, when None, the text's UTF-8 length); NULLs ``null_size``.

    One int when every value has the same size.
    """
    nulls = array.null_count
    if size is not None and not nulls:
        return size
    if size is not None:
        return pc.if_else(pc.is_null(array), null_size, size).to_pylist()  # type: ignore[no-any-return]
    return pc.fill_null(pc.binary_length(array), null_size).to_pylist()  # type: ignore[no-any-return]


def json_pages(
    field_columns: Sequence[pa.ChunkedArray | pa.Array], bounds: Sequence[tuple[int, int]]
) -> list[RawJSON]:
    """The Records array of each ``[start, end)`` row range, from the columns' pieces."""
    joined = pc.binary_join_element_wise(*field_columns, b",")
    rows = pc.binary_join_element_wise(b"[", joined, b"],", b"")
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
