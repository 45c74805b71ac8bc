"""Entities read by place: items under a heading or sub-heading that names their kind, gazetteer
levels, references, and the common forms of numbers and codes; negatives beside them."""

from __future__ import annotations

from imtc.extract.blocks import Cell, Paragraph, TableBlock
from imtc.extract.entities import check_digit, read_entities, split_items
from imtc.extract.gazetteer import award_level, explicit_level, funder_level, project_level
from imtc.models import Award, Entities, Extraction, Project, Source
from imtc.validate import validate


def doc(*items: tuple[str, str | TableBlock | Paragraph]) -> Entities:
    """(section, paragraph text or block) -> entities; a heading block opens each section."""
    blocks: list = []
    sections: list[str | None] = []
    current = None
    for section, item in items:
        if section != current:
            blocks.append(Paragraph(text=f"{section} 标题", index=len(blocks)))
            sections.append(section)
            current = section
        blocks.append(item if not isinstance(item, str) else Paragraph(text=item, index=len(blocks), page=1))
        sections.append(section)
    return read_entities(blocks, sections, "annual_report")


def table(rows: list[list[str]], index: int = 0) -> TableBlock:
    grid = [[Cell(text=t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return TableBlock(index=index, grid=grid, page=2)  # type: ignore[arg-type]


# --- projects by place ---------------------------------------------------------------------------


def test_unquoted_list_items_under_a_project_heading_are_projects() -> None:
    e = doc(("1.7.3", "1、横向合作专项（其他）：气体质量流量计内阻在线校准技术研究，在研"),
            ("1.7.3", "2、碳化硅模块流量标准装置研制及应用（杭州市科技局，通过专家验收）"),
            ("1.7.3", "3、项目名称：扭矩传感器转换效率标准装置研制及应用；项目来源：宁波市市场监督管理局科研计划；状态：进展顺利"),
            ("1.7.6", Paragraph(text="温湿度传感器膨胀力校准装置研制。来源：丽水市公益性技术应用研究计划。已结题。", index=9,
                                auto_label="（1）")))
    assert [(p.title, p.level, p.category, p.status) for p in e.projects] == [
        ("气体质量流量计内阻在线校准技术研究", "other", "common_technology", "ongoing"),
        ("碳化硅模块流量标准装置研制及应用", "municipal", "common_technology", "completed"),
        ("扭矩传感器转换效率标准装置研制及应用", "municipal", "common_technology", "ongoing"),
        ("温湿度传感器膨胀力校准装置研制", "municipal", "equipment_method", "completed")]


def test_a_written_level_wins_and_an_unknown_one_stays_unknown() -> None:
    e = doc(("1.7.2", "1. 激光干涉仪定位精度在线校准技术研究（产业联盟开放课题，省部级，在研）"),
            ("1.7.2", "2. 晶圆线宽测量方法研究（行业协会课题，在研）"),
            ("1.7.2", "由中心牵头的「光伏组件温度场测量方法研究」专项（宁波市科技计划，市级）在研。"))
    assert [(p.title, p.level) for p in e.projects] == [
        ("激光干涉仪定位精度在线校准技术研究", "provincial"), ("晶圆线宽测量方法研究", None), ("光伏组件温度场测量方法研究", "municipal")]


def test_programme_names_in_quotes_are_no_titles() -> None:
    e = doc(("1.7.5", "承担国家重点研发计划“国家质量基础设施体系”重点专项课题“逆变器动态参数现场测试方法研究”，在研。"),
            ("1.7.5", "浙江省“尖兵”“领雁”研发攻关计划项目“钠离子电池容量测量方法研究”通过验收。"))
    assert [(p.title, p.level, p.status) for p in e.projects] == [
        ("逆变器动态参数现场测试方法研究", "national", "ongoing"), ("钠离子电池容量测量方法研究", "provincial", "completed")]


def test_other_units_projects_and_applications_are_not_projects() -> None:
    e = doc(("1.7.3", "合作单位浙江大学承担的国家重点研发计划项目“锂离子电芯线宽在线校准技术研究”已启动，中心提供测试支持。"),
            ("1.7.3", "省内龙头企业获批浙江省重点研发计划项目“动力电池容量测量方法研究”。"),
            ("1.7.3", "1. 申报浙江省自然科学基金项目“电池管理系统温度场测量方法研究”，尚在评审"),
            ("1.7.5", "团队已研制“电池充放电测试系统校准装置”并在省内20余家企业应用。"))
    assert e.projects == []


def test_a_table_under_a_project_heading_naming_only_its_columns() -> None:
    t = table([["序号", "名称", "下达部门", "级别", "进展"],
               ["1", "储能变流器输出功率校准装置研制", "企业", "其他", "在研"],
               ["2", "智能电表一致性测量方法研究", "国家市场监督管理总局科技计划", "", "已验收"]])
    e = doc(("1.7.6", t))
    assert [(p.title, p.level, p.status) for p in e.projects] == [
        ("储能变流器输出功率校准装置研制", "other", "ongoing"), ("智能电表一致性测量方法研究", "provincial", "completed")]


# --- sub-headings: patents, awards, papers, talks ------------------------------------------------


def test_items_under_sub_headings_of_1_7_1() -> None:
    e = doc(("1.7.1", "（3）科技奖励"),
            ("1.7.1", "1、国家科学技术进步奖一等奖：逆变器内阻量值溯源关键技术及应用（2025年）"),
            ("1.7.1", "2、工业机器人膨胀力计量测试关键技术及应用，获中国仪器仪表学会科学技术奖一等奖，中心为第一完成单位"),
            ("1.7.1", "3、红外热像仪零点漂移精密测量技术与产业化——国家市场监督管理总局科技兴检奖二等奖"),
            ("1.7.1", "学术交流报告："),
            ("1.7.1", "1.主题报告：半导体激光器线宽计量测试服务实践（2025年中国计量测试学会学术年会，中心专家）"),
            ("1.7.1", "2.“风电齿轮箱热阻校准技术新进展”——第十届全国动力电池技术大会报告"),
            ("1.7.1", "邀请中国计量大学教授来中心作“氢燃料电池堆内阻标准化工作展望”专题报告。"))
    assert [(a.title, a.level) for a in e.awards] == [
        ("逆变器内阻量值溯源关键技术及应用", "national"), ("工业机器人膨胀力计量测试关键技术及应用", "other"),
        ("红外热像仪零点漂移精密测量技术与产业化", "provincial")]
    assert [t.title for t in e.talks] == ["半导体激光器线宽计量测试服务实践", "风电齿轮箱热阻校准技术新进展"]


def test_references_gb_t_7714_with_index_markers() -> None:
    e = doc(("1.7.1", "论文发表情况："),
            ("1.7.1", "[1] 王磊，陈静．采用激光干涉的半导体激光器重复性校准方法研究[J]．仪器仪表学报，2024，59（3）：87-96。(EI)"),
            ("1.7.1", "（2）Liu Y, et al. Traceable measurement of output power in SiC power devices[J]. "
                      "Measurement Science and Technology, 2024, 59(3): 57-61.，SCI收录"),
            ("1.7.1", "陈静,李娜.采用机器视觉的钠离子电池温度场不确定度评定[J].工业计量, 2024, 42(1): 122-134."),
            ("1.7.1", "完成论文“MEMS压力传感器一致性测量不确定度评定”初稿，拟投稿Measurement。"),
            ("1.7.1", "本年度发表EI收录论文1篇：吴婷,杨帆. 采用激光干涉的半导体激光器泄漏电流校准方法研究[J]. 中国电机工程学报, 2024, 56(12): 115009."))
    assert [(p.title, p.venue, p.indexed, p.date) for p in e.papers] == [
        ("采用激光干涉的半导体激光器重复性校准方法研究", "仪器仪表学报", "EI", "2024"),
        ("Traceable measurement of output power in SiC power devices", "Measurement Science and Technology", "SCI", "2024"),
        ("采用机器视觉的钠离子电池温度场不确定度评定", "工业计量", None, "2024"),
        ("采用激光干涉的半导体激光器泄漏电流校准方法研究", "中国电机工程学报", "EI", "2024")]


def test_papers_in_prose_by_verb_and_venue() -> None:
    e = doc(("1.7.1", "团队撰写的“采用电化学阻抗谱的电池管理系统转换效率在线测量”一文刊登在《工业计量》2025年第8期；"
                      "另外，《中国电机工程学报》刊发了中心论文“基于量热法的储能变流器热阻测量方法”(EI)；"
                      "中心人员以第一作者发表“Online monitoring of thickness in battery packs”（Sensors，2024）（SCI收录）。"))
    assert [(p.venue, p.indexed) for p in e.papers] == [("工业计量", None), ("中国电机工程学报", "EI"), ("Sensors", "SCI")]


# --- patents and standards in their common forms -------------------------------------------------


def test_patent_numbers_without_the_dot_count_only_with_a_right_check_digit() -> None:
    digits = "202410234567"
    good, bad = digits + check_digit(digits), digits + str((int(check_digit(digits).replace("X", "10")) + 1) % 10)
    e = doc(("1.7.1", f"1. 一种电池模拟器的校准装置，发明专利，专利号ZL {good}，已授权"),
            ("1.7.1", f"2. 一种电芯夹具，实用新型专利，申请号{bad[:4]}2{bad[5:]}"))
    assert [(p.number, p.status, p.type) for p in e.patents] == [(f"ZL{digits}.{good[-1]}", "granted", "发明")]
    assert check_digit("202310123456") == "6" and len({check_digit(f"2023101234{i:02d}") for i in range(40)}) == 11


def test_granted_by_the_words_of_an_items_sentence() -> None:
    e = doc(("1.7.1", "知识产权"), ("1.7.1", "1.一种扭矩传感器一致性的检测系统，实用新型专利，专利号202221680322.1，已授权"),
            ("1.7.1", "2.一种数控机床热阻的检测系统，实用新型专利，申请号：202421708620.6，实质审查中"))
    assert [p.status for p in e.patents] == ["granted", "applied"]


def test_department_codes_states_and_a_title_before_its_code() -> None:
    e = doc(("1.7.7", "负责起草行业标准《晶圆容量测试仪校准规范》JJF(电子) 1105—2026，已发布实施。"),
            ("1.7.7", "浙江省地方标准《温湿度传感器电压纹波计量技术要求》（JJF（浙）1286–2023）由中心作为第一起草单位制定，已报批。"),
            ("1.7.7", "本年度参与编制团体标准1项：《钠离子电池容量测试仪校准规范》T/ZJAS 092—2025，已通过审定，待发布。"),
            ("1.7.7", "依据JJF 1033-2023对计量标准进行了复查。"))
    assert [(s.code, s.level, s.status) for s in e.standards] == [
        ("JJF(电子) 1105-2026", "industry", "published"), ("JJF(浙) 1286-2023", "local", "drafting"),
        ("T/ZJAS 092-2025", "group", "drafting")]


# --- PDF paragraphs -------------------------------------------------------------------------------


def test_numbered_items_run_together_are_split_by_their_sequence() -> None:
    assert split_items("（4）“储能变流器泄漏电流测试评价技术研究”，绍兴市科技计划，正在实施（5）承担宁波市科技计划项目「激光干涉仪"
                       "转换效率校准装置研制」，正在实施") == [
        "（4）“储能变流器泄漏电流测试评价技术研究”，绍兴市科技计划，正在实施", "（5）承担宁波市科技计划项目「激光干涉仪转换效率校准装置研制」，正在实施"]
    assert split_items("2.2025年12月，中心主任作报告；3.主题报告：某某") == ["2.2025年12月，中心主任作报告；", "3.主题报告：某某"]
    assert split_items("测量范围（1~5）V，共（2）项") == ["测量范围（1~5）V，共（2）项"]


def test_a_list_item_is_not_joined_with_the_sentence_after_it() -> None:
    e = doc(("1.7.1", "（1）申请实用新型专利1项：「一种电池管理系统电压纹波的信号隔离模块」，申请号202410234567.9"),
            ("1.7.1", "完成论文“MEMS压力传感器一致性测量不确定度评定”初稿，拟投稿Measurement。"))
    assert [p.title for p in e.patents] == ["一种电池管理系统电压纹波的信号隔离模块"] and e.papers == []


# --- gazetteers -----------------------------------------------------------------------------------


def test_the_eleven_cities_and_the_levels_of_funders() -> None:
    for city in ("杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水"):
        assert funder_level(f"{city}市科技计划")[0] == "municipal", city
        assert funder_level(f"{city}市市场监督管理局科研项目")[0] == "municipal", city
    assert project_level("国家自然科学基金青年科学基金") == ("national", "国家自然科学基金")
    assert project_level("国家市场监督管理总局科技计划")[0] == "provincial"  # 省部级 (CONTRACT.md)
    assert project_level("浙江省“尖兵”“领雁”研发攻关计划")[0] == "provincial"
    assert project_level("院自立科研")[0] == "other" and project_level("某基金会资助") == (None, None)
    assert project_level("杭州市科技局（省部级）")[0] == "provincial"  # a written level wins
    assert explicit_level("（其他）") == ("other", "其他") and explicit_level("其他项目") == (None, None)


def test_awarding_bodies() -> None:
    assert [award_level(b) for b in ("国家", "国家市场监督管理总局", "浙江省", "湖州市", "中国计量测试学会", "浙江省计量测试学会")] == [
        "national", "provincial", "provincial", "municipal", "other", "other"]


# --- the finding ----------------------------------------------------------------------------------


def test_an_unknown_level_is_a_finding_never_a_silent_other() -> None:
    ex = Extraction(source=Source(file="r.docx", format="docx", sha256="0" * 64), kind="annual_report",
                    entities=Entities(projects=[Project(title="晶圆线宽测量方法研究", status="ongoing"),
                                                Project(title="下年度项目", level=None, location={"section": "2.3.1"})],
                                      awards=[Award(title="某成果", prize="某某奖二等奖")]))
    found = [f for f in validate(ex) if f.code == "level-unknown"]
    assert [f.message for f in found] == [
        "项目“晶圆线宽测量方法研究”未写明级别，也无法从文中的资助单位或计划名称判断是国家级、省部级、市级还是其他。评分时不按“其他”计，"
        "请专家核实证明材料后确认；提交时请在该项目后注明级别（如“（省部级）”）。",
        "奖励“某成果”未写明级别，也无法从奖项名称“某某奖二等奖”判断是国家级、省部级、市级还是其他。评分时不按“其他”计，"
        "请专家核实证明材料后确认；提交时请在该奖励后注明级别（如“（省部级）”）。"]


# --- a list's statement of index classes, talks' events -------------------------------------------


def test_a_statement_for_the_list_marks_its_entries_only_when_it_names_one_class() -> None:
    e = doc(("1.7.1", "本年度发表论文3篇，其中SCI收录1篇、EI收录2篇，具体如下："),
            ("1.7.1", "[1] 王磊.采用激光干涉的半导体激光器重复性校准方法研究[J].仪器仪表学报，2024，59（3）：87-96."),
            ("1.7.1", "[2] 张伟.采用机器视觉的钠离子电池温度场不确定度评定[J].工业计量, 2024, 42(1): 122-134.（EI收录）"),
            ("1.7.1", "以下论文均被EI收录："),
            ("1.7.1", "1.李娜.基于量热法的储能变流器热阻测量方法[J].电工技术学报，2025，40(2)：1-9."))
    assert [(p.indexed, p.index_statement) for p in e.papers] == [
        (None, "SCI收录1篇、EI收录2篇"), ("EI", None), ("EI", None)]
    ex = Extraction(source=Source(file="r.docx", format="docx", sha256="0" * 64), kind="annual_report", entities=e)
    assert [f.message for f in validate(ex) if f.code == "paper-index-unclear"] == [
        "论文“采用激光干涉的半导体激光器重复性校准方法研究”未注明收录类别，列表前的说明为“SCI收录1篇、EI收录2篇”，无法确定该篇属于哪一类。"
        "评分时暂不计入收录论文，请专家核对检索证明；提交时请在每篇论文后注明收录类别（如“（SCI收录）”）。"]


def test_talks_name_their_event() -> None:
    e = doc(("1.7.1", "2025年9月，中心技术负责人在第十届全国动力电池技术大会上作题为“动力电池热安全计量技术进展”的学术交流报告。"),
            ("1.7.1", "学术交流报告："),
            ("1.7.1", "1.主题报告：半导体激光器线宽计量测试服务实践（2025年中国计量测试学会学术年会，中心专家）"),
            ("1.7.1", table([["序号", "报告题目", "会议名称", "时间"], ["1", "光伏组件功率计量新进展", "第七届长三角计量测试技术论坛", "2025.05"]])))
    assert [(t.title, t.event, t.date) for t in e.talks] == [
        ("动力电池热安全计量技术进展", "第十届全国动力电池技术大会", "2025-09"),
        ("半导体激光器线宽计量测试服务实践", "2025年中国计量测试学会学术年会", "2025"),
        ("光伏组件功率计量新进展", "第七届长三角计量测试技术论坛", "2025-05")]


def test_a_records_row_cut_by_a_page_break_is_one_row() -> None:
    first = table([["序号", "项目名称", "项目来源", "进展"], ["1", "高压直流电能表温度场在线", "杭州市科技局", "实施中"],
                   ["", "校准技术研究", "", ""]], index=0)
    e = doc(("1.7.3", first))
    assert [(p.title, p.level, p.location.row) for p in e.projects] == [("高压直流电能表温度场在线校准技术研究", "municipal", 0)]


def test_pdf_lines_of_a_reference_and_a_sub_heading_run_onto_an_item() -> None:
    e = doc(("1.7.1", "1.一种智能电表动态参数的校准装置，外观设计专利，申请号202136459888.4，已受理（2）学术论文"),
            ("1.7.1", "（1）Zhang W, Yang F. A novel approach to measuring thickness in charging"),
            ("1.7.1", "piles[J]. Sensors, 2024, 54(7): 76-82.，SCI收录"),
            ("1.7.1", "（2）杨帆,王磊. 采用深度学习的电化学工作站热阻测"),
            ("1.7.1", "量方法[J]. 光学精密工程，2025，41（3）：15-24。(EI)"),
            ("1.7.1", "本年度科研经费投入较上年有所增加。另发表论文1篇：赵敏. 基于量热法的储能变流器热阻测量方法[J]. 电工技术学报, 2025, 40(2): 1-9."))
    assert [(p.title, p.indexed) for p in e.papers] == [
        ("A novel approach to measuring thickness in charging piles", "SCI"), ("采用深度学习的电化学工作站热阻测量方法", "EI"),
        ("基于量热法的储能变流器热阻测量方法", None)]
    assert [p.number for p in e.patents] == ["202136459888.4"]


def test_circled_items_run_together_a_title_before_its_kind_word_and_a_listed_chinese_venue() -> None:
    assert split_items("①课题：工业机器人容量计量特性评价方法研究，进展顺利②承担课题「红外热像仪重复性现场测试方法研究」，已结题") == [
        "①课题：工业机器人容量计量特性评价方法研究，进展顺利", "②承担课题「红外热像仪重复性现场测试方法研究」，已结题"]
    e = doc(("1.7.6", "由中心牵头的“电池管理系统剩余能量在线校准技术研究”计划项目（国家自然科学基金，国家级）已完成中期检查。"),
            ("1.7.1", "（1）“采用深度学习的直流充电桩膨胀力校准方法研究”，仪器仪表学报，2025，EI检索"))
    assert [(p.title, p.level, p.status) for p in e.projects] == [("电池管理系统剩余能量在线校准技术研究", "national", "ongoing")]
    assert [(p.venue, p.indexed) for p in e.papers] == [("仪器仪表学报", "EI")]


def test_a_patent_number_cut_before_its_check_digit_is_one_number_not_an_item_4() -> None:
    # a PDF line ends on the number's dot; the check digit and bracket start the next line (“4）”)
    e = doc(("1.7.1", "（2）“一种超声波流量计容量的校准方法及装置”（外观设计专利，授权号：ZL202035751168."),
            ("1.7.1", "4）"),
            ("1.7.1", "（3）ZL 2020 2 6262788."),
            ("1.7.1", "5）一种温湿度传感器绝缘电阻的标定装置，实用新型"))  # 5 is not its check digit (2): an item
    assert [(p.number, p.status) for p in e.patents] == [("ZL202035751168.4", "granted")]


def test_status_of_patents_and_projects_from_the_words_after_them() -> None:
    e = doc(("1.7.1", "[2] 实用新型专利：一种碳化硅模块容量的校准方法及装置（专利号202429281570．9，申请日2025.12）"),
            ("1.7.1", "[3] 发明专利：一种扭矩传感器零点漂移的检测系统（专利号202318326754.6，申请日2023.05，授权日2025.03）"),
            ("1.7.1", "另外，「一种风电齿轮箱剩余能量的测量方法」获得国家知识产权局授权（发明专利，2025147916633）。"),
            ("1.7.6", "本年度获批国家自然科学基金青年科学基金项目1项（国家级），即《电池管理系统动态参数在线校准技术研究》，"
                      "项目已完成中期检查。"),
            ("1.7.6", "承担的浙江省重点研发计划项目“储能变流器效率校准装置研制”，项目已完成，通过验收。"))
    assert [(p.number, p.status) for p in e.patents] == [
        ("202429281570.9", "applied"), ("202318326754.6", "granted"), ("202514791663.3", "granted")]
    assert [(p.title, p.status) for p in e.projects] == [
        ("电池管理系统动态参数在线校准技术研究", "ongoing"), ("储能变流器效率校准装置研制", "completed")]


def test_an_english_journal_that_publishes_the_paper_is_its_venue() -> None:
    e = doc(("1.7.1", "Sensors刊发了中心论文“A calibration method for insulation resistance in lithium-ion cells”（SCI二区）。"),
            ("1.7.1", "在Measurement期刊发表论文“Online monitoring of heat generation in fuel cell stacks”（SCI）。"))
    assert [(p.title, p.venue, p.indexed) for p in e.papers] == [
        ("A calibration method for insulation resistance in lithium-ion cells", "Sensors", "SCI"),
        ("Online monitoring of heat generation in fuel cell stacks", "Measurement", "SCI")]


def test_a_graded_prize_in_a_list_is_an_award_even_where_no_heading_names_awards() -> None:
    e = doc(("1.7.1", "情况如下："),
            ("1.7.1", table([["序号", "论文名称", "刊物名称", "检索类型"], ["1", "采用深度学习的太赫兹功率计容量在线测量", "计量学报", "EI"]])),
            ("1.7.1", Paragraph(text="（1）「扭矩传感器重复性计量测试关键技术及应用」，2023年度国家科学技术进步奖二等奖", index=5, auto_label="（1）")),
            ("1.7.1", Paragraph(text="（2）智能电表绝缘电阻精密测量技术与产业化——国家技术发明奖三等奖", index=6, auto_label="（2）")),
            ("1.7.1", Paragraph(text="（3）拟申报浙江省科学技术进步奖一等奖", index=7, auto_label="（3）")))
    assert [(a.title, a.level) for a in e.awards] == [("扭矩传感器重复性计量测试关键技术及应用", "national"),
                                                      ("智能电表绝缘电阻精密测量技术与产业化", "national")]
    assert [p.title for p in e.papers] == ["采用深度学习的太赫兹功率计容量在线测量"]


def test_a_patent_applied_for_keeps_its_status_though_labelled_patent_number() -> None:
    e = doc(("1.7.1", "本年度新申请实用新型专利1项，即“一种气体质量流量计重复性的温控工装”，专利号202425531398.2；"
                      "获授权外观设计专利“一种锂离子电芯重复性的信号隔离模块”，为2022358276017。"),
            ("1.7.1", "（1）申请实用新型专利1项：《一种碳化硅模块膨胀力的测量方法》，专利号202526819640.7"))
    assert [(p.number, p.status) for p in e.patents] == [
        ("202425531398.2", "applied"), ("202235827601.7", "granted"), ("202526819640.7", "applied")]


def test_standards_a_code_run_onto_its_title_and_a_level_in_words_after_the_title() -> None:
    e = doc(("1.7.7", "（1）JJF1925–2024MEMS压力传感器用零点漂移传感器检定规程（主持制定，已完成征求意见稿）"),
            ("1.7.7", "2.《逆变器热阻测试仪校准规范》（浙江省地方标准），于2025年9月发布"))
    assert [(s.code, s.title, s.level, s.status) for s in e.standards] == [
        ("JJF 1925-2024", None, "national", "drafting"), (None, "逆变器热阻测试仪校准规范", "local", "published")]


def test_a_level_in_the_bracket_after_the_funder_wins() -> None:
    e = doc(("1.7.3", "《高压直流电能表重复性标准装置研制及应用》获行业协会课题立项支持（市级），目前已完成中期检查。"))
    assert [(p.title, p.level, p.status) for p in e.projects] == [("高压直流电能表重复性标准装置研制及应用", "municipal", "ongoing")]


def test_an_item_with_the_next_paragraph_run_onto_it_is_still_the_centers() -> None:
    # a text PDF's full line ends the item exactly at the margin: the next paragraph (another unit's) joins it
    e = doc(("1.7.3", "1、电池管理系统时序参数计量特性评价方法研究。来源：国家市场监督管理总局科技计划。已结题。"
                      "省内龙头企业获批浙江省重点研发计划项目“动力电池输出功率校准装置研制”。"),
            ("1.7.1", "（2）「温湿度传感器输出功率精密测量技术与产业化」，2023年度杭州市科学技术进步奖三等奖"
                      "服务企业宁波某电池公司获得浙江省标准创新贡献奖二等奖。"))
    assert [(p.title, p.level, p.funder, p.status) for p in e.projects] == [
        ("电池管理系统时序参数计量特性评价方法研究", "provincial", "国家市场监督管理总局", "completed")]
    assert [(a.title, a.level) for a in e.awards] == [("温湿度传感器输出功率精密测量技术与产业化", "municipal")]


def test_a_specification_item_with_no_code_under_the_standards_heading_is_a_standard_of_unknown_level() -> None:
    e = doc(("1.7.7", "3.《太赫兹功率计用泄漏电流传感器检定规程》，主编，已颁布实施"),
            ("1.7.7", Paragraph(text="（4）《气体质量流量计重复性计量技术要求》  已颁布实施", index=9, auto_label="（4）")),
            ("1.7.7", "5.《计量标准建设工作总结报告》，已完成"))
    assert [(s.code, s.title, s.level, s.status) for s in e.standards] == [
        (None, "太赫兹功率计用泄漏电流传感器检定规程", None, "published"), (None, "气体质量流量计重复性计量技术要求", None, "published")]


def test_a_list_item_cut_after_a_word_no_sentence_ends_on_goes_on() -> None:
    # LibreOffice breaks Chinese between words: “通过” went down whole, the line ends on 已 short of the margin
    e = doc(("1.7.5", "1、承担杭州市市场监督管理局科技项目计划项目“温湿度传感器剩余能量在线校准技术研究”，已"),
            ("1.7.5", "通过验收"))
    assert [(p.title, p.level, p.status) for p in e.projects] == [("温湿度传感器剩余能量在线校准技术研究", "municipal", "completed")]
