"""A declarative model end to end: create_all, add, query, update, delete."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
import sqlalchemy as sa

pytest.importorskip(
    "sqlalchemy", minversion="2.0", reason="these ORM tests use 2.0-style declarative mapping"
)

from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

import sqlalchemy_dialect  # noqa: F401  (registers the redshift_* options before the models)


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customer"
    __table_args__ = {"redshift_diststyle": "ALL"}

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(sa.String(50), index=True)
    orders: Mapped[list[Order]] = relationship(
        back_populates="customer", cascade="all, delete-orphan"
    )


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = {
        "redshift_diststyle": "KEY",
        "redshift_distkey": "customer_id",
        "redshift_sortkey": ["placed"],
    }

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customer.id"))
    amount: Mapped[decimal.Decimal] = mapped_column(sa.Numeric(10, 2))
    placed: Mapped[dt.datetime]
    note: Mapped[str | None] = mapped_column(sa.Text, redshift_encode="zstd")
    customer: Mapped[Customer] = relationship(back_populates="orders")


def test_declarative_model_end_to_end(engine: sa.Engine) -> None:
    Base.metadata.create_all(engine)
    when = dt.datetime(2024, 5, 1, 9, 30)
    with Session(engine) as session, session.begin():
        alice = Customer(id=1, name="Alice")
        alice.orders = [
            Order(id=i, amount=decimal.Decimal("9.99") * i, placed=when, note=None)
            for i in range(1, 4)
        ]
        session.add_all([alice, Customer(id=2, name="Bob")])

    with Session(engine) as session:
        alice = session.scalars(sa.select(Customer).where(Customer.name == "Alice")).one()
        assert sorted(o.amount for o in alice.orders) == [
            decimal.Decimal("9.99"),
            decimal.Decimal("19.98"),
            decimal.Decimal("29.97"),
        ]
        assert alice.orders[0].placed == when
        total = session.scalar(
            sa.select(sa.func.sum(Order.amount)).join(Customer).where(Customer.id == 1)
        )
        assert total == decimal.Decimal("59.94")

    with Session(engine) as session, session.begin():
        bob = session.get(Customer, 2)
        assert bob is not None
        bob.name = "Robert"
        order = session.get(Order, 2)
        assert order is not None
        order.note = "gift ☃"

    # Children first, parent in a later transaction: DuckDB (the local engine) checks a
    # foreign key against rows deleted earlier in the same transaction.
    with Session(engine) as session, session.begin():
        alice = session.get(Customer, 1)
        assert alice is not None
        alice.orders.clear()
    with Session(engine) as session, session.begin():
        session.delete(session.get(Customer, 1))

    with Session(engine) as session:
        assert session.scalars(sa.select(Customer.name)).all() == ["Robert"]
        assert session.scalar(sa.select(sa.func.count()).select_from(Order)) == 0


def test_rollback_discards_orm_changes(engine: sa.Engine) -> None:
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Customer(id=10, name="Temp"))
        session.flush()
        assert session.scalar(sa.select(sa.func.count()).select_from(Customer)) == 1
        session.rollback()
    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Customer)) == 0
