"""`popup-pos audit verify` exits 1 with one clear line for every way the log is tampered with."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import delete, select, update

from popup_pos.cli import main
from popup_pos.services import audit
from popup_pos.store.engine import make_engine
from popup_pos.store.models import AuditEntry, Order, Payment, StockMovement, Variant
from popup_pos.store.uow import UnitOfWork


@pytest.fixture
def night(db_url, capsys) -> str:
    """A demo night of 8 orders (refunds and cancellations among them), then closed."""
    assert main(["--db", db_url, "demo", "seed", "--orders", "8"]) == 0
    assert main(["--db", db_url, "event", "close", "--counted", "0", "--cancel-unpaid"]) == 0
    out = capsys.readouterr().out
    head = next(ln for ln in out.splitlines() if ln.startswith("Audit head at close: "))
    return head.removeprefix("Audit head at close: ")


def _verify(db_url: str, capsys, *args: str) -> tuple[int, str]:
    code = main(["--db", db_url, "audit", "verify", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out + err


def _tamper(db_url: str, change: Callable[[UnitOfWork], None]) -> None:
    # The commands ran in this process: their exit would have written the anchor by now.
    assert audit.flush_anchors()
    engine = make_engine(db_url)
    try:
        uow = UnitOfWork(engine)
        with uow:
            change(uow)
            uow.commit()
    finally:
        engine.dispose()


def _newest(n: int) -> Callable[[UnitOfWork], None]:
    def change(uow: UnitOfWork) -> None:
        s = uow.session
        ids = s.scalars(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(n))
        s.execute(delete(AuditEntry).where(AuditEntry.id.in_(list(ids))))

    return change


def _rehash_from_first(uow: UnitOfWork) -> None:
    prev = audit.GENESIS
    for i, e in enumerate(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id))):
        if i == 0:
            e.data = '{"edited":true}'
        e.prev_hash = prev
        e.hash = prev = audit.entry_hash(
            prev, e.at, e.actor, e.action, e.entity, e.entity_id, e.data
        )


def _first_order(**values: int) -> Callable[[UnitOfWork], None]:
    def change(uow: UnitOfWork) -> None:
        first = uow.session.scalars(select(Order.id).order_by(Order.id)).first()
        uow.session.execute(update(Order).where(Order.id == first).values(**values))

    return change


def _first_payment(uow: UnitOfWork) -> None:
    first = uow.session.scalars(select(Payment.id).order_by(Payment.id)).first()
    uow.session.execute(update(Payment).where(Payment.id == first).values(amount_cents=1))


def _stock(uow: UnitOfWork) -> None:
    uow.session.execute(
        update(Variant).where(Variant.sku == "POSTER").values(on_hand=Variant.on_hand + 1)
    )


def _stock_and_ledger(uow: UnitOfWork) -> None:
    """The shelf count and the ledger row of a sale changed together, consistently."""
    s = uow.session
    move = s.scalars(
        select(StockMovement).where(StockMovement.order_id.is_not(None)).order_by(StockMovement.id)
    ).first()
    assert move is not None
    move.quantity -= 1
    s.execute(
        update(Variant).where(Variant.id == move.variant_id).values(on_hand=Variant.on_hand - 1)
    )


def test_an_untouched_night_is_intact(db_url, night, capsys):
    code, out = _verify(db_url, capsys, "--head", night)
    assert code == 0, out
    assert "Audit log intact" in out and "(" + night.split(":")[0] + ")" in out
    assert "Orders, payments, refunds and stock match the log." in out
    engine = make_engine(db_url)
    try:
        assert f"Head: {audit.head(UnitOfWork(engine))}" in out
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_newest(1), "1 newest entry was removed"),
        (_newest(10), "10 newest entries were removed"),
        (_newest(100_000), "entries were removed"),
        (_rehash_from_first, "the log was rewritten up to there"),
        (_first_order(total_cents=1), "total is 1 in the tables"),
        (_first_payment, "sum of its payments is 1 in the tables"),
        (_stock, "stock of POSTER"),
        (_stock_and_ledger, "in the stock ledger"),
    ],
    ids=[
        "newest",
        "newest-ten",
        "all",
        "rehashed",
        "order-total",
        "payment",
        "stock",
        "stock-and-ledger",
    ],
)
def test_each_tampering_fails_verify(db_url, night, capsys, change, message):
    _tamper(db_url, change)
    code, out = _verify(db_url, capsys)
    assert code == 1
    assert message in out


def test_a_printed_head_catches_a_trim_the_anchor_file_was_made_to_match(db_url, night, capsys):
    _tamper(db_url, _newest(3))
    engine = make_engine(db_url)
    path = audit.anchor_path(engine)
    engine.dispose()
    assert path is not None
    path.unlink()  # the anchor file deleted with the entries
    code, out = _verify(db_url, capsys, "--head", night)
    assert code == 1 and "--head says the log had" in out and "3 newest entries were removed" in out


def test_a_head_that_is_not_one_gets_one_line(db_url, night, capsys):
    code, out = _verify(db_url, capsys, "--head", "twelve")
    assert code == 1
    assert "--head: 'twelve' is not a head: write it as COUNT:HASH" in out


def test_a_backup_is_verified_with_the_head_beside_it(tmp_path, capsys):
    db = str(tmp_path / "pos.sqlite")
    assert main(["--db", db, "demo", "seed", "--orders", "3"]) == 0
    copy = tmp_path / "copy.sqlite"
    assert main(["--db", db, "backup", "--out", str(copy)]) == 0
    sidecar = tmp_path / "copy.sqlite.audit-head"
    assert sidecar.exists()
    capsys.readouterr()
    code, out = _verify(db, capsys, "--anchor", str(sidecar))
    assert code == 0, out
    _tamper(str(copy), _newest(1))
    code, out = _verify(str(copy), capsys)
    assert code == 1 and "copy.sqlite.audit-head says the log had" in out


def test_a_command_leaves_the_anchor_at_its_last_entry(tmp_path):
    import subprocess
    import sys

    db = str(tmp_path / "pos.sqlite")
    assert main(["--db", db, "demo", "seed"]) == 0
    assert audit.flush_anchors()
    # Its own process, so what it hands the anchor writer must be written before it exits.
    subprocess.run(
        [sys.executable, "-m", "popup_pos", "--db", db, "stock", "count-in", "POSTER", "2"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    engine = make_engine(db)
    try:
        assert audit.read_anchor(tmp_path / "pos.sqlite.audit-head").head == audit.head(
            UnitOfWork(engine)
        )
    finally:
        engine.dispose()
