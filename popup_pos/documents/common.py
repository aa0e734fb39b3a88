"""What labels and receipts share: errors, the scan-payload rule, fitting text, writing the PDF."""

from __future__ import annotations

import os
import tempfile
import unicodedata
from pathlib import Path
from typing import BinaryIO

from reportlab.pdfbase.pdfmetrics import stringWidth

from popup_pos.domain.errors import PosError

PAYLOAD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
ELLIPSIS = "…"

# Ascent and line height of Helvetica as fractions of the font size: a row of text of
# size s takes LEADING * s, its baseline BASELINE * s below the row's top.
LEADING = 1.18
BASELINE = 0.80


class DocumentError(PosError):
    """A label or receipt that cannot be drawn, with what to change."""


class PayloadError(DocumentError):
    """Text for a barcode or QR code that a keyboard-wedge scanner could mistype."""


def check_payload(payload: str, what: str) -> str:
    """`payload` if it uses only A–Z, 0–9 and '-', else an error naming the bad characters."""
    if not payload:
        raise PayloadError(f"{what} is empty: there is nothing to put in the code")
    bad = sorted({ch for ch in payload if ch not in PAYLOAD_CHARS})
    if bad:
        shown = " ".join(repr(ch) for ch in bad)
        raise PayloadError(
            f"{what} {payload!r} cannot be printed as a scan code: it has {shown}. Codes may "
            "use only A–Z, 0–9 and '-', because a scanner types them as keystrokes and other "
            "characters come out differently on other keyboard layouts"
        )
    return payload


# Symbols the built-in PDF fonts lack, spelled out rather than printed as black boxes.
_SPELLED = {"₩": "KRW ", "₹": "INR ", "₪": "ILS ", "₫": "VND ", "₱": "PHP ", "₺": "TRY "}


def printable(text: str) -> str:
    """`text` with what the built-in PDF fonts (Windows-1252) cannot show replaced."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            ch.encode("cp1252")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        if ch in _SPELLED:
            out.append(_SPELLED[ch])
            continue
        base = unicodedata.normalize("NFKD", ch).encode("cp1252", "ignore").decode("cp1252")
        out.append(base or "?")
    return "".join(out)


def width_of(text: str, font: str, size: float) -> float:
    return float(stringWidth(text, font, size))


def ellipsize(text: str, font: str, size: float, width: float) -> str:
    """`text`, cut short with an ellipsis if it is wider than `width`."""
    if width_of(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that still fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if width_of(text[:mid].rstrip() + ELLIPSIS, font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS if lo else ""


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a word wider than `width` on its own is broken between letters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if width_of(trial, font, size) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = word
        while width_of(current, font, size) > width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and width_of(current[:cut], font, size) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def fit_lines(
    text: str, font: str, width: float, max_lines: int, size: float
) -> tuple[list[str], bool]:
    """Wrap into at most `max_lines`; the last one ends in an ellipsis if text was left over."""
    lines = wrap(text, font, size, width)
    if len(lines) <= max_lines:
        return lines, True
    kept = lines[:max_lines]
    rest = " ".join([kept[-1], *lines[max_lines:]])
    kept[-1] = ellipsize(rest, font, size, width)
    return kept, False


def write_pdf(data: bytes, out: Path | str | BinaryIO) -> None:
    """Write a finished PDF; a file path is replaced whole, never left half written, and
    readable by its owner only."""
    if not isinstance(out, (str, Path)):
        out.write(data)
        return
    path = Path(out).expanduser()
    folder = path.parent
    if not folder.is_dir():
        raise DocumentError(f"folder {str(folder)!r} does not exist: cannot write {path.name}")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        # mkstemp creates the file readable by its owner only, and so it stays: a report,
        # receipt or label sheet names customers and the night's takings.
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
