"""The AWS CLI's ways of writing a list of structures, for ``--parameters``.

``--parameters name=id,value=42 name=city,value=Paris`` (shorthand, one
structure per word) or ``--parameters '[{"name": "id", "value": "42"}]'``
(JSON), as ``aws redshift-data`` accepts them.  Values may be quoted
(``value='a, b'``) or escape a comma with a backslash; unlike the AWS CLI, a
comma that is not followed by a known key (``value=a,b``) stays in the value,
because SQL values often contain commas.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from redshift_dataapi.cli.errors import UsageError

__all__ = ["parse_structure", "parse_structure_list"]


def parse_structure(text: str, keys: Sequence[str], flag: str = "--parameters") -> dict[str, str]:
    """Parse one shorthand structure such as ``name=id,value=42`` into a dict.

    ``keys`` are the structure's member names; any other key is an error that
    names the accepted ones.
    """
    key_start = re.compile(r"\s*(" + "|".join(re.escape(k) for k in keys) + r")\s*=")
    result: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        match = re.compile(r"\s*([^=,\s]+)\s*=").match(text, pos)
        if match is None:
            raise UsageError(
                f"{flag}: expected KEY=VALUE in {text!r} at position {pos} "
                f"(keys: {', '.join(keys)})"
            )
        key = match.group(1)
        if key not in keys:
            raise UsageError(f"{flag}: unknown key {key!r} in {text!r} (keys: {', '.join(keys)})")
        pos = match.end()
        value, pos = _read_value(text, pos, key_start, flag)
        result[key] = value
    return result


def _read_value(text: str, pos: int, key_start: re.Pattern[str], flag: str) -> tuple[str, int]:
    """Read one value from ``pos``; return it and the position after its separator."""
    if pos < len(text) and text[pos] in "'\"":
        quote = text[pos]
        end = text.find(quote, pos + 1)
        if end < 0:
            raise UsageError(f"{flag}: unterminated quote in {text!r}")
        value = text[pos + 1 : end]
        pos = end + 1
        if pos < len(text):
            if text[pos] != ",":
                raise UsageError(f"{flag}: expected ',' after a quoted value in {text!r}")
            pos += 1
        return value, pos
    chars: list[str] = []
    while pos < len(text):
        char = text[pos]
        if char == "\\" and pos + 1 < len(text):
            chars.append(text[pos + 1])
            pos += 2
            continue
        if char == "," and key_start.match(text, pos + 1):
            return "".join(chars), pos + 1
        chars.append(char)
        pos += 1
    return "".join(chars), pos


def parse_structure_list(
    words: Sequence[str], keys: Sequence[str], flag: str = "--parameters"
) -> list[dict[str, Any]]:
    """Parse the words given to a list-of-structures flag (shorthand words or one JSON list)."""
    if len(words) == 1 and words[0].lstrip().startswith(("[", "{")):
        try:
            value = json.loads(words[0])
        except json.JSONDecodeError as exc:
            raise UsageError(f"{flag}: invalid JSON: {exc}") from None
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, dict) for item in items):
            raise UsageError(f"{flag}: JSON must be a list of objects with {', '.join(keys)}")
        return items
    return [parse_structure(word, keys, flag) for word in words]
