"""One center in the terminal (imtc center NAME): its record, status history, documents by year and
figures per year."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from imtc import labels
from imtc.register.export import due_text
from imtc.register.service import CenterReport
from imtc.register.state import SOURCE_LABELS

KIND_WORDS = {**labels.KIND, "evaluation": "（仅评价结果）"}  # imtc/templates/labels.toml


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"


def _n(x: object) -> str:
    return "—" if x is None else str(x)


def show_center(report: CenterReport, console: Console) -> None:
    v = report.center
    console.print(f"{v.name}（{v.level_label or '级别未知'}）", style="bold", markup=False)
    for label, value in (("依托单位", v.unit), ("产业", v.industry), ("成立日期", v.founded_on),
                         ("状态", f"{v.status or '未记录'}" + (f"（自 {v.status_since}）" if v.status_since else "")),
                         ("下一期限", v.next_deadline), ("待办事项", due_text(v)),
                         ("不予新建申请至", v.barred_until)):
        if value:
            console.print(f"  {label}：{value}", markup=False)
    for note in [v.status_note, *v.notes]:
        if note:
            console.print(f"  说明：{note}", markup=False, style="yellow")
    history = RichTable(title="状态记录")
    for h in ("日期", "状态", "来源", "说明"):
        history.add_column(h)
    for c in v.history:
        history.add_row(c.on, c.status, SOURCE_LABELS.get(c.source, c.source), c.note or "")
    console.print(history)
    docs = RichTable(title="各年度文件")
    for h in ("年度", "类型", "文件", "报送日期", "错误", "警告"):
        docs.add_column(h)
    for d in v.documents:
        docs.add_row(_n(d.year), KIND_WORDS.get(d.kind, d.kind), d.file_name, d.submitted_on or "", str(d.errors),
                     str(d.warnings))
    console.print(docs)
    figs = RichTable(title="年度数据")
    for h in ("年度", "文件", "η设备", "η校准", "η关键参数", "专利", "标准", "项目", "奖项", "论文", "预评总分", "评价总分", "等级"):
        figs.add_column(h)
    for f in report.figures:
        figs.add_row(str(f.year), f.file_name or KIND_WORDS["evaluation"], _pct(f.eta_equipment),
                     _pct(f.eta_calibration), _pct(f.eta_key_parameter), _n(f.patents), _n(f.standards),
                     _n(f.projects), _n(f.awards), _n(f.papers), _n(f.prefilled_total), _n(f.total), f.grade or "—")
    console.print(figs)
