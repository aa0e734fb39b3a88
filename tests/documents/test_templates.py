"""The label stock table, exactly: page size, grid, margins and pitch of every template."""

import pytest

from popup_pos.documents.templates import (
    INCH,
    MM,
    StartCellError,
    UnknownTemplateError,
    get_template,
    template_names,
)

# name: page (w, h), label (w, h), columns, rows, left, top, pitch x, pitch y, in points
STOCK = {
    "avery-5160": (
        (8.5 * INCH, 11 * INCH), (2.625 * INCH, 1 * INCH), 3, 10,
        0.1875 * INCH, 0.5 * INCH, 2.75 * INCH, 1 * INCH,
    ),
    "avery-l7160": (
        (210 * MM, 297 * MM), (63.5 * MM, 38.1 * MM), 3, 7,
        7.25 * MM, 15.15 * MM, 66.04 * MM, 38.1 * MM,
    ),
    "dymo-30252": ((3.5 * INCH, 1.125 * INCH), (3.5 * INCH, 1.125 * INCH), 1, 1, 0, 0, 0, 0),
    "dymo-30334": ((2.25 * INCH, 1.25 * INCH), (2.25 * INCH, 1.25 * INCH), 1, 1, 0, 0, 0, 0),
    "zebra-2.25x1.25": (
        (2.25 * INCH, 1.25 * INCH), (2.25 * INCH, 1.25 * INCH), 1, 1, 0, 0, 0, 0,
    ),
    "brother-62x29": ((62 * MM, 29 * MM), (62 * MM, 29 * MM), 1, 1, 0, 0, 0, 0),
}  # fmt: skip


def test_the_six_templates_of_the_stock_table():
    assert template_names() == list(STOCK)


@pytest.mark.parametrize("name", list(STOCK))
def test_geometry_is_the_stock_table(name):
    page, label, columns, rows, left, top, pitch_x, pitch_y = STOCK[name]
    t = get_template(name)
    assert (t.page_width, t.page_height) == pytest.approx(page)
    assert (t.label_width, t.label_height) == pytest.approx(label)
    assert (t.columns, t.rows, t.per_page) == (columns, rows, columns * rows)
    assert (t.left, t.top, t.pitch_x, t.pitch_y) == pytest.approx((left, top, pitch_x, pitch_y))


@pytest.mark.parametrize("name", list(STOCK))
def test_cells_run_along_rows_inside_the_page_without_overlapping(name):
    t = get_template(name)
    boxes = [t.cell_box(c) for c in range(1, t.per_page + 1)]
    for x, y, w, h in boxes:
        assert x >= 0 and x + w <= t.page_width + 1e-9
        assert y >= 0 and y + h <= t.page_height + 1e-9
    for i, (x, y, w, h) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1 :]:
            assert x + w <= x2 + 1e-9 or x2 + w2 <= x + 1e-9 or y + h <= y2 + 1e-9 or y2 + h2 <= y
    if t.per_page > 1:
        assert boxes[1][0] > boxes[0][0] and boxes[1][1] == boxes[0][1]  # 2 is right of 1
        assert boxes[t.columns][1] < boxes[0][1]  # the next row is lower on the page
        x, y, w, h = boxes[0]
        assert (x, t.page_height - y - h) == pytest.approx((t.left, t.top))


def test_brother_content_keeps_to_the_printable_696_by_271_dots():
    t = get_template("brother-62x29")
    assert (t.label_width - 2 * t.inset_x) * 300 / 72 == pytest.approx(696)
    assert (t.label_height - 2 * t.inset_y) * 300 / 72 == pytest.approx(271)


def test_names_are_matched_without_regard_to_case_or_spaces():
    assert get_template(" Avery-5160 ").name == "avery-5160"
    with pytest.raises(UnknownTemplateError, match="use one of avery-5160, avery-l7160"):
        get_template("avery 5160")


def test_cells_outside_the_sheet_are_refused():
    with pytest.raises(StartCellError, match="cells 1 to 21"):
        get_template("avery-l7160").cell_box(22)
    with pytest.raises(StartCellError, match="can only be 1"):
        get_template("zebra-2.25x1.25").cell_box(2)
