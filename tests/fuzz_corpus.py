"""A corpus of damaged and hostile inputs, generated at test time (tests/test_fuzz.py).

    corpus(folder, seed)  -> the names written (every one must get a row and a JSON)

Deterministic for a seed. What it holds, by family:
- Word packages: bytes flipped inside document.xml (broken XML, odd characters), bytes flipped in
  the zip itself (CRC and header damage), truncation, malformed attributes one at a time (ilvl,
  start, gridSpan, gridBefore, sym char, outline levels …), big and deep structures (2,000-row
  table, 40-deep nesting, 20,000 paragraphs), zip oddities (traversal and absolute member names,
  duplicates), the samples' hostile files (XXE, bomb, encrypted, truncated …), damage to a real
  sample application;
- PDFs: bytes flipped and truncation of a small PDF and of a real sample, and named damage: no or a
  bad MediaBox, fonts without ToUnicode, a damaged font dictionary, a broken trailer or startxref,
  a page-tree cycle, a huge /Count, a stream bomb, owner and user passwords, control characters in
  the text layer, a 5,000-line page;
- other: empty files, text and random bytes under Word and PDF names, web pages saved as .doc
  (HTML, MHTML), OLE junk as .doc and .wps (LibreOffice);
- names: 81 Chinese characters, GBK bytes, control characters, quotes and colons, a leading dash.
FIFOs and links are added by the test itself.
"""

from __future__ import annotations

import io
import os
import random
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.minidocx import NUMBERING, p, tbl, tc, tr
from tests.minidocx import write as write_docx
from tests.minipdf import assemble, pdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DOCX = ROOT / "samples" / "power-battery.docx"
SAMPLE_PDF = ROOT / "samples" / "pdf" / "report-power-battery-2025.pdf"
HOSTILE = ROOT / "samples" / "hostile"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def _docx_bytes(body: list[str], numbering: str = NUMBERING) -> bytes:
    buf = io.BytesIO()
    write_docx(buf, body, numbering=numbering)  # type: ignore[arg-type]  # zipfile takes a file object
    return buf.getvalue()


def _small_body() -> list[str]:
    return [p("一、产业界定与范围", num=(1, 0)), p("本中心服务动力电池产业。"),
            tbl([["序号", "设备名称", "投资金额（万元）"], ["1", "电池测试系统", "120"], ["2", "内阻仪", "8"]]),
            p("二、建设目标"), p("项目\u3000建设期三年。")]


def _replace_member(data: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            content = src.read(info)
            z.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()


def _flip(data: bytes, rng: random.Random, n: int, start: int = 0) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        i = rng.randrange(start, len(b))
        b[i] = rng.randrange(256)
    return bytes(b)


ATTRIBUTES = [  # (what, paragraph or table XML), one malformed attribute each
    ('ilvl="abc"', p("一、产业界定与范围", num=(1, 0)).replace('w:ilvl w:val="0"', 'w:ilvl w:val="abc"')),
    ("ilvl huge", p("x", num=(1, 0)).replace('w:ilvl w:val="0"', 'w:ilvl w:val="99999999999999999999"')),
    ("numId junk", p("x", num=(1, 0)).replace('w:numId w:val="1"', 'w:numId w:val="\u00b2"')),
    ("gridSpan huge", tbl([tr(tc("a").replace("<w:tc>", '<w:tc><w:tcPr><w:gridSpan w:val="4294967296"/></w:tcPr>'))])),
    ("gridSpan junk", tbl([tr(tc("a").replace("<w:tc>", '<w:tc><w:tcPr><w:gridSpan w:val="2x"/></w:tcPr>'))])),
    ("gridBefore junk", tbl([tr(tc("a")).replace("<w:tr>", '<w:tr><w:trPr><w:gridBefore w:val="abc"/></w:trPr>')])),
    ("gridBefore huge", tbl([tr(tc("a")).replace("<w:tr>", '<w:tr><w:trPr><w:gridBefore w:val="99999999"/></w:trPr>')])),
    ("gridAfter huge", tbl([tr(tc("a")).replace("<w:tr>", '<w:tr><w:trPr><w:gridAfter w:val="99999999"/></w:trPr>')])),
    ("vMerge junk", tbl([tr(tc("a").replace("<w:tc>", '<w:tc><w:tcPr><w:vMerge w:val="sideways"/></w:tcPr>'))])),
    ("sym FFFFFFFF", '<w:p><w:r><w:sym w:font="Wingdings" w:char="FFFFFFFF"/><w:t>x</w:t></w:r></w:p>'),
    ("sym F001", '<w:p><w:r><w:sym w:font="Wingdings" w:char="F001"/><w:t>x</w:t></w:r></w:p>'),
    ("sym D800", '<w:p><w:r><w:sym w:char="D800"/><w:t>x</w:t></w:r></w:p>'),
    ("outlineLvl junk", '<w:p><w:pPr><w:outlineLvl w:val="-1"/></w:pPr><w:r><w:t>x</w:t></w:r></w:p>'),
    ("outlineLvl huge", '<w:p><w:pPr><w:outlineLvl w:val="99999999999999999999"/></w:pPr><w:r><w:t>x</w:t></w:r></w:p>'),
    ("pStyle missing", '<w:p><w:pPr><w:pStyle w:val="NoSuchStyle"/></w:pPr><w:r><w:t>x</w:t></w:r></w:p>'),
    ("tab junk", '<w:p><w:r><w:tab/><w:br w:type="junk"/><w:t xml:space="bogus">x</w:t></w:r></w:p>'),
    ("fldChar unbalanced", '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:t>x</w:t></w:r></w:p>'),
    ("empty table", "<w:tbl><w:tblPr/></w:tbl>"),
    ("row without cells", tbl(["<w:tr></w:tr>", tr(tc("a"))])),
]

NUMBERINGS = [  # (what, numbering part)
    ("start 2147483647 upperRoman", NUMBERING.replace('<w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>',
                                                       '<w:start w:val="2147483647"/><w:numFmt w:val="upperRoman"/>', 1)),
    ("start -2147483648 upperLetter", NUMBERING.replace('<w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>',
                                                         '<w:start w:val="-2147483648"/><w:numFmt w:val="upperLetter"/>', 1)),
    ("start x", NUMBERING.replace('<w:start w:val="1"/>', '<w:start w:val="x"/>')),
    ("abstract ilvl abc", NUMBERING.replace('w:ilvl="0"', 'w:ilvl="abc"')),
    ("lvlRestart junk", NUMBERING.replace('<w:start w:val="1"/>', '<w:start w:val="1"/><w:lvlRestart w:val="zz"/>')),
    ("lvlText long", NUMBERING.replace('w:val="%1、"', 'w:val="' + "%1%2%3%4%5%6%7%8%9" * 500 + '"')),
    ("startOverride huge", NUMBERING.replace('<w:abstractNumId w:val="0"/>', '<w:abstractNumId w:val="0"/>'
                                             '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="99999999999"/>'
                                             "</w:lvlOverride>", 1)),
    ("numbering not XML", "<w:numbering"),
]


def _word(rng: random.Random) -> Iterator[tuple[str, bytes]]:
    small = _docx_bytes(_small_body())
    for i in range(50):
        yield f"xml-flip-{i:02d}.docx", _replace_member(small, "word/document.xml",
                                                         lambda d: _flip(d, rng, rng.randint(1, 8)))
    for i in range(20):
        yield f"zip-flip-{i:02d}.docx", _flip(small, rng, rng.randint(1, 6))
    for i in range(10):
        yield f"cut-{i:02d}.docx", small[: rng.randrange(1, len(small))]
    for i, (_, xml) in enumerate(ATTRIBUTES):
        yield f"attr-{i:02d}.docx", _docx_bytes([p("一、产业界定与范围"), xml, p("正文")])
    for i, (_, numbering) in enumerate(NUMBERINGS):
        yield f"numbering-{i:02d}.docx", _docx_bytes([p(f"第{n}项", num=(1, 0)) for n in range(30)], numbering)
    yield "rows-2000.docx", _docx_bytes([tbl([["序号", "名称"]] + [[str(n), "设备"] for n in range(2000)])])
    cell = tc("最内层")
    for _ in range(40):
        cell = f"<w:tc>{tbl([tr(cell)])}<w:p/></w:tc>"
    yield "nested-40.docx", _docx_bytes([tbl([tr(cell)])])
    yield "paragraphs-20000.docx", _docx_bytes([p(f"第 {n} 段。") for n in range(20000)])
    yield from _zip_oddities(small)
    for f in sorted(HOSTILE.iterdir()):
        yield f"hostile-{f.name}", f.read_bytes()
    real = SAMPLE_DOCX.read_bytes()
    for i in range(12):
        yield f"sample-xml-flip-{i:02d}.docx", _replace_member(real, "word/document.xml",
                                                                lambda d: _flip(d, rng, rng.randint(1, 20)))
    for i in range(6):
        yield f"sample-zip-flip-{i:02d}.docx", _flip(real, rng, rng.randint(1, 10))


def _zip_oddities(small: bytes) -> Iterator[tuple[str, bytes]]:
    src = zipfile.ZipFile(io.BytesIO(small))
    for i, extra in enumerate(["../../../../tmp/imtc-fuzz-escape.txt", "/etc/imtc-fuzz.txt", "word/document.xml",
                               "C:\\windows\\evil.txt", "word/" + "深" * 300 + ".xml"]):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the duplicate member is the point
            for info in src.infolist():
                z.writestr(info.filename, src.read(info))
            z.writestr(extra, b"<x/>")
        yield f"zip-odd-{i}.docx", out.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:  # only the document, no content types
        z.writestr("word/document.xml", src.read("word/document.xml"))
    yield "zip-odd-bare.docx", out.getvalue()


def _pdf_named() -> Iterator[tuple[str, bytes]]:
    good = pdf(["一、产业界定与范围", "本中心服务动力电池产业。"], pages=2)
    yield "pdf-no-mediabox.pdf", pdf(["一、产业界定与范围"], media_box=None)
    yield "pdf-bad-mediabox.pdf", pdf(["一、产业界定与范围"], media_box="[0 0 abc]")
    yield "pdf-cid.pdf", pdf(["一、产业界定与范围"], to_unicode=False)
    yield "pdf-bad-font.pdf", good.replace(b"/DescendantFonts [4 0 R]", b"/DescendantFonts 4")
    yield "pdf-bad-root.pdf", good.replace(b"/Root 1 0 R", b"/Root 9 0 R")
    yield "pdf-no-trailer.pdf", good[: good.rindex(b"trailer")]
    yield "pdf-bad-startxref.pdf", good.replace(b"startxref\n", b"startxref\n9")
    yield "pdf-kids-cycle.pdf", good.replace(b"/Kids [5 0 R 7 0 R]", b"/Kids [2 0 R 5 0 R]")
    yield "pdf-count-huge.pdf", good.replace(b"/Count 2", b"/Count 999999999")
    yield "pdf-control-chars.pdf", pdf(["一、产业界定与范围\x01\x0b", "正\x07文"])
    yield "pdf-5000-lines.pdf", pdf([f"第 {n} 行" for n in range(5000)])
    bomb = zlib.compress(b"0" * (64 << 20), 9)
    yield "pdf-stream-bomb.pdf", assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Filter /FlateDecode /Length " + str(len(bomb)).encode() + b" >>\nstream\n" + bomb + b"\nendstream"])
    yield from _encrypted(good)


def _encrypted(good: bytes) -> Iterator[tuple[str, bytes]]:
    from pypdf import PdfReader, PdfWriter

    for name, user in (("pdf-owner-password.pdf", ""), ("pdf-user-password.pdf", "open")):
        w = PdfWriter(clone_from=PdfReader(io.BytesIO(good)))
        w.encrypt(user_password=user, owner_password="secret", permissions_flag=0, algorithm="RC4-128")
        out = io.BytesIO()
        w.write(out)
        yield name, out.getvalue()


def _pdfs(rng: random.Random) -> Iterator[tuple[str, bytes]]:
    small = pdf(["一、产业界定与范围", "本中心服务动力电池产业。", "二、建设目标"], pages=2, compress=True)
    plain = pdf(["一、产业界定与范围", "本中心服务动力电池产业。"])
    for i in range(50):
        yield f"pdf-flip-{i:02d}.pdf", _flip(small if i % 2 else plain, rng, rng.randint(1, 10), start=16)
    for i in range(15):
        yield f"pdf-cut-{i:02d}.pdf", small[: rng.randrange(8, len(small))]
    yield from _pdf_named()
    real = SAMPLE_PDF.read_bytes()
    for i in range(6):
        yield f"sample-pdf-flip-{i:02d}.pdf", _flip(real, rng, rng.randint(1, 30), start=16)
    for i in range(3):
        yield f"sample-pdf-cut-{i}.pdf", real[: rng.randrange(len(real) // 4, len(real))]


def _others(rng: random.Random) -> Iterator[tuple[str, bytes]]:
    for suffix in (".docx", ".pdf", ".doc", ".wps"):
        yield f"empty{suffix}", b""
        yield f"text{suffix}", "这是一个纯文本文件，不是文档。\n".encode()
        yield f"random{suffix}", bytes(rng.randrange(256) for _ in range(rng.randint(1, 4096)))
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><h1>一、产业界定与范围</h1>'
            "<p>正文</p><table><tr><td>序号</td></tr></table></body></html>")
    yield "web-page.doc", page.encode()
    yield "web-page-gbk.doc", page.replace("utf-8", "gbk").encode("gbk")
    yield "web-archive.doc", ('MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
                              'Content-Type: text/html; charset="utf-8"\r\n\r\n' + page + "\r\n--b--\r\n").encode()
    yield "web-archive-empty.doc", b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n'
    yield "ole-junk.doc", OLE_MAGIC + bytes(rng.randrange(256) for _ in range(2048))
    yield "ole-junk.wps", OLE_MAGIC + b"\0" * 1024
    yield "rtf-broken.doc", b"{\\rtf1\\ansi{\\fonttbl" + b"{" * 5000


def _names(small: bytes) -> Iterator[tuple[str, bytes]]:
    yield "浙江省" * 27 + ".docx", small  # 248 bytes: no room for ".extract.json"
    yield "测" * 80 + "甲.docx", small
    yield "测" * 80 + "乙.docx", small  # shortened alike: kept apart by their hashes
    yield os.fsdecode("中文申请书".encode("gbk") + b".docx"), small
    yield os.fsdecode(b"\xff\xfe\xfd.docx"), small
    yield "a\x01b\x1b[31m.docx", small
    yield "tab\tand\nnewline.docx", small
    yield 'quote"colon:star*.docx', small
    yield "-rf.docx", small
    yield "申请书.DOCX", small
    yield "申请书.docx", small


def corpus(folder: Path, seed: int = 19) -> list[str]:
    """Write the corpus into `folder`; the names written, in order."""
    rng = random.Random(seed)
    small = _docx_bytes(_small_body())
    names: list[str] = []
    for name, data in (*_word(rng), *_pdfs(rng), *_others(rng), *_names(small)):
        assert name not in names, name
        (folder / name).write_bytes(data)
        names.append(name)
    return names

