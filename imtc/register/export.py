"""The register as a workbook: 中心 (one row per center: status, deadlines, what is due), 状态记录
(every status change), 年度数据 (figures per center and year). Every cell through imtc.cells."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from imtc.atomic import atomic_path
from imtc.cells import put
from imtc.register.figures import YearFigures
from imtc.register.records import CenterView
from imtc.register.state import SOURCE_LABELS

CENTER_COLUMNS = [("中心名称", 34), ("级别", 6), ("依托单位", 28), ("产业", 12), ("成立日期", 11), ("状态", 7),
                  ("状态起始", 11), ("下一期限", 11), ("待办事项", 50), ("不予新建申请至", 13), ("说明", 50)]
HISTORY_COLUMNS = [("中心名称", 34), ("日期", 11), ("状态", 7), ("来源", 12), ("说明", 40)]
PERCENT = "0.0%"
FIGURE_COLUMNS = [("中心名称", 34), ("年度", 6), ("文件", 30), ("η 设备购置(1.2.1)", 12, PERCENT),
                  ("η 校准项目(1.3.2)", 12, PERCENT), ("η 关键参数(1.4.4)", 12, PERCENT), ("专利", 6), ("标准", 6),
                  ("项目", 6), ("奖项", 6), ("论文", 6), ("预评总得分", 10), ("评价总得分", 10), ("评价等级", 8)]
Column = tuple[str, int] | tuple[str, int, str]
"""A column: its header, its width and, where the cells need one, their number format."""


def due_text(v: CenterView) -> str:
    return "；".join(f"{o.label}，期限 {o.deadline}{'（已逾期）' if o.overdue else ''}" for o in v.due)


def _sheet(wb: Workbook, title: str, columns: Sequence[Column], rows: Sequence[Sequence[object]],
           first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    for c, (header, width, *_) in enumerate(columns, start=1):
        put(ws, 1, c, header).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(c)].width = width
    formats = [column[2] if len(column) > 2 else None for column in columns]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = put(ws, r, c, value)
            if formats[c - 1]:
                cell.number_format = formats[c - 1]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def write_register(target: Path, views: Sequence[CenterView], figures: dict[str, list[YearFigures]]) -> None:
    """register.xlsx, written atomically."""
    wb = Workbook()
    _sheet(wb, "中心", CENTER_COLUMNS, [
        [v.name, v.level_label, v.unit, v.industry, v.founded_on, v.status or "未记录", v.status_since,
         v.next_deadline, due_text(v) or None, v.barred_until, "；".join(v.notes) or None] for v in views], first=True)
    _sheet(wb, "状态记录", HISTORY_COLUMNS, [
        [v.name, c.on, c.status, SOURCE_LABELS.get(c.source, c.source), c.note] for v in views for c in v.history])
    _sheet(wb, "年度数据", FIGURE_COLUMNS, [
        [v.name, f.year, f.file_name, f.eta_equipment, f.eta_calibration, f.eta_key_parameter, f.patents, f.standards,
         f.projects, f.awards, f.papers, f.prefilled_total, f.total, f.grade]
        for v in views for f in figures.get(v.key, [])])
    with atomic_path(target) as tmp:
        wb.save(tmp)
