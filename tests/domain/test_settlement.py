"""Settlement rules: venue cut by class, co-seller shares, fees and who holds the money."""

import pytest

from popup_pos.domain import settlement
from popup_pos.domain.report import TenderRow
from popup_pos.domain.settlement import ItemGroup, SettlementError, VenueTerms

TERMS = VenueTerms(
    {"apparel": 200_000, "music": 100_000, "other": 150_000},
    {"Apparel": "apparel", "Music": "music"},
    "gross",
    False,
)


def balanced(s):
    """Every cent held is assigned to exactly one party."""
    return s.held == s.venue_total + s.owed_to_owners + s.tax + s.organizer_total


def test_venue_cut_by_class_and_owner_shares():
    groups = [
        ItemGroup("The Band", "Apparel", None, 110_00, 10_00),
        ItemGroup("The Band", "music", None, 55_00, 5_00),  # category names match any case
        ItemGroup("Mara", "Art", 600_000, 100_00, 0),
        ItemGroup(None, None, None, 20_00, 0),  # the organizer's own, uncategorised
    ]
    tenders = [TenderRow("cash", 3, 285_00, 0, 0), TenderRow("stripe_card", 1, 10_00, 0, 0)]
    s = settlement.compute(
        TERMS, groups, tips=10_00, fees=0, unattached_refunds=0, deposits=0, tenders=tenders
    )
    venue = {v.cls: (v.sales, v.cut) for v in s.venue}
    assert venue == {"apparel": (110_00, 22_00), "music": (55_00, 5_50), "other": (120_00, 18_00)}
    mara, band, own = s.owners  # co-sellers by name, then the organizer
    assert (band.owner, band.venue_cut, band.owed) == ("The Band", 27_50, 165_00 - 15_00 - 27_50)
    assert (mara.venue_cut, mara.after_costs, mara.owed) == (15_00, 85_00, 51_00)
    assert mara.organizer_part == 34_00 and mara.shares_ppm == (600_000,)
    assert own.owner is None and own.after_costs == 17_00 and own.owed == 0
    assert s.organizer_total == 34_00 + 17_00 + 10_00
    assert s.tax == 15_00
    assert [h.holder for h in s.holdings] == ["Organizer's cash drawer", "Stripe account holder"]
    assert balanced(s)
    assert any("'other': Art" in n for n in s.notes)
    assert any("Mara gets 60%" in n for n in s.notes)


def test_net_of_tax_and_card_fees_first():
    groups = [
        ItemGroup("Band", "Apparel", None, 110_00, 10_00),
        ItemGroup(None, "Music", None, 50_00, 0),
    ]
    tenders = [TenderRow("stripe_qr", 2, 160_00, 0, 3_20)]
    plain = settlement.compute(
        VenueTerms({"apparel": 200_000}, {"Apparel": "apparel"}, "net_of_tax", False),
        groups, tips=0, fees=3_20, unattached_refunds=0, deposits=0, tenders=tenders,
    )  # fmt: skip
    first = settlement.compute(
        VenueTerms({"apparel": 200_000}, {"Apparel": "apparel"}, "net_of_tax", True),
        groups, tips=0, fees=3_20, unattached_refunds=0, deposits=0, tenders=tenders,
    )  # fmt: skip
    # Fees are shared 110:50 over the groups: 2.20 and 1.00.
    assert [o.fees for o in plain.owners] == [2_20, 1_00]
    assert plain.venue[0].cut == 20_00  # 20% of 100.00 net of tax
    assert first.venue[0].base == 100_00 - 2_20 and first.venue[0].cut == 19_56
    assert plain.owners[0].owed == 110_00 - 10_00 - 2_20 - 20_00
    assert any("Class 'other' has no cut" in n for n in plain.notes)
    assert balanced(plain) and balanced(first)
    assert plain.held == 160_00 - 3_20


def test_no_terms_and_fees_with_nothing_sold():
    tenders = [TenderRow("stripe_qr", 1, 10_00, 10_00, 60)]
    s = settlement.compute(
        VenueTerms(), [ItemGroup("Band", None, None, 0, 0)], tips=0, fees=60,
        unattached_refunds=0, deposits=0, tenders=tenders,
    )  # fmt: skip
    assert s.venue == () and s.venue_total == 0
    assert s.owed_to_owners == 0 and s.organizer_total == -60  # the organizer bears the fee
    assert balanced(s)
    assert any("No venue terms" in n for n in s.notes)


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        (VenueTerms({"apparel": 1_000_001}), "between 0% and 100%"),
        (VenueTerms({" ": 10}), "class name"),
        (VenueTerms({}, {"": "apparel"}), "category name"),
        (VenueTerms({}, {}, "net", False), "'gross' or 'net_of_tax'"),  # type: ignore[arg-type]
    ],
)
def test_bad_terms(terms, message):
    with pytest.raises(SettlementError, match=message):
        settlement.check_terms(terms)


@pytest.mark.parametrize("on", ["gross", "net_of_tax"])
@pytest.mark.parametrize("fees_first", [False, True])
def test_venue_cuts_per_group_add_up_to_the_settlement(on, fees_first):
    terms = VenueTerms(TERMS.cut_ppm_by_class, TERMS.category_class, on, fees_first)
    groups = [
        ItemGroup("The Band", "Apparel", None, 110_01, 10_00),
        ItemGroup("The Band", "Music", None, 55_07, 5_01),
        ItemGroup("Mara", "Art", 600_000, 99_99, 0),
        ItemGroup(None, None, None, 0, 0),
    ]
    cuts = settlement.venue_cuts(terms, groups, fees=7_77)
    s = settlement.compute(
        terms, groups, tips=0, fees=7_77, unattached_refunds=0, deposits=0, tenders=()
    )
    assert len(cuts) == len(groups) and cuts[-1] == 0
    assert sum(cuts) == s.venue_total
    assert [o.venue_cut for o in s.owners] == [cuts[2], cuts[0] + cuts[1], cuts[3]]
    assert settlement.cut_weight(terms, 110_01, 10_00) == (110_01 if on == "gross" else 100_01)
    assert settlement.cut_weight(terms, -5_00, 0) == 0
