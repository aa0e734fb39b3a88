"""Tests for the order status machine."""

from itertools import product

import pytest

from popup_pos.domain.errors import InvalidTransitionError, PosError
from popup_pos.domain.orders import (
    CONSUMES_STOCK,
    RESERVES_STOCK,
    TRANSITIONS,
    OrderStatus,
    can_transition,
    check_transition,
    is_final,
)

S = OrderStatus

ALLOWED = {
    (S.OPEN, S.AWAITING_PAYMENT),
    (S.OPEN, S.CANCELLED),
    (S.AWAITING_PAYMENT, S.PAID),
    (S.AWAITING_PAYMENT, S.CANCELLED),
    (S.AWAITING_PAYMENT, S.OPEN),
    (S.PAID, S.FULFILLED),
    (S.PAID, S.PARTIALLY_REFUNDED),
    (S.PAID, S.REFUNDED),
    (S.FULFILLED, S.PARTIALLY_REFUNDED),
    (S.FULFILLED, S.REFUNDED),
    (S.PARTIALLY_REFUNDED, S.PARTIALLY_REFUNDED),
    (S.PARTIALLY_REFUNDED, S.REFUNDED),
}
ALL_PAIRS = list(product(OrderStatus, repeat=2))


def test_status_values() -> None:
    assert [s.value for s in OrderStatus] == [
        "open",
        "awaiting_payment",
        "paid",
        "fulfilled",
        "cancelled",
        "refunded",
        "partially_refunded",
    ]


def test_table_covers_every_status() -> None:
    assert set(TRANSITIONS) == set(OrderStatus)
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_transitions_pass(current: OrderStatus, target: OrderStatus) -> None:
    check_transition(current, target)
    assert can_transition(current, target)


@pytest.mark.parametrize(("current", "target"), [pair for pair in ALL_PAIRS if pair not in ALLOWED])
def test_every_other_transition_raises(current: OrderStatus, target: OrderStatus) -> None:
    assert not can_transition(current, target)
    with pytest.raises(InvalidTransitionError) as caught:
        check_transition(current, target)
    message = str(caught.value)
    assert message.startswith(
        f"order cannot go from {current.value.replace('_', ' ')} "
        f"to {target.value.replace('_', ' ')}"
    )
    assert isinstance(caught.value, PosError)


def test_message_wording() -> None:
    with pytest.raises(InvalidTransitionError, match=r"^order cannot go from paid to open$"):
        check_transition(S.PAID, S.OPEN)
    with pytest.raises(
        InvalidTransitionError,
        match=r"^order cannot go from cancelled to paid \(cancelled is final\)$",
    ):
        check_transition(S.CANCELLED, S.PAID)


def test_self_transitions() -> None:
    for status in OrderStatus:
        assert can_transition(status, status) == (status is S.PARTIALLY_REFUNDED)


def test_final_statuses() -> None:
    assert {s for s in OrderStatus if is_final(s)} == {S.CANCELLED, S.REFUNDED}
    for status in OrderStatus:
        assert is_final(status) == (not TRANSITIONS[status])


def test_stock_statuses() -> None:
    assert {S.AWAITING_PAYMENT} == RESERVES_STOCK
    assert {S.PAID, S.FULFILLED, S.PARTIALLY_REFUNDED, S.REFUNDED} == CONSUMES_STOCK
    assert not RESERVES_STOCK & CONSUMES_STOCK
    assert S.OPEN not in RESERVES_STOCK | CONSUMES_STOCK
    assert S.CANCELLED not in RESERVES_STOCK | CONSUMES_STOCK
