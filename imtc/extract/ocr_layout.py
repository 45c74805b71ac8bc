"""How a scanned page lies, and its tables drawn without rules (imtc/extract/ocr.py's helpers).

- Orientation: a landscape page fed to the scanner sideways comes out as a portrait image whose
  text runs up or down the page; a page may also be fed upside down. Before the page is deskewed,
  its text ink (the rules taken out, at about EM_PX pixels to the em) is closed by a short
  horizontal and by a short vertical stroke: the characters of a line lie closer to each other
  than the lines do, so along the text the closing joins many more of them. Where it joins
  clearly more of them vertically, the text runs up or down, and the page is turned a quarter.
  Which way up is then decided by recognition: a few of the longest text lines are recognised
  (`read_lines`, small) as they are; where they do not read surely, upside down too, and the page
  is turned half a turn where upside down reads clearly better. An upright page pays the closing
  and those few short recognitions (bench/bench_ocr.py: about 30 ms).
- Tables without rules: the text that OCR reads outside ruled grids is the page's free lines, as a
  text PDF's characters are; the reader's own ruleless-table finder (imtc/extract/pdf_stream.py,
  through `add_ruleless_tables`) reads them, page after page, once running headers and footers are
  set aside, and the table cells' text is normalised as a ruled cell's is. The page is detected on
  a reduced copy, where texts of neighbouring cells a few pixels apart run into one box; a box that
  is too high for one line, or that a blank between columns crosses, is detected again at full
  resolution first (`redetect`).

Where a page's orientation cannot be decided, the page is read as it lies and the document says
so (`Document.ocr_unsure_pages`, a finding of imtc/extract/ocr_findings.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from imtc.extract.blocks import Cell, Document, HeaderVocabulary, TableBlock
from imtc.models import Finding, Location

EM_PX = 14.0  # pixels to the em (of 10.5 pt text) of the reduced ink image the direction is read on
RULE_EM = 3.0  # a straight run of ink this many ems long is a rule, not text
JOIN_PX = 4  # the closing stroke: about 0.3 em, wider than the gap between characters of a line
ALONG = 1.6  # the text runs the way whose closing joins this many times as many blobs as the other's
PROBE_LINES = 3  # text lines recognised both ways up
PROBE_EM = 8.0  # ... each at most this many ems long
PROBE_HEIGHT = 32  # pixels: the recogniser's input height for them (its cost grows with the square)
SURE = 0.9  # the lines read with at least this mean confidence as they are: the page is upright
UPSIDE_MARGIN = 0.15  # mean confidence upside down above the upright one by this much: turned half a turn
MIN_PROBE_SCORE = 0.5  # below this both ways, the reading decides nothing
MAX_STRADDLING = 10  # cells of doubtful column named in findings, at most
GAP_EM = 0.8  # a blank this many ems wide inside a detected text line outside ruled tables parts two texts
# a blank this many ems wide between the characters of a recognised line lies between two texts (cells set
# 4 pt apart: 0.7 em; a space between words and a wide step inside a line of prose: about 0.4; at 0.45 a
# step inside a line was taken for a blank often enough to lose more than it gained: seeds 124, 148)
BLANK_EM = 0.5
SIGN_BLANK_EM = 1.0  # ... beside a full-width sign (、，（“), whose glyph leaves half its em blank, this many
SNAP_EM = 0.8  # the character read nearest a blank's end, within this many ems, is the one after it
LABEL_EM = 2.0  # a heading's label boxed apart from its title at most this far (ems)
JITTER = 0.2  # ems: texts of one line whose middles lie this close are put on one middle
PAD_EM = 0.15  # room left on each side of a part
MISSED_EM = 2.0  # a run of ink outside every detected box this many ems wide may be a line the detector missed
MARK_REACH = 1.0  # ems: a comma or stop the detector left out lies this close before a box at most
MARK_EM = 0.5  # ... and is this many ems wide and high at most
MARK_CLEAR = 0.3  # ... with no ink this many ems before it (else it ends the text there)
MAX_MISSED = 40  # ... and at most this many runs of a page are detected again (a page of patterned ink: no hang)
CONTAINED = 0.8  # share of a box's area inside a larger box: the same text, read by the larger one
TALL = 1.4  # a detected box outside ruled tables this many times as high as the page's usual one holds several lines
CHANNEL_EM = 0.3  # a blank this many ems wide across a detected line ...
REACH_EM = 1.0  # ... that stays blank this far above and below it, where a line there has ink
NEAR_EM = 1.5  # ... this close on both sides of it, parts two columns' texts
LEAD_EM = 3.0  # a line's first text this short before such a blank is a label's or a note's mark, not a cell
FAR_EM = 2.0  # ... or that stays blank this far, where the lines of the rows around it have ink (cells
# centred vertically: a cell of one line beside cells of three has none within REACH_EM)


@dataclass
class Orientation:
    """How a page image was turned to read it: degrees counter-clockwise, and whether it was decided."""

    turn: int = 0  # 0, 90, 180 or 270
    decided: bool = True


def text_ink(binary: Any, dpi: float) -> tuple[Any, float]:
    """The page's ink without its rules (runs of RULE_EM ems and more), reduced to about EM_PX
    pixels to the em (0/1), and the reduction factor."""
    import cv2
    import numpy as np

    em = dpi * 10.5 / 72
    f = min(1.0, EM_PX / em)
    h, w = binary.shape
    small = cv2.resize(binary, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA) if f < 1 else binary
    small = (small > 100).astype(np.uint8) * 255
    n = int(RULE_EM * EM_PX)
    horiz = cv2.morphologyEx(small, cv2.MORPH_OPEN, np.ones((1, n), np.uint8))
    vert = cv2.morphologyEx(small, cv2.MORPH_OPEN, np.ones((n, 1), np.uint8))
    text = cv2.subtract(small, cv2.bitwise_or(horiz, vert))
    return (text > 0).astype(np.uint8), f


def joins(ink: Any) -> tuple[int, int]:
    """How many blobs of ink a short horizontal and a short vertical closing join into others."""
    import cv2
    import numpy as np

    n0 = cv2.connectedComponents(ink)[0]
    nh = cv2.connectedComponents(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, JOIN_PX), np.uint8)))[0]
    nv = cv2.connectedComponents(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((JOIN_PX, 1), np.uint8)))[0]
    return n0 - nh, n0 - nv


def runs_across(ink: Any) -> bool | None:
    """Does the text run across the image (True), up or down it (False)? None when the ink says
    neither clearly (too little text)."""
    across, down = joins(ink)
    if across + down < 20:
        return None
    if across >= ALONG * max(1, down):
        return True
    if down >= ALONG * max(1, across):
        return False
    return None


def probe_boxes(ink: Any, f: float, shape: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    """The PROBE_LINES longest text lines of a page whose text runs across (boxes in the full
    image's pixels, each at most PROBE_EM ems long)."""
    import cv2
    import numpy as np

    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, 2 * JOIN_PX), np.uint8))  # words too
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    lines = [s for s in stats[1:] if 0.5 * EM_PX <= s[3] <= 1.6 * EM_PX and s[2] >= 3 * s[3]]
    lines.sort(key=lambda s: -s[2])
    h, w = shape
    out = []
    for x, y, bw, bh, _ in lines[:PROBE_LINES]:
        bw = min(bw, int(PROBE_EM * EM_PX))
        pad = 0.2 * bh
        out.append((max(0, int((x - pad) / f)), max(0, int((y - pad) / f)),
                    min(w, int((x + bw + pad) / f)), min(h, int((y + bh + pad) / f))))
    return out


def upside_down(grey: Any, boxes: list[tuple[int, int, int, int]]) -> bool | None:
    """Do the text lines at `boxes` read clearly better upside down (True) or as they are (False)?
    None when neither reading is good enough to tell."""
    import cv2

    from imtc.extract.ocr import read_lines

    crops = [grey[y0:y1, x0:x1] for x0, y0, x1, y1 in boxes if x1 - x0 >= 8 and y1 - y0 >= 4]
    if not crops:
        return None
    up = sum(s for _, s in read_lines(crops, PROBE_HEIGHT)) / len(crops)
    if up >= SURE:
        return False
    down = sum(s for _, s in read_lines([cv2.rotate(c, cv2.ROTATE_180) for c in crops], PROBE_HEIGHT)) / len(crops)
    if max(up, down) < MIN_PROBE_SCORE:
        return None
    if down >= up + UPSIDE_MARGIN:
        return True
    if up >= down + UPSIDE_MARGIN:
        return False
    return None


def turned(image: Any, turn: int) -> Any:
    """The image turned `turn` degrees counter-clockwise (a multiple of 90)."""
    import cv2

    codes = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_CLOCKWISE}
    return cv2.rotate(image, codes[turn]) if turn in codes else image


def upright(grey: Any, binary: Any, dpi: float) -> tuple[Any, Any, Orientation]:
    """The page image (grey and binary) turned so that its text reads left to right, top to bottom."""
    ink, f = text_ink(binary, dpi)
    across = runs_across(ink)
    if across is None:
        return grey, binary, Orientation(0, decided=not ink.any())
    turn = 0
    if not across:  # sideways: a quarter turn brings the lines across, upright or upside down
        turn = 90
        grey, binary, ink = turned(grey, 90), turned(binary, 90), turned(ink, 90)
    flip = upside_down(grey, probe_boxes(ink, f, grey.shape))
    if flip:
        turn = (turn + 180) % 360
        grey, binary = turned(grey, 180), turned(binary, 180)
    return grey, binary, Orientation(turn, decided=flip is not None)


# --- tables without rules ---------------------------------------------------------------------------


def redetect(clean: Any, rects: list[tuple[int, int, int, int]], inside: Any,
             detect: Any) -> list[tuple[int, int, int, int]]:
    """Boxes outside ruled tables that may hold the texts of several cells of a table without
    rules, detected again at full resolution (`detect`, on the box's image with a margin of paper):
    the page is detected on a reduced copy, where texts of neighbouring cells a few pixels apart
    run into one box. Such a box is more than TALL times as high as the page's usual box (lines of
    neighbouring cells set half a line apart in height, run into one box over two lines, which no
    recognition can read), or a blank crosses it that the lines around it keep (`channel`: the gap
    between two columns). Each box found gets the height of margin around its text that the page's
    boxes have (a full-resolution box is tighter: its text would read as smaller; across, the
    detector's own margin, so that two parts of a line do not share a character); one whose middle
    lies outside the box is a neighbouring line the margin of paper took in, and one that lies half
    inside a box that stays as it was, or inside a part found before, is that text again (boxes
    looked at again are not compared with each other but with what they became, in turn: two
    overlapping boxes over the same cells would otherwise each lose its parts to the other). Where
    the second look finds the texts whole again, the blanks between columns cut them
    (`cut_at_channels`; a tall box's parts found too), less those found before; where it finds one
    text, or none, and no such blank crosses the box, it stays as it was, unless the parts found
    before cover it."""
    import numpy as np

    free = [r for r in rects if not inside(r)]
    if not free:
        return rects
    usual = float(np.median([r[3] - r[1] for r in free]))
    em = usual / 1.3  # a detected box is about 1.3 ems high
    dark = ink(clean, em)
    h, w = clean.shape[:2]
    redo = {r for r in rects if not inside(r) and (r[3] - r[1] > TALL * usual or len(channel(dark, r, em)) >= 2)}
    kept = [r for r in rects if r not in redo]
    out = []
    done: list[tuple[int, int, int, int]] = []  # what the boxes looked at again so far became
    for r in rects:
        x0, y0, x1, y1 = r
        if r not in redo:
            out.append(r)
            continue
        pad = max(4, int(usual / 2))
        a0, b0 = max(0, x0 - pad), max(0, y0 - pad)
        found = detect(np.ascontiguousarray(clean[b0:min(h, y1 + pad), a0:min(w, x1 + pad)]))
        parts = [(max(0, a0 + p0), max(0, b0 + q0 - m), min(w, a0 + p1), min(h, b0 + q1 + m))
                 for p0, q0, p1, q1 in found for m in [max(0, int((usual - (q1 - q0)) / 2))]]  # the page's margins
        others = kept + done  # (not the other boxes looked at again: they are cut too, or stay as they were)
        parts = [p for p in parts if p[2] - p[0] >= 4 and p[3] - p[1] >= 4 and not covered(p, others)
                 and y0 <= (p[1] + p[3]) / 2 <= y1]  # (not a neighbouring line the margin of paper took in)
        tall = y1 - y0 > TALL * usual
        if tall:  # lines of cells centred vertically: cut where the look found them whole
            parts = apart([q for p in parts for q in cut_at_channels(dark, p, em, usual)], others)
        if len(parts) < 2:  # the second look joins the texts too: the blanks between columns cut them
            cut = cut_at_channels(dark, r, em, usual, far=tall)
            parts = apart(cut, others)
            if len(cut) >= 2 and any(share_inside(p, done) >= 0.5 for p in cut):
                out += parts  # texts of it that a box looked at before found already: the others
                done += parts
                continue
        if len(parts) < 2:  # one text: as it was, unless the boxes looked at before found it already
            parts = [] if share_inside(r, done) >= 0.5 else [r]
        out += parts
        done += parts
    return out


def apart(parts: list[tuple[int, int, int, int]],
          others: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """`parts` less those that lie half inside `others` or larger parts (a sliver of a character
    where a box found at full resolution ends), in their order."""
    kept: list[tuple[int, int, int, int]] = []
    for p in sorted(parts, key=lambda p: -(p[2] - p[0]) * (p[3] - p[1])):
        if share_inside(p, others + kept) < 0.5:
            kept.append(p)
    return [p for p in parts if p in kept]


def share_inside(r: tuple[int, int, int, int], boxes: list[tuple[int, int, int, int]]) -> float:
    """The share of box `r`'s area that `boxes` cover (overlaps among them counted twice)."""
    return sum(max(0, min(r[2], o[2]) - max(r[0], o[0])) * max(0, min(r[3], o[3]) - max(r[1], o[1]))
               for o in boxes) / max(1, (r[2] - r[0]) * (r[3] - r[1]))


def cut_at_channels(dark: Any, r: tuple[int, int, int, int], em: float,
                    usual: float, far: bool = True) -> list[tuple[int, int, int, int]]:
    """Box `r` cut where blanks between columns cross it (`channel`), each part one box for each
    line of its ink (texts of neighbouring cells centred vertically lie half a line apart), with
    the page's usual height of margin (`usual`: its usual box's height) and PAD_EM ems on each
    side; [r] when no such blank crosses it. The detector, at full resolution too, takes texts of
    narrow columns a third of an em apart for one line: "电池容（1~300）±0.5%试系统"."""
    stretches = channel(dark, r, em, far=far)
    if not far and len(stretches) >= 2 and stretches[0][1] - stretches[0][0] <= LEAD_EM * em:
        stretches = [(stretches[0][0], stretches[1][1]), *stretches[2:]]  # a label's or a note's mark: 注：, （二）
    if len(stretches) < 2:
        return [r]
    x0, y0, x1, y1 = r
    h, w = dark.shape[:2]
    pad = max(2, int(PAD_EM * em))
    out = []
    for a, b in stretches:
        rows = dark[y0:y1, x0 + a:x0 + b].sum(axis=1) >= 2
        for q0, q1 in ink_runs(rows, 0.2 * em):
            if q1 - q0 < 0.5 * em:
                continue  # a sliver of the line above or below
            m = max(0, int((usual - (q1 - q0)) / 2))
            out.append((max(0, x0 + a - pad), max(0, y0 + q0 - m), min(w, x0 + b + pad), min(h, y0 + q1 + m)))
    return out if len(out) >= 2 else [r]


def ink(clean: Any, em: float) -> Any:
    """The page's ink (1 on 0) as ocr.binarize finds it, for text of `em` pixels: a light, thin
    stroke is ink too."""
    import cv2

    block = max(15, int(1.5 * em) | 1)
    return cv2.adaptiveThreshold(clean, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)


def channel(dark: Any, r: tuple[int, int, int, int], em: float, far: bool = False) -> list[tuple[int, int]]:
    """The stretches (first, last+1; pixels from the box's left edge) of the ink of box `r` that
    blanks of CHANNEL_EM ems or more set apart which stay blank REACH_EM ems above and below the
    box while a neighbouring line there has ink on both sides of them, within NEAR_EM ems (`dark`:
    the page's ink, 1 on 0; a speck or two of dust aside): the gap between two columns of a table,
    which the lines of the rows around it keep too. A blank inside a text (after a comma) has the
    lines above and below it across it; a heading's or a caption's blank has no neighbouring
    lines. The whole box when there is no such blank. `far` (a box over lines of cells centred
    vertically, set half a line apart): also a blank that stays FAR_EM ems above and below, as wide
    there only somewhere in it (`blank_run`: a blank between columns of centred texts is narrower
    above and below a row than in it), where a cell of one line beside cells of three has no line
    within REACH_EM."""
    import numpy as np

    x0, y0, x1, y1 = r
    h = y1 - y0
    cols = np.flatnonzero(dark[y0 + h // 5:y1 - h // 5, x0:x1].sum(axis=0) >= 1)
    near = int(NEAR_EM * em)

    def kept(a: int, b: int, reach: float, part: bool) -> bool:  # blank `reach` ems above and below, a line there beside it
        top, bottom = max(0, int(y0 - reach * em)), int(y1 + reach * em)
        left, right = slice(max(0, x0 + a - near), x0 + a + 1), slice(x0 + b, x0 + b + near)
        blank = dark[top:bottom, x0 + a + 2:x0 + b - 1]
        return bool((blank_run(blank) >= CHANNEL_EM * em - 3 if part else blank.sum() <= 2)
                    and any(band[:, left].any() and band[:, right].any() for band in (dark[top:y0], dark[y1:bottom])))

    runs: list[list[int]] = []
    for a, b in zip(cols, cols[1:], strict=False):
        if b - a - 1 >= CHANNEL_EM * em and (kept(a, b, REACH_EM, False) or far and (kept(a, b, REACH_EM, True)
                                                                            or kept(a, b, FAR_EM, True))):
            runs.append([int(b), int(b) + 1])
        elif runs:
            runs[-1][1] = int(b) + 1
        else:
            runs.append([int(a), int(b) + 1])
    return [(0, x1 - x0)] if len(runs) < 2 else [(a, b) for a, b in runs]


def blank_run(strip: Any) -> int:
    """The widest run of columns of `strip` (ink 1 on 0) that hold two pixels of ink or fewer in all
    (a speck or two of dust)."""
    best = start = 0
    ink = 0
    sums = strip.sum(axis=0) if strip.size else []
    for i, v in enumerate(sums):
        ink += int(v)
        while ink > 2 and start <= i:
            ink -= int(sums[start])
            start += 1
        best = max(best, i + 1 - start)
    return best


def covered(r: tuple[int, int, int, int], others: list[tuple[int, int, int, int]]) -> bool:
    """Does half of box `r` or more lie inside one of `others` (a text detected already)?"""
    area = max(1, (r[2] - r[0]) * (r[3] - r[1]))
    return any(max(0, min(r[2], o[2]) - max(r[0], o[0])) * max(0, min(r[3], o[3]) - max(r[1], o[1])) >= area / 2
               for o in others)


def split_at_gaps(clean: Any, rects: list[tuple[int, int, int, int]],
                  inside: Any) -> list[tuple[int, int, int, int]]:
    """Text boxes outside ruled tables cut where a blank stretch of at least GAP_EM ems crosses
    them: the detector takes two cells of a table without rules, a few ems apart, for one line.
    Each part keeps its ink's extent (the gap stays a gap for the ruleless-table finder); a box in
    a ruled table (`inside(rect)`) is left whole."""
    out = []
    for r in rects:
        x0, y0, x1, y1 = r
        crop = clean[y0:y1, x0:x1]
        line = None if inside(r) else line_ink(crop)
        if line is None:
            out.append(r)
            continue
        cols, em = line
        parts = ink_runs(cols, GAP_EM * em)
        if len(parts) == 1:
            out.append(r)
            continue
        pad = max(2, int(PAD_EM * em))
        out += [(max(x0, x0 + a - pad), y0, min(x1, x0 + b + pad), y1) for a, b in parts]
    return out


def drop_contained(rects: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """The boxes but those lying (CONTAINED of their area) inside a larger one: the end of a box cut
    at a gap that another box's text reaches into, which that box reads whole ("暂" of "暂无国":
    read twice, its cell's text doubled a character)."""
    def area(r: tuple[int, int, int, int]) -> int:
        return max(0, r[2] - r[0]) * max(0, r[3] - r[1])

    def inside(r: tuple[int, int, int, int], o: tuple[int, int, int, int]) -> bool:
        common = (max(r[0], o[0]), max(r[1], o[1]), min(r[2], o[2]), min(r[3], o[3]))
        return area(o) > area(r) and area(common) >= CONTAINED * area(r)

    return [r for r in rects if not any(inside(r, o) for o in rects if o is not r)]


def trim_overlaps(clean: Any, rects: list[tuple[int, int, int, int]],
                  inside: Any) -> list[tuple[int, int, int, int]]:
    """Boxes of one line outside ruled tables that overlap (a box detected again reaches into the
    next text: "2ps，k=家" beside "家计量", the 家 read twice) cut apart at the widest blank in
    the ink where they overlap, each keeping its side; left as they are where no blank is there."""
    out = list(rects)
    order = sorted(range(len(out)), key=lambda i: out[i][0])
    for n, i in enumerate(order):
        for j in order[n + 1:]:
            a, b = out[i], out[j]
            if b[0] >= a[2]:
                break
            if inside(a) or inside(b) or b[2] <= a[2] or min(a[3], b[3]) - max(a[1], b[1]) < 0.5 * min(a[3] - a[1], b[3] - b[1]):
                continue  # in a ruled table, one inside the other, or another line
            y0, y1 = max(a[1], b[1]), min(a[3], b[3])
            line = line_ink(clean[y0:y1, b[0]:a[2]])
            if line is None:
                continue
            cols = line[0]
            blanks = [(e - s, s, e) for s, e in _blank_runs(cols)]
            if not blanks:
                continue
            w, s, e = max(blanks)
            pad = min(w // 2, max(2, int(PAD_EM * line[1])))  # a little room each side, as split_at_gaps leaves
            out[i] = (a[0], a[1], b[0] + s + pad, a[3])
            out[j] = (b[0] + e - pad, b[1], b[2], b[3])
    return out


def leading_marks(clean: Any, rects: list[tuple[int, int, int, int]],
                  inside: Any) -> dict[int, tuple[int, int, int, int]]:
    """Boxes outside ruled tables widened on their left to take in a mark the detector left out just
    before them (index -> the widened box; `ocr.recognise` reads it and keeps it where it reads the
    box's own text after a mark): a comma or a stop that a producer without line-breaking rules
    wraps to the start of a line ("，相位±1°" of "阻抗±1%，相位±1°": reportlab; seed 190 at 200 dpi
    lost six). The mark is the only ink within MARK_REACH ems left of the box (an em: the box's
    ink's height), elsewhere than in another box, small (MARK_EM ems wide and high at most), low on
    the line (its top below the box's middle) and MARK_CLEAR ems or more after any ink before it (a
    text ending in a comma that the detector left out between two boxes of one line keeps it).
    Boxes lower than the page's usual ones (a lone digit's) are left as they are."""
    import cv2
    import numpy as np

    heights = sorted(r[3] - r[1] for r in rects)
    usual = heights[len(heights) // 2] if heights else 0
    out: dict[int, tuple[int, int, int, int]] = {}
    for i, r in enumerate(rects):
        x0, y0, x1, y1 = r
        line = None if inside(r) or y1 - y0 < 0.8 * usual else line_ink(clean[y0:y1, x0:x1])
        if line is None:
            continue
        em = line[1]
        lo = max(0, x0 - int(MARK_REACH * em))
        strip = clean[y0:y1, lo:x0].copy()
        if strip.size == 0:
            continue
        for o in rects:  # the ink of other boxes is theirs
            if o is not r and o[0] < x0 and o[2] > lo and o[1] < y1 and o[3] > y0:
                strip[max(0, o[1] - y0):max(0, o[3] - y0), max(0, o[0] - lo):max(0, o[2] - lo)] = 255
        _, dark = cv2.threshold(strip, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
        n, _, st, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
        blobs = [tuple(int(v) for v in st[k]) for k in range(1, n) if st[k][4] >= 3]
        if strip.min() > 160 or len(blobs) != 1:  # (paper alone: Otsu's threshold splits its grain)
            continue
        bx, by, bw, bh, area = blobs[0]
        before = clean[y0:y1, max(0, lo + bx - int(MARK_CLEAR * em)):lo + bx]
        if (bx > 0 and bw <= MARK_EM * em and bh <= MARK_EM * em and area >= 0.02 * em * em
                and by >= 0.5 * (y1 - y0) and not np.any(before < 128)):
            out[i] = (max(0, lo + bx - max(2, int(0.15 * em))), y0, x1, y1)
    return out


def trailing_marks(clean: Any, rects: list[tuple[int, int, int, int]], inside: Any) -> dict[int, int]:
    """Boxes outside ruled tables whose ink ends with what looks like a mark (index -> how many
    blank columns to read them with after it): an enumeration comma ending a text inside the box,
    which the recogniser drops at the crop's edge ("频率、时间间隔" boxed as 频率、 and 时间间隔 and read
    频率; "流量示值误差、" where a cell's line wraps after it: seeds 628 and 668 at 200 dpi).
    `ocr.recognise` reads such a box again with blank paper after it, and keeps the reading where it
    is the box's own text and then a mark. The box's last run of ink after a blank is small (MARK_EM
    ems wide at most, an em: the height of the ink before it), low (its top in the lowest 40% of that
    ink), ends within a quarter em below it and short of the box's foot (not the top of the next
    line's first glyph reaching into a box: seed 28, "…°℃" read "…°℃，"). Boxes lower than the page's
    usual ones (a lone digit's) are left as they are."""
    import cv2
    import numpy as np

    heights = sorted(r[3] - r[1] for r in rects)
    usual = heights[len(heights) // 2] if heights else 0
    out: dict[int, int] = {}
    for i, (x0, y0, x1, y1) in enumerate(rects):
        crop = clean[y0:y1, x0:x1]
        if inside(rects[i]) or y1 - y0 < 0.8 * usual or crop.size == 0:
            continue
        _, dark = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
        cols = np.flatnonzero(dark.sum(axis=0) >= 1)
        breaks = np.flatnonzero(np.diff(cols) > 1)
        if breaks.size == 0:
            continue
        first = cols[breaks[-1] + 1]  # the last run of ink's first column
        text = np.flatnonzero(dark[:, :first].sum(axis=1) >= 2)  # the text's ink before it
        inked = np.flatnonzero(dark[:, first:cols[-1] + 1].sum(axis=1) >= 1)
        if text.size == 0 or inked.size == 0:
            continue
        top, bottom = text[0], text[-1]
        em = float(bottom - top + 1)
        if (cols[-1] + 1 - first <= MARK_EM * em and inked[0] >= top + 0.6 * em
                and inked[-1] <= bottom + 0.25 * em and inked[-1] < crop.shape[0] - 1):
            out[i] = max(2, int(0.5 * em))
    return out


def _blank_runs(cols: Any) -> list[tuple[int, int]]:
    """The stretches (first, last+1) of False in `cols`, two columns wide or more."""
    runs, start = [], None
    for k, inked in enumerate([*map(bool, cols), True]):
        if not inked and start is None:
            start = k
        elif inked and start is not None:
            if k - start >= 2:
                runs.append((start, k))
            start = None
    return runs


def line_ink(crop: Any) -> tuple[Any, float] | None:
    """A text line's ink (grey `crop`, Otsu's threshold): which of its columns hold two pixels of ink
    or more, and the ink's height (about an em); None when it holds none."""
    import cv2
    import numpy as np

    if crop.size == 0:
        return None
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    rows = np.flatnonzero(ink.sum(axis=1) >= 2)
    cols = ink.sum(axis=0) >= 2
    if rows.size == 0 or not cols.any():
        return None
    return cols, max(4.0, float(rows[-1] - rows[0] + 1))


def blanks(crop: Any, text: str, at: list[float]) -> list[tuple[int, int, int]]:
    """Where a recognised line's ink (grey `crop`) has a blank of BLANK_EM ems or more between two of
    its characters (`text`, each read at `at`: crop pixels, to a time step of the recogniser, about
    a third of an em): (index of the character after the blank, the blank's first column, its last
    + 1); a blank as wide before the first character is one too (index 0: the box was drawn loose;
    a box of one character too, "是" boxed from where the text before it ends, when its blank on the
    left is wider than the one on its right by as much: seed 284 at 200 dpi).
    The recogniser reads no space between CJK texts: two cells' texts 4 pt apart, read as one line
    ("研发、生产否"), are told apart by the blank between them. The character after
    a blank is the one read nearest its end (within SNAP_EM ems; none that is a space or follows
    one: the recogniser said so already); beside a full-width sign the blank must be SIGN_BLANK_EM
    ems wide (the sign's glyph leaves half its em blank)."""
    line = line_ink(crop) if len(at) == len(text) >= 1 else None
    if line is None:
        return []
    cols, ink = line
    em = min(ink, crop.shape[0] / 1.3)  # (an underscore or a bracket reaches below the line: its ink is higher than an em)
    runs = ink_runs(cols, BLANK_EM * em)
    # a box drawn loose on its left (the detector took in the blank before the text): the first
    # character where the ink starts, not at the box's edge
    if len(text) == 1:  # (a lone digit's box has margins as wide on both sides: loose on its left only)
        lead = runs[0][0] - (len(cols) - runs[-1][1])
        return [(0, 0, runs[0][0])] if lead >= BLANK_EM * crop.shape[0] / 1.3 else []
    out: list[tuple[int, int, int]] = [(0, 0, runs[0][0])] if runs[0][0] >= BLANK_EM * em else []
    for (_, a), (b, _) in zip(runs, runs[1:], strict=False):
        i = min(range(1, len(text)), key=lambda j: abs(at[j] - b))
        if abs(at[i] - b) > SNAP_EM * em or " " in text[i - 1:i + 1] or (out and out[-1][0] >= i):
            continue
        if (_sign(text[i - 1]) and not _latin_bracket(text, i - 1)
                or _sign(text[i]) and not _latin_bracket(text, i)) and b - a < SIGN_BLANK_EM * em:
            continue
        out.append((i, a, b))
    return out


def run_inks(crop: Any, text: str, at: list[float], gaps: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The runs of a line's characters (`text`, each read at `at`, crop pixels) between the blanks
    in its ink (grey `crop`): those `blanks` found, and those where the recogniser read a space (the
    blank in the ink nearest the character after it, within SNAP_EM ems). Each run: (index of its
    first character, the first and last + 1 row of its ink); [] with no such blank (one run: the
    box's own height says where it is) or no ink in a run."""
    import cv2

    line = line_ink(crop) if len(at) == len(text) >= 2 else None
    if line is None:
        return []
    cols, ink_height = line
    # an em: the usual step between two CJK characters read (set solid); the ink's height is two
    # lines' where the box holds texts at two heights
    steps = sorted(at[j + 1] - at[j] for j in range(len(text) - 1) if _wide(text[j]) and _wide(text[j + 1]))
    em = steps[len(steps) // 2] if len(steps) >= 2 else min(ink_height, crop.shape[0] / 1.3)
    runs = ink_runs(cols, BLANK_EM * em)
    open_ = [(b, c) for (_, b), (c, _) in zip(runs, runs[1:], strict=False)]
    cuts = {i: (a, b) for i, a, b in gaps if i > 0}
    for j in range(1, len(text) - 1):
        if text[j] == " " and text[j + 1] != " " and open_ and j + 1 not in cuts:
            a, b = min(open_, key=lambda blank: abs(blank[1] - at[j + 1]))
            if abs(b - at[j + 1]) <= SNAP_EM * em:
                cuts[j + 1] = (a, b)
    if not cuts:
        return []
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    order = sorted(cuts)
    starts = [(0, 0)] + [(i, cuts[i][1]) for i in order]
    ends = [cuts[i][0] for i in order] + [crop.shape[1]]
    out = []
    for (i, x0), x1 in zip(starts, ends, strict=True):
        profile = ink[:, x0:max(x1, x0 + 1)].sum(axis=1)
        bands = ink_runs(profile >= 2, 2)  # (the top of the next line's ink may reach into the box)
        if not bands:
            return []
        top, bottom = max(bands, key=lambda band: int(profile[band[0]:band[1]].sum()))
        out.append((i, top, bottom))
    return out


def _wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in "WF" and unicodedata.category(ch)[0] != "P"


def _latin_bracket(text: str, i: int) -> bool:
    """Is character i a bracket read full-width that opens or closes Latin text ("（10~300)": a
    range's bracket is written half-width, its glyph narrow, no blank half in its em)? A blank
    beside it is a blank between texts as beside a letter (seed 772 at 200 dpi: "电池包容量" and
    "(10~300) Ah" of two cells 6 pt apart, 量 put in the next column)."""
    if text[i] in "（(":
        return i + 1 < len(text) and text[i + 1].isascii() and text[i + 1].isalnum()
    if text[i] in "）)":
        return i > 0 and text[i - 1].isascii() and text[i - 1].isalnum()
    return False


def _sign(ch: str) -> bool:
    """A full-width sign (、，：（）《》“”): its glyph fills part of its em, the rest is blank."""
    import unicodedata

    return unicodedata.east_asian_width(ch) in "WFA" and unicodedata.category(ch)[0] == "P"


def lone_ink(clean: Any, rects: list[tuple[int, int, int, int]],
             inside: Any) -> list[tuple[int, int, int, int]]:
    """Boxes around short texts outside ruled tables that the detector missed beside a detected
    line (the 序号 of a table without rules: "4", "12"): ink of one to three characters' size,
    beside no detected box, whose middle lies within the height of a detected box of its line."""
    import cv2
    import numpy as np

    if not rects:
        return []
    heights = sorted(r[3] - r[1] for r in rects)
    em = max(8.0, heights[len(heights) // 2] / 1.3)  # a detected box is about 1.3 ems high
    block = max(15, int(1.5 * em) | 1)  # as ocr.binarize: a light, thin digit is ink too
    dark = cv2.adaptiveThreshold(clean, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)
    pad = max(2, int(0.3 * em))
    for x0, y0, x1, y1 in rects:  # what was found is not looked at again
        dark[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad] = 0
    joined = cv2.dilate(dark, np.ones((1, max(3, int(0.3 * em))), np.uint8))  # the digits of a number
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out = []
    for x, y, w, h, area in stats[1:n]:
        if not (0.4 * em <= h <= 1.3 * em and 0.2 * em <= w <= 3 * em and area >= 0.1 * em * em):
            continue
        mid = y + h / 2
        if not any(r[1] <= mid <= r[3] for r in rects):
            continue  # on no line of text: a mark, a speckle, a figure's part
        p = max(3, int(0.2 * em))
        box = (max(0, int(x) - p), max(0, int(y) - p), int(x + w) + p, int(y + h) + p)
        if not inside(box):
            out.append(box)
    return out


def missed_lines(clean: Any, rects: list[tuple[int, int, int, int]], inside: Any,
                 detect: Any) -> list[tuple[int, int, int, int]]:
    """Boxes around lines of text outside ruled tables that the detector missed on the reduced page
    (a row's two cells, "集成电路测试系统校准装置 时序测量不确定度优于30 ps", found by no box:
    seed 134 at 200 dpi lost three cells): ink outside every box found, in a run of text height
    (MISSED_EM ems wide or more: speckles and a lone mark are no line), detected again at full
    resolution (`detect`, on the run's image with a margin of paper; MAX_MISSED runs at most), each
    box found kept where no box found before holds half of it."""
    import cv2
    import numpy as np

    if not rects:
        return []
    heights = sorted(r[3] - r[1] for r in rects)
    usual = heights[len(heights) // 2]
    em = max(8.0, usual / 1.3)  # a detected box is about 1.3 ems high
    block = max(15, int(1.5 * em) | 1)
    dark = cv2.adaptiveThreshold(clean, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)
    pad = max(2, int(0.3 * em))
    for x0, y0, x1, y1 in rects:  # what was found is not looked at again
        dark[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad] = 0
    joined = cv2.dilate(dark, np.ones((1, max(3, int(0.6 * em))), np.uint8))  # a line's characters, one run
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    h_img, w_img = clean.shape
    out: list[tuple[int, int, int, int]] = []
    runs = [(x, y, w, h) for x, y, w, h, area in stats[1:n]
            if 0.5 * em <= h <= 1.6 * em and w >= MISSED_EM * em and area >= 0.3 * w * h]
    for x, y, w, h in runs[:MAX_MISSED]:
        mx, my = int(em), int(0.5 * em)
        cx0, cy0 = max(0, int(x) - mx), max(0, int(y) - my)
        cx1, cy1 = min(w_img, int(x + w) + mx), min(h_img, int(y + h) + my)
        if inside((cx0, cy0, cx1, cy1)):
            continue
        for a, b, c, d in detect(np.ascontiguousarray(clean[cy0:cy1, cx0:cx1])):
            m = max(0, int((usual - (d - b)) / 2))  # the page's margin around a text (a full-resolution box is tighter)
            box = (cx0 + a, max(0, cy0 + b - m), cx0 + c, min(h_img, cy0 + d + m))
            if c - a >= 4 and d - b >= 4 and share_inside(box, rects + out) < 0.5:
                out.append(box)
    return out


def ink_runs(cols: Any, gap: float) -> list[tuple[int, int]]:
    """The stretches (first, last+1) of True in `cols` that blanks of `gap` or more set apart."""
    import numpy as np

    runs: list[list[int]] = []
    for i in map(int, np.flatnonzero(cols)):
        if runs and i - runs[-1][1] < gap:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    return [(a, b) for a, b in runs]


def level(line: Any) -> Any:
    """An OCR'd line (pdf_reader.Line) whose texts that lie within JITTER of its usual middle share
    one top and bottom, those of the texts of its usual size: the detector's boxes of
    one line's texts lie a pixel or two apart, and the ruleless finder reads a text a little higher
    than the key column's entry as the row above's. A text centred between two lines of its
    neighbours (a 序号 in a row of two lines) lies further off and keeps its place."""
    from statistics import median

    from imtc.extract.pdf_reader import Line

    chars = [dict(c) for c in line.chars]
    same = [c for c in chars if c["size"] == line.size]
    if not same:
        return line
    top, bottom = median(c["top"] for c in same), median(c["bottom"] for c in same)
    middle = (top + bottom) / 2
    for c in chars:  # a short text's box (a lone "2") is lower than the line's: on its middle, it is of the line
        if abs((c["top"] + c["bottom"]) / 2 - middle) <= JITTER * line.size:
            c["top"], c["bottom"] = top, bottom
    return Line(chars, line.page, space_after=line.space_after, space_before=line.space_before, spaces=line.spaces)


def attach_label(line: Any) -> Any:
    """An OCR'd line (pdf_reader.Line) whose first box is only a heading's label or a note's (（二）,
    一、, 注：) with the rest of the line boxed apart less than LABEL_EM ems further on: the label's
    characters spread up to the rest, as a text layer sets them (the detector boxes ink, and a
    full-width bracket's or colon's ink leaves half its width blank), so that the line is one text
    and ends a table without rules above it."""
    from imtc.extract.pdf_reader import Line
    from imtc.extract.text import NOTE_RE, parse_label

    boxes: dict[int, list[dict[str, Any]]] = {}
    for c in line.chars:
        boxes.setdefault(c.get("box", -1), []).append(c)
    if len(boxes) < 2:
        return line
    first, rest = sorted(boxes.values(), key=lambda b: b[0]["x0"])[:2]
    text = "".join(c["text"] for c in first).strip()
    if not (parse_label(text).level in (1, 2) and not parse_label(text).title or NOTE_RE.fullmatch(text)):
        return line
    x0, x1, nxt = first[0]["x0"], first[-1]["x1"], rest[0]["x0"]
    if not 0 < nxt - x1 <= LABEL_EM * line.size:
        return line
    k = (nxt - x0) / max(1e-6, x1 - x0)
    chars = [dict(c) for c in line.chars]
    ids = {id(c) for c in first}
    for c, old in zip(chars, line.chars, strict=True):
        if id(old) in ids:
            c["x0"], c["x1"] = x0 + (old["x0"] - x0) * k, x0 + (old["x1"] - x0) * k
    return Line(chars, line.page, space_after=line.space_after, space_before=line.space_before, spaces=line.spaces)


def join_note(line: Any) -> Any:
    """An OCR'd line (pdf_reader.Line) that is a note under a table (注：…) as one text: each blank
    between its characters up to LABEL_EM ems wide closed (a full-width comma's or quote's ink
    leaves half its width blank, the recogniser's time steps jitter, and the detector may box the
    line in parts; a text layer sets the characters solid), so that it ends a table without rules
    above it as a text PDF's note does, and is not taken for the cells of a row."""
    from imtc.extract.pdf_reader import Line
    from imtc.extract.text import NOTE_RE

    if not NOTE_RE.match(line.text.strip()):
        return line
    chars = [dict(c) for c in line.chars]
    for a, b in zip(chars, chars[1:], strict=False):
        if 0 < b["x0"] - a["x1"] <= LABEL_EM * line.size:
            a["x1"] = b["x0"]
    return Line(chars, line.page, space_after=line.space_after, space_before=line.space_before, spaces=line.spaces)


def ruleless_on_scans(pages: list[Any], vocabulary: HeaderVocabulary) -> list[Cell]:
    """The tables drawn without rules among the free lines of OCR'd pages (pdf_reader.Page), as
    the reader finds them in a text PDF (their lines levelled first, a label attached to its title,
    a note made one text); their cells' text normalised as a ruled cell's. Returns the cells whose
    column is in doubt (`straddling`: the finding ocr-column-unsure), their `crossing` (the text
    PDFs' column-uncertain) emptied: one finding a cell."""
    from imtc.extract.ocr import normalise
    from imtc.extract.pdf_reader import add_ruleless

    before = {id(p): len(p.tables) for p in pages}
    for p in pages:
        p.lines = [join_note(attach_label(level(ln))) for ln in p.lines]
    add_ruleless(pages, vocabulary)
    out = []
    for p in pages:
        for tb in p.tables[before[id(p)]:]:
            for cell in tb.cells():
                cell.text = normalise(cell.text, cell=True)
            doubtful = straddling(tb)
            for cell in doubtful:  # named once, by OCR's finding: not also as a text PDF's text over a column boundary
                cell.crossing = []
            out += doubtful
    return out


def straddling(tb: TableBlock, tol: float = 2.0) -> list[Cell]:
    """The data cells of a table without rules whose text reaches more than `tol` points past where
    the next column's texts start, that column being empty in the row: one recognised line over
    two cells that the finder could not cut (texts closer than the recogniser's time steps tell apart), kept
    whole in its first column (a text merely wider than its column leaves its neighbour's text). A 合计 row's
    label may span columns."""
    from imtc.extract.pdf_stream import TOTALS

    data = tb.grid[tb.header_rows:]
    starts: dict[int, float] = {}
    for row in data:
        for c in row:
            if c is not None and c.colspan == 1 and c.bbox is not None and c.text.strip():
                starts[c.col] = min(starts.get(c.col, c.bbox[0]), c.bbox[0])
    out: list[Cell] = []
    for row in data:
        for c in row:
            if (c is None or c in out or c.colspan != 1 or c.bbox is None or c.col + 1 not in starts
                    or c.text.strip().startswith(TOTALS)):
                continue
            right = row[c.col + 1] if c.col + 1 < len(row) else None
            if c.bbox[2] > starts[c.col + 1] + tol and (right is None or not right.text.strip()):
                out.append(c)
    return out


def record_orientation(doc: Document, number: int, orientation: Orientation | None) -> None:
    """What the document keeps of page `number`'s orientation: the turn, or that it was not decided."""
    if orientation is None:
        return
    if orientation.turn:
        doc.ocr_turned[number] = orientation.turn
    if not orientation.decided:
        doc.ocr_unsure_pages.append(number)


def layout_findings(doc: Document) -> list[Finding]:
    """The pages turned to be read (info), those whose orientation could not be decided (warning),
    and the cells of tables without rules whose column is in doubt (warning, at most MAX_STRADDLING)."""
    from imtc import findings as F
    from imtc.extract.ocr_findings import page_list

    out = []
    if doc.ocr_turned:
        out.append(F.OCR_PAGES_TURNED(pages=page_list(sorted(doc.ocr_turned))))
    if doc.ocr_unsure_pages:
        out.append(F.OCR_ORIENTATION_UNSURE(Location(page=doc.ocr_unsure_pages[0]),
                                            pages=page_list(doc.ocr_unsure_pages)))
    tables = {id(c): tb for tb in doc.tables() for c in tb.cells()}
    for cell in doc.ocr_straddling[:MAX_STRADDLING]:
        tb = tables.get(id(cell))
        if tb is None:
            continue
        page = tb.row_pages[cell.row] if cell.row < len(tb.row_pages) else tb.page
        text = " ".join(cell.text.split())
        out.append(F.OCR_COLUMN_UNSURE(Location(page=page, table=tb.index, blocks=[cell.id]), page=page,
                                       table=tb.index + 1, row=cell.row + 1, col=cell.col + 1,
                                       text=text if len(text) <= 40 else text[:39] + "…"))
    return out
