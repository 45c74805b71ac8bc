"""Tables drawn without rules, in a text PDF.

pdfplumber's ruling-based finder sees no table where the borders were removed: the cells'
characters arrive as free lines. This module finds such tables among a page's free lines and
turns them into `TableBlock`s, so that tables.py reads them like any other.

- Header: the first lines of a band (lines closer to each other than table rows are) whose words,
  grouped into columns, the
  header vocabulary the template layer passes in (`HeaderVocabulary`: imtc/templates/tables.toml's
  texts and tables.py's recognition; this module knows no template). A header may wrap ("测量 / 参数") and may have two
  levels: a group title over several columns ("试验/检测需求" over 参数名称, 范围或量值, 允许误差).
  A header alone at the foot of a page gets its rows from the next page.
- Extent: down to the first line that is no table content: a numbered heading, a "注：" line or a
  prose line starting in the first column, a caption centred under the table or on the page, a
  page number, or the page's end. A table that reaches
  its page's end is looked for at the top of the next page, in the same columns, with no header.
- Columns: one per header column; each boundary in the widest blank stretch between two
  neighbouring header texts that the data rows leave blank. A table part under the very header of
  another part of its table (the part above it, or on the next page) that drew its boundaries from
  more texts takes that part's columns (a row alone tells no boundary where its texts touch).
- Rows: a cell's text is a block of words in one column, its lines closer than rows are. Rows are
  separated where no block continues (blank stretches taller than the gap between lines). Where a
  band holds several entries of the key column (序号, or 时间节点 in roadmaps), it is cut between
  them where fewest blocks cross: a block crossing the cut in a row gap is a cell merged over both
  rows (its value goes to each, as in the .docx); in a table with no space between its rows, the
  cut falls just above the next entry and a crossing text is split. In a table whose cells are
  centred vertically, a text centred on several rows whose column is otherwise empty there is
  a merged cell too.
- Text: a cell's words, a line per page line, joined as the reader joins wrapped lines (CJK
  without a space; a space where a line broke at one).

What no rule can give: a merged cell that a page break cuts, whose part on the next page is empty,
is an empty cell there (a ruled PDF has the same limit when that part is one row high).

`add_ruleless_tables` is the reader's hook, on every page's free lines; a page does work only when a
line has several separate words and its band is recognised as a header, or when the previous page's
table ran to its end (the reader carries that `OpenTable` from page to page). Ruled tables leave no
header among the free lines.

camelot (the design's choice for these tables) is not used: on the ruleless sample, camelot stream
told these very areas and columns puts 79% of the cells right, this module 99.8%; its own table
detection 12-13% (bench/bench_tables.py). Its characters' boxes (playa) set CJK glyphs about 8 pt
lower than the Latin ones on the same line, so text of one line lands in two, out of order
("U_rel=1.5%k，=2") or in the next row.
"""

from __future__ import annotations

import functools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from imtc.extract.blocks import Box, Cell, HeaderMatch, HeaderVocabulary, TableBlock, union
from imtc.extract.pdf_reader import (
    MARGIN,
    PAGE_NUMBER,
    CellWrap,
    CharBox,
    Line,
    SpaceCues,
    cell_text,
    is_cjk,
    space_cues,
)
from imtc.extract.text import NOTE_RE, header_key, parse_label, squash

WORD_GAP = 0.6  # a gap wider than this share of the font size ends a word: cells lie further apart
CJK_GAP = 0.3  # a gap between CJK characters wider than their usual one by this share of the font size ends a word
ROW_GAP = 0.3  # rows are further apart than lines of a cell by more than this share of the font size
MAX_HEADER_LINES = 12  # a header has at most this many lines
HEADER_GAP = 1.5  # share of the font size: a header's lines set apart as paragraphs are at most this far apart
GROUP_GAP = 2.0  # share of the font size: and a line of group titles this far above its sub-headers (cells padded)
MIN_HEADER_WORDS = 3  # a header has a line of at least this many words, and as many that name columns
CONTINUATION_FIT = 0.5  # share of a page's top words that must sit inside the open table's columns
PROSE_WIDTH = 0.6  # a one-word line wider than this share of the table is prose, not a cell
TOTALS = ("合计", "总计", "共计")  # a total row's label, merged across columns
CENTRE_TOLERANCE = 1.0  # pt: a centred text's middle lies this close to its column's
READ_CENTRE = 0.2  # share of the font size: ... or this close, for a text placed by a recogniser (OCR)
SPACE_SHIFT = 0.17  # share of the font size: half the widest space, which a line centred with its trailing space sits left by
PAGE_CENTRE = 0.3  # share of the font size: a caption centred on the page has its middle this close to the page's
TEXT_GAP = 0.3  # a blank of this share of the font size where two texts meet inside a word: two cells' texts
OVERHANG = 4.0  # pt: a centred header text may reach this far over the next column's left edge
STEP = 1.0  # pt: a step between a cell's lines longer than their steady pitch by this much is a step between cells
READ_STEP = 0.3  # share of the font size: ... or by this much atop a page, between lines placed by a recogniser (OCR)
EDGE_SPACE = 0.5  # share of the font size: a space inside a word this close to a column's edge parts two cells' texts
CAPTION_SPACE = 0.5  # share of the font size: an OCR'd line with the next this close below it is no caption
SAME_LINE = 0.3  # share of the font size: two words of a column whose tops are this close are on one line
OFF_CENTRE = 0.25  # share of the font size: a text centred vertically on its row has its middle this close to the row's
OFF_LEVEL = 0.3  # share of the font size: an OCR'd line this close to a row's key entry is level with it
JOINT = 0.3  # pt: one text's characters follow each other this regularly; two texts placed apart meet less so
READ_JOINT = 0.4  # share of the font size: ... a character a recogniser placed starts this close to where it does
FULL_OPENING = "（【《〈「『〔“‘"  # full-width opening marks, their ink in the right half of their width
OPENING_MARKS = "(（[【《〈「『〔“‘"  # ... and all marks a text never ends with or starts with:
CLOSING_MARKS = ")）]】》〉」』〕”’，,、；;：:。."
UNIT_SIGNS = "℃°"  # ... nor with a degree sign
CLOSING_BRACKETS = ")）]】"
SEQ_ENTRY = re.compile(r"^\d{1,3}[.、．]?$")  # a 序号 entry
# a 时间节点 entry (2024年, 2025—2026年, or the first line of one wrapped after its dash)
MILESTONE_ENTRY = re.compile(r"^(?:19|20)\d{2}年?(?:[—\-–~～至]+(?:(?:19|20)\d{2}年?)?)?$")
HEADING_LABEL = re.compile(r"^(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．])$")  # （五） 五、
RANGE_OPEN = ("—", "-", "–", "~", "～", "至")

Span = tuple[float, float]


@dataclass
class Word(CharBox):
    """Characters of one line with no wide gap between them: a cell's text on that line."""

    chars: list[dict[str, Any]]
    line: int  # index of its line among the page's lines
    col: int | None = None  # its column, where a cut between two cells' texts decided it
    group: bool = False  # its text is a group title of the header vocabulary (over several columns)
    named: bool = False  # its text is a column name of the header vocabulary (no group title)
    reaches: int | None = None  # the last column it reaches into, when nothing tells whose text it is
    read: bool = False  # its characters were placed by a recogniser (a line whose spaces are gaps: OCR), not by glyphs

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def size(self) -> float:
        return self.chars[0]["size"]

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)


@dataclass(frozen=True)
class Sheet:
    """The page a table is on: its height, and its width (0 when unknown)."""

    height: float
    width: float = 0.0


@dataclass
class Columns:
    """A table's columns, by the x of their boundaries from left edge to right edge."""

    edges: list[float]
    centres: list[float] = field(default_factory=list)  # each column's header text's middle, where known
    centred: bool = False  # the data texts are centred in their columns, on the header's middles
    starts: list[float] = field(default_factory=list)  # x where texts aligned left start in a column (not the first)
    support: int = 0  # how many data texts the boundaries were drawn from
    header: list[tuple[str, float]] = field(default_factory=list)  # its header's texts and where they start

    def __len__(self) -> int:
        return len(self.edges) - 1

    def index(self, x: float) -> int:
        """The column that x falls in."""
        return min(len(self) - 1, sum(1 for e in self.edges[1:-1] if x >= e))

    def of(self, w: Word) -> int:
        """A word's column: the one a cut gave it, else that of its first character (a text merged over
        columns is one value in its first)."""
        return w.col if w.col is not None and w.col < len(self) else self.index(w.x0 + 0.5)

    def fits(self, w: Word) -> bool:
        """Does the word lie within one column?"""
        return self.index(w.x0 + 0.5) == self.index(w.x1 - 0.5)

    @property
    def width(self) -> float:
        return self.edges[-1] - self.edges[0]


@dataclass(eq=False)
class Block:
    """The words of one column that follow each other closely: one cell's text."""

    col: int
    words: list[Word]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)


@dataclass
class OpenTable:
    """A table that ran to the end of its page: what the next page needs to carry it on."""

    columns: Columns
    key: int  # the column whose entries start rows
    padded: bool  # its rows are set apart by space
    head: list[Span] | None = None  # the header's column extents, when no data row came under it yet


@dataclass
class Region:
    """One table's lines on one page, and how they divide into header, columns and rows."""

    header: list[Word]
    rows: list[list[Block]]  # a block in two consecutive rows is a cell merged over both
    columns: Columns
    key: int
    lines: set[int]  # the page's lines it uses
    top: float
    reaches_end: bool  # it runs to the page's end: it may go on on the next page
    padded: bool  # its rows are set apart by space
    head: list[Span] | None = None  # a header alone at the page's end: its columns' extents

    def carried(self) -> OpenTable:
        """What the next page needs to carry this table on."""
        return OpenTable(columns=self.columns, key=self.key, padded=self.padded, head=self.head)


# --- words, gaps, columns ------------------------------------------------------------------


def split_words(ln: Line, index: int) -> list[Word]:
    """A line's words: runs of characters with no gap wider than WORD_GAP of the font size, nor a gap
    between two CJK characters wider than their line's usual one by CJK_GAP of the font size (CJK
    text is set solid: centred texts of narrow columns may meet closer than a word gap)."""
    pairs = [(a, b) for a, b in zip(ln.chars, ln.chars[1:], strict=False) if _cjk_pair(a, b)]
    gaps = sorted(b["x0"] - a["x1"] for a, b in pairs)
    usual = gaps[len(gaps) // 2] if gaps else 0.0
    words: list[Word] = []
    for c in ln.chars:
        if words:
            prev = words[-1].chars[-1]
            gap = c["x0"] - prev["x1"]
            if gap <= WORD_GAP * c["size"] and not (_cjk_pair(prev, c) and gap - usual > CJK_GAP * c["size"]):
                words[-1].chars.append(c)
                continue
        words.append(Word([c], index, read=not ln.spaces))
    return [w for w in words if w.text.strip()]


def _cjk_pair(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return is_cjk(a["text"][-1]) and is_cjk(b["text"][0])


def row_gap(lines: list[Line]) -> float:
    """The vertical space above which two texts of a column belong to different cells: the usual
    space between lines (from the page's usual pitch) plus ROW_GAP of the font size."""
    size = Counter(ln.size for ln in lines).most_common(1)[0][0] if lines else 10.0
    steps = [round(b.top - a.top, 1) for a, b in zip(lines, lines[1:], strict=False)
             if 0.8 * size < b.top - a.top < 2.5 * size]
    close = [s for s in steps if s < 1.7 * size]  # lines of one paragraph, not paragraphs set apart
    steps = close or steps
    pitch = Counter(steps).most_common(1)[0][0] if steps else 1.2 * size
    return max(pitch - size, 0.0) + ROW_GAP * size


def cell_gap(words: list[Word], columns: Columns, gap: float) -> float:
    """The vertical space above which two texts of a column belong to different cells, from the
    pitch of the lines within the columns (`gap`, the page's, where none is found): in cells centred
    vertically, the lines of neighbouring columns interleave and the page's lines step by half a pitch."""
    per_col: dict[int, list[float]] = {}
    for w in words:
        per_col.setdefault(columns.of(w), []).append(w.top)
    size = Counter(w.size for w in words).most_common(1)[0][0] if words else 10.0
    steps = [round(b - a, 1) for tops in per_col.values() for a, b in zip(sorted(tops), sorted(tops)[1:], strict=False)
             if 0.8 * size < b - a < 1.7 * size]
    if not steps:
        return gap
    return max(Counter(steps).most_common(1)[0][0] - size, 0.0) + ROW_GAP * size


def line_bands(lines: list[Line], gap: float) -> list[list[int]]:
    """The page's lines grouped into bands (indices), a new band where the space above a line exceeds `gap`."""
    out: list[list[int]] = []
    bottom = 0.0
    for i, ln in enumerate(lines):
        if out and ln.top - bottom <= gap:
            out[-1].append(i)
            bottom = max(bottom, ln.bottom)
        else:
            out.append([i])
            bottom = ln.bottom
    return out


def cluster(words: list[Word]) -> tuple[list[Span], list[Word]]:
    """Column extents from words' extents, left to right: narrowest word first, each word joins the
    extent it overlaps; a word overlapping two extents spans columns and is set apart, and so is a
    group title over any (last: centred over narrow columns, it may overlap only the middle one's)."""
    spans: list[list[float]] = []
    spanning: list[Word] = []
    for w in sorted(words, key=lambda w: (w.group, w.x1 - w.x0)):
        hits = [s for s in spans if w.x0 < s[1] and w.x1 > s[0]]
        if len(hits) >= 2 or w.group and hits:
            spanning.append(w)
        elif hits:
            hits[0][0], hits[0][1] = min(hits[0][0], w.x0), max(hits[0][1], w.x1)
        else:
            spans.append([w.x0, w.x1])
    return sorted((a, b) for a, b in spans), spanning


def header_columns(spans: list[Span]) -> Columns:
    """Columns from the header's words alone: boundaries halfway between them."""
    inner = [(a[1] + b[0]) / 2 for a, b in zip(spans, spans[1:], strict=False)]
    return Columns([spans[0][0] - 1] + inner + [spans[-1][1] + 1])


def aligned_gap(lo: float, hi: float, data: list[Word]) -> float | None:
    """Where several data texts between two header texts (lo, hi] start at one x (a column's left
    edge, its cells aligned left), a boundary just before it: halfway from the texts that end left
    of it. Where no two start together, just before the first text that starts there: a text of the
    left column, aligned left or centred under its header, starts left of `lo`, so any text starting
    in the stretch is the right column's (a lone 已建 in a column of 备注). None when a text runs
    across that x, or none starts in the stretch. Texts read by OCR start there within READ_JOINT of
    the font size (a recogniser's box edges lie a point or three off): the boundary is before them all."""
    start = aligned_start(lo, hi, data)
    if start is None:
        return None
    x = min([start] + [w.x0 for w in data if w.read and lo < w.x0 <= hi and abs(w.x0 - start) <= READ_JOINT * w.size]) - 1.0
    if any(w.x0 < x < w.x1 and not _parts_at(w, x) and not _starts_at(w, start) and not _read_after_space(w, start)
           and not w.text.strip().startswith(TOTALS) for w in data):
        return None  # a text runs across it: centred texts that happen to start together (a 合计 spans columns)
    left = max([w.x1 for w in data if w.x1 <= x and w.x1 > lo], default=lo)
    return (left + x) / 2


def aligned_start(lo: float, hi: float, data: list[Word]) -> float | None:
    """The x at which most data texts that start between two header texts (lo, hi] start (a column's
    left edge and padding, its cells aligned left): their mean x; where no two start together, the
    first that starts there (see aligned_gap). None when none does."""
    starts = Counter(round(w.x0) for w in data if lo < w.x0 <= hi)
    counts = {x: starts[x - 1] + starts[x] + starts[x + 1] for x in starts}
    if not counts:
        return None
    if max(counts.values()) < 2:
        return min(w.x0 for w in data if lo < w.x0 <= hi)
    x = min(counts, key=lambda k: (-counts[k], k))
    near = [w.x0 for w in data if lo < w.x0 <= hi and abs(round(w.x0) - x) <= 1]
    return sum(near) / len(near)


def joints(w: Word) -> list[int]:
    """Where two texts meet inside a word (indices of the characters that start the second): the
    characters of one text follow each other at a steady spacing (glyph after glyph), while two
    cells' texts, each placed on its own, meet with a gap or an overlap that breaks it by JOINT or
    more (narrow padding, or a centred text wider than its column)."""
    gaps = [b["x0"] - a["x1"] for a, b in zip(w.chars, w.chars[1:], strict=False)]
    steady = sorted(gaps)[len(gaps) // 2] if len(gaps) >= 3 else 0.0
    return [i + 1 for i, g in enumerate(gaps) if abs(g - steady) >= JOINT]


def placed_apart(w: Word, i: int) -> bool:
    """Is the gap before character i of a word read by OCR no more than where the recogniser placed
    the two characters? It places a character to a third of an em (`ocr.to_chars`) and leaves a gap
    between two wherever it read the second further on than the first is wide: a gap of less than
    READ_JOINT of the font size in one detected box, with no blank in the ink between them (`blank`)
    and neither a space, may be where two texts meet (the recogniser steps further over the blank
    between two cells) or inside one ("晶圆" and "表面" of one cell placed a point apart)."""
    a, b = w.chars[i - 1], w.chars[i]
    return (w.read and bool(a.get("placed")) and bool(b.get("placed")) and a.get("box") == b.get("box")
            and not b.get("blank") and a["text"] != " " and b["text"] != " "
            and b["x0"] - a["x1"] < READ_JOINT * b["size"])


def _starts_at(w: Word, x: float) -> bool:
    """Does a text start inside the word at x (a character after the first starts there, within JOINT)?"""
    return any(abs(c["x0"] - x) <= JOINT for c in w.chars[1:])


def _read_after_space(w: Word, x: float) -> bool:
    """Does a text read by OCR start after a space inside the word, within READ_JOINT of the font size
    of x? A recogniser boxes two cells' texts as one where less than half an em of ink is blank between
    them ("PVMeasuremen 新建": a model wrapped to the width of its column, then 备注's 新建)."""
    return w.read and any(a["text"] == " " and b["text"].strip() and abs(b["x0"] - x) <= READ_JOINT * b["size"]
                          for a, b in zip(w.chars, w.chars[1:], strict=False))


def _parts_at(w: Word, x: float) -> bool:
    """Do two texts meet inside the word (a joint) close to x?"""
    return any(w.chars[i - 1]["x1"] - 3 <= x + 1 and w.chars[i]["x0"] + 3 >= x for i in joints(w))


def least_crossed(lo: float, hi: float, data: list[Word]) -> float:
    """The middle of the longest stretch of [lo, hi] crossed by fewest data texts (a text with a gap
    between two of its characters there counts less: two cells' texts read as one word): the
    widest blank stretch where there is one, and where long texts of both columns leave none, the
    place fewest of them cross."""
    if hi - lo < 1.0:
        return (lo + hi) / 2
    xs = [lo + 0.5 * i for i in range(int((hi - lo) / 0.5) + 1)]
    near = [w for w in data if w.x0 < hi and w.x1 > lo]

    def cost(x: float) -> tuple[int, int]:
        crossing = [w for w in near if w.x0 < x < w.x1]
        cut = sum(1 for w in crossing if _parts_at(w, x))
        return len(crossing) - cut, cut

    costs = [cost(x) for x in xs]
    best = min(costs)
    run, longest = (0, 0), (0, 0)
    for i, c in enumerate(costs):
        if c != best:
            continue
        run = (run[0], i) if run[1] == i - 1 and costs[run[0]] == best and i > 0 else (i, i)
        if run[1] - run[0] > longest[1] - longest[0] or costs[longest[0]] != best:
            longest = run
    return (xs[longest[0]] + xs[longest[1]]) / 2


def _texts(w: Word) -> list[Word]:
    """A word cut at its joints that are a blank of TEXT_GAP of the font size or more (where two
    texts meet: a text aligned left less than a word gap after the end of the text before it),
    spaces at the pieces' ends left out."""
    at = [0, *(i for i in joints(w) if w.chars[i]["x0"] - w.chars[i - 1]["x1"] >= TEXT_GAP * w.chars[i]["size"]),
          len(w.chars)]
    out = []
    for i, j in zip(at, at[1:], strict=False):
        chars = w.chars[i:j]
        while chars and not chars[0]["text"].strip():
            chars = chars[1:]
        while chars and not chars[-1]["text"].strip():
            chars = chars[:-1]
        if chars:
            out.append(w if len(chars) == len(w.chars) else Word(chars, w.line, read=w.read))
    return out


def _left_end(a: Span, data: list[Word]) -> float:
    """Where the stretch between a header text and the next starts: at its end; or, where data texts
    start together at most OVERHANG before it, just before them (a centred header text a little
    wider than its column reaches over the next column's left edge, where that column's texts
    aligned left start; the column's own texts, aligned left or centred, start well left of it)."""
    starts = [w.x0 for w in data if a[1] - OVERHANG < w.x0 <= a[1]]
    if starts and max(starts) - min(starts) <= 1.0:
        return min(starts) - 0.5
    return a[1]


def table_columns(head: list[Span], data: list[Word]) -> Columns:
    """One column per header column; each boundary in the widest blank stretch between two
    neighbouring header texts that the data rows leave blank (a short text aligned left under
    a centred header leaves blank the stretch next to the header, not the boundary). Where data
    texts aligned left start at one x, the boundary is in the blank just before it: a long text of
    the column to the left may leave a wider blank further right, before the header."""
    body, _ = cluster(data)
    texts = [q for w in data for q in _texts(w)]  # where texts start, two cells' texts read as one word apart
    inner = []
    los = [_left_end(a, texts) for a in head[:-1]]
    for lo, b in zip(los, head[1:], strict=False):
        at = aligned_gap(lo, b[0], texts)
        inner.append(least_crossed(lo, b[0], data) if at is None else at)
    xs = [x for s in head + body for x in s]
    starts = [x for lo, b in zip(los, head[1:], strict=False) if (x := aligned_start(lo, b[0], texts)) is not None]
    columns = Columns([min(xs) - 1] + inner + [max(xs) + 1], centres=[(a + b) / 2 for a, b in head], starts=starts,
                      support=len(data))
    columns.centred = centred_data(columns, data)
    return columns


def centred_data(columns: Columns, data: list[Word]) -> bool:
    """Are the data texts centred on the header texts' middles? Most texts that lie in one column
    have their middle within CENTRE_TOLERANCE of its header's (texts aligned left do so only by chance)."""
    fitting = [w for w in data if columns.fits(w)]
    near = sum(1 for w in fitting if abs(w.center - columns.centres[columns.of(w)]) <= centre_tolerance(w))
    return len(fitting) >= 3 and 2 * near > len(fitting)


# --- the header ----------------------------------------------------------------------------


def _wrapped_rest(group: Word, words: list[Word], lines: list[Line]) -> list[Word]:
    """The rest of a group title wrapped onto the next line: the only word under the title, centred
    under it, on the nearest line below that has any (a line of other group titles set a little
    lower may lie between: its words are beside the title, not under it). A word that names a column
    itself is the sub-header under the title's middle, not its rest (a scan's title, read narrower
    than its columns, has only that one under it)."""
    under = [w for w in words if w.line > group.line and w.x0 < group.x1 and w.x1 > group.x0]
    below = [w for w in under if w.line == min(u.line for u in under)]
    if (len(below) == 1 and not below[0].named and abs(below[0].center - group.center) <= group.size
            and below[0].top - group.top <= 1.6 * group.size):  # its own top: a page line may hold two rows of words
        return below
    return []


def header_words(words: list[Word], lines: list[Line]) -> tuple[list[Word], list[list[Word]]]:
    """A header's words: those of single columns, and the group titles (each with its wrapped rest)."""
    _, spanning = cluster(words)
    single = [w for w in words if w not in spanning]
    groups: list[list[Word]] = []
    rest: set[int] = set()
    for g in sorted(spanning, key=lambda w: w.line):
        if id(g) not in rest:
            groups.append([g] + _wrapped_rest(g, single + spanning, lines))
            rest |= {id(w) for w in groups[-1][1:]}
    return [w for w in single if id(w) not in rest], groups


def _cell_line(chars: list[dict[str, Any]], ln: Line) -> Line:
    """A cell's characters on one page line, as a line of the cell: spaces at its ends dropped but
    remembered (the reader joins wrapped lines with a space where a line broke at one)."""
    cs = sorted(chars, key=lambda c: c["x0"])
    after = ln.space_after and cs[-1] is ln.chars[-1]
    before = ln.space_before and cs[0] is ln.chars[0]
    while cs[-1]["text"] == " ":
        cs.pop()
        after = True
    while cs[0]["text"] == " ":
        cs.pop(0)
        before = True
    return Line(cs, ln.page, space_after=after, space_before=before, spaces=ln.spaces)


def cell_lines(words: list[Word], lines: list[Line]) -> list[Line]:
    """The lines of a cell made of these words: one for each page line they sit on, top to bottom."""
    by_line: dict[int, list[dict[str, Any]]] = {}
    for w in words:
        by_line.setdefault(w.line, []).extend(w.chars)
    return [_cell_line(cs, lines[i]) for i, cs in sorted(by_line.items(), key=lambda kv: lines[kv[0]].top)]


def cell_of(words: list[Word], lines: list[Line], width: float | None = None,
            cues: SpaceCues | None = None) -> tuple[str, CellWrap | None]:
    """The text of a cell made of these words, wrapped lines joined as the reader joins them: against
    its column's text `width` (`text_widths`) where known, else against its own widest line; with
    its table's `cues` (pdf_reader.space_cues) where its spaces are glyphs; and what it was joined from."""
    cell = cell_lines(words, lines)
    if not cell:
        return "", None
    if not all(ln.spaces for ln in cell):  # OCR'd lines: joined by their own widest line, as ever
        width = cues = None
    widest = max(ln.x1 - ln.x0 for ln in cell)
    # (a paragraph ends where the cell's own widest line says, as ever)
    right, width = max(ln.x1 for ln in cell) + 0.5, None if width is None else max(width, widest) + 0.5
    return cell_text(cell, right, width, cues), CellWrap.of(cell, right, width, cues)


def text_widths(region: Region, lines: list[Line]) -> tuple[list[float | None], SpaceCues | None]:
    """Each column's text width: its widest line of a data cell on the page (a column whose texts
    wrap has lines that fill it), None for a column with no such line; and the cues its data cells
    give about the spaces their lines broke at (pdf_reader.space_cues). Texts that do not fit their
    column (a 合计 label merged across columns) are left out of the widths."""
    out: list[float | None] = [None] * len(region.columns)
    cells: list[list[Line]] = []
    for row in region.rows:
        for b in row:
            cell = cell_lines(b.words, lines)
            cells.append(cell)
            if b.col >= len(out) or not all(region.columns.fits(w) for w in b.words):
                continue
            for ln in cell:
                out[b.col] = max(out[b.col] or 0.0, ln.x1 - ln.x0)
    return out, space_cues(cells)


def _cell(words: list[Word], lines: list[Line], row: int, col: int, rowspan: int = 1, colspan: int = 1,
          width: float | None = None, cues: SpaceCues | None = None) -> Cell:
    """A cell of these words, its box around them, and those of its texts that reach into further
    columns with nothing to tell whose they are; `width`: its column's text width, where known;
    `cues`: its table's, about the spaces its lines broke at."""
    text, wrap = cell_of(words, lines, width, cues)
    return Cell(text, row=row, col=col, rowspan=rowspan, colspan=colspan, wrap=wrap,
                bbox=union([(w.x0, w.top, w.x1, w.bottom) for w in words]),
                crossing=[(w.text.strip(), w.reaches) for w in words if w.reaches is not None])


def group_columns(titles: list[Word], per_col: list[list[Word]], columns: Columns) -> list[tuple[int, int]]:
    """The columns each group title stands over: those it reaches, and then every column below the
    titles whose header has its middle where the sub-headers have theirs (a sub-header has a group
    over it; a header of both levels, aligned to their top or centred on them, has its middle
    higher) that no title reaches, joined to the nearest title beside it (a title narrower than its
    columns reaches only some)."""
    spans = [[columns.index(t.x0 + 0.5), columns.index(t.x1 - 0.5)] for t in titles]
    low = max((t.bottom for t in titles), default=0.0)
    mid = {c: (min(w.top for w in ws) + max(w.bottom for w in ws)) / 2 for c, ws in enumerate(per_col)
           if ws and min(w.top for w in ws) >= low}
    subs = sorted(mid[c] for c0, c1 in spans for c in range(c0, c1 + 1) if c in mid)
    if not subs:
        return [(c0, c1) for c0, c1 in spans]
    level, near = subs[len(subs) // 2], 0.5 * min(t.size for t in titles)  # the sub-headers' middle
    while True:
        taken = {c for c0, c1 in spans for c in range(c0, c1 + 1)}
        orphans = [c for c in mid if c not in taken and abs(mid[c] - level) <= near]
        moves = [(abs(columns.edges[c] - titles[g].center), g, c) for c in orphans
                 for g, (c0, c1) in enumerate(spans) if c in (c0 - 1, c1 + 1)]
        if not moves:
            return [(c0, c1) for c0, c1 in spans]
        _, g, c = min(moves)
        spans[g] = [min(spans[g][0], c), max(spans[g][1], c)]


def header_grid(words: list[Word], lines: list[Line], columns: Columns) -> list[list[Cell | None]]:
    """The header as grid rows: one row, or two when group titles stand over several columns."""
    single, groups = header_words(words, lines)
    n = len(columns)
    per_col: list[list[Word]] = [[] for _ in range(n)]
    for w in single:
        per_col[columns.index(w.center)].append(w)
    if not groups:
        return [[_cell(per_col[c], lines, row=0, col=c) for c in range(n)]]
    grid: list[list[Cell | None]] = [[None] * n, [None] * n]
    for g, (c0, c1) in zip(groups, group_columns([g[0] for g in groups], per_col, columns), strict=True):
        cell = _cell(g, lines, row=0, col=c0, colspan=c1 - c0 + 1)
        for c in range(c0, c1 + 1):
            grid[0][c] = grid[0][c] or cell
    for c in range(n):
        if grid[0][c] is None:
            grid[0][c] = grid[1][c] = _cell(per_col[c], lines, row=0, col=c, rowspan=2)
        else:
            grid[1][c] = _cell(per_col[c], lines, row=1, col=c)
    return grid


def header_layout(words: list[Word], lines: list[Line], columns: Columns,
                  vocab: HeaderVocabulary) -> HeaderMatch | None:
    """The header these words are, as the template layer recognises it, or None."""
    if len(columns) < 2:
        return None
    return vocab.recognise(TableBlock(index=-1, grid=header_grid(words, lines, columns)))


# --- where a table ends --------------------------------------------------------------------


def ends_table(ln: Line, words: list[Word], columns: Columns, page: Sheet, overlapped: bool = False) -> bool:
    """Is this line no longer table content? A page number, a caption centred under the table or on
    the page (a table as wide as the text, its last column's texts ending short of its edge) (not
    a line the next one overlaps: a row's texts that touch across the middle columns make one word
    too, and in cells centred vertically the columns' lines interleave), or a one-word line starting
    in the first column that is a numbered heading, a note, or prose as wide as most of the table (a
    heading also as two words, its label and its title); or a note across two or more columns, however many words its gaps part it into (Chromium leaves gaps at
    full-width quotes)."""
    t = ln.text.strip()
    if NOTE_RE.match(t) and columns.index(ln.x0 + 0.5) != columns.index(ln.x1 - 0.5):
        return True
    if len(words) == 2 and HEADING_LABEL.match(squash(words[0].text)) and columns.index(ln.x0) == 0 \
            and parse_label(t).level is not None:
        return True  # a numbered heading whose label stands apart from its title (OCR reads a gap after （五）)
    if len(words) != 1:
        return False
    if ln.top > page.height * (1 - MARGIN) and PAGE_NUMBER.match(t):
        return True
    w = words[0]
    meet = edge_spaces(w, columns) if w.read else joints(w)  # OCR places characters evenly: only a space tells
    on_page = bool(page.width) and abs(w.center - page.width / 2) <= (
        PAGE_CENTRE + (READ_CENTRE if w.read else 0.0)) * ln.size
    # a caption across the table's columns (one text: two cells' touching texts are no caption); read
    # by OCR, only one centred on the page: a row's last line of two cells whose texts the detector
    # joined lies near the table's middle too, with no space read to part them
    if not overlapped and not columns.fits(w) and not meet and (
            on_page or (not (w.read and page.width)
                        and abs(w.center - (columns.edges[0] + columns.edges[-1]) / 2) <= 2 * ln.size)):
        return True
    if columns.index(ln.x0) > 0:
        return False
    return (parse_label(t).level is not None or bool(NOTE_RE.match(t))
            or ln.x1 - ln.x0 > PROSE_WIDTH * columns.width)


def extent(lines: list[Line], words: list[list[Word]], start: int, columns: Columns,
           page: Sheet, header: frozenset[str] = frozenset()) -> tuple[int, bool]:
    """The first line after a table whose rows start at line `start`, and whether it reached the
    page's end. A line of MIN_HEADER_WORDS or more words that are all its `header`'s words starts
    that header again (the table goes on under it, repeated on the same page): the table ends there,
    or at the lines of two or more such words right above it (a two-level header's group line, the
    upper lines of header texts centred on two). A word read by OCR is the header's where it is part
    of one of its words (a recogniser parts "投资金额(万" at its lost bracket: "投资金额", "万")."""
    def ours(w: Word) -> bool:
        text = squash(w.text)
        return text in header or w.read and any(text in h for h in header)

    def repeated(i: int, least: int) -> bool:
        return len(words[i]) >= least and all(ours(w) for w in words[i])

    for i in range(start, len(lines)):
        if repeated(i, MIN_HEADER_WORDS):
            while i > start and repeated(i - 1, 2):
                i -= 1
            return i, False
        overlapped = i + 1 < len(lines) and lines[i + 1].top < lines[i].bottom
        if words[i] and words[i][0].read:  # OCR: the lines of a row's cells centred vertically interleave unevenly
            overlapped = overlapped or i > 0 and lines[i - 1].bottom > lines[i].top or (
                i + 1 < len(lines) and lines[i + 1].top - lines[i].bottom < CAPTION_SPACE * lines[i].size)
        if ends_table(lines[i], words[i], columns, page, overlapped):
            return i, False
    return len(lines), True


# --- rows ------------------------------------------------------------------------------------


def cut_at_edges(w: Word, columns: Columns) -> list[Word]:
    """A word that crosses a column boundary: two or more cells' texts that touch. It is cut at
    every joint (where two texts meet: `joints`); in a table whose texts are centred, a piece that
    still crosses a boundary is cut where each part is centred on its column (`centred_parts`: two
    texts may also meet exactly). Each piece of a cut goes to the column that holds its middle (a
    centred text wider than its column overflows it on both sides). A word with neither is one
    text, merged over columns, in the column of its first character. In OCR'd text a space at a
    column's edge parts two texts too (`edge_spaces`: two cells' texts closer than a word gap are
    read as one line, where they meet told only by the space read between them). A 合计 label alone
    is never cut: it spans columns (a recogniser may place its two characters a gap apart)."""
    if columns.fits(w) or len(w.chars) < 2 or squash(w.text) in TOTALS:
        return [w]
    at = sorted({0, *joints(w), *edge_starts(w, columns), *edge_spaces(w, columns), len(w.chars)})
    if w.read:  # a degree sign read a time step apart from its text ("(80~300) ℃" and "±1℃" of the next cell)
        at = sorted({0, *(_whole_sign(w, i) for i in at[1:-1]), len(w.chars)})
    pieces = [Word(w.chars[i:j], w.line, read=w.read) for i, j in zip(at, at[1:], strict=False)]
    out: list[Word] = []
    unsure = False  # a piece still crossing a boundary with no runs centred on their columns
    for q in pieces:
        if not q.text.strip():
            continue
        parts = centred_parts(q, columns) if columns.centred and not columns.fits(q) else None
        if parts is not None:
            out += parts
            continue
        unsure = unsure or not columns.fits(q)
        q.col = columns.index(q.center) if len(pieces) > 1 else None
        out.append(q)
    if unsure and w.read and columns.centred:
        runs = _centred_runs(w, columns, at)
        if runs is not None and _off_centre(runs, columns) < _off_centre(out, columns):
            return runs
    return out


def _off_centre(pieces: list[Word], columns: Columns) -> float:
    """How far off its column's middle lies the text of a cut that lies furthest off, beyond how far
    off three or more lie in the main (the pieces a column got one after another are one text; a
    recogniser may place a whole line a few points off: seed 166 at 200 dpi, five texts 2.7 to 3.9 pt
    right)."""
    texts: list[tuple[int, list[dict[str, Any]]]] = []
    for q in pieces:
        col = columns.index(q.center) if q.col is None else q.col
        if texts and texts[-1][0] == col:
            texts[-1][1].extend(q.chars)
        else:
            texts.append((col, list(q.chars)))
    offs = [(_middle(chars) or columns.centres[col]) - columns.centres[col] for col, chars in texts]
    shift = statistics.median(offs) if len(offs) >= 3 else 0.0  # (two texts tell no shift from a text off)
    return max(abs(d - shift) for d in offs)


def _centred_runs(w: Word, columns: Columns, at: list[int]) -> list[Word] | None:
    """A word read by OCR in a table whose texts are centred, one of whose pieces cut at `at` still
    crosses a boundary with no runs centred on their columns: cut only where the ink or a space tells
    two texts apart (`at` less the gaps `placed_apart`), each piece that crosses a boundary into runs
    centred on their columns (`centred_parts`, preferring the other cuts in `at`); None where a piece
    has no such runs or one reaching over another column's middle. The gaps a recogniser leaves
    between characters fall inside texts as well as where two meet (seed 212 at 200 dpi: "晶圆表面" of
    one cell cut after 圆, "表面（20~400）°℃" put in the next column); `cut_at_edges` takes the cut
    whose texts lie nearer their columns' middles."""
    sure = [0, *(i for i in at[1:-1] if not placed_apart(w, i)), len(w.chars)]
    if len(sure) == len(at):
        return None  # every cut is sure: cut_at_edges cuts there anyway
    out: list[Word] = []
    for i, j in zip(sure, sure[1:], strict=False):
        q = Word(w.chars[i:j], w.line, read=w.read)
        if not q.text.strip():
            continue
        if columns.fits(q):  # (one of several pieces: the word itself crosses a boundary)
            q.col = columns.index(q.center)
            out.append(q)
            continue
        parts = centred_parts(q, columns, prefer={k - i for k in at if i < k < j})
        if parts is None or any(_reaches_over(p, columns) for p in parts):
            return None  # (a text as wide as three columns, centred on the middle one: `centred_parts`)
        out += parts
    return out


def _reaches_over(q: Word, columns: Columns) -> bool:
    """Does a text cut to a column reach over another column's middle?"""
    ends = _ink_ends(q.chars)
    return ends is not None and _middles_over(ends, q.col, columns, range(len(columns.centres))) > 0


def _middles_over(ends: tuple[float, float], col: int | None, columns: Columns, cols: range) -> int:
    """How many of the columns `cols` other than `col` have their middle inside the ink's ends?"""
    return sum(1 for k in cols if k != col and ends[0] < columns.centres[k] < ends[1])


def edge_spaces(w: Word, columns: Columns) -> list[int]:
    """Where a text starts inside a word read by OCR after a space at a column's inner edge: the text
    before the space ends by the edge and the one after it starts from it on, within EDGE_SPACE of the
    font size (indices of the characters that start a text there). A text PDF's glyphs tell where two
    texts meet (`joints`); a recogniser places characters evenly and tells it only by the space."""
    if not w.read:
        return []
    tol = EDGE_SPACE * w.size
    out = []
    for i in range(1, len(w.chars)):
        if w.chars[i - 1]["text"] != " " or w.chars[i]["text"] == " ":
            continue
        ink = [c for c in w.chars[:i] if c["text"].strip()]
        if ink and any(ink[-1]["x1"] <= e + tol and w.chars[i]["x0"] >= e - tol for e in columns.edges[1:-1]):
            out.append(i)
    return out


def edge_starts(w: Word, columns: Columns) -> list[int]:
    """Where a text starts inside the word at a column's left edge, the x where that column's texts
    aligned left start (within JOINT): a text overflowing its column may run exactly up to the next
    column's text (indices of the characters that start a text there). None in a table whose texts
    are centred. In a word read by OCR, the character that starts nearest each such x, within
    READ_JOINT of the font size (a recogniser places a character to a third of an em), one after a
    blank first (ocr.to_chars: where the ink has one, the characters' edges are the ink's), then an
    opening mark (a text starts with one more often than it runs up to one); none
    where the characters were spread over their box, not placed where read."""
    if columns.centred:
        return []
    if not w.read:
        return [i for i, c in enumerate(w.chars) if i and c["text"].strip()
                and any(abs(c["x0"] - x) <= JOINT for x in columns.starts)]
    if not all(c.get("placed") for c in w.chars):
        return []
    tol = READ_JOINT * w.size
    out = []
    for x in [x for x in columns.starts if x - w.x0 > tol]:  # (not where the word itself starts)
        near = [(not c["x0"] - w.chars[i - 1]["x1"] > JOINT, _in_number(w, i), c["text"] not in OPENING_MARKS,
                 abs(c["x0"] - x), i)
                for i, c in enumerate(w.chars) if i and c["text"].strip() and abs(c["x0"] - x) <= tol]
        if near:
            out.append(_whole_marks(w, min(near)[-1]))
    return out


def _in_number(w: Word, i: int) -> bool:
    """Would a cut before character i of a word part two digits (of one number)? A recogniser places
    the digits of "开路电压、210" evenly, the 2 as near the next column's start as the 1 (seed 764 at
    200 dpi: 210 read as 2 and 10, the 2 put in the column before)."""
    return w.chars[i - 1]["text"].isdigit() and w.chars[i]["text"].isdigit()


def _whole_sign(w: Word, i: int) -> int:
    """A cut before character i of a word moved past a degree sign or a closing bracket: no text
    starts with ℃ or °, nor with the C of a "°C" (the recogniser reads ℃ as two characters, at times
    a time step apart), nor with ")" (a bracket's narrow glyph is placed a time step off its ink)."""
    while i < len(w.chars) and (w.chars[i]["text"] in UNIT_SIGNS + CLOSING_BRACKETS
                                or w.chars[i]["text"] == "C" and w.chars[i - 1]["text"] == "°"):
        i += 1
    return i


def _whole_marks(w: Word, i: int) -> int:
    """A cut before character i of a word moved so that no text ends in an opening mark or starts
    with a closing one or a stop: a recogniser places a bracket a time step off its ink (past a
    degree sign too: `cut_at_edges` moves every cut of an OCR'd word so, `_whole_sign`)."""
    while i > 1 and w.chars[i - 1]["text"] in OPENING_MARKS:
        i -= 1
    while i < len(w.chars) - 1 and w.chars[i]["text"] in CLOSING_MARKS:
        i += 1
    return i


def unplaced(w: Word, columns: Columns) -> bool:
    """Does a text reach into the next column(s) with nothing to tell whose it is? Not when it lies
    in one column, is a 合计 label, starts where its column's texts aligned left start (a text
    overflowing its column to the right), or is centred on its column's header (overflowing it on
    both sides). Otherwise it is put in the column of its first character, unsure."""
    if columns.fits(w) or w.text.strip().startswith(TOTALS):
        return False
    col = columns.of(w)
    starts = [columns.edges[0] + 1.0, *columns.starts]
    # a full-width opening mark's blank half may be trimmed or not at a line's start (punctuation
    # compression: Chromium sets "（是德科技）" 1.7 pt left of where its column's texts start)
    tol = JOINT + (0.5 * w.size if w.text.lstrip()[:1] in FULL_OPENING else 0.0)
    if any(abs(w.x0 - x) <= tol and columns.index(x) == col for x in starts):
        return False
    return not (col < len(columns.centres) and abs(w.center - columns.centres[col]) <= centre_tolerance(w))


def centre_tolerance(w: Word) -> float:
    """How close a centred text's middle lies to its column's: CENTRE_TOLERANCE where glyphs place
    it; READ_CENTRE of the font size where a recogniser does (its boxes' edges and characters lie a
    pixel or two off, at 150 dpi about a point each)."""
    return max(CENTRE_TOLERANCE, READ_CENTRE * w.size) if w.read else CENTRE_TOLERANCE


def _ink_ends(chars: list[dict[str, Any]]) -> tuple[float, float] | None:
    """Where a run of characters starts and ends, spaces at its ends left out; None for spaces only."""
    first = next((c for c in chars if c["text"].strip()), None)
    if first is None:
        return None
    return first["x0"], next(c["x1"] for c in reversed(chars) if c["text"].strip())


def _middle(chars: list[dict[str, Any]]) -> float | None:
    """The middle of a run of characters, spaces at its ends left out."""
    ends = _ink_ends(chars)
    return None if ends is None else (ends[0] + ends[1]) / 2


def centred_parts(w: Word, columns: Columns, prefer: set[int] | None = None) -> list[Word] | None:
    """The word cut into runs each centred (within CENTRE_TOLERANCE, or left of it by up to half a
    space more: a wrapped line centred with the space it ends in) on the middle of a column it
    touches, left to right in their columns' order, with as few runs as that takes (one, for a
    centred text overflowing its column); None when no such cut exists. A run reaching over another
    column's middle counts against a cut before its number of runs does: a producer wraps a cell's
    text to its column, so a text as wide as three columns, centred on the middle one by chance, is
    three cells' texts each centred on its own (seed 212 at 200 dpi: "标准铂电", "（0~420）°℃" and
    "U=0.05°℃" read as one line, its middle within a recogniser's jitter of the second's column). Then,
    fewest cuts not at a character in `prefer` (where two texts seem to meet)."""
    cols = range(columns.index(w.x0), columns.index(w.x1) + 1)
    n = len(w.chars)
    tol = centre_tolerance(w)
    prefer = prefer or set()
    # best[j][c]: (middles reached over, runs, cuts not preferred, cost, cut) of the chars before j cut
    # into runs, the last one centred on column c
    best: list[dict[int, tuple[int, int, int, float, int]]] = [{} for _ in range(n + 1)]
    for j in range(1, n + 1):
        for i in range(j):
            if w.read and 0 < i and (w.chars[i]["text"] in CLOSING_MARKS + UNIT_SIGNS or w.chars[i - 1]["text"] in OPENING_MARKS
                                     or w.chars[i]["text"] == "C" and w.chars[i - 1]["text"] == "°"):
                continue  # no text read by OCR starts with a closing mark or a degree sign (nor the C of a ℃
                # read as "°C": seed 772 at 200 dpi, "(室温~500)°" and "C温度分辨力"), nor ends with an opening mark
            ends = _ink_ends(w.chars[i:j])
            if ends is None:
                continue
            mid = (ends[0] + ends[1]) / 2
            for c in cols:
                off = abs(mid - columns.centres[c])
                if off > tol and not 0 < columns.centres[c] - mid <= tol + SPACE_SHIFT * w.size:
                    continue  # (a line centred with the space it ends in sits left of its column's middle)
                before = (0, 0, 0, 0.0) if i == 0 else min(
                    (best[i][k][:4] for k in best[i] if k < c), default=None)
                if before is None:
                    continue
                over = _middles_over(ends, c, columns, cols)
                cand = (before[0] + over, before[1] + 1, before[2] + (0 < i and i not in prefer), before[3] + off, i)
                if c not in best[j] or cand[:4] < best[j][c][:4]:
                    best[j][c] = cand
    if not best[n]:
        return None
    c = min(best[n], key=lambda k: best[n][k][:4])
    out, j = [], n
    while j > 0:
        i = best[j][c][4]
        out.append(Word(w.chars[i:j], w.line, col=c, read=w.read))
        j = i
        if j:
            c = min((k for k in best[j] if k < c), key=lambda k: best[j][k][:4])
    return [q for q in reversed(out) if q.text.strip()]


def column_blocks(words: list[Word], columns: Columns, gap: float, key: int = -1) -> list[Block]:
    """Each column's words, grouped into blocks where the space between them is at most `gap`; in
    the key column a sequence number (1, 2., 3、) or a milestone (2024年) always starts a block of
    its own, and so does a 合计 label in any column: rows with no space between them still have one
    entry each."""
    per_col: dict[int, list[Word]] = {}
    for w in words:
        per_col.setdefault(columns.of(w), []).append(w)
    blocks: list[Block] = []
    for c, ws in per_col.items():
        current: Block | None = None
        for w in sorted(ws, key=lambda w: (w.top, w.x0)):
            new_entry = (c == key and _entry(w, current) or _is_total(w)) \
                and w.line != current.words[-1].line if current is not None else False
            if current is not None and w.top - current.bottom <= gap and not new_entry:
                current.words.append(w)
            else:
                current = Block(c, [w])
                blocks.append(current)
    return sorted(blocks, key=lambda b: b.top)


def _entry(w: Word, current: Block) -> bool:
    """Does a word of the key column start an entry of its own: a sequence number, or a milestone
    that does not go on from the line above (“2025—” above “2026年” is one entry)?"""
    text = squash(w.text)
    if SEQ_ENTRY.match(text):
        return True
    return MILESTONE_ENTRY.match(text) is not None and not current.words[-1].text.strip().endswith(RANGE_OPEN)


def block_bands(blocks: list[Block], gap: float) -> list[list[Block]]:
    """Blocks grouped into bands: a new band where no block continues across more than `gap`."""
    out: list[list[Block]] = []
    bottom = 0.0
    for b in blocks:
        if out and b.top - bottom <= gap:
            out[-1].append(b)
            bottom = max(bottom, b.bottom)
        else:
            out.append([b])
            bottom = b.bottom
    return out


def _crossing(blocks: list[Block], y: float) -> list[Block]:
    return [b for b in blocks if b.top < y < b.bottom]


def _stretch(blocks: list[Block], y: float, crossing: list[Block]) -> float:
    """The blank height around y left by all blocks but the crossing ones."""
    others = [b for b in blocks if b not in crossing]
    above = max((b.bottom for b in others if b.bottom <= y), default=y)
    below = min((b.top for b in others if b.top >= y), default=y)
    return below - above


def best_cut(blocks: list[Block], upper: Block, lower: Block) -> float:
    """Where to cut between two key entries: the y crossed by fewest blocks; among those, the one in
    the tallest blank stretch (a row gap); among those, the lowest (with no space between rows,
    just above the lower entry)."""
    ys = {b.bottom + 0.01 for b in blocks if upper.bottom <= b.bottom < lower.top} | {lower.top - 0.01}

    def cost(y: float) -> tuple[int, float, float]:
        crossing = _crossing(blocks, y)
        return len(crossing), -round(_stretch(blocks, y, crossing), 1), -y

    return min(ys, key=cost)


def _split(block: Block, y: float) -> tuple[Block, Block]:
    """A block cut at y: the part above and the part below (either may have no words)."""
    return (Block(block.col, [w for w in block.words if w.top < y]),
            Block(block.col, [w for w in block.words if w.top >= y]))


def _is_total(w: Word) -> bool:
    return w.text.strip().startswith(TOTALS)


def split_band(band: list[Block], key: int, gap: float, padded: bool, middle: bool = False) -> list[list[Block]]:
    """A band cut into rows between its key entries (and above a 合计 label, a row of its own wherever
    it stands). A block crossing a cut whose lines step from one cell to the next by more than
    their pitch is split there (`_cell_step`); else, in a table whose rows are set apart (`padded`),
    a block crossing a cut in a row gap is in both rows (a merged cell); otherwise it is split: at
    the cut, or, in a table whose cells are centred vertically (`middle`), where its part above is
    centred on the upper entry."""
    keys = [b for b in band if b.col == key or _is_total(b.words[0])]
    pitch = _pitch(band, [b.top for b in keys])
    rows: list[list[Block]] = []
    rest = band
    for upper, lower in zip(keys, keys[1:], strict=False):
        y = best_cut(rest, upper, lower)
        crossing = _crossing(rest, y)
        merged = padded and _stretch(rest, y, crossing) > gap
        above = [b for b in rest if b.bottom <= y]
        below = [b for b in rest if b.top >= y]
        for b in crossing:
            step = _cell_step(b, upper, lower, pitch)
            level = _level_with(b, lower) if b.words[0].read and not middle else None
            if level is not None:  # OCR: a line level with the lower entry starts its row
                step = level
            if step is not None and middle and b.words[0].read and pitch is not None:
                step = _centred_step(b, upper, lower, step, pitch)
            if step is not None:  # its lines step from one cell to the next: no merged cell
                top_part, bottom_part = _split(b, step)
                above += [top_part] if top_part.words else []
                below += [bottom_part] if bottom_part.words else []
            elif merged and not (middle and b.words[0].read and _two_centred_cells(b, upper, lower, pitch)):
                above.append(b)
                below.append(b)
            else:
                top_part, bottom_part = _split_centred(b, upper) if middle else _split(b, y)
                above += [top_part] if top_part.words else []
                below += [bottom_part] if bottom_part.words else []
        rows.append(above)
        rest = below
    rows.append(rest)
    return rows


def middle_aligned(rows: list[list[Block]], words: list[Word], key: int, continues: bool, size: float) -> bool:
    """Are the cells centred vertically? In a table that starts on this page, texts start above its
    first entry (top-aligned, every text of a row starts on its entry's line); in any table, two texts
    of several lines or more start half a line above their row's entry and are centred on it (the
    rest of a row cut at the page's end, atop the rows of a table that may go on from the page
    before, is not: seed 388's third roadmap, its header under the second's page, three rows too few
    to tell by the rows' extents); else, as the rows cut at their entries show (`centred`)."""
    first = _key_top(rows[0], key)
    if not continues and first is not None and any(w.top < first - 1.0 for w in words):
        return True
    if _centred_on_entries(rows, key, size) >= 2:
        return True
    return centred(rows, _extents(rows), size)


def _centred_on_entries(rows: list[list[Block]], key: int, size: float) -> int:
    """How many texts of two lines or more start half a line or more above their row's key entry and
    have their middle within OFF_CENTRE of the font size of the entry's."""
    n = 0
    for row in rows:
        entry = [b for b in row if b.col == key]
        if not entry:
            continue
        top = min(b.top for b in entry)
        mid = (top + max(b.bottom for b in entry)) / 2
        n += sum(1 for b in row if b.col != key and len(_tops(b)) >= 2 and b.top < top - 0.5 * size
                 and _off_center(b, mid, mid) <= OFF_CENTRE * size)
    return n


def _tops(block: Block) -> list[float]:
    return sorted({round(w.top, 1) for w in block.words})


def _pitch(blocks: list[Block], entries: list[float]) -> float | None:
    """The steady step between the lines of the blocks' cells (the most common one, the smaller of
    two as common), or None. A step down to a line on a row's entry (`entries`: their tops) is left
    out: in rows set solid, a column's one-line texts make one block whose steps are the rows'."""
    steps = Counter(round(b - a, 1) for blk in blocks for a, b in zip(_tops(blk), _tops(blk)[1:], strict=False)
                    if all(abs(b - e) > 0.5 for e in entries))
    return min(steps, key=lambda s: (-steps[s], s)) if steps else None


def _cell_step(block: Block, upper: Block, lower: Block, pitch: float | None) -> float | None:
    """Where a block of two rows' texts steps from one cell to the next: the middle of the longest step between its lines that exceeds the steady `pitch` by STEP, between the two
    key entries' middles (the space above and below each cell's text), or None. Some producers
    centre a text of many lines a little low: its part centred on the upper entry is too short."""
    if pitch is None:
        return None
    tops = _tops(block)
    lo, hi = (upper.top + upper.bottom) / 2, (lower.top + lower.bottom) / 2
    steps = [(b - a, (a + b) / 2) for a, b in zip(tops, tops[1:], strict=False) if b - a > pitch + STEP and lo < b < hi]
    return max(steps)[1] if steps else None


def _centred_step(block: Block, upper: Block, lower: Block, step: float, pitch: float) -> float:
    """Where a block read by OCR, in a table whose cells are centred vertically, steps from the upper
    row's cell to the next: at `step` (`_cell_step`), unless the part above it is off the upper entry's
    middle (by OFF_CENTRE of the font size) while a cut where the part above is centred on it
    (`_split_centred`) leaves below a text centred on the lower entry that ends where the block does
    or steps to a further cell, and the step's own part below does not. A recogniser's boxes put a
    line's top a point or two off, so the longest step between a cell's lines may lie inside the next
    row's cell (seed 284 at 200 dpi: "绝热加" of row 11 read into row 10); a row atop a page set
    otherwise than centred (seeds 28 and 108) keeps the step."""
    size = block.words[0].size
    upper_mid = (upper.top + upper.bottom) / 2
    above, _ = _split(block, step)
    if not above.words or _off_center(above, upper_mid, upper_mid) <= OFF_CENTRE * size:
        return step
    part, rest = _split_centred(block, upper)
    if not (part.words and rest.words and _off_center(part, upper_mid, upper_mid) <= OFF_CENTRE * size):
        return step
    cut = rest.top - 0.01
    if _centred_below(block, cut, lower, pitch) and not _centred_below(block, step, lower, pitch):
        return cut
    return step


def _two_centred_cells(block: Block, upper: Block, lower: Block, pitch: float | None) -> bool:
    """Is a block read by OCR, crossing the cut between two entries of a table whose cells are centred
    vertically, two rows' texts rather than a cell merged over both: its lines down to some line are
    centred on the upper entry, and the lines after them begin a text centred on the lower one? In
    rows set solid, the tallest column's cells follow each other as closely as a cell's lines do (a
    recogniser's boxes make the steps uneven), and the other columns' short texts, centred, leave
    blank around the cut: seed 740 at 200 dpi, six rows' device names read as one cell merged over them."""
    if pitch is None:
        return False
    part, rest = _split_centred(block, upper)
    mid = (upper.top + upper.bottom) / 2
    return (bool(part.words) and bool(rest.words)
            and _off_center(part, mid, mid) <= OFF_CENTRE * block.words[0].size
            and _centred_below(block, rest.top - 0.01, lower, pitch))


def _centred_below(block: Block, y: float, lower: Block, pitch: float) -> bool:
    """Do the block's lines from y on begin a text centred on the lower entry (within OFF_CENTRE of the
    font size) that ends at the block's end or where its lines step by more than `pitch` + STEP?"""
    lines: dict[float, float] = {}
    for w in block.words:
        if w.top >= y:
            lines[round(w.top, 1)] = max(lines.get(round(w.top, 1), 0.0), w.bottom)
    tops = sorted(lines)
    if not tops:
        return False
    mid = (lower.top + lower.bottom) / 2
    tol = OFF_CENTRE * block.words[0].size
    for j, t in enumerate(tops):
        ends = j == len(tops) - 1 or tops[j + 1] - t > pitch + STEP
        if ends and abs((tops[0] + lines[t]) / 2 - mid) <= tol:
            return True
    return False


def _level_with(block: Block, lower: Block) -> float | None:
    """Just above the line of a block read by OCR, not its first, that lies level with the lower key
    entry (within OFF_LEVEL of the font size), or None: in a table whose cells are aligned to their
    top, that line is the lower row's first. A recogniser's boxes put a line's top a point or two
    off (a line of "ps" boxed around its x-height sits low), so the steps between a cell's lines
    may tell a row's last line for the next row's first (seed 92 at 200 dpi: "ps" of "MPE:±100 ps"
    read into the next row); the entry's line does not."""
    size = block.words[0].size
    first = min(w.top for w in block.words)
    level = [w.top for w in block.words if w.top > first + OFF_LEVEL * size and abs(w.top - lower.top) <= OFF_LEVEL * size]
    return min(level) - 0.01 if level else None


def step_between_cells(block: Block) -> float:
    """How much longer than the lines' steady pitch a step between the lines of a text atop a table
    part is where the rest of a cut row ends (`_centred_rest`): STEP where glyphs place the lines;
    READ_STEP of the font size where a recogniser does (a detected box's top lies a pixel or three
    off its text's: a cell's lines seem to step unevenly by as much, and a row read as two). Between
    two rows' cells (`_cell_step`) STEP stays: rows set 2 pt apart are told apart by it often enough,
    and where it misses, a padded table takes the text for a cell merged over both rows."""
    w = block.words[0]
    return max(STEP, READ_STEP * w.size) if w.read else STEP


def _split_centred(block: Block, upper: Block) -> tuple[Block, Block]:
    """A block of two rows' texts cut into the upper row's, whose middle is the upper key entry's
    (cells centred vertically), and the rest; all of it the rest when it starts below that middle."""
    words = sorted(block.words, key=lambda w: (w.top, w.x0))
    mid = (upper.top + upper.bottom) / 2
    if block.top >= mid:
        return Block(block.col, []), block
    # a cut between lines, never between two words of one line (seed 740 at 200 dpi: "2%" and "（k=2）",
    # one line, cut apart at a tie)
    ends = [k for k in range(1, len(words) + 1)
            if k == len(words) or words[k].top - words[k - 1].top > SAME_LINE * words[k].size]
    k = min(ends, key=lambda k: abs((words[0].top + max(w.bottom for w in words[:k])) / 2 - mid))
    return Block(block.col, words[:k]), Block(block.col, words[k:])


def _shared(rows: list[list[Block]]) -> set[int]:
    """The blocks (by id) that are in more than one row: cells merged over rows."""
    return {id(b) for i, row in enumerate(rows) for b in row if any(b in other for other in rows[i + 1:])}


def _extents(rows: list[list[Block]]) -> list[tuple[float, float]]:
    """Each row's top and bottom, from the blocks that are in that row only."""
    shared = _shared(rows)
    out = []
    for row in rows:
        own = [b for b in row if id(b) not in shared] or row
        out.append((min(b.top for b in own), max(b.bottom for b in own)))
    return out


def _off_center(b: Block, top: float, bottom: float) -> float:
    return abs((b.top + b.bottom) / 2 - (top + bottom) / 2)


def centred(rows: list[list[Block]], ext: list[tuple[float, float]], size: float) -> bool:
    """Are the cells centred vertically? Of the texts shorter than their row, more sit at its middle than at its top."""
    middle = top = 0
    for row, (t, b) in zip(rows, ext, strict=True):
        for blk in row:
            if blk.bottom - blk.top < b - t - size:
                middle += _off_center(blk, t, b) <= 0.3 * size
                top += abs(blk.top - t) <= 0.3 * size
    return middle > top


def _merged_rows(rows: list[list[Block]], ext: list[tuple[float, float]], r: int, blk: Block,
                 size: float) -> tuple[int, int]:
    """The rows a text off its row's middle is centred on, its column empty in all of them but its own."""
    lo = r
    while lo > 0 and not any(b.col == blk.col for b in rows[lo - 1]):
        lo -= 1
    hi = r
    while hi + 1 < len(rows) and not any(b.col == blk.col for b in rows[hi + 1]):
        hi += 1
    best = (r, r)
    for r0 in range(lo, r + 1):
        for r1 in range(r, hi + 1):
            if _off_center(blk, ext[r0][0], ext[r1][1]) < _off_center(blk, ext[best[0]][0], ext[best[1]][1]):
                best = (r0, r1)
    return best if _off_center(blk, ext[best[0]][0], ext[best[1]][1]) <= 0.3 * size else (r, r)


def spread_merged(rows: list[list[Block]], size: float) -> None:
    """In a table whose cells are centred vertically, a text that sits not at the middle of its own
    row but at the middle of several, its column empty in the others, is a cell merged over them:
    it goes into each of those rows."""
    ext = _extents(rows)
    if not centred(rows, ext, size):
        return
    shared = _shared(rows)
    for r, row in enumerate(rows):
        for blk in list(row):
            if (id(blk) in shared or _off_center(blk, *ext[r]) <= 0.3 * size
                    or sum(b.col == blk.col for b in row) > 1):
                continue
            r0, r1 = _merged_rows(rows, ext, r, blk, size)
            for other in range(r0, r1 + 1):
                if other != r:
                    rows[other].append(blk)
                    shared.add(id(blk))


def _key_top(row: list[Block], key: int) -> float | None:
    return min((b.top for b in row if b.col == key), default=None)


def _top_aligned(rows: list[list[Block]], key: int) -> bool:
    """Do the rows' texts start on their key entry's line (cells aligned to the top)? Asked of the
    rows with a text taller than their entry (in a row of one line, top and middle are one)."""
    votes = [min(b.top for b in row) >= top - 1.0 for row in rows if (top := _key_top(row, key)) is not None
             and max(b.bottom for b in row) > max(b.bottom for b in row if b.col == key) + 1.0]
    return bool(votes) and all(votes)


def _rest_of_cut_row(rows: list[list[Block]], key: int) -> list[list[Block]]:
    """Texts above a table part's first key entry are the rest of a row that a page break cut: a
    row of its own with no key (tables.py joins it to the row before the break), when one of them
    ends above or on the entry's line, or the other rows' texts start on their entry's line (in
    cells centred vertically a text starting above its row's key ends below it). A text that
    reaches the entry's line is cut there. In cells centred vertically (a text starting above the
    entry reaches below its middle with no line on the entry's, and the other rows' texts do not
    all start on their entry's line), the first row's own texts start above its entry too
    (`_centred_rest`)."""
    top = _key_top(rows[0], key) if rows else None
    if top is None:
        return rows
    y = top - 0.5
    first, later = rows[0], {id(b) for row in rows[1:] for b in row}
    above = [b for b in first if b.col != key and b.top < y and id(b) not in later]
    entry = [b for b in first if b.col == key]
    line_end = max(b.bottom for b in entry) + 0.5
    mid = (min(b.top for b in entry) + min(b.words[0].bottom for b in entry)) / 2
    top_aligned = _top_aligned(rows[1:], key)
    size = entry[0].words[0].size
    middle = (min(b.top for b in entry) + max(b.bottom for b in entry)) / 2  # of the entry's row, its texts centred
    if not top_aligned and any(b.bottom > mid and (all(abs(t - top) > 0.5 for t in _tops(b))
                                                   or _off_center(b, middle, middle) > OFF_CENTRE * size)
                               for b in above):
        return _centred_rest(rows, above, top, mid, middle)
    if not above or not (any(b.bottom <= line_end for b in above) or top_aligned):
        return rows
    rest, own = [], [b for b in first if b not in above]
    for b in above:
        up, down = _split(b, y)
        rest += [up] if up.words else []
        own += [down] if down.words else []
    return [rest, own] + rows[1:]


def _centred_rest(rows: list[list[Block]], above: list[Block], top: float, mid: float,
                  middle: float) -> list[list[Block]]:
    """The rest of a cut row atop a table part whose cells are centred vertically: of each text
    starting above the first entry (at `top`, its middle at `mid`; the middle of its row `middle`),
    the lines above its longest step from one cell to the next (longer than the cells' pitch by
    STEP) that ends above the entry's middle; with no such step, the whole text when it ends above
    the entry's line, else the lines above those centred on the row (`_centred_cut`), else none of
    it (the first row's own text, centred on its entry)."""
    first = rows[0]
    pitch = _pitch(first, [top])
    rest, own = [], [b for b in first if b not in above]
    for b in above:
        tops = _tops(b)
        steps = [(c - a, (a + c) / 2) for a, c in zip(tops, tops[1:], strict=False)
                 if c <= mid and pitch is not None and c - a > pitch + step_between_cells(b)]
        cut = max(steps)[1] if steps else (b.bottom + 1.0 if b.bottom <= top + 0.5 else _centred_cut(b, middle))
        up, down = _split(b, cut)
        rest += [up] if up.words else []
        own += [down] if down.words else []
    if not rest:
        return rows
    return [rest, own] + rows[1:]


def _centred_cut(b: Block, middle: float) -> float:
    """Where a text starting above its row's entry is cut: above its first line when it is centred on
    the row (`middle`) as it is, else above the first of its lines from which down it is."""
    size = b.words[0].size
    if _off_center(b, middle, middle) <= OFF_CENTRE * size:
        return b.top
    bottom = b.bottom
    for t in _tops(b)[1:]:
        if t < middle and abs((t + bottom) / 2 - middle) <= OFF_CENTRE * size:
            return t - 0.5
    return b.top


def data_rows(words: list[Word], columns: Columns, key: int, gap: float,
              padded: bool, continues: bool = True, under_header: float | None = None) -> tuple[list[list[Block]], bool]:
    """A table's data rows from its words, and whether its rows are set apart by space (`padded`:
    known to be, from its header or an earlier page; or found to be, from a gap between rows).
    `continues`: the rows may go on from the previous page's (their first may be the rest of a cut row).
    `under_header`: the space between the header and the first data line, which says the rows are set
    apart only where it is wider than a gap between cells of the columns' own pitch (the page's pitch
    may be the half step of lines interleaved in cells centred vertically: seed 620 at 200 dpi, its
    roadmaps' rows set solid taken for set apart, and each action's first line put in the row above)."""
    rows: list[list[Block]] = []
    words = [part for w in words for part in cut_at_edges(w, columns)]
    gap = cell_gap(words, columns, gap)
    if under_header is not None and under_header <= gap:
        padded = False
    for w in words:
        w.reaches = columns.index(w.x1 - 0.5) if unplaced(w, columns) else None
    bands = block_bands(column_blocks(words, columns, gap, key), gap)
    spaced = padded  # known to be set apart (space under the header)
    padded = padded or len(bands) > 1
    for band in bands:
        rows.extend(split_band(band, key, gap, padded))
    size = Counter(w.size for w in words).most_common(1)[0][0] if words else 10.0
    # (a gap between bands alone does not say the rows are set apart: cells centred vertically in rows
    # set solid leave one wherever no column's text runs over a row's edge, seed 388's traceability)
    if not spaced and len(rows) > 1 and middle_aligned(rows, words, key, continues, size):
        rows = [row for band in bands for row in split_band(band, key, gap, padded, middle=True)]  # cut again
    if continues:
        rows = _rest_of_cut_row(rows, key)
    if len(rows) > 1:
        spread_merged(rows, Counter(w.size for w in words).most_common(1)[0][0])
    return rows, padded


# --- regions -------------------------------------------------------------------------------


def may_be_header(band: list[int], words: list[list[Word]], vocab: HeaderVocabulary) -> bool:
    """Cheap test before recognition: one of the band's first lines has several separate words, and
    at least MIN_HEADER_WORDS of their words are (parts of) header texts, as any recognised header's are."""
    ws = [w for i in band[:MAX_HEADER_LINES] for w in words[i]]
    if not any(len(words[i]) >= MIN_HEADER_WORDS for i in band[:MAX_HEADER_LINES]):
        return False
    texts = vocab.texts
    return sum(1 for w in ws if (t := header_key(w.text)) and any(t in h for h in texts)) >= MIN_HEADER_WORDS


def _data_line(ws: list[Word], columns: Columns, key: int, names: tuple[str, ...]) -> bool:
    """Does a line hold a row's entry in the key column (a text that is no part of its header names)?"""
    return any(columns.index(w.center) == key and not any(squash(w.text) in n for n in names) for w in ws)


def _is_header_text(text: str, vocab: HeaderVocabulary) -> bool:
    t = header_key(text)
    return bool(t) and any(t in h for h in vocab.texts)


def _header_like(band: list[int], words: list[list[Word]], vocab: HeaderVocabulary) -> int:
    """How many of the band's first lines look like header lines: at least half their words are
    (parts of) header texts. With no space between a header and its rows, the first row's line
    is where this stops (a data line holds at most a 是 or 否 that is part of a header name)."""
    n = 0
    for i in band:
        ws = words[i]
        if not ws or 2 * sum(_is_header_text(w.text, vocab) for w in ws) < len(ws):
            break
        n += 1
    return n


def _heading(ws: list[Word]) -> bool:
    """Is a line of two words a numbered heading, its label set apart from its title (OCR reads the
    blank after a label's closing bracket as a gap), or of more, the first its label (a recogniser
    boxes "（三）校准项目能力表" as three: seed 172 at 200 dpi took it for the header's first line)?"""
    text = "".join(w.text for w in ws)
    return (len(ws) == 2 or len(ws) > 2 and HEADING_LABEL.match(squash(ws[0].text)) is not None) \
        and parse_label(text).level is not None


def header_lines(lines: list[Line], words: list[list[Word]], band: list[int], vocab: HeaderVocabulary) -> list[int]:
    """The lines of a band that are a recognised header ([] if none): from the first line with
    several words (a heading or the table's title may sit just above) down to the line before the
    first row's entry in the key column (with no space between header and rows, the band holds
    rows too), at most MAX_HEADER_LINES; a heading of two words above it (label and title) is no header
    line. The whole band is tried first, then its shorter beginnings.
    A one-word line at most HEADER_GAP of its font size above the next, a header text's, is the
    header's too (header cells centred vertically: a longer text starts half a line above the others,
    or a whole line where its lines are paragraphs set apart, 测量 / 规范). A line none of whose
    words is (part of) a header text is no header line either: a recogniser parts a paragraph's line
    at its wider blanks, and a paragraph set as close above the header as its own lines are came
    into the header with its section headings (seed 740 at 200 dpi: 8.1 read as empty, 9.1.1 missing)."""
    while len(band) > 1 and (len(words[band[0]]) < 2 and not (
            lines[band[1]].top - lines[band[0]].top <= HEADER_GAP * lines[band[0]].size and _header_like(band[:1], words, vocab))
            or _heading(words[band[0]]) or not any(_is_header_text(w.text, vocab) for w in words[band[0]])):
        band = band[1:]
    band = band[:MAX_HEADER_LINES]
    lead = _header_like(band, words, vocab)
    order = [len(band), *range(1, len(band))]
    for k in ([lead] + [k for k in order if k != lead]) if lead else order:
        head = [w for i in band[:k] for w in words[i]]
        spans, _ = cluster(header_words(head, lines)[0])
        match = header_layout(head, lines, header_columns(spans), vocab) if len(spans) >= 2 else None
        if match is None:
            continue
        end = next((j for j in range(1, len(band))
                    if _data_line(words[band[j]], header_columns(spans), match.key, match.key_names)), len(band))
        if k != lead:
            return band[:end]
        end = min(end, lead)  # header words end before a row's rest
        while end > 1 and _rest_under_whole_texts(band[:end], words, header_columns(spans), vocab):
            end -= 1
        return band[:end]
    return []


def _rest_under_whole_texts(band: list[int], words: list[list[Word]], columns: Columns, vocab: HeaderVocabulary) -> bool:
    """Is the band's last line no header line but the rest of a row cut by a page break, right under
    the header repeated atop the page: each of its words lies under a whole header text that it does
    not carry on ("测量参数" + "数", a cell's last character; not "投资金额" + "（万元）")?"""
    last = words[band[-1]]
    if not last:
        return False
    for w in last:
        col = columns.index(w.center)
        above = "".join(h.text for i in band[:-1] for h in words[i] if columns.index(h.center) == col)
        if not above or header_key(above) not in vocab.texts or _is_header_text(above + w.text, vocab):
            return False
    return True


def header_region(lines: list[Line], words: list[list[Word]], band: list[int], page: Sheet,
                  gap: float, vocab: HeaderVocabulary, continues: bool = True,
                  models: tuple[Columns, ...] = ()) -> Region | None:
    """The table whose header is at the top of the band of lines `band`, or None when there is no
    recognised header. A header alone at the page's end is a table with no rows yet: its rows follow
    on the next page. Under the very header of another part of the table (`models`: the columns of
    the part above, and of the part on the next page), repeated where the table goes on, the rows
    take that part's columns when they are fewer texts than it drew its boundaries from (a row alone
    tells no boundary where its texts touch)."""
    whole, band = band, header_lines(lines, words, band, vocab)
    head = [w for i in band for w in words[i]]
    spans, _ = cluster(header_words(head, lines)[0])
    if len(spans) < 2:
        return None
    first = band[-1] + 1
    texts = frozenset(squash(w.text) for w in head)
    columns, end, reaches_end = _columns_and_extent(lines, words, first, spans, page, texts)
    columns.header = _header_places(head)
    model = next((m for m in models if columns.support < m.support and _same_header(columns.header, m.header)
                  and not _cuts_aligned_texts(m, columns, [w for i in range(first, end) for w in words[i]])), None)
    if model is not None:
        columns = model
        end, reaches_end = extent(lines, words, first, columns, page, texts)
    match = header_layout(head, lines, columns, vocab)
    if match is None or (end == first and not reaches_end):
        return None
    key = match.key
    rows, padded = data_rows([w for i in range(first, end) for w in words[i]], columns, key, gap,
                             padded=band[-1] == whole[-1] and end > first,  # space between header and rows
                             continues=continues,
                             under_header=lines[first].top - max(lines[i].bottom for i in band) if end > first else None)
    return Region(header=head, rows=rows, columns=columns, key=key, lines=set(band) | set(range(first, end)),
                  top=lines[band[0]].top, reaches_end=reaches_end, padded=padded, head=None if rows else spans)


def _cuts_aligned_texts(model: Columns, own: Columns, data: list[Word]) -> bool:
    """Would one of the model's boundaries fall inside the first character of a text that lies in
    one of the part's own columns and starts where that column's texts aligned left start? Then the
    model's boundary is wrong there (the other part has no text in that column, and drew it from its
    left neighbour's texts: "不含位移测" / "量单元" would go to the column before); a text overflowing
    its column crosses a boundary further on."""
    return any(own.fits(w) and any(abs(w.x0 - x) <= JOINT for x in own.starts)
               and any(w.x0 < e < w.x0 + w.size for e in model.edges[1:-1]) for w in data)


def _header_places(head: list[Word]) -> list[tuple[str, float]]:
    """A header's texts and where each starts, in reading order."""
    return [(squash(w.text), w.x0) for w in head]


def _same_header(a: list[tuple[str, float]], b: list[tuple[str, float]]) -> bool:
    """Are two headers the same texts at the same places (within a point)?"""
    return bool(a) and len(a) == len(b) and all(t == u and abs(x - y) <= 1.0 for (t, x), (u, y) in zip(a, b, strict=True))


def _columns_and_extent(lines: list[Line], words: list[list[Word]], first: int, head: list[Span],
                        page: Sheet, header: frozenset[str] = frozenset()) -> tuple[Columns, int, bool]:
    """The columns of a table whose header texts lie at `head` and whose rows start at line `first`,
    the line after its end, and whether that is the page's end: the end is first found with the
    header's own columns, then again with the columns the rows give."""
    end, _ = extent(lines, words, first, header_columns(head), page, header)
    columns = table_columns(head, [w for i in range(first, end) for w in words[i]])
    end, reaches_end = extent(lines, words, first, columns, page, header)
    return columns, end, reaches_end


def continuation(lines: list[Line], words: list[list[Word]], open_: OpenTable, page: Sheet,
                 gap: float, last: int) -> Region | None:
    """The rest of the previous page's table at the top of this page (before line `last`, where a
    new table starts), in its columns: its first line (after a running header) is no prose line
    across the columns, and most of its words lie within single columns."""
    start = 0
    while start < last and lines[start].top < page.height * MARGIN and len(words[start]) == 1:
        start += 1
    if start == last or (len(words[start]) == 1 and not open_.columns.fits(words[start][0])):
        return None
    if open_.head is not None:
        columns, end, reaches_end = _columns_and_extent(lines[:last], words, start, open_.head, page)
    else:
        columns = open_.columns
        end, reaches_end = extent(lines[:last], words, start, columns, page)
    reaches_end = reaches_end and last == len(lines)
    ws = [w for i in range(start, end) for w in words[i]]
    if not ws or sum(1 for w in ws if columns.fits(w)) < CONTINUATION_FIT * len(ws):
        return None
    rows, padded = data_rows(ws, columns, open_.key, gap, open_.padded)
    return Region(header=[], rows=rows, columns=columns, key=open_.key, lines=set(range(start, end)),
                  top=lines[start].top, reaches_end=reaches_end, padded=padded)


def _with_header_lines(band: list[int], lines: list[Line], words: list[list[Word]],
                       vocab: HeaderVocabulary) -> list[int]:
    """A band that ends in a header line, with the header lines below it: a header whose lines are
    separate paragraphs ("测量" / "参数") may have as much space between its lines as rows have, and
    a band of group titles alone is further above its sub-headers (GROUP_GAP: cells padded).
    Preferred to the band alone where it is a recognised header of more lines ("测量仪器" alone is
    a header text too: the band alone would take "名称" for a row)."""
    tail = 0
    while tail < len(band) and _header_like(band[len(band) - tail - 1:], words, vocab) > tail:
        tail += 1
    if not tail or max(len(words[i]) for i in band[len(band) - tail:]) < 2:
        return band  # no header line of several words at its end (the rest of a wrapped header text may follow one)
    band = list(band)
    nxt = band[-1] + 1
    while (nxt < len(lines) and len(band) < MAX_HEADER_LINES and _header_like([nxt], words, vocab)
           and lines[nxt].top - lines[nxt - 1].bottom
           <= (GROUP_GAP if all(w.group for i in band for w in words[i]) else HEADER_GAP) * lines[nxt - 1].size):
        band.append(nxt)
        nxt += 1
    return band


def _continues_header(short: Region, long: Region, vocab: HeaderVocabulary) -> bool:
    """Do the header lines that `long` has beyond `short` carry on its header texts: each of their
    words, after the header text above it in its column, gives (part of) a header text ("测量仪器"
    + "名称"; not "测量仪器" + "标准", the first line of a cell centred on its row)?"""
    lines = {w.line for w in short.header}
    for w in (w for w in long.header if w.line not in lines):
        above = "".join(h.text for h in short.header if short.columns.index(h.center) == short.columns.index(w.center))
        if not _is_header_text(above + w.text, vocab):
            return False
    return True


def _header_height(region: Region) -> int:
    """How many lines the region's header has."""
    return len({w.line for w in region.header})


def _may_start(band: list[int], k: int, words: list[list[Word]], used: set[int]) -> bool:
    """May a table's header start at the band's k-th line: the band's first line, or the first after
    a table or after a line of one word (prose, a heading, a caption: paragraphs set with no space
    between them and the table make one band with it)?"""
    if band[k] in used:
        return False
    return k == 0 or band[k - 1] in used or len(words[band[k - 1]]) < 2


def _region_at(band: list[int], lines: list[Line], words: list[list[Word]], page: Sheet, gap: float,
               vocab: HeaderVocabulary, used: set[int], continues: bool,
               models: tuple[Columns, ...] = ()) -> Region | None:
    """The table whose header starts the band of lines `band`, if any: the band alone, or the band
    with the header lines that follow it when that makes a longer header that carries on its texts."""
    region = (header_region(lines, words, band, page, gap, vocab, continues, models) if may_be_header(band, words, vocab)
              else None)
    longer = _with_header_lines(band, lines, words, vocab)
    if longer != band and not used.intersection(longer) and may_be_header(longer, words, vocab):
        other = header_region(lines, words, longer, page, gap, vocab, continues, models)
        if other is not None and (region is None or _header_height(other) > _header_height(region)
                                  and _continues_header(region, other, vocab)):
            region = other
    return region


def joined_names(w: Word, names: frozenset[str]) -> list[Word]:
    """An OCR'd word that is column names of the header vocabulary read as one text, parted into
    them: the detector joins neighbouring header cells a few points apart into one box (测量参数投资金额;
    a landscape page's twelve columns tight as 设备名称型号设备参数和测设备技术要求…), and a recogniser
    places their characters evenly. A part may be the top of a name whose rest wraps onto the
    header's next line (设备参数和测: name_parts). The word is parted only wholly into
    names and such parts, at least one a whole name, with the fewest parts of names, then the fewest
    pieces; a text PDF's word, or one that is a name itself, stays whole."""
    key = header_key(w.text)
    parts, letters, longest = name_parts(names)
    if not w.read or key in names or not set(key) <= letters:
        return [w]
    n = len(w.chars)
    best: list[tuple[int, int, int] | None] = [(0, 0, 0)] + [None] * n  # (parts of names, pieces, start)
    for j in range(1, n + 1):
        for i in range(max(0, j - 2 * longest), j):  # (a piece's characters: its key and the spaces and brackets it drops)
            if best[i] is None:
                continue
            piece = header_key("".join(c["text"] for c in w.chars[i:j]))
            if not (piece in names or piece in parts):
                continue
            cost = (best[i][0] + (piece not in names), best[i][1] + 1, i)
            if best[j] is None or cost[:2] < best[j][:2]:
                best[j] = cost
    if best[n] is None or best[n][1] < 2 or best[n][0] >= best[n][1]:
        return [w]
    cuts, j = [], n
    while j:
        cuts.append(j)
        j = best[j][2]
    ends = sorted(cuts)
    return [Word(w.chars[a:b], w.line, read=True) for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def rejoined_names(ws: list[Word], names: frozenset[str]) -> list[Word]:
    """OCR'd words of a line that are one column name read in two, joined: a recogniser leaves the
    blank a full-width bracket's ink begins with as a gap wider than a word's (投资金额 / (万元), seed
    668 at 200 dpi: a column of its own, which each row's amount straddled). Two neighbours are
    joined where their text is a name and one of them alone is not, less than an em apart."""
    out: list[Word] = []
    for w in ws:
        last = out[-1] if out else None
        if (last is not None and last.read and w.read and w.x0 - last.x1 < w.size
                and header_key(last.text + w.text) in names
                and not (header_key(last.text) in names and header_key(w.text) in names)):
            out[-1] = Word(last.chars + w.chars, last.line, read=True)
            continue
        out.append(w)
    return out


@functools.cache
def name_parts(names: frozenset[str]) -> tuple[frozenset[str], frozenset[str], int]:
    """Every piece of two or more characters of the header vocabulary's `names`, their letters, and
    the longest name's length (made once per vocabulary, not per word)."""
    parts = frozenset(t[i:j] for t in names for i in range(len(t)) for j in range(i + 2, len(t) + 1))
    return parts, frozenset("".join(names)), max(map(len, names), default=0)


def find_regions(lines: list[Line], page: Sheet, open_: OpenTable | None, vocab: HeaderVocabulary,
                 later: Columns | None = None) -> list[Region]:
    """The ruleless tables among a page's free lines (sorted top to bottom), top to bottom: those
    under a recognised header, and above the first of them the rest of the previous page's table.
    `later`: the columns of the next page's first table, which the last one here may go on into."""
    names = frozenset(vocab.texts) - set(vocab.groups)
    words = [rejoined_names([part for w in split_words(ln, i) for part in joined_names(w, names)], names)
             for i, ln in enumerate(lines)]
    for w in (w for ws in words for w in ws):
        w.group = header_key(w.text) in vocab.groups
        w.named = header_key(w.text) in names
    gap = row_gap(lines)
    regions: list[Region] = []
    used: set[int] = set()
    for band in line_bands(lines, gap):
        k = 0
        while k < len(band):
            if not _may_start(band, k, words, used):
                k += 1
                continue
            sub = band[k:]
            sub = sub[:next((j for j, i in enumerate(sub) if i in used), len(sub))]
            # only the page's first table may carry on the previous page's, under its repeated header
            above = regions[-1].columns if regions else open_.columns if open_ is not None else None
            models = tuple(m for m in (above, later) if m is not None)
            region = _region_at(sub, lines, words, page, gap, vocab, used, open_ is not None and not regions, models)
            if region is None:
                k += 1
                continue
            regions.append(region)
            used |= region.lines
            k = max(k + 1, *(j + 1 for j, i in enumerate(band) if i in region.lines))
    if open_ is not None:
        first = min(used, default=len(lines))
        cont = continuation(lines, words, open_, page, gap, first)
        if cont is not None:
            regions.append(cont)
    return sorted(regions, key=lambda r: r.top)


# --- blocks for the reader -----------------------------------------------------------------


def build_block(region: Region, lines: list[Line], page: int, index: int) -> TableBlock:
    """The region as a TableBlock: header rows (if any), then one grid row per data row; a block
    in several consecutive rows is one cell spanning them. Row boxes span the columns, from the
    row's own texts' top to their bottom."""
    grid: list[list[Cell | None]] = header_grid(region.header, lines, region.columns) if region.header else []
    head = len(grid)
    left, right = region.columns.edges[0], region.columns.edges[-1]
    row_boxes: list[Box | None] = [_row_box(grid[r], left, right) for r in range(head)]
    row_boxes += [(left, top, right, bottom) for top, bottom in _extents(region.rows)] if region.rows else []
    spans: dict[int, list[int]] = {}
    for r, row in enumerate(region.rows):
        for b in row:
            spans.setdefault(id(b), []).append(head + r)
    cells: dict[int, Cell] = {}
    widths, cues = text_widths(region, lines)
    for r, row in enumerate(region.rows):
        out: list[Cell | None] = [None] * len(region.columns)
        for c in range(len(region.columns)):
            blocks = [b for b in row if b.col == c]
            if len(blocks) == 1 and len(spans[id(blocks[0])]) > 1:
                b = blocks[0]
                rs = spans[id(b)]
                out[c] = cells.setdefault(id(b), _cell(b.words, lines, row=rs[0], col=c, rowspan=len(rs),
                                                       width=widths[c], cues=cues))
            else:
                out[c] = _cell([w for b in blocks for w in b.words], lines, row=head + r, col=c, width=widths[c],
                               cues=cues)
        grid.append(out)
    return TableBlock(index=index, grid=grid, page=page, row_pages=[page] * len(grid), header_rows=head,
                      bbox=union(row_boxes), row_boxes=row_boxes)


def _row_box(row: list[Cell | None], left: float, right: float) -> Box | None:
    box = union([c.bbox for c in row if c is not None])
    return None if box is None else (left, box[1], right, box[3])


@dataclass
class Ruleless:
    """What the hook found on one page."""

    tables: list[TableBlock] = field(default_factory=list)
    tops: list[float] = field(default_factory=list)  # each table's top, for reading order
    lines: list[Line] = field(default_factory=list)  # the page's free lines that are no table's
    open: OpenTable | None = None  # the last table ran to the page's end: the next page may carry it on
    columns: list[Columns] = field(default_factory=list)  # each table's columns


def later_columns(page: Ruleless, nxt: Ruleless) -> Columns | None:
    """The columns of the next page's first table, when the page's last table runs to its end and
    goes on there under the very same header, whose boundaries were drawn from more texts: the
    page's table is to be read again in them (`add_ruleless_tables`' `later`). None otherwise."""
    if page.open is None or not page.columns or not nxt.columns:
        return None
    mine, theirs = page.columns[-1], nxt.columns[0]
    return theirs if mine.support < theirs.support and _same_header(mine.header, theirs.header) else None


def add_ruleless_tables(lines: list[Line], height: float, number: int, n_tables: int,
                        vocab: HeaderVocabulary, open_: OpenTable | None = None, width: float = 0.0,
                        later: Columns | None = None) -> Ruleless:
    """The reader's hook: the tables drawn without rules among a page's free lines (`open_`: the
    previous page's table that ran to its end) on a page `height` high and `width` wide (0: unknown),
    numbered from `n_tables`, and the lines left over. `later`: see `later_columns`."""
    lines = sorted(lines, key=lambda ln: ln.top)
    regions = find_regions(lines, Sheet(height, width), open_, vocab, later)
    out = Ruleless(lines=lines)
    if not regions:
        return out
    used: set[int] = set()
    for region in regions:
        out.tables.append(build_block(region, lines, number, n_tables + len(out.tables)))
        out.columns.append(region.columns)
        out.tops.append(region.top)
        used |= region.lines
    out.lines = [ln for i, ln in enumerate(lines) if i not in used]
    out.open = regions[-1].carried() if regions[-1].reaches_end else None
    return out
