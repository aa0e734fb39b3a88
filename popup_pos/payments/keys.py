"""The Stripe key: kept in the OS keyring, with the STRIPE_API_KEY variable as a fallback."""

from __future__ import annotations

import os
from dataclasses import dataclass

from popup_pos import keychain
from popup_pos.domain.errors import PosError

SERVICE = keychain.SERVICE
USERNAME = "stripe-api-key"
ENV = "STRIPE_API_KEY"
_PREFIXES = ("sk_test_", "sk_live_", "rk_test_", "rk_live_")


class ApiKeyError(PosError):
    """A key that cannot be used or stored."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    """The key to use, where it came from, and anything the seller should know."""

    value: str | None
    source: str | None  # "keyring" | "environment" | None
    note: str | None = None

    @property
    def masked(self) -> str:
        """`sk_live_…4242`: enough to tell keys apart, never enough to use one."""
        if not self.value:
            return "none"
        return mask(self.value)

    def __repr__(self) -> str:  # never print the key by accident
        return f"ApiKey(masked={self.masked!r}, source={self.source!r})"


def mask(key: str) -> str:
    head = next((p for p in _PREFIXES if key.startswith(p)), key[:3])
    return f"{head}…{key[-4:]}"


def check_format(key: str) -> str:
    """The key trimmed, or a clear refusal: publishable keys cannot take payments."""
    key = key.strip()
    if key.startswith(("pk_test_", "pk_live_")):
        raise ApiKeyError(
            "that is a publishable key (pk_…); use a secret key (sk_…) or a restricted key (rk_…)"
        )
    if not key.startswith(_PREFIXES) or len(key) < 16 or any(c.isspace() for c in key):
        raise ApiKeyError("a Stripe key starts with sk_test_, sk_live_, rk_test_ or rk_live_")
    return key


def load() -> ApiKey:
    """The keyring's key, else STRIPE_API_KEY. Never raises: a machine without a keyring
    falls back to the variable with a note saying so."""
    stored, note = keychain.read(USERNAME)
    if stored:
        return ApiKey(stored.strip(), "keyring")
    env = os.environ.get(ENV, "").strip()
    if env:
        return ApiKey(env, "environment", f"{note}; using {ENV}" if note else None)
    hint = (
        f"no Stripe key: {note}, so set {ENV}"
        if note
        else f"no Stripe key: run `popup-pos stripe key set` or set {ENV}"
    )
    return ApiKey(None, None, hint)


def store(key: str) -> ApiKey:
    """Save a key in the keyring (checked for shape first); raises with the reason when
    there is no keyring to save it in."""
    key = check_format(key)
    try:
        keychain.save(USERNAME, key)
    except keychain.KeychainError as exc:
        raise ApiKeyError(f"{exc}: set {ENV} in the environment instead") from None
    return ApiKey(key, "keyring")


def forget() -> bool:
    """Remove the key from the keyring; False when none was stored."""
    try:
        return keychain.forget(USERNAME)
    except keychain.KeychainError as exc:
        raise ApiKeyError(str(exc)) from None
