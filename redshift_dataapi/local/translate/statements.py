"""Token passes that find the statement and decide the ones sqlglot need not see.

* :func:`one_statement`: the text holds exactly one statement (the Data API
  runs one per ExecuteStatement), without its surrounding comments;
* :func:`classify`: its ``kind`` ("query", "dml", "ddl", "transaction" or
  "utility") and ``command`` from its leading words;
* decided on their tokens: transaction control (normalised to BEGIN, COMMIT
  or ROLLBACK), VACUUM/ANALYZE (no-ops), CREATE/DROP DATABASE (the engines
  run those themselves), role statements on DuckDB (no-ops: no users there),
  SHOW and other utility statements (passed through: sqlglot's Redshift
  dialect would misread LOCK, CHECKPOINT...), and bulk ``INSERT ... VALUES``
  of literals and parameters (the same SQL on every target; sqlglot would
  cost seconds on a 100 KB statement and change nothing).

Kinds: SELECT/WITH/VALUES/SHOW/EXPLAIN/CALL are "query"; INSERT/UPDATE/
DELETE/MERGE/COPY "dml"; CREATE/ALTER/DROP/TRUNCATE/COMMENT/GRANT/REVOKE
"ddl"; BEGIN/START TRANSACTION/COMMIT/END/ROLLBACK/ABORT "transaction";
anything else (SET, RESET, VACUUM, ANALYZE, LOCK...) "utility".
"""

from __future__ import annotations

import itertools
import re

from .parameters import MARKER_RE
from .tokens import BLANK, Token, identifier_text, join_tokens, leading_words, split_statements
from .work import Work

__all__ = [
    "classify",
    "database",
    "is_plain_insert_values",
    "maintenance_noop",
    "one_statement",
    "plain_insert",
    "roles_noop",
    "show",
    "transaction",
    "utility",
]

_QUERY_WORDS = {"SELECT", "WITH", "VALUES", "SHOW", "EXPLAIN", "TABLE", "CALL", "DESCRIBE"}
_DML_WORDS = {"INSERT", "UPDATE", "DELETE", "MERGE", "COPY"}
_DDL_WORDS = {"CREATE", "ALTER", "DROP", "TRUNCATE", "COMMENT", "GRANT", "REVOKE"}
_DDL_QUALIFIERS = {"OR", "REPLACE", "TEMP", "TEMPORARY", "LOCAL", "EXTERNAL", "MATERIALIZED"}
_TRANSACTION_WORDS = {
    "BEGIN": "BEGIN",
    "START": "BEGIN",
    "COMMIT": "COMMIT",
    "END": "COMMIT",
    "ROLLBACK": "ROLLBACK",
    "ABORT": "ROLLBACK",
}


def one_statement(work: Work) -> None:
    """Keep the one statement of the text, without leading and trailing blanks.

    Raises ValueError for no statement or more than one.
    """
    statements = split_statements(work.tokens)
    if not statements:
        raise ValueError("the SQL text holds no statement")
    if len(statements) > 1:
        raise ValueError(
            f"the SQL text holds {len(statements)} statements; the Data API runs one statement"
            " per ExecuteStatement (use BatchExecuteStatement for several)"
        )
    tokens = statements[0]
    start = 0
    end = len(tokens)
    while tokens[start].kind in BLANK:
        start += 1
    while tokens[end - 1].kind in BLANK:
        end -= 1
    work.tokens = tokens[start:end]


def classify(work: Work) -> None:
    """The statement's leading words, kind and command."""
    work.words = words = leading_words(work.tokens)
    work.result.kind, work.result.command = _kind_and_command(words)


def _kind_and_command(words: list[str]) -> tuple[str, str]:
    if not words:
        return "utility", ""
    first = words[0]
    if first in _TRANSACTION_WORDS:
        return "transaction", _TRANSACTION_WORDS[first]
    if first in _QUERY_WORDS:
        return "query", first
    if first in _DML_WORDS:
        return "dml", first
    if first in _DDL_WORDS:
        command = first
        for word in words[1:] if first in {"CREATE", "ALTER", "DROP"} else []:
            if word not in _DDL_QUALIFIERS:
                command = f"{first} {word}"
                break
        return "ddl", command
    return "utility", first


def transaction(work: Work) -> None:
    """BEGIN [TRANSACTION|WORK] [ISOLATION LEVEL ...], START TRANSACTION, END, ABORT...

    Isolation options are dropped: both targets run serializable or snapshot anyway.
    """
    words = work.words
    if work.result.kind != "transaction":
        return
    if words[0] == "START" and words[1:2] != ["TRANSACTION"]:
        return
    command = work.result.command
    work.finish(command, "transaction", command)


def maintenance_noop(work: Work) -> None:
    """VACUUM and ANALYZE: Redshift's options mean nothing to the local engines."""
    if work.words[:1] in (["VACUUM"], ["ANALYZE"]):
        work.finish("", "utility", work.words[0], noop=True)


def database(work: Work) -> None:
    """CREATE/DROP DATABASE: passed on with the database's name (ValueError without one)."""
    if work.words[:2] not in (["CREATE", "DATABASE"], ["DROP", "DATABASE"]):
        return
    command = work.result.command
    code = [t for t in work.tokens if t.kind not in BLANK]
    i = 4 if [t.text.upper() for t in code[2:4]] == ["IF", "EXISTS"] else 2
    if i >= len(code) or code[i].kind not in ("word", "ident"):
        raise ValueError(f"{command} needs a database name")
    work.finish(join_tokens(work.tokens), "ddl", command, database=identifier_text(code[i]))


_ROLE_WORDS = {"USER", "GROUP", "ROLE"}


def roles_noop(work: Work) -> None:
    """GRANT/REVOKE, CREATE/ALTER/DROP USER|GROUP|ROLE, ALTER ... OWNER TO."""
    if _is_role_statement(work.tokens, work.words):
        work.finish("", "ddl", work.result.command, noop=True)


def _is_role_statement(tokens: list[Token], words: list[str]) -> bool:
    if words[:1] in (["GRANT"], ["REVOKE"]):
        return True
    if len(words) >= 2 and words[0] in {"CREATE", "ALTER", "DROP"} and words[1] in _ROLE_WORDS:
        return True
    if words[:1] == ["ALTER"]:
        upper = [t.text.upper() for t in tokens if t.kind == "word"]
        return any(a == "OWNER" and b == "TO" for a, b in itertools.pairwise(upper))
    return False


def show(work: Work) -> None:
    """SHOW: passed through as written."""
    if work.words[:1] == ["SHOW"]:
        work.finish(join_tokens(work.tokens), "query", "SHOW", parsed=False)


def utility(work: Work) -> None:
    """Other utility statements (LOCK, CHECKPOINT, PRAGMA...): passed through as written.

    sqlglot's Redshift dialect does not know them and would misread them as
    expressions.
    """
    if work.result.kind == "utility":
        work.finish(join_tokens(work.tokens), "utility", work.result.command, parsed=False)


def plain_insert(work: Work) -> None:
    """Bulk ``INSERT ... VALUES`` of literals and parameters: the same SQL on every target."""
    if work.result.command == "INSERT" and is_plain_insert_values(work.tokens):
        work.finish(join_tokens(work.tokens), "dml", "INSERT")


_PLAIN_VALUE_WORDS = {"NULL", "TRUE", "FALSE", "DEFAULT"}
_NUMBER_RE = re.compile(r"[0-9][0-9.]*(?:[eE][+-]?[0-9]+)?")


def is_plain_insert_values(tokens: list[Token]) -> bool:
    """``INSERT INTO name [(columns)] VALUES (...), ...`` holding only literals/parameters."""
    code = [t for t in tokens if t.kind not in BLANK]
    if len(code) < 4 or [t.text.upper() for t in code[:2]] != ["INSERT", "INTO"]:
        return False
    i = 2
    # table name: ident[.ident[.ident]]
    while i < len(code) and code[i].kind in ("word", "ident"):
        if code[i].kind == "word" and code[i].text.upper() == "VALUES":
            break
        i += 1
        if i < len(code) and code[i].text == ".":
            i += 1
            continue
        break
    if i < len(code) and code[i].kind == "lparen":  # column list: names and commas only
        i += 1
        while i < len(code) and code[i].kind in ("word", "ident", "comma"):
            i += 1
        if i >= len(code) or code[i].kind != "rparen":
            return False
        i += 1
    if i >= len(code) or code[i].kind != "word" or code[i].text.upper() != "VALUES":
        return False
    return all(_is_plain_value(tok) for tok in code[i + 1 :])


def _is_plain_value(tok: Token) -> bool:
    """A token of a VALUES list of literals and parameters that every target reads alike."""
    if tok.kind in ("lparen", "rparen", "comma"):
        return True
    if tok.kind == "string":
        # Redshift reads \' inside literals, the targets do not (sqlglot rewrites
        # those); E'' and dollar-quoted literals go through sqlglot too.
        return tok.text.startswith("'") and "\\" not in tok.text
    if tok.kind == "word":
        return bool(
            MARKER_RE.fullmatch(tok.text)
            or tok.text.upper() in _PLAIN_VALUE_WORDS
            or _NUMBER_RE.fullmatch(tok.text)
        )
    return tok.kind == "op" and tok.text in ("-", "+")
