"""The phone API's OpenAPI document, written by hand beside the routes it describes."""

from __future__ import annotations

from typing import Any

from popup_pos import __version__


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json({"$ref": "#/components/schemas/Error"})}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _ok(ref: str) -> dict[str, Any]:
    return {"description": "done", "content": _json({"$ref": f"#/components/schemas/{ref}"})}


SIGNED_IN: list[dict[str, list[str]]] = [{"token": []}]
KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": True,
    "description": "One per change the phone means to make; a retry with the same key "
    "gets the first answer and never repeats the change.",
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
}
CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "An order number (P1-0007, p1-7) or a scanned payment QR's text.",
    "schema": {"type": "string"},
}
REFUSED = {
    "400": _error("bad input: malformed JSON, unknown SKU, a wrong PIN"),
    "401": _error("no token, or a token that no longer holds"),
    "403": _error("a request from another site"),
}


def _change(summary: str, ok: str, body: str | None = None, **extra: Any) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "security": SIGNED_IN,
        "parameters": [KEY, *extra.pop("parameters", [])],
        "responses": {
            "200": _ok(ok),
            **REFUSED,
            "409": _error("sold out meanwhile, or the same request is still running"),
        },
    }
    if body:
        op["requestBody"] = {
            "required": True,
            "content": _json({"$ref": f"#/components/schemas/{body}"}),
        }
    return op


def _read(summary: str, ok: str, *parameters: dict[str, Any]) -> dict[str, Any]:
    return {
        "summary": summary,
        "security": SIGNED_IN,
        "parameters": list(parameters),
        "responses": {"200": _ok(ok), **REFUSED},
    }


_OBJ: dict[str, Any] = {"type": "object", "additionalProperties": True}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "popup-pos helpers' phones",
        "version": __version__,
        "description": "Served by a register for helpers' phones on the venue network. "
        "Sign in by pairing (a one-time code from the register's QR and a staff PIN); "
        "send the token as `Authorization: Bearer TOKEN`. Money is in minor units.",
    },
    "components": {
        "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}},
            },
            "Pair": {
                "type": "object",
                "required": ["code", "pin"],
                "properties": {
                    "code": {"type": "string"},
                    "pin": {"type": "string"},
                    "name": {"type": "string", "description": "what the phone is called"},
                },
            },
            "Paired": {
                "type": "object",
                "properties": {
                    "token": {"type": "string"},
                    "staff": {"type": "string"},
                    "register": {"type": "string", "example": "P1"},
                },
            },
            "Me": _OBJ,
            "State": {
                "type": "object",
                "properties": {"stock": _OBJ, "queue": _OBJ},
            },
            "Sale": {
                "type": "object",
                "required": ["lines"],
                "properties": {
                    "lines": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["sku"],
                            "properties": {
                                "sku": {"type": "string"},
                                "quantity": {"type": "integer", "minimum": 1, "maximum": 999},
                                "personalisation": {"type": "string"},
                            },
                        },
                    },
                    "tender": {"enum": ["cash", "later"], "default": "cash"},
                    "tendered_cents": {"type": "integer", "minimum": 0},
                    "customer": {"type": "string", "description": "for per-person limits"},
                },
            },
            "Sold": {
                "type": "object",
                "properties": {
                    "order": {"type": "string", "example": "P1-0007"},
                    "status": {"type": "string"},
                    "total_cents": {"type": "integer"},
                    "paid_cents": {"type": "integer"},
                    "change_cents": {"type": "integer"},
                    "editions": _OBJ,
                },
            },
            "Order": _OBJ,
            "PaymentQr": {
                "type": "object",
                "required": ["method"],
                "properties": {"method": {"type": "string", "example": "wallet:venmo"}},
            },
            "Link": {
                "type": "object",
                "properties": {"order": {"type": "string"}, "url": {"type": "string"}},
            },
            "Wallet": {
                "type": "object",
                "required": ["wallet"],
                "properties": {"wallet": {"enum": ["venmo", "cashapp", "paypal"]}},
            },
            "Ticket": {
                "type": "object",
                "properties": {"status": {"enum": ["called", "done", "no_show"]}},
            },
            "Codes": {
                "type": "object",
                "properties": {"codes": {"type": "array", "items": {"type": "string"}}},
            },
        },
    },
    "paths": {
        "/api/pair": {
            "post": {
                "summary": "Sign a phone in: the pairing code and a staff PIN (throttled)",
                "requestBody": {
                    "required": True,
                    "content": _json({"$ref": "#/components/schemas/Pair"}),
                },
                "responses": {
                    "200": _ok("Paired"),
                    "400": _error("wrong PIN, or a used or expired code"),
                    "429": _error("too many wrong PINs: wait (Retry-After)"),
                },
            }
        },
        "/api/me": {"get": _read("Who is signed in, as which register", "Me")},
        "/api/state": {"get": _read("Stock and the ticket queue (poll it)", "State")},
        "/api/sales": {"post": _change("Sell: cash now, or later by a payment QR", "Sold", "Sale")},
        "/api/orders/{code}": {"get": _read("An order: what to hand over", "Order", CODE)},
        "/api/orders/{code}/hand-over": {
            "post": _change("Mark a paid order handed over", "Order", parameters=[CODE])
        },
        "/api/orders/{code}/payment-qr": {
            "post": {
                "summary": "The link for the customer's payment QR (asking again: the same)",
                "security": SIGNED_IN,
                "parameters": [CODE],
                "requestBody": {
                    "required": True,
                    "content": _json({"$ref": "#/components/schemas/PaymentQr"}),
                },
                "responses": {"200": _ok("Link"), **REFUSED},
            }
        },
        "/api/orders/{code}/wallet-received": {
            "post": _change(
                "The wallet payment arrived: record it and hand the order over",
                "Sold",
                "Wallet",
                parameters=[CODE],
            )
        },
        "/api/queue/call-next": {"post": _change("Call the next ticket", "Order")},
        "/api/queue/{ticket_id}": {
            "post": _change(
                "Call a ticket (its slip was scanned), or mark it done or a no-show",
                "Order",
                "Ticket",
                parameters=[
                    {
                        "name": "ticket_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
            )
        },
        "/api/scan": {
            "post": {
                "summary": "Read the codes in a photo (where the browser cannot scan live)",
                "security": SIGNED_IN,
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {"photo": {"type": "string", "format": "binary"}},
                            }
                        }
                    },
                },
                "responses": {
                    "200": _ok("Codes"),
                    **REFUSED,
                    "404": _error("no code found in the photo"),
                    "413": _error("the photo is too large"),
                },
            }
        },
    },
}
