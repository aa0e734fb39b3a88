"""Settings → Helpers' phones: the phone server's switch, the pairing QR, paired phones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money
from popup_pos.gui.dialogs.kit import _first_line, _prepare_notice, _say
from popup_pos.gui.qr import QrWidget
from popup_pos.services import devices, events
from popup_pos.web.server import DEFAULT_PORT, Listening, PhoneServer, ServerError

if TYPE_CHECKING:
    from popup_pos.services.views import StaffInfo
    from popup_pos.store.uow import UnitOfWork

REFRESH_MS = 3000


class _Running:
    """The one phone server of this process: it outlives the Settings dialog."""

    server: PhoneServer | None = None
    listening: Listening | None = None
    hooked = False


def running_server() -> PhoneServer | None:
    return _Running.server


def stop_server() -> None:
    """Stop the phone server if it runs (the app is quitting, or the switch went off)."""
    if _Running.server is not None:
        _Running.server.stop()
    _Running.server = _Running.listening = None


class PhonesPage(QWidget):
    """Settings → Helpers' phones. The server runs on a background thread of this app;
    pairing and signing a phone out go through the devices service."""

    def __init__(self, uow: UnitOfWork, organizer: StaffInfo, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("phonesPage")
        self.uow, self.organizer = uow, organizer
        # Its own scroll area: the QR must keep its size however short the dialog is.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 20, 20, 20)
        layout.setSpacing(10)
        hint = QLabel(
            "Helpers use their own phones as extra registers: turn the server on, show the "
            "pairing QR, and the helper scans it and enters their PIN. With HTTPS the phone "
            "warns about the certificate once: the fingerprint below is the one it should show."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)

        row = QHBoxLayout()
        self.switch = QCheckBox("Serve helpers' phones")
        self.https_check = QCheckBox("HTTPS")
        self.https_check.setChecked(True)
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1024, 65535)
        self.port_spin.setValue(DEFAULT_PORT)
        self.port_spin.setPrefix("port ")
        row.addWidget(self.switch)
        row.addWidget(self.https_check)
        row.addWidget(self.port_spin)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)

        pair_row = QHBoxLayout()
        self.qr = QrWidget(self)
        self.qr.setFixedSize(200, 200)
        self.qr.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        pair_row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        side = QVBoxLayout()
        self.pair_button = QPushButton("New pairing QR")
        self.pair_label = QLabel()
        self.pair_label.setWordWrap(True)
        self.pair_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        side.addWidget(self.pair_button)
        side.addWidget(self.pair_label, 1)
        pair_row.addLayout(side, 1)
        layout.addLayout(pair_row)

        layout.addWidget(QLabel("Paired phones (this event)"))
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setMinimumHeight(80)
        layout.addWidget(self.list, 1)
        self.revoke_button = QPushButton("Sign phone out")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revoke_button)
        layout.addLayout(buttons)
        self.notice = QLabel()
        _prepare_notice(self.notice)
        layout.addWidget(self.notice)

        self.switch.setChecked(_Running.server is not None)
        self.switch.toggled.connect(self._toggled)
        self.pair_button.clicked.connect(self.new_pairing)
        self.revoke_button.clicked.connect(self.revoke)
        self.list.itemSelectionChanged.connect(self._selected)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self._show_state()
        self.refresh()

    # The list refreshes only while the page is on screen.
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        self.timer.stop()
        super().hideEvent(event)

    def _show_state(self) -> None:
        on = _Running.listening
        self.https_check.setEnabled(on is None)
        self.port_spin.setEnabled(on is None)
        self.pair_button.setEnabled(on is not None)
        if on is None:
            self.status.setText("Off: no phone can reach this register.")
            self.qr.set_payload(None)
            self.pair_label.setText("")
            return
        text = f"On: {on.url}"
        if on.fingerprint:
            text += f"\nCertificate fingerprint (SHA-256): {on.fingerprint}"
        else:
            text += "\nPlain HTTP: anyone on this Wi-Fi can read what the phones send."
        self.status.setText(text)

    def _toggled(self, on: bool) -> None:
        _say(self.notice, "")
        if not on:
            stop_server()
            self._show_state()
            return
        server = PhoneServer(
            self.uow, port=self.port_spin.value(), https=self.https_check.isChecked()
        )
        try:
            _Running.listening = server.start()
        except (ServerError, OSError) as e:
            _say(self.notice, _first_line(e))
            self.switch.blockSignals(True)
            self.switch.setChecked(False)
            self.switch.blockSignals(False)
            return
        _Running.server = server
        app = QApplication.instance()
        if app is not None and not _Running.hooked:
            # Phones get their connections closed, not cut, when the app quits.
            app.aboutToQuit.connect(stop_server)
            _Running.hooked = True
        self._show_state()

    def new_pairing(self) -> None:
        server = _Running.server
        if server is None:
            return
        try:
            pairing = devices.start_pairing(self.uow, actor=self.organizer.name)
        except PosError as e:
            _say(self.notice, _first_line(e))
            return
        url = server.url_for_pairing(pairing.code)
        self.qr.set_payload(url)
        until = pairing.expires_at.astimezone().strftime("%H:%M")
        self.pair_label.setText(
            f"Scan with the helper's phone, then they enter their PIN.\n{url}\n"
            f"One phone, until {until}."
        )

    def refresh(self) -> None:
        chosen = self._chosen()
        try:
            event = events.current_event(self.uow)
            cash = devices.cash_taken(self.uow)
            listed = devices.list_devices(self.uow)
        except PosError as e:
            _say(self.notice, _first_line(e))
            return
        self.list.clear()
        for d in listed:
            state = "signed out" if d.revoked_at else "signed in"
            text = f"{d.register_code} · {d.staff_name} · {d.name or 'phone'} · {state}"
            if event is not None and d.register_code is not None:
                taken = format_money(cash.get(d.register_code, 0), event.currency)
                text += f" · cash taken {taken}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, d.id if d.revoked_at is None else None)
            self.list.addItem(item)
            if d.id == chosen:
                item.setSelected(True)
        self._selected()

    def _chosen(self) -> int | None:
        items = self.list.selectedItems()
        if not items:
            return None
        value = items[0].data(Qt.ItemDataRole.UserRole)
        return value if isinstance(value, int) else None

    def _selected(self) -> None:
        self.revoke_button.setEnabled(self._chosen() is not None)

    def revoke(self) -> None:
        device_id = self._chosen()
        if device_id is None:
            return
        try:
            devices.revoke(self.uow, device_id, actor=self.organizer.name)
        except PosError as e:
            _say(self.notice, _first_line(e))
            return
        _say(self.notice, "Signed out: that phone must be paired again.", "info")
        self.refresh()
