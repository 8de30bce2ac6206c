"""The S3 objects a COPY reads: by prefix or by manifest, decompressed.

Prefix: every object whose key begins with the FROM path, in key order
(folder markers, keys ending in ``/`` with no bytes, are skipped); none is
an error.  MANIFEST: the FROM path names a JSON manifest
``{"entries": [{"url": "s3://...", "mandatory": true}, ...]}``; a mandatory
entry that is missing fails the COPY, an optional one is skipped.
"""

from __future__ import annotations

import bz2
import gzip
import json
import zlib
from dataclasses import dataclass

from ..aws.s3 import S3Store, S3Url
from .errors import statement_error
from .options import CopyCommand

__all__ = ["LoadFile", "decompress", "load_files"]


@dataclass(frozen=True)
class LoadFile:
    """One object to load."""

    url: S3Url


def load_files(store: S3Store, command: CopyCommand) -> list[LoadFile]:
    """The objects ``command`` loads, in order."""
    source = S3Url.parse(command.source)
    if command.manifest:
        return _from_manifest(store, source)
    found = [o for o in store.list(source) if not (o.url.key.endswith("/") and o.size == 0)]
    if not found:
        raise statement_error(f"The specified S3 prefix '{source.key}' does not exist")
    return [LoadFile(o.url) for o in found]


def _from_manifest(store: S3Store, source: S3Url) -> list[LoadFile]:
    text = store.get(source)
    try:
        document = json.loads(text)
        entries = document["entries"]
        if not isinstance(entries, list):
            raise TypeError
        pairs = [(str(e["url"]), bool(e.get("mandatory", False))) for e in entries]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise statement_error(
            f"Manifest file is not in correct json format: {source} must hold "
            '{"entries": [{"url": "s3://...", "mandatory": true}, ...]}'
        ) from None
    files: list[LoadFile] = []
    for url, mandatory in pairs:
        address = S3Url.parse(url)
        listed = [o for o in store.list(address) if o.url.key == address.key]
        if not listed:
            if mandatory:
                raise statement_error(
                    f"Manifest file {source} lists a mandatory file that does not exist: {url}"
                )
            continue
        files.append(LoadFile(address))
    if not files:
        raise statement_error(f"Manifest file {source} lists no file to load")
    return files


def decompress(data: bytes, compression: str | None, url: S3Url) -> bytes:
    """The bytes of a GZIP, BZIP2 or ZSTD object (others as they are)."""
    try:
        if compression == "GZIP":
            return gzip.decompress(data)
        if compression == "BZIP2":
            return bz2.decompress(data)
        if compression == "ZSTD":
            import zstandard

            return zstandard.ZstdDecompressor().decompressobj().decompress(data)
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        raise statement_error(f"{compression} decompression of '{url}' failed: {exc}") from None
    except Exception as exc:  # zstandard.ZstdError is not importable without the package
        if type(exc).__name__ == "ZstdError":
            raise statement_error(f"ZSTD decompression of '{url}' failed: {exc}") from None
        raise
    return data
