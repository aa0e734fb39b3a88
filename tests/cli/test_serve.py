"""`popup-pos serve`: on the command line, refusing a bad port or address plainly, and
settling the phones' card payments when no register is open."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from typing import Any

import pytest

from popup_pos.cli import build_parser

pytest_plugins = ["tests.stripe_fake.fixtures"]


def test_serve_parses_host_and_port() -> None:
    args = build_parser().parse_args(["serve", "--host", "127.0.0.1", "--port", "9000", "--http"])
    assert (args.host, args.port, args.http) == ("127.0.0.1", 9000, True)


def test_serve_help_mentions_the_phone_page(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--help"])
    assert "phone" in capsys.readouterr().out


def test_an_address_it_cannot_listen_on_is_one_line_before_any_pairing_code(run: Any) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run(
            "serve", "--host", "127.0.0.1", "--port", str(port), "--http", "--pair"
        )
    assert code != 0 and out == ""  # no pairing link printed for a server that is not there
    assert f"could not listen on 127.0.0.1:{port}" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    # 192.0.2.1 is a documentation address: never this machine's.
    code, out, err = run("serve", "--host", "192.0.2.1", "--port", "9000", "--http")
    assert code != 0 and out == "" and "could not listen on 192.0.2.1:9000" in err


@pytest.mark.slow
def test_a_helper_only_station_settles_the_phones_card_payments(shop: Any, stripe: Any) -> None:
    """No register is open: `popup-pos serve` itself learns from Stripe that the customer
    paid, so the phone showing the QR sees the order paid."""
    from popup_pos.services import staff
    from tests.stripe_fake.support import child_env
    from tests.web.conftest import Client

    staff.add_staff(shop.uow, "Robin", "helper", "4321", actor="test")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = ["--db", shop.path, "serve", "--host", "127.0.0.1", "--port", str(port), "--http"]
    with subprocess.Popen(
        [sys.executable, "-m", "popup_pos", *cmd, "--pair"],
        env=child_env(stripe.api),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as station:
        try:
            assert station.stdout is not None
            first = station.stdout.readline()
            assert "#pair=" in first, first
            phone = Client(f"http://127.0.0.1:{port}")
            code = first.strip().rsplit("#pair=", 1)[1]
            deadline = time.monotonic() + 20
            while True:  # the pairing link is printed just before the server listens
                try:
                    status, body = phone.call("POST", "/api/pair", {"code": code, "pin": "4321"})
                    break
                except OSError:
                    assert time.monotonic() < deadline, "the station never listened"
                    time.sleep(0.1)
            assert status == 200, body
            phone.token = body["token"]
            sale = {"lines": [{"sku": "POSTER"}], "tender": "later"}
            _, placed = phone.call("POST", "/api/sales", sale, key="k" * 16)
            number = placed["order"]
            _, qr = phone.call("POST", f"/api/orders/{number}/payment-qr", {"method": "stripe"})
            assert qr["url"]
            (session,) = stripe.sessions()
            stripe.pay(session["id"]).raise_for_status()
            while phone.call("GET", f"/api/orders/{number}")[1]["status"] != "paid":
                assert time.monotonic() < deadline, "the card payment never turned paid"
                time.sleep(0.2)
        finally:
            station.send_signal(signal.SIGINT)
            out, _ = station.communicate(timeout=15)
    assert f"{number} paid by card: hand it over" in out
    assert station.returncode == 0 and "Traceback" not in out
