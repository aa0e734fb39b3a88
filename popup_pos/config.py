"""Where things live: the data folder, the default databases and the bundled assets."""

from __future__ import annotations

import os
from pathlib import Path

from popup_pos.files import private_folder

APP_NAME = "popup-pos"


def data_dir() -> Path:
    """The user data folder (POPUP_POS_DATA_DIR overrides it), created on first use."""
    override = os.environ.get("POPUP_POS_DATA_DIR")
    if override:
        path = Path(override).expanduser()
    else:
        # Imported when needed: a start with --db never is, and it costs a few ms.
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    # Sales, customer handles and PIN hashes live here: owner only, older installs included.
    return private_folder(path, tighten=True)


def default_db() -> str:
    """--db, else POPUP_POS_DB, else the SQLite file in the data folder."""
    return os.environ.get("POPUP_POS_DB") or str(data_dir() / "popup-pos.sqlite")


def demo_db() -> str:
    return str(data_dir() / "demo.sqlite")


def backup_dir() -> Path:
    return private_folder(data_dir() / "backups", tighten=True)


def assets_dir() -> Path:
    """assets/ beside the package in a checkout, or inside it when installed or bundled."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "assets", here.parent / "assets"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the assets folder is missing from this installation")
