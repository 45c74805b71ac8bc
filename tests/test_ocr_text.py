"""OCR's own parts that need no recognition engine (imtc/extract/ocr.py): recognised text mended from
the tables' vocabulary and the recogniser's habits, and what is read from the page image around the
recogniser: a table row a page break left open, a lone "/" in a cell, an underscore the recogniser
dropped. Images are drawn with OpenCV; fast."""

from __future__ import annotations

import pytest

from imtc.extract import ocr
from tests.conftest import need_module

cv2 = need_module("cv2")
np = need_module("numpy")


# --- text ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("read", "meant"), [
    ("(=)关键参数测量项目技术需求表", "(二)关键参数测量项目技术需求表"),  # 二 read as an equals sign
    ("（≡）质量体系", "（三）质量体系"),
    ("( = )测量仪器设备配置表", "(二)测量仪器设备配置表"),
    ("U=(=)", "U=(=)"),  # not a label at the start of the text
    ("(=", "(="),
    ("-）校准项目技术需求表", "（一）校准项目技术需求表"),  # （一 read as one dash
    ("二）关键参数测量项目技术需求表", "（二）关键参数测量项目技术需求表"),  # the opening bracket lost
    ("-）", "-）"), ("3）", "3）"), ("一)a", "一)a"),  # no title after it: not a heading's label
])
def test_a_headings_label_read_as_a_sign_is_its_numeral(read: str, meant: str) -> None:
    from imtc.extract.text import parse_label

    assert ocr.heading_label(read) == meant
    if meant != read:
        assert parse_label(ocr.heading_label(read)).level == 2  # a heading, that ends a table without rules above it


@pytest.mark.parametrize(("read", "meant"), [
    ("JUF（浙）1175-2021", "JJF(浙)1175-2021"),  # J read as U, the bracket as the contract writes it
    ("JF（浙）1186-2022", "JJF(浙)1186-2022"),
    ("JIG 1005-2019", "JJG 1005-2019"),
    ("申报JJF（浙）校准规范", "申报JJF(浙)校准规范"),  # the province's bracket also without a number
    ("GB l T 6495.1-1996", "GB/T 6495.1-1996"),
    ("JF", "JF"),  # no number: not a code
    ("JG/T 123-2000", "JG/T 123-2000"),  # a building standard's prefix, left alone
    ("无法溯源（国内暂无计量标准)", "无法溯源（国内暂无计量标准）"),
])
def test_code_prefixes_mended_from_the_vocabulary(read: str, meant: str) -> None:
    assert ocr.normalise(read, cell=True) == meant


def test_a_paragraphs_full_stop_stays() -> None:
    assert ocr.normalise("测量不确定度U=0.5ps，k=2.") == "测量不确定度U=0.5ps，k=2."


def test_the_vocabulary_is_data() -> None:
    codes, whole, terms = ocr.vocabulary()
    assert [code for _, code in codes] == ["JJF", "JJG", "GB/T", "DB33/T"]
    assert whole["巳建"] == "已建" and whole["-"] == "—"
    assert ocr.normalise("巳建", cell=True) == "已建" and ocr.normalise("巳建") == "巳建"  # a whole cell only


@pytest.mark.parametrize(("read", "meant"), [
    ("(0~100O)A", "(0~1000)A"),  # O for 0
    ("(O~20)A", "(0~20)A"),
    ("Chroma62150H-100OS", "Chroma62150H-1000S"),
    ("H2O", "H2O"),  # water stays water
    ("土(0.02%读数+0.05%量程)", "±(0.02%读数+0.05%量程)"),  # ± read as 土
    ("电压士(0.1%读数)", "电压±(0.1%读数)"),
    ("土（0.02 %读数+0.05%量程)", "±(0.02 %读数+0.05%量程)"),
    ("黏土", "黏土"),
    ("(0-1000)V", "(0~1000)V"),  # a range's tilde read as a hyphen
    ("(0.1mo-3Ω)，1kHz", "(0.1mΩ~3Ω)，1kHz"),
    ("(-60~-40)℃td", "(-60~-40)℃td"),
    ("IEC60904-1-2", "IEC60904-1-2"),
    ("(1~500)MQ", "(1~500)MΩ"),
    ("(200~1000)v", "(200~1000)V"),
    ("(0~600)mw", "(0~600)mW"),
    ("(0~100)kw", "(0~100)kW"),
    ("电压分辨力1uV", "电压分辨力1μV"),
    ("U=5 uV", "U=5 μV"),
    ("测试面(2.5x1.5)m", "测试面(2.5×1.5)m"),
    ("U=0.05℃k=2", "U=0.05℃，k=2"),  # the comma before the coverage factor
    ("U=0.05°℃k=2", "U=0.05℃，k=2"),  # ... after a °C read as °℃ too (seed 12 at 200 dpi, its comma read apart)
    ("20°Ckg", "20°Ckg"),  # (a degree and a unit after it stay)
    ("Urel=0.2%k=2", "Urel=0.2%，k=2"),
    ("(0~1500)V(0~50)A", "(0~1500)V，(0~50)A"),  # the comma between two ranges
    ("(0~1000)V（0~15)A", "(0~1000)V，(0~15)A"),
    ("DCV±0.0005%DCI±0.01%", "DCV±0.0005%，DCI±0.01%"),
    ("电流±0.05%FS", "电流±0.05%FS"),
    ("时间U_rel=1x10-6", "时间U_rel=1×10⁻⁶"),  # an exponent
    ("年稳定度±2×10-6", "年稳定度±2×10⁻⁶"),
    ("(100~1200)W/m~2", "(100~1200)W/m^2"),
    ("时标U_rel=2.5×10~-7，k=2", "时标U_rel=2.5×10^-7，k=2"),  # a caret read as a tilde after ×10
    ("ps相对偏差±1×10 ~-9", "ps相对偏差±1×10^-9"),  # ... a blank read before it (the raised exponent leaves one)
    ("年稳定度±2×10 -6", "年稳定度±2×10⁻⁶"),
    ("(0~3.1）Q，1kHz", "(0~3.1)Ω，1kHz"),  # Ω read as Q after a full-width bracket
    ("(1mQ/口~1MQ/口)", "(1mΩ/□~1MΩ/□)"),  # ohms per square: □ read as 口 ...
    ("(1mΩ/~1MΩ/)", "(1mΩ/□~1MΩ/□)"),  # ... or lost
    ("(0~5)Ω/m", "(0~5)Ω/m"),
    ("(0.25~8)kv", "(0.25~8)kV"),
    ("AC3kv", "AC3kV"),
    ("AC(0~5)kV，DC(0~6) kv", "AC(0~5)kV，DC(0~6) kV"),  # a space a cell's wrap left before the unit (seed 692)
    ("DC 1000 v", "DC 1000 V"), ("1 very", "1 very"),
    ("(0.1~50)um", "(0.1~50)μm"),
    ("2025-2026年", "2025—2026年"),
    ("2025-2026", "2025-2026"),
    ("JJF(浙)11752021", "JJF(浙)1175-2021"),  # the hyphen before a code's year
    ("JJG10052019", "JJG1005-2019"),
    ("光伏组件1V测试系统", "光伏组件I-V测试系统"),  # a term of the vocabulary
    ("光伏组件1--V测试系统", "光伏组件I-V测试系统"),
    ("1V电压", "1V电压"),
    ("Ctd", "℃td"),  # the dew point's ℃td, also where a page break left it alone in a cell
    ("(-70~150)C，(10~98)%RH", "(-70~150)℃，(10~98)%RH"),  # ℃ read as C or °: a range from below zero
    ("(室温~500)°", "(室温~500)℃"),  # from room temperature
    ("±1C或±1%读数", "±1℃或±1%读数"),
    ("U=0.05°k=2", "U=0.05℃，k=2"),
    ("U=0.02%/C，k=2", "U=0.02%/℃，k=2"),
    ("MPE:±0.5°0td", "MPE:±0.5℃td"),  # ℃ read as °0
    ("MPE:±0.5td", "MPE:±0.5℃td"),  # ℃ lost before td (seeds 86, 164 at 200 dpi)
    ("(-95~20)td", "(-95~20)℃td"),
    ("MPE:±0.5°td", "MPE:±0.5℃td"),  # ℃ read as °
    ("露点td计", "露点td计"),  # no number before it: not a dew point's unit
    ("(0.1~3)C", "(0.1~3)C"),  # a battery's charge rate
    ("(0~360)°", "(0~360)°"),  # an angle
    ("阻抗±1%，相位±1°", "阻抗±1%，相位±1°"),
    ("(室温~500)℃", "(室温~500)℃"),  # ASCII brackets around a range
    ("电站系统效率(PR)", "电站系统效率（PR）"),  # full-width ones in Chinese text
    ("U_rel=0.2%(k=2)", "U_rel=0.2%（k=2）"),
    ("目标(2024—2026年)", "目标（2024—2026年）"),
    ("测试面(2.5×1.5)m", "测试面(2.5×1.5)m"),
    ("数字多用表Keysight3447OA", "数字多用表Keysight34470A"),
    ("功率MPE：±0.05%", "功率MPE:±0.05%"),  # a colon as wide as what it follows
    ("A+级:0.875~1.125", "A+级：0.875~1.125"),
    ("IEC60904-1:2020", "IEC60904-1:2020"),
    ("(20~200)0/口", "(20~200)Ω/□"),  # terms of the vocabulary
    ("逆变器直流输人功率", "逆变器直流输入功率"),
    ("紫外-可见近红外分光光度计", "紫外-可见-近红外分光光度计"),
    ("可潮源", "可溯源"),
    ("B射线面密度测量仪", "β射线面密度测量仪"),
    ("湖源现状", "溯源现状"),
    ("线宽标准样板（湖源至中国计量科学研究院）", "线宽标准样板（溯源至中国计量科学研究院）"),
    ("國值电压", "阈值电压"),
    ("闽值电压", "阈值电压"),
    ("闵值电压", "阈值电压"),
    ("限N2、Ar、He等情性气体介质", "限N2、Ar、He等惰性气体介质"),
    ("性情", "性情"),
    ("建设自标", "建设目标"),  # the heading of section 7.1, its label lost too
    ("具备自标定功能", "具备自标定功能"),
    ("+2℃td", "±2℃td"),  # ± read as +, where a tolerance starts
    ("+1℃或±1%读数", "±1℃或±1%读数"),
    ("MPE:+0.5℃", "MPE:±0.5℃"),
    ("±(0.02%读数+0.05%量程)", "±(0.02%读数+0.05%量程)"),  # a plus that adds stays
    ("(-60~+20)dB", "(-60~+20)dB"),
    ("Fluke5730A + 34465A", "Fluke5730A + 34465A"),
    ("(1~300)Ah.", "(1~300)Ah"),  # a speck after a cell's last unit read as a full stop
    ("U=0.5ps，k=2.", "U=0.5ps，k=2"),
    ("7.", "7"),
    ("Keysight Technologies Inc.", "Keysight Technologies Inc."),  # an abbreviation's stop stays
    ("J.A.Woollam M-2000", "J.A.Woollam M-2000"),
    ("电阻(50Ω~10PQ)", "电阻(50Ω~10PΩ)"),  # peta and tera ohms too
    ("Q/HZZJJF-O45-2024", "Q/HZZJJF-045-2024"),  # a code's number after its dash
    ("U_re=0.5%", "U_rel=0.5%"), ("Uref=1", "Uref=1"),  # seed 692
    ("时间Urel=1×10^-6", "时间Urel=1×10^-6"),  # written so too: the ink's underscore decides (ocr.underscore)
    ("Keysight3447OA", "Keysight34470A"), ("B150OA(CMU)", "B1500A(CMU)"), ("OOA", "OOA"),  # seeds 644, 652
    ("FIuke9500B", "Fluke9500B"), ("Fuke 5522A", "Fluke 5522A"), ("Fukeda", "Fukeda"),  # seeds 628, 644, 652
    ("J.A.Woolam M-2000", "J.A.Woollam M-2000"), ("J.A.Wo0llamM-2000", "J.A.WoollamM-2000"),  # seeds 644, 684
    ("FIukemolbloc-L", "Flukemolbloc-L"),  # seed 684
    ("交流功率标准源FI uke 6105A", "交流功率标准源Fluke 6105A"), ("(300~1200).nnm", "(300~1200).nm"),  # seed 740
    ("U_rel=1.8J%，k=2", "U_rel=1.8%，k=2"), ("JJ%", "JJ%"),  # seed 740
    ("快浴≤150ps，时标(1ns~5s)", "快沿≤150ps，时标(1ns~5s)"), ("快治≤150ps", "快沿≤150ps"), ("边浴定位±100ps", "边沿定位±100ps"),
    ("沐浴", "沐浴"),
    ("申报JF（浙）校准规范", "申报JJF(浙)校准规范"), ("申报JJF(浙)校准规范", "申报JJF(浙)校准规范"),  # seeds 620, 652
    ("U=0.05°Q，k=2", "U=0.05℃，k=2"), ("±0.005°G/min（漂移）", "±0.005℃/min（漂移）"),  # seed 620
    ("Q/HZZ]JF-045-2024", "Q/HZZJJF-045-2024"),  # a doubled J's first read as a bracket (seed 628)
    ("(JJF1033)]JF", "(JJF1033)]JF"),
    ("电流(1pA~IA)", "电流(1pA~1A)"),  # a range's bound
    ("(lpA~100mA)", "(1pA~100mA)"),
    ("(lpF~1nF)", "(1pF~1nF)"),
    ("(I1fA~20mA)", "(1fA~20mA)"),
    ("(IGBT)", "(IGBT)"),
    ("(lux)", "(lux)"),
    ("重复性0.5nm(1g)", "重复性0.5nm（1σ）"),
    ("重复性0.3nm(30)", "重复性0.3nm（3σ）"),  # σ read as 0 or o, or lost: a repeatability's coverage
    ("重复性0.5nm(1o)", "重复性0.5nm（1σ）"),
    ("相对偏差±1×10- 9", "相对偏差±1×10⁻⁹"),  # a blank read after a raised minus
    ("U_rel=2×10>-1l，k=2", "U_rel=2×10^-11，k=2"), ("2×10^-1l", "2×10^-11"),  # a caret read as >, 1 as l
    ("重复性0.3 nm(3)", "重复性0.3 nm（3σ）"), ("重复性0.5 nm (1g)", "重复性0.5 nm（1σ）"),  # the space a scan keeps
    ("长度10 m(3)", "长度10 m(3)"),  # metres: no σ
    ("重复性0.5nm（1）", "重复性0.5nm（1σ）"),
    ("重复性0.5nm（1σ）", "重复性0.5nm（1σ）"),
    ("(1~10)nm(2种)", "(1~10)nm(2种)"),
])
def test_habits_of_the_recogniser_in_numbers_and_units(read: str, meant: str) -> None:
    assert ocr.normalise(read, cell=True) == meant


# --- the page image ---------------------------------------------------------------------------------


def _table(bottom: int, top: int = 100) -> np.ndarray:
    """A 3-column table at 200 dpi with rules at y = 100, 160, 220; its vertical rules run from `top`
    to `bottom`."""
    img = np.full((600, 800), 255, np.uint8)
    for y in (100, 160, 220):
        cv2.line(img, (100, y), (700, y), 0, 2)
    for x in (100, 300, 500, 700):
        cv2.line(img, (x, top), (x, bottom), 0, 2)
    return img


@pytest.mark.parametrize(("top", "bottom", "ys"), [
    (100, 220, [100, 160, 220]),  # closed
    (100, 226, [100, 160, 220]),  # rules overshooting by a few pixels: no row
    (100, 330, [100, 160, 220, 330]),  # the last row cut open by a page break: a row to where the rules end
    (40, 220, [40, 100, 160, 220]),  # the first row, open at the top
])
def test_a_row_left_open_by_a_page_break_is_a_row(top: int, bottom: int, ys: list[int]) -> None:
    (grid,) = ocr.find_grids(ocr.binarize(_table(bottom, top), 200), 200)
    assert len(grid.ys) == len(ys) and all(abs(a - b) <= 2 for a, b in zip(grid.ys, ys, strict=True)), grid.ys
    assert len(grid.cells) == 3 * (len(ys) - 1)


def test_a_rule_faint_for_a_few_pixels_still_parts_two_cells() -> None:
    img = _table(220)
    img[156:165, 381:387] = 255  # 6 pixels of the middle rule lost in the second column
    (grid,) = ocr.find_grids(ocr.binarize(img, 200), 200)
    assert len(grid.cells) == 6
    cv2.line(img, (300, 160), (500, 160), 255, 3)  # the whole rule of the second column left out: merged
    (grid,) = ocr.find_grids(ocr.binarize(img, 200), 200)
    assert len(grid.cells) == 5 and (300, 100, 500, 220) in [tuple(round(v, -1) for v in c) for c in grid.cells]


def _stroke(dx: int) -> np.ndarray:
    ink = np.zeros((40, 30), np.uint8)
    cv2.line(ink, (15 + dx, 5), (15 - dx, 33), 255, 2)
    return ink


def test_a_lone_stroke_leaning_right_is_a_slash() -> None:
    assert ocr._slash(_stroke(6)) is True  # "/"
    assert ocr._slash(_stroke(0)) is False  # "1", "l", "|"
    assert ocr._slash(_stroke(-6)) is False  # "\\"
    two = _stroke(6)
    cv2.line(two, (2, 20), (8, 20), 255, 2)
    assert ocr._slash(two) is False  # not alone


def test_a_light_lone_character_in_a_cell_is_found() -> None:
    """A thin "/" that a blurred scan leaves lighter than mid-grey (here grey 140 on 245) is ink."""
    img = np.full((300, 400), 245, np.uint8)
    cv2.line(img, (130, 130), (120, 160), 140, 2)
    grid = ocr.Grid((100, 100, 300, 200), [100, 300], [100, 200], [(100, 100, 300, 200)])
    ((x0, y0, x1, y1),) = ocr._unread_ink(img, [grid], [], 200)
    assert x0 <= 120 and x1 >= 131 and y0 <= 130 and y1 >= 160
    assert ocr._unread_ink(img, [grid], [(110, 120, 150, 170)], 200) == []  # a text box reached it


def _urel(line: tuple[int, int] | None) -> np.ndarray:
    """"U rel=" drawn as ink (255 on 0) in a line box 36 pixels high with 4 more below it, and a flat
    stroke from x = line[0] to line[1] at the foot."""
    ink = np.zeros((40, 140), np.uint8)
    cv2.putText(ink, "U", (2, 28), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 255, 2)
    cv2.putText(ink, "rel=", (40, 28), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 255, 2)
    if line:
        cv2.line(ink, (line[0], 33), (line[1], 33), 255, 2)
    return ink


def test_an_underscore_the_recogniser_dropped_is_put_back() -> None:
    assert ocr.underscore(_urel((23, 37)), 36, "Urel=") == "U_rel="
    assert ocr.underscore(_urel((23, 37)), 36, "灵敏度Urel=") == "灵敏度U_rel="  # counted from the Latin end
    assert ocr.underscore(_urel(None), 36, "Urel=") == "Urel="
    assert ocr.underscore(_urel((45, 70)), 36, "Urel=") == "Urel="  # under a glyph: an underline


def test_a_raised_square_after_an_m_is_a_superscript() -> None:
    ink = np.zeros((40, 120), np.uint8)
    ink[10:32, 4:20] = 255  # W
    ink[8:34, 24:28] = 255  # /
    ink[16:32, 34:56] = 255  # m, on the line
    ink[6:18, 60:68] = 255  # 2, small and raised
    starts = [4.0, 23.0, 33.0, 58.0]
    assert ocr.superscript(ink, "W/m2", starts) == "W/m²"
    assert ocr.superscript(ink, "W/m3", starts) == "W/m³"
    assert ocr.superscript(ink, "W/m2", None) == "W/m2"  # no places read: as it is
    ink[6:18, 60:68] = 0
    ink[14:32, 60:70] = 255  # a 2 on the line: m2 as a text writes it plain
    assert ocr.superscript(ink, "W/m2", starts) == "W/m2"


def test_a_paragraph_is_mended_by_the_terms_too() -> None:
    """A heading line read without its label (（一）建设目标 as 建设自标) is a paragraph, not a cell."""
    assert ocr.normalise("建设自标", cell=False) == "建设目标"


def test_a_headings_opening_bracket_boxed_apart_joins_its_label() -> None:
    # "（" boxed alone, "（一" of the rest read as a dash: "-）校准项目技术需求表" (seed 156 at 200 dpi); the
    # lone bracket made a column of its own and the heading a table's first row (section 5.1 missing)
    bracket = ocr.TextBox(152, 273, 170, 316, "(", 0.9, starts=(152.0,))
    label = ocr.TextBox(190, 273, 536, 316, ocr.heading_label("-）校准项目技术需求表"), 0.9)
    body = ocr.TextBox(152, 400, 900, 440, "(1) 校准", 0.9)
    out = ocr._bracket_to_label([bracket, label, body], [bracket, label, body])
    assert [(b.text, b.x0, b.starts) for b in out] == [("（一）校准项目技术需求表", 152, None), ("(1) 校准", 152, None)]
    far = ocr.TextBox(300, 273, 536, 316, label.text, 0.9)  # more than two ems on: not its bracket
    assert ocr._bracket_to_label([bracket, far], [bracket, far]) == [bracket, far]
    cell = ocr.TextBox(190, 273, 536, 316, "（一）校准项目", 0.9)  # in a ruled table: left alone
    assert ocr._bracket_to_label([bracket, cell], [bracket]) == [bracket, cell]


def test_a_power_of_ten_written_with_a_caret_the_recogniser_dropped_gets_it_back() -> None:
    import numpy as np

    # "×10^-7" on the line (seed 204 at 200 dpi: read "x10-7", then written raised as ×10⁻⁷): after the
    # 0, a glyph more than the exponent's two; its positions (crop pixels) as the recogniser read them
    ink = np.zeros((41, 99), np.uint8)
    for x0, y0, w, h in [(3, 10, 19, 19), (29, 8, 11, 23), (41, 7, 12, 24), (57, 14, 12, 10), (72, 20, 10, 4),
                         (83, 8, 13, 23)]:  # ×, 1, 0, ^, -, 7
        ink[y0:y0 + h, x0:x0 + w] = 255
    text, at = ocr.caret(ink, "x10-7", [7.0, 28.0, 42.0, 77.0, 84.0])
    assert (text, at) == ("x10^-7", [7.0, 28.0, 42.0, 53.0, 77.0, 84.0])
    # ×10⁻⁷ as a text writes it raised (LibreOffice, seed 64): as many glyphs as the exponent has, and a
    # comma low on the line after them is none of them
    ink = np.zeros((42, 95), np.uint8)
    for x0, y0, w, h in [(2, 12, 17, 16), (25, 6, 11, 23), (41, 6, 16, 23), (60, 13, 12, 3), (72, 6, 11, 14),
                         (86, 21, 7, 11)]:  # ×, 1, 0, ⁻, ⁷, ","
        ink[y0:y0 + h, x0:x0 + w] = 255
    assert ocr.caret(ink, "x10-7,", [7.0, 29.0, 43.0, 58.0, 73.0, 95.0])[0] == "x10-7,"
    assert ocr.caret(ink, "A10-7", [7.0, 29.0, 43.0, 58.0, 73.0]) == ("A10-7", [7.0, 29.0, 43.0, 58.0, 73.0])


def test_a_line_that_starts_with_an_exponent_gets_back_the_caret_the_recogniser_dropped() -> None:
    import numpy as np

    def line(boxes: list[tuple[int, int, int, int]]) -> np.ndarray:
        ink = np.zeros((36, 86), np.uint8)
        for x0, y0, w, h in boxes:
            ink[y0:y0 + h, x0:x0 + w] = 255
        return ink

    # "±(8×10" / "^-6读数" as reportlab wraps it (seed 614 at 200 dpi), read "-6读数": the caret 11 x 9 px
    # ending 7 px above the line's foot, then the minus and the 6 (one blob), 读, 数
    at = [18.4, 30.7, 49.1, 73.7]
    caret = line([(3, 18, 11, 9), (16, 13, 20, 21), (38, 11, 23, 24), (63, 11, 22, 24)])
    assert ocr.wrapped_caret(caret, "-6读数", at) == ("^-6读数", [3.0, *at])
    assert ocr._box_text("-6读数", at, True, lambda: caret)[0] == "^-6读数"
    comma = line([(3, 26, 5, 9), (16, 13, 20, 21), (38, 11, 23, 24), (63, 11, 22, 24)])  # low: a comma
    assert ocr.wrapped_caret(comma, "-6读数", at) == ("-6读数", at)
    tall = line([(3, 12, 9, 14), (16, 13, 20, 21), (38, 11, 23, 24), (63, 11, 22, 24)])  # as high as a text's
    assert ocr.wrapped_caret(tall, "-6读数", at) == ("-6读数", at)
    # the exponent's own minus apart from its 6, the caret at the end of the line before ("×10^" / "-6量程)",
    # seed 276): 10 x 3 px, flat
    minus = line([(3, 20, 10, 3), (16, 13, 20, 21), (38, 11, 23, 24), (63, 11, 22, 24)])
    assert ocr.wrapped_caret(minus, "-6读数", at) == ("-6读数", at)
    # a box that does not start with a (negative) exponent is not looked at: "(10ns~1" / "0μs)" and "k=" / "2"
    # wrapped, a speck or a stroke's end before them (seed 36 read "1^0μs" and "k=^2")
    assert ocr._box_text("读数-6", at, True, lambda: caret)[0] == "读数-6"
    assert ocr._box_text("0μs)", at, True, lambda: caret)[0] == "0μs)"


def test_a_slash_alone_read_as_1_or_as_nothing_is_a_slash_kept_where_it_stands() -> None:
    import numpy as np

    slash, one = np.zeros((36, 27), np.uint8), np.zeros((36, 27), np.uint8)
    for y in range(6, 30):  # a stroke 3 px wide leaning right, 24 px high (seed 516's "/" at 200 dpi)
        slash[y, 18 - (y - 6) // 3:21 - (y - 6) // 3] = 255
        one[y, 12:15] = 255  # an upright one
    # a "/" of a table without rules that the detector missed (boxed by lone_ink) and the recogniser read
    # as nothing at 0.1: kept outside ruled tables too (it was dropped as noise below 0.5)
    assert ocr.lone_slash("", 0.1, True, False, lambda: slash) == ("/", ocr.MIN_CONFIDENCE)
    assert ocr.lone_slash("", 0.1, True, True, lambda: slash) == ("/", ocr.MIN_CELL_CONFIDENCE)
    # one the detector boxed and the recogniser read "1" (seeds 270 and 70: "/" cells read 1)
    assert ocr.lone_slash("1", 0.9, False, False, lambda: slash) == ("/", 0.9)
    assert ocr.lone_slash("1", 0.9, False, False, lambda: one) is None  # a 1 stands upright
    assert ocr.lone_slash("", 0.1, False, False, lambda: slash) is None  # nothing read in a detected box
    assert ocr.lone_slash("11", 0.9, False, False, lambda: slash) is None


def test_an_nm_the_recogniser_read_as_mm_is_written_nm_where_its_first_glyph_is_as_narrow_as_an_n() -> None:
    import numpy as np

    def line(boxes: list[tuple[int, int, int, int]], width: int) -> np.ndarray:
        ink = np.zeros((42, width), np.uint8)
        for x0, y0, w, h in boxes:
            ink[y0:y0 + h, x0:x0 + w] = 255
        return ink

    # "重复性0.5nm" at 9 pt, 200 dpi (seed 212), read "0.5mm": the 5, then an n 12 px wide and an m 20 px wide
    ink = line([(2, 8, 23, 24), (81, 10, 10, 21), (93, 27, 4, 4), (99, 11, 10, 20), (116, 16, 12, 15), (129, 16, 20, 14)], 150)
    at = [7.0, 35.0, 57.0, 78.0, 92.0, 100.0, 121.0, 135.0]
    assert ocr.nanometre(ink, "重复性0.5mm", at) == "重复性0.5nm"
    # an mm: its two glyphs as wide (18 and 19 px) stays
    ink = line([(2, 8, 10, 21), (20, 16, 18, 15), (40, 16, 19, 15)], 64)
    assert ocr.nanometre(ink, "1mm", [2.0, 20.0, 40.0]) == "1mm"
    # touching glyphs: one blob 32 px wide and 15 high is nm; an mm's 39 stays
    ink = line([(2, 9, 10, 21), (20, 15, 32, 15)], 60)
    assert ocr.nanometre(ink, "1mm", [2.0, 20.0, 36.0]) == "1nm"
    ink = line([(2, 9, 10, 21), (20, 15, 39, 15)], 66)
    assert ocr.nanometre(ink, "1mm", [2.0, 20.0, 40.0]) == "1mm"
    # a 1 read a time step late, inside the window: a glyph as narrow as a 1 decides nothing
    ink = line([(14, 9, 7, 21), (24, 15, 39, 15)], 70)
    assert ocr.nanometre(ink, "1mm", [2.0, 20.0, 44.0]) == "1mm"


def test_a_box_widened_over_a_mark_before_it_is_kept_only_where_its_own_text_is_read_after_the_mark(monkeypatch) -> None:
    import numpy as np

    reads = {10: ("相位±1°", 0.9, [1.0]), 30: ("，相位±1°", 0.9, [1.0, 20.0]),
             11: ("k=", 0.9, [1.0]), 31: ("，k", 0.8, [1.0, 20.0]),
             12: ("28.3 L/min", 0.95, [1.0]), 32: ("，28.3L/min", 0.95, [1.0, 20.0])}  # by crop width
    monkeypatch.setattr(ocr, "read_spans", lambda crops, height: [reads[c.shape[1]] for c in crops])
    clean = np.full((40, 200), 245, np.uint8)
    rects = [(100, 0, 110, 30), (150, 0, 161, 30), (170, 0, 182, 30)]
    out = ocr._read_with_marks(clean, rects, {0: (80, 0, 110, 30), 1: (130, 0, 161, 30), 2: (150, 0, 182, 30)})
    assert [r[0] for r in out] == ["，相位±1°", "k=", "，28.3L/min"]  # "k=" read "，k" with the mark (seed 56): not kept
    assert rects == [(80, 0, 110, 30), (150, 0, 161, 30), (150, 0, 182, 30)]  # a space read or not: kept (seed 204)
