"""`imtc serve --help` readable and Chinese at any terminal width (the audit's item 7), and the
README telling how the desk's account is created."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.main import get_command
from typer.testing import CliRunner

import imtc.cli

README = Path(__file__).resolve().parents[1] / "README.md"
FRAME = re.compile(r"[\s│╭╮╰╯─]")
ENGLISH = ("Usage", "Options", "OPTIONS", "Show this", "default:", "required", "TEXT", "INTEGER", "FLOAT",
           "PATH", "<bool>", "<int", "<float", "<str")


def serve_help(width: int) -> str:
    result = CliRunner().invoke(imtc.cli.app, ["serve", "--help"], prog_name="imtc",
                                env={"COLUMNS": str(width), "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    return result.output


def serve_options() -> list:
    command = get_command(imtc.cli.app).commands["serve"]  # type: ignore[attr-defined]
    return [p for p in command.params if p.param_type_name == "option"]


@pytest.mark.parametrize("width", [60, 80, 120])
def test_serve_help_shows_every_option_whole(width: int) -> None:
    text = serve_help(width)
    assert "…" not in text  # nothing cut off
    assert max(cell_len(line) for line in text.splitlines()) <= width
    flat = FRAME.sub("", text)
    for option in serve_options():
        assert option.help, option.name
        assert FRAME.sub("", option.help) in flat, option.name  # the whole help, however it is wrapped
        for name in option.opts:
            assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text), name
    assert FRAME.sub("", "显示本帮助并退出") in flat
    assert "IMTC_DESK_PASSWORD" in text and "imtcserve--set-desk-password" in flat


def test_serve_help_is_chinese() -> None:
    text = serve_help(80)
    assert text.lstrip().startswith("用法： imtc serve [选项]")
    assert "选项" in text
    assert [w for w in ENGLISH if w in text] == []


def test_readme_tells_how_the_desk_account_is_created() -> None:
    readme = README.read_text(encoding="utf-8")
    section = re.search(r"^## The web page\n(.*?)(?=^## )", readme, re.S | re.M)
    assert section, "README has no section on the web page"
    body = section.group(1)
    for words in ("imtc serve --set-desk-password", "IMTC_DESK_PASSWORD", "desk-password", "/desk",
                  "imtc serve --help", "docs/web.md"):
        assert words in body, words


COMMANDS = sorted(get_command(imtc.cli.app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("width", [60, 100])
def test_every_commands_help_is_whole_and_chinese(name: str, width: int) -> None:
    """Every command's help, not only serve's: typer cut long Chinese help with "…" and printed English
    type names and "[default: …]"."""
    result = CliRunner().invoke(imtc.cli.app, [name, "--help"], prog_name="imtc",
                                env={"COLUMNS": str(width), "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.lstrip().startswith(f"用法： imtc {name}")
    assert "…" not in text
    assert max(cell_len(line) for line in text.splitlines()) <= width
    assert [w for w in ENGLISH if w in text] == []
    flat = FRAME.sub("", text)
    command = get_command(imtc.cli.app).commands[name]  # type: ignore[attr-defined]
    for param in command.params:
        if param.help:
            assert FRAME.sub("", param.help) in flat, (name, param.name)


@pytest.mark.parametrize(("args", "words"), [
    (["nosuch"], "用法错误：没有命令 nosuch。"),
    (["check", "--jobs", "0", "x"], "用法错误：'--jobs' / '-j' 的值不能小于 1。"),
    (["check"], "用法错误：缺少参数 路径。"),
    (["check", "--nope", "x"], "用法错误：没有选项 --nope。"),
    (["check", "--timeout", "abc", "x"], "用法错误：'--timeout' 的值应为数字。"),
    (["schema", "a", "b"], "用法错误：多余的参数：a b。"),
])
def test_usage_errors_exit_2_in_chinese(args: list[str], words: str) -> None:
    """A usage error was an "internal error" with a traceback (typer's own click exceptions were not
    recognised), in English."""
    result = CliRunner().invoke(imtc.cli.app, args, prog_name="imtc", env={"COLUMNS": "200", "TERM": "dumb"})
    assert result.exit_code == 2
    assert words in result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
