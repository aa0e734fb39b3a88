"""Wallet QR: the seller's Venmo, Cash App or PayPal.me link, confirmed by a helper."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_amount
from popup_pos.payments.base import (
    Charge,
    NoteId,
    Outcome,
    Pending,
    Prepared,
    RefundOutcome,
    Settles,
    State,
)

WALLETS = {"venmo": "Venmo", "cashapp": "Cash App", "paypal": "PayPal"}
_HANDLE = re.compile(r"[A-Za-z0-9_-]{1,30}")
# Currencies each wallet can be asked for in a link; other currencies get a plain link
# and the amount is read out to the customer.
_AMOUNT_CURRENCIES = {
    "venmo": {"USD"},
    "cashapp": {"USD", "GBP"},
    "paypal": {
        "AUD", "BRL", "CAD", "CHF", "CZK", "DKK", "EUR", "GBP", "HKD", "HUF", "ILS", "JPY",
        "MXN", "MYR", "NOK", "NZD", "PHP", "PLN", "SEK", "SGD", "THB", "TWD", "USD",
    },
}  # fmt: skip


class WalletError(PosError):
    """A wallet that is not set up, or a handle that cannot be in a link."""


@dataclass(frozen=True, slots=True)
class WalletLink:
    wallet: str  # venmo | cashapp | paypal
    label: str  # "Venmo"
    handle: str
    url: str
    amount_cents: int
    currency: str
    note: str  # what the payment should say: the order number
    amount_filled: bool
    note_filled: bool


def clean_handle(wallet: str, handle: str) -> str:
    """The bare handle: '@name' and '$tag' and pasted profile links are accepted."""
    h = handle.strip()
    for prefix in ("https://", "http://", "www."):
        h = h.removeprefix(prefix)
    for host in ("venmo.com/u/", "venmo.com/", "cash.app/", "paypal.me/", "paypal.com/paypalme/"):
        h = h.removeprefix(host)
    h = h.strip("/").lstrip("@$")
    if not _HANDLE.fullmatch(h):
        raise WalletError(f"{WALLETS.get(wallet, wallet)} handle {handle!r} is not valid")
    return h


def link(wallet: str, handle: str, amount_cents: int, currency: str, note: str) -> WalletLink:
    """The payment link for one order, with amount and note wherever the wallet allows:

    - Venmo: `https://venmo.com/?txn=pay&recipients=HANDLE&amount=12.50&note=TEXT` opens a
      payment to HANDLE with amount and note filled in (US dollars only).
    - Cash App: `https://cash.app/$CASHTAG/12.50` fills the amount (dollars and pounds);
      there is no note, so the customer types the order number.
    - PayPal.me: `https://paypal.me/HANDLE/12.50USD` fills amount and currency; no note.

    None of them reports back: a helper checks their phone and confirms by hand.
    """
    if wallet not in WALLETS:
        raise WalletError(f"unknown wallet {wallet!r}: use venmo, cashapp or paypal")
    h = clean_handle(wallet, handle)
    cur = currency.upper()
    with_amount = cur in _AMOUNT_CURRENCIES[wallet]
    amount = format_amount(amount_cents, cur)
    note_filled = False
    if wallet == "venmo":
        query = {"txn": "pay", "recipients": h}
        if with_amount:
            query["amount"] = amount
        query["note"] = note
        note_filled = True
        url = "https://venmo.com/?" + urlencode(query, quote_via=quote)
    elif wallet == "cashapp":
        url = f"https://cash.app/${h}" + (f"/{amount}" if with_amount else "")
    else:
        url = f"https://paypal.me/{h}" + (f"/{amount}{cur}" if with_amount else "")
    return WalletLink(
        wallet, WALLETS[wallet], h, url, amount_cents, cur, note, with_amount, note_filled
    )


class WalletProvider:
    """Nothing to send and nothing to ask: the link is shown, and a person confirms."""

    tender = "wallet"
    settles = Settles.BY_HAND

    def __init__(self, wallet: str, handle: str) -> None:
        self.wallet, self.handle = wallet, handle

    def prepare(self, charge: Charge) -> Prepared:
        wl = link(
            self.wallet,
            self.handle,
            charge.amount_cents,
            charge.currency,
            f"{charge.order_number} {charge.shop_name}".strip(),
        )
        return Prepared(None, {"wallet": wl.wallet, "url": wl.url})

    def send(self, pending: Pending, note_id: NoteId) -> Outcome:
        return Outcome(State.PENDING, url=str(pending.request.get("url")))

    def check(self, pending: Pending) -> Outcome:
        return Outcome(State.PENDING, url=str(pending.request.get("url")))

    def cancel(self, pending: Pending) -> Outcome:
        return Outcome(State.CANCELLED)

    def recover(self, pending: Pending) -> Outcome:
        return Outcome(State.PENDING, url=str(pending.request.get("url")))

    def refund(
        self, provider_id: str | None, amount_cents: int, *, idempotency_key: str
    ) -> RefundOutcome:
        return RefundOutcome(
            State.SUCCEEDED, message=f"send it back in {WALLETS[self.wallet]} by hand"
        )
