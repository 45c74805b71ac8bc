"""A text PDF -> the Document (imtc/extract/blocks.py), through pdfplumber.

Per page: ruled tables are found from the page's lines (pdfplumber's ruling-based finder) and
become grids whose merged cells are resolved from the cell boxes; the characters outside them
become lines, then paragraphs. Running headers, footers and page numbers are dropped; doubled
characters from simulated bold are removed; CJK text is joined without spaces. A table that
runs over several pages comes out as one fragment per page; tables.py joins them. Paragraphs, tables,
rows and cells keep their boxes on the page (points from the page's top-left corner).
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from imtc.extract.blocks import Box, Cell, Document, HeaderVocabulary, Paragraph, Role, TableBlock, union
from imtc.extract.limits import Limits
from imtc.extract.package import Unreadable
from imtc.extract.text import parse_label, unalias

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
                  "join_tolerance": 3, "intersection_tolerance": 3}
MARGIN = 0.08  # top and bottom share of a page where running headers and footers live
PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d+\s*(页)?\s*([/／]\s*\d+|共\s*\d+\s*页)?[-—–\s]*$")
MAX_PAGES = 1000
MAX_PAGE_CHARS = 200_000  # PDFium's characters read per page
MAX_CONTENT_BYTES = 16 << 20  # a page's decoded content streams (a dense text page holds well under 1 MB)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CID = re.compile(r"\(cid:\d+\)")


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x3000 <= o <= 0x303F


class CharBox:
    """The box of a run of characters (`chars`, left to right) on one line."""

    chars: list[dict[str, Any]]

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
    def bottom(self) -> float:
        return max(c["bottom"] for c in self.chars)


@dataclass
class Line(CharBox):
    """A line's characters are fixed once it is made: its top, bottom and size are worked out once
    (OCR may shift the characters sideways: x0, x1 and the text, which reads their gaps, afresh)."""

    chars: list[dict[str, Any]]
    page: int
    space_after: bool = False  # the line ended in a space glyph (stripped): it broke at a space
    space_before: bool = False
    spaces: bool = True  # the PDF draws its spaces as glyphs; when not, gaps between characters are spaces

    @cached_property
    def top(self) -> float:  # type: ignore[override]
        return min(c["top"] for c in self.chars)

    @cached_property
    def bottom(self) -> float:  # type: ignore[override]
        return max(c["bottom"] for c in self.chars)

    @cached_property
    def size(self) -> float:
        return Counter(round(c["size"], 1) for c in self.chars).most_common(1)[0][0]

    @property
    def text(self) -> str:
        out: list[str] = []
        prev = None
        for c in self.chars:
            t = c["text"]
            if not self.spaces and prev is not None and t != " " and prev["text"] != " ":
                gap = c["x0"] - prev["x1"]
                if gap > 0.25 * c["size"] and not (is_cjk(t[0]) or is_cjk(prev["text"][-1])):
                    out.append(" ")
            out.append(t)
            prev = c
        return "".join(out)

    def first_token_width(self) -> float:
        """Width of the first word (a CJK character is a word by itself)."""
        first = self.chars[0]
        if is_cjk(first["text"][0]):
            return first["x1"] - first["x0"]
        end = first["x1"]
        for c in self.chars[1:]:
            if c["text"] == " " or is_cjk(c["text"][0]):
                break
            end = c["x1"]
        return end - first["x0"]

    def first_group_width(self) -> float:
        """Width of what line breaking keeps together at the line's start: a character with the
        closing marks after it, a closing mark with an opening one after it, an opening mark with
        what follows, a word or number with its unit (“究”（2025年” is one group)."""
        texts = [unicodedata.normalize("NFKC", c["text"]) or " " for c in self.chars]
        i = 0
        while i + 1 < len(texts):
            a, b = texts[i][-1], texts[i + 1][0]
            if self.chars[i + 1]["x0"] - self.chars[i]["x1"] > 0.25 * self.chars[i]["size"]:
                break  # a space drawn as a gap
            if not (a in NO_LINE_END or b in NO_LINE_START or (a in NO_LINE_START and b in NO_LINE_END)
                    or (a.isascii() and a.isalnum() and ((b.isascii() and b.isalnum()) or b == "."))
                    or (a.isascii() and a.isdigit() and b.isalnum()) or (a == "." and b.isascii() and b.isdigit())):
                break
            i += 1
        return self.chars[i]["x1"] - self.chars[0]["x0"]

    def last_token_width(self) -> float:
        last = self.chars[-1]
        if is_cjk(last["text"][-1]):
            return last["x1"] - last["x0"]
        start = last["x0"]
        for c in reversed(self.chars[:-1]):
            if c["text"] == " " or is_cjk(c["text"][-1]):
                break
            start = c["x0"]
        return last["x1"] - start


def group_lines(chars: list[dict[str, Any]], page: int, spaces: bool = True) -> list[Line]:
    """Characters -> lines, top to bottom, each left to right. Characters an OCR box gave (with its
    "box" number) are kept together: a box is a line (imtc/extract/ocr.py)."""
    if chars and all("box" in c for c in chars):
        return _lines_of(box_lines(chars), page, spaces)
    lines: list[list[dict[str, Any]]] = []
    for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if c["text"] == " " and not lines:
            continue
        if lines:
            last = lines[-1]
            ref = last[0]
            if _same_line(c, ref):
                last.append(c)
                continue
        lines.append([c])
    return _lines_of(lines, page, spaces)


def _same_line(c: dict[str, Any], ref: dict[str, Any]) -> bool:
    """Is character `c` on the line that starts with `ref`: of a like size, its middle near the line
    (fonts place their glyphs' boxes a little differently) and at least half of it beside the line
    (the last line of a header cell that wraps, 6 pt above the header's next row, is a line of its own)?"""
    mid = (c["top"] + c["bottom"]) / 2
    slack = 0.3 * ref["size"]
    overlap = min(c["bottom"], ref["bottom"]) - max(c["top"], ref["top"])
    return (ref["top"] - slack <= mid <= ref["bottom"] + slack and abs(c["size"] - ref["size"]) < 0.6 * ref["size"]
            and overlap >= 0.5 * min(c["bottom"] - c["top"], ref["bottom"] - ref["top"]))


def box_lines(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """OCR'd characters -> lines by clustering their boxes: boxes top to bottom, each joining the
    first line whose first box its middle lies within and whose boxes lie beside it (_overlap),
    or else starting a line. Two lines of a cell whose boxes a tilt makes overlap a little stay two lines,
    their characters never interleaved."""
    boxes: dict[int, list[dict[str, Any]]] = {}
    for c in chars:
        boxes.setdefault(c["box"], []).append(c)
    lines: list[list[list[dict[str, Any]]]] = []
    for box in sorted(boxes.values(), key=lambda b: (b[0]["top"], b[0]["x0"])):
        top, bottom = box[0]["top"], box[0]["bottom"]
        x0, x1 = min(c["x0"] for c in box), max(c["x1"] for c in box)
        for line in lines:
            ref = line[0][0]
            beside = all(_overlap(x0, x1, min(c["x0"] for c in b), max(c["x1"] for c in b)) for b in line)
            if ref["top"] <= (top + bottom) / 2 <= ref["bottom"] and beside:
                line.append(box)
                break
        else:
            lines.append([box])
    return [[c for b in line for c in b] for line in lines]


def _overlap(a0: float, a1: float, b0: float, b1: float) -> bool:
    """Are two boxes side by side: overlapping by at most half the narrower one (the recogniser's
    boxes of one line may overlap a little)?"""
    return min(a1, b1) - max(a0, b0) <= 0.5 * min(a1 - a0, b1 - b0)


def _lines_of(lines: list[list[dict[str, Any]]], page: int, spaces: bool) -> list[Line]:
    out = []
    for chars_ in lines:
        chars_.sort(key=lambda c: c["x0"])
        after = before = False
        while chars_ and chars_[-1]["text"] == " ":
            chars_.pop()
            after = True
        while chars_ and chars_[0]["text"] == " ":
            chars_.pop(0)
            before = True
        if chars_:
            out.append(Line(chars_, page, space_after=after, space_before=before, spaces=spaces))
    return out


SENTENCE_END = "。；：！？"
NO_LINE_START = "”’)）]】}》〉」』〕,，.。、;；:：!！?？%…—·"  # (after NFKC: full-width forms folded)
LIST_LABEL = re.compile(r"^\s*(?:[(（]\d{1,2}[)）]|\[\d{1,3}\]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")  # （1） [1] ①
RANGE_CUT = re.compile(r"\d\s*[-—–－~～]$")  # pages 57- / years 2024— at a line's end
RANGE_REST = re.compile(r"^[-—–－~～]\s*\d")  # …（2024年1月 / —2025年12月）: a range's dash sent down with its end
RANGE_HEAD = re.compile(r"[\d年月日]$")  # what such a range's start ends in
CASE_LABEL = re.compile(r"^\s*案例[一二三四五六七八九十\d]{1,3}\s*[：:（(]")  # 案例三： a report's case, its own paragraph
# 二必要性及意义: a top-level heading whose 、 a scan lost (not 二是…, 一般…: prose goes on past a comma)
UNSEPARATED_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}(?![是则要般])[\u4e00-\u9fff][^，。；：,;:！？!?]{0,20}$")
SENTENCE_END = tuple("。！？!?")
NO_LINE_END = "“‘(（[【{《〈「『〔"


def join_wrapped(prev: Line, nxt: Line, right: float) -> str | None:
    """The separator between two lines of one block, or None when `nxt` starts a new paragraph."""
    room = right - prev.x1
    a, b = prev.chars[-1]["text"][-1], nxt.chars[0]["text"][0]
    # Chinese line breaking moves groups, not characters: a closing mark may not start a line nor an
    # opening one end it, and digits stay with their unit ("究”（2025年…" moved down as one), so a
    # CJK line may end several characters short of the margin and still go on, but not by more
    # than the group the next line starts with.
    if RANGE_REST.match(nxt.text) and RANGE_HEAD.search(prev.text):
        return ""  # a dash may not start a line: a producer that sends one down with the range's end goes on
    need = max(nxt.first_token_width(), nxt.first_group_width()) + 0.5 * nxt.size
    if room >= need:
        return None  # the next word would have fitted: the line ended on purpose
    if prev.spaces:  # the space glyph at the break says it all
        if prev.space_after or nxt.space_before:
            return " "
        # where none is drawn (reportlab), a line that ends between two Latin words short of the
        # margin broke at a space: a word is cut inside only where the line is full
        latin = (a.isascii() and (a.isalnum() or a in ",.;:)%")) and (b.isascii() and (b.isalnum() or b == "("))
        return " " if latin and room >= first_unit_width(nxt) + WRAP_TOL else ""
    if is_cjk(a) or is_cjk(b) or a in "-/—–":
        return ""
    if prev.last_token_width() + nxt.first_token_width() > right - prev.x0:
        return ""  # one word too long for the line, broken inside
    return " "


# --- the spaces at which a table's wrapped lines broke ----------------------------------------
#
# A producer that draws spaces as glyphs draws none where a cell's line broke at one in most cases
# (LibreOffice in centred cells, reportlab): whether "Keysight" / "34465A" were one word or two is
# told by the table itself. Left-aligned lines whose producer draws the space they broke at (a
# table where many do) broke at none where none is drawn; centred lines whose producer centres them
# with that space sit left of their cell's middle by half a space where they broke at one; else the
# way lines break says it where it can: between letters, digits and marks a line breaks at a space,
# unless a word is cut where the line is full (LibreOffice a word too long for a line, at whatever
# character fills it; reportlab one with no space in the line's second half); where CJK text meets
# other text, it may break with or without a space. Where that leaves both, the table's own lines
# say which its writer uses (a space between these two characters, or these two kinds, or not).

WRAP_TOL = 0.3  # pt: slack in comparing widths with the room left on a line


@dataclass
class SpaceCues:
    """What a table's own text tells about the spaces its wrapped lines broke at (`space_cues`)."""

    centred: bool = False  # most of its cells of several lines are centred
    glyphs: bool = False  # left-aligned lines that broke at a space end in its glyph
    shifted: bool = False  # centred lines are centred with the space they broke at: they sit left by half of it
    space: float = 0.25  # a space's width, share of the font size
    pairs: Counter[tuple[str, str, bool]] = field(default_factory=Counter)  # (a, b, spaced) inside lines
    classes: Counter[tuple[str, str, bool]] = field(default_factory=Counter)  # the same by `char_class`


def char_class(ch: str) -> str:
    """C: a CJK character, F: a CJK (full-width) mark, D: a digit, A: a Latin letter, L: another
    letter or a letterlike unit (μ, Ω, ℃), O and E: an opening and a closing bracket, P: anything else."""
    if is_cjk(ch):
        return "F" if unicodedata.category(ch).startswith(("P", "S")) else "C"
    if ch in "([{":
        return "O"
    if ch in ")]}":
        return "E"
    if ch.isascii():
        return "D" if ch.isdigit() else "A" if ch.isalpha() else "P"
    return "L" if ch.isalpha() or "\u2100" <= ch <= "\u214f" else "P"  # (letterlike symbols: ℃, Ω)


def _spread(values: list[float]) -> float:
    return max(values) - min(values)


def _left_aligned(lines: list[Line], cues: SpaceCues | None = None) -> bool:
    """Are the cell's lines aligned left: they start together, and do not share their middle too in
    a table whose cells are centred (lines about as wide as each other do both)?"""
    if _spread([ln.x0 for ln in lines]) >= 1.0:
        return False
    return cues is None or not cues.centred or _spread([ln.x0 + ln.x1 for ln in lines]) >= 2.0


def _shift(lines: list[Line], i: int) -> float:
    """How far left of the rightmost middle of the cell's lines (one with no space at its ends) line i sits."""
    return max(ln.x0 + ln.x1 for ln in lines) / 2 - (lines[i].x0 + lines[i].x1) / 2


def _shifted_spaces(lines: list[Line], i: int, space: float, width: float | None, right: float) -> bool:
    """Did line i - 1 of a cell centred with the spaces at its lines' ends (undrawn) break at a space?
    A line sits left by half a space for each: the one it broke at, at its end where it fitted on it,
    else at the next line's start."""
    def units(k: int) -> int:
        return min(2, round(_shift(lines, k) / (0.5 * space)))

    def room(k: int) -> float:
        return (right if width is None or k == i - 1 else lines[k].x0 + width) - lines[k].x1

    lead = 0  # spaces at the start of line k - 1
    found = False
    for k in range(1, i + 1):
        if units(k - 1) - lead >= 1:  # line k - 1 ends in it
            found, lead = True, 0
            continue
        # line k starts with it, unless its shift is the space it ends in itself
        own = k + 1 < len(lines) and units(k) == 1 and room(k) >= space + WRAP_TOL
        found = units(k) >= 1 and room(k - 1) < space + WRAP_TOL and not own
        lead = int(found)
    return found


def space_cues(cells: list[list[Line]]) -> SpaceCues | None:
    """The cues of a table whose cells have these lines (each cell's top to bottom), or None where its
    spaces are not glyphs (OCR, a PDF that draws them as gaps: `join_wrapped` reads the gaps)."""
    lines = [ln for cell in cells for ln in cell]
    if not lines or not all(ln.spaces for ln in lines):
        return None
    pairs: Counter[tuple[str, str, bool]] = Counter()
    widths: list[float] = []
    for ln in lines:
        cs = ln.chars
        for i in range(len(cs) - 1):
            a, b = cs[i], cs[i + 1]
            if a["text"] == " ":
                widths.append((a["x1"] - a["x0"]) / max(a["size"], 1.0))
            elif b["text"] != " " and b["x0"] - a["x1"] < 0.25 * a["size"]:
                pairs[(a["text"][-1], b["text"][0], False)] += 1
            elif b["text"] == " " and i + 2 < len(cs) and cs[i + 2]["text"] != " ":
                pairs[(a["text"][-1], cs[i + 2]["text"][0], True)] += 1
    space = sorted(widths)[len(widths) // 2] if widths else 0.25
    left = glyph = shifted = centred = 0
    for cell in cells:
        if len(cell) < 2:
            continue
        starts, middles = _spread([ln.x0 for ln in cell]), _spread([ln.x0 + ln.x1 for ln in cell]) / 2
        centred += 1 if starts >= 1.0 and middles < 1.0 else -1 if starts < 1.0 and middles >= 1.0 else 0
        if _left_aligned(cell):
            left += len(cell) - 1
            glyph += sum(ln.space_after for ln in cell[:-1])
        else:
            shifted += sum(0.35 <= _shift(cell, i) / (space * cell[i].size) <= 0.65 for i in range(len(cell) - 1))
    classes: Counter[tuple[str, str, bool]] = Counter()
    for (a, b, spaced), n in pairs.items():
        classes[(char_class(a), char_class(b), spaced)] += n
    return SpaceCues(centred=centred > 0, glyphs=glyph >= 2 and glyph >= 0.1 * left, shifted=shifted >= 2,
                     space=space, pairs=pairs, classes=classes)


def _spaced(cues: SpaceCues, a: str, b: str, default: bool = False) -> bool:
    """Does the table's writer put a space between a and b: as its lines do between these very
    characters (where they meet at least twice), else between characters of their classes, else
    `default`."""
    n0, n1 = cues.pairs[(a, b, False)], cues.pairs[(a, b, True)]
    if n0 + n1 < 2:
        ka, kb = char_class(a), char_class(b)
        n0, n1 = cues.classes[(ka, kb, False)], cues.classes[(ka, kb, True)]
    return n1 > n0 or (n1 == n0 and default)


def first_unit_width(ln: Line) -> float:
    """Width of the line's first character with the marks after it that may not start a line."""
    end = 0
    while end + 1 < len(ln.chars) and unicodedata.normalize("NFKC", ln.chars[end + 1]["text"])[:1] in NO_LINE_START:
        end += 1
    return ln.chars[end]["x1"] - ln.chars[0]["x0"]


def wrapped_space(lines: list[Line], i: int, right: float, cues: SpaceCues, width: float | None = None) -> str:
    """The separator between line i - 1 of a cell and line i, which it wrapped to (`join_wrapped`
    said so), where the PDF draws spaces as glyphs: " " where the line broke at a space. `right`:
    where line i - 1 would end if full; `width`: the column's text width, where known. Where no glyph
    tells, two characters that the table's lines always part by a space (or never), at least three
    times, are parted (or not) here too."""
    prev, nxt = lines[i - 1], lines[i]
    sep = _wrapped_space(lines, i, right, cues, width)
    if prev.space_after or nxt.space_before:
        return sep
    a, b = prev.chars[-1]["text"][-1], nxt.chars[0]["text"][0]
    n0, n1 = cues.pairs[(a, b, False)], cues.pairs[(a, b, True)]
    return " " if n1 >= 3 and not n0 else "" if n0 >= 3 and not n1 else sep


def _wrapped_space(lines: list[Line], i: int, right: float, cues: SpaceCues, width: float | None = None) -> str:
    prev, nxt = lines[i - 1], lines[i]
    if prev.space_after or nxt.space_before:
        return " "
    a, b = prev.chars[-1]["text"][-1], nxt.chars[0]["text"][0]
    if unicodedata.normalize("NFKC", b)[:1] in NO_LINE_START or unicodedata.normalize("NFKC", a)[-1:] in NO_LINE_END:
        return ""  # no space before a closing mark nor after an opening one
    room, space = right - prev.x1, cues.space * prev.size
    if _left_aligned(lines, cues):
        if cues.glyphs and room >= space + WRAP_TOL:
            return ""  # a space that fitted would have been drawn
    elif cues.shifted:
        return " " if _shifted_spaces(lines, i, space, width, right) else ""
    ka, kb = char_class(a), char_class(b)
    if "C" in (ka, kb) or "F" in (ka, kb):  # CJK text: no space within it nor at its marks; at its edge, as the table writes it
        # (with nothing to tell: a space after CJK text before a Latin word, a number, a bracket or a
        # value's sign, as "数字多用表 Keysight", "功率 ±0.1%", none before an operator ("读数+0.02%")
        # nor after Latin text)
        default = kb in "ADLO" or (kb == "P" and b not in "+-*/×~=")
        return "" if "F" in (ka, kb) or ka == kb else " " if _spaced(cues, a, b, default=default) else ""
    if a in "-/—–":
        return ""  # a line may break after a hyphen or a slash
    word = _word(prev.chars[::-1])
    whole = _span(word) + _span(_word(nxt.chars)) <= right - prev.x0 + WRAP_TOL
    left = _left_aligned(lines, cues)
    if (cues.glyphs and left) or (cues.centred and not cues.shifted and not left):
        # a producer that draws the space it broke at, or centres lines without it (LibreOffice),
        # cuts only a word too long for a line, and where the line is full, at whatever character:
        # a full line that ends where letters turn to digits or back broke at a space there
        # (but digits on both sides of a full line whose number holds its second half: the number
        # cut inside, as a producer that breaks anywhere cuts it (reportlab's "1057-199" / "8"),
        # rather than two numbers set apart by a space just where the line was full)
        full = room < first_unit_width(nxt) + WRAP_TOL
        cut = full and ka == kb == "D" and 2 * len(word) + 1 >= len(prev.chars)
        if (whole and not cut) or (ka != kb and {ka, kb} <= set("ADL")):
            return " "
    if room < first_unit_width(nxt) + WRAP_TOL and 2 * len(word) + 1 >= len(prev.chars):
        # a full line whose last word holds at least its second half (a line breaks inside a word
        # only where no space or CJK character lies there: reportlab looks that far back for one,
        # even for a word that would fit on the next line; LibreOffice cuts only a word too long for
        # a line): cut inside the word, or at a space that fell there, as the table writes these
        return " " if _spaced(cues, a, b, default=ka == "E") else ""
    return " "  # letters, digits and marks: a line breaks at a space


def _span(chars: list[dict[str, Any]]) -> float:
    return max(c["x1"] for c in chars) - min(c["x0"] for c in chars) if chars else 0.0


def _word(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The leading characters up to a space or a CJK character (CJK marks go on: "%，k=2" is one word)."""
    out = []
    for c in chars:
        if c["text"] == " " or char_class(c["text"][0]) == "C":
            break
        out.append(c)
    return out


@dataclass
class CellWrap:
    """What a text PDF's cell text was joined from (`cell_text`'s arguments; characters kept with
    their text and box only), to join it to its rest on the next page (`join_parts`)."""

    lines: list[Line]
    right: float
    width: float | None
    cues: SpaceCues

    @classmethod
    def of(cls, lines: list[Line], right: float, width: float | None, cues: SpaceCues | None) -> CellWrap | None:
        if cues is None or not lines:
            return None
        keep = ("text", "x0", "x1", "top", "bottom", "size")
        slim = [Line([{k: c[k] for k in keep} for c in ln.chars], ln.page, space_after=ln.space_after,
                     space_before=ln.space_before, spaces=ln.spaces) for ln in lines]
        return cls(slim, right, width, cues)


def join_parts(upper: CellWrap, lower: CellWrap) -> str | None:
    """What joins a cell's part above a page break to its part below it, as the lines of one cell are
    joined (`line_separator`), the upper part's table telling; None where the upper part's last line
    ended short of a wrap (a paragraph's end, or nothing to tell)."""
    lines = upper.lines + lower.lines
    return line_separator(lines, len(upper.lines), upper.right, upper.width, upper.cues)


def cell_text(lines: list[Line], right: float, width: float | None = None, cues: SpaceCues | None = None) -> str:
    """A cell's lines joined as wrapped lines are (`line_separator`)."""
    out = ""
    for i, ln in enumerate(lines):
        if i:
            sep = line_separator(lines, i, right, width, cues)
            out += "\n" if sep is None else sep
        out += ln.text
    return out


def line_separator(lines: list[Line], i: int, right: float, width: float | None = None,
                   cues: SpaceCues | None = None) -> str | None:
    """What joins line i - 1 of a cell to line i (None: a new paragraph), as `join_wrapped` tells it
    against the right edge `right` of the cell's text; with its table's `cues`, a wrapped line's space
    as `wrapped_space` tells it, against where a full line that starts where the line does would
    end when its column's text `width` is known (a centred line, too, is full when it is that wide)."""
    prev, ln = lines[i - 1], lines[i]
    sep = join_wrapped(prev, ln, right)
    if sep is None and cues is not None and _goes_on(prev, ln):
        return ""
    if sep is not None and cues is not None and prev.spaces and ln.spaces:
        return wrapped_space(lines, i, right if width is None else prev.x0 + width, cues, width)
    return sep


def _goes_on(prev: Line, nxt: Line) -> bool:
    """Does `nxt` go on with `prev`'s word although `prev` ended short: it starts with a mark no line
    may start with ("%，k=2"), or `prev` is a lone Latin letter before more ("d" / "B，k=2": a word
    cut in a narrow column, whose rest came down with the mark after it)?"""
    b = unicodedata.normalize("NFKC", nxt.chars[0]["text"])[:1]
    a = prev.text
    return b in NO_LINE_START or (len(a) == 1 and a.isascii() and a.isalpha() and b.isascii() and b.isalpha())


@dataclass
class PageTable:
    bbox: tuple[float, float, float, float]
    cells: list[tuple[float, float, float, float]]


def _cluster(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def straddling(chars: list[dict[str, Any]], rules: list[float], page_no: int) -> dict[int, float]:
    """The x by which to place each character that straddles one of the vertical rules `rules` (a
    mark hanging past its cell's edge, a centred text wider than its cell): a point of it on the
    side of the neighbour it follows most steadily (the smaller gap or overlap: the next cell's
    text is placed on its own), by id; a character as close to both keeps its middle."""
    across = {id(c) for c in chars if any(c["x0"] < x < c["x1"] for x in rules)}
    out: dict[int, float] = {}
    if not across:
        return out
    for ln in group_lines(chars, page_no):
        cs = ln.chars
        for i, c in enumerate(cs):
            if id(c) not in across:
                continue
            left = abs(c["x0"] - cs[i - 1]["x1"]) if i else float("inf")
            right = abs(cs[i + 1]["x0"] - c["x1"]) if i + 1 < len(cs) else float("inf")
            if abs(left - right) > 0.05:
                out[id(c)] = c["x0"] + 0.01 if left < right else c["x1"] - 0.01
    return out


def build_grid(t: PageTable, chars: list[dict[str, Any]], page_no: int, index: int, spaces: bool) -> TableBlock:
    xs = _cluster([c[0] for c in t.cells] + [c[2] for c in t.cells])
    ys = _cluster([c[1] for c in t.cells] + [c[3] for c in t.cells])
    nrows, ncols = max(1, len(ys) - 1), max(1, len(xs) - 1)
    grid: list[list[Cell | None]] = [[None] * ncols for _ in range(nrows)]
    by_cell: dict[int, list[dict[str, Any]]] = {i: [] for i in range(len(t.cells))}
    anchors = straddling(chars, xs[1:-1], page_no)
    for ch in chars:
        cx, cy = anchors.get(id(ch), (ch["x0"] + ch["x1"]) / 2), (ch["top"] + ch["bottom"]) / 2
        for i, (x0, top, x1, bottom) in enumerate(t.cells):
            if x0 <= cx <= x1 and top <= cy <= bottom:
                by_cell[i].append(ch)
                break
    lines_of = {i: group_lines(by_cell[i], page_no, spaces) for i in range(len(t.cells))}
    cues = space_cues(list(lines_of.values())) if spaces else None
    # the cells' padding: where the lines that start furthest left in their cells start (a centred
    # line that fills its cell too), taken on both sides
    pads = [ln.x0 - t.cells[i][0] for i, ls in lines_of.items() if len(ls) > 1 for ln in ls]
    padding = max(0.5, min(min(pads), 8.0)) if pads else None
    for i, (x0, top, x1, bottom) in enumerate(t.cells):
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        if c1 <= c0 or r1 <= r0:
            continue
        lines = lines_of[i]
        pad = (lines[0].x0 - x0) if lines else 2.0
        right, width = x1 - max(1.0, min(pad, 8.0)), None if padding is None else x1 - x0 - 2 * padding
        text = cell_text(lines, right, width, cues)
        cell = Cell(text=text, row=r0, col=c0, wrap=CellWrap.of(lines, right, width, cues),
                    rowspan=r1 - r0, colspan=c1 - c0, bbox=(x0, top, x1, bottom),
                    confidence=min((ch["conf"] for ch in by_cell[i] if "conf" in ch), default=None))
        for r in range(r0, r1):
            for c in range(c0, c1):
                grid[r][c] = cell
    row_boxes: list[Box | None] = [(xs[0], ys[r], xs[-1], ys[r + 1]) for r in range(nrows)] if len(ys) > 1 else []
    return TableBlock(index=index, grid=grid, page=page_no, row_pages=[page_no] * nrows, bbox=union(row_boxes),
                      row_boxes=row_boxes)


@dataclass
class Page:
    number: int
    height: float
    width: float = 0.0
    lines: list[Line] = field(default_factory=list)
    tables: list[TableBlock] = field(default_factory=list)
    table_tops: list[float] = field(default_factory=list)
    cid: bool = False  # the text layer is (cid:N) codes: unusable, read by OCR


def _running_texts(pages: list[Page]) -> set[str]:
    """Texts in the top or bottom margin that recur on several pages: running headers and footers."""
    seen: Counter[str] = Counter()
    for p in pages:
        for ln in p.lines:
            if ln.top < p.height * MARGIN or ln.bottom > p.height * (1 - MARGIN):
                seen[re.sub(r"\d+", "#", ln.text.strip())] += 1
    return {t for t, n in seen.items() if n >= max(2, len(pages) // 2)}


def _furniture(page: Page, running: set[str], few_pages: bool = False) -> set[int]:
    """The page's running headers and footers (ids of its lines): in each margin, from the page's
    edge inwards, the lines whose texts recur on several pages (`running`) and one page number; the
    first line that is neither ends them (a table cell's lone "0" above the footer is no page number).
    A page number is a number whose form recurs (“- # -”), or any, in a document of too few pages to tell
    (`few_pages`): a cell's last line “2” in the margin of a page with no footer is no page number."""
    top = sorted((ln for ln in page.lines if ln.top < page.height * MARGIN), key=lambda ln: ln.top)
    bottom = sorted((ln for ln in page.lines if ln.bottom > page.height * (1 - MARGIN) and ln.top >= page.height * MARGIN),
                    key=lambda ln: -ln.bottom)
    out: set[int] = set()
    for side in (top, bottom):
        number = False
        for ln in side:
            t = ln.text.strip()
            recurs = re.sub(r"\d+", "#", t) in running
            is_number = PAGE_NUMBER.match(t) is not None and (recurs or few_pages)
            if (is_number and number) or not (is_number or recurs):
                break
            out.add(id(ln))
            number = number or is_number
    return out


def read_pdf(path: Path, limits: Limits, vocabulary: HeaderVocabulary | None = None) -> Document:
    """The Document of a PDF. With `vocabulary` (the table headers the template layer knows), tables
    drawn without rules are looked for among the free lines too (imtc/extract/pdf_stream.py).

    pdfminer reads each page's characters; a file it cannot open at all (a bad or missing MediaBox,
    an owner password with permissions it cannot compute) and a page it cannot parse (a damaged font
    dictionary) are read by PDFium instead (`pdfium_pages`); pages with no text, or whose text is
    only (cid:N) codes of fonts without a Unicode mapping (`cid_pages`), go to OCR."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as e:  # pdfplumber wraps pdfminer's errors
        if isinstance(e, PDFPasswordIncorrect) or isinstance(e.__cause__ or e.__context__, PDFPasswordIncorrect):
            raise Unreadable(ENCRYPTED) from None
        return _finish(path, vocabulary, *_read_by_pdfium(path))
    try:
        try:
            n = len(pdf.pages)
        except Exception:
            return _finish(path, vocabulary, *_read_by_pdfium(path))
        if n > MAX_PAGES:
            raise Unreadable(f"PDF 页数过多（{n} 页，上限 {MAX_PAGES} 页）")
        pages: list[Page] = []
        unparsed: list[int] = []
        for i, page in enumerate(pdf.pages, start=1):
            try:
                pages.append(_read_page(page, i))
            except Exception:
                pages.append(Page(number=i, height=float(page.height), width=float(page.width)))
                unparsed.append(i)
            page.close()
    finally:
        with contextlib.suppress(Exception):  # closing a damaged document may raise again
            pdf.close()
    if unparsed:
        _pdfium_pages(path, pages, unparsed)
    return _finish(path, vocabulary, pages, unparsed)


def _finish(path: Path, vocabulary: HeaderVocabulary | None, pages: list[Page], by_pdfium: list[int]) -> Document:
    """Ruleless tables, tables numbered, and OCR for the pages without (usable) text."""
    cid = [p.number for p in pages if p.cid]
    no_text = [p.number for p in pages if not p.lines and not p.tables]
    if vocabulary is not None:
        add_ruleless(pages, vocabulary)
    for n_table, t in enumerate(t for p in pages for t in p.tables):  # ruled first, then ruleless, page by page
        t.index = n_table
    if no_text:  # scanned pages: read by OCR (imtc/extract/ocr.py), the rest as the text layer gives it
        from imtc.extract.ocr import read_scans

        doc = read_scans(path, pages, no_text, len(pages), vocabulary)
    else:
        doc = Document(blocks=page_blocks(pages), pages=len(pages), pages_without_text=no_text,
                       page_sizes=page_sizes(pages)).number()
    doc.pdfium_pages, doc.cid_pages = by_pdfium, cid
    return doc


# --- PDFium, where pdfminer fails ---------------------------------------------------------------------


def _read_by_pdfium(path: Path) -> tuple[list[Page], list[int]]:
    """Every page read by PDFium (a PDF pdfminer cannot open); Unreadable when PDFium cannot either."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as e:
        if "password" in str(e).lower() or _has_encrypt(path):
            raise Unreadable(ENCRYPTED) from None
        raise Unreadable("PDF 文件已损坏或不完整，无法解析") from None
    try:
        n = len(pdf)
        if n > MAX_PAGES:
            raise Unreadable(f"PDF 页数过多（{n} 页，上限 {MAX_PAGES} 页）")
        if n == 0:
            raise Unreadable("PDF 文件已损坏或不完整，无法解析")
        pages = [Page(number=i, height=0.0) for i in range(1, n + 1)]
    finally:
        pdf.close()
    _pdfium_pages(path, pages, list(range(1, n + 1)))
    return pages, list(range(1, n + 1))


def _pdfium_pages(path: Path, pages: list[Page], numbers: list[int]) -> None:
    """The free lines of the pages `numbers` (1-based) from PDFium's characters and their boxes."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:  # the pages stay without text: OCR's (which may not open it either)
        return
    try:
        for number in numbers:
            try:
                page = pdf[number - 1]
            except pypdfium2.PdfiumError:
                continue
            try:
                width, height = page.get_size()
                p = pages[number - 1]
                p.width, p.height = float(width), float(height)
                with contextlib.suppress(pypdfium2.PdfiumError):
                    p.lines = group_lines(_pdfium_chars(page, float(height)), number)
            finally:
                page.close()
    finally:
        pdf.close()


def _pdfium_chars(page: Any, height: float) -> list[dict[str, Any]]:
    """A page's characters as pdfplumber gives them (text, x0, x1, top, bottom, size), at most
    MAX_PAGE_CHARS; control characters and line breaks left out. The vertical extent comes from the
    baseline and the font size (a glyph's own box would set 一 and 、 apart from their line)."""
    import ctypes

    import pypdfium2.raw as raw

    tp = page.get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    try:
        out = []
        for i in range(min(tp.count_chars(), MAX_PAGE_CHARS)):
            text = tp.get_text_range(i, 1)
            if not text or (text != " " and not text.strip()) or unicodedata.category(text[0]) == "Cc":
                continue
            left, _, right, _ = tp.get_charbox(i)
            size = raw.FPDFText_GetFontSize(tp.raw, i) or 10.0
            if not raw.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(x), ctypes.byref(y)):
                continue
            base = height - y.value
            out.append({"text": unalias(text), "x0": left, "x1": max(right, left + 0.1), "top": base - 0.88 * size,
                        "bottom": base + 0.12 * size, "size": size, "upright": True})
        return out
    finally:
        tp.close()


def page_sizes(pages: list[Page]) -> dict[int, tuple[float, float]]:
    return {p.number: (p.width, p.height) for p in pages}


def dedupe(chars: list[dict[str, Any]], tol: float = 1.0) -> list[dict[str, Any]]:
    """Drop the copies that simulated bold draws: the same character again within `tol` points."""
    seen: dict[tuple[str, int, int], dict[str, Any]] = {}
    out = []
    for c in chars:
        text, x, y = c["text"], c["x0"], c["top"]
        ix, iy = int(x // tol), int(y // tol)
        for dx, dy in _NEIGHBOURS:
            o = seen.get((text, ix + dx, iy + dy))
            if o is not None and abs(o["x0"] - x) <= tol and abs(o["top"] - y) <= tol:
                break
        else:
            seen[(text, ix, iy)] = c
            out.append(c)
    return out


_NEIGHBOURS = ((0, 0), (-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))


ENCRYPTED = "PDF 文件已加密（需要密码才能打开），请提交未加密的文件"


def _has_encrypt(path: Path) -> bool:
    """The trailer names an /Encrypt dictionary (read from the file's last 64 KB)."""
    with open(path, "rb") as f:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - 65536))
        return b"/Encrypt" in f.read()


def _content_bytes(page: Any, limit: int) -> int:
    """The size of a page's content streams once decoded, counted up to `limit` + 1 (a FlateDecode
    stream is inflated only that far: a 64 KB stream of 64 MB of zeros holds pdfminer for minutes)."""
    from pdfminer.pdftypes import resolve1

    total = 0
    contents = getattr(page.page_obj, "contents", None) or []
    for s in contents if isinstance(contents, list) else [contents]:
        s = resolve1(s)
        raw = getattr(s, "rawdata", None)
        if raw is None:
            total += len(getattr(s, "data", b"") or b"")
            continue
        filters = s.get_filters()
        if len(filters) == 1 and getattr(filters[0][0], "name", "") in ("FlateDecode", "Fl"):
            try:
                total += len(zlib.decompressobj().decompress(raw, limit - total + 1))
            except zlib.error:
                total += len(raw)
        else:
            total += len(raw)
        if total > limit:
            break
    return total


def _read_page(page: Any, number: int) -> Page:
    """A page's ruled tables (numbered later) and its free lines; raises on a page whose content is
    beyond any real page's (left to PDFium and OCR)."""
    if _content_bytes(page, MAX_CONTENT_BYTES) > MAX_CONTENT_BYTES:
        raise ValueError("page content beyond MAX_CONTENT_BYTES")
    chars = dedupe([c for c in page.chars if ((c.get("upright", True) and c["text"].strip()) or c["text"] == " ")
                    and not _CONTROL.search(c["text"])])  # a font may map a glyph to U+0001: no text
    for c in chars:
        c["text"] = unalias(c["text"])
    coded = sum(1 for c in chars if CID.fullmatch(c["text"]))
    if coded and coded >= 0.3 * sum(1 for c in chars if c["text"] != " "):  # fonts without a Unicode mapping
        return Page(number=number, height=float(page.height), width=float(page.width), cid=True)
    spaces = any(c["text"] == " " for c in chars)
    closing = closing_lines(page.edges)
    found = page.find_tables(TABLE_SETTINGS | {"explicit_horizontal_lines": closing} if closing else TABLE_SETTINGS)
    p = Page(number=number, height=float(page.height), width=float(page.width))
    centers = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in chars]  # as in_box takes them
    boxes = []
    for t in found:
        cells = [tuple(c) for c in t.cells]
        if len(cells) < 2:
            continue
        bbox = t.bbox  # computed by pdfplumber from the cells at every call
        boxes.append(bbox)
        x0, top, x1, bottom = bbox
        inside = [c for c, (cx, cy) in zip(chars, centers, strict=True) if x0 <= cx <= x1 and top <= cy <= bottom]
        p.tables.append(build_grid(PageTable(bbox, cells), inside, number, 0, spaces))
        p.table_tops.append(bbox[1])
    free = [c for c, (cx, cy) in zip(chars, centers, strict=True)
            if not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)]
    p.lines = group_lines(free, number, spaces)
    return p


def closing_lines(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rules a table leaves out where a page break cuts a row: several vertical rules end (or start)
    at one height with no horizontal rule there, so the row's part on this page is closed by
    none (reportlab's split rows). A horizontal edge across them closes it for the finder."""
    vertical = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 2]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    out = []
    for end in ("bottom", "top"):
        groups: dict[int, list[dict[str, Any]]] = {}
        for e in vertical:
            groups.setdefault(round(e[end]), []).append(e)
        for y, es in groups.items():
            x0, x1 = min(e["x0"] for e in es), max(e["x1"] for e in es)
            if len(es) < 3 or any(abs(h["top"] - y) <= 2 and h["x0"] <= x0 + 2 and h["x1"] >= x1 - 2
                                  for h in horizontal):
                continue
            out.append({"object_type": "closing_edge", "orientation": "h", "x0": x0, "x1": x1, "top": float(y),
                        "bottom": float(y), "width": x1 - x0, "height": 0.0})
    return out


def add_ruleless(pages: list[Page], vocabulary: HeaderVocabulary) -> None:
    """The tables drawn without rules among each page's free lines (imtc/extract/pdf_stream.py), once
    the running headers and footers of the whole document are known and set aside: a table whose
    rows a page break cuts goes on below the next page's running header, and its last row on a page
    is not joined to the footer under it. A page's last table that goes on under the same header on
    the next page, where more rows tell its columns better, is read again in those (`later_columns`)."""
    from imtc.extract.pdf_stream import add_ruleless_tables, later_columns

    running = _running_texts(pages)
    open_: Any = None  # a ruleless table that ran to the end of the previous page
    held: Any = None  # the previous page, its body lines, the open table it was read with, and what it gave
    for p in pages:
        ids = _furniture(p, running, len(pages) < 3)
        furniture = [ln for ln in p.lines if id(ln) in ids]
        body = [ln for ln in p.lines if id(ln) not in ids]
        found = add_ruleless_tables(body, p.height, p.number, 0, vocabulary, open_, p.width)
        if held is not None:
            prev, prev_body, prev_open, prev_found = held
            better = later_columns(prev_found, found)
            if better is not None:
                prev_found = add_ruleless_tables(prev_body, prev.height, prev.number, 0, vocabulary, prev_open,
                                                 prev.width, better)
            _put_ruleless(prev, prev_found)
        p.lines = furniture  # the body's lines go back with what is found in them
        held = (p, body, open_, found)
        open_ = found.open
    if held is not None:
        _put_ruleless(held[0], held[3])


def _put_ruleless(p: Page, found: Any) -> None:
    """What `add_ruleless_tables` found on a page, into it (its lines: the furniture, and the free lines no table took)."""
    p.tables += found.tables
    p.table_tops += found.tops
    p.lines = sorted(found.lines + p.lines, key=lambda ln: ln.top)


def in_box(c: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def line_continues(text: str, prev: Line, nxt: Line, left: float, pitch: float) -> bool:
    """May `nxt` continue the paragraph whose text so far is `text` and whose last line is `prev`?"""
    if abs(nxt.x0 - left) >= 2 or abs(nxt.size - prev.size) >= 0.6 or nxt.page != prev.page and nxt.top > 200:
        return False  # indented, another size, or not at the top of the next page
    if nxt.page == prev.page and nxt.top - prev.top > pitch * 1.25:
        return False  # more space than between the lines of a paragraph
    if RANGE_CUT.search(prev.text) and nxt.text[:1].isdigit():
        return True  # “…, 57-” / “65.(EI)”: a range the break cut, not a heading 65.
    if parse_label(nxt.text).level is not None or LIST_LABEL.match(nxt.text):
        return False  # a numbered heading or item starts here
    if CASE_LABEL.match(nxt.text) and prev.text.rstrip().endswith(SENTENCE_END):
        return False  # 案例三：… after a sentence's end: the next case, though the case before filled its last line
    if UNSEPARATED_HEADING.match(nxt.text.strip()) and prev.text.rstrip().endswith(SENTENCE_END):
        return False  # a heading whose separator a scan lost, after a sentence's end that filled its line
    t = unicodedata.normalize("NFKC", text).strip()
    return not (t.startswith("(") and t.endswith(")"))  # the template's guidance ends here


def _pitch(lines: list[Line]) -> float:
    """The usual distance from one line's top to the next line's top on the same page."""
    steps = [round(b.top - a.top, 1) for a, b in zip(lines, lines[1:], strict=False)
             if a.page == b.page and 0 < b.top - a.top < 3 * a.size]
    return Counter(steps).most_common(1)[0][0] if steps else 14.0


def page_blocks(pages: list[Page]) -> list[Paragraph | TableBlock]:
    running = _running_texts(pages)
    furniture = {p.number: _furniture(p, running, len(pages) < 3) for p in pages}
    body = [ln for p in pages for ln in p.lines if id(ln) not in furniture[p.number]]
    left = Counter(round(ln.x0) for ln in body).most_common(1)[0][0] if body else 0
    right = max((ln.x1 for ln in body), default=0)
    pitch = _pitch(body)
    blocks: list[Paragraph | TableBlock] = []
    last_line: Line | None = None  # the last line of the paragraph being built, if the last block is one
    n_par = 0
    for p in pages:
        items: list[tuple[float, Any]] = [(ln.top, ln) for ln in p.lines if id(ln) not in furniture[p.number]]
        items += [(top, t) for top, t in zip(p.table_tops, p.tables, strict=True)]
        items.sort(key=lambda x: x[0])
        for _, item in items:
            if isinstance(item, TableBlock):
                blocks.append(item)
                last_line = None
                continue
            if last_line is not None and line_continues(blocks[-1].text, last_line, item, left, pitch):  # type: ignore[union-attr]
                sep = join_wrapped(last_line, item, right)
                if sep is not None:
                    _extend(blocks[-1], sep, item)  # type: ignore[arg-type]
                    last_line = item
                    continue
            blocks.append(Paragraph(text=item.text, index=n_par, page=item.page, bbox=_box(item),
                                    confidence=_confidence(item.chars)))
            n_par += 1
            last_line = item
    for b in blocks:
        if isinstance(b, Paragraph):
            b.role = _role(b.text)
    return blocks


def _box(ln: Line) -> Box:
    return (ln.x0, ln.top, ln.x1, ln.bottom)


def _confidence(chars: list[dict[str, Any]]) -> float | None:
    """OCR'd characters carry the recognition's confidence: their mean (None for a text layer)."""
    confs = [c["conf"] for c in chars if "conf" in c]
    return round(sum(confs) / len(confs), 3) if confs else None


def _extend(par: Paragraph, sep: str, ln: Line) -> None:
    """A wrapped line joined to its paragraph: text, box on the paragraph's first page, confidence."""
    before = len(par.text)
    par.text += sep + ln.text
    if ln.page == par.page:
        par.bbox = union([par.bbox, _box(ln)])
    conf = _confidence(ln.chars)
    if conf is not None and par.confidence is not None:
        added = len(par.text) - before
        par.confidence = round((par.confidence * before + conf * added) / max(1, before + added), 3)


def _role(text: str) -> Role:
    """A PDF marks no headings: a short line that starts with a label is taken for one, a longer one
    for a list item."""
    if parse_label(text).level is None:
        return "paragraph"
    return "heading" if len(text.strip()) <= 40 else "list_item"
