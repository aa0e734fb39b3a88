"""What a receipt email says: the printed receipt's content, its tickets, and its PDF."""

from __future__ import annotations

import io
from datetime import datetime

from popup_pos.mail.compose import Code, Content, Envelope, Line, Row, Ticket, build
from popup_pos.services import printing, tickets
from popup_pos.services.mail_queue import MailSettings
from popup_pos.store.models import utcnow
from popup_pos.store.outbox import OutboxRow
from popup_pos.store.uow import UnitOfWork

INTRO = {
    "receipt": "Thank you for your order. Your receipt is attached as a PDF.",
    "refund": "Your order was refunded in part or in full. This is the updated receipt; "
    "codes and tickets of refunded items no longer work.",
}


def _slot(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone().strftime("%H:%M")


def receipt_content(uow: UnitOfWork, order_id: int, subject: str, kind: str) -> Content:
    """The order as the receipt shows it: only codes still assigned and tickets still
    valid, so a voided or refunded code is never mailed."""
    data, _warnings = printing.receipt_data(uow, order_id)
    ticket_rows = [
        Ticket(
            t.code,
            t.name + (f" for {t.personalisation}" if t.personalisation else ""),
            _slot(t.slot_at),
        )
        for t in tickets.of_order(uow, order_id)
        if t.status in printing.RECEIPT_TICKETS
    ]
    pdf = io.BytesIO()
    printing.print_receipt(uow, order_id, pdf)
    return Content(
        subject=subject,
        title=data.title,
        subtitle=data.subtitle,
        order_number=data.order_number,
        date=data.date,
        intro=INTRO.get(kind, ""),
        lines=[Line(ln.description, ln.amount, tuple(ln.details)) for ln in data.lines],
        totals=[Row(r.label, r.amount) for r in data.totals],
        tenders=[Row(r.label, r.amount) for r in data.tenders],
        status_note=data.status_note,
        codes=[Code(c.code, c.item) for c in data.download_codes],
        tickets=ticket_rows,
        footer=data.footer,
        pdf=pdf.getvalue(),
        pdf_name=f"receipt-{data.order_number}.pdf",
    )


def compose(uow: UnitOfWork, row: OutboxRow, s: MailSettings) -> tuple[str, str, str]:
    """The whole message as sent (text), its plain text and its HTML."""
    if row.order_id is None:
        content = Content(
            subject=row.subject,
            title=s.sender_name or "popup-pos",
            order_number="-",
            date=utcnow().astimezone().strftime("%Y-%m-%d %H:%M"),
            intro="This test message shows that the mail settings work.",
        )
    else:
        content = receipt_content(uow, row.order_id, row.subject, row.kind)
    assert row.recipient is not None
    env = Envelope(
        sender=s.sender,
        sender_name=s.sender_name or content.title,
        recipient=row.recipient,
        message_id=row.message_id,
        reply_to=s.reply_to,
    )
    msg, text, html = build(content, env, utcnow())
    return msg.as_string(), text, html
