"""Customer handles (email, phone, @handle): normalised, then hashed with the event's salt."""

from __future__ import annotations

import hashlib
import re

from popup_pos.domain.errors import PosError

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HANDLE = re.compile(r"^@[\w.\-]{1,64}$")
_PHONE_CHARS = re.compile(r"^\+?[\d\s().\-]+$")


class HandleError(PosError, ValueError):
    """Text that is not an email, a phone number or an @handle."""


def normalise_handle(text: str) -> str:
    """One spelling per person: emails and @handles lower-cased, phones as their digits.

    A scanned `mailto:` or `tel:` link counts as the address it holds.
    """
    raw = text.strip()
    lowered = raw.lower()
    for prefix in ("mailto:", "tel:"):
        if lowered.startswith(prefix):
            raw = raw[len(prefix) :].strip()
            lowered = raw.lower()
    if _HANDLE.match(raw):
        return lowered
    if _EMAIL.match(raw):
        return lowered
    if _PHONE_CHARS.match(raw):
        digits = re.sub(r"\D", "", raw)
        if 7 <= len(digits) <= 15:
            return "tel:" + digits
    shown = raw if len(raw) <= 40 else raw[:37] + "..."
    raise HandleError(
        f"customer {shown!r} is not an email, a phone number (7 to 15 digits) or an @handle"
    )


def hash_handle(salt: str, text: str) -> str:
    """sha256 of the event's salt and the normalised handle, as 64 hex digits."""
    return hashlib.sha256(f"{salt}\x00{normalise_handle(text)}".encode()).hexdigest()
