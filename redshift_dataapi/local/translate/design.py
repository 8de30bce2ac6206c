"""A CREATE TABLE's physical design as Redshift's system views report it.

The engines have no distribution or sort keys, and ``ddl.table_attributes``
removes those clauses before the engine sees the statement.  :func:`table_design`
reads them first from the lexer's tokens, so that the engines can record them
for SVV_TABLE_INFO and PG_TABLE_DEF (diststyle, distkey, sortkey, encoding):
column level ``DISTKEY``, ``SORTKEY`` and ``ENCODE x``; table level
``DISTSTYLE x``, ``DISTKEY (c)`` and ``[COMPOUND | INTERLEAVED] SORTKEY (c, ...)``
(``SORTKEY AUTO`` and ``ENCODE AUTO`` are Redshift's defaults).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .tokens import BLANK, Token, identifier_text

__all__ = ["TableDesign", "table_design"]


@dataclass
class TableDesign:
    """The distribution and sort keys and column encodings a CREATE TABLE declared."""

    diststyle: str | None = None  # EVEN, KEY, ALL or AUTO as written; None: not given
    distkey: str | None = None
    sortkey: list[str] = field(default_factory=list)
    interleaved: bool = False
    encodings: dict[str, str] = field(default_factory=dict)

    @property
    def effective_diststyle(self) -> str:
        """SVV_TABLE_INFO's ``diststyle``: EVEN, ALL, KEY(col) or AUTO(EVEN)."""
        style = (self.diststyle or "").upper()
        if self.distkey and style in ("", "KEY"):
            return f"KEY({self.distkey})"
        if style in ("EVEN", "ALL"):
            return style
        return "AUTO(EVEN)"


def table_design(tokens: list[Token]) -> TableDesign:
    """The design clauses of a CREATE TABLE's tokens (see the module docstring)."""
    design = TableDesign()
    code = [t for t in tokens if t.kind not in BLANK]
    depth = 0
    column: str | None = None
    element_start = False
    i = 0
    while i < len(code):
        tok = code[i]
        if tok.kind in ("lparen", "comma"):
            if tok.kind == "lparen":
                depth += 1
            element_start = depth == 1
            i += 1
            continue
        if tok.kind == "rparen":
            depth -= 1
            i += 1
            continue
        if depth == 0 and tok.kind == "word" and tok.text.upper() == "AS":
            break  # CREATE TABLE ... AS query
        if depth == 1 and element_start and tok.kind in ("word", "ident"):
            column = identifier_text(tok)
            element_start = False
            i += 1
            continue
        word = tok.text.upper() if tok.kind == "word" else ""
        following = code[i + 1] if i + 1 < len(code) else None
        if depth > 1 or not word:
            i += 1
            continue
        if word == "ENCODE" and following is not None:
            if depth == 1 and column is not None:
                design.encodings[column] = following.text.lower()
            i += 2
        elif word == "DISTSTYLE" and following is not None:
            design.diststyle = following.text.upper()
            i += 2
        elif word == "INTERLEAVED":
            design.interleaved = True
            i += 1
        elif word in ("DISTKEY", "SORTKEY"):
            names: list[str] = []
            if following is not None and following.kind == "lparen":
                j = i + 2
                while j < len(code) and code[j].kind != "rparen":
                    if code[j].kind in ("word", "ident"):
                        names.append(identifier_text(code[j]))
                    j += 1
                i = j + 1
            elif following is not None and following.text.upper() == "AUTO":
                i += 2
            else:
                if depth == 1 and column is not None:
                    names = [column]
                i += 1
            if word == "DISTKEY" and names:
                design.distkey = names[0]
            elif word == "SORTKEY":
                design.sortkey.extend(n for n in names if n not in design.sortkey)
        else:
            i += 1
    return design
