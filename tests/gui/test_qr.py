"""QR codes drawn as rectangles decode back to their payload, as a phone or scanner reads them."""

from __future__ import annotations

import zxingcpp
from PySide6.QtGui import QColor, QImage

from popup_pos.gui.qr import QUIET_ZONE, QrWidget, qr_image, qr_matrix


def decode(image: QImage) -> list[str]:
    """Decode every QR code in the image through a plain greyscale byte buffer."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height = grey.width(), grey.height()
    raw = bytes(grey.constBits())
    stride = grey.bytesPerLine()  # rows may be padded
    pixels = b"".join(raw[row * stride : row * stride + width] for row in range(height))
    buffer = memoryview(pixels).cast("B", (height, width))
    found = zxingcpp.read_barcodes(
        buffer, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    return [code.text for code in found]


def test_order_number_decodes():
    assert decode(qr_image("A-0042", 300)) == ["A-0042"]


def test_checkout_url_decodes():
    url = (
        "https://checkout.stripe.com/c/pay/cs_test_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ#fidkdWxOYH"
    )
    assert decode(qr_image(url, 400)) == [url]


def test_matrix_is_square_cached_and_has_no_border():
    matrix = qr_matrix("A-0042")
    assert qr_matrix("A-0042") is matrix
    assert len(matrix) == 21  # version 1: the finder pattern starts at the very edge
    assert all(len(row) == 21 for row in matrix)
    assert all(matrix[0][:7]) and not matrix[1][1]


def test_modules_are_whole_pixels_centred_in_a_quiet_zone():
    image = qr_image("A-0042", 300)
    # 21 modules + 2 x 4 quiet = 29 modules of 10 px = 290 px, 5 px spare each side.
    black, white = QColor("black"), QColor("white")
    margin, module = 5, 10
    first_dark = margin + QUIET_ZONE * module
    assert image.pixelColor(first_dark, first_dark) == black
    assert image.pixelColor(first_dark - 1, first_dark) == white
    assert image.pixelColor(first_dark + 7 * module - 1, first_dark) == black
    assert image.pixelColor(first_dark + 7 * module, first_dark) == white
    assert image.pixelColor(0, 0) == white


def test_widget_paints_a_readable_code(qtbot):
    widget = QrWidget()
    qtbot.addWidget(widget)
    widget.resize(320, 260)
    widget.set_payload("A-0042")
    assert widget.payload() == "A-0042"
    assert decode(widget.grab().toImage()) == ["A-0042"]
    widget.set_payload("B-0007")
    assert decode(widget.grab().toImage()) == ["B-0007"]


def test_widget_without_payload_paints_no_code(qtbot):
    widget = QrWidget(payload="A-0042")
    qtbot.addWidget(widget)
    widget.resize(200, 200)
    widget.set_payload(None)
    assert widget.payload() is None
    assert decode(widget.grab().toImage()) == []
    assert widget.minimumSizeHint().width() > 0
