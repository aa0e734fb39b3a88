"""The `popup-pos` command: the selling screen, or catalog, stock and event commands."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from popup_pos import __version__, config
from popup_pos.cli.common import UsageError
from popup_pos.domain.errors import PosError
from popup_pos.domain.limits import brief

if TYPE_CHECKING:
    from popup_pos.services.startup import FirstScreen
    from popup_pos.store.uow import UnitOfWork


# Each module registers its own commands, in this order in --help.
COMMAND_MODULES = (
    "catalog",
    "stock",
    "codes",
    "tickets",
    "event",
    "drawer",
    "export",
    "data",
    "documents",
    "stripe",
    "serve",
    "mail",
    "fans",
)


def _open(db: str | None) -> UnitOfWork:
    # Imported here so `--help` and `--version` answer without loading the database stack.
    from popup_pos.services.database import open_database

    return open_database(db or config.default_db())


class _NoCommandsParser(argparse.ArgumentParser):
    """Raises instead of printing: the full parser explains any mistake."""

    def error(self, message: str) -> NoReturn:
        raise argparse.ArgumentError(None, message)


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The command line; without `commands`, only the options of the selling screen (no
    help, and errors raised rather than printed)."""
    p = (argparse.ArgumentParser if commands else _NoCommandsParser)(
        prog="popup-pos",
        description="Point of sale for pop-up shops, merch tables and afterparty events. "
        "With no command it starts the selling screen.",
        add_help=commands,
    )
    p.add_argument("--version", action="version", version=f"popup-pos {__version__}")
    p.add_argument(
        "--db",
        metavar="URL",
        help="database: a SQLite file path or a PostgreSQL URL (env POPUP_POS_DB; default: "
        "popup-pos.sqlite in the user data folder)",
    )
    p.add_argument("--demo", action="store_true", help="use the demo database, seeded on first use")
    p.add_argument(
        "--register",
        default="A",
        metavar="CODE",
        help="this laptop's register code, the prefix of its order numbers (default A)",
    )
    p.add_argument(
        "--customer-display", action="store_true", help="also open the customer-facing window"
    )
    p.add_argument(
        "--screenshot",
        metavar="FILE",
        help="render the window once it is loaded to a PNG and exit",
    )
    p.add_argument(
        "--screen",
        metavar="NAME",
        help="with --screenshot, the screen to render on the demo or given database: "
        "selling (the default), catalog, orders, codes, close, report or settings",
    )
    if not commands:
        p.set_defaults(command=None)
        return p
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    for name in COMMAND_MODULES:
        importlib.import_module(f"popup_pos.cli.{name}").register(sub)
    return p


def _parse(given: list[str]) -> argparse.Namespace:
    """The command line, parsed. Starting the selling screen (no command) skips building
    the commands' parsers, which takes longer than reading the screen's catalog."""
    try:
        args, rest = build_parser(commands=False).parse_known_args(given)
    except argparse.ArgumentError:
        rest = given
    if rest:  # a command, help, or a mistake: the full parser handles and explains it
        args = build_parser().parse_args(given)
    return args


DEMO_ORDERS = 40


def _seed_demo_once(uow: UnitOfWork) -> None:
    """The demo database gets its catalog and a night of orders the first time it is used."""
    from popup_pos.services import catalog, demo

    if not catalog.list_variants(uow):
        demo.seed(uow, orders=DEMO_ORDERS)


def _first_screen(args: argparse.Namespace, db: str | None) -> FirstScreen | None:
    """The selling screen read straight from a SQLite file, when nobody has to sign in
    first (the demo, a screenshot) and the file is ready for it; else None."""
    if not (args.demo or args.screenshot):
        return None
    from popup_pos.services.startup import read_first_screen

    return read_first_screen(db or config.default_db(), args.register, need_catalog=args.demo)


def _start_gui(
    args: argparse.Namespace, uow: UnitOfWork, first_screen: FirstScreen | None = None
) -> int:
    # Qt is only loaded when the window is wanted, so commands stay quick.
    from popup_pos.gui.app import run

    return run(
        uow,
        register_code=args.register,
        customer_display=args.customer_display,
        screenshot=Path(args.screenshot) if args.screenshot else None,
        demo=args.demo,
        first_screen=first_screen,
        screen="selling" if args.screen is None else args.screen,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status: 0 done, 1 refused or failed, 2 a usage
    mistake argparse explains (SystemExit passes through)."""
    given = list(sys.argv[1:] if argv is None else argv)
    try:
        _check_argv(given)
        return _main(given)
    except PosError as exc:
        return _say(str(exc), 1)
    except BrokenPipeError:
        # Output piped into `head`: the reader left, which is not an error.
        sys.stderr.close()
        return 0
    except OSError as exc:
        return _say(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), 1)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # The one place every other failure ends: one line here, the traceback in the log.
        return _say(_unexpected(exc, given), 1)


def _say(message: str, code: int) -> int:
    print(f"popup-pos: {message}", file=sys.stderr)
    return code


def _check_argv(given: Sequence[str]) -> None:
    """Refuse control characters and undecodable bytes anywhere on the command line: no
    name, code or amount holds one, and no database can store NUL."""
    for arg in given:
        for c in arg:
            if unicodedata.category(c) in ("Cc", "Cs"):
                raise UsageError(
                    f"the command line argument {brief(arg)} contains a control character or "
                    f"an undecodable byte (U+{ord(c):04X}): retype it"
                )


def _unexpected(exc: BaseException, given: Sequence[str]) -> str:
    """One line for a failure nobody foresaw; the traceback goes to the error log."""
    what = _command_name(given)
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    reason = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    try:
        log = _log_error(exc, given)
    except OSError:
        return f"{what!r} failed unexpectedly ({reason}); nothing more could be logged"
    return f"{what!r} failed unexpectedly ({reason}); details are in {log}"


# Commands with actions (`event close`): the failure names both words.
_GROUPS = frozenset(
    {"catalog", "stock", "codes", "tickets", "event", "demo", "audit", "stripe", "mail", "fans"}
)
_GLOBAL_VALUES = frozenset({"--db", "--register", "--screenshot", "--screen"})


def _without_db(given: Sequence[str]) -> list[str]:
    return [
        a
        for i, a in enumerate(given)
        if a != "--db" and not a.startswith("--db=") and (i == 0 or given[i - 1] != "--db")
    ]


def _command_name(given: Sequence[str]) -> str:
    words = [
        a
        for i, a in enumerate(given)
        if not a.startswith("-") and (i == 0 or given[i - 1] not in _GLOBAL_VALUES)
    ]
    if not words:
        return "the selling screen"
    return " ".join(words[:2] if words[0] in _GROUPS else words[:1])[:60]


ERROR_LOG = "errors.log"
_ERROR_LOG_MAX_BYTES = 1_000_000


def _log_error(exc: BaseException, given: Sequence[str]) -> Path:
    """Append the traceback to errors.log in the data folder (restarted past 1 MB)."""
    import traceback
    from datetime import UTC, datetime

    path = config.data_dir() / ERROR_LOG
    if path.exists() and path.stat().st_size > _ERROR_LOG_MAX_BYTES:
        path.replace(path.with_suffix(".log.1"))
    when = datetime.now(UTC).isoformat(timespec="seconds")
    # The command line is logged without --db: a PostgreSQL URL may carry a password.
    shown = _without_db(given)
    text = "".join(traceback.format_exception(exc))
    # Readable by the owner only: a command line can hold a customer's name or reference.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with open(fd, "a", encoding="utf-8", errors="backslashreplace") as f:
        f.write(f"--- {when} popup-pos {__version__}: {' '.join(shown)}\n{text}\n")
    return path


def _main(given: list[str]) -> int:
    args = _parse(given)
    if args.demo and args.db:
        build_parser().error("--demo and --db cannot be used together")
    if args.screen is not None and not args.screenshot:
        build_parser().error("--screen NAME needs --screenshot FILE: the PNG to write")
    db = config.demo_db() if args.demo else args.db
    func: Callable[[argparse.Namespace, Any], int] | None = getattr(args, "func", None)
    uow: UnitOfWork | None = None
    try:
        first = _first_screen(args, db) if func is None else None
        if first is not None:
            # The window paints from `first`; SQLAlchemy and the models load after that.
            from popup_pos.services.startup import open_on_first_use

            uow = open_on_first_use(db or config.default_db())
        else:
            uow = _open(db)
            if args.demo:
                _seed_demo_once(uow)
        if func is None:
            return _start_gui(args, uow, first)
        return func(args, uow)
    finally:
        if uow is not None and uow.has_engine:
            uow.engine.dispose()
