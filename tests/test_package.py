"""imtc.extract.package: the safe opening of untrusted .docx files."""

from __future__ import annotations

import importlib.util
import struct
import zipfile
from pathlib import Path

import docx
import pytest

from imtc.extract.limits import Limits
from imtc.extract.package import Unreadable, open_docx, parse_xml, sniff_format

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _load_hostile():
    spec = importlib.util.spec_from_file_location("hostile", ROOT / "samples" / "hostile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    paths = _load_hostile().build(tmp_path_factory.mktemp("hostile"))
    return {p.name: p for p in paths}


@pytest.fixture()
def normal(tmp_path: Path) -> Path:
    document = docx.Document()
    document.add_heading("浙江省××产业计量测试中心申请书", level=1)
    item = document.add_paragraph("建设目标", style="List Number")
    document.add_comment(item.runs, text="请补充数据", author="审核人")
    document.add_comment(document.add_paragraph("经费预算").runs, text="合计有误", author="审核人")
    path = tmp_path / "normal.docx"
    document.save(path)
    return path


@pytest.mark.parametrize(("name", "words"), [
    ("empty.docx", ["为空", "0 字节"]),
    ("truncated.docx", ["损坏"]),
    ("not-a-docx.docx", ["纯文本"]),
    ("fake-pdf.docx", ["PDF"]),
    ("zip-bomb.docx", ["压缩炸弹"]),
    ("xxe.docx", ["实体"]),
    ("not-word.docx", ["不是 Word 文档"]),
    ("encrypted.docx", ["加密", "旧版"]),
])
def test_hostile_files_are_unreadable(hostile: dict[str, Path], name: str, words: list[str]) -> None:
    path = hostile[name]
    before = path.read_bytes()
    with pytest.raises(Unreadable) as caught:
        open_docx(path, Limits())
    for word in words:
        assert word in caught.value.reason
    assert path.read_bytes() == before


def test_fixtures_are_small(hostile: dict[str, Path]) -> None:
    assert len(hostile) == 8
    assert all(p.stat().st_size <= 600 * 1024 for p in hostile.values())


def test_zip_bomb_is_refused_from_the_central_directory(hostile: dict[str, Path]) -> None:
    bomb = hostile["zip-bomb.docx"]
    with zipfile.ZipFile(bomb) as zf:
        assert zf.getinfo("word/document.xml").file_size > 100 * 1024 * 1024
    with pytest.raises(Unreadable, match="压缩比"):
        open_docx(bomb, Limits())
    with pytest.raises(Unreadable, match="解压后"):  # the total, with the ratio check out of the way
        open_docx(bomb, Limits(max_unpacked_bytes=100 * 1024 * 1024, max_ratio=10**6))


def test_normal_document_opens(normal: Path) -> None:
    before, mtime = normal.read_bytes(), normal.stat().st_mtime_ns
    package = open_docx(normal, Limits())
    assert package.document.tag == W + "document"
    assert package.styles is not None and package.styles.tag == W + "styles"
    assert package.numbering is None or package.numbering.tag == W + "numbering"
    assert package.comments == 2
    assert package.pages is None or package.pages >= 1
    assert normal.read_bytes() == before and normal.stat().st_mtime_ns == mtime


def test_file_size_limit_is_configurable(normal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_docx(normal, Limits())
    monkeypatch.setenv("IMTC_MAX_FILE_MB", "0.01")
    with pytest.raises(Unreadable, match="文件过大") as caught:
        open_docx(normal, Limits.from_env())
    assert "超过 0.01 MB" in caught.value.reason  # the limit, in MB


def test_member_count_limit(normal: Path) -> None:
    with pytest.raises(Unreadable, match="文件数过多"):
        open_docx(normal, Limits(max_members=3))


def test_declared_size_that_lies_is_corrupt(normal: Path, tmp_path: Path) -> None:
    """word/document.xml declares fewer bytes than it holds: reading stops and the file is refused."""
    data = bytearray(normal.read_bytes())
    name = b"word/document.xml"
    pos = data.rfind(name) - 46                     # central directory entry of document.xml
    assert data[pos:pos + 4] == b"PK\x01\x02"
    struct.pack_into("<L", data, pos + 24, 100)     # uncompressed size
    liar = tmp_path / "liar.docx"
    liar.write_bytes(bytes(data))
    with pytest.raises(Unreadable, match="损坏"):
        open_docx(liar, Limits())


def test_broken_optional_part_is_none(normal: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken-styles.docx"
    with zipfile.ZipFile(normal) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = b"<w:styles" if info.filename == "word/styles.xml" else src.read(info)
            dst.writestr(info, data)
    package = open_docx(broken, Limits())
    assert package.styles is None
    assert package.comments == 2


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(Unreadable):
        open_docx(tmp_path / "absent.docx", Limits())


def test_sniff_format() -> None:
    assert sniff_format(b"PK\x03\x04rest") == "zip"
    assert sniff_format(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(8)) == "ole"
    assert sniff_format(b"%PDF-1.7\n") == "pdf"
    assert sniff_format("纯文本".encode()) is None
    assert sniff_format(b"") is None


def test_parse_xml_refuses_entities_and_bad_xml() -> None:
    assert parse_xml(b"<a><b/></a>").tag == "a"
    with pytest.raises(Unreadable, match="实体"):
        parse_xml(b'<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>')
    with pytest.raises(Unreadable, match="实体"):  # hidden from the byte check by UTF-16
        parse_xml('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'
                  .encode("utf-16"))
    with pytest.raises(Unreadable, match="格式错误"):
        parse_xml(b"<a><b></a>")
