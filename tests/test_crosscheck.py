"""imtc.validate.crosscheck on hand-made Extractions, and on the samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imtc.models import Entities, Location, Paper, Project, Standard, Training
from imtc.pipeline import check_file
from imtc.validate import validate
from imtc.validate.crosscheck import code_problems, parameter_matches
from tests.test_validate import doc, table

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CROSS = {"spec-code-malformed", "spec-code-absent", "planned-need-unmatched", "traceability-gap",
         "plan-amount-missing", "year-inconsistent", "submitted-before-report-year"}


def codes(ex) -> list[str]:
    return [f.code for f in validate(ex) if f.code in CROSS]


def found(ex, code: str) -> list:
    return [f for f in validate(ex) if f.code == code]


def test_clean_documents_have_no_cross_findings() -> None:
    assert codes(doc("application")) == []
    assert codes(doc("annual_report")) == []


# --- specification codes ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "problem"), [
    ("JJF 1033-16", "的年号不是四位数字"),
    ("JJG 1036", "缺少年号"),
    ("JJF(浙) 1201-1924", "的年号 1924 不合理"),
    ("GB/T 6283-2031", "的年号 2031 不合理"),
    ("JFF 1033-2016", "的编号前缀“JFF”不是已知的规范、标准代号"),
])
def test_malformed_codes(text: str, problem: str) -> None:
    assert [p for _, p in code_problems(text, 2025)] == [problem]


@pytest.mark.parametrize("text", [
    "JJF 1033-2023", "JJF1033-2023", "JJF（浙）1215-2025", "GB/T 31467.2-2015", "NB/T 32004-2018", "DB33/T 1234-2021",
    "Q/ZJM JF-125-2025", "Q/ZJM CL-049-2026", "T/ZJAS 086-2025", "IEC 60747-8:2010", "JESD51-14",
    "IEC TS 60904-1-2:2019", "暂无国家计量技术规范", "JJF 1101-2019、JJG 391-2009",
])
def test_well_formed_codes(text: str) -> None:
    assert code_problems(text, 2025) == []


def test_malformed_code_in_a_table_row_has_its_place() -> None:
    row = {"instrument": "电池测试系统", "quantity": "直流电压", "specification": "JJF 1587-16", "range": "(0~5) V"}
    [f] = found(doc(tables={"calibration_items": table("calibration_items", [row])}), "spec-code-malformed")
    assert (f.location.section, f.location.row, f.location.field) == ("8.3", 0, "specification")
    assert "JJF 1587-16" in f.message and "第 1 行" in f.message


def test_specification_without_code() -> None:
    rows = [{"instrument": "电池单体模拟器", "quantity": "输出电压", "specification": "自编校准方法", "range": "(0~5) V"},
            {"instrument": "电池测试系统", "quantity": "直流电压", "specification": "参照JJF 1587-2016", "range": "(0~5) V"}]
    ex = doc("annual_report", tables={"calibration_items_plan": table("calibration_items_plan", rows)})
    [f] = found(ex, "spec-code-absent")
    assert f.location.section == "2.2.2" and f.location.row == 0 and "自编校准方法" in f.message


def test_empty_specification_is_required_field_empty_only() -> None:
    row = {"instrument": "电池测试系统", "quantity": "直流电压", "specification": None, "range": "(0~5) V"}
    ex = doc(tables={"calibration_items": table("calibration_items", [row])})
    assert "spec-code-absent" not in codes(ex)
    assert any(f.code == "required-field-empty" for f in validate(ex))


# --- needs, traceability, plan amounts ----------------------------------------------------------


def test_parameter_matching() -> None:
    texts = ["电池内阻测试仪|交流电阻", "集成电路测试系统|直流电压、直流电流、时序", "电池挤压针刺试验机|力值、位移"]
    assert parameter_matches("交流内阻", texts)
    assert parameter_matches("时序精度", texts)
    assert parameter_matches("挤压力", texts)
    assert parameter_matches("直流电流（大电流）", texts)
    assert not parameter_matches("电池模拟器输出电压", texts)
    assert not parameter_matches("线宽（关键尺寸）", texts)


def test_planned_need_without_item_or_instrument() -> None:
    needs = [{"parameter": "电压", "range": "(0~5) V", "requirement": "±0.02%", "planned": "是"},
             {"parameter": "线宽（关键尺寸）", "range": "(50~1000) nm", "requirement": "U=1.5 nm", "planned": " 是 "},
             {"parameter": "晶圆表面温度", "range": "(20~400) ℃", "requirement": "±0.5 ℃", "planned": "否"}]
    [f] = found(doc(tables={"calibration_needs": table("calibration_needs", needs)}), "planned-need-unmatched")
    assert (f.location.section, f.location.row) == ("5.1", 1) and "线宽（关键尺寸）" in f.message


def test_traceability_gap() -> None:
    rows = [{"need_parameter": "绝热温升速率", "need_range": "(0~100) ℃/min", "status": "无法溯源（国内暂无计量标准）"},
            {"need_parameter": "电池容量", "need_range": "(0~300) Ah", "status": "部分可溯源"},
            {"need_parameter": "电芯电压", "need_range": "(0~5) V", "status": "可溯源"}]
    [f] = found(doc(tables={"traceability": table("traceability", rows)}), "traceability-gap")
    assert f.severity == "info" and f.location.row == 0 and f.location.field == "status"


def test_plan_row_without_amount() -> None:
    rows = [{"name": "红外热像仪", "model": "FLIR A700", "investment_wan": 26.0, "status": "新建"},
            {"name": "标准电阻器组", "model": "742A", "investment_wan": None, "status": "新建"}]
    ex = doc("annual_report", tables={"equipment_plan": table("equipment_plan", rows, total_wan=26.0)})
    [f] = found(ex, "plan-amount-missing")
    assert f.location.section == "2.2.1" and f.location.row == 1 and "标准电阻器组" in f.message


# --- the report year ----------------------------------------------------------------------------


def report(year: int, submitted: str | None, entities: Entities):
    ex = doc("annual_report")
    ex.meta.report_year, ex.meta.submitted_on = year, submitted
    ex.entities = entities
    return ex


def test_completion_after_the_report_year() -> None:
    where = Location(section="1.7.6", paragraph=40)
    ents = Entities(projects=[Project(title="电池内阻测试仪校准装置研制", status="completed", date="2026-03", location=where),
                              Project(title="退役电池余能研究", status="completed", date="2025-10", location=where)],
                    standards=[Standard(code="JJF(浙) 1215-2026", status="published", location=where)],
                    papers=[Paper(title="在2.x计划中的论文", date="2026", location=Location(section="2.3.1"))],
                    trainings=[Training(kind="宣贯", title="宣贯会", date="2025-12", location=where)])
    found_ = found(report(2025, "2025-11-24", ents), "year-inconsistent")
    assert [f.message.split("的日期")[0] for f in found_] == ["项目“电池内阻测试仪校准装置研制”通过验收", "标准“JJF(浙) 1215-2026”的年号"]
    assert found_[0].location.paragraph == 40


def test_events_after_the_year_but_before_sending_are_fine() -> None:
    ents = Entities(projects=[Project(title="X装置研制", status="completed", date="2026-01", location=Location(section="1.7.6"))])
    assert found(report(2025, "2026-01-15", ents), "year-inconsistent") == []


def test_submitted_before_the_report_year() -> None:
    assert [f.code for f in found(report(2025, "2024-11-20", Entities()), "submitted-before-report-year")] == [
        "submitted-before-report-year"]
    assert found(report(2025, "2025-11-20", Entities()), "submitted-before-report-year") == []


# --- on the samples -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "want"), [
    ("power-battery.docx", {("planned-need-unmatched", 9), ("traceability-gap", 11)}),
    ("integrated-circuit.docx", {("planned-need-unmatched", 6), ("planned-need-unmatched", 11), ("traceability-gap", 4)}),
    ("smart-pv.docx", {("traceability-gap", 10)}),
    ("report-power-battery-2025.docx", set()),
    ("report-integrated-circuit-2024.docx", set()),
])
def test_samples(name: str, want: set) -> None:
    ex = check_file(SAMPLES / name)
    assert {(f.code, f.location.row) for f in ex.findings if f.code in CROSS} == want
    expected = json.loads((SAMPLES / name.replace(".docx", ".expected.json")).read_text("utf-8"))
    assert {f["code"] for f in expected["findings"]} & CROSS == {c for c, _ in want}
