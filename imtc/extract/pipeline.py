"""One file in, one `Extraction` out; a bad file becomes kind "unreadable", never an exception.

The flow: `read_document` (the readers: bytes -> Document) then `from_document` (template mapping:
Document -> Extraction). Nothing after `read_document` opens the file again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from imtc import findings as F
from imtc.extract.blocks import Block, Document, Paragraph, TableBlock
from imtc.extract.entities import read_entities
from imtc.extract.limits import Limits
from imtc.extract.meta import read_meta
from imtc.extract.outline import is_content, match_headings, section_of_blocks, statuses
from imtc.extract.package import Unreadable, data_kind, looks_like_text, not_a_regular_file, open_docx
from imtc.extract.tables import header_vocabulary, part_failed, read_tables
from imtc.extract.text import squash
from imtc.files import display_name
from imtc.hashing import digest
from imtc.models import Entities, Extraction, Finding, Location, Meta, Section, Source
from imtc.templates import outline, table_kinds

FORMATS = {".docx": "docx", ".doc": "doc", ".wps": "wps", ".pdf": "pdf", ".ofd": "ofd"}
MIN_HEADINGS = 5  # fewer matched headings than this, and no title, is not a template document


def _source(path: Path, data_format: str | None) -> Source:
    sha, size = digest(path)
    by_data = {"pdf": "pdf", "ole": "doc", "rtf": "doc", "zip": "docx"}.get(data_format or "")
    by_name = FORMATS.get(path.suffix.lower())
    # the name decides between formats of the same kind of bytes (.doc/.wps are both OLE); the bytes win otherwise
    fmt = by_name if by_name and (by_data is None or by_data == by_name or {by_name, by_data} <= {"doc", "wps"}
                                  or (by_name == "wps" and by_data == "docx")) else (by_data or by_name or "docx")
    return Source(file=display_name(path.name), format=fmt, sha256=sha, size=size)


def _internal_error(e: Exception) -> Finding:
    detail = f"{type(e).__name__}: {e}"
    return F.INTERNAL_ERROR(error="读取文件时遇到未预料的情况", detail=detail[:500])


def _unreadable(source: Source, reason: str) -> Extraction:
    return Extraction(source=source, kind="unreadable", findings=[F.FILE_UNREADABLE(reason=reason)])


def extract_file(path: Path, limits: Limits) -> Extraction:
    return extract_file_with_document(path, limits)[0]


def extract_file_with_document(path: Path, limits: Limits, reuse: bool = False) -> tuple[Extraction, Document | None]:
    """The Extraction and the Document it was mapped from (None when the file could not be read).
    The Document read is kept by content hash (imtc/extract/cache.py) for the stages after; with
    `reuse`, one kept before for the same bytes is mapped again instead of reading the file."""
    from imtc.extract import cache

    bare = Source(file=display_name(path.name), format=FORMATS.get(path.suffix.lower(), "docx"), sha256="", size=None)
    try:
        not_regular = not_a_regular_file(path)  # a FIFO would block the open below
        if not_regular:
            return _unreadable(bare, not_regular), None
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError as e:
        return _unreadable(bare, f"无法打开文件（{e.strerror or e}）"), None
    kind_of_data = data_kind(head)
    source = _source(path, kind_of_data)
    key = cache.key(source.sha256, limits) if source.sha256 else None
    doc = cache.load(key) if key and reuse else None
    if doc is None:
        try:
            doc = read_document(path, kind_of_data, limits)
        except Unreadable as e:
            return _unreadable(source, e.reason), None
        except Exception as e:  # a bug of ours: say so, and let the batch go on
            return Extraction(source=source, kind="unreadable", findings=[_internal_error(e)]), None
        if key:
            cache.store(key, doc)
    source.pages = doc.pages
    try:
        return from_document(doc, source), doc
    except Exception as e:
        return Extraction(source=source, kind="unreadable",
                          findings=[_internal_error(e)]), doc


def read_document(path: Path, data: str | None, limits: Limits) -> Document:
    """The Document of any supported file, chosen by what its bytes are, not by its name:
    an old .doc renamed .docx is still read, a text file named .pdf is refused as what it is.
    The readers know no template: the table headers a PDF's ruleless tables are found by are handed in."""
    from imtc.extract.docx_reader import read_docx

    if path.stat().st_size > limits.max_file_bytes or data == "zip":
        return read_docx(open_docx(path, limits))  # the size finding is worded once, in package.py
    if data == "pdf":
        from imtc.extract.pdf_reader import read_pdf

        return read_pdf(path, limits, header_vocabulary())
    if path.stat().st_size == 0:
        raise Unreadable("文件为空（0 字节）")
    if data is None and path.suffix.lower() in WORD_SUFFIXES:
        page = _web_page(path, limits)
        if page is not None:
            return page
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


WORD_SUFFIXES = (".doc", ".docx", ".wps")


def _web_page(path: Path, limits: Limits) -> Document | None:
    """A web page (HTML, or MHTML: a page "saved as a single file") named .doc, as web systems give
    them out and Word opens them: read through LibreOffice. None when the file is no web page."""
    from imtc.extract.convert import page_of_mhtml, to_docx, web_page
    from imtc.extract.docx_reader import read_docx

    with open(path, "rb") as f:
        head = f.read(4096)
    kind = web_page(head)
    if kind is None:
        return None
    content = page_of_mhtml(path.read_bytes()) if kind == "mhtml" else None
    with to_docx(path, suffix=".html", content=content) as converted:
        doc = read_docx(open_docx(converted, limits))
    doc.web_page = kind
    return doc


def through_libreoffice(path: Path, limits: Limits) -> bool:
    """Whether read_document converts `path` to .docx through LibreOffice as it is (an old Word or WPS
    file, or RTF, not encrypted, within the size limit): the files a round converts in one go
    (imtc/extract/office.py). Looks at the first bytes only; never raises."""
    try:
        if not_a_regular_file(path) or not 0 < path.stat().st_size <= limits.max_file_bytes:
            return False
        with open(path, "rb") as f:
            head = f.read(1024)
        data = data_kind(head)
        return data == "rtf" or (data == "ole" and not _encrypted_ooxml(path))
    except OSError:
        return False


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
        scores[k] = sum(1 for x in m if not x.guessed) + (MIN_HEADINGS if titled else 0)
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < MIN_HEADINGS:
        return "unknown", matches
    return best, matches


def from_document(doc: Document, source: Source) -> Extraction:
    """Template logic over a Document: kind, outline, tables, meta and the reader's findings."""
    from imtc.extract.ocr_findings import annotate

    kind, all_matches = detect_kind(doc)
    found = _reader_findings(doc)
    if kind == "unknown":
        ex = Extraction(source=source, kind="unknown", findings=[F.KIND_UNKNOWN(), *found])
        annotate(ex, doc, {})  # pages read by OCR: source.ocr, confidence, findings
        return ex
    tpl = outline(kind)
    matches = all_matches[kind]
    sections_of = section_of_blocks(len(doc.blocks), matches)
    tables = read_tables(doc.blocks, sections_of, kind)
    blocks = _without(doc.blocks, tables.failed)  # a table whose reading failed is not read again
    status = statuses(tpl, matches, _keys_with_content(blocks, matches, sections_of, tables))
    by_key = {m.key: m for m in matches}
    sections = []
    for spec in tpl.sections:
        m = by_key.get(spec.key)
        loc = Location()
        if m is not None:
            blk = doc.blocks[m.block]
            loc = Location(page=blk.page, paragraph=blk.index if isinstance(blk, Paragraph) else None, blocks=[blk.id])
        sections.append(Section(key=spec.key, title=spec.title, status=status[spec.key],  # type: ignore[arg-type]
                                heading=m.heading if m else None, location=loc))
    first_heading = matches[0].block if matches else len(doc.blocks)
    last_heading = matches[-1].block if matches else len(doc.blocks)
    try:
        meta = read_meta(blocks[:first_heading], blocks[last_heading + 1:], kind)
    except Exception as e:  # one part's failure costs that part only
        meta = Meta()
        found.append(part_failed("封面和落款信息（中心名称、申报单位、负责人、日期）", e))
    try:
        entities = read_entities(blocks, sections_of, kind)
    except Exception as e:
        entities = Entities()
        found.append(part_failed("成果信息（专利、标准、项目、奖励、论文等）的识别", e))
    found += _unrecognised_tables(doc, tables.unrecognised, sections_of, kind)
    found += _guessed_headings(doc, matches, kind)
    ex = Extraction(source=source, kind=kind, meta=meta, sections=sections,  # type: ignore[arg-type]
                    tables=tables.tables, entities=entities, findings=found + tables.findings)
    annotate(ex, doc, tables.cell_places)
    return ex


def _reader_findings(doc: Document) -> list[Finding]:
    found: list[Finding] = []
    if doc.revisions:
        found.append(F.TRACKED_CHANGES(count=doc.revisions))
    if doc.comments:
        found.append(F.COMMENTS(count=doc.comments))
    if doc.pages_without_text:
        found.append(F.PAGES_WITHOUT_TEXT(pages="、".join(map(str, doc.pages_without_text)),
                                          count=len(doc.pages_without_text)))
    if doc.pdfium_pages:
        found.append(F.PDF_DAMAGED(pages="、".join(map(str, doc.pdfium_pages))))
    if doc.cid_pages:
        found.append(F.TEXT_LAYER_UNUSABLE(pages="、".join(map(str, doc.cid_pages))))
    if doc.web_page:
        found.append(F.WEB_PAGE_AS_DOC(what="“单个文件网页”（MHTML）" if doc.web_page == "mhtml" else "网页（HTML）"))
    if doc.invalid_attributes:
        found.append(F.ATTRIBUTES_INVALID(count=len(doc.invalid_attributes), example=doc.invalid_attributes[0]))
    return found


def _without(blocks: list[Block], failed: list[int]) -> list[Block]:
    """The blocks, each table whose reading failed replaced by an empty one (the indices stay)."""
    if not failed:
        return blocks
    out = list(blocks)
    for bi in failed:
        b = out[bi]
        out[bi] = TableBlock(index=b.index, grid=[], page=b.page, id=b.id)  # type: ignore[union-attr]
    return out


def _keys_with_content(blocks: list[Block], matches: list[Any], sections_of: list[str | None],
                       tables: Any) -> set[str]:
    """Sections with real content of their own: prose, or a table with data rows."""
    heading_blocks = {m.block for m in matches}
    keys = {m.key for m in matches if m.inline_content}
    for bi, b in enumerate(blocks):
        key = sections_of[bi]
        if key is None or bi in heading_blocks:
            continue
        if isinstance(b, Paragraph):
            if is_content(b.text):
                keys.add(key)
        elif bi in tables.content_blocks or bi in tables.failed or (bi in tables.unrecognised and _has_text_rows(b)):
            keys.add(key)  # a table that could not be read is not taken for an empty section
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
            found.append(F.TABLE_UNRECOGNISED(Location(section=key, table=blk.index, page=blk.page, blocks=[blk.id]),
                                              index=blk.index + 1, section=f"{key} {titles[key]}"))
    return found


GUESSED_HOW = {"reworded": "按其编号和位置推定为该章节",
               "merged": "像是把该章节与相邻章节合并为一个标题，按合并处理（两节共用该标题下的内容）"}


def _guessed_headings(doc: Document, matches: list[Any], kind: str) -> list[Finding]:
    """A warning where a top-level heading was taken by its place, not by its title (outline.py)."""
    titles = {s.key: s.title for s in outline(kind).sections}
    found = []
    for m in matches:
        if m.guessed:
            blk = doc.blocks[m.block]
            loc = Location(section=m.key, page=blk.page, blocks=[blk.id],
                           paragraph=blk.index if isinstance(blk, Paragraph) else None)
            found.append(F.HEADING_GUESSED(loc, heading=m.heading, key=m.key, title=titles[m.key],
                                           how=GUESSED_HOW[m.guessed]))
    return found


def _has_text_rows(b: Any) -> bool:
    rows = getattr(b, "grid", [])
    return sum(1 for r in range(len(rows)) if any(squash(c.text) for c in b.row_cells(r))) >= 3
