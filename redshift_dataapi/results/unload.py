"""Large results through UNLOAD: Parquet files on S3 read back as one Arrow table.

The Data API caps what GetStatementResult returns (100 MB per result); for
more, Redshift writes the result to S3 itself.  :func:`unload_to_arrow`
runs ``UNLOAD ('<sql>') TO 's3://<prefix>/<unique>/' IAM_ROLE ... FORMAT AS
PARQUET`` through the connection, then :func:`read_parquet_prefix` reads
every file under that unique prefix (in key order) and the files are
deleted unless ``keep_files``.  Parquet carries the types (decimal with
precision and scale, timestamptz as UTC timestamps), so nothing is converted
in Python.

S3 access follows :mod:`redshift_dataapi.staging`: on the local endpoint
the embedded S3, elsewhere ``s3_client`` or boto3's defaults.  Needs pyarrow
(the ``arrow`` extra).
"""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..staging import _quote_literal, _s3_client, _split
from .arrow import import_pyarrow

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["read_parquet_prefix", "unload_to_arrow"]

logger = logging.getLogger(__name__)


def _keys(client: Any, bucket: str, prefix: str) -> list[str]:
    keys: list[str] = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys.extend(item["Key"] for item in page.get("Contents", ()))
    return sorted(keys)


def read_parquet_prefix(s3_client: Any, s3_prefix: str) -> pa.Table:
    """Every Parquet file under ``s3_prefix`` (``s3://bucket/prefix/``), in key order, as one table.

    A prefix with no file gives an empty table without columns.
    """
    lib = import_pyarrow("read_parquet_prefix")
    import pyarrow.parquet as pq

    bucket, prefix = _split(s3_prefix)
    tables = []
    for key in _keys(s3_client, bucket, prefix):
        body = s3_client.get_object(Bucket=bucket, Key=key)["Body"].read()
        tables.append(pq.read_table(io.BytesIO(body)))
    if not tables:
        empty: pa.Table = lib.table({})
        return empty
    out: pa.Table = lib.concat_tables(tables)
    return out


def unload_to_arrow(
    cursor: Any,
    sql: str,
    s3_prefix: str,
    *,
    iam_role: str = "default",
    region: str | None = None,
    s3_client: Any = None,
    keep_files: bool = False,
    unload_options: Sequence[str] = (),
) -> pa.Table:
    """UNLOAD ``sql`` as Parquet under a new unique folder of ``s3_prefix`` and read it back.

    ``iam_role``: the role ARN Redshift writes S3 with (``default``: the
    cluster's default role); ``region``: the bucket's, when not the
    cluster's; ``unload_options``: more UNLOAD options as SQL words
    (``"MAXFILESIZE 256 MB"``...).  The cursor's ``rowcount`` is then the
    rows unloaded.
    """
    import_pyarrow("unload_to_arrow")
    bucket, key = _split(s3_prefix)
    folder = f"{key}{uuid.uuid4().hex}/"
    role = "IAM_ROLE default" if iam_role == "default" else f"IAM_ROLE {_quote_literal(iam_role)}"
    statement = (
        f"UNLOAD ({_quote_literal(sql)}) TO {_quote_literal(f's3://{bucket}/{folder}')} "
        f"{role} FORMAT AS PARQUET"
    )
    if region:
        statement += f" REGION {_quote_literal(region)}"
    for option in unload_options:
        statement += f" {option}"
    client = s3_client if s3_client is not None else _s3_client(cursor.connection, region)
    cursor.execute(statement)
    try:
        table = read_parquet_prefix(client, f"s3://{bucket}/{folder}")
    finally:
        if not keep_files:
            for name in _keys(client, bucket, folder):
                client.delete_object(Bucket=bucket, Key=name)
    logger.debug("unloaded %d rows through s3://%s/%s", table.num_rows, bucket, folder)
    return table
