"""The shape of the code: data flows one way, so imports only ever point down the pipeline.

``LAYERS`` lists storybot's packages from the bottom (plain data, language facts) to the top
(the Discord bot). A module may import modules of its own layer or of layers below it, never
one above; and no two modules import each other, directly or through others.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Bottom to top. A module belongs to the layer of the longest prefix that names it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("index.text", "index.errors", "index.models", "index.data", "index.lang", "index.progress",
     "index.workers", "index.signals"),
    ("index.ingest",),
    ("index.analysis",),
    ("index.statements",),
    ("index.store",),
    ("index.search.engines", "index.semantic"),
    ("index.search",),
    ("index.jobs", "index.corpus"),
    ("index.live",),
    ("index.asking", "index.library"),
    ("index.evaluate", "index.bench", "index.alerts_eval", "index.questions_eval"),
    ("index",),  # the package's front door re-exports the library
    ("bot",),
)


@cache
def _modules() -> dict[str, Path]:
    found = {}
    for package in ("index", "bot"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue  # Alembic's scripts are run by the store, not imported
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _imports(path: Path) -> Iterator[str]:
    """The storybot modules ``path`` imports (at any depth: lazy imports count too)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _layer(module: str) -> int:
    best, best_len = None, -1
    for rank, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = rank, len(prefix)
    if best is None:
        raise AssertionError(f"{module} is in no layer of tests/test_layers.py")
    return best


@cache
def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for target in _imports(path):
            if target.split(".")[0] not in ("index", "bot"):
                continue
            # "from index.store import Store" names the package; keep the deepest module known
            while target not in modules and "." in target:
                target = target.rsplit(".", 1)[0]
            if target != name:
                targets.add(target)
        graph[name] = targets
    return graph


def test_every_module_has_a_layer() -> None:
    """Each module of index/ and bot/ sits in one of the listed layers."""
    for module in _modules():
        _layer(module)


@pytest.mark.parametrize("module", sorted(_modules()))
def test_imports_point_down_the_pipeline(module: str) -> None:
    """A module imports only modules of its own layer or of the layers below."""
    up = sorted(t for t in _graph()[module] if _layer(t) > _layer(module))
    assert not up, f"{module} imports {up}, above its layer"


def test_no_import_cycles() -> None:
    """No module reaches itself through its imports (package __init__ re-exports aside)."""
    graph = _graph()
    packages = {name for name, path in _modules().items() if path.name == "__init__.py"}
    edges = {m: {t for t in ts if t not in packages} for m, ts in graph.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert not cycles, f"import cycles: {cycles}"
