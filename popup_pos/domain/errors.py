"""Errors raised by the domain and services for mistakes a person can fix."""


class PosError(Exception):
    """A user-facing error: its message says what is wrong and where."""


class MoneyError(PosError, ValueError):
    """An amount, currency or rate that cannot be accepted."""


class InvalidTransitionError(PosError):
    """An order was asked to move to a status it cannot reach from where it is."""


class StockError(PosError):
    """A stock change that would make a count wrong."""


class NotEnoughStockError(StockError):
    def __init__(self, sku: str, wanted: int, available: int) -> None:
        self.sku, self.wanted, self.available = sku, wanted, available
        left = "sold out" if available <= 0 else f"only {available} left"
        super().__init__(f"{sku}: {left}, cannot take {wanted}")
