"""`imtc serve`: the web pages on uvicorn.

FastAPI and uvicorn are imported only when the command runs, so the other commands stay fast.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def command(
    host: Annotated[str, typer.Option("--host", help="监听地址（默认只在本机访问）", metavar="地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口", min=1, max=65535)] = 8000,
    db: Annotated[str | None, typer.Option(
        "--db", help="数据库 URL 或 SQLite 文件路径（默认与 imtc score 相同的记录库，或环境变量 IMTC_DB）",
        metavar="URL", show_default=False)] = None,
    data: Annotated[Path | None, typer.Option(
        "--data", help="上传文件和检查结果的存放文件夹（默认 ~/.local/share/imtc/web）", metavar="文件夹",
        show_default=False)] = None,
    retention_days: Annotated[float | None, typer.Option(
        "--retention-days", help="上传文件和结果的保存天数（默认 30）", min=0.001, show_default=False)] = None,
    timeout: Annotated[float | None, typer.Option(
        "--timeout", help="每个文件的处理时间上限（秒，默认 120）", min=1, show_default=False)] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", help="同时处理的文件数（默认 2）", min=1, show_default=False)] = None,
    set_desk_password: Annotated[bool, typer.Option(
        "--set-desk-password", help="设置受理窗口的登录密码（加盐 scrypt 散列后保存在数据文件夹中）后退出")] = False,
) -> None:
    """启动网页：申报单位上传草稿自查，受理窗口登录后批量处理整轮材料。"""
    from imtc.web.auth import MIN_PASSWORD_LEN, write_password_file
    from imtc.web.settings import Settings

    hosts = ["127.0.0.1", "localhost", "::1", "[::1]"] if _loopback(host) else None
    settings = Settings.from_env(data_dir=data, db=db, retention_days=retention_days, timeout_s=timeout, jobs=jobs,
                                 allowed_hosts=hosts)
    console = Console(highlight=False)
    if set_desk_password:
        password = typer.prompt("新的受理窗口密码", hide_input=True, confirmation_prompt="再输入一次")
        if len(password) < MIN_PASSWORD_LEN:
            console.print(f"错误：密码至少需要 {MIN_PASSWORD_LEN} 个字符。", style="bold red")
            raise typer.Exit(2)
        write_password_file(settings.password_file, password)
        console.print(f"受理窗口密码已设置（散列保存在 {settings.password_file}）。", markup=False)
        raise typer.Exit(0)

    import uvicorn

    from imtc.web.app import create_app

    if not settings.desk_password_hash and not settings.password_file.is_file():
        console.print("提示：尚未设置受理窗口密码，受理窗口无法登录。请运行 imtc serve --set-desk-password，"
                      "或设置环境变量 IMTC_DESK_PASSWORD。", style="yellow", markup=False)
    if not _loopback(host):
        console.print(f"提示：正在监听 {host}，其他计算机也能访问本服务。请在其前面配置 HTTPS 反向代理，"
                      "并设置 IMTC_WEB_SECURE_COOKIES=1。", style="yellow", markup=False)
    console.print(f"imtc 网页已启动：http://{host}:{port}/  （受理窗口：/desk；按 Ctrl+C 停止）", markup=False)
    uvicorn.run(create_app(settings), host=host, port=port, workers=1, log_level="info",
                proxy_headers=False, server_header=False)
