"""Encoding of engine results into the Data API's wire forms.

Values (see :mod:`.engines.base` for the Python type each engine returns):

==========================  ===============================================
typeName                    Field member / text form
==========================  ===============================================
int2, int4, int8            ``longValue``
float4, float8              ``doubleValue`` (text: Python's shortest repr,
                            ``NaN``, ``Infinity``, ``-Infinity``)
bool                        ``booleanValue`` (text: ``true`` / ``false``)
numeric                     ``stringValue``, plain decimal text, no exponent
date                        ``YYYY-MM-DD``
time                        ``HH:MM:SS[.ffffff]`` (trailing fraction zeros trimmed)
timetz                      ``HH:MM:SS[.ffffff]+HH[:MM]``
timestamp                   ``YYYY-MM-DD HH:MM:SS[.ffffff]`` (space, trimmed)
timestamptz                 the timestamp in UTC followed by ``+00``
interval                    engine text, or ``N days HH:MM:SS[.ffffff]``
super                       JSON text
varbyte                     lowercase hex of the bytes (Redshift prints
                            VARBYTE as hex; it is not sent as ``blobValue``)
geometry                    hex EWKB text
anything else               ``stringValue`` with ``str(value)``
NULL                        ``isNull: true`` (CSV: empty unquoted field)
==========================  ===============================================

CSV (``ResultFormat='CSV'``, read with GetStatementResultV2): each page is one
``{"CSVRecords": text}`` chunk holding whole rows.  Rows end with ``\\n``; fields
are separated by ``,`` and use the text forms above.  There is NO header row
(ColumnMetadata names the columns).  RFC 4180 quoting: a field containing
``,``, ``"``, CR or LF is wrapped in double quotes with inner quotes doubled;
the empty string is written ``""``; NULL is an empty, unquoted field.  The
row ``1, NULL, '', 'a"b', 'x,y'`` is the line ``1,,"","a""b","x,y"``.

Paging rule: a page holds whole rows and closes as soon as its weight reaches
``page_size_bytes`` (default :data:`DEFAULT_PAGE_SIZE_BYTES`, 1 MiB).  A row's
weight is the size of its values plus a framing allowance per field (16 bytes
in JSON, 1 byte in CSV).  A value's size is the UTF-8 length of its text form,
except in JSON where a long or double counts 8 bytes and a boolean 1; NULL
counts 4.  A 100,000-row result of a few columns thus spans
several pages, as with the real service.  The same value sizes (without
framing) make up ``ResultSize`` and are checked against the 64 KB row limit and
the result cap.
"""

from __future__ import annotations

import bisect
import datetime as dt
import decimal
import json
import math
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import Any

from ..._core.limits import DEFAULT_RESULT_CAP_BYTES, MAX_ROW_BYTES
from ..engines.base import ColumnarRows, ColumnInfo
from ..response_json import RawJSON
from .json_fields import (
    bool_fields,
    double_fields,
    json_page,
    long_fields,
    null_positions,
    string_fields,
)

__all__ = [
    "CSV_FIELD_FRAMING",
    "DEFAULT_PAGE_SIZE_BYTES",
    "JSON_FIELD_FRAMING",
    "NULL_SIZE",
    "EncodedResult",
    "ResultLimitError",
    "ResultLimits",
    "bool_text",
    "column_metadata",
    "date_text",
    "default_text",
    "encode_result",
    "float_text",
    "geometry_text",
    "int_text",
    "interval_text",
    "numeric_text",
    "super_text",
    "text_encoder",
    "time_text",
    "timestamp_text",
    "timestamptz_text",
    "timetz_text",
    "varbyte_text",
]

#: Default byte budget of one result page (see the module docstring); the
#: service does not document its own, so this is the local endpoint's choice.
DEFAULT_PAGE_SIZE_BYTES = 1024 * 1024

JSON_FIELD_FRAMING = 16
CSV_FIELD_FRAMING = 1
NULL_SIZE = 4

_UTC = dt.timezone.utc


class ResultLimitError(Exception):
    """A result broke a Data API limit; the statement FAILS with this message."""


@dataclass(frozen=True)
class ResultLimits:
    """How results are cut into pages and how big they may be (bytes)."""

    page_size_bytes: int = DEFAULT_PAGE_SIZE_BYTES
    row_limit_bytes: int = MAX_ROW_BYTES
    result_cap_bytes: int = DEFAULT_RESULT_CAP_BYTES


# -- text forms ---------------------------------------------------------------


def _trim_fraction(text: str) -> str:
    if "." in text:
        return text.rstrip("0").rstrip(".")
    return text


def _offset_text(offset: dt.timedelta | None) -> str:
    if offset is None:
        return "+00"
    total = int(offset.total_seconds())
    sign = "-" if total < 0 else "+"
    total = abs(total)
    hours, rest = divmod(total, 3600)
    minutes = rest // 60
    return f"{sign}{hours:02d}" + (f":{minutes:02d}" if minutes else "")


def float_text(value: Any) -> str:
    """Text form of a float4/float8."""
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return repr(number)


def numeric_text(value: Any) -> str:
    """Plain decimal text, never in exponent form."""
    if isinstance(value, decimal.Decimal):
        if value.is_nan():
            return "NaN"
        if value.is_infinite():
            return "Infinity" if value > 0 else "-Infinity"
        return format(value, "f")
    if isinstance(value, float):
        return format(decimal.Decimal(repr(value)), "f")
    return str(value)


def date_text(value: Any) -> str:
    """``YYYY-MM-DD``."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def time_text(value: Any) -> str:
    """``HH:MM:SS[.ffffff]`` (naive)."""
    if isinstance(value, dt.time):
        return _trim_fraction(value.replace(tzinfo=None).isoformat())
    return str(value)


def timetz_text(value: Any) -> str:
    """``HH:MM:SS[.ffffff]+HH[:MM]``."""
    if isinstance(value, dt.time):
        return _trim_fraction(value.replace(tzinfo=None).isoformat()) + _offset_text(
            value.utcoffset()
        )
    return str(value)


def timestamp_text(value: Any) -> str:
    """``YYYY-MM-DD HH:MM:SS[.ffffff]`` (naive)."""
    if isinstance(value, dt.datetime):
        return _trim_fraction(value.replace(tzinfo=None).isoformat(sep=" "))
    if isinstance(value, dt.date):
        return value.isoformat() + " 00:00:00"
    return str(value)


def timestamptz_text(value: Any) -> str:
    """The instant in UTC as ``YYYY-MM-DD HH:MM:SS[.ffffff]+00``."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_UTC)
        return _trim_fraction(value.replace(tzinfo=None).isoformat(sep=" ")) + "+00"
    return str(value)


def interval_text(value: Any) -> str:
    """Engine text as is; a timedelta as ``[N day[s] ]HH:MM:SS[.ffffff]``."""
    if not isinstance(value, dt.timedelta):
        return str(value)
    negative = value < dt.timedelta(0)
    if negative:
        value = -value
    days = value.days
    seconds = value.seconds
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    if value.microseconds:
        clock = _trim_fraction(f"{clock}.{value.microseconds:06d}")
    sign = "-" if negative else ""
    if days:
        text = f"{sign}{days} day{'s' if days != 1 else ''}"
        if seconds or value.microseconds:
            text += f" {sign}{clock}"
        return text
    return sign + clock


def super_text(value: Any) -> str:
    """JSON text."""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), default=str)


def varbyte_text(value: Any) -> str:
    """Lowercase hex of the bytes."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)


def geometry_text(value: Any) -> str:
    """Hex EWKB (uppercase, as Redshift and PostGIS print it)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex().upper()
    return str(value)


def default_text(value: Any) -> str:
    """``str(value)``; bytes as hex."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def bool_text(value: Any) -> str:
    """``true`` / ``false``."""
    return "true" if value else "false"


def int_text(value: Any) -> str:
    """Decimal digits."""
    return str(int(value))


_INT_TYPES = {"int2", "int4", "int8", "smallint", "integer", "bigint", "int"}
_FLOAT_TYPES = {"float4", "float8", "real", "double precision", "float"}
_BOOL_TYPES = {"bool", "boolean"}

_TEXT_BY_TYPE: dict[str, Callable[[Any], str]] = {
    "numeric": numeric_text,
    "decimal": numeric_text,
    "date": date_text,
    "time": time_text,
    "timetz": timetz_text,
    "timestamp": timestamp_text,
    "timestamptz": timestamptz_text,
    "interval": interval_text,
    "super": super_text,
    "varbyte": varbyte_text,
    "geometry": geometry_text,
    "geography": geometry_text,
}
# Types whose text never needs CSV quoting (no comma, quote, CR/LF, never empty)
# nor JSON escaping (no quote, backslash or control character).
_UNQUOTED_TYPES = {
    "numeric",
    "decimal",
    "date",
    "time",
    "timetz",
    "timestamp",
    "timestamptz",
    "varbyte",
    "geometry",
    "geography",
}


def text_encoder(type_name: str) -> Callable[[Any], str]:
    """The function giving ``type_name``'s text form (stringValue and CSV)."""
    name = type_name.lower()
    if name in _INT_TYPES:
        return int_text
    if name in _FLOAT_TYPES:
        return float_text
    if name in _BOOL_TYPES:
        return bool_text
    return _TEXT_BY_TYPE.get(name, default_text)


def column_metadata(column: ColumnInfo) -> dict[str, Any]:
    """ColumnInfo -> the Data API's ColumnMetadata dict."""
    meta: dict[str, Any] = {
        "isCaseSensitive": bool(column.is_case_sensitive),
        "isCurrency": bool(column.is_currency),
        "isSigned": bool(column.is_signed),
        "label": column.label if column.label is not None else column.name,
        "name": column.name,
        "nullable": int(column.nullable),
        "precision": int(column.precision),
        "scale": int(column.scale),
        "schemaName": column.schema_name or "",
        "tableName": column.table_name or "",
        "typeName": column.type_name,
        "length": int(column.length),
    }
    if column.column_default is not None:
        meta["columnDefault"] = column.column_default
    return meta


# -- whole results --------------------------------------------------------------


@dataclass
class EncodedResult:
    """A statement's result, encoded and cut into pages once, when the statement ends.

    ``pages`` holds each page's records as they go into the response: for
    JSON the Records array already written as JSON (:class:`RawJSON`), for
    CSV the page's text.  A kept result is a few large objects, not a Field
    dict per value: the endpoint keeps results for their retention time, and
    a 100,000 x 8 result's Field dicts (172 MB, and a tracked row list each)
    made every later statement of the process slower to encode (0.27 s, then
    0.67 s once six such results were kept), where its written pages take
    22 MB.
    """

    column_metadata: list[dict[str, Any]]
    result_format: str
    pages: list[RawJSON | str]
    total_rows: int
    size_bytes: int = 0

    def page_records(self, index: int) -> RawJSON | list[dict[str, str]]:
        """The Records of page ``index`` (JSON: the written array; CSV: one chunk)."""
        page = self.pages[index]
        if isinstance(page, RawJSON):
            return page
        return [{"CSVRecords": page}] if page else []


def _row_too_large(size: int, row_limit: int) -> ResultLimitError:
    return ResultLimitError(
        f"Packet for query is too large: a result row is {size} bytes, over the Data API "
        f"limit of {row_limit} bytes ({row_limit // 1024} KB) per row. Select fewer or "
        "smaller columns."
    )


def _cap_exceeded(cap: int) -> ResultLimitError:
    return ResultLimitError(
        f"Database response exceeded size limit: the result is over {cap} bytes "
        f"({cap / (1024 * 1024):g} MB), the Data API's limit. Use LIMIT to fetch it in parts, "
        "or UNLOAD it."
    )


def _quote_csv(text: str) -> str:
    if not text:
        return '""'
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


_PLAIN_STRING_TYPES = {"varchar", "char", "bpchar", "text", "name", "character varying",
                       "character", "string"}  # fmt: skip


def _texts(type_name: str, values: Sequence[Any]) -> list[str | None]:
    """Text forms of one column's values (None stays None)."""
    name = type_name.lower()
    if name in _PLAIN_STRING_TYPES:
        return [v if v is None or type(v) is str else default_text(v) for v in values]
    column_texts = _COLUMN_TEXTS.get(name)
    if column_texts is not None:
        return column_texts(values)
    text_of = text_encoder(name)
    return [None if v is None else text_of(v) for v in values]


# Column-wise forms of the commonest engine values.  A column of one exact
# type takes ``map`` over the C method (no Python frame per value); a mixed
# column takes a loop in which any other value (None, an aware datetime, a
# subclass, text) takes the per-value function, so each text is exactly that
# function's.

_TZINFO = operator.attrgetter("tzinfo")
_MICROSECOND = operator.attrgetter("microsecond")


def _all_of_type(values: Sequence[Any], cls: type) -> bool:
    return set(map(type, values)) == {cls}


def _timestamp_texts(values: Sequence[Any]) -> list[str | None]:
    naive = dt.datetime
    if _all_of_type(values, naive) and not any(map(_TZINFO, values)):
        texts = list(map(naive.isoformat, values, repeat(" ")))
        if any(map(_MICROSECOND, values)):
            # A fraction has six digits, one of them not 0: the trim stops before the dot.
            return [text.rstrip("0") if "." in text else text for text in texts]
        return texts  # type: ignore[return-value]
    out: list[str | None] = []
    append = out.append
    for v in values:
        if v.__class__ is naive and v.tzinfo is None:
            text = v.isoformat(" ")
            append(text.rstrip("0") if v.microsecond else text)
        else:
            append(None if v is None else timestamp_text(v))
    return out


def _date_texts(values: Sequence[Any]) -> list[str | None]:
    date = dt.date
    if _all_of_type(values, date):
        return list(map(date.isoformat, values))
    return [
        v.isoformat() if v.__class__ is date else None if v is None else date_text(v)
        for v in values
    ]


def _numeric_texts(values: Sequence[Any]) -> list[str | None]:
    number = decimal.Decimal
    if _all_of_type(values, number) and all(map(number.is_finite, values)):
        return list(map(format, values, repeat("f")))
    out: list[str | None] = []
    append = out.append
    for v in values:
        if v.__class__ is number and v.is_finite():
            append(format(v, "f"))
        else:
            append(None if v is None else numeric_text(v))
    return out


_COLUMN_TEXTS: dict[str, Callable[[Sequence[Any]], list[str | None]]] = {
    "timestamp": _timestamp_texts,
    "date": _date_texts,
    "numeric": _numeric_texts,
    "decimal": _numeric_texts,
}


def _sizes(texts: list[str | None]) -> list[int]:
    """The UTF-8 length of each text; NULL_SIZE for None."""
    nulls = null_positions(texts)
    filled: list[str] = [t or "" for t in texts] if nulls else texts  # type: ignore[assignment]
    if "".join(filled).isascii():  # one check for the column, then len() at C speed
        sizes = list(map(len, filled))
    else:
        sizes = [len(t) if t.isascii() else len(t.encode("utf-8")) for t in filled]
    for index in nulls:
        sizes[index] = NULL_SIZE
    return sizes


def _fixed_sizes(values: Sequence[Any], size: int) -> list[int] | int:
    """``size`` for every value (as one int when there is no NULL); NULL_SIZE for None."""
    nulls = null_positions(values)
    if not nulls:
        return size
    sizes = [size] * len(values)
    for index in nulls:
        sizes[index] = NULL_SIZE
    return sizes


def _json_column(
    type_name: str, values: Sequence[Any], texts: list[str | None] | None = None
) -> tuple[list[bytes], list[int] | int]:
    """One column's Field unions, written as JSON, and its value sizes.

    ``texts``: the column's text forms when they are already written (then
    ``values`` is not read); a text column's are otherwise written here.
    """
    name = type_name.lower()
    if name in _INT_TYPES:
        return long_fields(values), _fixed_sizes(values, 8)
    if name in _FLOAT_TYPES:
        return double_fields(values), _fixed_sizes(values, 8)
    if name in _BOOL_TYPES:
        return bool_fields(values), _fixed_sizes(values, 1)
    if texts is None:
        texts = _texts(name, values)
    return string_fields(texts), _sizes(texts)


def _csv_column(
    type_name: str, values: Sequence[Any], texts: list[str | None] | None = None
) -> tuple[list[str], list[int]]:
    """One column's CSV fields (quoted where needed) and value sizes (``texts``: as for JSON)."""
    if texts is None:
        texts = _texts(type_name, values)
    sizes = _sizes(texts)
    encoder = text_encoder(type_name)
    if type_name.lower() in _UNQUOTED_TYPES or encoder in (int_text, float_text, bool_text):
        return ["" if t is None else t for t in texts], sizes
    return ["" if t is None else _quote_csv(t) for t in texts], sizes


def encode_result(
    columns: Sequence[ColumnInfo],
    rows: Iterable[Sequence[Any]],
    result_format: str = "JSON",
    *,
    page_size_bytes: int = DEFAULT_PAGE_SIZE_BYTES,
    row_limit_bytes: int = MAX_ROW_BYTES,
    result_cap_bytes: int = DEFAULT_RESULT_CAP_BYTES,
) -> EncodedResult:
    """Encode a result in ``result_format`` ("JSON" or "CSV") and cut it into pages.

    Raises :class:`ResultLimitError` for a row over ``row_limit_bytes`` or a
    result over ``result_cap_bytes``.
    """
    metadata = [column_metadata(column) for column in columns]
    ncols = len(columns)
    csv = result_format == "CSV"
    limits = ResultLimits(page_size_bytes, row_limit_bytes, result_cap_bytes)
    if isinstance(rows, ColumnarRows) and ncols:
        from .arrow_pages import encode_columnar  # pyarrow: the engine's result is Arrow

        return encode_columnar(columns, rows, result_format, metadata, limits)
    row_list = rows if isinstance(rows, list) else list(rows)
    encode_column: Callable[[str, Sequence[Any]], tuple[list[Any], list[int] | int]] = (
        _csv_column if csv else _json_column
    )
    encoded_columns: list[list[Any]] = []
    size_columns: list[list[int] | int] = []
    for column, values in zip(columns, _by_column(row_list, ncols), strict=True):
        encoded, sizes = encode_column(column.type_name, values)
        encoded_columns.append(encoded)
        size_columns.append(sizes)
    row_sizes = _row_sizes(size_columns, len(row_list))
    framing = (CSV_FIELD_FRAMING if csv else JSON_FIELD_FRAMING) * ncols
    pages, total = _cut_pages(row_sizes, framing, limits)
    write: Callable[[list[list[Any]], int, int], RawJSON | str] = _csv_page if csv else json_page
    written = [write(encoded_columns, start, end) for start, end in pages]
    return EncodedResult(metadata, result_format, written, len(row_sizes), total)


def _by_column(row_list: list[Sequence[Any]], ncols: int) -> list[Sequence[Any]]:
    """The rows' values column by column (one comprehension per column is several times
    faster than a function call per value)."""
    if not row_list:
        return [() for _ in range(ncols)]
    by_column: list[Sequence[Any]] = list(zip(*row_list, strict=True))
    if len(by_column) != ncols:
        raise ValueError(f"rows have {len(by_column)} values, but there are {ncols} columns")
    return by_column


def _row_sizes(size_columns: list[list[int] | int], count: int) -> list[int]:
    """Each row's size: the sum of its values' sizes (an int column is the same for all rows)."""
    fixed = sum(sizes for sizes in size_columns if isinstance(sizes, int))
    varying = [sizes for sizes in size_columns if not isinstance(sizes, int)]
    if not varying:
        return [fixed] * count
    total = varying[0]
    for sizes in varying[1:]:
        total = list(map(operator.add, total, sizes))
    return list(map(fixed.__add__, total)) if fixed else total


def _cut_pages(
    row_sizes: list[int], framing: int, limits: ResultLimits
) -> tuple[list[tuple[int, int]], int]:
    """The ``[start, end)`` row ranges of the pages, and the result's size.

    A page closes after the first row that brings its weight (sizes plus
    ``framing`` per row) to ``page_size_bytes``; the ends are found by bisection
    on the running sizes, not row by row.  Raises for the first row over the
    row limit, or the row that takes the running total over the cap, whichever
    comes first (the row limit first on the same row).
    """
    count = len(row_sizes)
    running = list(accumulate(row_sizes, initial=0))  # running[k]: size of rows [0, k)
    total = running[-1]
    big = next((i for i, size in enumerate(row_sizes) if size > limits.row_limit_bytes), None)
    over = (
        bisect.bisect_right(running, limits.result_cap_bytes) - 1
        if total > limits.result_cap_bytes
        else None
    )
    if big is not None and (over is None or big <= over):
        raise _row_too_large(row_sizes[big], limits.row_limit_bytes)
    if over is not None:
        raise _cap_exceeded(limits.result_cap_bytes)

    def weight(end: int) -> int:  # weight of rows [0, end)
        return running[end] + framing * end

    pages: list[tuple[int, int]] = []
    start = 0
    while start < count:
        target = weight(start) + limits.page_size_bytes
        end = bisect.bisect_left(range(count + 1), target, lo=start + 1, key=weight)
        end = min(end, count)
        pages.append((start, end))
        start = end
    if not pages:
        pages.append((0, 0))
    return pages, total


def _page_rows(encoded_columns: list[list[Any]], start: int, end: int) -> Iterator[tuple[Any, ...]]:
    """The encoded values of rows ``[start, end)``, row by row."""
    return zip(*(column[start:end] for column in encoded_columns), strict=True)


def _csv_page(encoded_columns: list[list[str]], start: int, end: int) -> str:
    """The CSV text of rows ``[start, end)``."""
    if not encoded_columns:
        return "\n" * (end - start)
    return "".join([",".join(parts) + "\n" for parts in _page_rows(encoded_columns, start, end)])
