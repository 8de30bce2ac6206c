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
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import ProgrammingError

__all__ = ["BoundStatement", "Placeholder", "bind", "find_placeholders", "to_text"]

#: How a bytes placeholder is wrapped so the server reads hex text as VARBYTE.
BYTES_WRAPPER = "FROM_HEX({})"

_NAME = re.compile(r"[0-9A-Za-z_]+")
_NAMES = re.compile(r"[0-9A-Za-z_]+(?: [0-9A-Za-z_]+)*+")


@dataclass(frozen=True)
class Placeholder:
    """A ``:name`` occurrence: ``start`` is the index of the colon, ``end`` one past the name."""

    name: str
    start: int
    end: int


# One pass of a compiled regex finds every construct that matters, so the
# per-character work happens in C; each alternative starts exactly where the
# former character loop reacted, and consumes the same text:
#   E'...' (backslash escapes; the E must not end a longer word), '...', "...",
#   -- comments, the opening of a /* comment and of a $tag$ quote (both finished
#   in Python: comments nest and the closing tag is the opening one), '::', and
#   :name when the colon does not follow a word character.
_W = "0-9A-Za-z_"
_TOKENS = re.compile(
    rf"""
      (?<=[eE])(?<![{_W}][eE])'(?:[^'\\]++|\\.?|'')*+(?:'|\Z)
    | '[^']*+(?:''[^']*+)*+(?:'|\Z)
    | "[^"]*+(?:""[^"]*+)*+(?:"|\Z)
    | --[^\n]*+\n?
    | (?P<block>/\*)
    | (?P<dollar>(?<![{_W}])\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$)
    | ::
    | (?<![{_W}]):(?P<name>[{_W}]++)
    """,
    re.VERBOSE | re.DOTALL,
)


def _spans(sql: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of every placeholder, in order (see :func:`find_placeholders`)."""
    # literal_spans walks the same tokens; this loop stays separate because it
    # is on every execute()'s path and a shared generator costs it ~10%.
    found: list[tuple[str, int, int]] = []
    append = found.append
    pos = 0
    n = len(sql)
    while pos < n:
        for match in _TOKENS.finditer(sql, pos):
            name = match["name"]
            if name is not None:
                append((name, match.start(), match.end()))
            elif match["block"] is not None:
                pos = _skip_block_comment(sql, match.start())
                break
            elif match["dollar"] is not None:
                close = sql.find(match["dollar"], match.end())
                pos = n if close < 0 else close + len(match["dollar"])
                break
        else:
            break
    return found


def literal_spans(sql: str) -> list[tuple[int, int]]:
    """(start, end) of every string literal, quoted identifier and comment, in order.

    The same scan as the placeholders'; a ``--`` comment's span stops before
    its newline.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    n = len(sql)
    while pos < n:
        for match in _TOKENS.finditer(sql, pos):
            text = match[0]
            if match["block"] is not None:
                pos = _skip_block_comment(sql, match.start())
            elif match["dollar"] is not None:
                close = sql.find(text, match.end())
                pos = n if close < 0 else close + len(text)
            else:
                if text != "::" and match["name"] is None:
                    end = match.end()
                    if text.startswith("--") and text.endswith("\n"):
                        end -= 1
                    spans.append((match.start(), end))
                continue
            spans.append((match.start(), pos))
            break
        else:
            break
    return spans


def find_placeholders(sql: str) -> list[Placeholder]:
    """Every ``:name`` placeholder outside literals, quoted identifiers and comments."""
    return [Placeholder(name, start, end) for name, start, end in _spans(sql)]


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


# Exact types -> their text, tried before the isinstance chain of to_text: one
# dict look-up instead of up to ten isinstance calls for the common values.
# Subclasses (pandas Timestamp, IntEnum...) take the chain, so each type gets
# the same text either way.
_BY_TYPE: dict[type, Any] = {
    str: str,
    bool: lambda value: "true" if value else "false",
    int: int.__repr__,
    float: _float_text,
    Decimal: _decimal_text,
    _dt.datetime: lambda value: value.isoformat(sep=" "),
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
    if not _all_names_valid(parameters):
        for key in parameters:
            if not isinstance(key, str) or _NAME.fullmatch(key) is None:
                raise ProgrammingError(
                    f"parameter name {key!r} is invalid: names are letters, digits and '_'"
                )
    if placeholders is None:
        found = _spans(sql)
    else:
        found = [(p.name, p.start, p.end) for p in placeholders]
    # Names in order of first use: the order of the Parameters list.
    used = dict.fromkeys([name for name, _, _ in found])
    missing = sorted(used.keys() - parameters.keys())
    if missing:
        raise ProgrammingError(f"no value for parameter(s) {', '.join(missing)} in the SQL")
    unused = sorted(parameters.keys() - used.keys())
    if unused:
        raise ProgrammingError(f"parameter(s) {', '.join(unused)} not used by the SQL")

    # What each name's placeholders become, and its Parameters entry (if any).
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

    out: list[str] = []
    append = out.append
    pos = 0
    for name, start, end in found:
        append(sql[pos:start])
        append(replacement[name])
        pos = end
    append(sql[pos:])
    return BoundStatement("".join(out), params or None)
