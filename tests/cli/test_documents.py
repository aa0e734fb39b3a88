"""`popup-pos labels` and `popup-pos receipt` as README documents them."""

import pypdfium2
import pytest
import zxingcpp

from popup_pos.cli import main
from popup_pos.documents.templates import MM, get_template
from popup_pos.services import checkout, events
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.store.engine import make_engine
from popup_pos.store.uow import UnitOfWork


class Shop:
    """A SQLite file with the demo catalog, an open event and register A."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.engine = make_engine(path)
        self.uow = UnitOfWork(self.engine)
        events.open_event(self.uow, "Test night", currency="USD", float_cents=0)
        self.register_id = events.join_register(self.uow, "A").id


@pytest.fixture
def shop(tmp_path):
    path = str(tmp_path / "pos.sqlite")
    assert main(["--db", path, "demo", "seed"]) == 0  # migrates and loads the demo catalog
    shop = Shop(path)
    yield shop
    shop.engine.dispose()


@pytest.fixture
def run(shop, capsys):
    capsys.readouterr()

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", shop.path, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def cells(path, template: str, dpi: int = 203) -> list[list[list[tuple[str, str]]]]:
    """Decoded codes of every cell of every page."""
    tpl = get_template(template)
    scale = dpi / 72
    pages = []
    for page in pypdfium2.PdfDocument(path):
        image = page.render(scale=scale, grayscale=True, no_smoothpath=True).to_pil()
        found = []
        for cell in range(1, tpl.per_page + 1):
            x, y, w, h = tpl.cell_box(cell)
            top = tpl.page_height - y - h
            box = (int(x * scale), int(top * scale), int((x + w) * scale), int((top + h) * scale))
            found.append(
                sorted((r.format.name, r.text) for r in zxingcpp.read_barcodes(image.crop(box)))
            )
        pages.append(found)
    return pages


def test_copies_of_a_sku_from_a_start_cell(run, tmp_path):
    out = tmp_path / "tees.pdf"
    code, stdout, _ = run("labels", "--sku", "TEE-M", "--copies", "3", "--start-cell", "4",
                          "--out", str(out))  # fmt: skip
    assert code == 0
    assert "Wrote 3 labels on 1 page (avery-5160, from cell 4)" in stdout
    assert "100 %" in stdout
    [page] = cells(out, "avery-5160")
    tee = [("Code128", "TEE-M")]
    assert page[:6] == [[], [], [], tee, tee, tee] and page[6:] == [[]] * 24


def test_all_stock_on_a_roll_template(run, tmp_path):
    out = tmp_path / "stock.pdf"
    code, stdout, _ = run("labels", "--all-stock", "--template", "dymo-30334", "--out", str(out))
    assert code == 0 and "Wrote 210 labels on 210 pages (dymo-30334)" in stdout
    assert len(pypdfium2.PdfDocument(out)) == 210


def test_a_digital_item_gets_a_qr(run, tmp_path):
    out = tmp_path / "card.pdf"
    assert (
        run("labels", "--sku", "DL-CARD", "--template", "brother-62x29", "--out", str(out))[0] == 0
    )
    assert cells(out, "brother-62x29", 300) == [[[("Code128", "DL-CARD"), ("QRCode", "DL-CARD")]]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sku", "TEE-M", "--template", "avery-516"],
         "unknown label template 'avery-516': use one of avery-5160, avery-l7160, dymo-30252, "
         "dymo-30334, zebra-2.25x1.25, brother-62x29"),
        (["--sku", "NOPE"], "no variant with SKU 'NOPE'"),
        (["--sku", "TEE-M", "--start-cell", "31"],
         "start cell 31 is out of range for avery-5160: its sheet has cells 1 to 30"),
        (["--sku", "TEE-M", "--template", "zebra-2.25x1.25", "--start-cell", "2"],
         "start cell 2 is out of range for zebra-2.25x1.25"),
        (["--sku", "TEE-M", "--start-cell", "two"], "--start-cell must be a whole number"),
        (["--sku", "TEE-M", "--copies", "0"], "--copies must be at least 1, not 0"),
        (["--all-stock", "--copies", "2"], "--copies goes with --sku"),
        (["--sku", "PACK-TEE-M-POSTER", "--template", "zebra-2.25x1.25"],
         "SKU 'PACK-TEE-M-POSTER' is too long for a scannable Code 128 on zebra-2.25x1.25"),
    ],
)  # fmt: skip
def test_label_mistakes_are_one_line(run, tmp_path, args, message):
    out = tmp_path / "x.pdf"
    code, stdout, stderr = run("labels", *args, "--out", str(out))
    assert code == 1 and stdout == ""
    assert stderr.startswith(f"popup-pos: {message}") and stderr.count("\n") == 1
    assert not out.exists()


def test_missing_output_folder(run, tmp_path):
    code, _, stderr = run("labels", "--sku", "TEE-M", "--out", str(tmp_path / "no" / "x.pdf"))
    assert code == 1 and stderr == f"popup-pos: folder '{tmp_path / 'no'}' does not exist: " \
        "cannot write x.pdf\n"  # fmt: skip
    code, _, stderr = run("receipt", "A-0001", "--out", str(tmp_path / "no" / "r.pdf"))
    assert code == 1 and "does not exist" in stderr


def test_sku_or_all_stock_is_required(run, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        run("labels", "--out", str(tmp_path / "x.pdf"))
    assert exit_.value.code == 2


@pytest.mark.parametrize("width", ["80", "58"])
def test_receipt_of_an_order(shop, run, tmp_path, width):
    sold = checkout.sell(
        shop.uow,
        shop.register_id,
        Cart((CartLine("TEE-M", 2), CartLine("PRINT-LTD"))),
        (TenderSpec("cash", tendered=110_00),),
    )
    out = tmp_path / "receipt.pdf"
    code, stdout, _ = run("receipt", sold.number.lower(), "--width", width, "--out", str(out))
    assert code == 0
    assert stdout == f"Wrote the receipt of order {sold.number} ({width} mm) to {out}\n"
    [page] = pypdfium2.PdfDocument(out)
    assert page.get_size()[0] == pytest.approx(int(width) * MM)
    image = page.render(scale=203 / 72, grayscale=True).to_pil()
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [sold.number]
    text = " ".join(page.get_textpage().get_text_range().split())
    assert "Total $105.00" in text and "Cash $110.00" in text and "Change $5.00" in text
    assert "#1/50" in text


def test_receipt_mistakes(run, tmp_path):
    code, _, stderr = run("receipt", "A-0999", "--out", str(tmp_path / "r.pdf"))
    assert code == 1 and stderr == "popup-pos: no order A-0999\n"
    with pytest.raises(SystemExit) as exit_:
        run("receipt", "A-0001", "--width", "76", "--out", str(tmp_path / "r.pdf"))
    assert exit_.value.code == 2
