"""Token-level rewrites ``local.translate`` makes before sqlglot sees a statement.

Each works on :mod:`sql_scan` tokens, so literals, quoted identifiers and
comments are never touched:

* :func:`strip_table_attributes`: Redshift's physical-design clauses
  (DISTKEY, SORTKEY, DISTSTYLE, ENCODE, BACKUP) removed from CREATE/ALTER
  TABLE, which sqlglot would otherwise carry into the target's SQL;
* :func:`create_table_target`: the (schema, table) a CREATE TABLE creates;
* :func:`getdate_to_sysdate`: ``GETDATE()`` replaced by a word (sqlglot
  reads GETDATE() as CURRENT_TIMESTAMP, a TIMESTAMPTZ; the translator makes
  it a UTC TIMESTAMP truncated to the second);
* :func:`strip_no_schema_binding`, :func:`create_table_like`: late-binding
  views and ``CREATE TABLE ... (LIKE ...)`` for DuckDB;
* :func:`is_plain_insert_values`, :func:`is_role_statement`: statements the
  translator passes on without sqlglot, or drops on DuckDB.
"""

from __future__ import annotations

import itertools
import re

from .scan import BLANK, MARKER_RE, Token, identifier_text, join_tokens, next_code, skip_parens

__all__ = [
    "GETDATE_MARKER",
    "create_table_like",
    "create_table_target",
    "getdate_to_sysdate",
    "is_plain_insert_values",
    "is_role_statement",
    "strip_no_schema_binding",
    "strip_table_attributes",
]


def strip_table_attributes(tokens: list[Token], alter: bool) -> list[Token]:
    """Remove Redshift's physical-design clauses from CREATE TABLE / ALTER TABLE.

    Column level: ``ENCODE x``, ``DISTKEY``, ``SORTKEY``.  Table level:
    ``DISTSTYLE x``, ``DISTKEY (c)``, ``[COMPOUND|INTERLEAVED] SORTKEY (c, ...)``,
    ``SORTKEY AUTO``, ``BACKUP YES|NO``, ``ENCODE AUTO``.  A word that starts a
    column definition (a column *named* sortkey) is kept.
    """
    out: list[Token] = []
    depth = 0
    element_start = False  # the next word starts a column definition
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.kind == "lparen":
            depth += 1
            element_start = depth == 1 and not alter
            out.append(tok)
            i += 1
            continue
        if tok.kind == "rparen":
            depth -= 1
            out.append(tok)
            i += 1
            continue
        if tok.kind == "comma":
            element_start = depth == 1 and not alter
            out.append(tok)
            i += 1
            continue
        if tok.kind != "word" or depth > 1:
            out.append(tok)
            i += 1
            continue
        word = tok.text.upper()
        if element_start:
            element_start = False
            out.append(tok)
            i += 1
            continue
        if depth == 0 and word == "AS" and not alter:
            out.extend(tokens[i:])  # CREATE TABLE ... AS query: nothing more to strip
            break
        j = next_code(tokens, i + 1)
        following = tokens[j] if j < n else None
        if word in {"ENCODE", "DISTSTYLE", "BACKUP"} and following is not None:
            i = j + 1  # the keyword and its argument
            continue
        if (
            word in {"COMPOUND", "INTERLEAVED"}
            and following is not None
            and following.kind == "word"
            and following.text.upper() == "SORTKEY"
        ):
            i = j  # drop the qualifier; SORTKEY handled next round
            continue
        if word in {"DISTKEY", "SORTKEY"}:
            if following is not None and following.kind == "lparen":
                i = skip_parens(tokens, j)
                continue
            if (
                following is not None
                and following.kind == "word"
                and following.text.upper() == "AUTO"
            ):
                i = j + 1
                continue
            i += 1
            continue
        out.append(tok)
        i += 1
    return out


def create_table_target(tokens: list[Token]) -> tuple[tuple[str | None, str] | None, bool]:
    """The (schema, table) a CREATE TABLE statement creates, and whether it is TEMP."""
    temporary = False
    code = [t for t in tokens if t.kind not in BLANK]
    i = 1  # past CREATE
    while (
        i < len(code)
        and code[i].kind == "word"
        and code[i].text.upper()
        in {
            "TEMP",
            "TEMPORARY",
            "LOCAL",
            "GLOBAL",
        }
    ):
        temporary = temporary or code[i].text.upper() in {"TEMP", "TEMPORARY"}
        i += 1
    if i >= len(code) or code[i].text.upper() != "TABLE":
        return None, temporary
    i += 1
    if i + 2 < len(code) and [c.text.upper() for c in code[i : i + 3]] == ["IF", "NOT", "EXISTS"]:
        i += 3
    if i >= len(code) or code[i].kind not in ("word", "ident"):
        return None, temporary
    parts = [identifier_text(code[i])]
    while i + 2 < len(code) and code[i + 1].text == "." and code[i + 2].kind in ("word", "ident"):
        parts.append(identifier_text(code[i + 2]))
        i += 2
    if len(parts) == 1:
        return (None, parts[0]), temporary
    return (parts[-2], parts[-1]), temporary


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
    for tok in code[i + 1 :]:
        if tok.kind in ("lparen", "rparen", "comma"):
            continue
        if tok.kind == "string":
            # Redshift reads \' inside literals; the targets do not: sqlglot rewrites those.
            if "\\" in tok.text or tok.text.startswith("$"):
                return False
            continue
        if tok.kind == "word" and (
            MARKER_RE.fullmatch(tok.text)
            or tok.text.upper() in _PLAIN_VALUE_WORDS
            or _NUMBER_RE.fullmatch(tok.text)
        ):
            continue
        if tok.kind == "op" and tok.text in ("-", "+"):
            continue
        return False
    return True


_ROLE_WORDS = {"USER", "GROUP", "ROLE"}


def is_role_statement(tokens: list[Token], words: list[str]) -> bool:
    """GRANT/REVOKE, CREATE/ALTER/DROP USER|GROUP|ROLE, ALTER ... OWNER TO."""
    if words[:1] in (["GRANT"], ["REVOKE"]):
        return True
    if len(words) >= 2 and words[0] in {"CREATE", "ALTER", "DROP"} and words[1] in _ROLE_WORDS:
        return True
    if words[:1] == ["ALTER"]:
        upper = [t.text.upper() for t in tokens if t.kind == "word"]
        return any(a == "OWNER" and b == "TO" for a, b in itertools.pairwise(upper))
    return False


def strip_no_schema_binding(tokens: list[Token]) -> list[Token]:
    """Drop a late-binding view's trailing ``WITH NO SCHEMA BINDING``."""
    code = [i for i, t in enumerate(tokens) if t.kind not in BLANK]
    tail = [tokens[i].text.upper() for i in code[-4:]]
    if tail == ["WITH", "NO", "SCHEMA", "BINDING"]:
        return tokens[: code[-4]]
    return tokens


def create_table_like(tokens: list[Token]) -> str | None:
    """``CREATE TABLE t (LIKE s ...)`` as DuckDB can run it (columns only), else None."""
    paren = next((i for i, t in enumerate(tokens) if t.kind == "lparen"), None)
    if paren is None:
        return None
    j = next_code(tokens, paren + 1)
    if j >= len(tokens) or tokens[j].text.upper() != "LIKE":
        return None
    source: list[str] = []
    for tok in tokens[j + 1 :]:
        if tok.kind == "rparen" or tok.text.upper() in {"INCLUDING", "EXCLUDING"}:
            break
        if tok.kind not in BLANK:
            source.append(tok.text)
    return f"{join_tokens(tokens[:paren])} AS SELECT * FROM {''.join(source)} LIMIT 0"


#: The word ``local.translate`` has GETDATE() calls read as (a column name to
#: sqlglot), so that it can tell them from SYSDATE after parsing.
GETDATE_MARKER = "__rsdgetdate__"


def getdate_to_sysdate(tokens: list[Token], replacement: str = "SYSDATE") -> list[Token]:
    """``tokens`` with every ``GETDATE()`` call replaced by the word ``replacement``."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind == "word" and tok.text.upper() == "GETDATE":
            j = next_code(tokens, i + 1)
            k = next_code(tokens, j + 1)
            if (
                j < len(tokens)
                and tokens[j].kind == "lparen"
                and k < len(tokens)
                and tokens[k].kind == "rparen"
            ):
                out.append(Token("word", replacement))
                i = k + 1
                continue
        out.append(tok)
        i += 1
    return out
