"""Helpers for tests against the fake Stripe: keys, the server handle, a keyring."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import requests
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

SERVER = Path(__file__).with_name("server.py")
# A key that looks real enough for every check; tests grep for it to prove it never leaks.
TEST_KEY = "sk_test_51PopupPosNeverStoreThisKey0123456789"
RESTRICTED_KEY = "rk_test_51PopupPosRestrictedKey0123456789"


class FakeStripe:
    """The running fake: its address and the test-only actions."""

    def __init__(self, api: str, localstripe: str) -> None:
        self.api = api
        self.localstripe = localstripe
        self.http = requests.Session()

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {TEST_KEY}"}

    def reset(self) -> None:
        self.http.delete(f"{self.api}/_config/data", timeout=10).raise_for_status()

    def pay(self, session_id: str, payment_method: str = "pm_card_visa") -> requests.Response:
        """The customer pays the Checkout Session on their phone."""
        return self.http.post(
            f"{self.api}/_fake/checkout/sessions/{session_id}/pay",
            data={"payment_method": payment_method},
            timeout=10,
        )

    def get(self, path: str, **params: Any) -> Any:
        r = self.http.get(f"{self.api}{path}", params=params, headers=self._auth(), timeout=10)
        r.raise_for_status()
        return r.json()

    def post(self, path: str, **data: Any) -> Any:
        r = self.http.post(f"{self.api}{path}", data=data, headers=self._auth(), timeout=10)
        return r.json()

    def sessions(self) -> list[dict[str, Any]]:
        return list(self.get("/v1/checkout/sessions", limit=100)["data"])

    def intents(self) -> list[dict[str, Any]]:
        return list(self.get("/v1/payment_intents", limit=100)["data"])

    def refunds(self) -> list[dict[str, Any]]:
        return list(self.get("/v1/refunds", limit=100)["data"])

    def log(self) -> list[dict[str, Any]]:
        return list(self.http.get(f"{self.api}/_fake/log", timeout=10).json())


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this process, so tests never touch the machine's own."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.items:
            raise PasswordDeleteError("not set")
        del self.items[(service, username)]


def child_env(api_base: str) -> dict[str, str]:
    """Environment for a child process that sells through the fake."""
    env = dict(os.environ)
    env.update(
        STRIPE_API_KEY=TEST_KEY,
        POPUP_POS_STRIPE_API_BASE=api_base,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    return env
