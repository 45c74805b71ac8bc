"""The panel's aggregate: which sheets count, per item (mean, median, min, max, spread), each expert's
totals and the panel's, by the measures' formulas (imtc/score_assist/totals.py, not re-implemented).

The panel's figure for an item is the mean of the experts who scored it (exact: a fraction, shown to
4 decimals); its totals are the measures' formula over those means, which equals the mean of the
experts' totals when every expert scored every item.
"""

from __future__ import annotations

import os
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from imtc import findings as F
from imtc.models import Finding, Location
from imtc.panel.models import ExpertTotals, ItemAggregate, Panel, Sheet
from imtc.panel.sheet import item_label
from imtc.score_assist.common import ItemScore, as_json_number
from imtc.score_assist.rubric import Rubric, load_rubric
from imtc.score_assist.totals import totals_annex2, totals_annex5

MIN_EXPERTS = 5  # 第十三条: 一般不少于5人
DEFAULT_SPREAD = 3  # points between the lowest and the highest score of an item, above which it is flagged
SPREAD_ENV = "IMTC_PANEL_SPREAD"  # the setting, for the command line and the desk page alike


def spread_setting() -> float:
    """IMTC_PANEL_SPREAD when it is a number ≥ 0, else DEFAULT_SPREAD."""
    try:
        value = float(os.environ.get(SPREAD_ENV, ""))
    except ValueError:
        return DEFAULT_SPREAD
    return value if value >= 0 else DEFAULT_SPREAD


def _year_words(year: int | None) -> str:
    return f"（{year}年度）" if year else ""


def target_of(sheets: list[Sheet], center: str | None = None, year: int | None = None) -> tuple[str | None, str | None, int | None]:
    """(rubric, center, year) of the panel: as given, else the most common among the readable sheets."""
    readable = [s for s in sheets if s.counted and s.rubric]
    if not readable:
        return None, center, year
    pool = [s for s in readable if (center is None or s.center == center) and (year is None or s.year == year)]
    common = Counter((s.rubric, s.center, s.year) for s in pool or readable).most_common(1)[0][0]
    return common[0], center or common[1], year or common[2]


def select(sheets: list[Sheet], rubric: str | None, center: str | None, year: int | None) -> None:
    """Leave out, with a finding, the sheets of another center or year, and one expert's several sheets."""
    for s in sheets:
        if s.counted and (s.rubric, s.center, s.year) != (rubric, center, year):
            s.counted = False
            s.findings.append(F.PANEL_OTHER_CENTER(Location(file=s.file), file=s.file, center=s.center or "（未写明中心）",
                                                   year=_year_words(s.year), target=center or "", target_year=_year_words(year)))
        elif s.counted and s.identified_by == "表内字段":
            s.findings.append(F.PANEL_NOT_IDENTIFIED(Location(file=s.file), file=s.file, center=s.center or "",
                                                     year=_year_words(s.year)))
    by_expert: dict[str, list[Sheet]] = defaultdict(list)
    for s in sheets:
        if s.counted and s.expert:
            by_expert[s.expert].append(s)
    for expert, group in by_expert.items():
        if len(group) < 2:
            continue
        files = "、".join(s.file for s in group)
        if len({_content(s) for s in group}) == 1:
            for s in group[1:]:
                s.counted = False
            group[0].findings.append(F.PANEL_SAME_SHEET(Location(file=group[0].file), expert=expert, count=len(group),
                                                        files=files))
            continue
        for s in group:
            s.counted = False
            s.findings.append(F.PANEL_DUPLICATE_EXPERT(Location(file=s.file), expert=expert, count=len(group), files=files))


def _content(s: Sheet) -> tuple:
    return tuple(sorted((k, m.points) for k, m in s.marks.items()))


def _scores(rubric: Rubric, points: dict[str, Fraction | int | float | None]) -> dict[str, ItemScore]:
    return {i.key: ItemScore(item=i, points=points.get(i.key)) for i in rubric.items}  # type: ignore[arg-type]


def totals(rubric: Rubric, points: dict[str, Any]) -> dict[str, Any]:
    t = (totals_annex5 if rubric.name == "annex5" else totals_annex2)(rubric, _scores(rubric, points))
    return _jsonable(t)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, Fraction):
        return as_json_number(value)
    return value


def item_aggregate(rubric: Rubric, key: str, by_expert: dict[str, float | int | None], threshold: float) -> ItemAggregate:
    item = rubric.item(key)
    given = [Fraction(v).limit_denominator(1000) for v in by_expert.values() if v is not None]
    agg = ItemAggregate(key=key, number=key.split(".", 1)[1] if key[0] in "二三" else key, title=item.title,
                        part=item.part, max=item.max, scores=by_expert, n=len(given))
    if given:
        agg.mean = as_json_number(sum(given) / len(given))
        agg.median = as_json_number(Fraction(statistics.median(given)))
        agg.min, agg.max_given = as_json_number(min(given)), as_json_number(max(given))
        agg.spread = as_json_number(max(given) - min(given))
        agg.flagged = max(given) - min(given) > Fraction(str(threshold))
    return agg


def aggregate(sheets: list[Sheet], *, spread: float | None = None, center: str | None = None,
              year: int | None = None, extra: Iterable[Finding] = ()) -> Panel:
    spread = spread_setting() if spread is None else spread
    rubric_name, center, year = target_of(sheets, center, year)
    findings: list[Finding] = list(extra)
    if rubric_name is None:
        findings.append(F.PANEL_NO_SHEETS(reason="没有一份可以读取且带有评分表格的评分表"))
        return Panel(rubric=None, center=center, year=year, experts=[], spread_threshold=spread, items=[],
                     expert_totals=[], totals={}, sheets=sheets, findings=findings)
    select(sheets, rubric_name, center, year)
    rubric = load_rubric(rubric_name)
    counted = [s for s in sheets if s.counted]
    experts = [s.expert or s.file for s in counted]
    if len(counted) < MIN_EXPERTS:
        findings.append(F.PANEL_FEW_EXPERTS(count=len(counted), experts="、".join(experts) or "无"))
    items = []
    for item in rubric.items:
        by_expert = {s.expert or s.file: (s.marks[item.key].points if item.key in s.marks else None) for s in counted}
        agg = item_aggregate(rubric, item.key, by_expert, spread)
        if agg.flagged:
            findings.append(F.PANEL_SPREAD(Location(item=item.key), item=item_label(item), spread=agg.spread,
                                           low=agg.min, high=agg.max_given, threshold=_num(spread)))
        items.append(agg)
    expert_totals = [ExpertTotals(expert=s.expert or s.file, file=s.file,
                                  totals=totals(rubric, {k: m.points for k, m in s.marks.items()})) for s in counted]
    panel_totals = totals(rubric, {a.key: _exact_mean(a) for a in items})
    sha = Counter(s.sha256 for s in counted if s.sha256).most_common(1)
    return Panel(rubric=rubric_name, rubric_title=rubric.title, center=center, year=year,
                 sha256=sha[0][0] if sha else None, experts=experts, spread_threshold=spread, items=items,
                 expert_totals=expert_totals, totals=panel_totals, sheets=sheets, findings=findings)


def _exact_mean(agg: ItemAggregate) -> Fraction | None:
    given = [Fraction(v).limit_denominator(1000) for v in agg.scores.values() if v is not None]
    return sum(given) / len(given) if given else None


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x
