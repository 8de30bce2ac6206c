"""SET and RESET: keep what the target knows, accept and ignore what it does not.

Redshift-only settings (``SET query_group``...) are no-ops on both targets.
PostgreSQL gets every other SET as written.  DuckDB keeps ``search_path``
(as its own ``SET search_path = 'a,b'``; ``$user`` dropped, DEFAULT and RESET
give ``public``; ``Translated.search_path`` keeps the path for SHOW) and
ignores the rest, ``SET timezone`` included: the session stays in UTC.
"""

from __future__ import annotations

from .tokens import BLANK, Token, identifier_text, join_tokens
from .work import Work

__all__ = ["REDSHIFT_ONLY_SETTINGS", "set_or_reset"]

#: Redshift settings PostgreSQL and DuckDB do not have: SET is accepted and ignored.
REDSHIFT_ONLY_SETTINGS = frozenset(
    {
        "query_group",
        "enable_result_cache_for_session",
        "wlm_query_slot_count",
        "analyze_threshold_percent",
        "json_serialization_enable",
        "json_serialization_parse_nested_strings",
        "enable_case_sensitive_identifier",
        "enable_case_sensitive_super_attribute",
        "mv_enable_aqmv_for_session",
        "auto_mv",
        "describe_field_name_in_uppercase",
        "downcase_delimited_identifier",
        "use_fips_ssl",
        "spectrum_query_maxerror",
        "compound_sortkey",
        "datashare_break_glass_session_var",
        "max_concurrency_scaling_clusters",
    }
)


def _setting(words: list[str]) -> str:
    """The setting a SET/RESET names, lower case ("" when none)."""
    rest = words[1:]
    if rest and rest[0] in {"SESSION", "LOCAL"}:
        rest = rest[1:]
    setting = rest[0].lower() if rest else ""
    if setting == "time" and len(rest) > 1:
        setting = "time zone"
    return setting


def set_or_reset(work: Work) -> None:
    """SET / RESET: keep search_path, drop what the target does not know."""
    if work.words[:1] not in (["SET"], ["RESET"]):
        return
    command = work.words[0]
    setting = _setting(work.words)
    if setting in REDSHIFT_ONLY_SETTINGS or setting == "":
        work.finish("", "utility", command, noop=True)
    elif work.target == "postgres":
        work.finish(join_tokens(work.tokens), "utility", command)
    elif setting != "search_path":
        work.finish("", "utility", command, noop=True)
    else:
        values = [] if command == "RESET" else _search_path(work.tokens)
        if not values or [v.upper() for v in values] == ["DEFAULT"]:
            values = ["$user", "public"]  # Redshift's default path
        schemas = [v for v in values if v and v != "$user"] or ["public"]
        text = ",".join(schemas).replace("'", "''")
        work.finish(f"SET search_path = '{text}'", "utility", command)
        # DuckDB writes its setting back catalog-qualified and without $user: SHOW
        # answers with the path as Redshift keeps it.
        work.result.search_path = ", ".join(values)


def _search_path(tokens: list[Token]) -> list[str]:
    """The entries of ``SET [SESSION] search_path TO|= a, "b", '$user'...``."""
    code = [t for t in tokens if t.kind not in BLANK]
    idx = next(i for i, t in enumerate(code) if t.text.lower() == "search_path")
    return [
        identifier_text(t) if t.kind != "string" else t.text[1:-1]
        for t in code[idx + 2 :]
        if t.kind in ("word", "ident", "string")
    ]
