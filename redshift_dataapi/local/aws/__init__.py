"""The AWS services around the Data API, for the local endpoint: S3, EventBridge, Secrets Manager.

By default they are served by an embedded moto server in this process
(:mod:`.embedded`); :class:`AwsSettings` points each at any other endpoint,
or turns it off.  :mod:`.s3` reads and writes the objects COPY and UNLOAD
use, :mod:`.events` publishes the event of a WithEvent statement.
"""

from __future__ import annotations

from .embedded import embedded_endpoint_url, stop_embedded
from .settings import DEFAULT_REGION, DISABLED, AwsSettings

__all__ = ["DEFAULT_REGION", "DISABLED", "AwsSettings", "embedded_endpoint_url", "stop_embedded"]
