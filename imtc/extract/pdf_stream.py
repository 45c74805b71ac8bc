"""Tables drawn without rules, in a text PDF.

pdfplumber's ruling-based finder sees no table where the borders were removed: the cells'
characters arrive as free lines. This module finds such tables among a page's free lines and
turns them into `TableBlock`s, so that tables.py reads them like any other.

- A table starts at a header: one band of lines (lines closer to each other than the rows of a
  table are) whose words, grouped into columns, are recognised as a table family's header by
  tables.py's `find_layout`, from the vocabulary of imtc/templates/tables.toml. A header may wrap
  over several lines ("测量 / 参数"), and may have two levels: a group title over several columns
  ("试验/检测需求" over 参数名称, 范围或量值, 允许误差).
- It runs down to the first line that is no table content: a numbered heading or a "注：" line
  starting in the first column, a prose line, the page's footer, or the page's end. A table that
  reaches the page's end is looked for at the top of the next page, in the same columns, without a
  repeated header.
- Columns are where the words of the data rows and of the header lie: each word's horizontal
  extent, narrowest first, joins the column it overlaps; a word overlapping two columns (a group
  title, a 合计 label centred under several columns) spans them and makes no column.
- Rows are bands separated by more space than the lines of one cell; when a table has no cell
  padding, a band is also cut where the key column (序号, or the first) starts a new entry.
- camelot (stream flavour, with the table's area, columns and row bands) places the text of the
  data rows into cells (`camelot_cells`); the characters it cannot place exactly (see
  `_camelot_row`) fall back to pdfplumber's own characters, joined by the reader's wrapping rules.

Only pages whose free lines hold a table header, or that follow a page whose table ran to its end,
do any of this; camelot is imported then, and never for ruled tables or .docx files.
"""

from __future__ import annotations

import re
import warnings
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from imtc.extract.blocks import Cell, TableBlock
from imtc.extract.outline import parse_label
from imtc.extract.pdf_reader import MARGIN, PAGE_NUMBER, Line, _Page, cell_text, group_lines, is_cjk
from imtc.extract.tables import NOTE_RE, Layout, find_layout

WORD_GAP = 0.6  # a gap wider than this share of the font size ends a word: cells lie further apart
MAX_HEADER_LINES = 8  # a header band with more lines is body text
MIN_HEADER_WORDS = 3  # a header line names at least this many columns
CONTINUATION_FIT = 0.9  # share of a page's top words that must sit inside the open table's columns
PROSE_WIDTH = 0.6  # a one-word line wider than this share of the table is prose, not a cell


@dataclass
class Word:
    """Characters of one line with no wide gap between them: the text of one cell on that line."""

    chars: list[dict[str, Any]]
    line: int  # index of its line among the page's lines

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return self.chars[-1]["x1"]

    @property
    def top(self) -> float:
        return min(c["top"] for c in self.chars)

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)


@dataclass
class Columns:
    """A table's columns: the x of their boundaries, left edge to right edge."""

    edges: list[float]

    def __len__(self) -> int:
        return len(self.edges) - 1

    def index(self, x: float) -> int:
        """The column that x falls in."""
        return min(len(self) - 1, sum(1 for e in self.edges[1:-1] if x >= e))

    def covered(self, w: Word) -> tuple[int, int]:
        """First and last column that a word's extent reaches into."""
        return self.index(w.x0 + 0.5), self.index(w.x1 - 0.5)

    @property
    def width(self) -> float:
        return self.edges[-1] - self.edges[0]


@dataclass
class OpenTable:
    """A table that ran to the end of its page: what the next page needs to carry it on."""

    columns: Columns
    key: int  # the column whose text starts a new row


@dataclass
class Found:
    """A table found on the page: its block, its top (for reading order) and the lines it used."""

    block: TableBlock
    top: float
    lines: set[int]
    reaches_end: bool


@dataclass
class _Region:
    """A table's lines on one page, split into header and data bands, before the cells are read."""

    header: list[Word]
    bands: list[list[int]]  # data rows: indices into the page's lines
    columns: Columns
    key: int
    reaches_end: bool
    used: set[int] = field(default_factory=set)


_OPEN: weakref.WeakKeyDictionary[Any, OpenTable] = weakref.WeakKeyDictionary()  # per open pdfplumber PDF


# --- words, bands, columns ---------------------------------------------------------------


def split_words(ln: Line, index: int) -> list[Word]:
    """A line's words: runs of characters with no gap wider than WORD_GAP of the font size."""
    words: list[Word] = []
    for c in ln.chars:
        if words and c["x0"] - words[-1].chars[-1]["x1"] <= WORD_GAP * c["size"]:
            words[-1].chars.append(c)
        else:
            words.append(Word([c], index))
    return words


def row_gap(lines: list[Line]) -> float:
    """The vertical space above which two lines belong to different rows (or paragraphs).

    Lines of one cell follow each other at the page's usual pitch; rows of a table, like
    paragraphs, are set further apart by cell padding. The threshold is the usual gap between
    lines plus 0.4 of the font size.
    """
    size = Counter(ln.size for ln in lines).most_common(1)[0][0] if lines else 10.0
    steps = [round(b.top - a.top, 1) for a, b in zip(lines, lines[1:], strict=False)
             if 0.8 * size < b.top - a.top < 2.5 * size]
    pitch = Counter(steps).most_common(1)[0][0] if steps else 1.2 * size
    return max(pitch - size, 0.0) + 0.4 * size


def bands(lines: list[Line], indices: Iterable[int], gap: float) -> list[list[int]]:
    """Consecutive lines grouped into bands, a new band where the space above a line exceeds `gap`."""
    out: list[list[int]] = []
    bottom = 0.0
    for i in indices:
        ln = lines[i]
        if out and ln.top - bottom <= gap:
            out[-1].append(i)
            bottom = max(bottom, ln.bottom)
        else:
            out.append([i])
            bottom = ln.bottom
    return out


def cluster(words: list[Word]) -> tuple[list[tuple[float, float]], list[Word]]:
    """Column extents from words' extents, left to right: narrowest word first, each word joins the
    extent it overlaps; a word overlapping two extents spans columns and is set apart."""
    spans: list[list[float]] = []
    spanning: list[Word] = []
    for w in sorted(words, key=lambda w: w.x1 - w.x0):
        hits = [s for s in spans if w.x0 < s[1] and w.x1 > s[0]]
        if len(hits) >= 2:
            spanning.append(w)
        elif hits:
            hits[0][0], hits[0][1] = min(hits[0][0], w.x0), max(hits[0][1], w.x1)
        else:
            spans.append([w.x0, w.x1])
    return sorted((a, b) for a, b in spans), spanning


def header_columns(spans: list[tuple[float, float]]) -> Columns:
    """Columns from the header's words alone: boundaries halfway between them."""
    inner = [(a[1] + b[0]) / 2 for a, b in zip(spans, spans[1:], strict=False)]
    return Columns([spans[0][0] - 1] + inner + [spans[-1][1] + 1])


def _widest_gap(lo: float, hi: float, ink: list[tuple[float, float]]) -> float:
    """The middle of the widest stretch of [lo, hi] that no extent in `ink` covers (its middle if none)."""
    best, at, x = 0.0, (lo + hi) / 2, lo
    for a, b in sorted(ink) + [(hi, hi)]:
        if a > x and min(a, hi) - x > best:
            best, at = min(a, hi) - x, (x + min(a, hi)) / 2
        x = max(x, b)
    return at


def table_columns(head: list[tuple[float, float]], data: list[Word]) -> Columns:
    """One column per header column; each boundary in the widest blank stretch between two
    neighbouring header texts, where the data rows leave it blank (short texts align left
    under a centred header, so the stretch next to the header is not always the boundary)."""
    body, _ = cluster(data)
    inner = [_widest_gap(a[1], b[0], [s for s in body if s[1] > a[1] and s[0] < b[0]])
             for a, b in zip(head, head[1:], strict=False)]
    xs = [x for s in head + body for x in s]
    return Columns([min(xs) - 1] + inner + [max(xs) + 1])


# --- the header ------------------------------------------------------------------------------


def _continuations(groups: list[Word], words: list[Word], lines: list[Line]) -> dict[int, list[Word]]:
    """For each group title (by position in `groups`), the wrapped rest of it on the line below:
    the only word of the next line under the title's extent, centred under it."""
    out: dict[int, list[Word]] = {}
    for gi, g in enumerate(groups):
        below = [w for w in words if w.line == g.line + 1 and w.x0 < g.x1 and w.x1 > g.x0]
        size = g.chars[0]["size"]
        if (len(below) == 1 and abs(below[0].center - g.center) <= size
                and 0 < lines[below[0].line].top - lines[g.line].top <= 1.6 * size):
            out[gi] = below
    return out


def header_words(words: list[Word], lines: list[Line]) -> tuple[list[Word], list[tuple[Word, list[Word]]]]:
    """A header band's words: those of single columns, and the group titles with their wrapped rest."""
    _, spanning = cluster(words)
    cont = _continuations(spanning, [w for w in words if w not in spanning], lines)
    rest = {id(w) for ws in cont.values() for w in ws}
    plain = [w for w in words if w not in spanning and id(w) not in rest]
    return plain, [(g, cont.get(i, [])) for i, g in enumerate(spanning)]


def _text(words: list[Word], lines: list[Line]) -> str:
    """The text of a cell made of these words, wrapped lines joined as the reader joins them."""
    chars = [c for w in words for c in w.chars]
    if not chars:
        return ""
    page = lines[words[0].line].page
    cell_lines = group_lines(chars, page, lines[words[0].line].spaces)
    return cell_text(cell_lines, max(c["x1"] for c in chars) + 0.5)


def header_grid(words: list[Word], lines: list[Line], columns: Columns) -> list[list[Cell | None]]:
    """The header as grid rows: one row, or two when group titles stand over several columns."""
    plain, groups = header_words(words, lines)
    n = len(columns)
    per_col: list[list[Word]] = [[] for _ in range(n)]
    for w in plain:
        per_col[columns.index(w.center)].append(w)
    if not groups:
        return [[Cell(_text(per_col[c], lines), row=0, col=c) for c in range(n)]]
    grid: list[list[Cell | None]] = [[None] * n, [None] * n]
    for g, rest in groups:
        c0, c1 = columns.covered(g)
        cell = Cell(_text([g], lines) + _text(rest, lines), row=0, col=c0, colspan=c1 - c0 + 1)
        for c in range(c0, c1 + 1):
            if grid[0][c] is None:
                grid[0][c] = cell
    for c in range(n):
        if grid[0][c] is None:
            grid[0][c] = grid[1][c] = Cell(_text(per_col[c], lines), row=0, col=c, rowspan=2)
        else:
            grid[1][c] = Cell(_text(per_col[c], lines), row=1, col=c)
    return grid


def header_layout(words: list[Word], lines: list[Line], columns: Columns | None = None) -> Layout | None:
    """The table family whose header these words are (tables.py's recognition), or None."""
    if columns is None:
        plain, _ = header_words(words, lines)
        spans, _ = cluster(plain)
        if len(spans) < 2:
            return None
        columns = header_columns(spans)
    return find_layout(TableBlock(index=-1, grid=header_grid(words, lines, columns)))


def _may_be_header(band: list[int], words: dict[int, list[Word]]) -> bool:
    return len(band) <= MAX_HEADER_LINES and any(len(words[i]) >= MIN_HEADER_WORDS for i in band)


# --- the region and its rows -----------------------------------------------------------------


def _ends_table(ln: Line, words: list[Word], columns: Columns, height: float) -> bool:
    """Is this line no longer table content? A footer, or a one-word line starting in the first
    column that is a numbered heading, a note, or prose as wide as most of the table."""
    if len(words) != 1:
        return False
    t = ln.text.strip()
    if ln.top > height * (1 - MARGIN) and PAGE_NUMBER.match(t):
        return True
    if columns.index(ln.x0) > 0:
        return False
    return (parse_label(t).level is not None or bool(NOTE_RE.match(t))
            or ln.x1 - ln.x0 > PROSE_WIDTH * columns.width)


def _extent(lines: list[Line], start: int, columns: Columns, words: dict[int, list[Word]],
            height: float) -> tuple[int, bool]:
    """Index of the first line after the table that starts at `start`, and whether it reached the page's end."""
    for i in range(start, len(lines)):
        if _ends_table(lines[i], words[i], columns, height):
            return i, False
    return len(lines), True


def split_by_key(band: list[int], words: dict[int, list[Word]], columns: Columns, key: int) -> list[list[int]]:
    """Cut a band holding several entries of the key column before each entry after the first
    (an entry: consecutive lines with key text).

    Needed only when a table has no cell padding, so that its rows are not set apart by space;
    a band with one entry is one row, whichever of its lines the entry sits on (text centred
    vertically in its cell sits on a middle line).
    """
    has = [any(columns.index(w.center) == key for w in words[i]) for i in band]
    starts = [j for j, h in enumerate(has) if h and (j == 0 or not has[j - 1])]
    if len(starts) < 2:
        return [band]
    cuts = [0] + starts[1:] + [len(band)]
    return [band[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def _rows(lines: list[Line], first: int, end: int, words: dict[int, list[Word]], columns: Columns,
          key: int, gap: float) -> list[list[int]]:
    """The data rows between lines `first` and `end`: bands, each cut further by the key column."""
    rows: list[list[int]] = []
    for band in bands(lines, range(first, end), gap):
        rows.extend(split_by_key(band, words, columns, key) if len(band) > 1 else [band])
    return rows


def _key_column(layout: Layout) -> int:
    """The column whose text starts a row: 序号, or the first mapped column (时间节点 in roadmaps)."""
    seq = [c for c, f in layout.columns.items() if f == "seq"]
    return seq[0] if seq else min(layout.columns)


def _region(lines: list[Line], band: list[int], words: dict[int, list[Word]], height: float,
            gap: float) -> _Region | None:
    """The table whose header is `band`, or None when the band is no recognised header."""
    while len(band) > 1 and len(words[band[0]]) < 2:
        band = band[1:]  # a heading or the table's title just above the header
    head = [w for i in band for w in words[i]]
    if header_layout(head, lines) is None:
        return None
    plain, _ = header_words(head, lines)
    spans, _ = cluster(plain)
    first = band[-1] + 1
    end, _ = _extent(lines, first, header_columns(spans), words, height)
    columns = table_columns(spans, [w for i in range(first, end) for w in words[i]])
    end, reaches_end = _extent(lines, first, columns, words, height)
    layout = header_layout(head, lines, columns)
    if layout is None or end == first:
        return None
    key = _key_column(layout)
    rows = _rows(lines, first, end, words, columns, key, gap)
    return _Region(header=head, bands=rows, columns=columns, key=key, reaches_end=reaches_end,
                   used=set(band) | set(range(first, end)))


def _continuation(lines: list[Line], words: dict[int, list[Word]], open_: OpenTable, height: float,
                  gap: float) -> _Region | None:
    """The rest of the previous page's table at the top of this page, in the same columns, if it is there."""
    start = 0
    while start < len(lines) and lines[start].top < height * MARGIN and len(words[start]) == 1:
        start += 1  # a running header
    end, reaches_end = _extent(lines, start, open_.columns, words, height)
    ws = [w for i in range(start, end) for w in words[i]]
    if end == start or not ws:
        return None
    fit = sum(1 for w in ws if len(set(open_.columns.covered(w))) == 1)
    first_line_fits = all(len(set(open_.columns.covered(w))) == 1 for w in words[start])
    if not first_line_fits or fit < CONTINUATION_FIT * len(ws):
        return None
    rows = _rows(lines, start, end, words, open_.columns, open_.key, gap)
    return _Region(header=[], bands=rows, columns=open_.columns, key=open_.key, reaches_end=reaches_end,
                   used=set(range(start, end)))


# --- cells -----------------------------------------------------------------------------------


def _row_cells(row: list[int], r: int, words: dict[int, list[Word]], lines: list[Line],
               columns: Columns) -> list[Cell | None]:
    """One data row's cells from pdfplumber's characters: each word goes to the column of its
    first character (a text merged over several columns is one value in its first column)."""
    per_col: list[list[Word]] = [[] for _ in range(len(columns))]
    for i in row:
        for w in words[i]:
            per_col[columns.index(w.x0 + 0.5)].append(w)
    return [Cell(_text(ws, lines), row=r, col=c) for c, ws in enumerate(per_col)]


def build_block(region: _Region, lines: list[Line], words: dict[int, list[Word]], page: int,
                index: int) -> TableBlock:
    """The region as a TableBlock: header rows (if any), then one grid row per data row."""
    grid: list[list[Cell | None]] = header_grid(region.header, lines, region.columns) if region.header else []
    head = len(grid)
    for r, row in enumerate(region.bands):
        grid.append(_row_cells(row, head + r, words, lines, region.columns))
    return TableBlock(index=index, grid=grid, page=page, row_pages=[page] * len(grid), header_rows=head)


# --- the page ------------------------------------------------------------------------------


def find_tables(lines: list[Line], height: float, number: int, open_: OpenTable | None,
                n_tables: int) -> list[Found]:
    """The ruleless tables among a page's free lines (sorted top to bottom)."""
    if not lines:
        return []
    words = {i: split_words(ln, i) for i, ln in enumerate(lines)}
    gap = row_gap(lines)
    found: list[Found] = []
    used: set[int] = set()
    regions: list[_Region] = []
    if open_ is not None:
        cont = _continuation(lines, words, open_, height, gap)
        if cont is not None:
            regions.append(cont)
            used |= cont.used
    for band in bands(lines, range(len(lines)), gap):
        if used & set(band) or not _may_be_header(band, words):
            continue
        region = _region(lines, band, words, height, gap)
        if region is not None and not (region.used & used):
            regions.append(region)
            used |= region.used
    for region in regions:
        block = build_block(region, lines, words, number, n_tables + len(found))
        top = min(lines[i].top for i in region.used)
        found.append(Found(block=block, top=top, lines=region.used, reaches_end=region.reaches_end))
        found[-1].columns = region.columns  # type: ignore[attr-defined]
        found[-1].key = region.key  # type: ignore[attr-defined]
    return found


def add_ruleless_tables(page: Any, p: _Page, n_tables: int) -> int:
    """Find the page's tables drawn without rules among its free lines; add them to `p` as tables
    (with their tops, for reading order) and take their lines out of its lines. Returns n_tables."""
    lines = sorted(p.lines, key=lambda ln: ln.top)
    pdf = getattr(page, "pdf", None)
    open_ = _OPEN.pop(pdf, None) if pdf is not None else None
    found = find_tables(lines, p.height, p.number, open_, n_tables)
    if not found:
        return n_tables
    used: set[int] = set()
    for f in sorted(found, key=lambda f: f.top):
        p.tables.append(f.block)
        p.table_tops.append(f.top)
        used |= f.lines
    p.lines = [ln for i, ln in enumerate(lines) if i not in used]
    last = max(found, key=lambda f: f.top)
    if last.reaches_end and pdf is not None:
        _OPEN[pdf] = OpenTable(columns=last.columns, key=last.key)  # type: ignore[attr-defined]
    return n_tables + len(found)
