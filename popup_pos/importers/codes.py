"""Read a file of download codes: plain text (one per line) or CSV (a `code` column, or the
first column), as Bandcamp and other stores hand them out."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from popup_pos.domain.catalog_file import CatalogFileError, RowProblem
from popup_pos.importers.base import read_utf8

# Column names taken to hold the codes, compared in lower case.
CODE_COLUMNS = ("code", "codes", "download code", "download_code", "redeem code", "redemption code")
MAX_LENGTH = 200  # DownloadCode.code is String(200)
# Invisible in an editor, and PostgreSQL refuses NUL outright.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class CodeLine:
    line: int  # 1-based row, as a spreadsheet numbers them (the line in a text file)
    code: str


def read_codes(path: str | Path) -> list[CodeLine]:
    """Every code with its line number; blank lines and `#` comments are skipped. Raises one
    CatalogFileError naming every bad line (too long, spaces inside, repeated)."""
    name = str(path)
    text = read_utf8(path)
    rows = _rows(text, name)
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    out: list[CodeLine] = []
    for line, code, column in rows:
        if not code or code.startswith("#"):
            continue
        bad = _CONTROL.search(code)
        if bad is not None and not bad.group().isspace():
            what = "a NUL byte" if bad.group() == "\0" else f"U+{ord(bad.group()):04X}"
            problems.append(
                RowProblem(line, column, f"code {code!r} holds the control character {what}")
            )
        elif any(ch.isspace() for ch in code):
            problems.append(RowProblem(line, column, f"code {code!r} has a space in it"))
        elif len(code) > MAX_LENGTH:
            problems.append(
                RowProblem(
                    line,
                    column,
                    f"code {code[:20]!r}… is {len(code)} characters long; "
                    f"it can be at most {MAX_LENGTH}",
                )
            )
        elif code in seen:
            problems.append(RowProblem(line, column, f"code {code!r} is also on line {seen[code]}"))
        else:
            seen[code] = line
            out.append(CodeLine(line, code))
    if problems:
        raise CatalogFileError(name, problems)
    if not out:
        raise CatalogFileError(name, [RowProblem(1, "code", "the file has no codes in it")])
    return out


def _rows(text: str, name: str) -> list[tuple[int, str, str]]:
    """(line, code, column) for each line; CSV when the file is named .csv or has commas."""
    lines = text.splitlines()
    is_csv = name.lower().endswith(".csv") or any("," in ln or ";" in ln for ln in lines[:5])
    if not is_csv:
        return [(i, ln.strip(), "code") for i, ln in enumerate(lines, start=1)]
    sample = "\n".join(lines[:5])
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            records.append((len(records) + 1, row))
    except csv.Error:
        # An unclosed quote would swallow every code after it into one.
        where = len(records) + 1
        raise CatalogFileError(
            name,
            [
                RowProblem(
                    where,
                    "",
                    "a quote here is never closed, or text follows a closing quote; "
                    "delete the quote or close it",
                )
            ],
        ) from None
    if not records:
        return []
    header = [h.strip().lower() for h in records[0][1]]
    column = next((i for i, h in enumerate(header) if h in CODE_COLUMNS), None)
    if column is None:
        # No header naming the codes: every row, the first included, holds one.
        return [(line, (row[0].strip() if row else ""), "code") for line, row in records]
    label = records[0][1][column].strip()
    return [
        (line, (row[column].strip() if len(row) > column else ""), label)
        for line, row in records[1:]
    ]
