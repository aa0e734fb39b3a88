"""Short audible cues played without blocking and without QtMultimedia; never raises."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from popup_pos.config import assets_dir

log = logging.getLogger(__name__)

# Command-line players tried in order on Linux and other Unix systems.
_UNIX_PLAYERS: tuple[tuple[str, ...], ...] = (("paplay",), ("pw-play",), ("aplay", "-q"))


def _find_player() -> list[str] | None:
    if sys.platform == "win32":
        return None  # winsound, in-process
    if sys.platform == "darwin":
        found = shutil.which("afplay")
        return [found] if found else None
    for name, *args in _UNIX_PLAYERS:
        found = shutil.which(name)
        if found:
            return [found, *args]
    return None


def _sounds_dir() -> Path | None:
    try:
        return assets_dir() / "sounds"
    except FileNotFoundError:
        return None


class Sounds:
    """The register's cues: ``beep`` (good scan), ``buzz`` (unknown code), ``chime`` (paid).

    Set ``muted`` to silence them. Each call returns at once; with no way to play a file the
    system beep is used, and with none of that, nothing happens.
    """

    def __init__(self, *, muted: bool = False, directory: Path | None = None) -> None:
        self.muted = muted
        self.directory = directory if directory is not None else _sounds_dir()
        # Looked up once: PATH searches on every scan would cost more than the sound.
        self.player = _find_player()
        self._children: list[subprocess.Popen[bytes]] = []

    def beep(self) -> None:
        self.play("beep")

    def buzz(self) -> None:
        self.play("buzz")

    def chime(self) -> None:
        self.play("chime")

    def play(self, name: str) -> None:
        """Play assets/sounds/NAME.wav in the background."""
        if self.muted:
            return
        try:
            path = self.directory / f"{name}.wav" if self.directory else None
            if path is None or not path.is_file() or not self._play_file(path):
                self._system_beep()
        except Exception:  # a cue must never take the register down
            log.debug("could not play sound %r", name, exc_info=True)

    def _play_file(self, path: Path) -> bool:
        if sys.platform == "win32":
            import winsound

            flags = winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT
            winsound.PlaySound(str(path), flags)
            return True
        if self.player is None:
            return False
        # Finished players are reaped here; a Popen dropped while running would warn.
        self._children = [child for child in self._children if child.poll() is None]
        try:
            child = subprocess.Popen(
                [*self.player, str(path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                close_fds=True,
            )
        except OSError:
            log.debug("sound player %s failed to start", self.player[0], exc_info=True)
            self.player = None  # do not try a broken player on every scan
            return False
        self._children.append(child)
        return True

    @staticmethod
    def _system_beep() -> None:
        if QApplication.instance() is not None:
            QApplication.beep()
