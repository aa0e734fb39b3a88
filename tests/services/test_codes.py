"""Download-code pools: imported all or nothing, one code per unit at payment, voided on refund."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from popup_pos.domain.catalog_file import CatalogFileError
from popup_pos.services import checkout, codes, payments
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.services.codes import CodeError


def _pool(shop) -> codes.PoolView:
    (pool,) = [p for p in codes.pools(shop.uow) if p.sku == "DL-CARD"]
    return pool


def test_the_demo_pool_is_the_stock(shop):
    pool = _pool(shop)
    assert pool.unused == 300 and pool.on_hand == 300 and pool.assigned == pool.void == 0
    assert shop.on_hand("DL-CARD") == 300


def test_a_paid_sale_gets_one_code_a_unit_and_the_stock_is_what_is_left(shop):
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD", 2),)))
    assert len({c.code for c in sold.codes}) == 2
    assert {(c.sku, c.name) for c in sold.codes} == {
        ("DL-CARD", "Download card: Nights Like These")
    }
    pool = _pool(shop)
    assert (pool.unused, pool.assigned, pool.on_hand) == (298, 2, 298)
    order = checkout.get_order(shop.uow, sold.order_id)
    assert order.codes == {order.lines[0].id: [(c.code, "assigned") for c in sold.codes]}


def test_an_unpaid_order_holds_stock_but_gets_its_code_only_when_paid(shop):
    placed = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("DL-CARD"),)))
    assert placed.codes == ()
    pool = _pool(shop)
    assert (pool.unused, pool.on_hand) == (300, 299)
    paid = checkout.add_payment(shop.uow, placed.order_id, TenderSpec("cash"))
    assert len(paid.codes) == 1
    assert (_pool(shop).unused, _pool(shop).on_hand) == (299, 299)


def test_a_cancelled_order_never_took_a_code(shop):
    placed = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("DL-CARD"),)))
    payments.cancel_order(shop.uow, placed.order_id)
    pool = _pool(shop)
    assert (pool.unused, pool.on_hand, pool.assigned) == (300, 300, 0)


@pytest.mark.parametrize("to_stock", [False, True])
def test_a_refunded_code_is_voided_and_never_sold_again(shop, to_stock):
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD", 2),)))
    order = checkout.get_order(shop.uow, sold.order_id)
    payments.refund_to_tenders(
        shop.uow, sold.order_id, lines={order.lines[0].id: 1}, return_to_stock=to_stock
    )
    pool = _pool(shop)
    assert (pool.unused, pool.assigned, pool.void, pool.on_hand) == (298, 1, 1, 298)
    voided = checkout.get_order(shop.uow, sold.order_id).codes[order.lines[0].id]
    assert [s for _c, s in voided] == ["assigned", "void"]
    again = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD", 5),)))
    assert not {c.code for c in again.codes} & {c for c, _s in voided}


def test_import_adds_codes_from_text_and_csv(shop, tmp_path):
    text = tmp_path / "bandcamp.txt"
    text.write_text("# from the label\nNEW1-AAAA\n\n  NEW2-BBBB  \n")
    assert codes.import_codes(shop.uow, "DL-CARD", text).added == 2
    sheet = tmp_path / "codes.csv"
    sheet.write_text("Code,Redeemed\nNEW3-CCCC,no\nNEW4-DDDD,no\n")
    result = codes.import_codes(shop.uow, "DL-CARD", sheet)
    assert (result.added, result.unused) == (2, 304)
    bare = tmp_path / "bare.csv"
    bare.write_text("NEW5-EEEE,x\nNEW6-FFFF,y\n")  # no header: the first column
    assert codes.import_codes(shop.uow, "DL-CARD", bare).added == 2
    assert shop.on_hand("DL-CARD") == 306


def test_a_bad_code_file_changes_nothing_and_names_every_line(shop, tmp_path):
    path = tmp_path / "codes.txt"
    path.write_text("GOOD-0001\nGOOD-0001\nhas space\n" + "x" * 201 + "\n")
    with pytest.raises(CatalogFileError) as caught:
        codes.import_codes(shop.uow, "DL-CARD", path)
    assert [str(p) for p in caught.value.problems] == [
        "row 2, column 'code': code 'GOOD-0001' is also on line 1",
        "row 3, column 'code': code 'has space' has a space in it",
        "row 4, column 'code': code 'xxxxxxxxxxxxxxxxxxxx'… is 201 characters long; "
        "it can be at most 200",
    ]
    assert _pool(shop).unused == 300


def test_a_nul_byte_or_control_character_in_a_code_is_refused(shop, tmp_path):
    path = tmp_path / "codes.txt"
    path.write_text("GOOD-0001\nBAD\x00-0002\nBAD\x1b-0003\n")
    with pytest.raises(CatalogFileError) as caught:
        codes.import_codes(shop.uow, "DL-CARD", path)
    assert [(p.row, "NUL" in p.message) for p in caught.value.problems] == [(2, True), (3, False)]
    assert "U+001B" in caught.value.problems[1].message
    assert _pool(shop).unused == 300


def test_an_unclosed_quote_in_a_code_sheet_is_refused(shop, tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text('Code\nONE-1\n"TWO-2\nTHREE-3\nFOUR-4\n')
    with pytest.raises(CatalogFileError) as caught:
        codes.import_codes(shop.uow, "DL-CARD", path)
    assert [p.row for p in caught.value.problems] == [3]
    assert "never closed" in caught.value.problems[0].message
    assert _pool(shop).unused == 300


def test_importing_the_same_codes_twice_is_refused_whole(shop, tmp_path):
    path = tmp_path / "codes.txt"
    path.write_text("ONE-1\nTWO-2\n")
    codes.import_codes(shop.uow, "DL-CARD", path)
    path.write_text("THREE-3\nTWO-2\n")
    with pytest.raises(CatalogFileError, match="row 2, column 'code': code 'TWO-2' is already"):
        codes.import_codes(shop.uow, "DL-CARD", path)
    assert _pool(shop).unused == 302


def test_codes_only_go_to_digital_items(shop, tmp_path):
    path = tmp_path / "codes.txt"
    path.write_text("ONE-1\n")
    with pytest.raises(CodeError, match="TEE-M is an item, not digital"):
        codes.import_codes(shop.uow, "TEE-M", path)
    with pytest.raises(CodeError, match="no variant with SKU 'NOPE'"):
        codes.import_codes(shop.uow, "NOPE", path)
    path.write_text("\n# nothing\n")
    with pytest.raises(CatalogFileError, match="has no codes in it"):
        codes.import_codes(shop.uow, "DL-CARD", path)


CODE_LINES = st.lists(
    st.one_of(
        st.sampled_from(["OK-1", "OK-2", "ok-1", '"', '"QUOTED', "a,b", "has space", "\x00",
                         "NUL\x00X", "\x1b", "x" * 201, "# note", "", "Code"]),
        st.text(max_size=10),
    ),
    max_size=6,
)  # fmt: skip


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines=CODE_LINES, suffix=st.sampled_from([".txt", ".csv"]))
def test_generated_code_files_are_taken_whole_or_refused_whole(shop, lines, suffix):
    before = _pool(shop)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"codes{suffix}"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            result = codes.import_codes(shop.uow, "DL-CARD", path)
        except CatalogFileError as exc:
            assert exc.problems and all(p.row >= 1 and p.message for p in exc.problems)
            assert _pool(shop) == before
            return
    assert _pool(shop).unused == before.unused + result.added
