"""`popup-pos fans export FILE` and `popup-pos fans forget EMAIL` as the README writes them."""

from __future__ import annotations

from popup_pos.services import delivery
from popup_pos.services.checkout import CartLine


def test_opt_in_from_the_receipt_command(shop, run, tmp_path):
    sold = shop.sell(CartLine("TEE-M"))
    code, _, err = run("receipt", sold.number, "--email", "fan@example.com", "--opt-in")
    assert code == 1 and "mail is not set up" in err  # queued; it waits for the settings
    out = tmp_path / "fans.csv"
    code, text, err = run("fans", "export", str(out))
    assert code == 0 and "Wrote 1 fan to" in text, err
    code, _, err = run("receipt", sold.number, "--opt-in")
    assert code == 1 and "--opt-in goes with --email ADDRESS" in err


def test_export_and_forget(shop, run, tmp_path):
    sold = shop.sell(CartLine("TEE-M"))
    delivery.ask_receipt(shop.uow, sold.number, "fan@example.com", consent=True)
    out = tmp_path / "fans.csv"
    code, text, err = run("fans", "export", str(out))
    assert code == 0 and "Wrote 1 fan to" in text, err
    assert out.read_text(encoding="utf-8").splitlines()[0] == (
        "email,first_event,last_event,orders,spent,currency"
    )
    code, text, err = run("fans", "forget", "fan@example.com")
    assert code == 0 and "Forgot fan@example.com" in text, err
    code, _, err = run("fans", "forget", "fan@example.com")
    assert code == 1 and "no order or message has the address" in err
    code, _, err = run("fans", "forget", "not-an-address")
    assert code == 1 and "is not an email address" in err
    code, _, err = run("fans", "export", str(tmp_path / "nope" / "f.csv"))
    assert code == 1 and "does not exist" in err
