"""Printable documents (label sheets, roll labels, receipts) drawn as PDF with ReportLab."""
