"""The one safe way to open an OOXML (.docx) package.

Everything here treats the file as hostile (DESIGN.md, "Rules for untrusted input"): the file is
opened read-only; size, member count, encryption and zip-bomb ratios are decided from the file
size and the zip's central directory before a single byte is inflated; members are read in
chunks under a hard cap; XML with a DOCTYPE or ENTITY declaration is refused and everything else
is parsed without entity resolution, DTD loading or network access. Any failure is `Unreadable`
with a short Chinese reason for the `file-unreadable` finding.
"""

from __future__ import annotations

import codecs
import os
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from lxml import etree

from imtc.extract.limits import Limits

W_NAMESPACES = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                "http://purl.oclc.org/ooxml/wordprocessingml/main")  # transitional, strict
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
EOCD = b"PK\x05\x06"            # end of central directory record
ZIP64_LOCATOR = b"PK\x06\x07"
ZIP64_EOCD = b"PK\x06\x06"
MIB = 1024 * 1024
CHUNK = 64 * 1024
CD_BYTES_PER_MEMBER = 512       # generous: a real entry is ~100 bytes of central directory

CORRUPT = "文件已损坏或不完整（不是有效的 .docx 压缩包）"
NOT_WORD = "不是 Word 文档（压缩包中没有 Word 正文部件）"
ENTITY = "文档含有不允许的 XML 实体声明"
_ENTITY_DECL = re.compile(rb"<!(?:doctype|entity)", re.IGNORECASE)
# Anything zipfile / zlib may raise on a malformed archive (our own bugs are not in this list).
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
               zlib.error, struct.error)


class Unreadable(Exception):
    """The file cannot be read at all. `reason` is a short Chinese phrase for the finding, e.g. "文件为空（0 字节）"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class DocxPackage:
    document: etree._Element          # root of the main document part (w:document)
    styles: etree._Element | None     # styles part root, if any
    numbering: etree._Element | None  # numbering part root, if any
    comments: int                     # number of w:comment in the comments part (0 if none)
    pages: int | None                 # docProps/app.xml <Pages>, if present and a positive int


def sniff_format(head: bytes) -> str | None:
    """'zip' (also .ofd, .xlsx …), 'ole' (old .doc/.wps or encrypted OOXML), 'pdf', or None."""
    if head[:4] in (b"PK\x03\x04", EOCD, b"PK\x07\x08"):
        return "zip"
    if head[:8] == OLE_MAGIC:
        return "ole"
    if b"%PDF-" in head[:1024]:  # readers accept junk before the header
        return "pdf"
    return None


def data_kind(head: bytes) -> str | None:
    """sniff_format, and 'rtf' for an RTF file (Word opens it as a .doc; LibreOffice converts it)."""
    return "rtf" if head.startswith(b"{\\rtf") else sniff_format(head)


def parse_xml(data: bytes) -> etree._Element:
    """Parse one XML part with entities, DTDs and network off; raises Unreadable."""
    if _ENTITY_DECL.search(data):
        raise Unreadable(ENTITY)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError) as e:
        raise Unreadable("文档的 XML 内容格式错误，文件可能已损坏") from e
    if root.getroottree().docinfo.internalDTD is not None:  # e.g. a UTF-16 part hiding its DOCTYPE
        raise Unreadable(ENTITY)
    return root


def open_docx(path: Path, limits: Limits) -> DocxPackage:
    """Open a .docx read-only and return its parsed parts; raises Unreadable."""
    size = _check_file(path, limits)
    try:
        f = open(path, "rb")
    except OSError as e:
        raise Unreadable(f"无法打开文件（{e.strerror}）") from e
    with f:
        try:
            _refuse_non_zip(f.read(4096))
            _check_directory_size(f, size, limits)
            with zipfile.ZipFile(f) as zf:
                return Package(zf, limits).read()
        except _ZIP_ERRORS as e:
            raise Unreadable(CORRUPT) from e
        except NotImplementedError as e:  # a compression method zipfile does not know
            raise Unreadable("压缩包使用了不支持的压缩方式") from e


# --- before inflating anything --------------------------------------------------------------

def _check_file(path: Path, limits: Limits) -> int:
    try:
        st = os.stat(path)
    except OSError as e:
        raise Unreadable(f"无法打开文件（{e.strerror}）") from e
    not_regular = _kind_of_special(st.st_mode)
    if not_regular:  # a FIFO or device would block or never end
        raise Unreadable(not_regular)
    if st.st_size == 0:
        raise Unreadable("文件为空（0 字节）")
    if st.st_size > limits.max_file_bytes:
        raise Unreadable(f"文件过大（{_mb(st.st_size)} MB），超过 {_mb(limits.max_file_bytes)} MB 的大小限制")
    return st.st_size


def _kind_of_special(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    what = ("命名管道（FIFO）" if stat.S_ISFIFO(mode) else "套接字" if stat.S_ISSOCK(mode)
            else "设备文件" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "文件夹" if stat.S_ISDIR(mode) else "特殊文件")
    return f"不是普通文件，而是{what}，未读取"


def not_a_regular_file(path: Path) -> str | None:
    """Why `path` (links followed) is no regular file, or None; raises OSError when it cannot be looked at."""
    return _kind_of_special(os.stat(path).st_mode)


def _mb(n: int) -> str:
    return f"{n / MIB:.1f}".removesuffix(".0") if n >= MIB / 10 else f"{n / MIB:.2g}"


def _refuse_non_zip(head: bytes) -> None:
    kind = sniff_format(head)
    if kind == "zip":
        return
    if kind == "ole":
        raise Unreadable("文件是旧版 Word/WPS 格式（.doc/.wps）或设置了密码的加密文档，不是 .docx 文档")
    if kind == "pdf":
        raise Unreadable("文件实际是 PDF 文档，不是 .docx 文档")
    if head.startswith(b"{\\rtf"):
        raise Unreadable("文件实际是 RTF 文档，不是 .docx 文档")
    if looks_like_text(head):
        raise Unreadable("文件是纯文本，不是 Word 文档")
    raise Unreadable("文件格式无法识别，不是有效的 .docx 文档")


def looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if any(b < 0x20 and b not in b"\t\n\r\f" for b in head):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return True
        except UnicodeDecodeError:
            pass
    return False


def _check_directory_size(f: BinaryIO, size: int, limits: Limits) -> None:
    """Refuse a central directory with too many entries before zipfile builds an object for each
    (a 50 MB file can hold a million empty entries: seconds of work and hundreds of MB).
    Finds the end record the way zipfile does; a missing one is left for zipfile to report."""
    f.seek(max(0, size - (22 + 65535 + 76)))
    tail = f.read()
    if tail[-22:-18] == EOCD and tail[-2:] == b"\0\0":
        pos = len(tail) - 22
    else:
        pos = tail.rfind(EOCD)
    if pos < 0 or len(tail) - pos < 22:
        return
    count, cd_size = struct.unpack("<10xHL6x", tail[pos:pos + 22])
    if pos >= 76 and tail[pos - 20:pos - 16] == ZIP64_LOCATOR and tail[pos - 76:pos - 72] == ZIP64_EOCD:
        count, cd_size = struct.unpack("<32xQQ8x", tail[pos - 76:pos - 20])
    if count > limits.max_members or cd_size > CD_BYTES_PER_MEMBER * limits.max_members:
        raise Unreadable(f"压缩包内文件数过多（上限 {limits.max_members} 个）")


# --- the package ----------------------------------------------------------------------------

class Package:
    def __init__(self, zf: zipfile.ZipFile, limits: Limits):
        self.zf = zf
        self.limits = limits
        infos = zf.infolist()
        _check_members(infos, limits)
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:  # OPC part names are case-insensitive
            key = info.filename.lower()
            if key in self.members:
                raise Unreadable(CORRUPT)
            self.members[key] = info

    def read(self) -> DocxPackage:
        package_rels = self.relationships("")
        main = self.main_part_name(package_rels.get("officeDocument"))
        if main is None:
            raise Unreadable(NOT_WORD)
        document = parse_xml(self._bytes(main))
        if etree.QName(document).namespace not in W_NAMESPACES or etree.QName(document).localname != "document":
            raise Unreadable(NOT_WORD)
        rels = self.relationships(main)
        styles = self.optional_part(rels.get("styles"))
        numbering = self.optional_part(rels.get("numbering"))
        comments = self.optional_part(rels.get("comments"))
        return DocxPackage(
            document=document, styles=styles, numbering=numbering,
            comments=0 if comments is None else len(comments.findall("{*}comment")),
            pages=self._pages(package_rels.get("extended-properties", "docProps/app.xml")),
        )

    def main_part_name(self, target: str | None) -> str | None:
        if target is not None and target.lower() in self.members:
            return target
        return "word/document.xml" if "word/document.xml" in self.members else None

    def _pages(self, name: str) -> int | None:
        app = self.optional_part(name)
        pages = None if app is None else app.findtext("{*}Pages")
        try:
            n = int((pages or "").strip())
        except ValueError:
            return None
        return n if n > 0 else None

    def relationships(self, source: str) -> dict[str, str]:
        """Relationship type suffix (e.g. 'styles') -> resolved part name, for internal targets."""
        folder, name = posixpath.split(source)
        root = self.optional_part(posixpath.join(folder, "_rels", name + ".rels"))
        result: dict[str, str] = {}
        if root is None:
            return result
        for rel in root.iter(f"{{{RELS_NS}}}Relationship"):
            kind, target = rel.get("Type", ""), rel.get("Target", "")
            if rel.get("TargetMode") == "External" or not target:
                continue
            target = unquote(target.split("#")[0])
            part = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            result.setdefault(kind.rsplit("/", 1)[-1], posixpath.normpath(part))
        return result

    def optional_part(self, name: str | None) -> etree._Element | None:
        """A part that may be missing or broken: None then. Entity declarations still refuse the file."""
        if name is None or name.lower() not in self.members:
            return None
        data = self._bytes(name)
        try:
            return parse_xml(data)
        except Unreadable as e:
            if e.reason == ENTITY:
                raise
            return None

    def _bytes(self, name: str) -> bytes:
        """A member's bytes, read in chunks and never past its declared size or the package limit."""
        info = self.members[name.lower()]
        cap = min(info.file_size, self.limits.max_unpacked_bytes)
        chunks: list[bytes] = []
        total = 0
        with self.zf.open(info) as member:
            while chunk := member.read(CHUNK):
                total += len(chunk)
                if total > cap:
                    raise Unreadable(CORRUPT)
                chunks.append(chunk)
        return b"".join(chunks)


def _check_members(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Everything decided from the central directory alone."""
    if len(infos) > limits.max_members:
        raise Unreadable(f"压缩包内文件数过多（{len(infos)} 个，上限 {limits.max_members} 个）")
    if any(info.flag_bits & 0x1 for info in infos):
        raise Unreadable("文档已加密（压缩包内的部件设有密码），请去除密码后重新提交")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.max_unpacked_bytes:
        raise Unreadable(f"疑似压缩炸弹：解压后共 {_mb(unpacked)} MB，超过 {_mb(limits.max_unpacked_bytes)} MB 的限制")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MIB and ratio > limits.max_ratio:
            raise Unreadable(f"疑似压缩炸弹：某个部件的压缩比为 {ratio:.0f}:1，超过 {limits.max_ratio}:1 的限制")
