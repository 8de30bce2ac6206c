"""Redshift typeNames -> Python values, PEP 249 type objects and constructors.

Conversion is keyed on the ``typeName`` of each result column (ColumnMetadata).
A converter is a function from the value's *text form* (what the Data API puts
in ``stringValue``, or the CSV field) to a Python value.  Built in:

==========================  ======================================
typeName                    Python value
==========================  ======================================
int2, int4, int8            int
float4, float8              float
numeric                     decimal.Decimal (full precision/scale)
bool                        bool
date                        datetime.date
time / timetz               datetime.time (naive / aware)
timestamp                   datetime.datetime (naive)
timestamptz                 datetime.datetime (aware; UTC if no offset)
super                       str (parsed JSON with ``parse_super=True``)
varbyte                     bytes (hex text or ``blobValue``)
anything else               str, never an error
==========================  ======================================

Fractional seconds of any length parse (digits past microseconds are
truncated).  A value the converter cannot parse (e.g. ``infinity`` for a
timestamp) comes back as its text rather than failing the fetch.

Register your own with :func:`register_converter` (every connection) or
``connect(converters={...})`` (one connection).  For int, float and bool
columns the JSON path receives native ``longValue``/``doubleValue``/
``booleanValue`` members; a user converter for those types gets their
canonical text (``str(int)``, ``repr(float)``, ``"true"``/``"false"``) so
that it sees the same input on the JSON and CSV paths.

Speed: converters are resolved once per result (a list, one per column), and
each row is converted with ``map`` over that list, never by looking up a
type per value.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import time as _time
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

__all__ = [
    "BINARY",
    "DATETIME",
    "NUMBER",
    "ROWID",
    "STRING",
    "Binary",
    "Converter",
    "DBAPITypeObject",
    "Date",
    "DateFromTicks",
    "DescriptionItem",
    "Time",
    "TimeFromTicks",
    "Timestamp",
    "TimestampFromTicks",
    "build_description",
    "call",
    "csv_converters",
    "identity",
    "json_converters",
    "register_converter",
    "resolve_converters",
    "unregister_converter",
]

Converter = Callable[[str], Any]

#: A PEP 249 description entry.
DescriptionItem = tuple[str, str, int | None, int | None, int | None, int | None, bool | None]


class DBAPITypeObject:
    """A PEP 249 type object: equal to every typeName of its family."""

    def __init__(self, name: str, *type_names: str) -> None:
        self.name = name
        self.values = frozenset(type_names)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DBAPITypeObject):
            return self is other
        if isinstance(other, str):
            # type_code may carry a modifier: "numeric(12,2)" is a NUMBER.
            return other.lower().partition("(")[0] in self.values
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"<DBAPITypeObject {self.name}>"


STRING = DBAPITypeObject(
    "STRING",
    "char",
    "bpchar",
    "varchar",
    "character varying",
    "character",
    "nchar",
    "nvarchar",
    "text",
    "name",
    "super",
    "geometry",
    "geography",
    "hllsketch",
    "interval",
    "intervaly2m",
    "intervald2s",
)
BINARY = DBAPITypeObject("BINARY", "varbyte", "varbinary", "binary varying", "bytea")
NUMBER = DBAPITypeObject(
    "NUMBER",
    "int2",
    "int4",
    "int8",
    "smallint",
    "integer",
    "int",
    "bigint",
    "float4",
    "float8",
    "real",
    "double precision",
    "float",
    "numeric",
    "decimal",
    "bool",
    "boolean",
)
DATETIME = DBAPITypeObject(
    "DATETIME",
    "date",
    "time",
    "timetz",
    "timestamp",
    "timestamptz",
    "time without time zone",
    "time with time zone",
    "timestamp without time zone",
    "timestamp with time zone",
)
ROWID = DBAPITypeObject("ROWID", "oid", "rowid")

# PEP 249 constructors.
Date = _dt.date
Time = _dt.time
Timestamp = _dt.datetime


def DateFromTicks(ticks: float) -> _dt.date:
    """The local date of a POSIX timestamp."""
    return Date(*_time.localtime(ticks)[:3])


def TimeFromTicks(ticks: float) -> _dt.time:
    """The local time of day of a POSIX timestamp."""
    return Time(*_time.localtime(ticks)[3:6])


def TimestampFromTicks(ticks: float) -> _dt.datetime:
    """The local date and time of a POSIX timestamp."""
    return Timestamp(*_time.localtime(ticks)[:6])


def Binary(value: bytes | bytearray | memoryview | str) -> bytes:
    """A binary (varbyte) value."""
    if isinstance(value, str):
        return value.encode("utf-8")
    return bytes(value)


# --- text converters -------------------------------------------------------


def _to_bool(text: str) -> bool:
    return text.lower() in ("true", "t", "1", "yes", "y", "on")


def _to_date(text: str) -> Any:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        return text  # e.g. 'infinity' or BC dates: keep the text rather than fail


# Python 3.11's fromisoformat reads any fraction length and "+00" offsets; older
# ones do not, so a value they refuse is normalised and tried once more.
_ISO_TAIL = re.compile(
    r"(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?$"
)


def _normalized_iso(text: str) -> str | None:
    match = _ISO_TAIL.search(text)
    if match is None:
        return None
    hms, fraction, sign, hours, minutes, seconds = match.groups()
    out = text[: match.start()] + hms
    if fraction:
        out += "." + (fraction + "000000")[:6]
    if sign:
        out += f"{sign}{hours}:{minutes or '00'}" + (f":{seconds}" if seconds else "")
    return out


def _parse_iso(parse: Callable[[str], Any], text: str) -> Any:
    try:
        return parse(text)
    except ValueError:
        normalized = _normalized_iso(text)
        if normalized is not None and normalized != text:
            try:
                return parse(normalized)
            except ValueError:
                pass
        return text  # 'infinity', BC dates...: the text rather than a failed fetch


def _to_time(text: str) -> Any:
    return _parse_iso(_dt.time.fromisoformat, text)


def _to_timestamp(text: str) -> Any:
    return _parse_iso(_dt.datetime.fromisoformat, text)


def _to_timestamptz(text: str) -> Any:
    value = _parse_iso(_dt.datetime.fromisoformat, text)
    if isinstance(value, _dt.datetime) and value.tzinfo is None:
        # Redshift always sends an offset; a bare value is UTC by its definition.
        return value.replace(tzinfo=_dt.timezone.utc)
    return value


def _to_bytes(text: str) -> bytes:
    if text.startswith(("\\x", "0x")):
        text = text[2:]
    try:
        return bytes.fromhex(text)
    except ValueError:
        return text.encode("utf-8")


def _to_decimal(text: str) -> Decimal:
    return Decimal(text)


def _to_float(text: str) -> float:
    return float(text)


_BUILTIN: dict[str, Converter] = {}
for _names, _conv in (
    (("int2", "int4", "int8", "smallint", "integer", "int", "bigint", "oid"), int),
    (("float4", "float8", "real", "double precision", "float"), _to_float),
    (("numeric", "decimal"), _to_decimal),
    (("bool", "boolean"), _to_bool),
    (("date",), _to_date),
    (("time", "timetz", "time without time zone", "time with time zone"), _to_time),
    (("timestamp", "timestamp without time zone"), _to_timestamp),
    (("timestamptz", "timestamp with time zone"), _to_timestamptz),
    (("varbyte", "varbinary", "binary varying", "bytea"), _to_bytes),
):
    for _name in _names:
        _BUILTIN[_name] = _conv

# The JSON Field member the service uses for a type's non-NULL values when it is
# not stringValue.
_NATIVE_MEMBER: dict[str, str] = {}
for _name in ("int2", "int4", "int8", "smallint", "integer", "int", "bigint"):
    _NATIVE_MEMBER[_name] = "longValue"
for _name in ("float4", "float8", "real", "double precision", "float"):
    _NATIVE_MEMBER[_name] = "doubleValue"
for _name in ("bool", "boolean"):
    _NATIVE_MEMBER[_name] = "booleanValue"

_USER: dict[str, Converter] = {}


def register_converter(type_name: str, func: Converter) -> None:
    """Convert values of ``type_name`` with ``func(text)`` on every connection.

    ``type_name`` is the Data API typeName (case-insensitive), e.g. ``"numeric"``.
    """
    if not isinstance(type_name, str) or not type_name:
        raise TypeError("register_converter: type_name must be a non-empty str")
    if not callable(func):
        raise TypeError(f"register_converter: converter for {type_name!r} is not callable")
    _USER[type_name.lower()] = func


def unregister_converter(type_name: str) -> None:
    """Undo :func:`register_converter` for ``type_name`` (back to the built-in)."""
    _USER.pop(type_name.lower(), None)


def identity(text: str) -> str:
    """The converter of text types (and unknown ones): the text itself."""
    return text


try:
    from operator import call  # Python 3.11+: no Python frame per value
except ImportError:  # pragma: no cover - Python 3.10

    def call(func: Callable[[Any], Any], value: Any) -> Any:  # type: ignore[misc]
        """Apply one converter to one value (``map(call, converters, row)``)."""
        return func(value)


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def resolve_converters(
    type_names: Sequence[str],
    overrides: Mapping[str, Converter] | None = None,
    parse_super: bool = False,
) -> list[tuple[Converter, bool]]:
    """(converter, user_defined) for each column's typeName."""
    out: list[tuple[Converter, bool]] = []
    for raw in type_names:
        name = (raw or "").lower()
        if overrides and name in overrides:
            out.append((overrides[name], True))
        elif name in _USER:
            out.append((_USER[name], True))
        elif name == "super" and parse_super:
            out.append((_parse_json, False))
        else:
            out.append((_BUILTIN.get(name, identity), False))
    return out


def _native_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _field_fallback(field: Mapping[str, Any], conv: Converter, user: bool) -> Any:
    """A Field whose member is not the one expected for its column."""
    if field.get("isNull"):
        return None
    for member, value in field.items():
        if member == "isNull":
            continue
        if member == "stringValue":
            return conv(value)
        if member == "blobValue":
            return value if conv is _to_bytes and not user else conv(value.hex())
        if member == "arrayValue":
            return value
        return conv(_native_text(value)) if user else value
    return None


FieldConverter = Callable[[Mapping[str, Any]], Any]


def _field_converter(type_name: str, conv: Converter, user: bool) -> FieldConverter:
    member = _NATIVE_MEMBER.get((type_name or "").lower())
    if member is not None and not user:

        def native(field: Mapping[str, Any]) -> Any:
            try:
                return field[member]
            except KeyError:
                return _field_fallback(field, conv, user)

        return native
    if conv is identity:

        def text(field: Mapping[str, Any]) -> Any:
            try:
                return field["stringValue"]
            except KeyError:
                return _field_fallback(field, conv, user)

        return text

    def converted(field: Mapping[str, Any]) -> Any:
        try:
            value = field["stringValue"]
        except KeyError:
            return _field_fallback(field, conv, user)
        return conv(value)

    return converted


def json_converters(
    type_names: Sequence[str],
    overrides: Mapping[str, Converter] | None = None,
    parse_super: bool = False,
) -> list[FieldConverter]:
    """One converter per column taking a JSON ``Field`` dict."""
    resolved = resolve_converters(type_names, overrides, parse_super)
    return [
        _field_converter(name, conv, user)
        for name, (conv, user) in zip(type_names, resolved, strict=True)
    ]


def csv_converters(
    type_names: Sequence[str],
    overrides: Mapping[str, Converter] | None = None,
    parse_super: bool = False,
) -> list[Converter]:
    """One converter per column taking CSV text (never called for NULL)."""
    return [conv for conv, _user in resolve_converters(type_names, overrides, parse_super)]


def _int_or_none(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def build_description(column_metadata: Sequence[Mapping[str, Any]]) -> list[DescriptionItem]:
    """PEP 249 ``description`` from the Data API's ColumnMetadata.

    name = the column label (the alias) or name; type_code = typeName (compares
    equal to the type objects), with ``(precision,scale)`` appended for a
    numeric/decimal whose precision the service gives, as in
    ``numeric(12,2)``: pandas, polars and other readers of type_code then
    know it is an exact decimal (polars takes a bare ``numeric`` for a
    float); internal_size = declared length where the
    service gives one; precision/scale for numeric; null_ok from ``nullable``
    (0 no, 1 yes, otherwise unknown = None).
    """
    items: list[DescriptionItem] = []
    for col in column_metadata:
        type_name = str(col.get("typeName") or "")
        name = str(col.get("label") or col.get("name") or "")
        length = _int_or_none(col.get("length"))
        precision = _int_or_none(col.get("precision"))
        scale = _int_or_none(col.get("scale"))
        type_code = type_name
        if type_name.lower() not in ("numeric", "decimal"):
            scale = scale if scale else None
        elif precision:
            type_code = f"{type_name}({precision},{scale or 0})"
        nullable = col.get("nullable")
        null_ok = True if nullable == 1 else False if nullable == 0 else None
        items.append(
            (name, type_code, None, length if length else None, precision or None, scale, null_ok)
        )
    return items
