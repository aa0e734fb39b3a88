"""Time 1,000 distinct Avery 5160 labels (Code 128 + QR + text) against ReportLab's QrCodeWidget."""

from __future__ import annotations

import argparse
import importlib.metadata
import io
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence

import reportlab
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

from popup_pos.documents import code128, qr
from popup_pos.documents.labels import LabelItem, render_labels
from popup_pos.documents.templates import get_template

TARGET_RATIO = 6.0
TEMPLATE = "avery-5160"
QR_SIDE = 64.0  # pt, the baseline's QR as measured in the reference


def make_items(n: int) -> list[LabelItem]:
    """Distinct labels: every SKU and every QR payload differs, so no cache can help."""
    sizes = ("S", "M", "L", "XL")
    return [
        LabelItem(
            name=f"Tour poster no. {i}" if i % 3 else f"Download card: album volume {i}",
            variant=f"Size {sizes[i % 4]}",
            price=f"${10 + i % 40}.00",
            sku=f"BN-{i:05d}",
            qr=f"DL-{i:05d}-{(i * 7919) % 100_000:05d}",
        )
        for i in range(n)
    ]


def ours(items: Sequence[LabelItem]) -> bytes:
    # Cold caches: the timed run computes every QR matrix and Code 128 symbol itself.
    qr.matrix.cache_clear()
    code128.encode.cache_clear()
    out = io.BytesIO()
    render_labels(items, TEMPLATE, out=out)
    return out.getvalue()


def baseline(items: Sequence[LabelItem]) -> bytes:
    """The same labels the usual ReportLab way: a QrCodeWidget in a Drawing per label."""
    tpl = get_template(TEMPLATE)
    out = io.BytesIO()
    c = Canvas(out, pagesize=(tpl.page_width, tpl.page_height), pageCompression=1)
    for n, item in enumerate(items):
        cell = n % tpl.per_page + 1
        if cell == 1 and n:
            c.showPage()
        x, y, w, h = tpl.cell_box(cell)
        left, top = x + tpl.inset_x, y + h - tpl.inset_y
        c.setFont("Helvetica-Bold", 10)
        c.drawString(left, top - 10, item.name)
        c.setFont("Helvetica", 8)
        c.drawString(left, top - 21, item.variant)
        c.setFont("Helvetica-Bold", 9)
        c.drawRightString(x + w - QR_SIDE - 6, top - 21, item.price)
        Code128(item.sku, barWidth=0.9, barHeight=22, humanReadable=True).drawOn(
            c, left - 4, y + tpl.inset_y + 4
        )
        widget = QrCodeWidget(item.qr, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(
            QR_SIDE,
            QR_SIDE,
            transform=[QR_SIDE / (x1 - x0), 0, 0, QR_SIDE / (y1 - y0), 0, 0],
        )
        drawing.add(widget)
        renderPDF.draw(drawing, c, x + w - QR_SIDE - 2, y + (h - QR_SIDE) / 2)
    c.showPage()
    c.save()
    return out.getvalue()


def timed(fn: Callable[[Sequence[LabelItem]], bytes], items: Sequence[LabelItem]) -> float:
    start = time.perf_counter()
    fn(items)
    return len(items) / (time.perf_counter() - start)


def verify(pdf: bytes, items: Sequence[LabelItem]) -> int:
    """Decode every label of our PDF at 203 and 300 dpi; the number that did not match."""
    import pypdfium2
    import zxingcpp

    tpl = get_template(TEMPLATE)
    doc = pypdfium2.PdfDocument(pdf)
    wrong = 0
    for dpi in (203, 300):
        scale = dpi / 72
        for page_no in range(len(doc)):
            # Whole dots, no grey edges: what a printer head or a laser puts on the label.
            image = doc[page_no].render(scale=scale, grayscale=True, no_smoothpath=True).to_pil()
            for cell in range(1, tpl.per_page + 1):
                index = page_no * tpl.per_page + cell - 1
                if index >= len(items):
                    break
                x, y, w, h = tpl.cell_box(cell)
                top = tpl.page_height - y - h
                crop = image.crop(
                    (int(x * scale), int(top * scale), int((x + w) * scale), int((top + h) * scale))
                )
                found = sorted(r.text for r in zxingcpp.read_barcodes(crop))
                item = items[index]
                wrong += found != sorted([item.sku, item.qr or ""])
    return wrong


def run(labels: int, rounds: int, check_codes: bool) -> float:
    items = make_items(labels)
    ours(items[:30])  # import-time and first-use costs out of the way, for both
    baseline(items[:30])
    ours_rates: list[float] = []
    base_rates: list[float] = []
    for _ in range(rounds):  # alternate, so drift in machine speed hits both alike
        base_rates.append(timed(baseline, items))
        ours_rates.append(timed(ours, items))
    ours_rate, base_rate = statistics.median(ours_rates), statistics.median(base_rates)
    ratio = ours_rate / base_rate
    pdf = ours(items)
    print(
        f"labels: {labels:,} distinct labels (Code 128 + QR + text) on {TEMPLATE}, "
        f"{-(-labels // get_template(TEMPLATE).per_page)} pages, median of {rounds} rounds; "
        f"Python {platform.python_version()}, ReportLab {reportlab.Version}, "
        f"qrcode {importlib.metadata.version('qrcode')}"
    )
    print(
        f"  {'popup-pos render_labels':<34} {ours_rate:8.0f} labels/s   "
        f"({len(pdf) / 1024:,.0f} KiB)"
    )
    print(f"  {'ReportLab QrCodeWidget per label':<34} {base_rate:8.0f} labels/s")
    verdict = "ok" if ratio >= TARGET_RATIO else "FAIL"
    print(f"ratio {ratio:.1f}x (target >= {TARGET_RATIO:.0f}x): {verdict}")
    if check_codes:
        wrong = verify(pdf, items)
        verdict = f"{wrong} labels did NOT match" if wrong else "every code matches"
        print(f"decoded every label at 203 and 300 dpi: {verdict}")
        if wrong:
            return 0.0
    return ratio


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--labels", type=int, default=1_000, help="distinct labels per run")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each")
    parser.add_argument(
        "--verify", action="store_true", help="also decode every label (needs the dev tools)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args(argv)
    if args.labels < 1 or args.rounds < 1:
        parser.error("--labels and --rounds must be at least 1")
    ratio = run(args.labels, args.rounds, args.verify)
    return 1 if args.check and ratio < TARGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
