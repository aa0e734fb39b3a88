"""Settlement: venue terms, co-seller shares, fees and who holds the money."""

from sqlalchemy import update

from popup_pos.services import checkout, closing, payments, reports, settlement
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.services.settlement import VenueTerms
from popup_pos.store.models import Event, Product

TERMS = VenueTerms(
    {"apparel": 200_000, "music": 100_000, "other": 150_000},
    {"Apparel": "apparel", "Music": "music"},
    "gross",
    False,
)


def balanced(s):
    """Every cent held is assigned to exactly one party."""
    return s.held == s.venue_total + s.owed_to_owners + s.tax + s.organizer_total


def test_terms_are_kept_per_event(shop):
    uow = shop.uow
    assert settlement.get_terms(uow).empty
    saved = settlement.set_terms(
        uow, VenueTerms({"Apparel": 200_000}, {" Apparel ": "APPAREL"}, "gross", True)
    )
    assert saved.cut_ppm_by_class == {"apparel": 200_000}
    assert saved.category_class == {"Apparel": "apparel"}
    assert settlement.get_terms(uow) == saved
    with uow:
        ev = uow.session.get(Event, shop.event.id)
        assert ev.settings["venue"]["card_fees_first"] is True
    closing.close_event(uow, 100_00)
    # Settling comes after closing: the closed event's terms can still change.
    later = settlement.set_terms(uow, VenueTerms({"other": 100_000}), event="last")
    assert settlement.get_terms(uow, shop.event.id) == later


def test_settlement_of_a_night(shop):
    uow, reg = shop.uow, shop.register_id
    settlement.set_terms(uow, TERMS)
    with uow:
        # Mara's print: she gets 70% of what is left after the venue and fees.
        uow.session.execute(
            update(Product).where(Product.handle == "screen-print").values(owner_share_ppm=700_000)
        )
        uow.commit()
    checkout.sell(uow, reg, Cart((CartLine("TEE-M"), CartLine("PRINT-LTD"))))  # 75.00 cash
    r = checkout.place_order(uow, reg, Cart((CartLine("LP-NIGHTS"),)))
    pid = checkout.begin_payment(
        uow, r.order_id, "stripe_card", 2800, idempotency_key="k", request={}
    )
    checkout.complete_payment(uow, pid, fee_cents=111)
    gift = checkout.sell(uow, reg, Cart((CartLine("POSTER"),)), (TenderSpec("wallet"),))
    payments.refund_to_tenders(
        uow, gift.order_id, amount_cents=500
    )  # goodwill, not tied to the item
    s = reports.build_report(uow).settlement
    owners = {o.owner: o for o in s.owners}
    assert set(owners) == {"The Band", "Mara Okafor"}
    assert owners["Mara Okafor"].shares_ppm == (700_000,)
    assert owners["Mara Okafor"].owed < owners["Mara Okafor"].after_costs
    assert s.fees == 111 and s.unattached_refunds == 500
    venue = {v.cls: v for v in s.venue}
    assert venue["apparel"].sales == 3000 and venue["apparel"].cut == 600
    assert venue["other"].sales == 4500 + 1500  # Art is not mapped: other
    holders = {h.holder: h.amount for h in s.holdings}
    assert holders == {
        "Organizer's cash drawer": 7500,
        "Organizer's wallet accounts": 1500 - 500,
        "Stripe account holder": 2800 - 111,
    }
    assert balanced(s)
