"""Bulk loads through S3: COPY a pandas DataFrame or an Arrow table into a table.

Inserting many rows through the Data API costs SQL text (100 KB per
statement); Redshift's own answer is COPY from S3.  :func:`copy_from_arrow`
writes the data as one Parquet file under a staging prefix, runs
``COPY table (columns) FROM 's3://prefix/<unique>/' ... FORMAT AS PARQUET``
through the connection, deletes the staged file (unless ``keep_staged``) and
returns the rows loaded.  Columns load by name: the table's columns named
like the data's columns, in the data's order.

On the local endpoint (``endpoint_url="local:..."``) the staging bucket is
in the endpoint's embedded S3; elsewhere pass ``s3_client`` or let boto3 find
credentials and region as usual.  Needs pyarrow (and pandas for DataFrames):
``pip install 'redshift-dataapi[local]'`` or ``pyarrow`` alone.
"""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from .errors import ProgrammingError

__all__ = ["copy_from_arrow", "copy_from_dataframe"]

logger = logging.getLogger(__name__)


def _quote_literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _split(prefix: str) -> tuple[str, str]:
    if not prefix.startswith("s3://") or len(prefix) <= len("s3://"):
        raise ProgrammingError(f"staging prefix {prefix!r} must be an s3://bucket/prefix URL")
    bucket, _, key = prefix[len("s3://") :].partition("/")
    if key and not key.endswith("/"):
        key += "/"
    return bucket, key


def _s3_client(connection: Any, region: str | None) -> Any:
    settings = getattr(connection, "settings", None)
    if settings is not None and settings.in_process:
        from ._core.settings import LOCAL_SCHEME
        from .local import shared_service

        spec = str(settings.endpoint_url)[len(LOCAL_SCHEME) :] or "duckdb"
        return shared_service(spec).aws.client("s3", region)
    import boto3

    return boto3.client("s3", region_name=region or getattr(settings, "region_name", None))


def copy_from_arrow(
    connection: Any,
    table: str,
    data: Any,
    s3_prefix: str,
    *,
    iam_role: str = "default",
    region: str | None = None,
    s3_client: Any = None,
    keep_staged: bool = False,
    copy_options: Sequence[str] = (),
) -> int:
    """COPY the rows of the Arrow table ``data`` into ``table`` through ``s3_prefix``.

    ``table`` is SQL text (``schema.name``, quoted where needed).
    ``iam_role`` is the role ARN Redshift reads S3 with (``default``: the
    cluster's default role).  ``region``: the bucket's region when it is not
    the cluster's.  ``copy_options``: more COPY options, as SQL words
    (``"TRUNCATECOLUMNS"``...).  Returns the number of rows loaded.
    """
    import pyarrow.parquet as pq

    if data.num_columns == 0:
        raise ProgrammingError("nothing to COPY: the data has no columns")
    bucket, key = _split(s3_prefix)
    staged_prefix = f"{key}{uuid.uuid4().hex}/"
    staged_key = f"{staged_prefix}part-0000.parquet"
    buffer = io.BytesIO()
    pq.write_table(data, buffer, compression="snappy")
    client = s3_client if s3_client is not None else _s3_client(connection, region)
    client.put_object(Bucket=bucket, Key=staged_key, Body=buffer.getvalue())
    columns = ", ".join(_quote_identifier(name) for name in data.column_names)
    role = "IAM_ROLE default" if iam_role == "default" else f"IAM_ROLE {_quote_literal(iam_role)}"
    sql = (
        f"COPY {table} ({columns}) FROM {_quote_literal(f's3://{bucket}/{staged_prefix}')} "
        f"{role} FORMAT AS PARQUET"
    )
    if region:
        sql += f" REGION {_quote_literal(region)}"
    for option in copy_options:
        sql += f" {option}"
    try:
        cursor = connection.cursor()
        cursor.execute(sql)
        loaded = int(cursor.rowcount)
    finally:
        if not keep_staged:
            client.delete_object(Bucket=bucket, Key=staged_key)
    logger.debug("copied %d rows into %s through s3://%s/%s", loaded, table, bucket, staged_key)
    return loaded


def copy_from_dataframe(
    connection: Any, table: str, frame: Any, s3_prefix: str, **options: Any
) -> int:
    """COPY a pandas DataFrame into ``table`` (see :func:`copy_from_arrow`; index not loaded)."""
    import pyarrow as pa

    return copy_from_arrow(
        connection, table, pa.Table.from_pandas(frame, preserve_index=False), s3_prefix, **options
    )
