"""The one line the command prints for each kind of failure."""

from __future__ import annotations

from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

from redshift_dataapi.cli.errors import describe_exception


def test_a_missing_extra_names_the_package_and_the_install_command() -> None:
    line = describe_exception(ModuleNotFoundError("No module named 'duckdb'", name="duckdb"))
    assert "'duckdb'" in line and "pip install 'redshift-dataapi[all]'" in line


def test_service_error_names_code_operation_and_message() -> None:
    exc = ClientError(
        {"Error": {"Code": "ValidationException", "Message": "Id is not valid"}},
        "DescribeStatement",
    )
    assert describe_exception(exc) == (
        "ValidationException (calling DescribeStatement): Id is not valid"
    )


def test_wrapped_transport_errors_are_explained_by_their_cause() -> None:
    class DriverError(Exception):
        pass

    try:
        try:
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1/")
        except EndpointConnectionError as cause:
            raise DriverError("ExecuteStatement failed") from cause
    except DriverError as exc:
        line = describe_exception(exc)
    assert line.startswith("could not connect to the endpoint URL http://127.0.0.1:1/")
    assert "no AWS credentials" in describe_exception(NoCredentialsError())


def test_lines_are_single_lines() -> None:
    assert "\n" not in describe_exception(RuntimeError("first\nsecond"))
    assert describe_exception(RuntimeError()) == "RuntimeError"
