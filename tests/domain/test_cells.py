"""CSV text cells guarded against formulas, and the guard taken off again on import."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from popup_pos.domain.cells import neutralise, restore


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (
            '=HYPERLINK("http://evil.example","click")',
            '\'=HYPERLINK("http://evil.example","click")',
        ),
        ("+1 555 0100", "'+1 555 0100"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("-2+3", "'-2+3"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("'=1+1", "''=1+1"),  # already quoted: one more, so restore gives it back as typed
        ("Tour tee", "Tour tee"),
        ("'Til Death tee", "'Til Death tee"),
        ("a=b", "a=b"),
        ("", ""),
        ("'", "'"),
    ],
)
def test_text_that_starts_like_a_formula_gets_a_quote(text, written):
    assert neutralise(text) == written
    assert restore(written) == text


@pytest.mark.parametrize("value", [-1250, 0, 12, 2.5, None, True])
def test_values_that_are_not_text_are_left_alone(value):
    assert neutralise(value) is value


@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab 1"), max_size=8))
def test_restore_undoes_neutralise(text):
    guarded = neutralise(text)
    assert restore(guarded) == text
    assert isinstance(guarded, str)
    assert not guarded or guarded[0] not in "=+-@\t\r"
