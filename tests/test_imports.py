"""The import graph of imtc: no cycle among module-level imports, no module using another one's private
names (`from imtc.x import _y`, `x._y`), and `imtc --help` loads no heavy
library (the commands import theirs inside the command functions)."""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "imtc"
HEAVY = ("sqlalchemy", "docxtpl", "docx", "openpyxl", "fastapi", "uvicorn", "spacy", "pdfplumber", "pypdfium2",
         "cv2", "numpy", "matplotlib", "jinja2", "lxml", "pydantic")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The imports run when the module is imported: module level, in try/if blocks, not TYPE_CHECKING."""
    out: list[ast.Import | ast.ImportFrom] = []
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            out.append(node)
        elif isinstance(node, ast.If) and not _is_type_checking(node):
            todo += node.body + node.orelse
        elif isinstance(node, ast.Try):
            todo += node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body]
    return out


@functools.cache
def import_graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _top_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                return path[path.index(n):] + [n]
            if n not in state and (cycle := visit(n)):
                return cycle
        path.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (cycle := visit(m)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_sees_the_command_line_package() -> None:
    graph = import_graph()
    assert "imtc.cli.common" in graph["imtc.cli.score"]
    assert {"imtc.cli.check", "imtc.cli.score", "imtc.cli.serve"} <= graph["imtc.cli"]


def test_no_import_cycle_in_imtc() -> None:
    assert find_cycle(import_graph()) is None


def test_help_loads_no_heavy_library() -> None:
    code = ("import sys, imtc.cli; "
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []


def private_uses(module: str, source: str) -> list[str]:
    """The private names (`_x`, not dunders) `module` takes from another imtc module: imported
    (`from imtc.a import _x`, anywhere in the file) or reached through an imported module (`a._x`)."""
    found: list[str] = []
    aliases: dict[str, str] = {}  # local name -> imtc module
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("imtc") and node.module != module:
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    found.append(f"{node.module}.{a.name}")
                else:
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("imtc") and a.name != module:
                    aliases[a.asname or a.name] = a.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append(f"{aliases[node.value.id]}.{node.attr}")
    return found


def test_the_private_name_finder_finds_both_ways() -> None:
    source = ("from imtc.cli import score as s\nfrom imtc.cli.score import _read, show\n"
              "def f():\n    from imtc.review import _clean\n    return s._previous(), show._x, _read\n")
    assert sorted(private_uses("imtc.cli.review", source)) == ["imtc.cli.score._previous", "imtc.cli.score._read",
                                                                "imtc.cli.score.show._x", "imtc.review._clean"]
    assert private_uses("imtc.cli.score", "from imtc.cli.score import _read\n") == []


def test_no_module_uses_another_modules_private_names() -> None:
    """Front doors (cli/, web/, review, service) and stages alike: what another module needs is public."""
    used = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        if found := private_uses(name, path.read_text(encoding="utf-8")):
            used[name] = found
    assert used == {}
