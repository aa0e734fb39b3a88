"""`popup-pos codes import|list`, run as the README writes them."""

from __future__ import annotations

import pytest

from popup_pos.cli import main


@pytest.fixture
def run(tmp_path, capsys):
    db = str(tmp_path / "pos.sqlite")
    assert main(["--db", db, "demo", "seed"]) == 0
    capsys.readouterr()

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def test_import_then_list(run, tmp_path):
    path = tmp_path / "bandcamp-codes.csv"
    path.write_text("code\nBC01-AAAA\nBC02-BBBB\n")
    assert run("codes", "import", "DL-CARD", str(path)) == (
        0,
        "DL-CARD: 2 codes added, 302 unused in the pool\n",
        "",
    )
    code, out, _ = run("codes", "list")
    assert code == 0
    assert out.splitlines() == [
        "SKU      unused  for sale  assigned  void  name",
        "DL-CARD     302       302         0     0  Download card: Nights Like These",
    ]


def test_a_bad_file_lists_its_lines_and_imports_nothing(run, tmp_path):
    path = tmp_path / "codes.txt"
    path.write_text("OK-1\nOK-1\n")
    code, out, err = run("codes", "import", "DL-CARD", str(path))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"popup-pos: {path}: 1 problem, nothing was imported",
        "  row 2, column 'code': code 'OK-1' is also on line 1",
    ]
    assert run("codes", "import", "DL-CARD", str(tmp_path / "missing.txt"))[2] == (
        f"popup-pos: no such file: {tmp_path / 'missing.txt'}\n"
    )
    path.write_text("OK-1\n")
    assert run("codes", "import", "TEE-M", str(path))[2].startswith(
        "popup-pos: TEE-M is an item, not digital"
    )
