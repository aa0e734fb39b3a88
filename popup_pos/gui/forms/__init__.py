"""Compiled Qt Designer forms, generated from ui/ by packaging/compile_forms.py."""
