"""QR codes drawn from the qrcode module matrix as crisp QPainter rectangles."""

from __future__ import annotations

from functools import lru_cache

import qrcode
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks

Matrix = tuple[tuple[bool, ...], ...]


@lru_cache(maxsize=1024)
def qr_matrix(payload: str) -> Matrix:
    """The dark modules of the payload's QR code (error level M), without the quiet zone.

    Cached: building a matrix costs milliseconds, and pre-packed copies share a payload.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def paint_qr(painter: QPainter, area: QRect, matrix: Matrix) -> None:
    """Draw the code as large as whole-pixel modules allow, centred in area, on white."""
    count = len(matrix)
    span = count + 2 * QUIET_ZONE
    # Whole pixels per module: fractional sizes blur edges and hurt decoding.
    module = max(1, min(area.width(), area.height()) // span)
    side = module * span
    left = area.x() + (area.width() - side) // 2
    top = area.y() + (area.height() - side) // 2
    painter.fillRect(QRect(left, top, side, side), Qt.GlobalColor.white)
    origin_x = left + QUIET_ZONE * module
    origin_y = top + QUIET_ZONE * module
    for row_index, row in enumerate(matrix):
        y = origin_y + row_index * module
        column = 0
        while column < count:
            if not row[column]:
                column += 1
                continue
            start = column
            while column < count and row[column]:
                column += 1
            # One rectangle per horizontal run of dark modules: far fewer calls than cells.
            width = (column - start) * module
            painter.fillRect(
                QRect(origin_x + start * module, y, width, module), Qt.GlobalColor.black
            )


def qr_image(payload: str, size: int) -> QImage:
    """A size x size image of the payload's QR code with its quiet zone, white around it."""
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        paint_qr(painter, QRect(0, 0, size, size), qr_matrix(payload))
    finally:
        painter.end()
    return image


class QrWidget(QWidget):
    """Shows one payload as a QR code scaled to the widget; nothing when the payload is None."""

    def __init__(self, parent: QWidget | None = None, payload: str | None = None) -> None:
        super().__init__(parent)
        self._payload: str | None = None
        self._matrix: Matrix | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.set_payload(payload)

    def payload(self) -> str | None:
        return self._payload

    def set_payload(self, payload: str | None) -> None:
        if payload == self._payload:
            return
        self._payload = payload
        self._matrix = qr_matrix(payload) if payload else None
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(240, 240)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        # Two pixels a module is about the least a phone camera reads reliably.
        span = (len(self._matrix) if self._matrix else 21) + 2 * QUIET_ZONE
        return QSize(2 * span, 2 * span)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        if self._matrix is None:
            return
        painter = QPainter(self)
        try:
            paint_qr(painter, self.rect(), self._matrix)
        finally:
            painter.end()
