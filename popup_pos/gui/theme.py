"""The dark, high-contrast look for a dim venue: Fusion, a palette and a stylesheet with big type.

Selectors and properties the screens use (set ``objectName`` and dynamic properties, then
call :func:`polish` after changing a property on a shown widget):

- ``QPushButton#tile``: a product tile (16 pt bold, large, rounded).
  ``QPushButton#tile[soldOut="true"]``: greyed and dim; ``QPushButton#tile[lowStock="true"]``:
  amber border. ``soldOut`` and ``lowStock`` are bool properties.
- ``QLabel#tileBadge``: the stock chip inside a tile; it turns amber inside a ``lowStock`` tile
  and red inside a ``soldOut`` tile (``polish(tile)`` re-styles the tile's children too).
- ``QPushButton#tender``: a big tender key; ``QPushButton#tender[primary="true"]``: the
  bright green one (cash exact).
- ``QLabel#total``: the order total, very big. ``QLabel#changeDue``: the change due, huge
  and bright green.
- ``QLabel#notice``: the one-line message area; string property ``level`` is ``"info"``,
  ``"warn"`` or ``"error"`` (anything else: plain).
- ``QLabel#banner``: the amber offline banner.
- ``QWidget#customerDisplay``: the customer-facing window (its labels 28 pt) and
  ``QLabel#customerTotal`` (60 pt) inside it, readable from two metres. A plain QWidget
  paints a stylesheet background only with ``Qt.WA_StyledBackground`` set.
- ``QListWidget#queue``: the ticket queue, tall rows.
- ``QFrame#cartPanel``: the cart's panel.

Also styled: ``QLabel#customerTitle`` (36 pt) and ``QLabel#customerHint`` (22 pt, muted) on
the customer display, ``QLabel#cartTitle``, ``QLabel#totalCaption``, ``QLabel#subtotals``,
``QLabel#heading``, ``QLabel#queueHeader``, ``QLineEdit#search`` and ``QListView#tiles``.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

BACKGROUND = "#111111"
SURFACE = "#1a1a1a"
RAISED = "#262626"
BORDER = "#3a3a3a"
TEXT = "#f2f2f2"
TEXT_MUTED = "#b8b8b8"
TEXT_DISABLED = "#8c8c8c"
ON_ACCENT = "#0b0b0b"
GREEN = "#2ecc71"
GREEN_PRESSED = "#27ae60"
AMBER = "#f5a623"
RED = "#e74c3c"
RED_TEXT = "#ff8a80"  # red that still reads at 7:1 on the background
INFO = "#8ecbff"
SELECTION = "#17583a"
FOCUS = "#ffffff"

BASE_POINT_SIZE = 15

STYLESHEET = f"""
QToolTip {{
    color: {TEXT}; background: {RAISED}; border: 1px solid {BORDER}; padding: 4px;
}}
QPushButton {{
    background: {RAISED}; color: {TEXT}; border: 1px solid {BORDER};
    border-radius: 6px; padding: 8px 14px; min-height: 32px;
}}
QPushButton:hover {{ border-color: {TEXT_MUTED}; }}
QPushButton:pressed {{ background: {BORDER}; }}
QPushButton:focus {{ border: 2px solid {FOCUS}; }}
QPushButton:disabled {{ color: {TEXT_DISABLED}; background: {SURFACE}; border-color: {RAISED}; }}

QPushButton#tile {{
    font-size: 16pt; font-weight: bold; text-align: center;
    min-width: 140px; min-height: 96px; padding: 10px;
    border: 2px solid {BORDER}; border-radius: 10px; background: {RAISED};
}}
QPushButton#tile:focus {{ border: 3px solid {FOCUS}; }}
QPushButton#tile[lowStock="true"] {{ border: 3px solid {AMBER}; }}
QPushButton#tile[soldOut="true"], QPushButton#tile:disabled {{
    color: {TEXT_DISABLED}; background: {SURFACE}; border: 2px dashed {BORDER};
}}
QLabel#tileBadge {{
    font-size: 12pt; font-weight: bold; color: {TEXT};
    background: {BORDER}; border-radius: 8px; padding: 1px 8px;
}}
QPushButton#tile[lowStock="true"] QLabel#tileBadge {{ color: {ON_ACCENT}; background: {AMBER}; }}
QPushButton#tile[soldOut="true"] QLabel#tileBadge {{ color: #ffffff; background: {RED}; }}

QPushButton#cartEdit, QPushButton#queueAction, QPushButton#topButton {{
    font-size: 12pt; padding: 4px 4px; min-height: 28px;
}}
QPushButton#tender {{
    font-size: 13pt; font-weight: bold; min-height: 42px; padding: 2px 4px;
    border-radius: 10px; qproperty-iconSize: 28px 28px;
}}
QPushButton#tender[primary="true"] {{
    color: {ON_ACCENT}; background: {GREEN}; border: 2px solid {GREEN};
}}
QPushButton#tender[primary="true"]:pressed {{ background: {GREEN_PRESSED}; }}
QPushButton#tender[primary="true"]:focus {{ border: 3px solid {FOCUS}; }}
QPushButton#tender[primary="true"]:disabled {{
    color: {TEXT_DISABLED}; background: {SURFACE}; border-color: {RAISED};
}}

QLabel#total {{ font-size: 32pt; font-weight: bold; color: {TEXT}; }}
QLabel#changeDue {{ font-size: 48pt; font-weight: bold; color: {GREEN}; }}

QLabel#notice {{ font-size: 15pt; padding: 6px 10px; border-left: 6px solid transparent; }}
QLabel#notice[level="info"] {{ color: {INFO}; border-left-color: {INFO}; background: #10202e; }}
QLabel#notice[level="warn"] {{ color: {AMBER}; border-left-color: {AMBER}; background: #2a2110; }}
QLabel#notice[level="error"] {{
    color: {RED_TEXT}; border-left-color: {RED}; background: #2a1412; font-weight: bold;
}}

QLabel#banner {{
    font-size: 15pt; font-weight: bold; color: {ON_ACCENT}; background: {AMBER};
    padding: 6px 12px;
}}

QWidget#customerDisplay {{ background: #000000; color: {TEXT}; }}
QWidget#customerDisplay QLabel {{ font-size: 28pt; color: {TEXT}; }}
QLabel#customerTotal, QWidget#customerDisplay QLabel#customerTotal {{
    font-size: 60pt; font-weight: bold;
}}
QLabel#customerTitle, QWidget#customerDisplay QLabel#customerTitle {{
    font-size: 36pt; font-weight: bold;
}}
QLabel#customerHint, QWidget#customerDisplay QLabel#customerHint {{
    font-size: 22pt; color: {TEXT_MUTED};
}}

QListWidget#queue {{
    font-size: 17pt; background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 6px;
}}
QListWidget#queue::item {{ padding: 6px 8px; border-bottom: 1px solid {RAISED}; }}
QListWidget#queue::item:selected {{ background: {SELECTION}; color: #ffffff; }}

QFrame#cartPanel {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 8px; }}
QLabel#cartTitle {{ font-size: 16pt; font-weight: bold; }}
QLabel#totalCaption, QLabel#subtotals {{ color: {TEXT_MUTED}; }}
QLabel#subtotals {{ font-size: 12pt; }}
QLabel#heading {{ font-size: 17pt; font-weight: bold; }}
QLabel#queueHeader {{ font-size: 15pt; font-weight: bold; }}
QLineEdit#search {{ font-size: 15pt; padding: 5px; }}
QListView#tiles {{ background: {BACKGROUND}; border: none; }}

QLineEdit, QSpinBox, QDoubleSpinBox, QComboBox, QPlainTextEdit, QTextEdit {{
    background: {SURFACE}; color: {TEXT}; border: 1px solid {BORDER}; border-radius: 4px;
    padding: 6px; selection-background-color: {SELECTION}; selection-color: #ffffff;
}}
QLineEdit:focus, QSpinBox:focus, QDoubleSpinBox:focus, QComboBox:focus,
QPlainTextEdit:focus, QTextEdit:focus {{ border: 2px solid {FOCUS}; }}

QScrollBar:vertical {{ width: 18px; background: {SURFACE}; }}
QScrollBar:horizontal {{ height: 18px; background: {SURFACE}; }}
QScrollBar::handle {{
    background: {BORDER}; border-radius: 6px; min-height: 40px; min-width: 40px;
}}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
"""


def palette() -> QPalette:
    """The dark palette: every text role on its background at 7:1 or better."""
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: BACKGROUND,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: SURFACE,
        QPalette.ColorRole.AlternateBase: RAISED,
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.PlaceholderText: TEXT_MUTED,
        QPalette.ColorRole.Button: RAISED,
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Highlight: SELECTION,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: RAISED,
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.Link: INFO,
        QPalette.ColorRole.LinkVisited: INFO,
        QPalette.ColorRole.Light: "#4a4a4a",
        QPalette.ColorRole.Midlight: BORDER,
        QPalette.ColorRole.Mid: "#2e2e2e",
        QPalette.ColorRole.Dark: "#0a0a0a",
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(disabled, role, QColor(TEXT_DISABLED))
    return pal


def apply_theme(app: QApplication) -> None:
    """Give the whole application the dark high-contrast look."""
    style = QStyleFactory.create("Fusion")
    if style is not None:
        app.setStyle(style)
    app.setPalette(palette())
    font = QFont(app.font())
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)


def polish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed (Qt does not on its own).

    Children are re-polished too: rules such as ``#tile[lowStock="true"] QLabel#tileBadge``
    depend on a property of the parent.
    """
    for each in (widget, *widget.findChildren(QWidget)):
        style = each.style()
        style.unpolish(each)
        style.polish(each)
        each.update()
