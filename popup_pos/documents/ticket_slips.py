"""Ticket slips for experiences on 80 mm and 58 mm roll printers: one cut slip per ticket."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from popup_pos.documents.common import check_payload
from popup_pos.documents.receipts import (
    BOLD,
    FONT,
    ReceiptWidth,
    Roll,
    roll_width,
    write_rolls,
)
from popup_pos.documents.templates import MM

CODE_SIZE = 34.0  # pt: read across the merch table when a helper calls it out
QR_MM = 34.0  # with its quiet zone: about 1.2 mm a module for a GIG code, easy for any phone


@dataclass(frozen=True, slots=True)
class TicketSlip:
    """Everything printed on one ticket slip, as text ready to print."""

    event: str
    experience: str
    code: str  # GIG-12: printed large and as the QR a helper scans to call the ticket
    order_number: str
    personalisation: str | None = None
    slot: str | None = None  # local time of a booked slot, e.g. "20:40"
    wait: str | None = None  # estimated wait when printed, e.g. "about 15 min"
    printed_at: str | None = None  # local time the wait was estimated, e.g. "20:25"
    note: str | None = None  # e.g. "Called: come to the table now"


def _slip(slip: TicketSlip, w: ReceiptWidth) -> Roll:
    check_payload(slip.code, "ticket code")
    s = Roll(w.printable_mm * MM)
    body = w.body_size
    s.words_whole(slip.event, BOLD, w.title_size, body)
    s.rule()
    s.add(2)
    s.words_whole(slip.experience, BOLD, body + 3, body)
    if slip.personalisation:
        s.add(2)
        s.words_whole(f"For: {slip.personalisation}", FONT, body + 3, body)
    s.add(6)
    s.fitted(slip.code, BOLD, CODE_SIZE)
    s.add(4)
    if slip.slot:
        s.text(f"Your slot: {slip.slot}", BOLD, body + 5, "centre")
    elif slip.wait:
        s.text(f"Wait: {slip.wait}", BOLD, body + 5, "centre")
        if slip.printed_at:
            s.text(f"estimated at {slip.printed_at}", FONT, body, "centre")
    if slip.note:
        s.add(2)
        s.text(slip.note, BOLD, body + 1, "centre")
    s.add(6)
    s.qr(slip.code, QR_MM)
    s.text(f"Order {slip.order_number}", FONT, body, "centre")
    s.text("Keep this slip until you are called", FONT, body - 1, "centre")
    return s


def render_ticket_slips(
    slips: Sequence[TicketSlip], width_mm: int, out: Path | str | BinaryIO
) -> int:
    """One page per slip, `width_mm` wide (80 or 58) and as long as the slip; how many."""
    w = roll_width(width_mm)
    rolls = [_slip(slip, w) for slip in slips]
    order = slips[0].order_number if slips else ""
    write_rolls(rolls, w, f"Ticket slips {order}".strip(), out)
    return len(rolls)
