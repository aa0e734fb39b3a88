"""Printing on each database: labels from the catalog and stock, receipts that match the order."""

import io
import re
from datetime import datetime
from typing import Any

import pypdfium2
import pytest
import zxingcpp

from popup_pos.documents.templates import MM
from popup_pos.domain.catalog_file import ImportedVariant, ParsedCatalog
from popup_pos.domain.money import format_money
from popup_pos.domain.pricing import Discount, Tip
from popup_pos.services import (
    catalog,
    checkout,
    closing,
    events,
    inventory,
    payments,
    printing,
    settings,
    tickets,
)
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.services.printing import PrintingError


def add_variants(shop, *variants: ImportedVariant) -> None:
    parsed = ParsedCatalog("native", list(variants))
    catalog.import_catalog(shop.uow, parsed, source="test")


def variant(sku: str, **kw) -> ImportedVariant:
    fields: dict[str, Any] = {
        "row": 2,
        "handle": sku.lower(),
        "product_name": sku.title(),
        "price": 2000,
    }
    fields.update(kw)
    return ImportedVariant(sku=sku, **fields)


def pdf_pages(data: bytes, dpi: int) -> list[tuple[list[tuple[str, str]], str, float]]:
    """(decoded codes, text, width in points) of each page."""
    doc = pypdfium2.PdfDocument(data)
    out = []
    for page in doc:
        image = page.render(scale=dpi / 72, grayscale=True, no_smoothpath=True).to_pil()
        codes = sorted((r.format.name, r.text) for r in zxingcpp.read_barcodes(image))
        out.append((codes, page.get_textpage().get_text_range(), page.get_size()[0]))
    return out


# ---- labels ---------------------------------------------------------------------------


def test_copies_of_a_variant(shop):
    items = printing.labels_for_sku(shop.uow, "tee-m", 3)
    assert len(items) == 3 and len(set(items)) == 1
    tee = items[0]
    assert (tee.name, tee.variant, tee.price, tee.sku) == (
        "Tour tee 2026",
        "Size M",
        "$30.00",
        "TEE-M",
    )
    assert tee.qr is None and tee.edition is None


def test_a_bundle_by_its_own_sku(shop):
    [pack] = printing.labels_for_sku(shop.uow, "PACK-TEE-M-POSTER")
    assert (pack.name, pack.sku, pack.price) == ("Tee + poster pack", "PACK-TEE-M-POSTER", "$40.00")


def test_digital_items_and_experiences_get_a_qr(shop):
    [card] = printing.labels_for_sku(shop.uow, "DL-CARD")
    [shoutout] = printing.labels_for_sku(shop.uow, "SHOUTOUT-60")
    assert card.qr == "DL-CARD" and shoutout.qr == "SHOUTOUT-60"
    [tee] = printing.labels_for_sku(shop.uow, "TEE-M", qr=True)
    assert tee.qr == "TEE-M"
    [no_qr] = printing.labels_for_sku(shop.uow, "DL-CARD", qr=False)
    assert no_qr.qr is None


def test_numbered_stock_says_the_edition_size_unless_the_number_is_known(shop):
    [unknown] = printing.labels_for_sku(shop.uow, "PRINT-LTD")
    assert unknown.edition == "Edition of 50"
    known = printing.labels_for_sku(shop.uow, "PRINT-LTD", edition_numbers=[17, 18])
    assert [i.edition for i in known] == ["#17/50", "#18/50"]
    with pytest.raises(PrintingError, match="edition number 51"):
        printing.labels_for_sku(shop.uow, "PRINT-LTD", edition_numbers=[51])
    with pytest.raises(PrintingError, match="not a limited edition"):
        printing.labels_for_sku(shop.uow, "TEE-M", edition_numbers=[1])


def test_labels_of_a_sold_order_carry_its_edition_numbers(shop):
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("PRINT-LTD", 2),)))
    items = printing.labels_for_order(shop.uow, sold.number)
    assert [i.edition for i in items] == ["#1/50", "#2/50"]


def test_all_stock_is_one_label_a_unit_of_tracked_variants(shop):
    items = printing.labels_for_stock(shop.uow)
    tracked = [
        v
        for v in catalog.list_variants(shop.uow)
        if v.track_stock and not v.is_bundle and v.kind != "digital"
    ]
    assert len(items) == sum(v.on_hand for v in tracked) == 210
    skus = {i.sku for i in items}
    assert "PACK-TEE-M-POSTER" not in skus  # a bundle's units are its components'
    # A download card's units are codes, given at payment; an experience has no units.
    assert "DL-CARD" not in skus and "MEET-GREET" not in skus
    assert sum(i.sku == "TEE-S" for i in items) == shop.on_hand("TEE-S")
    assert {i.edition for i in items if i.sku == "PRINT-LTD"} == {"Edition of 50"}


def test_unknown_sku_and_skus_a_scanner_could_mistype(shop):
    with pytest.raises(PrintingError, match="no variant with SKU 'NOPE'"):
        printing.labels_for_sku(shop.uow, "NOPE")
    add_variants(shop, variant("ODD_1", quantity=2))
    with pytest.raises(PrintingError, match="SKU 'ODD_1' cannot go on a label: it has '_'"):
        printing.labels_for_sku(shop.uow, "ODD_1")
    with pytest.raises(PrintingError, match="copies must be at least 1"):
        printing.labels_for_sku(shop.uow, "TEE-M", 0)


def test_lowercase_skus_are_printed_in_capitals(shop):
    add_variants(shop, variant("cap-1", quantity=1))
    [item] = printing.labels_for_sku(shop.uow, "cap-1")
    assert item.sku == "CAP-1"
    assert catalog.find_by_code(shop.uow, item.sku) is not None  # the scan finds it again


def test_print_labels_uses_the_template_in_the_settings(shop):
    items = printing.labels_for_sku(shop.uow, "TEE-M", 4) + printing.labels_for_sku(
        shop.uow, "DL-CARD"
    )
    out = io.BytesIO()
    done = printing.print_labels(shop.uow, items, out, start_cell=29)
    assert (done.labels, done.pages, done.template) == (5, 2, "avery-5160")
    settings.put(
        shop.uow,
        "printing",
        {**settings.get(shop.uow, "printing"), "label_template": "zebra-2.25x1.25"},
    )
    out = io.BytesIO()
    done = printing.print_labels(shop.uow, items, out)
    assert (done.pages, done.template) == (5, "zebra-2.25x1.25")
    pages = pdf_pages(out.getvalue(), 203)
    assert [codes for codes, _, _ in pages] == [[("Code128", "TEE-M")]] * 4 + [
        [("Code128", "DL-CARD"), ("QRCode", "DL-CARD")]
    ]


def test_a_missing_logo_is_a_warning_not_a_failure(shop, tmp_path):
    prefs = settings.get(shop.uow, "printing")
    settings.put(shop.uow, "printing", {**prefs, "logo": str(tmp_path / "gone.png")})
    done = printing.print_labels(shop.uow, printing.labels_for_sku(shop.uow, "TEE-M"), io.BytesIO())
    assert done.labels == 1
    assert done.warnings and "gone.png" in done.warnings[0]


# ---- receipts -------------------------------------------------------------------------


@pytest.fixture
def sale(shop):
    """A sale with copies, an edition, a shoutout, taxes added and included, a discount,
    a tip, and cash with change."""
    add_variants(
        shop,
        variant("HAT", tax_class="8.875", quantity=5),
        variant("PIN", price=500, tax_class="20% incl", quantity=5),
    )
    cart = Cart(
        (
            CartLine("TEE-M", 2),
            CartLine("PRINT-LTD"),
            CartLine("SHOUTOUT-60", personalisation="Sam"),
            CartLine("HAT"),
            CartLine("PIN"),
        ),
        discount=Discount.percent(100_000),
        tip=Tip.amount(500),
    )
    total = checkout.quote(shop.uow, cart).totals.total
    tendered = (total // 10_000 + 1) * 10_000
    result = checkout.sell(
        shop.uow, shop.register_id, cart, (TenderSpec("cash", tendered=tendered),)
    )
    return checkout.get_order(shop.uow, result.number)


def test_receipt_totals_match_the_order(shop, sale):
    data, warnings = printing.receipt_data(shop.uow, sale.number)
    assert warnings == []
    rows = {r.label: r.amount for r in data.totals}
    money = lambda cents: format_money(cents, "USD")  # noqa: E731
    assert rows["Total"] == money(sale.total_cents)
    assert rows["Subtotal"] == money(sale.subtotal_cents)
    assert rows["Discount"] == money(-sale.discount_cents)
    assert rows["Tip"] == money(sale.tip_cents)
    added = sum(ln.tax_cents for ln in sale.lines if not ln.tax_inclusive)
    assert rows["Tax 8.875%"] == money(added)
    assert "incl. tax 20%" in rows
    assert sale.subtotal_cents - sale.discount_cents + added + sale.tip_cents == sale.total_cents
    assert sum(int(r.amount.strip("$").replace(",", "").replace(".", "")) for r in data.lines) == (
        sale.subtotal_cents
    )
    cash = sale.payments[0]
    assert [(r.label, r.amount) for r in data.tenders] == [
        ("Cash", money(cash.tendered_cents)),
        ("Change", money(cash.change_cents)),
    ]
    assert data.title == "Test night" and data.ticket_payload == sale.number
    details = [d for line in data.lines for d in line.details]
    assert "#1/50" in details and "For: Sam" in details and "@ $30.00" in details


@pytest.mark.parametrize("width", [80, 58])
def test_printed_receipt_decodes_and_shows_the_total(shop, sale, width):
    out = io.BytesIO()
    done = printing.print_receipt(shop.uow, sale.number.lower(), out, width_mm=width)
    assert (done.order_number, done.width_mm) == (sale.number, width)
    for dpi in (203, 300):
        [(codes, text, page_width)] = pdf_pages(out.getvalue(), dpi)
        assert codes == [("QRCode", sale.number)]
        assert page_width == pytest.approx(width * MM)
        assert f"Total {format_money(sale.total_cents, 'USD')}" in " ".join(text.split())


def test_receipt_width_and_footer_come_from_the_settings(shop, sale):
    prefs = settings.get(shop.uow, "printing")
    settings.put(
        shop.uow,
        "printing",
        {
            **prefs,
            "receipt_width": 58,
            "receipt_footer": "See you next tour",
            "shop_name": "The Band",
        },
    )
    out = io.BytesIO()
    assert printing.print_receipt(shop.uow, sale.number, out).width_mm == 58
    [(_, text, _)] = pdf_pages(out.getvalue(), 203)
    assert "See you next tour" in text and "The Band" in text and "Test night" in text


def test_an_unpaid_order_says_so(shop):
    placed = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    data, _ = printing.receipt_data(shop.uow, placed.number)
    assert data.status_note == "NOT PAID: $15.00 due"
    assert data.tenders == []


def test_unknown_order_and_unsupported_width(shop, sale):
    with pytest.raises(checkout.CheckoutError, match="no order Z-0001"):
        printing.print_receipt(shop.uow, "Z-0001", io.BytesIO())
    with pytest.raises(PrintingError, match="use 80 or 58"):
        printing.print_receipt(shop.uow, sale.number, io.BytesIO(), width_mm=76)


# ---- download codes and tickets on the receipt --------------------------------------------


@pytest.fixture
def fan_sale(shop):
    """Two download cards and a shoutout for Sam, paid in cash."""
    cart = Cart((CartLine("DL-CARD", 2), CartLine("SHOUTOUT-60", personalisation="Sam")))
    return checkout.sell(shop.uow, shop.register_id, cart)


def evening(hour: int = 20, minute: int = 5) -> datetime:
    """Today at this local time: inside the signing table's 19:00-01:00 slots."""
    return datetime.now().astimezone().replace(hour=hour, minute=minute, second=0, microsecond=0)


def local_clock(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def details(data) -> list[str]:
    return [d for line in data.lines for d in line.details]


def test_receipt_lists_codes_and_tickets_under_their_lines(shop, fan_sale):
    data, warnings = printing.receipt_data(shop.uow, fan_sale.number)
    assert warnings == []
    card, shoutout = data.lines
    given = [c.code for c in fan_sale.codes]
    assert [d for d in card.details if d.startswith("Code ")] == [f"Code {c}" for c in given]
    [ticket] = tickets.of_order(shop.uow, fan_sale.order_id)
    assert shoutout.details == ("For: Sam", f"Ticket {ticket.code}")  # no slot: walk-in queue
    assert [(c.code, c.item) for c in data.download_codes] == [
        (code, "Download card: Nights Like These") for code in given
    ]


@pytest.mark.parametrize("width", [80, 58])
def test_printed_receipt_has_a_qr_of_each_code(shop, fan_sale, width):
    out = io.BytesIO()
    printing.print_receipt(shop.uow, fan_sale.number, out, width_mm=width)
    [ticket] = tickets.of_order(shop.uow, fan_sale.order_id)
    for dpi in (203, 300):
        [(found, text, _)] = pdf_pages(out.getvalue(), dpi)
        assert found == sorted(
            [("QRCode", fan_sale.number)] + [("QRCode", c.code) for c in fan_sale.codes]
        )
    lines = [line.strip() for line in text.splitlines()]
    for c in fan_sale.codes:
        assert f"Code {c.code}" in lines  # under its line
        assert c.code in lines  # under its QR
    assert "Redeem at the store's site" in lines and f"Ticket {ticket.code}" in lines


def test_a_refunded_code_is_not_printed(shop, fan_sale):
    """A void code is refused by the store: the buyer should not be handed it to try."""
    order = checkout.get_order(shop.uow, fan_sale.order_id)
    payments.refund_to_tenders(shop.uow, fan_sale.order_id, lines={order.lines[0].id: 1})
    kept, voided = (c.code for c in fan_sale.codes)
    data, _ = printing.receipt_data(shop.uow, fan_sale.number)
    assert [c.code for c in data.download_codes] == [kept]
    assert f"Code {kept}" in details(data) and "Refunded: 1 of 2" in details(data)
    assert not any(voided in d for d in details(data))
    out = io.BytesIO()
    printing.print_receipt(shop.uow, fan_sale.number, out)
    [(found, text, _)] = pdf_pages(out.getvalue(), 203)
    assert found == sorted([("QRCode", fan_sale.number), ("QRCode", kept)])
    assert voided not in text


def test_a_refunded_ticket_is_not_printed_and_has_no_slip(shop, fan_sale):
    order = checkout.get_order(shop.uow, fan_sale.order_id)
    payments.refund_to_tenders(shop.uow, fan_sale.order_id, lines={order.lines[1].id: 1})
    data, _ = printing.receipt_data(shop.uow, fan_sale.number)
    assert not any(d.startswith("Ticket ") for d in details(data))
    with pytest.raises(PrintingError, match=f"order {fan_sale.number} has no tickets still to be"):
        printing.ticket_slips_data(shop.uow, fan_sale.number)


def test_a_booked_slot_is_on_the_receipt_and_the_slip(shop):
    cart = Cart((CartLine("SIGNING-SLOT", personalisation="Alex"),))
    sold = checkout.sell(shop.uow, shop.register_id, cart, now=evening())
    [ticket] = tickets.of_order(shop.uow, sold.order_id)
    assert ticket.slot_at is not None
    slot = local_clock(ticket.slot_at)
    data, _ = printing.receipt_data(shop.uow, sold.number)
    assert data.lines[0].details == ("For: Alex", f"Ticket {ticket.code} · slot {slot}")
    [slip] = printing.ticket_slips_data(shop.uow, sold.number)
    assert (slip.slot, slip.wait) == (slot, None)


def test_two_lines_of_one_experience_keep_their_own_tickets(shop):
    cart = Cart(
        (
            CartLine("SHOUTOUT-60", 2, personalisation="Sam"),
            CartLine("TEE-M"),
            CartLine("SHOUTOUT-60", personalisation="Alex"),
        )
    )
    sold = checkout.sell(shop.uow, shop.register_id, cart)
    first, second, third = (t.code for t in tickets.of_order(shop.uow, sold.order_id))
    data, _ = printing.receipt_data(shop.uow, sold.number)
    sam, tee, alex = data.lines
    assert sam.details == ("@ $20.00", "For: Sam", f"Ticket {first}", f"Ticket {second}")
    assert tee.details == ()
    assert alex.details == ("For: Alex", f"Ticket {third}")
    slips = printing.ticket_slips_data(shop.uow, sold.number)
    assert [(s.code, s.personalisation) for s in slips] == [
        (first, "Sam"),
        (second, "Sam"),
        (third, "Alex"),
    ]


def test_receipt_reprinted_after_the_close_still_lists_the_tickets(shop, fan_sale):
    [ticket] = tickets.of_order(shop.uow, fan_sale.order_id)
    closing.close_event(shop.uow, 100_00 + fan_sale.total_cents)
    assert events.current_event(shop.uow) is None
    data, _ = printing.receipt_data(shop.uow, fan_sale.number)
    assert f"Ticket {ticket.code}" in details(data)
    assert len(data.download_codes) == 2


# ---- ticket slips ---------------------------------------------------------------------------


def test_a_slip_says_what_where_for_whom_and_how_long(shop, fan_sale):
    [slip] = printing.ticket_slips_data(shop.uow, fan_sale.number.lower())
    [ticket] = tickets.of_order(shop.uow, fan_sale.order_id)
    assert (slip.event, slip.experience, slip.code, slip.order_number) == (
        "Test night",
        "60-second video shoutout",
        ticket.code,
        fan_sale.number,
    )
    assert (slip.personalisation, slip.slot, slip.note) == ("Sam", None, None)
    assert slip.wait is not None and re.fullmatch(r"about \d+ min", slip.wait)
    assert slip.printed_at is not None and re.fullmatch(r"\d\d:\d\d", slip.printed_at)


def test_a_called_ticket_slip_says_come_now(shop, fan_sale):
    [ticket] = tickets.of_order(shop.uow, fan_sale.order_id)
    tickets.call(shop.uow, ticket.id)
    [slip] = printing.ticket_slips_data(shop.uow, fan_sale.number)
    assert (slip.note, slip.wait) == ("Called: come to the table now", None)


@pytest.mark.parametrize("width", [80, 58])
def test_print_ticket_slips_one_page_each_and_the_qr_calls_the_ticket(shop, width):
    cart = Cart(
        (
            CartLine("SHOUTOUT-60", 2, personalisation="Sam"),
            CartLine("MEET-GREET"),
            CartLine("POSTER"),
        )
    )
    sold = checkout.sell(shop.uow, shop.register_id, cart)
    views = tickets.of_order(shop.uow, sold.order_id)
    out = io.BytesIO()
    done = printing.print_ticket_slips(shop.uow, sold.number, out, width_mm=width)
    assert (done.order_number, done.slips, done.width_mm) == (sold.number, 3, width)
    pages = pdf_pages(out.getvalue(), 203)
    assert [found for found, _, _ in pages] == [[("QRCode", t.code)] for t in views]
    assert [page_width for _, _, page_width in pages] == [pytest.approx(width * MM)] * 3
    assert "Meet & greet (5 min)" in pages[2][1] and "For: Sam" in pages[0][1]
    scanned = tickets.parse_ticket_code(pages[1][0][0][1])
    assert scanned == views[1].id
    assert tickets.call(shop.uow, scanned).status == "called"


def test_slip_width_comes_from_the_settings(shop, fan_sale):
    prefs = settings.get(shop.uow, "printing")
    settings.put(shop.uow, "printing", {**prefs, "receipt_width": 58})
    out = io.BytesIO()
    assert printing.print_ticket_slips(shop.uow, fan_sale.number, out).width_mm == 58
    with pytest.raises(PrintingError, match="use 80 or 58"):
        printing.print_ticket_slips(shop.uow, fan_sale.number, io.BytesIO(), width_mm=76)


def test_no_slips_without_experiences_or_before_payment(shop):
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M"), CartLine("DL-CARD"))))
    with pytest.raises(PrintingError, match=f"order {sold.number} has no experiences"):
        printing.print_ticket_slips(shop.uow, sold.number, io.BytesIO())
    placed = checkout.place_order(
        shop.uow, shop.register_id, Cart((CartLine("SHOUTOUT-60", personalisation="Sam"),))
    )
    with pytest.raises(PrintingError, match=f"order {placed.number} is not paid yet"):
        printing.ticket_slips_data(shop.uow, placed.number)
    with pytest.raises(checkout.CheckoutError, match="no order Z-0001"):
        printing.ticket_slips_data(shop.uow, "Z-0001")


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "about 1 min"),
        (0.4, "about 1 min"),
        (14.6, "about 15 min"),
        (80, "about 1 h 20 min"),
        (120, "about 2 h"),
    ],
)
def test_wait_text(minutes, text):
    assert printing.wait_text(minutes) == text


def test_label_counts_have_limits(shop):
    with pytest.raises(PrintingError, match="1,001 copies is over the limit of 1,000"):
        printing.labels_for_sku(shop.uow, "POSTER", 1_001)
    inventory.count_in(shop.uow, "POSTER", 10_000)
    with pytest.raises(PrintingError, match="over the limit of 10,000 labels in one PDF"):
        printing.labels_for_stock(shop.uow)
    item = printing.labels_for_sku(shop.uow, "POSTER")[0]
    with pytest.raises(PrintingError, match="10,001 labels is over the limit"):
        printing.print_labels(shop.uow, [item] * 10_001, io.BytesIO())
