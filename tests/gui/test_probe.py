"""The probe's own judgement: a one-line label too narrow for its text is cut off."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from popup_pos.gui.probe import elided


def test_a_label_narrower_than_its_text_is_cut_off(qtbot):
    label = QLabel("Change $25.00")
    qtbot.addWidget(label)
    label.resize(label.sizeHint())
    label.show()
    assert not elided(label)
    label.setFixedWidth(label.fontMetrics().horizontalAdvance("Change $25.00") // 2)
    assert elided(label)
    label.setWordWrap(True)  # wrapped text is never cut off, only taller
    assert not elided(label)
