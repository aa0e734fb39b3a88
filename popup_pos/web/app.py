"""The helpers' phone server: a JSON API on the services, and the phone page's files."""

from __future__ import annotations

import asyncio
import json
import queue
import threading
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import qrcode
import qrcode.constants
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from popup_pos.domain.errors import PosError, StockError
from popup_pos.services import checkout, devices, events, phone_sales, staff
from popup_pos.services.database import for_worker
from popup_pos.store.uow import UnitOfWork
from popup_pos.web import openapi, scan

STATIC = Path(str(resources.files("popup_pos.web") / "static"))
MAX_JSON = 64 * 1024
NO_STORE = {"Cache-Control": "no-store"}
# The page runs only its own script, is never framed by another site, and its address
# (which may hold a pairing code) is never sent on as a referrer.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

Handler = Callable[[Request], Awaitable[Response]]
# One per process: every phone server of it (and the benchmark's in-process baseline).
WRITES = threading.Lock()
# How old the stock and queue a phone polls may be. Every phone sees the same state, so
# it is read once for all phones polling within this time instead of once per phone:
# reads that would otherwise hold up the sales under way. The page asks again a little
# after its own sale (phone.js, FRESH_AFTER_MS), so it never shows stock from before it.
STATE_MAX_AGE_S = 0.25
# Far more phones than an event pairs: a full cache of signed-in phones starts again.
MAX_PHONES_KEPT = 1000


# A change, the event loop of the request waiting for it, and where its answer goes.
_Job = tuple[Callable[[], Any], asyncio.AbstractEventLoop, "asyncio.Future[Any]"]


class Writer:
    """SQLite's one writer as a thread of its own: the phones' changes run one at a time,
    in the order they came. Queued on threads of a pool behind a lock instead, every one
    woke to fight over the lock and the interpreter as each change ended, and the lock let
    a late change overtake one that had waited longest."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._started = threading.Lock()
        self._thread: threading.Thread | None = None

    async def run(self, fn: Callable[[], Any]) -> Any:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Any] = loop.create_future()
        with self._started:
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="phone-writer", daemon=True)
                self._thread.start()
        self._jobs.put((fn, loop, done))
        return await done

    def _work(self) -> None:
        while True:
            fn, loop, done = self._jobs.get()
            result, error = None, None
            try:
                with WRITES:  # also the lock of whatever else in this process writes
                    result = fn()
            except BaseException as e:  # handed to the request, which answers with it
                error = e
            # RuntimeError: the server stopped meanwhile, and nobody waits for the answer.
            with suppress(RuntimeError):
                loop.call_soon_threadsafe(_settle, done, result, error)


def _settle(done: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if done.cancelled():  # the phone hung up; the change stands, its answer is stored
        return
    if error is not None:
        done.set_exception(error)
    else:
        done.set_result(result)


WRITER = Writer()


class SharedState:
    """The polled state, built by one request at a time and shared while it is fresh."""

    def __init__(self, build: Callable[[], bytes], max_age_s: float = STATE_MAX_AGE_S) -> None:
        self._build, self._max_age = build, max_age_s
        self._lock = threading.Lock()
        self._body = b""
        self._started = float("-inf")  # when the read behind `_body` began

    def get(self) -> bytes:
        """A state read no earlier than `max_age_s` before this call; on a worker thread."""
        asked = time.monotonic()
        with self._lock:  # the others wait for the one reading, then share its answer
            if self._started < asked - self._max_age:
                started = time.monotonic()
                self._body, self._started = self._build(), started
            return self._body


class ApiError(Exception):
    """An answer other than 200, with the one-line message the phone shows."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def _status_of(exc: PosError) -> int:
    if isinstance(exc, devices.NotSignedInError):
        return 401
    if isinstance(exc, phone_sales.StillRunningError):
        return 409
    if isinstance(exc, checkout.CheckoutError | StockError):
        return 409  # sold out meanwhile, an order in another state: the cart is stale
    return 400


def _refusal(exc: PosError) -> ApiError:
    """What the phone is told when a service refused."""
    if isinstance(exc, staff.PinWaitError):
        return ApiError(429, str(exc), {"Retry-After": str(exc.seconds)})
    return ApiError(_status_of(exc), str(exc))


class PhoneApi:
    """The routes, each on a unit of work of its own (connections are never shared)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.base = uow
        self.shared_state = SharedState(self._read_state)
        # SQLite takes one writer at a time and makes the others sleep and retry: queued
        # here instead, a sale waits only as long as the ones before it take.
        self.writer: Writer | None = WRITER if uow.dialect == "sqlite" else None
        # The phone each token signed in, for changes: what it names never changes, and
        # whether it is still signed in is read by the change's own transaction.
        self._phones: dict[str, devices.Phone] = {}

    def uow(self) -> UnitOfWork:
        return for_worker(self.base)

    def reader(self) -> UnitOfWork:
        """For reads: on SQLite it never takes the write lock, so polls never hold up sales."""
        return for_worker(self.base, read_only=True)

    # -- plumbing ---------------------------------------------------------------------

    async def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return await run_in_threadpool(fn, *args)
        except PosError as e:
            raise _refusal(e) from e

    @staticmethod
    def _token(request: Request) -> str:
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if not token:  # refused before the body is even read
            raise ApiError(401, "not signed in: scan the pairing QR on the register")
        return token

    async def _phone(self, request: Request) -> devices.Phone:
        token = self._token(request)
        phone: devices.Phone = await self._call(devices.authenticate, self.reader(), token)
        return phone

    async def _change(self, request: Request, fn: Callable[[devices.Phone], Any]) -> Any:
        """Check the token, then make the change: on SQLite in the writer's turn."""
        token = self._token(request)
        # The token is looked up once, not in the turn for SQLite's writer that every
        # queued change waits for: the change's own transaction reads whether the phone
        # is still signed in (phone_sales.once).
        phone = self._phones.get(token)
        if phone is None:
            phone = await self._call(devices.authenticate, self.reader(), token)
            if len(self._phones) >= MAX_PHONES_KEPT:
                self._phones.clear()
            self._phones[token] = phone
        try:
            if self.writer is None:
                return await self._call(fn, phone)
            try:
                return await self.writer.run(lambda: fn(phone))
            except PosError as e:
                raise _refusal(e) from e
        except ApiError as e:
            if e.status == 401:
                self._phones.pop(token, None)
            raise

    @staticmethod
    async def _json(request: Request) -> dict[str, Any]:
        body = await request.body()
        if len(body) > MAX_JSON:
            raise ApiError(413, "the request is too large")
        try:
            data = json.loads(body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "the request body is not valid JSON") from None
        if not isinstance(data, dict):
            raise ApiError(400, "the request body must be a JSON object")
        return data

    # -- sign-in ----------------------------------------------------------------------

    async def pair(self, request: Request) -> Response:
        data = await self._json(request)
        code, pin = data.get("code"), data.get("pin")
        if not isinstance(code, str) or not isinstance(pin, str):
            raise ApiError(400, "send the pairing code and the PIN as text")
        name = data.get("name") if isinstance(data.get("name"), str) else None
        uow = self.uow()
        paired: devices.Paired = await self._call(lambda: devices.pair(uow, code, pin, name=name))
        return JSONResponse(
            {"token": paired.token, "staff": paired.staff_name, "register": paired.register_code},
            headers=NO_STORE,
        )

    async def me(self, request: Request) -> Response:
        phone = await self._phone(request)
        uow = self.reader()
        event = await self._call(events.current_event, uow)
        wallets = await self._call(phone_sales.wallets, uow)
        return JSONResponse(
            {
                "staff": phone.staff_name,
                "role": phone.role,
                "register": phone.register_code,
                "event": event.name if event else None,
                "currency": event.currency if event else None,
                "wallets": wallets,
            }
        )

    # -- reading ----------------------------------------------------------------------

    def _read_state(self) -> bytes:
        uow = self.reader()
        state = {"stock": phone_sales.stock(uow), "queue": phone_sales.queue(uow)}
        return bytes(JSONResponse(state).body)

    async def state(self, request: Request) -> Response:
        token, reader = self._token(request), self.reader()

        def run() -> bytes:
            devices.authenticate(reader, token)
            return self.shared_state.get()

        body: bytes = await self._call(run)
        return Response(body, media_type="application/json", headers=NO_STORE)

    async def order(self, request: Request) -> Response:
        await self._phone(request)
        found = await self._call(phone_sales.find_order, self.reader(), request.path_params["code"])
        return JSONResponse(found)

    # -- changes ----------------------------------------------------------------------

    @staticmethod
    def _lines(data: dict[str, Any]) -> list[phone_sales.SaleLine]:
        raw = data.get("lines")
        if not isinstance(raw, list):
            raise ApiError(400, "lines must be a list of {sku, quantity}")
        lines = []
        for i, ln in enumerate(raw, 1):
            sku = ln.get("sku") if isinstance(ln, dict) else None
            qty = ln.get("quantity", 1) if isinstance(ln, dict) else None
            if not isinstance(sku, str) or type(qty) is not int or not 0 < qty <= 999:
                raise ApiError(400, f"line {i}: give a sku and a whole quantity from 1 to 999")
            note = ln.get("personalisation")
            lines.append(phone_sales.SaleLine(sku, qty, note if isinstance(note, str) else None))
        return lines

    async def sale(self, request: Request) -> Response:
        self._token(request)
        key = request.headers.get("idempotency-key", "")
        data = await self._json(request)
        lines = self._lines(data)
        customer = data.get("customer") if isinstance(data.get("customer"), str) else None
        tender = data.get("tender", "cash")
        uow = self.uow()
        if tender == "cash":
            tendered = data.get("tendered_cents")
            if tendered is not None and (type(tendered) is not int or tendered < 0):
                raise ApiError(400, "tendered_cents must be a whole number of cents")
            result = await self._change(
                request,
                lambda phone: phone_sales.sell_cash(
                    uow, phone, key, lines, tendered=tendered, customer=customer
                ),
            )
        elif tender == "later":
            result = await self._change(
                request,
                lambda phone: phone_sales.place_for_payment(
                    uow, phone, key, lines, customer=customer
                ),
            )
        else:
            raise ApiError(400, "tender must be cash or later (then ask for a payment QR)")
        return JSONResponse(result)

    async def payment_qr(self, request: Request) -> Response:
        phone = await self._phone(request)
        data = await self._json(request)
        method = data.get("method")
        if not isinstance(method, str):
            raise ApiError(400, "method must be stripe or wallet:NAME")
        code = request.path_params["code"]
        result = await self._call(phone_sales.payment_qr, self.uow(), phone, code, method)
        return JSONResponse({**result, "svg": qr_svg(result["url"])})

    async def wallet_received(self, request: Request) -> Response:
        self._token(request)
        key = request.headers.get("idempotency-key", "")
        data = await self._json(request)
        wallet = data.get("wallet")
        if not isinstance(wallet, str):
            raise ApiError(400, "wallet must be venmo, cashapp or paypal")
        code = request.path_params["code"]
        uow = self.uow()
        result = await self._change(
            request, lambda phone: phone_sales.wallet_received(uow, phone, key, code, wallet)
        )
        return JSONResponse(result)

    async def hand_over(self, request: Request) -> Response:
        key = request.headers.get("idempotency-key", "")
        code = request.path_params["code"]
        uow = self.uow()
        result = await self._change(
            request, lambda phone: phone_sales.hand_over(uow, phone, key, code)
        )
        return JSONResponse(result)

    async def call_next(self, request: Request) -> Response:
        key = request.headers.get("idempotency-key", "")
        uow = self.uow()
        result = await self._change(request, lambda phone: phone_sales.call_next(uow, phone, key))
        return JSONResponse(result)

    async def move_ticket(self, request: Request) -> Response:
        self._token(request)
        key = request.headers.get("idempotency-key", "")
        data = await self._json(request)
        status = data.get("status")
        if not isinstance(status, str):
            raise ApiError(400, "status must be done or no_show")
        ticket_id = request.path_params["ticket_id"]
        uow = self.uow()
        result = await self._change(
            request, lambda phone: phone_sales.move_ticket(uow, phone, key, ticket_id, status)
        )
        return JSONResponse(result)

    async def scan_photo(self, request: Request) -> Response:
        await self._phone(request)
        if int(request.headers.get("content-length") or 0) > scan.MAX_PHOTO:
            raise ApiError(413, "the photo is too large (at most 12 MB)")
        async with request.form(max_files=1, max_fields=2) as form:
            photo = form.get("photo")
            if photo is None or isinstance(photo, str):
                raise ApiError(400, "send the photo as the form field 'photo'")
            data = await photo.read(scan.MAX_PHOTO + 1)
        if len(data) > scan.MAX_PHOTO:
            raise ApiError(413, "the photo is too large (at most 12 MB)")
        codes = await run_in_threadpool(scan.decode, data)
        if codes is None:
            raise ApiError(400, "that file is not a photo the server can read")
        if not codes:
            raise ApiError(404, "no code found in the photo: try closer, or type the number")
        return JSONResponse({"codes": codes})

    # -- pages ------------------------------------------------------------------------

    @staticmethod
    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={**NO_STORE, **PAGE_HEADERS})

    @staticmethod
    async def openapi_document(request: Request) -> Response:
        return JSONResponse(openapi.DOCUMENT)


def qr_svg(text: str) -> str:
    """A QR as inline SVG, drawn by the server so the page needs no script library."""
    qr = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(text)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix)
    cells = "".join(
        f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{cells}" fill="#000"/></svg>'
    )


def _same_origin(request: Request) -> bool:
    """A browser's cross-site request names its page's origin: it must be this server."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _guard(api: PhoneApi) -> Callable[[Handler], Handler]:
    """Wrap a route: cross-site checks on changes, and every error as a one-line JSON."""

    def wrap(handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            started = time.perf_counter()
            try:
                if request.method != "GET" and not _same_origin(request):
                    raise ApiError(403, "requests from other sites are refused")
                response = await handler(request)
            except ApiError as e:
                response = JSONResponse({"error": e.message}, e.status, headers=e.headers)
            # How long the server took, for the benchmark and a browser's network panel.
            took = (time.perf_counter() - started) * 1000
            response.headers["Server-Timing"] = f"app;dur={took:.2f}"
            return response

        return guarded

    return wrap


def make_app(uow: UnitOfWork) -> Starlette:
    """The server's application on the database of `uow` (each request gets its own)."""
    api = PhoneApi(uow)
    g = _guard(api)
    routes = [
        Route("/", api.index),
        Route("/openapi.json", g(api.openapi_document)),
        Route("/api/pair", g(api.pair), methods=["POST"]),
        Route("/api/me", g(api.me)),
        Route("/api/state", g(api.state)),
        Route("/api/sales", g(api.sale), methods=["POST"]),
        Route("/api/orders/{code}", g(api.order)),
        Route("/api/orders/{code}/hand-over", g(api.hand_over), methods=["POST"]),
        Route("/api/orders/{code}/payment-qr", g(api.payment_qr), methods=["POST"]),
        Route("/api/orders/{code}/wallet-received", g(api.wallet_received), methods=["POST"]),
        Route("/api/queue/call-next", g(api.call_next), methods=["POST"]),
        Route("/api/queue/{ticket_id:int}", g(api.move_ticket), methods=["POST"]),
        Route("/api/scan", g(api.scan_photo), methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        message = "no such page" if status == 404 else "the server could not answer that"
        if status == 405:
            message = "that method is not allowed here"
        return JSONResponse({"error": message}, status)

    return Starlette(routes=routes, exception_handlers={HTTPException: not_found, 500: not_found})
