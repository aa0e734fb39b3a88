"""Random runs of sales, refunds, cancels and stock changes keep money, stock and editions right."""

from __future__ import annotations

import itertools
import shutil
from collections import Counter, defaultdict

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlalchemy import select as sql_select

from popup_pos.domain.catalog_file import ImportedVariant, ParsedCatalog
from popup_pos.domain.errors import PosError
from popup_pos.domain.pricing import Discount, Tip
from popup_pos.services import audit, catalog, checkout, events, inventory, payments
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.store.engine import make_engine
from popup_pos.store.models import (
    AuditEntry,
    BundleComponent,
    EditionReturn,
    Order,
    OrderLine,
    Payment,
    Refund,
    StockMovement,
    Variant,
)
from popup_pos.store.uow import UnitOfWork

CATALOG = ParsedCatalog(
    "native",
    [
        ImportedVariant(2, "tee", "Tee", "TEE-M", 2500, {"Size": "M"}, quantity=4,
                        tax_class="8.875"),
        ImportedVariant(3, "tee", "Tee", "TEE-L", 2500, {"Size": "L"}, quantity=2,
                        tax_class="8.875"),
        ImportedVariant(4, "print", "Numbered print", "PRINT", 4500, quantity=5,
                        edition_size=12, per_order_limit=2, tax_class="20% incl"),
        ImportedVariant(5, "poster", "Poster", "POSTER", 1499, quantity=3),
        ImportedVariant(6, "pack", "Tee + poster", "PACK", 3800,
                        components=[("TEE-M", 1), ("POSTER", 1)]),
        ImportedVariant(7, "print-pack", "Print + poster", "PRINT-PACK", 5500,
                        components=[("PRINT", 1), ("POSTER", 1)]),
        ImportedVariant(8, "download", "Download", "DL", 999, tax_class="8.875"),
    ],
)  # fmt: skip
SKUS = tuple(v.sku for v in CATALOG.variants)

discounts = (
    st.none()
    | st.builds(Discount.percent, st.integers(0, 1_000_000))
    | st.builds(Discount.amount, st.integers(0, 6000))
)
tips = (
    st.none()
    | st.builds(Tip.percent, st.integers(0, 300_000))
    | st.builds(Tip.amount, st.integers(0, 1500))
)
cart_lines = st.lists(
    st.builds(CartLine, sku=st.sampled_from(SKUS), quantity=st.integers(1, 3), discount=discounts)
    | st.builds(CartLine, quantity=st.integers(1, 2), unit_price=st.integers(1, 3000)),
    min_size=1,
    max_size=3,
)
carts = st.builds(Cart, lines=cart_lines.map(tuple), discount=discounts, tip=tips)
pick = st.integers(0, 1_000)  # an order, line or amount chosen relative to what exists

operations = st.one_of(
    st.tuples(st.just("sell"), carts, st.sampled_from(("exact", "tendered", "split", "part"))),
    st.tuples(st.just("place"), carts),
    st.tuples(st.just("pay"), pick, st.booleans()),
    st.tuples(st.just("cancel"), pick),
    st.tuples(st.just("refund_all"), pick, st.booleans()),
    st.tuples(st.just("refund_amount"), pick, st.integers(1, 5)),
    st.tuples(
        st.just("refund_lines"),
        pick,
        st.lists(st.tuples(pick, st.integers(1, 3)), min_size=1, max_size=2),
        st.booleans(),
        st.booleans(),
    ),
    st.tuples(st.just("count_in"), st.sampled_from(SKUS), st.integers(1, 5)),
    st.tuples(
        st.just("adjust"), st.sampled_from(SKUS), st.sampled_from((-4, -3, -2, -1, 1, 2, 3, 4))
    ),
)


class Till:
    """One fresh database with the test catalog, an open event and register A."""

    def __init__(self, path: str) -> None:
        self.engine = make_engine(path)
        self.uow = UnitOfWork(self.engine)
        catalog.import_catalog(self.uow, CATALOG, source="properties")
        events.open_event(self.uow, "Property night", currency="USD")
        self.register_id = events.join_register(self.uow, "A").id
        self.orders: list[int] = []

    def order(self, n: int) -> int | None:
        return self.orders[n % len(self.orders)] if self.orders else None

    def run(self, op: tuple) -> None:
        kind, *args = op
        uow = self.uow
        if kind == "sell":
            cart, how = args
            total = checkout.quote(uow, cart).totals.total
            tenders = {
                "exact": (TenderSpec("cash"),),
                "tendered": (TenderSpec("cash", tendered=total + 500),),
                "split": (TenderSpec("cash", amount=max(total // 2, 1)), TenderSpec("wallet")),
                "part": (TenderSpec("wallet", amount=max(total // 3, 1)),),
            }[how]
            self.orders.append(checkout.sell(uow, self.register_id, cart, tenders).order_id)
        elif kind == "place":
            self.orders.append(checkout.place_order(uow, self.register_id, args[0]).order_id)
        elif kind == "pay":
            n, in_full = args
            order_id = self.order(n)
            if order_id is not None:
                due = checkout.get_order(uow, order_id)
                part = max((due.total_cents - due.paid_cents) // 2, 1)
                tender = TenderSpec("wallet") if in_full else TenderSpec("cash", amount=part)
                checkout.add_payment(uow, order_id, tender)
        elif kind == "cancel":
            order_id = self.order(args[0])
            if order_id is not None:
                payments.cancel_order(uow, order_id)
        elif kind == "refund_all":
            n, to_stock = args
            order_id = self.order(n)
            if order_id is not None:
                self._check_refund(
                    payments.refund_to_tenders(uow, order_id, return_to_stock=to_stock)
                )
        elif kind == "refund_amount":
            n, quarters = args
            order_id = self.order(n)
            if order_id is not None:
                o = checkout.get_order(uow, order_id)
                # 1 to 4 quarters of what is left; 5 asks for more than is left.
                amount = max((o.paid_cents - o.refunded_cents) * quarters // 4, 1)
                self._check_refund(payments.refund_to_tenders(uow, order_id, amount_cents=amount))
        elif kind == "refund_lines":
            n, wanted, to_stock, with_amount = args
            order_id = self.order(n)
            if order_id is not None:
                o = checkout.get_order(uow, order_id)
                lines = {o.lines[i % len(o.lines)].id: qty for i, qty in wanted}
                amount = max((o.paid_cents - o.refunded_cents) // 2, 1) if with_amount else None
                result = payments.refund_to_tenders(
                    uow, order_id, lines=lines, amount_cents=amount, return_to_stock=to_stock
                )
                self._check_refund(result)
        elif kind == "count_in":
            inventory.count_in(uow, args[0], args[1])
        elif kind == "adjust":
            inventory.adjust(uow, args[0], args[1], "recount")

    @staticmethod
    def _check_refund(report: payments.RefundReport) -> None:
        result = report.result
        assert result.amount_cents > 0
        assert sum(result.by_tender.values()) == result.amount_cents


def _snapshot(uow: UnitOfWork) -> tuple:
    """Everything a refused operation must leave exactly as it was."""
    with uow:
        s = uow.session
        counts = tuple(
            s.scalar(sql_select(func.count()).select_from(model))
            for model in (Order, OrderLine, Payment, Refund, StockMovement, AuditEntry)
        )
        sums = s.execute(
            sql_select(
                sql_select(func.sum(Variant.on_hand)).scalar_subquery(),
                sql_select(func.sum(Variant.next_edition)).scalar_subquery(),
                sql_select(func.sum(Order.paid_cents)).scalar_subquery(),
                sql_select(func.sum(Order.refunded_cents)).scalar_subquery(),
                sql_select(func.sum(OrderLine.refunded_quantity)).scalar_subquery(),
                sql_select(func.count()).select_from(EditionReturn).scalar_subquery(),
            )
        ).one()
        statuses = tuple(s.scalars(sql_select(Order.status).order_by(Order.id)))
        return counts, tuple(sums), statuses


def _edition_numbers(line, variants, components) -> dict[int, list[int]]:
    """variant id -> the numbers a line holds, read from its "3,4" or "SKU#3;SKU#4" label."""
    if not line.edition_numbers:
        return {}
    out: dict[int, list[int]] = defaultdict(list)
    for part in line.edition_numbers.split(";"):
        if "#" in part:
            sku, nums = part.split("#")
            vid = next(v.id for v in variants.values() if v.sku == sku)
        else:
            nums = part
            numbered = [c for c in components.get(line.variant_id, ()) if variants[c].edition_size]
            vid = numbered[0] if variants[line.variant_id].edition_size is None else line.variant_id
        out[vid].extend(int(n) for n in nums.split(","))
    return out


def _check_invariants(uow: UnitOfWork) -> None:
    with uow:
        s = uow.session
        orders = s.scalars(sql_select(Order)).all()
        lines = defaultdict(list)
        for ln in s.scalars(sql_select(OrderLine)):
            lines[ln.order_id].append(ln)
        payments = s.scalars(sql_select(Payment)).all()
        refunds = s.scalars(sql_select(Refund)).all()
        variants = {v.id: v for v in s.scalars(sql_select(Variant))}
        components: dict[int, list[int]] = defaultdict(list)
        for c in s.scalars(sql_select(BundleComponent)):
            components[c.bundle_id].append(c.component_id)
        ledger = Counter(
            dict(
                s.execute(
                    sql_select(StockMovement.variant_id, func.sum(StockMovement.quantity)).group_by(
                        StockMovement.variant_id
                    )
                ).all()
            )
        )
        pool = defaultdict(list)
        for r in s.scalars(sql_select(EditionReturn)):
            pool[r.variant_id].append(r.number)

        refunded_by_payment: Counter[int] = Counter()
        refunded_by_order: Counter[int] = Counter()
        for refund in refunds:
            assert refund.amount_cents > 0
            refunded_by_order[refund.order_id] += refund.amount_cents
            if refund.payment_id is not None:
                refunded_by_payment[refund.payment_id] += refund.amount_cents
        paid_by_order: Counter[int] = Counter()
        for p in payments:
            assert 0 <= p.refunded_cents <= p.amount_cents, f"payment {p.id} over-refunded"
            assert refunded_by_payment[p.id] == p.refunded_cents, f"payment {p.id}"
            if p.status == "succeeded":
                paid_by_order[p.order_id] += p.amount_cents

        held: dict[int, list[int]] = defaultdict(list)
        for o in orders:
            own = lines[o.id]
            assert own, f"{o.number} has no lines"
            assert o.paid_cents == paid_by_order[o.id], o.number
            assert o.refunded_cents == refunded_by_order[o.id], o.number
            assert 0 <= o.refunded_cents <= o.paid_cents <= o.total_cents, o.number
            exclusive_tax = sum(ln.tax_cents for ln in own if not ln.tax_inclusive)
            assert o.total_cents == (
                o.subtotal_cents - o.discount_cents + exclusive_tax + o.tip_cents
            ), o.number
            assert o.total_cents == sum(ln.total_cents for ln in own) + o.tip_cents, o.number
            if o.status in ("paid", "partially_refunded", "refunded"):
                assert o.paid_cents == o.total_cents, o.number
            for ln in own:
                assert 0 <= ln.refunded_quantity <= ln.quantity
                for vid, nums in _edition_numbers(ln, variants, components).items():
                    held[vid].extend(nums)

        for vid, v in variants.items():
            assert v.on_hand >= 0, v.sku
            assert ledger[vid] == v.on_hand, f"{v.sku}: ledger {ledger[vid]} != {v.on_hand}"
            if v.edition_size is not None:
                # Every number handed out so far is on exactly one line or back in the pool.
                out = sorted(held[vid] + pool[vid])
                assert out == list(range(1, v.next_edition)), f"{v.sku} editions {out}"
            else:
                assert not pool[vid], f"{v.sku} has returned edition numbers"

    result = audit.verify(uow)
    assert result.ok, result.problem


_examples = itertools.count()


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operations, min_size=8, max_size=30))
def test_random_runs_keep_the_books(ops, sqlite_template, tmp_path):
    path = tmp_path / f"run-{next(_examples)}.sqlite"
    shutil.copy(sqlite_template, path)
    till = Till(str(path))
    try:
        _check_invariants(till.uow)
        for op in ops:
            before = _snapshot(till.uow)
            try:
                till.run(op)
            except PosError:
                event(f"{op[0]} refused")
                assert _snapshot(till.uow) == before, f"refused {op[0]} left a trace"
            else:
                event(f"{op[0]} done")
            _check_invariants(till.uow)
    finally:
        till.engine.dispose()


# ---- single cases ------------------------------------------------------------------


def _fresh_till(sqlite_template, tmp_path) -> Till:
    path = tmp_path / "till.sqlite"
    shutil.copy(sqlite_template, path)
    return Till(str(path))


def test_refunded_bundle_gives_its_edition_number_back_to_the_print(sqlite_template, tmp_path):
    till = _fresh_till(sqlite_template, tmp_path)
    uow = till.uow
    sold = checkout.sell(uow, till.register_id, Cart((CartLine("PRINT-PACK"),)))
    assert sold.edition_numbers == {"PRINT": [1]}
    line = checkout.get_order(uow, sold.order_id).lines[0]
    payments.refund_to_tenders(uow, sold.order_id, lines={line.id: 1}, return_to_stock=True)

    # The print is back on the shelf, so its number must be the next one handed out.
    again = checkout.sell(uow, till.register_id, Cart((CartLine("PRINT"),)))
    assert again.edition_numbers == {"PRINT": [1]}
    _check_invariants(uow)
    till.engine.dispose()


def test_selling_a_free_cart_marks_it_paid(sqlite_template, tmp_path):
    till = _fresh_till(sqlite_template, tmp_path)
    free = Cart((CartLine("POSTER"),), discount=Discount.percent(1_000_000))
    placed = checkout.place_order(till.uow, till.register_id, free)
    assert (placed.status, placed.total_cents) == ("paid", 0)

    sold = checkout.sell(till.uow, till.register_id, free)
    assert (sold.status, sold.total_cents, sold.paid_cents) == ("paid", 0, 0)
    _check_invariants(till.uow)
    till.engine.dispose()
