"""Cutting a load file into records of fields, per COPY format.

Every reader yields :class:`Record` objects: the (1-based) line number the
record ends on, its raw text (for STL_LOAD_ERRORS) and its fields as text,
None for NULL.  Header lines (IGNOREHEADER) and, with IGNOREBLANKLINES,
blank lines are skipped; line numbers keep counting them, as Redshift's do.

* Delimited text (the default, ``|``): NULL AS (default ``\\N``); with ESCAPE
  a backslash makes the next character data (an escaped newline continues
  the record); with REMOVEQUOTES the quotes around a field go and what they
  enclose (delimiters included) stays.
* CSV: RFC 4180 quoting with the QUOTE character (default ``"``), quoted
  fields may hold newlines.
* FIXEDWIDTH: fields cut at the widths of the ``'label:width,...'`` spec.
* JSON: objects one after another; ``'auto'`` matches keys to column names
  (``'auto ignorecase'`` ignoring case), a JSONPaths file picks values by
  position with ``$.a.b``, ``$['a']`` and ``$.a[0]`` paths.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .convert import FieldError
from .options import CopyCommand

__all__ = ["Record", "json_records", "parse_jsonpaths", "text_records"]

#: The NULL string of delimited text unless NULL AS says otherwise.
DEFAULT_NULL = "\\N"
_PATH_PART = re.compile(r"\.([A-Za-z_$][\w$]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]")


@dataclass
class Record:
    """One record of a load file."""

    line: int
    raw: str
    fields: list[str | None]
    #: Set when the record could not be cut into fields (``fields`` is then empty).
    error: FieldError | None = None


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def text_records(text: str, command: CopyCommand) -> Iterator[Record]:
    """Records of a delimited-text, CSV or FIXEDWIDTH file."""
    if command.format == "CSV":
        yield from _csv_records(text, command)
        return
    lines = _lines(text)
    null_as = DEFAULT_NULL if command.null_as is None else command.null_as
    number = command.ignore_header
    while number < len(lines):
        start = number
        line = lines[number]
        number += 1
        if command.escape:
            # An escaped newline is data: the record goes on on the next line.
            while _ends_escaped(line) and number < len(lines):
                line = line[:-1] + "\n" + lines[number]
                number += 1
        if line == "" and command.ignore_blank_lines:
            continue
        fields: list[str | None]
        if command.format == "FIXEDWIDTH":
            fields = _fixed(line, command)
        else:
            try:
                fields = list(_split(line, command))
            except FieldError as exc:
                yield Record(number, "\n".join(lines[start:number]), [], exc)
                continue
        yield Record(number, line, [None if f == null_as else f for f in fields])


def _ends_escaped(line: str) -> bool:
    count = len(line) - len(line.rstrip("\\"))
    return count % 2 == 1


def _fixed(line: str, command: CopyCommand) -> list[str | None]:
    assert command.fixed_width is not None
    fields: list[str | None] = []
    position = 0
    for _, width in command.fixed_width:
        fields.append(line[position : position + width])
        position += width
    return fields


def _split(line: str, command: CopyCommand) -> list[str]:
    delimiter = command.delimiter or "|"
    plain = (not command.escape or "\\" not in line) and (
        not command.remove_quotes or ('"' not in line and "'" not in line)
    )
    if plain:
        return line.split(delimiter)
    fields: list[str] = []
    current: list[str] = []
    quote: str | None = None
    at_start = True
    i = 0
    while i < len(line):
        ch = line[i]
        if command.escape and ch == "\\" and i + 1 < len(line):
            current.append(line[i + 1])
            i += 2
            at_start = False
            continue
        if command.remove_quotes and quote is None and at_start and ch in "\"'":
            quote = ch
        elif quote is not None and ch == quote:
            quote = None
        elif quote is None and ch == delimiter:
            fields.append("".join(current))
            current = []
            at_start = True
            i += 1
            continue
        else:
            current.append(ch)
        at_start = False
        i += 1
    if quote is not None:
        raise FieldError(1216, "Unterminated quoted field (REMOVEQUOTES)")
    fields.append("".join(current))
    return fields


def _csv_records(text: str, command: CopyCommand) -> Iterator[Record]:
    lines = text.splitlines(keepends=True)
    body = iter(lines[command.ignore_header :])
    reader = csv.reader(
        body, delimiter=command.delimiter or ",", quotechar=command.quote, strict=False
    )
    null_as = command.null_as
    ended = command.ignore_header
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            start, ended = ended, command.ignore_header + reader.line_num
            raw = "".join(lines[start:ended]).rstrip("\r\n")
            yield Record(ended, raw, [], FieldError(1216, f"Invalid CSV record: {exc}"))
            continue
        start = ended
        ended = command.ignore_header + reader.line_num
        raw = "".join(lines[start:ended]).rstrip("\r\n")
        if not fields:
            if command.ignore_blank_lines:
                continue
            fields = [""]
        values: list[str | None] = [
            None if null_as is not None and f == null_as else f for f in fields
        ]
        yield Record(ended, raw, values)


def parse_jsonpaths(text: str) -> list[list[str | int]]:
    """The paths of a JSONPaths file, each as a list of keys and indexes."""
    try:
        document = json.loads(text)
        paths = document["jsonpaths"]
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise FieldError(
            8001, 'Invalid JSONPath format: expected {"jsonpaths": ["$.a", ...]}'
        ) from None
    return [_path(p) for p in paths]


def _path(path: str) -> list[str | int]:
    if not path.startswith("$"):
        raise FieldError(8001, f"Invalid JSONPath format: {path!r} must start with $")
    parts: list[str | int] = []
    position = 1
    while position < len(path):
        m = _PATH_PART.match(path, position)
        if m is None:
            raise FieldError(8001, f"Invalid JSONPath format: {path!r}")
        key, quoted, index = m.groups()
        if index is not None:
            parts.append(int(index))
        else:
            parts.append(key if key is not None else re.sub(r"\\(.)", r"\1", quoted))
        position = m.end()
    return parts


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return json.dumps(value, separators=(",", ":"))


def _pick(document: Any, path: list[str | int]) -> Any:
    for part in path:
        if isinstance(part, int):
            if not isinstance(document, list) or part >= len(document):
                return None
            document = document[part]
        else:
            if not isinstance(document, dict):
                return None
            document = document.get(part)
    return document


def json_records(
    text: str, names: list[str], paths: list[list[str | int]] | None, ignore_case: bool
) -> Iterator[Record]:
    """Records of a JSON file: one per top-level object, fields in ``names`` order."""
    decoder = json.JSONDecoder()
    position = 0
    length = len(text)
    while True:
        while position < length and text[position].isspace():
            position += 1
        if position >= length:
            return
        line = text.count("\n", 0, position) + 1
        try:
            document, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            # Nothing after a malformed object can be found again: the file ends here.
            error = FieldError(1216, f"Invalid JSON object: {exc.msg}")
            yield Record(line, text[position : position + 1024], [], error)
            return
        raw = text[position:end]
        last_line = line + raw.count("\n")
        position = end
        if not isinstance(document, dict):
            error = FieldError(1216, "Invalid JSON: expected an object")
            yield Record(last_line, raw[:1024], [], error)
            continue
        if paths is not None:
            values = [_pick(document, path) for path in paths]
        else:
            source = {k.lower(): v for k, v in document.items()} if ignore_case else document
            values = [source.get(name) for name in names]
        yield Record(last_line, raw, [_json_text(v) for v in values])
