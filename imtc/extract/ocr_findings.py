"""What the template layer says about pages read by OCR: `source.ocr`, the per-page confidence, the
pages read, and each table cell recognised with low confidence, named by the table, row and column
the mapping put it in (tables.py records where each cell went; nothing is classified again here).
"""

from __future__ import annotations

from imtc import findings as F
from imtc.extract.blocks import Cell, Document, TableBlock
from imtc.extract.ocr_layout import layout_findings
from imtc.extract.text import clean
from imtc.models import Extraction, Finding, Location
from imtc.templates import families, table_kinds

LOW_CONFIDENCE = 0.80  # a cell recognised with less than this is named in a finding
MAX_LOW_FINDINGS = 50

CellPlace = tuple[str, int, str, "str | None"]  # table kind, row in the contract's table, field, section


def annotate(ex: Extraction, doc: Document, places: dict[str, CellPlace]) -> None:
    """`source.ocr`, the per-page confidence, and the OCR findings, onto an extraction of `doc`;
    `places`: cell id -> where the mapping put it."""
    if not doc.ocr_pages:
        return
    ex.source.ocr = True
    ex.source.ocr_confidence = dict(doc.ocr_confidence)
    mean = sum(doc.ocr_confidence.values()) / len(doc.ocr_confidence)
    ex.findings.insert(0, F.OCR_PAGES(pages=page_list(doc.ocr_pages), count=len(doc.ocr_pages),
                                      confidence=f"{mean:.0%}"))
    ex.findings += layout_findings(doc)
    ex.findings += low_findings(doc, places)


def page_list(pages: list[int]) -> str:
    """1、2、3、5 -> 1–3、5."""
    parts: list[str] = []
    start = prev = None
    for p in [*pages, None]:
        if p is not None and prev is not None and p == prev + 1:
            prev = p
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}–{prev}")
        start = prev = p
    return "、".join(parts)


def low_cells(doc: Document) -> list[tuple[TableBlock, Cell]]:
    """The table cells recognised with less than LOW_CONFIDENCE, in page and reading order."""
    out = [(tb, c) for tb in doc.tables() for c in tb.cells()
           if c.confidence is not None and c.confidence < LOW_CONFIDENCE]
    return sorted(out, key=lambda tc: (tc[0].page or 0, tc[0].index, tc[1].row, tc[1].col))


def low_findings(doc: Document, places: dict[str, CellPlace]) -> list[Finding]:
    out = []
    for tb, cell in low_cells(doc):
        text = clean(cell.text)
        if not text:
            continue
        page = tb.row_pages[cell.row] if cell.row < len(tb.row_pages) else tb.page
        place = places.get(cell.id)
        if place is not None:
            kind, row, fname, section = place
            spec = table_kinds()[kind]
            names = families()[spec.family].fields.get(fname)
            label = names[0].replace("|", "·") if names else fname
            loc = Location(page=page, section=section, table=tb.index, row=row, field=fname, blocks=[cell.id])
            what = f"“{spec.title}”第 {row + 1} 行“{label}”栏"
        else:
            loc = Location(page=page, table=tb.index, blocks=[cell.id])
            what = f"第 {page} 页的第 {tb.index + 1} 个表格（第 {cell.row + 1} 行第 {cell.col + 1} 列）"
        out.append(F.OCR_LOW_CONFIDENCE(loc, where=what, text=text if len(text) <= 40 else text[:39] + "…",
                                        confidence=f"{cell.confidence:.0%}"))
    if len(out) > MAX_LOW_FINDINGS:
        rest = len(out) - MAX_LOW_FINDINGS + 1
        out = out[:MAX_LOW_FINDINGS - 1] + [F.OCR_LOW_CONFIDENCE_MORE(count=rest)]
    return out
