"""Wallet links: amount and order number filled in where each wallet's link allows."""

from urllib.parse import parse_qs, urlsplit

import pytest

from popup_pos.payments.wallets import WalletError, clean_handle, link


def test_venmo_fills_amount_and_note():
    wl = link("venmo", "@merch-table", 4550, "USD", "A-0042 Friday at the Bowery")
    parts = urlsplit(wl.url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "venmo.com", "/")
    q = parse_qs(parts.query)
    assert q == {
        "txn": ["pay"],
        "recipients": ["merch-table"],
        "amount": ["45.50"],
        "note": ["A-0042 Friday at the Bowery"],
    }
    assert "%20" in wl.url and "+" not in wl.url
    assert wl.amount_filled and wl.note_filled


def test_cash_app_fills_the_amount_only():
    wl = link("cashapp", "$MerchTable", 1200, "USD", "A-0001")
    assert wl.url == "https://cash.app/$MerchTable/12.00"
    assert wl.amount_filled and not wl.note_filled


def test_paypal_me_fills_amount_and_currency():
    assert link("paypal", "merchtable", 1999, "EUR", "A-0001").url == (
        "https://paypal.me/merchtable/19.99EUR"
    )
    assert link("paypal", "merchtable", 1500, "JPY", "A-0001").url == (
        "https://paypal.me/merchtable/1500JPY"
    )


def test_currencies_a_wallet_cannot_take_get_a_plain_link():
    wl = link("venmo", "merch", 1000, "EUR", "A-0001")
    assert "amount" not in parse_qs(urlsplit(wl.url).query)
    assert not wl.amount_filled
    assert link("cashapp", "merch", 1000, "EUR", "x").url == "https://cash.app/$merch"


@pytest.mark.parametrize(
    ("wallet", "typed", "handle"),
    [
        ("venmo", "https://venmo.com/u/Merch-Table", "Merch-Table"),
        ("cashapp", "cash.app/$merch", "merch"),
        ("paypal", "https://www.paypal.me/merch/", "merch"),
        ("paypal", "@merch", "merch"),
    ],
)
def test_pasted_profile_links_become_handles(wallet, typed, handle):
    assert clean_handle(wallet, typed) == handle


@pytest.mark.parametrize("bad", ["", "two words", "a/b", "x" * 31, "<script>"])
def test_bad_handles_are_refused(bad):
    with pytest.raises(WalletError):
        link("venmo", bad, 100, "USD", "A-0001")


def test_unknown_wallet():
    with pytest.raises(WalletError, match="venmo, cashapp or paypal"):
        link("zelle", "x", 100, "USD", "A-0001")
