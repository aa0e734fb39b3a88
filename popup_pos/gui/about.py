"""The About box: version, where the data lives, which database is open, and the license."""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from popup_pos import __version__, config

LICENSE_LINE = "popup-pos is free software under the MIT License."


def redacted_db(db: str) -> str:
    """The database as a person may see it: a file path as is, a URL with its password hidden."""
    if "://" not in db:
        return db
    try:
        parts = urlsplit(db)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        # Not a URL that parses: show only the scheme, since the rest may hold a secret.
        return db.split("://", 1)[0] + "://…"
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    if parts.username is not None:
        user = parts.username + (":***" if parts.password is not None else "")
        netloc = f"{user}@{netloc}"
    # The query string can carry a password too (?password=…), so it is left out.
    return f"{parts.scheme}://{netloc}{parts.path}"


def about_lines(db: str | None = None) -> list[tuple[str, str]]:
    """The rows of the About box, as (label, value); `db` defaults to the default database."""
    return [
        ("Version", __version__),
        ("Data folder", str(config.data_dir())),
        ("Database", redacted_db(db if db is not None else config.default_db())),
    ]


class AboutDialog(QDialog):
    def __init__(self, db: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About popup-pos")
        layout = QVBoxLayout(self)
        title = QLabel(f"<h2>popup-pos {__version__}</h2>")
        layout.addWidget(title)
        layout.addWidget(QLabel("Point of sale for pop-up shops, merch tables and afterparties."))
        for label, value in about_lines(db):
            row = QLabel(f"{label}: {value}")
            row.setObjectName(f"about{label.replace(' ', '')}")
            # Selectable so the organizer can copy the data folder path into a file manager.
            row.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            row.setTextFormat(Qt.TextFormat.PlainText)
            row.setWordWrap(True)
            layout.addWidget(row)
        layout.addWidget(QLabel(LICENSE_LINE))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def show_about(parent: QWidget | None, db: str | None = None) -> AboutDialog:
    """Open the About box over `parent` without blocking the register; returns the dialog."""
    dialog = AboutDialog(db, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
