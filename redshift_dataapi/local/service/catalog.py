"""Handlers of ListDatabases, ListSchemas, ListTables and DescribeTable.

They run through the engine's catalog, as the caller's engine user, outside
any session.  Naming a ``ConnectedDatabase`` or ``Database`` that does not
exist is a ValidationException with the engine's message.  A table created
in a session's open transaction is invisible until committed, as on Redshift.
"""

from __future__ import annotations

from ..._core.limits import MAX_DESCRIBE_TABLE_RESULTS, MAX_LIST_RESULTS
from ..errors import validation_error
from ..runtime.encoding import column_metadata
from .context import Handlers, Request, Response, ServiceContext
from .responses import table_item
from .rules import check_target
from .tokens import paginate

__all__ = ["HANDLERS", "describe_table", "list_databases", "list_schemas", "list_tables"]


def _checked(context: ServiceContext, request: Request) -> tuple[str | None, list[str]]:
    """The engine user of a catalog call and the databases, after checking both.

    ``ConnectedDatabase`` and ``Database`` must name existing databases; the
    list is read from the engine once per call.
    """
    check_target(request, session_allowed=False)
    user = (
        context.secrets.user_for(
            request.get("DbUser"), request.get("SecretArn"), request.get("ClusterIdentifier")
        )
        or context.engine.admin_user
    )
    databases = context.engine.list_databases()
    for name in (request.get("ConnectedDatabase"), request.get("Database")):
        if name and name not in databases:
            raise validation_error(f'database "{name}" does not exist')
    return user, databases


def list_databases(context: ServiceContext, request: Request) -> Response:
    """ListDatabases."""
    databases = _checked(context, request)[1]
    return paginate(
        "ListDatabases", "Databases", databases, request, default_limit=MAX_LIST_RESULTS
    )


def list_schemas(context: ServiceContext, request: Request) -> Response:
    """ListSchemas (SchemaPattern is a LIKE pattern)."""
    user = _checked(context, request)[0]
    schemas = context.engine.list_schemas(request["Database"], request.get("SchemaPattern"), user)
    return paginate("ListSchemas", "Schemas", schemas, request, default_limit=MAX_LIST_RESULTS)


def list_tables(context: ServiceContext, request: Request) -> Response:
    """ListTables (SchemaPattern and TablePattern are LIKE patterns)."""
    user = _checked(context, request)[0]
    tables = context.engine.list_tables(
        request["Database"], request.get("SchemaPattern"), request.get("TablePattern"), user
    )
    return paginate(
        "ListTables", "Tables", tables, request, table_item, default_limit=MAX_LIST_RESULTS
    )


def describe_table(context: ServiceContext, request: Request) -> Response:
    """DescribeTable: the columns of one table, or of every table of a schema."""
    user = _checked(context, request)[0]
    table = request.get("Table")
    columns = context.engine.describe_table(request["Database"], request.get("Schema"), table, user)
    response = paginate(
        "DescribeTable",
        "ColumnList",
        columns,
        request,
        column_metadata,
        default_limit=MAX_DESCRIBE_TABLE_RESULTS,
    )
    if table:
        response["TableName"] = table
    return response


HANDLERS: Handlers = {
    "ListDatabases": list_databases,
    "ListSchemas": list_schemas,
    "ListTables": list_tables,
    "DescribeTable": describe_table,
}
