"""Deferred modules: imported on first use, read through afterwards."""

from __future__ import annotations

import sys

from popup_pos.gui.lazy import Deferred


def test_a_deferred_module_is_imported_on_first_use(monkeypatch):
    monkeypatch.delitem(sys.modules, "json.tool", raising=False)
    tool = Deferred("json.tool")
    assert "json.tool" not in sys.modules
    assert callable(tool.main)
    assert "json.tool" in sys.modules
    assert "json.tool" in repr(tool)


def test_it_reads_through_to_the_module_as_it_is_now(monkeypatch):
    import json

    deferred = Deferred("json")
    monkeypatch.setattr(json, "dumps", lambda *_a, **_k: "patched")
    assert deferred.dumps({}) == "patched"
