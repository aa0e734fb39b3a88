"""The hash-chained audit log: every change appends an entry; its head is anchored outside."""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import re
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from popup_pos.domain.errors import PosError
from popup_pos.store import audit as store
from popup_pos.store.uow import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

GENESIS = "0" * 64


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    prev_hash: str,
    at: str,
    actor: str | None,
    action: str,
    entity: str,
    entity_id: str | None,
    data: str,
) -> str:
    payload = json.dumps([prev_hash, at, actor, action, entity, entity_id, data])
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    """One change to record: what happened to which entity, with its details."""

    action: str
    entity: str
    entity_id: object
    data: dict[str, Any] | None = None
    actor: str | None = None


def record(
    uow: UnitOfWork,
    action: str,
    entity: str,
    entity_id: object,
    data: dict[str, Any] | None = None,
    actor: str | None = None,
) -> None:
    """Append one entry in the caller's transaction, so it commits or vanishes with it."""
    record_all(uow, (Entry(action, entity, entity_id, data, actor),))


def record_all(uow: UnitOfWork, entries: Sequence[Entry]) -> None:
    """Append entries in order, each chained to the one before, in the caller's transaction.

    One lock and one read of the last hash serve them all: the lock is held until the
    transaction ends, so no other writer can slip an entry in between. Once the
    transaction commits, the new head goes to the anchor file (see `anchor_path`).
    """
    if not entries:
        return
    conn = uow.conn
    prev = store.lock_and_last_hash(conn) or GENESIS
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    rows = []
    for e in entries:
        eid = None if e.entity_id is None else str(e.entity_id)
        body = canonical(e.data or {})
        digest = entry_hash(prev, at, e.actor, e.action, e.entity, eid, body)
        rows.append(
            {
                "at": at,
                "actor": e.actor,
                "action": e.action,
                "entity": e.entity,
                "entity_id": eid,
                "data": body,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    store.append(conn, rows)
    _anchor_after_commit(uow, prev)


# ---- the head, anchored outside the database ----------------------------------------------


class AuditError(PosError):
    """An anchor that cannot be read or a head that cannot be understood."""


@dataclass(frozen=True, slots=True)
class Head:
    """Where the chain stood: how many entries, and the newest one's hash."""

    count: int
    hash: str

    def __str__(self) -> str:
        return f"{self.count}:{self.hash}"


@dataclass(frozen=True, slots=True)
class Anchor:
    """A head kept somewhere the database does not control, and where it came from."""

    head: Head
    source: str


def _anchor_after_commit(uow: UnitOfWork, last_hash: str) -> None:
    """Once committed, hand the new head to the anchor writer; the sale itself runs no
    statement more for it."""
    engine = uow.engine
    try:
        path = _paths[engine]
    except KeyError:
        path = _paths[engine] = anchor_path(engine)
    if path is not None:
        uow.after_commit(lambda: _writer.submit(path, engine, last_hash))


# engine -> its anchor file, worked out once: every sale needs it.
_paths: weakref.WeakKeyDictionary[Engine, Path | None] = weakref.WeakKeyDictionary()


def _public_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def anchor_path(engine: Engine) -> Path | None:
    """Where the head is kept outside the database: beside a SQLite file
    (`popup-pos.sqlite.audit-head`); for a server database, in the user data folder, one
    file per database (its URL without the password); None for an in-memory database."""
    url = engine.url
    if engine.dialect.name == "sqlite":
        db = url.database
        if not db or db == ":memory:" or db.startswith("file::memory:"):
            return None
        source = Path(db)
        return source.with_name(source.name + ".audit-head")
    from popup_pos import config

    public = url.set(password=None).render_as_string(hide_password=False)
    digest = hashlib.sha256(public.encode()).hexdigest()[:16]
    label = re.sub(r"[^A-Za-z0-9]+", "-", f"{url.host or 'local'}-{url.database or ''}")
    return config.data_dir() / "audit-heads" / f"{label.strip('-')}-{digest}.audit-head"


def anchor_document(head: Head, database: str) -> bytes:
    """The anchor file's content: small JSON a person can read."""
    doc = {
        "what": "popup-pos audit log head",
        "database": database,
        "entries": head.count,
        "hash": head.hash,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return (json.dumps(doc, indent=1) + "\n").encode()


def write_anchor(path: Path, head: Head, database: str) -> None:
    """Write to a temporary file, fsync, then rename: a crash leaves the old head or the
    new one, never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, anchor_document(head, database))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


# The anchor file trails the log by at most this long (plus one write) during a rush.
ANCHOR_INTERVAL_S = 0.5


class _AnchorWriter:
    """Writes heads to anchor files on a thread of its own, newest head only.

    A sale's commit is not kept waiting for a second fsync, nor for counting the log: it
    hands over the hash it ended the chain with and returns. This thread finds that
    entry's position (counting only what was appended since the last head it wrote) and
    writes the file, at most once every ANCHOR_INTERVAL_S, so a rush of sales is not
    slowed by it; a quiet register's head is written at once. A head that cannot be
    written is logged and the next one tried; the sale is committed whatever happens to
    the file. At exit, what is pending is written.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[Path, tuple[Engine, str]] = {}
        # engine -> (id, position) of the newest head written, to count from there.
        self._positions: weakref.WeakKeyDictionary[Engine, tuple[int, int]] = (
            weakref.WeakKeyDictionary()
        )
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._hurry = threading.Event()
        self._rest_until = 0.0
        self._thread: threading.Thread | None = None
        self.failures: dict[Path, str] = {}

    def submit(self, path: Path, engine: Engine, last_hash: str) -> None:
        with self._lock:
            # Only the newest head matters: older ones still waiting are dropped.
            self._pending[path] = (engine, last_hash)
            if self._idle.is_set():
                self._idle.clear()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="audit-anchor", daemon=True)
                self._thread.start()
                atexit.register(self.flush)
            if not self._wake.is_set():
                self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            # Back-to-back sales share one write: the disk is left to the sales' own commits.
            rest = self._rest_until - time.monotonic()
            if rest > 0:
                self._hurry.wait(rest)
            with self._lock:
                batch, self._pending = self._pending, {}
                self._wake.clear()
            for path, (engine, last_hash) in batch.items():
                try:
                    self._write(path, engine, last_hash)
                # The thread must outlive any failure; the next commit tries again.
                except Exception as exc:
                    if path not in self.failures:
                        log.warning("could not write the audit head to %s: %s", path, exc)
                    self.failures[path] = str(exc)
                else:
                    self.failures.pop(path, None)
            self._rest_until = time.monotonic() + ANCHOR_INTERVAL_S
            with self._lock:
                if not self._pending:
                    self._idle.set()

    def _write(self, path: Path, engine: Engine, last_hash: str) -> None:
        with engine.connect().execution_options(popup_pos_read_only=True) as conn:
            # Closed, not pooled, once done: the engine may be disposed of meanwhile.
            conn.detach()
            last_id = store.id_of(conn, last_hash)
            if last_id is None:
                return  # gone already (rolled back elsewhere, or removed): nothing to anchor
            known = self._positions.get(engine)
            if known is not None and known[0] > last_id:
                return  # a newer head is on file already: the anchor never goes back
            if known is not None:
                count = known[1] + store.count_between(conn, known[0], last_id)
            else:
                count = store.count_between(conn, 0, last_id)
            conn.rollback()
        write_anchor(path, Head(count, last_hash), _public_url(engine))
        self._positions[engine] = (last_id, count)

    def flush(self, timeout: float = 10.0) -> bool:
        """Write what is pending now and wait for it (or its failure); False on timeout."""
        self._hurry.set()
        try:
            return self._idle.wait(timeout)
        finally:
            self._hurry.clear()


_writer = _AnchorWriter()


def flush_anchors(timeout: float = 10.0) -> bool:
    """Wait for the anchor file to catch up with the last commit (tests, commands)."""
    return _writer.flush(timeout)


def head(uow: UnitOfWork) -> Head | None:
    """The chain's head now: None while the log is empty."""
    with uow:
        found = store.head(uow.conn)
    return None if found is None else Head(*found)


def close_head(uow: UnitOfWork, event_id: int) -> Head | None:
    """The head as the event closed: position and hash of its event.close entry."""
    with uow:
        found = store.position_of(uow.conn, "event.close", "event", str(event_id))
    return None if found is None else Head(*found)


_HEAD = re.compile(r"\s*(\d{1,12})\s*:\s*([0-9a-fA-F]{12,64})\s*")


def parse_head(text: str, source: str = "--head") -> Anchor:
    """COUNT:HASH as printed on a close report; the hash may be cut to its first 12 digits."""
    m = _HEAD.fullmatch(text)
    if m is None:
        raise AuditError(
            f"{source}: {text!r} is not a head: write it as COUNT:HASH, e.g. "
            "1234:3f9a0c1d2e4b (the hash's first 12 digits or more)"
        )
    return Anchor(Head(int(m.group(1)), m.group(2).lower()), source)


def read_anchor(path: Path) -> Anchor:
    """An anchor file (or a backup's .audit-head beside it)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        count, digest = doc["entries"], doc["hash"]
    except FileNotFoundError:
        raise AuditError(f"anchor {str(path)!r} does not exist") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AuditError(f"anchor {str(path)!r} cannot be read: {exc}") from None
    if not isinstance(count, int) or not isinstance(digest, str):
        raise AuditError(f"anchor {str(path)!r} has no entry count and hash")
    return parse_head(f"{count}:{digest}", str(path))


# ---- verify ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VerifyResult:
    checked: int
    broken_id: int | None = None
    problem: str | None = None
    # Anchors whose head the log no longer holds: entries removed or rewritten.
    anchor_problems: tuple[str, ...] = ()
    # Differences between the tables and the log replayed, first one first.
    table_problems: tuple[str, ...] = ()
    # What was checked, and what could not be (e.g. entries too old to carry the data).
    notes: tuple[str, ...] = ()
    anchors: tuple[Anchor, ...] = ()
    # The head of the chain as walked: to write down, or to keep beside a pg_dump.
    head: Head | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None and not self.anchor_problems and not self.table_problems


def verify(
    uow: UnitOfWork, anchors: Sequence[Anchor] = (), *, anchor_file: bool = True
) -> VerifyResult:
    """Walk the chain, hold it against every anchor, then replay it against the tables.

    The walk finds an entry altered in place or removed from the middle; an anchor finds
    entries removed from the end or a chain re-hashed from an edited entry (its head is
    gone); the replay finds orders, payments, refunds and stock changed in the tables
    without an entry saying so.
    """
    notes: list[str] = []
    found = list(anchors)
    flush_anchors()  # this process's last head, if still on its way to the file
    if anchor_file:
        path = anchor_path(uow.engine)
        if path is not None and path.exists():
            found.insert(0, read_anchor(path))
        elif path is not None:
            notes.append(f"no anchor file at {path}: only the anchors given were checked")
    wanted: dict[int, list[Anchor]] = {}
    for a in found:
        wanted.setdefault(a.head.count, []).append(a)
    prev = GENESIS
    checked = 0
    seen: dict[int, str] = {}
    replay = _Replay()
    with uow:
        for row in store.in_order(uow.conn):
            if row["prev_hash"] != prev:
                return VerifyResult(checked, row["id"], "does not link to the entry before it")
            expected = entry_hash(
                row["prev_hash"],
                row["at"],
                row["actor"],
                row["action"],
                row["entity"],
                row["entity_id"],
                row["data"],
            )
            if row["hash"] != expected:
                return VerifyResult(checked, row["id"], "was changed after it was written")
            prev = row["hash"]
            checked += 1
            if checked in wanted:
                seen[checked] = prev
            replay.apply(row)
        anchor_problems = tuple(_held(a, seen, checked) for a in found)
        table_problems = replay.compare(uow.conn)
    notes.extend(replay.notes)
    return VerifyResult(
        checked,
        anchor_problems=tuple(p for p in anchor_problems if p),
        table_problems=table_problems,
        notes=tuple(notes),
        anchors=tuple(found),
        head=Head(checked, prev) if checked else None,
    )


def _held(a: Anchor, seen: Mapping[int, str], checked: int) -> str:
    """Why the log does not hold the anchor's head, or '' when it does."""
    if a.head.count > checked:
        gone = a.head.count - checked
        return (
            f"{a.source} says the log had {a.head.count} entries, it has {checked}: "
            f"{gone} newest {'entry was' if gone == 1 else 'entries were'} removed"
        )
    if a.head.count == 0:
        return ""
    if not seen[a.head.count].startswith(a.head.hash):
        return (
            f"{a.source} says entry {a.head.count} has hash {a.head.hash[:12]}…, the log's "
            f"has {seen[a.head.count][:12]}…: the log was rewritten up to there"
        )
    return ""


@dataclass(slots=True)
class _OrderState:
    number: str
    event: int | None
    status: str = "open"
    total: int = 0
    paid: int = 0
    refunded: int = 0
    complete: bool = True
    # Stock moved per variant id; None for orders placed before entries carried it.
    stock: dict[str, int] | None = None

    def move(self, data: Mapping[str, Any]) -> None:
        if self.stock is None:
            return
        if "stock" not in data:
            self.stock = None
            return
        for vid, n in data["stock"].items():
            self.stock[vid] = self.stock.get(vid, 0) + int(n)


class _Replay:
    """The orders and payments as the log tells them, to hold against the tables."""

    def __init__(self) -> None:
        self.event: int | None = None
        self.orders: dict[tuple[int | None, str], _OrderState] = {}
        self.event_of: dict[str, int | None] = {}
        self.payment_order: dict[int, tuple[int | None, str]] = {}
        self.payments: dict[int, list[Any]] = {}  # id -> [amount, status, entry id]
        self.notes: list[str] = []

    def _order(self, number: str, placing: bool) -> _OrderState:
        if placing:
            self.event_of[number] = self.event
        key = (self.event_of.get(number, self.event), number)
        o = self.orders.get(key)
        if o is None:
            o = self.orders[key] = _OrderState(number, key[0], complete=placing)
        return o

    def apply(self, row: Mapping[Any, Any]) -> None:
        action: str = row["action"]
        try:
            data = json.loads(row["data"])
            self._apply(action, row["entity_id"], data)
        except (ValueError, KeyError, TypeError):
            self.notes.append(
                f"entry {row['id']} ({action}) lacks the details to replay it: "
                f"what it changed was not checked"
            )
            if row["entity"] == "order" and row["entity_id"]:
                self._order(row["entity_id"], False).complete = False

    def _apply(self, action: str, entity_id: str | None, data: dict[str, Any]) -> None:
        if action == "event.open":
            self.event = int(str(entity_id))
        elif action in ("order.place", "order.park"):
            o = self._order(str(entity_id), True)
            o.total = int(data["total"])
            o.status = "awaiting_payment" if action == "order.place" else "open"
            if action == "order.place":
                o.stock = {} if "stock" in data else None
                o.move(data)
        elif action == "order.part_paid":
            self._order(str(entity_id), False).paid = int(data["paid"])
        elif action == "order.paid":
            o = self._order(str(entity_id), False)
            o.paid, o.status = int(data["paid"]), "paid"
        elif action == "order.cancel":
            o = self._order(str(entity_id), False)
            o.status, o.refunded = "cancelled", int(data["handed_back"])
            o.move(data)
        elif action == "order.fulfil":
            self._order(str(entity_id), False).status = "fulfilled"
        elif action == "order.refund":
            o = self._order(str(entity_id), False)
            o.refunded += int(data["amount"])
            o.status = "refunded" if o.refunded >= o.paid else "partially_refunded"
            o.move(data)
        elif action == "payment.begin":
            pid = int(data["payment"])
            o = self._order(str(entity_id), False)
            self.payment_order[pid] = (o.event, o.number)
            self.payments[pid] = [int(data["amount"]), "pending"]
        elif action == "payment.succeeded":
            pid = int(data["payment"])
            key = self.payment_order.get(pid)
            o = self.orders[key] if key is not None else self._order(str(entity_id), False)
            o.paid += int(data["amount"])
            if pid in self.payments:
                self.payments[pid][1] = "succeeded"
        elif action in ("payment.failed", "payment.cancelled"):
            pid = int(str(entity_id))
            if pid in self.payments:
                self.payments[pid][1] = action.split(".", 1)[1]

    def compare(self, conn: Any) -> tuple[str, ...]:
        problems: list[str] = []
        in_tables: set[tuple[int | None, str]] = set()
        variants = store.stock(conn)
        sku_of = {str(v["id"]): v["sku"] for v in variants}
        moved_by_order = store.order_movements(conn)
        unchecked_stock = 0
        for r in store.orders(conn):
            key = (r["event_id"], r["number"])
            in_tables.add(key)
            where = f"order {r['number']} (event {r['event_id']})"
            o = self.orders.get(key)
            if o is None:
                problems.append(f"{where} is in the tables but the audit log never placed it")
                continue
            if not o.complete:
                continue
            for what, table, logged in (
                ("status", r["status"], o.status),
                ("total", r["total_cents"], o.total),
                ("paid", r["paid_cents"], o.paid),
                ("sum of its payments", r["payments_cents"], o.paid),
                ("refunded", r["refunded_cents"], o.refunded),
                ("sum of its refunds", r["refunds_cents"], o.refunded),
            ):
                if table != logged:
                    problems.append(
                        f"{where}: {what} is {table} in the tables, {logged} in the log"
                    )
            if o.stock is None:
                unchecked_stock += 1
                continue
            ledger_moves = moved_by_order.get(int(r["id"]), {})
            for vid in sorted(set(ledger_moves) | set(o.stock), key=int):
                in_ledger, logged_n = ledger_moves.get(vid, 0), o.stock.get(vid, 0)
                if in_ledger != logged_n:
                    problems.append(
                        f"{where}: stock of {sku_of.get(vid, 'variant ' + vid)} moved "
                        f"{in_ledger:+d} in the stock ledger, {logged_n:+d} in the log"
                    )
        if unchecked_stock:
            self.notes.append(
                f"{unchecked_stock} order(s) placed before the log recorded the stock they "
                "moved: their stock ledger rows were not checked against the log"
            )
        for key, o in self.orders.items():
            if key not in in_tables and o.complete:
                problems.append(
                    f"order {o.number} (event {o.event}) is in the audit log "
                    "but missing from the tables"
                )
        rows = store.payments(conn)
        for pid, (amount, status) in self.payments.items():
            p = rows.get(pid)
            if p is None:
                problems.append(f"payment {pid} is in the audit log but missing from the tables")
            elif p["amount_cents"] != amount or p["status"] != status:
                problems.append(
                    f"payment {pid}: {p['amount_cents']} {p['status']} in the tables, "
                    f"{amount} {status} in the log"
                )
        ledger: dict[int, int] = {}
        for (variant_id, _kind), n in store.ledger(conn).items():
            ledger[variant_id] = ledger.get(variant_id, 0) + n
        for v in variants:
            moved = ledger.get(int(v["id"]), 0)
            if v["on_hand"] != moved:
                problems.append(
                    f"stock of {v['sku']}: {v['on_hand']} on hand in the tables, "
                    f"its stock ledger adds up to {moved}"
                )
        return tuple(problems)
