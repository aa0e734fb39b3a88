"""The tip buttons taken before the tender: the event's presets, a custom tip and no tip."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QSizePolicy, QWidget

from popup_pos.domain.money import format_money, format_percent
from popup_pos.domain.pricing import DiscountKind, Tip


class TipChoice(QWidget):
    """One row of checkable keys; the seller's panel and the customer display each have one.

    `picked` carries the Tip chosen (None: no tip); `custom` asks the seller for an amount.
    """

    picked = Signal(object)
    custom = Signal()

    def __init__(self, *, large: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tipChoice")
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._presets: tuple[int, ...] = ()
        self._keys: list[QPushButton] = []
        self._large = large
        self.none_key = self._key("No tip")
        self.none_key.clicked.connect(lambda: self.picked.emit(None))
        self.custom_key = self._key("Custom…")
        self.custom_key.clicked.connect(self.custom.emit)
        self.setVisible(False)

    def _key(self, text: str) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName("tipKey")
        b.setCheckable(True)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.setMinimumHeight(72 if self._large else 40)
        # The customer reads theirs from a step away; the seller's sit in a narrow panel.
        b.setStyleSheet(
            "padding: 4px 8px; font-size: 22pt;" if self._large else "padding: 2px 4px;"
        )
        b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._group.addButton(b)
        return b

    @property
    def presets(self) -> tuple[int, ...]:
        return self._presets

    @property
    def keys(self) -> list[QPushButton]:
        """The preset keys, in order (custom and no tip are separate)."""
        return list(self._keys)

    def set_presets(self, presets: Sequence[int]) -> None:
        """The event's tip presets in ppm; none hides the row (tips are off)."""
        presets = tuple(presets)
        if presets == self._presets and self._keys:
            return
        self._presets = presets
        for b in self._keys:
            self._group.removeButton(b)
            b.deleteLater()
        self._keys = []
        while self._row.count():
            self._row.takeAt(0)
        for ppm in presets:
            b = self._key(format_percent(ppm))
            b.clicked.connect(lambda _=False, ppm=ppm: self.picked.emit(Tip.percent(ppm)))
            self._keys.append(b)
            self._row.addWidget(b)
        self._row.addWidget(self.custom_key)
        self._row.addWidget(self.none_key)

    def show_for(self, base_cents: int, currency: str, tip: Tip | None, *, offer: bool) -> None:
        """Each preset with what it comes to on `base_cents`, the current choice checked."""
        shown = offer and bool(self._presets)
        self.setVisible(shown)
        if not shown:
            return
        for ppm, b in zip(self._presets, self._keys, strict=True):
            amount = format_money(Tip.percent(ppm).on(base_cents), currency)
            # The customer's keys say what each comes to; the seller's narrow ones say it
            # in the tooltip, and the total changes as soon as one is picked.
            b.setText(f"{format_percent(ppm)}\n{amount}" if self._large else format_percent(ppm))
            b.setToolTip(f"{format_percent(ppm)} tip: {amount}")
            b.setChecked(tip is not None and tip == Tip.percent(ppm))
        custom = tip is not None and tip.kind is DiscountKind.AMOUNT
        if custom and tip is not None:
            sep = "\n" if self._large else " "
            self.custom_key.setText(f"Custom{sep}{format_money(tip.value, currency)}")
        else:
            self.custom_key.setText("Custom…")
        self.custom_key.setChecked(custom)
        self.none_key.setChecked(tip is None)
        # Tall enough for the lines in the font the screen gives them (the customer
        # display's is large), so no amount is cut.
        lines = 2 if self._large else 1
        for b in (*self._keys, self.custom_key, self.none_key):
            b.ensurePolished()
            b.setMinimumHeight(b.fontMetrics().lineSpacing() * lines + 16)
