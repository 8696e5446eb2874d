"""The package's shape: no import cycle, no module over 300 lines, and no code outside the task
packages that branches on a task's name (issue 16). Read from the source, nothing is imported."""
from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "araft"
MAX_LINES = 300
TASK_NAMES = {"ner", "claims"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))
            if "metrics/entity_f1" not in p.as_posix() and "metrics/multilabel_f1" not in p.as_posix()}


def _type_checking_only(node: ast.AST) -> bool:
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING")


def imported(tree: ast.AST, modules: set[str]) -> set[str]:
    """araft modules a module imports, at module level or inside functions (both run), leaving
    out `if TYPE_CHECKING:` blocks (never run)."""
    out: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if _type_checking_only(node):
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                if sub in modules:
                    out.add(sub)
                elif node.module in modules:
                    out.add(node.module)
        stack.extend(ast.iter_child_nodes(node))
    return out


def import_graph() -> dict[str, set[str]]:
    mods = sources()
    names = set(mods)
    return {m: imported(ast.parse(p.read_text(encoding="utf-8")), names) - {m}
            for m, p in mods.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle():
    assert cycles(import_graph()) == []


def test_the_walker_sees_a_cycle_through_a_function_level_import():
    a = ast.parse("from araft.b import x\n")
    b = ast.parse("def f():\n    from araft.a import y\n")
    names = {"araft.a", "araft.b"}
    graph = {"araft.a": imported(a, names), "araft.b": imported(b, names)}
    assert cycles(graph) == [["araft.a", "araft.b"]]


def test_no_module_over_300_lines():
    long = {m: n for m, p in sources().items()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def _compares_to_a_task_name(node: ast.AST) -> bool:
    if not isinstance(node, ast.Compare):
        return False
    values = [node.left, *node.comparators]
    for v in values:
        if isinstance(v, ast.Constant) and v.value in TASK_NAMES:
            return True
        if isinstance(v, (ast.Tuple, ast.List, ast.Set)) and any(
                isinstance(e, ast.Constant) and e.value in TASK_NAMES for e in v.elts):
            return True
    return False


def test_only_the_task_packages_branch_on_a_task_name():
    """Runner, evaluation, predict, reporting and hub ask the task (araft.tasks.base) instead."""
    found = []
    for m, p in sources().items():
        if m.startswith("araft.tasks."):
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if _compares_to_a_task_name(node):
                found.append(f"{p.relative_to(SRC)}:{node.lineno}")
    assert found == []
