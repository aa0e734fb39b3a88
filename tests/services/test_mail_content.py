"""A receipt email's content matches the printed receipt: codes, tickets, the PDF."""

from __future__ import annotations

from popup_pos.services import checkout, mail_content, tickets
from popup_pos.services.checkout import Cart, CartLine


def test_content_of_an_order_with_codes_and_a_ticket(shop):
    cart = Cart((CartLine("DL-CARD", 2), CartLine("SHOUTOUT-60", personalisation="Sam")))
    sold = checkout.sell(shop.uow, shop.register_id, cart)
    c = mail_content.receipt_content(shop.uow, sold.order_id, "subj", "receipt")
    assert [k.code for k in c.codes] == [d.code for d in sold.codes]
    [t] = tickets.of_order(shop.uow, sold.order_id)
    assert [g.code for g in c.tickets] == [t.code] and "Sam" in c.tickets[0].what
    assert c.pdf is not None and c.pdf.startswith(b"%PDF")
    assert c.order_number == sold.number and c.pdf_name == f"receipt-{sold.number}.pdf"
