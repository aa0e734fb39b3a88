"""`popup-pos stripe …` as the README documents it, against the fake Stripe."""

import io

import pytest

from popup_pos.cli import main
from popup_pos.services import payments
from tests.stripe_fake.support import RESTRICTED_KEY, TEST_KEY

# The fake Stripe's fixtures (stripe, stripe_server, no_keyring, memory_keyring).
pytest_plugins = ["tests.stripe_fake.fixtures"]


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "pos.sqlite")

    def _run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--db", db, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def test_check_says_the_key_works_and_lists_readers(run, stripe):
    code, out, err = run("stripe", "check")
    assert code == 0, err
    assert "Stripe key works: secret key sk_test_…6789 from the environment (test mode)" in out
    assert "account: Fake merch table" in out
    assert "No card readers on this account." in out
    assert "no system keyring is available" in out  # the fallback is explained
    assert TEST_KEY not in out + err

    code, out, err = run(
        "stripe",
        "readers",
        "register",
        "simulated-wpe",
        "--label",
        "Front table",
        "--for-register",
        "a",
    )
    assert code == 0, err
    assert "Registered reader 'Front table' (tmr_" in out and "for register A" in out
    code, out, _ = run("stripe", "check")
    assert "reader Front table (tmr_" in out and "bbpos_wisepos_e): online, register A" in out
    code, out, _ = run("stripe", "readers", "list")
    assert code == 0 and "Front table" in out and "online" in out


def test_register_with_a_bad_code_is_one_line(run, stripe):
    code, out, err = run("stripe", "readers", "register", "123-bad", "--label", "X")
    assert code == 1 and out == ""
    assert err.startswith("popup-pos: Stripe did not register the reader:")
    assert "Traceback" not in err


def test_restricted_key(run, stripe, monkeypatch):
    monkeypatch.setenv("STRIPE_API_KEY", RESTRICTED_KEY)
    code, out, err = run("stripe", "check")
    assert code == 0, err
    assert "restricted key rk_test_…6789" in out
    assert "not readable with this restricted key" in out


def test_refused_key(run, stripe, monkeypatch):
    monkeypatch.setenv("STRIPE_API_KEY", "sk_live_" + "q" * 30)
    code, _, err = run("stripe", "check")
    assert code == 1 and "refused the API key" in err
    assert "q" * 30 not in err


def test_no_key(run, no_keyring, monkeypatch):
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    payments.reset_connection()
    code, _, err = run("stripe", "check")
    assert code == 1 and "STRIPE_API_KEY" in err


def test_key_set_goes_to_the_keyring(run, stripe, memory_keyring, monkeypatch):
    monkeypatch.delenv("STRIPE_API_KEY")
    code, out, err = run("stripe", "key", "set", stdin=TEST_KEY + "\n")
    assert code == 0, err
    assert out.strip() == "Stored sk_test_…6789 in the system keyring (service popup-pos)."
    assert memory_keyring.items == {("popup-pos", "stripe-api-key"): TEST_KEY}
    _, out, _ = run("stripe", "key", "show")
    assert out.strip() == "sk_test_…6789 from the keyring"
    code, out, _ = run("stripe", "check")
    assert code == 0 and "from the keyring" in out
    code, out, _ = run("stripe", "key", "forget")
    assert code == 0 and "Removed" in out


def test_key_set_without_a_keyring_says_what_to_do(run, no_keyring):
    code, out, err = run("stripe", "key", "set", stdin=TEST_KEY)
    assert code == 1 and out == ""
    assert "no system keyring is available" in err and "STRIPE_API_KEY" in err


def test_key_set_refuses_a_publishable_key(run, memory_keyring):
    code, _, err = run("stripe", "key", "set", stdin="pk_test_" + "x" * 24)
    assert code == 1 and "publishable" in err
    assert memory_keyring.items == {}


def test_sync_reports_what_is_waiting(run, stripe):
    code, out, err = run("stripe", "sync")
    assert code == 0, err
    assert out.strip() == "0 updated; 0 still waiting."
