"""The embedded moto server: S3, EventBridge, Secrets Manager and SQS in this process.

moto (a dependency of the ``local`` extra) serves the real AWS wire protocols.
One :class:`moto.server.ThreadedMotoServer` per process answers every service
on one port of 127.0.0.1, started on first use (importing moto costs about a
second, so nothing starts it before a COPY, an UNLOAD, a WithEvent statement
or a SecretArn needs it, unless ``local serve`` asks for its URL to print).

Its state (buckets, secrets, event buses) lives as long as the process: every
local service of the process sees the same buckets, as every cluster of an
account sees the same S3.
"""

from __future__ import annotations

import logging
import threading

__all__ = ["EMBEDDED_CREDENTIALS", "embedded_endpoint_url", "stop_embedded"]

logger = logging.getLogger(__name__)

#: Credentials the local endpoint signs its requests to the embedded server with
#: (moto accepts any).
EMBEDDED_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}

_lock = threading.Lock()
_server: object | None = None
_url: str | None = None


def embedded_endpoint_url() -> str:
    """The URL of the process's embedded moto server, started on first call."""
    global _server, _url
    with _lock:
        if _url is not None:
            return _url
        try:
            from moto.server import ThreadedMotoServer
        except ImportError as exc:  # pragma: no cover - moto ships with the local extra
            raise RuntimeError(
                "the embedded S3/EventBridge/Secrets Manager needs moto: "
                "pip install 'redshift-dataapi[local]'"
            ) from exc
        # werkzeug logs every request at INFO on stderr; the endpoint's own log is enough.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        _server, _url = server, f"http://{host}:{port}"
        logger.info("embedded moto (S3, EventBridge, Secrets Manager, SQS) on %s", _url)
        return _url


def stop_embedded() -> None:
    """Stop the embedded server (its state is lost); the next use starts a new one."""
    global _server, _url
    with _lock:
        server, _server, _url = _server, None, None
    if server is not None:
        server.stop()  # type: ignore[attr-defined]  # a ThreadedMotoServer
