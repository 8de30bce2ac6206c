"""Running a COPY or UNLOAD for the statement workers.

:class:`LoadRunner` is what the workers call instead of the engine's
``execute`` when :func:`.kind.statement_kind` says a statement is a COPY or
an UNLOAD.  It parses the statement, talks to S3 (:mod:`..aws`) and uses
the engine only through its contract: ``execute`` for the query of an
UNLOAD and the target table's columns, ``insert_arrow`` for the rows of a
COPY, ``execute_native`` for the load-error tables.  The result is an
:class:`ExecResult` without a result set whose ``affected_rows`` (the
statement's ResultRows) is the number of rows loaded or unloaded.

Each run is remembered in :attr:`LoadRunner.history` (authorization kind
and role or access key id, never a secret) and logged at INFO.
"""

from __future__ import annotations

import collections
import datetime as dt
import logging
import threading
from dataclasses import dataclass

from ..aws.s3 import S3Error, S3Store
from ..aws.settings import AwsSettings
from ..engines.base import Engine, EngineConnection, ExecResult
from .errors import load_failed, statement_error
from .kind import LoadKind
from .options import Authorization, parse_copy, parse_unload

__all__ = ["LoadRecord", "LoadRunner", "LoadStatement"]

logger = logging.getLogger(__name__)

_HISTORY = 200


@dataclass(frozen=True)
class LoadStatement:
    """The statement a COPY or UNLOAD runs for: where, and its ids."""

    database: str
    query_id: int
    session_pid: int
    started_at: dt.datetime


@dataclass(frozen=True)
class LoadRecord:
    """One COPY or UNLOAD that ran: what it named and what it moved."""

    kind: LoadKind
    query_id: int
    location: str
    table: str | None
    authorization: Authorization
    region: str
    rows: int
    files: tuple[str, ...]
    error_count: int = 0


class LoadRunner:
    """Runs COPY and UNLOAD statements against ``engine`` and S3 (see the module docstring)."""

    def __init__(self, engine: Engine, aws: AwsSettings) -> None:
        self.engine = engine
        self.aws = aws
        self.history: collections.deque[LoadRecord] = collections.deque(maxlen=_HISTORY)
        self._prepared: set[str] = set()
        self._lock = threading.Lock()

    def run(
        self, kind: LoadKind, sql: str, connection: EngineConnection, statement: LoadStatement
    ) -> ExecResult:
        """Run one COPY or UNLOAD on ``connection``; EngineError when it fails."""
        try:
            if kind == "COPY":
                rows = self._copy(sql, connection, statement)
            else:
                rows = self._unload(sql, connection, statement)
        except S3Error as exc:
            raise statement_error(exc.message) from None
        return ExecResult(columns=None, affected_rows=rows)

    def prepare(self, database: str) -> None:
        """Create the load-error tables of a PostgreSQL database, once per database.

        The workers call it before every statement (a set lookup after the
        first), so that STL_LOAD_ERRORS answers before any COPY ran.
        """
        if self.engine.name != "postgresql" or database in self._prepared:
            return
        from .system_tables import postgres_setup

        with self._lock:
            if database in self._prepared:
                return
            connection = self.engine.connect(database, None)
            try:
                for statement in postgres_setup(database):
                    connection.execute_native(statement)
            finally:
                self.engine.release(connection)
            self._prepared.add(database)

    def _copy(self, sql: str, connection: EngineConnection, statement: LoadStatement) -> int:
        # pyarrow is imported by the first COPY/UNLOAD, not by every service start.
        from .copy import read_copy, target_columns
        from .system_tables import LoadErrorContext, record_errors

        command = parse_copy(sql)
        store = S3Store(self.aws, command.region)
        names, columns = target_columns(connection, command)
        result = read_copy(store, command, names, columns)
        if result.errors:
            context = LoadErrorContext(
                database=statement.database,
                table=command.table_label,
                query_id=statement.query_id,
                session_pid=statement.session_pid,
                started_at=statement.started_at,
            )
            record_errors(self.engine, result.errors, context)
        failed = result.error_count > command.max_error
        rows = 0
        if not failed and not command.no_load and result.data is not None and result.rows:
            rows = connection.insert_arrow(command.table, names, result.data)
        self._remember(
            LoadRecord(
                "COPY",
                statement.query_id,
                command.source,
                command.table_label,
                command.auth,
                store.region,
                rows,
                tuple(result.files),
                result.error_count,
            )
        )
        if failed:
            raise load_failed(command.table_label)
        return rows

    def _unload(self, sql: str, connection: EngineConnection, statement: LoadStatement) -> int:
        from .unload import run_unload

        command = parse_unload(sql)
        store = S3Store(self.aws, command.region)
        result = run_unload(command, connection, store)
        self._remember(
            LoadRecord(
                "UNLOAD",
                statement.query_id,
                command.target,
                None,
                command.auth,
                store.region,
                result.rows,
                tuple(str(f.url) for f in result.files),
            )
        )
        return result.rows

    def _remember(self, record: LoadRecord) -> None:
        self.history.append(record)
        logger.info(
            "%s %s %s (%s, region %s): %d rows, %d files, %d bad rows",
            record.kind,
            record.table or "",
            record.location,
            record.authorization.describe(),
            record.region,
            record.rows,
            len(record.files),
            record.error_count,
        )
