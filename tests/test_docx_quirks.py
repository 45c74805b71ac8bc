"""One quirk of real Word files at a time, on packages built from XML snippets (tests/minidocx.py)."""

from __future__ import annotations

from pathlib import Path

from imtc.extract import extract
from imtc.extract.docx_reader import read_docx
from imtc.extract.limits import Limits
from imtc.extract.package import open_docx
from tests.minidocx import dele, field, ins, p, r, tbl, tc, tr, write

COVER = [p("中心名称：浙江省动力电池产业计量测试中心"), p("申报单位：浙江省计量科学研究院（盖章）"),
         p("浙江省动力电池产业计量测试中心申请书")]
EQUIP_HEAD = ["序号", "测量仪器\n名称", "型号规格", "测量\n范围", "技术\n要求", "测量参数", "投资金额（万元）", "备注"]


def chapters(*extra: str) -> list[str]:
    """Enough typed headings for the document to be recognised as an application."""
    body = []
    for h in ("一、产业界定与范围", "二、必要性及意义", "三、省内外产业计量测试发展状况", "四、产业计量测试需求分析"):
        body += [p(h), p("本中心围绕动力电池产业开展计量测试服务，内容充实。")]
    return body + list(extra)


def blocks(path: Path):
    return read_docx(open_docx(path, Limits())).blocks


def test_automatic_numbering_recovers_heading_labels(tmp_path: Path) -> None:
    body = [*COVER]
    for title in ("产业界定与范围", "必要性及意义", "省内外产业计量测试发展状况", "产业计量测试需求分析",
                  "产业发展计量测试技术需求"):
        body += [p(title, num=(1, 0)), p("正文内容，说明本章节的实际情况与做法。")]
    body += [p("校准项目技术需求表", num=(1, 1)), p("关键参数测量项目技术需求表", num=(1, 1)),
             p("现有能力与条件", num=(1, 0))]
    ex = extract(write(tmp_path / "a.docx", body))
    heads = {s.key: s.heading for s in ex.sections if s.heading}
    assert heads["1"] == "一、产业界定与范围"
    assert heads["5"] == "五、产业发展计量测试技术需求"
    assert heads["5.1"] == "（一）校准项目技术需求表"
    assert heads["5.2"] == "（二）关键参数测量项目技术需求表"
    assert heads["6"] == "六、现有能力与条件"


def test_numbering_through_heading_style(tmp_path: Path) -> None:
    body = [*COVER, p("产业界定与范围", style="1"), p("内容一二三四五六七八九十。"), p("必要性及意义", style="1")]
    b = blocks(write(tmp_path / "a.docx", body))
    texts = [x.text for x in b]
    assert "一、产业界定与范围" in texts and "二、必要性及意义" in texts


def test_merged_cells_resolve_to_one_logical_cell(tmp_path: Path) -> None:
    head = tr(tc("序号", vmerge="restart"), tc("试验/检测需求", span=3), tc("试验/检测系统或设备", span=3),
              tc("校准设备或计量标准", span=3), tc("依据技术文件", vmerge="restart"), tc("溯源现状", vmerge="restart"))
    sub = tr(tc(vmerge="cont"), *[tc(t) for t in ["参数名称", "范围或量值", "允许误差", "名称型号", "参数和测量范围",
                                                  "技术要求", "名称型号", "参数和测量范围", "技术要求"]],
             tc(vmerge="cont"), tc(vmerge="cont"))
    row1 = tr(*[tc(t) for t in ["1", "电压", "(0~5) V", "±0.1%", "充放电测试系统 BTS", "(0~5) V", "±0.05%",
                                "多功能校准器 5522A", "(0~1000) V", "MPE ±0.005%"]],
              tc("JJF 1587-2016", vmerge="restart"), tc("可溯源"))
    row2 = tr(*[tc(t) for t in ["2", "电流", "(0~100) A", "±0.1%", "充放电测试系统 BTS", "(0~100) A", "±0.05%",
                                "分流器", "(0~100) A", "0.01级"]], tc(vmerge="cont"), tc("可溯源"))
    title = tr(tc("产业参数量值溯源信息汇总表", span=12))
    body = chapters(p("八、计量技术及管理服务能力建设计划"), p("（一）产业参数量值溯源信息汇总表"),
                    tbl([title, head, sub, row1, row2]))
    ex = extract(write(tmp_path / "a.docx", body))
    rows = [x.model_dump(exclude={"location"}) for x in ex.tables["traceability"].rows]
    assert rows == [
        {"seq": "1", "need_parameter": "电压", "need_range": "(0~5) V", "need_tolerance": "±0.1%",
         "device_model": "充放电测试系统 BTS", "device_range": "(0~5) V", "device_requirement": "±0.05%",
         "standard_model": "多功能校准器 5522A", "standard_range": "(0~1000) V", "standard_requirement": "MPE ±0.005%",
         "basis": "JJF 1587-2016", "status": "可溯源"},
        {"seq": "2", "need_parameter": "电流", "need_range": "(0~100) A", "need_tolerance": "±0.1%",
         "device_model": "充放电测试系统 BTS", "device_range": "(0~100) A", "device_requirement": "±0.05%",
         "standard_model": "分流器", "standard_range": "(0~100) A", "standard_requirement": "0.01级",
         "basis": "JJF 1587-2016", "status": "可溯源"},
    ]
    assert ex.sections[[s.key for s in ex.sections].index("8.1")].status == "present"


def test_horizontal_merge_is_one_value_in_its_first_field(tmp_path: Path) -> None:
    row = tr(*[tc(t) for t in ["1", "数字多用表", "34470A"]], tc("(0~1000) V，MPE ±0.003%", span=2),
             *[tc(t) for t in ["电压", "36", "新建"]])
    body = chapters(p("八、计量技术及管理服务能力建设计划"), p("（二）测量仪器设备配置表"),
                    tbl([EQUIP_HEAD, row]))
    ex = extract(write(tmp_path / "a.docx", body))
    (only,) = ex.tables["equipment"].rows
    assert only.range == "(0~1000) V，MPE ±0.003%"
    assert only.requirement is None
    assert only.investment_wan == 36


def test_tracked_changes_read_as_accepted(tmp_path: Path) -> None:
    row1 = tr(tc("1"), tc("数字多用表"), "<w:tc>" + p(r("344"), dele("65A"), ins("70A")) + "</w:tc>",
              *[tc(t) for t in ["(0~1000) V", "±0.003%", "电压"]], tc("36"), tc("新建"))
    gone = tr(*[tc(t) for t in ["2", "已删除的设备", "X1", "", "", "", "10", "新建"]], deleted=True)
    row3 = tr(*[tc(t) for t in ["2", "多功能校准器", "5522A", "", "", "电压", "120", "新建"]])
    body = chapters(p("五、产业发展计量测试技术需求"), p(r("本章说明"), ins("新增的内容，"), dele("删去的旧内容"), r("需求。")),
                    p("八、计量技术及管理服务能力建设计划"), p("（二）测量仪器设备配置表"),
                    tbl([EQUIP_HEAD, row1, gone, row3]))
    ex = extract(write(tmp_path / "a.docx", body))
    rows = ex.tables["equipment"].rows
    assert [x.name for x in rows] == ["数字多用表", "多功能校准器"]
    assert rows[0].model == "34470A"
    assert any(f.code == "tracked-changes" and f.severity == "warning" for f in ex.findings)
    texts = [b.text for b in blocks(tmp_path / "a.docx") if hasattr(b, "text")]
    assert "本章说明新增的内容，需求。" in texts


def test_formula_field_shows_its_result_and_hidden_text_is_dropped(tmp_path: Path) -> None:
    total = tr(tc("合计", span=6), "<w:tc>" + p(field(" =SUM(ABOVE) ", "156")) + "</w:tc>", tc(""))
    rows = [EQUIP_HEAD, ["1", "数字多用表", "34470A", "", "", "电压", "36", "新建"],
            tr(*[tc(t) for t in ["2", "多功能校准器", "5522A", "", "", "电压"]],
               "<w:tc>" + p(r("120"), r("（内部备注）", hidden=True)) + "</w:tc>", tc("新建")),
            total]
    body = chapters(p("八、计量技术及管理服务能力建设计划"), p("（二）测量仪器设备配置表"), tbl(rows))
    ex = extract(write(tmp_path / "a.docx", body))
    t = ex.tables["equipment"]
    assert [x.investment_wan for x in t.rows] == [36, 120]
    assert t.total_wan == 156


def test_automatic_seq_numbers_are_the_numbers_word_displays(tmp_path: Path) -> None:
    rows = [EQUIP_HEAD] + [tr(tc("", num=(3, 0)), *[tc(t) for t in [name, "M1", "", "", "电压", "10", "新建"]])
                           for name in ("数字多用表", "多功能校准器", "功率分析仪")]
    body = chapters(p("八、计量技术及管理服务能力建设计划"), p("（二）测量仪器设备配置表"), tbl(rows))
    ex = extract(write(tmp_path / "a.docx", body))
    assert [x.seq for x in ex.tables["equipment"].rows] == ["1", "2", "3"]


def test_split_table_with_and_without_repeated_header(tmp_path: Path) -> None:
    part1 = tbl([EQUIP_HEAD, ["1", "数字多用表", "34470A", "", "", "电压", "36", "新建"]])
    part2 = tbl([EQUIP_HEAD, ["2", "多功能校准器", "5522A", "", "", "电压", "120", "新建"]])
    part3 = tbl([["3", "功率分析仪", "WT5000", "", "", "功率", "80", "已建"], ["合计", "", "", "", "", "", "236", ""],
                 ["", "", "", "", "", "", "", ""]])
    body = chapters(p("八、计量技术及管理服务能力建设计划"), p("（二）测量仪器设备配置表"), part1, p(""),
                    part2, p("续表"), part3, p("（三）校准项目能力表"), p("本中心校准项目见下表并持续完善。"))
    ex = extract(write(tmp_path / "a.docx", body))
    t = ex.tables["equipment"]
    assert [x.seq for x in t.rows] == ["1", "2", "3"]
    assert t.total_wan == 236



def test_pages_come_from_words_rendered_page_breaks_only(tmp_path: Path) -> None:
    rendered = '<w:r><w:lastRenderedPageBreak/><w:t>本中心围绕动力电池产业开展计量测试服务。</w:t></w:r>'
    body = chapters(p(rendered), p("五、产业发展计量测试技术需求"), p(rendered), p("（一）校准项目技术需求表"))
    ex = extract(write(tmp_path / "word.docx", body))
    heads = {s.key: s.location.page for s in ex.sections if s.heading}
    assert heads["1"] == 1 and heads["5"] == 2 and heads["5.1"] == 3
    # manual breaks alone say too little to number pages: no page rather than a wrong one
    body = chapters(p("五、产业发展计量测试技术需求", page_break=True), p("（一）校准项目技术需求表"))
    ex = extract(write(tmp_path / "manual.docx", body))
    assert {s.location.page for s in ex.sections} == {None}
    assert ex.source.pages is None
