"""SQLAlchemy test-provisioning hooks for the ``redshift`` backend."""

from __future__ import annotations

from typing import Any

from sqlalchemy.testing import provision

if hasattr(provision, "is_preferred_driver"):  # SQLAlchemy 2.x

    @provision.is_preferred_driver.for_db("redshift")
    def _is_preferred_driver(cfg: Any, engine: Any) -> bool:
        # ``redshift://`` belongs to sqlalchemy-redshift; Data API is the only driver here.
        return True


@provision.temp_table_keyword_args.for_db("redshift")
def _temp_table_keyword_args(cfg: Any, eng: Any) -> dict[str, Any]:
    return {"prefixes": ["TEMPORARY"]}


def _delete_from_all_tables(connection: Any, cfg: Any, metadata: Any) -> None:
    # One transaction per table: DuckDB (the local engine) rejects deleting parent
    # rows after their children were deleted earlier in the same transaction.
    from sqlalchemy import inspect
    from sqlalchemy.sql.ddl import sort_tables_and_constraints

    inspector = inspect(connection)
    tables = [
        t
        for t, _ in sort_tables_and_constraints(metadata.tables.values())
        if t is not None and t.name in inspector.get_table_names(schema=t.schema)
    ]
    for table in reversed(tables):
        with connection.engine.begin() as own:
            own.execute(table.delete())


if hasattr(provision, "delete_from_all_tables"):  # SQLAlchemy 2.x
    provision.delete_from_all_tables.for_db("redshift")(_delete_from_all_tables)
