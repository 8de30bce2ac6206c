"""Apache Superset engine spec for ``redshift+dataapi://``.

Superset loads this module through the ``superset.db_engine_specs`` entry point
(``pip install redshift-dataapi`` next to Superset is enough); nothing else imports
it, so Superset is never imported unless Superset itself asks for the spec.  Its
``engine = "redshift"`` with ``drivers = {"dataapi": ...}`` makes Superset pick it
for ``redshift+dataapi://`` URLs instead of its psycopg2-based RedshiftEngineSpec,
whose cancel (``pg_backend_pid()`` / ``pg_cancel_backend``) cannot work over the
Data API.

What it provides:

* Redshift's time grains (DATE_TRUNC) and column types (SUPER, VARBYTE, TIMESTAMPTZ,
  GEOMETRY... mapped to Superset's generic types);
* cancel: a query is *submitted* first (``Cursor.submit``), its Data API statement Id
  stored as the query's cancel key at once, then waited for (``Cursor.attach``), so
  Superset's "Stop" reaches ``cancel_query`` -> ``Connection.cancel(statement_id)``
  (CancelStatement) while the statement runs;
* progress: Superset's progress bar follows the statement's status (submitted,
  started, finished) while it is waited for;
* schemas, tables, columns, ``select_star`` and ``get_df`` through the dialect.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from sqlalchemy import types as sqltypes
from superset.constants import QUERY_CANCEL_KEY, TimeGrain
from superset.db_engine_specs.base import BaseEngineSpec
from superset.utils.core import GenericDataType

from .types import GEOMETRY, HLLSKETCH, SUPER, TIMESTAMPTZ, TIMETZ, VARBYTE

logger = logging.getLogger(__name__)

# Superset's progress (0-100) for each Data API status; the Data API reports no
# finer progress than that.
_PROGRESS = {"SUBMITTED": 5, "PICKED": 10, "STARTED": 50, "FINISHED": 100}


class RedshiftDataAPIEngineSpec(BaseEngineSpec):
    """Amazon Redshift through the Redshift Data API (``redshift+dataapi://``)."""

    engine = "redshift"
    engine_name = "Amazon Redshift (Data API)"
    drivers = {"dataapi": "Redshift Data API (no VPC access or database password needed)"}
    default_driver = "dataapi"
    sqlalchemy_uri_placeholder = (
        "redshift+dataapi://[db_user@]cluster_identifier/database"
        "?region_name=...&secret_arn=...  or  "
        "redshift+dataapi:///database?workgroup_name=...&region_name=..."
    )
    max_column_name_length = 127
    supports_multivalues_insert = True
    allows_alias_in_select = True
    allows_alias_in_orderby = True
    supports_dynamic_schema = False
    # The cancel key (the statement Id) exists only once the statement is submitted.
    has_query_id_before_execute = False

    _time_grain_expressions = {
        None: "{col}",
        TimeGrain.SECOND: "DATE_TRUNC('second', {col})",
        TimeGrain.MINUTE: "DATE_TRUNC('minute', {col})",
        TimeGrain.FIVE_MINUTES: (
            "DATE_TRUNC('hour', {col}) + INTERVAL '5 minutes' * "
            "FLOOR(EXTRACT(MINUTE FROM {col}) / 5)"
        ),
        TimeGrain.TEN_MINUTES: (
            "DATE_TRUNC('hour', {col}) + INTERVAL '10 minutes' * "
            "FLOOR(EXTRACT(MINUTE FROM {col}) / 10)"
        ),
        TimeGrain.FIFTEEN_MINUTES: (
            "DATE_TRUNC('hour', {col}) + INTERVAL '15 minutes' * "
            "FLOOR(EXTRACT(MINUTE FROM {col}) / 15)"
        ),
        TimeGrain.THIRTY_MINUTES: (
            "DATE_TRUNC('hour', {col}) + INTERVAL '30 minutes' * "
            "FLOOR(EXTRACT(MINUTE FROM {col}) / 30)"
        ),
        TimeGrain.HOUR: "DATE_TRUNC('hour', {col})",
        TimeGrain.DAY: "DATE_TRUNC('day', {col})",
        TimeGrain.WEEK: "DATE_TRUNC('week', {col})",
        TimeGrain.MONTH: "DATE_TRUNC('month', {col})",
        TimeGrain.QUARTER: "DATE_TRUNC('quarter', {col})",
        TimeGrain.YEAR: "DATE_TRUNC('year', {col})",
    }

    column_type_mappings = (
        (re.compile(r"^super", re.IGNORECASE), SUPER(), GenericDataType.STRING),
        (re.compile(r"^geometry", re.IGNORECASE), GEOMETRY(), GenericDataType.STRING),
        (re.compile(r"^hllsketch", re.IGNORECASE), HLLSKETCH(), GenericDataType.STRING),
        (re.compile(r"^varbyte", re.IGNORECASE), VARBYTE(), GenericDataType.STRING),
        (
            re.compile(r"^(timestamptz|timestamp with time zone)", re.IGNORECASE),
            TIMESTAMPTZ(),
            GenericDataType.TEMPORAL,
        ),
        (
            re.compile(r"^(timetz|time with time zone)", re.IGNORECASE),
            TIMETZ(),
            GenericDataType.TEMPORAL,
        ),
        (
            re.compile(r"^(float8|double precision)", re.IGNORECASE),
            sqltypes.Float(),
            GenericDataType.NUMERIC,
        ),
        (re.compile(r"^bool", re.IGNORECASE), sqltypes.Boolean(), GenericDataType.BOOLEAN),
    )

    @classmethod
    def epoch_to_dttm(cls) -> str:
        return "(TIMESTAMP 'epoch' + {col} * INTERVAL '1 second')"

    @classmethod
    def convert_dttm(
        cls, target_type: str, dttm: datetime, db_extra: dict[str, Any] | None = None
    ) -> str | None:
        """A literal of ``target_type`` for ``dttm`` (Superset's time filters)."""
        spelled = target_type.strip().lower()
        if spelled == "date":
            return f"CAST('{dttm.date().isoformat()}' AS DATE)"
        if spelled.startswith(("timestamptz", "timestamp with time zone")):
            return f"CAST('{dttm.isoformat(sep=' ', timespec='microseconds')}' AS TIMESTAMPTZ)"
        if spelled.startswith(("timestamp", "datetime")):
            return f"CAST('{dttm.isoformat(sep=' ', timespec='microseconds')}' AS TIMESTAMP)"
        return None

    @classmethod
    def get_datatype(cls, type_code: Any) -> str | None:
        """``cursor.description``'s type_code is the Data API's typeName already."""
        return str(type_code).upper() if isinstance(type_code, str) and type_code else None

    # --- running and cancelling -----------------------------------------------------

    @classmethod
    def execute_with_cursor(cls, cursor: Any, sql: str, query: Any) -> None:
        """Submit, record the statement Id as the cancel key, then wait with progress."""
        from superset.extensions import db

        if not hasattr(cursor, "submit"):  # not this driver's cursor: Superset's way
            super().execute_with_cursor(cursor, sql, query)
            return
        statement_id = cursor.submit(sql)
        logger.debug("Query %s: Data API statement %s", getattr(query, "id", None), statement_id)
        query.set_extra_json_key(QUERY_CANCEL_KEY, statement_id)
        db.session.commit()

        def progress(update: Any) -> None:
            value = _PROGRESS.get(str(update.status))
            if value is not None and value > (query.progress or 0):
                query.progress = value
                db.session.commit()

        cursor.attach(statement_id, progress=progress)

    @classmethod
    def get_cancel_query_id(cls, cursor: Any, query: Any) -> str | None:
        """The Data API statement Id of the cursor's statement (None before it runs)."""
        statement_id = getattr(cursor, "statement_id", None)
        return str(statement_id) if statement_id else None

    @classmethod
    def cancel_query(cls, cursor: Any, query: Any, cancel_query_id: str) -> bool:
        """CancelStatement for ``cancel_query_id`` through the driver's Connection.cancel."""
        try:
            return bool(cursor.connection.cancel(cancel_query_id))
        except Exception as error:  # Superset expects False, not an exception
            logger.warning("could not cancel statement %s: %s", cancel_query_id, error)
            return False


def _narrow_builtin_redshift_spec() -> None:
    """Give Superset's own RedshiftEngineSpec the drivers it documents.

    Superset picks the first spec whose ``supports_backend(backend, driver)`` is
    true, built-in specs before entry-point ones, and a spec with no ``drivers``
    accepts every driver: Superset's RedshiftEngineSpec (psycopg2 and
    redshift_connector, by its own metadata) declares none, so it would take
    ``redshift+dataapi://`` too.  Superset imports this module while collecting
    specs, before it matches any URL, so declaring those two drivers here sends
    ``redshift+dataapi://`` to :class:`RedshiftDataAPIEngineSpec` and leaves every
    other Redshift URL where it was.
    """
    try:
        from superset.db_engine_specs.redshift import RedshiftEngineSpec
    except ImportError:  # a Superset without it: nothing competes
        return
    if not RedshiftEngineSpec.drivers:
        RedshiftEngineSpec.drivers = {
            "psycopg2": "psycopg2",
            "redshift_connector": "Amazon Redshift Python connector",
        }


_narrow_builtin_redshift_spec()
