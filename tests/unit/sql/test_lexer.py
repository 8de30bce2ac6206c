"""The one Redshift SQL lexer: placeholders, literals, identifiers, comments, tokens.

Each rule of ``redshift_dataapi.sql.lexer``'s docstring is pinned here, with
the texts on which the project's former scanners disagreed
(``tests/lexer_cases.py``); test_lexer_views.py checks the lexer's two views
against each other and against a character-by-character reading of the rules.
"""

from __future__ import annotations

import pytest

from redshift_dataapi.sql.lexer import (
    Token,
    find_placeholders,
    placeholder_names,
    placeholder_spans,
    quoted_spans,
    tokenize,
)
from tests.lexer_cases import DISAGREEMENTS, Disagreement


def names(sql: str) -> list[str]:
    return [p.name for p in find_placeholders(sql)]


@pytest.mark.parametrize("case", DISAGREEMENTS, ids=lambda case: repr(case.sql))
def test_texts_the_former_scanners_disagreed_on(case: Disagreement) -> None:
    assert tuple(dict.fromkeys(names(case.sql))) == case.names
    assert placeholder_names(case.sql) == set(case.names)
    assert [t.text[1:] for t in tokenize(case.sql) if t.kind == "param"] == names(case.sql)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT :a, :b_2, :3", ["a", "b_2", "3"]),
        # Literals: '' doubles a quote, a backslash escapes (Redshift), E'' is the same.
        ("SELECT ':a', \"x:y\", :c", ["c"]),
        ("SELECT 'it''s :a', :b", ["b"]),
        ("SELECT 'a\\\\', :b", ["b"]),  # an escaped backslash, then the closing quote
        ("SELECT E'\\' :a', :b", ["b"]),
        ("SELECT $$ :a $$, $tag$ :b $tag$, :c", ["c"]),
        ("SELECT $a$ $b$ :x $a$, :y", ["y"]),  # only the opening tag closes
        ('SELECT "a"":x", :c', ["c"]),  # no escapes in identifiers: "" is a quote
        ('SELECT "a\\":x', ["x"]),
        # Comments: -- to the end of the line (\n or \r), /* */ nested.
        ("SELECT 1 -- :a\n, :b", ["b"]),
        ("-- :a\n:b", ["b"]),
        ("SELECT /* :a /* :x */ */ :b", ["b"]),
        ("SELECT /* :a */ :b /* :c", ["b"]),
        ("SELECT /**/ :a /*/ :b */ :c", ["a", "c"]),
        # Casts and slices are no placeholders; a cast's operand may be one.
        ("SELECT x::int, :a::varchar, y:::d", ["a", "d"]),
        ("SELECT a[1:2], a[:c], b[n]:x, f(x):y", ["c", "x", "y"]),
        # After a letter, digit or _ a colon is no placeholder; after $ or a quote it is.
        ("SELECT '12:30:00'::time, a:b, 1:c, _:d, é:e", []),
        ("SELECT a$:b, 'q':c, \"i\":d, $$s$$:e", ["b", "c", "d", "e"]),
        # A $ after a word character (or $) opens no dollar quote.
        ("SELECT a$$ :b $$", ["b"]),
        ("SELECT é$a$ :b $a$", ["b"]),
        ("SELECT 1$a$ :b $a$", ["b"]),
        ("SELECT $é$ :a $é$, :b", ["b"]),  # tags are identifiers, non-ASCII included
        ("SELECT $1, $1$ :a", ["a"]),  # $1 is no tag (tags do not start with a digit)
        # Names are [0-9a-zA-Z_]+: the longest run.
        ("SELECT :é, :aé, :a-1", ["a", "a"]),
        # Whitespace is Unicode's.
        ("SELECT\u00a0:a,\u2003:b", ["a", "b"]),
    ],
)
def test_placeholders_only_in_code(sql: str, expected: list[str]) -> None:
    assert names(sql) == expected


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        # A placeholder right after a literal, identifier or comment is still one.
        ("SELECT 'a':b", [("b", 10, 12)]),
        ('SELECT "c":d', [("d", 10, 12)]),
        ("SELECT /* x */:e", [("e", 14, 16)]),
        ("SELECT x::int, (:a)", [("a", 16, 18)]),
        ("SELECT x:::a", [("a", 10, 12)]),
        ("SELECT E'\\'' :a", [("a", 13, 15)]),
        ("SELECT e'\\' :a', :b", [("b", 17, 19)]),
        # Unterminated literals, identifiers and comments run to the end.
        ("SELECT ':a", []),
        ("SELECT 'a\\", []),
        ('SELECT ":a', []),
        ("SELECT /* :a", []),
        ("SELECT /* /* */ :a", []),
        ("SELECT $x$ :a", []),
        (":a", [("a", 0, 2)]),
    ],
)
def test_placeholder_positions(sql: str, expected: list[tuple[str, int, int]]) -> None:
    assert placeholder_spans(sql) == expected
    assert [(p.name, p.start, p.end) for p in find_placeholders(sql)] == expected


def test_quoted_spans_cover_literals_identifiers_and_comments() -> None:
    sql = "SELECT 'a''b', \"c\", $t$d$t$, x::int, :p -- e\n/* f /* g */ */ E'\\''"
    pieces = [sql[start:end] for start, end in quoted_spans(sql)]
    assert pieces == ["'a''b'", '"c"', "$t$d$t$", "-- e", "/* f /* g */ */", "'\\''"]


def test_tokens_give_the_text_back() -> None:
    sql = "SELECT 'a''b', \"x\"\"y\", $$:z$$ -- c\r\n/* d /* e */ */ FROM t WHERE a = :p::int;"
    assert "".join(t.text for t in tokenize(sql)) == sql


def test_token_kinds() -> None:
    sql = "SELECT E'\\'x', \"i\", $$d$$, a$1, 1.5e3, :p::int, x[1:2] -- c\n/* b */;"
    tokens = [t for t in tokenize(sql) if t.kind != "ws"]
    assert tokens == [
        Token("word", "SELECT"),
        Token("string", "E'\\'x'"),
        Token("comma", ","),
        Token("ident", '"i"'),
        Token("comma", ","),
        Token("string", "$$d$$"),
        Token("comma", ","),
        Token("word", "a$1"),
        Token("comma", ","),
        Token("word", "1.5e3"),
        Token("comma", ","),
        Token("param", ":p"),
        Token("op", "::"),
        Token("word", "int"),
        Token("comma", ","),
        Token("word", "x"),
        Token("op", "["),
        Token("word", "1"),
        Token("op", ":"),
        Token("word", "2"),
        Token("op", "]"),
        Token("comment", "-- c"),
        Token("comment", "/* b */"),
        Token("semi", ";"),
    ]


def test_standard_strings_read_backslashes_only_in_e_literals() -> None:
    """The engines' reading (``backslash_escapes=False``): 'a\\' is a whole literal."""
    sql = "SELECT 'a\\', E'b\\'c', x"
    standard = [t.text for t in tokenize(sql, backslash_escapes=False) if t.kind == "string"]
    assert standard == ["'a\\'", "E'b\\'c'"]
    redshift = [t.text for t in tokenize(sql) if t.kind == "string"]
    assert redshift == ["'a\\', E'", "'c'"]  # Redshift: \\' is a quote, the literal goes on
