"""The app's layout keeps its shape: imports point one way, with no cycle between modules
or between packages, no import hidden inside a function without a comment saying why,
no module past 400 lines and at most 15 entries at the app's top level.

Read from the source with `ast`, so a cycle fails here before it fails at import time."""

import ast
from pathlib import Path

import pytest

APP = "commitments"
ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400
MAX_TOP_LEVEL_ENTRIES = 15


def _modules() -> dict[str, Path]:
    """Every module of the app by dotted name (a package by its own name), migrations aside."""
    found = {}
    for path in sorted((ROOT / APP).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _absolute(module: str, node: ast.ImportFrom) -> str:
    """The module an ImportFrom names, relative imports resolved from `module`."""
    if not node.level:
        return node.module or ""
    is_package = MODULES[module].name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(module: str) -> list[tuple[str, ast.stmt]]:
    """The app modules `module` imports, each with its import statement."""
    tree = ast.parse(MODULES[module].read_text())
    imported = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [(alias.name, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(module, node)
            for alias in node.names:
                # `from package import module` imports the module; `from module import name`, the module.
                submodule = f"{target}.{alias.name}"
                imported.append((submodule if submodule in MODULES else target, node))
    return [(name, node) for name, node in imported if name in MODULES and name != module]


GRAPH = {module: sorted({name for name, _node in _imports(module)}) for module in MODULES}


def _package(module: str) -> str:
    """The unit a module belongs to below the app: commitments.exports.writer -> commitments.exports."""
    return ".".join(module.split(".")[:2])


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in graph.get(node, []):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle_and_only_a_cycle():
    assert _cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [["a", "b", "c"]]
    assert _cycles({"a": ["b"], "b": ["c"], "c": []}) == []


def test_no_import_cycle_between_modules():
    assert _cycles(GRAPH) == []


def test_no_import_cycle_between_packages():
    packages: dict[str, set[str]] = {}
    for module, imported in GRAPH.items():
        package = _package(module)
        packages.setdefault(package, set()).update(_package(name) for name in imported if _package(name) != package)
    assert _cycles({package: sorted(targets) for package, targets in packages.items()}) == []


@pytest.mark.parametrize(
    ("leaf", "forbidden"),
    [
        # The leaves import nothing above them: a vocabulary or a cell never reaches a view.
        ("commitments.models", ("services", "selectors", "listings", "views", "exports", "api", "admin")),
        ("commitments.models.textmatch", ("services", "selectors", "views", "exports", "api", "admin")),
        ("commitments.exports.cells", ("models", "services", "selectors", "listings", "views", "api", "admin")),
        ("commitments.selectors", ("services", "listings", "views", "exports", "api", "admin", "templatetags")),
        ("commitments.services", ("selectors", "listings", "views", "exports", "api", "admin", "templatetags")),
    ],
)
def test_imports_point_one_way(leaf, forbidden):
    reached = set()
    pending = [module for module in MODULES if module == leaf or module.startswith(f"{leaf}.")]
    while pending:
        module = pending.pop()
        if module not in reached:
            reached.add(module)
            pending.extend(GRAPH[module])
    wrong = sorted(module for module in reached if _package(module).removeprefix(f"{APP}.") in forbidden)
    assert wrong == [], f"{leaf} reaches {wrong}"


def test_no_import_inside_a_function_without_a_comment_saying_why():
    unexplained = []
    for module, path in MODULES.items():
        lines = path.read_text().splitlines()
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    said = lines[inner.lineno - 1] + lines[inner.lineno - 2]
                    if "#" not in said:
                        unexplained.append(f"{module}:{inner.lineno}")
    assert unexplained == []


def test_modules_stay_short_and_the_app_readable_at_a_glance():
    long_modules = {
        module: lines for module, path in MODULES.items() if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long_modules == {}
    top_level = [entry.name for entry in (ROOT / APP).iterdir() if entry.name != "__pycache__"]
    assert len(top_level) <= MAX_TOP_LEVEL_ENTRIES, sorted(top_level)
