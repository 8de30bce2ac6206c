"""``redshift-dataapi query``: run SQL through the driver and print the rows.

On a terminal the command submits the statement, shows a live line on stderr
(status and elapsed time, cleared at the end) while it polls
DescribeStatement, and Ctrl-C cancels the statement (CancelStatement) and exits
130.  Elsewhere (pipes, scripts) the driver waits with long polling.  Either
way the statement is submitted without waiting first (one call more than
``cursor.execute()`` costs), so that its Id is known before any long wait and
Ctrl-C can always cancel it.  ``--id`` prints an earlier statement's result again
without running anything.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from typing import Any, TextIO

from redshift_dataapi.cli import settings as cli_settings
from redshift_dataapi.cli.errors import EXIT_INTERRUPTED, CliError, UsageError, describe_exception
from redshift_dataapi.cli.output import format_csv, format_json_rows, format_table

_DONE = {"FINISHED", "FAILED", "ABORTED"}


def add_query_parser(subparsers: Any, common: list[argparse.ArgumentParser]) -> None:
    """Add the ``query`` subcommand."""
    parser = subparsers.add_parser(
        "query",
        parents=common,
        help="run SQL through the driver and print the rows",
        description="Run one SQL statement through the driver, wait for it and print the "
        "rows. SQL comes from the argument, --file PATH, or stdin ('-').",
        epilog="Settings not given as flags come from the driver's environment variables "
        "REDSHIFT_DATAAPI_<KEYWORD> (REDSHIFT_DATAAPI_CLUSTER_IDENTIFIER, ..._WORKGROUP_NAME, "
        "..._DATABASE, ..._SECRET_ARN, ..._DB_USER, ..._REGION_NAME, ..._ENDPOINT_URL), "
        "then boto3's usual sources for the region and credentials.",
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


def open_connection(settings: cli_settings.Settings, client: Any, **options: Any) -> Any:
    """A driver connection for ``settings`` over ``client`` (autocommit: no session).

    Call it inside :func:`cli_settings.client_env_hidden`.
    """
    import redshift_dataapi

    kwargs = settings.connect_kwargs()
    for name in cli_settings.CLIENT_SETTINGS:
        kwargs.pop(name, None)
    return redshift_dataapi.connect(client=client, autocommit=True, **kwargs, **options)


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


def _cancel(client: Any, statement_id: str) -> None:
    try:
        client.cancel_statement(Id=statement_id)
    except Exception:  # already finished, or the endpoint went away: nothing left to stop
        pass


def _wait_live(
    cursor: Any, client: Any, statement_id: str, stream: TextIO, timeout: float | None
) -> None:
    """Poll DescribeStatement with a live status line until the statement ends."""
    line = StatusLine(stream)
    start = time.monotonic()
    status = "SUBMITTED"
    next_poll = start
    interval = 0.2
    try:
        while True:
            now = time.monotonic()
            if now >= next_poll:
                description = client.describe_statement(Id=statement_id)
                status = description["Status"]
                if status in _DONE:
                    break
                next_poll = now + interval
                interval = min(interval * 1.5, 2.0)
            elapsed = now - start
            if timeout is not None and elapsed > timeout:
                _cancel(client, statement_id)
                raise CliError(
                    f"statement {statement_id} cancelled after the {timeout:g} s timeout"
                )
            line.show(f"{status} {elapsed:5.1f}s  statement {statement_id}  (Ctrl-C cancels)")
            time.sleep(0.1)
    finally:
        line.clear()
    if status == "FAILED":
        raise CliError(f"statement {statement_id} failed: {description.get('Error', '')}")
    if status == "ABORTED":
        raise CliError(f"statement {statement_id} was cancelled")
    cursor.attach(statement_id)


def run_query(args: argparse.Namespace, client: Any | None = None) -> int:
    """Run ``query``; print the rows to stdout in the chosen format; return the exit status."""
    settings = cli_settings.resolve(args)
    cli_settings.apply_local_defaults(settings)
    cli_settings.check_combination(settings)
    sql = None if args.statement_id else read_sql(args, sys.stdin)
    params = parse_parameters(args.parameter)
    if args.statement_id is None:
        cli_settings.check_target(settings)
    if client is None:
        client = cli_settings.make_client(settings)
    options: dict[str, Any] = {}
    if args.timeout is not None and not args.timeout > 0:
        raise UsageError(f"--timeout must be a positive number of seconds, not {args.timeout:g}")
    if args.timeout is not None:
        options["timeout"] = args.timeout
    if args.result_format is not None:
        options["result_format"] = args.result_format
    with cli_settings.client_env_hidden():
        return _run(args, settings, client, sql, params, options)


def _run(
    args: argparse.Namespace,
    settings: cli_settings.Settings,
    client: Any,
    sql: str | None,
    params: dict[str, str],
    options: dict[str, Any],
) -> int:
    connection = open_connection(settings, client, **options)
    cursor = connection.cursor()
    try:
        if args.statement_id is not None:
            cursor.attach(args.statement_id)
        else:
            # Submit without waiting, then wait: the Id is known before any long
            # wait, so Ctrl-C can always cancel the statement.
            statement_id = cursor.submit(sql, params or None)
            if sys.stderr.isatty():
                _wait_live(cursor, client, statement_id, sys.stderr, args.timeout)
            else:
                cursor.attach(statement_id)
        rows = cursor.fetchall() if cursor.description is not None else []
        out, note = _render(args.output, cursor, rows, sql)
    except KeyboardInterrupt:
        statement_id = getattr(cursor, "statement_id", None)
        if statement_id:
            _cancel(client, statement_id)
            raise CliError(f"cancelled statement {statement_id}", EXIT_INTERRUPTED) from None
        raise CliError("interrupted", EXIT_INTERRUPTED) from None
    except CliError:
        raise
    except Exception as exc:
        if not _is_driver_error(exc):
            raise
        message = describe_exception(exc)
        statement_id = getattr(exc, "statement_id", None) or getattr(cursor, "statement_id", None)
        if statement_id and statement_id not in message:
            message += f" (statement {statement_id})"
        raise CliError(message) from exc
    finally:
        try:
            connection.close()
        except Exception:  # closing must never hide the real outcome
            pass
    if note:
        print(note, file=sys.stderr)
    sys.stdout.write(out)
    sys.stdout.flush()
    return 0


def _is_driver_error(exc: BaseException) -> bool:
    import redshift_dataapi

    error_class = getattr(redshift_dataapi, "Error", None)
    return error_class is not None and isinstance(exc, error_class)


_COUNTS_ROWS = re.compile(r"\s*(insert|update|delete|merge|copy)\b", re.IGNORECASE)


def _render(output: str, cursor: Any, rows: list[Any], sql: str | None) -> tuple[str, str]:
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
