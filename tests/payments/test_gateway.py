"""The Stripe wrapper against the fake: keys, errors, idempotency, lists and Terminal."""

import time

import pytest

from popup_pos.payments.base import (
    ProviderAuthError,
    ProviderDeclinedError,
    ProviderOfflineError,
    ProviderRejectedError,
)
from popup_pos.payments.stripe_api import StripeGateway, scrub
from tests.stripe_fake.support import RESTRICTED_KEY, TEST_KEY
from tests.stripe_fake.tcp_proxy import FaultProxy

# The fake Stripe's fixtures (stripe, stripe_server, no_keyring, memory_keyring).
pytest_plugins = ["tests.stripe_fake.fixtures"]


def session_params(amount=1200, ref="A-0001_1_abc", **kw):
    return {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": "usd",
                    "unit_amount": amount,
                    "product_data": {"name": "Order A-0001"},
                },
            }
        ],
        "client_reference_id": ref,
        "expires_at": int(time.time()) + 35 * 60,
        **kw,
    }


@pytest.fixture
def gw(stripe):
    return StripeGateway(TEST_KEY, api_base=stripe.api)


def test_account_with_a_secret_key(gw):
    acct = gw.account()
    assert acct.name == "Fake merch table" and gw.test_mode and not gw.restricted


def test_restricted_key_works_without_reading_the_account(stripe):
    gw = StripeGateway(RESTRICTED_KEY, api_base=stripe.api)
    assert gw.restricted
    assert gw.account().name is None
    pi = gw.create_intent({"amount": 500, "currency": "usd"}, "k-restricted")
    assert pi.status == "requires_payment_method"


def test_a_refused_key_is_an_auth_error_without_the_key(stripe):
    bad = "sk_live_" + "z" * 30
    with pytest.raises(ProviderAuthError) as err:
        StripeGateway(bad, api_base=stripe.api).account()
    assert bad not in str(err.value) and "refused the API key" in str(err.value)


def test_scrub_removes_anything_key_like():
    assert scrub(f"Invalid API Key provided: {TEST_KEY} and rk_live_****1234") == (
        "Invalid API Key provided: [key] and [key]"
    )


def test_same_key_same_request_is_one_object(gw, stripe):
    a = gw.create_session(session_params(), "key-1")
    b = gw.create_session(session_params(expires_at=a.expires_at), "key-1")
    assert a.id == b.id and len(stripe.sessions()) == 1
    with pytest.raises(ProviderRejectedError) as err:
        gw.create_session(session_params(amount=999, expires_at=a.expires_at), "key-1")
    assert err.value.code == "idempotency_error"


def test_expiry_outside_stripes_window_is_rejected(gw):
    with pytest.raises(ProviderRejectedError, match="30 minutes"):
        gw.create_session(session_params(expires_at=int(time.time()) + 60), "key-2")


def test_sessions_listed_newest_first_from_a_time(gw, stripe):
    first = gw.create_session(session_params(ref="one"), "k1")
    second = gw.create_session(session_params(ref="two"), "k2")
    listed = list(gw.sessions_created_since(first.created - 1))
    assert {s.id for s in listed} == {first.id, second.id}
    assert list(gw.sessions_created_since(int(time.time()) + 3600)) == []


def test_search_intents_by_metadata(gw):
    pi = gw.create_intent({"amount": 700, "currency": "usd", "metadata": {"attempt": "x1"}}, "k3")
    gw.create_intent({"amount": 700, "currency": "usd", "metadata": {"attempt": "x2"}}, "k4")
    assert [p.id for p in gw.search_intents("attempt", "x1")] == [pi.id]


def test_refund_and_fee(gw, stripe):
    s = gw.create_session(session_params(amount=2000), "k5")
    stripe.pay(s.id).raise_for_status()
    paid = gw.retrieve_session(s.id)
    assert paid.paid and paid.payment_intent is not None
    assert paid.payment_intent.fee_cents == (2000 * 29 + 500) // 1000 + 30
    r = gw.create_refund(str(paid.payment_intent_id), 500, "k6")
    assert (r.status, r.amount) == ("succeeded", 500)
    assert gw.create_refund(str(paid.payment_intent_id), 500, "k6").id == r.id


def test_terminal_reader_flow(gw):
    (loc,) = gw.locations()
    reader = gw.register_reader("simulated-s700", "Side table", loc.id)
    assert reader.device_type == "stripe_s700" and reader.location == loc.id
    pi = gw.create_intent(
        {"amount": 900, "currency": "usd", "payment_method_types": ["card_present"]}, "k7"
    )
    busy = gw.process_intent(reader.id, pi.id, "k8")
    assert busy.action is not None and busy.action.status == "in_progress"
    tapped = gw.present_card(reader.id)
    assert tapped.action is not None and tapped.action.status == "succeeded"
    assert gw.retrieve_intent(pi.id).status == "succeeded"


def test_card_error_is_a_decline(gw):
    with pytest.raises(ProviderDeclinedError):
        gw.create_intent(
            {
                "amount": 900,
                "currency": "usd",
                "payment_method": "pm_card_chargeCustomerFail",
                "confirm": True,
            },
            "k9",
        )


def test_unreachable_stripe_is_offline_after_the_retries(stripe):
    proxy = FaultProxy(int(stripe.api.rsplit(":", 1)[1]))
    proxy.refuse()
    try:
        gw = StripeGateway(TEST_KEY, api_base=proxy.url, max_network_retries=1)
        with pytest.raises(ProviderOfflineError, match="cannot reach Stripe"):
            gw.retrieve_session("cs_test_nothing")
    finally:
        proxy.close()
