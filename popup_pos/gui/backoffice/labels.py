"""Labels for the variants picked in the catalog: copies of each, or one per unit on hand,
drawn on a worker with the printing defaults, then printed or saved."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.limits import MAX_COPIES
from popup_pos.gui.dialogs.kit import _first_line, _primary, _roomy, _say
from popup_pos.gui.printing import print_pdf, save_pdf
from popup_pos.gui.worker import run_in_background
from popup_pos.services import database, printing

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

DEFAULT_TEMPLATE = "(printing default)"


@dataclass(frozen=True, slots=True)
class LabelOrder:
    """Which labels: (SKU, how many) for each picked variant, and the sheet or roll."""

    counts: tuple[tuple[str, int], ...]
    template: str | None

    @property
    def total(self) -> int:
        return sum(n for _s, n in self.counts)


def build(uow: UnitOfWork, order: LabelOrder, out: Path) -> printing.LabelsPrinted:
    """Draw the labels into `out` (runs on a worker)."""
    items = []
    for sku, n in order.counts:
        if n > 0:
            items.extend(printing.labels_for_sku(uow, sku, n))
    if not items:
        raise printing.PrintingError("nothing to label: none of them has stock on hand")
    return printing.print_labels(uow, items, out, template=order.template)


class CatalogLabelsDialog(QDialog):
    def __init__(
        self, uow: UnitOfWork, picked: list[tuple[str, int]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.uow, self.picked = uow, picked
        self.last: printing.LabelsPrinted | None = None
        self._busy = False
        _roomy(self)
        self.setWindowTitle(f"Labels for {len(picked)} variant(s)")
        layout = QVBoxLayout(self)
        names = ", ".join(s for s, _n in picked[:6]) + (" …" if len(picked) > 6 else "")
        layout.addWidget(QLabel(names))
        form = QFormLayout()
        self.copies_mode = QRadioButton("&Copies of each")
        self.copies_mode.setChecked(True)
        self.copies = QSpinBox()
        self.copies.setObjectName("labelCopies")
        self.copies.setRange(1, MAX_COPIES)
        row = QHBoxLayout()
        row.addWidget(self.copies_mode)
        row.addWidget(self.copies)
        self.stock_mode = QRadioButton(
            f"&One per unit on hand ({sum(max(n, 0) for _s, n in picked)} labels)"
        )
        self.stock_mode.setObjectName("labelPerUnit")
        self.template = QComboBox()
        self.template.addItems([DEFAULT_TEMPLATE, *printing.template_names()])
        form.addRow("How many", row)
        form.addRow("", self.stock_mode)
        form.addRow("&Label stock", self.template)
        layout.addLayout(form)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        buttons = QHBoxLayout()
        self.print_button = QPushButton("&Print")
        _primary(self.print_button)
        self.print_button.clicked.connect(lambda: self.start(save=False))
        self.save_button = QPushButton("&Save as PDF…")
        self.save_button.clicked.connect(lambda: self.start(save=True))
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        for b in (self.print_button, self.save_button, close):
            buttons.addWidget(b)
        layout.addLayout(buttons)

    def order(self) -> LabelOrder:
        template = self.template.currentText()
        per_unit = self.stock_mode.isChecked()
        counts = tuple((s, max(n, 0) if per_unit else self.copies.value()) for s, n in self.picked)
        return LabelOrder(counts, None if template == DEFAULT_TEMPLATE else template)

    def start(self, *, save: bool) -> None:
        if self._busy:
            return
        order = self.order()
        handle, name = tempfile.mkstemp(prefix="popup-pos-labels-", suffix=".pdf")
        os.close(handle)
        out = Path(name)
        self._busy = True
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        _say(self.notice, f"Making {order.total} labels…", "info")
        reader = database.for_worker(self.uow, read_only=True)
        run_in_background(
            lambda: build(reader, order, out),
            lambda done: self._built(done, out, save=save),
            lambda error: self._failed(error, out),
            parent=self,
        )

    def _idle(self) -> None:
        self._busy = False
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)

    def _built(self, done: printing.LabelsPrinted, out: Path, *, save: bool) -> None:
        self._idle()
        self.last = done
        title = f"{done.labels} labels ({done.template}, {done.pages} pages)"
        try:
            if save:
                message = save_pdf(self, out, title=title, name="labels.pdf")
            else:
                message = print_pdf(self, out, title=title)
        finally:
            # On Windows the viewer opens the file after printing starts: it must stay.
            if sys.platform != "win32":
                out.unlink(missing_ok=True)
        _say(self.notice, message, "info")

    def _failed(self, error: BaseException, out: Path) -> None:
        self._idle()
        out.unlink(missing_ok=True)
        _say(self.notice, _first_line(error))
