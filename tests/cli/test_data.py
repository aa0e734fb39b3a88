"""`demo seed` beside real data, and `backup --out` to a file or a folder."""

import os
import re
import stat

import pytest

from popup_pos.cli import main


@pytest.fixture
def run(tmp_path, capsys):
    db = str(tmp_path / "pos.sqlite")

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def test_demo_orders_stay_out_of_a_real_open_event(run):
    assert run("event", "open", "Friday show", "--float", "100")[0] == 0
    code, out, err = run("demo", "seed", "--orders", "5")
    assert code == 1 and out == ""
    assert err.startswith("popup-pos: event 'Friday show' is open and is not a demo event")
    assert "Close it first (popup-pos event close)" in err
    assert "popup-pos --demo demo seed --orders 5" in err
    assert "Traceback" not in err
    assert run("event", "close", "--counted", "100")[0] == 0
    code, out, _ = run("demo", "seed", "--orders", "5")
    assert code == 0 and "5 orders" in out
    listing = run("event", "list")[1]
    assert "Demo night" in listing and "Friday show" in listing


def test_backup_into_an_existing_folder(run, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    run("demo", "seed")
    code, out, err = run("backup", "--out", str(folder))
    assert code == 0, err
    # The backup and its audit head beside it, both readable by the owner only.
    made, head = sorted(folder.iterdir())
    assert re.fullmatch(r"popup-pos-\d{8}-\d{6}\.sqlite", made.name)
    assert head.name == made.name + ".audit-head"
    assert out.startswith(f"Backed up to {made} (")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    if os.name == "posix":
        assert stat.S_IMODE(made.stat().st_mode) == 0o600
        assert stat.S_IMODE(head.stat().st_mode) == 0o600


def test_backup_to_a_missing_folder_is_refused_and_leaves_nothing(run, tmp_path):
    run("demo", "seed")
    code, _, err = run("backup", "--out", str(tmp_path / "nope" / "b.sqlite"))
    assert code == 1 and "does not exist" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir() if "pos.sqlite" not in p.name) == []


def test_backup_to_a_missing_folder_named_with_a_slash_is_refused(run, tmp_path):
    run("demo", "seed")
    missing = f"{tmp_path / 'usb'}/"
    code, _, err = run("backup", "--out", missing)
    assert (code, err.strip()) == (1, f"popup-pos: folder {missing!r} does not exist")
    assert not (tmp_path / "usb").exists()


def test_demo_seed_is_audited_as_the_os_user(run, tmp_path):
    import getpass
    import sqlite3

    assert run("demo", "seed", "--orders", "2")[0] == 0
    with sqlite3.connect(tmp_path / "pos.sqlite") as c:
        actors = {
            a for (a,) in c.execute("SELECT actor FROM audit_entries WHERE action = 'event.open'")
        }
    assert actors == {f"cli:{getpass.getuser()}"}
