"""Selling: price a cart, reserve stock, take payment, cancel and refund, one transaction each."""

# Callers use this package's names only; its modules follow an order's life (quoting,
# placing, paying, parking, settling, refunding, cancelling) and keep their helpers to
# themselves. Cancelling and refunding are reached through `payments.cancel_order` and
# `payments.refund_to_tenders`, which also stop or refund what went through Stripe.

from popup_pos.services.checkout.cancelling import mark_fulfilled, release_expired
from popup_pos.services.checkout.common import (
    CheckoutError,
    DeliveredCode,
    LimitError,
    OrderResult,
    TenderSpec,
)
from popup_pos.services.checkout.deliveries import customer_holds
from popup_pos.services.checkout.orders import OrderView, get_order, orders_by_status
from popup_pos.services.checkout.parking import park, resume
from popup_pos.services.checkout.paying import add_payment
from popup_pos.services.checkout.placing import place_order, sell
from popup_pos.services.checkout.quoting import Cart, CartLine, quote
from popup_pos.services.checkout.refunding import RefundResult, refund_amount
from popup_pos.services.checkout.settling import (
    begin_payment,
    complete_payment,
    end_payment,
    note_provider_id,
)

__all__ = [
    "Cart",
    "CartLine",
    "CheckoutError",
    "DeliveredCode",
    "LimitError",
    "OrderResult",
    "OrderView",
    "RefundResult",
    "TenderSpec",
    "add_payment",
    "begin_payment",
    "complete_payment",
    "customer_holds",
    "end_payment",
    "get_order",
    "mark_fulfilled",
    "note_provider_id",
    "orders_by_status",
    "park",
    "place_order",
    "quote",
    "refund_amount",
    "release_expired",
    "resume",
    "sell",
]
