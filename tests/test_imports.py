"""The package's modules form layers: no import circles, lazy imports inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

import llcompliance

PACKAGE = Path(llcompliance.__file__).parent


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package modules `path` imports anywhere in it (top level, functions, TYPE_CHECKING)."""
    here = _module(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = set()
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
        found.update(n for n in names if n in modules and n != here)
    return found


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
