"""Code 128 symbols: set B, set C for digit runs, the check digit, and what a reader decodes."""

import io

import pytest

from popup_pos.documents import code128
from popup_pos.documents.labels import LabelItem, render_labels

CASES = ["A", "9", "42", "0000", "12345", "TEE-M", "X1234", "AB123456CD", "A-0042", "BN-00001"]


def test_set_c_is_used_where_it_saves_width():
    assert code128.values("123456")[0] == code128.START_C
    assert code128.values("TEE-M")[0] == code128.START_B
    assert code128.CODE_C in code128.values("AB123456CD")
    assert code128.CODE_C not in code128.values("AB1234CD")  # 4 digits mid-way: not worth it
    assert code128.encode("BN-00001").modules < code128.encode("BN-ABCDE").modules


def test_check_digit_of_a_known_symbol():
    # Start B (104) + "PJJ123C": (104 + 48 + 2*42 + 3*42 + 4*17 + 5*18 + 6*19 + 7*35) = 879,
    # and 879 % 103 = 55.
    assert code128.values("PJJ123C") == [104, 48, 42, 42, 17, 18, 19, 35, 55, 106]


def test_bars_add_up_to_the_symbol_width():
    symbol = code128.encode("TEE-M")
    assert symbol.modules == 11 * (len(code128.values("TEE-M")) - 1) + 13
    assert symbol.bars[0] == (0, 2)  # start B opens with a 2-module bar
    last_x, last_w = symbol.bars[-1]
    assert last_x + last_w == symbol.modules  # the stop pattern ends with a bar


def test_only_printable_ascii():
    with pytest.raises(ValueError):
        code128.values("")
    with pytest.raises(ValueError):
        code128.values("tée")


def test_a_reader_decodes_what_was_encoded(read_pdf):
    out = io.BytesIO()
    render_labels([LabelItem("x", sku=text) for text in CASES], "dymo-30252", out=out)
    pdf = read_pdf(out.getvalue())
    for dpi in (203, 300):
        decoded = [page.decode() for page in pdf.pages(dpi)]
        assert decoded == [[("Code128", text)] for text in CASES]
