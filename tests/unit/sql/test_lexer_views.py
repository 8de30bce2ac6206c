"""The lexer's two views agree with each other and with the rules, on generated SQL.

``placeholder_spans``, ``placeholder_names`` and ``quoted_spans`` (regexes
that skip plain code, for ``bind()`` and the endpoint) and ``tokenize``
(every token, for the translator) are built from the same pattern pieces;
here all are checked against :func:`reference`, a plain character-by-character
reading of the rules in the lexer's docstring, on texts made of the pieces
where SQL readers go wrong.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from redshift_dataapi.sql.lexer import placeholder_names, placeholder_spans, quoted_spans, tokenize

_NAME_CHARS = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what \w matches in a str pattern


def _end_of_literal(sql: str, i: int) -> int:
    """Past the '...' literal opened at ``i`` (backslash escapes and '' read)."""
    j = i + 1
    while j < len(sql):
        if sql[j] == "\\" or (sql[j] == "'" and sql[j + 1 : j + 2] == "'"):
            j += 2
        elif sql[j] == "'":
            return j + 1
        else:
            j += 1
    return len(sql)


def _end_of_comment(sql: str, i: int) -> int:
    depth = 0
    j = i
    while j < len(sql):
        if sql.startswith("/*", j):
            depth += 1
            j += 2
        elif sql.startswith("*/", j):
            depth -= 1
            j += 2
            if depth == 0:
                return j
        else:
            j += 1
    return len(sql)


def _dollar_tag(sql: str, i: int) -> str | None:
    """The $tag$ opening at ``i``, if one opens there."""
    if i > 0 and (_is_word(sql[i - 1]) or sql[i - 1] == "$"):
        return None
    j = i + 1
    if j < len(sql) and _is_word(sql[j]) and not sql[j].isdecimal():
        j += 1
        while j < len(sql) and _is_word(sql[j]):
            j += 1
    return sql[i : j + 1] if sql[j : j + 1] == "$" else None


def reference(sql: str) -> tuple[list[tuple[str, int, int]], list[tuple[int, int]]]:
    """(placeholder spans, quoted spans) read one character at a time."""
    found: list[tuple[str, int, int]] = []
    quoted: list[tuple[int, int]] = []
    i = 0
    while i < len(sql):
        start = i
        tag = _dollar_tag(sql, i) if sql[i] == "$" else None
        if sql[i] == "'":
            i = _end_of_literal(sql, i)
        elif sql[i] == '"':
            close = sql.find('"', i + 1)
            while close >= 0 and sql[close + 1 : close + 2] == '"':
                close = sql.find('"', close + 2)
            i = len(sql) if close < 0 else close + 1
        elif sql.startswith("--", i):
            i = min([p for p in (sql.find("\n", i), sql.find("\r", i)) if p >= 0] or [len(sql)])
        elif sql.startswith("/*", i):
            i = _end_of_comment(sql, i)
        elif tag is not None:
            close = sql.find(tag, i + len(tag))
            i = len(sql) if close < 0 else close + len(tag)
        elif sql.startswith("::", i):
            i += 2
            continue
        elif sql[i] == ":" and (i == 0 or not _is_word(sql[i - 1])):
            j = i + 1
            while j < len(sql) and sql[j] in _NAME_CHARS:
                j += 1
            if j > i + 1:
                found.append((sql[i + 1 : j], i, j))
            i = max(j, i + 1)
            continue
        else:
            i += 1
            continue
        quoted.append((start, i))
    return found, quoted


_PIECES = st.sampled_from(
    [
        "'", "''", '"', '""', "\\", ":", "::", ":a", ":b1", "$", "$$", "$a$", "$é$", "/*", "*/",
        "--", "\n", "\r", " ", "\u00a0", "a", "E", "é", "1", "_", "[", "]", "(", ")", ";", ",",
        "é:a", "a$:b", "1:2", "]:a", "E'\\'", "'\\'", "/*/", "\\'",
    ]
)  # fmt: skip
_SQL = st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=40)


def _token_spans(sql: str, backslash_escapes: bool = True) -> dict[str, list[tuple[int, int]]]:
    """Spans of the tokens of each kind."""
    spans: dict[str, list[tuple[int, int]]] = {}
    pos = 0
    for tok in tokenize(sql, backslash_escapes):
        spans.setdefault(tok.kind, []).append((pos, pos + len(tok.text)))
        pos += len(tok.text)
    return spans


@settings(max_examples=300, deadline=None, database=None)
@given(_SQL)
@example("SELECT /* a /* b */ :x */ :y")
@example("SELECT 'it\\'s :x', :y")
@example("SELECT é:x, 'q':y")
def test_the_fast_view_reads_the_rules(sql: str) -> None:
    found, quoted = reference(sql)
    assert placeholder_spans(sql) == found
    assert placeholder_names(sql) == {name for name, _, _ in found}
    assert quoted_spans(sql) == quoted


@settings(max_examples=300, deadline=None, database=None)
@given(_SQL)
def test_the_token_view_agrees_with_the_fast_view(sql: str) -> None:
    tokens = tokenize(sql)
    assert "".join(t.text for t in tokens) == sql
    spans = _token_spans(sql)
    params = [(sql[s + 1 : e], s, e) for s, e in spans.get("param", [])]
    assert params == placeholder_spans(sql)
    # Literals, identifiers and comments; an E'' literal's span starts at its quote.
    blocks = [
        (s + 1 if re.match("[eE]'", sql[s : s + 2]) else s, e)
        for kind in ("string", "ident", "comment")
        for s, e in spans.get(kind, [])
    ]
    assert sorted(blocks) == quoted_spans(sql)


@settings(max_examples=100, deadline=None, database=None)
@given(_SQL)
def test_standard_strings_give_the_text_back(sql: str) -> None:
    assert "".join(t.text for t in tokenize(sql, backslash_escapes=False)) == sql
