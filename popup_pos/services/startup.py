"""Start-up: the selling screen's first frame, read before the database stack is loaded."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from popup_pos.domain.pricing import TaxClass
from popup_pos.services.views import (
    EventInfo,
    RegisterInfo,
    StaffInfo,
    VariantView,
    default_tax_of,
    variant_views,
)
from popup_pos.store import first_screen as first_screen_store
from popup_pos.store import migrate as migrate_store
from popup_pos.store.uow import UnitOfWork

# What the selling screen loads behind its first frame, part by part, after the store:
# the services its window calls.
_LOADED_LATER = (
    "popup_pos.services.database",
    "popup_pos.services.payments",
    "popup_pos.services.catalog",
    "popup_pos.services.queue",
    "popup_pos.services.tickets",
)


@dataclass(frozen=True, slots=True)
class FirstScreen:
    """Everything the selling screen paints first, as the services would give it."""

    staff: StaffInfo
    event: EventInfo
    register: RegisterInfo
    default_tax: TaxClass | None
    variants: list[VariantView]


def read_first_screen(
    db: str, register_code: str, *, need_catalog: bool = False
) -> FirstScreen | None:
    """The selling screen for the organizer signed in without a PIN (the demo, a
    screenshot), read straight from a SQLite file in one read transaction.

    None when the normal start must run instead, which opens the database through
    SQLAlchemy and handles every other case as it always has: not a SQLite file (or no
    such file yet), a schema other than this version's (upgraded with a backup, or
    refused, there), no organizer, no open event, this register not yet joined, or, with
    `need_catalog`, an empty catalog (the demo seeds one).
    """
    path = first_screen_store.sqlite_file(db)
    if path is None:
        return None
    with _no_cyclic_gc():
        return _read(path, register_code, need_catalog)


def _read(path: Path, register_code: str, need_catalog: bool) -> FirstScreen | None:
    found = first_screen_store.read_first(
        path, register_code.strip().upper(), migrate_store.HEAD_REVISION
    )
    if found is None:
        return None
    who, event, register = found.organizer, found.event, found.register
    variants = variant_views(found.rows, found.parts, found.levels)
    if need_catalog and not variants:
        return None
    return FirstScreen(
        StaffInfo(
            who.id,
            who.name,
            who.role,
            who.event_id,
            who.active,
            who.event_name,
            who.event_status is not None and who.event_status != "open",
        ),
        EventInfo(
            event.id,
            event.name,
            event.currency,
            event.status,
            event.opened_at,
            event.closed_at,
            event.float_cents,
            event.counted_cash_cents,
        ),
        RegisterInfo(register.id, register.event_id, register.code),
        default_tax_of(event.settings or {}),
        variants,
    )


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    # Tens of thousands of new objects, none in a cycle: without this the collector would
    # walk them a few times over while they are made, a tenth of the read's time.
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def open_on_first_use(db: str) -> UnitOfWork:
    """A unit of work on `db` whose engine is made the first time it is used: SQLAlchemy
    is imported then, and the schema checked (and upgraded) as `open_database` does,
    before anything can be written."""

    def opened() -> UnitOfWork:
        from popup_pos.services.database import open_database

        return open_database(db)

    return first_screen_store.opened_on_first_use(opened)


def load_the_rest(after_each: Callable[[], None]) -> None:
    """Import the database stack and the selling screen's services one part at a time,
    calling `after_each` after each part (the GUI lets go of memory there)."""
    first_screen_store.load_the_store(after_each)
    for name in _LOADED_LATER:
        importlib.import_module(name)
        after_each()
