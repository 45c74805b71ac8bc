"""The format-neutral block stream that every reader produces.

A document is a list of blocks in reading order: paragraphs and tables. Tables are grids
of cells with merged cells resolved: every grid position points at the cell that covers it,
so a vertically merged cell is the same object in each row it spans. Template logic reads
only these classes and never asks which format a block came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Paragraph:
    text: str  # as displayed: automatic numbering label included, tracked changes accepted
    index: int  # 0-based among body paragraphs
    page: int | None = None
    outline_level: int | None = None  # 1-based heading level from the style, when styled as a heading
    auto_label: str | None = None  # the label automatic numbering displays, if any


@dataclass(eq=False)
class Cell:
    text: str
    row: int  # the grid row and column where the cell starts
    col: int
    rowspan: int = 1
    colspan: int = 1
    auto_label: str | None = None  # automatic numbering of the cell's first paragraph


@dataclass
class TableBlock:
    index: int  # 0-based among the document's tables
    grid: list[list[Cell | None]]  # grid[row][col]
    page: int | None = None
    row_pages: list[int | None] = field(default_factory=list)
    header_rows: int = 0  # rows marked as repeating header rows by the format, if it says

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


Block = Paragraph | TableBlock


@dataclass
class Document:
    """What a reader hands to template logic."""

    blocks: list[Block]
    pages: int | None = None
    revisions: int = 0  # unaccepted tracked changes seen
    comments: int = 0
    pages_without_text: list[int] = field(default_factory=list)  # PDF pages with no text layer (scans)
    findings: list[Any] = field(default_factory=list)  # the reader's own findings (imtc.models.Finding)
