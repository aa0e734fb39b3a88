"""The committed compiled forms match the Designer files they come from."""

import importlib.util
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _compile_forms():
    spec = importlib.util.spec_from_file_location(
        "compile_forms", ROOT / "packaging" / "compile_forms.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


compile_forms = _compile_forms()


def test_every_form_is_compiled_and_current():
    problems = compile_forms.problems()
    assert problems == [], (
        "compiled forms are out of date; run `uv run python packaging/compile_forms.py`:\n"
        + "\n".join(problems)
    )


def test_compiled_modules_carry_the_generated_header():
    for ui_file in compile_forms.forms():
        module = compile_forms.FORMS_DIR / compile_forms.module_name(ui_file)
        first = module.read_text(encoding="utf-8").splitlines()[0]
        assert first == (
            f"# Automatically generated from ui/{ui_file.name} by "
            "packaging/compile_forms.py - do not edit."
        )


def test_check_notices_a_stale_missing_or_orphaned_module(tmp_path):
    ui_dir, forms_dir = tmp_path / "ui", compile_forms.FORMS_DIR.parent / "forms"
    ui_dir.mkdir()
    for name in ("pin.ui", "first_run.ui"):
        shutil.copy(compile_forms.UI_DIR / name, ui_dir / name)
    # A form edited after it was compiled: a new label text.
    pin = ui_dir / "pin.ui"
    pin.write_text(pin.read_text(encoding="utf-8").replace(">Clear<", ">Wipe<"), "utf-8")
    (ui_dir / "brand_new.ui").write_text(
        (compile_forms.UI_DIR / "first_run.ui").read_text(encoding="utf-8"), "utf-8"
    )
    found = compile_forms.problems(ui_dir, forms_dir)
    assert any(p.startswith("stale:") and "ui_pin.py" in p for p in found)
    assert any(p.startswith("missing:") and "ui_brand_new.py" in p for p in found)
    assert any(p.startswith("orphaned:") and "ui_settings.py" in p for p in found)
    assert not any("ui_first_run.py" in p for p in found)


def test_check_mode_exit_status(capsys):
    assert compile_forms.main(["--check"]) == 0
    assert "forms up to date" in capsys.readouterr().out
