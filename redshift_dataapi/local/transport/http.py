"""The local Data API over HTTP: AWS JSON 1.1 on ``http.server.ThreadingHTTPServer``.

``POST /`` with ``X-Amz-Target: RedshiftData.<Operation>`` and
``Content-Type: application/x-amz-json-1.1``.  SigV4 signatures are not
checked (any dummy credentials and region work) unless access keys are
configured (:mod:`.sigv4`).  Bad requests get the
service's error shape: unknown target -> UnknownOperationException (400),
malformed JSON -> SerializationException (400), another content type -> 415,
a body over ``max_body_bytes`` -> 413; a client that disconnects mid-request
is logged at DEBUG and forgotten; any other failure of the server gets a 500
InternalServerException, never a dropped connection.  A connection idle or
stalled mid-request for ``idle_timeout`` seconds is closed; the listen backlog
takes bursts of a thousand connections.  Binds 127.0.0.1 unless told
otherwise: another address is refused unless signatures are checked or
``allow_remote=True``.

Injected faults (:mod:`.faults`): a dropped answer closes the connection
without a byte; a cut one sends the full Content-Length, half the body, and
closes the connection.
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import socket
import threading
import uuid
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from typing import Any

from ..errors import ServiceError
from ..service.api import LocalDataAPI
from .faults import FaultPlan
from .protocol import CONTENT_TYPE, Delivery, Reply, answer, serialize
from .sigv4 import SignatureChecker

__all__ = [
    "DEFAULT_IDLE_TIMEOUT",
    "DEFAULT_MAX_BODY_BYTES",
    "LISTEN_BACKLOG",
    "LocalServer",
    "RemoteBindRefused",
    "is_loopback",
]

logger = logging.getLogger(__name__)

#: Largest request body accepted (a full 40-statement batch is about 4 MB).
DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024
#: A too-large body up to this size is read and discarded so that the client
#: sees the 413 answer instead of a reset connection.
_DRAIN_LIMIT_BYTES = 64 * 1024 * 1024
#: Seconds a connection may stay idle, or stalled mid-request, before it is closed.
DEFAULT_IDLE_TIMEOUT = 30.0
#: Connections the kernel queues before the server accepts them (socketserver's
#: default of 5 resets connections in a burst); the kernel caps it at somaxconn.
LISTEN_BACKLOG = 1024


class RemoteBindRefused(PermissionError):
    """A bind to an address other than loopback without ``allow_remote``."""


def is_loopback(host: str) -> bool:
    """True when ``host`` (an address or a name) reaches this machine only."""
    if host in ("", "0.0.0.0", "::"):
        return False
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(
        ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]).is_loopback for info in infos
    )


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "redshift-dataapi-local"
    # Headers and body go out as separate writes; without TCP_NODELAY a keep-alive
    # client waits out the delayed ACK (~40 ms) on every request.
    disable_nagle_algorithm = True
    # A client that stops sending mid-request, or idles on a keep-alive
    # connection, frees its thread after this long (the server's idle_timeout
    # replaces it in setup()).
    timeout = DEFAULT_IDLE_TIMEOUT

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.idle_timeout)

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionError, TimeoutError, OSError) as exc:
            logger.debug("client %s went away: %s", self.client_address, exc)

    def _send(
        self,
        status: int,
        payload: bytes,
        *,
        close: bool = False,
        content_type: str = CONTENT_TYPE,
        cut_at: int | None = None,
    ) -> None:
        """Answer; ``cut_at`` sends only that many body bytes, then closes."""
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if cut_at is not None:
                payload = payload[:cut_at]
                self.close_connection = True
            self.wfile.write(payload)
            self.wfile.flush()
        except (ConnectionError, TimeoutError, OSError) as exc:
            logger.debug("could not answer %s: %s", self.client_address, exc)
            self.close_connection = True

    def _send_error(self, error: ServiceError, *, close: bool = False) -> None:
        self._send(error.http_status, serialize(error.to_body()), close=close)

    def do_POST(self) -> None:
        try:
            self._post()
        except OSError:  # the client went away or stalled: handle() closes the connection
            raise
        except Exception as exc:  # never a dropped socket: the client gets an answer
            logger.exception("unexpected failure serving %s", self.client_address)
            self._send_error(ServiceError("InternalServerException", f"internal error: {exc}"))

    def _post(self) -> None:
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            self._send_error(
                ServiceError("SerializationException", "Content-Length is required", 411),
                close=True,
            )
            return
        try:
            length = int(length_header)
            if length < 0:
                raise ValueError(length_header)
        except ValueError:
            self._send_error(
                ServiceError("SerializationException", f"Invalid Content-Length {length_header!r}"),
                close=True,
            )
            return
        limit = self.server.max_body_bytes
        if length > limit:
            if length <= _DRAIN_LIMIT_BYTES:
                remaining = length
                while remaining > 0:
                    chunk = self.rfile.read(min(remaining, 1 << 20))
                    if not chunk:
                        break
                    remaining -= len(chunk)
            self._send_error(
                ServiceError(
                    "RequestEntityTooLargeException",
                    f"The request body is {length} bytes; the limit is {limit} bytes.",
                ),
                close=True,
            )
            return
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            logger.debug("client %s disconnected mid-request", self.client_address)
            self.close_connection = True
            return
        checker = self.server.checker
        if checker is not None:
            try:
                checker.check(self.command, self.path, self.headers.items(), body)
            except ServiceError as exc:
                self._send_error(exc)
                return
        reply = answer(
            self.server.service,
            self.headers.get("X-Amz-Target"),
            body,
            self.headers.get("Content-Type"),
            self.server.faults,
        )
        self._deliver(reply)

    def _deliver(self, reply: Reply) -> None:
        if reply.delivery is Delivery.NONE:
            # Close without a byte, as a proxy that lost the request or the answer does.
            self.close_connection = True
            return
        cut_at = reply.cut_at if reply.delivery is Delivery.CUT else None
        self._send(reply.status, reply.payload, content_type=reply.content_type, cut_at=cut_at)

    def _not_post(self) -> None:
        self._send_error(
            ServiceError(
                "UnknownOperationException",
                f"{self.command} is not supported: the Data API takes POST / with X-Amz-Target.",
                405,
            ),
            close=True,
        )

    do_GET = do_PUT = do_DELETE = do_PATCH = do_HEAD = _not_post


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(
        self,
        address: tuple[str, int],
        service: LocalDataAPI,
        max_body_bytes: int,
        faults: FaultPlan | None,
        idle_timeout: float,
        checker: SignatureChecker | None,
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.service = service
        self.max_body_bytes = max_body_bytes
        self.faults = faults
        self.idle_timeout = idle_timeout
        self.checker = checker
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("error while serving %s", client_address, exc_info=True)


class LocalServer:
    """The local Data API served over HTTP.

    >>> with LocalServer(LocalDataAPI(), port=0) as server:   # doctest: +SKIP
    ...     boto3.client("redshift-data", endpoint_url=server.endpoint_url)

    ``port=0`` picks a free port.  :meth:`stop` does not close ``svc``: the
    caller owns it (``close_service=True`` hands it over).  ``faults``: the
    faults to inject (None: the service's :attr:`~LocalDataAPI.faults`).
    ``idle_timeout``: seconds before an idle or stalled connection is closed.
    ``access_keys``: access key id -> secret; requests must be SigV4-signed
    with one of them (None: the service's :attr:`~LocalDataAPI.access_keys`;
    both None: any credentials work).
    A ``host`` other than loopback serves SQL to anyone who can reach it:
    :meth:`start` refuses it with :class:`RemoteBindRefused` unless signatures
    are checked or ``allow_remote`` is True, and logs a warning.
    """

    def __init__(
        self,
        svc: LocalDataAPI | None = None,
        host: str = "127.0.0.1",
        port: int = 9439,
        *,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        close_service: bool = False,
        faults: FaultPlan | None = None,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        allow_remote: bool = False,
        access_keys: Mapping[str, str] | None = None,
    ) -> None:
        if not 0 <= int(port) <= 65535:
            raise ValueError(f"port must be 0-65535, got {port!r}")
        self.service = svc if svc is not None else LocalDataAPI()
        self.host = host
        self.port = int(port)
        self.max_body_bytes = max_body_bytes
        self.faults = faults
        if idle_timeout <= 0:
            raise ValueError(f"idle_timeout must be positive, got {idle_timeout!r}")
        self.idle_timeout = idle_timeout
        self.allow_remote = allow_remote
        keys = access_keys if access_keys is not None else self.service.access_keys
        self.checker = SignatureChecker(keys) if keys is not None else None
        self._close_service = close_service or svc is None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def endpoint_url(self) -> str:
        """``http://HOST:PORT`` of the running server."""
        if self._server is None:
            raise RuntimeError(
                "the server is not started: call start() or use it as a context manager"
            )
        host = self.host if self.host not in ("", "0.0.0.0", "::") else "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def start(self) -> LocalServer:
        """Bind and serve on a background thread; returns self."""
        if self._server is not None:
            return self
        if not is_loopback(self.host):
            if self.checker is None and not self.allow_remote:
                raise RemoteBindRefused(
                    f"refusing to serve on {self.host!r}: anyone who can reach it could run "
                    "SQL as any user; bind 127.0.0.1, configure access_keys, or pass "
                    "allow_remote=True"
                )
            who = "anyone with a configured access key" if self.checker else "anyone"
            logger.warning("serving on %r: %s who can reach it can run SQL", self.host, who)
        self._server = _Server(
            (self.host, self.port),
            self.service,
            self.max_body_bytes,
            self.faults,
            self.idle_timeout,
            self.checker,
        )
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            # stop() waits for the loop's next poll: short, since tests start and stop
            # a server per test, and an idle select() costs nothing.
            kwargs={"poll_interval": 0.05},
            name=f"dataapi-http-{self.port}",
            daemon=True,
        )
        self._thread.start()
        logger.info("local Data API listening on %s", self.endpoint_url)
        return self

    def stop(self) -> None:
        """Stop serving and release the port (idempotent)."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._close_service:
            self.service.close()

    def serve_forever(self, on_ready: Callable[[], None] | None = None) -> None:
        """Serve until SIGINT/SIGTERM (or :meth:`stop` from another thread), then stop.

        ``on_ready`` runs once serving and the signal handlers are in place
        (a banner printed there is a promise that SIGTERM stops cleanly).
        """
        stop = threading.Event()
        previous: dict[signal.Signals, Any] = {}
        if threading.current_thread() is threading.main_thread():

            def on_signal(signum: int, frame: FrameType | None) -> None:
                stop.set()

            for sig in (signal.SIGINT, signal.SIGTERM):
                previous[sig] = signal.signal(sig, on_signal)
        try:
            self.start()
            if on_ready is not None:
                on_ready()
            while not stop.wait(0.5):
                if self._server is None:
                    break
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.stop()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
