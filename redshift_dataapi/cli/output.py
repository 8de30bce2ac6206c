"""What the command prints: AWS-CLI-shaped JSON, and rows as a table, JSON or CSV."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import decimal
import io
import json
from collections.abc import Sequence
from typing import Any, TextIO

__all__ = [
    "NULL_TEXT",
    "aws_json",
    "aws_json_value",
    "cell_text",
    "format_csv",
    "format_json_rows",
    "format_table",
    "write_csv",
]

NULL_TEXT = "NULL"


def _aws_default(value: Any) -> Any:
    # The AWS CLI prints timestamps in ISO 8601 and blobs in base64.
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(f"cannot print a {type(value).__name__} as JSON")


def aws_json(response: dict[str, Any]) -> str:
    """A service response as the AWS CLI prints it (no ResponseMetadata, 4-space indent)."""
    shown = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    return aws_json_value(shown)


def aws_json_value(value: Any) -> str:
    """Any part of a response as the AWS CLI prints it (4-space indent, ISO times)."""
    return json.dumps(value, indent=4, ensure_ascii=False, default=_aws_default)


def cell_text(value: Any) -> str:
    """One value as text for a table or CSV cell (None -> ``NULL`` in tables)."""
    if value is None:
        return NULL_TEXT
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)


def format_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Rows as an aligned text table with a header, numbers right-aligned, and a row count."""
    texts = [[cell_text(v) for v in row] for row in rows]
    widths = [len(c) for c in columns]
    for row in texts:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], len(text))
    numeric = [
        bool(rows) and all(_is_number(row[i]) or row[i] is None for row in rows)
        for i in range(len(columns))
    ]
    lines = [
        " | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
        "-+-".join("-" * w for w in widths),
    ]
    for row in texts:
        cells = [
            t.rjust(w) if num else t.ljust(w)
            for t, w, num in zip(row, widths, numeric, strict=True)
        ]
        lines.append(" | ".join(cells).rstrip())
    count = len(rows)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines)


def _json_value(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, decimal.Decimal):
        # A string keeps every digit; a float would not.
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def format_json_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Rows as a JSON list of objects keyed by column name.

    Decimals are strings (every digit kept), timestamps ISO 8601, bytes base64.
    """
    objects = [{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
    return json.dumps(objects, indent=2, ensure_ascii=False)


def write_csv(out: TextIO, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Rows as CSV with a header line; NULL is an empty field."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else cell_text(v) for v in row])


def format_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Rows as CSV text (see :func:`write_csv`)."""
    out = io.StringIO()
    write_csv(out, columns, rows)
    return out.getvalue()
