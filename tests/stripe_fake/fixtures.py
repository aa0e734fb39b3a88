"""Pytest fixtures for the fake Stripe, loaded by `pytest_plugins` in the test modules."""

from __future__ import annotations

import json
import select
import subprocess
import sys
from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail

from tests.stripe_fake.support import SERVER, TEST_KEY, FakeStripe, MemoryKeyring


@pytest.fixture(scope="session")
def stripe_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeStripe]:
    """localstripe and its extension, started once per test run on 127.0.0.1."""
    errors = tmp_path_factory.mktemp("stripe_fake") / "server.log"
    with (
        errors.open("w") as err,
        subprocess.Popen(
            [sys.executable, str(SERVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        ) as proc,
    ):
        assert proc.stdout is not None and proc.stdin is not None
        ready, _, _ = select.select([proc.stdout], [], [], 30)
        line = proc.stdout.readline() if ready else ""
        if not line:
            proc.kill()
            raise RuntimeError(f"the fake Stripe did not start: {errors.read_text()[-2000:]}")
        ports = json.loads(line)
        try:
            yield FakeStripe(
                f"http://127.0.0.1:{ports['api']}", f"http://127.0.0.1:{ports['localstripe']}"
            )
        finally:
            # Closing stdin tells the server to stop; kill it if it does not.
            proc.stdin.close()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """Like a CI runner: no keyring backend at all."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def stripe(
    stripe_server: FakeStripe, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> Iterator[FakeStripe]:
    """An empty fake Stripe that the app reaches through STRIPE_API_KEY and
    POPUP_POS_STRIPE_API_BASE, with no keyring and fresh connection state."""
    from popup_pos.services import payments

    stripe_server.reset()
    monkeypatch.setenv("STRIPE_API_KEY", TEST_KEY)
    monkeypatch.setenv("POPUP_POS_STRIPE_API_BASE", stripe_server.api)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    payments.reset_connection()
    yield stripe_server
    payments.reset_connection()
