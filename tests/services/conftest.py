"""Helpers for service tests that run sellers in child processes."""

from __future__ import annotations

import os
import select
import subprocess
import time
from collections.abc import Callable

import pytest

WORKER_START_TIMEOUT = 60.0


def wait_ready(proc: subprocess.Popen[bytes]) -> None:
    """Block until a sale_worker child prints "ready" (or fail with its stderr if it died)."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    got = b""
    while not got.endswith(b"\n"):
        readable, _, _ = select.select([fd], [], [], max(deadline - time.monotonic(), 0))
        if not readable:
            raise AssertionError("worker did not get ready in time")
        chunk = os.read(fd, 64)
        if not chunk:
            _, err = proc.communicate(timeout=WORKER_START_TIMEOUT)
            raise AssertionError(f"worker died before starting:\n{err.decode()}")
        got += chunk
    assert got == b"ready\n"


@pytest.fixture
def worker_ready() -> Callable[[subprocess.Popen[bytes]], None]:
    return wait_ready
