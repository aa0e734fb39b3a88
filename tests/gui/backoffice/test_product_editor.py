"""The product editor: a product with sizes, an edit, problems beside their fields, and a
refused concurrent edit on both databases."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy.engine import Engine

from popup_pos.gui.backoffice.product_editor import COLUMNS, ProductEditor, parse_parts
from popup_pos.services import catalog, products
from popup_pos.store.uow import UnitOfWork

COL = {name: i for i, (_t, name) in enumerate(COLUMNS)}


def _editor(qtbot, uow, record=None, **kw) -> ProductEditor:
    editor = ProductEditor(uow, record, currency="USD", actor="Ada", **kw)
    qtbot.addWidget(editor)
    return editor


def _set(editor: ProductEditor, row: int, column: str, text: str) -> None:
    item = editor.table.item(row, COL[column])
    assert item is not None
    item.setText(text)


def test_a_product_with_sizes(qtbot, themed, shop):
    editor = _editor(qtbot, shop.uow)
    editor.name.setText("Tour hoodie")
    editor.category.setCurrentText("Apparel")
    _set(editor, 0, "price", "45")
    editor.option_values[0].setText("S, M, L")
    editor.make.click()
    assert editor.table.rowCount() == 3
    skus = [editor.table.item(r, COL["sku"]).text() for r in range(3)]
    assert skus == ["TOUR-HOODIE-S", "TOUR-HOODIE-M", "TOUR-HOODIE-L"]
    _set(editor, 2, "price", "")
    _set(editor, 1, "price", "45")  # the first price typed fills the blank ones
    assert editor.table.item(2, COL["price"]).text() == "45"
    editor.name.setText("Tour hood")  # suggested SKUs follow the name
    assert editor.table.item(0, COL["sku"]).text() == "TOUR-HOOD-S"
    for r in range(3):
        _set(editor, r, "quantity", "4")
    editor.save()
    assert editor.saved is not None, editor.notice.text()
    assert [v.price_cents for v in editor.saved.variants] == [45_00] * 3
    assert shop.on_hand("TOUR-HOOD-L") == 4
    found = catalog.find_by_code(shop.uow, "TOUR-HOOD-M")
    assert found is not None and found.options == {"Size": "M"}


def test_typing_starts_in_the_name(qtbot, themed, shop):
    editor = _editor(qtbot, shop.uow)
    editor.show()
    qtbot.waitExposed(editor)
    qtbot.keyClicks(editor.focusWidget(), "Dad cap")
    assert editor.name.text() == "Dad cap"


def test_edit_keeps_stock_and_changes_price(qtbot, themed, shop):
    row = next(r for r in products.rows(shop.uow) if r.sku == "POSTER")
    record = products.get(shop.uow, row.product_id)
    before = shop.on_hand("POSTER")
    editor = _editor(qtbot, shop.uow, record)
    stock = editor.table.item(0, COL["quantity"])
    assert not stock.flags() & Qt.ItemFlag.ItemIsEditable  # stock moves by count-in only
    _set(editor, 0, "price", "12.50")
    editor.save()
    assert editor.saved is not None, editor.notice.text()
    found = catalog.find_by_code(shop.uow, "POSTER")
    assert found is not None and found.price_cents == 12_50 and found.on_hand == before


def test_problems_are_shown_beside_the_field(qtbot, themed, shop):
    editor = _editor(qtbot, shop.uow)
    editor.name.setText("Shoutout")
    editor.kind.setCurrentText("experience")
    editor.slots.setText("8pm")
    _set(editor, 0, "price", "5")
    editor.save()
    assert editor.saved is None
    assert not editor._hints["slots"].isHidden()
    assert "20:00-21:00/5" in editor._hints["slots"].text()
    editor.slots.setText("")
    _set(editor, 0, "barcode", "x" * 70)
    editor.save()
    assert editor.saved is None
    assert "barcode" in editor.table.item(0, COL["barcode"]).toolTip()
    assert "SHOUTOUT" in editor.grid_hint.text()


def test_bundle_parts_are_read():
    assert parse_parts("TEE-M x1, POSTER x2, PIN") == (("TEE-M", 1), ("POSTER", 2), ("PIN", 1))


def test_a_later_concurrent_save_is_refused(qtbot, themed, shop, engine: Engine):
    row = next(r for r in products.rows(shop.uow) if r.sku == "POSTER")
    record = products.get(shop.uow, row.product_id)
    mine = _editor(qtbot, UnitOfWork(engine), record)
    theirs = _editor(qtbot, UnitOfWork(engine), record)
    _set(theirs, 0, "price", "30")
    theirs.save()
    assert theirs.saved is not None
    _set(mine, 0, "price", "31")
    mine.save()
    assert mine.saved is None
    assert "changed on another register" in mine.notice.text()
    assert "price of POSTER" in mine.notice.text()
    found = catalog.find_by_code(shop.uow, "POSTER")
    assert found is not None and found.price_cents == 30_00


def test_a_custom_line_prefills_name_and_price(qtbot, themed, shop):
    editor = _editor(qtbot, shop.uow, name="Signed setlist", price_cents=15_00)
    assert editor.table.item(0, COL["sku"]).text() == "SIGNED-SETLIST"
    assert editor.table.item(0, COL["price"]).text() == "$15.00"


def test_enter_in_a_field_does_not_save(qtbot, themed, shop):
    editor = _editor(qtbot, shop.uow)
    editor.show()
    qtbot.keyClicks(editor.name, "Half typed")
    qtbot.keyClick(editor.name, Qt.Key.Key_Return)
    assert editor.saved is None and editor.isVisible()


def test_a_digital_item_shows_its_code_pool(qtbot, themed, shop):
    row = next(r for r in products.rows(shop.uow) if r.sku == "DL-CARD")
    editor = _editor(qtbot, shop.uow, products.get(shop.uow, row.product_id))
    editor.show()
    assert editor.digital_note.isVisible()
    assert f"DL-CARD: {shop.on_hand('DL-CARD')}" in editor.digital_note.text()


def test_every_demo_product_opens_and_saves_unchanged(qtbot, themed, shop):
    from dataclasses import replace

    for pid in sorted({r.product_id for r in products.rows(shop.uow)}):
        record = products.get(shop.uow, pid)
        editor = _editor(qtbot, shop.uow, record)
        editor.save()
        assert editor.saved is not None, editor.notice.text()
        saved = editor.saved
        unversioned = tuple(replace(v, version=0) for v in saved.variants)
        was = tuple(replace(v, version=0) for v in record.variants)
        assert replace(saved, version=0, variants=unversioned) == replace(
            record, version=0, variants=was
        )
