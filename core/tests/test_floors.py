"""The import graph as designed: `core/` imports no app, nothing imports the top-floor `desk/`,
and the domain apps stand side by side (each may use the trunk, `branches`, and the
notifications engine; none imports another's modules)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GROUND = {"core", "accounts"}
TRUNK = "branches"
# assignments is an engine like notifications: any app may issue work through it and offer
# figures to it (assignments/figures.py), and it imports no domain app (councils issues its
# decisions through it; receptions, councils and branches register their figures).
ENGINES = {"notifications", "assignments"}
TOP = "desk"
DOMAIN = {"councils", "receptions", "contests", "events", "training", "mentorship", "reserve"}
APPS = GROUND | {TRUNK, TOP} | ENGINES | DOMAIN


def _imports(app: str) -> set[tuple[str, str]]:
    """(file, imported app) for every import in the app's own code (tests excluded), at any depth."""
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        if "tests" in path.relative_to(ROOT / app).parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in APPS and top != app:
                    found.add((str(path.relative_to(ROOT)), top))
    return found


def _present(apps):
    return sorted(app for app in apps if (ROOT / app).is_dir())


@pytest.mark.parametrize("app", _present(GROUND))
def test_the_ground_floor_imports_no_app(app):
    assert {(f, imported) for f, imported in _imports(app) if imported not in GROUND} == set()


@pytest.mark.parametrize("app", _present(APPS - {TOP}))
def test_nothing_imports_the_top_floor(app):
    assert {(f, imported) for f, imported in _imports(app) if imported == TOP} == set()


@pytest.mark.parametrize("app", _present(DOMAIN | ENGINES | {TRUNK}))
def test_domain_apps_use_only_the_ground_the_trunk_and_the_engines(app):
    allowed = GROUND | {TRUNK} | ENGINES
    assert {(f, imported) for f, imported in _imports(app) if imported not in allowed} == set()


def test_the_notifications_engine_names_only_people_of_the_domain():
    """Recipients are `branches.Person`; nothing else of the trunk is the engine's business."""
    offending = set()
    for path in (ROOT / "notifications").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == TRUNK:
                names = {alias.name for alias in node.names}
                if node.module != "branches.models" or names - {"Person"}:
                    offending.add((str(path.relative_to(ROOT)), node.module, tuple(sorted(names))))
    assert offending == set()
