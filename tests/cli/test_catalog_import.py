"""`catalog import` on both databases, with generated files too: it imports, or prints one list
of problems and changes nothing; it never prints a traceback."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from popup_pos.cli import main
from popup_pos.domain.catalog_file import ImportedVariant, ParsedCatalog
from popup_pos.services import catalog
from popup_pos.store.engine import make_engine
from popup_pos.store.uow import UnitOfWork

HEADER = ["sku", "product", "price", "quantity", "barcode", "edition_size", "components"]
TABLES = ("products", "variants", "bundle_components", "stock_movements", "categories",
          "owners", "tax_classes", "audit_entries")  # fmt: skip
SKUS = ["CAP-M", "cap-m", "PACK", "TEE", "tee", "NEW-1", "NEW-2", "NEW-3"]
CELL = st.one_of(
    st.sampled_from([
        "", '"', 'x"y', "a,b", "line\nbreak", "\x00", "bad\x1bcell", "99999999999",
        "99999999999999999999", "2147483648", "1e309", "٣", "1_000", "-3", "x" * 201,
        "y" * 65, "PACK*1", "TEE*1;PACK*1", "NEW-1*1", "NEW-2*2", "cap-m*1", "*", "12.50",
        "0", "5", "10", "ABC", "abc",
    ]),
    st.sampled_from(SKUS),
    st.text(max_size=8),
)  # fmt: skip


@st.composite
def files(draw: st.DrawFn) -> str:
    rows = [
        [sku, f"Item {i}", "5.00", str(i), "", "", ""]
        for i, sku in enumerate(draw(st.lists(st.sampled_from(SKUS), min_size=1, max_size=4)))
    ]
    for _ in range(draw(st.integers(0, 3))):
        row = draw(st.sampled_from(rows))
        action = draw(st.sampled_from(["spoil", "spoil", "spoil", "drop", "add"]))
        if action == "spoil":
            row[draw(st.integers(0, len(row) - 1))] = draw(CELL)
        elif action == "drop":
            row.pop()
        else:
            row.append(draw(CELL))
    if draw(st.booleans()):
        return "\n".join(",".join(r) for r in [HEADER, *rows]) + "\n"  # quoting left to luck
    out = io.StringIO(newline="")
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue()


@pytest.fixture
def seeded(db_url: str):
    """A catalog with a SKU, a barcode and a bundle the files can clash with."""
    engine = make_engine(db_url)
    parsed = ParsedCatalog("native", [
        ImportedVariant(row=2, handle="cap", product_name="Cap", sku="CAP-M", price=1500,
                        barcode="ABC", quantity=4),
        ImportedVariant(row=3, handle="tee", product_name="Tee", sku="TEE", price=2000,
                        quantity=6),
        ImportedVariant(row=4, handle="pack", product_name="Pack", sku="PACK", price=3000,
                        components=[("TEE", 1)]),
    ])  # fmt: skip
    catalog.import_catalog(UnitOfWork(engine), parsed, source="seed")
    yield db_url, engine
    engine.dispose()


def _dump(engine) -> list[list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return [
            [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY id"))] for t in TABLES
        ]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=files(), dry_run=st.booleans())
def test_catalog_import_imports_or_refuses_and_changes_nothing(seeded, capsys, content, dry_run):
    url, engine = seeded
    before = _dump(engine)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.csv"
        path.write_text(content, encoding="utf-8")
        capsys.readouterr()
        code = main(["--db", url, "catalog", "import", str(path), *(["--dry-run"] * dry_run)])
    out, err = capsys.readouterr()

    assert "Traceback" not in out + err
    assert code in (0, 1), err
    if code == 1:
        # Every problem here is in the file, so the message names where, not the database.
        assert "row " in err and "database" not in err, err
    if code == 1 or dry_run:
        assert _dump(engine) == before
    else:
        _check_catalog(engine)


def _check_catalog(engine) -> None:
    """What a successful import must never leave behind."""
    with engine.connect() as conn:
        variants = conn.execute(
            text("SELECT sku, barcode, on_hand, edition_size FROM variants")
        ).all()
        names = conn.execute(text("SELECT name FROM products")).scalars().all()
    skus = [v.sku.upper() for v in variants]
    assert len(skus) == len(set(skus)), "SKUs differing only in case"
    codes = [v.barcode.casefold() for v in variants if v.barcode]
    assert len(codes) == len(set(codes)), "barcodes differing only in case"
    for v in variants:
        assert v.edition_size is None or v.on_hand <= v.edition_size
    for value in [*names, *(v.sku for v in variants)]:
        assert not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value), repr(value)


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_unclosed_quote_fails_the_import_and_its_dry_run(seeded, capsys, tmp_path, dry_run):
    url, engine = seeded
    rows = "".join(f"SKU-{i},Item {i},5.00,3,,,\n" for i in range(3, 52))
    path = tmp_path / "catalog.csv"
    path.write_text(",".join(HEADER) + '\nSKU-2,"Item 2,5.00,3,,,\n' + rows, encoding="utf-8")
    before = _dump(engine)
    capsys.readouterr()

    code = main(["--db", url, "catalog", "import", str(path), *(["--dry-run"] * dry_run)])

    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "row 2, column 'product'" in err and "never closed" in err
    assert _dump(engine) == before
