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
  time and datetime in ISO form with a space between date and time, aware
  values with their UTC offset.

Nothing else is ever written into the SQL text.  Placeholders are recognised
only outside string literals (``'...'``, ``E'...'``, ``$tag$...$tag$``),
quoted identifiers (``"..."``) and comments (``--``, ``/* */``), and ``::``
casts are not placeholders.  A placeholder without a value, a value without a
placeholder and an unsupported value type each raise ProgrammingError naming
the parameter.  With ``None`` or ``{}`` as parameters the SQL is sent as is.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .errors import ProgrammingError

__all__ = ["BoundStatement", "Placeholder", "bind", "find_placeholders", "to_text"]

#: How a bytes placeholder is wrapped so the server reads hex text as VARBYTE.
BYTES_WRAPPER = "FROM_HEX({})"

_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")


@dataclass(frozen=True)
class Placeholder:
    """A ``:name`` occurrence: ``start`` is the index of the colon, ``end`` one past the name."""

    name: str
    start: int
    end: int


def find_placeholders(sql: str) -> list[Placeholder]:
    """Every ``:name`` placeholder outside literals, quoted identifiers and comments."""
    found: list[Placeholder] = []
    i = 0
    n = len(sql)
    while i < n:
        ch = sql[i]
        if ch == "'":
            # E'...' strings allow backslash escapes; plain ones double the quote.
            escapes = i > 0 and sql[i - 1] in "eE" and (i < 2 or not _is_word(sql[i - 2]))
            i = _skip_quoted(sql, i, "'", escapes)
        elif ch == '"':
            i = _skip_quoted(sql, i, '"', False)
        elif ch == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif ch == "/" and sql.startswith("/*", i):
            i = _skip_block_comment(sql, i)
        elif ch == "$" and (i == 0 or not _is_word(sql[i - 1])):
            match = _DOLLAR_TAG.match(sql, i)
            if match:
                end = sql.find(match.group(0), match.end())
                i = n if end < 0 else end + len(match.group(0))
            else:
                i += 1
        elif ch == ":":
            if sql.startswith("::", i):
                i += 2
                continue
            j = i + 1
            while j < n and sql[j] in _NAME_CHARS:
                j += 1
            # "a:b" inside words (e.g. a JSON path or time) is not a placeholder.
            if j > i + 1 and (i == 0 or not _is_word(sql[i - 1])):
                found.append(Placeholder(sql[i + 1 : j], i, j))
            i = max(j, i + 1)
        else:
            i += 1
    return found


def _is_word(ch: str) -> bool:
    return ch in _NAME_CHARS


def _skip_quoted(sql: str, i: int, quote: str, backslash: bool) -> int:
    j = i + 1
    n = len(sql)
    while j < n:
        ch = sql[j]
        if backslash and ch == "\\":
            j += 2
            continue
        if ch == quote:
            if j + 1 < n and sql[j + 1] == quote:
                j += 2
                continue
            return j + 1
        j += 1
    return n


def _skip_block_comment(sql: str, i: int) -> int:
    depth = 0
    j = i
    n = len(sql)
    while j < n:
        if sql.startswith("/*", j):
            depth += 1
            j += 2
        elif sql.startswith("*/", j):
            depth -= 1
            j += 2
            if depth == 0:
                return j
        else:
            j += 1
    return n


def to_text(name: str, value: Any) -> str:
    """The Data API text of one non-None, non-empty value (ProgrammingError if unsupported)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, Decimal):
        if value.is_nan():
            return "NaN"
        if value.is_infinite():
            return "Infinity" if value > 0 else "-Infinity"
        return format(value, "f")
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ")
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


def bind(
    sql: str,
    parameters: Mapping[str, Any] | None,
    *,
    suffix: str = "",
    placeholders: list[Placeholder] | None = None,
) -> BoundStatement:
    """Bind ``parameters`` to ``sql`` (see the module docstring for the rules).

    ``suffix`` is appended to every parameter name (executemany's per-row names);
    ``placeholders`` may be given when the caller already scanned ``sql``.
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
    for key in parameters:
        if not isinstance(key, str) or not key or not set(key) <= _NAME_CHARS:
            raise ProgrammingError(
                f"parameter name {key!r} is invalid: names are letters, digits and '_'"
            )
    found = find_placeholders(sql) if placeholders is None else placeholders
    used = {p.name for p in found}
    missing = sorted(used - parameters.keys())
    if missing:
        raise ProgrammingError(f"no value for parameter(s) {', '.join(missing)} in the SQL")
    unused = sorted(parameters.keys() - used)
    if unused:
        raise ProgrammingError(f"parameter(s) {', '.join(unused)} not used by the SQL")

    texts: dict[str, str | None] = {}
    for name in used:
        value = parameters[name]
        texts[name] = None if value is None else to_text(name, value)

    out: list[str] = []
    params: list[dict[str, str]] = []
    sent: set[str] = set()
    pos = 0
    for ph in found:
        out.append(sql[pos : ph.start])
        text = texts[ph.name]
        if text is None:
            out.append("NULL")
        elif text == "" and isinstance(parameters[ph.name], (bytes, bytearray, memoryview)):
            out.append(BYTES_WRAPPER.format("''"))
        elif text == "":
            out.append("''")
        else:
            new_name = ph.name + suffix
            placeholder = ":" + new_name
            if isinstance(parameters[ph.name], (bytes, bytearray, memoryview)):
                placeholder = BYTES_WRAPPER.format(placeholder)
            out.append(placeholder)
            if new_name not in sent:
                sent.add(new_name)
                params.append({"name": new_name, "value": text})
        pos = ph.end
    out.append(sql[pos:])
    return BoundStatement("".join(out), params or None)
