"""QR codes from the `qrcode` library's matrix, drawn as filled rects and cached by payload.

`qrcode` picks the mask by building the symbol eight times and scoring each with the
standard's penalty rules in pure Python, which is most of its cost. `matrix` gives the
same symbol (the test suite checks it module for module) by building it once with mask
0 and scoring all eight masks on bit-packed rows and columns: a mask only flips data
modules, so every candidate is the first one XOR a fixed pattern.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas

QUIET = 4  # modules of white around the symbol, as the standard asks
MASKS = 8

_MASK_FUNCS: tuple[Callable[[int, int], bool], ...] = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i * j) % 3 + (i + j) % 2) % 2 == 0,
)


@dataclass(frozen=True, slots=True)
class QrMatrix:
    """A symbol's dark modules, row 0 at the top, quiet zone not included."""

    payload: str
    size: int
    rows: tuple[tuple[bool, ...], ...]
    path: str  # PDF operators filling the dark modules, one unit a module, y up

    @property
    def size_with_quiet(self) -> int:
        return self.size + 2 * QUIET


@dataclass(frozen=True, slots=True)
class _Version:
    """Bit masks of one symbol version. Bit r*stride + c is row r, column c; the packed
    columns are the transpose. One zero bit ends each row so shifts never cross rows."""

    n: int
    stride: int
    function_rows: int  # function modules as they are while masks are scored
    function_cols: int
    data_rows: int
    data_cols: int
    pattern_rows: tuple[int, ...]  # mask k's flips, data modules only
    pattern_cols: tuple[int, ...]
    run_ok: int  # positions with a right (lower) neighbour in the same line
    block_ok: int  # top-left corners of 2x2 blocks
    window_ok: int  # starts of 11-module windows


def _pack(lines: list[list[bool]] | list[tuple[bool, ...]], stride: int) -> int:
    bits = 0
    for r, line in enumerate(lines):
        for c, dark in enumerate(line):
            if dark:
                bits |= 1 << (r * stride + c)
    return bits


def _grid(n: int, stride: int, rows: range, cols: range) -> int:
    return _pack([[r in rows and c in cols for c in range(n)] for r in range(n)], stride)


@cache
def _version(version: int) -> _Version:
    blank = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=0)
    n = blank.modules_count = version * 4 + 17
    blank.modules = [[None] * n for _ in range(n)]
    blank.setup_position_probe_pattern(0, 0)
    blank.setup_position_probe_pattern(n - 7, 0)
    blank.setup_position_probe_pattern(0, n - 7)
    blank.setup_position_adjust_pattern()
    blank.setup_timing_pattern()
    blank.setup_type_info(True, 0)  # while scoring, format and version bits are light
    if version >= 7:
        blank.setup_type_number(True)
    grid: list[list[bool | None]] = blank.modules
    stride = n + 1
    function = [[bool(m) for m in row] for row in grid]
    data = [[m is None for m in row] for row in grid]
    patterns = [[[data[i][j] and f(i, j) for j in range(n)] for i in range(n)] for f in _MASK_FUNCS]

    def both(m: list[list[bool]]) -> tuple[int, int]:
        return _pack(m, stride), _pack(list(zip(*m, strict=True)), stride)

    fr, fc = both(function)
    dr, dc = both(data)
    packed = [both(p) for p in patterns]
    return _Version(
        n=n,
        stride=stride,
        function_rows=fr,
        function_cols=fc,
        data_rows=dr,
        data_cols=dc,
        pattern_rows=tuple(p[0] for p in packed),
        pattern_cols=tuple(p[1] for p in packed),
        run_ok=_grid(n, stride, range(n), range(n - 1)),
        block_ok=_grid(n, stride, range(n - 1), range(n - 1)),
        window_ok=_grid(n, stride, range(n), range(n - 10)),
    )


def _line_penalty(x: int, v: _Version) -> int:
    """Penalty rules 1 (runs of five or more) and 3 (finder-like 1:1:3:1:1) along lines."""
    same = ~(x ^ (x >> 1)) & v.run_ok
    run5 = same & (same >> 1) & (same >> 2) & (same >> 3)
    # A run of L >= 5 leaves L - 4 bits in run5 and costs 3 + (L - 5) = (L - 4) + 2.
    points = run5.bit_count() + 2 * (run5 & ~(run5 >> 1)).bit_count()
    nx = ~x
    common = v.window_ok & (nx >> 1) & (x >> 4) & (nx >> 5) & (x >> 6) & (nx >> 9)
    dark_first = common & x & (x >> 2) & (x >> 3) & (nx >> 7) & (nx >> 8) & (nx >> 10)
    light_first = common & nx & (nx >> 2) & (nx >> 3) & (x >> 7) & (x >> 8) & (x >> 10)
    return points + 40 * (dark_first.bit_count() + light_first.bit_count())


def _penalty(rows: int, cols: int, v: _Version) -> int:
    points = _line_penalty(rows, v) + _line_penalty(cols, v)
    below = rows >> v.stride
    vertical = ~(rows ^ below)
    blocks = vertical & (vertical >> 1) & ~(rows ^ (rows >> 1)) & v.block_ok
    points += 3 * blocks.bit_count()
    # The same float arithmetic as qrcode's rule 4, so ties break the same way.
    percent = float(rows.bit_count()) / (v.n**2)
    points += int(abs(percent * 100 - 50) / 5) * 10
    return points


def best_mask(qr: qrcode.QRCode, v: _Version) -> int:
    """The mask qrcode's own search would pick, for a symbol already made with mask 0."""
    m0 = qr.modules
    rows0 = _pack(m0, v.stride)
    cols0 = _pack(list(zip(*m0, strict=True)), v.stride)
    best, best_points = 0, -1
    for k in range(MASKS):
        flip_r = v.pattern_rows[0] ^ v.pattern_rows[k]
        flip_c = v.pattern_cols[0] ^ v.pattern_cols[k]
        rows = v.function_rows | ((rows0 ^ flip_r) & v.data_rows)
        cols = v.function_cols | ((cols0 ^ flip_c) & v.data_cols)
        points = _penalty(rows, cols, v)
        if best_points < 0 or points < best_points:
            best, best_points = k, points
    return best


@lru_cache(maxsize=4096)
def matrix(payload: str) -> QrMatrix:
    """The QR code (error correction M) for `payload`; symbols repeat, so they are cached."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=0)
    qr.add_data(payload)
    qr.make(fit=True)
    mask = best_mask(qr, _version(qr.version))
    if mask:
        qr.mask_pattern = mask
        qr.make(fit=False)
    rows = tuple(tuple(bool(m) for m in row) for row in qr.modules)
    n = len(rows)
    ops: list[str] = []
    for r, row in enumerate(rows):
        c = 0
        while c < n:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < n and row[c]:
                c += 1
            ops.append(f"{start} {n - 1 - r} {c - start} 1 re")
    return QrMatrix(payload, n, rows, " ".join(ops) + " f")


def draw(c: Canvas, m: QrMatrix, x: float, y: float, module: float) -> None:
    """The symbol with its quiet zone, lower left corner of the quiet zone at (x, y)."""
    c.saveState()
    c.translate(x + QUIET * module, y + QUIET * module)
    c.scale(module, module)
    # One filled path from cached operators: no seams between modules, and fast.
    c.addLiteral(m.path)
    c.restoreState()
