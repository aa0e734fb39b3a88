"""Typed records read from rows: columns in field order, one row or many."""

from typing import NamedTuple

from sqlalchemy import select

from popup_pos.store.models import Order, table_of
from popup_pos.store.records import OrderRecord, all_of, columns, one_of

orders = table_of(Order)


class Brief(NamedTuple):
    number: str
    id: int


def test_columns_follow_the_record_not_the_table():
    assert [c.name for c in columns(orders, Brief)] == ["number", "id"]
    assert [c.name for c in columns(orders, OrderRecord)] == list(OrderRecord._fields)


def test_rows_become_records_by_field(shop):
    from popup_pos.services import checkout
    from popup_pos.services.checkout import Cart, CartLine

    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    with shop.uow:
        stmt = select(*columns(orders, Brief))
        one = one_of(Brief, shop.uow.conn.execute(stmt).first())
        many = all_of(Brief, shop.uow.conn.execute(stmt))
        none = one_of(Brief, shop.uow.conn.execute(stmt.where(orders.c.id == -1)).first())
    assert one == Brief(sold.number, sold.order_id) and many == [one]
    assert none is None
