"""Read-ahead of result pages: page k+1 is fetched while page k is converted.

Fetching a page is mostly waiting (the network; 20 ms per call in the
benches), during which the GIL is free; converting one is CPU work.  With
read-ahead (``connect(prefetch=True)``, the default) the two overlap: when
the reader starts on a page, the next page's GetStatementResult(V2) call is
made on a short-lived background thread, and the reader takes its answer when
it gets there.

What stays as without it:

* **Errors surface on the fetch that needs the page.**  The background call
  goes through the same runner (same retries, same checks); whatever it
  raises is kept and raised to the reader by the ``next()`` that wanted the
  page, never on the thread and never lost.
* **At most one page ahead.**  A fetch is started only when the reader takes
  a page, and only when none is in flight, so memory stays one page (plus
  the one being read) however large the result.
* **Nothing after close.**  :meth:`ReadAhead.close` waits for the call in
  flight, if any (it is never interrupted half way), drops its page and
  closes the source; no call is started afterwards and no thread outlives
  it.  :meth:`ReadAhead.stop` (the cursor's ``cancel()``) only starts no
  more background fetches: the remaining pages are fetched on demand.
* **The caller's context.**  The background call runs in a copy of the
  reader's :mod:`contextvars` context, as the reader's own call would.

Each background fetch is one thread that ends with its call, so an abandoned
result leaves nothing running once that call returns.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["ReadAhead"]

logger = logging.getLogger(__name__)

_THREAD_NAME = "redshift-dataapi-read-ahead"


class ReadAhead(Iterator[dict[str, Any]]):
    """An iterator of pages that can fetch its next page in the background."""

    def __init__(self, pages: Iterator[dict[str, Any]]) -> None:
        self._pages = pages
        self._thread: threading.Thread | None = None
        self._page: dict[str, Any] | None = None
        self._error: BaseException | None = None
        self._stopped = False
        self._closed = False

    def __next__(self) -> dict[str, Any]:
        if self._closed:
            raise StopIteration
        thread = self._thread
        if thread is None:
            return next(self._pages)
        thread.join()
        self._thread = None
        page, error = self._page, self._error
        self._page = self._error = None
        if error is not None:
            raise error
        assert page is not None
        return page

    def fetch_next(self) -> None:
        """Start fetching the next page in the background (no-op if one is in flight)."""
        if self._thread is not None or self._stopped or self._closed:
            return
        context = contextvars.copy_context()
        thread = threading.Thread(
            target=self._fetch, args=(context,), name=_THREAD_NAME, daemon=True
        )
        self._thread = thread
        thread.start()

    def _fetch(self, context: contextvars.Context) -> None:
        try:
            self._page = context.run(next, self._pages)
        except BaseException as exc:
            # StopIteration too: the reader's next() ends the iteration with it.
            self._error = exc

    @property
    def in_flight(self) -> bool:
        """Whether a background fetch has been started and not yet taken."""
        return self._thread is not None

    def stop(self) -> None:
        """Start no more background fetches; later pages are fetched on demand."""
        self._stopped = True

    def close(self) -> None:
        """Wait for the fetch in flight, drop its page and close the source."""
        self._stopped = self._closed = True
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()
            if self._error is not None and not isinstance(self._error, StopIteration):
                logger.debug("a read-ahead page nobody will read failed: %s", self._error)
        self._page = self._error = None
        close = getattr(self._pages, "close", None)
        if callable(close):
            close()
