"""PEP 249 ``named`` parameters -> the Data API's SqlParameter list.

The Data API binds ``:name`` placeholders to *non-empty strings* only, so:

* ``None`` cannot travel as a parameter (the text "null" would arrive as a
  string): its placeholder is replaced by ``NULL`` in the SQL text;
* ``''`` cannot either: its placeholder is replaced by ``''``;
* ``bytes`` travel as hex text and the placeholder becomes
  ``FROM_HEX(:name)``, Redshift's hex -> VARBYTE function;
* everything else travels as a bound parameter in its exact text form:
  int and Decimal as plain digits (never an exponent), float by ``repr`` (the
  shortest text that round-trips exactly), bool as ``true``/``false``, date,
  time and datetime in ISO form with a space between date and time.

Aware datetimes are converted to UTC before they are sent, with the offset
written ``+00:00``.  Redshift ignores the offset of a value bound to a
TIMESTAMP (without time zone) column and keeps the wall-clock time, so
sending the local time with its offset would shift the stored value silently
by that offset; in UTC, a TIMESTAMP stores the UTC time, and a TIMESTAMPTZ
stores the same instant as before.  Naive datetimes are sent as they are (no
zone is assumed).  An aware ``time`` keeps its offset (for TIMETZ).

Nothing else is ever written into the SQL text.  Which ``:name`` is a
placeholder is the lexer's decision (:mod:`redshift_dataapi.sql.lexer`, the
same on the endpoint's side): not inside literals (``'...'`` with ``''`` and
backslash escapes, ``$tag$...$tag$``), quoted identifiers or comments (nested
``/* */``), not a ``::`` cast, not after an identifier character.  A
placeholder without a value, a value without a placeholder and an unsupported
value type each raise ProgrammingError naming the parameter.  With ``None`` or
``{}`` as parameters the SQL is sent as is.
"""

from __future__ import annotations

import datetime as _dt
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .._core.limits import PARAMETER_NAME_PATTERN
from ..errors import ProgrammingError
from .lexer import placeholder_spans

__all__ = ["BYTES_WRAPPER", "BoundStatement", "bind", "to_text"]

#: How a bytes placeholder is wrapped so the server reads hex text as VARBYTE.
BYTES_WRAPPER = "FROM_HEX({})"

_NAME = re.compile(PARAMETER_NAME_PATTERN)
# Names separated by single spaces (see _all_names_valid).
_NAMES = re.compile(f"{PARAMETER_NAME_PATTERN}(?: {PARAMETER_NAME_PATTERN})*+")


_FLOAT_SPECIALS = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def _float_text(value: float) -> str:
    # float's own repr (the shortest exact text): a subclass's repr may be no
    # number at all (numpy.float64 gives 'np.float64(0.1)').  It spells the
    # special values 'nan', 'inf' and '-inf'.
    text = float.__repr__(value)
    return _FLOAT_SPECIALS.get(text, text)


def _decimal_text(value: Decimal) -> str:
    if value.is_nan():
        return "NaN"
    if value.is_infinite():
        return "Infinity" if value > 0 else "-Infinity"
    return format(value, "f")


def _datetime_text(value: _dt.datetime) -> str:
    # Aware -> UTC (see the module docstring): never the local time plus an
    # offset that a TIMESTAMP column would drop.
    if value.tzinfo is not None and value.utcoffset() is not None:
        value = value.astimezone(_dt.timezone.utc)
    return value.isoformat(sep=" ")


# Exact types -> their text, tried before the isinstance chain of to_text: one
# dict look-up instead of up to ten isinstance calls for the common values.
# Subclasses (pandas Timestamp, IntEnum...) take the chain, so each type gets
# the same text either way.
_BY_TYPE: dict[type, Callable[[Any], str]] = {
    str: str,
    bool: lambda value: "true" if value else "false",
    int: int.__repr__,
    float: _float_text,
    Decimal: _decimal_text,
    _dt.datetime: _datetime_text,
    _dt.date: _dt.date.isoformat,
    _dt.time: _dt.time.isoformat,
}


def to_text(name: str, value: Any) -> str:
    """The Data API text of one non-None, non-empty value (ProgrammingError if unsupported)."""
    fast = _BY_TYPE.get(type(value))
    if fast is not None:
        return fast(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, _dt.datetime):
        return _datetime_text(value)
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise ProgrammingError(
        f"parameter {name!r}: unsupported value type {type(value).__name__} "
        "(use str, int, float, Decimal, bool, date, time, datetime, bytes or None)"
    )


@dataclass
class BoundStatement:
    """SQL ready to send: the text and the Data API ``Parameters`` list (None when empty)."""

    sql: str
    parameters: list[dict[str, str]] | None


def _all_names_valid(parameters: Mapping[str, Any]) -> bool:
    """True when every key is a valid name, tested with one regex call for all.

    The keys are joined with spaces: the text fully matches names separated by
    single spaces, and a key holding a space would add a separator.
    """
    try:
        joined = " ".join(parameters)
    except TypeError:  # a key that is not a str
        return False
    return _NAMES.fullmatch(joined) is not None and joined.count(" ") == len(parameters) - 1


def _substitutions(
    used: Iterable[str], parameters: Mapping[str, Any], suffix: str
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """What each used name's placeholders become, and the Parameters entries (in order)."""
    replacement: dict[str, str] = {}
    params: list[dict[str, str]] = []
    for name in used:
        value = parameters[name]
        if value is None:
            replacement[name] = "NULL"
            continue
        text = to_text(name, value)
        is_bytes = isinstance(value, (bytes, bytearray, memoryview))
        if text == "":
            replacement[name] = BYTES_WRAPPER.format("''") if is_bytes else "''"
            continue
        new_name = name + suffix
        placeholder = ":" + new_name
        replacement[name] = BYTES_WRAPPER.format(placeholder) if is_bytes else placeholder
        params.append({"name": new_name, "value": text})
    return replacement, params


def bind(
    sql: str,
    parameters: Mapping[str, Any] | None,
    *,
    suffix: str = "",
    placeholders: Sequence[tuple[str, int, int]] | None = None,
) -> BoundStatement:
    """Bind ``parameters`` to ``sql`` (see the module docstring for the rules).

    ``suffix`` is appended to every parameter name (executemany's per-row names);
    ``placeholders`` may be given when the caller already has ``sql``'s
    :func:`~redshift_dataapi.sql.lexer.placeholder_spans`.
    """
    if not isinstance(sql, str):
        raise ProgrammingError(f"SQL must be a str, not {type(sql).__name__}")
    if parameters is None:
        return BoundStatement(sql, None)
    if not isinstance(parameters, Mapping):
        raise ProgrammingError(
            "parameters must be a mapping of names to values (paramstyle 'named', "
            f"':name' placeholders), not {type(parameters).__name__}"
        )
    if not parameters:
        return BoundStatement(sql, None)
    if not _all_names_valid(parameters):
        for key in parameters:
            if not isinstance(key, str) or _NAME.fullmatch(key) is None:
                raise ProgrammingError(
                    f"parameter name {key!r} is invalid: names are letters, digits and '_'"
                )
    found = placeholder_spans(sql) if placeholders is None else placeholders
    # Names in order of first use: the order of the Parameters list.
    used = dict.fromkeys([name for name, _, _ in found])
    missing = sorted(used.keys() - parameters.keys())
    if missing:
        raise ProgrammingError(f"no value for parameter(s) {', '.join(missing)} in the SQL")
    unused = sorted(parameters.keys() - used.keys())
    if unused:
        raise ProgrammingError(f"parameter(s) {', '.join(unused)} not used by the SQL")

    replacement, params = _substitutions(used, parameters, suffix)
    out: list[str] = []
    append = out.append
    pos = 0
    for name, start, end in found:
        append(sql[pos:start])
        append(replacement[name])
        pos = end
    append(sql[pos:])
    return BoundStatement("".join(out), params or None)
