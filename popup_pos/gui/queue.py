"""The order queue beside the cart (awaiting payment, paid — hand over, parked) and the
ticket queue."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.money import format_money

if TYPE_CHECKING:
    from popup_pos.services.tickets import QueueState, TicketView


def utcnow() -> datetime:
    return datetime.now(UTC)


SECTIONS = (
    ("awaiting_payment", "Awaiting payment"),
    ("paid", "Paid — hand over"),
    ("parked", "Parked"),
)
QUEUE_LIST_MIN_HEIGHT = 84
OrderRow = tuple[int, str, str, int, datetime | None]  # id, number, status, total, since


def age(since: datetime | None, now: datetime | None = None) -> str:
    """'3 min', '45 s': how long an order has waited."""
    if since is None:
        return ""
    seconds = int(((now or utcnow()) - since).total_seconds())
    if seconds < 60:
        return f"{max(seconds, 0)} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d}"


class OrderQueue(QWidget):
    """Three lists; picking an order emits `chosen(order_id, section)`."""

    chosen = Signal(int, str)
    resume = Signal()
    take_cash = Signal()
    confirm_wallet = Signal()
    cancel = Signal()
    handed_over = Signal()
    refund = Signal()

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currency = currency
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.lists: dict[str, QListWidget] = {}
        self.headers: dict[str, QLabel] = {}
        for key, title in SECTIONS:
            header = QLabel(title)
            header.setObjectName("queueHeader")
            layout.addWidget(header)
            lst = QListWidget()
            lst.setObjectName("queue")
            lst.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            # Two rows at least; the scroll bar's own minimum would ask for more, and three
            # lists of that do not fit a 720-pixel screen.
            lst.setMinimumHeight(QUEUE_LIST_MIN_HEIGHT)
            lst.itemClicked.connect(lambda item, key=key: self._pick(item, key))
            layout.addWidget(lst, 1)
            self.lists[key] = lst
            self.headers[key] = header
        buttons = QGridLayout()
        actions = [
            ("Resume", self.resume),
            ("Take cash", self.take_cash),
            ("Wallet paid", self.confirm_wallet),
            ("Cancel", self.cancel),
            ("Handed over", self.handed_over),
            ("Refund…", self.refund),
        ]
        self.buttons: dict[str, QPushButton] = {}
        for i, (text, signal) in enumerate(actions):
            b = QPushButton(text)
            b.setObjectName("queueAction")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(signal.emit)
            buttons.addWidget(b, i // 2, i % 2)
            self.buttons[text] = b
        layout.addLayout(buttons)
        self.selected: tuple[int, str] | None = None
        self._enable(None)

    def _pick(self, item: QListWidgetItem, key: str, *, emit: bool = True) -> None:
        for other_key, lst in self.lists.items():
            if other_key != key:
                lst.clearSelection()
        order_id = int(item.data(Qt.ItemDataRole.UserRole))
        self.selected = (order_id, key)
        self._enable(key)
        if emit:
            self.chosen.emit(order_id, key)

    def _enable(self, section: str | None) -> None:
        allowed = {
            None: set(),
            "awaiting_payment": {"Resume", "Take cash", "Wallet paid", "Cancel"},
            "paid": {"Handed over", "Refund…"},
            "parked": {"Resume", "Cancel"},
        }[section]
        for text, b in self.buttons.items():
            b.setEnabled(text in allowed)

    def show_orders(self, rows: dict[str, list[OrderRow]]) -> None:
        now = utcnow()
        for key, title in SECTIONS:
            lst = self.lists[key]
            items = rows.get(key, [])
            self.headers[key].setText(f"{title} ({len(items)})")
            keep = self.selected[0] if self.selected and self.selected[1] == key else None
            lst.clear()
            for order_id, number, _status, total, since in items:
                waited = f"  ·  {age(since, now)}" if key == "awaiting_payment" else ""
                item = QListWidgetItem(f"{number}   {format_money(total, self.currency)}{waited}")
                item.setData(Qt.ItemDataRole.UserRole, order_id)
                lst.addItem(item)
                if order_id == keep:
                    item.setSelected(True)
        if self.selected and not any(
            r[0] == self.selected[0] for r in rows.get(self.selected[1], [])
        ):
            self.selected = None
            self._enable(None)

    def select_order(self, order_id: int, section: str, *, emit: bool = True) -> bool:
        """Pull an order up (a scanned ticket QR); False if it is not in that section.
        Without `emit`, whoever already read the order opens it: `chosen` is not sent."""
        lst = self.lists.get(section)
        if lst is None:
            return False
        for i in range(lst.count()):
            item = lst.item(i)
            if int(item.data(Qt.ItemDataRole.UserRole)) == order_id:
                lst.setCurrentItem(item)
                self._pick(item, section, emit=emit)
                return True
        return False


class TicketQueue(QWidget):
    """Experience tickets: waiting, called, done or no-show, with times; Call next."""

    call_next = Signal()
    moved = Signal(int, str)  # ticket id, new status

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._orders: dict[int, int | None] = {}  # ticket id -> its order's id
        self.summary = QLabel("Nobody waiting")
        self.summary.setObjectName("queueHeader")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.list = QListWidget()
        self.list.setObjectName("queue")
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.list, 1)
        grid = QGridLayout()
        self.next_button = QPushButton("Call next  (Ctrl+N)")
        self.next_button.setObjectName("tender")
        self.next_button.setProperty("primary", True)
        self.next_button.clicked.connect(self.call_next.emit)
        grid.addWidget(self.next_button, 0, 0, 1, 2)
        for i, (text, status) in enumerate(
            (("Done", "done"), ("No-show", "no_show"), ("Back to waiting", "waiting"))
        ):
            b = QPushButton(text)
            b.setObjectName("queueAction")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _=False, s=status: self._move(s))
            grid.addWidget(b, 1 + i // 2, i % 2)
        layout.addLayout(grid)

    def _move(self, status: str) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.moved.emit(int(item.data(Qt.ItemDataRole.UserRole)), status)

    def selected_order_id(self) -> int | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return self._orders.get(int(item.data(Qt.ItemDataRole.UserRole)))

    def select(self, ticket_id: int) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if int(item.data(Qt.ItemDataRole.UserRole)) == ticket_id:
                self.list.setCurrentItem(item)
                return

    def show_tickets(self, state: QueueState) -> None:
        now = utcnow()
        keep = self.list.currentItem()
        keep_id = int(keep.data(Qt.ItemDataRole.UserRole)) if keep else None
        self.list.clear()
        self._orders = {t.id: t.order_id for t in state.tickets}
        for t in state.tickets:
            if (
                t.status in ("done", "no_show")
                and t.done_at
                and (now - t.done_at).total_seconds() > 1800
            ):
                continue  # the queue shows the last half hour of finished tickets
            item = QListWidgetItem(_ticket_text(t, now))
            item.setData(Qt.ItemDataRole.UserRole, t.id)
            self.list.addItem(item)
            if t.id == keep_id:
                self.list.setCurrentItem(item)
        if state.waiting:
            self.summary.setText(
                f"{state.waiting} waiting  ·  next new one in about "
                f"{round(state.walk_in_minutes)} min"
            )
        elif state.called:
            self.summary.setText(f"{state.called} called, nobody else waiting")
        else:
            self.summary.setText("Nobody waiting")


def _ticket_text(t: TicketView, now: datetime) -> str:
    """'GIG-12  Shoutout for Sam' over 'A-0042  ·  slot 20:40  ·  waiting 3 min  ·  about 6 min'."""
    if t.status == "waiting":
        parts = [f"waiting {age(t.created_at, now)}"]
        if t.slot_at is not None:
            parts.insert(0, f"slot {t.slot_at.astimezone():%H:%M}")
        if t.wait_minutes is not None:
            parts.append("next" if t.wait_minutes < 1 else f"about {round(t.wait_minutes)} min")
        when = "  ·  ".join(parts)
    else:
        when = {
            "called": f"called {age(t.called_at, now)} ago",
            "done": "done",
            "no_show": "no-show",
        }.get(t.status, t.status)
    who = f" for {t.personalisation}" if t.personalisation else ""
    # Two lines: the queue column is narrow, and the wait must not be cut off.
    return f"{t.code}  {t.name}{who}\n{t.number}  ·  {when}"


class QueueTabs(QTabWidget):
    def __init__(
        self, orders: OrderQueue, tickets: TicketQueue, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.addTab(orders, "Orders")
        self.addTab(tickets, "Tickets")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
