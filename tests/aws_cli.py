"""The AWS CLI as the tests run it: found beside the interpreter, isolated from the user's setup.

Several suites drive ``aws`` against a local endpoint (the walkthrough, the
S3 pipeline, the HTTP transport, SigV4).  They share how the CLI is found
(skipped, saying why, when the ``awscli`` package is missing), an environment
that never reads the user's ``~/.aws`` files or pager, and how a
``redshift-data`` verb's JSON answer is read back.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def aws_cli() -> str:
    """The ``aws`` executable of this interpreter's environment (or PATH); skips without one."""
    candidate = Path(sys.executable).with_name("aws")
    found = str(candidate) if candidate.exists() else shutil.which("aws")
    if found is None:
        pytest.skip("the AWS CLI (package awscli, in the test extra) is not installed")
    return found


def aws_env(
    tmp_path: Path, region: str, key_id: str = "testing", secret: str = "testing"
) -> dict[str, str]:
    """An environment for ``aws``: these keys and region, no config, credentials file or pager."""
    return {
        **os.environ,
        "AWS_ACCESS_KEY_ID": key_id,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_DEFAULT_REGION": region,
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        "AWS_PAGER": "",
    }


def run_aws(env: dict[str, str], *args: str, text: bool = True) -> subprocess.CompletedProcess[Any]:
    """``aws <args>`` with ``env`` (output as str, or bytes with ``text=False``); not checked."""
    return subprocess.run(
        [aws_cli(), *args], env=env, capture_output=True, text=text, timeout=120, check=False
    )


def redshift_data(endpoint_url: str, env: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """A caller of ``aws redshift-data <verb> ...`` on ``endpoint_url``: its JSON answer.

    A non-zero exit fails the test with the CLI's stderr.
    """

    def call(verb: str, *args: str) -> dict[str, Any]:
        done = run_aws(
            env, "redshift-data", verb, *args, "--endpoint-url", endpoint_url, "--output", "json"
        )
        assert done.returncode == 0, f"aws redshift-data {verb}: {done.stderr}"
        return json.loads(done.stdout) if done.stdout.strip() else {}

    return call
