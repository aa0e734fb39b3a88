"""The demo catalog and demo night, kept out of a real event."""

import pytest

from popup_pos.services import catalog, demo, events
from popup_pos.services.demo import RealEventOpenError


def order_count(uow) -> int:
    return sum(n for _, n, _ in events.list_events(uow))


def test_demo_orders_are_refused_while_a_real_event_is_open(uow):
    real = events.open_event(uow, "Friday show", currency="USD", float_cents=100_00)
    with pytest.raises(RealEventOpenError, match="'Friday show' is open and is not a demo"):
        demo.seed(uow, orders=5)
    assert order_count(uow) == 0
    assert events.current_event(uow) == real
    # Nothing was loaded either: the refusal comes before the catalog.
    assert catalog.list_variants(uow) == []


def test_demo_orders_go_into_an_event_of_their_own(uow):
    first = demo.seed(uow, orders=3)
    opened = events.current_event(uow)
    assert opened is not None and opened.id == first.event_id
    assert opened.name == demo.DEMO_EVENT
    again = demo.seed(uow, orders=2)
    assert again.event_id == first.event_id
    assert [e.id for e, _, _ in events.list_events(uow)] == [first.event_id]
    assert order_count(uow) > 0


def test_the_catalog_alone_may_be_seeded_beside_a_real_event(uow):
    events.open_event(uow, "Friday show", currency="USD")
    assert demo.seed(uow).event_id is None
