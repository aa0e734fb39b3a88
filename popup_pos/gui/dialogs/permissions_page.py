"""Settings page: what sellers and helpers may do without the organizer's PIN."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money, parse_amount
from popup_pos.services import permissions
from popup_pos.services.permissions import Limits

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


class PermissionsPage(QWidget):
    """The organizer's limits; stored by the settings dialog's Save."""

    def __init__(self, uow: UnitOfWork, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currency = currency
        self.loaded = permissions.get_limits(uow)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Above these limits a seller or helper is asked for the organizer's PIN at the "
            "register. Price changes always need it. A discount is measured as a share of "
            "what it comes off (a line, or the whole order)."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.helper_spin = self._percent(self.loaded.helper_discount_percent)
        self.seller_spin = self._percent(self.loaded.seller_discount_percent)
        self.cap_edit = QLineEdit(format_money(self.loaded.custom_cap_cents, currency))
        self.cap_edit.setObjectName("customCapEdit")
        form.addRow("Helpers' discounts up to", self.helper_spin)
        form.addRow("Sellers' discounts up to", self.seller_spin)
        form.addRow(f"Custom amounts up to ({currency})", self.cap_edit)
        layout.addLayout(form)
        hint = QLabel("0 % means every discount needs the organizer; 100 % means none does.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addStretch(1)

    @staticmethod
    def _percent(value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(0, 100)
        spin.setSuffix(" %")
        spin.setValue(value)
        return spin

    def limits(self) -> Limits:
        """The page as limits; raises PosError naming the field that is wrong."""
        text = self.cap_edit.text().strip()
        if not text:
            raise PosError("custom amount cap: enter an amount (0: every one needs the organizer)")
        cap = parse_amount(text, self.currency, what="custom amount cap")
        return permissions.check_limits(
            Limits(self.helper_spin.value(), self.seller_spin.value(), cap)
        )
