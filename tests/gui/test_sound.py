"""The cue files are what they claim to be, and playing them never blocks or raises."""

from __future__ import annotations

import importlib.util
import itertools
import struct
import subprocess
import wave
from pathlib import Path

import pytest

from popup_pos.config import assets_dir
from popup_pos.gui import sound
from popup_pos.gui.sound import Sounds

SOUNDS = assets_dir() / "sounds"
SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "make_sounds.py"
LENGTHS = {"beep": 0.080, "buzz": 0.250, "chime": 0.400}


def samples(path: Path) -> tuple[list[int], float]:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22_050)
        count = wav.getnframes()
        data = wav.readframes(count)
        return list(struct.unpack(f"<{count}h", data)), count / wav.getframerate()


def pitch(values: list[int], seconds: float) -> float:
    """Rough fundamental frequency from zero crossings."""
    crossings = sum(1 for a, b in itertools.pairwise(values) if (a < 0) != (b < 0))
    return crossings / 2 / seconds


@pytest.mark.parametrize("name", sorted(LENGTHS))
def test_cue_is_a_short_mono_wav_of_its_length(name):
    values, seconds = samples(SOUNDS / f"{name}.wav")
    assert seconds == pytest.approx(LENGTHS[name], abs=0.002)
    assert max(abs(v) for v in values) > 8_000  # audible
    assert abs(values[0]) < 2_000 and abs(values[-1]) < 2_000  # faded: no click


def test_beep_and_buzz_are_clearly_different():
    beep, beep_s = samples(SOUNDS / "beep.wav")
    buzz, buzz_s = samples(SOUNDS / "buzz.wav")
    assert 1_600 < pitch(beep, beep_s) < 2_000
    assert 150 < pitch(buzz, buzz_s) < 220
    files = {(SOUNDS / f"{name}.wav").read_bytes() for name in LENGTHS}
    assert len(files) == 3


def test_chime_rises():
    values, _ = samples(SOUNDS / "chime.wav")
    first = values[: len(values) * 2 // 5]
    second = values[len(values) // 2 :]
    assert pitch(second, len(second) / 22_050) > pitch(first, len(first) / 22_050) * 1.2


def test_committed_files_match_the_script(tmp_path):
    spec = importlib.util.spec_from_file_location("make_sounds", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(tmp_path) == 0
    for name in LENGTHS:
        assert (tmp_path / f"{name}.wav").read_bytes() == (SOUNDS / f"{name}.wav").read_bytes()


class FakeProcess:
    """Stands in for a player that is still running."""

    def poll(self) -> int | None:
        return None


class Recorder:
    def __init__(self) -> None:
        self.commands: list[list[str]] = []
        self.system_beeps = 0

    def popen(self, args: list[str], **kwargs: object) -> FakeProcess:
        assert kwargs["stdout"] is subprocess.DEVNULL
        assert kwargs["stderr"] is subprocess.DEVNULL
        self.commands.append(list(args))
        return FakeProcess()

    def beep(self) -> None:
        self.system_beeps += 1


@pytest.fixture
def recorder(monkeypatch, caplog):
    caplog.set_level("DEBUG", logger=sound.__name__)
    found = Recorder()
    monkeypatch.setattr(sound.subprocess, "Popen", found.popen)
    monkeypatch.setattr(Sounds, "_system_beep", staticmethod(found.beep))
    return found


@pytest.fixture
def linux_player(monkeypatch):
    monkeypatch.setattr(sound.sys, "platform", "linux")
    monkeypatch.setattr(sound.shutil, "which", lambda name: f"/usr/bin/{name}")


def test_plays_each_cue_with_the_player(recorder, linux_player, caplog):
    cues = Sounds()
    cues.beep()
    cues.buzz()
    cues.chime()
    assert [command[-1] for command in recorder.commands] == [
        str(SOUNDS / f"{name}.wav") for name in ("beep", "buzz", "chime")
    ]
    assert recorder.commands[0][0] == "/usr/bin/paplay"
    assert recorder.system_beeps == 0
    assert caplog.records == []  # played, not an error swallowed


def test_muted_does_nothing(recorder, linux_player):
    cues = Sounds(muted=True)
    cues.beep()
    cues.buzz()
    cues.chime()
    assert recorder.commands == []
    assert recorder.system_beeps == 0


def test_no_player_falls_back_to_the_system_beep(recorder, monkeypatch, tmp_path):
    monkeypatch.setattr(sound.sys, "platform", "linux")
    monkeypatch.setenv("PATH", str(tmp_path))  # no paplay, pw-play or aplay anywhere
    cues = Sounds()
    assert cues.player is None
    cues.beep()
    assert recorder.commands == []
    assert recorder.system_beeps == 1


def test_no_player_and_a_real_system_beep_does_not_raise(qapp, monkeypatch, tmp_path):
    monkeypatch.setattr(sound.sys, "platform", "linux")
    monkeypatch.setenv("PATH", str(tmp_path))
    Sounds().buzz()


def test_player_that_fails_to_start_is_dropped(recorder, linux_player, monkeypatch):
    def broken(args: list[str], **kwargs: object) -> FakeProcess:
        raise FileNotFoundError(args[0])

    monkeypatch.setattr(sound.subprocess, "Popen", broken)
    cues = Sounds()
    cues.beep()
    assert cues.player is None
    assert recorder.system_beeps == 1


def test_missing_files_fall_back_to_the_system_beep(recorder, linux_player, tmp_path):
    cues = Sounds(directory=tmp_path)
    cues.chime()
    assert recorder.commands == []
    assert recorder.system_beeps == 1
