"""Running the phone server: in the foreground (`popup-pos serve`) or on a background
thread of the selling screen, over HTTP or HTTPS."""

from __future__ import annotations

import asyncio
import gc
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from popup_pos import config
from popup_pos.store.uow import UnitOfWork
from popup_pos.web.app import make_app
from popup_pos.web.tls import Certificate, certificate
from popup_pos.web.upkeep import Upkeep

DEFAULT_PORT = 8443
START_TIMEOUT_S = 10.0


class ServerError(Exception):
    """The server could not start (the port is taken, the address is not this machine's)."""


def lan_address() -> str:
    """This machine's address on the venue network, as phones reach it (no packet is sent:
    a UDP socket's connect only picks the outgoing interface)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


@dataclass(frozen=True, slots=True)
class Listening:
    url: str  # what the pairing QR opens, without the code
    fingerprint: str | None  # HTTPS only


def _config(uow: UnitOfWork, host: str, port: int, cert: Certificate | None) -> uvicorn.Config:
    return uvicorn.Config(
        make_app(uow),
        host=host,
        port=port,
        ssl_certfile=str(cert.cert_file) if cert else None,
        ssl_keyfile=str(cert.key_file) if cert else None,
        log_level="warning",
        access_log=False,
        lifespan="off",
        # Phones poll every second or two: keep their connections.
        timeout_keep_alive=30,
    )


def _spare_the_collector() -> None:
    """What the process holds by now (modules, the Qt and SQLAlchemy machinery, the
    catalog) lives until it ends: taken out of the collector's reach, a full collection
    no longer walks it, a pause of tens of ms that every queued sale would wait out.
    Once per process: a server started again later finds it done."""
    if gc.get_freeze_count() == 0:
        gc.collect()  # garbage already made is freed, not kept for good
        gc.freeze()


class PhoneServer:
    """One server on one address; `start` returns once it listens, `stop` once it ended."""

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        host: str = "0.0.0.0",
        port: int = DEFAULT_PORT,
        https: bool = True,
        cert_folder: Path | None = None,
    ) -> None:
        self.uow, self.host, self.port, self.https = uow, host, port, https
        self.cert_folder = cert_folder
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def _base_url(self) -> str:
        shown = lan_address() if self.host in ("0.0.0.0", "::", "") else self.host
        return f"{'https' if self.https else 'http'}://{shown}:{self.port}/"

    def _listening(self, cert: Certificate | None) -> Listening:
        return Listening(self._base_url(), cert.fingerprint if cert else None)

    def url_for_pairing(self, code: str) -> str:
        """What the pairing QR holds: the page, with the one-time code in its fragment (a
        fragment never reaches a server's or a proxy's log)."""
        return f"{self._base_url()}#pair={code}"

    def check_address(self) -> None:
        """ServerError, in one line, when this machine cannot listen on the address and
        port (not one of its addresses, or the port is taken): said before anything is
        printed for phones to open."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as s:
            # As uvicorn binds: a port left in TIME_WAIT by a server just stopped is free.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((self.host, self.port))
            except OSError as e:
                why = e.strerror or str(e)
                raise ServerError(
                    f"the phone server could not listen on {self.host}:{self.port}: {why}"
                ) from None

    def _cert(self) -> Certificate | None:
        if not self.https:
            return None
        folder = self.cert_folder or config.data_dir() / "phone-server"
        return certificate(folder, [lan_address(), "127.0.0.1"])

    def start(self) -> Listening:
        """Listen on a background thread; ServerError if it could not."""
        cert = self._cert()
        _spare_the_collector()
        server = uvicorn.Server(_config(self.uow, self.host, self.port, cert))
        # uvicorn leaves signals alone off the main thread: the selling screen keeps them.
        self._server = server

        def run() -> None:
            try:
                asyncio.run(server.serve())
            except BaseException as e:
                self._error = e

        self._thread = threading.Thread(target=run, name="phone-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not server.started:
            self._thread.join(0.02)
            if not self._thread.is_alive() or time.monotonic() > deadline:
                server.should_exit = True
                why = self._error or "the address is in use or not this machine's"
                raise ServerError(f"the phone server could not listen on port {self.port}: {why}")
        if self.port == 0:  # any free port (tests): the one the system gave
            self.port = int(server.servers[0].sockets[0].getsockname()[1])
        return self._listening(cert)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(START_TIMEOUT_S)
        self._server = self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def serve_forever(self) -> None:
        """In the foreground, until Ctrl+C (`popup-pos serve`). No register may be open
        beside it, so it also does a register's background work (`Upkeep`)."""
        self.check_address()
        cert = self._cert()
        _spare_the_collector()
        print(f"Phones: open {self._listening(cert).url} (Ctrl+C to stop)")
        if cert:
            print(f"HTTPS certificate fingerprint (SHA-256): {cert.fingerprint}")
        upkeep = Upkeep(self.uow)
        upkeep.start()
        try:
            uvicorn.Server(_config(self.uow, self.host, self.port, cert)).run()
        finally:
            upkeep.stop()
