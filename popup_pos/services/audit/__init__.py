"""The hash-chained audit log: every change appends an entry; its head is anchored outside."""

from __future__ import annotations

from popup_pos.services.audit import anchor
from popup_pos.services.audit.anchor import ANCHOR_INTERVAL_S as ANCHOR_INTERVAL_S
from popup_pos.services.audit.anchor import Anchor as Anchor
from popup_pos.services.audit.anchor import AuditError as AuditError
from popup_pos.services.audit.anchor import Head as Head
from popup_pos.services.audit.anchor import anchor_document as anchor_document
from popup_pos.services.audit.anchor import anchor_path as anchor_path
from popup_pos.services.audit.anchor import flush_anchors as flush_anchors
from popup_pos.services.audit.anchor import parse_head as parse_head
from popup_pos.services.audit.anchor import read_anchor as read_anchor
from popup_pos.services.audit.anchor import write_anchor as write_anchor
from popup_pos.services.audit.chain import GENESIS as GENESIS
from popup_pos.services.audit.chain import Entry as Entry
from popup_pos.services.audit.chain import canonical as canonical
from popup_pos.services.audit.chain import entry_hash as entry_hash
from popup_pos.services.audit.chain import record as record
from popup_pos.services.audit.chain import record_all as record_all
from popup_pos.services.audit.verify import VerifyResult as VerifyResult
from popup_pos.services.audit.verify import verify as verify
from popup_pos.store import audit as audit_store
from popup_pos.store.uow import UnitOfWork

# The anchor file's writer, whose failures tests look at.
_writer = anchor.writer

__all__ = [
    "ANCHOR_INTERVAL_S",
    "GENESIS",
    "Anchor",
    "AuditError",
    "Entry",
    "Head",
    "VerifyResult",
    "anchor_document",
    "anchor_path",
    "canonical",
    "close_head",
    "entry_hash",
    "flush_anchors",
    "head",
    "parse_head",
    "read_anchor",
    "record",
    "record_all",
    "verify",
    "write_anchor",
]


def head(uow: UnitOfWork) -> Head | None:
    """The chain's head now: None while the log is empty."""
    with uow:
        found = audit_store.head_of(uow)
    return None if found is None else Head(found.entries, found.entry_hash)


def close_head(uow: UnitOfWork, event_id: int) -> Head | None:
    """The head as the event closed: position and hash of its event.close entry."""
    with uow:
        found = audit_store.close_position(uow, event_id)
    return None if found is None else Head(found.entries, found.entry_hash)
