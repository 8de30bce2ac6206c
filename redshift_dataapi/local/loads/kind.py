"""Which statements are COPY or UNLOAD: they run here, not through the SQL translator.

:func:`statement_kind` is the one place that decides it, from the
statement's first word as the SQL lexer sees it (comments and blanks
skipped; a word inside a literal or quoted identifier never counts).
"""

from __future__ import annotations

from typing import Literal

from ..translate.tokens import BLANK, tokenize

__all__ = ["LoadKind", "statement_kind"]

LoadKind = Literal["COPY", "UNLOAD"]


def statement_kind(sql: str) -> LoadKind | None:
    """``"COPY"`` or ``"UNLOAD"`` when ``sql`` is one of them, else None."""
    lowered = sql.lower()
    if "copy" not in lowered and "unload" not in lowered:
        return None  # the common case, without scanning a long statement
    for token in tokenize(sql):
        if token.kind in BLANK:
            continue
        if token.kind != "word":
            return None
        word = token.text.upper()
        if word == "COPY":
            return "COPY"
        if word == "UNLOAD":
            return "UNLOAD"
        return None
    return None
