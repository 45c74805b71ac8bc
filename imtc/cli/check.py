"""`imtc check PATH... [--out DIR] [--review]`: a batch checked, with the summary workbook; with
`--review`, the intake desk's round (imtc/cli/round.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from imtc.cli import common as c


def command(
    paths: c.Paths,
    out: c.OutDir = c.DEFAULT_OUT,
    silent: c.Silent = False,
    jobs: c.Jobs = None,
    timeout: c.Timeout = c.DEFAULT_TIMEOUT_S,
    follow_links: c.FollowLinks = False,
    review: Annotated[bool, typer.Option("--review", help="同时为每份申请书和年度工作总结生成专家评审预填文件（写入输出文件夹的 "
                                         "review/）；再次运行时跳过内容未变、已完成的文件")] = False,
    db: Annotated[str | None, typer.Option("--db", help="记录库（--review 用它查找各中心的上一份计划）：数据库 URL 或 "
                                           "SQLite 文件路径", metavar="URL", show_default=False)] = None,
) -> None:
    """批量检查文件或文件夹，输出汇总表；每个文件的结果和 summary.xlsx 写入输出文件夹。"""
    files = c.collect(paths, follow_links)
    out = out or c.DEFAULT_OUT
    c.prepare_out(out)
    if review:
        from imtc.cli.round import review_round

        raise typer.Exit(review_round(files, out, jobs=c.jobs_or_default(jobs), timeout=timeout, silent=silent, db=db))
    from rich.markup import escape

    from imtc.summary import summary_table, write_workbook

    results = []
    progress = c.progress(silent)
    interrupted = False
    with progress:
        task = progress.add_task("检查中", total=len(files))
        try:
            for result in c.checked(files, out, c.jobs_or_default(jobs), timeout):
                results.append(result)
                progress.update(task, advance=1, description=f"已完成 {escape(c.shown(Path(result[0].name)))}")
            progress.update(task, description="检查完成")
        except KeyboardInterrupt:  # Ctrl-C: the workers are stopped (batch.run); what finished is written out
            interrupted = True
    results = c.in_order(files, iter(results))
    with c.writing(out / "summary.xlsx") as target:
        write_workbook(results, target)
    console = c.stdout()
    console.print(summary_table(results))
    if interrupted:
        c.stderr().print(f"已中断：{len(files)} 个文件中已完成 {len(results)} 个，其结果和汇总表 summary.xlsx "
                         f"已写入 {c.shown(out)}", style="bold red", markup=False)
        raise typer.Exit(c.EXIT_INTERRUPTED)
    console.print(f"每个文件的结果和汇总表 summary.xlsx 已写入 {c.shown(out)}", markup=False)
    raise typer.Exit(c.exit_code(results, errors_fail=True))
