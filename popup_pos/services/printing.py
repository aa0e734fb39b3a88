"""Printing: labels from the catalog, receipts and ticket slips from orders, as PDF.

Numbered stock: a limited-edition unit gets its number when it is paid for (returned
numbers first), not when it is labelled, so a label printed for stock on the table
cannot know which number that unit will carry. Such labels say "Edition of 50". A label
says "#17/50" only where the number is known: a sold order's line (`labels_for_order`)
or numbers given by hand (`labels_for_sku(..., edition_numbers=...)`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from popup_pos.documents.common import PAYLOAD_CHARS
from popup_pos.documents.labels import LabelItem, render_labels
from popup_pos.documents.receipts import (
    WIDTHS,
    DownloadCode,
    ReceiptData,
    ReceiptLine,
    ReceiptRow,
    render_receipt,
)
from popup_pos.documents.templates import TEMPLATES, get_template
from popup_pos.documents.ticket_slips import TicketSlip, render_ticket_slips
from popup_pos.domain.errors import PosError
from popup_pos.domain.limits import MAX_COPIES, MAX_LABELS
from popup_pos.domain.money import format_money, format_percent
from popup_pos.services import catalog, checkout, events, settings, tickets
from popup_pos.services.catalog import VariantView
from popup_pos.services.tickets import TicketView
from popup_pos.store.models import utcnow
from popup_pos.store.uow import UnitOfWork

QR_KINDS = frozenset({"digital", "experience"})  # scanned by phones as often as by a wedge
TENDER_NAMES = {"cash": "Cash", "wallet": "Wallet", "stripe_qr": "Card (QR)", "stripe_card": "Card"}
# Tickets the buyer has (a held one is not in the queue until the order is paid; a cancelled
# one was refunded), and of those, the ones a fan may still be waiting on.
RECEIPT_TICKETS = frozenset({"waiting", "called", "done", "no_show"})
SLIP_TICKETS = frozenset({"waiting", "called", "no_show"})
SLIP_NOTES = {
    "called": "Called: come to the table now",
    "no_show": "Missed your call? Ask at the table",
}
STATUS_NOTES = {
    "open": "NOT PAID",
    "awaiting_payment": "NOT PAID",
    "cancelled": "CANCELLED",
    "refunded": "REFUNDED",
    "partially_refunded": "PARTLY REFUNDED",
}


class PrintingError(PosError):
    """Labels or a receipt that cannot be printed, with what to change."""


@dataclass(frozen=True, slots=True)
class LabelsPrinted:
    labels: int
    pages: int
    template: str
    start_cell: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReceiptPrinted:
    order_number: str
    width_mm: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SlipsPrinted:
    order_number: str
    slips: int
    width_mm: int


def template_names() -> list[str]:
    return list(TEMPLATES)


def receipt_widths() -> list[int]:
    return list(WIDTHS)


def _printing(uow: UnitOfWork) -> dict[str, Any]:
    return settings.get(uow, "printing")


def _logo(prefs: dict[str, Any]) -> tuple[Path | None, list[str]]:
    """The logo from settings, if one is set and there; a missing file never stops printing."""
    raw = str(prefs.get("logo") or "").strip()
    if not raw:
        return None, []
    path = Path(raw).expanduser()
    if not path.is_file():
        return None, [f"logo {raw!r} from the printing settings was not found: printed without it"]
    return path, []


# ---- labels ---------------------------------------------------------------------------


def _label_code(sku: str) -> str:
    code = sku.strip().upper()
    bad = sorted({ch for ch in code if ch not in PAYLOAD_CHARS})
    if bad:
        shown = " ".join(repr(ch) for ch in bad)
        raise PrintingError(
            f"SKU {sku!r} cannot go on a label: it has {shown}, which a scanner may type as "
            "other characters on another keyboard layout. Rename the SKU using only A-Z, "
            "0-9 and '-'"
        )
    return code


def _variant_text(v: VariantView) -> str:
    return " · ".join(f"{k} {val}" if k else val for k, val in v.options.items() if val)


def _label(
    v: VariantView, currency: str, *, qr: bool | None, edition: int | None = None
) -> LabelItem:
    code = _label_code(v.sku)
    with_qr = v.kind in QR_KINDS if qr is None else qr
    edition_text = None
    if v.edition_size:
        edition_text = (
            f"Edition of {v.edition_size}" if edition is None else f"#{edition}/{v.edition_size}"
        )
    return LabelItem(
        name=v.product_name,
        variant=_variant_text(v),
        price="" if v.price_cents is None else format_money(v.price_cents, currency),
        sku=code,
        qr=code if with_qr else None,
        edition=edition_text,
    )


def _variant(uow: UnitOfWork, sku: str) -> VariantView:
    v = catalog.find_by_code(uow, sku)
    if v is None:
        raise PrintingError(f"no variant with SKU {sku!r}: check `popup-pos catalog list`")
    return v


def labels_for_sku(
    uow: UnitOfWork,
    sku: str,
    copies: int = 1,
    *,
    qr: bool | None = None,
    edition_numbers: Sequence[int] = (),
) -> list[LabelItem]:
    """`copies` labels of one variant (a bundle by its own SKU too). With `edition_numbers`,
    one label for each of those numbers instead. `qr` None: a QR on digital items and
    experiences only."""
    v = _variant(uow, sku)
    currency = events.display_currency(uow)
    if edition_numbers:
        if not v.edition_size:
            raise PrintingError(f"{v.sku} is not a limited edition: it has no edition numbers")
        wrong = [n for n in edition_numbers if not 1 <= n <= v.edition_size]
        if wrong:
            raise PrintingError(
                f"edition number {wrong[0]} is not in {v.sku}'s edition of {v.edition_size}"
            )
        return [_label(v, currency, qr=qr, edition=n) for n in edition_numbers]
    if copies < 1:
        raise PrintingError(f"copies must be at least 1, not {copies}")
    if copies > MAX_COPIES:
        raise PrintingError(
            f"{copies:,} copies is over the limit of {MAX_COPIES:,} labels of one SKU"
        )
    return [_label(v, currency, qr=qr)] * copies


def labels_for_stock(uow: UnitOfWork, *, qr: bool | None = None) -> list[LabelItem]:
    """One label for each unit on hand of every tracked variant.

    Bundles are left out: their units are their components' units, already labelled.
    Untracked variants (most digital items and experiences) have no units to count.
    """
    currency = events.display_currency(uow)
    # A download card's code reaches the buyer at payment: no label per code.
    wanted = [
        v
        for v in catalog.list_variants(uow)
        if v.track_stock and not v.is_bundle and v.kind != "digital" and v.on_hand > 0
    ]
    total = sum(v.on_hand for v in wanted)
    if total > MAX_LABELS:
        raise PrintingError(
            f"the stock on hand is {total:,} units, over the limit of {MAX_LABELS:,} labels "
            "in one PDF: print by SKU with --sku and --copies"
        )
    items: list[LabelItem] = []
    for v in wanted:
        items.extend([_label(v, currency, qr=qr)] * v.on_hand)
    if not items:
        raise PrintingError(
            "no stock on hand to label: count stock in first (`popup-pos stock count-in`)"
        )
    return items


def labels_for_order(uow: UnitOfWork, ref: int | str) -> list[LabelItem]:
    """Labels for what an order took home; numbered units carry their own numbers."""
    order = checkout.get_order(uow, ref)
    items: list[LabelItem] = []
    for ln in order.lines:
        if not ln.sku:
            continue
        v = catalog.find_by_code(uow, ln.sku)
        if v is None:
            continue
        numbers = _own_numbers(ln.edition_numbers)
        if numbers:
            items.extend(_label(v, order.currency, qr=None, edition=n) for n in numbers)
        else:
            items.extend([_label(v, order.currency, qr=None)] * ln.quantity)
    if not items:
        raise PrintingError(f"order {order.number} has no catalog items to label")
    return items


def _own_numbers(raw: str | None) -> list[int]:
    """'17,18' -> [17, 18]; a bundle's per-component numbers ('TEE#3;…') are not its own."""
    if not raw or "#" in raw or ";" in raw:
        return []
    return [int(n) for n in raw.split(",") if n.strip().isdigit()]


def print_labels(
    uow: UnitOfWork,
    items: Sequence[LabelItem],
    out: Path | str | BinaryIO,
    *,
    template: str | None = None,
    start_cell: int = 1,
) -> LabelsPrinted:
    """Draw `items` to a PDF; the template defaults to the one in the printing settings."""
    if len(items) > MAX_LABELS:
        raise PrintingError(f"{len(items):,} labels is over the limit of {MAX_LABELS:,} in one PDF")
    prefs = _printing(uow)
    tpl = get_template(template or str(prefs["label_template"]))
    logo, warnings = _logo(prefs)
    count = render_labels(items, tpl.name, start_cell=start_cell, out=out, logo=logo)
    pages = math.ceil((start_cell - 1 + count) / tpl.per_page)
    return LabelsPrinted(count, pages, tpl.name, start_cell, tuple(warnings))


# ---- receipts ---------------------------------------------------------------------------


def _local(moment: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Stored times are UTC; receipts and slips show the laptop's (the venue's) local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime(fmt)


def _clock(moment: datetime) -> str:
    return _local(moment, "%H:%M")


def _event_name(uow: UnitOfWork, created_at: datetime) -> str | None:
    """The event the order was sold in: the one open at the time (one is open at a time)."""
    at = created_at if created_at.tzinfo else created_at.replace(tzinfo=UTC)
    for info, _orders, _takings in events.list_events(uow):
        opened = info.opened_at if info.opened_at.tzinfo else info.opened_at.replace(tzinfo=UTC)
        closed = info.closed_at
        if closed is not None and closed.tzinfo is None:
            closed = closed.replace(tzinfo=UTC)
        if opened <= at and (closed is None or at <= closed):
            return info.name
    # Orders entered with an earlier time than the event's opening (a back-dated import,
    # the demo's evening) belong to the event that is open now.
    current = events.current_event(uow)
    return current.name if current else None


class _Editions:
    """Edition sizes by SKU, looked up once each, for '#17/50' on receipt lines."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.sizes: dict[str, int | None] = {}

    def size(self, sku: str) -> int | None:
        if sku not in self.sizes:
            v = catalog.find_by_code(self.uow, sku)
            self.sizes[sku] = v.edition_size if v else None
        return self.sizes[sku]

    def text(self, line_sku: str | None, raw: str | None) -> str | None:
        """'17,18' -> '#17/50, #18/50'; a bundle's 'PRINT-LTD#3' -> 'PRINT-LTD #3/50'."""
        if not raw:
            return None
        parts: list[str] = []
        for chunk in raw.split(";"):
            sku, mark, numbers = chunk.rpartition("#")
            sku = sku if mark else (line_sku or "")
            size = self.size(sku) if sku else None
            shown = ", ".join(
                f"#{n.strip()}/{size}" if size else f"#{n.strip()}"
                for n in numbers.split(",")
                if n.strip()
            )
            parts.append(f"{sku} {shown}" if mark else shown)
        return "; ".join(parts)


def _line(
    ln: Any, currency: str, editions: _Editions, delivered: Sequence[str] = ()
) -> ReceiptLine:
    qty = int(ln.quantity)
    details: list[str] = []
    if qty > 1:
        details.append(f"@ {format_money(ln.unit_price_cents, currency)}")
    if ln.personalisation:
        details.append(f"For: {ln.personalisation}")
    numbers = editions.text(ln.sku, ln.edition_numbers)
    if numbers:
        details.append(numbers)
    if ln.line_discount_cents:
        rate = (
            f" ({format_percent(ln.discount_value)})"
            if ln.discount_kind == "percent" and ln.discount_value
            else ""
        )
        details.append(f"Discount -{format_money(ln.line_discount_cents, currency)}{rate}")
    if ln.refunded_quantity:
        details.append(f"Refunded: {ln.refunded_quantity} of {qty}")
    details.extend(delivered)
    return ReceiptLine(
        description=f"{qty} × {ln.name}" if qty > 1 else str(ln.name),
        amount=format_money(ln.unit_price_cents * qty, currency),
        details=tuple(details),
    )


def _totals(order: checkout.OrderView) -> list[ReceiptRow]:
    cur = order.currency
    rows = [ReceiptRow("Subtotal", format_money(order.subtotal_cents, cur))]
    if order.discount_cents:
        rows.append(ReceiptRow("Discount", format_money(-order.discount_cents, cur)))
    added: dict[int, int] = {}
    included: dict[int, int] = {}
    for ln in order.lines:
        if ln.tax_cents:
            bucket = included if ln.tax_inclusive else added
            bucket[ln.tax_rate_ppm] = bucket.get(ln.tax_rate_ppm, 0) + ln.tax_cents
    rows.extend(
        ReceiptRow(f"Tax {format_percent(rate)}", format_money(amount, cur))
        for rate, amount in sorted(added.items())
    )
    if order.tip_cents:
        rows.append(ReceiptRow("Tip", format_money(order.tip_cents, cur)))
    rows.append(ReceiptRow("Total", format_money(order.total_cents, cur), strong=True))
    rows.extend(
        ReceiptRow(f"incl. tax {format_percent(rate)}", format_money(amount, cur))
        for rate, amount in sorted(included.items())
    )
    return rows


def _tenders(order: checkout.OrderView) -> list[ReceiptRow]:
    cur = order.currency
    rows: list[ReceiptRow] = []
    change = 0
    for p in order.payments:
        if p.status != "succeeded":
            continue
        name = TENDER_NAMES.get(p.tender, str(p.tender))
        if p.tender == "wallet" and p.reference:
            name = str(p.reference)
        given = p.tendered_cents if p.tender == "cash" and p.tendered_cents else p.amount_cents
        rows.append(ReceiptRow(name, format_money(given, cur)))
        change += p.change_cents or 0
    if change:
        rows.append(ReceiptRow("Change", format_money(change, cur)))
    if order.refunded_cents:
        rows.append(ReceiptRow("Refunded", format_money(-order.refunded_cents, cur)))
    return rows


def _status_note(order: checkout.OrderView) -> str | None:
    note = STATUS_NOTES.get(order.status)
    due = order.total_cents - order.paid_cents
    if note == "NOT PAID" and due > 0:
        return f"NOT PAID: {format_money(due, order.currency)} due"
    return note


def _tickets_by_line(order_id: int, uow: UnitOfWork) -> dict[int, list[TicketView]]:
    """Each experience line's tickets, in the order they were booked."""
    out: dict[int, list[TicketView]] = {}
    for t in tickets.of_order(uow, order_id):
        if t.order_line_id is not None:
            out.setdefault(t.order_line_id, []).append(t)
    return out


def _ticket_text(t: TicketView, line_personalisation: str | None) -> str:
    parts = [f"Ticket {t.code}"]
    if t.slot_at is not None:
        parts.append(f"slot {_clock(t.slot_at)}")
    if t.personalisation and t.personalisation != line_personalisation:
        parts.append(f"For: {t.personalisation}")
    return " · ".join(parts)


def receipt_data(uow: UnitOfWork, ref: int | str) -> tuple[ReceiptData, list[str]]:
    """What the receipt of order `ref` says, and warnings for the seller.

    A digital line lists its download codes, each also printed as a QR further down; an
    experience line lists its tickets (GIG-12) with their slots. A refunded unit's code is
    void and left out, as is a refunded ticket: the line already says what was refunded,
    and a buyer shown a void code would only try it.
    """
    order = checkout.get_order(uow, ref)
    prefs = _printing(uow)
    logo, warnings = _logo(prefs)
    event_name = _event_name(uow, order.created_at)
    shop = str(prefs.get("shop_name") or "").strip()
    editions = _Editions(uow)
    kinds = {ln.kind for ln in order.lines}
    booked = _tickets_by_line(order.id, uow) if "experience" in kinds else {}
    lines: list[ReceiptLine] = []
    download: list[DownloadCode] = []
    for ln in order.lines:
        given = [code for code, status in order.codes.get(ln.id, []) if status == "assigned"]
        download.extend(DownloadCode(code, str(ln.name)) for code in given)
        delivered = [f"Code {code}" for code in given] + [
            _ticket_text(t, ln.personalisation)
            for t in booked.get(ln.id, [])
            if t.status in RECEIPT_TICKETS
        ]
        lines.append(_line(ln, order.currency, editions, delivered))
    data = ReceiptData(
        title=shop or event_name or "Receipt",
        subtitle=event_name if shop else None,
        order_number=order.number,
        date=_local(order.paid_at or order.created_at),
        lines=lines,
        totals=_totals(order),
        tenders=_tenders(order),
        ticket_payload=order.number.upper(),
        status_note=_status_note(order),
        download_codes=tuple(download),
        footer=str(prefs.get("receipt_footer") or ""),
        logo=logo,
    )
    return data, warnings


def _width(uow: UnitOfWork, width_mm: int | None) -> int:
    width = int(width_mm or _printing(uow)["receipt_width"])
    if width not in WIDTHS:
        raise PrintingError(
            f"receipt width {width} mm is not supported: use "
            f"{' or '.join(str(w) for w in WIDTHS)} (the paper width)"
        )
    return width


def print_receipt(
    uow: UnitOfWork,
    ref: int | str,
    out: Path | str | BinaryIO,
    *,
    width_mm: int | None = None,
) -> ReceiptPrinted:
    """The receipt of order `ref` as a PDF; the width defaults to the printing settings'."""
    data, warnings = receipt_data(uow, ref)
    width = _width(uow, width_mm)
    render_receipt(data, width, out)
    return ReceiptPrinted(data.order_number, width, tuple(warnings))


# ---- ticket slips -----------------------------------------------------------------------


def wait_text(minutes: float) -> str:
    """'about 15 min', 'about 1 h 20 min': a promise to the fan, so never 'about 0 min'."""
    m = max(1, round(minutes))
    if m < 60:
        return f"about {m} min"
    hours, rest = divmod(m, 60)
    return f"about {hours} h {rest} min" if rest else f"about {hours} h"


def ticket_slips_data(uow: UnitOfWork, order_ref: int | str) -> list[TicketSlip]:
    """One slip for each ticket of order `order_ref` still to be served (waiting, called
    or missed), with its slot or, failing that, the wait estimated now."""
    order = checkout.get_order(uow, order_ref)
    if not any(ln.kind == "experience" for ln in order.lines):
        raise PrintingError(f"order {order.number} has no experiences: it has no ticket slips")
    if order.status in ("open", "awaiting_payment"):
        raise PrintingError(
            f"order {order.number} is not paid yet: its tickets join the queue once it is"
        )
    views = [t for t in tickets.of_order(uow, order.id) if t.status in SLIP_TICKETS]
    if not views:
        raise PrintingError(
            f"order {order.number} has no tickets still to be served: they were done or refunded"
        )
    shop = str(_printing(uow).get("shop_name") or "").strip()
    event = _event_name(uow, order.created_at) or shop or "Ticket"
    printed_at = _clock(utcnow())
    return [
        TicketSlip(
            event=event,
            experience=t.name,
            code=t.code,
            order_number=order.number,
            personalisation=t.personalisation,
            slot=_clock(t.slot_at) if t.slot_at is not None else None,
            wait=(
                wait_text(t.wait_minutes)
                if t.status == "waiting" and t.slot_at is None and t.wait_minutes is not None
                else None
            ),
            printed_at=printed_at,
            note=SLIP_NOTES.get(t.status),
        )
        for t in views
    ]


def print_ticket_slips(
    uow: UnitOfWork,
    order_ref: int | str,
    out: Path | str | BinaryIO,
    *,
    width_mm: int | None = None,
) -> SlipsPrinted:
    """The ticket slips of order `order_ref` as a PDF, one page (one cut) per slip; the
    width defaults to the printing settings' receipt width."""
    slips = ticket_slips_data(uow, order_ref)
    width = _width(uow, width_mm)
    count = render_ticket_slips(slips, width, out)
    return SlipsPrinted(slips[0].order_number, count, width)
