"""`imtc rules [--markdown]`: the catalogue of findings."""

from __future__ import annotations

from typing import Annotated

import typer

from imtc.cli import common as c


def command(
    markdown: Annotated[bool, typer.Option("--markdown", help="以 Markdown 输出（即 docs/rules.md）")] = False,
) -> None:
    """列出全部检查规则（发现项代码、严重程度和说明）。"""
    from rich.table import Table as RichTable

    from imtc import labels
    from imtc.findings import CATALOGUE, catalogue_markdown

    if markdown:
        typer.echo(catalogue_markdown(), nl=False)
        return
    table = RichTable(title="发现项目录")
    for header in ("代码", "严重程度", "阶段", "检查内容"):
        table.add_column(header, overflow="fold")
    for f in CATALOGUE.values():
        table.add_row(f.code, labels.SEVERITY[f.severity], labels.label('stage', f.stage), f.checks)
    c.stdout().print(table)
