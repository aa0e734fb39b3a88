"""Settings → Stripe: the key, Check, and the card readers; network calls on a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.gui.dialogs.kit import _first_line, _prepare_notice, _say
from popup_pos.gui.worker import run_in_background
from popup_pos.services import database, payments

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


_SOURCES = {"keyring": "from the system keyring", "environment": "from STRIPE_API_KEY"}


def check_line(check: payments.StripeCheck) -> str:
    """One line for the Check button: account, mode and readers."""
    who = check.account_name or ("restricted key" if check.restricted else "unnamed account")
    mode = "test mode" if check.test_mode else "live mode"
    n = len(check.readers)
    online = sum(1 for r in check.readers if r.status == "online")
    readers = f"{n} reader{'s' if n != 1 else ''}" + (f" ({online} online)" if n else "")
    return f"Key works: {who} · {mode} · {readers}"


def reader_line(reader: payments.ReaderInfo) -> str:
    parts = [reader.label, reader.device_type or "reader", reader.stripe_id]
    if reader.register_code:
        parts.append(f"register {reader.register_code}")
    if reader.status:
        parts.append(reader.status)
    return " · ".join(parts)


class StripePage(QWidget):
    """Settings → Stripe: the key (masked, and where it comes from), Check, card readers.

    Anything that reaches Stripe or the keyring runs on a worker: a slow network or a
    keyring that asks to be unlocked never freezes the dialog. The key typed here goes
    straight to the keyring; it is never kept in settings, logs or the audit log.
    """

    def __init__(self, uow: UnitOfWork, register_code: str | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("stripePage")
        self.uow = uow
        self.busy = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 20)
        layout.setSpacing(12)
        hint = QLabel(
            "Stripe takes QR and card-reader payments. The key is kept in the system "
            "keyring, never in the database; without a keyring, set STRIPE_API_KEY."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        self.key_label = QLabel("checking…")
        self.key_label.setObjectName("stripeKeyLabel")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        form.addRow("Key in use", self.key_label)
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("stripeKeyEdit")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("sk_live_…, sk_test_… or rk_…")
        # Neither the clipboard nor an undo history may keep a secret key.
        self.key_edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.save_key_button = QPushButton("Save key")
        self.check_button = QPushButton("Check")
        row = QHBoxLayout()
        row.addWidget(self.key_edit, 1)
        row.addWidget(self.save_key_button)
        row.addWidget(self.check_button)
        form.addRow("New key", row)
        self.check_label = QLabel("")
        self.check_label.setObjectName("notice")
        _prepare_notice(self.check_label)
        form.addRow("", self.check_label)
        layout.addLayout(form)

        layout.addWidget(QLabel("Card readers"))
        self.readers = QListWidget()
        self.readers.setObjectName("stripeReaders")
        self.readers.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.readers, 1)
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("shown on the reader")
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText("e.g. Front table")
        self.register_edit = QLineEdit(register_code or "")
        self.register_edit.setPlaceholderText("any")
        self.register_edit.setMaximumWidth(90)
        self.register_button = QPushButton("Register reader")
        pair = QHBoxLayout()
        pair.addWidget(QLabel("Code"))
        pair.addWidget(self.code_edit, 2)
        pair.addWidget(QLabel("Label"))
        pair.addWidget(self.label_edit, 2)
        pair.addWidget(QLabel("For register"))
        pair.addWidget(self.register_edit)
        pair.addWidget(self.register_button)
        layout.addLayout(pair)

        self.save_key_button.clicked.connect(self.save_key)
        self.key_edit.returnPressed.connect(self.save_key)
        self.check_button.clicked.connect(self.check)
        self.register_button.clicked.connect(self.register_reader)
        self.show_readers(payments.list_readers(uow, live=False))
        self.load_key()

    # --- the key ----------------------------------------------------------------------

    def load_key(self) -> None:
        """Where the key comes from, read on a worker (the keyring may ask to unlock)."""
        run_in_background(payments.key_info, self.show_key, self._failed, parent=self)

    def show_key(self, info: payments.KeyInfo) -> None:
        if info.source is None:
            self.key_label.setText("none: Stripe QR and card reader are off")
        else:
            self.key_label.setText(f"{info.masked} ({_SOURCES.get(info.source, info.source)})")
        self.key_label.setToolTip(info.note or "")

    def save_key(self) -> None:
        key = self.key_edit.text().strip()
        if not key or self.busy:
            return
        # Cleared at once: the key lives on only in the keyring.
        self.key_edit.clear()
        self._start("Saving the key…")
        run_in_background(lambda: payments.set_key(key), self._saved, self._failed, parent=self)

    def _saved(self, info: payments.KeyInfo) -> None:
        self._stop()
        self.show_key(info)
        _say(self.check_label, "Key saved in the system keyring: press Check to try it", "info")

    # --- checking and readers -----------------------------------------------------------

    def check(self) -> None:
        """Ask Stripe whether the key works and which readers the account has."""
        if self.busy:
            return
        self._start("Asking Stripe…")
        worker = database.for_worker(self.uow)
        run_in_background(
            lambda: payments.check_stripe(worker), self._checked, self._failed, parent=self
        )

    def _checked(self, check: payments.StripeCheck) -> None:
        self._stop()
        _say(self.check_label, check_line(check), "info")
        self.show_readers(list(check.readers))
        self.load_key()

    def register_reader(self) -> None:
        code, label = self.code_edit.text().strip(), self.label_edit.text().strip()
        if self.busy:
            return
        if not code or not label:
            _say(self.check_label, "Type the code the reader shows and a label for it", "warn")
            return
        register = self.register_edit.text().strip() or None
        self._start("Registering the reader…")
        worker = database.for_worker(self.uow)

        def pair() -> list[payments.ReaderInfo]:
            payments.register_reader(worker, code, label, register_code=register)
            return payments.list_readers(worker)

        run_in_background(pair, self._registered, self._failed, parent=self)

    def _registered(self, readers: list[payments.ReaderInfo]) -> None:
        self._stop()
        self.code_edit.clear()
        self.label_edit.clear()
        self.show_readers(readers)
        _say(self.check_label, "Reader registered", "info")

    def show_readers(self, readers: list[payments.ReaderInfo]) -> None:
        self.readers.clear()
        for reader in readers:
            self.readers.addItem(reader_line(reader))
        if not readers:
            self.readers.addItem("No card reader registered here")

    # --- busy state -------------------------------------------------------------------

    def _start(self, message: str) -> None:
        # One call at a time: a Check racing a new key would report on the old one.
        self.busy = True
        for b in (self.save_key_button, self.check_button, self.register_button):
            b.setEnabled(False)
        _say(self.check_label, message, "info")

    def _stop(self) -> None:
        self.busy = False
        for b in (self.save_key_button, self.check_button, self.register_button):
            b.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self._stop()
        if isinstance(error, PosError):
            _say(self.check_label, _first_line(error))
        else:
            _say(self.check_label, f"Stripe: {_first_line(error)}")
