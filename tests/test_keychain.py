"""Secrets in the keyring by name: saved, read, removed, and one line when there is none."""

import pytest

from popup_pos import keychain

# The fake Stripe's fixtures no_keyring and memory_keyring set the keyring's backend.
pytest_plugins = ["tests.stripe_fake.fixtures"]


def test_save_read_forget(memory_keyring):
    assert keychain.read("thing") == (None, None)
    keychain.save("thing", "s3cret")
    assert memory_keyring.items == {("popup-pos", "thing"): "s3cret"}
    assert keychain.read("thing") == ("s3cret", None)
    assert keychain.forget("thing") is True
    assert keychain.forget("thing") is False


def test_no_keyring_is_one_line(no_keyring):
    value, problem = keychain.read("thing")
    assert value is None and problem is not None
    assert problem.startswith("no system keyring is available (") and "\n" not in problem
    with pytest.raises(keychain.KeychainError, match="no system keyring is available"):
        keychain.save("thing", "s3cret")
