"""A shop in a SQLite file with more kinds of rows than the demo catalog has."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from popup_pos.store.engine import make_engine
from popup_pos.store.uow import UnitOfWork
from tests.conftest import Shop


@pytest.fixture
def shop_file(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[Shop, Path]]:
    """The demo shop in a SQLite file, with what the demo catalog lacks: tax classes, an
    archived variant and product, several options, a stock warning level."""
    path = tmp_path / "shop.sqlite"
    shutil.copy(sqlite_template, path)
    engine = make_engine(str(path))
    shop = Shop(UnitOfWork(engine))
    with engine.begin() as conn:
        for name, rate, inclusive in (("Reduced", 70_000, True), ("Standard", 80_000, False)):
            conn.execute(
                text("INSERT INTO tax_classes (name, rate_ppm, inclusive) VALUES (:n, :r, :i)"),
                {"n": name, "r": rate, "i": inclusive},
            )
        conn.execute(
            text(
                "UPDATE products SET tax_class_id = "
                "(SELECT id FROM tax_classes WHERE name = 'Reduced') WHERE handle = 'vinyl-lp'"
            )
        )
        conn.execute(
            text(
                "UPDATE products SET tax_class_id = "
                "(SELECT id FROM tax_classes WHERE name = 'Standard') WHERE handle = 'tour-tee'"
            )
        )
        conn.execute(text("UPDATE variants SET archived = 1 WHERE sku = 'TEE-XL'"))
        # The poster's product is archived, but the tee + poster pack still counts it.
        conn.execute(text("UPDATE products SET archived = 1 WHERE handle = 'poster'"))
        conn.execute(
            text(
                """UPDATE variants SET options = '{"Size": "L", "Colour": "Red", "Fit": ""}' """
                "WHERE sku = 'TEE-L'"
            )
        )
        conn.execute(text("UPDATE variants SET low_stock_at = 7 WHERE sku = 'TEE-M'"))
    yield shop, path
    engine.dispose()
