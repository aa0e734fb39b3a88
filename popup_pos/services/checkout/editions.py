"""Limited-edition numbers: handed out as units are paid, returned on a refund to stock."""

from __future__ import annotations

from collections.abc import Sequence

from popup_pos.services.checkout.common import CheckoutError
from popup_pos.services.checkout.quoting import QuotedLine
from popup_pos.store import sales as sales_store
from popup_pos.store.uow import UnitOfWork


def _edition_parts(ln: QuotedLine) -> list[sales_store.EditionPart]:
    """The editions a quoted line's units are numbered in (as the store reads them)."""
    if ln.variant_id is None or ln.sku is None:
        return []
    own = [sales_store.EditionPart(ln.variant_id, ln.sku, 1)] if ln.edition_size is not None else []
    return own + [
        sales_store.EditionPart(c.variant_id, c.sku, c.per_unit)
        for c in ln.components
        if c.edition_size is not None
    ]


def _number_placed_order(uow: UnitOfWork, order_id: int) -> dict[str, list[int]]:
    """Number the limited-edition units of an order whose lines are already written."""
    order_lines = [
        (ln, ln.variant_id)
        for ln in sales_store.lines_of(uow, order_id)
        if ln.variant_id is not None
    ]
    if not order_lines:
        return {}
    parts = sales_store.edition_parts(uow, {vid for _ln, vid in order_lines})
    labels, out = _claim_editions(uow, [(parts[vid], ln.quantity) for ln, vid in order_lines])
    for (ln, _vid), label in zip(order_lines, labels, strict=True):
        if label:
            sales_store.set_edition_numbers(uow, ln.id, label)
    return out


def _claim_editions(
    uow: UnitOfWork, lines: Sequence[tuple[Sequence[sales_store.EditionPart], int]]
) -> tuple[list[str | None], dict[str, list[int]]]:
    """Number each unit of limited-edition stock, line by line: returned numbers first,
    then new ones. Each line's label (None if it has no numbers) and the numbers by SKU."""
    labels: list[str | None] = []
    out: dict[str, list[int]] = {}
    for parts, quantity in lines:
        held: list[tuple[str | None, list[int]]] = []
        for p in parts:
            nums = _take_edition_numbers(uow, p.variant_id, p.sku, p.per_unit * quantity)
            out.setdefault(p.sku, []).extend(nums)
            # A line numbered in several editions (a bundle) names each one.
            held.append((p.sku if len(parts) > 1 else None, nums))
        labels.append(_edition_label(held))
    return labels, out


def _edition_label(held: Sequence[tuple[str | None, list[int]]]) -> str | None:
    """'17,18' for one edition; 'PRINT#3;PIN#9' when the line names several."""
    text = ";".join(
        ",".join(map(str, nums)) if sku is None else f"{sku}#{','.join(map(str, nums))}"
        for sku, nums in held
        if nums
    )
    return text or None


def _parse_edition_label(text: str) -> list[tuple[str | None, list[int]]]:
    out: list[tuple[str | None, list[int]]] = []
    for part in text.split(";"):
        sku, _, nums = part.rpartition("#")
        out.append((sku or None, [int(n) for n in nums.split(",")]))
    return out


def _take_edition_numbers(uow: UnitOfWork, variant_id: int, sku: str, n: int) -> list[int]:
    nums: list[int] = []
    take_returned = sales_store.take_returned_edition
    while len(nums) < n and (got := take_returned(uow, variant_id)) is not None:
        nums.append(got)
    rest = n - len(nums)
    if rest:
        last = sales_store.advance_edition(uow, variant_id, rest)
        if last is None:
            raise CheckoutError(f"{sku}: every number of the edition has been sold")
        nums.extend(range(last - rest, last))
    return sorted(nums)
