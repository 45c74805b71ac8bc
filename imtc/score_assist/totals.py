"""Totals and grades exactly as the measures write them.

Annex 5: 后续评价总得分 = 工作开展情况得分×75% + 下年度工作计划得分 + 交办任务得分; 优秀 ≥ 85,
合格 ≥ 60, 不合格 below; not 优秀 while the assigned tasks are unmet (that item under 4 points:
"不落实" is its 0 band, "落实不到位" its 1-3 band).
Annex 2: 评价总得分 = 申请书评价得分×60% + 现场核查得分×40%; 优秀 ≥ 90, 合格 ≥ 75; the bonus item is
reported beside the total, never in it.

Item scores are whole points (the annexes: 评分只给出整数分数); a weighted total is kept exact
(e.g. 84.75) and compared with the grade lines as it is, never rounded up into a grade.

While some items have no points (the expert's), the parts and the total are null and the totals
say which items are missing, what the known points add up to, and the range the total can still
take (missing items at 0 and at their maximum), with the grades that range allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from imtc import labels
from imtc.score_assist.common import ItemScore, as_json_number
from imtc.score_assist.rubric import Rubric

EXCELLENT, PASSED, FAILED = labels.EXCELLENT, labels.PASSED, labels.FAILED  # imtc/templates/labels.toml


def grade_annex5(total: Fraction | float, assigned: int | None, rubric: Rubric) -> str:
    t = rubric.totals
    met = assigned is not None and assigned >= t["assigned_met_min"]
    if total >= t["excellent"] and met:
        return EXCELLENT
    return PASSED if total >= t["passing"] else FAILED


def grade_annex2(total: Fraction | float, rubric: Rubric) -> str:
    t = rubric.totals
    if total >= t["excellent"]:
        return EXCELLENT
    return PASSED if total >= t["passing"] else FAILED


def total_annex5(work: int, plan: int, assigned: int, rubric: Rubric) -> Fraction:
    return Fraction(work) * Fraction(str(rubric.totals["work_weight"])) + plan + assigned


def total_annex2(application: int, site: int, rubric: Rubric) -> Fraction:
    t = rubric.totals
    return Fraction(application) * Fraction(str(t["application_weight"])) + Fraction(site) * Fraction(str(t["site_weight"]))


def _parts(rubric: Rubric, items: Mapping[str, ItemScore]) -> dict[str, dict[str, Any]]:
    out = {}
    for part in rubric.parts:
        scores = [s for s in items.values() if s.item.part == part.key]
        known = sum(s.points for s in scores if s.points is not None)
        missing = [s.item.key for s in scores if s.points is None]
        out[part.key] = {"known": known, "missing": missing, "open_max": sum(s.item.max for s in scores if s.points is None),
                         "complete": not missing, "auto": sum(s.points for s in scores if s.points is not None and s.basis == "auto")}
    return out


def _grades_between(low: Fraction, high: Fraction, lines: list[tuple[str, float]]) -> list[str]:
    """The grades a total in [low, high] can get, best first; lines = [(grade, threshold)], best first."""
    out = []
    for i, (name, line) in enumerate(lines):
        upper = lines[i - 1][1] if i else None
        if high >= line and (upper is None or low < upper):
            out.append(name)
    if low < lines[-1][1]:
        out.append(FAILED)
    return out


def totals_annex5(rubric: Rubric, items: Mapping[str, ItemScore]) -> dict[str, Any]:
    p = _parts(rubric, items)
    work, plan, assigned = (p[k]["known"] if p[k]["complete"] else None for k in ("work", "plan", "assigned"))
    low = total_annex5(p["work"]["known"], p["plan"]["known"], p["assigned"]["known"], rubric)
    high = total_annex5(p["work"]["known"] + p["work"]["open_max"], p["plan"]["known"] + p["plan"]["open_max"],
                        p["assigned"]["known"] + p["assigned"]["open_max"], rubric)
    t = rubric.totals
    complete = all(v is not None for v in (work, plan, assigned))
    total = total_annex5(work, plan, assigned, rubric) if complete else None  # type: ignore[arg-type]
    grade = grade_annex5(total, assigned, rubric) if total is not None else None
    possible = _grades_between(low, high, [(EXCELLENT, t["excellent"]), (PASSED, t["passing"])])
    if assigned is not None and assigned < t["assigned_met_min"] and EXCELLENT in possible:
        possible.remove(EXCELLENT)
        if PASSED not in possible and high >= t["passing"]:
            possible.insert(0, PASSED)
    missing = [k for part in ("work", "plan", "assigned") for k in p[part]["missing"]]
    return {
        "work": work, "plan": plan, "assigned": assigned,
        "total": as_json_number(total), "grade": grade,
        "complete": complete,
        "missing": missing,
        "known_points": {k: p[k]["known"] for k in ("work", "plan", "assigned")},
        "auto_points": {k: p[k]["auto"] for k in ("work", "plan", "assigned")},
        "total_min": as_json_number(low), "total_max": as_json_number(high),
        "grade_possible": possible,
        "assigned_unmet": None if assigned is None else assigned < t["assigned_met_min"],
        "formula": t["formula"],
        "note": ("各项得分均为整数；总得分按公式精确计算，不取整。"
                 + ("" if complete else f"尚有{len(missing)}项需专家评分：total 为 null，total_min/total_max 为这些项取0分和满分时的总得分。")),
    }


def totals_annex2(rubric: Rubric, items: Mapping[str, ItemScore]) -> dict[str, Any]:
    p = _parts(rubric, items)
    application, site, bonus = (p[k]["known"] if p[k]["complete"] else None for k in ("application", "site", "bonus"))
    low = total_annex2(p["application"]["known"], p["site"]["known"], rubric)
    high = total_annex2(p["application"]["known"] + p["application"]["open_max"],
                        p["site"]["known"] + p["site"]["open_max"], rubric)
    t = rubric.totals
    complete = application is not None and site is not None
    total = total_annex2(application, site, rubric) if complete else None  # type: ignore[arg-type]
    missing = [k for part in ("application", "site", "bonus") for k in p[part]["missing"]]
    return {
        "application": application, "site": site, "bonus": bonus,
        "total": as_json_number(total), "grade": grade_annex2(total, rubric) if total is not None else None,
        "complete": complete,
        "missing": missing,
        "known_points": {k: p[k]["known"] for k in ("application", "site", "bonus")},
        "total_min": as_json_number(low), "total_max": as_json_number(high),
        "grade_possible": _grades_between(low, high, [(EXCELLENT, t["excellent"]), (PASSED, t["passing"])]),
        "formula": t["formula"],
        "note": ("各项得分均为整数；总得分按公式精确计算，不取整；加分项不计入总得分。"
                 + ("" if complete else f"尚有{len(missing)}项需专家评分：total 为 null，total_min/total_max 为这些项取0分和满分时的总得分。")),
    }
