"""The Document: what every reader produces and every later stage reads.

A document is a list of blocks in reading order: paragraphs (with a role: heading, list item or
paragraph, as the format marks it) and tables. Tables are grids of cells with merged cells
resolved: every grid position points at the cell that covers it, so a vertically merged cell is the
same object in each row it spans. Template mapping, entities, validation and scoring read only
these classes, never the file, and never ask which format a block came from.

Every block, table row and cell has a stable id, deterministic from reading order: "p12" (the 13th
body paragraph), "t3" (the 4th table), "t3.r5" (its 6th grid row), "t3.r5.c2" (the cell that starts
there). Locations in the Extraction carry these ids (`Location.blocks`), so evidence can be found
again in the Document, and shown as a crop of its page where the format gives boxes.

Boxes (`bbox`) are in page coordinates: PDF points, (x0, top, x1, bottom) from the page's top-left
corner, as pdfplumber gives them; `Document.page_sizes` holds each page's width and height. A .docx
has no boxes (None).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points from the page's top-left
Role = Literal["heading", "list_item", "paragraph"]


def union(boxes: list[Box | None]) -> Box | None:
    """The smallest box around the given ones (None when none is known)."""
    known = [b for b in boxes if b is not None]
    if not known:
        return None
    return (min(b[0] for b in known), min(b[1] for b in known), max(b[2] for b in known), max(b[3] for b in known))


@dataclass
class Paragraph:
    text: str  # as displayed: automatic numbering label included, tracked changes accepted
    index: int  # 0-based among body paragraphs
    page: int | None = None
    outline_level: int | None = None  # 1-based heading level from the style, when styled as a heading
    auto_label: str | None = None  # the label automatic numbering displays, if any
    role: Role = "paragraph"
    bbox: Box | None = None  # on `page` (a paragraph running on to the next page: its part on `page`)
    confidence: float | None = None  # OCR: the recognition's mean confidence, 0-1
    id: str = ""  # "p12": set by Document.number()


@dataclass(eq=False)
class Cell:
    text: str
    row: int  # the grid row and column where the cell starts
    col: int
    rowspan: int = 1
    colspan: int = 1
    auto_label: str | None = None  # automatic numbering of the cell's first paragraph
    bbox: Box | None = None
    confidence: float | None = None  # OCR: the least confident recognised character in it, 0-1
    id: str = ""  # "t3.r5.c2": set by Document.number()
    # a table drawn without rules: texts put in this cell although they reach on into the columns up to
    # the given one, nothing telling whose they are (imtc/extract/pdf_stream.py), (text, last column)
    crossing: list[tuple[str, int]] = field(default_factory=list)
    # a text PDF's cell: the lines its text was joined from and how (imtc/extract/pdf_reader.py
    # `CellWrap`), to join it to its rest on the next page as its own lines are joined
    wrap: Any = field(default=None, repr=False)


@dataclass
class TableBlock:
    index: int  # 0-based among the document's tables
    grid: list[list[Cell | None]]  # grid[row][col]
    page: int | None = None
    row_pages: list[int | None] = field(default_factory=list)
    header_rows: int = 0  # rows marked as repeating header rows by the format, if it says
    bbox: Box | None = None
    row_boxes: list[Box | None] = field(default_factory=list)  # each grid row's box, where known
    id: str = ""  # "t3": set by Document.number()

    @property
    def ncols(self) -> int:
        return max((len(r) for r in self.grid), default=0)

    def row_cells(self, r: int) -> list[Cell]:
        """The distinct cells of row r, left to right."""
        out: list[Cell] = []
        for c in self.grid[r]:
            if c is not None and (not out or out[-1] is not c):
                out.append(c)
        return out

    def row_id(self, r: int) -> str:
        return f"{self.id}.r{r}"

    def row_box(self, r: int) -> Box | None:
        if r < len(self.row_boxes) and self.row_boxes[r] is not None:
            return self.row_boxes[r]
        return union([c.bbox for c in self.row_cells(r) if c.row == r and c.rowspan == 1]) if r < len(self.grid) else None

    def cells(self) -> Iterator[Cell]:
        """Each distinct cell once, in reading order."""
        seen: set[int] = set()
        for row in self.grid:
            for c in row:
                if c is not None and id(c) not in seen:
                    seen.add(id(c))
                    yield c


Block = Paragraph | TableBlock


@dataclass
class Place:
    """Where a block, row or cell is: its page and box (either may be unknown)."""

    id: str
    page: int | None
    bbox: Box | None
    text: str


@dataclass
class Document:
    """What a reader hands to template logic."""

    blocks: list[Block]
    pages: int | None = None
    revisions: int = 0  # unaccepted tracked changes seen
    comments: int = 0
    pages_without_text: list[int] = field(default_factory=list)  # PDF pages with no text layer (scans)
    invalid_attributes: list[str] = field(default_factory=list)  # malformed attributes clamped or skipped
    pdfium_pages: list[int] = field(default_factory=list)  # PDF pages pdfminer could not parse, read by PDFium
    cid_pages: list[int] = field(default_factory=list)  # PDF pages whose text layer is (cid:N) codes
    web_page: str = ""  # "html" / "mhtml": a web page named .doc, read through LibreOffice
    page_sizes: dict[int, tuple[float, float]] = field(default_factory=dict)  # page -> (width, height) in points
    ocr_pages: list[int] = field(default_factory=list)  # pages whose content comes from OCR
    ocr_confidence: dict[int, float] = field(default_factory=dict)  # per OCR'd page, 0-1
    ocr_turned: dict[int, int] = field(default_factory=dict)  # OCR'd page -> degrees its image was turned to read it
    ocr_unsure_pages: list[int] = field(default_factory=list)  # OCR'd pages whose orientation could not be decided
    ocr_straddling: list[Cell] = field(default_factory=list)  # OCR'd cells of ruleless tables whose text crosses into the next column

    def number(self) -> Document:
        """Give every paragraph, table, row and cell its id from its place in reading order."""
        for b in self.blocks:
            if isinstance(b, Paragraph):
                b.id = f"p{b.index}"
                continue
            b.id = f"t{b.index}"
            for c in b.cells():
                c.id = f"{b.id}.r{c.row}.c{c.col}"
        return self

    def tables(self) -> Iterator[TableBlock]:
        return (b for b in self.blocks if isinstance(b, TableBlock))

    def place(self, block_id: str) -> Place | None:
        """The page, box and text of a block ("p3", "t2"), a row ("t2.r4") or a cell ("t2.r4.c1")."""
        head, _, rest = block_id.partition(".")
        for b in self.blocks:
            if b.id != head:
                continue
            if isinstance(b, Paragraph):
                return Place(block_id, b.page, b.bbox, b.text)
            if not rest:
                return Place(block_id, b.page, b.bbox, "")
            return _place_in_table(b, block_id, rest)
        return None


def _place_in_table(tb: TableBlock, block_id: str, rest: str) -> Place | None:
    row_part, _, col_part = rest.partition(".")
    if not row_part.startswith("r") or not row_part[1:].isdigit():
        return None
    r = int(row_part[1:])
    if r >= len(tb.grid):
        return None
    page = tb.row_pages[r] if r < len(tb.row_pages) else tb.page
    if not col_part:
        return Place(block_id, page, tb.row_box(r), " ".join(c.text for c in tb.row_cells(r)))
    if not col_part.startswith("c") or not col_part[1:].isdigit():
        return None
    c = int(col_part[1:])
    cell = tb.grid[r][c] if c < len(tb.grid[r]) else None
    if cell is None:
        return None
    return Place(block_id, page, cell.bbox, cell.text)


@dataclass(frozen=True)
class HeaderMatch:
    """A table header as the template layer recognises it: what a reader needs to cut rows."""

    key: int  # the column whose entries start rows (序号, or 时间节点 in roadmaps)
    key_names: tuple[str, ...]  # that column's header names, whitespace removed


@dataclass(frozen=True)
class HeaderVocabulary:
    """The table headers a reader may look for, handed in by the template layer (readers know no
    template): every header text (whitespace and brackets removed), the recogniser of a header
    grid, and the group titles (texts that stand over several columns and name none)."""

    texts: tuple[str, ...]
    recognise: Callable[[TableBlock], HeaderMatch | None]
    groups: tuple[str, ...] = ()
