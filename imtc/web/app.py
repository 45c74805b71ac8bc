"""`create_app(settings)`: the FastAPI app — applicant pages (routes_applicant.py), the intake
desk's pages (routes_desk.py), local CSS, Chinese error pages, upload caps, security headers and
the retention cleanup (on startup and then periodically, in a background thread)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from imtc.web import views
from imtc.web.auth import Sessions, Throttle
from imtc.web.db import Database
from imtc.web.files import cleanup
from imtc.web.settings import Settings
from imtc.web.work import Worker

log = logging.getLogger("imtc.web")
HERE = Path(__file__).parent
FORM_LIMIT = 64 * 1024  # any request that carries no file
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",  # a check's link is its key: never sent on to another site
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
TOO_LARGE = "请返回上一页，选择较小的文件后重试。"
ERROR_TEXTS = {400: "请求有误", 403: "无权访问", 404: "页面不存在或已被删除", 405: "不支持的操作",
               409: "暂时无法操作", 413: "上传的文件太大", 429: "尝试次数过多", 500: "服务器内部错误"}


class LoginRequired(Exception):
    pass


class TooLargeBody(HTTPException):
    def __init__(self) -> None:
        super().__init__(413)


def upload_limit(settings: Settings, method: str, path: str) -> int:
    if method != "POST":
        return FORM_LIMIT
    if path == "/check" or (path.startswith("/c/") and path.endswith("/revise")):
        return settings.max_upload_bytes + FORM_LIMIT
    if path in ("/desk/rounds", "/desk/panel"):  # a round, or a panel's sheets (routes_panel.py)
        return settings.max_zip_bytes + FORM_LIMIT
    return FORM_LIMIT


def _secured(send: Send, static: bool, head: bool) -> Send:
    async def send_secured(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for k, v in SECURITY_HEADERS.items():
                headers.setdefault(k, v)
            if not static:
                headers["cache-control"] = "no-store"
        elif head and message["type"] == "http.response.body":
            message = {"type": "http.response.body", "body": b"", "more_body": message.get("more_body", False)}
        await send(message)

    return send_secured


def _host_of(scope: Scope) -> str:
    host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").strip().lower()
    if host.startswith("["):  # [::1]:8000
        return host[: host.find("]") + 1] if "]" in host else host
    return host.split(":")[0]


def host_allowed(host: str, allowed: list[str]) -> bool:
    return any(host == a or (a.startswith("*.") and host.endswith(a[1:])) or a == "*" for a in allowed)


class Guard:
    """Requests for a host name not served are refused (against DNS rebinding); request bodies over
    their route's cap are refused (by Content-Length before a byte is read, else as they stream in);
    HEAD is answered as GET without the body; every response gets the security headers, and all
    but the CSS are never cached (a check's page is private to whoever has its link). Its refusals
    are the site's Chinese error page."""

    def __init__(self, app: ASGIApp, settings: Settings, templates: Jinja2Templates) -> None:
        self.app = app
        self.settings = settings
        self.templates = templates

    def _refuse(self, status: int, message: str) -> HTMLResponse:
        html = self.templates.get_template("error.html").render(
            title=ERROR_TEXTS[status], message=message, status=status, retention_days=f"{self.settings.retention_days:g}",
            max_upload_mb=f"{self.settings.max_upload_mb:g}")
        return HTMLResponse(html, status_code=status)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")
        limit = upload_limit(self.settings, scope["method"], scope["path"])
        send_secured = _secured(send, static=scope["path"].startswith("/static/"), head=head)
        if self.settings.allowed_hosts and not host_allowed(_host_of(scope), self.settings.allowed_hosts):
            await self._refuse(400, "本服务不接受以这个地址访问，请使用服务器提供的网址。")(scope, receive, send_secured)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            await self._refuse(413, TOO_LARGE)(scope, receive, send_secured)
            return
        received = 0

        async def receive_capped() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise TooLargeBody
            return message

        await self.app(scope, receive_capped, send_secured)


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.globals.update(KIND_LABELS=views.KIND_LABELS, SEVERITY_LABELS=views.SEVERITY_LABELS,
                       STATUS_LABELS=views.STATUS_LABELS, CHECK_STATUS=views.CHECK_STATUS,
                       ROUND_STATUS=views.ROUND_STATUS)
    env.filters["beijing"] = views.beijing
    env.filters["number"] = views.number
    env.filters["review_label"] = views.review_label
    return templates


def _cleanup_loop(settings: Settings, db: Database, stop: threading.Event) -> None:
    while not stop.wait(settings.cleanup_interval_s):
        try:
            cleanup(settings, db)
        except Exception:
            log.exception("retention cleanup failed")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    for sub in ("tmp", "checks", "rounds"):
        (settings.data_dir / sub).mkdir(parents=True, exist_ok=True)
    settings.data_dir.chmod(0o700)
    db = Database(settings.db)
    worker = Worker(settings, db)
    stop = threading.Event()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker.start()
        cleanup(settings, db)
        thread = threading.Thread(target=_cleanup_loop, args=(settings, db, stop), daemon=True,
                                  name="imtc-retention")
        thread.start()
        try:
            yield
        finally:
            stop.set()
            worker.shutdown()
            db.close()

    app = FastAPI(title="imtc", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.db = db
    app.state.worker = worker
    app.state.sessions = Sessions(db, settings.session_minutes)
    app.state.throttle = Throttle(db)
    app.state.templates = _templates()
    app.add_middleware(Guard, settings=settings, templates=app.state.templates)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse("/desk/login", status_code=303)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) and exc.detail not in (
            "Not Found", "Method Not Allowed", "Request Entity Too Large") else None
        if exc.status_code == 413:
            message = TOO_LARGE
        return error_page(request, exc.status_code, message, **await run_in_threadpool(_desk_context, request))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_page(request, 400, "请求的参数不正确。", **await run_in_threadpool(_desk_context, request))

    from imtc.web import routes_applicant, routes_desk

    app.include_router(routes_applicant.router)
    app.include_router(routes_desk.router)
    from imtc.web import routes_panel  # the panel's page (imtc/panel)
    app.include_router(routes_panel.router)
    app.include_router(__import__("imtc.web.routes_register", fromlist=["router"]).router)  # the register (imtc/register)
    return app


SETTINGS_ENV = "IMTC_WEB_SETTINGS_JSON"  # `imtc serve --workers N` hands its settings to each worker


def app_from_env() -> FastAPI:
    """The app of one of `imtc serve --workers N`'s processes (uvicorn's factory)."""
    text = os.environ.get(SETTINGS_ENV)
    return create_app(Settings.model_validate_json(text) if text else None)


def _desk_context(request: Request) -> dict[str, Any]:
    """On a desk page, a logged-in clerk's error page keeps the desk's navigation."""
    if not request.url.path.startswith("/desk"):
        return {}
    from imtc.web.auth import COOKIE

    session = request.app.state.sessions.get(request.cookies.get(COOKIE))
    return {"desk": True, "csrf": session.csrf} if session is not None else {}


def error_page(request: Request, status: int, message: str | None = None, **context: Any) -> Response:
    title = ERROR_TEXTS.get(status, "出错了")
    settings: Settings = request.app.state.settings
    base = {"retention_days": f"{settings.retention_days:g}", "max_upload_mb": f"{settings.max_upload_mb:g}",
            "status": status}
    return request.app.state.templates.TemplateResponse(
        request, "error.html", base | {"title": title, "message": message, **context}, status_code=status)
