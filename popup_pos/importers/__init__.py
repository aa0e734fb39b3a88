"""Catalog readers for native, Shopify, Square and Loyverse CSV files."""
