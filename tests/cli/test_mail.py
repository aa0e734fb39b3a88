"""`popup-pos mail …` and `popup-pos receipt --email` as the README writes them."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from popup_pos.cli import main
from popup_pos.services import delivery
from popup_pos.services.checkout import CartLine
from tests.smtp_support import PASSWORD, USER, ring, smtp_server, tls_server

__all__ = ["ring", "smtp_server", "tls_server"]


@pytest.fixture
def say(shop, capsys, monkeypatch):
    """Run a command, with standard input when given."""
    capsys.readouterr()

    def _run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--db", shop.path, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def set_up(say, port: int, *more: str, stdin: str | None = None) -> None:
    code, out, err = say(
        "mail", "set", "--host", "127.0.0.1", "--port", str(port), "--security", "none",
        "--from", "shop@example.com", "--reply-to", "hello@example.com", *more, stdin=stdin,
    )  # fmt: skip
    assert code == 0, err
    assert "Server 127.0.0.1" in out


def test_set_show_check_receipt_outbox_flush(shop, say, smtp_server, ring):
    set_up(say, smtp_server.port)
    code, out, _ = say("mail", "show")
    assert "from <shop@example.com>; reply to hello@example.com" in out
    assert "Waiting to be sent: 0" in out
    code, out, err = say("mail", "check")
    assert code == 0 and "mail can be sent" in out, err
    sold = shop.sell(CartLine("DL-CARD"))
    code, out, err = say("receipt", sold.number, "--email", "fan@example.com")
    assert code == 0, err
    assert f"Queued the receipt of order {sold.number}" in out and "Sent 1" in out
    [msg] = smtp_server.sink.messages()
    assert sold.codes[0].code in msg.get_body(("plain",)).get_content()
    code, out, _ = say("mail", "outbox")
    assert "Nothing waits" in out


def test_receipt_email_and_out(shop, say, smtp_server, tmp_path):
    set_up(say, smtp_server.port)
    sold = shop.sell(CartLine("TEE-M"))
    out_pdf = tmp_path / "r.pdf"
    code, _out, err = say(
        "receipt", sold.number, "--email", "fan@example.com", "--out", str(out_pdf)
    )
    assert code == 0, err
    assert out_pdf.read_bytes().startswith(b"%PDF") and len(smtp_server.sink.raw) == 1


def test_bad_input_is_one_line(shop, say, smtp_server):
    sold = shop.sell(CartLine("TEE-M"))
    code, _, err = say("receipt", sold.number, "--email", "fan@@example")
    assert code == 1 and "is not an email address" in err and "Traceback" not in err
    code, _, err = say("receipt", sold.number)
    assert code == 1 and "give --out FILE.pdf, --email ADDRESS, or both" in err
    code, _, err = say("receipt", "Z-9999", "--email", "fan@example.com")
    assert code == 1 and "no order" in err
    code, _, err = say("mail", "set", "--port", "99999")
    assert code == 1 and "port 99999 is not between 1 and 65535" in err
    code, _, err = say("mail", "set", "--from", "shop")
    assert code == 1 and "the sender (--from) 'shop' is not an email address" in err
    code, _, err = say("mail", "set", "--host", "smtp example.com")
    assert code == 1 and "is not a server name" in err
    code, _, err = say("mail", "set")
    assert code == 1 and "nothing to change" in err
    with pytest.raises(SystemExit) as exit_:
        say("mail", "set", "--security", "ssl")
    assert exit_.value.code == 2


def test_without_settings_mail_waits(shop, say):
    sold = shop.sell(CartLine("TEE-M"))
    code, out, err = say("receipt", sold.number, "--email", "fan@example.com")
    assert code == 1 and "mail is not set up" in err and "still waiting 1" in out
    code, out, _ = say("mail", "outbox")
    assert f"order {sold.number} to fan@example.com: waiting" in out
    assert "mail is not set up" in out


def test_refused_recipient_is_shown_and_fixed(shop, say, smtp_server):
    set_up(say, smtp_server.port)
    smtp_server.sink.refuse.add("typo@example.com")
    sold = shop.sell(CartLine("TEE-M"))
    code, _, err = say("receipt", sold.number, "--email", "typo@example.com")
    assert code == 1 and "refused the address typo@example.com (550" in err
    code, out, _ = say("mail", "outbox")
    assert "FAILED" in out and "no such mailbox" in out
    code, out, err = say("receipt", sold.number, "--email", "fan@example.com")
    assert code == 0, err
    assert "Nothing waits" in say("mail", "outbox")[1]


def test_login_over_starttls_and_a_wrong_password(shop, say, tls_server, ring, monkeypatch):
    assert tls_server.cert is not None
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_server.cert[0]))
    set_up(
        say, tls_server.port, "--security", "starttls", "--user", USER, "--password-stdin",
        stdin="wrong-one\n",
    )  # fmt: skip
    code, _, err = say("mail", "check")
    assert code == 1
    assert "refused the login of seller: wrong user name or password (535" in err
    code, out, _ = say("mail", "set", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0 and "Stored the SMTP password in the system keyring" in out
    code, out, err = say("mail", "check")
    assert code == 0 and "as seller" in out, err
    code, out, _ = say("mail", "show")
    assert "Password: keyring" in out and PASSWORD not in out
    code, out, err = say("mail", "test", "me@example.com")
    assert code == 0 and "Sent 1" in out, err


def _flush_child(db: str, data: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        POPUP_POS_DATA_DIR=str(data),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "popup_pos", "--db", db, "mail", "flush"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_a_sender_killed_mid_send_loses_nothing(shop, say, smtp_server, tmp_path):
    set_up(say, smtp_server.port)
    numbers = [shop.sell(CartLine("DL-CARD")).number for _ in range(3)]
    for n in numbers:
        delivery.ask_receipt(shop.uow, n, f"fan-{n.lower()}@example.com")
    smtp_server.sink.hold = True
    child = _flush_child(shop.path, tmp_path / "data")
    assert smtp_server.sink.data_started.wait(60), child.communicate(timeout=5)
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=30)
    smtp_server.sink.hold = False
    time.sleep(0.1)
    assert delivery.waiting(shop.uow) == 3  # the killed send was never marked sent
    again = _flush_child(shop.path, tmp_path / "data")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err.decode()
    assert b"Sent 3" in out
    ids = [m["Message-ID"] for m in smtp_server.sink.messages()]
    assert len(set(ids)) == 3 and len(ids) == 3
    assert delivery.unsent(shop.uow) == []
    assert {m["To"] for m in smtp_server.sink.messages()} == {
        f"fan-{n.lower()}@example.com" for n in numbers
    }
