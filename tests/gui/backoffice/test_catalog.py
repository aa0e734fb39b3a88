"""The catalog window: filters, read-only for sellers, archive, and the register's doors."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from popup_pos.gui.backoffice import product_editor
from popup_pos.gui.backoffice.catalog import CatalogWindow
from popup_pos.services import catalog, inventory, products
from tests.gui.conftest import open_register


def _window(qtbot, shop, role="organizer") -> CatalogWindow:
    w = CatalogWindow(shop.uow, role=role, actor="Ada")
    qtbot.addWidget(w)
    return w


def test_search_and_filters(qtbot, themed, shop):
    w = _window(qtbot, shop)
    everything = w.table.rowCount()
    assert everything > 3
    w.search.setText("poster")
    assert {r.sku for r in w.shown} >= {"POSTER"}
    w.search.clear()
    w.kind.setCurrentText("experience")
    assert w.shown and all(r.kind == "experience" for r in w.shown)
    w.kind.setCurrentText("All")
    inventory.adjust(shop.uow, "POSTER", -(shop.on_hand("POSTER") - 1), "test")
    w.reload()
    w.low.setChecked(True)
    assert "POSTER" in {r.sku for r in w.shown}
    assert all(r.on_hand <= (r.low_stock_at or 3) for r in w.shown)


def test_sellers_see_it_read_only(qtbot, themed, shop):
    w = _window(qtbot, shop, role="seller")
    assert "read-only" in w.windowTitle()
    for key in ("new", "edit", "archive", "import", "count", "adjust"):
        assert not w.buttons[key].isEnabled()
    assert w.buttons["ledger"].isEnabled() and w.buttons["labels"].isEnabled()


def test_archive_and_bring_back(qtbot, themed, shop, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    w = _window(qtbot, shop)
    w.select_sku("POSTER")
    w.archive()
    assert catalog.find_by_code(shop.uow, "POSTER") is None
    assert "POSTER" not in {r.sku for r in w.shown}
    w.archived.setChecked(True)
    assert "POSTER" in {r.sku for r in w.shown}
    w.select_sku("POSTER")
    w.archive()
    assert catalog.find_by_code(shop.uow, "POSTER") is not None


def _save_on_exec(monkeypatch, fill) -> None:
    def fake_exec(self: product_editor.ProductEditor) -> int:
        fill(self)
        self.save()
        return int(self.saved is not None)

    monkeypatch.setattr(product_editor.ProductEditor, "exec", fake_exec)


def test_new_product_from_the_window(qtbot, themed, shop, monkeypatch):
    def fill(editor: product_editor.ProductEditor) -> None:
        editor.name.setText("Enamel pin")
        price = editor.table.item(0, 3)
        assert price is not None
        price.setText("8")

    _save_on_exec(monkeypatch, fill)
    w = _window(qtbot, shop)
    w.new()
    assert "ENAMEL-PIN" in {r.sku for r in w.shown}
    assert "Saved Enamel pin" in w.notice.text()


def test_save_a_custom_line_as_a_product(qtbot, themed, shop, organizer, monkeypatch):
    window = open_register(qtbot, shop, organizer)
    window.cart.add_custom(12_00, "Signed setlist")
    window.show_cart()
    _save_on_exec(monkeypatch, lambda editor: None)
    window.save_as_product()
    found = catalog.find_by_code(shop.uow, "SIGNED-SETLIST")
    assert found is not None and found.price_cents == 12_00
    assert any(v.sku == "SIGNED-SETLIST" for v in window.by_id.values())
    assert [line.sku for line in window.cart.lines] == ["SIGNED-SETLIST"]
    assert found.available is None  # no stock was typed: not tracked, as in a file


def test_edit_a_tiles_product_from_the_register(qtbot, themed, shop, organizer, monkeypatch):
    window = open_register(qtbot, shop, organizer)
    window.tiles.setCurrentIndex(window.model.index(0, 0))
    first = window.model.variant_at(0)

    def fill(editor: product_editor.ProductEditor) -> None:
        editor.name.setText(first.product_name + " (signed)")

    _save_on_exec(monkeypatch, fill)
    window.edit_tile_product()
    assert products.get(shop.uow, first.product_id).name.endswith("(signed)")


def test_an_empty_tile_grid_points_to_the_catalog(qtbot, themed):
    from popup_pos.gui.tiles import TileModel, TileView

    view = TileView(TileModel("USD"))
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    assert not view.grab().isNull()  # paints the hint without a tile to draw
    assert "Catalog (F3)" in view.EMPTY_TEXT
