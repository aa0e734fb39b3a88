"""Code 128 symbols for SKUs: code set B, with set C for runs of digits, drawn as one path."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfgen.canvas import Canvas

# Bar and space widths of symbol values 0-106 (106 is the stop, with its final bar).
_WIDTHS = (
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312",
    "132212", "221213", "221312", "231212", "112232", "122132", "122231", "113222",
    "123122", "123221", "223211", "221132", "221231", "213212", "223112", "312131",
    "311222", "321122", "321221", "312212", "322112", "322211", "212123", "212321",
    "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
    "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121",
    "313121", "211331", "231131", "213113", "213311", "213131", "311123", "311321",
    "331121", "312113", "312311", "332111", "314111", "221411", "431111", "111224",
    "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
    "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112",
    "421211", "212141", "214121", "412121", "111143", "111341", "131141", "114113",
    "114311", "411113", "411311", "113141", "114131", "311141", "411131", "211412",
    "211214", "211232", "2331112",
)  # fmt: skip
CODE_B, CODE_C, START_B, START_C, STOP = 100, 99, 104, 105, 106
QUIET = 10  # modules of white each side, as the standard asks


@dataclass(frozen=True, slots=True)
class Code128:
    """A symbol as its bars: (start, width) in modules, quiet zones not included."""

    text: str
    modules: int
    bars: tuple[tuple[int, int], ...]
    path: str  # PDF operators filling the bars, x in modules, y from 0 to 1

    @property
    def modules_with_quiet(self) -> int:
        return self.modules + 2 * QUIET


def _digit_run(text: str, i: int) -> int:
    n = i
    while n < len(text) and text[n].isdigit():
        n += 1
    return n - i


def values(text: str) -> list[int]:
    """Symbol values from start to check digit, switching to set C where it saves width."""
    if not text or any(not 32 <= ord(ch) < 127 for ch in text):
        raise ValueError(f"Code 128 here takes printable ASCII, not {text!r}")
    out: list[int] = []
    i = 0
    run = _digit_run(text, 0)
    code_c = run % 2 == 0 and (run >= 4 or run == len(text) >= 2)
    out.append(START_C if code_c else START_B)
    while i < len(text):
        if code_c:
            if _digit_run(text, i) >= 2:
                out.append(int(text[i : i + 2]))
                i += 2
                continue
            out.append(CODE_B)
            code_c = False
        run = _digit_run(text, i)
        # Set C halves the width of a digit run but costs a switch each way: worth it for
        # 4 or more digits at the end, 6 or more in the middle.
        if run >= 6 or (run >= 4 and i + run == len(text)):
            if run % 2:
                out.append(ord(text[i]) - 32)
                i += 1
            out.append(CODE_C)
            code_c = True
            continue
        out.append(ord(text[i]) - 32)
        i += 1
    check = (out[0] + sum(pos * v for pos, v in enumerate(out[1:], start=1))) % 103
    out.extend((check, STOP))
    return out


@lru_cache(maxsize=4096)
def encode(text: str) -> Code128:
    bars: list[tuple[int, int]] = []
    x = 0
    for value in values(text):
        for k, w in enumerate(_WIDTHS[value]):
            width = int(w)
            if k % 2 == 0:  # bars and spaces alternate, starting with a bar
                bars.append((x, width))
            x += width
    path = " ".join(f"{bx} 0 {bw} 1 re" for bx, bw in bars) + " f"
    return Code128(text, x, tuple(bars), path)


def draw(c: Canvas, symbol: Code128, x: float, y: float, module: float, height: float) -> None:
    """Bars from (x, y) (the left edge of the quiet zone) up to y + height."""
    c.saveState()
    c.translate(x + QUIET * module, y)
    c.scale(module, height)
    # Cached PDF operators: one filled path, so adjacent bars never show hairline seams.
    c.addLiteral(symbol.path)
    c.restoreState()
