"""SQL text fixes the PostgreSQL engine makes around ``local.translate``.

``translate(sql, "postgres")`` does the Redshift -> PostgreSQL work
(placeholders, table attributes, functions).  This module holds what is left
to the engine, plus private fixes for gaps found in the translation (each is
harmless once ``translate`` covers the case itself):

* :func:`prefix_database_names`: ``CREATE/DROP/ALTER DATABASE name`` gets the
  engine's database prefix, so databases made through SQL are listed by
  ListDatabases and dropped at close like ``dev``;
* :func:`before_translate`: ``GETDATE()`` and ``SYSDATE`` become
  ``LOCALTIMESTAMP`` forms (Redshift types them TIMESTAMP; sqlglot writes
  CURRENT_TIMESTAMP, a TIMESTAMPTZ), and ``LISTAGG(x)`` gets Redshift's
  default delimiter ``''`` spelled out (sqlglot assumes ``','``);
* :func:`after_translate`: ``STRING_AGG(x, d) WITHIN GROUP (ORDER BY ...)``,
  which PostgreSQL rejects, becomes ``STRING_AGG(x, d ORDER BY ...)``, and
  Redshift's ``FROM_HEX(x)`` (hex text -> VARBYTE, which the driver uses for
  bytes parameters) becomes ``DECODE(x, 'hex')``.

* :func:`use_redshift_domains`: columns a CREATE/ALTER TABLE declares as
  GEOMETRY, GEOGRAPHY or HLLSKETCH (which ``translate`` turns into TEXT)
  get the domain of that name instead (``public.geometry``, a domain over
  text that :data:`DOMAIN_SETUP` creates), so that the catalog, DescribeTable
  and result metadata keep Redshift's type name.

Only code is rewritten; strings, quoted identifiers and comments never are
(the token scanner is ``translate.scan``).
"""

from __future__ import annotations

import logging
import re

from ..translate import DeclaredColumn, Token, scan

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
_BLANK = ("ws", "comment")


def unquote_identifier(ident: str) -> str:
    """PostgreSQL's reading of an identifier: quoted kept exactly, unquoted folded to lower case."""
    if ident.startswith('"'):
        return ident[1:-1].replace('""', '"')
    return ident.lower()


def quote_identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


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


def _next_code(tokens: list[Token], i: int) -> int:
    while i < len(tokens) and tokens[i].kind in _BLANK:
        i += 1
    return i


def _matching_paren(tokens: list[Token], i: int) -> int:
    """Index of the ``)`` closing the ``(`` at ``i`` (len(tokens) when unbalanced)."""
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].kind == "lparen":
            depth += 1
        elif tokens[j].kind == "rparen":
            depth -= 1
            if depth == 0:
                return j
    return len(tokens)


def _is_word(tokens: list[Token], i: int, word: str) -> bool:
    return i < len(tokens) and tokens[i].kind == "word" and tokens[i].text.upper() == word


def before_translate(sql: str) -> str:
    """Redshift SQL with GETDATE/SYSDATE/one-argument LISTAGG made explicit (see module doc)."""
    tokens = scan(sql)
    if not any(
        t.kind == "word" and t.text.upper() in ("GETDATE", "SYSDATE", "LISTAGG") for t in tokens
    ):
        return sql
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        upper = tok.text.upper() if tok.kind == "word" else ""
        after = _next_code(tokens, i + 1)
        opens = after < len(tokens) and tokens[after].kind == "lparen"
        if upper == "GETDATE" and opens:
            close = _next_code(tokens, after + 1)
            if close < len(tokens) and tokens[close].kind == "rparen":
                out.append("DATE_TRUNC('second', LOCALTIMESTAMP)")
                i = close + 1
                continue
        if upper == "SYSDATE" and not opens:
            out.append("LOCALTIMESTAMP")
            i += 1
            continue
        if upper == "LISTAGG" and opens:
            close = _matching_paren(tokens, after)
            depth = 0
            commas = 0
            for inner in tokens[after + 1 : close]:
                depth += inner.kind == "lparen"
                depth -= inner.kind == "rparen"
                commas += inner.kind == "comma" and depth == 0
            if commas == 0 and close < len(tokens):
                out.extend(t.text for t in tokens[i:close])
                out.append(", ''")
                i = close
                continue
        out.append(tok.text)
        i += 1
    return "".join(out)


def after_translate(sql: str) -> str:
    """PostgreSQL SQL with STRING_AGG ... WITHIN GROUP and FROM_HEX made valid (see module doc)."""
    upper = sql.upper()
    if "WITHIN" not in upper and "FROM_HEX" not in upper:
        return sql
    tokens = scan(sql, backslash_escapes=False)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if _is_word(tokens, i, "FROM_HEX"):
            open_args = _next_code(tokens, i + 1)
            if open_args < len(tokens) and tokens[open_args].kind == "lparen":
                close_args = _matching_paren(tokens, open_args)
                inner = after_translate("".join(t.text for t in tokens[open_args + 1 : close_args]))
                out.append(f"DECODE({inner.strip()}, 'hex')")
                i = close_args + 1
                continue
        if _is_word(tokens, i, "STRING_AGG"):
            open_args = _next_code(tokens, i + 1)
            if open_args < len(tokens) and tokens[open_args].kind == "lparen":
                close_args = _matching_paren(tokens, open_args)
                within = _next_code(tokens, close_args + 1)
                group = _next_code(tokens, within + 1)
                open_order = _next_code(tokens, group + 1)
                order = _next_code(tokens, open_order + 1)
                if (
                    _is_word(tokens, within, "WITHIN")
                    and _is_word(tokens, group, "GROUP")
                    and open_order < len(tokens)
                    and tokens[open_order].kind == "lparen"
                    and _is_word(tokens, order, "ORDER")
                ):
                    close_order = _matching_paren(tokens, open_order)
                    args = "".join(t.text for t in tokens[open_args + 1 : close_args]).strip()
                    ordering = "".join(t.text for t in tokens[order:close_order]).strip()
                    out.append(f"{tok.text}({args} {ordering})")
                    i = close_order + 1
                    continue
        out.append(tok.text)
        i += 1
    return "".join(out)


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
