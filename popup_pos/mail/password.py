"""The SMTP password: kept in the OS keyring, with POPUP_POS_SMTP_PASSWORD as a fallback."""

from __future__ import annotations

import os
from dataclasses import dataclass

from popup_pos.domain.errors import PosError

SERVICE = "popup-pos"
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


def _problem(exc: Exception) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"no system keyring is available ({first.split('. ')[0].rstrip('.')})"


def load() -> Password:
    """The keyring's password, else the environment's; never raises."""
    import keyring
    from keyring.errors import KeyringError

    note = None
    try:
        stored = keyring.get_password(SERVICE, USERNAME)
    except (KeyringError, RuntimeError, OSError) as exc:
        stored, note = None, _problem(exc)
    if stored:
        return Password(stored, "keyring")
    env = os.environ.get(ENV, "")
    if env:
        return Password(env, "environment", f"{note}; using {ENV}" if note else None)
    return Password(None, None, f"{note}, so set {ENV}" if note else None)


def store(password: str) -> Password:
    """Save the password in the keyring; raises with the reason when there is none."""
    import keyring
    from keyring.errors import KeyringError

    if not password or "\n" in password or "\r" in password:
        raise PasswordError("the SMTP password is empty or spans several lines")
    try:
        keyring.set_password(SERVICE, USERNAME, password)
    except (KeyringError, RuntimeError, OSError) as exc:
        raise PasswordError(f"{_problem(exc)}: set {ENV} in the environment instead") from None
    return Password(password, "keyring")


def forget() -> bool:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, USERNAME)
    except PasswordDeleteError:
        return False
    except (KeyringError, RuntimeError, OSError) as exc:
        raise PasswordError(_problem(exc)) from None
    return True
