"""`imtc center NAME [--json] [--chart FILE.png] [--date D]` and the desk's edits of one center
(--add, --level, --unit, --industry, --founded, --status/--evaluation with --on). Thin: calls into
imtc.register.service; the terminal view is imtc/register/show.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from imtc.cli import common as c

Day = Annotated[str | None, typer.Option("--date", help="按哪一天判断状态和期限（YYYY-MM-DD；默认今天，只给 --year 时为该年 12 月 31 日）",
                                         metavar="日期", show_default=False)]


def command(
    name: Annotated[str, typer.Argument(help="中心名称（“浙江省”与“浙江”、空格、括号不影响匹配）", metavar="名称", show_default=False)],
    day: Day = None, as_json: c.AsJson = False, db: c.Db = None,
    chart: Annotated[Path | None, typer.Option("--chart", help="把年度趋势图写成 PNG 文件", metavar="文件.png")] = None,
    add: Annotated[bool, typer.Option("--add", help="登记一个新中心")] = False,
    level: Annotated[str | None, typer.Option("--level", help="级别：national（国家）或 provincial（省级）")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="依托单位", metavar="单位")] = None,
    industry: Annotated[str | None, typer.Option("--industry", help="产业", metavar="产业")] = None,
    founded: Annotated[str | None, typer.Option("--founded", help="成立（批准建设）日期 YYYY-MM-DD", metavar="日期")] = None,
    status: Annotated[str | None, typer.Option("--status", help="记录状态变更：申请中、建设中、运行、整改、撤销、取消（日期用 --on）",
                                               metavar="状态")] = None,
    evaluation: Annotated[str | None, typer.Option("--evaluation", help="记录评价结果 类型:年度:等级[:总得分]，如 后续评价:2025:合格:78.5（日期用 --on）",
                                                   metavar="结果")] = None,
    on: Annotated[str | None, typer.Option("--on", help="状态变更或评价的日期 YYYY-MM-DD", metavar="日期")] = None,
    note: Annotated[str | None, typer.Option("--note", help="状态变更的说明", metavar="说明")] = None,
) -> None:
    """一个中心：登记信息、状态记录、各年度文件和数据（η、专利、标准、项目、奖项、论文、总得分、等级）；受理窗口可在此修改。"""
    from imtc.atomic import atomic_path
    from imtc.register import service
    from imtc.register.chart import ChartError
    from imtc.store import Store, StoreError

    try:
        d, _ = service.reference_day(day, None)
        with Store(db) as store:
            done = service.edit(store, name, add=add, status=status, on=on, note=note, evaluation=evaluation,
                                profile={"level": level, "unit": unit, "industry": industry, "founded_on": founded})
            report = service.center_report(store, name, d)
        png = service.chart(report) if chart is not None else None
    except (StoreError, service.RegisterError) as exc:
        raise c.fail(str(exc)) from None
    except ChartError as exc:
        raise c.fail(str(exc)) from None
    if chart is not None and png is not None:
        with atomic_path(chart) as tmp:
            tmp.write_bytes(png)
    if as_json:
        c.print_json(service.as_json(report))
        return
    from imtc.register.show import show_center

    console = c.stdout()
    for line in done:
        console.print(line, markup=False, style="green")
    show_center(report, console)
    if chart is not None:
        console.print(f"趋势图已写入 {chart}", markup=False)
