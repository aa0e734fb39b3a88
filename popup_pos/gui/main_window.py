"""The selling screen: tiles, cart and tenders, the queues, and every action's shortcut."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QLineEdit,
    QTabBar,
)

from popup_pos.gui import mail_outbox as _mail
from popup_pos.gui.cart_panel import CartPanel
from popup_pos.gui.help import Shortcut
from popup_pos.gui.lazy import Deferred
from popup_pos.gui.queue import OrderQueue, QueueTabs, TicketQueue
from popup_pos.gui.selling import backoffice as _backoffice
from popup_pos.gui.selling import cart as _cart
from popup_pos.gui.selling import drawer as _drawer
from popup_pos.gui.selling import layout as _layout
from popup_pos.gui.selling import orders as _orders
from popup_pos.gui.selling import payment_qr as _payment_qr
from popup_pos.gui.selling import refresh as _refresh
from popup_pos.gui.selling import safety as _safety
from popup_pos.gui.selling import tender as _tender
from popup_pos.gui.selling import tickets as _tickets
from popup_pos.gui.selling import tips as _tips
from popup_pos.gui.selling import tools as _tools
from popup_pos.gui.selling.window import SellingWindow
from popup_pos.gui.sound import Sounds
from popup_pos.gui.tiles import TileModel, TileView
from popup_pos.services.cart import CartSession
from popup_pos.services.permissions import Limits
from popup_pos.services.views import EventInfo, RegisterInfo, StaffInfo

if TYPE_CHECKING:
    from popup_pos.gui.customer import CustomerDisplay
    from popup_pos.gui.dialogs.payment_qr import PaymentQrDialog
    from popup_pos.gui.tip_choice import TipChoice
    from popup_pos.services import event_terms
    from popup_pos.services.startup import FirstScreen
    from popup_pos.store.uow import UnitOfWork
else:
    # It loads SQLAlchemy and the models: deferred, so that a window built from a
    # `FirstScreen` paints before they load.
    event_terms = Deferred("popup_pos.services.event_terms")

CLOSE_WAIT_MS = 5_000


class MainWindow(SellingWindow):
    """One register's selling screen. It calls services only and shows their results."""

    mail_sender: _mail.MailSender  # set by mail_outbox.install

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
        # The organizer's limits as the last refresh read them; the defaults until then.
        self.limits = Limits()
        self.cart = CartSession(
            event.currency, default_tax=default_tax, role=staff.role, limits=self.limits
        )
        self._cleared: CartSession | None = None  # the cart Esc cleared, for Ctrl+Z
        self._catalog_version: str | None = None  # as last loaded; None: not read yet
        self._reloading_catalog = False
        self.order_id: int | None = None  # an existing order being paid, not a new cart
        self.last_order_id: int | None = None  # for "print the receipt" after a sale
        self.ticket_wait = 0.0  # minutes an experience sold now would wait
        # The order whose payment QR the customer display holds until that customer is
        # done, the QR window used when there is no customer display, and the orders that
        # were shown a wallet QR (picking one in the queue shows it again).
        self._qr_on_display: tuple[int, str] | None = None
        self._qr_dialog: PaymentQrDialog | None = None
        self._wallet_qr_orders: set[int] = set()
        # The tip keys on the customer display, and which display they were added to.
        self._customer_tips: TipChoice | None = None
        self._customer_tips_on: CustomerDisplay | None = None
        self._direct_reads = 0  # refreshes read on the GUI thread, to spot stale ones
        self._reader: UnitOfWork | None = None  # their read-only unit of work, made on first use

        self.model = TileModel(event.currency, self)
        self.tiles = TileView(self.model)
        self.tiles.picked.connect(self.add_variant)
        self.tiles.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tiles.customContextMenuRequested.connect(self.tile_menu)
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
        self.panel.cash_keypad.connect(self.cash_keypad)
        self.panel.tip_picked.connect(self.set_tip)
        self.panel.tip_custom.connect(self.custom_tip)
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
        self.panel.new_sale.connect(self.clear_cart)
        self.panel.notice.clicked.connect(self.show_messages)
        self.panel.split.connect(self.part_cash)
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
        self.tickets = TicketQueue()
        self.tickets.call_next.connect(self.call_next_ticket)
        self.tickets.moved.connect(self.move_ticket)
        self.queue_tabs = QueueTabs(self.orders, self.tickets)

        self._queue_waiting = 0
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
        _safety.install(self)
        _mail.install(self)
        self.tiles.setFocus()

    def _build_actions(self) -> None:
        a = self._action
        a("Help: every shortcut", "F1", self.show_help)
        a("Search", ["F2", "Ctrl+F"], self.focus_search)
        a("Cash, exact amount", "F5", lambda: self.pay_cash(None))
        for i in range(3):
            a(f"Cash, round amount {i + 1}", f"F{6 + i}", partial(self.panel.give_round, i))
        a("Cash handed over: any amount, on a keypad", "F4", self.cash_keypad)
        a("Part payment in cash (split tender)", "Ctrl+F5", self.part_cash)
        a("Wallet QR (Venmo, Cash App, PayPal)", "F9", self.charge_wallet)
        a("Stripe QR: the customer pays on their phone", "F10", self.charge_stripe_qr)
        a("Card reader", "F11", self.charge_card)
        a("Park this sale", "F12", self.park)
        a("Take the payment QR off the customer display", "Ctrl+Shift+Q", self.clear_payment_qr)
        a("Cash drawer: paid in, paid out, no sale", "Ctrl+Shift+M", self.open_drawer)
        a("New sale / leave the order", "Esc", self.escape)
        a("Bring back the cart just cleared", "Ctrl+Z", self.undo_clear)
        a("One more of the selected line", ["+", "Ctrl+="], lambda: self.change_quantity(+1))
        a("One less of the selected line", ["-", "Ctrl+-"], lambda: self.change_quantity(-1))
        a("Remove the selected line", "Del", self.remove_line)
        a("Select the line above", "Ctrl+Up", lambda: self.move_selection(-1))
        a("Select the line below", "Ctrl+Down", lambda: self.move_selection(+1))
        a("Discount on the selected line", "Ctrl+D", self.line_discount)
        a("Discount on the whole order", "Ctrl+Shift+D", self.order_discount)
        a("Custom amount with a note", "Ctrl+K", self.custom_amount)
        a("Change the selected line's price (organizer)", "Ctrl+P", self.price_override)
        a("Orders queue", "Ctrl+1", lambda: self.show_queue(0))
        a("Ticket queue", "Ctrl+2", lambda: self.show_queue(1))
        a("Call the next ticket", "Ctrl+N", self.call_next_ticket)
        a("Customer's email, phone or @handle (limited drops)", "Ctrl+U", self.ask_customer)
        a("Customer display on or off", "Ctrl+Shift+C", self.toggle_customer_display)
        a("The last twenty messages", "Ctrl+M", self.show_messages)
        a("Print labels (the selected tile's SKU)", "Ctrl+Shift+L", self.print_labels)
        a("Edit the selected tile's product (organizer)", "Ctrl+Shift+P", self.edit_tile_product)
        a(
            "Save the selected custom line as a product (organizer)",
            "Ctrl+Shift+S",
            self.save_as_product,
        )
        a("Print the receipt (selected order, else the last sale)", "Ctrl+R", self.print_receipt)
        a("Print ticket slips (selected ticket, else the last sale)", "Ctrl+T", self.print_slips)
        a("Email the receipt, codes and tickets to the fan", "Ctrl+E", self.email_receipt)
        a("The night's report", "Ctrl+Shift+R", self.show_report)
        a("Close the event (organizer)", "Ctrl+Shift+E", self.close_event)
        a("Settings (organizer)", "Ctrl+,", self.settings_requested.emit)
        a("Lock the register", "Ctrl+L", self.lock)
        a("About popup-pos (version, data folder)", "Ctrl+Shift+A", self.show_about)
        self.add_back_office_actions()

    @property
    def loading(self) -> bool:
        """True until the first background refresh has been shown."""
        return not self._shown_once

    def show_fitted(self) -> None:
        """Shown on a real screen, the register takes all of it but the taskbar."""
        if QGuiApplication.platformName() in ("offscreen", "minimal"):
            self.show()
        else:
            self.showMaximized()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.reflow()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.reflow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # Only the person closing the window is asked, never the app closing it itself.
        if event.spontaneous() and not self.may_close():
            event.ignore()
            return
        # A closed register stops asking the database and Stripe for news.
        self._timer.stop()
        self._hold_timer.stop()
        self._stripe_timer.stop()
        # Let reads and Stripe checks under way finish, so none is cut off mid-transaction.
        QThreadPool.globalInstance().waitForDone(CLOSE_WAIT_MS)
        if self.customer is not None:
            self.customer.close()
        super().closeEvent(event)

    # ---- behaviour: one module per panel or family of actions, in gui/selling/ ----------

    # layout (selling/layout.py)
    _build_layout = _layout._build_layout
    _update_heading = _layout._update_heading
    reflow = _layout.reflow
    show_queue = _layout.show_queue
    show_items = _layout.show_items
    note_queue = _layout.note_queue

    # keeping the screen current (selling/refresh.py)
    start_refreshing = _refresh.start_refreshing
    load_catalog = _refresh.load_catalog
    _index = _refresh._index
    changed = _refresh.changed
    screen_reader = _refresh.screen_reader
    refresh = _refresh.refresh
    refresh_in_background = _refresh.refresh_in_background
    _show_snapshot = _refresh._show_snapshot
    _show_error = _refresh._show_error
    _apply_levels = _refresh._apply_levels
    reload_catalog = _refresh.reload_catalog
    release_holds = _refresh.release_holds
    poll_stripe = _refresh.poll_stripe
    apply_changes = _refresh.apply_changes
    say_changes = _refresh.say_changes

    # the cart (selling/cart.py)
    show_cart = _cart.show_cart
    _wait_note = _cart._wait_note
    add_variant = _cart.add_variant
    ask_customer = _cart.ask_customer
    _back_to_selling = _cart._back_to_selling
    set_customer = _cart.set_customer
    on_scan = _cart.on_scan
    _search_enter = _cart._search_enter
    selected_line = _cart.selected_line
    change_quantity = _cart.change_quantity
    move_selection = _cart.move_selection
    remove_line = _cart.remove_line
    _ask_discount = _cart._ask_discount
    line_discount = _cart.line_discount
    order_discount = _cart.order_discount
    custom_amount = _cart.custom_amount
    price_override = _cart.price_override
    escape = _cart.escape
    clear_cart = _cart.clear_cart
    undo_clear = _cart.undo_clear
    new_sale = _cart.new_sale
    focus_search = _cart.focus_search

    # taking payment (selling/tender.py)
    pay_cash = _tender.pay_cash
    _take_cash = _tender._take_cash
    _owed = _tender._owed
    cash_keypad = _tender.cash_keypad
    part_cash = _tender.part_cash
    _paid_by = _tender._paid_by
    _sold = _tender._sold
    _order_tickets = _tender._order_tickets
    _thank = _tender._thank
    _thank_for = _tender._thank_for
    cart_changes = _tender.cart_changes
    _place_for_payment = _tender._place_for_payment
    charge_wallet = _tender.charge_wallet
    confirm_wallet = _tender.confirm_wallet
    charge_stripe_qr = _tender.charge_stripe_qr
    charge_card = _tender.charge_card
    _charge_stripe = _tender._charge_stripe
    _charged = _tender._charged
    park = _tender.park

    # the customer's payment QR (selling/payment_qr.py)
    show_payment_qr = _payment_qr.show_payment_qr
    _confirm_from_qr = _payment_qr._confirm_from_qr
    qr_done = _payment_qr.qr_done
    clear_payment_qr = _payment_qr.clear_payment_qr
    show_order_qr = _payment_qr.show_order_qr
    _show_wallet_qr = _payment_qr._show_wallet_qr
    confirm_wallet_for = _payment_qr.confirm_wallet_for

    # the tip before the tender (selling/tips.py)
    set_tip = _tips.set_tip
    custom_tip = _tips.custom_tip
    show_customer_tips = _tips.show_customer_tips

    # the cash drawer outside sales (selling/drawer.py)
    open_drawer = _drawer.open_drawer

    # orders in the queue (selling/orders.py)
    open_order_by_number = _orders.open_order_by_number
    open_order = _orders.open_order
    show_scanned_order = _orders.show_scanned_order
    resume_order = _orders.resume_order
    cancel_order = _orders.cancel_order
    handed_over = _orders.handed_over
    refund = _orders.refund

    # keys and questions that keep a sale from being lost (selling/safety.py)
    may_close = _safety.may_close
    ask_approval = _safety.ask_approval
    with_organizer = _safety.with_organizer
    signed_in = _safety.signed_in

    # the ticket queue (selling/tickets.py)
    call_next_ticket = _tickets.call_next_ticket
    call_ticket = _tickets.call_ticket
    move_ticket = _tickets.move_ticket

    # the Back office menu (selling/backoffice.py)
    add_back_office_actions = _backoffice.add_back_office_actions
    show_back_office = _backoffice.show_back_office
    open_orders = _backoffice.open_orders
    open_codes = _backoffice.open_codes

    # the top bar's tools (selling/tools.py)
    require_organizer = _tools.require_organizer
    lock = _tools.lock
    show_help = _tools.show_help
    toggle_customer_display = _tools.toggle_customer_display
    show_messages = _tools.show_messages
    show_about = _tools.show_about
    show_report = _tools.show_report
    close_event = _tools.close_event
    print_labels = _tools.print_labels
    print_receipt = _tools.print_receipt
    email_receipt = _mail.email_receipt
    print_slips = _tools.print_slips
    show_catalog = _tools.show_catalog
    save_as_product = _tools.save_as_product
    edit_tile_product = _tools.edit_tile_product
    tile_menu = _tools.tile_menu
