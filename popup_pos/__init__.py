"""popup-pos: point of sale for pop-up shops, merch tables and afterparty events."""

__version__ = "0.1.0"
