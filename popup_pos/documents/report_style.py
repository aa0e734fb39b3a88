"""The report's look: colours, paragraph styles, and the helpers its sections draw with."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Paragraph,
    Table,
    TableStyle,
)

from popup_pos.documents.common import printable
from popup_pos.domain.money import format_money
from popup_pos.domain.report import (
    Report,
)

# Letter where the currency says North America, A4 everywhere else.
LETTER_CURRENCIES = frozenset({"USD", "CAD", "MXN"})

INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#5b6470")
RULE = colors.HexColor("#c9ced6")
BAND = colors.HexColor("#f1f3f6")
ACCENT = colors.HexColor("#2f6fd0")
WARN = colors.HexColor("#b3261e")

BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=9, leading=11.5, textColor=INK)
TITLE = ParagraphStyle("title", parent=BASE, fontName="Helvetica-Bold", fontSize=18, leading=22)
SUB = ParagraphStyle("sub", parent=BASE, textColor=MUTED, fontSize=9.5, leading=12)
H2 = ParagraphStyle(
    "h2", parent=BASE, fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=8,
    spaceAfter=4,
)  # fmt: skip
NOTE = ParagraphStyle("note", parent=BASE, fontSize=8, leading=10, textColor=MUTED)
BIG = ParagraphStyle("big", parent=BASE, fontName="Helvetica-Bold", fontSize=15, leading=18)
BIG_LABEL = ParagraphStyle("biglabel", parent=BASE, fontSize=8, textColor=MUTED)
BOLD = ParagraphStyle("bold", parent=BASE, fontName="Helvetica-Bold", fontSize=9.5)


class Kit:
    """The page width, the currency and the formatting and table helpers every section uses."""

    def __init__(self, report: Report, width: float) -> None:
        self.r = report
        # The frame keeps 6 pt of padding on each side of the page's text width.
        self.width = width - 12
        self.gap = 8 * mm
        self.half = (self.width - self.gap) / 2
        self.cur = report.event.currency

    # ---- formatting -------------------------------------------------------------------

    def m(self, amount: int | None) -> str:
        return "—" if amount is None else format_money(amount, self.cur)

    def when(self, at: datetime | None, date: bool = False) -> str:
        if at is None:
            return "—"
        local = at.astimezone(self.r.event.tz)
        return local.strftime("%a %d %b %Y %H:%M" if date else "%H:%M")

    @staticmethod
    def dur(seconds: float | None) -> str:
        if seconds is None:
            return "—"
        s = round(seconds)
        if s < 60:
            return f"{s} s"
        if s < 3600:
            return f"{s // 60} min {s % 60:02d} s"
        return f"{s // 3600} h {s % 3600 // 60:02d} min"

    @staticmethod
    def p(text: str, style: ParagraphStyle = BASE) -> Paragraph:
        # Paragraph text is markup: escape what the organizer typed.
        safe = printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(safe, style)

    def table(
        self,
        head: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        *,
        right_from: int = 1,
        total_row: bool = False,
        fit: bool = False,
    ) -> Table:
        """A ruled table; columns from `right_from` on are right-aligned (numbers).

        With `fit`, the body's type shrinks until its widest figure fits its column.
        """
        data = [[printable(str(h)) for h in head]] + [
            [c if isinstance(c, Paragraph) else printable(str(c)) for c in row] for row in rows
        ]
        cols = [w * self.width for w in widths]
        size = fitting_size(data[1:], cols, 8.5, bold_last=total_row) if fit else 8.5
        t = Table(data, colWidths=cols, repeatRows=1)
        style = [
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
            ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
            ("FONT", (0, 1), (-1, -1), "Helvetica", size),
            ("TEXTCOLOR", (0, 1), (-1, -1), INK),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
            ("ALIGN", (right_from, 0), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        if total_row and rows:
            style += [
                ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", size),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
            ]
        t.setStyle(TableStyle(style))
        return t

    def pairs(
        self, rows: Sequence[tuple[str, str]], width: float, bold: Sequence[str] = ()
    ) -> Table:
        """A label/value list `width` wide, values right-aligned, `bold` labels emphasised."""
        data = [[self.p(a, BOLD if a in bold else BASE), printable(b)] for a, b in rows]
        t = Table(data, colWidths=[width * 0.66, width * 0.34], hAlign="LEFT")
        style = [
            ("FONT", (1, 0), (1, -1), "Helvetica", 9),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]
        for i, (label, _) in enumerate(rows):
            if label in bold:
                style.append(("FONT", (1, i), (1, i), "Helvetica-Bold", 9.5))
            if label == "Short":
                style.append(("TEXTCOLOR", (1, i), (1, i), WARN))
        t.setStyle(TableStyle(style))
        return t

    def two_columns(self, left: list[Any], right: list[Any]) -> Table:
        outer = Table([[left, "", right]], colWidths=[self.half, self.gap, self.half])
        outer.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return outer

    # ---- sections --------------------------------------------------------------------


TENDER_NAMES = {
    "cash": "Cash",
    "wallet": "Wallet QR (Venmo, Cash App, PayPal)",
    "stripe_qr": "Stripe QR",
    "stripe_card": "Stripe card reader",
}


KIND_NAMES = {"item": "item", "digital": "digital", "experience": "experience", "": ""}


def fitting_size(
    rows: Sequence[Sequence[Any]], widths: Sequence[float], size: float, *, bold_last: bool
) -> float:
    """The largest type size, from `size` down to 6 pt, at which every plain cell fits
    its column with the table's 3 pt padding on each side (the last row in bold)."""
    cells = [
        (str(c), widths[i], "Helvetica-Bold" if bold_last and r == len(rows) - 1 else "Helvetica")
        for r, row in enumerate(rows)
        for i, c in enumerate(row)
        if not isinstance(c, Paragraph)
    ]
    while size > 6:
        if all(
            stringWidth(line, font, size) + 6 <= w
            for text, w, font in cells
            for line in text.split("\n")
        ):
            return size
        size -= 0.5
    return 6


def difference(shrinkage: int) -> str:
    if shrinkage > 0:
        return f"{shrinkage} missing"
    if shrinkage < 0:
        return f"{-shrinkage} extra"
    return "—"


def plain(amount: int, exp: int) -> str:
    whole, frac = divmod(amount, 10**exp)
    return f"{whole}.{frac:0{exp}d}" if frac else str(whole)


def nice_ceiling(value: float) -> int:
    """The smallest 1, 2 or 5 times a power of ten at or above `value` (axis maxima)."""
    if value <= 1:
        return 1
    power = 1
    while power * 10 <= value:
        power *= 10
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power
