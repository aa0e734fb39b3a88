"""`popup-pos stripe check|sync|key|readers`: the Stripe key, the account and card readers."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from popup_pos.cli.common import UsageError

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    st = sub.add_parser("stripe", help="set up Stripe: the key, the account, card readers")
    ss = st.add_subparsers(dest="sub", metavar="ACTION", required=True)
    ss.add_parser(
        "check", help="say whether the key works and list the account's card readers"
    ).set_defaults(func=cmd_check)
    ss.add_parser(
        "sync", help="ask Stripe now about every payment still waiting (as at start-up)"
    ).set_defaults(func=cmd_sync)

    key = ss.add_parser("key", help="the Stripe key, kept in the system keyring")
    ks = key.add_subparsers(dest="key_action", metavar="ACTION", required=True)
    ks.add_parser(
        "set", help="read a secret (sk_…) or restricted (rk_…) key from the terminal or stdin"
    ).set_defaults(func=cmd_key_set)
    ks.add_parser("show", help="which key is used (masked) and from where").set_defaults(
        func=cmd_key_show
    )
    ks.add_parser("forget", help="remove the key from the keyring").set_defaults(
        func=cmd_key_forget
    )

    rd = ss.add_parser("readers", help="card readers (Stripe Terminal)")
    rs = rd.add_subparsers(dest="readers_action", metavar="ACTION", required=True)
    rr = rs.add_parser("register", help="pair a reader by the registration code it shows")
    rr.add_argument("code", metavar="CODE", help="the code on the reader, or simulated-wpe")
    rr.add_argument("--label", required=True, metavar="NAME", help="e.g. 'Front table'")
    rr.add_argument("--location", metavar="ID", help="Terminal location (tml_…) if several")
    rr.add_argument(
        "--for-register",
        dest="reader_register",
        metavar="CODE",
        help="the register that uses this reader by default, e.g. A",
    )
    rr.set_defaults(func=cmd_readers_register)
    rs.add_parser("list", help="readers registered here, with their status").set_defaults(
        func=cmd_readers_list
    )


def _read_key() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Stripe secret or restricted key (input hidden): ")
    return sys.stdin.readline()


def cmd_key_set(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import payments

    text = _read_key().strip()
    if not text:
        raise UsageError("no key given")
    info = payments.set_key(text)
    print(f"Stored {info.masked} in the system keyring (service popup-pos).")
    return 0


def cmd_key_show(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import payments

    info = payments.key_info()
    if info.source is None:
        raise UsageError(info.note or "no Stripe key is set up")
    print(f"{info.masked} from the {info.source}")
    if info.note:
        print(f"  note: {info.note}")
    return 0


def cmd_key_forget(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import payments

    if payments.forget_key():
        print("Removed the Stripe key from the system keyring.")
    else:
        print("No Stripe key was stored in the system keyring.")
    return 0


def cmd_check(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import payments

    c = payments.check_stripe(uow)
    mode = "test mode" if c.test_mode else "LIVE"
    kind = "restricted key" if c.restricted else "secret key"
    print(f"Stripe key works: {kind} {c.key_masked} from the {c.key_source} ({mode}).")
    if c.note:
        print(f"  note: {c.note}")
    if c.account_name:
        print(f"  account: {c.account_name}")
    elif c.restricted:
        print("  account: not readable with this restricted key (payments still work)")
    if not c.readers:
        print("No card readers on this account.")
    for r in c.readers:
        where = f", register {r.register_code}" if r.register_code else ""
        print(f"  reader {r.label} ({r.stripe_id}, {r.device_type}): {r.status}{where}")
    return 0


def cmd_sync(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import payments

    changes = payments.reconcile_at_startup(uow)
    for ch in changes:
        extra = f" ({ch.message})" if ch.message else ""
        print(f"{ch.order_number}: {ch.tender.replace('_', ' ')} {ch.state}{extra}")
    status = payments.stripe_status(uow)
    if not status.configured:
        raise UsageError(status.message)
    if not status.online:
        raise UsageError(status.banner or status.message)
    print(f"{len(changes)} updated; {status.waiting} still waiting.")
    return 0


def cmd_readers_register(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import payments

    r = payments.register_reader(
        uow, args.code, args.label, location=args.location, register_code=args.reader_register
    )
    where = f" for register {r.register_code}" if r.register_code else ""
    print(f"Registered reader {r.label!r} ({r.stripe_id}, {r.device_type}){where}.")
    return 0


def cmd_readers_list(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import payments

    readers = payments.list_readers(uow)
    if not readers:
        print("No card readers registered: popup-pos stripe readers register CODE --label NAME")
    for r in readers:
        where = f", register {r.register_code}" if r.register_code else ""
        print(f"{r.label} ({r.stripe_id}, {r.device_type}): {r.status or 'status unknown'}{where}")
    return 0
