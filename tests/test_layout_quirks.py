"""Layouts of real submissions (issue 15), on small pages of characters placed by hand.

- a converter's ruleless table: header centred over its columns, cells aligned left, no space
  between header and rows nor between rows, a two-line header whose lines are paragraphs set apart;
- a row that a page break cuts, under the next page's repeated title and header: its rest is
  joined to the row before the break, the next row stays a row of its own;
- touching cells: centred texts meeting exactly, texts meeting with an overlap, a ruled cell's
  character hanging past its rule.
"""

from __future__ import annotations

from typing import Any

import pytest

from imtc.extract.blocks import Paragraph, TableBlock
from imtc.extract.pdf_reader import Line, Page, add_ruleless, closing_lines, group_lines, is_cjk
from imtc.extract.pdf_stream import OpenTable, add_ruleless_tables, split_words
from imtc.extract.tables import header_vocabulary, read_tables
from imtc.extract.text import squash

SIZE = 10.5
WIDTH = 91.0  # every column as wide, as a converter lays them out
LEFT = 57.0


def chars(text: str, x: float, top: float) -> list[dict[str, Any]]:
    out = []
    for ch in text:
        w = SIZE if is_cjk(ch) else (0.25 if ch == " " else 0.5) * SIZE
        out.append({"text": ch, "x0": x, "x1": x + w, "top": top, "bottom": top + SIZE, "size": SIZE})
        x += w
    return out


def width(text: str) -> float:
    return sum(SIZE if is_cjk(ch) else (0.25 if ch == " " else 0.5) * SIZE for ch in text)


def lines_of(rows: list[tuple[float, dict[int, str]]], number: int, centred: bool = False) -> list[Line]:
    """Texts at the left of their column (or centred in it), and one-column texts at the margin (key -1)."""
    cs = []
    for top, cells in rows:
        for col, text in cells.items():
            if col < 0:
                x = LEFT
            elif centred:
                x = LEFT + col * WIDTH + (WIDTH - width(text)) / 2
            else:
                x = LEFT + col * WIDTH
            cs += chars(text, x, top)
    return group_lines(cs, number, True)


HEAD = [{0: "序号", 1: "测量", 2: "测量", 3: "测量技术要求", 4: "现有", 5: "应用", 6: "是否", 7: "备注"},
        {1: "参数", 2: "范围", 4: "能力", 5: "阶段", 6: "拟建"}]


def header(top: float, pitch: float) -> list[Line]:
    return lines_of([(top, HEAD[0]), (top + pitch, HEAD[1])], 1, centred=True)


def table(lines: list[Line], number: int, open_: OpenTable | None = None) -> tuple[TableBlock, OpenTable | None]:
    found = add_ruleless_tables(lines, 842.0, number, 0, header_vocabulary(), open_)
    assert len(found.tables) == 1, [ln.text for ln in found.lines]
    return found.tables[0], found.open


def texts(tb: TableBlock) -> list[list[str]]:
    return [[c.text if c else "" for c in row] for row in tb.grid]


def test_left_aligned_cells_under_a_centred_header_with_no_space_anywhere() -> None:
    lines = header(100, 14) + lines_of([
        (128, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 4: "具备", 5: "研发、生产", 6: "否"}),
        (142, {0: "2", 1: "直流电流", 2: "(0~1000) A", 3: "MPE: ±0.05%", 4: "部分具备", 5: "生产、使用维护", 6: "是",
               7: "扩建"}),
        (156, {0: "3", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 4: "具备", 5: "试验", 6: "否"}),
    ], 1)
    tb, _ = table(lines, 1)
    assert tb.header_rows == 1
    assert texts(tb)[1:] == [
        ["1", "直流电压", "(0~1000) V", "MPE: ±0.01%", "具备", "研发、生产", "否", ""],
        ["2", "直流电流", "(0~1000) A", "MPE: ±0.05%", "部分具备", "生产、使用维护", "是", "扩建"],
        ["3", "温度", "(-40~150) ℃", "MPE: ±0.1 ℃", "具备", "试验", "否", ""]]


def test_a_header_whose_lines_are_paragraphs_set_apart_is_one_header() -> None:
    lines = header(100, 24) + lines_of([
        (128, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±(0.01%", 4: "具备", 5: "研发", 6: "否"}),
        (142, {3: "读数)"}),
        (166, {0: "2", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 4: "具备", 5: "试验", 6: "否"}),
    ], 1)
    tb, _ = table(lines, 1)
    assert texts(tb)[0] == ["序号", "测量参数", "测量范围", "测量技术要求", "现有能力", "应用阶段", "是否拟建", "备注"]
    assert [row[:4] for row in texts(tb)[1:]] == [["1", "直流电压", "(0~1000) V", "MPE: ±(0.01%读数)"],
                                                  ["2", "温度", "(-40~150) ℃", "MPE: ±0.1 ℃"]]


def test_a_row_cut_by_a_page_break_is_joined_under_the_repeated_title_and_header() -> None:
    first = lines_of([(80, {-1: "校准项目技术需求表"})], 1) + header(100, 14) + lines_of([
        (128, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 4: "具备", 5: "研发", 6: "否"}),
        (142, {0: "2", 1: "悬浮粒子粒径与", 2: "(0.1~5) μm", 3: "0.1 μm计数效", 4: "具备", 5: "制造", 6: "否",
               7: "洁净室监测"}),
    ], 1)
    t1, open_ = table(first, 1)
    second = (lines_of([(80, {-1: "校准项目技术需求表"})], 2)
              + [Line(ln.chars, 2) for ln in header(100, 14)]
              + lines_of([(128, {1: "计数效率", 3: "率 (50±20)%"}),
                          (142, {0: "3", 1: "气体质量流量", 2: "(1~30000) sccm", 3: "MPE: ±1%SP", 4: "部分具备",
                                 5: "制造", 6: "是"})], 2))
    t2, _ = table(second, 2, open_)
    t2.index = 1
    blocks = [t1, Paragraph(text="校准项目技术需求表", index=0, page=2), t2]
    got = read_tables(blocks, ["5.1", "5.1", "5.1"], "application").tables["calibration_needs"]
    assert [(r.seq, r.parameter, r.requirement) for r in got.rows] == [
        ("1", "直流电压", "MPE: ±0.01%"), ("2", "悬浮粒子粒径与计数效率", "0.1 μm计数效率 (50±20)%"),
        ("3", "气体质量流量", "MPE: ±1%SP")]


def test_two_cells_closer_than_a_word_gap_are_cut_at_their_column_boundary() -> None:
    lines = header(100, 14)
    row = chars("1", LEFT, 128) + chars("直流电压", LEFT + WIDTH, 128)
    x = LEFT + 3 * WIDTH - width("(0~1000) V") - 2  # range ends 2 pt before its column's edge ...
    row += chars("(0~1000) V", LEFT + 2 * WIDTH + (x - (LEFT + 2 * WIDTH)), 128)
    row += chars("MPE: ±0.01%", LEFT + 3 * WIDTH + 2, 128)  # ... and the requirement starts 2 pt after it
    row += chars("具备", LEFT + 4 * WIDTH, 128) + chars("研发", LEFT + 5 * WIDTH, 128) + chars("否", LEFT + 6 * WIDTH, 128)
    tb, _ = table(lines + group_lines(row, 1, True), 1)
    assert texts(tb)[1] == ["1", "直流电压", "(0~1000) V", "MPE: ±0.01%", "具备", "研发", "否", ""]


def test_a_caption_centred_under_the_table_ends_it_and_stays_text() -> None:
    lines = header(100, 14) + lines_of([
        (128, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 4: "具备", 5: "研发", 6: "否"}),
        (142, {0: "2", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 4: "具备", 5: "试验", 6: "否"}),
    ], 1)
    caption = "校准项目技术需求表"
    lines += group_lines(chars(caption, LEFT + 4 * WIDTH - width(caption) / 2, 160), 1, True)
    found = add_ruleless_tables(lines, 842.0, 1, 0, header_vocabulary(), None)
    assert [row[0].text for row in found.tables[0].grid[1:]] == ["1", "2"]
    assert [ln.text for ln in found.lines] == [caption]


def test_a_caption_centred_on_the_page_under_a_table_as_wide_as_the_text_ends_it() -> None:
    # header and cells aligned left: the last column's texts end far short of the table's right edge
    # (the page's margin), so the table's texts are not centred where the caption is; the page is
    lines = lines_of([(100, HEAD[0]), (114, HEAD[1])], 1) + lines_of([
        (128, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 4: "具备", 5: "研发", 6: "否"}),
        (142, {0: "2", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 4: "具备", 5: "试验", 6: "否"}),
    ], 1)
    caption = "关键参数测量项目技术需求表"
    page_width = 2 * LEFT + 8 * WIDTH
    lines += group_lines(chars(caption, (page_width - width(caption)) / 2, 166), 1, True)
    found = add_ruleless_tables(lines, 595.0, 1, 0, header_vocabulary(), None, page_width)
    assert [row[0].text for row in found.tables[0].grid[1:]] == ["1", "2"]
    assert [ln.text for ln in found.lines] == [caption]


STAGE = "研发、生产、使用"  # 应用阶段 of eight characters: ends where 是否拟建's texts start (x 596)


def _needs_row(top: float, seq: str, name: str, stage: str, planned: str) -> list[dict[str, Any]]:
    x6 = LEFT + 5 * WIDTH + width(STAGE)
    return (chars(seq, LEFT, top) + chars(name, LEFT + WIDTH, top) + chars("(0~10) V", LEFT + 2 * WIDTH, top)
            + chars("MPE: ±0.1%", LEFT + 3 * WIDTH, top) + chars("具备", LEFT + 4 * WIDTH, top)
            + chars(stage, LEFT + 5 * WIDTH, top) + chars(planned, x6, top))


def _three_rows(top: float) -> list[dict[str, Any]]:
    return (_needs_row(top, "1", "直流电压", "研发", "否") + _needs_row(top + 14, "2", "直流电流", "生产", "是")
            + _needs_row(top + 28, "3", "电阻", "试验", "否"))


def test_a_row_alone_under_its_tables_header_repeated_takes_the_columns_of_the_part_above() -> None:
    # alone under the repeated header, "研发、生产、使用是" is one word with no boundary in it; the
    # part above tells where 是否拟建's column starts
    lines = header(100, 14) + group_lines(_three_rows(128), 1, True) + header(184, 14)
    lines += group_lines(_needs_row(212, "4", "交流电压", STAGE, "是"), 1, True)
    found = add_ruleless_tables(sorted(lines, key=lambda ln: ln.top), 842.0, 1, 0, header_vocabulary(), None)
    assert [texts(t)[1:] for t in found.tables][1] == [["4", "交流电压", "(0~10) V", "MPE: ±0.1%", "具备", STAGE, "是", ""]]


def test_a_row_alone_at_a_pages_foot_takes_the_columns_of_its_tables_part_on_the_next_page() -> None:
    # the same row alone under the header at the foot of page 1; the table goes on under its header
    # repeated on page 2, where three rows tell the columns: page 1 is read again in those
    one = Page(number=1, height=842.0, width=842.0,
               lines=header(740, 14) + group_lines(_needs_row(768, "1", "交流电压", STAGE, "是"), 1, True))
    two = Page(number=2, height=842.0, width=842.0,
               lines=[Line(ln.chars, 2) for ln in header(100, 14)] + group_lines(_three_rows(128), 2, True))
    add_ruleless([one, two], header_vocabulary())
    assert [texts(t)[1:] for t in one.tables] == [[["1", "交流电压", "(0~10) V", "MPE: ±0.1%", "具备", STAGE, "是", ""]]]
    assert [texts(t)[1:][0][:2] for t in two.tables] == [["1", "直流电压"]]


GROUPS = {2: "试验/检测需求", 5: "试验/检测系统或设备", 8: "校准设备或计量标准"}
SUBS = ["序号", "参数名称", "范围或量值", "允许误差", "名称型号", "参数和测量范围", "技术要求", "名称型号",
        "参数和测量范围", "技术要求", "依据技术文件", "溯源现状"]
TRACED = [{0: "1", 1: "电压", 2: "(0~10) V", 3: "±0.1%", 4: "万用表", 5: "(0~1000) V", 6: "±0.01%", 7: "校准源",
           8: "(0~1100) V", 9: "±0.001%", 10: "JJG 315", 11: "可溯源"},
          {0: "2", 1: "温度", 2: "(0~50) ℃", 3: "±1 ℃", 4: "温度计", 5: "(0~100) ℃", 6: "±0.1 ℃", 7: "铂电阻",
           8: "(0~420) ℃", 9: "U=0.02 ℃", 10: "JJG 160", 11: "可溯源"}]


def test_a_two_level_headers_group_line_set_apart_by_its_cells_padding_is_the_headers() -> None:
    # header cells padded and centred vertically: the group titles' line stands 18 pt (1.7 times the
    # font size) above the sub-headers' line, more than the space between a header's paragraphs
    lines = lines_of([(100, GROUPS), (128.5, dict(enumerate(SUBS)))], 1, centred=True)
    lines += lines_of([(150, TRACED[0]), (164, TRACED[1])], 1)
    found = add_ruleless_tables(lines, 842.0, 1, 0, header_vocabulary(), None)
    assert found.lines == []
    [tb] = found.tables
    assert tb.header_rows == 2 and [squash(c.text) for c in tb.grid[0] if c is not None][1:4] == ["试验/检测需求"] * 3
    assert texts(tb)[2:] == [[TRACED[0].get(c, "") for c in range(12)], [TRACED[1].get(c, "") for c in range(12)]]


def test_the_rest_of_a_cut_row_as_far_below_the_header_as_a_group_line_above_it_is_no_header_line() -> None:
    # the rest of row 2 atop page 2, 19 pt under the repeated header: its "标准" and "仪" are parts of
    # header texts, yet only a line of group titles alone is that far from the header line it goes with
    head = lines_of([(100, GROUPS), (118, dict(enumerate(SUBS)))], 1, centred=True)
    first = head + lines_of([(140, TRACED[0]), (154, {0: "2", 1: "功率", 2: "(0~100) kW", 3: "±0.2%", 4: "功率分析",
                                                        7: "交流功率", 8: "(1~1000) V", 10: "JJG 780", 11: "可溯源"})], 1)
    t1, open_ = table(first, 1)
    assert open_ is not None
    second = [Line(ln.chars, 2) for ln in head] + lines_of([(147.5, {4: "仪", 7: "标准源"}), (161.5, {4: "HIOKI PW6001"}),
                                                             (189.5, TRACED[1] | {0: "3"})], 2)
    t2, _ = table(second, 2, open_)
    assert t2.header_rows == 2
    assert texts(t2)[2][4:8] == ["仪\nHIOKI PW6001", "", "", "标准源"]


def edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    return {"orientation": orientation, "x0": x0, "top": top, "x1": x1, "bottom": bottom}


def test_a_row_cut_at_the_foot_of_a_page_without_its_bottom_rule_is_closed() -> None:
    xs = [50.0, 150.0, 250.0, 350.0]
    grid = [edge("h", 50, y, 350, y) for y in (100.0, 120.0, 140.0)]  # the last row, from 140, has no rule below
    grid += [edge("v", x, 100, x, 743) for x in xs]
    assert [(e["top"], e["x0"], e["x1"]) for e in closing_lines(grid)] == [(743.0, 50.0, 350.0)]
    closed = grid + [edge("h", 50, 743, 350, 743)]
    assert closing_lines(closed) == []


def test_ocr_lines_of_one_cell_whose_boxes_overlap_stay_apart() -> None:
    # two lines of a cell, the second box starting 6 pt lower although the text is 10.5 pt high (a tilt)
    first = [dict(c, box=0) for c in chars("温度U=0.3℃，", 100, 200)]
    second = [dict(c, box=1) for c in chars("湿度U=1.5%RH", 101, 206)]
    assert [ln.text for ln in group_lines(first + second, 1, False)] == ["温度U=0.3℃，", "湿度U=1.5%RH"]
    beside = [dict(c, box=2) for c in chars("k=2", 100 + width("温度U=0.3℃，") + 4, 201)]
    assert [ln.text for ln in group_lines(first + beside, 1, False)] == ["温度U=0.3℃，k=2"]


def test_ocr_text_mended_from_the_tables_vocabulary() -> None:
    from imtc.extract.ocr import mend, normalise

    assert [mend(t) for t in ("JF 1033-2023", "JG 780-1992", "JJF(浙) 1186-2022", "GBT 6495.9-2006",
                                   "GB/ T 31486-2015", "DB33T 1234-2021", "JG/T 123-2000", "JF")] == [
        "JJF 1033-2023", "JJG 780-1992", "JJF(浙) 1186-2022", "GB/T 6495.9-2006", "GB/T 31486-2015",
        "DB33/T 1234-2021", "JG/T 123-2000", "JF"]
    assert [normalise(t, cell=True) for t in ("-", "新", "已", "新建", "A-B")] == ["—", "新建", "已建", "新建", "A-B"]
    assert normalise("-") == "-"  # a paragraph's dash is left as it is


def test_a_boundary_where_long_texts_of_both_columns_leave_no_blank_is_where_fewest_cross() -> None:
    from imtc.extract.pdf_stream import Word, least_crossed

    def word(text: str, x: float, line: int) -> Word:
        return Word(chars(text, x, 100 + 14 * line), line)

    data = [word("SimcenterT3ST", 10, 0), word("结温(-55~200)℃，", 70, 0),  # 10-78.25 and 70-154 overlap
            word("KeysightN1000", 12, 1), word("带宽(DC~50) GHz", 82, 1),  # 12-80.25, then from 82
            word("T3STER", 30, 2), word("(0~50) A", 85, 2)]
    assert 80.25 <= least_crossed(40.0, 95.0, data) <= 82.0  # only the long centred text crosses there


def test_centred_texts_of_narrow_columns_that_touch_are_cut_on_their_columns_middles() -> None:
    # every cell centred; the range and the requirement (wider than its column) meet with no gap at all
    rng, req = "温度范围(-40~85)", "MPE:±0.01%读数+量程"
    x = LEFT + 2.5 * WIDTH - width(rng) / 2
    assert width(req) > WIDTH and abs(x + width(rng) + width(req) / 2 - (LEFT + 3.5 * WIDTH)) < 1.0
    row = {0: "1", 1: "直流电压", 4: "具备", 5: "研发", 6: "否"}
    cs = chars(rng, x, 128) + chars(req, x + width(rng), 128)
    cs += [c for ln in lines_of([(128, row), (142, {0: "2", 1: "温度", 2: "(0~50) ℃", 3: "±1 ℃"})], 1, centred=True)
           for c in ln.chars]
    tb, _ = table(header(100, 14) + group_lines(cs, 1, True), 1)
    assert texts(tb)[1:] == [["1", "直流电压", rng, req, "具备", "研发", "否", ""],
                             ["2", "温度", "(0~50) ℃", "±1 ℃", "", "", "", ""]]


def test_a_centred_text_touching_the_next_one_centred_with_its_trailing_space_is_cut_on_their_middles() -> None:
    # a producer centres a wrapped line with the space it ends in: the requirement's visible text
    # sits left of its column's middle by half a space, more than a centred text's tolerance
    rng, req = "温度范围(-40~85)", "温度分辨力 0.01 ℃，"
    x_req = LEFT + 3.5 * WIDTH - (width(req) + width(" ")) / 2
    x = x_req - width(rng)
    assert abs(x + width(rng) / 2 - (LEFT + 2.5 * WIDTH)) < 1.0 < LEFT + 3.5 * WIDTH - (x_req + width(req) / 2)
    row = {0: "1", 1: "直流电压", 4: "具备", 5: "研发", 6: "否"}
    cs = chars(rng, x, 128) + chars(req, x_req, 128)
    cs += [c for ln in lines_of([(128, row), (142, {0: "2", 1: "温度", 2: "(0~50) ℃", 3: "±1 ℃"})], 1, centred=True)
           for c in ln.chars]
    tb, _ = table(header(100, 14) + group_lines(cs, 1, True), 1)
    assert texts(tb)[1:] == [["1", "直流电压", rng, req.strip(), "具备", "研发", "否", ""],
                             ["2", "温度", "(0~50) ℃", "±1 ℃", "", "", "", ""]]


def test_two_cells_meeting_with_an_overlap_are_cut_where_they_meet() -> None:
    # left-aligned cells: the requirement's text runs 0.6 pt into the next column, whose text starts at its edge
    req = "MPE: ±(0.01%读数"
    row = chars("1", LEFT, 128) + chars("直流电压", LEFT + WIDTH, 128) + chars("(0~1000) V", LEFT + 2 * WIDTH, 128)
    row += chars(req, LEFT + 4 * WIDTH - width(req) + 0.6, 128) + chars("部分具备", LEFT + 4 * WIDTH, 128)
    row += chars("研发", LEFT + 5 * WIDTH, 128) + chars("否", LEFT + 6 * WIDTH, 128)
    row += chars("2", LEFT, 142) + chars("温度", LEFT + WIDTH, 142) + chars("(-40~150) ℃", LEFT + 2 * WIDTH, 142)
    row += chars("MPE: ±0.1 ℃", LEFT + 3 * WIDTH, 142) + chars("具备", LEFT + 4 * WIDTH, 142)
    tb, _ = table(header(100, 14) + group_lines(row, 1, True), 1)
    assert [r[:5] for r in texts(tb)[1:]] == [["1", "直流电压", "(0~1000) V", req, "部分具备"],
                                             ["2", "温度", "(-40~150) ℃", "MPE: ±0.1 ℃", "具备"]]


def test_a_character_hanging_past_a_rule_stays_with_its_cell() -> None:
    from imtc.extract.pdf_reader import straddling

    # "（漂移）": its closing mark hangs past the rule at 300, over the next cell's first character
    left = chars("（漂移）", 300 - 4 * SIZE + 4, 200)
    right = chars("热仪", 302, 200)
    mark = left[-1]
    assert mark["x0"] < 300 < mark["x1"] and mark["x1"] > right[0]["x0"]
    assert straddling(left + right, [300.0], 1) == {id(mark): mark["x0"] + 0.01}
    # a centred text wider than its cell overflows it: its first character straddles the rule to its left
    model = chars("T1020", 200, 300)
    rng = chars("(-40~2000)", model[-1]["x1"] - 0.2, 300)
    rule = rng[0]["x0"] + 1.0
    assert straddling(model + rng, [rule], 1) == {id(rng[0]): rng[0]["x1"] - 0.01}


def test_a_header_set_solid_under_the_paragraphs_above_it_is_found() -> None:
    # a heading, prose and the caption at the rows' own pitch: one band of lines with the table
    prose = [(16.0 + 14 * i, {-1: f"中心按产业需求梳理了第{i + 1}类校准项目。"}) for i in range(5)]
    above = lines_of([(2, {-1: "（一）校准项目技术需求表"}), *prose, (86, {-1: "中心按产业需求梳理了校准项目。"}),
                      (100, {-1: "校准项目技术需求表"})], 1)
    rows = lines_of([(142, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 4: "具备", 5: "研发", 6: "否"}),
                     (156, {0: "2", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 4: "具备", 5: "试验", 6: "否"})], 1)
    found = add_ruleless_tables(above + header(114, 14) + rows, 842.0, 1, 0, header_vocabulary(), None)
    assert len(found.tables) == 1
    assert texts(found.tables[0]) == [
        ["序号", "测量参数", "测量范围", "测量技术要求", "现有能力", "应用阶段", "是否拟建", "备注"],
        ["1", "直流电压", "(0~1000) V", "MPE: ±0.01%", "具备", "研发", "否", ""],
        ["2", "温度", "(-40~150) ℃", "MPE: ±0.1 ℃", "具备", "试验", "否", ""]]
    assert [ln.text for ln in found.lines] == ["（一）校准项目技术需求表", *(t[-1] for _, t in prose),
                                               "中心按产业需求梳理了校准项目。", "校准项目技术需求表"]


def test_a_wrapped_header_cells_last_line_just_above_the_next_header_row_is_a_line_of_its_own() -> None:
    # "依据技术 / 文件" wraps in the first header row; the sub-headers' row starts 6 pt below "文件" (9 pt type)
    cs = [dict(c, size=9.0, bottom=c["top"] + 9.0) for c in chars("文件", 469.3, 314.0) + chars("参数名称", 98.9, 320.0)]
    assert [ln.text for ln in group_lines(cs, 1, True)] == ["文件", "参数名称"]
    # a font whose boxes sit 2 pt lower on the same line stays on it
    cs = chars("温度", 100, 200) + chars("(0~50)", 121, 202)
    assert [ln.text for ln in group_lines(cs, 1, True)] == ["温度(0~50)"]


def test_centred_cjk_texts_closer_than_a_word_gap_are_words_apart() -> None:
    def line(parts: list[tuple[str, float]], top: float = 100) -> Line:
        return group_lines([c for text, x in parts for c in chars(text, x, top)], 1, True)[0]

    # 4.2 pt between two header texts of 10.5 pt type: less than a word gap (6.3 pt), not CJK's solid setting
    solid = line([("参数名称", 100), ("范围或量值", 100 + width("参数名称") + 4.2)])
    assert [w.text for w in split_words(solid, 0)] == ["参数名称", "范围或量值"]
    # a justified line whose characters all stand 4.2 pt apart is one text
    spaced = line([(ch, 100 + i * (SIZE + 4.2)) for i, ch in enumerate("参数名称")])
    assert [w.text for w in split_words(spaced, 0)] == ["参数名称"]
    # Latin words 4.2 pt apart (a space drawn as a gap) stay one word
    latin = line([("Keysight", 100), ("34470A", 100 + width("Keysight") + 4.2)])
    assert [w.text for w in split_words(latin, 0)] == ["Keysight34470A"]


def test_a_lone_entry_aligned_left_is_in_its_own_column() -> None:
    # cells aligned left; the only 是否拟建 entry starts 17.5 pt after a long 应用阶段 text, and the blank
    # after it up to its centred header is wider (24.5 pt)
    stage = "生产、使用维护"
    rows = [(128, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 4: "具备", 5: stage, 6: "是"}),
            (142, {0: "2", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 4: "具备", 5: "试验"})]
    tb, _ = table(header(100, 14) + lines_of(rows, 1), 1)
    assert texts(tb)[1:] == [["1", "直流电压", "(0~1000) V", "MPE: ±0.01%", "具备", stage, "是", ""],
                             ["2", "温度", "(-40~150) ℃", "MPE: ±0.1 ℃", "具备", "试验", "", ""]]


def test_a_text_overflowing_up_to_the_next_columns_aligned_start_is_cut_there() -> None:
    # the requirement's text runs exactly up to where the capability column's texts start (no joint)
    req = "MPE: ±0.5 ℃ 读数"
    x = LEFT + 4 * WIDTH - width(req)
    row = chars("1", LEFT, 128) + chars("直流电压", LEFT + WIDTH, 128) + chars("(0~1000) V", LEFT + 2 * WIDTH, 128)
    row += chars(req, x, 128) + chars("不具备", LEFT + 4 * WIDTH, 128) + chars("研发", LEFT + 5 * WIDTH, 128)
    row += [c for ln in lines_of([(142, {0: "2", 1: "温度", 2: "(0~50) ℃", 3: "±1 ℃", 4: "具备", 5: "试验"})], 1)
            for c in ln.chars]
    lines = group_lines(row, 1, True)
    assert "MPE: ±0.5 ℃ 读数不具备" in [w.text for w in split_words(lines[0], 0)]  # one word, no joint
    tb, _ = table(header(100, 14) + lines, 1)
    assert [r[:6] for r in texts(tb)[1:]] == [["1", "直流电压", "(0~1000) V", req, "不具备", "研发"],
                                             ["2", "温度", "(0~50) ℃", "±1 ℃", "具备", "试验"]]


def test_a_lone_digit_just_above_the_page_footer_is_no_page_number() -> None:
    from imtc.extract.pdf_reader import Page, page_blocks

    # a cell's last line "0" (of "NY-20") lies in the bottom margin, above the footer "第 N 页 共 M 页"
    pages = [Page(number=n, height=842.0, width=595.0,
                  lines=group_lines(chars("校准装置 NY-2", LEFT, 760) + chars("0", LEFT + 20, 774)
                                    + chars(f"第 {n} 页 共 2 页", 250, 810), n, True)) for n in (1, 2)]
    assert [b.text for b in page_blocks(pages)] == ["校准装置 NY-2", "0", "校准装置 NY-2", "0"]
    # a page number alone under the text is still one, on every page
    pages = [Page(number=n, height=842.0, width=595.0,
                  lines=group_lines(chars("校准装置 NY-2", LEFT, 760) + chars(str(n), 290, 810), n, True)) for n in (1, 2, 3)]
    assert [b.text for b in page_blocks(pages)] == ["校准装置 NY-2"] * 3
    # in a document with no page numbers, a cell's last line "2" in the bottom margin is text
    pages = [Page(number=n, height=842.0, width=595.0,
                  lines=group_lines(chars("校准装置 NY-2", LEFT, 760) + (chars("2", LEFT + 20, 774) if n == 2 else []),
                                    n, True)) for n in (1, 2, 3)]
    assert [b.text for b in page_blocks(pages)] == ["校准装置 NY-2", "校准装置 NY-2", "2", "校准装置 NY-2"]


def test_a_text_reaching_into_the_next_column_with_nothing_to_tell_whose_it_is_is_a_finding() -> None:
    # cells aligned left; row 2's requirement starts 23 pt into its column (no column's start, not
    # centred) and runs 30 pt into the capability column, empty on that line
    req = "MPE: ±(0.05%读数+2 μA)"
    x = LEFT + 3 * WIDTH + 23
    assert x + width(req) > LEFT + 4 * WIDTH + 30
    rows = [(128, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 4: "具备", 5: "研发", 6: "否"}),
            (142, {0: "2", 1: "直流电流", 2: "(0~10) A", 5: "生产", 6: "是"}),
            (156, {0: "3", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 4: "具备", 5: "试验", 6: "否"})]
    cs = [c for ln in lines_of(rows, 1) for c in ln.chars] + chars(req, x, 142)
    tb, _ = table(header(100, 14) + group_lines(cs, 1, True), 1)
    assert [r[3:5] for r in texts(tb)[1:]] == [["MPE: ±0.01%", "具备"], [req, ""], ["MPE: ±0.1 ℃", "具备"]]
    assert tb.grid[2][3].crossing == [(req, 4)]
    assert [c.crossing for row in tb.grid for c in row if c is not None and c is not tb.grid[2][3]] == [[]] * 31
    got = read_tables([tb], ["5.1"], "application")
    assert [(f.code, f.severity, f.location.table, f.location.row, f.location.field, f.message) for f in got.findings] == [
        ("column-uncertain", "warning", 0, 1, "requirement",
         f"“校准项目技术需求表”第 2 行的“{req}”从“测量技术要求”栏伸入“现有能力”栏；表格没有框线，无法判断它属于哪一栏，"
         "已按“测量技术要求”栏读取。请核对该行。")]
    # a text overflowing its column from where the column's texts start, or centred on its header, is no finding
    assert width(req + "，k=2") > WIDTH
    for centred in (False, True):
        lines = header(100, 14) + lines_of([*rows[:1], (142, {0: "2", 3: req + "，k=2"}), rows[2]], 1, centred)
        tb, _ = table(lines, 1)
        assert [r[3] for r in texts(tb)[1:]] == ["MPE: ±0.01%", req + "，k=2", "MPE: ±0.1 ℃"]
        assert read_tables([tb], ["5.1"], "application").findings == []


def test_a_header_line_holding_only_the_rest_of_a_wrapped_header_text_does_not_end_the_header() -> None:
    # "是否 / 拟建" wraps; the other header texts' second lines sit lower, further than rows are apart
    lines = lines_of([(100, HEAD[0]), (110, {6: "拟建"}), (128, {1: "参数", 2: "范围", 4: "能力", 5: "阶段"})], 1,
                     centred=True)
    lines += lines_of([(150, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 4: "具备", 5: "研发", 6: "否"}),
                       (164, {0: "2", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 4: "具备", 5: "试验", 6: "是"})], 1)
    tb, _ = table(lines, 1)
    assert texts(tb) == [["序号", "测量参数", "测量范围", "测量技术要求", "现有能力", "应用阶段", "是否拟建", "备注"],
                         ["1", "直流电压", "(0~1000) V", "MPE: ±0.01%", "具备", "研发", "否", ""],
                         ["2", "温度", "(-40~150) ℃", "MPE: ±0.1 ℃", "具备", "试验", "是", ""]]


def test_a_total_row_with_no_space_above_it_is_a_row_of_its_own() -> None:
    from imtc.extract.pdf_stream import TOTALS

    head = {0: "序号", 1: "测量仪器名称", 2: "型号规格", 3: "测量范围", 4: "技术要求", 5: "测量参数", 6: "投资金额（万元）",
            7: "备注"}
    rows = [(120, {0: "1", 1: "恒温槽", 2: "Fluke 7341", 3: "(-45~150) ℃", 4: "±0.005 ℃", 5: "温度", 6: "12",
                   7: "已建"}),
            (134, {1: "（油槽）"}),  # a second line of row 1's name, as far below as the 合计 is
            (148, {3: "合计", 6: "770.1"})]
    assert TOTALS[0] == "合计"
    tb, _ = table(lines_of([(100, head)], 1, centred=True) + lines_of(rows, 1, centred=True), 1)
    assert texts(tb)[1:] == [["1", "恒温槽（油槽）", "Fluke 7341", "(-45~150) ℃", "±0.005 ℃", "温度", "12", "已建"],
                             ["", "", "", "合计", "", "", "770.1", ""]]


def test_cells_centred_vertically_keep_their_lines_apart_from_the_next_rows() -> None:
    # every row: a two-line parameter (15 pt pitch) and single-line cells centred between its lines;
    # the page's lines step by 7.5 pt and 22.5 pt (24 pt in the header), never by the cells' pitch
    rows: list[tuple[float, dict[int, str]]] = []
    for r, (a, b, rng) in enumerate([("直流", "电压", "(0~1000) V"), ("交流", "电流", "(0~10) A"), ("环境", "温度", "(0~50) ℃")]):
        t = 138 + 37.5 * r
        rows += [(t, {1: a}), (t + 7.5, {0: str(r + 1), 2: rng, 3: "±0.1%", 4: "具备", 5: "研发", 6: "否"}), (t + 15, {1: b})]
    tb, _ = table(header(90, 24) + lines_of(rows, 1), 1)
    assert texts(tb)[1:] == [["1", "直流电压", "(0~1000) V", "±0.1%", "具备", "研发", "否", ""],
                             ["2", "交流电流", "(0~10) A", "±0.1%", "具备", "研发", "否", ""],
                             ["3", "环境温度", "(0~50) ℃", "±0.1%", "具备", "研发", "否", ""]]


def test_the_first_row_of_a_table_that_starts_on_its_page_is_never_the_rest_of_a_cut_row() -> None:
    # cells centred vertically: the first row's two-line range starts a half line above its entry
    rows = [(128, {2: "(100~1200)"}), (135.5, {0: "1", 1: "辐照度", 3: "U_rel=1.5%", 4: "部分具备", 5: "生产", 6: "是"}),
            (143, {2: "W/m²"}), (164, {0: "2", 1: "温度", 2: "(0~50) ℃", 3: "±0.1 ℃", 4: "具备", 5: "试验", 6: "否"})]
    found = add_ruleless_tables(header(100, 14) + lines_of(rows, 1), 842.0, 1, 0, header_vocabulary(), None)
    # (the range's first line, full, ends in a bracket before a unit: a space, as the content writes it)
    assert texts(found.tables[0])[1:] == [["1", "辐照度", "(100~1200) W/m²", "U_rel=1.5%", "部分具备", "生产", "是", ""],
                                          ["2", "温度", "(0~50) ℃", "±0.1 ℃", "具备", "试验", "否", ""]]


def test_rows_with_no_space_between_them_and_cells_centred_vertically_are_cut_on_their_entries_middles() -> None:
    # one pitch (14 pt) everywhere; each row's entry centred on its two-line texts, which start a half
    # line above the entry, right under the row before
    rows: list[tuple[float, dict[int, str]]] = []
    for r, (a, b, req, c, d) in enumerate([("直流", "电压", "±0.01%", "研发、", "生产"), ("环境", "温度", "MPE:±0.1 ℃", "试验、", "生产"),
                                           ("相对", "湿度", "U=0.3 ℃，k=2", "研发、", "试验")]):
        t = 128 + 28 * r
        rows += [(t, {1: a, 5: c}), (t + 7, {0: str(r + 1), 2: "(0~50) ℃", 3: req, 4: "具备", 6: "否"}), (t + 14, {1: b, 5: d})]
    tb, _ = table(header(100, 14) + lines_of(rows, 1), 1)
    assert [r[:6] for r in texts(tb)[1:]] == [["1", "直流电压", "(0~50) ℃", "±0.01%", "具备", "研发、生产"],
                                             ["2", "环境温度", "(0~50) ℃", "MPE:±0.1 ℃", "具备", "试验、生产"],
                                             ["3", "相对湿度", "(0~50) ℃", "U=0.3 ℃，k=2", "具备", "研发、试验"]]


def grid_block(rows: list[list[str]], index: int, page: int) -> TableBlock:
    from imtc.extract.blocks import Cell

    grid: list[list[Cell | None]] = [[Cell(t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return TableBlock(index=index, grid=grid, page=page, row_pages=[page] * len(rows))


def test_the_rest_of_a_header_row_cut_by_a_page_break_is_no_row() -> None:
    # the table's first part is its title and header, the page break cutting the header row:
    # "投资金额 / （万元）" and "测量仪器 / 名称" go on atop the next page, no rows before them
    first = grid_block([["测量仪器设备配置表"] * 8,
                        ["序号", "测量仪器", "型号规格", "测量范围", "技术要求", "测量参数", "投资金额", "备注"]], 0, 6)
    second = grid_block([["", "名称", "", "", "", "", "（万元）", ""],
                         ["1", "恒温槽", "Fluke 7341", "(-45~150) ℃", "±0.005 ℃", "温度", "12", "已建"]], 1, 7)
    got = read_tables([first, second], ["8.2", "8.2"], "application").tables["equipment"]
    assert [(r.seq, r.name, r.investment_wan, r.status) for r in got.rows] == [("1", "恒温槽", 12, "已建")]


@pytest.mark.parametrize("above, row", [
    (7, 128),  # header cells centred vertically: the two-line 测量 / 参数 starts 7 pt above the one-line texts
    # its two lines two paragraphs with space after the first (LibreOffice, layout-040-ruleless-lo-docx-report):
    # it starts a whole line (12 pt) above the others
    (12, 134),
])
def test_a_header_text_starting_above_the_others_is_the_headers(above: int, row: int) -> None:
    head = lines_of([(100 - above, {1: "测量"}), (100, {0: "序号", 2: "测量范围", 3: "测量技术要求", 4: "现有能力",
                                                       5: "应用阶段", 6: "是否拟建", 7: "备注"}),
                     (100 + above, {1: "参数"})], 1, centred=True)
    rows = lines_of([(row, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 4: "具备", 5: "研发", 6: "否"})], 1)
    found = add_ruleless_tables(head + rows, 842.0, 1, 0, header_vocabulary(), None)
    assert [texts(t) for t in found.tables] == [[
        ["序号", "测量参数", "测量范围", "测量技术要求", "现有能力", "应用阶段", "是否拟建", "备注"],
        ["1", "直流电压", "(0~1000) V", "MPE: ±0.01%", "具备", "研发", "否", ""]]]
    assert found.lines == []


def test_a_first_row_centred_vertically_under_a_repeated_header_is_no_rest_of_a_cut_row() -> None:
    first = header(100, 14) + lines_of([
        (128, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 4: "具备", 5: "研发", 6: "否"}),
        (142, {0: "2", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 4: "具备", 5: "试验", 6: "否"})], 1)
    t1, open_ = table(first, 1)
    assert open_ is not None
    # the next page: row 3's two-line name starts half a line above its entry; row 4 is one line
    second = ([Line(ln.chars, 2) for ln in header(100, 14)]
              + lines_of([(128, {1: "紫外-可见-"}), (135, {0: "3", 2: "(175~3300) nm", 3: "±0.08 nm", 4: "具备", 5: "试验",
                                                          6: "否"}), (142, {1: "近红外"}),
                          (163, {0: "4", 1: "湿度", 2: "(10~90)%RH", 3: "±3%RH", 4: "具备", 5: "试验", 6: "否"})], 2))
    t2, _ = table(second, 2, open_)
    t2.index = 1
    got = read_tables([t1, t2], ["5.1", "5.1"], "application").tables["calibration_needs"]
    assert [(r.seq, r.parameter, r.range) for r in got.rows] == [
        ("1", "直流电压", "(0~1000) V"), ("2", "温度", "(-40~150) ℃"), ("3", "紫外-可见-近红外", "(175~3300) nm"),
        ("4", "湿度", "(10~90)%RH")]


def _cut_then(second_rows: list[tuple[float, dict[int, str]]]) -> list[tuple[str | None, str | None, str | None]]:
    """Rows 1 and 2 on page 1 (row 2's name and requirement cut by the page's foot), the header
    repeated on page 2 over `second_rows`: (序号, 测量参数, 测量技术要求) of each row read."""
    first = header(100, 14) + lines_of([
        (128, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 4: "具备", 5: "研发", 6: "否"}),
        (147, {1: "电池内阻测", 3: "U_rel=0.2%，"}), (153.5, {0: "2", 2: "(0~3) Ω", 4: "具备", 5: "试验", 6: "否"}),
        (160, {1: "试仪校准装", 3: "k=2"})], 1)
    t1, open_ = table(first, 1)
    assert open_ is not None
    t2, _ = table([Line(ln.chars, 2) for ln in header(100, 14)] + lines_of(second_rows, 2), 2, open_)
    t2.index = 1
    got = read_tables([t1, t2], ["5.1", "5.1"], "application").tables["calibration_needs"]
    return [(r.seq, r.parameter, r.requirement) for r in got.rows]


def test_the_rest_of_a_cut_row_above_a_centred_row_set_solid_under_it_ends_where_its_lines_step() -> None:
    # cells centred vertically, 13 pt between a cell's lines: the rest of row 2 (two lines) runs on
    # into row 3's two-line texts, which start above row 3's entry; 15.5 pt from one cell to the next
    assert _cut_then([(128, {1: "置", 3: "（1 kHz）"}), (141, {1: "附件", 3: "频率"}),
                      (156.5, {1: "交流电压", 3: "MPE: ±0.1%，"}), (163, {0: "3", 2: "(0~750) V", 4: "具备", 5: "研发"}),
                      (169.5, {1: "测量", 3: "k=2"}), (185.5, {0: "4", 1: "温度", 2: "(0~50) ℃", 3: "U=0.1 ℃"})]) == [
        ("1", "直流电压", "MPE: ±0.01%"), ("2", "电池内阻测试仪校准装置附件", "U_rel=0.2%，k=2（1 kHz）频率"),
        ("3", "交流电压测量", "MPE: ±0.1%，k=2"), ("4", "温度", "U=0.1 ℃")]


def test_the_rest_of_a_cut_row_set_apart_above_a_centred_row_is_no_more_than_its_own_lines() -> None:
    # the rest of row 2's name is one line, set apart from row 3's two-line name, which starts above
    # row 3's entry and is row 3's all of it (the rest's requirement, two lines, keeps them in one band)
    assert _cut_then([(128, {1: "置", 3: "（1 kHz）"}), (141, {3: "频率"}),
                      (150, {1: "交流电压"}), (156.5, {0: "3", 2: "(0~750) V", 4: "具备", 5: "研发"}),
                      (163, {1: "测量"}), (181, {0: "4", 1: "温度", 2: "(0~50) ℃", 3: "U=0.1 ℃"})]) == [
        ("1", "直流电压", "MPE: ±0.01%"), ("2", "电池内阻测试仪校准装置", "U_rel=0.2%，k=2（1 kHz）频率"),
        ("3", "交流电压测量", None), ("4", "温度", "U=0.1 ℃")]


def test_the_rest_of_a_cut_row_that_is_all_in_brackets_is_joined_not_dropped() -> None:
    # the page break cut the range "(1 μA~1 A)；时序(100 ps~1 ms)": its rest atop the next page, under
    # the repeated header, is all in brackets like the template's guidance, yet is the cut row's
    head = ["序号", "测量仪器名称", "校准参量", "校准规范", "测量范围", "技术要求", "限制说明", "备注"]
    first = grid_block([head, ["5", "集成电路测试系统", "时序", "JJF 1", "电流(1 μA~1 A)；时序", "U=30 ps", "", "新建"]], 0, 9)
    second = grid_block([head, ["", "", "", "", "(100 ps~1 ms)", "", "", ""],
                         ["6", "扫描电子显微镜", "放大倍率", "JJF 2", "(100~300000)×", "U_rel=2%", "", "新建"]], 1, 10)
    got = read_tables([first, second], ["5.2", "5.2"], "application").tables["calibration_items"]
    assert [(r.seq, r.range) for r in got.rows] == [("5", "电流(1 μA~1 A)；时序(100 ps~1 ms)"),
                                                   ("6", "(100~300000)×")]


def test_the_rest_of_a_cut_row_that_reads_like_a_placeholder_is_joined_not_dropped() -> None:
    # the page break cut the range "(100~300000)×" before its last sign: a bare "×" atop the next page
    head = ["序号", "测量仪器名称", "校准参量", "校准规范", "测量范围", "技术要求", "限制说明", "备注"]
    first = grid_block([head, ["6", "扫描电子显微镜", "放大倍率", "JJF 2", "(100~300000)", "U_rel=2%", "", "新建"]], 0, 9)
    second = grid_block([head, ["", "", "", "", "×", "", "", ""],
                         ["7", "恒温槽", "温度", "JJF 3", "(0~50) ℃", "U=0.1 ℃", "", "新建"]], 1, 10)
    got = read_tables([first, second], ["5.2", "5.2"], "application").tables["calibration_items"]
    assert [(r.seq, r.range) for r in got.rows] == [("6", "(100~300000)×"), ("7", "(0~50) ℃")]


def test_a_guidance_row_atop_a_continuing_part_is_dropped_not_joined() -> None:
    # the template's guidance row (words in brackets) under the header repeated atop the next page:
    # no key, yet no rest of a cut row (a value in brackets there is: the test above)
    head = ["序号", "测量仪器名称", "校准参量", "校准规范", "测量范围", "技术要求", "限制说明", "备注"]
    first = grid_block([head, ["5", "集成电路测试系统", "时序", "JJF 1", "(1 μA~1 A)", "U=30 ps", "", "新建"]], 0, 9)
    second = grid_block([head, ["", "（填写仪器名称）", "", "", "（填写测量范围）", "", "", ""],
                         ["6", "扫描电子显微镜", "放大倍率", "JJF 2", "(100~300000)×", "U_rel=2%", "", "新建"]], 1, 10)
    got = read_tables([first, second], ["5.2", "5.2"], "application").tables["calibration_items"]
    assert [(r.seq, r.instrument, r.range) for r in got.rows] == [("5", "集成电路测试系统", "(1 μA~1 A)"),
                                                                 ("6", "扫描电子显微镜", "(100~300000)×")]


def test_a_first_row_whose_texts_touch_at_the_tables_middle_is_no_caption_under_it() -> None:
    # cells centred vertically: the first row's two middle texts start above its entry, on a line of
    # their own, and touch at the table's middle (one word there): a row's, not a caption ending the table
    x = LEFT + 4 * WIDTH - width("(0~500) ℃")
    first = group_lines(chars("(0~500) ℃", x, 124) + chars("温度分辨力", LEFT + 4 * WIDTH, 124), 1, True)
    rows = lines_of([(131, {0: "1", 1: "绝热量热仪", 2: "(0~50) ℃", 5: "研发", 6: "否"}),
                     (145, {0: "2", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 4: "具备", 5: "试验", 6: "否"})], 1)
    tb, _ = table(header(100, 14) + first + rows, 1)
    assert texts(tb)[1:] == [["1", "绝热量热仪", "(0~50) ℃", "(0~500) ℃", "温度分辨力", "研发", "否", ""],
                             ["2", "温度", "(-40~150) ℃", "MPE: ±0.1 ℃", "具备", "试验", "否", ""]]


def test_a_rows_beginning_cut_at_a_pages_foot_before_its_key_goes_to_the_row_on_the_next_page() -> None:
    # the table goes on under its title and header repeated on the same page; the page's foot cuts
    # the next row before its key (cells centred vertically): its beginning is that row's, not the
    # rest of the row above (no row is cut without a page break)
    head = ["序号", "测量仪器名称", "校准参量", "校准规范", "测量范围", "技术要求", "限制说明", "备注"]
    first = grid_block([head, ["1", "数字多用表", "电压", "JJF 1", "(0~10) V", "U=1 mV", "", "已建"]], 0, 5)
    second = grid_block([head, ["", "电池充放电测", "", "", "", "电流 ±0.05%F", "", ""]], 1, 5)
    third = grid_block([head, ["2", "试系统", "电流", "JJF 2", "(0~300) A", "S", "", "新建"]], 2, 6)
    got = read_tables([first, second, third], ["5.2"] * 3, "application").tables["calibration_items"]
    assert [(r.seq, r.instrument, r.requirement) for r in got.rows] == [
        ("1", "数字多用表", "U=1 mV"), ("2", "电池充放电测试系统", "电流 ±0.05%F S")]  # joined as cut rows are


def test_a_keyless_row_of_a_table_part_on_the_next_page_is_still_the_rest_of_the_row_above() -> None:
    head = ["序号", "测量仪器名称", "校准参量", "校准规范", "测量范围", "技术要求", "限制说明", "备注"]
    first = grid_block([head, ["1", "数字多用表", "电压", "JJF 1", "(0~10) V", "U=1 mV，", "", "已建"]], 0, 5)
    second = grid_block([head, ["", "", "", "", "", "k=2", "", ""]], 1, 6)
    third = grid_block([head, ["2", "恒温槽", "温度", "JJF 2", "(0~50) ℃", "U=0.1 ℃", "", "新建"]], 2, 7)
    got = read_tables([first, second, third], ["5.2"] * 3, "application").tables["calibration_items"]
    assert [(r.seq, r.requirement) for r in got.rows] == [("1", "U=1 mV，k=2"), ("2", "U=0.1 ℃")]


def test_cells_centred_a_little_low_are_cut_where_their_lines_step_from_one_cell_to_the_next() -> None:
    # 1 pt padding, rows set solid (14 pt pitch, 16 pt from one row's text to the next): a producer
    # sets a text of n lines a quarter pitch higher per line than centred, so the four-line
    # requirement sits low on its row's entry: its part centred on the entry is its first two
    # or three lines, but its lines step by more than their pitch only between its rows
    rows: list[tuple[float, dict[int, str]]] = []
    for r, (a, b, req) in enumerate([("直流", "电压", ("电压", "U=0.01%，", "电流", "U=0.02%")),
                                     ("交流", "电流", ("电压", "U=0.03%，", "电流", "U=0.04%")),
                                     ("环境", "温度", ("温度", "U=0.3 ℃，", "湿度", "U=1.5%"))]):
        c = 142 + 58 * r
        rows += [(c - 14, {3: req[0]}), (c - 7, {1: a}), (c - 3.5, {0: str(r + 1), 2: "(0~50) ℃", 4: "具备", 5: "研发", 6: "否"}),
                 (c, {3: req[1]}), (c + 7, {1: b}), (c + 14, {3: req[2]}), (c + 28, {3: req[3]})]
    tb, _ = table(header(100, 14) + lines_of(sorted(rows), 1), 1)
    # (the requirement's lines wrap where CJK text meets Latin text, and the table tells nothing of its
    # spacing there: a space, as the content writes "电压 U=0.01%")
    assert [r[:4] for r in texts(tb)[1:]] == [["1", "直流电压", "(0~50) ℃", "电压 U=0.01%，电流 U=0.02%"],
                                             ["2", "交流电流", "(0~50) ℃", "电压 U=0.03%，电流 U=0.04%"],
                                             ["3", "环境温度", "(0~50) ℃", "温度 U=0.3 ℃，湿度 U=1.5%"]]


def test_rows_set_solid_under_one_line_rows_are_cut_where_their_lines_step_from_one_cell_to_the_next() -> None:
    # cells centred vertically, 1 pt padding, 13 pt between a cell's lines: one-line rows step by
    # 15 pt and their texts make one block per column, whose steps are the rows' (down to an entry's
    # line); the cells' own pitch is 13, so the 15 pt steps inside rows 4 and 5 are steps between cells
    rows: list[tuple[float, dict[int, str]]] = []
    for r, top in enumerate((127, 142, 157)):
        rows.append((top + 1, {0: str(r + 1), 1: ("直流电压", "直流电流", "电阻")[r], 2: "(0~10) V", 3: "MPE: ±0.1%",
                               4: "具备", 5: "研发", 6: "否"}))
    for r, (top, a, b, c, d) in enumerate([(172, "电芯膨胀", "力", "MPE: ±0.5%，", "k=2"),
                                           (200, "自放电率（开路", "电压降）", "分辨力 1 μV，", "U=5 μV")]):
        rows += [(top + 1, {1: a, 3: c}), (top + 7.5, {0: str(r + 4), 2: "(0~50) kN", 4: "不具备", 5: "研发", 6: "是"}),
                 (top + 14, {1: b, 3: d})]
    rows.append((229, {0: "6", 1: "温度", 2: "(0~50) ℃", 3: "U=0.1 ℃", 4: "具备", 5: "试验", 6: "否"}))
    tb, _ = table(header(100, 14) + lines_of(rows, 1), 1)
    assert [r[:4] for r in texts(tb)[1:]] == [["1", "直流电压", "(0~10) V", "MPE: ±0.1%"],
                                             ["2", "直流电流", "(0~10) V", "MPE: ±0.1%"],
                                             ["3", "电阻", "(0~10) V", "MPE: ±0.1%"],
                                             ["4", "电芯膨胀力", "(0~50) kN", "MPE: ±0.5%，k=2"],
                                             ["5", "自放电率（开路电压降）", "(0~50) kN", "分辨力 1 μV，U=5 μV"],
                                             ["6", "温度", "(0~50) ℃", "U=0.1 ℃"]]


def test_a_caption_alone_under_a_header_repeated_with_no_rows_stays_text() -> None:
    # the table's last row ended at the foot of the page before; its header is repeated here, then
    # its caption below, far from anything: the caption ends the table, it is no first row
    caption = "校准项目技术需求表"
    lines = header(100, 14) + group_lines(chars(caption, LEFT + 4 * WIDTH - width(caption) / 2, 180), 1, True)
    lines += lines_of([(230, {-1: "（二）关键参数测量项目技术需求表"})], 1)
    found = add_ruleless_tables(lines, 842.0, 1, 0, header_vocabulary(), None)
    assert caption in [ln.text for ln in found.lines]
    assert not any(caption in c for t in found.tables for row in texts(t) for c in row)


def test_a_cell_cut_by_a_page_break_and_read_by_ocr_is_mended_again_once_joined() -> None:
    # OCR mends each part on its own: "U=0.03°" and "C，k=2" are only a temperature once joined
    def blocks(confidence: float | None) -> list[TableBlock]:
        head = ["序号", "测量仪器名称", "校准参量", "校准规范", "测量范围", "技术要求", "限制说明", "备注"]
        first = grid_block([head, ["1", "恒温槽", "温度", "JJF 1", "(0~50) ℃", "U=0.03°", "", "已建"]], 0, 5)
        second = grid_block([head, ["", "", "", "", "", "C，k=2", "", ""],
                             ["2", "露点仪", "露点", "JJF 2", "(-60~20) ℃", "U=0.1 ℃", "", "新建"]], 1, 6)
        for c in (c for t in (first, second) for row in t.grid for c in row if c is not None):
            c.confidence = confidence
        return [first, second]

    ocr = read_tables(blocks(0.9), ["5.2", "5.2"], "application").tables["calibration_items"]
    assert [r.requirement for r in ocr.rows] == ["U=0.03℃，k=2", "U=0.1 ℃"]
    text = read_tables(blocks(None), ["5.2", "5.2"], "application").tables["calibration_items"]
    assert [r.requirement for r in text.rows] == ["U=0.03°C，k=2", "U=0.1 ℃"]


def test_a_tables_first_row_cut_at_a_pages_foot_before_its_key_goes_to_the_row_on_the_next_page() -> None:
    head = ["序号", "测量仪器名称", "校准参量", "校准规范", "测量范围", "技术要求", "限制说明", "备注"]
    first = grid_block([head, ["", "半导体参数分", "", "", "", "±(8×10^-6读", "", ""]], 0, 5)
    second = grid_block([head, ["1", "析仪", "电压", "JJF 1", "(0~200) V", "数)", "", "已建"],
                         ["2", "恒温槽", "温度", "JJF 2", "(0~50) ℃", "U=0.1 ℃", "", "新建"]], 1, 6)
    got = read_tables([first, second], ["5.2", "5.2"], "application").tables["calibration_items"]
    assert [(r.seq, r.instrument, r.requirement) for r in got.rows] == [
        ("1", "半导体参数分析仪", "±(8×10^-6读数)"), ("2", "恒温槽", "U=0.1 ℃")]


def test_texts_aligned_left_under_a_centred_header_text_that_overhangs_their_column_stay_in_it() -> None:
    # "测量技术要求", centred, ends at x 407; the next column's texts, aligned left, start at 405
    rows = lines_of([(128, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 5: "研发", 6: "否"}),
                     (142, {0: "2", 1: "温度", 2: "(-40~150) ℃", 3: "±0.1 ℃", 5: "试验", 6: "否"})], 1)
    col4 = group_lines(chars("具备", 405, 128) + chars("部分具备", 405, 142), 1, True)
    lines = header(100, 14) + [Line(sorted(a.chars + b.chars, key=lambda c: c["x0"]), 1) for a, b in zip(rows, col4, strict=True)]
    tb, _ = table(lines, 1)
    assert texts(tb)[1:] == [["1", "直流电压", "(0~1000) V", "MPE: ±0.01%", "具备", "研发", "否", ""],
                             ["2", "温度", "(-40~150) ℃", "±0.1 ℃", "部分具备", "试验", "否", ""]]


def test_a_columns_texts_of_two_rows_set_apart_by_their_padding_are_no_merged_cell() -> None:
    # rows set apart from the header; each row's three-line name, 14 pt pitch, is 16 pt from the
    # next row's: one block of the column (less than a row gap between them) over a row gap the
    # other columns leave, yet two cells, not one merged over both rows
    rows: list[tuple[float, dict[int, str]]] = []
    for r, (a, b, c) in enumerate([("半导体", "参数分析", "仪B1500A"), ("功率器件", "动态参数", "测试系统")]):
        t = 140 + 44 * r
        rows += [(t, {1: a}), (t + 14, {0: str(r + 1), 1: b, 2: "(0~50) ℃", 3: "±0.1%", 4: "具备", 5: "研发", 6: "否"}),
                 (t + 28, {1: c})]
    tb, _ = table(header(100, 14) + lines_of(rows, 1), 1)
    assert [r[:3] for r in texts(tb)[1:]] == [["1", "半导体参数分析仪B1500A", "(0~50) ℃"],
                                             ["2", "功率器件动态参数测试系统", "(0~50) ℃"]]


def test_a_text_aligned_left_less_than_a_word_gap_after_the_long_text_before_it_starts_its_column() -> None:
    # one row: "已建" starts 4.4 pt after the model's end (one word with it), right of the header
    # text above the model: where it starts is its column's left edge, not the blank after it
    lines = header(100, 14) + lines_of([(128, {0: "1", 1: "直流电压", 2: "(0~10) V", 3: "±0.1%", 4: "具备", 5: "研发",
                                               6: "CT-9002-5V300A -X", 7: "已建"})], 1)
    tb, _ = table(lines, 1)
    assert texts(tb)[1:] == [["1", "直流电压", "(0~10) V", "±0.1%", "具备", "研发", "CT-9002-5V300A -X", "已建"]]


def test_a_header_repeated_right_under_a_tables_rows_on_the_same_page_ends_them() -> None:
    # the table goes on under its header repeated at the page's foot, no space above it: the header
    # starts a table part with no rows yet (open for the next page), it is no part of the last row
    rows = lines_of([(128, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 4: "具备", 5: "研发", 6: "否"}),
                     (142, {0: "2", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 4: "具备", 5: "试验", 6: "否"})], 1)
    found = add_ruleless_tables(header(100, 14) + rows + header(156, 14), 842.0, 1, 0, header_vocabulary(), None)
    head = ["序号", "测量参数", "测量范围", "测量技术要求", "现有能力", "应用阶段", "是否拟建", "备注"]
    assert [texts(t) for t in found.tables] == [
        [head, ["1", "直流电压", "(0~1000) V", "MPE: ±0.01%", "具备", "研发", "否", ""],
         ["2", "温度", "(-40~150) ℃", "MPE: ±0.1 ℃", "具备", "试验", "否", ""]], [head]]
    assert found.open is not None and found.open.head is not None


def test_a_later_row_whose_texts_touch_at_the_tables_middle_is_no_caption_under_the_rows_above() -> None:
    # as above, in the second row, set apart from the first, centred on the table: the next line
    # (the row's entry, cells centred vertically) overlaps it, which no caption's does; the row is
    # kept (its touching texts read into the first's column: nothing tells where they part)
    x = 412 - (width("(0~500) ℃") + width("温度分辨力")) / 2
    touching = group_lines(chars("(0~500) ℃", x, 160) + chars("温度分辨力", x + width("(0~500) ℃"), 160), 1, True)
    rows = lines_of([(128, {0: "1", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 4: "具备", 5: "试验", 6: "否"}),
                     (167, {0: "2", 1: "绝热量热仪", 2: "(0~50) ℃", 5: "研发", 6: "否"})], 1)
    tb, _ = table(header(100, 14) + rows[:1] + touching + rows[1:], 1)
    assert texts(tb)[1:] == [["1", "温度", "(-40~150) ℃", "MPE: ±0.1 ℃", "具备", "试验", "否", ""],
                             ["2", "绝热量热仪", "(0~50) ℃", "(0~500) ℃温度分辨力", "", "研发", "否", ""]]


def test_a_repeated_headers_line_of_two_header_words_right_above_its_longer_lines_is_the_headers() -> None:
    # the header repeated under the rows with its cells centred vertically: "测量 测量" (the two-line
    # texts' first lines) stand half a line above the others, two words only: still the header's
    rows = lines_of([(128, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 4: "具备", 5: "研发", 6: "否"}),
                     (142, {0: "2", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 4: "具备", 5: "试验", 6: "否"})], 1)
    again = lines_of([(156, {1: "测量", 2: "测量"}), (163, {0: "序号", 3: "测量技术要求", 4: "现有", 5: "应用", 6: "是否", 7: "备注"}),
                      (170, {1: "参数", 2: "范围"}), (177, {4: "能力", 5: "阶段", 6: "拟建"})], 1, centred=True)
    found = add_ruleless_tables(header(100, 14) + rows + again, 842.0, 1, 0, header_vocabulary(), None)
    head = ["序号", "测量参数", "测量范围", "测量技术要求", "现有能力", "应用阶段", "是否拟建", "备注"]
    assert [texts(t) for t in found.tables] == [
        [head, ["1", "直流电压", "(0~1000) V", "MPE: ±0.01%", "具备", "研发", "否", ""],
         ["2", "温度", "(-40~150) ℃", "MPE: ±0.1 ℃", "具备", "试验", "否", ""]], [head]]


def test_a_cut_rows_lone_rest_right_under_a_whole_header_text_is_no_header_line() -> None:
    # Chromium (layout-010-running-chromium-report): the rest of a row cut by the page break, a
    # lone "数" under the repeated header's "测量参数", is a part of a header text too, but it does
    # not carry that whole text on ("测量参数数"): the row's rest, joined to the row above the break
    first = header(100, 14) + lines_of([
        (128, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 4: "具备", 5: "研发", 6: "否"}),
        (142, {0: "2", 1: "谐波电压参", 2: "(0~50) 次", 3: "MPE: ±0.1%", 4: "具备", 5: "制造", 6: "否"}),
    ], 1, centred=True)
    t1, open_ = table(first, 1)
    second = ([Line(ln.chars, 2) for ln in header(100, 14)]
              + lines_of([(127, {1: "数"}),
                          (142, {0: "3", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 4: "具备", 5: "试验",
                                 6: "是"})], 2, centred=True))
    t2, _ = table(second, 2, open_)
    assert texts(t2)[0] == ["序号", "测量参数", "测量范围", "测量技术要求", "现有能力", "应用阶段", "是否拟建", "备注"]
    t2.index = 1
    got = read_tables([t1, t2], ["5.1", "5.1"], "application").tables["calibration_needs"]
    assert [(r.seq, r.parameter) for r in got.rows] == [("1", "直流电压"), ("2", "谐波电压参数"), ("3", "温度")]


def test_a_text_that_starts_with_a_full_width_opening_mark_a_little_left_of_its_columns_start_is_its() -> None:
    # Chromium sets "（是德科技）" 1.7 pt left of where its column's texts start (the opening mark's
    # blank half trimmed or not, as punctuation compression goes), overflowing into the next column
    rows = [(128, {0: "1", 1: "直流电压", 2: "(0~1000) V", 3: "MPE: ±0.01%", 4: "具备", 5: "研发", 6: "否"}),
            (142, {0: "2", 1: "直流电流", 2: "(0~10) A", 5: "生产", 6: "是"}),
            (156, {0: "3", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 4: "具备", 5: "试验", 6: "否"})]
    req = "（准确度） MPE: ±(0.05%读数+2 μA)"
    assert width(req) > WIDTH + 10
    cs = [c for ln in lines_of(rows, 1) for c in ln.chars] + chars(req, LEFT + 3 * WIDTH - 1.7, 142)
    tb, _ = table(header(100, 14) + group_lines(cs, 1, True), 1)
    assert [r[3:5] for r in texts(tb)[1:]] == [["MPE: ±0.01%", "具备"], [req, ""], ["MPE: ±0.1 ℃", "具备"]]
    assert read_tables([tb], ["5.1"], "application").findings == []


def test_a_part_under_a_repeated_header_keeps_its_own_boundary_where_the_other_parts_cuts_an_aligned_texts_start() -> None:
    # reportlab (layout-068-ruleless-reportlab-report): the part above has no text in 现有能力 and
    # draws its boundary between the long texts before it and its header, 2 pt into where this part's
    # "不含位移测" / "量单元" start aligned: they are 现有能力's, not read on after MPE: ±0.1 ℃
    c4 = LEFT + 4 * WIDTH
    long = "MPE: ±(0.02%读数+5)"
    rows = [(128 + 28 * i, {0: str(i + 1), 1: "直流电压", 2: "(0~1000) V", 5: "研发", 6: "否"}) for i in range(4)]
    cs = [c for ln in lines_of(rows, 1) for c in ln.chars]
    for i in range(4):
        cs += chars(long, c4 + 28 - width(long), 128 + 28 * i)  # 28 pt into 现有能力, empty on this page
    t1, open_ = table(header(100, 14) + group_lines(cs, 1, True), 1)
    assert texts(t1)[1][3:5] == [long, ""]
    cs = [c for ln in lines_of([(128, {0: "5", 1: "温度", 2: "(-40~150) ℃", 3: "MPE: ±0.1 ℃", 5: "试验", 6: "否"})], 2)
          for c in ln.chars]
    cs += chars("不含位移测", c4 + 30, 128) + chars("量单元", c4 + 30, 142)
    t2, _ = table([Line(ln.chars, 2) for ln in header(100, 14)] + group_lines(cs, 2, True), 2, open_)
    assert texts(t2)[1:] == [["5", "温度", "(-40~150) ℃", "MPE: ±0.1 ℃", "不含位移测量单元", "试验", "否", ""]]


def test_a_header_text_misread_by_one_character_still_names_its_column() -> None:
    """A recogniser reads 发展目标 as 发展自标 and 重大行动 as 董大行动 (seed 164 at 200 dpi: the
    roadmap table was not found and read as prose); a header text is taken for the template's name
    that it differs from in one character, once the exactly named columns are taken."""
    from imtc.extract.blocks import Cell
    from imtc.extract.tables import find_layout

    def table(*rows: list[str]) -> TableBlock:
        return TableBlock(index=0, grid=[[Cell(text=t, row=r, col=c) for c, t in enumerate(row)]
                                         for r, row in enumerate(rows)])

    layout = find_layout(table(["时间节点", "重点领域", "发展自标", "董大行动"], ["2024年", "电池", "建成", "研制"]))
    assert layout is not None and layout.family == "roadmaps"
    assert layout.columns == {0: "milestone", 1: "focus", 2: "goal", 3: "action"}
    # two columns named apart by one character each keep their own names (测量参数 / 测量范围)
    layout = find_layout(table(["序号", "测量仪器名称", "型号规格", "测量范围", "技术要求", "测量参数", "投资金额（万元）", "备注"]))
    assert layout is not None and layout.columns[3] == "range" and layout.columns[5] == "parameter"
    assert find_layout(table(["时间", "重点", "发展", "行动"])) is None  # short texts: no guessing
