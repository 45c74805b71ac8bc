"""What the front doors (the command line, the web, the review documents, the round) share exists once:
the scoring inputs (imtc.service), the previous plan found in the store, the terminal's messages and
errors (imtc/cli/common.py), the database engine (imtc/store.py), a file's hash (imtc/hashing.py),
the words for a place in a document (imtc/locations.py). Read from the source, so a second copy
added anywhere fails here."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "imtc"


@functools.cache
def _modules() -> dict[str, ast.Module]:
    return {p.relative_to(PACKAGE).as_posix(): ast.parse(p.read_text(encoding="utf-8")) for p in PACKAGE.rglob("*.py")}


def _strings(tree: ast.Module) -> list[str]:
    """Every string constant, the literal parts of f-strings included."""
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _calls(tree: ast.Module, name: str) -> int:
    return sum(1 for n in ast.walk(tree) if isinstance(n, ast.Call)
               and (getattr(n.func, "id", None) == name or getattr(n.func, "attr", None) == name))


def _imports(tree: ast.Module) -> set[str]:
    out: set[str] = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Import):
            out |= {a.name for a in n.names}
        elif isinstance(n, ast.ImportFrom) and n.module:
            out |= {n.module} | {f"{n.module}.{a.name}" for a in n.names}
    return out


def test_only_the_service_builds_the_scoring_inputs() -> None:
    """score() is called by assess() alone (and by the register's yearly figures, over extractions
    already stored: no file, no prose)."""
    callers = {m for m, t in _modules().items() if "imtc.score_assist.score" in _imports(t)}
    assert callers == {"service.py", "register/figures.py"}


def test_the_previous_plan_found_in_the_store_is_worded_once() -> None:
    found = sorted(m for m, t in _modules().items() if any("由记录库找到" in s for s in _strings(t)))
    assert found == ["service.py"]
    round_source = (PACKAGE / "cli" / "round.py").read_text(encoding="utf-8")
    assert "previous_in_store(store, ex)" in round_source and "previous_plan(" not in round_source


def test_the_rule_for_the_previous_plan_is_written_once() -> None:
    """Which document is an annual report's previous plan (and its history) is decided by
    store.plan_before/history_before alone: the register's yearly figures had a copy of their own."""
    for m, t in _modules().items():
        if m == "store.py":
            continue
        compares_years = [n for n in ast.walk(t) if isinstance(n, ast.Compare) and any(
            getattr(side, "attr", None) == "year" for side in (n.left, *n.comparators)) and any(
            isinstance(op, ast.Lt) for op in n.ops)]
        kinds = any(s == "annual_report" for s in _strings(t))
        assert not (compares_years and kinds and "imtc.store" in _imports(t)), m


def test_the_terminal_is_set_up_and_errors_printed_in_common_only() -> None:
    """Every command prints through common.stdout()/stderr(), fail() and warn(): the same red
    "错误：" on stderr and exit status 2 for every command."""
    own_console, own_words = [], []
    for m, t in _modules().items():
        if not m.startswith("cli/") or m == "cli/common.py":
            continue
        if _calls(t, "Console"):
            own_console.append(m)
        if any(s.startswith(("错误：", "提示：")) for s in _strings(t)):
            own_words.append(m)
    assert own_console == [] and own_words == []


def test_one_database_engine_one_file_hash() -> None:
    modules = _modules()
    assert [m for m, t in modules.items() if _calls(t, "create_engine")] == ["store.py"]
    # hashlib: files by imtc/hashing.py; besides, only digests of things that are no submitted file
    hashers = {m for m, t in modules.items() if "hashlib" in _imports(t)}
    assert hashers == {"hashing.py", "review.py", "web/auth.py", "extract/cache.py", "files.py",
                       "extract/ocr_model.py", "extract/office.py"}
    assert _calls(modules["extract/ocr_model.py"], "sha256") == 1  # the OCR model's cache name, from the model
    assert _calls(modules["extract/office.py"], "md5") == 1  # the socket LibreOffice names after its profile
    assert _calls(modules["review.py"], "sha256") == 1  # the review templates' fingerprint
    assert _calls(modules["web/auth.py"], "sha256") == 1  # a session token's hash
    assert _calls(modules["extract/cache.py"], "sha256") == 1  # the cache key, from the file's hash
    assert _calls(modules["files.py"], "sha256") == 1  # a shortened output name's tag, from the name


def _place_pieces(tree: ast.Module) -> int:
    """f-strings that put a number or name right after 第/章节 and before 页/个表格/行/段: a place's piece."""
    n = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = node.values
            for a, b, c in zip(parts, parts[1:], parts[2:], strict=False):
                if (isinstance(a, ast.Constant) and str(a.value).rstrip().endswith(("第", "章节"))
                        and isinstance(b, ast.FormattedValue) and isinstance(c, ast.Constant)
                        and str(c.value).lstrip().startswith(("页", "个表格", "行", "段"))):
                    n += 1
    return n


def test_places_are_worded_by_locations_only() -> None:
    """"第 3 页 · 章节 8.2 · 第 2 行": the pieces are made in imtc/locations.py; the front doors (the
    terminal, the workbook, the web, the review documents) join them and build none of their own.
    (A finding's message may name a place in its sentence: that is the finding's wording.)"""
    front = ("cli/", "web/", "review.py", "summary.py", "service.py", "crops.py")
    makers = {m: n for m, t in _modules().items() if m.startswith(front) and (n := _place_pieces(t))}
    assert makers == {}
    assert _place_pieces(ast.parse('x = f"第 {page} 页的第 {t + 1} 个表格"')) == 2
    users = sorted(m for m, t in _modules().items() if "imtc.locations.location_parts" in _imports(t))
    assert users == ["review.py", "summary.py", "web/views.py"]
