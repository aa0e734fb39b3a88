"""The tip, chosen before the tender on either screen when the event offers tips."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money, format_percent, parse_amount
from popup_pos.domain.pricing import DiscountKind, Tip
from popup_pos.gui.tip_choice import TipChoice

if TYPE_CHECKING:
    from popup_pos.gui.selling.window import SellingWindow


def set_tip(self: SellingWindow, tip: Tip | None) -> None:
    """The customer's tip on the cart being sold (None: no tip); totals follow at once."""
    if self.order_id is not None or self.cart.empty:
        return
    self.cart.tip = tip
    self.show_cart()
    if tip is None:
        self.panel.say("No tip", "info")
        return
    amount = format_money(self.cart.totals().tip, self.cart.currency)
    what = format_percent(tip.value) if tip.kind is DiscountKind.PERCENT else "custom"
    self.panel.say(f"Tip {what}: {amount}", "info")


def custom_tip(self: SellingWindow) -> None:
    """A tip of any amount, typed by the seller as the customer says it."""
    if self.order_id is not None or self.cart.empty:
        return
    text, ok = QInputDialog.getText(self, "Custom tip", "Tip amount:")
    self._back_to_selling()
    if not ok or not text.strip():
        self.show_cart()  # the keys show the choice as it was
        return
    try:
        amount = parse_amount(text, self.cart.currency, what="tip")
    except PosError as exc:
        self.panel.say(str(exc), "error")
        self.show_cart()
        return
    self.set_tip(Tip.amount(amount) if amount else None)


def show_customer_tips(self: SellingWindow) -> None:
    """The same keys on the customer display, under the total, while a cart is built."""
    if self.customer is None:
        return
    choice = self._customer_tips
    if choice is None or choice.parent() is None or self._customer_tips_on is not self.customer:
        choice = TipChoice(large=True)
        choice.picked.connect(self.set_tip)
        choice.custom.connect(self.custom_tip)
        self.customer.add_tip_choice(choice)
        self._customer_tips, self._customer_tips_on = choice, self.customer
    choice.set_presets(self.panel.tips.presets)
    totals = self.cart.totals() if self.cart.lines else None
    choice.show_for(
        totals.total - totals.tip if totals else 0,
        self.cart.currency,
        self.cart.tip,
        offer=totals is not None and self.order_id is None,
    )
