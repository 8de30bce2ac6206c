"""Lexical scanning of Redshift SQL: tokens, statements and ``:name`` parameters.

Enough of the SQL lexer to know what is code and what is a string literal, a
quoted identifier or a comment, so that the translator (``local.translate``)
and the engines can split statements on ``;``, find the Data API's named
parameters and rewrite code without ever touching literal text:

* :func:`scan` cuts SQL into :class:`Token` objects (joining their texts gives
  the SQL back) and :func:`split_statements` groups them into statements;
* :func:`replace_params` swaps ``:name`` parameters (never ``::`` casts, nor
  anything inside literals, quoted identifiers or comments) for marker words
  that survive sqlglot unchanged, and :func:`placeholders` turns the markers
  into the target's placeholders: DuckDB ``$1``, ``$2``... (one number per
  distinct name) or psycopg ``%(name)s``, doubling every literal ``%`` for
  psycopg;
* small token helpers the translator's token-level rewrites share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "BLANK",
    "MARKER_RE",
    "Target",
    "Token",
    "identifier_text",
    "join_tokens",
    "leading_words",
    "marker",
    "next_code",
    "placeholders",
    "replace_params",
    "scan",
    "skip_parens",
    "split_statements",
]

#: The engines SQL is written for (``placeholders`` writes their parameter style).
Target = Literal["duckdb", "postgres"]


@dataclass(frozen=True)
class Token:
    """One lexical piece of SQL.

    ``kind`` is one of ``ws``, ``comment``, ``string``, ``ident`` (quoted
    identifier), ``word`` (keyword, name or number), ``param`` (``:name``;
    ``text`` holds the whole ``:name``), ``semi``, ``lparen``, ``rparen``,
    ``comma`` or ``op`` (anything else, ``::`` included).
    """

    kind: str
    text: str


_WORD_RE = re.compile(
    r"[A-Za-z_\x80-\uffff][A-Za-z0-9_$\x80-\uffff]*|[0-9][0-9.]*(?:[eE][+-]?[0-9]+)?"
)
_PARAM_RE = re.compile(r":([0-9A-Za-z_]+)")
_DOLLAR_TAG_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")
_WS_RE = re.compile(r"\s+")
_PUNCTUATION = {";": "semi", "(": "lparen", ")": "rparen", ",": "comma"}


def _end_of_quoted(sql: str, start: int, quote: str, backslash_escapes: bool) -> int:
    """Index just past the closing quote of the literal opened at ``start``."""
    i = start + 1
    n = len(sql)
    while i < n:
        ch = sql[i]
        if backslash_escapes and ch == "\\":
            i += 2
            continue
        if ch == quote:
            if i + 1 < n and sql[i + 1] == quote:
                i += 2
                continue
            return i + 1
        i += 1
    return n  # unterminated: the engine reports it


def _end_of_block_comment(sql: str, start: int) -> int:
    depth = 0
    i = start
    n = len(sql)
    while i < n:
        if sql.startswith("/*", i):
            depth += 1
            i += 2
        elif sql.startswith("*/", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    return n


def scan(sql: str, backslash_escapes: bool = True) -> list[Token]:
    """Split ``sql`` into :class:`Token` objects; joining their texts gives ``sql`` back.

    ``backslash_escapes`` says whether ``\\'`` escapes a quote inside a string
    literal (Redshift accepts it; DuckDB and standard PostgreSQL strings do not).
    """
    tokens: list[Token] = []
    i = 0
    n = len(sql)
    while i < n:
        ch = sql[i]
        if ch.isspace():
            m = _WS_RE.match(sql, i)
            assert m is not None
            tokens.append(Token("ws", m.group()))
            i = m.end()
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            tokens.append(Token("comment", sql[i:j]))
            i = j
        elif sql.startswith("/*", i):
            j = _end_of_block_comment(sql, i)
            tokens.append(Token("comment", sql[i:j]))
            i = j
        elif ch == "'":
            j = _end_of_quoted(sql, i, "'", backslash_escapes)
            tokens.append(Token("string", sql[i:j]))
            i = j
        elif ch == '"':
            j = _end_of_quoted(sql, i, '"', False)
            tokens.append(Token("ident", sql[i:j]))
            i = j
        elif ch == "$" and (m := _DOLLAR_TAG_RE.match(sql, i)) is not None:
            tag = m.group()
            j = sql.find(tag, m.end())
            j = n if j < 0 else j + len(tag)
            tokens.append(Token("string", sql[i:j]))
            i = j
        elif ch == ":":
            if sql.startswith("::", i):
                tokens.append(Token("op", "::"))
                i += 2
            elif (m := _PARAM_RE.match(sql, i)) is not None:
                tokens.append(Token("param", m.group()))
                i = m.end()
            else:
                tokens.append(Token("op", ":"))
                i += 1
        elif (kind := _PUNCTUATION.get(ch)) is not None:
            tokens.append(Token(kind, ch))
            i += 1
        elif (m := _WORD_RE.match(sql, i)) is not None:
            tokens.append(Token("word", m.group()))
            i = m.end()
        else:
            tokens.append(Token("op", ch))
            i += 1
    return tokens


#: Token kinds that are no code.
BLANK = ("ws", "comment")


def split_statements(tokens: list[Token]) -> list[list[Token]]:
    """The non-empty statements of a token list (split on top-level ``;``)."""
    statements: list[list[Token]] = []
    current: list[Token] = []
    for tok in tokens:
        if tok.kind == "semi":
            statements.append(current)
            current = []
        else:
            current.append(tok)
    statements.append(current)
    return [s for s in statements if any(t.kind not in BLANK for t in s)]


def leading_words(tokens: list[Token], count: int = 4) -> list[str]:
    """The first ``count`` words of a statement, upper-cased (opening parens skipped)."""
    words: list[str] = []
    for tok in tokens:
        if tok.kind in BLANK or (tok.kind == "lparen" and not words):
            continue
        if tok.kind != "word":
            break
        words.append(tok.text.upper())
        if len(words) == count:
            break
    return words


def join_tokens(tokens: list[Token]) -> str:
    """The text of ``tokens``, without surrounding blanks."""
    return "".join(t.text for t in tokens).strip()


def identifier_text(tok: Token) -> str:
    """An identifier as Redshift stores it: quoted kept, unquoted lower-cased."""
    if tok.kind == "ident":
        return tok.text[1:-1].replace('""', '"')
    return tok.text.lower()


def quote_identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def next_code(tokens: list[Token], i: int) -> int:
    """Index of the next non-blank token at or after ``i`` (len(tokens) if none)."""
    while i < len(tokens) and tokens[i].kind in BLANK:
        i += 1
    return i


def skip_parens(tokens: list[Token], i: int) -> int:
    """Given tokens[i] is '(', the index just past its matching ')'."""
    depth = 0
    while i < len(tokens):
        if tokens[i].kind == "lparen":
            depth += 1
        elif tokens[i].kind == "rparen":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


# ---------------------------------------------------------------------------
# Placeholders
# ---------------------------------------------------------------------------

#: A marker word standing for a parameter; group 1 is its index.
MARKER_RE = re.compile(r"__rsdp([0-9]+)__")


def marker(index: int) -> str:
    """The marker word standing for the parameter numbered ``index`` (from 0)."""
    return f"__rsdp{index}__"


def replace_params(tokens: list[Token]) -> tuple[list[Token], list[str]]:
    """Swap ``:name`` tokens for marker words that survive sqlglot unchanged."""
    index: dict[str, int] = {}
    out: list[Token] = []
    for tok in tokens:
        if tok.kind == "param":
            position = index.setdefault(tok.text[1:], len(index))
            out.append(Token("word", marker(position)))
        else:
            out.append(tok)
    return out, list(index)


def placeholders(sql: str, names: list[str], target: Target) -> str:
    """Turn markers into the target's placeholders (and double ``%`` for psycopg)."""
    parts: list[str] = []
    for tok in scan(sql, backslash_escapes=False):
        if tok.kind == "word" and (m := MARKER_RE.fullmatch(tok.text)) is not None:
            index = int(m.group(1))
            if target == "duckdb":
                parts.append(f"${index + 1}")
            else:
                parts.append(f"%({names[index]})s")
        elif target == "postgres":
            parts.append(tok.text.replace("%", "%%"))
        else:
            parts.append(tok.text)
    return "".join(parts)
