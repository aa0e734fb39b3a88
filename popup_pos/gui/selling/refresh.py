"""Keeping the screen current: the catalog, the once-a-second snapshot, holds and Stripe."""

from __future__ import annotations

import gc
import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money
from popup_pos.gui.lazy import Deferred
from popup_pos.gui.worker import run_in_background
from popup_pos.services.views import VariantView

if TYPE_CHECKING:
    from popup_pos.gui.main_window import MainWindow
    from popup_pos.services import (
        catalog,
        checkout,
        database,
        event_terms,
        payments,
        permissions,
        queue,
        tickets,
    )
    from popup_pos.store.uow import UnitOfWork
else:
    # Deferred: they load SQLAlchemy and the models, after the first paint.
    catalog = Deferred("popup_pos.services.catalog")
    event_terms = Deferred("popup_pos.services.event_terms")
    checkout = Deferred("popup_pos.services.checkout")
    database = Deferred("popup_pos.services.database")
    payments = Deferred("popup_pos.services.payments")
    permissions = Deferred("popup_pos.services.permissions")
    queue = Deferred("popup_pos.services.queue")
    tickets = Deferred("popup_pos.services.tickets")

REFRESH_MS = 1000
STRIPE_POLL_MS = 2000
HOLD_CHECK_MS = 30_000


def start_refreshing(self: MainWindow) -> None:
    """The first refresh now, on a worker, then the periodic ones."""
    self.refresh_in_background()
    self._timer.start(REFRESH_MS)
    self._hold_timer.start(HOLD_CHECK_MS)
    self._stripe_timer.start(STRIPE_POLL_MS)


def load_catalog(self: MainWindow, variants: list[VariantView] | None = None) -> None:
    """Show `variants`, or the catalog as the database has it now."""
    if variants is None:
        variants = catalog.snapshot(self.uow)
    self._index(variants)
    self.model.set_variants(variants)
    current = self.categories.tabText(self.categories.currentIndex())
    self.categories.blockSignals(True)
    while self.categories.count():
        self.categories.removeTab(0)
    for name in ["All", *self.model.categories()]:
        self.categories.addTab(name)
    self.categories.blockSignals(False)
    names = [self.categories.tabText(i) for i in range(self.categories.count())]
    self.categories.setCurrentIndex(names.index(current) if current in names else 0)


def _index(self: MainWindow, variants: list[VariantView]) -> None:
    self.by_id = {v.id: v for v in variants}
    self.by_code = {}
    for v in variants:
        self.by_code[v.sku.upper()] = v
        if v.barcode:
            self.by_code[v.barcode] = v


def refresh(self: MainWindow) -> None:
    """Stock badges and queues now, after this register's own action (a fast local read)."""
    self._direct_reads += 1
    try:
        self._show_snapshot(_read_screen(self.uow))
    except PosError as exc:
        self._show_error(exc)


def refresh_in_background(self: MainWindow) -> None:
    """The once-a-second refresh (other registers' sales on a shared PostgreSQL): read
    on a worker, so a slow network never stalls the screen or splits a scan."""
    if self._refreshing:
        return
    self._refreshing = True
    reader = database.for_worker(self.uow, read_only=True)
    started = self._direct_reads

    def done(snapshot: _ScreenData) -> None:
        self._refreshing = False
        # Read before this register's own last action was shown: showing it would
        # bring back, for a second, an order just placed or cancelled.
        if self._direct_reads == started:
            self._show_snapshot(snapshot)

    def failed(exc: BaseException) -> None:
        self._refreshing = False
        self._show_error(exc)

    first = not self._shown_once

    def read() -> _ScreenData:
        if first:
            # The QR module (and the qrcode library) takes a tenth of a second to import:
            # here, on the worker, not on the GUI thread when the first customer pays.
            importlib.import_module("popup_pos.gui.qr")
        return _read_screen(reader)

    run_in_background(read, done, failed, parent=self)


def _show_snapshot(self: MainWindow, data: _ScreenData) -> None:
    if not self._shown_once:
        # The catalog, the database stack and the widgets live as long as the window:
        # leaving them out of the collector's full passes keeps those passes from
        # freezing the screen for a tenth of a second in the middle of a sale.
        gc.freeze()
    self._shown_once = True
    changed = self._apply_levels(data.levels)
    if changed:
        self.model.update_variants(changed)
        self.cart.refresh(changed)
    self.orders.show_orders(data.orders)
    self.note_queue(sum(len(data.orders.get(k, [])) for k in ("awaiting_payment", "paid")))
    self.gigs.show_tickets(data.gigs)
    self.model.set_gig_badges({vid: p.badge for vid, p in data.gigs.places.items()})
    if data.gigs.walk_in_minutes != self.gig_wait:
        self.gig_wait = data.gigs.walk_in_minutes
        if self.customer is not None and self.order_id is None and not self.cart.empty:
            self.customer.show_cart(self.cart, self._wait_note())
    self.panel.set_stripe_ready(data.stripe.configured)
    if data.tips != self.panel.tips.presets:
        # Tips turned on or off, or new presets, in Settings: the keys follow.
        self.panel.tips.set_presets(data.tips)
        if self.order_id is None:
            self.show_cart()
    self.panel.set_wallet_ready(
        data.wallets, "No wallet set up: add a Venmo, Cash App or PayPal handle in Settings"
    )
    self.banner.setText(data.stripe.banner or "")
    self.banner.setVisible(bool(data.stripe.banner))
    if data.limits != self.limits:
        self.limits = self.cart.limits = data.limits
    if self._catalog_version is None:
        self._catalog_version = data.catalog_version
    elif data.catalog_version != self._catalog_version:
        self.reload_catalog(data.catalog_version)


def reload_catalog(self: MainWindow, version: str) -> None:
    """The catalog changed elsewhere (the CLI, another register): read it on a worker and
    show it, so new products scan and prices are current without a restart."""
    if self._reloading_catalog:
        return
    self._reloading_catalog = True
    reader = database.for_worker(self.uow, read_only=True)

    def done(variants: list[VariantView]) -> None:
        self._reloading_catalog = False
        self._catalog_version = version
        self.load_catalog(variants)
        self.cart.refresh(self.by_id)
        if self.order_id is None:
            self.show_cart()

    def failed(exc: BaseException) -> None:
        self._reloading_catalog = False
        self._show_error(exc)

    run_in_background(lambda: catalog.snapshot(reader), done, failed, parent=self)


def _show_error(self: MainWindow, exc: BaseException) -> None:
    self.banner.setText(str(exc))
    self.banner.show()


def _apply_levels(self: MainWindow, levels: dict[int, int | None]) -> dict[int, VariantView]:
    from dataclasses import replace

    changed: dict[int, VariantView] = {}
    for v in self.by_id.values():
        if v.parts:
            tracked = [(cid, q) for cid, q in v.parts if levels.get(cid) is not None]
            available = min(int(levels[cid] or 0) // q for cid, q in tracked) if tracked else None
            on_hand = v.on_hand
        else:
            on_hand = levels.get(v.id, v.on_hand) or 0
            available = on_hand if v.track_stock else None
        if available != v.available or on_hand != v.on_hand:
            changed[v.id] = replace(v, available=available, on_hand=on_hand)
    if changed:
        self.by_id.update(changed)
        self._index(list(self.by_id.values()))
    return changed


def release_holds(self: MainWindow) -> None:
    """Unpaid orders whose hold ran out give their stock back (on a worker)."""
    worker = database.for_worker(self.uow)

    def done(numbers: list[str]) -> None:
        if numbers:
            self.panel.say(f"Hold ran out, stock released: {', '.join(numbers)}", "warn")
            self.refresh()

    run_in_background(lambda: checkout.release_expired(worker), done, self._show_error, parent=self)


def poll_stripe(self: MainWindow) -> None:
    """Every couple of seconds, on a worker: which pending payments settled."""
    try:
        if self._polling or not payments.stripe_status(self.uow).configured:
            return
    except PosError as exc:
        self._show_error(exc)
        return
    self._polling = True
    worker = database.for_worker(self.uow)

    def done(changes: list[payments.StatusChange]) -> None:
        self._polling = False
        self.apply_changes(changes)

    def failed(exc: BaseException) -> None:
        self._polling = False
        self.banner.setText(f"Stripe: {exc}")
        self.banner.show()

    run_in_background(lambda: payments.check_pending(worker), done, failed, parent=self)


def apply_changes(self: MainWindow, changes: list[payments.StatusChange]) -> None:
    cur = self.cart.currency
    for c in changes:
        if c.state == "succeeded" and c.order_status == "paid":
            self.sounds.chime()
            self.panel.say(f"{c.order_number} paid — hand over", "info")
            # That customer is done: their QR leaves the screens.
            self.qr_done(c.order_id)
            if self.customer is not None and self.cart.empty:
                self._thank_for(c.order_number)
        elif c.state in ("failed", "refund_failed"):
            self.sounds.buzz()
            self.panel.say(f"{c.order_number}: {c.message or c.state}", "error")
        elif c.state == "succeeded":
            self.panel.say(
                f"{c.order_number}: {format_money(c.amount_cents, cur)} received", "info"
            )
    if changes:
        self.refresh()


@dataclass(frozen=True, slots=True)
class _ScreenData:
    levels: dict[int, int | None]
    orders: dict[str, list[queue.QueueRow]]
    gigs: tickets.QueueState
    stripe: payments.StripeStatus
    wallets: bool  # a wallet handle is set up: the Wallet QR key can work
    tips: tuple[int, ...]  # the tip presets offered before the tender; none: tips are off
    catalog_version: str
    limits: permissions.Limits


def _read_screen(uow: UnitOfWork) -> _ScreenData:
    """Everything the periodic refresh shows; safe to run on a worker with its own uow."""
    return _ScreenData(
        catalog.stock_levels(uow),
        queue.orders_for_queue(uow),
        tickets.state(uow),
        payments.stripe_status(uow),
        bool(payments.wallet_handles(uow)),
        event_terms.tip_presets(uow),
        catalog.version(uow),
        permissions.get_limits(uow),
    )
