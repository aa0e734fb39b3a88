"""Stripe card readers: pairing, listing and charging them."""

from __future__ import annotations

from typing import Any

from popup_pos.domain.limits import LABEL_LENGTH, check_text
from popup_pos.payments.base import ProviderOfflineError, ProviderRejectedError
from popup_pos.payments.stripe_api import Reader, StripeGateway
from popup_pos.services import audit
from popup_pos.services.payments.attempts import _begin, _cancel_remote, _order, _send
from popup_pos.services.payments.connection import _CONNECTION, _offline, _provider, stripe_gateway
from popup_pos.services.payments.results import CancelResult, CardCharge, PaymentsError, ReaderInfo
from popup_pos.store import payments as payments_store
from popup_pos.store.uow import UnitOfWork


def register_reader(
    uow: UnitOfWork,
    registration_code: str,
    label: str,
    *,
    location: str | None = None,
    register_code: str | None = None,
    gateway: StripeGateway | None = None,
) -> ReaderInfo:
    """Pair a reader (the code it shows, or `simulated-wpe` in test mode) with the Stripe
    account and remember it here. Stripe needs a Terminal location: without `location`
    the account's only one is used."""
    gw = stripe_gateway(gateway)
    label = label.strip()
    if not label:
        raise PaymentsError("give the reader a label, e.g. --label 'Front table'")
    # Checked before Stripe is asked: the label must fit here once the reader exists there.
    label = check_text(label, "the reader label", LABEL_LENGTH)
    try:
        if location is None:
            locations = gw.locations()
            if len(locations) != 1:
                names = ", ".join(f"{loc.id} ({loc.name})" for loc in locations) or "none"
                raise PaymentsError(
                    "choose the Terminal location with --location; the account has: " + names
                )
            location = locations[0].id
        reader = gw.register_reader(registration_code.strip(), label, location)
    except ProviderOfflineError as exc:
        raise _offline(exc) from exc
    except ProviderRejectedError as exc:
        raise PaymentsError(f"Stripe did not register the reader: {exc}") from exc
    _CONNECTION.health.ok()
    code = register_code.strip().upper() if register_code else None
    with uow:
        payments_store.upsert_reader(
            uow, payments_store.NewReader(reader.id, reader.label, reader.device_type, code)
        )
        audit.record(
            uow, "reader.register", "reader", reader.id, {"label": reader.label, "register": code}
        )
        uow.commit()
    return ReaderInfo(reader.id, reader.label, reader.device_type, code, reader.status)


def list_readers(
    uow: UnitOfWork, *, live: bool = True, gateway: StripeGateway | None = None
) -> list[ReaderInfo]:
    """The readers registered here, with their status from Stripe when `live` (and
    Stripe answers)."""
    with uow:
        rows = payments_store.all_readers(uow)
    status: dict[str, Reader] = {}
    if live and rows:
        try:
            status = {r.id: r for r in stripe_gateway(gateway).readers()}
            _CONNECTION.health.ok()
        except ProviderOfflineError as exc:
            _offline(exc)
    return [
        ReaderInfo(
            r.stripe_id,
            r.label,
            r.device_type,
            r.register_code,
            status[r.stripe_id].status if r.stripe_id in status else None,
        )
        for r in rows
    ]


def _pick_reader(uow: UnitOfWork, reader: str | None, register_code: str) -> Any:
    with uow:
        if reader:
            row = payments_store.reader_by_stripe_id(uow, reader) or payments_store.reader_by_label(
                uow, reader
            )
            if row is None:
                raise PaymentsError(f"no card reader {reader!r}: register it first")
            return row
        mine = payments_store.readers_for_register(uow, register_code)
        every = payments_store.all_readers(uow)
    if len(mine) == 1:
        return mine[0]
    if len(every) == 1:
        return every[0]
    if not every:
        raise PaymentsError("no card reader is registered: `popup-pos stripe readers register`")
    raise PaymentsError("several card readers are registered: choose one")


def charge_by_card(
    uow: UnitOfWork,
    order_id: int,
    *,
    reader: str | None = None,
    amount_cents: int | None = None,
    staff_id: int | None = None,
    gateway: StripeGateway | None = None,
) -> CardCharge:
    """Send what the order owes (or `amount_cents`) to a card reader: the register's own,
    the only one, or `reader` (Stripe id or label). `check_pending` reports the tap."""
    gw = stripe_gateway(gateway)
    provider = _provider("stripe_card", gw)
    with uow:
        under_way = [
            p for p in payments_store.pending_remote(uow, order_id) if p.tender == "stripe_card"
        ]
    if under_way:
        raise PaymentsError("a card payment for this order is under way: cancel it first")
    order = _order(uow, order_id)
    row = _pick_reader(uow, reader, order.register_code)
    pending = _begin(uow, provider, order, amount_cents, row.stripe_id, staff_id)
    out, done = _send(uow, provider, pending)
    if done is not None and done.state != "succeeded":
        raise PaymentsError(f"order {order.number}: {out.message or done.state}")
    return CardCharge(
        pending.payment_id, order.id, order.number, pending.amount_cents, row.stripe_id, row.label
    )


def cancel_card(
    uow: UnitOfWork, order_id: int, *, gateway: StripeGateway | None = None
) -> CancelResult:
    """Clear the reader and cancel the PaymentIntent; a tap that won the race is kept."""
    return _cancel_remote(uow, order_id, "stripe_card", gateway)


def simulate_tap(
    reader_id: str, *, card_number: str | None = None, gateway: StripeGateway | None = None
) -> None:
    """Test mode only: a simulated reader plays the customer's tap (a declining card
    number, e.g. 4000000000000002, plays a decline)."""
    gw = stripe_gateway(gateway)
    if not gw.test_mode:
        raise PaymentsError("simulated taps are for test-mode keys only")
    try:
        gw.present_card(reader_id, card_number)
    except ProviderOfflineError as exc:
        raise _offline(exc) from exc
    except ProviderRejectedError as exc:
        raise PaymentsError(f"the reader did not take the tap: {exc}") from exc
