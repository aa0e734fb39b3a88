"""Email at the register: the fan's address for an order, and the outbox sent in the background."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.gui.dialogs.kit import _first_line, _prepare_notice, _primary, _say
from popup_pos.gui.lazy import Deferred
from popup_pos.gui.worker import run_in_background

if TYPE_CHECKING:
    from popup_pos.services import checkout, database, delivery
    from popup_pos.store.uow import UnitOfWork
else:
    # They load SQLAlchemy and the models: deferred, so that the selling window, which
    # imports this module, paints its first frame before they load.
    checkout = Deferred("popup_pos.services.checkout")
    database = Deferred("popup_pos.services.database")
    delivery = Deferred("popup_pos.services.delivery")

# The selling window, typed loosely: naming MainWindow here would make this module part
# of the selling screen's import cycle.
MainWindow = Any

FLUSH_EVERY_MS = 30_000
FIRST_FLUSH_MS = 5_000


def address_from_scan(text: str) -> str:
    """A typed address, or one scanned from the fan's phone (a `mailto:` QR)."""
    text = text.strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :].split("?", 1)[0]
    return text


def waiting_text(n: int) -> str:
    return f"{n} email{'s' if n != 1 else ''} waiting" if n else ""


class EmailDialog(QDialog):
    """The fan's email for one order and their choice; the address is checked at once."""

    def __init__(self, uow: UnitOfWork, order_id: int, number: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("emailDialog")
        self.setWindowTitle(f"Email the receipt of {number}")
        self.uow = uow
        self.order_id = order_id
        self.queued: delivery.Queued | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Type the fan's email, or scan the email QR on their phone:"))
        self.email = QLineEdit()
        self.email.setObjectName("fanEmail")
        self.email.setPlaceholderText("fan@example.com")
        layout.addWidget(self.email)
        self.receipt_only = QRadioButton("Receipt only (the address is deleted once sent)")
        self.receipt_only.setChecked(True)
        self.consent = QRadioButton("Also hear from this seller again")
        layout.addWidget(self.receipt_only)
        layout.addWidget(self.consent)
        self.notice = QLabel("")
        self.notice.setObjectName("notice")
        _prepare_notice(self.notice)
        layout.addWidget(self.notice)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.send_button = QPushButton("Send")
        _primary(self.send_button)
        cancel = QPushButton("Cancel")
        buttons.addWidget(cancel)
        buttons.addWidget(self.send_button)
        layout.addLayout(buttons)
        # Enter (a scanner ends with it) sends; it must never press Cancel.
        cancel.setAutoDefault(False)
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        cancel.clicked.connect(self.reject)
        self.resize(520, self.sizeHint().height())
        self.email.setFocus()

    def send(self) -> None:
        text = address_from_scan(self.email.text())
        try:
            delivery.check_address(text)
            self.queued = delivery.ask_receipt(
                self.uow, self.order_id, text, consent=self.consent.isChecked()
            )
        except PosError as exc:
            _say(self.notice, _first_line(exc))
            self.email.setFocus()
            return
        self.accept()


def _layout_of(window: QWidget, widget: QWidget) -> QBoxLayout | None:
    for lay in window.findChildren(QLayout):
        if isinstance(lay, QBoxLayout) and lay.indexOf(widget) >= 0:
            return lay
    return None


class MailSender(QObject):
    """Sends the outbox every half minute on a worker; shows "N emails waiting"."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.busy = False
        self.label = QLabel("")
        self.label.setObjectName("mailWaiting")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.label.hide()
        lay = _layout_of(window, window.banner)
        if lay is not None:
            lay.insertWidget(lay.indexOf(window.banner) + 1, self.label)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.flush)
        self.timer.start(FLUSH_EVERY_MS)
        QTimer.singleShot(FIRST_FLUSH_MS, self.flush)

    def flush(self) -> None:
        if self.busy:
            return
        self.busy = True
        worker = database.for_worker(self.window.uow)
        run_in_background(lambda: delivery.flush(worker), self.show, self._failed, parent=self)

    def show(self, done: delivery.Flushed) -> None:
        self.busy = False
        self.label.setText(waiting_text(done.waiting))
        self.label.setToolTip(done.note or (done.errors[0] if done.errors else ""))
        self.label.setVisible(bool(done.waiting))

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.label.setToolTip(_first_line(error))


def install(window: MainWindow) -> None:
    window.mail_sender = MailSender(window)


def email_receipt(window: MainWindow) -> None:
    """Ctrl+E: email the receipt (codes, tickets) of the order on screen, else the last
    sale; also how a refused address is fixed and sent again."""
    shown = window.order_id if window.order_id is not None and window.orders.selected else None
    order_id = shown if shown is not None else window.last_order_id
    if order_id is None:
        window.panel.say("Sell something first, or pick an order in the queue", "warn")
        return
    try:
        number = checkout.get_order(window.uow, order_id).number
    except PosError as exc:
        window.panel.say(str(exc), "error")
        return
    dialog = EmailDialog(window.uow, order_id, number, window)
    if dialog.exec() and dialog.queued is not None:
        q = dialog.queued
        if q.message_id is None:
            window.panel.say(f"{q.order_number}: the receipt is emailed once it is paid", "info")
        else:
            window.panel.say(f"{q.order_number}: receipt queued for email", "info")
            sender: MailSender | None = getattr(window, "mail_sender", None)
            if sender is not None:
                sender.flush()
