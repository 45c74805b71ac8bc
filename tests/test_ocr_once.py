"""A scanned PDF is OCR'd once for `imtc check --review`: the check reads it into a Document, which
is kept by content hash (imtc/extract/cache.py); the review workers take that Document for the
prose the rubric reads instead of reading (and recognising) the file again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import need_ocr

need_ocr(module_level=True)  # with CI=true a missing OCR stack (or libGL) fails instead of skipping
pytestmark = pytest.mark.slow  # OCR

from imtc.extract import cache, ocr  # noqa: E402
from imtc.pipeline import check_file  # noqa: E402
from imtc.score_assist.texts import read_texts  # noqa: E402

MIXED = Path(__file__).resolve().parent.parent / "samples" / "pdf" / "mixed-scanned-cover.pdf"  # page 1 scanned


def test_check_then_the_prose_for_scoring_recognise_the_scanned_page_once(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMTC_DOCUMENT_CACHE", str(tmp_path / "cache"))
    cache.clear_memory()
    before = ocr.RECOGNISED["pages"]
    ex = check_file(MIXED)
    assert ex.source.ocr is True and ocr.RECOGNISED["pages"] == before + 1
    cache.clear_memory()  # as a review worker: the Document comes from disk
    hits = cache.STATS["hits"]
    texts = read_texts(MIXED, ex.kind)  # the sample is the blank template: no prose, but read from the Document
    assert texts is not None and cache.STATS["hits"] == hits + 1
    assert ocr.RECOGNISED["pages"] == before + 1


def test_imtc_check_review_logs_one_recognition_per_scanned_page(tmp_path: Path) -> None:
    code = ("import logging; logging.basicConfig(level=logging.INFO, format='LOG %(name)s %(message)s'); "
            "from imtc.cli import app; app(prog_name='imtc')")
    env = {**os.environ, "IMTC_DOCUMENT_CACHE": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-c", code, "check", str(MIXED), "--review", "--out", str(tmp_path / "out"),
                          "--db", str(tmp_path / "store.sqlite"), "--jobs", "1", "--silent"],
                         capture_output=True, text=True, env=env, timeout=1200, check=False)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    logged = [ln for ln in run.stderr.splitlines() if ln.startswith("LOG imtc.extract.ocr OCR:")]
    assert logged == ["LOG imtc.extract.ocr OCR: mixed-scanned-cover.pdf page 1"]
    written = sorted(p.suffix for p in (tmp_path / "out" / "review").rglob("*.*") if p.suffix in (".docx", ".html"))
    assert ".html" in written and ".docx" in written
