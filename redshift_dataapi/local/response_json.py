"""JSON bytes of the endpoint's responses, and JSON written ahead of time.

:func:`serialize` writes every response and error body of both transports.
:class:`RawJSON` marks JSON text written ahead: a finished statement's
result pages are written once, when the statement ends (``runtime/
json_fields.py``, ``runtime/arrow_pages.py``, with :func:`dump_array` for
their values), and each GetStatementResult call copies its page's bytes into
the response instead of walking a Field dict per value again.  Kept as bytes, a
100,000 x 8 JSON result holds 22 MB, where its Field dicts held 172 MB
and made the process slower to allocate in as results accumulated.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

__all__ = ["RawJSON", "dump_array", "serialize"]

try:
    import orjson as _orjson
except ImportError:  # the `fast` extra is not installed: the standard module writes
    _orjson = None  # type: ignore[assignment]


class RawJSON(bytes):
    """JSON text written ahead of the response, put into it as it is.

    Only a top-level value of a response dict may be a RawJSON.
    """


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.timestamp()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode()
    raise TypeError(f"cannot serialize {type(value).__name__}")


def _write(payload: Any) -> bytes:
    if _orjson is not None:
        try:
            out: bytes = _orjson.dumps(
                payload, default=_json_default, option=_orjson.OPT_PASSTHROUGH_DATETIME
            )
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            pass
        else:
            if b":null" not in out:
                return out
    return json.dumps(payload, default=_json_default, separators=(",", ":")).encode("utf-8")


def serialize(payload: Any) -> bytes:
    """JSON bytes of a response or error body (or of a value to keep as :class:`RawJSON`).

    With orjson installed (the ``fast`` extra) a body is written several times
    faster.  orjson writes a NaN or infinite double as ``null`` and
    refuses integers beyond 64 bits, where the standard module writes ``NaN``
    and any integer: an output holding a ``:null`` value (no response field is
    ever null; a string holding ``:null`` only costs a second write) or a refused
    payload is written again by the standard module, so the bytes decode to
    the same values either way.
    """
    if isinstance(payload, dict):
        raw = [(key, value) for key, value in payload.items() if isinstance(value, RawJSON)]
        if raw:
            rest = _write({k: v for k, v in payload.items() if not isinstance(v, RawJSON)})
            members = [json.dumps(key).encode("utf-8") + b":" + value for key, value in raw]
            if rest != b"{}":
                members.append(rest[1:-1])
            return b"{" + b",".join(members) + b"}"
    return _write(payload)


def dump_array(values: list[Any]) -> bytes:
    """The compact JSON array of plain values (str, int, finite float, bool).

    The values are written as ``serialize`` writes them.

    orjson writes it when installed; a value orjson refuses (an integer beyond
    64 bits, a lone surrogate) sends the whole array to the standard module.
    The caller keeps NaN and infinities out: orjson would write them as ``null``.
    """
    if _orjson is not None:
        try:
            out: bytes = _orjson.dumps(values)
        except TypeError:
            pass
        else:
            return out
    return json.dumps(values, separators=(",", ":")).encode("utf-8")
