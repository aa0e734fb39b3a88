"""Settings read and written through the unit of work."""

from popup_pos.store import settings as settings_store


def test_a_setting_is_stored_and_replaced(uow):
    with uow:
        assert settings_store.get(uow, "wallets") is None
        settings_store.put(uow, "wallets", {"venmo": "@a"})
        uow.commit()
    with uow:
        settings_store.put(uow, "wallets", {"venmo": "@b"})
        uow.commit()
    with uow:
        assert settings_store.get(uow, "wallets") == {"venmo": "@b"}
