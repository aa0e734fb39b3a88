"""The SMTP adapter against a real server on 127.0.0.1: plain, STARTTLS, TLS, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from popup_pos.mail import smtp
from tests.smtp_support import (
    PASSWORD,
    USER,
    SmtpServer,
    free_port,
    make_cert,
    smtp_server,
    tls_server,
)

__all__ = ["smtp_server", "tls_server"]

RAW = b"From: a@example.com\nTo: b@example.com\nSubject: hi\nMessage-ID: <1@x>\n\nhello\n"


def test_plain_send(smtp_server):
    conn = smtp.connect(smtp.Server("127.0.0.1", smtp_server.port, "none"), None)
    smtp.send(conn, "a@example.com", "b@example.com", RAW)
    smtp.close(conn)
    [msg] = smtp_server.sink.messages()
    assert msg["Subject"] == "hi" and smtp_server.sink.rcpt == [["b@example.com"]]


def test_nobody_listening_is_unreachable():
    port = free_port()
    with pytest.raises(smtp.UnreachableError, match=f"cannot reach 127.0.0.1:{port}"):
        smtp.check(smtp.Server("127.0.0.1", port, "none"), None)


def test_starttls_login(tls_server):
    assert tls_server.cert is not None
    server = smtp.Server(
        "127.0.0.1", tls_server.port, "starttls", USER, cafile=str(tls_server.cert[0])
    )
    smtp.check(server, PASSWORD)
    with pytest.raises(smtp.LoginRefusedError, match="wrong user name or password"):
        smtp.check(server, "nope")
    with pytest.raises(smtp.LoginRefusedError, match="no SMTP password"):
        smtp.check(server, None)


def test_an_untrusted_certificate_is_refused(tls_server):
    server = smtp.Server("127.0.0.1", tls_server.port, "starttls", USER)
    with pytest.raises(smtp.UnreachableError, match="secure connection failed"):
        smtp.check(server, PASSWORD)


def test_implicit_tls(tmp_path: Path):
    import ssl

    from aiosmtpd.controller import Controller

    cert, key = make_cert(tmp_path)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(str(cert), str(key))
    sink = SmtpServer().sink
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, ssl_context=ctx)
    controller.start()
    try:
        conn = smtp.connect(smtp.Server("127.0.0.1", port, "tls", cafile=str(cert)), None)
        smtp.send(conn, "a@example.com", "b@example.com", RAW)
        smtp.close(conn)
    finally:
        controller.stop()
    assert len(sink.raw) == 1


def test_refused_recipient_is_permanent(smtp_server):
    smtp_server.sink.refuse.add("no@example.com")
    conn = smtp.connect(smtp.Server("127.0.0.1", smtp_server.port, "none"), None)
    with pytest.raises(
        smtp.RecipientRefusedError, match=r"refused the address no@example\.com"
    ) as e:
        smtp.send(conn, "a@example.com", "no@example.com", RAW)
    smtp.close(conn)
    assert e.value.permanent
