"""The register over the store: every center with its profile, status history, documents and
obligations; the desk's edits; the 第十九条 check of a new application.

A profile field the desk has not set comes from the documents: the unit from the latest document's
applicant (annex 1 cover, annex 4 signature), level and industry from the name's form.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from imtc.findings import APPLICATION_AFTER_REVOCATION
from imtc.models import Extraction, Finding
from imtc.register.names import LEVELS, industry_of, level_of
from imtc.register.state import (
    ACTIVE,
    EVALUATION_KINDS,
    GRADES,
    STATUSES,
    Evaluation,
    Facts,
    Obligation,
    StatusChange,
    add_years,
    parse_date,
    state,
)
from imtc.store import (
    Center,
    CenterEvaluation,
    CenterEvent,
    CenterProfile,
    Document,
    Store,
    StoreError,
    center_key,
    db_reason,
)


class RegisterError(Exception):
    """A desk edit that cannot be made (unknown center, bad value); the message is Chinese."""


class DocumentEntry(BaseModel):
    kind: str
    year: int | None
    file_name: str
    submitted_on: str | None
    sha256: str
    errors: int
    warnings: int


class CenterView(BaseModel):
    name: str
    key: str
    level: str | None
    level_label: str | None
    unit: str | None
    industry: str | None
    founded_on: str | None
    status: str | None
    status_since: str | None
    status_note: str | None
    next_deadline: str | None
    due: list[Obligation]
    obligations: list[Obligation]
    history: list[StatusChange]
    evaluations: list[Evaluation]
    documents: list[DocumentEntry]
    barred_until: str | None
    notes: list[str]


def _check_date(text: str, what: str) -> str:
    if parse_date(text) is None:
        raise RegisterError(f"{what}“{text}”不是有效日期，请按 YYYY-MM-DD 填写。")
    return text


class Register:
    """The register of one store (imtc.store.Store)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- reading ---------------------------------------------------------------------------

    def centers(self, as_of: date, year: int | None = None) -> list[CenterView]:
        """Every center, by name."""
        try:
            with Session(self.store.engine) as s:
                return sorted((self._view(s, c, as_of, year) for c in s.scalars(select(Center))),
                              key=lambda v: v.name)
        except SQLAlchemyError as exc:
            raise StoreError(f"无法读取记录库“{self.store.url}”：{db_reason(exc)}") from None

    def center(self, name: str, as_of: date, year: int | None = None) -> CenterView | None:
        """One center by its name (compared normalised), or by its key."""
        try:
            with Session(self.store.engine) as s:
                c = self._find(s, name)
                return self._view(s, c, as_of, year) if c is not None else None
        except SQLAlchemyError as exc:
            raise StoreError(f"无法读取记录库“{self.store.url}”：{db_reason(exc)}") from None

    @staticmethod
    def _find(s: Session, name: str) -> Center | None:
        key = center_key(name) if name else ""
        return s.scalar(select(Center).where(Center.key == key)) if key else None

    def _view(self, s: Session, c: Center, as_of: date, year: int | None) -> CenterView:
        docs = list(s.scalars(select(Document).where(Document.center_id == c.id)))
        docs.sort(key=lambda d: (d.year or 0, d.submitted_on or "", d.recorded_at))
        profile = s.scalar(select(CenterProfile).where(CenterProfile.center_id == c.id))
        events = list(s.scalars(select(CenterEvent).where(CenterEvent.center_id == c.id).order_by(CenterEvent.id)))
        evals = list(s.scalars(select(CenterEvaluation).where(CenterEvaluation.center_id == c.id)
                               .order_by(CenterEvaluation.id)))
        facts = Facts(
            founded_on=profile.founded_on if profile else None,
            applications=[d.submitted_on for d in docs if d.kind == "application" and d.submitted_on],
            reports=[(d.year, d.submitted_on) for d in docs if d.kind == "annual_report"],
            events=[StatusChange(status=e.status, on=e.on_date, source=e.source, note=e.note) for e in events],  # type: ignore[arg-type]
            evaluations=[Evaluation(kind=e.kind, year=e.year, grade=e.grade, total=e.total, on=e.on_date,
                                    source=e.source) for e in evals])
        facts.evaluations += _panel_evaluations(s, c.key)
        st = state(facts, as_of, year)
        level = (profile.level if profile else None) or level_of(c.name)
        return CenterView(
            name=c.name, key=c.key, level=level, level_label=LEVELS.get(level or ""),
            unit=(profile.unit if profile else None) or _unit(docs),
            industry=(profile.industry if profile else None) or industry_of(c.name),
            founded_on=st.founded_on, status=st.status, status_since=st.status_since, status_note=st.status_note,
            next_deadline=st.next_deadline(as_of), due=st.due, obligations=st.obligations, history=st.history,
            evaluations=sorted(facts.evaluations, key=lambda e: (e.year, e.on)),
            documents=[_entry(d) for d in docs], barred_until=st.barred_until, notes=st.notes)

    # --- the desk's edits -------------------------------------------------------------------

    def ensure(self, name: str) -> str:
        """The center of that name, created when new; returns its stored name."""
        if not center_key(name):
            raise RegisterError(f"中心名称“{name}”无法识别。")
        now = datetime.now(UTC)
        with self._writing() as s:
            c = self._find(s, name)
            if c is None:
                c = Center(key=center_key(name), name=name.strip(), created_at=now)
                s.add(c)
            return c.name

    def set_profile(self, name: str, *, level: str | None = None, unit: str | None = None,
                    industry: str | None = None, founded_on: str | None = None) -> None:
        if level is not None and level not in LEVELS:
            raise RegisterError(f"级别“{level}”无效，应为 national（国家）或 provincial（省级）。")
        if founded_on is not None:
            _check_date(founded_on, "成立日期")
        with self._writing() as s:
            c = self._existing(s, name)
            p = s.scalar(select(CenterProfile).where(CenterProfile.center_id == c.id))
            if p is None:
                p = CenterProfile(center_id=c.id)
                s.add(p)
            for attr, value in (("level", level), ("unit", unit), ("industry", industry), ("founded_on", founded_on)):
                if value is not None:
                    setattr(p, attr, value.strip() or None)
            p.updated_at = datetime.now(UTC)

    def add_status(self, name: str, status: str, on: str, *, source: str = "desk", note: str | None = None) -> None:
        if status not in STATUSES:
            raise RegisterError(f"状态“{status}”无效，应为{'、'.join(STATUSES)}之一。")
        _check_date(on, "日期")
        with self._writing() as s:
            c = self._existing(s, name)
            if s.scalar(select(CenterEvent).where(CenterEvent.center_id == c.id, CenterEvent.status == status,
                                                  CenterEvent.on_date == on, CenterEvent.source == source)):
                return  # recorded before (a desk file loaded again)
            s.add(CenterEvent(center_id=c.id, status=status, on_date=on, source=source, note=note or None,
                              recorded_at=datetime.now(UTC)))

    def add_evaluation(self, name: str, *, kind: str, year: int, grade: str, on: str, total: float | None = None,
                       source: str = "desk") -> None:
        """A 后续评价 or 符合性评价 result (the desk's, or a panel's read back by imtc/panel)."""
        if kind not in EVALUATION_KINDS:
            raise RegisterError(f"评价类型“{kind}”无效，应为{'或'.join(EVALUATION_KINDS)}。")
        if grade not in GRADES:
            raise RegisterError(f"评价等级“{grade}”无效，应为{'、'.join(GRADES)}之一。")
        _check_date(on, "评价日期")
        with self._writing() as s:
            c = self._existing(s, name)
            same = s.scalar(select(CenterEvaluation).where(
                CenterEvaluation.center_id == c.id, CenterEvaluation.kind == kind, CenterEvaluation.year == year,
                CenterEvaluation.on_date == on))
            if same is not None:  # a correction of the same evaluation
                same.grade, same.total, same.source = grade, total, source
                return
            s.add(CenterEvaluation(center_id=c.id, kind=kind, year=year, grade=grade, total=total, on_date=on,
                                   source=source, recorded_at=datetime.now(UTC)))

    def _existing(self, s: Session, name: str) -> Center:
        c = self._find(s, name)
        if c is None:
            raise RegisterError(f"记录库中没有中心“{name}”。新的中心请先用 --add 登记。")
        return c

    def _writing(self) -> _Writing:
        return _Writing(self.store)

    # --- 第十九条 ----------------------------------------------------------------------------

    def revocation_findings(self, ex: Extraction, today: date | None = None) -> list[Finding]:
        """An application from a center or unit revoked less than three years before it was submitted."""
        if ex.kind != "application":
            return []
        submitted = parse_date(ex.meta.submitted_on)
        when = submitted or today or date.today()
        said = ex.meta.submitted_on if submitted else f"{when.isoformat()}（申请书未写明报送日期，按检查当日计）"
        unit = _unit_key(ex.meta.applicant)
        key = center_key(ex.meta.center_name or "")
        out = []
        for v in self._revoked(when):
            revoked = [c.on for c in v.history if c.status == "撤销"]
            if not revoked or not (v.key == key or (unit and _unit_key(v.unit) == unit)):
                continue
            start = parse_date(revoked[-1])
            if start is None or not start <= when < add_years(start, 3):
                continue
            out.append(APPLICATION_AFTER_REVOCATION(center=v.name, unit=v.unit or "（未记录）", revoked=revoked[-1],
                                                    until=add_years(start, 3).isoformat(), submitted=said))
        return out


    def _revoked(self, when: date) -> list[CenterView]:
        """The centers the desk ever recorded as 撤销 (only those are read in full)."""
        try:
            with Session(self.store.engine) as s:
                ids = set(s.scalars(select(CenterEvent.center_id).where(CenterEvent.status == "撤销")))
                centers = s.scalars(select(Center).where(Center.id.in_(ids))) if ids else []
                return [self._view(s, c, when, None) for c in centers]
        except SQLAlchemyError as exc:
            raise StoreError(f"无法读取记录库“{self.store.url}”：{db_reason(exc)}") from None


class _Writing:
    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> Session:
        self.session = Session(self.store.engine)
        self.session.begin()
        return self.session

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        try:
            if exc is None:
                self.session.commit()
            else:
                self.session.rollback()
        except SQLAlchemyError as err:
            raise StoreError(f"无法写入记录库“{self.store.url}”：{db_reason(err)}") from None
        finally:
            self.session.close()
        if isinstance(exc, SQLAlchemyError):
            raise StoreError(f"无法写入记录库“{self.store.url}”：{db_reason(exc)}") from None


PANEL_KINDS = {"annex5": "后续评价", "annex2": "符合性评价"}


def _panel_evaluations(s: Session, key: str) -> list[Evaluation]:
    """The results `imtc panel` recorded (imtc/panel/store.py's table, when it exists), dated the day
    they were recorded (the panel's sheets carry no date of the evaluation)."""
    from sqlalchemy import inspect

    if not inspect(s.get_bind()).has_table("panel_results"):
        return []
    from imtc.panel.store import PanelResult

    out = []
    for row in s.scalars(select(PanelResult).where(PanelResult.center_key == key)):
        kind = PANEL_KINDS.get(row.rubric)
        if kind is None or row.year is None or row.grade not in GRADES:
            continue
        try:
            total = float(row.total) if row.total is not None else None
        except ValueError:
            total = None
        out.append(Evaluation(kind=kind, year=row.year, grade=row.grade, total=total,
                              on=row.recorded_at.date().isoformat(), source="panel"))
    return out


def _unit_key(unit: str | None) -> str:
    return center_key(unit or "")


def _unit(docs: list[Document]) -> str | None:
    for d in reversed(docs):
        try:
            applicant = json.loads(d.extraction).get("meta", {}).get("applicant")
        except ValueError:
            continue
        if applicant:
            return str(applicant)
    return None


def _entry(d: Document) -> DocumentEntry:
    counts: dict[str, Any] = {"error": 0, "warning": 0}
    try:
        for f in json.loads(d.extraction).get("findings", []):
            if f.get("severity") in counts:
                counts[f["severity"]] += 1
    except ValueError:
        pass
    return DocumentEntry(kind=d.kind, year=d.year, file_name=d.file_name, submitted_on=d.submitted_on,
                         sha256=d.sha256, errors=counts["error"], warnings=counts["warning"])


__all__ = ["ACTIVE", "CenterView", "Register", "RegisterError"]
