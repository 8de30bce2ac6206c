"""PostgreSQL roles for Data API users (DbUser, or the user a SecretArn names).

A user runs as a PostgreSQL role of the same name.  The engine creates the
role on first use when it is missing, as ``LOGIN NOSUPERUSER NOCREATEDB
NOCREATEROLE`` with a password, and marks it with a comment so that it knows
later which roles it manages.  Roles are cluster-wide, so creation tolerates
another engine (a parallel test, another process) creating the same role at
the same moment.

Passwords never leave memory and are never logged.  A role's password is an
HMAC of its name keyed by the superuser DSN's password, so every engine
sharing that DSN derives the same one (parallel test processes do not undo
each other's passwords); when the DSN has no password (trust or peer
authentication, where role passwords do not matter) the key is random per
process.  If a managed role refuses our password (it was made by a process
with another key) the engine sets it again; a role the engine did not create
is never altered.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets

import psycopg
from psycopg import sql

__all__ = [
    "ADMIN_PRIVILEGES",
    "MANAGED_COMMENT",
    "RoleError",
    "adopt_role",
    "check_role_name",
    "ensure_admin_rights",
    "ensure_role",
    "grant_database_access",
    "grant_schema_access",
    "is_managed",
    "reset_password",
    "role_password",
]

logger = logging.getLogger(__name__)

#: The comment that marks roles this engine created (and may re-password).
MANAGED_COMMENT = "created by the redshift-dataapi local endpoint"
#: What the admin role holds besides owning the databases: it creates databases and
#: users, and reads and writes every table (PostgreSQL 14+ predefined roles), as
#: Redshift's admin user does.
ADMIN_PRIVILEGES = ("CREATEDB", "CREATEROLE")
_ADMIN_MEMBERSHIPS = ("pg_read_all_data", "pg_write_all_data")
_PROCESS_KEY = secrets.token_bytes(32)
_MAX_NAME_BYTES = 63


class RoleError(ValueError):
    """A user name cannot be a PostgreSQL role."""


def check_role_name(user: str) -> str:
    """``user`` if it can name a role; RoleError saying why not otherwise."""
    if not isinstance(user, str) or not user:
        raise RoleError("the user name is empty")
    if "\x00" in user:
        raise RoleError(f"the user name {user!r} contains a NUL character")
    if len(user.encode("utf-8")) > _MAX_NAME_BYTES:
        raise RoleError(
            f"the user name {user!r} is longer than PostgreSQL's {_MAX_NAME_BYTES} bytes"
        )
    return user


def role_password(role: str, dsn_password: str | None) -> str:
    """The password the engine gives ``role`` (see the module docstring)."""
    key = dsn_password.encode("utf-8") if dsn_password else _PROCESS_KEY
    return hmac.new(
        key, b"redshift-dataapi-role:" + role.encode("utf-8"), hashlib.sha256
    ).hexdigest()


def ensure_role(admin: psycopg.Connection, role: str, password: str) -> None:
    """Create ``role`` as a plain login role unless it exists (in any way) already."""
    if admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
        return
    statement = sql.SQL(
        "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD {}"
    ).format(sql.Identifier(role), sql.Literal(password))
    try:
        admin.execute(statement)
    except (psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):
        # Another engine created it between our check and our CREATE.
        logger.debug("role %s was created concurrently", role)
        return
    admin.execute(
        sql.SQL("COMMENT ON ROLE {} IS {}").format(
            sql.Identifier(role), sql.Literal(MANAGED_COMMENT)
        )
    )
    logger.info("created PostgreSQL role %s for a Data API user", role)


def ensure_admin_rights(admin: psycopg.Connection, role: str, database: str) -> None:
    """Give the managed admin ``role`` Redshift's admin rights over ``database``.

    The role creates databases and users, reads and writes every table, and
    owns ``database`` (so it may CREATE SCHEMA, and, through PostgreSQL 15's
    ``pg_database_owner``, owns schema ``public``).  It is not a PostgreSQL
    superuser: the endpoint never hands out more than Redshift's admin has
    over a database.  A role the engine did not create is left as it is.
    """
    if not is_managed(admin, role):
        logger.warning("role %s was not created by the endpoint; its rights are kept", role)
        return
    admin.execute(
        sql.SQL("ALTER ROLE {} " + " ".join(ADMIN_PRIVILEGES)).format(sql.Identifier(role))
    )
    available = {
        name
        for (name,) in admin.execute(
            "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", [list(_ADMIN_MEMBERSHIPS)]
        ).fetchall()
    }
    for membership in _ADMIN_MEMBERSHIPS:
        if membership in available:
            admin.execute(
                sql.SQL("GRANT {} TO {}").format(sql.Identifier(membership), sql.Identifier(role))
            )
    admin.execute(
        sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
            sql.Identifier(database), sql.Identifier(role)
        )
    )


def adopt_role(admin: psycopg.Connection, role: str, password: str) -> None:
    """Mark ``role``, just made by a user's CREATE USER, as managed, with our password.

    The endpoint connects as a user with a password only it knows; the one
    given in CREATE USER is replaced (users reach the engine only through the
    endpoint, which never asks for it).
    """
    admin.execute(
        sql.SQL("COMMENT ON ROLE {} IS {}").format(
            sql.Identifier(role), sql.Literal(MANAGED_COMMENT)
        )
    )
    admin.execute(
        sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(role), sql.Literal(password)
        )
    )


def is_managed(admin: psycopg.Connection, role: str) -> bool:
    """True when the engine created ``role`` (it carries :data:`MANAGED_COMMENT`)."""
    row = admin.execute(
        "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = %s", [role]
    ).fetchone()
    return row is not None and row[0] == MANAGED_COMMENT


def reset_password(admin: psycopg.Connection, role: str, password: str) -> bool:
    """Give a managed ``role`` our password again; False (nothing done) for other roles."""
    if not is_managed(admin, role):
        return False
    admin.execute(
        sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(role), sql.Literal(password))
    )
    return True


def grant_database_access(admin: psycopg.Connection, database: str, role: str) -> None:
    """CONNECT on ``database`` for ``role`` (run on any superuser connection)."""
    admin.execute(
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(database), sql.Identifier(role)
        )
    )


def grant_schema_access(owner: psycopg.Connection, role: str) -> None:
    """USAGE and CREATE on schema public for ``role``, like Redshift's default PUBLIC rights.

    ``owner`` is a superuser connection to the database concerned.  Since
    PostgreSQL 15, PUBLIC no longer has CREATE on schema public.
    """
    owner.execute(
        sql.SQL("GRANT USAGE, CREATE ON SCHEMA public TO {}").format(sql.Identifier(role))
    )
