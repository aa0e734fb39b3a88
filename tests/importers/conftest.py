"""Shared fixtures for the catalog reader tests."""

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data() -> Path:
    """The folder of sample exports."""
    return DATA
