"""The per-install certificate: made once, kept, its fingerprint stable."""

from __future__ import annotations

import ssl
from pathlib import Path

from popup_pos.web import tls


def test_certificate_is_made_once_and_loads(tmp_path: Path) -> None:
    first = tls.certificate(tmp_path / "c", ["192.168.1.20"])
    again = tls.certificate(tmp_path / "c", ["10.0.0.1"])
    assert first == again
    assert len(first.fingerprint.split(":")) == 32
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(first.cert_file, first.key_file)
    assert first.key_file.stat().st_mode & 0o077 == 0
