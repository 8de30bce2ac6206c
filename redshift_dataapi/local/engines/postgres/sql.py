"""SQL text fixes the PostgreSQL engine makes around ``local.translate``.

``translate(sql, "postgres")`` does the Redshift -> PostgreSQL work
(placeholders, table attributes, functions).  This module holds what is left
to the engine, plus private fixes for gaps found in the translation (each is
harmless once ``translate`` covers the case itself):

* :func:`prefix_database_names`: ``CREATE/DROP/ALTER DATABASE name`` gets the
  engine's database prefix, so databases made through SQL are listed by
  ListDatabases and dropped at close like ``dev``;
* :func:`use_redshift_domains`: columns a CREATE/ALTER TABLE declares as
  GEOMETRY, GEOGRAPHY or HLLSKETCH (which ``translate`` turns into TEXT)
  get the domain of that name instead (``public.geometry``, a domain over
  text that :data:`DOMAIN_SETUP` creates), so that the catalog, DescribeTable
  and result metadata keep Redshift's type name.

* :func:`role_statement` and :func:`without_redshift_user_options`: CREATE
  USER runs with the options PostgreSQL knows (Redshift's CREATEUSER,
  SYSLOG ACCESS, SESSION TIMEOUT, EXTERNALID and PASSWORD DISABLE are
  dropped), and the engine learns which role a CREATE/DROP USER made or
  removed, to connect as it later; before DROP USER,
  :func:`revoke_endpoint_grants` takes back the rights the engine gave the
  user in the current database, which would otherwise block the drop.

Only code is rewritten; strings, quoted identifiers and comments never are
(the token scanner is ``translate.tokens.tokenize``).
"""

from __future__ import annotations

import logging
import re

from ...translate.core import DeclaredColumn
from ...translate.tokens import quote_identifier

__all__ = [
    "DOMAIN_SETUP",
    "DOMAIN_TYPES",
    "prefix_database_names",
    "revoke_endpoint_grants",
    "role_statement",
    "unquote_identifier",
    "use_redshift_domains",
    "without_redshift_user_options",
]

logger = logging.getLogger(__name__)

#: Redshift types PostgreSQL lacks, kept as domains over text in schema public.
DOMAIN_TYPES = ("geometry", "geography", "hllsketch")
#: Creates the domains when missing (idempotent, safe when run concurrently).
DOMAIN_SETUP = (
    "DO $$ BEGIN "
    + " ".join(
        f"BEGIN CREATE DOMAIN public.{name} AS text; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;"
        for name in DOMAIN_TYPES
    )
    + " END $$"
)

_LEADING_COMMENTS = r"^(?:\s+|--[^\n]*\n|/\*.*?\*/)*"
_IDENT = r'(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)'
_DATABASE_STATEMENT = re.compile(
    _LEADING_COMMENTS
    + r"(?P<verb>create|drop|alter)\s+database\s+(?:if\s+(?:not\s+)?exists\s+)?(?P<name>"
    + _IDENT
    + ")",
    re.IGNORECASE | re.DOTALL,
)
_RENAME_TO = re.compile(r"\brename\s+to\s+(?P<name>" + _IDENT + ")", re.IGNORECASE)


def unquote_identifier(ident: str) -> str:
    """PostgreSQL's reading of an identifier: quoted kept exactly, unquoted folded to lower case."""
    if ident.startswith('"'):
        return ident[1:-1].replace('""', '"')
    return ident.lower()


def prefix_database_names(sql: str, prefix: str) -> str:
    """``sql`` with the database names of CREATE/DROP/ALTER DATABASE carrying ``prefix``."""
    if not prefix:
        return sql
    match = _DATABASE_STATEMENT.match(sql)
    if not match:
        return sql
    start, end = match.span("name")
    renamed = quote_identifier(prefix + unquote_identifier(match.group("name")))
    rest = sql[end:]
    if match.group("verb").lower() == "alter":
        rename = _RENAME_TO.search(rest)
        if rename:
            new_name = quote_identifier(prefix + unquote_identifier(rename.group("name")))
            rest = rest[: rename.start("name")] + new_name + rest[rename.end("name") :]
    return sql[:start] + renamed + rest


def use_redshift_domains(sql: str, columns: list[DeclaredColumn]) -> str | None:
    """``sql`` with GEOMETRY/GEOGRAPHY/HLLSKETCH columns typed by their domains.

    None when no column needs a domain (or sqlglot cannot re-read the text,
    in which case the columns simply stay TEXT).
    """
    wanted = {c.name: c.type_name for c in columns if c.type_name in DOMAIN_TYPES}
    if not wanted:
        return None
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        tree = sqlglot.parse_one(sql, read="postgres")
        for coldef in tree.find_all(exp.ColumnDef):
            type_name = wanted.get(coldef.name)
            if type_name is not None:
                kind = exp.DataType.build(f"public.{type_name}", dialect="postgres", udt=True)
                coldef.set("kind", kind)
        return tree.sql(dialect="postgres")
    except SqlglotError as exc:
        logger.debug("columns of %s stay TEXT: %s", list(wanted), exc)
        return None


_ROLE_STATEMENT = re.compile(
    _LEADING_COMMENTS
    + r"(?P<verb>create|drop)\s+(?:user|role)\s+(?:if\s+exists\s+)?(?P<name>"
    + _IDENT
    + r")\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_REDSHIFT_USER_OPTIONS = re.compile(
    r"\b(?:nocreateuser|createuser|syslog\s+access\s+(?:restricted|unrestricted)"
    r"|session\s+timeout\s+[0-9]+|externalid\s+(?:'[^']*'|\S+)|password\s+disable)\b",
    re.IGNORECASE,
)


def role_statement(sql: str) -> tuple[str, str] | None:
    """("create" or "drop", role name) of ``CREATE USER|ROLE name`` / ``DROP USER name``."""
    match = _ROLE_STATEMENT.match(sql)
    if match is None or ("," in match.group("rest") and match.group("verb").lower() == "drop"):
        return None
    return match.group("verb").lower(), unquote_identifier(match.group("name"))


def without_redshift_user_options(sql: str) -> str:
    """``CREATE|ALTER USER`` without the options only Redshift has (others kept as written)."""
    if not re.match(_LEADING_COMMENTS + r"(?:create|alter)\s+user\b", sql, re.IGNORECASE):
        return sql
    return _REDSHIFT_USER_OPTIONS.sub("", sql)


def revoke_endpoint_grants(role: str) -> str:
    """A statement revoking what the engine granted ``role`` in the current database.

    Failures are ignored (no such role, not allowed): DROP USER then fails
    with its own message.  The text is run with a parameter mapping, hence
    the doubled ``%``.
    """
    literal = "'" + role.replace("'", "''") + "'"
    revokes = (
        f"format('REVOKE USAGE, CREATE ON SCHEMA public FROM %%I', {literal})",
        f"format('REVOKE CONNECT ON DATABASE %%I FROM %%I', current_database(), {literal})",
    )
    body = " ".join(f"BEGIN EXECUTE {r}; EXCEPTION WHEN others THEN NULL; END;" for r in revokes)
    return f"DO $$ BEGIN {body} END $$"
