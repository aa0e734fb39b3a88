"""Labels for the variants picked in the catalog, drawn on a worker."""

from __future__ import annotations

from pathlib import Path

import pypdfium2

from popup_pos.gui.backoffice import labels
from popup_pos.gui.backoffice.labels import CatalogLabelsDialog, LabelOrder


def test_copies_or_one_per_unit(qtbot, themed, shop):
    d = CatalogLabelsDialog(shop.uow, [("POSTER", 4), ("LP-NIGHTS", 0)])
    qtbot.addWidget(d)
    d.copies.setValue(2)
    assert d.order().counts == (("POSTER", 2), ("LP-NIGHTS", 2))
    d.stock_mode.setChecked(True)
    assert d.order().counts == (("POSTER", 4), ("LP-NIGHTS", 0))


def test_labels_are_drawn_on_a_worker_and_saved(qtbot, themed, shop, tmp_path, monkeypatch):
    saved: list[Path] = []

    def fake_save(parent, pdf_path: Path, *, title: str, name: str | None = None) -> str:
        target = tmp_path / "labels.pdf"
        target.write_bytes(pdf_path.read_bytes())
        saved.append(target)
        return f"{title} saved"

    monkeypatch.setattr(labels, "save_pdf", fake_save)
    d = CatalogLabelsDialog(shop.uow, [("POSTER", 3)])
    qtbot.addWidget(d)
    d.copies.setValue(3)
    d.start(save=True)
    qtbot.waitUntil(lambda: d.last is not None, timeout=20_000)
    assert d.last is not None and d.last.labels == 3
    assert saved and len(pypdfium2.PdfDocument(saved[0])) >= 1


def test_nothing_on_hand_is_said(shop, tmp_path):
    import pytest

    from popup_pos.services.printing import PrintingError

    with pytest.raises(PrintingError, match="nothing to label"):
        labels.build(shop.uow, LabelOrder((("POSTER", 0),), None), tmp_path / "x.pdf")
