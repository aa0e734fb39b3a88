"""The report screen: built off the GUI thread, the right figures, an hourly chart, exports."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from popup_pos.domain.money import format_money
from popup_pos.gui.report_export import default_export_name
from popup_pos.gui.report_parts import over_short_text
from popup_pos.gui.report_view import ReportView
from popup_pos.services import checkout, reports, tickets
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
    opened = datetime(2026, 5, 1, 23, 0, tzinfo=UTC)
    assert default_export_name("Friday at the Bowery!", opened, "xlsx").startswith(
        "friday-at-the-bowery-"
    )
    assert over_short_text(250, "USD") == "Over by $2.50"
    assert over_short_text(-1, "USD") == "Short by $0.01"


@pytest.fixture
def experience_night(shop):
    """A poster and a meet & greet for @fan, then two shoutouts for @fan, one done."""
    uow, reg = shop.uow, shop.register_id
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    checkout.sell(uow, reg, Cart((CartLine("POSTER"), CartLine("MEET-GREET")), customer="@fan"),
                  now=start)  # fmt: skip
    checkout.sell(uow, reg, Cart((CartLine("SHOUTOUT-60", 2, personalisation="Al"),),
                                 customer="@fan"), now=start + timedelta(minutes=1))  # fmt: skip
    checkout.sell(uow, reg, Cart((CartLine("TEE-M"),)), now=start + timedelta(minutes=2))
    first = min(t.id for t in tickets.state(uow).tickets if t.sku == "SHOUTOUT-60")
    tickets.call(uow, first, now=start + timedelta(minutes=3))
    tickets.move(uow, first, "done", now=start + timedelta(minutes=7))
    return shop


def _cells(table):
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_profit_experiences_and_repeat_customers(qtbot, experience_night, tmp_path):
    view = _loaded(qtbot, ReportView(experience_night.uow))
    profit = _cells(view.profit_table)
    # Poster: 15.00 less its 2.50 cost; the tee: 30.00 less 9.50; no fees, no venue terms.
    assert profit[0] == ["Tour tee 2026 — M", "item", "1", "$30.00", "-$9.50", "$0.00", "$0.00",
                         "$20.50", "$20.50"]  # fmt: skip
    assert profit[1][0] == "Tour poster" and profit[1][7] == "$12.50"
    assert profit[-1][0] == "Total" and profit[-1][7] == "unknown"  # the experiences have no cost
    assert {row[1] for row in profit[2:-1]} == {"experience"}
    experience_rows = {row[0]: row for row in _cells(view.experience_table)}
    shout = experience_rows["60-second video shoutout"]
    # One done in 4 minutes: 40.00 over 4 minutes is 600.00 an hour.
    assert shout[1:] == ["2", "1 / 0 / 1", "4.0 / 4.0", "2.0 / 2.0", "4.0 min", "measured",
                         "$600.00"]  # fmt: skip
    meet = experience_rows["Meet & greet (5 min)"]
    assert meet[5:] == ["5.0 min", "planned", "$300.00"]
    assert experience_rows["All experiences"][5:] == ["9.0 min", "partly planned", "$433.33"]
    assert view.repeat_rate_text == "100% (1 of 1)"
    view.grab().save(str(tmp_path / "report-view.png"))  # for a person to look at
