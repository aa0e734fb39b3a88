"""Settlement rules: the venue's terms checked, and who is owed what at the end of the night.

The rule, per group of items (same co-seller, category and share):

- sales = what the items' lines charged, less the value of refunded units (tax included);
- the venue's cut = its class's rate x (sales, or sales less tax when the terms say
  "net_of_tax"), after taking off the group's card fees first when `card_fees_first`;
- card fees (the actual Stripe fees) are shared over all groups in proportion to sales;
- what is left = sales - tax - card fees - venue cut; a co-seller gets their product's
  `owner_share_ppm` of it, or all of it when the product has no share set; the organizer
  keeps the rest, their own items, the tips, and bears refunds not tied to an item.

Tax is collected by the organizer, who pays it on. Cash is held in the organizer's
drawer; card payments are with the Stripe account holder (less Stripe's fees); wallet
payments are in the organizer's wallet accounts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_percent
from popup_pos.domain.pricing import allocate, round_half_up
from popup_pos.domain.report import (
    Holding,
    OwnerRow,
    Settlement,
    TenderRow,
    VenueClassRow,
    VenueTerms,
)

PPM = 1_000_000
OTHER = "other"
BASES = ("gross", "net_of_tax")

# Who holds the money each tender brings in.
HOLDERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Organizer's cash drawer", "cash", ("cash",)),
    ("Organizer's wallet accounts", "wallet QR (Venmo, Cash App, PayPal)", ("wallet",)),
    ("Stripe account holder", "Stripe QR and card reader, less fees", ("stripe_qr", "stripe_card")),
)

__all__ = [
    "ItemGroup",
    "SettlementError",
    "VenueTerms",
    "check_terms",
    "compute",
    "cut_weight",
    "holdings_of",
    "terms_from_settings",
    "terms_to_settings",
    "venue_cuts",
]


class SettlementError(PosError):
    """Venue terms that cannot be used, with what is wrong."""


@dataclass(frozen=True, slots=True)
class ItemGroup:
    """Sales of items sharing a co-seller (None: the organizer), category and share."""

    owner: str | None
    category: str | None
    share_ppm: int | None
    sales: int
    tax: int


# ---- terms ------------------------------------------------------------------------------


def check_terms(terms: VenueTerms) -> VenueTerms:
    """Validated terms with class names lower-cased and category names trimmed."""
    cuts: dict[str, int] = {}
    for cls, ppm in terms.cut_ppm_by_class.items():
        name = _class_name(cls)
        if not isinstance(ppm, int) or isinstance(ppm, bool) or not 0 <= ppm <= PPM:
            raise SettlementError(f"venue cut for {name!r} must be between 0% and 100%")
        cuts[name] = ppm
    classes: dict[str, str] = {}
    for category, cls in terms.category_class.items():
        cat = str(category).strip()
        if not cat:
            raise SettlementError("a category name in the venue terms is empty")
        classes[cat] = _class_name(cls)
    if terms.on not in BASES:
        raise SettlementError(f"the venue cut is on 'gross' or 'net_of_tax', not {terms.on!r}")
    if not isinstance(terms.card_fees_first, bool):
        raise SettlementError("card_fees_first must be true or false")
    return VenueTerms(cuts, classes, terms.on, terms.card_fees_first)


def _class_name(cls: Any) -> str:
    name = str(cls).strip().lower()
    if not name:
        raise SettlementError("a class name in the venue terms is empty")
    return name


def terms_from_settings(settings: Mapping[str, Any] | None) -> VenueTerms:
    """The terms kept in Event.settings["venue"] (none kept: no venue cut)."""
    raw = (settings or {}).get("venue") or {}
    try:
        return check_terms(
            VenueTerms(
                dict(raw.get("cut_ppm_by_class") or {}),
                dict(raw.get("category_class") or {}),
                raw.get("on", "gross"),
                bool(raw.get("card_fees_first", False)),
            )
        )
    except (AttributeError, TypeError, ValueError) as exc:
        raise SettlementError(f"the event's stored venue terms are unreadable: {exc}") from None


def terms_to_settings(terms: VenueTerms) -> dict[str, Any]:
    return {
        "cut_ppm_by_class": dict(terms.cut_ppm_by_class),
        "category_class": dict(terms.category_class),
        "on": terms.on,
        "card_fees_first": terms.card_fees_first,
    }


# ---- the arithmetic ---------------------------------------------------------------------------


def holdings_of(tenders: Sequence[TenderRow]) -> tuple[Holding, ...]:
    """Who holds the money taken, net of refunds and of the fees the provider kept."""
    out = []
    known: set[str] = set()
    for holder, label, names in HOLDERS:
        known.update(names)
        amount = sum(t.net - t.fees for t in tenders if t.tender in names)
        if amount or any(t.tender in names for t in tenders):
            out.append(Holding(holder, label, amount))
    for t in tenders:
        if t.tender not in known:
            out.append(Holding(f"Whoever took {t.tender}", t.tender, t.net - t.fees))
    return tuple(out)


def _fee_shares(groups: list[ItemGroup], fees: int) -> list[int]:
    """Each group's part of the card fees, by sales; with nothing sold, a last group
    (appended here) of the organizer's bears them all."""
    if any(g.sales > 0 for g in groups):
        return allocate(fees, [max(g.sales, 0) for g in groups])
    groups.append(ItemGroup(None, None, None, 0, 0))
    return [0] * (len(groups) - 1) + [fees]


def _venue_base(terms: VenueTerms, g: ItemGroup, fee: int) -> int:
    base = g.sales if terms.on == "gross" else g.sales - g.tax
    return base - fee if terms.card_fees_first else base


def _cut(terms: VenueTerms, cls: str, base: int) -> int:
    return round_half_up(max(base, 0) * terms.cut_ppm_by_class.get(cls, 0), PPM)


def _classes(terms: VenueTerms) -> dict[str, str]:
    return {k.casefold(): v for k, v in terms.category_class.items()}


def _class_of(classes: Mapping[str, str], category: str | None) -> str:
    return classes.get((category or "").casefold(), OTHER)


def venue_cuts(terms: VenueTerms, groups: Sequence[ItemGroup], *, fees: int) -> list[int]:
    """The venue's cut of each group, exactly as compute() takes it."""
    classes = _classes(terms)
    # _fee_shares may add the organizer's catch-all group, which has no sales to cut.
    fee_shares = _fee_shares(list(groups), fees)
    return [
        _cut(terms, _class_of(classes, g.category), _venue_base(terms, g, fee))
        for g, fee in zip(groups, fee_shares, strict=False)
    ]


def cut_weight(terms: VenueTerms, sales: int, tax: int) -> int:
    """What the cut is taken on for these sales, before any card fees come off: the
    weight by which a group's cut is shared over its items."""
    return max(sales if terms.on == "gross" else sales - tax, 0)


def compute(
    terms: VenueTerms,
    groups: Sequence[ItemGroup],
    *,
    tips: int,
    fees: int,
    unattached_refunds: int,
    deposits: int,
    tenders: Sequence[TenderRow],
) -> Settlement:
    """The settlement of one event from its item groups (see the module's rule)."""
    classes = _classes(terms)
    notes: list[str] = []
    groups = list(groups)
    fee_shares = _fee_shares(groups, fees)

    venue: dict[str, list[int]] = {}  # class -> [sales, base, cut]
    owners: dict[str | None, list[int]] = {}  # owner -> [sales, tax, fees, cut, owed]
    shares: dict[str | None, set[int]] = {}
    unmapped: set[str] = set()
    for g, fee in zip(groups, fee_shares, strict=True):
        cls = _class_of(classes, g.category)
        if g.category and g.category.casefold() not in classes and not terms.empty:
            unmapped.add(g.category)
        base = _venue_base(terms, g, fee)
        cut = _cut(terms, cls, base)
        if not terms.empty:
            v = venue.setdefault(cls, [0, 0, 0])
            v[0] += g.sales
            v[1] += base
            v[2] += cut
        left = g.sales - g.tax - fee - cut
        share = PPM if g.share_ppm is None else g.share_ppm
        owed = left if share == PPM else round_half_up(left * share, PPM)
        o = owners.setdefault(g.owner, [0, 0, 0, 0, 0])
        for i, value in enumerate((g.sales, g.tax, fee, cut, owed)):
            o[i] += value
        shares.setdefault(g.owner, set()).add(share)
    if terms.empty:
        notes.append("No venue terms are set for this event: no venue cut is taken.")
    if unmapped:
        notes.append(
            "Categories with no class in the venue terms, counted as 'other': "
            + ", ".join(sorted(unmapped))
        )
    for cls in sorted(venue):
        if cls not in terms.cut_ppm_by_class:
            notes.append(f"Class {cls!r} has no cut in the venue terms: the venue takes none.")
    venue_rows = tuple(
        VenueClassRow(cls, s, b, terms.cut_ppm_by_class.get(cls, 0), c)
        for cls, (s, b, c) in sorted(venue.items())
    )
    owner_rows: list[OwnerRow] = []
    for name, (sales, tax_, fee_, cut_, owed_) in sorted(
        owners.items(), key=lambda kv: (kv[0] is None, kv[0] or "")
    ):
        if name is None:
            # The organizer's own items are theirs whole: no share applies.
            owner_rows.append(OwnerRow(None, sales, tax_, fee_, cut_, 0, ()))
        else:
            held = tuple(sorted(shares[name], reverse=True))
            owner_rows.append(OwnerRow(name, sales, tax_, fee_, cut_, owed_, held))
    tax = sum(g.tax for g in groups)
    for row in owner_rows:
        if row.owner is not None and row.shares_ppm != (PPM,):
            shown = ", ".join(format_percent(p) for p in row.shares_ppm)
            notes.append(f"{row.owner} gets {shown} of what is left of their items.")
    return Settlement(
        terms=terms,
        venue=venue_rows,
        owners=tuple(owner_rows),
        tax=tax,
        tips=tips,
        fees=fees,
        unattached_refunds=unattached_refunds,
        deposits=deposits,
        holdings=holdings_of(tenders),
        notes=tuple(notes),
    )
