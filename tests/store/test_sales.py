"""The sale statements' typed records, and order status changes held to the state machine."""

import pytest

from popup_pos.domain.errors import InvalidTransitionError
from popup_pos.domain.orders import OrderStatus
from popup_pos.services import checkout
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.store import sales as sales_store
from popup_pos.store.records import LineRecord, OrderRecord, PaymentRecord


def test_an_order_reads_back_as_named_records(shop):
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M", 2),)))
    with shop.uow:
        order = sales_store.lock_order(shop.uow, sold.order_id)
        by_number = sales_store.order_by_ref(shop.uow, sold.number.lower())
        lines = sales_store.lines_of(shop.uow, sold.order_id)
        pays = sales_store.payments_of(shop.uow, sold.order_id, status="succeeded")
        listed = sales_store.orders_in(shop.uow, shop.event.id, ["paid"])
    assert isinstance(order, OrderRecord) and order == by_number
    assert (order.number, order.status, order.paid_cents) == (sold.number, "paid", sold.total_cents)
    assert [type(ln) for ln in lines] == [LineRecord]
    assert (lines[0].sku, lines[0].quantity) == ("TEE-M", 2)
    assert [type(p) for p in pays] == [PaymentRecord]
    assert (pays[0].tender, pays[0].amount_cents) == ("cash", sold.total_cents)
    assert [(o.id, o.number, o.status) for o in listed] == [(sold.order_id, sold.number, "paid")]


def test_a_bundle_lists_its_parts_by_name(shop):
    pack = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("PACK-TEE-M-POSTER"),)))
    with shop.uow:
        (line,) = sales_store.lines_of(shop.uow, pack.order_id)
        assert line.variant_id is not None
        parts = sales_store.bundle_parts(shop.uow, line.variant_id)
    assert sorted(p.per_unit for p in parts) == [1, 1]


def test_the_status_changes_only_through_the_state_machine(shop):
    placed = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    with shop.uow:
        with pytest.raises(ValueError, match="move_order"):
            sales_store.update_order(shop.uow, placed.order_id, status="paid")
        with pytest.raises(InvalidTransitionError, match="awaiting payment to fulfilled"):
            sales_store.move_order(
                shop.uow, placed.order_id, "awaiting_payment", OrderStatus.FULFILLED
            )
        with pytest.raises(InvalidTransitionError):
            sales_store.move_order(
                shop.uow,
                placed.order_id,
                "awaiting_payment",
                OrderStatus.FULFILLED,
                via=[OrderStatus.CANCELLED],
            )
        sales_store.move_order(
            shop.uow,
            placed.order_id,
            "awaiting_payment",
            OrderStatus.FULFILLED,
            via=[OrderStatus.PAID],
            note="handed over",
        )
        order = sales_store.lock_order(shop.uow, placed.order_id)
    assert order is not None and (order.status, order.note) == ("fulfilled", "handed over")


def test_a_part_paid_order_keeps_its_status(shop):
    placed = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))
    checkout.add_payment(shop.uow, placed.order_id, TenderSpec("cash", 500))
    with shop.uow:
        order = sales_store.lock_order(shop.uow, placed.order_id)
    assert order is not None and (order.status, order.paid_cents) == ("awaiting_payment", 500)


def test_a_parked_order_is_rewritten_keeping_its_number(shop):
    parked = checkout.park(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    sold = checkout.sell(
        shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)), parked_order_id=parked.order_id
    )
    with shop.uow:
        order = sales_store.lock_order(shop.uow, parked.order_id)
        assert order is not None
        with pytest.raises(InvalidTransitionError):  # paid cannot be parked again
            sales_store.move_order(shop.uow, order.id, order.status, OrderStatus.OPEN)
    assert (sold.order_id, sold.number, sold.status) == (parked.order_id, parked.number, "paid")
    assert (order.number, order.parked, order.total_cents) == (
        parked.number,
        False,
        sold.total_cents,
    )
