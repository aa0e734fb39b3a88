"""The run's one link to Stripe: its key, its clients and whether it answers."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from popup_pos.payments import keys
from popup_pos.payments.base import ProviderOfflineError, TenderProvider
from popup_pos.payments.stripe_api import StripeGateway, default_api_base
from popup_pos.payments.stripe_card import StripeCardProvider
from popup_pos.payments.stripe_qr import StripeQrProvider
from popup_pos.services.payments.results import (
    PaymentsError,
    StripeNotSetUpError,
    StripeOfflineError,
    StripeStatus,
)
from popup_pos.store import payments as payments_store
from popup_pos.store.uow import UnitOfWork

log = logging.getLogger(__name__)


SUCCESS_URL_ENV = "POPUP_POS_STRIPE_SUCCESS_URL"


# Poll a payment on every call (the worker calls about every 2 s) while it is fresh, then
# less often: a QR left on screen for minutes rarely gets paid in the next second.
FRESH_S = 180


SLOW_EVERY_S = 10


class _Health:
    """Whether the last Stripe call got through; shared by every thread of the app."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.online = True
        self.message = ""
        self.in_flight: set[int] = set()
        self.next_check: dict[int, float] = {}

    def ok(self) -> None:
        with self._lock:
            self.online, self.message = True, ""

    def failed(self, message: str) -> None:
        with self._lock:
            if self.online:
                log.warning("Stripe offline: %s", message)
            self.online, self.message = False, message

    @contextmanager
    def sending(self, payment_id: int) -> Iterator[None]:
        with self._lock:
            self.in_flight.add(payment_id)
        try:
            yield
        finally:
            with self._lock:
                self.in_flight.discard(payment_id)

    def busy(self, payment_id: int) -> bool:
        with self._lock:
            return payment_id in self.in_flight

    def due(self, payment_id: int, created_at: datetime, now: float) -> bool:
        with self._lock:
            if now < self.next_check.get(payment_id, 0.0):
                return False
            age = now - created_at.timestamp()
            self.next_check[payment_id] = now + (0 if age < FRESH_S else SLOW_EVERY_S)
            return True


class _StripeConnection:
    """The run's one link to Stripe, shared by every thread of the app: the key (read from
    the keyring once per run: some keyrings ask to be unlocked, which must not happen
    every two seconds, nor on the GUI thread after start-up), one client per key and API
    address (each holds its own HTTP connection pool), and whether the last call got
    through. `reset` forgets all three after the key or the address changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: keys.ApiKey | None = None
        self._gateways: dict[tuple[str, str | None], StripeGateway] = {}
        self.health = _Health()

    def key(self) -> keys.ApiKey:
        with self._lock:
            if self._key is None:
                self._key = keys.load()
            return self._key

    def gateway(self, key: str, base: str | None) -> StripeGateway:
        with self._lock:
            gw = self._gateways.get((key, base))
            if gw is None:
                gw = self._gateways[(key, base)] = StripeGateway(key, api_base=base)
            return gw

    def reset(self) -> None:
        with self._lock:
            self._gateways.clear()
            self._key = None
            self.health = _Health()


_CONNECTION = _StripeConnection()


def reset_connection() -> None:
    """Forget the cached key, clients and health (after the key or address changes)."""
    _CONNECTION.reset()


def stripe_gateway(gateway: StripeGateway | None = None) -> StripeGateway:
    """The client for the stored key (keyring, else STRIPE_API_KEY), made once per key."""
    if gateway is not None:
        return gateway
    key = _CONNECTION.key()
    if not key.value:
        raise StripeNotSetUpError(key.note or "no Stripe key is set up")
    return _CONNECTION.gateway(key.value, default_api_base())


def _provider(tender: str, gateway: StripeGateway) -> TenderProvider:
    if tender == "stripe_qr":
        return StripeQrProvider(gateway, success_url=os.environ.get(SUCCESS_URL_ENV) or None)
    if tender == "stripe_card":
        return StripeCardProvider(gateway)
    raise PaymentsError(f"{tender} payments are not checked with a provider")


def _offline(exc: ProviderOfflineError) -> StripeOfflineError:
    _CONNECTION.health.failed(str(exc))
    return StripeOfflineError(
        f"{exc}. Nothing is lost: it is checked again when Stripe is back. "
        "Cash and wallet payments still work."
    )


def stripe_status(uow: UnitOfWork) -> StripeStatus:
    """Cheap (one count, no network): safe to call from the GUI thread."""
    with uow:
        waiting = payments_store.waiting_count(uow)
    key = _CONNECTION.key()
    if not key.value:
        return StripeStatus(False, False, waiting, key.note or "Stripe is not set up")
    if _CONNECTION.health.online:
        return StripeStatus(True, True, waiting, "Stripe is online")
    return StripeStatus(True, False, waiting, _CONNECTION.health.message or "Stripe is offline")
