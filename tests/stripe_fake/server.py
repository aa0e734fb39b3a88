"""A local Stripe for tests: localstripe plus what it lacks, on 127.0.0.1 only."""

# Run as a script; it prints one JSON line with the ports once both servers listen:
#
#     python tests/stripe_fake/server.py  ->  {"api": 40123, "localstripe": 40124}
#
# `api` is what clients talk to. It answers Checkout Sessions, Terminal readers and
# locations, PaymentIntent search, the account, and Stripe's Idempotency-Key replay itself,
# and passes everything else to localstripe (PaymentIntents, refunds, balance
# transactions...), whose state lives only in memory. Test-only routes start with `/_fake/`;
# `DELETE /_config/data` empties both servers.

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import random
import re
import socket
import string
import sys
import time
from typing import Any

from aiohttp import ClientSession, web
from localstripe import resources as ls_resources
from localstripe import server as ls_server

# localstripe pickles its state to a fixed file in /tmp after every write and reloads it
# at start; tests need neither, and parallel runs would share the file.
ls_resources.Store.dump_to_disk = lambda self: None
ls_resources.Store.try_load_from_disk = lambda self: None

HOST = "127.0.0.1"
SESSION_MIN_S, SESSION_MAX_S = 30 * 60, 24 * 60 * 60
DECLINING_CARDS = {"4000000000000002", "4000000000000341", "4000000000009995"}
SESSION_PARAMS = {
    "mode",
    "line_items",
    "client_reference_id",
    "metadata",
    "payment_intent_data",
    "expires_at",
    "success_url",
    "cancel_url",
    "payment_method_types",
    "customer_email",
    "locale",
    "submit_type",
    "expand",
}
DEVICE_TYPES = {
    "simulated-wpe": "bbpos_wisepos_e",
    "simulated-s700": "stripe_s700",
    "simulated-s710": "stripe_s710",
}


def _rid(prefix: str, n: int = 24) -> str:
    return prefix + "".join(random.choices(string.ascii_letters + string.digits, k=n))


def _err(
    status: int, message: str, *, kind: str = "invalid_request_error", **extra: Any
) -> web.Response:
    return web.json_response({"error": {"type": kind, "message": message, **extra}}, status=status)


def fake_fee(amount: int) -> int:
    """Stripe's US card price, 2.9% + 30¢, so a test can tell a read fee from a guessed one."""
    return (amount * 29 + 500) // 1000 + 30


class State:
    def __init__(self) -> None:
        self.sessions: dict[str, dict[str, Any]] = {}
        self.readers: dict[str, dict[str, Any]] = {}
        self.locations: dict[str, dict[str, Any]] = {}
        self.idempotent: dict[str, tuple[str, int, bytes, str]] = {}
        self.in_flight: set[str] = set()
        self.log: list[dict[str, Any]] = []
        self.reset()

    def reset(self) -> None:
        self.sessions.clear()
        self.readers.clear()
        self.idempotent.clear()
        self.in_flight.clear()
        self.log.clear()
        self.locations.clear()
        self.locations["tml_fakevenue"] = {
            "id": "tml_fakevenue",
            "object": "terminal.location",
            "display_name": "Fake venue",
            "livemode": False,
            "metadata": {},
        }


STATE = State()
LOCALSTRIPE = ""  # http://127.0.0.1:PORT, set at start


# ---- request helpers ------------------------------------------------------------------


async def params_of(request: web.Request) -> dict[str, Any]:
    if request.method == "POST":
        form = await request.post()
        data = ls_server.unflatten_data(form) if form else {}
    else:
        data = ls_server.unflatten_data(request.query) if request.query else {}
    return dict(data or {})


def _int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise web.HTTPBadRequest(
            text=json.dumps(
                {"error": {"type": "invalid_request_error", "message": f"Invalid integer: {name}"}}
            ),
            content_type="application/json",
        ) from None


def _expand_list(params: dict[str, Any]) -> list[str]:
    ex = params.get("expand") or []
    return [ex] if isinstance(ex, str) else list(ex)


async def localstripe(
    method: str, path: str, *, data: dict[str, Any] | None = None, query: Any = None
) -> tuple[int, Any]:
    async with (
        ClientSession() as http,
        http.request(
            method,
            LOCALSTRIPE + path,
            data=data,
            params=query,
            headers={"Authorization": "Bearer sk_test_fakeinternal"},
        ) as resp,
    ):
        raw = await resp.read()
        return resp.status, _with_fees(json.loads(raw)) if raw.strip() else None


def _with_fees(obj: Any) -> Any:
    """localstripe always says fee 0; put a real-looking fee on every charge's balance
    transaction wherever it appears in a response."""
    if isinstance(obj, list):
        return [_with_fees(o) for o in obj]
    if not isinstance(obj, dict):
        return obj
    out = {k: _with_fees(v) for k, v in obj.items()}
    if out.get("object") == "balance_transaction" and out.get("type") == "charge":
        fee = fake_fee(int(out["amount"]))
        out["fee"] = fee
        out["net"] = int(out["amount"]) - fee
        out["fee_details"] = [
            {
                "amount": fee,
                "currency": out.get("currency"),
                "description": "Stripe processing fees",
                "type": "stripe_fee",
            }
        ]
    return out


# ---- middlewares ---------------------------------------------------------------------------


def _key_of(request: web.Request) -> str | None:
    parts = request.headers.get("Authorization", "").split(" ")
    if len(parts) == 2 and parts[0] == "Bearer":
        return parts[1]
    if len(parts) == 2 and parts[0] == "Basic":
        return base64.b64decode(parts[1]).decode().split(":")[0]
    return None


@web.middleware
async def auth(request: web.Request, handler: Any) -> web.StreamResponse:
    if request.path.startswith(("/_fake/", "/_config/")):
        return await handler(request)
    key = _key_of(request)
    if not key or not key.startswith(("sk_test_", "rk_test_")) or len(key) < 12:
        shown = (key[:8] + "*" * 4 + key[-4:]) if key else "none"
        return _err(401, f"Invalid API Key provided: {shown}")
    request["restricted"] = key.startswith("rk_")
    return await handler(request)


@web.middleware
async def idempotency(request: web.Request, handler: Any) -> web.StreamResponse:
    """Stripe's replay: the first answer for a key is kept and given again, flagged
    `Idempotent-Replayed`; the same key with other parameters is an idempotency_error."""
    key = request.headers.get("Idempotency-Key")
    entry: dict[str, Any] = {"method": request.method, "path": request.path, "key": key}
    if request.method == "POST" and not request.path.startswith(("/_fake/", "/_config/")):
        STATE.log.append(entry)
    if request.method != "POST" or not key or request.path.startswith(("/_fake/", "/_config/")):
        return await handler(request)
    params = await params_of(request)
    fingerprint = hashlib.sha256(
        (request.path + json.dumps(params, sort_keys=True)).encode()
    ).hexdigest()
    if key in STATE.in_flight:
        return _err(409, "There is currently another in-progress request using this key.")
    seen = STATE.idempotent.get(key)
    if seen is not None:
        if seen[0] != fingerprint:
            return _err(
                400,
                "Keys for idempotent requests can only be used with the same parameters "
                "they were first used with.",
                kind="idempotency_error",
            )
        entry["replayed"] = True
        return web.Response(
            status=seen[1],
            body=seen[2],
            content_type=seen[3],
            headers={"Idempotent-Replayed": "true", "Idempotency-Key": key},
        )
    STATE.in_flight.add(key)
    try:
        resp = await handler(request)
    finally:
        STATE.in_flight.discard(key)
    if isinstance(resp, web.Response) and resp.status < 500 and resp.status not in (409, 429):
        body = resp.body if isinstance(resp.body, bytes) else b""
        STATE.idempotent[key] = (fingerprint, resp.status, body, resp.content_type)
    return resp


# ---- proxy to localstripe ---------------------------------------------------------------------


async def proxy(request: web.Request) -> web.Response:
    headers = {"Authorization": "Bearer sk_test_fakeinternal"}
    if ctype := request.headers.get("Content-Type"):
        headers["Content-Type"] = ctype
    body = await request.read()
    async with (
        ClientSession() as http,
        http.request(
            request.method,
            LOCALSTRIPE + request.path,
            params=request.query,
            data=body,
            headers=headers,
        ) as resp,
    ):
        raw = await resp.read()
        status = resp.status
    try:
        payload = _with_fees(json.loads(raw))
    except ValueError:
        return web.Response(status=status, body=raw)
    if status >= 400 and isinstance(payload, dict) and "error" in payload:
        # localstripe's errors lack Stripe's `type`, which clients use to pick the error.
        payload["error"].setdefault(
            "type", "card_error" if status == 402 else "invalid_request_error"
        )
    return web.json_response(payload, status=status)


async def reset(request: web.Request) -> web.Response:
    STATE.reset()
    await localstripe("DELETE", "/_config/data")
    return web.Response()


async def log(request: web.Request) -> web.Response:
    return web.json_response(STATE.log)


# ---- account -----------------------------------------------------------------------------


async def account(request: web.Request) -> web.Response:
    if request["restricted"]:
        return _err(
            403,
            "The provided key does not have the required permissions for this endpoint.",
            kind="invalid_request_error",
        )
    return web.json_response(
        {
            "id": "acct_fakemerch",
            "object": "account",
            "country": "US",
            "default_currency": "usd",
            "charges_enabled": True,
            "business_profile": {"name": "Fake merch table"},
            "settings": {"dashboard": {"display_name": "Fake merch table"}},
        }
    )


# ---- Checkout Sessions --------------------------------------------------------------------


def _public(session: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in session.items() if not k.startswith("_")}


def _refresh(session: dict[str, Any]) -> None:
    if session["status"] == "open" and time.time() >= session["expires_at"]:
        session["status"] = "expired"
        session["url"] = None


async def _expanded(session: dict[str, Any], expand: list[str]) -> dict[str, Any]:
    out = _public(session)
    pi_paths = [e for e in expand if e == "payment_intent" or e.startswith("payment_intent.")]
    if pi_paths and out.get("payment_intent"):
        rest = [p.split(".", 1)[1] for p in pi_paths if "." in p]
        query = [("expand[]", r) for r in rest]
        status, pi = await localstripe(
            "GET", f"/v1/payment_intents/{out['payment_intent']}", query=query
        )
        if status == 200:
            out["payment_intent"] = pi
    return out


async def session_create(request: web.Request) -> web.Response:
    p = await params_of(request)
    unknown = sorted(set(p) - SESSION_PARAMS)
    if unknown:
        return _err(400, f"Received unknown parameter: {unknown[0]}", param=unknown[0])
    if p.get("mode") != "payment":
        return _err(400, "This fake only supports mode=payment.", param="mode")
    items = p.get("line_items") or []
    if not items:
        return _err(400, "line_items is required in payment mode.", param="line_items")
    total, currency = 0, None
    for item in items:
        pd = item.get("price_data") or {}
        if not pd.get("currency") or "unit_amount" not in pd or not pd.get("product_data"):
            return _err(400, "Each line item needs price_data.", param="line_items")
        currency = pd["currency"]
        total += _int(pd["unit_amount"], "unit_amount") * _int(item.get("quantity", 1), "quantity")
    now = int(time.time())
    expires_at = _int(p.get("expires_at", now + SESSION_MAX_S), "expires_at")
    if not now + SESSION_MIN_S <= expires_at <= now + SESSION_MAX_S:
        return _err(
            400,
            "The `expires_at` timestamp must be between 30 minutes and 24 hours from "
            "Checkout Session creation.",
            param="expires_at",
        )
    sid = _rid("cs_test_", 40)
    port = request.url.port
    session = {
        "id": sid,
        "object": "checkout.session",
        "amount_total": total,
        "currency": currency,
        "client_reference_id": p.get("client_reference_id"),
        "created": now,
        "expires_at": expires_at,
        "livemode": False,
        "metadata": p.get("metadata") or {},
        "mode": "payment",
        "payment_intent": None,
        "payment_method_types": p.get("payment_method_types") or ["card"],
        "payment_status": "unpaid",
        "status": "open",
        "success_url": p.get("success_url"),
        "url": f"http://{HOST}:{port}/c/pay/{sid}",
        "_pi_metadata": (p.get("payment_intent_data") or {}).get("metadata") or {},
    }
    STATE.sessions[sid] = session
    return web.json_response(await _expanded(session, _expand_list(p)))


async def session_retrieve(request: web.Request) -> web.Response:
    session = STATE.sessions.get(request.match_info["id"])
    if session is None:
        return _err(404, f"No such checkout.session: '{request.match_info['id']}'")
    _refresh(session)
    return web.json_response(await _expanded(session, _expand_list(await params_of(request))))


def _created_ok(created: Any, value: int) -> bool:
    if created is None:
        return True
    if not isinstance(created, dict):
        return value == int(created)
    checks = {
        "gt": lambda b: value > b,
        "gte": lambda b: value >= b,
        "lt": lambda b: value < b,
        "lte": lambda b: value <= b,
    }
    return all(checks[k](int(v)) for k, v in created.items() if k in checks)


def _page(items: list[dict[str, Any]], p: dict[str, Any], url: str) -> dict[str, Any]:
    limit = min(_int(p.get("limit", 10), "limit"), 100)
    after = p.get("starting_after")
    if after:
        ids = [i["id"] for i in items]
        items = items[ids.index(after) + 1 :] if after in ids else []
    return {"object": "list", "url": url, "has_more": len(items) > limit, "data": items[:limit]}


async def session_list(request: web.Request) -> web.Response:
    p = await params_of(request)
    found = []
    # Newest first, as Stripe lists.
    for s in sorted(STATE.sessions.values(), key=lambda s: (s["created"], s["id"]), reverse=True):
        _refresh(s)
        if not _created_ok(p.get("created"), s["created"]):
            continue
        if p.get("payment_intent") and s["payment_intent"] != p["payment_intent"]:
            continue
        if p.get("status") and s["status"] != p["status"]:
            continue
        found.append(_public(s))
    return web.json_response(_page(found, p, "/v1/checkout/sessions"))


async def session_expire(request: web.Request) -> web.Response:
    session = STATE.sessions.get(request.match_info["id"])
    if session is None:
        return _err(404, f"No such checkout.session: '{request.match_info['id']}'")
    _refresh(session)
    if session["status"] != "open":
        return _err(
            400,
            'Only Checkout Sessions with a status in ["open"] can be expired. This '
            f'Checkout Session has a status of "{session["status"]}".',
        )
    session["status"] = "expired"
    session["url"] = None
    return web.json_response(_public(session))


async def session_pay(request: web.Request) -> web.Response:
    """Test only: the customer pays the session with `payment_method` (default a Visa)."""
    session = STATE.sessions.get(request.match_info["id"])
    if session is None:
        return _err(404, "no such session")
    _refresh(session)
    if session["status"] != "open":
        return _err(400, f"session is {session['status']}")
    p = await params_of(request)
    data = {
        "amount": str(session["amount_total"]),
        "currency": session["currency"],
        "payment_method": p.get("payment_method", "pm_card_visa"),
        "confirm": "true",
        "capture_method": "automatic",
    }
    for k, v in session["_pi_metadata"].items():
        data[f"metadata[{k}]"] = str(v)
    status, pi = await localstripe("POST", "/v1/payment_intents", data=data)
    if status != 200:
        # A declined card leaves the session open for another try, as Checkout does.
        return web.json_response(pi, status=status)
    session.update(status="complete", payment_status="paid", payment_intent=pi["id"], url=None)
    return web.json_response(_public(session))


# ---- Terminal --------------------------------------------------------------------------------


async def location_list(request: web.Request) -> web.Response:
    return web.json_response(
        _page(list(STATE.locations.values()), await params_of(request), "/v1/terminal/locations")
    )


async def location_create(request: web.Request) -> web.Response:
    p = await params_of(request)
    loc = {
        "id": _rid("tml_", 14),
        "object": "terminal.location",
        "display_name": p.get("display_name", "Venue"),
        "livemode": False,
        "metadata": p.get("metadata") or {},
    }
    STATE.locations[loc["id"]] = loc
    return web.json_response(loc)


async def reader_create(request: web.Request) -> web.Response:
    p = await params_of(request)
    code = p.get("registration_code", "")
    if code not in DEVICE_TYPES:
        return _err(
            400,
            f"The registration code '{code}' is invalid or has expired.",
            param="registration_code",
            code="terminal_reader_invalid_registration_code",
        )
    location = p.get("location")
    if location is not None and location not in STATE.locations:
        return _err(404, f"No such location: '{location}'", param="location")
    reader = {
        "id": _rid("tmr_", 14),
        "object": "terminal.reader",
        "action": None,
        "device_type": DEVICE_TYPES[code],
        "label": p.get("label") or code,
        "livemode": False,
        "location": location,
        "metadata": p.get("metadata") or {},
        "serial_number": _rid("SIM-", 10),
        "status": "online",
    }
    STATE.readers[reader["id"]] = reader
    return web.json_response(reader)


def _reader(request: web.Request) -> dict[str, Any] | None:
    return STATE.readers.get(request.match_info["id"])


async def reader_retrieve(request: web.Request) -> web.Response:
    reader = _reader(request)
    if reader is None:
        return _err(404, f"No such terminal.reader: '{request.match_info['id']}'")
    return web.json_response(reader)


async def reader_list(request: web.Request) -> web.Response:
    return web.json_response(
        _page(list(STATE.readers.values()), await params_of(request), "/v1/terminal/readers")
    )


async def reader_process(request: web.Request) -> web.Response:
    reader = _reader(request)
    if reader is None:
        return _err(404, f"No such terminal.reader: '{request.match_info['id']}'")
    p = await params_of(request)
    pi_id = p.get("payment_intent", "")
    action = reader["action"]
    if action and action["status"] == "in_progress":
        return _err(400, "Reader is currently busy.", code="terminal_reader_busy")
    status, pi = await localstripe("GET", f"/v1/payment_intents/{pi_id}")
    if status != 200:
        return _err(404, f"No such payment_intent: '{pi_id}'", param="payment_intent")
    if pi["status"] not in ("requires_payment_method", "requires_confirmation"):
        return _err(
            400,
            f"This PaymentIntent's status is {pi['status']}.",
            code="payment_intent_unexpected_state",
        )
    reader["action"] = {
        "type": "process_payment_intent",
        "status": "in_progress",
        "process_payment_intent": {"payment_intent": pi_id},
        "failure_code": None,
        "failure_message": None,
    }
    return web.json_response(reader)


async def reader_cancel(request: web.Request) -> web.Response:
    reader = _reader(request)
    if reader is None:
        return _err(404, f"No such terminal.reader: '{request.match_info['id']}'")
    action = reader["action"]
    if not action or action["status"] != "in_progress":
        return _err(400, "This reader has no action in progress to cancel.")
    reader["action"] = None
    return web.json_response(reader)


async def reader_present(request: web.Request) -> web.Response:
    """Test helper: the customer taps a card on a simulated reader."""
    reader = _reader(request)
    if reader is None:
        return _err(404, f"No such terminal.reader: '{request.match_info['id']}'")
    action = reader["action"]
    if not action or action["status"] != "in_progress":
        return _err(400, "The reader has no action in progress.")
    p = await params_of(request)
    number = (p.get("card_present") or {}).get("number", "4242424242424242")
    pm = "pm_card_chargeCustomerFail" if number in DECLINING_CARDS else "pm_card_visa"
    pi_id = action["process_payment_intent"]["payment_intent"]
    await localstripe("POST", f"/v1/payment_intents/{pi_id}", data={"payment_method": pm})
    status, body = await localstripe("POST", f"/v1/payment_intents/{pi_id}/confirm")
    if status == 200:
        action.update(status="succeeded")
    else:
        err = body.get("error", {}) if isinstance(body, dict) else {}
        action.update(
            status="failed",
            failure_code="card_declined",
            failure_message=err.get("message") or "Your card was declined.",
        )
    return web.json_response(reader)


# ---- PaymentIntent search -----------------------------------------------------------------------

_QUERY = re.compile(r"^metadata\['([^']+)'\]:'([^']*)'$")


async def pi_search(request: web.Request) -> web.Response:
    p = await params_of(request)
    m = _QUERY.match(str(p.get("query", "")).strip())
    if not m:
        return _err(400, "This fake searches only metadata['key']:'value'.", param="query")
    key, value = m.groups()
    found: list[dict[str, Any]] = []
    after = None
    while True:
        query = {"limit": "100", **({"starting_after": after} if after else {})}
        status, page = await localstripe("GET", "/v1/payment_intents", query=query)
        if status != 200:
            return web.json_response(page, status=status)
        found += [pi for pi in page["data"] if (pi.get("metadata") or {}).get(key) == value]
        if not page["has_more"] or not page["data"]:
            break
        after = page["data"][-1]["id"]
    found.sort(key=lambda pi: pi["created"], reverse=True)
    return web.json_response(
        {
            "object": "search_result",
            "url": "/v1/payment_intents/search",
            "has_more": False,
            "next_page": None,
            "data": found,
        }
    )


def build_app() -> web.Application:
    app = web.Application(middlewares=[auth, idempotency])
    r = app.router
    r.add_delete("/_config/data", reset)
    r.add_get("/_fake/log", log)
    r.add_post("/_fake/checkout/sessions/{id}/pay", session_pay)
    r.add_get("/v1/account", account)
    r.add_post("/v1/checkout/sessions", session_create)
    r.add_get("/v1/checkout/sessions", session_list)
    r.add_get("/v1/checkout/sessions/{id}", session_retrieve)
    r.add_post("/v1/checkout/sessions/{id}/expire", session_expire)
    r.add_get("/v1/terminal/locations", location_list)
    r.add_post("/v1/terminal/locations", location_create)
    r.add_post("/v1/terminal/readers", reader_create)
    r.add_get("/v1/terminal/readers", reader_list)
    r.add_get("/v1/terminal/readers/{id}", reader_retrieve)
    r.add_post("/v1/terminal/readers/{id}/process_payment_intent", reader_process)
    r.add_post("/v1/terminal/readers/{id}/cancel_action", reader_cancel)
    r.add_post("/v1/test_helpers/terminal/readers/{id}/present_payment_method", reader_present)
    r.add_get("/v1/payment_intents/search", pi_search)
    r.add_route("*", "/{tail:.*}", proxy)
    return app


def _listen(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    return sock


async def main(port: int) -> None:
    global LOCALSTRIPE
    ls_sock, api_sock = _listen(0), _listen(port)
    LOCALSTRIPE = f"http://{HOST}:{ls_sock.getsockname()[1]}"
    runners = []
    for app, sock in ((ls_server.app, ls_sock), (build_app(), api_sock)):
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        runners.append(runner)
    ports = {"api": api_sock.getsockname()[1], "localstripe": ls_sock.getsockname()[1]}
    print(json.dumps(ports), flush=True)
    # Exit when the test run that started us goes away (stdin closes).
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    for runner in runners:
        await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    asyncio.run(main(parser.parse_args().port))
