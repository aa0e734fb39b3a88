"""Mistakes on the command line get one `popup-pos: …` line, exit 1 and no change, on both
databases; changes are audited as the OS user."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, text

from popup_pos import config
from popup_pos.cli import main
from popup_pos.domain.limits import MAX_COPIES, MAX_QUANTITY
from popup_pos.store.engine import make_engine

Run = Callable[..., tuple[int, str, str]]


class Cli:
    """The command run in-process on a fresh database with the demo catalog and an open
    event, and a fingerprint of that database to show a refusal changed nothing."""

    def __init__(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.db, self.capsys = db, capsys
        self.engine: Engine = make_engine(db)

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--db", self.db, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def state(self) -> tuple[object, ...]:
        with self.engine.connect() as c:
            return tuple(
                c.execute(text(sql)).scalar()
                for sql in (
                    "SELECT count(*) FROM audit_entries",
                    "SELECT coalesce(sum(on_hand), 0) FROM variants",
                    "SELECT count(*) FROM stock_movements",
                    "SELECT count(*) FROM events WHERE status = 'open'",
                    "SELECT count(*) FROM events",
                    "SELECT count(*) FROM orders",
                )
            )

    def on_hand(self, sku: str) -> int:
        with self.engine.connect() as c:
            value = c.execute(text("SELECT on_hand FROM variants WHERE sku = :s"), {"s": sku})
            return int(value.scalar_one())


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str]) -> Iterator[Cli]:
    c = Cli(db_url, capsys)
    assert c("demo", "seed")[0] == 0
    assert c("event", "open", "Friday", "--float", "100")[0] == 0
    yield c
    c.engine.dispose()


def refused(cli: Cli, *args: str) -> str:
    """The one-line message of a command that must be refused without changing anything."""
    before = cli.state()
    code, out, err = cli(*args)
    assert code == 1, (args, out, err)
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("popup-pos: "), err
    assert cli.state() == before
    return lines[0]


# ---- numbers -------------------------------------------------------------------------


def test_a_count_in_beyond_the_limit_is_refused(cli):
    line = refused(cli, "stock", "count-in", "POSTER", "99999999999")
    assert line == f"popup-pos: QTY 99,999,999,999 is over the limit of {MAX_QUANTITY:,}"
    refused(cli, "stock", "count-in", "POSTER", "9" * 5000)
    refused(cli, "stock", "adjust", "POSTER", "-99999999999", "--reason", "x")


@pytest.mark.parametrize("typed", ["1_000", "١٢", "²", "12.0", "1e3", " ", "0x10", "+"])
def test_whole_numbers_are_plain_digits(cli, typed):
    line = refused(cli, "stock", "count-in", "POSTER", typed)
    assert "whole number written with 0-9" in line


def test_stock_cannot_pile_up_past_the_on_hand_limit(cli):
    for _ in range(9):  # 40 on hand, then 900,040
        assert cli("stock", "count-in", "POSTER", str(MAX_QUANTITY))[0] == 0
    line = refused(cli, "stock", "count-in", "POSTER", str(MAX_QUANTITY))
    assert "over the limit of 1,000,000 units of one variant" in line


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("event", "status"), None),  # a sanity check that the event is open
        (("demo", "seed", "--orders", "100000000"), "--orders 100,000,000 is over the limit"),
        (("demo", "seed", "--orders", "-1"), "--orders cannot be negative"),
        (("export", "--event", "²", "--format", "json", "--out", "x.json"), "give an event id"),
        (("export", "--event", "9" * 30, "--format", "json", "--out", "x.json"), "no event"),
    ],
)
def test_numbers_of_other_commands(cli, args, says):
    if says is None:
        assert cli(*args)[0] == 0
        return
    assert says in refused(cli, *args)


def test_labels_copies_are_limited_before_anything_is_drawn(cli, tmp_path):
    out = tmp_path / "labels.pdf"
    line = refused(cli, "labels", "--sku", "POSTER", "--copies", "100000000", "--out", str(out))
    assert f"over the limit of {MAX_COPIES:,}" in line
    assert not out.exists()
    refused(cli, "labels", "--sku", "POSTER", "--copies", "0", "--out", str(out))


def test_amounts_beyond_the_limit(cli):
    line = refused(cli, "event", "close", "--counted", "99999999999999999999")
    assert line == "popup-pos: counted cash is over the limit of $999,999,999.99"
    refused(cli, "event", "close", "--count", "100x99999999")
    refused(cli, "event", "close", "--count", "١٠٠x2")


def test_a_close_with_a_count_out_changes_nothing_when_the_cash_is_refused(cli, tmp_path):
    sheet = tmp_path / "count.csv"
    sheet.write_text("sku,counted\nPOSTER,3\n", encoding="utf-8")
    line = refused(
        cli, "event", "close", "--counted", "99999999999999999999", "--count-out", str(sheet)
    )
    assert "over the limit" in line
    assert cli.on_hand("POSTER") == 40
    code, out, _ = cli("event", "close", "--counted", "100", "--count-out", str(sheet))
    assert code == 0 and "Closed 'Friday'" in out
    assert cli.on_hand("POSTER") == 3


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("²", "counted must be a whole number, not '²'"),
        ("١٢", "counted must be a whole number"),
        ("99999999999", "over the limit of 1,000,000"),
    ],
)
def test_bad_counts_in_a_count_out_file(cli, tmp_path, cell, says):
    sheet = tmp_path / "count.csv"
    sheet.write_text(f"sku,counted\nPOSTER,{cell}\n", encoding="utf-8")
    line = refused(cli, "event", "close", "--counted", "100", "--count-out", str(sheet))
    assert says in line and "row 2" in line


def test_a_count_out_file_with_nul_bytes(cli, tmp_path):
    sheet = tmp_path / "count.csv"
    sheet.write_bytes(b"sku,counted\nPOS\x00TER,3\n")
    assert "NUL" in refused(cli, "event", "close", "--counted", "1", "--count-out", str(sheet))


# ---- text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("stock", "adjust", "POSTER", "-1", "--reason", "r" * 201), "the reason is 201"),
        (("event", "close", "--counted", "1", "--count-out", "missing.csv"), "No such file"),
    ],
)
def test_texts_and_files(cli, args, says):
    assert says in refused(cli, *args)


def test_a_long_event_name(cli):
    assert cli("event", "close", "--counted", "100")[0] == 0
    line = refused(cli, "event", "open", "x" * 201)
    assert line == "popup-pos: the event name is 201 characters long: the most is 200"


@pytest.mark.parametrize("bad", ["a\x00b", "a\x07b", "a\udcffb"])
def test_control_characters_on_the_command_line(cli, bad):
    line = refused(cli, "stock", "adjust", "POSTER", "-1", "--reason", bad)
    assert "control character" in line


def test_control_characters_reaching_a_service(cli):
    from popup_pos.domain.limits import LimitError
    from popup_pos.services import inventory
    from popup_pos.store.uow import UnitOfWork

    uow = UnitOfWork(cli.engine)
    before = cli.state()
    with pytest.raises(LimitError, match=r"control character \(U\+0000\)"):
        inventory.adjust(uow, "POSTER", -1, "torn\x00")
    with pytest.raises(LimitError, match="control character"):
        inventory.count_in(uow, "POS\x00TER", 1)
    assert cli.state() == before


# ---- the database file ---------------------------------------------------------------


def _one_line(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(list(args)) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err.strip()


def test_db_that_is_not_a_database(tmp_path, capsys):
    file = tmp_path / "notes.txt"
    file.write_text("shopping list\n")
    line = _one_line(capsys, "--db", str(file), "event", "list")
    assert line == (
        f"popup-pos: {file} is not a database (not a SQLite file): check the --db path; "
        "nothing was changed"
    )
    assert file.read_text() == "shopping list\n"


def test_db_on_an_empty_file_is_not_made_a_database(tmp_path, capsys):
    file = tmp_path / "empty.sqlite"
    file.touch()
    assert "is an empty file, not a popup-pos database" in _one_line(
        capsys, "--db", str(file), "event", "list"
    )
    assert file.stat().st_size == 0


def test_db_of_another_program_is_left_alone(tmp_path, capsys):
    import sqlite3

    file = tmp_path / "contacts.sqlite"
    with sqlite3.connect(file) as conn:
        conn.execute("CREATE TABLE contacts (id INTEGER)")
    conn.close()
    line = _one_line(capsys, "--db", str(file), "event", "list")
    assert line == (
        f"popup-pos: {file} holds another program's tables (contacts): popup-pos does not "
        "add its own beside them; give a new file or an empty database"
    )
    with sqlite3.connect(file) as conn:
        tables = conn.execute("SELECT name FROM sqlite_master").fetchall()
    conn.close()
    assert tables == [("contacts",)]


def test_db_on_a_new_path_makes_one(tmp_path, capsys):
    file = tmp_path / "new.sqlite"
    assert main(["--db", str(file), "event", "list"]) == 0
    assert file.read_bytes().startswith(b"SQLite format 3\x00")


# ---- the safety net ------------------------------------------------------------------


def test_an_unexpected_failure_is_one_line_and_a_logged_traceback(tmp_path, capsys, monkeypatch):
    from popup_pos.cli import stock

    def broken(args: object, uow: object) -> int:
        raise RuntimeError("the flux capacitor\nsecond line")

    monkeypatch.setattr(stock, "cmd_stock_count_in", broken)
    db = str(tmp_path / "pos.sqlite")
    line = _one_line(capsys, "--db", db, "stock", "count-in", "POSTER", "1")
    log = config.data_dir() / "errors.log"
    assert line == (
        "popup-pos: 'stock count-in' failed unexpectedly (RuntimeError: the flux "
        f"capacitor); details are in {log}"
    )
    logged = log.read_text(encoding="utf-8")
    assert "Traceback" in logged and "RuntimeError: the flux capacitor" in logged
    assert "stock count-in POSTER 1" in logged and db not in logged  # --db is left out
    assert log.stat().st_mode & 0o777 == 0o600

    # Past 1 MB the log starts again, keeping the previous one.
    log.write_text("x" * 1_000_001, encoding="utf-8")
    _one_line(capsys, f"--db={db}", "stock", "count-in", "POSTER", "1")
    assert log.with_suffix(".log.1").stat().st_size == 1_000_001
    assert "RuntimeError" in log.read_text(encoding="utf-8") and db not in log.read_text()


def test_usage_mistakes_still_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["stock", "count-in"])
    assert exit_.value.code == 2


# ---- who changed it ------------------------------------------------------------------


def _actors(cli: Cli) -> list[str]:
    with cli.engine.connect() as c:
        return list(
            c.execute(text("SELECT actor FROM audit_entries WHERE action = 'stock.count_in'"))
            .scalars()
            .all()
        )


def test_cli_changes_are_audited_as_the_os_user(cli, monkeypatch):
    me = f"cli:{getpass.getuser()}"
    assert cli("stock", "count-in", "POSTER", "2")[0] == 0
    assert _actors(cli) == [me]

    def no_user() -> str:
        raise OSError("no user name")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert cli("stock", "count-in", "POSTER", "2")[0] == 0
    assert _actors(cli)[-1] == "cli:unknown"
    with cli.engine.connect() as c:
        opened = c.execute(
            text("SELECT actor FROM audit_entries WHERE action = 'event.open'")
        ).scalar_one()
    assert opened == me
