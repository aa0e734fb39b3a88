"""A demo-catalog SQLite file with an open event, and `run` to call the command on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from popup_pos.cli import main
from popup_pos.services import checkout, events
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store.engine import make_engine
from popup_pos.store.uow import UnitOfWork


class Shop:
    """A SQLite file with the demo catalog, an open event and register A."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.engine = make_engine(path)
        self.uow = UnitOfWork(self.engine)
        events.open_event(self.uow, "Test night", currency="USD", float_cents=0)
        self.register_id = events.join_register(self.uow, "A").id

    def sell(self, *lines: CartLine, now: datetime | None = None) -> checkout.OrderResult:
        return checkout.sell(self.uow, self.register_id, Cart(lines), now=now)


@pytest.fixture
def shop(tmp_path) -> Iterator[Shop]:
    path = str(tmp_path / "pos.sqlite")
    assert main(["--db", path, "demo", "seed"]) == 0  # migrates and loads the demo catalog
    shop = Shop(path)
    yield shop
    shop.engine.dispose()


@pytest.fixture
def run(shop, capsys) -> Callable[..., tuple[int, str, str]]:
    capsys.readouterr()

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", shop.path, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run
