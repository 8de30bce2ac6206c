"""Informational PRIMARY KEY, UNIQUE and FOREIGN KEY constraints on PostgreSQL.

Redshift accepts and records these constraints, shows them in its catalogs,
and enforces none of them (NOT NULL it does enforce).  PostgreSQL has no
such constraints, so the engine keeps PostgreSQL's own (pg_constraint,
information_schema and SQLAlchemy's inspector read them as usual) and stops
their enforcement:

* a PRIMARY KEY or UNIQUE constraint's index is marked not unique
  (``pg_index.indisunique``): rows with the same key are stored, and the
  planner draws no conclusion from a uniqueness that does not hold;
* a FOREIGN KEY's internal triggers are disabled (``ALTER TABLE ... DISABLE
  TRIGGER``, which only a superuser may do for them): orphans are stored
  and parent rows deleted freely.

Both are catalog changes only a superuser may make, so they live in the
``SECURITY DEFINER`` function :data:`FUNCTION` (in ``pg_catalog``, created
once per database by the superuser, callable by every user).  A DDL
statement that may declare a key runs, in one transaction, between
``FUNCTION(true)`` and ``FUNCTION(false)``: PostgreSQL wants a unique index
behind the referenced columns of a new FOREIGN KEY, so uniqueness is marked
back for the statement (no row is checked: the mark is only read by the
DDL), then every key of the database is relaxed again.  The catalog rows
change inside the statement's transaction, so other transactions never see
the marks come and go.

What stays different: ``ALTER TABLE ... ADD PRIMARY KEY``/``UNIQUE`` over
rows that already repeat the key, and ``ADD FOREIGN KEY`` over orphans,
fail (PostgreSQL checks existing rows when it builds the constraint).
"""

from __future__ import annotations

import re

__all__ = ["FUNCTION", "SETUP", "may_declare_keys", "relax", "restore"]

#: The function that marks keys enforced (true) or informational (false).
FUNCTION = "pg_catalog.redshift_informational_keys"

_USER_NAMESPACES = (
    "n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema'"
    " AND n.nspname NOT LIKE 'pg\\_toast%'"
)

#: Statements (run as superuser in the database) that create :data:`FUNCTION`.
SETUP = [
    "SET allow_system_table_mods = on",
    f"""CREATE OR REPLACE FUNCTION {FUNCTION}(enforce boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $fn$
DECLARE
  trigger record;
BEGIN
  UPDATE pg_catalog.pg_index AS i SET indisunique = enforce
    FROM pg_catalog.pg_constraint AS c
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.connamespace
   WHERE c.contype IN ('p', 'u') AND i.indexrelid = c.conindid
     AND i.indisunique <> enforce AND {_USER_NAMESPACES};
  IF NOT enforce THEN
    FOR trigger IN
      SELECT t.tgrelid::regclass AS tab, t.tgname
        FROM pg_catalog.pg_trigger AS t
        JOIN pg_catalog.pg_constraint AS c ON t.tgconstraint = c.oid
        JOIN pg_catalog.pg_namespace AS n ON n.oid = c.connamespace
       WHERE c.contype = 'f' AND t.tgenabled <> 'D' AND {_USER_NAMESPACES}
    LOOP
      EXECUTE format('ALTER TABLE %s DISABLE TRIGGER %I', trigger.tab, trigger.tgname);
    END LOOP;
  END IF;
END
$fn$""",
    f"GRANT EXECUTE ON FUNCTION {FUNCTION}(boolean) TO PUBLIC",
    "RESET allow_system_table_mods",
]

_KEY_DDL = re.compile(
    r"^\s*(?:create|alter)\s+(?:(?:global\s+|local\s+)?(?:temp|temporary)\s+)?table\b"
)
_KEY_WORDS = re.compile(r"\b(?:primary|unique|references|foreign)\b", re.IGNORECASE)


def may_declare_keys(sql: str) -> bool:
    """True for a CREATE/ALTER TABLE whose text names a key (false positives are harmless)."""
    return bool(_KEY_DDL.match(sql.lower()) and _KEY_WORDS.search(sql))


def restore() -> str:
    """The call marking every key enforced, for the DDL statement that follows."""
    return f"SELECT {FUNCTION}(true)"


def relax() -> str:
    """The call making every key of the database informational again."""
    return f"SELECT {FUNCTION}(false)"
