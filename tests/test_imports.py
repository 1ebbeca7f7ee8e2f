"""The package's modules form layers: no import circles, arrows point down, click only in cli/,
stdout only in render/console.py; lazy imports inside functions included."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import llcompliance

PACKAGE = Path(llcompliance.__file__).parent


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_lines(path: Path, modules: set[str]) -> list[tuple[int, str]]:
    """(line, package module) for every import in `path`: top level, functions, TYPE_CHECKING."""
    here = _module(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = (
                node.module or ""
                if node.level == 0
                else ".".join(filter(None, [base, node.module]))
            )
            names = [f"{target}.{alias.name}" for alias in node.names] + [target]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, n) for n in names if n in modules and n != here]
    return found


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package modules `path` imports anywhere in it."""
    return {name for _, name in _import_lines(path, modules)}


def test_no_import_circles() -> None:
    paths = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph = {name: _imports(path, set(paths)) for name, path in paths.items()}
    package_inits = {name for name, path in paths.items() if path.name == "__init__.py"}
    circles = []
    for start in sorted(graph):
        seen: set[str] = set()
        pending = [d for d in graph[start] if d not in package_inits]
        while pending:
            name = pending.pop()
            if name == start:
                circles.append(start)
                break
            if name not in seen:
                seen.add(name)
                pending.extend(d for d in graph[name] if d not in package_inits)
    assert circles == []


# Bottom to top (STYLE.md "Layers"): a module may import its own layer or lower ones only.
LAYERS = {
    "adapters": 0,
    "errors": 0,
    "core": 1,
    "guard": 2,
    "report": 3,
    "assessor": 4,
    "render": 5,
    "commands": 6,
    "cli": 7,
    "__main__": 7,
}

# (importer, imported) pairs allowed to point up, each with a reason. None today.
KNOWN_UPWARD: frozenset[tuple[str, str]] = frozenset()  # none: add a pair only with a reason


def _layer(module: str) -> int:
    """A module's layer: the package's own __init__ is the bottom, like adapters."""
    parts = module.split(".")
    return 0 if len(parts) == 1 else LAYERS[parts[1]]


def _modules() -> dict[str, Path]:
    return {_module(p): p for p in PACKAGE.rglob("*.py")}


def test_every_module_has_a_layer() -> None:
    assert [m for m in _modules() if m.count(".") and m.split(".")[1] not in LAYERS] == []


def test_imports_point_down() -> None:
    """No module imports a higher layer (render above report, commands above render, ...)."""
    paths = _modules()
    upward = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {name} imports {target}"
        for name, path in sorted(paths.items())
        for line, target in _import_lines(path, set(paths))
        if _layer(target) > _layer(name) and (name, target) not in KNOWN_UPWARD
    ]
    assert upward == []


def _is_click(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(a.name.split(".")[0] == "click" for a in node.names)
    return isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "click"


def _writes_stdout(node: ast.AST) -> bool:
    """print(...), sys.stdout / sys.__stdout__, or `from sys import stdout`."""
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id == "print"
    if isinstance(node, ast.Attribute):
        return (
            isinstance(node.value, ast.Name)
            and node.value.id == "sys"
            and node.attr in {"stdout", "__stdout__"}
        )
    if isinstance(node, ast.ImportFrom):
        return node.module == "sys" and any(a.name in {"stdout", "__stdout__"} for a in node.names)
    return False


def _offenders(test: Callable[[ast.AST], bool], allowed: str) -> list[str]:
    """path:line of every node `test` accepts outside the module or package `allowed`."""
    return [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
        for name, path in sorted(_modules().items())
        if not (name == allowed or name.startswith(allowed + "."))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if test(node)
    ]


def test_click_only_in_cli() -> None:
    assert _offenders(_is_click, "llcompliance.cli") == []


def test_only_the_console_writes_to_stdout() -> None:
    assert _offenders(_writes_stdout, "llcompliance.render.console") == []
