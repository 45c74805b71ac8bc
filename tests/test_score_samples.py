"""The sample annual reports scored against their previous plans: η as computed by hand from
samples/content/*.toml, row by row.

HAND lists, for each (previous plan → report) and table, the plan rows by 序号 and the completion
row each reappears as (None: not completed). The reports' own words agree: power battery 2025
"2025年购置计划10台（套）中完成7台（套）", "完成2025年计划项目4项" (calibration and key parameters);
integrated circuit 2025 the same 7 of 10, 4 and 4; the 2024 reports "完成申请书所列新建设备7台（套）中的
5台（套）" (power battery) and "9台（套）中的5台（套）" (integrated circuit).
"""

from __future__ import annotations

import json
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

import imtc.cli
from imtc.models import Extraction
from imtc.pipeline import check_file
from imtc.score_assist import read_texts, score
from imtc.score_assist.annex5 import plan_rows
from imtc.score_assist.match import match_rows

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# plan 序号 -> done 序号 (None = not completed); the comment names the wording that differs
HAND: dict[tuple[str, str], dict[str, dict[str, str | None]]] = {
    ("report-power-battery-2024", "report-power-battery-2025"): {
        "equipment": {
            "1": "1",  # 功率分析仪 横河 WT5000 -> 精密功率分析仪 YOKOGAWA WT5000
            "2": "2",  # 电化学阻抗谱测试系统 Bio-Logic VMP-300 -> 电化学工作站（阻抗谱） ＶＭＰ－３００ (full width)
            "3": "3",  # 数字多用表 Keysight 3458A -> 数字万用表 是德科技 3458A
            "4": "4",  # LEM IT 1000-S/SP1 -> LEM IT1000-S/SP1
            "5": "5",  # PZL-50 -> PZL-50（定制）
            "6": "6",  # 数字示波器 Tektronix MSO58 -> 混合信号示波器 泰克 MSO58
            "7": None,  # 电池单体模拟器 Chroma 87001: deferred to 2026
            "8": "7",  # 梅特勒-托利多 C30SX -> Mettler Toledo C30SX
            "9": None,  # 红外热像仪 FLIR A700: deferred
            "10": None,  # 标准电阻器组 Fluke 742A-1、742A-10: deferred
        },
        "calibration_items": {
            "1": "1",  # 功率分析仪 -> 交流数字功率表（功率分析仪）
            "2": "2",  # 电化学工作站 (its specification changed to JJF(浙) 1215-2025)
            "3": None,  # 红外热像仪: deferred
            "4": "3",  # 卡尔·费休库仑法微量水分测定仪 -> 库仑法卡尔·费休水分测定仪
            "5": None,  # 电池单体模拟器: deferred
            "6": "4",  # 电芯膨胀力测试系统
        },
        "key_parameter_items": {
            "1": "1",  # 电芯膨胀力 PZL-50 -> PZL-50（定制）
            "2": "2",  # 电化学阻抗谱 -> 电化学阻抗谱（EIS）, on another instrument of the same model
            "3": "3",  # 电解液水分含量, 梅特勒-托利多 -> Mettler Toledo
            "4": None,  # 电池包热扩散温度场: deferred
            "5": "4",  # 自放电率（开路电压降） Keysight 3458A -> 自放电率 是德科技 3458A (not row 5, BMS…, same DMM)
        },
    },
    ("report-integrated-circuit-2024", "report-integrated-circuit-2025"): {
        "equipment": {"1": "1", "2": "2", "3": "3", "4": "4", "5": "5", "6": None, "7": None, "8": None, "9": "6", "10": "7"},
        "calibration_items": {"1": "1", "2": "2", "3": "3", "4": "4", "5": None, "6": None},
        "key_parameter_items": {"1": "1", "2": "2", "3": "3", "4": "4", "5": None},
    },
    # first year: the plan is the application's rows marked 新建
    ("power-battery", "report-power-battery-2024"): {
        "equipment": {"4": "1", "5": "2", "6": "3", "7": "4", "9": "5", "12": None, "13": None},
        "calibration_items": {"2": "2", "3": "1", "8": "3", "9": "4"},
        "key_parameter_items": {"2": "2", "4": "1", "5": None, "6": None, "9": "4"},
    },
    ("integrated-circuit", "report-integrated-circuit-2024"): {
        "equipment": {"3": "1", "4": "2", "5": None, "6": "3", "7": None, "8": None, "11": None, "12": "5", "14": "4"},
        "calibration_items": {"1": "1", "5": None, "6": None, "8": "3", "9": "4", "10": None},
        "key_parameter_items": {"3": "1", "4": None, "5": None, "6": None, "7": None},
    },
}
ITEM_OF = {"equipment": "1.2.1", "calibration_items": "1.3.2", "key_parameter_items": "1.4.4"}
POINTS = {  # the bands of 1.2.1 (≥100% 2, ≥60% 1), 1.3.2 (complete 1) and 1.4.4 (complete 2, partial 1)
    ("report-power-battery-2024", "report-power-battery-2025"): {"1.2.1": 1, "1.3.2": 0, "1.4.4": 1},
    ("report-integrated-circuit-2024", "report-integrated-circuit-2025"): {"1.2.1": 1, "1.3.2": 0, "1.4.4": 1},
    ("power-battery", "report-power-battery-2024"): {"1.2.1": 1, "1.3.2": 1, "1.4.4": 1},
    ("integrated-circuit", "report-integrated-circuit-2024"): {"1.2.1": 0, "1.3.2": 0, "1.4.4": 1},
}


@cache
def extraction(name: str) -> Extraction:
    return check_file(SAMPLES / name)


@pytest.mark.parametrize("pair", list(HAND), ids=lambda p: f"{p[0]}->{p[1]}")
def test_plan_rows_matched_as_by_hand(pair: tuple[str, str]) -> None:
    prev, rep = extraction(pair[0] + ".docx"), extraction(pair[1] + ".docx")
    for family, want in HAND[pair].items():
        _, plan, _ = plan_rows(prev, family)
        done = rep.tables[f"{family}_done"].rows
        result = match_rows(family, [r for _, r in plan], done)
        got = {plan[k][1].seq: None for k in result.unmatched_plan}
        got |= {plan[p.plan][1].seq: done[p.done].seq for p in result.pairs}
        assert got == want, family


@pytest.mark.parametrize("pair", list(HAND), ids=lambda p: f"{p[0]}->{p[1]}")
def test_eta_and_points_of_the_samples(pair: tuple[str, str]) -> None:
    prev, rep = extraction(pair[0] + ".docx"), extraction(pair[1] + ".docx")
    out = score(rep, previous=prev, texts=read_texts(SAMPLES / (pair[1] + ".docx"), rep.kind))
    for family, want in HAND[pair].items():
        item = out["items"][ITEM_OF[family]]
        eta = Fraction(sum(v is not None for v in want.values()), len(want))
        assert item["value"] == pytest.approx(float(eta), abs=1e-4), family
        assert item["basis"] == "auto"
        assert item["points"] == POINTS[pair][ITEM_OF[family]], family


def test_the_pdf_of_a_report_scores_as_its_docx() -> None:
    pdf = check_file(SAMPLES / "pdf" / "report-power-battery-2025.pdf")
    prev = extraction("report-power-battery-2024.docx")
    a = score(pdf, previous=prev)["items"]
    b = score(extraction("report-power-battery-2025.docx"), previous=prev)["items"]
    for key in ITEM_OF.values():
        assert (a[key]["value"], a[key]["points"]) == (b[key]["value"], b[key]["points"]), key


def test_cases_of_the_sample_reports() -> None:
    """1.6.6 of each sample: numbered cases, the last one marked 辐射其他产业."""
    for name, own, other in (("report-power-battery-2025", 3, 1), ("report-integrated-circuit-2024", 2, 1)):
        rep = extraction(name + ".docx")
        out = score(rep, texts=read_texts(SAMPLES / (name + ".docx"), rep.kind))["items"]
        assert (out["1.5.2"]["value"], out["1.5.3"]["value"]) == (own, other), name
        assert out["1.5.2"]["points"] == (2 if own >= 3 else 1) and out["1.5.3"]["points"] == 1


runner = CliRunner()


def invoke(*args: object) -> object:
    return runner.invoke(imtc.cli.app, [str(a) for a in args], prog_name="imtc")


def test_second_year_report_finds_its_plan_in_the_store(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'imtc.sqlite'}"
    app = invoke("score", SAMPLES / "integrated-circuit.docx", "--db", db, "--json")
    assert app.exit_code == 0 and json.loads(app.stdout)["rubric"] == "annex2"
    first = json.loads(invoke("score", SAMPLES / "report-integrated-circuit-2024.docx", "--db", db, "--json").stdout)
    assert first["previous"]["file"] == "integrated-circuit.docx"  # the first year's plan is the application
    assert first["items"]["1.2.1"]["value"] == pytest.approx(5 / 9, abs=1e-4)
    second = invoke("score", SAMPLES / "report-integrated-circuit-2025.docx", "--db", db, "--json")
    assert second.exit_code == 0
    out = json.loads(second.stdout)
    assert out["previous"]["file"] == "report-integrated-circuit-2024.docx"
    assert "记录库" in out["previous"]["found_by"]
    assert [out["items"][k]["value"] for k in ("1.2.1", "1.3.2", "1.4.4")] == [0.7, pytest.approx(0.6667, abs=1e-4), 0.8]
    # 1.3.1 counts the capability the store remembers (the application's 已建 rows, the 2024 and 2025 items)
    assert "integrated-circuit.docx" in out["items"]["1.3.1"]["evidence"][0]["text"]


def test_previous_option_overrides_the_store(tmp_path: Path) -> None:
    db = tmp_path / "imtc.sqlite"
    invoke("score", SAMPLES / "report-power-battery-2024.docx", "--db", db, "--json")
    out = json.loads(invoke("score", SAMPLES / "report-power-battery-2025.docx", "--db", db,
                            "--previous", SAMPLES / "power-battery.docx", "--json").stdout)
    assert out["previous"]["file"] == "power-battery.docx" and out["previous"]["found_by"] == "由 --previous 指定"


# The entity items of each sample report, by hand from the report's own summary of the year (1.7.1):
# power battery 2025 "国家级1项、省部级2项、市级2项、企业委托2项；获授权发明专利2项、实用新型专利1项，新申请发明专利1项；
# 发布地方计量技术规范1项、团体标准1项，参与起草国家计量技术规范1项，新立项地方计量技术规范1项；发表论文3篇，作学术交流报告1次"
# and 浙江省科学技术进步奖二等奖; power battery 2024 "…获授权发明专利1项、实用新型专利1项，新申请发明专利1项；发布地方计量
# 技术规范1项，参与国家计量技术规范起草1项；发表论文4篇，其中SCI收录1篇、CSCD收录1篇" and a 湖州市 award; integrated circuit
# 2025 the same patents and standards as power battery 2025, 3 papers and 1 talk, a 杭州市 award; integrated circuit 2024
# "省部级1项、市级1项、企业委托1项…获授权发明专利1项，新申请发明专利1项；参与国家计量技术规范起草1项，地方计量技术规范立项1项；
# 发表论文3篇，其中SCI收录1篇". Projects per category and level as the builder lists them (samples/content/*.toml).
ENTITY_ITEMS = {  # item -> (value, points)
    "report-power-battery-2025": {"2.1.2": (2, 2), "2.2.2": (1, 2), "2.3.2": (1, 3), "2.4.1": (3, 1), "2.5.1": (4, 1),
                                  "2.5.3": (1, 1), "2.5.4": (3, 1)},
    "report-power-battery-2024": {"2.1.2": (1, 2), "2.2.2": (1, 2), "2.3.2": (1, 3), "2.4.1": (2, 1), "2.5.1": (3, 1),
                                  "2.5.3": (0, 0), "2.5.4": (2, 1)},
    "report-integrated-circuit-2025": {"2.1.2": (2, 2), "2.2.2": (1, 2), "2.3.2": (1, 2), "2.4.1": (3, 1),
                                       "2.5.1": (3, 1), "2.5.3": (0, 0), "2.5.4": (3, 1)},
    "report-integrated-circuit-2024": {"2.1.2": (1, 2), "2.2.2": (1, 2), "2.3.2": (1, 0), "2.4.1": (2, 1),
                                       "2.5.1": (2, 0), "2.5.3": (0, 0), "2.5.4": (1, 1)},
}


@pytest.mark.parametrize("name", list(ENTITY_ITEMS))
def test_entity_items_of_the_sample_reports(name: str) -> None:
    rep = extraction(name + ".docx")
    out = score(rep, texts=read_texts(SAMPLES / (name + ".docx"), rep.kind))["items"]
    assert {k: (out[k]["value"], out[k]["points"]) for k in ENTITY_ITEMS[name]} == ENTITY_ITEMS[name]
    assert all(out[k]["basis"] == "auto" for k in ENTITY_ITEMS[name])


def test_entity_items_of_the_pdf_twin_are_the_docx_ones() -> None:
    keys = ("2.1.2", "2.1.3", "2.2.2", "2.2.3", "2.3.2", "2.3.3", "2.4.1", "2.4.2", "2.5.1", "2.5.3", "2.5.4")
    pdf_path = SAMPLES / "pdf" / "report-power-battery-2025.pdf"
    pdf = check_file(pdf_path)
    a = score(pdf, texts=read_texts(pdf_path, pdf.kind))["items"]
    docx = extraction("report-power-battery-2025.docx")
    b = score(docx, texts=read_texts(SAMPLES / "report-power-battery-2025.docx", docx.kind))["items"]
    assert {k: (a[k]["value"], a[k]["points"]) for k in keys} == {k: (b[k]["value"], b[k]["points"]) for k in keys}
    want = ENTITY_ITEMS["report-power-battery-2025"]  # and exactly the hand-counted values
    assert {k: (a[k]["value"], a[k]["points"]) for k in want} == want
