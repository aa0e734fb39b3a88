"""Event exports: CSV, XLSX and JSON carry the same records, and their totals agree."""

import json
import re
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from popup_pos.domain.money import CURRENCY_EXPONENTS, format_amount
from popup_pos.exports import common
from popup_pos.exports.common import ExportError, money_formatter
from popup_pos.exports.json_document import SCHEMA_PATH
from popup_pos.exports.tables import TABLE_NAMES
from popup_pos.services import checkout, payments, reports
from popup_pos.services.checkout import Cart, CartLine

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def test_csv_folder(night, tmp_path, checks):
    out = tmp_path / "night"
    seen = []
    result = reports.export(night, "csv", out, progress=lambda d, n: seen.append((d, n)))
    assert sorted(p.name for p in result.files) == sorted(f"{n}.csv" for n in TABLE_NAMES)
    tables = checks.read_csv_folder(out)
    assert list(tables["orders"][0]) == [
        "order_number", "status", "created_at", "paid_at", "register", "staff", "subtotal",
        "discount", "tax", "tip", "total", "currency",
    ]  # fmt: skip
    assert list(tables["lines"][0])[:10] == [
        "order_number", "sku", "product", "variant", "qty", "unit_price", "discount",
        "line_total", "edition_numbers", "owner",
    ]  # fmt: skip
    assert list(tables["payments"][0]) == [
        "order_number", "tender", "amount", "fee", "status", "reference"
    ]  # fmt: skip
    assert list(tables["refunds"][0]) == ["order_number", "amount", "tender", "created_at"]
    assert list(tables["tickets"][0]) == [
        "order_number", "sku", "personalisation", "status", "created_at", "called_at", "done_at",
        "slot_at",
    ]  # fmt: skip
    assert {"sku", "counted_in", "sold", "refunded_to_stock", "adjusted", "counted_out",
            "shrinkage"} <= set(tables["stock"][0])  # fmt: skip
    (code,) = tables["codes"]
    assert list(code) == ["code", "sku", "order_number", "status", "assigned_at", "voided_at"]
    assert (code["sku"], code["status"], code["voided_at"]) == ("DL-CARD", "assigned", "")
    assert TIME.match(code["assigned_at"]) and code["code"]
    report = result.report
    checks.check_totals(tables, report)
    assert len(tables["orders"]) == result.rows["orders"] == 8
    assert all(TIME.match(o["created_at"]) for o in tables["orders"])
    assert all(re.fullmatch(r"-?\d+\.\d\d", o["total"]) for o in tables["orders"])
    tee = next(x for x in tables["lines"] if x["sku"] == "TEE-M")
    assert (tee["product"], tee["variant"], tee["qty"], tee["owner"]) == (
        "Tour tee 2026", "M", "2", "The Band"
    )  # fmt: skip
    prints = next(x for x in tables["lines"] if x["sku"] == "PRINT-LTD")
    assert prints["edition_numbers"] == "1,2"
    (ticket,) = tables["tickets"]
    assert ticket["personalisation"] == 'Zoë, "the best", =1+1' and ticket["status"] == "done"
    assert seen[0] == (0, sum(result.rows.values())) and seen[-1][0] == seen[-1][1]


def test_csv_refuses_to_overwrite_other_files(night, tmp_path):
    out = tmp_path / "night"
    reports.export(night, "csv", out)
    first = (out / "orders.csv").read_bytes()
    reports.export(night, "csv", out)  # an earlier export is replaced
    assert (out / "orders.csv").read_bytes() == first
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ExportError, match="already holds other files"):
        reports.export(night, "csv", out)
    assert (out / "notes.txt").exists()
    assert not list(tmp_path.glob(".*partial*"))


def test_a_failed_export_leaves_the_old_file(night, tmp_path, monkeypatch):
    out = tmp_path / "exports" / "night.json"
    out.parent.mkdir()
    reports.export(night, "json", out)
    old = out.read_bytes()

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(common, "_fsync", broken)
    with pytest.raises(OSError, match="No space"):
        reports.export(night, "json", out)
    assert out.read_bytes() == old
    assert sorted(p.name for p in out.parent.iterdir()) == ["night.json"]


def xlsx_tables(path: Path):
    wb = openpyxl.load_workbook(path, read_only=True)
    out: dict[str, Any] = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if ws.title == "Summary":
            out["Summary"] = {r[0]: r[1] for r in rows if r and r[0]}
            continue
        head = rows[0]
        out[ws.title.lower()] = [dict(zip(head, r, strict=True)) for r in rows[1:]]
    wb.close()
    return out


def as_text(value, kind):
    """An XLSX cell as the CSV writes it, for comparing the two."""
    if value is None:
        return ""
    if kind == "money":
        return str(Decimal(str(value)).quantize(Decimal("0.01")))
    if kind == "time":
        return value
    if kind == "number":
        return f"{value:.2f}"
    if kind == "bool":
        return "true" if value else "false"
    return str(value)


def json_as_text(value):
    """A JSON value as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def test_xlsx_reads_back_like_the_csv(night, tmp_path, checks):
    reports.export(night, "csv", tmp_path / "csv")
    result = reports.export(night, "xlsx", tmp_path / "night.xlsx")
    book = xlsx_tables(tmp_path / "night.xlsx")
    assert list(book) == ["Summary", *TABLE_NAMES]
    summary = book["Summary"]
    assert summary["Event"] == "Test night"
    assert Decimal(str(summary["Net"])) == Decimal(result.report.totals.net) / 100
    assert Decimal(str(summary["Cash counted"])) == Decimal("269.75")
    profit = result.report.profit.total
    assert (
        Decimal(str(summary["Net revenue of items kept (net of tax)"]))
        == Decimal(profit.revenue) / 100
    )
    assert summary["Marginal profit (blank: a cost unknown)"] is None  # the shoutout has no cost
    assert Decimal(str(summary["Experience revenue per hour of experience time"])) == Decimal("600")
    assert summary["Repeat rate"] == "—"
    assert summary["Orders with a customer handle"] == "0% (0 of 5)"
    csv_tables = checks.read_csv_folder(tmp_path / "csv")
    from popup_pos.exports import tables as t

    columns = {
        "orders": t.ORDER_COLUMNS, "lines": t.LINE_COLUMNS, "payments": t.PAYMENT_COLUMNS,
        "refunds": t.REFUND_COLUMNS, "stock": t.STOCK_COLUMNS,
        "settlement": t.SETTLEMENT_COLUMNS, "tickets": t.TICKET_COLUMNS,
        "profit": t.PROFIT_COLUMNS, "gigs": t.EXPERIENCE_COLUMNS, "customers": t.CUSTOMER_COLUMNS,
        "codes": t.CODE_COLUMNS,
    }  # fmt: skip
    assert set(columns) == set(TABLE_NAMES)
    for name, cols in columns.items():
        assert len(book[name]) == len(csv_tables[name]), name
        for x_row, c_row in zip(book[name], csv_tables[name], strict=True):
            for col in cols:
                x, c = x_row[col.name], c_row[col.name]
                if col.kind == "time":
                    if c == "":
                        assert x is None
                        continue
                    local = datetime.fromisoformat(c).replace(tzinfo=None)
                    assert abs(x - local) < timedelta(seconds=1), (name, col.name)
                else:
                    assert as_text(x, col.kind) == c, (name, col.name, x, c)
    checks.check_totals(csv_tables, result.report)


def validate(instance, schema, root=None, path="$"):
    """The part of JSON Schema that schema.json uses, for when jsonschema is not installed."""
    root = root or schema
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return validate(instance, root["$defs"][name], root, path)
    if "anyOf" in schema:
        errors = []
        for option in schema["anyOf"]:
            try:
                validate(instance, option, root, path)
                return None
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{path}: matches none of {errors}")
    if "const" in schema:
        assert instance == schema["const"], path
    if "enum" in schema:
        assert instance in schema["enum"], (path, instance)
    kinds = schema.get("type")
    if kinds:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        python = {"object": dict, "array": list, "string": str, "boolean": bool,
                  "null": type(None), "number": (int, float), "integer": int}  # fmt: skip
        assert any(
            isinstance(instance, python[k]) and not (k in ("integer", "number")
                                                     and isinstance(instance, bool))
            for k in kinds
        ), (path, kinds, instance)  # fmt: skip
    if isinstance(instance, str) and "pattern" in schema:
        assert re.search(schema["pattern"], instance), (path, instance)
    if isinstance(instance, int | float) and not isinstance(instance, bool):
        assert instance >= schema.get("minimum", instance), path
        assert instance <= schema.get("maximum", instance), path
    if isinstance(instance, dict):
        for key in schema.get("required", ()):
            assert key in instance, f"{path}: {key} missing"
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, value in instance.items():
            if key in props:
                validate(value, props[key], root, f"{path}.{key}")
            elif extra is False:
                raise AssertionError(f"{path}: unexpected {key}")
            elif isinstance(extra, dict):
                validate(value, extra, root, f"{path}.{key}")
    if isinstance(instance, list) and "items" in schema:
        for i, item in enumerate(instance):
            validate(item, schema["items"], root, f"{path}[{i}]")
    return None


def test_json_matches_its_schema_and_the_csv(night, tmp_path, checks):
    reports.export(night, "csv", tmp_path / "csv")
    result = reports.export(night, "json", tmp_path / "night.json")
    doc = json.loads((tmp_path / "night.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    try:
        import jsonschema
    except ImportError:
        validate(doc, schema)
    else:
        jsonschema.validate(doc, schema)
    with pytest.raises(AssertionError):
        validate({**doc, "orders": [{"order_number": 5}]}, schema)
    assert doc["format"] == "popup-pos.event-export" and doc["version"] == 1
    assert doc["totals"]["net"] == format_amount(result.report.totals.net, "USD")
    assert doc["cash"]["counted"] == "269.75"
    assert doc["settlement"]["terms"]["card_fees_first"] is True
    csv_tables = checks.read_csv_folder(tmp_path / "csv")
    for name in TABLE_NAMES:
        if name == "settlement":
            rows = doc["settlement"]["rows"]
        elif name in ("profit", "gigs"):
            rows = [*doc[name]["rows"], doc[name]["total"]]
        elif name == "customers":
            rows = [doc["customers"]]
        else:
            rows = doc[name]
        as_csv = [{k: json_as_text(v) for k, v in row.items()} for row in rows]
        assert as_csv == csv_tables[name], name
    assert doc["profit"]["other_fees"] == "0.00"
    assert doc["gigs"]["total"]["planned"] is False
    assert doc["gigs"]["rows"][0]["fulfil_mean_min"] == pytest.approx(2.0)
    checks.check_totals(csv_tables, result.report)
    s = doc["settlement"]
    assert checks.cents(s["held"]) == sum(
        checks.cents(x)
        for x in (s["venue_total"], s["owed_to_owners"], s["tax"], s["organizer_total"])
    )


def test_unknown_format_and_bad_places(night, tmp_path):
    with pytest.raises(reports.ReportError, match="unknown export format 'docx'"):
        reports.export(night, "docx", tmp_path / "x")
    with pytest.raises(ExportError, match="does not exist"):
        reports.export(night, "xlsx", tmp_path / "missing" / "x.xlsx")
    with pytest.raises(ExportError, match="is a folder"):
        reports.export(night, "json", tmp_path)


@given(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.sampled_from(sorted(CURRENCY_EXPONENTS)),
)
def test_fast_money_text_is_format_amount(amount, currency):
    assert money_formatter(currency)(amount) == format_amount(amount, currency)


def test_some_tables_only(night, tmp_path):
    result = reports.export(night, "csv", tmp_path / "lines", tables=("lines",))
    assert [p.name for p in result.files] == ["lines.csv"] and result.report is None
    assert result.event.name == "Test night" and result.rows == {"lines": 11}
    with pytest.raises(reports.ReportError, match="no table 'sales'"):
        reports.export(night, "csv", tmp_path / "x", tables=("sales",))


def test_profit_experiences_and_customers_files(night, tmp_path, checks):
    result = reports.export(night, "csv", tmp_path / "csv")
    tables = checks.read_csv_folder(tmp_path / "csv")
    report = result.report
    money = checks.cents
    *profit, total = tables["profit"]
    assert (total["sku"], total["product"], total["kind"]) == ("", "Total", "")
    assert [p["sku"] for p in profit] == [r.key for r in report.profit.rows]
    assert sum(int(p["units"]) for p in profit) == int(total["units"])
    # Every card fee lands on an item kept, except those of orders with nothing kept.
    fees = sum(money(p["fees"]) for p in profit)
    assert fees == money(total["fees"]) == report.totals.fees - report.profit.other_fees
    # The venue's cut (here taken after card fees) is shared out to the cent.
    venue = sum(money(p["venue_cut"]) for p in profit)
    assert venue == money(total["venue_cut"]) == report.settlement.venue_total > 0
    for p in profit:
        if p["cost"] == "":
            assert p["profit"] == p["profit_per_unit"] == "", p["sku"]
        else:
            expected = money(p["net_revenue"]) - money(p["cost"]) - money(p["fees"])
            assert money(p["profit"]) == expected - money(p["venue_cut"]), p["sku"]
    tee = next(p for p in profit if p["sku"] == "TEE-M")
    assert (tee["kind"], tee["units"], tee["net_revenue"], tee["cost"]) == (
        "item", "1", "30.00", "9.50"
    )  # fmt: skip
    assert total["cost"] == total["profit"] == ""  # the shoutout's cost is unknown
    (shout, everything) = tables["gigs"]
    assert (shout["sku"], shout["units"], shout["net_revenue"], shout["done"]) == (
        "SHOUTOUT-60", "1", "20.00", "1"
    )  # fmt: skip
    # Called 5 minutes after it was paid for, done 2 minutes later: 20.00 in 2 minutes.
    assert (shout["wait_mean_min"], shout["wait_p90_min"]) == ("5.00", "5.00")
    assert (shout["fulfil_mean_min"], shout["fulfil_p90_min"]) == ("2.00", "2.00")
    assert (shout["gig_minutes"], shout["planned"], shout["revenue_per_hour"]) == (
        "2.00", "false", "600.00"
    )  # fmt: skip
    assert (everything["sku"], everything["experience"]) == ("", "All experiences")
    assert everything["revenue_per_hour"] == "600.00"
    (customers,) = tables["customers"]
    assert customers == {
        "orders": "5", "orders_with_handle": "0", "handle_share_percent": "0.00",
        "customers": "0", "repeat_customers": "0", "repeat_rate_percent": "",
    }  # fmt: skip


def test_tickets_file_leaves_out_held_and_cancelled(shop, tmp_path, checks):
    uow, reg = shop.uow, shop.register_id
    evening = datetime.now().astimezone().replace(hour=18, minute=0, second=0, microsecond=0)
    slot = checkout.sell(uow, reg, Cart((CartLine("SIGNING-SLOT", personalisation="Ana"),),
                                        customer="ana@example.org"), now=evening)  # fmt: skip
    checkout.place_order(uow, reg, Cart((CartLine("MEET-GREET"),)))  # held: not paid for
    gone = checkout.sell(uow, reg, Cart((CartLine("SHOUTOUT-60", personalisation="Bo"),)))
    payments.refund_to_tenders(uow, gone.order_id)  # its ticket is cancelled
    result = reports.export(uow, "csv", tmp_path / "csv", tables=("tickets", "customers"))
    assert result.rows == {"tickets": 1, "customers": 1}
    rows = checks.read_csv_folder(tmp_path / "csv", ("tickets", "customers"))
    (ticket,) = rows["tickets"]
    number = checkout.get_order(uow, slot.order_id).number
    assert (ticket["order_number"], ticket["sku"], ticket["status"]) == (
        number, "SIGNING-SLOT", "waiting"
    )  # fmt: skip
    # The first slot of the evening, 19:00, in the venue's time.
    assert datetime.fromisoformat(ticket["slot_at"]) == evening.replace(hour=19)
    assert ticket["called_at"] == ticket["done_at"] == ""
    (customers,) = rows["customers"]
    assert (customers["customers"], customers["orders_with_handle"]) == ("1", "1")
    assert "ana@" not in (tmp_path / "csv" / "customers.csv").read_text(encoding="utf-8-sig")


def test_codes_handed_out_in_every_format(shop, tmp_path, checks):
    """The codes table: each code given, its order, and void once the order is refunded."""
    uow, reg = shop.uow, shop.register_id
    kept = checkout.sell(uow, reg, Cart((CartLine("DL-CARD", 2),)))
    back = checkout.sell(uow, reg, Cart((CartLine("DL-CARD"),)))
    payments.refund_to_tenders(uow, back.order_id)
    checkout.place_order(uow, reg, Cart((CartLine("DL-CARD"),)))  # held: no code yet
    result = reports.export(uow, "csv", tmp_path / "csv", tables=("codes",))
    assert result.rows == {"codes": 3}
    (rows,) = checks.read_csv_folder(tmp_path / "csv", ("codes",)).values()
    given = {c.code: kept.number for c in kept.codes} | {c.code: back.number for c in back.codes}
    assert {r["code"]: r["order_number"] for r in rows} == given
    assert [r["status"] for r in rows] == ["assigned", "assigned", "void"]
    assert rows[2]["voided_at"] and TIME.match(rows[2]["voided_at"])
    reports.export(uow, "json", tmp_path / "night.json")
    document = json.loads((tmp_path / "night.json").read_text(encoding="utf-8"))
    validate(document, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    assert [(c["code"], c["status"]) for c in document["codes"]] == [
        (r["code"], r["status"]) for r in rows
    ]
    reports.export(uow, "xlsx", tmp_path / "night.xlsx")
    sheet = xlsx_tables(tmp_path / "night.xlsx")["codes"]
    assert [(c["code"], c["sku"], c["status"]) for c in sheet] == [
        (r["code"], r["sku"], r["status"]) for r in rows
    ]
