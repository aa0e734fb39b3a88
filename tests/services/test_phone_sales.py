"""A phone's changes happen once per idempotency key, under the helper's name."""

from __future__ import annotations

import pytest

from popup_pos.services import checkout, devices, phone_sales, staff
from tests.conftest import Shop


@pytest.fixture
def phone(shop: Shop) -> devices.Phone:
    staff.add_staff(shop.uow, "Robin", "helper", "4321", actor="test")
    paired = devices.pair(shop.uow, devices.start_pairing(shop.uow).code, "4321")
    return devices.authenticate(shop.uow, paired.token)


def test_a_sale_runs_once_per_key(shop: Shop, phone: devices.Phone) -> None:
    lines = [phone_sales.SaleLine("POSTER", 1)]
    first = phone_sales.sell_cash(shop.uow, phone, "key-00000001", lines)
    again = phone_sales.sell_cash(shop.uow, phone, "key-00000001", lines)
    assert first == again
    assert shop.on_hand("POSTER") == 39
    assert first["order"] == "P1-0001"


def test_a_failed_change_frees_its_key(shop: Shop, phone: devices.Phone) -> None:
    with pytest.raises(phone_sales.PhoneError, match="Idempotency-Key"):
        phone_sales.sell_cash(shop.uow, phone, "short", [phone_sales.SaleLine("POSTER")])
    with pytest.raises(checkout.CheckoutError):
        phone_sales.sell_cash(shop.uow, phone, "key-00000002", [phone_sales.SaleLine("NOPE")])
    done = phone_sales.sell_cash(shop.uow, phone, "key-00000002", [phone_sales.SaleLine("POSTER")])
    assert done["status"] == "fulfilled"


def test_a_sale_is_never_durable_without_its_answer(
    shop: Shop, phone: devices.Phone, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were the answer stored after the sale, a failure in between would leave a sale
    whose retry is told to try again, and the helper would sell it a second time."""
    from popup_pos.store import devices as devices_store

    def disk_full(*args: object) -> None:
        raise OSError("disk full")

    lines = [phone_sales.SaleLine("POSTER", 1)]
    with monkeypatch.context() as m:
        m.setattr(devices_store, "finish_request", disk_full)
        with pytest.raises(OSError, match="disk full"):
            phone_sales.sell_cash(shop.uow, phone, "key-00000003", lines)
    assert shop.on_hand("POSTER") == 40  # nothing sold, nothing held
    first = phone_sales.sell_cash(shop.uow, phone, "key-00000003", lines)
    assert phone_sales.sell_cash(shop.uow, phone, "key-00000003", lines) == first
    assert (first["order"], shop.on_hand("POSTER")) == ("P1-0001", 39)


def test_a_copy_sent_while_the_first_is_selling_gets_its_answer(
    shop: Shop, phone: devices.Phone, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A retry arriving while the first copy is still selling waits for it, then gets its
    answer: the key is claimed inside the sale's transaction."""
    import threading
    import time

    from popup_pos.services import database

    real_sell, selling = checkout.sell, threading.Event()

    def slow_sell(*args: object, **kwargs: object) -> checkout.OrderResult:
        selling.set()
        time.sleep(0.5)  # the retry arrives meanwhile
        return real_sell(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(checkout, "sell", slow_sell)
    lines = [phone_sales.SaleLine("POSTER", 1)]
    answers: list[dict[str, object]] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            own = database.for_worker(shop.uow)
            answers.append(phone_sales.sell_cash(own, phone, "key-00000004", lines))
        except BaseException as e:
            errors.append(e)

    first, retry = threading.Thread(target=send), threading.Thread(target=send)
    first.start()
    assert selling.wait(10)
    retry.start()
    first.join(30)
    retry.join(30)
    assert errors == [] and len(answers) == 2 and answers[0] == answers[1]
    assert shop.on_hand("POSTER") == 39


def test_orders_are_found_by_typed_numbers(shop: Shop, phone: devices.Phone) -> None:
    placed = phone_sales.place_for_payment(
        shop.uow, phone, "key-00000003", [phone_sales.SaleLine("POSTER")]
    )
    assert placed["status"] == "awaiting_payment"
    found = phone_sales.find_order(shop.uow, "p1-1")
    assert found["order"] == "P1-0001"
    with pytest.raises(phone_sales.PhoneError, match="not ready"):
        phone_sales.hand_over(shop.uow, phone, "key-00000004", "P1-0001")
    with pytest.raises(phone_sales.PhoneError, match="no order"):
        phone_sales.find_order(shop.uow, "<script>")


def test_queue_moves_are_checked(shop: Shop, phone: devices.Phone) -> None:
    assert phone_sales.call_next(shop.uow, phone, "key-00000005") == {"called": None}
    with pytest.raises(phone_sales.PhoneError, match="called, done or no_show"):
        phone_sales.move_ticket(shop.uow, phone, "key-00000006", 1, "waiting")
    assert phone_sales.queue(shop.uow)["tickets"] == []


def test_phone_actions_are_audited_under_the_helper_and_the_chain_holds(
    shop: Shop, phone: devices.Phone
) -> None:
    from popup_pos.services import audit

    phone_sales.sell_cash(shop.uow, phone, "key-00000021", [phone_sales.SaleLine("POSTER")])
    report = audit.verify(shop.uow)
    assert report.broken_id is None and not report.table_problems, report
    with shop.uow:
        from popup_pos.store import audit as audit_store

        actions = ["order.place", "order.paid", "order.fulfil"]
        found = audit_store.of_entity(shop.uow.conn, "order", "P1-0001", actions)
    assert found and {e["actor"] for e in found} == {"Robin"}


def test_the_cash_up_says_which_helper_holds_a_phones_cash(
    shop: Shop, phone: devices.Phone
) -> None:
    from popup_pos.services import catalog, closing, reports

    phone_sales.sell_cash(shop.uow, phone, "key-00000010", [phone_sales.SaleLine("POSTER", 2)])
    checkout.sell(shop.uow, shop.register_id, checkout.Cart((checkout.CartLine("POSTER", 1),)))
    found = catalog.find_by_code(shop.uow, "POSTER")
    assert found is not None and found.price_cents is not None
    poster = found.price_cents
    cash = closing.close_preview(shop.uow).cash
    assert [(p.label, p.cents) for p in cash.held_by_phones] == [("P1 (Robin)", 2 * poster)]
    # The phone's cash is part of what is expected; it is in Robin's hands, not the drawer.
    assert cash.cash_sales_cents == 3 * poster
    assert reports.build_report(shop.uow).cash.held_by_phones == (("P1 (Robin)", 2 * poster),)
