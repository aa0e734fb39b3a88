"""`popup-pos serve` is on the command line and refuses a bad port plainly."""

from __future__ import annotations

import pytest

from popup_pos.cli import build_parser


def test_serve_parses_host_and_port() -> None:
    args = build_parser().parse_args(["serve", "--host", "127.0.0.1", "--port", "9000", "--http"])
    assert (args.host, args.port, args.http) == ("127.0.0.1", 9000, True)


def test_serve_help_mentions_the_phone_page(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--help"])
    assert "phone" in capsys.readouterr().out
