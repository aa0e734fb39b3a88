"""The report PDF: what an organizer hands the venue, rasterised and read back."""

from datetime import UTC, datetime, timedelta

import pypdfium2
import pytest

from popup_pos.documents.report import render_report_pdf
from popup_pos.services import checkout, events, reports, settlement
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.services.settlement import VenueTerms

ACCENT = (0x2F, 0x6F, 0xD0)  # the bars of the by-hour chart


def text_of(pdf, page):
    return pdf[page].get_textpage().get_text_range()


@pytest.fixture
def closed_night(shop):
    uow, reg = shop.uow, shop.register_id
    settlement.set_terms(uow, VenueTerms({"apparel": 200_000, "other": 100_000},
                                         {"Apparel": "apparel"}))  # fmt: skip
    start = datetime.now(UTC) - timedelta(hours=4)
    for i, skus in enumerate((["TEE-M"], ["POSTER", "LP-NIGHTS"], ["PRINT-LTD"], ["TEE-L"])):
        checkout.sell(uow, reg, Cart(tuple(CartLine(s) for s in skus)),
                      now=start + timedelta(minutes=65 * i))  # fmt: skip
    r = checkout.place_order(uow, reg, Cart((CartLine("TEE-S"),)))
    pid = checkout.begin_payment(uow, r.order_id, "stripe_card", r.total_cents,
                                 idempotency_key="card", request={})  # fmt: skip
    checkout.complete_payment(uow, pid, fee_cents=117)
    checkout.sell(uow, reg, Cart((CartLine("POSTER"),)), (TenderSpec("wallet"),))
    events.close_event(
        uow,
        cash_count=events.parse_cash_count("100x2, 20x1, 5x1, 1x3", "USD"),
        count_out={"POSTER": 35},
    )
    return uow


def test_report_reads_back(closed_night, tmp_path):
    report = reports.build_report(closed_night, "last")
    data = render_report_pdf(report)
    pdf = pypdfium2.PdfDocument(data)
    try:
        assert len(pdf) in (2, 3)
        first = text_of(pdf, 0)
        for expected in ("Test night — end of night", "Net takings", "Takings by hour",
                         "Cash-up", "By tender", "$228.00", "Stripe card reader"):  # fmt: skip
            assert expected in first, expected
        assert "Counted: 2 × 100, 1 × 20, 1 × 5, 3 × 1" in first
        everything = "\n".join(text_of(pdf, i) for i in range(len(pdf)))
        for expected in ("Top sellers", "Limited editions", "Settlement", "Who holds the money",
                         "Venue total", "Stock count-out", "3 missing"):  # fmt: skip
            assert expected in everything, expected
        image = pdf[0].render(scale=100 / 72).to_pil().convert("RGB")
        image.save(tmp_path / "report-page-1.png")  # for a person to look at
        bars = dict((c, n) for n, c in image.getcolors(maxcolors=1 << 24)).get(ACCENT, 0)
        assert bars > 500, "the by-hour chart has no bars"
    finally:
        pdf.close()


def test_names_outside_latin_1_and_an_empty_night(uow, tmp_path):
    events.open_event(uow, "Nuit à l'Olympia ★ 東京", currency="EUR")
    result = reports.export(uow, "pdf", tmp_path / "empty.pdf")
    pdf = pypdfium2.PdfDocument(tmp_path / "empty.pdf")
    try:
        text = text_of(pdf, 0)
        assert "Nuit à l'Olympia" in text and "No sales yet." in text
        assert pdf[0].get_size() == pytest.approx((595.3, 841.9), abs=1)  # A4 outside N. America
    finally:
        pdf.close()
    assert result.files == (tmp_path / "empty.pdf",)
    assert not list(tmp_path.glob(".*"))
