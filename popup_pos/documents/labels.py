"""Labels on sheets and rolls: name, variant, price, Code 128 of the SKU, and QR, edition, logo.

Every label is laid out inside its cell less the template's inset, so nothing reaches
the die cut or a thermal head's unprintable border. Long names shrink, then wrap to two
lines, then end in an ellipsis. Bar and module widths snap to whole dots of the
template's printer and never go below what a 203 dpi head prints reliably.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from popup_pos.documents import code128, qr
from popup_pos.documents.common import (
    BASELINE,
    LEADING,
    DocumentError,
    check_payload,
    ellipsize,
    fit_lines,
    printable,
    width_of,
    wrap,
    write_pdf,
)
from popup_pos.documents.templates import (
    TEMPLATES,
    LabelTemplate,
    StartCellError,
    get_template,
)

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
MIN_TEXT = 6.0  # pt; smaller is hard to read at arm's length across a table
MIN_MODULE = 0.70  # pt, 0.25 mm: two dots of a 203 dpi head
MAX_MODULE = 1.5
MIN_QR_MODULE = 0.9  # pt; a phone or 2D scanner reads this from a hand's length
MAX_QR_MODULE = 3.0
MIN_BARS = 13.0  # pt of bar height, the least a hand scanner's line reliably crosses
GAP = 3.0


class LabelLayoutError(DocumentError):
    """Content that cannot fit a label of the chosen template."""


@dataclass(frozen=True, slots=True)
class LabelItem:
    """One label, as text ready to print (money already formatted)."""

    name: str
    variant: str = ""
    price: str = ""
    sku: str = ""
    qr: str | None = None  # QR payload; None for no QR
    edition: str | None = None  # e.g. "#17/50" or "Edition of 50"


@dataclass(frozen=True, slots=True)
class _Box:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True, slots=True)
class _Layout:
    text: _Box
    bars: _Box  # the barcode block: bars above the human-readable SKU
    bar_module: float
    bar_height: float
    hr_size: float
    qr: _Box | None
    qr_module: float


def _snap(value: float, dpi: int) -> float:
    """Down to a whole number of printer dots."""
    return math.floor(value * dpi / 72 + 1e-6) * 72 / dpi


def _on_grid(value: float, dpi: int) -> float:
    """To the nearest printer dot, so that bars and modules of whole dots print crisp."""
    return round(value * dpi / 72) * 72 / dpi


def _bar_module(symbol: code128.Code128, width: float, white: float, dpi: int) -> float | None:
    """Module width for bars within `width`, centred, whose quiet zones may reach `white`
    further on each side (the inset, or a QR code's own quiet zone)."""
    m = min(MAX_MODULE, width / symbol.modules, (width + 2 * white) / symbol.modules_with_quiet)
    m = _snap(m, dpi)
    return m if m >= MIN_MODULE else None


def _qr_module(m: qr.QrMatrix, side: float, dpi: int) -> float:
    return _snap(min(MAX_QR_MODULE, side / m.size_with_quiet), dpi)


def _too_long(item: LabelItem, tpl: LabelTemplate, width: float) -> LabelLayoutError:
    fits = 0
    while _bar_module(code128.encode("A" * (fits + 1)), width, tpl.inset_x, tpl.dpi):
        fits += 1
    symbol = code128.encode(item.sku)
    elsewhere = [
        t.name
        for t in TEMPLATES.values()
        if _bar_module(symbol, t.label_width - 2 * t.inset_x, t.inset_x, t.dpi) is not None
    ]
    hint = f"; it fits on {', '.join(elsewhere)}" if elsewhere else ""
    return LabelLayoutError(
        f"SKU {item.sku!r} is too long for a scannable Code 128 on {tpl.name} labels "
        f"(up to {fits} letters fit, more if they are digits): use a shorter SKU or "
        f"another template{hint}"
    )


def _layout(item: LabelItem, tpl: LabelTemplate) -> _Layout:
    x0, y0 = tpl.inset_x, tpl.inset_y
    w = tpl.label_width - 2 * tpl.inset_x
    h = tpl.label_height - 2 * tpl.inset_y
    symbol = code128.encode(item.sku)
    hr_size = min(7.5, max(5.5, 0.10 * h))
    hr_block = 0.72 * hr_size + 1.5  # capitals and digits only: no descenders below
    bar_height = min(28.0, max(MIN_BARS, 0.30 * h))

    def block(bars: float) -> float:
        return bars + hr_block

    if item.qr is None:
        module = _bar_module(symbol, w, tpl.inset_x, tpl.dpi)
        if module is None:
            raise _too_long(item, tpl, w)
        top = block(bar_height) + GAP
        return _Layout(
            _Box(x0, y0 + top, w, h - top),
            _Box(x0, y0, w, block(bar_height)),
            module,
            bar_height,
            hr_size,
            None,
            0.0,
        )

    matrix = qr.matrix(item.qr)
    # Side by side: the QR takes the full height on the right, when the barcode still
    # fits beside it and leaves room for the text.
    qm = _qr_module(matrix, h, tpl.dpi)
    side = qm * matrix.size_with_quiet
    left = w - side
    module = _bar_module(symbol, left, min(tpl.inset_x, qr.QUIET * qm), tpl.dpi)
    if module is not None and left >= 0.45 * w and qm >= MIN_QR_MODULE:
        top = block(bar_height) + GAP
        return _Layout(
            _Box(x0, y0 + top, left, h - top),
            _Box(x0, y0, left, block(bar_height)),
            module,
            bar_height,
            hr_size,
            _Box(x0 + w - side, y0 + (h - side) / 2, side, side),
            qm,
        )
    # Stacked: the barcode across the whole width below, the QR top right beside the text.
    module = _bar_module(symbol, w, tpl.inset_x, tpl.dpi)
    if module is None:
        raise _too_long(item, tpl, w)
    for bars in (bar_height, MIN_BARS):
        above = h - block(bars) - GAP
        qm = _qr_module(matrix, above, tpl.dpi)
        if qm >= MIN_QR_MODULE:
            side = qm * matrix.size_with_quiet
            top = block(bars) + GAP
            return _Layout(
                _Box(x0, y0 + top, w - side, above),
                _Box(x0, y0, w, block(bars)),
                module,
                bars,
                hr_size,
                _Box(x0 + w - side, y0 + h - side, side, side),
                qm,
            )
    raise LabelLayoutError(
        f"QR payload {item.qr!r} is too long to scan on {tpl.name} labels: "
        "use a shorter one or a larger template"
    )


# ---- text ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    left: str
    left_font: str
    left_size: float
    right: str = ""
    right_size: float = 0.0

    @property
    def height(self) -> float:
        return LEADING * max(self.left_size, self.right_size)


def _meta_row(left: str, price: str, size: float, w: float) -> _Row:
    """Variant (or edition) on the left, the price in bold on the right; the price never
    loses characters, so the left side shrinks and then is shortened."""
    price_size = size * 1.15 if price else 0.0
    gap = 4.0 if left and price else 0.0
    for _ in range(40):
        need = width_of(left, FONT, size) + gap + width_of(price, BOLD, price_size)
        if need <= w or size <= MIN_TEXT:
            break
        size = max(MIN_TEXT, size - 0.25)
        price_size = size * 1.15 if price else 0.0
    price_w = width_of(price, BOLD, price_size)
    if price_w > w:  # an amount wider than the label: smaller, but whole
        price_size *= w / price_w
        price_w = w
    left = ellipsize(left, FONT, size, max(0.0, w - price_w - gap))
    return _Row(left, FONT, size, price, price_size)


def _text_rows(item: LabelItem, w: float, h: float) -> list[_Row]:
    name = printable(item.name.strip()) or printable(item.sku)
    variant = printable(item.variant.strip())
    price = printable(item.price.strip())
    edition = printable((item.edition or "").strip())
    name_max = min(14.0, max(7.0, 0.34 * h))
    meta = min(11.0, max(6.5, 0.25 * h))
    ed_size = min(9.0, max(MIN_TEXT, 0.2 * h))
    meta_left = variant or edition
    edition_row = bool(variant and edition)

    def fixed(meta: float, ed_size: float) -> float:
        used = LEADING * meta * 1.15 if (meta_left or price) else 0.0
        return used + (LEADING * ed_size if edition_row else 0.0)

    while h - fixed(meta, ed_size) < LEADING * MIN_TEXT and meta > MIN_TEXT:
        meta = max(MIN_TEXT, meta - 0.5)
        ed_size = max(MIN_TEXT, ed_size - 0.5)
    room = h - fixed(meta, ed_size)

    rows: list[_Row] = []
    one_line_at = w / max(width_of(name, BOLD, 1.0), 1e-6)
    tallest = room / LEADING
    size = min(name_max, tallest, one_line_at)
    floor = max(MIN_TEXT, 0.72 * min(name_max, tallest))
    if one_line_at >= floor or room < 2 * LEADING * MIN_TEXT:
        if size >= MIN_TEXT:
            rows.append(_Row(name, BOLD, size))
        else:
            size = max(MIN_TEXT, min(name_max, tallest))
            rows.append(_Row(ellipsize(name, BOLD, size, w), BOLD, size))
    else:
        size = min(floor, room / (2 * LEADING))
        lines = wrap(name, BOLD, size, w)
        while len(lines) > 2 and size > MIN_TEXT:
            size = max(MIN_TEXT, size - 0.25)
            lines = wrap(name, BOLD, size, w)
        if len(lines) > 2:
            lines, _ = fit_lines(name, BOLD, w, 2, size)
        rows.extend(_Row(line, BOLD, size) for line in lines)
    if meta_left or price:
        rows.append(_meta_row(meta_left, price, meta, w))
    if edition_row:
        rows.append(_Row(ellipsize(edition, BOLD, ed_size, w), BOLD, ed_size))
    return rows


# ---- drawing -------------------------------------------------------------------------


def _draw_text(c: Canvas, rows: list[_Row], box: _Box) -> None:
    """Rows from the top down, the block centred in the height it has."""
    top = box.y + box.h - max(0.0, (box.h - sum(r.height for r in rows)) / 2)
    for row in rows:
        size = max(row.left_size, row.right_size)
        baseline = top - BASELINE * size
        if row.left:
            c.setFont(row.left_font, row.left_size)
            c.drawString(box.x, baseline, row.left)
        if row.right:
            c.setFont(BOLD, row.right_size)
            c.drawRightString(box.x + box.w, baseline, row.right)
        top -= row.height


def _draw_label(c: Canvas, item: LabelItem, tpl: LabelTemplate, logo: ImageReader | None) -> None:
    """One label with its lower left corner at the origin."""
    lay = _layout(item, tpl)
    text = lay.text
    if logo is not None and text.h > 0:
        side = min(text.h, 0.3 * text.w)
        c.drawImage(
            logo,
            text.x,
            text.y + text.h - side,
            side,
            side,
            preserveAspectRatio=True,
            anchor="nw",
            mask="auto",
        )
        text = _Box(text.x + side + GAP, text.y, text.w - side - GAP, text.h)
    _draw_text(c, _text_rows(item, text.w, text.h), text)

    symbol = code128.encode(item.sku)
    bar_w = lay.bar_module * symbol.modules_with_quiet
    bx = _on_grid(lay.bars.x + (lay.bars.w - bar_w) / 2, tpl.dpi)
    by = _on_grid(lay.bars.y + lay.bars.h - lay.bar_height, tpl.dpi)
    code128.draw(c, symbol, bx, by, lay.bar_module, lay.bar_height)
    c.setFont(FONT, lay.hr_size)
    c.drawCentredString(bx + bar_w / 2, lay.bars.y + 0.5, item.sku)

    if lay.qr is not None and item.qr is not None:
        qx, qy = _on_grid(lay.qr.x, tpl.dpi), _on_grid(lay.qr.y, tpl.dpi)
        qr.draw(c, qr.matrix(item.qr), qx, qy, lay.qr_module)


def _load_logo(logo: Path | None) -> ImageReader | None:
    if logo is None:
        return None
    try:
        reader = ImageReader(str(logo))
        reader.getSize()
    except Exception as exc:  # ReportLab and Pillow raise many kinds for a bad image
        raise DocumentError(f"logo {str(logo)!r} cannot be read as an image: {exc}") from None
    return reader


def render_labels(
    items: Sequence[LabelItem],
    template: str,
    *,
    start_cell: int = 1,
    out: Path | str | BinaryIO,
    logo: Path | None = None,
) -> int:
    """Draw `items` in order from `start_cell` (1-based, along rows) on; the number drawn.

    Identical labels (copies of one SKU) are drawn once as a PDF form and placed in each
    cell, which keeps big runs small and fast.
    """
    tpl = get_template(template)
    if not items:
        raise DocumentError("there are no labels to print")
    if not 1 <= start_cell <= tpl.per_page:
        raise StartCellError(tpl.cell_range_message(start_cell))
    for item in items:
        check_payload(item.sku, "SKU")
        if item.qr is not None:
            check_payload(item.qr, f"QR payload for {item.sku}")
    reader = _load_logo(logo)

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(tpl.page_width, tpl.page_height), pageCompression=1)
    c.setCreator("popup-pos")
    c.setTitle(f"Labels ({tpl.name})")
    repeats = Counter(items)
    forms: dict[LabelItem, str] = {}
    cell = start_cell
    for item in items:
        if cell > tpl.per_page:
            c.showPage()
            cell = 1
        x, y, _, _ = tpl.cell_box(cell)
        if repeats[item] > 1:
            name = forms.get(item)
            if name is None:
                name = forms[item] = f"label{len(forms)}"
                c.beginForm(name, 0, 0, tpl.label_width, tpl.label_height)
                _draw_label(c, item, tpl, reader)
                c.endForm()
            c.saveState()
            c.translate(x, y)
            c.doForm(name)
            c.restoreState()
        else:
            c.saveState()
            c.translate(x, y)
            _draw_label(c, item, tpl, reader)
            c.restoreState()
        cell += 1
    c.showPage()
    c.save()
    write_pdf(buf.getvalue(), out)
    return len(items)
