"""The desk's panel page, behind the login: upload a zip of one panel's filled sheets, see the
aggregate (imtc/panel), download the final report, the workbook and the JSON. The work runs in a
thread of the serving process (a panel is a few sheets; a .doc goes through LibreOffice). Registered
on the app by one line in app.py."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from imtc.panel.models import Panel
from imtc.panel.report import status
from imtc.panel.run import run_panel, write_outputs
from imtc.panel.store import save_panel
from imtc.review import ReviewTemplateError
from imtc.web.auth import Session, csrf_ok
from imtc.web.files import Refused, TooLarge, copy_capped, inspect_zip, unpack_member
from imtc.web.routes_applicant import download
from imtc.web.routes_desk import Desk, desk_page
from imtc.web.settings import Settings

router = APIRouter(prefix="/desk/panel")
PANEL_ID = r"^[A-Za-z0-9_-]{12}$"
MAX_SHEETS = 40  # a panel is five to a dozen experts; the sheets are read in the request's thread


def _folder(settings: Settings, panel_id: str) -> Path:
    return settings.data_dir / "panels" / panel_id


def _page(request: Request, session: Session, context: dict[str, Any], code: int = 200) -> Response:
    return desk_page(request, session, "desk_panel.html", {"panel": None, "error": None} | context, code)


@router.get("")
def panel_form(request: Request, session: Desk) -> Response:
    return _page(request, session, {})


def _forget_old(settings: Settings) -> None:
    """Panels older than the retention period are deleted (their folders hold the experts' sheets)."""
    root = settings.data_dir / "panels"
    limit = time.time() - settings.retention_days * 86400
    for folder in root.iterdir() if root.is_dir() else ():
        if folder.is_dir() and re.match(PANEL_ID, folder.name) and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)


def _aggregate(settings: Settings, upload: UploadFile) -> str:
    """Store the zip, unpack its sheets (each in a folder of its own: the file name may name the expert),
    aggregate, write the outputs. Refused for a zip the desk does not take."""
    _forget_old(settings)
    panel_id = secrets.token_urlsafe(9)
    folder = _folder(settings, panel_id)
    folder.mkdir(parents=True)
    try:
        copy_capped(upload.file, folder / "panel.zip", settings.max_zip_bytes)
        members = inspect_zip(folder / "panel.zip", settings)
        if len(members) > MAX_SHEETS:
            raise Refused(f"压缩包中有 {len(members)} 个文件，一个评审组的评分表一次最多 {MAX_SHEETS} 份")
        files = []
        with zipfile.ZipFile(folder / "panel.zip") as zf:
            for seq, m in enumerate(members):
                path, _note = (None, m.note) if m.note else unpack_member(zf, m, folder / "sheets" / f"{seq:03d}")
                if path is not None:
                    files.append(path)
        result = run_panel(files)
        write_outputs(result, folder / "out")
        save_panel(result, settings.db)  # the imtc store, as the desk's rounds use it
    except TooLarge:
        shutil.rmtree(folder, ignore_errors=True)
        raise HTTPException(413) from None
    except (Refused, ReviewTemplateError):
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return panel_id


@router.post("")
async def upload_panel(request: Request, session: Desk) -> Response:
    form = await request.form(max_files=1, max_fields=3)
    try:
        if not csrf_ok(session, form.get("csrf")):
            raise HTTPException(403, "表单已过期，请刷新页面后重试。")
        upload = form.get("archive")
        if not isinstance(upload, UploadFile) or not upload.filename:
            error = "请选择评审组专家评分表的 zip 压缩包。"
        else:
            try:
                panel_id = await run_in_threadpool(_aggregate, request.app.state.settings, upload)
                return RedirectResponse(f"/desk/panel/{panel_id}", status_code=303)
            except (Refused, ReviewTemplateError) as exc:
                error = f"压缩包未被接受：{exc}。"
    finally:
        await form.close()
    return _page(request, session, {"error": error}, 400)


def _load(request: Request, panel_id: str) -> tuple[Panel, Path]:
    if not re.match(PANEL_ID, panel_id):
        raise HTTPException(404)
    out = _folder(request.app.state.settings, panel_id) / "out"
    found = sorted(out.glob("*-评审组汇总.json")) if out.is_dir() else []
    if not found:
        raise HTTPException(404)
    return Panel.model_validate_json(found[0].read_text(encoding="utf-8")), out


@router.get("/{panel_id}")
def panel_page(request: Request, panel_id: str, session: Desk) -> Response:
    panel, out = _load(request, panel_id)
    downloads = sorted(p.name for p in out.iterdir() if p.is_file())
    return _page(request, session, {"panel": panel, "panel_id": panel_id, "downloads": downloads,
                                    "status": status(panel) if panel.rubric else "没有可以汇总的评分表。",
                                    "totals_json": json.dumps(panel.totals, ensure_ascii=False)})


@router.get("/{panel_id}/files/{name}")
def panel_file(request: Request, panel_id: str, name: str, session: Desk) -> Response:
    _, out = _load(request, panel_id)
    if name not in {p.name for p in out.iterdir() if p.is_file()}:
        raise HTTPException(404)
    return download(out / name, name)
