"""One name per concept (DESIGN.md, Vocabulary): a product kind is an `experience` and its
fulfilment-queue entry a `ticket`; "gig" names neither. Every module and package name,
identifier and string literal (UI text, help, docstrings) of popup_pos is checked, and the
phone page's script, markup and style as text.

Only formats read back or exchanged keep the old word, each spelled in one place: old
slips, scans and exports must keep working.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_layers import ROOT

WORD = re.compile("gig", re.I)

# Database migrations are history: their names and text stay as they were written.
SKIPPED = ("store/migrations/",)

# A ticket's code as printed on its slip and shown as its QR (GIG-12): examples of it may
# appear in any text, since that is what the fan and the helper see and scan.
TICKET_CODE_EXAMPLE = re.compile(r"\bGIG-\d+\b")

# (file under popup_pos, the exact kept text): the persisted or exchanged strings.
ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {
        # The ticket code prefix: printed slips and their QR codes must still scan.
        ("domain/experiences.py", "GIG"),
        # The export's experiences table (CSV file, sheet, JSON key) and its column.
        ("exports/tables.py", "gigs"),
        ("exports/tables.py", "gig_minutes"),
        # The CSV export's help lists that file by name.
        ("cli/export.py", "gigs.csv"),
        # The phone page reads a scanned slip's code.
        ("web/static/phone.js", r"/^GIG-?(\d+)$/i"),
    }
)

# The export schema describes the exchanged format: it changes only with a new version.
TEXT_FILES = ("web/static/phone.js", "web/static/index.html", "web/static/phone.css")


def _python_files() -> list[Path]:
    return sorted(
        p for p in ROOT.rglob("*.py") if not p.relative_to(ROOT).as_posix().startswith(SKIPPED)
    )


def _names_and_strings(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Every identifier the module defines or uses, and every string constant."""
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield line, node.value
        elif isinstance(node, ast.Name):
            yield line, node.id
        elif isinstance(node, ast.Attribute):
            yield line, node.attr
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield line, node.name
        elif isinstance(node, ast.arg):
            yield line, node.arg
        elif isinstance(node, ast.keyword):
            yield line, node.arg or ""
        elif isinstance(node, ast.alias):
            yield line, node.name
            if node.asname:
                yield line, node.asname
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield line, node.module
        elif isinstance(node, ast.Global | ast.Nonlocal):
            for name in node.names:
                yield line, name


def _left_over(rel: str, text: str) -> bool:
    """Whether `text` still says "gig" once the kept strings of its file are taken out."""
    text = TICKET_CODE_EXAMPLE.sub("", text)
    for file, kept in ALLOWED:
        if file == rel:
            text = text.replace(kept, "")
    return bool(WORD.search(text))


def offences(root: Path = ROOT) -> list[str]:
    found: list[str] = []
    for path in _python_files() if root == ROOT else sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if WORD.search(rel):
            found.append(f"{rel}: module name")
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, text in _names_and_strings(tree):
            if _left_over(rel, text):
                found.append(f"{rel}:{line}: {text[:80]!r}")
    for rel in TEXT_FILES:
        path = root / rel
        if not path.is_file():
            continue
        for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _left_over(rel, text):
                found.append(f"{rel}:{n}: {text.strip()[:80]!r}")
    return found


def test_no_gig_outside_the_kept_formats() -> None:
    assert offences() == []


def test_every_kept_string_is_still_there() -> None:
    """An allowance whose text is gone is dropped from the list, so the list stays small."""
    for rel, kept in sorted(ALLOWED):
        source = (ROOT / rel).read_text(encoding="utf-8")
        if rel.endswith(".py"):
            strings = [
                n.value
                for n in ast.walk(ast.parse(source))
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
            assert any(kept in s for s in strings), (rel, kept)
        else:
            assert kept in source, (rel, kept)


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("def call_next_gig() -> None: ...\n", "mod.py"),
        ("class GigQueue: ...\n", "mod.py"),
        ("x = {'experience': 'micro-gig'}\n", "mod.py"),
        ("def f(gigs: int) -> int:\n    return gigs\n", "mod.py"),
        ("import popup_pos.domain.gigs\n", "mod.py"),
        ('"""The micro-gig queue."""\n', "mod.py"),
        ("x = 1\n", "gigs.py"),
        ("x = 'GIG'\n", "mod.py"),  # the prefix outside its one place
    ],
)
def test_a_gig_anywhere_is_found(tmp_path: Path, source: str, name: str) -> None:
    (tmp_path / name).write_text(source, encoding="utf-8")
    assert offences(tmp_path)


def test_a_ticket_code_example_is_not_an_offence(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text('"""Scan GIG-12 to call it."""\n', encoding="utf-8")
    assert offences(tmp_path) == []
