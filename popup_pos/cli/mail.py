"""`popup-pos mail set|show|check|outbox|flush|test`: email settings and the outbox."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from popup_pos.cli.common import UsageError, actor

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ml = sub.add_parser(
        "mail", help="email receipts: the SMTP server, the outbox, sending what waits"
    )
    ms = ml.add_subparsers(dest="sub", metavar="ACTION", required=True)
    st = ms.add_parser(
        "set",
        help="change the SMTP settings; with --user the password is asked (input hidden)",
    )
    st.add_argument("--host", metavar="HOST", help="e.g. smtp.example.com")
    st.add_argument("--port", metavar="N", help="default 587 (starttls), 465 (tls), 25 (none)")
    st.add_argument("--security", choices=("none", "starttls", "tls"), help="default starttls")
    st.add_argument("--user", metavar="NAME", help="login name ('' for no login)")
    st.add_argument("--from", dest="sender", metavar="ADDRESS", help="the sender address")
    st.add_argument("--name", metavar="TEXT", help="the sender name fans see (the shop's)")
    st.add_argument("--reply-to", metavar="ADDRESS", help="where fans' replies go")
    st.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )
    st.set_defaults(func=cmd_set)
    ms.add_parser("show", help="the SMTP settings and where the password is kept").set_defaults(
        func=cmd_show
    )
    ms.add_parser("check", help="connect to the server and log in").set_defaults(func=cmd_check)
    ms.add_parser("outbox", help="messages waiting or failed, and why").set_defaults(
        func=cmd_outbox
    )
    ms.add_parser("flush", help="send every waiting message now").set_defaults(func=cmd_flush)
    ts = ms.add_parser("test", help="queue a test message to ADDRESS and send it")
    ts.add_argument("address", metavar="ADDRESS")
    ts.set_defaults(func=cmd_test)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin or not sys.stdin.isatty():
        text = sys.stdin.readline().rstrip("\r\n")
    else:
        text = getpass.getpass("SMTP password (input hidden): ")
    if not text:
        raise UsageError("no password given")
    return text


def cmd_set(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import delivery

    changes: dict[str, Any] = {}
    for key, value in (
        ("host", args.host),
        ("port", args.port),
        ("security", args.security),
        ("user", args.user),
        ("from", args.sender),
        ("from_name", args.name),
        ("reply_to", args.reply_to),
    ):
        if value is not None:
            changes[key] = value
    if not changes and not args.password_stdin:
        raise UsageError("nothing to change: give --host, --port, --security, --user, --from…")
    s = delivery.save_settings(uow, changes, actor()) if changes else delivery.mail_settings(uow)
    if args.password_stdin or (args.user and sys.stdin.isatty()):
        where = delivery.set_password(_password(args))
        print(f"Stored the SMTP password in {where}.")
    print(_describe(s))
    return 0


def _describe(s: Any) -> str:
    return (
        f"Server {s.host or '(none)'}:{s.port} ({s.security}); login {s.user or '(none)'}; "
        f"from {s.sender_name + ' ' if s.sender_name else ''}<{s.sender or 'none'}>"
        + (f"; reply to {s.reply_to}" if s.reply_to else "")
    )


def cmd_show(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import delivery

    print(_describe(delivery.mail_settings(uow)))
    print(f"Password: {delivery.password_source()}")
    print(f"Waiting to be sent: {delivery.waiting(uow)}")
    return 0


def cmd_check(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import delivery

    print(delivery.check_server(uow).capitalize() + ": mail can be sent.")
    return 0


def cmd_outbox(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import delivery

    rows = delivery.unsent(uow)
    if not rows:
        print("Nothing waits: every email was sent.")
        return 0
    for r in rows:
        what = f"order {r.order_number}" if r.order_number else r.kind
        state = "FAILED" if r.status == "failed" else f"waiting ({r.attempts} tries)"
        print(f"#{r.id} {what} to {r.recipient or '(address removed)'}: {state}")
        if r.last_error:
            print(f"    {r.last_error}")
    failed = sum(r.status == "failed" for r in rows)
    if failed:
        print(
            "Fix a refused address with `popup-pos receipt ORDER --email ADDRESS`; "
            "it replaces the failed message."
        )
    return 0


def _report(done: Any) -> int:
    for e in done.errors:
        print(f"not sent: {e}", file=sys.stderr)
    if done.note:
        print(done.note, file=sys.stderr)
    print(f"Sent {done.sent}; failed {done.failed}; still waiting {done.waiting}.")
    return 1 if (done.errors or done.note) else 0


def cmd_flush(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import delivery

    return _report(delivery.flush(uow, all_now=True))


def cmd_test(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import delivery

    delivery.queue_test(uow, args.address, actor())
    return _report(delivery.flush(uow, all_now=True))


def email_receipt(uow: UnitOfWork, order: str, address: str, *, consent: bool = False) -> int:
    """`receipt ORDER --email ADDRESS`: queue the receipt, then try to send it now."""
    from popup_pos.services import delivery

    queued = delivery.ask_receipt(uow, order, address, consent=consent, actor=actor())
    if queued.message_id is None:
        print(f"Order {queued.order_number} is not paid yet: its receipt goes when it is.")
        return 0
    print(f"Queued the receipt of order {queued.order_number} for {address.strip()}.")
    return _report(delivery.flush(uow))
