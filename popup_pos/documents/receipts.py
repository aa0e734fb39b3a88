"""Receipts for 80 mm and 58 mm roll printers: one page as long as the receipt needs."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from popup_pos.documents import qr
from popup_pos.documents.common import (
    BASELINE,
    LEADING,
    DocumentError,
    check_payload,
    ellipsize,
    printable,
    width_of,
    wrap,
    write_pdf,
)
from popup_pos.documents.templates import MM

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
MONO = "Courier-Bold"


@dataclass(frozen=True, slots=True)
class ReceiptWidth:
    """A paper width and what the printer can print across it."""

    paper_mm: int
    printable_mm: float
    body_size: float
    title_size: float
    ticket_mm: float
    code_mm: float


WIDTHS = {
    80: ReceiptWidth(80, 72.0, 8.5, 12.0, 30.0, 24.0),  # about 48 characters a line
    58: ReceiptWidth(58, 48.0, 8.0, 11.0, 28.0, 22.0),  # about 32 characters a line
}
MARGIN_Y = 4 * MM
MIN_QR_MODULE = 1.5  # pt: receipt paper is read by phone cameras at arm's length


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    """One order line: what was bought, what it came to, and notes under it."""

    description: str
    amount: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReceiptRow:
    """A label and an amount, e.g. ("Tax", "$2.40"); `strong` prints it bold and larger."""

    label: str
    amount: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class ReceiptData:
    """Everything printed on a receipt, as text ready to print (money already formatted)."""

    title: str
    order_number: str
    date: str
    lines: Sequence[ReceiptLine]
    totals: Sequence[ReceiptRow]
    tenders: Sequence[ReceiptRow] = ()
    ticket_payload: str | None = None  # the order's QR, scanned at the table for hand-over
    subtitle: str | None = None
    status_note: str | None = None  # e.g. "NOT PAID: $12.00 due"
    download_codes: Sequence[str] = ()
    footer: str = ""
    logo: Path | None = None


@dataclass(frozen=True, slots=True)
class _Text:
    text: str
    font: str
    size: float
    align: str = "left"  # left | centre | right
    indent: float = 0.0


@dataclass(frozen=True, slots=True)
class _Pair:
    left: str
    right: str
    font: str
    size: float
    indent: float = 0.0


@dataclass(frozen=True, slots=True)
class _Rule:
    """A dashed line across, as receipt printers draw between sections."""


@dataclass(frozen=True, slots=True)
class _Qr:
    matrix: qr.QrMatrix
    module: float


@dataclass(frozen=True, slots=True)
class _Image:
    reader: ImageReader
    height: float


_Step = _Text | _Pair | _Rule | _Qr | _Image


class _Stack:
    """Receipt content as drawing steps measured first, so the page can be cut to fit."""

    def __init__(self, width: float) -> None:
        self.width = width
        self.height = 0.0
        self.steps: list[tuple[float, _Step | None]] = []

    def add(self, height: float, step: _Step | None) -> None:
        self.steps.append((self.height, step))
        self.height += height


def _text(stack: _Stack, text: str, font: str, size: float, align: str = "left") -> None:
    for line in wrap(printable(text), font, size, stack.width) or [""]:
        stack.add(LEADING * size, _Text(line, font, size, align))


def _pair(stack: _Stack, left: str, right: str, font: str, size: float, indent: float = 0) -> None:
    """Text on the left, an amount on the right; long text wraps under itself."""
    left, right = printable(left), printable(right)
    room = stack.width - indent - width_of(right, font, size) - 6
    lines = wrap(left, font, size, max(room, stack.width * 0.4)) or [""]
    for i, line in enumerate(lines):
        stack.add(LEADING * size, _Pair(line, right if i == 0 else "", font, size, indent))


def _qr(stack: _Stack, payload: str, side_mm: float) -> None:
    m = qr.matrix(payload)
    module = min(side_mm * MM, stack.width) / m.size_with_quiet
    if module < MIN_QR_MODULE:
        raise DocumentError(
            f"{payload!r} is too long for a QR code that a phone can read on this receipt"
        )
    stack.add(module * m.size_with_quiet, _Qr(m, module))


def _layout(r: ReceiptData, w: ReceiptWidth, width: float) -> _Stack:
    s = _Stack(width)
    body, small = w.body_size, w.body_size - 1
    if r.logo is not None:
        reader = _load_logo(r.logo)
        s.add(12 * MM + 2, _Image(reader, 12 * MM))
    _text(s, r.title, BOLD, w.title_size, "centre")
    if r.subtitle:
        _text(s, r.subtitle, FONT, body, "centre")
    s.add(4, None)
    _pair(s, f"Order {r.order_number}", r.date, BOLD, body)
    if r.status_note:
        s.add(2, None)
        _text(s, r.status_note, BOLD, body + 1, "centre")
    s.add(6, _Rule())
    for line in r.lines:
        _pair(s, line.description, line.amount, FONT, body)
        for detail in line.details:
            _pair(s, detail, "", FONT, small, indent=8)
    s.add(6, _Rule())
    for row in r.totals:
        size = body + 2 if row.strong else body
        _pair(s, row.label, row.amount, BOLD if row.strong else FONT, size)
    if r.tenders:
        s.add(6, _Rule())
        for row in r.tenders:
            _pair(s, row.label, row.amount, BOLD if row.strong else FONT, body)
    if r.download_codes:
        s.add(6, _Rule())
        title = "Your download code" if len(r.download_codes) == 1 else "Your download codes"
        _text(s, title, BOLD, body, "centre")
        for code in r.download_codes:
            s.add(3, None)
            _qr(s, code, w.code_mm)
            _text(s, code, MONO, body + 1, "centre")
    if r.ticket_payload:
        check_payload(r.ticket_payload, "order number")
        s.add(6, _Rule())
        _qr(s, r.ticket_payload, w.ticket_mm)
        _text(s, f"Order {r.ticket_payload}: show this code to pick up", FONT, small, "centre")
    if r.footer.strip():
        s.add(6, _Rule())
        for paragraph in r.footer.strip().splitlines():
            _text(s, paragraph, FONT, small, "centre")
    return s


def _draw(c: Canvas, s: _Stack, x: float, top: float) -> None:
    for y_off, step in s.steps:
        y = top - y_off
        if isinstance(step, _Text):
            c.setFont(step.font, step.size)
            base = y - BASELINE * step.size
            if step.align == "centre":
                c.drawCentredString(x + s.width / 2, base, step.text)
            elif step.align == "right":
                c.drawRightString(x + s.width, base, step.text)
            else:
                c.drawString(x + step.indent, base, step.text)
        elif isinstance(step, _Pair):
            c.setFont(step.font, step.size)
            base = y - BASELINE * step.size
            right_w = width_of(step.right, step.font, step.size)
            left = ellipsize(step.left, step.font, step.size, s.width - step.indent - right_w - 4)
            c.drawString(x + step.indent, base, left)
            if step.right:
                c.drawRightString(x + s.width, base, step.right)
        elif isinstance(step, _Rule):
            c.saveState()
            c.setLineWidth(0.6)
            c.setDash(2, 2)
            c.line(x, y - 3, x + s.width, y - 3)
            c.restoreState()
        elif isinstance(step, _Qr):
            side = step.module * step.matrix.size_with_quiet
            qr.draw(c, step.matrix, x + (s.width - side) / 2, y - side, step.module)
        elif isinstance(step, _Image):
            c.drawImage(
                step.reader,
                x,
                y - step.height,
                s.width,
                step.height,
                preserveAspectRatio=True,
                anchor="c",
                mask="auto",
            )


def _load_logo(logo: Path) -> ImageReader:
    try:
        reader = ImageReader(str(logo))
        reader.getSize()
    except Exception as exc:  # ReportLab and Pillow raise many kinds for a bad image
        raise DocumentError(f"logo {str(logo)!r} cannot be read as an image: {exc}") from None
    return reader


def render_receipt(receipt: ReceiptData, width_mm: int, out: Path | str | BinaryIO) -> None:
    """One page `width_mm` wide (80 or 58) and as long as the receipt."""
    w = WIDTHS.get(width_mm)
    if w is None:
        raise DocumentError(
            f"receipt width {width_mm} mm is not supported: use 80 or 58 (the paper width)"
        )
    page_w = w.paper_mm * MM
    printable_w = w.printable_mm * MM
    stack = _layout(receipt, w, printable_w)
    page_h = stack.height + 2 * MARGIN_Y
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(page_w, page_h), pageCompression=1)
    c.setCreator("popup-pos")
    c.setTitle(f"Receipt {receipt.order_number}")
    _draw(c, stack, (page_w - printable_w) / 2, page_h - MARGIN_Y)
    c.showPage()
    c.save()
    write_pdf(buf.getvalue(), out)
