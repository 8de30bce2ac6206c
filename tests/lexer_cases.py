"""SQL texts on which the project's SQL readers used to disagree, and what the one lexer reads.

Before ``redshift_dataapi.sql.lexer``, four scanners decided what a ``:name``
placeholder was: the driver's (binding), the endpoint's (the Parameters
check), the translator's (the engine's SQL) and the dialect's (a bare
regex).  Each case says what they read then; ``names`` is what every side
reads now.  ``row`` is what the statement returns with each parameter set to
``"v_<name>"`` (None: it is no valid SQL, and the engine, not the parameter
check, refuses it).  The unit tests pin the lexer on these texts; the
integration tests run them through the driver and the local endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DISAGREEMENTS", "Disagreement"]


@dataclass(frozen=True)
class Disagreement:
    """One SQL text, the placeholders read in it now, and what was read before."""

    sql: str
    names: tuple[str, ...]
    before: str
    row: tuple[object, ...] | None = None

    def parameters(self) -> dict[str, str]:
        """A value for each placeholder: ``"v_<name>"``."""
        return {name: f"v_{name}" for name in self.names}


DISAGREEMENTS: tuple[Disagreement, ...] = (
    Disagreement(
        "SELECT /* a /* b */ :x */ :y AS y",
        ("y",),
        "the endpoint did not nest comments and asked for a value of x",
        ("v_y",),
    ),
    Disagreement(
        "SELECT 'it\\'s :x' AS s, :y AS y",
        ("y",),
        "the driver read backslash escapes only in E'' literals and asked for a value of x",
        ("it's :x", "v_y"),
    ),
    Disagreement(
        "SELECT type'\\' :x' AS s, :y AS y",
        ("y",),
        "the driver read '\\' as a whole literal after a word, and :x as a placeholder",
        None,
    ),
    Disagreement(
        "SELECT 'a' AS a -- note\r, :y AS y",
        ("y",),
        "every scanner ended a -- comment at \\n only (the engines and sqlglot end it at \\r"
        " too), so the driver refused y as unused",
        ("a", "v_y"),
    ),
    Disagreement(
        "SELECT (ARRAY[10,20,30])[2:3] IS NOT NULL AS s, :y AS y",
        ("y",),
        "the translator made the slice's :3 a parameter, which the engine never got",
        (True, "v_y"),
    ),
    Disagreement(
        "SELECT $é$ :x $é$ AS s, :y AS y",
        ("y",),
        "every scanner took ASCII dollar-quote tags only (tags are identifiers)",
        (" :x ", "v_y"),
    ),
    Disagreement(":y", ("y",), "the endpoint saw no placeholder at the very start of the text"),
    Disagreement(
        "SELECT (ARRAY[1])[1]:y", ("y",), "the endpoint saw no placeholder right after a ']'"
    ),
    Disagreement("SELECT 1 AS a:b", (), "the translator made :b a parameter after a word"),
    Disagreement(
        "SELECT 1 AS é:x",
        (),
        "the driver and the translator saw a placeholder after a non-ASCII letter",
    ),
    Disagreement(
        "SELECT é$a$ :x $a$",
        ("x",),
        "the driver opened a dollar quote after a non-ASCII letter (it belongs to the word)",
    ),
    Disagreement(
        "SELECT 1$a$ :x $a$",
        ("x",),
        "the translator opened a dollar quote right after a number",
    ),
)
