"""Download-code pools: import, atomic assignment at payment, voiding on refund."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, insert, select, update

from popup_pos.store.models import DownloadCode, OrderLine, Product, Variant, table_of
from popup_pos.store.records import all_of
from popup_pos.store.uow import UnitOfWork

codes, lines = table_of(DownloadCode), table_of(OrderLine)
variants, products = table_of(Variant), table_of(Product)


class LineCode(NamedTuple):
    """A download code given to an order line, and whether it is still good."""

    code: str
    status: str


class CodePool(NamedTuple):
    """A digital variant's pool, counted."""

    sku: str
    name: str
    on_hand: int
    unused: int
    assigned: int
    void: int


def existing(uow: UnitOfWork, variant_id: int, candidates: Iterable[str]) -> set[str]:
    """Which of these codes the variant's pool already holds (in any state)."""
    conn = uow.conn
    wanted = list(set(candidates))
    found: set[str] = set()
    # In chunks, so a pool of thousands never builds one huge IN list.
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        found.update(
            conn.execute(
                select(codes.c.code).where(
                    codes.c.variant_id == variant_id, codes.c.code.in_(chunk)
                )
            ).scalars()
        )
    return found


def add(uow: UnitOfWork, variant_id: int, new: Sequence[str], now: datetime) -> None:
    conn = uow.conn
    if new:
        conn.execute(
            insert(codes),
            [
                {"variant_id": variant_id, "code": c, "status": "unused", "imported_at": now}
                for c in new
            ],
        )


def assign(
    uow: UnitOfWork, variant_id: int, order_line_id: int, n: int, now: datetime
) -> list[str]:
    """Give n unused codes to an order line; fewer come back only if the pool is short.

    The claim is the UPDATE's `status = 'unused'` condition, so a code can never go to
    two lines. On PostgreSQL, SKIP LOCKED lets two registers paying at once take different
    codes instead of one waiting on the other's row; SQLite runs one writer at a time.
    """
    conn = uow.conn
    pick = (
        select(codes.c.id)
        .where(codes.c.variant_id == variant_id, codes.c.status == "unused")
        .order_by(codes.c.id)
        .limit(n)
    )
    if conn.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = list(conn.execute(pick).scalars())
    if not ids:
        return []
    got = conn.execute(
        update(codes)
        .where(codes.c.id.in_(ids), codes.c.status == "unused")
        .values(status="assigned", order_line_id=order_line_id, assigned_at=now)
        .returning(codes.c.id, codes.c.code)
    ).all()
    return [code for _id, code in sorted(got)]


def of_lines(uow: UnitOfWork, line_ids: Iterable[int]) -> dict[int, list[LineCode]]:
    """Each line's codes, in the order they were given."""
    conn = uow.conn
    ids = sorted(set(line_ids))
    out: dict[int, list[LineCode]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = conn.execute(
        select(codes.c.order_line_id, codes.c.code, codes.c.status)
        .where(codes.c.order_line_id.in_(ids))
        .order_by(codes.c.id)
    )
    for line_id, code, status in rows:
        out[line_id].append(LineCode(code, status))
    return out


def void_last(uow: UnitOfWork, order_line_id: int, n: int, now: datetime) -> list[str]:
    """Void the line's last n assigned codes; they are never handed out again."""
    conn = uow.conn
    ids = list(
        conn.execute(
            select(codes.c.id)
            .where(codes.c.order_line_id == order_line_id, codes.c.status == "assigned")
            .order_by(codes.c.id.desc())
            .limit(n)
        ).scalars()
    )
    if not ids:
        return []
    rows = conn.execute(
        update(codes)
        .where(codes.c.id.in_(ids))
        .values(status="void", voided_at=now)
        .returning(codes.c.code)
    ).scalars()
    return list(rows)


def pools(uow: UnitOfWork) -> list[CodePool]:
    """Every digital variant with its pool counted: sku, name, on_hand, unused, assigned, void."""
    conn = uow.conn
    counted = (
        select(
            codes.c.variant_id,
            func.count().filter(codes.c.status == "unused").label("unused"),
            func.count().filter(codes.c.status == "assigned").label("assigned"),
            func.count().filter(codes.c.status == "void").label("void"),
        )
        .group_by(codes.c.variant_id)
        .subquery()
    )
    return all_of(
        CodePool,
        conn.execute(
            select(
                variants.c.sku,
                products.c.name,
                variants.c.on_hand,
                func.coalesce(counted.c.unused, 0).label("unused"),
                func.coalesce(counted.c.assigned, 0).label("assigned"),
                func.coalesce(counted.c.void, 0).label("void"),
            )
            .join_from(variants, products, products.c.id == variants.c.product_id)
            .outerjoin(counted, counted.c.variant_id == variants.c.id)
            .where(products.c.kind == "digital", variants.c.archived.is_(False))
            .order_by(variants.c.sku)
        ),
    )
