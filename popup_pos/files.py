"""Files and folders the app writes that only their owner may read (POSIX modes; Windows
relies on the user profile's own permissions)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700

# Windows has no owner/group/other modes: chmod there only toggles read-only.
POSIX = os.name == "posix"


def private_opener(path: str, flags: int) -> int:
    """An `opener` for open(): a new file is created 0600, an existing one made 0600.

    The mode is set as the file is created, so there is no moment when another user could
    open it and keep reading what is written later.
    """
    fd = os.open(path, flags, PRIVATE_FILE)
    if POSIX:
        try:
            os.fchmod(fd, PRIVATE_FILE)
        except BaseException:
            os.close(fd)
            raise
    return fd


def create_private_file(path: str | Path) -> Path:
    """Create `path` empty (or empty it) with owner-only access, for a writer that opens it
    by name itself (SQLite, a spreadsheet library): an existing file keeps its mode then."""
    target = Path(path)
    with open(target, "wb", opener=private_opener):
        pass
    return target


def private_folder(path: str | Path, *, tighten: bool = False) -> Path:
    """Create the folder (and any missing parents) with owner-only access.

    An existing folder keeps its mode unless `tighten`: only folders that belong to the app
    (the data folder, its backups) are tightened, never one the user picked to save into.
    """
    folder = Path(path)
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    if created or tighten:
        restrict(folder)
    return folder


def restrict(path: str | Path) -> None:
    """Take group and other access away from an existing file or folder, if it has any.

    A file that belongs to another user is left alone: only its owner can change it.
    """
    if not POSIX:
        return
    try:
        mode = os.stat(path).st_mode
        wanted = PRIVATE_FOLDER if stat.S_ISDIR(mode) else PRIVATE_FILE
        if stat.S_IMODE(mode) & 0o077:
            os.chmod(path, stat.S_IMODE(mode) & wanted)
    except (FileNotFoundError, PermissionError):
        pass
