"""Errors raised by the domain and services for mistakes a person can fix."""


class PosError(Exception):
    """A user-facing error: its message says what is wrong and where."""


class MoneyError(PosError, ValueError):
    """An amount, currency or rate that cannot be accepted."""


class InvalidTransitionError(PosError):
    """An order was asked to move to a status it cannot reach from where it is."""
