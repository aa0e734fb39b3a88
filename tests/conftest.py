"""Shared fixtures: a migrated database per test, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import itertools
import os

# GUI tests never need a screen; set before pytest-qt creates the QApplication.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from popup_pos.store.engine import make_engine
from popup_pos.store.migrate import upgrade
from popup_pos.store.uow import UnitOfWork

PG_URL = os.environ.get("POPUP_POS_TEST_PG_URL")
_counter = itertools.count()


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches the real user data folder or an inherited database URL."""
    monkeypatch.setenv("POPUP_POS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("POPUP_POS_DB", raising=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied per test (migrating each time would be slow)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    engine = make_engine(str(path))
    upgrade(engine)
    engine.dispose()
    return path


def _admin_engine() -> Engine:
    assert PG_URL
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated PostgreSQL database used as the TEMPLATE of each test's database."""
    if not PG_URL:
        pytest.skip("POPUP_POS_TEST_PG_URL is not set: PostgreSQL variants skipped")
    name = f"popup_tpl_{os.getpid()}"
    admin = _admin_engine()
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(PG_URL).set(database=name).render_as_string(False))
    upgrade(engine)
    engine.dispose()
    yield name
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh_url(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "pos.sqlite"
        shutil.copy(template, path)
        yield str(path)
        return
    tpl: str = request.getfixturevalue("pg_template")
    name = f"popup_t_{os.getpid()}_{next(_counter)}"
    admin = _admin_engine()
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{tpl}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(False)  # type: ignore[arg-type]
    finally:
        # The audit head each commit leaves for a background writer reads the database:
        # written before it goes, not reported as a failure after.
        from popup_pos.services import audit

        audit.flush_anchors()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated, empty database URL (or SQLite path), on each database."""
    yield from _fresh_url(request.param, request, tmp_path)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine)


class Shop:
    """An open event with the demo catalog loaded and register A joined."""

    def __init__(self, uow: UnitOfWork) -> None:
        from popup_pos.services import demo, events

        demo.seed(uow)
        self.uow = uow
        self.event = events.open_event(uow, "Test night", currency="USD", float_cents=100_00)
        self.register = events.join_register(uow, "A")

    @property
    def register_id(self) -> int:
        return self.register.id

    def on_hand(self, sku: str) -> int:
        from popup_pos.services import catalog

        found = catalog.find_by_code(self.uow, sku)
        assert found is not None
        return found.on_hand


@pytest.fixture
def shop(uow: UnitOfWork) -> Shop:
    return Shop(uow)
