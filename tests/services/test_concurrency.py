"""Registers racing for the same stock, order numbers and audit chain, on every database."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlalchemy import select as sql_select
from sqlalchemy.exc import OperationalError

from popup_pos.services import audit, catalog, checkout, events, inventory, payments
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store.engine import make_engine
from popup_pos.store.models import AuditEntry, Order, OrderLine, StockMovement, Variant
from popup_pos.store.uow import UnitOfWork

WORKER = Path(__file__).with_name("sale_worker.py")
ATTEMPTS = 50
START_TIMEOUT = 60.0
RUN_TIMEOUT = 120.0
# What `take` does to one unit, written out so the test can pause between two of them.
TAKE_ONE = text("UPDATE variants SET on_hand = on_hand - 1 WHERE sku = :sku AND on_hand >= 1")


def _start(db_url: str, register: str, sku: str, attempts: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), "race", db_url, register, sku, str(attempts)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _race(
    db_url: str, registers: tuple[str, str], sku: str, ready, attempts: int = ATTEMPTS
) -> list[dict[str, object]]:
    """Run one worker per register, release them together, and collect what each sold."""
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for code in registers:
            procs.append(_start(db_url, code, sku, attempts))
        for proc in procs:
            ready(proc)
        # Every worker is connected and blocked on its stdin: one write each starts them.
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write(b"go\n")
            proc.stdin.flush()
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=RUN_TIMEOUT)
            assert proc.returncode == 0, err.decode()
            results.append(json.loads(out))
        return results
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream is not None and not stream.closed:
                    stream.close()


def _audit_actions(uow, action: str) -> int:
    with uow:
        return uow.session.scalar(
            sql_select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
        )


def _assert_chain_did_not_fork(uow, edited_behind_the_app: bool = False) -> None:
    result = audit.verify(uow)
    if edited_behind_the_app:
        # The chain holds; what was changed in the tables without it is named.
        assert result.broken_id is None and not result.anchor_problems
        assert result.table_problems and "stock of ZINE-DL" in result.table_problems[0]
    else:
        assert result.ok, (result.problem, result.anchor_problems, result.table_problems)
    with uow:
        total, distinct_prev = uow.session.execute(
            sql_select(func.count(), func.count(func.distinct(AuditEntry.prev_hash)))
        ).one()
    assert result.checked == total
    assert distinct_prev == total  # no two entries claim the same predecessor


def test_two_registers_race_for_the_last_prints(shop, db_url, worker_ready):
    uow = shop.uow
    events.join_register(uow, "B")
    inventory.adjust(uow, "PRINT-LTD", -45, "only five came on the van")
    assert shop.on_hand("PRINT-LTD") == 5

    results = _race(db_url, ("A", "B"), "PRINT-LTD", worker_ready)

    sold = [s for r in results for s in r["sold"]]
    assert len(sold) == 5
    assert sum(r["refused"] for r in results) == 2 * ATTEMPTS - 5
    assert shop.on_hand("PRINT-LTD") == 0
    assert inventory.ledger_sum(uow, "PRINT-LTD") == 0

    with uow:
        s = uow.session
        variant = s.scalars(sql_select(Variant).where(Variant.sku == "PRINT-LTD")).one()
        ledger = s.scalars(
            sql_select(StockMovement.quantity)
            .where(StockMovement.variant_id == variant.id)
            .order_by(StockMovement.id)
        ).all()
        # Replayed in the order written, the count never dipped below zero.
        assert min(itertools.accumulate(ledger)) >= 0
        sales = s.scalars(
            sql_select(StockMovement.quantity).where(
                StockMovement.variant_id == variant.id, StockMovement.kind == "sale"
            )
        ).all()
        assert sales == [-1] * 5
        assert variant.next_edition == 6
        numbers = s.scalars(sql_select(Order.number)).all()
        statuses = set(s.scalars(sql_select(Order.status)))
        line_editions = s.scalars(
            sql_select(OrderLine.edition_numbers).where(OrderLine.variant_id == variant.id)
        ).all()

    editions = [n for r in sold for n in r["editions"]]
    assert len(editions) == 5
    assert len(set(editions)) == 5
    assert all(1 <= n <= 50 for n in editions)
    assert sorted(int(e) for e in line_editions) == sorted(editions)

    reported = [r["number"] for r in sold]
    assert len(set(reported)) == 5
    assert sorted(numbers) == sorted(reported)  # refused sales left no order behind
    assert statuses == {"paid"}

    assert _audit_actions(uow, "order.place") == 5
    assert _audit_actions(uow, "order.paid") == 5
    _assert_chain_did_not_fork(uow)


@pytest.mark.parametrize("registers", [("A", "B"), ("A", "A")], ids=["two-registers", "shared"])
def test_concurrent_sales_keep_numbers_and_audit_chain(shop, db_url, registers, worker_ready):
    uow = shop.uow
    events.join_register(uow, "B")

    # DL-CARD is not stock-tracked, so every sale succeeds and all of them contend.
    results = _race(db_url, registers, "DL-CARD", worker_ready)

    sold = [s["number"] for r in results for s in r["sold"]]
    assert len(sold) == 2 * ATTEMPTS
    assert all(r["refused"] == 0 for r in results)
    expected = sorted(
        f"{code}-{seq:04d}"
        for code in set(registers)
        for seq in range(1, 1 + ATTEMPTS * registers.count(code))
    )
    assert sorted(sold) == expected  # unique, and no number skipped
    with uow:
        stored = uow.session.scalars(sql_select(Order.number)).all()
    assert sorted(stored) == expected
    assert _audit_actions(uow, "order.place") == 2 * ATTEMPTS
    assert _audit_actions(uow, "order.paid") == 2 * ATTEMPTS
    _assert_chain_did_not_fork(uow)


def _wait_until_blocked(engine, worker: threading.Thread) -> None:
    """Until the worker's session waits on a row lock held by the test."""
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        with engine.connect() as conn:
            if conn.execute(waiting).scalar_one():
                return
        assert worker.is_alive(), "the refund or cancel never touched the held stock row"
        assert time.monotonic() < deadline, "the refund or cancel never reached the stock rows"
        time.sleep(0.01)


@pytest.mark.parametrize("action", ["refund", "cancel"])
def test_putting_stock_back_never_deadlocks_with_a_sale(shop, db_url, action):
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite runs one write transaction at a time: there are no row locks")
    uow = shop.uow
    # Lines in the order the customer picked them, the higher variant id first.
    poster, tee = (catalog.find_by_code(uow, sku) for sku in ("POSTER", "TEE-M"))
    assert poster.id > tee.id
    cart = Cart((CartLine("POSTER"), CartLine("TEE-M")))
    if action == "refund":
        order = checkout.sell(uow, shop.register_id, cart)
    else:
        order = checkout.place_order(uow, shop.register_id, cart)
    other = make_engine(db_url)
    outcome: dict[str, object] = {}

    def put_back() -> None:
        register = UnitOfWork(other)
        try:
            if action == "refund":
                payments.refund_to_tenders(register, order.order_id, return_to_stock=True)
            else:
                payments.cancel_order(register, order.order_id)
        except Exception as exc:
            outcome["error"] = exc

    # A sale on another register is half-way through _reserve: it holds TEE-M (the
    # lower id) and is about to take POSTER, as the fixed id order says it must.
    sale = make_engine(db_url)
    worker = threading.Thread(target=put_back)
    try:
        with sale.connect() as conn, conn.begin():
            conn.execute(TAKE_ONE, {"sku": "TEE-M"})
            worker.start()
            _wait_until_blocked(sale, worker)
            try:
                conn.execute(TAKE_ONE, {"sku": "POSTER"})
            except OperationalError as exc:
                outcome["sale error"] = exc
            conn.rollback()
        worker.join(RUN_TIMEOUT)
        assert not worker.is_alive()
    finally:
        if worker.ident is not None:
            worker.join(RUN_TIMEOUT)
        sale.dispose()
        other.dispose()
    assert outcome == {}, f"deadlock between a sale and a {action}: {outcome}"
    for sku in ("POSTER", "TEE-M"):
        assert inventory.ledger_sum(uow, sku) == shop.on_hand(sku)


# ---- download codes ------------------------------------------------------------------------

ZINE = "handle,sku,product,price,kind\nzine-download,ZINE-DL,Zine (download),5.00,digital\n"


def _zine_with_codes(shop, tmp_path, codes: list[str]) -> None:
    from popup_pos.importers.reader import read_catalog
    from popup_pos.services import codes as code_service

    src = tmp_path / "zine.csv"
    src.write_text(ZINE)
    catalog.import_catalog(shop.uow, read_catalog(src, currency="USD"), source=str(src))
    pool = tmp_path / "codes.txt"
    pool.write_text("\n".join(codes) + "\n")
    code_service.import_codes(shop.uow, "ZINE-DL", pool)


def _assigned(uow) -> list[tuple[str, int | None, str]]:
    from popup_pos.store.models import DownloadCode

    with uow:
        return [
            tuple(r)
            for r in uow.conn.execute(
                sql_select(DownloadCode.code, DownloadCode.order_line_id, DownloadCode.status)
                .join(Variant, Variant.id == DownloadCode.variant_id)
                .where(Variant.sku == "ZINE-DL")
            )
        ]


@pytest.mark.parametrize("pool_edited_behind_the_app", [False, True], ids=["stock", "pool"])
def test_two_registers_assign_a_pool_of_three_codes_to_ten_orders(
    shop, db_url, worker_ready, tmp_path, pool_edited_behind_the_app
):
    """Exactly 3 orders get a code and no code goes out twice, whether the stock count
    stops the fourth sale (`stock`) or, with the count wrong, the claim itself does (`pool`)."""
    _zine_with_codes(shop, tmp_path, ["ZA-1", "ZB-2", "ZC-3"])
    if pool_edited_behind_the_app:
        with shop.uow as u:
            u.conn.execute(text("UPDATE variants SET on_hand = 10 WHERE sku = 'ZINE-DL'"))
            u.commit()
    results = _race(db_url, ("A", "B"), "ZINE-DL", worker_ready, attempts=5)

    sold = [s for r in results for s in r["sold"]]
    handed = [c for s in sold for c in s["codes"]]
    assert len(sold) == 3 and sorted(handed) == ["ZA-1", "ZB-2", "ZC-3"]
    assert sum(r["refused"] for r in results) == 7
    rows = _assigned(shop.uow)
    assert all(status == "assigned" for _c, _line, status in rows)
    assert len({line for _c, line, _s in rows}) == 3  # three different order lines
    with shop.uow as u:
        paid = u.conn.execute(
            sql_select(func.count())
            .select_from(OrderLine)
            .join(Order, Order.id == OrderLine.order_id)
            .where(OrderLine.sku == "ZINE-DL", Order.status == "paid")
        ).scalar_one()
    assert paid == 3
    if not pool_edited_behind_the_app:
        assert shop.on_hand("ZINE-DL") == 0
        assert inventory.ledger_sum(shop.uow, "ZINE-DL") == 0
    _assert_chain_did_not_fork(shop.uow, pool_edited_behind_the_app)


# ---- experience places ----------------------------------------------------------------------


def _three_slots_from_now() -> str:
    """A plan of three slots starting soon, inside tonight whatever the time of day."""
    now = datetime.now().astimezone()
    start, minutes = now + timedelta(minutes=10), 10
    if now.hour < 6 <= (start + timedelta(minutes=30)).hour:
        # Just before 06:00 a new night begins: keep the slots in this one.
        start, minutes = now + timedelta(minutes=1), 1
    end = start + timedelta(minutes=3 * minutes)
    return f"{start:%H:%M}-{end:%H:%M}/{minutes}"


@pytest.mark.parametrize("rule", ["capacity", "slots"])
def test_two_registers_never_overbook_an_experience(shop, db_url, worker_ready, rule):
    from popup_pos.domain.catalog_file import ImportedVariant, ParsedCatalog
    from popup_pos.store.models import Ticket

    kw = {"capacity": 3} if rule == "capacity" else {"slots": _three_slots_from_now()}
    experience = ImportedVariant(
        row=2, handle="booth", product_name="Booth", sku="BOOTH", price=500, kind="experience", **kw
    )
    catalog.import_catalog(shop.uow, ParsedCatalog("native", [experience]), source="test")
    results = _race(db_url, ("A", "B"), "BOOTH", worker_ready, attempts=5)

    assert sum(len(r["sold"]) for r in results) == 3
    assert sum(r["refused"] for r in results) == 7
    with shop.uow as u:
        rows = u.conn.execute(sql_select(Ticket.status, Ticket.slot_at)).all()
    assert [status for status, _slot in rows] == ["waiting"] * 3
    slots = [slot for _status, slot in rows]
    if rule == "capacity":
        assert slots == [None] * 3
    else:
        assert None not in slots and len(set(slots)) == 3
    _assert_chain_did_not_fork(shop.uow)
