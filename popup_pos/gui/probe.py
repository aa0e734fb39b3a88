"""Where everything landed on a real screen: windows, the main flows' buttons, key labels,
as JSON (POPUP_POS_PROBE=FILE), so a test can check the register fits the screen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

if TYPE_CHECKING:
    from popup_pos.gui.main_window import MainWindow

# The labels whose text must be read whole (object names).
KEY_LABELS = ("total", "changeDue", "notice", "cartTitle", "queueHeader")


def _rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def elided(label: QLabel) -> bool:
    """True when a one-line label's text is wider than the room it has."""
    text = label.text()
    if not text.strip() or label.wordWrap() or "\n" in text:
        return False
    room = label.contentsRect().width() - 2 * label.margin()
    return label.fontMetrics().horizontalAdvance(text) > room


def _button_clipped(button: QPushButton) -> bool:
    lines = button.text().split("\n")
    wide = max(button.fontMetrics().horizontalAdvance(line) for line in lines)
    return wide > button.contentsRect().width()


def describe(top: QWidget, name: str) -> dict[str, Any]:
    """A top-level window: frame, minimum size, visible buttons and key labels."""
    hint = top.minimumSizeHint().expandedTo(top.minimumSize())
    buttons = []
    for b in top.findChildren(QPushButton):
        if not b.isVisibleTo(top) or not b.isVisible():
            continue
        at = b.mapToGlobal(b.rect().topLeft())
        buttons.append(
            {
                "text": b.text(),
                "rect": [at.x(), at.y(), b.width(), b.height()],
                "clipped": _button_clipped(b),
            }
        )
    labels = [
        {"name": lbl.objectName(), "text": lbl.text(), "elided": elided(lbl)}
        for lbl in top.findChildren(QLabel)
        if lbl.objectName() in KEY_LABELS and lbl.isVisible()
    ]
    return {
        "name": name,
        "title": top.windowTitle(),
        "frame": _rect(top.frameGeometry()),
        "minimum": [hint.width(), hint.height()],
        "buttons": buttons,
        "labels": labels,
    }


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def probe(window: MainWindow, out: Path) -> None:
    """Measure the selling screen (with a sale in the cart) and each long dialog, shown as
    a seller would see them, then write the JSON to `out`."""
    screen = window.screen()
    found: dict[str, Any] = {
        "screen": _rect(screen.geometry()),
        "available": _rect(screen.availableGeometry()),
        "windows": [],
    }
    # Plain items only: a shoutout or a limited drop would stop to ask a question.
    plain = [
        v
        for v in window.by_id.values()
        if v.kind == "item" and not v.personalisation_prompt and v.per_person_limit is None
    ]
    for v in plain[:7]:
        window.add_variant(v)
    _settle()
    found["windows"].append(describe(window, "selling"))
    found["cart_rows_visible"] = window.panel.visible_rows()
    found["cart_lines"] = len(window.cart.lines)
    # Folded or not, the queue's buttons as a seller reaches them.
    window.show_queue(0)
    _settle()
    found["windows"].append(describe(window, "queue"))
    window.show_items()
    from popup_pos.gui.screens import SCREENS

    # The long dialogs, and the back office's windows, built as --screen builds them.
    for name in ("report", "close", "settings", "orders", "codes"):
        dialog = SCREENS[name](window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        _settle()
        found["windows"].append(describe(dialog, name))
        if name == "close":
            pages = getattr(dialog, "pages", None)
            if pages is not None:
                pages.setCurrentIndex(1)
                _settle()
                found["windows"].append(describe(dialog, "close result"))
        dialog.close()
        _settle()
    Path(out).write_text(json.dumps(found, indent=1))
