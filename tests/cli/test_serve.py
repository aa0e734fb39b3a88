"""`popup-pos serve` is on the command line and refuses a bad port or address plainly."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from popup_pos.cli import build_parser


def test_serve_parses_host_and_port() -> None:
    args = build_parser().parse_args(["serve", "--host", "127.0.0.1", "--port", "9000", "--http"])
    assert (args.host, args.port, args.http) == ("127.0.0.1", 9000, True)


def test_serve_help_mentions_the_phone_page(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--help"])
    assert "phone" in capsys.readouterr().out


def test_an_address_it_cannot_listen_on_is_one_line_before_any_pairing_code(run: Any) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run(
            "serve", "--host", "127.0.0.1", "--port", str(port), "--http", "--pair"
        )
    assert code != 0 and out == ""  # no pairing link printed for a server that is not there
    assert f"could not listen on 127.0.0.1:{port}" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    # 192.0.2.1 is a documentation address: never this machine's.
    code, out, err = run("serve", "--host", "192.0.2.1", "--port", "9000", "--http")
    assert code != 0 and out == "" and "could not listen on 192.0.2.1:9000" in err
