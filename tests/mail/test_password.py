"""The SMTP password: in the keyring, else the environment; never printed."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from popup_pos.mail import password
from tests.smtp_support import ring

__all__ = ["ring"]


def test_store_load_forget(ring, monkeypatch):
    monkeypatch.delenv(password.ENV, raising=False)
    assert password.load().value is None
    password.store("pa55")
    found = password.load()
    assert (found.value, found.source) == ("pa55", "keyring")
    assert "pa55" not in repr(found)
    assert password.forget() and not password.forget()


def test_no_keyring_falls_back_to_the_environment(monkeypatch):
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        monkeypatch.setenv(password.ENV, "from-env")
        found = password.load()
        assert found.source == "environment" and "no system keyring" in (found.note or "")
        with pytest.raises(password.PasswordError, match=password.ENV):
            password.store("x")
    finally:
        keyring.set_keyring(before)


def test_empty_or_multiline_is_refused(ring):
    with pytest.raises(password.PasswordError, match="empty or spans"):
        password.store("a\nb")
