"""Request validation driven by the installed botocore ``redshift-data`` model.

botocore's client checks required members and minimums, but not maximums,
patterns or enums, and raw HTTP callers skip it entirely; the real service
checks everything.  :func:`validate_request` walks the operation's input shape
and reports every violation in the service's style::

    1 validation error detected: Value '99' at 'waitTimeSeconds' failed to
    satisfy constraint: Member must have value less than or equal to 30

Rules that the model cannot express (target/auth combinations, SQL size...)
live in :mod:`.rules`.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Callable
from typing import Any

import botocore.loaders
from botocore.model import OperationModel, ServiceModel

from ..errors import ServiceError, validation_error

__all__ = ["SERVICE_NAME", "operation_model", "service_model", "validate_request"]

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


class _StringStructRules:
    """Quick "is it valid?" tests for items of a structure whose members are strings.

    Long lists of such items (ExecuteStatement's Parameters: thousands of
    name/value pairs from executemany) would otherwise cost one ``_check`` call
    per field.  Both tests answer True only when ``_check`` would report
    nothing, so anything else still takes the full walk and gets its exact
    messages.
    """

    def __init__(self, members: dict[str, Any], required: list[str]) -> None:
        self.specs: dict[str, tuple[int, float, Callable[[str], Any] | None, frozenset[str]]] = {}
        for name, member in members.items():
            meta = member.metadata
            pattern = _compiled(meta["pattern"]).fullmatch if "pattern" in meta else None
            self.specs[name] = (
                meta.get("min", 0),
                meta.get("max", math.inf),
                pattern,
                frozenset(member.enum or ()),
            )
        self.required = frozenset(required)

    def item_ok(self, item: Any) -> bool:
        """True when ``item`` is a valid structure."""
        if type(item) is not dict or not self.required <= item.keys():
            return False
        for name, text in item.items():
            spec = self.specs.get(name)
            if spec is None or type(text) is not str:
                return False
            low, high, pattern, enum = spec
            if not low <= len(text) <= high:
                return False
            if pattern is not None and pattern(text) is None:
                return False
            if enum and text not in enum:
                return False
        return True

    def all_ok(self, items: list[Any]) -> bool:
        """True when every item is valid and has every member (one pass per member).

        Stricter than ``item_ok`` (an absent optional member fails it); the
        loops run in C: map, set, min, max.
        """
        if not items or set(map(type, items)) != {dict}:
            return False
        if set(map(len, items)) != {len(self.specs)}:
            return False
        for name, (low, high, pattern, enum) in self.specs.items():
            try:
                texts = list(map(operator.itemgetter(name), items))
            except KeyError:
                return False
            # Every item has len(specs) keys and each of them: no unknown member.
            if set(map(type, texts)) != {str}:
                return False
            lengths = list(map(len, texts))
            if min(lengths) < low or max(lengths) > high:
                return False
            if pattern is not None and not all(map(pattern, texts)):
                return False
            if enum and not set(texts) <= enum:
                return False
        return True


# id(shape) -> (shape, its rules); holding the shape keeps its id from being reused.
_RULES: dict[int, tuple[Any, _StringStructRules | None]] = {}


def _string_struct_rules(shape: Any) -> _StringStructRules | None:
    """The quick tests for a structure shape; None if a member is not a string."""
    key = id(shape)
    cached = _RULES.get(key)
    if cached is not None:
        return cached[1]
    members = shape.members
    rules = None
    if all(member.type_name == "string" for member in members.values()):
        rules = _StringStructRules(dict(members), list(shape.required_members))
    _RULES[key] = (shape, rules)
    return rules


def _member_path(path: str, name: str) -> str:
    return f"{path}.{_lower_first(name)}" if path else _lower_first(name)


def _check_structure(shape: Any, value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be an object")
        return
    for name in shape.required_members:
        if value.get(name) is None:
            problems.append(
                f"Value null at '{_member_path(path, name)}' failed to satisfy constraint: "
                "Member must not be null"
            )
    for name, member_value in value.items():
        where = _member_path(path, name)
        if name not in shape.members:
            problems.append(f"Unknown member '{name}' at '{where}'")
            continue
        if member_value is not None:
            _check(shape.members[name], member_value, where, problems)


def _check_list(shape: Any, value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, list):
        problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be a list")
        return
    meta = shape.metadata
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
    member_shape = shape.member
    rules = _string_struct_rules(member_shape) if member_shape.type_name == "structure" else None
    if rules is not None and rules.all_ok(value):
        return
    for index, item in enumerate(value, start=1):
        if rules is not None and rules.item_ok(item):
            continue  # valid: the full walk below would report nothing
        if item is None:
            problems.append(
                f"Value null at '{path}.{index}.member' failed to satisfy constraint: "
                "Member must not be null"
            )
            continue
        _check(member_shape, item, f"{path}.{index}.member", problems)


def _check_string(shape: Any, value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, str):
        problems.append(_type_problem(value, path, "a string"))
        return
    meta = shape.metadata
    failed = f"Value '{_shown(value)}' at '{path}' failed to satisfy constraint: Member must"
    if "min" in meta and len(value) < meta["min"]:
        problems.append(f"{failed} have length greater than or equal to {meta['min']}")
    if "max" in meta and len(value) > meta["max"]:
        problems.append(f"{failed} have length less than or equal to {meta['max']}")
    if "pattern" in meta and not _compiled(meta["pattern"]).fullmatch(value):
        problems.append(f"{failed} satisfy regular expression pattern: {meta['pattern']}")
    enum = shape.enum
    if enum and value not in enum:
        problems.append(f"{failed} satisfy enum value set: [{', '.join(enum)}]")


def _check_integer(shape: Any, value: Any, path: str, problems: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(_type_problem(value, path, "an integer"))
        return
    meta = shape.metadata
    failed = f"Value '{value}' at '{path}' failed to satisfy constraint: Member must"
    if "min" in meta and value < meta["min"]:
        problems.append(f"{failed} have value greater than or equal to {meta['min']}")
    if "max" in meta and value > meta["max"]:
        problems.append(f"{failed} have value less than or equal to {meta['max']}")


def _check_boolean(shape: Any, value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, bool):
        problems.append(_type_problem(value, path, "a boolean"))


_Checker = Callable[[Any, Any, str, list[str]], None]
# Shape type -> its checker.  Timestamps, blobs, doubles: no Data API input uses them.
_CHECKERS: dict[str, _Checker] = {
    "structure": _check_structure,
    "list": _check_list,
    "string": _check_string,
    "integer": _check_integer,
    "long": _check_integer,
    "boolean": _check_boolean,
}


def _check(shape: Any, value: Any, path: str, problems: list[str]) -> None:
    """Append to ``problems`` every way ``value`` breaks ``shape`` (found at ``path``)."""
    # Any: botocore's Shape subclasses (StructureShape, ListShape...) carry the members.
    checker = _CHECKERS.get(shape.type_name)
    if checker is not None:
        checker(shape, value, path, problems)


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
