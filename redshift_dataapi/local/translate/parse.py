"""sqlglot in and out: the parse pass and the generate pass.

:func:`parse` reads the statement's text (after the token passes) with
sqlglot's Redshift dialect; :func:`generate` writes the rewritten tree in the
target's dialect.  When sqlglot cannot read a statement (or reads it only as
an opaque command), or cannot write it, the statement passes through as
written (``Work.raw``, logged at DEBUG): the engine may still run it, and if
not, its own error message is the one the user sees.
"""

from __future__ import annotations

import logging

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from .tokens import join_tokens
from .work import Work

logger = logging.getLogger(__name__)

__all__ = ["generate", "parse"]


def parse(work: Work) -> None:
    """The statement as a sqlglot tree, or passed through when sqlglot cannot read it."""
    text = join_tokens(work.tokens)
    try:
        trees = sqlglot.parse(text, read="redshift")
    except SqlglotError as exc:
        logger.debug("sqlglot cannot parse %r (%s); passing it through", text, exc)
        trees = []
    tree = trees[0] if len(trees) == 1 else None
    if not isinstance(tree, exp.Expression) or isinstance(tree, exp.Command):
        if tree is not None:
            logger.debug("sqlglot parsed %r only as a command; passing it through", text)
        work.pass_through()
        return
    work.tree = tree


def generate(work: Work) -> None:
    """The tree written in the target's dialect, or passed through when sqlglot cannot."""
    try:
        work.text = work.ast.sql(dialect=work.target)
    except SqlglotError as exc:
        logger.debug(
            "sqlglot cannot write %r for %s (%s); passing it through", work.raw, work.target, exc
        )
        work.pass_through()
