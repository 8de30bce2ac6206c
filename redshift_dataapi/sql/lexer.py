"""The one Redshift SQL lexer: what is code, a literal, an identifier, a comment or a placeholder.

Every part of the project that reads SQL text asks this module: the driver
when it binds ``:name`` parameters and plans executemany, the local endpoint
when it checks a request's Parameters against the SQL, the translator when it
rewrites Redshift SQL for an engine, and the SQLAlchemy dialect when it sizes
multi-row INSERTs.  So they never disagree about a statement.

The rules are Redshift's, which are PostgreSQL 8.0's where the Redshift
documentation says nothing more:

* ``'...'`` string literals double a quote (``''``) and also read a backslash
  as an escape (``\\'`` is a quote inside the literal): PostgreSQL 8.0 had no
  ``standard_conforming_strings``, and Redshift's own documentation writes a
  regular-expression backslash as ``'\\\\'`` and has QUOTE_LITERAL double
  backslashes.  ``E'...'`` is the same literal with a prefix.  (Engines
  reading today's standard strings get ``backslash_escapes=False``: then only
  ``E'...'`` reads backslashes, as in PostgreSQL 9.1 and later and DuckDB.)
* ``$$...$$`` and ``$tag$...$tag$`` are dollar-quoted literals; the tag is an
  identifier without ``$``.  A ``$`` right after an identifier character
  (letters, digits, ``_``, ``$``, non-ASCII letters) opens none: it belongs to
  the word (``a$$``).  PostgreSQL would open one right after a number
  (``1$a$``); no real statement does that, and reading words and numbers
  alike lets both views below decide by the one character before the ``$``.
* ``"..."`` is a quoted identifier, with ``""`` for a quote and no escapes.
* ``--`` starts a comment that ends at the end of the line (a ``\\n`` or a
  ``\\r``); ``/* ... */`` comments nest, as PostgreSQL's do since 7.1:
  ``/* a /* b */ c */`` is one comment.
* ``:name`` is a Data API placeholder when the name is made of
  :data:`~redshift_dataapi._core.limits.PARAMETER_NAME_PATTERN` characters and
  the colon is code (outside everything above), is not part of ``::`` (a
  cast) and does not follow a letter, digit or ``_`` (``a:b``, the slice
  ``arr[1:2]``, ``'12:30'`` hold no placeholder; ``arr[:n]``, ``arr[i]:n``,
  ``(:n)``, ``x:::n``, ``"col":n`` and ``a$:n`` hold one).  The name is the
  longest run of name characters (``:aé`` is ``:a`` then ``é``; ``:é`` is
  none).
* An unterminated literal, identifier or comment runs to the end of the text
  (the engine reports the error; nothing in it is a placeholder).
* Whitespace and identifier characters are Unicode's (``\\s``, ``\\w``): a
  no-break space copied from a web page separates words as a space does.

Two views of the same rules: :func:`tokenize` cuts the whole text into
:class:`Token` objects (the translator's view); :func:`placeholder_spans`,
:func:`find_placeholders`, :func:`placeholder_names` and :func:`quoted_spans`
find only what they report, with regular expressions that skip plain code
inside the regex engine (``bind()`` runs on every ``execute()``, the
endpoint's check on every ExecuteStatement).  Both views are built from the
same pattern pieces, and the tests check them against each other and against
a character-by-character reading of these rules.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from .._core.limits import PARAMETER_NAME_PATTERN

__all__ = [
    "Placeholder",
    "Token",
    "find_placeholders",
    "placeholder_names",
    "placeholder_spans",
    "quoted_spans",
    "tokenize",
]

# -- pattern pieces, shared by both views -------------------------------------

#: Not right after a letter, digit or ``_``: where a ``:`` may start a placeholder.
_NOT_AFTER_WORD = r"(?<!\w)"
#: Nor after a ``$`` (``a$$`` is a word): where a ``$`` may open a dollar quote.
_NOT_AFTER_WORD_OR_DOLLAR = r"(?<![\w$])"
#: The body of a literal after its opening quote, backslash escapes read
#: (a lone trailing backslash included, so an unterminated literal still runs
#: to the end).
_ESCAPED_BODY = r"(?:[^'\\]++|\\.?|'')*+'?"
#: The body of a standard literal: only ``''`` is special.
_STANDARD_BODY = r"[^']*+(?:''[^']*+)*+'?"
_QUOTED_IDENTIFIER = r'"[^"]*+(?:""[^"]*+)*+"?'
_LINE_COMMENT = r"--[^\n\r]*+"
_DOLLAR_OPEN = _NOT_AFTER_WORD_OR_DOLLAR + r"\$(?:[^\W\d]\w*+)?\$"
#: The same, with the tag in group "tag" (for a backreference to the closing tag).
_DOLLAR_OPEN_TAG = _NOT_AFTER_WORD_OR_DOLLAR + r"\$(?P<tag>(?:[^\W\d]\w*+)?)\$"
_PLACEHOLDER = _NOT_AFTER_WORD + ":" + PARAMETER_NAME_PATTERN

# -- the fast views: only what they report ------------------------------------

# One match per placeholder: the lazy loop skips, inside the regex engine,
# whole literals, identifiers, line comments, dollar quotes (closed by their
# own tag), casts and runs of plain code, until a placeholder, the opening of
# a block comment (closed in Python: comments nest) or the end of the text.
# Every character is taken by some item, so each match starts where the last
# one ended and the scan is linear.
_NEXT_PLACEHOLDER = re.compile(
    rf"""
    (?:
        '{_ESCAPED_BODY}
      | {_QUOTED_IDENTIFIER}
      | {_LINE_COMMENT}
      | {_DOLLAR_OPEN_TAG}.*?(?:\$(?P=tag)\$|\Z)
      | ::
      | [^'"\-/$:]++
      | [-/$:]
    )*?
    (?: {_NOT_AFTER_WORD}:(?P<name>{PARAMETER_NAME_PATTERN}) | (?P<block>/\*) | \Z )
    """,
    re.VERBOSE | re.DOTALL,
)
# One match per literal, identifier or comment; a block comment and a dollar
# quote are opened here and closed in Python.
_QUOTED = re.compile(
    rf"""
      '{_ESCAPED_BODY}
    | {_QUOTED_IDENTIFIER}
    | {_LINE_COMMENT}
    | (?P<block>/\*)
    | (?P<dollar>{_DOLLAR_OPEN})
    """,
    re.VERBOSE | re.DOTALL,
)
_COMMENT_EDGE = re.compile(r"/\*|\*/")


def _end_of_block_comment(sql: str, start: int) -> int:
    """Index just past the (nested) block comment opened at ``start``."""
    depth = 0
    for edge in _COMMENT_EDGE.finditer(sql, start):
        if edge.group() == "/*":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return edge.end()
    return len(sql)


def _end_of_dollar_quote(sql: str, opening: re.Match[str]) -> int:
    """Index just past the closing tag of the dollar quote ``opening`` opens."""
    tag = opening.group()
    close = sql.find(tag, opening.end())
    return len(sql) if close < 0 else close + len(tag)


def placeholder_spans(sql: str) -> list[tuple[str, int, int]]:
    """``(name, start, end)`` of every placeholder, in order.

    ``start`` is the index of the colon, ``end`` one past the name.  The
    cheapest form (tuples), for ``bind()``.
    """
    found: list[tuple[str, int, int]] = []
    append = found.append
    pos = 0
    finditer = _NEXT_PLACEHOLDER.finditer
    while True:
        for match in finditer(sql, pos):
            name = match["name"]
            if name is not None:
                append((name, match.start("name") - 1, match.end()))
            elif match["block"] is not None:
                pos = _end_of_block_comment(sql, match.start("block"))
                break
            else:  # the end of the text
                return found
        else:
            return found


@dataclass(frozen=True)
class Placeholder:
    """A ``:name`` occurrence: ``start`` is the index of the colon, ``end`` one past the name."""

    name: str
    start: int
    end: int


def find_placeholders(sql: str) -> list[Placeholder]:
    """Every ``:name`` placeholder of ``sql``, in order (see the module docstring)."""
    return [Placeholder(name, start, end) for name, start, end in placeholder_spans(sql)]


def placeholder_names(sql: str) -> set[str]:
    """The distinct placeholder names ``sql`` references."""
    if "/*" not in sql:  # no comment to close in Python: one pass in C
        names = {name for _tag, name, _block in _NEXT_PLACEHOLDER.findall(sql)}
        names.discard("")
        return names
    return {name for name, _, _ in placeholder_spans(sql)}


def quoted_spans(sql: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every literal, quoted identifier and comment, in order.

    A ``--`` comment's span stops before its line end.  Blanking these spans
    out leaves only code, where keywords and parentheses can be found by
    position (executemany's INSERT splitting).
    """
    spans: list[tuple[int, int]] = []
    append = spans.append
    pos = 0
    n = len(sql)
    while pos < n:
        for match in _QUOTED.finditer(sql, pos):
            kind = match.lastgroup
            if kind is None:
                append(match.span())
                continue
            start = match.start()
            if kind == "block":
                pos = _end_of_block_comment(sql, start)
            else:
                pos = _end_of_dollar_quote(sql, match)
            append((start, pos))
            break
        else:
            break
    return spans


# -- the full view: every token -------------------------------------------------


class Token(NamedTuple):
    """One lexical piece of SQL; joining the texts of a token list gives the SQL back.

    ``kind`` is one of ``ws``, ``comment``, ``string`` (any literal: quoted,
    ``E''`` or dollar-quoted), ``ident`` (quoted identifier), ``word``
    (keyword, name or number), ``param`` (``:name``; ``text`` holds the whole
    ``:name``), ``semi``, ``lparen``, ``rparen``, ``comma`` or ``op`` (any
    other character, and ``::``).
    """

    kind: str
    text: str


# Group name -> token kind, where they differ.
_KINDS = {
    "block": "comment",
    "estring": "string",
    "dollar": "string",
    "number": "word",
    "cast": "op",
    "other": "op",
}


@functools.cache
def _tokens_pattern(backslash_escapes: bool) -> re.Pattern[str]:
    """The full view's pattern: one alternative per token kind, tried in order."""
    body = _ESCAPED_BODY if backslash_escapes else _STANDARD_BODY
    return re.compile(
        rf"""
          (?P<ws>\s+)
        | (?P<comment>{_LINE_COMMENT})
        | (?P<block>/\*)
        | (?P<estring>{_NOT_AFTER_WORD}[eE]'{_ESCAPED_BODY})
        | (?P<string>'{body})
        | (?P<ident>{_QUOTED_IDENTIFIER})
        | (?P<dollar>{_DOLLAR_OPEN})
        | (?P<cast>::)
        | (?P<param>{_PLACEHOLDER})
        | (?P<word>[^\W\d][\w$]*+)
        | (?P<number>[0-9][0-9.]*+(?:[eE][+-]?[0-9]+)?)
        | (?P<semi>;) | (?P<lparen>\() | (?P<rparen>\)) | (?P<comma>,)
        | (?P<other>.)
        """,
        re.VERBOSE | re.DOTALL,
    )


def tokenize(sql: str, backslash_escapes: bool = True) -> list[Token]:
    """Cut ``sql`` into :class:`Token` objects (see the module docstring for the rules).

    ``backslash_escapes`` is Redshift's reading of ``'...'`` (the default);
    False reads standard strings, as the engines behind the local endpoint
    (DuckDB, PostgreSQL 9.1 and later) do, where only ``E'...'`` has escapes.
    """
    match = _tokens_pattern(backslash_escapes).match
    tokens: list[Token] = []
    append = tokens.append
    kinds = _KINDS
    pos = 0
    n = len(sql)
    while pos < n:
        found = match(sql, pos)
        assert found is not None  # the last alternative takes any character
        group = found.lastgroup
        assert group is not None
        end = found.end()
        if group == "block":
            end = _end_of_block_comment(sql, pos)
        elif group == "dollar":
            end = _end_of_dollar_quote(sql, found)
        append(Token(kinds.get(group, group), sql[pos:end]))
        pos = end
    return tokens
