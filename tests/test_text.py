from __future__ import annotations

import pytest

from imtc.extract.numbering import chinese_number, format_number
from imtc.extract.outline import is_content, parse_label
from imtc.extract.text import clean, parse_amount, parse_date


@pytest.mark.parametrize(("text", "value", "ok"), [
    ("120", 120, True), ("120.5", 120.5, True), ("１２０", 120, True), ("120万元", 120, True),
    ("１２０.５万", 120.5, True), ("1,200", 1200, True), (" 85.5 ", 85.5, True),
    ("/", None, True), ("—", None, True), ("无", None, True), (None, None, True),
    ("约一百", None, False), ("待定", None, False),
])
def test_parse_amount(text, value, ok) -> None:
    assert parse_amount(text) == (value, ok)


@pytest.mark.parametrize(("text", "iso"), [
    ("申报日期：2024年6月10日", "2024-06-10"), ("二〇二四年六月十日", "2024-06-10"),
    ("二〇二五年十一月二十八日", "2025-11-28"), ("2024-6-3", "2024-06-03"), ("2024.06.30", "2024-06-30"),
    ("  年  月  日", None), ("二〇二四年十三月一日", None),
])
def test_parse_date(text, iso) -> None:
    assert parse_date(text) == iso


def test_clean_collapses_whitespace() -> None:
    assert clean(" 测量\n参数\u3000 ") == "测量 参数"
    assert clean("  ") is None


@pytest.mark.parametrize(("n", "cn"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (100, "一百"),
                                       (105, "一百零五"), (110, "一百一十")])
def test_chinese_counting(n, cn) -> None:
    assert chinese_number(n) == cn


def test_number_formats() -> None:
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(2, "upperLetter") == "B"
    assert format_number(4, "lowerRoman") == "iv"
    assert format_number(12, "decimalFullWidth") == "１２"


@pytest.mark.parametrize(("text", "level", "number", "title"), [
    ("一、产业界定与范围", 1, 1, "产业界定与范围"), ("十一、经费概算与来源", 1, 11, "经费概算与来源"),
    ("（三）重点项目", 2, 3, "重点项目"), ("(三) 重点项目", 2, 3, "重点项目"),
    ("2.前瞻性计量测试技术研究项目计划", 3, 2, "前瞻性计量测试技术研究项目计划"), ("3、产业特点", 3, 3, "产业特点"),
    ("5.1 校准项目技术需求表", 2, 1, "校准项目技术需求表"), ("2024年度工作总结", None, None, "2024年度工作总结"),
])
def test_parse_label(text, level, number, title) -> None:
    lab = parse_label(text)
    assert (lab.level, lab.number, lab.title) == (level, number, title)


@pytest.mark.parametrize(("text", "content"), [
    ("（产业定义、范围、产业链图、产业链分析、计量服务产业重点领域等）", False), ("建设任务：", False), ("建设措施：  ", False),
    ("XX", False), ("……", False), ("无", False), ("建设任务：加强人才培养。", True), ("本中心依托浙江省计量科学研究院。", True),
    ("（注：以上数据截至2024年底）本中心共有人员86名。", True),
])
def test_is_content(text, content) -> None:
    assert is_content(text) is content


def test_cover_lines_run_together_do_not_spill_into_each_other() -> None:
    """OCR of a blank cover gave one line: "申报单位:申报单位负责人:申报日期:年月日"."""
    from imtc.extract.blocks import Paragraph
    from imtc.extract.meta import read_meta

    meta = read_meta([Paragraph(text="申报单位:申报单位负责人:申报日期:年月日", index=0)], [], "application")
    assert (meta.applicant, meta.responsible_person, meta.submitted_on) == (None, None, None)
    meta = read_meta([Paragraph(text="申报单位：浙江省计量科学研究院（盖章）申报单位负责人：王建国（签名）", index=0)],
                     [], "application")
    assert (meta.applicant, meta.responsible_person) == ("浙江省计量科学研究院", "王建国")
