"""A unit of work whose engine is made on first use: once, by whichever thread is first."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, text

from popup_pos.store.engine import make_engine
from popup_pos.store.uow import UnitOfWork


def test_the_engine_is_made_once_on_first_use(db_url):
    made: list[Engine] = []
    gate = threading.Event()

    def make() -> Engine:
        gate.wait(5)  # hold every thread here until all of them have asked
        made.append(make_engine(db_url))
        return made[-1]

    uow = UnitOfWork(make)
    assert not uow.has_engine and made == []
    seen: list[Engine] = []
    threads = [threading.Thread(target=lambda: seen.append(uow.engine)) for _ in range(4)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join(10)
    try:
        assert len(made) == 1 and seen == made * 4 and uow.has_engine
        with uow:
            assert uow.conn.execute(text("SELECT 1")).scalar() == 1
        assert UnitOfWork(uow.engine, read_only=True).engine is made[0]
    finally:
        made[0].dispose()


def test_a_failed_make_is_tried_again(db_url):
    calls: list[int] = []

    def make() -> Engine:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk not mounted yet")
        return make_engine(db_url)

    uow = UnitOfWork(make)
    with pytest.raises(OSError, match="not mounted"):
        _ = uow.engine
    assert not uow.has_engine
    try:
        assert uow.dialect in ("sqlite", "postgresql") and len(calls) == 2
    finally:
        uow.engine.dispose()
