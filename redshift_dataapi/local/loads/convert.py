"""From the text of a field to the value of a Redshift column, as COPY converts it.

:func:`column_converter` builds, per target column, a function from the
field's text (None: NULL) to the Python value the engine stores, following
COPY's rules: empty fields of non-character columns load NULL; EMPTYASNULL
and BLANKSASNULL turn empty (or blank) CHAR/VARCHAR fields into NULL;
lengths are counted in UTF-8 bytes (TRUNCATECOLUMNS cuts, otherwise error
1204); NUMERIC values with more decimals than the scale are truncated
(ROUNDEC rounds); invalid UTF-8 is refused (1220) unless ACCEPTINVCHARS
replaces each bad byte.  A bad value raises :class:`FieldError` with the
load error code and reason STL_LOAD_ERRORS shows.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
from collections.abc import Callable
from typing import Any

from ..engines.base import ColumnInfo
from .datetimes import date_parser, timestamp_parser
from .options import CopyCommand

__all__ = ["Converter", "FieldError", "column_converter"]

Converter = Callable[[str | None], Any]

_INT_RANGES = {
    "int2": (-(2**15), 2**15 - 1),
    "int4": (-(2**31), 2**31 - 1),
    "int8": (-(2**63), 2**63 - 1),
}
_TRUE = frozenset({"t", "true", "1", "y", "yes", "on"})
_FALSE = frozenset({"f", "false", "0", "n", "no", "off"})
_CHAR_TYPES = frozenset({"varchar", "char", "bpchar", "text", "character varying", "character"})
_INVALID_UTF8 = re.compile("[\udc80-\udcff]")
_TIME_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*$")


class FieldError(Exception):
    """A field that cannot be loaded: ``code`` and ``reason`` as STL_LOAD_ERRORS has them."""

    def __init__(self, code: int, reason: str, position: int = 0) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.position = position


def is_char_type(column: ColumnInfo) -> bool:
    """True for CHAR/VARCHAR/TEXT columns (the ones EMPTYASNULL and friends apply to)."""
    return column.type_name in _CHAR_TYPES


def column_converter(column: ColumnInfo, command: CopyCommand) -> Converter:
    """The converter of one target column under ``command``'s options."""
    kind = column.type_name
    if kind in _CHAR_TYPES:
        return _char(column, command)
    parse = _typed_parser(column, command)

    def convert(text: str | None) -> Any:
        if text is None or not text.strip():
            return None
        return parse(text)

    return convert


def _typed_parser(column: ColumnInfo, command: CopyCommand) -> Callable[[str], Any]:
    kind = column.type_name
    if kind in _INT_RANGES:
        return _integer(*_INT_RANGES[kind])
    if kind in ("float4", "float8", "real", "double precision"):
        return _float
    if kind == "numeric":
        return _numeric(column.precision or 18, column.scale, command.roundec)
    if kind == "bool":
        return _boolean
    if kind == "date":
        return _dated(date_parser(command.date_format), 1205, "Invalid Date Format", command)
    if kind in ("timestamp", "timestamptz"):
        parse = timestamp_parser(command.time_format, aware=kind == "timestamptz")
        return _dated(parse, 1206, "Invalid timestamp format", command)
    if kind in ("time", "timetz"):
        return _time
    if kind == "super":
        return _super
    return str


def _char(column: ColumnInfo, command: CopyCommand) -> Converter:
    limit = column.length if column.length > 0 else None
    replacement = command.accept_inv_chars
    kind = "bpchar" if column.type_name in ("char", "bpchar", "character") else "varchar"

    def convert(text: str | None) -> Any:
        if text is None:
            return None
        if command.trim_blanks:
            text = text.rstrip(" ")
        if text == "" and command.empty_as_null:
            return None
        if command.blanks_as_null and text.strip() == "":
            return None
        if _INVALID_UTF8.search(text):
            if replacement is None:
                raise FieldError(1220, "String contains invalid or unsupported UTF8 codepoints")
            text = _INVALID_UTF8.sub(replacement, text)
        if limit is not None:
            size = len(text.encode("utf-8"))
            if size > limit:
                if not command.truncate_columns:
                    raise FieldError(
                        1204, f"String length exceeds DDL length ({kind}({limit}), {size} bytes)"
                    )
                text = text.encode("utf-8")[:limit].decode("utf-8", "ignore")
        return text

    return convert


def _integer(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        stripped = text.strip()
        try:
            value = int(stripped)
        except ValueError:
            bad = next((i for i, ch in enumerate(stripped) if not (ch.isdigit() or ch in "+-")), 0)
            raise FieldError(
                1207,
                f"Invalid digit, Value '{stripped[bad : bad + 1]}', Pos {bad}, Type: Integer",
                bad,
            ) from None
        if not low <= value <= high:
            raise FieldError(1204, f"Overflow, Value '{stripped}', valid range {low} to {high}")
        return value

    return parse


def _float(text: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise FieldError(1208, f"Invalid float number, Value '{text.strip()}'") from None


def _numeric(precision: int, scale: int, roundec: bool) -> Callable[[str], decimal.Decimal]:
    quantum = decimal.Decimal(1).scaleb(-scale)
    rounding = decimal.ROUND_HALF_UP if roundec else decimal.ROUND_DOWN
    limit = decimal.Decimal(10) ** (precision - scale)

    def parse(text: str) -> decimal.Decimal:
        try:
            value = decimal.Decimal(text.strip())
        except decimal.InvalidOperation:
            raise FieldError(1209, f"Invalid decimal, Value '{text.strip()}'") from None
        if not value.is_finite():
            raise FieldError(1209, f"Invalid decimal, Value '{text.strip()}'")
        value = value.quantize(quantum, rounding=rounding)
        if abs(value) >= limit:
            raise FieldError(
                1204, f"Numeric data overflow (result precision), numeric({precision},{scale})"
            )
        return value

    return parse


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise FieldError(1210, f"Invalid boolean value, Value '{text.strip()}'")


def _dated(
    parse: Callable[[str], Any], code: int, reason: str, command: CopyCommand
) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        try:
            return parse(text)
        except (ValueError, OverflowError):
            if command.accept_any_date:
                return None
            raise FieldError(code, f"{reason}, Value '{text.strip()}'") from None

    return convert


def _time(text: str) -> dt.time:
    m = _TIME_RE.match(text)
    if m is None:
        raise FieldError(1216, f"Invalid time format, Value '{text.strip()}'")
    hour, minute, second, fraction = m.groups()
    try:
        return dt.time(
            int(hour), int(minute), int(second or 0), int((fraction or "").ljust(6, "0"))
        )
    except ValueError:
        raise FieldError(1216, f"Invalid time format, Value '{text.strip()}'") from None


def _super(text: str) -> str:
    try:
        json.loads(text)
    except ValueError:
        return json.dumps(text)  # a plain string becomes a SUPER string
    return text
