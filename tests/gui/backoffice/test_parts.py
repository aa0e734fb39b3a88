"""The back office's shared parts: the organizer's PIN, the notice line, tables, times."""

from __future__ import annotations

from datetime import UTC, datetime

from popup_pos.gui.backoffice.parts import (
    fill,
    first_line,
    local_time,
    organizer_for,
    say,
    table,
)
from popup_pos.services.views import StaffInfo

BOSS = StaffInfo(id=1, name="Ada", role="organizer", event_id=None, active=True)
HELPER = StaffInfo(id=2, name="Hal", role="helper", event_id=1, active=True)


def test_the_organizer_acts_or_is_asked_for(qapp):
    asked: list[str] = []
    assert organizer_for(BOSS, None, "void a code") is BOSS
    assert organizer_for(HELPER, None, "void a code") is None
    assert organizer_for(HELPER, lambda r: asked.append(r) or BOSS, "void a code") is BOSS
    assert asked == ["The organizer's PIN is needed to void a code"]
    # A PIN that is someone else's is not the organizer's.
    assert organizer_for(HELPER, lambda r: HELPER, "void a code") is None


def test_the_notice_line_has_a_level_only_with_text(qtbot):
    from PySide6.QtWidgets import QLabel

    notice = QLabel()
    qtbot.addWidget(notice)
    say(notice, "Voided X", "info")
    assert (notice.text(), notice.property("level"), notice.toolTip()) == (
        "Voided X", "info", "Voided X"
    )  # fmt: skip
    say(notice, "", "info")
    assert notice.property("level") == ""


def test_tables_times_and_first_lines(qtbot):
    t = table(("A", "B"), 1)
    qtbot.addWidget(t)
    fill(t, [("1", "x"), ("2", "y")], numeric=(0,))
    assert t.rowCount() == 2 and t.item(1, 1) is not None
    assert local_time(None) == ""
    at = datetime(2026, 12, 4, 21, 30, tzinfo=UTC)
    assert local_time(at) == at.astimezone().strftime("%a %d %b %H:%M")
    assert first_line(ValueError("one\ntwo")) == "one"
    assert first_line(ValueError()) == "ValueError"
