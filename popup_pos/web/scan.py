"""Codes read from a photo the phone took, where the browser cannot scan live."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image, UnidentifiedImageError

MAX_PHOTO = 12 * 1024 * 1024
# A phone photo is 12 megapixels; a QR is readable far below that, and decoding is faster.
MAX_SIDE = 2000


def decode(data: bytes) -> list[str] | None:
    """The text of every barcode and QR in the photo; None if it is not an image."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.draft("L", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced size
            gray = img.convert("L")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    gray.thumbnail((MAX_SIDE, MAX_SIDE))
    return [r.text for r in zxingcpp.read_barcodes(gray) if r.text]
