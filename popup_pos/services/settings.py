"""Shop settings shared by every register: wallet handles, printing defaults, receipt text.

Each setting is a small JSON object under a key; `get` fills in defaults so callers never
see a missing field. Secrets (the Stripe key) never go here.
"""

from __future__ import annotations

from typing import Any

from popup_pos.domain.errors import PosError
from popup_pos.services import audit
from popup_pos.store import settings as settings_store
from popup_pos.store.uow import UnitOfWork

DEFAULTS: dict[str, dict[str, Any]] = {
    "wallets": {"venmo": "", "cashapp": "", "paypal": ""},
    "printing": {"label_template": "avery-5160", "receipt_width": 80, "receipt_footer": ""},
    "backups": {"folder": "", "every_minutes": 5},
}

SECRET_FIELDS = ("secret", "api_key")
SECRET_PREFIXES = ("sk_", "rk_")


class SettingsError(PosError):
    """A setting that cannot be stored."""


def get(uow: UnitOfWork, key: str) -> dict[str, Any]:
    with uow:
        stored = settings_store.get(uow, key) or {}
    return with_defaults(key, stored)


def with_defaults(key: str, stored: dict[str, Any] | None) -> dict[str, Any]:
    """A setting as stored, its defaults filling what was never set."""
    return {**DEFAULTS.get(key, {}), **(stored or {})}


def put(uow: UnitOfWork, key: str, value: dict[str, Any], actor: str | None = None) -> None:
    """Replace one setting; refuses anything that looks like a secret key."""
    for field, item in value.items():
        looks_secret = any(word in field.lower() for word in SECRET_FIELDS) or (
            isinstance(item, str) and item.strip().startswith(SECRET_PREFIXES)
        )
        if looks_secret:
            raise SettingsError(
                f"{key}.{field} looks like a secret key; keys are kept in the system keyring"
            )
    with uow:
        settings_store.put(uow, key, dict(value))
        audit.record(uow, "settings.put", "settings", key, value, actor)
        uow.commit()
