"""Checking and recovering: what Stripe says about pending payments, asked again until known."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from popup_pos.payments.base import (
    Outcome,
    Pending,
    ProviderAuthError,
    ProviderOfflineError,
    ProviderRejectedError,
    TenderProvider,
)
from popup_pos.payments.stripe_api import StripeGateway
from popup_pos.services.payments.attempts import _apply, _pending
from popup_pos.services.payments.connection import _CONNECTION, _offline, _provider, stripe_gateway
from popup_pos.services.payments.refunds import _send_refunds
from popup_pos.services.payments.results import StatusChange, StripeNotSetUpError
from popup_pos.store import payments as payments_store
from popup_pos.store.uow import UnitOfWork

log = logging.getLogger(__name__)


# A payment with no provider id this old is not being sent by anyone any more: it was cut
# off by a crash or a lost connection, and is recovered instead of waited for.
STALE_AFTER_S = 120


def check_pending(
    uow: UnitOfWork, *, force: bool = False, gateway: StripeGateway | None = None
) -> list[StatusChange]:
    """Ask Stripe about every pending payment that is due a check, and send refunds still
    waiting to go. What a worker thread runs every ~2 s; it stops at the first sign that
    Stripe is unreachable (see `stripe_status`). With no key set up it does nothing."""
    now = time.time()

    def ask(pending: Pending, provider: TenderProvider) -> Outcome | None:
        if _CONNECTION.health.busy(pending.payment_id):
            return None
        age = now - pending.created_at.timestamp()
        if not pending.provider_id and age < STALE_AFTER_S:
            return None  # being sent right now, by this laptop or another
        if not force and not _CONNECTION.health.due(pending.payment_id, pending.created_at, now):
            return None
        return provider.check(pending) if pending.provider_id else provider.recover(pending)

    return _settle(uow, gateway, ask)


def reconcile_at_startup(
    uow: UnitOfWork, *, gateway: StripeGateway | None = None
) -> list[StatusChange]:
    """Settle what the last run left pending: each payment is looked up by its saved id;
    one with no id is found (QR: by listing sessions and matching the reference) or its
    saved request is resent with its saved key, so it is charged at most once."""
    return _settle(uow, gateway, lambda pending, provider: provider.recover(pending))


def _settle(
    uow: UnitOfWork,
    gateway: StripeGateway | None,
    ask: Callable[[Pending, TenderProvider], Outcome | None],
) -> list[StatusChange]:
    """Ask about each pending payment (`ask` may skip one by answering None), record what
    became known, then send refunds still waiting; stop at the first sign Stripe is out of
    reach. With no key set up it does nothing."""
    try:
        gw = stripe_gateway(gateway)
    except StripeNotSetUpError:
        return []
    changes: list[StatusChange] = []
    with uow:
        rows = payments_store.pending_remote(uow)
    try:
        for row in rows:
            pending = _pending(row)
            try:
                out = ask(pending, _provider(row.tender, gw))
            except ProviderRejectedError as exc:
                log.warning("payment %s: Stripe said %s", pending.payment_id, exc)
                continue
            if out is None:
                continue
            _CONNECTION.health.ok()
            if done := _apply(uow, pending, row.tender, out):
                changes.append(done)
        changes += [change for _, change in _send_refunds(uow, gw)]
    except ProviderOfflineError as exc:
        _offline(exc)
    except ProviderAuthError as exc:
        _CONNECTION.health.failed(str(exc))
    return changes
