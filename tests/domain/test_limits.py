"""The limits on typed numbers and texts, and the messages that name them."""

from __future__ import annotations

import pytest

from popup_pos.domain.limits import (
    MAX_QUANTITY,
    LimitError,
    check_text,
    check_whole,
    could_be_code,
    parse_whole,
)


@pytest.mark.parametrize(
    ("typed", "value"), [("12", 12), (" 7 ", 7), ("+3", 3), ("-2", -2), ("007", 7), ("0", 0)]
)
def test_plain_whole_numbers(typed, value):
    assert parse_whole(typed, "N", low=-10) == value


@pytest.mark.parametrize(
    "typed", ["1_000", "١٢", "۱۲", "²", "1.0", "1e3", "", " ", "+", "--1", "1 000", "0x1f", "½"]
)
def test_what_int_would_accept_or_a_person_might_mean_is_refused(typed):
    with pytest.raises(LimitError, match=r"^N must be a whole number written with 0-9, not "):
        parse_whole(typed, "N")


def test_limits_are_named():
    with pytest.raises(LimitError, match=f"^QTY 100,001 is over the limit of {MAX_QUANTITY:,}$"):
        parse_whole("100001", "QTY")
    with pytest.raises(LimitError, match=r"^QTY 999999… is over the limit of 100,000$"):
        parse_whole("9" * 5000, "QTY")  # beyond what int() converts: refused before it
    with pytest.raises(LimitError, match=r"^N -999999… is below the limit of -5$"):
        parse_whole("-" + "9" * 40, "N", low=-5)
    with pytest.raises(LimitError, match=r"^copies must be at least 1, not 0$"):
        check_whole(0, "copies", low=1)
    with pytest.raises(LimitError, match=r"^N cannot be negative \(-1\)$"):
        check_whole(-1, "N")
    with pytest.raises(LimitError, match="whole number"):
        check_whole(True, "N")


def test_text_fits_its_column_and_has_no_control_characters():
    assert check_text("  Friday  ", "name", 10) == "Friday"
    with pytest.raises(LimitError, match=r"^name is 11 characters long: the most is 10$"):
        check_text("x" * 11, "name", 10)
    with pytest.raises(LimitError, match=r"^name contains a control character \(U\+0000\)"):
        check_text("a\x00b", "name", 10)
    with pytest.raises(LimitError, match=r"U\+DCFF"):
        check_text("a\udcffb", "name", 10)  # an undecodable byte from a command line
    with pytest.raises(LimitError, match=r"^name is empty$"):
        check_text("  ", "name", 10)
    assert check_text("", "note", 10, required=False) == ""
    assert check_text("two\nlines", "note", 20, multiline=True) == "two\nlines"
    with pytest.raises(LimitError, match="control character"):
        check_text("two\nlines", "name", 20)


def test_what_could_be_a_code():
    assert could_be_code("TEE-BLK-M") and could_be_code("0123456789012")
    assert not could_be_code("") and not could_be_code("x" * 65)
    assert not could_be_code("TEE\x00") and not could_be_code("TEE\t")
