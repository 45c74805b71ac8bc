"""`imtc panel PATH... --out DIR [--json]`: the experts' filled sheets read back, checked and aggregated;
the final report, the panel workbook and the aggregate's JSON written into DIR; the result recorded in
the store by center and year. Thin over imtc/panel (run.py): `command` is the whole command, heavy imports inside it.
Exit status: 0 aggregated (findings or not); 2 nothing could be aggregated."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from imtc.cli import common as c

if TYPE_CHECKING:
    from imtc.panel.models import Panel

EXIT_OK, EXIT_NOTHING = 0, 2


def command(
    paths: Annotated[list[Path], typer.Argument(help="专家填好的评分表（.docx/.doc/.pdf）或其所在文件夹", metavar="评分表", show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="输出文件夹：汇总报告、汇总工作簿、汇总 JSON", metavar="文件夹")],
    as_json: Annotated[bool, typer.Option("--json", help="在标准输出打印汇总结果（JSON）")] = False,
    spread: Annotated[float | None, typer.Option(
        "--spread", min=0, help="同一项专家评分的极差超过此分数时标记为需合议（默认取 IMTC_PANEL_SPREAD，未设置时为3分）")] = None,
    center: Annotated[str | None, typer.Option("--center", help="只汇总该中心的评分表（默认：多数评分表所属的中心）")] = None,
    year: Annotated[int | None, typer.Option("--year", help="只汇总该年度的评分表（默认：多数评分表所属的年度）")] = None,
    db: c.Db = None,
) -> None:
    """汇总评审组专家的评分表：逐项平均分、中位数、极差，专家与评审组总得分和等级，写出附件6/附件3汇总报告和工作簿。"""
    from imtc.panel.run import run_panel, write_outputs
    from imtc.panel.store import save_panel
    from imtc.review import ReviewTemplateError

    result = run_panel(paths, spread=spread, center=center, year=year)
    try:
        written = write_outputs(result, out)
    except ReviewTemplateError as exc:
        raise c.fail(str(exc)) from None
    problem = save_panel(result, db)
    if problem:
        c.warn(f"{problem}（汇总结果已写入文件）")
    if as_json:
        typer.echo(result.model_dump_json(indent=1))
    else:
        _print(result, written)
    if result.rubric is None:
        raise typer.Exit(EXIT_NOTHING)


def _print(result: Panel, written: list[Path]) -> None:
    from imtc.panel.report import status

    console = c.stdout()
    for s in result.sheets:
        mark = "计入" if s.counted else "未计入"
        console.print(f"{s.file}：{s.expert or '（未知专家）'}，{mark}", markup=False)
        for f in s.findings:
            console.print(f"  [{f.severity}] {f.message}", markup=False)
    for f in result.findings:
        console.print(f"[{f.severity}] {f.message}", markup=False)
    if result.rubric is not None:
        console.print(status(result), markup=False)
    for path in written:
        console.print(f"  {path}", markup=False)

