"""The drawer's openings as typed records of the audit log."""

from popup_pos.services import drawer
from popup_pos.store import drawer as drawer_store


def test_openings_are_the_events_drawer_entries_oldest_first(shop):
    drawer.paid_in(shop.uow, 50_00, "change from the bank", actor="Ana")
    drawer.no_sale(shop.uow, "busker's note", actor="Bo")
    with shop.uow:
        rows = drawer_store.openings(shop.uow, shop.event.id, ["cash.paid_in", "drawer.no_sale"])
        only = drawer_store.openings(shop.uow, shop.event.id, ["drawer.no_sale"])
    assert [(r.action, r.actor) for r in rows] == [
        ("cash.paid_in", "Ana"),
        ("drawer.no_sale", "Bo"),
    ]
    assert '"change from the bank"' in rows[0].data and rows[0].at <= rows[1].at
    assert only == rows[1:]
