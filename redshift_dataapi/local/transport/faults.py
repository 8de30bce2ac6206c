"""Fault injection for the local endpoint: a hostile network on demand, off by default.

A :class:`FaultPlan` holds :class:`FaultRule` s (a fault kind, a rate, optionally
one operation and a request predicate) and a seed.  For each request the
transport asks :meth:`FaultPlan.draw` which fault, if any, to inject; the draw
uses one ``random.Random(seed)``, so a single-threaded client sees the same
faults on every run.  Both transports apply the same decision, so HTTP and
in-process clients see the same faults:

=================  ==========================================================
kind               what the client sees
=================  ==========================================================
``throttle``       400 ``ThrottlingException`` (the service did nothing)
``internal``       500 ``InternalServerException`` JSON (the service did nothing)
``502`` ``503``    a raw HTML error page, as a load balancer or proxy sends
``504``            (the service did nothing)
``drop-request``   the connection closes with no answer; the service did nothing
``drop-response``  the service acted, then the connection closes with no answer
``cut-response``   the service acted; the answer declares its full length but
                   stops halfway (botocore does not enforce Content-Length)
``empty``          the service acted; the answer is a 200 with an empty body
``slow``           the answer comes :attr:`FaultPlan.slow_seconds` late
=================  ==========================================================

:attr:`FaultPlan.counts` counts the faults injected, per kind and operation,
so tests can assert that faults really happened.
"""

from __future__ import annotations

import collections
import enum
import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_SLOW_SECONDS",
    "FaultKind",
    "FaultPlan",
    "FaultRule",
    "parse_fault",
]

logger = logging.getLogger(__name__)

#: How late a ``slow`` answer comes unless the plan says otherwise.
DEFAULT_SLOW_SECONDS = 2.0


class FaultKind(str, enum.Enum):
    """The faults the local endpoint can inject."""

    THROTTLE = "throttle"
    INTERNAL = "internal"
    BAD_GATEWAY = "502"
    SERVICE_UNAVAILABLE = "503"
    GATEWAY_TIMEOUT = "504"
    DROP_REQUEST = "drop-request"
    DROP_RESPONSE = "drop-response"
    CUT_RESPONSE = "cut-response"
    EMPTY = "empty"
    SLOW = "slow"

    @property
    def service_acts(self) -> bool:
        """True when the service runs the request before the fault hits the answer."""
        return self in _AFTER_SERVICE


_AFTER_SERVICE = frozenset(
    {FaultKind.DROP_RESPONSE, FaultKind.CUT_RESPONSE, FaultKind.EMPTY, FaultKind.SLOW}
)

#: A request predicate: ``(operation, request parameters) -> inject?``.
RequestMatch = Callable[[str, Mapping[str, Any]], bool]


@dataclass(frozen=True)
class FaultRule:
    """Inject ``kind`` into a share ``rate`` (0-1) of the requests it applies to.

    ``operation`` limits it to one operation (``"ExecuteStatement"``); ``match``
    to requests it returns True for (for example one SQL text); ``limit`` to that
    many injections in all.
    """

    kind: FaultKind
    rate: float
    operation: str | None = None
    match: RequestMatch | None = None
    limit: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", FaultKind(self.kind))
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be between 0 and 1, got {self.rate!r}")
        if self.limit is not None and self.limit < 0:
            raise ValueError(f"fault limit must be >= 0, got {self.limit!r}")

    def applies(self, operation: str, params: Mapping[str, Any]) -> bool:
        """True when this rule may fire for this request."""
        if self.operation is not None and self.operation != operation:
            return False
        return self.match is None or bool(self.match(operation, params))


def parse_fault(text: str) -> FaultRule:
    """A rule from ``KIND=RATE[:OPERATION]`` (the ``local serve --fault`` syntax).

    >>> parse_fault("throttle=0.1:ExecuteStatement")
    FaultRule(kind=<FaultKind.THROTTLE: 'throttle'>, rate=0.1, operation='ExecuteStatement', \
match=None, limit=None)
    """
    kind_text, sep, rest = text.partition("=")
    if not sep:
        raise ValueError(f"fault {text!r} is not KIND=RATE[:OPERATION]")
    rate_text, _, operation = rest.partition(":")
    try:
        kind = FaultKind(kind_text.strip().lower())
    except ValueError:
        kinds = ", ".join(k.value for k in FaultKind)
        raise ValueError(f"fault kind {kind_text!r} is not one of: {kinds}") from None
    try:
        rate = float(rate_text)
    except ValueError:
        raise ValueError(f"fault rate {rate_text!r} in {text!r} is not a number") from None
    return FaultRule(kind, rate, operation.strip() or None)


class FaultPlan:
    """Which faults the local endpoint injects, drawn from ``random.Random(seed)``.

    ``rules``: :class:`FaultRule` s or ``KIND=RATE[:OPERATION]`` strings.  For each
    request one number is drawn; the rules that apply split it in their order,
    so ``throttle=0.1`` and ``503=0.1`` fault 20% of the requests.
    ``slow_seconds``: how late ``slow`` answers come; ``sleep`` waits that long
    (tests pass a fake).  The plan is thread-safe; share it between transports.
    """

    def __init__(
        self,
        rules: Iterable[FaultRule | str] = (),
        *,
        seed: int | None = 0,
        slow_seconds: float = DEFAULT_SLOW_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if slow_seconds < 0:
            raise ValueError(f"slow_seconds must be >= 0, got {slow_seconds!r}")
        self.rules: list[FaultRule] = [
            parse_fault(rule) if isinstance(rule, str) else rule for rule in rules
        ]
        self.seed = seed
        self.slow_seconds = slow_seconds
        self.sleep = sleep
        #: Faults injected, by (kind, operation).
        self.counts: collections.Counter[tuple[FaultKind, str]] = collections.Counter()
        self._fired: collections.Counter[int] = collections.Counter()
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def add(
        self,
        kind: FaultKind | str,
        rate: float = 1.0,
        operation: str | None = None,
        *,
        match: RequestMatch | None = None,
        limit: int | None = None,
    ) -> FaultRule:
        """Add a rule (at the end) and return it; usable while serving."""
        rule = FaultRule(FaultKind(kind), rate, operation, match, limit)
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        """Remove every rule (the counts stay)."""
        with self._lock:
            self.rules.clear()
            self._fired.clear()

    def injected(self, kind: FaultKind | str | None = None, operation: str | None = None) -> int:
        """How many faults were injected (of ``kind``, into ``operation``, when given)."""
        wanted = FaultKind(kind) if kind is not None else None
        with self._lock:
            return sum(
                n
                for (k, op), n in self.counts.items()
                if (wanted is None or k is wanted) and (operation is None or op == operation)
            )

    def draw(self, operation: str, params: Mapping[str, Any]) -> FaultKind | None:
        """The fault to inject into this request, or None; counts it."""
        with self._lock:
            if not self.rules:
                return None
            roll = self._random.random()
            edge = 0.0
            for index, rule in enumerate(self.rules):
                if rule.limit is not None and self._fired[index] >= rule.limit:
                    continue
                if not rule.applies(operation, params):
                    continue
                edge += rule.rate
                if roll < edge:
                    self._fired[index] += 1
                    self.counts[rule.kind, operation] += 1
                    logger.debug("injecting %s into %s", rule.kind.value, operation)
                    return rule.kind
            return None

    def __repr__(self) -> str:
        rules = ", ".join(
            f"{r.kind.value}={r.rate:g}" + (f":{r.operation}" if r.operation else "")
            for r in self.rules
        )
        return f"FaultPlan([{rules}], seed={self.seed!r})"
