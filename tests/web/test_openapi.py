"""The OpenAPI document is well-formed: every reference resolves, every change keyed."""

from __future__ import annotations

from typing import Any

from popup_pos.web.openapi import DOCUMENT


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_every_reference_resolves() -> None:
    schemas = DOCUMENT["components"]["schemas"]
    for ref in _refs(DOCUMENT):
        assert ref.removeprefix("#/components/schemas/") in schemas, ref


def test_signed_in_routes_say_so() -> None:
    for path, ops in DOCUMENT["paths"].items():
        for op in ops.values():
            assert ("security" in op) == (path != "/api/pair"), path
