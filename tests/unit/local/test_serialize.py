"""The endpoint's response bodies decode to the same values with or without orjson,
and with their result pages written ahead of time."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pytest

from redshift_dataapi.local import response_json
from redshift_dataapi.local.response_json import RawJSON


def _stdlib(payload: Any) -> bytes:
    return json.dumps(payload, default=response_json._json_default, separators=(",", ":")).encode()


@pytest.mark.parametrize(
    "payload",
    [
        {"Records": [[{"longValue": 1}, {"doubleValue": 0.1}, {"stringValue": "héllo ☃"}]]},
        {"Records": [[{"doubleValue": math.nan}], [{"doubleValue": math.inf}]]},
        {"Records": [[{"longValue": 2**70}]]},
        {"Records": [[{"isNull": True}, {"booleanValue": False}]], "TotalNumRows": 2},
        {"CreatedAt": dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc), "B": b"\x00"},
        {"Records": [[{"stringValue": "a:null"}]]},
    ],
)
def test_serialize_decodes_as_the_standard_module_writes(payload: Any) -> None:
    ours = json.loads(response_json.serialize(payload))
    expected = json.loads(_stdlib(payload))
    # NaN != NaN: compare the text of the decoded values.
    assert repr(ours) == repr(expected)


def test_a_non_finite_double_stays_a_number() -> None:
    page = json.loads(response_json.serialize({"Records": [[{"doubleValue": math.nan}]]}))
    assert math.isnan(page["Records"][0][0]["doubleValue"])


def test_orjson_writes_pages_when_installed() -> None:
    pytest.importorskip("orjson", reason="orjson comes with the `fast` extra")
    body = response_json.serialize({"Records": [[{"stringValue": "é"}]]})
    # orjson writes UTF-8 as it is; the standard module would escape it (\\u00e9).
    assert "é".encode() in body


def test_a_page_with_its_column_metadata_is_written_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # "nullable" is no null value: the page must not be written a second time.
    pytest.importorskip("orjson", reason="orjson comes with the `fast` extra")

    def second_write(*_: Any, **__: Any) -> str:
        raise AssertionError("written again by the standard module")

    monkeypatch.setattr(response_json.json, "dumps", second_write)
    page = {"ColumnMetadata": [{"name": "a", "nullable": 1}], "Records": [[{"longValue": 1}]]}
    assert json.loads(response_json.serialize(page)) == page


@pytest.mark.parametrize(
    "records",
    [
        [
            [{"longValue": 1}, {"stringValue": "héllo ☃"}],
            [{"isNull": True}, {"booleanValue": True}],
        ],
        [[{"doubleValue": math.nan}], [{"longValue": 2**70}]],
        [],
    ],
)
def test_a_page_written_ahead_reads_as_the_page_written_in_the_response(records: Any) -> None:
    whole = {"Records": records, "ColumnMetadata": [{"name": "a"}], "TotalNumRows": 2}
    ahead = {**whole, "Records": RawJSON(response_json.serialize(records))}
    assert repr(json.loads(response_json.serialize(ahead))) == repr(json.loads(_stdlib(whole)))


def test_a_response_of_raw_json_alone_is_an_object() -> None:
    body = response_json.serialize({"Records": RawJSON(b"[]")})
    assert json.loads(body) == {"Records": []}
