"""A text PDF's lines joined into paragraphs where the entities need them whole and kept apart where
a list item ends short of the margin (imtc/extract/pdf_reader.py join_wrapped)."""

from __future__ import annotations

from imtc.extract.pdf_reader import Line, join_wrapped, line_continues

SIZE = 10.5
LEFT, RIGHT = 72.0, 72.0 + 44 * SIZE  # 44 characters to a line


def line(text: str, top: float, x0: float = LEFT) -> Line:
    chars, x = [], x0
    for ch in text:
        w = SIZE * (0.5 if ch.isascii() else 1.0)
        chars.append({"text": ch, "x0": x, "x1": x + w, "top": top, "bottom": top + SIZE, "size": SIZE})
        x += w
    return Line(chars, page=1, spaces=False)


def test_a_list_item_that_stops_two_characters_short_ends_its_paragraph() -> None:
    item = line("（2）红外热像仪零点漂移精密测量技术与产业化——国家市场监督管理总局科技兴检奖", 100)  # 42 wide
    nxt = line("完成论文“功率半导体器件热失控产热量测量不确定度评定”初稿，拟投稿Measurement。", 115)
    assert join_wrapped(item, nxt, RIGHT) is None


def test_an_opening_quote_and_its_character_would_have_fitted_so_the_line_ended() -> None:
    item = line("（1）一种氢燃料电池堆内阻的在线监测装置，发明专利，ZL202518696737.0，已授权", 100)
    nxt = line("“集成电路测试系统剩余能量测量不确定度评定”一文已投稿至《仪器仪表学报》。", 115)
    assert RIGHT - item.x1 > 3 * SIZE
    assert join_wrapped(item, nxt, RIGHT) is None


def test_a_group_that_line_breaking_moves_down_whole_still_goes_on() -> None:
    # “究”（2025年” cannot be broken: the line before ends five characters short and the paragraph goes on
    first = line("科研工作按计划推进中心承担的浙江省重点研发计划项目“固态电池界面阻抗测量技术研", 100)
    nxt = line("究”（2025年立项）进展顺利，已完成样机研制。", 115)
    assert RIGHT - first.x1 == 5 * SIZE
    assert join_wrapped(first, nxt, RIGHT) == ""
    plain = line("究，进展顺利，已完成样机研制。", 115)  # 究， would have fitted
    assert join_wrapped(first, plain, RIGHT) is None


def test_a_line_that_starts_with_a_list_label_starts_a_paragraph() -> None:
    # “（1）“逆” cannot be broken either: the room left proves nothing, the label does
    award = line("2.“氢燃料电池堆容量精密测量技术与产业化”，2025年度嘉兴市科学技术进步奖一等奖", 100)
    pitch = 15.0
    for start in ("（1）“逆变器绝缘电阻测量技术研究与实践”——2025国际光伏计量与测试会议报告", "[3] 王磊. 基于激光干涉的测量方法[J].",
                  "②授权号：ZL202211549435.2"):
        assert not line_continues(award.text, award, line(start, 115), LEFT, pitch), start
    assert line_continues(award.text, award, line("（省部级），已结题。", 115), LEFT, pitch)


def test_a_range_cut_at_the_line_end_goes_on_though_the_next_line_looks_numbered() -> None:
    ref = line("[7] 张伟，吴婷. 采用量热法的锂离子电芯热阻校准方法研究[J]. 光学精密工程, 2025, 45(9): 57-", 100)
    assert line_continues(ref.text, ref, line("65.(EI)", 115), LEFT, 15.0)
    years = line("（7）《动力电池流量校准装置研制》，国家自然科学基金青年科学基金（国家级），2024—", 100)
    nxt = line("2026年，已完成并通过验收", 115)
    assert 2.5 * SIZE < RIGHT - years.x1 < 4 * SIZE  # “2026” alone would have fitted, “2026年，” not
    assert line_continues(years.text, years, nxt, LEFT, 15.0) and join_wrapped(years, nxt, RIGHT) == ""


def test_a_latin_word_at_a_line_start_goes_down_without_the_chinese_after_it() -> None:
    talk = line("3、在第十届全国动力电池技术大会上作特邀报告《激光干涉仪定位精度校准技术新进展》", 100)
    nxt = line("“MEMS压力传感器剩余能量测量不确定度评定”一文已投稿至《仪器仪表学报》。", 115)
    assert RIGHT - talk.x1 > 4 * SIZE  # “MEMS (3 wide) would have fitted
    assert join_wrapped(talk, nxt, RIGHT) is None


def spaced(text: str, top: float) -> Line:
    """A line of a PDF that draws its spaces as glyphs (reportlab), none at the line's end."""
    ln = line(text, top)
    return Line(ln.chars, page=1, spaces=True)


def test_latin_words_a_line_broke_between_short_of_the_margin_keep_their_space() -> None:
    # reportlab draws no space where a paragraph's line broke at one: "…论文发表于Journal of" /
    # "Energy Storage" ends 2 characters short (room for "E", not for "Energy"): a space; a full
    # line cut inside a word ("Measure" / "ment") is one word
    first = spaced("中心本年度在国内外期刊发表论文4篇，其中1篇发表于能源存储领域的重要国际期刊Journal of", 100)
    assert SIZE < RIGHT - first.x1 < 3 * SIZE
    assert join_wrapped(first, spaced("Energy Storage（SCI收录）。", 115), RIGHT) == " "
    full = spaced("中心本年度发表论文15篇，其中1篇发表于能源存储领域的重要核心期刊《仪器仪表学报》和Measure", 100)
    assert RIGHT - full.x1 < 0.5 * SIZE
    assert join_wrapped(full, spaced("ment（SCI收录）。", 115), RIGHT) == ""
    assert join_wrapped(first, spaced("储能科学与技术。", 115), RIGHT) is None  # “储” would have fitted


def test_a_range_whose_dash_went_down_with_its_end_goes_on() -> None:
    # reportlab sends “—2025年” down whole, leaving more room than the dash and “2025” need
    first = line("中心承担的湖州市科技计划项目“退役动力电池余能快速检测技术研究”（2024年1月", 100)
    nxt = line("—2025年12月）完成了脉冲激励余能估计模型的建立。", 115)
    assert RIGHT - first.x1 > 3 * SIZE
    assert line_continues(first.text, first, nxt, LEFT, 15.0) and join_wrapped(first, nxt, RIGHT) == ""


def test_a_case_after_a_sentences_end_starts_a_paragraph_though_the_line_before_was_full() -> None:
    # no space between paragraphs, no indent: the case before filled its last line to the margin
    prev = line("间由8小时缩短至25分钟，误差不超过3%，企业年处理能力提高4倍，获得湖州市生态环境局的推广。", 100)
    assert prev.x1 == RIGHT
    for start in ("案例三：杭州某BMS企业产品在低温下单体电压采集偏差超标。", "案例四（辐射其他产业）：中心将电池热失控测量技术应用于"):
        assert join_wrapped(prev, line(start, 115), RIGHT) == ""  # the room left tells nothing
        assert not line_continues(prev.text, prev, line(start, 115), LEFT, 15.0), start
    going_on = line("间由8小时缩短至25分钟，误差不超过3%，详见", 100)
    assert line_continues(going_on.text, going_on, line("案例三：杭州某BMS企业产品", 115), LEFT, 15.0)


def test_a_top_level_heading_whose_separator_a_scan_lost_starts_a_paragraph() -> None:
    # “二、必要性及意义” read as “二必要性及意义” under a line that ends a sentence at the margin
    # (seed 156 at 200 dpi: the heading was read into the paragraph above and section 2 reported missing)
    full = line("结合产业特点，本中心计量服务的重点领域为：半导体器件电参数测量、集成电路测试系统校准。", 100)
    assert not line_continues(full.text, full, line("二必要性及意义", 115), LEFT, 15.0)
    for prose in ("二是晶圆制造工艺量测的量值统一需求，关键尺寸、膜厚、台阶高度等参数", "一般情况下", "三个月内完成验收，已通过"):
        assert line_continues(full.text, full, line(prose, 115), LEFT, 15.0), prose
    half = line("结合产业特点，本中心计量服务的重点领域为", 100)  # no sentence's end: the line goes on
    assert line_continues(half.text, half, line("二十个领域", 115), LEFT, 15.0)
