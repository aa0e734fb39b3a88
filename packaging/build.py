"""Build the double-click popup-pos bundle for this platform with PyInstaller and smoke-test it."""

# Usage: uv run python packaging/build.py [--skip-build] [--no-archive]
# Output: dist/popup-pos-<version>-<platform>/ and an archive of it beside that folder.

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "popup-pos.spec"
DESKTOP = ROOT / "packaging" / "popup-pos.desktop"
ICONS = ROOT / "assets" / "icons"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
# Pinned so a release is rebuilt with the same bundler it was tested with.
PYINSTALLER = "pyinstaller==6.22.3"
APP = "popup-pos"


def version() -> str:
    from popup_pos import __version__

    return __version__


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system}-{machine}"


def run_pyinstaller() -> Path:
    """Run the spec in an environment that adds PyInstaller to the project's own."""
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit("build: uv is needed (https://docs.astral.sh/uv/)")
    cmd = [
        uv,
        "run",
        # Development tools stay out of the environment PyInstaller analyses in CI; locally
        # uv leaves an existing development install as it is.
        "--no-dev",
        "--with",
        PYINSTALLER,
        "pyinstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(WORK / "dist"),
        "--workpath",
        str(WORK / "work"),
        str(SPEC),
    ]
    print("build:", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)
    if sys.platform == "darwin":
        return WORK / "dist" / f"{APP}.app"
    return WORK / "dist" / APP


def executable(bundle: Path) -> Path:
    if sys.platform == "darwin":
        return bundle / "Contents" / "MacOS" / APP
    return bundle / (f"{APP}.exe" if sys.platform == "win32" else APP)


def assemble(built: Path, name: str) -> Path:
    """Copy the built app to dist/<name>/, with the desktop entry and icon on Linux."""
    out = DIST / name
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    if sys.platform == "darwin":
        shutil.copytree(built, out / built.name, symlinks=True)
        return out / built.name
    shutil.copytree(built, out, symlinks=True, dirs_exist_ok=True)
    if sys.platform.startswith("linux"):
        shutil.copy2(DESKTOP, out / DESKTOP.name)
        shutil.copy2(ICONS / "popup-pos-256.png", out / "popup-pos.png")
        shutil.copy2(ICONS / "popup-pos.svg", out / "popup-pos.svg")
    return out


def archive(folder: Path) -> Path:
    """A .tar.gz on Linux (keeps the executable bit), a .zip elsewhere."""
    base = DIST / folder.name if sys.platform != "darwin" else DIST / folder.parent.name
    if sys.platform.startswith("linux"):
        target = base.with_name(base.name + ".tar.gz")
        with tarfile.open(target, "w:gz") as tar:
            tar.add(folder, arcname=folder.name)
        return target
    target = base.with_name(base.name + ".zip")
    target.unlink(missing_ok=True)
    if sys.platform == "darwin":
        # ditto keeps the framework symlinks and extended attributes a .app needs.
        subprocess.run(["ditto", "-c", "-k", "--keepParent", str(folder), str(target)], check=True)
        return target
    made = shutil.make_archive(str(base), "zip", root_dir=folder.parent, base_dir=folder.name)
    return Path(made)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def no_python_env(data_dir: Path) -> dict[str, str]:
    """The environment of a seller's machine: no Python on PATH, no Python variables."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "UV_"))
    }
    names = ("python", "python3", "python.exe", "python3.exe")
    path = [
        d
        for d in env.get("PATH", "").split(os.pathsep)
        if d and not any((Path(d) / n).exists() for n in names)
    ]
    env["PATH"] = os.pathsep.join(path)
    env["POPUP_POS_DATA_DIR"] = str(data_dir)
    env.pop("POPUP_POS_DB", None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"smoke: {' '.join(cmd)} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
        )
    return elapsed, done.stdout.strip()


def smoke(bundle: Path, expected_version: str) -> None:
    """Run the built app as a seller would, with nothing but the bundle."""
    exe = executable(bundle)
    with tempfile.TemporaryDirectory(prefix="popup-pos-smoke-") as tmp:
        data = Path(tmp) / "data"
        env = no_python_env(data)
        python_left = shutil.which("python3", path=env["PATH"]) or shutil.which(
            "python", path=env["PATH"]
        )
        print(f"smoke: PATH without Python: {'no' if python_left else 'yes'}")
        seconds, out = timed([str(exe), "--version"], env)
        if out != f"popup-pos {expected_version}":
            raise SystemExit(f"smoke: --version printed {out!r}")
        print(f"smoke: --version -> {out!r} in {seconds:.2f} s")
        for label in ("first start: migrate and seed", "second start"):
            shot = Path(tmp) / "shot.png"
            shot.unlink(missing_ok=True)
            seconds, _ = timed([str(exe), "--demo", "--screenshot", str(shot)], env)
            if not shot.is_file() or shot.stat().st_size < 1000:
                raise SystemExit("smoke: --demo --screenshot wrote no picture")
            print(f"smoke: --demo --screenshot ({label}) in {seconds:.2f} s")
        kept = DIST / f"smoke-{platform_tag()}.png"
        shutil.copy2(shot, kept)
        print(f"smoke: screenshot kept at {kept}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--skip-build", action="store_true", help="smoke-test the last build again without building"
    )
    parser.add_argument("--no-archive", action="store_true", help="leave the folder unarchived")
    args = parser.parse_args(argv)

    ver = version()
    name = f"{APP}-{ver}-{platform_tag()}"
    start = time.perf_counter()
    if args.skip_build:
        bundle = DIST / name
        if sys.platform == "darwin":
            bundle = bundle / f"{APP}.app"
    else:
        bundle = assemble(run_pyinstaller(), name)
        print(f"build: {bundle} in {time.perf_counter() - start:.0f} s")
    print(f"build: bundle size {folder_size(bundle) / 2**20:.1f} MiB")
    smoke(bundle, ver)
    if not args.no_archive:
        target = archive(bundle)
        print(f"build: archive {target} ({target.stat().st_size / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
