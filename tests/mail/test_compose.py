"""A receipt email: plain text and HTML alternatives, inline QR images, the PDF, short lines."""

from __future__ import annotations

import email
import io
from datetime import UTC, datetime
from email import policy

import zxingcpp
from PIL import Image

from popup_pos.mail.compose import (
    Code,
    Content,
    Envelope,
    Line,
    Row,
    Ticket,
    build,
    new_message_id,
)


def test_parts_and_inline_qr_codes():
    c = Content(
        subject="Your receipt for order A-0001",
        title="Night Shop",
        subtitle="Spring show",
        order_number="A-0001",
        date="2026-12-04 21:00",
        lines=[Line("Poster #17/50 — Ünïcode " * 5, "$10.00", ("Code ABC-123",))],
        totals=[Row("Total", "$10.00")],
        tenders=[Row("Cash", "$10.00")],
        codes=[Code("ABC-123", "Album")],
        tickets=[Ticket("GIG-7", "Shoutout for Sam", "21:15")],
        pdf=b"%PDF-1.4 fake",
        pdf_name="receipt-A-0001.pdf",
    )
    mid = new_message_id("example.com")
    env = Envelope("shop@example.com", "Night Shop", "fan@example.com", mid, "hi@example.com")
    msg, text, html = build(c, env, datetime.now(UTC))
    raw = msg.as_string()
    assert raw.isascii() and max(len(line) for line in raw.splitlines()) <= 78
    parsed = email.message_from_string(raw, policy=policy.default)
    assert parsed["Message-ID"] == mid and parsed["Reply-To"] == "hi@example.com"
    assert "Ünïcode" in parsed.get_body(("plain",)).get_content()
    assert "GIG-7" in text and "slot 21:15" in text and "ABC-123" in html
    images = [p for p in parsed.walk() if p.get_content_type() == "image/png"]
    decoded = sorted(
        r.text
        for p in images
        for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(p.get_content())))
    )
    assert decoded == ["ABC-123", "GIG-7"]
    [pdf] = list(parsed.iter_attachments())
    assert pdf.get_filename() == "receipt-A-0001.pdf"
