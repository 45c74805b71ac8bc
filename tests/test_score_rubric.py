"""The rubrics as data, checked against the annexes, and every band edge.

The numbers are written here as read from ../shared/spec/management-measures.txt (annex 5 from
"附件5" to "附件6", annex 2 from "附件2" to "附件3"); where the spec file is beside the clone the
TOML is also checked against its text directly.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from imtc.score_assist.rubric import load_rubric
from tests.conftest import in_ci

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "spec" / "management-measures.txt"
needs_spec = pytest.mark.skipif(not SPEC.exists() and not in_ci(),  # CI lays shared/ beside the clone: there it fails
                                reason="../shared/spec is not beside this clone")

A5 = load_rubric("annex5")
A2 = load_rubric("annex2")

# annex 5, as printed: every leaf item and its 分值
ANNEX5_LEAVES = {
    "1.1.1": 2, "1.1.2": 2, "1.2.1": 2, "1.3.1": 2, "1.3.2": 1, "1.4.1": 3, "1.4.2": 4, "1.4.3": 4, "1.4.4": 2,
    "1.5.1": 4, "1.5.2": 3, "1.5.3": 2, "1.6.1": 1, "1.6.2": 2,
    "2.1.1": 2, "2.1.2": 2, "2.1.3": 1, "2.2.1": 1, "2.2.2": 3, "2.2.3": 2, "2.3.1": 2, "2.3.2": 3, "2.3.3": 2,
    "2.4.1": 1, "2.4.2": 2, "2.5.1": 1, "2.5.2": 2, "2.5.3": 1, "2.5.4": 1,
    "3.1.1": 1, "3.1.2": 1, "3.2.1": 2, "3.2.2": 1, "3.2.3": 2, "3.2.4": 1, "3.3.1": 1, "3.3.2": 1, "3.3.3": 1,
    "3.3.4": 1, "3.4.1": 2, "3.4.2": 1, "3.4.3": 2, "3.5.1": 2, "3.5.2": 1, "3.5.3": 1, "3.5.4": 1,
    "3.6.1": 1, "3.6.2": 1, "3.6.3": 1, "3.7.1": 4, "4.1": 7, "5.1": 3,
    "二.1": 20, "三.1": 5,
}
# the 分值 printed on the group lines
ANNEX5_GROUPS = {
    "第一条": 34, "1.1": 4, "1.2": 2, "1.3": 3, "1.4": 13, "1.5": 9, "1.6": 3,
    "第二条": 27, "2.1": 5, "2.2": 6, "2.3": 7, "2.4": 3, "2.5": 5,
    "第三条": 32, "3.1": 2, "3.2": 6, "3.3": 4, "3.4": 5, "3.5": 5, "3.6": 3, "3.7": 4,
    "第四条": 7, "第五条": 3,
}


def test_annex5_has_every_item_with_its_maximum() -> None:
    assert {it.key: it.max for it in A5.items} == ANNEX5_LEAVES
    assert {g.key: g.max for g in A5.groups} == ANNEX5_GROUPS


def test_annex5_parts_and_total() -> None:
    assert {p.key: p.max for p in A5.parts} == {"work": 100, "plan": 20, "assigned": 5}
    assert A5.stated_total == 125 == sum(p.max for p in A5.parts)
    assert sum(it.max for it in A5.part_items("plan")) == 20
    assert sum(it.max for it in A5.part_items("assigned")) == 5


def test_annex5_group_lines_against_their_items() -> None:
    """Every sub-group's items add up to its printed 分值. The articles do not all: 第二条 prints 27
    over items worth 26, 第三条 32 over 29, so 一、工作开展情况 prints 100 over items worth 99
    (34+27+32+7+3 printed = 103). The tool adds the items' points as given (docs/scoring.md)."""
    for g in A5.groups:
        if not g.key.startswith("第"):
            assert A5.leaf_sum(g.key) == g.max, g.key
    assert {k: A5.leaf_sum(k) for k in ("第一条", "第二条", "第三条", "第四条", "第五条")} == {
        "第一条": 34, "第二条": 26, "第三条": 29, "第四条": 7, "第五条": 3}
    assert sum(g.max for g in A5.groups if g.parent is None) == 103
    assert sum(it.max for it in A5.part_items("work")) == 99


def test_annex5_totals_rules() -> None:
    t = A5.totals
    assert (t["work_weight"], t["excellent"], t["passing"], t["assigned_met_min"]) == (0.75, 85, 60, 4)
    assert A5.whole_points


def test_annex5_bands_run_from_the_maximum_down() -> None:
    for it in A5.items:
        assert it.bands, it.key
        assert it.bands[0].high == it.max, it.key
        assert it.bands[-1].low == 0, it.key
        highs = [b.high for b in it.bands]
        assert highs == sorted(highs, reverse=True), it.key


def test_annex5_basis_of_the_items_the_documents_decide() -> None:
    auto = {it.key for it in A5.items if it.basis == "auto"}
    assert auto == {"1.2.1", "1.3.1", "1.3.2", "1.4.4", "1.5.1", "1.5.2", "1.5.3", "2.1.2", "2.1.3", "2.2.2", "2.2.3",
                    "2.3.2", "2.3.3", "2.4.1", "2.4.2", "2.5.1", "2.5.2", "2.5.3", "2.5.4"}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _segment(start: str, end: str) -> str:
    text = SPEC.read_text(encoding="utf-8")
    a = [m.start() for m in re.finditer(rf"^{start}\s*$", text, re.M)][-1]
    b = text.index(f"\n{end}", a)
    return text[a:b]


@needs_spec
def test_annex5_numbers_as_the_spec_prints_them() -> None:
    """Read key, title and 分值 off the spec's table rows and compare with the TOML."""
    lines = [ln.strip() for ln in _segment("附件5", "附件6").splitlines() if ln.strip()]
    found: dict[str, tuple[str, int]] = {}
    for i, ln in enumerate(lines[:-2]):
        if re.fullmatch(r"\d+(?:\.\d+)+", ln) and lines[i + 2].isdigit():
            found[ln] = (lines[i + 1], int(lines[i + 2]))
        m = re.fullmatch(r"(第[一二三四五]条)\s*(.+)", ln)
        if m and lines[i + 1].isdigit():
            found[m.group(1)] = (m.group(2), int(lines[i + 1]))
    leaves = {k: v for k, v in ANNEX5_LEAVES.items() if k[0] not in "二三"}
    for key, mx in leaves.items():
        assert found[key][1] == mx, key
        assert _squash(found[key][0]) == _squash(A5.item(key).title), key
    for key, mx in ANNEX5_GROUPS.items():
        if key in ("4.1", "5.1"):
            continue
        assert found[key][1] == mx, key
    seg = _squash(_segment("附件5", "附件6"))
    assert "二、下年度工作计划20" in seg and "三、交办任务5" in seg and "一、工作开展情况100" in seg
    assert "工作开展情况得分×75%+下年度工作计划得分+交办任务得分" in seg
    assert "85分及以上（优秀）、60分及以上（合格）" in seg


@needs_spec
def test_annex5_band_texts_are_the_spec_words() -> None:
    seg = _squash(_segment("附件5", "附件6"))
    for it in A5.items:
        for b in it.bands:
            assert _squash(b.text) in seg, (it.key, b.text)


# --- annex 2 ---------------------------------------------------------------------------------------

ANNEX2_APPLICATION = {
    "产业界定与范围": 10, "产业链分析": 10, "计量测试服务重点领域": 5, "产业发展政策分析": 10,
    "国内外产业计量测试现状分析": 10, "申请单位现有能力与优势分析": 5, "产业计量测试需求分析": 10,
    "计量测试服务能力建设": 10, "科技创新能力建设": 10, "战略定位": 5, "质量体系": 5, "运行管理": 5, "发展规划": 5,
}
ANNEX2_SITE = {
    "量值传递能力": 10, "关键参数测量能力": 15, "产业特色计量服务能力": 15, "前瞻性计量测试技术研究情况": 10,
    "关键共性技术能力情况": 10, "成果转化情况": 10, "质量体系": 10, "基础保障": 20,
}


def test_annex2_tables() -> None:
    assert {it.key: it.max for it in A2.part_items("application")} == ANNEX2_APPLICATION
    assert {it.key.removeprefix("现场核查/"): it.max for it in A2.part_items("site")} == ANNEX2_SITE
    assert {it.key: it.max for it in A2.part_items("bonus")} == {"政策支持": 5}
    assert sum(ANNEX2_APPLICATION.values()) == 100 == sum(ANNEX2_SITE.values())
    assert {p.key: p.max for p in A2.parts} == {"application": 100, "site": 100, "bonus": 5}
    for g in A2.groups:
        assert sum(it.max for it in A2.items if it.group == g.key) == g.max, g.key
    t = A2.totals
    assert (t["application_weight"], t["site_weight"], t["excellent"], t["passing"]) == (0.6, 0.4, 90, 75)
    for it in A2.items:
        assert [b.level for b in it.bands] == ["A", "B", "C"]
        assert it.bands[0].high == it.max and it.bands[-1].low == 0
        assert all(it.bands[i].low == it.bands[i + 1].high + 1 for i in range(2)), it.key
        assert it.basis == "expert"


@needs_spec
def test_annex2_numbers_and_bands_as_the_spec_prints_them() -> None:
    seg = _squash(_segment("附件2", "附件3"))
    band = re.compile(r"A：(\d+)(?:—(\d+))?分；B：(\d+)(?:—(\d+))?分；C：(\d+)—(\d+)分")
    start = 0
    for it in A2.items:
        name = it.key.removeprefix("现场核查/")
        label = f"{name}（{it.max}分）"
        at = seg.index(label, start if it.part != "bonus" else 0)
        m = band.search(seg, at)
        assert m is not None, name
        a_lo, a_hi, b_lo, b_hi, c_lo, c_hi = (int(x) if x else None for x in m.groups())
        got = [(a_lo, a_hi or a_lo), (b_lo, b_hi or b_lo), (c_lo, c_hi)]
        assert got == [(b.low, b.high) for b in it.bands], name
        start = at if it.part == "application" else start
    assert "申请书评价得分×60%+现场核查得分×40%" in seg
    assert "90分及以上（优秀）、75分及以上（合格）" in seg
    assert "加分项（5分）" in seg and "评分只给出整数分数" in seg


# --- band edges -------------------------------------------------------------------------------------

EDGES = [
    # item, value, other variables, points
    ("1.2.1", 1, {}, 2), ("1.2.1", Fraction(6, 5), {}, 2), ("1.2.1", 0.6, {}, 1), ("1.2.1", Fraction(3, 5), {}, 1),
    ("1.2.1", 0.5999, {}, 0), ("1.2.1", 0.9999, {}, 1), ("1.2.1", 0, {}, 0),
    ("1.3.1", 0.6, {}, 2), ("1.3.1", 0.5999, {}, 1), ("1.3.1", 0.3, {}, 1), ("1.3.1", 0.2999, {}, 0),
    ("1.3.2", 1, {}, 1), ("1.3.2", 0.9999, {}, 0),
    ("1.4.2", 0.8, {}, 4), ("1.4.2", 0.7999, {}, 3), ("1.4.2", 0.5, {}, 3), ("1.4.2", 0.4999, {}, 2),
    ("1.4.2", 0.2, {}, 2), ("1.4.2", 0.1999, {}, 1), ("1.4.2", 0.0001, {}, 1), ("1.4.2", 0, {}, 0),
    ("1.4.3", 0.6, {}, 4), ("1.4.3", 0.3, {}, 3), ("1.4.3", 0.2999, {}, 2), ("1.4.3", 0.1, {}, 2),
    ("1.4.3", 0.0999, {}, 1), ("1.4.3", 0, {}, 0),
    ("1.4.4", 1, {}, 2), ("1.4.4", 0.9999, {}, 1), ("1.4.4", Fraction(1, 100), {}, 1), ("1.4.4", 0, {}, 0),
    ("1.5.1", 0.8, {}, 4), ("1.5.1", 0.5, {}, 3), ("1.5.1", 0.2, {}, 2), ("1.5.1", 0.1, {}, 1), ("1.5.1", 0.0999, {}, 0),
    ("1.5.2", 6, {}, 3), ("1.5.2", 5, {}, 2), ("1.5.2", 4, {}, 2), ("1.5.2", 3, {}, 2), ("1.5.2", 2, {}, 1),
    ("1.5.2", 1, {}, 0), ("1.5.2", 0, {}, 0),
    ("1.5.3", 3, {}, 2), ("1.5.3", 2, {}, 1), ("1.5.3", 1, {}, 1), ("1.5.3", 0, {}, 0),
    ("2.1.2", 1, {"provincial_or_above": 1}, 2), ("2.1.2", 3, {"municipal": 3}, 1), ("2.1.2", 4, {"other": 4}, 0),
    ("2.1.3", 0.5, {}, 1), ("2.1.3", 0.4999, {}, 0),
    ("2.2.2", 1, {"provincial_or_above": 1, "municipal": 2}, 3), ("2.2.2", 1, {"municipal": 1}, 2),
    ("2.2.2", 2, {"other": 2}, 1), ("2.2.2", 1, {"other": 1}, 0),
    ("2.2.3", 0.6, {"proofs": 3}, 2), ("2.2.3", 1, {"proofs": 3}, 2), ("2.2.3", 0.5999, {"proofs": 3}, 1),
    ("2.2.3", 0.3, {"proofs": 3}, 1), ("2.2.3", 0.2999, {"proofs": 3}, 0), ("2.2.3", 0.6, {"proofs": 2}, 0),
    ("2.3.2", 1, {"provincial_or_above": 1}, 3), ("2.3.2", 1, {"municipal": 1}, 2), ("2.3.2", 2, {"other": 2}, 1),
    ("2.3.2", 1, {"other": 1}, 0),
    ("2.3.3", 0.6, {"proofs": 2}, 2), ("2.3.3", 0.6, {"proofs": 1}, 1), ("2.3.3", 0.3, {"proofs": 0}, 1),
    ("2.3.3", 0.3, {"proofs": 5}, 1), ("2.3.3", 0.2999, {"proofs": 5}, 0),
    ("2.4.1", 1, {"national": 1, "industry_local": 0}, 1), ("2.4.1", 2, {"national": 0, "industry_local": 2}, 1),
    ("2.4.1", 1, {"national": 0, "industry_local": 1}, 0),
    ("2.4.2", 0.6, {"trainings": 2}, 2), ("2.4.2", 0.6, {"trainings": 1}, 1), ("2.4.2", 0.5999, {"trainings": 9}, 1),
    ("2.4.2", 0.3, {"trainings": 0}, 1), ("2.4.2", 0.2999, {"trainings": 9}, 0),
    ("2.5.1", 3, {}, 1), ("2.5.1", 2, {}, 0),
    ("2.5.2", 2, {}, 1), ("2.5.2", 1, {}, 0), ("2.5.2", 0, {"major": 1}, 2),
    ("2.5.3", 1, {}, 1), ("2.5.3", 0, {}, 0),
    ("2.5.4", 1, {}, 1), ("2.5.4", 0, {}, 0),
]


@pytest.mark.parametrize(("key", "value", "aux", "points"), EDGES, ids=[f"{e[0]}={e[1]}{e[2] or ''}" for e in EDGES])
def test_band_edges(key: str, value: object, aux: dict[str, int], points: int) -> None:
    assert A5.item(key).points_for(value, **aux) == points


def test_qualitative_items_have_no_computed_band() -> None:
    assert A5.item("3.2.1").points_for(1) is None
    assert A5.item("二.1").band_for(1) is None
