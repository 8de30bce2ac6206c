"""Redshift functions whose meaning the targets spell differently.

* GETDATE()/SYSDATE are UTC TIMESTAMPs (without time zone) on both targets.
  sqlglot reads GETDATE() as CURRENT_TIMESTAMP (a TIMESTAMPTZ), so the token
  pass :func:`mark_getdate` first replaces each call by a marker word, which
  the AST pass :func:`getdate` turns into ``DATE_TRUNC('second', SYSDATE)``:
  GETDATE() has second precision, SYSDATE microseconds.  An unaliased
  GETDATE() result column is still named ``getdate``.
* LISTAGG without a delimiter joins with nothing (sqlglot would write ',').
* :func:`postgres_functions`: on PostgreSQL, SYSDATE is ``CURRENT_TIMESTAMP
  AT TIME ZONE 'UTC'``; ``LISTAGG(x, d) WITHIN GROUP (ORDER BY y)`` is
  ``STRING_AGG(x, d ORDER BY y)``; FROM_HEX(x) is ``DECODE(x, 'hex')``;
  APPROXIMATE COUNT(DISTINCT x) counts exactly.  ROUND(x, n) and TO_HEX(x)
  are left as written: ``engines.redshift_functions`` adds the overloads
  PostgreSQL lacks (``round(double precision, integer)`` returning double
  precision, as Redshift's ROUND returns its input's type, and
  ``to_hex(bytea)`` for VARBYTE), so the engine picks by the argument's type.
* :func:`strtol`: sqlglot reads STRTOL(s, base) as FROM_BASE, which neither
  target has: it is written back as ``strtol`` (defined for both engines in
  ``engines.redshift_functions``).
* :func:`duckdb_trunc`: DuckDB's ``trunc`` takes numbers only; Redshift's
  one-argument TRUNC also takes a TIMESTAMP (and gives its DATE): it is
  ``redshift_trunc``, a macro typed on its argument, named ``trunc``.
  Likewise OCTET_LENGTH, which DuckDB has for BLOBs only, is
  ``redshift_octet_length`` (text counts its UTF-8 bytes).
* :func:`ratio_to_report`: RATIO_TO_REPORT(x) OVER (...), which neither
  target has, is ``CAST(x AS DOUBLE) / SUM(x) OVER (...)``.
* :func:`postgres_nul_literals`: Redshift reads ``'\\0'`` as the NUL
  character (``STRTOL('\\0', 2)`` is documented); PostgreSQL text cannot
  hold one, so such a literal fails with :data:`NUL_IN_LITERAL`.
* :func:`derived_table_aliases` (PostgreSQL): a subquery in FROM gets an
  alias when it has none (PostgreSQL 15 requires one, Redshift does not).
* :func:`duckdb_current_user`: DuckDB has no users and answers ``duckdb`` to
  ``current_user``; the engine keeps the Data API user of each connection in
  the variable :data:`CURRENT_USER_VARIABLE`, which ``current_user``,
  ``session_user`` and ``user`` read.
"""

from __future__ import annotations

from sqlglot import exp

from .tokens import Token, join_tokens, next_code
from .work import Work

__all__ = [
    "CURRENT_USER_VARIABLE",
    "GETDATE_MARKER",
    "NUL_IN_LITERAL",
    "derived_table_aliases",
    "duckdb_current_user",
    "duckdb_trunc",
    "getdate",
    "listagg_delimiter",
    "mark_getdate",
    "postgres_functions",
    "postgres_nul_literals",
    "ratio_to_report",
    "strtol",
]

#: The word GETDATE() calls are read as (a column name to sqlglot), so that
#: they can be told from SYSDATE after parsing.
GETDATE_MARKER = "__rsdgetdate__"
#: The DuckDB variable (``SET VARIABLE``) holding the user a connection runs as.
CURRENT_USER_VARIABLE = "redshift_current_user"


def mark_getdate(work: Work) -> None:
    """Replace every ``GETDATE()`` call by :data:`GETDATE_MARKER` (``raw`` keeps them)."""
    work.raw = join_tokens(work.tokens)
    tokens = work.tokens
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
                out.append(Token("word", GETDATE_MARKER))
                i = k + 1
                continue
        out.append(tok)
        i += 1
    work.tokens = out


def getdate(work: Work) -> None:
    """The GETDATE() markers as ``DATE_TRUNC('second', SYSDATE)``, tagged ``getdate``."""

    def transform(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and node.name == GETDATE_MARKER and not node.table:
            trunc = exp.TimestampTrunc(
                this=exp.CurrentTimestamp(sysdate=True), unit=exp.Var(this="SECOND")
            )
            trunc.meta["getdate"] = True
            return trunc
        return node

    work.tree = work.ast.transform(transform, copy=False)


def listagg_delimiter(work: Work) -> None:
    """LISTAGG's delimiter as Redshift reads it."""
    for agg in work.ast.find_all(exp.GroupConcat):
        distinct = agg.this
        if (
            isinstance(distinct, exp.Distinct)
            and len(distinct.expressions) == 2
            and agg.args.get("separator") is None
        ):
            # sqlglot reads LISTAGG(DISTINCT x, ',') as DISTINCT over the pair (x, ','):
            # the second expression is the delimiter.
            separator = distinct.expressions[1].pop()
            agg.set("separator", separator)
        # Redshift's LISTAGG without a delimiter joins with nothing; sqlglot writes ','.
        if agg.args.get("separator") is None:
            agg.set("separator", exp.Literal.string(""))


def duckdb_current_user(work: Work) -> None:
    """``current_user``/``session_user`` read the connection's Data API user (see above)."""
    tree = work.ast
    if not any(tree.find_all(exp.CurrentUser, exp.SessionUser)):
        return
    for node in list(tree.find_all(exp.CurrentUser, exp.SessionUser)):
        name = "session_user" if isinstance(node, exp.SessionUser) else "current_user"
        value = exp.Anonymous(
            this="getvariable", expressions=[exp.Literal.string(CURRENT_USER_VARIABLE)]
        )
        if isinstance(node.parent, exp.Select) and node.arg_key == "expressions":
            node.replace(exp.Alias(this=value, alias=exp.to_identifier(name)))
        else:
            node.replace(value)


def ratio_to_report(work: Work) -> None:
    """``RATIO_TO_REPORT(x) OVER (...)`` is ``x / SUM(x) OVER (...)`` in floating point."""
    for window in list(work.ast.find_all(exp.Window)):
        call = window.this
        if not (
            isinstance(call, exp.Anonymous)
            and str(call.this).upper() == "RATIO_TO_REPORT"
            and len(call.expressions) == 1
        ):
            continue
        value = call.expressions[0]
        total = window.copy()
        total.set("this", exp.Sum(this=value.copy()))
        ratio = exp.Div(
            this=exp.Cast(this=value.copy(), to=exp.DataType.build("DOUBLE")), expression=total
        )
        if isinstance(window.parent, exp.Select) and window.arg_key == "expressions":
            window.replace(exp.Alias(this=ratio, alias=exp.to_identifier("ratio_to_report")))
        else:
            window.replace(ratio)


#: Why PostgreSQL cannot run a literal holding the NUL character (Redshift reads ``'\\0'`` so).
NUL_IN_LITERAL = "a string literal holds the NUL character (\\0), which PostgreSQL text cannot hold"


def postgres_nul_literals(work: Work) -> None:
    """A NUL character in a string literal: a clear error rather than PostgreSQL's syntax error."""
    for literal in work.ast.find_all(exp.Literal):
        if literal.is_string and "\x00" in literal.name:
            raise ValueError(NUL_IN_LITERAL)


def derived_table_aliases(work: Work) -> None:
    """A subquery in FROM gets an alias when it has none (PostgreSQL 15 wants one)."""
    for number, subquery in enumerate(list(work.ast.find_all(exp.Subquery)), start=1):
        if isinstance(subquery.parent, (exp.From, exp.Join)) and not subquery.alias:
            subquery.set("alias", exp.TableAlias(this=exp.to_identifier(f"_subquery_{number}")))


def postgres_functions(work: Work) -> None:
    """Where sqlglot's Redshift -> PostgreSQL output is wrong or not PostgreSQL."""
    work.tree = work.ast.transform(_postgres_function, copy=False)


def _postgres_function(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.CurrentTimestamp) and node.args.get("sysdate"):
        # GETDATE()/SYSDATE are UTC TIMESTAMPs, not TIMESTAMPTZ.
        return exp.AtTimeZone(this=exp.CurrentTimestamp(), zone=exp.Literal.string("UTC"))
    if (
        isinstance(node, exp.WithinGroup)
        and isinstance(node.this, exp.GroupConcat)
        and isinstance(node.expression, exp.Order)
    ):
        # LISTAGG(x, ',') WITHIN GROUP (ORDER BY y) -> STRING_AGG(x, ',' ORDER BY y)
        agg = node.this
        ordered = exp.Order(this=agg.this, expressions=node.expression.expressions)
        return exp.GroupConcat(this=ordered, separator=agg.args.get("separator"))
    if isinstance(node, exp.Round) and node.args.get("decimals") is not None:
        # As written: sqlglot would cast a float argument to NUMERIC, and the
        # engine has round(double precision, integer) (see above).
        arg = node.this.transform(_postgres_function, copy=False)
        places = node.args["decimals"].transform(_postgres_function, copy=False)
        return exp.Anonymous(this="ROUND", expressions=[arg, places])
    if isinstance(node, exp.Anonymous) and str(node.name).upper() == "FROM_HEX":
        # FROM_HEX(text) -> VARBYTE is DECODE(text, 'hex') -> bytea.
        # A replaced node's children are not visited: transform the argument here.
        args = [e.transform(_postgres_function, copy=False) for e in node.expressions[:1]]
        return exp.Anonymous(this="DECODE", expressions=[*args, exp.Literal.string("hex")])
    if isinstance(node, (exp.LowerHex, exp.Hex)):
        # to_hex(integer), to_hex(bigint) and the project's to_hex(bytea).
        # A replaced node's children are not visited: transform the argument here.
        arg = node.this.transform(_postgres_function, copy=False)
        return exp.Anonymous(this="TO_HEX", expressions=[arg])
    if isinstance(node, exp.ApproxDistinct):
        # APPROXIMATE COUNT(DISTINCT x): PostgreSQL counts exactly.
        return exp.Count(this=exp.Distinct(expressions=[node.this]))
    return node


def strtol(work: Work) -> None:
    """STRTOL(s, base) as written (sqlglot reads it as FROM_BASE)."""
    for node in list(work.ast.find_all(exp.FromBase)):
        call = exp.Anonymous(this="strtol", expressions=[node.this, node.expression])
        _replace_named(node, call, "strtol")


#: sqlglot's TRUNC node; releases before it (Apache Superset pins one) read
#: TRUNC(x) as an anonymous call, which :func:`_one_argument_truncs` finds too.
_TRUNC: type[exp.Expression] | None = getattr(exp, "Trunc", None)


def _one_argument_truncs(tree: exp.Expression) -> list[tuple[exp.Expression, exp.Expression]]:
    """``(call, argument)`` of every TRUNC with one argument in ``tree``."""
    found: list[tuple[exp.Expression, exp.Expression]] = []
    for node in tree.find_all(exp.Func):
        if _TRUNC is not None and isinstance(node, _TRUNC):
            argument = None if node.args.get("decimals") is not None else node.this
        elif isinstance(node, exp.Anonymous) and str(node.name).upper() == "TRUNC":
            argument = node.expressions[0] if len(node.expressions) == 1 else None
        else:
            continue
        if isinstance(argument, exp.Expression):
            found.append((node, argument))
    return found


def duckdb_trunc(work: Work) -> None:
    """One-argument TRUNC and OCTET_LENGTH as typed macros (see above)."""
    for node, argument in _one_argument_truncs(work.ast):
        call = exp.Anonymous(this="redshift_trunc", expressions=[argument])
        _replace_named(node, call, "trunc")
    for length in list(work.ast.find_all(exp.Anonymous)):
        if str(length.name).upper() == "OCTET_LENGTH" and len(length.expressions) == 1:
            call = exp.Anonymous(this="redshift_octet_length", expressions=length.expressions)
            _replace_named(length, call, "octet_length")


def _replace_named(node: exp.Expression, call: exp.Expression, name: str) -> None:
    """Replace ``node`` by ``call``; as a result column it keeps Redshift's ``name``."""
    if isinstance(node.parent, exp.Select) and node.arg_key == "expressions":
        node.replace(exp.Alias(this=call, alias=exp.to_identifier(name)))
    else:
        node.replace(call)
