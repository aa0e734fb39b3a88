"""The report screen: built off the GUI thread, the right figures, an hourly chart, exports."""

from datetime import UTC
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from popup_pos.domain.money import format_money
from popup_pos.gui.report_view import ReportView, default_export_name, over_short_text
from popup_pos.services import checkout, reports
from popup_pos.services.checkout import Cart, CartLine

pytestmark = pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")


@pytest.fixture
def sold(shop):
    for sku in ("POSTER", "TEE-M", "POSTER"):
        checkout.sell(shop.uow, shop.register_id, Cart((CartLine(sku),)))
    return shop


def _loaded(qtbot, view):
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.report is not None, timeout=10_000)
    return view


def test_shows_the_net_total_and_an_hourly_bar(qtbot, sold):
    expected = reports.build_report(sold.uow).totals.net
    view = _loaded(qtbot, ReportView(sold.uow))
    assert expected > 0
    assert view.net_label.text() == format_money(expected, "USD")
    bars = view.chart.bars()
    assert len(bars) == len(view.report.hours) >= 1
    assert all(b.height() > 0 for b in bars)
    assert view.export_bar.isEnabled()


def test_an_empty_night_has_no_bars(qtbot, shop):
    view = _loaded(qtbot, ReportView(shop.uow))
    assert view.chart.bars() == []
    assert view.report.totals.net == 0


def test_no_event_says_why_inline(qtbot, uow):
    view = ReportView(uow)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: "could not be made" in view.notice.toolTip(), timeout=10_000)
    assert not view.export_bar.isEnabled()


def test_export_to_csv_writes_orders_csv(qtbot, sold, tmp_path, monkeypatch):
    out = tmp_path / "night"
    asked: list[str] = []

    def save_name(parent, caption, suggested, pattern):
        asked.append(suggested)
        return str(out), pattern

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    view = _loaded(qtbot, ReportView(sold.uow))
    bar = view.export_bar
    bar.format_combo.setCurrentIndex(bar.format_combo.findData("csv"))
    with qtbot.waitSignal(bar.finished, timeout=20_000) as done:
        bar.export_button.click()
    assert Path(asked[0]).name.endswith("-csv")
    assert done.args[0].path == out
    lines = (out / "orders.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("order_number,")
    assert len(lines) == 1 + 3
    assert bar.progress.value() == bar.progress.maximum()
    assert not bar.busy


def test_names_and_over_short_wording():
    from datetime import datetime

    opened = datetime(2026, 5, 1, 23, 0, tzinfo=UTC)
    assert default_export_name("Friday at the Bowery!", opened, "xlsx").startswith(
        "friday-at-the-bowery-"
    )
    assert over_short_text(250, "USD") == "Over by $2.50"
    assert over_short_text(-1, "USD") == "Short by $0.01"
