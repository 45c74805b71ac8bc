"""From the report's words to the rubric: a kind the report does not write scores 0 with the sections
searched named, and a level neither written nor implied by the funder is a finding and never 其他."""

from __future__ import annotations

from imtc.models import Entities, Extraction, Location, Meta, Section, Source, Standard
from imtc.score_assist.annex5 import Inputs, score_items
from imtc.score_assist.texts import SectionTexts
from imtc.templates import outline
from imtc.validate import validate
from tests.test_entities_places import doc


def report(entities: Entities) -> Extraction:
    sections = [Section(key=s.key, title=s.title, status="present", location=Location(paragraph=i))  # type: ignore[arg-type]
                for i, s in enumerate(outline("annual_report").sections)]
    return Extraction(source=Source(file="r.docx", format="docx", sha256="0" * 64), kind="annual_report",
                      meta=Meta(center_name="浙江省动力电池产业计量测试中心", report_year=2025), sections=sections, entities=entities)


def searched(what: str, places: str) -> str:
    return (f"本报告未写{what}：已查找 {places} 及其下各级标题中的段落、编号列表和表格（标题、列表和表格按其所在位置归类），"
            "均未找到，n = 0")


def test_a_report_that_writes_only_projects_scores_0_for_every_other_kind_naming_the_sections_searched() -> None:
    text = "1. 激光干涉仪定位精度在线校准技术研究（浙江省重点研发计划，省部级，在研）"
    e = doc(("1.7.2", text))
    assert [(p.title, p.level, p.category) for p in e.projects] == [("激光干涉仪定位精度在线校准技术研究", "provincial", "frontier")]
    got = score_items(Inputs(report=report(e), texts=SectionTexts.from_mapping({"1.7.2": [text]})))
    assert (got["2.1.2"].value, got["2.1.2"].points) == (1, 2)
    zero = {"2.2.2": ("测量装备研制及方法研究项目", "1.7.5 测量方法的研究与创新能力、1.7.6 测量装备的研制与创新能力"),
            "2.3.2": ("关键共性技术研究项目", "1.7.3 关键共性技术科技创新能力"),
            "2.4.1": ("标准和技术规范", "1.7.7 技术规范的编制与创新能力"),
            "2.5.1": ("专利", "1.7 计量科技创新能力建设"),
            "2.5.3": ("科技奖励", "1.7.1 科技创新能力建设总体情况"),
            "2.5.4": ("论文和学术交流报告", "1.7 计量科技创新能力建设")}
    for key, (what, places) in zero.items():
        assert (got[key].value, got[key].points, got[key].basis) == (0, 0, "auto"), key
        assert searched(what, places) in [ev["text"] for ev in got[key].evidence], key


def test_an_unknown_level_read_from_the_text_is_a_finding_and_counts_at_no_level() -> None:
    e = doc(("1.7.6", "1. 晶圆线宽测量装置研制（行业协会课题，在研）"),
            ("1.7.6", "2. 电池内阻测试仪校准装置研制（企业委托，已结题）"),
            ("1.7.1", "（1）“电池安全计量关键技术及应用”获科学技术进步奖二等奖"))  # no awarding body
    assert [(p.title, p.level) for p in e.projects] == [("晶圆线宽测量装置研制", None), ("电池内阻测试仪校准装置研制", "other")]
    assert [(a.title, a.level) for a in e.awards] == [("电池安全计量关键技术及应用", None)]
    ex = report(e)
    found = [f for f in validate(ex) if f.code == "level-unknown"]
    assert [f.message.split("未写明级别")[0] for f in found] == ["项目“晶圆线宽测量装置研制”", "奖励“电池安全计量关键技术及应用”"]
    got = score_items(Inputs(report=ex))
    assert (got["2.2.2"].value, got["2.2.2"].points) == (1, 0)  # the 其他 one only
    assert got["2.2.2"].suggestion == "有1项项目级别未识别，专家确认级别后档次可能提高"
    assert (got["2.5.3"].value, got["2.5.3"].suggestion) == (0, "有1项奖励级别未识别（不计入），专家确认为省部级及以上后 n 相应增加")


def test_a_standard_of_unknown_level_is_a_finding_and_left_out_of_241() -> None:
    """A standard with no code and no level written was left out of 2.4.1 with no finding."""
    ex = report(Entities(standards=[
        Standard(code="JJF（浙）1188—2025", title="电池内阻测试仪校准规范", level="local", status="published",
                 location={"section": "1.7.7"}),
        Standard(title="晶圆膜厚测量仪校准规范", status="drafting", location={"section": "1.7.7"})]))
    found = [f for f in validate(ex) if f.code == "standard-level-unknown"]
    assert [f.message for f in found] == [
        "标准或技术规范“晶圆膜厚测量仪校准规范”没有能判断级别的标准编号，文中也未写明是国家、行业、地方、团体还是企业标准。"
        "评分时暂不计入，请专家核实后确认；提交时请写明标准编号（如 JJF（浙）1234—2025）或注明级别（如“（地方计量技术规范）”）。"]
    assert found[0].location.section == "1.7.7"
    got = score_items(Inputs(report=ex))
    assert got["2.4.1"].value == 1
    assert got["2.4.1"].suggestion == "有1项标准或技术规范级别未识别（不计入），专家确认为国家、行业或地方后 n 相应增加"
