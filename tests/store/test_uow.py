"""The unit of work: its engine made once on first use; several calls joined in one."""

from __future__ import annotations

import threading
from datetime import datetime

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


def _settings(uow: UnitOfWork) -> set[str]:
    with uow:
        keys = uow.conn.execute(text("SELECT key FROM settings WHERE key LIKE 't.%'"))
        return set(keys.scalars())


def _put(uow: UnitOfWork, key: str) -> None:
    from popup_pos.store import settings as settings_store

    settings_store.write(uow.session, key, {})


def test_joined_calls_are_durable_only_with_the_outer_commit(uow: UnitOfWork) -> None:
    hooks: list[str] = []
    with uow.joined():
        with uow:  # a service's own transaction, joined
            _put(uow, "t.sale")
            uow.after_commit(lambda: hooks.append("sale"))
            uow.commit()
        assert hooks == []  # its commit waits for the outer one
        with uow:  # left without a commit: its work is undone, the first call's kept
            _put(uow, "t.dropped")
            uow.after_commit(lambda: hooks.append("dropped"))
        _put(uow, "t.answer")
        uow.commit()
    assert _settings(uow) == {"t.sale", "t.answer"}
    assert hooks == ["sale"]


def test_a_failure_after_a_joined_commit_undoes_it(uow: UnitOfWork) -> None:
    with pytest.raises(RuntimeError, match="disk full"), uow.joined():
        with uow:
            _put(uow, "t.sale")
            uow.commit()
        raise RuntimeError("disk full")  # the answer could not be recorded
    assert _settings(uow) == set()
    # An ordinary unit of work again: it cannot be opened twice.
    with uow, pytest.raises(RuntimeError, match="already open"), uow:
        pass


def test_joined_calls_on_the_connection_and_the_orm_session_agree(uow: UnitOfWork) -> None:
    with uow.joined():
        with uow:  # the session is made inside a joined call
            _put(uow, "t.orm")
            uow.commit()
        with uow:
            uow.conn.execute(
                text("UPDATE settings SET updated_at = :t WHERE key = 't.orm'"),
                {"t": datetime(2026, 1, 1)},
            )
            uow.commit()
        with uow:
            _put(uow, "t.undone")
        uow.commit()
    assert _settings(uow) == {"t.orm"}
