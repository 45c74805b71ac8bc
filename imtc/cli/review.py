"""`imtc review FILE [--previous FILE] [--db URL] --out DIR`: one document scored as `imtc score`
scores it, and its pre-filled review documents (imtc/review.py) written into `--out`, all by
imtc.service.assess() in a worker process. The round behind `imtc check --review` is in round.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from imtc.cli import common as c
from imtc.cli.score import assessed

File = Annotated[Path, typer.Argument(
    help="年度工作总结（附件4，生成附件5后续评价细则和附件6后续评价报告）或申请书（附件1，生成附件2表1表2和附件3建设评价报告）",
    metavar="文件", show_default=False)]


def command(
    path: File,
    out: Annotated[Path, typer.Option("--out", "-o", help="评审文件（Word 和 HTML）写入的文件夹", metavar="文件夹",
                                      show_default=False)],
    previous: c.Previous = None,
    db: c.Db = None,
    catalogue: c.Catalogue = None,
    core_enterprises: c.CoreEnterprises = None,
    timeout: c.Timeout = c.DEFAULT_TIMEOUT_S,
) -> None:
    """为专家生成预填的评审文件：能由文档计算的得分已填好（附证据），其余留待专家评分。"""
    c.prepare_out(out)
    a = assessed(path, previous, db, catalogue, core_enterprises, timeout, review_dir=out)
    console = c.stdout(soft_wrap=True)
    console.print(f"已为“{path.name}”（{a.extraction.meta.center_name or '中心名称未识别'}）生成评审文件：", markup=False)
    for p in a.review_files:
        console.print(f"  {p}", markup=False)
    t = a.score.totals
    if t.complete:
        console.print(f"总得分 {t.total}，等级：{t.grade}", markup=False)
    else:
        console.print(f"尚有 {len(t.missing)} 项待专家评分；按已计分项目，总得分在 {t.total_min} 至 "
                      f"{t.total_max} 之间", markup=False)
    raise typer.Exit(0)
