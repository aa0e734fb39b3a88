"""Printing on each database: labels from the catalog and stock, receipts that match the order."""

import io

import pypdfium2
import pytest
import zxingcpp

from popup_pos.documents.templates import MM
from popup_pos.domain.money import format_money
from popup_pos.domain.pricing import Discount, Tip
from popup_pos.importers.base import ImportedVariant, ParsedCatalog
from popup_pos.services import catalog, checkout, printing, settings
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.services.printing import PrintingError


def add_variants(shop, *variants: ImportedVariant) -> None:
    parsed = ParsedCatalog("native", list(variants))
    catalog.import_catalog(shop.uow, parsed, source="test")


def variant(sku: str, **kw) -> ImportedVariant:
    fields = {"row": 2, "handle": sku.lower(), "product_name": sku.title(), "price": 2000}
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
    [gig] = printing.labels_for_sku(shop.uow, "SHOUTOUT-60")
    assert card.qr == "DL-CARD" and gig.qr == "SHOUTOUT-60"
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


def test_download_codes_are_printed_as_qr_and_text(shop, sale):
    out = io.BytesIO()
    printing.print_receipt(shop.uow, sale.number, out, download_codes=["NLT-7F3K-Q9ZP"])
    [(codes, text, _)] = pdf_pages(out.getvalue(), 203)
    assert codes == sorted([("QRCode", sale.number), ("QRCode", "NLT-7F3K-Q9ZP")])
    assert "NLT-7F3K-Q9ZP" in text


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
