"""A center's state on a given day, from plain facts: its status history, founding date and the
obligations the measures put on it in a year (第十条 annual report by 30 November, 第十一条
后续评价 every two years once two years old, 第十二条 整改 within six months of 不合格, 第十九条 no
new application for three years after 撤销). Pure functions; imtc/register/records.py reads the facts.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import BaseModel

from imtc import labels

STATUSES = ("申请中", "建设中", "运行", "整改", "撤销", "取消")
ACTIVE = ("建设中", "运行", "整改")  # the statuses that owe reports and evaluations
GRADES = (labels.EXCELLENT, labels.PASSED, labels.FAILED)
EVALUATION_KINDS = ("后续评价", "符合性评价")
REPORT_DEADLINE = (11, 30)  # 第十条: 每年11月底前
EVALUATION_EVERY = 2  # 第十一条: 每2年 … 成立不满2年的不参加
RECTIFICATION_MONTHS = 6  # 第十二条
BAR_YEARS = 3  # 第十九条

Source = Literal["application", "annual_report", "desk", "panel", "evaluation"]
SOURCE_LABELS = {"application": labels.KIND["application"], "annual_report": labels.KIND["annual_report"],
                 "desk": "受理窗口", "panel": "专家评审结果", "evaluation": "评价结果"}
WHAT_LABELS = {"annual_report": "报送年度工作总结和下年度工作计划（第十条）",
               "evaluation": "后续评价（第十一条）",
               "rectification": "整改期满（第十二条）"}


class StatusChange(BaseModel):
    status: str
    on: str
    source: Source
    note: str | None = None


class Evaluation(BaseModel):
    kind: str
    year: int
    grade: str
    total: float | None = None
    on: str
    source: str = "desk"


class Obligation(BaseModel):
    what: Literal["annual_report", "evaluation", "rectification"]
    label: str
    year: int
    deadline: str
    met: bool
    overdue: bool


@dataclass
class Facts:
    """Everything recorded about one center (documents reduced to what the calendar needs)."""

    founded_on: str | None = None  # the desk's
    applications: list[str] = field(default_factory=list)  # submission dates
    reports: list[tuple[int | None, str | None]] = field(default_factory=list)  # (year, submitted_on)
    events: list[StatusChange] = field(default_factory=list)  # the desk's and the panels', in recording order
    evaluations: list[Evaluation] = field(default_factory=list)


@dataclass
class State:
    status: str | None
    status_since: str | None
    status_note: str | None
    founded_on: str | None
    history: list[StatusChange]
    obligations: list[Obligation]
    barred_until: str | None
    notes: list[str]
    year: int

    @property
    def due(self) -> list[Obligation]:
        """What is owed in the year: obligations not met whose deadline falls in it or before (an
        整改 period ending next year is not yet due, but it is the next deadline)."""
        return [o for o in self.obligations if not o.met and o.year <= self.year]

    def next_deadline(self, as_of: date) -> str | None:
        pending = [o.deadline for o in self.obligations if not o.met]
        if pending:
            return min(pending)
        if self.status in ACTIVE:
            month, day = REPORT_DEADLINE
            this = date(as_of.year, month, day)
            return (this if as_of <= this else date(as_of.year + 1, month, day)).isoformat()
        return self.barred_until if self.barred_until and self.barred_until > as_of.isoformat() else None


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def parse_date(text: str | None) -> date | None:
    """An ISO date (YYYY-MM-DD), else None."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def timeline(facts: Facts, as_of: date) -> list[StatusChange]:
    """Every status change up to `as_of`, oldest first: applications (申请中), the desk's and the
    panels' changes, and what evaluations imply (后续评价 不合格 → 整改; passing it while 整改 → 运行)."""
    day = as_of.isoformat()
    changes: list[tuple[str, int, int, StatusChange]] = []
    for i, on in enumerate(facts.applications):
        changes.append((on, 0, i, StatusChange(status="申请中", on=on, source="application")))
    for i, e in enumerate(facts.events):
        changes.append((e.on, 1, i, e))
    for i, ev in enumerate(facts.evaluations):
        if ev.kind == "后续评价" and ev.grade == "不合格":
            changes.append((ev.on, 2, i, StatusChange(status="整改", on=ev.on, source="evaluation",
                                                      note=f"{ev.year}年度后续评价不合格")))
    changes = sorted((c for c in changes if c[0] <= day), key=lambda c: c[:3])
    out: list[StatusChange] = []
    passed = sorted(((ev.on, ev) for ev in facts.evaluations
                     if ev.kind == "后续评价" and ev.grade != "不合格" and ev.on <= day), key=lambda p: p[0])
    for _, _, _, change in changes:
        out.append(change)
    for on, ev in passed:  # a passing evaluation ends an open 整改
        before = [c for c in out if c.on <= on]
        if before and before[-1].status == "整改":
            out.insert(len(before), StatusChange(status="运行", on=on, source="evaluation",
                                                 note=f"{ev.year}年度后续评价{ev.grade}，整改结束"))
    return out


def founded(facts: Facts, history: list[StatusChange]) -> str | None:
    if facts.founded_on:
        return facts.founded_on
    return next((c.on for c in history if c.status in ("建设中", "运行")), None)


def state(facts: Facts, as_of: date, year: int | None = None) -> State:
    """The center's state on `as_of` and its obligations of `year` (default: as_of's year)."""
    year = year or as_of.year
    day = as_of.isoformat()
    history = timeline(facts, as_of)
    notes: list[str] = []
    status = history[-1].status if history else None
    since = history[-1].on if history else None
    note = history[-1].note if history else None
    reports = [(y, on) for y, on in facts.reports if on is None or on <= day]
    if status in (None, "申请中") and reports:
        later = [on for _, on in reports if on and (since is None or on >= since)]
        if later or since is None:
            status, since = "运行", min(later) if later else None
            note = "由年度工作总结推定：记录库中有年度工作总结，但未记录批准建设的日期"
            notes.append("未记录批准建设的日期和状态，当前状态由年度工作总结推定，请受理窗口补充。")
    founded_on = founded(facts, history)
    obligations: list[Obligation] = []
    if status in ACTIVE:
        obligations += _report(founded_on, reports, year, as_of)
        obligations += _evaluation(facts, status, founded_on, year, as_of, notes)
        obligations += _rectification(status, since, year, as_of)
    revoked = [c.on for c in history if c.status == "撤销"]
    barred = add_years(parse_date(revoked[-1]), BAR_YEARS).isoformat() if revoked and parse_date(revoked[-1]) else None
    return State(status=status, status_since=since, status_note=note, founded_on=founded_on, history=history,
                 obligations=obligations, barred_until=barred, notes=notes, year=year)


def add_years(d: date | None, years: int) -> date:
    assert d is not None
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _report(founded_on: str | None, reports: list[tuple[int | None, str | None]], year: int,
            as_of: date) -> list[Obligation]:
    month, day = REPORT_DEADLINE
    deadline = date(year, month, day)
    if founded_on and founded_on > deadline.isoformat():
        return []
    met = any(y == year for y, _ in reports)
    return [Obligation(what="annual_report", label=WHAT_LABELS["annual_report"], year=year,
                       deadline=deadline.isoformat(), met=met, overdue=not met and as_of > deadline)]


def _evaluation(facts: Facts, status: str, founded_on: str | None, year: int, as_of: date,
                notes: list[str]) -> list[Obligation]:
    if status == "整改":
        return []  # the rectification's own deadline stands for it
    start = parse_date(founded_on)
    if start is None:
        notes.append("未记录成立（批准建设）日期，无法判断本年度是否应参加后续评价（第十一条），请受理窗口补充。")
        return []
    end = date(year, 12, 31)
    if add_years(start, EVALUATION_EVERY) > end:
        return []  # 成立不满2年的不参加后续评价
    done = [ev.year for ev in facts.evaluations if ev.kind == "后续评价" and ev.on <= as_of.isoformat()]
    met = bool(done) and max(done) > year - EVALUATION_EVERY
    return [Obligation(what="evaluation", label=WHAT_LABELS["evaluation"], year=year, deadline=end.isoformat(),
                       met=met, overdue=not met and as_of > end)]


def _rectification(status: str, since: str | None, year: int, as_of: date) -> list[Obligation]:
    start = parse_date(since)
    if status != "整改" or start is None:
        return []
    deadline = add_months(start, RECTIFICATION_MONTHS)
    return [Obligation(what="rectification", label=WHAT_LABELS["rectification"], year=deadline.year,
                       deadline=deadline.isoformat(), met=False, overdue=as_of > deadline)]
