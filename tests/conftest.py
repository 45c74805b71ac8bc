"""What the tests share: the dependencies some tests need, and what happens when one is missing.

On a developer's machine a missing LibreOffice, Chromium, OCR stack or ../shared checkout skips the
tests that need it (with the reason). With CI=true it fails them instead: CI must never pass by
skipping (a missing libGL would otherwise skip every OCR test silently).

`-m "not slow"` leaves out the tests marked slow (LibreOffice, OCR, a browser, the sample rebuild,
every sample scored, a PostgreSQL server): the fast part runs in seconds.
"""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CHROMIUM = Path("/usr/bin/chromium")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def missing(what: str, *, module_level: bool = False) -> None:
    """A dependency the test needs is not there: fail in CI, skip elsewhere."""
    message = f"{what}（setup.sh 会安装；CI=true 时缺少即失败）"
    if in_ci():
        pytest.fail(f"CI 环境缺少依赖：{message}", pytrace=False)
    pytest.skip(f"缺少依赖：{message}", allow_module_level=module_level)


def need_program(*names: str, module_level: bool = False) -> str:
    """The path of the first of `names` on PATH (e.g. soffice, libreoffice)."""
    for name in names:
        if path := shutil.which(name):
            return path
    missing(" 或 ".join(names), module_level=module_level)
    raise AssertionError("unreachable")


def need_libreoffice(module_level: bool = False) -> str:
    return need_program("soffice", "libreoffice", module_level=module_level)


def need_chromium(module_level: bool = False) -> Path:
    if not CHROMIUM.exists():
        missing(str(CHROMIUM), module_level=module_level)
    return CHROMIUM


def need_module(name: str, module_level: bool = False):  # noqa: ANN201 - the module
    """importlib.import_module(name), or missing(): ImportError and an OSError of a native library
    (libGL for OpenCV) alike."""
    try:
        return importlib.import_module(name)
    except (ImportError, OSError) as exc:
        missing(f"Python 模块 {name}（{type(exc).__name__}: {exc}）", module_level=module_level)
        raise AssertionError("unreachable") from exc


def need_ocr(module_level: bool = False) -> None:
    """The OCR stack: the recognition engine, OpenCV (with its native libraries) and numpy."""
    for name in ("rapidocr_onnxruntime", "cv2", "numpy"):
        need_module(name, module_level=module_level)


def need_path(path: Path, what: str, module_level: bool = False) -> Path:
    """A file outside the repository (../shared beside the clone, as CI lays it)."""
    if not path.exists():
        missing(f"{what}（{path}）", module_level=module_level)
    return path


# Whole modules that are slow: each reads real documents end to end (worker processes, the web app
# and its background work, LibreOffice for .doc/.wps, PDFs page by page, the store) — seconds per
# test on a busy machine. Tests elsewhere carry @pytest.mark.slow themselves. `pytest -m "not slow"`
# keeps the unit tests: rules, readers on hand-made documents, entities, rubric, matching, the CLI
# with a stand-in reader, the vocabulary, the import graph.
SLOW_MODULES = {
    "test_document.py": "every reader on the samples, PDFs included",
    "test_formats.py": "legacy formats, scanned and hostile PDFs",
    "test_fuzz.py": "a few hundred hostile inputs through imtc check",
    "test_ocr.py": "OCR of scanned pages",
    "test_ocr_once.py": "OCR of scanned pages",
    "test_office_lo.py": "legacy samples through one LibreOffice kept running",
    "test_web_browser.py": "a browser against a running server",
    "test_materials.py": "application packages, the desk's round",
    "test_panel.py": "experts' sheets read back (.doc through LibreOffice, PDFs)",
    "test_panel_web.py": "the panel's page",
    "test_pdf_stream.py": "PDF tables page by page, camelot kept out in a subprocess",
    "test_register.py": "the register over stores of real documents, charts",
    "test_review.py": "review documents of real documents",
    "test_samples.py": "every sample extracted, legacy formats through LibreOffice",
    "test_score_cli.py": "imtc score on real documents",
    "test_score_samples.py": "every sample pair scored",
    "test_score_schema.py": "imtc score --json of every sample",
    "test_service.py": "assess() on real documents in worker processes",
    "test_web.py": "the web app end to end",
    "test_web_defects.py": "the web app end to end",
    "test_web_expected.py": "the web app end to end",
    "test_web_register.py": "the register's pages",
    "test_web_shared.py": "several server processes sharing one database",
}


# Single tests (module::name, a parametrised name's prefix) that are slow in otherwise fast modules.
SLOW_TESTS = {
    "test_crosscheck.py::test_samples[": "the samples read and cross-checked",
    "test_score_items.py::test_equipment_eta_bands[100-59-0]": "100 plan rows matched against 59",
}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With `-m "not slow"`, the slow modules are not even imported (their imports cost seconds)."""
    if config.getoption("markexpr", "").replace(" ", "") == "notslow" and collection_path.name in SLOW_MODULES:
        return True
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        name = f"{item.path.name}::{item.name}"
        if item.path.name in SLOW_MODULES or any(name.startswith(t) for t in SLOW_TESTS):
            item.add_marker(pytest.mark.slow)
