"""Architecture checks: import layers, import cycles, private names, import guards, sizes.

Every ``.py`` under ``src/newstrace`` (and, for private names, under ``tests/`` and ``bench/``) is
read with the standard library's ``ast``; nothing is imported or executed. Every import statement
counts: module level, inside functions and methods, under ``if TYPE_CHECKING:`` and in ``try``
blocks. Relative imports are resolved against the importing module's package, and
``from pkg import x`` means the submodule ``pkg.x`` when ``x`` is a module on disk.

The layer table below describes the TARGET layout. A module that is not in it fails the layer
test, so every new module gets placed deliberately.
"""

from __future__ import annotations

import ast
import re
import textwrap
import warnings
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
PACKAGE = "newstrace"
ROOT = SRC / PACKAGE

# Module (or package: it covers its submodules) -> (layer, sub-layer), bottom up. Imports point to
# the same or a lower layer. Two entries on one layer are siblings and must not import each other
# (unless listed in ALLOWED_SIBLING_IMPORTS); modules covered by one package entry (ingest, link,
# store, present, extract.entities) may import each other, without cycles. Inside extract the
# sub-layers a..f order the stages; the extract face (its __init__) sits above them all.
LAYERS: dict[str, tuple[int, int]] = {
    # 1. plain data and settings
    "newstrace.models": (1, 0),
    "newstrace.config": (1, 0),
    "newstrace.errors": (1, 0),
    "newstrace.rows": (1, 0),
    "newstrace.budget": (1, 0),
    "newstrace.version": (1, 0),
    "newstrace.sanitize": (1, 0),
    "newstrace.language": (1, 0),
    # 2. input, parsing and storage: siblings, none imports another
    "newstrace.nlp": (2, 0),
    "newstrace.ingest": (2, 0),
    "newstrace.clean": (2, 0),
    "newstrace.store": (2, 0),
    # 3. extract, in its own order
    "newstrace.extract.lexicon": (3, 1),  # a
    "newstrace.extract.outlets": (3, 1),
    "newstrace.extract.quote_marks": (3, 1),
    "newstrace.extract.cues": (3, 1),
    "newstrace.extract.forms": (3, 1),  # a content's form: clause or noun phrase (issue 15 §4)
    "newstrace.extract.crf": (3, 1),  # the CRF decoder over a CRFsuite model file (issue 15)
    "newstrace.extract.figures": (3, 1),
    "newstrace.extract.doc_index": (3, 0),  # the per-Doc shared tokens/text/sentences (issue 15), under all
    "newstrace.extract.entities": (3, 2),  # b (a package)
    "newstrace.extract.speakers": (3, 3),  # c
    "newstrace.extract.sources": (3, 3),
    "newstrace.extract.reported": (3, 4),  # d
    "newstrace.extract.quotes": (3, 5),  # e
    "newstrace.extract.attributions": (3, 5),
    "newstrace.extract.claims": (3, 5),
    "newstrace.extract.events": (3, 5),
    "newstrace.extract.learned": (3, 5),  # the learned attribution tagger (issue 15)
    "newstrace.extract.core": (3, 6),  # f
    "newstrace.extract": (3, 7),  # the extract face: may import any extract module
    # 4. cross-article linking and worker processes
    "newstrace.link": (4, 0),
    "newstrace.workers": (4, 0),
    # 5.
    "newstrace.pipeline": (5, 0),
    # 6.
    "newstrace.distributed": (6, 0),
    "newstrace.present": (6, 0),
    # 7. entry points; the package face may import anything
    "newstrace.cli": (7, 0),
    "newstrace.__main__": (7, 0),
    "newstrace": (7, 0),
}
# Package faces: their entry covers only their __init__; each submodule needs its own entry.
FACES = frozenset({"newstrace", "newstrace.extract"})
# (importer entry, imported entry) pairs on one layer that may import each other.
ALLOWED_SIBLING_IMPORTS = frozenset({("newstrace.__main__", "newstrace.cli")})

MAX_CLASS_LINES = 300
MAX_FUNCTION_LINES = 150

_SUBLAYER_NAMES = {0: "3 (the shared Doc index)", 1: "3a", 2: "3b", 3: "3c", 4: "3d", 5: "3e", 6: "3f", 7: "3 (the extract face)"}
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
_TRY_NODES = (ast.Try, ast.TryStar) if hasattr(ast, "TryStar") else (ast.Try,)
_DOTTED = re.compile(rf"{PACKAGE}(\.\w+)+")


@dataclass(frozen=True)
class ImportEdge:
    """One imported newstrace module, as written in one import statement."""

    path: Path
    line: int
    source: str | None  # the importing module; None for files outside src/ (tests, bench)
    target: str  # the imported module
    name: str | None = None  # the attribute taken from target (`from target import name`), if not a module
    bound: tuple[str, str] | None = None  # (local name, module) when the statement binds a module
    guarded: bool = False  # inside a try body whose handlers catch ImportError/ModuleNotFoundError


# ---- reading the tree ---------------------------------------------------------------------------


def package_files(root: Path = ROOT) -> list[Path]:
    """All .py files of the package under root, sorted."""
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path: Path, src: Path = SRC) -> str | None:
    """The dotted module name of a file under src, or None for a file outside it."""
    try:
        rel = path.resolve().relative_to(src.resolve())
    except ValueError:
        return None
    parts = rel.with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def is_module(dotted: str, src: Path = SRC) -> bool:
    """Whether dotted names a module or package on disk under src."""
    base = src.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or base.is_dir()


def _parse(path: Path) -> ast.Module:
    with warnings.catch_warnings():  # invalid escapes etc. are another test's business
        warnings.simplefilter("ignore")
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_own(dotted: str | None) -> bool:
    return dotted is not None and (dotted == PACKAGE or dotted.startswith(PACKAGE + "."))


def _resolve_from(node: ast.ImportFrom, source: str | None, path: Path) -> str | None:
    """The absolute module a `from ... import` statement reads from, or None if unresolvable."""
    if not node.level:
        return node.module
    if source is None:
        return None
    package = source if path.name == "__init__.py" else source.rpartition(".")[0]
    parts = package.split(".")
    if node.level - 1 >= len(parts):
        return None
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def _catches_import_error(handler_type: ast.expr | None) -> bool:
    if isinstance(handler_type, ast.Tuple):
        return any(_catches_import_error(elt) for elt in handler_type.elts)
    if isinstance(handler_type, ast.Name):
        return handler_type.id in _IMPORT_ERRORS
    if isinstance(handler_type, ast.Attribute):
        return handler_type.attr in _IMPORT_ERRORS
    return False


def _statement_edges(node: ast.Import | ast.ImportFrom, path: Path, source: str | None, src: Path,
                     guarded: bool) -> Iterator[ImportEdge]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if _is_own(alias.name):
                local = alias.asname or alias.name.partition(".")[0]
                bound = alias.name if alias.asname else local
                yield ImportEdge(path, node.lineno, source, alias.name, None, (local, bound), guarded)
        return
    base = _resolve_from(node, source, path)
    if not _is_own(base):
        return
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        if alias.name == "*":
            yield ImportEdge(path, node.lineno, source, base, None, None, guarded)
        elif is_module(sub, src):
            yield ImportEdge(path, node.lineno, source, sub, None, (alias.asname or alias.name, sub), guarded)
        else:
            yield ImportEdge(path, node.lineno, source, base, alias.name, None, guarded)


def _walk_imports(node: ast.AST, path: Path, source: str | None, src: Path,
                  guarded: bool) -> Iterator[ImportEdge]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield from _statement_edges(node, path, source, src, guarded)
        return
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        guarded = False  # its body runs when called, outside any try around the definition
    if isinstance(node, _TRY_NODES):
        inner = guarded or any(_catches_import_error(h.type) for h in node.handlers)
        for stmt in node.body:
            yield from _walk_imports(stmt, path, source, src, inner)
        for stmt in [*node.handlers, *node.orelse, *node.finalbody]:
            yield from _walk_imports(stmt, path, source, src, guarded)
        return
    for child in ast.iter_child_nodes(node):
        yield from _walk_imports(child, path, source, src, guarded)


def iter_imports(path: Path, *, src: Path = SRC) -> Iterator[ImportEdge]:
    """Every import of a newstrace module in one file, at any depth.

    Args:
        path: a Python file (in src/newstrace, tests/ or bench/).
        src: the directory holding the newstrace package, to resolve modules.

    Yields:
        One ImportEdge per imported newstrace module or name; third-party imports are skipped.
    """
    yield from _walk_imports(_parse(path), path, module_name(path, src), src, False)


def module_graph(root: Path = ROOT) -> dict[str, dict[str, ImportEdge]]:
    """The package's import graph: module -> imported module -> first import statement.

    Args:
        root: the package directory (src/newstrace).

    Returns:
        Every module of the package as a key, including those importing nothing.
    """
    src = root.parent
    graph: dict[str, dict[str, ImportEdge]] = {}
    for path in package_files(root):
        graph.setdefault(module_name(path, src), {})
        for edge in iter_imports(path, src=src):
            graph[edge.source].setdefault(edge.target, edge)
    return graph


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself).

    Args:
        graph: module -> the modules it imports.

    Returns:
        Each cycle's members, sorted; the cycles sorted.
    """
    nodes = sorted(set(graph) | {t for targets in graph.values() for t in targets})
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def enter(node: str) -> tuple[str, Iterator[str]]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        return node, iter(sorted(graph.get(node, ())))

    for start in nodes:  # Tarjan's algorithm, iteratively
        if start in index:
            continue
        work = [enter(start)]
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    work.append(enter(nxt))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in graph.get(node, ()):
                        cycles.append(sorted(component))
    return sorted(cycles)


def _cycle_path(graph: Mapping[str, Iterable[str]], members: list[str]) -> list[str]:
    """A shortest import path from the first member back to itself, inside the component."""
    start, inside = members[0], set(members)
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if nxt in inside and nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return [start, start]


def _show(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def _describe_cycle(graph: Mapping[str, Mapping[str, ImportEdge]], members: list[str], base: Path) -> str:
    path = _cycle_path(graph, members)
    steps = ", ".join(
        f"{a} -> {b} ({_show(graph[a][b].path, base)}:{graph[a][b].line})" for a, b in zip(path, path[1:])
    )
    return f"cycle of {len(members)}: {', '.join(members)}; e.g. {steps}"


# ---- layers -------------------------------------------------------------------------------------


def table_entry(module: str) -> str | None:
    """The LAYERS key covering module (itself, or the nearest package entry that is not a face)."""
    if module in LAYERS:
        return module
    parts = module.split(".")
    for end in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in LAYERS and prefix not in FACES:
            return prefix
    return None


def layer_of(module: str) -> tuple[int, int] | None:
    """The (layer, sub-layer) of a newstrace module in the target layout, or None if unplaced."""
    entry = table_entry(module)
    return None if entry is None else LAYERS[entry]


def _layer_label(layer: tuple[int, int]) -> str:
    return _SUBLAYER_NAMES[layer[1]] if layer[0] == 3 else str(layer[0])


def _layer_problem(source: str, target: str) -> str | None:
    """Why an import from source to target breaks the layering, or None if it is fine."""
    if source == PACKAGE:
        return None  # the face may import anything
    if target == PACKAGE:
        return ("imports the package face, which imports the pipeline; "
                "import the module that defines the name, e.g. newstrace.version")
    low, high = layer_of(source), layer_of(target)
    if low is None or high is None:
        return f"{target if high is None else source} is not in the layer table"
    label = f"layer {_layer_label(low)} imports layer {_layer_label(high)}"
    if high > low:
        return label
    if high == low:
        pair = (table_entry(source), table_entry(target))
        if pair[0] != pair[1] and pair not in ALLOWED_SIBLING_IMPORTS:
            return f"{label}: siblings must not import each other; move what they share down a layer"
    return None


def layer_violations(root: Path = ROOT) -> list[str]:
    """Every unplaced module, import that does not point down, and cycle inside one package.

    Args:
        root: the package directory (src/newstrace).

    Returns:
        One message per problem, `path:line: a -> b (why)`.
    """
    src, base = root.parent, root.parent.parent
    problems: list[str] = []
    files = package_files(root)
    placed = set()
    for path in files:
        module = module_name(path, src)
        if layer_of(module) is None:
            problems.append(f"{_show(path, base)}:1: {module} is not in the layer table: "
                            "add it to LAYERS in tests/test_architecture.py")
        else:
            placed.add(module)
    on_disk = {module_name(p, src) for p in files}
    seen = set()
    for path in files:
        for edge in iter_imports(path, src=src):
            if (path, edge.line, edge.target) in seen:
                continue  # `from m import a, b`: one message per statement
            seen.add((path, edge.line, edge.target))
            if edge.source not in placed or (edge.target in on_disk and edge.target not in placed):
                continue  # an unplaced module is reported above, once
            why = _layer_problem(edge.source, edge.target)
            if why:
                problems.append(f"{_show(path, base)}:{edge.line}: {edge.source} -> {edge.target} ({why})")
    graph = module_graph(root)
    inside = {s: [t for t in targets if t != s and table_entry(t) == table_entry(s)]  # one package's own imports
              for s, targets in graph.items() if s in placed}
    for members in find_cycles(inside):
        problems.append(f"package {table_entry(members[0])}: {_describe_cycle(graph, members, base)}")
    return problems


# ---- private names ------------------------------------------------------------------------------


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_owner(dotted: str, importer: str | None, src: Path = SRC) -> str | None:
    """The module (or package) whose private name `dotted` reaches into from importer, or None.

    A private module (``pkg._mod``) is private to its package; any other private name is private
    to the module that defines it. Dunder names are public.
    """
    parts = dotted.split(".")
    for i, part in enumerate(parts):
        if not _is_private(part):
            continue
        if is_module(".".join(parts[: i + 1]), src):
            owner = ".".join(parts[:i])
            allowed = importer is not None and (importer == owner or importer.startswith(owner + "."))
        else:
            owner = next(".".join(parts[:j]) for j in range(i, 0, -1) if is_module(".".join(parts[:j]), src))
            if owner == PACKAGE and i > 1:
                owner = ".".join(parts[:2])  # a module no longer on disk (a stale import)
            allowed = importer == owner
        if not allowed:
            return owner
    return None


def _attribute_chain(node: ast.expr) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"], or None if it does not start at a plain name."""
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(names)]


def _reached_names(tree: ast.Module, bindings: dict[str, str]) -> Iterator[tuple[int, str]]:
    """(line, dotted name) for attribute access and patch strings that reach into newstrace."""
    def resolve(expr: ast.expr) -> str | None:
        chain = _attribute_chain(expr)
        if chain is None or chain[0] not in bindings:
            return None
        return ".".join([bindings[chain[0]], *chain[1:]])

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            dotted = resolve(node)
            if dotted:
                yield node.lineno, dotted
        elif isinstance(node, ast.Call) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and _DOTTED.fullmatch(first.value):
                yield node.lineno, first.value  # monkeypatch.setattr("newstrace.x._y", ...), mock.patch(...)
            elif (len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
                  and isinstance(node.args[1].value, str) and _is_private(node.args[1].value)):
                owner = resolve(first)  # monkeypatch.setattr(module, "_y", ...), getattr(module, "_y")
                if owner:
                    yield node.lineno, f"{owner}.{node.args[1].value}"


def private_name_uses(files: Iterable[Path], *, src: Path = SRC) -> list[str]:
    """Every use of another module's private name: imports, attributes, patch targets.

    Args:
        files: the Python files to read (src/newstrace, tests/, bench/).
        src: the directory holding the newstrace package.

    Returns:
        One message per use, `path:line: name (private to module)`.
    """
    base = src.parent
    problems: list[str] = []
    for path in files:
        importer = module_name(path, src)
        bindings: dict[str, str] = {}
        reached: list[tuple[int, str]] = []
        for edge in iter_imports(path, src=src):
            if edge.bound:
                bindings[edge.bound[0]] = edge.bound[1]
            reached.append((edge.line, edge.target if edge.name is None else f"{edge.target}.{edge.name}"))
        reached.extend(_reached_names(_parse(path), bindings))
        for line, dotted in sorted(set(reached)):
            owner = private_owner(dotted, importer, src)
            if owner:
                problems.append(f"{_show(path, base)}:{line}: {dotted} (private to {owner})")
    return problems


# ---- guards and sizes ---------------------------------------------------------------------------


def import_error_guards(root: Path = ROOT) -> list[str]:
    """Every import of an own module inside a try that catches ImportError/ModuleNotFoundError."""
    base = root.parent.parent
    return [
        f"{_show(edge.path, base)}:{edge.line}: {edge.source} -> {edge.target} is guarded by except ImportError"
        for path in package_files(root)
        for edge in iter_imports(path, src=root.parent)
        if edge.guarded
    ]


def _definitions(node: ast.AST, prefix: str) -> Iterator[tuple[str, ast.AST]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            name = f"{prefix}{child.name}"
            yield name, child
            yield from _definitions(child, f"{name}." if isinstance(child, ast.ClassDef) else f"{name}.<locals>.")
        else:
            yield from _definitions(child, prefix)


def oversized_definitions(root: Path = ROOT) -> list[str]:
    """Every class over MAX_CLASS_LINES and function over MAX_FUNCTION_LINES lines (docstring included)."""
    base = root.parent.parent
    problems = []
    for path in package_files(root):
        for name, node in _definitions(_parse(path), ""):
            lines = node.end_lineno - node.lineno + 1
            is_class = isinstance(node, ast.ClassDef)
            limit = MAX_CLASS_LINES if is_class else MAX_FUNCTION_LINES
            if lines > limit:
                kind = "class" if is_class else "function"
                problems.append(f"{_show(path, base)}:{node.lineno}: {kind} {name} is {lines} lines (limit {limit})")
    return problems


def _fail(header: str, problems: list[str]) -> None:
    if problems:
        pytest.fail(f"{header} ({len(problems)}):\n" + "\n".join(problems), pytrace=False)


# ---- the checks on the real tree ----------------------------------------------------------------


def test_architecture_imports_point_down():
    _fail("imports that do not point down the layers (see LAYERS in tests/test_architecture.py)",
          layer_violations(ROOT))


def test_architecture_no_import_cycles():
    graph = module_graph(ROOT)
    _fail("import cycles (break each by moving the shared code down a layer)",
          [_describe_cycle(graph, members, REPO) for members in find_cycles(graph)])


def test_architecture_no_private_names_across_modules():
    files = [p for d in (ROOT, REPO / "tests", REPO / "bench") for p in sorted(d.rglob("*.py"))
             if "__pycache__" not in p.parts]
    _fail("private names used outside their module (make the name public, or test through the public API)",
          private_name_uses(files, src=SRC))


def test_architecture_no_import_error_guard_on_own_modules():
    _fail("own modules imported under `except ImportError` (they always import: drop the guard, so a "
          "broken import fails loudly)", import_error_guards(ROOT))


def test_architecture_size_limits():
    _fail("classes and functions over the size limits (split them)", oversized_definitions(ROOT))


def test_architecture_scan_reads_the_real_tree():
    graph = module_graph(ROOT)
    edges = [edge for path in package_files(ROOT) for edge in iter_imports(path)]
    assert len(graph) > 15, sorted(graph)
    assert len(edges) > 60, len(edges)
    assert "newstrace.pipeline" in graph["newstrace"]  # the face imports the pipeline


# ---- the checker catches what it should ---------------------------------------------------------

_SYNTHETIC = {
    "newstrace/__init__.py": "from .pipeline import analyze\n",  # the face may import anything
    "newstrace/__main__.py": "from .cli import main\n",  # a listed sibling import
    "newstrace/cli.py": "from . import __version__\nfrom .version import __version__ as version\n",
    "newstrace/version.py": "__version__ = '0'\n",
    "newstrace/models.py": "_hidden = 1\n",
    "newstrace/nlp.py": """\
        def late():
            from .extract.cues import CUES  # upward, inside a function
            return CUES
        """,
    "newstrace/clean.py": """\
        try:
            from . import nlp
        except (ValueError, ImportError):
            nlp = None
        try:
            import pyarrow  # a third-party guard is fine
        except ModuleNotFoundError:
            pyarrow = None
        """,
    "newstrace/store/__init__.py": "from .db import open_store\n",
    "newstrace/store/db.py": "from newstrace import __version__\nfrom .schema import TABLES\n",
    "newstrace/store/schema.py": "TABLES = ()\n",
    "newstrace/pipeline.py": """\
        from . import models
        from .models import _hidden
        from .extract import annotate


        def analyze():
            from .gone import nothing
            _local = 1
            models._hidden = _local
        """,
    "newstrace/link.py": "from .extract import annotate\nfrom .pipeline import analyze, other\n",
    "newstrace/workers.py": "",
    "newstrace/oddity.py": "",
    "newstrace/extract/__init__.py": "from .core import annotate\n",
    "newstrace/extract/core.py": "from . import quotes, attributions\n\n\ndef annotate():\n    pass\n",
    "newstrace/extract/cues.py": "CUES = ()\n",
    "newstrace/extract/quotes.py": """\
        from typing import TYPE_CHECKING

        from .cues import CUES

        if TYPE_CHECKING:
            from ..workers import Pool


        def find():
            from .attributions import attribute
            return attribute
        """,
    "newstrace/extract/attributions.py": "from .quotes import find\n\n\ndef attribute():\n    pass\n",
    "newstrace/extract/entities/__init__.py": "from .names import NAMES\n",
    "newstrace/extract/entities/names.py": "from .coref import COREF\nNAMES = ()\n",
    "newstrace/extract/entities/coref.py": "from . import names\nCOREF = ()\n",
    "newstrace/ingest/__init__.py": "from ._warc import read_warc\nfrom . import _warc\n_warc._buffer = 2\n",
    "newstrace/ingest/_warc.py": "def read_warc():\n    pass\n",
    "tests/test_x.py": """\
        import newstrace.pipeline
        from newstrace import pipeline as pl
        from newstrace.ingest._warc import read_warc
        from newstrace.pipeline import analyze, _budget
        from newstrace.gone import _old


        def test_x(monkeypatch):
            monkeypatch.setattr("newstrace.pipeline._limit", 1)
            monkeypatch.setattr(pl, "_limit", 1)
            monkeypatch.setattr(pl, "analyze", 1)
            newstrace.pipeline._limit = 2
            assert pl.__version__ and pl.analyze
            obj = object()
            obj._fine = 1
        """,
}


def _write_synthetic(tmp_path: Path) -> Path:
    """A tiny newstrace package with one of each violation, plus tests/test_x.py; returns its root."""
    for rel, text in _SYNTHETIC.items():
        path = tmp_path / ("src" if rel.startswith(PACKAGE) else ".") / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    sizes = tmp_path / "src" / PACKAGE / "config.py"  # at the limits, then one line over
    sizes.write_text(
        "".join(f"def {name}():\n" + "".join(f"    x{i} = {i}\n" for i in range(body)) + "\n\n"
                for name, body in (("fits", 149), ("huge", 150)))
        + "".join(f"class {name}:\n" + "".join(f"    a{i} = {i}\n" for i in range(body)) + "\n\n"
                  for name, body in (("Fits", 299), ("Big", 300))),
        encoding="utf-8",
    )
    return tmp_path / "src" / PACKAGE


def test_architecture_checker_catches_violations(tmp_path):
    root = _write_synthetic(tmp_path)
    siblings = "siblings must not import each other; move what they share down a layer"
    assert layer_violations(root) == [
        "src/newstrace/oddity.py:1: newstrace.oddity is not in the layer table: "
        "add it to LAYERS in tests/test_architecture.py",
        "src/newstrace/clean.py:2: newstrace.clean -> newstrace.nlp (layer 2 imports layer 2: " + siblings + ")",
        "src/newstrace/cli.py:1: newstrace.cli -> newstrace (imports the package face, which imports the "
        "pipeline; import the module that defines the name, e.g. newstrace.version)",
        "src/newstrace/extract/attributions.py:1: newstrace.extract.attributions -> newstrace.extract.quotes "
        "(layer 3e imports layer 3e: " + siblings + ")",
        "src/newstrace/extract/quotes.py:6: newstrace.extract.quotes -> newstrace.workers (layer 3e imports layer 4)",
        "src/newstrace/extract/quotes.py:10: newstrace.extract.quotes -> newstrace.extract.attributions "
        "(layer 3e imports layer 3e: " + siblings + ")",
        "src/newstrace/link.py:2: newstrace.link -> newstrace.pipeline (layer 4 imports layer 5)",
        "src/newstrace/nlp.py:2: newstrace.nlp -> newstrace.extract.cues (layer 2 imports layer 3a)",
        "src/newstrace/pipeline.py:7: newstrace.pipeline -> newstrace.gone (newstrace.gone is not in the layer table)",
        "src/newstrace/store/db.py:1: newstrace.store.db -> newstrace (imports the package face, which imports "
        "the pipeline; import the module that defines the name, e.g. newstrace.version)",
        "package newstrace.extract.entities: cycle of 2: newstrace.extract.entities.coref, "
        "newstrace.extract.entities.names; e.g. "
        "newstrace.extract.entities.coref -> newstrace.extract.entities.names "
        "(src/newstrace/extract/entities/coref.py:1), "
        "newstrace.extract.entities.names -> newstrace.extract.entities.coref "
        "(src/newstrace/extract/entities/names.py:1)",
    ]

    graph = module_graph(root)
    assert find_cycles(graph) == [
        ["newstrace.extract.attributions", "newstrace.extract.quotes"],
        ["newstrace.extract.entities.coref", "newstrace.extract.entities.names"],
    ]
    assert _describe_cycle(graph, find_cycles(graph)[0], tmp_path) == (
        "cycle of 2: newstrace.extract.attributions, newstrace.extract.quotes; e.g. "
        "newstrace.extract.attributions -> newstrace.extract.quotes (src/newstrace/extract/attributions.py:1), "
        "newstrace.extract.quotes -> newstrace.extract.attributions (src/newstrace/extract/quotes.py:10)"
    )
    assert find_cycles({"a": ["a"], "b": ["c"], "c": []}) == [["a"]]

    files = [*package_files(root), tmp_path / "tests" / "test_x.py"]
    assert private_name_uses(files, src=root.parent) == [
        "src/newstrace/ingest/__init__.py:3: newstrace.ingest._warc._buffer (private to newstrace.ingest._warc)",
        "src/newstrace/pipeline.py:2: newstrace.models._hidden (private to newstrace.models)",
        "src/newstrace/pipeline.py:9: newstrace.models._hidden (private to newstrace.models)",
        "tests/test_x.py:3: newstrace.ingest._warc.read_warc (private to newstrace.ingest)",
        "tests/test_x.py:4: newstrace.pipeline._budget (private to newstrace.pipeline)",
        "tests/test_x.py:5: newstrace.gone._old (private to newstrace.gone)",
        "tests/test_x.py:9: newstrace.pipeline._limit (private to newstrace.pipeline)",
        "tests/test_x.py:10: newstrace.pipeline._limit (private to newstrace.pipeline)",
        "tests/test_x.py:12: newstrace.pipeline._limit (private to newstrace.pipeline)",
    ]

    assert import_error_guards(root) == [
        "src/newstrace/clean.py:2: newstrace.clean -> newstrace.nlp is guarded by except ImportError",
    ]
    assert oversized_definitions(root) == [
        "src/newstrace/config.py:153: function huge is 151 lines (limit 150)",
        "src/newstrace/config.py:608: class Big is 301 lines (limit 300)",
    ]
