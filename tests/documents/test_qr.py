"""QR matrices: the same symbol the qrcode library makes, faster, cached and drawn whole."""

import re
import string

import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st
from qrcode.constants import ERROR_CORRECT_M

from popup_pos.documents import qr


def reference(payload: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return [[bool(m) for m in row] for row in code.modules]


def ours(payload: str) -> list[list[bool]]:
    return [list(row) for row in qr.matrix(payload).rows]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=string.ascii_uppercase + string.digits + "-", min_size=1, max_size=120))
def test_same_symbol_as_qrcode_picks_for_scan_payloads(payload):
    assert ours(payload) == reference(payload)


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_same_symbol_for_any_text_and_large_versions(payload):
    assert ours(payload) == reference(payload)


def test_versions_with_version_information_blocks():
    sizes = []
    for length in (140, 300, 700):
        payload = ("HTTPS-EXAMPLE-" * 60)[:length]
        assert ours(payload) == reference(payload)
        sizes.append(len(ours(payload)))
    assert max(sizes) >= 45  # version 7 and up carry version bits


def test_matrices_are_cached_by_payload():
    assert qr.matrix("DL-CARD") is qr.matrix("DL-CARD")


def test_the_path_fills_exactly_the_dark_modules():
    m = qr.matrix("A-0042")
    filled = [[False] * m.size for _ in range(m.size)]
    for x, y, w, h in re.findall(r"(\d+) (\d+) (\d+) (\d+) re", m.path):
        assert int(h) == 1
        for col in range(int(x), int(x) + int(w)):
            filled[m.size - 1 - int(y)][col] = True
    assert filled == ours("A-0042")
    assert m.path.endswith(" f")
