"""Tell which catalog format a file is in from its header row."""

from __future__ import annotations

from collections.abc import Sequence

from popup_pos.domain.catalog_file import NATIVE_COLUMNS, CatalogFileError, RowProblem
from popup_pos.importers.table import norm

FORMATS: tuple[str, ...] = ("native", "shopify", "square", "loyverse")

EXPECTED = (
    "a popup-pos catalog (sku, product, price), "
    "a Shopify product export (Handle, Title, Variant SKU, Variant Price; "
    "or since 2024 Title, URL handle, SKU, Price), "
    "a Square item library export (Item Name, Variation Name, SKU, Price) "
    "or a Loyverse items export (Handle, SKU, Name, Price [store])"
)


def detect_format(header: Sequence[str], *, path: str = "") -> str:
    """Return native, shopify, square or loyverse; anything else is a CatalogFileError."""
    exact = {h.strip() for h in header}
    names = {norm(h) for h in header}
    if {"sku", "product"} <= exact:
        return "native"
    if "handle" in names and names & {"variant sku", "variant price"}:
        return "shopify"
    if "url handle" in names and "title" in names:
        return "shopify"
    if {"item name", "variation name"} <= names:
        return "square"
    if {"handle", "sku", "name"} <= names:
        return "loyverse"
    if len(exact & set(NATIVE_COLUMNS)) >= max(2, len(exact) // 2):
        # Our own columns with one of the key ones missing: say which, not "unknown file".
        return "native"

    if "on hand (new)" in names or "available (not editable)" in names:
        hint = (
            "this is a Shopify inventory file, which has no prices; "
            "in Shopify use Products > Export instead"
        )
    else:
        shown = ", ".join(h for h in header[:6] if h.strip()) or "nothing"
        hint = f"its first line has {shown}"
    message = f"not a catalog file this app can read ({hint}); expected {EXPECTED}"
    raise CatalogFileError(path, [RowProblem(1, "", message)])
