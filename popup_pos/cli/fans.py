"""`popup-pos fans export|forget`: the fans who opted in, for a mailing tool; forgetting one."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from popup_pos.cli.common import UsageError, actor

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    fa = sub.add_parser("fans", help="fans who asked to hear from you again, across events")
    fs = fa.add_subparsers(dest="sub", metavar="ACTION", required=True)
    ex = fs.add_parser(
        "export", help="CSV for a mailing tool: email, first and last event, orders, spent"
    )
    ex.add_argument("file", metavar="FILE.csv")
    ex.set_defaults(func=cmd_export)
    fg = fs.add_parser("forget", help="remove an address everywhere; sales stay, anonymous")
    fg.add_argument("email", metavar="EMAIL")
    fg.set_defaults(func=cmd_forget)


def cmd_export(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import fans

    out = Path(args.file).expanduser()
    if not out.parent.is_dir():
        raise UsageError(f"folder {str(out.parent)!r} does not exist: cannot write {out.name}")
    if out.is_dir():
        raise UsageError(f"{args.file!r} is a folder: give a file name such as fans.csv")
    n = fans.export(uow, out, actor())
    print(f"Wrote {n} fan{'s' if n != 1 else ''} to {out}")
    return 0


def cmd_forget(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import fans

    fans.forget(uow, args.email, actor())
    print(f"Forgot {args.email.strip()}: its orders stay, without the address.")
    return 0
