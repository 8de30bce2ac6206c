"""The contract between the local Data API service and a SQL engine.

The service (``redshift_dataapi.local.service`` and ``.runtime``) owns everything the Data API
defines: statement ids, the status state machine, worker threads, sessions,
long polling, result retention, paging and the Field encoding of values.  An
engine only runs SQL and answers catalog questions.  Keeping the split here
means DuckDB and PostgreSQL return the same Python values for the same
Redshift type and the encoding into ``Field`` unions is written once.

Values an engine returns, by Redshift ``typeName`` (the service encodes them):

========================  ==========================================
typeName                  Python value in ``ExecResult.rows``
========================  ==========================================
int2, int4, int8          int
float4, float8            float
numeric                   decimal.Decimal
bool                      bool
char/bpchar, varchar,     str
text, name
date                      datetime.date
time                      datetime.time (naive)
timetz                    datetime.time with tzinfo
timestamp                 datetime.datetime (naive)
timestamptz               datetime.datetime (aware)
interval                  str (engine's text form) or datetime.timedelta
super                     str holding JSON text
varbyte                   bytes
geometry                  str (hex EWKB)
anything else             str
========================  ==========================================

``None`` is NULL for every type.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "DEFAULT_ADMIN_USER",
    "ColumnInfo",
    "ColumnarRows",
    "Engine",
    "EngineConnection",
    "EngineError",
    "ExecResult",
    "StatementCancelled",
    "TableInfo",
    "UnknownDatabase",
    "like_to_regex",
]


#: Redshift's admin user (the cluster's master user), as the console names it by default.
DEFAULT_ADMIN_USER = "awsuser"


class EngineError(Exception):
    """A statement failed in the engine.

    ``message`` is what the service puts in DescribeStatement's ``Error``.
    Engines include the SQLSTATE the way Redshift does where they know it:
    ``"ERROR: duplicate key value violates unique constraint ... (SQLSTATE 23505)"``.
    """

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.sqlstate = sqlstate


class StatementCancelled(EngineError):
    """The statement was interrupted by :meth:`EngineConnection.cancel`."""


class UnknownDatabase(EngineError):
    """The Data API ``Database`` does not exist in this engine."""


@dataclass
class ColumnInfo:
    """One column of a result or of DescribeTable, as the Data API's ColumnMetadata.

    ``nullable`` follows JDBC: 0 = no nulls, 1 = nullable, 2 = unknown.
    ``length`` is the declared length for char/varchar (0 when unbounded or
    not applicable), ``precision``/``scale`` for numeric (precision is also the
    display width for other types, as the service reports it).
    """

    name: str
    type_name: str
    label: str | None = None
    length: int = 0
    precision: int = 0
    scale: int = 0
    nullable: int = 2
    schema_name: str = ""
    table_name: str = ""
    is_signed: bool = False
    is_case_sensitive: bool = False
    is_currency: bool = False
    column_default: str | None = None


class ColumnarRows(Sequence[tuple[Any, ...]], abc.ABC):
    """A large result held as rows for its first part and column by column for the rest.

    An engine may return it as ``ExecResult.rows``: it is a sequence of the
    same row tuples (the same Python values) a full fetch gives, built on
    first use.  The service's encoder does not build them: it takes ``head``
    as rows and asks for the rest column by column: as Arrow
    (:meth:`tail_array`), its text forms (:meth:`tail_text_array`, computed by
    the engine without a Python object per value), or its Python values
    (:meth:`tail_values`).
    """

    def __init__(self, head: list[tuple[Any, ...]]) -> None:
        self.head = head
        self._rows: list[tuple[Any, ...]] | None = None

    @abc.abstractmethod
    def tail_length(self) -> int:
        """How many rows follow ``head``."""

    @abc.abstractmethod
    def tail_rows(self) -> list[tuple[Any, ...]]:
        """The rows after ``head``, as a full fetch gives them."""

    @abc.abstractmethod
    def tail_values(self, index: int) -> list[Any]:
        """Column ``index`` of the rows after ``head``: the values ``tail_rows`` holds."""

    @abc.abstractmethod
    def tail_array(self, index: int) -> pa.ChunkedArray:
        """Column ``index`` of the rows after ``head`` as Arrow."""

    @abc.abstractmethod
    def tail_text_array(self, index: int, type_name: str) -> pa.ChunkedArray | None:
        """The Data API text forms of column ``index`` after ``head`` as ``type_name``.

        None when the engine cannot write them exactly as the encoder's text
        functions would (see ``runtime.encoding``); the encoder then takes
        :meth:`tail_values`.
        """

    def _all(self) -> list[tuple[Any, ...]]:
        if self._rows is None:
            self._rows = self.head + self.tail_rows()
        return self._rows

    def __len__(self) -> int:
        return len(self.head) + self.tail_length()

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self._all() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a sequence that compares by value

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self)} rows>"


@dataclass
class ExecResult:
    """What one SQL statement produced.

    ``columns`` is None when the statement has no result set (DDL, DML without
    RETURNING, SET, BEGIN...): engines decide this from the statement's type,
    not from whether the underlying driver returned a description.
    ``affected_rows`` is the number of rows inserted/updated/deleted for DML,
    the number of rows returned for queries, and 0 otherwise.
    ``rows`` is a list, or for a large result a :class:`ColumnarRows`.
    """

    columns: list[ColumnInfo] | None
    rows: Sequence[tuple[Any, ...]] = field(default_factory=list)
    affected_rows: int = 0


@dataclass
class TableInfo:
    """One ListTables entry. ``type`` is TABLE, VIEW, or the service's other names."""

    name: str
    schema: str
    type: str


class EngineConnection(abc.ABC):
    """One engine connection: used by one statement at a time.

    Statements outside a Data API session get a fresh or pooled connection in
    autocommit mode; a session owns one connection for its whole life, so temp
    tables, SET and an open transaction survive between statements.
    """

    #: A number that identifies the backend process/connection (RedshiftPid).
    pid: int

    @abc.abstractmethod
    def execute(self, sql: str, parameters: dict[str, str] | None = None) -> ExecResult:
        """Run one Redshift SQL statement.

        ``sql`` is Redshift SQL as the client sent it; the engine translates it.
        ``parameters`` maps ``:name`` placeholders to the Data API's string
        values; they are bound, never pasted into the SQL text.  Raises
        :class:`EngineError` (or :class:`StatementCancelled`).
        """

    def insert_arrow(self, table: str, columns: Sequence[str], data: pa.Table) -> int:
        """Append the rows of ``data`` to ``table`` in one statement; the rows inserted.

        COPY's bulk path.  ``table`` is the table's name as SQL text (quoted
        where it needs it), ``columns`` the columns ``data``'s columns go to,
        in order (the others take their defaults).  Runs in the connection's
        transaction state (autocommit outside one), so the insert is atomic.
        """
        raise EngineError(
            f"ERROR: the {type(self).__name__} engine cannot bulk-insert (SQLSTATE 0A000)", "0A000"
        )

    def execute_native(self, sql: str) -> None:
        """Run one statement of the engine's own SQL, untranslated (the endpoint's setup)."""
        raise EngineError(
            f"ERROR: the {type(self).__name__} engine runs no native SQL (SQLSTATE 0A000)", "0A000"
        )

    @abc.abstractmethod
    def begin(self) -> None:
        """Open a transaction (for batches in TRANSACTION mode)."""

    @abc.abstractmethod
    def commit(self) -> None:
        """Commit the open transaction."""

    @abc.abstractmethod
    def rollback(self) -> None:
        """Roll back the open transaction; a no-op when none is open."""

    @property
    @abc.abstractmethod
    def in_transaction(self) -> bool:
        """True while an explicit transaction is open on this connection."""

    @abc.abstractmethod
    def cancel(self) -> None:
        """Interrupt the statement running on this connection (called from another thread)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection, rolling back anything uncommitted."""


class Engine(abc.ABC):
    """A SQL engine behind the local endpoint: DuckDB or PostgreSQL."""

    #: Short name shown in logs and by ``local serve`` ("duckdb", "postgresql").
    name: str
    #: The user with the admin's rights; requests without DbUser or SecretArn run as it.
    admin_user: str = DEFAULT_ADMIN_USER

    @abc.abstractmethod
    def list_databases(self) -> list[str]:
        """Names of the Data API databases, sorted. ``dev`` always exists."""

    @abc.abstractmethod
    def connect(self, database: str, user: str | None = None) -> EngineConnection:
        """A connection to ``database`` running as ``user`` (None = the engine's default).

        Raises :class:`UnknownDatabase` when ``database`` does not exist.
        """

    @abc.abstractmethod
    def release(self, connection: EngineConnection) -> None:
        """Give back a connection obtained by :meth:`connect` for one statement.

        Engines may pool it; the service calls :meth:`EngineConnection.close`
        instead for session connections.
        """

    @abc.abstractmethod
    def list_schemas(
        self, database: str, pattern: str | None = None, user: str | None = None
    ) -> list[str]:
        """Schema names of ``database`` matching a LIKE ``pattern`` (None = all), sorted."""

    @abc.abstractmethod
    def list_tables(
        self,
        database: str,
        schema_pattern: str | None = None,
        table_pattern: str | None = None,
        user: str | None = None,
    ) -> list[TableInfo]:
        """Tables and views matching LIKE patterns, sorted by schema then name."""

    @abc.abstractmethod
    def describe_table(
        self, database: str, schema: str | None, table: str | None, user: str | None = None
    ) -> list[ColumnInfo]:
        """Columns of one table (``schema`` None = the search path's first match).

        With ``table`` None, the columns of every table of the schema (the service's
        DescribeTable without Table), each ColumnInfo naming its table.
        """

    @abc.abstractmethod
    def close(self) -> None:
        """Stop the engine and release every resource."""


def like_to_regex(pattern: str) -> str:
    """Translate a SQL LIKE pattern (``%``, ``_``, backslash escape) into a regex."""
    import re

    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if ch == "%":
            out.append(".*")
        elif ch == "_":
            out.append(".")
        else:
            out.append(re.escape(ch))
        i += 1
    return "^" + "".join(out) + "$"
