"""Formats other than .docx: routing by content, legacy Word through LibreOffice, hostile PDFs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from imtc.pipeline import check_file
from tests.conftest import need_libreoffice

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
HOSTILE = SAMPLES / "hostile"


@pytest.mark.parametrize(("name", "words"), [
    ("encrypted.pdf", "已加密"),
    ("broken.pdf", "已损坏"),
    ("text-named.pdf", "扩展名为 .pdf，但内容是纯文本"),
])
def test_hostile_pdf_is_unreadable_with_a_chinese_reason(name: str, words: str) -> None:
    ex = check_file(HOSTILE / name)
    assert ex.kind == "unreadable"
    assert [f.code for f in ex.findings] == ["file-unreadable"]
    assert words in ex.findings[0].message
    assert ex.source.format == "pdf"


@pytest.mark.slow  # OCR
def test_scanned_pages_are_named_and_the_rest_is_read() -> None:
    """The scanned cover is read by OCR (more in tests/test_ocr.py) and named in an info finding."""
    ex = check_file(SAMPLES / "pdf" / "mixed-scanned-cover.pdf")
    assert ex.kind == "application"
    (scan,) = [f for f in ex.findings if f.code in ("ocr-pages", "pages-without-text")]
    assert "第 1 页" in scan.message and "文字版 PDF" in scan.message
    assert {s.key: s.status for s in ex.sections}["8.2"] == "empty"


@pytest.mark.slow  # LibreOffice
def test_an_old_word_file_renamed_docx_is_still_read(tmp_path: Path) -> None:
    need_libreoffice()
    renamed = tmp_path / "申请书.docx"
    shutil.copyfile(SAMPLES / "legacy" / "power-battery.doc", renamed)
    ex = check_file(renamed)
    assert ex.kind == "application"
    assert ex.source.format == "doc"  # what the bytes are, whatever the name says
    assert len(ex.tables["equipment"].rows) == 14


def test_libreoffice_missing_gives_a_clear_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    ex = check_file(SAMPLES / "legacy" / "power-battery.doc")
    assert ex.kind == "unreadable"
    assert "LibreOffice" in ex.findings[0].message and "setup.sh" in ex.findings[0].message


def test_input_files_are_never_modified() -> None:
    for p in (SAMPLES / "legacy" / "power-battery.doc", SAMPLES / "pdf" / "power-battery.pdf"):
        before = p.read_bytes()
        check_file(p)
        assert p.read_bytes() == before


def test_a_pdf_paragraph_is_not_cut_where_chinese_line_breaking_moved_a_group() -> None:
    """LibreOffice moved "究”（2025年1月—2027…" to the next line as one group, leaving the line 4.6
    characters short of the margin; it is still one paragraph."""
    from imtc.extract.blocks import Paragraph
    from imtc.extract.limits import Limits
    from imtc.extract.pdf_reader import read_pdf
    from imtc.extract.tables import header_vocabulary

    doc = read_pdf(SAMPLES / "pdf" / "report-power-battery-2025.pdf", Limits(), header_vocabulary())
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert any("“固态电池界面阻抗测量技术研究”（2025年1月" in t for t in texts)
    assert any("宁波、金华的储能系统集成规模" in t for t in texts)
