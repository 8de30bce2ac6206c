"""Engines on the local Data API endpoint, and a counter of the Data API calls they make."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from sqlalchemy_dialect.compat import SA2

#: On SQLAlchemy 1.4, 2.0-style engines (no library-level autocommit) as on 2.x.
FUTURE: dict[str, Any] = {} if SA2 else {"future": True}


class CallCounter:
    """Counts the Data API operations a boto3 client sends (by operation name)."""

    def __init__(self, client: Any) -> None:
        self.ops: Counter[str] = Counter()
        client.meta.events.register("before-call.redshift-data", self._seen)

    def _seen(self, model: Any, **kwargs: Any) -> None:
        self.ops[model.name] += 1

    @property
    def total(self) -> int:
        return sum(self.ops.values())

    @property
    def statements(self) -> int:
        return self.ops["ExecuteStatement"] + self.ops["BatchExecuteStatement"]

    def reset(self) -> None:
        self.ops.clear()


@pytest.fixture
def calls(dataapi_client: Any) -> CallCounter:
    return CallCounter(dataapi_client)


@pytest.fixture
def engine(dataapi_client: Any, calls: CallCounter) -> Iterator[sa.Engine]:
    """An engine on a fresh local service (DuckDB and PostgreSQL variants)."""
    eng = sa.create_engine(
        "redshift+dataapi://local/dev", connect_args={"client": dataapi_client}, **FUTURE
    )
    try:
        yield eng
    finally:
        eng.dispose()
