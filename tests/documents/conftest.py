"""Reading printed output back as a person with a scanner would: rasterise, then decode."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2
import pytest
import zxingcpp
from PIL import Image

from popup_pos.documents.templates import LabelTemplate

DPIS = (203, 300)
DARK = 160  # a pixel darker than this (0-255) is ink, not anti-aliasing haze


@dataclass(frozen=True)
class Page:
    image: Image.Image
    dpi: int
    width_pt: float
    height_pt: float

    def box(self, x: float, y: float, w: float, h: float) -> tuple[int, int, int, int]:
        """Pixel box of a PDF rectangle (y from the bottom), rounded outwards."""
        s = self.dpi / 72
        top = self.height_pt - y - h
        return int(x * s), int(top * s), int((x + w) * s + 0.999), int((top + h) * s + 0.999)

    def decode(self, box: tuple[int, int, int, int] | None = None) -> list[tuple[str, str]]:
        image = self.image if box is None else self.image.crop(box)
        return sorted((r.format.name, r.text) for r in zxingcpp.read_barcodes(image))


class Pdf:
    def __init__(self, data: bytes) -> None:
        self.doc = pypdfium2.PdfDocument(data)

    def __len__(self) -> int:
        return len(self.doc)

    def size(self, page: int = 0) -> tuple[float, float]:
        w, h = self.doc[page].get_size()
        return w, h

    def page(self, n: int, dpi: int, *, smooth: bool = False) -> Page:
        """Without smoothing each dot is ink or not, as a thermal head or a laser prints;
        with it, edges are grey as on a screen or a scan."""
        pdf_page = self.doc[n]
        image = pdf_page.render(scale=dpi / 72, grayscale=True, no_smoothpath=not smooth).to_pil()
        w, h = pdf_page.get_size()
        return Page(image.convert("L"), dpi, w, h)

    def pages(self, dpi: int, *, smooth: bool = False) -> Iterator[Page]:
        for n in range(len(self)):
            yield self.page(n, dpi, smooth=smooth)

    def text(self, page: int = 0, box: tuple[float, float, float, float] | None = None) -> str:
        textpage = self.doc[page].get_textpage()
        if box is None:
            return str(textpage.get_text_range())
        x, y, w, h = box
        return str(textpage.get_text_bounded(left=x, bottom=y, right=x + w, top=y + h))


def ink_outside(page: Page, allowed: list[tuple[int, int, int, int]], slack: int = 1) -> int:
    """How many dark pixels lie outside every allowed pixel box (each grown by `slack`)."""
    mask = Image.new("L", page.image.size, 0)
    for x0, y0, x1, y1 in allowed:
        mask.paste(255, (max(0, x0 - slack), max(0, y0 - slack), x1 + slack, y1 + slack))
    ink = page.image.point(lambda v: 255 if v < DARK else 0)
    outside = Image.composite(Image.new("L", ink.size, 0), ink, mask)
    return outside.histogram()[255]


def content_box(tpl: LabelTemplate, cell: int) -> tuple[float, float, float, float]:
    x, y, w, h = tpl.cell_box(cell)
    return x + tpl.inset_x, y + tpl.inset_y, w - 2 * tpl.inset_x, h - 2 * tpl.inset_y


@pytest.fixture
def read_pdf():
    """Open PDF bytes for rendering, decoding and text extraction."""
    return Pdf


@pytest.fixture(name="ink_outside")
def _ink_outside():
    """Count dark pixels outside the allowed pixel boxes."""
    return ink_outside


@pytest.fixture(name="content_box")
def _content_box():
    """A template cell less its inset, where a label's ink may go."""
    return content_box
