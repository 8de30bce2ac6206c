"""Finding the ``:name`` placeholders a SQL text references.

The service checks Parameters against the SQL before running it: every
placeholder needs a value, and (for ExecuteStatement) every value needs a
placeholder.  Placeholders inside quoted text, quoted identifiers, dollar
quotes and comments do not count, nor do ``::`` casts or slices like ``a[1:2]``.
"""

from __future__ import annotations

import re

_NAME = re.compile(r"[0-9A-Za-z_]+")
_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")


def referenced_names(sql: str) -> set[str]:
    """Placeholder names referenced by ``sql`` (outside quotes and comments)."""
    names: set[str] = set()
    i = 0
    n = len(sql)
    while i < n:
        ch = sql[i]
        if ch in ("'", '"'):
            end = i + 1
            while end < n:
                if sql[end] == ch:
                    if end + 1 < n and sql[end + 1] == ch:
                        end += 2
                        continue
                    break
                if ch == "'" and sql[end] == "\\":
                    end += 1
                end += 1
            i = end + 1
            continue
        if ch == "-" and sql.startswith("--", i):
            newline = sql.find("\n", i)
            i = n if newline < 0 else newline + 1
            continue
        if ch == "/" and sql.startswith("/*", i):
            close = sql.find("*/", i + 2)
            i = n if close < 0 else close + 2
            continue
        if ch == "$":
            tag = _DOLLAR_TAG.match(sql, i)
            if tag and (i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] == "_")):
                close = sql.find(tag.group(0), tag.end())
                i = n if close < 0 else close + len(tag.group(0))
                continue
        if ch == ":":
            if sql.startswith("::", i):
                i += 2
                continue
            prev = sql[i - 1] if i > 0 else ""
            match = _NAME.match(sql, i + 1)
            if match and not (prev.isalnum() or prev in "_]"):
                names.add(match.group(0))
                i = match.end()
                continue
        i += 1
    return names
