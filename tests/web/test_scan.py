"""Codes read from a photo: a QR in a JPEG is found, a non-image is told apart."""

from __future__ import annotations

import io

import qrcode
from PIL import Image

from popup_pos.web import scan


def _photo(text: str) -> bytes:
    img = qrcode.make(text).get_image().convert("RGB")
    canvas = Image.new("RGB", (img.width * 3, img.height * 3), (200, 190, 180))
    canvas.paste(img, (img.width, img.height))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=85)
    return out.getvalue()


def test_a_qr_in_a_photo_is_read() -> None:
    assert scan.decode(_photo("P1-0007")) == ["P1-0007"]


def test_not_a_photo() -> None:
    assert scan.decode(b"hello") is None
    blank = io.BytesIO()
    Image.new("L", (50, 50), 255).save(blank, "PNG")
    assert scan.decode(blank.getvalue()) == []
