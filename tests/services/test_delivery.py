"""Email delivery against a real SMTP server on 127.0.0.1: what arrives, once, and why not."""

from __future__ import annotations

from pathlib import Path

import pytest

from popup_pos.services import checkout, delivery, payments, tickets
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.services.delivery import DeliveryError
from popup_pos.store import outbox
from tests.smtp_support import PASSWORD, USER, SmtpServer, ring, smtp_server, tls_server

__all__ = ["ring", "smtp_server", "tls_server"]

FAN = "fan@example.com"


def set_up(shop, server: SmtpServer, **more) -> None:
    delivery.save_settings(
        shop.uow,
        {
            "host": "127.0.0.1",
            "port": server.port,
            "security": "none",
            "from": "shop@example.com",
            "from_name": "Night Shop",
            "reply_to": "hello@example.com",
            **more,
        },
    )


@pytest.fixture
def fan_sale(shop):
    cart = Cart((CartLine("DL-CARD", 2), CartLine("SHOUTOUT-60", personalisation="Sam")))
    return checkout.sell(shop.uow, shop.register_id, cart)


def rows(shop, order_id: int) -> list[outbox.OutboxRow]:
    with shop.uow:
        return outbox.of_order(shop.uow, order_id)


def test_the_receipt_carries_codes_tickets_qr_and_pdf(shop, fan_sale, smtp_server):
    set_up(shop, smtp_server)
    queued = delivery.ask_receipt(shop.uow, fan_sale.number, FAN)
    assert queued.message_id is not None
    done = delivery.flush(shop.uow)
    assert done.errors == []
    assert (done.sent, done.failed, done.waiting) == (1, 0, 0)
    [msg] = smtp_server.sink.messages()
    [row] = rows(shop, fan_sale.order_id)
    assert msg["Message-ID"] == row.message_id and row.status == "sent"
    assert msg["To"] == FAN and msg["Reply-To"] == "hello@example.com"
    assert "Night Shop" in msg["From"]
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    [ticket] = tickets.of_order(shop.uow, fan_sale.order_id)
    for code in [c.code for c in fan_sale.codes] + [ticket.code]:
        assert code in text and code in html
    images = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 3
    for img in images:
        assert f"cid:{img['Content-ID'][1:-1]}" in html
    [pdf] = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf.get_content().startswith(b"%PDF")
    assert fan_sale.number in text and "Total" in text


def test_a_refund_mails_an_updated_receipt_without_the_void_code(shop, fan_sale, smtp_server):
    set_up(shop, smtp_server)
    delivery.ask_receipt(shop.uow, fan_sale.number, FAN, consent=True)
    order = checkout.get_order(shop.uow, fan_sale.order_id)
    payments.refund_to_tenders(shop.uow, fan_sale.order_id, lines={order.lines[0].id: 1})
    # The first receipt never went: it is replaced, so the void code is never mailed.
    assert [r.status for r in rows(shop, fan_sale.order_id)] == ["replaced", "pending"]
    delivery.flush(shop.uow)
    [msg] = smtp_server.sink.messages()
    text = msg.get_body(("plain",)).get_content()
    voided = [c.code for c in fan_sale.codes if c.code not in text]
    assert len(voided) == 1
    assert "refund" in msg["Subject"].lower()


def test_server_down_then_up_everything_arrives_once(shop, smtp_server):
    set_up(shop, smtp_server)
    numbers = [
        checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD"),))).number
        for _ in range(3)
    ]
    smtp_server.stop()
    for n in numbers:
        delivery.ask_receipt(shop.uow, n, FAN)
    done = delivery.flush(shop.uow)
    assert done.sent == 0 and done.waiting == 3
    assert "cannot reach 127.0.0.1" in done.errors[0]
    assert delivery.waiting(shop.uow) == 3
    with shop.uow:
        assert all("cannot reach" in (r.last_error or "") for r in outbox.unsent(shop.uow))
    smtp_server.start()
    # Not due yet (backoff) unless flushed by hand; by hand, all go.
    assert delivery.flush(shop.uow).sent == 0
    assert delivery.flush(shop.uow, all_now=True).sent == 3
    assert delivery.flush(shop.uow, all_now=True).sent == 0
    ids = [m["Message-ID"] for m in smtp_server.sink.messages()]
    assert len(ids) == len(set(ids)) == 3


def test_an_address_is_kept_only_with_consent(shop, smtp_server):
    set_up(shop, smtp_server)
    a = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD"),)))
    b = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD"),)))
    delivery.ask_receipt(shop.uow, a.number, "once@example.com")
    delivery.ask_receipt(shop.uow, b.number, "again@example.com", consent=True)
    delivery.flush(shop.uow)
    with shop.uow:
        gone, kept = (
            outbox.order_email(shop.uow, a.order_id),
            outbox.order_email(shop.uow, b.order_id),
        )
    assert gone is not None and gone.email is None and not gone.consent
    assert kept is not None and kept.email == "again@example.com" and kept.consent
    [ra], [rb] = rows(shop, a.order_id), rows(shop, b.order_id)
    assert ra.recipient is None and ra.raw is None and ra.status == "sent"
    assert rb.recipient == "again@example.com"


def test_unpaid_order_mails_in_the_paying_transaction(shop, smtp_server):
    set_up(shop, smtp_server)
    placed = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("DL-CARD"),)))
    assert delivery.ask_receipt(shop.uow, placed.number, FAN).message_id is None
    assert rows(shop, placed.order_id) == []
    checkout.add_payment(shop.uow, placed.order_id, TenderSpec("cash"))
    [row] = rows(shop, placed.order_id)
    assert row.status == "pending" and row.recipient == FAN
    assert delivery.flush(shop.uow).sent == 1


@pytest.mark.parametrize(
    "bad", ["", "fan", "fan@", "@example.com", "fan@example", "a b@example.com", "x@@y.com"]
)
def test_a_malformed_address_is_refused_at_once(shop, fan_sale, bad):
    with pytest.raises(DeliveryError, match="email address"):
        delivery.ask_receipt(shop.uow, fan_sale.number, bad)
    assert rows(shop, fan_sale.order_id) == []


def test_a_refused_recipient_fails_with_the_reason_and_can_be_fixed(shop, fan_sale, smtp_server):
    set_up(shop, smtp_server)
    smtp_server.sink.refuse.add("typo@example.com")
    delivery.ask_receipt(shop.uow, fan_sale.number, "typo@example.com")
    done = delivery.flush(shop.uow)
    assert done.failed == 1 and "refused the address typo@example.com" in done.errors[0]
    assert "550" in done.errors[0]
    [row] = delivery.unsent(shop.uow)
    assert row.status == "failed" and "no such mailbox" in (row.last_error or "")
    delivery.ask_receipt(shop.uow, fan_sale.number, FAN)
    assert delivery.flush(shop.uow).sent == 1
    assert [r.status for r in rows(shop, fan_sale.order_id)] == ["replaced", "sent"]
    assert delivery.unsent(shop.uow) == []


def test_starttls_login_and_a_wrong_password(shop, fan_sale, tls_server, ring, monkeypatch):
    cert = str(tls_server.cert[0]) if tls_server.cert else None
    set_up(shop, tls_server, security="starttls", user=USER)
    delivery.set_password("not-the-password")
    with pytest.raises(delivery.smtp.LoginRefusedError, match="refused the login of seller"):
        delivery.check_server(shop.uow, cafile=cert)
    delivery.ask_receipt(shop.uow, fan_sale.number, FAN)
    done = delivery.flush(shop.uow, cafile=cert)
    assert done.sent == 0 and "wrong user name or password" in done.errors[0]
    [row] = delivery.unsent(shop.uow)
    assert row.status == "pending" and "refused the login" in (row.last_error or "")
    delivery.set_password(PASSWORD)
    assert "as seller" in delivery.check_server(shop.uow, cafile=cert)
    assert delivery.flush(shop.uow, all_now=True, cafile=cert).sent == 1
    assert len(tls_server.sink.raw) == 1


def test_the_password_is_in_no_file_the_app_writes(shop, fan_sale, tls_server, ring, db_url):
    cert = str(tls_server.cert[0]) if tls_server.cert else None
    set_up(shop, tls_server, security="starttls", user=USER)
    delivery.set_password(PASSWORD)
    delivery.ask_receipt(shop.uow, fan_sale.number, FAN, consent=True)
    assert delivery.flush(shop.uow, cafile=cert).sent == 1
    shop.uow.engine.dispose()
    needle = PASSWORD.encode()
    folders = [Path(db_url).parent] if "://" not in db_url else []
    import os

    folders.append(Path(os.environ["POPUP_POS_DATA_DIR"]))
    checked = 0
    for folder in folders:
        for f in folder.rglob("*"):
            if f.is_file():
                checked += 1
                assert needle not in f.read_bytes(), f
    if "://" in db_url:
        # A server database has no file here: read every row of every table instead.
        checked += _rows_without(db_url, PASSWORD)
    assert checked
    with shop.uow:
        assert PASSWORD not in repr(delivery.mail_settings_in(shop.uow))
    assert ring.items[("popup-pos", "smtp-password")] == PASSWORD


def _rows_without(db_url: str, needle: str) -> int:
    """How many rows a PostgreSQL database holds, each checked not to contain `needle`."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(db_url)
    rows = 0
    try:
        with engine.connect() as c:
            for table in inspect(c).get_table_names():
                for (row,) in c.execute(text(f'SELECT row_to_json(t)::text FROM "{table}" t')):
                    rows += 1
                    assert needle not in row, table
    finally:
        engine.dispose()
    return rows
