"""The selling screen: tiles, cart and tenders, the queues, and every action's shortcut."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money, parse_amount, parse_percent
from popup_pos.domain.pricing import Discount
from popup_pos.gui.cart_panel import CartPanel
from popup_pos.gui.fence import LayoutFence
from popup_pos.gui.lazy import Deferred
from popup_pos.gui.queue import GigQueue, OrderQueue, QueueTabs
from popup_pos.gui.sound import Sounds
from popup_pos.gui.tiles import TileModel, TileView
from popup_pos.gui.worker import run_in_background
from popup_pos.services.cart import CartError, CartSession, LineState
from popup_pos.services.views import EventInfo, RegisterInfo, StaffInfo, VariantView

if TYPE_CHECKING:
    from popup_pos.gui.customer import CustomerDisplay
    from popup_pos.services import (
        catalog,
        checkout,
        database,
        event_terms,
        payments,
        queue,
        tickets,
    )
    from popup_pos.services.startup import FirstScreen
    from popup_pos.store.uow import UnitOfWork
else:
    # These load SQLAlchemy and the models: deferred, so that a window built from a
    # `FirstScreen` paints before they load.
    catalog = Deferred("popup_pos.services.catalog")
    checkout = Deferred("popup_pos.services.checkout")
    database = Deferred("popup_pos.services.database")
    event_terms = Deferred("popup_pos.services.event_terms")
    payments = Deferred("popup_pos.services.payments")
    queue = Deferred("popup_pos.services.queue")
    tickets = Deferred("popup_pos.services.tickets")

ORDER_NUMBER = re.compile(r"[A-Z][A-Z0-9]{0,3}-\d{4,}")
# What a scanned customer handle looks like: an email, a mailto: link or an @handle.
HANDLE_SCAN = re.compile(r"^(mailto:\S+|[^@\s]+@[^@\s]+\.\S+|@[\w.\-]+)$", re.I)
REFRESH_MS = 1000
STRIPE_POLL_MS = 2000
HOLD_CHECK_MS = 30_000
CLOSE_WAIT_MS = 5_000


@dataclass(frozen=True, slots=True)
class Shortcut:
    keys: str
    label: str


class MainWindow(QMainWindow):
    """One register's selling screen. It calls services only and shows their results."""

    locked = Signal()
    settings_requested = Signal()
    event_closed = Signal()

    def __init__(
        self,
        uow: UnitOfWork,
        event: EventInfo,
        register: RegisterInfo,
        staff: StaffInfo,
        *,
        sounds: Sounds | None = None,
        customer_display: bool = False,
        ask_pin: Callable[[str], StaffInfo | None] | None = None,
        first_screen: FirstScreen | None = None,
    ) -> None:
        """With `first_screen` (read before the database stack loaded) the window paints
        from it and reads nothing until `start_refreshing`; without, it reads through
        `uow` at once and starts refreshing after the first paint."""
        super().__init__()
        self.uow = uow
        self.pos_event = event
        self.register = register
        self.staff = staff
        self.sounds = sounds or Sounds()
        self._ask_pin = ask_pin
        self.shortcuts: list[Shortcut] = []
        self.setWindowTitle(f"popup-pos — {event.name} — register {register.code}")
        self.resize(1366, 768)

        default_tax = (
            first_screen.default_tax if first_screen is not None else event_terms.default_tax(uow)
        )
        self.cart = CartSession(event.currency, default_tax=default_tax)
        self.order_id: int | None = None  # an existing order being paid, not a new cart
        self.last_order_id: int | None = None  # for "print the receipt" after a sale
        self.gig_wait = 0.0  # minutes a micro-gig sold now would wait
        self._direct_reads = 0  # refreshes read on the GUI thread, to spot stale ones

        self.model = TileModel(event.currency, self)
        self.tiles = TileView(self.model)
        self.tiles.picked.connect(self.add_variant)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search name, SKU or barcode  (F2)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda t: self.model.set_filter(needle=t))
        self.search.returnPressed.connect(self._search_enter)
        self.categories = QTabBar()
        self.categories.setObjectName("categories")
        self.categories.setExpanding(False)
        self.categories.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.categories.currentChanged.connect(
            lambda i: self.model.set_filter(category=self.categories.tabText(i))
        )

        self.panel = CartPanel()
        self.panel.cash_exact.connect(lambda: self.pay_cash(None))
        self.panel.cash_given.connect(self.pay_cash)
        self.panel.wallet_qr.connect(self.charge_wallet)
        self.panel.stripe_qr.connect(self.charge_stripe_qr)
        self.panel.card_reader.connect(self.charge_card)
        self.panel.park.connect(self.park)
        self.panel.plus.connect(lambda: self.change_quantity(+1))
        self.panel.minus.connect(lambda: self.change_quantity(-1))
        self.panel.remove.connect(self.remove_line)
        self.panel.line_discount.connect(self.line_discount)
        self.panel.order_discount.connect(self.order_discount)
        self.panel.custom_amount.connect(self.custom_amount)
        self.panel.new_sale.connect(self.new_sale)
        self._polling = False
        # Until the first refresh says: the keyring can take a while, never on this thread.
        self.panel.set_stripe_ready(False, "Checking Stripe…")

        self.orders = OrderQueue(event.currency)
        self.orders.chosen.connect(self.open_order)
        self.orders.resume.connect(self.resume_order)
        self.orders.take_cash.connect(lambda: self.pay_cash(None))
        self.orders.confirm_wallet.connect(self.confirm_wallet)
        self.orders.cancel.connect(self.cancel_order)
        self.orders.handed_over.connect(self.handed_over)
        self.orders.refund.connect(self.refund)
        self.gigs = GigQueue()
        self.gigs.call_next.connect(self.call_next_gig)
        self.gigs.moved.connect(self.move_gig)
        self.queue_tabs = QueueTabs(self.orders, self.gigs)

        self._build_layout()
        self._build_actions()
        self.customer: CustomerDisplay | None = None
        if customer_display:
            self.toggle_customer_display()

        self.load_catalog(None if first_screen is None else first_screen.variants)
        self._timer = QTimer(self)
        self._refreshing = False
        self._shown_once = False
        self._timer.timeout.connect(self.refresh_in_background)
        self._hold_timer = QTimer(self)
        self._hold_timer.timeout.connect(self.release_holds)
        self._stripe_timer = QTimer(self)
        self._stripe_timer.timeout.connect(self.poll_stripe)
        if first_screen is None:
            # The queues, the Stripe state and the keyring are read on a worker after the
            # first paint: the tiles are what a seller needs to see first.
            QTimer.singleShot(0, self.start_refreshing)
        self.show_cart()
        self.tiles.setFocus()

    def start_refreshing(self) -> None:
        """The first refresh now, on a worker, then the periodic ones."""
        self.refresh_in_background()
        self._timer.start(REFRESH_MS)
        self._hold_timer.start(HOLD_CHECK_MS)
        self._stripe_timer.start(STRIPE_POLL_MS)

    # ---- layout ---------------------------------------------------------------------------

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        top.addWidget(self.heading, 1)
        self.banner = QLabel("")
        self.banner.setObjectName("banner")
        self.banner.hide()
        top.addWidget(self.banner)
        for text, slot in (
            ("Labels", self.print_labels),
            ("Receipt", self.print_receipt),
            ("Report", self.show_report),
            ("Help  F1", self.show_help),
            ("Settings", self.settings_requested.emit),
            ("Lock  Ctrl+L", self.lock),
        ):
            b = QPushButton(text)
            b.setObjectName("topButton")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(slot)
            top.addWidget(b)
        self._update_heading()

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.search)
        lv.addWidget(self.categories)
        lv.addWidget(self.tiles, 1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        # Every scan changes the cart's totals and keys: fenced, so that is laid out in the
        # cart alone and not in the whole window, a fifth of a scan's time.
        cart = LayoutFence(self.panel)
        split.addWidget(left)
        split.addWidget(cart)
        split.addWidget(self.queue_tabs)
        # The tiles get whatever the cart and the queue leave: they need the room most.
        left.setMinimumWidth(360)
        cart.setMinimumWidth(420)
        cart.setMaximumWidth(540)
        self.queue_tabs.setMinimumWidth(270)
        self.queue_tabs.setMaximumWidth(340)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setStretchFactor(2, 0)
        self.splitter = split

        root = QWidget()
        rv = QVBoxLayout(root)
        rv.setContentsMargins(8, 6, 8, 8)
        rv.addLayout(top)
        rv.addWidget(split, 1)
        self.setCentralWidget(root)

    def _update_heading(self) -> None:
        self.heading.setText(
            f"{self.pos_event.name}   ·   Register {self.register.code}   ·   {self.staff.name}"
        )

    def _action(self, label: str, keys: str | list[str], slot: Callable[[], object]) -> QAction:
        action = QAction(label, self)
        seqs = [keys] if isinstance(keys, str) else keys
        action.setShortcuts([QKeySequence(k) for k in seqs])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        self.shortcuts.append(Shortcut(" or ".join(seqs), label))
        return action

    def _build_actions(self) -> None:
        a = self._action
        a("Help: every shortcut", "F1", self.show_help)
        a("Search", ["F2", "Ctrl+F"], self.focus_search)
        a("Cash, exact amount", "F5", lambda: self.pay_cash(None))
        for i in range(3):
            a(f"Cash, round amount {i + 1}", f"F{6 + i}", partial(self.panel.give_round, i))
        a("Part payment in cash (split tender)", "Ctrl+F5", self.part_cash)
        a("Wallet QR (Venmo, Cash App, PayPal)", "F9", self.charge_wallet)
        a("Stripe QR: the customer pays on their phone", "F10", self.charge_stripe_qr)
        a("Card reader", "F11", self.charge_card)
        a("Park this sale", "F12", self.park)
        a("New sale / leave the order", "Esc", self.escape)
        a("One more of the selected line", ["+", "Ctrl+="], lambda: self.change_quantity(+1))
        a("One less of the selected line", ["-", "Ctrl+-"], lambda: self.change_quantity(-1))
        a("Remove the selected line", "Del", self.remove_line)
        a("Select the line above", "Ctrl+Up", lambda: self.move_selection(-1))
        a("Select the line below", "Ctrl+Down", lambda: self.move_selection(+1))
        a("Discount on the selected line", "Ctrl+D", self.line_discount)
        a("Discount on the whole order", "Ctrl+Shift+D", self.order_discount)
        a("Custom amount with a note", "Ctrl+K", self.custom_amount)
        a("Change the selected line's price (organizer)", "Ctrl+P", self.price_override)
        a("Orders queue", "Ctrl+1", lambda: self.queue_tabs.setCurrentIndex(0))
        a("Micro-gig queue", "Ctrl+2", lambda: self.queue_tabs.setCurrentIndex(1))
        a("Call the next micro-gig", "Ctrl+N", self.call_next_gig)
        a("Customer's email, phone or @handle (limited drops)", "Ctrl+U", self.ask_customer)
        a("Customer display on or off", "Ctrl+Shift+C", self.toggle_customer_display)
        a("Print labels (the selected tile's SKU)", "Ctrl+Shift+L", self.print_labels)
        a("Print the receipt (selected order, else the last sale)", "Ctrl+R", self.print_receipt)
        a("Print ticket slips (selected ticket, else the last sale)", "Ctrl+T", self.print_slips)
        a("The night's report", "Ctrl+Shift+R", self.show_report)
        a("Close the event (organizer)", "Ctrl+Shift+E", self.close_event)
        a("Settings (organizer)", "Ctrl+,", self.settings_requested.emit)
        a("Lock the register", "Ctrl+L", self.lock)
        a("About popup-pos (version, data folder)", "Ctrl+Shift+A", self.show_about)

    # ---- data ------------------------------------------------------------------------------

    def load_catalog(self, variants: list[VariantView] | None = None) -> None:
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

    def _index(self, variants: list[VariantView]) -> None:
        self.by_id = {v.id: v for v in variants}
        self.by_code: dict[str, VariantView] = {}
        for v in variants:
            self.by_code[v.sku.upper()] = v
            if v.barcode:
                self.by_code[v.barcode] = v

    def refresh(self) -> None:
        """Stock badges and queues now, after this register's own action (a fast local read)."""
        self._direct_reads += 1
        try:
            self._show_snapshot(_read_screen(self.uow))
        except PosError as exc:
            self._show_error(exc)

    @property
    def loading(self) -> bool:
        """True until the first background refresh has been shown."""
        return not self._shown_once

    def refresh_in_background(self) -> None:
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

        run_in_background(lambda: _read_screen(reader), done, failed, parent=self)

    def _show_snapshot(self, data: _ScreenData) -> None:
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
        self.gigs.show_tickets(data.gigs)
        self.model.set_gig_badges({vid: p.badge for vid, p in data.gigs.places.items()})
        if data.gigs.walk_in_minutes != self.gig_wait:
            self.gig_wait = data.gigs.walk_in_minutes
            if self.customer is not None and self.order_id is None and not self.cart.empty:
                self.customer.show_cart(self.cart, self._wait_note())
        self.panel.set_stripe_ready(data.stripe.configured)
        self.banner.setText(data.stripe.banner or "")
        self.banner.setVisible(bool(data.stripe.banner))

    def _show_error(self, exc: BaseException) -> None:
        self.banner.setText(str(exc))
        self.banner.show()

    def _apply_levels(self, levels: dict[int, int | None]) -> dict[int, VariantView]:
        from dataclasses import replace

        changed: dict[int, VariantView] = {}
        for v in self.by_id.values():
            if v.parts:
                tracked = [(cid, q) for cid, q in v.parts if levels.get(cid) is not None]
                available = (
                    min(int(levels[cid] or 0) // q for cid, q in tracked) if tracked else None
                )
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

    # ---- the cart ------------------------------------------------------------------------

    def show_cart(self) -> None:
        title = "New sale" if self.order_id is None else self._order_title
        if self.order_id is None and self.cart.has_customer:
            title += f"  ·  for {self.cart.customer or 'the saved customer'}"
        self.panel.show_cart(self.cart, title=title)
        if self.customer is not None and self.order_id is None:
            self.customer.show_cart(self.cart, self._wait_note())

    def _wait_note(self) -> str | None:
        """What a micro-gig in the cart means for the customer: about how long they wait."""
        if not any(ln.view and ln.view.kind == "experience" for ln in self.cart.lines):
            return None
        minutes = round(self.gig_wait)
        return "Your turn: now" if minutes < 1 else f"Your turn: in about {minutes} min"

    def add_variant(self, view: VariantView) -> bool:
        if self.order_id is not None:
            self.new_sale()
        view = self.by_id.get(view.id, view)
        personalisation: str | None = None
        if view.personalisation_prompt:
            # A shoutout needs the name before the line exists; Esc means not this one.
            text, ok = QInputDialog.getText(self, view.label, f"{view.personalisation_prompt}:")
            self._back_to_selling()
            if not ok:
                self.panel.say(f"{view.label} not added", "warn")
                return False
            personalisation = text.strip() or None
        try:
            line = self.cart.add(view, personalisation=personalisation)
        except CartError as exc:
            self.panel.say(str(exc), "error")
            self.sounds.buzz()
            return False
        self.panel.say(f"Added {line.title}", "info")
        self.show_cart()
        if view.per_person_limit is not None and not self.cart.has_customer:
            self.ask_customer(f"{view.label} is limited to {view.per_person_limit} per person.")
        return True

    def ask_customer(self, why: str = "") -> None:
        """Who is buying (for limited drops): typed here, or scanned from their phone."""
        if self.order_id is not None:
            return
        text, ok = QInputDialog.getText(
            self,
            "Customer",
            (why + "\n" if why else "") + "Email, phone or @handle (kept only as a hash):",
            text=self.cart.customer or "",
        )
        self._back_to_selling()
        if ok:
            self.set_customer(text)

    def _back_to_selling(self) -> None:
        """After a question, the keys (F5, the next scan) belong to the selling screen."""
        self.activateWindow()
        self.tiles.setFocus()

    def set_customer(self, text: str) -> bool:
        try:
            shown = self.cart.set_customer(text)
        except PosError as exc:
            self.panel.say(str(exc), "error")
            self.sounds.buzz()
            return False
        self.show_cart()
        self.panel.say(f"Customer: {shown}" if shown else "No customer on this sale", "info")
        return True

    def on_scan(self, code: str) -> None:
        """A scanner burst: an item adds, an order ticket opens, anything else buzzes."""
        code = code.strip()
        upper = code.upper()
        view = self.by_code.get(upper) or self.by_code.get(code)
        if view is not None:
            if self.add_variant(view):
                self.sounds.beep()
            return
        ticket_id = tickets.parse_ticket_code(code)
        if ticket_id is not None:
            self.call_gig(ticket_id)
            return
        if ORDER_NUMBER.fullmatch(upper):
            self.open_order_by_number(upper)
            return
        paid_by_qr = payments.order_for_scan(self.uow, code)
        if paid_by_qr is not None:
            self.open_order_by_number(checkout.get_order(self.uow, paid_by_qr).number)
            return
        if HANDLE_SCAN.match(code) and self.order_id is None:
            # A fan showing their email or @handle as a QR names the buyer of a drop.
            if self.set_customer(code):
                self.sounds.beep()
            return
        self.sounds.buzz()
        self.panel.say(f"Unknown code: {code}", "error")

    def _search_enter(self) -> None:
        if self.model.rowCount() == 1:
            self.add_variant(self.model.variant_at(0))
            self.search.clear()
            self.tiles.setFocus()

    def selected_line(self) -> int:
        row = self.panel.selected_row()
        if row < 0 and self.cart.lines:
            row = len(self.cart.lines) - 1
        return row

    def change_quantity(self, delta: int) -> None:
        row = self.selected_line()
        if row < 0 or self.order_id is not None:
            return
        try:
            self.cart.set_quantity(row, self.cart.lines[row].quantity + delta)
        except CartError as exc:
            self.panel.say(str(exc), "error")
            return
        self.show_cart()

    def move_selection(self, step: int) -> None:
        if self.cart.lines:
            row = max(0, min(len(self.cart.lines) - 1, self.selected_line() + step))
            self.panel.table.selectRow(row)

    def remove_line(self) -> None:
        row = self.selected_line()
        if row >= 0 and self.order_id is None:
            self.cart.remove(row)
            self.show_cart()

    def _ask_discount(self, title: str) -> Discount | None:
        text, ok = QInputDialog.getText(self, title, "Percent (10%) or amount (5.00):")
        if not ok or not text.strip():
            return None
        try:
            if text.strip().endswith("%"):
                return Discount.percent(parse_percent(text))
            return Discount.amount(parse_amount(text, self.cart.currency, what="discount"))
        except PosError as exc:
            self.panel.say(str(exc), "error")
            return None

    def line_discount(self) -> None:
        row = self.selected_line()
        if row < 0 or self.order_id is not None:
            self.panel.say("Select a line to discount", "warn")
            return
        discount = self._ask_discount("Line discount")
        if discount is not None:
            self.cart.set_line_discount(row, discount)
            self.show_cart()

    def order_discount(self) -> None:
        if self.cart.empty or self.order_id is not None:
            return
        discount = self._ask_discount("Order discount")
        if discount is not None:
            self.cart.discount = discount
            self.show_cart()

    def custom_amount(self) -> None:
        if self.order_id is not None:
            self.new_sale()
        text, ok = QInputDialog.getText(self, "Custom amount", "Amount:")
        if not ok or not text.strip():
            return
        try:
            amount = parse_amount(text, self.cart.currency)
            note, ok = QInputDialog.getText(self, "Custom amount", "Note (what it is for):")
            self.cart.add_custom(amount, note if ok else None)
        except PosError as exc:
            self.panel.say(str(exc), "error")
            return
        self.show_cart()

    def price_override(self) -> None:
        row = self.selected_line()
        if row < 0 or self.order_id is not None:
            return
        if not self.require_organizer("change a price"):
            return
        text, ok = QInputDialog.getText(
            self, "New price", f"Price for {self.cart.lines[row].title}:"
        )
        if ok and text.strip():
            try:
                self.cart.set_price(row, parse_amount(text, self.cart.currency))
            except PosError as exc:
                self.panel.say(str(exc), "error")
                return
            self.show_cart()

    def escape(self) -> None:
        if self.search.hasFocus() and self.search.text():
            self.search.clear()
            return
        self.new_sale()

    def new_sale(self, *, keep_customer_screen: bool = False) -> None:
        self.order_id = None
        self.cart = CartSession(self.cart.currency, default_tax=self.cart.default_tax)
        self.panel.say(" ")
        self.panel.show_cart(self.cart)
        if self.customer is not None and not keep_customer_screen:
            self.customer.show_cart(self.cart)
        self.tiles.setFocus()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # ---- selling ---------------------------------------------------------------------------

    def pay_cash(self, tendered: int | None) -> None:
        """Cash exact (tendered None) or a round amount: the sale completes at once."""
        result = self._take_cash(tendered=tendered)
        if result is not None:
            self._sold(result, "cash")

    def _take_cash(
        self, *, tendered: int | None = None, amount: int | None = None
    ) -> checkout.OrderResult | None:
        """Cash for the order in the panel, or for the cart (placed and paid in one go);
        None, with the reason on the notice line, when it was refused."""
        try:
            if self.order_id is not None:
                return payments.pay_cash(
                    self.uow,
                    self.order_id,
                    amount_cents=amount,
                    tendered_cents=tendered,
                    staff_id=self.staff.id,
                    actor=self.staff.name,
                )
            if self.cart.empty:
                self.panel.say("Scan or tap an item first", "warn")
                return None
            return checkout.sell(
                self.uow,
                self.register.id,
                self.cart.to_cart(),
                (checkout.TenderSpec("cash", amount=amount, tendered=tendered),),
                staff_id=self.staff.id,
                actor=self.staff.name,
                parked_order_id=self.cart.order_id,
            )
        except PosError as exc:
            self.sounds.buzz()
            self.panel.say(str(exc), "error")
            return None

    def part_cash(self) -> None:
        """Split tender: some cash now, the rest by card, QR or wallet."""
        text, ok = QInputDialog.getText(self, "Part payment in cash", "Cash amount:")
        if not ok or not text.strip():
            return
        try:
            amount = parse_amount(text, self.cart.currency, what="cash amount")
        except PosError as exc:
            self.panel.say(str(exc), "error")
            return
        result = self._take_cash(amount=amount)
        if result is None:
            return
        if result.status == "paid":
            self._sold(result, "cash")
            return
        self.refresh()
        self.open_order(result.order_id, "awaiting_payment")
        self.panel.say(
            f"{format_money(result.paid_cents, self.cart.currency)} cash taken; "
            f"{format_money(result.due_cents, self.cart.currency)} still due",
            "warn",
        )

    def show_about(self) -> None:
        from popup_pos.gui.about import show_about

        show_about(self, self.uow.engine.url.render_as_string(hide_password=True))

    def show_report(self) -> None:
        from popup_pos.gui.report_view import ReportView

        ReportView(self.uow, self, event="current").exec()

    def close_event(self) -> None:
        """Cash-up and close: the organizer's, at the end of the night."""
        if not self.require_organizer("close the event"):
            return
        from popup_pos.gui.close_event import CloseEventDialog

        organizer = self.staff
        dialog = CloseEventDialog(self.uow, organizer, self)
        closed: list[object] = []
        dialog.closed.connect(closed.append)
        dialog.exec()
        if closed:
            # The night is over on this register: back to the open-event screen.
            self.event_closed.emit()

    def print_labels(self) -> None:
        from popup_pos.gui.printing import LabelsDialog

        index = self.tiles.currentIndex()
        sku = self.model.variant_at(index.row()).sku if index.isValid() else None
        LabelsDialog(self.uow, self, sku=sku).exec()

    def print_receipt(self) -> None:
        from popup_pos.gui.printing import receipt_action

        order_id = self.orders.selected[0] if self.orders.selected else self.last_order_id
        if order_id is None:
            self.panel.say("Sell something first, or pick an order in the queue", "warn")
            return
        receipt_action(self.uow, self, order_id, notify=self.panel.say)

    def print_slips(self) -> None:
        """Ticket slips for the fans of a micro-gig order: the selected ticket's order, the
        selected order, or the last sale."""
        from popup_pos.gui.printing import ticket_slips_action

        picked = self.gigs.selected_order_id() if self.queue_tabs.currentIndex() == 1 else None
        order_id = picked or (
            self.orders.selected[0] if self.orders.selected else self.last_order_id
        )
        if order_id is None:
            self.panel.say("Sell a micro-gig first, or pick a ticket in the queue", "warn")
            return
        ticket_slips_action(self.uow, self, order_id, notify=self.panel.say)

    def _sold(self, result: checkout.OrderResult, how: str) -> None:
        self.last_order_id = result.order_id
        cur = self.cart.currency
        # Only a sale with a micro-gig has tickets to read back (a read on the GUI thread).
        had_gigs = any(
            ln.view is not None and ln.view.kind == "experience" for ln in self.cart.lines
        )
        editions = "".join(
            f"  ·  {sku} #{', #'.join(map(str, nums))}"
            for sku, nums in result.edition_numbers.items()
        )
        self.new_sale()
        if result.change_cents:
            self.panel.show_change(f"Change {format_money(result.change_cents, cur)}")
        codes = "".join(f"  ·  code {c.code}" for c in result.codes)
        paid = result.status == "paid"
        gigs = self._gig_tickets(result.order_id) if paid and had_gigs else []
        self.refresh_after_sale()
        slips = "".join(f"  ·  {t.code}" for t in gigs)
        self.panel.say(
            f"{result.number} paid by {how}: {format_money(result.total_cents, cur)}"
            f"{editions}{codes}{slips}",
            "info",
        )
        if self.customer is not None:
            self._thank(result.codes, gigs)

    def _gig_tickets(self, order_id: int) -> list[tickets.TicketView]:
        try:
            return tickets.of_order(self.uow, order_id)
        except PosError:
            return []

    def _thank(
        self, codes: Sequence[checkout.DeliveredCode], gigs: Sequence[tickets.TicketView]
    ) -> None:
        """The thank-you screen: each download code as a QR, each micro-gig's ticket."""
        if self.customer is None:
            return
        lines = []
        for t in gigs:
            if t.slot_at is not None:
                when = f"at {t.slot_at.astimezone():%H:%M}"
            elif t.wait_minutes is not None and t.wait_minutes >= 1:
                when = f"in about {round(t.wait_minutes)} min"
            else:
                when = "next"
            who = f" for {t.personalisation}" if t.personalisation else ""
            lines.append(f"{t.name}{who}: {t.code}, {when}")
        self.customer.show_thanks(codes=[(c.name, c.code) for c in codes], gigs=lines)

    def refresh_after_sale(self) -> None:
        self.refresh()

    def _place_for_payment(self) -> tuple[int, str, int] | None:
        """The order to charge: the one open in the panel, or the cart placed now (its
        stock held), so the register is free for the next customer at once."""
        if self.order_id is not None:
            order = checkout.get_order(self.uow, self.order_id)
            return order.id, order.number, order.total_cents - order.paid_cents
        if self.cart.empty:
            self.panel.say("Scan or tap an item first", "warn")
            return None
        placed = checkout.place_order(
            self.uow,
            self.register.id,
            self.cart.to_cart(),
            staff_id=self.staff.id,
            actor=self.staff.name,
            parked_order_id=self.cart.order_id,
        )
        return placed.order_id, placed.number, placed.due_cents

    def charge_wallet(self) -> None:
        """Order → awaiting payment, the wallet QRs on the customer display, register free."""
        wallets = payments.wallet_handles(self.uow)
        if not wallets:
            self.panel.say("Set up a Venmo, Cash App or PayPal handle in Settings", "warn")
            return
        try:
            placed = self._place_for_payment()
            if placed is None:
                return
            order_id, number, due = placed
            links = [payments.wallet_link(self.uow, order_id, w) for w in wallets]
        except PosError as exc:
            self.panel.say(str(exc), "error")
            return
        cur = self.cart.currency
        if self.customer is not None:
            self.customer.show_payment(
                [(f"{link.label} {link.handle}", link.url) for link in links],
                format_money(due, cur),
                f"Order {number}: put {number} in the note",
            )
        self.new_sale(keep_customer_screen=True)
        self.panel.say(
            f"{number} waits for {format_money(due, cur)} by wallet: "
            "press Wallet paid in the queue when it arrives",
            "info",
        )
        self.refresh()

    def confirm_wallet(self) -> None:
        if self.order_id is None:
            return
        wallets = list(payments.wallet_handles(self.uow)) or ["venmo"]
        wallet = wallets[0]
        if len(wallets) > 1:
            names = {payments.wallet_label(w): w for w in wallets}
            choice, ok = QInputDialog.getItem(
                self, "Wallet payment received", "Which app?", list(names), 0, False
            )
            if not ok:
                return
            wallet = names[choice]
        reference, ok = QInputDialog.getText(
            self, "Wallet payment received", "Who paid (name or note on the payment):"
        )
        if not ok:
            return
        try:
            result = payments.confirm_wallet(
                self.uow,
                self.order_id,
                wallet,
                reference=reference.strip() or None,
                staff_id=self.staff.id,
                actor=self.staff.name,
            )
        except PosError as exc:
            self.panel.say(str(exc), "error")
            return
        self._sold(result, payments.wallet_label(wallet))

    # ---- Stripe: every network call runs on a worker, never on this thread -----------------

    def charge_stripe_qr(self) -> None:
        self._charge_stripe("qr")

    def charge_card(self) -> None:
        self._charge_stripe("card")

    def _charge_stripe(self, how: str) -> None:
        if not payments.stripe_status(self.uow).configured:
            self.panel.say("Set up Stripe in Settings", "warn")
            return
        try:
            placed = self._place_for_payment()
        except PosError as exc:
            self.panel.say(str(exc), "error")
            return
        if placed is None:
            return
        order_id, number, due = placed
        worker = database.for_worker(self.uow)
        staff_id = self.staff.id

        def charge() -> object:
            if how == "qr":
                return payments.charge_by_qr(worker, order_id, staff_id=staff_id)
            return payments.charge_by_card(worker, order_id, staff_id=staff_id)

        self.new_sale(keep_customer_screen=True)
        self.panel.say(f"{number}: asking Stripe…", "info")
        run_in_background(
            charge,
            lambda charge_: self._charged(number, due, charge_),
            lambda exc: self.panel.say(f"{number}: {exc}", "error"),
            parent=self,
        )
        self.refresh()

    def _charged(self, number: str, due: int, charge: object) -> None:
        cur = self.cart.currency
        url = getattr(charge, "url", None)
        if url and self.customer is not None:
            self.customer.show_payment(
                [("Card, Apple Pay or Google Pay", url)], format_money(due, cur), f"Order {number}"
            )
        where = "the QR is on the customer screen" if url else "tap the card on the reader"
        self.panel.say(f"{number} waits for {format_money(due, cur)}: {where}", "info")

    def release_holds(self) -> None:
        """Unpaid orders whose hold ran out give their stock back (on a worker)."""
        worker = database.for_worker(self.uow)

        def done(numbers: list[str]) -> None:
            if numbers:
                self.panel.say(f"Hold ran out, stock released: {', '.join(numbers)}", "warn")
                self.refresh()

        run_in_background(
            lambda: checkout.release_expired(worker), done, self._show_error, parent=self
        )

    def poll_stripe(self) -> None:
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

    def apply_changes(self, changes: list[payments.StatusChange]) -> None:
        cur = self.cart.currency
        for c in changes:
            if c.state == "succeeded" and c.order_status == "paid":
                self.sounds.chime()
                self.panel.say(f"{c.order_number} paid — hand over", "info")
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

    def _thank_for(self, number: str) -> None:
        """An order paid later (by QR): its codes and tickets on the customer display."""
        try:
            order = checkout.get_order(self.uow, number)
        except PosError:
            return
        codes = [
            checkout.DeliveredCode(ln.sku or "", ln.name, code)
            for ln in order.lines
            for code, status in order.codes.get(ln.id, [])
            if status == "assigned"
        ]
        self._thank(codes, self._gig_tickets(order.id))

    def park(self) -> None:
        if self.cart.empty or self.order_id is not None:
            return
        try:
            result = checkout.park(
                self.uow,
                self.register.id,
                self.cart.to_cart(),
                order_id=self.cart.order_id,
                actor=self.staff.name,
            )
        except PosError as exc:
            self.panel.say(str(exc), "error")
            return
        self.new_sale()
        self.panel.say(f"Parked as {result.number}", "info")
        self.refresh()

    # ---- orders in the queue ---------------------------------------------------------------

    @property
    def _order_title(self) -> str:
        return getattr(self, "_order_title_text", "Order")

    def open_order_by_number(self, number: str) -> None:
        try:
            order = checkout.get_order(self.uow, number)
        except PosError:
            self.sounds.buzz()
            self.panel.say(f"Unknown order {number}", "error")
            return
        self.sounds.beep()
        section = {"awaiting_payment": "awaiting_payment", "paid": "paid"}.get(order.status)
        if order.status == "open":
            section = "parked"
        if section is None:
            self.panel.say(f"{number} is {order.status.replace('_', ' ')}", "warn")
            return
        self.queue_tabs.setCurrentIndex(0)
        self.orders.select_order(order.id, section)

    def open_order(self, order_id: int, section: str) -> None:
        """Show an order from the queue in the cart panel, to take payment or hand over."""
        try:
            order = checkout.get_order(self.uow, order_id)
        except PosError as exc:
            self.panel.say(str(exc), "error")
            return
        self.order_id = order_id
        view = CartSession(order.currency)
        for ln in order.lines:
            v = self.by_id.get(ln.variant_id) if ln.variant_id else None
            view.lines.append(
                _line_from_order(v, ln.quantity, ln.unit_price_cents, ln.name, ln.personalisation)
            )
        status = order.status.replace("_", " ")
        due = order.total_cents - order.paid_cents
        self._order_title_text = f"{order.number} — {status}"
        self.cart = view
        self.panel.show_cart(view, title=self._order_title_text)
        if section == "awaiting_payment":
            self.panel.say(f"{format_money(due, order.currency)} still due", "warn")
        elif section == "paid":
            self.panel.say("Paid — hand it over", "info")

    def resume_order(self) -> None:
        if self.orders.selected is None:
            return
        order_id, section = self.orders.selected
        if section == "parked":
            try:
                cart = checkout.resume(self.uow, order_id)
            except PosError as exc:
                self.panel.say(str(exc), "error")
                return
            self.order_id = None
            self.cart = CartSession(self.pos_event.currency, default_tax=self.cart.default_tax)
            self.cart.order_id = order_id
            for ln in cart.lines:
                v = self.by_code.get((ln.sku or "").upper())
                self.cart.lines.append(
                    _line_from_order(v, ln.quantity, ln.unit_price, ln.name, ln.personalisation)
                )
            self.cart.discount, self.cart.tip = cart.discount, cart.tip
            self.cart.customer_hash = cart.customer_hash
            self.show_cart()
            self.panel.say("Parked sale resumed", "info")
        else:
            self.open_order(order_id, section)

    def cancel_order(self) -> None:
        if self.orders.selected is None:
            return
        order_id, _ = self.orders.selected
        worker = database.for_worker(self.uow)
        actor = self.staff.name

        def cancel() -> object:
            # Any Stripe payment under way is stopped first, so nobody pays a dead order.
            return payments.cancel_order(
                worker, order_id, reason="cancelled at the register", actor=actor
            )

        def done(_: object) -> None:
            self.new_sale()
            self.panel.say("Order cancelled; its stock is back", "info")
            self.refresh()

        run_in_background(cancel, done, lambda exc: self.panel.say(str(exc), "error"), parent=self)

    def handed_over(self) -> None:
        if self.orders.selected is None:
            return
        try:
            checkout.mark_fulfilled(self.uow, self.orders.selected[0], actor=self.staff.name)
        except PosError as exc:
            self.panel.say(str(exc), "error")
            return
        self.new_sale()
        self.panel.say("Handed over", "info")
        self.refresh()

    def refund(self) -> None:
        if self.orders.selected is None:
            return
        if not self.require_organizer("refund an order"):
            return
        from popup_pos.gui.refund import RefundDialog

        dialog = RefundDialog(self.uow, self.orders.selected[0], actor=self.staff.name, parent=self)
        if dialog.exec() and dialog.result_text:
            self.new_sale()
            self.panel.say(dialog.result_text, "info")
            self.refresh()

    # ---- micro-gigs ------------------------------------------------------------------------

    def call_next_gig(self) -> None:
        try:
            called = tickets.call_next(self.uow, actor=self.staff.name)
            found = tickets.find(self.uow, called) if called is not None else None
        except PosError as exc:
            self.panel.say(str(exc), "error")
            return
        self.queue_tabs.setCurrentIndex(1)
        self.panel.say("Nobody is waiting" if found is None else _called(found), "info")
        self.refresh()
        if found is not None:
            self.gigs.select(found.id)

    def call_gig(self, ticket_id: int) -> None:
        """A ticket slip was scanned: call that fan up (or show them, if already called)."""
        try:
            was = tickets.find(self.uow, ticket_id)
            t = tickets.call(self.uow, ticket_id, actor=self.staff.name)
        except PosError as exc:
            self.sounds.buzz()
            self.panel.say(str(exc), "error")
            return
        self.sounds.beep()
        self.queue_tabs.setCurrentIndex(1)
        already = was is not None and was.status not in ("waiting",)
        self.panel.say(
            f"{t.code} is {t.status.replace('_', '-')}: {t.name}" if already else _called(t),
            "warn" if already else "info",
        )
        self.refresh()
        self.gigs.select(t.id)

    def move_gig(self, ticket_id: int, status: str) -> None:
        try:
            tickets.move(self.uow, ticket_id, status, actor=self.staff.name)
        except PosError as exc:
            self.panel.say(str(exc), "error")
            return
        self.refresh()

    # ---- people and windows ----------------------------------------------------------------

    def require_organizer(self, what: str) -> bool:
        if self.staff.role == "organizer":
            return True
        if self._ask_pin is None:
            self.panel.say(f"Only the organizer can {what}", "error")
            return False
        who = self._ask_pin(f"The organizer's PIN is needed to {what}")
        if who is None or who.role != "organizer":
            self.panel.say(f"Only the organizer can {what}", "error")
            return False
        return True

    def lock(self) -> None:
        self.locked.emit()

    def show_help(self) -> None:
        from popup_pos.gui.help import HelpOverlay

        HelpOverlay(self.shortcuts, self).exec()

    def toggle_customer_display(self) -> None:
        if self.customer is None:
            # Loaded on demand: the QR library is not needed until the second screen is.
            from popup_pos.gui.customer import CustomerDisplay

            self.customer = CustomerDisplay(self.pos_event.name)
            self.customer.show_cart(self.cart)
            self.customer.show()
        else:
            self.customer.close()
            self.customer = None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not getattr(self, "_sized", False):
            self._sized = True
            cart, queue_width = 430, 290
            rest = max(self.splitter.width() - cart - queue_width, 360)
            self.splitter.setSizes([rest, cart, queue_width])

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # A closed register stops asking the database and Stripe for news.
        self._timer.stop()
        self._hold_timer.stop()
        self._stripe_timer.stop()
        # Let reads and Stripe checks under way finish, so none is cut off mid-transaction.
        QThreadPool.globalInstance().waitForDone(CLOSE_WAIT_MS)
        if self.customer is not None:
            self.customer.close()
        super().closeEvent(event)


@dataclass(frozen=True, slots=True)
class _ScreenData:
    levels: dict[int, int | None]
    orders: dict[str, list[queue.QueueRow]]
    gigs: tickets.QueueState
    stripe: payments.StripeStatus


def _read_screen(uow: UnitOfWork) -> _ScreenData:
    """Everything the periodic refresh shows; safe to run on a worker with its own uow."""
    return _ScreenData(
        catalog.stock_levels(uow),
        queue.orders_for_queue(uow),
        tickets.state(uow),
        payments.stripe_status(uow),
    )


def _called(t: tickets.TicketView) -> str:
    who = f" for {t.personalisation}" if t.personalisation else ""
    return f"Called {t.code}: {t.name}{who} ({t.number})"


def _line_from_order(
    view: VariantView | None,
    quantity: int,
    unit_price: int | None,
    name: str | None,
    personalisation: str | None,
) -> LineState:
    return LineState(view, quantity, unit_price, None, name, personalisation)
