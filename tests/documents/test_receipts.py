"""Receipts at 80 and 58 mm: widths, a page as long as the content, QR codes that decode."""

import io
from typing import Any

import pytest

from popup_pos.documents.common import DocumentError, PayloadError
from popup_pos.documents.receipts import (
    DownloadCode,
    ReceiptData,
    ReceiptLine,
    ReceiptRow,
    render_receipt,
)
from popup_pos.documents.templates import MM


def receipt(n: int = 3, **kw) -> ReceiptData:
    fields: dict[str, Any] = {
        "title": "The Band — merch",
        "subtitle": "Friday at the Bowery",
        "order_number": "A-0042",
        "date": "2026-03-14 21:42",
        "lines": [
            ReceiptLine(f"2 × Tour tee 2026 — size {i}", "$60.00", ("@ $30.00", "#17/50, #18/50"))
            for i in range(n)
        ],
        "totals": [
            ReceiptRow("Subtotal", "$180.00"),
            ReceiptRow("Discount", "-$18.00"),
            ReceiptRow("Tax 8.875%", "$14.38"),
            ReceiptRow("Tip", "$5.00"),
            ReceiptRow("Total", "$181.38", strong=True),
        ],
        "tenders": [ReceiptRow("Cash", "$200.00"), ReceiptRow("Change", "$18.62")],
        "ticket_payload": "A-0042",
        "footer": "Thanks for coming out!",
    }
    fields.update(kw)
    return ReceiptData(**fields)


def render(data: ReceiptData, width: int) -> bytes:
    out = io.BytesIO()
    render_receipt(data, width, out)
    return out.getvalue()


@pytest.mark.parametrize("width", [80, 58])
def test_paper_width_and_a_page_as_long_as_the_receipt(read_pdf, width):
    short = read_pdf(render(receipt(2), width))
    long = read_pdf(render(receipt(30), width))
    assert len(short) == len(long) == 1
    assert short.size()[0] == pytest.approx(width * MM)
    assert long.size()[0] == pytest.approx(width * MM)
    assert long.size()[1] > short.size()[1] + 28 * 20  # each line adds its height


@pytest.mark.parametrize("width", [80, 58])
@pytest.mark.parametrize("dpi", [203, 300])
def test_ticket_and_download_codes_decode(read_pdf, width, dpi):
    data = receipt(
        download_codes=[
            DownloadCode("NLT-7F3K-Q9ZP", "Download card: Nights Like These"),
            DownloadCode("https://example.com/d/abc123"),
        ]
    )
    page = read_pdf(render(data, width)).page(0, dpi, smooth=True)
    assert page.decode() == sorted(
        [
            ("QRCode", "A-0042"),
            ("QRCode", "NLT-7F3K-Q9ZP"),
            ("QRCode", "https://example.com/d/abc123"),
        ]
    )


@pytest.mark.parametrize("width", [80, 58])
def test_everything_is_printed_within_the_printable_width(read_pdf, ink_outside, width):
    margin = {80: 4, 58: 5}[width] * MM
    long_name = "Limited anniversary screen print, hand-pulled and signed by the whole band"
    data = receipt(lines=[ReceiptLine(long_name, "$1,234.50", ("Discount -$3.00",))])
    pdf = read_pdf(render(data, width))
    page = pdf.page(0, 203, smooth=True)
    w, h = pdf.size()
    assert ink_outside(page, [page.box(margin, 0, w - 2 * margin, h)]) == 0
    text = " ".join(pdf.text(0).split())
    assert "$1,234.50" in text
    assert long_name in text.replace(" $1,234.50", "")  # wrapped, not cut
    assert "Total $181.38" in text and "Change $18.62" in text


def test_footer_and_status_note_are_printed(read_pdf):
    data = receipt(status_note="NOT PAID: $12.00 due", footer="Line one\nLine two")
    text = read_pdf(render(data, 80)).text(0)
    assert "NOT PAID: $12.00 due" in text and "Line one" in text and "Line two" in text


def test_only_80_and_58_mm():
    with pytest.raises(DocumentError, match="use 80 or 58"):
        render(receipt(), 76)


def test_ticket_payload_follows_the_scan_rules():
    with pytest.raises(PayloadError, match="order number"):
        render(receipt(ticket_payload="a-0042"), 80)


def test_writes_to_a_path(tmp_path, read_pdf):
    out = tmp_path / "receipt.pdf"
    render_receipt(receipt(), 58, out)
    assert read_pdf(out.read_bytes()).size()[0] == pytest.approx(58 * MM)


@pytest.mark.parametrize("width", [80, 58])
def test_download_codes_are_readable_as_text_under_their_item(read_pdf, width):
    codes = [
        DownloadCode("233x-tptu", "Download card: Nights Like These"),
        DownloadCode("23bd-p2ka", "Download card: Nights Like These"),
        DownloadCode("ZINE-0001", "Zine (download)"),
    ]
    pdf = read_pdf(render(receipt(download_codes=codes), width))
    text = pdf.text(0)
    lines = [line.strip() for line in text.splitlines()]
    assert "Your download codes" in lines and "Redeem at the store's site" in lines
    assert lines.count("Download card: Nights Like These") == 1  # once for both its codes
    order = [lines.index(t) for t in ("Download card: Nights Like These", "233x-tptu")]
    order += [lines.index(t) for t in ("23bd-p2ka", "Zine (download)", "ZINE-0001")]
    assert order == sorted(order)
    decoded = pdf.page(0, 203).decode()
    assert decoded == sorted([("QRCode", c.code) for c in codes] + [("QRCode", "A-0042")])


def test_a_single_code_and_a_caption_of_the_shops_own(read_pdf):
    data = receipt(
        download_codes=[DownloadCode("233x-tptu")], download_caption="Redeem at bandcamp.com/yum"
    )
    lines = [line.strip() for line in read_pdf(render(data, 58)).text(0).splitlines()]
    assert "Your download code" in lines and "Your download codes" not in lines
    assert "Redeem at bandcamp.com/yum" in lines and "233x-tptu" in lines


@pytest.mark.parametrize("width", [80, 58])
def test_a_long_code_shrinks_to_one_line_and_stays_on_the_paper(read_pdf, ink_outside, width):
    code = "NLTX-7F3K-Q9ZP-88AB-K2M4-Z7QQ-H3J9"
    data = receipt(download_codes=[DownloadCode(code)])
    pdf = read_pdf(render(data, width))
    assert code in [line.strip() for line in pdf.text(0).splitlines()]  # one line, not wrapped
    margin = {80: 4, 58: 5}[width] * MM
    page = pdf.page(0, 203, smooth=True)
    w, h = pdf.size()
    assert ink_outside(page, [page.box(margin, 0, w - 2 * margin, h)]) == 0
    assert ("QRCode", code) in page.decode()
