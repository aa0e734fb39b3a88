"""A register killed with SIGKILL mid-sale leaves only whole, consistent sales behind."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from sqlalchemy import func, text
from sqlalchemy import select as sql_select

from popup_pos.services import audit
from popup_pos.store.models import (
    AuditEntry,
    BundleComponent,
    DownloadCode,
    Order,
    OrderLine,
    Payment,
    Refund,
    StockMovement,
    Ticket,
    Variant,
)

WORKER = Path(__file__).with_name("sale_worker.py")
SEED = 6_2026
KILLS = 8
START_TIMEOUT = 60.0
EXIT_TIMEOUT = 30.0


def _start(db_url: str, seed: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), "churn", db_url, "A", str(seed)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for_server_cleanup(uow) -> None:
    """PostgreSQL notices a dead client on its own: wait until no other session is mid-work."""
    if uow.dialect != "postgresql":
        return
    busy = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND pid <> pg_backend_pid() AND state IS DISTINCT FROM 'idle'"
        " AND backend_type = 'client backend'"
    )
    deadline = time.monotonic() + EXIT_TIMEOUT
    while True:
        with uow:
            if not uow.conn.execute(busy).scalar_one():
                return
        assert time.monotonic() < deadline, "a killed register's session never went away"
        time.sleep(0.05)


def _kill_repeatedly(db_url: str, ready) -> None:
    rng = random.Random(SEED)
    for round_ in range(KILLS):
        proc = _start(db_url, SEED + round_)
        try:
            ready(proc)
            time.sleep(rng.uniform(0.05, 0.4))  # the random moment of the power cut
            if proc.poll() is not None:
                _, err = proc.communicate(timeout=EXIT_TIMEOUT)
                raise AssertionError(f"worker failed before it was killed:\n{err.decode()}")
            proc.kill()
            proc.wait(timeout=EXIT_TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()


def _rows(conn, *cols):
    return conn.execute(sql_select(*cols)).all()


def test_killed_register_leaves_only_whole_sales(shop, db_url, worker_ready):
    uow = shop.uow
    _kill_repeatedly(db_url, worker_ready)
    _wait_for_server_cleanup(uow)

    with uow:
        conn = uow.conn
        orders = _rows(
            conn,
            Order.id,
            Order.number,
            Order.status,
            Order.subtotal_cents,
            Order.discount_cents,
            Order.tip_cents,
            Order.total_cents,
            Order.paid_cents,
            Order.refunded_cents,
        )
        lines = defaultdict(list)
        for ln in _rows(
            conn,
            OrderLine.id,
            OrderLine.order_id,
            OrderLine.variant_id,
            OrderLine.kind,
            OrderLine.quantity,
            OrderLine.tax_cents,
            OrderLine.tax_inclusive,
            OrderLine.total_cents,
        ):
            lines[ln.order_id].append(ln)
        payments = defaultdict(list)
        for p in _rows(
            conn,
            Payment.id,
            Payment.order_id,
            Payment.status,
            Payment.amount_cents,
            Payment.refunded_cents,
        ):
            payments[p.order_id].append(p)
        refunds = defaultdict(list)
        for r in _rows(conn, Refund.order_id, Refund.payment_id, Refund.amount_cents):
            refunds[r.order_id].append(r)
        moves: dict[int, Counter] = defaultdict(Counter)
        ledger: Counter = Counter()
        for m in _rows(
            conn,
            StockMovement.order_id,
            StockMovement.variant_id,
            StockMovement.kind,
            StockMovement.quantity,
        ):
            ledger[m.variant_id] += m.quantity
            if m.order_id is not None:
                moves[m.order_id][(m.kind, m.variant_id)] += m.quantity
        variants = {v.id: v for v in _rows(conn, Variant.id, Variant.on_hand, Variant.track_stock)}
        bundles = defaultdict(list)
        for c in _rows(
            conn, BundleComponent.bundle_id, BundleComponent.component_id, BundleComponent.quantity
        ):
            bundles[c.bundle_id].append(c)
        code_rows = _rows(
            conn,
            DownloadCode.variant_id,
            DownloadCode.code,
            DownloadCode.status,
            DownloadCode.order_line_id,
        )
        ticket_rows = _rows(conn, Ticket.order_line_id, Ticket.status)
        actions = Counter(
            dict(
                conn.execute(
                    sql_select(AuditEntry.action, func.count()).group_by(AuditEntry.action)
                ).all()
            )
        )

    assert orders, "the register was killed before it sold anything"
    by_status = Counter(o.status for o in orders)
    assert set(by_status) <= {"paid", "awaiting_payment", "cancelled"}
    # Killed transactions took their order number with them: the sequence has no gaps.
    assert sorted(o.number for o in orders) == [f"A-{i:04d}" for i in range(1, len(orders) + 1)]

    for o in orders:
        own = lines[o.id]
        assert own, f"{o.number} has no lines"
        assert o.total_cents == sum(ln.total_cents for ln in own) + o.tip_cents, o.number
        exclusive_tax = sum(ln.tax_cents for ln in own if not ln.tax_inclusive)
        assert o.total_cents == (
            o.subtotal_cents - o.discount_cents + exclusive_tax + o.tip_cents
        ), o.number

        taken: Counter = Counter()
        for ln in own:
            if ln.variant_id is None:
                continue
            for c in bundles.get(ln.variant_id, ()):
                if variants[c.component_id].track_stock:
                    taken[c.component_id] += c.quantity * ln.quantity
            if ln.variant_id not in bundles and variants[ln.variant_id].track_stock:
                taken[ln.variant_id] += ln.quantity
        sold = {vid: -q for (kind, vid), q in moves[o.id].items() if kind == "sale" and q}
        returned = {vid: q for (kind, vid), q in moves[o.id].items() if kind == "sale_cancel" and q}
        assert {k for k, _ in moves[o.id]} <= {"sale", "sale_cancel"}, o.number
        assert sold == dict(taken), o.number

        succeeded = [p for p in payments[o.id] if p.status == "succeeded"]
        assert sum(p.amount_cents for p in succeeded) == o.paid_cents, o.number
        handed_back = sum(r.amount_cents for r in refunds[o.id])
        if o.status == "paid":
            assert o.paid_cents == o.total_cents, o.number
            assert not returned and not handed_back and not o.refunded_cents, o.number
        elif o.status == "awaiting_payment":
            assert o.paid_cents < o.total_cents, o.number
            assert not returned and not handed_back, o.number
        else:
            assert returned == sold, o.number  # the reservation went back on the shelf
            assert handed_back == o.paid_cents == o.refunded_cents, o.number
            assert all(p.refunded_cents == p.amount_cents for p in succeeded), o.number

    # Digital lines of paid orders got one code per unit, nobody else got any, and a
    # code was never handed out twice; experience lines hold one ticket per unit.
    status_of = {o.id: o.status for o in orders}
    codes_of: Counter = Counter(c.order_line_id for c in code_rows if c.status == "assigned")
    tickets_of: dict[int, Counter] = defaultdict(Counter)
    for t in ticket_rows:
        tickets_of[t.order_line_id][t.status] += 1
    assert len({c.code for c in code_rows}) == len(code_rows)
    for own in lines.values():
        for ln in own:
            status = status_of[ln.order_id]
            expect = ln.quantity if status == "paid" else 0
            assert codes_of[ln.id] == (expect if ln.kind == "digital" else 0), ln
            if ln.kind == "experience":
                want = {"paid": "waiting", "awaiting_payment": "held"}.get(status, "cancelled")
                assert tickets_of[ln.id] == Counter({want: ln.quantity}), ln
    digital = {ln.variant_id for own in lines.values() for ln in own if ln.kind == "digital"}
    for vid in digital:
        unused = sum(1 for c in code_rows if c.variant_id == vid and c.status == "unused")
        held = sum(
            ln.quantity
            for own in lines.values()
            for ln in own
            if ln.variant_id == vid and status_of[ln.order_id] == "awaiting_payment"
        )
        assert variants[vid].on_hand == unused - held

    for vid, v in variants.items():
        assert v.on_hand >= 0
        assert ledger[vid] == v.on_hand, f"variant {vid}: ledger {ledger[vid]} != {v.on_hand}"

    result = audit.verify(uow)
    assert result.ok, result.problem
    assert actions["order.place"] == len(orders)
    assert actions["order.paid"] == by_status["paid"]
    assert actions["order.cancel"] == by_status["cancelled"]
