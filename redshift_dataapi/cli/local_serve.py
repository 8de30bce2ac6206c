"""``redshift-dataapi local serve``: the local Data API endpoint over HTTP."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from redshift_dataapi.cli.errors import CliError, UsageError

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "add_local_parser", "run_serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 9439


def add_local_parser(subparsers: Any, common: list[argparse.ArgumentParser]) -> None:
    """Add ``local`` and its ``serve`` subcommand."""
    local = subparsers.add_parser(
        "local",
        parents=common,
        help="the local Data API endpoint (no AWS account)",
        description="The local Data API endpoint: the Data API's wire contract served on "
        "DuckDB or PostgreSQL.",
    )
    actions = local.add_subparsers(dest="local_command", metavar="COMMAND")
    actions.required = True
    serve = actions.add_parser(
        "serve",
        parents=common,
        help="serve the endpoint over HTTP until Ctrl-C or SIGTERM",
        description="Serve the local Data API endpoint over HTTP until Ctrl-C or SIGTERM. "
        "Point the AWS CLI, boto3 or this command at it with --endpoint-url.",
    )
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to bind (default {DEFAULT_HOST}: this machine only); another "
        "address needs --allow-remote",
    )
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="serve on a --host other than loopback: anyone who can reach it can run SQL "
        "as any DbUser",
    )
    serve.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to bind (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    serve.add_argument(
        "--engine",
        default="duckdb",
        help="duckdb (in memory, default), duckdb:PATH, or postgresql://...",
    )
    serve.add_argument(
        "--retention-seconds",
        type=float,
        metavar="SECONDS",
        help="how long results are kept (the service keeps them 24 hours)",
    )
    for service, label in (
        ("s3", "S3 (COPY, UNLOAD)"),
        ("events", "EventBridge (WithEvent)"),
        ("secretsmanager", "Secrets Manager (SecretArn)"),
    ):
        serve.add_argument(
            f"--{service}-endpoint-url",
            dest=f"{service}_endpoint_url",
            metavar="URL",
            help=f"{label} endpoint: a URL (moto server, MinIO, AWS), or 'none' to turn it "
            f"off (default: REDSHIFT_DATAAPI_LOCAL_{service.upper()}_ENDPOINT_URL, else an "
            "embedded moto server in this process)",
        )
    serve.add_argument(
        "--region",
        metavar="REGION",
        help="the local cluster's region: where COPY/UNLOAD expect a bucket without REGION, "
        "and the region of its events (default: REDSHIFT_DATAAPI_LOCAL_REGION, else us-east-1)",
    )
    auth = serve.add_argument_group(
        "signature checking (off by default: any credentials work)",
        "With access keys, every request must be SigV4-signed with one of them; others get "
        "403 UnrecognizedClientException or InvalidSignatureException.",
    )
    auth.add_argument("--access-key-id", metavar="AKID", help="an access key id to accept")
    auth.add_argument("--secret-access-key", metavar="SECRET", help="the secret of --access-key-id")
    auth.add_argument(
        "--access-keys-file",
        metavar="PATH",
        help='access keys to accept: JSON {"AKID": "secret", ...} or an AWS credentials '
        "(INI) file with aws_access_key_id / aws_secret_access_key sections",
    )
    faults = serve.add_argument_group(
        "fault injection (off by default; for testing clients against a hostile network)"
    )
    faults.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="KIND=RATE[:OPERATION]",
        help="inject a fault into a share RATE (0-1) of the requests (of OPERATION only, "
        "when given); repeatable. KIND: throttle, internal, 502, 503, 504, drop-request, "
        "drop-response, cut-response, empty, slow",
    )
    faults.add_argument(
        "--fault-seed",
        type=int,
        default=0,
        metavar="N",
        help="seed of the fault draws (default 0: the same faults on every run)",
    )
    faults.add_argument(
        "--fault-slow-seconds",
        type=float,
        metavar="SECONDS",
        help="how late 'slow' answers come (default 2)",
    )
    serve.add_argument(
        "--admin-user",
        metavar="USER",
        help="the user with the admin's rights, as whom requests without DbUser or SecretArn "
        "run (default: REDSHIFT_DATAAPI_LOCAL_ADMIN_USER, else awsuser)",
    )
    serve.set_defaults(handler=run_serve)


def _check_engine(spec: str) -> None:
    from redshift_dataapi.local.engines.factory import is_engine_spec

    if is_engine_spec(spec):
        return
    raise UsageError(
        f"--engine {spec!r} is not an engine: give duckdb, duckdb:PATH or postgresql://..."
    )


def _masked(spec: str) -> str:
    """The engine spec with any password in a DSN replaced, for printing."""
    return re.sub(r"^([a-z+]+://[^:/@]*):[^@]*@", r"\1:***@", spec)


def _aws_settings(args: argparse.Namespace) -> Any:
    from redshift_dataapi.local.aws import AwsSettings

    try:
        return AwsSettings.from_env(
            s3=getattr(args, "s3_endpoint_url", None),
            events=getattr(args, "events_endpoint_url", None),
            secretsmanager=getattr(args, "secretsmanager_endpoint_url", None),
            region=getattr(args, "region", None),
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _aws_banner(aws: Any) -> list[str]:
    """Lines naming where S3, EventBridge and Secrets Manager are (starting moto if embedded)."""
    lines = []
    embedded = [s for s in ("s3", "events", "secretsmanager") if aws.is_embedded(s)]
    if embedded:
        url = aws.endpoint_url(embedded[0])
        lines.append(
            f"Embedded moto ({', '.join(embedded)}; region {aws.region}): {url}\n"
            f"  aws s3 ls --endpoint-url {url}"
        )
    for service in ("s3", "events", "secretsmanager"):
        if not aws.is_embedded(service):
            where = "off" if not aws.enabled(service) else aws.endpoint_url(service)
            lines.append(f"{service}: {where}")
    return lines


def _fault_plan(args: argparse.Namespace) -> Any:
    """The FaultPlan of the --fault flags, or None when there are none."""
    specs: list[str] = getattr(args, "fault", None) or []
    if not specs:
        return None
    from redshift_dataapi.local.transport.faults import DEFAULT_SLOW_SECONDS, FaultPlan

    slow = getattr(args, "fault_slow_seconds", None)
    try:
        return FaultPlan(
            specs,
            seed=getattr(args, "fault_seed", 0),
            slow_seconds=DEFAULT_SLOW_SECONDS if slow is None else slow,
        )
    except ValueError as exc:
        raise UsageError(f"--fault: {exc}") from exc


def _access_keys(args: argparse.Namespace) -> dict[str, str] | None:
    """The access keys of the --access-key-id/--secret-access-key/--access-keys-file flags."""
    akid = getattr(args, "access_key_id", None)
    secret = getattr(args, "secret_access_key", None)
    path = getattr(args, "access_keys_file", None)
    if bool(akid) != bool(secret):
        raise UsageError("--access-key-id and --secret-access-key go together")
    keys: dict[str, str] = {}
    if path:
        from redshift_dataapi.local.transport.sigv4 import load_access_keys

        try:
            keys.update(load_access_keys(path))
        except (OSError, ValueError) as exc:
            raise UsageError(f"--access-keys-file: {exc}") from exc
    if akid and secret:
        keys[akid] = secret
    return keys or None


def run_serve(args: argparse.Namespace) -> int:
    """Serve until interrupted; return 0 after a clean shutdown."""
    _check_engine(args.engine)
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port number (0-65535)")
    from redshift_dataapi.local import LocalDataAPI, LocalServer
    from redshift_dataapi.local.transport.http import is_loopback

    access_keys = _access_keys(args)
    allow_remote = bool(getattr(args, "allow_remote", False))
    if not is_loopback(args.host):
        who = "anyone with a configured access key" if access_keys else "anyone"
        checked = "" if access_keys else ", with no credentials checked"
        print(
            f"WARNING: --host {args.host} is not loopback: {who} who can reach "
            f"{args.host}:{args.port} can run SQL as any DbUser{checked}.",
            file=sys.stderr,
            flush=True,
        )
        if not access_keys and not allow_remote:
            raise UsageError(
                f"refusing to serve on {args.host}: bind 127.0.0.1, configure access keys "
                "(--access-key-id/--secret-access-key or --access-keys-file), or give "
                "--allow-remote to serve it to the network anyway"
            )
    aws = _aws_settings(args)
    faults = _fault_plan(args)
    options: dict[str, Any] = {"aws": aws, "faults": faults, "access_keys": access_keys}
    if args.retention_seconds is not None:
        if args.retention_seconds <= 0:
            raise UsageError("--retention-seconds must be positive")
        options["retention_seconds"] = args.retention_seconds
    if getattr(args, "admin_user", None) is not None:
        if not args.admin_user.strip():
            raise UsageError("--admin-user needs a user name")
        options["admin_user"] = args.admin_user
    service = LocalDataAPI(args.engine, **options)
    try:
        server = LocalServer(service, host=args.host, port=args.port, allow_remote=allow_remote)
        try:
            server.start()
        except OSError as exc:
            raise CliError(
                f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}"
            ) from exc
        url = server.endpoint_url

        def announce() -> None:
            print(f"Local Redshift Data API endpoint on {_masked(args.engine)}: {url}", flush=True)
            for line in _aws_banner(aws):
                print(line, flush=True)
            if faults is not None:
                print(f"Injecting faults: {faults!r}", flush=True)
            if access_keys:
                ids = ", ".join(sorted(access_keys))
                print(f"Checking SigV4 signatures: access key ids {ids}", flush=True)
            print(
                f'Try: redshift-dataapi query --endpoint-url {url} "SELECT 1 AS one"\n'
                f" or: aws redshift-data list-databases --endpoint-url {url} "
                "--cluster-identifier local --database dev --region us-east-1\n"
                "Ctrl-C stops it.",
                flush=True,
            )

        try:
            # Returns on SIGINT/SIGTERM, and stops the server; the banner comes
            # once the signal handlers are in place.
            server.serve_forever(on_ready=announce)
        except KeyboardInterrupt:
            server.stop()
        print("stopped", file=sys.stderr, flush=True)
    finally:
        service.close()
    return 0
