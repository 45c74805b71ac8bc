"""The entity reader on sentences written the way reports write them, negatives included."""

from __future__ import annotations

import pytest

from imtc.extract.blocks import Cell, Paragraph, TableBlock
from imtc.extract.entities import code_key, find_codes, read_entities
from imtc.models import Entities

FACT = "1.7.1"


def read(*paragraphs: str | tuple[str, str], kind: str = "annual_report") -> Entities:
    """Paragraphs (text, or (section key, text)) -> entities; a heading block opens each section."""
    blocks: list = []
    sections: list[str | None] = []
    current = None
    for item in paragraphs:
        section, text = item if isinstance(item, tuple) else (FACT, item)
        if section != current:
            blocks.append(Paragraph(text=f"{section} 标题", index=len(blocks)))
            sections.append(section)
            current = section
        blocks.append(Paragraph(text=text, index=len(blocks), page=1))
        sections.append(section)
    return read_entities(blocks, sections, kind)


def table(rows: list[list[str]], index: int = 0) -> TableBlock:
    grid = [[Cell(text=t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return TableBlock(index=index, grid=grid, page=3)  # type: ignore[arg-type]


# --- patents ------------------------------------------------------------------------------------


def test_granted_patent_with_title_and_type_from_number() -> None:
    e = read("发明专利“一种动力电池内阻在线测量装置”获得授权，专利号ZL202310123456.7。")
    [p] = e.patents
    assert (p.number, p.status, p.type, p.title) == ("ZL202310123456.7", "granted", "发明", "一种动力电池内阻在线测量装置")
    assert p.location.section == FACT and p.location.paragraph == 1


def test_patent_number_with_spaces_and_full_width() -> None:
    e = read("获授权实用新型专利“一种电池充放电测试系统校准用多通道切换夹具”（专利号：ＺＬ ２０２４ ２ ０３４５６７８.１）。")
    [p] = e.patents
    assert (p.number, p.type, p.status) == ("ZL202420345678.1", "实用新型", "granted")


def test_application_number_is_applied() -> None:
    e = read("新申请发明专利“一种电池单体模拟器多通道电压校准装置及方法”，申请号202510345678.9。")
    [p] = e.patents
    assert (p.number, p.status, p.type) == ("202510345678.9", "applied", "发明")


def test_publication_number_is_applied_and_joins_its_application_number() -> None:
    e = read("申请发明专利“一种电芯容量分档测量结果的修正方法”，申请号202310567812.4，公开号CN 117123456 A。")
    [p] = e.patents
    assert p.status == "applied" and p.number == "202310567812.4" and p.publication == "CN117123456A"
    e = read("发明专利申请“一种化成分容设备校准方法”已公开，公开号CN117654321A。")
    assert [(p.number, p.status, p.type) for p in e.patents] == [("CN117654321A", "applied", "发明")]


def test_same_patent_twice_and_application_later_granted_count_once() -> None:
    e = read("申请发明专利“一种绝热加速量热仪温度漂移的校准方法”，申请号202410234567.8。",
             "该发明专利已获得授权，专利号ZL202410234567.8。",
             "专利ZL 202410234567.8已应用于绝热加速量热仪校准。")
    [p] = e.patents
    assert (p.number, p.status, p.title) == ("ZL202410234567.8", "granted", "一种绝热加速量热仪温度漂移的校准方法")


def test_phone_numbers_dates_and_counts_are_not_patents() -> None:
    e = read("联系电话：0571-88886666，传真0571-88886667；报送日期2025年11月24日，文号浙市监计〔2025〕12号。",
             "本年度获授权发明专利2项、实用新型专利1项，新申请发明专利1项。",
             "证书编号202410234567，设备出厂编号2023101234567.8见附件。")
    assert e.patents == []


def test_bare_number_outside_a_patent_sentence_is_not_read() -> None:
    assert read("样品批号202410234567.8的电芯完成了测量。").patents == []


# --- standards ------------------------------------------------------------------------------------


def test_standard_the_center_wrote_published_local() -> None:
    e = read(("1.7.7", "中心主持编制的JJF(浙) 1215-2025《电化学工作站校准规范》于2025年7月发布实施。"))
    [s] = e.standards
    assert (s.code, s.level, s.status, s.title, s.date) == ("JJF(浙) 1215-2025", "local", "published", "电化学工作站校准规范", "2025-07")


def test_full_width_brackets_and_group_and_drafting() -> None:
    e = read(("1.7.7", "牵头编制的团体标准T/ZJAS 086-2025《动力电池电芯一致性计量评价规范》于2025年5月发布；"
                       "地方计量技术规范JJF（浙）《电芯膨胀力测试系统校准规范》已获省市场监管局立项，正在编制。"))
    assert [(s.code, s.level, s.status) for s in e.standards] == [
        ("T/ZJAS 086-2025", "group", "published"), ("JJF(浙)", "local", "drafting")]


def test_standard_named_in_words_without_code() -> None:
    e = read(("1.7.7", "中心参与起草的国家计量技术规范《电池模拟器校准规范》已完成征求意见稿，预计2026年报批。"))
    [s] = e.standards
    assert (s.code, s.level, s.status, s.title) == (None, "national", "drafting", "电池模拟器校准规范")


def test_cited_calibration_basis_is_not_the_centers_standard() -> None:
    e = read("中心利用绝热加速量热仪按JJF(浙) 1201-2024校准后开展第三方测量并出具测量报告。",
             "依据JJF 1033-2023对计量标准进行了复查，并参照GB/T 6283-2008编制了作业指导书。",
             ("1.7.7", "2024年11月，中心在杭州举办JJF 1895-2021宣贯培训会，培训企业技术人员90人。"),
             ("1.7.7", "已发布的JJF(浙) 1201-2024本年度被省外4家实验室采用。"))
    assert e.standards == []


def test_industry_overview_standards_are_not_read() -> None:
    e = read(("1.3.3", "国家标准GB 38031-2020《电动汽车用动力蓄电池安全要求》的修订工作加快推进，主持单位为行业龙头。"))
    assert e.standards == []


def test_template_table_codes_are_calibration_bases() -> None:
    header = ["序号", "测量仪器名称", "校准参量", "校准规范", "测量范围", "技术要求", "限制说明", "备注"]
    blocks = [Paragraph(text="2.计量校准技术能力", index=0),
              table([header, ["1", "电化学工作站", "交流阻抗", "JJF(浙) 1215-2025", "(1 mΩ~1 MΩ)", "U_rel=0.5%", "", "新建"]])]
    assert read_entities(blocks, ["1.6.2", "1.6.2"], "annual_report").standards == []


def test_industry_and_enterprise_levels() -> None:
    e = read(("1.7.7", "中心参与制定的行业标准JB/T 14558-2024《电池内阻测试仪》已发布；主持编制企业标准Q/ZJM JF-121-2024《电池单体模拟器校准方法》。"))
    assert [(s.code, s.level) for s in e.standards] == [("JB/T 14558-2024", "industry"), ("Q/ZJM JF-121-2024", "enterprise")]


def test_codes_and_keys() -> None:
    assert [c[:2] for c in find_codes("JJF1033-2023、GB/T 31467.2-2015、IEC 60747-8:2010")] == [
        ("JJF 1033-2023", "national"), ("GB/T 31467.2-2015", "national"), ("IEC 60747-8:2010", "international")]
    assert code_key("JJF(浙) 1215-2025") == code_key("JJF(浙) 1215") == "JJF(浙)1215"


# --- projects -------------------------------------------------------------------------------------


def test_projects_levels_by_funder_and_category_by_section() -> None:
    e = read(("1.7.2", "浙江省市场监督管理局科技计划项目“动力电池热失控过程热量与产气量同步计量方法研究”通过中期检查。"),
             ("1.7.3", "中心作为参与单位承担国家重点研发计划“新能源汽车”重点专项课题“动力电池全生命周期安全性能计量测试技术”。"),
             ("1.7.3", "湖州市科技计划项目“退役动力电池余能快速检测技术研究”于2025年10月通过验收。"),
             ("1.7.6", "企业委托项目“化成分容设备多通道现场校准装置研制”完成64通道定型样机。"))
    assert [(p.level, p.category, p.status) for p in e.projects] == [
        ("provincial", "frontier", "ongoing"), ("national", "common_technology", "ongoing"),
        ("municipal", "common_technology", "completed"), ("other", "equipment_method", "ongoing")]
    assert e.projects[2].date == "2025-10"


def test_state_administration_programme_is_provincial_and_pilot_words_are_no_title() -> None:
    e = read(("1.7.2", "新获批国家市场监督管理总局科技计划项目“面向先进制程的纳米线宽测量溯源技术研究”（2025年7月—2027年6月）。"),
             ("1.7.2", "新获批浙江省科技厅“尖兵”“领雁”研发攻关计划项目“固态电池界面阻抗测量技术研究”。"))
    assert [(p.title, p.level) for p in e.projects] == [
        ("面向先进制程的纳米线宽测量溯源技术研究", "provincial"), ("固态电池界面阻抗测量技术研究", "provincial")]


def test_not_projects() -> None:
    e = read("本年度新建校准项目5项、关键参数测量项目5项。",
             "推行重点企业“计量管家”服务，按照“三全一前”的要求开展工作。",
             "申报浙江省科技厅“尖兵”“领雁”研发攻关计划项目“固态电池界面阻抗测量技术研究”。",
             ("2.3.2", "开展“电池等温量热仪校准方法研究”，起止时间2026年1月至2026年12月。"),
             ("2.3.3", "申报浙江省市场监督管理局科技计划项目“钠离子电池低温性能测量方法研究”。"))
    assert e.projects == []


def test_applied_and_then_approved_is_a_project_and_plans_only_confirm() -> None:
    e = read(("1.7.2", "中心牵头申报的浙江省科技厅项目“碳化硅功率器件动态参数计量关键技术研究”于2024年10月获批立项。"),
             ("2.3.1", "完成“碳化硅功率器件动态参数计量关键技术研究”项目验收。"),
             ("2.3.2", "继续实施“集成电路测试系统时序参数校准装置研制”项目。"))
    assert [(p.title, p.status) for p in e.projects] == [
        ("碳化硅功率器件动态参数计量关键技术研究", "ongoing"), ("集成电路测试系统时序参数校准装置研制", "ongoing")]


def test_progress_words_are_not_completion() -> None:
    e = read(("1.7.3", "宁波市科技计划项目“先进封装结壳热阻测量方法与参考样品研究”获批立项，已完成热测试芯片设计。"),
             ("1.7.3", "湖州市科技计划项目“退役动力电池余能快速检测技术研究”完成了脉冲激励余能估计模型的建立。"),
             ("1.7.5", "完成杭州市科技局项目“充电桩现场校准方法研究”中期检查。"),
             ("1.7.5", "完成企业委托项目“电池挤压试验机力值现场校准方法研究”，形成现场校准作业指导书1份。"))
    assert [p.status for p in e.projects] == ["ongoing", "ongoing", "ongoing", "completed"]


# --- awards ---------------------------------------------------------------------------------------


def test_award_levels_and_one_award_named_twice() -> None:
    e = read(("1.1.3", "获浙江省科学技术进步奖二等奖1项，各项建设指标按计划推进。"),
             "“动力电池安全性能计量测试关键技术及应用”成果获2024年度浙江省科学技术进步奖二等奖（2025年6月公布），这是中心获得的首个省部级科技奖励。",
             "“半导体器件微小电流计量关键技术及应用”获2024年度杭州市科学技术进步奖二等奖。",
             "“电池安全计量技术”获中国计量测试学会科学技术奖三等奖。")
    assert [(a.title, a.level) for a in e.awards] == [
        ("动力电池安全性能计量测试关键技术及应用", "provincial"), ("半导体器件微小电流计量关键技术及应用", "municipal"),
        ("电池安全计量技术", "other")]
    assert e.awards[0].prize == "浙江省科学技术进步奖二等奖"


def test_awards_of_others_are_not_counted() -> None:
    e = read(("1.1.1", "省内龙头企业“高比能电芯”项目获国家科学技术进步奖二等奖。"),
             "中心协助宁波某企业获得宁波市科学技术进步奖三等奖。",
             "杭州某BMS企业产品获得浙江省科学技术进步奖一等奖。",
             "依托单位修订《科技创新奖励办法》，对专利和成果转化给予奖励；2人获评省市场监管系统技术能手。")
    assert e.awards == []


# --- papers and talks -----------------------------------------------------------------------------


def test_papers_venues_and_indexing() -> None:
    e = read("论文“电芯膨胀力测量系统的校准方法与不确定度分析”发表于《仪器仪表学报》2025年第46卷第3期（EI收录）；"
             "论文“Simultaneous measurement of heat release in lithium-ion cells”发表于Journal of Energy Storage，2025，108：115123（SCI收录）。",
             "相关实践总结为论文“动力电池充放电测试系统现场校准实践”，发表于《中国计量》2024年第7期。",
             "团队在《电源技术》发表中文核心论文“锂离子电池充放电测试设备电流校准方法研究”等2篇。")
    assert [(p.venue, p.indexed, p.date) for p in e.papers] == [
        ("仪器仪表学报", "EI", "2025"), ("Journal of Energy Storage", "SCI", "2025"), ("中国计量", None, "2024"),
        ("电源技术", "中文核心", None)]


def test_not_papers() -> None:
    e = read("发表论文3篇，作学术交流报告1次。",
             "中心编制了《动力电池产品全寿命周期计量保障方案》，并发布《浙江省动力电池测试设备溯源状况报告（2025）》。",
             "电化学阻抗谱（EIS）测量能力通过评审，形成论文“电池阻抗测量方法”初稿。")
    assert e.papers == []


def test_talks() -> None:
    e = read("2025年9月，中心技术负责人在第十届全国动力电池技术大会上作题为“动力电池热安全计量技术进展”的学术交流报告。")
    assert [(t.title, t.date) for t in e.talks] == [("动力电池热安全计量技术进展", "2025-09")]
    assert e.projects == [] and e.papers == []


# --- trainings and cases --------------------------------------------------------------------------


def test_trainings_are_held_events() -> None:
    e = read(("1.7.7", "全年组织宣贯和培训3次：2025年6月在湖州举办T/ZJAS 086-2025宣贯会，参会95人；"
                       "2025年10月在宁波举办动力电池计量技术培训班，培训企业技术人员120人。"),
             ("1.6.4", "本年度开展电化学阻抗测量、膨胀力测量专项培训8次，新增持证上岗项目12项。"),
             ("2.4.1", "2026年3月在杭州举办宣贯会。"))
    assert [(t.kind, t.date, t.participants, t.standard) for t in e.trainings] == [
        ("宣贯", "2025-06", 95, "T/ZJAS 086-2025"), ("培训", "2025-10", 120, None)]


def test_cases_and_other_industry() -> None:
    e = read(("1.6.6", "案例一：宁波某储能电芯企业来料电芯一致性筛选效率低。中心建立了快速筛选判据。"),
             ("1.6.6", "案例四（辐射其他产业）：中心将电池热失控测量技术应用于低空飞行器企业。"),
             ("1.6.6", "上述案例均取得了显著成效。"))
    assert [(c.label, c.other_industry) for c in e.cases] == [("一", False), ("四", True)]


# --- tables the template does not define, lists, applications -----------------------------------


def test_records_tables_are_read_column_by_column() -> None:
    patents = table([["序号", "专利名称", "专利号", "类型", "法律状态"],
                     ["1", "一种动力电池内阻在线测量装置", "ZL202310123456.7", "发明", "已授权"],
                     ["2", "一种电池模拟器校准装置", "202510345678.9", "发明", "实质审查"]], index=0)
    papers = table([["序号", "论文题目", "发表期刊", "收录情况"],
                    ["1", "电芯膨胀力测量系统的校准方法", "仪器仪表学报", "EI"]], index=1)
    projects = table([["序号", "项目名称", "项目来源", "完成情况"],
                      ["1", "电池内阻测试仪校准装置研制", "杭州市科技局", "已通过验收"]], index=2)
    blocks = [Paragraph(text="1.科技创新能力建设总体情况", index=0), patents, papers, projects]
    e = read_entities(blocks, ["1.7.1"] * 4, "annual_report")
    assert [(p.number, p.status, p.title) for p in e.patents] == [
        ("ZL202310123456.7", "granted", "一种动力电池内阻在线测量装置"), ("202510345678.9", "applied", "一种电池模拟器校准装置")]
    assert e.patents[0].location.table == 0 and e.patents[1].location.row == 1
    assert [(p.title, p.venue, p.indexed) for p in e.papers] == [("电芯膨胀力测量系统的校准方法", "仪器仪表学报", "EI")]
    assert [(p.title, p.level, p.status) for p in e.projects] == [("电池内阻测试仪校准装置研制", "municipal", "completed")]


def test_numbered_list_items_each_count() -> None:
    e = read("（1）发明专利“一种电芯容量分档测量结果的修正方法”，专利号ZL202310567812.4",
             "（2）实用新型专利“一种电芯膨胀力测试系统校准用力值传递夹具”，专利号ZL202520123456.6")
    assert [p.number for p in e.patents] == ["ZL202310567812.4", "ZL202520123456.6"]
    assert [p.location.paragraph for p in e.patents] == [1, 2]


def test_pdf_paragraph_cut_in_two_is_read_whole() -> None:
    e = read("新获批浙江省科技厅项目“固态电池界面阻抗测量技术研", "究”，与中国计量大学合作开展研究。")
    assert [p.title for p in e.projects] == ["固态电池界面阻抗测量技术研究"]


def test_application_plans_are_not_entities_but_results_are() -> None:
    e = read(("9.1.2", "项目一：固态电池界面阻抗测量技术研究；拟申报浙江省科技厅“尖兵”“领雁”研发攻关计划项目。"),
             ("9.4.2", "2025年：编制JJF(浙)《电芯膨胀力测试系统校准规范》，牵头编制团体标准T/ZJAS《动力电池电芯一致性计量评价规范》。"),
             ("9.1.3", "前期已完成浙江省市场监督管理局科技计划项目“锂离子电池绝热量热测量方法研究”（2021—2023年），"
                       "获授权发明专利“一种绝热量热装置温度漂移的检测方法”（ZL202110456789.3）。"),
             kind="application")
    assert e.standards == []
    assert [(p.level, p.category, p.status) for p in e.projects] == [("provincial", "frontier", "completed")]
    assert [p.number for p in e.patents] == ["ZL202110456789.3"]


@pytest.mark.parametrize("kind", ["annual_report", "application"])
def test_cover_text_is_not_read(kind: str) -> None:
    blocks = [Paragraph(text="专利号ZL202310123456.7", index=0)]
    assert read_entities(blocks, [None], kind) == Entities()
