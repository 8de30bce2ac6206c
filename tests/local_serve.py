"""``redshift-dataapi local serve`` run as a real process by the tests that need one."""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
from collections.abc import Iterator

import pytest

from tests.integration.cli.conftest import command, subprocess_env


def start_local_serve(*extra: str) -> tuple[subprocess.Popen[str], str, str]:
    """Start ``local serve --port 0 <extra>``: the process, its URL and what it printed on start."""
    process = subprocess.Popen(
        [*command(), "local", "serve", "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
    )
    assert process.stdout is not None
    banner = ""
    for line in process.stdout:
        banner += line
        if "Ctrl-C" in line:
            break
    match = re.search(r"(http://127\.0\.0\.1:\d+)", banner)
    if match is None:
        process.kill()
        _, err = process.communicate(timeout=10)
        pytest.fail(f"local serve printed {banner!r}; stderr: {err}")
    return process, match.group(1), banner


@contextlib.contextmanager
def local_serve(*extra: str) -> Iterator[tuple[str, str]]:
    """A running ``local serve <extra>``: (its URL, its banner); stopped by SIGTERM after.

    The server must then exit 0 within 30 s: a hang or a failure on the way out fails the test.
    """
    process, url, banner = start_local_serve(*extra)
    try:
        yield url, banner
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    assert process.returncode == 0


def embedded_moto_url(banner: str) -> str:
    """The embedded moto server's URL, as ``local serve`` prints it."""
    match = re.search(r"Embedded moto \([^)]*\): (http://127\.0\.0\.1:\d+)", banner)
    assert match is not None, banner
    return match.group(1)
