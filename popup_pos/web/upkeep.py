"""A helper-only station's background work, which a register's window does otherwise."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from popup_pos.domain.errors import PosError
from popup_pos.services import checkout, database, payments
from popup_pos.store.uow import UnitOfWork

log = logging.getLogger(__name__)

# As often as a register asks (gui/selling/refresh.py): a customer who paid by a phone's
# Stripe QR sees the phone say so within a few seconds.
STRIPE_EVERY_S = 2.0
HOLDS_EVERY_S = 30.0


def said(change: payments.StatusChange) -> str | None:
    """One line for the station's console about a payment that settled."""
    if change.state == "succeeded" and change.order_status in ("paid", "fulfilled"):
        return f"{change.order_number} paid by card: hand it over"
    if change.state in ("failed", "refund_failed"):
        return f"{change.order_number}: {change.message or change.state.replace('_', ' ')}"
    return None


class Upkeep:
    """Settles Stripe QR payments and releases run-out holds while `popup-pos serve` runs
    with no register open: the phones' card payments would otherwise never turn paid."""

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        say: Callable[[str], None] = print,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.uow, self.say, self.clock = database.for_worker(uow), say, clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._holds_due = float("-inf")
        self._stripe_trouble: str | None = None

    def tick(self) -> None:
        """One round: what Stripe says about the pending payments, then (every 30 s) the
        holds that ran out. Stripe going out of reach is said once, and its return."""
        try:
            for change in payments.check_pending(self.uow):  # nothing with no Stripe key
                line = said(change)
                if line:
                    self.say(line)
            self._say_trouble(payments.stripe_status(self.uow).banner)
        except PosError as e:
            self._say_trouble(f"Stripe: {e}")
        if self.clock() >= self._holds_due:
            self._holds_due = self.clock() + HOLDS_EVERY_S
            try:
                released = checkout.release_expired(self.uow)
            except PosError as e:
                self.say(f"Could not release run-out holds: {e}")
            else:
                if released:
                    self.say(f"Hold ran out, stock released: {', '.join(released)}")

    def _say_trouble(self, trouble: str | None) -> None:
        if trouble != self._stripe_trouble:
            self.say(f"{trouble} (trying again)" if trouble else "Stripe is reachable again")
        self._stripe_trouble = trouble

    def start(self) -> None:
        def run() -> None:
            while not self._stop.wait(STRIPE_EVERY_S):
                try:
                    self.tick()
                except Exception:  # the phones must keep being served whatever happens here
                    log.exception("phone server upkeep")

        self._thread = threading.Thread(target=run, name="phone-upkeep", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
