"""The architecture, enforced: factcheck's import graph has no cycle, and no module imports a
later stage than its own (or the sibling stage beside it).

The graph is read from the source with `ast`: every `import` and `from … import` of every
module, wherever it stands (at the top, inside a function, under `if TYPE_CHECKING:` or in a
`try:`), so that an import made late to dodge a cycle still counts as one. The one import the
graph does not see is `factcheck/__init__.py`'s lazy `importlib.import_module` of its exports:
the package's face sits above every layer, so whatever it imports is allowed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "factcheck"

# The stages, in order: a module may import its own stage and the stages before it, never a
# later one. Siblings share a rank and may not import each other (ruleset and io both read
# files; neither needs the other). The base modules are shared by all.
LAYERS: dict[str, int] = {
    "base": 0,  # errors, resources, yamlio, fileio
    "ruleset": 1,
    "io": 1,
    "extract": 2,
    "compare": 3,
    "report": 4,
    "run": 5,
    "tools": 6,
    "cli": 7,
    "top": 8,  # factcheck/__init__.py and __main__.py
}
BASE_MODULES = {"errors", "resources", "yamlio", "fileio"}
TOP_MODULES = {"factcheck", "factcheck.__main__"}


@dataclass(frozen=True)
class Edge:
    """`source` imports `target` at `line` of `path`."""

    source: str
    target: str
    path: Path
    line: int

    def __str__(self) -> str:
        where = self.path.relative_to(PACKAGE.parent).as_posix()
        return f"{self.source} -> {self.target} ({where}:{self.line})"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The module `name` names, or the longest package of it that exists (None: not ours)."""
    if name != "factcheck" and not name.startswith("factcheck."):
        return None
    while name not in known and "." in name:
        name = name.rsplit(".", 1)[0]
    return name if name in known else None


def imports(name: str, path: Path, known: dict[str, Path]) -> list[Edge]:
    """Every import of factcheck's own modules by one module, lazy and TYPE_CHECKING ones too."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    edges: list[Edge] = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            # `from . import inputs` imports the module inputs; `from .x import name`, x
            targets = [f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module
                       for alias in node.names]
        for target in targets:
            resolved = _resolve(target, known)
            if target.split(".")[0] == "factcheck":
                assert resolved is not None, f"{name} imports {target}, which does not exist"
            if resolved is not None and resolved != name:
                edges.append(Edge(name, resolved, path, node.lineno))
    return edges


def graph() -> list[Edge]:
    known = modules()
    return [edge for name, path in known.items() for edge in imports(name, path, known)]


def layer_of(module: str) -> str:
    """The stage a module belongs to (see LAYERS)."""
    if module in TOP_MODULES:
        return "top"
    first = module.split(".")[1]
    if first in BASE_MODULES:
        return "base"
    assert first in LAYERS, f"{module} is in no layer: add its package to LAYERS"
    return first


def test_the_graph_is_read() -> None:
    edges = graph()
    # a few edges that must be there, whatever else changes: the reader is found
    pairs = {(e.source, e.target) for e in edges}
    assert ("factcheck.extract.claims", "factcheck.extract.named") in pairs
    assert ("factcheck.run.worker", "factcheck.run.driver") in pairs
    assert ("factcheck.cli.app", "factcheck.cli.reading") in pairs


def test_no_import_runs_against_the_stages() -> None:
    wrong = []
    for edge in graph():
        source, target = layer_of(edge.source), layer_of(edge.target)
        if source == target:
            continue
        if LAYERS[target] > LAYERS[source]:
            wrong.append(f"{edge}: {source} may not import {target}, a later stage")
        elif LAYERS[target] == LAYERS[source]:
            wrong.append(f"{edge}: {source} and {target} are sibling stages and may not "
                         "import each other")
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def test_no_import_cycle() -> None:
    edges = graph()
    out: dict[str, list[Edge]] = {}
    for edge in edges:
        out.setdefault(edge.source, []).append(edge)
    cycles: list[str] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[Edge] = []

    def visit(module: str) -> None:
        state[module] = 1
        for edge in out.get(module, []):
            if state.get(edge.target) == 1:
                start = next(i for i, e in enumerate(path) if e.source == edge.target) \
                    if edge.target != module else len(path)
                loop = [*path[start:], edge]
                cycles.append(" ; ".join(str(e) for e in loop))
            elif edge.target not in state:
                path.append(edge)
                visit(edge.target)
                path.pop()
        state[module] = 2

    for module in sorted(modules()):
        if module not in state:
            visit(module)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_a_subpackage_face_imports_nothing() -> None:
    """Importing a module runs its packages' `__init__.py` first; kept empty, they add no
    edge the graph does not show."""
    for name, path in modules().items():
        if path.name == "__init__.py" and name != "factcheck":
            tree = ast.parse(path.read_text(encoding="utf-8"))
            assert not any(isinstance(n, ast.Import | ast.ImportFrom) for n in ast.walk(tree)), (
                f"{path.relative_to(PACKAGE.parent)} imports something: keep a subpackage's "
                "__init__.py to its docstring")


def test_every_module_says_its_job() -> None:
    """Each module opens with a one-line summary of its job (a sentence on its own line)."""
    missing = []
    for path in modules().values():
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if not docstring.splitlines() or not docstring.splitlines()[0].endswith("."):
            missing.append(str(path.relative_to(PACKAGE.parent)))
    assert not missing, f"modules without a one-line summary: {missing}"
