"""What sellers and helpers may do at the register without the organizer's PIN."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from popup_pos.domain.errors import PosError
from popup_pos.domain.pricing import PPM, Discount, DiscountKind

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

SETTINGS_KEY = "permissions"
# Far above any real custom amount, far below what a column holds.
MAX_CAP_CENTS = 10**11


class PermissionsError(PosError):
    """Limits that cannot be stored."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Set by the organizer in Settings; the organizer is never limited.

    Discounts are measured as the share of what they apply to (a line, or the order
    after its line discounts): a $5 discount on a $25 tee is 20 %.
    """

    # Helpers give no discount of their own by default: each one needs the organizer.
    helper_discount_percent: int = 0
    seller_discount_percent: int = 100
    # A custom amount (or an open price) above this needs the organizer; minor units of
    # the event's currency.
    custom_cap_cents: int = 100_00

    def discount_percent(self, role: str) -> int:
        if role == "helper":
            return self.helper_discount_percent
        if role == "seller":
            return self.seller_discount_percent
        return 100

    @classmethod
    def of(cls, stored: dict[str, Any]) -> Limits:
        """Read a stored setting, falling back to the default for any damaged field."""
        default = cls()

        def whole(name: str, top: int) -> int:
            value = stored.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= top:
                return value
            fallback: int = getattr(default, name)
            return fallback

        return cls(
            whole("helper_discount_percent", 100),
            whole("seller_discount_percent", 100),
            whole("custom_cap_cents", MAX_CAP_CENTS),
        )


def check_limits(limits: Limits) -> Limits:
    """Return `limits` if each one is in range, else raise naming the one that is not."""
    for name, label in (
        ("helper_discount_percent", "helpers' discount limit"),
        ("seller_discount_percent", "sellers' discount limit"),
    ):
        if not 0 <= getattr(limits, name) <= 100:
            raise PermissionsError(f"the {label} is a percentage from 0 to 100")
    if not 0 <= limits.custom_cap_cents <= MAX_CAP_CENTS:
        raise PermissionsError("the custom amount cap is too large (or negative)")
    return limits


def get_limits(uow: UnitOfWork) -> Limits:
    # Imported here: the selling screen's cart needs `Limits` before the database stack.
    from popup_pos.services import settings

    return Limits.of(settings.get(uow, SETTINGS_KEY))


def put_limits(uow: UnitOfWork, limits: Limits, *, actor: str | None = None) -> Limits:
    from popup_pos.services import settings

    settings.put(uow, SETTINGS_KEY, asdict(check_limits(limits)), actor)
    return limits


# ---- what needs the organizer (None: nothing) ------------------------------------------


def discount_needs_organizer(
    limits: Limits, role: str, discount: Discount | None, base_cents: int
) -> str | None:
    """Why `discount` on `base_cents` needs the organizer's PIN, or None if it does not."""
    if discount is None or role == "organizer":
        return None
    limit = limits.discount_percent(role)
    if discount.kind is DiscountKind.PERCENT:
        over = discount.value * 100 > limit * PPM
    else:
        over = discount.on(base_cents) * 100 > limit * base_cents
    if not over:
        return None
    if limit == 0:
        return f"a {role}'s discount needs the organizer's PIN"
    return f"a {role}'s discount above {limit} % needs the organizer's PIN"


def amount_needs_organizer(limits: Limits, role: str, amount_cents: int) -> str | None:
    if role == "organizer" or amount_cents <= limits.custom_cap_cents:
        return None
    return "a custom amount above the cap needs the organizer's PIN"


def price_change_needs_organizer(role: str) -> str | None:
    return None if role == "organizer" else "a price change needs the organizer's PIN"
