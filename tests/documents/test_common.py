"""Saved PDFs: replaced whole, and readable by their owner only."""

import os
import stat

import pytest

from popup_pos.documents.common import write_pdf


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_saved_pdf_is_owner_only_even_over_a_readable_one(tmp_path):
    path = tmp_path / "labels.pdf"
    old = os.umask(0o022)
    try:
        path.write_bytes(b"old")
        write_pdf(b"%PDF-1.4 new", path)
    finally:
        os.umask(old)
    assert path.read_bytes() == b"%PDF-1.4 new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["labels.pdf"]
