"""``redshift-dataapi query``: run SQL through the driver and print the rows.

The statement is submitted without waiting first (one call more than
``cursor.execute()`` costs), so that its Id is known before any long wait and
Ctrl-C can always cancel it; then the driver waits for it.  On a terminal a
live line on stderr shows the status and elapsed time while it waits (the
driver's progress callback, at least once a second; cleared at the end).
Ctrl-C cancels the statement (CancelStatement) and exits 130.  ``--id``
prints an earlier statement's result again without running anything.
Every Data API call is the driver's: this module calls no client method.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING, Any, TextIO

from redshift_dataapi._core.settings import env_name
from redshift_dataapi.cli import settings as cli_settings
from redshift_dataapi.cli.errors import EXIT_INTERRUPTED, CliError, UsageError, describe_exception
from redshift_dataapi.cli.output import format_csv, format_json_rows, format_table
from redshift_dataapi.connection import Connection
from redshift_dataapi.cursor import Cursor
from redshift_dataapi.errors import Error as DriverError

if TYPE_CHECKING:
    from redshift_dataapi._core.runner import StatementProgress

__all__ = [
    "StatusLine",
    "add_query_parser",
    "parse_parameters",
    "read_sql",
    "run_query",
]


def add_query_parser(subparsers: Any, common: list[argparse.ArgumentParser]) -> None:
    """Add the ``query`` subcommand."""
    parser = subparsers.add_parser(
        "query",
        parents=common,
        help="run SQL through the driver and print the rows",
        description="Run one SQL statement through the driver, wait for it and print the "
        "rows. SQL comes from the argument, --file PATH, or stdin ('-').",
        epilog="Settings not given as flags come from the driver's environment variables "
        f"{env_name('<keyword>')} ("
        + ", ".join(env_name(k) for k in cli_settings.FLAGS)
        + "), then boto3's usual sources for the region and credentials.",
    )
    parser.add_argument("sql", nargs="?", help="the SQL text, or '-' to read it from stdin")
    parser.add_argument("--file", "-f", metavar="PATH", help="read the SQL from PATH")
    parser.add_argument(
        "--id",
        dest="statement_id",
        metavar="ID",
        help="print the result of an earlier statement again, without running anything",
    )
    parser.add_argument(
        "--parameter",
        "-p",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a named parameter (:NAME in the SQL); repeat for more",
    )
    parser.add_argument(
        "--output",
        "-o",
        choices=["table", "json", "csv"],
        default="table",
        help="how to print the rows (default: table)",
    )
    parser.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="cancel the statement after this long"
    )
    parser.add_argument(
        "--result-format",
        choices=["json", "csv"],
        help="the Data API result format the driver fetches",
    )
    cli_settings.add_target_arguments(parser)
    parser.set_defaults(handler=run_query)


def read_sql(args: argparse.Namespace, stdin: TextIO) -> str:
    """The SQL text from the argument, ``--file`` or stdin; a UsageError when none or two."""
    sources = [s for s in (args.sql, args.file) if s is not None]
    if len(sources) > 1:
        raise UsageError("give the SQL once: as the argument or with --file, not both")
    if args.file is not None:
        try:
            with open(args.file, encoding="utf-8") as handle:
                sql = handle.read()
        except OSError as exc:
            raise UsageError(f"cannot read --file {args.file}: {exc.strerror}") from None
    elif args.sql == "-":
        sql = stdin.read()
    elif args.sql is not None:
        sql = args.sql
    else:
        raise UsageError("no SQL: give it as the argument, with --file PATH, or '-' to read stdin")
    if not sql.strip():
        raise UsageError("the SQL is empty")
    return sql


def parse_parameters(words: list[str]) -> dict[str, str]:
    """``-p NAME=VALUE`` words -> the named parameters (values stay strings)."""
    params: dict[str, str] = {}
    for word in words:
        name, sep, value = word.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--parameter {word!r}: expected NAME=VALUE")
        params[name.strip()] = value
    return params


class StatusLine:
    """A single status line on a terminal's stderr, rewritten in place and cleared at the end."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def show(self, text: str) -> None:
        self.stream.write("\r" + text + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _attach_live(cursor: Cursor, statement_id: str, stream: TextIO) -> None:
    """Wait for the statement with a live status line, then make its result the cursor's."""
    line = StatusLine(stream)

    def show(progress: StatementProgress) -> None:
        line.show(
            f"{progress.status} {progress.elapsed:5.1f}s  statement {progress.statement_id}"
            "  (Ctrl-C cancels)"
        )

    try:
        cursor.attach(statement_id, progress=show)
    finally:
        line.clear()


def run_query(args: argparse.Namespace) -> int:
    """Run ``query``; print the rows to stdout in the chosen format; return the exit status."""
    sql = None if args.statement_id else read_sql(args, sys.stdin)
    params = parse_parameters(args.parameter)
    # An earlier statement's result is fetched by its Id alone: no target needed.
    settings = cli_settings.resolve(
        {**cli_settings.given(args), "autocommit": True},
        require_target=args.statement_id is None,
    )
    connection = Connection(settings, cli_settings.client_for(settings))
    try:
        out, note = _run(args, connection.cursor(), sql, params)
    finally:
        try:
            connection.close()
        except DriverError:  # closing must never hide the real outcome
            pass
    if note:
        print(note, file=sys.stderr)
    sys.stdout.write(out)
    sys.stdout.flush()
    return 0


def _run(
    args: argparse.Namespace, cursor: Cursor, sql: str | None, params: dict[str, str]
) -> tuple[str, str]:
    """Run or attach the statement; the text for stdout and a note for stderr."""
    try:
        if args.statement_id is not None:
            cursor.attach(args.statement_id)
        else:
            assert sql is not None
            submitted = cursor.submit(sql, params or None)
            if sys.stderr.isatty():
                _attach_live(cursor, submitted, sys.stderr)
            else:
                cursor.attach(submitted)
        rows = cursor.fetchall() if cursor.description is not None else []
        return _render(args.output, cursor, rows, sql)
    except KeyboardInterrupt:
        interrupted = cursor.statement_id
        if interrupted is None:
            raise CliError("interrupted", EXIT_INTERRUPTED) from None
        try:
            cursor.cancel()  # the driver's wait already cancels; this covers the rest
        except DriverError:  # the endpoint went away: nothing left to stop
            pass
        raise CliError(f"cancelled statement {interrupted}", EXIT_INTERRUPTED) from None
    except DriverError as exc:
        message = describe_exception(exc)
        failed = exc.statement_id or cursor.statement_id
        if failed and failed not in message:
            message += f" (statement {failed})"
        raise CliError(message) from exc


_COUNTS_ROWS = re.compile(r"\s*(insert|update|delete|merge|copy)\b", re.IGNORECASE)


def _render(output: str, cursor: Cursor, rows: list[Any], sql: str | None) -> tuple[str, str]:
    """The text for stdout and a note for stderr (statements without rows)."""
    if cursor.description is None:
        count = cursor.rowcount
        # DDL reports 0 rows; only DML's count means something to the user.
        counts = sql is not None and _COUNTS_ROWS.match(sql) is not None and count >= 0
        affected = f", {count} row{'' if count == 1 else 's'} affected" if counts else ""
        if output == "table":
            return f"OK{affected}\n", ""
        return "", f"statement {cursor.statement_id}: OK{affected}"
    columns = [d[0] for d in cursor.description]
    if output == "json":
        return format_json_rows(columns, rows) + "\n", ""
    if output == "csv":
        return format_csv(columns, rows), ""
    return format_table(columns, rows) + "\n", ""
