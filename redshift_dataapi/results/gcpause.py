"""Pausing the cyclic garbage collector while a result page is turned into objects.

Decoding a page creates hundreds of thousands of dicts, tuples and values at
once, none of them in a reference cycle.  Each allocation burst triggers
generation-0 collections that traverse the new containers and, as they
survive, full collections over everything the caller already holds (the
rows of earlier pages, in a fetchall): measured here, that doubles the time
of ``json.loads``/``orjson.loads`` of a 1 MB page.  The collector is paused
for the page and resumed right after; it is left alone when something else
already disabled it.  Reference counting still frees everything as usual.

The collector is one switch for the whole process, and with read-ahead two
threads pause it at once (one decoding the next page, one converting the
current): the pauses are counted, and the collector is resumed when the last
one ends, not when the first one does.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["collect_young", "gc_paused"]

_lock = threading.Lock()
#: Pauses under way, and whether the first of them found the collector on.
_pauses = 0
_resume = False


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block, if it was enabled."""
    global _pauses, _resume
    with _lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            if _resume:
                gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                _resume = False
                gc.enable()


def collect_young() -> None:
    """Collect generation 0 now, inside a pause, unless the collector was off before it.

    A ``fetchall`` calls it after each page: the page's row tuples, whose
    values are all untracked (numbers, strings, dates...), are then untracked
    at once, while the next page's call is still on the wire.  Otherwise the
    first collection after the pause would traverse every row of the result
    in one go (about 25 ms per 100,000 rows here) before the caller gets on.
    """
    with _lock:
        if not _resume:
            return  # the caller (or whoever) had switched the collector off
    gc.collect(0)
