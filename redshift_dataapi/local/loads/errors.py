"""The errors COPY and UNLOAD fail with, worded and coded as Redshift words and codes them."""

from __future__ import annotations

from ..engines.base import EngineError

__all__ = ["load_failed", "statement_error", "syntax_error"]


def statement_error(message: str, sqlstate: str = "XX000") -> EngineError:
    """``ERROR: <message> (SQLSTATE x)``: Redshift reports S3 and load failures as XX000."""
    return EngineError(f"ERROR: {message} (SQLSTATE {sqlstate})", sqlstate)


def syntax_error(near: str, why: str = "") -> EngineError:
    """A syntax error at a word of the statement, optionally saying what was expected."""
    detail = f": {why}" if why else ""
    return statement_error(f'syntax error at or near "{near}"{detail}', "42601")


def load_failed(table: str) -> EngineError:
    """The error of a COPY whose bad rows exceeded MAXERROR."""
    return statement_error(
        f"Load into table '{table}' failed.  Check 'stl_load_errors' system table for details."
    )
