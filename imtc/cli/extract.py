"""`imtc extract PATH... [--json] [--out DIR]`: the structured data of each file."""

from __future__ import annotations

from typing import Annotated

import typer

from imtc.cli import common as c


def command(
    paths: c.Paths,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出到标准输出（多个文件时为数组）")] = False,
    out: c.OutDir = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="同时处理的文件数", min=1)] = 1,
    timeout: c.Timeout = c.DEFAULT_TIMEOUT_S,
    follow_links: c.FollowLinks = False,
) -> None:
    """读取文件，输出结构化数据（章节、表格、封面信息和发现的问题）。"""
    from imtc.logs import route_warnings
    from imtc.summary import file_report

    files = c.collect(paths, follow_links)
    if out is not None:
        c.prepare_out(out)
    else:
        route_warnings(None)  # library warnings never on the terminal
    results = c.in_order(files, c.checked(files, out, jobs, timeout))
    console = c.stdout()
    if out is not None:
        console.print(f"已写入 {len(results)} 个 JSON 文件到 {c.shown(out)}", markup=False)
    elif as_json:
        data = [ex.model_dump(mode="json") for _, ex in results]
        c.print_json(data[0] if len(data) == 1 else data)
    else:
        for path, ex in results:
            for line in file_report(path, ex):
                console.print(line)
    raise typer.Exit(c.exit_code(results, errors_fail=False))
