"""The Stripe key: keyring first, STRIPE_API_KEY as the fallback, never shown whole."""

import pytest

from popup_pos.payments import keys
from tests.stripe_fake.support import RESTRICTED_KEY, TEST_KEY

# The fake Stripe's fixtures (stripe, stripe_server, no_keyring, memory_keyring).
pytest_plugins = ["tests.stripe_fake.fixtures"]


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)


def test_keyring_key_wins_over_the_environment(memory_keyring, monkeypatch):
    monkeypatch.setenv("STRIPE_API_KEY", RESTRICTED_KEY)
    keys.store(TEST_KEY)
    assert memory_keyring.items == {("popup-pos", "stripe-api-key"): TEST_KEY}
    got = keys.load()
    assert (got.value, got.source, got.note) == (TEST_KEY, "keyring", None)


def test_environment_is_the_fallback(memory_keyring, monkeypatch):
    monkeypatch.setenv("STRIPE_API_KEY", f"  {RESTRICTED_KEY}\n")
    got = keys.load()
    assert (got.value, got.source) == (RESTRICTED_KEY, "environment")


def test_no_keyring_backend_falls_back_with_a_message(no_keyring, monkeypatch):
    monkeypatch.setenv("STRIPE_API_KEY", TEST_KEY)
    got = keys.load()
    assert got.value == TEST_KEY and got.source == "environment"
    assert got.note is not None and "no system keyring is available" in got.note
    assert "STRIPE_API_KEY" in got.note


def test_no_keyring_and_no_variable_says_what_to_do(no_keyring):
    got = keys.load()
    assert got.value is None
    assert "set STRIPE_API_KEY" in str(got.note)
    with pytest.raises(keys.ApiKeyError, match="STRIPE_API_KEY"):
        keys.store(TEST_KEY)


def test_no_key_anywhere(memory_keyring):
    assert "popup-pos stripe key set" in str(keys.load().note)


@pytest.mark.parametrize(
    "good", [TEST_KEY, RESTRICTED_KEY, "sk_live_" + "x" * 24, "rk_live_" + "y" * 24]
)
def test_secret_and_restricted_keys_are_accepted(good):
    assert keys.check_format(f" {good} ") == good


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("pk_test_" + "x" * 24, "publishable"),
        ("hello", "starts with"),
        ("sk_test_ab cd" + "x" * 10, "starts with"),
    ],
)
def test_unusable_keys_are_refused(bad, why):
    with pytest.raises(keys.ApiKeyError, match=why):
        keys.check_format(bad)


def test_the_key_is_never_shown_whole(memory_keyring):
    stored = keys.store(TEST_KEY)
    assert stored.masked == "sk_test_…6789"
    assert TEST_KEY not in repr(stored) and TEST_KEY not in str(stored)


def test_forget(memory_keyring):
    keys.store(TEST_KEY)
    assert keys.forget() is True
    assert keys.forget() is False
    assert keys.load().value is None
