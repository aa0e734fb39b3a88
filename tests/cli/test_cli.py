"""The popup-pos command as README documents it: output, exit codes, one-line errors."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from popup_pos.cli import main

DATA = Path(__file__).resolve().parents[1] / "importers" / "data"


@pytest.fixture
def run(tmp_path, capsys):
    db = str(tmp_path / "pos.sqlite")

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def test_version_and_help():
    out = subprocess.run(
        [sys.executable, "-m", "popup_pos", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0 and out.stdout.startswith("popup-pos ")
    for args in (["--help"], ["catalog", "import", "--help"], ["event", "close", "--help"]):
        with pytest.raises(SystemExit) as exit_:
            main(args)
        assert exit_.value.code == 0


def test_shopify_import_lands_every_variant(run):
    code, out, _ = run("catalog", "import", str(DATA / "shopify_classic.csv"))
    assert code == 0 and "shopify file" in out
    code, out, _ = run("catalog", "list")
    assert "TEE-24-S" in out and "$25.00" in out and "12 left" in out


def test_square_import_and_dry_run(run):
    code, out, _ = run("catalog", "import", str(DATA / "square.csv"), "--dry-run")
    assert code == 0 and "Dry run: nothing was changed" in out
    assert run("catalog", "list")[1].strip() == "The catalog is empty."
    code, out, _ = run("catalog", "import", str(DATA / "square.csv"), "--location", "Main St")
    assert code == 0
    assert "SQ-TEE-S" in run("catalog", "list")[1]


def test_broken_file_names_the_row_and_changes_nothing(run):
    code, out, err = run("catalog", "import", str(DATA / "broken_bad_price.csv"))
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines[0].endswith("2 problems, nothing was imported")
    assert any("row 6, column 'Variant Price'" in line for line in lines[1:])
    assert "Traceback" not in err
    assert run("catalog", "list")[1].strip() == "The catalog is empty."


def test_stock_event_audit_backup_flow(run, tmp_path):
    assert run("demo", "seed")[0] == 0
    code, out, _ = run("stock", "count-in", "POSTER", "5")
    assert (code, out.strip()) == (0, "POSTER: +5, 45 on hand")
    code, out, _ = run("stock", "adjust", "POSTER", "-2", "--reason", "torn")
    assert code == 0 and "43 on hand" in out
    code, _, err = run("stock", "adjust", "POSTER", "-999", "--reason", "x")
    assert code == 1 and err.startswith("popup-pos: POSTER: only 43 left")
    code, out, _ = run("event", "open", "Friday", "--float", "150.00", "--currency", "usd")
    assert code == 0 and "$150.00" in out
    code, _, err = run("event", "open", "Saturday")
    assert code == 1 and "'Friday' is still open" in err
    assert "Friday" in run("event", "status")[1]
    code, out, _ = run("event", "close", "--counted", "140")
    assert code == 0 and "short" in out and "$10.00" in out
    assert "closed" in run("event", "list")[1]
    code, out, _ = run("audit", "verify")
    assert code == 0 and "intact" in out
    backup = tmp_path / "copy.sqlite"
    code, out, _ = run("backup", "--out", str(backup))
    assert code == 0 and backup.stat().st_size > 0


def test_demo_orders_and_exports(run, tmp_path):
    code, out, _ = run("demo", "seed", "--orders", "30")
    assert code == 0 and "30 orders" in out
    native, inventory = tmp_path / "cat.csv", tmp_path / "inv.csv"
    assert run("catalog", "export", str(native))[0] == 0
    assert run("catalog", "export", str(inventory), "--format", "shopify-inventory")[0] == 0
    code, out, _ = run("catalog", "import", str(native), "--dry-run")
    assert code == 0 and "0 updated" in out and "0 new variants" in out
    assert "On hand (new)" in inventory.read_text(encoding="utf-8").splitlines()[0]


def test_audit_verify_reports_tampering(run, tmp_path):
    import sqlite3

    run("demo", "seed")
    con = sqlite3.connect(tmp_path / "pos.sqlite")
    con.execute("UPDATE audit_entries SET data = '{}' WHERE id = 1")
    con.commit()
    con.close()
    code, out, _ = run("audit", "verify")
    assert code == 1 and "broken at entry 1" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["catalog", "import", "missing.csv"], "no such file: missing.csv"),
        (["stock", "count-in", "POSTER", "many"], "QTY must be a whole number"),
        (["event", "close", "--counted", "10"], "no event is open"),
        (["event", "open", "X", "--float", "ten"], "float 'ten' is not a number"),
        (["event", "open", "X", "--currency", "ABC"], "unknown currency 'ABC'"),
    ],
)
def test_user_mistakes_get_one_line(run, args, message):
    code, _, err = run(*args)
    assert code == 1
    assert err.strip() == f"popup-pos: {message}" or message in err
    assert "Traceback" not in err


def test_backup_on_postgres_says_pg_dump(capsys, db_url):
    # A database of its own: opening one migrates it, and the shared one is not ours.
    if not db_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL database has no file to copy; SQLite's is tested above")
    assert main(["--db", db_url, "backup", "--out", "x.sqlite"]) == 1
    assert "pg_dump" in capsys.readouterr().err


def test_console_script_installed():
    assert (
        shutil.which("popup-pos") is not None
        or Path(sys.executable).parent.joinpath("popup-pos").exists()
    )
