"""`local serve` prints its engine, never a password from the DSN."""

from __future__ import annotations

import pytest

from redshift_dataapi.cli.errors import UsageError
from redshift_dataapi.cli.local_serve import _check_engine, _masked


def test_password_in_dsn_is_masked() -> None:
    assert _masked("postgresql://alice:s3cret@127.0.0.1:5432/") == (
        "postgresql://alice:***@127.0.0.1:5432/"
    )
    assert "s3cret" not in _masked("postgresql+psycopg://alice:s3cret@db/")


def test_specs_without_password_are_unchanged() -> None:
    for spec in ("duckdb", "duckdb:/tmp/dev.duckdb", "postgresql://alice@127.0.0.1:5432/"):
        assert _masked(spec) == spec


def test_engine_spec_check_names_the_bad_spec() -> None:
    _check_engine("postgresql+psycopg://u@h/")
    with pytest.raises(UsageError, match="sqlite"):
        _check_engine("sqlite:///x")
