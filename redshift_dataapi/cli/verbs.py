"""The raw Data API verbs, shaped like ``aws redshift-data <verb>``.

The verbs and their flags come from botocore's model of the service, so they
have the AWS CLI's names (``execute-statement --sql ... --cluster-identifier
...``), and a newer botocore brings its new members along.  Each verb makes
its call and prints the response as the AWS CLI does: JSON, no
ResponseMetadata, timestamps in ISO 8601, ``--query`` (JMESPath) to pick
from it, and the pages of a paginated operation followed and merged
(``--no-paginate``, ``--max-items``, ``--starting-token`` and ``--page-size``
work as in the AWS CLI).

Beyond the AWS CLI: on the operations that open a database connection
(execute-statement, batch-execute-statement, list-databases, list-schemas,
list-tables, describe-table) the target and database fall back on the
driver's environment variables and the local endpoint's defaults (see
:mod:`redshift_dataapi.cli.settings`), unless ``--session-id`` names a session.
The filters of list-statements and list-sessions never come from the
environment: a filter nobody typed would hide statements.

Every call goes through the driver's statement runner, with its retries
(botocore's own are off) and a ClientToken on each submission, so that a
retried execute-statement never runs twice; the pages of a paginated verb
are botocore's paginator over the runner's calls.
"""

from __future__ import annotations

import argparse
import functools
import re
from typing import Any

from botocore import xform_name

from redshift_dataapi._core.runner import StatementRunner, paginator_config
from redshift_dataapi._core.settings import TARGET_KEYWORDS, Settings
from redshift_dataapi.cli import settings as cli_settings
from redshift_dataapi.cli.errors import UsageError
from redshift_dataapi.cli.output import aws_json, aws_json_value
from redshift_dataapi.cli.shorthand import parse_structure_list

__all__ = [
    "add_verb_parsers",
    "build_request",
    "flag_name",
    "run_verb",
    "target_members",
    "verb_name",
]

SERVICE = "redshift-data"
#: Members the AWS CLI hides on paginated operations (replaced by its paging flags).
_PAGING_MEMBERS = {"NextToken", "MaxResults"}


@functools.cache
def _service_model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model(SERVICE)


def target_members(shape: Any) -> dict[str, str]:
    """Model member -> connect() keyword, for the target and auth members of ``shape``.

    ``ClusterIdentifier`` is ``cluster_identifier`` and so on: botocore's own
    name conversion, so a member the model adds under a keyword's name joins.
    """
    found = {member: str(xform_name(member)) for member in shape.members}
    return {member: keyword for member, keyword in found.items() if keyword in TARGET_KEYWORDS}


def _first_sentence(doc: str) -> str:
    text = " ".join(re.sub(r"<[^>]+>", "", doc or "").split())
    end = text.find(". ")
    text = text if end < 0 else text[: end + 1]
    return text.replace("%", "%%")


def verb_name(operation: str) -> str:
    """``ExecuteStatement`` -> ``execute-statement``."""
    return str(xform_name(operation, "-"))


def flag_name(member: str) -> str:
    """``SessionKeepAliveSeconds`` -> ``--session-keep-alive-seconds``."""
    return "--" + str(xform_name(member, "-"))


def add_verb_parsers(subparsers: Any, common: list[argparse.ArgumentParser]) -> None:
    """Add one subcommand per Data API operation, flags taken from the service model."""
    model = _service_model()
    for operation in model.operation_names:
        op_model = model.operation_model(operation)
        paging = paginator_config(SERVICE, operation)
        parser = subparsers.add_parser(
            verb_name(operation),
            parents=common,
            help=_first_sentence(op_model.documentation),
            description=_first_sentence(op_model.documentation)
            + " Output: the response as JSON, as the AWS CLI prints it.",
        )
        parser.set_defaults(handler=run_verb, operation=operation)
        parser.add_argument(
            "--output",
            choices=["json"],
            default="json",
            help="output format (JSON, as the AWS CLI's default)",
        )
        parser.add_argument(
            "--query",
            dest="jmespath",
            metavar="JMESPATH",
            help="a JMESPath expression that picks from the response, as the AWS CLI's --query",
        )
        shape = op_model.input_shape
        required = set(shape.required_members) - set(target_members(shape))
        for member, member_shape in shape.members.items():
            if paging is not None and member in _PAGING_MEMBERS:
                continue
            # The target members may come from the environment: checked later.
            is_required = member in required
            _add_member_argument(parser, member, member_shape, is_required)
        if paging is not None:
            _add_paging_arguments(parser, paging)


def _add_paging_arguments(parser: argparse.ArgumentParser, paging: dict[str, Any]) -> None:
    """The AWS CLI's flags of a paginated verb."""
    parser.add_argument(
        "--no-paginate",
        action="store_true",
        help="make one call and print its page, NextToken included",
    )
    parser.add_argument(
        "--max-items",
        type=int,
        metavar="N",
        help="print at most N items, then a NextToken to resume",
    )
    parser.add_argument(
        "--starting-token",
        metavar="TOKEN",
        help="resume from the NextToken of an earlier --max-items",
    )
    if paging.get("limit_key"):
        parser.add_argument("--page-size", type=int, metavar="N", help="items per service call")


def _add_member_argument(
    parser: argparse.ArgumentParser, member: str, shape: Any, required: bool
) -> None:
    flag = flag_name(member)
    doc = _first_sentence(shape.documentation)
    dest = "m_" + member
    if flag == "--region" or flag == "--endpoint-url":  # pragma: no cover - not in the model
        return
    if shape.type_name == "boolean":
        parser.add_argument(
            flag, dest=dest, action=argparse.BooleanOptionalAction, default=None, help=doc
        )
    elif shape.type_name == "integer":
        parser.add_argument(flag, dest=dest, type=int, metavar="N", help=doc)
    elif shape.type_name == "list":
        parser.add_argument(
            flag,
            dest=dest,
            nargs="+",
            metavar="VALUE",
            required=required,
            help=doc
            + (
                " Shorthand KEY=VALUE,... or JSON." if shape.member.type_name == "structure" else ""
            ),
        )
    else:
        enum = getattr(shape, "enum", None) or None
        parser.add_argument(
            flag,
            dest=dest,
            required=required,
            metavar="VALUE",
            help=doc + (f" One of: {', '.join(enum)}." if enum else ""),
        )


def _read_value(value: Any) -> Any:
    # The AWS CLI reads a value that starts with file:// from that file.
    if isinstance(value, str) and value.startswith("file://"):
        path = value[len("file://") :]
        try:
            with open(path, encoding="utf-8") as handle:
                return handle.read()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    return value


def _members_from_flags(args: argparse.Namespace, shape: Any) -> dict[str, Any]:
    request: dict[str, Any] = {}
    for member, member_shape in shape.members.items():
        value = getattr(args, "m_" + member, None)
        if value is None:
            continue
        if member_shape.type_name == "list":
            if member_shape.member.type_name == "structure":
                keys = list(member_shape.member.members)
                value = parse_structure_list(
                    [_read_value(v) for v in value], keys, flag_name(member)
                )
            else:
                value = [_read_value(v) for v in value]
        else:
            value = _read_value(value)
        request[member] = value
    return request


def build_request(args: argparse.Namespace, operation: str) -> tuple[dict[str, Any], Settings]:
    """The request of a parsed verb (target applied and checked) and the driver's settings."""
    shape = _service_model().operation_model(operation).input_shape
    request = _members_from_flags(args, shape)
    members = target_members(shape)
    explicit = cli_settings.given(args)
    explicit.update({keyword: request[m] for m, keyword in members.items() if m in request})
    opens_connection = "SecretArn" in shape.members and not request.get("SessionId")
    settings = cli_settings.resolve(explicit, require_target=opens_connection)
    if opens_connection:
        for member, keyword in members.items():
            value = getattr(settings, keyword)
            if value is not None:
                request[member] = value
    return request, settings


def run_verb(args: argparse.Namespace) -> int:
    """Run one parsed verb and print its response; return the exit status."""
    operation: str = args.operation
    request, settings = build_request(args, operation)
    runner = StatementRunner(
        cli_settings.client_for(settings),
        max_retries=settings.max_retries,
        wait_time_seconds=settings.wait_time_seconds,
    )
    page_size = getattr(args, "page_size", None)
    paginated = paginator_config(SERVICE, operation) is not None
    if paginated and not args.no_paginate:
        response = runner.paginate(
            operation,
            request,
            max_items=args.max_items,
            starting_token=args.starting_token,
            page_size=page_size,
        )
    else:
        if paginated:
            if args.starting_token is not None:
                request["NextToken"] = args.starting_token
            if page_size is not None:
                request["MaxResults"] = page_size
        response = runner.call_operation(operation, request)
    if args.jmespath:
        print(aws_json_value(_search(args.jmespath, response)))
    else:
        print(aws_json(response))
    return 0


def _search(expression: str, response: dict[str, Any]) -> Any:
    import jmespath
    from jmespath.exceptions import JMESPathError

    shown = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    try:
        return jmespath.search(expression, shown)
    except JMESPathError as exc:
        raise UsageError(f"--query {expression!r}: {' '.join(str(exc).split())}") from None
