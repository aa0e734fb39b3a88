"""The tip keys: presets with what each comes to, a custom tip and no tip."""

from popup_pos.domain.pricing import Tip
from popup_pos.gui.tip_choice import TipChoice


def test_presets_say_what_they_come_to_and_emit_the_tip(qtbot):
    choice = TipChoice(large=True)
    qtbot.addWidget(choice)
    choice.set_presets([100_000, 150_000])
    choice.show_for(40_00, "USD", None, offer=True)
    assert choice.isVisible()
    assert [k.text() for k in choice.keys] == ["10%\n$4.00", "15%\n$6.00"]
    assert choice.none_key.isChecked()
    with qtbot.waitSignal(choice.picked) as got:
        choice.keys[1].click()
    assert got.args == [Tip.percent(150_000)]
    with qtbot.waitSignal(choice.picked) as got:
        choice.none_key.click()
    assert got.args == [None]
    with qtbot.waitSignal(choice.custom):
        choice.custom_key.click()


def test_a_custom_tip_shows_its_amount_and_tips_off_hide_the_row(qtbot):
    choice = TipChoice()
    qtbot.addWidget(choice)
    choice.set_presets([100_000])
    choice.show_for(40_00, "USD", Tip.amount(5_00), offer=True)
    assert choice.custom_key.text() == "Custom $5.00" and choice.custom_key.isChecked()
    choice.show_for(40_00, "USD", None, offer=False)
    assert not choice.isVisible()
    choice.set_presets([])
    choice.show_for(40_00, "USD", None, offer=True)
    assert not choice.isVisible()
