"""Which statements are plain reads: the ones a connection may run before its BEGIN.

A *plain read* is one statement (trailing semicolons aside) whose first word
is SELECT, WITH, SHOW or EXPLAIN (after any opening parentheses) and that
holds none of the words that can make such a statement write or lock:
INTO (``SELECT ... INTO``), INSERT, UPDATE, DELETE, MERGE, CREATE, DROP,
ALTER, TRUNCATE, COPY, UNLOAD, CALL, GRANT, REVOKE, LOCK, SHARE (``FOR
SHARE``), ANALYZE (``EXPLAIN ANALYZE`` runs the statement on PostgreSQL) or
VACUUM.  Words are read with the project's lexer, so text inside literals,
quoted identifiers and comments never counts.

The test errs one way only: a read that uses one of those words as a bare
column name is taken for a write and merely costs the BEGIN it would have
cost anyway; a write is never taken for a read.
"""

from __future__ import annotations

import functools

from .lexer import tokenize

__all__ = ["is_plain_read"]

_READ_VERBS = frozenset(("SELECT", "WITH", "SHOW", "EXPLAIN"))
_WRITE_WORDS = frozenset(
    (
        "INTO", "INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "DROP", "ALTER", "TRUNCATE",
        "COPY", "UNLOAD", "CALL", "GRANT", "REVOKE", "LOCK", "SHARE", "ANALYZE", "VACUUM",
    )
)  # fmt: skip


@functools.lru_cache(maxsize=512)
def is_plain_read(sql: str) -> bool:
    """Whether ``sql`` is one SELECT/WITH/SHOW/EXPLAIN statement that cannot write."""
    code = [t for t in tokenize(sql) if t.kind not in ("ws", "comment")]
    while code and code[-1].kind == "semi":
        code.pop()
    first = next((t for t in code if t.kind != "lparen"), None)
    if first is None or first.kind != "word" or first.text.upper() not in _READ_VERBS:
        return False
    for token in code:
        if token.kind == "semi":
            return False  # more than one statement
        if token.kind == "word" and token.text.upper() in _WRITE_WORDS:
            return False
    return True
