"""The intake desk's pages, behind the login: the rounds, a round's submissions with filters and
progress, a zip of a whole round processed in the background, the review documents and the summary
workbook. Every form carries the session's CSRF token; the cookie is HttpOnly and SameSite=Strict."""

from __future__ import annotations

import secrets
import shutil
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from imtc import labels
from imtc.atomic import atomic_path
from imtc.web.app import LoginRequired
from imtc.web.auth import COOKIE, Session, csrf_ok, login_limits, read_password_file, verify_password
from imtc.web.db import Round, now
from imtc.web.files import ROUND_RE, Refused, TooLarge, copy_capped, inspect_zip
from imtc.web.offload import run_in
from imtc.web.routes_applicant import download, load_result, page, result_context, review_files
from imtc.web.settings import Settings
from imtc.web.views import beijing
from imtc.web.work import RESULT, REVIEW, SCORE, review_folder

router = APIRouter(prefix="/desk")

STATUS_FILTERS = {"": "全部", "errors": "有错误", "clean": "无错误", "unreadable": "无法读取或超时",
                  "skipped": "已跳过", "pending": "处理中"}
KIND_FILTERS = {"": "全部", **{k: labels.KIND[k] for k in ("application", "annual_report", "unknown")}}


def desk(request: Request) -> Session:
    session = request.app.state.sessions.get(request.cookies.get(COOKIE))
    if session is None:
        raise LoginRequired
    return session


Desk = Annotated[Session, Depends(desk)]


def password_hash(settings: Settings) -> str | None:
    return settings.desk_password_hash or read_password_file(settings.password_file)


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


@router.get("/login")
def login_page(request: Request) -> Response:
    configured = password_hash(request.app.state.settings) is not None
    return page(request, "desk_login.html", {"configured": configured})


@router.post("/login")
async def login(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    form = await request.form(max_files=0, max_fields=2)
    stored = password_hash(settings)
    if stored is None:
        return page(request, "desk_login.html", {"configured": False}, 403)
    throttle = request.app.state.throttle
    limits = login_limits(_client(request))
    if not await run_in_threadpool(throttle.reserve, limits):  # the attempt takes its place first
        return page(request, "desk_login.html", {"configured": True, "error": "登录尝试次数过多，请 15 分钟后再试。"}, 429)
    password = form.get("password")
    ok = isinstance(password, str) and await run_in(request, "password", verify_password, password, stored)
    if not ok:
        return page(request, "desk_login.html", {"configured": True, "error": "密码不正确。"}, 401)
    await run_in_threadpool(throttle.succeeded, limits)
    session = await run_in_threadpool(request.app.state.sessions.create)
    response = RedirectResponse("/desk", status_code=303)
    response.set_cookie(COOKIE, session.token, max_age=int(settings.session_minutes * 60), path="/desk",
                        httponly=True, samesite="strict", secure=settings.secure_cookies)
    return response


@router.post("/logout")
async def logout(request: Request, session: Desk) -> Response:
    form = await request.form(max_files=0, max_fields=2)
    if not csrf_ok(session, form.get("csrf")):
        raise HTTPException(403, "表单已过期，请刷新页面后重试。")
    await run_in_threadpool(request.app.state.sessions.end, session.token)
    response = RedirectResponse("/desk/login", status_code=303)
    response.delete_cookie(COOKIE, path="/desk")
    return response


def desk_page(request: Request, session: Session, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return page(request, name, {"csrf": session.csrf, "desk": True,
                                "max_zip_mb": f"{request.app.state.settings.max_zip_mb:g}"} | context, status)


@router.get("")
def rounds(request: Request, session: Desk) -> Response:
    return desk_page(request, session, "desk_rounds.html", _rounds_context(request))


def _rounds_context(request: Request) -> dict[str, Any]:
    db = request.app.state.db
    return {"rounds": db.rounds(), "file_counts": db.file_counts()}


def _store_round(request: Request, upload: UploadFile, name: str) -> str:
    settings: Settings = request.app.state.settings
    round_id = secrets.token_urlsafe(9)
    folder = settings.data_dir / "rounds" / round_id
    folder.mkdir(parents=True)
    try:
        copy_capped(upload.file, folder / "round.zip", settings.max_zip_bytes)
        inspect_zip(folder / "round.zip", settings)  # refuse a bad zip now, before anything is unpacked
    except TooLarge:
        shutil.rmtree(folder, ignore_errors=True)
        raise HTTPException(413) from None
    except Refused:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    zip_name = Path((upload.filename or "round.zip").replace("\\", "/")).name[:300]
    with request.app.state.db.session() as s:
        s.add(Round(id=round_id, name=name, zip_name=zip_name, created_at=now(), status="queued"))
        request.app.state.worker.start_round(s, round_id)
    return round_id


@router.post("/rounds")
async def upload_round(request: Request, session: Desk) -> Response:
    form = await request.form(max_files=1, max_fields=4)
    try:
        if not csrf_ok(session, form.get("csrf")):
            raise HTTPException(403, "表单已过期，请刷新页面后重试。")
        upload = form.get("archive")
        name = str(form.get("name") or "").strip()[:100] or f"{beijing(datetime.now())[:10]} 受理批次"
        if not isinstance(upload, UploadFile) or not upload.filename:
            error = "请选择整轮申报材料的 zip 压缩包。"
        else:
            try:
                round_id = await run_in(request, "upload", _store_round, request, upload, name)
                return RedirectResponse(f"/desk/rounds/{round_id}", status_code=303)
            except Refused as exc:
                error = f"压缩包未被接受：{exc}。"
    finally:
        await form.close()
    return desk_page(request, session, "desk_rounds.html", _rounds_context(request) | {"error": error}, 400)


def _round(request: Request, round_id: str) -> tuple[Round, Path]:
    if not ROUND_RE.fullmatch(round_id):
        raise HTTPException(404)
    r = request.app.state.db.round(round_id)
    if r is None:
        raise HTTPException(404)
    return r, request.app.state.settings.data_dir / "rounds" / round_id


def _matches(f: Any, status: str, kind: str, q: str) -> bool:
    wanted = {"errors": f.status == "done" and f.errors > 0, "clean": f.status == "done" and f.errors == 0,
              "unreadable": f.status in ("unreadable", "timeout"), "skipped": f.status == "skipped",
              "pending": f.status == "queued"}
    if status and not wanted.get(status, False):
        return False
    if kind and (f.kind or "") != kind:
        return False
    return not q or q.casefold() in f"{f.file_name} {f.center_name or ''} {f.member}".casefold()


def progress(r: Round) -> dict[str, Any]:
    steps = r.total + r.to_score
    done = r.checked + r.scored
    percent = 100 if r.status in ("done", "failed") else (int(done * 100 / (steps or 1)) if r.total else 0)
    return {"status": r.status, "message": r.message, "total": r.total, "checked": r.checked,
            "to_score": r.to_score, "scored": r.scored, "percent": percent}


HAS_RESULT = ("done", "unreadable", "timeout")


def filter_query(status: str, kind: str, q: str) -> str:
    """The round page's filters as a query string ("" when none), carried to a file's page and back."""
    given = {k: v for k, v in (("status", status), ("kind", kind), ("q", q.strip())) if v}
    return "?" + urlencode(given) if given else ""


@router.get("/rounds/{round_id}")
def round_page(request: Request, round_id: str, session: Desk, status: str = "", kind: str = "",
               q: str = "") -> Response:
    r, folder = _round(request, round_id)
    all_files = request.app.state.db.round_files(round_id)
    duplicates = [f for f in all_files if f.status == "duplicate"]
    files = [f for f in all_files if f.status != "duplicate"]  # a file sent twice is shown once
    shown = [f for f in files if _matches(f, status, kind, q.strip())]
    reviews = {f.id: review_files(folder / "files" / f"{f.seq:03d}") for f in shown}
    counts = {"files": len(files), "errors": sum(1 for f in files if f.status == "done" and f.errors),
              "clean": sum(1 for f in files if f.status == "done" and not f.errors),
              "unreadable": sum(1 for f in files if f.status in ("unreadable", "timeout")),
              "skipped": sum(1 for f in files if f.status == "skipped"), "duplicates": len(duplicates)}
    return desk_page(request, session, "desk_round.html", {
        "round": r, "progress": progress(r), "files": shown, "reviews": reviews, "counts": counts,
        "duplicates": duplicates, "query": filter_query(status, kind, q),
        "any_reviews": any(reviews.values()), "has_summary": (folder / "summary.xlsx").is_file(),
        "filters": {"status": status, "kind": kind, "q": q}, "STATUS_FILTERS": STATUS_FILTERS,
        "KIND_FILTERS": KIND_FILTERS, "running": r.status in ("queued", "running")})


@router.get("/rounds/{round_id}/progress")
def round_progress(request: Request, round_id: str, session: Desk) -> Response:
    r, _ = _round(request, round_id)
    return JSONResponse(progress(r))


@router.get("/rounds/{round_id}/summary.xlsx")
def summary(request: Request, round_id: str, session: Desk) -> Response:
    r, folder = _round(request, round_id)
    if not (folder / "summary.xlsx").is_file():
        raise HTTPException(404, "汇总表尚未生成：整轮处理完成后才能下载。")
    return download(folder / "summary.xlsx", f"{r.name} 检查汇总.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.get("/rounds/{round_id}/reviews.zip")
def all_reviews(request: Request, round_id: str, session: Desk) -> Response:
    r, folder = _round(request, round_id)
    entries = []
    for f in request.app.state.db.round_files(round_id):
        sub = folder / "files" / f"{f.seq:03d}"
        entries += [(sub / REVIEW / n, f"{review_folder(f)}/{n}") for n in review_files(sub)]
    if not entries:
        raise HTTPException(404, "本轮还没有生成评审文件。")
    if (folder / "summary.xlsx").is_file():  # beside the folders, so that its links work once unpacked
        entries.append((folder / "summary.xlsx", "summary.xlsx"))
    target = folder / "reviews.zip"
    with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, arcname in entries:
            zf.write(path, arcname)
    return download(target, f"{r.name} 评审文件.zip", "application/zip")


@router.get("/rounds/{round_id}/delete")
def delete_page(request: Request, round_id: str, session: Desk) -> Response:
    r, _ = _round(request, round_id)
    files = len(request.app.state.db.round_files(round_id))
    return desk_page(request, session, "desk_delete.html", {"round": r, "files": files})


@router.post("/rounds/{round_id}/delete")
async def delete_round(request: Request, round_id: str, session: Desk) -> Response:
    form = await request.form(max_files=0, max_fields=3)
    if not csrf_ok(session, form.get("csrf")):
        raise HTTPException(403, "表单已过期，请刷新页面后重试。")
    r, folder = await run_in_threadpool(_round, request, round_id)
    if form.get("confirm") != "yes":
        raise HTTPException(400, "请勾选“确认删除”后再删除。")
    if r.status in ("queued", "running"):
        raise HTTPException(409, "该批次正在处理，处理完成后才能删除。")
    await run_in_threadpool(request.app.state.db.delete_round, round_id)
    await run_in_threadpool(shutil.rmtree, folder, True)
    return RedirectResponse("/desk", status_code=303)


def _file(request: Request, round_id: str, file_id: int) -> tuple[Round, Any, Path]:
    r, folder = _round(request, round_id)
    f = request.app.state.db.round_file(round_id, file_id)
    if f is None:
        raise HTTPException(404)
    return r, f, folder / "files" / f"{f.seq:03d}"


@router.get("/rounds/{round_id}/files/{file_id}")
def file_page(request: Request, round_id: str, file_id: int, session: Desk, status: str = "", kind: str = "",
              q: str = "") -> Response:
    r, f, folder = _file(request, round_id, file_id)
    ex, score = load_result(folder)
    if ex is None:
        raise HTTPException(404, f"“{f.file_name}”没有检查结果：{f.note or '尚未处理完成'}")
    base = f"/desk/rounds/{round_id}/files/{file_id}"
    query = filter_query(status, kind, q)
    # previous and next among the submissions the round page lists with the same filters
    listed = [x.id for x in request.app.state.db.round_files(round_id)
              if x.status in HAS_RESULT and (x.id == f.id or _matches(x, status, kind, q.strip()))]
    i = listed.index(f.id)
    near = {"previous": listed[i - 1] if i > 0 else None, "next": listed[i + 1] if i + 1 < len(listed) else None}
    return desk_page(request, session, "result.html", result_context(ex, score, folder) | {
        "base": base, "round": r, "file": f, "applicant": False, "query": query,
        "neighbours": {k: f"/desk/rounds/{round_id}/files/{v}{query}" for k, v in near.items() if v is not None},
        "has_original": (folder / f.file_name).is_file()})


@router.get("/rounds/{round_id}/files/{file_id}/original")
def file_original(request: Request, round_id: str, file_id: int, session: Desk) -> Response:
    _, f, folder = _file(request, round_id, file_id)
    if f.status == "duplicate" or not (folder / f.file_name).is_file():
        raise HTTPException(404)
    return download(folder / f.file_name, f.file_name)


@router.get("/rounds/{round_id}/files/{file_id}/result.json")
def file_result(request: Request, round_id: str, file_id: int, session: Desk) -> Response:
    _, f, folder = _file(request, round_id, file_id)
    if not (folder / RESULT).is_file():
        raise HTTPException(404)
    return download(folder / RESULT, f"{f.file_name}.extract.json", "application/json")


@router.get("/rounds/{round_id}/files/{file_id}/score.json")
def file_score(request: Request, round_id: str, file_id: int, session: Desk) -> Response:
    _, f, folder = _file(request, round_id, file_id)
    if not (folder / SCORE).is_file():
        raise HTTPException(404)
    return download(folder / SCORE, f"{f.file_name}.score.json", "application/json")


@router.get("/rounds/{round_id}/files/{file_id}/review/{name}")
def file_review(request: Request, round_id: str, file_id: int, name: str, session: Desk) -> Response:
    _, _, folder = _file(request, round_id, file_id)
    if name not in review_files(folder):
        raise HTTPException(404)
    return download(folder / REVIEW / name, name)

