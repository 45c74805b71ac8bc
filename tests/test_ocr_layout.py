"""How a scanned page lies, and tables without rules on scans (imtc/extract/ocr_layout.py), on
hand-made images and hand-made recognition results: no OCR engine (tests/test_ocr_layout_slow.py
reads whole pages)."""

from __future__ import annotations

from imtc.extract.blocks import Document
from imtc.extract.ocr_layout import (
    Orientation,
    blanks,
    channel,
    drop_contained,
    ink_runs,
    joins,
    layout_findings,
    leading_marks,
    missed_lines,
    record_orientation,
    redetect,
    ruleless_on_scans,
    runs_across,
    split_at_gaps,
    trailing_marks,
    trim_overlaps,
    turned,
)
from imtc.extract.pdf_reader import Page, group_lines
from imtc.extract.tables import header_vocabulary
from tests.conftest import need_module

cv2 = need_module("cv2")
np = need_module("numpy")


def _lines_of_blobs(lines: int, chars: int, size: int = 10, gap: int = 2, leading: int = 8) -> np.ndarray:
    """Ink (0/1) of `lines` text lines of `chars` square blobs each: `gap` pixels between the blobs
    of a line, `leading` between lines."""
    img = np.zeros((lines * (size + leading) + 20, chars * (size + gap) + 20), np.uint8)
    for r in range(lines):
        for c in range(chars):
            y, x = 10 + r * (size + leading), 10 + c * (size + gap)
            img[y:y + size, x:x + size] = 1
    return img


def test_characters_of_a_line_join_along_it_and_not_across() -> None:
    ink = _lines_of_blobs(4, 7)
    assert joins(ink) == (24, 0)  # 28 blobs; along: 4 lines left; across: the leading is wider than the stroke
    assert runs_across(ink) is True
    assert joins(ink.T.copy()) == (0, 24)
    assert runs_across(ink.T.copy()) is False  # the page fed sideways: the text runs down it


def test_too_little_text_decides_nothing() -> None:
    assert runs_across(np.zeros((100, 100), np.uint8)) is None
    assert runs_across(_lines_of_blobs(3, 6)) is None  # 15 joins: too few to tell


def test_quarter_turns() -> None:
    img = np.array([[1, 2], [3, 4]], np.uint8)
    assert turned(img, 90).tolist() == [[2, 4], [1, 3]]  # counter-clockwise
    assert turned(img, 270).tolist() == [[3, 1], [4, 2]]
    assert turned(img, 180).tolist() == [[4, 3], [2, 1]]
    assert turned(img, 0) is img


def test_blank_runs_part_a_line_only_where_wide() -> None:
    cols = np.array([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1], bool)
    assert ink_runs(cols, 3) == [(0, 6), (11, 12)]
    assert ink_runs(cols, 6) == [(0, 12)]


def _grey_line(texts: list[tuple[int, int]], height: int = 40, width: int = 600) -> np.ndarray:
    """A grey strip with ink 24 pixels high from x0 to x1 for each (x0, x1)."""
    img = np.full((height, width), 245, np.uint8)
    for x0, x1 in texts:
        img[8:32, x0:x1] = 20
    return img


def test_a_detected_line_is_cut_at_a_blank_as_wide_as_a_cell_gap() -> None:
    clean = _grey_line([(10, 100), (108, 200), (240, 330)])  # an 8 px space, then a 40 px gap (24 px ink: an em)
    cut = split_at_gaps(clean, [(0, 0, 340, 40)], lambda r: False)
    assert cut == [(7, 0, 203, 40), (237, 0, 333, 40)]  # each part its ink and a little room
    assert split_at_gaps(clean, [(0, 0, 340, 40)], lambda r: True) == [(0, 0, 340, 40)]  # in a ruled table: whole


def _cjk_line(widths: list[int], blank_after: dict[int, int], lead: int = 10) -> tuple[np.ndarray, list[float]]:
    """A grey line of characters 28 px high (an em), the first `lead` px into it, each of `widths` px
    of ink 3 px apart, and the blank after character i `blank_after[i]` px instead; and where a
    recogniser reads each: 8 px (a time step or so) into it."""
    starts, x = [], lead
    for i, w in enumerate(widths):
        starts.append(x)
        x += w + blank_after.get(i, 3)
    img = np.full((40, x + 10), 245, np.uint8)
    for s, w in zip(starts, widths, strict=True):
        img[6:34, s:s + w] = 20
    return img, [s + 8.0 for s in starts]


def test_a_blank_between_two_texts_read_as_one_line_is_found_and_given_to_the_character_after_it() -> None:
    # "研发、生产否": two cells' texts aligned left, 21 px (three quarters of an em) apart, read as one line
    img, at = _cjk_line([26, 26, 9, 26, 26, 26], {5 - 1: 21, 2: 22})  # 、's glyph leaves its em blank after it
    assert blanks(img, "研发、生产否", at) == [(5, 154, 175)]  # 产 ends at 154, 否 starts at 175
    # the blank after 、 is its own, not a gap between texts; a space read there says so already
    img, at = _cjk_line([26, 26, 9, 26, 26], {2: 22})
    assert blanks(img, "研发、生产", at) == []
    img, at = _cjk_line([16, 16, 16, 8, 16, 16], {3: 16})
    assert blanks(img, "MPE: ±0", at) == []  # (seven characters read: lengths differ, nothing placed)
    img, at = _cjk_line([16, 16, 16, 8, 8, 16, 16], {3: 16})
    assert blanks(img, "MPE: ±0", at) == []  # a space read there already
    img, at = _cjk_line([16, 16, 16, 8, 16, 16], {3: 11})
    assert blanks(img, "MPE:±0", at) == []  # a space between words (0.4 em) is no gap between texts
    img, at = _cjk_line([16, 16, 16, 8, 16, 16], {3: 16})
    assert blanks(img, "MPE:±0", at) == [(4, 75, 91)]  # a gap the recogniser read no space in: ":" ends at 75
    img, at = _cjk_line([26, 26, 26, 26], {1: 20})
    assert blanks(img, "证”成果", at) == []  # “” are full-width signs too


def test_a_blank_beside_a_bracket_of_latin_text_read_full_width_is_a_gap_between_texts() -> None:
    # "电池包容量" and "(10~300)" of two cells 17 px (0.6 em) apart, the range's half-width bracket read
    # as "（" (seed 772 at 200 dpi): its narrow glyph leaves no blank half, the blank is the cells' gap
    img, at = _cjk_line([26, 26, 8, 14, 14], {1: 17})
    assert blanks(img, "容量（10", at) == [(2, 65, 82)]  # 量 ends at 65, "（" starts at 82
    assert blanks(img, "容量（测量", at) == []  # a full-width bracket of Chinese text: its em's blank half
    img, at = _cjk_line([14, 14, 8, 26, 26], {2: 17})
    assert blanks(img, "00）交流", at) == [(3, 52, 69)]


def test_a_blank_before_the_first_character_of_a_box_drawn_loose_is_found() -> None:
    # "PASAN" boxed from 40 px (an em and a half) left of its ink: the first character where the ink starts
    img, at = _cjk_line([18, 18, 18, 18, 18], {}, lead=40)
    assert blanks(img, "PASAN", at) == [(0, 0, 40)]
    img, at = _cjk_line([18, 18, 18, 18, 18], {}, lead=12)
    assert blanks(img, "PASAN", at) == []  # the detector's usual margin (less than half an em)
    # a lone "是" boxed from where the text of the column before it ends (1.2 em of paper before it):
    # placed at the box's edge it joined that text ("试验是": seed 284's 11 是/否 lost)
    img, at = _cjk_line([26], {}, lead=34)
    assert blanks(img, "是", [0.0]) == [(0, 0, 34)]
    img, at = _cjk_line([26], {}, lead=8)
    assert blanks(img, "是", [0.0]) == []
    img, at = _cjk_line([10, 10], {0: 20}, lead=34)  # one character read over two runs of ink: no blank inside it
    assert blanks(img, "川", [0.0]) == [(0, 0, 34)]
    # a lone digit boxed with the detector's margin on both sides (11 px: more than half its ink's height)
    img = np.full((40, 34), 245, np.uint8)
    img[10:28, 12:22] = 20
    assert blanks(img, "2", [0.0]) == []


def test_a_blank_between_columns_runs_on_above_and_below_the_line() -> None:
    dark = np.zeros((120, 400), np.uint8)
    dark[48:72, 10:150] = 1
    dark[48:72, 160:300] = 1  # a 10 px blank: 0.42 em of 24 px
    box = (0, 40, 400, 80)
    assert channel(dark, box, 24.0) == [(0, 400)]  # no line around it (a heading's blank)
    dark[90:100, 60:140] = 1
    dark[90:100, 170:250] = 1  # the next line keeps the blank: two texts
    assert channel(dark, box, 24.0) == [(10, 150), (160, 300)]
    dark[20, 152:154] = 1  # two pixels of dust above it
    assert channel(dark, box, 24.0) == [(10, 150), (160, 300)]
    dark[20:30, 140:170] = 1  # the line above crosses it: a blank inside a text (after a comma)
    assert channel(dark, box, 24.0) == [(0, 400)]
    dark[20:30, 140:170] = 0
    dark[48:72, 150:155] = 1  # 5 px: a space between words
    assert channel(dark, box, 24.0) == [(0, 400)]


def test_a_box_over_two_lines_is_detected_again_at_full_resolution() -> None:
    clean = np.full((400, 600), 245, np.uint8)
    rects = [(10, 10, 210, 50), (10, 60, 210, 100), (300, 10, 500, 50), (300, 40, 500, 140)]  # the last 2.5 lines high
    seen = []

    def detect(image: np.ndarray) -> list[tuple[int, int, int, int]]:
        seen.append(image.shape)  # the box and half a line of paper around it
        return [(20, 0, 215, 30), (25, 45, 120, 75), (130, 90, 230, 120)]  # 30 px high: 5 px more above and below

    out = redetect(clean, rects, lambda r: False, detect)
    assert seen == [(140, 240)]
    # the first box found is the line (300, 10, 500, 50) again: left out
    assert out == [*rects[:3], (305, 60, 400, 100), (410, 105, 510, 145)]
    assert redetect(clean, rects, lambda r: r == rects[3], detect) == rects  # in a ruled table: as it was
    assert redetect(clean, rects, lambda r: False, lambda image: [(25, 45, 120, 75)]) == rects  # one text: as it was


def test_a_box_crossed_by_a_blank_between_columns_is_detected_again() -> None:
    clean = np.full((400, 600), 245, np.uint8)
    clean[318:342, 20:150] = 20
    clean[318:342, 162:300] = 20  # 12 px apart: 0.4 em of the boxes' 40 px / 1.3
    rects = [(10, 10, 210, 50), (10, 60, 210, 100), (10, 310, 310, 350)]
    seen = []

    def detect(image: np.ndarray) -> list[tuple[int, int, int, int]]:
        seen.append(image.shape)
        return [(25, 25, 145, 55), (170, 25, 295, 55)]

    assert redetect(clean, rects, lambda r: False, detect) == rects and not seen  # nothing around: a heading's blank
    clean[356:376, 100:150] = 20
    clean[356:376, 162:200] = 20  # the next line keeps the blank
    assert redetect(clean, rects, lambda r: False, detect) == [*rects[:2], (25, 310, 145, 350), (170, 310, 295, 350)]
    assert seen == [(80, 330)]  # the box and half a line of paper around it
    clean[290:300, 140:170] = 20  # a line above across the blank: one text
    assert redetect(clean, rects, lambda r: False, detect) == rects and len(seen) == 1


def test_texts_of_narrow_centred_cells_the_detector_joins_twice_are_cut_at_the_blanks_between_columns() -> None:
    # a reportlab table without rules, narrow columns, cells centred vertically: "电池容（1~300）±0.5%试系统"
    clean = np.full((500, 400), 245, np.uint8)
    for x0, x1 in ((25, 125), (140, 228), (257, 345)):
        clean[240:256, x0:x1] = 20  # the header row, 1.5 em above: its texts narrower or wider than the cells'
    clean[300:324, 20:120] = 20
    clean[312:336, 135:235] = 20  # the middle cell's one line half a line lower than its neighbours' first
    clean[300:324, 250:350] = 20
    for x0, x1 in ((30, 110), (150, 220), (260, 340)):
        clean[390:406, x0:x1] = 20  # the next row, 1.9 em below
    rects = [(15, 232, 135, 264), (135, 232, 235, 264), (250, 232, 350, 264), (10, 292, 360, 344),
             (25, 382, 115, 414), (145, 382, 225, 414), (255, 382, 345, 414)]
    seen = []

    def detect(image: np.ndarray) -> list[tuple[int, int, int, int]]:
        seen.append(image.shape)
        return [(12, 18, 352, 66)]  # at full resolution the three texts are one box again

    out = redetect(clean, rects, lambda r: False, detect)
    assert seen == [(84, 376)]
    # one box a text, 32 px high as the page's boxes, 0.15 em of room on each side
    assert out == [*rects[:3], (17, 296, 123, 328), (132, 308, 238, 340), (247, 296, 353, 328), *rects[4:]]
    clean[300:324, 120:135] = 20
    clean[312:336, 235:250] = 20  # the texts touch: one text
    assert redetect(clean, rects, lambda r: False, detect) == rects


def test_a_line_over_three_cells_the_detector_joins_twice_is_cut_but_not_after_a_notes_mark() -> None:
    def page(texts: list[tuple[int, int]], around: tuple[tuple[int, int], ...] = ((25, 115), (145, 235), (265, 345))
             ) -> np.ndarray:
        clean = np.full((500, 400), 245, np.uint8)
        for y in (262, 346):  # the rows above and below, within an em: they keep the blanks between columns
            for x0, x1 in around:
                clean[y:y + 24, x0:x1] = 20
        for x0, x1 in texts:
            clean[304:328, x0:x1] = 20
        return clean

    rects = [(15, 258, 120, 290), (140, 258, 240, 290), (260, 258, 350, 290), (10, 300, 360, 332),
             (15, 342, 120, 374), (140, 342, 240, 374), (260, 342, 350, 374)]

    def detect(image: np.ndarray) -> list[tuple[int, int, int, int]]:
        return [(15, 15, 355, 47)]  # at full resolution one box again

    out = redetect(page([(20, 120), (140, 240), (260, 350)]), rects, lambda r: False, detect)
    assert out == [*rects[:3], (17, 300, 123, 332), (137, 300, 243, 332), (257, 300, 353, 332), *rects[4:]]
    # 注： then its text: a mark 2 em wide before the first blank is no cell
    note = page([(60, 110), (150, 350)], around=((25, 100), (160, 235), (265, 345)))
    assert redetect(note, rects, lambda r: False, detect) == rects


def test_orientation_recorded_and_said() -> None:
    doc = Document(blocks=[])
    record_orientation(doc, 1, Orientation(0))
    record_orientation(doc, 2, Orientation(90))
    record_orientation(doc, 3, Orientation(270))
    record_orientation(doc, 4, Orientation(0, decided=False))
    record_orientation(doc, 5, None)
    assert doc.ocr_turned == {2: 90, 3: 270} and doc.ocr_unsure_pages == [4]
    turned_, unsure = layout_findings(doc)
    assert (turned_.code, turned_.severity) == ("ocr-pages-turned", "info")
    assert turned_.message == "第 2–3 页的扫描图像方向不正（横向页面竖着扫描，或上下颠倒），已自动转正后识别。"
    assert (unsure.code, unsure.severity, unsure.location.page) == ("ocr-orientation-unsure", "warning", 4)
    assert unsure.message.startswith("第 4 页扫描图像的方向无法确定")
    assert layout_findings(Document(blocks=[])) == []


# --- a table without rules, as OCR hands it over ------------------------------------------------------

K = 72 / 200  # points a pixel at 200 dpi
HEADER = ["序号", "测量仪器名称", "型号规格", "测量范围", "技术要求", "测量参数", "投资金额（万元）", "备注"]
XS = [100, 220, 560, 820, 1080, 1380, 1640, 1900]  # each column's left edge, pixels
ROWS = [["1", "数字多用表", "34470A", "(0~1000)V", "±0.0016%", "直流电压", "8.5", "已建"],
        ["2", "标准测力仪", "BSQ-300kN", "(1~300)KN", "0.1级", "力值", "18", "新"]]


def _ocr_chars(merged: bool = False) -> list[dict]:
    """The recognised lines of a page with a heading and a table drawn without rules, as
    ocr.to_chars gives them: one box per cell text, 38 pixels high (10.5 pt at 200 dpi); `merged`:
    the last row's 型号规格 and 测量范围 in one box."""
    from imtc.extract.ocr import TextBox, to_chars

    boxes = [TextBox(100, 200, 100 + 29 * 9, 238, "测量仪器设备配置表", 0.99)]
    for r, texts in enumerate([HEADER, *ROWS]):
        y = 300 + 70 * r
        for c, (x, t) in enumerate(zip(XS, texts, strict=True)):
            w = sum(29 if ord(ch) > 0x2E80 else 16 for ch in t)
            if merged and r == len(ROWS) and c in (2, 3):
                if c == 2:
                    boxes.append(TextBox(x, y, XS[3] + 150, y + 38, t + texts[3], 0.9))
                continue
            boxes.append(TextBox(x, y, x + w, y + 38, t, 0.95))
    return to_chars(boxes, K)


def test_a_table_without_rules_on_a_scan_becomes_a_table_with_its_rows() -> None:
    page = Page(number=1, height=3508 * K, width=2480 * K)
    page.lines = group_lines(_ocr_chars(), 1, spaces=False)
    ruleless_on_scans([page], header_vocabulary())
    (table,) = page.tables
    assert [ln.text for ln in page.lines] == ["测量仪器设备配置表"]
    assert table.header_rows == 1
    rows = [[c.text if c else None for c in row] for row in table.grid]
    assert rows[0] == HEADER
    assert rows[1] == ROWS[0]
    assert rows[2] == ["2", "标准测力仪", "BSQ-300kN", "(1~300)kN", "0.1级", "力值", "18", "新建"]  # as a ruled cell is mended


def test_a_short_text_the_detector_missed_beside_a_line_is_read() -> None:
    from imtc.extract.ocr_layout import lone_ink

    clean = np.full((300, 800), 245, np.uint8)
    clean[108:132, 300:500] = 20  # a detected line of text
    clean[110:130, 100:112] = 60  # a lone "4", light grey, on that line: missed
    clean[220:240, 100:112] = 20  # the same on no line: a mark
    clean[112:114, 600:602] = 20  # a speckle on the line
    rects = [(295, 100, 505, 140)]
    assert lone_ink(clean, rects, lambda r: False) == [(90, 104, 122, 136)]  # its ink, the joining stroke, room
    assert lone_ink(clean, rects, lambda r: True) == []  # in a ruled table: the table's own reader's


def test_a_line_over_two_columns_is_named_as_of_doubtful_column() -> None:
    """The recogniser took 型号规格 and 测量范围 of the second row for one line: it stays whole in
    its first column, and the cell is named (the finding ocr-column-unsure)."""
    page = Page(number=1, height=3508 * K, width=2480 * K)
    page.lines = group_lines(_ocr_chars(merged=True), 1, spaces=False)
    doubtful = ruleless_on_scans([page], header_vocabulary())
    (table,) = page.tables
    row = [c.text if c else None for c in table.grid[2]]
    assert row == ["2", "标准测力仪", "BSQ-300kN(1~300)kN", "", "0.1级", "力值", "18", "新建"]
    assert doubtful == [table.grid[2][2]]
    doc = Document(blocks=[table], ocr_straddling=doubtful).number()
    (finding,) = layout_findings(doc)
    assert finding.code == "ocr-column-unsure" and finding.location.blocks == ["t0.r2.c2"]
    assert finding.message.startswith("第 1 页第 1 个表格（无框线）第 3 行第 3 列识别出的文字“BSQ-300kN(1~300)kN”跨入了右侧相邻一栏")


def test_a_scanned_cell_over_two_columns_is_named_once() -> None:
    """The same merged line starting 20 pixels into its column: the text PDFs' finder marks it as
    reaching into the next column (Cell.crossing: column-uncertain) and OCR's check names it too
    (ocr-column-unsure); a scanned cell gets only OCR's finding."""
    from imtc.extract.ocr import TextBox, to_chars

    boxes = []
    for r, texts in enumerate([HEADER, *ROWS]):
        y = 300 + 70 * r
        for c, (x, t) in enumerate(zip(XS, texts, strict=True)):
            if r == len(ROWS) and c == 2:
                boxes.append(TextBox(x + 20, y, XS[3] + 150, y + 38, t + texts[3], 0.9))
            elif not (r == len(ROWS) and c == 3):
                boxes.append(TextBox(x, y, x + sum(29 if ord(ch) > 0x2E80 else 16 for ch in t), y + 38, t, 0.95))
    text_pdf = Page(number=1, height=3508 * K, width=2480 * K)
    text_pdf.lines = group_lines(to_chars(boxes, K), 1, spaces=False)
    from imtc.extract.pdf_reader import add_ruleless

    add_ruleless([text_pdf], header_vocabulary())
    assert [(c.text, c.crossing) for c in text_pdf.tables[0].cells() if c.crossing] == [
        ("BSQ-300kN(1~300)KN", [("BSQ-300kN(1~300)KN", 3)])]  # as the text PDFs' finder reads it
    page = Page(number=1, height=3508 * K, width=2480 * K)
    page.lines = group_lines(to_chars(boxes, K), 1, spaces=False)
    doubtful = ruleless_on_scans([page], header_vocabulary())
    (table,) = page.tables
    assert doubtful == [table.grid[2][2]] and doubtful[0].text == "BSQ-300kN(1~300)kN"
    assert not any(c.crossing for c in table.cells())


def test_texts_of_a_line_are_levelled_within_a_fifth_of_an_em() -> None:
    from imtc.extract.ocr_layout import level
    from imtc.extract.pdf_reader import Line

    def ch(text: str, x: float, top: float, bottom: float, size: float, box: int) -> dict:
        return {"text": text, "x0": x, "x1": x + 8, "top": top, "bottom": bottom, "size": size, "box": box}

    line = Line([ch("2", 10, 87.6, 96.0, 8.3, 0),  # a lone digit's box: smaller and lower, on the line's middle
                 ch("电", 40, 85.8, 96.3, 10.5, 1), ch("池", 50, 85.8, 96.3, 10.5, 1),
                 ch("J", 80, 86.2, 96.7, 10.5, 2),  # a pixel lower: jitter
                 ch("新", 120, 90.0, 100.5, 10.5, 3)], page=1)  # 4 pt lower: centred on two lines, kept
    out = level(line)
    assert [(c["top"], c["bottom"]) for c in out.chars] == [(86.0, 96.5)] * 4 + [(90.0, 100.5)]  # the medians
    assert out.chars[0]["size"] == 8.3 and line.chars[0]["top"] == 87.6  # sizes kept; the line itself untouched


def test_a_heading_label_boxed_apart_is_attached_to_its_title() -> None:
    from imtc.extract.ocr_layout import attach_label
    from imtc.extract.pdf_reader import Line
    from imtc.extract.pdf_stream import split_words

    def box(text: str, x0: float, x1: float, n: int) -> list[dict]:
        w = (x1 - x0) / len(text)
        return [{"text": ch, "x0": x0 + i * w, "x1": x0 + (i + 1) * w, "top": 80.0, "bottom": 90.5, "size": 10.5,
                 "box": n} for i, ch in enumerate(text)]

    heading = Line(box("(二)", 84, 99, 0) + box("关键参数", 115, 157, 1), page=1)
    out = attach_label(heading)
    assert [round(c["x0"], 2) for c in out.chars[:3]] == [84.0, 94.33, 104.67] and out.chars[2]["x1"] == 115.0
    assert [w.text for w in split_words(out, 0)] == ["(二)关键参数"]  # one text: a heading that ends a table
    assert out.text == heading.text == "(二)关键参数"
    seq = Line(box("1", 100, 106, 0) + box("组件最大功率", 120, 183, 1), page=1)  # a 序号 is no label
    assert attach_label(seq) is seq
    far = Line(box("(二)", 84, 99, 0) + box("关键参数", 150, 192, 1), page=1)  # further than 2 ems: apart
    assert attach_label(far) is far


def test_a_note_under_a_table_is_one_text() -> None:
    from imtc.extract.ocr_layout import join_note
    from imtc.extract.pdf_reader import Line
    from imtc.extract.pdf_stream import split_words

    def box(text: str, x0: float, x1: float, n: int) -> list[dict]:
        w = (x1 - x0) / len(text)
        return [{"text": ch, "x0": x0 + i * w, "x1": x0 + (i + 1) * w, "top": 80.0, "bottom": 90.5, "size": 10.5,
                 "box": n} for i, ch in enumerate(text)]

    note = Line(box("注：新建项目填“新建”，", 127, 242.5, 0) + box("已有项目填“已建”", 251, 345.5, 1), page=1)
    assert [w.text for w in split_words(note, 0)] == ["注：新建项目填“新建”，", "已有项目填“已建”"]  # as read: two texts
    out = join_note(note)
    assert [w.text for w in split_words(out, 0)] == ["注：新建项目填“新建”，已有项目填“已建”"]
    assert out.chars[11]["x1"] == 251 and out.text == note.text
    far = Line(box("注：新建，", 127, 179.5, 0) + box("已建", 210, 231, 1), page=1)  # further than 2 ems: apart
    assert [w.text for w in split_words(join_note(far), 0)] == ["注：新建，", "已建"]
    row = Line(box("合计", 127, 148, 0) + box("1095", 251, 273, 1), page=1)  # no note
    assert join_note(row) is row


def test_two_boxes_over_the_same_cells_are_both_cut_and_each_text_kept_once() -> None:
    # a reportlab table without rules, cells centred vertically, 1 pt of padding: the detector takes the
    # lines of three cells for one box too high for a line, and the second lines of two of them for
    # another box overlapping it; each box's parts lie half inside the other box, and were dropped as
    # found already: "V；电流（005%，电流" (a range's and a requirement's lines) read as one text
    clean = np.full((500, 400), 245, np.uint8)
    for y in (240, 400):  # the rows above and below keep the blanks between columns
        for x0, x1 in ((25, 115), (145, 235), (265, 345)):
            clean[y:y + 24, x0:x1] = 20
    clean[300:324, 20:120] = 20  # a cell of one line
    for y in (292, 324):  # two cells of two lines each
        clean[y:y + 24, 140:240] = 20
        clean[y:y + 24, 260:350] = 20
    rects = [(15, 236, 120, 268), (140, 236, 240, 268), (260, 236, 350, 268), (10, 284, 360, 345),
             (135, 318, 355, 356), (15, 396, 120, 428), (140, 396, 240, 428), (260, 396, 350, 428)]

    def detect(image: np.ndarray) -> list[tuple[int, int, int, int]]:
        return [(10, 10, image.shape[1] - 10, image.shape[0] - 10)]  # at full resolution one box again

    out = redetect(clean, rects, lambda r: False, detect)
    assert out == [*rects[:3], (17, 296, 123, 328), (137, 288, 243, 320), (137, 320, 243, 352),
                   (257, 288, 353, 320), (257, 320, 353, 352), *rects[5:]]


def test_a_neighbouring_line_found_in_the_margin_of_a_box_looked_at_again_is_not_its_text() -> None:
    # two lines of two narrow cells each, both boxes crossed by the blank between the columns; looking
    # again at the lower one, with half a line of paper around it, the detector also finds the foot of
    # the upper line's second text: that is the upper box's, which is looked at again too (it was kept
    # as a part of the lower box, the upper box's own parts dropped as found already, and the upper
    # box read whole: "(0~10)0~10)")
    clean = np.full((440, 600), 245, np.uint8)
    for y in (260, 300, 340, 380):  # a line above and one below keep the blank too
        clean[y:y + 24, 20:150] = 20
        clean[y:y + 24, 162:300] = 20
    upper, lower = (10, 294, 310, 330), (10, 334, 310, 370)
    tops = iter((316, 276))  # the lower box is looked at first (a tall box, say), then the upper one

    def detect(image: np.ndarray) -> list[tuple[int, int, int, int]]:
        top = next(tops)  # the crop's top: the box less half a line (18 px) of paper
        if top == 316:
            found = [(15, 336, 155, 368), (157, 336, 305, 368), (160, 316, 300, 326)]  # and the upper line's foot
        else:
            found = [(15, 296, 155, 328), (157, 296, 305, 328)]
        return [(x0, y0 - top, x1, y1 - top) for x0, y0, x1, y1 in found]

    out = redetect(clean, [lower, upper], lambda r: False, detect)
    assert out == [(15, 334, 155, 370), (157, 334, 305, 370), (15, 294, 155, 330), (157, 294, 305, 330)]


def test_a_box_whose_text_a_box_looked_at_before_found_in_part_keeps_only_its_other_texts() -> None:
    # a box over two lines (too high for one) looked at again finds the line above's first text too,
    # at its top edge; the line above, crossed by the blank between columns and found whole again, is
    # then cut there: its first text is found already, its second stays (it was read whole, the first
    # text twice: "时序U=30时序U=30ps")
    clean = np.full((480, 600), 245, np.uint8)
    for y in (260, 300, 336, 372, 420):
        clean[y:y + 24, 20:150] = 20
        clean[y:y + 24, 162:300] = 20
    rects = [(10, 254, 310, 290), (10, 310, 310, 400), (10, 294, 310, 330), (10, 414, 310, 450)]
    found = iter([
        [],  # the first line: nothing more (it is cut at the blank)
        [(15, 338, 155, 358), (157, 338, 305, 358), (15, 374, 155, 394), (157, 374, 305, 394),
         (15, 302, 155, 322)],  # the two lines, and the first text of the line above (middle inside the box)
        [(15, 298, 305, 326)],  # the line above whole again
        []])
    tops = iter([236, 292, 276, 396])  # each crop's top: its box less half a line (18 px) of paper

    def detect(image: np.ndarray) -> list[tuple[int, int, int, int]]:
        top = next(tops)
        return [(x0, y0 - top, x1, y1 - top) for x0, y0, x1, y1 in next(found)]

    out = redetect(clean, rects, lambda r: False, detect)
    assert out[2:7] == [(15, 330, 155, 366), (157, 330, 305, 366), (15, 366, 155, 402), (157, 366, 305, 402),
                        (15, 294, 155, 330)]
    assert out[7] == (158, 294, 304, 330)  # the line above's second text, once; not the line whole


def test_a_box_lying_inside_a_larger_one_is_dropped() -> None:
    # "暂" cut at a gap from a box detected again, inside "暂无国" that reads it whole (seed 204 at 200 dpi)
    rects = [(1188, 541, 1295, 582), (1313, 541, 1344, 582), (1314, 540, 1406, 582), (1313, 584, 1405, 630)]
    assert drop_contained(rects) == [rects[0], rects[2], rects[3]]
    assert drop_contained([(0, 0, 50, 40), (30, 0, 120, 40)]) == [(0, 0, 50, 40), (30, 0, 120, 40)]  # overlapping only


def test_two_overlapping_boxes_of_a_line_are_cut_apart_at_the_blank_between_their_texts() -> None:
    # "2ps，k=" and "家计量": a box detected again reaches 35 px into 家, which both boxes then read
    img = np.full((40, 260), 245, np.uint8)
    img[6:34, 10:100] = 20  # the first text's ink
    img[6:34, 112:200] = 20  # the second's, 12 px on
    cut = trim_overlaps(img, [(5, 0, 135, 40), (108, 0, 205, 40)], lambda r: False)
    assert cut == [(5, 0, 110, 40), (110, 0, 205, 40)]  # the blank 108-112 in the overlap, 2 px of room each side
    assert trim_overlaps(img, [(5, 0, 135, 40), (108, 0, 205, 40)], lambda r: True) == [(5, 0, 135, 40), (108, 0, 205, 40)]
    solid = np.full((40, 260), 245, np.uint8)
    solid[6:34, 10:200] = 20  # no blank where they overlap: left as they are
    assert trim_overlaps(solid, [(5, 0, 135, 40), (108, 0, 205, 40)], lambda r: False) == [(5, 0, 135, 40), (108, 0, 205, 40)]
    assert trim_overlaps(img, [(5, 0, 135, 40), (108, 30, 205, 70)], lambda r: False) == [(5, 0, 135, 40), (108, 30, 205, 70)]


def test_a_blank_is_measured_in_ems_of_the_box_not_of_ink_an_underscore_stretches() -> None:
    # "U_rel=0." beside "JJF1895-" 16 px on (seed 92 at 200 dpi): the underscore reaches below the line,
    # its ink 34 px high; the box (40 px) says an em is 31 px, and the blank is half of one
    img, at = _cjk_line([16, 16, 16, 16, 16, 16], {2: 16})
    img[36:40, 26:42] = 20  # an underscore under the second character
    assert blanks(img, "U_0JJF", at) == [(3, 64, 80)]
    img, at = _cjk_line([16, 16, 16, 16, 16, 16], {2: 11})  # a space between words (0.35 em): none
    img[36:40, 26:42] = 20
    assert blanks(img, "U_0JJF", at) == []


def test_a_line_the_detector_missed_on_the_reduced_page_is_detected_again_at_full_resolution() -> None:
    # seed 134 at 200 dpi: a row's two cells found by no box; the boxes around it are 34 px high (an em 26 px)
    clean = np.full((300, 900), 245, np.uint8)
    rects = [(100, 20, 400, 54), (100, 220, 400, 254)]
    for x in range(480, 760, 30):  # the missed line: ten characters 24 px high, 6 px apart
        clean[130:154, x:x + 24] = 20
    clean[40:44, 500:503] = 20  # a speck: no line
    seen: list[tuple[int, int]] = []

    def detect(image: np.ndarray) -> list[tuple[int, int, int, int]]:
        seen.append(image.shape)
        ys, xs = np.nonzero(image < 128)
        return [(int(xs.min()) - 2, int(ys.min()) - 2, int(xs.max()) + 3, int(ys.max()) + 3)]  # tight, as at full resolution

    found = missed_lines(clean, rects, lambda r: False, detect)
    assert len(seen) == 1  # the speck is looked at by nobody
    assert found == [(478, 125, 776, 159)]  # the page's margin above and below: 34 px high as the others
    assert missed_lines(clean, rects + found, lambda r: False, detect) == []  # found: not again
    assert missed_lines(clean, rects, lambda r: True, detect) == []  # in a ruled table: its cells are read apart
    many = np.full((3000, 900), 245, np.uint8)  # a page of patterned ink: MAX_MISSED runs looked at, no more
    for y in range(100, 2900, 50):
        many[y:y + 24, 100:400] = 20
    seen.clear()
    missed_lines(many, rects, lambda r: False, detect)
    assert len(seen) == 40


def test_a_comma_wrapped_to_a_lines_start_that_the_detector_left_out_is_taken_into_its_box() -> None:
    """"阻抗±1%，" / "，相位±1°" as reportlab wraps it (seed 190 at 200 dpi): the comma 5 x 10 px, low on
    the line, 11 px before the box the detector drew from 相 on; the text of the column before ends 31
    px before the box, its own box beside it. The box is widened to take the comma in (the recogniser
    reads it again so, and it is kept where that reads the box's text after a mark: ocr.recognise);
    nothing else widens one: a speck, a mark high on the line (a quote), ink of the text before
    within reach."""
    def page(mark: tuple[int, int, int, int] | None) -> np.ndarray:
        img = np.full((80, 400), 245, np.uint8)
        img[20:49, 150:300] = 20  # 相位±1° (its box: 142..310)
        img[20:49, 60:111] = 20  # the column before's text (its box: 52..116)
        if mark is not None:
            x, y, w, h = mark
            img[y:y + h, x:x + w] = 20
        return img

    box, before = (142, 12, 310, 63), (52, 12, 116, 63)
    outside = lambda r: False  # noqa: E731
    assert leading_marks(page((126, 45, 5, 10)), [before, box], outside) == {1: (122, 12, 310, 63)}
    assert leading_marks(page((126, 45, 1, 2)), [before, box], outside) == {}  # a speck
    assert leading_marks(page((126, 16, 5, 10)), [before, box], outside) == {}  # high on the line
    assert leading_marks(page(None), [box], outside) == {}  # paper alone
    near = page((130, 45, 5, 10))
    near[20:49, 111:122] = 20  # the text before ends 20 px before the box (within an em), boxed by none
    assert leading_marks(near, [box], outside) == {}
    assert leading_marks(page((126, 45, 5, 10)), [before, box], lambda r: True) == {}  # in a ruled table
    # "U=0.03℃，k=2" on one line, the comma between the two boxes the detector drew (seed 56, LibreOffice):
    # it follows the text before at once, so it stays that text's
    one = page((126, 45, 5, 10))
    one[20:49, 111:125] = 20
    assert leading_marks(one, [(52, 12, 127, 63), box], outside) == {}
    # a box lower than the page's usual ones (a lone digit's) is left as it is
    digit = (150, 30, 163, 46)
    assert 3 not in leading_marks(page((140, 40, 4, 5)), [before, box, (300, 12, 350, 63), digit], outside)


def test_a_mark_ending_a_box_that_its_reading_may_lack_is_found_in_its_ink() -> None:
    """"频率、" boxed with its 、 (seed 668 at 200 dpi, tests/test_ocr_layout_slow.py): the box's last run
    of ink, after a blank, is small and low (its top in the lowest 40% of the ink). Such a box is read
    again with blank paper after it (half an em: 11 px). A last character of full height, a small run
    high on the line (a quote), the top of the next line's glyph reaching into the box's foot, finds
    none; nor a box in a ruled table."""
    def page(mark: tuple[int, int, int, int] | None) -> np.ndarray:
        img = np.full((60, 200), 245, np.uint8)
        img[20:43, 20:70] = 20  # 频率 (its box: 15..77)
        if mark is not None:
            x, y, w, h = mark
            img[y:y + h, x:x + w] = 20
        return img

    box = (15, 9, 77, 52)
    outside = lambda r: False  # noqa: E731
    assert trailing_marks(page((71, 37, 5, 6)), [box], outside) == {0: 11}
    assert trailing_marks(page(None), [box], outside) == {}
    assert trailing_marks(page((71, 20, 5, 23)), [box], outside) == {}  # a character's full height
    assert trailing_marks(page((71, 20, 5, 6)), [box], outside) == {}  # high on the line
    assert trailing_marks(page((71, 46, 5, 6)), [box], outside) == {}  # the next line's glyph top (seed 28)
    assert trailing_marks(page((71, 37, 6, 6)), [(15, 9, 77, 52)], lambda r: True) == {}  # in a ruled table


def test_texts_of_two_cells_at_two_heights_boxed_as_one_line_are_each_placed_at_their_own_ink() -> None:
    """The detector boxes "异质结测量" and "购置电池片" of two cells centred vertically, the second 8 px
    higher, as one line 56 px high, its next line's top reaching into the box under the second (seed
    740 at 200 dpi). Each run of characters between the blank the recogniser read a space in lies
    where its own ink does; placed at the box's middle and size, the second cell's first line seemed
    to start a line higher, and its row was cut after it."""
    import numpy as np

    from imtc.extract.ocr import TextBox, to_chars
    from imtc.extract.ocr_layout import run_inks

    img = np.full((56, 330), 245, np.uint8)
    for i in range(5):
        img[20:46, 5 + 28 * i:5 + 28 * i + 26] = 20  # 异质结测量: rows 20-45
        img[12:38, 180 + 28 * i:180 + 28 * i + 26] = 20  # 购置电池片: rows 12-37
    img[52:56, 180:240] = 20  # the top of the next line's ink
    text, at = "异质结测量 购置电池片", [8.0 + 28 * i for i in range(5)] + [150.0] + [183.0 + 28 * i for i in range(5)]
    assert run_inks(img, text, at, []) == [(0, 20, 46), (6, 12, 38)]
    assert run_inks(img[:, :150], "异质结测量", at[:5], []) == []  # one run: the box's height says where it lies
    usual = [TextBox(0, 200 + 40 * n, 100, 238 + 40 * n, "序号", 0.95) for n in range(4)]
    tall = TextBox(400, 100, 730, 156, text, 0.95, tuple(400 + a for a in at), (),
                   ((0, 120.0, 146.0), (6, 112.0, 138.0)))
    chars = to_chars([*usual, tall], K)[8:]
    size = round(38 * K / 1.3, 1)
    assert {(c["text"], round(c["top"], 1), c["size"]) for c in chars if c["text"] in "异购"} == {
        ("异", round((133 * K) - 38 * K / 2.6, 1), size), ("购", round((125 * K) - 38 * K / 2.6, 1), size)}
