"""`popup-pos export`, `event close` and `event terms` as README documents them."""

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from popup_pos.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def run(tmp_path, capsys):
    db = str(tmp_path / "pos.sqlite")

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def test_readme_lists_the_command_exactly():
    text = README.read_text(encoding="utf-8")
    usage = (
        r"`popup-pos export [--event ID\|current\|last] --format csv\|xlsx\|json\|pdf"
        r" --out PATH`"
    )
    assert usage in text
    assert "popup-pos catalog export remaining.csv --format shopify-inventory" in text


def test_close_terms_and_every_export(run, tmp_path):
    assert run("demo", "seed", "--orders", "25")[0] == 0
    code, out, _ = run(
        "event", "terms", "--cut", "apparel=20", "--cut", "other=12.5",
        "--class", "Apparel=apparel", "--on", "net-of-tax", "--card-fees-first",
    )  # fmt: skip
    assert code == 0
    assert "apparel           20%" in out and "other           12.5%" in out
    assert "net of tax, after card fees" in out
    sheet = tmp_path / "count.csv"
    sheet.write_text("sku,counted\nPOSTER,3\nTEE-M,\n", encoding="utf-8")
    code, out, err = run(
        "event", "close", "--count", "100x2, 20x5, 0.25x8", "--count-out", str(sheet),
        "--cancel-unpaid", "--carry-over",
    )  # fmt: skip
    assert code == 0, err
    assert any(line.split() == ["counted", "$302.00"] for line in out.splitlines())
    assert "counted as 2 x $100.00, 5 x $20.00, 8 x $0.25" in out
    assert "POSTER" in out and "shrinkage:" in out
    code, out, _ = run("event", "terms", "--event", "last")
    assert code == 0 and "apparel" in out
    for fmt, name in (("csv", "night"), ("xlsx", "night.xlsx"), ("json", "night.json"),
                      ("pdf", "night.pdf")):  # fmt: skip
        code, out, err = run("export", "--event", "last", "--format", fmt, "--out",
                             str(tmp_path / name))  # fmt: skip
        assert code == 0, err
        assert str(tmp_path / name) in out
    with (tmp_path / "night" / "orders.csv").open(encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.DictReader(f))) == 25
    assert openpyxl.load_workbook(tmp_path / "night.xlsx", read_only=True).sheetnames[0] == (
        "Summary"
    )
    assert json.loads((tmp_path / "night.json").read_text())["event"]["status"] == "closed"
    assert (tmp_path / "night.pdf").read_bytes().startswith(b"%PDF")


def test_close_refusals_name_the_orders_and_the_way_out(run):
    run("demo", "seed")
    run("event", "open", "Night", "--float", "50")
    with pytest.raises(SystemExit) as usage:
        run("event", "close", "--counted", "50", "--count", "50x1")
    assert usage.value.code == 2
    code, _, err = run("event", "close", "--count", "20x2, 5y2")
    assert code == 1 and "cash count item 2 ('5y2')" in err
    code, _, err = run("event", "close", "--counted", "50", "--count-out", "missing.csv")
    assert code == 1 and "missing.csv" in err
    code, _, err = run("event", "terms", "--cut", "apparel")
    assert code == 1 and "--cut 'apparel': write it as CLASS=PERCENT" in err
    code, _, err = run("export", "--format", "csv", "--out", "x", "--event", "9")
    assert code == 1 and "there is no event 9" in err
    assert "Traceback" not in err
