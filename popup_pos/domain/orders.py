"""Order statuses and the transitions allowed between them."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from popup_pos.domain.errors import InvalidTransitionError


class OrderStatus(StrEnum):
    OPEN = "open"
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


_S = OrderStatus

TRANSITIONS: Mapping[OrderStatus, frozenset[OrderStatus]] = {
    _S.OPEN: frozenset({_S.AWAITING_PAYMENT, _S.CANCELLED}),
    # Back to OPEN lets the customer change the cart after the total was shown.
    _S.AWAITING_PAYMENT: frozenset({_S.PAID, _S.CANCELLED, _S.OPEN}),
    _S.PAID: frozenset({_S.FULFILLED, _S.PARTIALLY_REFUNDED, _S.REFUNDED}),
    _S.FULFILLED: frozenset({_S.PARTIALLY_REFUNDED, _S.REFUNDED}),
    # A second partial refund keeps the status; it is the only self-transition allowed.
    _S.PARTIALLY_REFUNDED: frozenset({_S.PARTIALLY_REFUNDED, _S.REFUNDED}),
    _S.CANCELLED: frozenset(),
    _S.REFUNDED: frozenset(),
}
"""For each status, the statuses an order may move to next."""

FINAL_STATUSES: frozenset[OrderStatus] = frozenset({_S.CANCELLED, _S.REFUNDED})

RESERVES_STOCK: frozenset[OrderStatus] = frozenset({_S.AWAITING_PAYMENT})
"""Statuses that hold stock back from sale without having sold it yet."""

# Refunded orders still count as having consumed stock: putting items back on the shelf
# is a separate, per-line restock decision made when refunding.
CONSUMES_STOCK: frozenset[OrderStatus] = frozenset(
    {_S.PAID, _S.FULFILLED, _S.PARTIALLY_REFUNDED, _S.REFUNDED}
)
"""Statuses whose items have been sold and taken out of stock."""


def _label(status: OrderStatus) -> str:
    return status.value.replace("_", " ")


def can_transition(current: OrderStatus, target: OrderStatus) -> bool:
    return target in TRANSITIONS[current]


def check_transition(current: OrderStatus, target: OrderStatus) -> None:
    """Raise InvalidTransitionError unless an order in `current` may move to `target`."""
    if can_transition(current, target):
        return
    message = f"order cannot go from {_label(current)} to {_label(target)}"
    if is_final(current):
        message += f" ({_label(current)} is final)"
    raise InvalidTransitionError(message)


def is_final(status: OrderStatus) -> bool:
    return status in FINAL_STATUSES
