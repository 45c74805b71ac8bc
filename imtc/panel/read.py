"""A filled sheet as plain text: its tables (rows of cells, on the table's grid), its paragraphs, the
imtc identifier from its properties, and the Word comments anchored in each table row.

.docx through the project's safe package opener (imtc/extract/package.py) and lxml; .doc/.wps via
LibreOffice (imtc/extract/convert.py) and then as .docx; PDF through pdfplumber's table finder.
Any failure is `Unreadable` with a Chinese reason.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from imtc.extract.convert import to_docx
from imtc.extract.limits import Limits
from imtc.extract.package import Package, Unreadable, open_docx, sniff_format
from imtc.panel.identity import PROPERTY, parse_identity, parse_keywords, read_custom_properties

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_PDF_PAGES = 60  # a printed sheet is a few pages; a long PDF is not a sheet


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Row:
    cells: list[str]  # one text per grid column (a cell spanning columns repeats its text)
    comments: list[str] = field(default_factory=list)  # Word comments anchored in the row


@dataclass
class RawSheet:
    file: str
    format: str  # docx, doc, pdf
    tables: list[list[Row]]
    paragraphs: list[str]
    identity: dict[str, Any] | None


# --- .docx -------------------------------------------------------------------------------------------


def _para_text(p: etree._Element) -> str:
    out = []
    for el in p.iter(_w("t"), _w("tab"), _w("br"), _w("cr")):
        out.append(el.text or "" if el.tag == _w("t") else ("\t" if el.tag == _w("tab") else "\n"))
    return "".join(out)


def _cell_text(tc: etree._Element) -> str:
    return "\n".join(_para_text(p) for p in tc.iter(_w("p")))


def _span(tc: etree._Element) -> int:
    el = tc.find(f"{_w('tcPr')}/{_w('gridSpan')}")
    try:
        return max(1, min(int(el.get(_w("val"))), 64)) if el is not None else 1
    except (TypeError, ValueError):
        return 1


def _rows(tbl: etree._Element, comments: dict[str, str]) -> list[Row]:
    rows = []
    for tr in tbl.iter(_w("tr")):
        if tr.getparent() is not tbl:  # nested tables' rows are read as their cell's text
            continue
        cells: list[str] = []
        for tc in tr.findall(_w("tc")):
            cells.extend([_cell_text(tc)] * _span(tc))
        ids = [el.get(_w("id")) for el in tr.iter(_w("commentReference"), _w("commentRangeStart"))]
        notes = list(dict.fromkeys(comments[i] for i in ids if i in comments))
        rows.append(Row(cells, notes))
    return rows


def _comments(root: etree._Element | None) -> dict[str, str]:
    if root is None:
        return {}
    return {c.get(_w("id")): "\n".join(_para_text(p) for p in c.iter(_w("p"))).strip()
            for c in root.iter(_w("comment"))}


def _extras(path: Path, limits: Limits) -> tuple[dict[str, str], dict[str, str], str]:
    """Custom properties, comments (id -> text) and core keywords: parts the extractor does not read."""
    with open(path, "rb") as f, zipfile.ZipFile(f) as zf:
        pkg = Package(zf, limits)
        rels = pkg.relationships("")
        custom = read_custom_properties(pkg.optional_part(rels.get("custom-properties")))
        main = pkg.main_part_name(rels.get("officeDocument")) or "word/document.xml"
        comments = _comments(pkg.optional_part(pkg.relationships(main).get("comments")))
        core = pkg.optional_part(rels.get("core-properties"))
        keywords = core.findtext("{*}keywords") if core is not None else ""
    return custom, comments, keywords or ""


def read_docx(path: Path, name: str, fmt: str = "docx", limits: Limits | None = None) -> RawSheet:
    limits = limits or Limits.from_env()
    package = open_docx(path, limits)  # every size, bomb and entity check happens here
    try:
        custom, comments, keywords = _extras(path, limits)
    except (zipfile.BadZipFile, OSError, ValueError):
        custom, comments, keywords = {}, {}, ""
    body = package.document.find(_w("body"))
    tables, paragraphs = [], []
    for el in body.iter(_w("tbl"), _w("p")) if body is not None else ():
        if el.tag == _w("tbl") and not any(a.tag == _w("tbl") for a in el.iterancestors()):
            tables.append(_rows(el, comments))
        elif el.tag == _w("p") and not any(a.tag == _w("tbl") for a in el.iterancestors()):
            paragraphs.append(_para_text(el))
    identity = parse_identity(custom.get(PROPERTY)) or parse_keywords(keywords)
    return RawSheet(name, fmt, tables, paragraphs, identity)


# --- PDF ---------------------------------------------------------------------------------------------


def read_pdf(path: Path, name: str) -> RawSheet:
    import pdfplumber

    tables: list[list[Row]] = []
    paragraphs: list[str] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            keywords = str((pdf.metadata or {}).get("Keywords", ""))
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise Unreadable(f"PDF 有 {len(pdf.pages)} 页，不像是评分表（评分表一般不超过 {MAX_PDF_PAGES} 页）")
            for page in pdf.pages:
                for t in page.extract_tables():
                    tables.append([Row([c or "" for c in _fill_spans(r)]) for r in t])
                paragraphs.extend((page.extract_text() or "").splitlines())
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a broken file
        raise Unreadable(f"PDF 文件无法读取（{type(exc).__name__}）") from None
    return RawSheet(name, "pdf", tables, paragraphs, parse_keywords(keywords))


def _fill_spans(row: list[str | None]) -> list[str | None]:
    """pdfplumber gives None for the columns a merged cell covers: repeat the text, as Word's grid does."""
    out: list[str | None] = []
    for c in row:
        out.append(out[-1] if c is None and out else c)
    return out


# --- any --------------------------------------------------------------------------------------------


def read_sheet(path: Path, name: str | None = None) -> RawSheet:
    """Read one filled sheet; raises Unreadable."""
    name = name or path.name
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError as e:
        raise Unreadable(f"无法打开文件（{e.strerror}）") from e
    kind = sniff_format(head)
    if kind == "zip":
        return read_docx(path, name)
    if kind == "ole":
        with to_docx(path) as converted:
            return read_docx(converted, name, fmt="doc")
    if kind == "pdf":
        return read_pdf(path, name)
    raise Unreadable("不是 Word（.docx/.doc）或 PDF 文件")
