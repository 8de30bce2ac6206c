"""ReadAhead: one page ahead at most, errors kept for the reader, nothing left after close."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from redshift_dataapi.results.read_ahead import ReadAhead

WHO = contextvars.ContextVar("who", default="nobody")


def _pages(log: list[str], count: int, fail_at: int | None = None) -> Iterator[dict[str, Any]]:
    try:
        for n in range(count):
            log.append(f"fetch {n} as {WHO.get()} on {threading.current_thread().name}")
            if n == fail_at:
                raise RuntimeError(f"page {n} lost")
            yield {"n": n}
    finally:
        log.append("closed")


def test_next_page_is_fetched_in_the_background_in_the_readers_context() -> None:
    log: list[str] = []
    WHO.set("reader")
    pages = ReadAhead(_pages(log, 3))
    assert next(pages) == {"n": 0}  # no fetch ahead until asked
    assert log == [f"fetch 0 as reader on {threading.current_thread().name}"]
    pages.fetch_next()
    pages.fetch_next()  # one in flight already: no second
    assert next(pages) == {"n": 1}
    assert log[1] == "fetch 1 as reader on redshift-dataapi-read-ahead"
    assert len(log) == 2
    pages.fetch_next()
    assert next(pages) == {"n": 2}
    pages.fetch_next()
    with pytest.raises(StopIteration):
        next(pages)


def test_an_error_waits_for_the_reader() -> None:
    log: list[str] = []
    pages = ReadAhead(_pages(log, 3, fail_at=1))
    next(pages)
    pages.fetch_next()
    with pytest.raises(RuntimeError, match="page 1 lost"):
        next(pages)


def test_close_waits_for_the_fetch_and_closes_the_source() -> None:
    log: list[str] = []
    pages = ReadAhead(_pages(log, 5))
    next(pages)
    pages.fetch_next()
    pages.close()
    assert log[-1] == "closed" and len(log) == 3
    assert not any(t.name == "redshift-dataapi-read-ahead" for t in threading.enumerate())
    pages.fetch_next()
    with pytest.raises(StopIteration):
        next(pages)
    assert len(log) == 3  # no call after close


def test_stop_fetches_on_demand() -> None:
    log: list[str] = []
    pages = ReadAhead(_pages(log, 3))
    next(pages)
    pages.stop()
    pages.fetch_next()
    assert not pages.in_flight and len(log) == 1
    assert next(pages) == {"n": 1}
    assert log[-1].endswith(f"on {threading.current_thread().name}")
