"""Static checks of the release bundle's recipe: what the spec bundles, leaves out and names."""

from __future__ import annotations

import ast
import configparser
import glob
import struct
import sys
import types
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "popup-pos.spec"
ICONS = ROOT / "assets" / "icons"


class _Recorder:
    """Stands in for PyInstaller's spec globals and remembers what they were given."""

    def __init__(self) -> None:
        self.calls: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}

    def __getitem__(self, name: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> types.SimpleNamespace:
            self.calls[name] = (args, kwargs)
            return types.SimpleNamespace(pure=[], scripts=[], binaries=[], datas=[])

        return record


@pytest.fixture(scope="module")
def spec(monkeypatch_module) -> dict[str, Any]:
    """Run the spec with PyInstaller replaced by recorders (the real build is slow)."""
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda package, **_: [(f"<{package} data>", package)]  # type: ignore[attr-defined]
    hooks.collect_submodules = lambda package, **_: [f"{package}.<all>"]  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch_module.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch_module.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    recorder = _Recorder()
    namespace: dict[str, Any] = {"SPECPATH": str(SPEC.parent), "__file__": str(SPEC)}
    for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"):
        namespace[name] = recorder[name]
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    namespace["_calls"] = recorder.calls
    return namespace


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def _datas(spec: dict[str, Any]) -> list[tuple[str, str]]:
    return spec["_calls"]["Analysis"][1]["datas"]


def test_spec_is_python():
    ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def test_entry_point_and_version(spec):
    args, _ = spec["_calls"]["Analysis"]
    assert [Path(p) for p in args[0]] == [ROOT / "popup_pos" / "__main__.py"]
    from popup_pos import __version__

    assert spec["VERSION"] == __version__


def test_assets_go_where_config_looks_for_them(spec):
    targets = {dest for _, dest in _datas(spec)}
    for folder in ("icons", "sounds", "demo"):
        assert f"popup_pos/assets/{folder}" in targets


def test_every_data_source_exists(spec):
    for source, _ in _datas(spec):
        if source.startswith("<"):
            continue
        assert glob.glob(source), f"{source} matches nothing"


def test_migrations_are_files_in_the_bundle(spec):
    datas = _datas(spec)
    versions = [s for s, d in datas if d == "popup_pos/store/migrations/versions"]
    assert len(versions) == 1
    bundled = {Path(p).name for p in glob.glob(versions[0])}
    on_disk = {p.name for p in (ROOT / "popup_pos/store/migrations/versions").glob("*.py")}
    assert bundled == on_disk
    assert len(on_disk) >= 1
    top = {Path(s).name for s, d in datas if d == "popup_pos/store/migrations"}
    assert {"env.py", "script.py.mako"} <= top


def test_runtime_data_files_of_the_package_are_bundled(spec):
    """Every non-Python file inside popup_pos/ is read at run time, so each must be listed."""
    listed = set()
    for source, _ in _datas(spec):
        listed.update(Path(p).resolve() for p in glob.glob(source))
    package = ROOT / "popup_pos"
    needed = {
        p.resolve()
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc", ".pyi"} and "__pycache__" not in p.parts
    }
    assert needed - listed == set()


def test_development_tools_and_unused_qt_are_left_out(spec):
    excludes = set(spec["_calls"]["Analysis"][1]["excludes"])
    for name in ("pytest", "hypothesis", "localstripe", "pypdfium2", "mypy"):
        assert name in excludes
    # The phone server reads photos of order QRs with zxing-cpp.
    assert "zxingcpp" not in excludes
    for qt in ("QtNetwork", "QtQml", "QtQuick", "QtWebEngineCore", "QtMultimedia"):
        assert f"PySide6.{qt}" in excludes
    hidden = set(spec["_calls"]["Analysis"][1]["hiddenimports"])
    for used in ("QtCore", "QtGui", "QtWidgets", "QtSvg", "QtPrintSupport"):
        assert f"PySide6.{used}" not in excludes
    assert "PySide6.QtSvg" in hidden


def test_one_folder_bundle_named_popup_pos(spec):
    assert spec["_calls"]["EXE"][1]["name"] == "popup-pos"
    assert spec["_calls"]["EXE"][1]["exclude_binaries"] is True
    assert spec["_calls"]["COLLECT"][1]["name"] == "popup-pos"


def test_ico_holds_every_windows_size():
    data = (ICONS / "popup-pos.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        width, _, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(data)
        sizes.append(width or 256)
    assert {16, 32, 48, 256} <= set(sizes)


def test_icns_is_well_formed():
    data = (ICONS / "popup-pos.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack_from(">I", data, 4)[0] == len(data)
    pos, kinds = 8, []
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack_from(">I", data, pos + 4)[0]
        assert data[pos + 8 : pos + 16] == b"\x89PNG\r\n\x1a\n"
        kinds.append(kind)
        pos += length
    assert pos == len(data)
    assert {b"icp4", b"ic07", b"ic08", b"ic09", b"ic10"} <= set(kinds)


def test_desktop_entry():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(ROOT / "packaging" / "popup-pos.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"].split()[0] == "popup-pos"
    assert section["Icon"] == "popup-pos"
    assert section["Terminal"] == "false"
    assert (ICONS / "popup-pos.svg").is_file()
