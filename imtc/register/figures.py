"""A center's figures year by year: the rubric's key figures of each annual report (η of annex 5
1.2.1, 1.3.2, 1.4.4 against the previous plan in the store; patents, standards, projects, awards,
papers), the pre-filled total, and the evaluation's total and grade where the desk or a panel
recorded one."""

from __future__ import annotations

from pydantic import BaseModel

from imtc.register.records import CenterView
from imtc.store import Recorded, Store, history_before, plan_before

FIGURE_LABELS = {
    "eta_equipment": "η 设备购置(1.2.1)", "eta_calibration": "η 校准项目(1.3.2)",
    "eta_key_parameter": "η 关键参数(1.4.4)", "patents": "专利", "standards": "标准", "projects": "项目",
    "awards": "奖项", "papers": "论文", "prefilled_total": "预评总得分", "total": "评价总得分", "grade": "评价等级",
}


class YearFigures(BaseModel):
    year: int
    kind: str  # annual_report / application / evaluation (a year known only from its evaluation)
    file_name: str | None = None
    eta_equipment: float | None = None
    eta_calibration: float | None = None
    eta_key_parameter: float | None = None
    patents: int | None = None
    standards: int | None = None
    projects: int | None = None
    awards: int | None = None
    papers: int | None = None
    prefilled_total: float | None = None
    open_items: int | None = None
    total: float | None = None
    grade: str | None = None


def figures_by_year(store: Store, view: CenterView) -> list[YearFigures]:
    """One row per year: the year's (latest) annual report, else its application; oldest first."""
    from imtc.review import review_figures
    from imtc.score_assist import score

    docs = store.documents(view.name)  # oldest first, each read once
    latest: dict[int, Recorded] = {}
    for r in docs:  # a later recording of a year wins; a report wins over an application
        if r.year is not None and (r.kind == "annual_report" or latest.get(r.year) is None
                                   or latest[r.year].kind != "annual_report"):
            latest[r.year] = r
    rows: dict[int, YearFigures] = {}
    for year, r in sorted(latest.items()):
        ex = r.extraction
        found = plan_before(docs, r.kind, r.year, r.sha256)
        previous = found.extraction if found else None
        history = [d.extraction for d in history_before(docs, r.year, r.sha256)]
        fig = review_figures(ex, score(ex, previous=previous, history=history))
        rows[year] = YearFigures(
            year=year, kind=ex.kind, file_name=r.file_name, eta_equipment=fig.eta_equipment,
            eta_calibration=fig.eta_calibration, eta_key_parameter=fig.eta_key_parameter, patents=fig.patents,
            standards=fig.standards, projects=fig.projects, awards=len(ex.entities.awards),
            papers=len(ex.entities.papers), prefilled_total=fig.total, open_items=fig.open_items)
    for ev in view.evaluations:
        row = rows.setdefault(ev.year, YearFigures(year=ev.year, kind="evaluation"))
        if ev.kind == "后续评价" or row.grade is None:
            row.total, row.grade = ev.total, ev.grade
    return [rows[y] for y in sorted(rows)]
