"""Modules imported on first use, so the first frame does not wait for the database stack."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class Deferred:
    """Stands in for a module until an attribute is first read, then imports it (from
    whichever thread reads first) and reads through to it from then on.

    Only for the services that need SQLAlchemy and the models: a window can be built and
    painted before they load. Code importing them declares the real module for the type
    checker (`if TYPE_CHECKING: from … import …`) and binds a `Deferred` at run time.
    """

    __slots__ = ("_module", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<deferred module {self._name!r}>"
