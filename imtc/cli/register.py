"""`imtc centers` and `imtc center NAME`: the bureau's register (imtc/register/). Thin: every
command is one call into imtc.register.service."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table as RichTable

from imtc.cli import common as c

Day = Annotated[str | None, typer.Option("--date", help="按哪一天判断状态和期限（YYYY-MM-DD；默认今天，只给 --year 时为该年 12 月 31 日）",
                                         metavar="日期", show_default=False)]
Year = Annotated[int | None, typer.Option("--year", help="计算哪一年度的报送、评价义务（默认 --date 所在年份）", metavar="年度",
                                          show_default=False)]


def _print_json(data: object) -> None:
    typer.echo(c.to_json(data))


def centers_command(
    due: Annotated[bool, typer.Option("--due", help="只列出有待办事项的中心：未报送年度工作总结、本年度应参加后续评价、整改期将满或已满")] = False,
    year: Year = None, day: Day = None, as_json: c.AsJson = False, db: c.Db = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="另写登记表工作簿（中心、状态记录、年度数据）", metavar="文件.xlsx")] = None,
    load: Annotated[Path | None, typer.Option("--load", help="先载入受理窗口的登记文件（TOML：中心、状态变更、评价结果）", metavar="文件.toml")] = None,
) -> None:
    """记录库中的全部中心：状态、下一期限和待办事项（管理办法第十条至第十九条）。"""
    from imtc.register import service
    from imtc.store import Store, StoreError

    try:
        d, y = service.reference_day(day, year)
        with Store(db) as store:
            if load is not None:
                from imtc.register.desk import load_desk_file

                n = load_desk_file(service.Register(store), load)
                Console(stderr=True, highlight=False).print(f"已载入登记文件“{load}”中的 {n} 个中心", markup=False)
            result = service.listing(store, d, y, due_only=due)
            if out is not None:
                service.export(store, out, d, y)
    except (StoreError, service.RegisterError) as exc:
        raise c.fail(str(exc)) from None
    if as_json:
        _print_json(service.as_json(result))
    else:
        _show_listing(result)
    if out is not None and not as_json:
        Console(highlight=False).print(f"登记表已写入 {out}", markup=False)


def _show_listing(result: object) -> None:
    from imtc.register.export import due_text

    title = f"{'待办' if result.due_only else '全部'}中心（{result.date}，{result.year} 年度）"  # type: ignore[attr-defined]
    table = RichTable(title=title)
    for header in ("中心名称", "级别", "依托单位", "成立日期", "状态", "下一期限", "待办事项"):
        table.add_column(header, overflow="fold")
    for v in result.centers:  # type: ignore[attr-defined]
        table.add_row(v.name, v.level_label or "？", v.unit or "", v.founded_on or "未记录", v.status or "未记录",
                      v.next_deadline or "", due_text(v) or "—")
    console = Console(highlight=False)
    console.print(table)
    for v in result.centers:  # type: ignore[attr-defined]
        for note in v.notes:
            console.print(f"{v.name}：{note}", markup=False, style="yellow")


def center_command(
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
        _print_json(service.as_json(report))
        return
    from imtc.register.show import show_center

    console = Console(highlight=False)
    for line in done:
        console.print(line, markup=False, style="green")
    show_center(report, console)
    if chart is not None:
        console.print(f"趋势图已写入 {chart}", markup=False)


def package_command(
    path: Annotated[Path, typer.Argument(help="一个中心的申请材料：文件夹或 zip 压缩包", metavar="路径", show_default=False)],
    as_json: c.AsJson = False,
) -> None:
    """按管理办法第八条检查一个中心的申请材料是否齐全：申请推荐文件、申请书（附件1）、地方政府配套支持文件。"""
    from imtc.register.materials import ROLE_LABELS, PackageError, check_path

    try:
        report, _ = check_path(path)
    except PackageError as exc:
        raise c.fail(str(exc)) from None
    if as_json:
        _print_json(report.model_dump(mode="json"))
    else:
        console = Console(highlight=False)
        console.print(f"申请材料“{report.package}”（{report.center_name or '中心名称未识别'}）", style="bold", markup=False)
        for m in report.members:
            console.print(f"  {m.file}：{ROLE_LABELS.get(m.role or '', '无法判断')}（{m.why}）", markup=False)
        for f in report.findings:
            style = {"error": "bold red", "warning": "yellow"}.get(f.severity, "")
            console.print(f"  {f.message}", markup=False, style=style)
        if not report.findings:
            console.print("  材料齐全。", markup=False, style="green")
    raise typer.Exit(1 if any(f.severity == "error" for f in report.findings) else 0)
