"""The service's request rules that the botocore model cannot express.

:mod:`.validation` checks each member against the model (types, lengths,
patterns, ranges, enums); the rules here look at members together: which
target and credentials go with which, the SQL's size, and whether Parameters
and the SQL's ``:name`` placeholders agree.
"""

from __future__ import annotations

from ..errors import validation_error
from .context import Request
from .placeholders import referenced_names

__all__ = ["batch_binds", "check_sql", "check_target", "parameter_map", "statement_bind"]


def check_target(request: Request, *, session_allowed: bool) -> None:
    """ClusterIdentifier or WorkgroupName (or SessionId), with credentials that fit it."""
    cluster = request.get("ClusterIdentifier")
    workgroup = request.get("WorkgroupName")
    db_user = request.get("DbUser")
    secret = request.get("SecretArn")
    if session_allowed and request.get("SessionId"):
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


def check_sql(sql: str, max_bytes: int, where: str = "Sql") -> None:
    """The SQL text is not empty and fits ``max_bytes`` of UTF-8."""
    size = len(sql.encode("utf-8"))
    if size > max_bytes:
        raise validation_error(
            f"{where} is too long: {size} bytes; the Data API's limit on a SQL statement "
            f"is {max_bytes} bytes ({max_bytes // 1024} KB)."
        )
    if not sql.strip():
        raise validation_error(f"{where} must not be empty.")


def parameter_map(request: Request) -> dict[str, str] | None:
    """Parameters as name -> value (None without Parameters); each name once."""
    parameters = request.get("Parameters")
    if parameters is None:
        return None
    values: dict[str, str] = {}
    for item in parameters:
        name = item["name"]
        if name in values:
            raise validation_error(f"Parameter {name!r} is given more than once.")
        values[name] = item["value"]
    return values


def _missing(sql: str, values: dict[str, str], where: str) -> set[str]:
    used = referenced_names(sql)
    missing = sorted(used - values.keys())
    if missing:
        raise validation_error(
            f"{where} references parameters that have no value in Parameters: "
            + ", ".join(f":{n}" for n in missing)
        )
    return used


def statement_bind(sql: str, values: dict[str, str] | None) -> dict[str, str] | None:
    """ExecuteStatement: every placeholder has a value and every value a placeholder."""
    if values is None:
        return None
    used = _missing(sql, values, "The SQL")
    unused = sorted(values.keys() - used)
    if unused:
        # The service's own wording for this case.
        raise validation_error(
            f"Parameters list contains unused parameters. Unused parameters: [{', '.join(unused)}]"
        )
    return values


def batch_binds(sqls: list[str], values: dict[str, str] | None) -> list[dict[str, str] | None]:
    """BatchExecuteStatement: each SQL binds the shared Parameters it references."""
    if values is None:
        return [None] * len(sqls)
    binds: list[dict[str, str] | None] = []
    for index, sql in enumerate(sqls, start=1):
        used = _missing(sql, values, f"Sqls[{index}]")
        binds.append({name: values[name] for name in used})
    return binds
