"""Compile the Qt Designer forms in ui/ into popup_pos/gui/forms/ui_<name>.py (or --check them)."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI_DIR = ROOT / "ui"
FORMS_DIR = ROOT / "popup_pos" / "gui" / "forms"
HEADER = (
    "# Automatically generated from ui/{name}.ui by packaging/compile_forms.py - do not edit.\n"
)
# uic stamps its own version into the output; a patch release of PySide6 on another
# machine must not make every form look stale, so that line is left out of comparisons.
_VERSION_LINE = re.compile(r"^## Created by: Qt User Interface Compiler version .*$", re.M)


class CompileError(Exception):
    """pyside6-uic is missing or refused a form."""


def _uic() -> str:
    # Prefer the one beside this interpreter, so `uv run` uses the project's PySide6.
    found = shutil.which("pyside6-uic", path=str(Path(sys.executable).parent)) or shutil.which(
        "pyside6-uic"
    )
    if found is None:
        raise CompileError("pyside6-uic not found: run this with `uv run`")
    return found


def module_name(ui_file: Path) -> str:
    return f"ui_{ui_file.stem}.py"


def compile_form(ui_file: Path, out_dir: Path) -> Path:
    """Compile one form into `out_dir`, with the generated-file header first."""
    raw = out_dir / (module_name(ui_file) + ".uic")
    result = subprocess.run(
        [_uic(), "--no-autoconnection", "-o", str(raw), str(ui_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()
        raise CompileError(f"{ui_file.name}: {reason[0] if reason else 'pyside6-uic failed'}")
    out = out_dir / module_name(ui_file)
    body = raw.read_text(encoding="utf-8")
    out.write_text(HEADER.format(name=ui_file.stem) + body, encoding="utf-8", newline="\n")
    raw.unlink()
    return out


def _comparable(text: str) -> str:
    return _VERSION_LINE.sub("", text.replace("\r\n", "\n"))


def forms() -> list[Path]:
    return sorted(UI_DIR.glob("*.ui"))


def problems(ui_dir: Path = UI_DIR, forms_dir: Path = FORMS_DIR) -> list[str]:
    """What is out of date: one line per missing, stale or orphaned compiled module."""
    found: list[str] = []
    expected = set()
    with tempfile.TemporaryDirectory() as tmp:
        for ui_file in sorted(ui_dir.glob("*.ui")):
            fresh = compile_form(ui_file, Path(tmp))
            expected.add(fresh.name)
            committed = forms_dir / fresh.name
            rel = f"{forms_dir.relative_to(ROOT).as_posix()}/{fresh.name}"
            if not committed.exists():
                found.append(f"missing: {rel} (from ui/{ui_file.name})")
            elif _comparable(committed.read_text(encoding="utf-8")) != _comparable(
                fresh.read_text(encoding="utf-8")
            ):
                found.append(f"stale: {rel} differs from ui/{ui_file.name}")
    for module in sorted(forms_dir.glob("ui_*.py")):
        if module.name not in expected:
            found.append(f"orphaned: {module.name} has no form in ui/")
    return found


def compile_all(ui_dir: Path = UI_DIR, forms_dir: Path = FORMS_DIR) -> list[Path]:
    """Write every compiled module that changed; returns the ones written."""
    forms_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for ui_file in sorted(ui_dir.glob("*.ui")):
            fresh = compile_form(ui_file, Path(tmp))
            target = forms_dir / fresh.name
            text = fresh.read_text(encoding="utf-8")
            # Leave unchanged files alone so their timestamps and the git index stay quiet.
            if not target.exists() or _comparable(target.read_text(encoding="utf-8")) != (
                _comparable(text)
            ):
                target.write_text(text, encoding="utf-8", newline="\n")
                written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--check",
        action="store_true",
        help="compile to a temporary folder and exit 1 if a committed module is out of date",
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            found = problems()
            for line in found:
                print(line)
            if found:
                print("run `uv run python packaging/compile_forms.py` and commit the result")
                return 1
            print(f"{len(forms())} forms up to date")
            return 0
        for path in compile_all():
            print(f"wrote {path.relative_to(ROOT).as_posix()}")
        return 0
    except CompileError as exc:
        print(f"compile_forms: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
