"""Shop settings: defaults filled in, stored per key, secrets refused."""

import pytest

from popup_pos.services import settings
from popup_pos.services.settings import SettingsError


def test_defaults_then_stored(uow):
    assert settings.get(uow, "wallets")["venmo"] == ""
    settings.put(uow, "wallets", {"venmo": "@the-band", "cashapp": "$theband"})
    got = settings.get(uow, "wallets")
    assert got == {"venmo": "@the-band", "cashapp": "$theband", "paypal": ""}


def test_secrets_refused(uow):
    with pytest.raises(SettingsError, match="keyring"):
        settings.put(uow, "stripe", {"api_key": "sk_test_123"})


def test_handles_with_underscores_are_fine(uow):
    settings.put(uow, "wallets", {"venmo": "@dark_star", "cashapp": "$desk_band"})
    assert settings.get(uow, "wallets")["venmo"] == "@dark_star"
    with pytest.raises(SettingsError):
        settings.put(uow, "wallets", {"venmo": "rk_live_abc"})
