"""Files and folders created readable by their owner only."""

import os
import stat

import pytest

from popup_pos import config
from popup_pos.files import create_private_file, private_folder, private_opener, restrict

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def _lax_umask():
    """The usual umask (022) would make files readable by everyone: what is being fixed."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_file_is_created_owner_only(tmp_path):
    path = tmp_path / "a.csv"
    with open(path, "w", opener=private_opener) as f:
        f.write("x")
    assert mode(path) == 0o600


def test_an_existing_readable_file_is_made_owner_only_when_rewritten(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("old")
    assert mode(path) == 0o644
    create_private_file(path)
    assert mode(path) == 0o600
    assert path.read_text() == ""


def test_a_new_folder_is_owner_only_but_a_chosen_one_is_left_as_it_is(tmp_path):
    chosen = tmp_path / "Desktop"
    chosen.mkdir()
    assert mode(private_folder(tmp_path / "new" / "deeper")) == 0o700
    assert mode(private_folder(chosen)) == 0o755
    assert mode(private_folder(chosen, tighten=True)) == 0o700


def test_restrict_keeps_read_only_files_read_only(tmp_path):
    path = tmp_path / "old.sqlite"
    path.write_text("x")
    os.chmod(path, 0o444)
    restrict(path)
    assert mode(path) == 0o400
    restrict(tmp_path / "missing")  # nothing to do, no error


def test_the_data_folder_and_backups_are_owner_only(tmp_path, monkeypatch):
    old = tmp_path / "older-install"
    old.mkdir(mode=0o755)
    monkeypatch.setenv("POPUP_POS_DATA_DIR", str(old))
    assert config.data_dir() == old
    assert mode(old) == 0o700
    assert mode(config.backup_dir()) == 0o700
