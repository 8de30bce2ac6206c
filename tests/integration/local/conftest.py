"""Fixtures of the local endpoint's integration tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from redshift_dataapi.local import LocalDataAPI, inprocess_client
from redshift_dataapi.local.runtime.clock import ManualClock
from tests.engines import make_service


@pytest.fixture
def custom_client(engine_spec: str, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """A factory: ``custom_client(**LocalDataAPI options)`` -> an in-process client.

    For settings the shared fixtures do not take (small caps, short retention);
    one service per test, closed afterwards.
    """
    services: list[LocalDataAPI] = []

    def factory(**options: Any) -> Any:
        if services:
            raise RuntimeError("one custom service per test (PostgreSQL databases are per test)")
        service = make_service(engine_spec, request.node.nodeid, **options)
        services.append(service)
        return inprocess_client(service)

    yield factory
    for service in services:
        service.close()


@pytest.fixture
def clock() -> ManualClock:
    """A wall clock that moves only when the test advances it."""
    return ManualClock()


@pytest.fixture
def clocked_client(custom_client: Callable[..., Any], clock: ManualClock) -> Any:
    """An in-process client of a service whose wall clock is ``clock``.

    Session expiry, result retention and ClientToken idempotency follow
    ``clock.advance()`` at once: nothing waits on real time.
    """
    return custom_client(clock=clock)
