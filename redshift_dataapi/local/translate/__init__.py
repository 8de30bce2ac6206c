"""Redshift SQL -> the SQL of the engine behind the local endpoint.

:func:`translate` (in :mod:`.core`) runs the named list of passes of
:mod:`.passes`: token passes over the project's one Redshift SQL lexer
(:mod:`redshift_dataapi.sql.lexer`), sqlglot AST passes, then text fixes.
"""

from .core import translate
from .passes import PASSES
from .target import Target
from .work import DeclaredColumn, Translated

__all__ = ["PASSES", "DeclaredColumn", "Target", "Translated", "translate"]
