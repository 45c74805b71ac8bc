"""The plan→done matcher on realistic wording: what must match, and the near-misses that must not.

Precision first: a wrong match raises η and so a score; a miss only leaves a plan row for the expert.
"""

from __future__ import annotations

import pytest

from imtc.models import CalibrationItemRow, EquipmentRow, KeyParameterItemRow
from imtc.score_assist.match import compare_models, match_rows, model_forms, name_forms


def eq(name: str, model: str | None = None) -> EquipmentRow:
    return EquipmentRow(name=name, model=model)


def cal(instrument: str, quantity: str | None = None, specification: str | None = None) -> CalibrationItemRow:
    return CalibrationItemRow(instrument=instrument, quantity=quantity, specification=specification)


def kp(parameter: str, model: str | None = None, specification: str | None = None) -> KeyParameterItemRow:
    return KeyParameterItemRow(parameter=parameter, model=model, specification=specification)


def pairs(family: str, plan: list, done: list) -> list[tuple[int, int]]:
    return [(p.plan, p.done) for p in match_rows(family, plan, done).pairs]


SAME_EQUIPMENT = [
    # brand prefixes, Chinese and Latin, on either side
    (eq("数字多用表", "Keysight 3458A"), eq("数字万用表", "是德科技 3458A")),
    (eq("数字多用表", "安捷伦 34401A"), eq("数字多用表", "Agilent 34401A")),
    (eq("多功能校准源", "福禄克 5522A"), eq("多功能校准器", "Fluke 5522A")),
    (eq("功率分析仪", "横河 WT5000"), eq("精密功率分析仪", "YOKOGAWA WT5000")),
    (eq("电池内阻测试仪", "日置BT3562A"), eq("内阻测试仪", "HIOKI BT3562A")),
    (eq("电池包充放电测试系统", "致茂 17020"), eq("电池包充放电测试系统", "Chroma 17020")),
    (eq("数字示波器", "Tektronix MSO58"), eq("混合信号示波器", "泰克 MSO58")),
    (eq("频谱分析仪", "罗德与施瓦茨 FSW26"), eq("信号与频谱分析仪", "R&S FSW26")),
    (eq("水分测定仪", "梅特勒-托利多 C30SX"), eq("库仑法卡尔费休水分仪", "Mettler Toledo C30SX")),
    # full-width characters, brackets and their content, spaces and hyphens, a model inside a longer one
    (eq("电化学阻抗谱测试系统", "Bio-Logic VMP-300"), eq("电化学工作站（阻抗谱）", "Bio-Logic ＶＭＰ－３００")),
    (eq("电芯膨胀力测试系统", "PZL-50"), eq("电芯膨胀力测试系统", "PZL-50（定制）")),
    (eq("直流电流传感器", "LEM IT 1000-S/SP1"), eq("直流电流传感器", "LEM IT1000-S/SP1")),
    (eq("取样示波器", "Keysight N1000A"), eq("宽带取样示波器", "是德 N1000A DCA-X")),
    (eq("精密LCR表", "Keysight E4980A"), eq("精密LCR测试仪", "E4980A（是德科技）")),
    (eq("标准电阻器组", "Fluke 742A-1、742A-10k"), eq("标准电阻器组", "Fluke 742A-1/742A-10k")),
    (eq("热阻测试仪", "Simcenter T3STER"), eq("瞬态热阻测试仪", "T3Ster（Simcenter）")),
    # a model absent on one side: the name decides, when it is the same
    (eq("红外热像仪"), eq("红外热像仪", "FLIR A700")),
]


@pytest.mark.parametrize(("plan", "done"), SAME_EQUIPMENT, ids=[d.model or d.name for _, d in SAME_EQUIPMENT])
def test_equipment_worded_differently_matches(plan: EquipmentRow, done: EquipmentRow) -> None:
    assert pairs("equipment", [plan], [done]) == [(0, 0)]


NOT_EQUIPMENT = [
    # same name, another model: another instrument
    (eq("数字多用表", "Keysight 3458A"), eq("数字多用表", "Keysight 34470A")),
    (eq("高精度直流电流传感器", "LEM IT 1000-S/SP1"), eq("高精度直流电流传感器", "LEM IT 600-S")),
    # a model inside another only by cutting a number in two
    (eq("红外热像仪", "FLIR A700"), eq("红外热像仪", "FLIR A7000")),
    # too short to be taken as contained
    (eq("标准样板", "SH-1"), eq("标准样板", "VLSI SH-100")),
    # no models, different names
    (eq("静电放电发生器"), eq("静电放电模拟器校准装置")),
    (eq("电池包绝缘监测装置"), eq("电池包绝缘监测装置校准器")),
]


@pytest.mark.parametrize(("plan", "done"), NOT_EQUIPMENT, ids=[f"{p.model}|{d.model}" for p, d in NOT_EQUIPMENT])
def test_equipment_near_misses_do_not_match(plan: EquipmentRow, done: EquipmentRow) -> None:
    assert pairs("equipment", [plan], [done]) == []


def test_one_to_one_best_first() -> None:
    plan = [eq("数字多用表", "Keysight 3458A"), eq("数字多用表（备用）", "3458A")]
    done = [eq("数字万用表", "是德科技 3458A")]
    assert pairs("equipment", plan, done) == [(0, 0)]
    # each done row serves one plan row; the exact model pairs before a contained one
    plan = [eq("取样示波器", "N1000A"), eq("取样示波器", "N1000A DCA-X")]
    done = [eq("宽带取样示波器", "N1000A DCA-X"), eq("取样示波器", "N1000A")]
    assert pairs("equipment", plan, done) == [(0, 1), (1, 0)]


def test_calibration_items_by_instrument_name_and_quantity() -> None:
    plan = [cal("功率分析仪", "交流电压、交流电流、有功功率", "JJG 780-1992"),
            cal("卡尔·费休库仑法微量水分测定仪", "示值误差、重复性", "JJG 1044-2008"),
            cal("集成电路测试系统", "直流电压、直流电流、时序", "Q/HZZJ JF-045-2024"),
            cal("红外热像仪", "温度示值误差", "JJF 1187-2008")]
    done = [cal("库仑法卡尔·费休水分测定仪", "示值误差、重复性", "JJG 1044-2008"),
            cal("交流数字功率表（功率分析仪）", "交流电压、交流电流、有功功率", "JJG 780-1992"),
            cal("集成电路自动测试设备（ATE）", "直流电压、直流电流、时序", "JJF(浙) 1218-2025"),
            cal("红外测温仪", "温度示值误差", "JJF 1187-2008")]
    assert pairs("calibration_items", plan, done) == [(0, 1), (1, 0), (2, 2)]


def test_calibration_near_misses() -> None:
    assert pairs("calibration_items", [cal("直流电压表", "直流电压")], [cal("直流电流表", "直流电流")]) == []
    # alike names without the same quantities (or specification) are not enough
    assert pairs("calibration_items", [cal("功率器件动态参数测试系统", "开关时间")],
                 [cal("功率半导体器件动态参数测试设备", "栅极电荷")]) == []
    # the same instrument type, another calibration item on it
    assert pairs("calibration_items", [cal("电池包充放电测试系统", "直流电压、直流电流", "JJF(浙) 1175-2021")],
                 [cal("电池包充放电测试系统", "温度", "Q/ZJM JF-200-2025")]) == []
    # words of the same meaning
    assert pairs("calibration_items", [cal("数字多用表", "直流电压")], [cal("数字万用表", "直流电压")]) == [(0, 0)]


def test_key_parameters_by_parameter_with_the_model_as_veto() -> None:
    plan = [kp("开关时间与开关损耗", "Keysight PD1500A"), kp("反向恢复电荷", "Keysight PD1500A"),
            kp("短路耐受时间", "Keysight PD1500A"), kp("自放电率（开路电压降）", "Keysight 3458A"),
            kp("结壳热阻", "Simcenter T3STER")]
    done = [kp("反向恢复电荷（Qrr）", "是德科技 PD1500A"), kp("开关损耗与开关时间", "是德科技 PD1500A"),
            kp("BMS单体电压采集误差", "是德科技 3458A"), kp("自放电率", "是德科技 3458A"),
            kp("结壳热阻 Rth(j-c)", "T3Ster（Simcenter）")]
    # 短路耐受时间 shares the instrument with two done rows but is neither of them
    assert pairs("key_parameter_items", plan, done) == [(0, 1), (1, 0), (3, 3), (4, 4)]


def test_key_parameter_same_name_other_instrument_model_does_not_match() -> None:
    assert pairs("key_parameter_items", [kp("电池包热扩散温度场", "FLIR A700")],
                 [kp("电池包热扩散温度场", "FLIR T1020")]) == []
    assert pairs("key_parameter_items", [kp("薄膜厚度", None, "GB/T 31225-2014")],
                 [kp("薄膜厚度", "J.A. Woollam M-2000", "GB/T 31225-2014")]) == [(0, 0)]


def test_normal_forms() -> None:
    assert model_forms("Bio-Logic ＶＭＰ－３００") == ("vmp300",)
    assert model_forms("KLA P-7") == ("klap7",)  # a brand-free form under 3 characters keeps its brand
    assert set(model_forms("Fluke 742A-1、742A-10k")) == {"742a1742a10k", "742a1", "742a10k"}
    assert compare_models(model_forms("是德科技 3458A"), model_forms("Keysight 3458A")) == "equal"
    assert compare_models(model_forms("3458A"), model_forms("34580A")) == "different"
    n = name_forms("交流数字功率表（功率分析仪）")
    assert n is not None and n.main == "交流数字功率表" and n.aliases == ("功率分析仪",)
    n = name_forms("电芯膨胀力测试系统（定制）")
    assert n is not None and n.aliases == ()
