"""Request validation driven by the installed botocore ``redshift-data`` model.

botocore's client checks required members and minimums, but not maximums,
patterns or enums, and raw HTTP callers skip it entirely; the real service
checks everything.  :func:`validate_request` walks the operation's input shape
and reports every violation in the service's style::

    1 validation error detected: Value '99' at 'waitTimeSeconds' failed to
    satisfy constraint: Member must have value less than or equal to 30

Rules that the model cannot express (target/auth combinations, SQL size...)
live in :mod:`redshift_dataapi.local.service`.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import botocore.loaders
from botocore.model import OperationModel, ServiceModel

from .errors import ServiceError, validation_error

SERVICE_NAME = "redshift-data"


@functools.lru_cache(maxsize=1)
def service_model() -> ServiceModel:
    """The installed botocore model of the Data API (loaded once)."""
    # The loader directly, not a Session: the user's AWS configuration plays no part.
    loader = botocore.loaders.create_loader()
    return ServiceModel(loader.load_service_model(SERVICE_NAME, "service-2"), SERVICE_NAME)


@functools.lru_cache(maxsize=64)
def operation_model(operation: str) -> OperationModel:
    """The model of ``operation``; UnknownOperationException when the model has none."""
    model = service_model()
    if operation not in model.operation_names:
        raise ServiceError(
            "UnknownOperationException", f"Unknown operation {operation!r} for {SERVICE_NAME}"
        )
    return model.operation_model(operation)


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _type_problem(value: Any, path: str, what: str) -> str:
    return (
        f"Value '{_shown(value)}' at '{path}' failed to satisfy constraint: Member must be {what}"
    )


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 64 else text[:61] + "..."


def _check(shape: Any, value: Any, path: str, problems: list[str]) -> None:
    # Any: botocore's Shape subclasses (StructureShape, ListShape...) carry the members.
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(
                f"Value at '{path}' failed to satisfy constraint: Member must be an object"
            )
            return
        for name in shape.required_members:
            if value.get(name) is None:
                where = f"{path}.{_lower_first(name)}" if path else _lower_first(name)
                problems.append(
                    f"Value null at '{where}' failed to satisfy constraint: Member must not be null"
                )
        for name, member_value in value.items():
            where = f"{path}.{_lower_first(name)}" if path else _lower_first(name)
            if name not in shape.members:
                problems.append(f"Unknown member '{name}' at '{where}'")
                continue
            if member_value is None:
                continue
            _check(shape.members[name], member_value, where, problems)
        return
    if kind == "list":
        if not isinstance(value, list):
            problems.append(
                f"Value at '{path}' failed to satisfy constraint: Member must be a list"
            )
            return
        if "min" in meta and len(value) < meta["min"]:
            problems.append(
                f"Value at '{path}' failed to satisfy constraint: "
                f"Member must have length greater than or equal to {meta['min']}"
            )
        if "max" in meta and len(value) > meta["max"]:
            problems.append(
                f"Value at '{path}' failed to satisfy constraint: "
                f"Member must have length less than or equal to {meta['max']}"
            )
        for index, item in enumerate(value, start=1):
            if item is None:
                problems.append(
                    f"Value null at '{path}.{index}.member' failed to satisfy constraint: "
                    "Member must not be null"
                )
                continue
            _check(shape.member, item, f"{path}.{index}.member", problems)
        return
    if kind == "string":
        if not isinstance(value, str):
            problems.append(_type_problem(value, path, "a string"))
            return
        if "min" in meta and len(value) < meta["min"]:
            problems.append(
                f"Value '{_shown(value)}' at '{path}' failed to satisfy constraint: "
                f"Member must have length greater than or equal to {meta['min']}"
            )
        if "max" in meta and len(value) > meta["max"]:
            problems.append(
                f"Value '{_shown(value)}' at '{path}' failed to satisfy constraint: "
                f"Member must have length less than or equal to {meta['max']}"
            )
        if "pattern" in meta and not _compiled(meta["pattern"]).fullmatch(value):
            problems.append(
                f"Value '{_shown(value)}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy regular expression pattern: {meta['pattern']}"
            )
        enum = shape.enum
        if enum and value not in enum:
            problems.append(
                f"Value '{_shown(value)}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy enum value set: [{', '.join(enum)}]"
            )
        return
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(_type_problem(value, path, "an integer"))
            return
        if "min" in meta and value < meta["min"]:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must have value greater than or equal to {meta['min']}"
            )
        if "max" in meta and value > meta["max"]:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must have value less than or equal to {meta['max']}"
            )
        return
    if kind == "boolean":
        if not isinstance(value, bool):
            problems.append(_type_problem(value, path, "a boolean"))
        return
    # Timestamps, blobs, doubles: no Data API input uses them today.


def validate_request(operation: str, params: Any) -> None:
    """Check ``params`` against ``operation``'s input shape; raise ValidationException."""
    shape = operation_model(operation).input_shape
    if shape is None:
        return
    if not isinstance(params, dict):
        raise ServiceError("SerializationException", "The request body must be a JSON object")
    problems: list[str] = []
    _check(shape, params, "", problems)
    if problems:
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        raise validation_error(f"{count} validation {noun} detected: " + "; ".join(problems))
