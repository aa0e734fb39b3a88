"""The audit log's head, anchored outside the database: a small file written after commits."""

from __future__ import annotations

import atexit
import json
import logging
import os
import re
import threading
import time
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from popup_pos.domain.errors import PosError
from popup_pos.store import audit as audit_store
from popup_pos.store.uow import UnitOfWork

if TYPE_CHECKING:
    from popup_pos.store import audit as audit_store

log = logging.getLogger("popup_pos.services.audit")


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


def anchor_after_commit(uow: UnitOfWork, last_hash: str) -> None:
    """Once committed, hand the new head to the anchor writer; the sale itself runs no
    statement more for it."""
    engine = uow.engine
    try:
        path = _paths[engine]
    except KeyError:
        path = _paths[engine] = anchor_path(engine)
    if path is not None:
        uow.after_commit(lambda: writer.submit(path, engine, last_hash))


# engine -> its anchor file, worked out once: every sale needs it.
_paths: weakref.WeakKeyDictionary[audit_store.Database, Path | None] = weakref.WeakKeyDictionary()


def anchor_path(engine: audit_store.Database) -> Path | None:
    """Where the head is kept outside the database: beside a SQLite file
    (`popup-pos.sqlite.audit-head`); for a server database, in the user data folder, one
    file per database (its URL without the password); None for an in-memory database."""
    from popup_pos import config

    # Only asked for a server database: the data folder is not made for a SQLite file.
    return audit_store.anchor_location(engine, lambda: config.data_dir() / "audit-heads")


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
        self._pending: dict[Path, tuple[audit_store.Database, str]] = {}
        # engine -> (id, position) of the newest head written, to count from there.
        self._positions: weakref.WeakKeyDictionary[audit_store.Database, tuple[int, int]] = (
            weakref.WeakKeyDictionary()
        )
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._hurry = threading.Event()
        self._rest_until = 0.0
        self._thread: threading.Thread | None = None
        self.failures: dict[Path, str] = {}

    def submit(self, path: Path, engine: audit_store.Database, last_hash: str) -> None:
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

    def _write(self, path: Path, engine: audit_store.Database, last_hash: str) -> None:
        found = audit_store.position_of_hash(engine, last_hash, self._positions.get(engine))
        if found is None:
            return  # gone already, or a newer head is on file: the anchor never goes back
        last_id, count = found
        write_anchor(path, Head(count, last_hash), audit_store.public_url(engine))
        self._positions[engine] = (last_id, count)

    def flush(self, timeout: float = 10.0) -> bool:
        """Write what is pending now and wait for it (or its failure); False on timeout."""
        self._hurry.set()
        try:
            return self._idle.wait(timeout)
        finally:
            self._hurry.clear()


writer = _AnchorWriter()


def flush_anchors(timeout: float = 10.0) -> bool:
    """Wait for the anchor file to catch up with the last commit (tests, commands)."""
    return writer.flush(timeout)


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
