"""The architecture's import rules, checked on the source: each layer uses only those below."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "popup_pos"


def _runtime_imports(path: Path) -> set[str]:
    """Top-level module names imported at run time (TYPE_CHECKING blocks left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules() -> list[tuple[str, set[str]]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("").as_posix().replace("/", ".")
        out.append((rel, _runtime_imports(path)))
    return out


def _uses(imports: set[str], top: str) -> bool:
    return any(name == top or name.startswith(top + ".") for name in imports)


# (library or layer, the only places that may import it)
RULES = [
    ("PySide6", ("popup_pos.gui",)),
    ("stripe", ("popup_pos.payments",)),
    ("reportlab", ("popup_pos.documents",)),
    ("sqlalchemy", ("popup_pos.store",)),
    ("alembic", ("popup_pos.store",)),
    ("popup_pos.store", ("popup_pos.store", "popup_pos.services")),
    ("popup_pos.services", ("popup_pos.services", "popup_pos.gui", "popup_pos.cli")),
]


@pytest.mark.parametrize(("library", "allowed"), RULES, ids=[r[0] for r in RULES])
def test_only_allowed_layers_import(library, allowed):
    offenders = [
        mod
        for mod, imports in _modules()
        if _uses(imports, library) and not mod.startswith(allowed)
    ]
    assert offenders == [], f"{library} imported outside {allowed}: {offenders}"


def test_domain_is_pure():
    own = [m for m, _ in _modules()]
    for mod, imports in _modules():
        if mod.startswith("popup_pos.domain"):
            project = {i for i in imports if i.startswith("popup_pos")}
            assert all(i.startswith("popup_pos.domain") for i in project), (mod, project)
    assert any(m.startswith("popup_pos.domain") for m in own)
