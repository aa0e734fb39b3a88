"""The server starts on a background thread, over HTTPS with its fingerprint, and stops."""

from __future__ import annotations

import hashlib
import socket
import ssl
from pathlib import Path
from typing import Any

import pytest

from popup_pos.web.server import PhoneServer, ServerError


def test_https_serves_the_certificate_shown_for_pairing(shop: Any, tmp_path: Path) -> None:
    server = PhoneServer(shop.uow, host="127.0.0.1", port=0, cert_folder=tmp_path)
    listening = server.start()
    try:
        assert listening.url.startswith("https://127.0.0.1:")
        assert server.url_for_pairing("ABC").endswith("/#pair=ABC")
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        with (
            socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw,
            ctx.wrap_socket(raw) as tls_sock,
        ):
            der = tls_sock.getpeercert(binary_form=True)
        assert der is not None
        seen = ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())
        assert seen == listening.fingerprint
    finally:
        server.stop()
    assert not server.running


def test_a_taken_port_is_a_clear_error(shop: Any) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(ServerError, match=f"port {port}"):
            PhoneServer(shop.uow, host="127.0.0.1", port=port, https=False).start()
