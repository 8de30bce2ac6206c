"""The ``redshift-dataapi`` command.

``redshift-dataapi <verb>`` runs the raw Data API verbs with the AWS CLI's
names and flags (``execute-statement``, ``list-tables``, ...; see
:mod:`redshift_dataapi.cli.verbs`), ``query`` runs SQL through the driver and
prints rows (:mod:`redshift_dataapi.cli.query`), ``local serve`` serves the
local endpoint over HTTP (:mod:`redshift_dataapi.cli.local_serve`) and ``demo`` walks
through the project on the embedded local endpoint
(:mod:`redshift_dataapi.cli.demo`).

Settings come from flags or the driver's environment variables
(:mod:`redshift_dataapi.cli.settings`).  Every failure a user can cause ends
in one line on stderr, ``redshift-dataapi: error: ...``, and a non-zero exit;
``--debug`` adds the traceback and the library's debug logging.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn

from redshift_dataapi.cli import settings as cli_settings
from redshift_dataapi.cli.errors import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    CliError,
    UsageError,
    describe_exception,
)

__all__ = ["PROG", "build_parser", "main"]

PROG = "redshift-dataapi"


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose mistakes become one-line UsageErrors instead of usage dumps."""

    def error(self, message: str) -> NoReturn:
        command = self.prog[len(PROG) :].strip()
        where = f"{command}: " if command else ""
        hint = f" (see '{self.prog} --help')"
        raise UsageError(f"{where}{message}{hint}")


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("redshift-dataapi")
    except Exception:  # not installed (running from a source tree)
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    """The whole command's argument parser (verbs, query, local serve, demo)."""
    from redshift_dataapi.cli.demo import add_demo_parser
    from redshift_dataapi.cli.local_serve import add_local_parser
    from redshift_dataapi.cli.query import add_query_parser
    from redshift_dataapi.cli.verbs import add_verb_parsers

    parser = _Parser(
        prog=PROG,
        description="Amazon Redshift through the Redshift Data API: the AWS CLI's "
        "redshift-data verbs, a query command, the local endpoint and a demo.",
        epilog="Start with: redshift-dataapi demo",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    # The same flags after the verb, as the AWS CLI allows; SUPPRESS keeps a
    # subcommand from resetting what was given before it.
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show tracebacks and debug logs",
    )
    common = argparse.ArgumentParser(add_help=False, parents=[debug])
    cli_settings.add_endpoint_arguments(common)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    add_query_parser(sub, [common])
    add_demo_parser(sub, [common])
    add_local_parser(sub, [debug])
    add_verb_parsers(sub, [common])
    return parser


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in arguments
    if debug:
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")
    try:
        parser = build_parser()
        if not arguments:
            # A newcomer typing the bare command wants to see what it can do.
            parser.print_help()
            return 0
        args = parser.parse_args(arguments)
        status: int = args.handler(args)
        return status
    except CliError as exc:
        if debug:
            traceback.print_exc()
        _error(exc.message)
        return exc.exit_code
    except KeyboardInterrupt:
        if debug:
            traceback.print_exc()
        _error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `redshift-dataapi query ... | head`: the reader left; not an error.
        # Point stdout at /dev/null so the interpreter's final flush stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:
        if debug:
            traceback.print_exc()
        _error(describe_exception(exc))
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
