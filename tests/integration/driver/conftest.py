"""Connections of the driver to the local endpoint (both transports, both engines)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

import redshift_dataapi

ConnFactory = Callable[..., redshift_dataapi.Connection]


@pytest.fixture
def connect(local_service: Any, any_client: Any) -> Iterator[ConnFactory]:
    """connect(**kwargs) on the local endpoint through in-process and HTTP clients."""
    opened: list[redshift_dataapi.Connection] = []

    def factory(**kwargs: Any) -> redshift_dataapi.Connection:
        kwargs.setdefault("autocommit", True)
        conn = redshift_dataapi.connect(
            "dev", cluster_identifier="local", client=any_client, **kwargs
        )
        opened.append(conn)
        return conn

    yield factory
    for conn in opened:
        conn.close()


@pytest.fixture
def cur(connect: ConnFactory) -> redshift_dataapi.Cursor:
    """An autocommit cursor."""
    return connect().cursor()
