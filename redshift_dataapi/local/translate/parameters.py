"""The Data API's ``:name`` parameters on their way to the engine's placeholders.

Two passes, at both ends of the translation:

* :func:`to_markers` (first): every ``:name`` placeholder token (as the lexer
  reads it: never a ``::`` cast, a slice, or text in a literal, quoted
  identifier or comment) becomes a marker word that survives sqlglot
  unchanged; the distinct names, in the order of first use, become the
  result's ``param_names``;
* :func:`to_placeholders` (last): the markers in the engine's SQL become its
  placeholders: DuckDB ``$1``, ``$2``... (one number per distinct name) or
  psycopg ``%(name)s``, with every other ``%`` doubled for psycopg.  The
  engine's SQL is read with standard strings (no backslash escapes outside
  ``E'...'``), as both engines read it.

Values are always bound by the engine, never pasted into the text.
"""

from __future__ import annotations

import re

from .target import Target
from .tokens import Token, tokenize
from .work import Work

__all__ = ["MARKER_RE", "marker", "placeholders", "to_markers", "to_placeholders"]

#: A marker word standing for a parameter; group 1 is its index.
MARKER_RE = re.compile(r"__rsdp([0-9]+)__")


def marker(index: int) -> str:
    """The marker word standing for the parameter numbered ``index`` (from 0)."""
    return f"__rsdp{index}__"


def to_markers(work: Work) -> None:
    """Swap ``:name`` tokens for marker words; record the names in order of first use."""
    index: dict[str, int] = {}
    out: list[Token] = []
    for tok in work.tokens:
        if tok.kind == "param":
            position = index.setdefault(tok.text[1:], len(index))
            out.append(Token("word", marker(position)))
        else:
            out.append(tok)
    work.tokens = out
    work.result.param_names = list(index)


def placeholders(sql: str, names: list[str], target: Target) -> str:
    """Turn markers into the target's placeholders (and double ``%`` for psycopg)."""
    parts: list[str] = []
    for tok in tokenize(sql, backslash_escapes=False):
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


def to_placeholders(work: Work) -> None:
    """The text pass: the engine's SQL with its own placeholders."""
    if work.text is not None:
        work.text = placeholders(work.text, work.names, work.target)
