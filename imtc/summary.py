"""How results are shown to people: the summary table, the summary workbook, a file's short report."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.table import Table as RichTable
from rich.text import Text

from imtc import labels
from imtc.atomic import atomic_path
from imtc.files import display_path, for_terminal
from imtc.locations import location_parts
from imtc.models import Extraction, Location

if TYPE_CHECKING:  # openpyxl is imported where a workbook is written: `imtc extract` never loads it
    from openpyxl.worksheet.worksheet import Worksheet

KIND_LABELS, SEVERITY_LABELS = labels.KIND, labels.SEVERITY  # imtc/templates/labels.toml
SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "dim"}
SHEET_TITLE = "检查汇总"
FIRST_ERRORS = 3  # error messages quoted in the workbook, per file

# The tables whose figures the workbook quotes, by document kind: an application's own tables,
# an annual report's plan for the next year.
FIGURE_TABLES = {
    "application": {"equipment": "equipment", "calibration": "calibration_items",
                    "key_parameter": "key_parameter_items"},
    "annual_report": {"equipment": "equipment_plan", "calibration": "calibration_items_plan",
                      "key_parameter": "key_parameter_items_plan"},
}
FIGURES_NOTE = "申请书：测量仪器设备配置表等；年度报告：下年度购置计划及新建项目能力表"

Result = tuple[Path, Extraction]


@dataclass(frozen=True)
class Figures:
    equipment_rows: int | None = None
    equipment_total_wan: float | None = None  # the stated 合计, else the sum of the rows
    calibration_items: int | None = None
    key_parameter_items: int | None = None


def key_figures(ex: Extraction) -> Figures:
    kinds = FIGURE_TABLES.get(ex.kind)
    if kinds is None:
        return Figures()
    tables = {name: t for name, kind in kinds.items()
              if (t := ex.tables.get(kind)) is not None and t.status != "missing"}
    counts = {name: len(t.rows) for name, t in tables.items()}
    total = None
    if "equipment" in tables:
        total = getattr(tables["equipment"], "total_wan", None)
        amounts = [a for r in tables["equipment"].rows if (a := getattr(r, "investment_wan", None)) is not None]
        if total is None and amounts:
            total = round(math.fsum(amounts), 4)
    return Figures(counts.get("equipment"), total, counts.get("calibration"), counts.get("key_parameter"))


def format_location(loc: Location) -> str:
    """"第 3 页 · 章节 8.2 · 第 2 行" (rows 1-based, as people count them)."""
    return " · ".join(location_parts(loc, include=("page", "section", "row")))


def file_report(path: Path, ex: Extraction) -> list[Text]:
    """A file's short report for the terminal: one headline, then one line per finding."""
    counts = ex.counts()
    head = Text(f"{for_terminal(display_path(path))}：{KIND_LABELS[ex.kind]}", style="bold")
    if ex.meta.center_name:
        head.append(f" · {for_terminal(ex.meta.center_name)}", style="bold")
    head.append(f" · 错误 {counts['error']} · 警告 {counts['warning']} · 提示 {counts['info']}")
    lines = [head]
    for f in ex.findings:
        line = Text("  ")
        line.append(SEVERITY_LABELS[f.severity], style=SEVERITY_STYLES[f.severity])
        where = format_location(f.location)
        message = for_terminal(f.message)
        line.append(f"  [{where}] {message}" if where else f"  {message}")
        lines.append(line)
    return lines


def summary_table(results: Sequence[Result]) -> RichTable:
    table = RichTable(title="检查结果汇总", show_lines=False)
    for header in ("文件", "中心名称", "类型"):
        table.add_column(header, overflow="fold")
    table.add_column(SEVERITY_LABELS["error"], justify="right")
    table.add_column(SEVERITY_LABELS["warning"], justify="right")
    for path, ex in results:
        counts = ex.counts()
        table.add_row(
            Text(for_terminal(display_path(path))), Text(for_terminal(ex.meta.center_name or "—")),
            Text(KIND_LABELS[ex.kind], style="red" if ex.kind == "unreadable" else ""),
            Text(str(counts["error"]), style="bold red" if counts["error"] else ""),
            Text(str(counts["warning"]), style="yellow" if counts["warning"] else ""))
    return table


# (header, width) of the workbook's columns, in order.
COLUMNS = [("文件", 40), ("类型", 10), ("中心名称", 34), ("申报单位", 28), ("错误数", 8), ("警告数", 8),
           ("提示数", 8), ("设备行数", 10), ("设备投资合计(万元)", 18), ("校准项目数", 11),
           ("关键参数项目数", 15), ("主要错误", 80)]
FIGURE_HEADERS = ("设备行数", "设备投资合计(万元)", "校准项目数", "关键参数项目数")


def workbook_row(path: Path, ex: Extraction) -> list[Any]:
    counts = ex.counts()
    fig = key_figures(ex)
    errors = [f.message for f in ex.findings if f.severity == "error"]
    first = "\n".join(errors[:FIRST_ERRORS])
    if len(errors) > FIRST_ERRORS:
        first += f"\n……另有 {len(errors) - FIRST_ERRORS} 条错误"
    return [display_path(path), KIND_LABELS[ex.kind], ex.meta.center_name, ex.meta.applicant,
            counts["error"], counts["warning"], counts["info"], fig.equipment_rows,
            fig.equipment_total_wan, fig.calibration_items, fig.key_parameter_items, first or None]


@dataclass(frozen=True)
class ReviewFigures:
    """What `imtc check --review` adds to a file's row: the rubric's key figures and where the review
    documents are (`link`: their folder, relative to the workbook). imtc/review.py fills it."""

    year: int | None = None
    eta_equipment: float | None = None  # annex 5 1.2.1
    eta_calibration: float | None = None  # 1.3.2
    eta_key_parameter: float | None = None  # 1.4.4
    patents: int | None = None
    standards: int | None = None
    projects: int | None = None
    total: float | None = None  # the total the computed items give (the expert's items at 0 until scored)
    open_items: int | None = None  # items left to the expert
    link: str | None = None
    note: str | None = None  # why a file has no review documents


# (header, width, comment) of the columns `--review` adds after COLUMNS.
REVIEW_COLUMNS = [
    ("年度", 7, "年度工作总结：总结的年度；申请书：申报年份"),
    ("η 设备购置(1.2.1)", 12, "附件5 1.2.1：上一份计划的设备购置行中本年度已完成的比例"),
    ("η 校准项目(1.3.2)", 12, "附件5 1.3.2：上一份计划的新建校准项目中本年度已完成的比例"),
    ("η 关键参数(1.4.4)", 12, "附件5 1.4.4：上一份计划的新建关键参数测量项目中本年度已完成的比例"),
    ("专利数", 8, "已授权专利 + 有申请号的已申请专利（附件5 2.5.1 口径）"),
    ("标准数", 8, "国家、行业、地方标准和技术规范，含正在编制的；团体标准不计（附件5 2.4.1 口径）"),
    ("项目数", 8, "文档列出的科研项目数（完成和在研）"),
    ("预评总得分", 10, "已自动计分项目按细则公式合计的总得分；待专家评分的项目按0分计（全部计分后即为总得分）"),
    ("待专家评分项", 11, "留待专家评分的项目数"),
    ("评审文件", 24, "预填的评审文件（Word 与 HTML）所在文件夹"),
]
PERCENT_HEADERS = {"η 设备购置(1.2.1)", "η 校准项目(1.3.2)", "η 关键参数(1.4.4)"}


def review_row(fig: ReviewFigures | None) -> list[Any]:
    if fig is None:
        return [None] * len(REVIEW_COLUMNS)
    return [fig.year, fig.eta_equipment, fig.eta_calibration, fig.eta_key_parameter, fig.patents,
            fig.standards, fig.projects, fig.total, fig.open_items, fig.note or fig.link]


def _review_cells(ws: Worksheet, reviews: Sequence[ReviewFigures | None], target: Path) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from imtc.cells import as_text, put

    first = len(COLUMNS) + 1
    for i, (header, width, note) in enumerate(REVIEW_COLUMNS, start=first):
        ws.column_dimensions[get_column_letter(i)].width = width
        cell = ws.cell(row=1, column=i, value=header)
        cell.font = Font(bold=True)
        cell.comment = Comment(note, "imtc")
    for r, fig in enumerate(reviews, start=2):
        for c, value in enumerate(review_row(fig), start=first):
            cell = put(ws, r, c, value)
            if REVIEW_COLUMNS[c - first][0] in PERCENT_HEADERS:
                cell.number_format = "0.0%"
        if fig is not None and fig.link and not fig.note:
            rel = os.path.relpath(fig.link, target.parent) if Path(fig.link).is_absolute() else fig.link
            cell = put(ws, r, first + len(REVIEW_COLUMNS) - 1, rel)
            cell.hyperlink = str(cell.value).replace(os.sep, "/")
            cell.style = "Hyperlink"
            as_text(cell)  # the style replaced the quote prefix


def write_workbook(results: Sequence[Result], target: Path,
                   reviews: Sequence[ReviewFigures | None] | None = None) -> None:
    """summary.xlsx: one row per file; written atomically. With `reviews` (one per result, None for a
    file without review documents), the review columns follow the check columns."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from imtc.cells import append

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    append(ws, [header for header, _ in COLUMNS])
    for path, ex in results:
        append(ws, workbook_row(path, ex))
    for i, (header, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        if header in FIGURE_HEADERS:
            cell.comment = Comment(FIGURES_NOTE, "imtc")
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=2, max_col=len(COLUMNS)):
        row[-1].alignment = wrap
    if reviews is not None:
        _review_cells(ws, reviews, target)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    with atomic_path(target) as tmp:
        wb.save(tmp)
