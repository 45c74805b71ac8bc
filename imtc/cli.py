"""The command line: `imtc extract`, `imtc check`, `imtc schema`, `imtc rules`.

Thin by design: the work is in pipeline.py, the formatting in summary.py. Exit status: 0 clean,
1 some file has findings of severity error (check), 2 unreadable input, a crash or a usage error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import click
import typer
import typer.rich_utils
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable
from typer.core import TyperCommand, TyperGroup

from imtc import batch
from imtc.atomic import write_text_atomic
from imtc.files import collect as found_files
from imtc.files import display_path, for_terminal, output_names
from imtc.findings import CATALOGUE, catalogue_markdown
from imtc.logs import route_warnings
from imtc.models import Extraction
from imtc.pipeline import check_file, crashed, describe
from imtc.summary import SEVERITY_LABELS, Result, file_report, summary_table, write_workbook

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_OUT = Path("imtc-out")

# typer's own words in the help screens, in Chinese (click's "Usage:" and usage errors stay English).
for _name, _text in (("ARGUMENTS_PANEL_TITLE", "参数"), ("OPTIONS_PANEL_TITLE", "选项"),
                     ("COMMANDS_PANEL_TITLE", "命令"), ("ERRORS_PANEL_TITLE", "错误")):
    if hasattr(typer.rich_utils, _name):
        setattr(typer.rich_utils, _name, _text)


class _ChineseHelp:
    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "显示本帮助并退出"
        return option


class Group(_ChineseHelp, TyperGroup):
    def invoke(self, ctx: click.Context) -> object:
        """Ctrl-C exits 130 (not click's 1, which means findings); a crash exits 2 with a Chinese message."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, typer.Exit):
            raise
        except Exception as exc:  # a bug of ours: never a traceback, never exit 1
            _stderr().print(f"错误：程序内部错误，已中止（{for_terminal(describe(exc))}）。", style="bold red",
                            markup=False)
            raise click.exceptions.Exit(EXIT_UNREADABLE) from None


class Command(_ChineseHelp, TyperCommand):
    pass


app = typer.Typer(
    cls=Group, help="读取并检查浙江省产业计量测试中心的申请书（附件1）和年度工作总结（附件4）。",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)

# Options shared by the commands, written once.
Paths = Annotated[list[Path], typer.Argument(
    help="要读取的文件，或文件夹（递归查找 .docx .doc .wps .pdf，跳过隐藏文件和 ~$ 临时文件）",
    metavar="路径", show_default=False)]
OutDir = Annotated[Path | None, typer.Option(
    "--out", "-o", help="输出文件夹：每个文件写一个 <文件名>.extract.json（check 另写汇总表 summary.xlsx）",
    metavar="文件夹")]
Silent = Annotated[bool, typer.Option("--silent", "-s", help="不显示进度条")]
Jobs = Annotated[int, typer.Option("--jobs", "-j", help="同时处理的文件数（默认：全部 CPU 核）", min=1)]
FollowLinks = Annotated[bool, typer.Option(
    "--follow-links", help="读取文件夹中指向该文件夹之外的链接（快捷方式）所指的文件（默认不读取，只列出）")]
Timeout = Annotated[float, typer.Option("--timeout", help="每个文件的处理时间上限（秒），超时的文件记为无法读取",
                                        min=1)]


def _stdout() -> Console:
    return Console(highlight=False)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _fail(message: str) -> typer.Exit:
    _stderr().print(f"错误：{message}", style="bold red", markup=False)
    return typer.Exit(EXIT_UNREADABLE)


def collect(paths: Sequence[Path], follow_links: bool = False) -> list[Path]:
    """The files to read: files as given, folders searched recursively; each file once (imtc/files.py)."""
    files, missing = found_files(paths, follow_links)
    if missing:
        raise _fail("找不到文件或文件夹：" + "、".join(missing))
    if not files:
        raise _fail("没有找到可以检查的文件（.docx .doc .wps .pdf）。")
    return files


json_names = output_names  # <file name>.extract.json, always writable


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _prepare_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise _fail(f"输出位置“{out}”已存在且不是文件夹。")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fail(f"无法创建输出文件夹“{out}”：{exc.strerror or exc}") from None


@contextmanager
def _writing(target: Path) -> Iterator[Path]:
    """A failed write is the user's to fix (disk full, no permission): a message, not a traceback; any
    other failure while writing is ours, and still exits 2, never 1."""
    try:
        yield target
    except OSError as exc:
        raise _fail(f"无法写入“{shown(target)}”：{exc.strerror or exc}") from None
    except Exception as exc:
        raise _fail(f"写入“{shown(target)}”时程序出错（{for_terminal(describe(exc))}）") from None


def shown(path: Path) -> str:
    """A path as the terminal shows it: decoded (GBK tried), control characters visible."""
    return for_terminal(display_path(path))


def exit_code(results: Sequence[Result], *, errors_fail: bool) -> int:
    if any(crashed(ex) for _, ex in results):
        return EXIT_UNREADABLE
    if errors_fail and any(ex.counts()["error"] for _, ex in results):
        return EXIT_ERRORS
    return EXIT_OK


def _process(files: Sequence[Path], out: Path | None, jobs: int = 1,
             timeout: float = batch.DEFAULT_TIMEOUT_S) -> Iterator[Result]:
    """check_file on each file in a worker process, its JSON written to `out` (when given) before it is
    yielded; results come as they finish."""
    names = list(json_names(files))
    for i, ex in batch.run(files, check_file, jobs=jobs, timeout=timeout):
        if out is not None:
            with _writing(out / names[i]) as target:
                write_text_atomic(target, _json(ex.model_dump(mode="json")))
        yield files[i], ex


@app.command(cls=Command)
def extract(
    paths: Paths,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出到标准输出（多个文件时为数组）")] = False,
    out: OutDir = None,
    jobs: Jobs = 1,
    timeout: Timeout = batch.DEFAULT_TIMEOUT_S,
    follow_links: FollowLinks = False,
) -> None:
    """读取文件，输出结构化数据（章节、表格、封面信息和发现的问题）。"""
    files = collect(paths, follow_links)
    if out is not None:
        _prepare_out(out)
    route_warnings(out)
    order = {f: i for i, f in enumerate(files)}
    results = sorted(_process(files, out, jobs, timeout), key=lambda r: order[r[0]])
    console = _stdout()
    if out is not None:
        console.print(f"已写入 {len(results)} 个 JSON 文件到 {out}", markup=False)
    elif as_json:
        data = [ex.model_dump(mode="json") for _, ex in results]
        typer.echo(_json(data[0] if len(data) == 1 else data))
    else:
        for path, ex in results:
            for line in file_report(path, ex):
                console.print(line)
    raise typer.Exit(exit_code(results, errors_fail=False))


@app.command(cls=Command)
def check(
    paths: Paths,
    out: OutDir = DEFAULT_OUT,
    silent: Silent = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="同时处理的文件数（默认：全部 CPU 核）",
                                             min=1)] = None,
    timeout: Timeout = batch.DEFAULT_TIMEOUT_S,
    follow_links: FollowLinks = False,
    review: Annotated[bool, typer.Option("--review", help="同时为每份申请书和年度工作总结生成专家评审预填文件（写入输出文件夹的 "
                                         "review/）；再次运行时跳过内容未变、已完成的文件")] = False,
    db: Annotated[str | None, typer.Option("--db", help="记录库（--review 用它查找各中心的上一份计划）：数据库 URL 或 "
                                           "SQLite 文件路径", metavar="URL", show_default=False)] = None,
) -> None:
    """批量检查文件或文件夹，输出汇总表；每个文件的结果和 summary.xlsx 写入输出文件夹。"""
    files = collect(paths, follow_links)
    out = out or DEFAULT_OUT
    _prepare_out(out)
    route_warnings(out)
    if review:  # the intake desk's round: imtc/cli_review.py
        from imtc.cli_review import review_round
        raise typer.Exit(review_round(files, out, jobs=jobs or batch.default_jobs(), timeout=timeout,
                                      silent=silent, db=db))
    results: list[Result] = []
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=_stderr(), disable=silent)
    interrupted = False
    with progress:
        task = progress.add_task("检查中", total=len(files))
        try:
            for result in _process(files, out, jobs or batch.default_jobs(), timeout):
                results.append(result)
                progress.update(task, advance=1, description=f"已完成 {escape(shown(Path(result[0].name)))}")
            progress.update(task, description="检查完成")
        except KeyboardInterrupt:  # Ctrl-C: the workers are stopped; what finished is written out
            interrupted = True
    order = {f: i for i, f in enumerate(files)}
    results.sort(key=lambda r: order[r[0]])
    with _writing(out / "summary.xlsx") as target:
        write_workbook(results, target)
    console = _stdout()
    console.print(summary_table(results))
    if interrupted:
        _stderr().print(f"已中断：{len(files)} 个文件中已完成 {len(results)} 个，其结果和汇总表 summary.xlsx "
                        f"已写入 {shown(out)}", style="bold red", markup=False)
        raise typer.Exit(EXIT_INTERRUPTED)
    console.print(f"每个文件的结果和汇总表 summary.xlsx 已写入 {shown(out)}", markup=False)
    raise typer.Exit(exit_code(results, errors_fail=True))


@app.command(cls=Command)
def schema() -> None:
    """输出 extract --json 结果的 JSON Schema。"""
    typer.echo(_json(Extraction.model_json_schema()))


@app.command(cls=Command)
def rules(
    markdown: Annotated[bool, typer.Option("--markdown", help="以 Markdown 输出（即 docs/rules.md）")] = False,
) -> None:
    """列出全部检查规则（发现项代码、严重程度和说明）。"""
    if markdown:
        typer.echo(catalogue_markdown(), nl=False)
        return
    table = RichTable(title="发现项目录")
    for header in ("代码", "严重程度", "阶段", "检查内容"):
        table.add_column(header, overflow="fold")
    stages = {"extract": "读取", "validate": "检查"}
    for c in CATALOGUE.values():
        table.add_row(c.code, SEVERITY_LABELS[c.severity], stages.get(c.stage, c.stage), c.checks)
    _stdout().print(table)
from imtc import cli_review as _cli_review  # noqa: E402, F401  (registers `imtc review` on the app)
from imtc import cli_score as _cli_score  # noqa: E402, F401  (registers `imtc score` on the app)
from imtc.web import cli as _web_cli  # noqa: E402, F401  (registers `imtc serve` on the app)
