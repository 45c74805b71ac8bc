"""The web app's own records, beside the imtc store in the same database (SQLite by default,
PostgreSQL by URL): applicants' checks, the desk's rounds and the files of each round. File
contents and results stay on disk under the data folder; these rows say where and what."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, create_engine, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from imtc.store import as_url


def now() -> datetime:
    return datetime.now(UTC)


class WebBase(DeclarativeBase):
    pass


class Check(WebBase):
    """One applicant's check of one file, reached only through its token."""

    __tablename__ = "web_checks"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    previous: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the check it revises
    file_name: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    status: Mapped[str] = mapped_column(String(16))  # done | unreadable | timeout
    kind: Mapped[str | None] = mapped_column(String(32), nullable=True)
    center_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)


class Round(WebBase):
    """A zip of a whole round, uploaded by the desk and processed in the background."""

    __tablename__ = "web_rounds"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    zip_name: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    status: Mapped[str] = mapped_column(String(16))  # queued | running | done | failed
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    total: Mapped[int] = mapped_column(Integer, default=0)  # files to check
    checked: Mapped[int] = mapped_column(Integer, default=0)
    to_score: Mapped[int] = mapped_column(Integer, default=0)
    scored: Mapped[int] = mapped_column(Integer, default=0)


class RoundFile(WebBase):
    __tablename__ = "web_round_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("web_rounds.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    member: Mapped[str] = mapped_column(String(500))  # the name inside the zip, as decoded (shown only)
    file_name: Mapped[str] = mapped_column(String(300))  # the sanitised name it is stored under
    status: Mapped[str] = mapped_column(String(16))  # queued | done | unreadable | timeout | skipped
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    kind: Mapped[str | None] = mapped_column(String(32), nullable=True)
    center_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    infos: Mapped[int] = mapped_column(Integer, default=0)
    scored: Mapped[bool] = mapped_column(Boolean, default=False)


class Database:
    def __init__(self, db: str | None) -> None:
        self.url = as_url(db)
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(self.url)
        WebBase.metadata.create_all(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed on leaving, rolled back on an exception; rows stay readable."""
        with Session(self.engine, expire_on_commit=False) as s, s.begin():
            yield s

    def check(self, token: str) -> Check | None:
        with self.session() as s:
            return s.get(Check, token)

    def round(self, round_id: str) -> Round | None:
        with self.session() as s:
            return s.get(Round, round_id)

    def rounds(self) -> list[Round]:
        with self.session() as s:
            return list(s.scalars(select(Round).order_by(Round.created_at.desc())))

    def round_files(self, round_id: str) -> list[RoundFile]:
        with self.session() as s:
            return list(s.scalars(select(RoundFile).where(RoundFile.round_id == round_id).order_by(RoundFile.seq)))

    def round_file(self, round_id: str, file_id: int) -> RoundFile | None:
        with self.session() as s:
            f = s.get(RoundFile, file_id)
            return f if f is not None and f.round_id == round_id else None

    def close(self) -> None:
        self.engine.dispose()
