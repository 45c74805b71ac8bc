"""Annex 5 items on hand-made Extractions (entities filled in, prose given as SectionTexts), and the
totals and grades of both annexes at their edges."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from imtc.models import (
    Award,
    CalibrationItemRow,
    Entities,
    EquipmentRow,
    Extraction,
    KeyParameterItemRow,
    Location,
    Meta,
    Paper,
    Patent,
    Project,
    Section,
    Source,
    Standard,
    new_table,
)
from imtc.score_assist import score
from imtc.score_assist.annex5 import Inputs, score_items
from imtc.score_assist.common import ItemScore
from imtc.score_assist.lists import Enterprise, Spec, read_catalogue, read_enterprises, spec_key
from imtc.score_assist.rubric import load_rubric
from imtc.score_assist.texts import Para, SectionTexts
from imtc.score_assist.totals import totals_annex2, totals_annex5
from imtc.templates import outline

A5 = load_rubric("annex5")
A2 = load_rubric("annex2")
CENTER = "浙江省动力电池产业计量测试中心"


def report(year: int = 2025, *, tables: dict[str, list[Any]] | None = None, entities: Entities | None = None,
           status: dict[str, str] | None = None, name: str = "r.docx", kind: str = "annual_report") -> Extraction:
    status = status or {}
    sections = [Section(key=s.key, title=s.title, status=status.get(s.key, "present"),  # type: ignore[arg-type]
                        location=Location(paragraph=i))
                for i, s in enumerate(outline(kind).sections if kind in ("application", "annual_report") else [])]
    built = {}
    for kind_, rows in (tables or {}).items():
        t = new_table(kind_)
        t.status = "present" if rows else "empty"
        t.rows = rows
        t.location = Location(section="1.6.5" if kind_.endswith("_done") else "2.2.1", table=0)
        built[kind_] = t
    return Extraction(source=Source(file=name, format="docx", sha256=name.ljust(64, "0")), kind=kind,  # type: ignore[arg-type]
                      meta=Meta(center_name=CENTER, report_year=year if kind == "annual_report" else None),
                      sections=sections, tables=built, entities=entities or Entities())


def items(rep: Extraction, **kw: Any) -> dict[str, ItemScore]:
    return score_items(Inputs(report=rep, **kw))


# --- η: 1.2.1, 1.3.2, 1.4.4 -----------------------------------------------------------------------


def equipment(n: int) -> list[EquipmentRow]:
    return [EquipmentRow(seq=str(i + 1), name=f"仪器{i + 1}", model=f"MX-{1000 + i}") for i in range(n)]


@pytest.mark.parametrize(("planned", "done", "points"), [(20, 20, 2), (20, 12, 1), (20, 11, 0), (100, 59, 0),
                                                          (5, 3, 1), (5, 2, 0), (7, 5, 1)])
def test_equipment_eta_bands(planned: int, done: int, points: int) -> None:
    prev = report(2024, tables={"equipment_plan": equipment(planned)}, name="prev.docx")
    rows = equipment(done) + [EquipmentRow(name="计划外仪器", model="ZZ-9")]
    s = items(report(tables={"equipment_done": rows}), previous=prev)["1.2.1"]
    assert (s.value, s.points, s.basis) == (Fraction(done, planned), points, "auto")
    text = " ".join(e["text"] for e in s.evidence)
    assert f"η = {done}/{planned}" in text and "计划外（不计入η）" in text and "ZZ-9" in text


def test_eta_evidence_points_at_both_documents() -> None:
    prev = report(2024, tables={"equipment_plan": [EquipmentRow(seq="1", name="数字多用表", model="Keysight 3458A",
                                                                 location=Location(section="2.2.1", table=3, row=0)),
                                                    EquipmentRow(seq="2", name="红外热像仪", model="FLIR A700",
                                                                 location=Location(section="2.2.1", table=3, row=1))]},
                  name="prev.docx")
    rep = report(tables={"equipment_done": [EquipmentRow(seq="1", name="数字万用表", model="是德科技 3458A",
                                                           location=Location(section="1.6.5", table=2, row=0))]})
    s = items(rep, previous=prev)["1.2.1"]
    done = next(e for e in s.evidence if e["text"].startswith("已完成"))
    assert done["location"] == {"section": "1.6.5", "table": 2, "row": 0, "file": "r.docx"}
    assert done["plan_location"] == {"section": "2.2.1", "table": 3, "row": 0, "file": "prev.docx"}
    missed = next(e for e in s.evidence if e["text"].startswith("未见完成"))
    assert "FLIR A700" in missed["text"] and missed["location"]["file"] == "prev.docx"
    assert s.evidence[0]["text"].startswith("口径：")


def test_first_year_plan_is_the_applications_new_rows() -> None:
    app = report(kind="application", name="app.docx", tables={
        "equipment": [EquipmentRow(name="A", model="AA-100", status="已建"), EquipmentRow(name="B", model="BB-200", status="新建"),
                      EquipmentRow(name="C", model="CC-300", status="新建")],
        "calibration_items": [CalibrationItemRow(instrument="露点仪", quantity="露点温度", remark="新建"),
                              CalibrationItemRow(instrument="绝缘电阻表", quantity="绝缘电阻", remark="已建")],
        "key_parameter_items": [KeyParameterItemRow(parameter="电芯膨胀力", model="PZL-50", remark="新建")]})
    rep = report(2024, tables={"equipment_done": [EquipmentRow(name="A", model="AA-100"), EquipmentRow(name="B", model="BB-200")],
                               "calibration_items_done": [CalibrationItemRow(instrument="露点仪", quantity="露点温度")],
                               "key_parameter_items_done": []})
    got = items(rep, previous=app)
    assert (got["1.2.1"].value, got["1.2.1"].points) == (Fraction(1, 2), 0)  # A is 已建: not in the plan
    assert (got["1.3.2"].value, got["1.3.2"].points) == (1, 1)
    assert (got["1.4.4"].value, got["1.4.4"].points) == (0, 0)  # the done table is empty: nothing completed


def test_eta_without_a_plan_or_a_done_table() -> None:
    rep = report(tables={"equipment_done": equipment(3)})
    s = items(rep)["1.2.1"]
    assert (s.points, s.basis) == (None, "expert") and any("--previous" in e["text"] for e in s.evidence)
    # an empty plan table: 1.3.2 "计划数为0" and 1.4.4 "年度任务无要求" give 0; 1.2.1 has no band for it
    prev = report(2024, tables={"equipment_plan": [], "calibration_items_plan": [], "key_parameter_items_plan": []})
    got = items(rep, previous=prev)
    assert (got["1.2.1"].points, got["1.2.1"].basis) == (None, "expert")
    assert (got["1.3.2"].points, got["1.3.2"].basis) == (0, "auto")
    assert (got["1.4.4"].points, got["1.4.4"].basis) == (0, "auto")
    # a report with no completion table (annex 4 has none): the expert reads the prose
    prev = report(2024, tables={"equipment_plan": equipment(4)})
    got = items(report(), previous=prev)
    assert (got["1.2.1"].points, got["1.2.1"].basis) == (None, "expert")


def test_previous_of_another_center_is_flagged() -> None:
    prev = report(2025, tables={"equipment_plan": equipment(2)})
    prev.meta.center_name = "浙江省集成电路产业计量测试中心"
    s = items(report(tables={"equipment_done": equipment(2)}), previous=prev)["1.2.1"]
    text = " ".join(e["text"] for e in s.evidence)
    assert "中心名称" in text and "不早于本报告" in text


# --- entities ---------------------------------------------------------------------------------------


def loc(section: str, paragraph: int) -> Location:
    return Location(section=section, paragraph=paragraph)


ENTITIES = Entities(
    projects=[
        Project(title="热失控同步计量方法研究", level="provincial", category="frontier", status="ongoing", location=loc("1.7.2", 1)),
        Project(title="固态电池界面阻抗测量技术研究", level="provincial", category="frontier", status="completed", location=loc("1.7.2", 2)),
        Project(title="电池内阻测试仪校准装置研制", level="municipal", category="equipment_method", status="completed", location=loc("1.7.6", 4)),
        Project(title="多通道现场校准装置研制", level="other", category="equipment_method", status="ongoing", location=loc("1.7.6", 5)),
        Project(title="全生命周期安全性能计量测试技术", level="national", category="common_technology", status="ongoing", location=loc("1.7.3", 3)),
        Project(title="余能快速检测技术研究", level="municipal", category="common_technology", status="completed", location=loc("1.7.3", 3)),
        # next year's plan: not this year's work
        Project(title="钠离子电池低温性能测量方法研究", level="provincial", category="frontier", status="ongoing", location=loc("2.3.3", 9)),
    ],
    patents=[Patent(number="ZL202410234567.8", status="granted", type="发明", location=loc("1.7.2", 1)),
             Patent(number="ZL202410234567.8", status="granted", type="发明", location=loc("1.7.1", 0)),  # the same, twice
             Patent(number="202510345678.9", status="applied", location=loc("1.7.6", 5)),
             Patent(number=None, status="applied", title="一种装置", location=loc("1.7.6", 5))],
    standards=[Standard(code="JJF(浙) 1215-2025", level="local", status="published", location=loc("1.7.7", 6)),
               Standard(code="T/ZJAS 086-2025", level="group", status="published", location=loc("1.7.7", 6)),
               Standard(title="电芯膨胀力测试系统校准规范", level="local", status="drafting", location=loc("1.7.7", 6))],
    awards=[Award(title="动力电池安全性能计量测试关键技术及应用", level="provincial", location=loc("1.7.1", 0)),
            Award(title="某市奖", level="municipal", location=loc("1.7.1", 0))],
    papers=[Paper(title="p1", indexed="中文核心", location=loc("1.7.5", 8)),
            Paper(title="p2", indexed="CSCD", location=loc("1.7.5", 8))],
)

PROSE = {
    "1.7.1": ["本年度中心承担科研项目6项。"],
    "1.7.2": ["“热失控同步计量方法研究”进展顺利。", "“固态电池界面阻抗测量技术研究”通过验收。"],
    "1.7.3": ["国家重点研发计划课题“全生命周期安全性能计量测试技术”通过年度考核，中心完成评价方法在3家企业的验证。"
              "湖州市科技计划项目“余能快速检测技术研究”通过验收，成果已在2家企业应用。"],
    "1.7.6": ["杭州市科技局项目“电池内阻测试仪校准装置研制”通过验收，在省内16家企业推广应用。",
              "企业委托项目“多通道现场校准装置研制”完成样机，拟在3家企业推广应用。"],
    "1.7.7": ["JJF(浙) 1215-2025发布实施。", "全年组织宣贯和培训3次。"],
    "1.7.5": ["2025年9月，中心技术负责人在全国会议上作题为“热安全计量”的学术交流报告。"],
}


def texts_for() -> SectionTexts:
    """PROSE with paragraph numbers matching the entities' locations above."""
    order = {"1.7.1": 0, "1.7.2": 1, "1.7.3": 3, "1.7.6": 4, "1.7.7": 6, "1.7.5": 8}
    paras = []
    for key, texts in PROSE.items():
        for k, t in enumerate(texts):
            paras.append(Para(section=key, paragraph=order[key] + k, page=None, text=t))
    return SectionTexts(paras)


def test_entity_items() -> None:
    got = items(report(entities=ENTITIES), texts=texts_for())
    want = {
        "2.1.2": (2, 2),  # two 省部级 frontier projects; the one in the plan (二、) is not counted
        "2.1.3": (Fraction(1, 2), 1),  # η = 1/2 ≥ 50%
        "2.2.2": (1, 2),  # highest level municipal, n = 1
        "2.2.3": (Fraction(1, 2), 1),  # η = 50% (30–60%) and 16 units apply the result
        "2.3.2": (1, 3),  # a national project
        "2.3.3": (Fraction(1, 2), 1),  # η = 50%, 2 units
        "2.4.1": (2, 1),  # local ×2 (the group standard is none of these)
        "2.4.2": (Fraction(1, 2), 1),  # η = 1/2, 3 trainings: 30% ≤ η < 60%
        "2.5.1": (2, 0),  # one granted (counted once) + one applied with a number
        "2.5.2": (2, 1),  # two projects whose results are applied (the 拟 one is not)
        "2.5.3": (1, 1),
        "2.5.4": (2, 1),  # a CSCD paper (中文核心 alone does not count) + one exchange report
    }
    for key, (value, points) in want.items():
        assert (got[key].value, got[key].points, got[key].basis) == (value, points, "auto"), key
    assert got["2.2.3"].variables["proofs"] == 16
    assert got["2.3.3"].variables["proofs"] == 2
    assert got["2.4.2"].variables["trainings"] == 3
    assert got["2.5.2"].suggestion and "2分" in got["2.5.2"].suggestion


def test_proofs_unknown_leaves_the_band_to_the_expert() -> None:
    got = items(report(entities=ENTITIES), texts=SectionTexts.from_mapping({"1.7.6": ["项目进展顺利。"]}))
    s = got["2.2.3"]  # η = 50%: 1 point with ≥3 units applying, 0 without
    assert (s.points, s.basis) == (None, "expert") and s.suggestion.startswith("0-1分")
    # η below 30%: no number of units changes the points, so it stays computed
    low = Entities(projects=[Project(title=f"p{i}", level="other", category="equipment_method", status="ongoing",
                                     location=loc("1.7.6", 0)) for i in range(4)])
    s = items(report(entities=low), texts=SectionTexts.from_mapping({"1.7.6": ["无"]}))["2.2.3"]
    assert (s.value, s.points, s.basis) == (0, 0, "auto")


def test_a_project_or_award_of_unknown_level_is_never_counted_as_other() -> None:
    unknown = Entities(
        projects=[Project(title="装置甲研制", level=None, category="equipment_method", status="ongoing", location=loc("1.7.6", 1)),
                  Project(title="装置乙研制", level="other", category="equipment_method", status="ongoing", location=loc("1.7.6", 2))],
        awards=[Award(title="某成果", level=None, prize="某某奖二等奖", location=loc("1.7.1", 0))])
    got = items(report(entities=unknown), texts=SectionTexts.from_mapping({"1.7.6": ["项目进展顺利。"]}))
    assert (got["2.2.2"].value, got["2.2.2"].points) == (1, 0)  # one 其他 project: n = 1 < 2, the unknown one not added
    assert got["2.2.2"].suggestion == "有1项项目级别未识别，专家确认级别后档次可能提高"
    assert any("级别未识别的项目1项不计入任何级别" in e["text"] for e in got["2.2.2"].evidence)
    assert (got["2.5.3"].value, got["2.5.3"].points) == (0, 0)
    assert got["2.5.3"].suggestion == "有1项奖励级别未识别（不计入），专家确认为省部级及以上后 n 相应增加"


ENTITY_ITEMS = ("2.1.2", "2.1.3", "2.2.2", "2.2.3", "2.3.2", "2.3.3", "2.4.1", "2.4.2", "2.5.1", "2.5.2", "2.5.3", "2.5.4")


def test_without_entities_and_without_their_sections_the_entity_items_are_the_experts() -> None:
    empty = {s.key: "missing" for s in outline("annual_report").sections if s.key.startswith("1.7")}
    got = items(report(status=empty))
    for key in ENTITY_ITEMS:
        assert (got[key].points, got[key].basis) == (None, "expert"), key


def test_a_report_that_writes_none_of_a_kind_gets_0_naming_the_sections_searched() -> None:
    got = items(report(), texts=SectionTexts.from_mapping({"1.7.1": ["本年度科技创新工作按计划推进。"]}))
    for key in ("2.1.2", "2.2.2", "2.3.2", "2.4.1", "2.5.1", "2.5.3", "2.5.4"):
        assert (got[key].value, got[key].points, got[key].basis) == (0, 0, "auto"), key
    texts = [e["text"] for e in got["2.2.2"].evidence]
    assert "本报告未写测量装备研制及方法研究项目：已查找 1.7.5 测量方法的研究与创新能力、1.7.6 测量装备的研制与创新能力" \
        " 及其下各级标题中的段落、编号列表和表格（标题、列表和表格按其所在位置归类），均未找到，n = 0" in texts
    assert any(t.startswith("本报告未写专利：已查找 1.7 计量科技创新能力建设") for t in (e["text"] for e in got["2.5.1"].evidence))


# --- cases: 1.5.2, 1.5.3 ----------------------------------------------------------------------------


def cases(n_own: int, n_other: int) -> SectionTexts:
    own = [f"案例{'一二三四五六七八九十'[i]}：某企业的测量难题得到解决。" for i in range(n_own)]
    other = [f"案例{'一二三四五六七八九十'[n_own + i]}（辐射其他产业）：为船舶企业解决测量问题。" for i in range(n_other)]
    return SectionTexts.from_mapping({"1.6.6": ["本年度典型案例如下。", *own, *other]})


@pytest.mark.parametrize(("own", "other", "p152", "p153"), [(6, 3, 3, 2), (5, 2, 2, 1), (3, 1, 2, 1), (2, 0, 1, 0), (1, 0, 0, 0)])
def test_cases(own: int, other: int, p152: int, p153: int) -> None:
    got = items(report(), texts=cases(own, other))
    assert (got["1.5.2"].value, got["1.5.2"].points) == (own, p152)
    assert (got["1.5.3"].value, got["1.5.3"].points) == (other, p153)
    assert got["1.5.2"].basis == got["1.5.3"].basis == "auto"


def test_cases_unnumbered_or_unread_go_to_the_expert() -> None:
    got = items(report(), texts=SectionTexts.from_mapping({"1.6.6": ["中心为企业解决了多项难题，效果显著。"]}))
    assert got["1.5.2"].basis == "expert"
    assert items(report())["1.5.2"].basis == "expert"


# --- lists: 1.3.1, 1.5.1 ----------------------------------------------------------------------------


def test_catalogue_item(tmp_path: Path) -> None:
    csv = tmp_path / "catalogue.csv"
    csv.write_text("code,title\nJJF 1620-2017,电池内阻测试仪校准规范\nJJG 139-2014,拉力、压力和万能试验机\n"
                   "JJF 1272-2011,阻容法露点湿度计校准规范\nJJF 1101-2019,环境试验设备温度、湿度参数校准规范\n"
                   "JJF 1187-2008,热像仪校准规范\n", encoding="utf-8")
    catalogue = read_catalogue(csv)
    app = report(kind="application", name="app.docx", tables={"calibration_items": [
        CalibrationItemRow(instrument="环境试验设备", specification="JJF 1101-2019", remark="已建"),
        CalibrationItemRow(instrument="热像仪", specification="JJF 1187-2008", remark="新建")]})
    rep = report(tables={"calibration_items_done": [
        CalibrationItemRow(instrument="电池内阻测试仪", specification="JJF 1620-2017"),
        CalibrationItemRow(instrument="挤压试验机", specification="JJG 139-2014"),
        CalibrationItemRow(instrument="电化学工作站", specification="JJF(浙) 1215-2025")]})
    s = items(rep, history=[app], catalogue=catalogue)["1.3.1"]
    assert (s.value, s.points, s.basis) == (Fraction(3, 5), 2, "auto")  # 已建 + this year's; 新建 is not yet capability
    s = items(rep)["1.3.1"]
    assert (s.points, s.basis) == (None, "expert") and "--catalogue" in s.evidence[-1]["text"]
    assert spec_key("JJF(浙) 1201-2024") == "JJF(浙)1201" and spec_key("JJG 139—2014") == "JJG139"


def test_core_enterprises_item(tmp_path: Path) -> None:
    csv = tmp_path / "core.csv"
    csv.write_text("企业名称,简称,是否服务\n宁德时代新能源科技股份有限公司,宁德时代,\n天能电池集团股份有限公司,天能,是\n"
                   "超威电源集团有限公司,超威,否\n浙江某材料有限公司,,\n", encoding="gb18030")
    core = read_enterprises(csv)
    assert [e.served for e in core] == [None, True, False, None]
    texts = SectionTexts.from_mapping({"1.6.6": ["案例一：为宁德时代开展化成分容设备现场校准。"]})
    s = items(report(), texts=texts, core_enterprises=core)["1.5.1"]
    assert (s.value, s.points) == (Fraction(2, 4), 3)
    assert items(report(), texts=texts, core_enterprises=[Enterprise("甲", (), None)] * 10)["1.5.1"].points == 0


def test_list_errors(tmp_path: Path) -> None:
    from imtc.score_assist.lists import ListError

    bad = tmp_path / "bad.csv"
    bad.write_text("编号,名称\nGB 1234,某标准\n", encoding="utf-8")
    with pytest.raises(ListError, match="JJF/JJG"):
        read_catalogue(bad)
    bad.write_text("foo\n1\n", encoding="utf-8")
    with pytest.raises(ListError, match="name"):
        read_enterprises(bad)
    assert Spec("JJF 1620-2017", None, "JJF1620").key == "JJF1620"


# --- qualitative items -----------------------------------------------------------------------------


def test_qualitative_items_carry_evidence_and_only_marked_suggestions() -> None:
    rep = report(status={"2": "missing", **{s.key: "missing" for s in outline("annual_report").sections if s.key.startswith("2.")}})
    texts = SectionTexts.from_mapping({"1.5.1": ["2025年7月完成内部审核，10月完成管理评审。"],
                                       "3": ["上述交办任务均已按时完成。"]})
    got = items(rep, texts=texts)
    s = got["3.2.3"]
    assert (s.points, s.basis, s.value) == (None, "expert", None)
    assert any("内部审核" in e["text"] and e["location"].get("section") == "1.5.1" for e in s.evidence)
    assert any(e["text"].startswith("1.5.1 质量保证体系建设：有内容，正文约") for e in s.evidence)
    plan = got["二.1"]
    assert plan.points is None and plan.suggested_points == 0 and "建议" in plan.suggestion
    assert got["三.1"].points is None and "4-5分" in got["三.1"].suggestion


# --- totals and grades -----------------------------------------------------------------------------


def filled(rubric: Any, points: dict[str, int]) -> dict[str, ItemScore]:
    """Every item scored: each part's points spread over its items, none above its maximum."""
    out = {}
    left = dict(points)
    for it in rubric.items:
        take = min(it.max, left.get(it.part, 0))
        left[it.part] = left.get(it.part, 0) - take
        out[it.key] = ItemScore(it, points=take, basis="expert")
    assert all(v == 0 for v in left.values()), "more points than the items hold"
    return out


@pytest.mark.parametrize(("work", "plan", "assigned", "total", "grade"), [
    (80, 20, 5, 85, "优秀"),  # 80×75% + 20 + 5 = 85 exactly
    (79, 20, 5, 84.25, "合格"),
    (60, 10, 5, 60, "合格"),  # 60 exactly
    (59, 10, 5, 59.25, "不合格"),
    (99, 20, 3, 97.25, "合格"),  # 优秀 blocked: assigned tasks not fully carried out (1-3 band)
    (99, 20, 0, 94.25, "合格"),  # … or not at all
    (88, 15, 4, 85, "优秀"),
])
def test_annex5_totals_and_grade(work: int, plan: int, assigned: int, total: float, grade: str) -> None:
    t = totals_annex5(A5, filled(A5, {"work": work, "plan": plan, "assigned": assigned}))
    assert (t["work"], t["plan"], t["assigned"], t["total"], t["grade"], t["complete"]) == (work, plan, assigned, total, grade, True)
    assert t["missing"] == []


@pytest.mark.parametrize(("application", "site", "total", "grade"), [
    (90, 90, 90, "优秀"), (100, 75, 90, "优秀"), (89, 91, 89.8, "合格"), (75, 75, 75, "合格"), (80, 67, 74.8, "不合格"),
])
def test_annex2_totals_and_grade(application: int, site: int, total: float, grade: str) -> None:
    t = totals_annex2(A2, filled(A2, {"application": application, "site": site, "bonus": 5}))
    assert (t["application"], t["site"], t["bonus"], t["total"], t["grade"]) == (application, site, 5, total, grade)


def test_totals_with_items_left_to_the_expert() -> None:
    scores = filled(A5, {"work": 90, "plan": 15, "assigned": 5})
    scores["3.7.1"].points = None  # 4 points open
    scores["三.1"].points = None  # 5 points open
    t = totals_annex5(A5, scores)
    assert (t["total"], t["grade"], t["complete"], t["work"], t["assigned"]) == (None, None, False, None, None)
    assert t["missing"] == ["3.7.1", "三.1"]
    assert t["known_points"]["work"] == 86
    assert (t["total_min"], t["total_max"]) == (79.5, 87.5)
    assert t["grade_possible"] == ["优秀", "合格"]
    # assigned known and unmet: 优秀 is out of reach whatever the rest
    scores["三.1"].points = 3
    assert totals_annex5(A5, scores)["grade_possible"] == ["合格"]


def test_score_object_has_the_contract_names() -> None:
    out = score(report(entities=ENTITIES), texts=texts_for())
    assert out["schema_version"] == "1" and out["rubric"] == "annex5"
    assert list(out["items"]) == [it.key for it in A5.items]
    for item in out["items"].values():
        assert {"title", "max", "value", "points", "basis", "evidence"} <= set(item)
        assert item["basis"] in ("auto", "expert")
        assert all(set(e) >= {"text", "location"} for e in item["evidence"])
    assert {"work", "plan", "assigned", "total", "grade"} <= set(out["totals"])
    assert out["items"]["2.1.3"]["value"] == 0.5
    app = score(report(kind="application", name="app.docx"))
    assert app["rubric"] == "annex2" and "现场核查/质量体系" in app["items"] and "质量体系" in app["items"]
    assert {"application", "site", "bonus", "total", "grade"} <= set(app["totals"])
    with pytest.raises(ValueError):
        score(report(kind="unknown"))  # type: ignore[arg-type]
