"""Settings → Mail: the SMTP server, the password (to the keyring), Check and Send test."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.gui.dialogs.kit import _first_line, _prepare_notice, _say
from popup_pos.gui.worker import run_in_background
from popup_pos.services import database, delivery

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

SECURITY = (("STARTTLS (port 587)", "starttls"), ("TLS (port 465)", "tls"), ("None", "none"))


def flush_line(done: delivery.Flushed) -> str:
    """One line for Send test and the outbox: what went, what waits, the first reason."""
    line = f"Sent {done.sent} · failed {done.failed} · waiting {done.waiting}"
    why = done.note or (done.errors[0] if done.errors else "")
    return f"{line}: {why}" if why else line


class MailPage(QWidget):
    """Settings → Mail. The password typed here goes straight to the system keyring (it
    is never shown again, nor stored in the database); Check and Send test talk to the
    server on a worker, so a slow server never freezes the dialog."""

    def __init__(self, uow: UnitOfWork, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("mailPage")
        self.uow = uow
        self.busy = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 20)
        layout.setSpacing(12)
        hint = QLabel(
            "Receipts, download codes and tickets are emailed through your mail provider's "
            "SMTP server. Messages wait in the outbox while offline and go when it answers."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        self.host = QLineEdit()
        self.host.setPlaceholderText("smtp.example.com")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.security = QComboBox()
        for label, value in SECURITY:
            self.security.addItem(label, value)
        self.user = QLineEdit()
        self.user.setPlaceholderText("login name, often your address")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.password.setPlaceholderText("leave empty to keep the stored one")
        self.password_label = QLabel("")
        self.password_label.setWordWrap(True)
        # Two lines kept free: a wrapped label in a scrolling form is otherwise squeezed.
        self.password_label.setMinimumHeight(self.password_label.fontMetrics().lineSpacing() * 2)
        self.sender_edit = QLineEdit()
        self.sender_edit.setPlaceholderText("shop@example.com")
        self.name = QLineEdit()
        self.name.setPlaceholderText("the name fans see, e.g. the shop's")
        self.reply_to = QLineEdit()
        self.reply_to.setPlaceholderText("where replies go (optional)")
        form.addRow("Server", self.host)
        security = QHBoxLayout()
        security.addWidget(self.security, 1)
        security.addWidget(QLabel("Port"))
        security.addWidget(self.port)
        form.addRow("Security", security)
        form.addRow("Login", self.user)
        form.addRow("Password", self.password)
        form.addRow("", self.password_label)
        form.addRow("From", self.sender_edit)
        form.addRow("Sender name", self.name)
        form.addRow("Reply-to", self.reply_to)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("Save mail settings")
        self.check_button = QPushButton("Check")
        self.test_to = QLineEdit()
        self.test_to.setPlaceholderText("send a test to…")
        self.test_button = QPushButton("Send test")
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        test = QHBoxLayout()
        test.addWidget(self.test_to, 1)
        test.addWidget(self.test_button)
        layout.addLayout(test)
        self.notice = QLabel("")
        self.notice.setObjectName("notice")
        _prepare_notice(self.notice)
        layout.addWidget(self.notice)
        layout.addStretch(1)
        self.save_button.clicked.connect(self.save)
        self.check_button.clicked.connect(self.check)
        self.test_button.clicked.connect(self.send_test)
        self.security.currentIndexChanged.connect(self._default_port)
        self.load()

    def load(self) -> None:
        s = delivery.mail_settings(self.uow)
        self.host.setText(s.host)
        self.port.setValue(s.port)
        self.security.setCurrentIndex(max(self.security.findData(s.security), 0))
        self.user.setText(s.user)
        self.sender_edit.setText(s.sender)
        self.name.setText(s.sender_name)
        self.reply_to.setText(s.reply_to)
        self.test_to.setText(s.reply_to or s.sender)
        run_in_background(delivery.password_source, self._show_source, self._failed, parent=self)

    def _show_source(self, source: str) -> None:
        self.password_label.setToolTip(source)
        # The keyring backend's own explanation (in brackets) stays in the tooltip.
        if " (" in source and ")" in source:
            source = source[: source.index(" (")] + source[source.index(")") + 1 :]
        self.password_label.setText(f"Stored password: {source}")

    def _default_port(self) -> None:
        ports = {"starttls": 587, "tls": 465, "none": 25}
        if self.port.value() in ports.values():
            self.port.setValue(ports[str(self.security.currentData())])

    def values(self) -> dict[str, Any]:
        return {
            "host": self.host.text().strip(),
            "port": self.port.value(),
            "security": str(self.security.currentData()),
            "user": self.user.text().strip(),
            "from": self.sender_edit.text().strip(),
            "from_name": self.name.text().strip(),
            "reply_to": self.reply_to.text().strip(),
        }

    def save(self) -> bool:
        """Store the settings; a typed password goes to the keyring (on a worker)."""
        try:
            delivery.save_settings(self.uow, self.values())
        except PosError as exc:
            _say(self.notice, _first_line(exc))
            return False
        secret = self.password.text()
        self.password.clear()  # the password lives on only in the keyring
        if secret:
            self._start("Saving the password in the system keyring…")
            run_in_background(
                lambda: delivery.set_password(secret), self._password_saved, self._failed,
                parent=self,
            )  # fmt: skip
        else:
            _say(self.notice, "Mail settings saved", "info")
        return True

    def _password_saved(self, where: str) -> None:
        self._stop()
        _say(self.notice, f"Mail settings saved; the password is in {where}", "info")
        run_in_background(delivery.password_source, self._show_source, self._failed, parent=self)

    def check(self) -> None:
        if self.busy or not self.save():
            return
        self._start("Connecting to the mail server…")
        worker = database.for_worker(self.uow)
        run_in_background(
            lambda: delivery.check_server(worker), self._checked, self._failed, parent=self
        )

    def _checked(self, line: str) -> None:
        self._stop()
        _say(self.notice, f"{line[:1].upper()}{line[1:]}: mail can be sent", "info")

    def send_test(self) -> None:
        if self.busy:
            return
        try:
            to = delivery.check_address(self.test_to.text(), "the test address")
        except PosError as exc:
            _say(self.notice, _first_line(exc))
            return
        if not self.save():
            return
        self._start(f"Sending a test to {to}…")
        worker = database.for_worker(self.uow)

        def send() -> delivery.Flushed:
            delivery.queue_test(worker, to)
            return delivery.flush(worker, all_now=True)

        run_in_background(send, self._sent, self._failed, parent=self)

    def _sent(self, done: delivery.Flushed) -> None:
        self._stop()
        _say(self.notice, flush_line(done), "info" if done.sent and not done.errors else "warn")

    def _start(self, message: str) -> None:
        self.busy = True
        for b in (self.save_button, self.check_button, self.test_button):
            b.setEnabled(False)
        _say(self.notice, message, "info")

    def _stop(self) -> None:
        self.busy = False
        for b in (self.save_button, self.check_button, self.test_button):
            b.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self._stop()
        _say(self.notice, _first_line(error) if isinstance(error, PosError) else f"Mail: {error}")
