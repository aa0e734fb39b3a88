"""The app's own catalog CSV."""

import pytest

from popup_pos.domain.catalog_file import CatalogFileError, ImportedVariant
from popup_pos.importers.reader import read_catalog

HEADER = "sku,product,option1_name,option1_value,price,quantity,kind,components,time_minutes\n"


def test_native_file(data):
    catalog = read_catalog(data / "native.csv", currency="USD")

    assert catalog.format == "native"
    assert catalog.warnings == []
    assert catalog.variants == [
        ImportedVariant(
            row=2, handle="tour-tee", product_name="Tour Tee", sku="TEE-M", price=2500,
            options={"Size": "M", "Colour": "Black"}, barcode="5012345678917", cost=850,
            quantity=20, category="Apparel", kind="item", owner="The Static",
            description="Heavyweight cotton", tax_class="standard", per_order_limit=2,
        ),
        ImportedVariant(
            row=3, handle="tour-tee", product_name="Tour Tee", sku="TEE-L", price=2500,
            options={"Size": "L", "Colour": "Black"}, barcode="5012345678924", cost=850,
            quantity=15, category="Apparel", kind="item", owner="The Static",
            description="Heavyweight cotton", tax_class="standard", per_order_limit=2,
        ),
        ImportedVariant(
            row=4, handle="Gig Poster", product_name="Gig Poster", sku="POSTER", price=1200,
            cost=200, quantity=30, category="Prints", owner="Print Shop Co",
            description="Screen-printed, numbered", tax_class="reduced", edition_size=100,
        ),
        ImportedVariant(
            row=5, handle="Tee + Poster", product_name="Tee + Poster", sku="BUNDLE-TEE-POSTER",
            price=3200, category="Bundles", owner="The Static", tax_class="standard",
            components=[("TEE-M", 1), ("POSTER", 1)],
        ),
        ImportedVariant(
            row=6, handle="Stage Shoutout", product_name="Stage Shoutout", sku="SHOUTOUT",
            price=500, category="Experiences", kind="experience", owner="The Static",
            description="A personal shout-out from the stage", per_order_limit=1, time_minutes=3,
        ),
        ImportedVariant(
            row=7, handle="Album Download", product_name="Album Download", sku="DL-ALBUM",
            price=800, category="Music", kind="digital", owner="The Static", tax_class="digital",
        ),
        ImportedVariant(
            row=8, handle="Live Sketch", product_name="Live Sketch", sku="SKETCH", price=None,
            category="Commissions", kind="experience", description="Price agreed at the table",
            time_minutes=15,
        ),
    ]  # fmt: skip


def test_missing_sku_column(data):
    with pytest.raises(CatalogFileError) as caught:
        read_catalog(data / "broken_missing_sku.csv", currency="USD")

    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (1, "sku")


def test_unknown_column_is_reported_on_the_header(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("sku,product,price,colour\nPIN,Pin,8.00,red\n", encoding="utf-8")

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")

    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (1, "colour")
    assert problem.message.startswith("unknown column")


def test_every_bad_cell_is_reported(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(
        HEADER
        + "TEE-M,Tee,Size,M,25.00,20,item,,\n"
        + "PIN,Pin,,,8.0.0,lots,merch,,\n"
        + "BUNDLE,Bundle,,,30.00,,item,TEE-M*0;*2,\n"
        + "TEE-M,Tee,Size,,25.00,5,item,,10\n"
        + ",Sticker,,,2.00,,item,,\n",
        encoding="utf-8",
    )

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")

    assert [(p.row, p.column) for p in caught.value.problems] == [
        (3, "price"),
        (3, "quantity"),
        (3, "kind"),
        (4, "components"),
        (4, "components"),
        (5, "sku"),
        (5, "option1_value"),
        (5, "time_minutes"),
        (6, "sku"),
    ]
    messages = [p.message for p in caught.value.problems]
    assert "kind 'merch' is not one of item, digital, experience" in messages
    assert "SKU 'TEE-M' is already used on row 2" in messages
    assert "no SKU: every item needs one" in messages


def test_option_name_without_value_anywhere_is_a_problem(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(
        "sku,product,option1_name,option1_value,price\nTEE,Tee,,M,20.00\n", encoding="utf-8"
    )

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")

    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "option1_name")


def test_bundle_cannot_contain_itself(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("sku,product,price,components\nBOX,Box,20.00,BOX*2\n", encoding="utf-8")

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")

    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "components")]


def test_part_without_count_means_one(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(
        "sku,product,price,components\nBOX,Box,20.00, TEE-M ; POSTER*3 ;\n", encoding="utf-8"
    )

    [box] = read_catalog(path, currency="USD").variants

    assert box.components == [("TEE-M", 1), ("POSTER", 3)]


EXPERIENCE_HEADER = (
    "sku,product,price,kind,quantity,capacity,slots,personalisation,per_person_limit\n"
)


def test_experiences_carry_capacity_slots_and_a_personalisation_prompt(tmp_path):
    path = tmp_path / "gigs.csv"
    path.write_text(
        EXPERIENCE_HEADER
        + "MEET,Meet & greet,25,experience,,30,,,\n"
        + "SIGN,Signing slot,15,experience,,,19:00-1:00/10,Name to sign to,\n"
        + "DROP,Test pressing,60,item,20,,,,1\n"
    )
    meet, sign, drop = read_catalog(path, currency="USD").variants
    assert (meet.capacity, meet.slots, meet.personalisation) == (30, None, None)
    assert (sign.slots, sign.personalisation) == ("19:00-01:00/10", "Name to sign to")
    assert drop.per_person_limit == 1


def test_experience_columns_on_an_item_bad_slots_and_counted_codes_are_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        EXPERIENCE_HEADER
        + "TEE,Tee,25,item,5,10,,,\n"
        + "SIGN,Signing slot,15,experience,,,19:00 to 20:00,,\n"
        + "LONG,Long slot,15,experience,,,19:00-19:30/45,,\n"
        + "DL,Download card,10,digital,50,,,,\n"
        + "CAP,Booth,10,experience,,0,,,\n"
    )
    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")
    found = [(p.row, p.column, p.message) for p in caught.value.problems]
    assert (2, "capacity", "only an experience has capacity; set kind to experience") in found
    assert (3, "slots", "slots '19:00 to 20:00' should look like 20:00-21:00/5") in found
    assert (4, "slots", "slots '19:00-19:30/45': no 45-minute slot fits in that time") in found
    assert any(row == 5 and col == "quantity" and "download codes" in m for row, col, m in found)
    assert any(row == 6 and col == "capacity" for row, col, _m in found)


def test_edition_smaller_than_its_stock(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(
        "sku,product,price,quantity,edition_size\nPRINT,Print,5.00,10,5\nOK,Ok,5.00,5,5\n",
        encoding="utf-8",
    )

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")

    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "quantity")]
    assert "more than the edition of 5" in caught.value.problems[0].message
