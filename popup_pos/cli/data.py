"""`popup-pos demo seed`, `audit verify` and `backup`."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from popup_pos.cli.common import MAX_PROBLEMS_SHOWN, UsageError, actor, whole
from popup_pos.domain.limits import MAX_DEMO_ORDERS

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    dm = sub.add_parser("demo", help="demo data")
    ds = dm.add_subparsers(dest="sub", metavar="ACTION", required=True)
    dd = ds.add_parser("seed", help="load the demo catalog, and with --orders a demo night")
    dd.add_argument(
        "--orders", default="0", metavar="N", help=f"how many (at most {MAX_DEMO_ORDERS:,})"
    )
    dd.set_defaults(func=cmd_demo_seed)

    au = sub.add_parser("audit", help="check the audit log")
    aus = au.add_subparsers(dest="sub", metavar="ACTION", required=True)
    av = aus.add_parser(
        "verify",
        help="walk the hash chain, hold it against its anchors and replay it against the tables",
    )
    av.add_argument(
        "--anchor",
        action="append",
        default=[],
        metavar="FILE",
        help="an .audit-head file to check too (a backup's, a copy kept elsewhere)",
    )
    av.add_argument(
        "--head",
        action="append",
        default=[],
        metavar="COUNT:HASH",
        help="a head printed on a close report or close summary",
    )
    av.set_defaults(func=cmd_audit_verify)

    bk = sub.add_parser("backup", help="copy the SQLite database while it is in use")
    bk.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="the backup file, or a folder to put popup-pos-DATE-TIME.sqlite in",
    )
    bk.set_defaults(func=cmd_backup)


def cmd_demo_seed(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import demo

    orders = whole(args.orders, "--orders", high=MAX_DEMO_ORDERS)
    r = demo.seed(uow, orders=orders, actor=actor())
    c = r.catalog
    print(
        f"Demo catalog: {c.created_variants} new variants, {c.updated_variants} updated, "
        f"{c.unchanged_variants} unchanged"
    )
    if orders:
        print(
            f"Demo event {r.event_id}: {r.orders} orders, {r.refunds} refunds, "
            f"{r.cancelled} cancelled"
        )
    return 0


def cmd_audit_verify(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import audit

    given = [audit.read_anchor(Path(f).expanduser()) for f in args.anchor]
    given += [audit.parse_head(h) for h in args.head]
    r = audit.verify(uow, given)
    for note in r.notes[:MAX_PROBLEMS_SHOWN]:
        print(f"Note: {note}")
    if r.broken_id is not None:
        print(
            f"Audit log broken at entry {r.broken_id}: it {r.problem} "
            f"({r.checked} entries before it are intact)."
        )
        return 1
    for problem in r.anchor_problems:
        print(f"Audit log trimmed or rewritten: {problem}.")
    if r.table_problems:
        first, *rest = r.table_problems
        print(f"Tables differ from the audit log; first difference: {first}.")
        for problem in rest[: MAX_PROBLEMS_SHOWN - 1]:
            print(f"  {problem}")
        if len(rest) >= MAX_PROBLEMS_SHOWN:
            print(f"  … and {len(rest) - MAX_PROBLEMS_SHOWN + 1} more")
    if not r.ok:
        return 1
    held = ", ".join(f"{a.source} ({a.head.count})" for a in r.anchors) or "none found"
    print(f"Audit log intact: {r.checked} entries checked.")
    if r.head is not None:
        print(f"Head: {r.head}")
    print(f"Anchors held: {held}.")
    print("Orders, payments, refunds and stock match the log.")
    return 0


def cmd_backup(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services.database import backup, backup_file

    if args.out.endswith(("/", os.sep)) and not Path(args.out).expanduser().is_dir():
        raise UsageError(f"folder {args.out!r} does not exist")
    out = backup_file(Path(args.out))
    size = backup(uow, out)
    print(f"Backed up to {out} ({size / 1024:.0f} KiB)")
    return 0


# ---- parser --------------------------------------------------------------------------
