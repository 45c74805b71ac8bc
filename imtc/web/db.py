"""The web app's own records, beside the imtc store in the same database (SQLite by default,
PostgreSQL by URL): applicants' checks, the desk's rounds and the files of each round, and what
must be shared by every process serving the app — the desk's sessions, the login limits and the
queue of document work. File contents and results stay on disk under the data folder; these rows
say where and what."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    delete,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from imtc.store import as_url, open_engine


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
    status: Mapped[str] = mapped_column(String(16))  # queued | running | done | unreadable | timeout
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


class Submission(WebBase):
    """An upload form's one-time number and the check it made: the same form sent twice (a double
    click, a reload) gives the same check."""

    __tablename__ = "web_submissions"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class DeskSession(WebBase):
    """A desk login; the cookie's token is stored only as its SHA-256."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    csrf: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class LoginLimit(WebBase):
    """Login attempts counted per key ("address:<ip>", "account:<name>") in a window."""

    __tablename__ = "web_login_limits"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class Job(WebBase):
    """Document work waiting for, or taken by, one of the serving processes' workers."""

    __tablename__ = "web_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)  # check | round
    ref: Mapped[str] = mapped_column(String(64), index=True)  # the check's token or the round's id
    status: Mapped[str] = mapped_column(String(16), index=True)  # queued | running | done
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the process that took it
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
    """Several processes share the file: readers do not wait for a writer (WAL), writers wait their turn."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def insert_ignore(session: Session, table: type[WebBase], **values: object) -> None:
    """Insert a row unless its primary key is there (atomically, on SQLite and PostgreSQL alike)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - another database: a savepoint catches the duplicate
        from sqlalchemy.exc import IntegrityError

        try:
            with session.begin_nested():
                session.add(table(**values))
        except IntegrityError:
            pass
        return
    session.execute(insert(table).values(**values).on_conflict_do_nothing())


class Database:
    def __init__(self, db: str | None) -> None:
        self.url = as_url(db)
        self.engine: Engine = open_engine(self.url, WebBase.metadata, sqlite_on_connect=_sqlite_pragmas)

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

    def file_counts(self) -> dict[str, int]:
        """Every round's entries (readable or not, skipped ones included), by round id."""
        with self.session() as s:
            rows = s.execute(select(RoundFile.round_id, func.count()).group_by(RoundFile.round_id))
            return {round_id: n for round_id, n in rows}

    def round_files(self, round_id: str) -> list[RoundFile]:
        with self.session() as s:
            return list(s.scalars(select(RoundFile).where(RoundFile.round_id == round_id).order_by(RoundFile.seq)))

    def round_file(self, round_id: str, file_id: int) -> RoundFile | None:
        with self.session() as s:
            f = s.get(RoundFile, file_id)
            return f if f is not None and f.round_id == round_id else None

    def submitted(self, nonce: str) -> str | None:
        """The check an upload form already made, if it was sent before."""
        with self.session() as s:
            return s.scalar(select(Submission.token).where(Submission.nonce == nonce[:64]))

    def delete_round(self, round_id: str) -> None:
        """A round's rows (its files', its jobs'); the caller removes its folder."""
        with self.session() as s:
            s.execute(delete(RoundFile).where(RoundFile.round_id == round_id))
            s.execute(delete(Job).where(Job.kind == "round", Job.ref == round_id))
            s.execute(delete(Round).where(Round.id == round_id))

    def close(self) -> None:
        self.engine.dispose()
