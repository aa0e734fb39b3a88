"""Taking money: Stripe QR and card reader, wallet links, cash, and refunds to the tender."""

# Every Stripe request is stored (key and exact parameters, in a pending payment) and
# committed before it is sent, so a dropped connection or a crash is recovered by sending it
# again and never charges twice. Functions that talk to Stripe block on the network: the GUI
# runs them (and `check_pending`, every ~2 s) on a worker thread with its own
# `UnitOfWork(engine)`, never on the GUI thread. Cash and wallet payments never touch the
# network, so Stripe being offline never blocks them.

from __future__ import annotations

import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from popup_pos.domain.errors import PosError
from popup_pos.domain.limits import LABEL_LENGTH, check_text
from popup_pos.payments import keys
from popup_pos.payments.base import (
    Charge,
    Outcome,
    Pending,
    ProviderAuthError,
    ProviderError,
    ProviderOfflineError,
    ProviderRejectedError,
    State,
    TenderProvider,
)
from popup_pos.payments.stripe_api import Reader, StripeGateway, default_api_base
from popup_pos.payments.stripe_card import StripeCardProvider
from popup_pos.payments.stripe_qr import StripeQrProvider
from popup_pos.payments.wallets import WALLETS, WalletLink, link
from popup_pos.services import audit, checkout
from popup_pos.services import settings as settings_service
from popup_pos.services.checkout import CheckoutError, OrderResult, RefundResult, TenderSpec
from popup_pos.store import payments as db
from popup_pos.store.uow import UnitOfWork

log = logging.getLogger(__name__)

SUCCESS_URL_ENV = "POPUP_POS_STRIPE_SUCCESS_URL"
# Poll a payment on every call (the worker calls about every 2 s) while it is fresh, then
# less often: a QR left on screen for minutes rarely gets paid in the next second.
FRESH_S = 180
SLOW_EVERY_S = 10
# A payment with no provider id this old is not being sent by anyone any more: it was cut
# off by a crash or a lost connection, and is recovered instead of waited for.
STALE_AFTER_S = 120


class PaymentsError(PosError):
    """A payment that cannot be taken, cancelled or refunded, with the reason."""


class StripeNotSetUpError(PaymentsError):
    """No Stripe key: Stripe tenders are unavailable; cash and wallets still work."""


class StripeOfflineError(PaymentsError):
    """Stripe cannot be reached; nothing is lost, and the answer is fetched later."""


# ---- results ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QrCharge:
    payment_id: int
    order_id: int
    order_number: str
    amount_cents: int
    url: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class CardCharge:
    payment_id: int
    order_id: int
    order_number: str
    amount_cents: int
    reader_id: str
    reader_label: str


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A pending payment (or refund) whose outcome just became known."""

    payment_id: int
    order_id: int
    order_number: str
    tender: str
    state: str  # succeeded | failed | cancelled, or for refunds: refund_sent | refund_failed
    order_status: str
    amount_cents: int
    message: str | None = None


@dataclass(frozen=True, slots=True)
class StripeStatus:
    """For the banner: `offline` only once a call has failed; `waiting` counts payments
    and refunds whose outcome is still to be fetched from Stripe."""

    configured: bool
    online: bool
    waiting: int
    message: str

    @property
    def banner(self) -> str | None:
        if not self.configured or self.online:
            return None
        n = self.waiting
        return f"Stripe is offline — {n} payment{'s' if n != 1 else ''} waiting to be checked"


@dataclass(frozen=True, slots=True)
class CancelResult:
    order_id: int
    order_number: str
    order_status: str
    paid: bool  # the customer paid before the cancel reached Stripe
    message: str


@dataclass(frozen=True, slots=True)
class ReaderInfo:
    stripe_id: str
    label: str
    device_type: str | None
    register_code: str | None
    status: str | None  # online | offline, None when Stripe was not asked


@dataclass(frozen=True, slots=True)
class StripeRefund:
    refund_id: int
    amount_cents: int
    state: str  # succeeded | pending | failed | waiting (not sent yet: offline)
    provider_id: str | None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class RefundReport:
    result: RefundResult
    stripe: tuple[StripeRefund, ...]

    @property
    def waiting(self) -> bool:
        return any(r.state == "waiting" for r in self.stripe)


@dataclass(frozen=True, slots=True)
class StripeCheck:
    key_masked: str
    key_source: str | None
    note: str | None
    test_mode: bool
    restricted: bool
    account_name: str | None
    readers: tuple[ReaderInfo, ...]


# ---- the connection ---------------------------------------------------------------------------


class _Health:
    """Whether the last Stripe call got through; shared by every thread of the app."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.online = True
        self.message = ""
        self.in_flight: set[int] = set()
        self.next_check: dict[int, float] = {}

    def ok(self) -> None:
        with self._lock:
            self.online, self.message = True, ""

    def failed(self, message: str) -> None:
        with self._lock:
            if self.online:
                log.warning("Stripe offline: %s", message)
            self.online, self.message = False, message

    @contextmanager
    def sending(self, payment_id: int) -> Iterator[None]:
        with self._lock:
            self.in_flight.add(payment_id)
        try:
            yield
        finally:
            with self._lock:
                self.in_flight.discard(payment_id)

    def busy(self, payment_id: int) -> bool:
        with self._lock:
            return payment_id in self.in_flight

    def due(self, payment_id: int, created_at: datetime, now: float) -> bool:
        with self._lock:
            if now < self.next_check.get(payment_id, 0.0):
                return False
            age = now - created_at.timestamp()
            self.next_check[payment_id] = now + (0 if age < FRESH_S else SLOW_EVERY_S)
            return True


class _StripeConnection:
    """The run's one link to Stripe, shared by every thread of the app: the key (read from
    the keyring once per run: some keyrings ask to be unlocked, which must not happen
    every two seconds, nor on the GUI thread after start-up), one client per key and API
    address (each holds its own HTTP connection pool), and whether the last call got
    through. `reset` forgets all three after the key or the address changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: keys.ApiKey | None = None
        self._gateways: dict[tuple[str, str | None], StripeGateway] = {}
        self.health = _Health()

    def key(self) -> keys.ApiKey:
        with self._lock:
            if self._key is None:
                self._key = keys.load()
            return self._key

    def gateway(self, key: str, base: str | None) -> StripeGateway:
        with self._lock:
            gw = self._gateways.get((key, base))
            if gw is None:
                gw = self._gateways[(key, base)] = StripeGateway(key, api_base=base)
            return gw

    def reset(self) -> None:
        with self._lock:
            self._gateways.clear()
            self._key = None
            self.health = _Health()


_CONNECTION = _StripeConnection()


def reset_connection() -> None:
    """Forget the cached key, clients and health (after the key or address changes)."""
    _CONNECTION.reset()


def stripe_gateway(gateway: StripeGateway | None = None) -> StripeGateway:
    """The client for the stored key (keyring, else STRIPE_API_KEY), made once per key."""
    if gateway is not None:
        return gateway
    key = _CONNECTION.key()
    if not key.value:
        raise StripeNotSetUpError(key.note or "no Stripe key is set up")
    return _CONNECTION.gateway(key.value, default_api_base())


def _provider(tender: str, gateway: StripeGateway) -> TenderProvider:
    if tender == "stripe_qr":
        return StripeQrProvider(gateway, success_url=os.environ.get(SUCCESS_URL_ENV) or None)
    if tender == "stripe_card":
        return StripeCardProvider(gateway)
    raise PaymentsError(f"{tender} payments are not checked with a provider")


def _offline(exc: ProviderOfflineError) -> StripeOfflineError:
    _CONNECTION.health.failed(str(exc))
    return StripeOfflineError(
        f"{exc}. Nothing is lost: it is checked again when Stripe is back. "
        "Cash and wallet payments still work."
    )


def stripe_status(uow: UnitOfWork) -> StripeStatus:
    """Cheap (one count, no network): safe to call from the GUI thread."""
    with uow:
        waiting = db.waiting_count(uow.conn)
    key = _CONNECTION.key()
    if not key.value:
        return StripeStatus(False, False, waiting, key.note or "Stripe is not set up")
    if _CONNECTION.health.online:
        return StripeStatus(True, True, waiting, "Stripe is online")
    return StripeStatus(True, False, waiting, _CONNECTION.health.message or "Stripe is offline")


# ---- orders and attempts --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Order:
    id: int
    number: str
    currency: str
    due_cents: int
    shop_name: str
    register_code: str


def _order(uow: UnitOfWork, order_id: int) -> _Order:
    with uow:
        row = db.order_for_charge(uow.conn, order_id)
    if row is None:
        raise PaymentsError(f"no order {order_id}")
    if row.status != "awaiting_payment":
        raise PaymentsError(f"order {row.number} is {row.status.replace('_', ' ')}")
    # PostgreSQL sums BIGINT to NUMERIC: back to int before it goes into a request.
    due = int(row.total_cents) - int(row.paid_cents) - int(row.pending_cents)
    return _Order(row.id, row.number, row.currency, due, row.event_name, row.register_code)


def _attempt(uow: UnitOfWork, order: _Order) -> str:
    with uow:
        n = db.attempts_of(uow.conn, order.id) + 1
    # The random part keeps keys unique across databases sharing one Stripe account (a
    # demo database, a fresh install): Stripe would otherwise replay an old answer.
    return f"{order.number}_{n}_{secrets.token_hex(6)}"


def _pending(row: Any) -> Pending:
    return Pending(
        payment_id=row.id,
        order_id=row.order_id,
        order_number=row.number,
        amount_cents=row.amount_cents,
        provider_id=row.provider_id,
        idempotency_key=row.idempotency_key,
        request=dict(row.request or {}),
        created_at=row.created_at,
    )


def _begin(
    uow: UnitOfWork,
    provider: TenderProvider,
    order: _Order,
    amount_cents: int | None,
    reader_id: str | None,
    staff_id: int | None,
) -> Pending:
    amount = order.due_cents if amount_cents is None else amount_cents
    if amount <= 0 or amount > order.due_cents:
        raise PaymentsError(
            f"order {order.number}: the amount must be between 0 and the "
            f"{order.due_cents} still due"
        )
    charge = Charge(
        order.id,
        order.number,
        amount,
        order.currency,
        order.shop_name,
        _attempt(uow, order),
        reader_id,
    )
    prepared = provider.prepare(charge)
    payment_id = checkout.begin_payment(
        uow,
        order.id,
        provider.tender,
        amount,
        idempotency_key=str(prepared.idempotency_key),
        request=prepared.request,
        staff_id=staff_id,
    )
    with uow:
        row = db.pending_remote_one(uow.conn, payment_id)
    assert row is not None
    return _pending(row)


def _apply(uow: UnitOfWork, pending: Pending, tender: str, out: Outcome) -> StatusChange | None:
    """Record what the provider said; None while the payment is still pending."""
    try:
        if out.state is State.SUCCEEDED:
            res = checkout.complete_payment(
                uow,
                pending.payment_id,
                provider_id=out.provider_id,
                fee_cents=out.fee_cents,
                reference=out.reference,
            )
            status = res.status
        elif out.state in (State.FAILED, State.CANCELLED):
            if out.provider_id and out.provider_id != pending.provider_id:
                checkout.note_provider_id(uow, pending.payment_id, out.provider_id)
            checkout.end_payment(uow, pending.payment_id, out.state.value)
            status = checkout.get_order(uow, pending.order_id).status
        else:
            if out.provider_id and out.provider_id != pending.provider_id:
                checkout.note_provider_id(uow, pending.payment_id, out.provider_id)
            return None
    except CheckoutError as exc:
        # Another thread or register settled it first; its answer stands.
        log.info("payment %s already settled: %s", pending.payment_id, exc)
        return None
    log.info(
        "payment %s (%s, order %s): %s",
        pending.payment_id,
        tender,
        pending.order_number,
        out.state.value,
    )
    return StatusChange(
        pending.payment_id,
        pending.order_id,
        pending.order_number,
        tender,
        out.state.value,
        str(status),
        pending.amount_cents,
        out.message,
    )


def _send(
    uow: UnitOfWork, provider: TenderProvider, pending: Pending
) -> tuple[Outcome, StatusChange | None]:
    noted: list[str] = []

    def note_id(provider_id: str) -> None:
        checkout.note_provider_id(uow, pending.payment_id, provider_id)
        noted.append(provider_id)

    with _CONNECTION.health.sending(pending.payment_id):
        try:
            out = provider.send(pending, note_id)
        except ProviderOfflineError as exc:
            if not noted:
                # Nothing known reached Stripe and the customer was shown nothing: this
                # attempt is over. (If it did arrive, no one can pay what they never saw.)
                checkout.end_payment(uow, pending.payment_id, "cancelled")
            raise _offline(exc) from exc
        except ProviderError:
            if not noted:
                checkout.end_payment(uow, pending.payment_id, "failed")
            raise
    _CONNECTION.health.ok()
    if noted and not out.provider_id:
        out = Outcome(out.state, provider_id=noted[-1], url=out.url, message=out.message)
    if noted:
        pending = replace(pending, provider_id=noted[-1])
    return out, _apply(uow, pending, provider.tender, out)


# ---- Stripe QR --------------------------------------------------------------------------------


def charge_by_qr(
    uow: UnitOfWork,
    order_id: int,
    *,
    amount_cents: int | None = None,
    staff_id: int | None = None,
    gateway: StripeGateway | None = None,
) -> QrCharge:
    """A Checkout Session for what the order still owes (or `amount_cents` of it, for a
    split); its URL goes on the customer display as a QR. The order keeps awaiting
    payment; `check_pending` reports when it is paid. Asking again while the QR is still
    open gives the same QR: one session per order at a time."""
    gw = stripe_gateway(gateway)
    provider = _provider("stripe_qr", gw)
    with uow:
        open_qr = [p for p in db.pending_remote(uow.conn, order_id) if p.tender == "stripe_qr"]
    if open_qr and open_qr[-1].provider_id:
        pending = _pending(open_qr[-1])
        try:
            out = provider.check(pending)
        except ProviderOfflineError as exc:
            raise _offline(exc) from exc
        _CONNECTION.health.ok()
        if out.state is State.PENDING and out.url:
            return _qr(pending, out)
        if done := _apply(uow, pending, provider.tender, out):
            raise PaymentsError(f"order {done.order_number}: the QR payment {done.state}")
    if open_qr and not open_qr[-1].provider_id:
        raise PaymentsError("a QR for this order is still being made: try again in a moment")
    order = _order(uow, order_id)
    pending = _begin(uow, provider, order, amount_cents, None, staff_id)
    out, done = _send(uow, provider, pending)
    if done is not None or out.state is not State.PENDING or not out.url:
        why = out.message or (done.state if done else "no QR came back")
        raise PaymentsError(f"order {order.number}: the QR could not be made ({why})")
    return _qr(pending, out)


def _qr(pending: Pending, out: Outcome) -> QrCharge:
    expires = int(pending.request.get("expires_at") or out.expires_at or 0)
    return QrCharge(
        pending.payment_id,
        pending.order_id,
        pending.order_number,
        pending.amount_cents,
        str(out.url),
        datetime.fromtimestamp(expires, UTC),
    )


def cancel_qr(
    uow: UnitOfWork, order_id: int, *, gateway: StripeGateway | None = None
) -> CancelResult:
    """Take the QR off: its session is expired at Stripe. If the customer paid just as the
    seller cancelled, Stripe refuses to expire it and the order ends up paid instead."""
    return _cancel_remote(uow, order_id, "stripe_qr", gateway)


def _cancel_remote(
    uow: UnitOfWork, order_id: int, tender: str, gateway: StripeGateway | None
) -> CancelResult:
    gw = stripe_gateway(gateway)
    provider = _provider(tender, gw)
    with uow:
        rows = [p for p in db.pending_remote(uow.conn, order_id) if p.tender == tender]
    paid = False
    for row in rows:
        pending = _pending(row)
        try:
            out = provider.cancel(pending)
        except ProviderOfflineError as exc:
            raise _offline(exc) from exc
        _CONNECTION.health.ok()
        done = _apply(uow, pending, tender, out)
        paid = paid or bool(done and done.state == "succeeded")
    view = checkout.get_order(uow, order_id)
    if paid:
        message = f"order {view.number} was paid just as it was cancelled: hand it over"
    elif rows:
        message = f"order {view.number}: payment cancelled"
    else:
        message = f"order {view.number} had no {tender.replace('_', ' ')} payment under way"
    return CancelResult(view.id, view.number, view.status, paid, message)


# ---- card reader --------------------------------------------------------------------------


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
        db.upsert_reader(
            uow.conn,
            {
                "stripe_id": reader.id,
                "label": reader.label,
                "device_type": reader.device_type,
                "register_code": code,
            },
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
        rows = db.all_readers(uow.conn)
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
        conn = uow.conn
        if reader:
            row = db.reader_by_stripe_id(conn, reader) or db.reader_by_label(conn, reader)
            if row is None:
                raise PaymentsError(f"no card reader {reader!r}: register it first")
            return row
        mine = db.readers_for_register(conn, register_code)
        every = db.all_readers(conn)
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
        under_way = [p for p in db.pending_remote(uow.conn, order_id) if p.tender == "stripe_card"]
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


# ---- checking and recovering ---------------------------------------------------------------


def check_pending(
    uow: UnitOfWork, *, force: bool = False, gateway: StripeGateway | None = None
) -> list[StatusChange]:
    """Ask Stripe about every pending payment that is due a check, and send refunds still
    waiting to go. What a worker thread runs every ~2 s; it stops at the first sign that
    Stripe is unreachable (see `stripe_status`). With no key set up it does nothing."""
    now = time.time()

    def ask(pending: Pending, provider: TenderProvider) -> Outcome | None:
        if _CONNECTION.health.busy(pending.payment_id):
            return None
        age = now - pending.created_at.timestamp()
        if not pending.provider_id and age < STALE_AFTER_S:
            return None  # being sent right now, by this laptop or another
        if not force and not _CONNECTION.health.due(pending.payment_id, pending.created_at, now):
            return None
        return provider.check(pending) if pending.provider_id else provider.recover(pending)

    return _settle(uow, gateway, ask)


def reconcile_at_startup(
    uow: UnitOfWork, *, gateway: StripeGateway | None = None
) -> list[StatusChange]:
    """Settle what the last run left pending: each payment is looked up by its saved id;
    one with no id is found (QR: by listing sessions and matching the reference) or its
    saved request is resent with its saved key, so it is charged at most once."""
    return _settle(uow, gateway, lambda pending, provider: provider.recover(pending))


def _settle(
    uow: UnitOfWork,
    gateway: StripeGateway | None,
    ask: Callable[[Pending, TenderProvider], Outcome | None],
) -> list[StatusChange]:
    """Ask about each pending payment (`ask` may skip one by answering None), record what
    became known, then send refunds still waiting; stop at the first sign Stripe is out of
    reach. With no key set up it does nothing."""
    try:
        gw = stripe_gateway(gateway)
    except StripeNotSetUpError:
        return []
    changes: list[StatusChange] = []
    with uow:
        rows = db.pending_remote(uow.conn)
    try:
        for row in rows:
            pending = _pending(row)
            try:
                out = ask(pending, _provider(row.tender, gw))
            except ProviderRejectedError as exc:
                log.warning("payment %s: Stripe said %s", pending.payment_id, exc)
                continue
            if out is None:
                continue
            _CONNECTION.health.ok()
            if done := _apply(uow, pending, row.tender, out):
                changes.append(done)
        changes += [change for _, change in _send_refunds(uow, gw)]
    except ProviderOfflineError as exc:
        _offline(exc)
    except ProviderAuthError as exc:
        _CONNECTION.health.failed(str(exc))
    return changes


# ---- wallets and cash -----------------------------------------------------------------------


def wallet_handles(uow: UnitOfWork) -> dict[str, str]:
    """The wallets set up in settings, e.g. {"venmo": "merchtable"}."""
    handles = settings_service.get(uow, "wallets")
    return {w: str(h) for w, h in handles.items() if w in WALLETS and h}


def wallet_link(
    uow: UnitOfWork, order_id: int, wallet: str, *, amount_cents: int | None = None
) -> WalletLink:
    """The seller's wallet link for what the order owes, for the customer display's QR.
    Nothing is recorded: a helper confirms with `confirm_wallet` once the money shows."""
    handle = wallet_handles(uow).get(wallet)
    if not handle:
        raise PaymentsError(f"no {WALLETS.get(wallet, wallet)} handle is set up in settings")
    order = _order(uow, order_id)
    amount = order.due_cents if amount_cents is None else amount_cents
    if amount <= 0 or amount > order.due_cents:
        raise PaymentsError(f"the amount must be between 0 and the {order.due_cents} still due")
    return link(wallet, handle, amount, order.currency, f"{order.number} {order.shop_name}")


def confirm_wallet(
    uow: UnitOfWork,
    order_id: int,
    wallet: str,
    *,
    amount_cents: int | None = None,
    reference: str | None = None,
    staff_id: int | None = None,
    actor: str | None = None,
    hand_over: bool = False,
) -> OrderResult:
    """A helper saw the money arrive in the wallet app: record it as a wallet tender, with
    the wallet's name and (optionally) the sender or transaction note as the reference.

    `hand_over`: confirmed while the customer is at the table, so a covered order is handed
    over at once; confirmed later (from the queue), it waits in *Paid — hand over*."""
    if wallet not in WALLETS:
        raise PaymentsError(f"unknown wallet {wallet!r}: use venmo, cashapp or paypal")
    _no_overlap(uow, order_id, amount_cents)
    ref = WALLETS[wallet] + (f": {reference.strip()}" if reference and reference.strip() else "")
    return checkout.add_payment(
        uow,
        order_id,
        TenderSpec("wallet", amount_cents, reference=ref[:200]),
        staff_id=staff_id,
        actor=actor,
        hand_over=hand_over,
    )


def _no_overlap(uow: UnitOfWork, order_id: int, amount_cents: int | None) -> None:
    """Refuse money that, with a Stripe payment still under way, could pay the order
    twice (a QR on the customer's phone can still be paid)."""
    with uow:
        row = db.order_for_charge(uow.conn, order_id)
    if row is None or not row.pending_cents:
        return
    due = int(row.total_cents) - int(row.paid_cents)
    if (amount_cents if amount_cents is not None else due) > due - int(row.pending_cents):
        raise PaymentsError(f"order {row.number} has a Stripe payment under way: cancel it first")


def pay_cash(
    uow: UnitOfWork,
    order_id: int,
    *,
    amount_cents: int | None = None,
    tendered_cents: int | None = None,
    staff_id: int | None = None,
    actor: str | None = None,
    hand_over: bool = False,
) -> OrderResult:
    """Cash for an order awaiting payment (the rest of a split, say); never needs Stripe.
    `hand_over` as for `confirm_wallet`."""
    _no_overlap(uow, order_id, amount_cents)
    return checkout.add_payment(
        uow,
        order_id,
        TenderSpec("cash", amount_cents, tendered_cents),
        staff_id=staff_id,
        actor=actor,
        hand_over=hand_over,
    )


def cancel_order(
    uow: UnitOfWork,
    order_id: int,
    *,
    reason: str | None = None,
    actor: str | None = None,
    gateway: StripeGateway | None = None,
) -> CancelResult:
    """The one door to cancel an unpaid order, whatever paid for it. Any Stripe payment
    under way is stopped first (one that was paid in the meantime wins: the order is then
    paid, not cancelled); then the stock goes back and part payments are handed back,
    card and QR ones through Stripe. An order Stripe never touched needs no key nor
    network."""
    with uow:
        tenders = {p.tender for p in db.pending_remote(uow.conn, order_id)}
    for tender in sorted(tenders):
        res = _cancel_remote(uow, order_id, tender, gateway)
        if res.paid or res.order_status != "awaiting_payment":
            return res
    result = checkout._cancel_order(uow, order_id, reason=reason, actor=actor)
    with uow:
        unsent = db.unsent_refunds(uow.conn, order_id)
    if unsent:
        try:
            _send_refunds(uow, stripe_gateway(gateway), order_id)
        except (StripeNotSetUpError, ProviderAuthError) as exc:
            # Recorded here already; it is sent once the key works again.
            log.warning("cancel of %s not refunded at Stripe yet: %s", result.number, exc)
        except ProviderOfflineError as exc:
            _offline(exc)
    return CancelResult(result.order_id, result.number, result.status, False, "order cancelled")


# ---- refunds --------------------------------------------------------------------------------


def refund_to_tenders(
    uow: UnitOfWork,
    order_id: int,
    *,
    lines: Mapping[int, int] | None = None,
    amount_cents: int | None = None,
    return_to_stock: bool = False,
    reason: str | None = None,
    actor: str | None = None,
    gateway: StripeGateway | None = None,
) -> RefundReport:
    """The one door to refund a paid order, whatever paid for it: some lines (line id →
    quantity), a plain amount, or (neither) everything still unrefunded; the money goes
    back to the tenders it came from, newest first, and with `return_to_stock` refunded
    units go back on the shelf. The Stripe part is then sent to Stripe, each refund row
    with its own key so a resend never refunds twice. Offline, it waits (state "waiting")
    and `check_pending` sends it later. A refund Stripe refuses comes back "failed" with
    the reason: the money must then be given back another way. An order Stripe never
    touched needs no key nor network."""
    result = checkout._refund(
        uow,
        order_id,
        lines=lines,
        amount_cents=amount_cents,
        return_to_stock=return_to_stock,
        reason=reason,
        actor=actor,
    )
    with uow:
        unsent = {r.id: r for r in db.unsent_refunds(uow.conn, order_id)}
    sent: list[StripeRefund] = []
    if unsent:
        try:
            gw = stripe_gateway(gateway)
            sent += [refund for refund, _ in _send_refunds(uow, gw, order_id)]
        except (StripeNotSetUpError, ProviderAuthError) as exc:
            # Recorded here already; it is sent once the key works again.
            log.warning("refund on %s not sent to Stripe: %s", result.number, exc)
        except ProviderOfflineError as exc:
            _offline(exc)
    done = {r.refund_id for r in sent}
    sent += [
        StripeRefund(rid, r.amount_cents, "waiting", None, "Stripe is offline: sent later")
        for rid, r in unsent.items()
        if rid not in done
    ]
    return RefundReport(result, tuple(sent))


def refund_key(payment_key: str | None, payment_id: int, refund_id: int) -> str:
    """Derived from the payment's key and the refund row's id: unique, and the same on a
    resend after a crash."""
    return f"{payment_key or f'popup-pos_payment{payment_id}'}_refund{refund_id}"


def _send_refunds(
    uow: UnitOfWork, gw: StripeGateway, order_id: int | None = None
) -> list[tuple[StripeRefund, StatusChange]]:
    """Send refunds recorded against Stripe tenders and not yet acknowledged. In each
    StatusChange, `payment_id` is the refund row's id."""
    with uow:
        rows = db.unsent_refunds(uow.conn, order_id)
    changes: list[tuple[StripeRefund, StatusChange]] = []
    for r in rows:
        provider = _provider(r.tender, gw)
        key = refund_key(r.payment_key, r.payment_id, r.id)
        try:
            out = provider.refund(r.payment_provider_id, r.amount_cents, idempotency_key=key)
        except ProviderRejectedError as exc:
            out_state, provider_id, why = State.FAILED, None, str(exc)
        else:
            out_state, provider_id, why = out.state, out.provider_id, out.message or ""
        _CONNECTION.health.ok()
        status = "failed" if out_state is State.FAILED else out_state.value
        with uow:
            db.update_refund(uow.conn, r.id, provider_id=provider_id, status=status)
            audit.record(
                uow,
                f"refund.stripe_{status}",
                "order",
                r.number,
                {"refund": r.id, "amount": r.amount_cents, "stripe": provider_id, "why": why},
            )
            uow.commit()
        if out_state is State.FAILED:
            log.warning("refund %s on %s failed at Stripe: %s", r.id, r.number, why)
        order_status = checkout.get_order(uow, r.order_id).status
        refund = StripeRefund(r.id, r.amount_cents, status, provider_id, why)
        change = StatusChange(
            r.id,
            r.order_id,
            r.number,
            r.tender,
            "refund_failed" if out_state is State.FAILED else "refund_sent",
            order_status,
            r.amount_cents,
            why,
        )
        changes.append((refund, change))
    return changes


# ---- key and account --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """The key as the seller may see it: masked, with where it came from."""

    masked: str
    source: str | None  # keyring | environment | None
    note: str | None


def key_info() -> KeyInfo:
    key = keys.load()
    return KeyInfo(key.masked, key.source, key.note)


def set_key(key: str) -> KeyInfo:
    """Store the Stripe key in the OS keyring (never in the database or a file)."""
    try:
        stored = keys.store(key)
    except keys.ApiKeyError as exc:
        raise PaymentsError(str(exc)) from None
    reset_connection()
    return KeyInfo(stored.masked, stored.source, None)


def forget_key() -> bool:
    """Remove the key from the OS keyring; False when none was stored there."""
    try:
        gone = keys.forget()
    except keys.ApiKeyError as exc:
        raise PaymentsError(str(exc)) from None
    reset_connection()
    return gone


def check_stripe(uow: UnitOfWork, *, gateway: StripeGateway | None = None) -> StripeCheck:
    """Whether the key works (the account, or for a restricted key a call it needs) and
    which readers the account has."""
    key = _CONNECTION.key()
    gw = stripe_gateway(gateway)
    try:
        account = gw.account()
        readers = gw.readers()
    except ProviderOfflineError as exc:
        raise _offline(exc) from exc
    except ProviderAuthError as exc:
        _CONNECTION.health.failed(str(exc))
        raise PaymentsError(str(exc)) from exc
    _CONNECTION.health.ok()
    with uow:
        known = {r.stripe_id: r for r in db.all_readers(uow.conn)}
    infos = tuple(
        ReaderInfo(
            r.id,
            r.label,
            r.device_type,
            known[r.id].register_code if r.id in known else None,
            r.status,
        )
        for r in readers
    )
    return StripeCheck(
        key.masked if gateway is None else "given",
        key.source if gateway is None else None,
        key.note if gateway is None else None,
        gw.test_mode,
        gw.restricted,
        account.name,
        infos,
    )


_SESSION_ID = re.compile(r"\b(cs_(?:test|live)_[A-Za-z0-9]+)")


def order_for_scan(uow: UnitOfWork, code: str) -> int | None:
    """The order whose payment QR was scanned: the QR is also the order's ticket."""
    match = _SESSION_ID.search(code)
    if match is None:
        return None
    with uow:
        return db.order_by_reference(uow.conn, match.group(1))


def wallet_label(wallet: str) -> str:
    """'venmo' -> 'Venmo', for buttons and messages."""
    return WALLETS.get(wallet, wallet)
