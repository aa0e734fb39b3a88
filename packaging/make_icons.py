"""Render the application icon assets/icons/popup-pos.svg to PNGs at the sizes desktops ask for."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Rendering needs no screen; set before Qt loads a platform plugin.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "assets" / "icons"
SIZES = (16, 32, 48, 64, 128, 256, 512)


def render(svg: Path, size: int) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
    finally:
        painter.end()
    return image


def main(icons: Path = ICONS) -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = icons / "popup-pos.svg"
    for size in SIZES:
        out = icons / f"popup-pos-{size}.png"
        if not render(svg, size).save(str(out), b"PNG"):
            print(f"{out}: could not be written", file=sys.stderr)
            return 1
        print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
