"""The ruff rules in pyproject.toml that keep the layers apart and functions small."""

from __future__ import annotations

import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The ruff installed beside this Python (the dev group's).
RUFF = shutil.which("ruff", path=sysconfig.get_path("scripts")) or "ruff"


def codes(path: str, source: str) -> set[str]:
    """The rule codes ruff reports for `source` as if it were the file at `path`."""
    result = subprocess.run(
        [
            RUFF,
            "check",
            "--config",
            str(ROOT / "pyproject.toml"),
            "--select",
            "TID251,C901",
            "--output-format",
            "concise",
            "--stdin-filename",
            path,
            "-",
        ],
        input=source,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return {
        word
        for line in result.stdout.splitlines()
        for word in line.split()
        if word in {"TID251", "C901"}
    }


@pytest.mark.parametrize(
    ("path", "source", "banned"),
    [
        ("popup_pos/services/x.py", "from PySide6.QtCore import Qt\n", True),
        ("popup_pos/gui/x.py", "from PySide6.QtCore import Qt\n", False),
        ("popup_pos/exports/x.py", "import stripe\n", True),
        ("popup_pos/payments/x.py", "import stripe\n", False),
        ("popup_pos/services/x.py", "from reportlab.pdfgen import canvas\n", True),
        ("popup_pos/documents/x.py", "from reportlab.pdfgen import canvas\n", False),
        ("popup_pos/domain/x.py", "from sqlalchemy.orm import Session\n", True),
        ("popup_pos/store/x.py", "from sqlalchemy.orm import Session\n", False),
    ],
)
def test_a_library_is_banned_outside_its_layer(path, source, banned):
    assert ("TID251" in codes(path, source)) is banned


def test_a_function_over_the_complexity_limit_is_reported():
    branches = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(16))
    source = f"def f(x: int) -> int:\n{branches}    return -1\n"
    assert codes("popup_pos/services/x.py", source) == {"C901"}
    simple = "def f(x: int) -> int:\n    return x\n"
    assert codes("popup_pos/services/x.py", simple) == set()
