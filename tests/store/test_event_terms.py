"""The open event's settings read and replaced through the unit of work."""

from popup_pos.store import event_terms as event_terms_store


def test_settings_are_replaced_whole(shop):
    with shop.uow:
        event = event_terms_store.open_event_for_update(shop.uow)
        assert event is not None and event.id == shop.event.id and event.name == "Test night"
        event_terms_store.replace_settings(shop.uow, event.id, {"tips_enabled": False})
        shop.uow.commit()
    with shop.uow:
        again = event_terms_store.open_event(shop.uow)
    assert again is not None and again.settings == {"tips_enabled": False}


def test_no_open_event_reads_none(uow):
    with uow:
        assert event_terms_store.open_event(uow) is None
        assert event_terms_store.open_event_for_update(uow) is None
