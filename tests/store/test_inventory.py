"""The hand-count store face: a locked stock row as a record, take refused past zero."""

from popup_pos.store import inventory as inventory_store


def test_locked_row_is_a_record_and_take_never_goes_below_zero(shop):
    uow = shop.uow
    have = shop.on_hand("POSTER")
    with uow:
        row = inventory_store.lock_by_sku(uow, "POSTER")
        assert row is not None
        assert (row.kind, row.on_hand) == ("item", have)
        assert inventory_store.lock_by_sku(uow, "NO-SUCH") is None
        assert not inventory_store.take(uow, row.id, row.on_hand + 1)
        assert inventory_store.take(uow, row.id, 1)
        inventory_store.log_movement(uow, row.id, "adjustment", -1, reason="test", event_id=None)
        uow.commit()
    with uow:
        assert inventory_store.ledger_sum(uow, "POSTER") == row.on_hand - 1
