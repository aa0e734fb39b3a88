"""The audit chain records every change and verify finds the first tampered entry."""

from sqlalchemy import select, update

from popup_pos.services import audit, checkout
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store.models import AuditEntry


def test_every_change_is_logged_and_verified(shop):
    r = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    checkout.refund(shop.uow, r.order_id)
    with shop.uow:
        actions = shop.uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))
        actions = list(actions)
    assert actions[-3:] == ["order.place", "order.paid", "order.refund"]
    assert "event.open" in actions and "catalog.import" in actions
    result = audit.verify(shop.uow)
    assert result.ok and result.checked == len(actions)


def test_tampering_is_found(shop):
    checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    with shop.uow:
        target = shop.uow.session.scalars(
            select(AuditEntry.id).where(AuditEntry.action == "order.paid")
        ).one()
        shop.uow.session.execute(
            update(AuditEntry).where(AuditEntry.id == target).values(data='{"paid":1}')
        )
        shop.uow.commit()
    result = audit.verify(shop.uow)
    assert not result.ok and result.broken_id == target
    assert result.problem == "was changed after it was written"


def test_deleted_entry_breaks_the_link(shop):
    from sqlalchemy import delete

    with shop.uow:
        first = shop.uow.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).first()
        shop.uow.session.execute(delete(AuditEntry).where(AuditEntry.id == first))
        shop.uow.commit()
    result = audit.verify(shop.uow)
    assert result.broken_id == first + 1
    assert result.problem == "does not link to the entry before it"
