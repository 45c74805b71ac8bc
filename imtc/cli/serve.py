"""`imtc serve`: the web pages on uvicorn.

FastAPI and uvicorn are imported only when the command runs, so the other commands stay fast.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Annotated

import typer

from imtc.cli.common import Command, fail, stdout, warn


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ServeCommand(Command):
    """`imtc serve`: the shared Chinese help screen (common.Command), kept as a name of its own."""


def _check_range(value: float | None, low: float, high: float | None, what: str) -> None:
    if value is not None and (value < low or (high is not None and value > high)):
        bound = f"应在 {low:g} 到 {high:g} 之间" if high is not None else f"不能小于 {low:g}"
        raise fail(f"{what}{bound}。")


def command(
    host: Annotated[str, typer.Option("--host", help="监听地址（默认 127.0.0.1，只在本机访问）", metavar="地址",
                                      show_default=False)] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口（默认 8000）", metavar="端口", show_default=False)] = 8000,
    db: Annotated[str | None, typer.Option(
        "--db", help="数据库 URL 或 SQLite 文件路径（默认与 imtc score 相同的记录库，或环境变量 IMTC_DB）",
        metavar="URL", show_default=False)] = None,
    data: Annotated[Path | None, typer.Option(
        "--data", help="上传文件和检查结果的存放文件夹（默认 ~/.local/share/imtc/web）", metavar="文件夹",
        show_default=False)] = None,
    retention_days: Annotated[float | None, typer.Option(
        "--retention-days", help="上传文件和结果的保存天数（默认 30）", metavar="天数", show_default=False)] = None,
    timeout: Annotated[float | None, typer.Option(
        "--timeout", help="每个文件的处理时间上限（秒，默认 120）", metavar="秒", show_default=False)] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", help="每个服务进程同时处理的文件数（默认 2）", metavar="个数", show_default=False)] = None,
    workers: Annotated[int, typer.Option(
        "--workers", help="服务进程数（默认 1）。登录会话、登录限制和排队的文件都保存在数据库中，由各进程共用",
        metavar="个数", show_default=False)] = 1,
    max_queue: Annotated[int | None, typer.Option(
        "--max-queue", help="排队等待检查的文件数上限，超出时请申报单位稍后再传（默认 100）", metavar="个数",
        show_default=False)] = None,
    set_desk_password: Annotated[bool, typer.Option(
        "--set-desk-password", help="设置受理窗口的登录密码（加盐 scrypt 散列后保存在数据文件夹中）后退出",
        metavar="")] = False,
) -> None:
    """启动网页：申报单位上传草稿自查，受理窗口登录后批量处理整轮材料。

    首次使用前先设置受理窗口密码：imtc serve --set-desk-password（或设置环境变量 IMTC_DESK_PASSWORD）。"""
    from imtc.web.auth import MIN_PASSWORD_LEN, write_password_file
    from imtc.web.settings import Settings

    console = stdout()
    for value, low, high, what in ((port, 1, 65535, "端口（--port）"), (retention_days, 0.001, None, "保存天数"),
                                   (timeout, 1, None, "处理时间上限"), (jobs, 1, None, "同时处理的文件数"),
                                   (workers, 1, None, "服务进程数"), (max_queue, 1, None, "排队上限")):
        _check_range(value, low, high, what)
    hosts = ["127.0.0.1", "localhost", "::1", "[::1]"] if _loopback(host) else None
    settings = Settings.from_env(data_dir=data, db=db, retention_days=retention_days, timeout_s=timeout, jobs=jobs,
                                 max_queue=max_queue, allowed_hosts=hosts)
    if set_desk_password:
        password = typer.prompt("新的受理窗口密码", hide_input=True, confirmation_prompt="再输入一次")
        if len(password) < MIN_PASSWORD_LEN:
            raise fail(f"密码至少需要 {MIN_PASSWORD_LEN} 个字符。")
        write_password_file(settings.password_file, password)
        console.print(f"受理窗口密码已设置（散列保存在 {settings.password_file}）。", markup=False)
        raise typer.Exit(0)

    import uvicorn

    from imtc.web.app import SETTINGS_ENV, create_app

    if not settings.desk_password_hash and not settings.password_file.is_file():
        warn("尚未设置受理窗口密码，受理窗口无法登录。请运行 imtc serve --set-desk-password，"
             "或设置环境变量 IMTC_DESK_PASSWORD。")
    if not _loopback(host):
        warn(f"正在监听 {host}，其他计算机也能访问本服务。请在其前面配置 HTTPS 反向代理，"
             "并设置 IMTC_WEB_SECURE_COOKIES=1。")
    console.print(f"imtc 网页已启动：http://{host}:{port}/  （受理窗口：/desk；按 Ctrl+C 停止）", markup=False)
    options = {"host": host, "port": port, "log_level": "info", "proxy_headers": False, "server_header": False}
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
    else:  # each worker process builds the app from the settings handed over in its environment
        os.environ[SETTINGS_ENV] = settings.model_dump_json()
        uvicorn.run("imtc.web.app:app_from_env", factory=True, workers=workers, **options)
