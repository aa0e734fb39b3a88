"""The command line reads the same whether or not the commands' parsers were needed."""

from __future__ import annotations

import pytest

from popup_pos.cli import _parse, build_parser


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "pos.sqlite", "--screenshot", "shot.png"],
        ["--demo", "--register", "b", "--customer-display"],
        ["--db=pos.sqlite", "--reg", "C"],  # abbreviations too
    ],
)
def test_starting_the_screen_parses_as_the_full_parser_does(argv):
    assert vars(_parse(argv)) == vars(build_parser().parse_args(argv))


def test_a_command_gets_the_full_parser():
    args = _parse(["--db", "pos.sqlite", "event", "status"])
    assert args.command == "event" and callable(args.func)


@pytest.mark.parametrize("argv", [["--db"], ["--d", "x"], ["bogus"], ["--help"]])
def test_help_and_mistakes_are_the_full_parsers(argv, capsys):
    with pytest.raises(SystemExit):
        _parse(argv)
    out = capsys.readouterr()
    assert "COMMAND" in out.out + out.err
