"""The report's figures read the same on the screen, in the PDF and in the files."""

from __future__ import annotations

from popup_pos.domain.report import minutes_text, repeat_text, short_percent


def test_minutes_wording():
    assert minutes_text(None) == "—"
    assert minutes_text(4.54) == "4.5 min"
    assert minutes_text(65) == "1 h 05 min"


def test_a_rate_reads_to_one_decimal_at_most():
    assert short_percent(None) == "—"
    assert short_percent(333_333) == "33.3%"
    assert short_percent(500_000) == "50%"


def test_a_share_names_its_part_and_whole():
    assert repeat_text(1, 2, 500_000) == "50% (1 of 2)"
    assert repeat_text(1_234, 5_000, 246_800) == "24.7% (1,234 of 5,000)"
    # Nothing to take a share of: a dash, not "0% (0 of 0)".
    assert repeat_text(0, 0, None) == "—"
