"""What the front doors (CLI, web page) ask of the register, each in one call: the list of
centers on a day, one center with its figures, the workbook, the chart, the desk's edits."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from imtc.register.figures import YearFigures, figures_by_year
from imtc.register.records import CenterView, Register, RegisterError
from imtc.store import Store

__all__ = ["CenterReport", "Listing", "RegisterError", "center_report", "chart", "edit", "export", "listing",
           "reference_day"]


class Listing(BaseModel):
    date: str
    year: int
    due_only: bool
    centers: list[CenterView]


class CenterReport(BaseModel):
    date: str
    center: CenterView
    figures: list[YearFigures]


def reference_day(day: str | None, year: int | None) -> tuple[date, int]:
    """The day the calendar is read on and the year whose obligations count: --date (default today;
    31 December of --year when only --year is given) and --year (default the day's year)."""
    if day:
        try:
            d = date.fromisoformat(day)
        except ValueError:
            raise RegisterError(f"日期“{day}”无效，请按 YYYY-MM-DD 填写。") from None
    else:
        d = date(year, 12, 31) if year else date.today()
    return d, year or d.year


def listing(store: Store, day: date, year: int, due_only: bool = False) -> Listing:
    views = Register(store).centers(day, year)
    if due_only:
        views = [v for v in views if v.due]
    return Listing(date=day.isoformat(), year=year, due_only=due_only, centers=views)


def center_report(store: Store, name: str, day: date, year: int | None = None) -> CenterReport:
    view = Register(store).center(name, day, year)
    if view is None:
        raise RegisterError(f"记录库中没有中心“{name}”。")
    return CenterReport(date=day.isoformat(), center=view, figures=figures_by_year(store, view))


def chart(report: CenterReport) -> bytes:
    from imtc.register.chart import trend_png

    return trend_png(report.center.name, report.figures)


def export(store: Store, target: Path, day: date, year: int) -> int:
    """register.xlsx of every center; returns how many centers."""
    from imtc.register.export import write_register

    views = Register(store).centers(day, year)
    write_register(target, views, {v.key: figures_by_year(store, v) for v in views})
    return len(views)


def edit(store: Store, name: str, *, add: bool = False, profile: dict[str, str | None] | None = None,
         status: str | None = None, on: str | None = None, note: str | None = None,
         evaluation: str | None = None) -> list[str]:
    """The desk's edits of one center; returns what was done, in Chinese. `evaluation` is
    KIND:YEAR:GRADE[:TOTAL] (后续评价:2025:合格:78.5), dated `on`."""
    reg = Register(store)
    done = []
    if add:
        name = reg.ensure(name)
        done.append(f"已登记中心“{name}”")
    values = {k: v for k, v in (profile or {}).items() if v is not None}
    if values:
        reg.set_profile(name, **values)
        done.append("已更新：" + "、".join(values))
    if (status or evaluation) and not on:
        raise RegisterError("记录状态或评价结果时须用 --on 给出日期（YYYY-MM-DD）。")
    if status:
        reg.add_status(name, status, on or "", note=note)
        done.append(f"已记录状态“{status}”（{on}）")
    if evaluation:
        kind, year, grade, total = _evaluation(evaluation)
        reg.add_evaluation(name, kind=kind, year=year, grade=grade, total=total, on=on or "")
        done.append(f"已记录{year}年度{kind}：{grade}" + (f"，{total} 分" if total is not None else ""))
    return done


def _evaluation(text: str) -> tuple[str, int, str, float | None]:
    parts = text.replace("：", ":").split(":")
    try:
        if len(parts) not in (3, 4):
            raise ValueError
        return parts[0], int(parts[1]), parts[2], float(parts[3]) if len(parts) == 4 and parts[3] else None
    except ValueError:
        raise RegisterError(f"评价结果“{text}”的格式应为 类型:年度:等级[:总得分]，如 后续评价:2025:合格:78.5。") from None


def as_json(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")
