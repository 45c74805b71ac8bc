"""`imtc centers [--due] [--year Y] [--date D] [--json] [--out FILE.xlsx] [--load FILE.toml]`: every
center of the register (imtc/register/) with its status, next deadline and what it owes. Thin: one
call into imtc.register.service."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from imtc.cli import common as c

Day = Annotated[str | None, typer.Option("--date", help="按哪一天判断状态和期限（YYYY-MM-DD；默认今天，只给 --year 时为该年 12 月 31 日）",
                                         metavar="日期", show_default=False)]
Year = Annotated[int | None, typer.Option("--year", help="计算哪一年度的报送、评价义务（默认 --date 所在年份）", metavar="年度",
                                          show_default=False)]


def command(
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
                c.stderr().print(f"已载入登记文件“{load}”中的 {n} 个中心", markup=False)
            result = service.listing(store, d, y, due_only=due)
            if out is not None:
                service.export(store, out, d, y)
    except (StoreError, service.RegisterError) as exc:
        raise c.fail(str(exc)) from None
    if as_json:
        c.print_json(service.as_json(result))
    else:
        _show_listing(result)
    if out is not None and not as_json:
        c.stdout().print(f"登记表已写入 {out}", markup=False)


def _show_listing(result: object) -> None:
    from imtc.register.export import due_text

    title = f"{'待办' if result.due_only else '全部'}中心（{result.date}，{result.year} 年度）"  # type: ignore[attr-defined]
    table = RichTable(title=title)
    for header in ("中心名称", "级别", "依托单位", "成立日期", "状态", "下一期限", "待办事项"):
        table.add_column(header, overflow="fold")
    for v in result.centers:  # type: ignore[attr-defined]
        table.add_row(v.name, v.level_label or "？", v.unit or "", v.founded_on or "未记录", v.status or "未记录",
                      v.next_deadline or "", due_text(v) or "—")
    console = c.stdout()
    console.print(table)
    for v in result.centers:  # type: ignore[attr-defined]
        for note in v.notes:
            console.print(f"{v.name}：{note}", markup=False, style="yellow")
