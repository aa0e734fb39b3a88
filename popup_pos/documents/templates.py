"""Label stock: page size, grid, margins and pitch of each template, in PDF points."""

from __future__ import annotations

from dataclasses import dataclass

from popup_pos.documents.common import DocumentError

INCH = 72.0
MM = 72.0 / 25.4


class UnknownTemplateError(DocumentError):
    """A label template name that is not one of ours."""


class StartCellError(DocumentError):
    """A start cell that is not on the template's sheet."""


@dataclass(frozen=True, slots=True)
class LabelTemplate:
    """One kind of label stock. Lengths are points (1/72 in); cells count from the top left."""

    name: str
    stock: str
    page_width: float
    page_height: float
    label_width: float
    label_height: float
    columns: int = 1
    rows: int = 1
    left: float = 0.0
    top: float = 0.0
    pitch_x: float = 0.0
    pitch_y: float = 0.0
    # Content keeps this far from the label's edge: die-cut tolerance on sheets, the
    # unprintable border of thermal printers.
    inset_x: float = 1.5 * MM
    inset_y: float = 1.5 * MM
    # The printer's own resolution; bar and module widths snap to whole dots of it.
    dpi: int = 300

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def is_sheet(self) -> bool:
        return self.per_page > 1

    def cell_box(self, cell: int) -> tuple[float, float, float, float]:
        """(x, y, width, height) of 1-based `cell`, y from the bottom of the page as PDF has it."""
        if not 1 <= cell <= self.per_page:
            raise StartCellError(self.cell_range_message(cell))
        row, col = divmod(cell - 1, self.columns)
        x = self.left + col * self.pitch_x
        y = self.page_height - self.top - row * self.pitch_y - self.label_height
        return x, y, self.label_width, self.label_height

    def cell_range_message(self, cell: int) -> str:
        if self.per_page == 1:
            return (
                f"start cell {cell} is out of range for {self.name}: it is one label a page, "
                "so the start cell can only be 1"
            )
        return (
            f"start cell {cell} is out of range for {self.name}: its sheet has cells 1 to "
            f"{self.per_page} ({self.columns} across, {self.rows} down, numbered along each row)"
        )


def _roll(
    name: str, stock: str, width: float, height: float, *, inset_x: float, inset_y: float, dpi: int
) -> LabelTemplate:
    """A roll or die-cut label, one a page; the page is the label read the long way across."""
    return LabelTemplate(
        name, stock, width, height, width, height, inset_x=inset_x, inset_y=inset_y, dpi=dpi
    )


TEMPLATES: dict[str, LabelTemplate] = {
    t.name: t
    for t in (
        LabelTemplate(
            "avery-5160",
            "US Letter sheet, 30 labels of 2.625 × 1 in",
            page_width=8.5 * INCH,
            page_height=11 * INCH,
            label_width=2.625 * INCH,
            label_height=1 * INCH,
            columns=3,
            rows=10,
            left=0.1875 * INCH,
            top=0.5 * INCH,
            pitch_x=2.75 * INCH,
            pitch_y=1 * INCH,
            inset_x=0.08 * INCH,
            inset_y=0.06 * INCH,
            dpi=600,
        ),
        LabelTemplate(
            "avery-l7160",
            "A4 sheet, 21 labels of 63.5 × 38.1 mm",
            page_width=210 * MM,
            page_height=297 * MM,
            label_width=63.5 * MM,
            label_height=38.1 * MM,
            columns=3,
            rows=7,
            left=7.25 * MM,
            top=15.15 * MM,
            pitch_x=66.04 * MM,
            pitch_y=38.1 * MM,
            inset_x=2 * MM,
            inset_y=2 * MM,
            dpi=600,
        ),
        _roll(
            "dymo-30252",
            "DYMO address roll, 1-1/8 × 3-1/2 in (28 × 89 mm)",
            3.5 * INCH,
            1.125 * INCH,
            inset_x=2.5 * MM,
            inset_y=1.5 * MM,
            dpi=300,
        ),
        _roll(
            "dymo-30334",
            "DYMO multi-purpose roll, 2-1/4 × 1-1/4 in (57 × 32 mm)",
            2.25 * INCH,
            1.25 * INCH,
            inset_x=2 * MM,
            inset_y=1.5 * MM,
            dpi=300,
        ),
        _roll(
            "zebra-2.25x1.25",
            "thermal roll, 2.25 × 1.25 in",
            2.25 * INCH,
            1.25 * INCH,
            inset_x=1.5 * MM,
            inset_y=1.5 * MM,
            dpi=203,
        ),
        # The QL prints 696 × 271 dots at 300 dpi of the 62 × 29 mm label: the rest is
        # an unprintable border, so the inset is what is left over on each side.
        _roll(
            "brother-62x29",
            "Brother QL die-cut, 62 × 29 mm",
            62 * MM,
            29 * MM,
            inset_x=(62 * MM - 696 * INCH / 300) / 2,
            inset_y=(29 * MM - 271 * INCH / 300) / 2,
            dpi=300,
        ),
    )
}


def template_names() -> list[str]:
    return list(TEMPLATES)


def get_template(name: str) -> LabelTemplate:
    try:
        return TEMPLATES[name.strip().lower()]
    except KeyError:
        raise UnknownTemplateError(
            f"unknown label template {name!r}: use one of {', '.join(TEMPLATES)}"
        ) from None
