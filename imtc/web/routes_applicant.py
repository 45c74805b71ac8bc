"""Applicant pages: upload a draft, see its result behind an unguessable link, download the
report, upload a corrected version and see what changed. No accounts: the link is the key."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from imtc.crops import load_pictures, picture_names
from imtc.models import Extraction
from imtc.web import views
from imtc.web.files import ACCEPTED, TOKEN_RE, Busy, Refused, TooLarge, copy_capped
from imtc.web.offload import run_in
from imtc.web.settings import Settings
from imtc.web.work import RESULT, REVIEW, SCORE, Worker

router = APIRouter()
PENDING = ("queued", "running")


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    settings: Settings = request.app.state.settings
    base = {"max_upload_mb": f"{settings.max_upload_mb:g}", "retention_days": f"{settings.retention_days:g}",
            "nonce": secrets.token_urlsafe(16)}  # each upload form's own: sent twice, it gives one check
    return request.app.state.templates.TemplateResponse(request, name, base | context, status_code=status)


def download(path: Path, name: str, media_type: str | None = None) -> FileResponse:
    """A file as an attachment; the Chinese name goes in filename* (RFC 5987), as starlette writes it."""
    return FileResponse(path, filename=name, media_type=media_type, content_disposition_type="attachment")


def review_files(folder: Path) -> list[str]:
    review = folder / REVIEW
    return sorted(p.name for p in review.iterdir() if p.is_file()) if review.is_dir() else []


def load_result(folder: Path) -> tuple[Extraction | None, dict[str, Any] | None]:
    ex = score = None
    if (folder / RESULT).is_file():
        ex = Extraction.model_validate_json((folder / RESULT).read_text(encoding="utf-8"))
    if (folder / SCORE).is_file():
        score = json.loads((folder / SCORE).read_text(encoding="utf-8"))
    return ex, score


def result_context(ex: Extraction, score: dict[str, Any] | None, folder: Path, crops_url: str | None = None) -> dict[str, Any]:
    """What result.html needs, for an applicant's check and for a desk's submission alike (with
    `crops_url`, where the pictures of the source beside findings and figures are served)."""
    return {"ex": ex, "counts": ex.counts(), "groups": views.finding_groups(ex), "sections": views.sections_view(ex),
            "tables": views.tables_view(ex), "figures": views.figures_view(score), "entities": views.entity_counts(ex),
            "key_figures": views.figures_line(ex), "reviews": review_files(folder), "has_score": score is not None,
            "pictures": load_pictures(folder / REVIEW / "crops", crops_url) if crops_url else {"items": {}, "findings": {}}}


def _check_folder(request: Request, token: str) -> tuple[Any, Path]:
    """The check behind a token, or 404 — the same answer for a malformed, guessed or expired token."""
    if not TOKEN_RE.fullmatch(token):
        raise HTTPException(404)
    check = request.app.state.db.check(token)
    folder = request.app.state.settings.data_dir / "checks" / token
    if check is None or not folder.is_dir():
        raise HTTPException(404)
    return check, folder


@router.get("/")
async def index(request: Request) -> Response:  # nothing blocking: answered on the event loop
    return page(request, "index.html", {})


def _receive(request: Request, upload: UploadFile, previous: str | None, nonce: str | None) -> str:
    """Save the upload under the cap (outside any served folder) and check it; the new token."""
    settings: Settings = request.app.state.settings
    worker: Worker = request.app.state.worker
    tmp = settings.data_dir / "tmp" / secrets.token_hex(16)
    try:
        size = copy_capped(upload.file, tmp, settings.max_upload_bytes)
    except TooLarge:
        raise HTTPException(413) from None
    if size == 0:
        tmp.unlink(missing_ok=True)
        raise Refused("上传的文件是空的（0 字节）")
    try:
        return worker.check(tmp, upload.filename or "", previous, nonce)
    finally:
        tmp.unlink(missing_ok=True)


async def _upload(request: Request, previous: str | None) -> Response:
    form = await request.form(max_files=1, max_fields=4)
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _refused(request, previous, "请选择要检查的文件。", 400)
        nonce = form.get("nonce")
        token = await run_in(request, "upload", _receive, request, upload, previous,
                             nonce if isinstance(nonce, str) else None)
    except Busy as exc:
        return _refused(request, previous, f"{exc}。", 503)
    except Refused as exc:
        return _refused(request, previous, f"{exc}。", 400)
    finally:
        await form.close()
    return RedirectResponse(f"/c/{token}", status_code=303)


def _refused(request: Request, previous: str | None, message: str, status: int) -> Response:
    """The page the upload came from, with why it was refused: a corrected version's refusal stays
    on the previous check's page, so the chain of versions goes on from there."""
    if previous is None:
        return page(request, "index.html", {"error": message}, status)
    return _result_page(request, previous, {"revise_error": message}, status)


@router.post("/check")
async def check(request: Request) -> Response:
    return await _upload(request, None)


@router.post("/c/{token}/revise")
async def revise(request: Request, token: str) -> Response:
    await run_in_threadpool(_check_folder, request, token)
    return await _upload(request, token)


@router.get("/c/{token}")
def result(request: Request, token: str) -> Response:
    return _result_page(request, token)


def _result_page(request: Request, token: str, extra: dict[str, Any] | None = None, status: int = 200) -> Response:
    check, folder = _check_folder(request, token)
    link = str(request.base_url).rstrip("/") + f"/c/{token}"
    if check.status in PENDING:
        place = request.app.state.worker.queue.place("check", token)
        return page(request, "waiting.html", {"check": check, "place": place, "ahead": max(0, (place or 1) - 1),
                                              "link": link})
    ex, score = load_result(folder)
    if ex is None:
        raise HTTPException(404)
    context = result_context(ex, score, folder, f"/c/{token}/crop")
    if not request.app.state.settings.applicant_reviews:  # the experts' pre-filled forms stay with the desk
        context["reviews"] = []
    if check.previous:
        before = request.app.state.db.check(check.previous)
        prev_ex, _ = load_result(folder.parent / check.previous) if before is not None else (None, None)
        if prev_ex is not None:
            context["changes"] = views.changes(prev_ex, ex)
            context["previous_link"] = f"/c/{check.previous}"
            context["previous_time"] = before.created_at
            context["center_changed"] = views.center_changed(prev_ex, ex)
    base = f"/c/{token}"
    context |= {"check": check, "base": base, "link": link, "accepted": ACCEPTED, "applicant": True}
    return page(request, "result.html", context | (extra or {}), status)


@router.get("/c/{token}/result.json")
def result_json(request: Request, token: str) -> Response:
    check, folder = _check_folder(request, token)
    if not (folder / RESULT).is_file():
        raise HTTPException(404)
    return download(folder / RESULT, f"{check.file_name}.extract.json", "application/json")


@router.get("/c/{token}/score.json")
def score_json(request: Request, token: str) -> Response:
    check, folder = _check_folder(request, token)
    if not (folder / SCORE).is_file():
        raise HTTPException(404)
    return download(folder / SCORE, f"{check.file_name}.score.json", "application/json")


@router.get("/c/{token}/crop/{name}")
def crop(request: Request, token: str, name: str) -> Response:
    """A picture of the applicant's own document beside a finding or a figure (imtc/crops.py)."""
    _, folder = _check_folder(request, token)
    if name not in picture_names(folder / REVIEW / "crops"):  # only a name the index lists: no path from the URL
        raise HTTPException(404)
    return FileResponse(folder / REVIEW / "crops" / name, media_type="image/png")


@router.get("/c/{token}/review/{name}")
def review(request: Request, token: str, name: str) -> Response:
    _, folder = _check_folder(request, token)
    if not request.app.state.settings.applicant_reviews or name not in review_files(folder):  # only a name the folder lists: no path comes from the URL
        raise HTTPException(404)
    return download(folder / REVIEW / name, name)
