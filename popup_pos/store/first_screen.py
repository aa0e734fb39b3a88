"""The selling screen's first read, straight on a SQLite file with the standard driver."""

from __future__ import annotations

import importlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from popup_pos.store.uow import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy import Engine

# SQLAlchemy and the models are deliberately not imported: this module exists so that the
# first frame can be painted before they load (about a third of a second). It only reads,
# and only what `store.catalog`, `store.events` and `store.staff` read for that frame; a
# test holds the two paths to the same answers.

Row = tuple[Any, ...]
BUSY_TIMEOUT_S = 1.0

# The rest of the store, which the first frame does without, in the order it loads:
# SQLAlchemy's core, its ORM with the models, the engine set-up.
LOADED_LATER = ("sqlalchemy", "sqlalchemy.orm", "popup_pos.store.models", "popup_pos.store.engine")

# Products and variants are read apart and joined here: a product's name, kind, category,
# owner and tax then come out of the driver once, shared by its variants, not once each.
_PRODUCTS = """
SELECT products.id, products.name, products.kind, categories.name, owners.name,
       tax_classes.name, tax_classes.rate_ppm, tax_classes.inclusive,
       products.personalisation_prompt
FROM products
LEFT OUTER JOIN categories ON categories.id = products.category_id
LEFT OUTER JOIN owners ON owners.id = products.owner_id
LEFT OUTER JOIN tax_classes ON tax_classes.id = products.tax_class_id
WHERE products.archived IS 0
"""
_VARIANTS = """
SELECT id, sku, barcode, product_id, options, price_cents, cost_cents, track_stock, on_hand,
       per_order_limit, edition_size, low_stock_at, per_person_limit
FROM variants WHERE archived IS 0 ORDER BY id
"""
_PARTS = "SELECT bundle_id, component_id, quantity FROM bundle_components"
_LEVELS = "SELECT id, on_hand, track_stock FROM variants"
_FIRST_ORGANIZER = """
SELECT staff.id, staff.name, staff.role, staff.event_id, staff.active, events.name,
       events.status
FROM staff LEFT OUTER JOIN events ON events.id = staff.event_id
WHERE staff.active IS 1 AND staff.role = 'organizer'
ORDER BY lower(staff.name), staff.id
LIMIT 1
"""
_OPEN_EVENT = """
SELECT id, name, currency, status, opened_at, closed_at, float_cents, counted_cash_cents,
       settings
FROM events WHERE status = 'open'
"""
_REGISTER = "SELECT id, event_id, code FROM registers WHERE event_id = ? AND code = ?"


def sqlite_file(db: str) -> Path | None:
    """The existing SQLite file a --db value names, or None (another database, a file
    that does not exist yet, or a URL with options only SQLAlchemy should interpret)."""
    if "://" in db:
        head, sep, rest = db.partition(":///")
        if not sep or head not in ("sqlite", "sqlite+pysqlite") or any(c in rest for c in "?%"):
            return None
        db = rest
    if not db or db == ":memory:":
        return None
    path = Path(db).expanduser().resolve()
    return path if path.is_file() else None


@contextmanager
def reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that only reads, inside one read transaction (one consistent view)."""
    # Read-only: it never creates a database, nor writes to one (not even a checkpoint).
    # A file locked for long makes the caller fall back to the normal start, which waits.
    conn = sqlite3.connect(
        f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S
    )
    try:
        conn.execute("BEGIN")
        yield conn
    finally:
        conn.close()  # ends the read transaction


def schema_revision(conn: sqlite3.Connection) -> str | None:
    """Alembic's revision of the schema, or None for a database it never migrated."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if has_table is None:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


@dataclass(frozen=True, slots=True)
class StaffRow:
    id: int
    name: str
    role: str
    event_id: int | None
    active: bool
    event_name: str | None
    event_status: str | None


def first_organizer(conn: sqlite3.Connection) -> StaffRow | None:
    """The active organizer listed first (by name), with the event they are tied to."""
    row = conn.execute(_FIRST_ORGANIZER).fetchone()
    if row is None:
        return None
    sid, name, role, event_id, active, event_name, status = row
    return StaffRow(sid, name, role, event_id, bool(active), event_name, status)


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    name: str
    currency: str
    status: str
    opened_at: datetime
    closed_at: datetime | None
    float_cents: int
    counted_cash_cents: int | None
    settings: dict[str, Any] | None


def _utc(text: str | None) -> datetime | None:
    # SQLAlchemy stores naive UTC as 'YYYY-MM-DD HH:MM:SS.ffffff'; the models read it aware.
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def open_event(conn: sqlite3.Connection) -> EventRow | None:
    row = conn.execute(_OPEN_EVENT).fetchone()
    if row is None:
        return None
    eid, name, currency, status, opened, closed, float_cents, counted, settings = row
    opened_at = _utc(opened)
    assert opened_at is not None  # NOT NULL
    return EventRow(
        eid,
        name,
        currency,
        status,
        opened_at,
        _utc(closed),
        float_cents,
        counted,
        None if settings is None else json.loads(settings),
    )


class RegisterRow(NamedTuple):
    id: int
    event_id: int
    code: str


def register(conn: sqlite3.Connection, event_id: int, code: str) -> RegisterRow | None:
    """A register that has already joined the event."""
    row: Row | None = conn.execute(_REGISTER, (event_id, code)).fetchone()
    return None if row is None else RegisterRow(int(row[0]), int(row[1]), str(row[2]))


def snapshot_rows(
    conn: sqlite3.Connection,
) -> tuple[list[Row], dict[int, list[tuple[int, int]]], dict[int, int | None]]:
    """What `store.catalog.snapshot_rows` returns: the same rows in the same order (product
    name, then variant id), values converted as the models do (options from JSON, booleans
    from 0 and 1)."""
    products: dict[int, tuple[Row, str | None]] = {}
    for pid, name, kind, category, owner, tax, rate, inclusive, prompt in conn.execute(_PRODUCTS):
        incl = None if inclusive is None else bool(inclusive)
        products[pid] = ((name, kind, category, owner, tax, rate, incl), prompt)
    parsed: dict[str, Any] = {}  # the few distinct option sets, each parsed once
    rows: list[Row] = []
    for r in conn.execute(_VARIANTS):
        product = products.get(r[3])
        if product is None:
            continue  # its product is archived
        options = r[4]
        if options is not None:
            value = parsed.get(options)
            if value is None:
                value = parsed[options] = json.loads(options)
            # A dict of its own for each variant, as the models give.
            options = dict(value) if isinstance(value, dict) else json.loads(options)
        head, prompt = product
        rows.append((*r[:4], options, r[5], r[6], bool(r[7]), *r[8:12], *head, r[12], prompt))
    # Stable: variants of one product stay in id order, as read.
    rows.sort(key=itemgetter(12))
    parts: dict[int, list[tuple[int, int]]] = {}
    for bundle_id, component_id, qty in conn.execute(_PARTS):
        parts.setdefault(bundle_id, []).append((component_id, qty))
    levels = (
        {i: (n if tracked else None) for i, n, tracked in conn.execute(_LEVELS)} if parts else {}
    )
    return rows, parts, levels


@dataclass(frozen=True, slots=True)
class FirstRead:
    """Everything the first frame needs, read in one read transaction."""

    organizer: StaffRow
    event: EventRow
    register: RegisterRow
    rows: list[Row]  # in `store.catalog.snapshot_rows`' column order, for `variant_views`
    parts: dict[int, list[tuple[int, int]]]
    levels: dict[int, int | None]


def read_first(path: Path, register_code: str, revision: str) -> FirstRead | None:
    """The organizer, open event, joined register and catalog, or None when the normal
    start must run instead: another schema revision, nobody or nothing to show, or a
    locked, damaged or odd file (the normal start reports it properly)."""
    try:
        with reading(path) as conn:
            if schema_revision(conn) != revision:
                return None
            who = first_organizer(conn)
            event = open_event(conn)
            if who is None or event is None:
                return None
            reg = register(conn, event.id, register_code)
            if reg is None:
                return None
            rows, parts, levels = snapshot_rows(conn)
    except (sqlite3.Error, ValueError):
        return None
    return FirstRead(who, event, reg, rows, parts, levels)


def opened_on_first_use(open_unit: Callable[[], UnitOfWork]) -> UnitOfWork:
    """A unit of work whose engine is taken from `open_unit()` the first time it is used,
    so SQLAlchemy is imported only then."""

    def make_engine() -> Engine:
        return open_unit().engine

    return UnitOfWork(make_engine)


def load_the_store(after_each: Callable[[], None]) -> None:
    """Import the rest of the store (SQLAlchemy, the models, the engine set-up) one part at
    a time, calling `after_each` after each part."""
    for name in LOADED_LATER:
        importlib.import_module(name)
        after_each()
