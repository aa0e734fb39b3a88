"""Generated catalog files, sane and broken, against every reader: a clear answer or a list
of problems with rows and columns, never anything else."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from popup_pos.domain.catalog_file import CatalogFileError
from popup_pos.importers.reader import read_catalog
from popup_pos.importers.table import INT_MAX

NATIVE = ("sku", "product", "price", "quantity", "barcode", "edition_size", "components", "kind")
SHOPIFY = ("Handle", "Title", "Body (HTML)", "Variant SKU", "Variant Price", "Variant Barcode",
           "Variant Inventory Qty")  # fmt: skip

# Cells that have broken imports before, mixed with ordinary ones.
NASTY = st.sampled_from([
    "", " ", '"', '""', 'x"y', '7" single', "a,b", "a;b", "line\nbreak", "\r\n", "\x00",
    "nul\x00here", "\x1b[31m", "\x7f", "\u0085", "٣", "1_000", "1e309", "NaN", "-0", "−5",
    "99999999999", "99999999999999999999", str(INT_MAX), str(INT_MAX + 1), "12.50", "0.001",
    "1,000", "CAP-M", "cap-m", "Cap-M", "A*1;B*2", "A*0", "*", "x" * 201, "y" * 70, "=1+1",
    "digital", "experience", "bundle", "é", "😀",
])  # fmt: skip
SKUS = st.sampled_from(["A", "a", "B", "CAP-M", "cap-m", "C"])
CELL = st.one_of(NASTY, st.text(max_size=12), SKUS, st.integers(-5, 10**12).map(str))


GOOD = {
    "sku": lambda i: f"SKU-{i}", "product": lambda i: f"Item {i}", "price": lambda i: "5.00",
    "quantity": lambda i: str(i % 4), "barcode": lambda i: f"BC{i}", "edition_size": lambda i: "",
    "components": lambda i: "", "kind": lambda i: "item", "Handle": lambda i: f"item-{i}",
    "Title": lambda i: f"Item {i}", "Body (HTML)": lambda i: "<p>Soft</p>\n<p>cotton</p>",
    "Variant SKU": lambda i: f"SKU-{i}", "Variant Price": lambda i: "5.00",
    "Variant Barcode": lambda i: f"BC{i}", "Variant Inventory Qty": lambda i: str(i % 4),
}  # fmt: skip


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """Good rows of a native or Shopify file, then a few cells spoiled or dropped."""
    columns = draw(st.sampled_from([NATIVE, SHOPIFY]))
    header = list(draw(st.permutations(columns)))
    rows = [[GOOD[c](i) for c in header] for i in range(draw(st.integers(1, 6)))]
    for _ in range(draw(st.integers(0, 3))):
        row = draw(st.sampled_from(rows))
        action = draw(st.sampled_from(["spoil", "spoil", "spoil", "drop", "add"]))
        if action == "spoil":
            row[draw(st.integers(0, len(row) - 1))] = draw(CELL)
        elif action == "drop":
            row.pop()
        else:
            row.append(draw(CELL))
    return header, rows


def _render(header: list[str], rows: list[list[str]], raw: bool) -> str:
    """As a spreadsheet writes it (quoted where needed), or joined by hand (broken quoting)."""
    if raw:
        return "\n".join(",".join(r) for r in [header, *rows]) + "\n"
    out = io.StringIO(newline="")
    csv.writer(out).writerows([header, *rows])
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(tables(), st.booleans(), st.sampled_from(["auto", "native", "shopify"]))
def test_every_file_is_read_or_refused_with_rows_and_columns(table, raw, fmt):
    header, rows = table
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.csv"
        text = _render(header, rows, raw)
        path.write_text(text, encoding="utf-8")
        try:
            parsed = read_catalog(path, currency="USD", fmt=fmt)
        except CatalogFileError as exc:
            assert exc.problems and str(exc)
            # Rows as a spreadsheet counts them: never more than the file's lines.
            last = text.count("\n") + text.count("\r") + 1
            for p in exc.problems:
                assert 1 <= p.row <= last and p.message
            return
    for v in parsed.variants:
        assert v.sku and len(v.sku) <= 64 and len(v.product_name) <= 200
        for number in (v.quantity, v.edition_size, v.per_order_limit):
            assert number is None or 0 <= number <= INT_MAX
        text = [v.sku, v.product_name, v.barcode or "", v.category or ""]
        assert not any("\x00" in t for t in text)
        if v.edition_size is not None and v.quantity is not None:
            assert v.quantity <= v.edition_size
    upper = [v.sku.upper() for v in parsed.variants]
    assert len(upper) == len(set(upper))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_read_or_refused(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.csv"
        path.write_bytes(b"sku,product,price\n" + data)
        try:
            read_catalog(path, currency="USD")
        except CatalogFileError as exc:
            assert exc.problems
