"""The panel's result in the store, by center and year: a table of its own (`panel_results`) in the
database imtc/store.py opens (same URL rules: --db, IMTC_DB, the user's data folder), so that the
store's own tables are untouched. One row per (center, year, rubric); a later run replaces it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from imtc.panel.models import Panel
from imtc.score_assist.common import center_key
from imtc.store import as_url, open_engine


class _Base(DeclarativeBase):
    pass


class PanelResult(_Base):
    __tablename__ = "panel_results"
    __table_args__ = (UniqueConstraint("center_key", "year", "rubric"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    center_key: Mapped[str] = mapped_column(String(200))
    center_name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rubric: Mapped[str] = mapped_column(String(10))
    total: Mapped[str | None] = mapped_column(String(20), nullable=True)
    grade: Mapped[str | None] = mapped_column(String(10), nullable=True)
    result: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def save_panel(panel: Panel, db: str | None = None) -> str | None:
    """Record the panel's result; None when done, else why not (Chinese). Never raises."""
    if panel.rubric is None or not panel.center:
        return "没有可以记录的汇总结果（未确定中心）"
    url = as_url(db)
    try:
        engine = open_engine(url, _Base.metadata)
        key = center_key(panel.center)
        with Session(engine) as s, s.begin():
            row = s.scalars(select(PanelResult).where(PanelResult.center_key == key, PanelResult.year == panel.year,
                                                      PanelResult.rubric == panel.rubric)).first()
            if row is None:
                row = PanelResult(center_key=key, year=panel.year, rubric=panel.rubric)
                s.add(row)
            row.center_name = panel.center
            total = panel.totals.get("total")
            row.total = None if total is None else str(total)
            row.grade = panel.totals.get("grade")
            row.result = panel.model_dump_json()
            row.recorded_at = datetime.now(UTC)
        engine.dispose()
    except (SQLAlchemyError, ArgumentError, OSError, ImportError, ValueError) as exc:
        return f"无法写入记录库“{url}”：{type(exc).__name__}"
    return None


def load_panel(center: str, year: int | None, rubric: str, db: str | None = None) -> Panel | None:
    """The recorded result of a center's panel, or None."""
    engine = open_engine(db, _Base.metadata)
    try:
        with Session(engine) as s:
            row = s.scalars(select(PanelResult).where(PanelResult.center_key == center_key(center),
                                                      PanelResult.year == year, PanelResult.rubric == rubric)).first()
            return None if row is None else Panel.model_validate_json(row.result)
    finally:
        engine.dispose()
