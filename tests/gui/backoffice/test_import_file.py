"""Import from the app: a preview of new, changed and unchanged, problems by row and
column, and all or nothing."""

from __future__ import annotations

from pathlib import Path

from popup_pos.gui.backoffice.import_file import ImportDialog, describe
from popup_pos.services import catalog

HEADER = "handle,sku,product,option1_name,option1_value,price,quantity,category\n"


def _dialog(qtbot, shop) -> ImportDialog:
    d = ImportDialog(shop.uow, actor="Ada")
    qtbot.addWidget(d)
    return d


def _checked(qtbot, d: ImportDialog, path: Path) -> None:
    d.check(path)
    qtbot.waitUntil(lambda: d.progress.isHidden(), timeout=20_000)


def test_preview_then_import(qtbot, themed, shop, tmp_path):
    poster = catalog.find_by_code(shop.uow, "POSTER")
    assert poster is not None
    path = tmp_path / "cat.csv"
    path.write_text(
        HEADER
        + "hoodie,HOOD-S,Hoodie,Size,S,40.00,5,Apparel\n"
        + "hoodie,HOOD-M,Hoodie,Size,M,40.00,5,Apparel\n"
        + f"poster,POSTER,{poster.product_name},,,99.00,,\n"
    )
    d = _dialog(qtbot, shop)
    _checked(qtbot, d, path)
    assert d.preview is not None, d.notice.text()
    whats = [d.table.item(r, 0).text() for r in range(d.table.rowCount())]
    assert whats.count("New variant") == 2 and "Price changes" in whats
    assert "$99.00" in d.table.item(whats.index("Price changes"), 1).text()
    assert catalog.find_by_code(shop.uow, "HOOD-S") is None  # a preview writes nothing
    assert d.import_button.isEnabled()
    d.apply()
    qtbot.waitUntil(lambda: bool(d.imported), timeout=20_000)
    found = catalog.find_by_code(shop.uow, "HOOD-M")
    assert found is not None and found.on_hand == 5


def test_problems_by_row_and_column_and_nothing_written(qtbot, themed, shop, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "cap,CAP-1,Cap,,,20.00,3,\n" + "cap,CAP-2,Cap,,,twenty,3,\n")
    d = _dialog(qtbot, shop)
    _checked(qtbot, d, path)
    assert d.preview is None
    assert d.table.item(0, 0).text() == "Row 3"
    assert "price" in d.table.item(0, 1).text()
    assert not d.import_button.isEnabled()
    assert catalog.find_by_code(shop.uow, "CAP-1") is None


def test_a_file_spoiled_after_its_preview_imports_nothing(qtbot, themed, shop, tmp_path):
    path = tmp_path / "cat.csv"
    path.write_text(HEADER + "cap,CAP-1,Cap,,,20.00,3,\n")
    d = _dialog(qtbot, shop)
    _checked(qtbot, d, path)
    assert d.import_button.isEnabled()
    path.write_text(HEADER + "cap,CAP-1,Cap,,,20.00,3,\ncap,CAP-2,Cap,,,-5,3,\n")
    d.apply()
    qtbot.waitUntil(lambda: d.progress.isHidden(), timeout=20_000)
    assert not d.imported and d.problems
    assert catalog.find_by_code(shop.uow, "CAP-1") is None


def test_report_lines_read_as_money():
    assert describe("price A: 2500 → 2000", "USD") == ("Price changes", "A: $25.00 → $20.00")
    assert describe("stock A: 1 → 2", "USD") == ("Stock changes", "A: 1 → 2")
