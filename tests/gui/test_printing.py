"""Printing from the register: the labels dialog, receipts and the no-printer fallback."""

import os
import stat
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from popup_pos.gui import printing as gui_printing
from popup_pos.gui.printing import LabelsDialog, print_pdf, receipt_action
from popup_pos.services import checkout, settings
from popup_pos.services.checkout import Cart, CartLine

LEFT = Qt.MouseButton.LeftButton
# The offscreen platform says so for every dialog shown; it is not a fault of ours.
pytestmark = pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")


@pytest.fixture
def no_printer(monkeypatch):
    """A laptop with no printer and no print command, whatever the test machine has."""
    monkeypatch.setattr(gui_printing, "_printer_names", list)
    monkeypatch.setattr(gui_printing, "_spooler", lambda: None)


@pytest.fixture
def save_to(monkeypatch, tmp_path):
    """Answer the Save dialog with a file in tmp_path; records what it suggested."""
    target = tmp_path / "out" / "saved"
    target.parent.mkdir()
    asked: list[str] = []

    def answer(parent, caption, suggested, filters):
        asked.append(suggested)
        return str(target), filters

    monkeypatch.setattr(gui_printing.QFileDialog, "getSaveFileName", answer)
    return target.with_suffix(".pdf"), asked


class _Answer:
    """Clicks a button of the next message box shown: it runs its own event loop, so the
    test cannot reach it except from a timer. A box without that button is closed after
    a few seconds, so a wrong guess fails the test instead of hanging it."""

    def __init__(self, button_text: str) -> None:
        self.button_text = button_text
        self.seen: list[str] = []
        self.looks = 0
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._look)
        self.timer.start()

    def _look(self) -> None:
        self.looks += 1
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                buttons = widget.findChildren(QPushButton)
                wanted = [b for b in buttons if b.text().replace("&", "") == self.button_text]
                if wanted or self.looks > 250:
                    self.timer.stop()
                    self.seen.append(widget.text())
                    wanted[0].click() if wanted else widget.reject()
                return


def _pdf(path: Path) -> pdfium.PdfDocument:
    assert path.read_bytes()[:5] == b"%PDF-"
    return pdfium.PdfDocument(path)


def _shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_no_printer_offers_saving_and_saves_the_pdf(qtbot, tmp_path, no_printer, save_to):
    target, _asked = save_to
    source = tmp_path / "made.pdf"
    source.write_bytes(b"%PDF-1.4\n% a stand-in\n%%EOF\n")
    parent = QWidget()
    qtbot.addWidget(parent)
    answer = _Answer("Save as PDF…")
    message = print_pdf(parent, source, title="Receipt A-0001")
    assert answer.seen == ["No printer is set up on this laptop."]
    assert target.read_bytes()[:4] == b"%PDF"
    assert message == f"Receipt A-0001 saved to {target}"
    if os.name == "posix":  # owner-only, like every document the app writes
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_no_printer_and_no_save_says_so_in_one_line(qtbot, tmp_path, no_printer):
    source = tmp_path / "made.pdf"
    source.write_bytes(b"%PDF-1.4\n%%EOF\n")
    parent = QWidget()
    qtbot.addWidget(parent)
    answer = _Answer("Cancel")
    message = print_pdf(parent, source, title="Receipt A-0001")
    assert answer.seen == ["No printer is set up on this laptop."]
    assert message == "Receipt A-0001 not printed: no printer is set up on this laptop"


def test_a_printer_gets_the_pdf_through_lp_at_actual_size(qtbot, tmp_path, monkeypatch):
    sent: list[list[str]] = []

    class Done:
        returncode = 0
        stdout = "request id is Labels-7 (1 file(s))"
        stderr = ""

    def run(cmd, **kwargs):
        sent.append(cmd)
        return Done()

    monkeypatch.setattr(gui_printing, "_printer_names", lambda: ["Labels"])
    monkeypatch.setattr(gui_printing, "_spooler", lambda: "/usr/bin/lp")
    monkeypatch.setattr(gui_printing, "_choose_printer", lambda *a: ("Labels", 2))
    monkeypatch.setattr(gui_printing.subprocess, "run", run)
    source = tmp_path / "made.pdf"
    source.write_bytes(b"%PDF-1.4\n%%EOF\n")
    parent = QWidget()
    qtbot.addWidget(parent)
    message = print_pdf(parent, source, title="3 labels")
    assert message == "3 labels ×2 sent to Labels"
    assert sent == [
        [
            "/usr/bin/lp",
            *("-t", "3 labels", "-n", "2"),
            *("-o", "fit-to-page=false", "-o", "print-scaling=none"),
            *("-d", "Labels", "--", str(source)),
        ]
    ]


def test_a_refusing_printer_offers_saving(qtbot, tmp_path, monkeypatch, save_to):
    class Refused:
        returncode = 1
        stdout = ""
        stderr = "lp: Error - no default destination available.\n"

    monkeypatch.setattr(gui_printing, "_printer_names", list)
    monkeypatch.setattr(gui_printing, "_spooler", lambda: "/usr/bin/lp")
    monkeypatch.setattr(gui_printing.subprocess, "run", lambda cmd, **kw: Refused())
    source = tmp_path / "made.pdf"
    source.write_bytes(b"%PDF-1.4\n%%EOF\n")
    parent = QWidget()
    qtbot.addWidget(parent)
    answer = _Answer("Save as PDF…")
    message = print_pdf(parent, source, title="Receipt A-0001")
    assert answer.seen == ["The print system said: Error - no default destination available."]
    assert message.startswith("Receipt A-0001 saved to ")


def test_labels_dialog_builds_tee_m_times_three_on_a_worker(qtbot, shop, no_printer, save_to):
    target, asked = save_to
    dialog = _shown(qtbot, LabelsDialog(shop.uow, None, sku="TEE-M"))
    assert dialog.skuEdit.text() == "TEE-M"
    assert "Tour tee 2026" in dialog.skuHint.text()
    assert dialog.templateCombo.currentText() == "avery-5160"
    dialog.copiesSpin.setValue(3)
    qtbot.mouseClick(dialog.saveButton, LEFT)
    assert not dialog.saveButton.isEnabled()  # the worker has it
    qtbot.waitUntil(lambda: dialog.last_result is not None and dialog.saveButton.isEnabled())
    assert dialog.last_result is not None
    assert (dialog.last_result.labels, dialog.last_result.pages) == (3, 1)
    assert Path(asked[0]).name == "labels-TEE-M.pdf"
    assert len(_pdf(target)) == 1
    assert dialog.notice.property("level") == "info"
    assert str(target) in dialog.notice.toolTip()


def test_labels_dialog_template_defaults_to_the_settings(qtbot, shop):
    prefs = settings.get(shop.uow, "printing")
    settings.put(shop.uow, "printing", {**prefs, "label_template": "dymo-30334"})
    dialog = _shown(qtbot, LabelsDialog(shop.uow, None))
    assert dialog.templateCombo.currentText() == "dymo-30334"


def test_labels_dialog_prints_all_stock_and_falls_back_to_saving(qtbot, shop, no_printer, save_to):
    target, asked = save_to
    dialog = _shown(qtbot, LabelsDialog(shop.uow, None))
    dialog.allStockCheck.setChecked(True)
    assert not dialog.skuEdit.isEnabled()
    answer = _Answer("Save as PDF…")
    qtbot.mouseClick(dialog.printButton, LEFT)
    qtbot.waitUntil(lambda: dialog.printButton.isEnabled() and bool(dialog.last_message))
    assert answer.seen == ["No printer is set up on this laptop."]
    assert Path(asked[0]).name == "labels-stock.pdf"
    assert dialog.last_result is not None
    assert len(_pdf(target)) == dialog.last_result.pages >= 1


def test_labels_dialog_errors_inline(qtbot, shop):
    dialog = _shown(qtbot, LabelsDialog(shop.uow, None, sku="NO-SUCH"))
    qtbot.mouseClick(dialog.printButton, LEFT)
    qtbot.waitUntil(lambda: dialog.notice.property("level") == "error")
    assert "no variant with SKU 'NO-SUCH'" in dialog.notice.toolTip()
    assert dialog.printButton.isEnabled()
    dialog.skuEdit.clear()
    qtbot.mouseClick(dialog.printButton, LEFT)
    assert dialog.notice.toolTip() == "Scan or type the SKU to label first"


def test_receipt_action_saves_a_sold_orders_receipt(qtbot, shop, no_printer, save_to):
    target, asked = save_to
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))
    parent = QWidget()
    qtbot.addWidget(parent)
    said: list[tuple[str, str]] = []
    answer = _Answer("Save as PDF…")
    receipt_action(shop.uow, parent, sold.order_id, notify=lambda t, lv: said.append((t, lv)))
    qtbot.waitUntil(lambda: bool(said))
    assert answer.seen == ["No printer is set up on this laptop."]
    assert said == [(f"Receipt {sold.number} saved to {target}", "info")]
    assert Path(asked[0]).name == f"receipt-{sold.number}.pdf"
    page = _pdf(target)[0]
    assert round(page.get_width() / 72 * 25.4) == 80  # the settings' default width


def test_receipt_action_reports_an_unknown_order(qtbot, shop):
    parent = QWidget()
    qtbot.addWidget(parent)
    said: list[tuple[str, str]] = []
    receipt_action(shop.uow, parent, 999_999, notify=lambda t, lv: said.append((t, lv)))
    qtbot.waitUntil(lambda: bool(said))
    assert said[0][0].startswith("Receipt not printed: ")
    assert said[0][1] == "error"
