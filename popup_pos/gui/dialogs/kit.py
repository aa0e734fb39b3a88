"""What every dialog shares: touch-sized fonts and indicators, the notice line, the big key."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from popup_pos.gui.theme import GREEN, RED, polish

# Below this the pads and fields stop being comfortable to hit with a finger.
MIN_POINT_SIZE = 14

PIN_INPUT = QRegularExpression(r"[0-9]{0,8}")

# Check boxes and radio buttons big enough for a finger and visible on a dark background;
# palette() colours keep them right with or without the dark theme.
INDICATORS = f"""
QCheckBox::indicator, QRadioButton::indicator {{
    width: 22px; height: 22px; border: 2px solid palette(window-text);
    background: palette(base);
}}
QCheckBox::indicator {{ border-radius: 5px; }}
QRadioButton::indicator {{ border-radius: 13px; }}
QCheckBox::indicator:checked {{ background: {GREEN}; border-color: {GREEN}; }}
QRadioButton::indicator:checked {{
    border-color: {GREEN};
    background: qradialgradient(cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5, fy: 0.5,
        stop: 0 {GREEN}, stop: 0.5 {GREEN}, stop: 0.56 palette(base));
}}
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled {{
    border-color: palette(mid);
}}
QCheckBox, QRadioButton {{ spacing: 10px; }}
"""


def _setup(form: Any, dialog: QDialog) -> None:
    # The compiled forms are uic's output, unannotated and kept out of type checking.
    form.setupUi(dialog)


def _roomy(dialog: QDialog) -> None:
    """Big enough to use by touch whether or not the dark theme has been applied."""
    font = dialog.font()
    if font.pointSize() < MIN_POINT_SIZE:
        font.setPointSize(MIN_POINT_SIZE)
        dialog.setFont(font)
    dialog.setStyleSheet(INDICATORS)


def _prepare_notice(label: QLabel) -> None:
    # Ignored width: a long message is cut off rather than stretching the dialog.
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setText("")


def _themed() -> bool:
    app = QApplication.instance()
    return isinstance(app, QApplication) and bool(app.styleSheet())


def _restyle(widget: QWidget) -> None:
    """Re-apply the theme after a property change; without the theme there is nothing to
    redo, and re-polishing would drop the dialog's larger font."""
    if _themed():
        polish(widget)


def _say(label: QLabel, text: str, level: str = "error") -> None:
    """Show one line in a dialog's notice area ('' clears it).

    Too long for the line, it ends in an ellipsis; the tooltip always has all of it.
    """
    label.setProperty("level", level if text else "")
    if _themed():
        polish(label)
    else:
        # The theme styles the notice by its level; without it, errors still stand out.
        size = f"font-size: {label.window().font().pointSize()}pt;"
        error = level == "error" and text
        label.setStyleSheet(f"{size} color: {RED}; font-weight: bold;" if error else size)
    label.setToolTip(text)
    width = label.contentsRect().width()
    if text and label.isVisible() and width > 0:
        text = label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width)
    label.setText(text)


def _primary(button: QPushButton) -> None:
    """Style the button that finishes a dialog as the theme's big green key."""
    button.setObjectName("tender")
    button.setProperty("primary", True)
    font = button.font()
    font.setBold(True)
    button.setFont(font)
    _restyle(button)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _count(field: QLineEdit) -> int:
    text = field.text().strip()
    return int(text) if text.isdigit() else 0


class _NextOnEnter(QObject):
    """Enter in a count moves to the next count instead of opening the event half-counted."""

    def __init__(self, order: list[QObject], last: QWidget, parent: QObject) -> None:
        super().__init__(parent)
        self.order = order
        self.last = last

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and watched in self.order
        ):
            at = self.order.index(watched)
            following = self.order[at + 1] if at + 1 < len(self.order) else self.last
            if isinstance(following, QWidget):
                following.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return False
