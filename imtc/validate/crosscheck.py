"""Cross-checks: specification codes, calibration needs against items and instruments,
traceability gaps, plan amounts, and the report year against the dates the text gives.

docs/validation.md says when each finding is emitted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from difflib import SequenceMatcher

from imtc.extract import code_level, fold, spec_code_patterns, spec_year_min
from imtc.findings import (
    LEVEL_UNKNOWN,
    PAPER_INDEX_UNCLEAR,
    PLAN_AMOUNT_MISSING,
    PLANNED_NEED_UNMATCHED,
    SPEC_CODE_ABSENT,
    SPEC_CODE_MALFORMED,
    STANDARD_LEVEL_UNKNOWN,
    TRACEABILITY_GAP,
    YEAR_BEFORE_REPORT,
    YEAR_INCONSISTENT,
)
from imtc.models import Extraction, Finding, Location, Standard
from imtc.validate.registry import rule
from imtc.validate.tables import table_views

# The cells that name a specification: family -> field.
SPEC_FIELDS = {"calibration_items": "specification", "key_parameter_items": "specification",
               "traceability": "basis"}
CALIBRATION_FAMILY = "calibration_items"
UNKNOWN_PREFIX = re.compile(r"(?<![A-Za-z0-9/])([A-Z]{2,8}(?:\s*/\s*[A-Z]{1,4})?)\s*\d")
NO_TRACE = re.compile(r"无法溯源|不能溯源|不可溯源|无溯源|暂无")
PARENS = re.compile(r"[（(][^）)]*[）)]")
TERM_SPLIT = re.compile(r"[、，,;；/／\s]+")


# --- specification codes ----------------------------------------------------------------------


def code_problems(text: str, ref_year: int | None) -> list[tuple[str, str]]:
    """(code as written, what is wrong with it) for each malformed code in a cell's text."""
    code, code_q, code_intl = spec_code_patterns()
    t = fold(text)
    out: list[tuple[str, str]] = []
    masked = list(t)

    def mask(a: int, b: int) -> None:
        masked[a:b] = " " * (b - a)

    for m in code.finditer(t):
        mask(m.start(), m.end())
        num, year = m.group("num"), m.group("year")
        written = t[m.start():m.end()].strip()
        if num is None or code_level(re.sub(r"\s+", "", m.group("prefix")).upper()) is None:
            continue
        problem = _year_problem(year, ref_year, required=True)
        if problem:
            out.append((written, problem))
    for m in code_q.finditer(t):
        mask(m.start(), m.end())
        problem = _year_problem(m.group("qyear"), ref_year, required=False)
        if problem:
            out.append((t[m.start():m.end()].strip(), problem))
    for m in code_intl.finditer(t):
        mask(m.start(), m.end())
    for m in UNKNOWN_PREFIX.finditer("".join(masked)):
        out.append((m.group(1), f"的编号前缀“{m.group(1)}”不是已知的规范、标准代号"))
    return out


def _year_problem(year: str | None, ref_year: int | None, required: bool) -> str | None:
    if year is None:
        return "缺少年号" if required else None
    if len(year) != 4:
        return "的年号不是四位数字"
    y = int(year)
    if y < spec_year_min() or (ref_year is not None and y > ref_year + 1):
        return f"的年号 {y} 不合理"
    return None


def reference_year(ex: Extraction) -> int | None:
    if ex.meta.report_year:
        return ex.meta.report_year
    if ex.meta.submitted_on:
        return int(ex.meta.submitted_on[:4])
    return None


@rule(SPEC_CODE_MALFORMED)
def spec_codes(ex: Extraction) -> Iterator[Finding]:
    ref = reference_year(ex)
    for t in table_views(ex):
        field = SPEC_FIELDS.get(t.kind.family)
        if field is None:
            continue
        for i, r in enumerate(t.rows):
            text = getattr(r, field, None)
            if not text:
                continue
            for code, problem in code_problems(text, ref):
                yield SPEC_CODE_MALFORMED(t.location(i, field), spec=code, problem=problem,
                                          where=f"“{t.kind.title}”第 {i + 1} 行的“{t.label(field)}”")
    for s in ex.entities.standards:
        if s.code and s.status == "published":
            for code, problem in code_problems(s.code, ref):
                yield SPEC_CODE_MALFORMED(s.location, spec=code, problem=problem,
                                          where=f"标准“{s.title or s.code}”")


def has_code(text: str) -> bool:
    t = fold(text)
    return any(p.search(t) for p in spec_code_patterns())


@rule(SPEC_CODE_ABSENT)
def spec_code_absent(ex: Extraction) -> Iterator[Finding]:
    """Non-empty 校准规范 cells with no code; an empty one is required-field-empty's to report."""
    for t in table_views(ex, family=CALIBRATION_FAMILY):
        for i, r in enumerate(t.rows):
            text = r.specification
            if text and not has_code(text):
                yield SPEC_CODE_ABSENT(t.location(i, "specification"), title=t.kind.title, row=i + 1,
                                       instrument=r.instrument or "名称未填写", text=text)


# --- calibration needs, traceability, plans ---------------------------------------------------


def parameter_matches(parameter: str, texts: list[str]) -> bool:
    """A need's parameter (without its brackets) shares a run of at least half its characters
    (and at least 2) with one of `texts`: 交流内阻 ~ 电池内阻测试仪|交流电阻 (内阻), 时序精度 ~ …时序."""
    p = PARENS.sub("", parameter).replace(" ", "")
    if not p:
        return True
    need = max(2, math.ceil(len(p) / 2))
    for text in texts:
        m = SequenceMatcher(None, p, text, autojunk=False).find_longest_match(0, len(p), 0, len(text))
        if m.size >= need:
            return True
    return False


@rule(PLANNED_NEED_UNMATCHED)
def planned_needs(ex: Extraction) -> Iterator[Finding]:
    needs = ex.tables.get("calibration_needs")
    items, equipment = ex.tables.get("calibration_items"), ex.tables.get("equipment")
    if needs is None or not (getattr(items, "rows", None) or getattr(equipment, "rows", None)):
        return  # no table to match against: table-missing / table-empty say so
    texts = [f"{r.instrument or ''}|{r.quantity or ''}" for r in (items.rows if items else [])]
    texts += [f"{r.name or ''}|{r.parameter or ''}" for r in (equipment.rows if equipment else [])]
    for t in table_views(ex, family="needs"):
        if t.kind.name != "calibration_needs":
            continue
        for i, r in enumerate(t.rows):
            if (r.planned or "").strip() == "是" and r.parameter and not parameter_matches(r.parameter, texts):
                yield PLANNED_NEED_UNMATCHED(t.location(i, "parameter"), row=i + 1, parameter=r.parameter)


@rule(TRACEABILITY_GAP)
def traceability_gaps(ex: Extraction) -> Iterator[Finding]:
    for t in table_views(ex, family="traceability"):
        for i, r in enumerate(t.rows):
            if r.status and NO_TRACE.search(r.status):
                yield TRACEABILITY_GAP(t.location(i, "status"), row=i + 1,
                                       parameter=r.need_parameter or "名称未填写", status=r.status)


@rule(PLAN_AMOUNT_MISSING)
def plan_amounts(ex: Extraction) -> Iterator[Finding]:
    for t in table_views(ex, family="equipment"):
        if t.kind.name != "equipment_plan":
            continue
        for i, r in enumerate(t.rows):
            if r.investment_wan is None and r.name:
                yield PLAN_AMOUNT_MISSING(t.location(i, "investment_wan"), row=i + 1, name=r.name)


# --- the report year --------------------------------------------------------------------------


def _dated_events(ex: Extraction) -> Iterator[tuple[str, str, Location]]:
    """(what, date, where) of what the summary part says was done, with its date."""
    e = ex.entities
    for p in e.projects:
        if p.status == "completed" and p.date:
            yield f"项目“{p.title}”通过验收", p.date, p.location
    for s in e.standards:
        if s.status == "published":
            yield from _standard_date(s)
    for a in e.awards:
        if a.date:
            yield f"奖励“{a.prize or a.title}”", a.date, a.location
    for pa in e.papers:
        if pa.date:
            yield f"论文“{pa.title}”发表", pa.date, pa.location
    for tr in e.trainings:
        if tr.date:
            yield f"宣贯培训“{tr.title or tr.kind}”", tr.date, tr.location


def _standard_date(s: Standard) -> Iterator[tuple[str, str, Location]]:
    year = re.search(r"-((?:19|20)\d{2})$", s.code or "")
    if s.date:
        yield f"标准“{s.code or s.title}”发布", s.date, s.location
    elif year:
        yield f"标准“{s.code}”的年号", year.group(1), s.location


@rule(YEAR_INCONSISTENT, YEAR_BEFORE_REPORT)
def report_year(ex: Extraction) -> Iterator[Finding]:
    year = ex.meta.report_year
    if ex.kind != "annual_report" or year is None:
        return
    submitted = ex.meta.submitted_on
    if submitted and int(submitted[:4]) < year:
        yield YEAR_BEFORE_REPORT(Location(), submitted=submitted, year=year)
    for what, date, loc in _dated_events(ex):
        summary = loc.section is not None and loc.section.split(".")[0] == "1"
        if not summary or int(date[:4]) <= year:
            continue
        if submitted and date <= submitted[:len(date)]:
            continue  # after the year, but before the report was sent: possible
        yield YEAR_INCONSISTENT(loc, what=what, date=date, year=year, submitted=submitted or "未填写")


# --- levels of projects and awards ------------------------------------------------------------


@rule(LEVEL_UNKNOWN)
def levels_unknown(ex: Extraction) -> Iterator[Finding]:
    """A project or award counted for the year's work whose level neither the text nor the
    gazetteers give: the expert is asked, it is never taken as 其他."""
    summary = ex.kind != "annual_report"
    for p in ex.entities.projects:
        if p.level is None and (summary or _in_summary(p.location)):
            source = f"资助来源“{p.funder}”" if p.funder else "文中的资助单位或计划名称"
            yield LEVEL_UNKNOWN(p.location, what="项目", title=p.title or "（无题名）", source=source, noun="项目")
    for a in ex.entities.awards:
        if a.level is None and (summary or _in_summary(a.location)):
            yield LEVEL_UNKNOWN(a.location, what="奖励", title=a.title or a.prize or "（无题名）",
                                source=f"奖项名称“{a.prize}”" if a.prize else "授奖单位", noun="奖励")


@rule(STANDARD_LEVEL_UNKNOWN)
def standard_levels_unknown(ex: Extraction) -> Iterator[Finding]:
    """A standard counted for the year's work whose level neither its code nor the text gives: it is
    left out of 2.4.1 and 2.4.2, and the expert is asked, never a silent default."""
    summary = ex.kind != "annual_report"
    for s in ex.entities.standards:
        if s.level is None and (summary or _in_summary(s.location)):
            yield STANDARD_LEVEL_UNKNOWN(s.location, what="标准或技术规范", title=s.title or s.code or "（无题名）")


def _in_summary(loc: Location) -> bool:
    return loc.section is None or loc.section.split(".")[0] == "1"


@rule(PAPER_INDEX_UNCLEAR)
def paper_index_unclear(ex: Extraction) -> Iterator[Finding]:
    """A listed paper whose index class only the list's statement gives, with several classes."""
    for p in ex.entities.papers:
        if p.indexed is None and p.index_statement:
            yield PAPER_INDEX_UNCLEAR(p.location, title=p.title or "（无题名）", statement=p.index_statement)
