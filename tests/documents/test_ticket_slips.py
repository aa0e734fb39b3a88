"""Ticket slips at 80 and 58 mm: one page per slip, the code large, a QR that decodes."""

import io

import pypdfium2
import pytest
import zxingcpp

from popup_pos.documents.common import DocumentError, PayloadError
from popup_pos.documents.templates import MM
from popup_pos.documents.ticket_slips import TicketSlip, render_ticket_slips

LONG = "Limited anniversary signing with the whole band, a photo and a hand-written note"


def slip(code: str = "GIG-12", **kw) -> TicketSlip:
    fields = {
        "event": "Friday at the Bowery",
        "experience": "60-second video shoutout",
        "code": code,
        "order_number": "A-0042",
        "personalisation": "Sam",
        "wait": "about 15 min",
        "printed_at": "20:25",
    }
    fields.update(kw)
    return TicketSlip(**fields)


SLIPS = [
    slip(),
    slip("GIG-13", experience="Signing slot (10 min)", slot="20:40", wait=None),
    slip(
        "GIG-123456789",
        experience=LONG,
        personalisation="Maximiliana Featherstonehaugh-Smythe",
        note="Called: come to the table now",
        wait=None,
    ),
    slip("GIG-14", personalisation=None),
]


def render(slips, width: int) -> bytes:
    out = io.BytesIO()
    assert render_ticket_slips(slips, width, out) == len(slips)
    return out.getvalue()


def joined(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def rendered() -> dict[int, bytes]:
    return {width: render(SLIPS, width) for width in (80, 58)}


@pytest.mark.parametrize("width", [80, 58])
def test_one_page_per_slip_as_wide_as_the_paper(rendered, read_pdf, width):
    pdf = read_pdf(rendered[width])
    assert len(pdf) == len(SLIPS)
    for n in range(len(pdf)):
        w, h = pdf.size(n)
        assert w == pytest.approx(width * MM)
        assert 60 * MM < h < 150 * MM  # cut to the slip, not a whole sheet
    # The long names wrap onto more lines, so that slip's page is the longest.
    assert max(range(len(pdf)), key=lambda n: pdf.size(n)[1]) == 2


@pytest.mark.parametrize("width", [80, 58])
@pytest.mark.parametrize(("dpi", "smooth"), [(203, False), (300, False), (300, True)])
def test_each_slip_has_one_qr_of_its_ticket_code(rendered, read_pdf, width, dpi, smooth):
    pdf = read_pdf(rendered[width])
    for n, expected in enumerate(SLIPS):
        assert pdf.page(n, dpi, smooth=smooth).decode() == [("QRCode", expected.code)]


@pytest.mark.parametrize("width", [80, 58])
def test_qr_is_big_enough_for_a_phone_at_arms_length(rendered, width):
    page = pypdfium2.PdfDocument(rendered[width])[0]
    image = page.render(scale=300 / 72, grayscale=True).to_pil()
    [found] = zxingcpp.read_barcodes(image)
    p = found.position
    side_px = max(p.top_right.x - p.top_left.x, p.bottom_left.y - p.top_left.y)
    assert side_px / 300 * 25.4 >= 24  # mm, quiet zone not counted


@pytest.mark.parametrize("width", [80, 58])
def test_what_the_fan_reads(rendered, read_pdf, width):
    pdf = read_pdf(rendered[width])
    first, slot, long, plain = (joined(pdf.text(n)) for n in range(len(SLIPS)))
    for text in (first, slot, long, plain):
        assert "Friday at the Bowery" in text and "Order A-0042" in text
    assert "60-second video shoutout" in first and "For: Sam" in first and "GIG-12" in first
    assert "Wait: about 15 min" in first and "estimated at 20:25" in first
    assert "Your slot: 20:40" in slot and "Wait" not in slot
    assert LONG in long and "For: Maximiliana Featherstonehaugh-Smythe" in long
    assert "GIG-123456789" in long  # the code is never wrapped, whatever its length
    assert "Called: come to the table now" in long
    assert "For:" not in plain


@pytest.mark.parametrize("width", [80, 58])
def test_the_code_is_the_largest_type(rendered, read_pdf, width):
    pdf = read_pdf(rendered[width])
    textpage = pdf.doc[0].get_textpage()
    sizes: dict[str, float] = {}
    for i in range(textpage.count_chars()):
        ch = textpage.get_text_range(i, 1)
        _left, bottom, _right, top = textpage.get_charbox(i)
        if ch.strip():
            sizes[ch] = max(sizes.get(ch, 0.0), top - bottom)
    code_height = sizes["G"]  # only "GIG-12" has a capital G
    assert code_height >= 7 * MM  # readable across the table
    assert code_height == max(sizes.values())


@pytest.mark.parametrize("width", [80, 58])
def test_nothing_is_printed_outside_the_printable_width(rendered, read_pdf, ink_outside, width):
    margin = {80: 4, 58: 5}[width] * MM
    pdf = read_pdf(rendered[width])
    for n in range(len(pdf)):
        page = pdf.page(n, 203, smooth=True)
        w, h = pdf.size(n)
        assert ink_outside(page, [page.box(margin, 0, w - 2 * margin, h)]) == 0


def test_the_code_follows_the_scan_rules():
    with pytest.raises(PayloadError, match="ticket code"):
        render([slip("gig-12")], 80)


def test_only_80_and_58_mm_and_something_to_print():
    with pytest.raises(DocumentError, match="use 80 or 58"):
        render([slip()], 76)
    with pytest.raises(DocumentError, match="nothing to print"):
        render_ticket_slips([], 80, io.BytesIO())


def test_writes_to_a_path(tmp_path, read_pdf):
    out = tmp_path / "slips.pdf"
    render_ticket_slips([slip()], 58, out)
    assert read_pdf(out.read_bytes()).size()[0] == pytest.approx(58 * MM)
