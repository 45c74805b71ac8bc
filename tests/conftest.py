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
