"""`imtc package FOLDER|ZIP [--json]`: one center's application materials (管理办法第八条) checked
as a package (imtc/register/materials.py). Exit 0 complete, 1 something missing, 2 unreadable."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from imtc.cli import common as c


def command(
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
        c.print_json(report.model_dump(mode="json"))
    else:
        console = c.stdout()
        console.print(f"申请材料“{report.package}”（{report.center_name or '中心名称未识别'}）", style="bold", markup=False)
        for m in report.members:
            console.print(f"  {m.file}：{ROLE_LABELS.get(m.role or '', '无法判断')}（{m.why}）", markup=False)
        for f in report.findings:
            style = {"error": "bold red", "warning": "yellow"}.get(f.severity, "")
            console.print(f"  {f.message}", markup=False, style=style)
        if not report.findings:
            console.print("  材料齐全。", markup=False, style="green")
    raise typer.Exit(1 if any(f.severity == "error" for f in report.findings) else 0)
