"""The phone API on loopback: sign-in, refusals, sales, retries, hand-over and races."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from popup_pos.domain.errors import StockError
from popup_pos.services import catalog, checkout, devices, events, inventory, staff
from popup_pos.services.database import for_worker
from popup_pos.web.app import WRITES, SharedState, Writer
from tests.web.conftest import HELPER_PIN, Served


def key() -> str:
    return uuid.uuid4().hex


def test_nothing_without_a_token_but_the_page_and_sign_in(served: Served) -> None:
    c = served.client()
    for path in ("/api/me", "/api/state", "/api/orders/A-0001"):
        status, body = c.call("GET", path)
        assert status == 401, path
        assert "not signed in" in body["error"]
    status, body = c.call("POST", "/api/sales", {"lines": [{"sku": "POSTER"}]}, key=key())
    assert status == 401
    c.token = "made-up"
    assert c.call("GET", "/api/state")[0] == 401
    status, doc = c.call("GET", "/openapi.json")
    assert status == 200
    assert "/api/sales" in doc["paths"]


def test_openapi_describes_the_real_routes(served: Served) -> None:
    from popup_pos.web.app import make_app

    _status, doc = served.client().call("GET", "/openapi.json")
    app = make_app(served.uow)
    real = {getattr(r, "path", "") for r in app.routes} - {"/", "/openapi.json", "/static"}
    described = {p.replace("{ticket_id}", "{ticket_id:int}") for p in doc["paths"]}
    assert real == described


def test_a_paired_phone_sells_cash_under_the_helpers_name(served: Served) -> None:
    c = served.paired()
    status, me = c.call("GET", "/api/me")
    assert status == 200
    assert (me["staff"], me["register"]) == ("Robin", "P1")
    before = catalog.find_by_code(served.uow, "POSTER")
    assert before is not None
    status, sold = c.call(
        "POST",
        "/api/sales",
        {"lines": [{"sku": "POSTER", "quantity": 2}], "tendered_cents": 40_00},
        key=key(),
    )
    assert status == 200, sold
    assert sold["order"] == "P1-0001"
    assert (sold["total_cents"], sold["change_cents"]) == (30_00, 10_00)
    after = catalog.find_by_code(served.uow, "POSTER")
    assert after is not None and after.on_hand == before.on_hand - 2
    order = checkout.get_order(served.uow, "P1-0001")
    assert order.status == "fulfilled"
    assert [p.tender for p in order.payments] == ["cash"]


def test_a_retried_sale_sells_once(served: Served) -> None:
    c = served.paired()
    k = key()
    body = {"lines": [{"sku": "LP-NIGHTS"}]}
    first = c.call("POST", "/api/sales", body, key=k)
    again = c.call("POST", "/api/sales", body, key=k)
    assert first == again
    assert first[0] == 200
    found = catalog.find_by_code(served.uow, "LP-NIGHTS")
    assert found is not None and found.on_hand == 29
    assert c.call("POST", "/api/sales", body)[0] == 400  # no key: refused, nothing sold


def test_bad_input_gets_one_line_answers(served: Served) -> None:
    c = served.paired()
    status, body = c.call("POST", "/api/sales", raw=b"{not json", key=key())
    assert (status, body["error"]) == (400, "the request body is not valid JSON")
    status, body = c.call("POST", "/api/sales", {"lines": [{"sku": "NOPE-1"}]}, key=key())
    assert status in (400, 409) and "NOPE-1" in body["error"]
    status, body = c.call(
        "POST", "/api/sales", {"lines": [{"sku": "POSTER", "quantity": "2"}]}, key=key()
    )
    assert status == 400 and "line 1" in body["error"]
    status, body = c.call("GET", "/api/orders/Z-9999")
    assert status == 400 and "no order" in body["error"]


def test_a_stale_cart_after_a_sell_out_is_refused(served: Served) -> None:
    c = served.paired()
    inventory.adjust(served.uow, "POSTER", -39, "test", actor="test")
    assert c.call("POST", "/api/sales", {"lines": [{"sku": "POSTER"}]}, key=key())[0] == 200
    status, body = c.call("POST", "/api/sales", {"lines": [{"sku": "POSTER"}]}, key=key())
    assert status == 409, body
    assert "POSTER" in body["error"] or "left" in body["error"] or "stock" in body["error"]
    state = c.state_after_change()
    item = next(i for i in state["stock"]["items"] if i["sku"] == "POSTER")
    assert item["sold_out"]


def test_the_per_person_limit_needs_the_customer(served: Served) -> None:
    c = served.paired()
    body: dict[str, Any] = {"lines": [{"sku": "LP-TEST"}]}
    status, answer = c.call("POST", "/api/sales", body, key=key())
    assert status in (400, 409) and answer["error"]
    body["customer"] = "fan@example.com"
    assert c.call("POST", "/api/sales", body, key=key())[0] == 200
    status, answer = c.call("POST", "/api/sales", body, key=key())
    assert status == 409 and answer["error"]


def test_cross_site_changes_are_refused(served: Served) -> None:
    c = served.paired()
    status, body = c.call(
        "POST",
        "/api/sales",
        {"lines": [{"sku": "POSTER"}]},
        key=key(),
        headers={"Origin": "http://evil.example"},
    )
    assert (status, body["error"]) == (403, "requests from other sites are refused")
    found = catalog.find_by_code(served.uow, "POSTER")
    assert found is not None and found.on_hand == 40


def test_a_token_after_the_event_closed_or_revoked_is_refused(served: Served, shop: Any) -> None:
    c = served.paired()
    other = served.paired()
    device = devices.list_devices(served.uow)[0]
    devices.revoke(served.uow, device.id, actor="organizer")
    status, body = c.call("GET", "/api/state")
    assert status == 401 and "signed out" in body["error"]
    assert other.call("GET", "/api/state")[0] == 200
    from popup_pos.services import closing

    closing.close_event(served.uow, 100_00, actor="test")
    status, body = other.call("GET", "/api/state")
    assert status == 401 and "closed" in body["error"]


@pytest.mark.parametrize("how", ["revoked", "helper deactivated", "event closed"])
def test_a_phone_that_sold_before_is_refused_once_signed_out(
    served: Served, shop: Any, helper: Any, how: str
) -> None:
    """The server keeps the phone a token names between changes: each change still reads
    whether it is signed in."""
    c = served.paired()
    sale = {"lines": [{"sku": "POSTER"}]}
    assert c.call("POST", "/api/sales", sale, key=key())[0] == 200
    if how == "revoked":
        devices.revoke(served.uow, devices.list_devices(served.uow)[0].id, actor="organizer")
    elif how == "helper deactivated":
        staff.deactivate(served.uow, helper.id, actor="organizer")
    else:
        from popup_pos.services import closing

        closing.close_event(served.uow, 100_00, actor="test")
    status, body = c.call("POST", "/api/sales", sale, key=key())
    assert status == 401, body
    assert shop.on_hand("POSTER") == 39
    assert c.call("POST", "/api/sales", sale, key=key())[0] == 401  # and stays refused


def test_the_writer_makes_changes_one_at_a_time_in_the_order_they_came() -> None:
    import asyncio

    writer, done, running = Writer(), [], []

    def change(n: int) -> Callable[[], int]:
        def run() -> int:
            running.append(n)
            assert running == [n]  # alone
            time.sleep(0.005)
            running.remove(n)
            done.append(n)
            return n * 10

        return run

    async def phones() -> list[int]:
        return list(await asyncio.gather(*(writer.run(change(n)) for n in range(8))))

    assert asyncio.run(phones()) == [n * 10 for n in range(8)]
    assert done == list(range(8))

    async def refused() -> None:
        await writer.run(lambda: 1 // 0)

    with pytest.raises(ZeroDivisionError):  # the request answers with the change's error
        asyncio.run(refused())
    assert asyncio.run(phones()) == [n * 10 for n in range(8)]  # and it goes on


def test_pin_guessing_is_slowed(served: Served) -> None:
    code = devices.start_pairing(served.uow).code
    c = served.client()
    answers = [c.call("POST", "/api/pair", {"code": code, "pin": f"{n:04d}"})[0] for n in range(7)]
    assert answers[:5] == [400] * 5
    assert 429 in answers[5:]
    status, body = c.call("POST", "/api/pair", {"code": code, "pin": HELPER_PIN})
    assert status == 429 and "wait" in body["error"].lower()
    assert staff.pin_wait_seconds(served.uow) > 0


def test_pairing_code_is_used_once(served: Served) -> None:
    code = devices.start_pairing(served.uow).code
    c = served.client()
    assert c.call("POST", "/api/pair", {"code": code, "pin": HELPER_PIN})[0] == 200
    status, body = c.call("POST", "/api/pair", {"code": code, "pin": HELPER_PIN})
    assert status == 400 and "not valid" in body["error"]


def test_hand_over_by_number_once(served: Served, shop: Any) -> None:
    c = served.paired()
    placed = checkout.place_order(
        served.uow, shop.register_id, checkout.Cart((checkout.CartLine("POSTER"),))
    )
    status, body = c.call("POST", f"/api/orders/{placed.number}/hand-over", key=key())
    assert status == 409 or status == 400, body  # not paid yet
    assert c.state_after_change()["queue"]["awaiting_payment"][0]["order"] == "A-0001"
    checkout.add_payment(served.uow, placed.order_id, checkout.TenderSpec("cash"))
    assert c.state_after_change()["queue"]["to_hand_over"] == [
        {"order": "A-0001", "total_cents": 15_00}
    ]
    status, order = c.call("GET", "/api/orders/a-1")
    assert status == 200 and order["status"] == "paid"
    assert order["lines"][0]["sku"] == "POSTER"
    k = key()
    first = c.call("POST", "/api/orders/a-1/hand-over", key=k)
    assert first[0] == 200 and first[1]["status"] == "fulfilled"
    assert c.call("POST", "/api/orders/a-1/hand-over", key=k) == first
    assert checkout.get_order(served.uow, placed.order_id).status == "fulfilled"


def test_two_phones_and_the_desktop_race_for_the_last_five(served: Served, shop: Any) -> None:
    inventory.adjust(served.uow, "PRINT-LTD", -45, "test", actor="test")
    phones = [served.paired(), served.paired()]
    sold: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(3)

    def phone(c: Any) -> None:
        start.wait()
        for _ in range(6):
            status, body = c.call(
                "POST", "/api/sales", {"lines": [{"sku": "PRINT-LTD"}]}, key=key()
            )
            if status == 200:
                with lock:
                    sold.append(body["order"])

    def desktop() -> None:
        uow = for_worker(served.uow)
        start.wait()
        for _ in range(6):
            try:
                r = checkout.sell(
                    uow, shop.register_id, checkout.Cart((checkout.CartLine("PRINT-LTD"),))
                )
            except (checkout.CheckoutError, StockError):
                continue
            with lock:
                sold.append(r.number)

    threads = [threading.Thread(target=phone, args=(p,)) for p in phones]
    threads.append(threading.Thread(target=desktop))
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(sold) == 5
    found = catalog.find_by_code(served.uow, "PRINT-LTD")
    assert found is not None and found.on_hand == 0
    assert events.current_event(served.uow) is not None


def test_the_phone_page_and_its_files_are_served(served: Served) -> None:
    import urllib.request

    for path in ("/", "/static/phone.js", "/static/phone.css"):
        with urllib.request.urlopen(served.base + path, timeout=10) as res:
            assert res.status == 200
            if path == "/":
                assert "frame-ancestors 'none'" in res.headers["Content-Security-Policy"]


def test_the_ticket_queue_from_a_phone(served: Served) -> None:
    c = served.paired()
    line = {"sku": "SHOUTOUT-60", "personalisation": "Happy birthday Ana"}
    status, sold = c.call("POST", "/api/sales", {"lines": [line]}, key=key())
    assert status == 200, sold
    waiting = c.state_after_change()["queue"]["tickets"]
    assert [(t["status"], t["personalisation"]) for t in waiting] == [
        ("waiting", "Happy birthday Ana")
    ]
    ticket = waiting[0]["id"]
    # Its slip scanned at the table calls it; calling it again leaves it called.
    for _ in range(2):
        status, body = c.call("POST", f"/api/queue/{ticket}", {"status": "called"}, key=key())
        assert (status, body["status"]) == (200, "called")
    status, called = c.call("POST", "/api/queue/call-next", key=key())
    assert status == 200 and called["called"] is None
    status, body = c.call("POST", f"/api/queue/{ticket}", {"status": "done"}, key=key())
    assert (status, body["status"]) == (200, "done")
    status, body = c.call("POST", f"/api/queue/{ticket}", {"status": "no_show"}, key=key())
    assert status == 400 and "done" in body["error"]
    assert c.state_after_change()["queue"]["tickets"] == []


def test_a_photo_of_the_order_qr_is_read(served: Served) -> None:
    import io

    import qrcode

    c = served.paired()
    img = qrcode.make("A-0001").get_image().convert("RGB")
    jpeg = io.BytesIO()
    img.save(jpeg, "JPEG")
    boundary = "popupposboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="p.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + jpeg.getvalue()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    status, answer = c.call("POST", "/api/scan", raw=body, headers=headers)
    assert (status, answer) == (200, {"codes": ["A-0001"]})
    status, answer = c.call("POST", "/api/scan", raw=b"x", headers=headers)
    assert status == 400


def test_a_wallet_payment_shown_full_screen_then_received(served: Served) -> None:
    from popup_pos.services import settings

    settings.put(served.uow, "wallets", {"venmo": "merchtable"}, actor="test")
    c = served.paired()
    assert c.call("GET", "/api/me")[1]["wallets"] == ["venmo"]
    status, placed = c.call(
        "POST", "/api/sales", {"lines": [{"sku": "POSTER"}], "tender": "later"}, key=key()
    )
    assert (status, placed["status"]) == (200, "awaiting_payment")
    number = placed["order"]
    status, qr = c.call("POST", f"/api/orders/{number}/payment-qr", {"method": "wallet:venmo"})
    assert status == 200, qr
    assert "merchtable" in qr["url"] and qr["svg"].startswith("<svg")
    status, body = c.call("POST", f"/api/orders/{number}/payment-qr", {"method": "wallet:zelle"})
    assert status == 400 and "zelle" in body["error"]
    k = key()
    status, paid = c.call(
        "POST", f"/api/orders/{number}/wallet-received", {"wallet": "venmo"}, key=k
    )
    assert (status, paid["status"]) == (200, "fulfilled"), paid
    assert (
        c.call("POST", f"/api/orders/{number}/wallet-received", {"wallet": "venmo"}, key=k)[1]
        == paid
    )
    order = checkout.get_order(served.uow, number)
    assert [p.tender for p in order.payments] == ["wallet"]


def test_polls_share_one_read_while_it_is_fresh() -> None:
    builds: list[int] = []

    def build() -> bytes:
        builds.append(1)
        time.sleep(0.05)  # a read long enough for the other polls to arrive meanwhile
        return str(len(builds)).encode()

    shared = SharedState(build, max_age_s=0.5)
    answers: list[bytes] = []
    polls = [threading.Thread(target=lambda: answers.append(shared.get())) for _ in range(8)]
    for t in polls:
        t.start()
    for t in polls:
        t.join()
    assert answers == [b"1"] * 8 and len(builds) == 1
    time.sleep(0.55)
    assert shared.get() == b"2"  # too old by now: read again


def test_a_device_revoked_while_its_sale_waits_to_write_is_refused(served: Served) -> None:
    if served.uow.dialect != "sqlite":
        pytest.skip("only SQLite queues the writes in the server")
    c = served.paired()
    before = catalog.find_by_code(served.uow, "POSTER")
    got: list[tuple[int, dict[str, Any]]] = []
    sale = threading.Thread(
        target=lambda: got.append(
            c.call("POST", "/api/sales", {"lines": [{"sku": "POSTER"}]}, key=key())
        )
    )
    with WRITES:  # a sale ahead of it, still writing
        sale.start()
        time.sleep(0.3)
        devices.revoke(served.uow, devices.list_devices(served.uow)[0].id, actor="organizer")
    sale.join(10)
    status, body = got[0]
    assert status == 401 and "signed out" in body["error"]
    after = catalog.find_by_code(served.uow, "POSTER")
    assert before is not None and after is not None and after.on_hand == before.on_hand
