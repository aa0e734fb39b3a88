"""The report PDF: what an organizer hands the venue, rasterised and read back."""

from datetime import UTC, datetime, timedelta

import pypdfium2
import pytest

from popup_pos.documents.report import render_report_pdf
from popup_pos.services import checkout, closing, events, reports, settlement, tickets
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
    closing.close_event(
        uow,
        cash_count=closing.parse_cash_count("100x2, 20x1, 5x1, 1x3", "USD"),
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


@pytest.fixture
def experience_night(shop):
    """Merch with Stripe fees and a venue cut, experiences through the queue, repeat fans."""
    uow, reg = shop.uow, shop.register_id
    settlement.set_terms(uow, VenueTerms({"apparel": 200_000, "other": 100_000},
                                         {"Apparel": "apparel"}))  # fmt: skip
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    r = checkout.place_order(uow, reg, Cart((CartLine("TEE-M", 2), CartLine("POSTER"))),
                             now=start)  # fmt: skip
    pid = checkout.begin_payment(uow, r.order_id, "stripe_qr", r.total_cents,
                                 idempotency_key="tees", request={})  # fmt: skip
    checkout.complete_payment(uow, pid, fee_cents=251)
    checkout.sell(uow, reg, Cart((CartLine("LP-NIGHTS"), CartLine("DL-CARD")), customer="@fan2"),
                  now=start + timedelta(minutes=1))  # fmt: skip
    checkout.sell(uow, reg, Cart((CartLine("MEET-GREET"),), customer="@fan1"),
                  now=start + timedelta(minutes=2))  # fmt: skip
    checkout.sell(uow, reg, Cart((CartLine("SHOUTOUT-60", 3, personalisation="Sam"),),
                                 customer="@fan1"), now=start + timedelta(minutes=3))  # fmt: skip
    shouts = sorted(t.id for t in tickets.state(uow).tickets if t.sku == "SHOUTOUT-60")
    for ticket, called, done in zip(shouts, (4, 6), (6, 9), strict=False):
        tickets.call(uow, ticket, now=start + timedelta(minutes=called))
        tickets.move(uow, ticket, "done", now=start + timedelta(minutes=done))
    return uow


def test_profit_experiences_and_customers_pages(experience_night, tmp_path):
    report = reports.build_report(experience_night)
    pdf = pypdfium2.PdfDocument(render_report_pdf(report))
    try:
        pages = [text_of(pdf, i) for i in range(len(pdf))]
        where = next(i for i, t in enumerate(pages) if "Profit by item" in t)
        text = pages[where]
        for expected in ("Profit by item", "Venue cut", "Per unit", "unknown", "experience",
                         "Experiences: fulfilment and revenue per hour", "measured", "planned",
                         "$720.00", "Repeat customers", "50% (1 of 2)",
                         "75% (3 of 4)"):  # fmt: skip
            assert expected in text, expected
        # LP-NIGHTS: 28.00 less its cost 11.00 and the venue's 10% of 28.00: 14.20.
        assert "$14.20" in text
        image = pdf[where].render(scale=150 / 72).to_pil().convert("RGB")
        image.save(tmp_path / "report-profit-page.png")  # for a person to look at
    finally:
        pdf.close()
