"""STL_QUERY, SYS_QUERY_HISTORY and STV_RECENTS, fed by the endpoint's own statements.

The statement store knows every statement the endpoint ran (for the
retention period): its SQL, user, database, times, status and rows.  The
engine does not, so before a statement that names one of these views runs,
:meth:`QueryHistory.refresh` copies the store's statements of that database
(the newest :data:`MAX_ROWS`) into the engine's ``redshift_query_history``
table, through a connection of its own; the views (``engines.system_views``)
read that table with Redshift's documented columns.  Statements that never
name the views cost nothing.  The statement running the query is in its
own answer, as "Running" in STV_RECENTS, as on Redshift.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import zlib

from ..engines.base import Engine
from .statements import Statement, StatementStore

__all__ = ["MAX_ROWS", "QueryHistory", "mentions_history", "user_id"]

logger = logging.getLogger(__name__)

#: Statements of one database copied into the history table at most.
MAX_ROWS = 5000
_VIEWS_RE = re.compile(r"\b(?:stl_query|sys_query_history|stv_recents)\b", re.IGNORECASE)


def mentions_history(sql: str) -> bool:
    """True when ``sql`` names STL_QUERY, SYS_QUERY_HISTORY or STV_RECENTS."""
    return bool(_VIEWS_RE.search(sql))


def user_id(user: str | None) -> int:
    """A stable user id for a user name (Redshift's admin user is 100)."""
    if user is None:
        return 100
    return 100 + zlib.crc32(user.encode("utf-8")) % 100_000


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.datetime):
        return f"CAST('{value.isoformat(' ')}' AS TIMESTAMP)"
    return "'" + str(value).replace("'", "''") + "'"


def _timestamp(epoch: float | None) -> dt.datetime | None:
    if epoch is None:
        return None
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).replace(tzinfo=None)


class QueryHistory:
    """Copies the statement store into the engine's query-history table (see above)."""

    def __init__(self, engine: Engine, store: StatementStore) -> None:
        self.engine = engine
        self.store = store
        self._lock = threading.Lock()

    def _rows(self, database: str) -> list[str]:
        with self.store.lock:
            statements = [
                s
                for top in self.store.top_level()
                for s in (top.subs or [top])
                if s.target.database == database and s.request.sql is not None
            ]
        statements = sorted(statements, key=lambda s: s.seq)[-MAX_ROWS:]
        return [self._row(s) for s in statements]

    def _row(self, statement: Statement) -> str:
        timing = statement.timing
        outcome = statement.outcome
        user = statement.target.engine_user or self.engine.admin_user
        start = _timestamp(timing.created_at)
        end = _timestamp(timing.ended_at)
        values = [
            statement.execution.redshift_query_id or statement.seq,
            user_id(user),
            user,
            statement.execution.redshift_pid or 0,
            statement.target.database,
            statement.request.statement_name or "default",
            statement.status,
            (statement.request.sql or "")[:4000],
            start,
            end,
            max(timing.duration_ns, 0) // 1000,
            outcome.rows if outcome is not None and outcome.rows >= 0 else 0,
            outcome.size if outcome is not None and outcome.size >= 0 else 0,
            outcome.error if outcome is not None else None,
        ]
        return "(" + ", ".join(_literal(v) for v in values) + ")"

    def refresh(self, database: str) -> None:
        """Copy the store's statements of ``database`` into its history table."""
        schema = "pg_catalog" if self.engine.name == "postgresql" else "main"
        rows = self._rows(database)
        with self._lock:
            connection = self.engine.connect(database, None)
            try:
                connection.execute_native("BEGIN")
                connection.execute_native(f"DELETE FROM {schema}.redshift_query_history")
                for start in range(0, len(rows), 500):
                    connection.execute_native(
                        f"INSERT INTO {schema}.redshift_query_history VALUES "
                        + ", ".join(rows[start : start + 500])
                    )
                connection.execute_native("COMMIT")
            except Exception:
                logger.exception("could not refresh the query history of %s", database)
                connection.execute_native("ROLLBACK")
            finally:
                self.engine.release(connection)
