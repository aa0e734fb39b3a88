"""Secrets in the OS keyring (the Stripe key, the SMTP password), read, saved and removed
by name, with what went wrong said in one line."""

from __future__ import annotations

from popup_pos.domain.errors import PosError

SERVICE = "popup-pos"


class KeychainError(PosError):
    """The keyring cannot do it; the message says why in one line."""


def problem(exc: Exception) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    # Backends explain at length; the first sentence is what a seller needs.
    first = first.split(". ")[0].rstrip(".")
    return f"no system keyring is available ({first})"


def read(name: str) -> tuple[str | None, str | None]:
    """(the secret or None, why the keyring could not be asked or None). Never raises:
    a machine without a keyring (a CI runner, a bare Linux box) just has nothing in it."""
    # keyring is imported when a secret is wanted, not at start-up: it costs time and
    # memory before the selling screen can paint.
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, name), None
    except (KeyringError, RuntimeError, OSError) as exc:
        # Backends raise their own errors (D-Bus, locked collections); any of them just
        # means the keyring cannot help right now.
        return None, problem(exc)


def save(name: str, secret: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, name, secret)
    except (KeyringError, RuntimeError, OSError) as exc:
        raise KeychainError(problem(exc)) from None


def forget(name: str) -> bool:
    """Remove the secret; False when none was stored."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, name)
    except PasswordDeleteError:
        return False
    except (KeyringError, RuntimeError, OSError) as exc:
        raise KeychainError(problem(exc)) from None
    return True
