"""The store of centers and their documents across years: the plan in one year is the denominator
in the next (annex 5 items 1.2.1, 1.3.2, 1.4.4).

SQLite through SQLAlchemy by default, in the user's data folder
($XDG_DATA_HOME/imtc/imtc.sqlite, else ~/.local/share/imtc/imtc.sqlite); `IMTC_DB` or `--db`
name another database by URL (postgresql+psycopg://user@host/imtc, with its driver installed) or
by file path. Tables: `centers` (one per normalised center name) and `documents` (kind, year,
sha256, file name and the whole extraction JSON); a file is recorded once per content: recording
the same bytes again refreshes its row. The register (imtc/register/) adds what the desk and the
panels record: `center_profiles` (level, unit, industry, founding date as the desk sets them),
`center_events` (status changes with their dates) and `center_evaluations` (grades and totals).
Dates are ISO text (YYYY-MM-DD) everywhere, so SQLite and PostgreSQL hold the same values.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    create_engine,
    event,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from imtc.models import Extraction
from imtc.names import center_key

__all__ = ["Store", "StoreError", "center_key", "default_url", "record_extraction"]

RECORDED_KINDS = ("application", "annual_report")


class StoreError(Exception):
    """The database cannot be opened or written; the message is Chinese."""


class Base(DeclarativeBase):
    pass


class Center(Base):
    __tablename__ = "centers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CenterProfile(Base):
    """What the desk says about a center; a field left empty is taken from the documents."""

    __tablename__ = "center_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"), unique=True, index=True)
    level: Mapped[str | None] = mapped_column(String(16), nullable=True)  # national / provincial
    unit: Mapped[str | None] = mapped_column(String(200), nullable=True)
    industry: Mapped[str | None] = mapped_column(String(100), nullable=True)
    founded_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CenterEvent(Base):
    """A status change (申请中/建设中/运行/整改/撤销/取消) on a date, with where it came from."""

    __tablename__ = "center_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"), index=True)
    status: Mapped[str] = mapped_column(String(8))
    on_date: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(16))  # desk / panel
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CenterEvaluation(Base):
    """A 符合性评价 or 后续评价 result: the year it is for, its grade and total, the day it was given."""

    __tablename__ = "center_evaluations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # 后续评价 / 符合性评价
    year: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(8))  # 优秀 / 合格 / 不合格
    total: Mapped[float | None] = mapped_column(Float, nullable=True)
    on_date: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(16))  # desk / panel
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    center_id: Mapped[int | None] = mapped_column(ForeignKey("centers.id"), index=True, nullable=True)
    kind: Mapped[str] = mapped_column(String(32))
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    center_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    submitted_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    extraction: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "imtc"


def default_url() -> str:
    """IMTC_DB (a URL or a file path) if set, else the SQLite file in the user's data folder."""
    env = os.environ.get("IMTC_DB")
    return _url(env) if env else f"sqlite:///{data_dir() / 'imtc.sqlite'}"


def as_url(db: str | Path | None) -> str:
    """A URL as given, or a file path turned into a SQLite URL."""
    if db is None or str(db) == "":
        return default_url()
    return _url(str(db))


def open_engine(db: str | Path | None, metadata: MetaData,
                sqlite_on_connect: Callable[..., None] | None = None) -> Engine:
    """The one way imtc opens a database (the store, the web's tables, the panels'): the URL (a file
    path is a SQLite file, its folder made), the engine (`sqlite_on_connect` run on each new SQLite
    connection), and `metadata`'s tables created when missing. Raises what SQLAlchemy raises; the
    caller says it in Chinese."""
    url = make_url(as_url(db))
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if sqlite and sqlite_on_connect is not None:
        event.listen(engine, "connect", sqlite_on_connect)
    metadata.create_all(engine)
    return engine


def _url(text: str) -> str:
    return text if "://" in text else f"sqlite:///{Path(text).expanduser().resolve()}"


def document_year(ex: Extraction) -> int | None:
    """The year a document speaks for: an annual report's report_year (else the year it was signed),
    an application's submission year."""
    if ex.kind == "annual_report" and ex.meta.report_year:
        return ex.meta.report_year
    if ex.meta.submitted_on and ex.meta.submitted_on[:4].isdigit():
        return int(ex.meta.submitted_on[:4])
    return None


@dataclass(frozen=True)
class Recorded:
    file_name: str
    kind: str
    year: int | None
    center_name: str | None
    sha256: str
    extraction: Extraction

    def describe(self) -> str:
        what = "申请书" if self.kind == "application" else f"{self.year or '？'}年度工作总结"
        return f"记录库中的{what}“{self.file_name}”"


class Store:
    """One database; use as a context manager or call close()."""

    def __init__(self, db: str | Path | None = None) -> None:
        self.url = as_url(db)
        try:
            self.engine: Engine = open_engine(self.url, Base.metadata)
        except (SQLAlchemyError, ArgumentError, OSError, ImportError, ValueError) as exc:
            raise StoreError(f"无法打开记录库“{self.url}”：{db_reason(exc)}") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # --- writing ---------------------------------------------------------------------------

    def record(self, ex: Extraction) -> bool:
        """Record one extraction (applications and annual reports only). True when recorded."""
        if ex.kind not in RECORDED_KINDS or not ex.source.sha256:
            return False
        now = datetime.now(UTC)
        try:
            with Session(self.engine) as s, s.begin():
                center_id = self._center(s, ex.meta.center_name, now)
                doc = s.scalar(select(Document).where(Document.sha256 == ex.source.sha256))
                if doc is None:
                    doc = Document(sha256=ex.source.sha256)
                    s.add(doc)
                doc.center_id = center_id
                doc.kind = ex.kind
                doc.year = document_year(ex)
                doc.file_name = ex.source.file
                doc.center_name = ex.meta.center_name
                doc.submitted_on = ex.meta.submitted_on
                doc.extraction = json.dumps(ex.model_dump(mode="json"), ensure_ascii=False)
                doc.recorded_at = now
        except SQLAlchemyError as exc:
            raise StoreError(f"无法写入记录库“{self.url}”：{db_reason(exc)}") from None
        return True

    @staticmethod
    def _center(s: Session, name: str | None, now: datetime) -> int | None:
        if not name:
            return None
        key = center_key(name)
        if not key:
            return None
        center = s.scalar(select(Center).where(Center.key == key))
        if center is None:
            center = Center(key=key, name=name, created_at=now)
            s.add(center)
            s.flush()
        return center.id

    # --- reading ---------------------------------------------------------------------------

    def _documents(self, center_name: str | None) -> list[Document]:
        if not center_name or not center_key(center_name):
            return []
        try:
            with Session(self.engine) as s:
                center = s.scalar(select(Center).where(Center.key == center_key(center_name)))
                if center is None:
                    return []
                docs = list(s.scalars(select(Document).where(Document.center_id == center.id)))
                s.expunge_all()
                return docs
        except SQLAlchemyError as exc:
            raise StoreError(f"无法读取记录库“{self.url}”：{db_reason(exc)}") from None

    @staticmethod
    def _recorded(doc: Document) -> Recorded:
        return Recorded(file_name=doc.file_name, kind=doc.kind, year=doc.year, center_name=doc.center_name,
                        sha256=doc.sha256, extraction=Extraction.model_validate_json(doc.extraction))

    def documents(self, center_name: str | None) -> list[Recorded]:
        """The center's recorded documents, oldest first."""
        docs = self._documents(center_name)
        docs.sort(key=lambda d: (d.year if d.year is not None else -1, d.recorded_at))
        return [self._recorded(d) for d in docs]

    def previous_plan(self, ex: Extraction) -> Recorded | None:
        """The plan an annual report is measured against (plan_before), or None."""
        docs = sorted(self._documents(ex.meta.center_name), key=_oldest_first)
        found = plan_before(docs, ex.kind, document_year(ex), ex.source.sha256)
        return None if found is None else self._recorded(found)

    def history(self, ex: Extraction) -> list[Extraction]:
        """The center's documents before this one (history_before)."""
        docs = self.documents(ex.meta.center_name)
        return [r.extraction for r in history_before(docs, document_year(ex), ex.source.sha256)]


def _oldest_first(d: Document) -> tuple[int, Any]:
    return (d.year if d.year is not None else -1, d.recorded_at)


class _Dated(Protocol):
    kind: str
    year: int | None
    sha256: str


DatedT = TypeVar("DatedT", bound=_Dated)


def plan_before(docs: list[DatedT], kind: str, year: int | None, sha256: str) -> DatedT | None:
    """The plan an annual report of `year` is measured against, among a center's documents (oldest
    first): its last annual report of an earlier year, or else its application. None for another
    kind, or when the report's year is unknown. The one rule, for the store and the register."""
    if kind != "annual_report" or year is None:
        return None
    others = [d for d in docs if d.sha256 != sha256]
    reports = [d for d in others if d.kind == "annual_report" and d.year is not None and d.year < year]
    apps = [d for d in others if d.kind == "application" and (d.year is None or d.year <= year)]
    return reports[-1] if reports else (apps[-1] if apps else None)


def history_before(docs: list[DatedT], year: int | None, sha256: str) -> list[DatedT]:
    """A center's documents before one of `year` (oldest first): its applications, and its annual
    reports of earlier years."""
    return [d for d in docs if d.sha256 != sha256
            and (d.kind == "application" or (year is not None and d.year is not None and d.year < year))]


def record_extraction(ex: Extraction, db: str | Path | None = None) -> bool:
    """Record one extraction in the store (for `imtc check` to call). Never raises: False when the
    kind is not recorded or the store cannot be written."""
    try:
        with Store(db) as store:
            return store.record(ex)
    except StoreError:
        return False


def db_reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
