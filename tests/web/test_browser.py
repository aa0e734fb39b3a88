"""The phone page in a real browser (headless chromium): pair, sign in, sell by cash,
hand an order over; and the page as a phone shows it, saved for the README."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from popup_pos.services import checkout, devices, settings
from tests.web.conftest import HELPER_PIN, Served

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# The README's picture: POPUP_POS_PHONE_SCREENSHOT=assets/screenshot-phone.png renews it.
SCREENSHOT_TO = "POPUP_POS_PHONE_SCREENSHOT"

pytestmark = pytest.mark.skipif(
    not (shutil.which(CHROMIUM) and shutil.which(DRIVER)) and not os.environ.get("CI"),
    reason="needs Debian's chromium and chromium-driver (apt install chromium chromium-driver)",
)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--ignore-certificate-errors",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        opts.add_argument(arg)
    # A phone's viewport: desktop chromium will not make a window narrower than 500 px.
    metrics = {"width": 390, "height": 844, "pixelRatio": 1, "touch": True}
    opts.add_experimental_option("mobileEmulation", {"deviceMetrics": metrics})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


def _wait_text(driver: Any, element_id: str, text: str, timeout: float = 15) -> str:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def seen(d: Any) -> str | None:
        got = str(d.find_element(By.ID, element_id).text)
        return got if text in got else None

    return str(WebDriverWait(driver, timeout).until(seen))


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pair_sign_in_sell_and_hand_over(served: Served, shop: Any, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    settings.put(served.uow, "wallets", {"venmo": "merchtable"}, actor="test")
    code = devices.start_pairing(served.uow, actor="test").code
    browser.get(f"{served.base}/#pair={code}")
    browser.find_element(By.ID, "pin").send_keys(HELPER_PIN)
    browser.find_element(By.ID, "signin-go").click()
    _wait_text(browser, "who", "register P1")
    tile = '.tile[data-sku="POSTER"]'
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, tile))
    browser.find_element(By.CSS_SELECTOR, tile).click()
    browser.find_element(By.CSS_SELECTOR, '.tile[data-sku="TEE-M"]').click()
    browser.find_element(By.ID, "tendered").send_keys("50")
    browser.find_element(By.ID, "pay-cash").click()
    assert "Sold P1-0001" in _wait_text(browser, "sale-msg", "Sold")
    assert checkout.get_order(served.uow, "P1-0001").status == "fulfilled"
    _wait_text(browser, "tiles", "39 left")

    # A wallet QR fills the screen; the helper confirms the money arrived.
    browser.find_element(By.CSS_SELECTOR, tile).click()
    browser.find_element(By.ID, "pay-qr").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "fullqr").is_displayed())
    browser.find_element(By.XPATH, '//div[@id="fullqr-actions"]/button[.="Venmo"]').click()
    _wait_text(browser, "fullqr-title", "Venmo: order P1-0002")
    assert browser.find_elements(By.CSS_SELECTOR, "#fullqr-code svg")
    if os.environ.get("POPUP_POS_PHONE_QR_SHOT"):
        browser.save_screenshot(os.environ["POPUP_POS_PHONE_QR_SHOT"])
    browser.find_element(By.XPATH, '//button[.="Money received"]').click()
    _wait_text(browser, "fullqr-title", "Paid: P1-0002")
    browser.find_element(By.ID, "fullqr-close").click()
    assert checkout.get_order(served.uow, "P1-0002").status == "fulfilled"

    # An order paid at the desktop waits to be handed over: the phone finds it by number.
    placed = checkout.sell(
        served.uow, shop.register_id, checkout.Cart((checkout.CartLine("LP-NIGHTS"),))
    )
    assert placed.status == "paid"
    browser.find_element(By.CSS_SELECTOR, '.tab[data-tab="handover"]').click()
    _wait_text(browser, "waiting-orders", "A-0001 · hand over")  # live, from the poll
    browser.find_element(By.ID, "order-code").send_keys("a-1")
    browser.find_element(By.ID, "find-order").click()
    _wait_text(browser, "order-view", "Nights Like These")
    browser.find_element(By.ID, "hand-over").click()
    _wait_text(browser, "handover-msg", "A-0001 handed over")
    assert checkout.get_order(served.uow, placed.order_id).status == "fulfilled"


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_phone_page_at_390_by_844(served: Served, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    code = devices.start_pairing(served.uow, actor="test").code
    browser.get(f"{served.base}/#pair={code}")
    browser.find_element(By.ID, "pin").send_keys(HELPER_PIN)
    browser.find_element(By.ID, "signin-go").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".tile"))
    for sku in ("TEE-M", "TEE-M", "PRINT-LTD"):
        browser.find_element(By.CSS_SELECTOR, f'.tile[data-sku="{sku}"]').click()
    browser.execute_script("document.getElementById('tiles').scrollTop = 0")
    size = browser.execute_script("return [window.innerWidth, window.innerHeight]")
    assert size == [390, 844]
    out = Path(os.environ.get(SCREENSHOT_TO) or tmp_path / "phone.png")
    assert browser.save_screenshot(str(out))
    assert out.read_bytes()[16:24] == (390).to_bytes(4, "big") + (844).to_bytes(4, "big")


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_server_stopping_is_told_and_loses_nothing(
    served: Served, shop: Any, browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from popup_pos.web.server import PhoneServer

    code = devices.start_pairing(served.uow, actor="test").code
    browser.get(f"{served.base}/#pair={code}")
    browser.find_element(By.ID, "pin").send_keys(HELPER_PIN)
    browser.find_element(By.ID, "signin-go").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".tile"))
    browser.find_element(By.CSS_SELECTOR, '.tile[data-sku="POSTER"]').click()
    port = served.server.port
    served.server.stop()
    _wait_text(browser, "banner", "can't be reached")
    browser.find_element(By.ID, "pay-cash").click()
    again = PhoneServer(served.uow, host="127.0.0.1", port=port, https=False)
    again.start()
    try:
        # The phone's retries carry the same key: the sale goes through once.
        _wait_text(browser, "sale-msg", "Sold P1-0001")
        WebDriverWait(browser, 10).until(
            lambda d: not d.find_element(By.ID, "banner").is_displayed()
        )
    finally:
        again.stop()
    assert shop.on_hand("POSTER") == 39


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_signing_in_over_https(shop: Any, helper: Any, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    from popup_pos.web.server import PhoneServer

    server = PhoneServer(shop.uow, host="127.0.0.1", port=0, cert_folder=tmp_path / "tls")
    listening = server.start()
    try:
        assert listening.fingerprint
        code = devices.start_pairing(shop.uow, actor="test").code
        # The browser would ask to trust the certificate once; this profile was told to.
        browser.get(f"https://127.0.0.1:{server.port}/#pair={code}")
        browser.find_element(By.ID, "pin").send_keys(HELPER_PIN)
        browser.find_element(By.ID, "signin-go").click()
        _wait_text(browser, "who", "Robin · register P1")
        assert browser.execute_script("return window.isSecureContext") is True
    finally:
        server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_poll_changes_the_buttons_in_place(served: Served, shop: Any, browser: Any) -> None:
    """A button the helper is about to tap is the same button after the stock it shows
    changed: a poll that swapped it out would lose the tap."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    code = devices.start_pairing(served.uow, actor="test").code
    browser.get(f"{served.base}/#pair={code}")
    browser.find_element(By.ID, "pin").send_keys(HELPER_PIN)
    browser.find_element(By.ID, "signin-go").click()
    poster = '.tile[data-sku="POSTER"]'
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, poster))
    tile = browser.find_element(By.CSS_SELECTOR, poster)
    tile.click()
    _wait_text(browser, "cart-lines", "× 1")
    one_more = browser.find_element(By.CSS_SELECTOR, '#cart-lines button[aria-label="one more"]')

    checkout.sell(served.uow, shop.register_id, checkout.Cart((checkout.CartLine("POSTER"),)))
    _wait_text(browser, "tiles", "39 left")  # another register's sale, from the poll

    one_more.click()  # the cart's button, held across that poll
    _wait_text(browser, "cart-lines", "× 2")
    tile.click()  # and the tile
    assert "× 3" in _wait_text(browser, "cart-lines", "× 3")
