"""The dialect's CopyCommand and UnloadFromSelect, compiled and run through the local endpoint."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from sqlalchemy_dialect import Compression, CopyCommand, Format, UnloadFromSelect

from .helpers import keys, put, read

ROLE = "arn:aws:iam::123456789012:role/RedshiftCopyUnload"
metadata = sa.MetaData()
trips = sa.Table(
    "trips",
    metadata,
    sa.Column("id", sa.Integer),
    sa.Column("vendor", sa.String(10)),
    sa.Column("fare", sa.Numeric(8, 2)),
)


@pytest.fixture
def engine(dataapi_client: Any) -> Iterator[sa.Engine]:
    eng = sa.create_engine("redshift+dataapi://local/dev", connect_args={"client": dataapi_client})
    metadata.create_all(eng)
    try:
        yield eng
    finally:
        eng.dispose()


def _compiled(construct: Any, engine: sa.Engine) -> str:
    return str(construct.compile(dialect=engine.dialect))


def test_copy_command_loads_csv(engine: sa.Engine, s3: Any, bucket: str) -> None:
    put(s3, bucket, "in/a.csv", 'id,vendor,fare\n1,acme,4.5\n2,"b, c",\n')
    command = CopyCommand(
        trips,
        f"s3://{bucket}/in/",
        iam_role_arns=ROLE,
        format=Format.csv,
        ignore_header=1,
        empty_as_null=True,
        region="us-east-1",
    )
    text = _compiled(command, engine)
    assert text.startswith(f"COPY trips\nFROM 's3://{bucket}/in/'\nIAM_ROLE '{ROLE}'")
    assert (
        "FORMAT AS CSV" in text and "IGNOREHEADER AS 1" in text and "REGION AS 'us-east-1'" in text
    )
    with engine.begin() as conn:
        result = conn.execute(command)
        assert result.rowcount == 2
        assert conn.execute(sa.select(trips).order_by(trips.c.id)).all() == [
            (1, "acme", pytest.approx(4.5)),
            (2, "b, c", None),
        ]


def test_copy_command_into_columns_with_options(engine: sa.Engine, s3: Any, bucket: str) -> None:
    put(s3, bucket, "p.txt", "acme;7\n")
    command = CopyCommand(
        [trips.c.vendor, trips.c.id],
        f"s3://{bucket}/p.txt",
        aws_account_id="123456789012",
        iam_role_name="RedshiftCopyUnload",
        delimiter=";",
        max_error=0,
        truncate_columns=True,
    )
    assert "COPY trips (vendor, id)" in _compiled(command, engine)
    with engine.begin() as conn:
        assert conn.execute(command).rowcount == 1
        assert conn.execute(sa.select(trips.c.id, trips.c.vendor)).all() == [(7, "acme")]


def test_unload_from_select_writes_parquet(engine: sa.Engine, s3: Any, bucket: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            trips.insert(),
            [{"id": 1, "vendor": "o'neil", "fare": 2}, {"id": 2, "vendor": "x", "fare": 1}],
        )
        select = sa.select(trips).where(trips.c.vendor == "o'neil")
        unload = UnloadFromSelect(
            select, f"s3://{bucket}/out/t_", iam_role_arns=[ROLE], format=Format.parquet,
            manifest=True, parallel=False,
        )  # fmt: skip
        text = _compiled(unload, engine)
        assert "UNLOAD ('SELECT" in text and "''o''''neil''" in text
        assert conn.execute(unload).rowcount == 1
    assert keys(s3, bucket, "out/") == ["out/t_000.parquet", "out/t_manifest"]
    table = pq.read_table(io.BytesIO(read(s3, bucket, "out/t_000.parquet")))
    assert table.column("vendor").to_pylist() == ["o'neil"]


def test_unload_from_select_text_options(engine: sa.Engine, s3: Any, bucket: str) -> None:
    with engine.begin() as conn:
        conn.execute(trips.insert(), [{"id": 1, "vendor": "a|b", "fare": None}])
        unload = UnloadFromSelect(
            sa.select(trips.c.id, trips.c.vendor, trips.c.fare),
            f"s3://{bucket}/txt/",
            access_key_id="AKIAEXAMPLEEXAMPLE12",
            secret_access_key="secret",
            delimiter="|",
            add_quotes=True,
            escape=True,
            null="NULL",
            header=True,
            parallel=False,
            compression=Compression.bzip2,
            extension="txt",
        )
        conn.execute(unload)
    import bz2

    text = bz2.decompress(read(s3, bucket, "txt/000.txt.bz2")).decode()
    assert text == '"id"|"vendor"|"fare"\n"1"|"a\\|b"|NULL\n'


def test_constructs_check_their_arguments() -> None:
    with pytest.raises(TypeError, match="credentials"):
        CopyCommand(trips, "s3://b/k")
    with pytest.raises(TypeError, match="not both"):
        CopyCommand(trips, "s3://b/k", iam_role_arns=ROLE, access_key_id="a", secret_access_key="b")
    with pytest.raises(ValueError, match="single character"):
        CopyCommand(trips, "s3://b/k", iam_role_arns=ROLE, delimiter="||")
    with pytest.raises(ValueError, match="fixed_width"):
        CopyCommand(trips, "s3://b/k", iam_role_arns=ROLE, format=Format.fixed_width)
    with pytest.raises(ValueError, match="header"):
        UnloadFromSelect(sa.select(trips), "s3://b/k", iam_role_arns=ROLE, header=True,
                         fixed_width=[("id", 4)])  # fmt: skip
    with pytest.raises(ValueError, match="CSV, JSON or PARQUET"):
        UnloadFromSelect(sa.select(trips), "s3://b/k", iam_role_arns=ROLE, format=Format.orc)
