"""What a signed-in phone does: sell, hand over, run the ticket queue, each at most once."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from popup_pos.domain.errors import PosError
from popup_pos.services import catalog, checkout, payments, tickets
from popup_pos.services import queue as order_queue
from popup_pos.services.devices import Phone, check_signed_in
from popup_pos.store import devices as devices_store
from popup_pos.store.uow import UnitOfWork

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_LINES = 50


class PhoneError(PosError):
    """A phone's request that cannot go ahead, with the reason."""


class StillRunningError(PhoneError):
    """The same request (by its key) is being carried out right now."""


@dataclass(frozen=True, slots=True)
class SaleLine:
    sku: str
    quantity: int = 1
    personalisation: str | None = None


def check_key(key: str | None) -> str:
    if key is None or not KEY_PATTERN.fullmatch(key):
        raise PhoneError("missing or malformed Idempotency-Key header (8 to 64 letters or digits)")
    return key


def once(
    uow: UnitOfWork, phone: Phone, key: str, run: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """Run a change once per idempotency key: a retry (the phone lost the answer) gets the
    first answer back instead of a second sale.

    The phone still signed in, the key, the change and its answer are one transaction: a
    change is never durable without the answer a retry is given, one that fails leaves its
    key free, and a phone signed out while its request waited for the writer is refused.
    The key is claimed first, so a second copy of the request arriving meanwhile waits for
    the first and then gets its answer.
    """
    key = check_key(key)
    with uow.joined():
        check_signed_in(uow, phone)
        if not devices_store.claim_request(uow, phone.device_id, key, datetime.now(UTC)):
            stored = devices_store.request_of(uow, phone.device_id, key)
            if stored is not None and stored.status == "done" and stored.response is not None:
                return stored.response
            raise StillRunningError("this request is still being carried out: try again")
        response = run()
        devices_store.finish_request(uow, phone.device_id, key, response)
        uow.commit()
    return response


def _cart(lines: Sequence[SaleLine], customer: str | None) -> checkout.Cart:
    if not lines:
        raise PhoneError("the cart is empty")
    if len(lines) > MAX_LINES:
        raise PhoneError(f"a cart holds at most {MAX_LINES} lines")
    return checkout.Cart(
        tuple(
            checkout.CartLine(ln.sku, ln.quantity, personalisation=ln.personalisation)
            for ln in lines
        ),
        customer=(customer or "").strip() or None,
    )


def _sale(result: checkout.OrderResult) -> dict[str, Any]:
    return {
        "order": result.number,
        "status": str(result.status),
        "total_cents": result.total_cents,
        "paid_cents": result.paid_cents,
        "change_cents": result.change_cents,
        "editions": {sku: list(n) for sku, n in result.edition_numbers.items()},
        "codes": [c.code for c in result.codes],
    }


def sell_cash(
    uow: UnitOfWork,
    phone: Phone,
    key: str,
    lines: Sequence[SaleLine],
    *,
    tendered: int | None = None,
    customer: str | None = None,
) -> dict[str, Any]:
    """A cash sale on the phone's own register, handed over at once: the customer is there.
    The cash is recorded against the phone's register and helper, for the cash-up."""
    cart = _cart(lines, customer)

    def run() -> dict[str, Any]:
        tender = checkout.TenderSpec("cash", tendered=tendered)
        result = checkout.sell(
            uow,
            phone.register_id,
            cart,
            (tender,),
            staff_id=phone.staff_id,
            actor=phone.staff_name,
            hand_over=True,
        )
        return _sale(result)

    return once(uow, phone, key, run)


def place_for_payment(
    uow: UnitOfWork,
    phone: Phone,
    key: str,
    lines: Sequence[SaleLine],
    *,
    customer: str | None = None,
) -> dict[str, Any]:
    """An order waiting for a wallet or Stripe payment, its stock held meanwhile."""
    cart = _cart(lines, customer)

    def run() -> dict[str, Any]:
        result = checkout.place_order(
            uow, phone.register_id, cart, staff_id=phone.staff_id, actor=phone.staff_name
        )
        return _sale(result)

    return once(uow, phone, key, run)


def _order_ref(uow: UnitOfWork, code: str) -> int | str:
    """A typed number ('p1-7', 'A-0042') or a scanned payment QR, as an order reference."""
    text = code.strip()
    scanned = payments.order_for_scan(uow, text)
    if scanned is not None:
        return scanned
    m = re.fullmatch(r"([A-Za-z][A-Za-z0-9]{0,3})-?(\d{1,6})", text)
    if m:
        return f"{m.group(1).upper()}-{int(m.group(2)):04d}"
    return text


def find_order(uow: UnitOfWork, code: str) -> dict[str, Any]:
    """What to hand over for an order scanned or typed on the phone."""
    try:
        view = checkout.get_order(uow, _order_ref(uow, code))
    except checkout.CheckoutError as e:
        raise PhoneError(f"no order {code.strip()[:40]!r}") from e
    return {
        "id": view.id,
        "order": view.number,
        "status": view.status,
        "total_cents": view.total_cents,
        "paid_cents": view.paid_cents,
        "currency": view.currency,
        "lines": [
            {
                "sku": ln.sku,
                "name": ln.name,
                "quantity": ln.quantity,
                "editions": ln.edition_numbers,
                "personalisation": ln.personalisation,
            }
            for ln in view.lines
        ],
    }


def hand_over(uow: UnitOfWork, phone: Phone, key: str, code: str) -> dict[str, Any]:
    """Mark a paid order handed over, under the helper's name."""

    def run() -> dict[str, Any]:
        order = find_order(uow, code)
        if order["status"] == "fulfilled":
            raise PhoneError(f"order {order['order']} was already handed over")
        if order["status"] != "paid":
            state = order["status"].replace("_", " ")
            raise PhoneError(f"order {order['order']} is {state}: not ready to hand over")
        checkout.mark_fulfilled(uow, order["id"], actor=phone.staff_name)
        return {**order, "status": "fulfilled"}

    return once(uow, phone, key, run)


def stock(uow: UnitOfWork) -> dict[str, Any]:
    """Every sellable variant with what is left, and the catalog's version for polling."""
    views = catalog.snapshot(uow)
    return {
        "version": catalog.version(uow),
        "items": [
            {
                "sku": v.sku,
                "barcode": v.barcode,
                "product": v.product_name,
                "label": v.label,
                "options": v.options,
                "kind": v.kind,
                "price_cents": v.price_cents,
                "available": v.available,
                "sold_out": v.sold_out,
                "low_stock": v.low_stock,
                "per_order_limit": v.per_order_limit,
                "per_person_limit": v.per_person_limit,
                "edition_size": v.edition_size,
                "personalisation_prompt": v.personalisation_prompt,
            }
            for v in views
            if v.price_cents is not None
        ],
    }


def queue(uow: UnitOfWork) -> dict[str, Any]:
    """The ticket queue (waiting and called tickets) and the orders at the table
    (paid and waiting to be handed over, or waiting for payment), oldest first."""
    state = tickets.state(uow)
    orders = order_queue.orders_for_queue(uow)
    return {
        "to_hand_over": [{"order": r[1], "total_cents": r[3]} for r in orders["paid"]],
        "awaiting_payment": [
            {"order": r[1], "total_cents": r[3]} for r in orders["awaiting_payment"]
        ],
        "waiting": state.waiting,
        "called": state.called,
        "tickets": [
            {
                "code": t.code,
                "id": t.id,
                "order": t.number,
                "name": t.name,
                "personalisation": t.personalisation,
                "status": t.status,
            }
            for t in state.tickets
            if t.status in ("waiting", "called")
        ],
    }


def call_next(uow: UnitOfWork, phone: Phone, key: str) -> dict[str, Any]:
    def run() -> dict[str, Any]:
        ticket_id = tickets.call_next(uow, phone.staff_name)
        return {"called": None if ticket_id is None else tickets.ticket_code(ticket_id)}

    return once(uow, phone, key, run)


def move_ticket(
    uow: UnitOfWork, phone: Phone, key: str, ticket_id: int, status: str
) -> dict[str, Any]:
    if status not in ("called", "done", "no_show"):
        raise PhoneError(
            f"a ticket can be marked called, done or no_show here, not {status[:20]!r}"
        )

    def run() -> dict[str, Any]:
        if status == "called":  # its slip was scanned: called, or left called
            tickets.call(uow, ticket_id, phone.staff_name)
        else:
            tickets.move(uow, ticket_id, status, phone.staff_name)
        return {"ticket": tickets.ticket_code(ticket_id), "status": status}

    return once(uow, phone, key, run)


def payment_qr(uow: UnitOfWork, phone: Phone, code: str, method: str) -> dict[str, Any]:
    """The link the customer scans to pay an order placed on the phone: a wallet's
    ('wallet:venmo') or a Stripe Checkout page ('stripe'). Asking again gives the same."""
    order = find_order(uow, code)
    if order["status"] != "awaiting_payment":
        raise PhoneError(f"order {order['order']} is {order['status'].replace('_', ' ')}")
    if method == "stripe":
        charge = payments.charge_by_qr(uow, order["id"], staff_id=phone.staff_id)
        return {"order": order["order"], "url": charge.url, "label": "Card (Stripe)"}
    wallet = method.removeprefix("wallet:")
    if not method.startswith("wallet:") or not wallet:
        raise PhoneError(f"unknown payment method {method[:30]!r}: use stripe or wallet:NAME")
    link = payments.wallet_link(uow, order["id"], wallet)
    return {"order": order["order"], "url": link.url, "label": link.label}


def wallets(uow: UnitOfWork) -> list[str]:
    """The wallets with a handle set up, for the phone's tender keys."""
    return sorted(payments.wallet_handles(uow))


def wallet_received(
    uow: UnitOfWork, phone: Phone, key: str, code: str, wallet: str
) -> dict[str, Any]:
    """The helper saw the customer's wallet payment arrive: recorded as a wallet tender
    under the helper's name, and handed over at once (the customer is at the phone)."""

    def run() -> dict[str, Any]:
        order = find_order(uow, code)
        result = payments.confirm_wallet(
            uow,
            order["id"],
            wallet,
            staff_id=phone.staff_id,
            actor=phone.staff_name,
            hand_over=True,
        )
        return _sale(result)

    return once(uow, phone, key, run)
