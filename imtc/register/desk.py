"""The desk's records from a TOML file (`imtc centers --load FILE`): centers with their profile,
status changes and evaluation results. Loading the same file again changes nothing.

    [[center]]
    name = "浙江省动力电池产业计量测试中心"
    level = "provincial"            # or national; optional, as are unit, industry, founded_on
    founded_on = "2023-12-20"
    [[center.status]]
    status = "建设中"
    on = "2023-12-20"
    note = "省市场监管局公布建设名单"
    [[center.evaluation]]
    kind = "后续评价"
    year = 2025
    grade = "不合格"
    total = 55.5
    on = "2025-12-22"
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from imtc.register.records import Register, RegisterError


def load_desk_file(register: Register, path: Path) -> int:
    """Record every center of the file; returns how many."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RegisterError(f"无法读取登记文件“{path}”：{exc}") from None
    centers = data.get("center", [])
    if not isinstance(centers, list):
        raise RegisterError(f"登记文件“{path}”的格式不正确：应为 [[center]] 表的列表。")
    for i, c in enumerate(centers, start=1):
        _load_one(register, c, f"登记文件“{path.name}”第 {i} 个中心")
    return len(centers)


def _load_one(register: Register, c: Any, where: str) -> None:
    if not isinstance(c, dict) or not isinstance(c.get("name"), str):
        raise RegisterError(f"{where}没有中心名称（name）。")
    name = register.ensure(c["name"])
    try:
        register.set_profile(name, **{k: str(c[k]) for k in ("level", "unit", "industry", "founded_on") if k in c})
        for e in c.get("status", []):
            register.add_status(name, str(e["status"]), str(e["on"]), note=e.get("note"))
        for e in c.get("evaluation", []):
            register.add_evaluation(name, kind=str(e["kind"]), year=int(e["year"]), grade=str(e["grade"]),
                                    on=str(e["on"]), total=float(e["total"]) if "total" in e else None,
                                    source=str(e.get("source", "desk")))
    except (KeyError, TypeError, ValueError) as exc:
        raise RegisterError(f"{where}（{name}）的记录不完整或有误：{exc}") from None
