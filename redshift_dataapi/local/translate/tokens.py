"""The translator's view of SQL tokens: statements, leading words and small helpers.

The tokens come from the project's one Redshift SQL lexer
(:func:`redshift_dataapi.sql.lexer.tokenize`, re-exported here with
:class:`Token`), so the translator reads literals, quoted identifiers,
comments and ``:name`` placeholders exactly as the driver and the endpoint's
parameter check do.  Joining a statement's token texts gives its SQL back, so
token passes rewrite code and never touch literal text:

* :func:`split_statements` groups tokens into statements (on ``;``);
* :func:`leading_words`, :func:`next_code`, :func:`skip_parens`,
  :func:`join_tokens`, :func:`identifier_text` and :func:`quote_identifier`
  are what the token passes share.
"""

from __future__ import annotations

from ...sql.lexer import Token, tokenize

__all__ = [
    "BLANK",
    "Token",
    "identifier_text",
    "join_tokens",
    "leading_words",
    "next_code",
    "quote_identifier",
    "quote_literal",
    "skip_parens",
    "split_statements",
    "tokenize",
]

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


def quote_literal(text: str) -> str:
    """``text`` as a standard SQL string literal (no backslash escapes)."""
    return "'" + text.replace("'", "''") + "'"


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
