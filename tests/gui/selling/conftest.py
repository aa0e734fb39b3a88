"""A selling screen on the demo shop, signed in as the organizer, for the selling parts."""

from __future__ import annotations

import pytest

from popup_pos.services import settings
from tests.gui.conftest import open_register


@pytest.fixture
def window(qtbot, shop, organizer):
    return open_register(qtbot, shop, organizer)


@pytest.fixture
def venmo(shop):
    settings.put(shop.uow, "wallets", {"venmo": "the-band", "cashapp": "", "paypal": ""})


@pytest.fixture
def display(qtbot, window):
    window.toggle_customer_display()
    qtbot.addWidget(window.customer)
    return window.customer
