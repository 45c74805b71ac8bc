"""The panel workbook (openpyxl): per center, the items × the experts with the panel's figures and flags;
the experts' totals; every finding. Every cell goes through imtc.cells (formula-like text stays text,
unwritable characters are removed)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from imtc import cells
from imtc.atomic import atomic_path
from imtc.cells import put
from imtc.models import Finding
from imtc.panel.models import Panel

FLAG_FILL = PatternFill("solid", fgColor="FFF2CC")
BOLD = Font(bold=True)


def sheet_title(text: str) -> str:
    """A worksheet name Excel accepts: no []:*?/\\, at most 31 characters."""
    return cells.sheet_title(text, "评审组汇总")


def _header(ws: Worksheet, row: int, values: list[str]) -> None:
    for c, v in enumerate(values, start=1):
        put(ws, row, c, v).font = BOLD


def write_workbook(panel: Panel, target: Path) -> Path:
    wb = Workbook()
    _items_sheet(panel, wb.active)
    _totals_sheet(panel, wb.create_sheet("专家总分"))
    _findings_sheet(panel, wb.create_sheet("发现项"))
    with atomic_path(target) as tmp:
        wb.save(str(tmp))
    return target


def _items_sheet(panel: Panel, ws: Worksheet) -> None:
    ws.title = sheet_title(panel.center or "评审组汇总")
    put(ws, 1, 1, f"{panel.center or ''} {panel.year or ''} {panel.rubric_title or ''}（评审组汇总）").font = BOLD
    experts = panel.experts
    _header(ws, 2, ["序号", "评价内容", "分值", *experts, "平均分", "中位数", "最低", "最高", "极差", "评分人数", "合议"])
    for r, a in enumerate(panel.items, start=3):
        values = [a.number if a.key != a.title else a.key, a.title, a.max, *[a.scores.get(e) for e in experts],
                  a.mean, a.median, a.min, a.max_given, a.spread, a.n, "需合议" if a.flagged else ""]
        for c, v in enumerate(values, start=1):
            cell = put(ws, r, c, v)
            if a.flagged:
                cell.fill = FLAG_FILL
    r = len(panel.items) + 4
    for label, key in (("总得分", "total"), ("等级", "grade")):
        put(ws, r, 2, label).font = BOLD
        for c, t in enumerate(panel.expert_totals, start=4):
            put(ws, r, c, t.totals.get(key))
        put(ws, r, 4 + len(experts), panel.totals.get(key)).font = BOLD
        r += 1
    ws.column_dimensions["B"].width = 36
    ws.freeze_panes = "D3"


def _totals_sheet(panel: Panel, totals: Worksheet) -> None:
    parts = [k for k in ("work", "plan", "assigned", "application", "site", "bonus") if k in panel.totals]
    _header(totals, 1, ["专家", "评分表", *parts, "总得分", "等级", "未评分项"])
    rows = [(t.expert, t.file, t.totals) for t in panel.expert_totals] + [("评审组", "", panel.totals)]
    for r, (expert, file, t) in enumerate(rows, start=2):
        values = [expert, file, *[t.get(p) for p in parts], t.get("total"), t.get("grade"), "、".join(t.get("missing", []))]
        for c, v in enumerate(values, start=1):
            put(totals, r, c, v)


def _item_of(finding: Finding) -> str:
    return str((finding.location.model_extra or {}).get("item", ""))


def _findings_sheet(panel: Panel, found: Worksheet) -> None:
    _header(found, 1, ["评分表", "专家", "项目", "级别", "代码", "说明"])
    r = 2
    for s in panel.sheets:
        for f in s.findings:
            for c, v in enumerate([s.file, s.expert or "", _item_of(f), f.severity, f.code, f.message], start=1):
                put(found, r, c, v)
            found.cell(row=r, column=6).alignment = Alignment(wrap_text=True)
            r += 1
    for f in panel.findings:
        for c, v in enumerate(["", "", _item_of(f), f.severity, f.code, f.message], start=1):
            put(found, r, c, v)
        r += 1
    found.column_dimensions["F"].width = 90
