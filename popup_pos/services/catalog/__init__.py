"""Catalog use cases: look up, search, list, edit, and import or export whole catalogs."""

from __future__ import annotations

from popup_pos.services.catalog.importing import import_catalog
from popup_pos.services.catalog.lookups import (
    DEFAULT_LOW_STOCK,
    KINDS,
    CatalogError,
    VariantView,
    export_rows,
    find_by_code,
    list_variants,
    search,
    snapshot,
    stock_levels,
    update_variant,
    version,
    view,
)
from popup_pos.services.catalog.planning import ImportReport

__all__ = [
    "DEFAULT_LOW_STOCK",
    "KINDS",
    "CatalogError",
    "ImportReport",
    "VariantView",
    "export_rows",
    "find_by_code",
    "import_catalog",
    "list_variants",
    "search",
    "snapshot",
    "stock_levels",
    "update_variant",
    "version",
    "view",
]
