"""Alembic on redshift+dataapi://: autogenerate, upgrade and downgrade cycles on both engines.

The commands are Alembic's own (``alembic.command``, what the ``alembic`` CLI runs),
against a migration environment written to a temporary directory; env.py takes
the test's engine and model from the Config, as an application's env.py would
import them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

alembic = pytest.importorskip("alembic", reason="alembic is in the test extra")

from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402

from sqlalchemy_dialect import SUPER, TIMESTAMPTZ, VARBYTE  # noqa: E402

ENV_PY = """
from alembic import context

engine = context.config.attributes["engine"]
target_metadata = context.config.attributes["metadata"]

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
"""

SCRIPT_MAKO = '''"""${message}"""
${imports if imports else ""}
from alembic import op
import sqlalchemy as sa

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
'''


def model(version: int) -> sa.MetaData:
    """The application's model: version 2 widens a VARCHAR and adds and drops a column."""
    md = sa.MetaData()
    columns: list[Any] = [
        sa.Column(
            "id",
            sa.Integer,
            primary_key=True,
            autoincrement=False,
            comment="account no" if version == 1 else "account number",
        ),
        sa.Column("name", sa.String(80 if version == 2 else 40)),
        sa.Column("note", sa.Text),
        sa.Column("seen", sa.DateTime(timezone=True)),
        sa.Column("seen_tz", TIMESTAMPTZ),
        sa.Column("at", sa.DateTime),
        sa.Column("score", sa.Float),
        sa.Column("ratio", sa.REAL),
        sa.Column("active", sa.Boolean),
        sa.Column("doc", SUPER),
        sa.Column("raw", VARBYTE(16)),
        sa.Column("amount", sa.Numeric(12, 2)),
        sa.Column("day", sa.Date),
        sa.Column("big", sa.BigInteger),
    ]
    if version == 1:
        columns.append(sa.Column("legacy", sa.String(10)))
    else:
        columns.append(sa.Column("email", sa.String(120)))
    sa.Table("account", md, *columns, comment="customer accounts")
    return md


@pytest.fixture
def alembic_cfg(engine: sa.Engine, tmp_path: Path) -> Config:
    scripts = tmp_path / "migrations"
    (scripts / "versions").mkdir(parents=True)
    (scripts / "env.py").write_text(ENV_PY)
    (scripts / "script.py.mako").write_text(SCRIPT_MAKO)
    cfg = Config()
    cfg.set_main_option("script_location", str(scripts))
    cfg.attributes["engine"] = engine
    return cfg


def autogenerate(cfg: Config, metadata: sa.MetaData, message: str, *, keep: bool = True) -> str:
    """``alembic revision --autogenerate -m message``; returns the new file's text.

    ``keep=False`` deletes the file afterwards, as one discards an empty revision.
    """
    cfg.attributes["metadata"] = metadata
    script: Any = command.revision(cfg, message=message, autogenerate=True)
    path = Path(script.path)
    text = path.read_text()
    if not keep:
        path.unlink()
    return text


def upgrade_body(source: str) -> str:
    match = re.search(r"def upgrade\(\):\n(.*?)\n\ndef downgrade", source, re.S)
    assert match is not None, source
    lines = [line.strip() for line in match.group(1).splitlines()]
    return "\n".join(line for line in lines if line and not line.startswith("#"))


def test_autogenerate_upgrade_downgrade_cycle(alembic_cfg: Config, engine: sa.Engine) -> None:
    first = autogenerate(alembic_cfg, model(1), "create account")
    assert "op.create_table('account'" in first or 'op.create_table("account"' in first
    # this dialect's types render with their import
    assert "import sqlalchemy_dialect" in first
    assert "sqlalchemy_dialect.SUPER()" in first and "sqlalchemy_dialect.VARBYTE(" in first
    command.upgrade(alembic_cfg, "head")
    insp = sa.inspect(engine)
    assert "account" in insp.get_table_names()

    # an unchanged model is an empty migration: no false type changes
    unchanged = autogenerate(alembic_cfg, model(1), "nothing", keep=False)
    assert upgrade_body(unchanged) == "pass", upgrade_body(unchanged)

    second = autogenerate(alembic_cfg, model(2), "widen name, email for legacy")
    body = upgrade_body(second)
    assert "comment='account number'" in body
    assert "op.alter_column('account', 'name'" in body and "length=80" in body
    assert "op.add_column('account'" in body and "'email'" in body
    assert "op.drop_column('account', 'legacy')" in body
    # Redshift runs ALTER COLUMN ... TYPE outside a transaction block only (both engines
    # refuse it as Redshift does): the migration runs it in Alembic's autocommit block.
    versions = Path(str(alembic_cfg.get_main_option("script_location"))) / "versions"
    (path,) = versions.glob("*_widen_name_*.py")
    path.write_text(
        path.read_text().replace(
            "    op.alter_column('account', 'name',",
            "    with op.get_context().autocommit_block():\n"
            "        op.alter_column('account', 'name',",
        )
    )
    command.upgrade(alembic_cfg, "head")
    columns = {c["name"]: c for c in sa.inspect(engine).get_columns("account")}
    assert columns["name"]["type"].length == 80
    assert "email" in columns and "legacy" not in columns
    assert columns["id"]["comment"] == "account number"
    again = autogenerate(alembic_cfg, model(2), "again", keep=False)
    assert upgrade_body(again) == "pass"

    command.downgrade(alembic_cfg, "-1")
    columns = {c["name"]: c for c in sa.inspect(engine).get_columns("account")}
    assert columns["name"]["type"].length == 40 and "legacy" in columns
    assert columns["id"]["comment"] == "account no"
    command.downgrade(alembic_cfg, "base")
    assert "account" not in sa.inspect(engine).get_table_names()


def test_varchar_widening_and_rename_but_no_other_type_change(
    alembic_cfg: Config, engine: sa.Engine
) -> None:
    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from alembic.util import CommandError

    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (n INTEGER, s VARCHAR(5))")
        ops = Operations(MigrationContext.configure(conn))
        with pytest.raises(CommandError, match="only a VARCHAR column's length"):
            ops.alter_column("t", "n", type_=sa.BigInteger, existing_type=sa.Integer)
        ops.alter_column("t", "n", new_column_name="m")
    # Redshift widens a VARCHAR outside a transaction block only.
    refused = pytest.raises(sa.exc.DBAPIError, match="cannot run inside a transaction block")
    with refused, engine.begin() as conn:
        Operations(MigrationContext.configure(conn)).alter_column(
            "t", "s", type_=sa.String(50), existing_type=sa.String(5)
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        Operations(MigrationContext.configure(conn)).alter_column(
            "t", "s", type_=sa.String(50), existing_type=sa.String(5)
        )
    columns = sa.inspect(engine).get_columns("t")
    assert [c["name"] for c in columns] == ["m", "s"]
    assert columns[1]["type"].length == 50
