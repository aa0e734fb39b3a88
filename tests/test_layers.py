"""The layer contract of DESIGN.md, checked on the real import graph of popup_pos.

Every import counts: module-level, function-level (a deferred import is still a
dependency, and hiding a cycle in a function is what the rule is for), `if TYPE_CHECKING:`
(a type named in a signature ties the two modules as much as a call does, and a rule a
type-only import could dodge would not hold), relative imports, and string imports:
`importlib.import_module(...)` / `__import__(...)` and calls of the project's own
wrappers of them (`gui.lazy.Deferred`), with the name followed through f-strings, loop
variables and module-level string tables, also tables imported from other modules. A
dynamic import whose name cannot be followed fails the check instead of being skipped.

Not counted: the implicit import of a package's `__init__` when one of its submodules is
imported (every submodule would otherwise form a cycle with its package).
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "popup_pos"
PACKAGE = "popup_pos"

# ---------------------------------------------------------------------------------------
# The contract
# ---------------------------------------------------------------------------------------

# Top to bottom: (layer, its groups, whether its groups are independent). A module may
# import its own group and the layers below; the groups of an independent layer never
# import one another.
LAYERS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("program", ("__main__",), False),
    ("entry points", ("gui", "cli", "web"), True),
    ("services", ("services",), False),
    ("adapters", ("payments", "documents", "exports", "importers", "mail"), True),
    ("store", ("store",), False),
    # The package itself (its __version__), the paths, the owner-only files and the
    # keyring's secrets: for any layer but the domain.
    ("kernel", ("", "config", "files", "keychain"), False),
    ("domain", ("domain",), False),
)

# What the entry points may use from below the services: the unit of work they build (by
# services.database.open_database or services.startup.open_on_first_use) and hand to the
# services. Nothing else from store, no adapter, no SQLAlchemy.
ENTRY_POINTS = ("gui", "cli", "web")
ENTRY_MAY_USE_FROM_STORE = ("popup_pos.store.uow",)
ENTRY_MAY_NOT_USE = ("store", "payments", "documents", "exports", "importers", "mail")
# Running `popup-pos` with no command starts the selling screen: the command line may load
# the GUI's start-up module, and only that one.
# `popup-pos serve` and the Settings switch run the phone server: both may load the module
# that starts it, and only that one.
SIBLING_EXCEPTIONS = {
    ("cli", "popup_pos.gui.app"),
    ("cli", "popup_pos.web.server"),
    ("gui", "popup_pos.web.server"),
}

# (libraries, the only groups that may import them)
LIBRARIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Qt only in gui", ("PySide6", "shiboken6"), ("gui",)),
    ("stripe only in payments", ("stripe",), ("payments",)),
    ("ReportLab only in documents", ("reportlab",), ("documents",)),
    ("SMTP only in mail", ("smtplib",), ("mail",)),
    ("the web framework only in web", ("starlette", "uvicorn", "multipart"), ("web",)),
    ("SQL only in store", ("sqlalchemy", "alembic", "sqlite3", "psycopg"), ("store",)),
)

# ---------------------------------------------------------------------------------------
# Known violations. Each names the rule it breaks. The check fails on any violation not
# listed here and on any entry that no longer happens: this list only shrinks.
# ---------------------------------------------------------------------------------------

ALLOWED_VIOLATIONS: dict[tuple[str, str], str] = {}

# Import cycles, each as the modules of one strongly connected component; a cycle counts
# all imports, so one closed only by a function-level or a type-only import is still one.
ALLOWED_CYCLES: list[frozenset[str]] = []

# ---------------------------------------------------------------------------------------
# The import graph
# ---------------------------------------------------------------------------------------

DYNAMIC_IMPORTERS = {"importlib.import_module", "__import__"}
_DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


class UnresolvedImportError(Exception):
    """A dynamic import the checker cannot follow: it refuses rather than skip it."""


@dataclass(frozen=True, slots=True)
class Edge:
    importer: str
    imported: str  # a module of the package, or a third-party/standard top-level name
    line: int
    how: str  # "import", "function", "type-checking", "string"


@dataclass
class Module:
    name: str
    path: Path
    is_package: bool
    tree: ast.Module
    text: str
    # Names bound at module level by imports: local name -> (module, attribute or None).
    bindings: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    # Module-level assignments of constant expressions.
    constants: dict[str, ast.expr] = field(default_factory=dict)


class Graph:
    """Modules of one package under `root` and every import between them and out of them."""

    def __init__(self, root: Path, package: str) -> None:
        self.root = root
        self.package = package
        self.modules: dict[str, Module] = {}
        for path in sorted(root.rglob("*.py")):
            rel = path.relative_to(root).with_suffix("").parts
            is_package = rel[-1] == "__init__"
            parts = (package, *rel[:-1]) if is_package else (package, *rel)
            name = ".".join(parts)
            text = path.read_text(encoding="utf-8")
            self.modules[name] = Module(name, path, is_package, ast.parse(text, str(path)), text)
        for module in self.modules.values():
            self._scan_bindings(module)
        self.loaders = self._find_loaders()
        edges: dict[Edge, None] = {}
        for module in self.modules.values():
            edges.update(dict.fromkeys(self._edges_of(module)))
        self.edges = list(edges)

    # -- names --------------------------------------------------------------------------

    def resolve(self, dotted: str) -> str:
        """The package module `dotted` names (the longest existing prefix), else the
        top-level name of an outside module."""
        if dotted == self.package or dotted.startswith(self.package + "."):
            parts = dotted.split(".")
            for end in range(len(parts), 0, -1):
                candidate = ".".join(parts[:end])
                if candidate in self.modules:
                    return candidate
            return self.package
        return dotted.split(".")[0]

    def _absolute(self, module: Module, node: ast.ImportFrom) -> str:
        if node.level == 0:
            return node.module or ""
        base = module.name.split(".")
        if not module.is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        return ".".join([*base, node.module] if node.module else base)

    def _from_target(self, source: str, name: str) -> str:
        sub = f"{source}.{name}"
        return sub if sub in self.modules else self.resolve(source)

    def _scan_bindings(self, module: Module) -> None:
        for node in module.tree.body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        module.bindings[alias.asname] = (alias.name, None)
                    else:
                        top = alias.name.split(".")[0]
                        module.bindings[top] = (top, None)
            elif isinstance(node, ast.ImportFrom):
                source = self._absolute(module, node)
                for alias in node.names:
                    sub = f"{source}.{alias.name}"
                    if sub in self.modules:
                        module.bindings[alias.asname or alias.name] = (sub, None)
                    else:
                        module.bindings[alias.asname or alias.name] = (source, alias.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        module.constants[target.id] = node.value
            elif isinstance(node, ast.If):
                # `if TYPE_CHECKING: … else: …` binds at module level too.
                holder = Module(module.name, module.path, module.is_package, ast.Module([], []), "")
                for branch in (node.body, node.orelse):
                    holder.tree.body = branch
                    self._scan_bindings(holder)
                for key, value in holder.bindings.items():
                    module.bindings.setdefault(key, value)
                for key, expr in holder.constants.items():
                    module.constants.setdefault(key, expr)

    def _qualified(self, module: Module, node: ast.expr) -> str | None:
        """`importlib.import_module` for a call target, through import aliases."""
        if isinstance(node, ast.Name):
            if node.id in module.bindings:
                source, attr = module.bindings[node.id]
                return f"{source}.{attr}" if attr else source
            return node.id
        if isinstance(node, ast.Attribute):
            base = self._qualified(module, node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    # -- loaders: functions and classes of the package that import a name they are given -

    def _find_loaders(self) -> set[str]:
        loaders: set[str] = set()
        for module in self.modules.values():
            if not _may_import_dynamically(module.text, ()):
                continue
            for top in module.tree.body:
                if not isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    continue
                for node in ast.walk(top):
                    if (
                        isinstance(node, ast.Call)
                        and self._qualified(module, node.func) in DYNAMIC_IMPORTERS
                        and node.args
                        and not self._resolvable(module, node.args[0], node, top)
                    ):
                        loaders.add(f"{module.name}.{top.name}")
        return loaders

    def _resolvable(self, module: Module, arg: ast.expr, call: ast.Call, top: ast.AST) -> bool:
        try:
            self._names(module, arg, _parents(top), call)
        except UnresolvedImportError:
            return False
        return True

    # -- evaluating the names given to a dynamic import ---------------------------------

    def _names(
        self, module: Module, expr: ast.expr, parents: dict[ast.AST, ast.AST], at: ast.AST
    ) -> list[str]:
        where = f"{module.path}:{getattr(expr, 'lineno', '?')}"
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return [expr.value]
        if isinstance(expr, ast.JoinedStr):
            results = [""]
            for part in expr.values:
                if isinstance(part, ast.Constant):
                    results = [r + str(part.value) for r in results]
                elif isinstance(part, ast.FormattedValue):
                    values = self._names(module, part.value, parents, at)
                    results = [r + v for r in results for v in values]
            return results
        if isinstance(expr, ast.Name):
            loop = _loop_over(expr.id, at, parents)
            if loop is not None:
                return self._table(module, loop, where)
            if expr.id in module.constants:
                return self._names(module, module.constants[expr.id], parents, at)
            if expr.id in module.bindings:
                source, attr = module.bindings[expr.id]
                if attr is not None and source in self.modules:
                    return self._names_in(source, attr, where)
        raise UnresolvedImportError(f"{where}: cannot follow the imported name")

    def _names_in(self, module_name: str, attr: str, where: str) -> list[str]:
        module = self.modules[module_name]
        if attr in module.constants:
            return self._table_or_name(module, module.constants[attr], where)
        if attr in module.bindings:
            source, inner = module.bindings[attr]
            if inner is not None and source in self.modules:
                return self._names_in(source, inner, where)
        raise UnresolvedImportError(f"{where}: cannot follow {module_name}.{attr}")

    def _table_or_name(self, module: Module, expr: ast.expr, where: str) -> list[str]:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return [expr.value]
        return self._table(module, expr, where)

    def _table(self, module: Module, expr: ast.expr, where: str) -> list[str]:
        """The strings of a constant tuple/list/set, following names, `*starred` parts
        and attributes of imported modules."""
        if isinstance(expr, ast.Tuple | ast.List | ast.Set):
            out: list[str] = []
            for element in expr.elts:
                if isinstance(element, ast.Starred):
                    out.extend(self._table(module, element.value, where))
                elif isinstance(element, ast.Constant) and isinstance(element.value, str):
                    out.append(element.value)
                else:
                    raise UnresolvedImportError(f"{where}: a table entry is not a string")
            return out
        if isinstance(expr, ast.Name):
            if expr.id in module.constants:
                return self._table(module, module.constants[expr.id], where)
            if expr.id in module.bindings:
                source, attr = module.bindings[expr.id]
                if attr is not None and source in self.modules:
                    return self._names_in(source, attr, where)
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            bound = module.bindings.get(expr.value.id)
            if bound is not None and bound[1] is None and bound[0] in self.modules:
                return self._names_in(bound[0], expr.attr, where)
        raise UnresolvedImportError(f"{where}: cannot follow the table of imported names")

    # -- edges ----------------------------------------------------------------------------

    def _edges_of(self, module: Module) -> Iterator[Edge]:
        for node, how in _import_statements(module.tree.body, "import"):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield Edge(module.name, self.resolve(alias.name), node.lineno, how)
            elif isinstance(node, ast.ImportFrom):
                source = self._absolute(module, node)
                for alias in node.names:
                    target = self._from_target(source, alias.name)
                    yield Edge(module.name, target, node.lineno, how)
        # Walking every expression is slow: only where a dynamic import can be.
        if _may_import_dynamically(module.text, self.loaders):
            yield from self._string_edges(module)

    def _string_edges(self, module: Module) -> Iterator[Edge]:
        parents = _parents(module.tree)
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call):
                called = self._qualified(module, node.func)
                if called not in DYNAMIC_IMPORTERS and called not in self.loaders:
                    continue
                if not node.args:
                    raise UnresolvedImportError(f"{module.path}:{node.lineno}: no name given")
                try:
                    names = self._names(module, node.args[0], parents, node)
                except UnresolvedImportError:
                    # Inside a loader the callers' names are followed instead.
                    if called in DYNAMIC_IMPORTERS and _enclosing_top(node, parents) is not None:
                        top = _enclosing_top(node, parents)
                        assert top is not None
                        if f"{module.name}.{top}" in self.loaders:
                            continue
                    raise
                for name in names:
                    if not _DOTTED.fullmatch(name):
                        raise UnresolvedImportError(
                            f"{module.path}:{node.lineno}: {name!r} is not a module name"
                        )
                    yield Edge(module.name, self.resolve(name), node.lineno, "string")
            elif isinstance(node, ast.Attribute | ast.Name):
                parent = parents.get(node)
                if isinstance(parent, ast.Call) and parent.func is node:
                    continue
                # `load = importlib.import_module` would hide every later call.
                if self._qualified(module, node) in DYNAMIC_IMPORTERS:
                    raise UnresolvedImportError(
                        f"{module.path}:{node.lineno}: a dynamic importer used as a value"
                    )


def _may_import_dynamically(text: str, loaders: Iterable[str]) -> bool:
    words = ("import_module", "__import__", *(name.rsplit(".", 1)[1] for name in loaders))
    return any(word in text for word in words)


def _import_statements(
    body: list[ast.stmt], how: str
) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    """The import statements of `body` and the blocks inside it, with how each is reached."""
    for stmt in body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            yield stmt, how
            continue
        inner = how
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and how == "import":
            inner = "function"
        if isinstance(stmt, ast.If) and "TYPE_CHECKING" in ast.unparse(stmt.test):
            yield from _import_statements(stmt.body, "type-checking")
            yield from _import_statements(stmt.orelse, inner)
            continue
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(stmt, name, ()):
                if isinstance(child, ast.stmt):
                    yield from _import_statements([child], inner)
                elif isinstance(child, ast.ExceptHandler | ast.match_case):
                    yield from _import_statements(child.body, inner)


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _enclosing_top(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str | None:
    """The name of the module-level function or class around `node`."""
    found = None
    current = parents.get(node)
    while current is not None:
        if isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found = current.name
        current = parents.get(current)
    return found


def _loop_over(name: str, at: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.expr | None:
    """What `name` iterates over, when it is the target of a `for` (or comprehension)
    around `at`."""
    current: ast.AST | None = at
    while current is not None:
        if (
            isinstance(current, ast.For | ast.AsyncFor)
            and isinstance(current.target, ast.Name)
            and current.target.id == name
        ):
            return current.iter
        if isinstance(current, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            for gen in current.generators:
                if isinstance(gen.target, ast.Name) and gen.target.id == name:
                    return gen.iter
        current = parents.get(current)
    return None


# ---------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Violation:
    importer: str
    imported: str
    rule: str
    line: int
    how: str

    def __str__(self) -> str:
        return f"{self.importer}:{self.line} imports {self.imported} ({self.how}): {self.rule}"


def _group(graph: Graph, module: str) -> str | None:
    """The layer group of a package module: its first sub-package, '' for the kernel."""
    if module == graph.package:
        return ""
    rest = module[len(graph.package) + 1 :].split(".")[0]
    return rest


def _layer(group: str | None) -> int | None:
    for index, (_, groups, _) in enumerate(LAYERS):
        if group in groups:
            return index
    return None


def violations(graph: Graph) -> list[Violation]:
    """Every import that breaks the contract, in the order of the modules."""
    stdlib = sys.stdlib_module_names
    found: list[Violation] = []
    for edge in graph.edges:
        importer = _group(graph, edge.importer)
        ours = edge.imported == graph.package or edge.imported.startswith(graph.package + ".")

        def add(rule: str, edge: Edge = edge) -> None:
            found.append(Violation(edge.importer, edge.imported, rule, edge.line, edge.how))

        if not ours:
            for rule, libraries, allowed in LIBRARIES:
                if edge.imported in libraries and importer not in allowed:
                    add(rule)
            if importer == "domain" and edge.imported not in stdlib:
                add("domain is pure")
            continue
        imported = _group(graph, edge.imported)
        if importer == imported:
            continue
        if importer is None or _layer(importer) is None:
            add(f"{edge.importer} is in no layer")
            continue
        if _layer(imported) is None:
            add(f"{edge.imported} is in no layer")
            continue
        low, high = _layer(imported), _layer(importer)
        assert low is not None
        assert high is not None
        if low < high:
            add("layers: an upward import")
        elif low == high:
            name, _, independent = LAYERS[low]
            if independent and (importer, edge.imported) not in SIBLING_EXCEPTIONS:
                add(f"{name} are independent")
        elif (
            importer in ENTRY_POINTS
            and imported in ENTRY_MAY_NOT_USE
            and edge.imported not in ENTRY_MAY_USE_FROM_STORE
        ):
            add("entry points call services")
    return found


def cycles(graph: Graph) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (or importing itself)."""
    adjacency: dict[str, set[str]] = {name: set() for name in graph.modules}
    for edge in graph.edges:
        if edge.imported in adjacency:
            adjacency[edge.importer].add(edge.imported)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[frozenset[str]] = []

    def visit(node: str) -> None:
        # Recursive Tarjan: the package is small enough for Python's stack.
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(adjacency[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1 or node in adjacency[node]:
                out.append(frozenset(component))

    for name in sorted(adjacency):
        if name not in index:
            visit(name)
    return out


def describe_cycle(graph: Graph, component: frozenset[str]) -> str:
    """The component's modules and, for reading, one shortest cycle through the first."""
    adjacency: dict[str, set[str]] = {name: set() for name in component}
    for edge in graph.edges:
        if edge.importer in component and edge.imported in component:
            adjacency[edge.importer].add(edge.imported)
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    loop: list[str] = []
    while queue and not loop:
        node = queue.pop(0)
        for nxt in sorted(adjacency[node]):
            if nxt == start:
                loop = [*paths[node], start]
                break
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return f"{sorted(component)}; e.g. {' -> '.join(loop)}"


def check(
    graph: Graph,
    allowed: dict[tuple[str, str], str],
    allowed_cycles: Iterable[frozenset[str]],
) -> list[str]:
    """Problems: new violations, stale allowlist entries, new and stale cycles."""
    problems: list[str] = []
    found = violations(graph)
    seen: set[tuple[tuple[str, str], str]] = set()
    for violation in found:
        key = (violation.importer, violation.imported)
        seen.add((key, violation.rule))
        if allowed.get(key) != violation.rule:
            problems.append(f"not allowed: {violation}")
    for key, rule in allowed.items():
        if (key, rule) not in seen:
            problems.append(f"no longer happens, remove it from the list: {key} ({rule})")
    components = cycles(graph)
    expected = set(allowed_cycles)
    for component in components:
        if component not in expected:
            problems.append(f"import cycle: {describe_cycle(graph, component)}")
    for component in expected - set(components):
        problems.append(f"cycle gone or changed, update the list: {sorted(component)}")
    return problems


# ---------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph(ROOT, PACKAGE)


def test_the_contract_holds_but_for_the_listed_violations(graph):
    problems = check(graph, ALLOWED_VIOLATIONS, ALLOWED_CYCLES)
    assert problems == [], "\n".join(problems)


def test_every_module_is_in_a_layer(graph):
    assert [m for m in graph.modules if _layer(_group(graph, m)) is None] == []


def test_string_imports_are_seen(graph):
    """The command modules the parser loads by name, the GUI's deferred services and the
    start-up's table of modules loaded behind the first frame are edges of the graph."""
    strings = {(e.importer, e.imported) for e in graph.edges if e.how == "string"}
    assert ("popup_pos.cli", "popup_pos.cli.stripe") in strings
    assert ("popup_pos.gui.app", "popup_pos.services.events") in strings
    assert ("popup_pos.gui.main_window", "popup_pos.services.event_terms") in strings
    assert ("popup_pos.services.startup", "popup_pos.services.tickets") in strings
    # Through `store.first_screen.LOADED_LATER`, the store's own part of that table.
    assert ("popup_pos.store.first_screen", "popup_pos.store.models") in strings


# -- the checker itself, on small packages written for the purpose ------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Graph:
    root = tmp_path / "popup_pos"
    layout = {
        "__init__.py": "",
        "domain/__init__.py": "",
        "domain/money.py": "",
        "store/__init__.py": "",
        "store/uow.py": "import sqlalchemy\n",
        "payments/__init__.py": "",
        "payments/stripe_api.py": "import stripe\n",
        "exports/__init__.py": "",
        "exports/model.py": "from popup_pos.domain import money\n",
        "services/__init__.py": "",
        "services/reports.py": "from popup_pos.exports import model\n",
        "gui/__init__.py": "",
        "gui/window.py": "import PySide6\nfrom popup_pos.services import reports\n",
        "cli/__init__.py": "from popup_pos.store.uow import UnitOfWork\n",
        **files,
    }
    for rel, text in layout.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Graph(root, PACKAGE)


def _rules(graph: Graph) -> set[tuple[str, str, str]]:
    return {(v.importer, v.imported, v.rule) for v in violations(graph)}


def test_a_clean_package_passes(tmp_path):
    graph = _package(tmp_path, {})
    assert check(graph, {}, []) == []


def test_an_upward_import_is_caught(tmp_path):
    graph = _package(tmp_path, {"services/reports.py": "from popup_pos.gui import window\n"})
    assert _rules(graph) == {
        ("popup_pos.services.reports", "popup_pos.gui.window", "layers: an upward import")
    }


def test_an_upward_import_in_a_function_or_for_types_is_caught(tmp_path):
    graph = _package(
        tmp_path,
        {
            "store/uow.py": "def f():\n    from ..services import reports\n",
            "domain/money.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from popup_pos.store.uow import UnitOfWork\n"
            ),
        },
    )
    assert {(v.importer, v.how) for v in violations(graph)} == {
        ("popup_pos.store.uow", "function"),
        ("popup_pos.domain.money", "type-checking"),
    }


def test_an_adapter_importing_another_adapter_is_caught(tmp_path):
    graph = _package(tmp_path, {"exports/model.py": "from popup_pos.payments import stripe_api\n"})
    assert _rules(graph) == {
        ("popup_pos.exports.model", "popup_pos.payments.stripe_api", "adapters are independent")
    }


def test_an_entry_point_using_an_adapter_or_the_store_is_caught(tmp_path):
    graph = _package(
        tmp_path,
        {"gui/window.py": "from popup_pos.exports.model import X\nimport popup_pos.store\n"},
    )
    assert _rules(graph) == {
        ("popup_pos.gui.window", "popup_pos.exports.model", "entry points call services"),
        ("popup_pos.gui.window", "popup_pos.store", "entry points call services"),
    }


def test_importlib_of_sqlalchemy_in_the_domain_is_caught(tmp_path):
    graph = _package(
        tmp_path, {"domain/money.py": "import importlib\nimportlib.import_module('sqlalchemy')\n"}
    )
    assert _rules(graph) == {
        ("popup_pos.domain.money", "sqlalchemy", "SQL only in store"),
        ("popup_pos.domain.money", "sqlalchemy", "domain is pure"),
    }


def test_imports_through_tables_loops_fstrings_and_wrappers_are_seen(tmp_path):
    graph = _package(
        tmp_path,
        {
            "store/names.py": "LATER = ('sqlalchemy', 'popup_pos.store.uow')\n",
            "domain/lazy.py": (
                "from importlib import import_module\n"
                "class Deferred:\n"
                "    def __init__(self, name):\n        self.name = name\n"
                "    def load(self):\n        return import_module(self.name)\n"
            ),
            "services/reports.py": (
                "import importlib\nfrom popup_pos.store import names as store\n"
                "PARTS = (*store.LATER, 'popup_pos.gui.window')\n"
                "def load():\n    for name in PARTS:\n        importlib.import_module(name)\n"
            ),
            "domain/money.py": (
                "KINDS = ('uow',)\n"
                "def f():\n"
                "    return [__import__(f'popup_pos.store.{k}') for k in KINDS]\n"
            ),
            "exports/model.py": (
                "from popup_pos.domain.lazy import Deferred\nx = Deferred('stripe')\n"
            ),
        },
    )
    assert _rules(graph) == {
        ("popup_pos.services.reports", "sqlalchemy", "SQL only in store"),
        ("popup_pos.services.reports", "popup_pos.gui.window", "layers: an upward import"),
        ("popup_pos.domain.money", "popup_pos.store.uow", "layers: an upward import"),
        ("popup_pos.exports.model", "stripe", "stripe only in payments"),
    }


def test_a_dynamic_import_that_cannot_be_followed_fails(tmp_path):
    with pytest.raises(UnresolvedImportError, match="cannot follow"):
        _package(
            tmp_path,
            {"domain/money.py": "import importlib, os\nimportlib.import_module(os.environ['M'])\n"},
        )


def test_a_cycle_is_reported_with_its_modules(tmp_path):
    graph = _package(
        tmp_path,
        {
            "services/events.py": "def f():\n    from popup_pos.services import checkout\n",
            "services/checkout.py": "from popup_pos.services.events import x\n",
        },
    )
    problems = check(graph, {}, [])
    assert problems == [
        "import cycle: ['popup_pos.services.checkout', 'popup_pos.services.events']; "
        "e.g. popup_pos.services.checkout -> popup_pos.services.events -> "
        "popup_pos.services.checkout"
    ]


def test_a_listed_violation_or_cycle_passes(tmp_path):
    graph = _package(
        tmp_path,
        {
            "gui/window.py": "from popup_pos.exports import model\n",
            "exports/model.py": "from popup_pos.exports import tables\n",
            "exports/tables.py": "from popup_pos.exports import model\n",
        },
    )
    listed = {("popup_pos.gui.window", "popup_pos.exports.model"): "entry points call services"}
    cycle = frozenset({"popup_pos.exports.model", "popup_pos.exports.tables"})
    assert check(graph, listed, [cycle]) == []
    assert check(graph, {}, [cycle]) == [
        "not allowed: popup_pos.gui.window:1 imports popup_pos.exports.model (import): "
        "entry points call services"
    ]


def test_the_allowlists_only_shrink(tmp_path):
    graph = _package(tmp_path, {})
    stale = {("popup_pos.gui.window", "popup_pos.exports.model"): "entry points call services"}
    problems = check(graph, stale, [frozenset({"popup_pos.a", "popup_pos.b"})])
    assert len(problems) == 2
    assert problems[0].startswith("no longer happens")
    assert problems[1].startswith("cycle gone or changed")


def _uow_internals(path: Path, root: Path = ROOT) -> list[str]:
    """`….uow.conn` / `….uow.session` (or a bare `uow.…`) read in a module."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ("conn", "session"):
            owner = node.value
            name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            if name == "uow" or name.endswith("_uow"):
                found.append((node.lineno, f"{path.relative_to(root.parent)}:{node.lineno}"))
    return [hit for _, hit in sorted(found)]


def test_above_the_store_nothing_touches_the_connection_or_session():
    """The store is the typed face of the database: services and entry points hand it
    the unit of work and get records back, never a connection, a session or a row."""
    found = [
        hit
        for group in ("services", *ENTRY_POINTS)
        for path in sorted((ROOT / group).rglob("*.py"))
        for hit in _uow_internals(path)
    ]
    assert found == []


def test_the_connection_check_sees_a_use(tmp_path):
    module = tmp_path / "popup_pos" / "m.py"
    module.parent.mkdir()
    module.write_text("def f(uow, self):\n    uow.conn.execute(1)\n    self.uow.session\n")
    hits = _uow_internals(module, tmp_path / "popup_pos")
    assert hits == ["popup_pos/m.py:2", "popup_pos/m.py:3"]
