"""The `popup-pos` command: the selling screen, or catalog, stock and event commands."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from popup_pos import __version__, config
from popup_pos.domain.errors import PosError

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


# Each module registers its own commands, in this order in --help.
COMMAND_MODULES = ("catalog", "stock", "event", "data")


def _open(db: str | None) -> UnitOfWork:
    # Imported here so `--help` and `--version` answer without loading the database stack.
    from popup_pos.services.database import open_database

    return open_database(db or config.default_db())


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="popup-pos",
        description="Point of sale for pop-up shops, merch tables and afterparty events. "
        "With no command it starts the selling screen.",
    )
    p.add_argument("--version", action="version", version=f"popup-pos {__version__}")
    p.add_argument(
        "--db",
        metavar="URL",
        help="database: a SQLite file path or a PostgreSQL URL (env POPUP_POS_DB; default: "
        "popup-pos.sqlite in the user data folder)",
    )
    p.add_argument("--demo", action="store_true", help="use the demo database, seeded on first use")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    for name in COMMAND_MODULES:
        importlib.import_module(f"popup_pos.cli.{name}").register(sub)
    return p


DEMO_ORDERS = 40


def _seed_demo_once(uow: UnitOfWork) -> None:
    """The demo database gets its catalog and a night of orders the first time it is used."""
    from popup_pos.services import catalog, demo

    if not catalog.list_variants(uow):
        demo.seed(uow, orders=DEMO_ORDERS)


def _start_gui(args: argparse.Namespace) -> int:
    print(
        "popup-pos: the selling screen is not part of this version yet. Use the commands "
        "in `popup-pos --help` for the catalog, stock and events."
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.demo and args.db:
        parser.error("--demo and --db cannot be used together")
    db = config.demo_db() if args.demo else args.db
    func: Callable[[argparse.Namespace, Any], int] | None = getattr(args, "func", None)
    try:
        uow = _open(db)
        if args.demo:
            _seed_demo_once(uow)
        if func is None:
            return _start_gui(args)
        return func(args, uow)
    except PosError as exc:
        print(f"popup-pos: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Output piped into `head`: the reader left, which is not an error.
        sys.stderr.close()
        return 0
    except OSError as exc:
        print(
            f"popup-pos: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return 1
    except KeyboardInterrupt:
        return 130
