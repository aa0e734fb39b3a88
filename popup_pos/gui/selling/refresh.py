"""Keeping the screen current: the catalog, the once-a-second snapshot, holds and Stripe."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money
from popup_pos.gui.lazy import Deferred
from popup_pos.gui.operations import CollectionOp, QueryOp
from popup_pos.services.changes import ALL_STOCK, Changes
from popup_pos.services.views import VariantView

if TYPE_CHECKING:
    from popup_pos.gui.selling.window import SellingWindow
    from popup_pos.services import (
        catalog,
        checkout,
        database,
        payments,
        selling_view,
        tickets,
    )
    from popup_pos.services.selling_view import SellingView
    from popup_pos.store.uow import UnitOfWork
else:
    # Deferred: they load SQLAlchemy and the models, after the first paint.
    catalog = Deferred("popup_pos.services.catalog")
    checkout = Deferred("popup_pos.services.checkout")
    database = Deferred("popup_pos.services.database")
    payments = Deferred("popup_pos.services.payments")
    selling_view = Deferred("popup_pos.services.selling_view")

REFRESH_MS = 1000
STRIPE_POLL_MS = 2000
HOLD_CHECK_MS = 30_000


def start_refreshing(self: SellingWindow) -> None:
    """The first refresh now, on a worker, then the periodic ones."""
    self.refresh_in_background()
    self._timer.start(REFRESH_MS)
    self._hold_timer.start(HOLD_CHECK_MS)
    self._stripe_timer.start(STRIPE_POLL_MS)


def load_catalog(self: SellingWindow, variants: list[VariantView] | None = None) -> None:
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


def _index(self: SellingWindow, variants: list[VariantView]) -> None:
    self.by_id = {v.id: v for v in variants}
    self.by_code = {}
    self._bundles_of = {}
    for v in variants:
        _index_codes(self, v)
        for cid, _ in v.parts:
            self._bundles_of.setdefault(cid, []).append(v.id)


def _index_codes(self: SellingWindow, v: VariantView) -> None:
    self.by_code[v.sku.upper()] = v
    if v.barcode:
        self.by_code[v.barcode] = v


def _stock_reach(self: SellingWindow, ids: frozenset[int]) -> frozenset[int]:
    """The variants whose levels show what moved for `ids`: each bundle made of one of
    them, and every part of those bundles (a bundle is as available as its scarcest part)."""
    reach = set(ids)
    bundles = {b for i in ids for b in self._bundles_of.get(i, ())}
    bundles.update(i for i in ids if i in self.by_id and self.by_id[i].parts)
    for b in bundles:
        reach.add(b)
        reach.update(cid for cid, _ in self.by_id[b].parts)
    return frozenset(reach)


def changed(self: SellingWindow, changes: Changes) -> None:
    """The one place this register's own changes reach the screen: only the parts that
    `changes` names are read (one read-only transaction, a fast local read) and shown."""
    if not (changes.stock or changes.queue or changes.tickets or changes.setup):
        return  # nothing on this screen to read again (an order alone is its actions' to show)
    if isinstance(changes.stock, frozenset):
        changes = replace(changes, stock=_stock_reach(self, changes.stock))
    self._direct_reads += 1
    try:
        self._show_snapshot(_read_screen(self.screen_reader(), changes))
    except PosError as exc:
        self._show_error(exc)


def screen_reader(self: SellingWindow) -> UnitOfWork:
    """The GUI thread's read-only unit of work for the screen: on SQLite its plain BEGIN
    takes no write lock, so showing a sale never holds up another register's."""
    if self._reader is None:
        self._reader = database.for_worker(self.uow, read_only=True)
    return self._reader


def refresh(self: SellingWindow) -> None:
    """Everything now: for a change whose reach is not known (closing the event failed
    half-way, tests); actions say what they changed through `changed`."""
    self.changed(Changes.everything())


def refresh_in_background(self: SellingWindow) -> None:
    """The once-a-second refresh (other registers' sales on a shared PostgreSQL): read
    on a worker, so a slow network never stalls the screen or splits a scan."""
    if self._refreshing:
        return
    self._refreshing = True
    reader = database.for_worker(self.uow, read_only=True)
    started = self._direct_reads

    def done(snapshot: SellingView) -> None:
        self._refreshing = False
        # Read before this register's own last action was shown: showing it would
        # bring back, for a second, an order just placed or cancelled.
        if self._direct_reads == started:
            self._show_snapshot(snapshot)

    def failed(exc: BaseException) -> None:
        self._refreshing = False
        self._show_error(exc)

    first = not self._shown_once

    def read() -> SellingView:
        if first:
            # The QR module (and the qrcode library) takes a tenth of a second to import:
            # here, on the worker, not on the GUI thread when the first customer pays.
            importlib.import_module("popup_pos.gui.qr")
        return _read_screen(reader)

    QueryOp(self, read, done).failure(failed).run_in_background()


def _show_snapshot(self: SellingWindow, data: SellingView) -> None:
    if not self._shown_once:
        # The catalog, the database stack and the widgets live as long as the window:
        # leaving them out of the collector's full passes keeps those passes from
        # freezing the screen for a tenth of a second in the middle of a sale.
        gc.freeze()
    self._shown_once = True
    if data.levels is not None:
        changed = self._apply_levels(data.levels, every=not data.some_levels)
        if changed:
            self.model.update_variants(changed)
            self.cart.refresh(changed)
    if data.orders is not None:
        self.orders.show_orders(data.orders)
        self.note_queue(sum(len(data.orders.get(k, [])) for k in ("awaiting_payment", "paid")))
    if data.ticket_queue is not None:
        _show_tickets(self, data.ticket_queue)
    if data.setup is not None:
        _show_setup(self, data.setup)


def _show_tickets(self: SellingWindow, queue: tickets.QueueState) -> None:
    self.tickets.show_tickets(queue)
    self.model.set_experience_badges({vid: p.badge for vid, p in queue.places.items()})
    if queue.walk_in_minutes != self.ticket_wait:
        self.ticket_wait = queue.walk_in_minutes
        if self.customer is not None and self.order_id is None and not self.cart.empty:
            self.customer.show_cart(self.cart, self._wait_note())


def _show_setup(self: SellingWindow, setup: selling_view.Setup) -> None:
    self.panel.set_stripe_ready(setup.stripe.configured)
    if setup.tips != self.panel.tips.presets:
        # Tips turned on or off, or new presets, in Settings: the keys follow.
        self.panel.tips.set_presets(setup.tips)
        if self.order_id is None:
            self.show_cart()
    self.panel.set_wallet_ready(
        setup.wallets, "No wallet set up: add a Venmo, Cash App or PayPal handle in Settings"
    )
    self.banner.setText(setup.stripe.banner or "")
    self.banner.setVisible(bool(setup.stripe.banner))
    if setup.limits != self.limits:
        self.limits = self.cart.limits = setup.limits
    if self._catalog_version is None:
        self._catalog_version = setup.catalog_version
    elif setup.catalog_version != self._catalog_version:
        self.reload_catalog(setup.catalog_version)


def reload_catalog(self: SellingWindow, version: str) -> None:
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

    QueryOp(self, lambda: catalog.snapshot(reader), done).failure(failed).run_in_background()


def _show_error(self: SellingWindow, exc: BaseException) -> None:
    self.banner.setText(str(exc))
    self.banner.show()


def _apply_levels(
    self: SellingWindow, levels: dict[int, int | None], *, every: bool = True
) -> dict[int, VariantView]:
    """The variants whose badges `levels` change. Not `every` variant's level: only those
    read are looked at (a sale's, with the bundles they make and those bundles' parts)."""
    changed: dict[int, VariantView] = {}
    if every:
        candidates: Iterable[VariantView] = self.by_id.values()
    else:
        candidates = [self.by_id[i] for i in levels if i in self.by_id]
    for v in candidates:
        if v.parts:
            tracked = [(cid, q) for cid, q in v.parts if levels.get(cid) is not None]
            available = min(int(levels[cid] or 0) // q for cid, q in tracked) if tracked else None
            on_hand = v.on_hand
        else:
            on_hand = levels.get(v.id, v.on_hand) or 0
            available = on_hand if v.track_stock else None
        if available != v.available or on_hand != v.on_hand:
            changed[v.id] = replace(v, available=available, on_hand=on_hand)
    self.by_id.update(changed)
    for v in changed.values():
        _index_codes(self, v)
    return changed


def release_holds(self: SellingWindow) -> None:
    """Unpaid orders whose hold ran out give their stock back (on a worker)."""
    worker = database.for_worker(self.uow)

    def done(numbers: list[str]) -> None:
        if numbers:
            self.panel.say(f"Hold ran out, stock released: {', '.join(numbers)}", "warn")

    # Stock goes back on sale and the orders leave the queue: any variant, both queues.
    CollectionOp(
        self, lambda: checkout.release_expired(worker), changes=_released, notify=self.changed
    ).success(done).failure(self._show_error).run_in_background()


def poll_stripe(self: SellingWindow) -> None:
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
        self.say_changes(changes)

    def failed(exc: BaseException) -> None:
        self._polling = False
        self.banner.setText(f"Stripe: {exc}")
        self.banner.show()

    CollectionOp(
        self, lambda: payments.check_pending(worker), changes=_settled, notify=self.changed
    ).success(done).failure(failed).run_in_background()


def apply_changes(self: SellingWindow, changes: list[payments.StatusChange]) -> None:
    """Say what the payments' new states mean, then show what they changed."""
    self.say_changes(changes)
    self.changed(_settled(changes))


def say_changes(self: SellingWindow, changes: list[payments.StatusChange]) -> None:
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


def _settled(changes: list[payments.StatusChange]) -> Changes:
    # A settled payment moves its order along the queue; a failed refund or a cancelled
    # payment may have given stock back.
    return ALL_STOCK | Changes(order=changes[-1].order_id) if changes else Changes()


def _released(numbers: list[str]) -> Changes:
    return ALL_STOCK if numbers else Changes()


def _read_screen(uow: UnitOfWork, wanted: Changes | None = None) -> SellingView:
    """The parts of the screen `wanted` names (all by default); safe to run on a worker
    with its own uow."""
    return selling_view.read(uow, Changes.everything() if wanted is None else wanted)
