"""One raw HTTP POST to a local endpoint, for tests of the wire itself (framing, signing)."""

from __future__ import annotations

import http.client
import json
from typing import Any


def post(address: tuple[str, int], body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    """POST ``body`` to ``/`` at ``address``: the status and the JSON answer ({} if empty)."""
    connection = http.client.HTTPConnection(*address, timeout=30)
    try:
        connection.request("POST", "/", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()
