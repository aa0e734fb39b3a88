"""What an action changed, so each screen updates only the parts that moved."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Changes:
    """A Qt-free note of what an action (or another register) may have changed.

    `stock` is the variants whose stock moved, or True when any may have (a refund, a
    released hold, another register's sale); `queue` the order queue (awaiting payment,
    paid, parked); `tickets` the experience ticket queue; `order` the order whose state
    changed, so a screen showing it can follow; `setup` the event's terms, settings and
    Stripe connection (tips, wallets, limits, the offline banner).
    """

    stock: frozenset[int] | bool = False
    queue: bool = False
    tickets: bool = False
    order: int | None = None
    setup: bool = False

    @classmethod
    def everything(cls) -> Changes:
        return cls(stock=True, queue=True, tickets=True, setup=True)

    @classmethod
    def of_sale(cls, variant_ids: Iterable[int], order_id: int | None = None) -> Changes:
        """An order placed, paid, parked or cancelled: its variants' stock, both queues
        (an experience line makes a ticket) and the order itself."""
        return cls(stock=frozenset(variant_ids), queue=True, tickets=True, order=order_id)

    @property
    def any(self) -> bool:
        return (
            bool(self.stock) or self.queue or self.tickets or self.setup or self.order is not None
        )

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            stock=_union(self.stock, other.stock),
            queue=self.queue or other.queue,
            tickets=self.tickets or other.tickets,
            order=self.order if other.order is None else other.order,
            setup=self.setup or other.setup,
        )


QUEUE = Changes(queue=True)
TICKETS = Changes(tickets=True)
ALL_STOCK = Changes(stock=True, queue=True, tickets=True)


def _union(a: frozenset[int] | bool, b: frozenset[int] | bool) -> frozenset[int] | bool:
    if a is True or b is True:
        return True
    if not isinstance(a, frozenset):
        return b
    if not isinstance(b, frozenset):
        return a
    return a | b
