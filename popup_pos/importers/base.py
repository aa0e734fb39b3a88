"""What every catalog reader shares: reading a file's text as UTF-8."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from popup_pos.domain.catalog_file import CatalogFileError, RowProblem


def read_utf8(path: str | Path) -> str:
    """The file's text; a file that is not UTF-8 is refused naming its first bad line."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _row_of(data[: exc.start].decode("utf-8-sig"))
        message = (
            "this line is not UTF-8 text; in your spreadsheet save the file as "
            "\u201cCSV UTF-8\u201d and import it again"
        )
        raise CatalogFileError(str(path), [RowProblem(line, "", message)]) from None


def _row_of(before: str) -> int:
    """The spreadsheet row the text after `before` is on (quoted cells may span lines)."""
    rows = sum(1 for _ in csv.reader(io.StringIO(before, newline="")))
    return rows + 1 if not before or before.endswith("\n") else max(rows, 1)
