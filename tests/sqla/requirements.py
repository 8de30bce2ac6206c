"""What Redshift over the Data API supports, for SQLAlchemy's compliance suite.

Every requirement closed here carries a one-line reason: something Redshift (or the
Data API) truly lacks.  Requirements that follow from the dialect's flags (RETURNING,
sequences, empty inserts, multi-statement rowcounts...) close themselves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.testing import exclusions
from sqlalchemy.testing.requirements import SuiteRequirements


def lacks(reason: str) -> Any:
    """A closed requirement whose skip message says why."""
    return exclusions.skip_if(exclusions.BooleanPredicate(True, reason))


def local_engine(config: Any) -> str:
    """The local endpoint's engine behind the suite's URL: "duckdb" or "postgresql"."""
    endpoint = str(config.db.url.query.get("endpoint_url", ""))
    return "postgresql" if endpoint.startswith(("local:postgres", "local:postgresql")) else "duckdb"


def not_on_duckdb(reason: str) -> Any:
    """Skipped on the DuckDB engine of the local endpoint only (runs on PostgreSQL)."""
    return exclusions.skip_if(lambda config: local_engine(config) == "duckdb", reason)


class Requirements(SuiteRequirements):
    """Requirements of the ``redshift+dataapi`` dialect."""

    # --- indexes, constraints -----------------------------------------------------
    @property
    def index_reflection(self) -> Any:
        return lacks("Redshift has no indexes (sort and distribution keys instead)")

    @property
    def index_ddl_if_exists(self) -> Any:
        return lacks("Redshift has no indexes")

    @property
    def indexes_with_ascdesc(self) -> Any:
        return lacks("Redshift has no indexes")

    @property
    def indexes_with_expressions(self) -> Any:
        return lacks("Redshift has no indexes")

    @property
    def temp_table_reflect_indexes(self) -> Any:
        return lacks("Redshift has no indexes")

    @property
    def duplicate_key_raises_integrity_error(self) -> Any:
        return lacks("Redshift does not enforce PRIMARY KEY or UNIQUE constraints")

    @property
    def on_update_cascade(self) -> Any:
        return lacks("Redshift does not enforce foreign keys, so nothing cascades")

    @property
    def non_updating_cascade(self) -> Any:
        return lacks("Redshift does not enforce foreign keys")

    @property
    def deferrable_fks(self) -> Any:
        return lacks("Redshift has no DEFERRABLE constraints")

    @property
    def foreign_key_constraint_option_reflection_ondelete(self) -> Any:
        return lacks("Redshift foreign keys carry no ON DELETE action")

    @property
    def foreign_key_constraint_option_reflection_onupdate(self) -> Any:
        return lacks("Redshift foreign keys carry no ON UPDATE action")

    @property
    def check_constraint_reflection(self) -> Any:
        return lacks("Redshift has no CHECK constraints")

    @property
    def inline_check_constraint_reflection(self) -> Any:
        return lacks("Redshift has no CHECK constraints")

    @property
    def foreign_key_constraint_name_reflection(self) -> Any:
        return exclusions.open()  # keys are recorded by name on both engines

    @property
    def unique_constraint_reflection(self) -> Any:
        return exclusions.open()  # keys are recorded by name on both engines

    @property
    def foreign_key_constraint_reflection(self) -> Any:
        return exclusions.open()  # keys are recorded by name on both engines

    @property
    def reflects_pk_names(self) -> Any:
        return exclusions.open()  # keys are recorded by name on both engines

    # --- temporary objects: not visible to the Data API's metadata calls -----------
    @property
    def temp_table_reflection(self) -> Any:
        return lacks("ListTables/DescribeTable run outside the session: no temp tables")

    @property
    def temp_table_names(self) -> Any:
        return lacks("ListTables runs outside the session: no temp tables")

    @property
    def has_temp_table(self) -> Any:
        return lacks("ListTables runs outside the session: no temp tables")

    @property
    def temporary_views(self) -> Any:
        return lacks("Redshift has no temporary views")

    @property
    def temp_table_comment_reflection(self) -> Any:
        return lacks("temp tables are invisible to the Data API's metadata calls")

    # --- types --------------------------------------------------------------------
    @property
    def array_type(self) -> Any:
        return lacks("Redshift has no ARRAY type (SUPER instead)")

    @property
    def json_type(self) -> Any:
        return lacks("Redshift has no JSON type (SUPER instead)")

    @property
    def uuid_data_type(self) -> Any:
        return lacks("Redshift has no UUID type")

    @property
    def datetime_interval(self) -> Any:
        return lacks("Redshift INTERVAL values do not round-trip through the Data API")

    @property
    def computed_columns(self) -> Any:
        return lacks("Redshift has no generated (computed) columns")

    @property
    def identity_columns(self) -> Any:
        return lacks("Redshift IDENTITY(seed, step) has none of the standard identity options")

    @property
    def identity_columns_standard(self) -> Any:
        return lacks("Redshift IDENTITY(seed, step) has none of the standard identity options")

    # --- SQL ------------------------------------------------------------------------
    @property
    def ctes_on_dml(self) -> Any:
        return lacks("Redshift has no data-modifying CTEs")

    @property
    def ctes_with_update_delete(self) -> Any:
        return lacks("Redshift does not accept WITH before UPDATE/DELETE")

    @property
    def supports_distinct_on(self) -> Any:
        return lacks("Redshift has no DISTINCT ON")

    @property
    def fetch_first(self) -> Any:
        return lacks("Redshift has LIMIT, not FETCH FIRST")

    @property
    def fetch_ties(self) -> Any:
        return lacks("Redshift has no FETCH ... WITH TIES")

    @property
    def fetch_percent(self) -> Any:
        return lacks("Redshift has no FETCH ... PERCENT")

    @property
    def aggregate_order_by(self) -> Any:
        return lacks("Redshift has no ORDER BY inside aggregate calls")

    @property
    def savepoints(self) -> Any:
        return lacks("Redshift has no SAVEPOINT")

    @property
    def two_phase_transactions(self) -> Any:
        return lacks("Redshift has no two-phase commit")

    @property
    def materialized_views(self) -> Any:
        return lacks("materialized views need a real Redshift cluster")

    @property
    def reflect_table_options(self) -> Any:
        # DISTSTYLE / DISTKEY / SORTKEY from SVV_TABLE_INFO and PG_TABLE_DEF
        return exclusions.open()

    @property
    def precision_numerics_enotation_large(self) -> Any:
        return lacks("Redshift NUMERIC holds at most 38 digits")

    @property
    def implements_get_lastrowid(self) -> Any:
        return lacks("the Data API has no lastrowid")

    # --- the Data API connection ----------------------------------------------------
    @property
    def server_side_cursors(self) -> Any:
        return lacks("the Data API pages results itself; there are no server-side cursors")

    @property
    def graceful_disconnects(self) -> Any:
        return lacks("there is no socket to disconnect: every call is an HTTPS request")

    @property
    def independent_connections(self) -> Any:
        return exclusions.open()

    @property
    def isolation_level(self) -> Any:
        return exclusions.open()

    @property
    def autocommit(self) -> Any:
        return exclusions.open()

    def get_isolation_levels(self, config: Any) -> dict[str, Any]:
        return {"default": "SERIALIZABLE", "supported": ["AUTOCOMMIT", "SERIALIZABLE"]}

    @property
    def schemas(self) -> Any:
        return exclusions.open()

    @property
    def views(self) -> Any:
        return exclusions.open()
