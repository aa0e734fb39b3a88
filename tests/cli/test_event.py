"""`popup-pos event open` and `event close`: amounts as typed, never a silent zero."""

import pytest

from popup_pos.cli import main


@pytest.fixture
def run(tmp_path, capsys):
    db = str(tmp_path / "pos.sqlite")

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_float_is_refused_and_opens_nothing(run, value):
    code, out, err = run("event", "open", "Friday", "--float", value)
    assert (code, out) == (1, "")
    assert err.strip() == (
        "popup-pos: --float is empty: give the cash in the drawer, e.g. --float 150"
    )
    assert "Friday" not in run("event", "list")[1]


def test_no_float_and_a_zero_float_still_open(run):
    code, out, _ = run("event", "open", "Friday")
    assert code == 0 and "float of $0.00" in out
    assert run("event", "close", "--counted", "0")[0] == 0
    code, out, _ = run("event", "open", "Saturday", "--float", "0")
    assert code == 0 and "float of $0.00" in out


@pytest.mark.parametrize("flag", ["--counted", "--count"])
def test_an_empty_count_is_refused_and_closes_nothing(run, flag):
    assert run("event", "open", "Friday", "--float", "100")[0] == 0
    code, out, err = run("event", "close", flag, "")
    assert (code, out) == (1, "")
    assert err.strip().startswith(f"popup-pos: {flag} is empty")
    assert "Friday" in run("event", "status")[1]
