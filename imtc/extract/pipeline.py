"""One file in, one `Extraction` out; a bad file becomes kind "unreadable", never an exception."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from imtc import findings as F
from imtc.extract.blocks import Document, Paragraph
from imtc.extract.entities import read_entities
from imtc.extract.limits import Limits
from imtc.extract.meta import read_meta
from imtc.extract.outline import is_content, match_headings, section_of_blocks, statuses
from imtc.extract.package import Unreadable, looks_like_text, not_a_regular_file, open_docx, sniff_format
from imtc.extract.tables import read_tables
from imtc.extract.text import squash
from imtc.files import display_name
from imtc.models import Extraction, Finding, Location, Section, Source
from imtc.templates import outline, table_kinds

FORMATS = {".docx": "docx", ".doc": "doc", ".wps": "wps", ".pdf": "pdf", ".ofd": "ofd"}
MIN_HEADINGS = 5  # fewer matched headings than this, and no title, is not a template document


def _source(path: Path, data_format: str | None) -> Source:
    h = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
                size += len(chunk)
    except OSError:
        pass
    by_data = {"pdf": "pdf", "ole": "doc", "rtf": "doc", "zip": "docx"}.get(data_format or "")
    by_name = FORMATS.get(path.suffix.lower())
    # the name decides between formats of the same kind of bytes (.doc/.wps are both OLE); the bytes win otherwise
    fmt = by_name if by_name and (by_data is None or by_data == by_name or {by_name, by_data} <= {"doc", "wps"}
                                  or (by_name == "wps" and by_data == "docx")) else (by_data or by_name or "docx")
    return Source(file=display_name(path.name), format=fmt, sha256=h.hexdigest(), size=size)


def _internal_error(e: Exception) -> Finding:
    detail = f"{type(e).__name__}: {e}"
    return F.INTERNAL_ERROR(error="读取文件时遇到未预料的情况", detail=detail[:500])


def _unreadable(source: Source, reason: str) -> Extraction:
    return Extraction(source=source, kind="unreadable", findings=[F.FILE_UNREADABLE(reason=reason)])


def extract_file(path: Path, limits: Limits) -> Extraction:
    bare = Source(file=display_name(path.name), format=FORMATS.get(path.suffix.lower(), "docx"), sha256="", size=None)
    try:
        not_regular = not_a_regular_file(path)  # a FIFO would block the open below
        if not_regular:
            return _unreadable(bare, not_regular)
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError as e:
        return _unreadable(bare, f"无法打开文件（{e.strerror or e}）")
    kind_of_data = "rtf" if head.startswith(b"{\\rtf") else sniff_format(head)
    source = _source(path, kind_of_data)
    try:
        doc = read_document(path, kind_of_data, limits)
    except Unreadable as e:
        return _unreadable(source, e.reason)
    except Exception as e:  # a bug of ours: say so, and let the batch go on
        return Extraction(source=source, kind="unreadable",
                          findings=[_internal_error(e)])
    source.pages = doc.pages
    try:
        ex = from_document(doc, source)
        if getattr(doc, "ocr_pages", None):  # pages read by OCR: source.ocr, confidence, findings
            from imtc.extract.ocr import annotate

            annotate(ex, doc)
        return ex
    except Exception as e:
        return Extraction(source=source, kind="unreadable",
                          findings=[_internal_error(e)])


def read_document(path: Path, data: str | None, limits: Limits) -> Document:
    """The block stream of any supported file, chosen by what its bytes are, not by its name:
    an old .doc renamed .docx is still read, a text file named .pdf is refused as what it is."""
    from imtc.extract.docx_reader import read_docx

    if path.stat().st_size > limits.max_file_bytes or data == "zip":
        return read_docx(open_docx(path, limits))  # the size finding is worded once, in package.py
    if data == "pdf":
        from imtc.extract.pdf_reader import read_pdf

        return read_pdf(path, limits)
    if data in ("ole", "rtf"):
        if data == "ole" and _encrypted_ooxml(path):
            raise Unreadable("文档设置了打开密码（已加密），请取消密码后重新提交")
        from imtc.extract.convert import to_docx  # old Word .doc, WPS .wps, RTF: through LibreOffice

        with to_docx(path) as converted:
            return read_docx(open_docx(converted, limits))
    if path.suffix.lower() == ".pdf":
        with open(path, "rb") as f:
            what = "纯文本" if looks_like_text(f.read(1024)) else "无法识别的格式"
        raise Unreadable(f"文件扩展名为 .pdf，但内容是{what}，不是 PDF 文档")
    return read_docx(open_docx(path, limits))  # words what the file is instead


def _encrypted_ooxml(path: Path) -> bool:
    """A password-protected .docx is an OLE file holding an EncryptedPackage stream."""
    with open(path, "rb") as f:
        head = f.read(1 << 20)
    return "EncryptedPackage".encode("utf-16-le") in head


def detect_kind(doc: Document) -> tuple[str, dict[str, list[Any]]]:
    """application / annual_report / unknown, from the title lines and how many headings match."""
    matches = {k: match_headings(doc.blocks, outline(k)) for k in ("application", "annual_report")}
    first = {k: (m[0].block if m else len(doc.blocks)) for k, m in matches.items()}
    scores: dict[str, float] = {}
    for k, m in matches.items():
        front = " ".join(squash(b.text) for b in doc.blocks[: max(first.values()) + 1][:60]
                         if isinstance(b, Paragraph))
        marks = outline(k).title_marks
        titled = any(mark in front for mark in marks)
        if k == "application" and ("工作总结" in front and "工作计划" in front):
            titled = False
        scores[k] = len(m) + (MIN_HEADINGS if titled else 0)
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < MIN_HEADINGS:
        return "unknown", matches
    return best, matches


def from_document(doc: Document, source: Source) -> Extraction:
    """Template logic over a block stream: kind, outline, tables, meta and the reader's findings."""
    kind, all_matches = detect_kind(doc)
    found = _reader_findings(doc)
    if kind == "unknown":
        return Extraction(source=source, kind="unknown", findings=[F.KIND_UNKNOWN(), *found])
    tpl = outline(kind)
    matches = all_matches[kind]
    sections_of = section_of_blocks(len(doc.blocks), matches)
    tables = read_tables(doc.blocks, sections_of, kind)
    status = statuses(tpl, matches, _keys_with_content(doc, matches, sections_of, tables))
    by_key = {m.key: m for m in matches}
    sections = []
    for spec in tpl.sections:
        m = by_key.get(spec.key)
        loc = Location()
        if m is not None:
            blk = doc.blocks[m.block]
            loc = Location(page=blk.page, paragraph=blk.index if isinstance(blk, Paragraph) else None)
        sections.append(Section(key=spec.key, title=spec.title, status=status[spec.key],  # type: ignore[arg-type]
                                heading=m.heading if m else None, location=loc))
    first_heading = matches[0].block if matches else len(doc.blocks)
    last_heading = matches[-1].block if matches else len(doc.blocks)
    meta = read_meta(doc.blocks[:first_heading], doc.blocks[last_heading + 1:], kind)
    found += _unrecognised_tables(doc, tables.unrecognised, sections_of, kind)
    return Extraction(source=source, kind=kind, meta=meta, sections=sections,  # type: ignore[arg-type]
                      tables=tables.tables, entities=read_entities(doc.blocks, sections_of, kind),
                      findings=found + tables.findings)


def _reader_findings(doc: Document) -> list[Finding]:
    found: list[Finding] = []
    if doc.revisions:
        found.append(F.TRACKED_CHANGES(count=doc.revisions))
    if doc.comments:
        found.append(F.COMMENTS(count=doc.comments))
    if doc.pages_without_text:
        found.append(F.PAGES_WITHOUT_TEXT(pages="、".join(map(str, doc.pages_without_text)),
                                          count=len(doc.pages_without_text)))
    return found + list(getattr(doc, "findings", []))


def _keys_with_content(doc: Document, matches: list[Any], sections_of: list[str | None], tables: Any) -> set[str]:
    """Sections with real content of their own: prose, or a table with data rows."""
    heading_blocks = {m.block for m in matches}
    keys = {m.key for m in matches if m.inline_content}
    for bi, b in enumerate(doc.blocks):
        key = sections_of[bi]
        if key is None or bi in heading_blocks:
            continue
        if isinstance(b, Paragraph):
            if is_content(b.text):
                keys.add(key)
        elif bi in tables.content_blocks or (bi in tables.unrecognised and _has_text_rows(b)):
            keys.add(key)
    return keys


def _unrecognised_tables(doc: Document, unrecognised: list[int], sections_of: list[str | None],
                         kind: str) -> list[Finding]:
    """A table in a section that expects one, whose header matches no table of the template."""
    found = []
    titles = {s.key: s.title for s in outline(kind).sections}
    for bi in unrecognised:
        key = sections_of[bi]
        expects = key and any(t.section == key or key in t.sections for t in table_kinds().values())
        blk = doc.blocks[bi]
        if expects and _has_text_rows(blk):
            found.append(F.TABLE_UNRECOGNISED(Location(section=key, table=blk.index, page=blk.page),
                                              index=blk.index + 1, section=f"{key} {titles[key]}"))
    return found


def _has_text_rows(b: Any) -> bool:
    rows = getattr(b, "grid", [])
    return sum(1 for r in range(len(rows)) if any(squash(c.text) for c in b.row_cells(r))) >= 3
