"""GetStatementResult pages decoded straight from the response body.

botocore's JSON parser walks the ``Field`` union shape value by value; for a
large page that walk is almost all of the fetch.  botocore documents a
``before-parse.<service>.<operation>`` event whose handlers receive the raw
``response_dict`` and a ``customized_response_dict`` that botocore merges into
the parsed response.  The hook installed here:

* acts only while the driver itself is fetching a page (a context variable is
  set around the call), so a user's own ``get_statement_result`` calls on the
  same client are parsed by botocore exactly as before;
* acts only on a 2xx JSON body; errors are botocore's to parse;
* decodes the body once (``orjson`` when installed, else the stdlib), takes
  ``Records`` out as :class:`RawRecords` and gives botocore the rest
  (ColumnMetadata, NextToken, TotalNumRows: small) to parse as usual.

GetStatementResultV2 (CSV pages) has no value-by-value walk, but botocore
decodes its body with the stdlib ``json``: about 3 ms for a 1 MB page of
escaped CSV text, against 0.7 ms with ``orjson``, on the read-ahead thread
while the reader converts the previous page under the same GIL.  The same
hook decodes those bodies too and hands ``Records`` over as botocore would
parse them (a list of ``{"CSVRecords": text}``), only when every record is
exactly that; anything else (a member this botocore does not know, a null) is
left to botocore.

The only members whose raw form differs from botocore's parse are
``blobValue`` (base64 text on the wire, bytes after botocore) and union
members botocore does not know (``SDK_UNKNOWN_MEMBER``): the decoder turns
those into botocore's form before converting, so the rows are the same Python
values as on the botocore path.  Rows are converted per column: a column
whose fields are all of the expected member goes through C-level ``map``
calls; any other column (NULLs, blobs, user converters) goes value by value
through the same converter the botocore path uses.

A client without botocore's event system (a stub, a wrapper) keeps the
botocore path: :func:`install_fast_json` answers False and nothing changes.
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import functools
import json
import logging
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any

from .. import types as _types
from .csv_pages import C_LEVEL
from .gcpause import gc_paused

__all__ = [
    "RawRecords",
    "decode_records",
    "fast_json_pages",
    "install_fast_json",
    "json_column_plans",
]

logger = logging.getLogger(__name__)


def _stdlib_dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


try:  # the `fast` extra: a faster parser giving the same values as json.loads
    import orjson as _orjson

    _loads: Callable[[bytes], Any] = _orjson.loads
    _dumps: Callable[[Any], bytes] = _orjson.dumps
    JSON_PARSER = "orjson"
except ImportError:  # pragma: no cover - depends on the environment
    _loads = json.loads
    _dumps = _stdlib_dumps
    JSON_PARSER = "json"

#: The event of the hook (botocore's service id of redshift-data is "redshift-data").
EVENT = "before-parse.redshift-data.GetStatementResult"
#: The event of the CSV pages' hook (botocore matches event names by whole dotted parts).
EVENT_CSV = "before-parse.redshift-data.GetStatementResultV2"
_UNIQUE_ID = "redshift_dataapi.results.json_pages"

_ACTIVE: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "redshift_dataapi_fast_json", default=False
)
_INSTALLED: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()


@functools.cache
def _field_members() -> frozenset[str]:
    """The members of the Field union in this botocore's model (others are unknown to it)."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("redshift-data")
    field: Any = model.shape_for("Field")  # a StructureShape
    return frozenset(field.members)


class RawRecords(list[Any]):
    """``Records`` as decoded from the JSON body (``blobValue`` still base64 text)."""


def _decoded_page(response_dict: Mapping[str, Any]) -> dict[str, Any] | None:
    """The decoded body of a 2xx page the driver is fetching, or None: botocore's to parse."""
    if not _ACTIVE.get():
        return None
    status = response_dict.get("status_code")
    body = response_dict.get("body")
    if not isinstance(status, int) or not 200 <= status < 300:
        return None
    if not isinstance(body, bytes | bytearray) or not body:
        return None
    try:
        with gc_paused():
            data = _loads(bytes(body))
    except ValueError:
        return None  # botocore reports a malformed body as it always has
    return data if isinstance(data, dict) else None


def _before_parse(
    response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any
) -> None:
    data = _decoded_page(response_dict)
    if data is None or not isinstance(data.get("Records"), list):
        return
    customized_response_dict["Records"] = RawRecords(data.pop("Records"))
    response_dict["body"] = _dumps(data)


def _is_csv_record(record: Any) -> bool:
    """Whether ``record`` is a QueryRecords union exactly as botocore parses it."""
    return type(record) is dict and len(record) == 1 and type(record.get("CSVRecords")) is str


def _before_parse_csv(
    response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any
) -> None:
    data = _decoded_page(response_dict)
    if data is None:
        return
    records = data.get("Records")
    if not isinstance(records, list) or not all(map(_is_csv_record, records)):
        return
    customized_response_dict["Records"] = data.pop("Records")
    response_dict["body"] = _dumps(data)


def install_fast_json(client: Any) -> bool:
    """Register the decoding hooks on ``client``; False when they cannot be set.

    Idempotent (botocore de-duplicates by ``unique_id``); works the same for a
    client the driver built and one the user passed to ``connect()``.
    """
    try:
        known = _INSTALLED.get(client)
    except TypeError:  # not weak-referenceable: try anyway, remember nothing
        known = None
    if known is not None:
        return known
    events = getattr(getattr(client, "meta", None), "events", None)
    ok = False
    if events is not None and callable(getattr(events, "register", None)):
        try:
            events.register(EVENT, _before_parse, unique_id=_UNIQUE_ID)
            events.register(EVENT_CSV, _before_parse_csv, unique_id=f"{_UNIQUE_ID}.csv")
            ok = True
        except Exception as exc:  # a wrapper that refuses handlers: keep botocore's path
            logger.debug("fast JSON results unavailable for %r: %s", client, exc)
    with contextlib.suppress(TypeError):
        _INSTALLED[client] = ok
    return ok


def fast_json_pages(pages: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """``pages`` with the hook active while each page is fetched."""
    while True:
        token = _ACTIVE.set(True)
        try:
            page = next(pages)
        except StopIteration:
            return
        finally:
            _ACTIVE.reset(token)
        yield page


# -- decoding ----------------------------------------------------------------

ColumnPlan = Callable[[Sequence[Mapping[str, Any]]], list[Any]]


def _botocore_field(field: Mapping[str, Any]) -> Mapping[str, Any]:
    """A raw Field as botocore's parser returns it."""
    out: dict[str, Any] = {}
    for member, value in field.items():
        if value is None:
            continue
        if member not in _field_members():
            return {"SDK_UNKNOWN_MEMBER": {"name": member}}
        out[member] = base64.b64decode(value) if member == "blobValue" else value
    return out


def _value_by_value(column: Sequence[Mapping[str, Any]], slow: _types.FieldConverter) -> list[Any]:
    members = _field_members()
    out = []
    for field in column:
        if "blobValue" in field or not members.issuperset(field):
            field = _botocore_field(field)
        out.append(slow(field))
    return out


def _plan(type_name: str, conv: _types.Converter, user: bool) -> ColumnPlan:
    slow = _types._field_converter(type_name, conv, user)
    member = _types._NATIVE_MEMBER.get((type_name or "").lower())
    if member is not None and not user:
        native = itemgetter(member)

        def native_column(column: Sequence[Mapping[str, Any]]) -> list[Any]:
            try:
                return list(map(native, column))
            except (KeyError, TypeError):
                return _value_by_value(column, slow)

        return native_column
    text = itemgetter("stringValue")
    if conv is _types.identity:

        def text_column(column: Sequence[Mapping[str, Any]]) -> list[Any]:
            try:
                return list(map(text, column))
            except (KeyError, TypeError):
                return _value_by_value(column, slow)

        return text_column
    fast = None if user else C_LEVEL.get(conv)

    def converted_column(column: Sequence[Mapping[str, Any]]) -> list[Any]:
        try:
            texts = list(map(text, column))
        except (KeyError, TypeError):
            return _value_by_value(column, slow)
        if fast is not None:
            try:
                return list(map(fast, texts))
            except (ValueError, TypeError, ArithmeticError, LookupError):
                pass  # e.g. 'infinity': the Python converter keeps its text
        return list(map(conv, texts))

    return converted_column


def json_column_plans(
    type_names: Sequence[str],
    overrides: Mapping[str, _types.Converter] | None = None,
    parse_super: bool = False,
) -> list[ColumnPlan]:
    """One column decoder per column, resolved once per result."""
    resolved = _types.resolve_converters(type_names, overrides, parse_super)
    return [
        _plan(name, conv, user) for name, (conv, user) in zip(type_names, resolved, strict=True)
    ]


def decode_records(
    records: Sequence[Sequence[Mapping[str, Any]]],
    plans: Sequence[ColumnPlan],
    slow: Sequence[_types.FieldConverter],
) -> list[tuple[Any, ...]]:
    """Rows of raw ``Records``, column by column.

    ``slow`` (the botocore path's converters) handles a page whose rows do not
    all have one field per column, row by row as that path does.
    """
    if not records:
        return []
    width = len(plans)
    if set(map(len, records)) != {width} or width == 0:
        call = _types.call
        return [tuple(map(call, slow, [_botocore_field(f) for f in record])) for record in records]
    with gc_paused():
        columns = zip(*records, strict=True)
        converted = [plan(column) for plan, column in zip(plans, columns, strict=True)]
        return list(zip(*converted, strict=True))
