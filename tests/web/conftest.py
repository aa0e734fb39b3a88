"""A phone server on loopback over a test shop, and a small JSON client for it."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from popup_pos.services import devices, staff
from popup_pos.store.uow import UnitOfWork
from popup_pos.web.app import STATE_MAX_AGE_S
from popup_pos.web.server import PhoneServer

HELPER_PIN = "4321"


@dataclass
class Client:
    base: str
    token: str | None = None

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        key: str | None = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> tuple[int, dict[str, Any]]:
        sent = dict(headers or {})
        if self.token:
            sent.setdefault("Authorization", f"Bearer {self.token}")
        if key:
            sent["Idempotency-Key"] = key
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                return res.status, json.loads(res.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def state_after_change(self) -> dict[str, Any]:
        """The polled state as the page reads it after a change: the state all phones
        share may be that old, so it waits as long first."""
        time.sleep(STATE_MAX_AGE_S + 0.05)
        status, body = self.call("GET", "/api/state")
        assert status == 200, body
        return body


@dataclass
class Served:
    base: str
    uow: UnitOfWork
    server: PhoneServer

    def client(self) -> Client:
        return Client(self.base)

    def paired(self, pin: str = HELPER_PIN) -> Client:
        code = devices.start_pairing(self.uow, actor="test").code
        c = Client(self.base)
        status, body = c.call("POST", "/api/pair", {"code": code, "pin": pin})
        assert status == 200, body
        c.token = body["token"]
        return c


@pytest.fixture
def helper(shop: Any) -> Any:
    return staff.add_staff(shop.uow, "Robin", "helper", HELPER_PIN, actor="test")


@pytest.fixture
def served(shop: Any, helper: Any) -> Iterator[Served]:
    server = PhoneServer(shop.uow, host="127.0.0.1", port=0, https=False)
    server.start()
    try:
        yield Served(f"http://127.0.0.1:{server.port}", shop.uow, server)
    finally:
        server.stop()
