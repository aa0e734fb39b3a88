"""Payments end to end through the services against the fake Stripe, on each database."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from popup_pos.payments.base import Charge
from popup_pos.payments.stripe_api import StripeGateway
from popup_pos.payments.stripe_card import StripeCardProvider
from popup_pos.payments.stripe_qr import StripeQrProvider
from popup_pos.services import audit, checkout, closing, payments
from popup_pos.services import settings as settings_service
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.services.payments import attempts
from popup_pos.store.models import Payment, Refund
from tests.stripe_fake.support import TEST_KEY, child_env
from tests.stripe_fake.tcp_proxy import FaultProxy

KILL_WORKER = Path(__file__).resolve().parents[1] / "payments" / "qr_worker.py"

# The fake Stripe's fixtures (stripe, stripe_server, no_keyring, memory_keyring).
pytest_plugins = ["tests.stripe_fake.fixtures"]


def fee(amount: int) -> int:
    """What the fake charges, as Stripe does in the US: 2.9% + 30¢."""
    return (amount * 29 + 500) // 1000 + 30


def place(shop, *skus: str):
    return checkout.place_order(shop.uow, shop.register_id, Cart(tuple(CartLine(s) for s in skus)))


def only_payment(shop, order_id: int):
    (p,) = checkout.get_order(shop.uow, order_id).payments
    return p


def changes_of(uow, **kw):
    return [
        (c.order_number, c.tender, c.state, c.order_status)
        for c in payments.check_pending(uow, force=True, **kw)
    ]


@pytest.fixture
def reader(shop, stripe):
    return payments.register_reader(shop.uow, "simulated-wpe", "Front table", register_code="A")


@pytest.fixture
def proxy(stripe):
    port = int(stripe.api.rsplit(":", 1)[1])
    p = FaultProxy(port)
    yield p
    p.close()


# ---- Stripe QR -------------------------------------------------------------------------------


def test_qr_sale_is_paid_with_the_real_fee(shop, stripe):
    order = place(shop, "TEE-M")
    qr = payments.charge_by_qr(shop.uow, order.order_id)
    assert qr.url.startswith("http://127.0.0.1:") and qr.amount_cents == 3000
    pay = only_payment(shop, order.order_id)
    assert (pay.tender, pay.status) == ("stripe_qr", "pending")
    assert pay.provider_id.startswith("cs_test_")
    # The exact request was stored, expiry included, and is what Stripe received.
    assert pay.request["expires_at"] == int(qr.expires_at.timestamp())
    assert pay.request["client_reference_id"].startswith(order.number + "_")
    assert pay.request["payment_intent_data"]["metadata"]["order_number"] == order.number
    (session,) = stripe.sessions()
    assert session["id"] == pay.provider_id and session["amount_total"] == 3000
    assert session["expires_at"] == pay.request["expires_at"]
    assert session["client_reference_id"] == pay.request["client_reference_id"]

    assert changes_of(shop.uow) == []  # still open: nothing changes
    # Asking again while the QR is up gives the same QR, not a second session.
    assert payments.charge_by_qr(shop.uow, order.order_id).url == qr.url
    assert len(stripe.sessions()) == 1

    stripe.pay(pay.provider_id).raise_for_status()
    assert changes_of(shop.uow) == [(order.number, "stripe_qr", "succeeded", "paid")]
    pay = only_payment(shop, order.order_id)
    assert pay.status == "succeeded" and pay.provider_id.startswith("pi_")
    assert pay.reference == session["id"]
    assert pay.fee_cents == fee(3000)
    intent = stripe.get(f"/v1/payment_intents/{pay.provider_id}")
    assert intent["metadata"]["order_number"] == order.number
    assert changes_of(shop.uow) == []
    assert audit.verify(shop.uow).ok


def test_declined_qr_payment_leaves_the_qr_open(shop, stripe):
    order = place(shop, "POSTER")
    payments.charge_by_qr(shop.uow, order.order_id)
    sid = only_payment(shop, order.order_id).provider_id
    declined = stripe.pay(sid, "pm_card_chargeCustomerFail")
    assert declined.status_code == 402
    assert changes_of(shop.uow) == []
    assert checkout.get_order(shop.uow, order.order_id).status == "awaiting_payment"
    stripe.pay(sid).raise_for_status()
    assert changes_of(shop.uow) == [(order.number, "stripe_qr", "succeeded", "paid")]


def test_cancelled_qr_is_expired_at_stripe(shop, stripe):
    order = place(shop, "POSTER")
    payments.charge_by_qr(shop.uow, order.order_id)
    res = payments.cancel_qr(shop.uow, order.order_id)
    assert (res.paid, res.order_status) == (False, "awaiting_payment")
    (session,) = stripe.sessions()
    assert session["status"] == "expired"
    assert only_payment(shop, order.order_id).status == "cancelled"
    assert stripe.pay(session["id"]).status_code == 400  # too late to pay
    # With the QR gone the order can be cancelled, or paid another way.
    assert payments.pay_cash(shop.uow, order.order_id).status == "paid"


def test_no_cash_while_a_qr_can_still_be_paid(shop, stripe):
    order = place(shop, "TEE-M")
    payments.charge_by_qr(shop.uow, order.order_id, amount_cents=1000)
    with pytest.raises(payments.PaymentsError, match="cancel it first"):
        payments.pay_cash(shop.uow, order.order_id)
    with pytest.raises(payments.PaymentsError, match="cancel it first"):
        payments.confirm_wallet(shop.uow, order.order_id, "venmo", amount_cents=2500)
    # The rest of a split is fine.
    assert payments.pay_cash(shop.uow, order.order_id, amount_cents=2000).paid_cents == 2000


def test_customer_paid_just_as_the_seller_cancelled(shop, stripe):
    order = place(shop, "TEE-M")
    payments.charge_by_qr(shop.uow, order.order_id)
    stripe.pay(only_payment(shop, order.order_id).provider_id).raise_for_status()
    res = payments.cancel_qr(shop.uow, order.order_id)
    assert res.paid and res.order_status == "paid" and "hand it over" in res.message
    assert only_payment(shop, order.order_id).fee_cents == fee(3000)


def test_cancel_order_stops_the_qr_first(shop, stripe):
    before = shop.on_hand("POSTER")
    order = place(shop, "POSTER")
    payments.charge_by_qr(shop.uow, order.order_id)
    res = payments.cancel_order(shop.uow, order.order_id, reason="walked away")
    assert res.order_status == "cancelled"
    assert stripe.sessions()[0]["status"] == "expired"
    assert shop.on_hand("POSTER") == before


def _part_paid_by_qr(shop, stripe, amount: int):
    """An order of 30.00 with `amount` paid by Stripe QR and the rest still due."""
    order = place(shop, "TEE-M")
    payments.charge_by_qr(shop.uow, order.order_id, amount_cents=amount)
    stripe.pay(only_payment(shop, order.order_id).provider_id).raise_for_status()
    assert changes_of(shop.uow) == [(order.number, "stripe_qr", "succeeded", "awaiting_payment")]
    return order


def test_cancel_order_hands_a_qr_part_payment_back_through_stripe(shop, stripe):
    order = _part_paid_by_qr(shop, stripe, 1000)
    res = payments.cancel_order(shop.uow, order.order_id, reason="changed their mind")
    assert (res.order_status, res.paid) == ("cancelled", False)
    ((amount, intent),) = [(r["amount"], r["payment_intent"]) for r in stripe.refunds()]
    assert amount == 1000 and intent.startswith("pi_")
    with shop.uow:
        (row,) = shop.uow.session.scalars(select(Refund)).all()
        assert (row.tender, row.status) == ("stripe_qr", "succeeded")
        assert row.provider_id.startswith("re_")
    assert payments.stripe_status(shop.uow).waiting == 0


def test_closing_with_cancel_unpaid_hands_part_payments_back_through_stripe(shop, stripe):
    order = _part_paid_by_qr(shop, stripe, 1000)
    closed = closing.close_event(shop.uow, 0, cancel_unpaid=payments.cancel_order)
    assert closed.cancelled == (order.number,)
    assert [r["amount"] for r in stripe.refunds()] == [1000]
    assert checkout.get_order(shop.uow, order.order_id).status == "cancelled"


def test_refund_of_a_qr_paid_order_reaches_stripe(shop, stripe):
    order = place(shop, "TEE-M", "POSTER")  # 30.00 + 15.00
    payments.charge_by_qr(shop.uow, order.order_id)
    stripe.pay(only_payment(shop, order.order_id).provider_id).raise_for_status()
    payments.check_pending(shop.uow, force=True)
    poster = next(
        ln for ln in checkout.get_order(shop.uow, order.order_id).lines if ln.sku == "POSTER"
    )
    rep = payments.refund_to_tenders(shop.uow, order.order_id, lines={poster.id: 1})
    assert rep.result.by_tender == {"stripe_qr": 1500}
    assert [(r.state, r.amount_cents) for r in rep.stripe] == [("succeeded", 1500)]
    assert [r["amount"] for r in stripe.refunds()] == [1500]
    assert payments.stripe_status(shop.uow).waiting == 0


def test_expired_qr_ends_the_attempt_and_a_new_one_can_start(shop, stripe, uow):
    order = place(shop, "POSTER")
    payments.charge_by_qr(shop.uow, order.order_id)
    sid = only_payment(shop, order.order_id).provider_id
    # Stripe expires sessions by itself at expires_at; the fake is told to do it now.
    stripe.post(f"/v1/checkout/sessions/{sid}/expire")
    assert changes_of(shop.uow) == [(order.number, "stripe_qr", "cancelled", "awaiting_payment")]
    again = payments.charge_by_qr(shop.uow, order.order_id)
    assert again.url != "" and len(stripe.sessions()) == 2
    keys = {p.idempotency_key for p in checkout.get_order(shop.uow, order.order_id).payments}
    assert len(keys) == 2  # a new attempt, a new key


# ---- card reader ---------------------------------------------------------------------------------


def test_reader_sale(shop, stripe, reader):
    assert reader.device_type == "bbpos_wisepos_e" and reader.register_code == "A"
    order = place(shop, "TEE-M", "POSTER")
    card = payments.charge_by_card(shop.uow, order.order_id)
    assert (card.reader_id, card.amount_cents) == (reader.stripe_id, 4500)
    pay = only_payment(shop, order.order_id)
    assert pay.provider_id.startswith("pi_") and pay.status == "pending"
    assert pay.request["payment_intent"]["payment_method_types"] == ["card_present"]
    on_reader = stripe.get(f"/v1/terminal/readers/{reader.stripe_id}")["action"]
    assert on_reader["status"] == "in_progress"
    assert on_reader["process_payment_intent"]["payment_intent"] == pay.provider_id
    assert changes_of(shop.uow) == []

    payments.simulate_tap(reader.stripe_id)
    assert changes_of(shop.uow) == [(order.number, "stripe_card", "succeeded", "paid")]
    pay = only_payment(shop, order.order_id)
    assert pay.fee_cents == fee(4500)
    assert len(stripe.intents()) == 1


def test_declined_card_fails_the_attempt_and_the_reader_can_retry(shop, stripe, reader):
    order = place(shop, "POSTER")
    payments.charge_by_card(shop.uow, order.order_id)
    payments.simulate_tap(reader.stripe_id, card_number="4000000000000341")
    (change,) = payments.check_pending(shop.uow, force=True)
    assert (change.state, change.order_status) == ("failed", "awaiting_payment")
    assert "declined" in str(change.message).lower()
    first = only_payment(shop, order.order_id)
    assert stripe.get(f"/v1/payment_intents/{first.provider_id}")["status"] == "canceled"
    payments.charge_by_card(shop.uow, order.order_id)
    payments.simulate_tap(reader.stripe_id)
    assert changes_of(shop.uow) == [(order.number, "stripe_card", "succeeded", "paid")]


def test_cancel_on_the_reader(shop, stripe, reader):
    order = place(shop, "POSTER")
    payments.charge_by_card(shop.uow, order.order_id)
    res = payments.cancel_card(shop.uow, order.order_id)
    assert (res.paid, res.order_status) == (False, "awaiting_payment")
    pay = only_payment(shop, order.order_id)
    assert pay.status == "cancelled"
    assert stripe.get(f"/v1/payment_intents/{pay.provider_id}")["status"] == "canceled"
    assert stripe.get(f"/v1/terminal/readers/{reader.stripe_id}")["action"] is None
    payments.cancel_order(shop.uow, order.order_id)


def test_tap_that_wins_the_race_with_cancel_is_kept(shop, stripe, reader):
    order = place(shop, "POSTER")
    payments.charge_by_card(shop.uow, order.order_id)
    payments.simulate_tap(reader.stripe_id)
    res = payments.cancel_card(shop.uow, order.order_id)
    assert res.paid and res.order_status == "paid"


def test_reader_must_be_known(shop, stripe):
    order = place(shop, "POSTER")
    with pytest.raises(payments.PaymentsError, match="no card reader is registered"):
        payments.charge_by_card(shop.uow, order.order_id)
    with pytest.raises(payments.PaymentsError, match="registration code"):
        payments.register_reader(shop.uow, "wrong-code", "Back table")


# ---- wallets, cash and splits -------------------------------------------------------------------


def test_wallet_qr_sale_confirmed_by_a_helper(shop, stripe):
    settings_service.put(
        shop.uow, "wallets", {"venmo": "@merch-table", "cashapp": "", "paypal": "mt"}
    )
    assert payments.wallet_handles(shop.uow) == {"venmo": "@merch-table", "paypal": "mt"}
    order = place(shop, "TEE-M")
    wl = payments.wallet_link(shop.uow, order.order_id, "venmo")
    assert wl.url.startswith("https://venmo.com/?txn=pay&recipients=merch-table&amount=30.00")
    assert order.number in wl.note
    with pytest.raises(payments.PaymentsError, match="no Cash App handle"):
        payments.wallet_link(shop.uow, order.order_id, "cashapp")
    res = payments.confirm_wallet(shop.uow, order.order_id, "venmo", reference="@jo-fan")
    assert res.status == "paid"
    pay = only_payment(shop, order.order_id)
    assert (pay.tender, pay.reference, pay.status) == ("wallet", "Venmo: @jo-fan", "succeeded")
    assert stripe.log() == []  # no Stripe involved


def test_split_cash_and_card_then_partial_refunds(shop, stripe, reader):
    order = place(shop, "TEE-M", "POSTER")  # 45.00
    assert (
        payments.pay_cash(
            shop.uow, order.order_id, amount_cents=2000, tendered_cents=2000
        ).paid_cents
        == 2000
    )
    card = payments.charge_by_card(shop.uow, order.order_id)
    assert card.amount_cents == 2500
    payments.simulate_tap(reader.stripe_id)
    assert changes_of(shop.uow) == [(order.number, "stripe_card", "succeeded", "paid")]
    pi = next(
        p
        for p in checkout.get_order(shop.uow, order.order_id).payments
        if p.tender == "stripe_card"
    ).provider_id

    # Newest tender first: the card takes the first 10.00 back, through Stripe.
    rep = payments.refund_to_tenders(
        shop.uow, order.order_id, amount_cents=1000, reason="faded print"
    )
    assert (
        rep.result.by_tender == {"stripe_card": 1000} and rep.result.status == "partially_refunded"
    )
    (sent,) = rep.stripe
    assert (sent.state, sent.amount_cents) == ("succeeded", 1000) and sent.provider_id.startswith(
        "re_"
    )
    # The rest of the card, then cash.
    rep = payments.refund_to_tenders(shop.uow, order.order_id, amount_cents=2000)
    assert rep.result.by_tender == {"stripe_card": 1500, "cash": 500}
    assert [(r.state, r.amount_cents) for r in rep.stripe] == [("succeeded", 1500)]
    at_stripe = sorted((r["amount"], r["payment_intent"]) for r in stripe.refunds())
    assert at_stripe == [(1000, pi), (1500, pi)]
    with shop.uow:
        rows = shop.uow.session.scalars(select(Refund).order_by(Refund.id)).all()
        assert [(r.tender, r.amount_cents, r.status) for r in rows] == [
            ("stripe_card", 1000, "succeeded"),
            ("stripe_card", 1500, "succeeded"),
            ("cash", 500, "succeeded"),
        ]
        assert all(r.provider_id.startswith("re_") for r in rows if r.tender == "stripe_card")
    assert payments.stripe_status(shop.uow).waiting == 0
    assert audit.verify(shop.uow).ok


def test_refund_resent_after_a_crash_refunds_once(shop, stripe):
    order = place(shop, "TEE-M")
    payments.charge_by_qr(shop.uow, order.order_id)
    stripe.pay(only_payment(shop, order.order_id).provider_id).raise_for_status()
    payments.check_pending(shop.uow, force=True)
    rep = payments.refund_to_tenders(shop.uow, order.order_id)  # everything
    assert rep.result.status == "refunded"
    (sent,) = rep.stripe
    # As if the app died before Stripe's answer was stored: the row looks unsent again.
    with shop.uow:
        shop.uow.session.execute(text("UPDATE refunds SET provider_id = NULL"))
        shop.uow.commit()
    assert payments.stripe_status(shop.uow).waiting == 1
    (again,) = payments.check_pending(shop.uow, force=True)
    assert again.state == "refund_sent"
    assert len(stripe.refunds()) == 1  # the same key: Stripe replayed its answer
    with shop.uow:
        assert shop.uow.session.scalar(select(Refund.provider_id)) == sent.provider_id


# ---- faults ------------------------------------------------------------------------------------


def test_dropped_connection_after_stripe_got_the_request_charges_once(shop, stripe, proxy, reader):
    gw = StripeGateway(TEST_KEY, api_base=proxy.url)
    order = place(shop, "TEE-M")
    proxy.drop_answers(1)
    payments.charge_by_qr(shop.uow, order.order_id, gateway=gw)
    assert proxy.answers_dropped == 1
    assert len(stripe.sessions()) == 1
    creates = [e for e in stripe.log() if e["path"] == "/v1/checkout/sessions"]
    assert len(creates) == 2 and creates[0]["key"] == creates[1]["key"]
    assert creates[1].get("replayed") is True

    order2 = place(shop, "POSTER")
    proxy.drop_answers(1)
    payments.charge_by_card(shop.uow, order2.order_id, gateway=gw)
    assert len(stripe.intents()) == 1
    payments.simulate_tap(reader.stripe_id, gateway=gw)
    assert (order2.number, "stripe_card", "succeeded", "paid") in changes_of(shop.uow, gateway=gw)


def test_killed_between_request_and_answer_is_reconciled_once(
    shop, stripe, proxy, db_url, tmp_path
):
    order = place(shop, "TEE-M")
    proxy.hold_answers()
    log = tmp_path / "child.log"
    with (
        log.open("w") as err,
        subprocess.Popen(
            [sys.executable, str(KILL_WORKER), db_url, str(order.order_id)],
            env=child_env(proxy.url),
            stdout=subprocess.DEVNULL,
            stderr=err,
        ) as child,
    ):
        try:
            assert proxy.answer_held.wait(30), f"the child never reached Stripe: {log.read_text()}"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(10)
    pay = only_payment(shop, order.order_id)
    assert (pay.status, pay.provider_id) == ("pending", None)  # stored, answer never seen
    assert len(stripe.sessions()) == 1

    # Restart: the session is found by its reference, not created again.
    assert payments.reconcile_at_startup(shop.uow) == []
    (session,) = stripe.sessions()
    assert only_payment(shop, order.order_id).provider_id == session["id"]
    stripe.pay(session["id"]).raise_for_status()
    assert changes_of(shop.uow) == [(order.number, "stripe_qr", "succeeded", "paid")]
    assert len(checkout.get_order(shop.uow, order.order_id).payments) == 1


def test_abandoned_card_request_is_resent_with_its_key_at_restart(shop, stripe, proxy, reader):
    order = place(shop, "POSTER")
    provider = StripeCardProvider(
        StripeGateway(TEST_KEY, api_base=proxy.url, max_network_retries=0)
    )
    prepared = provider.prepare(
        Charge(
            order.order_id,
            order.number,
            1500,
            "USD",
            "Test night",
            f"{order.number}_1_x",
            reader.stripe_id,
        )
    )
    pid = checkout.begin_payment(
        shop.uow,
        order.order_id,
        "stripe_card",
        1500,
        idempotency_key=str(prepared.idempotency_key),
        request=prepared.request,
    )
    proxy.drop_answers(1)
    with pytest.raises(Exception, match="cannot reach Stripe"):
        provider.send(attempts._pending(_pending_row(shop, pid)), lambda _id: None)
    assert len(stripe.intents()) == 1  # it got there; the app never heard back

    (change,) = payments.reconcile_at_startup(shop.uow)
    # The same key brought back the same intent; the tap never happened, so the attempt
    # is closed rather than left hanging.
    assert (change.state, change.order_status) == ("cancelled", "awaiting_payment")
    assert "restart" in str(change.message)
    (intent,) = stripe.intents()
    assert intent["status"] == "canceled"
    assert only_payment(shop, order.order_id).provider_id == intent["id"]
    assert any(e.get("replayed") for e in stripe.log() if e["path"] == "/v1/payment_intents")


def test_qr_stored_but_never_sent_is_sent_at_restart(shop, stripe):
    order = place(shop, "POSTER")
    provider = StripeQrProvider(StripeGateway(TEST_KEY, api_base=stripe.api))
    prepared = provider.prepare(
        Charge(order.order_id, order.number, 1500, "USD", "Test night", f"{order.number}_1_y")
    )
    # The app died right after committing the pending payment, before sending anything.
    checkout.begin_payment(
        shop.uow,
        order.order_id,
        "stripe_qr",
        1500,
        idempotency_key=str(prepared.idempotency_key),
        request=prepared.request,
    )
    assert stripe.sessions() == []
    assert payments.reconcile_at_startup(shop.uow) == []
    (session,) = stripe.sessions()
    assert session["expires_at"] == prepared.expires_at  # as stored, not recomputed
    assert only_payment(shop, order.order_id).provider_id == session["id"]
    assert payments.reconcile_at_startup(shop.uow) == []  # found by its id: no second one
    assert len(stripe.sessions()) == 1


def _pending_row(shop, payment_id):
    from popup_pos.store import payments as payments_store

    with shop.uow:
        return payments_store.pending_remote_one(shop.uow, payment_id)


def test_stripe_down_cash_still_sells_and_the_banner_counts(shop, stripe, proxy, monkeypatch):
    monkeypatch.setenv("POPUP_POS_STRIPE_API_BASE", proxy.url)
    payments.reset_connection()
    order = place(shop, "TEE-M")
    payments.charge_by_qr(shop.uow, order.order_id)  # while Stripe is up
    assert payments.stripe_status(shop.uow).online

    proxy.refuse()
    assert payments.check_pending(shop.uow, force=True) == []
    status = payments.stripe_status(shop.uow)
    assert (status.online, status.waiting) == (False, 1)
    assert status.banner == "Stripe is offline — 1 payment waiting to be checked"

    # Cash and wallets never wait for Stripe.
    sale = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    assert sale.status == "paid"
    other = place(shop, "POSTER")
    with pytest.raises(payments.StripeOfflineError, match="Cash and wallet payments still work"):
        payments.charge_by_qr(shop.uow, other.order_id)
    assert only_payment(shop, other.order_id).status == "cancelled"  # never shown, never payable
    assert payments.pay_cash(shop.uow, other.order_id).status == "paid"
    assert payments.stripe_status(shop.uow).waiting == 1

    proxy.heal()
    stripe.pay(only_payment(shop, order.order_id).provider_id).raise_for_status()
    assert changes_of(shop.uow) == [(order.number, "stripe_qr", "succeeded", "paid")]
    status = payments.stripe_status(shop.uow)
    assert (status.online, status.waiting, status.banner) == (True, 0, None)


def test_without_a_key_stripe_is_not_set_up_and_cash_works(shop, monkeypatch, no_keyring):
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    payments.reset_connection()
    order = place(shop, "POSTER")
    with pytest.raises(payments.StripeNotSetUpError, match="STRIPE_API_KEY"):
        payments.charge_by_qr(shop.uow, order.order_id)
    assert payments.check_pending(shop.uow) == []
    status = payments.stripe_status(shop.uow)
    assert not status.configured and status.banner is None
    assert payments.pay_cash(shop.uow, order.order_id).status == "paid"


# ---- the key stays secret ----------------------------------------------------------------------


def test_the_key_is_never_in_the_database_or_the_logs(shop, stripe, reader, caplog, capsys, engine):
    caplog.set_level(logging.DEBUG)
    order = place(shop, "TEE-M")
    payments.charge_by_qr(shop.uow, order.order_id)
    stripe.pay(only_payment(shop, order.order_id).provider_id).raise_for_status()
    payments.check_pending(shop.uow, force=True)
    payments.refund_to_tenders(shop.uow, order.order_id, amount_cents=500)
    card = place(shop, "POSTER")
    payments.charge_by_card(shop.uow, card.order_id)
    payments.simulate_tap(reader.stripe_id)
    payments.check_pending(shop.uow, force=True)
    payments.stripe_status(shop.uow)

    secret = TEST_KEY.encode()
    assert caplog.records  # the payments did log
    assert TEST_KEY not in caplog.text
    out, err = capsys.readouterr()
    assert TEST_KEY not in out + err
    # Every row of every table, on either database.
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                assert TEST_KEY not in repr(tuple(row)), table
    # And the SQLite file itself, journal included.
    if engine.dialect.name == "sqlite":
        db = Path(engine.url.database)
        for f in [db, *db.parent.glob(db.name + "-*")]:
            assert secret not in f.read_bytes(), f


def test_payment_rows_keep_request_and_key(shop, stripe):
    order = place(shop, "POSTER")
    payments.charge_by_qr(shop.uow, order.order_id)
    with shop.uow:
        p = shop.uow.session.scalars(select(Payment)).one()
        assert p.idempotency_key.endswith("_session") and order.number in p.idempotency_key
        assert p.request["mode"] == "payment"
        assert p.request["line_items"][0]["price_data"]["unit_amount"] == 1500
