"""What an action changed: merging notes and asking whether anything changed."""

from __future__ import annotations

from popup_pos.services.changes import ALL_STOCK, QUEUE, TICKETS, Changes


def test_nothing_by_default():
    assert not Changes().any
    assert Changes(order=7).any
    assert Changes(stock=frozenset({1})).any
    assert not Changes(stock=frozenset()).any


def test_merging_unions_the_variants_and_keeps_the_flags():
    merged = Changes(stock=frozenset({1}), order=3) | Changes(stock=frozenset({2})) | TICKETS
    assert merged == Changes(stock=frozenset({1, 2}), tickets=True, order=3)
    assert (QUEUE | Changes(order=4)).order == 4


def test_all_stock_wins_over_some():
    assert (Changes(stock=frozenset({1})) | ALL_STOCK).stock is True
    assert (ALL_STOCK | Changes(stock=frozenset({1}))).stock is True
    assert (Changes(setup=True) | QUEUE) == Changes(queue=True, setup=True)


def test_a_sale_touches_its_variants_both_queues_and_the_order():
    sale = Changes.of_sale([5, 6, 5], order_id=9)
    assert sale == Changes(stock=frozenset({5, 6}), queue=True, tickets=True, order=9)
    everything = Changes.everything()
    assert everything.stock is True and everything.setup and everything.queue and everything.tickets
