"""`popup-pos serve`: the helpers' phone server on its own, for a helper-only station."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from popup_pos.cli.common import UsageError

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sv = sub.add_parser(
        "serve",
        help="serve the helpers' phone page and API on the venue network",
        description="Run the helpers' phone server until Ctrl+C, on the same database as "
        "the registers. Show a pairing QR with --pair (or from Settings on a register).",
    )
    sv.add_argument(
        "--host",
        default="0.0.0.0",
        metavar="ADDR",
        help="the address to listen on (default: every network of this machine)",
    )
    sv.add_argument("--port", type=int, default=8443, metavar="N", help="default 8443")
    sv.add_argument(
        "--http",
        action="store_true",
        help="plain HTTP instead of HTTPS (anyone on the Wi-Fi can read it)",
    )
    sv.add_argument(
        "--pair", action="store_true", help="print a pairing link (and QR) for one phone first"
    )
    sv.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import devices
    from popup_pos.web.server import PhoneServer, ServerError

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: give a port from 1 to 65535")
    server = PhoneServer(uow, host=args.host, port=args.port, https=not args.http)
    try:
        server.check_address()  # before a pairing code is made for an address that fails
    except ServerError as e:
        raise UsageError(str(e)) from e
    if args.pair:
        pairing = devices.start_pairing(uow, actor="serve")
        url = server.url_for_pairing(pairing.code)
        print(f"Pair a phone (within {devices.CODE_MINUTES} minutes): {url}")
        _print_qr(url)
    try:
        server.serve_forever()
    except ServerError as e:
        raise UsageError(str(e)) from e
    except KeyboardInterrupt:
        pass
    return 0


def _print_qr(text: str) -> None:
    import qrcode

    qr = qrcode.QRCode(border=2)
    qr.add_data(text)
    qr.print_ascii(invert=True)
