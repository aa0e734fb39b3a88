"""Labels on every template: every code decodes at 203 and 300 dpi and nothing leaves its cell."""

import io
from pathlib import Path

import pytest
from PIL import Image

from popup_pos.documents.common import DocumentError, PayloadError
from popup_pos.documents.labels import LabelItem, LabelLayoutError, render_labels
from popup_pos.documents.templates import TEMPLATES, StartCellError, UnknownTemplateError

LONG_NAME = (
    "Limited anniversary screen print, hand-pulled and signed by the whole band after "
    "the encore (second run, numbered)"
)
ITEMS = [
    LabelItem("Tour tee 2026", "Size M", "$30.00", "TEE-M"),
    LabelItem(LONG_NAME, "Size XL · Black", "$1,234.50", "PRINT-LTD", edition="#17/50"),
    LabelItem("Download card: Nights Like These", "", "$10.00", "DL-CARD", qr="DL-CARD"),
    LabelItem("Meet & greet (5 min)", "", "$25.00", "MEET-GREET-01", qr="MEET-GREET-01"),
    LabelItem("Tour poster", "", "$15.00", "0860001000073"),
    LabelItem("60-second video shoutout", "", "$20.00", "SHOUTOUT-60", qr="A-0042"),
    LabelItem(LONG_NAME + " " + LONG_NAME, "Size M", "$40.00", "PACK-TEE-M-POS", qr="PK-7"),
    LabelItem("Screen print (numbered)", "", "$45.00", "PRINT-LTD", edition="Edition of 50"),
]


def expected(item: LabelItem) -> list[tuple[str, str]]:
    codes = [("Code128", item.sku)]
    if item.qr:
        codes.append(("QRCode", item.qr))
    return sorted(codes)


def render(items, template, **kw) -> bytes:
    out = io.BytesIO()
    assert render_labels(items, template, out=out, **kw) == len(items)
    return out.getvalue()


def placed(template: str, n: int, start_cell: int = 1) -> list[tuple[int, int]]:
    """(page, cell) of each of n labels."""
    per_page = TEMPLATES[template].per_page
    slots = [start_cell - 1 + i for i in range(n)]
    return [(s // per_page, s % per_page + 1) for s in slots]


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {name: render(ITEMS, name) for name in TEMPLATES}


@pytest.mark.parametrize("template", list(TEMPLATES))
@pytest.mark.parametrize(("dpi", "smooth"), [(203, False), (300, False), (300, True)])
def test_every_code_decodes(rendered, read_pdf, template, dpi, smooth):
    """As printed at 203 and 300 dpi (whole dots), and as a 300 dpi anti-aliased image."""
    tpl = TEMPLATES[template]
    pdf = read_pdf(rendered[template])
    pages = [pdf.page(n, dpi, smooth=smooth) for n in range(len(pdf))]
    for item, (page, cell) in zip(ITEMS, placed(template, len(ITEMS)), strict=True):
        got = pages[page].decode(pages[page].box(*tpl.cell_box(cell)))
        assert got == expected(item), (template, cell, item.sku)


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_nothing_leaves_its_cell(rendered, read_pdf, ink_outside, content_box, template):
    """No ink outside the cells less their inset (die cut, a head's unprintable border)."""
    tpl = TEMPLATES[template]
    pdf = read_pdf(rendered[template])
    for n in range(len(pdf)):
        page = pdf.page(n, 203, smooth=True)
        used = [cell for p, cell in placed(template, len(ITEMS)) if p == n]
        assert used
        assert ink_outside(page, [page.box(*content_box(tpl, cell)) for cell in used]) == 0


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_text_stays_in_its_own_cell(rendered, read_pdf, template):
    tpl = TEMPLATES[template]
    pdf = read_pdf(rendered[template])
    for item, (page, cell) in zip(ITEMS, placed(template, len(ITEMS)), strict=True):
        inside = pdf.text(page, tpl.cell_box(cell)).replace("\r\n", " ").replace("\n", " ")
        assert item.name.split()[0] in inside
        assert item.sku in inside
        assert item.price in inside
        if item.edition:
            assert item.edition in inside


def test_start_cell_skips_used_cells_of_a_partly_used_sheet(read_pdf, ink_outside, content_box):
    tpl = TEMPLATES["avery-5160"]
    items = ITEMS[:3]
    pdf = read_pdf(render(items, "avery-5160", start_cell=5))
    assert len(pdf) == 1
    page = pdf.page(0, 203)
    for cell in range(1, 5):
        assert page.decode(page.box(*tpl.cell_box(cell))) == []
    for item, cell in zip(items, (5, 6, 7), strict=True):
        assert page.decode(page.box(*tpl.cell_box(cell))) == expected(item)
    assert ink_outside(page, [page.box(*content_box(tpl, c)) for c in (5, 6, 7)]) == 0


def test_labels_past_the_last_cell_go_on_to_a_new_sheet(read_pdf):
    tpl = TEMPLATES["avery-l7160"]
    items = [LabelItem(f"Poster {i}", "", "$15.00", f"POSTER-{i}") for i in range(5)]
    pdf = read_pdf(render(items, "avery-l7160", start_cell=19))
    assert len(pdf) == 2
    first, second = pdf.page(0, 203), pdf.page(1, 203)
    assert [first.decode(first.box(*tpl.cell_box(c))) for c in (19, 20, 21)] == [
        expected(i) for i in items[:3]
    ]
    assert [second.decode(second.box(*tpl.cell_box(c))) for c in (1, 2)] == [
        expected(i) for i in items[3:]
    ]
    assert second.decode(second.box(*tpl.cell_box(3))) == []


def test_copies_of_one_label_are_all_drawn(read_pdf):
    tpl = TEMPLATES["avery-5160"]
    item = LabelItem("Tee + poster pack", "Size M", "$40.00", "PACK-TEE-M", qr="PACK-TEE-M")
    pdf = read_pdf(render([item] * 32, "avery-5160"))
    assert len(pdf) == 2
    page = pdf.page(1, 203)
    assert page.decode(page.box(*tpl.cell_box(2))) == expected(item)
    assert page.decode(page.box(*tpl.cell_box(3))) == []


@pytest.mark.parametrize(
    ("template", "cell"),
    [("avery-5160", 0), ("avery-5160", 31), ("avery-l7160", 22), ("dymo-30252", 2)],
)
def test_start_cell_out_of_range_says_which_cells_exist(template, cell):
    with pytest.raises(StartCellError, match=f"start cell {cell} is out of range for {template}"):
        render(ITEMS[:1], template, start_cell=cell)


def test_unknown_template_lists_the_valid_ones():
    with pytest.raises(UnknownTemplateError) as err:
        render(ITEMS[:1], "avery-9999")
    assert all(name in str(err.value) for name in TEMPLATES)


def test_long_names_shrink_then_wrap_to_two_lines_then_are_cut(read_pdf):
    tpl = TEMPLATES["avery-5160"]
    names = [
        "Tee",  # full size, one line
        "Tour tee with the dates",  # one line, smaller
        "Download card for the new album Nights Like These",  # two lines
        LONG_NAME * 3,  # two lines, the second ending in an ellipsis
    ]
    items = [LabelItem(name, "", "$1.00", f"N-{i}") for i, name in enumerate(names)]
    pdf = read_pdf(render(items, "avery-5160"))
    lines = []
    for cell in range(1, 5):
        text = pdf.text(0, tpl.cell_box(cell)).replace("\r\n", "\n")
        lines.append([ln for ln in text.split("\n") if ln and "$" not in ln and "N-" not in ln])
    assert lines[0] == ["Tee"]
    assert lines[1] == ["Tour tee with the dates"]
    assert len(lines[2]) == 2 and " ".join(lines[2]) == names[2]
    assert len(lines[3]) == 2 and lines[3][1].endswith("…")


def test_scan_codes_use_only_capitals_digits_and_dash():
    with pytest.raises(PayloadError, match="'_'"):
        render([LabelItem("Tee", sku="TEE_M")], "avery-5160")
    with pytest.raises(PayloadError, match="'e'"):
        render([LabelItem("Tee", sku="Tee-M")], "avery-5160")
    with pytest.raises(PayloadError, match="QR payload"):
        render([LabelItem("Tee", sku="TEE-M", qr="https://x")], "avery-5160")


def test_a_sku_too_long_for_the_label_names_templates_it_fits():
    with pytest.raises(LabelLayoutError) as err:
        render([LabelItem("Pack", sku="PACK-TEE-M-POSTER")], "zebra-2.25x1.25")
    message = str(err.value)
    assert "up to 15 letters fit" in message
    assert "avery-5160" in message and "dymo-30334" not in message.split("fits on")[1]


def test_logo_is_drawn_inside_the_label(tmp_path, read_pdf, ink_outside, content_box):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 60), (20, 20, 20)).save(logo)
    tpl = TEMPLATES["dymo-30334"]
    pdf = read_pdf(render(ITEMS[:3], "dymo-30334", logo=logo))
    for n, item in enumerate(ITEMS[:3]):
        page = pdf.page(n, 300)
        assert page.decode() == expected(item)
        assert ink_outside(page, [page.box(*content_box(tpl, 1))]) == 0


def test_a_file_that_is_not_an_image_is_refused_as_a_logo(tmp_path):
    bad = tmp_path / "logo.png"
    bad.write_text("not a picture")
    with pytest.raises(DocumentError, match="cannot be read as an image"):
        render(ITEMS[:1], "avery-5160", logo=bad)


def test_characters_the_pdf_fonts_lack_are_spelled_out(read_pdf):
    pdf = read_pdf(render([LabelItem("Zoë's 티셔츠 tee", "", "₩30,000", "TEE-K")], "dymo-30334"))
    text = pdf.text(0)
    assert "Zoë's" in text and "KRW 30,000" in text


def test_writes_a_file_whole_or_not_at_all(tmp_path):
    out = tmp_path / "labels.pdf"
    assert render_labels(ITEMS[:2], "avery-5160", out=out) == 2
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(DocumentError, match="does not exist"):
        render_labels(ITEMS[:2], "avery-5160", out=tmp_path / "missing" / "labels.pdf")
    with pytest.raises(PayloadError):
        render_labels([*ITEMS[:2], LabelItem("x", sku="bad sku")], "avery-5160", out=out)
    assert sorted(p.name for p in Path(tmp_path).iterdir()) == ["labels.pdf"]


def test_nothing_to_print_is_an_error():
    with pytest.raises(DocumentError, match="no labels"):
        render([], "avery-5160")
