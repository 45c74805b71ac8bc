"""Scanned PDF pages (no text layer) -> the reader's lines and ruled tables, by OCR, offline.

The PDF reader hands over the pages that have no text layer (`read_scans`); everything else of
the document stays as the text layer gives it. Per page:

- Image: pypdfium2 renders the page in grey at `DPI` (fewer pixels for an outsized page).
- Orientation: a page fed sideways or upside down is turned upright first (imtc/extract/ocr_layout.py).
- Deskew: the angle whose horizontal projection profile is sharpest (text lines and table rules
  both make it so), searched over ±`MAX_SKEW`°; the image is turned back by it.
- Ruled tables: adaptive threshold; morphological opening with long horizontal and vertical
  kernels keeps the rules and drops text and speckle; the rules' positions within each connected
  group of rules are the grid. A grid edge that has no ink along it is a missing inner line, so the
  elementary cells on both sides are one merged cell. Where most vertical rules run on past the
  last (or first) horizontal rule, a page break cut the row open: it is a row down (up) to where
  they end. The cell boxes go to the reader's own
  `build_grid`, so a scanned table is the same `TableBlock` as a text PDF's (merged cells, the
  two-level headers) and tables.py reads it the same way.
- Text: RapidOCR (rapidocr-onnxruntime: PP-OCRv4 detection and recognition models shipped inside
  the package; nothing is downloaded). Detection runs on a reduced copy (`DET_SIDE`), the rules
  erased; each text box is clipped to the table cell its centre falls in, then recognised from the
  full-resolution image. A cell no text box reached but with ink (adaptive threshold: a thin "/" is
  lighter than mid-grey) is recognised from a box around its ink; a lone stroke leaning right there
  is "/". A line read without the "_" that its image shows under it (U_rel) gets it back. The text
  is then put right: the recogniser's habits (℃, Ω, ±, O for 0, bracket widths) and the tables'
  vocabulary (imtc/extract/ocr_vocabulary.toml: code prefixes, whole-cell words, terms): `normalise`.
  Each recognised line becomes characters with estimated boxes in PDF points (outside ruled
  tables, each where the recogniser's CTC time steps read it, so that two cells' texts read as one
  line keep the gap between them), carrying the line's confidence, and from there the reader's flow takes over (outside ruled
  tables, a box too high for one line or crossed by a blank between columns is first detected again
  at full resolution, a detected line is cut at a cell-wide blank, and a short text beside a line that the
  detector missed is read: tables without rules, imtc/extract/ocr_layout.py): characters in a
  cell are the cell's text, the others become lines, then paragraphs. Each cell keeps its least
  confident character's confidence, each paragraph its mean, each page its mean (`Document.ocr_*`):
  the findings about them are the template layer's (imtc/extract/ocr_findings.py), which knows where
  each cell went.

Nothing here is imported unless a PDF has a page without text: cv2, numpy, onnxruntime and
rapidocr are imported inside the functions. The engine is made once per process, lazily (in
`imtc check`, inside each worker), with one onnxruntime thread in a worker process so that N
workers use N cores.
"""

from __future__ import annotations

import functools
import logging
import math
import multiprocessing
import os
import re
import statistics
import tomllib
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from imtc.extract.blocks import Document, HeaderVocabulary, Paragraph
from imtc.extract.text import parse_label

DPI = 200  # page images for recognition (measured: bench/bench_ocr.py, tests/test_ocr.py)
MAX_PIXELS = 12_000_000  # a page image larger than this is rendered at a lower resolution
DET_SIDE = 1200  # longest side of the image that text detection sees (1000 lost cells: bench_ocr.py)
REC_HEIGHT = 48  # text lines are recognised at the model's own height (at 40 or 32 px, 60-85% of the CPU,
# prose lost Latin words and quotes and with them papers and projects: measured with bench_ocr.py)
MAX_SKEW = 3.0  # degrees
MAX_OCR_PAGES = 200  # pages beyond this many scanned ones are left unread (named as without text)
MIN_CONFIDENCE = 0.5  # recognitions below this are dropped as noise outside tables
TALL_BOX = 1.2  # a box this many times the usual size or more holds texts at more than one height
WIDEST_LATIN = 0.8  # em: a Latin letter or digit placed by the recogniser is at most this wide (W, M)
MIN_CELL_CONFIDENCE = 0.2  # in a table cell they are kept (and named in a low-confidence finding)


RECOGNISED = {"pages": 0}  # pages this process has run recognition on (tests prove a file is OCR'd once)
log = logging.getLogger(__name__)


# --- the engine ---------------------------------------------------------------------------------

_engine: Any = None
_engine_pid: int | None = None
_inherited: list[Any] = []


def threads() -> int:
    """Threads for onnxruntime and OpenCV: 1. `imtc check` runs a worker process per core, each with
    one thread, so N workers use N cores. One thread also means no thread pools, which a process
    forked later (a batch started after an in-process read, as the tests do) would inherit locked:
    with pools, such a worker hung on 2 runs in 6 here. IMTC_OCR_THREADS raises it for a process that
    reads one file and forks no workers afterwards."""
    env = os.environ.get("IMTC_OCR_THREADS")
    if env and env.isdigit() and int(env) > 0 and multiprocessing.parent_process() is None:
        return int(env)
    return 1


def engine() -> Any:
    """The RapidOCR engine of this process, made on first use (a forked worker makes its own)."""
    global _engine, _engine_pid
    if _engine is None or _engine_pid != os.getpid():
        import cv2
        from rapidocr_onnxruntime import RapidOCR

        if _engine is not None:  # the parent's, forked: its thread pools are not in this process, and
            _inherited.append(_engine)  # destroying it would wait for them forever; keep it untouched
        n = threads()
        cv2.setNumThreads(n)
        _engine = RapidOCR(intra_op_num_threads=n, inter_op_num_threads=1, rec_img_shape=[3, 48, 96])
        _engine.text_det.infer.session = _session(n, "ch_PP-OCRv4_det_infer.onnx")
        _engine.text_rec.session.session = _session(n, "ch_PP-OCRv4_rec_infer.onnx")
        _engine_pid = os.getpid()
    return _engine


def _session(n: int, name: str) -> Any:
    """An onnxruntime session of RapidOCR's model `name` rewritten to the same arithmetic in fewer steps
    (imtc/extract/ocr_model.py: a third less CPU), with `n` threads."""
    import onnxruntime as ort
    import rapidocr_onnxruntime

    from imtc.extract.ocr_model import fused

    opts = ort.SessionOptions()
    opts.log_severity_level = 4
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.intra_op_num_threads, opts.inter_op_num_threads = n, 1
    model = fused(Path(rapidocr_onnxruntime.__file__).parent / "models" / name)
    return ort.InferenceSession(model if isinstance(model, bytes) else str(model), opts,
                                providers=["CPUExecutionProvider"])


def available() -> bool:
    try:
        import cv2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


# --- image geometry -------------------------------------------------------------------------------


def binarize(grey: Any, dpi: float) -> Any:
    """Ink as 255 on 0, tolerant of uneven paper: an adaptive threshold over ~1/6 inch."""
    import cv2

    block = max(15, int(dpi / 6) | 1)
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)


def skew_angle(binary: Any) -> float:
    """The turn in degrees (counter-clockwise positive) that levels the page: the one whose row
    profile is sharpest. A page tilted by +0.8° gives -0.8."""
    import cv2
    import numpy as np

    h, w = binary.shape
    f = min(1.0, 800 / max(h, w))
    small = cv2.resize(binary, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    sh, sw = small.shape
    centre = (sw / 2, sh / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(small, m, (sw, sh), flags=cv2.INTER_LINEAR, borderValue=0)
        profile = turned.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.25), key=sharpness)
    fine = max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05), key=sharpness)
    return float(round(fine, 2))


def rotate(image: Any, angle: float, fill: int) -> Any:
    import cv2

    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)


@dataclass
class Grid:
    """A ruled table found in a page image, in pixels."""

    bbox: tuple[int, int, int, int]  # x0, y0, x1, y1
    xs: list[int]  # vertical rules, left to right
    ys: list[int]  # horizontal rules, top to bottom
    cells: list[tuple[int, int, int, int]]  # merged cells resolved: (x0, y0, x1, y1)


def _positions(profile: Any, min_count: float, offset: int) -> list[int]:
    """Centres of the runs of profile entries >= min_count (a rule is a few pixels thick)."""
    out: list[int] = []
    run: list[int] = []
    for i, v in enumerate(profile):
        if v >= min_count:
            if run and i - run[-1] > 2:
                out.append(offset + (run[0] + run[-1]) // 2)
                run = []
            run.append(i)
    if run:
        out.append(offset + (run[0] + run[-1]) // 2)
    return out


def _dedupe(pos: list[int], tol: int) -> list[int]:
    out: list[int] = []
    for p in pos:
        if out and p - out[-1] <= tol:
            out[-1] = (out[-1] + p) // 2
        else:
            out.append(p)
    return out


def rule_masks(binary: Any, dpi: float) -> tuple[Any, Any]:
    """Horizontal and vertical rules: what survives an opening with a long thin kernel."""
    import cv2

    thick = cv2.dilate(binary, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))  # a rule a pixel off still counts
    hk = max(20, int(dpi * 0.5))
    horiz = cv2.morphologyEx(thick, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hk, 1)))
    thick = cv2.dilate(binary, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    vk = max(12, int(dpi * 0.2))
    vert = cv2.morphologyEx(thick, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vk)))
    return horiz, vert


def find_grids(binary: Any, dpi: float) -> list[Grid]:
    """Ruled tables in a deskewed binary page image (ink = 255)."""
    import cv2
    import numpy as np

    horiz, vert = rule_masks(binary, dpi)
    hk, vk = max(20, int(dpi * 0.5)), max(12, int(dpi * 0.2))
    joined = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    grids = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if w < 2 * hk or h < vk:
            continue
        x0, y0, x1, y1 = int(x), int(y), int(x + w), int(y + h)
        ys = _dedupe(_positions(horiz[y0:y1, x0:x1].sum(axis=1) / 255, hk * 0.8, y0), 4)
        xs = _dedupe(_positions(vert[y0:y1, x0:x1].sum(axis=0) / 255, vk * 0.8, x0), 4)
        # a table's frame: rules across most of its width and height (big bold text makes short runs)
        ys = [y for y in ys if horiz[max(0, y - 2):y + 3, x0:x1].max(axis=0).sum() / 255 >= 0.15 * w]
        xs = [x for x in xs if vert[y0:y1, max(0, x - 2):x + 3].max(axis=1).sum() / 255 >= 0.15 * h]
        long_h = sum(1 for y in ys if horiz[max(0, y - 2):y + 3, x0:x1].max(axis=0).sum() / 255 >= 0.6 * w)
        long_v = sum(1 for x in xs if vert[y0:y1, max(0, x - 2):x + 3].max(axis=1).sum() / 255 >= 0.6 * h)
        if len(xs) < 2 or len(ys) < 2 or long_h < 2 or long_v < 2:
            continue
        ys = _open_ends(vert[y0:y1, x0:x1], [x - x0 for x in xs], [y - y0 for y in ys], dpi, y0)
        grids.append(Grid((x0, y0, x1, y1), xs, ys, merged_cells(binary, xs, ys)))
    grids.sort(key=lambda g: g.bbox[1])
    return grids


def _open_ends(vert: Any, xs: list[int], ys: list[int], dpi: float, offset: int) -> list[int]:
    """The rows `ys` (relative to `vert`, the vertical rules of one table) with a row added where most
    vertical rules run on past the first or last horizontal rule by more than a tenth of an inch:
    a row that a page break cut open (its bottom or top rule is on the next or previous page)."""
    import numpy as np

    ends = []
    for x in xs:
        rows = np.flatnonzero(vert[:, max(0, x - 2):x + 3].max(axis=1))
        if rows.size:
            ends.append((int(rows[0]), int(rows[-1])))
    gap = dpi / 10
    out = [y + offset for y in ys]
    if len(ends) < 2:
        return out
    tops = sorted(t for t, _ in ends)
    bottoms = sorted(b for _, b in ends)
    top, bottom = tops[len(tops) // 2], bottoms[(len(bottoms) - 1) // 2]  # what most rules reach
    if ys[0] - top > gap:
        out.insert(0, top + offset)
    if bottom - ys[-1] > gap:
        out.append(bottom + offset)
    return out


def _inked(segment: Any, axis: int) -> bool:
    """Does a thin strip along a grid edge carry a rule from end to end? (Text inside a merged cell
    may cross where the rule would be, but it keeps clear of the rules above and below it.) A rule
    the scan left faint for a few pixels (up to 8, where all the rest is inked) still counts: a line
    of text leaves gaps between its characters all along."""
    if segment.size == 0:
        return False
    inked = segment.max(axis=axis) > 0
    share = float(inked.mean())
    if share < 0.9:
        return False
    gap = longest = 0
    for v in inked:
        gap = 0 if v else gap + 1
        longest = max(longest, gap)
    return longest <= 3 or (longest <= 8 and share >= 0.95)


def merged_cells(binary: Any, xs: list[int], ys: list[int]) -> list[tuple[int, int, int, int]]:
    """The cells of a grid: elementary cells joined wherever the rule between them is missing."""
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    import cv2

    vclosed = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    hclosed = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    t, m = 2, 1  # half the strip's width; left out at each end
    for r in range(rows):
        y0, y1 = ys[r], ys[r + 1]
        for c in range(cols - 1):
            x = xs[c + 1]
            if not _inked(vclosed[y0 + m:y1 - m, max(0, x - t):x + t + 1], axis=1):
                union(r * cols + c, r * cols + c + 1)
    for c in range(cols):
        x0, x1 = xs[c], xs[c + 1]
        for r in range(rows - 1):
            y = ys[r + 1]
            if not _inked(hclosed[max(0, y - t):y + t + 1, x0 + m:x1 - m], axis=0):
                union(r * cols + c, (r + 1) * cols + c)
    groups: dict[int, list[int]] = {}
    for i in range(rows * cols):
        groups.setdefault(find(i), []).append(i)
    cells = []
    for members in groups.values():
        r0 = min(i // cols for i in members)
        r1 = max(i // cols for i in members) + 1
        c0 = min(i % cols for i in members)
        c1 = max(i % cols for i in members) + 1
        cells.append((xs[c0], ys[r0], xs[c1], ys[r1]))
    return sorted(set(cells), key=lambda b: (b[1], b[0]))


# --- recognition -----------------------------------------------------------------------------------


@dataclass
class TextBox:
    x0: float  # pixels of the deskewed page image
    y0: float
    x1: float
    y1: float
    text: str
    score: float
    starts: tuple[float, ...] | None = None  # each character's left edge, page pixels (None: spread by width)
    # blanks in its ink between two characters (ocr_layout.blanks): (index of the character after the
    # blank, the blank's left and right edge in page pixels); only with `starts`
    blanks: tuple[tuple[int, float, float], ...] = ()
    # each run of characters between those blanks: (index of its first character, its ink's top and
    # bottom in page pixels); only with blanks
    inks: tuple[tuple[int, float, float], ...] = ()


Rect = tuple[float, float, float, float]


def _pieces(box: Rect, grids: list[Grid]) -> list[tuple[Any, Rect]]:
    """A detected text box, cut along the table rules it crosses: one piece per cell it covers,
    each with the cell it lies in (None outside tables)."""
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    for g in grids:
        gx0, gy0, gx1, gy1 = g.bbox
        if not (gx0 <= cx <= gx1 and gy0 <= cy <= gy1):
            continue
        out = []
        for c in g.cells:
            px0, px1 = max(x0, c[0] + 3), min(x1, c[2] - 3)
            py0, py1 = max(y0, c[1] + 3), min(y1, c[3] - 3)
            if px1 - px0 >= 6 and py1 - py0 >= 0.5 * (y1 - y0):
                out.append((c, (px0, py0, px1, py1)))
        return out
    return [(None, box)]


def _join_pieces(pieces: list[tuple[Any, Rect]]) -> list[Rect]:
    """Pieces of one line of text (in one cell) that the detector split at a space, joined again:
    the recogniser reads "(0.1 mΩ~3 Ω)" better whole than as "(0.1", "mΩ~3" and "Ω)"."""
    out: list[tuple[Any, list[float]]] = []
    for cell, (x0, y0, x1, y1) in sorted(pieces, key=lambda p: (str(p[0]), p[1][0])):
        for other_cell, r in reversed(out):
            if other_cell != cell:
                continue
            h = min(y1 - y0, r[3] - r[1])
            overlap = min(y1, r[3]) - max(y0, r[1])
            if overlap >= 0.6 * h and -0.2 * h <= x0 - r[2] <= 0.8 * h:
                r[0], r[1], r[2], r[3] = min(r[0], x0), min(r[1], y0), max(r[2], x1), max(r[3], y1)
                break
        else:
            out.append((cell, [x0, y0, x1, y1]))
    return [tuple(r) for _, r in out]  # type: ignore[misc]


def _unread_ink(clean: Any, grids: list[Grid], rects: list[tuple[int, int, int, int]],
                dpi: float = DPI) -> list[tuple[int, int, int, int]]:
    """Boxes around the ink of table cells that no detected text box reached (short texts: 序号,
    "/", "是"), speckles left out. Ink is what the adaptive threshold finds: a thin "/" or "7" of a
    blurred scan is lighter than mid-grey."""
    import cv2

    out = []
    dark = (binarize(clean, dpi) > 0).astype("uint8")
    for g in grids:
        for x0, y0, x1, y1 in g.cells:
            if any(x0 <= (a + c) / 2 <= x1 and y0 <= (b + d) / 2 <= y1 for a, b, c, d in rects):
                continue
            inner = dark[y0 + 4:y1 - 3, x0 + 4:x1 - 3]
            if inner.size == 0:
                continue
            n, _, stats, _ = cv2.connectedComponentsWithStats(inner, connectivity=8)
            blobs = [stats[i] for i in range(1, n) if stats[i][4] >= 12 and stats[i][3] >= 8]
            if not blobs:
                continue
            bx0 = min(b[0] for b in blobs)
            by0 = min(b[1] for b in blobs)
            bx1 = max(b[0] + b[2] for b in blobs)
            by1 = max(b[1] + b[3] for b in blobs)
            pad = max(4, (by1 - by0) // 4)
            out.append((max(x0 + 3, x0 + 4 + bx0 - pad), max(y0 + 3, y0 + 4 + by0 - pad),
                        min(x1 - 3, x0 + 4 + bx1 + pad), min(y1 - 3, y0 + 4 + by1 + pad)))
    return out


_STROKES = {"", "1", "l", "I", "|", "/", "J", "i"}  # what the recogniser makes of a lone "/"


def lone_slash(text: str, score: float, lone: bool, cell: bool, ink: Any) -> tuple[str, float] | None:
    """A "/" standing alone, as ("/", its confidence), or None: a box read as one stroke-like
    character (`_STROKES`: "1", "l"...), or as nothing where it was drawn around ink the detector
    missed (`lone`), whose ink (`ink()`, 255 on 0) is one stroke leaning right (`_slash`). It is given
    the confidence that keeps it where it stands, in a ruled table's `cell` or outside one (a "/" of a
    table without rules, boxed by `lone_ink`, was read and then dropped as noise: seed 516 at 200 dpi)."""
    if (lone or len(text) == 1) and text in _STROKES and _slash(ink()):
        return "/", max(score, MIN_CELL_CONFIDENCE if cell else MIN_CONFIDENCE)
    return None


def _slash(ink: Any) -> bool:
    """Is the ink (255 on 0) one stroke leaning right, as "/" does (a "1" stands upright)? The
    recogniser reads a "/" alone in a cell, with nothing around it, as "1" or nothing as often as not."""
    import cv2
    import numpy as np

    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    blobs = [i for i in range(1, n) if stats[i][4] >= 12]
    if len(blobs) != 1:
        return False
    ys, xs = np.nonzero(labels == blobs[0])
    h = int(ys.max() - ys.min() + 1)
    if h < 8 or h < 1.5 * (xs.max() - xs.min() + 1):
        return False
    dy = ys - ys.mean()
    slope = float((dy * (xs - xs.mean())).sum() / max(1.0, float((dy * dy).sum())))  # dx per dy, y downwards
    return slope < -0.2


_LATIN_PAIR = re.compile(r"[A-Za-z][A-Za-z0-9]")


def underscore(ink: Any, height: int, text: str) -> str:
    """`text`, read from the ink of one line (255 on 0; `height` pixels of it the line's box, the rest
    a margin below), with the "_" the recogniser dropped put back: a flat stroke below the glyphs
    (U_rel's), between two Latin letters or digits. Its place in the text is counted in glyphs from
    the end of the text that is all Latin (a Chinese character is several strokes)."""
    import cv2

    n, _, st, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    comps = [tuple(int(v) for v in st[i][:4]) for i in range(1, n) if st[i][4] >= 4]
    flat = [c for c in comps if c[3] <= max(3, 0.15 * height) and 0.25 * height <= c[2] <= 0.8 * height
            and c[1] >= 0.65 * height and c[1] + c[3] < ink.shape[0] and c[1] > 0]
    if len(flat) != 1:
        return text
    x0, _, w, _ = flat[0]
    mid = x0 + w / 2
    columns: list[list[int]] = []  # the other strokes' x extents, overlapping ones merged: glyphs
    glyphs = [c for c in comps if c != flat[0] and c[1] + c[3] < ink.shape[0] and (c[1] > 0 or c[3] >= 0.3 * height)]
    for cx, _, cw, _ in sorted(glyphs):  # (slivers of the lines above and below left out)
        if columns and cx <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], cx + cw)
        else:
            columns.append([cx, cx + cw])
    left = sum(1 for c in columns if c[1] <= mid)
    right = sum(1 for c in columns if c[0] >= mid)
    if left + right != len(columns):
        return text  # a glyph over the stroke: an underline, not an underscore
    at = left if text[:left].isascii() else len(text) - right if text[len(text) - right:].isascii() else -1
    if 0 < at < len(text) and text[at - 1].isascii() and text[at - 1].isalnum() and text[at].isascii() and text[at].isalpha():
        return text[:at] + "_" + text[at:]
    return text


def _glyph_boxes(ink: Any, min_area: int) -> list[tuple[int, int, int, int]]:
    """The (x, y, width, height) of each blob of a box's ink (255 on 0) of `min_area` pixels or more."""
    import cv2

    n, _, st, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return [tuple(int(v) for v in st[k][:4]) for k in range(1, n) if st[k][4] >= min_area]


_POWER = re.compile(r"(?<=m)[23](?![\d.])")  # m2, m3 (W/m2, cm3): a square or cube read on the line


def superscript(ink: Any, text: str, starts: list[float] | None) -> str:
    """`text`, read from the ink of one box (255 on 0), with the 2 or 3 after an m that is set
    raised (W/m², cm³: the recogniser reads the small raised digit as one on the line) written as
    the superscript it is: its glyph (the ink whose middle lies between where the recogniser read it
    and where it read the next character, `starts`, crop pixels) ends higher than the m's by more
    than a quarter of the m's height. A digit on the line (m2 as a text writes it plain) stays."""
    if starts is None or len(starts) != len(text) or not _POWER.search(text):
        return text
    comps = _glyph_boxes(ink, 4)
    out = list(text)
    for m in _POWER.finditer(text):
        i = m.start()
        lo, hi = starts[i], starts[i + 1] if i + 1 < len(starts) else ink.shape[1]
        prev = starts[i - 1]
        digit = [c for c in comps if lo <= c[0] + c[2] / 2 < hi]
        em = [c for c in comps if prev <= c[0] + c[2] / 2 < lo]
        if len(digit) != 1 or not em:
            continue
        bottom, m_top = digit[0][1] + digit[0][3], min(c[1] for c in em)
        m_bottom = max(c[1] + c[3] for c in em)
        if bottom < m_bottom - 0.25 * (m_bottom - m_top):
            out[i] = _SUPERSCRIPT_DIGITS[text[i]]
    return "".join(out)


_SUPERSCRIPT_DIGITS = {"2": "²", "3": "³"}
_MM = re.compile(r"mm")
NARROW_M = 0.8  # an m whose glyph is at most this share as wide as the m after it is an n (nm read as mm)
NM_WIDTH = 2.35  # ... and two glyphs that touch, at most this many times as wide as high (their x-height), are nm


def nanometre(ink: Any, text: str, starts: list[float]) -> str:
    """`text`, read from the ink of one box (255 on 0) with each character at `starts` (crop pixels),
    with an "mm" whose first glyph is as narrow as an n written "nm": at 9 pt and 200 dpi the
    recogniser reads nm as mm (seed 212: 0.3nm, (1nm~1mm), 50nm~1μm, ten cells), while an n's
    glyph is about two thirds as wide as an m's. The two glyphs are the ink lying from halfway
    between the character before and the first m on, up to the character after them; where they
    touch, one blob NM_WIDTH times as wide as high or less is nm (seed 212: 32 px against an mm's
    39, 15 px high); where the ink is neither (specks), nothing is decided and the text stays as read."""
    if len(starts) != len(text) or "mm" not in text:
        return text
    comps = _glyph_boxes(ink, 8)
    out = list(text)
    for m in _MM.finditer(text):
        i = m.start()
        lo = (starts[i - 1] + starts[i]) / 2 if i else 0.0
        hi = starts[i + 2] if i + 2 < len(starts) else ink.shape[1]
        near = [c for c in comps if lo <= c[0] + c[2] / 2 < hi]
        tall = max((c[3] for c in near), default=0)
        glyphs = sorted((c for c in near if c[3] >= 0.6 * tall), key=lambda c: c[0])
        if any(c[2] < 0.6 * c[3] for c in glyphs) or tall > 1.25 * min((c[3] for c in glyphs), default=0):
            continue  # a glyph as narrow as a 1 or taller than an m (a digit's, a bracket's): not the two letters
        if len(glyphs) == 2 and glyphs[0][0] + glyphs[0][2] <= glyphs[1][0] and glyphs[0][2] <= NARROW_M * glyphs[1][2]:
            out[i] = "n"
        elif len(glyphs) == 1 and 1.6 * glyphs[0][3] <= glyphs[0][2] <= NM_WIDTH * glyphs[0][3]:
            out[i] = "n"
    return "".join(out)


_ON_THE_LINE = re.compile(r"(?<=[×xX]10)(\s?)(-?\d{1,2})(?![\d.])")  # ×10-7: an exponent read on the line


def caret(ink: Any, text: str, starts: list[float]) -> tuple[str, list[float]]:
    """`text`, read from the ink of one box (255 on 0) with each character at `starts` (crop pixels),
    with the caret the recogniser dropped from a power of ten written out on the line (×10^-7) given
    back, and where each character now is: after the ink of the 10's 0 (the last glyph of the
    line's full height left of where the exponent was read), more glyphs than the exponent has
    characters before the next one (specks, and a comma or stop low on the line, left out). A
    raised exponent (×10⁻⁷, the usual writing, read on the line too) has as many, and stays for
    `normalise` to write raised."""
    if len(starts) != len(text) or not _ON_THE_LINE.search(text):
        return text, starts
    comps = [c for c in _glyph_boxes(ink, 12) if c[3] >= 2]
    if not comps:
        return text, starts
    top = min(c[1] for c in comps)
    full = max(c[3] for c in comps)
    glyphs = [c for c in comps if c[1] + c[3] / 2 < top + 0.75 * full]  # a comma or a stop sits low on the line
    for m in reversed(list(_ON_THE_LINE.finditer(text))):
        i, j = m.start(2), m.end(2)  # the exponent's first character and the one after it
        end = starts[j] if j < len(starts) else ink.shape[1]
        tall = [c for c in glyphs if c[3] >= 0.8 * full and c[0] + c[2] / 2 < starts[i]]
        if not tall:
            continue
        zero = max(c[0] + c[2] for c in tall)
        after = [c for c in glyphs if zero <= c[0] + c[2] / 2 < end]
        if len(after) > j - i:  # a glyph more than the exponent's characters: the caret between
            text = text[:m.start(1)] + "^" + text[i:]
            starts = [*starts[:m.start(1)], float(zero), *starts[i:]]
    return text, starts


_EXPONENT_FIRST = re.compile(r"-\d{1,2}(?![\d.])")  # -6读数, -7，k=2: a line that starts with a power of ten's exponent
CARET_HIGH = 0.45  # share of the tallest glyph's height: a caret's glyph is this high at most


def wrapped_caret(ink: Any, text: str, starts: list[float]) -> tuple[str, list[float]]:
    """`text`, read from the ink of one box (255 on 0) with each character at `starts` (crop pixels),
    that starts with a power of ten's exponent whose caret the recogniser dropped ("±(8×10" /
    "^-6读数": reportlab wraps a line after the 10, seed 614 at 200 dpi), with the caret given back
    where the box's first glyph is one: apart from the next, at most CARET_HIGH of the tallest
    glyph's height high, as wide as high at least but not twice as wide (the exponent's own minus
    is: seed 276, whose caret ended the line before), and ending above the line's foot by a quarter
    of that height (a comma, a stop or a speck on the line is none)."""
    if len(starts) != len(text) or not _EXPONENT_FIRST.match(text):
        return text, starts
    comps = sorted((c for c in _glyph_boxes(ink, 4) if c[2] * c[3] >= 6), key=lambda c: c[0])
    if len(comps) < 2:
        return text, starts
    full = max(c[3] for c in comps)
    foot = max(c[1] + c[3] for c in comps)
    x, y, w, h = comps[0]
    if (x + w <= comps[1][0] and h <= CARET_HIGH * full and h <= w <= 2 * h and y + h <= foot - 0.25 * full
            and x + w <= starts[0] + 0.25 * full):
        return "^" + text, [float(x), *starts]
    return text, starts


def ctc_decode(probs: Any, characters: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The recogniser's per-step class probabilities (T x C) -> its text and, for each character, the
    first and last time step it was read at: the class most likely at each step, repeats collapsed,
    blanks (class 0) dropped, as RapidOCR's CTCLabelDecode does."""
    best = probs.argmax(axis=1).tolist()
    text: list[str] = []
    steps: list[tuple[int, int]] = []
    for t, c in enumerate(best):
        if c != 0 and t > 0 and best[t - 1] == c:
            steps[-1] = (steps[-1][0], t)
        elif c != 0:
            text.append(characters[c])
            steps.append((t, t))
    return "".join(text), steps


def read_lines(crops: list[Any], height: int) -> list[tuple[str, float]]:
    """Grey crops of text lines recognised one at a time: (text, score) each (`read_spans`)."""
    return [(text, score) for text, score, _ in read_spans(crops, height)]


def read_spans(crops: list[Any], height: int) -> list[tuple[str, float, list[float] | None]]:
    """Grey crops of text lines recognised one at a time, each scaled to `height` pixels (the model
    reads any height; its cost grows with height x width), with each character's left edge in the
    crop's pixels: where the recogniser first read it (`ctc_decode`; a step of T spans the scaled
    width), None where that text is not RapidOCR's own. One at a time because batches, padded to
    their widest crop, cost 40% more CPU with one thread (bench/bench_ocr.py)."""
    import cv2
    import numpy as np

    rec = engine().text_rec
    out: list[tuple[str, float, list[float] | None]] = []
    for crop in crops:
        h, w = crop.shape[:2]
        width = int(height * max(2.0, w / h))  # as RapidOCR sizes a lone crop (at least twice as wide as high)
        rw = min(width, math.ceil(height * w / h))
        x = np.zeros((1, 3, height, width), np.float32)
        x[0, :, :, :rw] = cv2.resize(crop, (rw, height)).astype(np.float32) / 127.5 - 1.0
        probs = rec.session(x)[0]
        text, score = rec.postprocess_op(probs)[0][:2]
        decoded, steps = ctc_decode(probs[0], rec.postprocess_op.character)
        step = width / probs.shape[1] * w / rw  # crop pixels a time step
        out.append((text, float(score), [t0 * step for t0, _ in steps] if decoded == text else None))
    return out


def detect(image: Any) -> list[tuple[int, int, int, int]]:
    """Text boxes (x0, y0, x1, y1) that the detector finds in a small grey image at its own scale
    (RapidOCR's own call enlarges an image to 736 pixels on its shorter side: a strip of a line or
    two would cost as much as a page)."""
    import cv2
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

    det = engine().text_det
    h, w = image.shape[:2]
    x = DetPreProcess(max(h, w), "max", det.mean, det.std)(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR))
    if x is None:
        return []
    boxes, _ = det.postprocess_op(det.infer(x)[0], (h, w))
    boxes = det.filter_tag_det_res(boxes, (h, w))
    return [(int(q[:, 0].min()), int(q[:, 1].min()), math.ceil(q[:, 0].max()), math.ceil(q[:, 1].max()))
            for q in boxes]


def _box_text(text: str, at: list[float] | None, free: bool, ink: Any) -> tuple[str, list[float] | None]:
    """A box's recognised text with a heading's label read as a sign mended (outside tables), a
    raised square or cube written as one, a power of ten's dropped caret given back and an nm read
    as mm written nm (`ink()`: the box's ink, made only when it is looked at: `recognise` caches it for
    every mender and `lone_slash`); and where its characters were read."""
    if free:
        text = heading_label(text)
    if at is not None and len(at) == len(text) and _POWER.search(text):
        text = superscript(ink(), text, list(at))
    if at is not None and len(at) == len(text) and _ON_THE_LINE.search(text):
        text, at = caret(ink(), text, list(at))
    if at is not None and len(at) == len(text) and _EXPONENT_FIRST.match(text):
        text, at = wrapped_caret(ink(), text, list(at))
    if at is not None and len(at) == len(text) and "mm" in text:
        text = nanometre(ink(), text, list(at))
    return text, at


def recognise(grey: Any, grids: list[Grid], rules: Any, dpi: float = DPI) -> list[TextBox]:
    """Detect text lines (on the page as it is: the rules keep cells apart), cut each at the rules it
    crosses, recognise the pieces with the rules erased."""
    import cv2
    import numpy as np

    from imtc.extract.ocr_layout import (
        blanks,
        drop_contained,
        leading_marks,
        lone_ink,
        missed_lines,
        redetect,
        run_inks,
        split_at_gaps,
        trailing_marks,
        trim_overlaps,
    )

    eng = engine()
    h, w = grey.shape
    f = min(1.0, DET_SIDE / max(h, w))
    small = cv2.resize(grey, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA) if f < 1 else grey
    boxes, _ = eng.text_det(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
    if boxes is None or len(boxes) == 0:
        return []
    clean = grey.copy()
    clean[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = 255
    pieces = []
    for quad in boxes:
        xs, ys = quad[:, 0] / f, quad[:, 1] / f
        pieces += _pieces((float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())), grids)
    rects = []
    for x0, y0, x1, y1 in _join_pieces(pieces):
        ix0, iy0 = int(max(0, x0)), int(max(0, y0))
        ix1, iy1 = int(min(w, math.ceil(x1))), int(min(h, math.ceil(y1)))
        if ix1 - ix0 >= 4 and iy1 - iy0 >= 4:
            rects.append((ix0, iy0, ix1, iy1))
    if not rects:
        return []

    def in_table(r: tuple[int, int, int, int]) -> bool:
        cx, cy = (r[0] + r[2]) / 2, (r[1] + r[3]) / 2
        return any(g.bbox[0] <= cx <= g.bbox[2] and g.bbox[1] <= cy <= g.bbox[3] for g in grids)

    rects = redetect(clean, rects, in_table, detect)  # texts of neighbouring cells taken for one box
    rects = drop_contained(split_at_gaps(clean, rects, in_table))  # two texts of a table without rules taken for one line
    rects += missed_lines(clean, rects, in_table, detect)  # a line the detector missed on the reduced page
    rects = trim_overlaps(clean, rects, in_table)  # a box detected again reaching into the next text
    wide = leading_marks(clean, rects, in_table)  # a comma wrapped to a line's start, left out
    beside = lone_ink(clean, rects, in_table)  # a 序号 or a "/" beside them the detector missed
    missed = _unread_ink(clean, grids, rects + beside, dpi)  # a lone "1" or "/" the detector missed in a ruled table
    rects += beside + missed
    lone = set(beside + missed)

    results = _read_with_marks(clean, rects, wide)
    results = _read_with_tails(clean, rects, results, trailing_marks(clean, rects, in_table))
    results = _read_unsure_again(clean, rects, results, [i for i, r in enumerate(rects) if not in_table(r)])
    out: list[TextBox] = []
    free: list[TextBox] = []  # those outside ruled tables
    for r, (read, score, starts) in zip(rects, results, strict=True):
        text = read.strip()
        at = None if starts is None else starts[len(read) - len(read.lstrip()):][:len(text)]
        ink = functools.cache(lambda r=r: binarize(clean[r[1]:r[3], r[0]:r[2]], dpi))  # (made once, if looked at)
        text, at = _box_text(text, at, not in_table(r), ink)
        slash = lone_slash(text, score, r in lone, in_table(r), ink)
        if slash is not None:
            text, score = slash
        elif "_" not in text and _LATIN_PAIR.search(text):
            pad = max(2, (r[3] - r[1]) // 8)
            text = underscore(binarize(clean[r[1]:min(h, r[3] + pad), r[0]:r[2]], dpi), r[3] - r[1], text)
        if text and score >= (MIN_CELL_CONFIDENCE if in_table(r) else MIN_CONFIDENCE):
            starts_at = tuple(r[0] + a for a in at) if at and len(at) == len(text) and not in_table(r) else None
            crop = clean[r[1]:r[3], r[0]:r[2]]
            found = [] if starts_at is None else blanks(crop, text, at)
            gaps = tuple((i, r[0] + a, r[0] + b) for i, a, b in found)
            inks = tuple((i, r[1] + t, r[1] + b) for i, t, b in run_inks(crop, text, at, found)) if starts_at else ()
            out.append(TextBox(*r, text, score, starts_at, gaps, inks))
            if not in_table(r):
                free.append(out[-1])
    return _bracket_to_label(out, free)


LEADING_MARKS = "，,、。.；;"  # a mark the detector left out before a box, read with it (ocr_layout.leading_marks)


def _read_with_marks(clean: Any, rects: list[tuple[int, int, int, int]],
                     wide: dict[int, tuple[int, int, int, int]]) -> list[tuple[str, float, list[float] | None]]:
    """Each box's reading (`read_spans`); a box that `leading_marks` widened over a mark before it
    (`wide`, by index) is read both ways and takes the widened box (in `rects`) and its reading where
    that reads a mark (LEADING_MARKS) and then the box's own text: a recogniser given more ink may
    read a box's text otherwise ("k=" read "，k"). Spaces read apart do not count: a space is read or
    not as the crop's width goes ("28.3 L/min" alone, "，28.3L/min" widened: seed 204 at 200 dpi)."""
    results = read_spans([clean[y0:y1, x0:x1] for x0, y0, x1, y1 in rects + list(wide.values())], REC_HEIGHT)
    for i, read in zip(wide, results[len(rects):], strict=True):
        text = read[0].strip()
        if text[:1] in LEADING_MARKS and "".join(text[1:].split()) == "".join(results[i][0].split()) != "":
            rects[i], results[i] = wide[i], read
    return results[:len(rects)]


TRAILING_MARKS = "、，,；;"  # a mark the detector left out after a box, read with it (ocr_layout.trailing_marks)


def _read_with_tails(clean: Any, rects: list[tuple[int, int, int, int]],
                     results: list[tuple[str, float, list[float] | None]],
                     tails: dict[int, int]) -> list[tuple[str, float, list[float] | None]]:
    """`results` with each box whose ink ends in a mark that its reading lacks (`trailing_marks`:
    index -> blank columns) read again with that much blank paper after it: the box takes that
    reading where it is the box's own text and then a mark (TRAILING_MARKS), spaces apart."""
    import numpy as np

    todo = [i for i in tails if results[i][0].strip() and results[i][0].strip()[-1] not in TRAILING_MARKS]
    if not todo:
        return results
    crops = []
    for i in todo:
        x0, y0, x1, y1 = rects[i]
        crop = clean[y0:y1, x0:x1]
        crops.append(np.hstack([crop, np.full((crop.shape[0], tails[i]), 255, dtype=crop.dtype)]))
    out = list(results)
    for i, read in zip(todo, read_spans(crops, REC_HEIGHT), strict=True):
        text = read[0].strip()
        if text[-1:] in TRAILING_MARKS and "".join(text[:-1].split()) == "".join(results[i][0].split()):
            out[i] = read
    return out


def _read_unsure_again(clean: Any, rects: list[tuple[int, int, int, int]],
                       results: list[tuple[str, float, list[float] | None]],
                       free: list[int]) -> list[tuple[str, float, list[float] | None]]:
    """`results` with each box outside ruled tables (`free`, by index) read under MIN_CONFIDENCE read
    again with a margin of blank paper around it (a sixth of its height, 3 px at least), taking that
    reading where it scores higher: the detector boxes a lone digit tightly, and the recogniser reads
    it unsure at the crop's edges (seed 692 at 200 dpi: a row's 序号 "1" read at 0.49 and dropped as
    noise, 0.95 with 3 px around it; its row was taken into the next)."""
    import numpy as np

    todo = [i for i in free if results[i][0].strip() and results[i][1] < MIN_CONFIDENCE]
    if not todo:
        return results
    crops, pads = [], []
    for i in todo:
        x0, y0, x1, y1 = rects[i]
        crop = clean[y0:y1, x0:x1]
        pads.append(max(3, (y1 - y0) // 6))
        crops.append(np.pad(crop, pads[-1], constant_values=int(np.median(crop))))
    out = list(results)
    for i, pad, (text, score, starts) in zip(todo, pads, read_spans(crops, REC_HEIGHT), strict=True):
        if score > results[i][1] and text.strip():
            out[i] = (text, score, None if starts is None else [a - pad for a in starts])
    return out


def _bracket_to_label(boxes: list[TextBox], free: list[TextBox]) -> list[TextBox]:
    """A heading's opening bracket boxed apart ("（" and "-）校准项目技术需求表", outside tables): the
    bracket's box dropped and the label's, which `heading_label` gave its bracket back, drawn from it
    on (its characters spread by width: where each lies is no longer known)."""
    out = list(boxes)
    for b in free:
        if b.text not in ("(", "（"):
            continue
        high = b.y1 - b.y0  # (a box is about 1.3 ems high: the label within two boxes' heights)
        nxt = [o for o in free if o is not b and o.text.startswith("（") and 0 <= o.x0 - b.x1 <= 2 * high
               and min(o.y1, b.y1) - max(o.y0, b.y0) >= 0.5 * min(high, o.y1 - o.y0)]
        if nxt and parse_label(nxt[0].text).level == 2 and b in out and nxt[0] in out:
            out[out.index(nxt[0])] = replace(nxt[0], x0=b.x0, starts=None, blanks=())
            out.remove(b)
    return out


_DEGREE = re.compile(r"[°º˚\"'](\s*)[℃C](?![a-jl-su-z]|k(?!\s?=))")  # °C, °℃, "C: the Celsius sign (℃td, ℃k=2 too)
_OHM = re.compile(r"(?<![A-Za-z])(\d+(?:\.\d+)?\s?[mkMGTPμu]?Q|\d+(?:\.\d+)?\s?[mkMGTP]O)(?![A-Za-z])")  # 3Q, 0.1mQ, 10GO, 10PQ
_CELSIUS = re.compile(r"(?:(?<=[\d)\s~±])|^)C(?=td|/min|/h|/s)")  # ℃td, ℃/min read without the degree sign
_DEW_POINT = re.compile(r"(?<=[\d)）])\s?[°º]?(?=td(?![a-z]))")  # 0.5td, 20)°td: the dew point's ℃td, its ℃ lost or halved
# ℃ read as "C" or "°" where only a temperature can be meant: a range from below zero or from room
# temperature, an uncertainty U= before its k=, per degree (%/℃); as "C" in a ± tolerance (±1° is an
# angle); ℃ read as °0
_TEMPERATURE = re.compile(r"(\((?:-|室温)[^()~]{0,8}~[^()]{1,10}\)|U\s?=\s?[\d.]+(?=\s?[°º]?C?\s?[，,]?\s?k\s?=)|%/)"
                          r"\s?(?:[°º]C?|C)(?![a-jl-zA-Z℃]|k(?!\s?=))|(±\s?[\d.]+)\s?C(?![A-Za-z℃])")  # (±1°: an angle)
_DEGREE_ZERO = re.compile(r"[°º][0Oc](?!\d)")
_KILO = re.compile(r"(?<=[\d\s()~])K(?=N|V|W|g|Hz|Ω|Pa)")  # 50 KN: SI's kilo is lower case
_COMMA = re.compile(r"(?<!\d),|,(?!\d)")  # a comma not inside a number: Chinese text's full-width one
# habits in numbers and units (the patterns of what the recogniser does, so code, not vocabulary):
_OHM_AFTER = re.compile(r"(?<=[)）])\s?([mkMGTPμ]?)[QO](?![A-Za-z])")  # (1~500)MQ, (0~3.1）Q
_MILLIOHM = re.compile(r"(?<=[\d)])\s?mo(?![A-Za-z])")  # (0.2~20)mo
_ZERO = re.compile(r"(?<![A-Za-z\d.])(?=[\dO.]*\d)[\dO][\dO.]*O[\dO.]*(?![a-z])"  # 100O, 6215OH
                   r"|(?<=[A-Za-z])\d{2,}[\d.]*O[\dO.]*(?![a-z])"  # Keysight3447OA (but H2O)
                   r"|(?<=[(~])O(?=[~.)])"  # (O~20)
                   r"|(?<=[A-Za-z]-)O(?=\d)")  # Q/HZZJJF-O45-2024: a code's number after its dash
_COLON = re.compile(r"(?<=[A-Za-z])：|(?<=[\u4e00-\u9fff]):")  # MPE: ±0.05%, 级：≤1%: a colon as wide as what it follows
_PLUS_MINUS = re.compile(r"[土士](?=\s?[\d(（.])")  # ± read as 土 (soil) or 士
# ± read as "+" (its lower bar lost), where a tolerance starts: at a cell's start, after a colon (MPE:) or
# a list's comma; a plus sign stays where it adds (读数+0.05%量程, ~+20, A+级, 5730A + 34465A)
_PLUS_AS_PLUS_MINUS = re.compile(r"(?:^|(?<=[:：，、；]))\s?\+(?=\s?[\d(（.])")
_RANGE = re.compile(r"(?<=[(（])(-?\d[\d.]*\s?[A-Za-zΩμ℃%]{0,3})\s?[-–]\s?(?=\d[\d.]*\s?[A-Za-zΩμ℃%]{0,3}\s?[)）])")
_VOLT = re.compile(r"(?<=[\d)）])(\s?[kmM]?)v(?![A-Za-z])")  # (200~1000)v, (0.25~8)kv, DC 1000 v
_WATT = re.compile(r"(?<=[\d)）])(\s?[mkMG]?)w(?![A-Za-z])")  # (0~600)mw, 100kw
_MICRO = re.compile(r"(?:(?<=[\d)）])|(?<=\d\s))u(?=[VAmsgLWΩF](?![a-z]))")  # 1uV, (0.1~50)um: μ
_TIMES = re.compile(r"(?<=\d)\s?[xX]\s?(?=\d)")  # 2.5x1.5: ×
_COVERAGE = re.compile(r"(?<=[%℃\dVAΩ])\s?(?=k=\d)")  # U=0.05℃k=2: the comma before the coverage factor
_NEXT_RANGE = re.compile(r"([)）]\s?(?:[mkMGμ]?[VAWΩ]|[kMG]?Hz|℃|%))(?=\s?[(（]-?\d)"  # (0~100)V(0~20)A
                         r"|(%)(?=[A-Z]{2,4}[±(（])")  # DCV±0.0005%DCI±0.01%
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
# 1×10-6: an exponent read on the line (a blank read before it: a raised exponent leaves one)
_EXPONENT = re.compile(r"(?<=×10)\s?(-?\s?\d{1,2})(?![\d.])")  # (10- 9: a blank read after the raised minus)
_CARET_DIGITS = re.compile(r"(?<=×10\^)(-?)([\dlI]{1,2})(?![\w.])")  # ×10^-1l: an exponent's 1 read as l
_SQUARE = re.compile(r"(?<=/m)~(?=[23](?![\d.]))|(?<=×10)\s?[~>]\s?(?=-?\d)")  # W/m~2, 2.5×10~-7, 2×10>-11: a caret read as a tilde or >
_PER_SQUARE = re.compile(r"(?<=Ω)\s?/\s?口?(?=\s?[~)）])")  # (1mΩ/口~1MΩ/), □ read as 口 or lost: ohms per square
_TRAILING_DOT = re.compile(r"(?<=[\dA-Za-z)）℃%Ωμ])(?<!Inc)(?<!Ltd)(?<!Co)(?<!etc)(?<!No)\s?\.$")  # a speck read as a stop
_LABEL = re.compile(r"^([(（])\s?([=＝≡])\s?(?=[)）])")  # (=) （≡）: a heading's 二 or 三 read as a sign
_LABEL_DIGITS = {"=": "二", "＝": "二", "≡": "三"}
# （一） read without its opening bracket (boxed apart, or lost), 一 as a dash ("-）校准项目技术需求表")
_LABEL_OPEN = re.compile(r"^(?:[-—–一]|([二三四五六七八九十]))\s?[)）](?=\s?[\u4e00-\u9fff])")
# a range's bound 1 read as a letter before its unit: (1pA~IA), (lpA~100mA), (lpF~1nF); a stray one before a digit: (I1fA
_ONE = re.compile(r"(?<=[(（~])[Il](?=[fpnμmkMGT]?(?:[AVWFΩ]|Hz)(?:[)）~]|$))")
_STRAY_ONE = re.compile(r"(?<=[(（])[Il](?=1[fpnμmkMGT]?(?:[AVWFΩ]|Hz))")
# 0.3nm(30), 0.5 nm(1o), (3): （3σ）, σ read as 0 or o, or lost (after a length, spaced or not, or a %)
_SIGMA = re.compile(r"(\d\s?[nμm]m|\d%)\s?[(（]([123])\s?[0oOσ6bg]?\s?[)）]")
_YEARS = re.compile(r"(?<!\d)((?:19|20)\d\d)\s?[-–~]\s?((?:19|20)\d\d)(?=\s?年)")  # 2025-2026年: the dash of a year span


@functools.cache
def vocabulary() -> tuple[list[tuple[re.Pattern[str], str]], dict[str, str], list[tuple[re.Pattern[str], str]]]:
    """The tables' vocabulary (imtc/extract/ocr_vocabulary.toml): each code prefix with the pattern of
    its misreadings (where a number follows, a province's bracket between), the whole-cell words, and
    the terms with the patterns of their misreadings."""
    data = tomllib.loads((Path(__file__).with_name("ocr_vocabulary.toml")).read_text("utf-8"))
    codes = [(re.compile(rf"(?<![A-Za-z])(?:{c['read']})(?=\s?(?:[(（][\u4e00-\u9fff]{{1,2}}[)）])?\s?\d)"), c["code"])
             for c in data["codes"]]
    terms = [(re.compile(t["read"]), t["term"]) for t in data["terms"]]
    return codes, dict(data["whole_cell"]), terms


_CODE_YEAR = re.compile(r"((?:JJF|JJG|GB/T|DB33/T|GB)\s?(?:\([\u4e00-\u9fff]{1,2}\))?\s?\d{3,5}(?:\.\d+)?)((?:19|20)\d\d)(?!\d)")  # JJF16202017: the year's hyphen
_PROVINCE = re.compile(r"(?<=JJF|JJG)\s?[(（]\s?([\u4e00-\u9fff]{1,2})\s?[)）]")  # JJF(浙) 1175, JJF(浙)规范


def heading_label(text: str) -> str:
    """A recognised text outside tables whose bracketed label opens with a sign no heading numbers
    with, (=) or (≡), with the numeral it stands for: （二）关键参数测量项目技术需求表 read as
    (=)关键参数…, which the ruleless-table finder would otherwise take for a table row, not the
    heading that ends the table above. A label whose opening bracket was lost, （一）'s 一 read as a
    dash with it ("-）校准项目技术需求表"), is mended too."""
    text = _LABEL_OPEN.sub(lambda m: f"（{m.group(1) or '一'}）", text)
    return _LABEL.sub(lambda m: m.group(1) + _LABEL_DIGITS[m.group(2)], text)


def mend(text: str, cell: bool = False) -> str:
    """Plain drops in recognised text mended from the tables' vocabulary: the code prefixes (and a
    province's bracket after JJF/JJG written as the contract writes it, "JJF(浙)"); in a table cell,
    a dash standing alone for the "—" of an empty cell, 新建/已建 with a character lost or misread."""
    codes, whole, terms = vocabulary()
    if cell and text.strip() in whole:
        return whole[text.strip()]
    t = text
    for pattern, code in codes:
        t = pattern.sub(code, t)
    for pattern, word in terms:
        t = pattern.sub(word, t)
    t = _CODE_YEAR.sub(lambda m: f"{m.group(1)}-{m.group(2)}", t)
    return _PROVINCE.sub(lambda m: f"({m.group(1)})", t)


def normalise(text: str, cell: bool = False) -> str:
    """What the recogniser writes otherwise than these documents do: the Celsius and ohm signs, the
    kilo prefix, 溯源, full-width commas and semicolons, brackets of the width these documents give
    them (_opening; a closing one of its opening one's width), 丶 for 、, numbers and units (_ZERO …
    _YEARS); in a table cell, ± read as + where a tolerance starts, and a full stop after its last
    number or unit dropped (a speck of the scan read as one: no cell of these tables ends with an
    ASCII stop, an abbreviation's aside); and the plain drops mend() mends."""
    t = _DEGREE.sub(lambda m: m.group(1) + "℃", mend(text, cell))
    t = t.replace("℃C", "℃").replace("丶", "、")
    t = _OHM.sub(lambda m: m.group(1)[:-1] + "Ω", t)
    t = _CELSIUS.sub("℃", t)
    t = _TEMPERATURE.sub(lambda m: (m.group(1) or m.group(2)) + "℃", _DEGREE_ZERO.sub("℃", t))
    t = _DEW_POINT.sub("℃", t)
    t = t.replace("Ure1", "Urel").replace("U_re1", "U_rel")
    t = _KILO.sub("k", t)
    t = _COMMA.sub("，", t).replace(";", "；")
    t = _MILLIOHM.sub("mΩ", _OHM_AFTER.sub(lambda m: m.group(1) + "Ω", t))
    t = _PER_SQUARE.sub("/□", t)
    t = _ZERO.sub(lambda m: m.group().replace("O", "0"), t)
    t = _COLON.sub(lambda m: ":" if m.group() == "：" else "：", t)
    t = _PLUS_MINUS.sub("±", t)
    if cell:
        t = _TRAILING_DOT.sub("", _PLUS_AS_PLUS_MINUS.sub("±", t))
    t = _RANGE.sub(lambda m: m.group(1) + "~", t)
    t = _WATT.sub(lambda m: m.group(1) + "W", _VOLT.sub(lambda m: m.group(1) + "V", t))
    t = _MICRO.sub("μ", _ONE.sub("1", _STRAY_ONE.sub("", t)))
    t = _TIMES.sub("×", t)
    t = _COVERAGE.sub("，", t)
    t = _NEXT_RANGE.sub(lambda m: (m.group(1) or m.group(2)) + "，", t)
    t = _EXPONENT.sub(lambda m: m.group(1).replace(" ", "").translate(_SUPERSCRIPT), t)
    t = _CARET_DIGITS.sub(lambda m: m.group(1) + re.sub("[lI]", "1", m.group(2)), _SQUARE.sub("^", t))
    t = _YEARS.sub(lambda m: f"{m.group(1)}—{m.group(2)}", t)
    out: list[str] = []
    opened: list[str] = []
    for i, ch in enumerate(t):
        if ch in "(（":
            ch = _opening(t[i - 1:i], re.split(r"[)）]", t[i + 1:], maxsplit=1)[0], ch)
            opened.append(ch)
        elif ch in ")）" and opened:
            ch = ")" if opened.pop() == "(" else "）"
        out.append(ch)
    return _SIGMA.sub(lambda m: f"{m.group(1)}（{m.group(2)}σ）", _PROVINCE.sub(lambda m: f"({m.group(1)})", "".join(out)))


_YEAR_BRACKET = re.compile(r"(?:19|20)\d\d(?:\s?[—–-]\s?(?:19|20)\d\d)?年?")


def _opening(before: str, inner: str, read: str) -> str:
    """The width of an opening bracket, which the recogniser does not tell reliably, as these documents
    write it: ASCII around a range or a number ("(0~1000)V", "(室温~500)℃", "(2.5×1.5)m"), full-width
    in Chinese text ("（国内暂无计量标准）", "效率（PR）", "（k=2）", "（2024—2026年）")."""
    if "~" in inner:
        return "("
    if _YEAR_BRACKET.fullmatch(inner.strip()):
        return "（"
    nxt = inner[:1]
    if nxt and (nxt.isdigit() or nxt in "-+±."):
        return "("
    if inner.startswith("k=") or (nxt and _wide(nxt) and nxt not in "（("):
        return "（"
    if before and _wide(before) and nxt.isascii() and nxt.isalpha():
        return "（"
    return read


def _wide(ch: str) -> bool:
    from imtc.extract.pdf_reader import is_cjk

    return is_cjk(ch)


def to_chars(boxes: list[TextBox], k: float) -> list[dict[str, Any]]:
    """Recognised lines -> characters in PDF points (`k` points a pixel): each where the recogniser
    read it (`TextBox.starts`, the first at the box's left edge; lines outside ruled tables), as wide
    as the way to the next one but no wider than it can be (the font size for CJK and full-width
    signs, WIDEST_LATIN of it otherwise), so that the space between two texts read as one line stays
    a gap; where a blank in the line's ink lies between two characters (`TextBox.blanks`), the one
    before it ends at the blank and the one after it starts after it (`_lefts`); without `starts`,
    spread over the box by nominal width (`placed` False: where each character lies is not known).

    A box's font size is its height less the detector's margin; sizes near the page's usual one are
    made equal to it, so the reader's paragraph rules see one size. A character is never taken for
    narrower than the usual size allows (the detector draws some boxes a fifth tighter than others:
    "试验/检测需求" read as four words)."""
    sizes = [(b.y1 - b.y0) * k / 1.3 for b in boxes]
    usual = statistics.median(sizes) if sizes else 10.5
    chars: list[dict[str, Any]] = []
    for n, (b, size) in enumerate(zip(boxes, sizes, strict=True)):
        if abs(size - usual) <= 0.2 * usual:
            size = usual
        weights = [1.0 if _wide(ch) else 0.3 if ch == " " else 0.55 for ch in b.text]
        total = sum(weights) or 1.0
        x = b.x0 * k
        span = (b.x1 - b.x0) * k
        middle = (b.y0 + b.y1) / 2 * k  # the glyphs' height, not the detector's margin around them
        top, bottom = middle - size / 2, middle + size / 2
        levels = _run_levels(b, k, size, usual)
        level = (top, bottom, size)
        lefts, ends = _lefts(b) if b.starts else ([], {})
        after_blank = {i for i, _, _ in b.blanks}
        widest = max(size, usual)  # a box the detector drew tight is no smaller text: its characters are as wide
        for i, (ch, wgt) in enumerate(zip(b.text, weights, strict=True)):
            dx = span * wgt / total
            if b.starts:  # where the recogniser read it, from the box's left edge on
                x = lefts[i] * k
                end = (ends[i] if i in ends else lefts[i + 1] if i + 1 < len(b.text) else b.x1) * k
                dx = max(0.0, min(end - x, widest * (1.0 if unicodedata.east_asian_width(ch) in "WFA" else WIDEST_LATIN)))
            at_top, at_bottom, at_size = level = levels.get(i, level)  # (a run's level holds to the next run)
            chars.append({"text": ch, "x0": x, "x1": x + dx, "top": at_top, "bottom": at_bottom, "size": round(at_size, 1),
                          "upright": True, "conf": b.score, "box": n, "placed": bool(b.starts),
                          "blank": i in after_blank})
            x += dx
    return chars


def _run_levels(b: TextBox, k: float, size: float, usual: float) -> dict[int, tuple[float, float, float]]:
    """Where each run of a box's characters between blanks in its ink lies, when the box is taller
    than a line of the page's usual size (by TALL_BOX) and the run's ink no taller than one: the
    detector draws one box around neighbouring cells' texts whose lines sit at different heights
    (cells centred vertically in a table without rules), and every character placed at the box's
    middle and size made a row's first line seem to start a line higher (seed 740 at 200 dpi: the
    first line of a roadmap's action cut from the rest of its cell). {index of a run's first
    character: (top, bottom, size)} in points, the size the usual one; {} to place them at the box's."""
    if not b.inks or size <= TALL_BOX * usual:
        return {}
    out = {}
    for i, t, e in b.inks:
        if (e - t) * k <= TALL_BOX * usual:
            mid = (t + e) / 2 * k
            out[i] = (mid - usual / 2, mid + usual / 2, usual)
    if not out:
        return {}
    middle = (b.y0 + b.y1) / 2 * k
    for i, _, _ in b.inks:  # a run left as it was keeps the box's place
        out.setdefault(i, (middle - size / 2, middle + size / 2, size))
    return out


def _lefts(b: TextBox) -> tuple[list[float], dict[int, float]]:
    """Each character's left edge (page pixels) where the recogniser read it, the first at the box's
    left edge; a character after a blank in the ink (`b.blanks`, one before the first character too)
    at the blank's right edge, and those after it as far again (the recogniser reads a character a
    time step or two into it). And where the characters before the blanks end: at the blank's left
    edge (index -> pixels)."""
    assert b.starts is not None
    lefts = [b.x0 + s - b.starts[0] for s in b.starts]
    ends: dict[int, float] = {}
    for i, a, e in b.blanks:
        shift = e - lefts[i]
        lefts[i:] = [x + shift for x in lefts[i:]]
        if i:
            ends[i - 1] = a
    return lefts, ends


# --- a page and the document ------------------------------------------------------------------------


@dataclass
class PageResult:
    page: Any  # pdf_reader.Page
    confidence: float | None  # None: nothing recognised
    orientation: Any = None  # ocr_layout.Orientation: how the image was turned to read it


def render(pdf_page: Any) -> tuple[Any, float]:
    """The page in grey as a numpy array, and points per pixel."""
    import numpy as np

    w, h = pdf_page.get_size()
    scale = DPI / 72
    if w * h * scale * scale > MAX_PIXELS:
        scale = math.sqrt(MAX_PIXELS / max(1.0, w * h))
    image = pdf_page.render(scale=scale, grayscale=True).to_pil().convert("L")
    return np.asarray(image), 1 / scale


def _grid_rules(binary: Any, dpi: float, grids: list[Grid]) -> Any:
    """The rules of the tables found (not whatever else a long kernel keeps, such as big bold text)."""
    import cv2
    import numpy as np

    horiz, vert = rule_masks(binary, dpi)
    rules = np.zeros_like(binary)
    for g in grids:
        x0, y0, x1, y1 = g.bbox
        rules[y0:y1, x0:x1] = cv2.bitwise_or(horiz, vert)[y0:y1, x0:x1]
    return rules


def read_page(pdf_page: Any, number: int, n_tables: int) -> tuple[PageResult, int]:
    """One scanned page -> the reader's `Page` (lines and tables in points)."""
    from imtc.extract.ocr_layout import upright
    from imtc.extract.pdf_reader import Page, PageTable, build_grid, group_lines, in_box

    grey, k = render(pdf_page)
    dpi = 72 / k
    binary = binarize(grey, dpi)
    grey, binary, orientation = upright(grey, binary, dpi)  # a page scanned sideways or upside down
    angle = skew_angle(binary)
    if abs(angle) >= 0.05:
        grey = rotate(grey, angle, 255)
        binary = binarize(grey, dpi)
    grids = find_grids(binary, dpi)
    boxes = recognise(grey, grids, _grid_rules(binary, dpi, grids), dpi)
    chars = to_chars(boxes, k)
    RECOGNISED["pages"] += 1
    p = Page(number=number, height=grey.shape[0] * k, width=grey.shape[1] * k)
    used: set[int] = set()
    for g in grids:
        bbox = tuple(v * k for v in g.bbox)
        cells = [tuple(v * k for v in c) for c in g.cells]
        if len(cells) < 2:
            continue
        inside = [c for c in chars if in_box(c, bbox)]  # type: ignore[arg-type]
        used.update(id(c) for c in inside)
        tb = build_grid(PageTable(bbox, cells), inside, number, n_tables, spaces=False)  # type: ignore[arg-type]
        for cell in tb.cells():
            cell.text = normalise(cell.text, cell=True)
        p.tables.append(tb)
        p.table_tops.append(bbox[1])
        n_tables += 1
    p.lines = group_lines([c for c in chars if id(c) not in used], number, spaces=False)
    _snap_left(p.lines)
    weight = sum(len(b.text) for b in boxes)
    conf = sum(b.score * len(b.text) for b in boxes) / weight if weight else None
    return PageResult(p, conf, orientation), n_tables


def _snap_left(lines: list[Any], tol: float = 3.0) -> None:
    """Lines that start within `tol` points of the page's most common left edge start exactly there
    (detection boxes jitter by a pixel or two; the paragraph rules compare left edges)."""
    if not lines:
        return
    from collections import Counter

    left = Counter(round(ln.x0) for ln in lines).most_common(1)[0][0]
    for ln in lines:
        d = left - ln.x0
        if 0 < abs(d) <= tol:
            for ch in ln.chars:
                ch["x0"] += d
                ch["x1"] += d


def _ocr_page(pdf: Any, path: Path, number: int) -> PageResult:
    """Page `number` of the open PDF read by OCR; PageResult(None, None) when it cannot be."""
    import pypdfium2

    try:
        page = pdf[number - 1]
    except pypdfium2.PdfiumError:  # a page PDFium cannot load either
        return PageResult(None, None)
    log.info("OCR: %s page %d", path.name, number)
    try:
        return read_page(page, number, 0)[0]
    except Exception:  # an image OpenCV or the engine cannot take: the page stays unread
        return PageResult(None, None)
    finally:
        page.close()


def read_scans(path: Path, pages: list[Any], numbers: list[int], n_pages: int,
               vocabulary: HeaderVocabulary | None = None) -> Document:
    """The document, with the pages `numbers` (1-based, no text layer) read by OCR in `pages`; with
    `vocabulary`, tables drawn without rules among their text too (imtc/extract/ocr_layout.py).

    Tables are numbered again in document order afterwards. Pages OCR reads nothing on (blank, or
    beyond MAX_OCR_PAGES) stay in `pages_without_text`."""
    from imtc.extract.ocr_layout import record_orientation, ruleless_on_scans
    from imtc.extract.pdf_reader import page_blocks, page_sizes

    if not available():
        return Document(blocks=page_blocks(pages), pages=n_pages, pages_without_text=numbers,
                        page_sizes=page_sizes(pages)).number()
    import pypdfium2

    engine()  # first: it sets OpenCV's threads, whose pool a forked worker must not inherit in use
    unread: list[int] = []
    doc = Document(blocks=[], pages=n_pages)
    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:  # a file only pdfminer opens: its pages stay unread, and say so
        pdf = None
        unread.extend(numbers)
        numbers = []
    try:
        for i, number in enumerate(numbers):
            if i >= MAX_OCR_PAGES:
                unread.append(number)
                continue
            res = _ocr_page(pdf, path, number)
            if res.confidence is None:
                unread.append(number)
                continue
            pages[number - 1] = res.page
            doc.ocr_pages.append(number)
            doc.ocr_confidence[number] = round(res.confidence, 3)
            record_orientation(doc, number, res.orientation)
    finally:
        if pdf is not None:
            pdf.close()
    if vocabulary is not None:
        doc.ocr_straddling = ruleless_on_scans([pages[n - 1] for n in doc.ocr_pages], vocabulary)
    n = 0
    for p in pages:  # document order, as the reader numbers them
        for t in p.tables:
            t.index = n
            n += 1
    doc.blocks = page_blocks(pages)
    for b in doc.blocks:
        if isinstance(b, Paragraph) and b.page in doc.ocr_pages:
            b.text = normalise(b.text)
    doc.pages_without_text = unread
    doc.page_sizes = page_sizes(pages)
    return doc.number()
