"""The demo's S3 side, on the local endpoint: the Data API walkthrough's COPY, UNLOAD and event.

:class:`DemoPipeline` prepares, on the endpoint's embedded moto server, a
bucket for the trips and an SQS queue that an EventBridge rule feeds with
every ``aws.redshift-data`` event.  The demo then writes the generated trips
as a gzip CSV file (:func:`load`), COPYs them with the walkthrough's options
on a connection with WithEvent, UNLOADs the table as Parquet and reads it
back with pyarrow (:func:`unload_and_read`), and shows the event the COPY
published (:meth:`DemoPipeline.event_of`).
"""

from __future__ import annotations

import io
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from redshift_dataapi.cli import demo_data

__all__ = ["DemoPipeline", "load", "unload_and_read"]

#: The role the walkthrough's COPY and UNLOAD name (the local endpoint records it).
ROLE = "arn:aws:iam::123456789012:role/RedshiftDataAPIDemo"


@dataclass
class DemoPipeline:
    """A bucket and an event queue on the local service's embedded AWS services."""

    s3: Any
    sqs: Any
    queue_url: str
    bucket: str
    region: str

    @staticmethod
    def available(service: Any) -> bool:
        """True when ``service`` uses the embedded S3 and EventBridge the demo sets up."""
        return bool(service.aws.is_embedded("s3") and service.aws.is_embedded("events"))

    @classmethod
    def create(cls, service: Any) -> DemoPipeline:
        """Make a fresh bucket and an event queue (with its EventBridge rule) for ``service``."""
        import boto3

        from redshift_dataapi.local.aws.embedded import EMBEDDED_CREDENTIALS, embedded_endpoint_url

        aws = service.aws
        name = "redshift-dataapi-demo-" + uuid.uuid4().hex[:8]
        s3 = aws.client("s3")
        s3.create_bucket(Bucket=name)
        sqs = boto3.client(
            "sqs",
            endpoint_url=embedded_endpoint_url(),
            region_name=aws.region,
            aws_access_key_id=EMBEDDED_CREDENTIALS["aws_access_key_id"],
            aws_secret_access_key=EMBEDDED_CREDENTIALS["aws_secret_access_key"],
        )
        queue_url = sqs.create_queue(QueueName=name)["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        events = aws.client("events")
        events.put_rule(Name=name, EventPattern=json.dumps({"source": ["aws.redshift-data"]}))
        events.put_targets(Rule=name, Targets=[{"Id": "demo-queue", "Arn": queue_arn}])
        return cls(s3, sqs, queue_url, name, aws.region)

    def event_of(self, statement_id: str, timeout: float = 10.0) -> dict[str, Any] | None:
        """The event published for ``statement_id``, waiting up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            answer = self.sqs.receive_message(
                QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1
            )
            for message in answer.get("Messages", []):
                event: dict[str, Any] = json.loads(message["Body"])
                if event.get("detail", {}).get("statementId") == statement_id:
                    return event
        return None


def load(connection: Any, pipeline: DemoPipeline, seed_trips: int, copies: int) -> tuple[int, str]:
    """Write the trips to S3 as gzip CSV and COPY them; (rows loaded, COPY statement id)."""
    key = "green/green_tripdata_2016-01.csv.gz"
    body = demo_data.csv_gzip(list(demo_data.trip_rows(seed_trips, copies)))
    pipeline.s3.put_object(Bucket=pipeline.bucket, Key=key, Body=body)
    cursor = connection.cursor()
    cursor.execute(
        f"COPY {demo_data.QUALIFIED} FROM 's3://{pipeline.bucket}/green/' IAM_ROLE '{ROLE}' "
        "CSV GZIP DATEFORMAT 'auto' IGNOREHEADER 1 DELIMITER ',' IGNOREBLANKLINES "
        f"REGION '{pipeline.region}'"
    )
    return int(cursor.rowcount), str(cursor.statement_id)


def unload_and_read(connection: Any, pipeline: DemoPipeline) -> tuple[int, list[str], Any]:
    """UNLOAD the table as Parquet; (rows unloaded, file keys, the files read back as Arrow)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    prefix = f"unload/{demo_data.TABLE}_"
    cursor = connection.cursor()
    cursor.execute(
        f"UNLOAD ('SELECT * FROM {demo_data.QUALIFIED}') TO 's3://{pipeline.bucket}/{prefix}' "
        f"IAM_ROLE '{ROLE}' FORMAT AS PARQUET MANIFEST ALLOWOVERWRITE"
    )
    manifest = pipeline.s3.get_object(Bucket=pipeline.bucket, Key=f"{prefix}manifest")
    entries = json.loads(manifest["Body"].read())["entries"]
    keys = [entry["url"].split("/", 3)[3] for entry in entries]
    tables = []
    for key in keys:
        body = pipeline.s3.get_object(Bucket=pipeline.bucket, Key=key)["Body"].read()
        tables.append(pq.read_table(io.BytesIO(body)))
    return int(cursor.rowcount), keys, pa.concat_tables(tables)
