"""The desk's register pages, behind the login: every center with its status, next deadline and
what it owes (filters: day, year, only those due), one center with its record, status history,
documents and figures per year, its trend chart (PNG), the desk's edits (CSRF-checked forms) and
the register workbook. The work is imtc.register.service's; these are thin handlers."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from imtc.register import service
from imtc.register.export import due_text
from imtc.register.materials import ROLE_LABELS
from imtc.register.state import EVALUATION_KINDS, GRADES, SOURCE_LABELS, STATUSES
from imtc.store import Store, StoreError
from imtc.web.auth import csrf_ok
from imtc.web.routes_desk import Desk, desk_page

router = APIRouter(prefix="/desk/register")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EDIT_FIELDS = ("name", "csrf", "status", "on", "note", "kind", "year", "grade", "total", "level", "unit", "industry",
               "founded_on")


def _store(request: Request) -> Store:
    try:
        return Store(request.app.state.settings.db)
    except StoreError as exc:
        raise HTTPException(503, str(exc)) from None


def _day(day: str | None, year: str | None) -> tuple[date, int]:
    try:
        y = int(year) if year else None
        return service.reference_day(day or None, y)
    except (ValueError, service.RegisterError):
        raise HTTPException(400, "日期或年度不正确，日期请按 YYYY-MM-DD 填写。") from None


@router.get("")
def centers_page(request: Request, session: Desk, day: str | None = None, year: str | None = None,
                 due: str | None = None) -> Response:
    d, y = _day(day, year)
    with _store(request) as store:
        result = service.listing(store, d, y, due_only=bool(due))
    return desk_page(request, session, "register.html", {
        "result": result, "due_text": due_text, "day": d.isoformat(), "year": y, "due": bool(due), "quote": quote,
        "statuses": STATUSES})


@router.get("/export.xlsx")
def export(request: Request, session: Desk, day: str | None = None, year: str | None = None) -> Response:
    d, y = _day(day, year)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp, _store(request) as store:
        target = Path(tmp) / "register.xlsx"
        service.export(store, target, d, y)
        data = target.read_bytes()
    name = quote(f"中心登记表-{d.isoformat()}.xlsx")
    return Response(data, media_type=XLSX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})


def _report(request: Request, name: str, day: str | None) -> service.CenterReport:
    d, _ = _day(day, None)
    with _store(request) as store:
        try:
            return service.center_report(store, name, d)
        except service.RegisterError as exc:
            raise HTTPException(404, str(exc)) from None


@router.get("/center")
def center_page(request: Request, session: Desk, name: str, day: str | None = None, error: str | None = None) -> Response:
    report = _report(request, name, day)
    return desk_page(request, session, "register_center.html", {
        "report": report, "c": report.center, "due_text": due_text, "quote": quote, "day": report.date,
        "sources": SOURCE_LABELS, "statuses": STATUSES, "grades": GRADES, "kinds": EVALUATION_KINDS,
        "roles": ROLE_LABELS, "error": error})


@router.get("/chart.png")
def chart_png(request: Request, session: Desk, name: str, day: str | None = None) -> Response:
    from imtc.register.chart import ChartError

    report = _report(request, name, day)
    try:
        png = service.chart(report)
    except ChartError as exc:
        raise HTTPException(503, str(exc)) from None
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.post("/edit")
async def edit(request: Request, session: Desk) -> Response:
    form = await request.form(max_files=0, max_fields=len(EDIT_FIELDS))
    if not csrf_ok(session, form.get("csrf")):
        raise HTTPException(403, "表单已过期，请刷新页面后重试。")
    values: dict[str, Any] = {k: (str(form.get(k)).strip() or None) if form.get(k) is not None else None
                              for k in EDIT_FIELDS}
    name = values["name"] or ""
    evaluation = None
    if values["grade"]:
        evaluation = f"{values['kind'] or ''}:{values['year'] or ''}:{values['grade']}:{values['total'] or ''}"
    from fastapi.concurrency import run_in_threadpool

    def work() -> str | None:
        with _store(request) as store:
            try:
                service.edit(store, name, status=values["status"], on=values["on"], note=values["note"],
                             evaluation=evaluation, profile={k: values[k] for k in ("level", "unit", "industry",
                                                                                     "founded_on")})
            except service.RegisterError as exc:
                return str(exc)
        return None

    error = await run_in_threadpool(work)
    target = f"/desk/register/center?name={quote(name)}" + (f"&error={quote(error)}" if error else "")
    return RedirectResponse(target, status_code=303)
