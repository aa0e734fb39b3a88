"""The register in a real X window (Xvfb and openbox) at three laptop and desktop sizes:
every window fits, the main flows' buttons are on screen, the key labels read whole."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SIZES = [(1280, 720), (1366, 768), (1920, 1080)]
TOOLS = ("Xvfb", "openbox", "xprop")
START_TIMEOUT_S = 20
APP_TIMEOUT_S = 180
# The buttons of the main flows, by the start of their text, and the window they are in.
FLOWS = {
    "selling": ["Cash exact", "Split", "Wallet QR", "Park", "Report", "Close night", "Settings"],
    "queue": ["Handed over", "Refund"],
    "close": ["Close the event", "Cancel"],
    "close result": ["Done", "Report…"],
    "report": ["Export", "PDF report", "Close"],
    "settings": ["Save", "Close"],
    "orders": ["Reprint receipt", "Refund", "Close"],
    "codes": ["Import codes", "Void this code", "Close"],
}


def _tools_or_skip() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed (apt-get install xvfb openbox x11-utils)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"the real-window tests must run in CI: {message}")
    pytest.skip(message)


def _start_xvfb(width: int, height: int) -> tuple[subprocess.Popen[bytes], int]:
    """Xvfb on a display number it picks itself (-displayfd): two test runs at once never
    race for the same number."""
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        [
            *("Xvfb", "-displayfd", str(write_fd), "-nolisten", "tcp"),
            *("-screen", "0", f"{width}x{height}x24"),
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    # Read up to the newline: closing the pipe before Xvfb has written it all would kill
    # Xvfb with SIGPIPE.
    text = ""
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while not text.endswith("\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([read_fd], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(read_fd, 32).decode() if ready else ""
            if not chunk:
                break
            text += chunk
    finally:
        os.close(read_fd)
    if not text.strip().isdigit():
        _stop(xvfb)
        raise RuntimeError("Xvfb did not start")
    return xvfb, int(text)


def _wait_for(condition: Any, what: str, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _wm_running(env: dict[str, str]) -> bool:
    out = subprocess.run(
        ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return "window id" in out


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # One demo database for the three sizes: it is seeded once, on the first run.
    return tmp_path_factory.mktemp("real-window-data")


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def screen(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    _tools_or_skip()
    width, height = request.param
    xvfb, number = _start_xvfb(width, height)
    env = {**os.environ, "DISPLAY": f":{number}"}
    env.pop("WAYLAND_DISPLAY", None)
    wm: subprocess.Popen[bytes] | None = None
    try:
        wm = subprocess.Popen(
            ["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _wait_for(lambda: _wm_running(env), "openbox")
        yield env
    finally:
        if wm is not None:
            _stop(wm)
        _stop(xvfb)


def _probe(env: dict[str, str], data_dir: Path, out: Path) -> dict[str, Any]:
    run_env = {
        **env,
        "QT_QPA_PLATFORM": "xcb",
        "POPUP_POS_DATA_DIR": str(data_dir),
        "POPUP_POS_PROBE": str(out),
    }
    run_env.pop("POPUP_POS_DB", None)
    done = subprocess.run(
        [sys.executable, "-m", "popup_pos", "--demo"],
        env=run_env,
        capture_output=True,
        text=True,
        timeout=APP_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0 and out.exists(), done.stderr
    found: dict[str, Any] = json.loads(out.read_text())
    return found


def _inside(rect: list[int], area: list[int]) -> bool:
    x, y, w, h = rect
    ax, ay, aw, ah = area
    return ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah


def test_every_window_fits_and_the_main_flows_are_on_screen(
    screen: dict[str, str], data_dir: Path, tmp_path: Path
) -> None:
    found = _probe(screen, data_dir, tmp_path / "probe.json")
    area = found["available"]
    windows = {w["name"]: w for w in found["windows"]}
    assert set(FLOWS) <= set(windows)
    problems: list[str] = []
    for name, window in windows.items():
        min_w, min_h = window["minimum"]
        if min_w > area[2] or min_h > area[3]:
            problems.append(f"{name}: minimum size {min_w}×{min_h} exceeds {area[2]}×{area[3]}")
        if not _inside(window["frame"], area):
            problems.append(f"{name}: window {window['frame']} is not inside the screen {area}")
        for label in window["labels"]:
            if label["elided"]:
                problems.append(f"{name}: label {label['name']} cut off: {label['text']!r}")
        for start in FLOWS.get(name, []):
            matches = [b for b in window["buttons"] if b["text"].startswith(start)]
            if not matches:
                problems.append(f"{name}: no button {start!r}")
            for b in matches:
                if not _inside(b["rect"], area):
                    problems.append(f"{name}: {b['text']!r} at {b['rect']} is off the screen")
                if b["clipped"]:
                    problems.append(f"{name}: {b['text']!r} does not fit its button")
    assert not problems, "\n".join(problems)
    # The cart shows at least five lines, with seven in it.
    assert found["cart_lines"] >= 5
    assert found["cart_rows_visible"] >= 5
