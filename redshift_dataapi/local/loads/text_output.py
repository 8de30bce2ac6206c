"""Rows as UNLOAD writes them in text: delimited, CSV, fixed-width and JSON lines.

Values are written in Redshift's text forms: booleans ``t``/``f``,
timestamps ``YYYY-MM-DD HH:MM:SS[.ffffff]`` (TIMESTAMPTZ with ``+00``),
decimals in plain notation, REAL with the shortest digits that read back
to the same value; NULL as the NULL AS string (default: empty).
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import struct
from collections.abc import Callable, Sequence
from typing import Any

from ..engines.base import ColumnInfo
from .options import UnloadCommand

__all__ = ["line_writer", "text_value", "with_reals_as_text"]


def _real(value: float) -> str:
    # A REAL arrives widened to a double (4.300000190734863): print the digits
    # of the 32-bit value, as Redshift does.
    packed = struct.pack("f", value)
    for digits in range(6, 10):
        text = f"{value:.{digits}g}"
        if struct.pack("f", float(text)) == packed:
            return text
    return repr(value)


def with_reals_as_text(
    rows: Sequence[Sequence[Any]], types: Sequence[str]
) -> Sequence[Sequence[Any]]:
    """``rows`` with every REAL already in its text form (Arrow prints them, in bulk).

    Printing a REAL's shortest digits value by value costs more than the rest
    of a row; Arrow's float32-to-string cast gives the same digits for a whole
    column at once.
    """
    reals = [i for i, t in enumerate(types) if t == "float4"]
    if not reals or not rows:
        return rows
    import pyarrow as pa

    columns = [list(column) for column in zip(*rows, strict=True)]
    for i in reals:
        columns[i] = pa.array(columns[i], pa.float32()).cast(pa.string()).to_pylist()
    return list(zip(*columns, strict=True))


def _real_text(value: Any) -> str:
    return value if isinstance(value, str) else _real(value)


def _timestamp(value: dt.datetime) -> str:
    if value.tzinfo is None:
        return value.isoformat(" ")
    return text_value(value, "timestamptz")


#: Formatters by typeName for the common types (the rest go through text_value).
_FORMATTERS: dict[str, Callable[[Any], str]] = {
    "int2": str,
    "int4": str,
    "int8": str,
    "float8": repr,
    "float4": _real_text,
    "numeric": lambda value: format(value, "f"),
    "bool": lambda value: "t" if value else "f",
    "date": dt.date.isoformat,
    "timestamp": _timestamp,
    "varchar": str,
    "bpchar": str,
    "text": str,
}


def formatter(type_name: str) -> Callable[[Any], str]:
    """The function writing non-NULL values of ``type_name`` in Redshift's text form."""
    fast = _FORMATTERS.get(type_name)
    if fast is not None:
        return fast
    return lambda value: text_value(value, type_name)


def text_value(value: Any, type_name: str) -> str:
    """``value`` (not NULL) in Redshift's text form."""
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, float):
        if type_name == "float4":
            return _real(value)
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        text = value.replace(tzinfo=None).isoformat(" ")
        if value.tzinfo is not None:
            offset = value.utcoffset() or dt.timedelta(0)
            hours, rest = divmod(int(offset.total_seconds()), 3600)
            text += f"{hours:+03d}" + (f":{rest // 60:02d}" if rest else "")
        return text
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)


def _json_value(value: Any, type_name: str) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, decimal.Decimal)):
        return text_value(value, type_name)
    if isinstance(value, float):
        return text_value(value, type_name) if value == value else "null"
    if type_name == "super" and isinstance(value, str):
        try:
            json.loads(value)
            return value
        except ValueError:
            pass
    return json.dumps(text_value(value, type_name))


def line_writer(
    command: UnloadCommand, names: Sequence[str], columns: Sequence[ColumnInfo]
) -> tuple[Callable[[Sequence[Any]], str], str | None]:
    """(function row -> one output line with its newline, header line or None)."""
    types = [c.type_name for c in columns]
    null_as = "" if command.null_as is None else command.null_as
    if command.format == "JSON":
        keys = [json.dumps(n) for n in names]

        def json_line(row: Sequence[Any]) -> str:
            members = (f"{k}:{_json_value(v, t)}" for k, v, t in zip(keys, row, types, strict=True))
            return "{" + ",".join(members) + "}\n"

        return json_line, None
    if command.fixed_width is not None:
        widths = [w for _, w in command.fixed_width]

        def fixed_line(row: Sequence[Any]) -> str:
            parts = []
            for value, type_name, width in zip(row, types, widths, strict=False):
                text = null_as if value is None else text_value(value, type_name)
                parts.append(text[:width].ljust(width))
            return "".join(parts) + "\n"

        return fixed_line, None
    if command.format == "CSV":
        return _csv_writer(command, names, types, null_as)
    return _delimited_writer(command, names, types, null_as)


def _csv_writer(
    command: UnloadCommand, names: Sequence[str], types: list[str], null_as: str
) -> tuple[Callable[[Sequence[Any]], str], str | None]:
    import csv

    formats = [formatter(t) for t in types]
    delimiter = command.delimiter or ","
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        quoting=csv.QUOTE_ALL if command.add_quotes else csv.QUOTE_MINIMAL,
        lineterminator="\n",
    )

    def csv_line(row: Sequence[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([null_as if v is None else f(v) for v, f in zip(row, formats, strict=True)])
        return buffer.getvalue()

    header = None
    if command.header:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(list(names))
        header = buffer.getvalue()
    return csv_line, header


def _delimited_writer(
    command: UnloadCommand, names: Sequence[str], types: list[str], null_as: str
) -> tuple[Callable[[Sequence[Any]], str], str | None]:
    formats = [formatter(t) for t in types]
    delimiter = command.delimiter or "|"
    specials = {"\\", "\n", "\r", delimiter}
    if command.add_quotes:
        specials |= {'"', "'"}

    plain = not command.escape and not command.add_quotes

    def field(text: str) -> str:
        if plain:
            return text
        if command.escape and any(ch in text for ch in specials):
            text = "".join("\\" + ch if ch in specials else ch for ch in text)
        return f'"{text}"' if command.add_quotes else text

    def delimited_line(row: Sequence[Any]) -> str:
        parts = [null_as if v is None else field(f(v)) for v, f in zip(row, formats, strict=True)]
        return delimiter.join(parts) + "\n"

    header = delimiter.join(field(n) for n in names) + "\n" if command.header else None
    return delimited_line, header
