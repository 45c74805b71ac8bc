"""Table rules: every table of the template is there, filled in, numbered and summed right."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from imtc.findings import (
    EQUIPMENT_STATUS,
    REQUIRED_FIELD_EMPTY,
    SEQ_GAP,
    SEQ_REPEAT,
    TABLE_EMPTY,
    TABLE_MISSING,
    TOTAL_ABSENT,
    TOTAL_MISMATCH,
)
from imtc.models import TABLE_KINDS, Extraction, Finding, Location, Table
from imtc.templates import TableKind, families, table_kinds
from imtc.validate.registry import rule

EQUIPMENT_STATUSES = ("新建", "已建")
TOTAL_TOLERANCE = 0.005  # 万元


def fmt_amount(x: float) -> str:
    """830.5 -> "830.5", 120.0 -> "120": no trailing zeros, no float noise."""
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class TableView:
    """A table of `ex` with its kind's template data beside it."""

    kind: TableKind
    table: Table[Any]

    @property
    def rows(self) -> list[Any]:
        return self.table.rows

    def location(self, row: int | None = None, field: str | None = None) -> Location:
        page = self.table.location.page
        if row is not None:
            page = self.rows[row].location.page or page
        section, table = self.kind.section, self.table.location.table
        if row is not None:  # a row's own place: roadmap rows sit under 9.1.1, 9.2.1 or 9.3.1
            section = self.rows[row].location.section or section
            table = self.rows[row].location.table if self.rows[row].location.table is not None else table
        return Location(section=section, table=table, row=row, field=field, page=page)

    def label(self, field: str) -> str:
        """The column's Chinese header, for messages (a two-level header as 上级·下级)."""
        names = families()[self.kind.family].fields.get(field)
        return names[0].replace("|", "·") if names else field


def table_views(ex: Extraction, family: str | None = None) -> Iterator[TableView]:
    specs = table_kinds()
    for name, table in ex.tables.items():
        spec = specs.get(name)
        if spec is None or (family is not None and spec.family != family):
            continue
        yield TableView(spec, table)


@rule(TABLE_MISSING, TABLE_EMPTY)
def tables_present(ex: Extraction) -> Iterator[Finding]:
    """A missing section already says its table is missing; an empty one says its table is empty."""
    status = {s.key: s.status for s in ex.sections}
    specs = table_kinds()
    for name in TABLE_KINDS.get(ex.kind, []):
        spec = specs[name]
        table = ex.tables.get(name)
        section = status.get(spec.section)
        if (table is None or table.status == "missing") and section != "missing" and not spec.optional:
            yield TABLE_MISSING(Location(section=spec.section), key=spec.section, title=spec.title)
        elif table is not None and table.status == "empty" and section == "present":
            loc = table.location.model_copy(update={"section": spec.section})
            yield TABLE_EMPTY(loc, key=spec.section, title=spec.title)


@rule(TOTAL_MISMATCH, TOTAL_ABSENT)
def equipment_total(ex: Extraction) -> Iterator[Finding]:
    for t in table_views(ex, family="equipment"):
        amounts = [r.investment_wan for r in t.rows if getattr(r, "investment_wan", None) is not None]
        if not amounts:
            continue
        computed = math.fsum(amounts)
        stated = getattr(t.table, "total_wan", None)
        if stated is None:
            yield TOTAL_ABSENT(t.location(), title=t.kind.title, computed=fmt_amount(computed))
        elif abs(computed - stated) > TOTAL_TOLERANCE:
            yield TOTAL_MISMATCH(t.location(), title=t.kind.title, stated=fmt_amount(stated),
                                 computed=fmt_amount(computed))


@rule(EQUIPMENT_STATUS)
def equipment_status(ex: Extraction) -> Iterator[Finding]:
    for t in table_views(ex, family="equipment"):
        for i, r in enumerate(t.rows):
            status = getattr(r, "status", None)
            if status is not None and status.strip() not in EQUIPMENT_STATUSES:
                yield EQUIPMENT_STATUS(t.location(i, "status"), title=t.kind.title, row=i + 1,
                                       name=getattr(r, "name", None) or "名称未填写", text=status)


def _seqs(t: TableView) -> list[tuple[int, str]]:
    """(row index, trimmed 序号) of the rows that have one."""
    return [(i, s.strip()) for i, r in enumerate(t.rows) if (s := getattr(r, "seq", None)) is not None]


def _positive_int(s: str) -> bool:
    return s.isdecimal() and int(s) > 0


@rule(SEQ_GAP)
def seq_gap(ex: Extraction) -> Iterator[Finding]:
    """Only where every 序号 is a positive integer; one finding per gap, on the row after it."""
    for t in table_views(ex):
        seqs = _seqs(t)
        if not seqs or not all(_positive_int(s) for _, s in seqs):
            continue
        previous: int | None = None
        for i, s in seqs:
            n = int(s)
            if previous is not None and n > previous + 1:
                yield SEQ_GAP(t.location(i), title=t.kind.title, before=str(previous), after=str(n))
            previous = n


@rule(SEQ_REPEAT)
def seq_repeat(ex: Extraction) -> Iterator[Finding]:
    """An integer 序号 seen before in the same table; one finding per repeat, on the repeating row."""
    for t in table_views(ex):
        seen: set[int] = set()
        for i, s in _seqs(t):
            if not s.isdecimal():
                continue
            n = int(s)
            if n in seen:
                yield SEQ_REPEAT(t.location(i), title=t.kind.title, seq=str(n))
            seen.add(n)


@rule(REQUIRED_FIELD_EMPTY)
def required_fields(ex: Extraction) -> Iterator[Finding]:
    for t in table_views(ex):
        for i, r in enumerate(t.rows):
            for field in t.kind.required:
                if getattr(r, field, None) is None:
                    yield REQUIRED_FIELD_EMPTY(t.location(i, field), title=t.kind.title, row=i + 1,
                                               field=t.label(field))
