"""A receipt as an email: plain text and HTML, QR codes inline, the receipt PDF attached."""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    amount: str


@dataclass(frozen=True, slots=True)
class Line:
    description: str
    amount: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Code:
    """A download code, shown as text and as a QR of the code itself."""

    code: str
    item: str


@dataclass(frozen=True, slots=True)
class Ticket:
    """A ticket: its code (also a QR), what it is for and its slot."""

    code: str
    what: str
    slot: str | None


@dataclass(frozen=True, slots=True)
class Content:
    """Everything a receipt email says, as text ready to show (money already formatted)."""

    subject: str
    title: str
    order_number: str
    date: str
    subtitle: str | None = None
    intro: str = ""
    lines: Sequence[Line] = ()
    totals: Sequence[Row] = ()
    tenders: Sequence[Row] = ()
    status_note: str | None = None
    codes: Sequence[Code] = ()
    tickets: Sequence[Ticket] = ()
    footer: str = ""
    pdf: bytes | None = None
    pdf_name: str = "receipt.pdf"
    extra: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Envelope:
    sender: str
    sender_name: str
    recipient: str
    message_id: str
    reply_to: str = ""


def new_message_id(domain: str) -> str:
    """A Message-ID, made once when the outbox row is, so a resend is the same message."""
    return make_msgid("popup-pos", domain=domain or "popup-pos.local")


def qr_png(payload: str) -> bytes:
    import qrcode

    img = qrcode.make(payload, box_size=6, border=2)
    out = io.BytesIO()
    img.save(out)
    return out.getvalue()


def _text(c: Content) -> str:
    out = [c.title]
    if c.subtitle:
        out.append(c.subtitle)
    out += [f"Order {c.order_number} · {c.date}", ""]
    if c.intro:
        out += [c.intro, ""]
    for ln in c.lines:
        out.append(f"{ln.description}  {ln.amount}")
        out += [f"    {d}" for d in ln.details]
    out.append("")
    out += [f"{r.label}: {r.amount}" for r in c.totals]
    if c.tenders:
        out.append("")
        out += [f"{r.label}: {r.amount}" for r in c.tenders]
    if c.status_note:
        out += ["", c.status_note]
    if c.codes:
        out += ["", "Your download codes:"]
        out += [f"  {k.code}  ({k.item})" for k in c.codes]
    if c.tickets:
        out += ["", "Your tickets:"]
        out += [
            f"  {t.code}  {t.what}" + (f" · slot {t.slot}" if t.slot else "") for t in c.tickets
        ]
    out += list(c.extra)
    if c.footer:
        out += ["", c.footer]
    return "\n".join(out) + "\n"


def _rows_html(rows: Sequence[Row]) -> str:
    return "".join(
        f"<tr><td>{html.escape(r.label)}</td><td align='right'>{html.escape(r.amount)}</td></tr>"
        for r in rows
    )


def _html(c: Content, cids: Sequence[str]) -> str:
    e = html.escape
    parts = [f"<h2>{e(c.title)}</h2>"]
    if c.subtitle:
        parts.append(f"<p><b>{e(c.subtitle)}</b></p>")
    parts.append(f"<p>Order {e(c.order_number)} · {e(c.date)}</p>")
    if c.intro:
        parts.append(f"<p>{e(c.intro)}</p>")
    rows = []
    for ln in c.lines:
        details = "".join(f"<br><small>{e(d)}</small>" for d in ln.details)
        rows.append(
            f"<tr><td>{e(ln.description)}{details}</td><td align='right'>{e(ln.amount)}</td></tr>"
        )
    parts.append(f"<table width='100%'>{''.join(rows)}{_rows_html(c.totals)}</table>")
    if c.tenders:
        parts.append(f"<table width='100%'>{_rows_html(c.tenders)}</table>")
    if c.status_note:
        parts.append(f"<p><b>{e(c.status_note)}</b></p>")
    it = iter(cids)
    if c.codes:
        parts.append("<h3>Your download codes</h3>")
        for k in c.codes:
            parts.append(
                f"<p><code>{e(k.code)}</code> {e(k.item)}<br>"
                f"<img src='cid:{next(it)[1:-1]}' alt='{e(k.code)}'></p>"
            )
    if c.tickets:
        parts.append("<h3>Your tickets</h3>")
        for t in c.tickets:
            slot = f" · slot {e(t.slot)}" if t.slot else ""
            parts.append(
                f"<p><code>{e(t.code)}</code> {e(t.what)}{slot}<br>"
                f"<img src='cid:{next(it)[1:-1]}' alt='{e(t.code)}'></p>"
            )
    parts += [f"<p>{e(x)}</p>" for x in c.extra if x]
    if c.footer:
        parts.append(f"<p><small>{e(c.footer)}</small></p>")
    return "<html><body>" + "\n".join(parts) + "</body></html>\n"


def build(c: Content, env: Envelope, when: datetime) -> tuple[EmailMessage, str, str]:
    """The message, its plain text and its HTML."""
    msg = EmailMessage()
    msg["Subject"] = c.subject
    msg["From"] = Address(display_name=env.sender_name, addr_spec=env.sender)
    msg["To"] = env.recipient
    if env.reply_to:
        msg["Reply-To"] = env.reply_to
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = env.message_id
    domain = env.sender.rpartition("@")[2] or "popup-pos.local"
    payloads = [k.code for k in c.codes] + [t.code for t in c.tickets]
    cids = [make_msgid("qr", domain=domain) for _ in payloads]
    text, body = _text(c), _html(c, cids)
    # Quoted-printable keeps every line short and the whole message 7-bit, whatever the
    # shop's language: some servers refuse long lines or 8-bit bodies.
    msg.set_content(text, cte="quoted-printable")
    msg.add_alternative(body, subtype="html", cte="quoted-printable")
    html_part = msg.get_body(("html",))
    assert isinstance(html_part, EmailMessage)
    for cid, payload in zip(cids, payloads, strict=True):
        html_part.add_related(
            qr_png(payload), "image", "png", cid=cid, filename=f"qr-{payload}.png"
        )
    if c.pdf is not None:
        msg.add_attachment(c.pdf, maintype="application", subtype="pdf", filename=c.pdf_name)
    return msg, text, body
