"""End-of-night report of an event, and its export as CSV, XLSX, JSON or PDF."""

from __future__ import annotations

from popup_pos.domain.report import Report
from popup_pos.services.reports.building import (
    ReportError,
    build_report,
    event_tz,
    stock_lines,
)
from popup_pos.services.reports.experiences import nearest_rank
from popup_pos.services.reports.exporting import FORMATS, ExportResult, Format, export

__all__ = [
    "FORMATS",
    "ExportResult",
    "Format",
    "Report",
    "ReportError",
    "build_report",
    "event_tz",
    "export",
    "nearest_rank",
    "stock_lines",
]
