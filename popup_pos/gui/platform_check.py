"""Before Qt starts on X11: are the system libraries its xcb plugin loads there?"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# What Qt 6's xcb platform plugin (libqxcb.so and libQt6XcbQpa) loads from the system,
# soname → Debian/Ubuntu package; found with `ldd` on the plugin in PySide6's wheel.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}

# The one command README's Start gives: every library above, whichever is missing.
APT_COMMAND = "sudo apt-get install " + " ".join(sorted(set(XCB_LIBRARIES.values())))


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """True when Qt will pick its xcb (X11) plugin: asked for by name, or a Linux desktop
    with an X display and no Wayland one."""
    if not platform.startswith("linux"):
        return False
    asked = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if asked:
        return asked == "xcb"
    return bool(environ.get("DISPLAY")) and not environ.get("WAYLAND_DISPLAY")


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries(loads: Callable[[str], bool] = _loads) -> list[str]:
    """The sonames in `XCB_LIBRARIES` the dynamic loader cannot find, in table order."""
    return [soname for soname in XCB_LIBRARIES if not loads(soname)]


def xcb_problem(
    environ: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    loads: Callable[[str], bool] = _loads,
) -> str | None:
    """One line naming the missing libraries and the command that installs them, or None
    when the window can open (or will not use xcb at all)."""
    if not uses_xcb(os.environ if environ is None else environ, platform):
        return None
    missing = missing_libraries(loads)
    if not missing:
        return None
    packages = " ".join(dict.fromkeys(XCB_LIBRARIES[s] for s in missing))
    return (
        f"popup-pos: the window cannot open: {', '.join(missing)} "
        f"{'is' if len(missing) == 1 else 'are'} missing. "
        f"Install with: sudo apt-get install {packages}"
    )
