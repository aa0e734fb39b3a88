"""The SMTP password: kept in the OS keyring, with POPUP_POS_SMTP_PASSWORD as a fallback."""

from __future__ import annotations

import os
from dataclasses import dataclass

from popup_pos import keychain
from popup_pos.domain.errors import PosError

SERVICE = keychain.SERVICE
USERNAME = "smtp-password"
ENV = "POPUP_POS_SMTP_PASSWORD"


class PasswordError(PosError):
    """A password that cannot be stored."""


@dataclass(frozen=True, slots=True)
class Password:
    """The password to use and where it came from; never printed."""

    value: str | None
    source: str | None  # "keyring" | "environment" | None
    note: str | None = None

    def __repr__(self) -> str:
        return f"Password(set={self.value is not None}, source={self.source!r})"


def load() -> Password:
    """The keyring's password, else the environment's; never raises."""
    stored, note = keychain.read(USERNAME)
    if stored:
        return Password(stored, "keyring")
    env = os.environ.get(ENV, "")
    if env:
        return Password(env, "environment", f"{note}; using {ENV}" if note else None)
    return Password(None, None, f"{note}, so set {ENV}" if note else None)


def store(password: str) -> Password:
    """Save the password in the keyring; raises with the reason when there is none."""
    if not password or "\n" in password or "\r" in password:
        raise PasswordError("the SMTP password is empty or spans several lines")
    try:
        keychain.save(USERNAME, password)
    except keychain.KeychainError as exc:
        raise PasswordError(f"{exc}: set {ENV} in the environment instead") from None
    return Password(password, "keyring")


def forget() -> bool:
    try:
        return keychain.forget(USERNAME)
    except keychain.KeychainError as exc:
        raise PasswordError(str(exc)) from None
