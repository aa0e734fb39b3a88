"""The audit chain records every change and verify finds the first tampered entry."""

import pytest
from sqlalchemy import delete, select, update

from popup_pos.services import audit, checkout, closing, payments
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store.models import AuditEntry, Order, Payment, Refund, Variant


def test_every_change_is_logged_and_verified(shop):
    r = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    payments.refund_to_tenders(shop.uow, r.order_id)
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
    with shop.uow:
        first = shop.uow.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).first()
        shop.uow.session.execute(delete(AuditEntry).where(AuditEntry.id == first))
        shop.uow.commit()
    result = audit.verify(shop.uow)
    assert result.broken_id == first + 1
    assert result.problem == "does not link to the entry before it"


# ---- anchors and replay: every way of trimming or rewriting the log is found -------------


def _night(shop) -> None:
    """A few sales, a refund and a stock count, so there is something to trim."""
    from popup_pos.services import inventory

    for _ in range(4):
        checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    r = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER", quantity=2),)))
    payments.refund_to_tenders(shop.uow, r.order_id)
    inventory.count_in(shop.uow, "POSTER", 3)
    assert audit.flush_anchors()


def _run_sql(shop, statement) -> None:
    with shop.uow:
        shop.uow.session.execute(statement)
        shop.uow.commit()


def _newest_ids(shop, n: int) -> list[int]:
    with shop.uow:
        return list(
            shop.uow.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(n))
        )


def test_a_clean_night_verifies_with_its_anchor(shop):
    _night(shop)
    result = audit.verify(shop.uow)
    assert result.ok, (result.anchor_problems, result.table_problems)
    assert [a.source for a in result.anchors] == [str(audit.anchor_path(shop.uow.engine))]
    assert result.anchors[0].head == audit.head(shop.uow)


@pytest.mark.parametrize("removed", [1, 10])
def test_removing_the_newest_entries_is_found(shop, removed):
    _night(shop)
    _run_sql(shop, delete(AuditEntry).where(AuditEntry.id.in_(_newest_ids(shop, removed))))
    result = audit.verify(shop.uow)
    assert not result.ok and result.broken_id is None
    gone = "1 newest entry was" if removed == 1 else f"{removed} newest entries were"
    assert f"{gone} removed" in result.anchor_problems[0]


def test_removing_every_entry_is_found(shop):
    _night(shop)
    _run_sql(shop, delete(AuditEntry))
    result = audit.verify(shop.uow)
    assert not result.ok and result.checked == 0
    assert "it has 0" in result.anchor_problems[0]
    # Even with the anchor file gone too, the orders have no entry behind them.
    assert "the audit log never placed it" in result.table_problems[0]


def _rehash_from(shop, entry_id: int, data: str) -> None:
    """What an attacker who knows the hashing does: edit one entry, re-hash all after it."""
    with shop.uow:
        s = shop.uow.session
        rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        prev = audit.GENESIS
        for e in rows:
            if e.id == entry_id:
                e.data = data
            if e.id >= entry_id:
                e.prev_hash = prev
                e.hash = audit.entry_hash(
                    prev, e.at, e.actor, e.action, e.entity, e.entity_id, e.data
                )
            prev = e.hash
        shop.uow.commit()


def test_a_chain_rehashed_from_an_edited_entry_is_found(shop):
    _night(shop)
    with shop.uow:
        target = shop.uow.session.scalars(
            select(AuditEntry.id).where(AuditEntry.action == "event.open")
        ).one()
    _rehash_from(shop, target, '{"currency":"USD","float":0,"name":"Other night"}')
    result = audit.verify(shop.uow)
    assert result.broken_id is None  # the chain itself links up again
    assert not result.ok
    assert "the log was rewritten up to there" in result.anchor_problems[0]


def _first_order(shop):
    with shop.uow:
        return shop.uow.session.scalars(select(Order).order_by(Order.id)).first()


def test_an_order_total_changed_in_the_tables_is_found(shop):
    _night(shop)
    order = _first_order(shop)
    _run_sql(shop, update(Order).where(Order.id == order.id).values(total_cents=1))
    result = audit.verify(shop.uow)
    assert not result.ok and not result.anchor_problems
    assert result.table_problems[0] == (
        f"order {order.number} (event {order.event_id}): total is 1 in the tables, "
        f"{order.total_cents} in the log"
    )


def test_a_payment_changed_in_the_tables_is_found(shop):
    _night(shop)
    order = _first_order(shop)
    _run_sql(shop, update(Payment).where(Payment.order_id == order.id).values(amount_cents=1))
    result = audit.verify(shop.uow)
    assert not result.ok
    assert result.table_problems[0] == (
        f"order {order.number} (event {order.event_id}): sum of its payments is 1 in the "
        f"tables, {order.paid_cents} in the log"
    )


def test_a_stock_count_changed_in_the_tables_is_found(shop):
    _night(shop)
    before = shop.on_hand("POSTER")
    _run_sql(shop, update(Variant).where(Variant.sku == "POSTER").values(on_hand=before + 5))
    result = audit.verify(shop.uow)
    assert not result.ok
    assert result.table_problems == (
        f"stock of POSTER: {before + 5} on hand in the tables, its stock ledger adds up to "
        f"{before}",
    )


def test_a_refund_changed_in_the_tables_is_found(shop):
    _night(shop)
    _run_sql(shop, update(Refund).values(amount_cents=1))
    result = audit.verify(shop.uow)
    assert not result.ok and "sum of its refunds is 1 in the tables" in result.table_problems[0]


def test_the_head_printed_at_close_catches_what_the_anchor_file_cannot(shop):
    from popup_pos.services import reports

    _night(shop)
    closing.close_event(shop.uow, 100_00)
    printed = reports.build_report(shop.uow).audit_head
    assert printed is not None and printed == str(audit.close_head(shop.uow, shop.event.id))
    # Trimmed, and the anchor file rewritten to match: only the printed head remains.
    _run_sql(shop, delete(AuditEntry).where(AuditEntry.id.in_(_newest_ids(shop, 1))))
    path = audit.anchor_path(shop.uow.engine)
    assert path is not None
    path.unlink()
    head = audit.parse_head(printed.split(":")[0] + ":" + printed.split(":")[1][:12], "report")
    result = audit.verify(shop.uow, [head])
    assert not result.ok
    assert result.anchor_problems == (
        f"report says the log had {head.head.count} entries, it has {head.head.count - 1}: "
        "1 newest entry was removed",
    )


def test_a_head_that_does_not_parse_says_how_to_write_it():
    with pytest.raises(audit.AuditError, match=r"write it as COUNT:HASH"):
        audit.parse_head("12-abc")


def test_a_sale_is_kept_when_the_anchor_cannot_be_written(shop):
    path = audit.anchor_path(shop.uow.engine)
    assert path is not None and audit.flush_anchors()
    path.unlink()
    path.mkdir()  # a folder where the file should be: every write fails
    r = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    assert audit.flush_anchors()
    assert checkout.get_order(shop.uow, r.order_id).status == "paid"
    assert path in audit._writer.failures
    path.rmdir()
    checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    assert audit.flush_anchors() and path not in audit._writer.failures
    assert audit.read_anchor(path).head == audit.head(shop.uow)


def test_a_backup_carries_its_head(shop, tmp_path):
    from popup_pos.services import database
    from popup_pos.store.engine import make_engine
    from popup_pos.store.uow import UnitOfWork

    if shop.uow.dialect != "sqlite":
        pytest.skip("PostgreSQL is backed up with pg_dump")
    _night(shop)
    out = tmp_path / "copy.sqlite"
    database.backup(shop.uow, out)
    sidecar = tmp_path / "copy.sqlite.audit-head"
    assert audit.read_anchor(sidecar).head == audit.head(shop.uow)
    copy = make_engine(str(out))
    try:
        copy_uow = UnitOfWork(copy)
        assert audit.verify(copy_uow).ok
        with copy_uow:
            copy_uow.session.execute(
                delete(AuditEntry).where(AuditEntry.id == max(_newest_ids(shop, 1)))
            )
            copy_uow.commit()
        result = audit.verify(copy_uow)
        assert "1 newest entry was removed" in result.anchor_problems[0]
    finally:
        copy.dispose()


def test_the_close_report_prints_the_head_at_close(shop):
    import pypdfium2

    from popup_pos.documents.report import render_report_pdf
    from popup_pos.services import reports

    _night(shop)
    assert reports.build_report(shop.uow).audit_head is None  # still open: nothing to print
    closing.close_event(shop.uow, 100_00)
    head = audit.close_head(shop.uow, shop.event.id)
    assert head is not None
    pdf = pypdfium2.PdfDocument(render_report_pdf(reports.build_report(shop.uow)))
    text = " ".join(pdf[0].get_textpage().get_text_range().split())
    assert f"Audit head at close: {head}" in text


def test_an_entry_without_the_details_to_replay_is_named_not_failed(shop):
    # As an older version might have written it: the order's total was not recorded.
    with shop.uow:
        audit.record(shop.uow, "order.place", "order", "Z-0001", {})
        shop.uow.commit()
    result = audit.verify(shop.uow)
    assert result.ok
    assert any("(order.place) lacks the details to replay it" in n for n in result.notes)


def test_stock_changed_in_the_tables_and_its_ledger_together_is_found(shop):
    from popup_pos.store.models import StockMovement

    _night(shop)
    order = _first_order(shop)
    with shop.uow:
        move = shop.uow.session.scalars(
            select(StockMovement).where(StockMovement.order_id == order.id)
        ).one()
        move.quantity -= 1  # one more poster "sold" by that order…
        shop.uow.session.execute(
            update(Variant).where(Variant.id == move.variant_id).values(on_hand=Variant.on_hand - 1)
        )  # …and taken off the shelf to match
        shop.uow.commit()
    result = audit.verify(shop.uow)
    assert not result.ok
    assert result.table_problems == (
        f"order {order.number} (event {order.event_id}): stock of POSTER moved -2 in the "
        "stock ledger, -1 in the log",
    )
