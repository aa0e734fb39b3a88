"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), with login and STARTTLS when asked."""

from __future__ import annotations

import asyncio
import email
import socket
import ssl
import subprocess
import threading
import warnings
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import keyring
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.stripe_fake.support import MemoryKeyring

USER, PASSWORD = "seller", "s3cret-Pa55word-xyz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Sink:
    """Keeps what arrived; `hold` makes DATA hang (a send that never finishes)."""

    def __init__(self) -> None:
        self.raw: list[bytes] = []
        self.rcpt: list[list[str]] = []
        self.hold = False
        self.data_started = threading.Event()
        self.refuse: set[str] = set()

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        self.data_started.set()
        if self.hold:
            await asyncio.sleep(3600)
        assert isinstance(envelope.content, bytes)
        self.raw.append(envelope.content)
        self.rcpt.append(list(envelope.rcpt_tos))
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(r, policy=policy.default) for r in self.raw]


def _auth(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    if isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    ):
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


class SmtpServer:
    """Start, stop and start again on the same port (a venue's server coming back)."""

    def __init__(self, *, login: bool = False, cert: tuple[Path, Path] | None = None) -> None:
        self.sink = Sink()
        self.port = free_port()
        self.login = login
        self.cert = cert
        self.controller: Controller | None = None

    def start(self) -> None:
        kwargs: dict[str, Any] = {}
        if self.cert is not None:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(str(self.cert[0]), str(self.cert[1]))
            kwargs["tls_context"] = ctx
        if self.login:
            kwargs.update(authenticator=_auth, auth_required=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.controller = Controller(
                self.sink, hostname="127.0.0.1", port=self.port, server_kwargs=kwargs
            )
            self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def make_cert(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made fresh for the test."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[SmtpServer]:
    """STARTTLS with a self-signed certificate, login required."""
    server = SmtpServer(login=True, cert=make_cert(tmp_path))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    mem = MemoryKeyring()
    keyring.set_keyring(mem)
    yield mem
    keyring.set_keyring(before)
