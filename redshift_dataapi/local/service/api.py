"""The local Data API service: one handler per operation of the ``redshift-data`` model.

:class:`LocalDataAPI` validates each request against the botocore model and the
service's own rules, then runs it: statements asynchronously on worker threads
(:mod:`.statements`), sessions (:mod:`.sessions`), catalog listings through the
engine.  ``handle(operation, params)`` returns the response as a dict (datetimes
as aware ``datetime`` objects) or raises :class:`ServiceError`; the transports
(:mod:`.http_server`, :mod:`.inprocess`) only frame it as AWS JSON 1.1.

Decisions where the service's behaviour is not documented:

* With ``SessionId``, ``ClusterIdentifier``/``WorkgroupName``/``DbUser``/``SecretArn``
  are refused; ``Database`` is accepted only when it names the session's database.
* GetStatementResult on a statement that has not finished, failed, or has no
  result set: ValidationException "Query does not have result. Please check
  query status with DescribeStatement." (after waiting ``WaitTimeSeconds`` if given).
* Results of a statement are kept ``retention_seconds`` after it ends; after
  that every call naming it gets ResourceNotFoundException.
* ExecuteStatement with ``Parameters``: every ``:name`` in the SQL needs a value
  and every value a ``:name`` (ValidationException otherwise).  In a batch the
  Parameters list is shared: each sub-statement binds the names it references.
* A session busy with a statement refuses another with ValidationException; a
  ClientToken reused with a different request within 8 hours too.
* ListDatabases/ListSchemas/ListTables/DescribeTable naming a database that does
  not exist: ValidationException with the engine's message.
* ``WithEvent`` is accepted and ignored (there is no EventBridge locally);
  ``RoleLevel`` is ignored (every caller sees every statement).
"""

from __future__ import annotations

import base64
import binascii
import collections
import datetime as dt
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..engines.base import Engine, EngineError, create_engine
from ..errors import ServiceError, validation_error
from ..runtime.encoding import (
    DEFAULT_PAGE_SIZE_BYTES,
    DEFAULT_RESULT_CAP_BYTES,
    ROW_LIMIT_BYTES,
    column_metadata,
)
from ..runtime.secrets import SecretResolver
from ..runtime.sessions import DEFAULT_MAX_SESSIONS, Session, SessionRegistry
from ..runtime.statements import (
    DEFAULT_MAX_ACTIVE_STATEMENTS,
    FINISHED,
    Statement,
    StatementRunner,
    StatementStore,
)
from .placeholders import referenced_names
from .validation import operation_model, validate_request

logger = logging.getLogger(__name__)

#: The Data API's limit on one SQL text.
MAX_SQL_BYTES = 100 * 1024
#: Default MaxResults of the catalog listings and of ListStatements/ListSessions.
DEFAULT_LIST_PAGE = 1000
DEFAULT_STATEMENT_LIST_PAGE = 100

_NO_RESULT = "Query does not have result. Please check query status with DescribeStatement."


def _ts(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc)


def _encode_token(*parts: Any) -> str:
    raw = "|".join(str(p) for p in parts).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_token(token: str, expected_parts: int) -> list[str]:
    try:
        padded = token + "=" * (-len(token) % 4)
        parts = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        parts = []
    if len(parts) != expected_parts:
        raise validation_error(f"Invalid NextToken: {token!r} was not issued for this request.")
    return parts


class LocalDataAPI:
    """A Redshift Data API implementation over a local SQL engine.

    ``engine``: an :class:`Engine`, or a spec for :func:`engines.create_engine`
    ("duckdb", "duckdb:PATH", "postgresql://..."); None means in-memory DuckDB.
    ``retention_seconds``: how long results are kept after a statement ends.
    ``result_cap_bytes``: a bigger result makes the statement FAIL.
    ``page_size_bytes``: byte budget of one result page (see :mod:`.encoding`).
    ``max_workers``: statements that may run at once.
    ``secrets``: SecretArn -> credentials mapping or JSON file (see :mod:`.secrets`).
    """

    def __init__(
        self,
        engine: Engine | str | None = None,
        *,
        retention_seconds: float = 86400.0,
        result_cap_bytes: int = DEFAULT_RESULT_CAP_BYTES,
        page_size_bytes: int = DEFAULT_PAGE_SIZE_BYTES,
        max_workers: int = 16,
        secrets: Mapping[str, Mapping[str, Any]] | str | Path | None = None,
        row_limit_bytes: int = ROW_LIMIT_BYTES,
        max_sql_bytes: int = MAX_SQL_BYTES,
        max_active_statements: int = DEFAULT_MAX_ACTIVE_STATEMENTS,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
    ) -> None:
        if retention_seconds <= 0:
            raise ValueError(f"retention_seconds must be positive, got {retention_seconds!r}")
        if page_size_bytes <= 0:
            raise ValueError(f"page_size_bytes must be positive, got {page_size_bytes!r}")
        if result_cap_bytes <= 0:
            raise ValueError(f"result_cap_bytes must be positive, got {result_cap_bytes!r}")
        if max_workers < 1:
            raise ValueError(f"max_workers must be at least 1, got {max_workers!r}")
        if isinstance(engine, Engine):
            self.engine = engine
        elif engine is None or isinstance(engine, str):
            self.engine = create_engine(engine)
        else:
            raise TypeError(
                f"engine must be an Engine, a spec string or None, not {type(engine).__name__}"
            )
        self.retention_seconds = retention_seconds
        self.result_cap_bytes = result_cap_bytes
        self.page_size_bytes = page_size_bytes
        self.max_sql_bytes = max_sql_bytes
        self.max_active_statements = max_active_statements
        #: Calls per operation name (for benchmarks and tests).
        self.calls: collections.Counter[str] = collections.Counter()
        self._calls_lock = threading.Lock()
        self.secrets = SecretResolver(secrets)
        self.store = StatementStore(retention_seconds)
        self.sessions = SessionRegistry(max_sessions=max_sessions)
        self.runner = StatementRunner(
            self.engine,
            self.store,
            self.sessions,
            max_workers=max_workers,
            page_size_bytes=page_size_bytes,
            result_cap_bytes=result_cap_bytes,
            row_limit_bytes=row_limit_bytes,
        )
        self._closed = False
        self._submit_lock = threading.Lock()
        self._handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "ExecuteStatement": self._execute_statement,
            "BatchExecuteStatement": self._batch_execute_statement,
            "DescribeStatement": self._describe_statement,
            "GetStatementResult": self._get_statement_result,
            "GetStatementResultV2": self._get_statement_result_v2,
            "CancelStatement": self._cancel_statement,
            "ListStatements": self._list_statements,
            "ListSessions": self._list_sessions,
            "ListDatabases": self._list_databases,
            "ListSchemas": self._list_schemas,
            "ListTables": self._list_tables,
            "DescribeTable": self._describe_table,
        }

    # -- entry point -------------------------------------------------------------

    def handle(self, operation: str, params: dict[str, Any] | None) -> dict[str, Any]:
        """Run one Data API operation; raises :class:`ServiceError` on any error."""
        with self._calls_lock:
            self.calls[operation] += 1
        handler = self._handlers.get(operation)
        if handler is None:
            operation_model(operation)  # raises UnknownOperationException for the wrong name
            raise ServiceError(
                "UnknownOperationException", f"Operation {operation} is not supported"
            )
        if self._closed:
            raise ServiceError("InternalServerException", "The local Data API service is closed")
        params = {} if params is None else params
        subject = (
            params.get("Id") or params.get("SessionId") or "" if isinstance(params, dict) else ""
        )
        try:
            validate_request(operation, params)
            response = handler(params)
        except ServiceError as exc:
            logger.debug("%s %s -> %s", operation, subject, exc.code)
            raise
        except EngineError as exc:
            logger.debug("%s %s -> engine error", operation, subject)
            raise validation_error(exc.message) from exc
        except Exception as exc:
            logger.exception("%s failed", operation)
            raise ServiceError("InternalServerException", f"internal error: {exc}") from exc
        # One line per request: the operation and the statement it concerns (never
        # parameters or SQL text, which may carry secrets).
        logger.debug("%s %s", operation, response.get("Id") or subject)
        return response

    def close(self) -> None:
        """Stop the workers, close every session and the engine."""
        if self._closed:
            return
        self._closed = True
        # Interrupt running statements, and give them a moment to roll back, so that
        # the engine is not closed under a running query.
        running = [s for s in self.store.top_level() if not s.terminal]
        for statement in running:
            try:
                self.runner.cancel(statement)
            except ServiceError:
                pass
        deadline = time.monotonic() + 5.0
        for statement in running:
            statement.done.wait(max(0.0, deadline - time.monotonic()))
        self.runner.shutdown()
        self.sessions.close()
        try:
            self.engine.close()
        except Exception:
            logger.debug("engine close failed", exc_info=True)

    def __enter__(self) -> LocalDataAPI:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- shared rules ----------------------------------------------------------------

    def _check_target(self, params: dict[str, Any], *, session_allowed: bool) -> None:
        cluster = params.get("ClusterIdentifier")
        workgroup = params.get("WorkgroupName")
        db_user = params.get("DbUser")
        secret = params.get("SecretArn")
        if session_allowed and params.get("SessionId"):
            if cluster or workgroup:
                raise validation_error(
                    "SessionId cannot be combined with ClusterIdentifier or WorkgroupName: "
                    "a session already knows its target."
                )
            if db_user or secret:
                raise validation_error(
                    "SessionId cannot be combined with DbUser or SecretArn: a session already "
                    "knows its credentials."
                )
            return
        if cluster and workgroup:
            raise validation_error("Specify either ClusterIdentifier or WorkgroupName, not both.")
        if not cluster and not workgroup:
            raise validation_error(
                "Either ClusterIdentifier or WorkgroupName must be specified"
                + (" (or SessionId)." if session_allowed else ".")
            )
        if db_user and not cluster:
            raise validation_error(
                "DbUser can only be used with ClusterIdentifier; a serverless workgroup takes "
                "SecretArn or the caller's IAM identity."
            )
        if db_user and secret:
            raise validation_error("Specify either SecretArn or DbUser, not both.")

    def _check_sql(self, sql: str, where: str = "Sql") -> None:
        size = len(sql.encode("utf-8"))
        if size > self.max_sql_bytes:
            raise validation_error(
                f"{where} is too long: {size} bytes; the Data API's limit on a SQL statement "
                f"is {self.max_sql_bytes} bytes ({self.max_sql_bytes // 1024} KB)."
            )
        if not sql.strip():
            raise validation_error(f"{where} must not be empty.")

    @staticmethod
    def _parameter_map(params: dict[str, Any]) -> dict[str, str] | None:
        parameters = params.get("Parameters")
        if parameters is None:
            return None
        values: dict[str, str] = {}
        for item in parameters:
            name = item["name"]
            if name in values:
                raise validation_error(f"Parameter {name!r} is given more than once.")
            values[name] = item["value"]
        return values

    def _wait(self, statement: Statement, params: dict[str, Any]) -> None:
        seconds = params.get("WaitTimeSeconds")
        if seconds and not statement.done.is_set():
            statement.done.wait(float(seconds))

    def _check_capacity(self) -> None:
        if self.store.active_count() >= self.max_active_statements:
            raise ServiceError(
                "ActiveStatementsExceededException",
                f"Active statements exceeded the allowed quota of {self.max_active_statements}.",
            )

    @staticmethod
    def _fingerprint(params: dict[str, Any]) -> str:
        kept = {k: v for k, v in params.items() if k not in ("ClientToken", "WaitTimeSeconds")}
        return json.dumps(kept, sort_keys=True, default=str)

    # -- submission ------------------------------------------------------------------

    def _submit(
        self,
        params: dict[str, Any],
        build: Callable[[str, dict[str, Any]], Statement],
    ) -> dict[str, Any]:
        self._check_target(params, session_allowed=True)
        token = params.get("ClientToken")
        fingerprint = self._fingerprint(params)
        with self._submit_lock:
            existing = self.store.token_lookup(token, fingerprint) if token else None
            if existing is None:
                self._check_capacity()
                statement_id = str(uuid.uuid4())
                context = self._statement_context(params, statement_id)
                session: Session | None = context.pop("_session")
                try:
                    statement = build(statement_id, context)
                except Exception:
                    if session is not None:
                        self.sessions.release(session)
                    raise
                self.store.add(statement)
                if token:
                    self.store.token_record(token, fingerprint, statement.id)
        if existing is not None:
            # The same request again within 8 hours: the first statement, run once.
            statement = self.store.get(existing)
            self._wait(statement, params)
            return self._submit_response(statement)
        self.runner.submit(statement, session=session)
        self._wait(statement, params)
        return self._submit_response(statement)

    def _statement_context(self, params: dict[str, Any], statement_id: str) -> dict[str, Any]:
        """Target, credentials and session of a new statement (session acquired busy)."""
        keep_alive = int(params.get("SessionKeepAliveSeconds") or 0)
        session_id = params.get("SessionId")
        if session_id:
            session = self.sessions.get(session_id)
            database = params.get("Database")
            if session is not None and database and database != session.database:
                raise validation_error(
                    f"Database {database!r} does not match the session's database "
                    f"{session.database!r}; omit Database when you pass SessionId."
                )
            given = params.get("SessionKeepAliveSeconds")
            session = self.sessions.acquire(
                session_id, statement_id, None if given is None else keep_alive
            )
            return {
                "_session": session,
                "database": session.database,
                "engine_user": session.engine_user,
                "db_user": session.db_user,
                "secret_arn": session.secret_arn,
                "cluster_identifier": session.cluster_identifier,
                "workgroup_name": session.workgroup_name,
                "session_id": session.id,
            }
        database = params.get("Database")
        if not database:
            raise validation_error("Database must be specified (or SessionId).")
        engine_user = self.secrets.user_for(params.get("DbUser"), params.get("SecretArn"))
        context: dict[str, Any] = {
            "_session": None,
            "database": database,
            "engine_user": engine_user,
            "db_user": params.get("DbUser"),
            "secret_arn": params.get("SecretArn"),
            "cluster_identifier": params.get("ClusterIdentifier"),
            "workgroup_name": params.get("WorkgroupName"),
            "session_id": None,
        }
        if keep_alive > 0:
            self.sessions.check_capacity()
            session = self.sessions.open(
                database=database,
                engine_user=engine_user,
                keep_alive_seconds=keep_alive,
                db_user=context["db_user"],
                secret_arn=context["secret_arn"],
                cluster_identifier=context["cluster_identifier"],
                workgroup_name=context["workgroup_name"],
                statement_id=statement_id,
            )
            context["_session"] = session
            context["session_id"] = session.id
        return context

    def _execute_statement(self, params: dict[str, Any]) -> dict[str, Any]:
        sql: str = params["Sql"]
        self._check_sql(sql)
        values = self._parameter_map(params)
        if values is not None:
            used = referenced_names(sql)
            missing = sorted(used - values.keys())
            if missing:
                raise validation_error(
                    "The SQL references parameters that have no value in Parameters: "
                    + ", ".join(f":{n}" for n in missing)
                )
            unused = sorted(values.keys() - used)
            if unused:
                # The service's own wording for this case.
                raise validation_error(
                    "Parameters list contains unused parameters. Unused parameters: "
                    f"[{', '.join(unused)}]"
                )

        def build(statement_id: str, context: dict[str, Any]) -> Statement:
            now = time.time()
            return Statement(
                id=statement_id,
                seq=self.store.next_seq(),
                query_string=sql,
                created_at=now,
                parameters=params.get("Parameters"),
                bind=values,
                result_format=params.get("ResultFormat") or "JSON",
                statement_name=params.get("StatementName"),
                **context,
            )

        return self._submit(params, build)

    def _batch_execute_statement(self, params: dict[str, Any]) -> dict[str, Any]:
        sqls: list[str] = params["Sqls"]
        for index, sql in enumerate(sqls, start=1):
            self._check_sql(sql, f"Sqls[{index}]")
        values = self._parameter_map(params)
        binds: list[dict[str, str] | None] = []
        for index, sql in enumerate(sqls, start=1):
            if values is None:
                binds.append(None)
                continue
            used = referenced_names(sql)
            missing = sorted(used - values.keys())
            if missing:
                raise validation_error(
                    f"Sqls[{index}] references parameters that have no value in Parameters: "
                    + ", ".join(f":{n}" for n in missing)
                )
            binds.append({name: values[name] for name in used})

        def build(statement_id: str, context: dict[str, Any]) -> Statement:
            now = time.time()
            fmt = params.get("ResultFormat") or "JSON"
            batch = Statement(
                id=statement_id,
                seq=self.store.next_seq(),
                query_string=None,
                created_at=now,
                parameters=params.get("Parameters"),
                result_format=fmt,
                statement_name=params.get("StatementName"),
                execution_mode=params.get("ExecutionMode") or "TRANSACTION",
                is_batch=True,
                **context,
            )
            for number, (sql, bind) in enumerate(zip(sqls, binds, strict=True), start=1):
                batch.subs.append(
                    Statement(
                        id=f"{statement_id}:{number}",
                        seq=batch.seq,
                        query_string=sql,
                        created_at=now,
                        bind=bind,
                        result_format=fmt,
                        parent=batch,
                        **context,
                    )
                )
            return batch

        return self._submit(params, build)

    @staticmethod
    def _submit_response(statement: Statement) -> dict[str, Any]:
        response: dict[str, Any] = {
            "Id": statement.id,
            "CreatedAt": _ts(statement.created_at),
            "Database": statement.database,
            "Status": statement.status,
        }
        for key, value in (
            ("ClusterIdentifier", statement.cluster_identifier),
            ("WorkgroupName", statement.workgroup_name),
            ("DbUser", statement.db_user),
            ("SecretArn", statement.secret_arn),
            ("SessionId", statement.session_id),
            ("RedshiftPid", statement.redshift_pid),
        ):
            if value is not None:
                response[key] = value
        if statement.terminal:
            response["HasResultSet"] = statement.has_result_set
        return response

    # -- statements --------------------------------------------------------------------

    @staticmethod
    def _duration(statement: Statement) -> int:
        if statement.terminal:
            return statement.duration_ns if statement.started_ns is not None else -1
        if statement.started_ns is None:
            return -1
        return time.monotonic_ns() - statement.started_ns

    def _describe_one(self, statement: Statement) -> dict[str, Any]:
        data: dict[str, Any] = {
            "Id": statement.id,
            "Status": statement.status,
            "CreatedAt": _ts(statement.created_at),
            "UpdatedAt": _ts(statement.updated_at),
            "Duration": self._duration(statement),
            "HasResultSet": statement.has_result_set,
            "ResultRows": statement.result_rows if statement.terminal else -1,
            "ResultSize": statement.result_size if statement.terminal else -1,
            "RedshiftQueryId": statement.redshift_query_id or 0,
        }
        if statement.query_string is not None:
            data["QueryString"] = statement.query_string
        if statement.error is not None:
            data["Error"] = statement.error
        return data

    def _describe_statement(self, params: dict[str, Any]) -> dict[str, Any]:
        statement = self.store.get(params["Id"])
        self._wait(statement, params)
        with self.store.lock:
            data = self._describe_one(statement)
            root = statement.parent or statement
            data["Database"] = root.database
            data["ResultFormat"] = root.result_format
            if root.redshift_pid is not None:
                data["RedshiftPid"] = root.redshift_pid
            for key, value in (
                ("ClusterIdentifier", root.cluster_identifier),
                ("WorkgroupName", root.workgroup_name),
                ("DbUser", root.db_user),
                ("SecretArn", root.secret_arn),
                ("SessionId", root.session_id),
            ):
                if value is not None:
                    data[key] = value
            if statement.parent is None and statement.parameters:
                data["QueryParameters"] = statement.parameters
            if statement.is_batch:
                data["ExecutionMode"] = statement.execution_mode
                data["SubStatements"] = [self._describe_one(sub) for sub in statement.subs]
        return data

    def _result_statement(self, params: dict[str, Any], result_format: str) -> Statement:
        statement = self.store.get(params["Id"])
        if statement.is_batch:
            raise validation_error(
                "BatchExecuteStatement result can only be retrieved with sub-statement id."
            )
        self._wait(statement, params)
        if statement.status != FINISHED or not statement.has_result_set or statement.result is None:
            raise validation_error(_NO_RESULT)
        if statement.result.result_format != result_format:
            if result_format == "JSON":
                raise validation_error(
                    f"Statement {statement.id} has ResultFormat CSV: fetch its result with "
                    "GetStatementResultV2."
                )
            raise validation_error(
                f"Statement {statement.id} has ResultFormat JSON: fetch its result with "
                "GetStatementResult; GetStatementResultV2 serves ResultFormat CSV."
            )
        return statement

    def _page(self, statement: Statement, params: dict[str, Any]) -> dict[str, Any]:
        result = statement.result
        assert result is not None
        index = 0
        token = params.get("NextToken")
        if token:
            kind, statement_id, page = _decode_token(token, 3)
            if kind != "r" or statement_id != statement.id or not page.isdigit():
                raise validation_error(
                    f"Invalid NextToken: {token!r} was not issued for this statement."
                )
            index = int(page)
            if index >= len(result.pages):
                raise validation_error(f"Invalid NextToken: {token!r} is past the last page.")
        response: dict[str, Any] = {
            "Records": result.page_records(index),
            "ColumnMetadata": result.column_metadata,
            "TotalNumRows": result.total_rows,
        }
        if index + 1 < len(result.pages):
            response["NextToken"] = _encode_token("r", statement.id, index + 1)
        return response

    def _get_statement_result(self, params: dict[str, Any]) -> dict[str, Any]:
        statement = self._result_statement(params, "JSON")
        return self._page(statement, params)

    def _get_statement_result_v2(self, params: dict[str, Any]) -> dict[str, Any]:
        statement = self._result_statement(params, "CSV")
        response = self._page(statement, params)
        response["ResultFormat"] = "CSV"
        return response

    def _cancel_statement(self, params: dict[str, Any]) -> dict[str, Any]:
        statement = self.store.get(params["Id"])
        self.runner.cancel(statement.parent or statement)
        return {"Status": True}

    def _list_statements(self, params: dict[str, Any]) -> dict[str, Any]:
        status = params.get("Status") or "ALL"
        name = params.get("StatementName")
        limit = params.get("MaxResults") or DEFAULT_STATEMENT_LIST_PAGE
        before: int | None = None
        if params.get("NextToken"):
            kind, seq = _decode_token(params["NextToken"], 2)
            if kind != "s" or not seq.isdigit():
                raise validation_error("Invalid NextToken for ListStatements.")
            before = int(seq)
        selected: list[Statement] = []
        more = False
        for statement in self.store.top_level():
            if before is not None and statement.seq >= before:
                continue
            if status != "ALL" and statement.status != status:
                continue
            if name and not (statement.statement_name or "").startswith(name):
                continue
            if params.get("Database") and statement.database != params["Database"]:
                continue
            if (
                params.get("ClusterIdentifier")
                and statement.cluster_identifier != params["ClusterIdentifier"]
            ):
                continue
            if params.get("WorkgroupName") and statement.workgroup_name != params["WorkgroupName"]:
                continue
            if len(selected) == limit:
                more = True
                break
            selected.append(statement)
        items = []
        with self.store.lock:
            for statement in selected:
                item: dict[str, Any] = {
                    "Id": statement.id,
                    "Status": statement.status,
                    "CreatedAt": _ts(statement.created_at),
                    "UpdatedAt": _ts(statement.updated_at),
                    "IsBatchStatement": statement.is_batch,
                    "ResultFormat": statement.result_format,
                }
                if statement.is_batch:
                    item["QueryStrings"] = [sub.query_string for sub in statement.subs]
                else:
                    item["QueryString"] = statement.query_string
                for key, value in (
                    ("SecretArn", statement.secret_arn),
                    ("StatementName", statement.statement_name),
                    ("SessionId", statement.session_id),
                    ("QueryParameters", statement.parameters),
                ):
                    if value:
                        item[key] = value
                items.append(item)
        response: dict[str, Any] = {"Statements": items}
        if more and selected:
            response["NextToken"] = _encode_token("s", selected[-1].seq)
        return response

    def _list_sessions(self, params: dict[str, Any]) -> dict[str, Any]:
        self.sessions.reap()
        sessions = self.sessions.all()
        filters = (
            ("SessionId", lambda s: s.id),
            ("Status", lambda s: s.status),
            ("ClusterIdentifier", lambda s: s.cluster_identifier),
            ("WorkgroupName", lambda s: s.workgroup_name),
            ("Database", lambda s: s.database),
        )
        for key, attribute in filters:
            wanted = params.get(key)
            if wanted:
                if key == "SessionId":
                    wanted = wanted.split(":", 1)[0]
                sessions = [s for s in sessions if attribute(s) == wanted]
        return self._paginate(
            "ListSessions",
            "Sessions",
            sessions,
            params,
            self._session_item,
            default_limit=DEFAULT_STATEMENT_LIST_PAGE,
        )

    @staticmethod
    def _session_item(session: Session) -> dict[str, Any]:
        item: dict[str, Any] = {
            "SessionId": session.id,
            "Status": session.status,
            "CreatedAt": _ts(session.created_at),
            "UpdatedAt": _ts(session.updated_at),
            "Database": session.database,
            "SessionAliveSeconds": session.keep_alive_seconds,
            "SessionTtl": _ts(
                session.closed_at if session.closed and session.closed_at else session.expires_at
            ),
        }
        for key, value in (
            ("DbUser", session.db_user),
            ("ClusterIdentifier", session.cluster_identifier),
            ("WorkgroupName", session.workgroup_name),
            ("CurrentStatementId", session.current_statement_id),
        ):
            if value:
                item[key] = value
        return item

    # -- catalog -------------------------------------------------------------------------

    @staticmethod
    def _paginate(
        operation: str,
        key: str,
        items: list[Any],
        params: dict[str, Any],
        convert: Callable[[Any], Any] | None = None,
        *,
        default_limit: int = DEFAULT_LIST_PAGE,
    ) -> dict[str, Any]:
        """The response holding one page of ``items`` under ``key``, and its NextToken."""
        limit = params.get("MaxResults") or default_limit
        offset = 0
        if params.get("NextToken"):
            kind, value = _decode_token(params["NextToken"], 2)
            if kind != operation or not value.isdigit():
                raise validation_error(f"Invalid NextToken for {operation}.")
            offset = int(value)
        page = items[offset : offset + limit]
        response: dict[str, Any] = {key: page if convert is None else list(map(convert, page))}
        if offset + limit < len(items):
            response["NextToken"] = _encode_token(operation, offset + limit)
        return response

    def _catalog_request(self, params: dict[str, Any]) -> tuple[str | None, list[str]]:
        """The engine user of a catalog call and the databases, after checking both.

        ``ConnectedDatabase`` and ``Database`` must name existing databases; the
        list is read from the engine once per call.
        """
        self._check_target(params, session_allowed=False)
        user = self.secrets.user_for(params.get("DbUser"), params.get("SecretArn"))
        databases = self.engine.list_databases()
        for name in (params.get("ConnectedDatabase"), params.get("Database")):
            if name and name not in databases:
                raise validation_error(f'database "{name}" does not exist')
        return user, databases

    def _list_databases(self, params: dict[str, Any]) -> dict[str, Any]:
        databases = self._catalog_request(params)[1]
        return self._paginate("ListDatabases", "Databases", databases, params)

    def _list_schemas(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self._catalog_request(params)[0]
        schemas = self.engine.list_schemas(params["Database"], params.get("SchemaPattern"), user)
        return self._paginate("ListSchemas", "Schemas", schemas, params)

    def _list_tables(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self._catalog_request(params)[0]
        tables = self.engine.list_tables(
            params["Database"], params.get("SchemaPattern"), params.get("TablePattern"), user
        )
        return self._paginate(
            "ListTables",
            "Tables",
            tables,
            params,
            lambda t: {"name": t.name, "schema": t.schema, "type": t.type},
        )

    def _describe_table(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self._catalog_request(params)[0]
        columns = self.engine.describe_table(
            params["Database"], params.get("Schema"), params.get("Table"), user
        )
        response = self._paginate("DescribeTable", "ColumnList", columns, params, column_metadata)
        table = params.get("Table")
        if table:
            response["TableName"] = table
        return response


_shared: dict[str, LocalDataAPI] = {}
_shared_lock = threading.Lock()


def shared_service(spec: str = "duckdb") -> LocalDataAPI:
    """One service per engine spec per process, created on first use.

    The driver maps ``endpoint_url="local:"`` / ``"local:<spec>"`` to
    ``inprocess_client(shared_service(spec))``.
    """
    spec = spec or "duckdb"
    with _shared_lock:
        service = _shared.get(spec)
        if service is None or service._closed:
            service = LocalDataAPI(spec)
            _shared[spec] = service
        return service
