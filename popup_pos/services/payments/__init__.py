"""Taking money: Stripe QR and card reader, wallet links, cash, and refunds to the tender."""

# Every Stripe request is stored (key and exact parameters, in a pending payment) and
# committed before it is sent, so a dropped connection or a crash is recovered by sending it
# again and never charges twice. Functions that talk to Stripe block on the network: the GUI
# runs them (and `check_pending`, every ~2 s) on a worker thread with its own
# `UnitOfWork(engine)`, never on the GUI thread. Cash and wallet payments never touch the
# network, so Stripe being offline never blocks them.
#
# Callers use this package's names only; its modules keep their helpers to themselves.

from popup_pos.services.payments.account import (
    KeyInfo,
    check_stripe,
    forget_key,
    key_info,
    set_key,
)
from popup_pos.services.payments.card import (
    cancel_card,
    charge_by_card,
    list_readers,
    register_reader,
    simulate_tap,
)
from popup_pos.services.payments.cash_and_wallets import (
    confirm_wallet,
    pay_cash,
    wallet_handles,
    wallet_label,
    wallet_link,
)
from popup_pos.services.payments.connection import reset_connection, stripe_status
from popup_pos.services.payments.qr import cancel_qr, charge_by_qr, order_for_scan
from popup_pos.services.payments.refunds import cancel_order, refund_to_tenders
from popup_pos.services.payments.results import (
    PaymentsError,
    ReaderInfo,
    RefundReport,
    StatusChange,
    StripeCheck,
    StripeNotSetUpError,
    StripeOfflineError,
    StripeStatus,
)
from popup_pos.services.payments.settle import check_pending, reconcile_at_startup

__all__ = [
    "KeyInfo",
    "PaymentsError",
    "ReaderInfo",
    "RefundReport",
    "StatusChange",
    "StripeCheck",
    "StripeNotSetUpError",
    "StripeOfflineError",
    "StripeStatus",
    "cancel_card",
    "cancel_order",
    "cancel_qr",
    "charge_by_card",
    "charge_by_qr",
    "check_pending",
    "check_stripe",
    "confirm_wallet",
    "forget_key",
    "key_info",
    "list_readers",
    "order_for_scan",
    "pay_cash",
    "reconcile_at_startup",
    "refund_to_tenders",
    "register_reader",
    "reset_connection",
    "set_key",
    "simulate_tap",
    "stripe_status",
    "wallet_handles",
    "wallet_label",
    "wallet_link",
]
