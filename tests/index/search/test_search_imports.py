"""The search modules import each other in one direction: no cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import newsreader.index.search as search_pkg

PKG = "newsreader.index.search"


def _imports() -> dict[str, set[str]]:
    root = Path(search_pkg.__file__).parent
    graph: dict[str, set[str]] = {}
    for path in root.glob("*.py"):
        name = path.stem
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                if node.level == 1:
                    if node.module:
                        deps.add(node.module.split(".")[0])
                    else:
                        deps.update(a.name for a in node.names)
                elif node.module and node.module.startswith(PKG + "."):
                    deps.add(node.module[len(PKG) + 1 :].split(".")[0])
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith(PKG + "."):
                        deps.add(a.name[len(PKG) + 1 :].split(".")[0])
        graph[name] = deps - {name}
    return graph


def test_no_import_cycle_among_the_search_modules() -> None:
    graph = _imports()
    assert {"analysis", "schema", "engine", "_whoosh_codec", "_whoosh_patches"} <= graph.keys()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in graph.get(node, ()):
            assert state.get(dep) != 1, "import cycle: " + " -> ".join([*trail, node, dep])
            if dep not in state:
                visit(dep, [*trail, node])
        state[node] = 2

    for name in graph:
        if name not in state:
            visit(name, [])


def test_only_the_codec_and_the_patches_know_whoosh_internals() -> None:
    root = Path(search_pkg.__file__).parent
    for path in root.glob("*.py"):
        if path.stem in ("_whoosh_codec", "_whoosh_patches"):
            continue
        assert "whoosh.codec" not in path.read_text(), path.name


def test_analysis_imports_nothing_of_the_index() -> None:
    assert not (_imports()["analysis"] - {"__init__"})
