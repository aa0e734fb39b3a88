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
class DownloadCode:
    """A download code handed to the buyer, printed as text and as a QR of the code itself
    (stores print their codes as they are, so a phone scans what a person would type)."""

    code: str
    item: str = ""  # what it unlocks, e.g. "Download card: Nights Like These"


DOWNLOAD_CAPTION = "Redeem at the store's site"


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
    download_codes: Sequence[DownloadCode] = ()
    download_caption: str = DOWNLOAD_CAPTION
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


def roll_width(width_mm: int) -> ReceiptWidth:
    w = WIDTHS.get(width_mm)
    if w is None:
        raise DocumentError(
            f"receipt width {width_mm} mm is not supported: use 80 or 58 (the paper width)"
        )
    return w


class Roll:
    """What goes on one length of roll paper (a receipt, a ticket slip), as drawing steps
    measured first, so the page can be cut to fit."""

    def __init__(self, width: float) -> None:
        self.width = width
        self.height = 0.0
        self.steps: list[tuple[float, _Step | None]] = []

    def add(self, height: float, step: _Step | None = None) -> None:
        self.steps.append((self.height, step))
        self.height += height

    def rule(self) -> None:
        self.add(6, _Rule())

    def text(self, text: str, font: str, size: float, align: str = "left") -> None:
        for line in wrap(printable(text), font, size, self.width) or [""]:
            self.add(LEADING * size, _Text(line, font, size, align))

    def words_whole(
        self, text: str, font: str, size: float, smallest: float, align: str = "centre"
    ) -> None:
        """Wrapped text in type made smaller, down to `smallest`, until no word is broken:
        a long name reads better a little smaller than split between letters."""
        text = printable(text)
        longest = max((width_of(word, font, size) for word in text.split()), default=0.0)
        fits = self.width / longest if longest else 1.0
        self.text(text, font, max(smallest, size * min(1.0, fits)), align)

    def fitted(self, text: str, font: str, size: float, align: str = "centre") -> None:
        """One line, its type made smaller until it fits across: a code must never wrap."""
        text = printable(text)
        fits = self.width / max(width_of(text, font, size), 1e-6)
        self.text(text, font, size * min(1.0, fits), align)

    def pair(self, left: str, right: str, font: str, size: float, indent: float = 0) -> None:
        """Text on the left, an amount on the right; long text wraps under itself."""
        left, right = printable(left), printable(right)
        room = self.width - indent - width_of(right, font, size) - 6
        lines = wrap(left, font, size, max(room, self.width * 0.4)) or [""]
        for i, line in enumerate(lines):
            self.add(LEADING * size, _Pair(line, right if i == 0 else "", font, size, indent))

    def qr(self, payload: str, side_mm: float) -> None:
        m = qr.matrix(payload)
        module = min(side_mm * MM, self.width) / m.size_with_quiet
        if module < MIN_QR_MODULE:
            raise DocumentError(
                f"{payload!r} is too long for a QR code that a phone can read on this receipt"
            )
        self.add(module * m.size_with_quiet, _Qr(m, module))

    def image(self, reader: ImageReader, height: float) -> None:
        self.add(height + 2, _Image(reader, height))

    def draw(self, c: Canvas, x: float, top: float) -> None:
        for y_off, step in self.steps:
            y = top - y_off
            if isinstance(step, _Text):
                c.setFont(step.font, step.size)
                base = y - BASELINE * step.size
                if step.align == "centre":
                    c.drawCentredString(x + self.width / 2, base, step.text)
                elif step.align == "right":
                    c.drawRightString(x + self.width, base, step.text)
                else:
                    c.drawString(x + step.indent, base, step.text)
            elif isinstance(step, _Pair):
                c.setFont(step.font, step.size)
                base = y - BASELINE * step.size
                right_w = width_of(step.right, step.font, step.size)
                room = self.width - step.indent - right_w - 4
                c.drawString(
                    x + step.indent, base, ellipsize(step.left, step.font, step.size, room)
                )
                if step.right:
                    c.drawRightString(x + self.width, base, step.right)
            elif isinstance(step, _Rule):
                c.saveState()
                c.setLineWidth(0.6)
                c.setDash(2, 2)
                c.line(x, y - 3, x + self.width, y - 3)
                c.restoreState()
            elif isinstance(step, _Qr):
                side = step.module * step.matrix.size_with_quiet
                qr.draw(c, step.matrix, x + (self.width - side) / 2, y - side, step.module)
            elif isinstance(step, _Image):
                c.drawImage(
                    step.reader,
                    x,
                    y - step.height,
                    self.width,
                    step.height,
                    preserveAspectRatio=True,
                    anchor="c",
                    mask="auto",
                )


def write_rolls(
    rolls: Sequence[Roll], w: ReceiptWidth, title: str, out: Path | str | BinaryIO
) -> None:
    """Each roll on its own page, `w` wide and as long as its content: a roll printer's
    driver cuts the paper after each page."""
    if not rolls:
        raise DocumentError(f"{title}: there is nothing to print")
    page_w = w.paper_mm * MM
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(page_w, rolls[0].height + 2 * MARGIN_Y), pageCompression=1)
    c.setCreator("popup-pos")
    c.setTitle(title)
    for roll in rolls:
        page_h = roll.height + 2 * MARGIN_Y
        c.setPageSize((page_w, page_h))
        roll.draw(c, (page_w - roll.width) / 2, page_h - MARGIN_Y)
        c.showPage()
    c.save()
    write_pdf(buf.getvalue(), out)


def _download_codes(s: Roll, r: ReceiptData, w: ReceiptWidth) -> None:
    body, small = w.body_size, w.body_size - 1
    s.rule()
    title = "Your download code" if len(r.download_codes) == 1 else "Your download codes"
    s.text(title, BOLD, body + 1, "centre")
    s.text(r.download_caption, FONT, small, "centre")
    item: str | None = None
    for code in r.download_codes:
        if code.item and code.item != item:
            s.add(4)
            s.text(code.item, BOLD, small, "centre")
        item = code.item
        s.add(2)
        s.qr(code.code, w.code_mm)
        s.fitted(code.code, MONO, body + 2)


def _layout(r: ReceiptData, w: ReceiptWidth, width: float) -> Roll:
    s = Roll(width)
    body, small = w.body_size, w.body_size - 1
    if r.logo is not None:
        s.image(_load_logo(r.logo), 12 * MM)
    s.text(r.title, BOLD, w.title_size, "centre")
    if r.subtitle:
        s.text(r.subtitle, FONT, body, "centre")
    s.add(4)
    s.pair(f"Order {r.order_number}", r.date, BOLD, body)
    if r.status_note:
        s.add(2)
        s.text(r.status_note, BOLD, body + 1, "centre")
    s.rule()
    for line in r.lines:
        s.pair(line.description, line.amount, FONT, body)
        for detail in line.details:
            s.pair(detail, "", FONT, small, indent=8)
    s.rule()
    for row in r.totals:
        size = body + 2 if row.strong else body
        s.pair(row.label, row.amount, BOLD if row.strong else FONT, size)
    if r.tenders:
        s.rule()
        for row in r.tenders:
            s.pair(row.label, row.amount, BOLD if row.strong else FONT, body)
    if r.download_codes:
        _download_codes(s, r, w)
    if r.ticket_payload:
        check_payload(r.ticket_payload, "order number")
        s.rule()
        s.qr(r.ticket_payload, w.ticket_mm)
        s.text(f"Order {r.ticket_payload}: show this code to pick up", FONT, small, "centre")
    if r.footer.strip():
        s.rule()
        for paragraph in r.footer.strip().splitlines():
            s.text(paragraph, FONT, small, "centre")
    return s


def _load_logo(logo: Path) -> ImageReader:
    try:
        reader = ImageReader(str(logo))
        reader.getSize()
    except Exception as exc:  # ReportLab and Pillow raise many kinds for a bad image
        raise DocumentError(f"logo {str(logo)!r} cannot be read as an image: {exc}") from None
    return reader


def render_receipt(receipt: ReceiptData, width_mm: int, out: Path | str | BinaryIO) -> None:
    """One page `width_mm` wide (80 or 58) and as long as the receipt."""
    w = roll_width(width_mm)
    roll = _layout(receipt, w, w.printable_mm * MM)
    write_rolls([roll], w, f"Receipt {receipt.order_number}", out)
