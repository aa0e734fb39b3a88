"""Write the register's cue sounds (beep, buzz, chime) to assets/sounds/ as small WAV files."""

from __future__ import annotations

import math
import struct
import sys
import wave
from collections.abc import Callable, Iterable
from pathlib import Path

RATE = 22_050
PEAK = 32_767
OUT = Path(__file__).resolve().parents[1] / "assets" / "sounds"

Wave = Callable[[float], float]


def _sine(freq: float) -> Wave:
    return lambda t: math.sin(2 * math.pi * freq * t)


def _square_ish(freq: float) -> Wave:
    # Odd harmonics falling off as 1/n: a buzzy tone without the harshness of a true square.
    def wave_at(t: float) -> float:
        phase = 2 * math.pi * freq * t
        return sum(math.sin(n * phase) / n for n in (1, 3, 5, 7, 9)) * 0.8

    return wave_at


def _fades(duration: float, fade: float) -> Callable[[float], float]:
    """A flat envelope with linear fade in and out, so the edges do not click."""

    def level(t: float) -> float:
        return min(1.0, t / fade, (duration - t) / fade)

    return level


def _samples(duration: float, wave_at: Wave, envelope: Callable[[float], float]) -> list[float]:
    count = round(duration * RATE)
    return [wave_at(i / RATE) * max(0.0, envelope(i / RATE)) for i in range(count)]


def beep() -> list[float]:
    """80 ms at 1.8 kHz: the good-scan cue."""
    return [0.5 * s for s in _samples(0.080, _sine(1800), _fades(0.080, 0.008))]


def buzz() -> list[float]:
    """250 ms of a low 180 Hz square-ish tone: the unknown-code cue, unlike the beep."""
    return [0.55 * s for s in _samples(0.250, _square_ish(180), _fades(0.250, 0.012))]


def chime() -> list[float]:
    """Two rising bell-like notes (E5 then A5) over 400 ms: the paid cue."""

    def note(freq: float, duration: float) -> list[float]:
        def bell(t: float) -> float:
            return math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(2 * math.pi * 2 * freq * t)

        def decay(t: float) -> float:
            attack = min(1.0, t / 0.005)
            release = min(1.0, (duration - t) / 0.010)
            return attack * release * math.exp(-4.0 * t)

        return [0.4 * s for s in _samples(duration, bell, decay)]

    return note(659.25, 0.160) + note(880.0, 0.240)


def write_wav(path: Path, samples: Iterable[float]) -> None:
    """16-bit mono PCM at 22.05 kHz."""
    frames = b"".join(struct.pack("<h", round(max(-1.0, min(1.0, s)) * PEAK)) for s in samples)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)


def main(out: Path = OUT) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for name, make in (("beep", beep), ("buzz", buzz), ("chime", chime)):
        path = out / f"{name}.wav"
        write_wav(path, make())
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
