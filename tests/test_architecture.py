"""Rules of the code's structure, kept by CI (docs/architecture.md).

- no module imports a private name (``_name``) of another module, nor reaches into one (``mod._name``);
- the import graph of plan2rdf has no cycle, counting imports inside functions;
- no function of the package is longer than 80 lines;
- nothing in the package imports test tools.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "plan2rdf"
MAX_FUNCTION_LINES = 80


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(encoding="utf-8"), filename=str(path)) for name, path in MODULES.items()}


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _imports(module: str) -> list[tuple[int, str, list[str]]]:
    """(line, imported module, names) for every import statement, inside functions too."""
    found = []
    for node in ast.walk(TREES[module]):
        if isinstance(node, ast.ImportFrom):
            found.append((node.lineno, _absolute(module, node), [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, a.name, []) for a in node.names)
    return [item for item in found if item[1] == "plan2rdf" or item[1].startswith("plan2rdf.")]


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_the_rules_see_the_package() -> None:
    assert "plan2rdf.pipeline" in MODULES and "plan2rdf.read.reader" in MODULES
    assert any(_imports(m) for m in MODULES)


def test_no_module_imports_a_private_name_of_another() -> None:
    offences = []
    for module in MODULES:
        aliases: dict[str, str] = {}
        for line, target, names in _imports(module):
            offences += [f"{module}:{line} imports {target}.{n}" for n in names if _private(n) and target != module]
            offences += [f"{module}:{line} imports private module {target}" for part in [target] if
                         any(_private(p) for p in part.split("."))]  # fmt: skip
            for name in names:
                if f"{target}.{name}" in MODULES:
                    aliases[name] = f"{target}.{name}"
        for node in ast.walk(TREES[module]):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and _private(node.attr)
            ):
                offences.append(f"{module}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    assert not offences, "\n".join(offences)


def _graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for _line, target, names in _imports(module):
            submodules = {f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES}
            if submodules:
                edges[module] |= submodules
            if len(submodules) < len(names) or not names:
                edges[module].add(target)
        edges[module].discard(module)
    return edges


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_import_graph_has_no_cycle() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, " → ".join(cycle or [])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_function_is_longer_than_80_lines(module: str) -> None:
    long = [
        f"{MODULES[module]}:{node.lineno} {node.name} has {node.end_lineno - node.lineno + 1} lines"
        for node in ast.walk(TREES[module])
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, "\n".join(long)


def test_the_package_does_not_import_test_tools() -> None:
    tools = {"pytest", "hypothesis", "_pytest"}
    found = [
        f"{module}:{node.lineno}"
        for module, tree in TREES.items()
        for node in ast.walk(tree)
        if (isinstance(node, ast.Import) and any(a.name.split(".")[0] in tools for a in node.names))
        or (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in tools)
    ]
    assert not found, found
