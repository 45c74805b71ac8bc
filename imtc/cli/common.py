"""What several commands share, written once: the options, the help in Chinese, messages and
errors on the terminal, finding the files, naming and writing the outputs, the exit status.

Light on purpose (typer and rich only): every command module imports this, and `imtc --help` loads
nothing else. Exit status: 0 clean, 1 some file has findings of severity error (check), 2 unreadable
input, a crash or a usage error, 130 interrupted (Ctrl-C; what finished is written out).
"""

from __future__ import annotations

import json
import re
import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import click
import typer
import typer.rich_utils
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.core import TyperCommand, TyperGroup

from imtc.batch import DEFAULT_TIMEOUT_S
from imtc.files import display_path, for_terminal, output_names

if TYPE_CHECKING:
    from imtc.models import Extraction
    from imtc.service import Assessment

Result = tuple[Path, "Extraction"]

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_OUT = Path("imtc-out")

# typer's own words in the help screens, in Chinese (the help screens and usage errors are ours: below).
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
    def get_usage(self, ctx: click.Context) -> str:
        return f"用法： {ctx.command_path} [选项] 命令 [参数]..."

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """`imtc --help` in Chinese, each command's first paragraph whole (typer cut them with "…")."""
        from rich.panel import Panel
        from rich.table import Table
        from rich.text import Text

        console = Console(highlight=False)
        console.print(Text(self.get_usage(ctx), overflow="fold"))
        console.print()
        console.print(Text(self.help or "", overflow="fold"))
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(no_wrap=True, style="bold cyan")
        table.add_column(overflow="fold", ratio=1)
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                first = (command.help or "").strip().split("\n\n")[0].replace("\n", "")
                table.add_row(name, Text(first, overflow="fold"))
        console.print()
        console.print(Panel(table, title="命令", title_align="left", border_style="dim"))
        console.print()
        console.print(Text("每个命令的选项：imtc 命令 --help", overflow="fold"))

    def invoke(self, ctx: click.Context) -> object:
        """Ctrl-C exits 130 (not click's 1, which means findings); a crash exits 2 with a Chinese message.
        SIGTERM (a service manager, `kill`, the desk's supervisor) is taken as Ctrl-C, so that what
        finished is written and the workers and the round's LibreOffice are ended, not orphaned."""
        with _sigterm_as_interrupt():
            return self._invoke(ctx)

    def _invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except typer.exceptions.TyperException as exc:  # typer's own click: a usage error, in Chinese
            if getattr(exc, "exit_code", None) != EXIT_UNREADABLE or not hasattr(exc, "format_message"):
                raise
            where = getattr(getattr(exc, "ctx", None), "command_path", None) or ctx.command_path
            stderr().print(f"用法错误：{usage_message(exc.format_message())}\n查看帮助：{where} --help", style="bold red",
                           markup=False)
            raise typer.Exit(EXIT_UNREADABLE) from None
        except (typer.Exit, typer.Abort,
                click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug of ours: never a traceback, never exit 1
            stderr().print(f"错误：程序内部错误，已中止（{for_terminal(_describe(exc))}）。", style="bold red",
                           markup=False)
            raise typer.Exit(EXIT_UNREADABLE) from None


# click's usage errors, in the words users read (anything not listed is shown as click wrote it)
_USAGE_WORDS = (
    (re.compile(r"^No such command '(.+)'\.$"), r"没有命令 \1。"),
    (re.compile(r"^No such option: (\S+)(?: Did you mean (\S+)\?)?$"), r"没有选项 \1。"),
    (re.compile(r"^Missing argument '(.+)'\.$"), r"缺少参数 \1。"),
    (re.compile(r"^Missing option '(.+)'\.$"), r"缺少选项 \1。"),
    (re.compile(r"^Option '(.+)' requires an argument\.$"), r"选项 \1 需要一个值。"),
    (re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((.+)\)$"), r"多余的参数：\1。"),
    (re.compile(r"^Invalid value for (.+?): Input should be a valid integer.*$", re.S), r"\1 的值应为整数。"),
    (re.compile(r"^Invalid value for (.+?): Input should be a valid number.*$", re.S), r"\1 的值应为数字。"),
    (re.compile(r"^Invalid value for (.+?): Input should be greater than or equal to (\S+)$"), r"\1 的值不能小于 \2。"),
    (re.compile(r"^Invalid value for (.+?): Input should be less than or equal to (\S+)$"), r"\1 的值不能大于 \2。"),
    (re.compile(r"^Invalid value for (.+?): (.+)$", re.S), r"\1 的值无效（\2）。"),
)


def usage_message(text: str) -> str:
    """click's usage error message in Chinese."""
    for pattern, words in _USAGE_WORDS:
        if pattern.match(text):
            return pattern.sub(words, text, count=1)
    return text


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt while a command runs (main thread, default handler only);
    the handler before is put back after."""
    import threading

    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 500 else text[:499] + "…"


_TYPE_WORDS = {int: "整数", float: "数值", str: "文本", Path: "路径"}


def _metavar(param: click.Parameter) -> str:
    """The value's name in Chinese: the parameter's own metavar, else its type's word, none for a flag."""
    if getattr(param, "is_flag", False):
        return ""
    if param.metavar:
        return param.metavar
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    choices = getattr(annotation, "__members__", None)  # an Enum
    if choices:
        return "|".join(str(m.value) for m in choices.values())
    return _TYPE_WORDS.get(annotation, "值")


def _param_help(param: click.Parameter) -> str:
    text = getattr(param, "help", None) or ""
    default = param.default
    if (getattr(param, "show_default", True) is not False and default not in (None, False, (), [])
            and not callable(default) and "默认" not in text):
        text += f"（默认：{default}）"
    if param.required:
        text += "（必填）"
    return text


class Command(_ChineseHelp, TyperCommand):
    """A command whose help is all Chinese: its own words for click's "Usage:", and its own help
    screen, where every parameter's help is folded at the terminal's width (typer's table wraps only
    at spaces and cuts a longer run of Chinese with "…"; it also prints English type names and
    "[default: …]")."""

    def get_usage(self, ctx: click.Context) -> str:
        return super().get_usage(ctx).replace("Usage:", "用法：", 1).replace("[OPTIONS]", "[选项]", 1)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        import inspect

        from rich.panel import Panel
        from rich.table import Table
        from rich.text import Text

        console = Console(highlight=False)
        console.print(Text(self.get_usage(ctx), overflow="fold"))
        for paragraph in inspect.cleandoc(self.help or "").split("\n\n"):
            console.print()
            console.print(Text(paragraph.replace("\n", ""), overflow="fold"))
        for kind, title in (("argument", "参数"), ("option", "选项")):
            params = [p for p in self.get_params(ctx) if p.param_type_name == kind and not getattr(p, "hidden", False)]
            if not params:
                continue
            table = Table.grid(padding=(0, 2), expand=True)
            table.add_column(no_wrap=True, style="bold cyan")
            table.add_column(no_wrap=True, style="yellow")
            table.add_column(overflow="fold", ratio=1)
            for param in params:
                names = ", ".join(param.opts) if kind == "option" else ""
                table.add_row(names, _metavar(param), Text(_param_help(param), overflow="fold"))
            console.print()
            console.print(Panel(table, title=title, title_align="left", border_style="dim"))

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option


# Options shared by the commands, written once.
Paths = Annotated[list[Path], typer.Argument(
    help="要读取的文件，或文件夹（递归查找 .docx .doc .wps .pdf，跳过隐藏文件和 ~$ 临时文件）",
    metavar="路径", show_default=False)]
OutDir = Annotated[Path | None, typer.Option(
    "--out", "-o", help="输出文件夹：每个文件写一个 <文件名>.extract.json（check 另写汇总表 summary.xlsx）",
    metavar="文件夹")]
Silent = Annotated[bool, typer.Option("--silent", "-s", help="不显示进度条")]
Jobs = Annotated[int | None, typer.Option("--jobs", "-j", help="同时处理的文件数（默认：全部 CPU 核）", min=1,
                                          show_default=False)]
Timeout = Annotated[float, typer.Option("--timeout", help="每个文件的处理时间上限（秒），超时的文件记为无法读取",
                                        min=1)]
Db = Annotated[str | None, typer.Option(
    "--db", help="记录库：数据库 URL 或 SQLite 文件路径（默认 ~/.local/share/imtc/imtc.sqlite，或环境变量 IMTC_DB）",
    metavar="URL", show_default=False)]
Previous = Annotated[Path | None, typer.Option(
    "--previous", help="该中心的上一份计划：上一年度工作总结，首年为申请书（不指定时从记录库查找）", metavar="文件")]
Catalogue = Annotated[Path | None, typer.Option(
    "--catalogue", help="产业相关国家计量技术法规目录 CSV（列 code、title），用于计算 1.3.1", metavar="CSV")]
CoreEnterprises = Annotated[Path | None, typer.Option(
    "--core-enterprises", help="产业核心企业名单 CSV（列 name、aliases、served），用于计算 1.5.1", metavar="CSV")]
FollowLinks = Annotated[bool, typer.Option(
    "--follow-links", help="读取文件夹中指向该文件夹之外的链接（快捷方式）所指的文件（默认不读取，只列出）")]
AsJson = Annotated[bool, typer.Option("--json", help="以 JSON 输出到标准输出")]


def stdout(soft_wrap: bool = False) -> Console:
    """The terminal; `soft_wrap` where long paths are printed (never cut)."""
    return Console(highlight=False, soft_wrap=soft_wrap)


def stderr(soft_wrap: bool = False) -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=soft_wrap)


def fail(message: str) -> typer.Exit:
    """An error the user can act on: printed in red on stderr; raise the result (exit status 2)."""
    stderr().print(f"错误：{message}", style="bold red", markup=False)
    return typer.Exit(EXIT_UNREADABLE)


def warn(message: str) -> None:
    stderr().print(f"提示：{message}", style="yellow", markup=False)


def collect(paths: Sequence[Path], follow_links: bool = False) -> list[Path]:
    """The files to read: files as given, folders searched recursively; each file once; links that lead
    nowhere or out of a folder come back as imtc.files.Skipped (a row that says why)."""
    from imtc.files import collect as found_files

    files, missing = found_files(paths, follow_links)
    if missing:
        raise fail("找不到文件或文件夹：" + "、".join(for_terminal(m) for m in missing))
    if not files:
        raise fail("没有找到可以检查的文件（.docx .doc .wps .pdf）。")
    return files


json_names = output_names  # <file name>.extract.json, always writable (imtc/files.py)


def shown(path: Path) -> str:
    """A path as the terminal shows it: decoded (GBK tried), control characters visible."""
    return for_terminal(display_path(path))


def to_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def print_json(data: object) -> None:
    """`--json`: the data on stdout, Chinese as it is, indented."""
    typer.echo(to_json(data))


def prepare_out(out: Path) -> None:
    """Create the output folder; library warnings from here on go to its imtc.log (imtc/logs.py)."""
    from imtc.logs import route_warnings

    if out.exists() and not out.is_dir():
        raise fail(f"输出位置“{shown(out)}”已存在且不是文件夹。")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(f"无法创建输出文件夹“{shown(out)}”：{exc.strerror or exc}") from None
    route_warnings(out)


@contextmanager
def writing(target: Path) -> Iterator[Path]:
    """A failed write is the user's to fix (disk full, no permission): a message, not a traceback; any
    other failure while writing is ours, and still exits 2, never 1."""
    try:
        yield target
    except OSError as exc:
        raise fail(f"无法写入“{shown(target)}”：{exc.strerror or exc}") from None
    except Exception as exc:
        raise fail(f"写入“{shown(target)}”时程序出错（{for_terminal(_describe(exc))}）") from None


def write_json(target: Path, data: object) -> None:
    from imtc.atomic import write_text_atomic

    with writing(target):
        write_text_atomic(target, to_json(data))


def progress(silent: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=stderr(), disable=silent)


def jobs_or_default(jobs: int | None) -> int:
    from imtc.batch import default_jobs

    return jobs or default_jobs()


def exit_code(results: Sequence[Result], *, errors_fail: bool) -> int:
    from imtc.pipeline import crashed

    if any(crashed(ex) for _, ex in results):
        return EXIT_UNREADABLE
    if errors_fail and any(ex.counts()["error"] for _, ex in results):
        return EXIT_ERRORS
    return EXIT_OK


def read_lists(catalogue: Path | None, core: Path | None) -> tuple[Any, Any]:
    """The lists that 1.3.1 and 1.5.1 read; a list that cannot be read is the user's to fix (exit 2)."""
    from imtc.score_assist.lists import ListError, read_catalogue, read_enterprises

    try:
        return (read_catalogue(catalogue) if catalogue else None, read_enterprises(core) if core else None)
    except ListError as exc:
        raise fail(str(exc)) from None


def checked(files: Sequence[Path], out: Path | None, jobs: int, timeout: float) -> Iterator[Result]:
    """Each file read and checked by assess() in a worker process, its JSON written to `out` (when
    given) before it is yielded; results come as they finish."""
    from imtc.service import assess_all

    names = list(json_names(files))
    for i, a in assess_all(files, jobs=jobs, timeout=timeout):
        if out is not None:
            write_json(out / names[i], a.extraction.model_dump(mode="json"))
        yield files[i], a.extraction


def assessed_or_fail(a: Assessment) -> Assessment:
    """An assessment's warnings shown; its error (the file could not be scored) ends the command (exit 2)."""
    for w in a.warnings:
        warn(w)
    if a.error is not None:
        raise fail(a.error)
    return a


def in_order(files: Sequence[Path], results: Iterator[Result]) -> list[Result]:
    order = {f: i for i, f in enumerate(files)}
    return sorted(results, key=lambda r: order[r[0]])


__all__ = ["DEFAULT_OUT", "DEFAULT_TIMEOUT_S", "EXIT_ERRORS", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_UNREADABLE", "Command", "Group"]
