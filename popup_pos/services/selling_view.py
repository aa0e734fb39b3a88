"""The selling screen's read model: what it shows, read in one read-only transaction."""

from __future__ import annotations

from dataclasses import dataclass

from popup_pos.payments.wallets import WALLETS
from popup_pos.services import event_terms, settings, tickets
from popup_pos.services import payments as payments_service
from popup_pos.services import queue as queue_service
from popup_pos.services.changes import Changes
from popup_pos.services.events import EventError
from popup_pos.services.permissions import SETTINGS_KEY as LIMITS_KEY
from popup_pos.services.permissions import Limits
from popup_pos.store import selling_view as selling_view_store
from popup_pos.store.models import utcnow
from popup_pos.store.uow import UnitOfWork

EVERYTHING = Changes.everything()


@dataclass(frozen=True, slots=True)
class Setup:
    """The event's terms, settings and Stripe connection, as the selling keys need them."""

    stripe: payments_service.StripeStatus
    wallets: bool  # a wallet handle is set up: the Wallet QR key can work
    tips: tuple[int, ...]  # the tip presets offered before the tender; none: tips are off
    limits: Limits
    catalog_version: str


@dataclass(frozen=True, slots=True)
class SellingView:
    """What the selling screen shows; a part is None when it was not asked for."""

    levels: dict[int, int | None] | None
    some_levels: bool  # `levels` holds only the variants asked for, not the whole catalog
    orders: dict[str, list[queue_service.QueueRow]] | None
    ticket_queue: tickets.QueueState | None
    setup: Setup | None


def read(uow: UnitOfWork, wanted: Changes = EVERYTHING) -> SellingView:
    """The parts of the screen that `wanted` says may have changed, in one read-only
    transaction (a second, one-count read for the Stripe banner when setup is asked for).

    Stock named variant by variant is read for those variants only (a caller showing
    bundles asks for their parts too); `stock=True` reads every level.
    """
    with uow:
        event = (
            selling_view_store.open_event(uow)
            if (wanted.queue or wanted.tickets or wanted.setup)
            else None
        )
        some = isinstance(wanted.stock, frozenset)
        levels = None
        if isinstance(wanted.stock, frozenset):
            levels = selling_view_store.stock_levels_of(uow, wanted.stock) if wanted.stock else None
        elif wanted.stock:
            levels = selling_view_store.stock_levels(uow)
        orders = None
        if wanted.queue:
            orders = queue_service.sections_of(
                selling_view_store.queue_rows(uow, event.id) if event is not None else []
            )
        queue_state = None
        if wanted.tickets:
            if event is None:
                raise EventError("no event is open: open one with `popup-pos event open NAME`")
            queue_state = tickets.state_of(*selling_view_store.tickets(uow, event.id), utcnow())
        stored = selling_view_store.settings(uow, "wallets", LIMITS_KEY) if wanted.setup else {}
        version = selling_view_store.catalog_version(uow) if wanted.setup else ""
    setup = None
    if wanted.setup:
        handles = settings.with_defaults("wallets", stored.get("wallets"))
        setup = Setup(
            payments_service.stripe_status(uow),
            any(w in WALLETS and h for w, h in handles.items()),
            event_terms.tip_presets_of(event.settings) if event is not None else (),
            Limits.of(settings.with_defaults(LIMITS_KEY, stored.get(LIMITS_KEY))),
            version,
        )
    return SellingView(levels, some, orders, queue_state, setup)
