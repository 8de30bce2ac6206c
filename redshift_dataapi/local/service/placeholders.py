"""Finding the ``:name`` placeholders a SQL text references.

The service checks Parameters against the SQL before running it: every
placeholder needs a value, and (for ExecuteStatement) every value needs a
placeholder.  Placeholders inside quoted text, quoted identifiers, dollar
quotes and comments do not count, nor do ``::`` casts or slices like ``a[1:2]``.
"""

from __future__ import annotations

import re

# One compiled pattern, used with findall: each alternative consumes a piece
# of SQL that cannot hold a placeholder, except the last, which captures a
# placeholder's name.  Only the name group is reported; "tag" lets a dollar
# quote end at its own closing tag.
#   '...'   backslash escapes and doubled quotes; unterminated runs to the end
#   "..."   doubled quotes
#   -- comment to the end of the line; /* comment */ (not nested)
#   $tag$...$tag$ when the $ does not follow a word character
#   ::      a cast, never a placeholder
#   :name   only after a character that is not a word character nor ']'
#           (so never at the very start of the text, nor in a[1:2])
_SCAN = re.compile(
    r"""
      '(?:[^'\\]++|''|\\.?)*+'?
    | "[^"]*+(?:""[^"]*+)*+"?
    | --[^\n]*+\n?
    | /\*[^*]*+(?:\*(?!/)[^*]*+)*+(?:\*/)?
    | (?<!\w)\$(?P<tag>(?:[A-Za-z_][A-Za-z0-9_]*)?)\$.*?(?:\$(?P=tag)\$|\Z)
    | ::
    | (?<=[^\w\]]):(?P<name>[0-9A-Za-z_]+)
    """,
    re.VERBOSE | re.DOTALL,
)


def referenced_names(sql: str) -> set[str]:
    """Placeholder names referenced by ``sql`` (outside quotes and comments)."""
    names = {name for _tag, name in _SCAN.findall(sql)}
    names.discard("")
    return names
