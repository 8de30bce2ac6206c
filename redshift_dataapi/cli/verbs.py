"""The raw Data API verbs, shaped like ``aws redshift-data <verb>``.

The verbs and their flags come from botocore's model of the service, so they
have the AWS CLI's names (``execute-statement --sql ... --cluster-identifier
...``), and a newer botocore brings its new members along.  Each verb makes
the boto3 call itself and prints the response as the AWS CLI does: JSON, no
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
"""

from __future__ import annotations

import argparse
import functools
import re
from typing import Any

from botocore import xform_name

from redshift_dataapi.cli import settings as cli_settings
from redshift_dataapi.cli.errors import UsageError
from redshift_dataapi.cli.output import aws_json, aws_json_value
from redshift_dataapi.cli.shorthand import parse_structure_list

SERVICE = "redshift-data"
#: Model member -> Settings field, for the members the settings can fill.
SETTING_MEMBERS = {
    "ClusterIdentifier": "cluster_identifier",
    "WorkgroupName": "workgroup_name",
    "SecretArn": "secret_arn",
    "DbUser": "db_user",
    "Database": "database",
}
#: Members the AWS CLI hides on paginated operations (replaced by its paging flags).
_PAGING_MEMBERS = {"NextToken", "MaxResults"}


@functools.cache
def _service_model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model(SERVICE)


@functools.cache
def _paginator_config() -> dict[str, Any]:
    import botocore.session

    model = botocore.session.get_session().get_paginator_model(SERVICE)
    # botocore has no public accessor for the whole paginator table.
    config: dict[str, Any] = getattr(model, "_paginator_config", {})
    return config


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
    paginators = _paginator_config()
    for operation in model.operation_names:
        op_model = model.operation_model(operation)
        paginated = operation in paginators
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
        required = set(shape.required_members)
        for member, member_shape in shape.members.items():
            if paginated and member in _PAGING_MEMBERS:
                continue
            # The settings members may come from the environment: checked later.
            is_required = member in required and member not in SETTING_MEMBERS
            _add_member_argument(parser, member, member_shape, is_required)
        if paginated:
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
            if paginators[operation].get("limit_key"):
                parser.add_argument(
                    "--page-size", type=int, metavar="N", help="items per service call"
                )


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


def build_request(args: argparse.Namespace, operation: str) -> dict[str, Any]:
    """The boto3 call's keyword arguments for a parsed verb (settings applied, checked)."""
    op_model = _service_model().operation_model(operation)
    shape = op_model.input_shape
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

    opens_connection = "SecretArn" in shape.members
    uses_session = bool(request.get("SessionId"))
    endpoint = cli_settings.resolve(args, use_env=True)
    settings = cli_settings.Settings(
        **{field: request.get(member) for member, field in SETTING_MEMBERS.items()},
        region_name=endpoint.region_name,
        endpoint_url=endpoint.endpoint_url,
    )
    if opens_connection and not uses_session:
        from_env = cli_settings.resolve(argparse.Namespace(), use_env=True)
        for field in SETTING_MEMBERS.values():
            if getattr(settings, field) is None:
                setattr(settings, field, getattr(from_env, field))
        cli_settings.apply_local_defaults(settings)
        cli_settings.check_combination(settings)
        cli_settings.check_target(settings)
        for member, field in SETTING_MEMBERS.items():
            value = getattr(settings, field)
            if value is not None and member in shape.members:
                request[member] = value
    else:
        cli_settings.check_combination(settings)
    return request


def run_verb(args: argparse.Namespace, client: Any | None = None) -> int:
    """Run one parsed verb and print its response; return the exit status."""
    operation: str = args.operation
    request = build_request(args, operation)
    if client is None:
        settings = cli_settings.resolve(args, use_env=True)
        cli_settings.check_combination(settings)
        client = cli_settings.make_client(settings)
    method = xform_name(operation)
    paginators = _paginator_config()
    if operation in paginators and not args.no_paginate:
        paging: dict[str, Any] = {}
        if args.max_items is not None:
            paging["MaxItems"] = args.max_items
        if args.starting_token is not None:
            paging["StartingToken"] = args.starting_token
        if getattr(args, "page_size", None) is not None:
            paging["PageSize"] = args.page_size
        pages = client.get_paginator(method).paginate(**request, PaginationConfig=paging)
        response = pages.build_full_result()
    else:
        if operation in paginators and args.starting_token is not None:
            request["NextToken"] = args.starting_token
        if operation in paginators and getattr(args, "page_size", None) is not None:
            request["MaxResults"] = args.page_size
        response = getattr(client, method)(**request)
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
