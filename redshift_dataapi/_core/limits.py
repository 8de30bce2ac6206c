"""Every limit of the Redshift Data API that this project relies on, by name.

One module for both sides of the wire: the driver plans its calls below these
limits and the local endpoint enforces them.  A value the service documents
is named for the service (``MAX_SQL_BYTES``); where the client keeps a margin
of its own below a service limit, the margin has its own name
(``CLIENT_SQL_BYTES``), so that no name means two things.

Sources: the botocore ``redshift-data`` model (ranges it declares) and the
Data API's "Considerations when calling the Amazon Redshift Data API" page
(limits the model does not carry).
"""

from __future__ import annotations

__all__ = [
    "CLIENT_MAX_PARAMETERS",
    "CLIENT_SQL_BYTES",
    "CLIENT_TOKEN_MAX_LENGTH",
    "DEFAULT_RESULT_CAP_BYTES",
    "IDEMPOTENCY_SECONDS",
    "MAX_ACTIVE_SESSIONS",
    "MAX_ACTIVE_STATEMENTS",
    "MAX_BATCH_SQLS",
    "MAX_DESCRIBE_TABLE_RESULTS",
    "MAX_LIST_RESULTS",
    "MAX_LIST_SESSIONS_RESULTS",
    "MAX_LIST_STATEMENTS_RESULTS",
    "MAX_ROW_BYTES",
    "MAX_SESSION_KEEP_ALIVE_SECONDS",
    "MAX_SQL_BYTES",
    "MAX_STATEMENT_NAME_LENGTH",
    "MAX_STATEMENT_RUN_SECONDS",
    "MAX_WAIT_TIME_SECONDS",
    "MIN_BATCH_SQLS",
    "MIN_WAIT_TIME_SECONDS",
    "PARAMETER_NAME_PATTERN",
    "RESULT_RETENTION_SECONDS",
]

# -- statements ------------------------------------------------------------

#: Longest SQL text the service accepts, in bytes of UTF-8 (100 KB).
MAX_SQL_BYTES = 102_400
#: How far executemany fills a statement: below MAX_SQL_BYTES by a margin that
#: leaves room for what binding adds (NULL/'' inlining, FROM_HEX wrappers).
CLIENT_SQL_BYTES = 100_000
#: Statements in one BatchExecuteStatement (the model's Sqls range).
MIN_BATCH_SQLS = 1
MAX_BATCH_SQLS = 40
#: A parameter's name, as the service accepts it in Parameters and in ``:name``.
PARAMETER_NAME_PATTERN = r"[0-9a-zA-Z_]+"
#: The driver's own cap on parameters per statement (the model sets none);
#: executemany starts a new statement before it.  The dialect's multi-row
#: INSERTs (SQLAlchemy 2's insertmanyvalues) use the same cap, so a batched
#: insert costs the same calls whether it goes through them or through
#: executemany (SQLAlchemy 1.4); the 100 KB SQL text limit usually binds first.
CLIENT_MAX_PARAMETERS = 20_000
#: StatementName length (the model's range is 0-2048).
MAX_STATEMENT_NAME_LENGTH = 2048
#: ClientToken length (the model's range is 1-64).
CLIENT_TOKEN_MAX_LENGTH = 64
#: How long a statement may run before the service stops it (24 h).
MAX_STATEMENT_RUN_SECONDS = 24 * 3600
#: Statements running at once per cluster or workgroup, before
#: ActiveStatementsExceededException.
MAX_ACTIVE_STATEMENTS = 200
#: Sessions kept at once per cluster or workgroup, before
#: ActiveSessionsExceededException.
MAX_ACTIVE_SESSIONS = 500
#: How long a ClientToken identifies its submission (8 h).
IDEMPOTENCY_SECONDS = 8 * 3600

# -- waiting and sessions ----------------------------------------------------

#: WaitTimeSeconds range for long polling.
MIN_WAIT_TIME_SECONDS = 1
MAX_WAIT_TIME_SECONDS = 30
#: SessionKeepAliveSeconds range (0 ends the session).
MAX_SESSION_KEEP_ALIVE_SECONDS = 86_400

# -- results -----------------------------------------------------------------

#: One result row, encoded (64 KB).
MAX_ROW_BYTES = 64 * 1024
#: The result set cap: documented as 100 MB, 500 MB today; a setting locally.
DEFAULT_RESULT_CAP_BYTES = 500 * 1024 * 1024
#: How long results stay fetchable (24 h).
RESULT_RETENTION_SECONDS = 24 * 3600

# -- listings (MaxResults ranges of the model) -------------------------------

MAX_LIST_RESULTS = 1000
MAX_DESCRIBE_TABLE_RESULTS = 1000
MAX_LIST_STATEMENTS_RESULTS = 100
MAX_LIST_SESSIONS_RESULTS = 100
