"""The Stripe key and account: stored, checked and forgotten."""

from __future__ import annotations

from dataclasses import dataclass

from popup_pos.payments import keys
from popup_pos.payments.base import ProviderAuthError, ProviderOfflineError
from popup_pos.payments.stripe_api import StripeGateway
from popup_pos.services.payments.connection import (
    _CONNECTION,
    _offline,
    reset_connection,
    stripe_gateway,
)
from popup_pos.services.payments.results import PaymentsError, ReaderInfo, StripeCheck
from popup_pos.store import payments as payments_store
from popup_pos.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """The key as the seller may see it: masked, with where it came from."""

    masked: str
    source: str | None  # keyring | environment | None
    note: str | None


def key_info() -> KeyInfo:
    key = keys.load()
    return KeyInfo(key.masked, key.source, key.note)


def set_key(key: str) -> KeyInfo:
    """Store the Stripe key in the OS keyring (never in the database or a file)."""
    try:
        stored = keys.store(key)
    except keys.ApiKeyError as exc:
        raise PaymentsError(str(exc)) from None
    reset_connection()
    return KeyInfo(stored.masked, stored.source, None)


def forget_key() -> bool:
    """Remove the key from the OS keyring; False when none was stored there."""
    try:
        gone = keys.forget()
    except keys.ApiKeyError as exc:
        raise PaymentsError(str(exc)) from None
    reset_connection()
    return gone


def check_stripe(uow: UnitOfWork, *, gateway: StripeGateway | None = None) -> StripeCheck:
    """Whether the key works (the account, or for a restricted key a call it needs) and
    which readers the account has."""
    key = _CONNECTION.key()
    gw = stripe_gateway(gateway)
    try:
        account = gw.account()
        readers = gw.readers()
    except ProviderOfflineError as exc:
        raise _offline(exc) from exc
    except ProviderAuthError as exc:
        _CONNECTION.health.failed(str(exc))
        raise PaymentsError(str(exc)) from exc
    _CONNECTION.health.ok()
    with uow:
        known = {r.stripe_id: r for r in payments_store.all_readers(uow)}
    infos = tuple(
        ReaderInfo(
            r.id,
            r.label,
            r.device_type,
            known[r.id].register_code if r.id in known else None,
            r.status,
        )
        for r in readers
    )
    return StripeCheck(
        key.masked if gateway is None else "given",
        key.source if gateway is None else None,
        key.note if gateway is None else None,
        gw.test_mode,
        gw.restricted,
        account.name,
        infos,
    )
