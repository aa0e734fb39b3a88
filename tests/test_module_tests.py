"""Every module of popup_pos has its test file, tests/<same path>/test_<name>.py, or is
listed below with the test file that covers it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.test_layers import PACKAGE, ROOT, Graph

TESTS = Path(__file__).resolve().parent

# Generated forms and migrations are checked by tests/gui/test_forms.py and
# tests/store/test_migrations.py as a whole.
EXCLUDED = ("popup_pos.gui.forms", "popup_pos.store.migrations")

# Modules without a test file of their own (a package's is named after it, in its folder:
# tests/cli/test_cli.py), and the test file that covers them: it
# imports the module, or a module that imports it, or (for __main__) runs the package.
# A module that gains its own test file must leave this list.
COVERED_ELSEWHERE: dict[str, str] = {
    "popup_pos": "cli/test_cli.py",
    "popup_pos.__main__": "cli/test_cli.py",
    "popup_pos.cli.catalog": "cli/test_cli.py",
    "popup_pos.cli.common": "cli/test_errors.py",
    "popup_pos.cli.stock": "cli/test_cli.py",
    "popup_pos.config": "test_files.py",
    "popup_pos.documents.report_sections": "documents/test_report.py",
    "popup_pos.documents.report_style": "documents/test_report.py",
    "popup_pos.domain.catalog_file": "importers/test_reader.py",
    "popup_pos.domain.customers": "services/test_limits.py",
    "popup_pos.domain.errors": "domain/test_money.py",
    "popup_pos.exports.common": "exports/test_event_export.py",
    "popup_pos.exports.json_document": "exports/test_event_export.py",
    "popup_pos.exports.tables": "exports/test_event_export.py",
    "popup_pos.exports.workbook": "exports/test_event_export.py",
    "popup_pos.gui.about": "gui/dialogs/test_kit.py",
    "popup_pos.gui.app": "gui/test_start.py",
    "popup_pos.gui.dialogs.payment_qr": "gui/selling/test_payment_qr.py",
    "popup_pos.gui.cart_panel": "gui/test_main_window.py",
    "popup_pos.gui.close_result": "gui/test_close_event.py",
    "popup_pos.gui.dialogs.cash_count": "gui/test_dialogs.py",
    "popup_pos.gui.dialogs.first_run": "gui/test_dialogs.py",
    "popup_pos.gui.dialogs.open_event": "gui/test_dialogs.py",
    "popup_pos.gui.dialogs.pin": "gui/test_dialogs.py",
    "popup_pos.gui.dialogs.settings": "gui/test_dialogs.py",
    "popup_pos.gui.dialogs.stripe_page": "gui/test_settings_stripe.py",
    "popup_pos.gui.help": "gui/test_main_window.py",
    "popup_pos.gui.keypad": "gui/selling/test_tender.py",
    "popup_pos.gui.refund": "gui/test_stripe_sales.py",
    "popup_pos.gui.report_export": "gui/test_report_view.py",
    "popup_pos.gui.report_parts": "gui/test_report_view.py",
    "popup_pos.gui.selling.cart": "gui/test_main_window.py",
    "popup_pos.gui.selling.tickets": "gui/test_queue.py",
    "popup_pos.gui.selling.orders": "gui/test_stripe_sales.py",
    "popup_pos.gui.selling.tools": "gui/test_main_window.py",
    "popup_pos.gui.selling.window": "gui/test_main_window.py",
    "popup_pos.importers.base": "importers/test_reader.py",
    "popup_pos.importers.codes": "services/test_codes.py",
    "popup_pos.importers.detect": "importers/test_reader.py",
    "popup_pos.importers.table": "importers/test_reader.py",
    "popup_pos.payments.base": "payments/test_gateway.py",
    "popup_pos.payments.stripe_api": "payments/test_gateway.py",
    "popup_pos.payments.stripe_card": "services/test_payments.py",
    "popup_pos.payments.stripe_qr": "services/test_payments.py",
    "popup_pos.services.checkout": "services/test_checkout.py",
    "popup_pos.services.checkout.cancelling": "services/test_checkout.py",
    "popup_pos.services.checkout.common": "services/test_checkout.py",
    "popup_pos.services.checkout.deliveries": "services/test_tickets.py",
    "popup_pos.services.checkout.editions": "services/test_checkout.py",
    "popup_pos.services.checkout.orders": "services/test_checkout.py",
    "popup_pos.services.checkout.parking": "services/test_limits.py",
    "popup_pos.services.checkout.paying": "services/test_checkout.py",
    "popup_pos.services.checkout.placing": "services/test_checkout.py",
    "popup_pos.services.checkout.quoting": "services/test_checkout.py",
    "popup_pos.services.checkout.refunding": "services/test_checkout.py",
    "popup_pos.services.checkout.reserving": "services/test_checkout.py",
    "popup_pos.services.checkout.settling": "services/test_payments.py",
    "popup_pos.services.database": "store/test_backup.py",
    "popup_pos.services.audit": "services/test_audit.py",
    "popup_pos.services.audit.anchor": "services/test_audit.py",
    "popup_pos.services.audit.chain": "services/test_audit.py",
    "popup_pos.services.audit.verify": "services/test_audit.py",
    "popup_pos.services.catalog": "services/test_catalog.py",
    "popup_pos.services.catalog.importing": "services/test_catalog.py",
    "popup_pos.services.catalog.lookups": "services/test_catalog.py",
    "popup_pos.services.catalog.planning": "services/test_catalog.py",
    "popup_pos.services.event_terms": "gui/test_dialogs.py",
    "popup_pos.services.payments": "services/test_payments.py",
    "popup_pos.services.payments.account": "cli/test_stripe.py",
    "popup_pos.services.payments.attempts": "services/test_payments.py",
    "popup_pos.services.payments.card": "services/test_payments.py",
    "popup_pos.services.payments.cash_and_wallets": "services/test_tenders.py",
    "popup_pos.services.payments.connection": "services/test_payments.py",
    "popup_pos.services.payments.qr": "services/test_payments.py",
    "popup_pos.services.payments.refunds": "services/test_payments.py",
    "popup_pos.services.payments.results": "services/test_payments.py",
    "popup_pos.services.payments.settle": "services/test_payments.py",
    "popup_pos.services.reports": "services/test_reports.py",
    "popup_pos.services.reports.building": "services/test_reports.py",
    "popup_pos.services.reports.exporting": "exports/test_event_export.py",
    "popup_pos.services.reports.experiences": "services/test_reports_profit.py",
    "popup_pos.services.reports.sections": "services/test_reports.py",
    "popup_pos.services.views": "services/test_startup.py",
    "popup_pos.store.audit": "services/test_audit.py",
    "popup_pos.store.catalog": "store/test_first_screen.py",
    "popup_pos.store.codes": "services/test_codes.py",
    "popup_pos.store.events": "services/test_events.py",
    "popup_pos.store.migrate": "store/test_migrations.py",
    "popup_pos.store.models": "store/test_migrations.py",
    "popup_pos.store.payments": "services/test_payments.py",
    "popup_pos.store.reports": "store/test_reports.py",
    "popup_pos.store.reports.aggregates": "store/test_reports.py",
    "popup_pos.store.reports.common": "store/test_reports.py",
    "popup_pos.store.reports.facts": "store/test_reports.py",
    "popup_pos.store.reports.records": "store/test_reports.py",
    "popup_pos.store.reports.streams": "store/test_reports.py",
    "popup_pos.store.staff": "services/test_staff.py",
    "popup_pos.store.tickets": "services/test_tickets.py",
}

# Modules no test file reaches directly (by importing them or a module importing them).
# This list only shrinks.
UNTESTED: dict[str, str] = {
    "popup_pos.payments.cash": "imported by nothing",
    "popup_pos.services.queue": "run only by the selling screen's refresh, in GUI tests",
    "popup_pos.store.queue": "run only through services.queue",
}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph(ROOT, PACKAGE)


def _has_code(module_path: Path) -> bool:
    body = ast.parse(module_path.read_text(encoding="utf-8")).body
    return any(
        not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)) for stmt in body
    )


def _own_test(graph: Graph, name: str) -> Path:
    module = graph.modules[name]
    rel = module.path.relative_to(ROOT)
    # A package's own test is named after it, inside its folder: tests/cli/test_cli.py.
    stem = (rel.parent.name or graph.package) if module.is_package else rel.stem
    return TESTS / rel.parent / f"test_{stem}.py"


def _checked(graph: Graph) -> list[str]:
    return [
        name
        for name, module in graph.modules.items()
        if not name.startswith(EXCLUDED) and _has_code(module.path)
    ]


def _imports_of(graph: Graph, test_file: Path, seen: frozenset[Path] = frozenset()) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(test_file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(graph.resolve(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("tests."):
                # A shared test helper (tests/gui/conftest.py, say) imports for its tests.
                helper = ROOT.parent.joinpath(*node.module.split(".")).with_suffix(".py")
                if helper.is_file() and helper not in seen:
                    names |= _imports_of(graph, helper, seen | {test_file})
                continue
            names.update(
                graph.resolve(f"{node.module}.{alias.name}")
                if f"{node.module}.{alias.name}" in graph.modules
                else graph.resolve(node.module)
                for alias in node.names
            )
    return names


def _covers(graph: Graph, test_file: Path, name: str) -> bool:
    if name.endswith(".__main__"):
        package = name.rsplit(".", 1)[0]
        return f'"-m", "{package}"' in test_file.read_text(encoding="utf-8")
    imported = _imports_of(graph, test_file)
    # A package whose modules stand behind one public surface (its __init__) is used
    # through that surface: importing it reaches the modules it imports.
    imported |= {
        e.imported
        for e in graph.edges
        if e.importer in imported
        and graph.modules[e.importer].is_package
        and e.imported.startswith(f"{e.importer}.")
    }
    importers = {e.importer for e in graph.edges if e.imported == name}
    return name in imported or bool(imported & importers)


def test_every_module_has_a_test_file_or_is_listed(graph):
    missing = [
        name
        for name in _checked(graph)
        if not _own_test(graph, name).is_file()
        and name not in COVERED_ELSEWHERE
        and name not in UNTESTED
    ]
    assert missing == [], f"add tests/<same path>/test_<name>.py for: {missing}"


def test_the_lists_only_shrink(graph):
    checked = set(_checked(graph))
    stale = [
        f"{name}: {'gone' if name not in checked else 'has its own test file now'}"
        for name in [*COVERED_ELSEWHERE, *UNTESTED]
        if name not in checked or _own_test(graph, name).is_file()
    ]
    assert stale == [], f"remove from the lists: {stale}"


def test_the_covering_test_files_reach_their_modules(graph):
    wrong = [
        f"{name}: {test}"
        for name, test in COVERED_ELSEWHERE.items()
        if not (TESTS / test).is_file() or not _covers(graph, TESTS / test, name)
    ]
    assert wrong == [], f"these test files do not reach the module: {wrong}"


def test_the_own_test_file_path_mirrors_the_package(graph):
    assert _own_test(graph, "popup_pos.store.uow") == TESTS / "store" / "test_uow.py"
    assert _own_test(graph, "popup_pos.cli") == TESTS / "cli" / "test_cli.py"
    assert _own_test(graph, "popup_pos") == TESTS / "test_popup_pos.py"
    assert _own_test(graph, "popup_pos.files") == TESTS / "test_files.py"


# Past this a module is hard to hold in one's head; generated forms and migrations aside.
MAX_LINES = 600


def test_no_hand_written_module_is_too_long():
    long = {
        str(path.relative_to(ROOT.parent)): n
        for path in sorted(ROOT.rglob("*.py"))
        if not {"forms", "migrations"} & set(path.relative_to(ROOT).parts)
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these modules (over {MAX_LINES} lines): {long}"
